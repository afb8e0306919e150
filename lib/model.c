/*
 * model.c — loading, merging and querying models (format: data/README.md).
 *
 * Every term is normalised by the tokenizer itself, so a lexicon entry and a token of text
 * can never disagree about case, apostrophes or emoji variation selectors.
 */
#include "model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_INCLUDE_DEPTH 8
#define MAX_PHRASE_WORDS 8

extern const unsigned char cxs__default_model_data[];
extern const size_t cxs__default_model_size;

/* ---- settings --------------------------------------------------------------------------- */

typedef struct setting_def {
    const char *name;
    size_t offset;
    double def, lo, hi;
} setting_def;

#define S(name, def, lo, hi) {#name, offsetof(cxs__settings, name), def, lo, hi}
static const setting_def setting_defs[] = {
    S(alpha, 15.0, 0.1, 1000.0),
    S(negation_scalar, -0.74, -2.0, 0.0),
    S(negated_negative, -0.4, -2.0, 0.0),
    S(negation_scope, 3.0, 0.0, 10.0),
    S(booster_decay2, 0.95, 0.0, 1.0),
    S(booster_decay3, 0.9, 0.0, 1.0),
    S(caps_boost, 0.733, 0.0, 4.0),
    S(elongation_boost, 0.3, 0.0, 4.0),
    S(exclaim_boost, 0.292, 0.0, 4.0),
    S(exclaim_max, 4.0, 0.0, 20.0),
    S(question_boost, 0.18, 0.0, 4.0),
    S(question_max_boost, 0.96, 0.0, 4.0),
    S(irrealis_scope, 4.0, 0.0, 10.0),
    S(sarcasm_factor, -0.7, -2.0, 1.0),
    S(sentence_damping, 0.5, 0.0, 1.0),
    S(last_sentence_weight, 1.0, 0.0, 4.0),
    S(rating_center, 0.6, 0.0, 1.0),
    S(rating_scale, 8.0, 0.0, 20.0),
    S(neutral_weight, 1.0, 0.0, 4.0),
    S(negative_weight, 1.0, 0.1, 4.0),
    S(question_factor, 1.0, 0.0, 2.0),
    S(neutral_zone, 0.0, 0.0, 4.0),
    S(wait_base, 0.8, 0.0, 4.0),
    S(wait_minutes, 10.0, 0.1, 100000.0),
    S(wait_log, 0.55, 0.0, 4.0),
    S(wait_cap, 2.5, 0.0, 4.0),
    S(wait_uncued, 0.5, 0.0, 1.0),
    S(wait_process, 1.0, 0.0, 1.0),
    S(speed_valence, 1.0, 0.0, 4.0),
    S(speed_minutes, 15.0, 0.0, 100000.0),
    S(concession_factor, 1.0, -2.0, 1.0),
    S(resolved_factor, 1.0, 0.0, 1.0),
    S(minor_factor, 1.0, 0.0, 1.0),
    S(baseline_max, 0.0, 0.0, 4.0),
    S(missed_need, 0.0, 0.0, 4.0),
    S(info_max, 0.0, 0.0, 4.0),
    S(standard_phone, 60.0, 0.0, 1e9),
    S(standard_chat, 60.0, 0.0, 1e9),
    S(standard_email, 86400.0, 0.0, 1e9),
    S(standard_social, 3600.0, 0.0, 1e9),
    S(standard_store, 900.0, 0.0, 1e9),
    S(standard_delivery, 432000.0, 0.0, 1e9),
    S(standard_other, 0.0, 0.0, 1e9),
    S(delight_valence, 3.0, 0.0, 4.0),
};
#undef S

static void settings_default(cxs__settings *s)
{
    for (size_t i = 0; i < sizeof setting_defs / sizeof *setting_defs; i++)
        *(double *)(void *)((char *)s + setting_defs[i].offset) = setting_defs[i].def;
}

/* ---- table ------------------------------------------------------------------------------ */

const cxs__entry *cxs__model_find(const cxs_model *m, const char *key, size_t len)
{
    return cxs__model_find_h(m, key, len, cxs__term_hash(key, len));
}

/* Fill the slot of entry k, whose term hashes to h (the use bits come at freeze). */
static void slot_fill(cxs__slot *s, const cxs_model *m, size_t k, uint64_t h)
{
    const cxs__entry *e = &m->entries[k];
    uint64_t key = 0;
    memcpy(&key, m->pool + e->term, e->term_len < 8 ? e->term_len : 8);
    s->key = key;
    s->idx = (uint32_t)(k + 1);
    s->tag = cxs__slot_tag(h);
    s->len = (uint8_t)(e->term_len < 255 ? e->term_len : 255);
    s->use = 0;
}

static int table_rehash(cxs_model *m, size_t nslots)
{
    cxs__slot *ns = cxs__calloc(&m->alloc, nslots, sizeof *ns);
    if (!ns)
        return CXS_ENOMEM;
    size_t mask = nslots - 1;
    for (size_t k = 0; k < m->n_entries; k++) {
        const cxs__entry *e = &m->entries[k];
        uint64_t h = cxs__term_hash(m->pool + e->term, e->term_len);
        size_t i = (size_t)h & mask;
        while (ns[i].idx)
            i = (i + 1) & mask;
        slot_fill(&ns[i], m, k, h);
    }
    cxs__free(&m->alloc, m->slots, (m->slot_mask + 1) * sizeof *m->slots);
    m->slots = ns;
    m->slot_mask = mask;
    return CXS_OK;
}

/* Find or insert a term; *out points at its entry (valid until the next insert). */
static int table_get(cxs_model *m, const char *key, size_t len, cxs__entry **out)
{
    cxs__entry *e = (cxs__entry *)cxs__model_find(m, key, len);
    if (e) {
        *out = e;
        return CXS_OK;
    }
    if ((m->n_entries + 1) * 2 > m->slot_mask + 1) {
        int rc = table_rehash(m, (m->slot_mask + 1) * 2);
        if (rc)
            return rc;
    }
    int rc = cxs__grow(&m->alloc, (void **)&m->entries, &m->cap_entries, m->n_entries + 1,
                       sizeof *m->entries);
    if (!rc)
        rc = cxs__grow(&m->alloc, (void **)&m->pool, &m->pool_cap, m->pool_len + len + 1 + 8, 1);
    if (rc)
        return rc;
    e = &m->entries[m->n_entries];
    memset(e, 0, sizeof *e);
    e->term = (uint32_t)m->pool_len;
    e->term_len = (uint16_t)len;
    memcpy(m->pool + m->pool_len, key, len);
    m->pool[m->pool_len + len] = '\0';
    m->pool_len += len + 1;
    uint64_t h = cxs__term_hash(key, len);
    size_t i = (size_t)h & m->slot_mask;
    while (m->slots[i].idx)
        i = (i + 1) & m->slot_mask;
    slot_fill(&m->slots[i], m, m->n_entries, h);
    m->n_entries++;
    *out = e;
    return CXS_OK;
}

