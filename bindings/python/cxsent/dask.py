"""Dask helpers: the pandas helpers of :mod:`cxsent.pandas`, partition by partition.

    import cxsent.dask as cxd
    res = cxd.analyze(ddf, text_col="text", keep=["brand"])   # lazy dask DataFrame
    s = cxd.summary(res, by="brand")                           # computed Summary
    nar = cxd.narrative(ddf, group_col="brand", period_col="created_at")   # cxsent.Narrative

Each worker process loads the model once, on first use (a :class:`cxsent.Model` is sent to
workers as the recipe that built it; the default model needs nothing), and each worker thread
keeps its own analyzer.
"""

import dask

from . import pandas as _pd


def analyze(ddf, text_col="text", id_col=None, model=None, keep=()):
    """:func:`cxsent.pandas.analyze` over every partition of a Dask DataFrame (or Series).

    Lazy: returns a Dask DataFrame with the same partitions and index, whose columns are those
    of the pandas version (the metadata is given explicitly, so nothing is computed to infer
    it).
    """
    # analyze() of an empty frame gives the exact columns and dtypes without loading a model
    meta = _pd.analyze(ddf._meta, text_col=text_col, id_col=id_col, keep=keep)
    return ddf.map_partitions(_pd.analyze, text_col=text_col, id_col=id_col, model=model,
                              keep=keep, meta=meta)


def summary(ddf, by="brand", compute=True):
    """:func:`cxsent.pandas.summary` of a Dask DataFrame made by :func:`analyze`: the sums of
    each partition (:func:`cxsent.pandas.sums`) are merged, then finished. Equal to the pandas
    summary of the same rows.

    :param compute: False returns a ``dask.delayed`` object instead of the
        :class:`cxsent.pandas.Summary`
    """
    parts = [dask.delayed(_pd.sums)(part, by) for part in ddf.to_delayed()]
    result = dask.delayed(_pd.finish)(dask.delayed(_pd.merge)(parts))
    return result.compute() if compute else result


def _state(part, kwargs):
    return _pd.narrative(part, **kwargs).to_state()


def _merged(states, model):
    from ._narrative import Narrative

    nar = Narrative(model)
    for st in states:
        nar.merge(Narrative.from_state(st, model))
    return nar


def narrative(ddf, text_col="text", group_col=None, period_col=None, id_col=None,
              rating_col=None, rating_max=5.0, model=None, period="month", compute=True):
    """:func:`cxsent.pandas.narrative` of a Dask DataFrame: each partition builds its own
    narrative and sends back its state (bytes), and the states are merged. Equal to the
    pandas narrative of the same rows (a narrative's merge is exact), on any scheduler.

    :param compute: False returns a ``dask.delayed`` object instead of the
        :class:`cxsent.Narrative`
    """
    kwargs = dict(text_col=text_col, group_col=group_col, period_col=period_col,
                  id_col=id_col, rating_col=rating_col, rating_max=rating_max, model=model,
                  period=period)
    parts = [dask.delayed(_state)(part, kwargs) for part in ddf.to_delayed()]
    result = dask.delayed(_merged)(parts, model)
    return result.compute() if compute else result


__all__ = ["analyze", "narrative", "summary"]
