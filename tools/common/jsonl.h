/*
 * jsonl.h — the tools' JSONL line reader (never installed): one line at a time, its line end
 * (LF or CRLF) removed, blank lines skipped, a UTF-8 byte-order mark at the start of the input
 * dropped. Memory is one line at a time.
 */
#ifndef CXSENT_TOOLS_JSONL_H
#define CXSENT_TOOLS_JSONL_H

#include <stddef.h>
#include <stdio.h>

typedef struct jsonl_reader {
    FILE *in;
    FILE *spool;          /* if not NULL, every line read is copied here, blank ones too */
    char *buf;
    size_t cap;
    unsigned long lineno; /* the line last returned, counting from 1 */
} jsonl_reader;

/* A reader over `in` (not closed by jsonl_free); spool may be NULL. */
void jsonl_init(jsonl_reader *r, FILE *in, FILE *spool);

/*
 * The next non-blank line: returns 1 with *text / *len (borrowed until the next call; not
 * NUL-terminated at *len) and *had_newline (0 for a last line cut short, e.g. a truncated
 * file), 0 at the end of the input, -1 on a read error (errno says which).
 */
int jsonl_next(jsonl_reader *r, const char **text, size_t *len, int *had_newline);

void jsonl_free(jsonl_reader *r);

#endif
