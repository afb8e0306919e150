/* summary.h — cxsent-scan --summary: what customers are saying, per brand and month. */
#ifndef CXSENT_SCAN_SUMMARY_H
#define CXSENT_SCAN_SUMMARY_H

#include <cxsent.h>
#include <jansson.h>
#include <stdio.h>

typedef struct summary summary;

summary *summary_new(void);
void summary_add(summary *s, const json_t *rec, const cxs_result *res, const char *text,
                 size_t len);
void summary_print(const summary *s, FILE *out);
void summary_free(summary *s);

#endif
