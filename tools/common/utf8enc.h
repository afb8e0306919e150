/*
 * utf8enc.h — UTF-8 encoding of one code point, for the tools (never installed).
 */
#ifndef CXSENT_TOOLS_UTF8ENC_H
#define CXSENT_TOOLS_UTF8ENC_H

#include <stddef.h>

/* Encode code point cp as UTF-8 into out (4 bytes at most); invalid code points (surrogates,
 * > U+10FFFF, NUL) become U+FFFD. Returns the byte count. */
size_t tool_utf8_encode(unsigned long cp, char out[4]);

#endif
