/*
 * thread_test.c — one model shared by many threads (reliability.threads).
 *
 * The header promises: a model is read-only after load and may be shared by any number of
 * threads; an analyzer and a result belong to one thread; cxs_model_merge() may run
 * concurrently on the same base. This test checks each promise by computing every answer
 * single-threaded first, then having THREADS threads (default 8) recompute them concurrently,
 * each with its own analyzer and result and in its own order, and comparing bytes. Under
 * TSan (CI: -DCXSENT_SANITIZE=thread) any data race in the library fails the run as well.
 *
 * usage: thread_test [THREADS [ROUNDS]]
 */
#define _POSIX_C_SOURCE 200809L
#include <cxsent.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_TEXTS 360

static const char *const fragments[] = {
    "The staff were very friendly",
    "but the room was not clean",
    "Delivery took 45min and the food was cold",
    "SOOOO good!!!",
    "not bad at all",
    "Worst. Service. Ever.",
    "should have been refunded",
    "yeah right, great job \xF0\x9F\x99\x84",
    "\xF0\x9F\x98\x8D\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD",
    "although support was slow, they went above and beyond",
    "#NeverAgain @acme_help",
    "4/5 would recommend",
    "Don\xE2\x80\x99t bother",
    "a bit pricey :(",
    "invalid \xFF\xFE bytes stay harmless",
    "GRO\xC3\x9F" "ARTIG, \xC3\xBC" "bel?",
    "I was hoping for better",
    "fed up with waiting ... never again",
    "http://example.com/x?y=1 is the link",
    "extremely helpful and polite <3",
};
#define N_FRAG (sizeof fragments / sizeof *fragments)

static const char override_text[] =
    "@section lexicon\ngood\t-1.0\ncold\t-2.5\nnew phrase here\t3\n"
    "@section negators\nnot\tnone\n@section boosters\nextremely\t0.5\n"
    "@section contrastives\nalthough\t0.8\t1.1\tlead\n@section sarcasm\ngreat job\n"
    "@section irrealis\nwas hoping\tnone\n@section settings\nalpha\t10\n";

static char *texts[N_TEXTS];
static size_t text_len[N_TEXTS];
static char *ref_json[2][N_TEXTS]; /* [model][text]: default, merged */
static cxs_scores ref_scores[N_TEXTS];
static size_t ref_counts[11];
static double ref_lookup[N_FRAG];
static int ref_lookup_rc[N_FRAG];

static cxs_model *shared_model;   /* the default model, shared by every thread */
static cxs_model *shared_merged;  /* default + overrides, loaded before the threads start */
static int rounds = 3;
static pthread_barrier_t start_line; /* all threads start together, to overlap as much as can be */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

static void make_texts(void)
{
    for (size_t i = 0; i < N_TEXTS; i++) {
        char buf[1024];
        size_t n = 0;
        unsigned parts = 1 + rnd(5);
        for (unsigned p = 0; p < parts; p++) {
            const char *f = fragments[rnd(N_FRAG)];
            static const char *const seps[] = {". ", ", ", " ", "! ", "\n", "; "};
            int w = snprintf(buf + n, sizeof buf - n, "%s%s", f, seps[rnd(6)]);
            if (w < 0 || (size_t)w >= sizeof buf - n)
                break;
            n += (size_t)w;
        }
        texts[i] = malloc(n + 1);
        if (!texts[i])
            exit(1);
        memcpy(texts[i], buf, n + 1);
        text_len[i] = n;
    }
}

/* Analyse a text into a freshly malloc'd JSON string (with the explanation). */
static char *json_of(cxs_result *res, cxs_analyzer *an, size_t i)
{
    if (cxs_analyze(res, an, texts[i], text_len[i], NULL) != CXS_OK)
        return NULL;
    size_t n = cxs_result_to_json(res, CXS_JSON_EXPLAIN, NULL, 0);
    char *s = malloc(n + 1);
    if (s)
        cxs_result_to_json(res, CXS_JSON_EXPLAIN, s, n + 1);
    return s;
}

