/*
 * summary.c — the figures behind cxsent-scan --summary and --report, and the plain-text
 * renderer. Per group (a brand, or the --group-by fields' values): the sentiment split, net
 * sentiment (pos - neg) / (pos + neg) with a 95% interval, the trend by period (a month, or
 * --period), the themes customers talk about (share of voice, net
 * sentiment, failures and delights), their intents, the waits they state per channel (median,
 * share over the channel's standard), and the most positive and most negative verbatims.
 * The figures are the library's narrative (cxs_narrative), unpacked by summary_build().
 *
 * Numbers are printed with printf in the C locale: cxsent-scan never calls setlocale(), so
 * the decimal point is always '.'.
 */
#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_VERBATIM 110 /* bytes of a verbatim the text summary shows */

void summary_free(summary *s)
{
    if (!s)
        return;
    free(s->b);
    free(s);
}

/*
 * The bytes of a character at s[0..n) a terminal must not receive from user text, or 0: C0
 * controls and DEL (escape sequences, carriage returns that overwrite a line), C1 controls
 * (U+0080..U+009F; U+009B is an escape sequence's start on some terminals) and the bidi
 * embedding, override and isolate controls (U+202A..U+202E, U+2066..U+2069), which make a
 * line read in an order other than its bytes'. HTML does not allow the controls either.
 */
static size_t unsafe_len(const unsigned char *s, size_t n)
{
    if (s[0] < 0x20 || s[0] == 0x7F)
        return 1;
    if (s[0] == 0xC2 && n >= 2 && s[1] >= 0x80 && s[1] <= 0x9F)
        return 2;
    if (s[0] == 0xE2 && n >= 3 &&
        ((s[1] == 0x80 && s[2] >= 0xAA && s[2] <= 0xAE) ||
         (s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9)))
        return 3;
    return 0;
}

/*
 * Copy at most cap bytes of src into dst (cap + 1 bytes), cut at a UTF-8 boundary so a
 * renderer never shows half a character. Unsafe characters (unsafe_len) become one space each:
 * verbatims are user text and go to a terminal and into HTML. Returns the bytes written to
 * dst; *used (may be NULL) receives the bytes of src they stand for.
 */
static size_t clip(char *dst, size_t cap, const char *src, size_t len, size_t *used)
{
    size_t n = len <= cap ? len : cap;
    while (n < len && n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
        n--;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t u = unsafe_len((const unsigned char *)src + i, n - i);
        dst[o++] = u ? ' ' : src[i];
        i += u ? u : 1;
    }
    dst[o] = '\0';
    if (used)
        *used = n;
    return o;
}

/* Write the user-given string str (a group, period or channel name, a term) to a terminal,
 * with its unsafe characters (unsafe_len) as spaces. */
static void put_clean(FILE *out, const char *str)
{
    const unsigned char *p = (const unsigned char *)str;
    size_t n = strlen(str), i = 0, from = 0;
    while (i < n) {
        size_t u = unsafe_len(p + i, n - i);
        if (!u) {
            i++;
            continue;
        }
        fwrite(p + from, 1, i - from, out);
        fputc(' ', out);
        i += u;
        from = i;
    }
    fwrite(p + from, 1, n - from, out);
}

static void take_verbatim(sum_verbatim *v, const cxs_narrative *nar, size_t g, int kind,
                          size_t theme)
{
    cxs_verbatim cv;
    memset(v, 0, sizeof *v);
    if (cxs_narrative_verbatim(&cv, nar, g, kind, theme) || !cv.text)
        return;
    v->set = 1;
    v->compound = cv.score;
    clip(v->id, sizeof v->id - 1, cv.id[0] ? cv.id : "?", strlen(cv.id[0] ? cv.id : "?"), NULL);
    size_t used;
    v->len = clip(v->text, SUM_VERBATIM, cv.text, cv.len, &used);
    v->cut = cv.cut || used < cv.len;
}