static int pcre_contexts(cxs_model *m);
static void patterns_free(cxs_model *m);

static cxs_model *model_new(const cxs_allocator *alloc)
{
    cxs__alloc a;
    cxs__alloc_init(&a, alloc);
    cxs_model *m = cxs__calloc(&a, 1, sizeof *m);
    if (!m)
        return NULL;
    m->alloc = a;
    settings_default(&m->settings);
    m->slots = cxs__calloc(&a, 1024, sizeof *m->slots);
    if (!m->slots) {
        cxs__free(&a, m, sizeof *m);
        return NULL;
    }
    m->slot_mask = 1023;
    if (pcre_contexts(m)) {
        cxs_model_free(m);
        return NULL;
    }
    return m;
}

void cxs_model_free(cxs_model *m)
{
    if (!m)
        return;
    patterns_free(m); /* their blocks are released through m->alloc: before m goes */
    cxs__alloc a = m->alloc;
    cxs__free(&a, m->entries, m->cap_entries * sizeof *m->entries);
    cxs__free(&a, m->pool, m->pool_cap);
    cxs__free(&a, m->slots, (m->slot_mask + 1) * sizeof *m->slots);
    cxs__free(&a, m, sizeof *m);
}

/* ---- parsing ---------------------------------------------------------------------------- */

/* Whether the field f (n bytes) is the keyword w. */
static int field_is(const char *f, size_t n, const char *w)
{
    return n == strlen(w) && memcmp(f, w, n) == 0;
}

enum section {
    SEC_NONE = 0,
    SEC_LEXICON,
    SEC_NEGATORS,
    SEC_BOOSTERS,
    SEC_CONTRASTIVES,
    SEC_IRREALIS,
    SEC_SARCASM,
    SEC_SETTINGS,
    SEC_TIME_UNITS,
    SEC_NUMBER_WORDS,
    SEC_DURATION_CUES,
    SEC_MARKERS,
    SEC_THEMES,
    SEC_CHANNELS,
    SEC_INTENTS,
    SEC_LEVELS,
    SEC_WAIT_CONTEXT,
    SEC_PATTERNS,
    SEC_LAST = SEC_PATTERNS
};

static const char *const section_names[] = {
    NULL,       "lexicon",    "negators",     "boosters",      "contrastives", "irrealis",
    "sarcasm",  "settings",   "time_units",   "number_words",  "duration_cues",
    "markers",  "themes",     "channels",     "intents",       "levels",       "wait_context",
    "patterns"};

/* The intent of bit i, named as the public name function names it. */
static const char *intent_at(int i)
{
    return cxs_intent_name(1u << i);
}

/*
 * The value i whose name is the keyword f (n bytes), or -1: the field values of the
 * customer-experience sections are the names the public functions give (cxs_channel_name,
 * cxs_level_name, intent_at), so the loader and the JSON output spell them alike.
 */
static int keyword_index(const char *(*name)(int), const char *f, size_t n)
{
    for (int i = 0; i < 16; i++)
        if (field_is(f, n, name(i)))
            return i;
    return -1;
}

/* A theme name: 1..31 bytes of a-z, 0-9 and '_', starting with a letter. */
static int valid_theme_name(const char *f, size_t n)
{
    if (n == 0 || n >= CXS__THEME_NAME_MAX || f[0] < 'a' || f[0] > 'z')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((f[i] >= 'a' && f[i] <= 'z') || (f[i] >= '0' && f[i] <= '9') || f[i] == '_'))
            return 0;
    return 1;
}

/* The kinds of a wait_context word (cxs__wait_word), as the section spells them. */
static const struct wait_kind {
    const char *name;
    unsigned bit;
} wait_kinds[] = {
    {"promise", CXS__W_PROMISE},      {"trip", CXS__W_TRIP},
    {"lifetime-end", CXS__W_END},     {"lifetime-use", CXS__W_USE},
    {"lifetime-after", CXS__W_AFTER}, {"lifetime-for", CXS__W_FOR},
    {"join", CXS__W_JOIN},            {"count", CXS__W_COUNT},
    {"length", CXS__W_LENGTH},        {"lead", CXS__W_LEAD},
};

/*
 * The bits of a wait_context value f (n bytes): one kind or several joined by ','
 * ("lifetime-end,lifetime-use"). Returns 0 with *bad the byte offset of the kind that is not
 * one (an empty one too).
 */
static unsigned wait_kind_bits(const char *f, size_t n, size_t *bad)
{
    unsigned bits = 0;
    for (size_t at = 0;;) {
        const char *comma = memchr(f + at, ',', n - at);
        size_t end = comma ? (size_t)(comma - f) : n, k = 0;
        while (k < sizeof wait_kinds / sizeof *wait_kinds &&
               !field_is(f + at, end - at, wait_kinds[k].name))
            k++;
        if (k == sizeof wait_kinds / sizeof *wait_kinds) {
            *bad = at;
            return 0;
        }
        bits |= wait_kinds[k].bit;
        if (!comma)
            return bits;
        at = end + 1;
    }
}

typedef struct parser {
    cxs_model *m;
    cxs__tokens toks; /* scratch for normalising terms */
    cxs_error *err;
    int section;
    char source[64];
    size_t line;
    int depth;
} parser;

static int perr(parser *p, size_t column, const char *fmt, const char *detail)
{
    char msg[160];
    snprintf(msg, sizeof msg, fmt, detail);
    return cxs__error_set(p->err, CXS_EPARSE, p->source, p->line, column, "%s", msg);
}

/* Locale-independent decimal: [-+]digits[.digits]. Returns 1 on success. */
static int parse_num(const char *s, size_t n, double *out)
{
    size_t i = 0;
    int neg = 0, digits = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    double v = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 12) {
        v = v * 10 + (s[i++] - '0');
        digits++;
    }
    if (i < n && s[i] == '.') {
        i++;
        double f = 0.1;
        int fd = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && fd < 12) {
            v += (s[i++] - '0') * f;
            f /= 10;
            fd++;
        }
        digits += fd;
    }
    if (!digits || i != n)
        return 0;
    *out = neg ? -v : v;
    return 1;
}

/* An ASCII term without spaces that is not a plain word is an emoticon (":)", "<3", "t_t"). */
static int is_emoticon_term(const char *s, size_t n)
{
    int plain = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || c <= ' ')
            return 0;
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        int inner = (c == '\'' || c == '-') && i > 0 && i + 1 < n;
        if (!alnum && !inner)
            plain = 0;
    }
    return !plain;
}

/*
 * Normalise a term into key (cap bytes) the way text is tokenized. Returns the key length,
 * or 0 with *why set when the term is not a sequence of words, numbers and emoji.
 */
