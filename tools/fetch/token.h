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

/* Read the cache at path. On CXF_TOKEN_OK, *token (malloc'd) and *expires_at
 * (epoch seconds) are set. key identifies the login (see fetch.c). why gets a
 * short reason for any other status (never the token). */
cxf_token_status cxf_token_load(const char *path, const char *key, double now, char **token,
                                double *expires_at, char *why, size_t whylen);

/* Replace the cache atomically: a new 0600 file made with mkstemp (O_EXCL)
 * next to path, fsync'ed and renamed over path (a symlink at path is
 * replaced, never followed). 0 ok, -1 with errno. */
int cxf_token_save(const char *path, const char *key, const char *token, double expires_at);

/* Can this be sent as "Authorization: Bearer TOKEN"? 1 if it is 1..8192
 * visible ASCII characters: a CR/LF from a hostile login response must not
 * smuggle a header into every request. */
int cxf_token_valid(const char *token);

/* The exp claim of a JWT (epoch seconds). 0 ok, -1 not a JWT or no exp. */
int cxf_jwt_exp(const char *token, double *exp);

#endif
