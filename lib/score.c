/*
 * score.c — the sentiment rules over matched units.
 *
 * Order: base valence (caps, elongation, ratings) -> boosters/dampeners -> negation and
 * irrealis (forward, within a clause) -> contrastives -> sarcasm -> per-sentence sums with
 * '!'/'?' emphasis -> document score. Each rule marks the units it touched (cxs_rule bits), so
 * the explanation shows why a text scored as it did.
 */
#include "analyzer.h"

#include <math.h>
#include <string.h>

static inline double sgn(double v)
{
    return v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0;
}

static inline int is_boundary(const cxs__unit *u)
{
    return u->kind == CXS__TK_SENT_END || u->kind == CXS__TK_CLAUSE;
}

/* Units that count as words for scopes and for the neutral share (not URLs or mentions). */
static inline int is_wordish(const cxs__unit *u)
{
    return u->kind == CXS__TK_WORD || u->kind == CXS__TK_NUMBER || u->kind == CXS__TK_EMOJI ||
           u->kind == CXS__TK_EMOTICON || u->kind == CXS__TK_RATING;
}

static inline unsigned roles(const cxs__unit *u)
{
    return u->e ? u->e->roles : 0;
}

/* "wasn't", "don't", "can't": any word ending in n't negates, like the listed negators. */
static int is_negator(const cxs_analyzer *an, const cxs__unit *u)
{
    if (roles(u) & CXS__R_NEGATOR)
        return 1;
    if (u->kind != CXS__TK_WORD || u->ntok != 1)
        return 0;
    const cxs__token *t = &an->toks.v[u->tok];
    if (t->norm_len < 4)
        return 0;
    const char *k = cxs__tok_key(&an->toks, t) + t->norm_len - 3;
    return k[0] == 'n' && k[1] == '\'' && k[2] == 't';
}

static int is_word(const cxs_analyzer *an, const cxs__unit *u, const char *w, size_t n)
{
    if (u->kind != CXS__TK_WORD || u->ntok != 1)
        return 0;
    const cxs__token *t = &an->toks.v[u->tok];
    return t->norm_len == n && memcmp(cxs__tok_key(&an->toks, t), w, n) == 0;
}

static void base_valence(cxs_analyzer *an, const cxs__settings *S)
{
    int mixed = an->toks.has_lower;
    for (size_t i = 0; i < an->n_units; i++) {
        cxs__unit *u = &an->units[i];
        if (u->kind == CXS__TK_RATING && u->pden > 0) {
            double frac = u->pnum / u->pden;
            double v = (frac - S->rating_center) * S->rating_scale;
            u->valence = (float)(v > 4 ? 4 : v < -4 ? -4 : v);
            u->rules |= CXS_RULE_RATING;
        }
        double v = u->valence;
        if (v != 0) {
            if ((u->tflags & CXS__TF_CAPS) && mixed) {
                v += sgn(v) * S->caps_boost;
                u->rules |= CXS_RULE_CAPS;
            }
            if (u->tflags & CXS__TF_ELONG) {
                v += sgn(v) * S->elongation_boost;
                u->rules |= CXS_RULE_ELONGATED;
            }
            if (u->tflags & CXS__TF_HASHTAG)
                u->rules |= CXS_RULE_HASHTAG;
            if (u->kind == CXS__TK_EMOJI)
                u->rules |= CXS_RULE_EMOJI;
            if (u->kind == CXS__TK_EMOTICON)
                u->rules |= CXS_RULE_EMOTICON;
        }
        u->score = (float)v;
    }
    /* a word that is both a booster and a sentiment word ("super", "real") boosts when a
     * sentiment word follows it, and scores on its own otherwise */
    for (size_t i = 0; i + 1 < an->n_units; i++) {
        cxs__unit *u = &an->units[i];
        if ((roles(u) & CXS__R_BOOSTER) && u->score != 0 && an->units[i + 1].score != 0 &&
            is_wordish(&an->units[i + 1]))
            u->score = 0;
    }
}

static void boosters(cxs_analyzer *an, const cxs__settings *S)
{
    int mixed = an->toks.has_lower;
    for (size_t i = 0; i < an->n_units; i++) {
        cxs__unit *u = &an->units[i];
        if (u->score == 0)
            continue;
        double v = u->score, v0 = v;
        size_t d = 0;
        for (size_t j = i; j > 0 && d < 3;) {
            const cxs__unit *b = &an->units[--j];
            if (is_boundary(b) || !is_wordish(b))
                break;
            d++;
            if (!(roles(b) & CXS__R_BOOSTER) || b->score != 0)
                continue;
            double w = b->e->booster;
            if (d == 2)
                w *= S->booster_decay2;
            else if (d == 3)
                w *= S->booster_decay3;
            if ((b->tflags & CXS__TF_CAPS) && mixed)
                w += sgn(w) * S->caps_boost;
            v += sgn(v0) * w;
            u->rules |= w > 0 ? CXS_RULE_BOOSTED : CXS_RULE_DAMPENED;
        }
        /* dampeners weaken but never flip a term */
        if (sgn(v) != sgn(v0) || fabs(v) < 0.1 * fabs(v0))
            v = 0.1 * v0;
        u->score = (float)v;
    }
}

