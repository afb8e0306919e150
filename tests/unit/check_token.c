/*
 * check_token.c — unit tests of the tokenizer (lib/token.c): kinds, byte spans, normalised
 * keys, flags and counts for words, contractions, emoticons, emoji clusters, hashtags,
 * mentions, URLs, numbers, ratings, punctuation and invalid UTF-8.
 */
#include "token.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a tiny emoticon set, independent of any model ----------------------------------------- */

static const char *const emoticons[] = {":)", ":-(", ":-)", "(:", "<3", ":d", "t_t", "xd"};
#define N_EMOTICONS (sizeof emoticons / sizeof *emoticons)

static int emo_find(const void *ctx, const char *lower, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < N_EMOTICONS; i++)
        if (strlen(emoticons[i]) == len && memcmp(emoticons[i], lower, len) == 0)
            return 1;
    return 0;
}

static cxs__emo_set emo;
static cxs__alloc alloc;
static cxs__tokens toks;

static void setup(void)
{
    memset(&emo, 0, sizeof emo);
    for (size_t i = 0; i < N_EMOTICONS; i++) {
        unsigned c = (unsigned char)emoticons[i][0];
        emo.start[c >> 3] |= (uint8_t)(1u << (c & 7));
        if (c >= 'a' && c <= 'z') {
            c -= 32;
            emo.start[c >> 3] |= (uint8_t)(1u << (c & 7));
        }
        if (strlen(emoticons[i]) > emo.max_len)
            emo.max_len = (unsigned)strlen(emoticons[i]);
    }
    emo.find = emo_find;
    emo.ctx = NULL;
    cxs__alloc_init(&alloc, NULL);
    memset(&toks, 0, sizeof toks);
}

static void teardown(void)
{
    cxs__tokens_free(&toks, &alloc);
}

/* ---- table of tokenizations ------------------------------------------------------------- */

typedef struct exp_tok {
    uint8_t kind;
    uint32_t start, end;
    const char *key; /* NULL: no key (norm_len 0) */
    uint8_t flags;
    float num, den; /* checked for NUMBER, RATING and SENT_END */
} exp_tok;

#define MAX_EXP 16
typedef struct tok_case {
    const char *name;
    const char *text;
    size_t n;
    exp_tok t[MAX_EXP];
} tok_case;

#define W(s, e, k) {CXS__TK_WORD, s, e, k, 0, 0, 0}
#define WF(s, e, k, f) {CXS__TK_WORD, s, e, k, f, 0, 0}
#define NUM(s, e, k, v) {CXS__TK_NUMBER, s, e, k, 0, v, 0}
#define RAT(s, e, a, b) {CXS__TK_RATING, s, e, NULL, 0, a, b}
#define EMJ(s, e, k, f) {CXS__TK_EMOJI, s, e, k, f, 0, 0}
#define EMO(s, e, k) {CXS__TK_EMOTICON, s, e, k, 0, 0, 0}
#define URL(s, e) {CXS__TK_URL, s, e, NULL, 0, 0, 0}
#define MEN(s, e) {CXS__TK_MENTION, s, e, NULL, 0, 0, 0}
#define END(s, e, ex, q) {CXS__TK_SENT_END, s, e, NULL, 0, ex, q}
#define CLA(s, e) {CXS__TK_CLAUSE, s, e, NULL, 0, 0, 0}

#define HT CXS__TF_HASHTAG

