/*
 * test_narrative.c — narratives through the public header only: tallies per group, theme and
 * period; merging equals adding the union, in any order and any split; verbatims chosen by a
 * total order; wait medians from the histogram; rating-text disagreements; the change between
 * periods; argument checks; and allocation failures that leave a narrative as it was.
 */
#define _POSIX_C_SOURCE 200809L

#include <cxsent.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rec {
    const char *group, *period, *id, *text;
    double rating; /* of 5; 0: none */
} rec;

static const rec RECS[] = {
    {"Harbor", "2026-01", "h1", "The barista was lovely and the coffee was excellent.", 5},
    {"Harbor", "2026-01", "h2", "Waited 25 minutes in line for a lukewarm latte. Never again.", 1},
    {"Harbor", "2026-01", "h3", "Prices went up again, $6 for a small drip is steep.", 2},
    {"Harbor", "2026-02", "h4", "Great seating, friendly staff, will definitely be back!", 5},
    {"Harbor", "2026-02", "h5", "Rude cashier and a dirty table. Disappointed.", 5},
    {"Harbor", "2026-02", "h6", "Coffee is fine.", 3},
    {"Harbor", "2026-03", "h7", "Best cappuccino in town, I recommend it to everyone.", 5},
    {"Harbor", "2026-03", "h8", "Waited 40 minutes for my order, the staff ignored us.", 1},
    {"Harbor", "2026-03", "h9", "Loved it, amazing pastries and a cozy room.", 2},
    {"Volt", "2026-01", "v1", "On hold for 2 hours with support, then the call dropped.", 1},
    {"Volt", "2026-01", "v2", "Switching to another carrier, the bill doubled with no warning.", 1},
    {"Volt", "2026-02", "v3", "The agent fixed my plan in 10 minutes, very helpful.", 4},
    {"Volt", "2026-02", "v4", "Coverage is great downtown and the app works well.", 5},
    {"Volt", "2026-02", "v5", "Waited 3 days for a reply by email. Useless support.", 0},
    {"Volt", "2026-03", "v6", "Still no refund after 3 weeks. Cancelling my contract.", 1},
    {"Volt", "2026-03", "v7", "Fast delivery of the new phone, arrived in 2 days.", 4},
    {"Volt", NULL, "v8", "Decent service overall.", 0},
    {"", "2026-01", "x1", "ok", 0},
};
#define N_RECS (sizeof RECS / sizeof *RECS)

static cxs_model *M;
static cxs_analyzer *AN;
static cxs_result *RES;

static void setup(void)
{
    ck_assert_int_eq(cxs_model_load_default(&M, NULL, NULL), CXS_OK);
    ck_assert_int_eq(cxs_analyzer_new(&AN, M, NULL), CXS_OK);
    ck_assert_int_eq(cxs_result_new(&RES, M, NULL), CXS_OK);
}

static void teardown(void)
{
    cxs_result_free(RES);
    cxs_analyzer_free(AN);
    cxs_model_free(M);
}

static cxs_record_info info_of(const rec *r)
{
    cxs_record_info in;
    memset(&in, 0, sizeof in);
    in.group = r->group;
    in.period = r->period;
    in.id = r->id;
    in.text = r->text;
    in.len = strlen(r->text);
    in.rating = r->rating;
    in.rating_max = r->rating > 0 ? 5 : 0;
    return in;
}

static int add_rec(cxs_narrative *n, const rec *r, cxs_error *err)
{
    ck_assert_int_eq(cxs_analyze(RES, AN, r->text, strlen(r->text), NULL), CXS_OK);
    cxs_record_info in = info_of(r);
    return cxs_narrative_add(n, RES, &in, err);
}

static cxs_narrative *build(const size_t *idx, size_t n)
{
    cxs_narrative *nar = NULL;
    ck_assert_int_eq(cxs_narrative_new(&nar, M, NULL), CXS_OK);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(add_rec(nar, &RECS[idx[i]], NULL), CXS_OK);
    return nar;
}

static char *json(const cxs_narrative *n, unsigned flags)
{
    size_t len = cxs_narrative_to_json(n, flags, NULL, 0);
    char *b = malloc(len + 1);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(cxs_narrative_to_json(n, flags, b, len + 1), len);
    ck_assert_uint_eq(strlen(b), len);
    return b;
}

static cxs_narrative *build_all(void)
{
    size_t idx[N_RECS];
    for (size_t i = 0; i < N_RECS; i++)
        idx[i] = i;
    return build(idx, N_RECS);
}

START_TEST(empty_and_arguments)
{
    cxs_narrative *n = NULL;
    cxs_error err;
    ck_assert_int_eq(cxs_narrative_new(&n, NULL, &err), CXS_EINVAL);
    ck_assert_ptr_null(n);
    ck_assert_int_eq(cxs_narrative_new(NULL, M, NULL), CXS_EINVAL);
    ck_assert_int_eq(cxs_narrative_new(&n, M, NULL), CXS_OK);
    char *j = json(n, 0);
    ck_assert_str_eq(j, "{\"groups\":[]}");
    free(j);
    ck_assert_uint_eq(cxs_narrative_group_count(n), 0);
    ck_assert_ptr_null(cxs_narrative_group_name(n, 0));
    cxs_net_stats ns;
    ck_assert_int_eq(cxs_narrative_group(&ns, n, 0), CXS_EINVAL);
    ck_assert_int_eq(cxs_narrative_add(n, NULL, NULL, &err), CXS_EINVAL);
    ck_assert_int_eq(err.code, CXS_EINVAL);
    ck_assert_int_eq(cxs_narrative_merge(n, n, NULL), CXS_EINVAL);
    ck_assert_int_eq(cxs_narrative_merge(n, NULL, NULL), CXS_EINVAL);
    /* a rating outside its scale is refused and changes nothing */
    ck_assert_int_eq(cxs_analyze(RES, AN, "great", 5, NULL), CXS_OK);
    cxs_record_info in;
    memset(&in, 0, sizeof in);
    in.group = "A";
    in.rating = 6;
    in.rating_max = 5;
    ck_assert_int_eq(cxs_narrative_add(n, RES, &in, &err), CXS_EINVAL);
    in.rating = NAN;
    ck_assert_int_eq(cxs_narrative_add(n, RES, &in, &err), CXS_EINVAL);
    ck_assert_uint_eq(cxs_narrative_group_count(n), 0);
    /* NULL info: the group "", no period */
    ck_assert_int_eq(cxs_narrative_add(n, RES, NULL, NULL), CXS_OK);
    ck_assert_uint_eq(cxs_narrative_group_count(n), 1);
    ck_assert_str_eq(cxs_narrative_group_name(n, 0), "");
    ck_assert_int_eq(cxs_narrative_group(&ns, n, 0), CXS_OK);
    ck_assert_uint_eq(ns.texts, 1);
    ck_assert_uint_eq(ns.positive, 1);
    ck_assert(ns.few);
    cxs_narrative_free(n);
    cxs_narrative_free(NULL);
    ck_assert_uint_eq(cxs_narrative_to_json(NULL, 0, NULL, 0), strlen("{\"groups\":[]}"));
}
END_TEST

