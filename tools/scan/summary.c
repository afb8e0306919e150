/*
 * summary.c — the tallies behind cxsent-scan --summary and --report, and the plain-text
 * renderer. Per brand: the sentiment split, net sentiment (pos - neg) / (pos + neg) with a 95%
 * interval, the trend by month, the themes customers talk about (share of voice, net
 * sentiment, failures and delights), their intents, the waits they state per channel (median,
 * share over the channel's standard), and the most positive and most negative verbatims.
 * This tally keeps every wait for exact medians and the layout the renderers need; the
 * library's mergeable narrative (cxs_narrative, --narrative) counts the same facts in bins.
 * Moving the renderers onto cxs_narrative would leave one tally; that is still to do.
 *
 * Numbers are printed with printf in the C locale: cxsent-scan never calls setlocale(), so
 * the decimal point is always '.'.
 */
#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_VERBATIM 110 /* bytes of a verbatim the text summary shows */

summary *summary_new(void)
{
    return calloc(1, sizeof(summary));
}

void summary_free(summary *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        for (int c = 0; c < SUM_N_CHANNELS; c++)
            free(s->b[i].waits[c].seconds);
        free(s->b[i].name);
    }
    free(s->b);
    free(s);
}

static sum_brand *get_brand(summary *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->b[i].name, name))
            return &s->b[i];
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 8;
        sum_brand *nb = realloc(s->b, nc * sizeof *nb);
        if (!nb)
            return NULL;
        s->b = nb;
        s->cap = nc;
    }
    /* the whole name, not a fixed-size prefix: two brands sharing a long prefix stay apart */
    size_t len = strlen(name);
    char *copy = malloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, name, len + 1);
    sum_brand *b = &s->b[s->n++];
    memset(b, 0, sizeof *b);
    b->name = copy;
    return b;
}

/*
 * Copy at most cap bytes of src into dst (cap + 1 bytes), cut at a UTF-8 boundary so a
 * renderer never shows half a character. Control characters become spaces: verbatims are
 * user text and go to a terminal (escape sequences) and into HTML (where C0 controls are not
 * allowed). Returns the bytes copied.
 */
static size_t clip(char *dst, size_t cap, const char *src, size_t len)
{
    size_t n = len <= cap ? len : cap;
    while (n < len && n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
        n--;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)src[i];
        dst[i] = c < 0x20 || c == 0x7F ? ' ' : src[i];
    }
    dst[n] = '\0';
    return n;
}

/* The themes, intents and waits of one text. */
static void add_facts(summary *s, sum_brand *b, const cxs_result *res)
{
    for (size_t i = 0; i < cxs_result_theme_count(res); i++) {
        cxs_theme t;
        if (cxs_result_theme(&t, res, i))
            continue;
        size_t k = 0;
        while (k < s->n_themes && strcmp(s->theme[k], t.theme))
            k++;
        if (k == s->n_themes) {
            if (k == SUM_MAX_THEMES)
                continue;
            s->theme[s->n_themes++] = t.theme;
        }
        sum_theme *tt = &b->themes[k];
        tt->texts++;
        tt->pos += t.polarity == CXS_LABEL_POSITIVE;
        tt->neg += t.polarity == CXS_LABEL_NEGATIVE;
        tt->delight += t.level == CXS_LEVEL_DELIGHT;
        tt->failure += t.level == CXS_LEVEL_FAILURE;
    }
    unsigned in = cxs_result_intents(res);
    for (int k = 0; k < SUM_N_INTENTS; k++)
        b->intents[k] += (in >> k) & 1u;
    for (size_t i = 0; i < cxs_result_wait_count(res); i++) {
        cxs_wait w;
        if (cxs_result_wait(&w, res, i) || w.channel < 0 || w.channel >= SUM_N_CHANNELS)
            continue;
        sum_wait *wt = &b->waits[w.channel];
        if (wt->n == wt->cap) {
            size_t nc = wt->cap ? wt->cap * 2 : 16;
            double *ns = realloc(wt->seconds, nc * sizeof *ns);
            if (!ns) {
                s->oom = 1;
                continue;
            }
            wt->seconds = ns;
            wt->cap = nc;
        }
        wt->seconds[wt->n++] = w.seconds;
        wt->breach += (unsigned long)w.breach;
    }
}