static const tok_case cases[] = {
    /* contractions: straight and curly apostrophes give the same key */
    /* (a word ending in n't is marked as a negator) */
    {"curly apostrophe", "I don\xE2\x80\x99t like it", 4,
     {W(0, 1, "i"), WF(2, 9, "don't", CXS__TF_NT), W(10, 14, "like"), W(15, 17, "it")}},
    {"straight apostrophe", "I don't like it", 4,
     {W(0, 1, "i"), WF(2, 7, "don't", CXS__TF_NT), W(8, 12, "like"), W(13, 15, "it")}},
    {"curly apostrophe caps", "DON\xE2\x80\x99T", 1,
     {WF(0, 7, "don't", CXS__TF_CAPS | CXS__TF_NT)}},
    /* "or" carries a negation on; "for" and "ore" are only words */
    {"or marked", "tea or for ore", 4,
     {W(0, 3, "tea"), WF(4, 6, "or", CXS__TF_OR), W(7, 10, "for"), W(11, 14, "ore")}},
    {"or marked at the end", "or", 1, {WF(0, 2, "or", CXS__TF_OR)}},
    {"curly apostrophe twice", "it\xE2\x80\x99s\xE2\x80\x99", 1, {W(0, 6, "it's")}},
    {"trailing apostrophe", "don'", 1, {W(0, 3, "don")}},
    {"non-ASCII word with curly apostrophe", "caf\xC3\xA9\xE2\x80\x99s", 1,
     {W(0, 9, "caf\xC3\xA9's")}},
    /* hyphens inside words; a dash is not part of a word */
    {"hyphenated", "hassle-free wi-fi", 2, {W(0, 11, "hassle-free"), W(12, 17, "wi-fi")}},
    {"loose hyphen and quotes", "good- 'great'", 2, {W(0, 4, "good"), W(7, 12, "great")}},
    {"non-ASCII case folding", "caf\xC3\xA9 \xC3\x89" "COLE", 2,
     {W(0, 5, "caf\xC3\xA9"), WF(6, 12, "\xC3\xA9" "cole", CXS__TF_CAPS)}},
    /* the fast paths: punctuation before a space, runs merged, words up to 15 bytes */
    {"punctuation before spaces", "good, bad. ok! no? (yes) fine ,, x - y", 16,
     {W(0, 4, "good"), CLA(4, 5), W(6, 9, "bad"), END(9, 10, 0, 0), W(11, 13, "ok"),
      END(13, 14, 1, 0), W(15, 17, "no"), END(17, 18, 0, 1), CLA(19, 20), W(20, 23, "yes"),
      CLA(23, 24), W(25, 29, "fine"), CLA(30, 32), W(33, 34, "x"), CLA(35, 36),
      W(37, 38, "y")}},
    {"long words and caps", "abcdefghijklmno abcdefghijklmnop ABCDEFGHIJ Abcdefghij", 4,
     {W(0, 15, "abcdefghijklmno"), W(16, 32, "abcdefghijklmnop"),
      WF(33, 43, "abcdefghij", CXS__TF_CAPS), W(44, 54, "abcdefghij")}},
    {"one letter before punctuation", "d: x, a.", 6,
     {W(0, 1, "d"), CLA(1, 2), W(3, 4, "x"), CLA(4, 5), W(6, 7, "a"), END(7, 8, 0, 0)}},
    /* emoticons from the set */
    {"emoticons", "I love it :) :-( <3", 6,
     {W(0, 1, "i"), W(2, 6, "love"), W(7, 9, "it"), EMO(10, 12, ":)"), EMO(13, 16, ":-("),
      EMO(17, 19, "<3")}},
    {"emoticon case folded", ":D (:", 2, {EMO(0, 2, ":d"), EMO(3, 5, "(:")}},
    {"letter-led emoticon before punctuation", "t_t", 1, {EMO(0, 3, "t_t")}},
    {"letter emoticon is a word when letters follow", "xD", 1, {W(0, 2, "xd")}},
    {"emoticon may not run into a word", ":dave", 2, {CLA(0, 1), W(1, 5, "dave")}},
    {"emoticon may not run into a number", "<33", 1, {NUM(1, 3, "33", 33)}},
    /* emoji: whole grapheme clusters, FE0F and skin tones dropped from the key */
    {"emoji clusters",
     "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 "
     "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD \xE2\x9D\xA4\xEF\xB8\x8F",
     3,
     {EMJ(0, 18,
          "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7",
          CXS__TF_ZWJ),
      EMJ(19, 27, "\xF0\x9F\x91\x8D", 0), EMJ(28, 34, "\xE2\x9D\xA4", 0)}},
    {"ZWJ with gender sign and FE0F", "\xF0\x9F\xA4\xB7\xE2\x80\x8D\xE2\x99\x80\xEF\xB8\x8F", 1,
     {EMJ(0, 13, "\xF0\x9F\xA4\xB7\xE2\x80\x8D\xE2\x99\x80", CXS__TF_ZWJ)}},
    {"flags are pairs of regional indicators",
     "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA", 2,
     {EMJ(0, 8, "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7", 0),
      EMJ(8, 16, "\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA", 0)}},
    {"emoji glued to a word", "great\xF0\x9F\x98\x8D", 2,
     {W(0, 5, "great"), EMJ(5, 9, "\xF0\x9F\x98\x8D", 0)}},
    /* hashtags are split into words */
    {"hashtags", "#NeverAgain #customer_service", 4,
     {WF(1, 6, "never", HT), WF(6, 11, "again", HT), WF(13, 21, "customer", HT),
      WF(22, 29, "service", HT)}},
    {"hashtag acronym and digits", "#ABCDef #top10", 4,
     {WF(1, 4, "abc", HT), WF(4, 7, "def", HT), WF(9, 12, "top", HT), WF(12, 14, "10", HT)}},
    {"hashtag not happy", "#NotHappy", 2, {WF(1, 4, "not", HT), WF(4, 9, "happy", HT)}},
    {"non-ASCII hashtag", "#Caf\xC3\xA9", 1, {WF(1, 6, "caf\xC3\xA9", HT)}},
    {"lone hash", "# #_x", 1, {W(4, 5, "x")}},
    /* mentions, URLs and e-mail addresses are recognised */
    {"mention and urls", "@bob_x. http://x.com/a, www.foo.com", 5,
     {MEN(0, 6), END(6, 7, 0, 0), URL(8, 22), CLA(22, 23), URL(24, 35)}},
    {"url upper case", "HTTPS://X.COM/A ok", 2, {URL(0, 15), W(16, 18, "ok")}},
    {"url trailing punctuation", "www.x.com.", 2, {URL(0, 9), END(9, 10, 0, 0)}},
    {"e-mail", "mail a@b.com", 2, {W(0, 4, "mail"), URL(5, 12)}},
    {"bare at signs", "@ @_x", 1, {MEN(2, 5)}},
    /* numbers, units and ratings */
    {"number with attached unit", "45min", 2,
     {NUM(0, 2, "45", 45), WF(2, 5, "min", CXS__TF_ATTACHED)}},
    {"number with hyphenated unit", "5-star", 2,
     {NUM(0, 1, "5", 5), WF(2, 6, "star", CXS__TF_ATTACHED)}},
    {"number then word", "5 stars", 2, {NUM(0, 1, "5", 5), W(2, 7, "stars")}},
    {"thousands and decimals", "1,000.5", 1, {NUM(0, 7, "1000.5", 1000.5f)}},
    {"ratings", "4/5 10 / 10 100/100", 3,
     {RAT(0, 3, 4, 5), RAT(4, 11, 10, 10), RAT(12, 19, 100, 100)}},
    {"rating above its scale is two numbers", "6/5", 2, {NUM(0, 1, "6", 6), NUM(2, 3, "5", 5)}},
    {"odd scale is two numbers", "3/7", 2, {NUM(0, 1, "3", 3), NUM(2, 3, "7", 7)}},
    {"rating then punctuation", "10/10!", 2, {RAT(0, 5, 10, 10), END(5, 6, 1, 0)}},
    /* elongation and capitals */
    {"elongation", "soooo goooood zzz cool", 4,
     {WF(0, 5, "soo", CXS__TF_ELONG), WF(6, 13, "good", CXS__TF_ELONG),
      WF(14, 17, "zz", CXS__TF_ELONG), W(18, 22, "cool")}},
    {"elongated capitals", "SOOOO", 1, {WF(0, 5, "soo", CXS__TF_ELONG | CXS__TF_CAPS)}},
    {"capitals", "GREAT service I OK", 4,
     {WF(0, 5, "great", CXS__TF_CAPS), W(6, 13, "service"), W(14, 15, "i"),
      WF(16, 18, "ok", CXS__TF_CAPS)}},
    /* sentence ends and clause marks */
    {"sentence ends", "a. b!!! c\xE2\x80\xA6 d\ne, f - g", 13,
     {W(0, 1, "a"), END(1, 2, 0, 0), W(3, 4, "b"), END(4, 7, 3, 0), W(8, 9, "c"),
      END(9, 12, 0, 0), W(13, 14, "d"), END(14, 15, 0, 0), W(15, 16, "e"), CLA(16, 17),
      W(18, 19, "f"), CLA(20, 21), W(22, 23, "g")}},
    {"question marks", "why?? ?!? a\n\n\nb", 6,
     {W(0, 3, "why"), END(3, 5, 0, 2), END(6, 9, 1, 2), W(10, 11, "a"), END(11, 14, 0, 0),
      W(14, 15, "b")}},
    {"clause marks", "x; y \xE2\x80\x94 z", 5,
     {W(0, 1, "x"), CLA(1, 2), W(3, 4, "y"), CLA(5, 8), W(9, 10, "z")}},
    {"runs of commas merge", "a,,b", 3, {W(0, 1, "a"), CLA(1, 3), W(3, 4, "b")}},
    {"hyphen before a word is no dash", "x -y", 2, {W(0, 1, "x"), W(3, 4, "y")}},
    {"newline after a full stop merges", "ok.\nfine", 3,
     {W(0, 2, "ok"), END(2, 4, 0, 0), W(4, 8, "fine")}},
    /* invalid UTF-8 is skipped (and counted, see below) */
    {"invalid bytes", "x\xFF y \xE2\x80", 2, {W(0, 1, "x"), W(3, 4, "y")}},
    {"overlong between words", "ok \xC0\x80 fine", 2, {W(0, 2, "ok"), W(6, 10, "fine")}},
    {"invalid after a non-ASCII word", "caf\xC3\xA9\xFF", 1, {W(0, 5, "caf\xC3\xA9")}},
    {"truncated inside a word", "caf\xC3", 1, {W(0, 3, "caf")}},
    {"empty", "", 0, {{0, 0, 0, NULL, 0, 0, 0}}},
    {"only spaces", " \t \r ", 0, {{0, 0, 0, NULL, 0, 0, 0}}},
};
#define N_CASES (sizeof cases / sizeof *cases)