START_TEST(tallies)
{
    cxs_narrative *n = build_all();
    ck_assert_uint_eq(cxs_narrative_group_count(n), 3);
    /* byte order of keys */
    ck_assert_str_eq(cxs_narrative_group_name(n, 0), "");
    ck_assert_str_eq(cxs_narrative_group_name(n, 1), "Harbor");
    ck_assert_str_eq(cxs_narrative_group_name(n, 2), "Volt");
    size_t texts = 0, pos = 0, neg = 0, neu = 0;
    for (size_t g = 0; g < 3; g++) {
        cxs_net_stats s;
        ck_assert_int_eq(cxs_narrative_group(&s, n, g), CXS_OK);
        ck_assert_uint_eq(s.positive + s.neutral + s.negative, s.texts);
        ck_assert(s.net_low <= s.net && s.net <= s.net_high);
        ck_assert(s.net_low >= -1 && s.net_high <= 1);
        texts += s.texts;
        pos += s.positive;
        neg += s.negative;
        neu += s.neutral;
    }
    ck_assert_uint_eq(texts, N_RECS);
    /* the same counts as labelling each text on its own */
    size_t p2 = 0, n2 = 0;
    for (size_t i = 0; i < N_RECS; i++) {
        ck_assert_int_eq(cxs_analyze(RES, AN, RECS[i].text, strlen(RECS[i].text), NULL), CXS_OK);
        p2 += cxs_result_label(RES) == CXS_LABEL_POSITIVE;
        n2 += cxs_result_label(RES) == CXS_LABEL_NEGATIVE;
    }
    ck_assert_uint_eq(pos, p2);
    ck_assert_uint_eq(neg, n2);
    ck_assert_uint_eq(neu, N_RECS - p2 - n2);
    /* Harbor: 9 texts; service is talked about; a churn ("Never again") */
    cxs_net_stats h;
    cxs_narrative_group(&h, n, 1);
    ck_assert_uint_eq(h.texts, 9);
    ck_assert(!h.few || h.positive + h.negative < 10);
    size_t service = 0;
    while (service < cxs_model_theme_count(M) &&
           strcmp(cxs_model_theme_name(M, service), "service"))
        service++;
    ck_assert_uint_lt(service, cxs_model_theme_count(M));
    cxs_theme_stats ts;
    ck_assert_int_eq(cxs_narrative_theme(&ts, n, 1, service), CXS_OK);
    ck_assert_uint_gt(ts.net.texts, 0);
    ck_assert(ts.share > 0 && ts.share <= 1);
    ck_assert_uint_eq(ts.baseline + ts.delight + ts.failure, ts.net.texts);
    ck_assert_int_eq(cxs_narrative_theme(&ts, n, 1, cxs_model_theme_count(M)), CXS_EINVAL);
    ck_assert_uint_ge(cxs_narrative_intent_count(n, 1, CXS_INTENT_CHURN), 1);
    ck_assert_uint_ge(cxs_narrative_intent_count(n, 2, CXS_INTENT_CHURN), 1);
    ck_assert_uint_eq(cxs_narrative_intent_count(n, 1, 3), 0); /* not one bit */
    cxs_narrative_free(n);
}
END_TEST

/* Periods, ratings and verbatims through their accessors agree with the JSON. */
START_TEST(accessors)
{
    cxs_narrative *n = build_all();
    size_t h = 1; /* "Harbor" */
    ck_assert_str_eq(cxs_narrative_group_name(n, h), "Harbor");
    ck_assert_uint_eq(cxs_narrative_period_count(n, h), 3);
    ck_assert_str_eq(cxs_narrative_period_name(n, h, 0), "2026-01");
    ck_assert_str_eq(cxs_narrative_period_name(n, h, 2), "2026-03");
    ck_assert_ptr_null(cxs_narrative_period_name(n, h, 3));
    ck_assert_uint_eq(cxs_narrative_period_count(n, 99), 0);
    size_t sum = 0;
    for (size_t p = 0; p < 3; p++) {
        cxs_net_stats ps;
        ck_assert_int_eq(cxs_narrative_period(&ps, n, h, p), CXS_OK);
        ck_assert_uint_eq(ps.texts, 3);
        sum += ps.texts;
    }
    ck_assert_uint_eq(sum, 9);
    cxs_net_stats ps;
    ck_assert_int_eq(cxs_narrative_period(&ps, n, h, 3), CXS_EINVAL);
    /* Volt's v8 has no period: its periods hold 7 of its 8 texts */
    sum = 0;
    for (size_t p = 0; p < cxs_narrative_period_count(n, 2); p++) {
        cxs_narrative_period(&ps, n, 2, p);
        sum += ps.texts;
    }
    ck_assert_uint_eq(sum, 7);
    cxs_rating_stats rs;
    ck_assert_int_eq(cxs_narrative_ratings(&rs, n, h), CXS_OK);
    ck_assert_uint_eq(rs.rated, 9);
    ck_assert_uint_eq(rs.high_rating_negative_text, 1);
    ck_assert_uint_eq(rs.low_rating_positive_text, 1);
    ck_assert_int_eq(cxs_narrative_ratings(&rs, n, 3), CXS_EINVAL);
    cxs_verbatim v;
    ck_assert_int_eq(cxs_narrative_verbatim(&v, n, h, CXS_VERBATIM_HIGH_RATING_NEGATIVE, 0),
                     CXS_OK);
    ck_assert_str_eq(v.id, "h5");
    ck_assert_ptr_nonnull(v.text);
    ck_assert(v.score < 0 && v.len == strlen(RECS[4].text) && !v.cut);
    ck_assert(memcmp(v.text, RECS[4].text, v.len) == 0);
    ck_assert_int_eq(cxs_narrative_verbatim(&v, n, h, CXS_VERBATIM_MOST_POSITIVE, 0), CXS_OK);
    ck_assert(v.text && v.score > 0);
    double best = v.score;
    for (size_t i = 0; i < 9; i++) { /* the highest compound of Harbor's texts */
        ck_assert_int_eq(cxs_analyze(RES, AN, RECS[i].text, strlen(RECS[i].text), NULL), CXS_OK);
        ck_assert(cxs_result_scores(RES)->compound <= best + 1e-9);
    }
    ck_assert_int_eq(cxs_narrative_verbatim(&v, n, 0, CXS_VERBATIM_MOST_NEGATIVE, 0), CXS_OK);
    ck_assert_ptr_null(v.text); /* the group "" holds only "ok" */
    ck_assert_int_eq(cxs_narrative_verbatim(&v, n, h, CXS_VERBATIM_THEME_POSITIVE,
                                            cxs_model_theme_count(M)),
                     CXS_EINVAL);
    ck_assert_int_eq(cxs_narrative_verbatim(&v, n, h, 6, 0), CXS_EINVAL);
    /* the change from 2026-02 to 2026-03: largest effect first; cap works like snprintf */
    cxs_theme_change ch[64], one;
    size_t from = 9, to = 9;
    size_t k = cxs_narrative_change(ch, 64, &from, &to, n, h);
    ck_assert_uint_gt(k, 0);
    ck_assert_uint_eq(from, 1);
    ck_assert_uint_eq(to, 2);
    for (size_t i = 1; i < k; i++)
        ck_assert(fabs(ch[i - 1].effect) >= fabs(ch[i].effect));
    for (size_t i = 0; i < k; i++)
        ck_assert(ch[i].mentions_from + ch[i].mentions_to > 0 &&
                  ch[i].theme < cxs_model_theme_count(M));
    ck_assert_uint_eq(cxs_narrative_change(&one, 1, NULL, NULL, n, h), k);
    ck_assert_uint_eq(one.theme, ch[0].theme);
    ck_assert_uint_eq(cxs_narrative_change(NULL, 0, NULL, NULL, n, h), k);
    ck_assert_uint_eq(cxs_narrative_change(ch, 64, NULL, NULL, n, 0), 0); /* one period */
    ck_assert_uint_eq(cxs_narrative_change(ch, 64, NULL, NULL, n, 9), 0);
    /* the terms behind it: sorted by |effect|, then term; cap works like snprintf */
    cxs_term_change tc[8];
    size_t nt = cxs_narrative_change_terms(tc, 8, n, h);
    ck_assert_uint_gt(nt, 0);
    for (size_t i = 1; i < nt && i < 8; i++)
        ck_assert(fabs(tc[i - 1].effect) > fabs(tc[i].effect) ||
                  (fabs(tc[i - 1].effect) == fabs(tc[i].effect) &&
                   strcmp(tc[i - 1].term, tc[i].term) < 0));
    ck_assert_uint_eq(cxs_narrative_change_terms(NULL, 0, n, h), nt);
    ck_assert_uint_eq(cxs_narrative_change_terms(tc, 8, n, 0), 0);
    ck_assert_int_eq(cxs_narrative_verbatim(&v, n, h, -1, 0), CXS_EINVAL);
    cxs_narrative_free(n);
}
END_TEST

