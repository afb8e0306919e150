/* http.c - libcurl wrapper.
 *
 * libcurl 7.88 defaults are unsafe for a crawler (unlimited redirects, no
 * User-Agent, MAXFILESIZE not enforced mid-transfer, no low-speed limit), so
 * every limit is set here explicitly. FAILONERROR is not used: we need the
 * headers and body of 429/5xx responses. */
#include "http.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_HEADERS 256

typedef struct xfer {
    cxf_http *c;
    cxf_resp *r;
} xfer;

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
    xfer *x = ud;
    size_t n = size * nmemb;
    /* MAXFILESIZE only aborts mid-transfer since 8.4.0: enforce it here. */
    if (x->r->body.len + n > x->c->cfg.max_body) {
        x->r->capped = 1;
        return 0;
    }
    if (fbuf_append(&x->r->body, ptr, n))
        return 0;
    return n;
}

static void clear_headers(cxf_resp *r)
{
    size_t i;
    for (i = 0; i < r->nh; i++) {
        free(r->hname[i]);
        free(r->hvalue[i]);
    }
    r->nh = 0;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *ud)
{
    xfer *x = ud;
    cxf_resp *r = x->r;
    size_t n = size * nmemb, len = n, nl;
    const char *colon;
    char *name, *value;
    while (len && (ptr[len - 1] == '\r' || ptr[len - 1] == '\n'))
        len--;
    /* A status line starts a new response (redirect hop, 100-continue):
     * keep only the headers of the last one. */
    if (len >= 5 && memcmp(ptr, "HTTP/", 5) == 0) {
        clear_headers(r);
        return n;
    }
    colon = memchr(ptr, ':', len);
    if (!colon || r->nh >= MAX_HEADERS)
        return n;
    nl = (size_t)(colon - ptr);
    colon++;
    while (colon < ptr + len && (*colon == ' ' || *colon == '\t'))
        colon++;
    if (r->nh == r->caph) {
        size_t nc = r->caph ? r->caph * 2 : 16;
        char **a = realloc(r->hname, nc * sizeof *a), **b;
        if (!a)
            return 0;
        r->hname = a;
        b = realloc(r->hvalue, nc * sizeof *b);
        if (!b)
            return 0;
        r->hvalue = b;
        r->caph = nc;
    }
    name = cxf_strndup(ptr, nl);
    value = cxf_strndup(colon, (size_t)(ptr + len - colon));
    if (!name || !value) {
        free(name);
        free(value);
        return 0;
    }
    r->hname[r->nh] = name;
    r->hvalue[r->nh] = value;
    r->nh++;
    return n;
}

static int on_progress(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    xfer *x = ud;
    (void)dt;
    (void)dn;
    (void)ut;
    (void)un;
    if (x->c->cfg.stop && *x->c->cfg.stop) {
        x->r->interrupted = 1;
        return 1;
    }
    return 0;
}

/* -v output: header lines only, Authorization and secrets redacted. */
static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *ud)
{
    cxf_http *c = ud;
    const char *prefix;
    char *text, *line, *save;
    (void)h;
    if (type == CURLINFO_HEADER_OUT)
        prefix = "> ";
    else if (type == CURLINFO_HEADER_IN)
        prefix = "< ";
    else if (type == CURLINFO_TEXT)
        prefix = "* ";
    else
        return 0;
    text = cxf_strndup(data, size);
    if (!text)
        return 0;
    for (line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        if (cxf_ncasecmp(line, "authorization:", 14) == 0 ||
            cxf_ncasecmp(line, "proxy-authorization:", 20) == 0 ||
            cxf_ncasecmp(line, "cookie:", 7) == 0 || cxf_ncasecmp(line, "apikey:", 7) == 0) {
            char *colon = strchr(line, ':');
            *colon = '\0';
            cxf_log(c->cfg.secrets, "%s%s: ***", prefix, line);
        } else {
            cxf_log(c->cfg.secrets, "%s%s", prefix, line);
        }
    }
    free(text);
    return 0;
}

