/* SPDX-License-Identifier: MIT */
/*
 * Calendar arithmetic on day numbers (Howard Hinnant's civil-from-days
 * algorithms) and the two date spellings users write.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bienphong/date.h"

int32_t bp_date_from_ymd(int year, int month, int day)
{
    int y = year - (month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int mp = (month + 9) % 12;
    int doy = (153 * mp + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return (int32_t)(era * 146097 + doe - 719468);
}

void bp_date_to_ymd(int32_t z, int *year, int *month, int *dayofmonth)
{
    int32_t zz = z + 719468;
    int32_t era = (zz >= 0 ? zz : zz - 146096) / 146097;
    int32_t doe = zz - era * 146097;
    int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int32_t y = yoe + era * 400;
    int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int32_t mp = (5 * doy + 2) / 153;
    int32_t d = doy - (153 * mp + 2) / 5 + 1;
    int32_t m = mp < 10 ? mp + 3 : mp - 9;

    if (year)
        *year = (int)(y + (m <= 2));
    if (month)
        *month = (int)m;
    if (dayofmonth)
        *dayofmonth = (int)d;
}

int bp_date_valid(int year, int month, int day)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30,
                                31, 31, 30, 31, 30, 31};
    int leap;

    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1)
        return 0;
    leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= mdays[month - 1] + (month == 2 && leap);
}

/* Read 1..maxdigits decimal digits. */
static const char *read_int(const char *p, int maxdigits, int *out)
{
    int v = 0, k = 0;

    while (k < maxdigits && isdigit((unsigned char)*p)) {
        v = v * 10 + (*p - '0');
        p++;
        k++;
    }
    if (!k)
        return NULL;
    *out = v;
    return p;
}

int bp_date_parse(const char *s, int32_t *day)
{
    int a, b, c, y, m, d;
    const char *p = s, *start;

    if (!s || !day)
        return BP_EINVAL;
    while (isspace((unsigned char)*p))
        p++;
    start = p;
    p = read_int(p, 4, &a);
    if (!p)
        return BP_EPARSE;
    if (*p == '-') {
        /* yyyy-mm-dd */
        if (p - start != 4)
            return BP_EPARSE;
        p = read_int(p + 1, 2, &b);
        if (!p || *p != '-')
            return BP_EPARSE;
        p = read_int(p + 1, 2, &c);
        if (!p)
            return BP_EPARSE;
        y = a, m = b, d = c;
    } else if (*p == '/') {
        /* dd/mm/yyyy */
        p = read_int(p + 1, 2, &b);
        if (!p || *p != '/')
            return BP_EPARSE;
        {
            const char *q = p + 1;
            p = read_int(q, 4, &c);
            if (!p || p - q != 4)
                return BP_EPARSE;
        }
        d = a, m = b, y = c;
    } else {
        return BP_EPARSE;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p || !bp_date_valid(y, m, d))
        return BP_EPARSE;
    *day = bp_date_from_ymd(y, m, d);
    return 0;
}

/* Write the last `width` decimal digits of `v`, zero-padded. */
static void put_digits(char *out, unsigned v, int width)
{
    while (width-- > 0) {
        out[width] = (char)('0' + v % 10);
        v /= 10;
    }
}

char *bp_date_format_vi(int32_t day, char *out)
{
    int y, m, d;

    bp_date_to_ymd(day, &y, &m, &d);
    put_digits(out, (unsigned)d, 2);
    out[2] = '/';
    put_digits(out + 3, (unsigned)m, 2);
    out[5] = '/';
    put_digits(out + 6, (unsigned)y, 4);
    out[10] = '\0';
    return out;
}

char *bp_date_format_iso(int32_t day, char *out)
{
    int y, m, d;

    bp_date_to_ymd(day, &y, &m, &d);
    put_digits(out, (unsigned)y, 4);
    out[4] = '-';
    put_digits(out + 5, (unsigned)m, 2);
    out[7] = '-';
    put_digits(out + 8, (unsigned)d, 2);
    out[10] = '\0';
    return out;
}

int32_t bp_date_of_instant(int64_t unix_s)
{
    int64_t local = unix_s + BP_LOCAL_UTC_OFFSET_S;
    int64_t days = local / 86400;

    if (local % 86400 < 0)
        days--;
    return (int32_t)days;
}

int32_t bp_date_today(void)
{
    const char *fixed = getenv("BIENPHONG_TODAY");
    int32_t d;

    /* Tests and reproducible runs may pin "today". */
    if (fixed && !bp_date_parse(fixed, &d))
        return d;
    return bp_date_of_instant((int64_t)time(NULL));
}
