/*
 * cxsent.h — libcxsent public API.
 *
 * libcxsent reads what customers write about a business (reviews, posts, survey answers) and
 * scores it: sentiment per text with a per-token explanation, the themes, intents and waits
 * it states, and, over many texts, a mergeable narrative per brand and period.
 *
 * Threads and memory (the rules, stated once):
 *  - There is no global mutable state and no global init function.
 *  - A cxs_model is read-only after it is loaded and may be shared by any number of threads.
 *  - A cxs_analyzer, a cxs_result and a cxs_narrative are used by one thread at a time. Make
 *    one analyzer per thread and reuse it: per-text work allocates nothing once its buffers
 *    have grown.
 *  - Every object allocates through the allocator of the model it was made from.
 *
 * Conventions: functions return 0 (CXS_OK) or a negative cxs_status; an optional caller-owned
 * cxs_error receives details. Out parameters come first, `cxs_error *err` last (NULL allowed).
 * `**out` means the caller frees the object with the matching _free function, which accepts NULL.
 * Text is (const char *, size_t) UTF-8 and need not be NUL-terminated.
 *
 * This header compiles as C99 and as C++.
 */
#ifndef CXSENT_H
#define CXSENT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version: the single source of truth; CMake parses these three lines. */
#define CXS_VERSION_MAJOR 0
#define CXS_VERSION_MINOR 3
#define CXS_VERSION_PATCH 0
#define CXS_VERSION_NUMBER \
    ((CXS_VERSION_MAJOR << 16) | (CXS_VERSION_MINOR << 8) | CXS_VERSION_PATCH)

#if defined(CXS_STATIC)
#define CXS_API
#elif defined(_WIN32)
#if defined(CXS_BUILDING)
#define CXS_API __declspec(dllexport)
#else
#define CXS_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define CXS_API __attribute__((visibility("default")))
#else
#define CXS_API
#endif

/** Runtime version as CXS_VERSION_NUMBER of the library actually linked. */
CXS_API unsigned cxs_version(void);
/** Runtime version as "MAJOR.MINOR.PATCH"; static string. */
CXS_API const char *cxs_version_string(void);
/** Unicode version of the character tables in use (from utf8proc); static string. */
CXS_API const char *cxs_unicode_version(void);

/** Status codes. Values are pinned and never reused. */
typedef enum cxs_status {
    CXS_OK = 0,
    CXS_ENOMEM = -1,   /**< an allocation failed; objects are unchanged or freed */
    CXS_EINVAL = -2,   /**< invalid argument (NULL where not allowed, bad parameter) */
    CXS_EIO = -3,      /**< a file could not be read */
    CXS_EPARSE = -4,   /**< a model file has a malformed line (see line and column) */
    CXS_EUTF8 = -5,    /**< invalid UTF-8 in strict mode (see offset) */
    CXS_EPATTERN = -6, /**< a pattern in a model file does not compile */
    CXS_ELIMIT = -7,   /**< an input exceeds a documented limit */
    CXS_EBUFFER = -8   /**< a caller buffer is too small */
} cxs_status;

/**
 * Error details, owned by the caller. Every field is set by a failing call; a succeeding call
 * leaves it untouched.
 */
typedef struct cxs_error {
    int code;           /**< a cxs_status */
    size_t line;        /**< 1-based line in a model file, 0 if not applicable */
    size_t column;      /**< 1-based column (bytes) in that line, 0 if not applicable */
    size_t offset;      /**< byte offset into the analysed text, 0 if not applicable */
    char source[64];    /**< file name, "<buffer>" or "<default>"; NUL-terminated */
    char message[192];  /**< human-readable reason; always NUL-terminated */
} cxs_error;

/** Static English description of a status code; never NULL. */
CXS_API const char *cxs_strerror(int code);

/**
 * Allocator hooks, set per model and inherited by everything made from it.
 * `resize` may be NULL (then alloc + copy + release is used). All three receive `ctx`.
 */
typedef struct cxs_allocator {
    void *(*alloc)(void *ctx, size_t size);
    void *(*resize)(void *ctx, void *ptr, size_t old_size, size_t new_size);
    void (*release)(void *ctx, void *ptr, size_t size);
    void *ctx;
} cxs_allocator;

typedef struct cxs_model cxs_model;       /* read-only after load: share across threads */
typedef struct cxs_analyzer cxs_analyzer; /* one thread at a time; reuse between texts */
typedef struct cxs_result cxs_result;     /* one text's analysis; reuse between texts */

