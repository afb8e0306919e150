/*
 * check_grouping.c — cxsent-scan's groups and periods (tools/scan/grouping.c): the --group-by
 * key of a record, the --period key of its time field, ISO weeks at year ends, and the
 * period index the report's chart uses to show empty periods between two with texts.
 */
#include "grouping.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static json_t *rec(const char *js)
{
    json_error_t e;
    json_t *r = json_loads(js, 0, &e);
    ck_assert_msg(r != NULL, "bad test JSON: %s", js);
    return r;
}

START_TEST(parse_fields)
{
    grouping g;
    const char *why = NULL;
    char ok[] = "brand,source", empty[] = "", hole[] = "brand,,source", many[] = "a,b,c,d,e";
    memset(&g, 0, sizeof g);
    ck_assert_int_eq(grouping_parse_fields(&g, ok, &why), 0);
    ck_assert_int_eq(g.n_fields, 2);
    ck_assert_str_eq(g.fields[0], "brand");
    ck_assert_str_eq(g.fields[1], "source");
    ck_assert_int_eq(grouping_parse_fields(&g, empty, &why), -1);
    ck_assert_int_eq(grouping_parse_fields(&g, hole, &why), -1);
    ck_assert_int_eq(grouping_parse_fields(&g, many, &why), -1);
    ck_assert_ptr_nonnull(why);
    ck_assert_int_eq(grouping_parse_period(&g, "week", &why), 0);
    ck_assert_int_eq(g.period, PERIOD_WEEK);
    ck_assert_int_eq(grouping_parse_period(&g, "fortnight", &why), -1);
    ck_assert_int_eq(g.period, PERIOD_WEEK); /* a bad value changes nothing */
}
END_TEST

START_TEST(group_keys)
{
    grouping g;
    char spec[] = "brand,store,vip", buf[128];
    const char *why;
    memset(&g, 0, sizeof g);
    json_t *r = rec("{\"brand\":\"Acme\",\"store\":42,\"vip\":true}");
    grouping_key(&g, r, buf, sizeof buf); /* the default: brand */
    ck_assert_str_eq(buf, "Acme");
    ck_assert_int_eq(grouping_parse_fields(&g, spec, &why), 0);
    grouping_key(&g, r, buf, sizeof buf);
    ck_assert_str_eq(buf, "Acme / 42 / true");
    json_decref(r);
    r = rec("{\"store\":null,\"vip\":[1]}");
    grouping_key(&g, r, buf, sizeof buf);
    ck_assert_str_eq(buf, "(no brand) / (no store) / (no vip)");
    json_decref(r);
    /* a cut never splits a character: "é" is two bytes and does not fit after "Caf" in 4 */
    memset(&g, 0, sizeof g);
    r = rec("{\"brand\":\"Caf\\u00e9\"}");
    grouping_key(&g, r, buf, 5);
    ck_assert_str_eq(buf, "Caf");
    grouping_key(&g, r, buf, 6);
    ck_assert_str_eq(buf, "Caf\xc3\xa9");
    json_decref(r);
}
END_TEST

/* The period key of {"created_at": value} under kind p. */
static const char *period_of(period_kind p, const char *value_json)
{
    static char buf[PERIOD_KEY];
    grouping g;
    memset(&g, 0, sizeof g);
    g.period = p;
    char js[128];
    snprintf(js, sizeof js, "{\"created_at\":%s}", value_json);
    json_t *r = rec(js);
    grouping_period(&g, r, buf);
    json_decref(r);
    return buf;
}

