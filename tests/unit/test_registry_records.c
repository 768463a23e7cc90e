/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the registry's record values: UUIDs, marker keys, enum
 * names and parsing, citizen IDs, the "active on a day" rule and the
 * release functions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bienphong/alloc.h"
#include "bienphong/registry.h"

static void test_uuid_make(void **state)
{
    bp_uuid a, b;
    int i;

    (void)state;
    for (i = 0; i < 100; i++) {
        assert_int_equal(bp_uuid_make(a), 0);
        assert_int_equal(strlen(a), BP_UUID_LEN);
        if (!bp_uuid_valid(a))
            fail_msg("made '%s', not a valid UUID", a);
        /* Version 4, RFC 4122 variant. */
        assert_int_equal(a[14], '4');
        assert_non_null(strchr("89ab", a[19]));
        assert_int_equal(bp_uuid_make(b), 0);
        if (!strcmp(a, b))
            fail_msg("two UUIDs are equal: '%s'", a);
    }
}

static void test_uuid_valid(void **state)
{
    static const struct {
        const char *s;
        int valid;
    } cases[] = {
        {"0f8fad5b-d9cb-469f-a165-70867728950e", 1},
        {"0F8FAD5B-D9CB-469F-A165-70867728950E", 1},
        {"0f8fad5b-d9cb-469f-a165-70867728950", 0},   /* short */
        {"0f8fad5b-d9cb-469f-a165-70867728950ee", 0}, /* long */
        {"0f8fad5bd-9cb-469f-a165-70867728950e", 0},  /* dash moved */
        {"0f8fad5b-d9cb-469f-a165-70867728950g", 0},  /* not hex */
        {"", 0},
        {NULL, 0},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (bp_uuid_valid(cases[i].s) != cases[i].valid)
            fail_msg("bp_uuid_valid('%s') is %d, want %d",
                     cases[i].s ? cases[i].s : "(null)",
                     bp_uuid_valid(cases[i].s), cases[i].valid);
}

static void test_marker_key(void **state)
{
    static const struct {
        const char *in, *want; /* want NULL: BP_EINVAL */
    } cases[] = {
        {"1116", "1116"},
        {"1116/1", "1116/1"},
        {"1117(2)", "1117(2)"},
        {"1117/2", "1117/2"},
        {"Mốc 1116", "1116"},
        {"MỐC 1116", "1116"},
        {"moc 0962", "962"},
        {"Moc 0962", "962"},
        {"mốc số 12", "12"},
        {"Cột mốc 1116/01", "1116/1"},
        {"M.1116", "1116"},
        {"M1116", "1116"},
        {" 1117 (2) ", "1117(2)"},
        {"1116A", "1116a"},
        {"0", "0"},
        {"000", "0"},
        {"", NULL},
        {"mốc", NULL},
        {"moc ", NULL},
        {"abc", NULL},
        {"11#6", NULL},
    };
    char out[32];
    size_t i;
    int rc;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rc = bp_marker_key(cases[i].in, out, sizeof(out));
        if (!cases[i].want) {
            if (rc != BP_EINVAL)
                fail_msg("key of '%s': rc %d, want BP_EINVAL", cases[i].in,
                         rc);
            continue;
        }
        if (rc != 0 || strcmp(out, cases[i].want))
            fail_msg("key of '%s' is '%s' (rc %d), want '%s'", cases[i].in,
                     rc ? "" : out, rc, cases[i].want);
    }
    assert_int_equal(bp_marker_key(NULL, out, sizeof(out)), BP_EINVAL);
    /* Too small a buffer is an error, not a truncated key. */
    assert_int_equal(bp_marker_key("1116", out, 4), BP_EINVAL);
    assert_int_equal(bp_marker_key("1116", out, 5), 0);
    assert_string_equal(out, "1116");
}

