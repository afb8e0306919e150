/*
 * fuzz_utf8_token.c — the UTF-8 decoder and the tokenizer (internal API, links cxsent_obj).
 *
 * Checks: the decoder always makes progress, agrees with an independent RFC 3629 validator and
 * round-trips through the encoder; tokens are ordered, non-overlapping and inside the text;
 * keys are valid UTF-8 of at most CXS__NORM_MAX bytes; tokenizing twice gives the same tokens;
 * strict mode fails with CXS_EUTF8 at exactly the first invalid sequence the lenient pass saw.
 */
#include "fuzz_util.h"

#include "model.h"
#include "token.h"
#include "utf8.h"

#include <string.h>

static void check_decoder(const unsigned char *s, size_t n)
{
    size_t i = 0;
    int32_t cps[256];
    size_t ncp = 0;
    while (i < n) {
        int32_t cp;
        int bad;
        size_t used = cxs__utf8_decode(s + i, n - i, &cp, &bad);
        FUZZ_CHECK(used >= 1 && used <= 4 && used <= n - i);
        size_t ref = fuzz_utf8_seq(s + i, n - i);
        FUZZ_CHECK(!bad == (ref != 0));
        if (bad) {
            FUZZ_CHECK(cp == CXS__REPLACEMENT);
        } else {
            FUZZ_CHECK(used == ref);
            FUZZ_CHECK(cp >= 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF));
            char enc[4];
            size_t e = cxs__utf8_encode(cp, enc);
            FUZZ_CHECK(e == used && memcmp(enc, s + i, e) == 0);
            (void)cxs__cp_class(cp);
            if (ncp < sizeof cps / sizeof *cps)
                cps[ncp++] = cp;
        }
        i += used;
    }
    /* case folding of what was decoded: bounded, and valid UTF-8 when it fits */
    size_t take = ncp > CXS__NORM_MAX ? CXS__NORM_MAX : ncp;
    int32_t scratch[CXS__NORM_MAX * 4];
    char out[CXS__NORM_MAX * 4 + 8];
    size_t o = cxs__fold(cps, take, scratch, sizeof scratch / sizeof *scratch, out, sizeof out);
    FUZZ_CHECK(o <= sizeof out);
    FUZZ_CHECK(fuzz_utf8_valid(out, o));
}

static void check_tokens(const cxs__tokens *t, size_t len, const cxs_model *m)
{
    for (size_t i = 0; i < t->n; i++) {
        const cxs__token *k = &t->v[i];
        FUZZ_CHECK(k->start <= k->end && k->end <= len);
        if (i)
            FUZZ_CHECK(k->start >= t->v[i - 1].end);
        FUZZ_CHECK(k->kind >= CXS__TK_WORD && k->kind <= CXS__TK_CLAUSE);
        FUZZ_CHECK((size_t)k->norm + k->norm_len <= t->norm_len);
        FUZZ_CHECK(k->norm_len <= CXS__NORM_MAX);
        if (k->flags & CXS__TF_LONG)
            FUZZ_CHECK(k->norm_len == 0);
        const char *key = cxs__tok_key(t, k);
        FUZZ_CHECK(fuzz_utf8_valid(key, k->norm_len));
        if (k->kind == CXS__TK_WORD)
            for (size_t j = 0; j < k->norm_len; j++)
                FUZZ_CHECK(!(key[j] >= 'A' && key[j] <= 'Z'));
        /* word indexes count the word tokens before each token */
        if (i)
            FUZZ_CHECK(k->widx == t->v[i - 1].widx + (t->v[i - 1].kind == CXS__TK_WORD ||
                                                     t->v[i - 1].kind == CXS__TK_NUMBER ||
                                                     t->v[i - 1].kind == CXS__TK_RATING ||
                                                     t->v[i - 1].kind == CXS__TK_EMOJI ||
                                                     t->v[i - 1].kind == CXS__TK_EMOTICON));
        else
            FUZZ_CHECK(k->widx == 0);
    }
    /* the pick list rises and holds every token but plain words that no entry can use: in
     * no entry, in one with no roles, or in one that only begins phrases none of which goes on
     * with the next token */
    size_t p = 0;
    for (size_t i = 0; i < t->n; i++) {
        const cxs__token *k = &t->v[i];
        int plain = k->kind == CXS__TK_WORD &&
                    !(k->flags & (CXS__TF_ELONG | CXS__TF_ZWJ | CXS__TF_NT | CXS__TF_OR));
        if (plain && k->e) {
            const cxs__token *nx = i + 1 < t->n ? &t->v[i + 1] : NULL;
            int goes_on = nx && m && nx->norm_len > 0 && !(nx->flags & CXS__TF_LONG) &&
                          (nx->kind == CXS__TK_WORD || nx->kind == CXS__TK_NUMBER ||
                           nx->kind == CXS__TK_EMOJI || nx->kind == CXS__TK_EMOTICON) &&
                          cxs__bit_test(m->phrase_bits, CXS__PHRASE_BITS,
                                        cxs__hash_combine(k->hash, nx->hash));
            /* an entry with neither roles nor a scoring phrase after it (a term that only
             * states customer-experience facts) leaves its word plain */
            plain = !k->e->roles && (!k->e->prefix || !goes_on);
        }
        while (p < t->n_pick && t->pick[p] < i)
            p++;
        FUZZ_CHECK(plain || (p < t->n_pick && t->pick[p] == i));
    }
    FUZZ_CHECK(t->n_pick <= t->n);
    for (size_t q = 0; q < t->n_pick; q++)
        FUZZ_CHECK(t->pick[q] < t->n && (q == 0 || t->pick[q - 1] < t->pick[q]));
}

