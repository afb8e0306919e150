/*
 * report.c — the HTML renderer of a scan's summary (cxsent-scan --report FILE).
 *
 * One self-contained file: inline CSS and inline SVG, no script and no external resource, so
 * it can be mailed, archived or opened offline. Everything shown comes from the tallies in
 * summary.h; this file only lays them out. User text (brand names, ids, verbatims) is always
 * written through esc().
 *
 * Same tallies, same bytes: no timestamp, and numbers go through printf in the C locale
 * (cxsent-scan never calls setlocale(), so the decimal point is always '.'), with "-0.00"
 * normalised so rounding noise cannot flip a sign.
 *
 * Colours: blue for positive and orange for negative (the colour-blind-safe pair of Tableau's
 * palette), grey for neutral; every colour also comes with a number or a word, so nothing is
 * read from colour alone.
 */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#define C_POS "#006ba4"
#define C_NEU "#bdbdbd"
#define C_NEG "#c85200"
#define C_TRACK "#eeeeee"

typedef struct numstr {
    char s[48];
} numstr;

/* v with dec decimals, "+" for positives when sign is set; never "-0.00". Returned by value
 * so several can appear in one printf. */
static numstr num(double v, int dec, int sign)
{
    numstr r;
    snprintf(r.s, sizeof r.s, sign ? "%+.*f" : "%.*f", dec, v);
    if (r.s[0] == '-' && strspn(r.s + 1, "0.") == strlen(r.s + 1)) {
        if (sign)
            r.s[0] = '+';
        else
            memmove(r.s, r.s + 1, strlen(r.s));
    }
    return r;
}

/* A share as a whole percentage, "47%". */
static numstr pct(unsigned long k, unsigned long n)
{
    numstr r = num(n ? 100.0 * (double)k / (double)n : 0, 0, 0);
    strcat(r.s, "%");
    return r;
}

/* Text as HTML character data or attribute value. Controls become spaces: they are not
 * allowed in HTML, and a terminal escape has no business in a report. */
static void esc_n(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(c < 0x20 || c == 0x7F ? ' ' : c, f);
        }
    }
}

static void esc(FILE *f, const char *s)
{
    esc_n(f, s, strlen(s));
}

/* The colour of a net sentiment: orange at -1, grey at 0, blue at +1, linear between. */
static numstr net_colour(double v)
{
    static const unsigned char neg[3] = {0xc8, 0x52, 0x00}, mid[3] = {0xbd, 0xbd, 0xbd},
                               pos[3] = {0x00, 0x6b, 0xa4};
    const unsigned char *end = v < 0 ? neg : pos;
    double t = fabs(v) > 1 ? 1 : fabs(v);
    unsigned c[3];
    for (int k = 0; k < 3; k++)
        c[k] = (unsigned)lround(mid[k] + (end[k] - mid[k]) * t) & 0xFFu;
    numstr r;
    snprintf(r.s, sizeof r.s, "#%02x%02x%02x", c[0], c[1], c[2]);
    return r;
}

/* "+0.38 (95% interval +0.15 to +0.61)" pieces. */
static void interval(FILE *f, double lo, double hi)
{
    fprintf(f, "%s to %s", num(lo, 2, 1).s, num(hi, 2, 1).s);
}

static void few_note(FILE *f, unsigned long pos, unsigned long neg)
{
    if (pos + neg < SUM_FEW)
        fputs(" <span class=\"warn\">few texts</span>", f);
}

static const char style[] =
    "body{font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\","
    "Arial,sans-serif;color:#222;background:#fff;max-width:980px;margin:0 auto;"
    "padding:24px 28px 48px}\n"
    "h1{font-size:26px;margin:0 0 6px}\n"
    "h2{font-size:21px;margin:40px 0 4px;padding-top:14px;border-top:2px solid #444}\n"
    "h3{font-size:15px;margin:22px 0 6px}\n"
    "p{margin:4px 0}\n"
    ".note{color:#555;font-size:12.5px}\n"
    ".lead{font-size:15px}\n"
    ".warn{color:#8a3a00;font-size:12px;font-weight:600}\n"
    "table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:4px 0}\n"
    "th,td{padding:4px 14px 4px 0;text-align:left;vertical-align:middle;white-space:nowrap}\n"
    "th{font-weight:600;font-size:12.5px;color:#444;border-bottom:1px solid #888}\n"
    "td{border-bottom:1px solid #e6e6e6}\n"
    ".r{text-align:right}\n"
    "svg{display:block;max-width:100%;height:auto}\n"
    "svg text{font-size:12px;fill:#333}\n"
    ".key{display:inline-block;margin-right:16px;font-size:12.5px}\n"
    ".sw{display:inline-block;width:11px;height:11px;margin-right:5px;vertical-align:-1px;"
    "border-radius:2px}\n"
    ".cols{display:flex;flex-wrap:wrap;gap:8px 48px}\n"
    "figure{margin:8px 0 14px;padding:8px 14px;border-left:5px solid;background:#f6f6f6}\n"
    "figure.pos{border-color:" C_POS "}\n"
    "figure.neg{border-color:" C_NEG "}\n"
    "blockquote{margin:0 0 4px;font-size:14.5px}\n"
    "figcaption{color:#555;font-size:12.5px}\n"
    "a{color:" C_POS "}\n";

