"""ctypes declarations of include/cxsent.h: the library, its structs and its functions.

Only this module knows the C ABI. The structs mirror the header field by field, in order.
"""

import ctypes
import ctypes.util
import os
from ctypes import (POINTER, Structure, c_char, c_char_p, c_double, c_int, c_size_t, c_uint,
                    c_void_p)


def _find_library():
    """Path of libcxsent: $CXSENT_LIBRARY, else what the system loader would find."""
    path = os.environ.get("CXSENT_LIBRARY")
    if path:
        return path
    path = ctypes.util.find_library("cxsent")
    if path:
        return path
    raise ImportError(
        "cxsent: libcxsent not found. Install the library (cmake --install) or set "
        "CXSENT_LIBRARY to the path of libcxsent.so, e.g. "
        "CXSENT_LIBRARY=build/lib/libcxsent.so")


def _load():
    path = _find_library()
    try:
        return ctypes.CDLL(path)
    except OSError as e:
        raise ImportError(f"cxsent: cannot load libcxsent from {path!r}: {e}") from e


lib = _load()


# ---- structs (layout as in cxsent.h, field by field) ----------------------------------------

class cxs_error(Structure):
    _fields_ = [("code", c_int), ("line", c_size_t), ("column", c_size_t),
                ("offset", c_size_t), ("source", c_char * 64), ("message", c_char * 192)]


class cxs_scores(Structure):
    _fields_ = [("pos", c_double), ("neu", c_double), ("neg", c_double),
                ("compound", c_double)]


class cxs_term(Structure):
    _fields_ = [("start", c_size_t), ("end", c_size_t), ("sentence", c_size_t),
                ("valence", c_double), ("score", c_double), ("rules", c_uint)]


class cxs_theme(Structure):
    _fields_ = [("theme", c_char_p), ("score", c_double), ("polarity", c_int),
                ("level", c_int), ("n_spans", c_size_t)]


class cxs_wait(Structure):
    _fields_ = [("start", c_size_t), ("end", c_size_t), ("seconds", c_double),
                ("channel", c_int), ("breach", c_int)]


class cxs_record_info(Structure):
    _fields_ = [("group", c_char_p), ("period", c_char_p), ("id", c_char_p),
                ("text", c_char_p), ("len", c_size_t), ("rating", c_double),
                ("rating_max", c_double)]


class cxs_net_stats(Structure):
    _fields_ = [("texts", c_size_t), ("positive", c_size_t), ("neutral", c_size_t),
                ("negative", c_size_t), ("mean_score", c_double), ("net", c_double),
                ("net_low", c_double), ("net_high", c_double), ("few", c_int)]


# ---- constants (pinned values of the header's enums) ----------------------------------------

CXS_OK = 0
CXS_PARAM_POS_THRESHOLD = 1
CXS_PARAM_NEG_THRESHOLD = 2
CXS_PARAM_STRICT_UTF8 = 3
CXS_JSON_EXPLAIN = 1
CXS_NARRATIVE_NO_VERBATIMS = 1

#: cxs_count values by the name Model.counts() uses.
COUNTS = {"lexicon": 1, "words": 2, "phrases": 3, "emoji": 4, "emoticons": 5, "negators": 6,
          "boosters": 7, "contrastives": 8, "irrealis": 9, "sarcasm": 10, "markers": 11,
          "theme_terms": 12, "channel_terms": 13, "intent_terms": 14, "level_cues": 15,
          "patterns": 16}

# Opaque handles are plain void pointers.
model_p = c_void_p
analyzer_p = c_void_p
result_p = c_void_p
narrative_p = c_void_p
err_p = POINTER(cxs_error)
size_p = POINTER(c_size_t)


def _declare(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)


_declare("cxs_version", c_uint)
_declare("cxs_version_string", c_char_p)
_declare("cxs_unicode_version", c_char_p)
_declare("cxs_strerror", c_char_p, c_int)
_declare("cxs_label_name", c_char_p, c_int)
_declare("cxs_level_name", c_char_p, c_int)
_declare("cxs_intent_name", c_char_p, c_uint)
_declare("cxs_channel_name", c_char_p, c_int)
_declare("cxs_rule_name", c_char_p, c_uint)

