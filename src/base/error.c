/* SPDX-License-Identifier: MIT */
/*
 * The error-code table's texts and the helpers that fill struct bp_error.
 */
#include <stdio.h>
#include <string.h>

#include "bienphong/error.h"

const char *bp_strerror(int code)
{
    switch (code) {
    case 0:
        return "success";
#define XX(name, value, text)                                                \
    case BP_##name:                                                          \
        return text;
        BP_ERRNO_MAP(XX)
#undef XX
    default:
        return "unknown error";
    }
}

const char *bp_errname(int code)
{
    switch (code) {
    case 0:
        return "OK";
#define XX(name, value, text)                                                \
    case BP_##name:                                                          \
        return "BP_" #name;
        BP_ERRNO_MAP(XX)
#undef XX
    default:
        return "BP_EUNKNOWN";
    }
}

static void copy_str(char *dst, size_t size, const char *src)
{
    if (!src) {
        dst[0] = '\0';
        return;
    }
    snprintf(dst, size, "%s", src);
}

int bp_error_vset_at(struct bp_error *err, int code, const char *file,
                     long row, const char *field, const char *fmt, va_list ap)
{
    if (!err)
        return code;
    err->code = code;
    err->row = row;
    copy_str(err->file, sizeof(err->file), file);
    copy_str(err->field, sizeof(err->field), field);
    if (fmt)
        vsnprintf(err->message, sizeof(err->message), fmt, ap);
    else
        copy_str(err->message, sizeof(err->message), bp_strerror(code));
    return code;
}

int bp_error_set_at(struct bp_error *err, int code, const char *file,
                    long row, const char *field, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    bp_error_vset_at(err, code, file, row, field, fmt, ap);
    va_end(ap);
    return code;
}

int bp_error_set(struct bp_error *err, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    bp_error_vset_at(err, code, NULL, 0, NULL, fmt, ap);
    va_end(ap);
    return code;
}

char *bp_error_format(const struct bp_error *err, char *out, unsigned size)
{
    size_t len = 0;
    int n;

    if (!size)
        return out;
    out[0] = '\0';
    if (!err)
        return out;
#define PUT(...)                                                             \
    do {                                                                     \
        n = snprintf(out + len, size - len, __VA_ARGS__);                    \
        if (n < 0 || (size_t)n >= size - len)                                \
            return out;                                                      \
        len += (size_t)n;                                                    \
    } while (0)
    if (err->file[0])
        PUT("%s: ", err->file);
    if (err->row > 0)
        PUT("row %ld: ", err->row);
    if (err->field[0])
        PUT("field '%s': ", err->field);
    PUT("%s", err->message[0] ? err->message : bp_strerror(err->code));
#undef PUT
    return out;
}
