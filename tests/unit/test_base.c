/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the base module: error table, allocation failure
 * injection, buffers, dates and vi-VN number formats.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bienphong/alloc.h"
#include "bienphong/buf.h"
#include "bienphong/date.h"
#include "bienphong/error.h"
#include "bienphong/fmt.h"

static void test_strerror_table(void **state)
{
    (void)state;
    assert_string_equal(bp_strerror(0), "success");
    assert_string_equal(bp_strerror(BP_EINVAL), "invalid argument");
    assert_string_equal(bp_strerror(BP_ENOMEM), "out of memory");
    assert_string_equal(bp_errname(BP_EGEOM), "BP_EGEOM");
    assert_string_equal(bp_strerror(-9999), "unknown error");
}

static void test_error_format(void **state)
{
    struct bp_error err = {0};
    char out[256];
    int rc;

    (void)state;
    rc = bp_error_set_at(&err, BP_EPARSE, "ho.csv", 14, "ngay_ky",
                         "'%s' is not a date", "31/02/2021");
    assert_int_equal(rc, BP_EPARSE);
    assert_int_equal(err.code, BP_EPARSE);
    assert_string_equal(bp_error_format(&err, out, sizeof(out)),
                        "ho.csv: row 14: field 'ngay_ky': '31/02/2021' is "
                        "not a date");
    bp_error_set(&err, BP_EGEOM, "line too short");
    assert_string_equal(bp_error_format(&err, out, sizeof(out)),
                        "line too short");
    assert_int_equal(bp_error_set(NULL, BP_EIO, "x"), BP_EIO);
}

static void test_alloc_injection(void **state)
{
    void *a, *b;

    (void)state;
    bp_alloc_fail_after(1, 0);
    a = bp_malloc(8);
    b = bp_malloc(8);
    assert_non_null(a);
    assert_null(b);
    assert_int_equal(bp_alloc_injected_failures(), 1);
    b = bp_malloc(8); /* not sticky: works again */
    assert_non_null(b);
    bp_free(a);
    bp_free(b);
    bp_alloc_fail_after(-1, 0);
    assert_null(bp_calloc(SIZE_MAX / 2, 4)); /* overflow */
    bp_free(NULL);
}

static void test_buf(void **state)
{
    struct bp_buf b = BP_BUF_INIT;
    char *s;
    size_t len;
    int i;

    (void)state;
    assert_string_equal(b.data, "");
    for (i = 0; i < 1000; i++)
        assert_int_equal(bp_buf_addf(&b, "%d,", i % 10), 0);
    assert_int_equal(b.len, 2000);
    assert_memory_equal(b.data, "0,1,2,", 6);
    bp_buf_setlen(&b, 3);
    assert_string_equal(b.data, "0,1");
    s = bp_buf_take(&b, &len);
    assert_string_equal(s, "0,1");
    assert_int_equal(len, 3);
    assert_int_equal(b.len, 0);
    bp_free(s);
    /* Out of memory leaves the buffer as it was. */
    assert_int_equal(bp_buf_adds(&b, "abc"), 0);
    bp_alloc_fail_after(0, 1);
    assert_int_equal(bp_buf_add(&b, "x", 200), BP_ENOMEM);
    bp_alloc_fail_after(-1, 0);
    assert_string_equal(b.data, "abc");
    bp_buf_release(&b);
}

static void test_date_parse(void **state)
{
    static const struct {
        const char *text;
        int ok, y, m, d;
    } cases[] = {
        {"2024-03-03", 1, 2024, 3, 3},
        {"03/03/2024", 1, 2024, 3, 3},
        {"3/3/2024", 1, 2024, 3, 3},
        {" 29/02/2024 ", 1, 2024, 2, 29},
        {"31/02/2021", 0, 0, 0, 0},
        {"29/02/2023", 0, 0, 0, 0},
        {"2021-13-01", 0, 0, 0, 0},
        {"2024-3-3x", 0, 0, 0, 0},
        {"03/03/24", 0, 0, 0, 0},
        {"", 0, 0, 0, 0},
        {"hôm nay", 0, 0, 0, 0},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int32_t day = 0;
        int rc = bp_date_parse(cases[i].text, &day);
        int y, m, d;

        if (!cases[i].ok) {
            assert_int_equal(rc, BP_EPARSE);
            continue;
        }
        assert_int_equal(rc, 0);
        bp_date_to_ymd(day, &y, &m, &d);
        assert_int_equal(y, cases[i].y);
        assert_int_equal(m, cases[i].m);
        assert_int_equal(d, cases[i].d);
    }
}

