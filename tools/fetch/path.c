/* path.c - expression evaluator for preset field mappings.
 *
 * Expressions are evaluated while being parsed (no AST): they are short,
 * presets are few, and this keeps memory ownership trivial. Every branch is
 * defensive because the JSON comes from the network: wrong types yield
 * "missing", never a crash. */
#include "path.h"

#include "html.h"
#include "util.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    const char *s;
    size_t pos;
    json_t *root;
    const cxf_eval_opts *opts;
    int depth;
    int err;
} parser;

static json_t *parse_expr(parser *p);

static void skip_ws(parser *p)
{
    while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t')
        p->pos++;
}

int cxf_is_empty(const json_t *v)
{
    if (!v || json_is_null(v) || json_is_false(v))
        return 1;
    if (json_is_string(v) && json_string_length(v) == 0)
        return 1;
    if (json_is_array(v) && json_array_size(v) == 0)
        return 1;
    return 0;
}

char *cxf_scalar_string(const json_t *v)
{
    char tmp[64];
    if (json_is_string(v))
        return cxf_strndup(json_string_value(v), json_string_length(v));
    if (json_is_integer(v)) {
        snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return cxf_strdup(tmp);
    }
    if (json_is_real(v)) {
        double d = json_real_value(v);
        if (!isfinite(d))
            return NULL;
        if (d == floor(d) && fabs(d) < 1e15)
            snprintf(tmp, sizeof tmp, "%.0f", d);
        else
            snprintf(tmp, sizeof tmp, "%.17g", d);
        return cxf_strdup(tmp);
    }
    return NULL;
}

static int is_key_char(char c)
{
    return c && !strchr(".[]|,()\" \t@", c);
}

/* Parse "..." at p->pos into a malloc'd string (supports \" and \\). */
static char *parse_quoted(parser *p)
{
    fbuf b = {0};
    if (p->s[p->pos] != '"') {
        p->err = 1;
        return NULL;
    }
    p->pos++;
    while (p->s[p->pos] && p->s[p->pos] != '"') {
        char c = p->s[p->pos++];
        if (c == '\\' && p->s[p->pos])
            c = p->s[p->pos++];
        if (fbuf_putc(&b, c)) {
            p->err = 1;
            fbuf_free(&b);
            return NULL;
        }
    }
    if (p->s[p->pos] != '"') {
        p->err = 1;
        fbuf_free(&b);
        return NULL;
    }
    p->pos++;
    return fbuf_take(&b);
}

/* A path: returns a borrowed pointer into root (or NULL). */
static json_t *parse_path(parser *p)
{
    json_t *cur = p->root;
    int first = 1;
    if (p->s[p->pos] == '$' && !is_key_char(p->s[p->pos + 1])) {
        p->pos++;
        first = 0;
        if (p->s[p->pos] == '.')
            p->pos++;
        else if (p->s[p->pos] != '[')
            return cur;
    }
    for (;;) {
        char c = p->s[p->pos];
        if (c == '[') {
            p->pos++;
            if (p->s[p->pos] == '"') {
                char *key = parse_quoted(p);
                if (!key)
                    return NULL;
                cur = json_is_object(cur) ? json_object_get(cur, key) : NULL;
                free(key);
            } else {
                size_t idx = 0;
                int digits = 0;
                while (isdigit((unsigned char)p->s[p->pos])) {
                    if (idx < 100000000)
                        idx = idx * 10 + (size_t)(p->s[p->pos] - '0');
                    p->pos++;
                    digits++;
                }
                if (!digits) {
                    p->err = 1;
                    return NULL;
                }
                /* A lone object counts as a 1-element array, so [0] keeps it. */
                if (json_is_array(cur))
                    cur = json_array_get(cur, idx);
                else if (!(json_is_object(cur) && idx == 0))
                    cur = NULL;
            }
            if (p->s[p->pos] != ']') {
                p->err = 1;
                return NULL;
            }
            p->pos++;
        } else if (is_key_char(c) || (c == '.' && !first)) {
            size_t start;
            char *key;
            if (c == '.') {
                p->pos++;
                if (p->s[p->pos] == '[')
                    continue;
            }
            start = p->pos;
            while (is_key_char(p->s[p->pos]))
                p->pos++;
            if (p->pos == start) {
                p->err = 1;
                return NULL;
            }
            key = cxf_strndup(p->s + start, p->pos - start);
            if (!key) {
                p->err = 1;
                return NULL;
            }
            cur = json_is_object(cur) ? json_object_get(cur, key) : NULL;
            free(key);
        } else {
            break;
        }
        first = 0;
    }
    if (first)
        p->err = 1; /* empty path */
    return cur;
}

