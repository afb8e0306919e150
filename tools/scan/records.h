/*
 * records.h — cxsent-scan's records: the run's options and state, and the readers that turn
 * JSONL lines and CSV rows into scored output records. Separate from the command line (scan.c),
 * so the fuzz harness drives exactly this code.
 */
#ifndef CXSENT_SCAN_RECORDS_H
#define CXSENT_SCAN_RECORDS_H

#include "grouping.h"

#include <cxsent.h>

#include <stdio.h>

typedef struct opts {
    const char *output, *text_field, *id_field, *model;
    const char *overrides[16];
    int n_overrides;
    int keep_text, explain, strict, summary, counts, quiet, csv;
    double pos_thr, neg_thr;
    int have_pos, have_neg;
    double rating_scale; /* --rating-scale: the top of the `rating` field's scale */
    const char *rating_field; /* --rating-field (NULL: rating) */
    grouping group;      /* --group-by, --time-field, --period (zero: brand, created_at, month) */
} opts;

typedef struct scan {
    opts o;
    cxs_model *model;
    cxs_analyzer *an;
    cxs_result *res;
    FILE *out;
    char *json;
    size_t json_cap;
    unsigned long records, skipped, repaired;
    cxs_narrative *nar; /* what customers are saying (--summary, --report, --narrative) */
    cxs_narrative *nar_ch; /* the same per group and channel (grouping_channel_key), for the
                              summary's and report's breakdown by channel; NULL: none */
    int nar_failed;     /* an add failed: the narrative misses a record */
} scan;

/* Load the model (--model, --override), make the analyzer and result, apply thresholds. */
int scan_load_model(scan *sc);

/*
 * Score every record of a JSONL stream / a CSV file with a header row, writing one output line
 * per record to sc->out. Bad lines are reported as FILE:LINE: reason and counted in
 * sc->skipped; invalid UTF-8 is repaired (sc->repaired) or, with --strict-utf8, skipped.
 * Returns 0, or -1 on a read error, an allocation failure, or a CSV header without the text
 * column.
 */
int scan_jsonl(scan *sc, FILE *in, const char *file);
int scan_csv(scan *sc, FILE *in, const char *file);

#endif
