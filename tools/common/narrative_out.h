/* narrative_out.h — a narrative written to a stream by the tools (never installed). */
#ifndef CXSENT_TOOLS_NARRATIVE_OUT_H
#define CXSENT_TOOLS_NARRATIVE_OUT_H

#include <cxsent.h>
#include <stdio.h>

/*
 * Write nar to out: its JSON (flags as cxs_narrative_to_json()) and a newline, or with
 * as_state its state (cxs_narrative_save()). The stream is flushed, not closed. Returns 0,
 * TOOL_NARRATIVE_ENOMEM, or TOOL_NARRATIVE_EWRITE when a write or the flush failed.
 */
enum { TOOL_NARRATIVE_ENOMEM = 1, TOOL_NARRATIVE_EWRITE = 2 };
int tool_write_narrative(FILE *out, const cxs_narrative *nar, int as_state, unsigned flags);

#endif