/* ---- overview ------------------------------------------------------------------------------ */

static const sum_theme *top_theme(const summary *s, const sum_brand *b, const char **name)
{
    if (!b->n_order)
        return NULL;
    *name = s->theme[b->order[0]];
    return &b->themes[b->order[0]];
}

/* What a group is called in headings, escaped (the field names come from the command line):
 * "Brand", "Brands"; "Brand / source", "Brand / source groups" (capital: first letter upper
 * case; plural: of n groups). */
/* Write word escaped, its first letter in upper case for a heading when capital. */
static void esc_word(FILE *f, const char *word, int capital)
{
    if (capital && word[0] >= 'a' && word[0] <= 'z') {
        fputc(word[0] - 'a' + 'A', f);
        word++;
    }
    esc(f, word);
}

static void group_word(FILE *f, const summary *s, int capital, size_t n)
{
    char buf[160];
    grouping_label(s->grouping, buf, sizeof buf, n);
    esc_word(f, buf, capital);
}

/* What the time field must hold ("a YYYY-MM created_at"), escaped. */
static void needs_words(FILE *f, const summary *s)
{
    char needs[96];
    grouping_needs(s->grouping, needs, sizeof needs);
    esc(f, needs);
}

static void comparison(FILE *f, const summary *s)
{
    fputs("<h2>", f);
    group_word(f, s, 1, 2);
    fputs(" compared</h2>\n<table>\n<tr><th>", f);
    group_word(f, s, 1, 1);
    fputs("</th><th class=\"r\">Texts</th><th class=\"r\">Net sentiment</th><th>95% "
          "interval</th><th>Top theme (share of voice, net)</th><th class=\"r\">Complaint "
          "rate</th><th class=\"r\">Churn rate</th></tr>\n",
          f);
    for (size_t i = 0; i < s->n; i++) {
        const sum_brand *b = &s->b[i];
        double v = b->net;
        fprintf(f, "<tr><td><a href=\"#brand-%zu\">", i + 1);
        esc(f, b->name);
        fprintf(f, "</a></td><td class=\"r\">%lu</td><td class=\"r\">%s</td><td>", b->n,
                num(v, 2, 1).s);
        interval(f, b->net_lo, b->net_hi);
        few_note(f, b->pos, b->neg);
        fputs("</td><td>", f);
        const char *tn = NULL;
        const sum_theme *t = top_theme(s, b, &tn);
        if (t) {
            esc(f, tn);
            fprintf(f, " (%s, %s)", pct(t->texts, b->n).s, num(t->net, 2, 1).s);
        } else {
            fputs("&mdash;", f);
        }
        /* intents[k] counts bit 1u << k: 0 is complaint, 1 is churn */
        fprintf(f, "</td><td class=\"r\">%s</td><td class=\"r\">%s</td></tr>\n",
                pct(b->intents[0], b->n).s, pct(b->intents[1], b->n).s);
    }
    fputs("</table>\n", f);
}

/* ---- one brand ----------------------------------------------------------------------------- */

