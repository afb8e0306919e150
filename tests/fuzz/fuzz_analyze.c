/*
 * fuzz_analyze.c — cxs_analyze end to end through the public API.
 *
 * The first 4 bytes pick the settings, the rest is the text:
 *   byte 0  positive threshold  byte0 / 255          (0 .. 1)
 *   byte 1  negative threshold  -byte1 / 255         (-1 .. 0)
 *   byte 2  bit 0 strict UTF-8, bit 1 explain, bit 2 max text = half the text,
 *           bit 3 second run on a fresh analyzer (else the same one, dirtied in between)
 *   byte 3  bit 0 the small model (with patterns) instead of the default one
 *
 * Checks: the text is analysed twice with identical JSON bytes; the JSON is one valid object
 * (strict RFC 8259, valid UTF-8) and truncates snprintf-style; scores are finite and consistent
 * with the label and thresholds; the fast path (cxs_analyzer_score) gives the same scores; the
 * explanation's spans lie inside the text; errors are exactly the documented ones (CXS_ELIMIT
 * over the limit, CXS_EUTF8 at the first invalid byte in strict mode) and leave the result empty.
 */
#include "fuzz_util.h"

#include <cxsent.h>

#include <math.h>
#include <string.h>

static const char small_text[] =
    "@section negators\nnot\n@section boosters\nvery\t0.3\n"
    "@section contrastives\nbut\t0.5\t1.5\n@section lexicon\ngood\t2\nbad\t-2\n:(\t-1.5\n"
    /* patterns: a match on any text (limits, invalid UTF-8, matches inside tokens) */
    "@section patterns\n[$\xE2\x82\xAC]\\s?\\d+\ttheme\tprice\n(?:a|ab)+c\tintent\tchurn\n"
    "\\bor\\w*\tchannel\tphone\n";

static const cxs_model *model(int small)
{
    static cxs_model *m[2];
    if (!m[small]) {
        int rc = small ? cxs_model_load_buffer(&m[small], small_text, sizeof small_text - 1,
                                               "small", NULL, NULL)
                       : cxs_model_load_default(&m[small], NULL, NULL);
        FUZZ_CHECK(rc == CXS_OK);
    }
    return m[small];
}

/* Offset of the first invalid UTF-8 sequence, or len if the text is valid. */
static size_t first_invalid(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t k = fuzz_utf8_seq((const unsigned char *)s + i, len - i);
        if (!k)
            return i;
        i += k;
    }
    return len;
}

/* JSON of res; the caller frees. Also checks the snprintf-style contract. */
static char *to_json(const cxs_result *res, unsigned flags, size_t *len)
{
    size_t n = cxs_result_to_json(res, flags, NULL, 0);
    char *buf = malloc(n + 1);
    FUZZ_CHECK(buf);
    FUZZ_CHECK(cxs_result_to_json(res, flags, buf, n + 1) == n);
    FUZZ_CHECK(buf[n] == '\0' && strlen(buf) == n);
    FUZZ_CHECK(fuzz_json_is_object(buf, n));
    FUZZ_CHECK(fuzz_utf8_valid(buf, n));
    if (n > 2) { /* truncated: the same length is returned, the prefix is written */
        size_t cap = n / 2;
        char *half = malloc(cap);
        FUZZ_CHECK(half);
        FUZZ_CHECK(cxs_result_to_json(res, flags, half, cap) == n);
        FUZZ_CHECK(half[cap - 1] == '\0' && memcmp(half, buf, cap - 1) == 0);
        free(half);
    }
    *len = n;
    return buf;
}

static void check_scores(const cxs_scores *s, int label, double pos_thr, double neg_thr)
{
    FUZZ_CHECK(isfinite(s->pos) && isfinite(s->neu) && isfinite(s->neg) &&
               isfinite(s->compound));
    FUZZ_CHECK(s->compound >= -1.0 && s->compound <= 1.0);
    FUZZ_CHECK(s->pos >= 0 && s->neu >= 0 && s->neg >= 0);
    double sum = s->pos + s->neu + s->neg;
    FUZZ_CHECK(sum == 0 || fabs(sum - 1.0) < 1e-9);
    if (s->compound >= pos_thr)
        FUZZ_CHECK(label == CXS_LABEL_POSITIVE);
    else if (s->compound <= neg_thr)
        FUZZ_CHECK(label == CXS_LABEL_NEGATIVE);
    else
        FUZZ_CHECK(label == CXS_LABEL_NEUTRAL);
}

