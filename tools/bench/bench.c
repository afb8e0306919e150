/*
 * cxsent-bench — sentiment scoring throughput, with baselines measured in the same run.
 *
 * The corpus is synthesised fresh for every text, so the branch predictor cannot memorise it (a
 * few hundred texts replicated many times inflate byte-loop throughput 2-3x): by default each
 * text is the words of a random review from an export (--corpus, JSONL with a "text" field;
 * the bundled sample by default) shuffled and cut to ~120 bytes, which keeps the real mix of
 * function words and sentiment words. --synthetic draws instead from a small built-in
 * vocabulary that is far denser in sentiment words and rules than real text (a stress case).
 *
 * Baselines over the same bytes: memchr over lines (the I/O floor), a naive byte loop that
 * lowercases and hashes words (what any tokenizer must at least do), and the library's own
 * tokenizer alone (with the lexicon lookups it makes as it goes: the share of scoring that is
 * tokenization). Ratios to them hold on a noisy machine where absolute numbers drift.
 *
 * A diagnostic line scores the first 200 texts over and over: the predictor learns them, so
 * its ratio to fresh text shows how much of scoring's time goes to mispredicted branches.
 */
#define _POSIX_C_SOURCE 200809L
#include "stages.h"

#include <cxsent.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef CXSENT_BENCH_CORPUS
#define CXSENT_BENCH_CORPUS "data/samples/reviews.jsonl"
#endif

static const char *const vocab[] = {
    /* function words, heavy weight by repetition */
    "the", "the", "the", "a", "a", "and", "and", "to", "to", "i", "i", "was", "was", "it", "it",
    "of", "for", "my", "with", "they", "we", "is", "on", "at", "this", "that", "in", "in", "you",
    "had", "have", "be", "were", "are", "their", "after", "again", "just", "me", "our", "from",
    "when", "then", "there", "an", "by", "so", "all", "about", "what", "would", "here", "one",
    /* customer-experience nouns */
    "order", "delivery", "staff", "service", "price", "support", "refund", "app", "phone",
    "package", "driver", "room", "food", "coffee", "table", "flight", "crew", "bill", "account",
    "store", "manager", "agent", "chat", "email", "website", "checkout", "plan", "parcel",
    "minutes", "hours", "days", "weeks", "experience", "team", "product", "quality", "line",
    /* sentiment words */
    "great", "good", "excellent", "friendly", "helpful", "amazing", "love", "loved", "fast",
    "quick", "easy", "clean", "perfect", "recommend", "happy", "nice", "best", "smooth",
    "bad", "terrible", "slow", "rude", "awful", "late", "broken", "dirty", "worst", "useless",
    "disappointed", "overcharged", "cancelled", "delayed", "waiting", "confusing", "cold",
    "expensive", "horrible", "annoying", "frustrating", "poor", "hate", "wrong", "lost",
    /* rules */
    "not", "never", "no", "don't", "didn't", "wasn't", "very", "really", "so", "extremely",
    "slightly", "but", "however", "although", "could", "should", "have", "been", "still",
    /* texture */
    "SO", "GREAT", "soooo", "#fail", "@support", "5", "45", "3", ":)", ":(", "😡", "👍", "❤️",
    "🙄", "don’t", "wi-fi", "https://example.com/x"};
#define NV (sizeof vocab / sizeof *vocab)

static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

typedef struct corpus {
    char *data;     /* texts separated by '\n' */
    size_t len;
    size_t *off;    /* start of each text */
    size_t *tlen;
    size_t n;
} corpus;

