"""Model, Analyzer and CxsentError: the Python face of cxsent.h."""

import os
import threading
import weakref
from ctypes import byref, c_double, c_int, c_size_t
from typing import NamedTuple

from . import _lib
from ._lib import lib


class CxsentError(Exception):
    """A libcxsent call failed.

    Attributes mirror ``cxs_error``: ``code`` (a negative ``cxs_status``), ``source`` (file name,
    "<buffer>" or "<default>"), ``line`` and ``column`` (1-based position in a model file, 0 if
    not applicable), ``offset`` (byte offset into the analysed text, 0 if not applicable) and
    ``message``.
    """

    def __init__(self, code, message, source="", line=0, column=0, offset=0):
        self.code, self.message, self.source = code, message, source
        self.line, self.column, self.offset = line, column, offset
        where = f"{source}:{line}:{column}: " if line else ""
        super().__init__(f"{where}{message}")

    @classmethod
    def _from(cls, code, err):
        message = err.message.decode("utf-8", "replace") or _lib.name(lib.cxs_strerror, code)
        return cls(code, message, err.source.decode("utf-8", "replace"), err.line, err.column,
                   err.offset)


def _check(code, err=None):
    if code != _lib.CXS_OK:
        raise CxsentError._from(code, err if err is not None else _lib.cxs_error())


def _encode(text):
    """(bytes, is_str). A str is encoded as UTF-8; lone surrogates pass through as the invalid
    bytes they are, so the library's UTF-8 policy (replace, or raise in strict mode) applies."""
    if isinstance(text, str):
        return text.encode("utf-8", "surrogatepass"), True
    if isinstance(text, (bytes, bytearray, memoryview)):
        return bytes(text), False
    raise TypeError(f"text must be str or bytes, not {type(text).__name__}")


# ---- models -------------------------------------------------------------------------------

class Model:
    """A sentiment and customer-experience model (lexicon, rules, themes, channels).

    A model is read-only once loaded and may be shared by any number of threads. Make one with
    :meth:`default`, :meth:`load`, :meth:`from_string` or :meth:`merge`. The C object is freed
    when the model and every analyzer made from it are gone.

    A model pickles as the recipe that built it (default / file path / text, plus merges); an
    unpickled model is loaded once per process and shared (this is how Dask workers get it). A
    model loaded from a file therefore needs that path to exist where it is unpickled.
    """

    def __init__(self, handle, recipe):
        # private: use the constructors below
        self._handle = handle
        self._recipe = recipe
        self._finalizer = weakref.finalize(self, lib.cxs_model_free, handle)

    @classmethod
    def default(cls):
        """The built-in default model (the files under data/ compiled into the library)."""
        return cls._build(("default",))

    @classmethod
    def load(cls, path):
        """Load a model file (format: data/README.md); ``@include`` is resolved relative to it."""
        return cls._build(("file", os.path.abspath(os.fspath(path))))

    @classmethod
    def from_string(cls, text, name=None):
        """Load a model from a str or bytes; ``name`` is used in error messages ("<buffer>")."""
        return cls._build(("buffer", _encode(text)[0], name))

    def merge(self, path=None, *, text=None, name=None):
        """A new model: this one with the entries of an override file (``path``) or of override
        ``text`` merged in (exactly one of the two). An entry replaces the entry with the same
        term in the same section; the value ``none`` removes it. This model is unchanged."""
        if (path is None) == (text is None):
            raise TypeError("merge() takes a path or text=, not both or neither")
        if path is not None:
            return self._build(("merge_file", self._recipe, os.path.abspath(os.fspath(path))),
                               self)
        return self._build(("merge_buffer", self._recipe, _encode(text)[0], name), self)

    def counts(self):
        """Entry counts by kind: {"lexicon": 11168, "words": ..., ...} (cxs_model_count)."""
        return {k: lib.cxs_model_count(self._handle, v) for k, v in _lib.COUNTS.items()}

    def themes(self):
        """The model's theme names, in the order its themes section first names them."""
        n = lib.cxs_model_theme_count(self._handle)
        return [lib.cxs_model_theme_name(self._handle, i).decode("utf-8") for i in range(n)]

    def lookup(self, term):
        """The lexicon valence of a term (normalised as the tokenizer would), or None."""
        data = _encode(term)[0]
        v = c_double()
        rc = lib.cxs_model_lookup(byref(v), self._handle, data, len(data))
        _check(min(rc, 0))
        return v.value if rc == 1 else None

    def __reduce__(self):
        return _shared_model, (self._recipe,)

    def __dask_tokenize__(self):
        return ("cxsent.Model", self._recipe)

    @classmethod
    def _build(cls, recipe, base=None):
        """Load the model a recipe describes; a merge starts from ``base`` (else the shared
        model of the base recipe)."""
        out = _lib.model_p()
        err = _lib.cxs_error()
        kind = recipe[0]
        if kind == "default":
            rc = lib.cxs_model_load_default(byref(out), None, byref(err))
        elif kind == "file":
            rc = lib.cxs_model_load(byref(out), os.fsencode(recipe[1]), None, byref(err))
        elif kind == "buffer":
            data, name = recipe[1], _name(recipe[2])
            rc = lib.cxs_model_load_buffer(byref(out), data, len(data), name, None, byref(err))
        else:
            base = base if base is not None else _shared_model(recipe[1])
            if kind == "merge_file":
                rc = lib.cxs_model_merge(byref(out), base._handle, os.fsencode(recipe[2]),
                                         byref(err))
            else:
                data, name = recipe[2], _name(recipe[3])
                rc = lib.cxs_model_merge_buffer(byref(out), base._handle, data, len(data), name,
                                                byref(err))
        _check(rc, err)
        return cls(out.value, recipe)