/* Terms: counted once per text with the sign they scored with, negated ones as "not TERM",
 * numbers left out; the JSON's change lists them. */
/* Themes ranked most texts first, ties in the model's order, as the JSON lists them; cap and
 * range behave like the other snprintf-style accessors. */
START_TEST(theme_ranking)
{
    cxs_narrative *n = build_all();
    size_t h = 1, nt = cxs_model_theme_count(M), order[64];
    size_t k = cxs_narrative_theme_ranking(order, 64, n, h);
    ck_assert_uint_gt(k, 2);
    size_t mentioned = 0;
    for (size_t t = 0; t < nt; t++) {
        cxs_theme_stats ts;
        ck_assert_int_eq(cxs_narrative_theme(&ts, n, h, t), CXS_OK);
        mentioned += ts.net.texts > 0;
    }
    ck_assert_uint_eq(k, mentioned);
    for (size_t i = 0; i + 1 < k; i++) {
        cxs_theme_stats a, b;
        cxs_narrative_theme(&a, n, h, order[i]);
        cxs_narrative_theme(&b, n, h, order[i + 1]);
        ck_assert(a.net.texts > b.net.texts ||
                  (a.net.texts == b.net.texts && order[i] < order[i + 1]));
    }
    /* the JSON's theme list in the same order */
    char *js = json(n, 0), *at = strstr(js, "\"group\":\"Harbor\"");
    ck_assert_ptr_nonnull(at);
    for (size_t i = 0; i < k; i++) {
        char key[80];
        snprintf(key, sizeof key, "{\"theme\":\"%s\"", cxs_model_theme_name(M, order[i]));
        char *next = strstr(at, key);
        ck_assert_ptr_nonnull(next);
        at = next;
    }
    free(js);
    size_t first[1] = {999};
    ck_assert_uint_eq(cxs_narrative_theme_ranking(first, 1, n, h), k);
    ck_assert_uint_eq(first[0], order[0]);
    ck_assert_uint_eq(cxs_narrative_theme_ranking(NULL, 0, n, h), k);
    ck_assert_uint_eq(cxs_narrative_theme_ranking(order, 64, n, 99), 0);
    ck_assert_uint_eq(cxs_narrative_theme_ranking(order, 64, NULL, 0), 0);
    cxs_narrative_free(n);
}
END_TEST

START_TEST(change_terms)
{
    cxs_narrative *n = NULL;
    ck_assert_int_eq(cxs_narrative_new(&n, M, NULL), CXS_OK);
    static const char *const texts[][2] = {
        {"2026-01", "The staff were rude, RUDE, rude. 2/10"},
        {"2026-01", "Rude cashier."},
        {"2026-02", "The staff were not rude at all and very friendly."},
        {"2026-02", "Friendly people, lovely place."},
    };
    for (size_t i = 0; i < 4; i++) {
        const char *t = texts[i][1];
        ck_assert_int_eq(cxs_analyze(RES, AN, t, strlen(t), NULL), CXS_OK);
        cxs_record_info in;
        memset(&in, 0, sizeof in);
        in.group = "G";
        in.period = texts[i][0];
        ck_assert_int_eq(cxs_narrative_add(n, RES, &in, NULL), CXS_OK);
    }
    cxs_term_change tc[16];
    size_t nt = cxs_narrative_change_terms(tc, 16, n, 0);
    ck_assert_uint_ge(nt, 3);
    int rude = 0, not_rude = 0, friendly = 0;
    for (size_t i = 0; i < nt && i < 16; i++) {
        ck_assert_ptr_null(strpbrk(tc[i].term, "0123456789")); /* no "2/10" */
        if (!strcmp(tc[i].term, "rude")) {
            rude = 1;
            ck_assert_uint_eq(tc[i].neg_from, 2); /* twice in one text counts once */
            ck_assert_uint_eq(tc[i].neg_to, 0);
            ck_assert(tc[i].effect > 0); /* fewer texts call them rude */
        }
        if (!strcmp(tc[i].term, "not rude"))
            not_rude = 1;
        if (!strcmp(tc[i].term, "friendly")) {
            friendly = 1;
            ck_assert_uint_eq(tc[i].pos_to, 2);
            ck_assert(tc[i].effect > 0);
        }
    }
    ck_assert(rude && not_rude && friendly);
    char *j = json(n, 0);
    ck_assert_ptr_nonnull(strstr(j, "\"terms\":[{\"term\":"));
    ck_assert_ptr_nonnull(strstr(j, "{\"term\":\"not rude\""));
    free(j);
    cxs_narrative_free(n);
}
END_TEST

