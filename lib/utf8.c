/* utf8.c — UTF-8 decoding with the same range checks as utf8proc (overlongs, surrogates,
 * > U+10FFFF rejected), and the Unicode classification the tokenizer needs. */
#include "utf8.h"

#include <utf8proc.h>

size_t cxs__utf8_decode(const unsigned char *s, size_t n, int32_t *cp, int *bad)
{
    unsigned c = s[0];
    *bad = 0;
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    size_t need;
    int32_t v;
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        v = (int32_t)(c & 0x1F);
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        v = (int32_t)(c & 0x0F);
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        v = (int32_t)(c & 0x07);
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* > U+10FFFF */
    } else {
        goto invalid_one;
    }
    for (size_t k = 1; k < need; k++) {
        if (k >= n)
            goto invalid_k;
        unsigned b = s[k];
        if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) {
            /* consume the valid prefix so the next byte is looked at again */
            *cp = CXS__REPLACEMENT;
            *bad = 1;
            return k;
        }
        v = (v << 6) | (int32_t)(b & 0x3F);
    }
    *cp = v;
    return need;
invalid_k:
    *cp = CXS__REPLACEMENT;
    *bad = 1;
    return n;
invalid_one:
    *cp = CXS__REPLACEMENT;
    *bad = 1;
    return 1;
}

size_t cxs__utf8_encode(int32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    uint32_t c = (uint32_t)cp;
    if (c < 0x80) {
        o[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (unsigned char)(0xC0 | (c >> 6));
        o[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (c >> 12));
        o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (c >> 18));
    o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

int cxs__cp_class(int32_t cp)
{
    switch (cp) {
    case 0x2019: case 0x2018: case 0x02BC: case 0xFF07:
        return CXS__CP_APOS;
    case 0x2026: case 0x3002: case 0xFF01: case 0xFF0E: case 0xFF1F:
        return CXS__CP_SENT_END;
    case 0x2013: case 0x2014: case 0x2015: case 0xFF0C: case 0x3001:
        return CXS__CP_CLAUSE;
    case 0xFE0F: case 0xFE0E:
        return CXS__CP_DROP;
    default:
        break;
    }
    if (cp >= 0x1F3FB && cp <= 0x1F3FF)
        return CXS__CP_DROP;
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    switch (p->boundclass) {
    case UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC:
    case UTF8PROC_BOUNDCLASS_E_BASE:
    case UTF8PROC_BOUNDCLASS_E_BASE_GAZ:
    case UTF8PROC_BOUNDCLASS_GLUE_AFTER_ZWJ:
    case UTF8PROC_BOUNDCLASS_E_ZWG:
    case UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR:
        return CXS__CP_EMOJI;
    default:
        break;
    }
    switch (p->category) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return CXS__CP_LETTER;
    case UTF8PROC_CATEGORY_SO:
        return CXS__CP_EMOJI; /* dingbats and other symbols people use like emoji */
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
        return CXS__CP_SPACE;
    default:
        return CXS__CP_OTHER;
    }
}

int cxs__cp_is_upper(int32_t cp)
{
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

int cxs__cp_is_lower(int32_t cp)
{
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

size_t cxs__fold(const int32_t *cps, size_t n, int32_t *scratch, size_t scratch_cap, char *out,
                 size_t cap)
{
    size_t len = 0;
    int last_bound = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t c = cps[i];
        if (cxs__cp_class(c) == CXS__CP_APOS)
            c = '\'';
        utf8proc_ssize_t r = utf8proc_decompose_char(
            c, scratch + len, (utf8proc_ssize_t)(scratch_cap - len),
            (utf8proc_option_t)(UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE),
            &last_bound);
        if (r < 0 || (size_t)r > scratch_cap - len)
            return 0;
        len += (size_t)r;
    }
    utf8proc_ssize_t m = utf8proc_normalize_utf32(
        scratch, (utf8proc_ssize_t)len, (utf8proc_option_t)(UTF8PROC_COMPOSE | UTF8PROC_STABLE));
    if (m < 0)
        return 0;
    size_t o = 0;
    for (utf8proc_ssize_t i = 0; i < m; i++) {
        if (o + 4 > cap)
            return 0;
        o += cxs__utf8_encode(scratch[i], out + o);
    }
    return o;
}

int cxs__grapheme_break(int32_t a, int32_t b, int32_t *state)
{
    return utf8proc_grapheme_break_stateful(a, b, state) ? 1 : 0;
}
