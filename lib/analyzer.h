/*
 * analyzer.h — the per-thread analyzer: tokens, matched units and their scores. Shared by
 * analyzer.c (matching), score.c (rules) and result.c (copying out an explanation).
 */
#ifndef CXS_ANALYZER_H
#define CXS_ANALYZER_H

#include "model.h"
#include "token.h"

/*
 * A unit is a token or phrase that plays a part in scoring (an entry with a role, a rating, a
 * boundary, the word "or"). Neutral words are not units: they are only counted, and each unit
 * records its word index, so scopes ("three words after a negator") are index differences.
 */
typedef struct cxs__unit {
    uint32_t start, end;      /* byte span */
    uint32_t tok;             /* first token */
    uint32_t widx;            /* words before this unit */
    uint16_t ntok;            /* tokens covered */
    uint8_t kind;             /* token kind of the first token */
    uint8_t tflags;           /* token flags (CXS__TF_*) of the first token */
    uint32_t roles;           /* e->roles, or 0: tested by every rule, without a branch on e */
    const cxs__entry *e;      /* lexicon entry, or NULL */
    float valence;            /* lexicon valence (0 if none) */
    float score;              /* after the rules */
    uint32_t rules;           /* cxs_rule bits */
    uint32_t sentence;
    float pnum, pden;         /* punctuation counts for sentence ends */
    float amount;             /* seconds, for a duration */
} cxs__unit;

/* A sentence-end unit and how many scoring units (an->scored) come before it. */
typedef struct cxs__end {
    uint32_t unit;
    uint32_t scored;
} cxs__end;

/* Unit kind beyond the token kinds: a number and its time unit ("45 minutes"). */
#define CXS__UK_DURATION 15

struct cxs_analyzer {
    const cxs_model *model;
    cxs__alloc alloc;
    double pos_thr, neg_thr, max_text;
    int strict;
    cxs__tokens toks;
    cxs__unit *units;
    size_t n_units, cap_units;
    double *sent_score;               /* per-sentence raw score */
    size_t cap_sent, n_sent;
    cxs_scores scores;
    int label;
    unsigned seen;  /* roles of all matched entries, to skip rules that cannot fire */
    size_t n_words; /* words, emoji, emoticons, numbers in the text */
    size_t n_full_sent; /* sentences with at least one word */
    size_t n_sentiment; /* units with a valence */
    cxs__end *ends;     /* the sentence-end units, in order (matching fills it), and at
                           [n_ends] a sentinel: unit n_units, n_scored */
    size_t n_ends, cap_ends;
    /* Indexes, in order, of the units that may score: those with a valence and durations.
     * No rule makes a zero score nonzero (they only multiply scores by finite factors, and
     * negation's are negative: a zero stays zero), so
     * the other units (but sentence ends, for emphasis) keep a score of +0 throughout and the
     * passes that add or weigh scores need only visit these. */
    uint32_t *scored;
    size_t n_scored, cap_scored;
    size_t n_dur;       /* duration units: their valence needs the units after them */
};

/* What the cues around a duration unit make of it (score.c). */
enum cxs__dur_kind {
    CXS__DUR_UNCUED = 0, /* no cue: a long one is a weak wait */
    CXS__DUR_WAIT,       /* "waited 45 minutes", "took 3 weeks", "on hold for an hour" */
    CXS__DUR_SPEED,      /* "fixed in 10 minutes" */
    CXS__DUR_OTHER,      /* no wait: "3 months ago", "every 2 days" */
    CXS__DUR_USUAL,      /* called ordinary: "took 45 minutes, which is normal" */
    CXS__DUR_PROCESS     /* how long something took, as an estimate: "took about 3 weeks" */
};

/* The kind of duration unit i of the text last analysed. */
int cxs__duration_kind(const cxs_analyzer *an, size_t i);

/* The number before the time unit at token i ("45 minutes", "a couple of days"), and in
 * *first the token it begins at; 0 if there is none. */
double cxs__duration_quantity(const cxs_analyzer *an, size_t i, size_t *first);

/* The entry of token t's key. The tokenizer found it when it matters to scoring; a term that
 * only states facts (a theme, a channel) is kept out of the filters it looks through, so it is
 * looked up here. */
