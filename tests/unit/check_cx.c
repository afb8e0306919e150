/*
 * check_cx.c — the customer-experience facts (lib/cx.c) through the public API, on a small
 * model of our own so the cases do not move when the default data grows: themes with their
 * polarity, level and spans (clauses, fallbacks, level cues), intents (phrases, negation, the
 * complaint of a negative text), waits (cue kinds, channels, standards and breaches, the
 * words read around them), their JSON form, and the loader's sections for them (counts, theme
 * names, overrides).
 */
#include "cxsent.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char cx_model[] =
    "@section lexicon\n"
    "amazing\t3.2\n"
    "awful\t-2.5\n"
    "an hour late\t-2.0\n"
    "stuck an hour\t-2.0\n"
    "cold\t-1.0\n"
    "days later\t-1.0\n"
    "friendly\t2.0\n"
    "great\t2.0\n"
    "rude\t-2.0\n"
    "slow\t-1.5\n"
    "@section negators\n"
    "never\n"
    "not\n"
    "@section contrastives\n"
    "but\t0.5\t1.5\n"
    "@section irrealis\n"
    "wish\t-0.5\n"
    "@section time_units\n"
    "day\t86400\n"
    "days\t86400\n"
    "hour\t3600\n"
    "hours\t3600\n"
    "hr\t3600\n"
    "minutes\t60\n"
    "month\t2592000\n"
    "months\t2592000\n"
    "weeks\t604800\n"
    "years\t31536000\n"
    "@section number_words\n"
    "a\t1\n"
    "an\t1\n"
    "@section duration_cues\n"
    "after\twait\n"
    "ago\tother\n"
    "in\tspeed\n"
    "long\tother\n"
    "on hold\twait\n"
    "takes\tprocess\n"
    "took\twait\n"
    "waited\twait\n"
    "@section themes\n"
    "customer service\tservice\n"
    "food\tquality\n"
    "parcel\tdelivery\n"
    "price\tprice\n"
    "service\tservice\n"
    "staff\tservice\n"
    "@section channels\n"
    "called\tphone\n"
    "email\temail\n"
    "line\tstore\n"
    "on hold\tphone\n"
    "parcel\tdelivery\n"
    "@section intents\n"
    "be back\treturn\n"
    "never again\tchurn\n"
    "recommend\trecommend\n"
    "wouldn't recommend\tcomplaint\n"
    "@section levels\n"
    "above and beyond\tdelight\n"
    "missing\tfailure\n"
    "on time\tbaseline\n"
    "@section wait_context\n"
    "advance\tlead\n"
    "after\tlifetime-after\n"
    "ahead\tlead\n"
    "and\tjoin\n"
    "drove\ttrip\n"
    "for\tlifetime-for\n"
    "long\tlength\n"
    "notice\tlead\n"
    "promised\tpromise\n"
    "said\tpromise\n"
    "stopped\tlifetime-end\n"
    "twice\tcount\n"
    "when\tjoin\n"
    "worked\tlifetime-use\n";

static cxs_model *model;
static cxs_analyzer *an;
static cxs_result *res;

static void setup(void)
{
    cxs_error err;
    if (cxs_model_load_buffer(&model, cx_model, strlen(cx_model), "cx.model", NULL, &err)) {
        fprintf(stderr, "cx.model: %s:%zu:%zu: %s\n", err.source, err.line, err.column,
                err.message);
        abort();
    }
    ck_assert_int_eq(cxs_analyzer_new(&an, model, NULL), CXS_OK);
    ck_assert_int_eq(cxs_result_new(&res, model, NULL), CXS_OK);
}

static void teardown(void)
{
    cxs_result_free(res);
    cxs_analyzer_free(an);
    cxs_model_free(model);
    res = NULL;
    an = NULL;
    model = NULL;
}

static void analyze(const char *text)
{
    cxs_error err;
    int rc = cxs_analyze(res, an, text, strlen(text), &err);
    ck_assert_msg(rc == CXS_OK, "analyze '%s': %d %s", text, rc, err.message);
}

/* The themes of the last text as "name:polarity:level" joined by spaces. */
static const char *themes(void)
{
    static char buf[512];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < cxs_result_theme_count(res); i++) {
        cxs_theme t;
        ck_assert_int_eq(cxs_result_theme(&t, res, i), CXS_OK);
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s:%s:%s", i ? " " : "", t.theme,
                              cxs_label_name(t.polarity), cxs_level_name(t.level));
    }
    return buf;
}

/* ---- themes ------------------------------------------------------------------------------ */

typedef struct theme_case {
    const char *text;
    const char *want;
} theme_case;