START_TEST(period_keys)
{
    const char *t = "\"2026-03-14T23:30:00-05:00\""; /* as written: no zone conversion */
    ck_assert_str_eq(period_of(PERIOD_MONTH, t), "2026-03");
    ck_assert_str_eq(period_of(PERIOD_DAY, t), "2026-03-14");
    ck_assert_str_eq(period_of(PERIOD_WEEK, t), "2026-W11");
    ck_assert_str_eq(period_of(PERIOD_QUARTER, t), "2026-Q1");
    ck_assert_str_eq(period_of(PERIOD_YEAR, t), "2026");
    /* ISO weeks belong to the year of their Thursday */
    ck_assert_str_eq(period_of(PERIOD_WEEK, "\"2021-01-03\""), "2020-W53");
    ck_assert_str_eq(period_of(PERIOD_WEEK, "\"2024-12-30\""), "2025-W01");
    ck_assert_str_eq(period_of(PERIOD_WEEK, "\"2026-01-01\""), "2026-W01");
    ck_assert_str_eq(period_of(PERIOD_WEEK, "\"2027-01-03\""), "2026-W53");
    /* a month needs no day, a day does; impossible dates are no period */
    ck_assert_str_eq(period_of(PERIOD_MONTH, "\"2026-03\""), "2026-03");
    ck_assert_str_eq(period_of(PERIOD_DAY, "\"2026-03\""), "");
    ck_assert_str_eq(period_of(PERIOD_DAY, "\"2026-02-29\""), "");
    ck_assert_str_eq(period_of(PERIOD_DAY, "\"2024-02-29\""), "2024-02-29");
    ck_assert_str_eq(period_of(PERIOD_MONTH, "\"2026-13-01\""), "");
    ck_assert_str_eq(period_of(PERIOD_QUARTER, "\"March 2026\""), "");
    ck_assert_str_eq(period_of(PERIOD_YEAR, "\"2026\""), "2026");
    ck_assert_str_eq(period_of(PERIOD_WEEK, "\"0000-01-01\""), ""); /* years 0001..9999 */
    ck_assert_str_eq(period_of(PERIOD_WEEK, "\"0001-01-01\""), "0001-W01");
    ck_assert_str_eq(period_of(PERIOD_MONTH, "null"), "");
    /* Unix seconds, and milliseconds from 1e11 on (UTC) */
    ck_assert_str_eq(period_of(PERIOD_DAY, "0"), "1970-01-01");
    ck_assert_str_eq(period_of(PERIOD_DAY, "-1"), "1969-12-31");
    ck_assert_str_eq(period_of(PERIOD_DAY, "1700000000"), "2023-11-14");
    ck_assert_str_eq(period_of(PERIOD_DAY, "1700000000000"), "2023-11-14");
    ck_assert_str_eq(period_of(PERIOD_DAY, "1e300"), "");
    /* a CSV column holds Unix time as digits: more than four digits are seconds (or, from
     * 1e11, milliseconds), never a year followed by more digits */
    ck_assert_str_eq(period_of(PERIOD_DAY, "\"1773360000\""), "2026-03-13");
    ck_assert_str_eq(period_of(PERIOD_DAY, "\"1773360000000\""), "2026-03-13");
    ck_assert_str_eq(period_of(PERIOD_YEAR, "\"1700000000\""), "2023");
    ck_assert_str_eq(period_of(PERIOD_YEAR, "\"2026x\""), "2026");
    ck_assert_str_eq(period_of(PERIOD_YEAR, "\"20261\""), "1970");
    ck_assert_str_eq(period_of(PERIOD_DAY, "\"17733600000000000\""), "");
}
END_TEST

/* Every day from 1899-11-30 to 2100-01-29: its key under each kind of period has an index
 * that names it back, and the indexes of consecutive days step by 0 or 1 (so the chart's
 * empty periods are exactly those between). */
START_TEST(period_index_round_trip)
{
    static const period_kind kinds[] = {PERIOD_DAY, PERIOD_WEEK, PERIOD_MONTH, PERIOD_QUARTER,
                                        PERIOD_YEAR};
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        long prev = 0;
        for (long day = -25599; day <= 47510; day++) {
            char num[32], back[PERIOD_KEY];
            snprintf(num, sizeof num, "%ld", day * 86400 + 43200);
            const char *key = period_of(kinds[k], num);
            ck_assert_msg(key[0], "no key for day %ld", day);
            long idx = grouping_period_index(kinds[k], key);
            ck_assert_msg(idx >= 0, "no index for %s", key);
            grouping_period_key(kinds[k], idx, back);
            ck_assert_str_eq(back, key);
            if (day > -25599)
                ck_assert_msg(idx == prev || idx == prev + 1, "%s: index %ld after %ld", key, idx,
                              prev);
            prev = idx;
        }
    }
    ck_assert_int_eq(grouping_period_index(PERIOD_MONTH, "2026-W11"), -1);
    ck_assert_int_eq(grouping_period_index(PERIOD_WEEK, "2026-03"), -1);
}
END_TEST

/* A record's channel key as cxsent-scan makes it: from its group key. */
static void channel_key(grouping *g, const json_t *r, char *buf)
{
    char group[128]; /* as the narrative keeps a group: 127 bytes */
    grouping_key(g, r, group, sizeof group);
    ck_assert_int_eq(grouping_channel_key(g, group, r, buf), 0);
}

