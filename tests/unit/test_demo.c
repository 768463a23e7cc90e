/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the demo province: made in a temporary database, its
 * coverage as of 03/03/2024 computed from the stored records must be the
 * figure the province quotes (24 collectives, 885 households, 223,205 of
 * 231,740 km), the movement must grow year by year, the places must hang
 * together, and two runs must make the same province.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/demo.h"
#include "bienphong/registry.h"
#include "bienphong/store.h"

struct tmpdb {
    char dir[64];
    char path[96];
};

static void tmpdb_make(struct tmpdb *t)
{
    snprintf(t->dir, sizeof(t->dir), "/tmp/bp_test_demo_XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof(t->path), "%s/demo.sqlite", t->dir);
}

static void tmpdb_remove(struct tmpdb *t)
{
    char p[128];

    snprintf(p, sizeof(p), "%s-journal", t->path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-wal", t->path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", t->path);
    unlink(p);
    unlink(t->path);
    rmdir(t->dir);
}

/* One demo province, made once for the tests that only read it. */
static struct tmpdb shared_db;
static struct bp_store *shared;
static struct bp_demo_summary shared_sum;
static struct bp_cov_input shared_in;
static struct bp_cov_hold shared_hold;

static int make_demo(struct tmpdb *t, struct bp_store **st,
                     struct bp_demo_summary *sum)
{
    struct bp_error err = {0};
    int rc;

    tmpdb_make(t);
    rc = bp_store_open(t->path, st, &err);
    if (!rc)
        rc = bp_demo_province(*st, sum, &err);
    if (rc)
        fprintf(stderr, "demo: %d %s\n", rc, err.message);
    return rc;
}

static int group_setup(void **state)
{
    struct bp_error err = {0};
    int rc;

    (void)state;
    rc = make_demo(&shared_db, &shared, &shared_sum);
    if (!rc)
        rc = bp_store_cov_load(shared, &shared_in, &shared_hold, &err);
    if (rc)
        fprintf(stderr, "setup: %d %s\n", rc, err.message);
    return rc;
}

static int group_teardown(void **state)
{
    (void)state;
    bp_store_cov_release(&shared_hold);
    bp_store_close(shared);
    tmpdb_remove(&shared_db);
    return 0;
}

static int32_t day(int y, int m, int d)
{
    return bp_date_from_ymd(y, m, d);
}

/* Coverage of the shared province as of `as_of`. */
static void coverage_at(int32_t as_of, struct bp_coverage *cov)
{
    struct bp_error err = {0};
    int rc;

    rc = bp_coverage_compute(&shared_in, as_of, cov, &err);
    if (rc)
        fail_msg("coverage: %d %s", rc, err.message);
}

static void test_headline_as_of_3_march_2024(void **state)
{
    struct bp_coverage cov = {0};

    (void)state;
    coverage_at(day(2024, 3, 3), &cov);
    if (cov.total.collectives != 24 || cov.total.households != 885)
        fail_msg("collectives %zu (want 24), households %zu (want 885)",
                 cov.total.collectives, cov.total.households);
    if (fabs(cov.total.covered_m - 223205.0) > 0.5)
        fail_msg("covered %.6f m, want 223205 +- 0.5", cov.total.covered_m);
    if (fabs(cov.total.length_m - 231740.0) > 0.001)
        fail_msg("length %.6f m, want 231740 +- 0.001", cov.total.length_m);
    assert_int_equal(cov.ncommunes, 21);
    assert_int_equal(cov.nstations, 11);
    bp_coverage_release(&cov);
}

static void test_gaps_and_overlaps(void **state)
{
    const struct bp_cov_input *in = &shared_in;
    struct bp_error err = {0};
    struct bp_gap *gaps = NULL;
    struct bp_overlap *ov = NULL;
    size_t ngaps = 0, nov = 0, i, hh_coll = 0;
    double gap_m = 0.0;

    (void)state;
    assert_int_equal(bp_coverage_gaps(in, day(2024, 3, 3), &gaps, &ngaps, &err),
                     0);
    for (i = 0; i < ngaps; i++)
        gap_m += gaps[i].to_m - gaps[i].from_m;
    if (ngaps < 3 || ngaps > 8 || fabs(gap_m - 8535.0) > 0.5)
        fail_msg("%zu gaps of %.3f m in all; want 3-8 gaps of 8535 m", ngaps,
                 gap_m);
    /* Nobody's pledge and one commune's end: the gap between two
     * communes runs across a commune boundary. */
    {
        int straddles = 0;
        size_t c;

        for (i = 0; i < ngaps; i++)
            for (c = 1; c < in->ncommunes; c++)
                if (gaps[i].from_m < in->communes[c].from_m &&
                    gaps[i].to_m > in->communes[c].from_m)
                    straddles = 1;
        assert_true(straddles);
    }
    assert_int_equal(bp_coverage_overlaps(in, day(2024, 3, 3), &ov, &nov, &err),
                     0);
    for (i = 0; i < nov; i++) {
        size_t k, h = 0, c = 0;

        for (k = 0; k < ov[i].ncustodians; k++) {
            if (in->custodians[ov[i].custodians[k]].kind == BP_HOUSEHOLD)
                h++;
            else
                c++;
        }
        if (h && c)
            hh_coll++;
    }
    /* A collective over households' stretches is the common case. */
    if (nov < 20 || hh_coll < 10)
        fail_msg("%zu overlaps, %zu of a collective and households; want "
                 ">= 20 and >= 10",
                 nov, hh_coll);
    bp_overlaps_free(ov, nov);
    bp_free(gaps);
}

static void test_grows_year_by_year(void **state)
{
    double prev_m = 0.0;
    size_t prev_h = 0, prev_c = 0;
    int y;

    (void)state;
    for (y = 2019; y <= 2024; y++) {
        struct bp_coverage a = {0}, b = {0};

        coverage_at(day(y, 3, 3), &a);
        coverage_at(day(y, 12, 31), &b);
        if (!(a.total.covered_m > prev_m) ||
            !(b.total.covered_m >= a.total.covered_m) ||
            a.total.households <= prev_h || a.total.collectives < prev_c)
            fail_msg("%d: covered %.0f m on 03/03 and %.0f m on 31/12 after "
                     "%.0f m; households %zu after %zu; collectives %zu "
                     "after %zu",
                     y, a.total.covered_m, b.total.covered_m, prev_m,
                     a.total.households, prev_h, a.total.collectives, prev_c);
        prev_m = b.total.covered_m;
        prev_h = b.total.households;
        prev_c = b.total.collectives;
        bp_coverage_release(&a);
        bp_coverage_release(&b);
    }
    {
        struct bp_coverage a = {0}, b = {0};

        coverage_at(day(2020, 3, 3), &a);
        coverage_at(day(2024, 3, 3), &b);
        if (!(a.total.covered_m < b.total.covered_m - 50000.0))
            fail_msg("covered %.0f m in 2020, %.0f m in 2024: want the "
                     "movement to have grown by more than 50 km",
                     a.total.covered_m, b.total.covered_m);
        bp_coverage_release(&a);
        bp_coverage_release(&b);
    }
}

static void test_pledges_ended_and_later(void **state)
{
    struct bp_error err = {0};
    struct bp_pledge *p = NULL;
    size_t np = 0, i, ended = 0, later = 0, on_3_march = 0;
    int32_t d = day(2024, 3, 3);

    (void)state;
    assert_int_equal(bp_store_pledge_list(shared, &p, &np, &err), 0);
    for (i = 0; i < np; i++) {
        int m, dd;

        if (p[i].ended_on != BP_DATE_NONE) {
            assert_true(p[i].ended_on > p[i].signed_on);
            ended++;
        }
        if (p[i].signed_on > d)
            later++;
        bp_date_to_ymd(p[i].signed_on, NULL, &m, &dd);
        on_3_march += m == 3 && dd == 3;
        assert_true(p[i].signed_on >= day(2019, 1, 1));
        assert_true(p[i].signed_on <= day(2024, 12, 31));
        assert_true(p[i].from.measure_m < p[i].to.measure_m);
        assert_non_null(p[i].note);
        assert_non_null(strstr(p[i].note, "giả lập"));
    }
    if (ended < 20 || later < 5 || on_3_march * 3 < np)
        fail_msg("%zu pledges: %zu ended, %zu signed after 03/03/2024, %zu "
                 "on 3 March",
                 np, ended, later, on_3_march);
    bp_store_pledge_list_free(p, np);
}

static int find_station(const struct bp_station *s, size_t n, const char *id)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!strcmp(s[i].id, id))
            return (int)i;
    return -1;
}

