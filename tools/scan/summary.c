/*
 * summary.c — a plain-text report of a scan: per brand, the sentiment split, net sentiment
 * (pos - neg) / (pos + neg) with a 95% interval, the trend by month, the themes customers talk
 * about (share of voice, net sentiment, failures and delights), their intents, the waits they
 * state per channel (median, share over the channel's standard), and the most positive and
 * most negative verbatims. The library's narrative layer will replace this tool-side tally.
 */
#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MONTHS 48
#define VERBATIM 110
#define MAX_THEMES 64
#define N_CHANNELS 7

typedef struct theme_tally {
    unsigned long texts, pos, neg, delight, failure;
} theme_tally;

typedef struct wait_tally {
    double *seconds; /* every wait, for the median */
    size_t n, cap;
    unsigned long breach;
} wait_tally;

typedef struct month {
    char key[8]; /* YYYY-MM */
    unsigned long n, pos, neg;
} month;

typedef struct verbatim {
    double compound;
    char id[40];
    char text[VERBATIM + 4];
} verbatim;

typedef struct brand {
    char name[64];
    unsigned long n, pos, neu, neg;
    double sum_compound;
    month months[MAX_MONTHS];
    int n_months;
    verbatim best, worst;
    theme_tally themes[MAX_THEMES]; /* by index in summary.theme */
    unsigned long intents[4];       /* by bit of cxs_intent */
    wait_tally waits[N_CHANNELS];   /* by cxs_channel */
} brand;

struct summary {
    brand *b;
    size_t n, cap;
    const char *theme[MAX_THEMES]; /* theme names as results give them (the model's) */
    size_t n_themes;
};

summary *summary_new(void)
{
    return calloc(1, sizeof(summary));
}

void summary_free(summary *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        for (int c = 0; c < N_CHANNELS; c++)
            free(s->b[i].waits[c].seconds);
    free(s->b);
    free(s);
}

static brand *get_brand(summary *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strncmp(s->b[i].name, name, sizeof s->b[i].name - 1))
            return &s->b[i];
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 8;
        brand *nb = realloc(s->b, nc * sizeof *nb);
        if (!nb)
            return NULL;
        s->b = nb;
        s->cap = nc;
    }
    brand *b = &s->b[s->n++];
    memset(b, 0, sizeof *b);
    snprintf(b->name, sizeof b->name, "%s", name);
    b->best.compound = -2;
    b->worst.compound = 2;
    return b;
}