/* Merging parts equals adding them all, for several splits and both orders. */
START_TEST(merge_equals_union)
{
    cxs_narrative *all = build_all();
    char *want = json(all, 0);
    for (size_t split = 0; split <= N_RECS; split += 3) {
        size_t a[N_RECS], b[N_RECS], na = 0, nb = 0;
        for (size_t i = 0; i < N_RECS; i++) {
            /* interleave so that both parts hold every group and period */
            if ((i * 7 + split) % N_RECS < split)
                a[na++] = i;
            else
                b[nb++] = i;
        }
        for (int order = 0; order < 2; order++) {
            cxs_narrative *x = build(order ? b : a, order ? nb : na);
            cxs_narrative *y = build(order ? a : b, order ? na : nb);
            char *ybefore = json(y, 0);
            ck_assert_int_eq(cxs_narrative_merge(x, y, NULL), CXS_OK);
            char *got = json(x, 0), *yafter = json(y, 0);
            ck_assert_msg(strcmp(got, want) == 0, "split %zu order %d:\n%s\n!=\n%s", split, order,
                          got, want);
            ck_assert_str_eq(ybefore, yafter); /* from is unchanged */
            free(got);
            free(ybefore);
            free(yafter);
            cxs_narrative_free(x);
            cxs_narrative_free(y);
        }
    }
    /* adding in reverse order gives the same narrative too */
    size_t rev[N_RECS];
    for (size_t i = 0; i < N_RECS; i++)
        rev[i] = N_RECS - 1 - i;
    cxs_narrative *r = build(rev, N_RECS);
    char *got = json(r, 0);
    ck_assert_str_eq(got, want);
    free(got);
    cxs_narrative_free(r);
    free(want);
    cxs_narrative_free(all);
}
END_TEST

/* Two texts with the same score: the verbatim is the one first in byte order, whichever
 * came first. */
START_TEST(verbatim_ties)
{
    const char *t1 = "Amazing coffee.", *t2 = "Amazing coffee!"; /* "!" < "." */
    double c1, c2;
    ck_assert_int_eq(cxs_analyze(RES, AN, t1, strlen(t1), NULL), CXS_OK);
    c1 = cxs_result_scores(RES)->compound;
    ck_assert_int_eq(cxs_analyze(RES, AN, t2, strlen(t2), NULL), CXS_OK);
    c2 = cxs_result_scores(RES)->compound;
    const char *first = c1 == c2 ? t2 : c1 > c2 ? t1 : t2;
    for (int order = 0; order < 2; order++) {
        cxs_narrative *n = NULL;
        ck_assert_int_eq(cxs_narrative_new(&n, M, NULL), CXS_OK);
        const char *ts[2] = {order ? t2 : t1, order ? t1 : t2};
        for (int k = 0; k < 2; k++) {
            ck_assert_int_eq(cxs_analyze(RES, AN, ts[k], strlen(ts[k]), NULL), CXS_OK);
            cxs_record_info in;
            memset(&in, 0, sizeof in);
            in.group = "B";
            in.id = "same";
            in.text = ts[k];
            in.len = strlen(ts[k]);
            ck_assert_int_eq(cxs_narrative_add(n, RES, &in, NULL), CXS_OK);
        }
        char *j = json(n, 0);
        char want[128];
        snprintf(want, sizeof want, "\"most_positive\":{\"id\":\"same\",\"score\":");
        const char *at = strstr(j, want);
        ck_assert_ptr_nonnull(at);
        char wtext[64];
        snprintf(wtext, sizeof wtext, "\"text\":\"%s\"", first);
        const char *tx = strstr(at, wtext);
        ck_assert_msg(tx && tx - at < 60, "order %d: %s", order, j);
        free(j);
        char *quiet = json(n, CXS_NARRATIVE_NO_VERBATIMS);
        ck_assert_ptr_null(strstr(quiet, "Amazing"));
        ck_assert_ptr_null(strstr(quiet, "verbatims"));
        free(quiet);
        cxs_narrative_free(n);
    }
}
END_TEST

static char *state(const cxs_narrative *n);

/* Two texts that keep the same 280 bytes, score and id, one whole and one cut (the second is
 * the first with trailing spaces): the kept verbatim, its "cut" flag included, does not depend
 * on the order of the adds or merges. */
START_TEST(verbatim_ties_cut)
{
    char whole[300], longer[320];
    snprintf(whole, sizeof whole, "%s", "The coffee was excellent and the staff were lovely. ");
    while (strlen(whole) < 280)
        strcat(whole, "x");
    whole[280] = '\0';
    snprintf(longer, sizeof longer, "%s          ", whole);
    const char *ts[2] = {whole, longer};
    double c[2];
    for (int k = 0; k < 2; k++) {
        ck_assert_int_eq(cxs_analyze(RES, AN, ts[k], strlen(ts[k]), NULL), CXS_OK);
        c[k] = cxs_result_scores(RES)->compound;
        ck_assert_int_eq(cxs_result_label(RES), CXS_LABEL_POSITIVE);
    }
    ck_assert(c[0] == c[1]); /* the trailing spaces change nothing */
    char *j[2], *s[2];
    for (int order = 0; order < 2; order++) {
        cxs_narrative *n = NULL, *parts[2] = {NULL, NULL};
        ck_assert_int_eq(cxs_narrative_new(&n, M, NULL), CXS_OK);
        for (int k = 0; k < 2; k++) {
            const char *t = ts[order ? 1 - k : k];
            ck_assert_int_eq(cxs_analyze(RES, AN, t, strlen(t), NULL), CXS_OK);
            cxs_record_info in;
            memset(&in, 0, sizeof in);
            in.group = "B";
            in.id = "same";
            in.text = t;
            in.len = strlen(t);
            ck_assert_int_eq(cxs_narrative_add(n, RES, &in, NULL), CXS_OK);
            ck_assert_int_eq(cxs_narrative_new(&parts[k], M, NULL), CXS_OK);
            ck_assert_int_eq(cxs_narrative_add(parts[k], RES, &in, NULL), CXS_OK);
        }
        j[order] = json(n, 0);
        s[order] = state(n);
        /* merging the parts, in this order, gives the same */
        ck_assert_int_eq(cxs_narrative_merge(parts[0], parts[1], NULL), CXS_OK);
        char *jm = json(parts[0], 0);
        ck_assert_str_eq(jm, j[order]);
        free(jm);
        cxs_verbatim v;
        ck_assert_int_eq(cxs_narrative_verbatim(&v, n, 0, CXS_VERBATIM_MOST_POSITIVE, 0), CXS_OK);
        ck_assert_uint_eq(v.len, 280);
        ck_assert_msg(v.cut == 0, "order %d: the whole text is the one kept", order);
        cxs_narrative_free(parts[0]);
        cxs_narrative_free(parts[1]);
        cxs_narrative_free(n);
    }
    ck_assert_str_eq(j[0], j[1]);
    ck_assert_str_eq(s[0], s[1]);
    for (int k = 0; k < 2; k++) {
        free(j[k]);
        free(s[k]);
    }
}
END_TEST

