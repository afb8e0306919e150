"""cxsent: sentiment and customer-experience facts of customer texts (ctypes bindings of
libcxsent).

    >>> import cxsent
    >>> cxsent.score("Great service, thanks!").label
    'positive'
    >>> rec = cxsent.analyze("Waited 45 minutes on hold. Never again.")
    >>> rec["waits"][0]["seconds"], rec["intents"]
    (2700, ['complaint', 'churn'])

The library is found through $CXSENT_LIBRARY (a path), else the system loader
(ctypes.util.find_library("cxsent")).

Threads: a :class:`Model` may be shared by any number of threads; an :class:`Analyzer` is used
by one thread at a time. The module helpers :func:`score` and :func:`analyze` (and
``cxsent.pandas`` / ``cxsent.dask``) keep one analyzer per thread in a ``threading.local``.
:class:`Narrative` aggregates many texts per brand and period, mergeably.
Optional modules: ``cxsent.pandas`` (needs pandas) and ``cxsent.dask`` (needs dask).
"""

from ._core import (INTENTS, Analyzer, CxsentError, Model, Scores, analyze, default_model,
                    result_json, score, thread_analyzer)
from ._lib import lib as _clib
from ._narrative import Narrative

__all__ = ["INTENTS", "Analyzer", "CxsentError", "Model", "Narrative", "Scores", "analyze",
           "default_model", "result_json", "score", "thread_analyzer", "library_version"]

__version__ = "0.3.0"


def library_version():
    """Version of the libcxsent actually loaded, "MAJOR.MINOR.PATCH"."""
    return _clib.cxs_version_string().decode("ascii")
