/*
 * check_model.c — unit tests of the model loader (lib/model.c): every section, parse errors
 * with their line, column and source, @include / @source, override merging, counts and
 * normalised lookups. Behaviour that a section configures is checked by scoring through the
 * public API, so the tests do not depend on the model's internal layout.
 */
#define _POSIX_C_SOURCE 200809L

#include "cxsent.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int load(cxs_model **m, const char *text, cxs_error *err)
{
    return cxs_model_load_buffer(m, text, strlen(text), "t.model", NULL, err);
}

static double lookup(const cxs_model *m, const char *term)
{
    double v = -99;
    int rc = cxs_model_lookup(&v, m, term, strlen(term));
    ck_assert_msg(rc == 0 || rc == 1, "lookup '%s' rc %d", term, rc);
    return rc == 1 ? v : NAN;
}

static double compound(const cxs_model *m, const char *text)
{
    cxs_analyzer *an = NULL;
    ck_assert_int_eq(cxs_analyzer_new(&an, m, NULL), CXS_OK);
    cxs_scores sc;
    int rc = cxs_analyzer_score(&sc, NULL, an, text, strlen(text), NULL);
    cxs_analyzer_free(an);
    ck_assert_int_eq(rc, CXS_OK);
    return sc.compound;
}

#define assert_close(a, b) ck_assert_msg(fabs((a) - (b)) < 1e-4, "%g != %g", (double)(a), \
                                         (double)(b))

/* ---- a model with every section ---------------------------------------------------------- */

static const char full_model[] =
    "# a comment line\n"
    "@section settings\n"
    "alpha\t4\n"
    "\n"
    "@section lexicon\n"
    "good\t2.0\n"
    "bad\t-2\n"
    "great\t+3.0\n"
    "fed up\t-2.5\n"
    "above and beyond\t4.0\n"
    "\xE2\x9D\xA4\xEF\xB8\x8F\t3.0\n"          /* ❤️ written with FE0F */
    "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD\t1.5\n"  /* 👍🏽 with a skin tone */
    ":)\t1.5\n"
    "Don\xE2\x80\x99t care\t-1.0\n"            /* curly apostrophe, capital */
    "@section negators\n"
    "not\n"
    "never\n"
    "@section boosters\n"
    "very\t0.3\n"
    "slightly\t-0.3\n"
    "@section contrastives\n"
    "but\t0.5\t1.5\n"
    "although\t0.5\t1.3\tlead\n"
    "@section irrealis\n"
    "should have\t-0.6\n"
    "@section sarcasm\n"
    "\xF0\x9F\x99\x84\n"                      /* 🙄 */
    "yeah right\n"
    "@section markers\n"
    "at least\tconcession\n"
    "heads up\tinfo\n";

START_TEST(every_section_counts)
{
    cxs_model *m = NULL;
    cxs_error err;
    ck_assert_int_eq(load(&m, full_model, &err), CXS_OK);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_LEXICON), 9);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_WORDS), 3);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_PHRASES), 3);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_EMOJI), 2);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_EMOTICONS), 1);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_NEGATORS), 2);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_BOOSTERS), 2);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_CONTRASTIVES), 2);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_IRREALIS), 1);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_SARCASM), 2);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_MARKERS), 2);
    ck_assert_uint_eq(cxs_model_count(m, (cxs_count)0), 0);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_THEME_TERMS), 0);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_LEVEL_CUES), 0);
    ck_assert_uint_eq(cxs_model_count(m, (cxs_count)16), 0);
    ck_assert_uint_eq(cxs_model_count(m, (cxs_count)-1), 0);
    ck_assert_uint_eq(cxs_model_count(NULL, CXS_COUNT_LEXICON), 0);
    cxs_model_free(m);
}
END_TEST

/* A process cue ("takes") makes a wait that weighs wait_process of one after a wait cue. */
START_TEST(process_cue_weighs_wait_process)
{
    static const char base[] = "@section time_units\nminutes\t60\n"
                               "@section duration_cues\ntakes\tprocess\ntook\twait\n";
    char text[256];
    double c[3];
    const double weight[3] = {1.0, 0.5, 0.0};
    for (int k = 0; k < 3; k++) {
        snprintf(text, sizeof text, "%s@section settings\nwait_process\t%g\n", base, weight[k]);
        cxs_model *m = NULL;
        ck_assert_int_eq(load(&m, text, NULL), CXS_OK);
        c[k] = compound(m, "it takes 45 minutes");
        ck_assert(compound(m, "it took 45 minutes") < c[0] + 1e-12);
        cxs_model_free(m);
    }
    ck_assert(c[0] < c[1] && c[1] < 0); /* half a wait is a milder complaint */
    ck_assert(c[2] == 0);
}
END_TEST

