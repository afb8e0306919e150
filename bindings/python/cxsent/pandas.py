"""pandas helpers: analyze a column of texts; summarise the results by group.

    import cxsent.pandas as cxp
    res = cxp.analyze(df, text_col="text", keep=["brand"])
    s = cxp.summary(res, by="brand")      # s.overview, s.themes, s.waits

The summary is built in two steps so it can be computed in pieces: :func:`sums` gives counts
and sums only (mergeable: :func:`merge` of the sums of parts equals the sums of the whole), and
:func:`finish` turns merged sums into shares, rates, net sentiment and medians.
``cxsent.dask.summary`` is these same functions over the partitions of a Dask DataFrame.
"""

import contextlib
import datetime
import gc
import math
import re
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._core import INTENTS, thread_analyzer

#: Result columns of :func:`analyze` and their dtypes, in order.
COLUMNS = {"compound": "float64", "pos": "float64", "neu": "float64", "neg": "float64",
           "label": "object", "themes": "object", "intents": "object", "waits": "object",
           **{f"intent_{i}": "bool" for i in INTENTS},
           "wait_seconds_max": "float64", "wait_breach": "bool"}


@contextlib.contextmanager
def _gc_paused():
    """Pause Python's cyclic garbage collector while rows are built. Each row makes a few
    lists and dicts that live on, so the collector runs again and again over all of them:
    3.6x the time of analyze() at 100 000 rows, and more as frames grow. Nothing made here
    forms a cycle. If the collector was already off, it stays off."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _missing(text):
    return not isinstance(text, (str, bytes)) and pd.isna(text)


def _row(an, text):
    """One text's values, in the order of COLUMNS."""
    if _missing(text):
        nan = math.nan
        return (nan, nan, nan, nan, None, [], [], []) + (False,) * len(INTENTS) + (nan, False)
    rec = an.analyze(text)
    s, intents, waits = rec["sentiment"], rec["intents"], rec["waits"]
    return ((s["compound"], s["pos"], s["neu"], s["neg"], s["label"],
             rec["themes"], intents, waits)
            + tuple(i in intents for i in INTENTS)
            + (float(max((w["seconds"] for w in waits), default=math.nan)),
               any(w["breach"] for w in waits)))


def analyze(data, text_col="text", id_col=None, model=None, keep=()):
    """Analyze every text of a DataFrame column (or of a Series).

    :param data: a DataFrame with a ``text_col`` column, or a Series of texts (str or bytes;
        missing values give NaN scores, a None label and no facts)
    :param id_col: a column copied to the output first (DataFrame input only)
    :param model: a :class:`cxsent.Model`; None means the default model
    :param keep: more columns copied to the output (e.g. ``["brand"]`` for :func:`summary`)
    :return: a DataFrame with the input's index and row order: ``id_col`` and ``keep``, then
        compound, pos, neu, neg, label, themes (list of dicts), intents (list of names), waits
        (list of dicts) as in :meth:`cxsent.Analyzer.analyze`, and the flat columns
        ``intent_complaint`` ... ``intent_recommend`` (bool), ``wait_seconds_max`` (float, NaN
        when no wait is stated) and ``wait_breach`` (any wait over its channel's standard).

    Texts are analysed with this thread's analyzer (one per thread, see
    :func:`cxsent.thread_analyzer`).
    """
    if isinstance(data, pd.Series):
        if id_col is not None or keep:
            raise TypeError("id_col and keep need a DataFrame")
        texts, out = data, pd.DataFrame(index=data.index)
    else:
        texts = data[text_col]
        out = data[([] if id_col is None else [id_col]) + list(keep)].copy()
    an = thread_analyzer(model) if len(texts) else None
    with _gc_paused():
        values = list(zip(*(_row(an, t) for t in texts))) or [()] * len(COLUMNS)
        for (name, dtype), column in zip(COLUMNS.items(), values):
            out[name] = pd.Series(list(column), index=texts.index, dtype=dtype)
    return out


# ---- summary: sums first, ratios last -----------------------------------------------------

class Sums(NamedTuple):
    """Mergeable counts and sums of analysed texts (see :func:`sums`)."""
    texts: pd.DataFrame   # by group: n, positive, neutral, negative, compound_sum, <intent>...
    themes: pd.DataFrame  # by (group, theme): texts, positive, ..., score_sum, baseline, ...
    waits: pd.DataFrame   # by (group, channel, seconds): count, breaches


class Summary(NamedTuple):
    """Per-group report (see :func:`finish`)."""
    overview: pd.DataFrame
    themes: pd.DataFrame
    waits: pd.DataFrame


_TEXT_SUMS = {"n": "int64", "positive": "int64", "neutral": "int64", "negative": "int64",
              "compound_sum": "float64", **{i: "int64" for i in INTENTS}}
