/*
 * result.c — results (scores, label, explanation, customer-experience facts) and their JSON
 * form.
 *
 * JSON is written by hand: numbers go through a fixed-point formatter so the output never
 * depends on the C locale, and the same text always gives the same bytes.
 */
#include "analyzer.h"
#include "cx.h"
#include "json.h"
#include "result.h"

#include <math.h>
#include <string.h>

struct cxs_result {
    const cxs_model *model;
    cxs__alloc alloc;
    cxs_scores scores;
    int label;
    size_t n_sent;
    cxs_term *terms;
    size_t n_terms, cap_terms;
    char *text;
    size_t text_len, text_cap;
    cxs__facts facts;
};

int cxs_result_new(cxs_result **out, const cxs_model *model, cxs_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !model)
        return cxs__error_set(err, CXS_EINVAL, "<result>", 0, 0, "NULL argument");
    cxs_result *r = cxs__calloc(&model->alloc, 1, sizeof *r);
    if (!r)
        return cxs__error_set(err, CXS_ENOMEM, "<result>", 0, 0, "out of memory");
    r->model = model;
    r->alloc = model->alloc;
    *out = r;
    return CXS_OK;
}

void cxs_result_free(cxs_result *r)
{
    if (!r)
        return;
    cxs__alloc a = r->alloc;
    cxs__free(&a, r->terms, r->cap_terms * sizeof *r->terms);
    cxs__free(&a, r->text, r->text_cap);
    cxs__facts_free(&r->facts, &a);
    cxs__free(&a, r, sizeof *r);
}

static void result_clear(cxs_result *r)
{
    memset(&r->scores, 0, sizeof r->scores);
    r->label = CXS_LABEL_NEUTRAL;
    r->n_sent = 0;
    r->n_terms = 0;
    r->text_len = 0;
    cxs__facts_clear(&r->facts);
}

int cxs_analyze(cxs_result *res, cxs_analyzer *an, const char *text, size_t len,
                cxs_error *err)
{
    if (!res || !an || (!text && len))
        return cxs__error_set(err, CXS_EINVAL, "<text>", 0, 0, "NULL argument");
    if (res->model != an->model)
        return cxs__error_set(err, CXS_EINVAL, "<text>", 0, 0,
                              "result and analyzer belong to different models");
    result_clear(res);
    int rc = cxs__analyze_text(an, text, len, err);
    if (rc)
        return rc;
    size_t nt = 0;
    for (size_t i = 0; i < an->n_units; i++)
        if (an->units[i].valence != 0 || an->units[i].score != 0)
            nt++;
    rc = cxs__grow(&res->alloc, (void **)&res->terms, &res->cap_terms, nt, sizeof *res->terms);
    if (!rc)
        rc = cxs__grow(&res->alloc, (void **)&res->text, &res->text_cap, len + 1, 1);
    if (rc)
        return cxs__error_set(err, rc, "<text>", 0, 0, "out of memory");
    for (size_t i = 0; i < an->n_units; i++) {
        const cxs__unit *u = &an->units[i];
        if (u->valence == 0 && u->score == 0)
            continue;
        cxs_term *t = &res->terms[res->n_terms++];
        t->start = u->start;
        t->end = u->end;
        t->sentence = u->sentence;
        t->valence = u->valence;
        t->score = u->score;
        t->rules = u->rules;
    }
    if (len)
        memcpy(res->text, text, len);
    res->text[len] = '\0';
    res->text_len = len;
    if ((rc = cxs__facts_make(&res->facts, an, &res->alloc))) {
        result_clear(res);
        return cxs__error_set(err, rc, "<text>", 0, 0, "out of memory");
    }
    res->scores = an->scores;
    res->label = an->label;
    res->n_sent = an->n_full_sent;
    return CXS_OK;
}

const char *cxs__result_text(const cxs_result *res, size_t *len)
{
    *len = res->text ? res->text_len : 0;
    return res->text ? res->text : "";
}

const cxs_scores *cxs_result_scores(const cxs_result *res)
{
    static const cxs_scores zero = {0, 0, 0, 0};
    return res ? &res->scores : &zero;
}

int cxs_result_label(const cxs_result *res)
{
    return res ? res->label : CXS_LABEL_NEUTRAL;
}

size_t cxs_result_term_count(const cxs_result *res)
{
    return res ? res->n_terms : 0;
}

size_t cxs_result_sentence_count(const cxs_result *res)
{
    return res ? res->n_sent : 0;
}

