/* cli.c - argv -> cxf_opts. No --token style options exist on purpose:
 * argv is visible to every user through ps; secrets come from the
 * environment only. */
#include "cli.h"

#include "path.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void cxf_opts_init(cxf_opts *o)
{
    memset(o, 0, sizeof *o);
    o->page_start = 1;
    o->max_items = 10000;
    o->max_pages = 100;
    o->min_interval = 1.0;
    o->max_retries = 5;
    o->max_wait = 900;
    o->max_body = 32u * 1024u * 1024u;
    o->timeout = 120;
    o->connect_timeout = 10;
    o->low_speed_time = 30;
}

void cxf_opts_free(cxf_opts *o)
{
    json_decref(o->gen_fields);
    json_decref(o->param_values);
    json_decref(o->auth_extra);
    o->gen_fields = o->param_values = o->auth_extra = NULL;
}

void cxf_cli_usage(FILE *f)
{
    fputs("usage: cxsent-fetch PRESET [--PARAM VALUE ...] [options]\n"
          "       cxsent-fetch --url URL --items PATH --field id=EXPR --field text=EXPR ...\n"
          "                    [--next PATH --next-param NAME | --next-link |\n"
          "                     --page-param NAME [--page-start N] [--has-more PATH]] [options]\n"
          "\n"
          "Fetch reviews/posts from public JSON APIs as JSONL records\n"
          "{id, source, author, created_at, rating, text, url, lang}.\n"
          "\n"
          "Output and state:\n"
          "  -o, --output FILE     write FILE.part, renamed to FILE when complete\n"
          "      --state FILE      resumable state (default FILE.state with -o)\n"
          "      --resume          continue from the state file (also after --max-items\n"
          "                        or --max-pages stopped a run: it goes on from there)\n"
          "      --append          add to FILE (no .part): ids already in it are not\n"
          "                        written again, a torn last line is cut off\n"
          "Limits:\n"
          "      --max-items N     stop after N records in this run (10000)\n"
          "      --max-pages N     stop after N pages in this run (100, or the preset's\n"
          "                        default)\n"
          "      --since TIME      skip items older than this RFC 3339 time (also sent\n"
          "                        to hn-search, github-issues, stackexchange and\n"
          "                        bsky-search, which can filter by time themselves)\n"
          "  Searches capped per query (hn-search, github-issues --query) continue in\n"
          "  older time windows; the summary's slices=N counts them.\n"
          "Politeness and retries:\n"
          "      --min-interval S  seconds between requests to a host (preset default)\n"
          "      --max-retries N   retries per page (5)\n"
          "      --max-wait S      longest wait we accept before giving up (900)\n"
          "      --contact STR     contact put into the User-Agent\n"
          "Transfer:\n"
          "      --max-body BYTES  response size cap (33554432)\n"
          "      --timeout S, --connect-timeout S, --low-speed-time S (120, 10, 30)\n"
          "      --cacert FILE     CA bundle; TLS verification is always on\n"
          "      --base-url URL    replace scheme://host of the preset URLs (mirrors, tests)\n"
          "      --allow-http      allow plain http, to loopback addresses only\n"
          "Records:\n"
          "      --keep-deleted    keep [deleted]/[removed]/empty items\n"
          "      --raw-text        do not convert HTML to text\n"
          "Presets and generic mode:\n"
          "      --preset-file F   load a preset from a JSON file\n"
          "      --param NAME=VAL  set a preset parameter (same as --NAME VAL)\n"
          "      --list-presets    list presets and their parameters\n"
          "      --url, --items, --field NAME=EXPR, --source NAME, --next PATH,\n"
          "      --next-param NAME, --next-link, --page-param NAME, --page-start N,\n"
          "      --has-more PATH, --pages PATH\n"
          "Credentials (environment variables only):\n"
          "      --token-cache F        cache login tokens (Bluesky session and its refresh\n"
          "                             token, Reddit OAuth)\n"
          "                             in F, mode 0600 (default STATE.token with --state)\n"
          "      --no-token-cache       keep login tokens in memory only\n"
          "      --auth-env VAR         send Authorization: Bearer $VAR\n"
          "      --header-env NAME=VAR  send header NAME: $VAR\n"
          "      --query-env KEY=VAR    add ?KEY=$VAR to every request\n"
          "Other:\n"
          "  -v, --verbose         log requests (secrets redacted)\n"
          "  -h, --help, --version\n"
          "\n"
          "Exit codes: 0 done, 1 interrupted (resumable), 2 usage, 3 auth/forbidden,\n"
          "4 rate limited beyond --max-wait, 5 network/HTTP errors, 6 unparseable\n"
          "responses, 7 local I/O. See cxsent-fetch(1).\n",
          f);
}

