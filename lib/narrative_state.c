/*
 * narrative_state.c — a narrative's state as bytes, and back: so narratives built in other
 * processes or on other machines (the partitions of a distributed job) can be sent and merged.
 *
 * A versioned text format, one record a line, fields separated by one space, every number a
 * decimal integer and every string hex-encoded behind an "x" (keys and verbatims may hold any
 * byte), so it never depends on the locale and a damaged state fails with its line and column:
 *
 *   cxsent-narrative 1
 *   themes N NAME...                      the model's theme names, in order
 *   group xKEY                            groups in strictly increasing byte order
 *   total TEXTS POS NEU NEG SUM           SUM: scores in units of 1e-9
 *   intents COMPLAINT CHURN RETURN RECOMMEND
 *   ratings RATED HIGH_NEG LOW_POS
 *   theme K TEXTS POS NEU NEG SUM BASELINE DELIGHT FAILURE     (mentioned themes only)
 *   wait C COUNT BREACHES MIN MAX BIN:N:SECONDS...    (MIN, MAX: IEEE-754 bits, in hex)
 *   verbatim SLOT SCORE CUT xID xTEXT     SLOT: best worst high_neg low_pos theme+K theme-K
 *   period xKEY TEXTS POS NEU NEG SUM     periods in strictly increasing byte order
 *   ptheme K TEXTS POS NEU NEG SUM        a theme within the period above
 *   pterm xTERM POS NEG                   a term of the period above, in byte order of TERM
 *   end
 *
 * Loading checks what the other functions rely on (counts that add up, indexes in range,
 * sorted unique keys, bounded lengths), so any bytes give either an error or a narrative that
 * behaves like one built by cxs_narrative_add().
 */
#include "json.h"
#include "narrative.h"

#include <stdlib.h>
#include <string.h>

/* ---- writing ------------------------------------------------------------------------------- */

static void put_i64(cxs__jw *w, int64_t v)
{
    if (v < 0) {
        cxs__jw_put(w, "-", 1);
        cxs__jw_uint(w, (size_t)(0 - (uint64_t)v));
    } else {
        cxs__jw_uint(w, (size_t)v);
    }
}

static void put_sp_uint(cxs__jw *w, size_t v)
{
    cxs__jw_put(w, " ", 1);
    cxs__jw_uint(w, v);
}

static void put_hex(cxs__jw *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    cxs__jw_put(w, " x", 2);
    for (size_t i = 0; i < n; i++) {
        char b[2] = {hex[(unsigned char)s[i] >> 4], hex[(unsigned char)s[i] & 15]};
        cxs__jw_put(w, b, 2);
    }
}

static void put_bits(cxs__jw *w, double v)
{
    static const char hex[] = "0123456789abcdef";
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    char b[17];
    b[0] = ' ';
    for (int i = 0; i < 16; i++)
        b[1 + i] = hex[(u >> (60 - 4 * i)) & 15];
    cxs__jw_put(w, b, 17);
}

static void put_tally(cxs__jw *w, const cxs__nar_tally *t)
{
    put_sp_uint(w, t->texts);
    put_sp_uint(w, t->pos);
    put_sp_uint(w, t->neu);
    put_sp_uint(w, t->neg);
    cxs__jw_put(w, " ", 1);
    put_i64(w, t->sum);
}

static void put_term(cxs__jw *w, const cxs__nar_term *t)
{
    cxs__jw_puts(w, "pterm");
    put_hex(w, t->key, strlen(t->key));
    put_sp_uint(w, t->pos);
    put_sp_uint(w, t->neg);
    cxs__jw_put(w, "\n", 1);
}

static void put_verbatim(cxs__jw *w, const char *slot, size_t k, const cxs__nar_verbatim *v)
{
    if (!v->set)
        return;
    cxs__jw_puts(w, "verbatim ");
    cxs__jw_puts(w, slot);
    if (slot[0] == 't')
        cxs__jw_uint(w, k);
    cxs__jw_put(w, " ", 1);
    put_i64(w, v->score);
    put_sp_uint(w, (size_t)(v->cut != 0));
    put_hex(w, v->id, strlen(v->id));
    put_hex(w, v->text, v->len);
    cxs__jw_put(w, "\n", 1);
}

