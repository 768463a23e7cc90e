/* SPDX-License-Identifier: MIT */
/*
 * Allocation wrappers. All of libbienphong allocates through these so that
 * a test can make the Nth allocation fail and check the error paths.
 */
#ifndef BIENPHONG_ALLOC_H
#define BIENPHONG_ALLOC_H

#include <stddef.h>

/** malloc(); NULL on failure (or on an injected failure). */
void *bp_malloc(size_t size);
/** calloc() with overflow check of `n * size`; NULL on failure. */
void *bp_calloc(size_t n, size_t size);
/** realloc(); on failure returns NULL and leaves `p` untouched. */
void *bp_realloc(void *p, size_t size);
/** realloc() of an array of `n` items of `size` bytes, overflow-checked. */
void *bp_reallocarray(void *p, size_t n, size_t size);
/** free(); bp_free(NULL) is a no-op. */
void bp_free(void *p);
/** strdup() through bp_malloc; NULL for NULL or on failure. */
char *bp_strdup(const char *s);
/** strndup() through bp_malloc. */
char *bp_strndup(const char *s, size_t n);

/**
 * For tests: make the allocation after `n` more successful ones fail, and
 * every one after it too when `sticky`. `n < 0` turns injection off.
 * Not thread-safe; affects the whole process.
 */
void bp_alloc_fail_after(long n, int sticky);
/** For tests: how many allocations failed by injection since last reset. */
long bp_alloc_injected_failures(void);

#endif
