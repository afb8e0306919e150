/*
 * cxsent-coverage — which words and phrases of a review export does the model not know?
 *
 * Reads JSONL and/or CSV exports, splits every text into lower-case words and 2-3 word n-grams,
 * looks each up with cxs_model_lookup() and prints the most frequent unknown ones with a count
 * and one or two example texts, and the way each leans (the mean rating, or the mean
 * sentiment of the texts it occurs in), plus the share of content words the model knows. It is
 * the first step of growing a domain lexicon (see README.md). Uses only <cxsent.h> and jansson.
 *
 * Two passes: the first counts, the second tallies the leans and collects examples for the
 * terms that made the tables (standard input is spooled to a temporary file for that). With
 * --sort lean the second tallies every candidate, since the lean picks the terms shown, and a
 * third collects the examples of those. Bad input never stops the run: invalid UTF-8, broken
 * CSV quoting and bad JSON lines are reported as FILE:LINE: reason on stderr and skipped.
 */
#define _POSIX_C_SOURCE 200809L
#include <cxsent.h>

#include <errno.h>
#include <jansson.h>

#include "../common/csv.h"
#include "../common/jsonl.h"
#include "../common/model_opts.h"
#include "../common/utf8enc.h"
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_PARTIAL 2    /* ran to the end, but some records were skipped */
#define MAX_WORD 64       /* bytes; a longer "word" is not looked up (as in the engine) */
#define MAX_NGRAM 3       /* longest n-gram counted */
#define MAX_COVER 4       /* known phrases are matched up to this many words */
#define N_EXAMPLES 2
#define SNIPPET 100       /* bytes of context shown around a term */
#define MAX_FILES 256
#define MAX_OVERRIDES 16
#define PRUNE_AT 4000000u /* table entries; beyond this, rare phrases are dropped */

static const char usage_text[] =
    "usage: cxsent-coverage [options] [FILE...]\n"
    "Find the words and phrases of customer texts that the sentiment model does not know.\n"
    "Reads JSONL (one JSON object per line) or CSV (RFC 4180, header row) from each FILE, or\n"
    "JSONL from standard input when there is none or FILE is '-'. A file whose name ends in\n"
    ".csv is read as CSV. Prints the most frequent unknown words and 2-3 word phrases with\n"
    "their count and up to two example texts, and the share of content words (not stopwords\n"
    "or numbers) the model knows. Topic words (delivery, price, staff) are neutral and left\n"
    "out of the lexicon on purpose, so they are expected among the unknown words.\n"
    "\n"
    "      --text-field NAME    JSON field or CSV column holding the text (default: text)\n"
    "      --rating-field NAME  JSON field or CSV column holding a rating (default: rating)\n"
    "      --rating-scale N     ratings are numbers 0..N (default 5), or LO..HI (e.g. 1..7)\n"
    "      --csv                read every input as CSV (also standard input)\n"
    "      --jsonl              read every input as JSONL (also *.csv files)\n"
    "      --model FILE         load this model instead of the built-in default\n"
    "      --override FILE      merge these entries into the model (repeatable)\n"
    "      --ignore FILE        words and phrases not to list, one per line (repeatable);\n"
    "                           '#' starts a comment; use it for terms already reviewed\n"
    "      --top N              list N words and N phrases (default 50; 0: all)\n"
    "      --min-count N        list only terms seen at least N times (default 2)\n"
    "      --ngrams N           1: words only; 2: also 2-word phrases; 3: also 3-word\n"
    "                           phrases (default 3)\n"
    "      --sort count|lean    list the most frequent terms first (default), or those with\n"
    "                           the clearest lean (see below)\n"
    "      --json               write one JSON object instead of the tables\n"
    "  -q, --quiet              do not report skipped lines one by one\n"
    "  -h, --help               show this help\n"
    "      --version            show the version\n"
    "\n"
    "Stopwords, numbers and units glued to numbers (45min, 3rd) are never listed. A phrase is\n"
    "listed only if at least one of its words is not a stopword, it neither starts nor ends\n"
    "with a glue word (the, a, my, is, and, of, to, in, ...) nor starts with a number, none of\n"
    "its words is part of a known phrase at that place, and not all of its content words are\n"
    "known. The known words inside a listed phrase are shown with their valence: a frequent\n"
    "phrase around a sentiment word is often a literal sense ('goat cheese') that wants a 0.0\n"
    "phrase entry. Elongations are squeezed as the engine does ('soooo' counts as 'soo', and\n"
    "is known if 'so' is).\n"
    "\n"
    "Lean: which way a term leans, from the texts it occurs in. A record with a rating (a JSON\n"
    "number, or a decimal in the CSV column, within the scale) leans by it: N of 2 to 5 is a\n"
    "star scale (1 is -1, the middle 0, N +1; 0 counts as 1), other N are 0..N (0 is -1, N/2\n"
    "is 0), LO..HI maps LO to -1 and HI to +1. A record without a rating leans by the model's\n"
    "compound score of its text, to which unknown words add no valence. A term's lean is the\n"
    "mean over its distinct records: of their ratings if at least half had one ('+0.62 r14':\n"
    "14 ratings), else of their texts' scores ('-0.40 t9': 9 texts); '?' marks fewer than 5,\n"
    "and the 95% interval shows how sure it is. --sort lean ranks by the interval's end nearest 0\n"
    "(0 if it holds 0), then |lean|, then records (more first), then the term's bytes. A lean\n"
    "is evidence for a valence in an override file, not the valence itself.\n"
    "\n"
    "Exit status: 0 all input read; 2 some lines or records were skipped (invalid UTF-8,\n"
    "broken CSV quoting, bad JSON, no text field), each reported on stderr as FILE:LINE;\n"
    "1 usage error, unreadable file, CSV file without the text column, or model error.\n";

/* ---- stopwords ------------------------------------------------------------------------- */

/* Function words, contractions, auxiliaries and degree words: never listed, not counted. */
static const char *const stopword_list[] = {
    "a", "about", "above", "after", "again", "against", "ago", "all", "almost", "already",
    "also", "although", "always", "am", "an", "and", "another", "any", "anyone", "anything",
    "are", "aren't", "around", "as", "at", "back", "be", "because", "been", "before", "being",
    "below", "between", "both", "but", "by", "came", "can", "can't", "cannot", "cant", "come",
    "could", "couldn't", "did", "didn't", "didnt", "do", "does", "doesn't", "doesnt", "doing",
    "don't", "dont", "down", "during", "each", "either", "else", "even", "ever", "every",
    "few", "for", "from", "further", "get", "gets", "getting", "go", "goes", "going", "gone",
    "got", "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "he'd",
    "he'll", "he's", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i",
    "i'd", "i'll", "i'm", "i've", "if", "im", "in", "into", "is", "isn't", "isnt", "it",
    "it'll", "it's", "its", "itself", "ive", "just", "let's", "lot", "lots", "made", "make",
    "many", "may", "me", "might", "more", "most", "much", "must", "my", "myself", "never",
    "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our",
    "ours", "ourselves", "out", "over", "own", "quite", "rather", "really", "said", "same",
    "say", "says", "she", "she'd", "she'll", "she's", "should", "shouldn't", "since", "so",
    "some", "something", "still", "such", "than", "that", "that's", "thats", "the", "their",
    "theirs", "them", "themselves", "then", "there", "there's", "these", "they", "they'd",
    "they'll", "they're", "they've", "thing", "things", "this", "those", "though", "through",
    "to", "too", "two", "under", "until", "up", "us", "very", "was", "wasn't", "wasnt", "we",
    "we'd", "we'll", "we're", "we've", "went", "were", "weren't", "what", "what's", "when",
    "where", "which", "while", "who", "who's", "whom", "why", "will", "with", "won't", "wont",
    "would", "wouldn't", "yet", "you", "you'd", "you'll", "you're", "you've", "your", "yours",
    "yourself", "yourselves",
    /* negators and degree words: rules of the engine (negators.tsv, boosters.tsv) */
    "absolutely", "barely", "bit", "completely", "entirely", "especially", "extremely",
    "fairly", "fully", "hardly", "highly", "incredibly", "kinda", "least", "less", "mostly",
    "nearly", "neither", "nobody", "none", "nothing", "nowhere", "partly", "pretty",
    "scarcely", "slightly", "somewhat", "sorta", "super", "totally", "truly", "utterly",
    "without",
};

/*
 * Glue words: a listed phrase does not start or end with one ("the app", "app is", "a bit",
 * "answered in" say nothing new). Particles such as on, off, up, out, no and not may stand
 * at the edges: "on hold", "ripped off", "fed up", "no show".
 */
static const char *const glue_list[] = {
    "a", "an", "and", "are", "as", "at", "be", "been", "being", "but", "by", "for", "from", "he",
    "her", "his", "i", "i'm", "in", "is", "it", "it's", "its", "me", "my", "of", "or", "our",
    "she", "than", "that", "the", "their", "them", "these", "they", "this", "those", "to", "us",
    "was", "we", "were", "which", "who", "with", "you", "your",
};

/* ---- small helpers ---------------------------------------------------------------------- */

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("cxsent-coverage: out of memory\n", stderr);
        exit(1);
    }
    return q;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

