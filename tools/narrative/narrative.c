/*
 * cxsent-narrative — merge narrative states written by cxsent-scan --narrative-state (one per
 * shard of an export, scanned in parallel or on other machines) and write the narrative of the
 * whole, as JSON or as one merged state, and (--summary, --report) what cxsent-scan would say
 * of all the records, with its renderers. The merge is exact: the result equals the narrative
 * of one scan of all the records.
 */
#include <cxsent.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/model_opts.h"
#include "../common/narrative_out.h"
#include "../scan/grouping.h"
#include "../scan/report.h"
#include "../scan/summary.h"

#define STATE_MAX ((size_t)1 << 30) /* bytes of one state read at the most */

static const char usage_text[] =
    "usage: cxsent-narrative [OPTIONS] STATE...\n"
    "Merge narrative states (cxsent-scan --narrative-state FILE) and write the narrative of\n"
    "all of them. A STATE of - is read from standard input.\n"
    "\n"
    "  -o, --output FILE        write to FILE instead of standard output\n"
    "      --state              write the merged state instead of the JSON\n"
    "      --no-verbatims       leave customer text out of the JSON\n"
    "      --summary            print what customers are saying, per group, to stderr (as\n"
    "                           cxsent-scan --summary of all the records would)\n"
    "      --report FILE        write the same, with charts, to FILE as one HTML page\n"
    "      --period P           the shards' --period (day, week, month, quarter, year;\n"
    "                           default month): how the report's chart reads period keys\n"
    "      --group-by F[,F]     the shards' --group-by, to name groups in the report\n"
    "                           (default: brand)\n"
    "      --model FILE         the model the states were made with (its themes; default:\n"
    "                           the built-in model)\n"
    "      --override FILE      merge these entries into the model (repeatable)\n"
    "  -h, --help               show this help\n"
    "      --version            show the version\n"
    "\n"
    "Exit status: 0 written; 1 usage error, or a state that cannot be read or merged (named\n"
    "with its line and column; nothing is written then).\n";

/* The whole of a file (or standard input) in a malloc'd buffer; NULL with errno set. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        if (cap >= STATE_MAX) {
            free(buf);
            buf = NULL;
            errno = EFBIG;
            break;
        }
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int bad = buf && ferror(f);
    int saved = errno;
    if (f != stdin)
        fclose(f);
    if (bad) {
        free(buf);
        errno = saved ? saved : EIO;
        return NULL;
    }
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    const char *output = NULL, *model_path = NULL, *overrides[16];
    const char *states[4096];
    int n_overrides = 0, n_states = 0, as_state = 0, want_summary = 0;
    unsigned flags = 0;
    const char *report_path = NULL;
    FILE *report = NULL;
    grouping grp;
    memset(&grp, 0, sizeof grp);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
#define NEXT()                                                                                     \
    (i + 1 < argc                                                                                  \
         ? argv[++i]                                                                               \
         : (fprintf(stderr, "cxsent-narrative: %s needs a value\n", a), exit(1), (char *)0))
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_text, stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("cxsent-narrative (libcxsent %s)\n", cxs_version_string());
            return 0;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            output = NEXT();
        } else if (!strcmp(a, "--state")) {
            as_state = 1;
        } else if (!strcmp(a, "--no-verbatims")) {
            flags |= CXS_NARRATIVE_NO_VERBATIMS;
        } else if (!strcmp(a, "--summary")) {
            want_summary = 1;
        } else if (!strcmp(a, "--report")) {
            report_path = NEXT();
        } else if (!strcmp(a, "--period") || !strcmp(a, "--group-by")) {
            const char *why;
            char *v = NEXT();
            if (a[2] == 'p' ? grouping_parse_period(&grp, v, &why)
                            : grouping_parse_fields(&grp, v, &why)) {
                fprintf(stderr, "cxsent-narrative: %s: %s\n", a, why);
                return 1;
            }
        } else if (!strcmp(a, "--model")) {
            model_path = NEXT();
        } else if (!strcmp(a, "--override")) {
            if (n_overrides >= 16) {
                fprintf(stderr, "cxsent-narrative: at most 16 --override files\n");
                return 1;
            }
            overrides[n_overrides++] = NEXT();
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "cxsent-narrative: unknown option %s (see --help)\n", a);
            return 1;
        } else {
            if (n_states >= 4096) {
                fprintf(stderr, "cxsent-narrative: at most 4096 states\n");
                return 1;
            }
            states[n_states++] = a;
        }
#undef NEXT
    }
    if (!n_states) {
        fputs(usage_text, stderr);
        return 1;
    }
    cxs_model *model = NULL;
    cxs_narrative *all = NULL;
    int status = 1;
    if (tool_load_model(&model, "cxsent-narrative", model_path, overrides, n_overrides))
        goto done;
    /* opened before the merge, so a bad path fails at once */
    if (report_path && !(report = fopen(report_path, "w"))) {
        fprintf(stderr, "cxsent-narrative: %s: %s\n", report_path, strerror(errno));
        goto done;
    }
    if (cxs_narrative_new(&all, model, NULL)) {
        fprintf(stderr, "cxsent-narrative: out of memory\n");
        goto done;
    }
    for (int k = 0; k < n_states; k++) {
        const char *name = strcmp(states[k], "-") ? states[k] : "<stdin>";
        size_t len = 0;
        char *data = slurp(states[k], &len);
        if (!data) {
            fprintf(stderr, "cxsent-narrative: %s: %s\n", name, strerror(errno));
            goto done;
        }
        cxs_narrative *part = NULL;
        cxs_error err;
        int rc = cxs_narrative_load(&part, model, data, len, &err);
        free(data);
        if (rc == CXS_OK)
            rc = cxs_narrative_merge(all, part, &err);
        cxs_narrative_free(part);
        if (rc != CXS_OK) {
            if (err.line)
                fprintf(stderr, "cxsent-narrative: %s:%zu:%zu: %s\n", name, err.line, err.column,
                        err.message);
            else
                fprintf(stderr, "cxsent-narrative: %s: %s\n", name, err.message);
            goto done;
        }
    }
    if (want_summary || report) {
        /* the shards' channel breakdowns are not in their states: no "by source" here */
        summary *sum = summary_build(all, NULL, model, &grp, 0);
        if (!sum) {
            fprintf(stderr, "cxsent-narrative: out of memory\n");
            goto done;
        }
        if (want_summary)
            summary_print(sum, stderr);
        int bad = 0;
        if (report) {
            FILE *r = report;
            report = NULL; /* report_save() closes it, even on error */
            bad = report_save(sum, r, report_path, "cxsent-narrative") != 0;
        }
        summary_free(sum);
        if (bad)
            goto done;
        /* with only --summary or --report asked for, no JSON on standard output */
        if (!output && !as_state)
            goto written;
    }
    FILE *f = output ? fopen(output, "w") : stdout;
    if (!f) {
        fprintf(stderr, "cxsent-narrative: %s: %s\n", output, strerror(errno));
        goto done;
    }
    int rc = tool_write_narrative(f, all, as_state, flags);
    if (f != stdout && fclose(f) != 0 && !rc)
        rc = TOOL_NARRATIVE_EWRITE;
    if (rc) {
        fprintf(stderr, "cxsent-narrative: %s: %s\n", output ? output : "<stdout>",
                rc == TOOL_NARRATIVE_ENOMEM ? "out of memory" : "write error");
        goto done;
    }
written:
    status = 0;
done:
    if (report)
        fclose(report);
    cxs_narrative_free(all);
    cxs_model_free(model);
    return status;
}
