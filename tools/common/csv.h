/*
 * csv.h — a streaming RFC 4180 reader for the tools (never installed): fields separated by
 * commas, records by LF or CRLF, double-quoted fields with "" escapes and embedded newlines.
 * Memory is one record at a time.
 */
#ifndef CXSENT_TOOLS_CSV_H
#define CXSENT_TOOLS_CSV_H

#include <stddef.h>
#include <stdio.h>

typedef struct csv_reader csv_reader;

/* A reader over `in` (not closed by csv_close). NULL when out of memory. */
csv_reader *csv_open(FILE *in);

/*
 * Read the next record. Returns 1 with the fields in *fields / *lens / *n (borrowed until the
 * next call; every field is NUL-terminated), 0 at the end of the input, -1 for a malformed
 * record (*why says what; the reader has skipped to the next line, so reading can go on), or
 * -2 when out of memory. *line is the input line the record starts on.
 */
int csv_next(csv_reader *r, char ***fields, size_t **lens, size_t *n, unsigned long *line,
             const char **why);

void csv_close(csv_reader *r);

/*
 * A CSV cell as a decimal number: digits with at most one '.' ("45", "4.5", ".5", "4."), no
 * sign or blanks, 1 to 15 digits (all exact in a double). Read by hand, not with strtod(),
 * which would also take "inf", "0x1p3" and a locale's decimal comma; the value is the digits'
 * integer divided once by a power of ten, so it is the double nearest the decimal. Returns 0
 * with *out set, or -1 (*out untouched).
 */
int csv_decimal(const char *s, size_t n, double *out);

#endif