static size_t normalise_term(cxs__tokens *toks, const cxs__alloc *a, const char *term,
                             size_t n, char *key, size_t cap, int *kind, int *words,
                             const char **why)
{
    if (n && is_emoticon_term(term, n)) {
        if (n < 2 || n > 15) {
            *why = "an emoticon has 2 to 15 characters";
            return 0;
        }
        for (size_t i = 0; i < n; i++)
            key[i] = (char)(term[i] >= 'A' && term[i] <= 'Z' ? term[i] | 0x20 : term[i]);
        *kind = CXS__K_EMOTICON;
        *words = 1;
        return n;
    }
    int trc = cxs__tokenize(toks, a, NULL, NULL, term, n, 1, NULL);
    if (trc != CXS_OK) {
        *why = trc == CXS_ENOMEM ? NULL : "invalid UTF-8";
        return 0;
    }
    if (toks->n == 0) {
        *why = "no word in the term";
        return 0;
    }
    if (toks->n > MAX_PHRASE_WORDS) {
        *why = "a phrase has at most 8 words";
        return 0;
    }
    size_t len = 0;
    for (size_t i = 0; i < toks->n; i++) {
        const cxs__token *t = &toks->v[i];
        if ((t->kind != CXS__TK_WORD && t->kind != CXS__TK_NUMBER && t->kind != CXS__TK_EMOJI) ||
            t->norm_len == 0 || (t->flags & (CXS__TF_LONG | CXS__TF_HASHTAG))) {
            *why = "the term does not tokenize as words, numbers or emoji";
            return 0;
        }
        if (len + t->norm_len + 1 > cap) {
            *why = "the term is too long";
            return 0;
        }
        if (i)
            key[len++] = ' ';
        memcpy(key + len, cxs__tok_key(toks, t), t->norm_len);
        len += t->norm_len;
    }
    *words = (int)toks->n;
    *kind = toks->n > 1 ? CXS__K_PHRASE
                        : toks->v[0].kind == CXS__TK_EMOJI ? CXS__K_EMOJI : CXS__K_WORD;
    return len;
}

/* Split a line at TABs into at most max fields; returns the count. */
static size_t split_tabs(const char *s, size_t n, const char **f, size_t *fl, size_t *fc,
                         size_t max)
{
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '\t') {
            if (k < max) {
                f[k] = s + start;
                fl[k] = i - start;
                fc[k] = start + 1;
            }
            k++;
            start = i + 1;
        }
    }
    return k;
}

static int is_none(const char *s, size_t n)
{
    return n == 4 && memcmp(s, "none", 4) == 0;
}

/* The index + 1 of theme name f (n bytes), which gets the next index when first named; -1
 * (with p->err set) for a bad name or one past the 64th. */
static int theme_index(parser *p, const char *f, size_t n, size_t column)
{
    cxs_model *m = p->m;
    if (!valid_theme_name(f, n)) {
        perr(p, column, "%s", "a theme name is 1 to 31 of a-z, 0-9 and _, starting with a letter");
        return -1;
    }
    size_t t = 0;
    while (t < m->n_themes && !field_is(f, n, m->theme_names[t]))
        t++;
    if (t == m->n_themes) {
        if (t == CXS__MAX_THEMES) {
            perr(p, column, "%s", "more than 64 theme names");
            return -1;
        }
        memcpy(m->theme_names[t], f, n);
        m->theme_names[t][n] = '\0';
        m->n_themes++;
    }
    return (int)t + 1;
}

/*
 * The value of a customer-experience fact: f (n bytes, at column) in section sec (themes,
 * channels, intents, levels) as *value, a theme's index + 1 (the theme is named now, if new)
 * or the keyword's index. CXS_OK, or CXS_EPARSE with p->err set. The terms of those sections
 * and the patterns that state the same facts (parse_pattern) read their values here.
 */
static int fact_value(parser *p, int sec, const char *f, size_t n, size_t column, int *value)
{
    const char *why = NULL;
    switch (sec) {
    case SEC_THEMES:
        *value = theme_index(p, f, n, column);
        return *value < 0 ? CXS_EPARSE : CXS_OK;
    case SEC_CHANNELS:
        *value = keyword_index(cxs_channel_name, f, n);
        why = "the channel must be phone, chat, email, social, store, delivery or other, or none";
        break;
    case SEC_INTENTS:
        *value = keyword_index(intent_at, f, n);
        why = "the intent must be complaint, churn, return or recommend, or none";
        break;
    default: /* SEC_LEVELS */
        *value = keyword_index(cxs_level_name, f, n);
        why = "the level must be baseline, delight or failure, or none";
        break;
    }
    return *value < 0 ? perr(p, column, "%s", why) : CXS_OK;
}

/* Set (or with remove, clear) the fact of section sec on entry e to a fact_value() value. */
static void fact_apply(cxs__entry *e, int sec, int remove, int value)
{
    switch (sec) {
    case SEC_THEMES:
        e->theme = (uint8_t)(remove ? 0 : value);
        break;
    case SEC_CHANNELS: /* the high bits keep a fact-only phrase's continuation */
        e->channel = (uint8_t)((e->channel & ~CXS__CX_CHANNEL_MASK) |
                               (remove ? 0u : (unsigned)(value + 1)));
        break;
    case SEC_INTENTS:
        e->cx = (uint8_t)((e->cx & ~CXS__CX_INTENT_MASK) | (remove ? 0u : 1u << value));
        break;
    default: /* SEC_LEVELS */
        e->cx = (uint8_t)((e->cx & CXS__CX_INTENT_MASK) |
                          (remove ? 0u : (unsigned)(value + 1) << CXS__CX_LEVEL_SHIFT));
        break;
    }
}

/* ---- patterns ----------------------------------------------------------------------------- */

/*
 * PCRE2 allocates through the model's hooks. It frees without a size, which the hooks need,
 * so each block keeps its size in a header of 16 bytes (the alignment malloc gives).
 */
#define PCRE_HEADER 16

static void *pcre_alloc(size_t size, void *data)
{
    if (size > SIZE_MAX - PCRE_HEADER)
        return NULL;
    unsigned char *b = cxs__malloc(data, size + PCRE_HEADER);
    if (!b)
        return NULL;
    memcpy(b, &size, sizeof size);
    return b + PCRE_HEADER;
}

static void pcre_release(void *ptr, void *data)
{
    if (!ptr)
        return;
    unsigned char *b = (unsigned char *)ptr - PCRE_HEADER;
    size_t size;
    memcpy(&size, b, sizeof size);
    cxs__free(data, b, size + PCRE_HEADER);
}

/*
 * Bounds on one match of a pattern (PCRE2's own defaults are ten million steps): a pattern
 * that backtracks badly on some text gives up on that text instead of stalling the analyzer.
 */
#define PATTERN_MATCH_LIMIT 200000u
#define PATTERN_DEPTH_LIMIT 5000u

