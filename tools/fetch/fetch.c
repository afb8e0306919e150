/* fetch.c - the fetch loop: one page at a time, each committed (records,
 * ids, state) before the next request, so any interruption resumes cleanly. */
#include "fetch.h"

#include "dedup.h"
#include "http.h"
#include "pace.h"
#include "page.h"
#include "path.h"
#include "record.h"
#include "state.h"
#include "token.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct run {
    const cxf_opts *o;
    const cxf_preset *p;
    volatile sig_atomic_t *stop;
    cxf_secrets sec;
    cxf_http http;
    cxf_pacer pacer;
    unsigned long long seed;
    json_t *values;      /* template values: params + defaults */
    json_t *auth;        /* merged auth entries (borrowed items) */
    char *source;
    char *first_url;     /* expanded template, page/cursor not yet applied */
    char *ua;
    char *bearer;        /* token from a session / client-credentials login */
    double bearer_exp;   /* when it expires (epoch s), 0 = unknown */
    char *refresh;       /* session refresh token (preset auth "refresh"), or NULL */
    int login_kind;      /* 0 none, 1 session, 2 client credentials */
    json_t *login;       /* the login auth entry */
    char *cache_path;    /* token cache file, NULL = keep tokens in memory only */
    char *cache_key;     /* which login a cached token belongs to */
    cxf_state st;
    cxf_dedup dd;
    cxf_dedup seen_next; /* cursors / next URLs already followed */
    int out_fd;
    char *part_path;
    char *ids_path;
    long max_pages;
    double min_interval;
} run;

static int sleep_for(run *r, double secs)
{
    double end = cxf_now_mono() + secs;
    while (!*r->stop) {
        double left = end - cxf_now_mono();
        struct timespec ts;
        if (left <= 0)
            return 0;
        if (left > 0.1)
            left = 0.1;
        ts.tv_sec = 0;
        ts.tv_nsec = (long)(left * 1e9);
        nanosleep(&ts, NULL);
    }
    return 1;
}

char *cxf_rebase_url(const char *url, const char *base)
{
    const char *sep = strstr(url, "://"), *rest;
    size_t bl = strlen(base);
    fbuf b = {0};
    if (!sep)
        return NULL;
    rest = sep + 3;
    rest += strcspn(rest, "/?#");
    while (bl && base[bl - 1] == '/')
        bl--;
    if (fbuf_append(&b, base, bl) || fbuf_puts(&b, rest)) {
        fbuf_free(&b);
        return NULL;
    }
    return fbuf_take(&b);
}

/* ---- authentication ---------------------------------------------------- */

static const char *env_of(json_t *entry, const char *key)
{
    return json_string_value(json_object_get(entry, key));
}

/* Expand ${VAR} from the environment inside a JSON template (strings only). */
static json_t *expand_env(json_t *tpl)
{
    const char *k;
    json_t *v, *out;
    size_t i;
    if (json_is_string(tpl)) {
        const char *s = json_string_value(tpl);
        fbuf b = {0};
        while (*s) {
            const char *close;
            if (s[0] == '$' && s[1] == '{' && (close = strchr(s, '}'))) {
                char name[128];
                size_t nl = (size_t)(close - s - 2);
                const char *val;
                if (nl >= sizeof name) {
                    fbuf_free(&b);
                    return NULL;
                }
                memcpy(name, s + 2, nl);
                name[nl] = '\0';
                val = getenv(name);
                if (fbuf_puts(&b, val ? val : "")) {
                    fbuf_free(&b);
                    return NULL;
                }
                s = close + 1;
            } else if (fbuf_putc(&b, *s++)) {
                fbuf_free(&b);
                return NULL;
            }
        }
        {
            char *t = fbuf_take(&b);
            json_t *j = t ? json_string(t) : NULL;
            free(t);
            return j;
        }
    }
    if (json_is_object(tpl)) {
        out = json_object();
        json_object_foreach(tpl, k, v) {
            json_t *e = expand_env(v);
            if (!out || !e || json_object_set_new(out, k, e)) {
                json_decref(out);
                return NULL;
            }
        }
        return out;
    }
    if (json_is_array(tpl)) {
        out = json_array();
        json_array_foreach(tpl, i, v) {
            json_t *e = expand_env(v);
            if (!out || !e || json_array_append_new(out, e)) {
                json_decref(out);
                return NULL;
            }
        }
        return out;
    }
    return json_incref(tpl);
}

static int json_in_list(json_t *arr, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
        if (json_is_string(v) && !strcmp(json_string_value(v), s))
            return 1;
    return 0;
}

/* Register every environment secret the auth entries name; check presence. */
static int collect_secrets(run *r)
{
    size_t i;
    json_t *e;
    json_array_foreach(r->auth, i, e) {
        static const char *const keys[] = {"env", "id_env", "secret_env"};
        const char *kind = env_of(e, "kind");
        int optional = json_is_true(json_object_get(e, "optional"));
        json_t *envs = json_object_get(e, "envs");
        size_t k, j;
        json_t *ev;
        int missing = 0;
        for (k = 0; k < 3; k++) {
            const char *name = env_of(e, keys[k]);
            const char *val = name ? getenv(name) : NULL;
            if (name && (!val || !*val)) {
                if (!optional) {
                    cxf_log(NULL, "preset needs the environment variable %s (%s auth)", name,
                            kind ? kind : "?");
                    return CXF_EXIT_USAGE;
                }
                missing = 1;
            }
            if (val && cxf_secrets_add(&r->sec, name, val))
                return CXF_EXIT_IO;
        }
        json_array_foreach(envs, j, ev) {
            const char *name = json_string_value(ev);
            const char *val = name ? getenv(name) : NULL;
            if (name && (!val || !*val)) {
                if (!optional) {
                    cxf_log(NULL, "preset needs the environment variable %s (%s auth)", name,
                            kind ? kind : "?");
                    return CXF_EXIT_USAGE;
                }
                missing = 1;
            }
            /* A login handle is an identifier, not a secret: redacting it
             * would blank the author of the user's own posts. */
            if (val && !json_in_list(json_object_get(e, "public_envs"), name) &&
                cxf_secrets_add(&r->sec, name, val))
                return CXF_EXIT_IO;
        }
        if (!missing && kind && (!strcmp(kind, "session") || !strcmp(kind, "client_credentials"))) {
            r->login = e;
            r->login_kind = !strcmp(kind, "session") ? 1 : 2;
        }
    }
    return 0;
}

static struct curl_slist *build_headers(run *r)
{
    struct curl_slist *l = NULL, *t;
    const char *k;
    json_t *v, *e;
    size_t i;
    fbuf b = {0};
    json_object_foreach(r->p->headers, k, v) {
        if (!json_is_string(v))
            continue;
        fbuf_reset(&b);
        if (fbuf_printf(&b, "%s: %s", k, json_string_value(v)) || !(t = curl_slist_append(l, b.data)))
            goto fail;
        l = t;
    }
    json_array_foreach(r->auth, i, e) {
        const char *kind = env_of(e, "kind"), *name = env_of(e, "env");
        const char *val = name ? getenv(name) : NULL;
        fbuf_reset(&b);
        if (!kind || !val || !*val)
            continue;
        if (!strcmp(kind, "bearer")) {
            if (fbuf_printf(&b, "Authorization: Bearer %s", val))
                goto fail;
        } else if (!strcmp(kind, "header") && env_of(e, "name")) {
            if (fbuf_printf(&b, "%s: %s", env_of(e, "name"), val))
                goto fail;
        } else {
            continue;
        }
        if (!(t = curl_slist_append(l, b.data)))
            goto fail;
        l = t;
    }
    if (r->bearer) {
        fbuf_reset(&b);
        if (fbuf_printf(&b, "Authorization: Bearer %s", r->bearer) ||
            !(t = curl_slist_append(l, b.data)))
            goto fail;
        l = t;
    }
    fbuf_free(&b);
    return l ? l : curl_slist_append(NULL, "Accept: application/json");
fail:
    fbuf_free(&b);
    curl_slist_free_all(l);
    return NULL;
}

/* Apply query-parameter credentials to a request URL. */
static char *auth_url(run *r, const char *url)
{
    char *cur = cxf_strdup(url);
    json_t *e;
    size_t i;
    json_array_foreach(r->auth, i, e) {
        const char *kind = env_of(e, "kind"), *name = env_of(e, "env"), *param = env_of(e, "param");
        const char *val = name ? getenv(name) : NULL;
        char *n;
        if (!cur || !kind || strcmp(kind, "query") || !param || !val || !*val)
            continue;
        n = cxf_url_set_param(cur, param, val);
        free(cur);
        cur = n;
    }
    return cur;
}

static char *login_url(run *r, const char *tpl)
{
    char err[256];
    char *u = cxf_template(tpl, r->values, r->p->params, 1, -1, err, sizeof err), *rb;
    if (!u) {
        cxf_log(&r->sec, "login url: %s", err);
        return NULL;
    }
    if (!r->o->base_url)
        return u;
    rb = cxf_rebase_url(u, r->o->base_url);
    free(u);
    return rb;
}

