"""Model, Analyzer, errors, records and threads."""

import json
import os
import pickle
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import cxsent
from conftest import WAIT_TEXT

EPARSE, EINVAL, EUTF8 = -4, -2, -5  # cxs_status values (pinned in cxsent.h)


@pytest.fixture(scope="module")
def model():
    return cxsent.Model.default()


# ---- scores ----

@pytest.mark.parametrize("text,sign,label", [
    ("Great service, the staff were lovely and helpful!", 1, "positive"),
    ("Terrible app, rude staff, never again.", -1, "negative"),
    ("I don’t like it", -1, "negative"),
])
def test_clear_texts_have_the_right_sign_and_label(text, sign, label):
    s = cxsent.score(text)
    assert s.compound * sign > 0.3
    assert s.label == label
    assert s.pos + s.neu + s.neg == pytest.approx(1.0)


def test_empty_text_scores_zero():
    assert cxsent.score("") == cxsent.Scores(0.0, 0.0, 0.0, 0.0, "neutral")


def test_thresholds_change_labels(model):
    pos = cxsent.score("It was ok").compound          # mildly positive
    neg = cxsent.score("Kind of disappointing").compound  # mildly negative
    assert 0.05 < pos < 0.9 and -0.9 < neg < -0.05
    strict = cxsent.Analyzer(model, pos_threshold=pos + 0.05, neg_threshold=neg - 0.05)
    assert strict.score("It was ok").label == "neutral"
    assert strict.score("Kind of disappointing").label == "neutral"
    assert strict.analyze("It was ok")["sentiment"]["label"] == "neutral"
    loose = cxsent.Analyzer(model, pos_threshold=pos)  # compound >= threshold is positive
    assert loose.score("It was ok").label == "positive"


def test_out_of_range_threshold_raises(model):
    with pytest.raises(cxsent.CxsentError) as e:
        cxsent.Analyzer(model, pos_threshold=2.0)
    assert e.value.code == EINVAL


def test_fast_path_equals_analyze(model, texts):
    an = cxsent.Analyzer(model)
    for t in texts:
        s, rec = an.score(t), an.analyze(t, explain=True)["sentiment"]
        assert (s.compound, s.pos, s.neu, s.neg, s.label) == (
            rec["compound"], rec["pos"], rec["neu"], rec["neg"], rec["label"])


def test_str_and_utf8_bytes_agree(texts):
    for t in texts:
        assert cxsent.score(t) == cxsent.score(t.encode("utf-8"))


def test_invalid_utf8_is_replaced():
    assert cxsent.score(b"Great service \xff\xfe") == cxsent.score("Great service \ufffd\ufffd")
    rec = cxsent.analyze(b"Great \xff service", explain=True)
    assert rec["sentiment"]["label"] == "positive"
    assert "char_span" not in rec["explain"][0]  # bytes in: byte spans only


def test_strict_utf8_raises_with_offset(model):
    an = cxsent.Analyzer(model, strict_utf8=True)
    with pytest.raises(cxsent.CxsentError) as e:
        an.score(b"Great service \xff")
    assert e.value.code == EUTF8 and e.value.offset == 14
    with pytest.raises(cxsent.CxsentError) as e:
        an.analyze("ok \udcff lone surrogate")  # a str that is not valid Unicode text
    assert e.value.code == EUTF8 and e.value.offset == 3
    assert an.score("fine é").label  # valid text still works on the same analyzer


def test_text_must_be_str_or_bytes():
    with pytest.raises(TypeError):
        cxsent.score(42)


# ---- models ----

def test_model_counts_and_themes(model):
    counts = model.counts()
    assert counts["lexicon"] == counts["words"] + counts["phrases"] + counts["emoji"] + \
        counts["emoticons"]
    assert counts["theme_terms"] > 0 and counts["intent_terms"] > 0
    assert sorted(model.themes()) == sorted(["quality", "service", "price", "convenience",
                                             "communication", "delivery", "policies",
                                             "environment", "brand"])
    assert model.lookup("great") > 0 and model.lookup("GREAT") == model.lookup("great")
    assert model.lookup("zzqx") is None


def test_malformed_model_raises_with_line_and_column():
    with pytest.raises(cxsent.CxsentError) as e:
        cxsent.Model.from_string("@section lexicon\ngood\t2.0\nbad\tx\n", name="mine.model")
    err = e.value
    assert (err.code, err.source, err.line, err.column) == (EPARSE, "mine.model", 3, 5)
    assert err.message and str(err).startswith("mine.model:3:5: ")