static int make_corpus(corpus *c, size_t n, uint64_t seed)
{
    c->data = malloc(n * 200);
    c->off = malloc(n * sizeof *c->off);
    c->tlen = malloc(n * sizeof *c->tlen);
    if (!c->data || !c->off || !c->tlen)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        c->off[i] = o;
        size_t start = o;
        int words = 0;
        while (o - start < 110) {
            const char *w = vocab[rng_next(&seed) % NV];
            size_t wl = strlen(w);
            if (words && o - start + wl + 1 > 135)
                break;
            if (words)
                c->data[o++] = ' ';
            memcpy(c->data + o, w, wl);
            o += wl;
            words++;
            uint64_t r = rng_next(&seed) % 24;
            if (r == 0)
                c->data[o++] = ',';
            else if (r == 1)
                c->data[o++] = '.';
            else if (r == 2)
                c->data[o++] = '!';
        }
        c->data[start] = (char)(c->data[start] >= 'a' && c->data[start] <= 'z'
                                    ? c->data[start] - 32 : c->data[start]);
        c->data[o++] = '.';
        c->tlen[i] = o - start;
        c->data[o++] = '\n';
    }
    c->len = o;
    c->n = n;
    return 0;
}

/* Texts of a JSONL export ("text" string fields; common escapes decoded). */
typedef struct lines {
    char **v;
    size_t n;
} lines;

static int load_texts(lines *L, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char buf[65536];
    size_t cap = 0;
    L->v = NULL;
    L->n = 0;
    while (fgets(buf, sizeof buf, f)) {
        char *p = strstr(buf, "\"text\":");
        if (!p)
            continue;
        p = strchr(p + 7, '"');
        if (!p)
            continue;
        p++;
        char *o = malloc(strlen(p) + 1), *w = o;
        if (!o)
            break;
        while (*p && *p != '"') {
            if (*p == '\\' && p[1]) {
                p++;
                *w++ = *p == 'n' ? ' ' : *p == 't' ? ' ' : *p;
                p++;
            } else {
                *w++ = *p++;
            }
        }
        *w = '\0';
        if (L->n == cap) {
            cap = cap ? cap * 2 : 256;
            char **nv = realloc(L->v, cap * sizeof *nv);
            if (!nv)
                break;
            L->v = nv;
        }
        L->v[L->n++] = o;
    }
    fclose(f);
    return L->n ? 0 : -1;
}

/* Each text: the words of a random source text, shuffled, cut to ~120 bytes. */
static int make_corpus_shuffled(corpus *c, size_t n, uint64_t seed, const lines *L)
{
    c->data = malloc(n * 200);
    c->off = malloc(n * sizeof *c->off);
    c->tlen = malloc(n * sizeof *c->tlen);
    const char **words = malloc(512 * sizeof *words);
    size_t *wl = malloc(512 * sizeof *wl);
    if (!c->data || !c->off || !c->tlen || !words || !wl)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        c->off[i] = o;
        size_t start = o;
        /* words of random source texts, each shuffled, until the text reaches ~120 bytes */
        while (o - start < 110) {
            const char *src = L->v[rng_next(&seed) % L->n];
            size_t nw = 0;
            for (const char *p = src; *p && nw < 512;) {
                while (*p == ' ')
                    p++;
                if (!*p)
                    break;
                const char *q = p;
                while (*q && *q != ' ')
                    q++;
                words[nw] = p;
                wl[nw++] = (size_t)(q - p);
                p = q;
            }
            for (size_t k = nw; k > 1; k--) {
                size_t r = rng_next(&seed) % k;
                const char *tw = words[k - 1];
                size_t tl = wl[k - 1];
                words[k - 1] = words[r];
                wl[k - 1] = wl[r];
                words[r] = tw;
                wl[r] = tl;
            }
            size_t before = o;
            for (size_t k = 0; k < nw; k++) {
                if (wl[k] > 40)
                    continue;
                if (o - start + wl[k] + 1 > 130)
                    break;
                if (o > start)
                    c->data[o++] = ' ';
                memcpy(c->data + o, words[k], wl[k]);
                o += wl[k];
            }
            if (o == before)
                break;
        }
        c->tlen[i] = o - start;
        c->data[o++] = '\n';
    }
    c->len = o;
    c->n = n;
    free(words);
    free(wl);
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Run fn over the corpus until at least `seconds` passed; returns passes per second. */
typedef double (*pass_fn)(void *ctx, const corpus *c);

