/* SPDX-License-Identifier: MIT */
/*
 * Internal pieces of the exchange module: a string-keyed hash map for the
 * in-memory lookups an import builds before reading rows, and a
 * diacritic-insensitive key fold for matching names and headers.
 */
#ifndef BP_EXCHANGE_INT_H
#define BP_EXCHANGE_INT_H

#include <stddef.h>

#include "bienphong/buf.h"

/* Value stored for a key given to several records. */
#define BP__XMAP_AMBIGUOUS (-2L)

/* Open-addressing map from strings (copied) to non-negative longs. */
struct bp__xmap {
    char **keys;
    long *vals;
    size_t cap; /* power of two, or 0 */
    size_t n;
};

void bp__xmap_init(struct bp__xmap *m);
void bp__xmap_release(struct bp__xmap *m);
/* Insert `key` -> `val`. A key already present with another value becomes
 * BP__XMAP_AMBIGUOUS. 0 or BP_ENOMEM. */
int bp__xmap_put(struct bp__xmap *m, const char *key, long val);
/* Insert or overwrite. 0 or BP_ENOMEM. */
int bp__xmap_set(struct bp__xmap *m, const char *key, long val);
/* The value of `key`, or -1 when absent (BP__XMAP_AMBIGUOUS when shared). */
long bp__xmap_get(const struct bp__xmap *m, const char *key);

/* Fold `s` for comparison: Vietnamese diacritics removed (đ -> d),
 * lower case, runs of spaces, '_' and '-' made one space, trimmed.
 * Replaces the contents of `out`. 0 or BP_ENOMEM. */
int bp__exchange_fold(const char *s, struct bp_buf *out);

/* Append `s` as a CSV field (quoted when needed) / a JSON string. */
int bp__csv_field(struct bp_buf *b, const char *s);
int bp__json_string(struct bp_buf *b, const char *s);

#endif