_THEME_SUMS = {"texts": "int64", "positive": "int64", "neutral": "int64", "negative": "int64",
               "score_sum": "float64", "baseline": "int64", "delight": "int64",
               "failure": "int64"}
_WAIT_SUMS = {"count": "int64", "breaches": "int64"}


def _keys(by):
    return [by] if isinstance(by, str) else list(by)


def _frame(rows, index, values):
    """A DataFrame from row tuples (index columns, then value columns of the given dtypes)."""
    df = pd.DataFrame.from_records(rows, columns=index + list(values))
    return df.astype(values).set_index(index)


def _grouped_sum(df, levels, values):
    # the same grouping, dtypes and order for a part, a merge or the whole
    return df.groupby(level=levels, sort=True).sum().astype(values)


def sums(df, by="brand"):
    """Counts and sums per group of a frame made by :func:`analyze` (it needs the ``by``
    column(s), e.g. ``analyze(df, keep=["brand"])``). Rows without a label (missing text) and
    rows whose group is NaN are not counted."""
    keys = _keys(by)
    df = df[df["label"].notna()]
    groups = list(df[keys].itertuples(index=False, name=None))
    label = df["label"].to_numpy()
    rows = [g + (1, lab == "positive", lab == "neutral", lab == "negative", c)
            + tuple(bool(x) for x in flags)
            for g, lab, c, *flags in zip(groups, label, df["compound"],
                                         *(df[f"intent_{i}"] for i in INTENTS))]
    texts = _frame(rows, keys, _TEXT_SUMS)
    rows = [g + (t["theme"], 1, t["polarity"] == "positive", t["polarity"] == "neutral",
                 t["polarity"] == "negative", t["score"], t["level"] == "baseline",
                 t["level"] == "delight", t["level"] == "failure")
            for g, ts in zip(groups, df["themes"]) for t in ts]
    themes = _frame(rows, keys + ["theme"], _THEME_SUMS)
    rows = [g + (w["channel"], w["seconds"], 1, w["breach"])
            for g, ws in zip(groups, df["waits"]) for w in ws]
    waits = _frame(rows, keys + ["channel", "seconds"], _WAIT_SUMS)
    return merge([Sums(texts, themes, waits)])  # one row per key, NaN groups dropped


def merge(parts):
    """The :class:`Sums` of the union of the parts whose sums are given."""
    return Sums(*(_grouped_sum(pd.concat(frames), list(range(frames[0].index.nlevels)), values)
                  for frames, values in zip(zip(*parts), (_TEXT_SUMS, _THEME_SUMS, _WAIT_SUMS))))


def _net(pos, neg):
    """Net sentiment (pos - neg) / (pos + neg) and the half-width of its 95% interval
    (normal approximation, as cxsent-scan --summary); NaN without positive or negative texts."""
    k = (pos + neg).astype("float64").replace(0, np.nan)
    p = pos / k
    return 2 * p - 1, 1.96 * 2 * np.sqrt(p * (1 - p) / k)


