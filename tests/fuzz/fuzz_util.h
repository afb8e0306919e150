/*
 * fuzz_util.h — helpers shared by the fuzz harnesses (and the reliability tests): a failing
 * check that aborts with a message, a strict UTF-8 validator and a strict JSON checker.
 * Header-only, so each harness stays one translation unit plus standalone_main.c.
 */
#ifndef CXSENT_FUZZ_UTIL_H
#define CXSENT_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The libFuzzer entry point; standalone_main.c calls it for each corpus file. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs larger than this are skipped by every harness (utf8proc's rule). */
#define FUZZ_MAX_INPUT (64u * 1024u)

#define FUZZ_CHECK(cond)                                                                       \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if it is invalid (RFC 3629). */
static inline size_t fuzz_utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t need;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        need = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        need = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        need = 4;
    else
        return 0;
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    if (n < need)
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 2; k < need; k++)
        if (s[k] < 0x80 || s[k] > 0xBF)
            return 0;
    return need;
}

static inline int fuzz_utf8_valid(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        size_t k = fuzz_utf8_seq(s + i, n - i);
        if (!k)
            return 0;
        i += k;
    }
    return 1;
}

/* ---- a strict RFC 8259 checker ----------------------------------------------------------- */

typedef struct fuzz_json {
    const unsigned char *s;
    size_t n, i;
    int depth;
} fuzz_json;

static int fuzz_json_value(fuzz_json *j);

static void fuzz_json_ws(fuzz_json *j)
{
    while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' ||
                           j->s[j->i] == '\r'))
        j->i++;
}

static int fuzz_json_hex(unsigned c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int fuzz_json_string(fuzz_json *j)
{
    if (j->i >= j->n || j->s[j->i] != '"')
        return 0;
    j->i++;
    while (j->i < j->n) {
        unsigned c = j->s[j->i];
        if (c == '"') {
            j->i++;
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            if (j->i + 1 >= j->n)
                return 0;
            unsigned e = j->s[j->i + 1];
            if (e == 'u') {
                if (j->i + 6 > j->n)
                    return 0;
                for (size_t k = 2; k < 6; k++)
                    if (!fuzz_json_hex(j->s[j->i + k]))
                        return 0;
                j->i += 6;
                continue;
            }
            if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' &&
                e != 'r' && e != 't')
                return 0;
            j->i += 2;
            continue;
        }
        size_t k = fuzz_utf8_seq(j->s + j->i, j->n - j->i);
        if (!k)
            return 0;
        j->i += k;
    }
    return 0;
}

static int fuzz_json_digits(fuzz_json *j)
{
    size_t st = j->i;
    while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
        j->i++;
    return j->i > st;
}

static int fuzz_json_number(fuzz_json *j)
{
    if (j->i < j->n && j->s[j->i] == '-')
        j->i++;
    if (j->i < j->n && j->s[j->i] == '0')
        j->i++;
    else if (!fuzz_json_digits(j))
        return 0;
    if (j->i < j->n && j->s[j->i] == '.') {
        j->i++;
        if (!fuzz_json_digits(j))
            return 0;
    }
    if (j->i < j->n && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
        j->i++;
        if (j->i < j->n && (j->s[j->i] == '+' || j->s[j->i] == '-'))
            j->i++;
        if (!fuzz_json_digits(j))
            return 0;
    }
    return 1;
}

static int fuzz_json_lit(fuzz_json *j, const char *w)
{
    size_t k = 0;
    while (w[k]) {
        if (j->i + k >= j->n || j->s[j->i + k] != (unsigned char)w[k])
            return 0;
        k++;
    }
    j->i += k;
    return 1;
}

static int fuzz_json_value(fuzz_json *j)
{
    fuzz_json_ws(j);
    if (j->i >= j->n)
        return 0;
    unsigned c = j->s[j->i];
    if (c == '{' || c == '[') {
        unsigned close = c == '{' ? '}' : ']';
        if (++j->depth > 256)
            return 0;
        j->i++;
        fuzz_json_ws(j);
        if (j->i < j->n && j->s[j->i] == close) {
            j->i++;
            j->depth--;
            return 1;
        }
        for (;;) {
            if (c == '{') {
                fuzz_json_ws(j);
                if (!fuzz_json_string(j))
                    return 0;
                fuzz_json_ws(j);
                if (j->i >= j->n || j->s[j->i] != ':')
                    return 0;
                j->i++;
            }
            if (!fuzz_json_value(j))
                return 0;
            fuzz_json_ws(j);
            if (j->i >= j->n)
                return 0;
            if (j->s[j->i] == ',') {
                j->i++;
                continue;
            }
            if (j->s[j->i] != close)
                return 0;
            j->i++;
            j->depth--;
            return 1;
        }
    }
    if (c == '"')
        return fuzz_json_string(j);
    if (c == 't')
        return fuzz_json_lit(j, "true");
    if (c == 'f')
        return fuzz_json_lit(j, "false");
    if (c == 'n')
        return fuzz_json_lit(j, "null");
    return fuzz_json_number(j);
}

/* 1 if s[0..n) is exactly one JSON object (no trailing bytes). */
static inline int fuzz_json_is_object(const char *s, size_t n)
{
    fuzz_json j = {(const unsigned char *)s, n, 0, 0};
    fuzz_json_ws(&j);
    if (j.i >= n || s[j.i] != '{')
        return 0;
    if (!fuzz_json_value(&j))
        return 0;
    fuzz_json_ws(&j);
    return j.i == n;
}

#endif