/* A period's terms in byte order of key, so that equal narratives save equal bytes whatever
 * order their tables were filled in. */
static void put_terms(cxs__jw *w, const cxs__nar_terms *t)
{
    if (!t->n)
        return;
    const cxs__nar_term *one[64], **sorted = t->n <= 64 ? one : malloc(t->n * sizeof *sorted);
    if (!sorted) { /* no memory for the order: the slots in table order are still a state */
        for (size_t i = 0; i < t->cap; i++)
            if (t->slot[i].key[0])
                put_term(w, &t->slot[i]);
        return;
    }
    size_t n = cxs__nar_terms_sorted(t, sorted);
    for (size_t i = 0; i < n; i++)
        put_term(w, sorted[i]);
    if (sorted != one)
        free(sorted);
}

size_t cxs_narrative_save(const cxs_narrative *nar, char *buf, size_t cap)
{
    cxs__jw w = {buf, cap ? cap - 1 : 0, 0};
    cxs__jw_puts(&w, "cxsent-narrative 1\nthemes ");
    cxs__jw_uint(&w, nar ? nar->n_themes : 0);
    for (size_t k = 0; nar && k < nar->n_themes; k++) {
        cxs__jw_put(&w, " ", 1);
        cxs__jw_puts(&w, nar->model->theme_names[k]);
    }
    cxs__jw_put(&w, "\n", 1);
    for (size_t i = 0; nar && i < nar->n_groups; i++) {
        const cxs__nar_group *g = nar->groups[i];
        cxs__jw_puts(&w, "group");
        put_hex(&w, g->key, strlen(g->key));
        cxs__jw_puts(&w, "\ntotal");
        put_tally(&w, &g->t);
        cxs__jw_puts(&w, "\nintents");
        for (int k = 0; k < CXS__NAR_N_INTENTS; k++)
            put_sp_uint(&w, g->intents[k]);
        cxs__jw_puts(&w, "\nratings");
        put_sp_uint(&w, g->rated);
        put_sp_uint(&w, g->high_neg);
        put_sp_uint(&w, g->low_pos);
        cxs__jw_put(&w, "\n", 1);
        for (size_t k = 0; k < nar->n_themes; k++) {
            const cxs__nar_theme_tally *tt = &g->themes[k];
            if (!tt->t.texts)
                continue;
            cxs__jw_puts(&w, "theme");
            put_sp_uint(&w, k);
            put_tally(&w, &tt->t);
            for (int l = 0; l < 3; l++)
                put_sp_uint(&w, tt->level[l]);
            cxs__jw_put(&w, "\n", 1);
        }
        for (int c = 0; c < CXS__NAR_N_CHANNELS; c++) {
            const cxs__nar_wait_tally *wt = &g->waits[c];
            if (!wt->count)
                continue;
            cxs__jw_puts(&w, "wait");
            put_sp_uint(&w, (size_t)c);
            put_sp_uint(&w, wt->count);
            put_sp_uint(&w, wt->breaches);
            put_bits(&w, wt->min);
            put_bits(&w, wt->max);
            for (size_t b = 0; b < CXS__NAR_N_BINS; b++)
                if (wt->bins[b]) {
                    put_sp_uint(&w, b);
                    cxs__jw_put(&w, ":", 1);
                    cxs__jw_uint(&w, wt->bins[b]);
                    cxs__jw_put(&w, ":", 1);
                    cxs__jw_uint(&w, (size_t)wt->secs[b]);
                }
            cxs__jw_put(&w, "\n", 1);
        }
        put_verbatim(&w, "best", 0, &g->best);
        put_verbatim(&w, "worst", 0, &g->worst);
        put_verbatim(&w, "high_neg", 0, &g->high_neg_v);
        put_verbatim(&w, "low_pos", 0, &g->low_pos_v);
        for (size_t k = 0; k < nar->n_themes; k++) {
            put_verbatim(&w, "theme+", k, &g->themes[k].best);
            put_verbatim(&w, "theme-", k, &g->themes[k].worst);
        }
        for (size_t p = 0; p < g->n_periods; p++) {
            const cxs__nar_period *pe = &g->periods[p];
            cxs__jw_puts(&w, "period");
            put_hex(&w, pe->key, strlen(pe->key));
            put_tally(&w, &pe->t);
            cxs__jw_put(&w, "\n", 1);
            for (size_t k = 0; k < nar->n_themes; k++) {
                if (!pe->themes[k].texts)
                    continue;
                cxs__jw_puts(&w, "ptheme");
                put_sp_uint(&w, k);
                put_tally(&w, &pe->themes[k]);
                cxs__jw_put(&w, "\n", 1);
            }
            put_terms(&w, &pe->terms);
        }
    }
    cxs__jw_puts(&w, "end\n");
    if (cap)
        buf[w.len < cap ? w.len : cap - 1] = '\0';
    return w.len;
}

