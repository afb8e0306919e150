/*
 * token.c — the tokenizer. ASCII takes a table-driven fast path; utf8proc is consulted only for
 * non-ASCII code points (passing every code point through it costs 4x on English text).
 */
#include "token.h"

#include "model.h"
#include "utf8.h"

#include <string.h>
#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif

enum {
    C_OTHER = 0, /* ASCII punctuation with no role */
    C_SPACE,
    C_NL,
    C_LOWER,
    C_UPPER,
    C_DIGIT,
    C_APOS,
    C_HYPHEN,
    C_HASH,
    C_AT,
    C_SENT,   /* . ! ? */
    C_CLAUSE, /* , ; : ( ) */
    C_HIGH    /* >= 0x80 */
};

static const uint8_t cls[256] = {
    ['\t'] = C_SPACE, ['\n'] = C_NL, ['\v'] = C_SPACE, ['\f'] = C_SPACE, ['\r'] = C_SPACE,
    [' '] = C_SPACE, ['\''] = C_APOS, ['-'] = C_HYPHEN, ['#'] = C_HASH, ['@'] = C_AT,
    ['.'] = C_SENT, ['!'] = C_SENT, ['?'] = C_SENT, [','] = C_CLAUSE, [';'] = C_CLAUSE,
    [':'] = C_CLAUSE, ['('] = C_CLAUSE, [')'] = C_CLAUSE,
    ['0'] = C_DIGIT, ['1'] = C_DIGIT, ['2'] = C_DIGIT, ['3'] = C_DIGIT, ['4'] = C_DIGIT,
    ['5'] = C_DIGIT, ['6'] = C_DIGIT, ['7'] = C_DIGIT, ['8'] = C_DIGIT, ['9'] = C_DIGIT,
#define L(c) [c] = C_LOWER
    L('a'), L('b'), L('c'), L('d'), L('e'), L('f'), L('g'), L('h'), L('i'), L('j'), L('k'),
    L('l'), L('m'), L('n'), L('o'), L('p'), L('q'), L('r'), L('s'), L('t'), L('u'), L('v'),
    L('w'), L('x'), L('y'), L('z'),
#undef L
#define U(c) [c] = C_UPPER
    U('A'), U('B'), U('C'), U('D'), U('E'), U('F'), U('G'), U('H'), U('I'), U('J'), U('K'),
    U('L'), U('M'), U('N'), U('O'), U('P'), U('Q'), U('R'), U('S'), U('T'), U('U'), U('V'),
    U('W'), U('X'), U('Y'), U('Z'),
#undef U
#define H16(b) [b] = C_HIGH, [b + 1] = C_HIGH, [b + 2] = C_HIGH, [b + 3] = C_HIGH, \
    [b + 4] = C_HIGH, [b + 5] = C_HIGH, [b + 6] = C_HIGH, [b + 7] = C_HIGH, [b + 8] = C_HIGH, \
    [b + 9] = C_HIGH, [b + 10] = C_HIGH, [b + 11] = C_HIGH, [b + 12] = C_HIGH, \
    [b + 13] = C_HIGH, [b + 14] = C_HIGH, [b + 15] = C_HIGH
    H16(0x80), H16(0x90), H16(0xA0), H16(0xB0), H16(0xC0), H16(0xD0), H16(0xE0), H16(0xF0),
#undef H16
};

static inline int is_alnum_c(unsigned c)
{
    uint8_t k = cls[c];
    return k == C_LOWER || k == C_UPPER || k == C_DIGIT;
}

static inline int is_alpha_c(unsigned c)
{
    uint8_t k = cls[c];
    return k == C_LOWER || k == C_UPPER;
}

/* The tokenizer's working state for one text. */
typedef struct tk {
    cxs__tokens *t;
    const cxs__alloc *a;
    const cxs__emo_set *emo;
    const cxs_model *lex;
    const unsigned char *s;
    size_t n;
    int strict;
    cxs_error *err;
} tk;

/* Grow the tokens and the pick list together; cap is what both can hold. */
static int grow_tokens(cxs__tokens *t, const cxs__alloc *a, size_t need)
{
    if (need <= t->cap)
        return CXS_OK;
    int rc = cxs__grow(a, (void **)&t->v, &t->cap_v, need, sizeof *t->v);
    if (!rc)
        rc = cxs__grow(a, (void **)&t->pick, &t->cap_pick, need, sizeof *t->pick);
    if (rc)
        return rc;
    t->cap = t->cap_v < t->cap_pick ? t->cap_v : t->cap_pick;
    return CXS_OK;
}

static int reserve_tok(tk *k)
{
    cxs__tokens *t = k->t;
    if (CXS__LIKELY(t->n < t->cap))
        return CXS_OK;
    return grow_tokens(t, k->a, t->n + 1);
}

static int reserve_norm(tk *k, size_t extra)
{
    cxs__tokens *t = k->t;
    if (CXS__LIKELY(t->norm_len + extra <= t->norm_cap))
        return CXS_OK;
    return cxs__grow(k->a, (void **)&t->norm, &t->norm_cap, t->norm_len + extra, 1);
}

/* Token kinds that count as words for scopes and shares. */
#define WORD_KINDS                                                                             \
    ((1u << CXS__TK_WORD) | (1u << CXS__TK_NUMBER) | (1u << CXS__TK_RATING) |                 \
     (1u << CXS__TK_EMOJI) | (1u << CXS__TK_EMOTICON))

static cxs__token *push(tk *k, uint8_t kind, size_t start, size_t end)
{
    cxs__token *x = &k->t->v[k->t->n++];
    x->e = NULL;
    x->widx = (uint32_t)k->t->n_words;
    k->t->n_words += (WORD_KINDS >> kind) & 1u;
    x->start = (uint32_t)start;
    x->end = (uint32_t)end;
    x->norm = (uint32_t)k->t->norm_len;
    x->norm_len = 0;
    x->kind = kind;
    x->flags = 0;
    x->num = 0;
    x->den = 0;
    x->hash = 0;
    return x;
}

/*
 * Hash the key just written (the norm buffer keeps 8 spare bytes past every key) and mark the
 * words that negate ("...n't") or carry a negation on ("or"), by masked loads. The lookup comes
 * after, in pick_general.
 */
static inline void key_done(tk *k, cxs__token *x)
{
    size_t n = x->norm_len;
    if (!n) {
        x->hash = 0;
        return;
    }
    const char *key = k->t->norm + x->norm;
    x->hash = cxs__hash_padded(key, n);
    if (x->kind == CXS__TK_WORD) {
        uint64_t tail = n >= 4 ? cxs__load8(key + n - 3) & 0xFFFFFFull : 0;
        if (tail == ('n' | ('\'' << 8) | ((uint64_t)'t' << 16)))
            x->flags |= CXS__TF_NT;
        else if (n == 2 && (cxs__load8(key) & 0xFFFFull) == ('o' | ('r' << 8)))
            x->flags |= CXS__TF_OR;
    }
}

