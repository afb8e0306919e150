/*
 * cxsent-scan — score exported reviews and posts (JSONL or CSV) with libcxsent: the command
 * line. The readers and the record output are in records.c. Uses only <cxsent.h> and jansson.
 */
#define _POSIX_C_SOURCE 200809L
#include <cxsent.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/narrative_out.h"
#include "records.h"
#include "report.h"

#define EXIT_PARTIAL 2 /* ran to the end, but some records were skipped */

static const char usage_text[] =
    "usage: cxsent-scan [options] [FILE...]\n"
    "Score customer reviews and posts. Reads JSONL (one JSON object per line) or CSV (RFC 4180\n"
    "with a header row; files ending in .csv, or --csv) from each FILE, or from standard input\n"
    "when there is none or FILE is '-'. Writes one JSON object per\n"
    "record, in input order: id, sentiment {compound, pos, neu, neg, label}, themes, intents,\n"
    "waits, then the record's other fields (not the text).\n"
    "\n"
    "  -o, --output FILE        write records to FILE instead of standard output\n"
    "      --text-field NAME    field holding the text (default: text)\n"
    "      --id-field NAME      field holding the id (default: id)\n"
    "      --keep-text          also copy the text field to the output\n"
    "      --csv                read every input as CSV (standard input too)\n"
    "      --explain            add the scored terms with spans and rules\n"
    "      --model FILE         load this model instead of the built-in default\n"
    "      --override FILE      merge these entries into the model (repeatable)\n"
    "      --pos-threshold X    compound >= X is positive (default 0.05)\n"
    "      --neg-threshold X    compound <= X is negative (default -0.05)\n"
    "      --strict-utf8        skip records whose text is not valid UTF-8\n"
    "      --summary            print what customers are saying, per brand (--group-by),\n"
    "                           to stderr\n"
    "      --report FILE        write the same, with charts, to FILE as one\n"
    "                           self-contained HTML page\n"
    "      --narrative FILE     write the library's narrative (per group and period: themes,\n"
    "                           intents, waits, rating disagreements, change) to FILE as JSON\n"
    "      --narrative-state FILE  write the narrative's state to FILE, for merging shards\n"
    "                           with cxsent-narrative\n"
    "      --rating-field NAME  the field holding the writer's rating (default: rating)\n"
    "      --rating-scale N     the top of the ratings' scale (default 5)\n"
    "      --group-by F[,F]     group the summary, report and narrative by these fields'\n"
    "                           values, joined by \" / \" (default: brand; at most 4)\n"
    "      --period P           day, week (ISO), month (default), quarter or year\n"
    "      --time-field NAME    the field periods come from (default: created_at): a date\n"
    "                           (YYYY-MM-DD..., taken as written) or Unix seconds\n"
    "      --channel-field NAME the summary and report break each group down by this\n"
    "                           field (default: source; \"\" for none)\n"
    "      --counts             print the model's entry counts and exit\n"
    "  -q, --quiet              do not report skipped lines one by one\n"
    "  -h, --help               show this help\n"
    "      --version            show the version\n"
    "\n"
    "Exit status: 0 all records scored; 2 some lines skipped (reported on stderr);\n"
    "1 usage error, unreadable file or model error.\n";

static int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end)
        return 0;
    *out = v;
    return 1;
}

static int ends_with_csv(const char *path)
{
    size_t n = strlen(path);
    return n >= 4 && (!strcmp(path + n - 4, ".csv") || !strcmp(path + n - 4, ".CSV"));
}

static void print_counts(const cxs_model *m)
{
    static const struct { cxs_count c; const char *name; } rows[] = {
        {CXS_COUNT_LEXICON, "lexicon entries"}, {CXS_COUNT_WORDS, "  single words"},
        {CXS_COUNT_PHRASES, "  multi-word phrases"}, {CXS_COUNT_EMOJI, "  emoji"},
        {CXS_COUNT_EMOTICONS, "  emoticons"}, {CXS_COUNT_NEGATORS, "negators"},
        {CXS_COUNT_BOOSTERS, "boosters and dampeners"}, {CXS_COUNT_CONTRASTIVES, "contrastives"},
        {CXS_COUNT_IRREALIS, "irrealis markers"}, {CXS_COUNT_SARCASM, "sarcasm cues"},
        {CXS_COUNT_MARKERS, "discourse markers"}, {CXS_COUNT_THEME_TERMS, "theme terms"},
        {CXS_COUNT_CHANNEL_TERMS, "channel terms"}, {CXS_COUNT_INTENT_TERMS, "intent terms"},
        {CXS_COUNT_LEVEL_CUES, "level cues"},
        {CXS_COUNT_PATTERNS, "patterns"}};
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        printf("%-24s %zu\n", rows[i].name, cxs_model_count(m, rows[i].c));
    printf("%-24s %zu:", "themes", cxs_model_theme_count(m));
    for (size_t i = 0; i < cxs_model_theme_count(m); i++)
        printf(" %s", cxs_model_theme_name(m, i));
    printf("\n");
}

