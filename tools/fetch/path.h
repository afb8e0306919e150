/* path.h - the path/expression engine that maps a JSON response onto records.
 *
 * Path syntax: dot segments (`a.b.c`), `[n]` index, `["a.b"]` for keys with
 * dots, keys may contain `:` `$` `-` (`im:rating.label`, `$type`); `$` alone is
 * the root. Expressions add `a|b` (first non-empty), string literals "..." and
 * transforms @name(expr, ...): html, join, concat, prefix, epoch, time, int,
 * str, first, lastseg. A lone object where an array is expected counts as a
 * one-element array (cxf_path_items). */
#ifndef CXSENT_FETCH_PATH_H
#define CXSENT_FETCH_PATH_H

#include <jansson.h>
#include <stddef.h>

#define CXF_PATH_MAX_DEPTH 32

typedef struct cxf_eval_opts {
    int raw_text; /* @html(...) behaves like @join(...) */
} cxf_eval_opts;

/* Evaluate expr on root. Returns a new reference, or NULL when the value is
 * missing. *err (optional) is set non-zero for a syntax error or ENOMEM. */
json_t *cxf_eval(const char *expr, json_t *root, const cxf_eval_opts *opts, int *err);

/* Syntax check (evaluates against an empty object). 0 ok, -1 bad. */
int cxf_expr_check(const char *expr);

/* Items at path: returns a new reference to an array. Missing/null yields
 * an empty array; an object yields [object]; any other type sets *bad_type
 * and returns NULL. NULL with *bad_type == 0 means ENOMEM/syntax error. */
json_t *cxf_path_items(json_t *root, const char *path, int *bad_type);

/* Is the value "empty": NULL, null, false, "" or []? */
int cxf_is_empty(const json_t *v);

/* String form of a scalar (string, integer, integral real); malloc'd or NULL. */
char *cxf_scalar_string(const json_t *v);

#endif