static json_t *str_or_null(char *s)
{
    json_t *v;
    if (!s)
        return NULL;
    v = json_string(s); /* NULL if s is not valid UTF-8 */
    free(s);
    return v;
}

/* Join the non-empty string forms of args with sep; html converts each. */
static json_t *fn_join(json_t **args, size_t n, const char *sep, int html, int all)
{
    fbuf b = {0};
    size_t i;
    int any = 0;
    for (i = 0; i < n; i++) {
        char *s = cxf_is_empty(args[i]) ? NULL : cxf_scalar_string(args[i]);
        fbuf piece = {0};
        int rc = 0;
        if (!s) {
            if (all)
                goto fail;
            continue;
        }
        if (html)
            rc = cxf_html_to_text(s, strlen(s), &piece);
        else
            rc = fbuf_puts(&piece, s);
        free(s);
        if (rc) {
            fbuf_free(&piece);
            goto fail;
        }
        if (piece.len == 0 && !all) {
            fbuf_free(&piece);
            continue;
        }
        if ((any && fbuf_puts(&b, sep)) || fbuf_append(&b, piece.data ? piece.data : "", piece.len)) {
            fbuf_free(&piece);
            goto fail;
        }
        fbuf_free(&piece);
        any = 1;
    }
    if (!any) {
        fbuf_free(&b);
        return NULL;
    }
    return str_or_null(fbuf_take(&b));
fail:
    fbuf_free(&b);
    return NULL;
}

static json_t *fn_epoch(const json_t *v)
{
    double d;
    char buf[40];
    if (json_is_number(v)) {
        d = json_number_value(v);
    } else if (json_is_string(v)) {
        char *end;
        const char *s = json_string_value(v);
        d = strtod(s, &end);
        if (end == s || *end)
            return NULL;
    } else {
        return NULL;
    }
    /* Epoch milliseconds are common enough to accept (year > 5000 otherwise). */
    if (d > 1e11)
        d /= 1000.0;
    if (cxf_format_rfc3339(d, buf, sizeof buf))
        return NULL;
    return json_string(buf);
}

static json_t *fn_time(const json_t *v)
{
    double d;
    char buf[40];
    if (json_is_number(v))
        return fn_epoch(v);
    if (!json_is_string(v) || cxf_parse_iso8601(json_string_value(v), &d) ||
        cxf_format_rfc3339(d, buf, sizeof buf))
        return NULL;
    return json_string(buf);
}

static json_t *fn_int(const json_t *v)
{
    if (json_is_integer(v))
        return json_integer(json_integer_value(v));
    if (json_is_real(v)) {
        double d = json_real_value(v);
        if (!isfinite(d) || fabs(d) > 9e15)
            return NULL;
        return json_integer((json_int_t)d);
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char *end;
        long long n = strtoll(s, &end, 10);
        if (end == s || *end)
            return NULL;
        return json_integer((json_int_t)n);
    }
    return NULL;
}

static json_t *apply_fn(parser *p, const char *name, json_t **args, size_t n)
{
    if (!strcmp(name, "html"))
        return fn_join(args, n, "\n\n", !p->opts || !p->opts->raw_text, 0);
    if (!strcmp(name, "join"))
        return fn_join(args, n, "\n\n", 0, 0);
    if (!strcmp(name, "concat"))
        return fn_join(args, n, "", 0, 1);
    if (!strcmp(name, "prefix")) {
        if (n != 2)
            goto bad;
        return cxf_is_empty(args[1]) ? NULL : fn_join(args, n, "", 0, 1);
    }
    if (n != 1)
        goto bad;
    if (!strcmp(name, "epoch"))
        return args[0] ? fn_epoch(args[0]) : NULL;
    if (!strcmp(name, "time"))
        return args[0] ? fn_time(args[0]) : NULL;
    if (!strcmp(name, "int"))
        return args[0] ? fn_int(args[0]) : NULL;
    if (!strcmp(name, "str"))
        return args[0] ? str_or_null(cxf_scalar_string(args[0])) : NULL;
    if (!strcmp(name, "first")) {
        if (json_is_array(args[0]))
            return json_incref(json_array_get(args[0], 0));
        return json_incref(args[0]);
    }
    if (!strcmp(name, "lastseg")) {
        const char *s, *slash;
        if (!json_is_string(args[0]))
            return NULL;
        s = json_string_value(args[0]);
        slash = strrchr(s, '/');
        return json_string(slash ? slash + 1 : s);
    }
bad:
    p->err = 1;
    return NULL;
}

