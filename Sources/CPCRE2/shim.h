#ifndef HANDRAISER_CPCRE2_SHIM_H
#define HANDRAISER_CPCRE2_SHIM_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

// Swift cannot import expression macros; expose the two the wrapper needs.
static inline size_t cpcre2_zero_terminated(void) { return PCRE2_ZERO_TERMINATED; }
static inline size_t cpcre2_unset(void) { return PCRE2_UNSET; }

#endif
