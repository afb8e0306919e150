/*
 * json.h — the hand-written JSON writer shared by results (result.c) and narratives
 * (narrative.c). It writes into a caller's buffer with snprintf semantics: it counts every
 * byte, stores what fits, and the caller learns the full length. Numbers go through a
 * fixed-point formatter, so the output never depends on the C locale and the same input always
 * gives the same bytes.
 */
#ifndef CXS_JSON_H
#define CXS_JSON_H

#include "internal.h"

typedef struct cxs__jw {
    char *buf;
    size_t cap; /* bytes that may be stored (the caller keeps one more for the NUL) */
    size_t len; /* bytes written so far, stored or not */
} cxs__jw;

void cxs__jw_put(cxs__jw *w, const char *s, size_t n);
void cxs__jw_puts(cxs__jw *w, const char *s);
/* Fixed point with up to 4 decimals, trailing zeros trimmed, never "-0"; NaN and values
 * beyond +-1e12 are written as 0. */
void cxs__jw_num(cxs__jw *w, double v);
void cxs__jw_uint(cxs__jw *w, size_t v);
/* A JSON string from possibly invalid UTF-8: invalid bytes become U+FFFD. */
void cxs__jw_str(cxs__jw *w, const char *s, size_t n);
/* As cxs__jw_str for a NUL-terminated string (keys, names, ids). */
void cxs__jw_cstr(cxs__jw *w, const char *s);

#endif