/** Sentiment scores. pos + neu + neg = 1 (or all 0 for empty text). Layout is frozen. */
typedef struct cxs_scores {
    double pos;
    double neu;
    double neg;
    double compound; /**< in [-1, 1] */
} cxs_scores;

/** Sentiment label, from compound and the analyzer's thresholds. */
typedef enum cxs_label {
    CXS_LABEL_NEGATIVE = -1,
    CXS_LABEL_NEUTRAL = 0,
    CXS_LABEL_POSITIVE = 1
} cxs_label;

/** "negative", "neutral", "positive", or "unknown" for other values; static string. */
CXS_API const char *cxs_label_name(int label);

/* ---------------------------------------------------------------------------------------- */
/* Models                                                                                   */
/* ---------------------------------------------------------------------------------------- */

/**
 * Load a model from a file (format: data/README.md). `@include` lines are resolved relative
 * to the including file.
 *
 * @param[out] out  receives the model; set to NULL on failure
 * @param path      path of the model file
 * @param alloc     allocator, copied; NULL means malloc/realloc/free
 * @param[out] err  optional; on CXS_EPARSE names source, line and column
 * @return CXS_OK, CXS_EIO, CXS_EPARSE, CXS_ENOMEM or CXS_EINVAL
 * Ownership: free with cxs_model_free(); it must outlive its analyzers and results.
 * Threads: safe to call concurrently.
 */
CXS_API int cxs_model_load(cxs_model **out, const char *path, const cxs_allocator *alloc,
                           cxs_error *err);

/**
 * Load a model from memory. `@include` is not allowed in a buffer.
 *
 * @param name  name used in error messages (e.g. a file name); NULL means "<buffer>"
 * Other parameters, ownership and threads as cxs_model_load().
 */
CXS_API int cxs_model_load_buffer(cxs_model **out, const char *data, size_t len,
                                  const char *name, const cxs_allocator *alloc, cxs_error *err);

/**
 * Load the built-in default model (the files under data/ compiled into the library).
 * Parameters, ownership and threads as cxs_model_load().
 */
CXS_API int cxs_model_load_default(cxs_model **out, const cxs_allocator *alloc, cxs_error *err);

/**
 * Make a copy of `base` with the entries of an override file merged in: an entry replaces the
 * entry with the same term in the same section; the value `none` removes it. `base` is not
 * changed and may be freed afterwards.
 *
 * @param[out] out  receives the merged model (same allocator as base); NULL on failure
 * @param base      the model to start from
 * @param path      override file
 * @return as cxs_model_load()
 * Threads: safe to call concurrently, also on the same base.
 */
CXS_API int cxs_model_merge(cxs_model **out, const cxs_model *base, const char *path,
                            cxs_error *err);

/** As cxs_model_merge() with the overrides in memory; `name` as in cxs_model_load_buffer(). */
CXS_API int cxs_model_merge_buffer(cxs_model **out, const cxs_model *base, const char *data,
                                   size_t len, const char *name, cxs_error *err);

/** Free a model. NULL is a no-op. Its analyzers and results must be freed first. */
CXS_API void cxs_model_free(cxs_model *model);

/** What cxs_model_count() counts. Values are pinned. */
typedef enum cxs_count {
    CXS_COUNT_LEXICON = 1,      /**< all valence entries (words, phrases, emoji, emoticons) */
    CXS_COUNT_WORDS = 2,        /**< single-word valence entries */
    CXS_COUNT_PHRASES = 3,      /**< multi-word valence entries */
    CXS_COUNT_EMOJI = 4,        /**< emoji valence entries */
    CXS_COUNT_EMOTICONS = 5,    /**< ASCII emoticon valence entries */
    CXS_COUNT_NEGATORS = 6,
    CXS_COUNT_BOOSTERS = 7,     /**< boosters and dampeners */
    CXS_COUNT_CONTRASTIVES = 8,
    CXS_COUNT_IRREALIS = 9,
    CXS_COUNT_SARCASM = 10,
    CXS_COUNT_MARKERS = 11,     /**< discourse markers (concession, resolution, minor, info) */
    CXS_COUNT_THEME_TERMS = 12, /**< terms that name a customer-experience theme */
    CXS_COUNT_CHANNEL_TERMS = 13, /**< terms that name the channel of a wait */
    CXS_COUNT_INTENT_TERMS = 14,  /**< terms that state an intent */
    CXS_COUNT_LEVEL_CUES = 15,    /**< terms that set a theme's level */
    CXS_COUNT_PATTERNS = 16       /**< regular expressions of the patterns section */
} cxs_count;