static void check_tokens(const tok_case *c, const cxs__tokens *t)
{
    if (t->n != c->n) {
        for (size_t i = 0; i < t->n; i++)
            fprintf(stderr, "  got kind=%d [%u,%u) '%.*s' flags=%x\n", t->v[i].kind,
                    t->v[i].start, t->v[i].end, (int)t->v[i].norm_len, cxs__tok_key(t, &t->v[i]),
                    t->v[i].flags);
        ck_abort_msg("%s: %zu tokens, want %zu", c->name, t->n, c->n);
    }
    for (size_t i = 0; i < c->n; i++) {
        const cxs__token *g = &t->v[i];
        const exp_tok *e = &c->t[i];
        ck_assert_msg(g->kind == e->kind, "%s: token %zu kind %d, want %d", c->name, i, g->kind,
                      e->kind);
        ck_assert_msg(g->start == e->start && g->end == e->end,
                      "%s: token %zu span [%u,%u), want [%u,%u)", c->name, i, g->start, g->end,
                      e->start, e->end);
        size_t klen = e->key ? strlen(e->key) : 0;
        ck_assert_msg(g->norm_len == klen &&
                          (klen == 0 || memcmp(cxs__tok_key(t, g), e->key, klen) == 0),
                      "%s: token %zu key '%.*s', want '%s'", c->name, i, (int)g->norm_len,
                      cxs__tok_key(t, g), e->key ? e->key : "");
        ck_assert_msg(g->flags == e->flags, "%s: token %zu flags %#x, want %#x", c->name, i,
                      g->flags, e->flags);
        if (e->kind == CXS__TK_NUMBER || e->kind == CXS__TK_RATING ||
            e->kind == CXS__TK_SENT_END) {
            ck_assert_msg(g->num == e->num && g->den == e->den,
                          "%s: token %zu num/den %g/%g, want %g/%g", c->name, i, (double)g->num,
                          (double)g->den, (double)e->num, (double)e->den);
        }
    }
}

