/*
 * alloc_fail_test.c — failing allocator (reliability.alloc_fail).
 *
 * For N = 1, 2, ... the N-th allocation made through the model's allocator hooks fails, until
 * the operation succeeds. Every run in which an allocation failed must return CXS_ENOMEM (also
 * in err->code), set *out to NULL, release everything it allocated (the hooks count live
 * blocks and check the size passed to release/resize), and leave the objects it was given
 * usable: after the failure the same call, without failures, gives the reference answer.
 *
 * Covered: cxs_model_load_default (every N up to 200, then every 37th, with and without a
 * resize hook), cxs_model_load_buffer of a buffer with every section, cxs_model_load of a file
 * with @include, cxs_model_merge_buffer of overrides touching every section, cxs_analyzer_new,
 * cxs_result_new, cxs_analyze and cxs_analyzer_score on fresh and on warm objects. All but the
 * default model are exhaustive.
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_alloc.h"

#include <cxsent.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...)                                                                       \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            if (failures++ < 25) {                                                             \
                fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, #cond);                     \
                fprintf(stderr, __VA_ARGS__);                                                  \
                fputc('\n', stderr);                                                           \
            }                                                                                  \
        }                                                                                      \
    } while (0)

/* A model with every section, enough entries to grow the table and pool several times, and
   non-ASCII, phrase, emoji and emoticon terms. Built once by make_full_model(). */
static char *full_model;
static size_t full_len;

static const char full_head[] =
    "# every section\n"
    "@section settings\nalpha\t14\nnegation_scalar\t-0.7\nexclaim_max\t3\n"
    "@section negators\nnot\nnever\nno longer\n"
    "@section boosters\nvery\t0.3\nslightly\t-0.3\na bit\t-0.25\n"
    "@section contrastives\nbut\t0.5\t1.5\nalthough\t0.5\t1.3\tlead\non the other hand\t0.6\t1.4\n"
    "@section irrealis\nshould have\t-0.6\nwish\t-0.5\n"
    "@section sarcasm\nyeah right\n/s\n\xF0\x9F\x99\x84\n"
    "@section lexicon\ngood\t2\nbad\t-2\ngreat\t3\nslow\t-1\n:)\t1.5\n<3\t2\n"
    "\xF0\x9F\x98\xA1\t-2.5\n\xE2\x9D\xA4\t3\n"
    "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7\t1\n"
    "gro\xC3\x9F" "artig\t3\n\xC3\xBC" "bel\t-2\nabove and beyond\t4\nfed up\t-2.5\n"
    "don\xE2\x80\x99t care\t-1\n";

static void make_full_model(void)
{
    size_t cap = sizeof full_head + 700 * 32;
    full_model = malloc(cap);
    if (!full_model)
        exit(1);
    memcpy(full_model, full_head, sizeof full_head - 1);
    full_len = sizeof full_head - 1;
    for (int i = 0; i < 700; i++) /* > 512 entries: the 1024-slot table must grow */
        full_len += (size_t)snprintf(full_model + full_len, cap - full_len,
                                     "term%03d x%d\t%d.5\n", i, i % 7, i % 4 - 2);
}

/*
 * Overrides touching every section: replacements, removals, new terms, new phrases.
 * (A contrastive is removed with "term<TAB>none<TAB>none": the documented "term<TAB>none" is
 * rejected, see tests/fuzz/pending/README.md.)
 */
static char *overrides;
static size_t over_len;

static const char over_head[] =
    "@section settings\nalpha\t10\n"
    "@section negators\nnot\tnone\nhardly\n"
    "@section boosters\nvery\t0.5\nslightly\tnone\nsuper\t0.4\n"
    "@section contrastives\nbut\tnone\nhowever\t0.5\t1.5\nthough\t0.5\t1.3\tlead\n"
    "@section irrealis\nwish\tnone\nwould have\t-0.6\n"
    "@section sarcasm\n/s\tnone\nsure thing\n"
    "@section lexicon\ngood\tnone\nbad\t-3\n:(\t-1.5\n\xC3\xA9tonnant\t2\n"
    "above and beyond\tnone\nwent the extra mile\t3.5\n";