def test_missing_model_file_raises(tmp_path):
    with pytest.raises(cxsent.CxsentError) as e:
        cxsent.Model.load(tmp_path / "nope.model")
    assert e.value.code == -3  # CXS_EIO


def test_merge_overrides_a_valence(model, tmp_path):
    merged = model.merge(text="@section lexicon\ngreat\t-3.0\n")
    assert merged.lookup("great") == -3.0
    assert model.lookup("great") > 0  # the base is unchanged
    assert cxsent.Analyzer(merged).score("great").label == "negative"
    assert cxsent.Analyzer(model).score("great").label == "positive"
    path = tmp_path / "override.model"
    path.write_text("@section lexicon\ngreat\tnone\n")
    assert model.merge(path).lookup("great") is None  # "none" removes the entry
    with pytest.raises(TypeError):
        model.merge()


def test_patterns_tag_what_they_match(model):
    # the default model's money pattern: the match's span in bytes and in characters
    text = "Café visit: \u20ac14 for one toast, awful. Ticket #48213 still open."
    rec = cxsent.Analyzer(model).analyze(text)
    price = [t for t in rec["themes"] if t["theme"] == "price"][0]
    assert price["polarity"] == "negative"
    (cs, ce), = [sp for sp in price["char_spans"] if text[sp[0]] == "\u20ac"]
    assert text[cs:ce] == "\u20ac14"
    # a user's pattern, with a theme of its own
    merged = model.merge(text="@section patterns\nticket\\s?#\\d{4,}\ttheme\tcase_numbers\n")
    assert merged.counts()["patterns"] == model.counts()["patterns"] + 1
    assert "case_numbers" in merged.themes() and "case_numbers" not in model.themes()
    themes = {t["theme"] for t in cxsent.Analyzer(merged).analyze(text)["themes"]}
    assert {"price", "case_numbers"} <= themes
    with pytest.raises(cxsent.CxsentError) as e:
        model.merge(text="@section patterns\norder (#\ttheme\tdelivery\n", name="p")
    assert (e.value.source, e.value.line, e.value.column) == ("p", 2, 9)


def test_merge_error_names_the_override(model):
    with pytest.raises(cxsent.CxsentError) as e:
        model.merge(text="@section lexicon\ngreat\n", name="ovr")
    assert (e.value.source, e.value.line) == ("ovr", 2)


def test_model_pickles_as_its_recipe_and_loads_once_per_process(model):
    merged = model.merge(text="@section lexicon\ngreat\t-3.0\n")
    a, b = pickle.loads(pickle.dumps(merged)), pickle.loads(pickle.dumps(merged))
    assert a is b and a is not merged  # one shared copy per process
    assert a.lookup("great") == -3.0


def test_missing_library_gives_a_clear_import_error():
    env = dict(os.environ, CXSENT_LIBRARY="/nonexistent/libcxsent.so")
    r = subprocess.run([sys.executable, "-c", "import cxsent"], env=env,
                       capture_output=True, text=True)
    assert r.returncode != 0
    assert "ImportError" in r.stderr and "/nonexistent/libcxsent.so" in r.stderr


# ---- records ----

def test_cx_facts_of_a_wait_complaint():
    rec = cxsent.analyze(WAIT_TEXT)
    assert list(rec) == ["sentiment", "themes", "intents", "waits"]
    assert rec["sentiment"]["label"] == "negative"
    assert {"complaint", "churn"} <= set(rec["intents"])
    assert rec["themes"]
    for t in rec["themes"]:
        assert list(t) == ["theme", "polarity", "score", "level", "spans", "char_spans"]
        assert t["theme"] in cxsent.default_model().themes()
        assert t["polarity"] in ("positive", "neutral", "negative")
        assert t["level"] in ("baseline", "delight", "failure")
        assert isinstance(t["score"], float) and -1 <= t["score"] <= 1
        assert all(isinstance(x, int) for span in t["spans"] for x in span)
    assert any(t["theme"] == "service" and t["polarity"] == "negative" for t in rec["themes"])
    [wait] = rec["waits"]
    assert list(wait) == ["channel", "seconds", "span", "breach", "char_span"]
    assert (wait["channel"], wait["seconds"], wait["breach"]) == ("phone", 2700, True)
    assert type(wait["seconds"]) is int and type(wait["breach"]) is bool
    assert WAIT_TEXT[slice(*wait["char_span"])] == "45 minutes"


def test_explain_terms_carry_spans_and_rules():
    rec = cxsent.analyze(WAIT_TEXT, explain=True)
    terms = {t["text"]: t for t in rec["explain"]}
    assert "wait" in terms["45 minutes"]["rules"]
    assert "phrase" in terms["Never again"]["rules"]
    for t in rec["explain"]:
        assert list(t) == ["span", "text", "sentence", "valence", "score", "rules", "char_span"]
        assert WAIT_TEXT[slice(*t["span"])] == t["text"]  # ASCII: bytes == characters
    assert terms["Never again"]["sentence"] == 1