static int is_digit(unsigned c) { return c >= '0' && c <= '9'; }
static int is_alpha(unsigned c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static int is_alnum(unsigned c) { return is_digit(c) || is_alpha(c); }

/*
 * Decode one UTF-8 sequence at s[0..n). Returns its length (1..4), or 0 if it is invalid
 * (overlong, surrogate, out of range, truncated).
 */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t need = (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3
                : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
    if (!need || need > n)
        return 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (c == 0xE0) lo = 0xA0;
    else if (c == 0xED) hi = 0x9F;
    else if (c == 0xF0) lo = 0x90;
    else if (c == 0xF4) hi = 0x8F;
    if (s[1] < lo || s[1] > hi)
        return 0;
    uint32_t v = c & (need == 2 ? 0x1Fu : need == 3 ? 0x0Fu : 0x07u);
    for (size_t k = 1; k < need; k++) {
        if (k > 1 && (s[k] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[k] & 0x3Fu);
    }
    *cp = v;
    return need;
}

/* Byte offset of the first invalid UTF-8 sequence, or (size_t)-1 if the text is valid. */
static size_t utf8_check(const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (!k)
            return i;
        i += k;
    }
    return (size_t)-1;
}

/* A non-ASCII code point that belongs in a word: letters, combining marks, non-Latin scripts. */
static int is_word_cp(uint32_t cp)
{
    if (cp == 0xD7 || cp == 0xF7)
        return 0;
    if (cp == 0xAA || cp == 0xB5 || cp == 0xBA || (cp >= 0xC0 && cp <= 0x2FF))
        return cp != 0x2BC;
    if (cp >= 0x300 && cp <= 0x1FFF) /* marks, Greek, Cyrillic ... Latin/Greek extended */
        return cp != 0x37E && cp != 0x387 && !(cp >= 0x55A && cp <= 0x55F) && cp != 0x589 &&
               cp != 0x5BE && cp != 0x5C0 && cp != 0x5C3 && cp != 0x5F3 && cp != 0x5F4 &&
               cp != 0x60C && cp != 0x61B && cp != 0x61F && !(cp >= 0x66A && cp <= 0x66D) &&
               cp != 0x6D4 && cp != 0x964 && cp != 0x965 && cp != 0xE4F && cp != 0xE5A &&
               cp != 0xE5B && !(cp >= 0x1FBD && cp <= 0x1FC1 && cp != 0x1FBE) &&
               !(cp >= 0x1FCD && cp <= 0x1FCF) && !(cp >= 0x1FDD && cp <= 0x1FDF) &&
               !(cp >= 0x1FED && cp <= 0x1FEF) && cp != 0x1FFD && cp != 0x1FFE;
    return (cp >= 0x2C00 && cp <= 0x2DFF) || (cp >= 0x3041 && cp <= 0x30FF && cp != 0x30FB) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xA000 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF10 && cp <= 0xFF19) ||
           (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A) ||
           (cp >= 0x20000 && cp <= 0x2FFFF);
}

static int is_apostrophe_cp(uint32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC;
}

static int is_space_cp(uint32_t cp)
{
    return cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000 || cp == 0xFEFF;
}

/* Simple lower-casing for display and counting (the model folds fully when looking up). */
static uint32_t lower_cp(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp | 0x20;
    if (cp < 0xC0)
        return cp;
    if (cp <= 0xDE && cp != 0xD7)
        return cp + 0x20;
    if (cp >= 0x100 && cp <= 0x17F) {
        if (cp == 0x130 || cp == 0x131 || cp == 0x138 || cp == 0x149 || cp == 0x17F)
            return cp;
        if (cp == 0x178)
            return 0xFF;
        if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
            return (cp & 1) ? cp + 1 : cp;
        return (cp & 1) ? cp : cp + 1;
    }
    if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2)
        return cp + 0x20;
    if (cp == 0x386)
        return 0x3AC;
    if (cp >= 0x388 && cp <= 0x38A)
        return cp + 0x25;
    if (cp == 0x38C)
        return 0x3CC;
    if (cp == 0x38E || cp == 0x38F)
        return cp + 0x3F;
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 0x50;
    if (cp >= 0x1E00 && cp <= 0x1EFF && cp != 0x1E9E && !(cp >= 0x1E96 && cp <= 0x1E9F))
        return (cp & 1) ? cp : cp + 1;
    return cp;
}

/* ---- the term table ---------------------------------------------------------------------- */

enum {
    E_LOOKED = 1,   /* cxs_model_lookup has been asked */
    E_KNOWN = 2,    /* the model has a valence for the term */
    E_FB_LOOKED = 4, /* elongation fallback ("soo" -> "so") asked */
    E_FB_KNOWN = 8,
    E_STOP = 16,    /* a stopword or a number */
    E_IGNORED = 32, /* listed in an --ignore file */
    E_GLUE = 64     /* a glue word: no listed phrase starts or ends with it */
};

typedef struct entry {
    uint64_t hash;
    uint32_t key;   /* offset into the arena */
    uint16_t len;   /* 0: empty slot */
    uint8_t n;      /* words */
    uint8_t flags;
    uint32_t count; /* unknown occurrences (words) or counted occurrences (phrases) */
    float valence;
    int32_t sel;    /* index into the selection, or -1 */
    int32_t lean;   /* index into the lean tallies (cov.acc), or -1 */
} entry;

typedef struct table {
    entry *v;
    size_t cap, used;
    char *arena;
    size_t alen, acap;
} table;

static void table_init(table *t, size_t cap)
{
    t->v = calloc(cap, sizeof *t->v);
    if (!t->v) {
        fputs("cxsent-coverage: out of memory\n", stderr);
        exit(1);
    }
    t->cap = cap;
    t->used = 0;
    t->arena = NULL;
    t->alen = t->acap = 0;
}

static void table_free(table *t)
{
    free(t->v);
    free(t->arena);
    memset(t, 0, sizeof *t);
}

static const char *entry_key(const table *t, const entry *e) { return t->arena + e->key; }

static entry *table_find(table *t, const char *key, size_t len, uint64_t h)
{
    size_t mask = t->cap - 1, i = (size_t)h & mask;
    for (;;) {
        entry *e = &t->v[i];
        if (!e->len)
            return NULL;
        if (e->hash == h && e->len == len && !memcmp(t->arena + e->key, key, len))
            return e;
        i = (i + 1) & mask;
    }
}

static void table_place(table *t, const entry *src)
{
    size_t mask = t->cap - 1, i = (size_t)src->hash & mask;
    while (t->v[i].len)
        i = (i + 1) & mask;
    t->v[i] = *src;
}

static void table_grow(table *t)
{
    entry *old = t->v;
    size_t oldcap = t->cap;
    t->cap = oldcap * 2;
    t->v = calloc(t->cap, sizeof *t->v);
    if (!t->v) {
        fputs("cxsent-coverage: out of memory\n", stderr);
        exit(1);
    }
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].len)
            table_place(t, &old[i]);
    free(old);
}

/* Make room for `extra` inserts without moving entries (entry pointers stay valid). */
static void table_reserve(table *t, size_t extra)
{
    while ((t->used + extra + 1) * 2 > t->cap)
        table_grow(t);
}

static entry *table_get(table *t, const char *key, size_t len, int n)
{
    uint64_t h = hash_bytes(key, len);
    entry *e = table_find(t, key, len, h);
    if (e)
        return e;
    if ((t->used + 1) * 2 > t->cap)
        table_grow(t);
    if (t->alen + len + 1 > t->acap) {
        size_t nc = t->acap ? t->acap * 2 : 1 << 16;
        while (nc < t->alen + len + 1)
            nc *= 2;
        t->arena = xrealloc(t->arena, nc);
        t->acap = nc;
    }
    entry ne;
    memset(&ne, 0, sizeof ne);
    ne.hash = h;
    ne.key = (uint32_t)t->alen;
    ne.len = (uint16_t)len;
    ne.n = (uint8_t)n;
    ne.sel = -1;
    ne.lean = -1;
    memcpy(t->arena + t->alen, key, len);
    t->arena[t->alen + len] = '\0';
    t->alen += len + 1;
    table_place(t, &ne);
    t->used++;
    return table_find(t, key, len, h);
}

/* Drop phrase entries seen at most `floor` times (and cached look-ups); keep words. */
static void table_prune(table *t, uint32_t floor)
{
    table nt;
    table_init(&nt, t->cap);
    for (size_t i = 0; i < t->cap; i++) {
        entry *e = &t->v[i];
        if (!e->len)
            continue;
        int keep = e->n == 1 ? (e->count > 0 || (e->flags & (E_STOP | E_GLUE | E_IGNORED)))
                             : e->count > floor;
        if (!keep && !(e->flags & E_IGNORED))
            continue;
        entry c = *e;
        if (nt.alen + e->len + 1 > nt.acap) {
            size_t nc = nt.acap ? nt.acap * 2 : 1 << 16;
            while (nc < nt.alen + e->len + 1)
                nc *= 2;
            nt.arena = xrealloc(nt.arena, nc);
            nt.acap = nc;
        }
        memcpy(nt.arena + nt.alen, t->arena + e->key, e->len + 1u);
        c.key = (uint32_t)nt.alen;
        nt.alen += e->len + 1u;
        table_place(&nt, &c);
        nt.used++;
    }
    table_free(t);
    *t = nt;
}

/* ---- options and state ------------------------------------------------------------------- */

typedef struct example {
    char text[SNIPPET * 2 + 16];
    const char *file;
    unsigned long line;
} example;

typedef struct selected {
    size_t slot; /* index of the entry in the table (stable: no inserts in pass 2) */
    example ex[N_EXAMPLES];
    int nex;
} selected;

/*
 * A term's lean: the mean, over the distinct records it occurs in, of each record's rating
 * mapped to -1..+1, or of the model's compound score of the text for a record without a
 * rating. The two are tallied apart (index 0: ratings, 1: texts) and not mixed: a star rating
 * often reaches -1 or +1, a compound rarely does.
 */
enum { LEAN_RATING = 0, LEAN_TEXT = 1, LEAN_NONE = -1 };
#define LEAN_WEAK 5 /* a lean on fewer records is marked weak */

typedef struct lean_acc {
    unsigned long last; /* the record (serial in pass 2) last tallied: once per record */
    uint32_t n[2];      /* records with a rating / scored by their text */
    double sum[2];
    /* filled in by lean_finish() */
    int from;       /* LEAN_RATING, LEAN_TEXT or LEAN_NONE (no record could be scored) */
    uint32_t nfrom; /* n[from] */
    double lean, low, high, strength; /* the mean, its 95% interval, --sort key */
} lean_acc;