typedef struct worker {
    int id;
    long checked, mismatches;
    char first_error[256];
} worker;

static void fail(worker *w, const char *what, size_t i)
{
    if (w->mismatches++ == 0)
        snprintf(w->first_error, sizeof w->first_error, "thread %d: %s (text %zu)", w->id, what,
                 i);
}

static void *work(void *arg)
{
    worker *w = arg;
    cxs_analyzer *an = NULL, *an_m = NULL;
    cxs_result *res = NULL, *res_m = NULL;
    cxs_model *own_merge = NULL;
    pthread_barrier_wait(&start_line);
    if (cxs_analyzer_new(&an, shared_model, NULL) || cxs_result_new(&res, shared_model, NULL) ||
        cxs_analyzer_new(&an_m, shared_merged, NULL) ||
        cxs_result_new(&res_m, shared_merged, NULL)) {
        fail(w, "could not create analyzer/result", 0);
        goto out;
    }
    /* merging onto the shared base, concurrently with everyone reading it */
    if (cxs_model_merge_buffer(&own_merge, shared_model, override_text, sizeof override_text - 1,
                               "override", NULL) != CXS_OK) {
        fail(w, "concurrent merge failed", 0);
        goto out;
    }
    for (int r = 0; r < rounds; r++) {
        /* each thread walks the texts in its own order: a different start and stride */
        size_t stride = (size_t)(2 * w->id + 1) % N_TEXTS, at = (size_t)(w->id * 37 + r * 11);
        if (stride % 2 == 0 || N_TEXTS % stride == 0)
            stride = 7;
        for (size_t k = 0; k < N_TEXTS; k++) {
            size_t i = (at + k * stride) % N_TEXTS;
            int use_merged = (k + (size_t)w->id) % 3 == 0;
            char *j = use_merged ? json_of(res_m, an_m, i) : json_of(res, an, i);
            if (!j || strcmp(j, ref_json[use_merged][i]) != 0)
                fail(w, use_merged ? "merged-model JSON differs" : "JSON differs", i);
            free(j);
            if (k % 5 == 0) {
                cxs_scores s;
                int label;
                if (cxs_analyzer_score(&s, &label, an, texts[i], text_len[i], NULL) ||
                    memcmp(&s, &ref_scores[i], sizeof s) != 0)
                    fail(w, "fast-path scores differ", i);
            }
            if (k % 7 == 0) {
                size_t f = i % N_FRAG;
                double v = 0;
                int lr = cxs_model_lookup(&v, shared_model, fragments[f], strlen(fragments[f]));
                if (lr != ref_lookup_rc[f] || (lr == 1 && v != ref_lookup[f]))
                    fail(w, "lookup differs", f);
            }
            w->checked++;
        }
        for (int c = 1; c <= 10; c++)
            if (cxs_model_count(shared_model, (cxs_count)c) != ref_counts[c])
                fail(w, "counts differ", (size_t)c);
        /* the private merged model must equal the shared merged one */
        cxs_analyzer *an_o = NULL;
        cxs_result *res_o = NULL;
        if (cxs_analyzer_new(&an_o, own_merge, NULL) || cxs_result_new(&res_o, own_merge, NULL)) {
            fail(w, "could not create analyzer on own merge", 0);
        } else {
            for (size_t i = (size_t)w->id; i < N_TEXTS; i += 17) {
                char *j = json_of(res_o, an_o, i);
                if (!j || strcmp(j, ref_json[1][i]) != 0)
                    fail(w, "own merged-model JSON differs", i);
                free(j);
            }
        }
        cxs_result_free(res_o);
        cxs_analyzer_free(an_o);
    }
out:
    cxs_result_free(res);
    cxs_result_free(res_m);
    cxs_analyzer_free(an);
    cxs_analyzer_free(an_m);
    cxs_model_free(own_merge);
    return NULL;
}

