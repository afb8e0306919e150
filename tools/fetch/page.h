/* page.h - parse one response body: items, next token, has_more, backoff. */
#ifndef CXSENT_FETCH_PAGE_H
#define CXSENT_FETCH_PAGE_H

#include <jansson.h>
#include <stddef.h>

#include "preset.h"

typedef struct cxf_page {
    json_t *root;   /* whole document */
    json_t *items;  /* array (new reference) */
    char *next;     /* cursor token, NULL when absent/empty */
    int has_more;   /* -1 unknown, 0 no, 1 yes */
    long pages;     /* page count from the body, -1 unknown */
    double backoff; /* seconds requested by the body, 0 none */
    char *api_error; /* message from the preset's error path, if any */
} cxf_page;

/* Parse body into page. 0 ok; -1 with message (unparseable, wrong type). */
int cxf_page_parse(const cxf_preset *p, const char *body, size_t len, cxf_page *page, char *err,
                   size_t errlen);
void cxf_page_free(cxf_page *page);

#endif