/* A record's rating field: absent or null, a number on the scale, or something else. */
enum { RATING_NONE = 0, RATING_OK = 1, RATING_BAD = 2 };

typedef struct opts {
    const char *text_field, *model;
    const char *rating_field;
    long scale_lo, scale_hi; /* ratings outside [scale_lo, scale_hi] are no rating */
    long scale_zero;         /* the rating that maps to -1: 1 on a star scale, else scale_lo */
    int sort_lean;           /* --sort lean */
    const char *overrides[MAX_OVERRIDES];
    int n_overrides;
    const char *ignores[MAX_OVERRIDES];
    int n_ignores;
    long top, min_count, ngrams;
    int force_csv, force_jsonl, json, quiet;
} opts;

typedef struct tok {
    uint32_t start, end; /* byte span in the text */
    uint32_t key, len;   /* the key in the scratch buffer */
    uint8_t stop;        /* stopword, number or one letter */
    uint8_t elong;       /* an elongation was squeezed */
    uint8_t joined;      /* only blanks separate it from the previous token */
    uint8_t covered;     /* part of a known phrase */
    uint8_t glue;        /* a glue word */
    entry *e;            /* its word entry (content words only) */
    int known;           /* the model knows this occurrence */
} tok;

typedef struct cov {
    opts o;
    cxs_model *model;
    table t;
    int pass; /* 1: count, 2: examples */
    uint32_t prune_floor;
    size_t prune_at;
    uint32_t pruned_floor; /* the highest count at which phrases were dropped */
    int pruned;
    /* statistics (pass 1) */
    unsigned long texts, skipped, lines_read;
    unsigned long long words, content, known;
    /* tokenizer scratch */
    tok *toks;
    size_t ntok, cap_tok;
    char *kbuf;
    size_t klen, kcap;
    char *phr;
    size_t phr_cap;
    /* pass 2 */
    selected *sel;
    size_t nsel;
    const char *cur_file;
    unsigned long cur_line;
    const char *cur_text;
    size_t cur_len;
    /* leans (pass 2) */
    cxs_analyzer *an;
    lean_acc *acc;
    size_t nacc;
    unsigned long rec; /* serial of the current record */
    int cur_rating;    /* RATING_* */
    double cur_rating_lean;
    int cur_scored; /* 0: not yet, 1: cur_text_lean is set, -1: scoring failed */
    double cur_text_lean;
    unsigned long rated, rating_bad, score_failed;
} cov;