/* ---- token cache ------------------------------------------------------- */

/* A cached token is reused only by the same login: kind, login URL and the
 * public identity (the Bluesky handle, the Reddit client id). Secrets are not
 * part of the key: a fast hash of a password must not sit on disk. Without a
 * public identity two accounts could not be told apart, so no cache. */
static int make_cache_key(run *r)
{
    const char *tpl = env_of(r->login, "url");
    const char *kind = r->login_kind == 1 ? "session" : "client_credentials";
    char *url = tpl ? login_url(r, tpl) : NULL;
    uint64_t h = CXF_FNV_SEED;
    int ident = 0;
    size_t i;
    json_t *v;
    if (!url)
        return 1; /* do_login reports the bad template */
    h = cxf_fnv1a("cxsent-fetch token v1", strlen("cxsent-fetch token v1") + 1, h);
    h = cxf_fnv1a(kind, strlen(kind) + 1, h);
    h = cxf_fnv1a(url, strlen(url) + 1, h);
    free(url);
    if (r->login_kind == 1) {
        json_array_foreach(json_object_get(r->login, "public_envs"), i, v) {
            const char *val = json_is_string(v) ? getenv(json_string_value(v)) : NULL;
            if (val && *val) {
                h = cxf_fnv1a(val, strlen(val) + 1, h);
                ident = 1;
            }
        }
    } else {
        const char *id = env_of(r->login, "id_env");
        const char *val = id ? getenv(id) : NULL;
        if (val && *val) {
            h = cxf_fnv1a(val, strlen(val) + 1, h);
            ident = 1;
        }
    }
    if (!ident)
        return 1;
    r->cache_key = malloc(17);
    if (!r->cache_key)
        return -1;
    snprintf(r->cache_key, 17, "%016" PRIx64, h);
    return 0;
}

/* Use a cached token if there is a valid one: 1 = r->bearer set. Otherwise
 * 0, with r->refresh set when the cache still holds a usable refresh token
 * (the session can be refreshed instead of logging in again). */
static int use_cached_token(run *r)
{
    char why[128];
    cxf_tokens t;
    cxf_token_status st;
    if (!r->cache_path || !r->cache_key)
        return 0;
    st = cxf_token_load(r->cache_path, r->cache_key, cxf_now_real(), &t, why, sizeof why);
    if (st == CXF_TOKEN_OK || st == CXF_TOKEN_EXPIRED) {
        if ((t.token && cxf_secrets_add_literal(&r->sec, "TOKEN", t.token)) ||
            (t.refresh && cxf_secrets_add_literal(&r->sec, "REFRESH_TOKEN", t.refresh))) {
            cxf_tokens_free(&t);
            return 0;
        }
        free(r->refresh);
        r->refresh = t.refresh;
        t.refresh = NULL;
    }
    if (st == CXF_TOKEN_OK) {
        free(r->bearer);
        r->bearer = t.token;
        r->bearer_exp = t.expires_at;
        cxf_log(&r->sec, "using the cached login token from %s (valid for %.0f more minutes)",
                r->cache_path, (t.expires_at - cxf_now_real()) / 60);
        return 1;
    }
    cxf_tokens_free(&t);
    if (st == CXF_TOKEN_UNSAFE)
        cxf_log(&r->sec, "warning: ignoring token cache %s: %s; it will be replaced", r->cache_path,
                why);
    else if (st != CXF_TOKEN_MISS)
        cxf_log(&r->sec, "token cache %s: %s; %s", r->cache_path, why,
                r->refresh ? "refreshing the session" : "logging in");
    return 0;
}

/* A token the source rejected must not be offered to the next run. */
static void drop_cached_token(run *r)
{
    if (r->cache_path && unlink(r->cache_path) && errno != ENOENT)
        cxf_log(&r->sec, "warning: cannot remove token cache %s: %s", r->cache_path,
                strerror(errno));
}

/* When the access token in doc's response expires: the response's
 * expires_in (Reddit), else the JWT's exp claim (Bluesky), else the entry's
 * "ttl" (default one hour). */
static double token_expiry(run *r, json_t *doc)
{
    const char *path = env_of(r->login, "expires_in");
    double now = cxf_now_real(), exp = 0;
    json_t *ttl = json_object_get(r->login, "ttl");
    if (path) {
        json_t *v = cxf_eval(path, doc, NULL, NULL);
        if (json_is_number(v) && json_number_value(v) > 0)
            exp = now + json_number_value(v);
        json_decref(v);
    }
    if (exp <= 0 && cxf_jwt_exp(r->bearer, &exp))
        exp = now + (json_is_number(ttl) ? json_number_value(ttl) : 3600.0);
    /* a hostile or confused server must not pin a token for years */
    if (!isfinite(exp) || exp > now + 30 * 86400.0)
        exp = now + 30 * 86400.0;
    return exp;
}

/* Store the current tokens. A failure to cache is not a failure of the run. */
static void cache_token(run *r)
{
    cxf_tokens t;
    double now = cxf_now_real(), rexp = 0;
    if (!r->cache_path || !r->cache_key)
        return;
    /* a token about to expire is worth a file only for its refresh token */
    if (r->bearer_exp <= now + 60 && !r->refresh)
        return;
    if (r->refresh && (cxf_jwt_exp(r->refresh, &rexp) || rexp > now + 366 * 86400.0))
        rexp = 0; /* unknown: tried, and a login follows if it is refused */
    t.token = r->bearer;
    t.expires_at = r->bearer_exp;
    t.refresh = r->refresh;
    t.refresh_expires_at = rexp;
    if (cxf_token_save(r->cache_path, r->cache_key, &t))
        cxf_log(&r->sec, "warning: cannot write token cache %s: %s", r->cache_path,
                strerror(errno));
}

/* Take the access token (at tokpath) and, for refreshable sessions, the
 * refresh token from a login or refresh response; cache both. A response
 * without a new refresh token keeps the old one. 0 or an exit code. */
static int take_tokens(run *r, json_t *doc, const char *tokpath, const char *what)
{
    json_t *refresh = json_object_get(r->login, "refresh");
    const char *rpath = env_of(refresh, "refresh_token");
    json_t *tok = cxf_eval(tokpath, doc, NULL, NULL);
    json_t *rt = rpath ? cxf_eval(rpath, doc, NULL, NULL) : NULL;
    int rc = CXF_EXIT_AUTH;
    if (!json_is_string(tok) || json_string_length(tok) == 0) {
        cxf_log(&r->sec, "%s has no token at '%s'", what, tokpath);
    } else if (!cxf_token_valid(json_string_value(tok))) {
        cxf_log(&r->sec,
                "%s token at '%s' is not a valid bearer token "
                "(empty, too long or with spaces/control characters)",
                what, tokpath);
    } else {
        free(r->bearer);
        r->bearer = cxf_strdup(json_string_value(tok));
        rc = !r->bearer || cxf_secrets_add_literal(&r->sec, "TOKEN", r->bearer) ? CXF_EXIT_IO : 0;
        if (!rc && json_is_string(rt) && !cxf_token_valid(json_string_value(rt))) {
            /* unusable, and never cached or sent; the next refresh is a login */
            cxf_log(&r->sec, "warning: %s refresh token at '%s' is not a valid bearer token; "
                             "ignoring it", what, rpath);
            free(r->refresh);
            r->refresh = NULL;
        } else if (!rc && json_is_string(rt)) {
            free(r->refresh);
            r->refresh = cxf_strdup(json_string_value(rt));
            if (!r->refresh || cxf_secrets_add_literal(&r->sec, "REFRESH_TOKEN", r->refresh))
                rc = CXF_EXIT_IO;
        }
        if (!rc) {
            r->bearer_exp = token_expiry(r, doc);
            cache_token(r);
            /* an exp already past must not make every request refresh first */
            if (r->bearer_exp <= cxf_now_real())
                r->bearer_exp = 0;
        }
    }
    json_decref(tok);
    json_decref(rt);
    return rc;
}

/*
 * POST body to url for tokens (a login, a session refresh) and take those of a 2xx JSON answer
 * at tokpath. `doing` ("login to") and `hint` word the log of a refusal, `answer` ("login
 * response") that of a bad answer. 0, or CXF_EXIT_INTERRUPTED, _NETWORK, _AUTH (refused:
 * *status tells the HTTP status, 0 when none came), _PARSE or take_tokens()'s code.
 */
static int token_request(run *r, const char *url, struct curl_slist *h, const char *body,
                         const char *userpwd, const char *tokpath, const char *doing,
                         const char *hint, const char *answer, long *status)
{
    cxf_resp resp;
    json_t *doc;
    int rc = CXF_EXIT_AUTH;
    memset(&resp, 0, sizeof resp);
    *status = 0;
    if (cxf_http_request(&r->http, url, h, body, userpwd, &resp) != 0) {
        if (resp.interrupted) {
            rc = CXF_EXIT_INTERRUPTED;
        } else {
            cxf_log(&r->sec, "%s %s failed: %s", doing, url, resp.errmsg);
            rc = CXF_EXIT_NETWORK;
        }
    } else if (resp.status / 100 != 2) {
        *status = resp.status;
        cxf_log(&r->sec, "%s %s refused: HTTP %ld%s", doing, url, resp.status, hint);
    } else if (!(doc = json_loadb(resp.body.data ? resp.body.data : "", resp.body.len, 0, NULL))) {
        cxf_log(&r->sec, "%s is not JSON", answer);
        rc = CXF_EXIT_PARSE;
    } else {
        rc = take_tokens(r, doc, tokpath, answer);
        json_decref(doc);
    }
    cxf_resp_free(&resp);
    return rc;
}