/* Negation and irrealis, forward within each clause. */
static void negation_irrealis(cxs_analyzer *an, const cxs__settings *S)
{
    int neg_left = 0, neg_odd = 0, irr_left = 0, last_negated = 0;
    double irr_factor = 1;
    int scope = (int)S->negation_scope, iscope = (int)S->irrealis_scope;
    for (size_t i = 0; i < an->n_units; i++) {
        cxs__unit *u = &an->units[i];
        if (is_boundary(u) || (roles(u) & CXS__R_CONTRAST)) {
            neg_left = irr_left = last_negated = 0;
            continue;
        }
        if (!is_wordish(u))
            continue;
        if (u->score == 0 && is_negator(an, u)) {
            neg_odd = neg_left > 0 ? !neg_odd : 1; /* "not not" cancels */
            neg_left = scope;
            last_negated = 0;
            continue;
        }
        if (u->score == 0 && (roles(u) & CXS__R_IRREALIS)) {
            irr_left = iscope;
            irr_factor = u->e->irrealis;
            continue;
        }
        if (u->score != 0) {
            last_negated = 0;
            if (neg_left > 0 && neg_odd) {
                u->score *= (float)(u->score > 0 ? S->negation_scalar : S->negated_negative);
                u->rules |= CXS_RULE_NEGATED;
                last_negated = 1;
                neg_left = 0;
            }
            if (irr_left > 0) {
                u->score *= (float)irr_factor;
                u->rules |= CXS_RULE_IRREALIS;
            }
        } else if (last_negated && (is_word(an, u, "or", 2) || is_word(an, u, "nor", 3))) {
            /* "no delays or problems": the negation carries over the coordination */
            neg_left = 2;
            neg_odd = 1;
            last_negated = 0;
            continue;
        }
        if (neg_left > 0)
            neg_left--;
        if (irr_left > 0)
            irr_left--;
    }
}

static void contrast_mark(cxs__unit *u, double w, unsigned rule)
{
    if (u->rules & rule)
        return;
    u->rules |= rule;
    u->score *= (float)w;
}

/* Units [a, b) form one sentence. */
static void contrastives(cxs_analyzer *an, size_t a, size_t b, double *prev_weight)
{
    cxs__unit *U = an->units;
    size_t first_word = b;
    for (size_t i = a; i < b; i++)
        if (is_wordish(&U[i])) {
            first_word = i;
            break;
        }
    for (size_t p = a; p < b; p++) {
        if (!(roles(&U[p]) & CXS__R_CONTRAST))
            continue;
        const cxs__entry *e = U[p].e;
        if (e->roles & CXS__R_CONTRAST_LEAD) {
            size_t end = p + 1;
            while (end < b && !is_boundary(&U[end]))
                end++;
            for (size_t i = p + 1; i < end; i++)
                contrast_mark(&U[i], e->before, CXS_RULE_CONTRAST_WEAK);
            if (p > a || end < b)
                for (size_t i = a; i < b; i++)
                    if ((i < p || i >= end) && U[i].score != 0)
                        contrast_mark(&U[i], e->after, CXS_RULE_CONTRAST_STRONG);
            continue;
        }
        if (p == first_word) {
            /* "But ..." / "However, ..." opening a sentence weighs against the one before */
            if (prev_weight)
                *prev_weight *= e->before;
        } else {
            for (size_t i = a; i < p; i++)
                contrast_mark(&U[i], e->before, CXS_RULE_CONTRAST_WEAK);
        }
        for (size_t i = p + 1; i < b; i++)
            contrast_mark(&U[i], e->after, CXS_RULE_CONTRAST_STRONG);
    }
}

static void flip_positive(cxs__unit *u, size_t a, size_t b, double factor)
{
    for (size_t i = a; i < b; i++)
        if (u[i].score > 0 && !(u[i].e && (u[i].e->roles & CXS__R_SARCASM))) {
            u[i].score *= (float)factor;
            u[i].rules |= CXS_RULE_SARCASM;
        }
}

/*
 * Sarcasm, where it is cheap to see: an explicit cue ("🙄", "/s", "yeah right") flips the
 * positive terms of its sentence (or of the previous one when it stands alone); and an
 * opening positive interjection ("Great, another delay") before a negative remainder flips.
 */