static double timed(pass_fn fn, void *ctx, const corpus *c, double seconds, double *sink)
{
    double t0 = now(), t;
    unsigned long passes = 0;
    do {
        *sink += fn(ctx, c);
        passes++;
        t = now();
    } while (t - t0 < seconds);
    return (double)passes / (t - t0);
}

static double pass_memchr(void *ctx, const corpus *c)
{
    (void)ctx;
    const char *p = c->data, *end = c->data + c->len;
    double count = 0;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        count++;
        p++;
    }
    return count;
}

/* Naive word loop: lowercase + FNV-1a per word, the least a tokenizer does. */
static double pass_words(void *ctx, const corpus *c)
{
    (void)ctx;
    uint64_t acc = 0;
    for (size_t i = 0; i < c->n; i++) {
        const unsigned char *s = (const unsigned char *)c->data + c->off[i];
        size_t n = c->tlen[i];
        uint64_t h = 1469598103934665603ull;
        int in = 0;
        for (size_t j = 0; j < n; j++) {
            unsigned ch = s[j];
            int alnum = (ch | 0x20) - 'a' < 26u || ch - '0' < 10u || ch >= 0x80;
            if (alnum) {
                h = (h ^ (ch | 0x20)) * 1099511628211ull;
                in = 1;
            } else if (in) {
                acc += h;
                h = 1469598103934665603ull;
                in = 0;
            }
        }
        acc += h;
    }
    return (double)(acc & 0xFFFF);
}

typedef struct score_ctx {
    const cxs_model *model;
    cxs_analyzer *an;
    double seconds, rate, sink;
    const corpus *c;
} score_ctx;

static double pass_score(void *ctx, const corpus *c)
{
    score_ctx *s = ctx;
    double acc = 0;
    cxs_scores sc;
    for (size_t i = 0; i < c->n; i++) {
        if (cxs_analyzer_score(&sc, NULL, s->an, c->data + c->off[i], c->tlen[i], NULL) == 0)
            acc += sc.compound;
    }
    return acc;
}

static double pass_tokenize(void *ctx, const corpus *c)
{
    bench_tokenizer *b = ctx;
    double acc = 0;
    for (size_t i = 0; i < c->n; i++)
        acc += bench_tokenize(b, c->data + c->off[i], c->tlen[i]);
    return acc;
}

static void *thread_main(void *arg)
{
    score_ctx *s = arg;
    s->rate = timed(pass_score, s, s->c, s->seconds, &s->sink);
    return NULL;
}

static void line(const char *name, double passes_per_s, const corpus *c, double ref)
{
    double mb = passes_per_s * (double)c->len / 1e6;
    double texts = passes_per_s * (double)c->n;
    printf("%-34s %12.0f texts/s %9.1f MB/s", name, texts, mb);
    if (ref > 0)
        printf("   scoring/baseline %.3f", ref / passes_per_s);
    printf("\n");
}