#define MAX_ARGS 8

static json_t *parse_term(parser *p)
{
    char c;
    skip_ws(p);
    c = p->s[p->pos];
    if (c == '"') {
        char *lit = parse_quoted(p);
        return str_or_null(lit);
    }
    if (c == '@') {
        char name[16];
        size_t nl = 0, n = 0, i;
        json_t *args[MAX_ARGS];
        json_t *res;
        p->pos++;
        while (isalnum((unsigned char)p->s[p->pos])) {
            if (nl + 1 < sizeof name)
                name[nl++] = p->s[p->pos];
            p->pos++;
        }
        name[nl] = '\0';
        skip_ws(p);
        if (p->s[p->pos] != '(' || ++p->depth > CXF_PATH_MAX_DEPTH) {
            p->err = 1;
            return NULL;
        }
        p->pos++;
        skip_ws(p);
        if (p->s[p->pos] != ')') {
            for (;;) {
                json_t *a = parse_expr(p);
                if (p->err || n >= MAX_ARGS) {
                    json_decref(a);
                    p->err = 1;
                    break;
                }
                args[n++] = a;
                skip_ws(p);
                if (p->s[p->pos] == ',') {
                    p->pos++;
                    continue;
                }
                break;
            }
        }
        if (!p->err && p->s[p->pos] != ')')
            p->err = 1;
        res = NULL;
        if (!p->err) {
            p->pos++;
            res = apply_fn(p, name, args, n);
        }
        for (i = 0; i < n; i++)
            json_decref(args[i]);
        p->depth--;
        return res;
    }
    return json_incref(parse_path(p));
}

static json_t *parse_expr(parser *p)
{
    json_t *best = parse_term(p);
    skip_ws(p);
    while (!p->err && p->s[p->pos] == '|') {
        json_t *alt;
        p->pos++;
        alt = parse_term(p);
        skip_ws(p);
        if (cxf_is_empty(best)) {
            json_decref(best);
            best = alt;
        } else {
            json_decref(alt);
        }
    }
    if (p->err) {
        json_decref(best);
        return NULL;
    }
    return best;
}

json_t *cxf_eval(const char *expr, json_t *root, const cxf_eval_opts *opts, int *err)
{
    parser p = {expr, 0, root, opts, 0, 0};
    json_t *v;
    if (!expr) {
        if (err)
            *err = 1;
        return NULL;
    }
    v = parse_expr(&p);
    skip_ws(&p);
    if (!p.err && p.s[p.pos] != '\0')
        p.err = 1;
    if (p.err) {
        json_decref(v);
        v = NULL;
    }
    if (err)
        *err = p.err;
    return v;
}

int cxf_expr_check(const char *expr)
{
    json_t *empty = json_object();
    int err = 0;
    json_t *v;
    if (!empty)
        return -1;
    v = cxf_eval(expr, empty, NULL, &err);
    json_decref(v);
    json_decref(empty);
    return err ? -1 : 0;
}

json_t *cxf_path_items(json_t *root, const char *path, int *bad_type)
{
    int err = 0;
    json_t *v = cxf_eval(path, root, NULL, &err), *arr;
    *bad_type = 0;
    if (err)
        return NULL;
    if (!v || json_is_null(v)) {
        json_decref(v);
        return json_array();
    }
    if (json_is_array(v))
        return v;
    if (json_is_object(v)) {
        arr = json_array();
        if (!arr || json_array_append_new(arr, v)) {
            json_decref(arr);
            return NULL;
        }
        return arr;
    }
    json_decref(v);
    *bad_type = 1;
    return NULL;
}