#define NET_OF(dst, st)                                                                        \
    do {                                                                                       \
        (dst)->net = (st).net;                                                                 \
        (dst)->net_lo = (st).net_low;                                                          \
        (dst)->net_hi = (st).net_high;                                                         \
    } while (0)

/*
 * Group b's channels: the groups of nar_ch whose key begins with b's prefix
 * (grouping_channel_prefix), most texts first (ties in byte order). A group with fewer than two
 * channels has no breakdown. A channel differs when its 95% interval leaves out the group's net
 * sentiment, on SUM_FEW positive and negative texts or more.
 */
static void take_channels(sum_brand *b, const cxs_narrative *nar_ch, const grouping *grp)
{
    char prefix[GROUP_CHANNEL_PREFIX + 1];
    size_t n = GROUP_CHANNEL_PREFIX, total = 0, lo = 0, hi = cxs_narrative_group_count(nar_ch);
    if (grouping_channel_prefix(grp, b->name, prefix))
        return; /* none of its records was filed by channel */
    /* the keys are in byte order, so b's channels are a run of them: the first is found by
     * bisection (a scan of every key for every group took time quadratic in the groups) */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strncmp(cxs_narrative_group_name(nar_ch, mid), prefix, n) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t g = lo; g < cxs_narrative_group_count(nar_ch); g++) {
        const char *key = cxs_narrative_group_name(nar_ch, g);
        if (strncmp(key, prefix, n))
            break;
        total++;
        cxs_net_stats st;
        cxs_narrative_group(&st, nar_ch, g);
        sum_channel c;
        memset(&c, 0, sizeof c);
        snprintf(c.name, sizeof c.name, "%s", key + n);
        c.n = st.texts;
        c.pos = st.positive;
        c.neg = st.negative;
        NET_OF(&c, st);
        if (c.pos + c.neg >= SUM_FEW)
            c.differs = c.net_lo > b->net ? 1 : c.net_hi < b->net ? -1 : 0;
        /* insert by texts, most first; a full list drops its last */
        int j = b->n_channels < SUM_MAX_CHANNELS ? b->n_channels++ : SUM_MAX_CHANNELS;
        while (j > 0 && b->channels[j - 1].n < c.n) {
            if (j < SUM_MAX_CHANNELS)
                b->channels[j] = b->channels[j - 1];
            j--;
        }
        if (j < SUM_MAX_CHANNELS)
            b->channels[j] = c;
    }
    b->channels_left_out = total - (size_t)b->n_channels;
    if (total < 2) {
        b->n_channels = 0;
        b->channels_left_out = 0;
    }
}