def _name(name):
    return None if name is None else os.fsencode(name)


# Models by recipe, loaded once per process for unpickling and for the default model of the
# module helpers. Models are immutable, so sharing them is safe; the cache only grows by the
# distinct models a process is sent.
_models = {}
_models_lock = threading.RLock()  # re-entered when a merged model loads its base


def _shared_model(recipe):
    with _models_lock:
        model = _models.get(recipe)
        if model is None:
            model = _models[recipe] = Model._build(recipe)
        return model


def default_model():
    """The default model shared by this process (loaded on first use)."""
    return _shared_model(("default",))


# ---- analysis -----------------------------------------------------------------------------

class Scores(NamedTuple):
    """Sentiment of one text: pos + neu + neg = 1 (all 0 for empty text), compound in [-1, 1],
    label "positive" / "neutral" / "negative"."""
    compound: float
    pos: float
    neu: float
    neg: float
    label: str


# UTF-8 continuation bytes: every other byte begins a character (a lone surrogate, which
# _encode passes through as three bytes, too).
_CONTINUATION = bytes(range(0x80, 0xC0))


def _char_index(text, data):
    """A function mapping a byte offset of data (text encoded by _encode) to a character
    offset: the characters that begin before it, counted in C by bytes.translate (a loop over
    the characters in Python cost a third of analyze()). Counted from the offset asked for
    last, forwards or backwards: the spans of a list come in order, so the text is read about
    once per list, not once per offset (from its start each time, a long text with many terms
    took time quadratic in its length)."""
    if text.isascii():
        return lambda b: b
    last = [0, 0]  # the byte offset asked for last, and its character offset

    def char(b):
        at, n = last
        if b >= at:
            n += len(data[at:b].translate(None, _CONTINUATION))
        else:
            n -= len(data[b:at].translate(None, _CONTINUATION))
        last[0], last[1] = b, n
        return n

    return char


def _bits(mask, name_fn):
    return [_lib.name(name_fn, 1 << b) for b in range(32) if mask & (1 << b)]