static int is_loopback(const char *ip)
{
    return !strncmp(ip, "127.", 4) || !strcmp(ip, "::1") || !strncmp(ip, "::ffff:127.", 11);
}

/* With --allow-http every connection must stay on loopback: the flag exists
 * for tests against a local mock, never for talking plain http to the net. */
static int on_prereq(void *ud, char *primary_ip, char *local_ip, int pport, int lport)
{
    cxf_http *c = ud;
    (void)local_ip;
    (void)pport;
    (void)lport;
    if (c->cfg.allow_http && !is_loopback(primary_ip)) {
        c->refused_ip = 1;
        return CURL_PREREQFUNC_ABORT;
    }
    return CURL_PREREQFUNC_OK;
}

int cxf_http_init(cxf_http *c, const cxf_http_cfg *cfg)
{
    memset(c, 0, sizeof *c);
    c->cfg = *cfg;
    c->h = curl_easy_init();
    return c->h ? 0 : -1;
}

void cxf_http_cleanup(cxf_http *c)
{
    if (c->h)
        curl_easy_cleanup(c->h);
    c->h = NULL;
}

/* Some servers gzip without saying so (Stack Exchange: "if it is missing,
 * assume GZIP"); curl only decodes what Content-Encoding announces. */
static int maybe_gunzip(cxf_http *c, cxf_resp *r)
{
    z_stream z;
    fbuf out = {0};
    unsigned char buf[16384];
    int zr;
    if (r->body.len < 2 || (unsigned char)r->body.data[0] != 0x1f ||
        (unsigned char)r->body.data[1] != 0x8b)
        return 0;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 16) != Z_OK)
        return -1;
    z.next_in = (unsigned char *)r->body.data;
    z.avail_in = (uInt)(r->body.len > 0xFFFFFFFFu ? 0xFFFFFFFFu : r->body.len);
    do {
        z.next_out = buf;
        z.avail_out = sizeof buf;
        zr = inflate(&z, Z_NO_FLUSH);
        if (zr != Z_OK && zr != Z_STREAM_END)
            break;
        if (fbuf_append(&out, (char *)buf, sizeof buf - z.avail_out) ||
            out.len > c->cfg.max_body) {
            if (out.len > c->cfg.max_body)
                r->capped = 1;
            zr = Z_MEM_ERROR;
            break;
        }
    } while (zr != Z_STREAM_END && z.avail_in > 0);
    inflateEnd(&z);
    if (zr != Z_STREAM_END) {
        fbuf_free(&out);
        return -1;
    }
    fbuf_free(&r->body);
    r->body = out;
    return 0;
}