/** Number of entries of a kind in the model; 0 for an unknown kind or NULL model. */
CXS_API size_t cxs_model_count(const cxs_model *model, cxs_count what);

/** Number of theme names in the model (the default model has nine: quality, service, price,
 *  convenience, communication, delivery, policies, environment, brand). */
CXS_API size_t cxs_model_theme_count(const cxs_model *model);

/** Name of theme i (0-based, in the order the model's themes section first names them);
 *  NULL when out of range. Borrowed: valid while the model lives. */
CXS_API const char *cxs_model_theme_name(const cxs_model *model, size_t i);

/**
 * Look up a term as the tokenizer would see it (the term is normalised first: case folded,
 * curly apostrophes straightened, emoji variation selectors dropped).
 *
 * @param[out] valence  optional; receives the lexicon valence if the term has one
 * @return 1 if the term has a valence, 0 if not, or a negative cxs_status
 * Threads: safe to call concurrently.
 */
CXS_API int cxs_model_lookup(double *valence, const cxs_model *model, const char *term,
                             size_t len);

/* ---------------------------------------------------------------------------------------- */
/* Analyzers                                                                                */
/* ---------------------------------------------------------------------------------------- */

/** Analyzer parameters (cxs_analyzer_set / _get). Values are pinned. */
typedef enum cxs_param {
    CXS_PARAM_POS_THRESHOLD = 1, /**< compound >= this is positive; default 0.05 */
    CXS_PARAM_NEG_THRESHOLD = 2, /**< compound <= this is negative; default -0.05 */
    CXS_PARAM_STRICT_UTF8 = 3,   /**< non-zero: invalid UTF-8 fails with CXS_EUTF8; default 0
                                      (invalid bytes are read as U+FFFD) */
    CXS_PARAM_MAX_TEXT = 4       /**< longest text accepted, bytes; default and maximum
                                      4294967295; longer fails with CXS_ELIMIT */
} cxs_param;

/**
 * Create an analyzer: the per-thread scratch space for scoring texts with `model`.
 *
 * @param[out] out  receives the analyzer; NULL on failure
 * @return CXS_OK, CXS_ENOMEM or CXS_EINVAL
 * Ownership: free with cxs_analyzer_free(), before the model.
 * Threads: the model may be shared; the analyzer is used by one thread at a time.
 */
CXS_API int cxs_analyzer_new(cxs_analyzer **out, const cxs_model *model, cxs_error *err);

/** Set a parameter. @return CXS_OK or CXS_EINVAL (unknown parameter or value out of range). */
CXS_API int cxs_analyzer_set(cxs_analyzer *an, cxs_param param, double value);

/** Read a parameter into *value. @return CXS_OK or CXS_EINVAL. */
CXS_API int cxs_analyzer_get(double *value, const cxs_analyzer *an, cxs_param param);

/**
 * Score one text: the fast path (no explanation is kept).
 *
 * @param[out] out  receives the scores
 * @param[out] label  optional; receives a cxs_label
 * @return CXS_OK, CXS_ENOMEM (scratch could not grow), CXS_EUTF8 (strict mode; err->offset),
 *         CXS_ELIMIT or CXS_EINVAL
 * Threads: one thread at a time per analyzer.
 */
CXS_API int cxs_analyzer_score(cxs_scores *out, int *label, cxs_analyzer *an, const char *text,
                               size_t len, cxs_error *err);

/** Free an analyzer. NULL is a no-op. */
CXS_API void cxs_analyzer_free(cxs_analyzer *an);

/* ---------------------------------------------------------------------------------------- */
/* Results                                                                                  */
/* ---------------------------------------------------------------------------------------- */

/**
 * Create an empty result for texts analysed with `model`. Reuse it for many texts.
 * Ownership: free with cxs_result_free(), before the model.
 */
CXS_API int cxs_result_new(cxs_result **out, const cxs_model *model, cxs_error *err);

/**
 * Analyse one text into `res`, replacing what it held: scores, label, the explanation and
 * the customer-experience facts (themes, intents, waits). The result keeps a copy of the
 * text, so neither the text nor the analyzer need outlive it. (cxs_analyzer_score() is the
 * faster path for scores alone.)
 *
 * @return as cxs_analyzer_score(); on failure `res` is left empty
 * Threads: one thread at a time per analyzer and per result.
 */