int main(int argc, char **argv)
{
    int nthreads = argc > 1 ? atoi(argv[1]) : 8;
    if (argc > 2)
        rounds = atoi(argv[2]);
    if (nthreads < 2 || nthreads > 256 || rounds < 1) {
        fprintf(stderr, "usage: thread_test [THREADS(2-256) [ROUNDS]]\n");
        return 2;
    }
    make_texts();
    cxs_error err;
    if (cxs_model_load_default(&shared_model, NULL, &err) ||
        cxs_model_merge_buffer(&shared_merged, shared_model, override_text,
                               sizeof override_text - 1, "override", &err)) {
        fprintf(stderr, "thread_test: model: %s\n", err.message);
        return 1;
    }

    /* single-threaded references */
    cxs_analyzer *an[2] = {NULL, NULL};
    cxs_result *res[2] = {NULL, NULL};
    cxs_model *models[2] = {shared_model, shared_merged};
    for (int m = 0; m < 2; m++)
        if (cxs_analyzer_new(&an[m], models[m], NULL) || cxs_result_new(&res[m], models[m], NULL))
            return 1;
    size_t differ = 0;
    for (size_t i = 0; i < N_TEXTS; i++) {
        for (int m = 0; m < 2; m++)
            if (!(ref_json[m][i] = json_of(res[m], an[m], i))) {
                fprintf(stderr, "thread_test: reference analysis failed for text %zu\n", i);
                return 1;
            }
        ref_scores[i] = *cxs_result_scores(res[0]); /* res[0] still holds text i */
        differ += strcmp(ref_json[0][i], ref_json[1][i]) != 0;
    }
    /* the override must actually change answers, or the merged half tests nothing */
    if (differ < N_TEXTS / 10) {
        fprintf(stderr, "thread_test: the override changed only %zu of %d texts\n", differ,
                N_TEXTS);
        return 1;
    }
    for (int c = 1; c <= 10; c++)
        ref_counts[c] = cxs_model_count(shared_model, (cxs_count)c);
    for (size_t f = 0; f < N_FRAG; f++)
        ref_lookup_rc[f] = cxs_model_lookup(&ref_lookup[f], shared_model, fragments[f],
                                            strlen(fragments[f]));

    pthread_t *tid = calloc((size_t)nthreads, sizeof *tid);
    worker *w = calloc((size_t)nthreads, sizeof *w);
    if (!tid || !w || pthread_barrier_init(&start_line, NULL, (unsigned)nthreads) != 0)
        return 1;
    for (int t = 0; t < nthreads; t++) {
        w[t].id = t;
        if (pthread_create(&tid[t], NULL, work, &w[t]) != 0) {
            fprintf(stderr, "thread_test: pthread_create failed\n");
            return 1;
        }
    }
    long checked = 0, bad = 0;
    for (int t = 0; t < nthreads; t++) {
        pthread_join(tid[t], NULL);
        checked += w[t].checked;
        bad += w[t].mismatches;
        if (w[t].mismatches)
            fprintf(stderr, "thread_test: %s; %ld mismatch(es)\n", w[t].first_error,
                    w[t].mismatches);
    }
    if (checked != (long)nthreads * rounds * N_TEXTS) {
        fprintf(stderr, "thread_test: only %ld of %ld analyses ran\n", checked,
                (long)nthreads * rounds * N_TEXTS);
        bad++;
    }
    printf("thread_test: %d threads x %d rounds, %ld analyses, %ld mismatches (%zu of %d texts "
           "differ under the override)\n", nthreads, rounds, checked, bad, differ, N_TEXTS);

    for (int m = 0; m < 2; m++) {
        cxs_result_free(res[m]);
        cxs_analyzer_free(an[m]);
        for (size_t i = 0; i < N_TEXTS; i++)
            free(ref_json[m][i]);
    }
    for (size_t i = 0; i < N_TEXTS; i++)
        free(texts[i]);
    pthread_barrier_destroy(&start_line);
    free(tid);
    free(w);
    cxs_model_free(shared_merged);
    cxs_model_free(shared_model);
    return bad ? 1 : 0;
}
