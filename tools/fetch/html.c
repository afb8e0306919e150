/* html.c - HTML to plain text.
 *
 * Sources hand us sanitized fragments (Mastodon status HTML, HN comments,
 * Stack Exchange bodies), not documents, so a small state machine is enough:
 * we never build a tree. Anything that does not look like a tag ("<3", "a < b")
 * is kept as text, because real reviews contain such characters. */
#include "html.h"

#include "../common/utf8enc.h"

#include <ctype.h>
#include <string.h>

typedef struct emitter {
    fbuf *out;
    size_t start;  /* out->len when we began: trimming is relative to it */
    int pending_space;
    int pending_nl; /* 0, 1 (line break) or 2 (paragraph break) */
} emitter;

static int emit_bytes(emitter *e, const char *s, size_t n)
{
    if (e->out->len > e->start) {
        if (e->pending_nl) {
            if (fbuf_append(e->out, "\n\n", (size_t)e->pending_nl))
                return -1;
        } else if (e->pending_space) {
            if (fbuf_putc(e->out, ' '))
                return -1;
        }
    }
    e->pending_nl = 0;
    e->pending_space = 0;
    return fbuf_append(e->out, s, n);
}

static void emit_break(emitter *e, int n)
{
    if (e->pending_nl < n)
        e->pending_nl = n;
}

static const struct {
    const char *name;
    unsigned long cp;
} entities[] = {
    {"amp", '&'},       {"lt", '<'},          {"gt", '>'},         {"quot", '"'},
    {"apos", '\''},     {"nbsp", 0xA0},       {"hellip", 0x2026},  {"mdash", 0x2014},
    {"ndash", 0x2013},  {"lsquo", 0x2018},    {"rsquo", 0x2019},   {"ldquo", 0x201C},
    {"rdquo", 0x201D},  {"laquo", 0xAB},      {"raquo", 0xBB},     {"copy", 0xA9},
    {"reg", 0xAE},      {"trade", 0x2122},    {"bull", 0x2022},    {"middot", 0xB7},
    {"times", 0xD7},    {"deg", 0xB0},        {"euro", 0x20AC},    {"pound", 0xA3},
    {"yen", 0xA5},      {"cent", 0xA2},       {"sect", 0xA7},      {"para", 0xB6},
    {"shy", 0xAD},      {"zwj", 0x200D},      {"zwnj", 0x200C},    {"lrm", 0x200E},
    {"rlm", 0x200F},    {"eacute", 0xE9},     {"egrave", 0xE8},    {"agrave", 0xE0},
    {"aacute", 0xE1},   {"uuml", 0xFC},       {"ouml", 0xF6},      {"auml", 0xE4},
    {"szlig", 0xDF},    {"ccedil", 0xE7},     {"ntilde", 0xF1},    {"iexcl", 0xA1},
    {"iquest", 0xBF},   {"hearts", 0x2665},   {"larr", 0x2190},    {"rarr", 0x2192},
    {"thinsp", 0x2009}, {"ensp", 0x2002},     {"emsp", 0x2003},
};

/* Decode an entity at s[0]=='&'. Returns bytes consumed (0 = not an entity). */
static size_t decode_entity(const char *s, size_t len, unsigned long *cp)
{
    size_t i = 1;
    if (len < 3)
        return 0;
    if (s[1] == '#') {
        unsigned long v = 0;
        int hex = 0, digits = 0;
        i = 2;
        if (i < len && (s[i] == 'x' || s[i] == 'X')) {
            hex = 1;
            i++;
        }
        for (; i < len; i++) {
            int c = (unsigned char)s[i], d;
            if (isdigit(c))
                d = c - '0';
            else if (hex && isxdigit(c))
                d = tolower(c) - 'a' + 10;
            else
                break;
            if (v <= 0x10FFFF)
                v = v * (hex ? 16u : 10u) + (unsigned long)d;
            digits++;
        }
        if (!digits)
            return 0;
        if (i < len && s[i] == ';')
            i++;
        *cp = v; /* invalid values become U+FFFD in tool_utf8_encode */
        return i;
    }
    for (; i < len && i < 12 && isalnum((unsigned char)s[i]); i++)
        ;
    if (i >= len || s[i] != ';')
        return 0;
    {
        size_t k, nlen = i - 1;
        for (k = 0; k < sizeof entities / sizeof entities[0]; k++) {
            if (strlen(entities[k].name) == nlen && memcmp(entities[k].name, s + 1, nlen) == 0) {
                *cp = entities[k].cp;
                return i + 1;
            }
        }
    }
    return 0;
}

