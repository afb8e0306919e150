/*
 * jsonl.c — the tools' JSONL line reader (see jsonl.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "jsonl.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

void jsonl_init(jsonl_reader *r, FILE *in, FILE *spool)
{
    memset(r, 0, sizeof *r);
    r->in = in;
    r->spool = spool;
}

int jsonl_next(jsonl_reader *r, const char **text, size_t *len, int *had_newline)
{
    ssize_t got;
    while ((got = getline(&r->buf, &r->cap, r->in)) != -1) {
        r->lineno++;
        size_t n = (size_t)got;
        if (r->spool)
            fwrite(r->buf, 1, n, r->spool);
        *had_newline = n && r->buf[n - 1] == '\n';
        while (n && (r->buf[n - 1] == '\n' || r->buf[n - 1] == '\r'))
            n--;
        const char *s = r->buf;
        /* a byte-order mark is an export artefact, not part of the first record */
        if (r->lineno == 1 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
            s += 3;
            n -= 3;
        }
        size_t sp = 0;
        while (sp < n && (s[sp] == ' ' || s[sp] == '\t'))
            sp++;
        if (sp == n)
            continue; /* blank lines are not records */
        *text = s;
        *len = n;
        return 1;
    }
    return ferror(r->in) ? -1 : 0;
}

void jsonl_free(jsonl_reader *r)
{
    free(r->buf);
    r->buf = NULL;
    r->cap = 0;
}