static void test_date_roundtrip(void **state)
{
    char a[11], b[11];
    int32_t day;

    (void)state;
    assert_int_equal(bp_date_from_ymd(1970, 1, 1), 0);
    assert_int_equal(bp_date_from_ymd(2000, 3, 1), 11017);
    for (day = -800000; day < 800000; day += 997) {
        int y, m, d;
        bp_date_to_ymd(day, &y, &m, &d);
        assert_int_equal(bp_date_from_ymd(y, m, d), day);
    }
    day = bp_date_from_ymd(2024, 3, 3);
    assert_string_equal(bp_date_format_vi(day, a), "03/03/2024");
    assert_string_equal(bp_date_format_iso(day, b), "2024-03-03");
    /* 2024-03-02T17:00:00Z is midnight on 3 March in Hà Nội. */
    assert_int_equal(bp_date_of_instant(1709398800), day);
    assert_int_equal(bp_date_of_instant(1709398799), day - 1);
}

static void test_fmt_number(void **state)
{
    char s[64];

    (void)state;
    assert_string_equal(bp_fmt_number(223.205, 3, BP_LANG_VI, s, sizeof(s)),
                        "223,205");
    assert_string_equal(bp_fmt_number(1234567.5, 1, BP_LANG_VI, s, sizeof(s)),
                        "1.234.567,5");
    assert_string_equal(bp_fmt_number(1234567.5, 1, BP_LANG_EN, s, sizeof(s)),
                        "1,234,567.5");
    assert_string_equal(bp_fmt_number(-0.0004, 3, BP_LANG_VI, s, sizeof(s)),
                        "0,000");
    assert_string_equal(bp_fmt_number(96.32, 1, BP_LANG_VI, s, sizeof(s)),
                        "96,3");
    assert_string_equal(bp_fmt_int(1250000, BP_LANG_VI, s, sizeof(s)),
                        "1.250.000");
    assert_string_equal(bp_fmt_int(-1000, BP_LANG_EN, s, sizeof(s)), "-1,000");
    assert_string_equal(bp_fmt_int(INT64_MIN, BP_LANG_EN, s, sizeof(s)),
                        "-9,223,372,036,854,775,808");
    assert_string_equal(bp_fmt_int(999, BP_LANG_VI, s, sizeof(s)), "999");
}

static void test_parse_decimal(void **state)
{
    static const struct {
        const char *text;
        int ok;
        double want;
    } cases[] = {
        {"231,740", 1, 231.74},     {"231.740", 1, 231.74},
        {"1.250.000,5", 1, 1250000.5}, {"1,250,000.5", 1, 1250000.5},
        {"-3", 1, -3},              {" 2e3 ", 1, 2000},
        {"0,5", 1, 0.5},            {"1.250.000", 1, 1250000},
        {"1,2,3", 0, 0},            {"abc", 0, 0},
        {"", 0, 0},                 {"12km", 0, 0},
        {"1.25,0", 0, 0},           {"nan", 0, 0},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double v = -1;
        int rc = bp_parse_decimal(cases[i].text, &v);
        if (cases[i].ok) {
            assert_int_equal(rc, 0);
            assert_true(v == cases[i].want);
        } else {
            assert_int_equal(rc, BP_EPARSE);
        }
    }
}

/*
 * Plain decimals take a path without strtod (fmt.c, decimal_fast): every
 * value must still be strtod's, to the bit, on both sides of the 15-digit
 * limit, with and without a fraction, sign or leading zeros.
 */
static void test_parse_decimal_exact(void **state)
{
    uint64_t x = 0x9E3779B97F4A7C15ull;
    char text[40], *p;
    double v, want;
    int i, j, ndig, dot;

    (void)state;
    for (i = 0; i < 200000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        ndig = 1 + (int)(x % 18);
        dot = (int)((x >> 8) % (uint64_t)(ndig + 2)) - 1; /* -1: none */
        p = text;
        if ((x >> 16) % 4 == 0)
            *p++ = (x >> 20) % 2 ? '-' : '+';
        for (j = 0; j < ndig; j++) {
            if (j == dot)
                *p++ = '.';
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            *p++ = (char)('0' + x % 10);
        }
        if (dot == ndig)
            *p++ = '.';
        *p = '\0';
        want = strtod(text, NULL);
        assert_int_equal(bp_parse_decimal(text, &v), 0);
        if (memcmp(&v, &want, sizeof(v)))
            fail_msg("'%s': %.17g, strtod %.17g", text, v, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror_table),
        cmocka_unit_test(test_error_format),
        cmocka_unit_test(test_alloc_injection),
        cmocka_unit_test(test_buf),
        cmocka_unit_test(test_date_parse),
        cmocka_unit_test(test_date_roundtrip),
        cmocka_unit_test(test_fmt_number),
        cmocka_unit_test(test_parse_decimal),
        cmocka_unit_test(test_parse_decimal_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