/* ---- reading ------------------------------------------------------------------------------- */

#define MAX_FIELDS (8 + CXS__NAR_N_BINS)

typedef struct reader {
    const char *s;
    size_t n, pos;    /* the state, and the offset of the next line */
    size_t line;      /* 1-based number of the current line */
    const char *f[MAX_FIELDS];
    size_t flen[MAX_FIELDS], fcol[MAX_FIELDS]; /* field lengths and 1-based columns */
    size_t nf;
    cxs_error *err;
} reader;

static int fail(reader *r, size_t field, const char *why)
{
    size_t col = field < r->nf ? r->fcol[field] : 1;
    return cxs__error_set(r->err, CXS_EPARSE, "<narrative state>", r->line, col, "%s", why);
}

/* The next line split into fields; 0 at the end of the state, -1 on a malformed line. */
static int next_line(reader *r)
{
    if (r->pos >= r->n)
        return 0;
    r->line++;
    const char *p = r->s + r->pos, *nl = memchr(p, '\n', r->n - r->pos);
    size_t len = nl ? (size_t)(nl - p) : r->n - r->pos;
    r->pos += len + (nl != NULL);
    if (!nl) {
        r->nf = 0;
        return fail(r, 0, "the last line has no newline: the state is cut short"), -1;
    }
    r->nf = 0;
    if (len && p[len - 1] == '\r') /* a state passed through a CRLF text mode */
        return cxs__error_set(r->err, CXS_EPARSE, "<narrative state>", r->line, len,
                              "a line ends with a carriage return: a state has LF line ends"),
               -1;
    size_t i = 0;
    while (i <= len) {
        size_t j = i;
        while (j < len && p[j] != ' ')
            j++;
        if (j == i || r->nf == MAX_FIELDS)
            return cxs__error_set(r->err, CXS_EPARSE, "<narrative state>", r->line, i + 1,
                                  "%s", j == i ? "an empty field" : "too many fields"),
                   -1;
        r->f[r->nf] = p + i;
        r->flen[r->nf] = j - i;
        r->fcol[r->nf++] = i + 1;
        i = j + 1;
    }
    return 1;
}

static int is(const reader *r, size_t k, const char *word)
{
    size_t n = strlen(word);
    return k < r->nf && r->flen[k] == n && memcmp(r->f[k], word, n) == 0;
}

/* A decimal field of at most 19 digits (no sign): CXS_OK or an error. */
static int get_u64(reader *r, size_t k, uint64_t *out)
{
    if (k >= r->nf || r->flen[k] == 0 || r->flen[k] > 19)
        return fail(r, k, "expected a number");
    uint64_t v = 0;
    for (size_t i = 0; i < r->flen[k]; i++) {
        unsigned d = (unsigned)(unsigned char)r->f[k][i] - '0';
        if (d > 9)
            return fail(r, k, "expected a number");
        v = v * 10 + d;
    }
    *out = v;
    return CXS_OK;
}