CXS_API int cxs_analyze(cxs_result *res, cxs_analyzer *an, const char *text, size_t len,
                        cxs_error *err);

/** The result's scores; borrowed, valid until the result is reused or freed. */
CXS_API const cxs_scores *cxs_result_scores(const cxs_result *res);

/** The result's label (a cxs_label). */
CXS_API int cxs_result_label(const cxs_result *res);

/** Rules that can fire on a scored term (bits of cxs_term.rules). Values are pinned. */
typedef enum cxs_rule {
    CXS_RULE_PHRASE = 1u << 0,          /**< a multi-word lexicon entry matched */
    CXS_RULE_NEGATED = 1u << 1,         /**< a negator flipped it */
    CXS_RULE_BOOSTED = 1u << 2,         /**< a booster intensified it */
    CXS_RULE_DAMPENED = 1u << 3,        /**< a dampener weakened it */
    CXS_RULE_CAPS = 1u << 4,            /**< ALL-CAPS emphasis */
    CXS_RULE_ELONGATED = 1u << 5,       /**< elongation emphasis ("soooo") */
    CXS_RULE_CONTRAST_WEAK = 1u << 6,   /**< in the weaker clause of a contrast */
    CXS_RULE_CONTRAST_STRONG = 1u << 7, /**< in the stronger clause of a contrast */
    CXS_RULE_IRREALIS = 1u << 8,        /**< in a modal / counterfactual clause */
    CXS_RULE_SARCASM = 1u << 9,         /**< flipped by a sarcasm cue */
    CXS_RULE_HASHTAG = 1u << 10,        /**< came from a hashtag */
    CXS_RULE_EMOJI = 1u << 11,          /**< an emoji grapheme cluster */
    CXS_RULE_EMOTICON = 1u << 12,       /**< an ASCII emoticon */
    CXS_RULE_RATING = 1u << 13,         /**< a rating such as "2/10" */
    CXS_RULE_EMPHASIS = 1u << 14,       /**< "!" emphasis of its sentence */
    CXS_RULE_WAIT = 1u << 15,           /**< a stated wait ("waited 45 minutes") */
    CXS_RULE_SPEED = 1u << 16,          /**< a quick resolution ("fixed in 10 minutes") */
    CXS_RULE_CONCESSION = 1u << 17,     /**< praise conceded in a complaint ("at least ...") */
    CXS_RULE_RESOLVED = 1u << 18,       /**< a problem put right later ("... but they refunded") */
    CXS_RULE_MINOR = 1u << 19           /**< a problem called minor ("my only complaint is ...") */
} cxs_rule;

/** Name of one rule bit ("negated", ...); "unknown" otherwise. Static string. */
CXS_API const char *cxs_rule_name(unsigned rule);

/** One scored term of the explanation. Layout is frozen. */
typedef struct cxs_term {
    size_t start, end;   /**< byte span [start, end) in the text */
    size_t sentence;     /**< 0-based sentence index */
    double valence;      /**< lexicon valence */
    double score;        /**< contribution after the rules */
    unsigned rules;      /**< cxs_rule bits */
} cxs_term;

/** Number of scored terms in the explanation. */
CXS_API size_t cxs_result_term_count(const cxs_result *res);

/** Copy term i into *out. @return CXS_OK or CXS_EINVAL (i out of range). */
CXS_API int cxs_result_term(cxs_term *out, const cxs_result *res, size_t i);

/** Number of sentences found in the text. */
CXS_API size_t cxs_result_sentence_count(const cxs_result *res);

/* ---- Customer-experience facts (filled by cxs_analyze) ----------------------------------- */

/** Level of a theme in a text. Values are pinned. */
typedef enum cxs_level {
    CXS_LEVEL_BASELINE = 0, /**< an expected basic, met or merely mentioned */
    CXS_LEVEL_DELIGHT = 1,  /**< clearly beyond expectation */
    CXS_LEVEL_FAILURE = 2   /**< a basic expectation not met */
} cxs_level;

/** "baseline", "delight", "failure"; "unknown" otherwise. Static string. */
CXS_API const char *cxs_level_name(int level);

