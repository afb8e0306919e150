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
#include <string.h>

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

/*
 * 64-bit hash of a byte string, 8 bytes at a time: short keys dominate (words average 5
 * bytes), so one load and two multiplies per key beat a byte-at-a-time FNV. The length is
 * mixed in last, so cxs__hash_padded (which may read up to 7 bytes past the key) can give the
 * same value without copying the tail.
 */
static inline uint64_t cxs__hash_mix(uint64_t h, uint64_t v)
{
    h = (h ^ v) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
}

static inline uint64_t cxs__hash_final(uint64_t h, size_t len)
{
    h ^= (uint64_t)len;
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 32);
}

static inline uint64_t cxs__load8(const char *s)
{
    uint64_t v;
    memcpy(&v, s, 8);
    return v;
}

uint64_t cxs__hash(const char *s, size_t len);

/*
 * The hash of a multi-word term combines the hashes of its words in order, so phrase matching
 * extends a running hash by one word at a time without building the phrase string.
 */
static inline uint64_t cxs__hash_combine(uint64_t h, uint64_t word_hash)
{
    return cxs__hash_mix(h * 0x100000001B3ull, word_hash);
}

/* The table hash of a normalised term (words separated by single spaces). */
uint64_t cxs__term_hash(const char *s, size_t len);

/* As cxs__hash, for a key followed by at least 8 readable bytes (little-endian hosts). */
static inline uint64_t cxs__hash_padded(const char *s, size_t len)
{
    uint64_t h = 0x2545F4914F6CDD1Dull;
    size_t n = len;
    while (n >= 8) {
        h = cxs__hash_mix(h, cxs__load8(s));
        s += 8;
        n -= 8;
    }
    if (n)
        h = cxs__hash_mix(h, cxs__load8(s) & ((1ull << (8 * n)) - 1));
    return cxs__hash_final(h, len);
}

#endif
