/*
 * analyzer.c — the analyzer object and lexical matching: tokens become units, where a unit is
 * one token or the longest phrase starting at it.
 */
#include "analyzer.h"

#include <string.h>

int cxs_analyzer_new(cxs_analyzer **out, const cxs_model *model, cxs_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !model)
        return cxs__error_set(err, CXS_EINVAL, "<analyzer>", 0, 0, "NULL argument");
    cxs_analyzer *an = cxs__calloc(&model->alloc, 1, sizeof *an);
    if (!an)
        return cxs__error_set(err, CXS_ENOMEM, "<analyzer>", 0, 0, "out of memory");
    an->model = model;
    an->alloc = model->alloc;
    an->pos_thr = 0.05;
    an->neg_thr = -0.05;
    an->max_text = 4294967295.0;
    *out = an;
    return CXS_OK;
}

void cxs_analyzer_free(cxs_analyzer *an)
{
    if (!an)
        return;
    cxs__alloc a = an->alloc;
    cxs__tokens_free(&an->toks, &a);
    cxs__free(&a, an->units, an->cap_units * sizeof *an->units);
    cxs__free(&a, an->ends, an->cap_ends * sizeof *an->ends);
    cxs__free(&a, an->scored, an->cap_scored * sizeof *an->scored);
    cxs__free(&a, an->sent_score, an->cap_sent * sizeof *an->sent_score);
    cxs__free(&a, an, sizeof *an);
}

int cxs_analyzer_set(cxs_analyzer *an, cxs_param param, double value)
{
    if (!an || value != value)
        return CXS_EINVAL;
    switch (param) {
    case CXS_PARAM_POS_THRESHOLD:
        if (value < -1 || value > 1 || value < an->neg_thr)
            return CXS_EINVAL;
        an->pos_thr = value;
        return CXS_OK;
    case CXS_PARAM_NEG_THRESHOLD:
        if (value < -1 || value > 1 || value > an->pos_thr)
            return CXS_EINVAL;
        an->neg_thr = value;
        return CXS_OK;
    case CXS_PARAM_STRICT_UTF8:
        an->strict = value != 0;
        return CXS_OK;
    case CXS_PARAM_MAX_TEXT:
        if (value < 0 || value > 4294967295.0)
            return CXS_EINVAL;
        an->max_text = value;
        return CXS_OK;
    default:
        return CXS_EINVAL;
    }
}

int cxs_analyzer_get(double *value, const cxs_analyzer *an, cxs_param param)
{
    if (!an || !value)
        return CXS_EINVAL;
    switch (param) {
    case CXS_PARAM_POS_THRESHOLD: *value = an->pos_thr; return CXS_OK;
    case CXS_PARAM_NEG_THRESHOLD: *value = an->neg_thr; return CXS_OK;
    case CXS_PARAM_STRICT_UTF8: *value = an->strict; return CXS_OK;
    case CXS_PARAM_MAX_TEXT: *value = an->max_text; return CXS_OK;
    default: return CXS_EINVAL;
    }
}

/* Fallback keys: "soo" -> "so" for elongations, the first emoji of a ZWJ sequence. */
static const cxs__entry *find_fallback(const cxs_analyzer *an, const cxs__token *t)
{
    const char *k = cxs__tok_key(&an->toks, t);
    char buf[CXS__NORM_MAX];
    size_t n = 0;
    if (t->flags & CXS__TF_ELONG) {
        for (size_t i = 0; i < t->norm_len; i++)
            if (!(n && buf[n - 1] == k[i] && ((k[i] >= 'a' && k[i] <= 'z'))))
                buf[n++] = k[i];
        return cxs__model_find(an->model, buf, n);
    }
    if (t->flags & CXS__TF_ZWJ) {
        const char *z = NULL;
        for (size_t i = 0; i + 2 < t->norm_len; i++)
            if ((unsigned char)k[i] == 0xE2 && (unsigned char)k[i + 1] == 0x80 &&
                (unsigned char)k[i + 2] == 0x8D) {
                z = k + i;
                break;
            }
        if (z)
            return cxs__model_find(an->model, k, (size_t)(z - k));
    }
    return NULL;
}