/** Intents (bits of cxs_result_intents()). Values are pinned. */
typedef enum cxs_intent {
    CXS_INTENT_COMPLAINT = 1u << 0, /**< the writer complains */
    CXS_INTENT_CHURN = 1u << 1,     /**< leaves, cancels, switches ("never again") */
    CXS_INTENT_RETURN = 1u << 2,    /**< will come back, a repeat customer */
    CXS_INTENT_RECOMMEND = 1u << 3  /**< recommends it to others */
} cxs_intent;

/** Name of one intent bit ("complaint", ...); "unknown" otherwise. Static string. */
CXS_API const char *cxs_intent_name(unsigned intent);

/** Where a wait happened. Values are pinned. */
typedef enum cxs_channel {
    CXS_CHANNEL_OTHER = 0,
    CXS_CHANNEL_PHONE = 1,
    CXS_CHANNEL_CHAT = 2,
    CXS_CHANNEL_EMAIL = 3,
    CXS_CHANNEL_SOCIAL = 4, /**< a reply on a social network or its direct messages */
    CXS_CHANNEL_STORE = 5,  /**< in person: queues, tables, counters */
    CXS_CHANNEL_DELIVERY = 6
} cxs_channel;

/** "other", "phone", "chat", "email", "social", "store", "delivery"; "unknown" otherwise. */
CXS_API const char *cxs_channel_name(int channel);

/** A theme the text talks about: one per theme, with its net polarity. Layout is frozen. */
typedef struct cxs_theme {
    const char *theme; /**< the theme's name (borrowed from the model) */
    double score;      /**< net sentiment of the clauses that mention it, in [-1, 1] */
    int polarity;      /**< a cxs_label */
    int level;         /**< a cxs_level */
    size_t n_spans;    /**< its mentions; see cxs_result_theme_span() */
} cxs_theme;

/** Number of themes found in the text. */
CXS_API size_t cxs_result_theme_count(const cxs_result *res);

/** Copy theme i (0-based, in order of first mention) into *out.
 *  @return CXS_OK or CXS_EINVAL (i out of range, NULL argument). */
CXS_API int cxs_result_theme(cxs_theme *out, const cxs_result *res, size_t i);

/** Byte span [*start, *end) of mention j of theme i. @return CXS_OK or CXS_EINVAL. */
CXS_API int cxs_result_theme_span(size_t *start, size_t *end, const cxs_result *res, size_t i,
                                  size_t j);

/** The text's intents: cxs_intent bits (0 for none or NULL). */
CXS_API unsigned cxs_result_intents(const cxs_result *res);

/** A wait the text states ("45 minutes on hold", "the refund took 3 weeks"). Layout is
 *  frozen. */
typedef struct cxs_wait {
    size_t start, end; /**< byte span of the duration */
    double seconds;
    int channel;       /**< a cxs_channel */
    int breach;        /**< 1 if longer than the channel's response-time standard (model
                            settings standard_phone, ...; a standard of 0 is none) */
} cxs_wait;

/** Number of waits found in the text. */
CXS_API size_t cxs_result_wait_count(const cxs_result *res);

/** Copy wait i (0-based, in text order) into *out. @return CXS_OK or CXS_EINVAL. */
CXS_API int cxs_result_wait(cxs_wait *out, const cxs_result *res, size_t i);

/** JSON flags. */
enum {
    CXS_JSON_EXPLAIN = 1u << 0 /**< add "explain": the scored terms with spans and rules */
};

/**
 * Serialise a result as one JSON object (no newline):
 * {"sentiment":{"compound":..,"pos":..,"neu":..,"neg":..,"label":".."},
 *  "themes":[{"theme":"service","polarity":"negative","score":-0.55,"level":"failure",
 *             "spans":[[10,42]]}],
 *  "intents":["complaint"],
 *  "waits":[{"channel":"phone","seconds":2700,"span":[4,20],"breach":true}]}
 * and, with CXS_JSON_EXPLAIN, "explain":[...].
 * Numbers have at most 4 decimals; the output does not depend on the locale. The same text
 * always gives the same bytes.
 *
 * @param buf  may be NULL when cap is 0
 * @return the length of the JSON (excluding the NUL); if it is >= cap, the output was
 *         truncated (snprintf-style) and a buffer of return+1 bytes is needed.
 */
CXS_API size_t cxs_result_to_json(const cxs_result *res, unsigned flags, char *buf, size_t cap);

/** Free a result. NULL is a no-op. */
CXS_API void cxs_result_free(cxs_result *res);

/* ---------------------------------------------------------------------------------------- */
/* Narratives: what customers are saying, over many texts                                   */
/* ---------------------------------------------------------------------------------------- */

