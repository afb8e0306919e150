/* preset.c - load and validate preset documents; URL templates. */
#include "preset.h"

#include "path.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const record_keys[] = {"id",   "author", "created_at", "rating",
                                          "text", "url",    "lang"};

static int fail(char *err, size_t errlen, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (err && errlen) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static const char *get_str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static long get_long(json_t *o, const char *key, long dflt)
{
    json_t *v = json_object_get(o, key);
    if (json_is_integer(v))
        return (long)json_integer_value(v);
    if (json_is_real(v))
        return (long)json_real_value(v);
    return dflt;
}

/* A query-parameter filter ("slice", "since"): {"param", "value" with the
 * placeholder, "append", "join", "format": "epoch"|"iso8601"}. 0 ok. */
static int parse_qfilter(json_t *v, const char *placeholder, const char **param,
                         const char **value, int *append, const char **join, int *iso)
{
    const char *fmt = get_str(v, "format");
    json_t *jn = json_object_get(v, "join"), *ap = json_object_get(v, "append");
    *param = get_str(v, "param");
    *value = get_str(v, "value");
    *append = json_is_true(ap);
    *join = get_str(v, "join");
    *iso = fmt && !strcmp(fmt, "iso8601");
    if (!json_is_object(v) || !*param || !**param || !*value || !strstr(*value, placeholder) ||
        (fmt && strcmp(fmt, "epoch") && strcmp(fmt, "iso8601")) || (jn && !json_is_string(jn)) ||
        (ap && !json_is_boolean(ap)))
        return -1;
    return 0;
}

int cxf_preset_set_since(cxf_preset *p, json_t *v, char *err, size_t errlen)
{
    if (json_is_null(v)) {
        p->since_param = p->since_value = p->since_join = NULL;
        p->since_append = p->since_iso = 0;
        return 0;
    }
    if (parse_qfilter(v, "{since}", &p->since_param, &p->since_value, &p->since_append,
                      &p->since_join, &p->since_iso))
        return fail(err, errlen,
                    "preset %s: since needs param, value with {since}, format epoch|iso8601, "
                    "append a boolean, join a string",
                    p->name);
    /* The filter trims the old end of a newest-first list, so a page number
     * or cursor means the same with or without it (resume, --since changes). */
    if (!p->newest_first)
        return fail(err, errlen, "preset %s: since needs newest_first", p->name);
    return 0;
}

static int check_path(const char *what, const char *expr, char *err, size_t errlen)
{
    if (expr && cxf_expr_check(expr) != 0)
        return fail(err, errlen, "invalid expression for %s: %s", what, expr);
    return 0;
}

int cxf_preset_from_json(cxf_preset *p, json_t *doc, char *err, size_t errlen)
{
    json_t *pg, *rl, *cap, *v;
    const char *kind, *unit, *key;
    size_t i;

    memset(p, 0, sizeof *p);
    if (!json_is_object(doc))
        return fail(err, errlen, "preset is not a JSON object");
    p->doc = json_incref(doc);
    p->name = get_str(doc, "name");
    p->description = get_str(doc, "description");
    p->url = get_str(doc, "url");
    p->source = get_str(doc, "source");
    p->items = get_str(doc, "items");
    p->fields = json_object_get(doc, "fields");
    if (!p->name || !p->url || !p->items || !p->source) {
        cxf_preset_free(p);
        return fail(err, errlen, "preset needs string members name, url, source and items");
    }
    if (!json_is_object(p->fields) || !json_is_string(json_object_get(p->fields, "id")) ||
        !json_is_string(json_object_get(p->fields, "text"))) {
        cxf_preset_free(p);
        return fail(err, errlen, "preset %s: fields must map at least id and text", p->name);
    }
    json_object_foreach(p->fields, key, v) {
        int known = 0;
        for (i = 0; i < sizeof record_keys / sizeof record_keys[0]; i++)
            known |= !strcmp(key, record_keys[i]);
        if (!known || !json_is_string(v)) {
            cxf_preset_free(p);
            return fail(err, errlen, "preset %s: unknown or non-string field '%s'", p->name, key);
        }
        if (check_path(key, json_string_value(v), err, errlen)) {
            cxf_preset_free(p);
            return -1;
        }
    }
    p->require = get_str(json_object_get(doc, "filter"), "require");
    p->skip_if = get_str(json_object_get(doc, "filter"), "skip_if");

    p->pkind = CXF_PG_NONE;
    pg = json_object_get(doc, "paginate");
    kind = get_str(pg, "kind");
    if (kind && !strcmp(kind, "cursor")) {
        p->pkind = CXF_PG_CURSOR;
        p->next_path = get_str(pg, "next");
        p->next_param = get_str(pg, "param");
        if (!p->next_path || !p->next_param) {
            cxf_preset_free(p);
            return fail(err, errlen, "preset %s: cursor pagination needs next and param", p->name);
        }
    } else if (kind && !strcmp(kind, "link")) {
        p->pkind = CXF_PG_LINK;
    } else if (kind && !strcmp(kind, "page")) {
        p->pkind = CXF_PG_PAGE;
        p->page_param = get_str(pg, "param");
        p->page_start = get_long(pg, "start", 1);
        p->has_more = get_str(pg, "has_more");
        p->last_page = get_str(pg, "pages");
        p->last_page_is_count = 1;
        if (!p->page_param && !strstr(p->url, "{page}")) {
            cxf_preset_free(p);
            return fail(err, errlen, "preset %s: page pagination needs param or {page} in url",
                        p->name);
        }
        if (p->page_start < 0 || p->page_start > 1000) {
            cxf_preset_free(p);
            return fail(err, errlen, "preset %s: bad page start", p->name);
        }
    } else if (kind && strcmp(kind, "none")) {
        cxf_preset_free(p);
        return fail(err, errlen, "preset %s: unknown pagination kind '%s'", p->name, kind);
    }
    cap = json_object_get(doc, "cap");
    p->cap_pages = get_long(cap, "pages", 0);
    p->cap_items = get_long(cap, "items", 0);
    v = json_object_get(doc, "slice");
    if (v) {
        if (parse_qfilter(v, "{before}", &p->slice_param, &p->slice_value, &p->slice_append,
                          &p->slice_join, &p->slice_iso)) {
            cxf_preset_free(p);
            return fail(err, errlen,
                        "preset %s: slice needs param, value with {before}, format epoch|iso8601, "
                        "append a boolean, join a string",
                        p->name);
        }
        /* A window is bounded from above only, so it must start at the newest item. */
        if (!json_is_true(json_object_get(doc, "newest_first"))) {
            cxf_preset_free(p);
            return fail(err, errlen, "preset %s: slice needs newest_first", p->name);
        }
    }
    v = json_object_get(doc, "min_interval");
    p->min_interval = json_is_number(v) ? json_number_value(v) : 1.0;
    if (p->min_interval < 0 || p->min_interval > 3600)
        p->min_interval = 1.0;
    rl = json_object_get(doc, "ratelimit");
    p->rl_remaining = get_str(rl, "remaining");
    p->rl_reset = get_str(rl, "reset");
    unit = get_str(rl, "unit");
    p->reset_unit = CXF_UNIT_AUTO;
    if (unit && !strcmp(unit, "delta"))
        p->reset_unit = CXF_UNIT_DELTA;
    else if (unit && !strcmp(unit, "epoch"))
        p->reset_unit = CXF_UNIT_EPOCH;
    else if (unit && !strcmp(unit, "iso8601"))
        p->reset_unit = CXF_UNIT_ISO;
    p->backoff_path = get_str(doc, "backoff");
    p->error_path = get_str(doc, "error");
    p->default_max_pages = get_long(doc, "max_pages", 0);
    p->newest_first = json_is_true(json_object_get(doc, "newest_first"));
    v = json_object_get(doc, "since");
    if (v && cxf_preset_set_since(p, v, err, errlen)) {
        cxf_preset_free(p);
        return -1;
    }
    p->user_agent = get_str(doc, "user_agent");
    p->headers = json_object_get(doc, "headers");
    p->auth = json_object_get(doc, "auth");
    p->params = json_object_get(doc, "params");
    if ((p->headers && !json_is_object(p->headers)) || (p->auth && !json_is_array(p->auth)) ||
        (p->params && !json_is_object(p->params))) {
        cxf_preset_free(p);
        return fail(err, errlen, "preset %s: headers/params must be objects, auth an array",
                    p->name);
    }
    if (check_path("items", p->items, err, errlen) ||
        check_path("filter.require", p->require, err, errlen) ||
        check_path("filter.skip_if", p->skip_if, err, errlen) ||
        check_path("paginate.next", p->next_path, err, errlen) ||
        check_path("paginate.has_more", p->has_more, err, errlen) ||
        check_path("paginate.pages", p->last_page, err, errlen) ||
        check_path("backoff", p->backoff_path, err, errlen) ||
        check_path("error", p->error_path, err, errlen)) {
        cxf_preset_free(p);
        return -1;
    }
    return 0;
}

int cxf_preset_load_buffer(cxf_preset *p, const char *data, size_t len, char *err, size_t errlen)
{
    json_error_t je;
    json_t *doc = json_loadb(data, len, 0, &je);
    int rc;
    if (!doc)
        return fail(err, errlen, "preset JSON: %s (line %d)", je.text, je.line);
    rc = cxf_preset_from_json(p, doc, err, errlen);
    json_decref(doc);
    return rc;
}

int cxf_preset_load_file(cxf_preset *p, const char *path, char *err, size_t errlen)
{
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    int rc;
    if (!doc)
        return fail(err, errlen, "%s: %s (line %d)", path, je.text, je.line);
    rc = cxf_preset_from_json(p, doc, err, errlen);
    json_decref(doc);
    return rc;
}

int cxf_preset_builtin(cxf_preset *p, const char *name, char *err, size_t errlen)
{
    size_t i;
    for (i = 0; i < cxf_builtin_preset_count; i++) {
        const cxf_builtin_preset *b = &cxf_builtin_presets[i];
        cxf_preset tmp;
        if (cxf_preset_load_buffer(&tmp, (const char *)b->data, b->size, err, errlen) != 0)
            return -1; /* a broken built-in is a build bug; say so */
        if (!strcmp(tmp.name, name)) {
            *p = tmp;
            return 0;
        }
        cxf_preset_free(&tmp);
    }
    return fail(err, errlen, "unknown preset '%s' (try --list-presets)", name);
}

void cxf_preset_free(cxf_preset *p)
{
    json_decref(p->doc);
    memset(p, 0, sizeof *p);
}

char *cxf_template(const char *tpl, json_t *values, json_t *paramdefs, int encode, long page,
                   char *err, size_t errlen)
{
    fbuf b = {0};
    const char *s = tpl;
    while (*s) {
        const char *close;
        if (*s != '{' || !(close = strchr(s + 1, '}'))) {
            if (fbuf_putc(&b, *s++))
                goto nomem;
            continue;
        }
        {
            size_t nl = (size_t)(close - s - 1);
            char name[64];
            const char *val;
            json_t *def;
            int raw;
            if (nl == 0 || nl >= sizeof name) {
                if (fbuf_putc(&b, *s++))
                    goto nomem;
                continue;
            }
            memcpy(name, s + 1, nl);
            name[nl] = '\0';
            if (!strcmp(name, "page") && page >= 0) {
                if (fbuf_printf(&b, "%ld", page))
                    goto nomem;
                s = close + 1;
                continue;
            }
            val = get_str(values, name);
            if (!val) {
                fbuf_free(&b);
                fail(err, errlen, "missing value for {%s} (pass --%s VALUE)", name, name);
                return NULL;
            }
            def = json_object_get(paramdefs, name);
            raw = json_is_true(json_object_get(def, "raw"));
            if (raw) {
                /* Raw params go into the authority or path verbatim, so only
                 * allow characters that cannot change the URL's structure. */
                const char *c;
                for (c = val; *c; c++) {
                    if (!isalnum((unsigned char)*c) && !strchr(".-_:[]/", *c)) {
                        fbuf_free(&b);
                        fail(err, errlen, "invalid character in --%s", name);
                        return NULL;
                    }
                }
            }
            if (encode && !raw) {
                char *e = cxf_urlencode(val);
                int rc = e ? fbuf_puts(&b, e) : -1;
                free(e);
                if (rc)
                    goto nomem;
            } else if (fbuf_puts(&b, val)) {
                goto nomem;
            }
            s = close + 1;
        }
    }
    return fbuf_take(&b);
nomem:
    fbuf_free(&b);
    fail(err, errlen, "out of memory");
    return NULL;
}

int cxf_preset_apply_variants(cxf_preset *p, json_t *values)
{
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(p->doc, "variants"), key, v) {
        const char *url = get_str(v, "url"), *items = get_str(v, "items");
        if (!json_is_string(json_object_get(values, key)))
            continue;
        if (url)
            p->url = url;
        if (items) {
            if (cxf_expr_check(items))
                return -1;
            p->items = items;
        }
        p->cap_items = get_long(v, "cap_items", p->cap_items);
        p->cap_pages = get_long(v, "cap_pages", p->cap_pages);
        /* another endpoint has its own time filter, or none (null) */
        if (json_object_get(v, "since") &&
            cxf_preset_set_since(p, json_object_get(v, "since"), NULL, 0))
            return -1;
        return 0; /* first matching variant wins */
    }
    return 0;
}
