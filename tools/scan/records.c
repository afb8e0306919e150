/*
 * records.c — cxsent-scan's readers: JSONL lines and CSV rows to scored output records, in
 * input order. Bad input never stops the run: a line that is not a JSON object is reported as
 * FILE:LINE: reason on stderr and counted; invalid UTF-8 is replaced by U+FFFD (and reported),
 * so the record is kept.
 */
#define _POSIX_C_SOURCE 200809L
#include "records.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../common/csv.h"
#include "../common/jsonl.h"
#include "../common/model_opts.h"

/* Replace invalid UTF-8 in place-copy; returns the number of invalid sequences. */
static size_t utf8_repair(const char *in, size_t n, char **out, size_t *out_len, size_t *cap)
{
    size_t bad = 0, o = 0;
    if (*cap < n * 3 + 1) {
        char *p = realloc(*out, n * 3 + 1);
        if (!p)
            return (size_t)-1;
        *out = p;
        *cap = n * 3 + 1;
    }
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t need = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3
                                 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
        int ok = need > 0 && i + need <= n;
        for (size_t k = 1; ok && k < need; k++) {
            unsigned b = s[i + k];
            unsigned lo = 0x80, hi = 0xBF;
            if (k == 1) {
                if (c == 0xE0) lo = 0xA0;
                else if (c == 0xED) hi = 0x9F;
                else if (c == 0xF0) lo = 0x90;
                else if (c == 0xF4) hi = 0x8F;
            }
            if (b < lo || b > hi)
                ok = 0;
        }
        if (ok) {
            memcpy(*out + o, s + i, need);
            o += need;
            i += need;
        } else {
            memcpy(*out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            bad++;
            i++;
            while (i < n && (s[i] & 0xC0) == 0x80 && need > 1) { /* swallow its continuation */
                i++;
                need--;
            }
        }
    }
    (*out)[o] = '\0';
    *out_len = o;
    return bad;
}

static void report(scan *sc, const char *file, unsigned long line, const char *why)
{
    if (!sc->o.quiet)
        fprintf(stderr, "cxsent-scan: %s:%lu: %s\n", file, line, why);
}

/*
 * A record had `bad` invalid UTF-8 sequences (now U+FFFD): report it and count it as repaired,
 * or, with --strict-utf8, as skipped. Returns 1 when the record must be skipped.
 */
static int invalid_utf8(scan *sc, const char *file, unsigned long line, size_t bad)
{
    char why[128];
    int skip = sc->o.strict;
    snprintf(why, sizeof why, "%zu invalid UTF-8 sequence(s) replaced by U+FFFD%s", bad,
             skip ? "; record skipped (--strict-utf8)" : "");
    report(sc, file, line, why);
    if (skip)
        sc->skipped++;
    else
        sc->repaired++;
    return skip;
}

static int is_output_key(const char *k)
{
    return !strcmp(k, "sentiment") || !strcmp(k, "themes") || !strcmp(k, "intents") ||
           !strcmp(k, "waits") || !strcmp(k, "explain");
}

static int write_json_value(FILE *out, const json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!s)
        return -1;
    fputs(s, out);
    free(s);
    return 0;
}

static const char *rating_field(const scan *sc)
{
    return sc->o.rating_field ? sc->o.rating_field : "rating";
}

/* Add the record to the narrative (--summary, --report, --narrative): the --group-by fields'
 * values as its group (brand by default, "(no brand)" without one), the --period of its
 * --time-field as its period (the month of created_at), a numeric rating within
 * 0..--rating-scale as its rating (others are no rating). */
