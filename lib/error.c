/* error.c — status strings, error filling, version and the shared hash. */
#include "internal.h"

#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

unsigned cxs_version(void)
{
    return CXS_VERSION_NUMBER;
}

#define CXS__STR2(x) #x
#define CXS__STR(x) CXS__STR2(x)

const char *cxs_version_string(void)
{
    return CXS__STR(CXS_VERSION_MAJOR) "." CXS__STR(CXS_VERSION_MINOR) "." CXS__STR(
        CXS_VERSION_PATCH);
}

const char *cxs_unicode_version(void)
{
    return utf8proc_unicode_version();
}

const char *cxs_strerror(int code)
{
    switch (code) {
    case CXS_OK: return "success";
    case CXS_ENOMEM: return "out of memory";
    case CXS_EINVAL: return "invalid argument";
    case CXS_EIO: return "input/output error";
    case CXS_EPARSE: return "malformed model data";
    case CXS_EUTF8: return "invalid UTF-8";
    case CXS_EPATTERN: return "invalid pattern";
    case CXS_ELIMIT: return "input exceeds a limit";
    case CXS_EBUFFER: return "buffer too small";
    default: return "unknown error";
    }
}

int cxs__error_set(cxs_error *err, int code, const char *source, size_t line, size_t column,
                   const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    err->line = line;
    err->column = column;
    err->offset = 0;
    snprintf(err->source, sizeof err->source, "%s", source ? source : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

void cxs__error_offset(cxs_error *err, size_t offset)
{
    if (err)
        err->offset = offset;
}

/* A small multiply-xorshift hash over 8-byte words: short keys dominate (words average 5
 * bytes), so one load and two multiplies per key beat a byte-at-a-time FNV. */
static inline uint64_t load_tail(const char *s, size_t n)
{
    uint64_t v = 0;
    memcpy(&v, s, n);
    return v;
}

uint64_t cxs__hash(const char *s, size_t len)
{
    const uint64_t m = 0x9E3779B97F4A7C15ull;
    uint64_t h = (uint64_t)len * m ^ 0x2545F4914F6CDD1Dull;
    while (len >= 8) {
        uint64_t v;
        memcpy(&v, s, 8);
        h = (h ^ v) * m;
        h ^= h >> 29;
        s += 8;
        len -= 8;
    }
    if (len) {
        h = (h ^ load_tail(s, len)) * m;
        h ^= h >> 29;
    }
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return h;
}
