/* SPDX-License-Identifier: MIT */
/*
 * Allocation wrappers with failure injection for tests of error paths.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bienphong/alloc.h"

static long fail_countdown = -1;
static int fail_sticky;
static long injected;

static int should_fail(void)
{
    if (fail_countdown < 0)
        return 0;
    if (fail_countdown == 0) {
        injected++;
        if (!fail_sticky)
            fail_countdown = -1;
        return 1;
    }
    fail_countdown--;
    return 0;
}

void bp_alloc_fail_after(long n, int sticky)
{
    fail_countdown = n;
    fail_sticky = sticky;
    injected = 0;
}

long bp_alloc_injected_failures(void)
{
    return injected;
}

void *bp_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *bp_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    if (should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *bp_realloc(void *p, size_t size)
{
    if (should_fail())
        return NULL;
    return realloc(p, size ? size : 1);
}

void *bp_reallocarray(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return bp_realloc(p, n * size);
}

void bp_free(void *p)
{
    free(p);
}

char *bp_strndup(const char *s, size_t n)
{
    char *r;
    size_t len = 0;

    if (!s)
        return NULL;
    while (len < n && s[len])
        len++;
    r = bp_malloc(len + 1);
    if (!r)
        return NULL;
    memcpy(r, s, len);
    r[len] = '\0';
    return r;
}

char *bp_strdup(const char *s)
{
    return s ? bp_strndup(s, strlen(s)) : NULL;
}
