/*
 * cx.c — customer-experience facts from an analysed text.
 *
 * The model's themes, channels, intents and levels sections tag terms (words or phrases); the
 * text's tagged terms are found here, at each token the longest tagged term that starts there.
 * What the text says about them comes from sentiment scoring, which has run: a theme takes the
 * net score of the clauses that mention it (a clause ends at , ; : . ! ? and before a
 * contrastive, so "the food was great but the service was slow" gives food and service each
 * its own), its level from a level cue in those clauses or else from that score, a wait takes
 * the channel named nearest to it in its sentence. The words the wait rules read around a
 * duration (a travel verb before it, a promise, a word of use, "and" before a channel term)
 * come from the model's wait_context section, so a user file can change them like any other
 * word list; each is one lookup in the model's table.
 */
#include "cx.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int has_facts(const cxs__entry *e)
{
    return e && (e->theme | (e->channel & CXS__CX_CHANNEL_MASK) | e->cx);
}

/* cxs_channel + 1 of a channel term, 0 for none. */
static int entry_channel(const cxs__entry *e)
{
    return e->channel & CXS__CX_CHANNEL_MASK;
}

/* Whether e begins a phrase, one that scores or one that only states facts. */
static int begins_phrase(const cxs__entry *e)
{
    return e->prefix || (e->channel >> CXS__CX_PREFIX_SHIFT);
}

static unsigned entry_intent(const cxs__entry *e)
{
    return e->cx & CXS__CX_INTENT_MASK;
}

/* cxs_level + 1 of a level cue, 0 for none. */
static int entry_level(const cxs__entry *e)
{
    return e->cx >> CXS__CX_LEVEL_SHIFT;
}

void cxs__facts_clear(cxs__facts *f)
{
    f->n_themes = 0;
    f->n_spans = 0;
    f->intents = 0;
    f->n_waits = 0;
    f->n_mentions = 0;
}

void cxs__facts_free(cxs__facts *f, const cxs__alloc *a)
{
    cxs__free(a, f->themes, f->cap_themes * sizeof *f->themes);
    cxs__free(a, f->spans, f->cap_spans * sizeof *f->spans);
    cxs__free(a, f->waits, f->cap_waits * sizeof *f->waits);
    cxs__free(a, f->mentions, f->cap_mentions * sizeof *f->mentions);
    cxs__free(a, f->tok_clause, f->cap_tok * sizeof *f->tok_clause);
    cxs__free(a, f->clause_score, f->cap_clause * sizeof *f->clause_score);
    cxs__free(a, f->clause_sentence, f->cap_clause_sentence * sizeof *f->clause_sentence);
    cxs__free(a, f->sentence_score, f->cap_sentence * sizeof *f->sentence_score);
    cxs__free(a, f->clause_flags, f->cap_clause_flags * sizeof *f->clause_flags);
    cxs__free(a, f->ch, f->cap_ch * sizeof *f->ch);
    pcre2_match_data_free(f->md); /* through the model's allocator context */
    memset(f, 0, sizeof *f);
}

static int is_boundary_token(const cxs__token *t)
{
    return t->kind == CXS__TK_SENT_END || t->kind == CXS__TK_CLAUSE;
}

/*
 * "Coffee is excellent, prices are not.": a clause that names a theme, scores nothing and ends
 * in "not" (or a word in n't) says of its theme the opposite of the clause before: it gets
 * that clause's score, negated as score.c negates a term. (score.c leaves such a sentence's
 * score alone: the clause before keeps its own subject and sentiment.) A term negated already
 * is repeated, not denied ("The food was not great, the price was not.": not great either), as
 * score.c's elliptical() leaves it; and a clause after an elliptical one shares its antecedent
 * ("..., the price was not, the staff were not.").
 */
static double denied(const cxs__facts *f, const cxs_analyzer *an, uint32_t c, size_t *k)
{
    /* the clause indexes of units never decrease (the tokens of a duration are joined by
     * spaces, so in one clause): *k only moves forward, and the calls for one text read each
     * unit once between them */
    const cxs__settings *S = &an->model->settings;
    double sum = 0;
    for (; *k < an->n_units; ++*k) {
        const cxs__unit *u = &an->units[*k];
        if (u->tok >= an->toks.n)
            continue;
        uint32_t uc = f->tok_clause[u->tok];
        if (uc > c)
            break;
        if (uc < c || u->kind == CXS__TK_SENT_END || u->kind == CXS__TK_CLAUSE)
            continue;
        if (u->rules & CXS_RULE_NEGATED)
            sum += u->score;
        else
            sum += u->score * cxs__negation_factor(u->score, S);
    }
    return sum;
}

static void elliptical_clauses(cxs__facts *f, const cxs_analyzer *an)
{
    const cxs__tokens *tk = &an->toks;
    uint32_t last = 0; /* the last clause made elliptical (0: none; clause 0 never is) */
    size_t k = 0;      /* denied()'s place in the units */
    for (size_t i = 1; i <= tk->n; i++) {
        if (i < tk->n && !is_boundary_token(&tk->v[i]))
            continue;
        uint32_t c = f->tok_clause[i - 1];
        if (!cxs__tok_is_not(tk, &tk->v[i - 1]) || c == 0 || f->clause_score[c] != 0 ||
            f->clause_score[c - 1] == 0)
            continue;
        size_t a = i - 1; /* the clause's first token */
        while (a > 0 && f->tok_clause[a - 1] == c)
            a--;
        if (cxs__tokens_name_theme(an, a, i - 1)) {
            f->clause_score[c] =
                last && last == c - 1 ? f->clause_score[c - 1] : denied(f, an, c - 1, &k);
            last = c;
        }
    }
}

/*
 * Clauses and their scores: every token gets a clause index; a clause ends after a boundary
 * token and before a contrastive; its score is the sum of the scores of the units that begin in
 * it (sentence-end emphasis aside), and a sentence's score the sum of its clauses'. Returns the
 * number of clauses.
 */
