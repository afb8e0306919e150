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

#define sgn cxs__sgn

/* Kind tests as bit masks: one test instead of a chain of compares. */
#define KIND_BIT(k) (1u << (k))
#define BOUNDARY_KINDS (KIND_BIT(CXS__TK_SENT_END) | KIND_BIT(CXS__TK_CLAUSE))
#define WORD_KINDS                                                                              \
    (KIND_BIT(CXS__TK_WORD) | KIND_BIT(CXS__TK_NUMBER) | KIND_BIT(CXS__TK_EMOJI) |              \
     KIND_BIT(CXS__TK_EMOTICON) | KIND_BIT(CXS__TK_RATING) | KIND_BIT(CXS__UK_DURATION))

static inline int is_boundary(const cxs__unit *u)
{
    return (KIND_BIT(u->kind) & BOUNDARY_KINDS) != 0;
}

/* Units that are words (not boundaries). */
static inline int is_wordish(const cxs__unit *u)
{
    return (KIND_BIT(u->kind) & WORD_KINDS) != 0;
}

static inline unsigned roles(const cxs__unit *u)
{
    return u->roles;
}

/* "wasn't", "don't", "can't": any word ending in n't negates, like the listed negators. */
static int is_negator(const cxs__unit *u)
{
    return ((roles(u) & CXS__R_NEGATOR) != 0) | ((u->tflags & CXS__TF_NT) != 0);
}

/*
 * What the cues around duration unit i make of it (cxs__dur_kind): a wait cue within three
 * words ("waited", "took", "on hold") or a process cue ("took about", "later"), a speed cue
 * right before ("fixed in 10 minutes"), a cue that it is no wait right next to it ("3 months
 * ago"), a cue anywhere in its sentence that it is ordinary ("which is normal"), or none.
 */
int cxs__duration_kind(const cxs_analyzer *an, size_t i)
{
    const cxs__unit *U = an->units, *u = &U[i];
    /* "delivery took 45 minutes, which is normal for a Friday", "shipping usually takes 4
     * days": the writer calls the duration ordinary, so it is neither a wait nor a speed. The
     * cue may stand anywhere in the sentence (past a comma), so its units are looked at; only
     * texts that hold such a cue pay for the look */
    if (an->seen & CXS__R_USUAL_CUE) {
        for (size_t j = i; j > 0 && U[j - 1].kind != CXS__TK_SENT_END;)
            if (roles(&U[--j]) & CXS__R_USUAL_CUE)
                return CXS__DUR_USUAL;
        for (size_t j = i + 1; j < an->n_units && U[j].kind != CXS__TK_SENT_END; j++)
            if (roles(&U[j]) & CXS__R_USUAL_CUE)
                return CXS__DUR_USUAL;
    }
    int kind = CXS__DUR_UNCUED;
    for (size_t j = i; j > 0 && !kind;) {
        const cxs__unit *b = &U[--j];
        if (is_boundary(b))
            break;
        uint32_t d = u->widx - (b->widx + b->ntok - 1);
        if (d > 3)
            break;
        if ((roles(b) & CXS__R_SPEED_CUE) && d <= 2)
            kind = CXS__DUR_SPEED;
        else if (roles(b) & CXS__R_WAIT_CUE)
            kind = CXS__DUR_WAIT;
        else if (roles(b) & CXS__R_PROCESS_CUE)
            kind = CXS__DUR_PROCESS;
        else if ((roles(b) & CXS__R_OTHER_CUE) && d <= 1)
            kind = CXS__DUR_OTHER;
    }
    for (size_t j = i + 1; j < an->n_units && !kind; j++) {
        const cxs__unit *b = &U[j];
        if (is_boundary(b))
            break;
        uint32_t d = b->widx - (u->widx + u->ntok - 1);
        if (d > 3)
            break;
        if ((roles(b) & CXS__R_OTHER_CUE) && d <= 1)
            kind = CXS__DUR_OTHER; /* "3 months ago", "20 minutes away", "10 minutes early" */
        else if (roles(b) & CXS__R_WAIT_CUE)
            kind = CXS__DUR_WAIT;
        else if (roles(b) & CXS__R_PROCESS_CUE)
            kind = CXS__DUR_PROCESS;
    }
    return kind;
}

/*
 * A duration's valence from its kind: a wait is negative and grows with the log of its
 * length; a short duration after a speed cue is positive; a long one with no cue is a weak
 * wait; an ordinary one, or one that is no wait, is nothing.
 */