static void make_overrides(void)
{
    size_t cap = sizeof over_head + 1200 * 32;
    overrides = malloc(cap);
    if (!overrides)
        exit(1);
    memcpy(overrides, over_head, sizeof over_head - 1);
    over_len = sizeof over_head - 1;
    for (int i = 0; i < 1200; i++) /* more than the base's table and pool hold */
        over_len += (size_t)snprintf(overrides + over_len, cap - over_len,
                                     "extra%04d word\t%d\n", i, i % 9 - 4);
}

static const char small_base[] =
    "@section negators\nnot\n@section boosters\nvery\t0.3\n@section lexicon\ngood\t2\nbad\t-2\n";

/* Long enough, and varied enough, to grow every analyzer and result buffer. */
static char *long_text;
static size_t long_len;

static void make_long_text(void)
{
    static const char *const parts[] = {
        "The staff were VERY friendly but the room was not clean. ",
        "\xC3\x9C" "bel! Gro\xC3\x9F" "artig \xE2\x80\xA6 ",
        "\xF0\x9F\x98\xA1\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9 :) <3 ",
        "Although it was slow, they went above and beyond!!! ",
        "should have been good, yeah right /s\n",
        "#NeverAgain @acme 4/5 soooo goood \xFF\xFE ",
        "term001 x1 term002 x2 term003 x3 good bad great. ",
    };
    size_t cap = 64 * 1024;
    long_text = malloc(cap);
    if (!long_text)
        exit(1);
    long_len = 0;
    for (int r = 0; long_len + 128 < cap; r++) {
        const char *p = parts[r % 7];
        size_t n = strlen(p);
        if (long_len + n >= cap)
            break;
        memcpy(long_text + long_len, p, n);
        long_len += n;
    }
}

static const char short_text[] = "good";

/* ---- model loading ---------------------------------------------------------------------- */

typedef int (*load_fn)(cxs_model **out, const cxs_allocator *a, cxs_error *err, void *arg);

static int load_default(cxs_model **out, const cxs_allocator *a, cxs_error *err, void *arg)
{
    (void)arg;
    return cxs_model_load_default(out, a, err);
}

static int load_full_buffer(cxs_model **out, const cxs_allocator *a, cxs_error *err, void *arg)
{
    (void)arg;
    return cxs_model_load_buffer(out, full_model, full_len, "full", a, err);
}

static int load_file(cxs_model **out, const cxs_allocator *a, cxs_error *err, void *arg)
{
    return cxs_model_load(out, (const char *)arg, a, err);
}

/* Score the long text with m; the JSON (caller frees) identifies the model's contents. */
static char *fingerprint(const cxs_model *m)
{
    cxs_analyzer *an = NULL;
    cxs_result *res = NULL;
    char *j = NULL;
    if (cxs_analyzer_new(&an, m, NULL) == CXS_OK && cxs_result_new(&res, m, NULL) == CXS_OK &&
        cxs_analyze(res, an, long_text, long_len, NULL) == CXS_OK) {
        size_t n = cxs_result_to_json(res, CXS_JSON_EXPLAIN, NULL, 0);
        j = malloc(n + 1);
        if (j)
            cxs_result_to_json(res, CXS_JSON_EXPLAIN, j, n + 1);
    }
    cxs_result_free(res);
    cxs_analyzer_free(an);
    return j;
}

/*
 * Fail the N-th allocation of a load for N = 1, 2, ... (every `stride`-th N beyond `dense`)
 * until it succeeds; the model it finally loads must equal one loaded without failures.
 */
