/*
 * stages.c — the library's first stage on its own, for cxsent-bench's tokenize-only baseline:
 * what tokenizing the same texts (with the lookups the tokenizer does as it goes) costs,
 * without matching and scoring. It needs the library's internal headers, so cxsent-bench
 * links the library's objects rather than the shared library.
 */
#include "stages.h"

#include "model.h"
#include "token.h"

#include <stdlib.h>

struct bench_tokenizer {
    const cxs_model *model;
    cxs__tokens toks;
};

bench_tokenizer *bench_tokenizer_new(const cxs_model *model)
{
    bench_tokenizer *b = calloc(1, sizeof *b);
    if (b)
        b->model = model;
    return b;
}

double bench_tokenize(bench_tokenizer *b, const char *text, size_t len)
{
    const cxs_model *m = b->model;
    if (cxs__tokenize(&b->toks, &m->alloc, &m->emo, m, text, len, 0, NULL))
        return 0;
    return (double)(b->toks.n + b->toks.n_pick);
}

void bench_tokenizer_free(bench_tokenizer *b)
{
    if (!b)
        return;
    cxs__tokens_free(&b->toks, &b->model->alloc);
    free(b);
}