/* Medians from the log histogram: within 7.8% of the true value. */
START_TEST(wait_quantiles)
{
    cxs_narrative *n = NULL;
    ck_assert_int_eq(cxs_narrative_new(&n, M, NULL), CXS_OK);
    const int minutes[] = {10, 20, 30, 45, 50, 60, 90};
    char text[96];
    for (size_t i = 0; i < sizeof minutes / sizeof *minutes; i++) {
        snprintf(text, sizeof text, "I was on hold on the phone for %d minutes.", minutes[i]);
        ck_assert_int_eq(cxs_analyze(RES, AN, text, strlen(text), NULL), CXS_OK);
        ck_assert_uint_eq(cxs_result_wait_count(RES), 1);
        cxs_wait w;
        cxs_result_wait(&w, RES, 0);
        ck_assert_int_eq(w.channel, CXS_CHANNEL_PHONE);
        ck_assert_int_eq(cxs_narrative_add(n, RES, NULL, NULL), CXS_OK);
    }
    cxs_wait_stats ws;
    ck_assert_int_eq(cxs_narrative_wait(&ws, n, 0, CXS_CHANNEL_PHONE), CXS_OK);
    ck_assert_uint_eq(ws.count, 7);
    ck_assert_uint_eq(ws.breaches, 7); /* the phone standard is a minute */
    ck_assert_msg(fabs(ws.median - 45 * 60) <= 0.075 * 45 * 60, "median %g", ws.median);
    ck_assert_msg(fabs(ws.p90 - 90 * 60) <= 0.075 * 90 * 60, "p90 %g", ws.p90);
    /* the worst case: two waits at the ends of one bin, [5623.4, 6493.8) s; the median (the
     * lower) reads their mean, 7.74% above it */
    cxs_narrative *w2 = NULL;
    ck_assert_int_eq(cxs_narrative_new(&w2, M, NULL), CXS_OK);
    const int ends[] = {5624, 6493};
    for (size_t i = 0; i < 2; i++) {
        snprintf(text, sizeof text, "I was on hold on the phone for %d seconds.", ends[i]);
        ck_assert_int_eq(cxs_analyze(RES, AN, text, strlen(text), NULL), CXS_OK);
        ck_assert_int_eq(cxs_narrative_add(w2, RES, NULL, NULL), CXS_OK);
    }
    ck_assert_int_eq(cxs_narrative_wait(&ws, w2, 0, CXS_CHANNEL_PHONE), CXS_OK);
    ck_assert_uint_eq(ws.count, 2);
    ck_assert_msg(fabs(ws.median - 5624) <= 0.078 * 5624, "median %g", ws.median);
    ck_assert_msg(fabs(ws.median - 5624) > 0.075 * 5624, "median %g", ws.median);
    cxs_narrative_free(w2);
    ck_assert_int_eq(cxs_narrative_wait(&ws, n, 0, CXS_CHANNEL_EMAIL), CXS_OK);
    ck_assert_uint_eq(ws.count, 0);
    ck_assert(ws.median == 0);
    ck_assert_int_eq(cxs_narrative_wait(&ws, n, 0, 7), CXS_EINVAL);
    char *j = json(n, 0);
    ck_assert_ptr_nonnull(strstr(j, "\"waits\":[{\"channel\":\"phone\",\"count\":7,"));
    free(j);
    cxs_narrative_free(n);
}
END_TEST

START_TEST(ratings_and_change)
{
    cxs_narrative *n = build_all();
    char *j = json(n, 0);
    /* Harbor h5: five stars on a negative text; h9: two stars on a positive one */
    const char *h = strstr(j, "{\"group\":\"Harbor\"");
    ck_assert_ptr_nonnull(h);
    const char *r = strstr(h, "\"ratings\":{\"rated\":9,\"high_rating_negative_text\":1,"
                              "\"low_rating_positive_text\":1");
    ck_assert_msg(r != NULL, "%s", h);
    ck_assert_ptr_nonnull(strstr(r, "\"id\":\"h5\""));
    ck_assert_ptr_nonnull(strstr(r, "\"id\":\"h9\""));
    /* three periods, and the change from the second to the third */
    ck_assert_ptr_nonnull(strstr(h, "\"periods\":[{\"period\":\"2026-01\""));
    ck_assert_ptr_nonnull(strstr(h, "\"change\":{\"from\":\"2026-02\",\"to\":\"2026-03\""));
    /* the group "" has one period: no change */
    const char *e = strstr(j, "{\"group\":\"\"");
    ck_assert_ptr_nonnull(e);
    ck_assert(strstr(e, "\"change\"") == NULL || strstr(e, "\"change\"") > h);
    free(j);
    cxs_narrative_free(n);
}
END_TEST

/* ---- allocation failures --------------------------------------------------------------------- */

typedef struct failer {
    size_t calls, fail_at, live;
} failer;

static void *f_alloc(void *ctx, size_t size)
{
    failer *f = ctx;
    if (++f->calls == f->fail_at)
        return NULL;
    f->live++;
    return malloc(size);
}

static void *f_resize(void *ctx, void *ptr, size_t old_size, size_t new_size)
{
    (void)old_size;
    failer *f = ctx;
    if (++f->calls == f->fail_at)
        return NULL;
    return realloc(ptr, new_size);
}

static void f_release(void *ctx, void *ptr, size_t size)
{
    (void)size;
    failer *f = ctx;
    if (ptr)
        f->live--;
    free(ptr);
}

/* Every allocation of an add or a merge may fail: the call says CXS_ENOMEM, the narrative is
 * as it was, and nothing leaks. */
