/* page.c - response body -> items + pagination hints.
 *
 * The page is all-or-nothing: if any part of the document is invalid
 * (jansson rejects raw invalid UTF-8, unpaired \uD83D escapes and integers
 * beyond int64) no record from it is emitted, so a retry or a resume never
 * sees half a page. */
#include "page.h"

#include "path.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cxf_page_parse(const cxf_preset *p, const char *body, size_t len, cxf_page *page, char *err,
                   size_t errlen)
{
    json_error_t je;
    int bad = 0;
    json_t *v;

    memset(page, 0, sizeof *page);
    page->has_more = -1;
    page->pages = -1;
    page->root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!page->root) {
        snprintf(err, errlen, "invalid JSON at byte %d: %s", je.position, je.text);
        return -1;
    }
    if (p->error_path) {
        v = cxf_eval(p->error_path, page->root, NULL, NULL);
        if (!cxf_is_empty(v))
            page->api_error = cxf_scalar_string(v);
        json_decref(v);
    }
    page->items = cxf_path_items(page->root, p->items, &bad);
    if (!page->items) {
        snprintf(err, errlen, bad ? "items at '%s' is neither array nor object"
                                  : "cannot evaluate items path '%s'",
                 p->items);
        cxf_page_free(page);
        return -1;
    }
    if (p->next_path) {
        v = cxf_eval(p->next_path, page->root, NULL, NULL);
        if (!cxf_is_empty(v))
            page->next = cxf_scalar_string(v);
        json_decref(v);
    }
    if (p->has_more) {
        v = cxf_eval(p->has_more, page->root, NULL, NULL);
        if (json_is_boolean(v))
            page->has_more = json_is_true(v);
        json_decref(v);
    }
    if (p->last_page) {
        v = cxf_eval(p->last_page, page->root, NULL, NULL);
        if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) < 1000000000)
            page->pages = (long)json_integer_value(v);
        json_decref(v);
    }
    if (p->backoff_path) {
        v = cxf_eval(p->backoff_path, page->root, NULL, NULL);
        if (json_is_number(v)) {
            double d = json_number_value(v);
            if (isfinite(d) && d > 0)
                page->backoff = d;
        }
        json_decref(v);
    }
    return 0;
}

void cxf_page_free(cxf_page *page)
{
    json_decref(page->items);
    json_decref(page->root);
    free(page->next);
    free(page->api_error);
    memset(page, 0, sizeof *page);
}
