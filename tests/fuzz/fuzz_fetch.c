/* fuzz_fetch.c - libFuzzer target for cxsent-fetch's response parsing and
 * path engine (links cxsent_fetch_core).
 *
 * The first byte picks what the rest is fed to:
 *   0 .. N-1  a response body for built-in preset N (page parser + path
 *             engine + record builder + JSONL dump), N = cxf_builtin_preset_count
 *   N         an HTML fragment for the HTML-to-text converter
 *   N+1       a Link header value; the same string as a URL whose query
 *             parameter is decoded, and as a token whose JWT exp is read
 *   N+2       a rate-limit reset value (all units) / ISO-8601 timestamp
 *   N+3       a field expression, evaluated against a fixed document
 * Inputs over 256 KiB are skipped (the tool caps bodies anyway). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "http.h"
#include "pace.h"
#include "page.h"
#include "path.h"
#include "preset.h"
#include "record.h"
#include "token.h"
#include "util.h"

static void fuzz_page(size_t which, const char *body, size_t len)
{
    const cxf_builtin_preset *b = &cxf_builtin_presets[which];
    cxf_preset p;
    cxf_page pg;
    cxf_secrets sec = {0};
    char err[256];
    size_t i;
    if (cxf_preset_load_buffer(&p, (const char *)b->data, b->size, err, sizeof err))
        abort(); /* built-in presets must always load */
    cxf_secrets_add(&sec, "CXSENT_FUZZ", "tok3n");
    if (cxf_page_parse(&p, body, len, &pg, err, sizeof err) == 0) {
        for (i = 0; i < json_array_size(pg.items); i++) {
            cxf_record_opts ro = {"fuzz", (int)(i & 1), (int)(i & 2), 0, &sec};
            json_t *rec = NULL;
            cxf_skip skip;
            if (cxf_record_build(&p, json_array_get(pg.items, i), &ro, &rec, &skip) == 0 && rec) {
                char *line = cxf_record_dump(rec);
                /* every record must be one line of valid JSON */
                if (line) {
                    size_t n = strlen(line);
                    json_t *back;
                    if (n == 0 || line[n - 1] != '\n' || memchr(line, '\n', n - 1))
                        abort();
                    back = json_loadb(line, n, 0, NULL);
                    if (!back)
                        abort();
                    json_decref(back);
                }
                free(line);
                json_decref(rec);
            }
        }
        cxf_page_free(&pg);
    }
    cxf_secrets_free(&sec);
    cxf_preset_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = cxf_builtin_preset_count, mode;
    char *s;
    if (size < 1 || size > 256 * 1024)
        return 0;
    mode = data[0] % (n + 4);
    s = malloc(size); /* NUL-terminated copy of data[1..] */
    if (!s)
        return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    if (mode < n) {
        fuzz_page(mode, s, size - 1);
    } else if (mode == n) {
        fbuf out = {0};
        cxf_html_to_text(s, size - 1, &out);
        fbuf_free(&out);
    } else if (mode == n + 1) {
        char *v = NULL;
        double exp;
        free(cxf_link_parse_next(s));
        /* same mode as Link values, so the corpus keeps its meaning */
        if (cxf_url_get_param(s, "q", &v) == 1 && !v)
            abort(); /* found means a string */
        free(v);
        cxf_jwt_exp(s, &exp);
    } else if (mode == n + 2) {
        double e;
        cxf_reset_seconds(s, CXF_UNIT_AUTO, 1.7e9);
        cxf_reset_seconds(s, CXF_UNIT_DELTA, 1.7e9);
        cxf_reset_seconds(s, CXF_UNIT_EPOCH, 1.7e9);
        cxf_reset_seconds(s, CXF_UNIT_ISO, 1.7e9);
        if (cxf_parse_iso8601(s, &e) == 0) {
            char buf[40];
            cxf_format_rfc3339(e, buf, sizeof buf);
        }
    } else {
        static const char doc[] =
            "{\"a\":{\"b\":[1,\"x\",{\"c\":\"<p>hi &amp; bye</p>\"}],\"im:r\":{\"label\":\"4\"}},"
            "\"t\":1740826800.5,\"s\":\"2025-03-01T10:00:00+02:00\",\"e\":\"\",\"n\":null,"
            "\"a.b\":true,\"o\":{\"k\":\"at://did/x/rkey\"}}";
        json_t *root = json_loads(doc, 0, NULL);
        cxf_eval_opts eo = {0};
        json_t *v = cxf_eval(s, root, &eo, NULL);
        char *str = cxf_scalar_string(v);
        free(str);
        json_decref(v);
        json_decref(root);
    }
    free(s);
    return 0;
}