static const theme_case theme_cases[] = {
    /* each theme takes its own clause: a contrastive and commas split them */
    {"The staff were rude but the food was great.", "service:negative:failure quality:positive:baseline"},
    {"Food was cold, staff were friendly", "quality:negative:failure service:positive:baseline"},
    /* a strong positive term makes a delight; a delight cue does too */
    {"The staff were amazing.", "service:positive:delight"},
    {"Staff went above and beyond, great.", "service:positive:delight"},
    /* a speed within speed_minutes is beyond the expected: a delight; a slower one is a need
     * met, and a fast fix in a clause that is negative overall is still a failure */
    {"Customer service fixed it in 10 minutes.", "service:positive:delight"},
    {"Customer service fixed it in 60 minutes.", "service:positive:baseline"},
    {"The rude staff fixed it in 10 minutes.", "service:negative:failure"},
    /* a delight cue in a clause that names no theme is about the themes of its sentence; a
     * clause that names one keeps its cue */
    {"Staff were friendly, above and beyond.", "service:positive:delight"},
    {"Staff were friendly, the food above and beyond.",
     "service:positive:baseline quality:positive:delight"},
    /* an orphan cue goes to the nearest clause with a theme, the one before it first */
    {"Staff were friendly, the food was great, above and beyond.",
     "service:positive:baseline quality:positive:delight"},
    {"Above and beyond, the staff were friendly, the food was great.",
     "service:positive:delight quality:positive:baseline"},
    /* a short sentence that names no theme carries its cue back to the sentence before
     * ("Above and beyond."); a longer one tells of an event of its own, and one that names a
     * theme keeps its cue */
    {"Staff were friendly. Above and beyond.", "service:positive:delight"},
    {"Staff were friendly. We stayed three nights with the kids and it was above and beyond.",
     "service:positive:baseline"},
    {"Staff were friendly. The food, above and beyond.",
     "service:positive:baseline quality:positive:delight"},
    {"Staff were friendly. Great. Above and beyond.", "service:positive:baseline"},
    /* a delight only wished for did not happen */
    {"Staff were friendly, I wish they went above and beyond.", "service:positive:baseline"},
    /* a failure cue fails a theme that is not praised; a baseline cue keeps a met need */
    {"The parcel is missing.", "delivery:neutral:failure"},
    {"Parcel came on time.", "delivery:neutral:baseline"},
    /* the longest tagged term wins: "customer service" is one mention */
    {"Customer service was slow.", "service:negative:failure"},
    /* no sentiment in its clause: the sentence's; none in its sentence: the text's */
    {"The staff, well, awful.", "service:negative:failure"},
    {"The price. It was awful.", "price:negative:failure"},
    {"The price is what it is.", "price:neutral:baseline"},
    /* a theme once, with its net polarity over the clauses that mention it */
    {"Staff were rude. Staff were friendly and great.", "service:positive:baseline"},
    /* a clause that names a theme and ends in "not" denies it the clause before's stance;
     * one that names none (score.c's denial) or says more after "not" is no such clause */
    {"The food was great, the price was not.",
     "quality:positive:baseline price:negative:failure"},
    {"The food was great. The price wasn't.", "quality:positive:baseline price:negative:failure"},
    {"The food was great, the price was not bad.",
     "quality:positive:baseline price:positive:baseline"},
    /* after a denial, "not" repeats it ("the food was not great, the price was not": not
     * great either), and a second elliptical clause shares the first one's antecedent: neither
     * denies a denial */
    {"The food was not great, the price was not.",
     "quality:negative:failure price:negative:failure"},
    {"The food was not great. The price wasn't.", "quality:negative:failure price:negative:failure"},
    {"The food was great, the price was not, the staff were not.",
     "quality:positive:baseline price:negative:failure service:negative:failure"},
    {"Nothing to say about anything.", ""},
};

START_TEST(theme_judgements)
{
    const theme_case *c = &theme_cases[_i];
    analyze(c->text);
    ck_assert_msg(strcmp(themes(), c->want) == 0, "'%s': themes '%s', want '%s'", c->text,
                  themes(), c->want);
}
END_TEST

START_TEST(theme_spans)
{
    const char *text = "Staff rude. The staff again, and customer service too.";
    analyze(text);
    ck_assert_uint_eq(cxs_result_theme_count(res), 1);
    cxs_theme t;
    ck_assert_int_eq(cxs_result_theme(&t, res, 0), CXS_OK);
    ck_assert_str_eq(t.theme, "service");
    ck_assert_uint_eq(t.n_spans, 3);
    size_t s, e;
    ck_assert_int_eq(cxs_result_theme_span(&s, &e, res, 0, 0), CXS_OK);
    ck_assert_uint_eq(s, 0);
    ck_assert_uint_eq(e, 5);
    ck_assert_int_eq(cxs_result_theme_span(&s, &e, res, 0, 2), CXS_OK);
    ck_assert(strncmp(text + s, "customer service", e - s) == 0 && e - s == 16);
    ck_assert(t.score < 0 && t.score >= -1);
    /* out of range and NULL arguments */
    ck_assert_int_eq(cxs_result_theme_span(&s, &e, res, 0, 3), CXS_EINVAL);
    ck_assert_int_eq(cxs_result_theme_span(&s, &e, res, 1, 0), CXS_EINVAL);
    ck_assert_int_eq(cxs_result_theme_span(NULL, &e, res, 0, 0), CXS_EINVAL);
    ck_assert_int_eq(cxs_result_theme(&t, res, 1), CXS_EINVAL);
    ck_assert_int_eq(cxs_result_theme(NULL, res, 0), CXS_EINVAL);
    ck_assert_int_eq(cxs_result_theme(&t, NULL, 0), CXS_EINVAL);
    ck_assert_uint_eq(cxs_result_theme_count(NULL), 0);
}
END_TEST