int cxf_http_request(cxf_http *c, const char *url, struct curl_slist *headers,
                     const char *post_body, const char *userpwd, cxf_resp *r)
{
    CURL *h = c->h;
    xfer x = {c, r};
    char errbuf[CURL_ERROR_SIZE];
    CURLcode cc;
    curl_off_t ra = -1;
    char *eff = NULL;

    memset(r, 0, sizeof *r);
    r->retry_after = -1;
    errbuf[0] = '\0';
    c->refused_ip = 0;

    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, c->cfg.allow_http ? "http,https" : "https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, c->cfg.allow_http ? "http,https" : "https");
    /* Custom Authorization headers are not sent to another host on redirect. */
    curl_easy_setopt(h, CURLOPT_UNRESTRICTED_AUTH, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (c->cfg.cacert)
        curl_easy_setopt(h, CURLOPT_CAINFO, c->cfg.cacert);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, c->cfg.connect_timeout);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, c->cfg.timeout);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, c->cfg.low_speed_time);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_USERAGENT, c->cfg.user_agent);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->cfg.max_body);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &x);
    curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, on_prereq);
    curl_easy_setopt(h, CURLOPT_PREREQDATA, c);
    if (c->cfg.verbose) {
        curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
        curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
        curl_easy_setopt(h, CURLOPT_DEBUGDATA, c);
    }
    if (headers)
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    if (post_body)
        curl_easy_setopt(h, CURLOPT_COPYPOSTFIELDS, post_body);
    if (userpwd) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERPWD, userpwd);
    }

    cc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
        r->retry_after = (double)ra; /* may be negative before 8.12: ignored */
    if (curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff)
        r->effective_url = cxf_strdup(eff);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    r->cc = (int)cc;
    if (cc == CURLE_FILESIZE_EXCEEDED) /* Content-Length announced too much */
        r->capped = 1;
    if (cc != CURLE_OK) {
        const char *why = errbuf[0] ? errbuf : curl_easy_strerror(cc);
        if (r->capped)
            snprintf(r->errmsg, sizeof r->errmsg, "response body exceeds --max-body %zu bytes",
                     c->cfg.max_body);
        else if (c->refused_ip)
            snprintf(r->errmsg, sizeof r->errmsg,
                     "refused: --allow-http only permits loopback addresses");
        else
            snprintf(r->errmsg, sizeof r->errmsg, "curl error %d: %s", (int)cc, why);
        return -1;
    }
    if (maybe_gunzip(c, r)) {
        r->cc = r->capped ? CURLE_WRITE_ERROR : CURLE_BAD_CONTENT_ENCODING;
        snprintf(r->errmsg, sizeof r->errmsg, "%s",
                 r->capped ? "response body exceeds --max-body" : "undeclared gzip body is corrupt");
        return -1;
    }
    return 0;
}

void cxf_resp_free(cxf_resp *r)
{
    clear_headers(r);
    free(r->hname);
    free(r->hvalue);
    fbuf_free(&r->body);
    free(r->effective_url);
    memset(r, 0, sizeof *r);
    r->retry_after = -1;
}

const char *cxf_resp_header(const cxf_resp *r, const char *name)
{
    size_t i = r->nh;
    while (i--)
        if (!cxf_casecmp(r->hname[i], name))
            return r->hvalue[i];
    return NULL;
}

int cxf_curl_retryable(int cc)
{
    switch (cc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_HTTP2:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_HTTP2_STREAM:
        return 1;
    default:
        return 0;
    }
}

char *cxf_url_host(const char *url)
{
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL, *res = NULL;
    if (!u)
        return NULL;
    if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
        fbuf b = {0};
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
        if (fbuf_puts(&b, host) || (port && fbuf_printf(&b, ":%s", port)))
            fbuf_free(&b);
        else
            res = fbuf_take(&b);
    }
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return res;
}

char *cxf_url_resolve(const char *base, const char *rel)
{
    CURLU *u = curl_url();
    char *out = NULL, *res = NULL;
    if (!u)
        return NULL;
    if (curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_URL, rel, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK)
        res = cxf_strdup(out);
    curl_free(out);
    curl_url_cleanup(u);
    return res;
}

char *cxf_url_set_param(const char *url, const char *name, const char *value)
{
    fbuf b = {0};
    const char *q = strchr(url, '?'), *hash = strchr(url, '#'), *end, *p;
    size_t nl = strlen(name);
    char *ev = cxf_urlencode(value);
    int first = 1;
    if (!ev)
        return NULL;
    end = hash ? hash : url + strlen(url);
    if (q && q > end)
        q = NULL;
    if (fbuf_append(&b, url, (size_t)((q ? q : end) - url)))
        goto fail;
    /* copy the other parameters, drop the old value of name */
    for (p = q ? q + 1 : end; p < end;) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *seg_end = amp ? amp : end;
        size_t sl = (size_t)(seg_end - p);
        if (sl && !(sl >= nl && !strncmp(p, name, nl) && (sl == nl || p[nl] == '='))) {
            if (fbuf_putc(&b, first ? '?' : '&') || fbuf_append(&b, p, sl))
                goto fail;
            first = 0;
        }
        p = amp ? amp + 1 : end;
    }
    if (fbuf_printf(&b, "%c%s=%s", first ? '?' : '&', name, ev))
        goto fail;
    free(ev);
    return fbuf_take(&b);