static void report(cov *c, const char *file, unsigned long line, const char *fmt, ...)
{
    if (c->pass != 1)
        return;
    c->skipped++;
    if (c->o.quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "cxsent-coverage: %s:%lu: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* ---- looking terms up -------------------------------------------------------------------- */

static int lookup(cov *c, const char *key, size_t len, double *val)
{
    double v = 0;
    int r = cxs_model_lookup(&v, c->model, key, len);
    if (r == 1 && val)
        *val = v;
    return r == 1;
}

static int entry_known(cov *c, entry *e)
{
    if (!(e->flags & E_LOOKED)) {
        double v = 0;
        e->flags |= E_LOOKED;
        if (lookup(c, entry_key(&c->t, e), e->len, &v)) {
            e->flags |= E_KNOWN;
            e->valence = (float)v;
        }
    }
    return (e->flags & E_KNOWN) != 0;
}

/* The engine's elongation fallback: "soo" -> "so", "loove" -> "love". */
static int entry_known_fallback(cov *c, entry *e)
{
    if (!(e->flags & E_FB_LOOKED)) {
        char buf[MAX_WORD];
        const char *k = entry_key(&c->t, e);
        size_t n = 0;
        for (size_t i = 0; i < e->len && n < sizeof buf; i++)
            if (!(n && buf[n - 1] == k[i] && k[i] >= 'a' && k[i] <= 'z'))
                buf[n++] = k[i];
        e->flags |= E_FB_LOOKED;
        if (lookup(c, buf, n, NULL))
            e->flags |= E_FB_KNOWN;
    }
    return (e->flags & E_FB_KNOWN) != 0;
}

/* ---- tokenizer --------------------------------------------------------------------------- */

static void kput(cov *c, const char *s, size_t n)
{
    if (c->klen + n > c->kcap) {
        size_t nc = c->kcap ? c->kcap * 2 : 4096;
        while (nc < c->klen + n)
            nc *= 2;
        c->kbuf = xrealloc(c->kbuf, nc);
        c->kcap = nc;
    }
    memcpy(c->kbuf + c->klen, s, n);
    c->klen += n;
}

static tok *push_tok(cov *c)
{
    if (c->ntok == c->cap_tok) {
        c->cap_tok = c->cap_tok ? c->cap_tok * 2 : 256;
        c->toks = xrealloc(c->toks, c->cap_tok * sizeof *c->toks);
    }
    tok *t = &c->toks[c->ntok++];
    memset(t, 0, sizeof *t);
    return t;
}

static int starts_url(const unsigned char *s, size_t n)
{
    static const char *const pre[] = {"http://", "https://", "www."};
    for (size_t k = 0; k < 3; k++) {
        size_t m = strlen(pre[k]);
        if (n > m) {
            size_t i = 0;
            while (i < m && (s[i] | 0x20) == (unsigned char)pre[k][i])
                i++;
            if (i == m)
                return 1;
        }
    }
    return 0;
}

/* A word char at s[i]: *len receives its byte length. Apostrophes and hyphens are not. */
static int word_char_at(const unsigned char *s, size_t n, size_t i, size_t *len, uint32_t *cp)
{
    if (s[i] < 0x80) {
        *len = 1;
        *cp = s[i];
        return is_alnum(s[i]);
    }
    size_t k = utf8_decode(s + i, n - i, cp);
    *len = k ? k : 1;
    return k && is_word_cp(*cp);
}

/* Finish the token being built: squeeze elongations, drop it if it is too long. */
static void end_word(cov *c, tok *t, int *brk)
{
    /* squeeze runs of 3+ identical ASCII letters to 2, as the engine does */
    char *k = c->kbuf + t->key;
    size_t w = 0;
    for (size_t r = 0; r < t->len; r++) {
        if (w >= 2 && k[r] == k[w - 1] && k[r] == k[w - 2] && k[r] >= 'a' && k[r] <= 'z') {
            t->elong = 1;
            continue;
        }
        k[w++] = k[r];
    }
    c->klen = t->key + w;
    t->len = (uint32_t)w;
    if (w == 0 || w > MAX_WORD) {
        c->ntok--; /* not a word the engine would look up */
        c->klen = t->key;
        *brk = 1;
    }
}

static void tokenize(cov *c, const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text;
    c->ntok = 0;
    c->klen = 0;
    int brk = 1, attached = 0;
    size_t i = 0;
    while (i < n) {
        unsigned ch = s[i];
        int glued = attached; /* this token starts right after a number */
        attached = 0;
        uint32_t cp;
        size_t len;
        if (ch == ' ' || ch == '\t') {
            i++;
            continue;
        }
        if (ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
            brk = 1;
            i++;
            continue;
        }
        if ((ch == 'h' || ch == 'H' || ch == 'w' || ch == 'W') && starts_url(s + i, n - i)) {
            while (i < n && s[i] > ' ')
                i++;
            brk = 1;
            continue;
        }
        if (ch == '@' && i + 1 < n && (is_alnum(s[i + 1]) || s[i + 1] == '_')) {
            i++;
            while (i < n && (is_alnum(s[i]) || s[i] == '_' || s[i] == '.'))
                i++;
            brk = 1;
            continue;
        }
        if (is_digit(ch)) {
            /* a number: digits with inner , or . ("1,000", "4.5"); a unit may follow */
            tok *t = push_tok(c);
            t->start = (uint32_t)i;
            t->key = (uint32_t)c->klen;
            t->joined = (uint8_t)!brk;
            t->stop = 1;
            size_t j = i;
            while (j < n && (is_digit(s[j]) || ((s[j] == ',' || s[j] == '.') && j > i &&
                                               j + 1 < n && is_digit(s[j + 1])))) {
                if (s[j] != ',')
                    kput(c, (const char *)s + j, 1);
                j++;
            }
            t->end = (uint32_t)j;
            t->len = (uint32_t)(c->klen - t->key);
            if (t->len > 16) {
                c->ntok--;
                c->klen = t->key;
                brk = 1;
                i = j;
                continue;
            }
            brk = 0;
            if (j + 1 < n && s[j] == '-' && is_alpha(s[j + 1]))
                j++; /* "5-star": the word is joined to the number */
            attached = j < n && is_alpha(s[j]);
            i = j;
            continue;
        }
        int wc = word_char_at(s, n, i, &len, &cp);
        if (!wc) {
            if (ch >= 0x80 && len && utf8_decode(s + i, n - i, &cp) && is_space_cp(cp)) {
                i += len;
                continue;
            }
            brk = 1; /* punctuation, symbols and emoji end a phrase */
            i += len;
            continue;
        }
        /* a word */
        tok *t = push_tok(c);
        t->start = (uint32_t)i;
        t->key = (uint32_t)c->klen;
        t->joined = (uint8_t)!brk;
        t->stop = (uint8_t)glued; /* a unit or suffix glued to a number: "45min", "3rd", "20gb" */
        size_t j = i;
        while (j < n) {
            size_t l;
            uint32_t p;
            if (word_char_at(s, n, j, &l, &p)) {
                char buf[4];
                size_t m = tool_utf8_encode(lower_cp(p), buf);
                kput(c, buf, m);
                j += l;
                continue;
            }
            /* inner apostrophe or hyphen: only between word chars */
            size_t al = 1;
            uint32_t ap = s[j];
            if (s[j] >= 0x80 && !(al = utf8_decode(s + j, n - j, &ap)))
                break;
            if ((is_apostrophe_cp(ap) || ap == '-') && j + al < n &&
                word_char_at(s, n, j + al, &l, &p)) {
                kput(c, ap == '-' ? "-" : "'", 1);
                j += al;
                continue;
            }
            break;
        }
        t->end = (uint32_t)j;
        t->len = (uint32_t)(c->klen - t->key);
        brk = 0;
        i = j;
        /* e-mail addresses are not words */
        if (i + 1 < n && s[i] == '@' && is_alnum(s[i + 1])) {
            c->ntok--;
            c->klen = t->key;
            while (i < n && s[i] > ' ')
                i++;
            brk = 1;
            continue;
        }
        end_word(c, t, &brk);
    }
}

/* Build the key of tokens [i, i+len) joined by single spaces into c->phr. */
static size_t phrase_key(cov *c, size_t i, size_t len)
{
    size_t need = 0;
    for (size_t k = 0; k < len; k++)
        need += c->toks[i + k].len + 1;
    if (need > c->phr_cap) {
        c->phr_cap = need * 2;
        c->phr = xrealloc(c->phr, c->phr_cap);
    }
    size_t o = 0;
    for (size_t k = 0; k < len; k++) {
        if (k)
            c->phr[o++] = ' ';
        memcpy(c->phr + o, c->kbuf + c->toks[i + k].key, c->toks[i + k].len);
        o += c->toks[i + k].len;
    }
    return o;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *stopwords[sizeof stopword_list / sizeof *stopword_list];
static const char *glue[sizeof glue_list / sizeof *glue_list];

static void stopwords_init(void)
{
    memcpy(stopwords, stopword_list, sizeof stopwords);
    qsort(stopwords, sizeof stopwords / sizeof *stopwords, sizeof *stopwords, str_cmp);
    memcpy(glue, glue_list, sizeof glue);
    qsort(glue, sizeof glue / sizeof *glue, sizeof *glue, str_cmp);
}

static int in_list(const char *const *list, size_t count, const char *k, size_t len)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *w = list[mid];
        size_t wl = strlen(w);
        int cmp = memcmp(w, k, wl < len ? wl : len);
        if (!cmp)
            cmp = wl < len ? -1 : wl > len;
        if (!cmp)
            return 1;
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int stop_key(const char *k, size_t len)
{
    if (len <= 1)
        return 1;
    if (len >= 3 && !memcmp(k + len - 3, "n't", 3))
        return 1; /* negations ("wasn't") are a rule of the engine, not lexicon words */
    return in_list(stopwords, sizeof stopwords / sizeof *stopwords, k, len);
}

/* Stopwords and glue words live in the table too, so that one look-up classifies a word. */
static void mark_lists(table *t)
{
    for (size_t i = 0; i < sizeof stopwords / sizeof *stopwords; i++)
        table_get(t, stopwords[i], strlen(stopwords[i]), 1)->flags |= E_STOP;
    for (size_t i = 0; i < sizeof glue / sizeof *glue; i++)
        table_get(t, glue[i], strlen(glue[i]), 1)->flags |= E_GLUE;
}

/* Whether a word (key k, len bytes) is a stopword; e is its entry if there is one. */
static int word_is_stop(cov *c, const entry *e, const char *k, size_t len, int elong)
{
    if (len <= 1)
        return 1;
    if (len >= 3 && !memcmp(k + len - 3, "n't", 3))
        return 1; /* negations ("wasn't") are a rule of the engine, not lexicon words */
    if (e ? (e->flags & E_STOP) != 0 : stop_key(k, len))
        return 1;
    if (elong) { /* "sooo" is "so" */
        char buf[MAX_WORD];
        size_t m = 0;
        for (size_t r = 0; r < len && m < sizeof buf; r++)
            if (!(m && buf[m - 1] == k[r] && k[r] >= 'a' && k[r] <= 'z'))
                buf[m++] = k[r];
        const entry *f = table_find(&c->t, buf, m, hash_bytes(buf, m));
        return f ? (f->flags & E_STOP) != 0 : stop_key(buf, m);
    }
    return 0;
}

/* ---- leans ------------------------------------------------------------------------------- */

/*
 * A rating on -1..+1: scale_zero maps to -1, scale_hi to +1, linearly. On a star scale
 * (--rating-scale 2 to 5) scale_zero is 1, so 1, 2, 3, 4, 5 stars are -1, -0.5, 0, +0.5, +1
 * and the 0 that the scale 0..N still admits counts as 1 star; on 0..N otherwise (10, 100)
 * it is 0, so N/2 is 0.
 */
static double rating_lean(const cov *c, double r)
{
    double mid = ((double)c->o.scale_zero + (double)c->o.scale_hi) / 2;
    double v = (r - mid) / ((double)c->o.scale_hi - mid);
    return v < -1 ? -1 : v > 1 ? 1 : v;
}

/* Classify a rating value; a number on the scale also sets *lean. */
static int rating_of(const cov *c, double r, double *lean)
{
    if (!(r >= (double)c->o.scale_lo && r <= (double)c->o.scale_hi)) /* NaN fails too */
        return RATING_BAD;
    *lean = rating_lean(c, r);
    return RATING_OK;
}

/* A CSV rating cell: blanks, an optional sign, a decimal (csv_decimal), blanks. An empty
 * cell is no rating. */
static int csv_rating(const cov *c, const char *s, size_t n, double *lean)
{
    size_t a = 0, b = n;
    while (a < b && (s[a] == ' ' || s[a] == '\t'))
        a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
        b--;
    if (a == b)
        return RATING_NONE;
    int neg = 0;
    if (s[a] == '+' || s[a] == '-')
        neg = s[a++] == '-';
    double v;
    if (csv_decimal(s + a, b - a, &v))
        return RATING_BAD;
    return rating_of(c, neg ? -v : v, lean);
}

/* A JSON rating field: a number (integer or real); null is no rating, anything else is bad. */
static int json_rating(const cov *c, json_t *v, double *lean)
{
    if (!v || json_is_null(v))
        return RATING_NONE;
    if (!json_is_number(v))
        return RATING_BAD; /* "4" as a string, true, [4]: documented as not a rating */
    return rating_of(c, json_number_value(v), lean);
}

/* Tally the current record into a term's lean, once per record (pass 2 only). */
static void add_lean(cov *c, const entry *e)
{
    if (c->pass != 2 || e->lean < 0)
        return;
    lean_acc *a = &c->acc[e->lean];
    if (a->last == c->rec)
        return;
    a->last = c->rec;
    if (c->cur_rating == RATING_OK) {
        a->n[LEAN_RATING]++;
        a->sum[LEAN_RATING] += c->cur_rating_lean;
        return;
    }
    if (!c->cur_scored) { /* scored at most once, and only when a listed term is in the text */
        cxs_scores sc;
        c->cur_scored = -1;
        if (cxs_analyzer_score(&sc, NULL, c->an, c->cur_text, c->cur_len, NULL) == CXS_OK) {
            c->cur_text_lean = sc.compound;
            c->cur_scored = 1;
        } else {
            c->score_failed++;
        }
    }
    if (c->cur_scored > 0) {
        a->n[LEAN_TEXT]++;
        a->sum[LEAN_TEXT] += c->cur_text_lean;
    }
}

/* 4 decimals: the sort sees what --json shows, and -0 becomes +0 */
static double round4(double x)
{
    return round(x * 10000.0) / 10000.0 + 0.0;
}

/*
 * The lean from ratings when at least half of the term's records had one, else from the texts'
 * scores, and its 95% interval: Wilson's for a share, of p = (lean + 1) / 2, mapped back by
 * 2p - 1 (as lib/narrative.c does for a net sentiment). For values on -1..+1 it is
 * conservative (it assumes the widest spread a mean can have), it stays inside -1..+1 and it
 * is not zero-width when every record agrees.
 */
static void lean_finish(lean_acc *a)
{
    a->from = a->n[LEAN_RATING] && a->n[LEAN_RATING] >= a->n[LEAN_TEXT] ? LEAN_RATING
              : a->n[LEAN_TEXT]                                         ? LEAN_TEXT
                                                                        : LEAN_NONE;
    a->lean = a->strength = 0;
    a->low = -1;
    a->high = 1;
    a->nfrom = 0;
    if (a->from == LEAN_NONE)
        return;
    a->nfrom = a->n[a->from];
    double n = (double)a->nfrom, m = a->sum[a->from] / n;
    if (m < -1)
        m = -1;
    if (m > 1)
        m = 1;
    double p = (m + 1) / 2, z = 1.959964, z2 = z * z;
    double mid = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
    a->lean = round4(m);
    a->low = round4(fmax(-1, 2 * (mid - half) - 1));
    a->high = round4(fmin(1, 2 * (mid + half) - 1));
    /* how far from 0 the lean surely is: the interval's end nearest 0, if 0 is outside */
    a->strength = a->low > 0 ? a->low : a->high < 0 ? -a->high : 0;
}

/* ---- examples ----------------------------------------------------------------------------- */

static void add_example(cov *c, entry *e, uint32_t start, uint32_t end)
{
    selected *s = &c->sel[e->sel];
    if (s->nex >= N_EXAMPLES)
        return;
    if (s->nex && s->ex[s->nex - 1].line == c->cur_line && s->ex[s->nex - 1].file == c->cur_file)
        return; /* one example per record */
    const unsigned char *t = (const unsigned char *)c->cur_text;
    size_t n = c->cur_len, span = end - start;
    size_t room = span >= SNIPPET ? 0 : SNIPPET - span;
    size_t a = start > room / 2 ? start - room / 2 : 0;
    size_t b = end + (room - (start - a));
    if (b > n) {
        size_t extra = b - n;
        b = n;
        a = a > extra ? a - extra : 0;
    }
    /* move to character boundaries, then to a blank nearby */
    while (a > 0 && a < n && (t[a] & 0xC0) == 0x80)
        a--;
    while (b < n && (t[b] & 0xC0) == 0x80)
        b++;
    for (size_t k = 0; k < 12 && a > 0 && a < start; k++)
        if (t[a + k] == ' ' && a + k < start) {
            a += k + 1;
            break;
        }
    for (size_t k = 0; k < 12 && b < n && b > end; k++)
        if (t[b - k - 1] == ' ' && b - k - 1 >= end) {
            b -= k + 1;
            break;
        }
    example *x = &s->ex[s->nex++];
    x->file = c->cur_file;
    x->line = c->cur_line;
    size_t o = 0;
    if (a > 0) {
        memcpy(x->text, "...", 3);
        o = 3;
    }
    for (size_t k = a; k < b && o + 4 < sizeof x->text - 4; k++) {
        unsigned ch = t[k];
        x->text[o++] = (char)(ch < 0x20 || ch == 0x7F ? ' ' : ch);
    }
    if (o > 0 && ((unsigned char)x->text[o - 1] & 0x80)) { /* never end inside a character */
        size_t q = o - 1;
        while (q > 0 && ((unsigned char)x->text[q] & 0xC0) == 0x80 && o - q < 4)
            q--;
        uint32_t cp;
        if (utf8_decode((const unsigned char *)x->text + q, o - q, &cp) != o - q)
            o = q;
    }
    if (b < n) {
        memcpy(x->text + o, "...", 3);
        o += 3;
    }
    x->text[o] = '\0';
}

/* ---- one text ------------------------------------------------------------------------------- */

static void maybe_prune(cov *c)
{
    if (c->t.used < c->prune_at)
        return;
    size_t before;
    do {
        before = c->t.used;
        table_prune(&c->t, c->prune_floor);
        if (c->prune_floor > c->pruned_floor)
            c->pruned_floor = c->prune_floor;
        if (c->t.used > PRUNE_AT / 2)
            c->prune_floor++;
    } while (c->t.used > PRUNE_AT * 3 / 4 && c->t.used < before);
    if (c->t.used * 2 > c->prune_at)
        c->prune_at = c->t.used * 2; /* mostly words: do not prune again at once */
    c->pruned = 1;
}

static void process_text(cov *c, const char *text, size_t len)
{
    tokenize(c, text, len);
    tok *v = c->toks;
    size_t n = c->ntok;
    if (c->pass == 1) {
        c->texts++;
        /* no rehash while this text is counted: the entry pointers below stay valid */
        table_reserve(&c->t, n * (size_t)(1 + (MAX_COVER - 1) + (c->o.ngrams - 1)));
    }

    /* word entries and stopwords */
    for (size_t i = 0; i < n; i++) {
        tok *t = &v[i];
        const char *k = c->kbuf + t->key;
        if (c->pass == 1)
            c->words++;
        if (t->stop)
            continue; /* a number, or a word glued to one */
        entry *e = c->pass == 1 ? table_get(&c->t, k, t->len, 1)
                                : table_find(&c->t, k, t->len, hash_bytes(k, t->len));
        t->glue = (uint8_t)(e ? (e->flags & E_GLUE) != 0
                              : in_list(glue, sizeof glue / sizeof *glue, k, t->len));
        t->stop = (uint8_t)word_is_stop(c, e, k, t->len, t->elong);
        if (t->stop)
            continue;
        t->e = e;
        if (t->e) {
            t->known = entry_known(c, t->e) || (t->elong && entry_known_fallback(c, t->e));
        } else { /* pass 2, and the entry was pruned: ask the model */
            t->known = lookup(c, k, t->len, NULL);
        }
    }

    /* known phrases: at each token the longest one that starts there covers its words */
    for (size_t i = 0; i < n;) {
        size_t run = 1;
        while (run < MAX_COVER && i + run < n && v[i + run].joined)
            run++;
        size_t hit = 0;
        for (size_t l = run; l >= 2; l--) {
            size_t kl = phrase_key(c, i, l);
            entry *e = c->pass == 1 ? table_get(&c->t, c->phr, kl, (int)l)
                                    : table_find(&c->t, c->phr, kl, hash_bytes(c->phr, kl));
            int known = e ? entry_known(c, e) : lookup(c, c->phr, kl, NULL);
            if (known) {
                hit = l;
                break;
            }
        }
        if (hit) {
            for (size_t k = 0; k < hit; k++)
                v[i + k].covered = 1;
            i += hit;
        } else {
            i++;
        }
    }

    /* words */
    for (size_t i = 0; i < n; i++) {
        tok *t = &v[i];
        if (t->stop)
            continue;
        if (c->pass == 1) {
            c->content++;
            if (t->covered || t->known)
                c->known++;
            else
                t->e->count++;
        } else if (!t->covered && !t->known && t->e) {
            if (t->e->sel >= 0)
                add_example(c, t->e, t->start, t->end);
            add_lean(c, t->e);
        }
    }

    /* phrases */
    for (long g = 2; g <= c->o.ngrams; g++) {
        size_t gl = (size_t)g;
        for (size_t i = 0; i + gl <= n; i++) {
            int ok = 1, content = 0, unknown_content = 0;
            for (size_t k = 0; k < gl && ok; k++) {
                tok *t = &v[i + k];
                if (t->covered || (k && !t->joined))
                    ok = 0;
                else if (!t->stop) {
                    content++;
                    if (!t->known)
                        unknown_content++;
                }
            }
            if (!ok || !content || !unknown_content || v[i].glue ||
                v[i + gl - 1].glue || is_digit((unsigned char)c->kbuf[v[i].key]))
                continue; /* "3 days", "10 minutes": durations are a rule of the engine */
            size_t kl = phrase_key(c, i, gl);
            entry *e = c->pass == 1 ? table_get(&c->t, c->phr, kl, (int)g)
                                    : table_find(&c->t, c->phr, kl, hash_bytes(c->phr, kl));
            if (!e || entry_known(c, e))
                continue;
            if (c->pass == 1) {
                e->count++;
            } else {
                if (e->sel >= 0)
                    add_example(c, e, v[i].start, v[i + gl - 1].end);
                add_lean(c, e);
            }
        }
    }
    if (c->pass == 1)
        maybe_prune(c);
}

/* A text from a record, with its rating (RATING_*, and the lean if RATING_OK): check its
 * UTF-8, then count it. */
static void handle_text(cov *c, const char *text, size_t len, const char *file, unsigned long line,
                        int rating, double rlean)
{
    size_t bad = utf8_check(text, len);
    if (bad != (size_t)-1) {
        report(c, file, line, "invalid UTF-8 in the text at byte %zu; record skipped", bad + 1);
        return;
    }
    if (c->pass == 1) {
        c->rated += rating == RATING_OK;
        c->rating_bad += rating == RATING_BAD;
    }
    c->rec++;
    c->cur_rating = rating;
    c->cur_rating_lean = rlean;
    c->cur_scored = 0;
    c->cur_file = file;
    c->cur_line = line;
    c->cur_text = text;
    c->cur_len = len;
    process_text(c, text, len);
}

/* ---- JSONL -------------------------------------------------------------------------------- */

static int read_jsonl(cov *c, FILE *in, const char *file, FILE *spool)
{
    jsonl_reader r;
    jsonl_init(&r, in, spool);
    const char *src;
    size_t len;
    int had_newline, got;
    while ((got = jsonl_next(&r, &src, &len, &had_newline)) == 1) {
        unsigned long lineno = r.lineno;
        size_t bad = utf8_check(src, len);
        if (bad != (size_t)-1) {
            report(c, file, lineno, "invalid UTF-8 at byte %zu; line skipped", bad + 1);
            continue;
        }
        json_error_t jerr;
        json_t *rec = json_loadb(src, len, 0, &jerr);
        if (!rec || !json_is_object(rec)) {
            if (!rec)
                report(c, file, lineno, "column %d: %s%s; line skipped", jerr.column, jerr.text,
                       had_newline ? "" : " (truncated last line?)");
            else
                report(c, file, lineno, "not a JSON object; line skipped");
            json_decref(rec);
            continue;
        }
        json_t *text = json_object_get(rec, c->o.text_field);
        if (!json_is_string(text)) {
            report(c, file, lineno, "no string field \"%s\"; record skipped", c->o.text_field);
        } else {
            double rl = 0;
            int rs = json_rating(c, json_object_get(rec, c->o.rating_field), &rl);
            handle_text(c, json_string_value(text), json_string_length(text), file, lineno, rs, rl);
        }
        json_decref(rec);
    }
    if (got == -1)
        fprintf(stderr, "cxsent-coverage: %s: read error: %s\n", file, strerror(errno));
    jsonl_free(&r);
    return got == -1 ? -1 : 0;
}

/* ---- CSV (tools/common/csv.c) ----------------------------------------------------------- */

/* The header column named `want`: an exact match first, then one in any (ASCII) case. */
static size_t find_column(char **f, const size_t *fl, size_t nf, const char *want)
{
    size_t tl = strlen(want);
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < nf; k++) {
            const char *name = f[k];
            size_t nl = fl[k];
            if (nl != tl)
                continue;
            size_t q = 0;
            while (q < nl) {
                unsigned x = (unsigned char)name[q], y = (unsigned char)want[q];
                if (pass && x < 0x80 && y < 0x80 && is_alpha(x) && is_alpha(y)) {
                    x |= 0x20; /* second try: the column name in any case */
                    y |= 0x20;
                }
                if (x != y)
                    break;
                q++;
            }
            if (q == nl)
                return k;
        }
    return (size_t)-1;
}

static int read_csv(cov *c, const char *data, size_t n, const char *file)
{
    if (n == 0)
        return 0; /* empty file */
    FILE *mem = fmemopen((void *)(uintptr_t)data, n, "r");
    csv_reader *r = mem ? csv_open(mem) : NULL;
    if (!r) {
        if (mem)
            fclose(mem);
        fprintf(stderr, "cxsent-coverage: %s: out of memory\n", file);
        return -1;
    }
    char **f;
    size_t *fl, nf;
    unsigned long line = 0;
    const char *why = NULL;
    int rc = 0, got;
    /* the header */
    while ((got = csv_next(r, &f, &fl, &nf, &line, &why)) == -1)
        report(c, file, line, "%s; header line skipped", why);
    if (got <= 0) {
        csv_close(r);
        fclose(mem);
        return got == 0 ? 0 : -1;
    }
    size_t ncols = nf, col = find_column(f, fl, nf, c->o.text_field);
    /* no rating column: every record leans by its text */
    size_t rcol = find_column(f, fl, nf, c->o.rating_field);
    if (col == (size_t)-1) {
        fprintf(stderr, "cxsent-coverage: %s:%lu: no column \"%s\" in the CSV header\n", file,
                line, c->o.text_field);
        rc = -1;
    }
    while (rc == 0 && (got = csv_next(r, &f, &fl, &nf, &line, &why)) != 0) {
        if (got == -2) {
            rc = -1;
            break;
        }
        if (got < 0) {
            report(c, file, line, "%s; record skipped", why);
            continue;
        }
        if (nf != ncols) {
            report(c, file, line, "%zu field%s, the header has %zu; record skipped", nf,
                   nf == 1 ? "" : "s", ncols);
            continue;
        }
        double rl = 0;
        int rs = rcol == (size_t)-1 ? RATING_NONE : csv_rating(c, f[rcol], fl[rcol], &rl);
        handle_text(c, f[col], fl[col], file, line, rs, rl);
    }
    csv_close(r);
    fclose(mem);
    return rc;
}

static char *slurp(FILE *in, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *b = xrealloc(NULL, cap);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            b = xrealloc(b, cap);
        }
        size_t r = fread(b + n, 1, cap - n, in);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(in)) {
        free(b);
        return NULL;
    }
    *len = n;
    return b;
}