START_TEST(every_section_behaviour)
{
    cxs_model *m = NULL;
    ck_assert_int_eq(load(&m, full_model, NULL), CXS_OK);
    /* settings: alpha 4, so "good" = 2 / sqrt(4 + 4) */
    double good = compound(m, "good");
    assert_close(good, 2.0 / sqrt(8.0));
    /* lexicon phrase */
    assert_close(compound(m, "I am fed up"), -2.5 / sqrt(2.5 * 2.5 + 4.0));
    /* emoji with and without FE0F, skin tone dropped; emoticon */
    ck_assert(compound(m, "\xE2\x9D\xA4") > 0.5);
    assert_close(compound(m, "\xE2\x9D\xA4"), compound(m, "\xE2\x9D\xA4\xEF\xB8\x8F"));
    assert_close(compound(m, "\xF0\x9F\x91\x8D"), compound(m, "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBF"));
    ck_assert(compound(m, "ok :)") > 0);
    /* negators */
    ck_assert(compound(m, "not good") < 0);
    ck_assert(compound(m, "never good") < 0);
    /* boosters and dampeners */
    ck_assert(compound(m, "very good") > good);
    ck_assert(compound(m, "slightly good") < good);
    ck_assert(compound(m, "slightly good") > 0);
    /* contrastives, plain and lead */
    ck_assert(compound(m, "good but bad") < 0);
    ck_assert(compound(m, "bad but good") > 0);
    ck_assert(compound(m, "although good, bad") < 0);
    /* irrealis */
    ck_assert(compound(m, "should have good") < 0);
    /* sarcasm: an emoji cue and a phrase cue */
    ck_assert(compound(m, "good \xF0\x9F\x99\x84") < 0);
    ck_assert(compound(m, "great yeah right") < 0);
    /* words the model does not know score nothing */
    ck_assert(compound(m, "excellent wonderful") == 0);
    cxs_model_free(m);
}
END_TEST

START_TEST(settings_change_rules)
{
    cxs_model *m = NULL;
    /* negation_scalar -1: "not good" is exactly the mirror of "good" */
    ck_assert_int_eq(load(&m,
                          "@section settings\nnegation_scalar\t-1\n"
                          "@section lexicon\ngood\t2\n@section negators\nnot\n",
                          NULL),
                     CXS_OK);
    assert_close(compound(m, "not good"), -compound(m, "good"));
    cxs_model_free(m);
    /* exclaim_boost 0: "!" changes nothing */
    ck_assert_int_eq(load(&m, "@section settings\nexclaim_boost\t0\n@section lexicon\ngood\t2\n",
                          NULL),
                     CXS_OK);
    assert_close(compound(m, "good!!!"), compound(m, "good"));
    cxs_model_free(m);
    /* default settings without a settings section: alpha 15 */
    ck_assert_int_eq(load(&m, "@section lexicon\ngood\t2\n", NULL), CXS_OK);
    assert_close(compound(m, "good"), 2.0 / sqrt(19.0));
    cxs_model_free(m);
}
END_TEST