/* The split as one stacked bar, labelled inside where a segment is wide enough. */
static void split_bar(FILE *f, const sum_brand *b)
{
    const double w = 640, h = 26;
    const unsigned long part[3] = {b->pos, b->neu, b->neg};
    static const char *const colour[3] = {C_POS, C_NEU, C_NEG};
    static const char *const ink[3] = {"#fff", "#222", "#fff"};
    static const char *const name[3] = {"positive", "neutral", "negative"};
    fprintf(f,
            "<svg width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
            "aria-label=\"sentiment split: %s positive, %s neutral, %s negative\">\n",
            w, h, w, h, pct(b->pos, b->n).s, pct(b->neu, b->n).s, pct(b->neg, b->n).s);
    unsigned long cum = 0;
    for (int k = 0; k < 3; k++) {
        /* ends from cumulative counts, so the segments meet exactly */
        double x0 = w * (double)cum / (double)b->n;
        cum += part[k];
        double x1 = w * (double)cum / (double)b->n;
        if (!part[k])
            continue;
        fprintf(f,
                "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%.0f\" fill=\"%s\">"
                "<title>%s: %lu texts (%s)</title></rect>\n",
                x0, x1 - x0, h, colour[k], name[k], part[k], pct(part[k], b->n).s);
        if (x1 - x0 >= 40)
            fprintf(f,
                    "<text x=\"%.1f\" y=\"17\" text-anchor=\"middle\" style=\"fill:%s;"
                    "font-weight:600\">%s</text>\n",
                    (x0 + x1) / 2, ink[k], pct(part[k], b->n).s);
    }
    fputs("</svg>\n<p>", f);
    for (int k = 0; k < 3; k++)
        fprintf(f,
                "<span class=\"key\"><span class=\"sw\" style=\"background:%s\"></span>%s "
                "%lu (%s)</span>",
                colour[k], name[k], part[k], pct(part[k], b->n).s);
    fputs("</p>\n", f);
}

/* Net sentiment on a -1..+1 scale: the interval as a band, the value as a dot. */
static void net_scale(FILE *f, double v, double lo, double hi)
{
    const double w = 640, h = 48, x0 = 20, x1 = 620, y = 16;
#define SX(t) (x0 + ((t) + 1) / 2 * (x1 - x0))
    fprintf(f,
            "<svg width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
            "aria-label=\"net sentiment %s, 95%% interval %s to %s, on a scale from -1 to "
            "+1\">\n",
            w, h, w, h, num(v, 2, 1).s, num(lo, 2, 1).s, num(hi, 2, 1).s);
    fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#999\"/>\n", x0, y,
            x1, y);
    static const double ticks[5] = {-1, -0.5, 0, 0.5, 1};
    static const char *const tick_label[5] = {"-1 all negative", "-0.5", "0", "+0.5",
                                              "+1 all positive"};
    static const char *const anchor[5] = {"start", "middle", "middle", "middle", "end"};
    for (int k = 0; k < 5; k++) {
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"%s\"/>\n"
                "<text x=\"%.1f\" y=\"42\" text-anchor=\"%s\">%s</text>\n",
                SX(ticks[k]), y - (k == 2 ? 10 : 5), SX(ticks[k]), y + (k == 2 ? 10 : 5),
                k == 2 ? "#555" : "#999", k == 0 ? x0 - 4 : k == 4 ? x1 + 4 : SX(ticks[k]),
                anchor[k], tick_label[k]);
    }
    fprintf(f,
            "<rect x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"12\" rx=\"3\" "
            "fill=\"%s\" fill-opacity=\"0.35\"><title>95%% interval %s to %s</title></rect>\n",
            SX(lo), y - 6, SX(hi) - SX(lo), net_colour(v).s, num(lo, 2, 1).s, num(hi, 2, 1).s);
    fprintf(f,
            "<circle cx=\"%.1f\" cy=\"%.0f\" r=\"6.5\" fill=\"%s\" stroke=\"#222\" "
            "stroke-width=\"1.2\"><title>net sentiment %s</title></circle>\n</svg>\n",
            SX(v), y, net_colour(v).s, num(v, 2, 1).s);
#undef SX
}

/*
 * Net sentiment by period: a dot per period with its 95% interval as a whisker, the texts per
 * period under the axis. Periods between the first and the last with no text are shown empty,
 * so the x axis is time (unless that span is too long, then only periods with texts).
 */
