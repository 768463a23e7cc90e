/* SPDX-License-Identifier: MIT */
/*
 * Growable NUL-terminated byte buffer.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/buf.h"
#include "bienphong/error.h"

char bp_buf_empty[1];

void bp_buf_init(struct bp_buf *b)
{
    b->data = bp_buf_empty;
    b->len = 0;
    b->cap = 0;
}

void bp_buf_release(struct bp_buf *b)
{
    if (b->cap)
        bp_free(b->data);
    bp_buf_init(b);
}

int bp_buf_grow(struct bp_buf *b, size_t extra)
{
    size_t want, cap;
    char *p;

    if (extra > SIZE_MAX - b->len - 1)
        return BP_ENOMEM;
    want = b->len + extra + 1;
    if (want <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < want)
        cap = cap > SIZE_MAX / 2 ? want : cap * 2;
    p = bp_realloc(b->cap ? b->data : NULL, cap);
    if (!p)
        return BP_ENOMEM;
    if (!b->cap)
        p[0] = '\0';
    b->data = p;
    b->cap = cap;
    return 0;
}

int bp_buf_add(struct bp_buf *b, const void *data, size_t len)
{
    if (!len)
        return 0;
    if (bp_buf_grow(b, len))
        return BP_ENOMEM;
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int bp_buf_adds(struct bp_buf *b, const char *s)
{
    return bp_buf_add(b, s, strlen(s));
}

int bp_buf_addch(struct bp_buf *b, int c)
{
    char ch = (char)c;

    return bp_buf_add(b, &ch, 1);
}

int bp_buf_vaddf(struct bp_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    int n;

    va_copy(cp, ap);
    n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return BP_EINVAL;
    if (bp_buf_grow(b, (size_t)n))
        return BP_ENOMEM;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int bp_buf_addf(struct bp_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = bp_buf_vaddf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void bp_buf_setlen(struct bp_buf *b, size_t len)
{
    if (len >= b->len)
        return;
    b->len = len;
    b->data[len] = '\0';
}

char *bp_buf_take(struct bp_buf *b, size_t *len)
{
    char *r;

    if (len)
        *len = b->len;
    if (b->cap) {
        r = b->data;
    } else {
        r = bp_strdup("");
        if (!r)
            return NULL;
    }
    bp_buf_init(b);
    return r;
}

int bp_buf_read_file(struct bp_buf *b, const char *path)
{
    FILE *f;
    char chunk[65536];
    size_t got;
    int rc = 0;

    f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f)
        return BP_EIO;
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        rc = bp_buf_add(b, chunk, got);
        if (rc)
            break;
    }
    if (!rc && ferror(f))
        rc = BP_EIO;
    if (f != stdin)
        fclose(f);
    return rc;
}