static void take_brand(sum_brand *b, const summary *s, const cxs_narrative *nar, size_t g)
{
    cxs_net_stats st;
    memset(b, 0, sizeof *b);
    b->name = cxs_narrative_group_name(nar, g);
    cxs_narrative_group(&st, nar, g);
    b->n = st.texts;
    b->pos = st.positive;
    b->neu = st.neutral;
    b->neg = st.negative;
    b->mean_compound = st.mean_score;
    NET_OF(b, st);
    /* the most recent periods, when there are more than the renderers show */
    size_t np = cxs_narrative_period_count(nar, g);
    size_t from = np > SUM_MAX_PERIODS ? np - SUM_MAX_PERIODS : 0;
    for (size_t p = from; p < np; p++) {
        sum_period *m = &b->periods[b->n_periods++];
        snprintf(m->key, sizeof m->key, "%s", cxs_narrative_period_name(nar, g, p));
        cxs_narrative_period(&st, nar, g, p);
        m->n = st.texts;
        m->pos = st.positive;
        m->neg = st.negative;
        NET_OF(m, st);
    }
    take_verbatim(&b->best, nar, g, CXS_VERBATIM_MOST_POSITIVE, 0);
    take_verbatim(&b->worst, nar, g, CXS_VERBATIM_MOST_NEGATIVE, 0);
    for (size_t k = 0; k < s->n_themes; k++) {
        cxs_theme_stats ts;
        cxs_narrative_theme(&ts, nar, g, k);
        sum_theme *t = &b->themes[k];
        t->texts = ts.net.texts;
        t->pos = ts.net.positive;
        t->neg = ts.net.negative;
        t->delight = ts.delight;
        t->failure = ts.failure;
        NET_OF(t, ts.net);
    }
    /* the library's order, as the narrative JSON lists them */
    b->n_order = cxs_narrative_theme_ranking(b->order, SUM_MAX_THEMES, nar, g);
    if (b->n_order > SUM_MAX_THEMES)
        b->n_order = SUM_MAX_THEMES;
    for (size_t i = 0; i < b->n_order && i < SUM_QUOTED; i++) {
        take_verbatim(&b->theme_pos[i], nar, g, CXS_VERBATIM_THEME_POSITIVE, b->order[i]);
        take_verbatim(&b->theme_neg[i], nar, g, CXS_VERBATIM_THEME_NEGATIVE, b->order[i]);
    }
    for (unsigned k = 0; k < SUM_N_INTENTS; k++)
        b->intents[k] = cxs_narrative_intent_count(nar, g, 1u << k);
    for (int c = 0; c < SUM_N_CHANNELS; c++) {
        cxs_wait_stats ws;
        cxs_narrative_wait(&ws, nar, g, c);
        b->waits[c].n = ws.count;
        b->waits[c].breach = ws.breaches;
        b->waits[c].median = ws.median;
        b->waits[c].p90 = ws.p90;
    }
    cxs_narrative_ratings(&b->ratings, nar, g);
    take_verbatim(&b->high_neg, nar, g, CXS_VERBATIM_HIGH_RATING_NEGATIVE, 0);
    take_verbatim(&b->low_pos, nar, g, CXS_VERBATIM_LOW_RATING_POSITIVE, 0);
    size_t pf, pt;
    b->n_change = cxs_narrative_change(b->change, SUM_MAX_THEMES, &pf, &pt, nar, g);
    if (b->n_change > SUM_MAX_THEMES)
        b->n_change = SUM_MAX_THEMES;
    if (b->n_change) {
        snprintf(b->change_from, sizeof b->change_from, "%s", cxs_narrative_period_name(nar, g, pf));
        snprintf(b->change_to, sizeof b->change_to, "%s", cxs_narrative_period_name(nar, g, pt));
        cxs_narrative_period(&st, nar, g, pf);
        b->change_net_from = st.net;
        cxs_narrative_period(&st, nar, g, pt);
        b->change_net_to = st.net;
        b->n_terms = cxs_narrative_change_terms(b->terms, SUM_TERMS, nar, g);
        if (b->n_terms > SUM_TERMS)
            b->n_terms = SUM_TERMS;
    }
}