static void loop_load(const char *what, load_fn fn, void *arg, int resize, size_t dense,
                      size_t stride)
{
    fuzz_counter c;
    memset(&c, 0, sizeof c);
    cxs_allocator a = fuzz_allocator(&c, resize);
    cxs_model *ref = NULL;
    cxs_error err;
    CHECK(fn(&ref, &a, &err, arg) == CXS_OK, "%s: reference load failed: %s", what, err.message);
    if (!ref)
        return;
    size_t total = c.allocs;
    char *ref_fp = fingerprint(ref);
    cxs_model_free(ref);
    CHECK(c.live == 0, "%s: reference load leaks %zu block(s)", what, c.live);

    size_t runs = 0, n = 1;
    for (;; n = n < dense ? n + 1 : n + stride) {
        memset(&c, 0, sizeof c);
        c.fail_at = n;
        cxs_model *m = (cxs_model *)&c; /* must be overwritten with NULL on failure */
        memset(&err, 0, sizeof err);
        int rc = fn(&m, &a, &err, arg);
        c.fail_at = 0; /* the checks below allocate through the same hooks */
        runs++;
        if (c.failed == 0) {
            CHECK(rc == CXS_OK, "%s: N=%zu: no allocation failed but rc=%d (%s)", what, n, rc,
                  err.message);
            CHECK(n > total, "%s: succeeded at N=%zu but the reference made %zu allocations",
                  what, n, total);
            if (rc == CXS_OK) {
                char *fp = fingerprint(m);
                CHECK(fp && ref_fp && strcmp(fp, ref_fp) == 0,
                      "%s: model loaded after failures differs", what);
                free(fp);
                cxs_model_free(m);
            }
            CHECK(c.live == 0, "%s: leaks %zu block(s) after success", what, c.live);
            break;
        }
        CHECK(rc == CXS_ENOMEM, "%s: N=%zu: allocation failed but rc=%d (%s: %s)", what, n, rc,
              cxs_strerror(rc), err.message);
        CHECK(err.code == rc, "%s: N=%zu: err.code=%d, rc=%d", what, n, err.code, rc);
        CHECK(m == NULL, "%s: N=%zu: *out not NULL after failure", what, n);
        CHECK(c.live == 0, "%s: N=%zu: %zu block(s) leaked", what, n, c.live);
        if (rc == CXS_OK)
            cxs_model_free(m);
        if (n > total + 1000) {
            CHECK(0, "%s: never succeeded", what);
            break;
        }
    }
    free(ref_fp);
    printf("%-44s %s resize: %5zu allocations, %5zu failing runs\n", what,
           resize ? "with" : "no  ", total, runs - 1);
}

/* Merge overrides onto a base whose allocator fails the N-th allocation. */
static void loop_merge(int resize)
{
    fuzz_counter c;
    memset(&c, 0, sizeof c);
    cxs_allocator a = fuzz_allocator(&c, resize);
    cxs_model *base = NULL, *ref = NULL;
    cxs_error err;
    CHECK(cxs_model_load_buffer(&base, small_base, sizeof small_base - 1, "base", &a, &err) ==
              CXS_OK, "base: %s", err.message);
    if (!base)
        return;
    char *base_fp = fingerprint(base);
    size_t base_live = c.live, start = c.allocs;
    CHECK(cxs_model_merge_buffer(&ref, base, overrides, over_len, "over", &err) == CXS_OK,
          "merge reference: %s", err.message);
    size_t total = c.allocs - start;
    char *ref_fp = fingerprint(ref);
    cxs_model_free(ref);
    CHECK(c.live == base_live, "merge reference leaks");

    size_t runs = 0;
    for (size_t n = 1;; n++) {
        c.allocs = 0;
        c.failed = 0;
        c.fail_at = n;
        cxs_model *m = base; /* must be overwritten */
        memset(&err, 0, sizeof err);
        int rc = cxs_model_merge_buffer(&m, base, overrides, over_len, "over", &err);
        c.fail_at = 0;
        runs++;
        if (c.failed == 0) {
            CHECK(rc == CXS_OK && n > total, "merge: N=%zu: rc=%d without a failure", n, rc);
            char *fp = rc == CXS_OK ? fingerprint(m) : NULL;
            CHECK(fp && ref_fp && strcmp(fp, ref_fp) == 0, "merge: result differs");
            free(fp);
            if (rc == CXS_OK)
                cxs_model_free(m);
            break;
        }
        CHECK(rc == CXS_ENOMEM && err.code == rc,
              "merge: N=%zu: allocation failed but rc=%d (%s)", n, rc, err.message);
        CHECK(m == NULL, "merge: N=%zu: *out not NULL", n);
        CHECK(c.live == base_live, "merge: N=%zu: %zu block(s) leaked", n, c.live - base_live);
        if (n > total + 1000)
            break;
    }
    /* the base is unchanged and still usable */
    char *fp = fingerprint(base);
    CHECK(fp && base_fp && strcmp(fp, base_fp) == 0, "merge: the base changed");
    free(fp);
    free(base_fp);
    free(ref_fp);
    cxs_model_free(base);
    CHECK(c.live == 0, "merge: %zu block(s) leaked after freeing the base", c.live);
    printf("%-44s %s resize: %5zu allocations, %5zu failing runs\n",
           "cxs_model_merge_buffer (every section)", resize ? "with" : "no  ", total, runs - 1);
}

