/* SPDX-License-Identifier: MIT */
/*
 * vi-VN and English number formatting and tolerant decimal parsing.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bienphong/error.h"
#include "bienphong/fmt.h"

static void group(const char *digits, char sep, char *out, size_t size)
{
    size_t n = strlen(digits), o = 0, i;

    for (i = 0; i < n && o + 1 < size; i++) {
        if (i && (n - i) % 3 == 0) {
            out[o++] = sep;
            if (o + 1 >= size)
                break;
        }
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

char *bp_fmt_number(double value, int decimals, enum bp_lang lang, char *out,
                    size_t size)
{
    char raw[64], intpart[96];
    char *dot;
    char thou = lang == BP_LANG_VI ? '.' : ',';
    char dec = lang == BP_LANG_VI ? ',' : '.';
    int neg;

    if (!size)
        return out;
    if (!isfinite(value) || fabs(value) > 1e18) {
        snprintf(out, size, "\u2014");
        return out;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 9)
        decimals = 9;
    snprintf(raw, sizeof(raw), "%.*f", decimals, value);
    neg = raw[0] == '-';
    dot = strchr(raw, '.');
    if (dot)
        *dot = '\0';
    group(raw + neg, thou, intpart, sizeof(intpart));
    /* "-0,000" reads oddly: drop the sign when every digit is zero. */
    if (neg && strspn(raw + 1, "0") == strlen(raw + 1) &&
        (!dot || strspn(dot + 1, "0") == strlen(dot + 1)))
        neg = 0;
    if (dot)
        snprintf(out, size, "%s%s%c%s", neg ? "-" : "", intpart, dec,
                 dot + 1);
    else
        snprintf(out, size, "%s%s", neg ? "-" : "", intpart);
    return out;
}

char *bp_fmt_int(int64_t value, enum bp_lang lang, char *out, size_t size)
{
    char raw[32], grouped[48];
    int neg = value < 0;

    /* Print the magnitude as unsigned so INT64_MIN works. */
    snprintf(raw, sizeof(raw), "%llu",
             neg ? 0ULL - (unsigned long long)value
                 : (unsigned long long)value);
    group(raw, lang == BP_LANG_VI ? '.' : ',', grouped, sizeof(grouped));
    snprintf(out, size, "%s%s", neg ? "-" : "", grouped);
    return out;
}

/*
 * "[+-]digits[.digits]" with at most 15 digits in all, as register files
 * write kilometres and metres, without strtod: the digits make an
 * integer m < 10^15 < 2^53 and the fraction 10^k with k <= 15, both exact
 * doubles, so m / 10^k is one correctly rounded division — the value
 * strtod gives (Clinger's fast path). 0 and *v set, or -1: not this form.
 */
static int decimal_fast(const char *p, double *v)
{
    static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,
                                   1e6, 1e7, 1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15};
    uint64_t m = 0;
    int neg = 0, digits = 0, frac = -1;

    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (++digits > 15)
                return -1;
            m = m * 10 + (uint64_t)(*p - '0');
            if (frac >= 0)
                frac++;
        } else if (*p == '.' && frac < 0) {
            frac = 0;
        } else {
            return -1;
        }
    }
    if (!digits)
        return -1;
    *v = (double)m / pow10[frac > 0 ? frac : 0];
    if (neg)
        *v = -*v;
    return 0;
}

int bp_parse_decimal(const char *s, double *out)
{
    char clean[128];
    const char *p, *end;
    size_t o = 0;
    int ndot = 0, ncomma = 0;
    const char *lastdot = NULL, *lastcomma = NULL;
    char decmark = 0;
    char *stop;
    double v;

    if (!s || !out)
        return BP_EINVAL;
    while (isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    if (end == s || (size_t)(end - s) >= sizeof(clean))
        return BP_EPARSE;
    for (p = s; p < end; p++) {
        if (*p == '.')
            ndot++, lastdot = p;
        else if (*p == ',')
            ncomma++, lastcomma = p;
    }
    if (ndot && ncomma)
        decmark = lastdot > lastcomma ? '.' : ',';
    else if (ndot == 1)
        decmark = '.';
    else if (ncomma == 1)
        decmark = ',';
    /* Several of one kind and none of the other are thousands separators;
     * several of the decimal kind are an error. */
    if ((decmark == '.' && ndot > 1) || (decmark == ',' && ncomma > 1))
        return BP_EPARSE;
    for (p = s; p < end; p++) {
        if (*p == '.' || *p == ',') {
            if (*p == decmark) {
                clean[o++] = '.';
            } else {
                /* A thousands separator has exactly three digits after it. */
                if (!(isdigit((unsigned char)p[1]) &&
                      isdigit((unsigned char)p[2]) &&
                      isdigit((unsigned char)p[3]) &&
                      (p + 4 == end || !isdigit((unsigned char)p[4]))))
                    return BP_EPARSE;
            }
        } else {
            clean[o++] = *p;
        }
    }
    clean[o] = '\0';
    if (!decimal_fast(clean, &v)) {
        *out = v;
        return 0;
    }
    errno = 0;
    v = strtod(clean, &stop);
    if (stop == clean || *stop || errno == ERANGE || !isfinite(v))
        return BP_EPARSE;
    *out = v;
    return 0;
}