static double duration_valence(cxs_analyzer *an, size_t i, const cxs__settings *S,
                               unsigned *rule)
{
    const cxs__unit *u = &an->units[i];
    int kind = cxs__duration_kind(an, i);
    if (kind == CXS__DUR_OTHER || kind == CXS__DUR_USUAL)
        return 0;
    double minutes = u->amount / 60.0;
    /* a short wait is no complaint ("took 5 minutes") */
    double wait = minutes < S->wait_minutes
                      ? 0
                      : S->wait_base + S->wait_log * log(minutes / S->wait_minutes);
    wait = -(wait > S->wait_cap ? S->wait_cap : wait);
    if (kind == CXS__DUR_SPEED) {
        *rule = CXS_RULE_SPEED;
        return minutes <= S->speed_minutes       ? S->speed_valence
               : minutes <= 8 * S->speed_minutes ? S->speed_valence / 2
                                                 : 0;
    }
    *rule = CXS_RULE_WAIT;
    if (kind == CXS__DUR_WAIT)
        return wait;
    if (kind == CXS__DUR_PROCESS)
        return S->wait_process * wait;
    return minutes >= 2 * S->wait_minutes ? S->wait_uncued * wait : 0;
}

/*
 * Base scores of the durations. Matching scored every other unit, but a duration's valence
 * depends on the cue words after it, so it is scored here; and a booster that is also a
 * sentiment word right before it ("super", "real") then boosts it instead of scoring on its
 * own, as matching decides for every other unit.
 */
static void duration_scores(cxs_analyzer *an, const cxs__settings *S)
{
    int mixed = an->toks.has_lower;
    for (size_t i = 0; i < an->n_units; i++) {
        cxs__unit *u = &an->units[i];
        if (u->kind != CXS__UK_DURATION)
            continue;
        unsigned rule = 0;
        u->valence = (float)duration_valence(an, i, S, &rule);
        if (u->valence != 0)
            u->rules |= rule;
        u->score = cxs__base_score(u->valence, u->tflags, u->kind, mixed, S, &u->rules);
        cxs__unit *pu = u - 1;
        if (i > 0 && (roles(pu) & CXS__R_BOOSTER) && pu->score != 0 && u->score != 0 &&
            u->widx == pu->widx + pu->ntok)
            pu->score = 0;
    }
}