int main(int argc, char **argv)
{
    size_t n = 100000;
    int threads = 2;
    double seconds = 2.0;
    uint64_t seed = 0x5eed1234abcdull;
    const char *corpus_path = CXSENT_BENCH_CORPUS;
    int synthetic = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--texts") && i + 1 < argc)
            n = (size_t)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--corpus") && i + 1 < argc)
            corpus_path = argv[++i];
        else if (!strcmp(argv[i], "--synthetic"))
            synthetic = 1;
        else {
            fprintf(stderr, "usage: cxsent-bench [--texts N] [--threads N] [--seconds S] "
                            "[--seed N] [--corpus EXPORT.jsonl | --synthetic]\n");
            return 2;
        }
    }
    if (n < 100 || threads < 1 || threads > 64 || seconds <= 0) {
        fprintf(stderr, "cxsent-bench: need --texts >= 100, 1 <= --threads <= 64\n");
        return 2;
    }
    corpus c;
    lines L = {NULL, 0};
    if (!synthetic && load_texts(&L, corpus_path)) {
        fprintf(stderr, "cxsent-bench: cannot read texts from %s; using --synthetic\n",
                corpus_path);
        synthetic = 1;
    }
    if (synthetic ? make_corpus(&c, n, seed | 1) : make_corpus_shuffled(&c, n, seed | 1, &L)) {
        fprintf(stderr, "cxsent-bench: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < L.n; i++)
        free(L.v[i]);
    free(L.v);
    cxs_model *model;
    cxs_error err;
    if (cxs_model_load_default(&model, NULL, &err)) {
        fprintf(stderr, "cxsent-bench: %s\n", err.message);
        return 1;
    }
    printf("corpus: %zu texts (%s), %.1f MB, mean %.0f bytes/text; libcxsent %s\n", c.n,
           synthetic ? "synthetic vocabulary" : "shuffled words of an export",
           (double)c.len / 1e6, (double)c.len / (double)c.n, cxs_version_string());
    double sink = 0;
    score_ctx one = {model, NULL, seconds, 0, 0, &c};
    cxs_analyzer_new(&one.an, model, NULL);
    double r_score = timed(pass_score, &one, &c, seconds, &sink);
    double r_mem = timed(pass_memchr, NULL, &c, seconds / 2, &sink);
    double r_words = timed(pass_words, NULL, &c, seconds / 2, &sink);
    bench_tokenizer *tok = bench_tokenizer_new(model);
    if (!tok) {
        fprintf(stderr, "cxsent-bench: out of memory\n");
        return 1;
    }
    double r_tok = timed(pass_tokenize, tok, &c, seconds / 2, &sink);
    bench_tokenizer_free(tok);
    line("baseline: memchr over lines", r_mem, &c, r_score);
    line("baseline: lowercase+hash word loop", r_words, &c, r_score);
    line("baseline: tokenize only (libcxsent)", r_tok, &c, r_score);
    line("sentiment scoring, 1 thread", r_score, &c, 0);
    /* A diagnostic, not a figure: the first 200 texts scored over and over, which the branch
     * predictor learns by heart. Their ratio to fresh text is the share of scoring time that
     * is not spent on mispredicted branches (the reason the corpus is fresh). */
    corpus warm = c;
    warm.n = c.n < 200 ? c.n : 200;
    warm.len = warm.n < c.n ? c.off[warm.n] : c.len;
    double r_warm = timed(pass_score, &one, &warm, seconds / 2, &sink);
    char warm_name[64];
    snprintf(warm_name, sizeof warm_name, "diagnostic: %zu texts repeated", warm.n);
    printf("%-34s %12.0f texts/s %9.1f MB/s   fresh/repeated %.3f\n", warm_name,
           r_warm * (double)warm.n, r_warm * (double)warm.len / 1e6,
           r_score * (double)c.len / (r_warm * (double)warm.len));

    score_ctx *ctx = calloc((size_t)threads, sizeof *ctx);
    pthread_t *tid = calloc((size_t)threads, sizeof *tid);
    if (!ctx || !tid)
        return 1;
    for (int t = 0; t < threads; t++) {
        ctx[t] = (score_ctx){model, NULL, seconds, 0, 0, &c};
        cxs_analyzer_new(&ctx[t].an, model, NULL);
        pthread_create(&tid[t], NULL, thread_main, &ctx[t]);
    }
    double total = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(tid[t], NULL);
        total += ctx[t].rate;
        sink += ctx[t].sink;
        cxs_analyzer_free(ctx[t].an);
    }
    char name[64];
    snprintf(name, sizeof name, "sentiment scoring, %d threads", threads);
    line(name, total, &c, 0);
    printf("scaling %d threads / 1 thread: %.2fx\n", threads, total / r_score);
    printf("(checksum %.3f)\n", sink);
    free(ctx);
    free(tid);
    cxs_analyzer_free(one.an);
    cxs_model_free(model);
    free(c.data);
    free(c.off);
    free(c.tlen);
    return 0;
}