static inline const cxs__entry *cxs__token_entry(const cxs_model *m, const cxs__tokens *tk,
                                                 const cxs__token *t)
{
    if (!cxs__tok_keyed(t))
        return NULL;
    return t->e ? t->e : cxs__model_find_h(m, cxs__tok_key(tk, t), t->norm_len, t->hash);
}

/* Whether token t is the word w (n bytes, lower case): the grammar words the rules read as
 * they are ("of", "not", "and", "ago"), not through the model. */
static inline int cxs__tok_is(const cxs__tokens *tk, const cxs__token *t, const char *w,
                              size_t n)
{
    return t->kind == CXS__TK_WORD && t->norm_len == n && memcmp(cxs__tok_key(tk, t), w, n) == 0;
}

/* Whether token t is the word "not" or a word ending in n't: the negators that deny a
 * statement on their own ("They were not.", "prices are not"; score.c and cx.c). */
static inline int cxs__tok_is_not(const cxs__tokens *tk, const cxs__token *t)
{
    return (t->kind == CXS__TK_WORD && (t->flags & CXS__TF_NT)) || cxs__tok_is(tk, t, "not", 3);
}

/* Whether tokens a ... b - 1 of the text last analysed name a theme (a single-word theme
 * term): a sentence or clause that names its own subject contrasts with the one before
 * rather than denying it (score.c, cx.c). */
static inline int cxs__tokens_name_theme(const cxs_analyzer *an, size_t a, size_t b)
{
    for (size_t j = a; j < b; j++) {
        const cxs__entry *e = cxs__token_entry(an->model, &an->toks, &an->toks.v[j]);
        if (e && e->theme)
            return 1;
    }
    return 0;
}

/* What a negated term's score is multiplied by: "not good" flips and weakens a positive term,
 * "not bad" a negative one more (score.c's negation; cx.c's denied clauses). */
static inline double cxs__negation_factor(double score, const cxs__settings *S)
{
    return score > 0 ? S->negation_scalar : S->negated_negative;
}

/* The label of a score in [-1, 1] under the analyzer's thresholds (of a text, of a theme). */
static inline int cxs__label_of(const cxs_analyzer *an, double score)
{
    return score >= an->pos_thr   ? CXS_LABEL_POSITIVE
           : score <= an->neg_thr ? CXS_LABEL_NEGATIVE
                                  : CXS_LABEL_NEUTRAL;
}

static inline double cxs__sgn(double v)
{
    return v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0;
}

/*
 * The base score of a unit with valence v != 0 (negativity weight, caps and elongation
 * emphasis) and the rule bits it earns. Matching calls it as it makes a unit, while the unit is
 * in registers, so scoring need not make a pass of its own; score.c uses it for texts with a
 * duration, whose valence depends on the units after it.
 */
static inline float cxs__base_score(double v, unsigned tflags, unsigned kind, int mixed,
                                    const cxs__settings *S, uint32_t *rules)
{
    if (v < 0)
        v *= S->negative_weight;
    if (v != 0) {
        if ((tflags & CXS__TF_CAPS) && mixed) {
            v += cxs__sgn(v) * S->caps_boost;
            *rules |= CXS_RULE_CAPS;
        }
        if (tflags & CXS__TF_ELONG) {
            v += cxs__sgn(v) * S->elongation_boost;
            *rules |= CXS_RULE_ELONGATED;
        }
        if (tflags & CXS__TF_HASHTAG)
            *rules |= CXS_RULE_HASHTAG;
        if (kind == CXS__TK_EMOJI)
            *rules |= CXS_RULE_EMOJI;
        if (kind == CXS__TK_EMOTICON)
            *rules |= CXS_RULE_EMOTICON;
    }
    return (float)v;
}

/* A rating n/d scores (n/d - center) * scale, within [-4, 4]. */
static inline float cxs__rating_valence(float num, float den, const cxs__settings *S)
{
    double frac = num / den;
    double v = (frac - S->rating_center) * S->rating_scale;
    return (float)(v > 4 ? 4 : v < -4 ? -4 : v);
}

/* Tokenize, match and score text; fills an->units, an->scores and an->label. */
int cxs__analyze_text(cxs_analyzer *an, const char *text, size_t len, cxs_error *err);

/* The scoring rules over an->units (score.c). */
int cxs__score_units(cxs_analyzer *an);

#endif
