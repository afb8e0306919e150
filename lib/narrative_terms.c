/*
 * narrative_terms.c — the words of a period: for each lexicon term that scored in a period's
 * texts (negated ones as "not TERM"), in how many texts it scored positive and negative. The
 * change between two periods names the terms that moved it, next to the themes.
 *
 * A small open-addressing table per period, keyed by the term's normalised text. Its size is
 * bounded by the model (only lexicon terms score), and tables merge by adding counts, so the
 * narrative stays exactly mergeable. Growth happens in a reserve step before any change, so a
 * failed allocation leaves a narrative as it was.
 */
#include "narrative.h"

#include <stdlib.h>
#include <string.h>

static size_t term_home(const char *key, size_t mask)
{
    return (size_t)cxs__hash(key, strlen(key)) & mask;
}

/* The slot of key, or the empty slot where it would go (capacity > n, a power of two). */
static cxs__nar_term *slot_of(const cxs__nar_terms *t, const char *key)
{
    size_t mask = t->cap - 1, i = term_home(key, mask);
    while (t->slot[i].key[0] && strcmp(t->slot[i].key, key))
        i = (i + 1) & mask;
    return &t->slot[i];
}

int cxs__nar_terms_reserve(const cxs__alloc *a, cxs__nar_terms *t, size_t extra)
{
    size_t need = t->n + extra;
    if (need * 2 <= t->cap)
        return CXS_OK;
    size_t cap = t->cap ? t->cap : 16;
    while (need * 2 > cap)
        cap *= 2;
    cxs__nar_term *slot = cxs__calloc(a, cap, sizeof *slot);
    if (!slot)
        return CXS_ENOMEM;
    cxs__nar_terms grown = {slot, 0, cap};
    for (size_t i = 0; i < t->cap; i++)
        if (t->slot[i].key[0]) {
            *slot_of(&grown, t->slot[i].key) = t->slot[i];
            grown.n++;
        }
    cxs__free(a, t->slot, t->cap * sizeof *t->slot);
    *t = grown;
    return CXS_OK;
}

void cxs__nar_terms_add(cxs__nar_terms *t, const char *key, size_t pos, size_t neg)
{
    cxs__nar_term *s = slot_of(t, key);
    if (!s->key[0]) {
        strcpy(s->key, key);
        t->n++;
    }
    s->pos += pos;
    s->neg += neg;
}

const cxs__nar_term *cxs__nar_terms_get(const cxs__nar_terms *t, const char *key)
{
    if (!t->n)
        return NULL;
    const cxs__nar_term *s = slot_of(t, key);
    return s->key[0] ? s : NULL;
}

int cxs__nar_terms_copy(const cxs__alloc *a, cxs__nar_terms *dst, const cxs__nar_terms *src)
{
    dst->slot = NULL;
    dst->n = dst->cap = 0;
    if (!src->n)
        return CXS_OK;
    if (!(dst->slot = cxs__malloc(a, src->cap * sizeof *dst->slot)))
        return CXS_ENOMEM;
    memcpy(dst->slot, src->slot, src->cap * sizeof *dst->slot);
    dst->n = src->n;
    dst->cap = src->cap;
    return CXS_OK;
}

void cxs__nar_terms_free(const cxs__alloc *a, cxs__nar_terms *t)
{
    cxs__free(a, t->slot, t->cap * sizeof *t->slot);
    t->slot = NULL;
    t->n = t->cap = 0;
}

static int by_key(const void *x, const void *y)
{
    return strcmp((*(const cxs__nar_term *const *)x)->key, (*(const cxs__nar_term *const *)y)->key);
}

size_t cxs__nar_terms_sorted(const cxs__nar_terms *t, const cxs__nar_term **out)
{
    size_t k = 0;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slot[i].key[0])
            out[k++] = &t->slot[i];
    qsort(out, k, sizeof *out, by_key);
    return k;
}

/*
 * The key of a term of text[start, end): ASCII letters lower-cased, runs of spaces as one,
 * U+2019 as an apostrophe, "not " before a negated one, cut at a character boundary to fit.
 * 0 (no key) for a term with a digit (ratings and durations say "4/5" and "45 minutes":
 * numbers, not words) or one that is empty.
 */
size_t cxs__nar_term_key(char *key, const char *text, size_t start, size_t end, int negated)
{
    size_t n = 0;
    if (negated) {
        memcpy(key, "not ", 4);
        n = 4;
    }
    for (size_t i = start; i < end && n < CXS__NAR_TERM_MAX; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= '0' && c <= '9')
            return 0;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (n && key[n - 1] != ' ')
                key[n++] = ' ';
            continue;
        }
        if (c == 0xE2 && i + 2 < end && (unsigned char)text[i + 1] == 0x80 &&
            (unsigned char)text[i + 2] == 0x99) {
            key[n++] = '\'';
            i += 2;
            continue;
        }
        size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (n + len > CXS__NAR_TERM_MAX || i + len > end)
            break;
        for (size_t j = 0; j < len; j++) {
            unsigned char b = (unsigned char)text[i + j];
            key[n++] = (char)(b >= 'A' && b <= 'Z' ? b | 0x20 : b ? b : ' ');
        }
        i += len - 1;
    }
    while (n && key[n - 1] == ' ')
        n--;
    key[n] = '\0';
    return n > (size_t)(negated ? 4 : 0) ? n : 0;
}