/*
 * A narrative aggregates results per group (a brand, or any key the caller chooses) and per
 * period: counts, sums and fixed histograms only, so it is mergeable: merging narratives built
 * from parts of a data set gives exactly the narrative of the whole, in any order (shards,
 * threads, partitions of a distributed job). Its JSON lists groups, periods and themes in a
 * fixed order, so equal narratives serialise to equal bytes.
 */
typedef struct cxs_narrative cxs_narrative; /* one thread at a time */

/** What a record brings besides its result. Any field may be 0 / NULL. Layout is frozen. */
typedef struct cxs_record_info {
    const char *group;  /**< brand or other group key, NUL-terminated; NULL or "" is the group
                             "" (at most 127 bytes are kept) */
    const char *period; /**< period key, NUL-terminated, e.g. "2026-03"; periods sort as bytes,
                             so use sortable keys; NULL or "": none (at most 15 bytes kept) */
    const char *id;     /**< the record's id, shown with its verbatims; NULL: none */
    const char *text;   /**< the text, for verbatims (cut to 280 bytes); NULL: none */
    size_t len;         /**< bytes of text */
    double rating;      /**< the writer's own rating, 0 <= rating <= rating_max */
    double rating_max;  /**< the rating's scale (5 for stars); 0: the record has no rating */
} cxs_record_info;

/**
 * Make an empty narrative for results of `model` (its theme names; its allocator).
 * @param[out] out  receives the narrative, which must not outlive the model; NULL on failure
 * @return CXS_OK, CXS_EINVAL (NULL argument) or CXS_ENOMEM
 * Threads: the model may be shared; the narrative is used by one thread at a time.
 */
CXS_API int cxs_narrative_new(cxs_narrative **out, const cxs_model *model, cxs_error *err);

/**
 * Add one analysed text (cxs_analyze() filled `res`) to the group and period `info` names.
 * The narrative copies what it keeps; neither `res` nor `info` need outlive the call.
 * @param info  may be NULL (group "", no period, no verbatim, no rating)
 * @return CXS_OK, CXS_EINVAL (NULL nar or res, a result of another model's themes, a rating
 *         out of its scale) or CXS_ENOMEM (the narrative is left as it was)
 */
CXS_API int cxs_narrative_add(cxs_narrative *nar, const cxs_result *res,
                              const cxs_record_info *info, cxs_error *err);

/**
 * Merge `from` into `into`: afterwards `into` equals a narrative of both sets of records.
 * `from` is unchanged. Both must come from models with the same theme names.
 * @return CXS_OK, CXS_EINVAL (NULL argument, different themes, into == from) or CXS_ENOMEM
 *         (`into` is left as it was)
 */
CXS_API int cxs_narrative_merge(cxs_narrative *into, const cxs_narrative *from, cxs_error *err);

/** Number of groups (0 for NULL). Groups are numbered in byte order of their keys. */
CXS_API size_t cxs_narrative_group_count(const cxs_narrative *nar);

/** Key of group g, owned by the narrative until its next add or merge; NULL if out of range. */
CXS_API const char *cxs_narrative_group_name(const cxs_narrative *nar, size_t g);

/** Sentiment of a group or of one theme within it. Layout is frozen. */
typedef struct cxs_net_stats {
    size_t texts;          /**< texts (for a theme: texts that mention it) */
    size_t positive, neutral, negative;
    double mean_score;     /**< mean compound (for a theme: mean theme score) */
    double net;            /**< (positive - negative) / (positive + negative), 0 if none */
    double net_low, net_high; /**< 95% Wilson interval of net; -1 and 1 if none */
    int few;               /**< positive + negative < 10: too few to read a net from */
} cxs_net_stats;

/** The sentiment of group g. @return CXS_OK or CXS_EINVAL (NULL argument, g out of range). */
CXS_API int cxs_narrative_group(cxs_net_stats *out, const cxs_narrative *nar, size_t g);

/** A theme within group g. Layout is frozen. */
typedef struct cxs_theme_stats {
    cxs_net_stats net;
    double share;  /**< texts mentioning the theme / texts of the group: its share of voice */
    size_t baseline, delight, failure; /**< texts by the theme's level */
} cxs_theme_stats;

/** Theme t (an index of cxs_model_theme_name()) within group g; zeros if never mentioned.
 *  @return CXS_OK or CXS_EINVAL. */