int cxs_result_term(cxs_term *out, const cxs_result *res, size_t i)
{
    if (!out || !res || i >= res->n_terms)
        return CXS_EINVAL;
    *out = res->terms[i];
    return CXS_OK;
}

size_t cxs_result_theme_count(const cxs_result *res)
{
    return res ? res->facts.n_themes : 0;
}

int cxs_result_theme(cxs_theme *out, const cxs_result *res, size_t i)
{
    if (!out || !res || i >= res->facts.n_themes)
        return CXS_EINVAL;
    const cxs__theme_fact *t = &res->facts.themes[i];
    out->theme = res->model->theme_names[t->theme];
    out->score = t->score;
    out->polarity = t->polarity;
    out->level = t->level;
    out->n_spans = t->n;
    return CXS_OK;
}

int cxs_result_theme_span(size_t *start, size_t *end, const cxs_result *res, size_t i, size_t j)
{
    if (!start || !end || !res || i >= res->facts.n_themes || j >= res->facts.themes[i].n)
        return CXS_EINVAL;
    const cxs__span *sp = &res->facts.spans[res->facts.themes[i].first + j];
    *start = sp->start;
    *end = sp->end;
    return CXS_OK;
}

unsigned cxs_result_intents(const cxs_result *res)
{
    return res ? res->facts.intents : 0;
}

size_t cxs_result_wait_count(const cxs_result *res)
{
    return res ? res->facts.n_waits : 0;
}

int cxs_result_wait(cxs_wait *out, const cxs_result *res, size_t i)
{
    if (!out || !res || i >= res->facts.n_waits)
        return CXS_EINVAL;
    *out = res->facts.waits[i];
    return CXS_OK;
}

const char *cxs_level_name(int level)
{
    switch (level) {
    case CXS_LEVEL_BASELINE: return "baseline";
    case CXS_LEVEL_DELIGHT: return "delight";
    case CXS_LEVEL_FAILURE: return "failure";
    default: return "unknown";
    }
}

static const char *const intent_names[] = {"complaint", "churn", "return", "recommend"};

const char *cxs_intent_name(unsigned intent)
{
    for (unsigned b = 0; b < sizeof intent_names / sizeof *intent_names; b++)
        if (intent == 1u << b)
            return intent_names[b];
    return "unknown";
}

static const char *const channel_names[] = {"other", "phone", "chat", "email",
                                            "social", "store", "delivery"};

const char *cxs_channel_name(int channel)
{
    if (channel < 0 || (size_t)channel >= sizeof channel_names / sizeof *channel_names)
        return "unknown";
    return channel_names[channel];
}

const char *cxs_label_name(int label)
{
    switch (label) {
    case CXS_LABEL_NEGATIVE: return "negative";
    case CXS_LABEL_NEUTRAL: return "neutral";
    case CXS_LABEL_POSITIVE: return "positive";
    default: return "unknown";
    }
}

static const char *const rule_names[] = {
    "phrase", "negated", "boosted", "dampened", "caps", "elongated", "contrast_weak",
    "contrast_strong", "irrealis", "sarcasm", "hashtag", "emoji", "emoticon", "rating",
    "emphasis", "wait", "speed", "concession", "resolved",
    "minor"};

const char *cxs_rule_name(unsigned rule)
{
    for (unsigned b = 0; b < sizeof rule_names / sizeof *rule_names; b++)
        if (rule == 1u << b)
            return rule_names[b];
    return "unknown";
}

/* ---- JSON -------------------------------------------------------------------------------- */

