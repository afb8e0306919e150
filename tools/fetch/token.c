/* token.c - the login token cache. The file holds a bearer token, so it is
 * treated like an ssh key: created 0600 through mkstemp + rename, and on
 * reading ignored unless it is a regular file (not a symlink) owned by us and
 * unreadable by others. The token never passes through a log message here. */
#include "token.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_MAX 65536    /* a cache file is a few hundred bytes */
#define EXPIRY_MARGIN 60.0 /* do not start a page with a token about to expire */

static cxf_token_status why_set(cxf_token_status st, char *why, size_t whylen, const char *msg)
{
    snprintf(why, whylen, "%s", msg);
    return st;
}

void cxf_tokens_free(cxf_tokens *t)
{
    free(t->token);
    free(t->refresh);
    memset(t, 0, sizeof *t);
}

cxf_token_status cxf_token_load(const char *path, const char *key, double now, cxf_tokens *out,
                                char *why, size_t whylen)
{
    struct stat sb;
    char *data = NULL;
    json_t *doc = NULL, *tok, *exp, *rt, *rexp;
    const char *k;
    ssize_t got = 0;
    cxf_token_status st;
    int fd;

    memset(out, 0, sizeof *out);
    why[0] = '\0';
    /* O_NOFOLLOW: a symlink planted at the cache path must not make us read
     * (and send as a credential) whatever it points to. */
    fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT)
            return CXF_TOKEN_MISS;
        if (errno == ELOOP)
            return why_set(CXF_TOKEN_UNSAFE, why, whylen, "it is a symbolic link");
        snprintf(why, whylen, "%s", strerror(errno));
        return CXF_TOKEN_INVALID;
    }
    if (fstat(fd, &sb)) {
        st = why_set(CXF_TOKEN_INVALID, why, whylen, strerror(errno));
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        st = why_set(CXF_TOKEN_UNSAFE, why, whylen, "not a regular file");
        goto out;
    }
    if (sb.st_uid != geteuid()) {
        st = why_set(CXF_TOKEN_UNSAFE, why, whylen, "owned by another user");
        goto out;
    }
    if (sb.st_mode & 077) {
        st = why_set(CXF_TOKEN_UNSAFE, why, whylen, "readable or writable by other users");
        goto out;
    }
    if (sb.st_size <= 0 || sb.st_size > CACHE_MAX) {
        st = why_set(CXF_TOKEN_INVALID, why, whylen, "unexpected size");
        goto out;
    }
    data = malloc((size_t)sb.st_size);
    if (!data) {
        st = CXF_TOKEN_NOMEM;
        goto out;
    }
    while (got < sb.st_size) {
        ssize_t n = read(fd, data + got, (size_t)(sb.st_size - got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += n;
    }
    doc = got == sb.st_size ? json_loadb(data, (size_t)got, 0, NULL) : NULL;
    k = json_string_value(json_object_get(doc, "key"));
    tok = json_object_get(doc, "token");
    exp = json_object_get(doc, "expires_at");
    rt = json_object_get(doc, "refresh");
    rexp = json_object_get(doc, "refresh_expires_at");
    if (json_integer_value(json_object_get(doc, "v")) != 1 || !k || !json_is_string(tok) ||
        json_string_length(tok) == 0 || !json_is_number(exp) || (rt && !json_is_string(rt)) ||
        (rexp && !json_is_number(rexp))) {
        st = why_set(CXF_TOKEN_INVALID, why, whylen, "not a token cache file");
        goto out;
    }
    /* both are sent as a Bearer header: the same header-smuggling check */
    if (!cxf_token_valid(json_string_value(tok)) ||
        (rt && !cxf_token_valid(json_string_value(rt)))) {
        st = why_set(CXF_TOKEN_INVALID, why, whylen, "not a token cache file");
        goto out;
    }
    if (strcmp(k, key)) {
        st = why_set(CXF_TOKEN_OTHER, why, whylen, "cached for another login");
        goto out;
    }
    if (rt && (!rexp || json_number_value(rexp) <= 0 ||
               json_number_value(rexp) - EXPIRY_MARGIN > now)) {
        out->refresh = cxf_strdup(json_string_value(rt));
        out->refresh_expires_at = rexp ? json_number_value(rexp) : 0;
        if (!out->refresh) {
            st = CXF_TOKEN_NOMEM;
            goto out;
        }
    }
    if (json_number_value(exp) - EXPIRY_MARGIN <= now) {
        st = why_set(CXF_TOKEN_EXPIRED, why, whylen, "expired");
        goto out;
    }
    out->token = cxf_strdup(json_string_value(tok));
    if (!out->token) {
        st = CXF_TOKEN_NOMEM;
        goto out;
    }
    out->expires_at = json_number_value(exp);
    st = CXF_TOKEN_OK;
out:
    if (st != CXF_TOKEN_OK && st != CXF_TOKEN_EXPIRED)
        cxf_tokens_free(out);
    json_decref(doc);
    free(data);
    close(fd);
    return st;
}

int cxf_token_save(const char *path, const char *key, const cxf_tokens *t)
{
    json_t *doc = json_pack("{s:i,s:s,s:s,s:I}", "v", 1, "key", key, "token", t->token,
                            "expires_at", (json_int_t)t->expires_at);
    char *text = NULL;
    int rc, saved;
    if (doc && t->refresh &&
        (json_object_set_new(doc, "refresh", json_string(t->refresh)) ||
         json_object_set_new(doc, "refresh_expires_at",
                             json_integer((json_int_t)t->refresh_expires_at)))) {
        json_decref(doc);
        doc = NULL;
    }
    text = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(doc);
    if (!text) {
        errno = ENOMEM;
        return -1;
    }
    rc = cxf_replace_file(path, text);
    saved = errno;
    free(text);
    errno = saved;
    return rc;
}

int cxf_token_valid(const char *token)
{
    size_t n = 0;
    for (; *token; token++, n++)
        if ((unsigned char)*token < 0x21 || (unsigned char)*token > 0x7e || n >= 8192)
            return 0;
    return n > 0;
}

static int b64url_val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-' || c == '+')
        return 62;
    if (c == '_' || c == '/')
        return 63;
    return -1;
}

int cxf_jwt_exp(const char *token, double *exp)
{
    const char *a = strchr(token, '.'), *b;
    unsigned char out[4096];
    size_t n = 0;
    unsigned acc = 0;
    int bits = 0, rc = -1;
    json_t *doc, *v;
    if (!a || !(b = strchr(a + 1, '.')) || strchr(b + 1, '.'))
        return -1;
    for (a++; a < b && *a != '='; a++) {
        int d = b64url_val((unsigned char)*a);
        if (d < 0)
            return -1;
        acc = ((acc << 6) | (unsigned)d) & 0xffffu; /* at most 14 live bits */
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n == sizeof out)
                return -1; /* no real claim set is this large */
            out[n++] = (unsigned char)((acc >> bits) & 0xffu);
        }
    }
    doc = json_loadb((const char *)out, n, 0, NULL);
    v = json_object_get(doc, "exp");
    if (json_is_number(v) && isfinite(json_number_value(v)) && json_number_value(v) > 0 &&
        json_number_value(v) < 253402300799.0) {
        *exp = json_number_value(v);
        rc = 0;
    }
    json_decref(doc);
    return rc;
}