/* ---- intents ----------------------------------------------------------------------------- */

typedef struct intent_case {
    const char *text;
    unsigned want;
} intent_case;

static const intent_case intent_cases[] = {
    {"Great food, we will be back.", CXS_INTENT_RETURN},
    {"I recommend the staff.", CXS_INTENT_RECOMMEND},
    /* a negator before the intent cancels it; a negative text complains */
    {"I do not recommend them, rude staff.", CXS_INTENT_COMPLAINT},
    {"Rude staff. I wouldn't recommend them.", CXS_INTENT_COMPLAINT},
    {"Awful. Never again.", CXS_INTENT_COMPLAINT | CXS_INTENT_CHURN},
    {"The food.", 0},
};

START_TEST(intent_judgements)
{
    const intent_case *c = &intent_cases[_i];
    analyze(c->text);
    ck_assert_msg(cxs_result_intents(res) == c->want, "'%s': intents %#x, want %#x", c->text,
                  cxs_result_intents(res), c->want);
}
END_TEST

/* ---- waits ------------------------------------------------------------------------------- */

typedef struct wait_case {
    const char *text;
    size_t n;        /* waits found */
    double seconds;  /* of the first */
    int channel;
    int breach;
} wait_case;

static const wait_case wait_cases[] = {
    {"Waited 45 minutes on hold.", 1, 2700, CXS_CHANNEL_PHONE, 1},
    {"The email reply took 2 days.", 1, 172800, CXS_CHANNEL_EMAIL, 1},
    {"Parcel took 3 days.", 1, 259200, CXS_CHANNEL_DELIVERY, 0},   /* within 5 days */
    {"Fixed in 10 minutes, great.", 1, 600, CXS_CHANNEL_OTHER, 0}, /* other: no standard */
    /* no channel in its sentence: the one channel the text names */
    {"I called them. Waited 40 minutes.", 1, 2400, CXS_CHANNEL_PHONE, 1},
    /* no wait: "ago", a short duration with no cue, a long one past 90 days with no cue */
    {"I ordered 3 weeks ago.", 0, 0, 0, 0},
    {"It is 5 minutes from home.", 0, 0, 0, 0},
    {"A customer for 5 years.", 0, 0, 0, 0},
    /* how long something took is a wait too */
    {"The refund takes 3 weeks.", 1, 1814400, CXS_CHANNEL_OTHER, 0},
    /* a long duration with no cue is a wait */
    {"3 weeks and nothing.", 1, 1814400, CXS_CHANNEL_OTHER, 0},
    /* a negative phrase that swallows the time unit still states the wait */
    {"The refund came 5 days later.", 1, 432000, CXS_CHANNEL_OTHER, 0},
    {"The parcel came an hour late.", 1, 3600, CXS_CHANNEL_DELIVERY, 0},
    /* a number too big to be a wait is none (and nothing overflows) */
    {"Waited 880000000000000000000000000000000000000000 minutes.", 0, 0, 0, 0},
    {"Waited 0 minutes.", 0, 0, 0, 0},
    /* contacts counted ("2 emails", "emailed twice"): a wait over several of them is for the
     * outcome, so other; one email is the email's wait */
    {"Took 3 weeks and 2 emails.", 1, 1814400, CXS_CHANNEL_OTHER, 0},
    {"Took 3 weeks, sent the email twice.", 1, 1814400, CXS_CHANNEL_OTHER, 0},
    {"Took 3 weeks and an email.", 1, 1814400, CXS_CHANNEL_EMAIL, 1},
    /* only contacts are counted: a number before a parcel counts no contacts */
    {"Took 3 weeks for 2 parcel.", 1, 1814400, CXS_CHANNEL_DELIVERY, 1},
    /* the nearest channel term in the sentence, unless the one after is past a word that
     * starts another predicate ("and", "when") */
    {"The email I sent, it took 2 days for the parcel.", 1, 172800, CXS_CHANNEL_DELIVERY, 0},
    {"The email I sent, it took 2 days and the parcel came.", 1, 172800, CXS_CHANNEL_EMAIL,
     1},
    /* a duration in a short quotation is what someone said ("said \"in 10 minutes\""); the
     * writer's own words quoted at length still state a wait */
    {"The sign said \"in 10 minutes\" and we waited 45 minutes on hold.", 1, 2700,
     CXS_CHANNEL_PHONE, 1},
    {"The sign said \u201cin 10 minutes\u201d and we waited 45 minutes on hold.", 1, 2700,
     CXS_CHANNEL_PHONE, 1},
    {"\"Waited 45 minutes on hold and nobody answered at all,\" I told them.", 1, 2700,
     CXS_CHANNEL_PHONE, 1},
    /* "long" after a duration makes it no wait, except for a queue or a hold named before it
     * in its clause */
    {"The line was 45 minutes long.", 1, 2700, CXS_CHANNEL_STORE, 1},
    {"The film was 45 minutes long.", 0, 0, 0, 0},
    {"The line moved, the film was 45 minutes long.", 0, 0, 0, 0},
    /* a speed promised or reported ("promised a reply in 10 minutes") is no wait had; past
     * its clause the word of promise does not reach */
    {"They promised a reply in 10 minutes and we waited 45 minutes on hold.", 1, 2700,
     CXS_CHANNEL_PHONE, 1},
    {"The app said ready in 10 minutes.", 0, 0, 0, 0},
    {"As promised, fixed in 10 minutes.", 1, 600, CXS_CHANNEL_OTHER, 0},
    /* a trip ("drove 45 minutes") is time spent getting there, not a wait */
    {"I drove 45 minutes, then waited 10 minutes.", 1, 600, CXS_CHANNEL_OTHER, 0},
    {"I drove 45 minutes for this.", 0, 0, 0, 0},
    /* a lifetime ("stopped working after 2 weeks") is how long a thing lasted, not a wait;
     * "after" alone still cues one */
    {"It stopped working after 2 weeks.", 0, 0, 0, 0},
    {"Called after 2 weeks.", 1, 1209600, CXS_CHANNEL_PHONE, 1},
    {"It worked fine after 2 weeks.", 0, 0, 0, 0}, /* a word of use, "after" or "for" */
    /* a duration in parts is one wait: "1 hour 10 minutes", "3 days and an hour" */
    {"Waited 1 hour 10 minutes on hold.", 1, 4200, CXS_CHANNEL_PHONE, 1},
    {"Waited 3 days and an hour.", 1, 262800, CXS_CHANNEL_OTHER, 0},
    {"Waited 10 minutes, 10 minutes.", 1, 600, CXS_CHANNEL_OTHER, 0},
    /* a wait stated twice is one wait */
    {"Waited 3 days. 3 DAYS.", 1, 259200, CXS_CHANNEL_OTHER, 0},
    /* parts that are not durations of their own: a half, and a bare count of minutes after
     * hours that ends its clause or comes before "and"; the channel is looked for from the
     * last part */
    {"We waited half an hour in line.", 1, 1800, CXS_CHANNEL_STORE, 1},
    {"Waited an hour and a half on hold.", 1, 5400, CXS_CHANNEL_PHONE, 1},
    {"Waited 2 days and a half for an email reply.", 1, 216000, CXS_CHANNEL_EMAIL, 1},
    {"The parcel took 1 hr 20 and the box was cold.", 1, 4800, CXS_CHANNEL_DELIVERY, 0},
    {"The parcel took an hour and 15, but the food was great.", 1, 4500,
     CXS_CHANNEL_DELIVERY, 0},
    {"Waited an hour and 20 minutes on hold.", 1, 4800, CXS_CHANNEL_PHONE, 1},
    {"Waited an hour and 20 people were in line.", 1, 3600, CXS_CHANNEL_STORE, 1},
    {"Waited an hour and 75, then left.", 1, 3600, CXS_CHANNEL_OTHER, 0}, /* no minute count */
    /* a negative phrase that holds the duration takes its parts too */
    {"We were stuck an hour and a half on hold.", 1, 5400, CXS_CHANNEL_PHONE, 1},
    {"The parcel came an hour late and a half eaten.", 1, 3600, CXS_CHANNEL_DELIVERY, 0},
    /* the time since a contact left unanswered is a wait, in a text that is not positive */
    {"Sent an email 3 days ago, nothing since.", 1, 259200, CXS_CHANNEL_EMAIL, 1},
    {"Called 2 days ago and they were great and friendly.", 0, 0, 0, 0},
    {"Bought the parcel 3 days ago, nothing since.", 0, 0, 0, 0},
    /* a rate ("$85 a month") and a lead time ("30 days' notice") are no wait */
    {"Paying $85 a month for a parcel.", 0, 0, 0, 0},
    {"I get 20 emails a day from them.", 0, 0, 0, 0},
    {"Waited on hold and a month for a refund.", 1, 2592000, CXS_CHANNEL_PHONE, 1},
    {"They closed the branch with 3 weeks' notice.", 0, 0, 0, 0},
    {"Ordered the parcel 2 weeks in advance.", 0, 0, 0, 0},
    {"Booked 3 weeks ahead and still waited 40 minutes in line.", 1, 2400, CXS_CHANNEL_STORE,
     1},
};