static void period_chart(FILE *f, const summary *s, const sum_brand *b)
{
    const period_kind pk = s->grouping->period;
    const char *pn = grouping_period_noun(pk);
    sum_period m[SUM_MAX_PERIODS];
    int n = 0;
    long first = grouping_period_index(pk, b->periods[0].key),
         last = grouping_period_index(pk, b->periods[b->n_periods - 1].key);
    int continuous = first >= 0 && last >= first && last - first < SUM_MAX_PERIODS;
    for (int j = 0; continuous && j < b->n_periods; j++)
        continuous = grouping_period_index(pk, b->periods[j].key) >= 0;
    if (continuous) {
        int j = 0;
        for (long t = first; t <= last; t++) {
            if (j < b->n_periods && grouping_period_index(pk, b->periods[j].key) == t) {
                m[n++] = b->periods[j++];
                continue;
            }
            memset(&m[n], 0, sizeof m[n]);
            grouping_period_key(pk, t, m[n].key);
            n++;
        }
    } else {
        memcpy(m, b->periods, (size_t)b->n_periods * sizeof *m);
        n = b->n_periods;
    }
    const double w = 640, h = 250, left = 62, right = 14, top = 12, bottom = 66;
    const double pw = w - left - right, ph = h - top - bottom, step = pw / n;
    const int every = (int)ceil(60.0 / step); /* label every period that has room */
#define SY(v) (top + (1 - (v)) / 2 * ph)
    fprintf(f,
            "<svg width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
            "aria-label=\"net sentiment by %s\">\n",
            w, h, w, h, pn);
    static const double grid[5] = {1, 0.5, 0, -0.5, -1};
    static const char *const grid_label[5] = {"+1", "+0.5", "0", "-0.5", "-1"};
    for (int k = 0; k < 5; k++)
        fprintf(f,
                "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"%s\"/>"
                "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                left, SY(grid[k]), w - right, SY(grid[k]), k == 2 ? "#777" : "#e3e3e3",
                left - 6, SY(grid[k]) + 4, grid_label[k]);
    fprintf(f,
            "<text transform=\"translate(14 %.1f) rotate(-90)\" text-anchor=\"middle\">net "
            "sentiment</text>\n",
            top + ph / 2);
    fprintf(f,
            "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s (n = texts that "
            "%s)</text>\n",
            left + pw / 2, h - 6, pn, pn);
    /* the line first, so dots and whiskers sit on top; broken where a period has no
     * positive or negative text */
    fputs("<path fill=\"none\" stroke=\"#666\" stroke-width=\"1.5\" d=\"", f);
    int pen = 0;
    for (int i = 0; i < n; i++) {
        if (!(m[i].pos + m[i].neg)) {
            pen = 0;
            continue;
        }
        double v = m[i].net;
        fprintf(f, "%s%c%.1f %.1f", i ? " " : "", pen ? 'L' : 'M', left + (i + 0.5) * step,
                SY(v));
        pen = 1;
    }
    fputs("\"/>\n", f);
    for (int i = 0; i < n; i++) {
        double cx = left + (i + 0.5) * step;
        if (i % every == 0)
            fprintf(f,
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>"
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" style=\"fill:#666\">"
                    "n=%lu</text>\n",
                    cx, top + ph + 17, m[i].key, cx, top + ph + 32, m[i].n);
        if (!(m[i].pos + m[i].neg))
            continue;
        double v = m[i].net, lo = m[i].net_lo, hi = m[i].net_hi;
        int few = m[i].pos + m[i].neg < SUM_FEW;
        fprintf(f,
                "<g><title>%s: net sentiment %s (95%% interval %s to %s), %lu texts: %lu "
                "positive, %lu negative</title>"
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/>"
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/>"
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/>"
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\" stroke=\"#222\" "
                "stroke-width=\"1.2\"/></g>\n",
                m[i].key, num(v, 2, 1).s, num(lo, 2, 1).s, num(hi, 2, 1).s, m[i].n, m[i].pos,
                m[i].neg, cx, SY(hi), cx, SY(lo), cx - 4, SY(hi), cx + 4, SY(hi), cx - 4, SY(lo),
                cx + 4, SY(lo), cx, SY(v), few ? "#fff" : net_colour(v).s);
    }
    fputs("</svg>\n", f);
#undef SY
    unsigned long dated = 0;
    for (int i = 0; i < b->n_periods; i++)
        dated += b->periods[i].n;
    fprintf(f,
            "<p class=\"note\">Dots: net sentiment of the %s, coloured like the theme bars; "
            "whiskers: 95%% interval; hollow dots: fewer than %d positive or negative texts "
            "that %s.",
            pn, SUM_FEW, pn);
    if (!continuous)
        fprintf(f,
                " The %ss span more than one chart can show: %ss without texts are left "
                "out, so the spacing is not time.",
                pn, pn);
    if (dated < b->n) {
        fprintf(f, " %lu text%s without ", b->n - dated, b->n - dated == 1 ? "" : "s");
        needs_words(f, s);
        fprintf(f, " %s not shown by %s.", b->n - dated == 1 ? "is" : "are", pn);
    }
    fputs("</p>\n", f);
}

