/*
 * pathological_test.c — worst-case texts must cost linear work (reliability.pathological).
 *
 * For each pattern the text is built at 1 MB and at 4 MB and analysed with cxs_analyze (the
 * full path, explanation kept); the time is the minimum of 3 runs on CLOCK_MONOTONIC. The
 * check is a bound per byte, not a speed test: time(4 MB) < 8 * time(1 MB) + slack, where
 * linear work gives about 4x and quadratic work 16x. A 10 MB single line must likewise stay
 * under 20 * time(1 MB) + slack. Each pattern also asserts what the answer must be.
 *
 * usage: pathological_test [-v] [PATTERN...]
 */
#define _POSIX_C_SOURCE 200809L
#include <cxsent.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MB (1024u * 1024u)
#define SLACK 0.05 /* seconds: timer noise on tiny times */

static int failures, verbose;
static cxs_model *model;
static cxs_analyzer *an;
static cxs_result *res;

#define CHECK(cond, ...)                                                                       \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            failures++;                                                                        \
            fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, #cond);                         \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fputc('\n', stderr);                                                               \
        }                                                                                      \
    } while (0)

/* Fill `size` bytes by repeating unit (whole units only; the rest is spaces). */
static char *repeat(const char *unit, size_t ulen, size_t size, size_t *len)
{
    char *s = malloc(size);
    if (!s)
        exit(1);
    size_t n = 0;
    while (n + ulen <= size) {
        memcpy(s + n, unit, ulen);
        n += ulen;
    }
    memset(s + n, ' ', size - n);
    *len = size;
    return s;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Minimum of 3 timed analyses. With a bound, stop as soon as one run is under it: more runs
 * only matter when a run looks too slow (and a quadratic case then fails in minutes, not hours).
 */
static double time_analyze(const char *s, size_t n, int *rc, double bound)
{
    double best = 1e9;
    for (int r = 0; r < 3; r++) {
        double t0 = now();
        *rc = cxs_analyze(res, an, s, n, NULL);
        double t = now() - t0;
        if (t < best)
            best = t;
        if (bound > 0 && best < bound)
            break;
    }
    return best;
}

typedef struct pattern {
    const char *name;
    const char *unit;
    size_t ulen; /* 0: strlen(unit) */
    void (*check)(const char *name, size_t len, size_t units);
} pattern;

static void check_common(const char *name)
{
    const cxs_scores *s = cxs_result_scores(res);
    CHECK(isfinite(s->compound) && s->compound >= -1 && s->compound <= 1, "%s: compound %g",
          name, s->compound);
    size_t n = cxs_result_to_json(res, CXS_JSON_EXPLAIN, NULL, 0);
    CHECK(n > 0, "%s: no JSON", name);
}

static void no_terms(const char *name, size_t len, size_t units)
{
    (void)len;
    (void)units;
    CHECK(cxs_result_term_count(res) == 0, "%s: %zu terms, expected none", name,
          cxs_result_term_count(res));
    CHECK(cxs_result_label(res) == CXS_LABEL_NEUTRAL, "%s: not neutral", name);
    CHECK(cxs_result_scores(res)->compound == 0, "%s: compound %g", name,
          cxs_result_scores(res)->compound);
}

static void one_term_per_unit(const char *name, size_t len, size_t units)
{
    (void)len;
    CHECK(cxs_result_term_count(res) == units, "%s: %zu terms for %zu units", name,
          cxs_result_term_count(res), units);
}

static void negative(const char *name, size_t len, size_t units)
{
    (void)len;
    (void)units;
    CHECK(cxs_result_label(res) == CXS_LABEL_NEGATIVE, "%s: label %s", name,
          cxs_label_name(cxs_result_label(res)));
}

static void any(const char *name, size_t len, size_t units)
{
    (void)name;
    (void)len;
    (void)units;
}

static void one_sentence(const char *name, size_t len, size_t units)
{
    (void)len;
    (void)units;
    CHECK(cxs_result_sentence_count(res) == 1, "%s: %zu sentences", name,
          cxs_result_sentence_count(res));
}

static const pattern patterns[] = {
    /* one 1 MB word: not elongation-squeezable, so it is one over-long token */
    {"one-token", "abcdefghijklmnopqrstuvwxyz", 0, no_terms},
    {"one-token-elongated", "a", 0, no_terms},
    {"one-token-nonascii", "\xC3\xA9\xC3\xB1\xC3\xBC\xC3\x9F", 0, no_terms},
    {"combining-marks", "e\xCC\x81\xCC\x81\xCC\x81", 0, no_terms},
    {"emoji", "\xF0\x9F\x98\xA1", 0, one_term_per_unit},
    {"zwj-chain", "\xF0\x9F\x91\xA8\xE2\x80\x8D", 0, any},
    {"not-not-not", "not ", 0, any},
    {"exclaim", "!", 0, no_terms},
    {"but-but-but", "but ", 0, any},
    {"but-good-bad", "but good bad ", 0, any},
    {"although", "although ", 0, any},
    {"but-though", "but good though bad ", 0, any},
    {"not-but-though", "not good but not bad though ", 0, any},
    {"very-very", "very ", 0, any},
    {"never-again", "never again. ", 0, negative},
    {"invalid-bytes", "\xFF", 0, no_terms},
    {"truncated-seqs", "\xE2\x82", 0, no_terms},
    {"newlines", "\n", 0, no_terms},
    {"sentences", "Bad. ", 0, negative},
    {"hashtags", "#NeverAgainEver", 0, any},
    {"digits", "1", 0, no_terms},
    {"ratings", "1/5 ", 0, negative},
    {"emoticons", ":(", 0, negative},
    {"url", "http://x/", 0, no_terms},
    {"review-line", "The staff were very friendly but the room was not clean, ", 0,
     one_sentence},
    /* customer-experience facts: theme mentions and level cues in every clause, waits with
     * channels named around them */
    {"themes", "staff rude, food great but the price never arrived. ", 0, any},
    {"waits", "waited 45 minutes on hold, ", 0, any},
    {"waits-channels", "email 3 days phone ", 0, any},
    /* a clause after each that denies it ("the price was not"): one pass over the units */
    {"elliptical-clauses", "the food was great, the price was not, ", 0, any},
};

static int selected(const char *name, int argc, char **argv)
{
    int any_name = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            continue;
        any_name = 1;
        if (!strcmp(argv[i], name))
            return 1;
    }
    return !any_name;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* progress shows up even if a pattern hangs */
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "-v"))
            verbose = 1;
    cxs_error err;
    if (cxs_model_load_default(&model, NULL, &err) || cxs_analyzer_new(&an, model, &err) ||
        cxs_result_new(&res, model, &err)) {
        fprintf(stderr, "pathological_test: setup: %s\n", err.message);
        return 1;
    }
    /* the emoji pattern counts terms: its emoji must carry a valence */
    double v;
    CHECK(cxs_model_lookup(&v, model, "\xF0\x9F\x98\xA1", 4) == 1 && v < 0,
          "U+1F621 must be in the default lexicon");

    for (size_t p = 0; p < sizeof patterns / sizeof *patterns; p++) {
        const pattern *pt = &patterns[p];
        if (!selected(pt->name, argc, argv))
            continue;
        size_t ulen = pt->ulen ? pt->ulen : strlen(pt->unit);
        size_t len1, len4;
        char *s1 = repeat(pt->unit, ulen, MB, &len1);
        char *s4 = repeat(pt->unit, ulen, 4 * MB, &len4);
        int rc1, rc4;
        double t1 = time_analyze(s1, len1, &rc1, 0);
        CHECK(rc1 == CXS_OK, "%s: 1 MB: rc=%d", pt->name, rc1);
        if (rc1 == CXS_OK) {
            check_common(pt->name);
            pt->check(pt->name, len1, MB / ulen);
        }
        /* linear is 4x and quadratic 16x; a second measurement of both sizes absorbs a
         * passing spike of load */
        double t4 = time_analyze(s4, len4, &rc4, 8 * t1 + SLACK);
        if (!(t4 < 8 * t1 + SLACK)) {
            t1 = time_analyze(s1, len1, &rc1, 0);
            t4 = time_analyze(s4, len4, &rc4, 8 * t1 + SLACK);
        }
        CHECK(rc4 == CXS_OK, "%s: 4 MB: rc=%d", pt->name, rc4);
        if (rc4 == CXS_OK) {
            check_common(pt->name);
            pt->check(pt->name, len4, 4 * MB / ulen);
        }
        CHECK(t4 < 8 * t1 + SLACK, "%s: not linear: 1 MB %.4f s, 4 MB %.4f s (%.1fx)", pt->name,
              t1, t4, t4 / (t1 > 0 ? t1 : 1e-9));
        if (verbose)
            printf("%-22s 1 MB %8.4f s   4 MB %8.4f s   ratio %5.2f\n", pt->name, t1, t4,
                   t4 / (t1 > 0 ? t1 : 1e-9));
        free(s1);
        free(s4);
    }

    if (selected("100k-emoji", argc, argv)) { /* exactly 100k emoji, each a scored term */
        size_t len;
        char *s = repeat("\xF0\x9F\x98\xA1", 4, 400000, &len);
        CHECK(cxs_analyze(res, an, s, len, NULL) == CXS_OK, "100k emoji");
        CHECK(cxs_result_term_count(res) == 100000, "100k emoji: %zu terms",
              cxs_result_term_count(res));
        CHECK(cxs_result_label(res) == CXS_LABEL_NEGATIVE, "100k angry emoji not negative");
        free(s);
    }

    if (selected("strict-invalid", argc, argv)) { /* strict mode stops at the first bad byte */
        size_t len;
        char *s = repeat("\xFF", 1, MB, &len);
        memcpy(s, "fine ", 5);
        cxs_analyzer_set(an, CXS_PARAM_STRICT_UTF8, 1);
        memset(&err, 0, sizeof err);
        CHECK(cxs_analyze(res, an, s, len, &err) == CXS_EUTF8 && err.offset == 5,
              "strict: offset %zu", err.offset);
        cxs_analyzer_set(an, CXS_PARAM_STRICT_UTF8, 0);
        free(s);
    }

    if (selected("10mb-line", argc, argv)) { /* one 10 MB line, no newline anywhere */
        static const char unit[] = "Great food but slow service, the staff were not rude though ";
        size_t len1, len10;
        char *s1 = repeat(unit, sizeof unit - 1, MB, &len1);
        char *s10 = repeat(unit, sizeof unit - 1, 10 * MB, &len10);
        int rc1, rc10;
        /* linear is 10x and quadratic 100x: 40x tells them apart with room for a machine
         * under load, and a second measurement of both sizes absorbs a passing spike */
        double t1 = time_analyze(s1, len1, &rc1, 0);
        double t10 = time_analyze(s10, len10, &rc10, 40 * t1 + SLACK);
        if (!(t10 < 40 * t1 + SLACK)) {
            t1 = time_analyze(s1, len1, &rc1, 0);
            t10 = time_analyze(s10, len10, &rc10, 40 * t1 + SLACK);
        }
        CHECK(rc1 == CXS_OK && rc10 == CXS_OK, "10 MB line: rc %d %d", rc1, rc10);
        CHECK(cxs_result_sentence_count(res) == 1, "10 MB line: %zu sentences",
              cxs_result_sentence_count(res));
        check_common("10mb-line");
        CHECK(t10 < 40 * t1 + SLACK, "10 MB line not linear: 1 MB %.4f s, 10 MB %.4f s", t1,
              t10);
        if (verbose)
            printf("%-22s 1 MB %8.4f s  10 MB %8.4f s   ratio %5.2f\n", "10mb-line", t1, t10,
                   t10 / (t1 > 0 ? t1 : 1e-9));
        /* the fast path agrees with the full one on the same 10 MB */
        cxs_scores fs;
        CHECK(cxs_analyzer_score(&fs, NULL, an, s10, len10, NULL) == CXS_OK &&
                  memcmp(&fs, cxs_result_scores(res), sizeof fs) == 0, "10 MB fast path");
        free(s1);
        free(s10);
    }

    cxs_result_free(res);
    cxs_analyzer_free(an);
    cxs_model_free(model);
    if (failures)
        fprintf(stderr, "pathological_test: %d check(s) failed\n", failures);
    else
        printf("pathological_test: all checks passed\n");
    return failures ? 1 : 0;
}