static int is_digits(const char *p, int n)
{
    for (int i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return 1;
}

/* The month of created_at, kept in key order so renderers need not sort. NULL when the field
 * does not start with YYYY-MM, MM from 01 to 12 (a date in another format names no month), or
 * when the brand's months are full. */
static sum_month *get_month(sum_brand *b, const char *created)
{
    if (!created || strlen(created) < 7 || !is_digits(created, 4) || created[4] != '-' ||
        !is_digits(created + 5, 2) || strncmp(created + 5, "01", 2) < 0 ||
        strncmp(created + 5, "12", 2) > 0)
        return NULL;
    int i = 0;
    while (i < b->n_months && strncmp(b->months[i].key, created, 7) < 0)
        i++;
    if (i < b->n_months && !strncmp(b->months[i].key, created, 7))
        return &b->months[i];
    if (b->n_months == SUM_MAX_MONTHS)
        return NULL;
    memmove(&b->months[i + 1], &b->months[i], (size_t)(b->n_months - i) * sizeof *b->months);
    b->n_months++;
    sum_month *m = &b->months[i];
    memset(m, 0, sizeof *m);
    memcpy(m->key, created, 7);
    return m;
}

static void keep_verbatim(sum_verbatim *v, double compound, const char *id, const char *text,
                          size_t len)
{
    v->set = 1;
    v->compound = compound;
    clip(v->id, sizeof v->id - 1, id, strlen(id));
    v->len = clip(v->text, SUM_VERBATIM, text, len);
    v->cut = v->len < len;
}

void summary_add(summary *s, const json_t *rec, const cxs_result *res, const char *text,
                 size_t len)
{
    const char *bn = json_string_value(json_object_get(rec, "brand"));
    sum_brand *b = get_brand(s, bn ? bn : "(no brand)");
    if (!b) {
        s->oom = 1;
        return;
    }
    s->finished = 0;
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
    sum_month *m = get_month(b, json_string_value(json_object_get(rec, "created_at")));
    if (m) {
        m->n++;
        m->pos += label > 0;
        m->neg += label < 0;
    }
    add_facts(s, b, res);
    const char *id = json_string_value(json_object_get(rec, "id"));
    if (!b->best.set || sc->compound > b->best.compound)
        keep_verbatim(&b->best, sc->compound, id ? id : "?", text, len);
    if (!b->worst.set || sc->compound < b->worst.compound)
        keep_verbatim(&b->worst, sc->compound, id ? id : "?", text, len);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void summary_finish(summary *s)
{
    if (s->finished)
        return;
    for (size_t i = 0; i < s->n; i++) {
        sum_brand *b = &s->b[i];
        for (int c = 0; c < SUM_N_CHANNELS; c++)
            if (b->waits[c].n)
                qsort(b->waits[c].seconds, b->waits[c].n, sizeof *b->waits[c].seconds,
                      cmp_double);
        /* themes by how many texts mention them, most first; a stable insertion sort keeps
         * ties in order of first mention, so the order never depends on qsort */
        size_t n = 0;
        for (size_t k = 0; k < s->n_themes; k++)
            if (b->themes[k].texts)
                b->order[n++] = k;
        for (size_t j = 1; j < n; j++)
            for (size_t k = j; k > 0 && b->themes[b->order[k]].texts >
                                            b->themes[b->order[k - 1]].texts;
                 k--) {
                size_t t = b->order[k];
                b->order[k] = b->order[k - 1];
                b->order[k - 1] = t;
            }
        b->n_order = n;
    }
    s->finished = 1;
}

void summary_net(unsigned long pos, unsigned long neg, double *val, double *half)
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
}

double summary_median(const sum_wait *w)
{
    return w->n % 2 ? w->seconds[w->n / 2] : (w->seconds[w->n / 2 - 1] + w->seconds[w->n / 2]) / 2;
}

void summary_duration(char *buf, size_t cap, double sec)
{
    if (sec < 120)
        snprintf(buf, cap, "%.0f s", sec);
    else if (sec < 2 * 3600)
        snprintf(buf, cap, "%.0f min", sec / 60);
    else if (sec < 2 * 86400)
        snprintf(buf, cap, "%.1f h", sec / 3600);
    else
        snprintf(buf, cap, "%.1f days", sec / 86400);
}

/* ---- the plain-text renderer ------------------------------------------------------------- */

static void print_verbatim(FILE *out, const char *what, const sum_verbatim *v)
{
    size_t n = v->len <= TEXT_VERBATIM ? v->len : TEXT_VERBATIM;
    while (n < v->len && n > 0 && ((unsigned char)v->text[n] & 0xC0) == 0x80)
        n--;
    fprintf(out, "  most %s [%s %+.2f]: ", what, v->id, v->compound);
    fwrite(v->text, 1, n, out);
    fputs(n < v->len || v->cut ? "...\n" : "\n", out);
}

static void print_facts(const summary *s, const sum_brand *b, FILE *out)
{
    if (b->n_order)
        fprintf(out, "  themes (texts, share of texts, net sentiment, failures / delights):\n");
    for (size_t i = 0; i < b->n_order; i++) {
        const sum_theme *tt = &b->themes[b->order[i]];
        double nv, nh;
        summary_net(tt->pos, tt->neg, &nv, &nh);
        fprintf(out, "    %-14s %5lu %4.0f%%  %+.2f  %lu / %lu\n", s->theme[b->order[i]],
                tt->texts, 100.0 * (double)tt->texts / (double)b->n, nv, tt->failure,
                tt->delight);
    }
    fprintf(out, "  intents:");
    for (unsigned k = 0; k < SUM_N_INTENTS; k++)
        fprintf(out, "%s %s %lu (%.0f%%)", k ? "," : "", cxs_intent_name(1u << k), b->intents[k],
                100.0 * (double)b->intents[k] / (double)b->n);
    fputc('\n', out);
    int any = 0;
    for (int c = 0; c < SUM_N_CHANNELS; c++) {
        const sum_wait *wt = &b->waits[c];
        if (!wt->n)
            continue;
        fprintf(out, any ? "\n    " : "  waits stated (median, share over the standard):\n    ");
        any = 1;
        char dur[32];
        summary_duration(dur, sizeof dur, summary_median(wt));
        fprintf(out, "%-9s %3zu  median %s", cxs_channel_name(c), wt->n, dur);
        if (c != CXS_CHANNEL_OTHER)
            fprintf(out, ", %.0f%% over", 100.0 * (double)wt->breach / (double)wt->n);
    }
    if (any)
        fputc('\n', out);
}

void summary_print(summary *s, FILE *out)
{
    summary_finish(s);
    fprintf(out, "\nWhat customers are saying\n=========================\n");
    for (size_t i = 0; i < s->n; i++) {
        const sum_brand *b = &s->b[i];
        double nv, nh;
        summary_net(b->pos, b->neg, &nv, &nh);
        fprintf(out, "\n%s: %lu texts, %.0f%% positive, %.0f%% neutral, %.0f%% negative\n",
                b->name, b->n, 100.0 * (double)b->pos / (double)b->n,
                100.0 * (double)b->neu / (double)b->n, 100.0 * (double)b->neg / (double)b->n);
        fprintf(out, "  net sentiment %+.2f (95%% interval +-%.2f%s), mean compound %+.3f\n", nv,
                nh, b->pos + b->neg < SUM_FEW ? ", few texts: read with care" : "",
                b->sum_compound / (double)b->n);
        if (b->n_months) {
            fprintf(out, "  by month (net sentiment, texts):");
            for (int m = 0; m < b->n_months; m++) {
                double mv, mh;
                summary_net(b->months[m].pos, b->months[m].neg, &mv, &mh);
                fprintf(out, "%s %s %+.2f (%lu)", m % 4 == 0 ? "\n   " : ",", b->months[m].key,
                        mv, b->months[m].n);
            }
            fputc('\n', out);
        }
        print_facts(s, b, out);
        if (b->best.set)
            print_verbatim(out, "positive", &b->best);
        if (b->worst.set)
            print_verbatim(out, "negative", &b->worst);
    }
}