START_TEST(allocation_failures)
{
    failer f = {0, 0, 0};
    cxs_allocator al = {f_alloc, f_resize, f_release, &f};
    cxs_model *m = NULL;
    ck_assert_int_eq(cxs_model_load_default(&m, &al, NULL), CXS_OK);
    cxs_analyzer *an = NULL;
    cxs_result *res = NULL;
    ck_assert_int_eq(cxs_analyzer_new(&an, m, NULL), CXS_OK);
    ck_assert_int_eq(cxs_result_new(&res, m, NULL), CXS_OK);
    cxs_narrative *a = NULL, *b = NULL;
    ck_assert_int_eq(cxs_narrative_new(&a, m, NULL), CXS_OK);
    ck_assert_int_eq(cxs_narrative_new(&b, m, NULL), CXS_OK);
    size_t failures = 0;
    for (size_t i = 0; i < N_RECS; i++) {
        cxs_narrative *t = i % 2 ? b : a;
        ck_assert_int_eq(cxs_analyze(res, an, RECS[i].text, strlen(RECS[i].text), NULL), CXS_OK);
        cxs_record_info in = info_of(&RECS[i]);
        char *before = json(t, 0);
        for (size_t k = 1;; k++) {
            f.fail_at = f.calls + k;
            cxs_error err;
            int rc = cxs_narrative_add(t, res, &in, &err);
            char *now = json(t, 0);
            if (rc == CXS_OK) {
                free(now);
                break;
            }
            ck_assert_int_eq(rc, CXS_ENOMEM);
            ck_assert_int_eq(err.code, CXS_ENOMEM);
            ck_assert_str_eq(now, before);
            free(now);
            failures++;
        }
        free(before);
        f.fail_at = 0;
    }
    ck_assert_uint_gt(failures, 0);
    /* merges: a fresh copy of a each time, failing at every allocation in turn */
    char *want = NULL;
    for (size_t k = 1;; k++) {
        cxs_narrative *c = NULL;
        f.fail_at = 0;
        ck_assert_int_eq(cxs_narrative_new(&c, m, NULL), CXS_OK);
        ck_assert_int_eq(cxs_narrative_merge(c, a, NULL), CXS_OK);
        char *before = json(c, 0);
        f.fail_at = f.calls + k;
        int rc = cxs_narrative_merge(c, b, NULL);
        f.fail_at = 0;
        char *now = json(c, 0);
        if (rc == CXS_OK) {
            want = now;
            free(before);
            cxs_narrative_free(c);
            break;
        }
        ck_assert_int_eq(rc, CXS_ENOMEM);
        ck_assert_str_eq(now, before);
        free(now);
        free(before);
        cxs_narrative_free(c);
    }
    ck_assert_int_eq(cxs_narrative_merge(a, b, NULL), CXS_OK);
    char *got = json(a, 0);
    ck_assert_str_eq(got, want);
    free(got);
    free(want);
    cxs_narrative_free(a);
    cxs_narrative_free(b);
    cxs_result_free(res);
    cxs_analyzer_free(an);
    cxs_model_free(m);
    ck_assert_uint_eq(f.live, 0);
}
END_TEST

/* A model with other themes: its results and narratives do not mix with the default's. */
START_TEST(other_themes)
{
    static const char extra[] = "@section themes\nlatte\tcoffee_drinks\n";
    cxs_model *m2 = NULL;
    cxs_error err;
    ck_assert_int_eq(cxs_model_merge_buffer(&m2, M, extra, sizeof extra - 1, NULL, &err), CXS_OK);
    ck_assert_uint_eq(cxs_model_theme_count(m2), cxs_model_theme_count(M) + 1);
    cxs_narrative *a = NULL, *b = NULL;
    ck_assert_int_eq(cxs_narrative_new(&a, M, NULL), CXS_OK);
    ck_assert_int_eq(cxs_narrative_new(&b, m2, NULL), CXS_OK);
    ck_assert_int_eq(cxs_narrative_merge(a, b, &err), CXS_EINVAL);
    cxs_analyzer *an2 = NULL;
    cxs_result *r2 = NULL;
    ck_assert_int_eq(cxs_analyzer_new(&an2, m2, NULL), CXS_OK);
    ck_assert_int_eq(cxs_result_new(&r2, m2, NULL), CXS_OK);
    const char *t = "The latte was cold.";
    ck_assert_int_eq(cxs_analyze(r2, an2, t, strlen(t), NULL), CXS_OK);
    ck_assert_int_eq(cxs_narrative_add(b, r2, NULL, NULL), CXS_OK);
    ck_assert_int_eq(cxs_narrative_add(a, r2, NULL, &err), CXS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "coffee_drinks"));
    ck_assert_uint_eq(cxs_narrative_group_count(a), 0);
    char *j = json(b, 0);
    ck_assert_ptr_nonnull(strstr(j, "\"theme\":\"coffee_drinks\""));
    free(j);
    cxs_result_free(r2);
    cxs_analyzer_free(an2);
    cxs_narrative_free(a);
    cxs_narrative_free(b);
    cxs_model_free(m2);
}
END_TEST

/* Long keys are cut at a UTF-8 boundary, and keys and texts are escaped in the JSON. */
START_TEST(keys_and_escaping)
{
    cxs_narrative *n = NULL;
    ck_assert_int_eq(cxs_narrative_new(&n, M, NULL), CXS_OK);
    char key[200];
    memset(key, 'a', sizeof key);
    memcpy(key + 125, "\xC3\xA9\xC3\xA9", 4); /* a 2-byte character across byte 127 */
    key[199] = '\0';
    const char *t = "He said \"terrible\"\n\x01 and left.";
    ck_assert_int_eq(cxs_analyze(RES, AN, t, strlen(t), NULL), CXS_OK);
    cxs_record_info in;
    memset(&in, 0, sizeof in);
    in.group = key;
    in.period = "2026-04-01T10:00:00Z"; /* cut to 15 bytes */
    in.text = t;
    in.len = strlen(t);
    in.id = "q\"1";
    ck_assert_int_eq(cxs_narrative_add(n, RES, &in, NULL), CXS_OK);
    const char *name = cxs_narrative_group_name(n, 0);
    ck_assert_uint_eq(strlen(name), 127);
    ck_assert(memcmp(name + 125, "\xC3\xA9", 2) == 0);
    char *j = json(n, 0);
    ck_assert_ptr_nonnull(strstr(j, "\"period\":\"2026-04-01T10:0\""));
    ck_assert_ptr_nonnull(strstr(j, "He said \\\"terrible\\\"\\n\\u0001 and left."));
    ck_assert_ptr_nonnull(strstr(j, "\"id\":\"q\\\"1\""));
    free(j);
    cxs_narrative_free(n);
}
END_TEST

/* ---- the state: save and load ------------------------------------------------------------------ */

static char *state(const cxs_narrative *n)
{
    size_t len = cxs_narrative_save(n, NULL, 0);
    char *b = malloc(len + 1);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(cxs_narrative_save(n, b, len + 1), len);
    ck_assert_uint_eq(strlen(b), len);
    return b;
}