/* The number before the time unit at token i, from digits or a number word; 0 if none. */
double cxs__duration_quantity(const cxs_analyzer *an, size_t i, size_t *first)
{
    const cxs__tokens *tk = &an->toks;
    for (size_t back = 1; back <= 2 && back <= i; back++) {
        const cxs__token *p = &tk->v[i - back];
        /* only spaces may stand between: "12-month plan" and "$13/month" are attributes */
        for (uint32_t g = p->end; g < tk->v[i - back + 1].start; g++)
            if (tk->text[g] != ' ' && tk->text[g] != '+') /* "30+ minutes" */
                return 0;
        if (p->kind == CXS__TK_NUMBER) {
            *first = i - back;
            return p->num;
        }
        if (!cxs__tok_keyed(p))
            return 0;
        const cxs__entry *e = cxs__model_find_padded(an->model, cxs__tok_key(tk, p),
                                                     p->norm_len, p->hash);
        if (e && (e->roles & CXS__R_NUMBER_WORD)) {
            *first = i - back;
            return e->amount;
        }
        /* "a couple of days": look past "of" once */
        if (!cxs__tok_is(tk, p, "of", 2))
            return 0;
    }
    return 0;
}

/*
 * Match units: at each token, the longest phrase that starts there, else the token itself.
 * Only tokens that take part in scoring become units; neutral words are counted. The tokenizer
 * has already looked every key up, counted words and listed the tokens worth a visit, so a
 * plain word that is in no lexicon entry costs nothing here.
 */