/* Write the narrative (JSON, or as_state its state) to out and close it; 1 on an error,
 * reported with the path. */
static int write_narrative(const cxs_narrative *nar, FILE *out, const char *path, int as_state)
{
    int rc = tool_write_narrative(out, nar, as_state, 0);
    int bad = rc != 0 || fclose(out) != 0;
    if (bad)
        fprintf(stderr, "cxsent-scan: %s: %s\n", path,
                rc == TOOL_NARRATIVE_ENOMEM ? "out of memory" : "write error");
    return bad;
}

int main(int argc, char **argv)
{
    scan sc;
    memset(&sc, 0, sizeof sc);
    sc.o.text_field = "text";
    sc.o.id_field = "id";
    const char *files[256];
    int nfiles = 0;
    const char *report_path = NULL, *nar_path = NULL, *state_path = NULL;
    FILE *report = NULL, *nar_out = NULL, *state_out = NULL;
    summary *sum = NULL;
    sc.o.rating_scale = 5;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
#define NEXT()                                                                                     \
    (i + 1 < argc ? argv[++i]                                                                      \
                  : (fprintf(stderr, "cxsent-scan: %s needs a value\n", a), exit(1), (char *)0))
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_text, stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("cxsent-scan (libcxsent %s, Unicode %s)\n", cxs_version_string(),
                   cxs_unicode_version());
            return 0;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            sc.o.output = NEXT();
        } else if (!strcmp(a, "--text-field")) {
            sc.o.text_field = NEXT();
        } else if (!strcmp(a, "--id-field")) {
            sc.o.id_field = NEXT();
        } else if (!strcmp(a, "--csv")) {
            sc.o.csv = 1;
        } else if (!strcmp(a, "--keep-text")) {
            sc.o.keep_text = 1;
        } else if (!strcmp(a, "--explain")) {
            sc.o.explain = 1;
        } else if (!strcmp(a, "--model")) {
            sc.o.model = NEXT();
        } else if (!strcmp(a, "--override")) {
            if (sc.o.n_overrides >= 16) {
                fprintf(stderr, "cxsent-scan: at most 16 --override files\n");
                return 1;
            }
            sc.o.overrides[sc.o.n_overrides++] = NEXT();
        } else if (!strcmp(a, "--pos-threshold") || !strcmp(a, "--neg-threshold")) {
            const char *v = NEXT();
            double d;
            if (!parse_double(v, &d)) {
                fprintf(stderr, "cxsent-scan: %s: not a number: %s\n", a, v);
                return 1;
            }
            if (a[2] == 'p') {
                sc.o.pos_thr = d;
                sc.o.have_pos = 1;
            } else {
                sc.o.neg_thr = d;
                sc.o.have_neg = 1;
            }
        } else if (!strcmp(a, "--strict-utf8")) {
            sc.o.strict = 1;
        } else if (!strcmp(a, "--summary")) {
            sc.o.summary = 1;
        } else if (!strcmp(a, "--report")) {
            report_path = NEXT();
        } else if (!strcmp(a, "--narrative")) {
            nar_path = NEXT();
        } else if (!strcmp(a, "--narrative-state")) {
            state_path = NEXT();
        } else if (!strcmp(a, "--rating-scale")) {
            const char *v = NEXT();
            if (!parse_double(v, &sc.o.rating_scale) || !(sc.o.rating_scale > 0) ||
                sc.o.rating_scale > 1e6) {
                fprintf(stderr, "cxsent-scan: --rating-scale: not a positive number: %s\n", v);
                return 1;
            }
        } else if (!strcmp(a, "--group-by")) {
            const char *why;
            char *v = NEXT();
            if (grouping_parse_fields(&sc.o.group, v, &why)) {
                fprintf(stderr, "cxsent-scan: --group-by: %s\n", why);
                return 1;
            }
        } else if (!strcmp(a, "--period")) {
            const char *why, *v = NEXT();
            if (grouping_parse_period(&sc.o.group, v, &why)) {
                fprintf(stderr, "cxsent-scan: --period: %s: %s\n", v, why);
                return 1;
            }
        } else if (!strcmp(a, "--rating-field")) {
            sc.o.rating_field = NEXT();
        } else if (!strcmp(a, "--time-field")) {
            sc.o.group.time_field = NEXT();
        } else if (!strcmp(a, "--channel-field")) {
            sc.o.group.channel_field = NEXT();
        } else if (!strcmp(a, "--counts")) {
            sc.o.counts = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            sc.o.quiet = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "cxsent-scan: unknown option %s (see --help)\n", a);
            return 1;
        } else {
            if (nfiles >= 256) {
                fprintf(stderr, "cxsent-scan: at most 256 input files\n");
                return 1;
            }
            files[nfiles++] = a;
        }