static uint32_t clauses(cxs__facts *f, const cxs_analyzer *an)
{
    const cxs__tokens *tk = &an->toks;
    /* tok_clause first marks the tokens a contrastive unit begins at */
    memset(f->tok_clause, 0, tk->n * sizeof *f->tok_clause);
    for (size_t k = 0; k < an->n_units; k++)
        if ((an->units[k].roles & CXS__R_CONTRAST) && an->units[k].tok < tk->n)
            f->tok_clause[an->units[k].tok] = 1;
    uint32_t c = 0, s = 0;
    f->clause_score[0] = 0;
    f->clause_sentence[0] = 0;
    f->sentence_score[0] = 0;
    for (size_t i = 0; i < tk->n; i++) {
        if (f->tok_clause[i] && i > 0 && !is_boundary_token(&tk->v[i - 1])) {
            c++;
            f->clause_score[c] = 0;
            f->clause_sentence[c] = s;
        }
        f->tok_clause[i] = c;
        if (is_boundary_token(&tk->v[i]) && i + 1 < tk->n) {
            if (tk->v[i].kind == CXS__TK_SENT_END)
                f->sentence_score[++s] = 0;
            c++;
            f->clause_score[c] = 0;
            f->clause_sentence[c] = s;
        }
    }
    for (size_t k = 0; k < an->n_units; k++) {
        const cxs__unit *u = &an->units[k];
        if (u->kind != CXS__TK_SENT_END && u->kind != CXS__TK_CLAUSE && u->tok < tk->n)
            f->clause_score[f->tok_clause[u->tok]] += u->score;
    }
    elliptical_clauses(f, an);
    for (uint32_t k = 0; k <= c; k++)
        f->sentence_score[f->clause_sentence[k]] += f->clause_score[k];
    return c + 1;
}

/* Whether a negator ("not", "never", a word in n't) stands within three words before token i,
 * in its clause. */
static int negated_at(const cxs__facts *f, const cxs__tokens *tk, size_t i)
{
    const cxs__token *t = &tk->v[i];
    for (size_t j = i; j-- > 0;) {
        const cxs__token *p = &tk->v[j];
        if (f->tok_clause[j] != f->tok_clause[i] || t->widx - p->widx > 3)
            break;
        if ((p->flags & CXS__TF_NT) || (p->e && (p->e->roles & CXS__R_NEGATOR)))
            return 1;
    }
    return 0;
}

/* The token a match that starts at byte `at` begins with: the one `at` falls in, else the
 * first after it; tk->n if none. */
static size_t token_at(const cxs__tokens *tk, size_t at)
{
    size_t lo = 0, hi = tk->n; /* the first token that starts after `at` */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tk->v[mid].start <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && tk->v[lo - 1].end > at ? lo - 1 : lo;
}

/* Mentions in text order: by token, a term before a pattern, patterns in the model's order. */
static int mention_cmp(const void *x, const void *y)
{
    const cxs__mention *a = x, *b = y;
    if (a->tok != b->tok)
        return a->tok < b->tok ? -1 : 1;
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    return a->start < b->start ? -1 : a->start > b->start;
}

/*
 * The mentions of the model's patterns: each match of each pattern is a mention at the token
 * it begins with, as a term there would be (so it takes that token's clause and negation).
 * Matches of one pattern do not overlap; a match that hits a limit of the match context ends
 * that pattern's matches on this text. The mentions end up in text order (mention_cmp).
 */
static int pattern_mentions(cxs__facts *f, const cxs_analyzer *an, const cxs__alloc *a)
{
    const cxs_model *m = an->model;
    const cxs__tokens *tk = &an->toks;
    size_t n_terms = f->n_mentions;
    if (!f->md && !(f->md = pcre2_match_data_create(1, m->pcre_gctx)))
        return CXS_ENOMEM;
    for (size_t k = 0; k < m->n_patterns; k++) {
        const cxs__pattern *pt = &m->patterns[k];
        PCRE2_SIZE off = 0;
        while (off < tk->len) {
            int rc = pcre2_match(pt->code, (PCRE2_SPTR)tk->text, tk->len, off, 0, f->md,
                                 m->pcre_mctx);
            if (rc == PCRE2_ERROR_NOMEMORY)
                return CXS_ENOMEM;
            if (rc < 0)
                break; /* no more matches, or a limit reached */
            const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(f->md);
            if (ov[1] <= ov[0] || ov[1] > tk->len)
                break; /* an empty match (\K can make one): nothing to tag */
            off = ov[1];
            size_t i = token_at(tk, ov[0]);
            if (i >= tk->n || tk->v[i].start >= ov[1])
                continue; /* spaces or punctuation only */
            if (f->n_mentions == f->cap_mentions &&
                cxs__grow(a, (void **)&f->mentions, &f->cap_mentions, f->n_mentions + 1,
                          sizeof *f->mentions))
                return CXS_ENOMEM;
            cxs__mention *mn = &f->mentions[f->n_mentions++];
            mn->e = &pt->e;
            mn->start = (uint32_t)ov[0];
            mn->end = (uint32_t)ov[1];
            mn->tok = (uint32_t)i;
            mn->clause = f->tok_clause[i];
            mn->sentence = f->clause_sentence[mn->clause];
            mn->negated = negated_at(f, tk, i);
            mn->order = (uint32_t)k + 1;
        }
    }
    if (f->n_mentions > n_terms)
        qsort(f->mentions, f->n_mentions, sizeof *f->mentions, mention_cmp);
    return CXS_OK;
}