fail:
    free(ev);
    fbuf_free(&b);
    return NULL;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int cxf_url_get_param(const char *url, const char *name, char **out)
{
    const char *q = strchr(url, '?'), *hash = strchr(url, '#'), *end, *p;
    size_t nl = strlen(name);
    *out = NULL;
    end = hash ? hash : url + strlen(url);
    if (!q || q > end)
        return 0;
    for (p = q + 1; p < end;) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *seg_end = amp ? amp : end;
        size_t sl = (size_t)(seg_end - p);
        if (sl >= nl && !strncmp(p, name, nl) && (sl == nl || p[nl] == '=')) {
            const char *v = sl == nl ? seg_end : p + nl + 1;
            fbuf b = {0};
            /* form decoding: %XX and '+' for a space, as servers read it */
            while (v < seg_end) {
                char c = *v++;
                if (c == '+') {
                    c = ' ';
                } else if (c == '%' && seg_end - v >= 2 && hexval(v[0]) >= 0 && hexval(v[1]) >= 0) {
                    c = (char)(hexval(v[0]) * 16 + hexval(v[1]));
                    v += 2;
                }
                if (fbuf_putc(&b, c)) {
                    fbuf_free(&b);
                    return -1;
                }
            }
            *out = fbuf_take(&b);
            return *out ? 1 : -1;
        }
        p = amp ? amp + 1 : end;
    }
    return 0;
}

char *cxf_link_parse_next(const char *v)
{
    const char *p = v;
    while (p && *p) {
        const char *lt, *gt;
        int is_next = 0;
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (*p != '<')
            return NULL;
        lt = p + 1;
        gt = strchr(lt, '>');
        if (!gt)
            return NULL;
        p = gt + 1;
        /* parameters up to the next top-level comma */
        while (*p && *p != ',') {
            const char *pn;
            size_t pl;
            while (*p == ';' || *p == ' ' || *p == '\t')
                p++;
            pn = p;
            while (*p && *p != '=' && *p != ';' && *p != ',')
                p++;
            pl = (size_t)(p - pn);
            while (pl && pn[pl - 1] == ' ')
                pl--;
            if (*p == '=') {
                const char *vs, *ve;
                p++;
                while (*p == ' ')
                    p++;
                if (*p == '"') {
                    vs = ++p;
                    while (*p && *p != '"')
                        p++;
                    ve = p;
                    if (*p)
                        p++;
                } else {
                    vs = p;
                    while (*p && *p != ';' && *p != ',')
                        p++;
                    ve = p;
                    while (ve > vs && ve[-1] == ' ')
                        ve--;
                }
                if (pl == 3 && !cxf_ncasecmp(pn, "rel", 3)) {
                    /* rel may list several space-separated types */
                    const char *t = vs;
                    while (t < ve) {
                        const char *te = t;
                        while (te < ve && *te != ' ')
                            te++;
                        if (te - t == 4 && !cxf_ncasecmp(t, "next", 4))
                            is_next = 1;
                        t = te;
                        while (t < ve && *t == ' ')
                            t++;
                    }
                }
            }
        }
        if (is_next)
            return cxf_strndup(lt, (size_t)(gt - lt));
    }
    return NULL;
}

char *cxf_link_next(const cxf_resp *r, const char *base)
{
    size_t i;
    for (i = 0; i < r->nh; i++) {
        if (!cxf_casecmp(r->hname[i], "link")) {
            char *raw = cxf_link_parse_next(r->hvalue[i]);
            if (raw) {
                char *abs = cxf_url_resolve(base, raw);
                free(raw);
                return abs;
            }
        }
    }
    return NULL;
}
