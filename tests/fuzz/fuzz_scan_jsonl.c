/*
 * fuzz_scan_jsonl.c — cxsent-scan's input readers: JSONL (line splitting, UTF-8 repair, the
 * jansson parse) and CSV, and record processing, including --summary and the HTML report.
 *
 * The harness links cxsent-scan's own sources but its command line (tools/scan/records.c and
 * the rest) and drives scan_jsonl() or scan_csv() on an in-memory FILE: it fuzzes the tool's
 * own code, not a copy of it.
 *
 * The first byte picks options: bit 0 --strict-utf8, bit 1 --explain, bit 2 --keep-text,
 * bit 3 --summary, bit 4 --text-field body, bit 5 read the input as CSV (scan_csv() and
 * tools/common/csv.c instead of the JSONL reader). The rest is the input file.
 *
 * Checks: the run ends without error; every output line is one JSON object with "id" and
 * "sentiment" first; there is one output line per record scored; records plus skipped lines
 * never exceed the non-blank input lines; a second run gives the same bytes.
 */
#define _POSIX_C_SOURCE 200809L
#include "records.h"

#include <jansson.h>
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

static scan base; /* model, analyzer and result, loaded once */

static void setup(void)
{
    if (base.model)
        return;
    memset(&base, 0, sizeof base);
    base.o.text_field = "text";
    base.o.id_field = "id";
    base.o.quiet = 1;
    FUZZ_CHECK(scan_load_model(&base) == 0);
}

static size_t count_lines(const char *s, size_t n)
{
    size_t lines = n > 0 && s[n - 1] != '\n';
    for (size_t i = 0; i < n; i++)
        lines += s[i] == '\n';
    return lines;
}

/* Lines that are not blank as scan sees them: after trailing CR/LF, not only spaces/tabs. */
static size_t nonblank_lines(const char *s, size_t n)
{
    size_t lines = 0, i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        size_t end = e;
        while (end > i && s[end - 1] == '\r')
            end--;
        int blank = 1;
        for (size_t k = i; k < end; k++)
            if (s[k] != ' ' && s[k] != '\t')
                blank = 0;
        lines += !blank;
        i = e + 1;
    }
    return lines;
}

/* Run scan_jsonl (or scan_csv) over the input; returns the output (caller frees) and the
 * counters. */
