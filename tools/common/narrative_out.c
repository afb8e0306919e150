/* narrative_out.c — see narrative_out.h. */
#include "narrative_out.h"

#include <stdlib.h>

int tool_write_narrative(FILE *out, const cxs_narrative *nar, int as_state, unsigned flags)
{
    size_t len = as_state ? cxs_narrative_save(nar, NULL, 0)
                          : cxs_narrative_to_json(nar, flags, NULL, 0);
    char *buf = malloc(len + 1);
    if (!buf)
        return TOOL_NARRATIVE_ENOMEM;
    if (as_state)
        cxs_narrative_save(nar, buf, len + 1);
    else
        cxs_narrative_to_json(nar, flags, buf, len + 1);
    int bad = fwrite(buf, 1, len, out) != len || (!as_state && fputc('\n', out) == EOF);
    free(buf);
    bad |= fflush(out) != 0 || ferror(out);
    return bad ? TOOL_NARRATIVE_EWRITE : 0;
}