CXS_API int cxs_narrative_theme(cxs_theme_stats *out, const cxs_narrative *nar, size_t g,
                                size_t t);

/**
 * The themes group g mentions, most texts first (ties in the model's order): their indexes
 * (for cxs_narrative_theme() and cxs_model_theme_name()) into out[0..cap). The narrative JSON,
 * cxsent-scan's summary and its report list themes in this order.
 * @return how many themes the group mentions (snprintf-style: more than cap means out holds
 *         the first cap), 0 when g is out of range. Threads: as cxs_narrative_group().
 */
CXS_API size_t cxs_narrative_theme_ranking(size_t *out, size_t cap, const cxs_narrative *nar,
                                           size_t g);

/** The waits stated for one channel within a group. Layout is frozen. */
typedef struct cxs_wait_stats {
    size_t count;      /**< waits stated */
    size_t breaches;   /**< of them, longer than the channel's standard */
    double median, p90; /**< seconds, from a log-scale histogram that keeps each bin's
                             mean: exact when the bin holds one stated value, else within
                             7.8% (half a bin: 10^(1/32) - 1); 0 if count is 0 */
} cxs_wait_stats;

/** Waits of `channel` (a cxs_channel) within group g. @return CXS_OK or CXS_EINVAL. */
CXS_API int cxs_narrative_wait(cxs_wait_stats *out, const cxs_narrative *nar, size_t g,
                               int channel);

/** Texts of group g with intent bit `intent` (a cxs_intent); 0 if out of range. */
CXS_API size_t cxs_narrative_intent_count(const cxs_narrative *nar, size_t g, unsigned intent);

/** Number of periods of group g (0 if out of range). Periods are numbered in byte order. */
CXS_API size_t cxs_narrative_period_count(const cxs_narrative *nar, size_t g);

/** Key of period p of group g, owned by the narrative until its next add or merge (which may
 *  move or renumber the periods); NULL if out of range. */
CXS_API const char *cxs_narrative_period_name(const cxs_narrative *nar, size_t g, size_t p);

/** The sentiment of period p of group g. @return CXS_OK or CXS_EINVAL. */
CXS_API int cxs_narrative_period(cxs_net_stats *out, const cxs_narrative *nar, size_t g,
                                 size_t p);

/** Rating-text disagreements within a group. Layout is frozen. */
typedef struct cxs_rating_stats {
    size_t rated;                     /**< texts that came with a rating */
    size_t high_rating_negative_text; /**< rating >= 70% of its scale, text negative */
    size_t low_rating_positive_text;  /**< rating <= 40% of its scale, text positive */
} cxs_rating_stats;

/** Rating-text disagreements of group g. @return CXS_OK or CXS_EINVAL. */
CXS_API int cxs_narrative_ratings(cxs_rating_stats *out, const cxs_narrative *nar, size_t g);

/** Which verbatim of a group to read. Values are pinned. */
typedef enum cxs_verbatim_kind {
    CXS_VERBATIM_MOST_POSITIVE = 0,  /**< the positive text with the highest compound */
    CXS_VERBATIM_MOST_NEGATIVE = 1,  /**< the negative text with the lowest compound */
    CXS_VERBATIM_THEME_POSITIVE = 2, /**< of a theme: the highest positive theme score */
    CXS_VERBATIM_THEME_NEGATIVE = 3, /**< of a theme: the lowest negative theme score */
    CXS_VERBATIM_HIGH_RATING_NEGATIVE = 4, /**< a good rating on the most negative text */
    CXS_VERBATIM_LOW_RATING_POSITIVE = 5   /**< a bad rating on the most positive text */
} cxs_verbatim_kind;

/** A verbatim: a customer's own words, as evidence. Layout is frozen. */
typedef struct cxs_verbatim {
    const char *id;   /**< the record's id ("" if none), owned by the narrative */
    const char *text; /**< its text (at most 280 bytes, cut on a character boundary), owned
                           by the narrative; NULL when there is no such verbatim */
    size_t len;       /**< bytes of text */
    double score;     /**< the compound, or the theme's score */
    int cut;          /**< the text was longer */
} cxs_verbatim;

/**
 * Verbatim `kind` of group g (`theme`: an index of cxs_model_theme_name() for the theme kinds,
 * else ignored). Ties go to the text first in byte order, then the id first in byte order,
 * then a whole text before a cut one, so the choice does not depend on the order of the
 * records. The strings stay valid until the narrative's next add, merge or
 * free. @return CXS_OK (out->text NULL when there is none) or CXS_EINVAL.
 */