static int get_size(reader *r, size_t k, size_t *out)
{
    uint64_t v;
    int rc = get_u64(r, k, &v);
    if (rc)
        return rc;
    if (v > (uint64_t)SIZE_MAX)
        return fail(r, k, "number out of range");
    *out = (size_t)v;
    return CXS_OK;
}

static int get_i64(reader *r, size_t k, int64_t *out)
{
    int neg = k < r->nf && r->flen[k] > 1 && r->f[k][0] == '-';
    if (neg) {
        r->f[k]++;
        r->flen[k]--;
        r->fcol[k]++;
    }
    uint64_t v;
    int rc = get_u64(r, k, &v);
    if (rc)
        return rc;
    if (v > (uint64_t)INT64_MAX)
        return fail(r, k, "number out of range");
    *out = neg ? -(int64_t)v : (int64_t)v;
    return CXS_OK;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* An "x"-hex string of at most max bytes into dst (max + 1 bytes, NUL-terminated). A key
 * (nul_ok 0) may not hold a NUL byte. */
static int get_hex(reader *r, size_t k, char *dst, size_t max, size_t *len, int nul_ok)
{
    if (k >= r->nf || r->f[k][0] != 'x' || (r->flen[k] - 1) % 2)
        return fail(r, k, "expected x and hex digits");
    size_t n = (r->flen[k] - 1) / 2;
    if (n > max)
        return fail(r, k, "string too long");
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(r->f[k][1 + 2 * i]), lo = hexval(r->f[k][2 + 2 * i]);
        if (hi < 0 || lo < 0)
            return fail(r, k, "expected x and hex digits");
        dst[i] = (char)(hi << 4 | lo);
        if (!dst[i] && !nul_ok)
            return fail(r, k, "a key holds a NUL byte");
    }
    dst[n] = '\0';
    if (len)
        *len = n;
    return CXS_OK;
}

/* TEXTS POS NEU NEG SUM from field k on; the counts must add up and the sum fit the texts. */
static int get_tally(reader *r, size_t k, cxs__nar_tally *t)
{
    int rc;
    if ((rc = get_size(r, k, &t->texts)) || (rc = get_size(r, k + 1, &t->pos)) ||
        (rc = get_size(r, k + 2, &t->neu)) || (rc = get_size(r, k + 3, &t->neg)) ||
        (rc = get_i64(r, k + 4, &t->sum)))
        return rc;
    if (t->pos > t->texts || t->neu > t->texts - t->pos || t->neg != t->texts - t->pos - t->neu)
        return fail(r, k, "the counts do not add up");
    /* every score is within [-1, 1] */
    if ((double)(t->sum < 0 ? -(double)t->sum : (double)t->sum) >
        (double)t->texts * CXS__NAR_SCORE_UNIT)
        return fail(r, k + 4, "the score sum is out of range");
    return CXS_OK;
}

static int want_fields(reader *r, size_t n)
{
    return r->nf == n ? CXS_OK : fail(r, r->nf < n ? 0 : n, "wrong number of fields");
}

