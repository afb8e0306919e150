/*
 * grouping.c — a record's group and period for the narrative (see grouping.h).
 *
 * Dates are counted in days since 1970-01-01 on the proleptic Gregorian calendar, so a week,
 * a month or a year with no text between two that have texts can be named (the report's chart
 * shows it empty, so its x axis is time).
 */
#include "grouping.h"

#include "../common/civil.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int grouping_parse_fields(grouping *g, char *spec, const char **why)
{
    g->n_fields = 0;
    for (char *p = spec;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (!*p) {
            *why = "an empty field name";
            return -1;
        }
        if (g->n_fields == GROUP_MAX_FIELDS) {
            *why = "at most 4 fields";
            return -1;
        }
        g->fields[g->n_fields++] = p;
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

static const char *const period_names[] = {"month", "day", "week", "quarter", "year"};

int grouping_parse_period(grouping *g, const char *name, const char **why)
{
    for (size_t i = 0; i < sizeof period_names / sizeof *period_names; i++)
        if (!strcmp(name, period_names[i])) {
            g->period = (period_kind)i;
            return 0;
        }
    *why = "not one of day, week, month, quarter, year";
    return -1;
}

/* Append s (n bytes) to buf at *at, cut on a UTF-8 boundary to leave room for the NUL. */
static void put(char *buf, size_t cap, size_t *at, const char *s, size_t n)
{
    if (*at + 1 >= cap)
        return;
    if (n > cap - 1 - *at) {
        n = cap - 1 - *at;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(buf + *at, s, n);
    *at += n;
    buf[*at] = '\0';
}

/* Append the value of field f of rec to buf at *at. */
static void put_field(char *buf, size_t cap, size_t *at, const json_t *rec, const char *f)
{
    const json_t *v = json_object_get(rec, f);
    if (json_is_string(v)) {
        put(buf, cap, at, json_string_value(v), json_string_length(v));
    } else if (v && !json_is_null(v) && !json_is_object(v) && !json_is_array(v)) {
        /* numbers and booleans as the JSON writes them: a store number, a flag */
        char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        if (s)
            put(buf, cap, at, s, strlen(s));
        free(s);
    } else {
        put(buf, cap, at, "(no ", 4);
        put(buf, cap, at, f, strlen(f));
        put(buf, cap, at, ")", 1);
    }
}

void grouping_key(const grouping *g, const json_t *rec, char *buf, size_t cap)
{
    static const char *const brand[] = {"brand"};
    const char *const *fields = g->n_fields ? g->fields : brand;
    int n = g->n_fields ? g->n_fields : 1;
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i)
            put(buf, cap, &at, " / ", 3);
        put_field(buf, cap, &at, rec, fields[i]);
    }
}

const char *grouping_channel_field(const grouping *g)
{
    const char *f = g->channel_field ? g->channel_field : "source";
    if (!*f)
        return NULL;
    for (int i = 0; i < g->n_fields; i++)
        if (!strcmp(g->fields[i], f))
            return NULL;
    return f;
}

void grouping_free(grouping *g)
{
    json_decref(g->channel_ids);
    g->channel_ids = NULL;
}

int grouping_channel_prefix(const grouping *g, const char *group, char *buf)
{
    const json_t *id = g->channel_ids ? json_object_get(g->channel_ids, group) : NULL;
    buf[0] = '\0';
    if (!id)
        return -1;
    snprintf(buf, GROUP_CHANNEL_PREFIX + 1, "%08" PRIx64 "%c",
             (uint64_t)json_integer_value(id) & 0xFFFFFFFFu, GROUP_CHANNEL_SEP);
    return 0;
}

int grouping_channel_key(grouping *g, const char *group, const json_t *rec, char *buf)
{
    buf[0] = '\0';
    if (!g->channel_ids && !(g->channel_ids = json_object()))
        return -1;
    if (!json_object_get(g->channel_ids, group)) {
        /* the group key is UTF-8 cut on a boundary (grouping_key): no check needed; the
         * number's 8 hex digits hold any count of groups a scan can keep in memory */
        json_t *id = json_integer((json_int_t)json_object_size(g->channel_ids));
        if (!id || json_object_set_new_nocheck(g->channel_ids, group, id))
            return -1;
    }
    grouping_channel_prefix(g, group, buf);
    const char *f = grouping_channel_field(g);
    size_t at = GROUP_CHANNEL_PREFIX;
    char ch[40];
    size_t cat = 0;
    ch[0] = '\0';
    put_field(ch, sizeof ch, &cat, rec, f ? f : "source");
    put(buf, at + 32, &at, ch, cat); /* the channel: 31 bytes at most */
    return 0;
}

/* civil_days and civil_date in the types this file counts in. */
static long days_of(long y, int m, int d)
{
    return (long)civil_days(y, (unsigned)m, (unsigned)d);
}

static void date_of(long z, long *y, int *m, int *d)
{
    int64_t yy;
    unsigned mm, dd;
    civil_date(z, &yy, &mm, &dd);
    *y = (long)yy;
    *m = (int)mm;
    *d = (int)dd;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int month_days(long y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return len[m - 1] + (m == 2 && leap);
}

/* ISO 8601 week of a day count: its year (that of the week's Thursday) and week 1..53. */
static void iso_week(long z, long *year, int *week)
{
    long wd = ((z + 3) % 7 + 7) % 7; /* 0 = Monday; 1970-01-01 was a Thursday */
    long thursday = z - wd + 3;
    int m, d;
    date_of(thursday, year, &m, &d);
    *week = (int)((thursday - days_of(*year, 1, 1)) / 7 + 1);
}

/* The key of a date under period p into buf (PERIOD_KEY bytes). Callers keep years within
 * 0..9999, so a key has four digits of year and fits; the wider scratch only spares the
 * compiler a bound it cannot prove. */
static void key_of(period_kind p, long y, int m, int d, char *buf)
{
    char tmp[64];
    int wk;
    switch (p) {
    case PERIOD_DAY:
        snprintf(tmp, sizeof tmp, "%04ld-%02d-%02d", y, m, d);
        break;
    case PERIOD_WEEK:
        iso_week(days_of(y, m, d), &y, &wk);
        snprintf(tmp, sizeof tmp, "%04ld-W%02d", y, wk);
        break;
    case PERIOD_QUARTER:
        snprintf(tmp, sizeof tmp, "%04ld-Q%d", y, (m - 1) / 3 + 1);
        break;
    case PERIOD_YEAR:
        snprintf(tmp, sizeof tmp, "%04ld", y);
        break;
    case PERIOD_MONTH:
    default:
        snprintf(tmp, sizeof tmp, "%04ld-%02d", y, m);
        break;
    }
    size_t n = strlen(tmp);
    if (n > PERIOD_KEY - 1)
        n = PERIOD_KEY - 1;
    memcpy(buf, tmp, n);
    buf[n] = '\0';
}

void grouping_period(const grouping *g, const json_t *rec, char *buf)
{
    const json_t *v = json_object_get(rec, g->time_field ? g->time_field : "created_at");
    buf[0] = '\0';
    long y;
    int m = 1, d = 1;
    double t = 0;
    int epoch = json_is_number(v);
    if (epoch)
        t = json_number_value(v);
    if (json_is_string(v)) {
        /* as much of YYYY-MM-DD as the period needs: a month needs no day */
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        int need_day = g->period == PERIOD_DAY || g->period == PERIOD_WEEK;
        int need_month = g->period != PERIOD_YEAR;
        if (n > 4 && n <= 13 && all_digits(s, n)) {
            /* digits only, more than a year's four: Unix seconds or milliseconds as a CSV
             * column holds them ("1773360000") */
            epoch = 1;
            t = 0;
            for (size_t i = 0; i < n; i++)
                t = t * 10 + (s[i] - '0');
        } else {
            /* years 0001..9999, as for Unix times: the ISO week of 0000-01-01 is in the
             * year -1, which has no four-digit key */
            if (n < 4 || (y = digits(s, 4)) < 1 || (n > 4 && s[4] >= '0' && s[4] <= '9'))
                return;
            if (need_month) {
                if (n < 7 || s[4] != '-' || (m = digits(s + 5, 2)) < 1 || m > 12)
                    return;
                if (need_day && (n < 10 || s[7] != '-' || (d = digits(s + 8, 2)) < 1 ||
                                 d > month_days(y, m)))
                    return;
            }
        }
    } else if (!epoch) {
        return;
    }
    if (epoch) {
        if (fabs(t) >= 1e11)
            t /= 1000; /* milliseconds: 1e11 s is the year 5138 */
        /* years 0001..9999, so every key has four digits */
        if (!(t >= -62135596800.0 && t < 253402300800.0))
            return;
        date_of((long)floor(t / 86400), &y, &m, &d);
    }
    key_of(g->period, y, m, d, buf);
}

/* Offsets that keep the indexes of days and weeks from the year 0 on non-negative (-1 is
 * the answer for a key that is none): 0000-01-01 is day -719528, in week -102790. */
#define DAY0 719528L
#define WEEK0 102800L

long grouping_period_index(period_kind p, const char *key)
{
    size_t n = strlen(key);
    long y = n >= 4 ? digits(key, 4) : -1;
    if (y < 0)
        return -1;
    int a;
    switch (p) {
    case PERIOD_DAY:
        if (n != 10 || (a = digits(key + 5, 2)) < 1 || a > 12 || digits(key + 8, 2) < 1)
            return -1;
        return days_of(y, a, digits(key + 8, 2)) + DAY0;
    case PERIOD_WEEK: {
        if (n != 8 || key[5] != 'W' || (a = digits(key + 6, 2)) < 1 || a > 53)
            return -1;
        /* week 1 holds January 4th; weeks count from the Monday of 1970-01-01's week */
        long jan4 = days_of(y, 1, 4), monday = jan4 - ((jan4 + 3) % 7 + 7) % 7;
        return (monday + 3) / 7 + a - 1 + WEEK0;
    }
    case PERIOD_QUARTER:
        if (n != 7 || key[5] != 'Q' || (a = digits(key + 6, 1)) < 1 || a > 4)
            return -1;
        return y * 4 + a - 1;
    case PERIOD_YEAR:
        return n == 4 ? y : -1;
    case PERIOD_MONTH:
    default:
        if (n != 7 || (a = digits(key + 5, 2)) < 1 || a > 12)
            return -1;
        return y * 12 + a - 1;
    }
}

void grouping_period_key(period_kind p, long index, char *buf)
{
    long y;
    int m, d;
    switch (p) {
    case PERIOD_DAY:
        date_of(index - DAY0, &y, &m, &d);
        break;
    case PERIOD_WEEK:
        date_of((index - WEEK0) * 7, &y, &m, &d); /* its Thursday: week w's Monday is 7w - 3 */
        break;
    case PERIOD_QUARTER:
        y = index / 4, m = (int)(index % 4) * 3 + 1, d = 1;
        break;
    case PERIOD_YEAR:
        y = index, m = 1, d = 1;
        break;
    case PERIOD_MONTH:
    default:
        y = index / 12, m = (int)(index % 12) + 1, d = 1;
        break;
    }
    key_of(p, y, m, d, buf);
}

void grouping_label(const grouping *g, char *buf, size_t cap, size_t n)
{
    if (g->n_fields > 1) {
        size_t at = 0;
        buf[0] = '\0';
        for (int i = 0; i < g->n_fields; i++) {
            if (i)
                put(buf, cap, &at, " / ", 3);
            put(buf, cap, &at, g->fields[i], strlen(g->fields[i]));
        }
        if (n != 1)
            put(buf, cap, &at, " groups", 7);
        return;
    }
    const char *w = g->n_fields ? g->fields[0] : "brand";
    size_t len = strlen(w);
    const char *end = "s";
    if (n == 1) {
        end = "";
    } else if (len && strchr("sxz", w[len - 1])) {
        end = "es"; /* address -> addresses */
    } else if (len >= 2 && w[len - 1] == 'h' && (w[len - 2] == 'c' || w[len - 2] == 's')) {
        end = "es"; /* branch -> branches */
    } else if (len >= 2 && w[len - 1] == 'y' && !strchr("aeiou", w[len - 2])) {
        len--;
        end = "ies"; /* country -> countries */
    }
    snprintf(buf, cap, "%.*s%s", (int)len, w, end);
}

const char *grouping_period_noun(period_kind p)
{
    return period_names[p];
}

void grouping_needs(const grouping *g, char *buf, size_t cap)
{
    static const char *const shape[] = {"YYYY-MM", "YYYY-MM-DD", "YYYY-MM-DD", "YYYY-MM",
                                        "YYYY"};
    snprintf(buf, cap, "a %s %s", shape[g->period],
             g->time_field ? g->time_field : "created_at");
}