static void boosters(cxs_analyzer *an, const cxs__settings *S)
{
    int mixed = an->toks.has_lower;
    /* only units that may score are boosted: the scoring list, in order */
    for (size_t k = 0; k < an->n_scored; k++) {
        size_t i = an->scored[k];
        cxs__unit *u = &an->units[i];
        if (u->score == 0)
            continue;
        double v = u->score, v0 = v;
        for (size_t j = i; j > 0;) {
            const cxs__unit *b = &an->units[--j];
            if (is_boundary(b))
                break;
            uint32_t d = u->widx - (b->widx + b->ntok - 1); /* 1 = right before */
            if (d > 3)
                break;
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

/* Negate a scored unit: the one rule of "not good" and of an elliptical "... They were not." */
static inline void negate(cxs__unit *u, const cxs__settings *S)
{
    u->score *= (float)cxs__negation_factor(u->score, S);
    u->rules |= CXS_RULE_NEGATED;
}

/*
 * An elliptical negation: a sentence that is a negator with at most two words after it and
 * nothing scored ("They were not.", "Not at all.", "No.") answers the sentence before it, whose
 * sentiment it denies: "I expected the staff to be friendly. They were not.", "Was the food
 * good? Not at all." Units a ... b - 1 are that sentence; those not negated already are, the
 * negative ones only after a question ("Was it bad? Not at all."): after a complaint, "Absolutely
 * not." refuses, it does not take the complaint back.
 */
static void elliptical(cxs__unit *U, size_t a, size_t b, int question, const cxs__settings *S)
{
    for (size_t i = a; i < b; i++)
        if ((question ? U[i].score != 0 : U[i].score > 0) && !(U[i].rules & CXS_RULE_NEGATED))
            negate(&U[i], S);
}

/* Negation and irrealis, forward within each clause; scopes are counted in words. The same
 * pass finds the elliptical negations (see elliptical()): "not" and "...n't" deny what was
 * said ("They were not.", "It didn't."); "no", "never" and the like only answer a question
 * ("Worth it? No."), for after a statement they are as often a list's item ("Support:
 * none."). An answer may end in two more words ("Not at all.", "No way."); a statement may not
 * ("Do not buy." is an imperative). A sentence that names a theme contrasts with the one
 * before instead ("The coffee is excellent. The prices are not.": cx.c gives the prices the
 * denied sentiment). */
static void negation_irrealis(cxs_analyzer *an, const cxs__settings *S)
{
    int64_t neg_end = -1, irr_end = -1; /* last word index a negator / marker reaches */
    int neg_odd = 0, last_negated = 0;
    double irr_factor = 1;
    int64_t scope = (int64_t)S->negation_scope, iscope = (int64_t)S->irrealis_scope;
    /* for elliptical(): the units of the sentence before this one, whether this one has a
     * scored unit, and the last word of its last negator (-1: none) */
    size_t prev_a = 0, prev_b = 0, sent_a = 0;
    int sent_scored = 0;
    int64_t ell_neg = -1, sent_w = 0; /* sent_w: words before this sentence */
    int ell_not = 0;                    /* that negator is "not" or ends in n't */
    uint32_t sent_tok = 0;              /* the first token of this sentence */
    for (size_t i = 0; i < an->n_units; i++) {
        cxs__unit *u = &an->units[i];
        int64_t w = u->widx, last = w + u->ntok - 1;
        if (u->kind == CXS__TK_SENT_END) {
            int question = prev_b > prev_a && an->units[prev_b].pden > 0;
            if (ell_neg >= 0 && !sent_scored && prev_b > prev_a &&
                (question ? w - ell_neg <= 3 : ell_not && w - ell_neg == 1) &&
                !cxs__tokens_name_theme(an, sent_tok, u->tok))
                elliptical(an->units, prev_a, prev_b, question, S);
            sent_tok = u->tok + 1;
            /* a stop after no words ("Great!!! ...") leaves the sentence before as it is */
            if (w > sent_w) {
                prev_a = sent_a;
                prev_b = i;
            }
            sent_w = w;
            sent_a = i + 1;
            sent_scored = 0;
            ell_neg = -1;
        }
        if (is_boundary(u) | ((roles(u) & CXS__R_CONTRAST) != 0)) {
            neg_end = irr_end = -1;
            last_negated = 0;
            continue;
        }
        sent_scored |= u->score != 0;
        if ((u->score == 0) & is_negator(u)) {
            neg_odd = neg_end >= w ? !neg_odd : 1; /* "not not" cancels */
            neg_end = last + scope;
            last_negated = 0;
            ell_neg = last;
            ell_not = u->ntok == 1 && cxs__tok_is_not(&an->toks, &an->toks.v[u->tok]);
            continue;
        }
        if (u->score == 0 && (roles(u) & CXS__R_IRREALIS)) {
            irr_end = last + iscope;
            irr_factor = u->e->irrealis;
            continue;
        }
        if (u->score != 0) {
            last_negated = (roles(u) & CXS__R_NEG_PHRASE) != 0; /* "no problems or ..." */
            if (w <= neg_end && neg_odd) {
                negate(u, S);
                last_negated = 1;
                neg_end = -1; /* a negation is spent on its term */
            }
            if (w <= irr_end) {
                u->score *= (float)irr_factor;
                u->rules |= CXS_RULE_IRREALIS;
            }
        } else if (last_negated && (u->tflags & CXS__TF_OR)) {
            /* "no delays or problems": the negation carries over the coordination */
            neg_end = w + 2;
            neg_odd = 1;
            last_negated = 0;
        }
    }
}

/*
 * Missed needs: a baseline ("arrived", "answered", "works", "on time": a need met, +0.5) that is
 * negated ("never arrived", "nobody answered", "not working") is a basic need missed, which is
 * clear disapproval (-2 on the scale of data/README.md), not the faint -0.37 that flipping +0.5
 * gives. Runs after negation; boosters stay out of it (a need is met or not).
 */
static void missed_needs(cxs__unit *U, const uint32_t *scored, size_t n, double baseline_max,
                         double missed)
{
    for (size_t k = 0; k < n; k++) { /* a negated unit scores: it is on the list */
        cxs__unit *u = &U[scored[k]];
        if ((u->rules & CXS_RULE_NEGATED) && u->valence > 0 && u->valence <= baseline_max &&
            u->score < 0 && u->score > -missed)
            u->score = (float)-missed;
    }
}

static void contrast_mark(cxs__unit *u, double w, unsigned rule)
{
    if (u->rules & rule)
        return;
    u->rules |= rule;
    u->score *= (float)w;
}

/*
 * Contrastives over the sentence of units [a, b), whose first word has index w0. Linear in the
 * sentence however many markers it holds (a 10 MB "but but but ..." must not go quadratic):
 *  - "X but Y": units before the last plain marker are weak, units after the first are strong;
 *    a marker opening the sentence ("But ...") weighs the previous sentence instead;
 *  - "although X, Y": the clause a lead marker opens is weak, the rest of the sentence strong;
 *  - "X though.": a lead marker that ends its clause makes that clause the weak one.
 */
static void contrastives(cxs_analyzer *an, size_t a, size_t b, uint32_t w0, double *prev_weight)
{
    cxs__unit *U = an->units;
    size_t first = b, last = b;
    const cxs__entry *first_e = NULL, *last_e = NULL;
    int lead_seen = 0, outside = 0; /* a lead clause; units with sentiment outside one */
    const cxs__entry *lead_e = NULL;
    int in_sub = 0;
    for (size_t p = a; p < b; p++) {
        cxs__unit *u = &U[p];
        if (is_boundary(u)) {
            in_sub = 0;
            continue;
        }
        unsigned r = roles(u);
        if ((r & CXS__R_CONTRAST) && (r & CXS__R_CONTRAST_LEAD)) {
            size_t q = p + 1;
            int clause_final = q >= b || is_boundary(&U[q]) ||
                               U[q].widx > u->widx + u->ntok; /* words follow, none scored */
            if (clause_final && (q >= b || is_boundary(&U[q]))) {
                for (size_t i = p; i-- > a && !is_boundary(&U[i]);) {
                    if (U[i].rules & CXS_RULE_CONTRAST_WEAK)
                        break; /* already done back to the clause start */
                    contrast_mark(&U[i], u->e->before, CXS_RULE_CONTRAST_WEAK);
                }
                continue;
            }
            in_sub = 1;
            lead_seen = 1;
            lead_e = u->e;
            if (u->widx > w0)
                outside = 1;
            continue;
        }
        if (r & CXS__R_CONTRAST) {
            if (u->widx == w0 && first == b) {
                if (prev_weight)
                    *prev_weight *= u->e->before; /* "But ..." opening the sentence */
            } else {
                last = p;
                last_e = u->e;
            }
            if (first == b) {
                first = p;
                first_e = u->e;
            }
            continue;
        }
        if (in_sub)
            contrast_mark(u, lead_e->before, CXS_RULE_CONTRAST_WEAK);
        else if (u->score != 0 && lead_seen)
            outside = 1;
    }
    if (last < b)
        for (size_t i = a; i < last; i++)
            contrast_mark(&U[i], last_e->before, CXS_RULE_CONTRAST_WEAK);
    if (first < b)
        for (size_t i = first + 1; i < b; i++)
            contrast_mark(&U[i], first_e->after, CXS_RULE_CONTRAST_STRONG);
    if (lead_seen && outside) {
        /* units outside the lead clauses carry the stance */
        in_sub = 0;
        for (size_t i = a; i < b; i++) {
            unsigned r = roles(&U[i]);
            if (is_boundary(&U[i]))
                in_sub = 0;
            else if ((r & CXS__R_CONTRAST) && (r & CXS__R_CONTRAST_LEAD))
                in_sub = !(i + 1 >= b || is_boundary(&U[i + 1]));
            else if (!in_sub && U[i].score != 0 && !(U[i].rules & CXS_RULE_CONTRAST_WEAK))
                contrast_mark(&U[i], lead_e->after, CXS_RULE_CONTRAST_STRONG);
        }
    }
}

/* flips the positive terms of [a, b); a cue is flipped only when it is praise on its own (an
 * ironic opener, "gotta love"), not when it is a negative cue that ended up positive */
static void flip_positive(cxs__unit *u, size_t a, size_t b, double factor)
{
    for (size_t i = a; i < b; i++)
        if (u[i].score > 0 && (!(u[i].roles & CXS__R_SARCASM) || u[i].valence > 0)) {
            u[i].score *= (float)factor;
            u[i].rules |= CXS_RULE_SARCASM;
        }
}

/*
 * Sarcasm, where it is cheap to see: an explicit cue ("🙄", "/s", "yeah right") flips the
 * positive terms of its sentence (or of the previous one when it stands alone); and an
 * opening positive interjection ("Great, another delay") before a negative remainder flips.
 */
static int sarcasm(cxs_analyzer *an, size_t a, size_t b, size_t pa, size_t pb, uint32_t w0,
                   uint32_t w1, const cxs__settings *S)
{
    cxs__unit *U = an->units;
    uint32_t cue_words = 0, cues = 0, praise_cues = 0;
    if (an->seen & CXS__R_SARCASM)
        for (size_t i = a; i < b; i++)
            if (roles(&U[i]) & CXS__R_SARCASM) {
                cue_words += U[i].ntok;
                cues++;
                praise_cues += U[i].valence > 0;
            }
    if (cues && praise_cues == cues) {
        /* ironic openers that are praise on their own ("love how ...", "great job ..."):
         * ironic only before a remainder that is net negative and holds no praise and no
         * contrast ("love how they closed my ticket unresolved", "great job on the update,
         * now nothing works"), sincere otherwise ("love how friendly they are"); an ironic
         * flip turns the opener too. Next to a plain cue ("gotta love it 🙄") the plain rule
         * runs */
        double rest = 0;
        int told = 0; /* praise or a contrast next to the problem tells a sincere story:
                         "great job fixing the leak so fast", "great job despite the storm" */
        for (size_t i = a; i < b; i++) {
            unsigned r = roles(&U[i]);
            told |= (r & CXS__R_CONTRAST) != 0;
            if (!(r & CXS__R_SARCASM)) {
                rest += U[i].score;
                told |= U[i].score > 0 && is_wordish(&U[i]);
            }
        }
        if (rest < 0 && !told)
            flip_positive(U, a, b, S->sarcasm_factor);
        return 0;
    }
    if (cue_words) {
        if (w1 - w0 > cue_words) {
            flip_positive(U, a, b, S->sarcasm_factor);
        } else if (pb > pa) { /* "Great service. 🙄": the cue stands alone after its sentence */
            flip_positive(U, pa, pb, S->sarcasm_factor);
            return 1;
        }
        return 0;
    }
    /* interjection: 1-2 positive words, then a comma, then a net negative remainder (so the
     * sentence must open with a positive unit) */
    if (a >= b || !(U[a].score > 0))
        return 0;
    size_t i = a;
    uint32_t pos_words = 0;
    while (i < b && !is_boundary(&U[i])) {
        if (U[i].score > 0)
            pos_words += U[i].ntok;
        i++;
    }
    if (i >= b || U[i].kind != CXS__TK_CLAUSE)
        return 0;
    uint32_t words = U[i].widx - w0;
    if (!words || words > 2 || pos_words != words)
        return 0;
    double rest = 0;
    for (size_t j = i + 1; j < b; j++) {
        if (j == i + 1 && (roles(&U[j]) & CXS__R_CONTRAST) && U[j].widx == U[i].widx)
            return 0; /* "Good, but ..." is a real contrast, not sarcasm */
        if (U[j].rules & CXS_RULE_RESOLVED)
            return 0; /* "Shoutout, reported slow speeds and they fixed it": a problem put
                         right is a story told in thanks, not irony */
        rest += U[j].score;
    }
    if (rest < 0)
        flip_positive(U, a, i, S->sarcasm_factor);
    return 0;
}

/*
 * Scare quotes: a praise word wrapped in quotes on its own ('their "premium" support', 'closed
 * my ticket as "resolved"', "the 'express' lane") is the writer's irony, not praise: it flips
 * like a sarcastic term. Only the bytes between the unit and the next token are read for the
 * closing quote, so a unit that ends the text is left as it is.
 */
static int quote_before(const char *t, uint32_t at)
{
    return (at >= 1 && (t[at - 1] == '"' || t[at - 1] == '\'')) ||
           (at >= 3 && (unsigned char)t[at - 3] == 0xE2 && (unsigned char)t[at - 2] == 0x80 &&
            ((unsigned char)t[at - 1] == 0x9C || (unsigned char)t[at - 1] == 0x98));
}

static int quote_after(const char *t, uint32_t at, uint32_t limit)
{
    return (at + 1 <= limit && (t[at] == '"' || t[at] == '\'')) ||
           (at + 3 <= limit && (unsigned char)t[at] == 0xE2 && (unsigned char)t[at + 1] == 0x80 &&
            ((unsigned char)t[at + 2] == 0x9D || (unsigned char)t[at + 2] == 0x99));
}

static void scare_quotes(cxs_analyzer *an, double factor)
{
    const char *t = an->toks.text;
    for (size_t k = 0; k < an->n_scored; k++) {
        cxs__unit *u = &an->units[an->scored[k]];
        size_t next = (size_t)u->tok + u->ntok;
        if (!(u->score > 0) || !is_wordish(u) || next >= an->toks.n)
            continue;
        if (quote_before(t, u->start) && quote_after(t, u->end, an->toks.v[next].start)) {
            u->score *= (float)factor;
            u->rules |= CXS_RULE_SARCASM;
        }
    }
}

/*
 * Concession: "at least the driver was nice", "staff were friendly, which is the only reason
 * this isn't one star". The praise in such a sentence is granted inside a complaint: it says
 * the rest was bad, so it turns into weak disapproval (concession_factor < 0). The whole
 * sentence is the scope, since the marker may stand before or after the praise it concedes.
 */
static int quantity_follows(const cxs_analyzer *an, size_t i)
{
    const cxs__unit *m = &an->units[i];
    size_t t = (size_t)m->tok + m->ntok;
    if (i + 1 < an->n_units && an->units[i + 1].kind == CXS__UK_DURATION &&
        an->units[i + 1].tok == t)
        return 1; /* "at least an hour" */
    if (t >= an->toks.n)
        return 0;
    const cxs__token *k = &an->toks.v[t];
    if (k->kind == CXS__TK_NUMBER)
        return 1; /* "at least 10 times" */
    const cxs__entry *e =
        k->hash ? cxs__model_find_h(an->model, cxs__tok_key(&an->toks, k), k->norm_len, k->hash)
                : NULL;
    return e && (e->roles & CXS__R_NUMBER_WORD); /* "at least two" */
}

static void concession(cxs_analyzer *an, size_t a, size_t b, double factor)
{
    cxs__unit *U = an->units;
    size_t i = a;
    /* "at least 10 times" states a quantity, not a concession */
    while (i < b && !((roles(&U[i]) & CXS__R_CONCESSION) && !quantity_follows(an, i)))
        i++;
    if (i == b)
        return;
    for (i = a; i < b; i++)
        if (U[i].score > 0 && is_wordish(&U[i])) {
            U[i].score *= (float)factor;
            U[i].rules |= CXS_RULE_CONCESSION;
        }
}

/*
 * Minor gripe: "my only complaint is the short cable", "one minor issue: ...". The writer
 * ranks the problems of this sentence as small next to the rest: they weigh minor_factor.
 */
static void minor_gripe(cxs__unit *U, size_t a, size_t b, double factor)
{
    size_t i = a;
    while (i < b && !(roles(&U[i]) & CXS__R_MINOR))
        i++;
    if (i == b)
        return;
    for (i = a; i < b; i++)
        if (U[i].score < 0 && is_wordish(&U[i]) && !(roles(&U[i]) & CXS__R_MINOR)) {
            U[i].score *= (float)factor;
            U[i].rules |= CXS_RULE_MINOR;
        }
}

/*
 * Resolution: "wrong size, but the exchange was free", "card was cloned; they refunded me
 * within a day". A problem told before a resolution marker that stands unnegated ("refunded",
 * not "never refunded") was put right: it weighs resolved_factor, and so does the problem right
 * after it in its clause, its object ("fixed my Wi-Fi dropouts"). Other problems told after the
 * last resolution keep their weight. One pass; each unit is scaled at most once.
 */
static void resolution(cxs__unit *U, size_t n, double factor)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(roles(&U[i]) & CXS__R_RESOLUTION) || U[i].score <= 0 ||
            (U[i].rules & (CXS_RULE_NEGATED | CXS_RULE_IRREALIS)))
            continue;
        for (size_t j = from; j < i; j++)
            if (U[j].score < 0 && is_wordish(&U[j])) {
                U[j].score *= (float)factor;
                U[j].rules |= CXS_RULE_RESOLVED;
            }
        /* and the problem it puts right, when it is the object ("fixed my Wi-Fi dropouts",
         * "refunded the double charge"): up to three words on, in the same clause */
        size_t j = i + 1;
        uint32_t last = U[i].widx + U[i].ntok - 1 + 3;
        for (; j < n && !is_boundary(&U[j]) && U[j].widx <= last; j++)
            if (U[j].score < 0 && is_wordish(&U[j])) {
                U[j].score *= (float)factor;
                U[j].rules |= CXS_RULE_RESOLVED;
            }
        from = j;
    }
}