static const struct bp_marker *find_marker(const struct bp_marker *m, size_t n,
                                           const char *key)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!strcmp(m[i].key, key))
            return &m[i];
    return NULL;
}

static void test_places(void **state)
{
    struct bp_error err = {0};
    struct bp_station *s = NULL;
    struct bp_commune *c = NULL;
    struct bp_village *v = NULL;
    size_t ns = 0, nc = 0, nv = 0, i, k;
    int per_station[32] = {0};

    (void)state;
    assert_int_equal(bp_store_station_list(shared, &s, &ns, &err), 0);
    assert_int_equal(bp_store_commune_list(shared, &c, &nc, &err), 0);
    assert_int_equal(bp_store_village_list(shared, &v, &nv, &err), 0);
    assert_int_equal(ns, 11);
    assert_int_equal(nc, 21);
    assert_int_equal(shared_sum.stations, ns);
    assert_int_equal(shared_sum.communes, nc);
    assert_int_equal(shared_sum.villages, nv);
    /* The communes tile the line in order, each with a station and
     * villages. */
    if (fabs(c[0].from.measure_m) > 1e-6 ||
        fabs(c[nc - 1].to.measure_m - 231740.0) > 1e-6)
        fail_msg("communes run %.3f..%.3f m, want 0..231740",
                 c[0].from.measure_m, c[nc - 1].to.measure_m);
    for (i = 0; i < nc; i++) {
        int st = find_station(s, ns, c[i].station_id);
        size_t villages = 0;

        if (st < 0)
            fail_msg("commune '%s' has no station", c[i].name);
        per_station[st]++;
        if (i > 0 && fabs(c[i].from.measure_m - c[i - 1].to.measure_m) > 1e-6)
            fail_msg("commune '%s' starts at %.3f m, the one before ends "
                     "at %.3f m",
                     c[i].name, c[i].from.measure_m, c[i - 1].to.measure_m);
        assert_true(c[i].to.measure_m - c[i].from.measure_m > 3000.0);
        if (i > 0)
            assert_true(c[i].from.marker_key[0] != '\0');
        for (k = 0; k < nv; k++)
            villages += !strcmp(v[k].commune_id, c[i].id);
        if (villages < 3)
            fail_msg("commune '%s' has %zu villages", c[i].name, villages);
    }
    for (i = 0; i < ns; i++)
        if (per_station[i] < 1 || per_station[i] > 3)
            fail_msg("station '%s' covers %d communes, want 1-3", s[i].name,
                     per_station[i]);
    assert_string_equal(c[0].district, "Tràng Định");
    assert_string_equal(c[nc - 1].district, "Đình Lập");
    bp_store_station_list_free(s, ns);
    bp_store_commune_list_free(c, nc);
    bp_store_village_list_free(v, nv);
}