static void test_kind_names(void **state)
{
    enum bp_marker_kind mk;
    enum bp_collective_kind ck;
    int k;

    (void)state;
    assert_string_equal(bp_marker_kind_name(BP_MARKER_MAIN), "main");
    assert_string_equal(bp_marker_kind_vi(BP_MARKER_SUB), "mốc phụ");
    assert_string_equal(bp_collective_kind_vi(BP_COLL_SCHOOL), "trường học");
    for (k = BP_MARKER_MAIN; k <= BP_MARKER_TWIN; k++) {
        assert_int_equal(
            bp_marker_kind_parse(bp_marker_kind_name((enum bp_marker_kind)k),
                                 &mk),
            0);
        assert_int_equal(mk, k);
        assert_int_equal(
            bp_marker_kind_parse(bp_marker_kind_vi((enum bp_marker_kind)k),
                                 &mk),
            0);
        assert_int_equal(mk, k);
    }
    for (k = BP_COLL_YOUTH_UNION; k <= BP_COLL_OTHER; k++) {
        assert_int_equal(bp_collective_kind_parse(bp_collective_kind_name(
                                                      (enum bp_collective_kind)k),
                                                  &ck),
                         0);
        assert_int_equal(ck, k);
        assert_int_equal(bp_collective_kind_parse(bp_collective_kind_vi(
                                                      (enum bp_collective_kind)k),
                                                  &ck),
                         0);
        assert_int_equal(ck, k);
    }
    assert_int_equal(bp_marker_kind_parse("Mốc phụ", &mk), 0);
    assert_int_equal(mk, BP_MARKER_SUB);
    assert_int_equal(bp_marker_kind_parse("moc doi", &mk), 0);
    assert_int_equal(mk, BP_MARKER_TWIN);
    assert_int_equal(bp_marker_kind_parse("chính", &mk), 0);
    assert_int_equal(mk, BP_MARKER_MAIN);
    assert_int_equal(bp_collective_kind_parse("Chi đoàn thanh niên", &ck), 0);
    assert_int_equal(ck, BP_COLL_YOUTH_UNION);
    assert_int_equal(bp_collective_kind_parse("TRƯỜNG HỌC", &ck), 0);
    assert_int_equal(ck, BP_COLL_SCHOOL);
    assert_int_equal(bp_collective_kind_parse(" to tu quan ", &ck), 0);
    assert_int_equal(ck, BP_COLL_SELF_MANAGED);
    mk = BP_MARKER_TWIN;
    assert_int_equal(bp_marker_kind_parse("bogus", &mk), BP_EINVAL);
    assert_int_equal(mk, BP_MARKER_TWIN); /* untouched on failure */
    assert_int_equal(bp_collective_kind_parse(NULL, &ck), BP_EINVAL);
    assert_string_equal(bp_marker_kind_name((enum bp_marker_kind)9), "?");
}

static void test_citizen_id(void **state)
{
    (void)state;
    assert_int_equal(bp_citizen_id_check("001203004567"), 0);
    assert_int_equal(bp_citizen_id_check("123456789"), 0);
    assert_int_equal(bp_citizen_id_check("12345678901"), BP_EINVAL);
    assert_int_equal(bp_citizen_id_check("0012030045678"), BP_EINVAL);
    assert_int_equal(bp_citizen_id_check("00120300456a"), BP_EINVAL);
    assert_int_equal(bp_citizen_id_check("001 203 004 567"), BP_EINVAL);
    assert_int_equal(bp_citizen_id_check(""), BP_EINVAL);
    assert_int_equal(bp_citizen_id_check(NULL), BP_EINVAL);
}

static void test_active_on(void **state)
{
    (void)state;
    assert_int_equal(bp_active_on(100, 200, 99), 0);
    assert_int_equal(bp_active_on(100, 200, 100), 1);
    assert_int_equal(bp_active_on(100, 200, 199), 1);
    /* A pledge ends at the start of its end date. */
    assert_int_equal(bp_active_on(100, 200, 200), 0);
    assert_int_equal(bp_active_on(100, BP_DATE_NONE, 100000), 1);
    assert_int_equal(bp_active_on(BP_DATE_NONE, 200, -5000), 1);
}

static void test_release(void **state)
{
    struct bp_custodian c = {0};
    struct bp_commune m = {0};
    struct bp_pledge p = {0};

    (void)state;
    c.name = bp_strdup("Đào Viên");
    c.phone = bp_strdup("0912345678");
    c.citizen_id = bp_strdup("001203004567");
    c.contact = bp_strdup("x");
    bp_custodian_release(&c);
    assert_null(c.name);
    assert_null(c.contact);
    bp_custodian_release(&c); /* twice is harmless */
    m.code = bp_strdup("06061");
    m.name = bp_strdup("Xã Quốc Khánh");
    bp_commune_release(&m);
    assert_null(m.code);
    p.note = bp_strdup("n");
    bp_pledge_release(&p);
    assert_null(p.note);
    bp_pledge_release(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uuid_make),
        cmocka_unit_test(test_uuid_valid),
        cmocka_unit_test(test_marker_key),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_citizen_id),
        cmocka_unit_test(test_active_on),
        cmocka_unit_test(test_release),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