static int bad_byte(tk *k, size_t at)
{
    cxs__tokens *t = k->t;
    if (t->bad_utf8++ == 0)
        t->first_bad = at;
    if (k->strict) {
        cxs__error_set(k->err, CXS_EUTF8, "<text>", 0, 0, "invalid UTF-8 at byte %zu", at);
        cxs__error_offset(k->err, at);
        return CXS_EUTF8;
    }
    return CXS_OK;
}

/* Decode the code point at i (i < n, s[i] >= 0x80). */
static int decode_at(tk *k, size_t i, int32_t *cp, size_t *used)
{
    int bad;
    *used = cxs__utf8_decode(k->s + i, k->n - i, cp, &bad);
    if (bad)
        return bad_byte(k, i);
    return CXS_OK;
}

/* Sentence-end or clause punctuation (ASCII runs collapse into one token). */
static int punct_sent(tk *k, size_t i, size_t *next)
{
    size_t j = i;
    float ex = 0, q = 0;
    while (j < k->n && cls[k->s[j]] == C_SENT) {
        if (k->s[j] == '!')
            ex++;
        else if (k->s[j] == '?')
            q++;
        j++;
    }
    int rc = reserve_tok(k);
    if (rc)
        return rc;
    cxs__token *x = push(k, CXS__TK_SENT_END, i, j);
    x->num = ex;
    x->den = q;
    *next = j;
    return CXS_OK;
}

static int push_simple(tk *k, uint8_t kind, size_t start, size_t end)
{
    int rc = reserve_tok(k);
    if (rc)
        return rc;
    push(k, kind, start, end);
    return CXS_OK;
}

/* Merge consecutive boundary tokens of the same kind (runs of newlines, ",,"). */
static int push_boundary(tk *k, uint8_t kind, size_t start, size_t end)
{
    cxs__tokens *t = k->t;
    if (t->n && t->v[t->n - 1].kind == kind && t->v[t->n - 1].end == start) {
        t->v[t->n - 1].end = (uint32_t)end;
        return CXS_OK;
    }
    return push_simple(k, kind, start, end);
}

/* Try an emoticon at i; returns its length or 0. */
static size_t emoticon_at(tk *k, size_t i)
{
    const cxs__emo_set *e = k->emo;
    if (!e || !e->find)
        return 0;
    unsigned c = k->s[i];
    if (!(e->start[c >> 3] & (1u << (c & 7))))
        return 0;
    char buf[16];
    size_t run = 0;
    while (run < e->max_len && run < sizeof buf && i + run < k->n) {
        unsigned b = k->s[i + run];
        if (b <= ' ' || b >= 0x80)
            break;
        buf[run] = (char)(b >= 'A' && b <= 'Z' ? b | 0x20 : b);
        run++;
    }
    for (size_t len = run; len >= 2; len--) {
        /* an emoticon that ends in a letter or digit may not run into a word (":dave") */
        if (is_alnum_c((unsigned char)buf[len - 1]) && i + len < k->n &&
            is_alnum_c(k->s[i + len]))
            continue;
        if (e->find(e->ctx, buf, len))
            return len;
    }
    return 0;
}

static int push_emoticon(tk *k, size_t i, size_t len)
{
    int rc = reserve_tok(k);
    if (!rc)
        rc = reserve_norm(k, len + 8); /* 8 spare bytes for cxs__hash_padded */
    if (rc)
        return rc;
    cxs__token *x = push(k, CXS__TK_EMOTICON, i, i + len);
    char *o = k->t->norm + k->t->norm_len;
    for (size_t j = 0; j < len; j++) {
        unsigned b = k->s[i + j];
        o[j] = (char)(b >= 'A' && b <= 'Z' ? b | 0x20 : b);
    }
    x->norm_len = (uint16_t)len;
    k->t->norm_len += len;
    key_done(k, x);
    return CXS_OK;
}

/* Append a code point to the scratch array used by the non-ASCII word path. */
static int cps_push(tk *k, size_t *ncp, int32_t cp)
{
    cxs__tokens *t = k->t;
    if (*ncp >= t->cps_cap) {
        int rc = cxs__grow(k->a, (void **)&t->cps, &t->cps_cap, *ncp + 1, sizeof *t->cps);
        if (rc)
            return rc;
    }
    t->cps[(*ncp)++] = cp;
    return CXS_OK;
}

/*
 * A word that contains non-ASCII letters, from i. Collects code points (apostrophe-likes and
 * inner hyphens included), case folds them, squeezes elongations, and pushes one word token.
 */
static int word_slow(tk *k, size_t i, size_t *next)
{
    size_t j = i, ncp = 0;
    int upper = 0, lower = 0, rc;
    while (j < k->n) {
        unsigned c = k->s[j];
        if (c < 0x80) {
            if (is_alnum_c(c)) {
                if (cls[c] == C_UPPER)
                    upper++;
                else if (cls[c] == C_LOWER)
                    lower++;
                if ((rc = cps_push(k, &ncp, (int32_t)c)))
                    return rc;
                j++;
                continue;
            }
            if ((c == '\'' || c == '-') && ncp && j + 1 < k->n &&
                (is_alnum_c(k->s[j + 1]) || k->s[j + 1] >= 0x80)) {
                if ((rc = cps_push(k, &ncp, (int32_t)c)))
                    return rc;
                j++;
                continue;
            }
            break;
        }
        int32_t cp;
        size_t used;
        int bad;
        used = cxs__utf8_decode(k->s + j, k->n - j, &cp, &bad);
        if (bad)
            break; /* the main loop reports it */
        int cc = cxs__cp_class(cp);
        if (cc == CXS__CP_LETTER) {
            if (cxs__cp_is_upper(cp))
                upper++;
            else if (cxs__cp_is_lower(cp))
                lower++;
            if ((rc = cps_push(k, &ncp, cp)))
                return rc;
            j += used;
            continue;
        }
        if (cc == CXS__CP_APOS && ncp && j + used < k->n &&
            (is_alnum_c(k->s[j + used]) || k->s[j + used] >= 0x80)) {
            if ((rc = cps_push(k, &ncp, '\'')))
                return rc;
            j += used;
            continue;
        }
        break;
    }
    if (j == i) { /* not a word after all (e.g. a lone mark); skip one code point */
        int32_t cp;
        int bad;
        *next = i + cxs__utf8_decode(k->s + i, k->n - i, &cp, &bad);
        return CXS_OK;
    }
    if (lower)
        k->t->has_lower = 1;
    if ((rc = reserve_tok(k)) || (rc = reserve_norm(k, CXS__NORM_MAX + 8)))
        return rc;
    cxs__token *x = push(k, CXS__TK_WORD, i, j);
    /* fold in bounded pieces: a key is at most CXS__NORM_MAX bytes */
    size_t take = ncp > CXS__NORM_MAX ? CXS__NORM_MAX : ncp;
    int32_t scratch[CXS__NORM_MAX * 4];
    char tmp[CXS__NORM_MAX * 4 + 8];
    size_t out = cxs__fold(k->t->cps, take, scratch, sizeof scratch / sizeof *scratch, tmp,
                           sizeof tmp);
    if (ncp > CXS__NORM_MAX || out == 0 || out > CXS__NORM_MAX) {
        x->flags |= CXS__TF_LONG;
        out = 0;
    }
    /* squeeze runs of 3+ identical bytes to 2 (elongation), as on the ASCII path */
    char *o = k->t->norm + k->t->norm_len;
    size_t w = 0;
    for (size_t r = 0; r < out; r++) {
        if (w >= 2 && tmp[r] == o[w - 1] && tmp[r] == o[w - 2] && is_alpha_c((unsigned char)tmp[r])) {
            x->flags |= CXS__TF_ELONG;
            continue;
        }
        o[w++] = tmp[r];
    }
    x->norm_len = (uint16_t)w;
    k->t->norm_len += w;
    key_done(k, x);
    if (upper >= 2 && !lower)
        x->flags |= CXS__TF_CAPS;
    *next = j;
    return CXS_OK;
}

