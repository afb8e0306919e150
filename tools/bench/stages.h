/*
 * stages.h — single library stages timed by cxsent-bench (see stages.c).
 */
#ifndef CXSENT_BENCH_STAGES_H
#define CXSENT_BENCH_STAGES_H

#include <cxsent.h>

#include <stddef.h>

typedef struct bench_tokenizer bench_tokenizer;

/* A tokenizer with the model's lexicon lookups; NULL when out of memory. */
bench_tokenizer *bench_tokenizer_new(const cxs_model *model);

/* Tokenize one text; returns the token and pick-list counts (a checksum) or 0 on error. */
double bench_tokenize(bench_tokenizer *b, const char *text, size_t len);

void bench_tokenizer_free(bench_tokenizer *b);

#endif