/* Renew a session with its refresh token (Bluesky refreshSession: POST with
 * "Authorization: Bearer REFRESH"; the answer has a new access token and a
 * new refresh token, the old one is spent). 0 ok, CXF_EXIT_INTERRUPTED, or
 * another exit code when the caller should log in again instead. */
static int do_refresh(run *r)
{
    json_t *spec = json_object_get(r->login, "refresh");
    const char *tpl = env_of(spec, "url");
    const char *tokpath = env_of(spec, "token") ? env_of(spec, "token") : env_of(r->login, "token");
    char *url;
    struct curl_slist *h = NULL;
    fbuf b = {0};
    long status;
    int rc = CXF_EXIT_AUTH;
    if (!tpl || !tokpath || !r->refresh)
        return CXF_EXIT_AUTH;
    url = login_url(r, tpl);
    if (!url)
        return CXF_EXIT_USAGE;
    if (fbuf_printf(&b, "Authorization: Bearer %s", r->refresh) ||
        !(h = curl_slist_append(NULL, b.data))) {
        rc = CXF_EXIT_IO;
        goto out;
    }
    rc = token_request(r, url, h, "", NULL, tokpath, "session refresh at", "",
                       "session refresh response", &status);
    if (!rc)
        cxf_log(&r->sec, "session refreshed");
out:
    fbuf_free(&b);
    curl_slist_free_all(h);
    free(url);
    return rc;
}

static int do_login(run *r);

/* New credentials after a 401 or an expired token: refresh the session if
 * it can be, else (or if that fails) log in again. */
static int reauth(run *r)
{
    if (r->refresh && json_object_get(r->login, "refresh")) {
        int rc = do_refresh(r);
        if (rc == 0 || rc == CXF_EXIT_INTERRUPTED || rc == CXF_EXIT_IO)
            return rc;
        free(r->refresh);
        r->refresh = NULL;
        cxf_log(&r->sec, "logging in again");
    }
    drop_cached_token(r);
    return do_login(r);
}

/* Obtain a token (Bluesky session or Reddit app-only OAuth). */
static int do_login(run *r)
{
    const char *tpl = env_of(r->login, "url"), *tokpath = env_of(r->login, "token");
    char *url, *body = NULL, *userpwd = NULL;
    struct curl_slist *h = NULL;
    long status;
    int rc = CXF_EXIT_AUTH;
    if (!tpl || !tokpath)
        return CXF_EXIT_USAGE;
    url = login_url(r, tpl);
    if (!url)
        return CXF_EXIT_USAGE;
    if (r->login_kind == 1) {
        json_t *b = expand_env(json_object_get(r->login, "body"));
        body = b ? json_dumps(b, JSON_COMPACT) : NULL;
        json_decref(b);
        h = curl_slist_append(NULL, "Content-Type: application/json");
    } else {
        fbuf up = {0};
        body = cxf_strdup("grant_type=client_credentials");
        if (!fbuf_printf(&up, "%s:%s", getenv(env_of(r->login, "id_env")),
                         getenv(env_of(r->login, "secret_env"))))
            userpwd = fbuf_take(&up);
        fbuf_free(&up);
        h = curl_slist_append(NULL, "Content-Type: application/x-www-form-urlencoded");
    }
    if (!body || !h || (r->login_kind == 2 && !userpwd)) {
        rc = CXF_EXIT_IO;
        goto out;
    }
    rc = token_request(r, url, h, body, userpwd, tokpath, "login to",
                       " (check the credentials in the environment)", "login response", &status);
    if (rc == CXF_EXIT_AUTH && status == 429)
        rc = CXF_EXIT_RATELIMIT;
out:
    free(url);
    free(body);
    free(userpwd);
    curl_slist_free_all(h);
    return rc;
}

/* ---- output ------------------------------------------------------------- */

/* Add the id of one line read back from the output to the dedup set, counting
 * it in *recs (it has an id) or *other. 1 if the line is a JSON object, 0 if
 * not, -1 out of memory. */
static int read_back_line(run *r, const char *data, size_t len, long *recs, long *other)
{
    json_t *rec = json_loadb(data, len, 0, NULL);
    const char *src = json_string_value(json_object_get(rec, "source"));
    const char *id = json_string_value(json_object_get(rec, "id"));
    int added = id ? cxf_dedup_add(&r->dd, cxf_dedup_key(src, id)) : 0;
    int object = json_is_object(rec);
    json_decref(rec);
    if (added < 0)
        return -1;
    if (id)
        (*recs)++;
    else
        (*other)++;
    return object;
}

/* Rebuild the dedup set from the records already in the output (on --resume
 * and with --append), reading it in blocks so a large accumulated file never
 * has to fit in memory. A last line without '\n' that is a whole JSON object
 * lacks only its newline (files written with "\n".join() end so): it is kept
 * and the newline added. Any other such line is a record torn by a crash and
 * is cut off, so the next write starts on a fresh line. With --append the
 * file is the user's: only a tail that starts like one of our records ('{')
 * is cut; anything else is refused rather than destroyed. */