/* The tagged terms of the text, in order: at each token the longest tagged term. */
static int mentions(cxs__facts *f, const cxs_analyzer *an, const cxs__alloc *a)
{
    const cxs_model *m = an->model;
    const cxs__tokens *tk = &an->toks;
    f->n_mentions = 0;
    for (size_t i = 0; i < tk->n;) {
        const cxs__token *t = &tk->v[i];
        const cxs__entry *e = cxs__token_entry(m, tk, t);
        if (!e) {
            i++;
            continue;
        }
        const cxs__entry *best = has_facts(e) ? e : NULL;
        size_t best_n = 1;
        if (begins_phrase(e)) {
            uint64_t h = t->hash;
            const cxs__entry *cur = e;
            for (size_t j = i + 1; j < tk->n && cur && begins_phrase(cur); j++) {
                const cxs__token *nt = &tk->v[j];
                if (!cxs__tok_keyed(nt))
                    break;
                h = cxs__hash_combine(h, nt->hash);
                cur = cxs__model_probe_tokens(m, tk, t, j - i + 1, h);
                if (has_facts(cur)) {
                    best = cur;
                    best_n = j - i + 1;
                }
            }
        }
        if (!best) {
            i++;
            continue;
        }
        if (f->n_mentions == f->cap_mentions &&
            cxs__grow(a, (void **)&f->mentions, &f->cap_mentions, f->n_mentions + 1,
                      sizeof *f->mentions))
            return CXS_ENOMEM;
        cxs__mention *mn = &f->mentions[f->n_mentions++];
        mn->e = best;
        mn->start = t->start;
        mn->end = tk->v[i + best_n - 1].end;
        mn->tok = (uint32_t)i;
        mn->clause = f->tok_clause[i];
        mn->sentence = f->clause_sentence[mn->clause];
        mn->negated = negated_at(f, tk, i);
        mn->order = 0;
        i += best_n;
    }
    return m->n_patterns ? pattern_mentions(f, an, a) : CXS_OK;
}

/* What a clause holds that sets the level of the themes it mentions. */
enum {
    CXS__CF_BASELINE = 1u << CXS_LEVEL_BASELINE, /* a level cue of each level */
    CXS__CF_DELIGHT = 1u << CXS_LEVEL_DELIGHT,
    CXS__CF_FAILURE = 1u << CXS_LEVEL_FAILURE,
    CXS__CF_STRONG = 1u << 3, /* a term of valence delight_valence or more that scores positive,
                               * or a speed beyond the expected (see fast_beyond) */
    CXS__CF_THEMED = 1u << 4, /* the clause names a theme */
    CXS__CF_SENT_DELIGHT = 1u << 5 /* a clause of its sentence that names no theme holds a
                                    * delight cue */
};

/* Whether unit u is a duration done fast enough to be beyond the expected: after a speed cue
 * and within speed_minutes, so it scores the full speed_valence ("replied in 8 minutes", "fixed
 * within 5 minutes"), and still positive. A longer speed ("in 3 days") is a need met. */
static int fast_beyond(const cxs__unit *u, const cxs__settings *S)
{
    return u->kind == CXS__UK_DURATION && (u->rules & CXS_RULE_SPEED) && S->speed_valence > 0 &&
           u->valence >= S->speed_valence && u->score > 0;
}

/* Words of a sentence that names no theme and so may carry its delight cue back to the sentence
 * before ("Customers for life.", "Above and beyond.", "Can't thank them enough."). */
#define SHORT_SENTENCE_WORDS 6

