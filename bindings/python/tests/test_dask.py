"""cxsent.dask: the same results as cxsent.pandas on the same rows in 3 partitions."""

import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")

import dask  # noqa: E402

import cxsent  # noqa: E402
import cxsent.dask as cxd  # noqa: E402
import cxsent.pandas as cxp  # noqa: E402


@pytest.fixture
def frame(texts):
    n = len(texts) * 2
    return pd.DataFrame({"id": range(n), "brand": ["A", "B", "C"] * (n // 3),
                         "text": texts + texts[::-1]}, index=range(100, 100 + n))


def test_dask_analyze_equals_pandas_analyze(frame):
    ddf = dd.from_pandas(frame, npartitions=3)
    assert ddf.npartitions == 3
    lazy = cxd.analyze(ddf, id_col="id", keep=["brand"])
    expected = cxp.analyze(frame, id_col="id", keep=["brand"])
    assert lazy._meta.dtypes.equals(expected.dtypes)  # the meta given matches the result
    pd.testing.assert_frame_equal(lazy.compute(scheduler="threads"), expected)


def test_dask_summary_equals_pandas_summary(frame):
    ddf = dd.from_pandas(frame, npartitions=3)
    got = cxd.summary(cxd.analyze(ddf, keep=["brand"]), by="brand")
    expected = cxp.summary(cxp.analyze(frame, keep=["brand"]), by="brand")
    for a, b in zip(got, expected):
        pd.testing.assert_frame_equal(a, b)


def test_worker_processes_get_a_merged_model(frame):
    """With the processes scheduler the model travels as its recipe to each worker."""
    model = cxsent.Model.default().merge(text="@section lexicon\ngreat\t-3.0\n")
    ddf = dd.from_pandas(frame, npartitions=3)
    got = cxd.analyze(ddf, model=model).compute(scheduler="processes", num_workers=2)
    pd.testing.assert_frame_equal(got, cxp.analyze(frame, model=model))
    default = cxp.analyze(frame)
    assert got.at[100, "compound"] < default.at[100, "compound"]  # "Great service, ..."


@pytest.mark.parametrize("scheduler", ["threads", "processes"])
def test_dask_narrative_equals_pandas_narrative(frame, scheduler):
    frame = frame.assign(month=["2026-01", "2026-02"] * (len(frame) // 2),
                         stars=[5, 1, 3, None] * (len(frame) // 4))
    ddf = dd.from_pandas(frame, npartitions=3)
    kwargs = dict(group_col="brand", period_col="month", id_col="id", rating_col="stars")
    with dask.config.set(scheduler=scheduler):
        got = cxd.narrative(ddf, **kwargs)
    expected = cxp.narrative(frame, **kwargs)
    assert got.to_json() == expected.to_json()
    d = expected.to_dict()
    assert [g["group"] for g in d["groups"]] == ["A", "B", "C"]
    assert sum(g["sentiment"]["texts"] for g in d["groups"]) == len(frame)
    assert all([p["period"] for p in g["periods"]] == ["2026-01", "2026-02"]
               for g in d["groups"])