# models (the allocator argument is always NULL: malloc/free)
_declare("cxs_model_load", c_int, POINTER(model_p), c_char_p, c_void_p, err_p)
_declare("cxs_model_load_buffer", c_int, POINTER(model_p), c_char_p, c_size_t, c_char_p,
         c_void_p, err_p)
_declare("cxs_model_load_default", c_int, POINTER(model_p), c_void_p, err_p)
_declare("cxs_model_merge", c_int, POINTER(model_p), model_p, c_char_p, err_p)
_declare("cxs_model_merge_buffer", c_int, POINTER(model_p), model_p, c_char_p, c_size_t,
         c_char_p, err_p)
_declare("cxs_model_free", None, model_p)
_declare("cxs_model_count", c_size_t, model_p, c_int)
_declare("cxs_model_theme_count", c_size_t, model_p)
_declare("cxs_model_theme_name", c_char_p, model_p, c_size_t)
_declare("cxs_model_lookup", c_int, POINTER(c_double), model_p, c_char_p, c_size_t)

# analyzers
_declare("cxs_analyzer_new", c_int, POINTER(analyzer_p), model_p, err_p)
_declare("cxs_analyzer_set", c_int, analyzer_p, c_int, c_double)
_declare("cxs_analyzer_get", c_int, POINTER(c_double), analyzer_p, c_int)
_declare("cxs_analyzer_score", c_int, POINTER(cxs_scores), POINTER(c_int), analyzer_p,
         c_char_p, c_size_t, err_p)
_declare("cxs_analyzer_free", None, analyzer_p)

# results
_declare("cxs_result_new", c_int, POINTER(result_p), model_p, err_p)
_declare("cxs_analyze", c_int, result_p, analyzer_p, c_char_p, c_size_t, err_p)
_declare("cxs_result_scores", POINTER(cxs_scores), result_p)
_declare("cxs_result_label", c_int, result_p)
_declare("cxs_result_term_count", c_size_t, result_p)
_declare("cxs_result_term", c_int, POINTER(cxs_term), result_p, c_size_t)
_declare("cxs_result_sentence_count", c_size_t, result_p)
_declare("cxs_result_theme_count", c_size_t, result_p)
_declare("cxs_result_theme", c_int, POINTER(cxs_theme), result_p, c_size_t)
_declare("cxs_result_theme_span", c_int, size_p, size_p, result_p, c_size_t, c_size_t)
_declare("cxs_result_intents", c_uint, result_p)
_declare("cxs_result_wait_count", c_size_t, result_p)
_declare("cxs_result_wait", c_int, POINTER(cxs_wait), result_p, c_size_t)
_declare("cxs_result_to_json", c_size_t, result_p, c_uint, POINTER(c_char), c_size_t)
_declare("cxs_result_free", None, result_p)

# narratives
_declare("cxs_narrative_new", c_int, POINTER(narrative_p), model_p, err_p)
_declare("cxs_narrative_add", c_int, narrative_p, result_p, POINTER(cxs_record_info), err_p)
_declare("cxs_narrative_merge", c_int, narrative_p, narrative_p, err_p)
_declare("cxs_narrative_group_count", c_size_t, narrative_p)
_declare("cxs_narrative_group_name", c_char_p, narrative_p, c_size_t)
_declare("cxs_narrative_group", c_int, POINTER(cxs_net_stats), narrative_p, c_size_t)
_declare("cxs_narrative_to_json", c_size_t, narrative_p, c_uint, POINTER(c_char), c_size_t)
_declare("cxs_narrative_save", c_size_t, narrative_p, POINTER(c_char), c_size_t)
_declare("cxs_narrative_load", c_int, POINTER(narrative_p), model_p, c_char_p, c_size_t, err_p)
_declare("cxs_narrative_free", None, narrative_p)


def sized(fn, *args):
    """The bytes a snprintf-style C function writes (cxs_result_to_json, cxs_narrative_save,
    ...): ``fn(*args, buf, cap)`` returns the full length; asked once for it, then filled."""
    n = fn(*args, None, 0)
    buf = ctypes.create_string_buffer(n + 1)
    fn(*args, buf, n + 1)
    return buf.raw[:n]


def name(fn, value):
    """A static name string from the library (cxs_label_name(...) etc.) as str."""
    return fn(value).decode("ascii")