START_TEST(load_details)
{
    cxs_model *m = NULL;
    /* CRLF, last line without a newline, duplicate terms (last wins) */
    ck_assert_int_eq(load(&m, "@section lexicon\r\ngood\t1\r\n\r\ngood\t3\r\nbad\t-2", NULL),
                     CXS_OK);
    assert_close(lookup(m, "good"), 3.0);
    assert_close(lookup(m, "bad"), -2.0);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_LEXICON), 2);
    cxs_model_free(m);
    /* not NUL-terminated: nothing after len is read */
    const char *t = "@section lexicon\ngood\t2\nbad\t-2\n";
    ck_assert_int_eq(cxs_model_load_buffer(&m, t, 24, NULL, NULL, NULL), CXS_OK);
    assert_close(lookup(m, "good"), 2.0);
    ck_assert(isnan(lookup(m, "bad")));
    cxs_model_free(m);
    /* empty buffer (also with NULL data) */
    ck_assert_int_eq(cxs_model_load_buffer(&m, NULL, 0, NULL, NULL, NULL), CXS_OK);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_LEXICON), 0);
    ck_assert(compound(m, "good") == 0);
    cxs_model_free(m);
    /* a term in two sections has both roles */
    ck_assert_int_eq(load(&m,
                          "@section lexicon\nsuper\t2\ngood\t2\n"
                          "@section boosters\nsuper\t0.3\n",
                          NULL),
                     CXS_OK);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_BOOSTERS), 1);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_WORDS), 2);
    ck_assert(compound(m, "super good") > compound(m, "good")); /* boosts */
    ck_assert(compound(m, "super") > 0);                        /* and scores alone */
    cxs_model_free(m);
    /* an emoticon of 15 characters is the longest allowed, and it is matched in text */
    ck_assert_int_eq(load(&m, "@section lexicon\n:-)))))))))))))\t2\n", NULL), CXS_OK);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_EMOTICONS), 1);
    ck_assert(compound(m, "ok :-))))))))))))) ok") > 0);
    cxs_model_free(m);
}
END_TEST

/* ---- parse errors --------------------------------------------------------------------------- */

typedef struct err_case {
    const char *name;
    const char *text;
    size_t len; /* 0: strlen */
    size_t line, column;
    const char *msg_part; /* a substring of err.message, or NULL */
} err_case;

