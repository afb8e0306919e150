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

uint64_t cxs__hash(const char *s, size_t len)
{
    uint64_t h = 0x2545F4914F6CDD1Dull;
    size_t n = len;
    while (n >= 8) {
        h = cxs__hash_mix(h, cxs__load8(s));
        s += 8;
        n -= 8;
    }
    if (n) {
        uint64_t v = 0;
        memcpy(&v, s, n); /* zero-padded tail, as the padded variant masks it */
        h = cxs__hash_mix(h, v);
    }
    return cxs__hash_final(h, len);
}

uint64_t cxs__term_hash(const char *s, size_t len)
{
    const char *sp = memchr(s, ' ', len);
    if (!sp)
        return cxs__hash(s, len);
    uint64_t h = cxs__hash(s, (size_t)(sp - s));
    for (;;) {
        const char *w = sp + 1;
        size_t rest = len - (size_t)(w - s);
        sp = memchr(w, ' ', rest);
        size_t wl = sp ? (size_t)(sp - w) : rest;
        h = cxs__hash_combine(h, cxs__hash(w, wl));
        if (!sp)
            return h;
    }
}
