/* csv.c — streaming RFC 4180 reader (see csv.h). */
#include "csv.h"

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
};

csv_reader *csv_open(FILE *in)
{
    csv_reader *r = calloc(1, sizeof *r);
    if (r) {
        r->in = in;
        r->line = 1;
    }
    return r;
}

void csv_close(csv_reader *r)
{
    if (!r)
        return;
    free(r->buf);
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
    while ((c = getc(r->in)) != EOF && c != '\n')
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
    int c = getc(r->in);
    while (c == '\r' || c == '\n') { /* blank lines are not records */
        if (c == '\n')
            r->line++;
        c = getc(r->in);
    }
    if (c == EOF)
        return 0;
    *line = r->line;
    size_t start = 0;
    int quoted = 0, after_quote = 0;
    for (;; c = getc(r->in)) {
        if (quoted) {
            if (c == EOF) {
                *why = "unterminated quoted field at the end of the input";
                return -1;
            }
            if (c == '"') {
                int d = getc(r->in);
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
            (c == '\r' && (c = getc(r->in), c == '\n' || c == EOF))) {
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