/* ---- analyzers and results ---------------------------------------------------------------- */

static char *json_of(const cxs_result *res)
{
    size_t n = cxs_result_to_json(res, CXS_JSON_EXPLAIN, NULL, 0);
    char *j = malloc(n + 1);
    if (j)
        cxs_result_to_json(res, CXS_JSON_EXPLAIN, j, n + 1);
    return j;
}

/*
 * cxs_analyze (or the fast path) with the N-th allocation failing, on fresh objects or on
 * objects already warmed by a short text. On failure the result is empty; afterwards the same
 * objects give the reference answer.
 */
static void loop_analyze(const cxs_model *m, fuzz_counter *c, int warm, int fast,
                         const char *ref_json, const cxs_scores *ref_scores)
{
    size_t runs = 0, total = 0;
    for (size_t n = 1;; n++) {
        size_t live0 = c->live;
        cxs_analyzer *an = NULL;
        cxs_result *res = NULL;
        if (cxs_analyzer_new(&an, m, NULL) || cxs_result_new(&res, m, NULL)) {
            CHECK(0, "analyze: setup failed");
            return;
        }
        if (warm)
            CHECK(cxs_analyze(res, an, short_text, sizeof short_text - 1, NULL) == CXS_OK,
                  "analyze: warm-up failed");
        c->allocs = 0;
        c->failed = 0;
        c->fail_at = n;
        cxs_error err;
        memset(&err, 0, sizeof err);
        cxs_scores s;
        int label = 7;
        int rc = fast ? cxs_analyzer_score(&s, &label, an, long_text, long_len, &err)
                      : cxs_analyze(res, an, long_text, long_len, &err);
        size_t used = c->allocs;
        int failed = c->failed != 0;
        c->fail_at = 0;
        runs++;
        if (!failed) {
            CHECK(rc == CXS_OK, "analyze: rc=%d without a failure", rc);
            total = used;
        } else {
            CHECK(rc == CXS_ENOMEM && err.code == CXS_ENOMEM,
                  "analyze(%s%s): N=%zu: allocation failed but rc=%d (%s)", warm ? "warm" : "fresh",
                  fast ? ", fast" : "", n, rc, err.message);
            if (fast) {
                CHECK(s.pos == 0 && s.neu == 0 && s.neg == 0 && s.compound == 0 &&
                          label == CXS_LABEL_NEUTRAL, "score: N=%zu: outputs not cleared", n);
            } else {
                const cxs_scores *e = cxs_result_scores(res);
                CHECK(e->compound == 0 && e->pos == 0 && cxs_result_term_count(res) == 0 &&
                          cxs_result_label(res) == CXS_LABEL_NEUTRAL,
                      "analyze: N=%zu: the result is not left empty", n);
            }
        }
        /* the same objects, no failures: the reference answer */
        if (fast) {
            CHECK(cxs_analyzer_score(&s, &label, an, long_text, long_len, NULL) == CXS_OK &&
                      memcmp(&s, ref_scores, sizeof s) == 0,
                  "score: N=%zu: wrong answer after the failure", n);
        } else {
            CHECK(cxs_analyze(res, an, long_text, long_len, NULL) == CXS_OK,
                  "analyze: N=%zu: fails after the failure", n);
            char *j = json_of(res);
            CHECK(j && strcmp(j, ref_json) == 0, "analyze: N=%zu: wrong answer after failure", n);
            free(j);
        }
        cxs_result_free(res);
        cxs_analyzer_free(an);
        CHECK(c->live == live0, "analyze: N=%zu: %zu block(s) leaked", n, c->live - live0);
        if (!failed || n > 10000)
            break;
    }
    printf("%-44s %5zu allocations, %5zu failing runs\n",
           fast ? (warm ? "cxs_analyzer_score (warm analyzer)" : "cxs_analyzer_score (fresh)")
                : (warm ? "cxs_analyze (warm analyzer and result)" : "cxs_analyze (fresh)"),
           total, runs - 1);
}

