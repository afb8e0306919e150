"""cxsent.pandas: analyze a frame; summary numbers on a hand-made frame."""

import math

import numpy as np
import pandas as pd
import pytest

import cxsent
import cxsent.pandas as cxp
from conftest import WAIT_TEXT


def test_analyze_keeps_index_row_order_and_columns(texts):
    index = [30, 10, 20, 5]
    df = pd.DataFrame({"id": ["c", "a", "b", "d"], "brand": ["x", "y", "x", "y"],
                       "text": [texts[0], WAIT_TEXT, texts[2], texts[4]]}, index=index)
    out = cxp.analyze(df, id_col="id", keep=["brand"])
    assert list(out.index) == index
    assert list(out.columns) == ["id", "brand"] + list(cxp.COLUMNS)
    assert out.dtypes[list(cxp.COLUMNS)].astype(str).to_dict() == cxp.COLUMNS
    assert list(out["id"]) == ["c", "a", "b", "d"]
    for i, text in zip(index, df["text"]):
        s = cxsent.score(text)
        assert (out.at[i, "compound"], out.at[i, "label"]) == (s.compound, s.label)
    row = out.loc[10]  # the wait complaint
    assert row["intent_complaint"] and row["intent_churn"] and not row["intent_recommend"]
    assert row["wait_seconds_max"] == 2700.0 and row["wait_breach"]
    assert row["waits"] == cxsent.analyze(WAIT_TEXT)["waits"]
    assert math.isnan(out.at[30, "wait_seconds_max"]) and not out.at[30, "wait_breach"]


def test_analyze_a_series_with_missing_texts():
    s = pd.Series(["Great!", None, np.nan, b"awful \xff"], index=list("abcd"), name="text")
    out = cxp.analyze(s)
    assert list(out.index) == list("abcd")
    assert out.at["a", "label"] == "positive" and out.at["d", "label"] == "negative"
    for k in "bc":
        assert math.isnan(out.at[k, "compound"]) and out.at[k, "label"] is None
        assert out.at[k, "themes"] == [] and not out.at[k, "intent_complaint"]
    with pytest.raises(TypeError):
        cxp.analyze(s, keep=["brand"])


def test_analyze_an_empty_frame_has_the_columns_and_dtypes():
    out = cxp.analyze(pd.DataFrame({"text": pd.Series([], dtype=object)}))
    assert len(out) == 0
    assert out.dtypes.astype(str).to_dict() == cxp.COLUMNS


def _theme(name, polarity, score, level):
    return {"theme": name, "polarity": polarity, "score": score, "level": level,
            "spans": [[0, 1]]}


def _wait(channel, seconds, breach):
    return {"channel": channel, "seconds": seconds, "span": [0, 1], "breach": breach}


@pytest.fixture
def analysed():
    """An analysed frame made by hand, so every summary number can be checked by hand."""
    rows = [  # brand, label, compound, themes, intents, waits
        ("A", "positive", 0.6, [_theme("service", "positive", 0.5, "delight")],
         ["recommend"], []),
        ("A", "negative", -0.8, [_theme("service", "negative", -0.6, "failure"),
                                 _theme("price", "negative", -0.4, "failure")],
         ["complaint", "churn"], [_wait("phone", 2700, True), _wait("phone", 600, True)]),
        ("A", "negative", -0.2, [], ["complaint"], [_wait("phone", 30, False)]),
        ("A", "positive", 0.4, [_theme("service", "positive", 0.3, "baseline")], [],
         [_wait("email", 7200, False)]),
        ("B", "neutral", 0.0, [_theme("price", "neutral", 0.0, "baseline")], [],
         [_wait("chat", 60, False), _wait("chat", 120, True)]),
        ("B", None, math.nan, [], [], []),  # a missing text: not counted
    ]
    df = pd.DataFrame(rows, columns=["brand", "label", "compound", "themes", "intents",
                                     "waits"])
    for i in cxsent.INTENTS:
        df[f"intent_{i}"] = [i in x for x in df["intents"]]
    return df