#undef NEXT
    }
    int status = 1;
    if (scan_load_model(&sc))
        goto done;
    if (sc.o.counts) {
        print_counts(sc.model);
        status = 0;
        goto done;
    }
    sc.out = stdout;
    if (sc.o.output && !(sc.out = fopen(sc.o.output, "w"))) {
        fprintf(stderr, "cxsent-scan: %s: %s\n", sc.o.output, strerror(errno));
        goto done;
    }
    /* opened before the scan, so a bad path fails at once, not after a long run */
    if (report_path && !(report = fopen(report_path, "w"))) {
        fprintf(stderr, "cxsent-scan: %s: %s\n", report_path, strerror(errno));
        goto done;
    }
    if (nar_path && !(nar_out = fopen(nar_path, "w"))) {
        fprintf(stderr, "cxsent-scan: %s: %s\n", nar_path, strerror(errno));
        goto done;
    }
    if (state_path && !(state_out = fopen(state_path, "w"))) {
        fprintf(stderr, "cxsent-scan: %s: %s\n", state_path, strerror(errno));
        goto done;
    }
    /* --summary, --report, --narrative and --narrative-state all read the one narrative */
    if ((nar_path || state_path || sc.o.summary || report) &&
        cxs_narrative_new(&sc.nar, sc.model, NULL)) {
        fprintf(stderr, "cxsent-scan: out of memory\n");
        goto done;
    }
    /* the summary and the report break each group down by channel (source) */
    if ((sc.o.summary || report) && grouping_channel_field(&sc.o.group) &&
        cxs_narrative_new(&sc.nar_ch, sc.model, NULL)) {
        fprintf(stderr, "cxsent-scan: out of memory\n");
        goto done;
    }
    if (nfiles == 0)
        files[nfiles++] = "-";
    int failed = 0;
    for (int f = 0; f < nfiles; f++) {
        int is_stdin = !strcmp(files[f], "-");
        FILE *in = is_stdin ? stdin : fopen(files[f], "rb");
        if (!in) {
            fprintf(stderr, "cxsent-scan: %s: %s\n", files[f], strerror(errno));
            failed = 1;
            continue;
        }
        const char *name = is_stdin ? "<stdin>" : files[f];
        int as_csv = sc.o.csv || (!is_stdin && ends_with_csv(files[f]));
        if (as_csv ? scan_csv(&sc, in, name) : scan_jsonl(&sc, in, name))
            failed = 1;
        if (!is_stdin)
            fclose(in);
    }
    if (fflush(sc.out) || ferror(sc.out)) {
        fprintf(stderr, "cxsent-scan: write error: %s\n", strerror(errno));
        failed = 1;
    }
    if (sc.skipped || sc.repaired)
        fprintf(stderr, "cxsent-scan: %lu record(s) scored, %lu line(s) skipped, %lu repaired\n",
                sc.records, sc.skipped, sc.repaired);
    if (sc.nar_failed) {
        fprintf(stderr, "cxsent-scan: out of memory: the summary misses some records\n");
        failed = 1;
    }
    if ((sc.o.summary || report) && !(sum = summary_build(sc.nar, sc.nar_ch, sc.model, &sc.o.group,
                                                           sc.nar_failed))) {
        fprintf(stderr, "cxsent-scan: out of memory\n");
        failed = 1;
    }
    if (sc.o.summary && sum)
        summary_print(sum, stderr);
    if (report && sum) {
        FILE *r = report;
        report = NULL; /* report_save() closes it, even on error */
        if (report_save(sum, r, report_path, "cxsent-scan"))
            failed = 1;
    }
    if (nar_out) {
        FILE *o = nar_out;
        nar_out = NULL;
        if (write_narrative(sc.nar, o, nar_path, 0))
            failed = 1;
    }
    if (state_out) {
        FILE *o = state_out;
        state_out = NULL;
        if (write_narrative(sc.nar, o, state_path, 1))
            failed = 1;
    }
    status = failed ? 1 : sc.skipped ? EXIT_PARTIAL : 0;
done:
    if (sc.out && sc.out != stdout)
        fclose(sc.out);
    if (report)
        fclose(report);
    if (nar_out)
        fclose(nar_out);
    if (state_out)
        fclose(state_out);
    cxs_narrative_free(sc.nar);
    cxs_narrative_free(sc.nar_ch);
    summary_free(sum);
    grouping_free(&sc.o.group); /* after the summary, which reads its channel numbers */
    free(sc.json);
    cxs_result_free(sc.res);
    cxs_analyzer_free(sc.an);
    cxs_model_free(sc.model);
    return status;
}