/* ASCII letters and digits to their lower-case form; every other byte to 0. */
static const uint8_t lmap[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 0, 0, 0, 0, 0, 0,
    0, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
    112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 0, 0, 0, 0, 0,
    0, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
    112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/*
 * SWAR: for the 8 ASCII bytes in x, a mask with 0x80 in each lane holding a letter or digit,
 * and in *upper the lanes holding 'A'..'Z'. Lanes with a byte >= 0x80 are never set. For a
 * byte b < 0x80, b + (0x80 - lo) has bit 7 set iff b >= lo; no lane carries into the next.
 */
static inline uint64_t swar_alnum(uint64_t x, uint64_t *upper)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t ascii = ~x & high;
    uint64_t y = x & ~high;
#define GE(lo) (y + ones * (0x80 - (lo)))
#define GT(hi) (y + ones * (0x7F - (hi)))
    uint64_t up = GE('A') & ~GT('Z');
    uint64_t lo = GE('a') & ~GT('z');
    uint64_t dg = GE('0') & ~GT('9');
#undef GE
#undef GT
    *upper = up & ascii;
    return (up | lo | dg) & ascii;
}

/* Whether key[0..w) has a letter repeated 3+ times in a row ("soooo"). */
static inline int has_triple(const char *key, size_t w)
{
    if (w < 3)
        return 0;
    if (w <= 8) {
        /* SWAR: byte k of (x ^ x>>8) | (x ^ x>>16) is 0 iff key[k] == key[k+1] == key[k+2] */
        uint64_t x = cxs__load8(key);
        uint64_t t = (x ^ (x >> 8)) | (x ^ (x >> 16));
        t |= ~0ull << (8 * (w - 2)); /* only k = 0 .. w-3 count */
        return ((t - 0x0101010101010101ull) & ~t & 0x8080808080808080ull) != 0;
    }
    for (size_t r = 2; r < w; r++)
        if (key[r] == key[r - 1] && key[r] == key[r - 2])
            return 1;
    return 0;
}

/* Squeeze runs of 3+ identical letters to 2 ("soooo" -> "soo"); digits are left alone. */
static size_t squeeze(char *key, size_t w)
{
    size_t o = 0;
    for (size_t r = 0; r < w; r++) {
        char c = key[r];
        if (o >= 2 && c == key[o - 1] && c == key[o - 2] && c > '9')
            continue;
        key[o++] = c;
    }
    return o;
}

/*
 * An ASCII word from i; hands over to word_slow when it meets a non-ASCII letter. This is the
 * hottest loop of the library, so it only loads, maps and stores; ALL-CAPS and elongation are
 * checked afterwards, rarely (a word whose first letter is lower case is not ALL-CAPS; a key
 * without three equal bytes in a row is not elongated). An ASCII key is never longer than its
 * word, so one capacity check covers the whole word.
 */
static int word(tk *k, size_t i, size_t *next)
{
    const unsigned char *s = k->s;
    size_t n = k->n, j = i;
    int rc;
    if ((rc = reserve_tok(k)) || (rc = reserve_norm(k, n - i + 8)))
        return rc;
    char *o = k->t->norm + k->t->norm_len;
    size_t w = 0;
    for (;;) {
        /* 8 bytes at a time while 8 remain: find the first non-alphanumeric lane, store the
         * lanes lower-cased (the norm buffer has room for the whole text plus 8) */
        while (j + 8 <= n) {
            uint64_t x = cxs__load8((const char *)s + j), up;
            uint64_t stop = ~swar_alnum(x, &up) & 0x8080808080808080ull;
            uint64_t low = x | (up >> 2); /* 0x80 >> 2 == 0x20: 'A' -> 'a' */
            memcpy(o + w, &low, 8);
            if (stop) {
                unsigned len = (unsigned)__builtin_ctzll(stop) >> 3;
                w += len;
                j += len;
                break;
            }
            w += 8;
            j += 8;
        }
        while (j < n) {
            unsigned lc = lmap[s[j]];
            if (!lc)
                break;
            o[w++] = (char)lc;
            j++;
        }
        if (j >= n)
            break;
        unsigned c = s[j];
        if ((c == '\'' || c == '-') && j + 1 < n && lmap[s[j + 1]]) {
            o[w++] = (char)c;
            j++;
            continue;
        }
        if (c == 0xE2 && j + 3 < n && s[j + 1] == 0x80 && (s[j + 2] == 0x99 || s[j + 2] == 0x98) &&
            lmap[s[j + 3]]) {
            o[w++] = '\''; /* U+2019 / U+2018 inside a word: an apostrophe ("don’t") */
            j += 3;
            continue;
        }
        if (c >= 0x80) {
            int32_t cp;
            int bad;
            cxs__utf8_decode(s + j, n - j, &cp, &bad);
            if (!bad && cxs__cp_class(cp) == CXS__CP_LETTER)
                return word_slow(k, i, next);
        }
        break;
    }
    /* e-mail addresses are not words */
    if (j + 1 < n && s[j] == '@' && is_alnum_c(s[j + 1])) {
        while (j < n && s[j] > ' ' && s[j] < 0x80)
            j++;
        push(k, CXS__TK_URL, i, j);
        *next = j;
        return CXS_OK;
    }
    uint8_t flags = 0;
    if (CXS__UNLIKELY(has_triple(o, w))) {
        size_t sq = squeeze(o, w);
        if (sq != w)
            flags |= CXS__TF_ELONG;
        w = sq;
    }
    cxs__token *x = push(k, CXS__TK_WORD, i, j);
    if (w > CXS__NORM_MAX) {
        flags |= CXS__TF_LONG;
        w = 0;
    }
    x->norm_len = (uint16_t)w;
    x->flags = flags;
    k->t->norm_len += w;
    key_done(k, x);
    if (CXS__LIKELY(s[i] >= 'a')) {
        k->t->has_lower = 1; /* starts lower case: not ALL-CAPS */
    } else {
        unsigned upper = 0, lower = 0;
        for (size_t r = i; r < j; r++) {
            upper += s[r] >= 'A' && s[r] <= 'Z';
            lower += s[r] >= 'a' && s[r] <= 'z';
        }
        if (lower)
            k->t->has_lower = 1;
        else if (upper >= 2)
            x->flags |= CXS__TF_CAPS;
    }
    *next = j;
    return CXS_OK;
}

