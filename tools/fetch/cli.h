/* cli.h - command line parsing for cxsent-fetch. */
#ifndef CXSENT_FETCH_CLI_H
#define CXSENT_FETCH_CLI_H

#include <stdio.h>

#include "fetch.h"

typedef enum cxf_cli_action {
    CXF_CLI_RUN,
    CXF_CLI_HELP,
    CXF_CLI_VERSION,
    CXF_CLI_LIST,
    CXF_CLI_ERROR
} cxf_cli_action;

/* Parse argv into o. On CXF_CLI_ERROR a message was printed to stderr. */
cxf_cli_action cxf_cli_parse(cxf_opts *o, int argc, char **argv);
void cxf_cli_usage(FILE *f);
/* Print built-in presets (and a --preset-file one) with their options. */
void cxf_cli_list_presets(FILE *f);

#endif
