/*
 * summary.h — what customers are saying, per group (brand) and period (month), as the
 * renderers read it: the
 * library's narrative (cxs_narrative, which cxsent-scan fills record by record) unpacked once
 * by summary_build() into plain structs. Two renderers read them: summary_print()
 * (cxsent-scan --summary, plain text) and report_write() (--report, HTML, in report.h).
 * Neither tallies anything itself, and the --narrative JSON comes from the same narrative, so
 * all three always agree.
 */
#ifndef CXSENT_SCAN_SUMMARY_H
#define CXSENT_SCAN_SUMMARY_H

#include "grouping.h"

#include <cxsent.h>
#include <stdio.h>

#define SUM_MAX_PERIODS 48 /* per group: the most recent ones are shown */
#define SUM_MAX_THEMES 64  /* distinct theme names; the default model has nine */
#define SUM_N_CHANNELS 7   /* cxs_channel values */
#define SUM_N_INTENTS 4    /* bits of cxs_intent */
#define SUM_VERBATIM 400   /* bytes of a verbatim kept; the text summary shows fewer */
#define SUM_QUOTED 3       /* themes quoted in their customers' words */
#define SUM_TERMS 8        /* terms shown behind a change */
#define SUM_FEW 10         /* below this many positive + negative texts, say "read with care" */

typedef struct sum_theme {
    unsigned long texts, pos, neg, delight, failure;
    double net, net_lo, net_hi; /* (pos - neg) / (pos + neg) and its 95% interval */
} sum_theme;

typedef struct sum_wait {
    size_t n;
    unsigned long breach;
    double median, p90; /* seconds */
} sum_wait;

typedef struct sum_period {
    char key[PERIOD_KEY]; /* "2026-03", "2026-W11", ... (grouping.h) */
    unsigned long n, pos, neg;
    double net, net_lo, net_hi; /* (pos - neg) / (pos + neg) and its 95% interval */
} sum_period;

#define SUM_MAX_CHANNELS 16 /* per group: the channels with most texts are shown */

/* A group's texts from one channel (source): is the group loved on one and hated on another? */
typedef struct sum_channel {
    char name[40]; /* the channel field's value, "(no source)" */
    unsigned long n, pos, neg;
    double net, net_lo, net_hi;
    int differs; /* +1 / -1: the interval lies wholly above / below the group's net sentiment
                    (and rests on SUM_FEW texts or more); 0 otherwise */
} sum_channel;

typedef struct sum_verbatim {
    int set;
    double compound;
    char id[48];                    /* cut at a UTF-8 boundary */
    char text[SUM_VERBATIM + 1];    /* controls as spaces, cut at a UTF-8 boundary */
    size_t len;                     /* bytes in text */
    int cut;                        /* the original text was longer */
} sum_verbatim;

typedef struct sum_brand {
    const char *name; /* the narrative's */
    unsigned long n, pos, neu, neg;
    double net, net_lo, net_hi; /* (pos - neg) / (pos + neg) and its 95% interval */
    double mean_compound;
    sum_period periods[SUM_MAX_PERIODS]; /* kept in order of key */
    sum_channel channels[SUM_MAX_CHANNELS]; /* most texts first; none unless two or more */
    int n_channels;
    size_t channels_left_out; /* channels past SUM_MAX_CHANNELS */
    int n_periods;
    sum_verbatim best, worst; /* the most positive and the most negative text */
    sum_theme themes[SUM_MAX_THEMES]; /* by index in summary.theme */
    size_t order[SUM_MAX_THEMES];     /* mentioned themes, most texts first */
    size_t n_order;
    unsigned long intents[SUM_N_INTENTS]; /* by bit of cxs_intent */
    sum_wait waits[SUM_N_CHANNELS];       /* by cxs_channel */
    /* for the SUM_QUOTED most mentioned themes (order[0..]): the most positive and the most
     * negative text about each */
    sum_verbatim theme_pos[SUM_QUOTED], theme_neg[SUM_QUOTED];
    cxs_rating_stats ratings;             /* rating-text disagreements */
    sum_verbatim high_neg, low_pos; /* a good rating on the most negative text, a bad one on
                                       the most positive */
    /* the change between the last two periods: their keys and net sentiment, and the themes
     * that moved it, largest effect first (n_change 0: fewer than two periods) */
    char change_from[PERIOD_KEY], change_to[PERIOD_KEY];
    double change_net_from, change_net_to;
    cxs_theme_change change[SUM_MAX_THEMES];
    size_t n_change;
    cxs_term_change terms[SUM_TERMS]; /* the terms behind the change (strings: the narrative's) */
    size_t n_terms;
} sum_brand;

typedef struct summary {
    sum_brand *b; /* in byte order of brand */
    size_t n;
    const char *theme[SUM_MAX_THEMES]; /* theme names (the model's) */
    size_t n_themes;
    int oom; /* an allocation failed: some records are missing from the tallies */
    const grouping *grouping; /* what a group and a period are (nouns, the chart's axis) */
} summary;

/* Unpack a narrative of groups (brands) and periods (months), as grp made them, for the
 * renderers, with each group's channels from nar_ch (keys of grouping_channel_key; NULL for
 * none); oom says whether records were lost on the way. NULL when memory runs out. The
 * summary borrows the narrative's and the model's strings and grp: it must not outlive
 * them. */
summary *summary_build(const cxs_narrative *nar, const cxs_narrative *nar_ch,
                       const cxs_model *model, const grouping *grp, int oom);
void summary_free(summary *s);

/* A duration as people say it: "45 min", "3.5 h", "6 days". */
void summary_duration(char *buf, size_t cap, double sec);

/* The plain-text renderer (--summary). */
void summary_print(const summary *s, FILE *out);

#endif