/*
 * Bytes that end a word and need nothing more from the word path (not ' - @ or non-ASCII).
 * NUL is one: word() ends a word there in the same way, and the fast path reads the zero
 * padding past the end of the text as a NUL.
 */
static const uint8_t plain_end[256] = {
    [0] = 1, ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1, ['!'] = 1,
    ['"'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['('] = 1, [')'] = 1, ['*'] = 1,
    ['+'] = 1, [','] = 1, ['.'] = 1, ['/'] = 1, [':'] = 1, [';'] = 1, ['<'] = 1, ['='] = 1,
    ['>'] = 1, ['?'] = 1, ['['] = 1, ['\\'] = 1, [']'] = 1, ['^'] = 1, ['_'] = 1, ['`'] = 1,
    ['{'] = 1, ['|'] = 1, ['}'] = 1, ['~'] = 1,
};

/*
 * The tokenizer state the fast paths update, held in registers across the main loop. n,
 * norm_len, n_words and has_lower are written back to the cxs__tokens around the general
 * paths (which use them); the pick list state only at the end (the general paths leave it).
 */
typedef struct hot {
    size_t n, norm_len, n_words;
    size_t np;      /* entries of the pick list so far */
    uint64_t pend_h; /* the hash of the word that awaits the next token (see pick_token) */
    unsigned pend;   /* pick[np] is a word that only begins phrases: the next token decides */
    int has_lower;
    const uint64_t *pbits; /* the model's phrase filter (all clear without a model) */
} hot;

/* The phrase filter of no model: pick_token tests a filter unconditionally. */
static const uint64_t no_phrase_bits[CXS__PHRASE_BITS / 64];

static inline void hot_load(hot *h, const cxs__tokens *t)
{
    h->n = t->n;
    h->norm_len = t->norm_len;
    h->n_words = t->n_words;
    h->has_lower = t->has_lower;
}

static inline void hot_store(const hot *h, cxs__tokens *t)
{
    t->n = h->n;
    t->norm_len = h->norm_len;
    t->n_words = h->n_words;
    t->has_lower = h->has_lower;
}

/*
 * The pick list, built as the tokens are made: every token the matcher must visit, that is,
 * all but plain words that no entry can use (in no entry, or in one that only begins phrases
 * none of which goes on with the next token: every two-word start of a phrase has its bit).
 * Token idx was just made; keyed: it has a key (and so can continue a phrase) whose hash is
 * h; use: the CXS__USE_* bits of its slot (0 when its key is in no entry). A word that only
 * begins phrases waits in pick[np] for the next token, which settles it.
 */
static inline void pick_token(cxs__tokens *t, hot *H, size_t idx, int keyed, uint64_t h,
                              int plain, unsigned use)
{
    /* all of it as arithmetic: which words wait, and whether the next token keeps them,
     * follows the text and so no pattern a branch predictor could learn (a test of the
     * phrase filter for nothing costs less than one mispredicted branch) */
    unsigned keep = H->pend & (unsigned)keyed &
                    (unsigned)cxs__bit_test(H->pbits, CXS__PHRASE_BITS,
                                            cxs__hash_combine(H->pend_h, h));
    H->np += keep;
    t->pick[H->np] = (uint32_t)idx; /* kept only if the count moves on */
    unsigned begins = (unsigned)plain & (unsigned)(use == CXS__USE_PREFIX);
    H->pend = begins;
    H->pend_h = h; /* read only while pend is set, that is, when begins */
    /* a word that begins phrases has no roles bit: it adds nothing here */
    H->np += (size_t)((unsigned)!plain | (use & CXS__USE_ROLES));
}

/* Whether a token is a plain word: one the matcher may skip when no entry can use it. */
static inline int is_plain(const cxs__token *x)
{
    return x->kind == CXS__TK_WORD && !(x->flags & CXS__TF_VISIT);
}

/*
 * Look up the keys of the tokens a general path made (from index from on) and put them on the
 * pick list. The fast paths do the same for their tokens in registers.
 */
static void pick_general(cxs__tokens *t, const cxs_model *m, size_t from, hot *H)
{
    for (size_t q = from; q < H->n; q++) {
        cxs__token *x = &t->v[q];
        int keyed = cxs__tok_keyed(x);
        unsigned use = 0;
        if (m && keyed) {
            const cxs__slot *sl = cxs__model_find_key(m, t->norm + x->norm, x->norm_len, x->hash);
            if (sl) {
                x->e = cxs__slot_entry(m, sl);
                use = sl->use;
            }
        }
        pick_token(t, H, q, keyed, x->hash, is_plain(x), use);
    }
}

/*
 * 16 bytes classified at once: bit k of alnum is set when byte k is an ASCII letter or digit;
 * bit k of tri when bytes k, k+1 and k+2 of the folded bytes are equal (bytes past the 16
 * read as 0); lo and hi hold the 16 bytes folded: letters in lower case, digits as they are
 * (other bytes may change too: only the bytes of a key are used). Bytes >= 0x80 are in no
 * class.
 */
typedef struct scan16 {
    unsigned alnum, tri;
    unsigned lower, upper; /* bit k: byte k is in 'a'..'z', in 'A'..'Z' */
    uint64_t lo, hi;
} scan16;

#if defined(__SSE2__) && defined(__x86_64__)
static inline void scan_16(const unsigned char *s, scan16 *r)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
    /* for letters and digits (the only bytes a key keeps) b | 0x20 is the lower-case form */
    __m128i f = _mm_or_si128(v, _mm_set1_epi8(0x20));
    /* b is in lo..lo+w-1 iff (signed)(b + 0x80 - lo) < -128 + w: bytes >= 0x80 fall out */
#define IN(x_, lo_, w_) \
    _mm_cmplt_epi8(_mm_add_epi8(x_, _mm_set1_epi8((char)(0x80 - (lo_)))), \
                   _mm_set1_epi8((char)(-128 + (w_))))
    __m128i an = _mm_or_si128(IN(f, 'a', 26), IN(v, '0', 10));
    r->lower = (unsigned)_mm_movemask_epi8(IN(v, 'a', 26));
    r->upper = (unsigned)_mm_movemask_epi8(IN(v, 'A', 26));
#undef IN
    __m128i eq = _mm_and_si128(_mm_cmpeq_epi8(f, _mm_srli_si128(f, 1)),
                               _mm_cmpeq_epi8(f, _mm_srli_si128(f, 2)));
    r->alnum = (unsigned)_mm_movemask_epi8(an);
    r->tri = (unsigned)_mm_movemask_epi8(eq);
    r->lo = (uint64_t)_mm_cvtsi128_si64(f);
    r->hi = (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(f, f));
}
#else
/* Bit k of the result is bit 7 of byte k of m (whose other bits are clear). */
static inline unsigned lane_bits(uint64_t m)
{
    return (unsigned)(((m >> 7) * 0x0102040810204080ull) >> 56);
}