START_TEST(tokenize_table)
{
    const tok_case *c = &cases[_i];
    cxs_error err;
    int rc = cxs__tokenize(&toks, &alloc, &emo, NULL, c->text, strlen(c->text), 0, &err);
    ck_assert_msg(rc == CXS_OK, "%s: rc %d", c->name, rc);
    check_tokens(c, &toks);
}
END_TEST

/* Structural properties on every case: spans ordered, non-empty, inside the text, keys
 * inside the norm buffer; the same result when the buffers are reused. */
START_TEST(tokenize_spans_sane)
{
    const tok_case *c = &cases[_i];
    size_t len = strlen(c->text);
    for (int pass = 0; pass < 2; pass++) {
        ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, c->text, len, 0, NULL), CXS_OK);
        uint32_t prev_end = 0;
        for (size_t i = 0; i < toks.n; i++) {
            const cxs__token *x = &toks.v[i];
            ck_assert_msg(x->start < x->end, "%s: empty token %zu", c->name, i);
            ck_assert_msg(x->end <= len, "%s: token %zu past the end", c->name, i);
            ck_assert_msg(x->start >= prev_end, "%s: token %zu overlaps", c->name, i);
            ck_assert(x->norm + x->norm_len <= toks.norm_len);
            ck_assert(x->norm_len <= CXS__NORM_MAX);
            prev_end = x->end;
        }
        check_tokens(c, &toks);
    }
}
END_TEST