/* The first token of clause c or a later one (clauses follow the tokens), tk->n if none. */
static size_t clause_first_token(const cxs__facts *f, const cxs__tokens *tk, uint32_t c)
{
    size_t lo = 0, hi = tk->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->tok_clause[mid] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Words in clauses c ... e - 1. */
static uint32_t clause_words(const cxs__facts *f, const cxs_analyzer *an, uint32_t c, uint32_t e)
{
    const cxs__tokens *tk = &an->toks;
    size_t a = clause_first_token(f, tk, c), b = clause_first_token(f, tk, e);
    uint32_t w0 = a < tk->n ? tk->v[a].widx : 0;
    uint32_t w1 = b < tk->n ? tk->v[b].widx : (uint32_t)an->n_words;
    return w1 - w0;
}

/* The flags of every clause: one pass over the mentions (with the units before each walked
 * along), one over the clauses and one over the units. */
static void clause_flags(cxs__facts *f, const cxs_analyzer *an, uint32_t n_clauses)
{
    memset(f->clause_flags, 0, n_clauses * sizeof *f->clause_flags);
    /* the last irrealis marker ("wish", "would have") before the mention, walked along with
     * the mentions over the units: a cue within irrealis_scope words after it, in its clause,
     * is wished for, not told ("wish the app remembered my weights") */
    const cxs__tokens *tk = &an->toks;
    double iscope = an->model->settings.irrealis_scope;
    size_t u_at = 0;
    uint32_t irr_clause = UINT32_MAX, irr_last = 0;
    for (size_t k = 0; k < f->n_mentions; k++) {
        const cxs__mention *mn = &f->mentions[k];
        for (; u_at < an->n_units && an->units[u_at].tok < mn->tok; u_at++) {
            const cxs__unit *u = &an->units[u_at];
            if (u->score == 0 && u->e && (u->e->roles & CXS__R_IRREALIS) && u->tok < tk->n) {
                irr_clause = f->tok_clause[u->tok];
                irr_last = u->widx + u->ntok - 1;
            }
        }
        uint32_t w = tk->v[mn->tok].widx;
        int wished = irr_clause == mn->clause && irr_last < w && w - irr_last <= iscope;
        int level = entry_level(mn->e);
        /* a need met or exceeded that is only wished for did not happen; a failure wished
         * away ("wish it hadn't broken") did */
        if (level && !mn->negated && (level == CXS_LEVEL_FAILURE + 1 || !wished))
            f->clause_flags[mn->clause] |= (uint8_t)(1u << (level - 1));
        if (mn->e->theme)
            f->clause_flags[mn->clause] |= CXS__CF_THEMED;
    }
    /* a delight cue in a clause that names no theme is about the nearest clause of its
     * sentence that names one ("answered within an hour, which I didn't expect"), and one in a
     * sentence that names no theme at all about the last such clause of the sentence before
     * ("The owner drove them over himself. Customers for life.") */
    uint32_t prev_c = 0; /* the first clause of the sentence before */
    for (uint32_t c = 0; c < n_clauses;) {
        uint32_t e = c;
        unsigned orphan = 0, themed = 0;
        while (e < n_clauses && f->clause_sentence[e] == f->clause_sentence[c]) {
            themed |= f->clause_flags[e] & CXS__CF_THEMED;
            if (!(f->clause_flags[e] & CXS__CF_THEMED))
                orphan |= f->clause_flags[e] & CXS__CF_DELIGHT;
            e++;
        }
        if (orphan && !themed) {
            /* a theme-less sentence, if a short exclamation (a longer one tells of an event of
             * its own): the last clause of the sentence before that names a theme */
            uint32_t words = clause_words(f, an, c, e);
            for (uint32_t k = c; words <= SHORT_SENTENCE_WORDS && k-- > prev_c;)
                if (f->clause_flags[k] & CXS__CF_THEMED) {
                    f->clause_flags[k] |= CXS__CF_SENT_DELIGHT;
                    break;
                }
        } else if (orphan) {
            /* the cue goes to the nearest clause that names a theme: the one before it, else
             * the one after (one pass: a cue with none before waits for the next) */
            uint32_t last = UINT32_MAX;
            int pending = 0;
            for (uint32_t k = c; k < e; k++) {
                uint8_t fl = f->clause_flags[k];
                if (fl & CXS__CF_THEMED) {
                    last = k;
                    if (pending)
                        f->clause_flags[k] |= CXS__CF_SENT_DELIGHT;
                    pending = 0;
                } else if (fl & CXS__CF_DELIGHT) {
                    if (last != UINT32_MAX)
                        f->clause_flags[last] |= CXS__CF_SENT_DELIGHT;
                    else
                        pending = 1;
                }
            }
        }
        prev_c = c;
        c = e;
    }
    double v = an->model->settings.delight_valence;
    for (size_t k = 0; k < an->n_units; k++) {
        const cxs__unit *u = &an->units[k];
        if (u->tok < an->toks.n &&
            ((u->valence >= v && u->score > 0) || fast_beyond(u, &an->model->settings)))
            f->clause_flags[f->tok_clause[u->tok]] |= CXS__CF_STRONG;
    }
}

/* Net score, polarity and level of theme fact t, from its mentions' clauses. */
static void judge_theme(cxs__facts *f, const cxs_analyzer *an, cxs__theme_fact *t)
{
    const cxs__settings *S = &an->model->settings;
    double net = 0;
    unsigned flags = 0;
    uint32_t last = UINT32_MAX;
    for (uint32_t k = 0; k < f->n_mentions; k++) { /* each clause that mentions it, once */
        const cxs__mention *mn = &f->mentions[k];
        if (mn->e->theme != t->theme + 1 || mn->clause == last)
            continue;
        last = mn->clause;
        net += f->clause_score[mn->clause];
        flags |= f->clause_flags[mn->clause];
        if (f->clause_flags[mn->clause] & CXS__CF_SENT_DELIGHT)
            flags |= CXS__CF_DELIGHT;
    }
    if (net == 0) { /* "the staff." in a sentence that says how they were elsewhere */
        last = UINT32_MAX;
        for (uint32_t k = 0; k < f->n_mentions; k++) {
            const cxs__mention *mn = &f->mentions[k];
            if (mn->e->theme != t->theme + 1 || mn->sentence == last)
                continue;
            last = mn->sentence;
            net += f->sentence_score[mn->sentence];
        }
    }
    /* a theme in a text that says nothing of it in its own sentences takes the text's stance */
    t->score = net != 0 ? net / sqrt(net * net + S->alpha) : an->scores.compound;
    t->polarity = cxs__label_of(an, t->score);
    int cue_fail = (flags & CXS__CF_FAILURE) != 0, cue_delight = (flags & CXS__CF_DELIGHT) != 0;
    int cue_base = (flags & CXS__CF_BASELINE) != 0, strong = (flags & CXS__CF_STRONG) != 0;
    if (cue_fail && t->polarity != CXS_LABEL_POSITIVE)
        t->level = CXS_LEVEL_FAILURE;
    else if (cue_delight && t->polarity == CXS_LABEL_POSITIVE)
        t->level = CXS_LEVEL_DELIGHT;
    else if (cue_base && t->polarity != CXS_LABEL_NEGATIVE)
        t->level = CXS_LEVEL_BASELINE;
    else if (t->polarity == CXS_LABEL_NEGATIVE)
        t->level = CXS_LEVEL_FAILURE; /* a basic expectation not met */
    else if (t->polarity == CXS_LABEL_POSITIVE && strong)
        t->level = CXS_LEVEL_DELIGHT;
    else
        t->level = CXS_LEVEL_BASELINE;
}

/* One fact per theme in order of first mention, each with the spans of its mentions. */
static int themes(cxs__facts *f, const cxs_analyzer *an, const cxs__alloc *a)
{
    f->n_themes = 0;
    size_t n_spans = 0;
    for (size_t k = 0; k < f->n_mentions; k++) {
        const cxs__entry *e = f->mentions[k].e;
        if (!e->theme)
            continue;
        n_spans++;
        size_t t = 0;
        while (t < f->n_themes && f->themes[t].theme != (uint32_t)(e->theme - 1))
            t++;
        if (t == f->n_themes) {
            if (t == f->cap_themes &&
                cxs__grow(a, (void **)&f->themes, &f->cap_themes, t + 1, sizeof *f->themes))
                return CXS_ENOMEM;
            memset(&f->themes[t], 0, sizeof f->themes[t]);
            f->themes[t].theme = (uint32_t)(e->theme - 1);
            f->n_themes++;
        }
        f->themes[t].n++;
    }
    if (cxs__grow(a, (void **)&f->spans, &f->cap_spans, n_spans, sizeof *f->spans))
        return CXS_ENOMEM;
    uint32_t first = 0;
    for (size_t t = 0; t < f->n_themes; t++) {
        cxs__theme_fact *tf = &f->themes[t];
        tf->first = first;
        first += tf->n;
        tf->n = 0;
        for (size_t k = 0; k < f->n_mentions; k++) {
            const cxs__mention *mn = &f->mentions[k];
            if (mn->e->theme == tf->theme + 1)
                f->spans[tf->first + tf->n++] = (cxs__span){mn->start, mn->end};
        }
        judge_theme(f, an, tf);
    }
    f->n_spans = first;
    return CXS_OK;
}

static double standard_of(const cxs__settings *S, int channel)
{
    switch (channel) {
    case CXS_CHANNEL_PHONE: return S->standard_phone;
    case CXS_CHANNEL_CHAT: return S->standard_chat;
    case CXS_CHANNEL_EMAIL: return S->standard_email;
    case CXS_CHANNEL_SOCIAL: return S->standard_social;
    case CXS_CHANNEL_STORE: return S->standard_store;
    case CXS_CHANNEL_DELIVERY: return S->standard_delivery;
    default: return S->standard_other;
    }
}

/* The wait_context kinds (cxs__wait_word bits) of token t's word, 0 for none: one lookup in
 * the model's table, as for the facts. */
static unsigned wait_word(const cxs_analyzer *an, const cxs__token *t)
{
    const cxs__entry *e = cxs__token_entry(an->model, &an->toks, t);
    return e ? e->wait : 0;
}

/* Whether a mention of a contact channel (phone, chat, email, social) counts contacts: "four
 * phone calls", "2 emails", "emailed twice". A wait told with contacts counted ("took 6 weeks and four phone calls", "it's been 2
 * months and 4 emails") lasted over several of them: it is a wait for the outcome, not for an
 * answer on that channel. ("a call" counts one: a number word of 1 is no count.) */
static int counted_contact(const cxs_analyzer *an, const cxs__mention *mn)
{
    const cxs__tokens *tk = &an->toks;
    size_t i = mn->tok;
    int ch = entry_channel(mn->e) - 1;
    if (!(ch == CXS_CHANNEL_PHONE || ch == CXS_CHANNEL_CHAT || ch == CXS_CHANNEL_EMAIL ||
          ch == CXS_CHANNEL_SOCIAL))
        return 0; /* "4 lines", "20 at the counter", "2 parcels" count no contacts */
    if (i > 0) {
        const cxs__token *p = &tk->v[i - 1];
        if (p->kind == CXS__TK_NUMBER)
            return p->num >= 2;
        const cxs__entry *e = cxs__token_entry(an->model, tk, p);
        if (e && (e->roles & CXS__R_NUMBER_WORD))
            return e->amount >= 2;
    }
    while (i < tk->n && tk->v[i].start < mn->end) /* the token after the mention */
        i++;
    return i < tk->n && (wait_word(an, &tk->v[i]) & CXS__W_COUNT); /* "twice" */
}

/* The channel (cxs_channel + 1) a channel mention gives a wait: a count of contacts gives
 * other, as the wait is for the outcome. */
static int mention_channel(const cxs_analyzer *an, const cxs__mention *mn)
{
    return counted_contact(an, mn) ? CXS_CHANNEL_OTHER + 1 : entry_channel(mn->e);
}

/* The mentions that name a channel, and the one channel of the text if it names only one. */
static int channels(cxs__facts *f, const cxs_analyzer *an, const cxs__alloc *a)
{
    f->n_ch = 0;
    f->ch_pos = 0;
    f->text_channel = 0;
    int several = 0;
    for (size_t k = 0; k < f->n_mentions; k++) {
        if (!entry_channel(f->mentions[k].e))
            continue;
        int ch = mention_channel(an, &f->mentions[k]);
        if (f->n_ch == f->cap_ch &&
            cxs__grow(a, (void **)&f->ch, &f->cap_ch, f->n_ch + 1, sizeof *f->ch))
            return CXS_ENOMEM;
        f->ch[f->n_ch++] = (uint32_t)k;
        several |= f->text_channel != 0 && f->text_channel != ch;
        f->text_channel = ch;
    }
    if (several)
        f->text_channel = 0;
    return CXS_OK;
}

/* Whether a word that starts a new predicate (a join word: "and", "when", "because")
 * stands between tokens a and b (a < b, at most 16 apart, else no): a channel named past one
 * is told of another event ("chat reply in 30 sec and refunded my fries", "my order said
 * preparing for 55 minutes when the restaurant says it's ready"). */
static int joined_between(const cxs_analyzer *an, size_t a, size_t b)
{
    if (b - a > 16)
        return 0;
    for (size_t i = a + 1; i < b; i++)
        if (wait_word(an, &an->toks.v[i]) & CXS__W_JOIN)
            return 1;
    return 0;
}

/*
 * The channel of a wait whose time unit is token tok, in sentence s: the channel term nearest
 * to it in its sentence (the last one before it or the first one after it; the one in the
 * wait's clause when only one is; the one before on a tie, and when the one after is past
 * "and", "when", ... : see joined_between), else the one
 * channel the text names, else other. A term that counts contacts gives other
 * (counted_contact). Waits come in text order, so a
 * cursor over the channel mentions makes this linear.
 */
static int channel_of(cxs__facts *f, const cxs_analyzer *an, uint32_t tok, uint32_t s)
{
    if (f->ch_pos > 0 && f->mentions[f->ch[f->ch_pos - 1]].tok > tok)
        f->ch_pos = 0; /* not in text order: start over */
    while (f->ch_pos < f->n_ch && f->mentions[f->ch[f->ch_pos]].tok <= tok)
        f->ch_pos++;
    const cxs__mention *before = f->ch_pos > 0 ? &f->mentions[f->ch[f->ch_pos - 1]] : NULL;
    const cxs__mention *after = f->ch_pos < f->n_ch ? &f->mentions[f->ch[f->ch_pos]] : NULL;
    if (before && before->sentence != s)
        before = NULL;
    if (after && after->sentence != s)
        after = NULL;
    const cxs__mention *near = before ? before : after;
    if (before && after) {
        /* a term in the wait's own clause over one past a comma ("Check-in took 10 minutes,
         * boarding was orderly"), else the nearer */
        uint32_t c = f->tok_clause[tok];
        int b_in = before->clause == c, a_in = after->clause == c;
        int take_after = b_in != a_in ? a_in : after->tok - tok < tok - before->tok;
        near = take_after && !joined_between(an, tok, after->tok) ? after : before;
    }
    int ch = near ? mention_channel(an, near) : f->text_channel;
    return ch ? ch - 1 : CXS_CHANNEL_OTHER;
}

/* A wait is at most this long (a century): a longer "duration" is a number, not a wait. */
#define WAIT_MAX (100.0 * 365.0 * 86400.0)

/* Durations longer than this with no cue are no wait ("a customer for 5 years"). */
#define UNCUED_WAIT_MAX (90.0 * 86400.0)

/* Add a wait of `seconds` over bytes [start, end) whose time unit is token tok. A wait stated
 * again ("3 days since I wrote ... 3 DAYS") is one wait: one of the same length and channel as
 * one of the last few waits is left out. */
static int add_wait(cxs__facts *f, const cxs_analyzer *an, const cxs__alloc *a, double seconds,
                    uint32_t start, uint32_t end, uint32_t tok)
{
    seconds = floor(seconds + 0.5);
    if (!(seconds > 0 && seconds <= WAIT_MAX))
        return CXS_OK; /* "880000000000000000000 minutes" states no wait */
    int channel = channel_of(f, an, tok, f->clause_sentence[f->tok_clause[tok]]);
    for (size_t k = f->n_waits > 8 ? f->n_waits - 8 : 0; k < f->n_waits; k++)
        if (f->waits[k].seconds == seconds && f->waits[k].channel == channel)
            return CXS_OK;
    if (f->n_waits == f->cap_waits &&
        cxs__grow(a, (void **)&f->waits, &f->cap_waits, f->n_waits + 1, sizeof *f->waits))
        return CXS_ENOMEM;
    cxs_wait *w = &f->waits[f->n_waits++];
    w->start = start;
    w->end = end;
    w->seconds = seconds;
    w->channel = channel;
    double standard = standard_of(&an->model->settings, channel);
    w->breach = standard > 0 && seconds > standard;
    return CXS_OK;
}

/*
 * A negative phrase that holds a duration ("5 days later", "an hour late"): the lexicon scores
 * it as a whole, so matching made no duration of it, yet it states a wait. Returns the seconds
 * (0 if none) and the bytes from the number on.
 */
static double phrase_wait(const cxs_analyzer *an, const cxs__unit *u, uint32_t *start,
                          uint32_t *tok, size_t *first_tok)
{
    const cxs__tokens *tk = &an->toks;
    if (u->ntok < 2 || u->valence >= 0)
        return 0;
    for (size_t t = u->tok; t < (size_t)u->tok + u->ntok && t < tk->n; t++) {
        const cxs__entry *e = tk->v[t].e;
        if (!e || !(e->roles & CXS__R_TIME_UNIT) || !cxs__tok_keyed(&tk->v[t]))
            continue;
        size_t first = t;
        double qty = cxs__duration_quantity(an, t, &first);
        if (qty <= 0)
            continue;
        *start = tk->v[first].start;
        *tok = (uint32_t)t;
        *first_tok = first;
        return qty * e->amount;
    }
    return 0;
}

/* Whether duration u goes on wait w as its smaller part: "1 hour 10 minutes", "2 days and 3
 * hours" (only spaces, or "and" between, and a shorter duration after a longer one). */
static int adds_to(const cxs_analyzer *an, const cxs_wait *w, const cxs__unit *u)
{
    if (!(u->amount > 0 && u->amount < w->seconds) || u->start < w->end)
        return 0;
    const char *t = an->toks.text;
    size_t g = w->end;
    while (g < u->start && t[g] == ' ')
        g++;
    if (u->start - g >= 3 && memcmp(t + g, "and", 3) == 0) {
        g += 3;
        if (g < u->start && t[g] != ' ')
            return 0;
        while (g < u->start && t[g] == ' ')
            g++;
    }
    return g == u->start && u->start > w->end;
}

/* Whether a double quote (" or a curly one) opens or closes at byte g of t; *len its bytes. */
static int quote_at(const char *t, size_t g, size_t n, size_t *len)
{
    if (t[g] == '"') {
        *len = 1;
        return 1;
    }
    if (g + 2 < n && (unsigned char)t[g] == 0xE2 && (unsigned char)t[g + 1] == 0x80 &&
        ((unsigned char)t[g + 2] == 0x9C || (unsigned char)t[g + 2] == 0x9D)) {
        *len = 3;
        return 1;
    }
    return 0;
}

/* Quoting, walked along the text: whether bytes [start, end) stand inside a short quotation,
 * one opened at most 24 bytes before them and closed at most 24 after ("says \"arriving in 5
 * min\"", "the \"estimated 25 min\""): a duration quoted so is what someone said, a promise or
 * an estimate, not a wait the writer had. (A long quotation may be the writer's own words.)
 * *pos, *open and *opened (where the quotation open opened) carry the walk from call to call,
 * made in text order. */
static int quoted(const cxs_analyzer *an, size_t start, size_t end, size_t *pos, int *open,
                  size_t *opened)
{
    const char *t = an->toks.text;
    size_t n = an->toks.n ? an->toks.v[an->toks.n - 1].end : 0, len;
    if (*pos > start)
        *pos = 0, *open = 0, *opened = 0; /* not in text order: start over */
    for (; *pos < start && *pos < n; *pos += 1)
        if (quote_at(t, *pos, n, &len)) {
            *open = !*open;
            *opened = *pos;
            *pos += len - 1;
        }
    if (!*open || start - *opened > 24)
        return 0;
    for (size_t g = end; g < n && g < end + 24; g++)
        if (quote_at(t, g, n, &len))
            return 1;
    return 0;
}

/* Whether the channel of duration u's wait is one of `channels` (bits 1 << cxs_channel) and
 * is named by the channel term right before it in its clause: the context queue_length and
 * contact_ago read. */
static int channel_named_before(cxs__facts *f, const cxs_analyzer *an, const cxs__unit *u,
                                unsigned channels)
{
    uint32_t unit_tok = u->tok + u->ntok - 1;
    int ch = channel_of(f, an, unit_tok, f->clause_sentence[f->tok_clause[unit_tok]]);
    if (!((channels >> ch) & 1u))
        return 0;
    /* channel_of left its cursor past the mentions up to the unit */
    const cxs__mention *before = f->ch_pos > 0 ? &f->mentions[f->ch[f->ch_pos - 1]] : NULL;
    return before && before->clause == f->tok_clause[unit_tok] &&
           entry_channel(before->e) - 1 == ch;
}

/* Whether duration u, which a cue calls no wait, is the length of a queue or a hold: a
 * length word ("long") right after it ("the line was 45 minutes long", "a 2 hour long hold")
 * and a phone, chat or store term before it in its clause. ("a 9 hour long flight" is no
 * wait.) */
static int queue_length(cxs__facts *f, const cxs_analyzer *an, const cxs__unit *u)
{
    const cxs__tokens *tk = &an->toks;
    size_t j = (size_t)u->tok + u->ntok;
    if (j >= tk->n || !(wait_word(an, &tk->v[j]) & CXS__W_LENGTH))
        return 0;
    return channel_named_before(f, an, u,
                                1u << CXS_CHANNEL_PHONE | 1u << CXS_CHANNEL_CHAT |
                                    1u << CXS_CHANNEL_STORE);
}

/* Whether a speed (duration u right after "in", "within") is promised, not had: a promise
 * word ("promised", "said", "told") at most 6 tokens before it in its clause ("promised a
 * callback within 24 hours", "the order said ready in 5 minutes", "they told me within 3
 * days"). */
static int promised(const cxs__facts *f, const cxs_analyzer *an, const cxs__unit *u)
{
    const cxs__tokens *tk = &an->toks;
    uint32_t c = f->tok_clause[u->tok];
    for (size_t i = u->tok, n = 0; i-- > 0 && n < 6 && f->tok_clause[i] == c; n++)
        if (wait_word(an, &tk->v[i]) & CXS__W_PROMISE)
            return 1;
    return 0;
}

/* Whether token t (which may be past the last) is the word w (n bytes). */
static int tok_word(const cxs__tokens *tk, size_t t, const char *w, size_t n)
{
    return t < tk->n && cxs__tok_is(tk, &tk->v[t], w, n);
}

/*
 * Whether duration unit u is a rate: its quantity is "a" or "an" and a number stands at most
 * two words before it, with no "and" between ("$85 a month", "3 meals a day", "20 calls a
 * day"): a count per period, not a length of time ("two phone calls and an hour on hold" is
 * one). A fact only: scoring still reads such a duration with no cue as a weak wait, which
 * measured better for sentiment on every labelled set (a price per month is told mostly in
 * complaints) than reading it as nothing.
 */
static int is_rate(const cxs_analyzer *an, const cxs__unit *u)
{
    const cxs__tokens *tk = &an->toks;
    if (!tok_word(tk, u->tok, "a", 1) && !tok_word(tk, u->tok, "an", 2))
        return 0;
    for (size_t b = 1; b <= 2 && b <= u->tok; b++) {
        const cxs__token *p = &tk->v[u->tok - b];
        if (p->kind == CXS__TK_NUMBER)
            return 1;
        if (p->kind != CXS__TK_WORD || tok_word(tk, u->tok - b, "and", 3))
            return 0;
    }
    return 0;
}

/* Whether duration u is a trip: a trip word (a verb of travel) right before it ("drove 40
 * minutes for this brisket", "walked 10 minutes", "flew 9 hours"): time spent getting there,
 * not waiting. */
static int trip(const cxs_analyzer *an, const cxs__unit *u)
{
    return u->tok > 0 && (wait_word(an, &an->toks.v[u->tok - 1]) & CXS__W_TRIP);
}

/* Whether duration u is a lead time: a lead word right after it, or after "in" right after
 * it ("with 30 days' notice", "booked 2 weeks in advance", "3 weeks ahead"): notice given or
 * asked, not a wait had. A fact only, like the rest of wait_context. */
static int lead_time(const cxs_analyzer *an, const cxs__unit *u)
{
    const cxs__tokens *tk = &an->toks;
    size_t j = (size_t)u->tok + u->ntok;
    j += (size_t)tok_word(tk, j, "in", 2);
    return j < tk->n && (wait_word(an, &tk->v[j]) & CXS__W_LEAD);
}

/* Whether duration u, which a cue calls no wait, is the time since a contact left unanswered:
 * "ago" right after it, a phone, chat, email or social term before it in its clause, and a
 * text that is not positive ("DM'd you 2 days ago, nothing", "emailed them a week ago, still
 * no reply"): the writer is still waiting for the answer. ("bought it 3 months ago" names no
 * contact; "called 2 days ago and they sorted it out, great" waits for nothing.) */
static int contact_ago(cxs__facts *f, const cxs_analyzer *an, const cxs__unit *u)
{
    size_t after = (size_t)u->tok + u->ntok;
    if (an->label == CXS_LABEL_POSITIVE || !tok_word(&an->toks, after, "ago", 3))
        return 0;
    return channel_named_before(f, an, u,
                                1u << CXS_CHANNEL_PHONE | 1u << CXS_CHANNEL_CHAT |
                                    1u << CXS_CHANNEL_EMAIL | 1u << CXS_CHANNEL_SOCIAL);
}

/* Whether duration u is a lifetime: right after a lifetime-after word ("after"), with a word
 * of breaking down or running out (lifetime-end) at most 12 tokens before it in its clause
 * ("stopped working after 2 weeks", "broke after 6 weeks", "the tips hurt after an hour",
 * "points expire after 12 months"), or right after a lifetime-after or lifetime-for word
 * ("for") with a word of use (lifetime-use) there ("worked fine for 3 months", "used it for a
 * month"): how long a thing lasted, not a wait. */
static int lifetime(const cxs__facts *f, const cxs_analyzer *an, const cxs__unit *u)
{
    const cxs__tokens *tk = &an->toks;
    if (u->tok == 0)
        return 0;
    unsigned opens = wait_word(an, &tk->v[u->tok - 1]);
    if (!(opens & (CXS__W_AFTER | CXS__W_FOR)))
        return 0;
    unsigned want = CXS__W_USE | (opens & CXS__W_AFTER ? CXS__W_END : 0u);
    uint32_t c = f->tok_clause[u->tok];
    for (size_t i = u->tok - 1, n = 0; i-- > 0 && n < 12 && f->tok_clause[i] == c; n++)
        if (wait_word(an, &tk->v[i]) & want)
            return 1;
    return 0;
}

/*
 * A wait written in parts that matching does not join (it joins "1 hour 10 minutes" through
 * adds_to): "half an hour" (the article's one is a half), "an hour and a half", "2 days and a
 * half", and after hours a bare count of minutes that ends its clause or comes before "and"
 * ("took 1 hr 20", "an hour and 15, but ...", "1 hr 20 and the naan was soggy"). From the
 * quantity at token q and the time unit at token unit_tok, sec seconds (a duration unit, or a
 * negative phrase that holds one: "waited an hour and a half"), returns the seconds with the
 * parts and moves *start and *end over them, and *last (the time unit's token) to the last token
 * of the parts after it, from which the channel is looked for ("an hour and a half on hold").
 */
static double wait_parts(const cxs_analyzer *an, size_t q, size_t unit_tok, double sec,
                         uint32_t *start, uint32_t *end, uint32_t *last)
{
    const cxs__tokens *tk = &an->toks;
    size_t j = unit_tok + 1; /* q: the quantity; j: the token after the time unit */
    const cxs__entry *ue = cxs__token_entry(an->model, tk, &tk->v[unit_tok]);
    double unit = ue && (ue->roles & CXS__R_TIME_UNIT) ? ue->amount : 0;
    if (!(unit > 0))
        return sec;
    if (q > 0 && sec == unit && (tok_word(tk, q, "a", 1) || tok_word(tk, q, "an", 2)) &&
        tok_word(tk, q - 1, "half", 4) && tk->v[q - 1].end + 1 == tk->v[q].start) {
        *start = tk->v[q - 1].start;
        return unit / 2;
    }
    int joined = tok_word(tk, j, "and", 3);
    if (joined && tok_word(tk, j + 1, "a", 1) && tok_word(tk, j + 2, "half", 4)) {
        *end = tk->v[j + 2].end;
        *last = (uint32_t)(j + 2);
        return sec + unit / 2;
    }
    size_t m = j + (size_t)joined;
    if (unit != 3600 || m >= tk->n || tk->v[m].kind != CXS__TK_NUMBER)
        return sec;
    float mins = tk->v[m].num;
    if (!(mins >= 1 && mins <= 59 && mins == (float)(int)mins))
        return sec;
    int closes = m + 1 >= tk->n || tk->v[m + 1].kind == CXS__TK_SENT_END ||
                 tk->v[m + 1].kind == CXS__TK_CLAUSE || (!joined && tok_word(tk, m + 1, "and", 3));
    /* "2 hours 10 minutes" is two durations (adds_to); "an hour and 20 people" is none */
    if (!closes)
        return sec;
    *end = tk->v[m].end;
    *last = (uint32_t)m;
    return sec + 60.0 * mins;
}

/* The waits: durations after a wait cue or a speed cue ("fixed in 10 minutes" took 10
 * minutes), ones called ordinary, long ones with no cue that scoring reads as a wait, and
 * negative phrases that hold a duration. */
static int waits(cxs__facts *f, const cxs_analyzer *an, const cxs__alloc *a)
{
    f->n_waits = 0;
    size_t qpos = 0;
    size_t qopened = 0;
    int qopen = 0;
    for (size_t k = 0; k < an->n_units; k++) {
        const cxs__unit *u = &an->units[k];
        if (u->tok >= an->toks.n)
            continue;
        if (u->kind != CXS__UK_DURATION) {
            uint32_t start, tok, end = u->end;
            size_t first = 0;
            double sec = phrase_wait(an, u, &start, &tok, &first);
            if (sec > 0) {
                sec = wait_parts(an, first, tok, sec, &start, &end, &tok);
                if (end < u->end)
                    end = u->end;
                if (add_wait(f, an, a, sec, start, end, tok))
                    return CXS_ENOMEM;
            }
            continue;
        }
        if (f->n_waits && adds_to(an, &f->waits[f->n_waits - 1], u)) {
            cxs_wait *w = &f->waits[f->n_waits - 1]; /* "1 hour 10 minutes" is one wait */
            w->seconds += floor((double)u->amount + 0.5);
            w->end = u->end;
            double standard = standard_of(&an->model->settings, w->channel);
            w->breach = standard > 0 && w->seconds > standard;
            continue;
        }
        if (quoted(an, u->start, u->end, &qpos, &qopen, &qopened))
            continue;
        int kind = cxs__duration_kind(an, k);
        if ((kind == CXS__DUR_OTHER && !queue_length(f, an, u) && !contact_ago(f, an, u)) ||
            (kind == CXS__DUR_SPEED && promised(f, an, u)) || trip(an, u) ||
            lifetime(f, an, u) ||
            (kind == CXS__DUR_UNCUED && (u->valence == 0 || u->amount > UNCUED_WAIT_MAX)) ||
            is_rate(an, u) || lead_time(an, u))
            continue;
        uint32_t unit_tok = u->tok + u->ntok - 1; /* the time unit */
        uint32_t start = u->start, end = u->end;
        double sec = wait_parts(an, u->tok, unit_tok, u->amount, &start, &end, &unit_tok);
        if (add_wait(f, an, a, sec, start, end, unit_tok))
            return CXS_ENOMEM;
    }
    return CXS_OK;
}

int cxs__facts_make(cxs__facts *f, const cxs_analyzer *an, const cxs__alloc *a)
{
    cxs__facts_clear(f);
    size_t n = an->toks.n;
    if (cxs__grow(a, (void **)&f->tok_clause, &f->cap_tok, n + 1, sizeof *f->tok_clause) ||
        cxs__grow(a, (void **)&f->clause_score, &f->cap_clause, n + 1,
                  sizeof *f->clause_score) ||
        cxs__grow(a, (void **)&f->clause_sentence, &f->cap_clause_sentence, n + 1,
                  sizeof *f->clause_sentence) ||
        cxs__grow(a, (void **)&f->sentence_score, &f->cap_sentence, n + 1,
                  sizeof *f->sentence_score) ||
        cxs__grow(a, (void **)&f->clause_flags, &f->cap_clause_flags, n + 1,
                  sizeof *f->clause_flags))
        return CXS_ENOMEM;
    /* a text of n tokens has at most n + 1 clauses and sentences */
    uint32_t n_clauses = clauses(f, an);
    int rc = mentions(f, an, a);
    if (!rc) {
        clause_flags(f, an, n_clauses);
        rc = channels(f, an, a);
    }
    if (!rc)
        rc = themes(f, an, a);
    if (!rc)
        rc = waits(f, an, a);
    if (rc) {
        cxs__facts_clear(f);
        return rc;
    }
    for (size_t k = 0; k < f->n_mentions; k++)
        if (!f->mentions[k].negated)
            f->intents |= entry_intent(f->mentions[k].e);
    if (an->label == CXS_LABEL_NEGATIVE)
        f->intents |= CXS_INTENT_COMPLAINT; /* a negative text about the brand complains */
    return CXS_OK;
}
