/* SPDX-License-Identifier: MIT */
/*
 * A growable byte buffer, always NUL-terminated (git's strbuf is the model).
 *
 *     struct bp_buf b = BP_BUF_INIT;
 *     bp_buf_appendf(&b, "%d km", 231);
 *     puts(b.data);
 *     bp_buf_release(&b);
 *
 * `data` is never NULL after init: an empty buffer points at a static "".
 */
#ifndef BIENPHONG_BUF_H
#define BIENPHONG_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct bp_buf {
    char *data;
    size_t len;
    size_t cap; /* 0 while data points at the static empty string */
};

extern char bp_buf_empty[];
#define BP_BUF_INIT {bp_buf_empty, 0, 0}

/** Initialise caller's storage to the empty buffer. */
void bp_buf_init(struct bp_buf *b);
/** Free the contents; the buffer is empty and reusable afterwards. */
void bp_buf_release(struct bp_buf *b);
/** Make room for `extra` more bytes. 0 or BP_ENOMEM (buffer unchanged). */
int bp_buf_grow(struct bp_buf *b, size_t extra);
/** Append bytes. 0 or BP_ENOMEM (buffer unchanged). */
int bp_buf_add(struct bp_buf *b, const void *data, size_t len);
/** Append a NUL-terminated string. 0 or BP_ENOMEM. */
int bp_buf_adds(struct bp_buf *b, const char *s);
/** Append one byte. 0 or BP_ENOMEM. */
int bp_buf_addch(struct bp_buf *b, int c);
/** Append printf-style. 0 or BP_ENOMEM (buffer unchanged). */
int bp_buf_addf(struct bp_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int bp_buf_vaddf(struct bp_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/** Shorten to `len` bytes (no-op when already shorter). */
void bp_buf_setlen(struct bp_buf *b, size_t len);
/**
 * Move the contents out: returns a heap string (free with bp_free()), or
 * NULL on out of memory; the buffer is left empty.
 */
char *bp_buf_take(struct bp_buf *b, size_t *len);
/** Read a whole file (or stdin for "-") into the buffer. 0, BP_EIO, BP_ENOMEM. */
int bp_buf_read_file(struct bp_buf *b, const char *path);

#endif
