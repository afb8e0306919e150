/* fetch.h - options and the fetch loop (pagination, retries, state). */
#ifndef CXSENT_FETCH_FETCH_H
#define CXSENT_FETCH_FETCH_H

#include <jansson.h>
#include <signal.h>
#include <stddef.h>

#include "preset.h"

/* Documented exit codes (see cxsent-fetch.1). */
enum {
    CXF_EXIT_OK = 0,          /* done, including user limits and source caps */
    CXF_EXIT_INTERRUPTED = 1, /* SIGINT; state saved, --resume continues */
    CXF_EXIT_USAGE = 2,
    CXF_EXIT_AUTH = 3,        /* 401/403: credentials or access policy */
    CXF_EXIT_RATELIMIT = 4,   /* required wait > --max-wait, or 429 retries exhausted */
    CXF_EXIT_NETWORK = 5,     /* network/HTTP errors, 5xx retries exhausted */
    CXF_EXIT_PARSE = 6,       /* unparseable/oversized/corrupt responses */
    CXF_EXIT_IO = 7           /* local files */
};

typedef struct cxf_opts {
    const char *preset_name;
    const char *preset_file;
    /* generic mode */
    const char *url, *items, *source;
    const char *next_path, *next_param, *page_param, *has_more, *pages_path;
    int next_link;
    long page_start;
    json_t *gen_fields;   /* object record key -> expression */
    json_t *param_values; /* object param -> value */
    json_t *auth_extra;   /* array of auth entries from --auth-env etc. */
    /* common */
    const char *output, *state_path;
    int resume;
    int append;              /* -o FILE is appended to, no FILE.part */
    const char *token_cache; /* login token cache (default STATE.token) */
    int no_token_cache;
    long max_items, max_pages;
    int max_pages_set;
    double since;
    double min_interval;
    int min_interval_set;
    long max_retries;
    double max_wait;
    size_t max_body;
    long timeout, connect_timeout, low_speed_time;
    const char *contact, *base_url, *cacert;
    int keep_deleted, raw_text, allow_http, verbose;
} cxf_opts;

void cxf_opts_init(cxf_opts *o);
void cxf_opts_free(cxf_opts *o);

/* Build a preset document from generic-mode options. */
int cxf_generic_preset(const cxf_opts *o, cxf_preset *p, char *err, size_t errlen);

/* Run the fetch. stop is the SIGINT flag. Returns an exit code. */
int cxf_run(const cxf_opts *o, const cxf_preset *p, volatile sig_atomic_t *stop);

/* Replace scheme://authority of url by base (which may carry a path). */
char *cxf_rebase_url(const char *url, const char *base);

#endif