/* Marker `key` lies within the commune named `name` (first match). */
static void assert_marker_in(const struct bp_marker *m, size_t nm,
                             const struct bp_commune *c, size_t nc,
                             const char *key, const char *name)
{
    const struct bp_marker *k = find_marker(m, nm, key);
    size_t i;

    assert_non_null(k);
    for (i = 0; i < nc; i++)
        if (!strcmp(c[i].name, name))
            break;
    assert_true(i < nc);
    if (!(k->measure_m >= c[i].from.measure_m &&
          k->measure_m < c[i].to.measure_m))
        fail_msg("marker %s at %.1f m is not in '%s' (%.1f..%.1f m)", key,
                 k->measure_m, name, c[i].from.measure_m, c[i].to.measure_m);
}

static void test_markers(void **state)
{
    struct bp_error err = {0};
    struct bp_marker *m = NULL;
    struct bp_commune *c = NULL;
    size_t nm = 0, nc = 0, i, k, mains = 0, subs = 0, twins = 0;
    double prev = -1.0;

    (void)state;
    assert_int_equal(bp_store_marker_list(shared, &m, &nm, &err), 0);
    assert_int_equal(bp_store_commune_list(shared, &c, &nc, &err), 0);
    if (nm < 380 || nm > 420)
        fail_msg("%zu markers, want about 400", nm);
    assert_int_equal(shared_sum.markers, nm);
    for (i = 0; i < nm; i++) {
        for (k = i + 1; k < nm; k++)
            if (!strcmp(m[i].key, m[k].key))
                fail_msg("marker key '%s' twice", m[i].key);
        if (m[i].kind == BP_MARKER_MAIN) {
            mains++;
            /* Official km in whole metres, rising west to east, and the
             * calibrated measure passes through it. */
            assert_true(isfinite(m[i].official_m));
            assert_true(m[i].official_m == floor(m[i].official_m));
            assert_true(m[i].official_m > prev);
            prev = m[i].official_m;
            if (fabs(m[i].measure_m - m[i].official_m) > 1e-6)
                fail_msg("marker %s: measure %.6f m, official %.0f m",
                         m[i].number, m[i].measure_m, m[i].official_m);
        } else {
            subs += m[i].kind == BP_MARKER_SUB;
            twins += m[i].kind == BP_MARKER_TWIN;
        }
        /* On the ground beside the line, a few metres off. */
        assert_true(fabs(m[i].offset_m) < 40.0);
    }
    assert_int_equal(mains, 1297 - 942 + 1);
    assert_true(subs >= 20 && twins >= 3);
    assert_non_null(find_marker(m, nm, "1116/1"));
    assert_non_null(find_marker(m, nm, "1117(2)"));
    assert_marker_in(m, nm, c, nc, "962", "Xã Quốc Khánh");
    assert_marker_in(m, nm, c, nc, "1116", "Thị trấn Đồng Đăng");
    assert_marker_in(m, nm, c, nc, "1145", "Xã Bảo Lâm");
    assert_marker_in(m, nm, c, nc, "1230", "Xã Tú Mịch");
    bp_store_marker_list_free(m, nm);
    bp_store_commune_list_free(c, nc);
}

