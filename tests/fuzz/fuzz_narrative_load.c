/*
 * fuzz_narrative_load.c — the narrative state parser (cxs_narrative_load), the input a
 * distributed job receives from its workers.
 *
 * Checks: a state loads (CXS_OK) or fails with CXS_EPARSE naming a line that exists (or
 * CXS_EINVAL for another model's themes), leaving *out NULL; a loaded state saves to bytes
 * that load again and save the same (a fixed point after one round); its JSON is one valid
 * JSON object; merging it into itself loaded twice works; nothing leaks (checking allocator).
 */
#include "fuzz_alloc.h"
#include "fuzz_util.h"

#include <string.h>

static fuzz_counter counter;

/* A model of its own, not the default: a state names its model's themes in order, and the
 * corpus must not go stale each time the default model's theme data changes. */
static const char model_text[] =
    "@section lexicon\ngood\t2.0\ngreat\t3.0\nbad\t-2.0\nrude\t-2.5\nslow\t-1.5\n"
    "@section negators\nnot\n"
    "@section themes\ncoffee\tquality\nstaff\tservice\nprice\tprice\n";

static cxs_model *model(void)
{
    static cxs_model *m;
    static cxs_allocator alloc;
    if (!m) {
        alloc = fuzz_allocator(&counter, 1);
        FUZZ_CHECK(cxs_model_load_buffer(&m, model_text, sizeof model_text - 1, "fuzz", &alloc,
                                         NULL) == CXS_OK);
    }
    return m;
}

static char *save(const cxs_narrative *n, size_t *len)
{
    *len = cxs_narrative_save(n, NULL, 0);
    char *b = malloc(*len + 1);
    FUZZ_CHECK(b != NULL);
    FUZZ_CHECK(cxs_narrative_save(n, b, *len + 1) == *len);
    return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    const cxs_model *m = model();
    size_t live = counter.live, lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    cxs_narrative *n = (cxs_narrative *)1;
    cxs_error err;
    memset(&err, 0, sizeof err);
    int rc = cxs_narrative_load(&n, m, (const char *)data, size, &err);
    if (rc != CXS_OK) {
        FUZZ_CHECK(rc == CXS_EPARSE || rc == CXS_EINVAL);
        FUZZ_CHECK(n == NULL);
        FUZZ_CHECK(err.code == rc && err.line >= 1 && err.line <= lines);
        FUZZ_CHECK(memchr(err.message, '\0', sizeof err.message) && err.message[0]);
        FUZZ_CHECK(counter.live == live);
        return 0;
    }
    size_t l1, l2;
    char *s1 = save(n, &l1);
    cxs_narrative *n2 = NULL;
    FUZZ_CHECK(cxs_narrative_load(&n2, m, s1, l1, NULL) == CXS_OK);
    char *s2 = save(n2, &l2);
    FUZZ_CHECK(l1 == l2 && memcmp(s1, s2, l1) == 0);
    FUZZ_CHECK(cxs_narrative_merge(n2, n, NULL) == CXS_OK);
    size_t jl = cxs_narrative_to_json(n2, 0, NULL, 0);
    char *j = malloc(jl + 1);
    FUZZ_CHECK(j != NULL);
    FUZZ_CHECK(cxs_narrative_to_json(n2, 0, j, jl + 1) == jl);
    FUZZ_CHECK(fuzz_json_is_object(j, jl) && fuzz_utf8_valid(j, jl));
    for (size_t g = 0; g < cxs_narrative_group_count(n2); g++) {
        cxs_net_stats s;
        FUZZ_CHECK(cxs_narrative_group(&s, n2, g) == CXS_OK);
        FUZZ_CHECK(s.net_low <= s.net_high && s.net >= -1 && s.net <= 1);
        for (int c = 0; c < 7; c++) {
            cxs_wait_stats w;
            FUZZ_CHECK(cxs_narrative_wait(&w, n2, g, c) == CXS_OK);
            FUZZ_CHECK(w.median <= w.p90 || w.count == 0);
        }
    }
    free(j);
    free(s1);
    free(s2);
    cxs_narrative_free(n);
    cxs_narrative_free(n2);
    FUZZ_CHECK(counter.live == live);
    return 0;
}
