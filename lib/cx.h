/*
 * cx.h — the customer-experience facts of an analysed text: the themes it talks about (with
 * their net polarity and level), the writer's intents, and the waits it states (with their
 * channel and whether they breach the channel's standard). Made from the analyzer's tokens and
 * scored units, after sentiment scoring, for cxs_analyze(); cxs_analyzer_score() never pays
 * for them.
 */
#ifndef CXS_CX_H
#define CXS_CX_H

#include "analyzer.h"

typedef struct cxs__span {
    uint32_t start, end;
} cxs__span;

/* A theme of the text; its mentions are spans[first .. first + n). */
typedef struct cxs__theme_fact {
    uint32_t theme; /* index in the model's theme names */
    uint32_t first, n;
    double score;
    int polarity; /* cxs_label */
    int level;    /* cxs_level */
} cxs__theme_fact;

/* A term that names a theme, a channel, an intent or a level, where the text has it. */
typedef struct cxs__mention {
    const cxs__entry *e;
    uint32_t start, end; /* byte span */
    uint32_t tok;        /* first token */
    uint32_t clause;
    uint32_t sentence;
    int negated;         /* a negator stands right before it in its clause */
    uint32_t order;      /* 0 for a term; 1 + its index for a pattern (ties at a token) */
} cxs__mention;

typedef struct cxs__facts {
    cxs__theme_fact *themes;
    size_t n_themes, cap_themes;
    cxs__span *spans;
    size_t n_spans, cap_spans;
    unsigned intents; /* cxs_intent bits */
    cxs_wait *waits;
    size_t n_waits, cap_waits;
    /* scratch, reused from text to text */
    pcre2_match_data *md; /* for the model's patterns, made at the first text that needs it */
    cxs__mention *mentions;
    size_t n_mentions, cap_mentions;
    uint32_t *tok_clause; /* clause of each token */
    size_t cap_tok;
    double *clause_score;
    uint32_t *clause_sentence;
    size_t cap_clause, cap_clause_sentence;
    double *sentence_score;
    size_t cap_sentence;
    uint8_t *clause_flags; /* CXS__CF_* bits of each clause */
    size_t cap_clause_flags;
    uint32_t *ch;          /* the mentions that name a channel, in text order */
    size_t n_ch, cap_ch, ch_pos;
    int text_channel;      /* cxs_channel + 1 when the text names one channel only, else 0 */
} cxs__facts;

/* The facts of the text `an` analysed last (cxs__analyze_text succeeded). CXS_OK or
 * CXS_ENOMEM (f then holds no facts). */
int cxs__facts_make(cxs__facts *f, const cxs_analyzer *an, const cxs__alloc *a);

/* No facts (for a result that failed or was cleared). */
void cxs__facts_clear(cxs__facts *f);

void cxs__facts_free(cxs__facts *f, const cxs__alloc *a);

#endif