/* ---- inputs ------------------------------------------------------------------------------- */

typedef struct input {
    const char *path; /* "-" for standard input */
    const char *name; /* as reported */
    int csv;
    FILE *spool;      /* standard input, kept for the second pass */
    char *data;       /* CSV read from standard input */
    size_t len;
    int failed;
} input;

static int ends_with_csv(const char *p)
{
    size_t n = strlen(p);
    if (n < 4)
        return 0;
    const char *e = p + n - 4;
    return e[0] == '.' && (e[1] | 0x20) == 'c' && (e[2] | 0x20) == 's' && (e[3] | 0x20) == 'v';
}

static int read_input(cov *c, input *in)
{
    int is_stdin = !strcmp(in->path, "-");
    if (in->csv) {
        char *data;
        size_t len;
        if (is_stdin) {
            if (c->pass == 1) {
                in->data = slurp(stdin, &in->len);
                if (!in->data) {
                    fprintf(stderr, "cxsent-coverage: %s: read error\n", in->name);
                    return -1;
                }
            }
            return read_csv(c, in->data, in->len, in->name);
        }
        FILE *f = fopen(in->path, "rb");
        if (!f) {
            if (c->pass == 1)
                fprintf(stderr, "cxsent-coverage: %s: %s\n", in->path, strerror(errno));
            return -1;
        }
        data = slurp(f, &len);
        fclose(f);
        if (!data) {
            fprintf(stderr, "cxsent-coverage: %s: read error\n", in->path);
            return -1;
        }
        int r = read_csv(c, data, len, in->name);
        free(data);
        return r;
    }
    if (is_stdin) {
        if (c->pass == 1) {
            in->spool = tmpfile(); /* without one, the second pass has no examples */
            return read_jsonl(c, stdin, in->name, in->spool);
        }
        if (!in->spool)
            return 0;
        rewind(in->spool);
        return read_jsonl(c, in->spool, in->name, NULL);
    }
    FILE *f = fopen(in->path, "rb");
    if (!f) {
        if (c->pass == 1)
            fprintf(stderr, "cxsent-coverage: %s: %s\n", in->path, strerror(errno));
        return -1;
    }
    int r = read_jsonl(c, f, in->name, NULL);
    fclose(f);
    return r;
}