/*
 * Baseline only: "arrived on time, as described", "does the job". When every scored term of
 * the text is a basic need met (|valence| <= baseline_max) and stands as written (not negated,
 * flipped, conceded or hypothetical, which make it a failure or a complaint), the writer reports
 * that the service did what it should and takes no stance: the text is neutral.
 *
 * Asking or informing: "anyone know if ...?", "quick question: ...", "heads up: ... will be
 * unavailable Saturday". A text with an info marker whose strongest term stays within info_max
 * (mild: "slow", "outage", "cheaper") asks or tells rather than judges: it is neutral. Strong
 * evaluation ("heads up, their support is a scam") keeps its stance.
 *
 * Both tests are made in the pass that computes the shares, in cxs__score_units.
 */

/*
 * '!' and '?' emphasis of the sentence that ends with unit b (b < n) and whose terms sum to
 * sum: the emphasis is a score of the stop itself. Returns the sentence's raw score.
 */
static inline double emphasis(cxs__unit *U, size_t b, size_t n, double sum, const cxs__settings *S)
{
    if (b < n) {
        U[b].score = 0;
        U[b].rules &= ~(unsigned)CXS_RULE_EMPHASIS;
    }
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
    return sum;
}

/* The raw score of the sentence of units [a, b): its terms plus '!' / '?' emphasis. */
static double sentence_sum(cxs__unit *U, size_t a, size_t b, size_t n, const cxs__settings *S)
{
    double sum = 0;
    for (size_t i = a; i < b; i++)
        sum += U[i].score;
    return emphasis(U, b, n, sum, S);
}

