/*
 * check_utf8.c — unit tests of lib/utf8.c: decoding (valid, overlong, surrogate, out of range,
 * truncated, stray continuation bytes), encoding round trips and code point classes.
 */
#include "utf8.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- valid sequences ---------------------------------------------------------------------- */

typedef struct valid_case {
    const char *bytes;
    size_t len;
    int32_t cp;
} valid_case;

static const valid_case valid_cases[] = {
    {"\x00", 1, 0x00},
    {"A", 1, 0x41},
    {"\x7F", 1, 0x7F},
    {"\xC2\x80", 2, 0x80},
    {"\xC3\xA9", 2, 0xE9},             /* é */
    {"\xDF\xBF", 2, 0x7FF},
    {"\xE0\xA0\x80", 3, 0x800},        /* smallest 3-byte */
    {"\xE2\x80\x99", 3, 0x2019},       /* ’ */
    {"\xED\x9F\xBF", 3, 0xD7FF},       /* just below the surrogates */
    {"\xEE\x80\x80", 3, 0xE000},       /* just above the surrogates */
    {"\xEF\xB8\x8F", 3, 0xFE0F},       /* VS16 */
    {"\xEF\xBF\xBD", 3, 0xFFFD},       /* a literal U+FFFD is valid */
    {"\xEF\xBF\xBF", 3, 0xFFFF},
    {"\xF0\x90\x80\x80", 4, 0x10000},  /* smallest 4-byte */
    {"\xF0\x9F\x98\xA1", 4, 0x1F621},  /* 😡 */
    {"\xF4\x8F\xBF\xBF", 4, 0x10FFFF}, /* largest code point */
};

START_TEST(decode_valid)
{
    const valid_case *c = &valid_cases[_i];
    int32_t cp = -1;
    int bad = 7;
    /* with trailing bytes after the sequence: only the sequence is consumed */
    unsigned char buf[8];
    memcpy(buf, c->bytes, c->len);
    buf[c->len] = 'x';
    buf[c->len + 1] = 0x80;
    size_t used = cxs__utf8_decode(buf, c->len + 2, &cp, &bad);
    ck_assert_uint_eq(used, c->len);
    ck_assert_int_eq(bad, 0);
    ck_assert_int_eq(cp, c->cp);
    /* exactly the sequence, nothing after it */
    cp = -1;
    bad = 7;
    used = cxs__utf8_decode((const unsigned char *)c->bytes, c->len, &cp, &bad);
    ck_assert_uint_eq(used, c->len);
    ck_assert_int_eq(bad, 0);
    ck_assert_int_eq(cp, c->cp);
}
END_TEST

/* ---- invalid sequences -------------------------------------------------------------------- */

typedef struct invalid_case {
    const char *name;
    const char *bytes;
    size_t len;
    size_t first_used; /* bytes consumed by the first decode: the maximal invalid prefix */
    size_t n_bad;      /* U+FFFD produced when decoding the whole buffer */
} invalid_case;

static const invalid_case invalid_cases[] = {
    {"overlong 2-byte C0 80", "\xC0\x80", 2, 1, 2},
    {"overlong 2-byte C1 BF", "\xC1\xBF", 2, 1, 2},
    {"overlong 3-byte E0 80 80", "\xE0\x80\x80", 3, 1, 3},
    {"overlong 3-byte E0 9F BF", "\xE0\x9F\xBF", 3, 1, 3},
    {"overlong 4-byte F0 80 80 80", "\xF0\x80\x80\x80", 4, 1, 4},
    {"overlong 4-byte F0 8F BF BF", "\xF0\x8F\xBF\xBF", 4, 1, 4},
    {"surrogate ED A0 80", "\xED\xA0\x80", 3, 1, 3},
    {"surrogate ED BF BF", "\xED\xBF\xBF", 3, 1, 3},
    {"above U+10FFFF F4 90 80 80", "\xF4\x90\x80\x80", 4, 1, 4},
    {"F5 lead", "\xF5\x80\x80\x80", 4, 1, 4},
    {"FF byte", "\xFF", 1, 1, 1},
    {"FE byte", "\xFE", 1, 1, 1},
    {"lone continuation 80", "\x80", 1, 1, 1},
    {"lone continuation BF", "\xBF", 1, 1, 1},
    {"three continuations", "\x80\x80\x80", 3, 1, 3},
    {"truncated 2-byte", "\xC3", 1, 1, 1},
    {"truncated 3-byte (1 of 3)", "\xE2", 1, 1, 1},
    {"truncated 3-byte (2 of 3)", "\xE2\x80", 2, 2, 1},
    {"truncated 4-byte (3 of 4)", "\xF0\x9F\x98", 3, 3, 1},
    {"3-byte cut by ASCII", "\xE2\x80" "A", 3, 2, 1},
    {"4-byte cut by ASCII", "\xF0\x9F" "A", 3, 2, 1},
    {"2-byte lead then lead", "\xC3\xC3\xA9", 3, 1, 1},
};