/* ---- ignore lists ------------------------------------------------------------------------- */

static int load_ignores(cov *c, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cxsent-coverage: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, f)) != -1) {
        size_t len = (size_t)got;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ' ||
                       line[len - 1] == '\t'))
            len--;
        size_t a = 0;
        while (a < len && (line[a] == ' ' || line[a] == '\t'))
            a++;
        if (a == len || line[a] == '#')
            continue;
        char *tab = memchr(line + a, '\t', len - a);
        if (tab)
            len = (size_t)(tab - line); /* a lexicon line: the term is the first field */
        /* normalise the way texts are: tokenize and join the words */
        if (utf8_check(line + a, len - a) != (size_t)-1)
            continue;
        tokenize(c, line + a, len - a);
        if (!c->ntok || c->ntok > MAX_NGRAM)
            continue; /* longer phrases are never listed */
        size_t kl = phrase_key(c, 0, c->ntok);
        entry *e = table_get(&c->t, c->phr, kl, (int)c->ntok);
        e->flags |= E_IGNORED;
    }
    free(line);
    fclose(f);
    return 0;
}

/* ---- output ------------------------------------------------------------------------------- */

typedef struct row {
    size_t slot;
    uint32_t count;
    uint8_t n;
} row;

static const table *cmp_table;
static const lean_acc *cmp_acc;

/* Term bytes, a prefix first: the last tie-break of both orders. */
static int key_cmp(const entry *ex, const entry *ey)
{
    size_t l = ex->len < ey->len ? ex->len : ey->len;
    int r = memcmp(entry_key(cmp_table, ex), entry_key(cmp_table, ey), l);
    return r ? r : (ex->len < ey->len ? -1 : ex->len > ey->len);
}

static int row_cmp(const void *a, const void *b)
{
    const row *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    return key_cmp(&cmp_table->v[x->slot], &cmp_table->v[y->slot]);
}

/*
 * --sort lean: the terms most worth rating first. By strength (how far from 0 the lean surely
 * is: the end of its 95% interval nearest 0, or 0 when the interval holds 0), then |lean|,
 * then the records it rests on (more first), then term bytes. A lean from 2 records does not
 * pass a clear one from 30, and a term with no lean comes last. The keys are the 4-decimal
 * values --json shows, so equal-looking leans tie and the term decides.
 */
static int row_lean_cmp(const void *a, const void *b)
{
    const row *x = a, *y = b;
    const entry *ex = &cmp_table->v[x->slot], *ey = &cmp_table->v[y->slot];
    const lean_acc *lx = &cmp_acc[ex->lean], *ly = &cmp_acc[ey->lean];
    if (lx->strength != ly->strength)
        return lx->strength > ly->strength ? -1 : 1;
    double ax = lx->from == LEAN_NONE ? -1 : fabs(lx->lean);
    double ay = ly->from == LEAN_NONE ? -1 : fabs(ly->lean);
    if (ax != ay)
        return ax > ay ? -1 : 1;
    if (lx->nfrom != ly->nfrom)
        return lx->nfrom > ly->nfrom ? -1 : 1;
    return key_cmp(ex, ey);
}

/* Candidates of one table (words: phrases == 0), sorted; returns the count of all candidates. */
static size_t collect(cov *c, int phrases, row **out)
{
    size_t nr = 0, cap = 64;
    row *r = xrealloc(NULL, cap * sizeof *r);
    for (size_t i = 0; i < c->t.cap; i++) {
        entry *e = &c->t.v[i];
        if (!e->len || (phrases ? e->n < 2 : e->n != 1))
            continue;
        if (e->count == 0 || e->count < (uint32_t)c->o.min_count || (e->flags & E_IGNORED))
            continue;
        if (entry_known(c, e))
            continue;
        if (nr == cap) {
            cap *= 2;
            r = xrealloc(r, cap * sizeof *r);
        }
        r[nr].slot = i;
        r[nr].count = e->count;
        r[nr].n = e->n;
        nr++;
    }
    cmp_table = &c->t;
    qsort(r, nr, sizeof *r, row_cmp);
    *out = r;
    return nr;
}

/* Display width of UTF-8 text, counting code points (good enough for a table). */
static size_t width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            w++;
    return w;
}

/* The known words inside a phrase, as "goat +3.0, ..." (empty when there are none). */
static void known_inside(cov *c, const entry *e, char *out, size_t cap)
{
    const char *k = entry_key(&c->t, e);
    size_t o = 0, i = 0;
    out[0] = '\0';
    while (i < e->len) {
        size_t j = i;
        while (j < e->len && k[j] != ' ')
            j++;
        double v;
        if (!stop_key(k + i, j - i) && lookup(c, k + i, j - i, &v)) {
            int w = snprintf(out + o, cap - o, "%s%.*s %+.1f", o ? ", " : "", (int)(j - i), k + i,
                             v);
            if (w < 0 || (size_t)w >= cap - o)
                break;
            o += (size_t)w;
        }
        i = j + 1;
    }
}

/* "+0.62 r14" (from 14 ratings), "-0.40 t9" (from 9 texts' scores), "?" if weak; "-" if none */
static void lean_cell(const lean_acc *a, char *out, size_t cap, char *iv, size_t icap)
{
    if (!a || a->from == LEAN_NONE) {
        snprintf(out, cap, "-");
        iv[0] = '\0';
        return;
    }
    snprintf(out, cap, "%+.2f %c%lu%s", a->lean, a->from == LEAN_RATING ? 'r' : 't',
             (unsigned long)a->nfrom, a->nfrom < LEAN_WEAK ? "?" : "");
    snprintf(iv, icap, "%+.2f..%+.2f", a->low, a->high);
}

