/* csv.c — streaming RFC 4180 reader (see csv.h). */
#include "csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct csv_reader {
    FILE *in;
    char *buf; /* the record's field bytes, each field NUL-terminated */
    size_t len, cap;
    size_t *starts, *lens;
    char **fields;
    size_t nf, fcap;
    unsigned long line; /* current input line */
    unsigned char head[3]; /* the first bytes, read ahead to drop a UTF-8 byte-order mark */
    size_t nhead, ihead;
    /* the raw bytes of the current record, and bytes to read again: when a quote never
     * closes, everything after the record's first line is replayed, so the records an
     * unterminated quote swallowed are not lost */
    char *raw, *rep;
    size_t nraw, capraw, nrep, irep, caprep;
};

/* The next byte: replayed bytes first, then the read-ahead bytes, then the stream. */
static int rd(csv_reader *r)
{
    int c;
    if (r->irep < r->nrep)
        c = (unsigned char)r->rep[r->irep++];
    else if (r->ihead < r->nhead)
        c = r->head[r->ihead++];
    else
        c = getc(r->in);
    if (c != EOF) {
        if (r->nraw == r->capraw) {
            size_t nc = r->capraw ? r->capraw * 2 : 256;
            char *nb = realloc(r->raw, nc);
            if (!nb)
                return EOF; /* the caller sees the end; csv_next reports no memory below */
            r->raw = nb;
            r->capraw = nc;
        }
        r->raw[r->nraw++] = (char)c;
    }
    return c;
}

/* Replay the current record's raw bytes after its first line; returns -1 without memory. */
static int replay_after_first_line(csv_reader *r)
{
    char *nl = memchr(r->raw, '\n', r->nraw);
    size_t from = nl ? (size_t)(nl - r->raw) + 1 : r->nraw;
    size_t keep = r->nraw - from;
    size_t pending = r->nrep - r->irep; /* replay bytes not read yet stay after these */
    if (keep + pending > r->caprep) {
        char *nb = realloc(r->rep, keep + pending);
        if (!nb)
            return -1;
        r->rep = nb;
        r->caprep = keep + pending;
    }
    if (pending) /* replay bytes not read yet move behind the new ones */
        memmove(r->rep + keep, r->rep + r->irep, pending);
    if (keep) /* rep may still be NULL when there is nothing to replay */
        memcpy(r->rep, r->raw + from, keep);
    r->nrep = keep + pending;
    r->irep = 0;
    return 0;
}

csv_reader *csv_open(FILE *in)
{
    csv_reader *r = calloc(1, sizeof *r);
    if (r) {
        r->in = in;
        r->line = 1;
        /* spreadsheet exports often start with a byte-order mark: not part of the header */
        r->nhead = fread(r->head, 1, 3, in);
        if (r->nhead == 3 && r->head[0] == 0xEF && r->head[1] == 0xBB && r->head[2] == 0xBF)
            r->nhead = 0;
    }
    return r;
}

void csv_close(csv_reader *r)
{
    if (!r)
        return;
    free(r->buf);
    free(r->raw);
    free(r->rep);
    free(r->starts);
    free(r->lens);
    free(r->fields);
    free(r);
}

static int put(csv_reader *r, char c)
{
    if (r->len == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 256;
        char *nb = realloc(r->buf, nc);
        if (!nb)
            return -1;
        r->buf = nb;
        r->cap = nc;
    }
    r->buf[r->len++] = c;
    return 0;
}

/* End the current field (its bytes start at `start`). */
static int end_field(csv_reader *r, size_t start)
{
    if (put(r, '\0'))
        return -1;
    if (r->nf == r->fcap) {
        size_t nc = r->fcap ? r->fcap * 2 : 16;
        size_t *ns = realloc(r->starts, nc * sizeof *ns);
        if (!ns)
            return -1;
        r->starts = ns;
        size_t *nl = realloc(r->lens, nc * sizeof *nl);
        if (!nl)
            return -1;
        r->lens = nl;
        char **nfp = realloc(r->fields, nc * sizeof *nfp);
        if (!nfp)
            return -1;
        r->fields = nfp;
        r->fcap = nc;
    }
    r->starts[r->nf] = start;
    r->lens[r->nf] = r->len - 1 - start;
    r->nf++;
    return 0;
}

/* Skip to the start of the next line after a malformed record. */
static void resync(csv_reader *r)
{
    int c;
    while ((c = rd(r)) != EOF && c != '\n')
        ;
    if (c == '\n')
        r->line++;
}

int csv_next(csv_reader *r, char ***fields, size_t **lens, size_t *n, unsigned long *line,
             const char **why)
{
    r->len = 0;
    r->nf = 0;
    *why = NULL;
    int c = rd(r);
    while (c == '\r' || c == '\n') { /* blank lines are not records */
        if (c == '\n')
            r->line++;
        c = rd(r);
    }
    if (c == EOF)
        return 0;
    /* the record starts here: keep only its raw bytes */
    r->raw[0] = (char)c;
    r->nraw = 1;
    *line = r->line;
    size_t start = 0;
    int quoted = 0, after_quote = 0;
    for (;; c = rd(r)) {
        if (quoted) {
            if (c == EOF) {
                *why = "unterminated quoted field (the lines after it are read again)";
                r->line = *line + 1;
                return replay_after_first_line(r) ? -2 : -1;
            }
            if (c == '"') {
                int d = rd(r);
                if (d == '"') {
                    if (put(r, '"'))
                        return -2;
                    continue;
                }
                quoted = 0;
                after_quote = 1;
                c = d;
            } else {
                if (c == '\n')
                    r->line++;
                if (put(r, (char)c))
                    return -2;
                continue;
            }
        }
        if (c == ',' || c == '\n' || c == EOF ||
            (c == '\r' && (c = rd(r), c == '\n' || c == EOF))) {
            if (end_field(r, start))
                return -2;
            if (c == ',') {
                start = r->len;
                after_quote = 0;
                continue;
            }
            if (c == '\n')
                r->line++;
            break;
        }
        if (after_quote) {
            *why = "text after a closing quote (a quote inside a field must be doubled)";
            if (memchr(r->raw, '\n', r->nraw)) { /* it swallowed lines: read them again */
                r->line = *line + 1;
                return replay_after_first_line(r) ? -2 : -1;
            }
            resync(r);
            return -1;
        }
        if (c == '"' && r->len == start) {
            quoted = 1;
            continue;
        }
        if (put(r, (char)c))
            return -2;
    }
    for (size_t i = 0; i < r->nf; i++)
        r->fields[i] = r->buf + r->starts[i];
    *fields = r->fields;
    *lens = r->lens;
    *n = r->nf;
    return 1;
}

int csv_decimal(const char *s, size_t n, double *out)
{
    static const double pow10[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    uint64_t m = 0;
    int digits = 0, frac = 0, dot = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.' && !dot) {
            dot = 1;
            continue;
        }
        if (s[i] < '0' || s[i] > '9' || digits >= 15)
            return -1;
        m = m * 10 + (uint64_t)(s[i] - '0');
        digits++;
        frac += dot;
    }
    if (!digits)
        return -1;
    /* m < 1e15 and 10^frac are exact doubles: one division rounds once */
    *out = (double)m / pow10[frac];
    return 0;
}
