/*
 * model.h — the model: one open-addressing table of normalised terms, each with its roles
 * (valence, negator, booster, contrastive, irrealis, sarcasm cue, phrase prefix), and the
 * numeric settings of the scoring rules. Immutable once loaded.
 */
#ifndef CXS_MODEL_H
#define CXS_MODEL_H

#include "internal.h"
#include "token.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

enum cxs__role {
    CXS__R_VALENCE = 1u << 0,
    CXS__R_NEGATOR = 1u << 1,
    CXS__R_BOOSTER = 1u << 2,
    CXS__R_CONTRAST = 1u << 3,
    CXS__R_CONTRAST_LEAD = 1u << 4, /* opens the weaker clause ("although") */
    CXS__R_IRREALIS = 1u << 5,
    CXS__R_SARCASM = 1u << 6,
    CXS__R_TIME_UNIT = 1u << 7,   /* "minutes": amount = seconds per unit */
    CXS__R_NUMBER_WORD = 1u << 8, /* "two", "a couple of": amount = the number */
    CXS__R_WAIT_CUE = 1u << 9,    /* "waited", "took", "on hold": a nearby duration is a wait */
    CXS__R_SPEED_CUE = 1u << 10,  /* "in", "within": a duration right after is a speed */
    CXS__R_OTHER_CUE = 1u << 11,  /* "ago", "away", "every": a duration that is no wait */
    CXS__R_NEG_PHRASE = 1u << 12, /* a phrase opening with a negator ("no problems"): a
                                     negation already spent, which "or" carries on */
    CXS__R_CONCESSION = 1u << 13, /* "at least", "the only reason": the praise around it is a
                                     concession in a complaint */
    CXS__R_RESOLUTION = 1u << 14, /* "refunded", "sorted it out": a problem told before it was
                                     put right */
    CXS__R_MINOR = 1u << 15,      /* "my only complaint", "minor issue": the problems in its
                                     sentence are minor in a text that is otherwise content */
    CXS__R_INFO = 1u << 16,       /* "anyone know", "heads up": the text asks or informs */
    CXS__R_PROCESS_CUE = 1u << 18, /* "took about", "later": how long something took, told
                                      as an estimate or a timeline (weighs wait_process) */
    CXS__R_USUAL_CUE = 1u << 17   /* "which is normal", "usually takes": a duration in its
                                     sentence is called ordinary, no wait */
};

enum cxs__term_kind {
    CXS__K_WORD = 0,
    CXS__K_PHRASE,
    CXS__K_EMOJI,
    CXS__K_EMOTICON
};

typedef struct cxs__entry {
    uint32_t term;     /* offset in the string pool */
    uint16_t term_len;
    uint8_t kind;      /* cxs__term_kind */
    uint8_t words;     /* tokens in the term */
    uint8_t prefix;    /* longest continuation (in tokens) of a phrase this term begins */
    uint8_t theme;     /* customer-experience theme: index + 1 in the model's names, 0 none */
    uint32_t roles;    /* cxs__role bits (more than 16 of them) */
    float amount;      /* seconds of a time unit, value of a number word */
    float valence;
    float booster;     /* weight; < 0 dampens */
    float irrealis;    /* factor for the clause it opens */
    float before, after; /* contrastive weights */
    /* The customer-experience facts a term states. They are no roles: sentiment scoring
     * never sees them, and a term that has only these is no unit. */
    uint8_t channel;   /* where a nearby wait happened: cxs_channel + 1, 0 none (low 4 bits);
                          the longest continuation of a fact-only phrase this term begins
                          (CXS__CX_PREFIX_SHIFT): such phrases are kept out of `prefix`, so
                          sentiment matching never walks them */
    uint8_t cx;        /* intent (CXS__CX_INTENT_MASK: cxs_intent bit) and level cue
                          (CXS__CX_LEVEL_SHIFT: cxs_level + 1, 0 none) */
    uint16_t wait;     /* cxs__wait_word bits (section wait_context); in what was tail
                          padding, so the entry keeps its size */
} cxs__entry;

/*
 * The words the wait rules of cx.c read around a duration (section wait_context): whether it
 * is a wait the writer had, and on which channel. Facts like the channels: sentiment scoring
 * never sees them, and a word that has only these is in no filter and no unit.
 */