/* 0x80 in each byte of x that is zero, exactly (no borrow runs into the next byte). */
static inline uint64_t zero_lanes(uint64_t x)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
    return ~(((x & low7) + low7) | x | low7);
}

static inline void scan_16(const unsigned char *s, scan16 *r)
{
    uint64_t x = cxs__load8((const char *)s), x2 = cxs__load8((const char *)s + 8), up, up2;
    uint64_t an = swar_alnum(x, &up), an2 = swar_alnum(x2, &up2);
    uint64_t lo = x | (up >> 2), hi = x2 | (up2 >> 2); /* 0x80 >> 2 == 0x20: 'A' -> 'a' */
    r->alnum = lane_bits(an) | lane_bits(an2) << 8;
    r->upper = lane_bits(up) | lane_bits(up2) << 8;
    /* of letters and digits, lower-case letters alone have both 0x40 and 0x20 set */
    const uint64_t b6 = 0x4040404040404040ull;
    r->lower = r->alnum & (lane_bits((x & (x << 1) & b6) << 1) |
                           lane_bits((x2 & (x2 << 1) & b6) << 1) << 8);
    uint64_t d1 = (lo ^ (lo >> 8 | hi << 56)) | (lo ^ (lo >> 16 | hi << 48));
    uint64_t d2 = (hi ^ (hi >> 8)) | (hi ^ (hi >> 16));
    r->tri = lane_bits(zero_lanes(d1)) | lane_bits(zero_lanes(d2)) << 8;
    r->lo = lo;
    r->hi = hi;
}
#endif

/* By key length, the key that may begin a URL; 0 (no key) for the other lengths. */
static const uint64_t url_key[16] = {
    [3] = 'w' | 'w' << 8 | 'w' << 16,
    [4] = 'h' | 't' << 8 | 't' << 16 | (uint64_t)'p' << 24,
    [5] = 'h' | 't' << 8 | 't' << 16 | (uint64_t)'p' << 24 | (uint64_t)'s' << 32,
};

/* Key bytes kept of the first and of the second 8 bytes, by key length (0..15). */
static const uint64_t key_mask[16] = {
    0, 0xFF, 0xFFFF, 0xFFFFFF, 0xFFFFFFFF, 0xFFFFFFFFFFull, 0xFFFFFFFFFFFFull,
    0xFFFFFFFFFFFFFFull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull,
};
static const uint64_t key_mask2[16] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFFFF, 0xFFFFFF, 0xFFFFFFFF, 0xFFFFFFFFFFull,
    0xFFFFFFFFFFFFull, 0xFFFFFFFFFFFFFFull,
};

/* The first bytes of the emoticons of no emoticon set. */
static const uint8_t no_emo_start[32];

/* Whether an emoticon may start with byte c (start: the set's first bytes, or none). */
static inline unsigned emo_start_bit(const uint8_t *start, unsigned c)
{
    return ((unsigned)start[c >> 3] >> (c & 7)) & 1u;
}

/*
 * What ASCII punctuation does when a space or the end of the text follows it (then it can
 * begin no emoticon, no hashtag and no mention, and a run of . ! ? is one mark long): the
 * main loop settles these without the general paths. A newline does the same before anything.
 */
enum { P_GENERAL = 0, P_NONE, P_SENT, P_CLAUSE, P_DASH, P_NL };

static const uint8_t pfast[256] = {
    ['\n'] = P_NL, ['.'] = P_SENT, ['!'] = P_SENT, ['?'] = P_SENT, [','] = P_CLAUSE,
    [';'] = P_CLAUSE, [':'] = P_CLAUSE, ['('] = P_CLAUSE, [')'] = P_CLAUSE, ['-'] = P_DASH,
    ['"'] = P_NONE, ['#'] = P_NONE, ['$'] = P_NONE, ['%'] = P_NONE, ['&'] = P_NONE,
    ['\''] = P_NONE, ['*'] = P_NONE, ['+'] = P_NONE, ['/'] = P_NONE, ['<'] = P_NONE,
    ['='] = P_NONE, ['>'] = P_NONE, ['@'] = P_NONE, ['['] = P_NONE, ['\\'] = P_NONE,
    [']'] = P_NONE, ['^'] = P_NONE, ['_'] = P_NONE, ['`'] = P_NONE, ['{'] = P_NONE,
    ['|'] = P_NONE, ['}'] = P_NONE, ['~'] = P_NONE,
};

/*
 * The fast paths, in a loop of their own so that its state stays in registers: from i, the
 * common words and punctuation, up to the first byte that needs a general path (or the end).
 * Returns that byte's offset. The caller guarantees room in the norm buffer for every byte
 * left plus 16 (an ASCII key is never longer than its word); tail holds the text from
 * tail_start on, zero-padded to 16 bytes past its end.
 *
 * The common word: ASCII letters and digits only, 1..15 bytes, ended by a space, plain
 * punctuation or the end of the text, not elongated. Found with one 16-byte scan, lower-cased,
 * hashed, looked up and put on the pick list in registers; the token is the one word() would
 * make. The common punctuation: see pfast.
 */
