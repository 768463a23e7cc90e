/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the campaign's records in the store (issue 5): every kind
 * written and read back field by field, derived fields (labour value, a
 * path's length from its geometry, a light snapped and given its road),
 * and every bad-input case refused with its code and field, nothing
 * written.
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
#include "bienphong/store.h"

struct fx {
    char path[128];
    struct bp_store *st;
    struct bp_error err;
    struct bp_campaign camp;
    struct bp_donor donor;
};

static void remove_db(const char *path)
{
    char p[160];

    remove(path);
    snprintf(p, sizeof(p), "%s-wal", path);
    remove(p);
    snprintf(p, sizeof(p), "%s-shm", path);
    remove(p);
}

#define OK(call)                                                             \
    do {                                                                     \
        int rc_ = (call);                                                    \
        if (rc_)                                                             \
            fail_msg("%s: %s (%d) %s", #call, bp_errname(rc_), rc_,         \
                     f->err.message);                                        \
    } while (0)

#define FAILS(call, code, fld)                                               \
    do {                                                                     \
        int rc_;                                                             \
        memset(&f->err, 0, sizeof(f->err));                                  \
        rc_ = (call);                                                        \
        if (rc_ != (code))                                                   \
            fail_msg("%s: got %s (%s), want %s", #call, bp_errname(rc_),    \
                     f->err.message, bp_errname(code));                      \
        if (strcmp(f->err.field, (fld)))                                     \
            fail_msg("%s: field '%s', want '%s' (%s)", #call, f->err.field, \
                     (fld), f->err.message);                                 \
    } while (0)

#define assert_near(got, want, tol)                                          \
    do {                                                                     \
        double g_ = (got), w_ = (want);                                      \
        if (!(fabs(g_ - w_) <= (tol)))                                       \
            fail_msg("%s is %.6f, want %.6f (tolerance %g)", #got, g_, w_,  \
                     (double)(tol));                                         \
    } while (0)

/* A straight border along lat 22 from lon 106 to 107, 100 km official,
 * marker 1230 at its middle; a campaign and a donor. */
static int setup(void **state)
{
    static int serial;
    struct fx *f = calloc(1, sizeof(*f));
    struct bp_lonlat pts[2] = {{106.0, 22.0}, {107.0, 22.0}};
    struct bp_border_record rec = {0};
    struct bp_marker m = {0};

    if (!f)
        return -1;
    snprintf(f->path, sizeof(f->path),
             "/tmp/bp_test_store_campaign_%ld_%d.sqlite", (long)getpid(),
             serial++);
    remove_db(f->path);
    rec.pts = pts;
    rec.n = 2;
    rec.official_m = 100000;
    m.number = (char *)"1230";
    m.lon = 106.5;
    m.lat = 22.0;
    m.official_m = NAN;
    m.ended_on = BP_DATE_NONE;
    f->camp.name = (char *)"Đợt thử";
    f->camp.starts_on = bp_date_from_ymd(2023, 7, 1);
    f->camp.ends_on = BP_DATE_NONE;
    f->camp.labour_day_vnd = 250000;
    f->donor.name = (char *)"Công ty A";
    f->donor.kind = BP_DONOR_ENTERPRISE;
    if (bp_store_open(f->path, &f->st, &f->err) ||
        bp_store_border_save(f->st, &rec, &f->err) ||
        bp_store_marker_put(f->st, &m, &f->err) ||
        bp_store_campaign_put(f->st, &f->camp, &f->err) ||
        bp_store_donor_put(f->st, &f->donor, &f->err)) {
        fprintf(stderr, "setup: %s\n", f->err.message);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    bp_store_close(f->st);
    remove_db(f->path);
    free(f);
    return 0;
}

static struct bp_road along(double from_m, double to_m)
{
    struct bp_road r = {0};

    r.name = (char *)"Đường tuần tra thử";
    r.kind = BP_ROAD_ALONG;
    r.from.measure_m = from_m;
    r.to.measure_m = to_m;
    r.starts_on = r.finished_on = BP_DATE_NONE;
    return r;
}

static void test_roundtrip(void **state)
{
    struct fx *f = *state;
    struct bp_lonlat geom[3] = {
        {106.5, 22.0}, {106.5, 22.001}, {106.5005, 22.0015}};
    struct bp_road a = along(10000, 12000), p = {0}, *rv = NULL;
    struct bp_road_progress pr = {0}, *pv = NULL;
    struct bp_donation d = {0}, *dv = NULL;
    struct bp_light l = {0}, *lv = NULL;
    struct bp_bamboo b = {0}, *bv = NULL;
    struct bp_award aw = {0}, *av = NULL;
    size_t n = 0, i;
    double want;

    a.budget_vnd = 4200000000LL;
    a.starts_on = bp_date_from_ymd(2023, 8, 20);
    memcpy(a.campaign_id, f->camp.id, sizeof(bp_uuid));
    OK(bp_store_road_put(f->st, &a, &f->err));
    p.name = (char *)"Đường lên mốc 1230";
    p.kind = BP_ROAD_PATH;
    strcpy(p.from.marker_key, "1230");
    p.geom = geom;
    p.ngeom = 3;
    p.starts_on = BP_DATE_NONE;
    p.finished_on = bp_date_from_ymd(2024, 3, 28);
    OK(bp_store_road_put(f->st, &p, &f->err));
    /* The path's length from its geometry; its measure from the marker. */
    want = bp_geo_distance_m(geom[0], geom[1]) +
           bp_geo_distance_m(geom[1], geom[2]);
    assert_near(p.planned_m, want, 1e-6);
    assert_near(p.from.measure_m, 50000, 0.5);
    OK(bp_store_road_list(f->st, &rv, &n, &f->err));
    assert_int_equal(n, 2);
    for (i = 0; i < n; i++) {
        if (rv[i].kind != BP_ROAD_PATH)
            continue;
        assert_string_equal(rv[i].name, "Đường lên mốc 1230");
        assert_int_equal(rv[i].ngeom, 3);
        assert_near(rv[i].geom[2].lon, 106.5005, 1e-8);
        assert_near(rv[i].planned_m, want, 1e-6);
        assert_string_equal(rv[i].from.marker_key, "1230");
        assert_int_equal(rv[i].finished_on, p.finished_on);
        assert_int_equal(rv[i].starts_on, BP_DATE_NONE);
    }
    bp_store_road_list_free(rv, n);

    memcpy(d.campaign_id, f->camp.id, sizeof(bp_uuid));
    memcpy(d.donor_id, f->donor.id, sizeof(bp_uuid));
    memcpy(d.road_id, a.id, sizeof(bp_uuid));
    d.status = BP_RECEIVED;
    d.form = BP_LABOUR;
    d.labour_days = 12.5;
    d.on = bp_date_from_ymd(2023, 10, 1);
    OK(bp_store_donation_put(f->st, &d, &f->err));
    assert_int_equal(d.amount_vnd, 3125000);
    OK(bp_store_donation_list(f->st, &dv, &n, &f->err));
    assert_int_equal(n, 1);
    assert_int_equal(dv[0].amount_vnd, 3125000);
    assert_near(dv[0].labour_days, 12.5, 0);
    assert_string_equal(dv[0].road_id, a.id);
    assert_string_equal(dv[0].fulfils_id, "");
    assert_null(dv[0].receipt_no);
    bp_store_donation_list_free(dv, n);

    memcpy(pr.road_id, a.id, sizeof(bp_uuid));
    pr.from_m = 10000;
    pr.to_m = 10500;
    pr.on = bp_date_from_ymd(2023, 11, 30);
    OK(bp_store_road_progress_put(f->st, &pr, &f->err));
    OK(bp_store_road_progress_list(f->st, &pv, &n, &f->err));
    assert_int_equal(n, 1);
    assert_near(pv[0].to_m, 10500, 0);
    bp_store_road_progress_list_free(pv, n);

    /* A light by lon/lat a little off the line, beside the stretch. */
    l.lon = 106.11;
    l.lat = 22.0005;
    l.kind = BP_LIGHT_SOLAR;
    l.installed_on = bp_date_from_ymd(2024, 3, 1);
    l.working = 1;
    l.funder = (char *)"Tỉnh đoàn";
    OK(bp_store_light_put(f->st, &l, &f->err));
    assert_string_equal(l.road_id, a.id);
    assert_near(l.measure_m, 11000, 5);
    OK(bp_store_light_list(f->st, &lv, &n, &f->err));
    assert_int_equal(n, 1);
    assert_near(lv[0].lon, 106.11, 1e-9);
    assert_string_equal(lv[0].funder, "Tỉnh đoàn");
    bp_store_light_list_free(lv, n);

    strcpy(b.from.marker_key, "1230");
    b.from.offset_m = -300;
    b.to.measure_m = 50400;
    b.clumps = 250;
    b.households = 11;
    b.planted_on = bp_date_from_ymd(2023, 3, 5);
    OK(bp_store_bamboo_put(f->st, &b, &f->err));
    assert_near(b.from.measure_m, 49700, 0.5);
    OK(bp_store_bamboo_list(f->st, &bv, &n, &f->err));
    assert_int_equal(n, 1);
    assert_int_equal(bv[0].clumps, 250);
    assert_int_equal(bv[0].households, 11);
    assert_near(bv[0].from.offset_m, -300, 0);
    bp_store_bamboo_list_free(bv, n);

    /* Marker 1230 re-surveyed 10 km east: the planting's anchored end
     * moves with it, its end by km stays. */
    {
        struct bp_marker m = {0};
        OK(bp_store_marker_get(f->st, "1230", &m, &f->err));
        m.lon = 106.6;
        OK(bp_store_marker_put(f->st, &m, &f->err));
        bp_marker_release(&m);
        b.to.measure_m = 60400;
        OK(bp_store_bamboo_put(f->st, &b, &f->err));
        OK(bp_store_campaign_resurvey(f->st, &f->err));
        OK(bp_store_bamboo_list(f->st, &bv, &n, &f->err));
        assert_near(bv[0].from.measure_m, 59700, 0.5);
        assert_near(bv[0].to.measure_m, 60400, 0);
        bp_store_bamboo_list_free(bv, n);
    }

    aw.recipient_kind = BP_RECIP_COLLECTIVE;
    aw.recipient = (char *)"Chi đoàn thôn Nà Pàn";
    aw.level = BP_AWARD_BK_BORDER_GUARD;
    aw.decision_no = (char *)"123/QĐ-BCH";
    aw.decided_on = bp_date_from_ymd(2023, 12, 20);
    OK(bp_store_award_put(f->st, &aw, &f->err));
    OK(bp_store_award_list(f->st, &av, &n, &f->err));
    assert_int_equal(n, 1);
    assert_int_equal(av[0].level, BP_AWARD_BK_BORDER_GUARD);
    assert_int_equal(av[0].recipient_kind, BP_RECIP_COLLECTIVE);
    assert_string_equal(av[0].decision_no, "123/QĐ-BCH");
    assert_null(av[0].reason);
    bp_store_award_list_free(av, n);
}

static size_t count_expenses(struct fx *f)
{
    struct bp_expense *v = NULL;
    size_t n = 0;

    OK(bp_store_expense_list(f->st, &v, &n, &f->err));
    bp_store_expense_list_free(v, n);
    return n;
}

static void test_bad_money(void **state)
{
    struct fx *f = *state;
    struct bp_donation p = {0}, r = {0};
    struct bp_expense e = {0};

    memcpy(p.campaign_id, f->camp.id, sizeof(bp_uuid));
    memcpy(p.donor_id, f->donor.id, sizeof(bp_uuid));
    p.status = BP_PROMISED;
    p.amount_vnd = 1000000;
    p.on = bp_date_from_ymd(2023, 7, 2);
    r = p;
    OK(bp_store_donation_put(f->st, &p, &f->err));
    r.status = BP_RECEIVED;
    r.amount_vnd = 1000001;
    r.receipt_no = (char *)"PT-1";
    memcpy(r.fulfils_id, p.id, sizeof(bp_uuid));
    FAILS(bp_store_donation_put(f->st, &r, &f->err), BP_ECONFLICT,
          "amount_vnd");
    assert_string_equal(r.id, ""); /* untouched on failure */
    r.amount_vnd = -5;
    FAILS(bp_store_donation_put(f->st, &r, &f->err), BP_ERANGE,
          "amount_vnd");
    r.amount_vnd = 600000;
    OK(bp_store_donation_put(f->st, &r, &f->err));
    /* Cash on hand: 600.000 đ. */
    memcpy(e.campaign_id, f->camp.id, sizeof(bp_uuid));
    e.doc_no = (char *)"PC-1";
    e.on = bp_date_from_ymd(2023, 7, 3);
    e.amount_vnd = 600001;
    FAILS(bp_store_expense_put(f->st, &e, &f->err), BP_ERANGE, "amount_vnd");
    if (!strstr(f->err.message, "expense 'PC-1'"))
        fail_msg("message '%s' does not name the expense", f->err.message);
    e.on = bp_date_from_ymd(2023, 7, 1); /* before the money came */
    e.amount_vnd = 1000;
    FAILS(bp_store_expense_put(f->st, &e, &f->err), BP_ERANGE, "amount_vnd");
    e.amount_vnd = 0;
    FAILS(bp_store_expense_put(f->st, &e, &f->err), BP_ERANGE, "amount_vnd");
    assert_int_equal(count_expenses(f), 0);
    e.on = bp_date_from_ymd(2023, 7, 3);
    e.amount_vnd = 600000;
    OK(bp_store_expense_put(f->st, &e, &f->err));
    /* Updating the same expense does not count it twice. */
    OK(bp_store_expense_put(f->st, &e, &f->err));
    assert_int_equal(count_expenses(f), 1);
}

static void test_bad_places(void **state)
{
    struct fx *f = *state;
    struct bp_road a = along(95000, 101000), p = {0}, *rv = NULL;
    struct bp_road_progress pr = {0};
    struct bp_light l = {0};
    struct bp_bamboo b = {0};
    struct bp_bamboo_check c = {0};
    size_t n = 0;

    FAILS(bp_store_road_put(f->st, &a, &f->err), BP_ERANGE, "to");
    if (!strstr(f->err.message, "outside the border"))
        fail_msg("message: %s", f->err.message);
    a = along(5000, 4000);
    FAILS(bp_store_road_put(f->st, &a, &f->err), BP_ERANGE, "to");
    p.name = (char *)"Đường lên mốc 9999";
    p.kind = BP_ROAD_PATH;
    strcpy(p.from.marker_key, "9999");
    p.planned_m = 100;
    FAILS(bp_store_road_put(f->st, &p, &f->err), BP_ENOTFOUND, "from");
    strcpy(p.from.marker_key, "1230");
    p.planned_m = 0;
    FAILS(bp_store_road_put(f->st, &p, &f->err), BP_EINVAL, "planned_m");
    OK(bp_store_road_list(f->st, &rv, &n, &f->err));
    assert_int_equal(n, 0);
    bp_store_road_list_free(rv, n);

    a = along(10000, 12000);
    OK(bp_store_road_put(f->st, &a, &f->err));
    memcpy(pr.road_id, a.id, sizeof(bp_uuid));
    pr.from_m = 11500;
    pr.to_m = 12500;
    pr.on = 1;
    FAILS(bp_store_road_progress_put(f->st, &pr, &f->err), BP_ERANGE, "to");
    pr.to_m = 11500;
    FAILS(bp_store_road_progress_put(f->st, &pr, &f->err), BP_ERANGE, "to");

    l.lon = l.lat = NAN;
    l.measure_m = 30000;
    l.installed_on = 1;
    FAILS(bp_store_light_put(f->st, &l, &f->err), BP_ERANGE, "position");
    /* Beside the stretch but 1 km off the line. */
    l.lon = 106.11;
    l.lat = 22.01;
    FAILS(bp_store_light_put(f->st, &l, &f->err), BP_ERANGE, "position");
    l.lon = l.lat = NAN;
    l.measure_m = 120000;
    FAILS(bp_store_light_put(f->st, &l, &f->err), BP_ERANGE, "position");

    b.from.measure_m = 1000;
    b.to.measure_m = 2000;
    b.clumps = 0;
    b.planted_on = 1;
    FAILS(bp_store_bamboo_put(f->st, &b, &f->err), BP_ERANGE, "clumps");
    b.clumps = 100;
    OK(bp_store_bamboo_put(f->st, &b, &f->err));
    memcpy(c.bamboo_id, b.id, sizeof(bp_uuid));
    c.on = 2;
    c.alive = 101;
    FAILS(bp_store_bamboo_check_put(f->st, &c, &f->err), BP_ERANGE, "alive");
    c.alive = 90;
    OK(bp_store_bamboo_check_put(f->st, &c, &f->err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_money, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_places, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