static int match_units(cxs_analyzer *an)
{
    const cxs_model *m = an->model;
    const cxs__tokens *tk = &an->toks;
    /* the capacity test inline: a call per text for nothing adds up at 126-byte texts */
    if (tk->n + 1 > an->cap_units) {
        int rc = cxs__grow(&an->alloc, (void **)&an->units, &an->cap_units, tk->n + 1,
                           sizeof *an->units);
        if (rc)
            return rc;
    }
    if (tk->n + 1 > an->cap_ends) {
        int rc = cxs__grow(&an->alloc, (void **)&an->ends, &an->cap_ends, tk->n + 1,
                           sizeof *an->ends);
        if (rc)
            return rc;
    }
    if (tk->n + 1 > an->cap_scored) {
        int rc = cxs__grow(&an->alloc, (void **)&an->scored, &an->cap_scored, tk->n + 1,
                           sizeof *an->scored);
        if (rc)
            return rc;
    }
    uint32_t *scored = an->scored;
    size_t n_scored = 0;
    const cxs__settings *S = &m->settings;
    const int mixed = tk->has_lower;
    cxs__end *ends = an->ends;
    size_t n_ends = 0, n_dur = 0;
    size_t nu = 0, nval = 0, full_sentences = 0;
    uint32_t sentence = 0, sent_start = 0; /* word index where the sentence began */
    unsigned seen = 0;
    const cxs__token *v = tk->v;
    size_t next = 0; /* first token not covered by a phrase already matched */
    for (size_t p = 0; p < tk->n_pick; p++) {
        size_t i = tk->pick[p];
        if (i < next)
            continue;
        const cxs__token *t = &v[i];
        /* bitwise, not &&: the kinds of the tokens visited follow no pattern */
        if ((t->kind == CXS__TK_WORD) & (t->e == NULL) & ((t->flags & CXS__TF_VISIT) == 0))
            continue;
        const cxs__entry *best = NULL;
        size_t best_n = 1;
        uint8_t tflags = t->flags;
        if (cxs__tok_keyed(t)) {
            const cxs__entry *e = t->e;
            best = e && e->roles ? e : NULL;
            if (e && e->prefix) {
                /* extend the phrase a token at a time with a running hash */
                uint64_t h = t->hash;
                const cxs__entry *cur = e;
                for (size_t j = i + 1; j < tk->n && cur && cur->prefix; j++) {
                    const cxs__token *nt = &v[j];
                    if (!cxs__tok_keyed(nt))
                        break;
                    h = cxs__hash_combine(h, nt->hash);
                    cur = cxs__model_find_tokens(m, tk, t, j - i + 1, h);
                    if (cur && cur->roles) {
                        best = cur;
                        best_n = j - i + 1;
                    }
                }
            }
            if (!best && (t->flags & (CXS__TF_ELONG | CXS__TF_ZWJ))) {
                const cxs__entry *f = find_fallback(an, t);
                if (f && f->roles)
                    best = f;
            }
            if (best_n > 1) /* "...n't" and "or" mark single words, not phrases */
                tflags &= (uint8_t) ~(CXS__TF_NT | CXS__TF_OR);
        }
        /* number words ("two") only matter before a time unit: they are not units */
        if (best && !(best->roles & ~(uint32_t)CXS__R_NUMBER_WORD))
            best = NULL;
        /* a time unit after a number is a duration ("45 minutes", "a couple of days") */
        size_t first = i;
        double qty = 0;
        if (best && (best->roles & CXS__R_TIME_UNIT) && i > 0) /* "3 business days" too */
            qty = cxs__duration_quantity(an, i, &first);
        int boundary = t->kind == CXS__TK_SENT_END || t->kind == CXS__TK_CLAUSE;
        if (best || (tflags & (CXS__TF_NT | CXS__TF_OR)) || boundary ||
            t->kind == CXS__TK_RATING) {
            cxs__unit *u = &an->units[nu++];
            u->start = t->start;
            u->end = best_n > 1 ? v[i + best_n - 1].end : t->end;
            u->tok = (uint32_t)i;
            u->widx = t->widx;
            u->ntok = (uint16_t)best_n;
            u->kind = t->kind;
            u->tflags = tflags;
            u->e = best;
            u->roles = best ? best->roles : 0;
            u->valence = 0;
            u->score = 0;
            u->rules = best_n > 1 ? CXS_RULE_PHRASE : 0;
            u->sentence = sentence;
            u->pnum = t->num;
            u->pden = t->den;
            if (tflags & CXS__TF_NT)
                seen |= CXS__R_NEGATOR;
            if (best) {
                seen |= best->roles;
                if (best->roles & CXS__R_VALENCE) {
                    u->valence = best->valence;
                    nval += best->valence != 0;
                }
            }
            if (t->kind == CXS__TK_RATING) {
                nval++;
                if (t->den > 0) {
                    u->valence = cxs__rating_valence(t->num, t->den, S);
                    u->rules |= CXS_RULE_RATING;
                }
            }
            u->amount = 0;
            if (qty > 0) {
                u->kind = CXS__UK_DURATION;
                u->start = v[first].start;
                u->tok = (uint32_t)first;
                u->widx = v[first].widx;
                u->ntok = (uint16_t)(i + best_n - first);
                u->amount = (float)(qty * best->amount);
                nval++;
                n_dur++; /* scored in score.c, from the units around it */
                scored[n_scored++] = (uint32_t)(nu - 1);
            } else if (u->valence != 0) {
                scored[n_scored++] = (uint32_t)(nu - 1);
                /* the base score now (score.c scores the durations) */
                float sc = cxs__base_score(u->valence, tflags, t->kind, mixed, S, &u->rules);
                u->score = sc;
                /* a booster that is also a sentiment word ("super", "real") boosts when a
                 * sentiment word follows it, and scores on its own otherwise */
                cxs__unit *pu = u - 1;
                if (nu > 1 && (pu->roles & CXS__R_BOOSTER) && pu->score != 0 && sc != 0 &&
                    u->widx == pu->widx + pu->ntok)
                    pu->score = 0;
            }
        }
        if (t->kind == CXS__TK_SENT_END) {
            /* a boundary always makes a unit */
            ends[n_ends].unit = (uint32_t)(nu - 1);
            ends[n_ends++].scored = (uint32_t)n_scored;
            /* a stop ends a sentence only if it had words ("!!! Great." is one sentence), so
             * term sentence indexes and the sentence count agree */
            if (t->widx > sent_start) {
                sentence++;
                full_sentences++;
            }
            sent_start = t->widx;
        }
        next = i + best_n;
    }
    an->n_units = nu;
    an->n_ends = n_ends;
    /* a sentinel past the last sentence end: the tail of the text, if it has units */
    ends[n_ends].unit = (uint32_t)nu;
    ends[n_ends].scored = (uint32_t)n_scored;
    an->n_dur = n_dur;
    an->n_scored = n_scored;
    an->n_sent = sentence + 1;
    an->seen = seen;
    an->n_sentiment = nval;
    an->n_words = tk->n_words;
    an->n_full_sent = full_sentences + (tk->n_words > sent_start);
    return CXS_OK;
}

int cxs__analyze_text(cxs_analyzer *an, const char *text, size_t len, cxs_error *err)
{
    if ((double)len > an->max_text)
        return cxs__error_set(err, CXS_ELIMIT, "<text>", 0, 0,
                              "text of %zu bytes exceeds the limit", len);
    int rc = cxs__tokenize(&an->toks, &an->alloc, &an->model->emo, an->model,
                           text ? text : "", len,
                           an->strict, err);
    if (rc)
        return rc;
    if ((rc = match_units(an)) || (rc = cxs__score_units(an)))
        return cxs__error_set(err, rc, "<text>", 0, 0, "out of memory");
    return CXS_OK;
}

int cxs_analyzer_score(cxs_scores *out, int *label, cxs_analyzer *an, const char *text,
                       size_t len, cxs_error *err)
{
    if (!out || !an || (!text && len))
        return cxs__error_set(err, CXS_EINVAL, "<text>", 0, 0, "NULL argument");
    int rc = cxs__analyze_text(an, text, len, err);
    if (rc) {
        memset(out, 0, sizeof *out);
        if (label)
            *label = CXS_LABEL_NEUTRAL;
        return rc;
    }
    *out = an->scores;
    if (label)
        *label = an->label;
    return CXS_OK;
}