static void check_terms(const cxs_result *res, size_t len)
{
    size_t nt = cxs_result_term_count(res), ns = cxs_result_sentence_count(res);
    size_t prev = 0;
    for (size_t i = 0; i < nt; i++) {
        cxs_term t;
        FUZZ_CHECK(cxs_result_term(&t, res, i) == CXS_OK);
        FUZZ_CHECK(t.start <= t.end && t.end <= len && t.start >= prev);
        prev = t.start;
        FUZZ_CHECK(t.sentence < ns);
        FUZZ_CHECK(isfinite(t.valence) && isfinite(t.score));
        for (unsigned bit = 0; bit < 32; bit++) /* every rule bit set is a documented one */
            if (t.rules & (1u << bit))
                FUZZ_CHECK(strcmp(cxs_rule_name(1u << bit), "unknown") != 0);
    }
    cxs_term t;
    FUZZ_CHECK(cxs_result_term(&t, res, nt) == CXS_EINVAL);
}

/* The customer-experience facts: spans inside the text, names and kinds documented, values
 * finite, a negative text a complaint. */
static void check_facts(const cxs_result *res, size_t len)
{
    size_t nth = cxs_result_theme_count(res);
    for (size_t i = 0; i < nth; i++) {
        cxs_theme t;
        FUZZ_CHECK(cxs_result_theme(&t, res, i) == CXS_OK);
        FUZZ_CHECK(t.theme && t.theme[0]);
        FUZZ_CHECK(isfinite(t.score) && t.score >= -1.0 && t.score <= 1.0);
        FUZZ_CHECK(strcmp(cxs_label_name(t.polarity), "unknown") != 0);
        FUZZ_CHECK(strcmp(cxs_level_name(t.level), "unknown") != 0);
        FUZZ_CHECK(t.n_spans > 0);
        for (size_t j = 0; j < t.n_spans; j++) {
            size_t s, e;
            FUZZ_CHECK(cxs_result_theme_span(&s, &e, res, i, j) == CXS_OK);
            FUZZ_CHECK(s < e && e <= len);
        }
        for (size_t k = 0; k < i; k++) { /* one fact per theme */
            cxs_theme o;
            FUZZ_CHECK(cxs_result_theme(&o, res, k) == CXS_OK);
            FUZZ_CHECK(strcmp(o.theme, t.theme) != 0);
        }
    }
    unsigned in = cxs_result_intents(res);
    FUZZ_CHECK((in & ~0xFu) == 0);
    if (cxs_result_label(res) == CXS_LABEL_NEGATIVE)
        FUZZ_CHECK(in & CXS_INTENT_COMPLAINT);
    size_t nw = cxs_result_wait_count(res), prev = 0;
    for (size_t i = 0; i < nw; i++) {
        cxs_wait w;
        FUZZ_CHECK(cxs_result_wait(&w, res, i) == CXS_OK);
        FUZZ_CHECK(w.start < w.end && w.end <= len && w.start >= prev);
        prev = w.start;
        FUZZ_CHECK(isfinite(w.seconds) && w.seconds >= 0);
        FUZZ_CHECK(strcmp(cxs_channel_name(w.channel), "unknown") != 0);
        FUZZ_CHECK(w.breach == 0 || w.breach == 1);
    }
    cxs_wait w;
    FUZZ_CHECK(cxs_result_wait(&w, res, nw) == CXS_EINVAL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4 || size > FUZZ_MAX_INPUT)
        return 0;
    double pos_thr = data[0] / 255.0, neg_thr = -(data[1] / 255.0);
    int strict = data[2] & 1, limit = (data[2] & 4) != 0, fresh = (data[2] & 8) != 0;
    unsigned flags = (data[2] & 2) ? CXS_JSON_EXPLAIN : 0;
    const cxs_model *m = model(data[3] & 1);
    const char *text = (const char *)data + 4;
    size_t len = size - 4;

    cxs_analyzer *an = NULL, *an2 = NULL;
    cxs_result *res = NULL;
    FUZZ_CHECK(cxs_analyzer_new(&an, m, NULL) == CXS_OK);
    FUZZ_CHECK(cxs_result_new(&res, m, NULL) == CXS_OK);
    FUZZ_CHECK(cxs_analyzer_set(an, CXS_PARAM_NEG_THRESHOLD, neg_thr) == CXS_OK);
    FUZZ_CHECK(cxs_analyzer_set(an, CXS_PARAM_POS_THRESHOLD, pos_thr) == CXS_OK);
    FUZZ_CHECK(cxs_analyzer_set(an, CXS_PARAM_STRICT_UTF8, strict) == CXS_OK);
    if (limit)
        FUZZ_CHECK(cxs_analyzer_set(an, CXS_PARAM_MAX_TEXT, (double)(len / 2)) == CXS_OK);
    double got;
    FUZZ_CHECK(cxs_analyzer_get(&got, an, CXS_PARAM_POS_THRESHOLD) == CXS_OK && got == pos_thr);

    cxs_error err;
    memset(&err, 0, sizeof err);
    int rc = cxs_analyze(res, an, text, len, &err);
    size_t bad_at = first_invalid(text, len);
    if (limit && len > len / 2) {
        FUZZ_CHECK(rc == CXS_ELIMIT && err.code == CXS_ELIMIT);
    } else if (strict && bad_at < len) {
        FUZZ_CHECK(rc == CXS_EUTF8 && err.code == CXS_EUTF8 && err.offset == bad_at);
    } else {
        FUZZ_CHECK(rc == CXS_OK);
    }

    size_t n1, n2;
    char *j1 = to_json(res, flags, &n1);
    if (rc != CXS_OK) { /* the result is left empty */
        const cxs_scores *s = cxs_result_scores(res);
        FUZZ_CHECK(s->pos == 0 && s->neu == 0 && s->neg == 0 && s->compound == 0);
        FUZZ_CHECK(cxs_result_term_count(res) == 0);
        FUZZ_CHECK(cxs_result_label(res) == CXS_LABEL_NEUTRAL);
        free(j1);
        cxs_result_free(res);
        cxs_analyzer_free(an);
        return 0;
    }
    const cxs_scores s1 = *cxs_result_scores(res);
    int label1 = cxs_result_label(res);
    check_scores(&s1, label1, pos_thr, neg_thr);
    check_terms(res, len);
    check_facts(res, len);

    /* the fast path agrees exactly */
    cxs_scores fs;
    int flabel = 99;
    FUZZ_CHECK(cxs_analyzer_score(&fs, &flabel, an, text, len, NULL) == CXS_OK);
    FUZZ_CHECK(memcmp(&fs, &s1, sizeof fs) == 0 && flabel == label1);

    /* run two: same bytes, whether the analyzer is fresh or was used for another text */
    cxs_analyzer *an_b = an;
    if (fresh) {
        FUZZ_CHECK(cxs_analyzer_new(&an2, m, NULL) == CXS_OK);
        FUZZ_CHECK(cxs_analyzer_set(an2, CXS_PARAM_NEG_THRESHOLD, neg_thr) == CXS_OK);
        FUZZ_CHECK(cxs_analyzer_set(an2, CXS_PARAM_POS_THRESHOLD, pos_thr) == CXS_OK);
        FUZZ_CHECK(cxs_analyzer_set(an2, CXS_PARAM_STRICT_UTF8, strict) == CXS_OK);
        an_b = an2;
    } else {
        static const char other[] = "Not good, but the VERY friendly staff made up for it!!! :(";
        FUZZ_CHECK(cxs_analyzer_set(an, CXS_PARAM_MAX_TEXT, 4294967295.0) == CXS_OK);
        FUZZ_CHECK(cxs_analyze(res, an, other, sizeof other - 1, NULL) == CXS_OK);
    }
    FUZZ_CHECK(cxs_analyze(res, an_b, text, len, NULL) == CXS_OK);
    char *j2 = to_json(res, flags, &n2);
    FUZZ_CHECK(n1 == n2 && memcmp(j1, j2, n1) == 0);

    free(j1);
    free(j2);
    cxs_result_free(res);
    cxs_analyzer_free(an);
    cxs_analyzer_free(an2);
    return 0;
}
