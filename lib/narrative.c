/*
 * narrative.c — what customers are saying, over many texts: per group (brand) and period, the
 * sentiment split with net sentiment and its interval, themes (share of voice, net, levels,
 * verbatims), intents, waits per channel, rating-text disagreements, and the change between
 * the last two periods with the themes that explain it.
 *
 * Everything kept is a count, an integer sum or a fixed histogram, and every "best" verbatim
 * is chosen by a total order, so merge(a, b) is exactly the narrative of the union in any
 * order: scores are summed as integers of 1e-9 (a double sum would depend on the order of
 * addition in its last bits) and wait times go into log-scale bins (a median needs no list).
 */
#include "narrative.h"

#include "json.h"
#include "result.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* ---- keys, verbatims ----------------------------------------------------------------------- */

/* Copy at most max bytes of s into dst (max + 1 bytes), cut at a UTF-8 boundary. */
static size_t copy_cut(char *dst, size_t max, const char *s, size_t len)
{
    size_t n = len <= max ? len : max;
    while (n < len && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    if (n)
        memcpy(dst, s, n);
    dst[n] = '\0';
    return n;
}

/* A key as the narrative keeps it: NULL is "", long keys are cut at a UTF-8 boundary. */
static void make_key(char *dst, size_t max, const char *s)
{
    copy_cut(dst, max, s ? s : "", s ? strlen(s) : 0);
}

static int64_t score_units(double v)
{
    if (!(v == v))
        return 0;
    v = v > 1 ? 1 : v < -1 ? -1 : v;
    return (int64_t)llround(v * CXS__NAR_SCORE_UNIT);
}

/* The total order that picks a verbatim: a higher score (or lower, for sign < 0), then the
 * text, then the id, in byte order, then a whole text before a cut one (two texts may keep the
 * same bytes when one is longer). Any order of adds and merges picks the same one. */
static int verbatim_better(const cxs__nar_verbatim *a, const cxs__nar_verbatim *b, int sign)
{
    if (!b->set)
        return a->set;
    if (!a->set)
        return 0;
    if (a->score != b->score)
        return sign > 0 ? a->score > b->score : a->score < b->score;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->text, b->text, n);
    if (c || a->len != b->len)
        return c ? c < 0 : a->len < b->len;
    c = strcmp(a->id, b->id);
    return c ? c < 0 : !a->cut && b->cut;
}

static void verbatim_offer(cxs__nar_verbatim *slot, const cxs__nar_verbatim *v, int sign)
{
    if (verbatim_better(v, slot, sign))
        *slot = *v;
}

/* ---- tallies ------------------------------------------------------------------------------- */

/* Score sums add as unsigned (wrapping, never undefined) numbers: a loaded state may hold any
 * sum within its texts' bounds, and merging many could pass the int64 range. */
static int64_t sum_add(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a + (uint64_t)b);
}

static void tally_add(cxs__nar_tally *t, int label, int64_t score)
{
    t->texts++;
    t->pos += label == CXS_LABEL_POSITIVE;
    t->neu += label == CXS_LABEL_NEUTRAL;
    t->neg += label == CXS_LABEL_NEGATIVE;
    t->sum = sum_add(t->sum, score);
}

static void tally_merge(cxs__nar_tally *t, const cxs__nar_tally *f)
{
    t->texts += f->texts;
    t->pos += f->pos;
    t->neu += f->neu;
    t->neg += f->neg;
    t->sum = sum_add(t->sum, f->sum);
}

/* (pos - neg) / k, 0 when k is 0: a net sentiment (k = pos + neg), or a theme's or a term's
 * part in a period's net (k = the period's positive + negative texts). */
static double balance(size_t pos, size_t neg, double k)
{
    return k > 0 ? ((double)pos - (double)neg) / k : 0;
}

/* (positive - negative) / (positive + negative) of a tally, 0 with neither. */
static double net_value(const cxs__nar_tally *t)
{
    return balance(t->pos, t->neg, (double)(t->pos + t->neg));
}

/* Net (pos - neg) / (pos + neg) and its 95% Wilson interval, mapped from the share of
 * positives p to 2p - 1: unlike the normal approximation, it stays inside [-1, 1] and is not
 * zero-width when every text agrees. */
static void net_of(const cxs__nar_tally *t, cxs_net_stats *o)
{
    memset(o, 0, sizeof *o);
    o->texts = t->texts;
    o->positive = t->pos;
    o->neutral = t->neu;
    o->negative = t->neg;
    o->mean_score = t->texts ? (double)t->sum / CXS__NAR_SCORE_UNIT / (double)t->texts : 0;
    size_t k = t->pos + t->neg;
    o->few = k < CXS__NAR_FEW;
    o->net_low = -1;
    o->net_high = 1;
    if (!k)
        return;
    double n = (double)k, p = (double)t->pos / n, z = 1.959964, z2 = z * z;
    double mid = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
    o->net = net_value(t); /* the Wilson interval below is of p = pos / k, mapped by 2p - 1 */
    o->net_low = 2 * (mid - half) - 1;
    o->net_high = 2 * (mid + half) - 1;
    if (o->net_low < -1)
        o->net_low = -1;
    if (o->net_high > 1)
        o->net_high = 1;
}

static size_t wait_bin(double sec)
{
    if (!(sec >= 1))
        return 0;
    double b = floor(log10(sec) * CXS__NAR_BINS_PER_DECADE);
    return b >= CXS__NAR_N_BINS - 2 ? CXS__NAR_N_BINS - 1 : 1 + (size_t)b;
}

/* The bounds of bin b, in seconds: [lo, hi). */
static void bin_bounds(size_t b, double *lo, double *hi)
{
    *lo = b == 0 ? 0 : pow(10.0, (double)(b - 1) / CXS__NAR_BINS_PER_DECADE);
    *hi = b == 0                     ? 1
          : b == CXS__NAR_N_BINS - 1 ? 1e300
                                     : pow(10.0, (double)b / CXS__NAR_BINS_PER_DECADE);
}

/*
 * The q-quantile of a wait tally: the mean of the bin that holds the rank ceil(q * n), held
 * within that bin's bounds (so quantiles never decrease with q, whatever a loaded state
 * holds) and within the least and greatest wait.
 */
