/*
 * grouping.h — how cxsent-scan files a record in the narrative: its group (the values of the
 * --group-by fields, brand by default) and its period (the day, week, month, quarter or year
 * of the --time-field, created_at by default), and the words the renderers use for both.
 */
#ifndef CXSENT_SCAN_GROUPING_H
#define CXSENT_SCAN_GROUPING_H

#include <jansson.h>
#include <stddef.h>

#define GROUP_MAX_FIELDS 4 /* --group-by brand,source,... */
#define PERIOD_KEY 16      /* bytes of a period key with its NUL ("2026-W07", "2026-Q1") */

/* Zero is the default: by month. */
typedef enum period_kind { PERIOD_MONTH = 0, PERIOD_DAY, PERIOD_WEEK, PERIOD_QUARTER, PERIOD_YEAR } period_kind;

typedef struct grouping {
    const char *fields[GROUP_MAX_FIELDS]; /* none: brand */
    int n_fields;
    const char *time_field; /* NULL: created_at */
    period_kind period;
    const char *channel_field; /* NULL: source; "": no breakdown by channel */
    json_t *channel_ids; /* state of grouping_channel_key: group key -> its number (owned;
                            NULL until the first channel key; grouping_free) */
} grouping;

/* Free what a grouping holds (not g itself). */
void grouping_free(grouping *g);

/* Parse --group-by "brand,source" (fields borrow from spec, which is edited in place) and
 * --period "week". Both return 0, or -1 with why set to a message. */
int grouping_parse_fields(grouping *g, char *spec, const char **why);
int grouping_parse_period(grouping *g, const char *name, const char **why);

/* The group key of a record into buf: the fields' values joined by " / ", "(no FIELD)" for
 * a field that is missing or null. Cut (on a UTF-8 boundary) to cap - 1 bytes. */
void grouping_key(const grouping *g, const json_t *rec, char *buf, size_t cap);

/* The channel field, or NULL when there is no breakdown by channel: --channel-field "" or a
 * field that is one of the --group-by fields already. */
const char *grouping_channel_field(const grouping *g);

/* The key of a record's group and channel into buf (GROUP_CHANNEL_KEY bytes): the prefix of
 * its group (grouping_channel_prefix of group, the record's grouping_key cut as the
 * narrative keeps it: 127 bytes), then the channel's value (as grouping_key writes one field)
 * cut to 31 bytes. A group seen for the first time gets the next number. Returns 0, or -1
 * when out of memory. */
#define GROUP_CHANNEL_KEY 128
#define GROUP_CHANNEL_SEP '\x1f'
int grouping_channel_key(grouping *g, const char *group, const json_t *rec, char *buf);

/* The prefix the channel keys of a group share, into buf (GROUP_CHANNEL_PREFIX + 1 bytes):
 * the number grouping_channel_key gave the whole group key, as 8 hex digits, then
 * GROUP_CHANNEL_SEP. A number, not a hash, so no two groups share one (a 64-bit hash of the
 * key could be made to collide by whoever writes the export), and a fixed width, so no group
 * can take another's channels for its own. Returns 0, or -1 (buf "") for a group
 * grouping_channel_key never saw. */
#define GROUP_CHANNEL_PREFIX 9
int grouping_channel_prefix(const grouping *g, const char *group, char *buf);

/* The period key of a record into buf (PERIOD_KEY bytes): "2026-03-14", "2026-W11" (ISO
 * week), "2026-03", "2026-Q1" or "2026", or "" when the time field holds no date: a string
 * that begins with one (as written: no time-zone conversion) or a number of seconds (from
 * 1e11 on, milliseconds) since 1970-01-01 UTC. */
void grouping_period(const grouping *g, const json_t *rec, char *buf);

/* Periods as consecutive integers (so a chart can show the empty ones between), -1 for a key
 * this kind of period never makes; and back. */
long grouping_period_index(period_kind p, const char *key);
void grouping_period_key(period_kind p, long index, char *buf);

/* Words for the renderers: what n groups are called ("brand", "brands", "country",
 * "countries", "brand / source groups"); a period ("month"); what the time field must hold
 * ("a YYYY-MM created_at"). */
void grouping_label(const grouping *g, char *buf, size_t cap, size_t n);
const char *grouping_period_noun(period_kind p);
void grouping_needs(const grouping *g, char *buf, size_t cap);

#endif