/* ---- invalid UTF-8: counting and strict mode -------------------------------------------- */

typedef struct bad_case {
    const char *text;
    size_t len;
    size_t n_bad, first_bad;
} bad_case;

static const bad_case bad_cases[] = {
    {"x\xFF y \xE2\x80", 7, 2, 1},
    {"ok \xC0\x80 fine", 10, 2, 3},
    {"caf\xC3\xA9\xFF", 6, 1, 5},
    {"caf\xC3", 4, 1, 3},
    {"\xED\xA0\x80 surrogate", 13, 3, 0},
    {"great \xF4\x90\x80\x80!", 11, 4, 6},
    {"\xF0\x9F\x98\x8D\xF0\x9F\x98", 7, 1, 4}, /* emoji then a truncated emoji */
    {"NUL \0 byte is valid", 19, 0, 0},
};

START_TEST(invalid_counted)
{
    const bad_case *c = &bad_cases[_i];
    cxs_error err;
    memset(&err, 0x5A, sizeof err);
    int rc = cxs__tokenize(&toks, &alloc, &emo, NULL, c->text, c->len, 0, &err);
    ck_assert_int_eq(rc, CXS_OK);
    ck_assert_uint_eq(toks.bad_utf8, c->n_bad);
    ck_assert_uint_eq(toks.first_bad, c->first_bad);
    ck_assert_int_eq(err.code, 0x5A5A5A5A); /* untouched on success */
}
END_TEST

START_TEST(invalid_strict)
{
    const bad_case *c = &bad_cases[_i];
    cxs_error err;
    memset(&err, 0, sizeof err);
    err.offset = 12345;
    int rc = cxs__tokenize(&toks, &alloc, &emo, NULL, c->text, c->len, 1, &err);
    if (c->n_bad == 0) {
        ck_assert_int_eq(rc, CXS_OK);
        ck_assert_uint_eq(err.offset, 12345);
        return;
    }
    ck_assert_int_eq(rc, CXS_EUTF8);
    ck_assert_int_eq(err.code, CXS_EUTF8);
    ck_assert_uint_eq(err.offset, c->first_bad);
    ck_assert(memchr(err.message, '\0', sizeof err.message) != NULL);
    ck_assert(err.message[0] != '\0');
    /* strict with no error struct still fails */
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, c->text, c->len, 1, NULL), CXS_EUTF8);
}
END_TEST

/* ---- other behaviour ----------------------------------------------------------------------- */

START_TEST(has_lower)
{
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, "GREAT FOOD", 10, 0, NULL), CXS_OK);
    ck_assert_int_eq(toks.has_lower, 0);
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, "GREAT food", 10, 0, NULL), CXS_OK);
    ck_assert_int_eq(toks.has_lower, 1);
    /* lower case in a non-ASCII word counts too */
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, "GREAT \xC3\xA9t\xC3\xA9", 11, 0, NULL),
                     CXS_OK);
    ck_assert_int_eq(toks.has_lower, 1);
    /* and the flag is reset for the next text */
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, "OK 123", 6, 0, NULL), CXS_OK);
    ck_assert_int_eq(toks.has_lower, 0);
}
END_TEST

START_TEST(reuse_resets_counts)
{
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, "a\xFF b", 4, 0, NULL), CXS_OK);
    ck_assert_uint_eq(toks.bad_utf8, 1);
    ck_assert_uint_eq(toks.n, 2);
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, "fine", 4, 0, NULL), CXS_OK);
    ck_assert_uint_eq(toks.bad_utf8, 0);
    ck_assert_uint_eq(toks.first_bad, 0);
    ck_assert_uint_eq(toks.n, 1);
    ck_assert_uint_eq(toks.v[0].norm, 0);
    ck_assert(memcmp(cxs__tok_key(&toks, &toks.v[0]), "fine", 4) == 0);
}
END_TEST