/* The PCRE2 contexts of model m, which allocate through m->alloc. */
static int pcre_contexts(cxs_model *m)
{
    m->pcre_gctx = pcre2_general_context_create(pcre_alloc, pcre_release, &m->alloc);
    m->pcre_mctx = m->pcre_gctx ? pcre2_match_context_create(m->pcre_gctx) : NULL;
    if (!m->pcre_mctx)
        return CXS_ENOMEM;
    pcre2_set_match_limit(m->pcre_mctx, PATTERN_MATCH_LIMIT);
    pcre2_set_depth_limit(m->pcre_mctx, PATTERN_DEPTH_LIMIT);
    return CXS_OK;
}

static void pattern_free(cxs_model *m, cxs__pattern *pt)
{
    pcre2_code_free(pt->code);
    cxs__free(&m->alloc, pt->src, pt->src_len + 1);
}

static void patterns_free(cxs_model *m)
{
    for (size_t i = 0; i < m->n_patterns; i++)
        pattern_free(m, &m->patterns[i]);
    cxs__free(&m->alloc, m->patterns, m->cap_patterns * sizeof *m->patterns);
    pcre2_match_context_free(m->pcre_mctx);
    pcre2_general_context_free(m->pcre_gctx);
    m->patterns = NULL;
    m->n_patterns = m->cap_patterns = 0;
    m->pcre_mctx = NULL;
    m->pcre_gctx = NULL;
}

/*
 * Compile expression src (n bytes) for model m: case-insensitive, Unicode-aware (\w, \b and
 * case folding beyond ASCII), and safe on text with invalid UTF-8 (the analyzer keeps such
 * text as it is). Returns the code, or NULL with *errcode (a PCRE2 compile error) and *erroff.
 */
static pcre2_code *pattern_compile(cxs_model *m, const char *src, size_t n, int *errcode,
                                   PCRE2_SIZE *erroff)
{
    pcre2_compile_context *cc = pcre2_compile_context_create(m->pcre_gctx);
    if (!cc) {
        *errcode = PCRE2_ERROR_HEAP_FAILED;
        *erroff = 0;
        return NULL;
    }
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)src, n,
                                     PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS |
                                         PCRE2_MATCH_INVALID_UTF,
                                     errcode, erroff, cc);
    pcre2_compile_context_free(cc);
    return code;
}

/*
 * A line of section patterns: `REGEX<TAB>KIND<TAB>VALUE`, KIND one of theme, channel, intent,
 * level and VALUE what the section of that name takes ("none" clears that fact); a line
 * `REGEX<TAB>none` removes the pattern. The same expression on several lines is one pattern
 * with each line's fact, as a term gathers the facts of several sections.
 */
static int parse_pattern(parser *p, const char **f, const size_t *fl, const size_t *fc,
                         size_t nf)
{
    cxs_model *m = p->m;
    size_t at = 0;
    while (at < m->n_patterns &&
           !(m->patterns[at].src_len == fl[0] && memcmp(m->patterns[at].src, f[0], fl[0]) == 0))
        at++;
    if (nf == 2) { /* REGEX<TAB>none */
        if (at < m->n_patterns) {
            pattern_free(m, &m->patterns[at]);
            memmove(&m->patterns[at], &m->patterns[at + 1],
                    (m->n_patterns - at - 1) * sizeof *m->patterns);
            m->n_patterns--;
        }
        return CXS_OK;
    }
    cxs__entry e;
    if (at < m->n_patterns)
        e = m->patterns[at].e;
    else
        memset(&e, 0, sizeof e);
    /* KIND names the section whose facts the pattern states, and takes its values */
    static const struct {
        const char *kind;
        int sec;
    } kinds[] = {{"theme", SEC_THEMES},
                 {"channel", SEC_CHANNELS},
                 {"intent", SEC_INTENTS},
                 {"level", SEC_LEVELS}};
    size_t k = 0;
    while (k < sizeof kinds / sizeof *kinds && !field_is(f[1], fl[1], kinds[k].kind))
        k++;
    if (k == sizeof kinds / sizeof *kinds)
        return perr(p, fc[1], "%s", "the kind must be theme, channel, intent or level");
    int clear = is_none(f[2], fl[2]), value = 0;
    if (!clear && fact_value(p, kinds[k].sec, f[2], fl[2], fc[2], &value))
        return CXS_EPARSE;
    fact_apply(&e, kinds[k].sec, clear, value);
    if (at < m->n_patterns) {
        m->patterns[at].e = e;
        return CXS_OK;
    }
    int errcode;
    PCRE2_SIZE erroff;
    pcre2_code *code = pattern_compile(m, f[0], fl[0], &errcode, &erroff);
    if (!code) {
        if (errcode == PCRE2_ERROR_HEAP_FAILED)
            return cxs__error_set(p->err, CXS_ENOMEM, p->source, p->line, 1, "out of memory");
        PCRE2_UCHAR msg[120];
        if (pcre2_get_error_message(errcode, msg, sizeof msg) < 0)
            snprintf((char *)msg, sizeof msg, "error %d", errcode);
        return perr(p, fc[0] + erroff, "bad regular expression: %s", (const char *)msg);
    }
    uint32_t minlen = 0;
    pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &minlen);
    if (minlen == 0) {
        pcre2_code_free(code);
        return perr(p, fc[0], "%s", "a pattern must not match an empty string");
    }
    char *src = cxs__malloc(&m->alloc, fl[0] + 1);
    if (!src || cxs__grow(&m->alloc, (void **)&m->patterns, &m->cap_patterns,
                          m->n_patterns + 1, sizeof *m->patterns)) {
        cxs__free(&m->alloc, src, fl[0] + 1);
        pcre2_code_free(code);
        return cxs__error_set(p->err, CXS_ENOMEM, p->source, p->line, 1, "out of memory");
    }
    memcpy(src, f[0], fl[0]);
    src[fl[0]] = '\0';
    cxs__pattern *pt = &m->patterns[m->n_patterns++];
    pt->code = code;
    pt->src = src;
    pt->src_len = fl[0];
    pt->e = e;
    return CXS_OK;
}

/* Copy base's patterns into m (a copy of base with its pattern fields cleared): each is
 * compiled again, so its memory belongs to m's allocator context. */
static int patterns_copy(cxs_model *m, const cxs_model *b)
{
    int rc = pcre_contexts(m);
    if (rc || !b->n_patterns)
        return rc;
    if (cxs__grow(&m->alloc, (void **)&m->patterns, &m->cap_patterns, b->n_patterns,
                  sizeof *m->patterns))
        return CXS_ENOMEM;
    for (size_t i = 0; i < b->n_patterns; i++) {
        const cxs__pattern *bp = &b->patterns[i];
        int errcode;
        PCRE2_SIZE erroff;
        char *src = cxs__malloc(&m->alloc, bp->src_len + 1);
        pcre2_code *code = src ? pattern_compile(m, bp->src, bp->src_len, &errcode, &erroff) : NULL;
        if (!code) { /* it compiled once: only memory can fail */
            cxs__free(&m->alloc, src, bp->src_len + 1);
            return CXS_ENOMEM;
        }
        memcpy(src, bp->src, bp->src_len + 1);
        cxs__pattern *pt = &m->patterns[m->n_patterns++];
        pt->code = code;
        pt->src = src;
        pt->src_len = bp->src_len;
        pt->e = bp->e;
    }
    return CXS_OK;
}