/*
 * The sentence-level rules over the run of units [a, b) that sentence end b closes (b == n for
 * the text's tail), whose scoring units are scored[c0, c1). sw is NULL when every sentence
 * weight stays 1 (no contrastive in the text, a last-sentence weight of 1).
 */
typedef struct sent_state {
    size_t pa, pb;  /* the previous run */
    int any_emph;   /* some sentence end got an emphasis score */
} sent_state;

static inline void sentence(cxs_analyzer *an, size_t a, size_t b, size_t c0, size_t c1,
                            double *sw, sent_state *st, const cxs__settings *S)
{
    cxs__unit *U = an->units;
    const unsigned seen = an->seen;
    size_t n = an->n_units;
    size_t s = U[a].sentence;
    /* sarcasm needs a cue in the text, or a run that opens with a positive unit (bitwise:
     * whether it does is data) */
    int sarc = ((seen & CXS__R_SARCASM) != 0) | ((a < b) & (U[a].score > 0));
    /* a sentence of at most two words that is a bare negation ("Great service... NOT.",
     * "Would I go back? No.", "Worth it? Not really.", "They said they'd call. They didn't.")
     * takes back the praise of the sentence before it */
    int lone_not = 0;
    if (a < b && b <= a + 2 && is_negator(&U[a]) && U[a].score == 0) {
        /* the negation ends the sentence: "No.", "He didn't.", "Not really." (not "no skips",
         * "not exaggerating", which affirm) */
        const cxs__unit *z = &U[b - 1];
        uint32_t end = b < n ? U[b].widx : (uint32_t)an->n_words;
        lone_not = z->widx + z->ntok == end && z->score == 0 &&
                   (b == a + 1 || (roles(z) & CXS__R_BOOSTER));
    }
    if (seen & (CXS__R_CONTRAST | CXS__R_CONCESSION | CXS__R_MINOR) || sarc || lone_not) {
        uint32_t w0 = a > 0 ? U[a - 1].widx : 0;
        uint32_t w1 = b < n ? U[b].widx : (uint32_t)an->n_words;
        int flipped_prev = 0;
        if (lone_not && w1 - w0 <= 2 && st->pb > st->pa) {
            flip_positive(U, st->pa, st->pb, S->sarcasm_factor);
            flipped_prev = 1;
        }
        if (seen & CXS__R_CONTRAST)
            contrastives(an, a, b, w0, s > 0 ? &sw[s - 1] : NULL);
        if (sarc)
            flipped_prev |= sarcasm(an, a, b, st->pa, st->pb, w0, w1, S);
        if (seen & CXS__R_CONCESSION)
            concession(an, a, b, S->concession_factor);
        if (seen & CXS__R_MINOR)
            minor_gripe(U, a, b, S->minor_factor);
        if (flipped_prev && s > 0) {
            an->sent_score[s - 1] = sentence_sum(U, st->pa, st->pb, n, S);
            st->any_emph = 1;
        }
    }
    /* the units of [a, b) that may score are scored[c0, c1); the others hold +0, which
     * neither a factor >= 0 nor the sum changes */
    const uint32_t *scored = an->scored;
    const double qf = S->question_factor;
    if (qf != 1.0 && b < n && U[b].pden > 0)
        for (size_t j = c0; j < c1; j++) /* a question asks more than it asserts */
            U[scored[j]].score *= (float)qf;
    double sum = 0;
    for (size_t j = c0; j < c1; j++)
        sum += U[scored[j]].score;
    an->sent_score[s] = emphasis(U, b, n, sum, S);
    st->any_emph |= b < n && (U[b].rules & CXS_RULE_EMPHASIS);
    st->pa = a;
    st->pb = b;
}