static int get_verbatim(reader *r, cxs__nar_group *g, size_t n_themes)
{
    int rc = want_fields(r, 6);
    if (rc)
        return rc;
    cxs__nar_verbatim v, *slot = NULL;
    memset(&v, 0, sizeof v);
    if (is(r, 1, "best"))
        slot = &g->best;
    else if (is(r, 1, "worst"))
        slot = &g->worst;
    else if (is(r, 1, "high_neg"))
        slot = &g->high_neg_v;
    else if (is(r, 1, "low_pos"))
        slot = &g->low_pos_v;
    else if (r->flen[1] > 6 && memcmp(r->f[1], "theme", 5) == 0 &&
             (r->f[1][5] == '+' || r->f[1][5] == '-')) {
        int best = r->f[1][5] == '+';
        r->f[1] += 6;
        r->flen[1] -= 6;
        size_t k;
        if ((rc = get_size(r, 1, &k)))
            return rc;
        if (k >= n_themes)
            return fail(r, 1, "theme index out of range");
        slot = best ? &g->themes[k].best : &g->themes[k].worst;
    } else {
        return fail(r, 1, "unknown verbatim slot");
    }
    size_t cut;
    if ((rc = get_i64(r, 2, &v.score)) || (rc = get_size(r, 3, &cut)) ||
        (rc = get_hex(r, 4, v.id, CXS__NAR_ID_MAX, NULL, 0)) ||
        (rc = get_hex(r, 5, v.text, CXS__NAR_VERBATIM_MAX, &v.len, 1)))
        return rc;
    if (v.score > (int64_t)CXS__NAR_SCORE_UNIT || v.score < -(int64_t)CXS__NAR_SCORE_UNIT)
        return fail(r, 2, "score out of range");
    if (cut > 1)
        return fail(r, 3, "expected 0 or 1");
    if (slot->set)
        return fail(r, 1, "a verbatim slot given twice");
    v.cut = (int)cut;
    v.set = 1;
    *slot = v;
    return CXS_OK;
}

static int get_bits(reader *r, size_t k, double *out)
{
    if (k >= r->nf || r->flen[k] != 16)
        return fail(r, k, "expected 16 hex digits");
    uint64_t u = 0;
    for (size_t i = 0; i < 16; i++) {
        int h = hexval(r->f[k][i]);
        if (h < 0)
            return fail(r, k, "expected 16 hex digits");
        u = u << 4 | (uint64_t)h;
    }
    memcpy(out, &u, sizeof *out);
    if (!(*out >= 0 && *out <= 1e12))
        return fail(r, k, "a wait out of range");
    return CXS_OK;
}

static int get_wait(reader *r, cxs__nar_group *g)
{
    size_t c;
    int rc;
    if (r->nf < 7)
        return fail(r, 0, "wrong number of fields");
    if ((rc = get_size(r, 1, &c)))
        return rc;
    if (c >= CXS__NAR_N_CHANNELS)
        return fail(r, 1, "channel out of range");
    cxs__nar_wait_tally *w = &g->waits[c];
    if (w->count)
        return fail(r, 0, "a channel given twice");
    cxs__nar_wait_tally t;
    memset(&t, 0, sizeof t);
    if ((rc = get_size(r, 2, &t.count)) || (rc = get_size(r, 3, &t.breaches)) ||
        (rc = get_bits(r, 4, &t.min)) || (rc = get_bits(r, 5, &t.max)))
        return rc;
    if (!t.count || t.breaches > t.count || t.min > t.max)
        return fail(r, 2, "inconsistent wait counts");
    size_t total = 0;
    for (size_t k = 6; k < r->nf; k++) {
        /* BIN:N:SECONDS, read as three fields of their own */
        const char *f = r->f[k], *c1 = memchr(f, ':', r->flen[k]);
        const char *c2 = c1 ? memchr(c1 + 1, ':', r->flen[k] - (size_t)(c1 + 1 - f)) : NULL;
        if (!c2)
            return fail(r, k, "expected BIN:COUNT:SECONDS");
        size_t whole = r->flen[k], col = r->fcol[k], b, n;
        uint64_t sec;
        r->flen[k] = (size_t)(c1 - f);
        if ((rc = get_size(r, k, &b)))
            return rc;
        r->f[k] = c1 + 1;
        r->fcol[k] = col + (size_t)(c1 + 1 - f);
        r->flen[k] = (size_t)(c2 - c1 - 1);
        if ((rc = get_size(r, k, &n)))
            return rc;
        r->f[k] = c2 + 1;
        r->fcol[k] = col + (size_t)(c2 + 1 - f);
        r->flen[k] = whole - (size_t)(c2 + 1 - f);
        if ((rc = get_u64(r, k, &sec)))
            return rc;
        if (b >= CXS__NAR_N_BINS || t.bins[b] || !n)
            return fail(r, k, "bad bin");
        t.bins[b] = n;
        t.secs[b] = sec;
        total += n;
        if (total < n)
            return fail(r, k, "counts overflow");
    }
    if (total != t.count)
        return fail(r, 2, "the bins do not add up to the count");
    *w = t;
    return CXS_OK;
}