def _median(seconds, counts):
    """Median of values given with their counts (the mean of the two middle ones for even n)."""
    order = np.argsort(seconds, kind="stable")
    seconds, cum = seconds[order], np.cumsum(counts[order])
    n = cum[-1]
    lo = seconds[np.searchsorted(cum, (n - 1) // 2, side="right")]
    hi = seconds[np.searchsorted(cum, n // 2, side="right")]
    return (lo + hi) / 2


def finish(s):
    """The report of merged :class:`Sums`, a :class:`Summary` of three DataFrames:

    - ``overview``, by group: n (texts), positive / neutral / negative counts and their shares,
      net_sentiment ((pos - neg) / (pos + neg)) with net_sentiment_ci95 (half-width),
      mean_compound, and per intent its count and ``<intent>_rate`` (share of texts);
    - ``themes``, by (group, theme): texts mentioning it, share (of the group's texts: its share
      of voice, as in cxsent-scan --summary), polarity counts, net_sentiment, mean_score,
      baseline / delight / failure counts;
    - ``waits``, by (group, channel): count of stated waits, median_seconds, breaches and
      breach_rate (share over the channel's standard).
    """
    t = s.texts
    ov = t[["n", "positive", "neutral", "negative"]].copy()
    for lab in ("positive", "neutral", "negative"):
        ov[f"share_{lab}"] = t[lab] / t["n"]
    ov["net_sentiment"], ov["net_sentiment_ci95"] = _net(t["positive"], t["negative"])
    ov["mean_compound"] = t["compound_sum"] / t["n"]
    for i in INTENTS:
        ov[i] = t[i]
        ov[f"{i}_rate"] = t[i] / t["n"]

    th = s.themes[["texts"]].copy()
    group_n = t["n"].reindex(s.themes.index.droplevel(-1)).to_numpy()
    th["share"] = th["texts"] / group_n
    for col in ("positive", "neutral", "negative"):
        th[col] = s.themes[col]
    th["net_sentiment"], _ = _net(s.themes["positive"], s.themes["negative"])
    th["mean_score"] = s.themes["score_sum"] / s.themes["texts"]
    for col in ("baseline", "delight", "failure"):
        th[col] = s.themes[col]

    w = s.waits
    levels = w.index.names[:-1]
    rows = []
    if len(w):
        for key, g in w.groupby(level=list(range(len(levels))), sort=True):
            n, b = int(g["count"].sum()), int(g["breaches"].sum())
            med = _median(g.index.get_level_values(-1).to_numpy(dtype="float64"),
                          g["count"].to_numpy())
            rows.append(tuple(key) + (n, float(med), b, b / n))
    waits = _frame(rows, list(levels), {"count": "int64", "median_seconds": "float64",
                                        "breaches": "int64", "breach_rate": "float64"})
    return Summary(ov, th, waits)


def summary(df, by="brand"):
    """Per-group report of a frame made by :func:`analyze`: ``finish(sums(df, by))``.
    See :func:`finish` for the columns."""
    return finish(sums(df, by))


# The period keys of cxsent-scan --period: the same kinds, the same keys.
PERIODS = ("day", "week", "month", "quarter", "year")


def _period_key(ts, period):
    if period == "day":
        return ts.strftime("%Y-%m-%d")
    if period == "week":
        year, week, _ = ts.isocalendar()  # the ISO week: a year of the week's Thursday
        return f"{year:04d}-W{week:02d}"
    if period == "quarter":
        return f"{ts.year:04d}-Q{(ts.month - 1) // 3 + 1}"
    if period == "year":
        return f"{ts.year:04d}"
    return ts.strftime("%Y-%m")


# A string that begins with a date, as cxsent-scan reads its time field: "2026-03-14T08:00Z".
_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def _period_of(value, period="month"):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    # datetime.datetime and datetime.date too: an object column keeps them as they are (mixed
    # time zones, dates), and str() of one is no month
    if isinstance(value, (datetime.date, np.datetime64)):
        return _period_key(pd.Timestamp(value), period)
    value = str(value)
    # a date string (a CSV column read without parse_dates) is read as cxsent-scan reads one,
    # as written, with no time-zone conversion; its first 15 bytes would make a period per
    # minute. A day or week needs the day; an impossible date is no period.
    m = _DATE.match(value)
    if not m:
        return value
    if m.group(3) is None and period in ("day", "week"):
        return None
    try:
        day = datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        return None
    return _period_key(day, period)


def narrative(data, text_col="text", group_col=None, period_col=None, id_col=None,
              rating_col=None, rating_max=5.0, model=None, period="month"):
    """A :class:`cxsent.Narrative` of every text of a DataFrame: the C library's mergeable
    narrative (see README "Narrative JSON"), per group and period.

    :param group_col: the column of group keys (a brand, say); None puts every row in ""
    :param period_col: the column of periods: datetimes, and strings that begin with a date
        ("2026-03-14T08:00:00Z", "2026-03"; taken as written, as cxsent-scan does), become
        keys of ``period``; other values are used as they are (give sortable keys); missing
        values and impossible dates are no period
    :param period: what a datetime's period is, with cxsent-scan's keys: "day"
        ("2026-03-14"), "week" (ISO, "2026-W11"), "month" ("2026-03"), "quarter"
        ("2026-Q1") or "year" ("2026")
    :param id_col: ids shown with the verbatims
    :param rating_col: the writer's ratings; a number within 0..``rating_max`` counts,
        anything else is no rating
    :param model: a :class:`cxsent.Model`; None means the default model

    Missing texts are skipped. Rows are added in order with this thread's analyzer.
    """
    from ._narrative import Narrative

    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")

    nar = Narrative(model)
    an = thread_analyzer(model)
    n = len(data)

    def col(name):
        return [None] * n if name is None else list(data[name])

    groups, periods, ids, ratings = col(group_col), col(period_col), col(id_col), col(rating_col)
    for i, text in enumerate(data[text_col]):
        if _missing(text):
            continue
        r = ratings[i]
        ok = isinstance(r, (int, float, np.integer, np.floating)) and not isinstance(r, bool) \
            and not pd.isna(r) and 0 <= float(r) <= rating_max
        g = groups[i]
        nar.add(text, group=None if g is None or (not isinstance(g, str) and pd.isna(g)) else g,
                period=_period_of(periods[i], period),
                id=None if ids[i] is None or (not isinstance(ids[i], str) and pd.isna(ids[i]))
                else ids[i],
                rating=float(r) if ok else None, rating_max=rating_max, analyzer=an)
    return nar