START_TEST(channel_keys)
{
    grouping g;
    char spec[] = "brand,source", buf[GROUP_CHANNEL_KEY], want[GROUP_CHANNEL_KEY],
         pre[GROUP_CHANNEL_PREFIX + 1];
    const char *why;
    memset(&g, 0, sizeof g);
    ck_assert_str_eq(grouping_channel_field(&g), "source");
    ck_assert_int_eq(grouping_channel_prefix(&g, "Acme", pre), -1); /* not seen yet */
    ck_assert_str_eq(pre, "");
    json_t *r = rec("{\"brand\":\"Acme\",\"source\":\"google\",\"site\":7}");
    channel_key(&g, r, buf);
    ck_assert_int_eq(grouping_channel_prefix(&g, "Acme", pre), 0);
    ck_assert_str_eq(pre, "00000000\x1f");
    snprintf(want, sizeof want, "%sgoogle", pre);
    ck_assert_str_eq(buf, want);
    g.channel_field = "site";
    channel_key(&g, r, buf);
    snprintf(want, sizeof want, "%s7", pre);
    ck_assert_str_eq(buf, want);
    g.channel_field = "lang";
    channel_key(&g, r, buf);
    snprintf(want, sizeof want, "%s(no lang)", pre);
    ck_assert_str_eq(buf, want);
    g.channel_field = "";
    ck_assert_ptr_null(grouping_channel_field(&g)); /* "" turns the breakdown off */
    g.channel_field = NULL;
    ck_assert_int_eq(grouping_parse_fields(&g, spec, &why), 0);
    ck_assert_ptr_null(grouping_channel_field(&g)); /* source is a group field already */
    json_decref(r);
    grouping_free(&g);
    ck_assert_ptr_null(g.channel_ids);
    /* a long channel is cut to 31 bytes; the prefix numbers the group as the narrative keeps
     * it (127 bytes) */
    memset(&g, 0, sizeof g);
    char js[600], group[128];
    snprintf(js, sizeof js, "{\"brand\":\"%0200d\",\"source\":\"%080d\"}", 1, 2);
    r = rec(js);
    channel_key(&g, r, buf);
    grouping_key(&g, r, group, sizeof group);
    ck_assert_uint_eq(strlen(group), 127);
    ck_assert_int_eq(grouping_channel_prefix(&g, group, pre), 0);
    snprintf(want, sizeof want, "%s%.*s", pre, 31, js + 222);
    ck_assert_str_eq(buf, want);
    json_decref(r);
    /* no group's prefix begins another group's channel key: not two groups alike in their
     * first 100 bytes, nor a group whose name holds the separator after another's */
    static const char *const pairs[][2] = {
        {"{\"brand\":\"%0100d-north\",\"source\":\"yelp\"}",
         "{\"brand\":\"%0100d-south\",\"source\":\"yelp\"}"},
        {"{\"brand\":\"Quay\\u001fevil\",\"source\":\"yelp\"}",
         "{\"brand\":\"Quay\",\"source\":\"yelp\"}"},
        {"{\"brand\":\"Quay\",\"source\":\"yelp\"}",
         "{\"brand\":\"Quay\\u001fyelp\",\"source\":\"yelp\"}"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        char other[GROUP_CHANNEL_KEY], pre2[GROUP_CHANNEL_PREFIX + 1];
        snprintf(js, sizeof js, pairs[i][0], 0);
        r = rec(js);
        channel_key(&g, r, buf);
        json_decref(r);
        snprintf(js, sizeof js, pairs[i][1], 0);
        r = rec(js);
        channel_key(&g, r, other);
        grouping_key(&g, r, group, sizeof group);
        ck_assert_int_eq(grouping_channel_prefix(&g, group, pre2), 0);
        ck_assert_msg(strncmp(buf, pre2, GROUP_CHANNEL_PREFIX) != 0, "case %zu", i);
        ck_assert_msg(strncmp(other, pre2, GROUP_CHANNEL_PREFIX) == 0, "case %zu", i);
        json_decref(r);
    }
    /* numbers go by first sight and stay: a group seen again keeps its own */
    r = rec("{\"brand\":\"Acme\",\"source\":\"google\"}");
    channel_key(&g, r, buf);
    ck_assert_int_eq(grouping_channel_prefix(&g, "Acme", pre), 0);
    ck_assert_int_eq(strncmp(buf, pre, GROUP_CHANNEL_PREFIX), 0);
    char again[GROUP_CHANNEL_KEY];
    channel_key(&g, r, again);
    ck_assert_str_eq(again, buf);
    json_decref(r);
    grouping_free(&g);
}
END_TEST

START_TEST(labels)
{
    grouping g;
    char buf[64], spec[] = "brand,source", country[] = "country", branch[] = "branch",
                  address[] = "address", day[] = "day";
    const char *why;
    memset(&g, 0, sizeof g);
    grouping_label(&g, buf, sizeof buf, 1);
    ck_assert_str_eq(buf, "brand");
    grouping_label(&g, buf, sizeof buf, 3);
    ck_assert_str_eq(buf, "brands");
    struct { char *f; const char *plural; } cases[] = {
        {country, "countries"}, {branch, "branches"}, {address, "addresses"}, {day, "days"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ck_assert_int_eq(grouping_parse_fields(&g, cases[i].f, &why), 0);
        grouping_label(&g, buf, sizeof buf, 2);
        ck_assert_str_eq(buf, cases[i].plural);
    }
    ck_assert_int_eq(grouping_parse_fields(&g, spec, &why), 0);
    grouping_label(&g, buf, sizeof buf, 1);
    ck_assert_str_eq(buf, "brand / source");
    grouping_label(&g, buf, sizeof buf, 0);
    ck_assert_str_eq(buf, "brand / source groups");
    grouping_needs(&g, buf, sizeof buf);
    ck_assert_str_eq(buf, "a YYYY-MM created_at");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("grouping");
    TCase *tc = tcase_create("grouping");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, parse_fields);
    tcase_add_test(tc, group_keys);
    tcase_add_test(tc, period_keys);
    tcase_add_test(tc, period_index_round_trip);
    tcase_add_test(tc, channel_keys);
    tcase_add_test(tc, labels);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