static char *run(const char *in, size_t n, unsigned opt, size_t *out_len, unsigned long *records,
                 unsigned long *skipped)
{
    scan sc = base;
    sc.o.strict = opt & 1;
    sc.o.explain = (opt & 2) != 0;
    sc.o.keep_text = (opt & 4) != 0;
    sc.o.summary = (opt & 8) != 0;
    sc.o.text_field = (opt & 16) ? "body" : "text";
    /* bits 6-7: the period of the summary's trend (month, day, ISO week, year), so every
     * date parser and chart index meets fuzzed created_at values */
    static const period_kind kinds[4] = {PERIOD_MONTH, PERIOD_DAY, PERIOD_WEEK, PERIOD_YEAR};
    sc.o.group.period = kinds[(opt >> 6) & 3];
    sc.json = NULL;
    sc.json_cap = 0;
    sc.records = sc.skipped = sc.repaired = 0;
    FUZZ_CHECK(cxs_analyzer_set(sc.an, CXS_PARAM_STRICT_UTF8, sc.o.strict) == CXS_OK);
    sc.nar = NULL;
    sc.nar_ch = NULL;
    sc.nar_failed = 0;
    /* the channel breakdown too (by source): fuzzed sources reach the report's table */
    if (sc.o.summary)
        FUZZ_CHECK(cxs_narrative_new(&sc.nar, sc.model, NULL) == CXS_OK &&
                   cxs_narrative_new(&sc.nar_ch, sc.model, NULL) == CXS_OK);

    char *out = NULL;
    size_t olen = 0;
    sc.out = open_memstream(&out, &olen);
    FUZZ_CHECK(sc.out);
    FILE *fin = fmemopen((void *)(uintptr_t)in, n, "rb");
    FUZZ_CHECK(fin);
    if (opt & 32) {
        /* a header without the text column is a fatal error, before any record */
        int rc = scan_csv(&sc, fin, "fuzz.csv");
        FUZZ_CHECK(rc == 0 || (rc == -1 && sc.records == 0));
    } else
        FUZZ_CHECK(scan_jsonl(&sc, fin, "fuzz.jsonl") == 0);
    fclose(fin);
    FUZZ_CHECK(fclose(sc.out) == 0);
    if (sc.nar) {
        FUZZ_CHECK(!sc.nar_failed);
        summary *sum = summary_build(sc.nar, sc.nar_ch, sc.model, &sc.o.group, 0);
        FUZZ_CHECK(sum);
        FILE *devnull = fopen("/dev/null", "w");
        FUZZ_CHECK(devnull);
        summary_print(sum, devnull);
        fclose(devnull);
        /* the HTML report of the same tallies: written whole, and no text of the input can
         * open a tag of its own (every '<' of user text is escaped) */
        char *html = NULL;
        size_t hlen = 0;
        FILE *mem = open_memstream(&html, &hlen);
        FUZZ_CHECK(mem);
        FUZZ_CHECK(report_save(sum, mem, "fuzz.html", "fuzz") == 0);
        FUZZ_CHECK(hlen > 15 && memcmp(html, "<!DOCTYPE html>", 15) == 0);
        FUZZ_CHECK(memchr(html, '\0', hlen) == NULL);
        FUZZ_CHECK(strstr(html, "<script") == NULL && strstr(html, "<SCRIPT") == NULL);
        free(html);
        summary_free(sum);
        /* and the narrative's own JSON and state: one JSON object; a state that loads */
        size_t jl = cxs_narrative_to_json(sc.nar, 0, NULL, 0);
        char *j = malloc(jl + 1);
        FUZZ_CHECK(j && cxs_narrative_to_json(sc.nar, 0, j, jl + 1) == jl);
        FUZZ_CHECK(fuzz_json_is_object(j, jl) && fuzz_utf8_valid(j, jl));
        free(j);
        size_t sl = cxs_narrative_save(sc.nar, NULL, 0);
        char *st = malloc(sl + 1);
        FUZZ_CHECK(st && cxs_narrative_save(sc.nar, st, sl + 1) == sl);
        cxs_narrative *back = NULL;
        FUZZ_CHECK(cxs_narrative_load(&back, sc.model, st, sl, NULL) == CXS_OK);
        cxs_narrative_free(back);
        free(st);
        cxs_narrative_free(sc.nar);
        cxs_narrative_free(sc.nar_ch);
    }
    grouping_free(&sc.o.group); /* the channel keys' group numbers */
    free(sc.json);
    *out_len = olen;
    *records = sc.records;
    *skipped = sc.skipped;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > FUZZ_MAX_INPUT)
        return 0;
    setup();
    unsigned opt = data[0];
    const char *in = (const char *)data + 1;
    size_t n = size - 1;

    size_t olen, olen2;
    unsigned long records, skipped, records2, skipped2;
    char *out = run(in, n, opt, &olen, &records, &skipped);
    if (opt & 32) /* a CSV record may span lines; the header row is not a record */
        FUZZ_CHECK(records + skipped <= count_lines(in, n));
    else
        FUZZ_CHECK(records + skipped <= nonblank_lines(in, n));

    unsigned long lines = 0;
    size_t i = 0;
    while (i < olen) {
        const char *nl = memchr(out + i, '\n', olen - i);
        FUZZ_CHECK(nl); /* every record line ends in a newline */
        size_t len = (size_t)(nl - (out + i));
        FUZZ_CHECK(fuzz_json_is_object(out + i, len));
        json_error_t jerr;
        json_t *rec = json_loadb(out + i, len, JSON_ALLOW_NUL, &jerr); /* "\\u0000" is valid */
        FUZZ_CHECK(rec && json_is_object(rec));
        FUZZ_CHECK(json_object_get(rec, "id") != NULL);
        json_t *sent = json_object_get(rec, "sentiment");
        FUZZ_CHECK(json_is_object(sent));
        double c = json_number_value(json_object_get(sent, "compound"));
        FUZZ_CHECK(c >= -1 && c <= 1);
        FUZZ_CHECK(strncmp(out + i, "{\"id\":", 6) == 0);
        json_decref(rec);
        lines++;
        i += len + 1;
    }
    FUZZ_CHECK(lines == records);

    char *out2 = run(in, n, opt, &olen2, &records2, &skipped2);
    FUZZ_CHECK(records2 == records && skipped2 == skipped);
    FUZZ_CHECK(olen2 == olen && memcmp(out, out2, olen) == 0);
    free(out);
    free(out2);
    return 0;
}