def test_summary_overview_numbers(analysed):
    ov = cxp.summary(analysed, by="brand").overview
    a, b = ov.loc["A"], ov.loc["B"]
    assert (a["n"], a["positive"], a["neutral"], a["negative"]) == (4, 2, 0, 2)
    assert a["share_positive"] == 0.5 and a["share_negative"] == 0.5
    assert a["net_sentiment"] == 0.0
    assert a["net_sentiment_ci95"] == pytest.approx(0.98)  # 1.96 * 2 * sqrt(.5 * .5 / 4)
    assert a["mean_compound"] == pytest.approx(0.0)
    assert (a["complaint"], a["complaint_rate"]) == (2, 0.5)
    assert (a["churn_rate"], a["recommend_rate"], a["return_rate"]) == (0.25, 0.25, 0.0)
    assert (b["n"], b["neutral"], b["share_neutral"]) == (1, 1, 1.0)
    assert math.isnan(b["net_sentiment"])  # no positive or negative text


def test_summary_theme_numbers(analysed):
    th = cxp.summary(analysed, by="brand").themes
    assert list(th.index) == [("A", "price"), ("A", "service"), ("B", "price")]
    s = th.loc[("A", "service")]
    assert (s["texts"], s["share"], s["positive"], s["negative"]) == (3, 0.75, 2, 1)
    assert s["net_sentiment"] == pytest.approx(1 / 3)
    assert s["mean_score"] == pytest.approx(0.2 / 3)
    assert (s["baseline"], s["delight"], s["failure"]) == (1, 1, 1)
    p = th.loc[("A", "price")]
    assert (p["texts"], p["share"], p["net_sentiment"], p["failure"]) == (1, 0.25, -1.0, 1)
    assert th.loc[("B", "price"), "share"] == 1.0


def test_summary_wait_numbers(analysed):
    w = cxp.summary(analysed, by="brand").waits
    assert list(w.index) == [("A", "email"), ("A", "phone"), ("B", "chat")]
    phone = w.loc[("A", "phone")]
    assert (phone["count"], phone["median_seconds"], phone["breaches"]) == (3, 600.0, 2)
    assert phone["breach_rate"] == pytest.approx(2 / 3)
    chat = w.loc[("B", "chat")]  # even count: the mean of the two middle waits
    assert (chat["count"], chat["median_seconds"], chat["breach_rate"]) == (2, 90.0, 0.5)


def test_sums_of_parts_merge_to_the_sums_of_the_whole(analysed):
    whole = cxp.sums(analysed, "brand")
    merged = cxp.merge([cxp.sums(analysed.iloc[:2], "brand"),
                        cxp.sums(analysed.iloc[2:3], "brand"),
                        cxp.sums(analysed.iloc[3:], "brand")])
    for a, b in zip(whole, merged):
        pd.testing.assert_frame_equal(a, b)