static void sarcasm(cxs_analyzer *an, size_t a, size_t b, size_t pa, size_t pb,
                    const cxs__settings *S)
{
    cxs__unit *U = an->units;
    int cue = 0, others = 0;
    for (size_t i = a; i < b; i++) {
        if (roles(&U[i]) & CXS__R_SARCASM)
            cue = 1;
        else if (is_wordish(&U[i]))
            others = 1;
    }
    if (cue) {
        if (others)
            flip_positive(U, a, b, S->sarcasm_factor);
        else if (pb > pa) /* "Great service. 🙄": the cue stands alone after its sentence */
            flip_positive(U, pa, pb, S->sarcasm_factor);
        return;
    }
    /* interjection: 1-2 positive words, then a comma, then a net negative remainder */
    size_t i = a, words = 0;
    int all_pos = 1;
    while (i < b && !is_boundary(&U[i])) {
        if (is_wordish(&U[i])) {
            words++;
            if (U[i].score <= 0)
                all_pos = 0;
        }
        i++;
    }
    if (!words || words > 2 || !all_pos || i >= b || U[i].kind != CXS__TK_CLAUSE)
        return;
    double rest = 0;
    size_t r = i + 1;
    while (r < b && !is_wordish(&U[r]))
        r++;
    if (r < b && (roles(&U[r]) & CXS__R_CONTRAST))
        return;
    for (size_t j = i + 1; j < b; j++)
        rest += U[j].score;
    if (rest < 0)
        flip_positive(U, a, i, S->sarcasm_factor);
}

int cxs__score_units(cxs_analyzer *an)
{
    const cxs__settings *S = &an->model->settings;
    int rc = cxs__grow(&an->alloc, (void **)&an->sent_score, &an->cap_sent, an->n_sent * 2,
                       sizeof *an->sent_score);
    if (rc)
        return rc;
    double *sw = an->sent_score + an->n_sent; /* sentence weights */
    memset(an->sent_score, 0, an->n_sent * sizeof *an->sent_score);
    for (size_t s = 0; s < an->n_sent; s++)
        sw[s] = 1.0;

    base_valence(an, S);
    boosters(an, S);
    negation_irrealis(an, S);

    /* sentence-level rules */
    cxs__unit *U = an->units;
    size_t n = an->n_units, a = 0, pa = 0, pb = 0;
    while (a < n) {
        size_t b = a;
        while (b < n && U[b].kind != CXS__TK_SENT_END)
            b++;
        size_t s = U[a].sentence;
        contrastives(an, a, b, s > 0 ? &sw[s - 1] : NULL);
        sarcasm(an, a, b, pa, pb, S);
        double sum = 0;
        for (size_t i = a; i < b; i++)
            sum += U[i].score;
        if (b < n && sum != 0) { /* '!' and '?' emphasis of a sentence with sentiment */
            double ex = U[b].pnum < S->exclaim_max ? U[b].pnum : S->exclaim_max;
            double q = U[b].pden;
            double emph = ex * S->exclaim_boost;
            if (q > 1)
                emph += q <= 3 ? q * S->question_boost : S->question_max_boost;
            if (emph > 0) {
                sum += sgn(sum) * emph;
                U[b].score = (float)(sgn(sum) * emph);
                U[b].rules |= CXS_RULE_EMPHASIS;
            }
        }
        an->sent_score[s] = sum;
        pa = a;
        pb = b;
        a = b + 1;
    }

    /* the document: sentences combined so that long reviews do not saturate */
    size_t last = an->n_sent;
    for (size_t s = an->n_sent; s-- > 0;)
        if (an->sent_score[s] != 0) {
            last = s;
            break;
        }
    if (last < an->n_sent && last > 0)
        sw[last] *= S->last_sentence_weight;
    double raw = 0;
    size_t k = 0;
    for (size_t s = 0; s < an->n_sent; s++)
        if (an->sent_score[s] != 0) {
            raw += sw[s] * an->sent_score[s];
            k++;
        }
    if (k > 1)
        raw /= pow((double)k, S->sentence_damping);
    double compound = raw / sqrt(raw * raw + S->alpha);
    if (compound > 1)
        compound = 1;
    if (compound < -1)
        compound = -1;

    /* pos / neu / neg shares: each sentiment term counts |score| + 1, a neutral word 1 */
    double pos = 0, neg = 0, neu = 0, amp = 0;
    for (size_t i = 0; i < n; i++) {
        cxs__unit *u = &U[i];
        if (sw[u->sentence] != 1.0)
            u->score *= (float)sw[u->sentence];
        if (u->rules & CXS_RULE_EMPHASIS) {
            amp += fabs(u->score);
            continue;
        }
        if (!is_wordish(u))
            continue;
        if (u->score > 0)
            pos += u->score + 1;
        else if (u->score < 0)
            neg += -u->score + 1;
        else
            neu += S->neutral_weight;
    }
    if (pos > neg)
        pos += amp;
    else if (neg > pos)
        neg += amp;
    double total = pos + neg + neu;
    cxs_scores *sc = &an->scores;
    if (total > 0) {
        sc->pos = pos / total;
        sc->neg = neg / total;
        sc->neu = neu / total;
    } else {
        sc->pos = sc->neg = sc->neu = 0;
    }
    sc->compound = compound;
    an->label = compound >= an->pos_thr   ? CXS_LABEL_POSITIVE
                : compound <= an->neg_thr ? CXS_LABEL_NEGATIVE
                                          : CXS_LABEL_NEUTRAL;
    return CXS_OK;
}
