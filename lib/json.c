/*
 * json.c — the JSON writer shared by results and narratives (see json.h).
 */
#include "json.h"

#include "utf8.h"

#include <math.h>

void cxs__jw_put(cxs__jw *w, const char *s, size_t n)
{
    if (w->len < w->cap) {
        size_t room = w->cap - w->len;
        memcpy(w->buf + w->len, s, n < room ? n : room);
    }
    w->len += n;
}

void cxs__jw_puts(cxs__jw *w, const char *s)
{
    cxs__jw_put(w, s, strlen(s));
}

void cxs__jw_num(cxs__jw *w, double v)
{
    char b[48];
    if (!(v == v) || v > 1e12 || v < -1e12)
        v = 0;
    long long q = llround(v * 10000.0);
    int neg = q < 0;
    unsigned long long a = (unsigned long long)(neg ? -q : q);
    unsigned long long ip = a / 10000, fp = a % 10000;
    char digits[24];
    int nd = 0;
    do {
        digits[nd++] = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    size_t o = 0;
    if (neg)
        b[o++] = '-';
    while (nd)
        b[o++] = digits[--nd];
    b[o++] = '.';
    char f[4] = {(char)('0' + fp / 1000), (char)('0' + fp / 100 % 10), (char)('0' + fp / 10 % 10),
                 (char)('0' + fp % 10)};
    int keep = 4;
    while (keep > 1 && f[keep - 1] == '0')
        keep--;
    memcpy(b + o, f, (size_t)keep);
    o += (size_t)keep;
    cxs__jw_put(w, b, o);
}

void cxs__jw_uint(cxs__jw *w, size_t v)
{
    char d[24];
    int n = 0;
    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    char b[24];
    for (int i = 0; i < n; i++)
        b[i] = d[n - 1 - i];
    cxs__jw_put(w, b, (size_t)n);
}

void cxs__jw_str(cxs__jw *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    cxs__jw_put(w, "\"", 1);
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            int32_t cp;
            int bad;
            size_t used = cxs__utf8_decode((const unsigned char *)s + i, n - i, &cp, &bad);
            if (bad)
                cxs__jw_put(w, "\xEF\xBF\xBD", 3);
            else
                cxs__jw_put(w, s + i, used);
            i += used;
            continue;
        }
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            cxs__jw_put(w, e, 2);
        } else if (c < 0x20) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            if (c == '\n')
                cxs__jw_put(w, "\\n", 2);
            else if (c == '\t')
                cxs__jw_put(w, "\\t", 2);
            else if (c == '\r')
                cxs__jw_put(w, "\\r", 2);
            else
                cxs__jw_put(w, e, 6);
        } else {
            cxs__jw_put(w, (const char *)&c, 1);
        }
        i++;
    }
    cxs__jw_put(w, "\"", 1);
}

void cxs__jw_cstr(cxs__jw *w, const char *s)
{
    cxs__jw_str(w, s, strlen(s));
}
