/* http.h - one reused libcurl easy handle with our safety settings. */
#ifndef CXSENT_FETCH_HTTP_H
#define CXSENT_FETCH_HTTP_H

#include <curl/curl.h>
#include <signal.h>
#include <stddef.h>

#include "util.h"

typedef struct cxf_http_cfg {
    long connect_timeout; /* seconds */
    long timeout;         /* whole-transfer backstop, seconds */
    long low_speed_time;  /* abort below 1 byte/s for this long */
    size_t max_body;      /* bytes, after decompression */
    int allow_http;       /* plain http allowed, loopback addresses only */
    int verbose;
    const char *cacert;
    const char *user_agent;
    const cxf_secrets *secrets;
    volatile sig_atomic_t *stop; /* SIGINT flag */
} cxf_http_cfg;

typedef struct cxf_http {
    CURL *h;
    cxf_http_cfg cfg;
    int refused_ip; /* set by the pre-request check */
} cxf_http;

typedef struct cxf_resp {
    long status;
    int cc;              /* CURLcode; CURLE_OK when a response arrived */
    char errmsg[CURL_ERROR_SIZE + 64];
    fbuf body;
    int capped;          /* body exceeded max_body */
    int interrupted;     /* SIGINT during transfer */
    char **hname, **hvalue;
    size_t nh, caph;
    double retry_after;  /* seconds, -1 if absent */
    char *effective_url;
} cxf_resp;

int cxf_http_init(cxf_http *c, const cxf_http_cfg *cfg);
void cxf_http_cleanup(cxf_http *c);

/* Perform GET (post_body NULL) or POST. headers may be NULL; userpwd enables
 * basic auth. Returns 0 when an HTTP response was received (any status), -1
 * for a transport error (r->cc, r->errmsg). r must be zeroed or freed first. */
int cxf_http_request(cxf_http *c, const char *url, struct curl_slist *headers,
                     const char *post_body, const char *userpwd, cxf_resp *r);
void cxf_resp_free(cxf_resp *r);
/* Last header with that name (case-insensitive), or NULL. */
const char *cxf_resp_header(const cxf_resp *r, const char *name);

/* URL helpers (malloc'd results, NULL on error). */
char *cxf_url_host(const char *url); /* "host:port" */
char *cxf_url_resolve(const char *base, const char *rel);
char *cxf_url_set_param(const char *url, const char *name, const char *value);
/* Decoded value of query parameter name (first occurrence) in *out:
 * 1 found, 0 absent, -1 ENOMEM. */
int cxf_url_get_param(const char *url, const char *name, char **out);
/* URL of rel="next" among all Link headers of r (resolved against base). */
char *cxf_link_next(const cxf_resp *r, const char *base);
/* Parse one Link header value; malloc'd raw target of rel="next" or NULL. */
char *cxf_link_parse_next(const char *value);

/* Is CURLcode cc worth retrying? */
int cxf_curl_retryable(int cc);

#endif