START_TEST(decode_invalid_first)
{
    const invalid_case *c = &invalid_cases[_i];
    int32_t cp = 0;
    int bad = 0;
    size_t used = cxs__utf8_decode((const unsigned char *)c->bytes, c->len, &cp, &bad);
    ck_assert_msg(bad == 1, "%s: not reported bad", c->name);
    ck_assert_msg(cp == CXS__REPLACEMENT, "%s: cp %ld, want U+FFFD", c->name, (long)cp);
    ck_assert_msg(used == c->first_used, "%s: consumed %zu, want %zu", c->name, used,
                  c->first_used);
}
END_TEST

/* Decoding a whole buffer always progresses and yields the expected number of U+FFFD. */
START_TEST(decode_invalid_walk)
{
    const invalid_case *c = &invalid_cases[_i];
    const unsigned char *s = (const unsigned char *)c->bytes;
    size_t i = 0, steps = 0, nbad = 0;
    while (i < c->len) {
        int32_t cp;
        int bad;
        size_t used = cxs__utf8_decode(s + i, c->len - i, &cp, &bad);
        ck_assert_msg(used >= 1 && used <= c->len - i, "%s: bad step %zu at %zu", c->name, used,
                      i);
        if (bad) {
            nbad++;
            ck_assert_int_eq(cp, CXS__REPLACEMENT);
        }
        i += used;
        steps++;
    }
    ck_assert_uint_eq(i, c->len);
    ck_assert_msg(nbad == c->n_bad, "%s: %zu replacements, want %zu", c->name, nbad, c->n_bad);
}
END_TEST

/* Every 1..4-byte buffer over an interesting byte alphabet: progress and bounds hold. */
START_TEST(decode_always_progresses)
{
    static const unsigned char alpha[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
                                          0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0,
                                          0xF4, 0xF5, 0xFF};
    const size_t na = sizeof alpha;
    unsigned char buf[4];
    for (size_t a = 0; a < na; a++)
        for (size_t b = 0; b < na; b++)
            for (size_t c = 0; c < na; c++)
                for (size_t d = 0; d < na; d++) {
                    buf[0] = alpha[a];
                    buf[1] = alpha[b];
                    buf[2] = alpha[c];
                    buf[3] = alpha[d];
                    for (size_t n = 1; n <= 4; n++) {
                        int32_t cp = -1;
                        int bad = -1;
                        size_t used = cxs__utf8_decode(buf, n, &cp, &bad);
                        /* plain checks: ck_assert in a loop this hot costs seconds */
                        if (used < 1 || used > n || (bad != 0 && bad != 1))
                            ck_abort_msg("%02X %02X %02X %02X / %zu: used %zu bad %d", buf[0],
                                         buf[1], buf[2], buf[3], n, used, bad);
                        if (bad) {
                            if (cp != CXS__REPLACEMENT)
                                ck_abort_msg("bad decode gave cp %lX", (unsigned long)cp);
                            continue;
                        }
                        /* a valid decode is a scalar value and re-encodes to the same bytes */
                        char out[4];
                        if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
                            cxs__utf8_encode(cp, out) != used || memcmp(out, buf, used) != 0)
                            ck_abort_msg("%02X %02X %02X %02X / %zu: cp %lX does not re-encode",
                                         buf[0], buf[1], buf[2], buf[3], n, (unsigned long)cp);
                    }
                }
}
END_TEST

/* ---- encoding ----------------------------------------------------------------------------- */

START_TEST(encode_known)
{
    char out[4];
    ck_assert_uint_eq(cxs__utf8_encode(0x41, out), 1);
    ck_assert(memcmp(out, "A", 1) == 0);
    ck_assert_uint_eq(cxs__utf8_encode(0xE9, out), 2);
    ck_assert(memcmp(out, "\xC3\xA9", 2) == 0);
    ck_assert_uint_eq(cxs__utf8_encode(0x2019, out), 3);
    ck_assert(memcmp(out, "\xE2\x80\x99", 3) == 0);
    ck_assert_uint_eq(cxs__utf8_encode(0x1F621, out), 4);
    ck_assert(memcmp(out, "\xF0\x9F\x98\xA1", 4) == 0);
    ck_assert_uint_eq(cxs__utf8_encode(0x10FFFF, out), 4);
    ck_assert(memcmp(out, "\xF4\x8F\xBF\xBF", 4) == 0);
}
END_TEST

/* Every scalar value (surrogates excluded) round-trips through encode and decode. */
START_TEST(encode_round_trip_all)
{
    for (int32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp == 0xD800)
            cp = 0xE000;
        char out[4];
        size_t w = cxs__utf8_encode(cp, out);
        size_t want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (w != want)
            ck_abort_msg("U+%04lX encoded in %zu bytes, want %zu", (unsigned long)cp, w, want);
        int32_t back = -1;
        int bad = 1;
        size_t used = cxs__utf8_decode((const unsigned char *)out, w, &back, &bad);
        if (used != w || bad || back != cp)
            ck_abort_msg("U+%04lX does not round-trip (used %zu bad %d back %lX)",
                         (unsigned long)cp, used, bad, (unsigned long)back);
    }
}
END_TEST