static double wait_quantile(const cxs__nar_wait_tally *w, double q)
{
    if (!w->count)
        return 0;
    size_t rank = (size_t)ceil(q * (double)w->count), cum = 0, b = 0;
    if (rank < 1)
        rank = 1;
    for (; b < CXS__NAR_N_BINS - 1; b++) {
        cum += w->bins[b];
        if (cum >= rank)
            break;
    }
    double lo, hi;
    bin_bounds(b, &lo, &hi);
    double v = w->bins[b] ? (double)w->secs[b] / (double)w->bins[b] : lo;
    v = v < lo ? lo : v > hi ? hi : v;
    return v < w->min ? w->min : v > w->max ? w->max : v;
}

static void wait_add(cxs__nar_wait_tally *w, double sec, int breach)
{
    if (!(sec >= 0))
        sec = 0;
    w->min = w->count == 0 || sec < w->min ? sec : w->min;
    w->max = w->count == 0 || sec > w->max ? sec : w->max;
    w->count++;
    w->breaches += breach != 0;
    size_t b = wait_bin(sec);
    w->bins[b]++;
    w->secs[b] += (uint64_t)llround(sec < 1e15 ? sec : 1e15);
}

static void wait_merge(cxs__nar_wait_tally *w, const cxs__nar_wait_tally *f)
{
    if (!f->count)
        return;
    w->min = w->count == 0 || f->min < w->min ? f->min : w->min;
    w->max = w->count == 0 || f->max > w->max ? f->max : w->max;
    w->count += f->count;
    w->breaches += f->breaches;
    for (size_t b = 0; b < CXS__NAR_N_BINS; b++) {
        w->bins[b] += f->bins[b];
        w->secs[b] += f->secs[b];
    }
}

/* ---- groups and periods -------------------------------------------------------------------- */