/* A bar in a table cell: width proportional to share (0..1) of full. */
static void cell_bar(FILE *f, double share, double full, const char *colour, const char *title)
{
    fprintf(f,
            "<svg width=\"%.0f\" height=\"14\" viewBox=\"0 0 %.0f 14\" role=\"img\" "
            "aria-label=\"%s\"><rect width=\"%.0f\" height=\"14\" fill=\"" C_TRACK "\"/>"
            "<rect width=\"%.1f\" height=\"14\" fill=\"%s\"/></svg>",
            full, full, title, full, full * share, colour);
}

static void themes_table(FILE *f, const summary *s, const sum_brand *b)
{
    fputs("<h3>Themes by share of voice</h3>\n", f);
    if (!b->n_order) {
        fputs("<p>No theme mentioned.</p>\n", f);
        return;
    }
    fputs("<table>\n<tr><th>Theme</th><th>Share of voice (colour: net sentiment)</th>"
          "<th class=\"r\">Texts</th><th class=\"r\">Share</th>"
          "<th class=\"r\">Net sentiment</th><th>95% interval</th><th class=\"r\">Failures</th>"
          "<th class=\"r\">Delights</th></tr>\n",
          f);
    for (size_t i = 0; i < b->n_order; i++) {
        const sum_theme *t = &b->themes[b->order[i]];
        double v = t->net;
        fputs("<tr><td>", f);
        esc(f, s->theme[b->order[i]]);
        fputs("</td><td>", f);
        char title[160];
        snprintf(title, sizeof title, "%s of texts, net sentiment %s", pct(t->texts, b->n).s,
                 num(v, 2, 1).s);
        cell_bar(f, (double)t->texts / (double)b->n, 240, net_colour(v).s, title);
        fprintf(f, "</td><td class=\"r\">%lu</td><td class=\"r\">%s</td><td class=\"r\">%s</td>"
                   "<td>",
                t->texts, pct(t->texts, b->n).s, num(v, 2, 1).s);
        interval(f, t->net_lo, t->net_hi);
        few_note(f, t->pos, t->neg);
        fprintf(f, "</td><td class=\"r\">%lu</td><td class=\"r\">%lu</td></tr>\n", t->failure,
                t->delight);
    }
    fputs("</table>\n<p class=\"note\">Bar colour, net sentiment: ", f);
    static const double key[5] = {-1, -0.5, 0, 0.5, 1};
    for (int k = 0; k < 5; k++)
        fprintf(f, "<span class=\"key\"><span class=\"sw\" style=\"background:%s\"></span>%s"
                   "</span>",
                net_colour(key[k]).s, num(key[k], 1, key[k] != 0).s);
    fputs("<br>Failures: a basic expectation not met; delights: clearly beyond expectation. "
          "Net sentiment of a theme counts the texts whose clauses about it are positive or "
          "negative.</p>\n",
          f);
}

static void intents_table(FILE *f, const summary *s, const sum_brand *b)
{
    /* complaint and churn are bad news, return and recommend good news */
    static const char *const colour[SUM_N_INTENTS] = {C_NEG, C_NEG, C_POS, C_POS};
    fputs("<div><h3>Intents</h3>\n<table>\n<tr><th>Intent</th><th class=\"r\">Texts</th>"
          "<th class=\"r\">Rate</th><th>Rate (0 to 100% of texts)</th></tr>\n",
          f);
    for (unsigned k = 0; k < SUM_N_INTENTS; k++) {
        fprintf(f, "<tr><td>%s</td><td class=\"r\">%lu</td><td class=\"r\">%s</td><td>",
                cxs_intent_name(1u << k), b->intents[k], pct(b->intents[k], b->n).s);
        char title[160];
        snprintf(title, sizeof title, "%s of texts", pct(b->intents[k], b->n).s);
        cell_bar(f, (double)b->intents[k] / (double)b->n, 160, colour[k], title);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n<p class=\"note\">Rate: share of the ", f);
    group_word(f, s, 0, 1);
    fputs("'s texts that state the intent.</p></div>\n", f);
}

