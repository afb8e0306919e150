/* pace.c - rate limits.
 *
 * X-RateLimit-Reset disagrees on units between sources: seconds-until on
 * Reddit, a UTC epoch on GitHub, an ISO-8601 timestamp on Mastodon. Presets
 * declare the unit; the AUTO heuristic covers generic mode. */
#include "pace.h"

#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double cxf_reset_seconds(const char *value, cxf_unit u, double now)
{
    double v, d;
    char *end;
    if (!value)
        return -1;
    while (*value == ' ')
        value++;
    if (u == CXF_UNIT_ISO || (u == CXF_UNIT_AUTO && strchr(value, '-') && strchr(value, 'T'))) {
        if (cxf_parse_iso8601(value, &v))
            return -1;
        d = v - now;
    } else {
        v = strtod(value, &end);
        if (end == value || !isfinite(v))
            return -1;
        while (*end == ' ')
            end++;
        if (*end)
            return -1;
        if (u == CXF_UNIT_EPOCH || (u == CXF_UNIT_AUTO && v > 1e9))
            d = v - now;
        else
            d = v;
    }
    if (!isfinite(d))
        return -1;
    return d < 0 ? 0 : d;
}

double cxf_adaptive_wait(const char *remaining, const char *reset, cxf_unit u, double now)
{
    double rem, secs;
    char *end;
    if (!remaining || !reset)
        return -1;
    rem = strtod(remaining, &end);
    if (end == remaining || !isfinite(rem) || rem < 0)
        return -1;
    secs = cxf_reset_seconds(reset, u, now);
    if (secs < 0)
        return -1;
    if (rem < 1)
        return secs;
    return secs / (rem + 1);
}

double cxf_backoff(unsigned attempt)
{
    return attempt >= 6 ? 60.0 : (double)(1u << attempt);
}

double cxf_jitter(double seconds, unsigned long long *seed)
{
    /* xorshift64*: good enough for spreading retries, no global state */
    unsigned long long x = *seed ? *seed : 0x9E3779B97F4A7C15ULL;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *seed = x;
    return seconds * (1.0 + 0.2 * (double)((x * 2685821657736338717ULL) >> 11) / 9007199254740992.0);
}

static long find_host(const cxf_pacer *pc, const char *host)
{
    size_t i;
    for (i = 0; i < pc->n; i++)
        if (!strcmp(pc->h[i].host, host))
            return (long)i;
    return -1;
}

double cxf_pacer_wait(const cxf_pacer *pc, const char *host, double min_interval, double now)
{
    long i = find_host(pc, host);
    double at;
    if (i < 0)
        return 0;
    at = pc->h[i].last + min_interval;
    if (pc->h[i].ready_at > at)
        at = pc->h[i].ready_at;
    return at > now ? at - now : 0;
}

void cxf_pacer_note(cxf_pacer *pc, const char *host, double now, double ready_at)
{
    long i = find_host(pc, host);
    if (i < 0) {
        /* Full table: recycle the oldest slot; only politeness is lost. */
        if (pc->n < CXF_MAX_HOSTS) {
            i = (long)pc->n++;
        } else {
            size_t k;
            i = 0;
            for (k = 1; k < pc->n; k++)
                if (pc->h[k].last < pc->h[i].last)
                    i = (long)k;
        }
        strncpy(pc->h[i].host, host, sizeof pc->h[i].host - 1);
        pc->h[i].host[sizeof pc->h[i].host - 1] = '\0';
        pc->h[i].ready_at = 0;
    }
    pc->h[i].last = now;
    if (ready_at > pc->h[i].ready_at)
        pc->h[i].ready_at = ready_at;
}
