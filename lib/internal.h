/*
 * internal.h — private helpers shared by the library's modules: allocation through the model's
 * hooks, error reporting, small utilities. Never installed.
 */
#ifndef CXS_INTERNAL_H
#define CXS_INTERNAL_H

#include "cxsent.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define CXS__LIKELY(x) __builtin_expect(!!(x), 1)
#define CXS__UNLIKELY(x) __builtin_expect(!!(x), 0)
#define CXS__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CXS__LIKELY(x) (x)
#define CXS__UNLIKELY(x) (x)
#define CXS__PRINTF(a, b)
#endif

/* A resolved allocator: the caller's hooks, or malloc/realloc/free. */
typedef struct cxs__alloc {
    cxs_allocator hooks;
} cxs__alloc;

void cxs__alloc_init(cxs__alloc *a, const cxs_allocator *user);
void *cxs__malloc(const cxs__alloc *a, size_t size);
void *cxs__calloc(const cxs__alloc *a, size_t n, size_t size);
/* Grows or shrinks; on failure returns NULL and leaves ptr valid. */
void *cxs__realloc(const cxs__alloc *a, void *ptr, size_t old_size, size_t new_size);
void cxs__free(const cxs__alloc *a, void *ptr, size_t size);

/*
 * Grow a typed array to hold at least `need` elements (doubling). Returns CXS_OK or CXS_ENOMEM;
 * on failure the array and its capacity are unchanged.
 */
int cxs__grow(const cxs__alloc *a, void **arr, size_t *cap, size_t need, size_t elem);

/* Fill err (if not NULL): code, source, line, column, offset and a formatted message. */
int cxs__error_set(cxs_error *err, int code, const char *source, size_t line, size_t column,
                   const char *fmt, ...) CXS__PRINTF(6, 7);
/* Set err->offset on an error already filled. */
void cxs__error_offset(cxs_error *err, size_t offset);

/* 64-bit hash of a byte string (short keys; reads 8 bytes at a time). */
uint64_t cxs__hash(const char *s, size_t len);

#endif
