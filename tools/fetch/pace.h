/* pace.h - rate-limit header parsing, per-host pacing and retry backoff. */
#ifndef CXSENT_FETCH_PACE_H
#define CXSENT_FETCH_PACE_H

#include <stddef.h>

#include "preset.h"

/* Seconds until a rate-limit reset, from a header value in unit u (AUTO:
 * ISO string -> absolute, number > 1e9 -> epoch, else delta). now = wall
 * clock. Returns -1 if the value is not understood; never negative otherwise. */
double cxf_reset_seconds(const char *value, cxf_unit u, double now);

/* Politeness wait after a response: reset/(remaining+1), or the full reset
 * when remaining is 0. -1 if the headers are absent or unusable. */
double cxf_adaptive_wait(const char *remaining, const char *reset, cxf_unit u, double now);

/* Exponential backoff for attempt n (0-based): min(60, 2^n) seconds. */
double cxf_backoff(unsigned attempt);

/* Multiplicative jitter in [1.0, 1.2): spreads clients without ever waiting
 * less than a server asked for. seed is caller-owned state. */
double cxf_jitter(double seconds, unsigned long long *seed);

#define CXF_MAX_HOSTS 8

/* When each host may be contacted again (monotonic seconds). */
typedef struct cxf_pacer {
    struct {
        char host[256];
        double ready_at;
        double last;
    } h[CXF_MAX_HOSTS];
    size_t n;
} cxf_pacer;

/* Seconds to wait before contacting host (>= 0). */
double cxf_pacer_wait(const cxf_pacer *pc, const char *host, double min_interval, double now);
/* Note a request to host at now, and that it may not be used before ready_at. */
void cxf_pacer_note(cxf_pacer *pc, const char *host, double now, double ready_at);

#endif
