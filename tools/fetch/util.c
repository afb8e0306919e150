/* util.c - buffers, strings, time and secret redaction for cxsent-fetch. */
#include "util.h"

#include "../common/civil.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int fbuf_grow(fbuf *b, size_t extra)
{
    size_t need, ncap;
    char *p;
    if (extra > SIZE_MAX - b->len - 1)
        return -1;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    ncap = b->cap ? b->cap : 64;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) {
            ncap = need;
            break;
        }
        ncap *= 2;
    }
    p = realloc(b->data, ncap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = ncap;
    return 0;
}

int fbuf_append(fbuf *b, const char *s, size_t n)
{
    if (fbuf_grow(b, n) != 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int fbuf_puts(fbuf *b, const char *s)
{
    return fbuf_append(b, s, strlen(s));
}

int fbuf_putc(fbuf *b, char c)
{
    return fbuf_append(b, &c, 1);
}

int fbuf_printf(fbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if (fbuf_grow(b, (size_t)n) != 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void fbuf_reset(fbuf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void fbuf_free(fbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *fbuf_take(fbuf *b)
{
    char *p;
    if (!b->data && fbuf_grow(b, 0) != 0)
        return NULL;
    p = b->data;
    p[b->len] = '\0';
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

char *cxf_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *cxf_strdup(const char *s)
{
    return s ? cxf_strndup(s, strlen(s)) : NULL;
}

int cxf_ncasecmp(const char *a, const char *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        int ca = tolower((unsigned char)a[i]), cb = tolower((unsigned char)b[i]);
        if (ca != cb)
            return ca - cb;
        if (!ca)
            return 0;
    }
    return 0;
}

int cxf_casecmp(const char *a, const char *b)
{
    return cxf_ncasecmp(a, b, SIZE_MAX);
}

uint64_t cxf_fnv1a(const void *p, size_t n, uint64_t h)
{
    const unsigned char *c = p;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= c[i];
        h *= 1099511628211ULL;
    }
    return h;
}

double cxf_now_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double cxf_now_real(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_digits(const char **p, int n, int *out)
{
    int v = 0, i;
    for (i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

int cxf_parse_iso8601(const char *s, double *epoch)
{
    int Y, M, D, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 0;
    double frac = 0.0;
    const char *p = s;
    int64_t days;
    if (!s)
        return -1;
    if (parse_digits(&p, 4, &Y) || *p++ != '-' || parse_digits(&p, 2, &M) || *p++ != '-' ||
        parse_digits(&p, 2, &D))
        return -1;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (parse_digits(&p, 2, &h) || *p++ != ':' || parse_digits(&p, 2, &mi))
            return -1;
        if (*p == ':') {
            p++;
            if (parse_digits(&p, 2, &sec))
                return -1;
        }
        if (*p == '.' || *p == ',') {
            double scale = 0.1;
            p++;
            if (!isdigit((unsigned char)*p))
                return -1;
            while (isdigit((unsigned char)*p)) {
                frac += scale * (*p - '0');
                scale /= 10;
                p++;
            }
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            sign = *p == '-' ? -1 : 1;
            p++;
            if (parse_digits(&p, 2, &oh))
                return -1;
            if (*p == ':')
                p++;
            if (isdigit((unsigned char)*p) && parse_digits(&p, 2, &om))
                return -1;
        }
    }
    if (*p != '\0')
        return -1;
    if (M < 1 || M > 12 || D < 1 || D > 31 || h > 24 || mi > 59 || sec > 60 || oh > 23 || om > 59)
        return -1;
    days = civil_days(Y, (unsigned)M, (unsigned)D);
    *epoch = (double)days * 86400.0 + h * 3600.0 + mi * 60.0 + sec + frac -
             sign * (oh * 3600.0 + om * 60.0);
    return 0;
}

int cxf_format_rfc3339(double epoch, char *buf, size_t cap)
{
    int64_t t, days, secs, y;
    unsigned m, d;
    /* Outside years 0001..9999 the value is nonsense for a review date. */
    if (!isfinite(epoch) || epoch < -62135596800.0 || epoch > 253402300799.0)
        return -1;
    t = (int64_t)floor(epoch);
    days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    secs = t - days * 86400;
    civil_date(days, &y, &m, &d);
    if (snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, (int)m, (int)d,
                 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60)) >= (int)cap)
        return -1;
    return 0;
}

char *cxf_urlencode(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    fbuf b = {0};
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            if (fbuf_putc(&b, (char)c))
                goto fail;
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            if (fbuf_append(&b, e, 3))
                goto fail;
        }
    }
    return fbuf_take(&b);
fail:
    fbuf_free(&b);
    return NULL;
}

static int secrets_push(cxf_secrets *s, const char *env, const char *value)
{
    cxf_secret *v;
    if (!value || !*value)
        return 0;
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 8;
        v = realloc(s->v, ncap * sizeof *v);
        if (!v)
            return -1;
        s->v = v;
        s->cap = ncap;
    }
    v = &s->v[s->n];
    v->env = cxf_strdup(env);
    v->value = cxf_strdup(value);
    v->esc = cxf_urlencode(value);
    if (!v->env || !v->value || !v->esc) {
        free(v->env);
        free(v->value);
        free(v->esc);
        return -1;
    }
    s->n++;
    return 0;
}

int cxf_secrets_add(cxf_secrets *s, const char *env, const char *value)
{
    return secrets_push(s, env, value);
}

int cxf_secrets_add_literal(cxf_secrets *s, const char *label, const char *value)
{
    return secrets_push(s, label, value);
}

void cxf_secrets_free(cxf_secrets *s)
{
    size_t i;
    for (i = 0; i < s->n; i++) {
        free(s->v[i].env);
        free(s->v[i].value);
        free(s->v[i].esc);
    }
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

/* Find the earliest occurrence of any secret form at or after p. */
static const char *find_secret(const cxf_secrets *s, const char *p, size_t *len, size_t *idx)
{
    const char *best = NULL;
    size_t i;
    for (i = 0; s && i < s->n; i++) {
        const char *forms[2] = {s->v[i].value, s->v[i].esc};
        int f;
        for (f = 0; f < 2; f++) {
            const char *hit = strstr(p, forms[f]);
            size_t l = strlen(forms[f]);
            if (hit && (!best || hit < best || (hit == best && l > *len))) {
                best = hit;
                *len = l;
                *idx = i;
            }
        }
    }
    return best;
}

char *cxf_redact(const cxf_secrets *s, const char *text, int placeholder)
{
    fbuf b = {0};
    const char *p = text ? text : "";
    for (;;) {
        size_t len = 0, idx = 0;
        const char *hit = find_secret(s, p, &len, &idx);
        if (!hit) {
            if (fbuf_puts(&b, p))
                goto fail;
            break;
        }
        if (fbuf_append(&b, p, (size_t)(hit - p)))
            goto fail;
        if (placeholder ? fbuf_printf(&b, "${%s}", s->v[idx].env) : fbuf_puts(&b, "***"))
            goto fail;
        p = hit + len;
    }
    return fbuf_take(&b);
fail:
    fbuf_free(&b);
    return NULL;
}

char *cxf_unredact(const cxf_secrets *s, const char *text)
{
    fbuf b = {0};
    const char *p = text ? text : "";
    while (*p) {
        size_t i, done = 0;
        if (p[0] == '$' && p[1] == '{') {
            for (i = 0; s && i < s->n; i++) {
                size_t l = strlen(s->v[i].env);
                if (strncmp(p + 2, s->v[i].env, l) == 0 && p[2 + l] == '}') {
                    /* Placeholders only ever stand in URLs, so restore the
                     * percent-encoded form. */
                    if (fbuf_puts(&b, s->v[i].esc))
                        goto fail;
                    p += 3 + l;
                    done = 1;
                    break;
                }
            }
        }
        if (!done && fbuf_putc(&b, *p++))
            goto fail;
    }
    return fbuf_take(&b);
fail:
    fbuf_free(&b);
    return NULL;
}

int cxf_has_secret(const cxf_secrets *s, const char *text)
{
    size_t len = 0, idx = 0;
    return text && find_secret(s, text, &len, &idx) != NULL;
}

void cxf_log(const cxf_secrets *s, const char *fmt, ...)
{
    char stackbuf[1024];
    char *msg = stackbuf, *red;
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(stackbuf, sizeof stackbuf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof stackbuf) {
        msg = malloc((size_t)n + 1);
        if (!msg) {
            msg = stackbuf; /* truncated message is still redacted below */
        } else {
            va_start(ap, fmt);
            vsnprintf(msg, (size_t)n + 1, fmt, ap);
            va_end(ap);
        }
    }
    red = cxf_redact(s, msg, 0);
    /* Never fall back to the unredacted text. */
    fprintf(stderr, "cxsent-fetch: %s\n", red ? red : "(message dropped: out of memory)");
    free(red);
    if (msg != stackbuf)
        free(msg);
}

int cxf_write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Sync the directory that holds path, so a rename into it survives a crash. */
static void fsync_dir_of(const char *path)
{
    char *dir = cxf_strdup(path), *slash;
    int fd;
    if (!dir)
        return;
    slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

int cxf_replace_file(const char *path, const char *text)
{
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 8);
    int fd = -1, rc = -1, made = 0, saved;
    if (!tmp) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, ".XXXXXX", 8);
    fd = mkstemp(tmp); /* O_EXCL, mode 0600 whatever the umask */
    if (fd < 0)
        goto out;
    made = 1;
    if (fchmod(fd, 0600) || cxf_write_all(fd, text, strlen(text)) || cxf_write_all(fd, "\n", 1) ||
        fsync(fd))
        goto out;
    if (close(fd)) {
        fd = -1;
        goto out;
    }
    fd = -1;
    if (rename(tmp, path))
        goto out;
    fsync_dir_of(path);
    rc = 0;
out:
    saved = errno;
    if (fd >= 0)
        close(fd);
    if (rc && made)
        unlink(tmp);
    free(tmp);
    errno = saved;
    return rc;
}