static const err_case err_cases[] = {
    {"missing TAB field", "@section lexicon\ngood\n", 0, 2, 1, "fields"},
    {"too many fields", "@section lexicon\ngood\t1\t2\n", 0, 2, 1, "fields"},
    {"valence above range", "@section lexicon\ngood\t1\nbad\t-4.5\n", 0, 3, 5, "valence"},
    {"valence above +4", "@section lexicon\ngood\t4.01\n", 0, 2, 6, "valence"},
    {"valence not a number", "@section lexicon\ngood\t1,5\n", 0, 2, 6, "valence"},
    {"valence empty", "@section lexicon\ngood\t\n", 0, 2, 6, "valence"},
    {"column counts bytes", "@section lexicon\ncaf\xC3\xA9\tfive\n", 0, 2, 7, "valence"},
    {"unknown section", "# c\n@section lexicons\n", 0, 2, 10, "section"},
    {"empty section name", "@section \n", 0, 1, 1, NULL},
    {"unknown directive", "@sections lexicon\n", 0, 1, 1, "directive"},
    {"entry before @section", "\n# comment\ngood\t1\n", 0, 3, 1, "section"},
    {"bad setting name", "@section settings\nalfa\t15\n", 0, 2, 1, "setting"},
    {"setting out of range", "@section settings\nalpha\t0\n", 0, 2, 7, "alpha"},
    {"unknown cue kind", "@section duration_cues\ntook\tlong\n", 0, 2, 6, "process"},
    {"setting not a number", "@section settings\nalpha\tbig\n", 0, 2, 7, "alpha"},
    {"emoticon too long", "@section lexicon\n:-))))))))))))))\t1\n", 0, 2, 1, "emoticon"},
    {"term does not tokenize", "@section lexicon\ngreat job!\t2\n", 0, 2, 1, "tokenize"},
    {"mention term", "@section lexicon\nrocks @bob\t2\n", 0, 2, 1, "tokenize"},
    {"hashtag term", "@section lexicon\ngreat #day\t2\n", 0, 2, 1, "tokenize"},
    {"invalid UTF-8 term", "@section lexicon\ngr\xC3\x28t\t2\n", 0, 2, 1, "UTF-8"},
    {"phrase of 9 words", "@section lexicon\na b c d e f g h i\t1\n", 0, 2, 1, "8 words"},
    {"theme name with a capital", "@section themes\nstaff\tService\n", 0, 2, 7, "theme name"},
    {"theme name too long", "@section themes\nstaff\tabcdefghijabcdefghijabcdefghijab\n", 0, 2,
     7, "theme name"},
    {"theme missing", "@section themes\nstaff\n", 0, 2, 1, "fields"},
    {"unknown channel", "@section channels\non hold\ttelephone\n", 0, 2, 9, "channel"},
    {"unknown intent", "@section intents\nnever again\tleave\n", 0, 2, 13, "intent"},
    {"unknown level", "@section levels\nwow\tgreat\n", 0, 2, 5, "level"},
    /* a wait_context kind is checked one by one in a list: the column is the bad one's */
    {"unknown wait kind", "@section wait_context\ndrove\ttravel\n", 0, 2, 7, "trip"},
    {"unknown second wait kind", "@section wait_context\nlasted\tlifetime-end,lifetime\n", 0,
     2, 21, "lifetime-use"},
    {"empty wait kind", "@section wait_context\nso\tjoin,\n", 0, 2, 9, "join"},
    {"wait kind missing", "@section wait_context\ndrove\n", 0, 2, 1, "fields"},
    {"wait_context phrase", "@section wait_context\ndrove to\ttrip\n", 0, 2, 1, "single word"},
    {"standard out of range", "@section settings\nstandard_phone\t-1\n", 0, 2, 16,
     "standard_phone"},
    {"term with leading space", "@section lexicon\n good\t1\n", 0, 2, 1, NULL},
    {"empty term", "@section lexicon\n\t1\n", 0, 2, 1, NULL},
    {"booster weight zero", "@section boosters\nvery\t0\n", 0, 2, 6, "booster"},
    {"booster weight one", "@section boosters\nvery\t1.0\n", 0, 2, 6, "booster"},
    {"contrastive without after", "@section contrastives\nbut\t0.5\n", 0, 2, 1, "fields"},
    {"contrastive bad after", "@section contrastives\nbut\t0.5\t9\n", 0, 2, 9, "contrastive"},
    {"contrastive bad fourth field", "@section contrastives\nbut\t0.5\t1.5\tleads\n", 0, 2, 13,
     "lead"},
    {"irrealis out of range", "@section irrealis\nshould have\t-3\n", 0, 2, 13, "irrealis"},
    {"negator with a value", "@section negators\nnot\t1\n", 0, 2, 5, "none"},
    {"sarcasm with a value", "@section sarcasm\nyeah right\t-1\n", 0, 2, 12, "none"},
    {"CRLF lines are counted", "@section lexicon\r\n\r\n# x\r\ngood\t9\r\n", 0, 4, 6, "valence"},
    {"NUL byte in a line", "@section lexicon\ngo\0od\t1\n", 25, 2, 3, "NUL"},
    {"@include in a buffer", "@section lexicon\n@include other.tsv\n", 0, 2, 10, "@include"},
    /* patterns: the column of a bad expression is where PCRE2 found the error */
    {"pattern syntax", "@section patterns\norder (#\\d+\ttheme\tdelivery\n", 0, 2, 12,
     "regular expression"},
    {"pattern matches nothing", "@section patterns\n(?:abc)?\ttheme\tprice\n", 0, 2, 1,
     "empty"},
    {"pattern kind", "@section patterns\n\\$\\d+\ttopic\tprice\n", 0, 2, 7, "kind"},
    {"pattern theme name", "@section patterns\n\\$\\d+\ttheme\tPrice\n", 0, 2, 13,
     "theme name"},
    {"pattern channel", "@section patterns\nhold\\w*\tchannel\tfax\n", 0, 2, 17, "channel"},
    {"pattern without kind", "@section patterns\n\\$\\d+\tprice\n", 0, 2, 1, "fields"},
};

START_TEST(parse_error)
{
    const err_case *c = &err_cases[_i];
    cxs_model *m = (cxs_model *)&m; /* not NULL: the call must reset it */
    cxs_error err;
    memset(&err, 0, sizeof err);
    size_t len = c->len ? c->len : strlen(c->text);
    int rc = cxs_model_load_buffer(&m, c->text, len, "t.model", NULL, &err);
    ck_assert_msg(rc == CXS_EPARSE, "%s: rc %d (%s)", c->name, rc, err.message);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(err.code, CXS_EPARSE);
    ck_assert_str_eq(err.source, "t.model");
    ck_assert_msg(err.line == c->line && err.column == c->column,
                  "%s: at %zu:%zu, want %zu:%zu (%s)", c->name, err.line, err.column, c->line,
                  c->column, err.message);
    ck_assert_uint_eq(err.offset, 0);
    ck_assert(memchr(err.message, '\0', sizeof err.message) != NULL);
    ck_assert(err.message[0] != '\0');
    if (c->msg_part)
        ck_assert_msg(strstr(err.message, c->msg_part) != NULL, "%s: message '%s' lacks '%s'",
                      c->name, err.message, c->msg_part);
    /* NULL name: the source is "<buffer>" */
    rc = cxs_model_load_buffer(&m, c->text, len, NULL, NULL, &err);
    ck_assert_int_eq(rc, CXS_EPARSE);
    ck_assert_str_eq(err.source, "<buffer>");
    /* and without an error struct the status is the same */
    ck_assert_int_eq(cxs_model_load_buffer(&m, c->text, len, NULL, NULL, NULL), CXS_EPARSE);
}
END_TEST