static void test_custodians(void **state)
{
    struct bp_error err = {0};
    struct bp_custodian *v = NULL;
    size_t n = 0, i, hh = 0, coll = 0, phones = 0, ids = 0;

    (void)state;
    assert_int_equal(bp_store_custodian_list(shared, &v, &n, &err), 0);
    assert_int_equal(shared_sum.custodians, n);
    for (i = 0; i < n; i++) {
        if (v[i].kind == BP_HOUSEHOLD) {
            hh++;
            assert_true(v[i].members >= 2 && v[i].members <= 8);
            assert_true(v[i].village_id[0] != '\0');
        } else {
            coll++;
            assert_non_null(v[i].contact);
        }
        assert_true(v[i].commune_id[0] != '\0');
        if (v[i].phone) {
            phones++;
            assert_int_equal(strlen(v[i].phone), 10);
            assert_true(v[i].phone[0] == '0');
        }
        if (v[i].citizen_id) {
            ids++;
            assert_int_equal(bp_citizen_id_check(v[i].citizen_id), 0);
            assert_int_equal(strlen(v[i].citizen_id), 12);
            assert_memory_equal(v[i].citizen_id, "020", 3);
        }
    }
    /* More in the registry than active on 03/03/2024: households that
     * left, and those that signed later in 2024. */
    if (hh <= 885 || coll <= 24 || phones < n / 2 || ids < n / 3)
        fail_msg("%zu households, %zu collectives, %zu phones, %zu IDs", hh,
                 coll, phones, ids);
    bp_store_custodian_list_free(v, n);
}

/* A fingerprint of everything stored. */
struct print {
    size_t n[6];
    double sum;
    unsigned long long h;
};

static void mix(struct print *p, const char *s)
{
    for (; s && *s; s++)
        p->h = (p->h ^ (unsigned char)*s) * 1099511628211ULL;
    p->h = (p->h ^ 0xff) * 1099511628211ULL;
}

