/*
 * header_c99.c — <cxsent.h> as a strict C99 user sees it (headers.c99). Compiled with
 * -std=c99 -pedantic -Werror -Wall -Wextra and more; included twice to check the guard.
 */
#include <cxsent.h>
#include <cxsent.h>

/* Every public type and enum value is usable from C99. */
int header_c99_use(void);
int header_c99_use(void)
{
    cxs_error err;
    cxs_allocator alloc = {0, 0, 0, 0};
    cxs_scores scores = {0.0, 0.0, 0.0, 0.0};
    cxs_term term;
    cxs_model *model = 0;
    cxs_analyzer *an = 0;
    cxs_result *res = 0;
    int codes[] = {CXS_OK, CXS_ENOMEM, CXS_EINVAL, CXS_EIO, CXS_EPARSE, CXS_EUTF8, CXS_EPATTERN,
                   CXS_ELIMIT, CXS_EBUFFER};
    unsigned rules = CXS_RULE_PHRASE | CXS_RULE_EMPHASIS | CXS_JSON_EXPLAIN;
    int params[] = {CXS_PARAM_POS_THRESHOLD, CXS_PARAM_NEG_THRESHOLD, CXS_PARAM_STRICT_UTF8,
                    CXS_PARAM_MAX_TEXT, CXS_LABEL_NEGATIVE, CXS_LABEL_NEUTRAL,
                    CXS_LABEL_POSITIVE, CXS_COUNT_LEXICON, CXS_COUNT_SARCASM};
    (void)err;
    (void)alloc;
    (void)scores;
    (void)term;
    (void)model;
    (void)an;
    (void)res;
    (void)rules;
    return (int)(sizeof codes / sizeof *codes + sizeof params / sizeof *params) +
           (CXS_VERSION_NUMBER > 0);
}