/* *acc += v when the sum stays within max; 0 when it would not. */
static int add_within(size_t *acc, size_t v, size_t max)
{
    if (v > max || *acc > max - v)
        return 0;
    *acc += v;
    return 1;
}

/* What cxs_narrative_add() makes true of every group, and merging keeps: NULL when g holds it,
 * else what is wrong. A state is refused for less (a narrative whose figures disagree, an
 * intent rate above 1, a period with more texts than its group, a verbatim of no text). */
static const char *group_inconsistent(const cxs_narrative *n, const cxs__nar_group *g)
{
    const cxs__nar_tally *t = &g->t;
    if (!t->texts)
        return "a group without texts";
    for (size_t k = 0; k < CXS__NAR_N_INTENTS; k++)
        if (g->intents[k] > t->texts)
            return "more texts with an intent than texts in the group";
    if (g->rated > t->texts || g->high_neg > t->neg || g->low_pos > t->pos)
        return "the rating counts disagree with the group's texts";
    size_t texts = 0, pos = 0, neg = 0;
    for (size_t p = 0; p < g->n_periods; p++) {
        const cxs__nar_tally *pt = &g->periods[p].t;
        if (!add_within(&texts, pt->texts, t->texts) || !add_within(&pos, pt->pos, t->pos) ||
            !add_within(&neg, pt->neg, t->neg))
            return "the periods have more texts than their group";
    }
    for (size_t k = 0; k < n->n_themes; k++) {
        const cxs__nar_theme_tally *tt = &g->themes[k];
        texts = pos = neg = 0;
        for (size_t p = 0; p < g->n_periods; p++) {
            const cxs__nar_tally *pt = &g->periods[p].themes[k];
            if (!add_within(&texts, pt->texts, tt->t.texts) ||
                !add_within(&pos, pt->pos, tt->t.pos) || !add_within(&neg, pt->neg, tt->t.neg))
                return "the periods have more texts of a theme than their group";
        }
        if ((tt->best.set && !tt->t.pos) || (tt->worst.set && !tt->t.neg))
            return "a theme's verbatim without such a text of the theme";
    }
    if ((g->best.set && !t->pos) || (g->worst.set && !t->neg) ||
        (g->high_neg_v.set && !g->high_neg) || (g->low_pos_v.set && !g->low_pos))
        return "a verbatim without such a text in the group";
    return NULL;
}

/* The lines of one group after its "group" line, up to the next group or "end". Returns
 * CXS_OK with the reader on that line, or an error. */