START_TEST(wait_judgements)
{
    const wait_case *c = &wait_cases[_i];
    analyze(c->text);
    ck_assert_msg(cxs_result_wait_count(res) == c->n, "'%s': %zu waits, want %zu", c->text,
                  cxs_result_wait_count(res), c->n);
    if (!c->n)
        return;
    cxs_wait w;
    ck_assert_int_eq(cxs_result_wait(&w, res, 0), CXS_OK);
    ck_assert_msg(w.seconds == c->seconds && w.channel == c->channel && w.breach == c->breach,
                  "'%s': %g s %s breach %d, want %g s %s breach %d", c->text, w.seconds,
                  cxs_channel_name(w.channel), w.breach, c->seconds,
                  cxs_channel_name(c->channel), c->breach);
    ck_assert(w.start < w.end && w.end <= strlen(c->text));
}
END_TEST

START_TEST(waits_in_order_and_nearest_channel)
{
    /* each wait takes the channel named nearest in its own sentence */
    analyze("On hold for 30 minutes. Then the email took 3 days.");
    ck_assert_uint_eq(cxs_result_wait_count(res), 2);
    cxs_wait a, b;
    ck_assert_int_eq(cxs_result_wait(&a, res, 0), CXS_OK);
    ck_assert_int_eq(cxs_result_wait(&b, res, 1), CXS_OK);
    ck_assert_int_eq(a.channel, CXS_CHANNEL_PHONE);
    ck_assert_int_eq(b.channel, CXS_CHANNEL_EMAIL);
    ck_assert(a.start < b.start);
    ck_assert_int_eq(cxs_result_wait(&a, res, 2), CXS_EINVAL);
    ck_assert_int_eq(cxs_result_wait(NULL, res, 0), CXS_EINVAL);
    ck_assert_uint_eq(cxs_result_wait_count(NULL), 0);
}
END_TEST

