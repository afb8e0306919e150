/*
 * narrative.h — the narrative's state, shared by narrative.c (tallies, merge, JSON) and
 * narrative_state.c (its serialised form, for merging across processes and machines).
 */
#ifndef CXS_NARRATIVE_H
#define CXS_NARRATIVE_H

#include "model.h"

#include <stdint.h>

#define CXS__NAR_GROUP_MAX 127    /* bytes of a group key kept */
#define CXS__NAR_PERIOD_MAX 15    /* bytes of a period key kept */
#define CXS__NAR_ID_MAX 63        /* bytes of a verbatim's id kept */
#define CXS__NAR_VERBATIM_MAX 280 /* bytes of a verbatim's text kept */
#define CXS__NAR_N_CHANNELS 7     /* cxs_channel values */
#define CXS__NAR_N_INTENTS 4      /* cxs_intent bits */
/* wait bins: 16 a decade, each 10^(1/16) = 1.155 wide; bin 0 holds waits under 1 s, the last
 * one 10^(159/16) s (8.7e9) and more. A bin keeps the sum of its waits too, so a quantile reads
 * the mean of its bin: exact when the bin holds one stated value (45 min and 40 min fall in
 * different bins), within 7.8% otherwise (two waits at the ends of a bin: their mean is 7.74%
 * above the lower) */
#define CXS__NAR_BINS_PER_DECADE 16
#define CXS__NAR_N_BINS (1 + 10 * CXS__NAR_BINS_PER_DECADE)
#define CXS__NAR_FEW 10         /* fewer positive + negative texts: too few to read a net */
#define CXS__NAR_SCORE_UNIT 1e9 /* scores are summed as integers of 1e-9 */
/* a rating at or above 70% of its scale is a good one (4 of 5), at or below 40% a bad one */
#define CXS__NAR_RATING_HIGH 0.7
#define CXS__NAR_RATING_LOW 0.4

typedef struct cxs__nar_verbatim {
    int set;
    int64_t score; /* in CXS__NAR_SCORE_UNIT */
    char id[CXS__NAR_ID_MAX + 1];
    char text[CXS__NAR_VERBATIM_MAX + 1];
    size_t len;
    int cut; /* the text was longer */
} cxs__nar_verbatim;

typedef struct cxs__nar_tally {
    size_t texts, pos, neu, neg;
    int64_t sum; /* scores in CXS__NAR_SCORE_UNIT */
} cxs__nar_tally;

typedef struct cxs__nar_theme_tally {
    cxs__nar_tally t;
    size_t level[3]; /* by cxs_level */
    cxs__nar_verbatim best, worst;
} cxs__nar_theme_tally;

typedef struct cxs__nar_wait_tally {
    size_t count, breaches;
    double min, max; /* exact, so that a quantile is never outside what was stated */
    size_t bins[CXS__NAR_N_BINS];
    uint64_t secs[CXS__NAR_N_BINS]; /* sum of the waits of each bin, whole seconds */
} cxs__nar_wait_tally;

/* A term of a period: the texts in which it scored positive and negative. */
#define CXS__NAR_TERM_MAX 31     /* bytes of a term's key kept */
#define CXS__NAR_TEXT_TERMS 256  /* distinct terms counted of one text at the most */
#define CXS__NAR_JSON_TERMS 10   /* terms the JSON's change lists */
typedef struct cxs__nar_term {
    char key[CXS__NAR_TERM_MAX + 1]; /* "" marks an empty slot */
    size_t pos, neg;
} cxs__nar_term;

/* Open addressing (narrative_terms.c): cap a power of two, at most half full. */
typedef struct cxs__nar_terms {
    cxs__nar_term *slot;
    size_t n, cap;
} cxs__nar_terms;

typedef struct cxs__nar_period {
    char key[CXS__NAR_PERIOD_MAX + 1];
    cxs__nar_tally t;
    cxs__nar_tally *themes; /* n_themes */
    cxs__nar_terms terms;
} cxs__nar_period;

typedef struct cxs__nar_group {
    char key[CXS__NAR_GROUP_MAX + 1];
    cxs__nar_tally t;
    cxs__nar_theme_tally *themes; /* n_themes */
    size_t intents[CXS__NAR_N_INTENTS];
    cxs__nar_wait_tally waits[CXS__NAR_N_CHANNELS];
    size_t rated, high_neg, low_pos; /* texts with a rating; good rating but negative text;
                                        bad rating but positive text */
    cxs__nar_verbatim best, worst, high_neg_v, low_pos_v;
    cxs__nar_period *periods; /* in byte order of key */
    size_t n_periods, cap_periods;
} cxs__nar_group;

struct cxs_narrative {
    const cxs_model *model;
    cxs__alloc alloc;
    size_t n_themes;
    cxs__nar_group **groups; /* in byte order of key */
    size_t n_groups, cap_groups;
};

/* Index of the first group / period whose key is >= key (binary search); *found when equal. */
size_t cxs__nar_find_group(const cxs_narrative *n, const char *key, int *found);
size_t cxs__nar_find_period(const cxs__nar_group *g, const char *key, int *found);

/* A new empty group (NULL on failure), and the freeing of one (NULL allowed). */
cxs__nar_group *cxs__nar_group_new(const cxs_narrative *n, const char *key);
void cxs__nar_group_free(const cxs_narrative *n, cxs__nar_group *g);

/* The theme counts of a new period: CXS_OK or CXS_ENOMEM (*out NULL with no themes). */
int cxs__nar_period_themes_new(const cxs_narrative *n, cxs__nar_tally **out);

/* Term tables (narrative_terms.c). Room for `extra` more terms: CXS_OK or CXS_ENOMEM (the
 * table unchanged). Adding needs that room; it cannot fail. */
int cxs__nar_terms_reserve(const cxs__alloc *a, cxs__nar_terms *t, size_t extra);
void cxs__nar_terms_add(cxs__nar_terms *t, const char *key, size_t pos, size_t neg);
const cxs__nar_term *cxs__nar_terms_get(const cxs__nar_terms *t, const char *key);
int cxs__nar_terms_copy(const cxs__alloc *a, cxs__nar_terms *dst, const cxs__nar_terms *src);
void cxs__nar_terms_free(const cxs__alloc *a, cxs__nar_terms *t);
/* The terms in byte order of key into out (room for t->n); returns t->n. */
size_t cxs__nar_terms_sorted(const cxs__nar_terms *t, const cxs__nar_term **out);
/* The key of the term at text[start, end) into key (CXS__NAR_TERM_MAX + 1 bytes); 0 if the
 * term has none (see narrative_terms.c). */
size_t cxs__nar_term_key(char *key, const char *text, size_t start, size_t end, int negated);

#endif