static int parse_entry(parser *p, const char *line, size_t n)
{
    const char *f[6];
    size_t fl[6], fc[6];
    size_t nf = split_tabs(line, n, f, fl, fc, 6);
    static const size_t need_min[] = {0, 2, 1, 2, 3, 2, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3};
    static const size_t need_max[] = {0, 2, 2, 2, 4, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3};
    /* `term<TAB>none` removes an entry in any section that takes values */
    int removal = nf == 2 && is_none(f[1], fl[1]) && p->section != SEC_SETTINGS;
    if (!removal && (nf < need_min[p->section] || nf > need_max[p->section])) {
        char d[96];
        snprintf(d, sizeof d, "section %s takes %zu to %zu TAB-separated fields, found %zu",
                 section_names[p->section], need_min[p->section], need_max[p->section], nf);
        return perr(p, 1, "%s", d);
    }
    if (fl[0] == 0 || f[0][0] == ' ' || f[0][fl[0] - 1] == ' ')
        return perr(p, 1, "%s", "empty term or term with leading/trailing space");

    if (p->section == SEC_SETTINGS) {
        for (size_t i = 0; i < sizeof setting_defs / sizeof *setting_defs; i++) {
            const setting_def *d = &setting_defs[i];
            if (strlen(d->name) == fl[0] && memcmp(d->name, f[0], fl[0]) == 0) {
                double v;
                if (!parse_num(f[1], fl[1], &v) || v < d->lo || v > d->hi)
                    return perr(p, fc[1], "value of setting %s is not a number in range",
                                d->name);
                *(double *)(void *)((char *)&p->m->settings + d->offset) = v;
                return CXS_OK;
            }
        }
        return perr(p, 1, "%s", "unknown setting name");
    }

    if (p->section == SEC_PATTERNS)
        return parse_pattern(p, f, fl, fc, nf);

    char key[256];
    int kind = 0, words = 0;
    const char *why = NULL;
    size_t klen = normalise_term(&p->toks, &p->m->alloc, f[0], fl[0], key, sizeof key, &kind,
                                 &words, &why);
    if (!klen && !why)
        return cxs__error_set(p->err, CXS_ENOMEM, p->source, p->line, 1, "out of memory");
    if (!klen)
        return perr(p, 1, "%s", why);

    /* value fields */
    int remove = nf >= 2 && is_none(f[1], fl[1]);
    double v1 = 0, v2 = 0;
    int kw = 0; /* the fact_value() of a theme, channel, intent or level */
    unsigned wait = 0; /* the cxs__wait_word bits of a wait_context word */
    switch (p->section) {
    case SEC_LEXICON:
        if (!remove && (!parse_num(f[1], fl[1], &v1) || v1 < -4.0 || v1 > 4.0))
            return perr(p, fc[1], "%s", "valence must be a number from -4 to 4, or none");
        break;
    case SEC_BOOSTERS:
        if (!remove && (!parse_num(f[1], fl[1], &v1) || v1 <= -1.0 || v1 >= 1.0 || v1 == 0))
            return perr(p, fc[1], "%s", "booster weight must be in (-1, 1), not 0, or none");
        break;
    case SEC_IRREALIS:
        if (!remove && (!parse_num(f[1], fl[1], &v1) || v1 < -2.0 || v1 > 2.0))
            return perr(p, fc[1], "%s", "irrealis factor must be in [-2, 2], or none");
        break;
    case SEC_CONTRASTIVES:
        if (!remove) {
            if (!parse_num(f[1], fl[1], &v1) || v1 < 0 || v1 > 4)
                return perr(p, fc[1], "%s", "contrastive weight must be in [0, 4]");
            if (nf < 3 || !parse_num(f[2], fl[2], &v2) || v2 < 0 || v2 > 4)
                return perr(p, nf < 3 ? fc[1] : fc[2], "%s",
                            "contrastive weight must be in [0, 4]");
            if (nf == 4 && !field_is(f[3], fl[3], "lead"))
                return perr(p, fc[3], "%s", "the fourth field may only be 'lead'");
        }
        break;
    case SEC_NEGATORS:
    case SEC_SARCASM:
        if (nf == 2 && !remove)
            return perr(p, fc[1], "%s", "the only value allowed here is 'none'");
        break;
    case SEC_TIME_UNITS:
    case SEC_NUMBER_WORDS:
        if (!remove && (!parse_num(f[1], fl[1], &v1) || v1 <= 0 || v1 > 1e9))
            return perr(p, fc[1], "%s", "the amount must be a positive number, or none");
        break;
    case SEC_DURATION_CUES:
        if (!remove && !field_is(f[1], fl[1], "wait") &&
            !field_is(f[1], fl[1], "speed") &&
            !field_is(f[1], fl[1], "other") &&
            !field_is(f[1], fl[1], "usual") &&
            !field_is(f[1], fl[1], "process"))
            return perr(p, fc[1], "%s",
                        "the cue kind must be wait, process, speed, other or usual, or none");
        break;
    case SEC_MARKERS:
        if (!remove && !field_is(f[1], fl[1], "concession") &&
            !field_is(f[1], fl[1], "resolution") &&
            !field_is(f[1], fl[1], "minor") &&
            !field_is(f[1], fl[1], "info"))
            return perr(p, fc[1], "%s",
                        "the marker kind must be concession, resolution, minor or info, or none");
        break;
    case SEC_THEMES: /* a theme gets its index when first named: no later check can fail */
    case SEC_CHANNELS:
    case SEC_INTENTS:
    case SEC_LEVELS:
        if (!remove && fact_value(p, p->section, f[1], fl[1], fc[1], &kw))
            return CXS_EPARSE;
        break;
    case SEC_WAIT_CONTEXT: {
        /* the rules look at single tokens ("drove" right before the duration) */
        if (words != 1)
            return perr(p, 1, "%s", "a wait_context term is a single word");
        size_t bad = 0;
        if (!remove && !(wait = wait_kind_bits(f[1], fl[1], &bad)))
            return perr(p, fc[1] + bad, "%s",
                        "the kind must be promise, trip, lifetime-end, lifetime-use, "
                        "lifetime-after, lifetime-for, join, count or length (several joined "
                        "by ','), or none");
        break;
    }
    default:
        break;
    }
    cxs__entry *e;
    int rc = table_get(p->m, key, klen, &e);
    if (rc)
        return cxs__error_set(p->err, rc, p->source, p->line, 1, "out of memory");
    e->kind = (uint8_t)kind;
    e->words = (uint8_t)words;
    switch (p->section) {
    case SEC_LEXICON:
        if (remove) {
            e->roles &= (uint32_t)~CXS__R_VALENCE;
        } else {
            e->roles |= CXS__R_VALENCE;
            e->valence = (float)v1;
        }
        break;
    case SEC_NEGATORS:
        e->roles = remove ? (e->roles & ~(uint32_t)CXS__R_NEGATOR)
                          : (e->roles | (uint32_t)CXS__R_NEGATOR);
        break;
    case SEC_SARCASM:
        e->roles = remove ? (e->roles & ~(uint32_t)CXS__R_SARCASM)
                          : (e->roles | (uint32_t)CXS__R_SARCASM);
        break;
    case SEC_BOOSTERS:
        if (remove) {
            e->roles &= (uint32_t)~CXS__R_BOOSTER;
        } else {
            e->roles |= CXS__R_BOOSTER;
            e->booster = (float)v1;
        }
        break;
    case SEC_IRREALIS:
        if (remove) {
            e->roles &= (uint32_t)~CXS__R_IRREALIS;
        } else {
            e->roles |= CXS__R_IRREALIS;
            e->irrealis = (float)v1;
        }
        break;
    case SEC_TIME_UNITS:
    case SEC_NUMBER_WORDS: {
        uint32_t r = p->section == SEC_TIME_UNITS ? CXS__R_TIME_UNIT : CXS__R_NUMBER_WORD;
        e->roles = remove ? (uint32_t)(e->roles & ~r) : (uint32_t)(e->roles | r);
        if (!remove)
            e->amount = (float)v1;
        break;
    }
    case SEC_DURATION_CUES:
        e->roles &= (uint32_t)~(CXS__R_WAIT_CUE | CXS__R_SPEED_CUE | CXS__R_OTHER_CUE |
                                CXS__R_USUAL_CUE | CXS__R_PROCESS_CUE);
        if (!remove)
            e->roles |= f[1][0] == 'w'   ? CXS__R_WAIT_CUE
                        : f[1][0] == 's' ? CXS__R_SPEED_CUE
                        : f[1][0] == 'u' ? CXS__R_USUAL_CUE
                        : f[1][0] == 'p' ? CXS__R_PROCESS_CUE
                                         : CXS__R_OTHER_CUE;
        break;
    case SEC_MARKERS:
        e->roles &=
            (uint32_t)~(CXS__R_CONCESSION | CXS__R_RESOLUTION | CXS__R_MINOR | CXS__R_INFO);
        if (!remove)
            e->roles |= f[1][0] == 'c'   ? CXS__R_CONCESSION
                        : f[1][0] == 'r' ? CXS__R_RESOLUTION
                        : f[1][0] == 'i' ? CXS__R_INFO
                                         : CXS__R_MINOR;
        break;
    case SEC_THEMES:
    case SEC_CHANNELS:
    case SEC_INTENTS:
    case SEC_LEVELS:
        fact_apply(e, p->section, remove, kw);
        break;
    case SEC_WAIT_CONTEXT: /* the line gives all the word's kinds: an override replaces them */
        e->wait = (uint16_t)wait;
        break;
    case SEC_CONTRASTIVES:
        e->roles &= (uint32_t)~(CXS__R_CONTRAST | CXS__R_CONTRAST_LEAD);
        if (!remove) {
            e->roles |= CXS__R_CONTRAST;
            if (nf == 4)
                e->roles |= CXS__R_CONTRAST_LEAD;
            e->before = (float)v1;
            e->after = (float)v2;
        }
        break;
    default:
        break;
    }
    /* register each proper prefix of a phrase, so matching can walk it token by token */
    if (words > 1) {
        size_t cut = 0;
        int w = 0;
        for (size_t i = 0; i < klen; i++) {
            if (key[i] != ' ')
                continue;
            cut = i;
            w++;
            cxs__entry *pe;
            if ((rc = table_get(p->m, key, cut, &pe)))
                return cxs__error_set(p->err, rc, p->source, p->line, 1, "out of memory");
            if (pe->words == 0) {
                pe->words = (uint8_t)w;
                pe->kind = w > 1 ? CXS__K_PHRASE : CXS__K_WORD;
            }
            if (p->section >= SEC_THEMES) { /* a fact-only phrase: kept out of scoring's way */
                if ((pe->channel >> CXS__CX_PREFIX_SHIFT) < words - w)
                    pe->channel = (uint8_t)((pe->channel & CXS__CX_CHANNEL_MASK) |
                                            (unsigned)(words - w) << CXS__CX_PREFIX_SHIFT);
            } else if (pe->prefix < words - w) {
                pe->prefix = (uint8_t)(words - w);
            }
        }
    }
    return CXS_OK;
}