static const cxs_model *default_model(void)
{
    static cxs_model *m;
    if (!m)
        FUZZ_CHECK(cxs_model_load_default(&m, NULL, NULL) == CXS_OK);
    return m;
}

/* Field by field: the struct has padding, which no tokenizer run has to write. */
static int same_tokens(const cxs__token *a, const cxs__token *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].hash != b[i].hash || a[i].e != b[i].e || a[i].start != b[i].start ||
            a[i].end != b[i].end || a[i].widx != b[i].widx || a[i].norm != b[i].norm ||
            a[i].norm_len != b[i].norm_len || a[i].kind != b[i].kind ||
            a[i].flags != b[i].flags || memcmp(&a[i].num, &b[i].num, sizeof a[i].num) != 0 ||
            memcmp(&a[i].den, &b[i].den, sizeof a[i].den) != 0)
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    const cxs_model *m = default_model();
    const char *text = (const char *)data;
    check_decoder(data, size);

    cxs__alloc a;
    cxs__alloc_init(&a, NULL);
    cxs__tokens t1, t2;
    memset(&t1, 0, sizeof t1);
    memset(&t2, 0, sizeof t2);

    FUZZ_CHECK(cxs__tokenize(&t1, &a, &m->emo, m, text, size, 0, NULL) == CXS_OK);
    check_tokens(&t1, size, m);
    if (t1.bad_utf8) {
        FUZZ_CHECK(!fuzz_utf8_valid(text, size));
        FUZZ_CHECK(t1.first_bad < size && fuzz_utf8_seq(data + t1.first_bad,
                                                        size - t1.first_bad) == 0);
    }
    /* the same text again into reused buffers, and into fresh ones: the same tokens */
    size_t n1 = t1.n, norm1 = t1.norm_len;
    cxs__token *copy = malloc((n1 ? n1 : 1) * sizeof *copy);
    char *ncopy = malloc(norm1 ? norm1 : 1);
    FUZZ_CHECK(copy && ncopy);
    if (n1)
        memcpy(copy, t1.v, n1 * sizeof *copy);
    if (norm1)
        memcpy(ncopy, t1.norm, norm1);
    FUZZ_CHECK(cxs__tokenize(&t1, &a, &m->emo, m, text, size, 0, NULL) == CXS_OK);
    FUZZ_CHECK(t1.n == n1 && t1.norm_len == norm1);
    FUZZ_CHECK(same_tokens(copy, t1.v, n1));
    FUZZ_CHECK(norm1 == 0 || memcmp(ncopy, t1.norm, norm1) == 0);

    /* strict: fails exactly at the first invalid sequence the lenient pass reported */
    cxs_error err;
    memset(&err, 0, sizeof err);
    int rc = cxs__tokenize(&t2, &a, &m->emo, m, text, size, 1, &err);
    if (t1.bad_utf8) {
        FUZZ_CHECK(rc == CXS_EUTF8 && err.code == CXS_EUTF8 && err.offset == t1.first_bad);
    } else {
        FUZZ_CHECK(rc == CXS_OK);
        FUZZ_CHECK(t2.n == n1 && same_tokens(copy, t2.v, n1));
    }
    /* without emoticons the tokenizer still keeps its invariants */
    FUZZ_CHECK(cxs__tokenize(&t2, &a, NULL, NULL, text, size, 0, NULL) == CXS_OK);
    check_tokens(&t2, size, NULL);

    /* the public lookup normalises the same way; never fails on any bytes */
    double v;
    int lk = cxs_model_lookup(&v, m, text, size);
    FUZZ_CHECK(lk == 0 || lk == 1);
    if (lk == 1)
        FUZZ_CHECK(v >= -4.0 && v <= 4.0);

    free(copy);
    free(ncopy);
    cxs__tokens_free(&t1, &a);
    cxs__tokens_free(&t2, &a);
    return 0;
}