/* The sentence-level rules, run by run; fills an->sent_score and the weights sw. */
static int sentences(cxs_analyzer *an, double *sw, const cxs__settings *S)
{
    sent_state st = {0, 0, 0};
    size_t a = 0, c0 = 0;
    /* ends[n_ends] is the tail (b = n_units); a text that ends with a stop has none */
    for (size_t k = 0; k <= an->n_ends && a < an->n_units; k++) {
        size_t b = an->ends[k].unit, c1 = an->ends[k].scored;
        sentence(an, a, b, c0, c1, sw, &st, S);
        a = b + 1;
        c0 = c1;
    }
    return st.any_emph;
}

int cxs__score_units(cxs_analyzer *an)
{
    const cxs__settings *S = &an->model->settings;
    if (an->n_sent * 2 > an->cap_sent) {
        int rc = cxs__grow(&an->alloc, (void **)&an->sent_score, &an->cap_sent, an->n_sent * 2,
                           sizeof *an->sent_score);
        if (rc)
            return rc;
    }
    cxs__unit *U = an->units;
    size_t n = an->n_units;
    double raw = 0, pos = 0, neg = 0, amp = 0;
    size_t scored_words = 0;
    /* a text without a sentiment unit has no score anywhere (matching left every score 0):
     * every rule below would multiply or add zeros, so only the neutral share is left */
    if (an->n_sentiment) {
        /* sentence weights: only a contrastive opening a sentence ("But ...") and the weight
         * of the last sentence change them; without either they are all 1 (sw NULL), and a
         * weight of 1 leaves every product as it is */
        double *sw = NULL;
        if ((an->seen & CXS__R_CONTRAST) || S->last_sentence_weight != 1.0) {
            sw = an->sent_score + an->n_sent;
            for (size_t s = 0; s < an->n_sent; s++)
                sw[s] = 1.0;
        }
        /* every sentence index but the last gets a run of units in sentences() */
        an->sent_score[an->n_sent - 1] = 0;

        if (an->n_dur)
            duration_scores(an, S);
        if (an->seen & CXS__R_BOOSTER)
            boosters(an, S);
        if (an->seen & (CXS__R_NEGATOR | CXS__R_IRREALIS | CXS__R_NEG_PHRASE))
            negation_irrealis(an, S);
        if ((an->seen & CXS__R_NEGATOR) && S->missed_need > 0)
            missed_needs(U, an->scored, an->n_scored, S->baseline_max, S->missed_need);
        scare_quotes(an, S->sarcasm_factor);
        if ((an->seen & CXS__R_RESOLUTION) && S->resolved_factor != 1.0)
            resolution(U, n, S->resolved_factor);
        int any_emph = sentences(an, sw, S);

        /*
         * The document: sentences combined so that long reviews do not saturate. A sentence
         * without sentiment scores +0 (sums start at +0 and never reach -0), and w * +0 added
         * to the sum changes nothing, so every sentence is added without a test.
         */
        const double *ss = an->sent_score;
        size_t k = 0;
        if (sw) {
            size_t last = an->n_sent;
            for (size_t s = an->n_sent; s-- > 0;)
                if (ss[s] != 0) {
                    last = s;
                    break;
                }
            if (last < an->n_sent && last > 0)
                sw[last] *= S->last_sentence_weight;
            for (size_t s = 0; s < an->n_sent; s++) {
                raw += sw[s] * ss[s];
                k += ss[s] != 0;
            }
        } else {
            for (size_t s = 0; s < an->n_sent; s++) {
                raw += ss[s];
                k += ss[s] != 0;
            }
        }
        if (k > 1)
            raw /= k <= 64 ? an->model->damping[k] : pow((double)k, S->sentence_damping);

        /*
         * One pass for the baseline and info tests (on the scores as the rules left them) and
         * the pos / neu / neg shares (on the weighted scores): each sentiment term counts
         * |score| + 1, a neutral word 1. Only the units that may score are visited: the others
         * hold +0, which a weight >= 0 keeps and the sums skip. No branches on the scores:
         * which units score, and which way, is data, not a pattern. A term that does not count
         * adds 0 * (|score| + 1) = +-0 to sums that are never -0: nothing.
         */
        const unsigned changed =
            CXS_RULE_NEGATED | CXS_RULE_SARCASM | CXS_RULE_IRREALIS | CXS_RULE_CONCESSION;
        const double bmax = S->baseline_max, imax = S->info_max;
        int b_any = 0, b_fail = 0, i_fail = 0;
        const uint32_t *scored = an->scored;
        for (size_t j = 0; j < an->n_scored; j++) {
            cxs__unit *u = &U[scored[j]];
            int term = is_wordish(u) & (u->score != 0);
            double av = fabs(u->valence);
            b_any |= term;
            b_fail |= term & ((av > bmax) | ((u->rules & changed) != 0));
            i_fail |= term & (av > imax);
            if (sw)
                u->score *= (float)sw[u->sentence];
            float sc = u->score;
            int counted = is_wordish(u) & (sc != 0);
            scored_words += (size_t)counted * u->ntok;
            pos += (float)(counted & (sc > 0)) * (sc + 1); /* sums of floats, as the scores are */
            neg += (float)(counted & (sc < 0)) * (-sc + 1);
        }
        /* the '!' / '?' emphasis is a score of a sentence end */
        if (any_emph)
            for (size_t j = 0; j < an->n_ends; j++) {
                cxs__unit *u = &U[an->ends[j].unit];
                if (u->rules & CXS_RULE_EMPHASIS) {
                    if (sw)
                        u->score *= (float)sw[u->sentence];
                    amp += fabs(u->score);
                }
            }
        if (bmax > 0 && raw != 0 && b_any && !b_fail)
            raw = 0; /* baseline only, above */
        if (imax > 0 && raw != 0 && (an->seen & CXS__R_INFO) && !i_fail)
            raw = 0; /* asking or informing, above */
    }
    /* mild evidence ("it was fine") is not a stance: shrink the raw score toward 0 */
    raw = fabs(raw) <= S->neutral_zone ? 0 : raw - sgn(raw) * S->neutral_zone;
    double compound = raw / sqrt(raw * raw + S->alpha);
    if (compound > 1)
        compound = 1;
    if (compound < -1)
        compound = -1;

    double neu = (double)(an->n_words - scored_words) * S->neutral_weight;
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
    an->label = cxs__label_of(an, compound);
    return CXS_OK;
}
