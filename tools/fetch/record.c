/* record.c - item -> normalised record. */
#include "record.h"

#include "path.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Evaluate a field and return it as a fresh string (or NULL). */
static char *field_string(const cxf_preset *p, const char *key, json_t *item,
                          const cxf_eval_opts *eo)
{
    json_t *expr = json_object_get(p->fields, key), *v;
    char *s;
    if (!json_is_string(expr))
        return NULL;
    v = cxf_eval(json_string_value(expr), item, eo, NULL);
    s = cxf_is_empty(v) ? NULL : cxf_scalar_string(v);
    json_decref(v);
    return s;
}

static void trim(char *s)
{
    size_t n = strlen(s), a = 0;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    while (s[a] == ' ' || s[a] == '\n' || s[a] == '\t' || s[a] == '\r')
        a++;
    if (a)
        memmove(s, s + a, n - a + 1);
}

/* Add key: string value (redacted) or null. Takes ownership of val. */
static int put_str(json_t *rec, const char *key, char *val, const cxf_secrets *sec)
{
    json_t *j;
    if (!val)
        return json_object_set_new(rec, key, json_null());
    if (sec && cxf_has_secret(sec, val)) {
        char *r = cxf_redact(sec, val, 0);
        free(val);
        if (!r)
            return -1;
        val = r;
    }
    j = json_string(val);
    free(val);
    /* json_string fails only on ENOMEM or invalid UTF-8; the latter cannot
     * come from jansson-parsed input, but degrade to null rather than fail. */
    return json_object_set_new(rec, key, j ? j : json_null());
}

int cxf_record_time(const cxf_preset *p, json_t *item, double *epoch)
{
    json_t *expr = json_object_get(p->fields, "created_at"), *v;
    double d = 0;
    int ok = 0;
    *epoch = 0;
    if (!json_is_string(expr) || !json_is_object(item))
        return -1;
    /* raw_text is irrelevant for a time; NULL options are the defaults */
    v = cxf_eval(json_string_value(expr), item, NULL, NULL);
    if (json_is_number(v)) {
        d = json_number_value(v);
        if (d > 1e11)
            d /= 1000.0; /* epoch milliseconds */
        ok = isfinite(d);
    } else if (json_is_string(v)) {
        ok = cxf_parse_iso8601(json_string_value(v), &d) == 0;
    }
    json_decref(v);
    if (!ok)
        return -1;
    *epoch = d;
    return 0;
}

static char *normalise_time(const cxf_preset *p, json_t *item, double *epoch)
{
    char buf[40];
    if (cxf_record_time(p, item, epoch) || cxf_format_rfc3339(*epoch, buf, sizeof buf)) {
        *epoch = 0;
        return NULL;
    }
    return cxf_strdup(buf);
}

int cxf_record_build(const cxf_preset *p, json_t *item, const cxf_record_opts *o, json_t **out,
                     cxf_skip *skip)
{
    cxf_eval_opts eo = {o->raw_text};
    json_t *rec = NULL, *v, *expr;
    char *id = NULL, *text = NULL, *created = NULL, *author = NULL;
    double epoch = 0;
    json_int_t rating = 0;

    *out = NULL;
    *skip = CXF_KEEP;
    if (!json_is_object(item)) {
        *skip = CXF_SKIP_FILTER;
        return 0;
    }
    if (p->require) {
        v = cxf_eval(p->require, item, NULL, NULL);
        int empty = cxf_is_empty(v);
        json_decref(v);
        if (empty) {
            *skip = CXF_SKIP_FILTER;
            return 0;
        }
    }
    if (p->skip_if) {
        v = cxf_eval(p->skip_if, item, NULL, NULL);
        int empty = cxf_is_empty(v);
        json_decref(v);
        if (!empty) {
            *skip = CXF_SKIP_FILTER;
            return 0;
        }
    }
    id = field_string(p, "id", item, &eo);
    if (!id) {
        *skip = CXF_SKIP_NO_ID;
        return 0;
    }
    text = field_string(p, "text", item, &eo);
    if (text)
        trim(text);
    if (!o->keep_deleted &&
        (!text || !*text || !strcmp(text, "[deleted]") || !strcmp(text, "[removed]"))) {
        *skip = CXF_SKIP_DELETED;
        goto done;
    }
    created = normalise_time(p, item, &epoch);
    if (o->since > 0 && created && epoch < o->since) {
        *skip = CXF_SKIP_OLD;
        goto done;
    }
    author = field_string(p, "author", item, &eo);
    if (author && (!strcmp(author, "[deleted]") || !*author)) {
        free(author);
        author = NULL;
    }
    expr = json_object_get(p->fields, "rating");
    if (json_is_string(expr)) {
        v = cxf_eval(json_string_value(expr), item, &eo, NULL);
        if (json_is_integer(v))
            rating = json_integer_value(v);
        else if (json_is_real(v) && json_real_value(v) == floor(json_real_value(v)))
            rating = (json_int_t)json_real_value(v);
        else if (json_is_string(v))
            rating = (json_int_t)strtol(json_string_value(v), NULL, 10);
        json_decref(v);
        if (rating < 1 || rating > 5)
            rating = 0; /* only true 1-5 star ratings */
    }

    rec = json_object();
    if (!rec)
        goto nomem;
    /* put_str() always takes ownership, so hand each string over first. */
#define GIVE(var) (tmp = (var), (var) = NULL, tmp)
    {
        char *tmp;
        if (put_str(rec, "id", GIVE(id), o->secrets) ||
            put_str(rec, "source", o->source ? cxf_strdup(o->source) : NULL, o->secrets) ||
            put_str(rec, "author", GIVE(author), o->secrets) ||
            put_str(rec, "created_at", GIVE(created), o->secrets) ||
            json_object_set_new(rec, "rating", rating ? json_integer(rating) : json_null()) ||
            put_str(rec, "text", GIVE(text), o->secrets) ||
            put_str(rec, "url", field_string(p, "url", item, &eo), o->secrets) ||
            put_str(rec, "lang", field_string(p, "lang", item, &eo), o->secrets))
            goto nomem;
    }
#undef GIVE
    *out = rec;
    return 0;

nomem:
    json_decref(rec);
    free(id);
    free(text);
    free(created);
    free(author);
    return -1;
done:
    free(id);
    free(text);
    free(created);
    return 0;
}

char *cxf_record_dump(json_t *rec)
{
    char *s = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
    fbuf b = {0};
    if (!s)
        return NULL;
    if (fbuf_puts(&b, s) || fbuf_putc(&b, '\n')) {
        free(s);
        fbuf_free(&b);
        return NULL;
    }
    free(s);
    return fbuf_take(&b);
}
