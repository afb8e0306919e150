/* record.h - build the normalised record {id, source, author, created_at,
 * rating, text, url, lang} from one response item. */
#ifndef CXSENT_FETCH_RECORD_H
#define CXSENT_FETCH_RECORD_H

#include <jansson.h>

#include "preset.h"
#include "util.h"

typedef enum cxf_skip {
    CXF_KEEP = 0,
    CXF_SKIP_FILTER,  /* preset filter (require/skip_if) */
    CXF_SKIP_NO_ID,   /* no usable id: cannot dedup, so cannot resume safely */
    CXF_SKIP_DELETED, /* "[deleted]", "[removed]" or empty text */
    CXF_SKIP_OLD      /* older than --since */
} cxf_skip;

typedef struct cxf_record_opts {
    const char *source;        /* expanded source name */
    int keep_deleted;
    int raw_text;
    double since;              /* epoch; 0 = no limit */
    const cxf_secrets *secrets; /* values are redacted from every string */
} cxf_record_opts;

/* Build a record. Returns 0 and sets *out (new reference) or *skip; -1 on
 * ENOMEM. */
int cxf_record_build(const cxf_preset *p, json_t *item, const cxf_record_opts *o, json_t **out,
                     cxf_skip *skip);

/* Time of an item from the preset's created_at expression (epoch seconds,
 * numbers > 1e11 taken as milliseconds). 0 ok, -1 absent or unparseable. */
int cxf_record_time(const cxf_preset *p, json_t *item, double *epoch);

/* One JSONL line (with '\n'), keys in fixed order. malloc'd or NULL. */
char *cxf_record_dump(json_t *rec);

#endif