static int rebuild_from_output(run *r, const char *path, int user_file)
{
    char buf[65536];
    fbuf line = {0};
    off_t off = 0, line_start = 0;
    long recs = 0, other = 0;
    int rc = CXF_EXIT_IO;
    json_t *tail = NULL;

    for (;;) {
        ssize_t n = pread(r->out_fd, buf, sizeof buf, off);
        size_t i = 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            cxf_log(&r->sec, "cannot read back %s: %s", path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        while (i < (size_t)n) {
            char *nl = memchr(buf + i, '\n', (size_t)n - i);
            size_t l = nl ? (size_t)(nl - (buf + i)) : (size_t)n - i;
            if (fbuf_append(&line, buf + i, l))
                goto nomem;
            i += l;
            if (!nl)
                break;
            i++; /* the '\n' */
            if (line.len && read_back_line(r, line.data, line.len, &recs, &other) < 0)
                goto nomem;
            fbuf_reset(&line);
            line_start = off + (off_t)i;
        }
        off += (off_t)n;
    }
    if (line.len)
        tail = json_loadb(line.data, line.len, 0, NULL);
    if (json_is_object(tail)) {
        if (read_back_line(r, line.data, line.len, &recs, &other) < 0)
            goto nomem;
        if (cxf_write_all(r->out_fd, "\n", 1)) {
            cxf_log(&r->sec, "cannot write to %s: %s", path, strerror(errno));
            goto out;
        }
    } else if (line.len) {
        if (user_file && line.data[0] != '{') {
            cxf_log(&r->sec,
                    "%s does not end with a newline and its last line is not a record; "
                    "not appending to it",
                    path);
            goto out;
        }
        cxf_log(&r->sec, "dropping a partial last line (%zu bytes) from %s", line.len, path);
        if (ftruncate(r->out_fd, line_start)) {
            cxf_log(&r->sec, "cannot truncate %s: %s", path, strerror(errno));
            goto out;
        }
    }
    if (other)
        cxf_log(&r->sec, "warning: %ld lines of %s are not records; left as they are", other, path);
    if (user_file)
        cxf_log(&r->sec, "appending to %s (%ld records already there)", path, recs);
    rc = 0;
    goto out;
nomem:
    cxf_log(&r->sec, "out of memory reading back %s", path);
out:
    json_decref(tail);
    fbuf_free(&line);
    return rc;
}

static int open_output(run *r)
{
    const cxf_opts *o = r->o;
    if (!o->output) {
        r->out_fd = STDOUT_FILENO;
        return 0;
    }
    if (o->append) {
        /* Records go straight into FILE (no .part, no rename): the existing
         * records stay valid whatever happens to this run. O_APPEND keeps
         * each page's write at the end even if another writer appended. */
        r->out_fd = open(o->output, O_RDWR | O_CREAT | O_APPEND, 0644);
        if (r->out_fd < 0) {
            cxf_log(&r->sec, "cannot open %s: %s", o->output, strerror(errno));
            return CXF_EXIT_IO;
        }
        return rebuild_from_output(r, o->output, 1);
    }
    r->part_path = malloc(strlen(o->output) + 6);
    if (!r->part_path)
        return CXF_EXIT_IO;
    sprintf(r->part_path, "%s.part", o->output);
    if (o->resume && r->st.output_final) {
        /* a run stopped by --max-items/--max-pages already renamed FILE.part */
        r->out_fd = open(o->output, O_RDWR | O_CREAT | O_APPEND, 0644);
        if (r->out_fd < 0) {
            cxf_log(&r->sec, "cannot open %s: %s", o->output, strerror(errno));
            return CXF_EXIT_IO;
        }
        if (r->st.items_written > 0 && lseek(r->out_fd, 0, SEEK_END) == 0)
            cxf_log(&r->sec, "warning: %s is missing or empty but the state counts %ld records",
                    o->output, r->st.items_written);
        return rebuild_from_output(r, o->output, 0);
    }
    if (o->resume) {
        r->out_fd = open(r->part_path, O_RDWR | O_CREAT | O_APPEND, 0644);
        if (r->out_fd < 0) {
            cxf_log(&r->sec, "cannot open %s: %s", r->part_path, strerror(errno));
            return CXF_EXIT_IO;
        }
        if (r->st.items_written > 0 && lseek(r->out_fd, 0, SEEK_END) == 0)
            cxf_log(&r->sec, "warning: %s is missing or empty but the state counts %ld records; "
                             "they will not be in %s",
                    r->part_path, r->st.items_written, o->output);
        return rebuild_from_output(r, r->part_path, 0);
    }
    r->out_fd = open(r->part_path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (r->out_fd < 0) {
        cxf_log(&r->sec, "cannot create %s: %s%s", r->part_path, strerror(errno),
                errno == EEXIST ? " (an interrupted run? use --resume, or remove it)" : "");
        return CXF_EXIT_IO;
    }
    return 0;
}

/* ---- time windows ------------------------------------------------------- */

/* A filter value from its template: placeholder replaced by the time t,
 * as epoch seconds or RFC 3339. NULL on ENOMEM or an unformattable time. */
static char *time_filter(const char *tpl, const char *placeholder, int iso, int64_t t)
{
    const char *at = strstr(tpl, placeholder);
    char bound[40];
    fbuf b = {0};
    if (!at)
        return NULL;
    if (iso) {
        if (cxf_format_rfc3339((double)t, bound, sizeof bound))
            return NULL;
    } else {
        snprintf(bound, sizeof bound, "%" PRId64, t);
    }
    if (fbuf_append(&b, tpl, (size_t)(at - tpl)) || fbuf_puts(&b, bound) ||
        fbuf_puts(&b, at + strlen(placeholder))) {
        fbuf_free(&b);
        return NULL;
    }
    return fbuf_take(&b);
}

/* The slice value for a window bound, e.g. "created_at_i<=1740830400" or
 * " created:<=2025-03-01T12:00:00Z". NULL on ENOMEM or an unformattable bound. */
static char *slice_filter(const cxf_preset *p, int64_t before)
{
    return time_filter(p->slice_value, "{before}", p->slice_iso, before);
}

/* Set query parameter param of url to filter, or with append add filter to
 * its value (after join when the value is not empty; a missing parameter is
 * set). NULL on ENOMEM. */
static char *url_add_filter(const char *url, const char *param, const char *filter, int append,
                            const char *join)
{
    char *cur = NULL, *out = NULL;
    fbuf b = {0};
    int got = append ? cxf_url_get_param(url, param, &cur) : 0;
    if (got < 0)
        return NULL;
    if (got == 1 && *cur) {
        if (fbuf_puts(&b, cur) || (join && fbuf_puts(&b, join)) || fbuf_puts(&b, filter))
            goto out;
        filter = b.data;
    }
    out = cxf_url_set_param(url, param, filter);
out:
    fbuf_free(&b);
    free(cur);
    return out;
}

/* Put the current window's bound into a request URL built from the preset
 * URL. Appending (GitHub's q) starts from the preset's own value each time,
 * so the filters of earlier windows never pile up. NULL on ENOMEM. */
static char *slice_url(const cxf_preset *p, const char *url, int64_t before)
{
    char *filter = slice_filter(p, before), *out;
    if (!filter)
        return NULL;
    out = url_add_filter(url, p->slice_param, filter, p->slice_append, p->slice_join);
    free(filter);
    return out;
}

/* Send --since to a source that can filter by time itself (fewer pages to
 * fetch). The bound is --since rounded down to the second, so the server
 * returns at least what the client-side check keeps; that check still runs,
 * since a server may ignore the filter. */
static char *since_url(const cxf_preset *p, const char *url, double since)
{
    char *filter, *out;
    if (!p->since_param || since <= 0)
        return cxf_strdup(url);
    if (!(since < 253402300800.0))
        return NULL; /* --since beyond 9999: cannot be formatted */
    filter = time_filter(p->since_value, "{since}", p->since_iso, (int64_t)floor(since));
    if (!filter)
        return NULL;
    out = url_add_filter(url, p->since_param, filter, p->since_append, p->since_join);
    free(filter);
    return out;
}

/* Did the window end because the source had nothing more to give for it
 * (as opposed to a user limit, --since or a loop guard)? */
static int window_exhausted(const char *reason)
{
    static const char *const natural[] = {"no_next", "no_more", "last_page", "empty_page",
                                          "source_cap"};
    size_t i;
    for (i = 0; reason && i < sizeof natural / sizeof natural[0]; i++)
        if (!strcmp(reason, natural[i]))
            return 1;
    return 0;
}

static void set_end(run *r, const char *reason, int cap);

/* The window returned as many items as the source serves per query, so
 * older items are hidden behind the cap: continue with a window bounded by
 * the oldest item seen. The bound is inclusive (<=) so items sharing that
 * second with the last one served are not lost; dedup drops the ones we
 * already have. */
static void narrow_window(run *r, int cap_before)
{
    const cxf_preset *p = r->p;
    int64_t t = r->st.window_oldest;
    char *filter, *probe;
    if (!r->st.has_oldest) {
        cxf_log(&r->sec,
                "source cap reached: %s returns at most %ld items per query and no item "
                "carries a time to narrow the window by",
                p->name, p->cap_items);
        set_end(r, "source_cap", 1);
        return;
    }
    /* The same window again would bring the same items: the server ignored
     * the filter, or more items than the cap share one second. Step past that
     * second; what the source hides beyond its cap there cannot be reached. */
    if ((r->st.slices && t >= r->st.before) || r->st.window_newest <= t) {
        t = (r->st.slices && t >= r->st.before ? r->st.before : t) - 1;
        cxf_log(&r->sec, "warning: this window did not get older than one second; skipping to "
                         "items before it (some of that second may be missing)");
    }
    if (r->o->since > 0 && (double)t < r->o->since) {
        set_end(r, "since", 0);
        return;
    }
    filter = slice_filter(p, t);
    probe = t > 0 ? slice_url(p, r->first_url, t) : NULL;
    if (!filter || !probe) {
        cxf_log(&r->sec,
                "source cap reached: %s returns at most %ld items per query and the "
                "window cannot be narrowed (parameter %s)",
                p->name, p->cap_items, p->slice_param);
        free(filter);
        free(probe);
        set_end(r, "source_cap", 1);
        return;
    }
    cxf_log(&r->sec,
            "source cap: %s returned %ld items for this window; narrowing to %s=%s "
            "(window %ld)",
            p->name, r->st.window_seen, p->slice_param, filter, r->st.slices + 2);
    free(filter);
    free(probe);
    r->st.slices++;
    r->st.before = t;
    r->st.window_seen = 0;
    r->st.has_oldest = 0;
    r->st.window_oldest = r->st.window_newest = 0;
    r->st.next_kind = CXF_NEXT_START;
    r->st.next_page = 0;
    cxf_state_set(&r->st.next_value, NULL);
    cxf_state_set(&r->st.stop_reason, NULL);
    r->st.cap_reached = cap_before;
}

/* ---- one page ------------------------------------------------------------ */

static char *base_page_url(run *r)
{
    const cxf_preset *p = r->p;
    char err[256];
    switch (r->st.next_kind) {
    case CXF_NEXT_CURSOR:
        return cxf_url_set_param(r->first_url, p->next_param, r->st.next_value);
    case CXF_NEXT_URL:
        return cxf_strdup(r->st.next_value);
    case CXF_NEXT_PAGE:
    case CXF_NEXT_START:
        if (p->pkind == CXF_PG_PAGE) {
            long pg = r->st.next_kind == CXF_NEXT_PAGE ? r->st.next_page : p->page_start;
            char *u, *rb;
            if (strstr(p->url, "{page}")) {
                u = cxf_template(p->url, r->values, p->params, 1, pg, err, sizeof err);
                if (!u || !r->o->base_url)
                    return u;
                rb = cxf_rebase_url(u, r->o->base_url);
                free(u);
                return rb;
            }
            {
                char num[32];
                snprintf(num, sizeof num, "%ld", pg);
                return cxf_url_set_param(r->first_url, p->page_param, num);
            }
        }
        return cxf_strdup(r->first_url);
    case CXF_NEXT_END:
        break;
    }
    return NULL;
}

static char *page_url(run *r)
{
    char *u = base_page_url(r), *s;
    /* A next link comes from the server and already carries the window's
     * and --since's filters (it paginates the query we sent); every other
     * URL is ours. */
    if (!u || r->st.next_kind == CXF_NEXT_URL)
        return u;
    s = since_url(r->p, u, r->o->since);
    free(u);
    if (!s || !r->st.slices)
        return s;
    u = slice_url(r->p, s, r->st.before);
    free(s);
    return u;
}

static int retryable_status(long s)
{
    return s == 408 || s == 425 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
}

/* Short, redacted snippet of an error body for messages. */
static void body_snippet(const cxf_resp *resp, char *out, size_t cap)
{
    size_t i, n = 0;
    out[0] = '\0';
    if (!resp->body.data)
        return;
    for (i = 0; i < resp->body.len && n + 1 < cap && n < 160; i++) {
        unsigned char c = (unsigned char)resp->body.data[i];
        out[n++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
    }
    out[n] = '\0';
}

/* Fetch and parse one page with bounded retries. Returns 0 or an exit code. */
static int fetch_page(run *r, const char *url, cxf_page *page, cxf_resp *resp)
{
    const cxf_opts *o = r->o;
    unsigned attempt = 0;
    int relogged = 0;
    char *host = cxf_url_host(url);
    int rc = 0;
    if (!host) {
        cxf_log(&r->sec, "invalid URL: %s", url);
        return CXF_EXIT_USAGE;
    }
    for (;;) {
        double now = cxf_now_mono(), wait, delay = -1, rl;
        char *req_url;
        struct curl_slist *hdrs;
        const char *why = NULL;
        int server_delay = 0, transport;
        char msg[512];

        wait = cxf_pacer_wait(&r->pacer, host, r->min_interval, now);
        if (wait > o->max_wait) {
            cxf_log(&r->sec, "%s asks us to wait %.0fs, more than --max-wait %.0fs; state saved",
                    host, wait, o->max_wait);
            rc = CXF_EXIT_RATELIMIT;
            break;
        }
        if (wait > 0) {
            if (wait >= 1 || o->verbose)
                cxf_log(&r->sec, "pacing: sleeping %.1fs before the next request to %s", wait,
                        host);
            if (sleep_for(r, wait)) {
                rc = CXF_EXIT_INTERRUPTED;
                break;
            }
        }
        /* an expired token would only earn a 401: renew it first */
        if (r->login && r->bearer_exp > 0 && cxf_now_real() >= r->bearer_exp) {
            cxf_log(&r->sec, "the login token has expired; %s",
                    r->refresh ? "refreshing the session" : "logging in again");
            rc = reauth(r);
            if (rc)
                break;
        }
        req_url = auth_url(r, url);
        hdrs = build_headers(r);
        if (!req_url || !hdrs) {
            free(req_url);
            curl_slist_free_all(hdrs);
            rc = CXF_EXIT_IO;
            break;
        }
        if (o->verbose)
            cxf_log(&r->sec, "GET %s", req_url);
        cxf_resp_free(resp);
        transport = cxf_http_request(&r->http, req_url, hdrs, NULL, NULL, resp);
        free(req_url);
        curl_slist_free_all(hdrs);
        now = cxf_now_mono();
        cxf_pacer_note(&r->pacer, host, now, 0);
        if (resp->interrupted || *r->stop) {
            rc = CXF_EXIT_INTERRUPTED;
            break;
        }
        if (transport) {
            if (resp->capped || resp->cc == CURLE_BAD_CONTENT_ENCODING) {
                cxf_log(&r->sec, "%s: %s (not retried)", url, resp->errmsg);
                rc = CXF_EXIT_PARSE;
                break;
            }
            if (!cxf_curl_retryable(resp->cc)) {
                cxf_log(&r->sec, "%s: %s (not retried)", url, resp->errmsg);
                rc = CXF_EXIT_NETWORK;
                break;
            }
            why = resp->errmsg;
            if (attempt >= (unsigned)o->max_retries) {
                cxf_log(&r->sec, "%s: %s; giving up after %u retries", url, why, attempt);
                rc = CXF_EXIT_NETWORK;
                break;
            }
        } else {
            long s = resp->status;
            const char *rem = r->p->rl_remaining ? cxf_resp_header(resp, r->p->rl_remaining) : NULL;
            const char *rst = r->p->rl_reset ? cxf_resp_header(resp, r->p->rl_reset) : NULL;
            double real = cxf_now_real();
            rl = cxf_adaptive_wait(rem, rst, r->p->reset_unit, real);
            if (rl > 0)
                cxf_pacer_note(&r->pacer, host, now, now + rl);
            if (s / 100 == 2) {
                char perr[256];
                cxf_page_free(page);
                if (cxf_page_parse(r->p, resp->body.data ? resp->body.data : "", resp->body.len,
                                   page, perr, sizeof perr) == 0) {
                    if (page->backoff > 0) {
                        cxf_log(&r->sec, "%s asks for a backoff of %.0fs", host, page->backoff);
                        cxf_pacer_note(&r->pacer, host, now, now + page->backoff);
                    }
                    rc = 0;
                    break;
                }
                snprintf(msg, sizeof msg, "unparseable response: %s", perr);
                why = msg;
                if (attempt >= (unsigned)o->max_retries) {
                    cxf_log(&r->sec, "%s: %s; giving up after %u retries (no records taken from it)",
                            url, why, attempt);
                    rc = CXF_EXIT_PARSE;
                    break;
                }
            } else if (s == 401 && r->login && !relogged) {
                cxf_log(&r->sec, "HTTP 401: refreshing the session once");
                relogged = 1;
                rc = reauth(r);
                if (rc)
                    break;
                continue;
            } else if (retryable_status(s) ||
                       ((s == 403 || s == 429) && rem && strtod(rem, NULL) < 1)) {
                char snip[200];
                double rs = cxf_reset_seconds(rst, r->p->reset_unit, real);
                body_snippet(resp, snip, sizeof snip);
                if (resp->retry_after >= 0) {
                    delay = resp->retry_after;
                    server_delay = 1;
                    snprintf(msg, sizeof msg, "HTTP %ld, Retry-After %.0fs", s, delay);
                } else if (rst && rs > 0 && (s == 429 || s == 403)) {
                    delay = rs;
                    server_delay = 1;
                    snprintf(msg, sizeof msg, "HTTP %ld, %s %s -> %.0fs", s, r->p->rl_reset, rst,
                             delay);
                } else {
                    snprintf(msg, sizeof msg, "HTTP %ld", s);
                }
                why = msg;
                if (server_delay && delay > o->max_wait) {
                    cxf_log(&r->sec, "%s: %s exceeds --max-wait %.0fs; state saved", url, why,
                            o->max_wait);
                    rc = CXF_EXIT_RATELIMIT;
                    break;
                }
                if (attempt >= (unsigned)o->max_retries) {
                    cxf_log(&r->sec, "%s: %s; giving up after %u retries %s", url, why, attempt,
                            snip);
                    rc = (s == 429 || s == 403) ? CXF_EXIT_RATELIMIT : CXF_EXIT_NETWORK;
                    break;
                }
            } else if (s == 401 || s == 403) {
                char snip[200];
                if (r->login)
                    drop_cached_token(r);
                body_snippet(resp, snip, sizeof snip);
                cxf_log(&r->sec,
                        "HTTP %ld from %s: %s. Not retried. %s", s, host,
                        s == 401 ? "authentication required or rejected (set the preset's "
                                   "environment variables)"
                                 : "forbidden by the source's access policy",
                        snip);
                rc = CXF_EXIT_AUTH;
                break;
            } else {
                char snip[200];
                body_snippet(resp, snip, sizeof snip);
                cxf_log(&r->sec, "HTTP %ld from %s (not retried) %s", s, url, snip);
                rc = CXF_EXIT_NETWORK;
                break;
            }
        }
        if (delay < 0)
            delay = cxf_jitter(cxf_backoff(attempt), &r->seed);
        if (delay > o->max_wait)
            delay = o->max_wait;
        cxf_log(&r->sec, "retry %u/%ld in %.1fs (%s)", attempt + 1, o->max_retries, delay, why);
        if (sleep_for(r, delay)) {
            rc = CXF_EXIT_INTERRUPTED;
            break;
        }
        /* A retry honours the server's delay, not the politeness floor on top. */
        cxf_pacer_note(&r->pacer, host, cxf_now_mono() - r->min_interval, 0);
        attempt++;
    }
    free(host);
    return rc;
}

/* ---- the loop --------------------------------------------------------------- */

static const char *skip_names[] = {"", "filter", "no_id", "deleted", "old"};

static int commit_page(run *r, const fbuf *lines, const uint64_t *keys, size_t nkeys)
{
    if (lines->len && cxf_write_all(r->out_fd, lines->data, lines->len)) {
        cxf_log(&r->sec, "write failed: %s", strerror(errno));
        return CXF_EXIT_IO;
    }
    if (r->o->output && fsync(r->out_fd)) {
        cxf_log(&r->sec, "fsync failed: %s", strerror(errno));
        return CXF_EXIT_IO;
    }
    if (r->ids_path && cxf_ids_append(r->ids_path, keys, nkeys)) {
        cxf_log(&r->sec, "cannot append to %s: %s", r->ids_path, strerror(errno));
        return CXF_EXIT_IO;
    }
    return 0;
}

static int save_state(run *r)
{
    if (!r->o->state_path)
        return 0;
    if (cxf_state_save(&r->st, r->o->state_path, &r->sec)) {
        cxf_log(&r->sec, "cannot write state %s: %s", r->o->state_path, strerror(errno));
        return CXF_EXIT_IO;
    }
    return 0;
}

static void set_end(run *r, const char *reason, int cap)
{
    r->st.next_kind = CXF_NEXT_END;
    cxf_state_set(&r->st.next_value, NULL);
    cxf_state_set(&r->st.stop_reason, reason);
    if (cap)
        r->st.cap_reached = 1;
}

/* A user limit ends this run but not the fetch: the next pointer stays in
 * the state, so --resume continues exactly there. */
static void set_limit(run *r, const char *reason)
{
    r->st.limited = 1;
    cxf_state_set(&r->st.stop_reason, reason);
    r->st.cap_reached = 1;
}

static int items_limit_hit(const run *r)
{
    return r->st.items_written - r->st.base_items >= r->o->max_items;
}

static int pages_limit_hit(const run *r)
{
    return r->st.pages - r->st.base_pages >= r->max_pages;
}

/* Process one parsed page: records, counters, next pointer, stop rules. */
static int process_page(run *r, cxf_page *pg, const cxf_resp *resp, const char *url)
{
    const cxf_opts *o = r->o;
    const cxf_preset *p = r->p;
    cxf_record_opts ro = {r->source, o->keep_deleted, o->raw_text, o->since, &r->sec};
    size_t n = json_array_size(pg->items), i, nkeys = 0, page_dupes = 0, page_with_id = 0;
    uint64_t *keys = calloc(n ? n : 1, sizeof *keys);
    fbuf lines = {0};
    int rc = 0, saw_old = 0, hit_max = 0, cap_before = r->st.cap_reached;
    long cur_page = r->st.next_kind == CXF_NEXT_PAGE ? r->st.next_page : p->page_start;
    /* Records an earlier run took from this page before --max-items stopped
     * it inside the page: they come back as repeats, which are neither dupes
     * nor a sign that the page brought nothing new. */
    long page_written = r->st.page_written, repeats = page_written;
    /* If the item limit stops us inside this page, the page is fetched again
     * on --resume and counted then: keep the counters as they were before it. */
    const long seen0 = r->st.items_seen, wseen0 = r->st.window_seen, dupes0 = r->st.dupes,
               skipped0 = r->st.skipped;
    const int has_oldest0 = r->st.has_oldest;
    const int64_t oldest0 = r->st.window_oldest, newest0 = r->st.window_newest;

    if (!keys)
        return CXF_EXIT_IO;
    if (pg->api_error)
        cxf_log(&r->sec, "source reports: %s", pg->api_error);
    for (i = 0; i < n; i++) {
        json_t *rec = NULL;
        cxf_skip skip;
        const char *id;
        uint64_t key;
        char *line;
        int added;
        if (items_limit_hit(r)) {
            hit_max = 1;
            break;
        }
        r->st.items_seen++;
        r->st.window_seen++;
        if (p->slice_param) {
            double t;
            /* Times outside years 1970..9999 are junk; they must not become a bound. */
            if (cxf_record_time(p, json_array_get(pg->items, i), &t) == 0 && t >= 0 &&
                t <= 253402300799.0) {
                int64_t ti = (int64_t)t;
                if (!r->st.has_oldest || ti < r->st.window_oldest)
                    r->st.window_oldest = ti;
                if (!r->st.has_oldest || ti > r->st.window_newest)
                    r->st.window_newest = ti;
                r->st.has_oldest = 1;
            }
        }
        if (cxf_record_build(p, json_array_get(pg->items, i), &ro, &rec, &skip)) {
            rc = CXF_EXIT_IO;
            goto out;
        }
        if (!rec) {
            r->st.skipped++;
            if (skip == CXF_SKIP_OLD)
                saw_old = 1;
            if (o->verbose)
                cxf_log(&r->sec, "skipped item %zu (%s)", i, skip_names[skip]);
            continue;
        }
        id = json_string_value(json_object_get(rec, "id"));
        key = cxf_dedup_key(r->source, id);
        page_with_id++;
        added = cxf_dedup_add(&r->dd, key);
        if (added < 0) {
            json_decref(rec);
            rc = CXF_EXIT_IO;
            goto out;
        }
        if (!added) {
            if (repeats > 0) {
                repeats--;
                page_with_id--;
            } else {
                r->st.dupes++;
                page_dupes++;
            }
            json_decref(rec);
            continue;
        }
        line = cxf_record_dump(rec);
        if (!line || fbuf_puts(&lines, line)) {
            free(line);
            json_decref(rec);
            rc = CXF_EXIT_IO;
            goto out;
        }
        free(line);
        keys[nkeys++] = key;
        r->st.items_written++;
        if (!r->st.newest_id) {
            cxf_state_set(&r->st.newest_id, id);
            cxf_state_set(&r->st.newest_created_at,
                          json_string_value(json_object_get(rec, "created_at")));
        }
        json_decref(rec);
    }
    rc = commit_page(r, &lines, keys, nkeys);
    if (rc)
        goto out;
    r->st.pages++;
    if (hit_max) {
        /* Stopped inside the page: the next pointer still names this page,
         * which --resume fetches again; dedup drops what was written. */
        r->st.page_written = page_written + (long)nkeys;
        r->st.items_seen = seen0;
        r->st.window_seen = wseen0;
        r->st.dupes = dupes0;
        r->st.skipped = skipped0;
        r->st.has_oldest = has_oldest0;
        r->st.window_oldest = oldest0;
        r->st.window_newest = newest0;
        set_limit(r, "max_items");
        rc = save_state(r);
        goto out;
    }
    r->st.page_written = 0;

    /* next pointer */
    switch (p->pkind) {
    case CXF_PG_CURSOR:
        if (!pg->next) {
            set_end(r, "no_next", 0);
        } else if (!cxf_dedup_add(&r->seen_next, cxf_dedup_key("cursor", pg->next)) ||
                   (r->st.next_value && !strcmp(r->st.next_value, pg->next))) {
            cxf_log(&r->sec, "warning: the source repeated cursor '%s'; stopping to avoid a loop",
                    pg->next);
            set_end(r, "repeated_cursor", 0);
        } else {
            r->st.next_kind = CXF_NEXT_CURSOR;
            cxf_state_set(&r->st.next_value, pg->next);
        }
        break;
    case CXF_PG_LINK: {
        char *next = cxf_link_next(resp, resp->effective_url ? resp->effective_url : url);
        char *nh = next ? cxf_url_host(next) : NULL, *ch = next ? cxf_url_host(url) : NULL;
        int foreign = next && (!nh || !ch || strcmp(nh, ch));
        free(nh);
        free(ch);
        if (!next) {
            set_end(r, "no_next", 0);
        } else if (foreign) {
            /* Our credentials ride on every request: never let a response
             * steer them to another host. */
            cxf_log(&r->sec, "warning: next link %s points to another host; stopping", next);
            set_end(r, "foreign_next", 0);
        } else if (!cxf_dedup_add(&r->seen_next, cxf_dedup_key("url", next)) ||
                   !strcmp(next, url)) {
            cxf_log(&r->sec, "warning: the source repeated next link %s; stopping", next);
            set_end(r, "repeated_cursor", 0);
        } else {
            r->st.next_kind = CXF_NEXT_URL;
            cxf_state_set(&r->st.next_value, next);
        }
        free(next);
        break;
    }
    case CXF_PG_PAGE: {
        long done_pages = cur_page - p->page_start + 1;
        if (pg->has_more == 0)
            set_end(r, "no_more", 0);
        else if (pg->pages >= 0 && done_pages >= pg->pages)
            set_end(r, "last_page", 0);
        else if (p->cap_pages > 0 && done_pages >= p->cap_pages) {
            cxf_log(&r->sec, "source cap reached: %s serves at most %ld pages", p->name,
                    p->cap_pages);
            set_end(r, "source_cap", 1);
        } else {
            r->st.next_kind = CXF_NEXT_PAGE;
            r->st.next_page = cur_page + 1;
        }
        break;
    }
    case CXF_PG_NONE:
        set_end(r, "single_page", 0);
        break;
    }
    /* stop rules that override a next pointer */
    if (r->st.next_kind != CXF_NEXT_END) {
        if (n == 0)
            set_end(r, "empty_page", 0);
        else if (page_with_id > 0 && page_dupes == page_with_id) {
            cxf_log(&r->sec, "page brought no new ids; stopping");
            set_end(r, "no_new_ids", 0);
        } else if (items_limit_hit(r)) {
            set_limit(r, "max_items");
        } else if (p->cap_items > 0 && r->st.window_seen >= p->cap_items && !p->slice_param) {
            cxf_log(&r->sec, "source cap reached: %s returns at most %ld items per query", p->name,
                    p->cap_items);
            set_end(r, "source_cap", 1);
        } else if (saw_old && p->newest_first) {
            set_end(r, "since", 0);
        } else if (pages_limit_hit(r)) {
            set_limit(r, "max_pages");
        }
    }
    if (r->st.next_kind == CXF_NEXT_END && p->slice_param && p->cap_items > 0 &&
        r->st.window_seen >= p->cap_items && window_exhausted(r->st.stop_reason))
        narrow_window(r, cap_before);
    rc = save_state(r);
out:
    free(keys);
    fbuf_free(&lines);
    return rc;
}

static void summary(run *r, int code)
{
    char *next = NULL;
    if (r->st.next_kind == CXF_NEXT_CURSOR || r->st.next_kind == CXF_NEXT_URL)
        next = cxf_strdup(r->st.next_value);
    else if (r->st.next_kind == CXF_NEXT_PAGE) {
        next = malloc(32);
        if (next)
            snprintf(next, 32, "page=%ld", r->st.next_page);
    }
    if (r->st.slices && next) {
        /* the window is part of where a resume continues */
        char *f = slice_filter(r->p, r->st.before);
        fbuf b = {0};
        if (f && !fbuf_printf(&b, "%s %s=%s", next, r->p->slice_param, f)) {
            free(next);
            next = fbuf_take(&b);
        }
        fbuf_free(&b);
        free(f);
    }
    cxf_log(&r->sec,
            "summary: pages=%ld items=%ld dupes=%ld skipped=%ld cap_reached=%s slices=%ld "
            "stop=%s exit=%d next=%s",
            r->st.pages, r->st.items_written, r->st.dupes, r->st.skipped,
            r->st.cap_reached ? "true" : "false", r->st.slices,
            r->st.stop_reason ? r->st.stop_reason
                              : (code == CXF_EXIT_INTERRUPTED ? "interrupted" : "error"),
            code, next ? next : "-");
    free(next);
}

/* params_hash = FNV-1a over the preset document (compact, sorted keys),
 * "\n", the request URL with secrets as placeholders, "\n", the source. This
 * finishes it from the state after the document. NULL on ENOMEM. */
static char *finish_params_hash(run *r, uint64_t h)
{
    char *url = cxf_redact(&r->sec, r->first_url, 1);
    char *out = malloc(17);
    if (url && out) {
        h = cxf_fnv1a("\n", 1, h);
        h = cxf_fnv1a(url, strlen(url), h);
        h = cxf_fnv1a("\n", 1, h);
        h = cxf_fnv1a(r->source, strlen(r->source), h);
        snprintf(out, 17, "%016" PRIx64, h);
    } else {
        free(out);
        out = NULL;
    }
    free(url);
    return out;
}

static char *params_hash(run *r)
{
    char *doc = json_dumps(r->p->doc, JSON_COMPACT | JSON_SORT_KEYS);
    char *out = doc ? finish_params_hash(r, cxf_fnv1a(doc, strlen(doc), CXF_FNV_SEED)) : NULL;
    free(doc);
    return out;
}

/* Earlier documents of built-in presets whose states the current preset can
 * continue: the FNV-1a state after each document (tests/fetch/preset_doc_hash.py
 * prints it; the documents are in tests/fetch/fixtures/old_presets/). The
 * document is in the hash so that a state is never resumed by a preset that
 * would read it differently; these changes only added things a resume does
 * not depend on. When a built-in preset changes that way, add its previous
 * document here; a change that alters how a query is paged or filtered must
 * not be listed (its old states are then refused, as they should be). */
static const struct earlier_doc {
    const char *preset;
    uint64_t doc_hash;
} earlier_docs[] = {
    /* f2300fb..3b8ca93: before time-window slicing ("slice", a description).
     * Their states hold no window: the whole query is the first window. */
    {"hn-search", 0x97a7ee709aaac116ULL},
    {"github-issues", 0x090e91673410731fULL},
    /* f2300fb..7f94a08: before the token cache read "expires_in" */
    {"reddit-search", 0x9cb687c7c01528b9ULL},
    /* 3b8ca93..e1cdd87: before the server-side --since filter ("since", and
     * hn-search's window bound joined to it: the same filter when alone) */
    {"hn-search", 0xf6ee833cbec30509ULL},
    {"github-issues", 0xda7222e93ff57d99ULL},
    {"stackexchange", 0xe38a09df54200268ULL},
    /* 7f94a08..e1cdd87: before "since" and the session "refresh" */
    {"bsky-search", 0xd6bc6d4c3732663bULL},
};

/* Was hash written for this query by an earlier version of the built-in preset? */
static int earlier_doc_matches(run *r, const char *hash)
{
    size_t i;
    if (r->o->preset_file || r->o->url)
        return 0; /* user presets have no history we know of */
    for (i = 0; i < sizeof earlier_docs / sizeof earlier_docs[0]; i++) {
        char *h;
        int same;
        if (strcmp(earlier_docs[i].preset, r->p->name))
            continue;
        h = finish_params_hash(r, earlier_docs[i].doc_hash);
        same = h && !strcmp(h, hash);
        free(h);
        if (same)
            return 1;
    }
    return 0;
}

static int setup(run *r)
{
    const cxf_opts *o = r->o;
    const cxf_preset *p = r->p;
    char err[256];
    const char *k;
    json_t *v, *e;
    size_t i;
    char *u;

    /* template values: defaults, then user values; check required ones */
    r->values = json_object();
    r->auth = json_array();
    if (!r->values || !r->auth)
        return CXF_EXIT_IO;
    json_object_foreach(p->params, k, v) {
        json_t *d = json_object_get(v, "default");
        if (json_is_string(d) && json_object_set(r->values, k, d))
            return CXF_EXIT_IO;
    }
    json_object_foreach(o->param_values, k, v) {
        if (p->params && !json_object_get(p->params, k)) {
            cxf_log(NULL, "preset %s has no option --%s", p->name, k);
            return CXF_EXIT_USAGE;
        }
        if (json_object_set(r->values, k, v))
            return CXF_EXIT_IO;
    }
    json_object_foreach(p->params, k, v) {
        if (json_is_true(json_object_get(v, "required")) && !json_object_get(r->values, k)) {
            cxf_log(NULL, "preset %s needs --%s", p->name, k);
            return CXF_EXIT_USAGE;
        }
    }
    if (json_object_set_new(r->values, "contact",
                            json_string(o->contact ? o->contact : "no contact given")) ||
        json_object_set_new(r->values, "version", json_string(CXF_VERSION)))
        return CXF_EXIT_IO;
    json_array_foreach(p->auth, i, e)
        if (json_array_append(r->auth, e))
            return CXF_EXIT_IO;
    json_array_foreach(o->auth_extra, i, e)
        if (json_array_append(r->auth, e))
            return CXF_EXIT_IO;
    i = (size_t)collect_secrets(r);
    if (i)
        return (int)i;

    u = cxf_template(p->url, r->values, p->params, 1, p->pkind == CXF_PG_PAGE ? p->page_start : -1,
                     err, sizeof err);
    if (!u) {
        cxf_log(&r->sec, "preset %s: %s", p->name, err);
        return CXF_EXIT_USAGE;
    }
    if (o->base_url) {
        r->first_url = cxf_rebase_url(u, o->base_url);
        free(u);
    } else if (r->login_kind == 2 && json_is_string(json_object_get(r->login, "api_base"))) {
        /* Reddit: authenticated requests go to oauth.reddit.com */
        r->first_url = cxf_rebase_url(u, json_string_value(json_object_get(r->login, "api_base")));
        free(u);
    } else {
        r->first_url = u;
    }
    if (!r->first_url)
        return CXF_EXIT_USAGE;
    if (!strncmp(r->first_url, "http://", 7) && !o->allow_http) {
        cxf_log(&r->sec, "refusing plain http:// (TLS is required; --allow-http is for loopback tests)");
        return CXF_EXIT_USAGE;
    }
    if (strncmp(r->first_url, "http://", 7) && strncmp(r->first_url, "https://", 8)) {
        cxf_log(&r->sec, "only http(s) URLs are supported: %s", r->first_url);
        return CXF_EXIT_USAGE;
    }
    r->source = cxf_template(p->source, r->values, p->params, 0, -1, err, sizeof err);
    if (!r->source) {
        cxf_log(&r->sec, "preset %s: source: %s", p->name, err);
        return CXF_EXIT_USAGE;
    }
    r->ua = p->user_agent ? cxf_template(p->user_agent, r->values, NULL, 0, -1, err, sizeof err)
                          : NULL;
    if (!r->ua) {
        fbuf b = {0};
        if (fbuf_printf(&b, "cxsent-fetch/%s", CXF_VERSION) ||
            (o->contact && fbuf_printf(&b, " (+%s)", o->contact))) {
            fbuf_free(&b);
            return CXF_EXIT_IO;
        }
        r->ua = fbuf_take(&b);
        if (!r->ua)
            return CXF_EXIT_IO;
    }
    r->max_pages = o->max_pages_set ? o->max_pages
                                    : (p->default_max_pages > 0 ? p->default_max_pages : o->max_pages);
    r->min_interval = o->min_interval_set ? o->min_interval : p->min_interval;
    r->seed = (unsigned long long)cxf_now_real() ^ ((unsigned long long)getpid() << 32);
    return 0;
}

int cxf_run(const cxf_opts *o, const cxf_preset *p, volatile sig_atomic_t *stop)
{
    run r;
    cxf_http_cfg hc;
    cxf_page pg;
    cxf_resp resp;
    int rc;
    char *hash = NULL;

    memset(&r, 0, sizeof r);
    memset(&pg, 0, sizeof pg);
    memset(&resp, 0, sizeof resp);
    r.o = o;
    r.p = p;
    r.stop = stop;
    r.out_fd = -1;

    rc = setup(&r);
    if (rc)
        goto done;
    hash = params_hash(&r);
    if (!hash) {
        rc = CXF_EXIT_IO;
        goto done;
    }
    if (o->append && !o->output) {
        cxf_log(&r.sec, "--append needs -o FILE (with standard output, use the shell's >>)");
        rc = CXF_EXIT_USAGE;
        goto done;
    }
    if (o->state_path && !o->output) {
        r.ids_path = malloc(strlen(o->state_path) + 5);
        if (!r.ids_path) {
            rc = CXF_EXIT_IO;
            goto done;
        }
        sprintf(r.ids_path, "%s.ids", o->state_path);
    }
    if (o->resume) {
        char err[256];
        cxf_state loaded;
        if (!o->state_path) {
            cxf_log(&r.sec, "--resume needs --state FILE (or -o FILE)");
            rc = CXF_EXIT_USAGE;
            goto done;
        }
        if (cxf_state_load(&loaded, o->state_path, &r.sec, err, sizeof err)) {
            cxf_log(&r.sec, "%s", err);
            rc = CXF_EXIT_USAGE;
            goto done;
        }
        if (strcmp(loaded.params_hash, hash) && earlier_doc_matches(&r, loaded.params_hash)) {
            /* same query, written before the preset gained things a resume
             * does not depend on; from now on the state carries today's hash */
            cxf_log(&r.sec, "state %s was written by an earlier version of preset %s; "
                            "same query, continuing",
                    o->state_path, p->name);
            memcpy(loaded.params_hash, hash, 17);
        } else if (strcmp(loaded.params_hash, hash)) {
            cxf_log(&r.sec, "state %s belongs to a different query (params hash %s, now %s)",
                    o->state_path, loaded.params_hash, hash);
            cxf_state_free(&loaded);
            rc = CXF_EXIT_USAGE;
            goto done;
        }
        if (loaded.append != o->append) {
            /* The records of the interrupted run are in FILE (--append) or in
             * FILE.part (without); resuming the other way would lose them. */
            cxf_log(&r.sec, "state %s was written %s --append; resume %s it", o->state_path,
                    loaded.append ? "with" : "without", loaded.append ? "with" : "without");
            cxf_state_free(&loaded);
            rc = CXF_EXIT_USAGE;
            goto done;
        }
        r.st = loaded;
        if (r.ids_path && cxf_ids_load(r.ids_path, &r.dd)) {
            rc = CXF_EXIT_IO;
            goto done;
        }
        if (r.st.done) {
            cxf_log(&r.sec, "state says the fetch is complete; nothing to resume");
            rc = 0;
            goto done;
        }
        if (r.st.limited) {
            /* The earlier run ended at its --max-items/--max-pages: this run
             * continues from its next pointer with limits of its own. */
            cxf_log(&r.sec, "continuing a fetch that %s stopped after %ld pages, %ld records",
                    r.st.stop_reason && !strcmp(r.st.stop_reason, "max_pages") ? "--max-pages"
                                                                             : "--max-items",
                    r.st.pages, r.st.items_written);
            r.st.limited = 0;
            /* The stopped run renames FILE.part to FILE and then saves the state
             * with output_final: a crash between the two leaves this state and
             * FILE without FILE.part. Its records are in FILE, so go on there (an
             * empty FILE.part renamed at the end would replace them). */
            if (o->output && !o->append && !r.st.output_final) {
                struct stat sb;
                size_t n = strlen(o->output) + 6;
                char *part = malloc(n);
                if (!part) {
                    rc = CXF_EXIT_IO;
                    goto done;
                }
                snprintf(part, n, "%s.part", o->output);
                if (lstat(part, &sb) != 0 && errno == ENOENT && lstat(o->output, &sb) == 0) {
                    cxf_log(&r.sec, "%s is gone and %s exists: the stopped run had finished it",
                            part, o->output);
                    r.st.output_final = 1;
                }
                free(part);
            }
            r.st.base_items = r.st.items_written;
            r.st.base_pages = r.st.pages;
            r.st.cap_reached = 0;
            cxf_state_set(&r.st.stop_reason, NULL);
        } else {
            cxf_log(&r.sec, "resuming after %ld pages, %ld records", r.st.pages,
                    r.st.items_written);
        }
    } else {
        if (cxf_state_set(&r.st.preset, p->name)) {
            rc = CXF_EXIT_IO;
            goto done;
        }
        memcpy(r.st.params_hash, hash, 17);
        r.st.append = o->append;
        if (r.ids_path)
            unlink(r.ids_path);
    }
    rc = open_output(&r);
    if (rc)
        goto done;

    hc.connect_timeout = o->connect_timeout;
    hc.timeout = o->timeout;
    hc.low_speed_time = o->low_speed_time;
    hc.max_body = o->max_body;
    hc.allow_http = o->allow_http;
    hc.verbose = o->verbose;
    hc.cacert = o->cacert;
    hc.user_agent = r.ua;
    hc.secrets = &r.sec;
    hc.stop = stop;
    if (cxf_http_init(&r.http, &hc)) {
        rc = CXF_EXIT_IO;
        goto done;
    }
    r.http.cfg.secrets = &r.sec;
    if (!o->resume && (rc = save_state(&r)) != 0)
        goto done;
    if (r.login && !o->no_token_cache) {
        int k = make_cache_key(&r);
        if (k < 0) {
            rc = CXF_EXIT_IO;
            goto done;
        }
        if (k == 0 && o->token_cache) {
            r.cache_path = cxf_strdup(o->token_cache);
        } else if (k == 0 && o->state_path) {
            r.cache_path = malloc(strlen(o->state_path) + 7);
            if (r.cache_path)
                sprintf(r.cache_path, "%s.token", o->state_path);
        }
        if (k == 0 && (o->token_cache || o->state_path) && !r.cache_path) {
            rc = CXF_EXIT_IO;
            goto done;
        }
    }
    if (r.login && !use_cached_token(&r) && (rc = r.refresh ? reauth(&r) : do_login(&r)) != 0)
        goto done;

    while (r.st.next_kind != CXF_NEXT_END && !r.st.limited) {
        char *url;
        if (*stop) {
            rc = CXF_EXIT_INTERRUPTED;
            break;
        }
        /* a new time window may start exactly at a limit: no request for it */
        if (pages_limit_hit(&r) || items_limit_hit(&r)) {
            set_limit(&r, pages_limit_hit(&r) ? "max_pages" : "max_items");
            rc = save_state(&r);
            break;
        }
        url = page_url(&r);
        if (!url) {
            cxf_log(&r.sec, "cannot build the next URL");
            rc = CXF_EXIT_USAGE;
            break;
        }
        rc = fetch_page(&r, url, &pg, &resp);
        if (!rc)
            rc = process_page(&r, &pg, &resp, url);
        free(url);
        cxf_page_free(&pg);
        cxf_resp_free(&resp);
        if (rc)
            break;
    }
    if (!rc && (r.st.next_kind == CXF_NEXT_END || r.st.limited)) {
        /* A run a user limit stopped is complete as far as its user asked:
         * FILE gets its records now. --resume then appends to FILE itself. */
        r.st.done = !r.st.limited;
        if (o->output) {
            if (fsync(r.out_fd) || close(r.out_fd) ||
                (!o->append && !r.st.output_final && rename(r.part_path, o->output))) {
                cxf_log(&r.sec, "cannot finish %s: %s", o->output, strerror(errno));
                r.out_fd = -1;
                rc = CXF_EXIT_IO;
                goto done;
            }
            r.out_fd = -1;
            if (!o->append)
                r.st.output_final = 1;
        }
        rc = save_state(&r);
    } else if (rc && rc != CXF_EXIT_USAGE && rc != CXF_EXIT_IO) {
        /* keep the last committed page as the resume point */
        int src = save_state(&r);
        if (src)
            rc = src;
    }
done:
    if (rc != CXF_EXIT_USAGE)
        summary(&r, rc);
    if (r.out_fd >= 0 && r.out_fd != STDOUT_FILENO)
        close(r.out_fd);
    cxf_http_cleanup(&r.http);
    cxf_state_free(&r.st);
    cxf_dedup_free(&r.dd);
    cxf_dedup_free(&r.seen_next);
    cxf_secrets_free(&r.sec);
    json_decref(r.values);
    json_decref(r.auth);
    free(r.source);
    free(r.first_url);
    free(r.ua);
    free(r.bearer);
    free(r.refresh);
    free(r.cache_path);
    free(r.cache_key);
    free(r.part_path);
    free(r.ids_path);
    free(hash);
    cxf_page_free(&pg);
    cxf_resp_free(&resp);
    return rc;
}