START_TEST(source_directive)
{
    cxs_model *m = NULL;
    cxs_error err;
    /* @source renames the source and restarts the line count */
    const char *t = "@section lexicon\ngood\t1\n@source other.tsv\n@section lexicon\n"
                    "fine\t1\nbad\t9\n";
    ck_assert_int_eq(load(&m, t, &err), CXS_EPARSE);
    ck_assert_str_eq(err.source, "other.tsv");
    ck_assert_uint_eq(err.line, 3);
    ck_assert_uint_eq(err.column, 5);
    /* and resets the section */
    ck_assert_int_eq(load(&m, "@section lexicon\n@source x.tsv\ngood\t1\n", &err), CXS_EPARSE);
    ck_assert_str_eq(err.source, "x.tsv");
    ck_assert_uint_eq(err.line, 1);
    /* a long @source name is truncated, still NUL-terminated */
    char longsrc[200] = "@source ";
    memset(longsrc + 8, 'n', 100);
    strcpy(longsrc + 108, "\ngood\t1\n");
    ck_assert_int_eq(load(&m, longsrc, &err), CXS_EPARSE);
    ck_assert_uint_eq(strlen(err.source), sizeof err.source - 1);
    ck_assert_uint_eq(err.line, 1);
}
END_TEST

/* The built-in default model loads, is consistent and knows the basics. */
START_TEST(default_model)
{
    cxs_model *m = NULL;
    cxs_error err;
    ck_assert_int_eq(cxs_model_load_default(&m, NULL, &err), CXS_OK);
    size_t lex = cxs_model_count(m, CXS_COUNT_LEXICON);
    ck_assert_uint_gt(lex, 1000);
    ck_assert_uint_eq(lex, cxs_model_count(m, CXS_COUNT_WORDS) +
                               cxs_model_count(m, CXS_COUNT_PHRASES) +
                               cxs_model_count(m, CXS_COUNT_EMOJI) +
                               cxs_model_count(m, CXS_COUNT_EMOTICONS));
    for (int k = CXS_COUNT_WORDS; k <= CXS_COUNT_MARKERS; k++)
        ck_assert_msg(cxs_model_count(m, (cxs_count)k) > 0, "count %d is 0", k);
    ck_assert(lookup(m, "good") > 0);
    ck_assert(lookup(m, "terrible") < 0);
    ck_assert(lookup(m, "fed up") < 0);
    ck_assert(lookup(m, "\xE2\x9D\xA4\xEF\xB8\x8F") > 0); /* ❤️ */
    ck_assert(lookup(m, ":)") > 0);
    ck_assert(isnan(lookup(m, "not"))); /* a negator has no valence */
    cxs_model_free(m);
}
END_TEST

/* ---- files and @include --------------------------------------------------------------------- */

static char tmpdir[256];

static void write_file(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    fclose(f);
}

static void remove_file(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    unlink(path);
}

static const char *const tmp_files[] = {
    "main.model", "lex.tsv", "rules/neg.tsv", "rules/boost.tsv", "bad.model", "broken.tsv",
    "missing.model", "cycle.model", "noscope.model", "nosection.tsv", "override.tsv",
    "override-inc.tsv", "rules/extra.tsv"};

static void files_setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/cxs-model-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    char sub[300];
    snprintf(sub, sizeof sub, "%s/rules", tmpdir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
}

static void files_teardown(void)
{
    for (size_t i = 0; i < sizeof tmp_files / sizeof *tmp_files; i++)
        remove_file(tmp_files[i]);
    char sub[300];
    snprintf(sub, sizeof sub, "%s/rules", tmpdir);
    rmdir(sub);
    rmdir(tmpdir);
}