static void print_table(cov *c, const char *title, const char *col, row *r, size_t shown,
                        size_t total, int phrases)
{
    size_t tw = strlen(col);
    for (size_t i = 0; i < shown; i++) {
        const entry *e = &c->t.v[r[i].slot];
        size_t w = width(entry_key(&c->t, e), e->len);
        if (w > tw)
            tw = w;
    }
    if (tw > 40)
        tw = 40;
    printf("\n%s: %zu %s of %zu seen at least %ld time%s\n", title, shown,
           c->o.sort_lean ? "with the clearest lean" : "most frequent", total, c->o.min_count,
           c->o.min_count == 1 ? "" : "s");
    if (!shown) {
        printf("  (none)\n");
        return;
    }
    if (phrases)
        printf("%5s  %6s  %-11s  %-12s  %-*s  %s\n", "#", "count", "lean", "95% interval", (int)tw,
               col, "known words inside");
    else
        printf("%5s  %6s  %-11s  %-12s  %s\n", "#", "count", "lean", "95% interval", col);
    for (size_t i = 0; i < shown; i++) {
        const entry *e = &c->t.v[r[i].slot];
        const char *k = entry_key(&c->t, e);
        size_t w = width(k, e->len);
        char kn[200], lc[40], iv[40];
        kn[0] = '\0';
        if (phrases)
            known_inside(c, e, kn, sizeof kn);
        lean_cell(e->lean >= 0 ? &c->acc[e->lean] : NULL, lc, sizeof lc, iv, sizeof iv);
        printf("%5zu  %6u  %-11s  %-12s  %.*s", i + 1, (unsigned)e->count, lc, iv, (int)e->len, k);
        if (kn[0])
            printf("%*s  %s", (int)(w < tw ? tw - w : 0), "", kn);
        putchar('\n');
        if (e->sel >= 0) {
            const selected *s = &c->sel[e->sel];
            for (int x = 0; x < s->nex; x++)
                printf("%15s%s:%lu: \"%s\"\n", "", s->ex[x].file, s->ex[x].line, s->ex[x].text);
        }
    }
}

static json_t *json_rows(cov *c, row *r, size_t shown, int phrases)
{
    json_t *a = json_array();
    for (size_t i = 0; i < shown; i++) {
        const entry *e = &c->t.v[r[i].slot];
        json_t *o = json_object();
        json_object_set_new(o, "term", json_stringn(entry_key(&c->t, e), e->len));
        json_object_set_new(o, "count", json_integer(e->count));
        const lean_acc *la = e->lean >= 0 ? &c->acc[e->lean] : NULL;
        if (la && la->from != LEAN_NONE) {
            json_object_set_new(o, "lean", json_real(la->lean));
            json_object_set_new(o, "lean_n", json_integer((json_int_t)la->nfrom));
            json_object_set_new(o, "lean_from",
                                json_string(la->from == LEAN_RATING ? "rating" : "text"));
            json_object_set_new(o, "lean_low", json_real(la->low));
            json_object_set_new(o, "lean_high", json_real(la->high));
        } else {
            json_object_set_new(o, "lean", json_null());
            json_object_set_new(o, "lean_n", json_integer(0));
            json_object_set_new(o, "lean_from", json_null());
            json_object_set_new(o, "lean_low", json_null());
            json_object_set_new(o, "lean_high", json_null());
        }
        if (phrases) {
            json_object_set_new(o, "words", json_integer(e->n));
            json_t *kn = json_array();
            const char *k = entry_key(&c->t, e);
            size_t p = 0;
            while (p < e->len) {
                size_t j = p;
                while (j < e->len && k[j] != ' ')
                    j++;
                double v;
                if (!stop_key(k + p, j - p) && lookup(c, k + p, j - p, &v)) {
                    json_t *w = json_object();
                    json_object_set_new(w, "word", json_stringn(k + p, j - p));
                    json_object_set_new(w, "valence", json_real(v));
                    json_array_append_new(kn, w);
                }
                p = j + 1;
            }
            json_object_set_new(o, "known_words", kn);
        }
        json_t *ex = json_array();
        if (e->sel >= 0) {
            const selected *s = &c->sel[e->sel];
            for (int x = 0; x < s->nex; x++) {
                json_t *xo = json_object();
                json_object_set_new(xo, "source", json_string(s->ex[x].file));
                json_object_set_new(xo, "line", json_integer((json_int_t)s->ex[x].line));
                json_object_set_new(xo, "text", json_string(s->ex[x].text));
                json_array_append_new(ex, xo);
            }
        }
        json_object_set_new(o, "examples", ex);
        json_array_append_new(a, o);
    }
    return a;
}

/* ---- main --------------------------------------------------------------------------------- */

static int load_model(cov *c)
{
    return tool_load_model(&c->model, "cxsent-coverage", c->o.model, c->o.overrides,
                           c->o.n_overrides);
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

/*
 * --rating-scale N: ratings 0..N; 2 to 5 is a star scale (1 star is -1), other N a score
 * (0 is -1). --rating-scale LO..HI: ratings LO..HI, LO is -1.
 */
static int parse_scale(const char *s, opts *o)
{
    const char *dots = strstr(s, "..");
    long lo, hi;
    if (!dots) {
        if (!parse_long(s, 1, 1000000, &hi))
            return 0;
        o->scale_lo = 0;
        o->scale_hi = hi;
        o->scale_zero = hi >= 2 && hi <= 5 ? 1 : 0;
        return 1;
    }
    char buf[32];
    size_t n = (size_t)(dots - s);
    if (n == 0 || n >= sizeof buf)
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (!parse_long(buf, 0, 1000000, &lo) || !parse_long(dots + 2, 0, 1000000, &hi) || lo >= hi)
        return 0;
    o->scale_lo = o->scale_zero = lo;
    o->scale_hi = hi;
    return 1;
}

/* Give every term in rows[0..n) a lean tally, numbered from `first`. */
static void tally_rows(cov *c, const row *r, size_t n, size_t first)
{
    for (size_t i = 0; i < n; i++)
        c->t.v[r[i].slot].lean = (int32_t)(first + i);
}

/* The terms to show, with their examples to collect: the first sw words and sp phrases. */
static void select_rows(cov *c, const row *wr, size_t sw, const row *pr, size_t sp)
{
    c->sel = xrealloc(NULL, (sw + sp + 1) * sizeof *c->sel);
    memset(c->sel, 0, (sw + sp + 1) * sizeof *c->sel);
    for (size_t i = 0; i < sw + sp; i++) {
        size_t slot = i < sw ? wr[i].slot : pr[i - sw].slot;
        c->sel[c->nsel].slot = slot;
        c->t.v[slot].sel = (int32_t)c->nsel++;
    }
}

/* "1..5 stars, 0 counts as 1: 1 is -1, 3 is 0, 5 is +1" or "0..10: 0 is -1, 5 is 0, ..." */
static void describe_scale(const opts *o, char *out, size_t cap)
{
    double mid = ((double)o->scale_zero + (double)o->scale_hi) / 2;
    if (o->scale_zero != o->scale_lo)
        snprintf(out, cap, "%ld..%ld stars, %ld counts as %ld: ", o->scale_zero, o->scale_hi,
                 o->scale_lo, o->scale_zero);
    else
        snprintf(out, cap, "%ld..%ld: ", o->scale_lo, o->scale_hi);
    size_t n = strlen(out);
    snprintf(out + n, cap - n, "%ld is -1, %g is 0, %ld is +1", o->scale_zero, mid, o->scale_hi);
}

int main(int argc, char **argv)
{
    static cov c; /* zeroed */
    c.o.text_field = "text";
    c.o.rating_field = "rating";
    parse_scale("5", &c.o);
    c.o.top = 50;
    c.o.min_count = 2;
    c.o.ngrams = 3;
    c.prune_floor = 1;
    c.prune_at = PRUNE_AT;
    const char *files[MAX_FILES];
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
#define NEXT()                                                                          \
    (i + 1 < argc ? argv[++i]                                                           \
                  : (fprintf(stderr, "cxsent-coverage: %s needs a value\n", a), exit(1), \
                     (char *)0))
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_text, stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("cxsent-coverage (libcxsent %s, Unicode %s)\n", cxs_version_string(),
                   cxs_unicode_version());
            return 0;
        } else if (!strcmp(a, "--text-field")) {
            c.o.text_field = NEXT();
        } else if (!strcmp(a, "--rating-field")) {
            c.o.rating_field = NEXT();
        } else if (!strcmp(a, "--rating-scale")) {
            const char *v = NEXT();
            if (!parse_scale(v, &c.o)) {
                fprintf(stderr,
                        "cxsent-coverage: --rating-scale: bad value '%s' (N or LO..HI, "
                        "whole numbers up to 1000000)\n",
                        v);
                return 1;
            }
        } else if (!strcmp(a, "--sort")) {
            const char *v = NEXT();
            if (strcmp(v, "count") && strcmp(v, "lean")) {
                fprintf(stderr, "cxsent-coverage: --sort: bad value '%s' (count or lean)\n", v);
                return 1;
            }
            c.o.sort_lean = !strcmp(v, "lean");
        } else if (!strcmp(a, "--csv")) {
            c.o.force_csv = 1;
        } else if (!strcmp(a, "--jsonl")) {
            c.o.force_jsonl = 1;
        } else if (!strcmp(a, "--model")) {
            c.o.model = NEXT();
        } else if (!strcmp(a, "--override") || !strcmp(a, "--ignore")) {
            int ov = a[2] == 'o';
            int *cnt = ov ? &c.o.n_overrides : &c.o.n_ignores;
            if (*cnt >= MAX_OVERRIDES) {
                fprintf(stderr, "cxsent-coverage: at most %d %s files\n", MAX_OVERRIDES, a);
                return 1;
            }
            (ov ? c.o.overrides : c.o.ignores)[(*cnt)++] = NEXT();
        } else if (!strcmp(a, "--top") || !strcmp(a, "--min-count") || !strcmp(a, "--ngrams")) {
            const char *v = NEXT();
            long x;
            int ok = !strcmp(a, "--ngrams") ? parse_long(v, 1, MAX_NGRAM, &x)
                     : !strcmp(a, "--top")  ? parse_long(v, 0, LONG_MAX, &x)
                                            : parse_long(v, 1, UINT32_MAX, &x);
            if (!ok) {
                fprintf(stderr, "cxsent-coverage: %s: bad value '%s'%s\n", a, v,
                        !strcmp(a, "--ngrams") ? " (1, 2 or 3)" : "");
                return 1;
            }
            if (!strcmp(a, "--top"))
                c.o.top = x;
            else if (!strcmp(a, "--ngrams"))
                c.o.ngrams = x;
            else
                c.o.min_count = x;
        } else if (!strcmp(a, "--json")) {
            c.o.json = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            c.o.quiet = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "cxsent-coverage: unknown option %s (see --help)\n", a);
            return 1;
        } else {
            if (nfiles >= MAX_FILES) {
                fprintf(stderr, "cxsent-coverage: at most %d input files\n", MAX_FILES);
                return 1;
            }
            files[nfiles++] = a;
        }
