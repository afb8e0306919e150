/* util.h - growable buffers, small string helpers, time helpers, secret redaction.
 * Part of cxsent-fetch. No global mutable state. */
#ifndef CXSENT_FETCH_UTIL_H
#define CXSENT_FETCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define CXF_VERSION "0.1.0"

/* Growable byte buffer; data is always NUL-terminated when non-NULL. */
typedef struct fbuf {
    char *data;
    size_t len, cap;
} fbuf;

int fbuf_append(fbuf *b, const char *s, size_t n); /* 0 or -1 (ENOMEM) */
int fbuf_puts(fbuf *b, const char *s);
int fbuf_putc(fbuf *b, char c);
int fbuf_printf(fbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void fbuf_reset(fbuf *b);
void fbuf_free(fbuf *b);
/* Hand over the buffer (never NULL unless ENOMEM); b is reset. */
char *fbuf_take(fbuf *b);

char *cxf_strdup(const char *s);
char *cxf_strndup(const char *s, size_t n);
int cxf_casecmp(const char *a, const char *b);
int cxf_ncasecmp(const char *a, const char *b, size_t n);
uint64_t cxf_fnv1a(const void *p, size_t n, uint64_t h);
#define CXF_FNV_SEED 14695981039346656037ULL

/* Write all n bytes to fd, retrying short writes and EINTR. 0, or -1 with errno set. */
int cxf_write_all(int fd, const char *p, size_t n);

/* Replace the file at path with text and a newline, atomically: a new file beside it made by
 * mkstemp (mode 0600, never a path an attacker planted), synced, renamed over path, and its
 * directory synced. A symlink at path is replaced, not followed. 0, or -1 with errno set
 * (path untouched). */
int cxf_replace_file(const char *path, const char *text);

/* Monotonic and wall clock seconds. */
double cxf_now_mono(void);
double cxf_now_real(void);

/* Time conversion without libc timezone state (reentrant, fuzz-safe); the calendar is
 * tools/common/civil.h. */
/* Parse an ISO-8601 / RFC 3339 timestamp; 0 ok, -1 not a timestamp. */
int cxf_parse_iso8601(const char *s, double *epoch);
/* Format as RFC 3339 UTC with second precision: buf >= 32 bytes. */
int cxf_format_rfc3339(double epoch, char *buf, size_t cap);

/* Secrets taken from the environment. Every string we print or persist
 * passes through cxf_redact(), so a token cannot leak even if a server echoes
 * it back in a Link header, an error body or a record. */
typedef struct cxf_secret {
    char *env;   /* variable name, e.g. CXSENT_GITHUB_TOKEN */
    char *value; /* raw value */
    char *esc;   /* percent-encoded value (as it appears in URLs) */
} cxf_secret;

typedef struct cxf_secrets {
    cxf_secret *v;
    size_t n, cap;
} cxf_secrets;

/* Register a secret (value copied). 0 ok, -1 ENOMEM. Empty values ignored. */
int cxf_secrets_add(cxf_secrets *s, const char *env, const char *value);
/* Extra literal that must be hidden (e.g. a session token we obtained). */
int cxf_secrets_add_literal(cxf_secrets *s, const char *label, const char *value);
void cxf_secrets_free(cxf_secrets *s);
/* Return a malloc'd copy of text with every secret replaced by "***"
 * (placeholder == 0) or by "${ENV}" (placeholder == 1, used for the state
 * file so a resumed run can substitute the value again). NULL on ENOMEM. */
char *cxf_redact(const cxf_secrets *s, const char *text, int placeholder);
/* Reverse of placeholder redaction. NULL on ENOMEM. */
char *cxf_unredact(const cxf_secrets *s, const char *text);
/* Does text contain any secret? */
int cxf_has_secret(const cxf_secrets *s, const char *text);

/* Percent-encode for a query value (RFC 3986 unreserved kept). NULL on ENOMEM. */
char *cxf_urlencode(const char *s);



/* Print "cxsent-fetch: MESSAGE\n" to stderr with secrets redacted. */
void cxf_log(const cxf_secrets *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
#endif
