/*
 * token.h — the tokenizer: UTF-8 text to tokens with byte spans and normalised keys.
 *
 * Words keep inner apostrophes (' and U+2019 become ') and hyphens; hashtags are split into
 * words; @mentions and URLs are recognised (and never scored); numbers carry their value and a
 * following unit is its own word; ratings such as 4/5 become one token; emoji are whole grapheme
 * clusters; emoticons come from the model's emoticon set. Punctuation runs become one token that
 * marks a sentence or clause boundary.
 */
#ifndef CXS_TOKEN_H
#define CXS_TOKEN_H

#include "internal.h"

#define CXS__NORM_MAX 64 /* longest normalised key kept for a token, bytes */

enum cxs__tok_kind {
    CXS__TK_WORD = 1,
    CXS__TK_NUMBER,
    CXS__TK_RATING,   /* num/den, e.g. 4/5, 10/10 */
    CXS__TK_EMOJI,
    CXS__TK_EMOTICON,
    CXS__TK_URL,
    CXS__TK_MENTION,
    CXS__TK_SENT_END, /* . ! ? … newline: num = count of '!', den = count of '?' */
    CXS__TK_CLAUSE    /* , ; : ( ) dashes */
};

enum cxs__tok_flag {
    CXS__TF_CAPS = 1u << 0,     /* ALL-CAPS word of two letters or more */
    CXS__TF_ELONG = 1u << 1,    /* a letter repeated 3+ times; key keeps 2 */
    CXS__TF_HASHTAG = 1u << 2,  /* a part of a hashtag */
    CXS__TF_LONG = 1u << 3,     /* longer than CXS__NORM_MAX: key truncated, never looked up */
    CXS__TF_ATTACHED = 1u << 4, /* a unit glued to the number before it ("45min") */
    CXS__TF_ZWJ = 1u << 5,      /* an emoji ZWJ sequence */
    CXS__TF_NT = 1u << 6,       /* a word ending in n't: negates like a negator */
    CXS__TF_OR = 1u << 7        /* the word "or": carries a negation on */
};

struct cxs__entry;

typedef struct cxs__token {
    uint64_t hash;       /* cxs__hash of the key (0 when there is no key) */
    const struct cxs__entry *e; /* the lexicon entry of the key, when a lexicon was given */
    uint32_t start, end; /* byte span [start, end) in the text */
    uint32_t widx;       /* word tokens before this one (scopes count words) */
    uint32_t norm;       /* offset of the key in the norm buffer */
    uint16_t norm_len;
    uint8_t kind;
    uint8_t flags;
    float num, den; /* numbers and ratings; punctuation counts */
} cxs__token;

/* How the tokenizer recognises emoticons: a set built from the model's lexicon. */
typedef struct cxs__emo_set {
    uint8_t start[32];  /* bitset of possible first bytes */
    unsigned max_len;   /* longest emoticon, bytes */
    int (*find)(const void *ctx, const char *lower, size_t len); /* 1 if an emoticon */
    const void *ctx;
} cxs__emo_set;

typedef struct cxs__tokens {
    const char *text; /* the text last tokenized (borrowed, valid during analysis) */
    size_t len;       /* its bytes */
    cxs__token *v;
    size_t n, cap;         /* cap: tokens both v and pick can hold */
    size_t cap_v, cap_pick; /* their allocations */
    char *norm;
    size_t norm_len, norm_cap;
    int32_t *cps; /* scratch code points for the non-ASCII path */
    size_t cps_cap;
    size_t n_words;     /* word tokens (words, numbers, ratings, emoji, emoticons) */
    uint32_t *pick;     /* indexes of the tokens the matcher must visit (every token but a
                           plain word that no entry or phrase can use; a superset is harmless) */
    size_t n_pick;
    int has_lower;      /* the text has a lower-case letter (for the caps rule) */
    size_t bad_utf8;    /* invalid sequences read as U+FFFD */
    size_t first_bad;   /* byte offset of the first one */
} cxs__tokens;

/*
 * Tokenize text into t (buffers are reused and grown through a). With strict, invalid UTF-8
 * fails with CXS_EUTF8 and err->offset. emo may be NULL (no emoticons). With a lexicon, every
 * key is looked up as it is made, while it is still in registers, and the token keeps its
 * entry (the matcher then only visits tokens that can matter); lex may be NULL.
 */
int cxs__tokenize(cxs__tokens *t, const cxs__alloc *a, const cxs__emo_set *emo,
                  const struct cxs_model *lex, const char *text, size_t len, int strict,
                  cxs_error *err);

void cxs__tokens_free(cxs__tokens *t, const cxs__alloc *a);

/* Token kinds that have keys (and so can continue a phrase). */
#define CXS__KEY_KINDS                                                                         \
    ((1u << CXS__TK_WORD) | (1u << CXS__TK_NUMBER) | (1u << CXS__TK_EMOJI) |                  \
     (1u << CXS__TK_EMOTICON))

/* Flags that make a word worth the matcher's visit whatever its entry (fallback keys,
 * negation): the pick list and the matcher agree on them. */
#define CXS__TF_VISIT (CXS__TF_ELONG | CXS__TF_ZWJ | CXS__TF_NT | CXS__TF_OR)

/* Whether a token has a key the lexicon may hold (and so can continue a phrase). */
static inline int cxs__tok_keyed(const cxs__token *t)
{
    return ((CXS__KEY_KINDS >> t->kind) & 1u) && t->norm_len > 0 && !(t->flags & CXS__TF_LONG);
}

static inline const char *cxs__tok_key(const cxs__tokens *t, const cxs__token *k)
{
    return t->norm + k->norm;
}

#endif