enum cxs__wait_word {
    CXS__W_PROMISE = 1u << 0, /* "promised", "said": a speed after it is promised, not had */
    CXS__W_TRIP = 1u << 1,    /* "drove", "walked": a duration right after it is a trip */
    CXS__W_END = 1u << 2,     /* "stopped", "broke": with CXS__W_AFTER, a lifetime */
    CXS__W_USE = 1u << 3,     /* "worked", "used": with CXS__W_AFTER or CXS__W_FOR, one */
    CXS__W_AFTER = 1u << 4,   /* "after": a duration right after it may be a lifetime */
    CXS__W_FOR = 1u << 5,     /* "for": the same, with a word of use only */
    CXS__W_JOIN = 1u << 6,    /* "and", "when": starts another predicate */
    CXS__W_COUNT = 1u << 7,   /* "twice": right after a contact channel, counts contacts */
    CXS__W_LENGTH = 1u << 8,  /* "long": a duration right before it is a length */
    CXS__W_LEAD = 1u << 9     /* "notice", "ahead": a duration right before it is a lead time */
};

#define CXS__CX_INTENT_MASK 0x0Fu
#define CXS__CX_CHANNEL_MASK 0x0Fu
#define CXS__CX_PREFIX_SHIFT 4
#define CXS__CX_LEVEL_SHIFT 4
#define CXS__MAX_THEMES 64    /* distinct theme names in a model */
#define CXS__THEME_NAME_MAX 32 /* bytes of a theme name, with its NUL */

/*
 * A table slot keeps what the tokenizer needs to settle a word without touching the entry
 * (whose load would miss the cache): the term's first bytes and length, and whether it has
 * roles or begins phrases.
 */
typedef struct cxs__slot {
    uint64_t key; /* the term's first 8 bytes, zero-padded (terms hold no NUL) */
    uint32_t idx; /* entry index + 1; 0 = empty */
    uint16_t tag; /* hash bits 48..63 */
    uint8_t len;  /* term length, 255 for 255 bytes or more */
    uint8_t use;  /* CXS__USE_* bits, filled at freeze */
} cxs__slot;

enum cxs__use {
    CXS__USE_ROLES = 1,  /* the entry has roles */
    CXS__USE_PREFIX = 2  /* the entry begins phrases */
};

#define CXS__WORD_BITS (1u << 17)
#define CXS__PHRASE_BITS (1u << 16)

static inline int cxs__bit_test(const uint64_t *bits, unsigned nbits, uint64_t h)
{
    unsigned b = (unsigned)(h >> 40) & (nbits - 1);
    return (bits[b >> 6] >> (b & 63)) & 1;
}

/* Numeric settings (section "settings"); names and defaults in model.c. */
typedef struct cxs__settings {
    double alpha;                /* compound = x / sqrt(x^2 + alpha) */
    double negation_scalar;      /* a negated positive term is multiplied by this */
    double negated_negative;     /* a negated negative term is multiplied by this */
    double negation_scope;       /* words after a negator that it reaches */
    double booster_decay2;       /* booster weight factor at distance 2 */
    double booster_decay3;       /* ... at distance 3 */
    double caps_boost;           /* ALL-CAPS emphasis */
    double elongation_boost;     /* "soooo good" */
    double exclaim_boost;        /* per '!' */
    double exclaim_max;          /* '!' counted at most */
    double question_boost;       /* per '?' when there are 2 or 3 */
    double question_max_boost;   /* for 4 or more */
    double irrealis_scope;       /* words after an irrealis marker that it reaches */
    double sarcasm_factor;       /* a positive term flipped by a sarcasm cue */
    double sentence_damping;     /* doc raw = sum / k^damping over sentences with sentiment */
    double last_sentence_weight; /* the closing sentence often carries the verdict */
    double rating_center;        /* a rating n/d scores (n/d - center) * scale */
    double rating_scale;
    double neutral_weight;       /* a neutral word's share in pos/neu/neg */
    double negative_weight;      /* negativity bias: negative terms weigh this much more */
    double question_factor;      /* sentiment of a question sentence is multiplied by this */
    double neutral_zone;         /* |raw| below this is neutral; above, it is reduced by it */
    double wait_base;            /* a stated wait of wait_minutes scores -wait_base ... */
    double wait_minutes;
    double wait_log;             /* ... and wait_log more per e-fold of its length */
    double wait_cap;             /* ... down to -wait_cap */
    double wait_uncued;          /* a long duration with no cue counts this share of a wait */
    double wait_process;         /* a duration after a process cue ("took") counts this share */
    double speed_valence;        /* "fixed in 10 minutes": a short duration after a speed cue */
    double speed_minutes;        /* the longest duration that still counts as fast */
    double concession_factor;    /* praise in a sentence with a concession marker */
    double resolved_factor;      /* a problem told before its resolution */
    double minor_factor;         /* a problem in a sentence with a minor-gripe marker */
    double baseline_max;         /* a text whose terms are all within this is neutral */
    double missed_need;          /* a negated baseline ("never arrived") scores -missed_need */
    double info_max;             /* a text that asks or informs, no term beyond this: neutral */
    /* response-time standards by channel, seconds (0: none): a longer wait is a breach */
    double standard_phone, standard_chat, standard_email, standard_social, standard_store,
        standard_delivery, standard_other;
    double delight_valence; /* a theme's clause with a term this positive is a delight */
} cxs__settings;