#undef NEXT
    }
    if (c.o.force_csv && c.o.force_jsonl) {
        fprintf(stderr, "cxsent-coverage: --csv and --jsonl exclude each other\n");
        return 1;
    }
    int n_stdin = 0;
    for (int f = 0; f < nfiles; f++)
        n_stdin += !strcmp(files[f], "-");
    if (n_stdin > 1) {
        fprintf(stderr, "cxsent-coverage: standard input given twice\n");
        return 1;
    }
    if (load_model(&c)) {
        cxs_model_free(c.model);
        return 1;
    }
    cxs_error aerr;
    if (cxs_analyzer_new(&c.an, c.model, &aerr) != CXS_OK) {
        fprintf(stderr, "cxsent-coverage: %s\n", aerr.message);
        cxs_model_free(c.model);
        return 1;
    }
    table_init(&c.t, 1 << 16);
    stopwords_init();
    mark_lists(&c.t);
    int status = 0;
    for (int i = 0; i < c.o.n_ignores; i++)
        if (load_ignores(&c, c.o.ignores[i]))
            status = 1;
    if (nfiles == 0)
        files[nfiles++] = "-";
    static input ins[MAX_FILES]; /* zeroed */
    for (int f = 0; f < nfiles; f++) {
        ins[f].path = files[f];
        int is_stdin = !strcmp(files[f], "-");
        ins[f].name = is_stdin ? "<stdin>" : files[f];
        ins[f].csv = c.o.force_csv || (!c.o.force_jsonl && !is_stdin && ends_with_csv(files[f]));
    }

    /* pass 1: count */
    c.pass = 1;
    for (int f = 0; f < nfiles; f++)
        if (read_input(&c, &ins[f])) {
            ins[f].failed = 1;
            status = 1;
        }

    /* select the rows to show */
    row *wr = NULL, *pr = NULL;
    size_t nw = collect(&c, 0, &wr);
    size_t np = c.o.ngrams >= 2 ? collect(&c, 1, &pr) : 0;
    size_t sw = c.o.top && (size_t)c.o.top < nw ? (size_t)c.o.top : nw;
    size_t sp = c.o.top && (size_t)c.o.top < np ? (size_t)c.o.top : np;
    /* leans are tallied for the terms shown, or for every candidate when they rank them */
    size_t lw = c.o.sort_lean ? nw : sw, lp = c.o.sort_lean ? np : sp;
    c.nacc = lw + lp;
    c.acc = xrealloc(NULL, (c.nacc + 1) * sizeof *c.acc);
    memset(c.acc, 0, (c.nacc + 1) * sizeof *c.acc);
    tally_rows(&c, wr, lw, 0);
    tally_rows(&c, pr, lp, lw);
    if (!c.o.sort_lean)
        select_rows(&c, wr, sw, pr, sp);

    /*
     * pass 2: the leans, and (--sort count) the examples of the selected terms; no inserts
     * into the table from here on. With --sort lean the terms to show are known only after
     * it, so pass 3 collects their examples.
     */
    c.pass = 2;
    if (c.nacc)
        for (int f = 0; f < nfiles; f++)
            if (!ins[f].failed)
                read_input(&c, &ins[f]);
    for (size_t i = 0; i < c.nacc; i++)
        lean_finish(&c.acc[i]);
    if (c.o.sort_lean) {
        cmp_table = &c.t;
        cmp_acc = c.acc;
        qsort(wr, nw, sizeof *wr, row_lean_cmp);
        if (np)
            qsort(pr, np, sizeof *pr, row_lean_cmp);
        select_rows(&c, wr, sw, pr, sp);
        c.pass = 3;
        if (c.nsel)
            for (int f = 0; f < nfiles; f++)
                if (!ins[f].failed)
                    read_input(&c, &ins[f]);
    }

    double ratio = c.content ? (double)c.known / (double)c.content : 0.0;
    if (c.o.json) {
        json_t *o = json_object();
        json_object_set_new(o, "texts", json_integer((json_int_t)c.texts));
        json_object_set_new(o, "skipped", json_integer((json_int_t)c.skipped));
        json_object_set_new(o, "words", json_integer((json_int_t)c.words));
        json_object_set_new(o, "content_words", json_integer((json_int_t)c.content));
        json_object_set_new(o, "known_content_words", json_integer((json_int_t)c.known));
        json_object_set_new(o, "coverage", json_real(ratio));
        json_object_set_new(o, "min_count", json_integer(c.o.min_count));
        json_object_set_new(o, "sort", json_string(c.o.sort_lean ? "lean" : "count"));
        json_object_set_new(o, "rating_field", json_string(c.o.rating_field));
        json_object_set_new(o, "rated_texts", json_integer((json_int_t)c.rated));
        json_object_set_new(o, "ratings_ignored", json_integer((json_int_t)c.rating_bad));
        json_object_set_new(o, "unknown_words_total", json_integer((json_int_t)nw));
        json_object_set_new(o, "unknown_words", json_rows(&c, wr, sw, 0));
        if (c.o.ngrams >= 2) {
            json_object_set_new(o, "unknown_phrases_total", json_integer((json_int_t)np));
            json_object_set_new(o, "unknown_phrases", json_rows(&c, pr, sp, 1));
        }
        json_object_set_new(o, "phrases_pruned", json_boolean(c.pruned));
        /* 7 digits: a float valence prints as 2.3, not 2.2999999523162842 (ditto a lean) */
        json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(7));
        putchar('\n');
        json_decref(o);
    } else {
        printf("cxsent-coverage: %lu text%s from %d input%s", c.texts, c.texts == 1 ? "" : "s",
               nfiles, nfiles == 1 ? "" : "s");
        if (c.skipped)
            printf(", %lu line%s or record%s skipped", c.skipped, c.skipped == 1 ? "" : "s",
                   c.skipped == 1 ? "" : "s");
        printf("\nwords: %llu, content words (not stopwords or numbers): %llu\n", c.words,
               c.content);
        printf("coverage: the model knows %llu of %llu content words (%.1f%%)\n", c.known,
               c.content, ratio * 100.0);
        char sc[160];
        describe_scale(&c.o, sc, sizeof sc);
        printf("lean: %lu text%s lean by their \"%s\" (%s), %lu by their sentiment", c.rated,
               c.rated == 1 ? "" : "s", c.o.rating_field, sc, c.texts - c.rated);
        if (c.rating_bad)
            printf("; %lu \"%s\" value%s not a number in %ld..%ld ignored", c.rating_bad,
                   c.o.rating_field, c.rating_bad == 1 ? "" : "s", c.o.scale_lo, c.o.scale_hi);
        if (c.score_failed)
            printf("; %lu text%s could not be scored", c.score_failed,
                   c.score_failed == 1 ? "" : "s");
        printf("\na term's lean: the mean over its texts; r14: from 14 ratings, t9: from 9 texts' "
               "sentiment, ?: fewer than %d\n",
               LEAN_WEAK);
        print_table(&c, "Unknown words", "word", wr, sw, nw, 0);
        if (c.o.ngrams >= 2)
            print_table(&c, c.o.ngrams == 2 ? "Unknown phrases (2 words)"
                                            : "Unknown phrases (2-3 words)",
                        "phrase", pr, sp, np, 1);
        if (c.pruned)
            printf("\n(many distinct phrases: to bound memory, phrases counted at most %u "
                   "time%s when the table was full were dropped; rare phrases may be missing or "
                   "undercounted)\n",
                   (unsigned)c.pruned_floor, c.pruned_floor == 1 ? "" : "s");
    }
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "cxsent-coverage: write error: %s\n", strerror(errno));
        status = 1;
    }
    if (c.skipped && !c.o.quiet)
        fprintf(stderr, "cxsent-coverage: %lu line(s) or record(s) skipped\n", c.skipped);
    if (!status && c.skipped)
        status = EXIT_PARTIAL;
    for (int f = 0; f < nfiles; f++) {
        if (ins[f].spool)
            fclose(ins[f].spool);
        free(ins[f].data);
    }
    free(wr);
    free(pr);
    free(c.sel);
    free(c.acc);
    cxs_analyzer_free(c.an);
    free(c.toks);
    free(c.kbuf);
    free(c.phr);
    table_free(&c.t);
    cxs_model_free(c.model);
    return status;
}