summary *summary_build(const cxs_narrative *nar, const cxs_narrative *nar_ch,
                       const cxs_model *model, const grouping *grp, int oom)
{
    summary *s = calloc(1, sizeof *s);
    size_t n = cxs_narrative_group_count(nar);
    if (!s || (n && !(s->b = calloc(n, sizeof *s->b)))) {
        free(s);
        return NULL;
    }
    s->n = n;
    s->oom = oom;
    s->grouping = grp;
    s->n_themes = cxs_model_theme_count(model);
    if (s->n_themes > SUM_MAX_THEMES)
        s->n_themes = SUM_MAX_THEMES;
    for (size_t k = 0; k < s->n_themes; k++)
        s->theme[k] = cxs_model_theme_name(model, k);
    for (size_t g = 0; g < n; g++) {
        take_brand(&s->b[g], s, nar, g);
        if (nar_ch)
            take_channels(&s->b[g], nar_ch, grp);
    }
    return s;
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
        fprintf(out, "    %-14s %5lu %4.0f%%  %+.2f  %lu / %lu\n", s->theme[b->order[i]],
                tt->texts, 100.0 * (double)tt->texts / (double)b->n, tt->net, tt->failure,
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
        fprintf(out, any ? "\n    " : "  waits stated (median, p90, share over the standard):\n    ");
        any = 1;
        char dur[32];
        summary_duration(dur, sizeof dur, wt->median);
        char p90[32];
        summary_duration(p90, sizeof p90, wt->p90);
        fprintf(out, "%-9s %3zu  median %s, p90 %s", cxs_channel_name(c), wt->n, dur, p90);
        if (c != CXS_CHANNEL_OTHER)
            fprintf(out, ", %.0f%% over", 100.0 * (double)wt->breach / (double)wt->n);
    }
    if (any)
        fputc('\n', out);
    if (b->ratings.rated)
        fprintf(out,
                "  ratings: %zu rated; a good rating on a negative text %zu, a bad rating on a "
                "positive text %zu\n",
                b->ratings.rated, b->ratings.high_rating_negative_text,
                b->ratings.low_rating_positive_text);
    if (b->n_change) {
        fputs("  change ", out);
        put_clean(out, b->change_from);
        fputs(" -> ", out);
        put_clean(out, b->change_to);
        fprintf(out, ": net sentiment %+.2f -> %+.2f; moved most by", b->change_net_from,
                b->change_net_to);
        for (size_t i = 0; i < b->n_change && i < 3; i++)
            fprintf(out, "%s %s %+.2f", i ? "," : "", s->theme[b->change[i].theme],
                    b->change[i].effect);
        if (b->n_terms) {
            fputs("; words:", out);
            for (size_t i = 0; i < b->n_terms && i < 5; i++) {
                fputs(i ? ", \"" : " \"", out);
                put_clean(out, b->terms[i].term);
                fprintf(out, "\" %+.2f", b->terms[i].effect);
            }
        }
        fputc('\n', out);
    }
}

void summary_print(const summary *s, FILE *out)
{
    fprintf(out, "\nWhat customers are saying\n=========================\n");
    for (size_t i = 0; i < s->n; i++) {
        const sum_brand *b = &s->b[i];
        fputc('\n', out);
        put_clean(out, b->name);
        fprintf(out, ": %lu texts, %.0f%% positive, %.0f%% neutral, %.0f%% negative\n", b->n,
                100.0 * (double)b->pos / (double)b->n, 100.0 * (double)b->neu / (double)b->n,
                100.0 * (double)b->neg / (double)b->n);
        fprintf(out, "  net sentiment %+.2f (95%% interval %+.2f to %+.2f%s), mean compound %+.3f\n",
                b->net, b->net_lo, b->net_hi,
                b->pos + b->neg < SUM_FEW ? ", few texts: read with care" : "", b->mean_compound);
        if (b->n_periods) {
            fprintf(out, "  by %s (net sentiment, texts):",
                    grouping_period_noun(s->grouping->period));
            for (int m = 0; m < b->n_periods; m++) {
                fputs(m % 4 == 0 ? "\n    " : ", ", out);
                put_clean(out, b->periods[m].key);
                fprintf(out, " %+.2f (%lu)", b->periods[m].net, b->periods[m].n);
            }
            fputc('\n', out);
        }
        if (b->n_channels) {
            fprintf(out, "  by %s (net sentiment, texts):", grouping_channel_field(s->grouping));
            for (int c = 0; c < b->n_channels; c++) {
                const sum_channel *ch = &b->channels[c];
                fputs(c % 4 == 0 ? "\n    " : ", ", out);
                put_clean(out, ch->name);
                fprintf(out, " %+.2f (%lu)%s", ch->net, ch->n,
                        ch->differs > 0 ? " higher" : ch->differs < 0 ? " lower" : "");
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