static char *path_of(const char *rel)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    return path;
}

START_TEST(include_from_file)
{
    write_file("main.model", "# top\n"
                             "@section lexicon\n"
                             "great\t3\n"
                             "@include rules/neg.tsv\n"
                             "fine\t1\n" /* the section of the including file goes on */
                             "@include lex.tsv\n");
    write_file("rules/neg.tsv", "@section negators\nnot\n@include boost.tsv\n");
    write_file("rules/boost.tsv", "@section boosters\nvery\t0.3\n"); /* relative to rules/ */
    write_file("lex.tsv", "@section lexicon\ngood\t2\n");
    cxs_model *m = NULL;
    cxs_error err;
    memset(&err, 0, sizeof err);
    ck_assert_msg(cxs_model_load(&m, path_of("main.model"), NULL, &err) == CXS_OK, "%s:%zu: %s",
                  err.source, err.line, err.message);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_LEXICON), 3);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_NEGATORS), 1);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_BOOSTERS), 1);
    assert_close(lookup(m, "fine"), 1.0);
    ck_assert(compound(m, "not very good") < 0);
    cxs_model_free(m);
}
END_TEST

START_TEST(include_errors)
{
    cxs_model *m = NULL;
    cxs_error err;
    /* an error inside an included file names that file and its line */
    write_file("bad.model", "@section lexicon\ngood\t2\n@include broken.tsv\n");
    write_file("broken.tsv", "@section lexicon\nok\t1\n\nnope\t7\n");
    ck_assert_int_eq(cxs_model_load(&m, path_of("bad.model"), NULL, &err), CXS_EPARSE);
    ck_assert_ptr_null(m);
    ck_assert_str_eq(err.source, "broken.tsv");
    ck_assert_uint_eq(err.line, 4);
    ck_assert_uint_eq(err.column, 6);
    /* a missing include: CXS_EIO at the @include line of the including file */
    write_file("missing.model", "@section lexicon\ngood\t2\n@include nowhere.tsv\n");
    ck_assert_int_eq(cxs_model_load(&m, path_of("missing.model"), NULL, &err), CXS_EIO);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(err.code, CXS_EIO);
    ck_assert_str_eq(err.source, "missing.model");
    ck_assert_uint_eq(err.line, 3);
    /* a cycle ends with an error, not a crash */
    write_file("cycle.model", "@section lexicon\ngood\t2\n@include cycle.model\n");
    ck_assert_int_eq(cxs_model_load(&m, path_of("cycle.model"), NULL, &err), CXS_EPARSE);
    ck_assert_ptr_null(m);
    ck_assert_str_eq(err.source, "cycle.model");
    ck_assert_uint_eq(err.line, 3);
    /* an included file starts without a section */
    write_file("noscope.model", "@section lexicon\n@include nosection.tsv\n");
    write_file("nosection.tsv", "good\t2\n");
    ck_assert_int_eq(cxs_model_load(&m, path_of("noscope.model"), NULL, &err), CXS_EPARSE);
    ck_assert_str_eq(err.source, "nosection.tsv");
    ck_assert_uint_eq(err.line, 1);
    /* a file that does not exist */
    ck_assert_int_eq(cxs_model_load(&m, path_of("does-not-exist.model"), NULL, &err), CXS_EIO);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(err.code, CXS_EIO);
    /* a directory is not a model */
    int rc = cxs_model_load(&m, tmpdir, NULL, &err);
    ck_assert(rc == CXS_EIO || rc == CXS_EPARSE);
    ck_assert_ptr_null(m);
}
END_TEST

/* ---- merging -------------------------------------------------------------------------------- */

static const char base_model[] = "@section lexicon\ngood\t2\nbad\t-2\nfed up\t-2.5\n"
                                 "@section negators\nnot\n";