static int get_group(reader *r, cxs_narrative *n, cxs__nar_group *g)
{
    cxs__nar_period *cur = NULL;
    char last_term[CXS__NAR_TERM_MAX + 1] = ""; /* the period's terms come in key order */
    size_t theme_sum = 0; /* theme texts are at most the group's; checked at the end */
    int rc, got;
    while ((got = next_line(r)) == 1) {
        if (is(r, 0, "group") || is(r, 0, "end"))
            break;
        if (is(r, 0, "total")) {
            if ((rc = want_fields(r, 6)) || (rc = get_tally(r, 1, &g->t)))
                return rc;
        } else if (is(r, 0, "intents")) {
            if ((rc = want_fields(r, 1 + CXS__NAR_N_INTENTS)))
                return rc;
            for (size_t k = 0; k < CXS__NAR_N_INTENTS; k++)
                if ((rc = get_size(r, 1 + k, &g->intents[k])))
                    return rc;
        } else if (is(r, 0, "ratings")) {
            if ((rc = want_fields(r, 4)) || (rc = get_size(r, 1, &g->rated)) ||
                (rc = get_size(r, 2, &g->high_neg)) || (rc = get_size(r, 3, &g->low_pos)))
                return rc;
            if (g->high_neg > g->rated || g->low_pos > g->rated - g->high_neg)
                return fail(r, 2, "inconsistent rating counts");
        } else if (is(r, 0, "theme")) {
            size_t k;
            if ((rc = want_fields(r, 10)) || (rc = get_size(r, 1, &k)))
                return rc;
            if (k >= n->n_themes || g->themes[k].t.texts)
                return fail(r, 1, "theme index out of range or given twice");
            cxs__nar_theme_tally *tt = &g->themes[k];
            if ((rc = get_tally(r, 2, &tt->t)))
                return rc;
            for (int l = 0; l < 3; l++)
                if ((rc = get_size(r, 7 + (size_t)l, &tt->level[l])))
                    return rc;
            if (!tt->t.texts || tt->level[0] > tt->t.texts ||
                tt->level[1] > tt->t.texts - tt->level[0] ||
                tt->level[2] != tt->t.texts - tt->level[0] - tt->level[1])
                return fail(r, 2, "inconsistent theme counts");
            theme_sum = tt->t.texts > theme_sum ? tt->t.texts : theme_sum;
        } else if (is(r, 0, "wait")) {
            if ((rc = get_wait(r, g)))
                return rc;
        } else if (is(r, 0, "verbatim")) {
            if ((rc = get_verbatim(r, g, n->n_themes)))
                return rc;
        } else if (is(r, 0, "period")) {
            char key[CXS__NAR_PERIOD_MAX + 1];
            size_t klen;
            if ((rc = want_fields(r, 7)) ||
                (rc = get_hex(r, 1, key, CXS__NAR_PERIOD_MAX, &klen, 0)))
                return rc;
            if (!klen || (g->n_periods && strcmp(g->periods[g->n_periods - 1].key, key) >= 0))
                return fail(r, 1, "periods must be non-empty and in increasing order");
            cxs__nar_tally *themes;
            if (cxs__grow(&n->alloc, (void **)&g->periods, &g->cap_periods, g->n_periods + 1,
                          sizeof *g->periods) ||
                cxs__nar_period_themes_new(n, &themes))
                return cxs__error_set(r->err, CXS_ENOMEM, "<narrative state>", r->line, 1,
                                      "out of memory");
            cur = &g->periods[g->n_periods++];
            memset(cur, 0, sizeof *cur);
            last_term[0] = '\0';
            memcpy(cur->key, key, klen + 1);
            cur->themes = themes;
            if ((rc = get_tally(r, 2, &cur->t)))
                return rc;
            if (!cur->t.texts)
                return fail(r, 2, "a period without texts");
        } else if (is(r, 0, "pterm")) {
            char key[CXS__NAR_TERM_MAX + 1];
            size_t klen, pos, neg;
            if (!cur)
                return fail(r, 0, "a period term before any period");
            if ((rc = want_fields(r, 4)) ||
                (rc = get_hex(r, 1, key, CXS__NAR_TERM_MAX, &klen, 0)) ||
                (rc = get_size(r, 2, &pos)) || (rc = get_size(r, 3, &neg)))
                return rc;
            if (!klen || (last_term[0] && strcmp(last_term, key) >= 0))
                return fail(r, 1, "terms must be non-empty and in increasing order");
            if (pos > cur->t.texts || neg > cur->t.texts - pos || !(pos | neg))
                return fail(r, 2, "term counts out of range");
            if (cxs__nar_terms_reserve(&n->alloc, &cur->terms, 1))
                return cxs__error_set(r->err, CXS_ENOMEM, "<narrative state>", r->line, 1,
                                      "out of memory");
            cxs__nar_terms_add(&cur->terms, key, pos, neg);
            memcpy(last_term, key, klen + 1);
        } else if (is(r, 0, "ptheme")) {
            size_t k;
            if (!cur)
                return fail(r, 0, "a period theme before any period");
            if ((rc = want_fields(r, 7)) || (rc = get_size(r, 1, &k)))
                return rc;
            if (k >= n->n_themes || cur->themes[k].texts)
                return fail(r, 1, "theme index out of range or given twice");
            if ((rc = get_tally(r, 2, &cur->themes[k])))
                return rc;
            if (!cur->themes[k].texts || cur->themes[k].texts > cur->t.texts)
                return fail(r, 2, "more theme texts than period texts");
        } else {
            return fail(r, 0, "unknown line");
        }
    }
    if (got < 0)
        return CXS_EPARSE;
    if (got == 0)
        return fail(r, 0, "the state is cut short (no end line)");
    if (theme_sum > g->t.texts)
        return fail(r, 0, "a theme has more texts than its group");
    const char *why = group_inconsistent(n, g);
    if (why)
        return fail(r, 0, why);
    return CXS_OK;
}