static void narrative_add_record(scan *sc, const json_t *rec, const char *t, size_t tlen)
{
    char group[128], period[PERIOD_KEY]; /* the narrative keeps 127 bytes of a group */
    grouping_key(&sc->o.group, rec, group, sizeof group);
    grouping_period(&sc->o.group, rec, period);
    const json_t *rating = json_object_get(rec, rating_field(sc));
    double r = json_is_number(rating) ? json_number_value(rating) : -1;
    cxs_record_info in;
    memset(&in, 0, sizeof in);
    in.group = group;
    in.period = period;
    /* the id as the output line shows it: a string, or an integer (exports often number
     * their records) */
    const json_t *id = json_object_get(rec, sc->o.id_field);
    char idnum[32];
    in.id = json_string_value(id);
    if (!in.id && json_is_integer(id)) {
        snprintf(idnum, sizeof idnum, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
        in.id = idnum;
    }
    in.text = t;
    in.len = tlen;
    if (r >= 0 && r <= sc->o.rating_scale) {
        in.rating = r;
        in.rating_max = sc->o.rating_scale;
    }
    if (cxs_narrative_add(sc->nar, sc->res, &in, NULL) != CXS_OK)
        sc->nar_failed = 1;
    if (sc->nar_ch) {
        char gc[GROUP_CHANNEL_KEY];
        if (grouping_channel_key(&sc->o.group, group, rec, gc)) {
            sc->nar_failed = 1;
            return;
        }
        in.group = gc;
        in.period = NULL; /* only the channel's totals are shown, and no verbatims */
        in.id = NULL;
        in.text = NULL;
        in.len = 0;
        if (cxs_narrative_add(sc->nar_ch, sc->res, &in, NULL) != CXS_OK)
            sc->nar_failed = 1;
    }
}

/* Score one parsed record and write its output line. */
static int process_record(scan *sc, json_t *rec, const char *file, unsigned long line)
{
    json_t *text = json_object_get(rec, sc->o.text_field);
    if (!json_is_string(text)) {
        char why[160];
        snprintf(why, sizeof why, "no string field \"%s\"; record skipped", sc->o.text_field);
        report(sc, file, line, why);
        sc->skipped++;
        return 0;
    }
    const char *t = json_string_value(text);
    size_t tlen = json_string_length(text);
    cxs_error err;
    if (cxs_analyze(sc->res, sc->an, t, tlen, &err) != CXS_OK) {
        char why[300];
        snprintf(why, sizeof why, "%s; record skipped", err.message);
        report(sc, file, line, why);
        sc->skipped++;
        return 0;
    }
    unsigned flags = sc->o.explain ? CXS_JSON_EXPLAIN : 0;
    size_t need = cxs_result_to_json(sc->res, flags, sc->json, sc->json_cap);
    if (need >= sc->json_cap) {
        char *p = realloc(sc->json, need + 1);
        if (!p)
            return -1;
        sc->json = p;
        sc->json_cap = need + 1;
        cxs_result_to_json(sc->res, flags, sc->json, sc->json_cap);
    }
    FILE *out = sc->out;
    fputs("{\"id\":", out);
    json_t *id = json_object_get(rec, sc->o.id_field);
    if (id) {
        write_json_value(out, id);
    } else {
        json_t *syn = json_sprintf("%s:%lu", file, line);
        write_json_value(out, syn);
        json_decref(syn);
    }
    fputc(',', out);
    fwrite(sc->json + 1, 1, need - 2, out); /* the result object's members */
    const char *key;
    json_t *val;
    json_object_foreach(rec, key, val) {
        if (!strcmp(key, sc->o.id_field) || is_output_key(key))
            continue;
        if (!strcmp(key, sc->o.text_field) && !sc->o.keep_text)
            continue;
        fputc(',', out);
        json_t *k = json_string(key);
        write_json_value(out, k);
        json_decref(k);
        fputc(':', out);
        write_json_value(out, val);
    }
    fputs("}\n", out);
    sc->records++;
    if (sc->nar)
        narrative_add_record(sc, rec, t, tlen);
    return 0;
}

int scan_jsonl(scan *sc, FILE *in, const char *file)
{
    jsonl_reader r;
    jsonl_init(&r, in, NULL);
    char *fixed = NULL;
    size_t fixed_cap = 0, len;
    const char *line;
    int had_newline, got, rc = 0;
    while ((got = jsonl_next(&r, &line, &len, &had_newline)) == 1) {
        unsigned long lineno = r.lineno;
        const char *src = line;
        size_t fixed_len;
        size_t bad = utf8_repair(line, len, &fixed, &fixed_len, &fixed_cap);
        if (bad == (size_t)-1) {
            rc = -1;
            break;
        }
        if (bad) {
            if (invalid_utf8(sc, file, lineno, bad))
                continue;
            src = fixed;
            len = fixed_len;
        }
        json_error_t jerr;
        json_t *rec = json_loadb(src, len, JSON_REJECT_DUPLICATES, &jerr);
        if (!rec || !json_is_object(rec)) {
            char why[256];
            if (!rec)
                snprintf(why, sizeof why, "column %d: %s%s; line skipped", jerr.column,
                         jerr.text, had_newline ? "" : " (truncated last line?)");
            else
                snprintf(why, sizeof why, "not a JSON object; line skipped");
            report(sc, file, lineno, why);
            sc->skipped++;
            json_decref(rec);
            continue;
        }
        rc = process_record(sc, rec, file, lineno);
        json_decref(rec);
        if (rc)
            break;
    }
    if (got == -1) {
        fprintf(stderr, "cxsent-scan: %s: read error: %s\n", file, strerror(errno));
        rc = -1;
    }
    jsonl_free(&r);
    free(fixed);
    return rc;
}

/* A CSV value as JSON: empty is null; the rating column (--rating-field) holding an integer
 * is a number, and one with a decimal point between digits ("4.5") a real (csv_decimal), as
 * in a JSONL export. */
static json_t *csv_value(const char *col, const char *rating_field, const char *v, size_t len)
{
    if (len == 0)
        return json_null();
    if (!strcmp(col, rating_field)) {
        char *end;
        errno = 0;
        long long x = strtoll(v, &end, 10);
        if (!errno && end == v + len)
            return json_integer(x);
        double r;
        /* digits on both sides of the point: "4." and ".5" stay text, as a sign does */
        if (v[0] >= '0' && v[0] <= '9' && v[len - 1] >= '0' && v[len - 1] <= '9' &&
            memchr(v, '.', len) && !csv_decimal(v, len, &r))
            return json_real(r);
    }
    return json_stringn(v, len);
}

/* CSV with a header row: each record becomes an object keyed by the header's names. */
int scan_csv(scan *sc, FILE *in, const char *file)
{
    csv_reader *r = csv_open(in);
    if (!r)
        return -1;
    char **f, **cols = NULL, *fixed = NULL;
    size_t *fl, n, ncols = 0, fixed_cap = 0, fixed_len;
    unsigned long line;
    const char *why;
    int rc = 0, got;
    /* the header: the first well-formed record */
    while ((got = csv_next(r, &f, &fl, &n, &line, &why)) == -1) {
        report(sc, file, line, why);
        sc->skipped++;
    }
    if (got == 1) {
        cols = calloc(n, sizeof *cols);
        if (!cols)
            got = -2;
        for (size_t i = 0; cols && i < n; i++)
            if (!(cols[i] = strdup(f[i])))
                got = -2;
        ncols = n;
    }
    int has_text = 0;
    for (size_t i = 0; got == 1 && i < ncols; i++)
        has_text |= !strcmp(cols[i], sc->o.text_field);
    if (got == 1 && !has_text) {
        fprintf(stderr, "cxsent-scan: %s:%lu: no column \"%s\" in the CSV header\n", file, line,
                sc->o.text_field);
        rc = -1;
    }
    while (got == 1 && rc == 0 && (got = csv_next(r, &f, &fl, &n, &line, &why)) != 0) {
        if (got == -2) {
            rc = -1;
            break;
        }
        if (got == -1) {
            char w[200];
            snprintf(w, sizeof w, "%s; record skipped", why);
            report(sc, file, line, w);
            sc->skipped++;
            got = 1;
            continue;
        }
        if (n != ncols) {
            char w[120];
            snprintf(w, sizeof w, "%zu fields where the header has %zu; record skipped", n, ncols);
            report(sc, file, line, w);
            sc->skipped++;
            continue;
        }
        json_t *rec = json_object();
        size_t bad_total = 0;
        for (size_t i = 0; rec && i < n; i++) {
            const char *v = f[i];
            size_t len = fl[i];
            size_t bad = utf8_repair(v, len, &fixed, &fixed_len, &fixed_cap);
            if (bad == (size_t)-1) {
                json_decref(rec);
                rec = NULL;
                break;
            }
            if (bad) {
                bad_total += bad;
                v = fixed;
                len = fixed_len;
            }
            json_object_set_new(rec, cols[i], csv_value(cols[i], rating_field(sc), v, len));
        }
        if (!rec) {
            rc = -1;
            break;
        }
        if (bad_total && invalid_utf8(sc, file, line, bad_total)) {
            json_decref(rec);
            continue;
        }
        rc = process_record(sc, rec, file, line);
        json_decref(rec);
    }
    if (got == -2)
        rc = -1;
    if (ferror(in)) {
        fprintf(stderr, "cxsent-scan: %s: read error: %s\n", file, strerror(errno));
        rc = -1;
    }
    for (size_t i = 0; cols && i < ncols; i++)
        free(cols[i]);
    free(cols);
    free(fixed);
    csv_close(r);
    return rc;
}

int scan_load_model(scan *sc)
{
    cxs_error err;
    if (tool_load_model(&sc->model, "cxsent-scan", sc->o.model, sc->o.overrides,
                        sc->o.n_overrides))
        return -1;
    if (cxs_analyzer_new(&sc->an, sc->model, &err) || cxs_result_new(&sc->res, sc->model, &err)) {
        fprintf(stderr, "cxsent-scan: %s\n", err.message);
        return -1;
    }
    if ((sc->o.have_pos && cxs_analyzer_set(sc->an, CXS_PARAM_POS_THRESHOLD, sc->o.pos_thr)) ||
        (sc->o.have_neg && cxs_analyzer_set(sc->an, CXS_PARAM_NEG_THRESHOLD, sc->o.neg_thr))) {
        fprintf(stderr, "cxsent-scan: thresholds must satisfy -1 <= neg <= pos <= 1\n");
        return -1;
    }
    if (sc->o.strict)
        cxs_analyzer_set(sc->an, CXS_PARAM_STRICT_UTF8, 1);
    return 0;
}