/*
 * A pattern (section patterns): a regular expression that states customer-experience facts
 * where it matches, as a term does where it stands ("order #\d{5,}" delivery, "\$\d+ for a"
 * price). Its entry holds only those facts (theme, channel, intent, level).
 */
typedef struct cxs__pattern {
    pcre2_code *code; /* compiled with the model's allocator (pcre_gctx) */
    char *src;        /* the expression as written, NUL-terminated (src_len + 1 bytes) */
    size_t src_len;
    cxs__entry e;
} cxs__pattern;

struct cxs_model {
    cxs__alloc alloc;
    /* patterns, in the order the files give them; the PCRE2 contexts that compile and match
     * them (the general one allocates through `alloc`; the match one bounds each match) */
    cxs__pattern *patterns;
    size_t n_patterns, cap_patterns;
    pcre2_general_context *pcre_gctx;
    pcre2_match_context *pcre_mctx;
    cxs__entry *entries;
    size_t n_entries, cap_entries;
    char *pool;
    size_t pool_len, pool_cap;
    cxs__slot *slots;
    size_t slot_mask; /* slots = slot_mask + 1, a power of two */
    cxs__settings settings;
    cxs__emo_set emo;
    /*
     * Filters in front of the table, filled at freeze: a bit per hash of every one-word term
     * and of every term of two words or more (phrases and their prefixes). Most words of a
     * text are in no entry and most phrase extensions fail; a clear bit (in 24 KB that stay
     * in cache) answers them without touching the table, whose probes miss the cache.
     */
    uint64_t word_bits[CXS__WORD_BITS / 64];
    uint64_t phrase_bits[CXS__PHRASE_BITS / 64];
    size_t counts[CXS_COUNT_PATTERNS + 1]; /* by cxs_count, filled at freeze */
    /* theme names in the order the themes section first names them (entry theme - 1) */
    char theme_names[CXS__MAX_THEMES][CXS__THEME_NAME_MAX];
    size_t n_themes;
    double damping[65]; /* k^sentence_damping for k <= 64, filled at freeze */
};

static inline uint16_t cxs__slot_tag(uint64_t h)
{
    return (uint16_t)(h >> 48);
}

/*
 * The probe every lookup by hash shares: from slot *i on, the next slot whose tag matches, or
 * NULL at the first empty slot (the term is absent). *i moves past the slot returned. The
 * finders below differ only in how they compare a candidate with what they look for.
 */
static inline const cxs__slot *cxs__probe(const cxs_model *m, size_t *i, uint16_t tag)
{
    for (;;) {
        const cxs__slot *s = &m->slots[*i];
        *i = (*i + 1) & m->slot_mask;
        if (s->idx == 0)
            return NULL;
        if (s->tag == tag)
            return s;
    }
}

static inline const cxs__entry *cxs__slot_entry(const cxs_model *m, const cxs__slot *s)
{
    return &m->entries[s->idx - 1];
}

/* The slot of a term (already normalised) whose cxs__term_hash is h. NULL if absent. */
static inline const cxs__slot *cxs__model_slot_h(const cxs_model *m, const char *key, size_t len,
                                                 uint64_t h)
{
    size_t i = (size_t)h & m->slot_mask;
    const cxs__slot *s;
    uint8_t slen = (uint8_t)(len < 255 ? len : 255);
    while ((s = cxs__probe(m, &i, cxs__slot_tag(h))) != NULL) {
        if (s->len != slen)
            continue;
        const cxs__entry *e = cxs__slot_entry(m, s);
        if (e->term_len == len && memcmp(m->pool + e->term, key, len) == 0)
            return s;
    }
    return NULL;
}

/* Find a term (already normalised) whose cxs__term_hash is h. NULL if absent. */
static inline const cxs__entry *cxs__model_find_h(const cxs_model *m, const char *key,
                                                  size_t len, uint64_t h)
{
    const cxs__slot *s = cxs__model_slot_h(m, key, len, h);
    return s ? cxs__slot_entry(m, s) : NULL;
}

/*
 * The slot of a term of 1..8 bytes held in a register, zero-padded: compared in the slot, so
 * neither the entry nor the string pool is read. NULL if absent.
 */
static inline const cxs__slot *cxs__model_slot_short(const cxs_model *m, uint64_t key,
                                                     size_t len, uint64_t h)
{
    size_t i = (size_t)h & m->slot_mask;
    for (;;) {
        const cxs__slot *s = &m->slots[i];
        if (s->key == key && s->len == len)
            return s;
        if (s->idx == 0)
            return NULL;
        i = (i + 1) & m->slot_mask;
    }
}