void cxf_cli_list_presets(FILE *f)
{
    size_t i;
    for (i = 0; i < cxf_builtin_preset_count; i++) {
        cxf_preset p;
        char err[256];
        const char *k;
        json_t *v;
        if (cxf_preset_load_buffer(&p, (const char *)cxf_builtin_presets[i].data,
                                   cxf_builtin_presets[i].size, err, sizeof err)) {
            fprintf(f, "%s: BROKEN: %s\n", cxf_builtin_presets[i].file, err);
            continue;
        }
        fprintf(f, "%s\n    %s\n", p.name, p.description ? p.description : "");
        json_object_foreach(p.params, k, v) {
            const char *help = json_string_value(json_object_get(v, "help"));
            const char *dflt = json_string_value(json_object_get(v, "default"));
            fprintf(f, "    --%s%s%s%s  %s\n", k,
                    json_is_true(json_object_get(v, "required")) ? " (required)" : "",
                    dflt ? " default " : "", dflt ? dflt : "", help ? help : "");
        }
        {
            size_t j;
            json_t *e;
            json_array_foreach(p.auth, j, e) {
                const char *names[3] = {json_string_value(json_object_get(e, "env")),
                                        json_string_value(json_object_get(e, "id_env")),
                                        json_string_value(json_object_get(e, "secret_env"))};
                json_t *envs = json_object_get(e, "envs"), *ev;
                size_t n, q;
                for (n = 0; n < 3; n++)
                    if (names[n])
                        fprintf(f, "    env %s%s\n", names[n],
                                json_is_true(json_object_get(e, "optional")) ? " (optional)" : "");
                json_array_foreach(envs, q, ev)
                    fprintf(f, "    env %s%s\n", json_string_value(ev),
                            json_is_true(json_object_get(e, "optional")) ? " (optional)" : "");
            }
        }
        cxf_preset_free(&p);
    }
}

