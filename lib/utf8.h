/* utf8.h — UTF-8 decoding and Unicode classification (utf8proc is only used here). */
#ifndef CXS_UTF8_H
#define CXS_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define CXS__REPLACEMENT 0xFFFD

/*
 * Decode one code point at s[0..n). Returns the number of bytes consumed (1..4). On an invalid
 * or truncated sequence *cp is U+FFFD, *bad is set to 1 and the maximal invalid prefix is
 * consumed (at least 1 byte), so decoding always makes progress.
 */
size_t cxs__utf8_decode(const unsigned char *s, size_t n, int32_t *cp, int *bad);

/* Encode cp into out (4 bytes room); returns bytes written. */
size_t cxs__utf8_encode(int32_t cp, char *out);

/* Classes the tokenizer needs for a non-ASCII code point. */
enum {
    CXS__CP_OTHER = 0,  /* ignorable symbol or punctuation */
    CXS__CP_LETTER,     /* letter, combining mark or digit: part of a word */
    CXS__CP_EMOJI,      /* starts an emoji grapheme cluster */
    CXS__CP_APOS,       /* an apostrophe-like mark (U+2019, U+2018, U+02BC) */
    CXS__CP_SENT_END,   /* ends a sentence (U+2026 ellipsis, fullwidth stops) */
    CXS__CP_CLAUSE,     /* ends a clause (dashes) */
    CXS__CP_SPACE,      /* white space */
    CXS__CP_DROP        /* variation selectors, skin tones: dropped from emoji keys */
};
int cxs__cp_class(int32_t cp);

/* Whether the code point is an upper- or lower-case letter. */
int cxs__cp_is_upper(int32_t cp);
int cxs__cp_is_lower(int32_t cp);

/*
 * Case fold (NFKC_Casefold-like: compatibility decomposition, case folding, composition) the
 * code points cps[0..n) and append UTF-8 to out (room: cap bytes). Apostrophe-likes become "'".
 * Uses `scratch` (room for scratch_cap code points) and no allocation. Returns bytes written,
 * or 0 if the result does not fit.
 */
size_t cxs__fold(const int32_t *cps, size_t n, int32_t *scratch, size_t scratch_cap, char *out,
                 size_t cap);

/*
 * Whether a grapheme cluster break lies between code points a and b; `state` carries the
 * break state across a cluster (start it at 0).
 */
int cxs__grapheme_break(int32_t a, int32_t b, int32_t *state);

#endif