/* ---- patterns ------------------------------------------------------------------------------ */

/* Facts of text under model m: themes as themes() writes them, and the intents and waits. */
static const char *facts_under(cxs_model *m, const char *text, size_t len, unsigned *intents,
                               size_t *waits, cxs_wait *w0)
{
    cxs_analyzer *a2;
    cxs_result *r2;
    ck_assert_int_eq(cxs_analyzer_new(&a2, m, NULL), CXS_OK);
    ck_assert_int_eq(cxs_result_new(&r2, m, NULL), CXS_OK);
    ck_assert_int_eq(cxs_analyze(r2, a2, text, len, NULL), CXS_OK);
    cxs_result *keep = res;
    res = r2;
    static char buf[512];
    snprintf(buf, sizeof buf, "%s", themes());
    res = keep;
    *intents = cxs_result_intents(r2);
    *waits = cxs_result_wait_count(r2);
    if (*waits)
        ck_assert_int_eq(cxs_result_wait(w0, r2, 0), CXS_OK);
    cxs_result_free(r2);
    cxs_analyzer_free(a2);
    return buf;
}

static const char patterns_ov[] = "@section patterns\n"
                                  "[$\xE2\x82\xAC]\\s?\\d+(?:[.,]\\d\\d)?\ttheme\tprice\n"
                                  "order\\s?#?\\d{4,}\ttheme\tdelivery\n"
                                  "order\\s?#?\\d{4,}\tchannel\tdelivery\n"
                                  "\\bswitch(?:ing|ed)? to \\w+\tintent\tchurn\n"
                                  "(a+)+(?:b|c)\ttheme\tbrand\n";

/* A pattern states its facts where it matches, as a term where it stands: its theme (with
 * the clause's polarity and the match's span), its channel for a wait, its intent (not when
 * negated); the same expression on two lines is one pattern with both facts. */