/* Index of the first group whose key is >= key (binary search); *found when equal. */
size_t cxs__nar_find_group(const cxs_narrative *n, const char *key, int *found)
{
    size_t lo = 0, hi = n->n_groups;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(n->groups[mid]->key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < n->n_groups && strcmp(n->groups[lo]->key, key) == 0;
    return lo;
}

size_t cxs__nar_find_period(const cxs__nar_group *g, const char *key, int *found)
{
    size_t lo = 0, hi = g->n_periods;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(g->periods[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < g->n_periods && strcmp(g->periods[lo].key, key) == 0;
    return lo;
}

void cxs__nar_group_free(const cxs_narrative *n, cxs__nar_group *g)
{
    if (!g)
        return;
    for (size_t p = 0; p < g->n_periods; p++) {
        cxs__free(&n->alloc, g->periods[p].themes, n->n_themes * sizeof(cxs__nar_tally));
        cxs__nar_terms_free(&n->alloc, &g->periods[p].terms);
    }
    cxs__free(&n->alloc, g->periods, g->cap_periods * sizeof *g->periods);
    cxs__free(&n->alloc, g->themes, n->n_themes * sizeof *g->themes);
    cxs__free(&n->alloc, g, sizeof *g);
}

cxs__nar_group *cxs__nar_group_new(const cxs_narrative *n, const char *key)
{
    cxs__nar_group *g = cxs__calloc(&n->alloc, 1, sizeof *g);
    if (!g)
        return NULL;
    strcpy(g->key, key);
    if (n->n_themes && !(g->themes = cxs__calloc(&n->alloc, n->n_themes, sizeof *g->themes))) {
        cxs__free(&n->alloc, g, sizeof *g);
        return NULL;
    }
    return g;
}

/* The theme counts of a new period (NULL on failure; a model without themes needs none). */
int cxs__nar_period_themes_new(const cxs_narrative *n, cxs__nar_tally **out)
{
    *out = NULL;
    if (!n->n_themes)
        return CXS_OK;
    *out = cxs__calloc(&n->alloc, n->n_themes, sizeof(cxs__nar_tally));
    return *out ? CXS_OK : CXS_ENOMEM;
}

/* Insert a period at index at (capacity already there), with its theme counts and its
 * (empty, reserved) term table. */
static void period_insert(cxs__nar_group *g, size_t at, const char *key, cxs__nar_tally *themes,
                          cxs__nar_terms terms)
{
    memmove(&g->periods[at + 1], &g->periods[at], (g->n_periods - at) * sizeof *g->periods);
    cxs__nar_period *p = &g->periods[at];
    memset(p, 0, sizeof *p);
    strcpy(p->key, key);
    p->themes = themes;
    p->terms = terms;
    g->n_periods++;
}

static void group_insert(cxs_narrative *n, size_t at, cxs__nar_group *g)
{
    memmove(&n->groups[at + 1], &n->groups[at], (n->n_groups - at) * sizeof *n->groups);
    n->groups[at] = g;
    n->n_groups++;
}

/* ---- public: life cycle and adding --------------------------------------------------------- */

int cxs_narrative_new(cxs_narrative **out, const cxs_model *model, cxs_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !model)
        return cxs__error_set(err, CXS_EINVAL, "<narrative>", 0, 0, "NULL argument");
    cxs_narrative *n = cxs__calloc(&model->alloc, 1, sizeof *n);
    if (!n)
        return cxs__error_set(err, CXS_ENOMEM, "<narrative>", 0, 0, "out of memory");
    n->model = model;
    n->alloc = model->alloc;
    n->n_themes = model->n_themes;
    *out = n;
    return CXS_OK;
}

void cxs_narrative_free(cxs_narrative *nar)
{
    if (!nar)
        return;
    cxs__alloc a = nar->alloc;
    for (size_t i = 0; i < nar->n_groups; i++)
        cxs__nar_group_free(nar, nar->groups[i]);
    cxs__free(&a, nar->groups, nar->cap_groups * sizeof *nar->groups);
    cxs__free(&a, nar, sizeof *nar);
}

/* The model's index of a result's theme name, or n_themes if the model has no such theme. */
static size_t theme_index(const cxs_narrative *n, const char *name)
{
    for (size_t k = 0; k < n->n_themes; k++)
        if (!strcmp(n->model->theme_names[k], name))
            return k;
    return n->n_themes;
}

static void make_verbatim(cxs__nar_verbatim *v, const cxs_record_info *info, double score)
{
    v->set = 1;
    v->score = score_units(score);
    make_key(v->id, CXS__NAR_ID_MAX, info ? info->id : NULL);
    const char *text = info && info->text ? info->text : "";
    size_t len = info && info->text ? info->len : 0;
    v->len = copy_cut(v->text, CXS__NAR_VERBATIM_MAX, text, len);
    v->cut = v->len < len;
}

/* The distinct lexicon terms that scored in a result (up to CXS__NAR_TEXT_TERMS), each with
 * the sign of its first score: +1 or -1 in sign[k]. */
static size_t text_terms(const cxs_result *res, char (*key)[CXS__NAR_TERM_MAX + 1], int *sign)
{
    size_t len, nk = 0;
    const char *text = cxs__result_text(res, &len);
    for (size_t i = 0; i < cxs_result_term_count(res); i++) {
        cxs_term t;
        cxs_result_term(&t, res, i);
        if (t.valence == 0 || t.score == 0 || t.end > len || t.start >= t.end)
            continue;
        char k[CXS__NAR_TERM_MAX + 1];
        if (!cxs__nar_term_key(k, text, t.start, t.end, (t.rules & CXS_RULE_NEGATED) != 0))
            continue;
        size_t j = 0;
        while (j < nk && strcmp(key[j], k))
            j++;
        if (j < nk)
            continue;
        if (nk == CXS__NAR_TEXT_TERMS)
            break;
        strcpy(key[nk], k);
        sign[nk++] = t.score > 0 ? 1 : -1;
    }
    return nk;
}

int cxs_narrative_add(cxs_narrative *nar, const cxs_result *res, const cxs_record_info *info,
                      cxs_error *err)
{
    if (!nar || !res)
        return cxs__error_set(err, CXS_EINVAL, "<narrative>", 0, 0, "NULL argument");
    /* check the whole record before anything changes */
    size_t n_th = cxs_result_theme_count(res);
    size_t idx[CXS__MAX_THEMES];
    cxs_theme th[CXS__MAX_THEMES];
    if (n_th > CXS__MAX_THEMES)
        n_th = CXS__MAX_THEMES;
    for (size_t i = 0; i < n_th; i++) {
        cxs_result_theme(&th[i], res, i);
        if ((idx[i] = theme_index(nar, th[i].theme)) == nar->n_themes)
            return cxs__error_set(err, CXS_EINVAL, "<narrative>", 0, 0,
                                  "theme \"%s\" is not a theme of the narrative's model",
                                  th[i].theme);
    }
    double rmax = info ? info->rating_max : 0, rating = info ? info->rating : 0;
    if (!(rmax >= 0 && rmax < 1e12) || (rmax > 0 && !(rating >= 0 && rating <= rmax)))
        return cxs__error_set(err, CXS_EINVAL, "<narrative>", 0, 0,
                              "rating %g is not within its scale 0..%g", rating, rmax);
    char gkey[CXS__NAR_GROUP_MAX + 1], pkey[CXS__NAR_PERIOD_MAX + 1];
    make_key(gkey, CXS__NAR_GROUP_MAX, info ? info->group : NULL);
    make_key(pkey, CXS__NAR_PERIOD_MAX, info ? info->period : NULL);
    /* the text's terms, each once, with the sign it first scored with (a period's only) */
    char tkey[CXS__NAR_TEXT_TERMS][CXS__NAR_TERM_MAX + 1];
    int tpos[CXS__NAR_TEXT_TERMS];
    size_t nk = 0;
    if (pkey[0])
        nk = text_terms(res, tkey, tpos);

    /* allocate what a new group or period needs first: on failure nothing has changed */
    int gfound, pfound = 1;
    size_t gat = cxs__nar_find_group(nar, gkey, &gfound), pat = 0;
    cxs__nar_group *g = gfound ? nar->groups[gat] : NULL, *fresh = NULL;
    cxs__nar_tally *pthemes = NULL;
    cxs__nar_terms pterms = {NULL, 0, 0};
    if (!g) {
        if (cxs__grow(&nar->alloc, (void **)&nar->groups, &nar->cap_groups, nar->n_groups + 1,
                      sizeof *nar->groups) ||
            !(fresh = cxs__nar_group_new(nar, gkey)))
            return cxs__error_set(err, CXS_ENOMEM, "<narrative>", 0, 0, "out of memory");
    }
    cxs__nar_group *target = g ? g : fresh;
    if (pkey[0]) {
        pat = cxs__nar_find_period(target, pkey, &pfound);
        /* the term table last: growing an existing one changes nothing it holds */
        if ((!pfound && (cxs__grow(&nar->alloc, (void **)&target->periods, &target->cap_periods,
                                   target->n_periods + 1, sizeof *target->periods) ||
                         cxs__nar_period_themes_new(nar, &pthemes) ||
                         cxs__nar_terms_reserve(&nar->alloc, &pterms, nk))) ||
            (pfound && cxs__nar_terms_reserve(&nar->alloc, &target->periods[pat].terms, nk))) {
            cxs__free(&nar->alloc, pthemes, nar->n_themes * sizeof *pthemes);
            cxs__nar_terms_free(&nar->alloc, &pterms);
            cxs__nar_group_free(nar, fresh);
            return cxs__error_set(err, CXS_ENOMEM, "<narrative>", 0, 0, "out of memory");
        }
    }
    if (fresh)
        group_insert(nar, gat, fresh);
    if (!pfound)
        period_insert(target, pat, pkey, pthemes, pterms);
    g = target;
    cxs__nar_period *p = pkey[0] ? &g->periods[pat] : NULL;

    const cxs_scores *s = cxs_result_scores(res);
    int label = cxs_result_label(res);
    int64_t sc = score_units(s->compound);
    tally_add(&g->t, label, sc);
    if (p) {
        tally_add(&p->t, label, sc);
        for (size_t k = 0; k < nk; k++)
            cxs__nar_terms_add(&p->terms, tkey[k], tpos[k] > 0, tpos[k] < 0);
    }

    cxs__nar_verbatim v;
    memset(&v, 0, sizeof v);
    int want_text = info && info->text && info->len > 0;
    if (want_text) {
        make_verbatim(&v, info, s->compound);
        if (label == CXS_LABEL_POSITIVE)
            verbatim_offer(&g->best, &v, 1);
        if (label == CXS_LABEL_NEGATIVE)
            verbatim_offer(&g->worst, &v, -1);
    }
    for (size_t i = 0; i < n_th; i++) {
        cxs__nar_theme_tally *tt = &g->themes[idx[i]];
        int64_t ts = score_units(th[i].score);
        tally_add(&tt->t, th[i].polarity, ts);
        if (th[i].level >= 0 && th[i].level < 3)
            tt->level[th[i].level]++;
        if (p)
            tally_add(&p->themes[idx[i]], th[i].polarity, ts);
        if (want_text) {
            v.score = ts;
            if (th[i].polarity == CXS_LABEL_POSITIVE)
                verbatim_offer(&tt->best, &v, 1);
            if (th[i].polarity == CXS_LABEL_NEGATIVE)
                verbatim_offer(&tt->worst, &v, -1);
        }
    }
    unsigned in = cxs_result_intents(res);
    for (unsigned k = 0; k < CXS__NAR_N_INTENTS; k++)
        g->intents[k] += (in >> k) & 1u;
    for (size_t i = 0; i < cxs_result_wait_count(res); i++) {
        cxs_wait w;
        if (cxs_result_wait(&w, res, i) || w.channel < 0 || w.channel >= CXS__NAR_N_CHANNELS)
            continue;
        wait_add(&g->waits[w.channel], w.seconds, w.breach);
    }
    if (rmax > 0) {
        double frac = rating / rmax;
        g->rated++;
        if (want_text)
            v.score = sc;
        if (frac >= CXS__NAR_RATING_HIGH && label == CXS_LABEL_NEGATIVE) {
            g->high_neg++;
            if (want_text)
                verbatim_offer(&g->high_neg_v, &v, -1);
        }
        if (frac <= CXS__NAR_RATING_LOW && label == CXS_LABEL_POSITIVE) {
            g->low_pos++;
            if (want_text)
                verbatim_offer(&g->low_pos_v, &v, 1);
        }
    }
    return CXS_OK;
}

/* ---- merging ------------------------------------------------------------------------------- */

/* A deep copy of group f (NULL on failure). */
static cxs__nar_group *group_clone(const cxs_narrative *n, const cxs__nar_group *f)
{
    cxs__nar_group *g = cxs__malloc(&n->alloc, sizeof *g);
    if (!g)
        return NULL;
    *g = *f;
    g->themes = NULL;
    g->periods = NULL;
    g->n_periods = g->cap_periods = 0;
    if (n->n_themes && !(g->themes = cxs__malloc(&n->alloc, n->n_themes * sizeof *g->themes)))
        goto fail;
    if (n->n_themes)
        memcpy(g->themes, f->themes, n->n_themes * sizeof *g->themes);
    if (f->n_periods) {
        if (!(g->periods = cxs__calloc(&n->alloc, f->n_periods, sizeof *g->periods)))
            goto fail;
        g->cap_periods = f->n_periods;
        for (size_t p = 0; p < f->n_periods; p++) {
            g->periods[p] = f->periods[p];
            g->periods[p].themes = NULL;
            g->periods[p].terms = (cxs__nar_terms){NULL, 0, 0};
            g->n_periods = p + 1;
            if (cxs__nar_period_themes_new(n, &g->periods[p].themes) ||
                cxs__nar_terms_copy(&n->alloc, &g->periods[p].terms, &f->periods[p].terms))
                goto fail;
            if (n->n_themes)
                memcpy(g->periods[p].themes, f->periods[p].themes,
                       n->n_themes * sizeof(cxs__nar_tally));
        }
    }
    return g;
fail:
    cxs__nar_group_free(n, g);
    return NULL;
}

static void theme_merge(cxs__nar_theme_tally *t, const cxs__nar_theme_tally *f)
{
    tally_merge(&t->t, &f->t);
    for (int l = 0; l < 3; l++)
        t->level[l] += f->level[l];
    verbatim_offer(&t->best, &f->best, 1);
    verbatim_offer(&t->worst, &f->worst, -1);
}

/* What a period that `into` lacks needs, allocated before the merge changes anything. */
typedef struct pending_period {
    cxs__nar_tally *themes;
    cxs__nar_terms terms; /* empty, with room for the terms of the period merged in */
} pending_period;

/* Add group f into g, whose periods array already has room for f's new periods, whose term
 * tables have room for f's terms, and whose new periods are in pend (one per period of f that
 * g lacks, in f's order). */
static void group_merge(const cxs_narrative *n, cxs__nar_group *g, const cxs__nar_group *f,
                        const pending_period *pend)
{
    tally_merge(&g->t, &f->t);
    for (size_t k = 0; k < n->n_themes; k++)
        theme_merge(&g->themes[k], &f->themes[k]);
    for (int k = 0; k < CXS__NAR_N_INTENTS; k++)
        g->intents[k] += f->intents[k];
    for (int c = 0; c < CXS__NAR_N_CHANNELS; c++)
        wait_merge(&g->waits[c], &f->waits[c]);
    g->rated += f->rated;
    g->high_neg += f->high_neg;
    g->low_pos += f->low_pos;
    verbatim_offer(&g->best, &f->best, 1);
    verbatim_offer(&g->worst, &f->worst, -1);
    verbatim_offer(&g->high_neg_v, &f->high_neg_v, -1);
    verbatim_offer(&g->low_pos_v, &f->low_pos_v, 1);
    size_t used = 0;
    for (size_t q = 0; q < f->n_periods; q++) {
        const cxs__nar_period *fp = &f->periods[q];
        int found;
        size_t at = cxs__nar_find_period(g, fp->key, &found);
        if (!found) {
            period_insert(g, at, fp->key, pend[used].themes, pend[used].terms);
            used++;
        }
        cxs__nar_period *p = &g->periods[at];
        tally_merge(&p->t, &fp->t);
        for (size_t k = 0; k < n->n_themes; k++)
            tally_merge(&p->themes[k], &fp->themes[k]);
        for (size_t k = 0; k < fp->terms.cap; k++)
            if (fp->terms.slot[k].key[0])
                cxs__nar_terms_add(&p->terms, fp->terms.slot[k].key, fp->terms.slot[k].pos,
                                   fp->terms.slot[k].neg);
    }
}

static int same_themes(const cxs_narrative *a, const cxs_narrative *b)
{
    if (a->n_themes != b->n_themes)
        return 0;
    for (size_t k = 0; k < a->n_themes; k++)
        if (strcmp(a->model->theme_names[k], b->model->theme_names[k]))
            return 0;
    return 1;
}

int cxs_narrative_merge(cxs_narrative *into, const cxs_narrative *from, cxs_error *err)
{
    if (!into || !from || into == from)
        return cxs__error_set(err, CXS_EINVAL, "<narrative>", 0, 0,
                              into && into == from ? "a narrative cannot merge itself"
                                                   : "NULL argument");
    if (!same_themes(into, from))
        return cxs__error_set(err, CXS_EINVAL, "<narrative>", 0, 0,
                              "the narratives come from models with different themes");
    /*
     * Two phases, so that a failed allocation leaves `into` as it was: first every allocation
     * (copies of the groups into lacks, the periods it lacks, room in the arrays and term
     * tables), then the additions, which cannot fail.
     */
    const cxs__alloc *a = &into->alloc;
    size_t nf = from->n_groups, n_new_groups = 0, n_pt = 0;
    cxs__nar_group **clones = NULL;
    pending_period *pt = NULL; /* new periods of existing groups, in merge order */
    size_t *pt_first = NULL;   /* per group of from: its first entry in pt */
    int rc = CXS_OK;
    if (nf) {
        clones = cxs__calloc(a, nf, sizeof *clones);
        pt_first = cxs__calloc(a, nf + 1, sizeof *pt_first);
        if (!clones || !pt_first)
            rc = CXS_ENOMEM;
    }
    size_t pt_cap = 0;
    for (size_t i = 0; i < nf && !rc; i++) {
        const cxs__nar_group *f = from->groups[i];
        int found;
        size_t at = cxs__nar_find_group(into, f->key, &found);
        pt_first[i] = n_pt;
        if (!found) {
            if (!(clones[i] = group_clone(into, f)))
                rc = CXS_ENOMEM;
            n_new_groups++;
            continue;
        }
        cxs__nar_group *g = into->groups[at];
        size_t missing = 0;
        for (size_t q = 0; q < f->n_periods && !rc; q++) {
            int pf;
            size_t pat = cxs__nar_find_period(g, f->periods[q].key, &pf);
            missing += !pf;
            /* room for its terms in a period both have (growing a table changes nothing) */
            if (pf && cxs__nar_terms_reserve(a, &g->periods[pat].terms, f->periods[q].terms.n))
                rc = CXS_ENOMEM;
        }
        if (!missing || rc)
            continue;
        if (cxs__grow(a, (void **)&g->periods, &g->cap_periods, g->n_periods + missing,
                      sizeof *g->periods) ||
            cxs__grow(a, (void **)&pt, &pt_cap, n_pt + missing, sizeof *pt)) {
            rc = CXS_ENOMEM;
            break;
        }
        for (size_t q = 0; q < f->n_periods && !rc; q++) {
            int pf;
            cxs__nar_find_period(g, f->periods[q].key, &pf);
            if (pf)
                continue;
            pending_period *pp = &pt[n_pt];
            pp->themes = NULL;
            pp->terms = (cxs__nar_terms){NULL, 0, 0};
            if (cxs__nar_period_themes_new(into, &pp->themes) ||
                cxs__nar_terms_reserve(a, &pp->terms, f->periods[q].terms.n)) {
                cxs__free(a, pp->themes, into->n_themes * sizeof(cxs__nar_tally));
                rc = CXS_ENOMEM;
            } else {
                n_pt++;
            }
        }
    }
    if (!rc && n_new_groups &&
        cxs__grow(a, (void **)&into->groups, &into->cap_groups, into->n_groups + n_new_groups,
                  sizeof *into->groups))
        rc = CXS_ENOMEM;
    if (rc) {
        for (size_t i = 0; clones && i < nf; i++)
            cxs__nar_group_free(into, clones[i]);
        for (size_t q = 0; q < n_pt; q++) {
            cxs__free(a, pt[q].themes, into->n_themes * sizeof(cxs__nar_tally));
            cxs__nar_terms_free(a, &pt[q].terms);
        }
    } else {
        for (size_t i = 0; i < nf; i++) {
            int found;
            size_t at = cxs__nar_find_group(into, from->groups[i]->key, &found);
            if (clones[i])
                group_insert(into, at, clones[i]);
            else
                group_merge(into, into->groups[at], from->groups[i], pt ? pt + pt_first[i] : NULL);
        }
    }
    cxs__free(a, clones, nf * sizeof *clones);
    cxs__free(a, pt_first, (nf + 1) * sizeof *pt_first);
    cxs__free(a, pt, pt_cap * sizeof *pt);
    if (rc)
        return cxs__error_set(err, rc, "<narrative>", 0, 0, "out of memory");
    return CXS_OK;
}

/* ---- reading ------------------------------------------------------------------------------- */

size_t cxs_narrative_group_count(const cxs_narrative *nar)
{
    return nar ? nar->n_groups : 0;
}

const char *cxs_narrative_group_name(const cxs_narrative *nar, size_t g)
{
    return nar && g < nar->n_groups ? nar->groups[g]->key : NULL;
}

int cxs_narrative_group(cxs_net_stats *out, const cxs_narrative *nar, size_t g)
{
    if (!out || !nar || g >= nar->n_groups)
        return CXS_EINVAL;
    net_of(&nar->groups[g]->t, out);
    return CXS_OK;
}

int cxs_narrative_theme(cxs_theme_stats *out, const cxs_narrative *nar, size_t g, size_t t)
{
    if (!out || !nar || g >= nar->n_groups || t >= nar->n_themes)
        return CXS_EINVAL;
    const cxs__nar_group *gr = nar->groups[g];
    const cxs__nar_theme_tally *tt = &gr->themes[t];
    memset(out, 0, sizeof *out);
    net_of(&tt->t, &out->net);
    out->share = gr->t.texts ? (double)tt->t.texts / (double)gr->t.texts : 0;
    out->baseline = tt->level[CXS_LEVEL_BASELINE];
    out->delight = tt->level[CXS_LEVEL_DELIGHT];
    out->failure = tt->level[CXS_LEVEL_FAILURE];
    return CXS_OK;
}

int cxs_narrative_wait(cxs_wait_stats *out, const cxs_narrative *nar, size_t g, int channel)
{
    if (!out || !nar || g >= nar->n_groups || channel < 0 || channel >= CXS__NAR_N_CHANNELS)
        return CXS_EINVAL;
    const cxs__nar_wait_tally *w = &nar->groups[g]->waits[channel];
    out->count = w->count;
    out->breaches = w->breaches;
    out->median = wait_quantile(w, 0.5);
    out->p90 = wait_quantile(w, 0.9);
    return CXS_OK;
}

size_t cxs_narrative_intent_count(const cxs_narrative *nar, size_t g, unsigned intent)
{
    if (!nar || g >= nar->n_groups || !intent || (intent & (intent - 1)) ||
        intent >= (1u << CXS__NAR_N_INTENTS))
        return 0;
    unsigned k = 0;
    while (!((intent >> k) & 1u))
        k++;
    return nar->groups[g]->intents[k];
}


/*
 * The change of group g between its last two periods: per theme mentioned in either, its
 * mentions and net in each, and its effect, the change in (positive - negative mentions) /
 * (positive + negative texts) of the period: how much the theme moved the group's balance.
 * Largest |effect| first, ties in the model's order. Returns the count (0 with < 2 periods).
 */
static size_t change_of(const cxs_narrative *n, const cxs__nar_group *g,
                        cxs_theme_change out[CXS__MAX_THEMES])
{
    if (g->n_periods < 2)
        return 0;
    const cxs__nar_period *a = &g->periods[g->n_periods - 2], *b = &g->periods[g->n_periods - 1];
    double ka = (double)(a->t.pos + a->t.neg), kb = (double)(b->t.pos + b->t.neg);
    size_t k = 0;
    for (size_t t = 0; t < n->n_themes; t++) {
        const cxs__nar_tally *ta = &a->themes[t], *tb = &b->themes[t];
        if (!ta->texts && !tb->texts)
            continue;
        cxs_theme_change c;
        c.theme = t;
        c.mentions_from = ta->texts;
        c.mentions_to = tb->texts;
        c.net_from = net_value(ta);
        c.net_to = net_value(tb);
        c.effect = balance(tb->pos, tb->neg, kb) - balance(ta->pos, ta->neg, ka);
        size_t j = k++;
        while (j > 0 && fabs(out[j - 1].effect) < fabs(c.effect)) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = c;
    }
    return k;
}

/* Whether term change x goes before y: the larger |effect|, then the key in byte order. */
static int term_before(const cxs_term_change *x, const cxs_term_change *y)
{
    double ax = fabs(x->effect), ay = fabs(y->effect);
    return ax != ay ? ax > ay : strcmp(x->term, y->term) < 0;
}

/* Offer c to the best `cap` kept in out[0..*k), in order. */
static void keep_best(cxs_term_change *out, size_t cap, size_t *k, const cxs_term_change *c)
{
    if (!cap || (*k == cap && !term_before(c, &out[cap - 1])))
        return;
    size_t j = *k < cap ? (*k)++ : cap - 1;
    while (j > 0 && term_before(c, &out[j - 1])) {
        out[j] = out[j - 1];
        j--;
    }
    out[j] = *c;
}

static void term_change(cxs_term_change *c, const char *key, const cxs__nar_term *ta,
                        const cxs__nar_term *tb, double ka, double kb)
{
    c->term = key;
    c->pos_from = ta ? ta->pos : 0;
    c->neg_from = ta ? ta->neg : 0;
    c->pos_to = tb ? tb->pos : 0;
    c->neg_to = tb ? tb->neg : 0;
    c->effect = balance(c->pos_to, c->neg_to, kb) - balance(c->pos_from, c->neg_from, ka);
}

/* The terms of the last two periods of g: the best `cap` into out; returns how many there are. */
static size_t term_changes(const cxs__nar_group *g, cxs_term_change *out, size_t cap)
{
    if (g->n_periods < 2)
        return 0;
    const cxs__nar_period *a = &g->periods[g->n_periods - 2], *b = &g->periods[g->n_periods - 1];
    double ka = (double)(a->t.pos + a->t.neg), kb = (double)(b->t.pos + b->t.neg);
    size_t total = 0, k = 0;
    cxs_term_change c;
    for (size_t i = 0; i < a->terms.cap; i++) {
        const cxs__nar_term *ta = &a->terms.slot[i];
        if (!ta->key[0])
            continue;
        term_change(&c, ta->key, ta, cxs__nar_terms_get(&b->terms, ta->key), ka, kb);
        keep_best(out, cap, &k, &c);
        total++;
    }
    for (size_t i = 0; i < b->terms.cap; i++) {
        const cxs__nar_term *tb = &b->terms.slot[i];
        if (!tb->key[0] || cxs__nar_terms_get(&a->terms, tb->key))
            continue;
        term_change(&c, tb->key, NULL, tb, ka, kb);
        keep_best(out, cap, &k, &c);
        total++;
    }
    return total;
}

size_t cxs_narrative_change_terms(cxs_term_change *out, size_t cap, const cxs_narrative *nar,
                                  size_t g)
{
    if (!nar || g >= nar->n_groups)
        return 0;
    return term_changes(nar->groups[g], out, out ? cap : 0);
}

size_t cxs_narrative_change(cxs_theme_change *out, size_t cap, size_t *from, size_t *to,
                            const cxs_narrative *nar, size_t g)
{
    if (!nar || g >= nar->n_groups || nar->groups[g]->n_periods < 2)
        return 0;
    const cxs__nar_group *gr = nar->groups[g];
    cxs_theme_change all[CXS__MAX_THEMES];
    size_t k = change_of(nar, gr, all);
    if (out)
        memcpy(out, all, (k < cap ? k : cap) * sizeof *out);
    if (from)
        *from = gr->n_periods - 2;
    if (to)
        *to = gr->n_periods - 1;
    return k;
}

size_t cxs_narrative_period_count(const cxs_narrative *nar, size_t g)
{
    return nar && g < nar->n_groups ? nar->groups[g]->n_periods : 0;
}

const char *cxs_narrative_period_name(const cxs_narrative *nar, size_t g, size_t p)
{
    return p < cxs_narrative_period_count(nar, g) ? nar->groups[g]->periods[p].key : NULL;
}

int cxs_narrative_period(cxs_net_stats *out, const cxs_narrative *nar, size_t g, size_t p)
{
    if (!out || p >= cxs_narrative_period_count(nar, g))
        return CXS_EINVAL;
    net_of(&nar->groups[g]->periods[p].t, out);
    return CXS_OK;
}

int cxs_narrative_ratings(cxs_rating_stats *out, const cxs_narrative *nar, size_t g)
{
    if (!out || !nar || g >= nar->n_groups)
        return CXS_EINVAL;
    const cxs__nar_group *gr = nar->groups[g];
    out->rated = gr->rated;
    out->high_rating_negative_text = gr->high_neg;
    out->low_rating_positive_text = gr->low_pos;
    return CXS_OK;
}

int cxs_narrative_verbatim(cxs_verbatim *out, const cxs_narrative *nar, size_t g, int kind,
                           size_t theme)
{
    if (!out || !nar || g >= nar->n_groups)
        return CXS_EINVAL;
    const cxs__nar_group *gr = nar->groups[g];
    const cxs__nar_verbatim *v;
    int of_theme = kind == CXS_VERBATIM_THEME_POSITIVE || kind == CXS_VERBATIM_THEME_NEGATIVE;
    if (of_theme && theme >= nar->n_themes)
        return CXS_EINVAL;
    switch (kind) {
    case CXS_VERBATIM_MOST_POSITIVE: v = &gr->best; break;
    case CXS_VERBATIM_MOST_NEGATIVE: v = &gr->worst; break;
    case CXS_VERBATIM_THEME_POSITIVE: v = &gr->themes[theme].best; break;
    case CXS_VERBATIM_THEME_NEGATIVE: v = &gr->themes[theme].worst; break;
    case CXS_VERBATIM_HIGH_RATING_NEGATIVE: v = &gr->high_neg_v; break;
    case CXS_VERBATIM_LOW_RATING_POSITIVE: v = &gr->low_pos_v; break;
    default: return CXS_EINVAL;
    }
    memset(out, 0, sizeof *out);
    if (!v->set)
        return CXS_OK;
    out->id = v->id;
    out->text = v->text;
    out->len = v->len;
    out->score = (double)v->score / CXS__NAR_SCORE_UNIT;
    out->cut = v->cut;
    return CXS_OK;
}

/* ---- JSON ---------------------------------------------------------------------------------- */

/* A literal (a member's key) and then a number: most lines of the JSON below. */
static void put_uint_after(cxs__jw *w, const char *lit, size_t v)
{
    cxs__jw_puts(w, lit);
    cxs__jw_uint(w, v);
}

static void put_num_after(cxs__jw *w, const char *lit, double v)
{
    cxs__jw_puts(w, lit);
    cxs__jw_num(w, v);
}

static void put_key(cxs__jw *w, const char *k)
{
    cxs__jw_put(w, "\"", 1);
    cxs__jw_puts(w, k);
    cxs__jw_put(w, "\":", 2);
}

static void put_net(cxs__jw *w, const cxs__nar_tally *t)
{
    cxs_net_stats s;
    net_of(t, &s);
    put_key(w, "texts");
    cxs__jw_uint(w, s.texts);
    put_uint_after(w, ",\"positive\":", s.positive);
    put_uint_after(w, ",\"neutral\":", s.neutral);
    put_uint_after(w, ",\"negative\":", s.negative);
    put_num_after(w, ",\"mean_score\":", s.mean_score);
    put_num_after(w, ",\"net\":", s.net);
    put_num_after(w, ",\"net_ci95\":[", s.net_low);
    cxs__jw_put(w, ",", 1);
    cxs__jw_num(w, s.net_high);
    cxs__jw_puts(w, "],\"few\":");
    cxs__jw_puts(w, s.few ? "true" : "false");
}

static void put_verbatim(cxs__jw *w, const char *name, const cxs__nar_verbatim *v, int *first)
{
    if (!v->set)
        return;
    if (!*first)
        cxs__jw_put(w, ",", 1);
    *first = 0;
    put_key(w, name);
    cxs__jw_puts(w, "{\"id\":");
    cxs__jw_cstr(w, v->id);
    put_num_after(w, ",\"score\":", (double)v->score / CXS__NAR_SCORE_UNIT);
    cxs__jw_puts(w, ",\"text\":");
    cxs__jw_str(w, v->text, v->len);
    cxs__jw_puts(w, ",\"cut\":");
    cxs__jw_puts(w, v->cut ? "true" : "false");
    cxs__jw_put(w, "}", 1);
}

/* Themes of a group, most mentioned first (ties in the model's order). */
static size_t theme_order(const cxs_narrative *n, const cxs__nar_group *g, size_t *order)
{
    size_t k = 0;
    for (size_t t = 0; t < n->n_themes; t++) {
        if (!g->themes[t].t.texts)
            continue;
        size_t j = k++;
        while (j > 0 && g->themes[order[j - 1]].t.texts < g->themes[t].t.texts) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = t;
    }
    return k;
}

size_t cxs_narrative_theme_ranking(size_t *out, size_t cap, const cxs_narrative *nar, size_t g)
{
    if (!nar || g >= nar->n_groups)
        return 0;
    size_t order[CXS__MAX_THEMES], k = theme_order(nar, nar->groups[g], order);
    if (out)
        memcpy(out, order, (k < cap ? k : cap) * sizeof *order);
    return k;
}


/*
 * The change between the last two periods: the group's net then and now, and per theme its
 * net then and now and its effect, the change in (positive - negative mentions) / (positive +
 * negative texts) of the group: how much the theme moved the balance. Largest effect first.
 */
static void put_change(cxs__jw *w, const cxs_narrative *n, const cxs__nar_group *g)
{
    const cxs__nar_period *a = &g->periods[g->n_periods - 2], *b = &g->periods[g->n_periods - 1];
    cxs__jw_puts(w, ",\"change\":{\"from\":");
    cxs__jw_cstr(w, a->key);
    cxs__jw_puts(w, ",\"to\":");
    cxs__jw_cstr(w, b->key);
    put_num_after(w, ",\"net_from\":", net_value(&a->t));
    put_num_after(w, ",\"net_to\":", net_value(&b->t));
    put_num_after(w, ",\"delta\":", net_value(&b->t) - net_value(&a->t));
    cxs__jw_puts(w, ",\"themes\":[");
    cxs_theme_change ch[CXS__MAX_THEMES];
    size_t k = change_of(n, g, ch);
    for (size_t i = 0; i < k; i++) {
        const char *name = n->model->theme_names[ch[i].theme];
        if (i)
            cxs__jw_put(w, ",", 1);
        cxs__jw_puts(w, "{\"theme\":");
        cxs__jw_cstr(w, name);
        put_uint_after(w, ",\"mentions_from\":", ch[i].mentions_from);
        put_uint_after(w, ",\"mentions_to\":", ch[i].mentions_to);
        put_num_after(w, ",\"net_from\":", ch[i].net_from);
        put_num_after(w, ",\"net_to\":", ch[i].net_to);
        put_num_after(w, ",\"effect\":", ch[i].effect);
        cxs__jw_put(w, "}", 1);
    }
    cxs__jw_puts(w, "],\"terms\":[");
    cxs_term_change tc[CXS__NAR_JSON_TERMS];
    size_t nt = term_changes(g, tc, CXS__NAR_JSON_TERMS);
    for (size_t i = 0; i < nt && i < CXS__NAR_JSON_TERMS; i++) {
        if (i)
            cxs__jw_put(w, ",", 1);
        cxs__jw_puts(w, "{\"term\":");
        cxs__jw_cstr(w, tc[i].term);
        put_uint_after(w, ",\"positive_from\":", tc[i].pos_from);
        put_uint_after(w, ",\"negative_from\":", tc[i].neg_from);
        put_uint_after(w, ",\"positive_to\":", tc[i].pos_to);
        put_uint_after(w, ",\"negative_to\":", tc[i].neg_to);
        put_num_after(w, ",\"effect\":", tc[i].effect);
        cxs__jw_put(w, "}", 1);
    }
    cxs__jw_puts(w, "]}");
}

static void put_group(cxs__jw *w, const cxs_narrative *n, const cxs__nar_group *g, unsigned flags)
{
    int verb = !(flags & CXS_NARRATIVE_NO_VERBATIMS), first;
    double texts = g->t.texts ? (double)g->t.texts : 1;
    cxs__jw_puts(w, "{\"group\":");
    cxs__jw_cstr(w, g->key);
    cxs__jw_puts(w, ",\"sentiment\":{");
    put_net(w, &g->t);
    cxs__jw_puts(w, "},\"themes\":[");
    size_t order[CXS__MAX_THEMES], k = theme_order(n, g, order);
    for (size_t i = 0; i < k; i++) {
        const cxs__nar_theme_tally *tt = &g->themes[order[i]];
        const char *name = n->model->theme_names[order[i]];
        if (i)
            cxs__jw_put(w, ",", 1);
        cxs__jw_puts(w, "{\"theme\":");
        cxs__jw_cstr(w, name);
        put_num_after(w, ",\"share\":", (double)tt->t.texts / texts);
        cxs__jw_put(w, ",", 1);
        put_net(w, &tt->t);
        put_uint_after(w, ",\"baseline\":", tt->level[CXS_LEVEL_BASELINE]);
        put_uint_after(w, ",\"delight\":", tt->level[CXS_LEVEL_DELIGHT]);
        put_uint_after(w, ",\"failure\":", tt->level[CXS_LEVEL_FAILURE]);
        if (verb) {
            cxs__jw_puts(w, ",\"verbatims\":{");
            first = 1;
            put_verbatim(w, "positive", &tt->best, &first);
            put_verbatim(w, "negative", &tt->worst, &first);
            cxs__jw_put(w, "}", 1);
        }
        cxs__jw_put(w, "}", 1);
    }
    cxs__jw_puts(w, "],\"intents\":{");
    for (unsigned i = 0; i < CXS__NAR_N_INTENTS; i++) {
        if (i)
            cxs__jw_put(w, ",", 1);
        put_key(w, cxs_intent_name(1u << i));
        put_uint_after(w, "{\"count\":", g->intents[i]);
        put_num_after(w, ",\"rate\":", (double)g->intents[i] / texts);
        cxs__jw_put(w, "}", 1);
    }
    cxs__jw_puts(w, "},\"waits\":[");
    first = 1;
    for (int c = 0; c < CXS__NAR_N_CHANNELS; c++) {
        const cxs__nar_wait_tally *wt = &g->waits[c];
        if (!wt->count)
            continue;
        if (!first)
            cxs__jw_put(w, ",", 1);
        first = 0;
        cxs__jw_puts(w, "{\"channel\":\"");
        cxs__jw_puts(w, cxs_channel_name(c));
        put_uint_after(w, "\",\"count\":", wt->count);
        put_uint_after(w, ",\"median_seconds\":", (size_t)llround(wait_quantile(wt, 0.5)));
        put_uint_after(w, ",\"p90_seconds\":", (size_t)llround(wait_quantile(wt, 0.9)));
        put_uint_after(w, ",\"breaches\":", wt->breaches);
        put_num_after(w, ",\"breach_rate\":", (double)wt->breaches / (double)wt->count);
        cxs__jw_put(w, "}", 1);
    }
    put_uint_after(w, "],\"ratings\":{\"rated\":", g->rated);
    put_uint_after(w, ",\"high_rating_negative_text\":", g->high_neg);
    put_uint_after(w, ",\"low_rating_positive_text\":", g->low_pos);
    if (verb) {
        cxs__jw_puts(w, ",\"verbatims\":{");
        first = 1;
        put_verbatim(w, "high_rating_negative_text", &g->high_neg_v, &first);
        put_verbatim(w, "low_rating_positive_text", &g->low_pos_v, &first);
        cxs__jw_put(w, "}", 1);
    }
    cxs__jw_puts(w, "},\"periods\":[");
    for (size_t p = 0; p < g->n_periods; p++) {
        const cxs__nar_period *pe = &g->periods[p];
        if (p)
            cxs__jw_put(w, ",", 1);
        cxs__jw_puts(w, "{\"period\":");
        cxs__jw_cstr(w, pe->key);
        cxs__jw_put(w, ",", 1);
        put_net(w, &pe->t);
        cxs__jw_put(w, "}", 1);
    }
    cxs__jw_put(w, "]", 1);
    if (g->n_periods >= 2)
        put_change(w, n, g);
    if (verb) {
        cxs__jw_puts(w, ",\"verbatims\":{");
        first = 1;
        put_verbatim(w, "most_positive", &g->best, &first);
        put_verbatim(w, "most_negative", &g->worst, &first);
        cxs__jw_put(w, "}", 1);
    }
    cxs__jw_put(w, "}", 1);
}

size_t cxs_narrative_to_json(const cxs_narrative *nar, unsigned flags, char *buf, size_t cap)
{
    cxs__jw w = {buf, cap ? cap - 1 : 0, 0};
    cxs__jw_puts(&w, "{\"groups\":[");
    for (size_t i = 0; nar && i < nar->n_groups; i++) {
        if (i)
            cxs__jw_put(&w, ",", 1);
        put_group(&w, nar, nar->groups[i], flags);
    }
    cxs__jw_puts(&w, "]}");
    if (cap)
        buf[w.len < cap ? w.len : cap - 1] = '\0';
    return w.len;
}