/* Copy at most VERBATIM bytes of text, cut at a UTF-8 boundary, newlines as spaces. */
static void clip(char *dst, const char *src, size_t len)
{
    size_t n = len <= VERBATIM ? len : VERBATIM;
    while (n < len && n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
        n--;
    for (size_t i = 0; i < n; i++)
        dst[i] = src[i] == '\n' || src[i] == '\r' || src[i] == '\t' ? ' ' : src[i];
    strcpy(dst + n, len > n ? "..." : "");
}

/* The themes, intents and waits of one text. */
static void add_facts(summary *s, brand *b, const cxs_result *res)
{
    for (size_t i = 0; i < cxs_result_theme_count(res); i++) {
        cxs_theme t;
        if (cxs_result_theme(&t, res, i))
            continue;
        size_t k = 0;
        while (k < s->n_themes && strcmp(s->theme[k], t.theme))
            k++;
        if (k == s->n_themes) {
            if (k == MAX_THEMES)
                continue;
            s->theme[s->n_themes++] = t.theme;
        }
        theme_tally *tt = &b->themes[k];
        tt->texts++;
        tt->pos += t.polarity == CXS_LABEL_POSITIVE;
        tt->neg += t.polarity == CXS_LABEL_NEGATIVE;
        tt->delight += t.level == CXS_LEVEL_DELIGHT;
        tt->failure += t.level == CXS_LEVEL_FAILURE;
    }
    unsigned in = cxs_result_intents(res);
    for (int k = 0; k < 4; k++)
        b->intents[k] += (in >> k) & 1u;
    for (size_t i = 0; i < cxs_result_wait_count(res); i++) {
        cxs_wait w;
        if (cxs_result_wait(&w, res, i) || w.channel < 0 || w.channel >= N_CHANNELS)
            continue;
        wait_tally *wt = &b->waits[w.channel];
        if (wt->n == wt->cap) {
            size_t nc = wt->cap ? wt->cap * 2 : 16;
            double *ns = realloc(wt->seconds, nc * sizeof *ns);
            if (!ns)
                continue;
            wt->seconds = ns;
            wt->cap = nc;
        }
        wt->seconds[wt->n++] = w.seconds;
        wt->breach += (unsigned long)w.breach;
    }
}

void summary_add(summary *s, const json_t *rec, const cxs_result *res, const char *text,
                 size_t len)
{
    const char *bn = json_string_value(json_object_get(rec, "brand"));
    brand *b = get_brand(s, bn ? bn : "(no brand)");
    if (!b)
        return;
    const cxs_scores *sc = cxs_result_scores(res);
    int label = cxs_result_label(res);
    b->n++;
    b->sum_compound += sc->compound;
    if (label > 0)
        b->pos++;
    else if (label < 0)
        b->neg++;
    else
        b->neu++;
    const char *created = json_string_value(json_object_get(rec, "created_at"));
    if (created && strlen(created) >= 7) {
        month *m = NULL;
        for (int i = 0; i < b->n_months; i++)
            if (!strncmp(b->months[i].key, created, 7))
                m = &b->months[i];
        if (!m && b->n_months < MAX_MONTHS) {
            m = &b->months[b->n_months++];
            memset(m, 0, sizeof *m);
            memcpy(m->key, created, 7);
        }
        if (m) {
            m->n++;
            m->pos += label > 0;
            m->neg += label < 0;
        }
    }
    add_facts(s, b, res);
    const char *id = json_string_value(json_object_get(rec, "id"));
    verbatim *slots[2] = {sc->compound > b->best.compound ? &b->best : NULL,
                          sc->compound < b->worst.compound ? &b->worst : NULL};
    for (int k = 0; k < 2; k++) {
        verbatim *v = slots[k];
        if (!v)
            continue;
        v->compound = sc->compound;
        snprintf(v->id, sizeof v->id, "%s", id ? id : "?");
        clip(v->text, text, len);
    }
}

static int cmp_month(const void *a, const void *b)
{
    return strcmp(((const month *)a)->key, ((const month *)b)->key);
}

/* Net sentiment (p - q) with a normal-approximation 95% interval, p, q shares of n. */
static void net(unsigned long pos, unsigned long neg, unsigned long n, double *val, double *half)
{
    unsigned long k = pos + neg;
    if (!k) {
        *val = 0;
        *half = 1;
        return;
    }
    double p = (double)pos / (double)k;
    *val = 2 * p - 1;
    *half = 1.96 * 2 * sqrt(p * (1 - p) / (double)k);
    (void)n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A duration as people say it: "45 min", "3.5 h", "6 days". */
static void print_duration(FILE *out, double sec)
{
    if (sec < 120)
        fprintf(out, "%.0f s", sec);
    else if (sec < 2 * 3600)
        fprintf(out, "%.0f min", sec / 60);
    else if (sec < 2 * 86400)
        fprintf(out, "%.1f h", sec / 3600);
    else
        fprintf(out, "%.1f days", sec / 86400);
}

static void print_facts(const summary *s, brand *b, FILE *out)
{
    /* themes by how many texts mention them, most first (ties in order of first mention) */
    size_t order[MAX_THEMES], n = 0;
    for (size_t k = 0; k < s->n_themes; k++)
        if (b->themes[k].texts)
            order[n++] = k;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && b->themes[order[j]].texts > b->themes[order[j - 1]].texts;
             j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    if (n)
        fprintf(out, "  themes (texts, share of texts, net sentiment, failures / delights):\n");
    for (size_t i = 0; i < n; i++) {
        const theme_tally *tt = &b->themes[order[i]];
        double nv, nh;
        net(tt->pos, tt->neg, tt->texts, &nv, &nh);
        fprintf(out, "    %-14s %5lu %4.0f%%  %+.2f  %lu / %lu\n", s->theme[order[i]], tt->texts,
                100.0 * (double)tt->texts / (double)b->n, nv, tt->failure, tt->delight);
    }
    fprintf(out, "  intents:");
    for (unsigned k = 0; k < 4; k++)
        fprintf(out, "%s %s %lu (%.0f%%)", k ? "," : "", cxs_intent_name(1u << k), b->intents[k],
                100.0 * (double)b->intents[k] / (double)b->n);
    fputc('\n', out);
    int any = 0;
    for (int c = 0; c < N_CHANNELS; c++) {
        wait_tally *wt = &b->waits[c];
        if (!wt->n)
            continue;
        fprintf(out, any ? "\n    " : "  waits stated (median, share over the standard):\n    ");
        any = 1;
        qsort(wt->seconds, wt->n, sizeof *wt->seconds, cmp_double);
        double med = wt->n % 2 ? wt->seconds[wt->n / 2]
                               : (wt->seconds[wt->n / 2 - 1] + wt->seconds[wt->n / 2]) / 2;
        fprintf(out, "%-9s %3zu  median ", cxs_channel_name(c), wt->n);
        print_duration(out, med);
        if (c != CXS_CHANNEL_OTHER)
            fprintf(out, ", %.0f%% over", 100.0 * (double)wt->breach / (double)wt->n);
    }
    if (any)
        fputc('\n', out);
}

void summary_print(const summary *s, FILE *out)
{
    fprintf(out, "\nWhat customers are saying\n=========================\n");
    for (size_t i = 0; i < s->n; i++) {
        brand *b = &s->b[i];
        double nv, nh;
        net(b->pos, b->neg, b->n, &nv, &nh);
        fprintf(out, "\n%s: %lu texts, %.0f%% positive, %.0f%% neutral, %.0f%% negative\n",
                b->name, b->n, 100.0 * (double)b->pos / (double)b->n,
                100.0 * (double)b->neu / (double)b->n, 100.0 * (double)b->neg / (double)b->n);
        fprintf(out, "  net sentiment %+.2f (95%% interval +-%.2f%s), mean compound %+.3f\n", nv,
                nh, b->pos + b->neg < 10 ? ", few texts: read with care" : "",
                b->sum_compound / (double)b->n);
        qsort(b->months, (size_t)b->n_months, sizeof *b->months, cmp_month);
        if (b->n_months) {
            fprintf(out, "  by month (net sentiment, texts):");
            for (int m = 0; m < b->n_months; m++) {
                double mv, mh;
                net(b->months[m].pos, b->months[m].neg, b->months[m].n, &mv, &mh);
                fprintf(out, "%s %s %+.2f (%lu)", m % 4 == 0 ? "\n   " : ",", b->months[m].key,
                        mv, b->months[m].n);
            }
            fputc('\n', out);
        }
        print_facts(s, b, out);
        if (b->best.compound > -2)
            fprintf(out, "  most positive [%s %+.2f]: %s\n", b->best.id, b->best.compound,
                    b->best.text);
        if (b->worst.compound < 2)
            fprintf(out, "  most negative [%s %+.2f]: %s\n", b->worst.id, b->worst.compound,
                    b->worst.text);
    }
}