#: The intent names, in bit order: ("complaint", "churn", "return", "recommend").
INTENTS = tuple(n for n in _bits(0xFFFFFFFF, lib.cxs_intent_name) if n != "unknown")


class Analyzer:
    """Scores texts with a model. Reuse it: per-text work allocates nothing once warm.

    An analyzer is used by **one thread at a time** (a second thread entering it while it is
    busy gets a RuntimeError); make one per thread, or use the module helpers
    :func:`cxsent.score` / :func:`cxsent.analyze`, which keep one per thread.

    :param model: a :class:`Model`; None means the process's shared default model
    :param pos_threshold: compound >= this is positive (default 0.05)
    :param neg_threshold: compound <= this is negative (default -0.05)
    :param strict_utf8: raise CxsentError (with ``offset``) on invalid UTF-8 instead of
        reading invalid bytes as U+FFFD
    """

    def __init__(self, model=None, pos_threshold=None, neg_threshold=None, strict_utf8=False):
        self.model = default_model() if model is None else model
        an, res = _lib.analyzer_p(), _lib.result_p()
        err = _lib.cxs_error()
        _check(lib.cxs_analyzer_new(byref(an), self.model._handle, byref(err)), err)
        rc = lib.cxs_result_new(byref(res), self.model._handle, byref(err))
        if rc:
            lib.cxs_analyzer_free(an)
            _check(rc, err)
        self._an, self._res = an.value, res.value
        # the finalizer holds the model, so the model is freed after this analyzer
        self._finalizer = weakref.finalize(self, _free_analyzer, self._an, self._res, self.model)
        self._busy = threading.Lock()
        for param, value in ((_lib.CXS_PARAM_POS_THRESHOLD, pos_threshold),
                             (_lib.CXS_PARAM_NEG_THRESHOLD, neg_threshold),
                             (_lib.CXS_PARAM_STRICT_UTF8, 1.0 if strict_utf8 else None)):
            if value is not None:
                _check(lib.cxs_analyzer_set(self._an, param, float(value)))

    def _enter(self):
        if not self._busy.acquire(blocking=False):
            raise RuntimeError("cxsent.Analyzer used by two threads at once; "
                               "make one per thread (or use cxsent.analyze)")

    def score(self, text):
        """Sentiment of one text (str or UTF-8 bytes): the fast path, a :class:`Scores`."""
        data, _ = _encode(text)
        s, label, err = _lib.cxs_scores(), c_int(), _lib.cxs_error()
        self._enter()
        try:
            rc = lib.cxs_analyzer_score(byref(s), byref(label), self._an, data, len(data),
                                        byref(err))
        finally:
            self._busy.release()
        _check(rc, err)
        return Scores(s.compound, s.pos, s.neu, s.neg, _lib.name(lib.cxs_label_name, label.value))

    def analyze(self, text, explain=False):
        """Everything about one text, as the record of cxsent-scan (without "id")::

            {"sentiment": {"compound", "pos", "neu", "neg", "label"},
             "themes": [{"theme", "polarity", "score", "level", "spans": [[start, end]]}],
             "intents": ["complaint", ...],
             "waits": [{"channel", "seconds", "span": [start, end], "breach"}],
             "explain": [{"span", "text", "sentence", "valence", "score", "rules"}]}

        "explain" is there only with ``explain=True``. Spans are byte offsets into the UTF-8
        text; when ``text`` is a str, each span also has its character offsets
        ("char_spans" in themes, "char_span" in waits and explain). Numbers keep full
        precision (the C JSON rounds to 4 decimals); ``seconds`` is an int as in the JSON.
        """
        data, is_str = _encode(text)
        err = _lib.cxs_error()
        self._enter()
        try:
            _check(lib.cxs_analyze(self._res, self._an, data, len(data), byref(err)), err)
            return _record(self._res, data, _char_index(text, data) if is_str else None, explain)
        finally:
            self._busy.release()


def _free_analyzer(an, res, model):
    lib.cxs_result_free(res)
    lib.cxs_analyzer_free(an)


