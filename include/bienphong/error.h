/* SPDX-License-Identifier: MIT */
/*
 * Error codes of libbienphong and the detail record that goes with them.
 * Every function that can fail returns 0 or a negative BP_E... code; the
 * optional `struct bp_error` carries a message for people, and where it
 * applies the file, row and field the error is about.
 */
#ifndef BIENPHONG_ERROR_H
#define BIENPHONG_ERROR_H

#include <stdarg.h>

/* The one table of error codes. Keep bp_strerror() in step. */
#define BP_ERRNO_MAP(XX)                                                     \
    XX(EINVAL, -1, "invalid argument")                                       \
    XX(ENOMEM, -2, "out of memory")                                          \
    XX(EIO, -3, "input/output error")                                        \
    XX(EPARSE, -4, "malformed input")                                        \
    XX(ENOTFOUND, -5, "not found")                                           \
    XX(EEXIST, -6, "already exists")                                         \
    XX(ERANGE, -7, "value out of range")                                     \
    XX(EGEOM, -8, "invalid geometry")                                        \
    XX(ESTORE, -9, "database error")                                         \
    XX(ECONFLICT, -10, "conflicting records")                                \
    XX(EENCODING, -11, "unsupported or undetectable text encoding")          \
    XX(EPERM, -12, "not permitted")                                          \
    XX(ESCHEMA, -13, "database schema is newer than this program")           \
    XX(EOVERFLOW, -14, "arithmetic overflow")                                \
    XX(EEMPTY, -15, "nothing to work on")

enum bp_errno {
#define XX(name, value, text) BP_##name = (value),
    BP_ERRNO_MAP(XX)
#undef XX
};

/** Text of an error code, in English; never NULL. Thread-safe. */
const char *bp_strerror(int code);

/** The code's symbolic name ("BP_EINVAL"); never NULL. Thread-safe. */
const char *bp_errname(int code);

/**
 * Detail of a failure for people. Zero-initialise before use
 * (`struct bp_error err = {0};`); functions fill it only on failure.
 * `row` is 1-based (0 when not about a row); `file` and `field` are empty
 * strings when they do not apply. Plain storage, nothing to free.
 */
struct bp_error {
    int code;
    long row;
    char file[256];
    char field[64];
    char message[768];
};

/**
 * Fill `err` (may be NULL) with `code` and a printf-style message, clearing
 * file, row and field. Returns `code` so callers can `return bp_error_set(...)`.
 */
int bp_error_set(struct bp_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * Like bp_error_set() but also records where: `file` (NULL when none),
 * `row` (0 when none) and `field` (NULL when none). The message should not
 * repeat them; bp_error_format() puts them in front.
 */
int bp_error_set_at(struct bp_error *err, int code, const char *file,
                    long row, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/** va_list form of bp_error_set_at(). */
int bp_error_vset_at(struct bp_error *err, int code, const char *file,
                     long row, const char *field, const char *fmt,
                     va_list ap) __attribute__((format(printf, 6, 0)));

/**
 * Write "FILE: row N: field 'F': message" (parts that do not apply left
 * out) into `out` of `size` bytes, always NUL-terminated. Returns `out`.
 */
char *bp_error_format(const struct bp_error *err, char *out, unsigned size);

#endif