static int parse_long(const char *opt, const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "cxsent-fetch: %s: expected an integer in [%ld, %ld], got '%s'\n", opt, lo,
                hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_secs(const char *opt, const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v) || v < 0 || v > 86400.0 * 7) {
        fprintf(stderr, "cxsent-fetch: %s: expected seconds, got '%s'\n", opt, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* NAME=VALUE into object obj; 0 ok. */
static int put_pair(json_t **obj, const char *opt, const char *arg)
{
    const char *eq = strchr(arg, '=');
    char *name;
    json_t *v;
    if (!eq || eq == arg) {
        fprintf(stderr, "cxsent-fetch: %s expects NAME=VALUE, got '%s'\n", opt, arg);
        return -1;
    }
    if (!*obj && !(*obj = json_object()))
        return -1;
    name = cxf_strndup(arg, (size_t)(eq - arg));
    v = json_string(eq + 1);
    if (!name || !v || json_object_set_new(*obj, name, v)) {
        free(name);
        fprintf(stderr, "cxsent-fetch: %s: invalid value\n", opt);
        return -1;
    }
    free(name);
    return 0;
}

static int add_auth(cxf_opts *o, const char *kind, const char *opt, const char *arg)
{
    json_t *e;
    if (!o->auth_extra && !(o->auth_extra = json_array()))
        return -1;
    if (!strcmp(kind, "bearer")) {
        e = json_pack("{s:s,s:s}", "kind", "bearer", "env", arg);
    } else {
        const char *eq = strchr(arg, '=');
        char *name;
        if (!eq || eq == arg || !eq[1]) {
            fprintf(stderr, "cxsent-fetch: %s expects NAME=VAR, got '%s'\n", opt, arg);
            return -1;
        }
        name = cxf_strndup(arg, (size_t)(eq - arg));
        if (!name)
            return -1;
        e = json_pack("{s:s,s:s,s:s}", "kind", kind, !strcmp(kind, "query") ? "param" : "name",
                      name, "env", eq + 1);
        free(name);
    }
    if (!e || json_array_append_new(o->auth_extra, e))
        return -1;
    return 0;
}

cxf_cli_action cxf_cli_parse(cxf_opts *o, int argc, char **argv)
{
    int i;
    for (i = 1; i < argc; i++) {
        char *a = argv[i], name[64];
        const char *val = NULL, *eq;
        int has_inline;
        if (a[0] != '-' || !a[1]) {
            if (o->preset_name) {
                fprintf(stderr, "cxsent-fetch: unexpected argument '%s'\n", a);
                return CXF_CLI_ERROR;
            }
            o->preset_name = a;
            continue;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            return CXF_CLI_HELP;
        if (!strcmp(a, "--version"))
            return CXF_CLI_VERSION;
        if (!strcmp(a, "--list-presets"))
            return CXF_CLI_LIST;
        if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            o->verbose = 1;
            continue;
        }
        /* flags without a value */
        if (!strcmp(a, "--resume")) {
            o->resume = 1;
            continue;
        }
        if (!strcmp(a, "--append")) {
            o->append = 1;
            continue;
        }
        if (!strcmp(a, "--no-token-cache")) {
            o->no_token_cache = 1;
            continue;
        }
        if (!strcmp(a, "--keep-deleted")) {
            o->keep_deleted = 1;
            continue;
        }
        if (!strcmp(a, "--raw-text")) {
            o->raw_text = 1;
            continue;
        }
        if (!strcmp(a, "--allow-http")) {
            o->allow_http = 1;
            continue;
        }
        if (!strcmp(a, "--next-link")) {
            o->next_link = 1;
            continue;
        }
        if (!strcmp(a, "--insecure") || !strcmp(a, "-k") || !strcmp(a, "--token")) {
            fprintf(stderr, "cxsent-fetch: %s is not supported: TLS verification is always on and "
                            "secrets come from environment variables\n",
                    a);
            return CXF_CLI_ERROR;
        }
        /* options with a value: --opt VALUE or --opt=VALUE */
        eq = strchr(a, '=');
        has_inline = eq && a[1] == '-';
        if (has_inline) {
            size_t nl = (size_t)(eq - a);
            if (nl >= sizeof name) {
                fprintf(stderr, "cxsent-fetch: option too long\n");
                return CXF_CLI_ERROR;
            }
            memcpy(name, a, nl);
            name[nl] = '\0';
            val = eq + 1;
        } else {
            if (strlen(a) >= sizeof name) {
                fprintf(stderr, "cxsent-fetch: option too long\n");
                return CXF_CLI_ERROR;
            }
            strcpy(name, a);
            if (i + 1 >= argc) {
                fprintf(stderr, "cxsent-fetch: %s needs a value\n", a);
                return CXF_CLI_ERROR;
            }
            val = argv[++i];
        }
#define OPT(s) (!strcmp(name, s))
        if (OPT("-o") || OPT("--output"))
            o->output = val;
        else if (OPT("--state"))
            o->state_path = val;
        else if (OPT("--token-cache"))
            o->token_cache = val;
        else if (OPT("--preset-file"))
            o->preset_file = val;
        else if (OPT("--url"))
            o->url = val;
        else if (OPT("--items"))
            o->items = val;
        else if (OPT("--source"))
            o->source = val;
        else if (OPT("--next"))
            o->next_path = val;
        else if (OPT("--next-param"))
            o->next_param = val;
        else if (OPT("--page-param"))
            o->page_param = val;
        else if (OPT("--has-more"))
            o->has_more = val;
        else if (OPT("--pages"))
            o->pages_path = val;
        else if (OPT("--contact"))
            o->contact = val;
        else if (OPT("--base-url"))
            o->base_url = val;
        else if (OPT("--cacert"))
            o->cacert = val;
        else if (OPT("--field")) {
            if (put_pair(&o->gen_fields, name, val))
                return CXF_CLI_ERROR;
        } else if (OPT("--param")) {
            if (put_pair(&o->param_values, name, val))
                return CXF_CLI_ERROR;
        } else if (OPT("--auth-env")) {
            if (add_auth(o, "bearer", name, val))
                return CXF_CLI_ERROR;
        } else if (OPT("--header-env")) {
            if (add_auth(o, "header", name, val))
                return CXF_CLI_ERROR;
        } else if (OPT("--query-env")) {
            if (add_auth(o, "query", name, val))
                return CXF_CLI_ERROR;
        } else if (OPT("--page-start")) {
            if (parse_long(name, val, 0, 1000, &o->page_start))
                return CXF_CLI_ERROR;
        } else if (OPT("--max-items")) {
            if (parse_long(name, val, 1, 100000000, &o->max_items))
                return CXF_CLI_ERROR;
        } else if (OPT("--max-pages")) {
            if (parse_long(name, val, 1, 1000000, &o->max_pages))
                return CXF_CLI_ERROR;
            o->max_pages_set = 1;
        } else if (OPT("--max-retries")) {
            if (parse_long(name, val, 0, 100, &o->max_retries))
                return CXF_CLI_ERROR;
        } else if (OPT("--timeout")) {
            if (parse_long(name, val, 1, 86400, &o->timeout))
                return CXF_CLI_ERROR;
        } else if (OPT("--connect-timeout")) {
            if (parse_long(name, val, 1, 3600, &o->connect_timeout))
                return CXF_CLI_ERROR;
        } else if (OPT("--low-speed-time")) {
            if (parse_long(name, val, 1, 3600, &o->low_speed_time))
                return CXF_CLI_ERROR;
        } else if (OPT("--max-body")) {
            long v;
            if (parse_long(name, val, 1024, 1L << 30, &v))
                return CXF_CLI_ERROR;
            o->max_body = (size_t)v;
        } else if (OPT("--min-interval")) {
            if (parse_secs(name, val, &o->min_interval))
                return CXF_CLI_ERROR;
            o->min_interval_set = 1;
        } else if (OPT("--max-wait")) {
            if (parse_secs(name, val, &o->max_wait))
                return CXF_CLI_ERROR;
        } else if (OPT("--since")) {
            if (cxf_parse_iso8601(val, &o->since)) {
                fprintf(stderr, "cxsent-fetch: --since expects an RFC 3339 time, got '%s'\n", val);
                return CXF_CLI_ERROR;
            }
        } else if (name[0] == '-' && name[1] == '-' && name[2]) {
            /* --NAME VALUE: a preset parameter, validated against the preset */
            json_t *v = json_string(val);
            if (!o->param_values && !(o->param_values = json_object())) {
                json_decref(v);
                return CXF_CLI_ERROR;
            }
            if (!v || json_object_set_new(o->param_values, name + 2, v)) {
                fprintf(stderr, "cxsent-fetch: %s: invalid value\n", name);
                return CXF_CLI_ERROR;
            }
        } else {
            fprintf(stderr, "cxsent-fetch: unknown option %s\n", name);
            return CXF_CLI_ERROR;
        }
#undef OPT
    }
    return CXF_CLI_RUN;
}

int cxf_generic_preset(const cxf_opts *o, cxf_preset *p, char *err, size_t errlen)
{
    json_t *doc, *pg;
    int rc;
    if (!o->url || !o->items || !o->gen_fields) {
        snprintf(err, errlen, "generic mode needs --url, --items and --field id=... --field text=...");
        return -1;
    }
    if (o->next_path && o->next_param)
        pg = json_pack("{s:s,s:s,s:s}", "kind", "cursor", "next", o->next_path, "param",
                       o->next_param);
    else if (o->next_link)
        pg = json_pack("{s:s}", "kind", "link");
    else if (o->page_param)
        pg = json_pack("{s:s,s:s,s:I}", "kind", "page", "param", o->page_param, "start",
                       (json_int_t)o->page_start);
    else if (o->next_path || o->next_param) {
        snprintf(err, errlen, "--next and --next-param go together");
        return -1;
    } else
        pg = json_pack("{s:s}", "kind", "none");
    if (pg && o->has_more)
        json_object_set_new(pg, "has_more", json_string(o->has_more));
    if (pg && o->pages_path)
        json_object_set_new(pg, "pages", json_string(o->pages_path));
    doc = json_pack("{s:s,s:s,s:s,s:s,s:O,s:o,s:{s:s,s:s}}", "name", "generic", "url", o->url,
                    "source", o->source ? o->source : "generic", "items", o->items, "fields",
                    o->gen_fields, "paginate", pg, "ratelimit", "remaining",
                    "x-ratelimit-remaining", "reset", "x-ratelimit-reset");
    if (!doc) {
        snprintf(err, errlen, "cannot build the generic preset (invalid UTF-8 or out of memory)");
        return -1;
    }
    rc = cxf_preset_from_json(p, doc, err, errlen);
    json_decref(doc);
    return rc;
}
