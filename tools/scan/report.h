/*
 * report.h — cxsent-scan --report FILE: the summary's tallies as one self-contained HTML page
 * (inline CSS and SVG; no script, no external resource), for analysts to look at.
 */
#ifndef CXSENT_SCAN_REPORT_H
#define CXSENT_SCAN_REPORT_H

#include <stdio.h>

#include "summary.h"

/*
 * Write the HTML report of `s` to `f` and close `f`, whatever happens. The same tallies always
 * give the same bytes. On a write error, prints "TOOL: PATH: write error: reason" to stderr
 * and returns -1; returns 0 otherwise. (cxsent-scan and cxsent-narrative both write it.)
 */
int report_save(const summary *s, FILE *f, const char *path, const char *tool);

#endif