def _record(res, data, char, explain):
    """The record of one result, read through the accessors (see Analyzer.analyze)."""
    s = lib.cxs_result_scores(res).contents
    rec = {"sentiment": {"compound": s.compound, "pos": s.pos, "neu": s.neu, "neg": s.neg,
                         "label": _lib.name(lib.cxs_label_name, lib.cxs_result_label(res))}}
    themes = []
    t, a, b = _lib.cxs_theme(), c_size_t(), c_size_t()
    for i in range(lib.cxs_result_theme_count(res)):
        _check(lib.cxs_result_theme(byref(t), res, i))
        spans = []
        for j in range(t.n_spans):
            _check(lib.cxs_result_theme_span(byref(a), byref(b), res, i, j))
            spans.append([a.value, b.value])
        d = {"theme": t.theme.decode("utf-8"),
             "polarity": _lib.name(lib.cxs_label_name, t.polarity), "score": t.score,
             "level": _lib.name(lib.cxs_level_name, t.level), "spans": spans}
        if char:
            d["char_spans"] = [[char(x), char(y)] for x, y in spans]
        themes.append(d)
    rec["themes"] = themes
    rec["intents"] = _bits(lib.cxs_result_intents(res), lib.cxs_intent_name)
    waits = []
    w = _lib.cxs_wait()
    for i in range(lib.cxs_result_wait_count(res)):
        _check(lib.cxs_result_wait(byref(w), res, i))
        d = {"channel": _lib.name(lib.cxs_channel_name, w.channel),
             "seconds": int(w.seconds) if w.seconds > 0 else 0, "span": [w.start, w.end],
             "breach": bool(w.breach)}
        if char:
            d["char_span"] = [char(w.start), char(w.end)]
        waits.append(d)
    rec["waits"] = waits
    if explain:
        terms = []
        term = _lib.cxs_term()
        for i in range(lib.cxs_result_term_count(res)):
            _check(lib.cxs_result_term(byref(term), res, i))
            d = {"span": [term.start, term.end],
                 "text": data[term.start:term.end].decode("utf-8", "replace"),
                 "sentence": term.sentence, "valence": term.valence, "score": term.score,
                 "rules": _bits(term.rules, lib.cxs_rule_name)}
            if char:
                d["char_span"] = [char(term.start), char(term.end)]
            terms.append(d)
        rec["explain"] = terms
    return rec


def result_json(analyzer, text, explain=False):
    """The C library's own JSON for a text (cxs_result_to_json), as a str. Mostly for tests
    and for writing JSONL identical to cxsent-scan's."""
    data, _ = _encode(text)
    err = _lib.cxs_error()
    flags = _lib.CXS_JSON_EXPLAIN if explain else 0
    analyzer._enter()
    try:
        _check(lib.cxs_analyze(analyzer._res, analyzer._an, data, len(data), byref(err)), err)
        out = _lib.sized(lib.cxs_result_to_json, analyzer._res, flags)
    finally:
        analyzer._busy.release()
    return out.decode("utf-8")


# ---- one analyzer per thread --------------------------------------------------------------

# The documented per-thread cache: each thread keeps one Analyzer (default thresholds) for the
# model it used last.
_tls = threading.local()


def thread_analyzer(model=None):
    """This thread's analyzer for ``model`` (None: the shared default model), made on first
    use and reused afterwards. Used by :func:`score`, :func:`analyze` and the pandas and Dask
    helpers."""
    model = default_model() if model is None else model
    an = getattr(_tls, "analyzer", None)
    if an is None or an.model is not model:
        an = _tls.analyzer = Analyzer(model)
    return an


def score(text, model=None):
    """Scores of one text with this thread's analyzer; see :meth:`Analyzer.score`."""
    return thread_analyzer(model).score(text)


def analyze(text, model=None, explain=False):
    """The record of one text with this thread's analyzer; see :meth:`Analyzer.analyze`."""
    return thread_analyzer(model).analyze(text, explain)