int cxs_narrative_load(cxs_narrative **out, const cxs_model *model, const char *data,
                       size_t len, cxs_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !model || (!data && len))
        return cxs__error_set(err, CXS_EINVAL, "<narrative state>", 0, 0, "NULL argument");
    cxs_narrative *n = NULL;
    int rc = cxs_narrative_new(&n, model, err);
    if (rc)
        return rc;
    reader r;
    memset(&r, 0, sizeof r);
    r.s = data ? data : "";
    r.n = len;
    r.err = err;
    int got = next_line(&r);
    if (got == 0)
        r.line = 1; /* an empty state: its first line is missing */
    if (got <= 0 || r.nf != 2 || !is(&r, 0, "cxsent-narrative") || !is(&r, 1, "1")) {
        rc = got < 0 ? CXS_EPARSE : fail(&r, 0, "not a narrative state (version 1)");
        goto done;
    }
    got = next_line(&r);
    size_t nt = 0;
    if (got <= 0 || !is(&r, 0, "themes") || (rc = get_size(&r, 1, &nt)) || r.nf != 2 + nt) {
        rc = got < 0 ? CXS_EPARSE : rc ? rc : fail(&r, 0, "expected the themes line");
        goto done;
    }
    int same = nt == n->n_themes;
    for (size_t k = 0; same && k < nt; k++)
        same = is(&r, 2 + k, model->theme_names[k]);
    if (!same) {
        rc = cxs__error_set(err, CXS_EINVAL, "<narrative state>", r.line, 1,
                            "the state is of a model with other themes");
        goto done;
    }
    got = next_line(&r);
    while (got == 1 && is(&r, 0, "group")) {
        char key[CXS__NAR_GROUP_MAX + 1];
        if ((rc = want_fields(&r, 2)) || (rc = get_hex(&r, 1, key, CXS__NAR_GROUP_MAX, NULL, 0)))
            goto done;
        if (n->n_groups && strcmp(n->groups[n->n_groups - 1]->key, key) >= 0) {
            rc = fail(&r, 1, "groups must be in increasing order");
            goto done;
        }
        cxs__nar_group *g = NULL;
        if (cxs__grow(&n->alloc, (void **)&n->groups, &n->cap_groups, n->n_groups + 1,
                      sizeof *n->groups) ||
            !(g = cxs__nar_group_new(n, key))) {
            rc = cxs__error_set(err, CXS_ENOMEM, "<narrative state>", r.line, 1,
                                "out of memory");
            goto done;
        }
        n->groups[n->n_groups++] = g;
        if ((rc = get_group(&r, n, g)))
            goto done;
        got = 1; /* get_group stopped on the next group line or on "end" */
    }
    if (got < 0) {
        rc = CXS_EPARSE;
        goto done;
    }
    if (got == 0 || !is(&r, 0, "end") || r.nf != 1) {
        rc = fail(&r, 0, got == 0 ? "the state is cut short (no end line)" : "unknown line");
        goto done;
    }
    if (r.pos != r.n) {
        r.line++;
        r.nf = 0;
        rc = fail(&r, 0, "bytes after the end line");
        goto done;
    }
done:
    if (rc) {
        cxs_narrative_free(n);
        return rc;
    }
    *out = n;
    return CXS_OK;
}