/* The text need not be NUL-terminated: nothing past len is read or tokenized. */
START_TEST(respects_len)
{
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, "goodness", 4, 0, NULL), CXS_OK);
    ck_assert_uint_eq(toks.n, 1);
    ck_assert_uint_eq(toks.v[0].end, 4);
    ck_assert(toks.v[0].norm_len == 4 && memcmp(cxs__tok_key(&toks, &toks.v[0]), "good", 4) == 0);
    /* a rating whose next byte lies beyond len */
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, "4/57", 3, 0, NULL), CXS_OK);
    ck_assert_uint_eq(toks.n, 1);
    ck_assert_int_eq(toks.v[0].kind, CXS__TK_RATING);
    ck_assert(toks.v[0].num == 4 && toks.v[0].den == 5);
    /* an emoji cut by len: only the complete first code point */
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, "\xE2\x9D\xA4\xEF\xB8\x8F", 3, 0, NULL),
                     CXS_OK);
    ck_assert_uint_eq(toks.n, 1);
    ck_assert_uint_eq(toks.v[0].end, 3);
    /* a heap copy with no NUL after it (ASan catches an over-read) */
    char *p = malloc(5);
    ck_assert_ptr_nonnull(p);
    memcpy(p, "soooo", 5);
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, p, 5, 0, NULL), CXS_OK);
    free(p);
    ck_assert_uint_eq(toks.n, 1);
    ck_assert_int_eq(toks.v[0].flags, CXS__TF_ELONG);
}
END_TEST

START_TEST(no_emoticon_set)
{
    /* without an emoticon set ":)" is plain punctuation */
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, NULL, NULL, "ok :) <3", 8, 0, NULL), CXS_OK);
    for (size_t i = 0; i < toks.n; i++)
        ck_assert_int_ne(toks.v[i].kind, CXS__TK_EMOTICON);
    ck_assert_int_eq(toks.v[0].kind, CXS__TK_WORD);
}
END_TEST

START_TEST(long_words)
{
    char buf[256];
    /* exactly CXS__NORM_MAX letters: kept whole */
    for (size_t i = 0; i < CXS__NORM_MAX; i++)
        buf[i] = (char)('a' + i % 26);
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, buf, CXS__NORM_MAX, 0, NULL), CXS_OK);
    ck_assert_uint_eq(toks.n, 1);
    ck_assert_uint_eq(toks.v[0].norm_len, CXS__NORM_MAX);
    ck_assert_int_eq(toks.v[0].flags & CXS__TF_LONG, 0);
    /* one more: flagged LONG, no key, span still the whole word */
    buf[CXS__NORM_MAX] = 'z';
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, buf, CXS__NORM_MAX + 1, 0, NULL), CXS_OK);
    ck_assert_uint_eq(toks.n, 1);
    ck_assert_uint_eq(toks.v[0].end, CXS__NORM_MAX + 1);
    ck_assert_uint_eq(toks.v[0].norm_len, 0);
    ck_assert(toks.v[0].flags & CXS__TF_LONG);
    /* a long non-ASCII word: LONG as well */
    size_t n = 0;
    for (size_t i = 0; i < 70; i++) {
        buf[n++] = '\xC3';
        buf[n++] = '\xA9';
    }
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, buf, n, 0, NULL), CXS_OK);
    ck_assert_uint_eq(toks.n, 1);
    ck_assert_uint_eq(toks.v[0].end, n);
    ck_assert_uint_eq(toks.v[0].norm_len, 0);
    ck_assert(toks.v[0].flags & CXS__TF_LONG);
    /* a long hashtag part */
    buf[0] = '#';
    for (size_t i = 1; i <= 80; i++)
        buf[i] = 'a';
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, buf, 81, 0, NULL), CXS_OK);
    ck_assert_uint_eq(toks.n, 1);
    ck_assert_uint_eq(toks.v[0].norm_len, 0);
    ck_assert(toks.v[0].flags & CXS__TF_LONG);
    ck_assert(toks.v[0].flags & CXS__TF_HASHTAG);
}
END_TEST

