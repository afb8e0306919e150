/* state.h - resumable state, written atomically after every page. */
#ifndef CXSENT_FETCH_STATE_H
#define CXSENT_FETCH_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "dedup.h"
#include "util.h"

typedef enum cxf_next_kind {
    CXF_NEXT_START = 0, /* nothing fetched yet */
    CXF_NEXT_CURSOR,    /* value = cursor token */
    CXF_NEXT_URL,       /* value = absolute URL (Link header) */
    CXF_NEXT_PAGE,      /* page = page number */
    CXF_NEXT_END        /* nothing left */
} cxf_next_kind;

typedef struct cxf_state {
    char *preset;
    char params_hash[17];
    cxf_next_kind next_kind;
    char *next_value;
    long next_page;
    long pages;          /* pages fetched so far */
    long items_written;
    long items_seen;     /* items returned by the source, dupes included */
    long dupes, skipped;
    char *newest_created_at;
    char *newest_id;
    int cap_reached;
    int done;
    int append;          /* records go straight into the output (--append) */
    /* time-window slicing (preset "slice"): the current window holds items
     * created at or before `before`; window_seen/window_oldest decide when it
     * reached the source cap and where the next window starts */
    long slices;         /* windows narrowed so far; 0 = the query as given */
    int64_t before;      /* upper bound of the current window, if slices > 0 */
    long window_seen;    /* items the source returned in this window */
    int has_oldest;
    int64_t window_oldest; /* oldest item time (epoch s) in this window */
    int64_t window_newest; /* newest; equal to oldest when one second fills the window */
    char *stop_reason;
    /* --max-items / --max-pages: a run they stop keeps its next pointer, so
     * --resume continues there. The limits of a run count from base_items /
     * base_pages (the counters when it started); page_written counts the
     * records already taken from the page at the next pointer when the item
     * limit stopped the run inside it (that page is fetched again). */
    int limited;         /* stopped by a user limit; --resume continues */
    long base_items, base_pages;
    long page_written;
    int output_final;    /* records are in FILE itself (FILE.part was renamed) */
} cxf_state;

/* Write state to path atomically: path.tmp (0600) + fsync + rename + fsync
 * of the directory. Secrets become ${ENV} placeholders. 0 ok, -1 errno. */
int cxf_state_save(const cxf_state *st, const char *path, const cxf_secrets *sec);
/* Load; secrets placeholders are substituted back. 0 ok, -1 (msg in err). */
int cxf_state_load(cxf_state *st, const char *path, const cxf_secrets *sec, char *err,
                   size_t errlen);
void cxf_state_free(cxf_state *st);
int cxf_state_set(char **field, const char *value); /* replace a string field */

/* Dedup ids for stdout runs live in PATH.ids: one hex hash per line. */
int cxf_ids_append(const char *path, const uint64_t *keys, size_t n);
int cxf_ids_load(const char *path, cxf_dedup *d);

#endif