static int read_file(const cxs__alloc *a, const char *path, char **data, size_t *len,
                     cxs_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return cxs__error_set(err, CXS_EIO, path, 0, 0, "cannot open %s", path);
    size_t cap = 0, n = 0;
    char *buf = NULL;
    for (;;) {
        if (cxs__grow(a, (void **)&buf, &cap, n + 65536, 1)) {
            fclose(fp);
            cxs__free(a, buf, cap);
            return cxs__error_set(err, CXS_ENOMEM, path, 0, 0, "out of memory reading file");
        }
        size_t r = fread(buf + n, 1, cap - n, fp);
        n += r;
        if (r == 0)
            break;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        cxs__free(a, buf, cap);
        return cxs__error_set(err, CXS_EIO, path, 0, 0, "error reading %s", path);
    }
    *data = buf;
    *len = n;
    return (int)cap; /* >= 0: the capacity, for freeing */
}

static int parse_buffer(parser *p, const char *data, size_t len, const char *path);

static int do_include(parser *p, const char *arg, size_t n, const char *path)
{
    if (!path)
        return perr(p, 10, "%s", "@include is only allowed in files");
    if (p->depth >= MAX_INCLUDE_DEPTH)
        return perr(p, 10, "%s", "@include nested too deeply (a cycle?)");
    char full[4096];
    const char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path + 1) : 0;
    if (n == 0 || dir + n + 1 > sizeof full)
        return perr(p, 10, "%s", "bad @include path");
    if (arg[0] == '/')
        dir = 0;
    memcpy(full, path, dir);
    memcpy(full + dir, arg, n);
    full[dir + n] = '\0';
    char *data;
    size_t dlen;
    int cap = read_file(&p->m->alloc, full, &data, &dlen, p->err);
    if (cap == CXS_ENOMEM)
        return CXS_ENOMEM; /* read_file said so; not an I/O error */
    if (cap < 0) {
        if (p->err) { /* name the including line as well */
            char inc[64];
            snprintf(inc, sizeof inc, "%s", p->source);
            cxs__error_set(p->err, CXS_EIO, inc, p->line, 10, "cannot read included file %.100s",
                           full);
        }
        return CXS_EIO;
    }
    parser sub = *p;
    sub.depth++;
    sub.section = SEC_NONE;
    const char *base = strrchr(full, '/');
    snprintf(sub.source, sizeof sub.source, "%.60s", base ? base + 1 : full);
    int rc = parse_buffer(&sub, data, dlen, full);
    p->toks = sub.toks; /* the scratch may have grown */
    cxs__free(&p->m->alloc, data, (size_t)cap);
    return rc;
}

