/* token.h - login tokens (Bluesky session JWT, Reddit app-only OAuth) cached
 * between runs in a 0600 file, so repeated runs do not log in every time
 * (Bluesky allows 30 createSession calls per 5 minutes, 300 per day). */
#ifndef CXSENT_FETCH_TOKEN_H
#define CXSENT_FETCH_TOKEN_H

#include <stddef.h>

typedef enum cxf_token_status {
    CXF_TOKEN_OK = 0,  /* *token set, valid for a while yet */
    CXF_TOKEN_MISS,    /* no cache file */
    CXF_TOKEN_EXPIRED, /* expired or about to (less than a minute left) */
    CXF_TOKEN_OTHER,   /* cached for another login (host, account, client) */
    CXF_TOKEN_UNSAFE,  /* symlink, not a regular file, not ours, or readable by others */
    CXF_TOKEN_INVALID, /* unreadable or not a cache file */
    CXF_TOKEN_NOMEM
} cxf_token_status;

/* What a login leaves: the access token and, for sessions that can be
 * refreshed (Bluesky's refreshJwt), the refresh token. Expiries are epoch
 * seconds; refresh_expires_at 0 = unknown. Strings are malloc'd. */
typedef struct cxf_tokens {
    char *token;
    double expires_at;
    char *refresh;
    double refresh_expires_at;
} cxf_tokens;

void cxf_tokens_free(cxf_tokens *t);

/* Read the cache at path into *out (zeroed first). CXF_TOKEN_OK: out->token
 * is valid for a while yet. CXF_TOKEN_EXPIRED: it is not, but out->refresh
 * may still be usable. Either way out->refresh is set only if the cache holds
 * a refresh token that has not expired. key identifies the login (see
 * fetch.c). why gets a short reason for any status but OK (never a token). */
cxf_token_status cxf_token_load(const char *path, const char *key, double now, cxf_tokens *out,
                                char *why, size_t whylen);

/* Replace the cache atomically: a new 0600 file made with mkstemp (O_EXCL)
 * next to path, fsync'ed and renamed over path (a symlink at path is
 * replaced, never followed). t->refresh may be NULL. 0 ok, -1 with errno. */
int cxf_token_save(const char *path, const char *key, const cxf_tokens *t);

/* Can this be sent as "Authorization: Bearer TOKEN"? 1 if it is 1..8192
 * visible ASCII characters: a CR/LF from a hostile login response must not
 * smuggle a header into every request. */
int cxf_token_valid(const char *token);

/* The exp claim of a JWT (epoch seconds). 0 ok, -1 not a JWT or no exp. */
int cxf_jwt_exp(const char *token, double *exp);

#endif
