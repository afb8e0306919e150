"""Narratives: what customers are saying over many texts (cxs_narrative)."""

import json
import threading
import weakref
from ctypes import byref

from . import _lib
from ._core import Analyzer, _check, _encode, default_model
from ._lib import lib


def _key(value, what):
    if value is None:
        return None
    if isinstance(value, bytes):
        data = value
    else:
        data = str(value).encode("utf-8")
    if b"\0" in data:
        raise ValueError(f"{what} contains a NUL character")
    return data


class Narrative:
    """A mergeable aggregate of many texts, per group (a brand, say) and period.

    ``add`` analyses a text and tallies it; ``merge`` adds another narrative of the same
    model's themes, and the result equals one narrative of both sets of texts, whatever the
    split or order (so parts can be built in threads, processes' partitions, or shards, and
    combined). ``to_dict`` / ``to_json`` give the figures: per group the sentiment split with
    net sentiment and its 95% interval, themes (share of voice, net, levels, verbatims),
    intents, waits per channel (median, p90, breach rate), rating-text disagreements, periods
    and the change between the last two.

    A narrative is used by one thread at a time. It pickles as its state
    (:meth:`to_state`, the C library's cxs_narrative_save bytes) and its model's recipe, so
    narratives built by worker processes can be sent back and merged
    (``cxsent.dask.narrative`` does exactly that).

    :param model: a :class:`cxsent.Model`; None means the shared default model
    """

    def __init__(self, model=None, *, _state=None):
        self.model = default_model() if model is None else model
        h, err = _lib.narrative_p(), _lib.cxs_error()
        if _state is None:
            _check(lib.cxs_narrative_new(byref(h), self.model._handle, byref(err)), err)
        else:
            _check(lib.cxs_narrative_load(byref(h), self.model._handle, _state, len(_state),
                                          byref(err)), err)
        self._h = h.value
        self._finalizer = weakref.finalize(self, _free, self._h, self.model)
        self._busy = threading.Lock()
        self._analyzer = None

    def _enter(self):
        if not self._busy.acquire(blocking=False):
            raise RuntimeError("cxsent.Narrative used by two threads at once")

    def add(self, text, *, group=None, period=None, id=None, rating=None, rating_max=5.0,
            analyzer=None):
        """Analyse ``text`` (str or UTF-8 bytes) and add it to ``group`` and ``period``.

        :param group: brand or other group key (None: the group "")
        :param period: a sortable period key such as "2026-03" (None: no period)
        :param id: the record's id, shown with its verbatims
        :param rating: the writer's own rating within 0..``rating_max`` (None: no rating)
        :param analyzer: an :class:`Analyzer` of the same model to use (default: one the
            narrative keeps)
        """
        data, _ = _encode(text)
        if analyzer is None:
            if self._analyzer is None:
                self._analyzer = Analyzer(self.model)
            analyzer = self._analyzer
        info = _lib.cxs_record_info()
        info.group = _key(group, "group")
        info.period = _key(period, "period")
        info.id = _key(id, "id")
        info.text = data
        info.len = len(data)
        if rating is not None:
            info.rating = float(rating)
            info.rating_max = float(rating_max)
        err = _lib.cxs_error()
        self._enter()
        try:
            analyzer._enter()
            try:
                _check(lib.cxs_analyze(analyzer._res, analyzer._an, data, len(data),
                                       byref(err)), err)
                _check(lib.cxs_narrative_add(self._h, analyzer._res, byref(info), byref(err)),
                       err)
            finally:
                analyzer._busy.release()
        finally:
            self._busy.release()
        return self

    def merge(self, other):
        """Add ``other`` (unchanged) into this narrative; returns self."""
        if not isinstance(other, Narrative):
            raise TypeError("merge() takes a cxsent.Narrative")
        err = _lib.cxs_error()
        self._enter()
        try:
            if other is self:  # the library refuses it (CXS_EINVAL)
                _check(lib.cxs_narrative_merge(self._h, other._h, byref(err)), err)
            other._enter()  # read here: no other thread may change it meanwhile
            try:
                _check(lib.cxs_narrative_merge(self._h, other._h, byref(err)), err)
            finally:
                other._busy.release()
        finally:
            self._busy.release()
        return self

    @property
    def groups(self):
        """Group keys, in byte order."""
        self._enter()
        try:
            return [lib.cxs_narrative_group_name(self._h, g).decode("utf-8", "replace")
                    for g in range(lib.cxs_narrative_group_count(self._h))]
        finally:
            self._busy.release()

    def to_json(self, verbatims=True):
        """The C library's JSON (cxs_narrative_to_json) as a str."""
        flags = 0 if verbatims else _lib.CXS_NARRATIVE_NO_VERBATIMS
        self._enter()
        try:
            out = _lib.sized(lib.cxs_narrative_to_json, self._h, flags)
        finally:
            self._busy.release()
        return out.decode("utf-8")

    def to_dict(self, verbatims=True):
        """The narrative as a dict: {"groups": [...]}, as :meth:`to_json` parsed."""
        return json.loads(self.to_json(verbatims))

    def to_state(self):
        """The narrative's state as bytes (cxs_narrative_save): :meth:`from_state` of them,
        in any process with the same model, gives an equal narrative."""
        self._enter()
        try:
            return _lib.sized(lib.cxs_narrative_save, self._h)
        finally:
            self._busy.release()

    @classmethod
    def from_state(cls, state, model=None):
        """A narrative from :meth:`to_state` bytes; raises :class:`cxsent.CxsentError`
        (code -4, with line and column) for damaged bytes, -2 for another model's themes."""
        if not isinstance(state, (bytes, bytearray)):
            raise TypeError("from_state() takes bytes")
        return cls(model, _state=bytes(state))

    def __reduce__(self):
        return (_from_state, (self.to_state(), self.model))


def _from_state(state, model):
    return Narrative.from_state(state, model)


def _free(handle, model):
    lib.cxs_narrative_free(handle)