START_TEST(merge_buffer_override)
{
    cxs_model *base = NULL, *m = NULL;
    ck_assert_int_eq(load(&base, base_model, NULL), CXS_OK);
    double base_not_good = compound(base, "not good");
    const char *ov = "@section lexicon\n"
                     "good\t-1\n"       /* replaces */
                     "bad\tnone\n"      /* removes */
                     "fed up\tnone\n"   /* removes a phrase */
                     "new word\t1.5\n"  /* adds a phrase */
                     "@section negators\n"
                     "not\tnone\n"
                     "@section settings\n"
                     "alpha\t4\n";
    cxs_error err;
    ck_assert_int_eq(cxs_model_merge_buffer(&m, base, ov, strlen(ov), "ov.tsv", &err), CXS_OK);
    /* merged */
    assert_close(lookup(m, "good"), -1.0);
    ck_assert(isnan(lookup(m, "bad")));
    ck_assert(isnan(lookup(m, "fed up")));
    assert_close(lookup(m, "new word"), 1.5);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_LEXICON), 2);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_PHRASES), 1);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_NEGATORS), 0);
    ck_assert(compound(m, "bad") == 0);
    ck_assert(compound(m, "I am fed up") == 0);
    assert_close(compound(m, "good"), -1.0 / sqrt(5.0)); /* alpha 4 */
    assert_close(compound(m, "not good"), compound(m, "good")); /* "not" no longer negates */
    /* the base is unchanged */
    assert_close(lookup(base, "good"), 2.0);
    assert_close(lookup(base, "bad"), -2.0);
    assert_close(lookup(base, "fed up"), -2.5);
    ck_assert(isnan(lookup(base, "new word")));
    ck_assert_uint_eq(cxs_model_count(base, CXS_COUNT_LEXICON), 3);
    ck_assert_uint_eq(cxs_model_count(base, CXS_COUNT_NEGATORS), 1);
    assert_close(compound(base, "good"), 2.0 / sqrt(19.0));
    assert_close(compound(base, "not good"), base_not_good);
    /* the merged model outlives its base */
    cxs_model_free(base);
    assert_close(lookup(m, "new word"), 1.5);
    ck_assert(compound(m, "new word") > 0);
    cxs_model_free(m);
}
END_TEST

START_TEST(merge_errors)
{
    cxs_model *base = NULL, *m = (cxs_model *)&m;
    cxs_error err;
    ck_assert_int_eq(load(&base, base_model, NULL), CXS_OK);
    const char *ov = "@section lexicon\ngood\t3\nbad\t-9\n";
    ck_assert_int_eq(cxs_model_merge_buffer(&m, base, ov, strlen(ov), "ov.tsv", &err),
                     CXS_EPARSE);
    ck_assert_ptr_null(m);
    ck_assert_str_eq(err.source, "ov.tsv");
    ck_assert_uint_eq(err.line, 3);
    ck_assert_uint_eq(err.column, 5);
    assert_close(lookup(base, "good"), 2.0); /* the good line did not leak into the base */
    /* @include is rejected in an override buffer */
    ov = "@include x.tsv\n";
    ck_assert_int_eq(cxs_model_merge_buffer(&m, base, ov, strlen(ov), NULL, &err), CXS_EPARSE);
    ck_assert_str_eq(err.source, "<buffer>");
    /* a missing override file */
    ck_assert_int_eq(cxs_model_merge(&m, base, "/nonexistent/cxs/override.tsv", &err), CXS_EIO);
    ck_assert_ptr_null(m);
    cxs_model_free(base);
}
END_TEST

START_TEST(merge_file_with_include)
{
    cxs_model *base = NULL, *m = NULL;
    cxs_error err;
    ck_assert_int_eq(load(&base, base_model, NULL), CXS_OK);
    write_file("override.tsv", "@section lexicon\ngood\t3.5\n@include rules/extra.tsv\n");
    write_file("rules/extra.tsv", "@section boosters\nvery\t0.3\n");
    ck_assert_int_eq(cxs_model_merge(&m, base, path_of("override.tsv"), &err), CXS_OK);
    assert_close(lookup(m, "good"), 3.5);
    ck_assert_uint_eq(cxs_model_count(m, CXS_COUNT_BOOSTERS), 1);
    ck_assert_uint_eq(cxs_model_count(base, CXS_COUNT_BOOSTERS), 0);
    ck_assert(compound(m, "very good") > compound(m, "good"));
    /* an error in an override file names it */
    write_file("override-inc.tsv", "@section lexicon\nbad\tworse\n");
    cxs_model *m2 = NULL;
    ck_assert_int_eq(cxs_model_merge(&m2, m, path_of("override-inc.tsv"), &err), CXS_EPARSE);
    ck_assert_str_eq(err.source, "override-inc.tsv");
    ck_assert_uint_eq(err.line, 2);
    ck_assert_ptr_null(m2);
    cxs_model_free(m);
    cxs_model_free(base);
}
END_TEST