START_TEST(patterns_tag_like_terms)
{
    cxs_model *m;
    cxs_error err;
    ck_assert_int_eq(cxs_model_merge_buffer(&m, model, patterns_ov, strlen(patterns_ov),
                                            "ov.model", &err),
                     CXS_OK);
    ck_assert_uint_eq(cxs_model_count(model, CXS_COUNT_PATTERNS), 0);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_PATTERNS), 4); /* one expression, 2 lines */
    unsigned in;
    size_t nw;
    cxs_wait w;
    const char *t = "$14 for a sandwich, awful.";
    ck_assert_str_eq(facts_under(m, t, strlen(t), &in, &nw, &w), "price:negative:failure");
    t = "Paid \xE2\x82\xAC" "7.50 for the food, great.";
    ck_assert_str_eq(facts_under(m, t, strlen(t), &in, &nw, &w),
                     "price:positive:baseline quality:positive:baseline");
    t = "ORDER #48213 took 3 weeks.";
    ck_assert_str_eq(facts_under(m, t, strlen(t), &in, &nw, &w), "delivery:negative:failure");
    ck_assert_uint_eq(nw, 1);
    ck_assert_int_eq(w.channel, CXS_CHANNEL_DELIVERY);
    t = "I am switching to Telvo.";
    facts_under(m, t, strlen(t), &in, &nw, &w);
    ck_assert_uint_eq(in & CXS_INTENT_CHURN, CXS_INTENT_CHURN);
    t = "I am not switching to Telvo.";
    facts_under(m, t, strlen(t), &in, &nw, &w);
    ck_assert_uint_eq(in & CXS_INTENT_CHURN, 0);
    /* a pattern that backtracks without end gives up at the match limit: no hang, no fact */
    char slow[200];
    memset(slow, 'a', sizeof slow - 2);
    slow[sizeof slow - 2] = '?';
    slow[sizeof slow - 1] = '\0';
    ck_assert_str_eq(facts_under(m, slow, strlen(slow), &in, &nw, &w), "");
    /* invalid UTF-8 around a match is matched past, not refused */
    static const char bad[] = "\xFF\xFE $5 for the food \xC3";
    ck_assert_str_eq(facts_under(m, bad, sizeof bad - 1, &in, &nw, &w),
                     "price:neutral:baseline quality:neutral:baseline");
    /* an override clears one fact of a pattern or removes it; the merged model keeps its
     * patterns when its base goes */
    cxs_model *m2;
    static const char ov2[] = "@section patterns\n"
                              "order\\s?#?\\d{4,}\ttheme\tnone\n"
                              "[$\xE2\x82\xAC]\\s?\\d+(?:[.,]\\d\\d)?\tnone\n";
    ck_assert_int_eq(cxs_model_merge_buffer(&m2, m, ov2, strlen(ov2), "ov2.model", &err),
                     CXS_OK);
    cxs_model_free(m);
    ck_assert_uint_eq(cxs_model_count(m2, CXS_COUNT_PATTERNS), 3);
    t = "$14 for a sandwich, awful.";
    ck_assert_str_eq(facts_under(m2, t, strlen(t), &in, &nw, &w), "");
    t = "Order 48213 took 3 weeks.";
    ck_assert_str_eq(facts_under(m2, t, strlen(t), &in, &nw, &w), "");
    ck_assert_uint_eq(nw, 1);
    ck_assert_int_eq(w.channel, CXS_CHANNEL_DELIVERY); /* the channel stays */
    cxs_model_free(m2);
}
END_TEST

/* ---- JSON, reuse, names, the loader -------------------------------------------------------- */

START_TEST(json_record)
{
    analyze("Waited 45 minutes on hold, the staff were rude. Never again.");
    char buf[1024];
    size_t n = cxs_result_to_json(res, 0, buf, sizeof buf);
    ck_assert_uint_lt(n, sizeof buf);
    ck_assert_msg(strstr(buf, "\"themes\":[{\"theme\":\"service\",\"polarity\":\"negative\","
                              "\"score\":-") != NULL,
                  "%s", buf);
    ck_assert_msg(strstr(buf, "\"level\":\"failure\",\"spans\":[[31,36]]}]") != NULL, "%s", buf);
    ck_assert_msg(strstr(buf, "\"intents\":[\"complaint\",\"churn\"]") != NULL, "%s", buf);
    ck_assert_msg(strstr(buf, "\"waits\":[{\"channel\":\"phone\",\"seconds\":2700,"
                              "\"span\":[7,17],\"breach\":true}]}") != NULL,
                  "%s", buf);
    /* the next text replaces every fact */
    analyze("ok");
    n = cxs_result_to_json(res, 0, buf, sizeof buf);
    ck_assert_msg(strstr(buf, "\"themes\":[],\"intents\":[],\"waits\":[]}") != NULL, "%s", buf);
}
END_TEST

START_TEST(names)
{
    ck_assert_str_eq(cxs_level_name(CXS_LEVEL_DELIGHT), "delight");
    ck_assert_str_eq(cxs_level_name(7), "unknown");
    ck_assert_str_eq(cxs_intent_name(CXS_INTENT_RECOMMEND), "recommend");
    ck_assert_str_eq(cxs_intent_name(CXS_INTENT_CHURN | CXS_INTENT_RETURN), "unknown");
    ck_assert_str_eq(cxs_channel_name(CXS_CHANNEL_DELIVERY), "delivery");
    ck_assert_str_eq(cxs_channel_name(-1), "unknown");
    ck_assert_str_eq(cxs_channel_name(7), "unknown");
}
END_TEST