START_TEST(state_round_trip)
{
    cxs_narrative *all = build_all(), *back = NULL;
    char *st = state(all), *want = json(all, 0);
    cxs_error err;
    ck_assert_int_eq(cxs_narrative_load(&back, M, st, strlen(st), &err), CXS_OK);
    char *st2 = state(back), *got = json(back, 0);
    ck_assert_str_eq(st2, st);
    ck_assert_str_eq(got, want);
    /* a part sent as bytes merges as the part itself would */
    size_t a[N_RECS], b[N_RECS], na = 0, nb = 0;
    for (size_t i = 0; i < N_RECS; i++) {
        if (i % 3)
            a[na++] = i;
        else
            b[nb++] = i;
    }
    cxs_narrative *x = build(a, na), *y = build(b, nb), *y2 = NULL;
    char *ys = state(y);
    ck_assert_int_eq(cxs_narrative_load(&y2, M, ys, strlen(ys), NULL), CXS_OK);
    ck_assert_int_eq(cxs_narrative_merge(x, y2, NULL), CXS_OK);
    char *merged = json(x, 0);
    ck_assert_str_eq(merged, want);
    /* the empty narrative */
    cxs_narrative *e = NULL, *e2 = NULL;
    ck_assert_int_eq(cxs_narrative_new(&e, M, NULL), CXS_OK);
    char *es = state(e);
    ck_assert_int_eq(cxs_narrative_load(&e2, M, es, strlen(es), NULL), CXS_OK);
    ck_assert_uint_eq(cxs_narrative_group_count(e2), 0);
    cxs_narrative_free(e2);
    /* arguments */
    ck_assert_int_eq(cxs_narrative_load(NULL, M, st, strlen(st), NULL), CXS_EINVAL);
    ck_assert_int_eq(cxs_narrative_load(&e2, NULL, st, strlen(st), NULL), CXS_EINVAL);
    ck_assert_ptr_null(e2);
    ck_assert_int_eq(cxs_narrative_load(&e2, M, NULL, 5, NULL), CXS_EINVAL);
    free(es);
    cxs_narrative_free(e);
    free(merged);
    free(ys);
    cxs_narrative_free(x);
    cxs_narrative_free(y);
    cxs_narrative_free(y2);
    free(st);
    free(st2);
    free(got);
    free(want);
    cxs_narrative_free(all);
    cxs_narrative_free(back);
}
END_TEST

/* Damaged states: every cut is refused with a line, and no flipped byte crashes or gives a
 * narrative that does not save and load again to the same bytes. */
START_TEST(state_damaged)
{
    cxs_narrative *all = build_all();
    char *st = state(all);
    size_t len = strlen(st);
    cxs_error err;
    for (size_t cut = 0; cut < len; cut++) {
        cxs_narrative *n = NULL;
        memset(&err, 0, sizeof err);
        int rc = cxs_narrative_load(&n, M, st, cut, &err);
        ck_assert_msg(rc == CXS_EPARSE, "cut at %zu: rc %d", cut, rc);
        ck_assert_ptr_null(n);
        ck_assert_uint_gt(err.line, 0);
        ck_assert(strlen(err.message) > 0);
    }
    char *bad = malloc(len + 1);
    ck_assert_ptr_nonnull(bad);
    static const char flips[] = {'0', '9', 'x', ' ', '\n', '-', 'a', ':'};
    size_t ok = 0;
    for (size_t i = 0; i < len; i++) {
        for (size_t f = 0; f < sizeof flips; f++) {
            if (st[i] == flips[f])
                continue;
            memcpy(bad, st, len + 1);
            bad[i] = flips[f];
            cxs_narrative *n = NULL;
            int rc = cxs_narrative_load(&n, M, bad, len, &err);
            if (rc != CXS_OK) {
                ck_assert_msg(rc == CXS_EPARSE || rc == CXS_EINVAL, "rc %d", rc);
                continue;
            }
            ok++;
            char *s1 = state(n), *j = json(n, 0);
            cxs_narrative *n2 = NULL;
            ck_assert_int_eq(cxs_narrative_load(&n2, M, s1, strlen(s1), NULL), CXS_OK);
            char *s2 = state(n2);
            ck_assert_str_eq(s1, s2);
            ck_assert_int_eq(cxs_narrative_merge(n2, n, NULL), CXS_OK);
            free(s1);
            free(s2);
            free(j);
            cxs_narrative_free(n);
            cxs_narrative_free(n2);
        }
    }
    ck_assert_uint_gt(ok, 0); /* some changes are still a valid state (a digit of a verbatim) */
    /* CRLF line ends: refused on line 1 with a reason that says so */
    char *crlf = malloc(2 * len + 1);
    ck_assert_ptr_nonnull(crlf);
    size_t cl = 0;
    for (size_t i = 0; i < len; i++) {
        if (st[i] == '\n')
            crlf[cl++] = '\r';
        crlf[cl++] = st[i];
    }
    cxs_narrative *nc = NULL;
    ck_assert_int_eq(cxs_narrative_load(&nc, M, crlf, cl, &err), CXS_EPARSE);
    ck_assert_uint_eq(err.line, 1);
    ck_assert_ptr_nonnull(strstr(err.message, "carriage return"));
    free(crlf);
    /* bytes after the end, another version, other themes */
    char *more = malloc(len + 3);
    ck_assert_ptr_nonnull(more);
    memcpy(more, st, len);
    memcpy(more + len, "x\n", 3);
    cxs_narrative *n = NULL;
    ck_assert_int_eq(cxs_narrative_load(&n, M, more, len + 2, &err), CXS_EPARSE);
    memcpy(more, st, len + 1);
    more[17] = '2'; /* "cxsent-narrative 2" */
    ck_assert_int_eq(cxs_narrative_load(&n, M, more, len, &err), CXS_EPARSE);
    ck_assert_uint_eq(err.line, 1);
    static const char extra[] = "@section themes\nlatte\tcoffee_drinks\n";
    cxs_model *m2 = NULL;
    ck_assert_int_eq(cxs_model_merge_buffer(&m2, M, extra, sizeof extra - 1, NULL, NULL),
                     CXS_OK);
    ck_assert_int_eq(cxs_narrative_load(&n, m2, st, len, &err), CXS_EINVAL);
    ck_assert_uint_eq(err.line, 2);
    cxs_model_free(m2);
    free(more);
    free(bad);
    free(st);
    cxs_narrative_free(all);
}
END_TEST

/* An empty field (two spaces, a space at the end of a line) or one too many is reported at
 * its own column, not at column 1. */
