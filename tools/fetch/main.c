/* main.c - cxsent-fetch entry point: signals, global libcurl init, dispatch. */
#include "cli.h"
#include "fetch.h"
#include "util.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The only mutable global: set by SIGINT/SIGTERM, polled by the fetch loop
 * and by libcurl's progress callback, so state is saved before exiting. */
static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* CURLOPT_NOSIGNAL is set, so a closed socket must not kill us; a closed
     * stdout pipe shows up as EPIPE from write() instead. */
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
}

int main(int argc, char **argv)
{
    cxf_opts o;
    cxf_preset p;
    char err[512];
    char *state_default = NULL;
    int rc;

    cxf_opts_init(&o);
    memset(&p, 0, sizeof p);
    switch (cxf_cli_parse(&o, argc, argv)) {
    case CXF_CLI_HELP:
        cxf_cli_usage(stdout);
        cxf_opts_free(&o);
        return 0;
    case CXF_CLI_VERSION:
        printf("cxsent-fetch %s (%s)\n", CXF_VERSION, curl_version());
        cxf_opts_free(&o);
        return 0;
    case CXF_CLI_LIST:
        cxf_cli_list_presets(stdout);
        cxf_opts_free(&o);
        return 0;
    case CXF_CLI_ERROR:
        cxf_opts_free(&o);
        fputs("Try 'cxsent-fetch --help'.\n", stderr);
        return CXF_EXIT_USAGE;
    case CXF_CLI_RUN:
        break;
    }

    if (o.preset_file)
        rc = cxf_preset_load_file(&p, o.preset_file, err, sizeof err);
    else if (o.preset_name)
        rc = cxf_preset_builtin(&p, o.preset_name, err, sizeof err);
    else if (o.url)
        rc = cxf_generic_preset(&o, &p, err, sizeof err);
    else {
        cxf_cli_usage(stderr);
        cxf_opts_free(&o);
        return CXF_EXIT_USAGE;
    }
    if (rc == 0 && o.preset_file && o.preset_name && strcmp(o.preset_name, p.name)) {
        snprintf(err, sizeof err, "%s defines preset '%s', not '%s'", o.preset_file, p.name,
                 o.preset_name);
        cxf_preset_free(&p);
        rc = -1;
    }
    if (rc == 0 && cxf_preset_apply_variants(&p, o.param_values)) {
        snprintf(err, sizeof err, "preset %s: invalid variant", p.name);
        cxf_preset_free(&p);
        rc = -1;
    }
    if (rc) {
        fprintf(stderr, "cxsent-fetch: %s\n", err);
        cxf_opts_free(&o);
        return CXF_EXIT_USAGE;
    }
    if (o.output && !o.state_path) {
        state_default = malloc(strlen(o.output) + 7);
        if (!state_default) {
            cxf_preset_free(&p);
            cxf_opts_free(&o);
            return CXF_EXIT_IO;
        }
        sprintf(state_default, "%s.state", o.output);
        o.state_path = state_default;
    }

    install_signals();
    if (curl_global_init(CURL_GLOBAL_ALL) != CURLE_OK) {
        fprintf(stderr, "cxsent-fetch: libcurl initialisation failed\n");
        rc = CXF_EXIT_IO;
    } else {
        rc = cxf_run(&o, &p, &g_stop);
        curl_global_cleanup();
    }
    cxf_preset_free(&p);
    cxf_opts_free(&o);
    free(state_default);
    return rc;
}