/*
 * The slot of a token key (followed by 8 readable bytes): keys of up to 8 bytes compare in the
 * slot with one masked load. NULL if absent.
 */
static inline const cxs__slot *cxs__model_slot_padded(const cxs_model *m, const char *key,
                                                      size_t len, uint64_t h)
{
    if (len > 8)
        return cxs__model_slot_h(m, key, len, h);
    uint64_t mask = len == 8 ? ~0ull : (1ull << (8 * len)) - 1;
    return cxs__model_slot_short(m, cxs__load8(key) & mask, len, h);
}

/* As cxs__model_find_h for a token key (followed by 8 readable bytes). */
static inline const cxs__entry *cxs__model_find_padded(const cxs_model *m, const char *key,
                                                       size_t len, uint64_t h)
{
    const cxs__slot *s = cxs__model_slot_padded(m, key, len, h);
    return s ? cxs__slot_entry(m, s) : NULL;
}

/*
 * As cxs__model_slot_short for a term of 9..15 bytes held in two registers (key2 its bytes
 * from 8 on, zero-padded): only a slot whose first 8 bytes and length match reads the pool.
 * A loop of its own, not slot_short with a tail test: one probe loop for both lengths costs
 * the tokenizer 2.6% more instructions per text (callgrind, cxsent-bench).
 */
static inline const cxs__slot *cxs__model_slot_short2(const cxs_model *m, uint64_t key,
                                                      uint64_t key2, size_t len, uint64_t h)
{
    uint64_t mask2 = (1ull << (8 * (len - 8))) - 1;
    size_t i = (size_t)h & m->slot_mask;
    for (;;) {
        const cxs__slot *s = &m->slots[i];
        if (s->key == key && s->len == len) {
            const char *p = m->pool + cxs__slot_entry(m, s)->term; /* 8 spare bytes at the end */
            if ((cxs__load8(p + 8) & mask2) == key2)
                return s;
        }
        if (s->idx == 0)
            return NULL;
        i = (i + 1) & m->slot_mask;
    }
}

/*
 * The slot of a token key (followed by 8 readable bytes), after the word filter (most words
 * are in no entry: a clear bit answers them from cache); NULL if the key is in no entry.
 */
static inline const cxs__slot *cxs__model_find_key(const cxs_model *m, const char *key,
                                                   size_t len, uint64_t h)
{
    if (!cxs__bit_test(m->word_bits, CXS__WORD_BITS, h))
        return NULL;
    return cxs__model_slot_padded(m, key, len, h);
}

/* Find a term (already normalised). NULL if absent. */
const cxs__entry *cxs__model_find(const cxs_model *m, const char *key, size_t len);

/* Whether entry e is the phrase made of the keys of tokens v[0..n), joined by single spaces. */
static inline int cxs__phrase_equal(const cxs_model *m, const cxs__entry *e,
                                    const cxs__tokens *t, const cxs__token *v, size_t n)
{
    if (e->words != n)
        return 0;
    const char *p = m->pool + e->term, *end = p + e->term_len;
    for (size_t w = 0; w < n; w++) {
        size_t len = v[w].norm_len;
        if ((size_t)(end - p) < len || memcmp(p, cxs__tok_key(t, &v[w]), len) != 0)
            return 0;
        p += len;
        if (w + 1 < n) {
            if (p >= end || *p != ' ')
                return 0;
            p++;
        }
    }
    return p == end;
}

/*
 * Find the phrase made of tokens v[0..n) (n >= 2), whose combined hash is h: the probe touches
 * only the slots unless the tag matches, and then the words are compared one by one.
 */
static inline const cxs__entry *cxs__model_probe_tokens(const cxs_model *m, const cxs__tokens *t,
                                                        const cxs__token *v, size_t n,
                                                        uint64_t h)
{
    size_t i = (size_t)h & m->slot_mask;
    const cxs__slot *s;
    while ((s = cxs__probe(m, &i, cxs__slot_tag(h))) != NULL)
        if (cxs__phrase_equal(m, cxs__slot_entry(m, s), t, v, n))
            return cxs__slot_entry(m, s);
    return NULL;
}

/* As cxs__model_probe_tokens, behind the phrase filter (which holds the phrases that score). */
static inline const cxs__entry *cxs__model_find_tokens(const cxs_model *m, const cxs__tokens *t,
                                                       const cxs__token *v, size_t n,
                                                       uint64_t h)
{
    if (!cxs__bit_test(m->phrase_bits, CXS__PHRASE_BITS, h))
        return NULL;
    return cxs__model_probe_tokens(m, t, v, n, h);
}

#endif