/* ---- lookups ------------------------------------------------------------------------------- */

typedef struct lookup_case {
    const char *term;
    int found;
    double valence;
} lookup_case;

static const lookup_case lookup_cases[] = {
    {"good", 1, 2.0},
    {"GOOD", 1, 2.0},
    {"Good", 1, 2.0},
    {"don't care", 1, -1.0},
    {"Don\xE2\x80\x99t Care", 1, -1.0},    /* curly apostrophe, capitals */
    {"don\xE2\x80\x98t care", 1, -1.0},    /* U+2018 too */
    {"fed up", 1, -2.5},
    {"FED UP", 1, -2.5},
    {"fed", 0, 0},                         /* a phrase prefix has no valence */
    {"\xE2\x9D\xA4", 1, 3.0},              /* ❤ */
    {"\xE2\x9D\xA4\xEF\xB8\x8F", 1, 3.0},  /* ❤️ */
    {"\xF0\x9F\x91\x8D", 1, 1.5},          /* 👍 */
    {"\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", 1, 1.5}, /* 👍🏽 */
    {":)", 1, 1.5},
    {"not", 0, 0},                         /* negator only */
    {"very", 0, 0},                        /* booster only */
    {"excellent", 0, 0},                   /* unknown */
    {"", 0, 0},
    {"gr\xFF" "eat", 0, 0},                /* invalid UTF-8 */
};

START_TEST(lookup_normalises)
{
    const lookup_case *c = &lookup_cases[_i];
    cxs_model *m = NULL;
    ck_assert_int_eq(load(&m, full_model, NULL), CXS_OK);
    double v = -99;
    int rc = cxs_model_lookup(&v, m, c->term, strlen(c->term));
    ck_assert_msg(rc == c->found, "lookup '%s': %d, want %d", c->term, rc, c->found);
    if (c->found)
        assert_close(v, c->valence);
    else
        ck_assert(v == -99); /* untouched */
    cxs_model_free(m);
}
END_TEST

START_TEST(lookup_edges)
{
    cxs_model *m = NULL;
    ck_assert_int_eq(load(&m, full_model, NULL), CXS_OK);
    double v;
    /* len is honoured: "goodness" cut to "good" */
    ck_assert_int_eq(cxs_model_lookup(&v, m, "goodness", 4), 1);
    assert_close(v, 2.0);
    ck_assert_int_eq(cxs_model_lookup(&v, m, "goodness", 8), 0);
    ck_assert_int_eq(cxs_model_lookup(&v, NULL, "good", 4), CXS_EINVAL);
    ck_assert_int_eq(cxs_model_lookup(&v, m, NULL, 4), CXS_EINVAL);
    ck_assert_int_eq(cxs_model_lookup(&v, m, NULL, 0), 0);
    cxs_model_free(m);
}
END_TEST

static Suite *model_suite(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("load");
    tcase_add_test(tc, every_section_counts);
    tcase_add_test(tc, process_cue_weighs_wait_process);
    tcase_add_test(tc, every_section_behaviour);
    tcase_add_test(tc, settings_change_rules);
    tcase_add_test(tc, load_details);
    tcase_add_test(tc, default_model);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_loop_test(tc, parse_error, 0, (int)(sizeof err_cases / sizeof *err_cases));
    tcase_add_test(tc, source_directive);
    suite_add_tcase(s, tc);

    tc = tcase_create("files");
    tcase_add_checked_fixture(tc, files_setup, files_teardown);
    tcase_add_test(tc, include_from_file);
    tcase_add_test(tc, include_errors);
    tcase_add_test(tc, merge_file_with_include);
    suite_add_tcase(s, tc);

    tc = tcase_create("merge");
    tcase_add_test(tc, merge_buffer_override);
    tcase_add_test(tc, merge_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("lookup");
    tcase_add_loop_test(tc, lookup_normalises, 0,
                        (int)(sizeof lookup_cases / sizeof *lookup_cases));
    tcase_add_test(tc, lookup_edges);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(model_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