#if defined(__GNUC__)
__attribute__((noinline)) /* inlined, it shares registers with the general paths */
#endif
static size_t fast_run(const tk *k, hot *H, size_t i, const unsigned char *tail,
                       size_t tail_start)
{
    cxs__tokens *t = k->t;
    const cxs_model *m = k->lex;
    const unsigned char *s = k->s;
    const size_t len = k->n, cap = t->cap;
    /* the 16-byte scan reads the text up to fast_end, then the padded copy */
    const size_t fast_end = len >= 16 ? len - 16 : 0;
    cxs__token *const v = t->v;
    char *const norm = t->norm;
    const uint8_t *emo_start = k->emo && k->emo->find ? k->emo->start : no_emo_start;
    hot h = *H;
    while (i < len) {
        unsigned c = s[i];
        if (c == ' ') { /* most bytes between tokens: keep them off the dispatch below */
            i++;
            continue;
        }
        if (CXS__UNLIKELY(h.n >= cap))
            break;
        if (lmap[c] > '9') {
            const unsigned char *r = i < fast_end ? s + i : tail + (i - tail_start);
            scan16 w;
            scan_16(r, &w);
            unsigned stop = ~w.alnum & 0xFFFFu;
            if (CXS__UNLIKELY(!stop))
                break; /* 16 bytes or more */
            unsigned wl = (unsigned)__builtin_ctz(stop), end = r[wl];
            /* one letter before punctuation may begin an emoticon ("d:") */
            if (!plain_end[end] || (wl == 1 && end > ' ' && emo_start_bit(emo_start, c)))
                break;
            if (w.tri & (((1u << wl) - 1) >> 2))
                break; /* elongated: squeezed by the general path */
            uint64_t key = w.lo & key_mask[wl], key2 = w.hi & key_mask2[wl];
            /* "http", "https" and "www" may start a URL (see starts_url): one compare with
             * the one such key of the word's length (a test of the first letter is a
             * branch taken for every word on h or w, with no pattern) */
            if (CXS__UNLIKELY(key == url_key[wl]))
                break;
            /* the case flags as masks, not branches (words start upper case or not with no
             * pattern): has_lower when a lower-case letter, else CXS__TF_CAPS when two
             * upper-case letters or more */
            unsigned wmask = (1u << wl) - 1, lowb = w.lower & wmask, upb = w.upper & wmask;
            h.has_lower |= lowb != 0;
            uint8_t flags = (uint8_t)((unsigned)-(int)((lowb == 0) & ((upb & (upb - 1)) != 0)) &
                                      CXS__TF_CAPS);
            /* a key is masked to its length and holds no NUL: "or" is a key of two bytes */
            flags |= (uint8_t)((unsigned)-(int)(key == ('o' | ('r' << 8))) & CXS__TF_OR);
            uint64_t hash = cxs__hash_mix(0x2545F4914F6CDD1Dull, key);
            if (wl > 8)
                hash = cxs__hash_mix(hash, key2);
            hash = cxs__hash_final(hash, wl);
            const cxs__entry *e = NULL;
            unsigned use = 0;
            if (m) {
                /*
                 * Most words are in no entry and a clear filter bit says so from cache; the
                 * others mostly sit in their home slot, where a key of up to 8 bytes compares
                 * in the slot itself. Only a key of 9 bytes or more reads the string pool, and
                 * only a key not found at an occupied home slot probes on (rare).
                 */
                if (cxs__bit_test(m->word_bits, CXS__WORD_BITS, hash)) {
                    const cxs__slot *sl = wl <= 8 ? cxs__model_slot_short(m, key, wl, hash)
                                                  : cxs__model_slot_short2(m, key, key2, wl, hash);
                    if (sl) {
                        e = cxs__slot_entry(m, sl);
                        use = sl->use;
                    }
                }
            }
            size_t idx = h.n++;
            pick_token(t, &h, idx, 1, hash, !(flags & CXS__TF_OR), use);
            cxs__token *x = &v[idx];
            memcpy(norm + h.norm_len, &key, 8); /* the buffer keeps spare bytes past the key */
            memcpy(norm + h.norm_len + 8, &key2, 8);
            x->hash = hash;
            x->e = e;
            x->start = (uint32_t)i;
            x->end = (uint32_t)(i + wl);
            x->widx = (uint32_t)h.n_words++;
            x->norm = (uint32_t)h.norm_len;
            x->norm_len = (uint16_t)wl;
            x->kind = CXS__TK_WORD;
            x->flags = flags;
            x->num = 0;
            x->den = 0;
            h.norm_len += wl;
            i += wl + (end == ' '); /* and the space after it */
            continue;
        }
        unsigned pf = pfast[c];
        if (!pf || !(i + 1 == len || s[i + 1] == ' ' || pf == P_NL))
            break;
        size_t after = i + 1;
        uint8_t kind = pf == P_SENT || pf == P_NL ? CXS__TK_SENT_END
                       : pf == P_CLAUSE || (pf == P_DASH && i > 0 && s[i - 1] == ' ' &&
                                            after < len) /* " - " as a dash */
                           ? CXS__TK_CLAUSE
                           : 0;
        if (kind) {
            cxs__token *x = &v[h.n - (h.n > 0)];
            if (pf != P_SENT && h.n > 0 && x->kind == kind && x->end == i) {
                x->end = (uint32_t)after; /* runs of newlines, ",," */
            } else {
                size_t idx = h.n++;
                pick_token(t, &h, idx, 0, 0, 0, 0);
                x = &v[idx];
                x->hash = 0;
                x->e = NULL;
                x->start = (uint32_t)i;
                x->end = (uint32_t)after;
                x->widx = (uint32_t)h.n_words;
                x->norm = (uint32_t)h.norm_len;
                x->norm_len = 0;
                x->kind = kind;
                x->flags = 0;
                x->num = pf == P_SENT && c == '!' ? 1.0f : 0.0f;
                x->den = pf == P_SENT && c == '?' ? 1.0f : 0.0f;
            }
        }
        i = after + (after < len && s[after] == ' '); /* and the space after it */
    }
    *H = h;
    return i;
}

static int starts_url(const unsigned char *s, size_t n)
{
    if (n >= 7 && (s[0] | 0x20) == 'h' && (s[1] | 0x20) == 't' && (s[2] | 0x20) == 't' &&
        (s[3] | 0x20) == 'p') {
        if (s[4] == ':' && s[5] == '/' && s[6] == '/')
            return 1;
        if (n >= 8 && (s[4] | 0x20) == 's' && s[5] == ':' && s[6] == '/' && s[7] == '/')
            return 1;
    }
    if (n >= 5 && (s[0] | 0x20) == 'w' && (s[1] | 0x20) == 'w' && (s[2] | 0x20) == 'w' &&
        s[3] == '.' && is_alnum_c(s[4]))
        return 1;
    return 0;
}

static int url(tk *k, size_t i, size_t *next)
{
    size_t j = i;
    while (j < k->n && k->s[j] > ' ') {
        if (k->s[j] >= 0x80) { /* invalid UTF-8 inside a URL is still invalid UTF-8 */
            int32_t cp;
            size_t used;
            int rc = decode_at(k, j, &cp, &used);
            if (rc)
                return rc;
            if (cxs__cp_class(cp) == CXS__CP_SPACE)
                break;
            j += used;
            continue;
        }
        j++;
    }
    /* trailing sentence punctuation belongs to the sentence, not the URL */
    while (j > i + 1 && (k->s[j - 1] == '.' || k->s[j - 1] == ',' || k->s[j - 1] == ')' ||
                         k->s[j - 1] == '!' || k->s[j - 1] == '?'))
        j--;
    *next = j;
    return push_simple(k, CXS__TK_URL, i, j);
}

/* Parse digits with optional thousands separators and one decimal part. */
static size_t number_span(const unsigned char *s, size_t n, size_t i, double *val)
{
    size_t j = i;
    double v = 0;
    while (j < n) {
        if (cls[s[j]] == C_DIGIT) {
            v = v * 10 + (s[j] - '0');
            j++;
        } else if (s[j] == ',' && j > i && j + 3 < n && cls[s[j + 1]] == C_DIGIT &&
                   cls[s[j + 2]] == C_DIGIT && cls[s[j + 3]] == C_DIGIT &&
                   (j + 4 >= n || cls[s[j + 4]] != C_DIGIT)) {
            j++; /* 1,000 */
        } else {
            break;
        }
    }
    if (j + 1 < n && s[j] == '.' && cls[s[j + 1]] == C_DIGIT) {
        double f = 0.1;
        j++;
        while (j < n && cls[s[j]] == C_DIGIT) {
            v += (s[j] - '0') * f;
            f *= 0.1;
            j++;
        }
    }
    *val = v;
    return j;
}