/* Many tokens: the token array grows past its first reservation and spans stay right. */
START_TEST(many_tokens)
{
    size_t reps = 5000, len = reps * 2;
    char *s = malloc(len);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < reps; i++) {
        s[2 * i] = 'a';
        s[2 * i + 1] = '.';
    }
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, s, len, 0, NULL), CXS_OK);
    free(s);
    ck_assert_uint_eq(toks.n, reps * 2);
    for (size_t i = 0; i < toks.n; i++)
        if (toks.v[i].start != i || toks.v[i].end != i + 1 ||
            toks.v[i].kind != (i % 2 ? CXS__TK_SENT_END : CXS__TK_WORD))
            ck_abort_msg("token %zu: kind %d [%u,%u)", i, toks.v[i].kind, toks.v[i].start,
                         toks.v[i].end);
}
END_TEST

/*
 * Regression tests for library bugs found while writing this suite (now fixed).
 *
 * 1. A hashtag sign directly before an emoji produces a zero-length WORD token [1,1) (which the
 *    scorer then counts as a neutral word: "#😍" has neu 0.2 where "😍" has neu 0).
 * 2. A hashtag followed directly by a non-ASCII character is not split: "#NeverAgain😡" gives
 *    one word "neveragain" (and "#customer_café" loses the hashtag flag on "café").
 * 3. Invalid UTF-8 inside a URL is neither counted nor rejected in strict mode.
 */
START_TEST(bug_hashtag_emoji_empty_token)
{
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, "#\xF0\x9F\x98\x8D", 5, 0, NULL), CXS_OK);
    ck_assert_uint_eq(toks.n, 1); /* actual: 2, the first is WORD [1,1) */
    ck_assert_int_eq(toks.v[0].kind, CXS__TK_EMOJI);
    ck_assert_uint_eq(toks.v[0].start, 1);
    ck_assert_uint_eq(toks.v[0].end, 5);
}
END_TEST

START_TEST(bug_hashtag_glued_emoji_not_split)
{
    const char *t = "#NeverAgain\xF0\x9F\x98\xA1";
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, t, strlen(t), 0, NULL), CXS_OK);
    ck_assert_uint_eq(toks.n, 3); /* actual: 2, WORD "neveragain" + EMOJI */
    ck_assert_uint_eq(toks.v[0].norm_len, 5);
    ck_assert(memcmp(cxs__tok_key(&toks, &toks.v[0]), "never", 5) == 0);
    ck_assert_uint_eq(toks.v[1].norm_len, 5);
    ck_assert(memcmp(cxs__tok_key(&toks, &toks.v[1]), "again", 5) == 0);
    ck_assert_int_eq(toks.v[2].kind, CXS__TK_EMOJI);
    t = "#customer_caf\xC3\xA9";
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, t, strlen(t), 0, NULL), CXS_OK);
    ck_assert_uint_eq(toks.n, 2);
    ck_assert(toks.v[1].flags & CXS__TF_HASHTAG); /* actual: flags 0 */
}
END_TEST

START_TEST(bug_url_invalid_utf8)
{
    const char *t = "see http://x.com/\xFF ok";
    cxs_error err;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, t, strlen(t), 0, NULL), CXS_OK);
    ck_assert_uint_eq(toks.bad_utf8, 1); /* actual: 0 */
    ck_assert_uint_eq(toks.first_bad, 17);
    ck_assert_int_eq(cxs__tokenize(&toks, &alloc, &emo, NULL, t, strlen(t), 1, &err), CXS_EUTF8);
    ck_assert_uint_eq(err.offset, 17); /* actual: CXS_OK */
}
END_TEST

static Suite *token_suite(void)
{
    Suite *s = suite_create("token");
    TCase *tc = tcase_create("table");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, tokenize_table, 0, (int)N_CASES);
    tcase_add_loop_test(tc, tokenize_spans_sane, 0, (int)N_CASES);
    suite_add_tcase(s, tc);

    tc = tcase_create("utf8");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, invalid_counted, 0, (int)(sizeof bad_cases / sizeof *bad_cases));
    tcase_add_loop_test(tc, invalid_strict, 0, (int)(sizeof bad_cases / sizeof *bad_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("misc");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, has_lower);
    tcase_add_test(tc, reuse_resets_counts);
    tcase_add_test(tc, respects_len);
    tcase_add_test(tc, no_emoticon_set);
    tcase_add_test(tc, long_words);
    tcase_add_test(tc, many_tokens);
    suite_add_tcase(s, tc);

    tc = tcase_create("regressions");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, bug_hashtag_emoji_empty_token);
    tcase_add_test(tc, bug_hashtag_glued_emoji_not_split);
    tcase_add_test(tc, bug_url_invalid_utf8);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(token_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