def test_char_span_differs_from_byte_span_after_non_ascii():
    text = "Café 😡 awful, waited 2 hours in the queue"
    data = text.encode("utf-8")
    rec = cxsent.analyze(text, explain=True)
    for t in rec["explain"]:
        assert data[slice(*t["span"])].decode("utf-8") == t["text"]
        assert text[slice(*t["char_span"])] == t["text"]
    emoji = next(t for t in rec["explain"] if t["text"] == "😡")
    assert emoji["span"] == [6, 10] and emoji["char_span"] == [5, 6]  # é is 2 bytes, 😡 4
    [wait] = rec["waits"]
    assert text[slice(*wait["char_span"])] == "2 hours"
    assert wait["span"][0] - wait["char_span"][0] == 4  # 1 extra byte for é, 3 for 😡
    for theme in rec["themes"]:
        for span, cspan in zip(theme["spans"], theme["char_spans"]):
            assert data[slice(*span)].decode("utf-8") == text[slice(*cspan)]


def test_char_spans_of_a_long_text_read_it_a_few_times_not_once_per_span():
    """Byte to character offsets read the text about once per list of spans (terms, a
    theme's spans, waits), not from its start for every offset: that made analyze(explain=True)
    of a 900 kB review take two minutes."""
    from cxsent._core import _char_index

    class Counting(bytes):
        read = 0

        def __getitem__(self, k):
            r = bytes.__getitem__(self, k)
            if isinstance(k, slice):
                Counting.read += len(r)
            return r

    text = "Café très bon 😡, staff aimable! " * 2000
    data = Counting(text.encode("utf-8"))
    plain = bytes(data)
    starts = [b for b in range(len(plain) + 1) if b == len(plain) or plain[b] & 0xC0 != 0x80]
    char = _char_index(text, data)
    Counting.read = 0
    assert [char(b) for b in starts] == list(range(len(text) + 1))
    assert [char(b) for b in starts[::7]] == list(range(0, len(text) + 1, 7))  # back to 0
    assert Counting.read <= 4 * len(plain)
    rec = cxsent.analyze(text[:3000], explain=True)
    for t in rec["explain"]:
        assert text[slice(*t["char_span"])] == t["text"]


def _close(a, b):
    """a equals b, keys in the same order, numbers to the C JSON's 4 decimals."""
    if isinstance(a, dict):
        return list(a) == list(b) and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return abs(a - b) <= 0.00005 + 1e-12
    return a == b


def test_record_equals_the_c_json(model, texts):
    an = cxsent.Analyzer(model)
    for t in texts + [b"bad \xff bytes, great \xc3"]:
        data = t.encode("utf-8") if isinstance(t, str) else t
        for explain in (False, True):
            c_json = json.loads(cxsent.result_json(an, data, explain=explain))
            assert _close(an.analyze(data, explain=explain), c_json), t


# ---- threads ----

def test_module_helpers_from_threads_equal_sequential(texts):
    corpus = texts * 10
    expected = [cxsent.analyze(t, explain=True) for t in corpus]
    n = 4
    barrier = threading.Barrier(n)
    analyzers = set()

    def work(k):
        barrier.wait()  # all threads alive at once: each must get its own analyzer
        analyzers.add(id(cxsent.thread_analyzer()))
        return [cxsent.analyze(t, explain=True) for t in corpus[k::n]]

    with ThreadPoolExecutor(n) as pool:
        parts = list(pool.map(work, range(n)))
    assert len(analyzers) == n
    for k in range(n):
        assert parts[k] == expected[k::n]


def test_thread_analyzer_is_reused_and_follows_the_model(model):
    a = cxsent.thread_analyzer()
    assert cxsent.thread_analyzer() is a and a.model is cxsent.default_model()
    b = cxsent.thread_analyzer(model)
    assert b is not a and b.model is model


def test_an_analyzer_busy_in_another_thread_is_refused(model):
    an = cxsent.Analyzer(model)
    an._busy.acquire()  # as if another thread were inside score()
    try:
        with pytest.raises(RuntimeError):
            an.score("hello")
    finally:
        an._busy.release()
    assert an.score("hello").label


def test_versions_agree():
    """The package, its pyproject metadata and the loaded library are one version."""
    from pathlib import Path

    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    meta = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    assert meta["project"]["version"] == cxsent.__version__ == cxsent.library_version()
