/*
 * fuzz_model_load.c — the model file parser: lexicon, rules, settings and overrides.
 *
 * The first byte selects the path: even loads the rest with cxs_model_load_buffer(), odd
 * merges it onto a small base with cxs_model_merge_buffer(). Both run with a checking
 * allocator, so a leak or a release with the wrong size aborts even without sanitizers.
 *
 * Checks: a buffer loads (CXS_OK) or fails with CXS_EPARSE naming a line that exists; a
 * failure leaves *out NULL; loading twice gives the same model; the counts add up; merging
 * never changes the base; a loaded model scores texts into valid JSON.
 */
#include "fuzz_alloc.h"
#include "fuzz_util.h"

#include <math.h>
#include <string.h>

static const char base_text[] =
    "@section settings\nalpha\t15\n"
    "@section negators\nnot\nnever\n"
    "@section boosters\nvery\t0.3\nslightly\t-0.3\n"
    "@section contrastives\nbut\t0.5\t1.5\nalthough\t0.5\t1.3\tlead\n"
    "@section irrealis\nshould have\t-0.6\n"
    "@section sarcasm\nyeah right\n/s\n"
    "@section lexicon\ngood\t2.0\nbad\t-2.0\ngreat\t3.0\nslow\t-1.0\n:)\t1.5\n"
    "\xF0\x9F\x98\xA1\t-2.5\nabove and beyond\t4.0\nfed up\t-2.5\n";

static const char *const probe_texts[] = {
    "The staff were very friendly but the room was not clean.",
    "Should have been great :) yeah right /s \xF0\x9F\x98\xA1 soooo slow!!!",
    "Although delivery was slow, support went above and beyond. 4/5",
    "#NeverAgain @shop http://x.example FED UP, not bad at all?? \xE2\x80\xA6",
};

static fuzz_counter base_counter; /* the base's allocator, inherited by merged models */

static cxs_model *base_model(void)
{
    static cxs_model *base;
    static cxs_allocator alloc;
    if (!base) {
        alloc = fuzz_allocator(&base_counter, 1);
        FUZZ_CHECK(cxs_model_load_buffer(&base, base_text, sizeof base_text - 1, "base", &alloc,
                                         NULL) == CXS_OK);
    }
    return base;
}

static size_t count_lines(const char *s, size_t n)
{
    size_t lines = 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n')
            lines++;
    return lines;
}

static void counts(const cxs_model *m, size_t out[11])
{
    for (int k = 0; k <= 10; k++)
        out[k] = cxs_model_count(m, (cxs_count)k);
    FUZZ_CHECK(out[0] == 0);
    FUZZ_CHECK(out[CXS_COUNT_LEXICON] == out[CXS_COUNT_WORDS] + out[CXS_COUNT_PHRASES] +
                                             out[CXS_COUNT_EMOJI] + out[CXS_COUNT_EMOTICONS]);
}

/* Score the probe texts; returns a hash of their JSON so two models can be compared. */
static uint64_t probe(const cxs_model *m)
{
    cxs_analyzer *an = NULL;
    cxs_result *res = NULL;
    FUZZ_CHECK(cxs_analyzer_new(&an, m, NULL) == CXS_OK);
    FUZZ_CHECK(cxs_result_new(&res, m, NULL) == CXS_OK);
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < sizeof probe_texts / sizeof *probe_texts; i++) {
        char json[4096];
        FUZZ_CHECK(cxs_analyze(res, an, probe_texts[i], strlen(probe_texts[i]), NULL) ==
                   CXS_OK);
        const cxs_scores *s = cxs_result_scores(res);
        FUZZ_CHECK(isfinite(s->compound) && s->compound >= -1 && s->compound <= 1);
        size_t n = cxs_result_to_json(res, CXS_JSON_EXPLAIN, json, sizeof json);
        FUZZ_CHECK(n < sizeof json);
        FUZZ_CHECK(fuzz_json_is_object(json, n));
        for (size_t k = 0; k < n; k++)
            h = (h ^ (unsigned char)json[k]) * 1099511628211ull;
    }
    cxs_result_free(res);
    cxs_analyzer_free(an);
    return h;
}

static void check_failure(int rc, const cxs_model *m, const cxs_error *err, const char *data,
                          size_t n)
{
    FUZZ_CHECK(m == NULL);
    FUZZ_CHECK(rc == CXS_EPARSE);
    FUZZ_CHECK(err->code == rc);
    FUZZ_CHECK(err->line >= 1 && err->line <= count_lines(data, n));
    FUZZ_CHECK(err->column >= 1);
    FUZZ_CHECK(memchr(err->source, '\0', sizeof err->source) != NULL);
    FUZZ_CHECK(memchr(err->message, '\0', sizeof err->message) != NULL);
    FUZZ_CHECK(err->message[0] != '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > FUZZ_MAX_INPUT)
        return 0;
    int merge = data[0] & 1;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    fuzz_counter c;
    memset(&c, 0, sizeof c);
    cxs_allocator alloc = fuzz_allocator(&c, (data[0] & 2) != 0);
    cxs_model *m1 = NULL, *m2 = NULL;
    cxs_error e1, e2;
    memset(&e1, 0, sizeof e1);
    memset(&e2, 0, sizeof e2);
    int rc1, rc2;
    size_t c1[11], c2[11];
    size_t base_live = 0;

    if (!merge) {
        rc1 = cxs_model_load_buffer(&m1, text, len, "fuzz", &alloc, &e1);
        rc2 = cxs_model_load_buffer(&m2, text, len, "fuzz", &alloc, &e2);
    } else {
        cxs_model *base = base_model();
        base_live = base_counter.live;
        size_t before[11];
        counts(base, before);
        uint64_t hb = probe(base);
        rc1 = cxs_model_merge_buffer(&m1, base, text, len, "fuzz", &e1);
        rc2 = cxs_model_merge_buffer(&m2, base, text, len, "fuzz", &e2);
        size_t after[11];
        counts(base, after);
        FUZZ_CHECK(memcmp(before, after, sizeof before) == 0);
        FUZZ_CHECK(probe(base) == hb);
    }
    FUZZ_CHECK(rc1 == rc2);
    if (rc1 != CXS_OK) {
        check_failure(rc1, m1, &e1, text, len);
        check_failure(rc2, m2, &e2, text, len);
        FUZZ_CHECK(e1.line == e2.line && e1.column == e2.column);
        FUZZ_CHECK(strcmp(e1.message, e2.message) == 0);
    } else {
        FUZZ_CHECK(m1 && m2);
        counts(m1, c1);
        counts(m2, c2);
        FUZZ_CHECK(memcmp(c1, c2, sizeof c1) == 0);
        FUZZ_CHECK(probe(m1) == probe(m2));
        /* a lookup through the model's own normalisation never fails */
        double v;
        int lk = cxs_model_lookup(&v, m1, text, len < 200 ? len : 200);
        FUZZ_CHECK(lk == 0 || lk == 1);
    }
    cxs_model_free(m1);
    cxs_model_free(m2);
    FUZZ_CHECK(c.live == 0);
    if (merge)
        FUZZ_CHECK(base_counter.live == base_live); /* merged models use the base's allocator */
    return 0;
}