/* "themes", "intents" and "waits" in the record format of cxsent-scan. */
static void put_facts(cxs__jw *w, const cxs_result *res)
{
    const cxs__facts *f = &res->facts;
    cxs__jw_puts(w, ",\"themes\":[");
    for (size_t i = 0; i < f->n_themes; i++) {
        const cxs__theme_fact *t = &f->themes[i];
        if (i)
            cxs__jw_put(w, ",", 1);
        cxs__jw_puts(w, "{\"theme\":\"");
        cxs__jw_puts(w, res->model->theme_names[t->theme]);
        cxs__jw_puts(w, "\",\"polarity\":\"");
        cxs__jw_puts(w, cxs_label_name(t->polarity));
        cxs__jw_puts(w, "\",\"score\":");
        cxs__jw_num(w, t->score);
        cxs__jw_puts(w, ",\"level\":\"");
        cxs__jw_puts(w, cxs_level_name(t->level));
        cxs__jw_puts(w, "\",\"spans\":[");
        for (size_t j = 0; j < t->n; j++) {
            const cxs__span *sp = &f->spans[t->first + j];
            cxs__jw_put(w, j ? ",[" : "[", j ? 2 : 1);
            cxs__jw_uint(w, sp->start);
            cxs__jw_put(w, ",", 1);
            cxs__jw_uint(w, sp->end);
            cxs__jw_put(w, "]", 1);
        }
        cxs__jw_puts(w, "]}");
    }
    cxs__jw_puts(w, "],\"intents\":[");
    int first = 1;
    for (unsigned b = 0; b < sizeof intent_names / sizeof *intent_names; b++)
        if (f->intents & (1u << b)) {
            cxs__jw_put(w, first ? "\"" : ",\"", first ? 1 : 2);
            first = 0;
            cxs__jw_puts(w, intent_names[b]);
            cxs__jw_put(w, "\"", 1);
        }
    cxs__jw_puts(w, "],\"waits\":[");
    for (size_t i = 0; i < f->n_waits; i++) {
        const cxs_wait *wt = &f->waits[i];
        if (i)
            cxs__jw_put(w, ",", 1);
        cxs__jw_puts(w, "{\"channel\":\"");
        cxs__jw_puts(w, cxs_channel_name(wt->channel));
        cxs__jw_puts(w, "\",\"seconds\":");
        cxs__jw_uint(w, wt->seconds > 0 ? (size_t)wt->seconds : 0);
        cxs__jw_puts(w, ",\"span\":[");
        cxs__jw_uint(w, wt->start);
        cxs__jw_put(w, ",", 1);
        cxs__jw_uint(w, wt->end);
        cxs__jw_puts(w, "],\"breach\":");
        cxs__jw_puts(w, wt->breach ? "true" : "false");
        cxs__jw_put(w, "}", 1);
    }
    cxs__jw_put(w, "]", 1);
}

size_t cxs_result_to_json(const cxs_result *res, unsigned flags, char *buf, size_t cap)
{
    cxs__jw w = {buf, cap ? cap - 1 : 0, 0};
    cxs_result empty;
    if (!res) {
        memset(&empty, 0, sizeof empty);
        res = &empty;
    }
    const cxs_scores *s = &res->scores;
    cxs__jw_puts(&w, "{\"sentiment\":{\"compound\":");
    cxs__jw_num(&w, s->compound);
    cxs__jw_puts(&w, ",\"pos\":");
    cxs__jw_num(&w, s->pos);
    cxs__jw_puts(&w, ",\"neu\":");
    cxs__jw_num(&w, s->neu);
    cxs__jw_puts(&w, ",\"neg\":");
    cxs__jw_num(&w, s->neg);
    cxs__jw_puts(&w, ",\"label\":\"");
    cxs__jw_puts(&w, cxs_label_name(res->label));
    cxs__jw_puts(&w, "\"}");
    put_facts(&w, res);
    if (flags & CXS_JSON_EXPLAIN) {
        cxs__jw_puts(&w, ",\"explain\":[");
        for (size_t i = 0; i < res->n_terms; i++) {
            const cxs_term *t = &res->terms[i];
            if (i)
                cxs__jw_put(&w, ",", 1);
            cxs__jw_puts(&w, "{\"span\":[");
            cxs__jw_uint(&w, t->start);
            cxs__jw_put(&w, ",", 1);
            cxs__jw_uint(&w, t->end);
            cxs__jw_puts(&w, "],\"text\":");
            size_t e = t->end <= res->text_len ? t->end : res->text_len;
            size_t b = t->start <= e ? t->start : e;
            cxs__jw_str(&w, res->text ? res->text + b : "", e - b);
            cxs__jw_puts(&w, ",\"sentence\":");
            cxs__jw_uint(&w, t->sentence);
            cxs__jw_puts(&w, ",\"valence\":");
            cxs__jw_num(&w, t->valence);
            cxs__jw_puts(&w, ",\"score\":");
            cxs__jw_num(&w, t->score);
            cxs__jw_puts(&w, ",\"rules\":[");
            int first = 1;
            for (unsigned bit = 0; bit < sizeof rule_names / sizeof *rule_names; bit++)
                if (t->rules & (1u << bit)) {
                    if (!first)
                        cxs__jw_put(&w, ",", 1);
                    first = 0;
                    cxs__jw_put(&w, "\"", 1);
                    cxs__jw_puts(&w, rule_names[bit]);
                    cxs__jw_put(&w, "\"", 1);
                }
            cxs__jw_puts(&w, "]}");
        }
        cxs__jw_put(&w, "]", 1);
    }
    cxs__jw_put(&w, "}", 1);
    if (cap)
        buf[w.len < cap ? w.len : cap - 1] = '\0';
    return w.len;
}