static void fingerprint(struct bp_store *st, struct print *p)
{
    struct bp_error err = {0};
    struct bp_station *s = NULL;
    struct bp_commune *c = NULL;
    struct bp_village *v = NULL;
    struct bp_marker *m = NULL;
    struct bp_custodian *u = NULL;
    struct bp_pledge *pl = NULL;
    size_t i;

    memset(p, 0, sizeof(*p));
    p->h = 1469598103934665603ULL;
    assert_int_equal(bp_store_station_list(st, &s, &p->n[0], &err), 0);
    assert_int_equal(bp_store_commune_list(st, &c, &p->n[1], &err), 0);
    assert_int_equal(bp_store_village_list(st, &v, &p->n[2], &err), 0);
    assert_int_equal(bp_store_marker_list(st, &m, &p->n[3], &err), 0);
    assert_int_equal(bp_store_custodian_list(st, &u, &p->n[4], &err), 0);
    assert_int_equal(bp_store_pledge_list(st, &pl, &p->n[5], &err), 0);
    for (i = 0; i < p->n[0]; i++)
        mix(p, s[i].id), mix(p, s[i].name);
    for (i = 0; i < p->n[1]; i++)
        mix(p, c[i].name), p->sum += c[i].to.measure_m;
    for (i = 0; i < p->n[2]; i++)
        mix(p, v[i].name);
    for (i = 0; i < p->n[3]; i++)
        mix(p, m[i].key), p->sum += m[i].lon + m[i].lat + m[i].measure_m;
    for (i = 0; i < p->n[4]; i++)
        mix(p, u[i].id), mix(p, u[i].name), mix(p, u[i].phone);
    for (i = 0; i < p->n[5]; i++) {
        mix(p, pl[i].id);
        p->sum += pl[i].from.measure_m + pl[i].to.measure_m + pl[i].signed_on +
                  (pl[i].ended_on != BP_DATE_NONE);
    }
    bp_store_station_list_free(s, p->n[0]);
    bp_store_commune_list_free(c, p->n[1]);
    bp_store_village_list_free(v, p->n[2]);
    bp_store_marker_list_free(m, p->n[3]);
    bp_store_custodian_list_free(u, p->n[4]);
    bp_store_pledge_list_free(pl, p->n[5]);
}

static void test_same_every_time(void **state)
{
    struct tmpdb t;
    struct bp_store *st = NULL;
    struct bp_demo_summary sum = {0};
    struct bp_error err = {0};
    struct print a, b, c;

    (void)state;
    assert_int_equal(make_demo(&t, &st, &sum), 0);
    fingerprint(shared, &a);
    fingerprint(st, &b);
    assert_memory_equal(a.n, b.n, sizeof(a.n));
    if (a.sum != b.sum || a.h != b.h)
        fail_msg("two runs differ: sums %.9f and %.9f, hashes %llx and %llx",
                 a.sum, b.sum, a.h, b.h);
    assert_int_equal(sum.pledges, shared_sum.pledges);
    /* Made again over itself (demo --force): the same records, not a
     * second copy. */
    assert_int_equal(bp_demo_province(st, &sum, &err), 0);
    fingerprint(st, &c);
    assert_memory_equal(a.n, c.n, sizeof(a.n));
    assert_true(a.sum == c.sum && a.h == c.h);
    bp_store_close(st);
    tmpdb_remove(&t);
}

static void test_errors(void **state)
{
    struct bp_error err = {0};
    struct bp_demo_summary sum = {0};

    (void)state;
    assert_int_equal(bp_demo_province(NULL, &sum, &err), BP_EINVAL);
    assert_string_equal(err.message, "bp_demo_province: NULL store");
    assert_int_equal(sum.markers, 0);
}

/* A failure part-way leaves the database as it was. */
static void test_failure_rolls_back(void **state)
{
    struct tmpdb t;
    struct bp_store *st = NULL;
    struct bp_error err = {0};
    struct bp_demo_summary sum = {0};
    struct bp_station s = {0};
    struct bp_station *v = NULL;
    size_t n = 0;
    int rc;

    (void)state;
    tmpdb_make(&t);
    assert_int_equal(bp_store_open(t.path, &st, &err), 0);
    /* Another province's station holds one of the demo's codes. */
    s.code = (char *)"TL";
    s.name = (char *)"Đồn khác";
    s.ended_on = BP_DATE_NONE;
    assert_int_equal(bp_store_station_put(st, &s, &err), 0);
    rc = bp_demo_province(st, &sum, &err);
    assert_int_equal(rc, BP_EEXIST);
    assert_int_equal(bp_store_station_list(st, &v, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].name, "Đồn khác");
    bp_store_station_list_free(v, n);
    {
        struct bp_border_record rec = {0};

        assert_int_equal(bp_store_border_load(st, &rec, &err), BP_ENOTFOUND);
    }
    bp_store_close(st);
    tmpdb_remove(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headline_as_of_3_march_2024),
        cmocka_unit_test(test_gaps_and_overlaps),
        cmocka_unit_test(test_grows_year_by_year),
        cmocka_unit_test(test_pledges_ended_and_later),
        cmocka_unit_test(test_places),
        cmocka_unit_test(test_markers),
        cmocka_unit_test(test_custodians),
        cmocka_unit_test(test_same_every_time),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_failure_rolls_back),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
