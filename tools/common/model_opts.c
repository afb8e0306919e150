/* model_opts.c — see model_opts.h. */
#include "model_opts.h"

#include <stdio.h>

static void print_error(const char *tool, const cxs_error *err)
{
    fprintf(stderr, "%s: %s:%zu:%zu: %s\n", tool, err->source, err->line, err->column,
            err->message);
}

int tool_load_model(cxs_model **out, const char *tool, const char *path,
                    const char *const *overrides, int n_overrides)
{
    cxs_error err;
    int rc = path ? cxs_model_load(out, path, NULL, &err)
                  : cxs_model_load_default(out, NULL, &err);
    if (rc) {
        print_error(tool, &err);
        return -1;
    }
    for (int i = 0; i < n_overrides; i++) {
        cxs_model *merged;
        if (cxs_model_merge(&merged, *out, overrides[i], &err)) {
            print_error(tool, &err);
            cxs_model_free(*out);
            *out = NULL;
            return -1;
        }
        cxs_model_free(*out);
        *out = merged;
    }
    return 0;
}
