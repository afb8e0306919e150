/* model_opts.h — the tools' --model / --override handling (never installed). */
#ifndef CXSENT_TOOLS_MODEL_OPTS_H
#define CXSENT_TOOLS_MODEL_OPTS_H

#include <cxsent.h>

/*
 * Load the model at `path` (NULL: the built-in default) and merge each override file in order.
 * Errors are printed as "TOOL: FILE:LINE:COLUMN: reason". Returns 0, or -1 with *out NULL.
 */
int tool_load_model(cxs_model **out, const char *tool, const char *path,
                    const char *const *overrides, int n_overrides);

#endif