static void waits_table(FILE *f, const sum_brand *b)
{
    fputs("<div><h3>Stated waits per channel</h3>\n", f);
    int any = 0;
    for (int c = 0; c < SUM_N_CHANNELS; c++) {
        const sum_wait *w = &b->waits[c];
        if (!w->n)
            continue;
        if (!any)
            fputs("<table>\n<tr><th>Channel</th><th class=\"r\">Waits</th><th class=\"r\">"
                  "Median</th><th class=\"r\">p90</th><th class=\"r\">Over standard</th>"
                  "<th>Share over the channel's standard</th></tr>\n",
                  f);
        any = 1;
        char dur[64], p90[64];
        summary_duration(dur, sizeof dur, w->median);
        summary_duration(p90, sizeof p90, w->p90);
        fprintf(f, "<tr><td>%s</td><td class=\"r\">%zu</td><td class=\"r\">%s</td>"
                   "<td class=\"r\">%s</td>",
                cxs_channel_name(c), w->n, dur, p90);
        if (c == CXS_CHANNEL_OTHER) {
            fputs("<td class=\"r\">&mdash;</td><td class=\"note\">no standard</td></tr>\n", f);
            continue;
        }
        fprintf(f, "<td class=\"r\">%s</td><td>", pct(w->breach, w->n).s);
        char title[160];
        snprintf(title, sizeof title, "%s over the standard", pct(w->breach, w->n).s);
        cell_bar(f, (double)w->breach / (double)w->n, 160, C_NEG, title);
        fputs("</td></tr>\n", f);
    }
    if (any)
        fputs("</table>\n<p class=\"note\">Waits customers state in their text (\"45 minutes "
              "on hold\"); the standard is the model's response time for the channel.</p>\n",
              f);
    else
        fputs("<p>No wait stated.</p>\n", f);
    fputs("</div>\n", f);
}

/* A verbatim as a quote with its caption ("Most positive", ...) and its score (the text's
 * compound, or a theme's score); nothing when there is none. */
static void verbatim(FILE *f, const char *cls, const char *caption, const char *score_name,
                     const sum_verbatim *v)
{
    if (!v->set)
        return;
    fprintf(f, "<figure class=\"%s\"><blockquote>", cls);
    esc_n(f, v->text, v->len);
    if (v->cut)
        fputs("&hellip;", f);
    fprintf(f, "</blockquote><figcaption>%s &middot; %s %s &middot; id ", caption, score_name,
            num(v->compound, 2, 1).s);
    esc(f, v->id);
    fputs("</figcaption></figure>\n", f);
}

/* The most mentioned themes in the customers' own words: the most positive and the most
 * negative text about each (by the theme's score in that text). */
static void theme_quotes(FILE *f, const summary *s, const sum_brand *b)
{
    int any = 0;
    for (size_t i = 0; i < b->n_order && i < SUM_QUOTED; i++)
        any |= b->theme_pos[i].set | b->theme_neg[i].set;
    if (!any)
        return;
    fputs("<h3>In their words</h3>\n", f);
    for (size_t i = 0; i < b->n_order && i < SUM_QUOTED; i++) {
        if (!b->theme_pos[i].set && !b->theme_neg[i].set)
            continue;
        char pos[64], neg[64];
        snprintf(pos, sizeof pos, "Most positive on %s", s->theme[b->order[i]]);
        snprintf(neg, sizeof neg, "Most negative on %s", s->theme[b->order[i]]);
        verbatim(f, "pos", pos, "theme score", &b->theme_pos[i]);
        verbatim(f, "neg", neg, "theme score", &b->theme_neg[i]);
    }
}

/*
 * What changed between the last two periods: the net sentiment then and now, and per theme its
 * mentions and net sentiment in each period and its effect on the net (a bar left of the axis
 * when it pulled the net down, right when it lifted it), largest effect first.
 */