static int number(tk *k, size_t i, size_t *next)
{
    const unsigned char *s = k->s;
    size_t n = k->n;
    double v;
    size_t j = number_span(s, n, i, &v);
    int rc;
    /* a rating "4/5", "10/10", "2 / 10" */
    size_t r = j;
    while (r < n && s[r] == ' ')
        r++;
    if (r < n && s[r] == '/' && r - j <= 1) {
        size_t d0 = r + 1;
        while (d0 < n && s[d0] == ' ' && d0 - r <= 1)
            d0++;
        if (d0 < n && cls[s[d0]] == C_DIGIT) {
            double den;
            size_t d1 = number_span(s, n, d0, &den);
            if ((den == 5 || den == 10 || den == 100) && v <= den &&
                (d1 >= n || !is_alnum_c(s[d1]))) {
                if ((rc = reserve_tok(k)))
                    return rc;
                cxs__token *x = push(k, CXS__TK_RATING, i, d1);
                x->num = (float)v;
                x->den = (float)den;
                *next = d1;
                return CXS_OK;
            }
        }
    }
    if ((rc = reserve_tok(k)) || (rc = reserve_norm(k, 32)))
        return rc;
    cxs__token *x = push(k, CXS__TK_NUMBER, i, j);
    x->num = (float)v;
    /* key: the digits as written (so "5 stars" can be a phrase); long numbers are not keys */
    size_t len = j - i;
    if (len <= 16) {
        size_t w = 0;
        for (size_t q = i; q < j; q++)
            if (s[q] != ',')
                k->t->norm[k->t->norm_len + w++] = (char)s[q];
        x->norm_len = (uint16_t)w;
        k->t->norm_len += w;
        key_done(k, x);
    }
    /* a unit glued on ("45min", "5-star") becomes its own word, marked attached */
    size_t u = j;
    if (u + 1 < n && s[u] == '-' && is_alpha_c(s[u + 1]))
        u++;
    if (u < n && is_alpha_c(s[u])) {
        size_t before = k->t->n;
        if ((rc = word(k, u, next)))
            return rc;
        if (k->t->n > before)
            k->t->v[k->t->n - 1].flags |= CXS__TF_ATTACHED;
        return CXS_OK;
    }
    *next = j;
    return CXS_OK;
}

/*
 * A hashtag: "#NeverAgain" -> never, again; "#customer_service" -> customer, service. Parts are
 * split at '_', at lower-to-upper changes and between letters and digits.
 */
static int hashtag(tk *k, size_t i, size_t *next)
{
    const unsigned char *s = k->s;
    size_t n = k->n, j = i + 1;
    while (j < n && (is_alnum_c(s[j]) || s[j] == '_'))
        j++;
    int letter_follows = 0;
    if (j < n && s[j] >= 0x80) {
        int32_t cp;
        int bad;
        cxs__utf8_decode(s + j, n - j, &cp, &bad);
        letter_follows = !bad && cxs__cp_class(cp) == CXS__CP_LETTER;
    }
    if (j == i + 1 && !letter_follows) { /* "#😍", "#" before a symbol: not a hashtag */
        *next = i + 1;
        return CXS_OK;
    }
    if (letter_follows) {
        /* "#café", "#customer_café": '_'-separated parts, each a word via the slow path */
        size_t p = i + 1;
        while (p < n) {
            if (s[p] == '_') {
                p++;
                continue;
            }
            int part = is_alnum_c(s[p]);
            if (!part && s[p] >= 0x80) {
                int32_t cp;
                int bad;
                cxs__utf8_decode(s + p, n - p, &cp, &bad);
                part = !bad && cxs__cp_class(cp) == CXS__CP_LETTER;
            }
            if (!part)
                break;
            size_t before = k->t->n, e;
            int rc = word(k, p, &e);
            if (rc)
                return rc;
            for (size_t q = before; q < k->t->n; q++)
                k->t->v[q].flags |= CXS__TF_HASHTAG;
            if (e <= p)
                break;
            p = e;
        }
        *next = p > i + 1 ? p : i + 1;
        return CXS_OK;
    }
    size_t p = i + 1;
    while (p < j) {
        while (p < j && s[p] == '_')
            p++;
        if (p >= j)
            break;
        size_t q = p + 1;
        while (q < j) {
            unsigned a = s[q - 1], b = s[q];
            if (b == '_')
                break;
            if (cls[a] == C_LOWER && cls[b] == C_UPPER)
                break;
            if (cls[a] == C_UPPER && cls[b] == C_UPPER && q + 1 < j && cls[s[q + 1]] == C_LOWER)
                break; /* "ABCDef" -> ABC, Def */
            if ((cls[a] == C_DIGIT) != (cls[b] == C_DIGIT))
                break;
            q++;
        }
        int rc;
        if ((rc = reserve_tok(k)) || (rc = reserve_norm(k, CXS__NORM_MAX + 8)))
            return rc;
        cxs__token *x = push(k, CXS__TK_WORD, p, q);
        x->flags = CXS__TF_HASHTAG;
        size_t len = q - p;
        if (len > CXS__NORM_MAX) {
            x->flags |= CXS__TF_LONG;
        } else {
            char *o = k->t->norm + k->t->norm_len;
            for (size_t r = 0; r < len; r++)
                o[r] = (char)(cls[s[p + r]] == C_UPPER ? s[p + r] | 0x20 : s[p + r]);
            x->norm_len = (uint16_t)len;
            k->t->norm_len += len;
            key_done(k, x);
        }
        p = q;
    }
    *next = j;
    return CXS_OK;
}

/* An emoji grapheme cluster from i (s[i] is its first byte). */
static int emoji(tk *k, size_t i, int32_t first, size_t first_len, size_t *next)
{
    int rc;
    if ((rc = reserve_tok(k)) || (rc = reserve_norm(k, CXS__NORM_MAX + 8)))
        return rc;
    cxs__token *x = push(k, CXS__TK_EMOJI, i, i + first_len);
    char *o = k->t->norm + k->t->norm_len;
    size_t w = cxs__utf8_encode(first, o);
    int32_t state = 0, prev = first;
    size_t j = i + first_len;
    while (j < k->n && k->s[j] >= 0x80) {
        int32_t cp;
        int bad;
        size_t used = cxs__utf8_decode(k->s + j, k->n - j, &cp, &bad);
        if (bad || cxs__grapheme_break(prev, cp, &state))
            break;
        if (cp == 0x200D)
            x->flags |= CXS__TF_ZWJ;
        if (cxs__cp_class(cp) != CXS__CP_DROP) {
            if (w + 4 <= CXS__NORM_MAX)
                w += cxs__utf8_encode(cp, o + w);
            else
                x->flags |= CXS__TF_LONG;
        }
        prev = cp;
        j += used;
    }
    if (x->flags & CXS__TF_LONG)
        w = 0;
    x->end = (uint32_t)j;
    x->norm_len = (uint16_t)w;
    k->t->norm_len += w;
    key_done(k, x);
    *next = j;
    return CXS_OK;
}

