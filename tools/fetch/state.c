/* state.c - state file. The order of commits per page is: records written
 * and fsync'ed, ids appended, then the state replaced atomically. A crash
 * between steps at worst re-fetches one page, and dedup drops the repeats. */
#include "state.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const kind_names[] = {"start", "cursor", "url", "page", "end"};

int cxf_state_set(char **field, const char *value)
{
    char *c = NULL;
    if (value && !(c = cxf_strdup(value)))
        return -1;
    free(*field);
    *field = c;
    return 0;
}

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

int cxf_state_save(const cxf_state *st, const char *path, const cxf_secrets *sec)
{
    json_t *o = json_object();
    char *text = NULL, *red = NULL, *nv = NULL;
    char when[40];
    int rc = -1;

    if (!o)
        goto out;
    /* The next URL may carry a key a server echoed back: store a placeholder. */
    if (st->next_value && !(nv = cxf_redact(sec, st->next_value, 1)))
        goto out;
    if (cxf_format_rfc3339(cxf_now_real(), when, sizeof when))
        strcpy(when, "1970-01-01T00:00:00Z");
    if (json_object_set_new(o, "v", json_integer(1)) ||
        json_object_set_new(o, "preset", jstr(st->preset)) ||
        json_object_set_new(o, "params_hash", json_string(st->params_hash)) ||
        json_object_set_new(o, "next",
                            json_pack("{s:s,s:o,s:I}", "kind", kind_names[st->next_kind], "value",
                                      jstr(nv), "page", (json_int_t)st->next_page)) ||
        json_object_set_new(o, "pages", json_integer(st->pages)) ||
        json_object_set_new(o, "items_written", json_integer(st->items_written)) ||
        json_object_set_new(o, "items_seen", json_integer(st->items_seen)) ||
        json_object_set_new(o, "dupes", json_integer(st->dupes)) ||
        json_object_set_new(o, "skipped", json_integer(st->skipped)) ||
        json_object_set_new(o, "newest_created_at", jstr(st->newest_created_at)) ||
        json_object_set_new(o, "newest_id", jstr(st->newest_id)) ||
        json_object_set_new(o, "cap_reached", json_boolean(st->cap_reached)) ||
        json_object_set_new(o, "done", json_boolean(st->done)) ||
        json_object_set_new(o, "append", json_boolean(st->append)) ||
        json_object_set_new(
            o, "slice",
            json_pack("{s:I,s:o,s:I,s:o,s:o}", "windows", (json_int_t)st->slices, "before",
                      st->slices ? json_integer((json_int_t)st->before) : json_null(),
                      "window_seen", (json_int_t)st->window_seen, "window_oldest",
                      st->has_oldest ? json_integer((json_int_t)st->window_oldest) : json_null(),
                      "window_newest",
                      st->has_oldest ? json_integer((json_int_t)st->window_newest)
                                     : json_null())) ||
        json_object_set_new(o, "stop_reason", jstr(st->stop_reason)) ||
        json_object_set_new(o, "limit",
                            json_pack("{s:b,s:I,s:I,s:I}", "stopped", st->limited, "base_items",
                                      (json_int_t)st->base_items, "base_pages",
                                      (json_int_t)st->base_pages, "page_written",
                                      (json_int_t)st->page_written)) ||
        json_object_set_new(o, "output_final", json_boolean(st->output_final)) ||
        json_object_set_new(o, "updated_at", json_string(when)))
        goto out;
    text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text)
        goto out;
    /* Belt and braces: ids, authors etc. may contain an echoed secret too. */
    red = cxf_redact(sec, text, 1);
    if (!red)
        goto out;
    if (cxf_replace_file(path, red))
        goto out;
    rc = 0;
out:
    json_decref(o);
    free(text);
    free(red);
    free(nv);
    return rc;
}

static int take_str(json_t *o, const char *key, char **dst, const cxf_secrets *sec)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        return 0;
    *dst = cxf_unredact(sec, json_string_value(v));
    return *dst ? 0 : -1;
}