def test_summary_by_two_columns_from_real_texts(texts):
    df = pd.DataFrame({"text": texts, "brand": ["A", "B"] * (len(texts) // 2),
                       "source": ["web"] * 6 + ["app"] * (len(texts) - 6)})
    s = cxp.summary(cxp.analyze(df, keep=["brand", "source"]), by=["brand", "source"])
    assert s.overview.index.names == ["brand", "source"]
    assert s.overview["n"].sum() == len(texts)
    assert s.themes.index.names == ["brand", "source", "theme"]
    assert s.waits.index.names == ["brand", "source", "channel"]
    assert s.waits["count"].sum() >= 3


def test_narrative_of_a_frame():
    df = pd.DataFrame({
        "brand": ["A", "A", "B", None, "A"],
        "when": pd.to_datetime(["2026-01-05", "2026-02-10", "2026-01-07", "2026-01-01", None]),
        "stars": [5, 1, "five", 3, 9],
        "text": ["Great service, lovely staff!", WAIT_TEXT, "It was ok", "fine", None],
    })
    nar = cxp.narrative(df, group_col="brand", period_col="when", rating_col="stars")
    d = {g["group"]: g for g in nar.to_dict()["groups"]}
    assert sorted(d) == ["", "A", "B"]  # a missing group is the group ""
    assert d["A"]["sentiment"]["texts"] == 2  # the missing text is skipped
    assert [p["period"] for p in d["A"]["periods"]] == ["2026-01", "2026-02"]
    assert d["A"]["ratings"]["rated"] == 2  # 5 and 1; "five" and 9 are no rating
    assert d["B"]["ratings"]["rated"] == 0
    assert d["A"]["change"]["from"] == "2026-01"


def test_narrative_periods_of_an_object_column_of_datetimes():
    """Python datetimes and dates that pandas keeps in an object column (mixed time zones,
    dates) become months too, like datetime64 values, not their str() cut to 15 bytes."""
    import datetime

    utc, plus2 = datetime.timezone.utc, datetime.timezone(datetime.timedelta(hours=2))
    when = pd.Series([datetime.datetime(2026, 3, 5, 10, 0, tzinfo=utc),
                      datetime.datetime(2026, 3, 6, 11, 0, tzinfo=plus2),
                      datetime.date(2026, 3, 7), datetime.date(2026, 4, 1)], dtype=object)
    df = pd.DataFrame({"text": ["Great coffee", "Awful service", "ok", "fine"], "when": when})
    nar = cxp.narrative(df, period_col="when")
    periods = nar.to_dict()["groups"][0]["periods"]
    assert [(p["period"], p["texts"]) for p in periods] == [("2026-03", 3), ("2026-04", 1)]


@pytest.mark.parametrize("period,keys", [
    ("day", ["2020-12-31", "2021-01-03", "2024-12-30"]),
    ("week", ["2020-W53", "2025-W01"]),  # ISO weeks: the year of their Thursday
    ("quarter", ["2020-Q4", "2021-Q1", "2024-Q4"]),
    ("year", ["2020", "2021", "2024"]),
])
def test_narrative_period_kinds_match_cxsent_scan(period, keys):
    when = pd.to_datetime(["2020-12-31", "2021-01-03", "2024-12-30"])
    df = pd.DataFrame({"text": ["Great coffee", "Awful service", "ok"], "when": when})
    nar = cxp.narrative(df, period_col="when", period=period)
    assert [p["period"] for p in nar.to_dict()["groups"][0]["periods"]] == keys


def test_narrative_period_must_be_known():
    with pytest.raises(ValueError, match="fortnight"):
        cxp.narrative(pd.DataFrame({"text": ["ok"]}), period="fortnight")


def test_analyze_leaves_the_garbage_collector_as_it_found_it():
    """analyze() pauses the cyclic collector while it builds rows (3x faster at 100 000
    rows) and must hand it back in the state it found it, also when a row fails."""
    import gc

    df = pd.DataFrame({"text": ["Great coffee", "Awful service"]})
    assert gc.isenabled()
    cxp.analyze(df)
    assert gc.isenabled()
    gc.disable()
    try:
        cxp.analyze(df)
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(TypeError):
        cxp.analyze(pd.DataFrame({"text": ["fine", 42]}))
    assert gc.isenabled()


def test_narrative_periods_of_date_strings_as_cxsent_scan_reads_them():
    """A CSV read without parse_dates gives strings: they are dates too (as written, no time
    zone conversion), not keys cut to 15 bytes that make a period per minute."""
    when = ["2026-03-14T23:30:00-05:00", "2026-03-02T10:00:00Z", "2026-04-01", "2026-02-30",
            "2026-Q1", None]
    df = pd.DataFrame({"text": ["Great coffee", "Awful service", "ok", "fine", "nice", "bad"],
                       "when": when})
    keys = lambda nar: [(p["period"], p["texts"])
                        for p in nar.to_dict()["groups"][0]["periods"]]
    assert keys(cxp.narrative(df, period_col="when")) == [
        ("2026-03", 2), ("2026-04", 1), ("2026-Q1", 1)]  # "2026-Q1" is the user's own key
    assert keys(cxp.narrative(df, period_col="when", period="week")) == [
        ("2026-Q1", 1), ("2026-W10", 1), ("2026-W11", 1), ("2026-W14", 1)]