START_TEST(loader_sections)
{
    ck_assert_uint_eq(cxs_model_count(model, CXS_COUNT_THEME_TERMS), 6);
    ck_assert_uint_eq(cxs_model_count(model, CXS_COUNT_CHANNEL_TERMS), 5);
    ck_assert_uint_eq(cxs_model_count(model, CXS_COUNT_INTENT_TERMS), 4);
    ck_assert_uint_eq(cxs_model_count(model, CXS_COUNT_LEVEL_CUES), 3);
    /* theme names in the order the section first names them */
    ck_assert_uint_eq(cxs_model_theme_count(model), 4);
    ck_assert_str_eq(cxs_model_theme_name(model, 0), "service");
    ck_assert_str_eq(cxs_model_theme_name(model, 1), "quality");
    ck_assert_str_eq(cxs_model_theme_name(model, 3), "price");
    ck_assert_ptr_null(cxs_model_theme_name(model, 4));
    ck_assert_uint_eq(cxs_model_theme_count(NULL), 0);
    /* tagged terms have no valence of their own, and stay out of sentiment */
    double v;
    ck_assert_int_eq(cxs_model_lookup(&v, model, "staff", 5), 0);
    cxs_scores sc;
    ck_assert_int_eq(cxs_analyzer_score(&sc, NULL, an, "The staff.", 10, NULL), CXS_OK);
    ck_assert(sc.compound == 0);
}
END_TEST

START_TEST(override_retags_and_removes)
{
    static const char over[] = "@section themes\n"
                               "food\tnone\n"
                               "noise\tenvironment\n"
                               "@section channels\n"
                               "called\tnone\n"
                               "@section settings\n"
                               "standard_phone\t3600\n";
    cxs_model *m2 = NULL;
    cxs_error err;
    ck_assert_int_eq(cxs_model_merge_buffer(&m2, model, over, strlen(over), "over", &err), CXS_OK);
    ck_assert_uint_eq(cxs_model_theme_count(m2), 5);
    ck_assert_str_eq(cxs_model_theme_name(m2, 4), "environment");
    cxs_analyzer *a2 = NULL;
    cxs_result *r2 = NULL;
    ck_assert_int_eq(cxs_analyzer_new(&a2, m2, NULL), CXS_OK);
    ck_assert_int_eq(cxs_result_new(&r2, m2, NULL), CXS_OK);
    const char *t = "The food. The noise. Waited 45 minutes on hold.";
    ck_assert_int_eq(cxs_analyze(r2, a2, t, strlen(t), NULL), CXS_OK);
    ck_assert_uint_eq(cxs_result_theme_count(r2), 1);
    cxs_theme th;
    ck_assert_int_eq(cxs_result_theme(&th, r2, 0), CXS_OK);
    ck_assert_str_eq(th.theme, "environment");
    cxs_wait w;
    ck_assert_int_eq(cxs_result_wait(&w, r2, 0), CXS_OK);
    ck_assert_int_eq(w.channel, CXS_CHANNEL_PHONE);
    ck_assert_int_eq(w.breach, 0); /* 45 minutes is within the new standard of an hour */
    cxs_result_free(r2);
    cxs_analyzer_free(a2);
    cxs_model_free(m2);
    /* the base model is untouched */
    analyze("The food.");
    ck_assert_str_eq(themes(), "quality:neutral:baseline");
}
END_TEST

/* The wait_context words are the model's: an override adds a trip word, gives a word several
 * kinds, removes a count word, and none of it moves a score. */
START_TEST(wait_context_override)
{
    static const char over[] = "@section wait_context\n"
                               "commuted\ttrip\n"
                               "drove\ttrip,lifetime-use\n"
                               "twice\tnone\n";
    static const char *const texts[] = {"I commuted 45 minutes.", "I drove it for 2 weeks.",
                                        "Took 3 weeks, sent the email twice."};
    cxs_model *m2 = NULL;
    cxs_error err;
    ck_assert_int_eq(cxs_model_merge_buffer(&m2, model, over, strlen(over), "over", &err), CXS_OK);
    cxs_analyzer *a2 = NULL;
    cxs_result *r2 = NULL;
    ck_assert_int_eq(cxs_analyzer_new(&a2, m2, NULL), CXS_OK);
    ck_assert_int_eq(cxs_result_new(&r2, m2, NULL), CXS_OK);
    cxs_wait w, w2;
    for (size_t k = 0; k < 3; k++) {
        analyze(texts[k]);
        ck_assert_msg(cxs_result_wait_count(res) == 1, "'%s' before", texts[k]);
        ck_assert_int_eq(cxs_result_wait(&w, res, 0), CXS_OK);
        double before = cxs_result_scores(res)->compound;
        ck_assert(before != 0);
        ck_assert_int_eq(cxs_analyze(r2, a2, texts[k], strlen(texts[k]), NULL), CXS_OK);
        ck_assert(cxs_result_scores(r2)->compound == before); /* waits are facts, not scores */
        if (k < 2) { /* a trip, a lifetime: no wait */
            ck_assert_msg(cxs_result_wait_count(r2) == 0, "'%s' after", texts[k]);
            continue;
        }
        /* "twice" counts no more: the wait is the email's, past its standard */
        ck_assert_int_eq(w.channel, CXS_CHANNEL_OTHER);
        ck_assert_int_eq(cxs_result_wait(&w2, r2, 0), CXS_OK);
        ck_assert_int_eq(w2.channel, CXS_CHANNEL_EMAIL);
        ck_assert_int_eq(w2.breach, 1);
    }
    cxs_result_free(r2);
    cxs_analyzer_free(a2);
    cxs_model_free(m2);
    /* the base model is untouched */
    analyze("I commuted 45 minutes.");
    ck_assert_uint_eq(cxs_result_wait_count(res), 1);
}
END_TEST

