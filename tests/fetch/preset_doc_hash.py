#!/usr/bin/env python3
"""The first part of cxsent-fetch's state params_hash for a preset document.

usage: preset_doc_hash.py PRESET.json ...

params_hash is FNV-1a 64 over the preset document as jansson dumps it
(JSON_COMPACT | JSON_SORT_KEYS), then "\\n", the request URL, "\\n", the source.
When a built-in preset changes, its old document's value (printed here) goes
into earlier_docs[] in tools/fetch/fetch.c so that states written with it are
still accepted by --resume. The dump is made by libjansson itself (ctypes), so
it is byte for byte what the tool hashes.
"""

import ctypes
import ctypes.util
import sys

FNV_SEED = 14695981039346656037
JSON_COMPACT, JSON_SORT_KEYS = 0x20, 0x80


def fnv1a(data, h=FNV_SEED):
    for c in data:
        h = ((h ^ c) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h


def jansson():
    name = ctypes.util.find_library("jansson") or "libjansson.so.4"
    lib = ctypes.CDLL(name)
    lib.json_loadb.restype = ctypes.c_void_p
    lib.json_loadb.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_size_t, ctypes.c_void_p]
    lib.json_dumps.restype = ctypes.c_void_p
    lib.json_dumps.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    lib.json_delete.argtypes = [ctypes.c_void_p]
    return lib


def doc_hash(text):
    """FNV-1a state after the canonical dump of the preset document text (bytes)."""
    lib = jansson()
    err = ctypes.create_string_buffer(512)  # json_error_t is smaller
    doc = lib.json_loadb(text, len(text), 0, err)
    if not doc:
        raise ValueError("not JSON")
    p = lib.json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS)
    dumped = ctypes.string_at(p)
    libc = ctypes.CDLL(None)
    libc.free.argtypes = [ctypes.c_void_p]
    libc.free(p)
    lib.json_delete(doc)  # the refcount is 1: json_decref would inline this
    return fnv1a(dumped)


def params_hash(doc_state, url, source):
    return "%016x" % fnv1a(b"\n" + url.encode() + b"\n" + source.encode(), doc_state)


if __name__ == "__main__":
    for path in sys.argv[1:]:
        print("0x%016xULL %s" % (doc_hash(open(path, "rb").read()), path))