CXS_API int cxs_narrative_verbatim(cxs_verbatim *out, const cxs_narrative *nar, size_t g,
                                   int kind, size_t theme);

/** One theme's part in the change between a group's last two periods. Layout is frozen. */
typedef struct cxs_theme_change {
    size_t theme;                      /**< an index of cxs_model_theme_name() */
    size_t mentions_from, mentions_to; /**< texts mentioning it in each period */
    double net_from, net_to;           /**< its net sentiment in each (0 without pos/neg) */
    double effect; /**< the change in (its positive - negative mentions) / (positive + negative
                        texts of the period): how much it moved the group's net sentiment */
} cxs_theme_change;

/**
 * What changed in group g between its last two periods: the themes mentioned in either, the
 * largest |effect| first (ties in the model's order), into out[0..cap); *from and *to (either
 * may be NULL) receive the two periods' indexes for cxs_narrative_period().
 * @return the number of themes (snprintf-style: more than cap means out holds the first cap),
 *         0 when the group has fewer than two periods or g is out of range
 */
CXS_API size_t cxs_narrative_change(cxs_theme_change *out, size_t cap, size_t *from, size_t *to,
                                    const cxs_narrative *nar, size_t g);

/** One term's part in the change between a group's last two periods. Layout is frozen. */
typedef struct cxs_term_change {
    const char *term;     /**< the term as written, lower-cased ("not TERM" when negated),
                               owned by the narrative until its next add, merge or free */
    size_t pos_from, neg_from; /**< texts of the earlier period in which it scored + / - */
    size_t pos_to, neg_to;     /**< the same in the later period */
    double effect; /**< the change in (its positive - negative texts) / (positive + negative
                        texts of the period), as for themes */
} cxs_term_change;

/**
 * The lexicon terms behind the change of group g between its last two periods: the `cap`
 * with the largest |effect| into out (ties in byte order of the term).
 * @return how many terms the two periods hold (may exceed cap), 0 when the group has fewer
 *         than two periods or g is out of range
 */
CXS_API size_t cxs_narrative_change_terms(cxs_term_change *out, size_t cap,
                                          const cxs_narrative *nar, size_t g);

/** Narrative JSON flags. */
enum {
    CXS_NARRATIVE_NO_VERBATIMS = 1u << 0 /**< leave out the verbatims: no customer's text,
                                              only lexicon terms (in the change) */
};

/**
 * Serialise a narrative as one JSON object (no newline): {"groups":[...]}, each group with
 * its sentiment, themes (share of voice, net with interval, levels, verbatims), intents,
 * waits per channel, rating-text disagreements, periods with their themes, and the change
 * between its last two periods with the themes that explain it. The format is documented in
 * the README ("Narrative JSON"). Locale-independent; equal narratives give equal bytes.
 *
 * @param buf  may be NULL when cap is 0
 * @return the length of the JSON (excluding the NUL); if it is >= cap, the output was
 *         truncated (snprintf-style) and a buffer of return+1 bytes is needed.
 */
CXS_API size_t cxs_narrative_to_json(const cxs_narrative *nar, unsigned flags, char *buf,
                                     size_t cap);

/**
 * The narrative's state as bytes, to send to another process or machine and merge there:
 * cxs_narrative_load() of them gives an equal narrative (equal JSON, equal merges). A
 * versioned, locale-independent text format ("cxsent-narrative 1", described in
 * lib/narrative_state.c). snprintf-style, as cxs_narrative_to_json(); NULL gives an empty state.
 */
CXS_API size_t cxs_narrative_save(const cxs_narrative *nar, char *buf, size_t cap);

/**
 * A narrative from bytes cxs_narrative_save() wrote, for results of `model`, whose theme
 * names the state must list in the same order.
 * @param[out] out  receives the narrative; NULL on failure
 * @return CXS_OK, CXS_EINVAL (NULL argument; a state of other themes), CXS_EPARSE (not a
 *         state, or a damaged one: err->line and err->column say where) or CXS_ENOMEM
 * Threads: as cxs_narrative_new().
 */
CXS_API int cxs_narrative_load(cxs_narrative **out, const cxs_model *model, const char *data,
                               size_t len, cxs_error *err);

/** Free a narrative. NULL is a no-op. */
CXS_API void cxs_narrative_free(cxs_narrative *nar);

#ifdef __cplusplus
}
#endif

#endif /* CXSENT_H */