static void change_table(FILE *f, const summary *s, const sum_brand *b)
{
    if (!b->n_change)
        return;
    fprintf(f, "<h3>What changed from %s to %s</h3>\n<p>Net sentiment %s &rarr; <b>%s</b>.</p>\n",
            b->change_from, b->change_to, num(b->change_net_from, 2, 1).s,
            num(b->change_net_to, 2, 1).s);
    fprintf(f,
            "<table>\n<tr><th>Theme</th><th class=\"r\">Mentions %s</th><th class=\"r\">"
            "Mentions %s</th><th class=\"r\">Net %s</th><th class=\"r\">Net %s</th>"
            "<th class=\"r\">Effect</th><th>Effect on the net sentiment</th></tr>\n",
            b->change_from, b->change_to, b->change_from, b->change_to);
    for (size_t i = 0; i < b->n_change; i++) {
        const cxs_theme_change *c = &b->change[i];
        fputs("<tr><td>", f);
        esc(f, s->theme[c->theme]);
        fprintf(f,
                "</td><td class=\"r\">%zu</td><td class=\"r\">%zu</td><td class=\"r\">%s</td>"
                "<td class=\"r\">%s</td><td class=\"r\">%s</td><td>",
                c->mentions_from, c->mentions_to,
                c->mentions_from ? num(c->net_from, 2, 1).s : "&mdash;",
                c->mentions_to ? num(c->net_to, 2, 1).s : "&mdash;", num(c->effect, 2, 1).s);
        /* a diverging bar: 80 px each side of the axis, full at an effect of 1 */
        double e = c->effect < -1 ? -1 : c->effect > 1 ? 1 : c->effect, w = 80 * (e < 0 ? -e : e);
        fprintf(f,
                "<svg width=\"161\" height=\"14\" viewBox=\"0 0 161 14\" role=\"img\" "
                "aria-label=\"effect %s\"><rect width=\"161\" height=\"14\" fill=\"" C_TRACK
                "\"/><rect x=\"%.1f\" width=\"%.1f\" height=\"14\" fill=\"%s\"/>"
                "<rect x=\"80\" width=\"1\" height=\"14\" fill=\"#555\"/></svg></td></tr>\n",
                num(c->effect, 2, 1).s, e < 0 ? 80 - w : 81, w, e < 0 ? C_NEG : C_POS);
    }
    fputs("</table>\n", f);
    if (b->n_terms) {
        fputs("<p>Words behind it:", f);
        for (size_t i = 0; i < b->n_terms; i++) {
            fputs(i ? ", <q>" : " <q>", f);
            esc(f, b->terms[i].term);
            fprintf(f, "</q> <span style=\"color:%s\">%s</span>",
                    b->terms[i].effect < 0 ? C_NEG : C_POS, num(b->terms[i].effect, 2, 1).s);
        }
        fputs("</p>\n", f);
    }
    fprintf(f,
            "<p class=\"note\">Effect: the change in a theme's (or a word's) positive minus "
            "negative mentions, per positive or negative text of the %s. The largest effects "
            "explain most of the change in net sentiment.</p>\n",
            grouping_period_noun(s->grouping->period));
}

/* Texts whose rating says the opposite of their words: worth a look (sarcasm, a wrong
 * star, a complaint despite a good stay). */
static void ratings_part(FILE *f, const sum_brand *b)
{
    if (!b->ratings.rated)
        return;
    fprintf(f,
            "<h3>Ratings and text</h3>\n<p>%zu text%s came with a rating: %zu good rating%s on "
            "a negative text, %zu bad rating%s on a positive text.</p>\n<p class=\"note\">A good "
            "rating is at least 70%% of its scale (4 or 5 stars of 5), a bad one at most 40%% "
            "(1 or 2).</p>\n",
            b->ratings.rated, b->ratings.rated == 1 ? "" : "s",
            b->ratings.high_rating_negative_text,
            b->ratings.high_rating_negative_text == 1 ? "" : "s",
            b->ratings.low_rating_positive_text,
            b->ratings.low_rating_positive_text == 1 ? "" : "s");
    verbatim(f, "neg", "Good rating, most negative text", "compound", &b->high_neg);
    verbatim(f, "pos", "Bad rating, most positive text", "compound", &b->low_pos);
}

/*
 * The group by channel: is it loved on one and hated on another? Per channel its texts, net
 * sentiment with interval, a bar, and a mark when the interval leaves out the group's net.
 */
static void channels_table(FILE *f, const summary *s, const sum_brand *b)
{
    if (!b->n_channels)
        return;
    /* the field name comes from the command line: escaped, capitalised in the header */
    const char *field = grouping_channel_field(s->grouping);
    fputs("<h3>By ", f);
    esc(f, field);
    fputs("</h3>\n<table>\n<tr><th>", f);
    esc_word(f, field, 1);
    fputs("</th><th class=\"r\">Texts</th><th class=\"r\">Net sentiment</th><th>95% "
          "interval</th><th>Compared with all texts</th></tr>\n",
          f);
    for (int c = 0; c < b->n_channels; c++) {
        const sum_channel *ch = &b->channels[c];
        fputs("<tr><td>", f);
        esc(f, ch->name);
        fprintf(f, "</td><td class=\"r\">%lu</td><td class=\"r\">%s</td><td>", ch->n,
                num(ch->net, 2, 1).s);
        interval(f, ch->net_lo, ch->net_hi);
        few_note(f, ch->pos, ch->neg);
        fprintf(f, "</td><td>%s</td></tr>\n",
                ch->differs > 0   ? "<b style=\"color:" C_POS "\">higher</b>"
                : ch->differs < 0 ? "<b style=\"color:" C_NEG "\">lower</b>"
                                  : "&mdash;");
    }
    fputs("</table>\n<p class=\"note\">Higher or lower: the 95% interval lies wholly above "
          "or below the net sentiment of all texts, on enough texts to tell.",
          f);
    if (b->channels_left_out)
        fprintf(f, " %zu more with fewer texts are not shown.", b->channels_left_out);
    fputs("</p>\n", f);
}