START_TEST(state_field_columns)
{
    char head[512];
    int n = snprintf(head, sizeof head, "cxsent-narrative 1\nthemes %zu", cxs_model_theme_count(M));
    for (size_t k = 0; k < cxs_model_theme_count(M); k++)
        n += snprintf(head + n, sizeof head - (size_t)n, " %s", cxs_model_theme_name(M, k));
    static const struct {
        const char *lines;
        size_t line, column;
    } cases[] = {
        {"group x41 \nend\n", 3, 11},     /* a space at the end */
        {"group  x41\nend\n", 3, 7},      /* two spaces */
        {"group x41\ntotal 1 1  0 0 5\nend\n", 4, 11},
        {"group x41\ntotal 1 1 0 0 5\n\nend\n", 5, 1}, /* an empty line */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char st[1024];
        snprintf(st, sizeof st, "%s\n%s", head, cases[i].lines);
        cxs_narrative *nar = NULL;
        cxs_error err;
        memset(&err, 0, sizeof err);
        ck_assert_int_eq(cxs_narrative_load(&nar, M, st, strlen(st), &err), CXS_EPARSE);
        ck_assert_ptr_null(nar);
        ck_assert_msg(err.line == cases[i].line && err.column == cases[i].column,
                      "case %zu: %zu:%zu (%s), want %zu:%zu", i, err.line, err.column,
                      err.message, cases[i].line, cases[i].column);
    }
}
END_TEST

/* States whose figures disagree with each other, which no adds and merges make: refused, so a
 * loaded narrative never shows an intent rate above 1, periods with more texts than their
 * group, or a verbatim of a text it does not count. */
START_TEST(state_inconsistent)
{
    char head[512];
    int n = snprintf(head, sizeof head, "cxsent-narrative 1\nthemes %zu", cxs_model_theme_count(M));
    for (size_t k = 0; k < cxs_model_theme_count(M); k++)
        n += snprintf(head + n, sizeof head - (size_t)n, " %s", cxs_model_theme_name(M, k));
    static const char *const bad[] = {
        "group x41\nend\n",                                          /* no texts */
        "group x41\ntotal 1 1 0 0 5\nintents 7 0 0 0\nend\n",          /* rate 7 */
        "group x41\ntotal 1 1 0 0 5\nratings 9 0 0\nend\n",            /* 9 of 1 rated */
        "group x41\ntotal 2 1 0 1 5\nratings 2 0 2\nend\n",            /* 2 low_pos of 1 pos */
        "group x41\ntotal 1 1 0 0 5\nperiod x31 100 100 0 0 5\nend\n", /* period > group */
        "group x41\ntotal 2 1 0 1 5\nperiod x31 1 1 0 0 5\nperiod x32 1 1 0 0 5\nend\n",
        "group x41\ntotal 1 1 0 0 5\nperiod x31 0 0 0 0 0\nend\n",     /* an empty period */
        /* a negative mention the group does not have */
        ("group x41\ntotal 1 1 0 0 5\ntheme 0 1 1 0 0 5 1 0 0\nperiod x31 1 1 0 0 5\n"
         "ptheme 0 1 0 0 1 -5\nend\n"),
        "group x41\ntotal 1 0 1 0 0\nverbatim best -1000000000 0 x x41\nend\n",
        "group x41\ntotal 1 1 0 0 5\nverbatim theme+4 5 0 x x42\nend\n", /* unmentioned */
        "group x41\ntotal 1 1 0 0 5\nverbatim high_neg 5 0 x x42\nend\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char st[1024];
        snprintf(st, sizeof st, "%s\n%s", head, bad[i]);
        cxs_narrative *nar = NULL;
        cxs_error err;
        memset(&err, 0, sizeof err);
        int rc = cxs_narrative_load(&nar, M, st, strlen(st), &err);
        ck_assert_msg(rc == CXS_EPARSE, "case %zu loads: %s", i, bad[i]);
        ck_assert_ptr_null(nar);
        ck_assert_uint_gt(err.line, 2);
    }
    /* the same lines made consistent load */
    char st[1024];
    snprintf(st, sizeof st,
             "%s\ngroup x41\ntotal 2 1 0 1 5\nintents 1 0 0 0\nratings 2 1 1\n"
             "theme 0 1 1 0 0 5 1 0 0\nverbatim best 5 0 x x41\nverbatim high_neg -5 0 x x42\n"
             "verbatim theme+0 5 0 x x41\nperiod x31 1 1 0 0 5\nptheme 0 1 1 0 0 5\nend\n",
             head);
    cxs_narrative *nar = NULL;
    cxs_error err;
    ck_assert_msg(cxs_narrative_load(&nar, M, st, strlen(st), &err) == CXS_OK, "%zu:%zu %s",
                  err.line, err.column, err.message);
    cxs_narrative_free(nar);
}
END_TEST

START_TEST(state_allocation_failures)
{
    failer f = {0, 0, 0};
    cxs_allocator al = {f_alloc, f_resize, f_release, &f};
    cxs_model *m = NULL;
    ck_assert_int_eq(cxs_model_load_default(&m, &al, NULL), CXS_OK);
    cxs_narrative *all = build_all();
    char *st = state(all);
    size_t failures = 0;
    for (size_t k = 1;; k++) {
        cxs_narrative *n = NULL;
        f.fail_at = f.calls + k;
        int rc = cxs_narrative_load(&n, m, st, strlen(st), NULL);
        f.fail_at = 0;
        if (rc == CXS_OK) {
            char *s2 = state(n);
            ck_assert_str_eq(s2, st);
            free(s2);
            cxs_narrative_free(n);
            break;
        }
        ck_assert_int_eq(rc, CXS_ENOMEM);
        ck_assert_ptr_null(n);
        failures++;
    }
    ck_assert_uint_gt(failures, 2);
    free(st);
    cxs_narrative_free(all);
    cxs_model_free(m);
    ck_assert_uint_eq(f.live, 0);
}
END_TEST

static Suite *narrative_suite(void)
{
    Suite *s = suite_create("narrative");
    TCase *tc = tcase_create("narrative");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, empty_and_arguments);
    tcase_add_test(tc, tallies);
    tcase_add_test(tc, accessors);
    tcase_add_test(tc, theme_ranking);
    tcase_add_test(tc, change_terms);
    tcase_add_test(tc, merge_equals_union);
    tcase_add_test(tc, verbatim_ties);
    tcase_add_test(tc, verbatim_ties_cut);
    tcase_add_test(tc, wait_quantiles);
    tcase_add_test(tc, ratings_and_change);
    tcase_add_test(tc, allocation_failures);
    tcase_add_test(tc, other_themes);
    tcase_add_test(tc, keys_and_escaping);
    tcase_add_test(tc, state_round_trip);
    tcase_add_test(tc, state_damaged);
    tcase_add_test(tc, state_field_columns);
    tcase_add_test(tc, state_inconsistent);
    tcase_add_test(tc, state_allocation_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(narrative_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
