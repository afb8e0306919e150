/* html.h - HTML fragment to plain UTF-8 text. */
#ifndef CXSENT_FETCH_HTML_H
#define CXSENT_FETCH_HTML_H

#include "util.h"

/* Append the text content of an HTML fragment to out: tags removed, <br>
 * becomes a newline, block elements (<p>, <div>, <li>, ...) a paragraph
 * break, entities decoded, whitespace runs collapsed, ends trimmed.
 * Input bytes that are not UTF-8 are copied as-is (callers pass strings
 * jansson already validated). Returns 0 or -1 on ENOMEM. */
int cxf_html_to_text(const char *in, size_t len, fbuf *out);

#endif