static void brand_section(FILE *f, const summary *s, const sum_brand *b, size_t i)
{
    double v = b->net;
    fprintf(f, "<section id=\"brand-%zu\">\n<h2>", i + 1);
    esc(f, b->name);
    fprintf(f, "</h2>\n<p class=\"lead\">%lu texts &middot; net sentiment <b>%s</b> (95%% "
               "interval ",
            b->n, num(v, 2, 1).s);
    interval(f, b->net_lo, b->net_hi);
    fprintf(f, ")%s &middot; mean compound %s</p>\n",
            b->pos + b->neg < SUM_FEW ? " <span class=\"warn\">few texts: read with care</span>"
                                      : "",
            num(b->mean_compound, 3, 1).s);
    fputs("<h3>Sentiment split</h3>\n", f);
    split_bar(f, b);
    fputs("<h3>Net sentiment</h3>\n", f);
    net_scale(f, v, b->net_lo, b->net_hi);
    fprintf(f, "<h3>Net sentiment by %s</h3>\n", grouping_period_noun(s->grouping->period));
    if (b->n_periods) {
        period_chart(f, s, b);
    } else {
        fputs("<p>No text has ", f);
        needs_words(f, s);
        fputs(".</p>\n", f);
    }
    channels_table(f, s, b);
    themes_table(f, s, b);
    theme_quotes(f, s, b);
    fputs("<div class=\"cols\">\n", f);
    intents_table(f, s, b);
    waits_table(f, b);
    fputs("</div>\n", f);
    change_table(f, s, b);
    ratings_part(f, b);
    fputs("<h3>Verbatims</h3>\n", f);
    if (!b->best.set && !b->worst.set)
        fputs("<p>No positive or negative text.</p>\n", f);
    verbatim(f, "pos", "Most positive", "compound", &b->best);
    verbatim(f, "neg", "Most negative", "compound", &b->worst);
    fputs("</section>\n", f);
}

static void render(FILE *f, const summary *s)
{
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "<title>What customers are saying</title>\n<style>\n%s</style>\n</head>\n"
               "<body>\n<h1>What customers are saying</h1>\n",
            style);
    unsigned long texts = 0;
    const char *from = NULL, *to = NULL;
    for (size_t i = 0; i < s->n; i++) {
        const sum_brand *b = &s->b[i];
        texts += b->n;
        if (b->n_periods && (!from || strcmp(b->periods[0].key, from) < 0))
            from = b->periods[0].key;
        if (b->n_periods && (!to || strcmp(b->periods[b->n_periods - 1].key, to) > 0))
            to = b->periods[b->n_periods - 1].key;
    }
    fprintf(f, "<p class=\"lead\">%lu texts from %zu ", texts, s->n);
    group_word(f, s, 0, s->n);
    if (from)
        fprintf(f, ", %s to %s", from, to);
    fputs(".</p>\n", f);
    fprintf(f,
            "<p class=\"note\">Net sentiment = (positive &minus; negative) / (positive + "
            "negative) texts, from &minus;1 (all negative) to +1 (all positive); neutral texts "
            "do not count. Intervals are 95%% (Wilson score interval). <span class=\"warn\">few "
            "texts</span> marks a value resting on fewer than %d positive or negative texts: "
            "read it with care.</p>\n",
            SUM_FEW);
    if (s->oom)
        fputs("<p class=\"warn\">Memory ran out during the scan: some records are missing from "
              "these figures.</p>\n",
              f);
    if (!s->n) {
        fputs("<p>No record was scored.</p>\n</body>\n</html>\n", f);
        return;
    }
    comparison(f, s);
    for (size_t i = 0; i < s->n; i++)
        brand_section(f, s, &s->b[i], i);
    fputs("</body>\n</html>\n", f);
}

int report_save(const summary *s, FILE *f, const char *path, const char *tool)
{
    render(f, s);
    /* stdio errors are sticky: one check of ferror() after the last write covers every write,
     * and fclose() reports what the final flush could not write */
    int bad = ferror(f) != 0;
    int saved = bad ? errno : 0;
    if (!bad && fflush(f) != 0) {
        bad = 1;
        saved = errno;
    }
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    if (bad) {
        fprintf(stderr, "%s: %s: write error: %s\n", tool, path,
                saved ? strerror(saved) : "unknown error");
        return -1;
    }
    return 0;
}