static int high(tk *k, size_t i, size_t *next)
{
    int32_t cp;
    size_t used;
    int rc = decode_at(k, i, &cp, &used);
    if (rc)
        return rc;
    *next = i + used;
    if (cp == CXS__REPLACEMENT)
        return CXS_OK; /* invalid bytes (or a literal U+FFFD) carry nothing */
    switch (cxs__cp_class(cp)) {
    case CXS__CP_LETTER:
        return word_slow(k, i, next);
    case CXS__CP_EMOJI:
        return emoji(k, i, cp, used, next);
    case CXS__CP_SENT_END:
        return push_boundary(k, CXS__TK_SENT_END, i, i + used);
    case CXS__CP_CLAUSE:
        return push_boundary(k, CXS__TK_CLAUSE, i, i + used);
    default:
        return CXS_OK;
    }
}

int cxs__tokenize(cxs__tokens *t, const cxs__alloc *a, const cxs__emo_set *emo,
                  const cxs_model *lex, const char *text, size_t len, int strict,
                  cxs_error *err)
{
    tk k = {t, a, emo, lex, (const unsigned char *)text, len, strict, err};
    t->text = text;
    t->len = len;
    t->n = 0;
    t->n_words = 0;
    t->norm_len = 0;
    t->has_lower = 0;
    t->bad_utf8 = 0;
    t->first_bad = 0;
    t->n_pick = 0;
    /* most texts need about one token per 5 bytes: reserve once, grow rarely */
    int rc = grow_tokens(t, a, len / 4 + 16);
    if (!rc)
        rc = cxs__grow(a, (void **)&t->norm, &t->norm_cap, len + CXS__NORM_MAX * 2, 1);
    if (rc)
        return cxs__error_set(err, rc, "<text>", 0, 0, "out of memory");
    const unsigned char *s = k.s;
    size_t i = 0;
    /* the fast word path reads 16 bytes at i: near the end it reads a zero-padded copy of
     * the last 32 bytes instead (and never takes a byte past the end as part of a word) */
    size_t tail_start = len > 32 ? len - 32 : 0;
    unsigned char tail[48];
    memset(tail, 0, sizeof tail);
    if (len)
        memcpy(tail, s + tail_start, len - tail_start);
    hot H;
    hot_load(&H, t);
    H.np = 0;
    H.pend = 0;
    H.pend_h = 0;
    H.pbits = lex ? lex->phrase_bits : no_phrase_bits;
    while (i < len) {
        if (CXS__UNLIKELY(H.norm_len + (len - i) + 16 > t->norm_cap)) {
            /* only a key longer than its word (case folding may lengthen) gets here */
            rc = cxs__grow(a, (void **)&t->norm, &t->norm_cap, H.norm_len + (len - i) + 16, 1);
            if (rc) {
                t->n_pick = 0; /* the list is not settled */
                return cxs__error_set(err, rc, "<text>", 0, 0, "out of memory");
            }
        }
        i = fast_run(&k, &H, i, tail, tail_start);
        if (i >= len)
            break;
        unsigned c = s[i];
        size_t next = i + 1;
        hot_store(&H, t);
        if (lmap[c] > '9' && (c | 0x20) != 'h' && (c | 0x20) != 'w' && i + 1 < len &&
            lmap[s[i + 1]]) {
            /* a word starting with two letters/digits: no URL, no emoticon */
            rc = word(&k, i, &next);
        } else switch (cls[c]) {
        case C_SPACE:
            break;
        case C_NL:
            rc = push_boundary(&k, CXS__TK_SENT_END, i, i + 1);
            break;
        case C_LOWER:
        case C_UPPER: {
            size_t e;
            if ((c | 0x20) == 'h' || (c | 0x20) == 'w') {
                if (starts_url(s + i, len - i)) {
                    rc = url(&k, i, &next);
                    break;
                }
            }
            /* letter-led emoticons ("t_t", "d:") only when punctuation follows */
            if (i + 1 < len && !is_alnum_c(s[i + 1]) && s[i + 1] > ' ' && s[i + 1] < 0x80 &&
                s[i + 1] != '\'' && s[i + 1] != '-' && (e = emoticon_at(&k, i)) != 0 &&
                (i == 0 || !is_alnum_c(s[i - 1]))) {
                rc = push_emoticon(&k, i, e);
                next = i + e;
                break;
            }
            rc = word(&k, i, &next);
            break;
        }
        case C_DIGIT:
            rc = number(&k, i, &next);
            break;
        case C_HASH:
            if (i + 1 < len && (is_alnum_c(s[i + 1]) || s[i + 1] >= 0x80))
                rc = hashtag(&k, i, &next);
            break;
        case C_AT:
            if (i + 1 < len && (is_alnum_c(s[i + 1]) || s[i + 1] == '_')) {
                size_t j = i + 1;
                while (j < len && (is_alnum_c(s[j]) || s[j] == '_' || s[j] == '.'))
                    j++;
                while (j > i + 1 && s[j - 1] == '.')
                    j--;
                rc = push_simple(&k, CXS__TK_MENTION, i, j);
                next = j;
            }
            break;
        case C_HIGH:
            rc = high(&k, i, &next);
            break;
        default: {
            size_t e = emoticon_at(&k, i);
            if (e) {
                rc = push_emoticon(&k, i, e);
                next = i + e;
            } else if (cls[c] == C_SENT) {
                rc = punct_sent(&k, i, &next);
            } else if (cls[c] == C_CLAUSE) {
                rc = push_boundary(&k, CXS__TK_CLAUSE, i, i + 1);
            } else if (c == '-' && i > 0 && s[i - 1] == ' ' && i + 1 < len &&
                       (s[i + 1] == ' ' || s[i + 1] == '-')) {
                rc = push_boundary(&k, CXS__TK_CLAUSE, i, i + 1); /* " - " as a dash */
            }
            break;
        }
        }
        if (rc) {
            t->n_pick = 0; /* the list is not settled */
            return rc == CXS_EUTF8 ? rc
                                   : cxs__error_set(err, rc, "<text>", 0, 0, "out of memory");
        }
        size_t from = H.n;
        hot_load(&H, t);
        pick_general(t, lex, from, &H);
        i = next;
    }
    hot_store(&H, t);
    t->n_pick = H.np; /* a word still waiting has no token after it: it is left off */
    return CXS_OK;
}

void cxs__tokens_free(cxs__tokens *t, const cxs__alloc *a)
{
    cxs__free(a, t->v, t->cap_v * sizeof *t->v);
    cxs__free(a, t->pick, t->cap_pick * sizeof *t->pick);
    cxs__free(a, t->norm, t->norm_cap);
    cxs__free(a, t->cps, t->cps_cap * sizeof *t->cps);
    memset(t, 0, sizeof *t);
}