/* A wait_context word is no sentiment term: alone it is in no count, has no valence and
 * scores nothing; on a sentiment word it changes nothing of its score. */
START_TEST(wait_context_stays_out_of_scoring)
{
    static const char over[] = "@section wait_context\n"
                               "rude\tjoin,promise,trip,lifetime-end,lifetime-use,"
                               "lifetime-after,lifetime-for,count,length\n"
                               "unheard\tjoin\n";
    const char *t = "The staff were rude, unheard of.";
    analyze(t);
    double before = cxs_result_scores(res)->compound;
    cxs_model *m2 = NULL;
    ck_assert_int_eq(cxs_model_merge_buffer(&m2, model, over, strlen(over), "over", NULL), CXS_OK);
    for (int k = CXS_COUNT_LEXICON; k <= CXS_COUNT_LEVEL_CUES; k++)
        ck_assert_uint_eq(cxs_model_count(m2, (cxs_count)k), cxs_model_count(model, (cxs_count)k));
    double v;
    ck_assert_int_eq(cxs_model_lookup(&v, m2, "unheard", 7), 0);
    ck_assert_int_eq(cxs_model_lookup(&v, m2, "rude", 4), 1);
    ck_assert(v == -2.0);
    cxs_analyzer *a2 = NULL;
    ck_assert_int_eq(cxs_analyzer_new(&a2, m2, NULL), CXS_OK);
    cxs_scores sc;
    ck_assert_int_eq(cxs_analyzer_score(&sc, NULL, a2, t, strlen(t), NULL), CXS_OK);
    ck_assert(sc.compound == before && before < 0);
    ck_assert_int_eq(cxs_analyzer_score(&sc, NULL, a2, "unheard", 7, NULL), CXS_OK);
    ck_assert(sc.compound == 0);
    cxs_analyzer_free(a2);
    cxs_model_free(m2);
}
END_TEST

/* A model whose table grows (rehashes) several times while it holds only fact terms: every
 * term must still be found (a rehash once dropped the entries that have no role). */
START_TEST(growing_table_keeps_fact_terms)
{
    enum { N = 3000 };
    char *buf = malloc(N * 24 + 64);
    ck_assert_ptr_nonnull(buf);
    size_t o = (size_t)sprintf(buf, "@section themes\n");
    for (int i = 0; i < N; i++) /* "baaa", "baab", ...: letters only, in byte order */
        o += (size_t)sprintf(buf + o, "b%c%c%c\tquality\n", 'a' + i / 676, 'a' + i / 26 % 26,
                             'a' + i % 26);
    cxs_model *m = NULL;
    cxs_error err;
    ck_assert_int_eq(cxs_model_load_buffer(&m, buf, o, "big.model", NULL, &err), CXS_OK);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_THEME_TERMS), N);
    cxs_analyzer *a = NULL;
    cxs_result *r = NULL;
    ck_assert_int_eq(cxs_analyzer_new(&a, m, NULL), CXS_OK);
    ck_assert_int_eq(cxs_result_new(&r, m, NULL), CXS_OK);
    for (int i = 0; i < N; i += 7) {
        char t[8];
        snprintf(t, sizeof t, "b%c%c%c", 'a' + i / 676, 'a' + i / 26 % 26, 'a' + i % 26);
        ck_assert_int_eq(cxs_analyze(r, a, t, strlen(t), NULL), CXS_OK);
        ck_assert_msg(cxs_result_theme_count(r) == 1, "term %s lost", t);
    }
    cxs_result_free(r);
    cxs_analyzer_free(a);
    cxs_model_free(m);
    free(buf);
}
END_TEST

static Suite *cx_suite(void)
{
    Suite *s = suite_create("cx");
    TCase *tc = tcase_create("facts");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, theme_judgements, 0, (int)(sizeof theme_cases / sizeof *theme_cases));
    tcase_add_test(tc, theme_spans);
    tcase_add_loop_test(tc, intent_judgements, 0,
                        (int)(sizeof intent_cases / sizeof *intent_cases));
    tcase_add_loop_test(tc, wait_judgements, 0, (int)(sizeof wait_cases / sizeof *wait_cases));
    tcase_add_test(tc, waits_in_order_and_nearest_channel);
    tcase_add_test(tc, patterns_tag_like_terms);
    tcase_add_test(tc, json_record);
    tcase_add_test(tc, names);
    tcase_add_test(tc, loader_sections);
    tcase_add_test(tc, override_retags_and_removes);
    tcase_add_test(tc, wait_context_override);
    tcase_add_test(tc, wait_context_stays_out_of_scoring);
    tcase_add_test(tc, growing_table_keeps_fact_terms);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cx_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