static void analyzer_tests(int resize)
{
    fuzz_counter c;
    memset(&c, 0, sizeof c);
    cxs_allocator a = fuzz_allocator(&c, resize);
    cxs_model *m = NULL;
    CHECK(cxs_model_load_buffer(&m, full_model, full_len, "full", &a, NULL) == CXS_OK,
          "analyzer model");
    if (!m)
        return;
    size_t live0 = c.live;

    /* constructors */
    for (int which = 0; which < 2; which++) {
        c.allocs = 0;
        c.failed = 0;
        c.fail_at = 1;
        cxs_error err;
        memset(&err, 0, sizeof err);
        cxs_result *r = (cxs_result *)&c; /* must be overwritten with NULL */
        cxs_analyzer *an = (cxs_analyzer *)&c;
        int rc = which ? cxs_result_new(&r, m, &err) : cxs_analyzer_new(&an, m, &err);
        c.fail_at = 0;
        CHECK(rc == CXS_ENOMEM && err.code == CXS_ENOMEM && (which ? (void *)r : (void *)an) == NULL,
              "%s: rc=%d", which ? "cxs_result_new" : "cxs_analyzer_new", rc);
        CHECK(c.live == live0, "constructor leaked");
    }

    cxs_analyzer *an = NULL;
    cxs_result *res = NULL;
    CHECK(cxs_analyzer_new(&an, m, NULL) == CXS_OK && cxs_result_new(&res, m, NULL) == CXS_OK &&
              cxs_analyze(res, an, long_text, long_len, NULL) == CXS_OK, "reference analyze");
    char *ref = res ? json_of(res) : NULL;
    cxs_scores ref_scores = res ? *cxs_result_scores(res) : (cxs_scores){0, 0, 0, 0};
    cxs_result_free(res);
    cxs_analyzer_free(an);
    if (!ref)
        return;
    for (int warm = 0; warm < 2; warm++)
        for (int fast = 0; fast < 2; fast++)
            loop_analyze(m, &c, warm, fast, ref, &ref_scores);
    free(ref);
    cxs_model_free(m);
    CHECK(c.live == 0, "analyzer tests: %zu block(s) leaked", c.live);
}

/* ---- a model file with @include ----------------------------------------------------------- */

static char tmpdir[64];
static char main_path[128], inc_path[128];

static int write_file(const char *path, const char *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    size_t w = fwrite(data, 1, n, fp);
    return fclose(fp) == 0 && w == n ? 0 : -1;
}

static int make_files(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cxsent-allocfail-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    snprintf(main_path, sizeof main_path, "%s/main.model", tmpdir);
    snprintf(inc_path, sizeof inc_path, "%s/part.tsv", tmpdir);
    static const char main_text[] =
        "@section lexicon\ngood\t2\n@include part.tsv\n@section negators\nnot\n";
    return write_file(main_path, main_text, sizeof main_text - 1) ||
                   write_file(inc_path, full_model, full_len)
               ? -1
               : 0;
}

int main(void)
{
    make_full_model();
    make_overrides();
    make_long_text();

    for (int resize = 1; resize >= 0; resize--) {
        loop_load("cxs_model_load_buffer (every section)", load_full_buffer, NULL, resize, 1u << 30,
                  1);
        loop_merge(resize);
        analyzer_tests(resize);
    }
    if (make_files() == 0) {
        loop_load("cxs_model_load (file with @include)", load_file, main_path, 1, 1u << 30, 1);
        unlink(inc_path);
        unlink(main_path);
        rmdir(tmpdir);
    } else {
        CHECK(0, "could not write the model files to /tmp");
    }
    loop_load("cxs_model_load_default (N<=200, then /37)", load_default, NULL, 1, 200, 37);

    free(full_model);
    free(overrides);
    free(long_text);
    if (failures)
        fprintf(stderr, "alloc_fail_test: %d check(s) failed\n", failures);
    else
        printf("alloc_fail_test: all checks passed\n");
    return failures ? 1 : 0;
}