/* ---- classes ------------------------------------------------------------------------------ */

typedef struct class_case {
    int32_t cp;
    int cls;
} class_case;

static const class_case class_cases[] = {
    {0x2019, CXS__CP_APOS},     /* ’ right single quotation mark */
    {0x2018, CXS__CP_APOS},     /* ‘ */
    {0x02BC, CXS__CP_APOS},     /* ʼ modifier letter apostrophe */
    {0x2026, CXS__CP_SENT_END}, /* … */
    {0x3002, CXS__CP_SENT_END}, /* 。 */
    {0xFF01, CXS__CP_SENT_END}, /* ！ */
    {0x2014, CXS__CP_CLAUSE},   /* — em dash */
    {0x2013, CXS__CP_CLAUSE},   /* – en dash */
    {0x1F621, CXS__CP_EMOJI},   /* 😡 */
    {0x1F44D, CXS__CP_EMOJI},   /* 👍 */
    {0x2764, CXS__CP_EMOJI},    /* ❤ */
    {0x1F1E9, CXS__CP_EMOJI},   /* regional indicator D */
    {0x00E9, CXS__CP_LETTER},   /* é */
    {0x00C9, CXS__CP_LETTER},   /* É */
    {0x0301, CXS__CP_LETTER},   /* combining acute: part of a word */
    {0x4E2D, CXS__CP_LETTER},   /* 中 */
    {0x0661, CXS__CP_LETTER},   /* Arabic-Indic digit one */
    {0xFE0F, CXS__CP_DROP},     /* VS16 */
    {0xFE0E, CXS__CP_DROP},     /* VS15 */
    {0x1F3FD, CXS__CP_DROP},    /* skin tone modifier */
    {0x00A0, CXS__CP_SPACE},    /* no-break space */
    {0x3000, CXS__CP_SPACE},    /* ideographic space */
    {0x00BF, CXS__CP_OTHER},    /* ¿ */
    {0x201C, CXS__CP_OTHER},    /* “ is a quote, not an apostrophe */
};

START_TEST(cp_class_table)
{
    const class_case *c = &class_cases[_i];
    int got = cxs__cp_class(c->cp);
    ck_assert_msg(got == c->cls, "class of U+%04lX is %d, want %d", (unsigned long)c->cp, got,
                  c->cls);
}
END_TEST

START_TEST(cp_case)
{
    ck_assert(cxs__cp_is_upper(0xC9));  /* É */
    ck_assert(!cxs__cp_is_lower(0xC9));
    ck_assert(cxs__cp_is_lower(0xE9));  /* é */
    ck_assert(!cxs__cp_is_upper(0xE9));
    ck_assert(!cxs__cp_is_upper(0x4E2D));
    ck_assert(!cxs__cp_is_lower(0x4E2D));
    ck_assert(!cxs__cp_is_upper(0x1F621));
}
END_TEST

/* cxs__fold: case folding, compatibility forms and apostrophe-likes. */
START_TEST(fold_basic)
{
    static const int32_t in[] = {0xC9, 0x63, 0x6F, 0x6C, 0x65, 0x2019, 0x73}; /* École’s */
    int32_t scratch[64];
    char out[64];
    size_t n = cxs__fold(in, sizeof in / sizeof *in, scratch, 64, out, sizeof out);
    ck_assert_uint_eq(n, 8);
    ck_assert(memcmp(out, "\xC3\xA9" "cole's", 8) == 0);
    /* compatibility: the ligature ﬁ folds to "fi"; ß folds to "ss" */
    static const int32_t lig[] = {0xFB01, 0x6E, 0x65, 0xDF};
    n = cxs__fold(lig, 4, scratch, 64, out, sizeof out);
    ck_assert_uint_eq(n, 6);
    ck_assert(memcmp(out, "finess", 6) == 0);
    /* a too-small output buffer gives 0, never a partial write past cap */
    n = cxs__fold(in, sizeof in / sizeof *in, scratch, 64, out, 4);
    ck_assert_uint_eq(n, 0);
}
END_TEST

static Suite *utf8_suite(void)
{
    Suite *s = suite_create("utf8");
    TCase *tc = tcase_create("decode");
    tcase_add_loop_test(tc, decode_valid, 0, (int)(sizeof valid_cases / sizeof *valid_cases));
    tcase_add_loop_test(tc, decode_invalid_first, 0,
                        (int)(sizeof invalid_cases / sizeof *invalid_cases));
    tcase_add_loop_test(tc, decode_invalid_walk, 0,
                        (int)(sizeof invalid_cases / sizeof *invalid_cases));
    tcase_add_test(tc, decode_always_progresses);
    suite_add_tcase(s, tc);

    tc = tcase_create("encode");
    tcase_add_test(tc, encode_known);
    tcase_add_test(tc, encode_round_trip_all);
    suite_add_tcase(s, tc);

    tc = tcase_create("class");
    tcase_add_loop_test(tc, cp_class_table, 0, (int)(sizeof class_cases / sizeof *class_cases));
    tcase_add_test(tc, cp_case);
    tcase_add_test(tc, fold_basic);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(utf8_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