static int parse_buffer(parser *p, const char *data, size_t len, const char *path)
{
    size_t i = 0;
    p->line = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && data[e] != '\n')
            e++;
        const char *line = data + i;
        size_t n = e - i;
        i = e + 1;
        p->line++;
        if (n && line[n - 1] == '\r')
            n--;
        if (n == 0 || line[0] == '#')
            continue;
        if (memchr(line, '\0', n))
            return perr(p, (size_t)((const char *)memchr(line, '\0', n) - line) + 1, "%s",
                        "NUL byte in line");
        if (line[0] == '@') {
            if (n > 9 && memcmp(line, "@section ", 9) == 0) {
                int found = SEC_NONE;
                for (int s = 1; s <= SEC_LAST; s++)
                    if (strlen(section_names[s]) == n - 9 &&
                        memcmp(section_names[s], line + 9, n - 9) == 0)
                        found = s;
                if (!found)
                    return perr(p, 10, "%s", "unknown section");
                p->section = found;
            } else if (n > 9 && memcmp(line, "@include ", 9) == 0) {
                int rc = do_include(p, line + 9, n - 9, path);
                if (rc)
                    return rc;
            } else if (n > 8 && memcmp(line, "@source ", 8) == 0) {
                size_t sl = n - 8 < sizeof p->source - 1 ? n - 8 : sizeof p->source - 1;
                memcpy(p->source, line + 8, sl);
                p->source[sl] = '\0';
                p->line = 0;
                p->section = SEC_NONE;
            } else {
                return perr(p, 1, "%s", "unknown directive (expected @section, @include, @source)");
            }
            continue;
        }
        if (p->section == SEC_NONE)
            return perr(p, 1, "%s", "entry before any @section line");
        int rc = parse_entry(p, line, n);
        if (rc)
            return rc;
    }
    return CXS_OK;
}

/* Emoticon lookup for the tokenizer. */
static int emo_find(const void *ctx, const char *lower, size_t len)
{
    const cxs__entry *e = cxs__model_find((const cxs_model *)ctx, lower, len);
    return e && e->kind == CXS__K_EMOTICON && e->roles;
}

/* Finish a model after parsing: the emoticon set and the counts. */
static void freeze(cxs_model *m)
{
    for (size_t k = 0; k < m->n_entries; k++) {
        cxs__entry *e = &m->entries[k];
        e->roles &= (uint32_t)~CXS__R_NEG_PHRASE;
        if (e->words < 2 || !(e->roles & CXS__R_VALENCE))
            continue;
        const char *t = m->pool + e->term;
        const char *sp = memchr(t, ' ', e->term_len);
        const cxs__entry *first = sp ? cxs__model_find(m, t, (size_t)(sp - t)) : NULL;
        if (first && (first->roles & CXS__R_NEGATOR))
            e->roles |= CXS__R_NEG_PHRASE;
    }
    for (size_t k = 0; k <= m->slot_mask; k++) {
        cxs__slot *sl = &m->slots[k];
        if (sl->idx) {
            const cxs__entry *e = &m->entries[sl->idx - 1];
            sl->use = (uint8_t)((e->roles ? CXS__USE_ROLES : 0) | (e->prefix ? CXS__USE_PREFIX : 0));
        }
    }
    memset(m->word_bits, 0, sizeof m->word_bits);
    memset(m->phrase_bits, 0, sizeof m->phrase_bits);
    for (size_t k = 0; k < m->n_entries; k++) {
        const cxs__entry *e = &m->entries[k];
        /* the filters serve scoring: terms that only state facts (cx.c looks them up past the
         * filters) stay out, so they cost the tokenizer and the matcher nothing */
        if (!e->roles && !e->prefix)
            continue;
        uint64_t h = cxs__term_hash(m->pool + e->term, e->term_len);
        uint64_t *bits = e->words >= 2 ? m->phrase_bits : m->word_bits;
        unsigned nbits = e->words >= 2 ? CXS__PHRASE_BITS : CXS__WORD_BITS;
        unsigned b = (unsigned)(h >> 40) & (nbits - 1);
        bits[b >> 6] |= 1ull << (b & 63);
    }
    for (int k = 0; k <= 64; k++)
        m->damping[k] = k ? pow((double)k, m->settings.sentence_damping) : 1.0;
    memset(m->counts, 0, sizeof m->counts);
    memset(&m->emo, 0, sizeof m->emo);
    m->emo.find = emo_find;
    m->emo.ctx = m;
    for (size_t k = 0; k < m->n_entries; k++) {
        const cxs__entry *e = &m->entries[k];
        if (e->roles & CXS__R_VALENCE) {
            m->counts[CXS_COUNT_LEXICON]++;
            switch (e->kind) {
            case CXS__K_WORD: m->counts[CXS_COUNT_WORDS]++; break;
            case CXS__K_PHRASE: m->counts[CXS_COUNT_PHRASES]++; break;
            case CXS__K_EMOJI: m->counts[CXS_COUNT_EMOJI]++; break;
            case CXS__K_EMOTICON: m->counts[CXS_COUNT_EMOTICONS]++; break;
            default: break;
            }
        }
        if (e->kind == CXS__K_EMOTICON && e->roles) {
            /* the tokenizer tries emoticons only at bytes that can start one */
            unsigned char c = (unsigned char)m->pool[e->term];
            m->emo.start[c >> 3] |= (uint8_t)(1u << (c & 7));
            if (c >= 'a' && c <= 'z') {
                unsigned char u = (unsigned char)(c - 32);
                m->emo.start[u >> 3] |= (uint8_t)(1u << (u & 7));
            }
            if (e->term_len > m->emo.max_len)
                m->emo.max_len = e->term_len;
        }
        if (e->roles & CXS__R_NEGATOR)
            m->counts[CXS_COUNT_NEGATORS]++;
        if (e->roles & CXS__R_BOOSTER)
            m->counts[CXS_COUNT_BOOSTERS]++;
        if (e->roles & CXS__R_CONTRAST)
            m->counts[CXS_COUNT_CONTRASTIVES]++;
        if (e->roles & CXS__R_IRREALIS)
            m->counts[CXS_COUNT_IRREALIS]++;
        if (e->roles & CXS__R_SARCASM)
            m->counts[CXS_COUNT_SARCASM]++;
        if (e->roles & (CXS__R_CONCESSION | CXS__R_RESOLUTION | CXS__R_MINOR | CXS__R_INFO))
            m->counts[CXS_COUNT_MARKERS]++;
        m->counts[CXS_COUNT_THEME_TERMS] += e->theme != 0;
        m->counts[CXS_COUNT_CHANNEL_TERMS] += (e->channel & CXS__CX_CHANNEL_MASK) != 0;
        m->counts[CXS_COUNT_INTENT_TERMS] += (e->cx & CXS__CX_INTENT_MASK) != 0;
        m->counts[CXS_COUNT_LEVEL_CUES] += (e->cx >> CXS__CX_LEVEL_SHIFT) != 0;
    }
    m->counts[CXS_COUNT_PATTERNS] = m->n_patterns;
}

