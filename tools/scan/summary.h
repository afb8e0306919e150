/*
 * summary.h — what customers are saying, per brand and month: the tallies of a scan, filled
 * once by summary_add(), and the statistics both renderers share. Two renderers read them:
 * summary_print() (cxsent-scan --summary, plain text) and report_write() (--report, HTML, in
 * report.h). Neither tallies anything itself, so the two always agree.
 */
#ifndef CXSENT_SCAN_SUMMARY_H
#define CXSENT_SCAN_SUMMARY_H

#include <cxsent.h>
#include <jansson.h>
#include <stdio.h>

#define SUM_MAX_MONTHS 48  /* per brand; later months are not tallied by month */
#define SUM_MAX_THEMES 64  /* distinct theme names; the default model has nine */
#define SUM_N_CHANNELS 7   /* cxs_channel values */
#define SUM_N_INTENTS 4    /* bits of cxs_intent */
#define SUM_VERBATIM 400   /* bytes of a verbatim kept; the text summary shows fewer */
#define SUM_FEW 10         /* below this many positive + negative texts, say "read with care" */

typedef struct sum_theme {
    unsigned long texts, pos, neg, delight, failure;
} sum_theme;

typedef struct sum_wait {
    double *seconds; /* every wait, sorted by summary_finish() for the median */
    size_t n, cap;
    unsigned long breach;
} sum_wait;

typedef struct sum_month {
    char key[8]; /* YYYY-MM */
    unsigned long n, pos, neg;
} sum_month;

typedef struct sum_verbatim {
    int set;
    double compound;
    char id[48];                    /* cut at a UTF-8 boundary */
    char text[SUM_VERBATIM + 1];    /* controls as spaces, cut at a UTF-8 boundary */
    size_t len;                     /* bytes in text */
    int cut;                        /* the original text was longer */
} sum_verbatim;

typedef struct sum_brand {
    char *name;
    unsigned long n, pos, neu, neg;
    double sum_compound;
    sum_month months[SUM_MAX_MONTHS]; /* kept in order of key */
    int n_months;
    sum_verbatim best, worst;         /* highest and lowest compound; the first wins ties */
    sum_theme themes[SUM_MAX_THEMES]; /* by index in summary.theme */
    size_t order[SUM_MAX_THEMES];     /* summary_finish(): mentioned themes, most texts first */
    size_t n_order;
    unsigned long intents[SUM_N_INTENTS]; /* by bit of cxs_intent */
    sum_wait waits[SUM_N_CHANNELS];       /* by cxs_channel */
} sum_brand;

typedef struct summary {
    sum_brand *b; /* in order of first appearance */
    size_t n, cap;
    const char *theme[SUM_MAX_THEMES]; /* theme names as results give them (the model's) */
    size_t n_themes;
    int oom;      /* an allocation failed: some records are missing from the tallies */
    int finished; /* summary_finish() ran after the last summary_add() */
} summary;

summary *summary_new(void);
void summary_free(summary *s);

/* Tally one scored record (its brand and created_at fields, the result, the text). */
void summary_add(summary *s, const json_t *rec, const cxs_result *res, const char *text,
                 size_t len);

/* Sort what the renderers read in order (wait times, theme ranking). Idempotent; both
 * renderers call it, so callers need not. */
void summary_finish(summary *s);

/* Net sentiment (pos - neg) / (pos + neg) and the half-width of its normal-approximation 95%
 * interval; 0 and 1 when there is no positive or negative text. */
void summary_net(unsigned long pos, unsigned long neg, double *val, double *half);

/* Median of a finished wait tally (n > 0). */
double summary_median(const sum_wait *w);

/* A duration as people say it: "45 min", "3.5 h", "6 days". */
void summary_duration(char *buf, size_t cap, double sec);

/* The plain-text renderer (--summary). Finishes the summary first. */
void summary_print(summary *s, FILE *out);

#endif