int cxf_state_load(cxf_state *st, const char *path, const cxf_secrets *sec, char *err,
                   size_t errlen)
{
    json_error_t je;
    json_t *o = json_load_file(path, 0, &je), *next;
    const char *kind, *hash;
    size_t k;

    memset(st, 0, sizeof *st);
    if (!o) {
        snprintf(err, errlen, "cannot read state %s: %s", path, je.text);
        return -1;
    }
    if (json_integer_value(json_object_get(o, "v")) != 1) {
        snprintf(err, errlen, "state %s: unsupported version", path);
        json_decref(o);
        return -1;
    }
    hash = json_string_value(json_object_get(o, "params_hash"));
    if (hash)
        snprintf(st->params_hash, sizeof st->params_hash, "%s", hash);
    next = json_object_get(o, "next");
    kind = json_string_value(json_object_get(next, "kind"));
    for (k = 0; kind && k < sizeof kind_names / sizeof kind_names[0]; k++)
        if (!strcmp(kind, kind_names[k]))
            st->next_kind = (cxf_next_kind)k;
    st->next_page = (long)json_integer_value(json_object_get(next, "page"));
    st->pages = (long)json_integer_value(json_object_get(o, "pages"));
    st->items_written = (long)json_integer_value(json_object_get(o, "items_written"));
    st->items_seen = (long)json_integer_value(json_object_get(o, "items_seen"));
    st->dupes = (long)json_integer_value(json_object_get(o, "dupes"));
    st->skipped = (long)json_integer_value(json_object_get(o, "skipped"));
    st->cap_reached = json_is_true(json_object_get(o, "cap_reached"));
    st->done = json_is_true(json_object_get(o, "done"));
    st->append = json_is_true(json_object_get(o, "append"));
    st->output_final = json_is_true(json_object_get(o, "output_final"));
    {
        json_t *lim = json_object_get(o, "limit");
        st->limited = json_is_true(json_object_get(lim, "stopped"));
        st->base_items = (long)json_integer_value(json_object_get(lim, "base_items"));
        st->base_pages = (long)json_integer_value(json_object_get(lim, "base_pages"));
        st->page_written = (long)json_integer_value(json_object_get(lim, "page_written"));
        /* the counters feed the limit arithmetic: a hand-edited file must not
         * make a run stop at once or never */
        if (st->base_items < 0 || st->base_pages < 0 || st->page_written < 0 ||
            st->base_items > st->items_written || st->base_pages > st->pages) {
            snprintf(err, errlen, "state %s: invalid limit counters", path);
            json_decref(o);
            return -1;
        }
    }
    {
        json_t *sl = json_object_get(o, "slice"), *b = json_object_get(sl, "before");
        json_t *old = json_object_get(sl, "window_oldest");
        json_t *nw = json_object_get(sl, "window_newest");
        /* the bounds feed arithmetic (before - 1): keep them in 1970..9999 */
        const json_int_t hi = (json_int_t)253402300799LL;
        st->slices = (long)json_integer_value(json_object_get(sl, "windows"));
        st->window_seen = (long)json_integer_value(json_object_get(sl, "window_seen"));
        /* written before windows existed: everything seen was the first window */
        if (!sl)
            st->window_seen = (long)json_integer_value(json_object_get(o, "items_seen"));
        if (st->slices < 0 || st->window_seen < 0 ||
            (st->slices &&
             (!json_is_integer(b) || json_integer_value(b) < 1 || json_integer_value(b) > hi)) ||
            (json_is_integer(old) &&
             (json_integer_value(old) < 0 || json_integer_value(old) > hi)) ||
            (json_is_integer(nw) && (json_integer_value(nw) < 0 || json_integer_value(nw) > hi))) {
            snprintf(err, errlen, "state %s: invalid slice", path);
            json_decref(o);
            return -1;
        }
        st->before = (int64_t)json_integer_value(b);
        st->has_oldest = json_is_integer(old) && json_is_integer(nw);
        st->window_oldest = (int64_t)json_integer_value(old);
        st->window_newest = (int64_t)json_integer_value(nw);
    }
    if (take_str(o, "preset", &st->preset, sec) || take_str(next, "value", &st->next_value, sec) ||
        take_str(o, "newest_created_at", &st->newest_created_at, sec) ||
        take_str(o, "newest_id", &st->newest_id, sec) ||
        take_str(o, "stop_reason", &st->stop_reason, sec)) {
        snprintf(err, errlen, "out of memory");
        json_decref(o);
        cxf_state_free(st);
        return -1;
    }
    json_decref(o);
    if ((st->next_kind == CXF_NEXT_CURSOR || st->next_kind == CXF_NEXT_URL) && !st->next_value) {
        snprintf(err, errlen, "state %s: next value missing", path);
        cxf_state_free(st);
        return -1;
    }
    return 0;
}

void cxf_state_free(cxf_state *st)
{
    free(st->preset);
    free(st->next_value);
    free(st->newest_created_at);
    free(st->newest_id);
    free(st->stop_reason);
    memset(st, 0, sizeof *st);
}

int cxf_ids_append(const char *path, const uint64_t *keys, size_t n)
{
    fbuf b = {0};
    size_t i;
    int fd, rc = -1;
    if (!n)
        return 0;
    for (i = 0; i < n; i++)
        if (fbuf_printf(&b, "%016" PRIx64 "\n", keys[i]))
            goto out;
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd < 0)
        goto out;
    rc = (cxf_write_all(fd, b.data, b.len) || fsync(fd)) ? -1 : 0;
    if (close(fd))
        rc = -1;
out:
    fbuf_free(&b);
    return rc;
}

int cxf_ids_load(const char *path, cxf_dedup *d)
{
    FILE *f = fopen(path, "r");
    char line[64];
    if (!f)
        return errno == ENOENT ? 0 : -1;
    while (fgets(line, sizeof line, f)) {
        char *end;
        unsigned long long k = strtoull(line, &end, 16);
        if (end != line && *end == '\n' && cxf_dedup_add(d, (uint64_t)k) < 0) {
            fclose(f);
            return -1;
        }
    }
    fclose(f);
    return 0;
}