static int load_into(cxs_model *m, const char *data, size_t len, const char *name,
                     const char *path, cxs_error *err)
{
    parser p;
    memset(&p, 0, sizeof p);
    p.m = m;
    p.err = err;
    snprintf(p.source, sizeof p.source, "%s", name ? name : "<buffer>");
    int rc = parse_buffer(&p, data, len, path);
    cxs__tokens_free(&p.toks, &m->alloc);
    if (rc == CXS_OK)
        freeze(m);
    return rc;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Parse a buffer into m (fresh, a copy, or NULL when that failed); on success *out = m, else
 * m is freed. */
static int finish_buffer(cxs_model **out, cxs_model *m, const char *data, size_t len,
                         const char *name, cxs_error *err)
{
    if (!m)
        return cxs__error_set(err, CXS_ENOMEM, name, 0, 0, "out of memory");
    int rc = load_into(m, data ? data : "", len, name, NULL, err);
    if (rc) {
        cxs_model_free(m);
        return rc;
    }
    *out = m;
    return CXS_OK;
}

int cxs_model_load_buffer(cxs_model **out, const char *data, size_t len, const char *name,
                          const cxs_allocator *alloc, cxs_error *err)
{
    if (out)
        *out = NULL;
    if (!out || (!data && len))
        return cxs__error_set(err, CXS_EINVAL, name, 0, 0, "NULL argument");
    return finish_buffer(out, model_new(alloc), data, len, name, err);
}

/* Parse the file at path into m (fresh or a copy); on success *out = m, else m is freed. */
static int finish_file(cxs_model **out, cxs_model *m, const char *path, cxs_error *err)
{
    char *data;
    size_t len;
    int cap = read_file(&m->alloc, path, &data, &len, err);
    if (cap < 0) {
        cxs_model_free(m);
        return cap;
    }
    int rc = load_into(m, data, len, base_name(path), path, err);
    cxs__free(&m->alloc, data, (size_t)cap);
    if (rc) {
        cxs_model_free(m);
        return rc;
    }
    *out = m;
    return CXS_OK;
}

int cxs_model_load(cxs_model **out, const char *path, const cxs_allocator *alloc,
                   cxs_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !path)
        return cxs__error_set(err, CXS_EINVAL, path, 0, 0, "NULL argument");
    cxs_model *m = model_new(alloc);
    if (!m)
        return cxs__error_set(err, CXS_ENOMEM, path, 0, 0, "out of memory");
    return finish_file(out, m, path, err);
}

int cxs_model_load_default(cxs_model **out, const cxs_allocator *alloc, cxs_error *err)
{
    return cxs_model_load_buffer(out, (const char *)cxs__default_model_data, cxs__default_model_size,
                                 "<default>", alloc, err);
}

/* A deep copy of base with the same allocator. */
static cxs_model *model_copy(const cxs_model *b)
{
    const cxs__alloc *a = &b->alloc;
    cxs_model *m = cxs__calloc(a, 1, sizeof *m);
    if (!m)
        return NULL;
    *m = *b;
    /* empty arrays stay NULL: a zero-size block would be released with a size it lacks */
    m->entries = b->cap_entries ? cxs__malloc(a, b->cap_entries * sizeof *b->entries) : NULL;
    m->pool = b->pool_cap ? cxs__malloc(a, b->pool_cap) : NULL;
    m->slots = cxs__malloc(a, (b->slot_mask + 1) * sizeof *b->slots);
    if ((b->cap_entries && !m->entries) || (b->pool_cap && !m->pool) || !m->slots) {
        cxs__free(a, m->entries, b->cap_entries * sizeof *b->entries);
        cxs__free(a, m->pool, b->pool_cap);
        cxs__free(a, m->slots, (b->slot_mask + 1) * sizeof *b->slots);
        cxs__free(a, m, sizeof *m);
        return NULL;
    }
    if (b->n_entries)
        memcpy(m->entries, b->entries, b->n_entries * sizeof *b->entries);
    if (b->pool_len)
        memcpy(m->pool, b->pool, b->pool_len);
    memcpy(m->slots, b->slots, (b->slot_mask + 1) * sizeof *b->slots);
    m->emo.ctx = m;
    m->patterns = NULL;
    m->n_patterns = m->cap_patterns = 0;
    m->pcre_gctx = NULL;
    m->pcre_mctx = NULL;
    if (patterns_copy(m, b)) {
        cxs_model_free(m);
        return NULL;
    }
    return m;
}

int cxs_model_merge_buffer(cxs_model **out, const cxs_model *base, const char *data, size_t len,
                           const char *name, cxs_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !base || (!data && len))
        return cxs__error_set(err, CXS_EINVAL, name, 0, 0, "NULL argument");
    return finish_buffer(out, model_copy(base), data, len, name, err);
}

int cxs_model_merge(cxs_model **out, const cxs_model *base, const char *path, cxs_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !base || !path)
        return cxs__error_set(err, CXS_EINVAL, path, 0, 0, "NULL argument");
    cxs_model *m = model_copy(base);
    if (!m)
        return cxs__error_set(err, CXS_ENOMEM, path, 0, 0, "out of memory");
    return finish_file(out, m, path, err);
}

size_t cxs_model_count(const cxs_model *m, cxs_count what)
{
    if (!m || what < CXS_COUNT_LEXICON || what > CXS_COUNT_PATTERNS)
        return 0;
    return m->counts[what];
}

int cxs_model_lookup(double *valence, const cxs_model *m, const char *term, size_t len)
{
    if (!m || (!term && len))
        return CXS_EINVAL;
    cxs__tokens toks;
    memset(&toks, 0, sizeof toks);
    char key[256];
    int kind, words;
    const char *why;
    size_t klen = normalise_term(&toks, &m->alloc, term ? term : "", len, key, sizeof key,
                                 &kind, &words, &why);
    cxs__tokens_free(&toks, &m->alloc);
    if (!klen)
        return 0;
    const cxs__entry *e = cxs__model_find(m, key, klen);
    if (!e || !(e->roles & CXS__R_VALENCE))
        return 0;
    if (valence)
        *valence = e->valence;
    return 1;
}

size_t cxs_model_theme_count(const cxs_model *m)
{
    return m ? m->n_themes : 0;
}

const char *cxs_model_theme_name(const cxs_model *m, size_t i)
{
    return m && i < m->n_themes ? m->theme_names[i] : NULL;
}
