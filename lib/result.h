/*
 * result.h — what the library's other modules read of a result beyond the public accessors.
 */
#ifndef CXS_RESULT_H
#define CXS_RESULT_H

#include "internal.h"

/* The text the result was made from (a NUL-terminated copy), and its length in *len. */
const char *cxs__result_text(const cxs_result *res, size_t *len);

#endif