static int is_block_tag(const char *name, size_t n)
{
    static const char *const blocks[] = {"p",  "div", "li", "ul", "ol", "blockquote", "pre", "h1",
                                         "h2", "h3",  "h4", "h5", "h6", "tr",         "table",
                                         "section", "article", "header", "footer", "hr", "dd", "dt"};
    size_t k;
    for (k = 0; k < sizeof blocks / sizeof blocks[0]; k++)
        if (strlen(blocks[k]) == n && cxf_ncasecmp(blocks[k], name, n) == 0)
            return 1;
    return 0;
}

/* Find the end of the raw-text element (script/style) starting at i. */
static size_t skip_raw(const char *in, size_t len, size_t i, const char *name)
{
    size_t nl = strlen(name);
    for (; i + 2 + nl <= len; i++) {
        if (in[i] == '<' && in[i + 1] == '/' && cxf_ncasecmp(in + i + 2, name, nl) == 0) {
            const char *gt = memchr(in + i, '>', len - i);
            return gt ? (size_t)(gt - in) + 1 : len;
        }
    }
    return len;
}

int cxf_html_to_text(const char *in, size_t len, fbuf *out)
{
    emitter e = {out, out->len, 0, 0};
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)in[i];
        if (c == '<' && i + 1 < len &&
            (isalpha((unsigned char)in[i + 1]) || in[i + 1] == '/' || in[i + 1] == '!')) {
            size_t j = i + 1, name_start, name_len;
            int closing = 0;
            char quote = 0;
            if (in[j] == '!') {
                /* comment or doctype */
                if (len - j >= 3 && in[j + 1] == '-' && in[j + 2] == '-') {
                    size_t k;
                    for (k = j + 3; k + 2 < len; k++)
                        if (in[k] == '-' && in[k + 1] == '-' && in[k + 2] == '>')
                            break;
                    i = k + 2 < len ? k + 3 : len;
                } else {
                    const char *gt = memchr(in + j, '>', len - j);
                    i = gt ? (size_t)(gt - in) + 1 : len;
                }
                continue;
            }
            if (in[j] == '/') {
                closing = 1;
                j++;
            }
            name_start = j;
            while (j < len && (isalnum((unsigned char)in[j]) || in[j] == '-'))
                j++;
            name_len = j - name_start;
            for (; j < len; j++) {
                if (quote) {
                    if (in[j] == quote)
                        quote = 0;
                } else if (in[j] == '"' || in[j] == '\'') {
                    quote = in[j];
                } else if (in[j] == '>') {
                    break;
                }
            }
            if (j >= len) {
                /* Unterminated tag: the rest is markup garbage, drop it. */
                break;
            }
            if (name_len == 2 && cxf_ncasecmp(in + name_start, "br", 2) == 0) {
                if (e.pending_nl < 2)
                    e.pending_nl++;
            } else if (is_block_tag(in + name_start, name_len)) {
                emit_break(&e, cxf_ncasecmp(in + name_start, "li", 2) == 0 && name_len == 2 ? 1 : 2);
            } else if (!closing && ((name_len == 6 && cxf_ncasecmp(in + name_start, "script", 6) == 0) ||
                                    (name_len == 5 && cxf_ncasecmp(in + name_start, "style", 5) == 0))) {
                char nm[8];
                memcpy(nm, in + name_start, name_len);
                nm[name_len] = '\0';
                i = skip_raw(in, len, j + 1, nm);
                continue;
            }
            i = j + 1;
            continue;
        }
        if (c == '&') {
            unsigned long cp = 0;
            size_t n = decode_entity(in + i, len - i, &cp);
            if (n) {
                char u[4];
                size_t ul;
                i += n;
                if (cp == 0xA0 || cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
                    e.pending_space = 1;
                    continue;
                }
                ul = tool_utf8_encode(cp, u);
                if (emit_bytes(&e, u, ul))
                    return -1;
                continue;
            }
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            e.pending_space = 1;
            i++;
            continue;
        }
        {
            /* copy a run of ordinary bytes at once */
            size_t j = i + 1;
            while (j < len && in[j] != '<' && in[j] != '&' && in[j] != ' ' && in[j] != '\t' &&
                   in[j] != '\n' && in[j] != '\r' && in[j] != '\f' && in[j] != '\v')
                j++;
            if (emit_bytes(&e, in + i, j - i))
                return -1;
            i = j;
        }
    }
    return 0;
}
