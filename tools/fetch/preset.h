/* preset.h - source presets are data: a JSON document per source describing
 * the URL template, where the items are, how to paginate, how fields map onto
 * a record, rate-limit header units and authentication. Built-in presets are
 * the files in tools/fetch/presets/, embedded at build time. */
#ifndef CXSENT_FETCH_PRESET_H
#define CXSENT_FETCH_PRESET_H

#include <jansson.h>
#include <stddef.h>

#include "util.h"

typedef enum cxf_pkind { CXF_PG_NONE, CXF_PG_CURSOR, CXF_PG_LINK, CXF_PG_PAGE } cxf_pkind;
typedef enum cxf_unit { CXF_UNIT_AUTO, CXF_UNIT_DELTA, CXF_UNIT_EPOCH, CXF_UNIT_ISO } cxf_unit;

typedef struct cxf_preset {
    json_t *doc;           /* owns every string below */
    const char *name;
    const char *description;
    const char *url;       /* template: {param}, {page} */
    const char *source;    /* template, e.g. "mastodon:{instance}" */
    const char *items;     /* path to the item array */
    json_t *fields;        /* object: record key -> expression */
    const char *require;   /* item kept only if this path is non-empty */
    const char *skip_if;   /* item skipped if this path is non-empty */
    cxf_pkind pkind;
    const char *next_path;  /* cursor: body path of the next token */
    const char *next_param; /* cursor: query parameter that carries it */
    const char *page_param; /* page: query parameter (unless url has {page}) */
    long page_start;        /* page: first page number (0 or 1) */
    const char *has_more;   /* page: boolean body path, false = last page */
    const char *last_page;  /* page: body path of the page count (nbPages) */
    int last_page_is_count; /* last_page holds a count, not the last index */
    long cap_pages;         /* documented source cap: max pages (0 = none) */
    long cap_items;         /* documented source cap: max hits (0 = none) */
    /* Time-window slicing past cap_items (newest-first sources with a time
     * filter): the query parameter that carries the window's upper bound,
     * its value template with {before}, whether the value is appended to the
     * parameter's existing value (GitHub's q) or replaces it (Algolia's
     * numericFilters), and the bound's format (epoch seconds or RFC 3339). */
    const char *slice_param, *slice_value;
    int slice_append, slice_iso;
    const char *slice_join; /* put between the existing value and an appended one */
    /* Server-side --since (newest-first sources with a lower time filter):
     * the query parameter, its value template with {since} (--since rounded
     * down to the second), append or set, the separator for append, and the
     * format. Items older than --since are still dropped client-side. */
    const char *since_param, *since_value, *since_join;
    int since_append, since_iso;
    double min_interval;    /* politeness floor between requests, seconds */
    const char *rl_remaining, *rl_reset; /* header names */
    cxf_unit reset_unit;
    const char *backoff_path; /* body field with seconds to wait (Stack Exchange) */
    const char *error_path;   /* body field holding an API error message */
    long default_max_pages;   /* 0 = use the global default */
    int newest_first;         /* items are ordered newest first (for --since) */
    const char *user_agent;   /* template with {version} {contact} */
    json_t *headers;          /* object name -> value (non-secret) */
    json_t *auth;             /* array of auth entries (see README) */
    json_t *params;           /* object name -> {required, default, raw, help} */
} cxf_preset;

typedef struct cxf_builtin_preset {
    const char *file;
    const unsigned char *data;
    size_t size;
} cxf_builtin_preset;

/* Generated from presets/ by embed_presets.cmake. */
extern const cxf_builtin_preset cxf_builtin_presets[];
extern const size_t cxf_builtin_preset_count;

/* Parse and validate a preset document (takes its own reference to doc).
 * 0 ok; -1 with a message in err. */
int cxf_preset_from_json(cxf_preset *p, json_t *doc, char *err, size_t errlen);
int cxf_preset_load_buffer(cxf_preset *p, const char *data, size_t len, char *err, size_t errlen);
int cxf_preset_load_file(cxf_preset *p, const char *path, char *err, size_t errlen);
/* Find a built-in preset by name. 0 ok, -1 unknown/invalid. */
int cxf_preset_builtin(cxf_preset *p, const char *name, char *err, size_t errlen);
void cxf_preset_free(cxf_preset *p);
/* Apply the first "variants" entry whose parameter is set in values (e.g.
 * github-issues --repo switches URL and items path). 0 ok, -1 bad variant. */
int cxf_preset_apply_variants(cxf_preset *p, json_t *values);

/* Set (object) or clear (null) the server-side --since filter of p, e.g. from
 * a variant. 0 ok; -1 with a message in err (err may be NULL). */
int cxf_preset_set_since(cxf_preset *p, json_t *v, char *err, size_t errlen);

/* Expand {name} placeholders from values (object name -> string). Values of
 * params not marked "raw" are percent-encoded when encode != 0. {page} is
 * replaced by page when page >= 0. NULL + message on error. */
char *cxf_template(const char *tpl, json_t *values, json_t *paramdefs, int encode, long page,
                   char *err, size_t errlen);

#endif
