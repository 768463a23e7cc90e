/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the registry records in the store: round trips of every
 * kind, unique codes and keys, unknown references, date and range checks,
 * marker anchors, diacritic-free search, the coverage inputs and the
 * re-survey after a new border line, with calibration by official km.
 * Each test works on its own temporary database under /tmp.
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

static int setup(void **state)
{
    static int serial;
    struct fx *f = calloc(1, sizeof(*f));
    struct bp_error err = {0};

    if (!f)
        return -1;
    snprintf(f->path, sizeof(f->path), "/tmp/bp_test_store_registry_%ld_%d.sqlite",
             (long)getpid(), serial++);
    remove_db(f->path);
    if (bp_store_open(f->path, &f->st, &err)) {
        fprintf(stderr, "open: %s\n", err.message);
        free(f);
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

#define OK(call)                                                             \
    do {                                                                     \
        int rc_ = (call);                                                    \
        if (rc_)                                                             \
            fail_msg("%s: %s (%d) %s", #call, bp_errname(rc_), rc_,         \
                     f->err.message);                                        \
    } while (0)

/* Expect `call` to fail with `code`, naming field `fld` (NULL: any). */
#define FAILS(call, code, fld)                                             \
    do {                                                                     \
        int rc_;                                                             \
        memset(&f->err, 0, sizeof(f->err));                                 \
        rc_ = (call);                                                        \
        if (rc_ != (code))                                                   \
            fail_msg("%s: got %s (%s), want %s", #call, bp_errname(rc_),    \
                     f->err.message, bp_errname(code));                      \
        if ((fld) && strcmp(f->err.field, (fld) ? (fld) : ""))        \
            fail_msg("%s: field '%s', want '%s' (%s)", #call, f->err.field, \
                     (fld) ? (fld) : "", f->err.message);                \
    } while (0)

#define assert_near(got, want, tol)                                          \
    do {                                                                     \
        double g_ = (got), w_ = (want);                                      \
        if (!(fabs(g_ - w_) <= (tol)))                                       \
            fail_msg("%s is %.9f, want %.9f (tolerance %g)", #got, g_, w_,  \
                     (double)(tol));                                         \
    } while (0)

#define assert_contains(s, part)                                             \
    do {                                                                     \
        if (!strstr((s), (part)))                                            \
            fail_msg("'%s' does not contain '%s'", (s), (part));            \
    } while (0)

/* A zigzag line from lon 106.0 to 107.0 near lat 22, west to east. */
#define NV 11
static void line(struct bp_lonlat *pts, double bump_lat)
{
    int i;

    for (i = 0; i < NV; i++) {
        pts[i].lon = 106.0 + 0.1 * i;
        pts[i].lat = 22.0 + (i % 2 ? 0.01 : 0.0);
    }
    pts[3].lat += bump_lat;
}

static void save_line(struct fx *f, const struct bp_lonlat *pts, size_t n,
                      double official_m)
{
    struct bp_border_record rec = {0};

    rec.pts = (struct bp_lonlat *)pts;
    rec.n = n;
    rec.home = BP_HOME_RIGHT;
    rec.official_m = official_m;
    OK(bp_store_border_save(f->st, &rec, &f->err));
}

static void save_border(struct fx *f)
{
    struct bp_lonlat pts[NV];

    line(pts, 0);
    save_line(f, pts, NV, 0);
}

static void put_marker(struct fx *f, const char *number, double lon,
                       double lat, double official_m, struct bp_marker *out)
{
    struct bp_marker m = {0};

    m.number = (char *)number;
    m.kind = BP_MARKER_MAIN;
    m.lon = lon;
    m.lat = lat;
    m.official_m = official_m;
    m.ended_on = BP_DATE_NONE;
    OK(bp_store_marker_put(f->st, &m, &f->err));
    if (out)
        *out = m;
}

static void put_station(struct fx *f, const char *code, const char *name,
                        struct bp_station *out)
{
    struct bp_station s = {0};

    s.code = (char *)code;
    s.name = (char *)name;
    s.ended_on = BP_DATE_NONE;
    OK(bp_store_station_put(f->st, &s, &f->err));
    *out = s;
}

static void put_commune(struct fx *f, const char *code, const char *station,
                        double from_m, double to_m, struct bp_commune *out)
{
    struct bp_commune c = {0};

    c.code = (char *)code;
    c.name = (char *)"Xã Quốc Khánh";
    c.district = (char *)"Tràng Định";
    if (station)
        strcpy(c.station_id, station);
    c.from.measure_m = from_m;
    c.to.measure_m = to_m;
    c.ended_on = BP_DATE_NONE;
    OK(bp_store_commune_put(f->st, &c, &f->err));
    *out = c;
}

static void put_custodian(struct fx *f, enum bp_custodian_kind kind,
                          const char *name, const char *commune,
                          const char *village, struct bp_custodian *out)
{
    struct bp_custodian c = {0};

    c.kind = kind;
    c.name = (char *)name;
    c.collective_kind = BP_COLL_SCHOOL;
    c.members = kind == BP_HOUSEHOLD ? 4 : 0;
    if (commune)
        strcpy(c.commune_id, commune);
    if (village)
        strcpy(c.village_id, village);
    c.ended_on = BP_DATE_NONE;
    OK(bp_store_custodian_put(f->st, &c, &f->err));
    *out = c;
}

static struct bp_pledge pledge_km(const char *custodian, double from_m,
                                  double to_m)
{
    struct bp_pledge p = {0};

    strcpy(p.custodian_id, custodian);
    p.from.measure_m = from_m;
    p.to.measure_m = to_m;
    p.signed_on = bp_date_from_ymd(2021, 3, 3);
    p.ended_on = BP_DATE_NONE;
    return p;
}

static struct bp_pledge pledge_at(const char *custodian, const char *from_key,
                                  double from_off, const char *to_key,
                                  double to_off)
{
    struct bp_pledge p = pledge_km(custodian, 0, 0);

    strcpy(p.from.marker_key, from_key);
    p.from.offset_m = from_off;
    strcpy(p.to.marker_key, to_key);
    p.to.offset_m = to_off;
    return p;
}

static void test_roundtrip(void **state)
{
    struct fx *f = *state;
    struct bp_station s, s2, gs = {0};
    struct bp_commune c, gc = {0};
    struct bp_village v = {0}, gv = {0};
    struct bp_marker m, gm = {0};
    struct bp_custodian h, k, gh = {0};
    struct bp_pledge p, gp = {0};
    struct bp_border *b = NULL;
    struct bp_hit hit;
    struct bp_station *sl = NULL;
    size_t n = 0;

    save_border(f);
    put_station(f, "BN", "Đồn Biên phòng Bình Nghi", &s);
    assert_true(bp_uuid_valid(s.id));
    OK(bp_store_station_get(f->st, s.id, &gs, &f->err));
    assert_string_equal(gs.code, "BN");
    assert_string_equal(gs.name, "Đồn Biên phòng Bình Nghi");
    assert_int_equal(gs.ended_on, BP_DATE_NONE);
    bp_station_release(&gs);
    OK(bp_store_station_get(f->st, "BN", &gs, &f->err));
    assert_string_equal(gs.id, s.id);
    bp_station_release(&gs);

    put_commune(f, "06061", s.id, 1000, 25000, &c);
    OK(bp_store_commune_get(f->st, "06061", &gc, &f->err));
    assert_string_equal(gc.id, c.id);
    assert_string_equal(gc.name, "Xã Quốc Khánh");
    assert_string_equal(gc.district, "Tràng Định");
    assert_string_equal(gc.station_id, s.id);
    assert_near(gc.from.measure_m, 1000, 0);
    assert_near(gc.to.measure_m, 25000, 0);
    assert_string_equal(gc.from.marker_key, "");
    bp_commune_release(&gc);

    v.name = (char *)"Bản Nà Pá";
    strcpy(v.commune_id, c.id);
    v.ended_on = BP_DATE_NONE;
    OK(bp_store_village_put(f->st, &v, &f->err));
    OK(bp_store_village_get(f->st, v.id, &gv, &f->err));
    assert_string_equal(gv.name, "Bản Nà Pá");
    assert_string_equal(gv.commune_id, c.id);
    bp_village_release(&gv);

    put_marker(f, "1117(2)", 106.25, 22.003, NAN, &m);
    assert_string_equal(m.key, "1117(2)");
    OK(bp_store_border_get(f->st, &b, &f->err));
    assert_int_equal(bp_border_project_scan(b, 106.25, 22.003, &hit), 0);
    bp_border_free(b);
    assert_near(m.measure_m, hit.measure_m, 1e-6);
    assert_near(m.offset_m, hit.offset_m, 1e-6);
    OK(bp_store_marker_get(f->st, "Mốc 1117 (2)", &gm, &f->err));
    assert_string_equal(gm.id, m.id);
    assert_string_equal(gm.number, "1117(2)");
    assert_int_equal(gm.kind, BP_MARKER_MAIN);
    assert_near(gm.lon, 106.25, 0);
    assert_near(gm.measure_m, hit.measure_m, 1e-6);
    assert_true(isnan(gm.official_m));
    bp_marker_release(&gm);

    put_custodian(f, BP_HOUSEHOLD, "Đào Viên", NULL, v.id, &h);
    {
        struct bp_custodian x = {0};
        x.kind = BP_HOUSEHOLD;
        x.name = (char *)"Lộc Văn Tài";
        strcpy(x.commune_id, c.id);
        x.phone = (char *)"0912345678";
        x.citizen_id = (char *)"020085001234";
        x.members = 5;
        x.ended_on = BP_DATE_NONE;
        OK(bp_store_custodian_put(f->st, &x, &f->err));
        OK(bp_store_custodian_get(f->st, x.id, &gh, &f->err));
        assert_string_equal(gh.name, "Lộc Văn Tài");
        assert_string_equal(gh.phone, "0912345678");
        assert_string_equal(gh.citizen_id, "020085001234");
        assert_int_equal(gh.members, 5);
        assert_string_equal(gh.village_id, "");
        assert_string_equal(gh.commune_id, c.id);
        bp_custodian_release(&gh);
    }
    put_custodian(f, BP_COLLECTIVE, "Trường PTDTBT Quốc Khánh", c.id, NULL,
                  &k);
    OK(bp_store_custodian_get(f->st, k.id, &gh, &f->err));
    assert_int_equal(gh.kind, BP_COLLECTIVE);
    assert_int_equal(gh.collective_kind, BP_COLL_SCHOOL);
    assert_null(gh.phone);
    bp_custodian_release(&gh);

    p = pledge_km(h.id, 2000, 3500);
    strcpy(p.station_id, s.id);
    p.doc_no = (char *)"12/BB-ĐBP";
    p.note = (char *)"ký tại nhà văn hoá";
    OK(bp_store_pledge_put(f->st, &p, &f->err));
    OK(bp_store_pledge_get(f->st, p.id, &gp, &f->err));
    assert_string_equal(gp.custodian_id, h.id);
    assert_string_equal(gp.station_id, s.id);
    assert_near(gp.from.measure_m, 2000, 0);
    assert_near(gp.to.measure_m, 3500, 0);
    assert_int_equal(gp.signed_on, bp_date_from_ymd(2021, 3, 3));
    assert_int_equal(gp.ended_on, BP_DATE_NONE);
    assert_string_equal(gp.doc_no, "12/BB-ĐBP");
    assert_string_equal(gp.note, "ký tại nhà văn hoá");
    bp_pledge_release(&gp);

    /* An update keeps the id and replaces the fields. */
    s2 = s;
    s2.name = (char *)"Đồn Biên phòng Bình Nghi (mới)";
    OK(bp_store_station_put(f->st, &s2, &f->err));
    assert_string_equal(s2.id, s.id);
    OK(bp_store_station_list(f->st, &sl, &n, &f->err));
    assert_int_equal(n, 1);
    assert_string_equal(sl[0].name, "Đồn Biên phòng Bình Nghi (mới)");
    bp_store_station_list_free(sl, n);

    /* Ending: a pledge cannot end before it was signed. */
    FAILS(bp_store_pledge_end(f->st, p.id, bp_date_from_ymd(2020, 1, 1),
                              &f->err),
          BP_ERANGE, "ended_on");
    OK(bp_store_pledge_end(f->st, p.id, bp_date_from_ymd(2024, 1, 1),
                           &f->err));
    OK(bp_store_pledge_get(f->st, p.id, &gp, &f->err));
    assert_int_equal(gp.ended_on, bp_date_from_ymd(2024, 1, 1));
    bp_pledge_release(&gp);
    FAILS(bp_store_station_end(f->st, "00000000-0000-4000-8000-000000000000",
                               1, &f->err),
          BP_ENOTFOUND, "id");
    FAILS(bp_store_village_get(f->st, "nonsense", &gv, &f->err),
          BP_ENOTFOUND, NULL);
}

static void test_lists_order(void **state)
{
    struct fx *f = *state;
    struct bp_station a, b;
    struct bp_commune c1, c2;
    struct bp_station *sl = NULL;
    struct bp_commune *cl = NULL;
    struct bp_marker *ml = NULL;
    size_t n = 0, i;

    save_border(f);
    put_station(f, "ZZ", "Đồn A", &a);
    put_station(f, "AA", "Đồn B", &b);
    put_commune(f, "2", NULL, 50000, 60000, &c1);
    put_commune(f, "1", NULL, 0, 50000, &c2);
    put_marker(f, "20", 106.75, 22.0, NAN, NULL);
    put_marker(f, "10", 106.15, 22.0, NAN, NULL);
    put_marker(f, "15", 106.45, 22.0, NAN, NULL);
    OK(bp_store_station_list(f->st, &sl, &n, &f->err));
    assert_int_equal(n, 2);
    assert_string_equal(sl[0].name, "Đồn A");
    assert_string_equal(sl[1].name, "Đồn B");
    bp_store_station_list_free(sl, n);
    OK(bp_store_commune_list(f->st, &cl, &n, &f->err));
    assert_int_equal(n, 2);
    assert_string_equal(cl[0].id, c2.id);
    assert_string_equal(cl[1].id, c1.id);
    bp_store_commune_list_free(cl, n);
    OK(bp_store_marker_list(f->st, &ml, &n, &f->err));
    assert_int_equal(n, 3);
    for (i = 1; i < n; i++)
        if (!(ml[i - 1].measure_m < ml[i].measure_m))
            fail_msg("markers out of order: %s at %.3f before %s at %.3f",
                     ml[i - 1].number, ml[i - 1].measure_m, ml[i].number,
                     ml[i].measure_m);
    assert_string_equal(ml[0].number, "10");
    bp_store_marker_list_free(ml, n);
}

static void test_unique(void **state)
{
    struct fx *f = *state;
    struct bp_station s, dup = {0};
    struct bp_commune c, cd = {0};
    struct bp_marker m, md = {0};

    save_border(f);
    put_station(f, "BN", "Bình Nghi", &s);
    dup.code = (char *)"BN";
    dup.name = (char *)"Khác";
    dup.ended_on = BP_DATE_NONE;
    FAILS(bp_store_station_put(f->st, &dup, &f->err), BP_EEXIST, "code");
    assert_contains(f->err.message, "'BN'");
    assert_string_equal(dup.id, ""); /* untouched on failure */

    put_commune(f, "06061", NULL, 0, 1000, &c);
    cd.code = (char *)"06061";
    cd.name = (char *)"Khác";
    cd.ended_on = BP_DATE_NONE;
    FAILS(bp_store_commune_put(f->st, &cd, &f->err), BP_EEXIST, "code");
    assert_contains(f->err.message, "'06061'");

    put_marker(f, "1116", 106.25, 22.0, NAN, &m);
    md.number = (char *)"Mốc 01116";
    md.lon = 106.3;
    md.lat = 22.0;
    md.official_m = NAN;
    md.ended_on = BP_DATE_NONE;
    FAILS(bp_store_marker_put(f->st, &md, &f->err), BP_EEXIST, "number");
    assert_contains(f->err.message, "'1116'");
    /* Once the old marker is ended, its key may be used again. */
    OK(bp_store_marker_end(f->st, m.id, bp_date_from_ymd(2022, 1, 1),
                           &f->err));
    OK(bp_store_marker_put(f->st, &md, &f->err));
    {
        struct bp_marker g = {0};
        OK(bp_store_marker_get(f->st, "1116", &g, &f->err));
        assert_string_equal(g.id, md.id); /* the standing one */
        bp_marker_release(&g);
    }
}

static void test_unknown_refs(void **state)
{
    struct fx *f = *state;
    static const char ghost[] = "11111111-2222-4333-8444-555555555555";
    struct bp_commune c = {0}, c0;
    struct bp_village v = {0};
    struct bp_custodian u = {0}, h;
    struct bp_pledge p;
    struct bp_marker m = {0};

    /* Before any border: markers and pledges cannot be placed. */
    m.number = (char *)"1116";
    m.lon = 106.2;
    m.lat = 22.0;
    m.official_m = NAN;
    m.ended_on = BP_DATE_NONE;
    FAILS(bp_store_marker_put(f->st, &m, &f->err), BP_ENOTFOUND, NULL);
    assert_contains(f->err.message, "import the border first");

    c.code = (char *)"1";
    c.name = (char *)"X";
    strcpy(c.station_id, ghost);
    c.ended_on = BP_DATE_NONE;
    FAILS(bp_store_commune_put(f->st, &c, &f->err), BP_ENOTFOUND,
          "station_id");
    assert_contains(f->err.message, ghost);

    v.name = (char *)"Bản";
    strcpy(v.commune_id, ghost);
    v.ended_on = BP_DATE_NONE;
    FAILS(bp_store_village_put(f->st, &v, &f->err), BP_ENOTFOUND,
          "commune_id");

    put_commune(f, "06061", NULL, 0, 1000, &c0);
    u.name = (char *)"Đào Viên";
    strcpy(u.commune_id, c0.id);
    strcpy(u.village_id, ghost);
    u.ended_on = BP_DATE_NONE;
    FAILS(bp_store_custodian_put(f->st, &u, &f->err), BP_ENOTFOUND,
          "village_id");
    u.village_id[0] = '\0';
    u.commune_id[0] = '\0';
    FAILS(bp_store_custodian_put(f->st, &u, &f->err), BP_EINVAL,
          "commune_id");

    put_custodian(f, BP_HOUSEHOLD, "Đào Viên", c0.id, NULL, &h);
    p = pledge_km(h.id, 0, 100);
    FAILS(bp_store_pledge_put(f->st, &p, &f->err), BP_ENOTFOUND, NULL);
    assert_contains(f->err.message, "border");

    save_border(f);
    p = pledge_km(ghost, 0, 100);
    FAILS(bp_store_pledge_put(f->st, &p, &f->err), BP_ENOTFOUND,
          "custodian_id");
    p = pledge_km(h.id, 0, 100);
    strcpy(p.station_id, ghost);
    FAILS(bp_store_pledge_put(f->st, &p, &f->err), BP_ENOTFOUND,
          "station_id");
    p = pledge_at(h.id, "9999", 0, "9999", 10);
    FAILS(bp_store_pledge_put(f->st, &p, &f->err), BP_ENOTFOUND, "from");
    assert_contains(f->err.message, "9999");
    FAILS(bp_store_custodian_get(f->st, ghost, &u, &f->err), BP_ENOTFOUND,
          NULL);
}

static void test_pledge_checks(void **state)
{
    struct fx *f = *state;
    struct bp_commune c;
    struct bp_custodian h, bad = {0};
    struct bp_pledge p, *pl = NULL;
    struct bp_border *b = NULL;
    double len;
    size_t n = 99;

    save_border(f);
    OK(bp_store_border_get(f->st, &b, &f->err));
    len = bp_border_length_m(b);
    bp_border_free(b);
    put_commune(f, "06061", NULL, 0, 1000, &c);
    put_custodian(f, BP_HOUSEHOLD, "Đào Viên", c.id, NULL, &h);

    p = pledge_km(h.id, 100, 200);
    p.ended_on = p.signed_on - 1;
    FAILS(bp_store_pledge_put(f->st, &p, &f->err), BP_ERANGE, "ended_on");
    p = pledge_km(h.id, 200, 200);
    FAILS(bp_store_pledge_put(f->st, &p, &f->err), BP_ERANGE, "to");
    p = pledge_km(h.id, 300, 200);
    FAILS(bp_store_pledge_put(f->st, &p, &f->err), BP_ERANGE, "to");
    p = pledge_km(h.id, len - 100, len + 50);
    FAILS(bp_store_pledge_put(f->st, &p, &f->err), BP_ERANGE, "to");
    assert_contains(f->err.message, "leaves the border");
    p = pledge_km(h.id, -50, 100);
    FAILS(bp_store_pledge_put(f->st, &p, &f->err), BP_ERANGE, "from");
    p = pledge_km(h.id, 0, 100);
    p.signed_on = BP_DATE_NONE;
    FAILS(bp_store_pledge_put(f->st, &p, &f->err), BP_EINVAL, "signed_on");
    /* The whole line is fine; nothing failed was written. */
    OK(bp_store_pledge_list(f->st, &pl, &n, &f->err));
    assert_int_equal(n, 0);
    bp_store_pledge_list_free(pl, n);
    p = pledge_km(h.id, 0, len);
    p.ended_on = p.signed_on; /* ends the day it was signed: allowed */
    OK(bp_store_pledge_put(f->st, &p, &f->err));

    bad.name = (char *)"Hoàng Văn Ba";
    strcpy(bad.commune_id, c.id);
    bad.citizen_id = (char *)"12345";
    bad.ended_on = BP_DATE_NONE;
    FAILS(bp_store_custodian_put(f->st, &bad, &f->err), BP_EINVAL,
          "citizen_id");
    assert_contains(f->err.message, "'12345'");
    bad.citizen_id = (char *)"123456789";
    OK(bp_store_custodian_put(f->st, &bad, &f->err));
}

static void test_anchors(void **state)
{
    struct fx *f = *state;
    struct bp_marker m1, m2;
    struct bp_commune c;
    struct bp_custodian h;
    struct bp_pledge p, g = {0};

    save_border(f);
    put_marker(f, "1116", 106.25, 22.003, NAN, &m1);
    put_marker(f, "1117", 106.45, 21.998, NAN, &m2);
    put_commune(f, "06061", NULL, 0, 90000, &c);
    put_custodian(f, BP_HOUSEHOLD, "Đào Viên", c.id, NULL, &h);
    p = pledge_at(h.id, "1116", 350, "1117", -200);
    OK(bp_store_pledge_put(f->st, &p, &f->err));
    assert_near(p.from.measure_m, m1.measure_m + 350, 1e-9);
    assert_near(p.to.measure_m, m2.measure_m - 200, 1e-9);
    OK(bp_store_pledge_get(f->st, p.id, &g, &f->err));
    assert_string_equal(g.from.marker_key, "1116");
    assert_near(g.from.offset_m, 350, 0);
    assert_near(g.from.measure_m, m1.measure_m + 350, 1e-9);
    assert_near(g.to.measure_m, m2.measure_m - 200, 1e-9);
    bp_pledge_release(&g);
    /* A key that is not normalised is refused rather than guessed. */
    p = pledge_at(h.id, "Mốc 1116", 0, "1117", 0);
    FAILS(bp_store_pledge_put(f->st, &p, &f->err), BP_EINVAL, "from");
}

static void test_search(void **state)
{
    struct fx *f = *state;
    struct bp_commune c;
    struct bp_custodian a, b, d, *v = NULL;
    size_t n = 0;

    put_commune(f, "06061", NULL, 0, 1000, &c);
    put_custodian(f, BP_HOUSEHOLD, "Đào Viên", c.id, NULL, &a);
    put_custodian(f, BP_HOUSEHOLD, "Hoàng Thị Đào", c.id, NULL, &b);
    put_custodian(f, BP_HOUSEHOLD, "Nguyễn Văn An", c.id, NULL, &d);
    OK(bp_store_custodian_search(f->st, "dao vien", 10, &v, &n, &f->err));
    assert_int_equal(n, 1);
    assert_string_equal(v[0].name, "Đào Viên");
    bp_store_custodian_list_free(v, n);
    OK(bp_store_custodian_search(f->st, "ĐÀO", 10, &v, &n, &f->err));
    assert_int_equal(n, 2);
    bp_store_custodian_list_free(v, n);
    OK(bp_store_custodian_search(f->st, "ĐÀO", 1, &v, &n, &f->err));
    assert_int_equal(n, 1);
    bp_store_custodian_list_free(v, n);
    OK(bp_store_custodian_search(f->st, "van an", 10, &v, &n, &f->err));
    assert_int_equal(n, 1);
    assert_string_equal(v[0].id, d.id);
    bp_store_custodian_list_free(v, n);
    OK(bp_store_custodian_search(f->st, "100%", 10, &v, &n, &f->err));
    assert_int_equal(n, 0);
    bp_store_custodian_list_free(v, n);
    /* Listed by folded name: "Đào" among the d, before "Hoàng". */
    OK(bp_store_custodian_list(f->st, &v, &n, &f->err));
    assert_int_equal(n, 3);
    assert_string_equal(v[0].id, a.id);
    assert_string_equal(v[1].id, b.id);
    assert_string_equal(v[2].id, d.id);
    bp_store_custodian_list_free(v, n);
}

static size_t find_station(const struct bp_station *v, size_t n,
                           const char *id)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!strcmp(v[i].id, id))
            return i;
    return (size_t)-1;
}

static void test_cov_load(void **state)
{
    struct fx *f = *state;
    struct bp_station sa, sb, *sl = NULL;
    struct bp_commune c1, c2, *cl = NULL;
    struct bp_village v = {0};
    struct bp_custodian h, k;
    struct bp_pledge p1, p2, p3;
    struct bp_cov_input in = {0};
    struct bp_cov_hold hold = {{0}};
    struct bp_border *b = NULL;
    size_t ns = 0, nc = 0, i;

    FAILS(bp_store_cov_load(f->st, &in, &hold, &f->err), BP_ENOTFOUND,
          NULL);
    save_border(f);
    put_station(f, "CL", "Đồn Chi Lăng", &sb);
    put_station(f, "BN", "Đồn Bình Nghi", &sa);
    put_commune(f, "2", sb.id, 50000, 90000, &c1);
    put_commune(f, "1", sa.id, 0, 50000, &c2);
    v.name = (char *)"Bản Pò Mã";
    strcpy(v.commune_id, c1.id);
    v.ended_on = BP_DATE_NONE;
    OK(bp_store_village_put(f->st, &v, &f->err));
    put_custodian(f, BP_HOUSEHOLD, "Đào Viên", NULL, v.id, &h);
    put_custodian(f, BP_COLLECTIVE, "Chi đoàn xã", c2.id, NULL, &k);
    put_marker(f, "30", 106.75, 22.0, NAN, NULL);
    put_marker(f, "10", 106.15, 22.0, NAN, NULL);
    p1 = pledge_km(h.id, 60000, 61000);
    OK(bp_store_pledge_put(f->st, &p1, &f->err));
    p2 = pledge_km(k.id, 1000, 2000);
    p2.ended_on = bp_date_from_ymd(2023, 1, 1);
    OK(bp_store_pledge_put(f->st, &p2, &f->err));
    p3 = pledge_km(h.id, 70000, 75000);
    OK(bp_store_pledge_put(f->st, &p3, &f->err));

    OK(bp_store_cov_load(f->st, &in, &hold, &f->err));
    OK(bp_store_border_get(f->st, &b, &f->err));
    assert_near(in.length_m, bp_border_length_m(b), 1e-9);
    bp_border_free(b);
    OK(bp_store_station_list(f->st, &sl, &ns, &f->err));
    OK(bp_store_commune_list(f->st, &cl, &nc, &f->err));
    assert_int_equal(in.nstations, ns);
    assert_int_equal(in.ncommunes, nc);
    for (i = 0; i < nc; i++) {
        assert_near(in.communes[i].from_m, cl[i].from.measure_m, 0);
        assert_near(in.communes[i].to_m, cl[i].to.measure_m, 0);
        assert_int_equal(in.communes[i].station,
                         find_station(sl, ns, cl[i].station_id));
    }
    /* c2 (from 0) comes first and belongs to station "Bình Nghi", which
     * lists first by name. */
    assert_int_equal(in.communes[0].station, 0);
    assert_int_equal(in.communes[1].station, 1);
    assert_int_equal(in.ncustodians, 2);
    assert_int_equal(in.npledges, 3);
    for (i = 0; i < in.npledges; i++) {
        const struct bp_cov_pledge *q = &in.pledges[i];
        const struct bp_cov_custodian *u;
        assert_true(q->custodian < in.ncustodians);
        u = &in.custodians[q->custodian];
        if (q->from_m == 1000) {
            /* the collective, in commune c2 (index 0), ended 2023 */
            assert_int_equal(u->kind, BP_COLLECTIVE);
            assert_int_equal(u->commune, 0);
            assert_int_equal(q->ended_on, bp_date_from_ymd(2023, 1, 1));
        } else {
            /* the household, commune through its village: c1, index 1 */
            assert_int_equal(u->kind, BP_HOUSEHOLD);
            assert_int_equal(u->commune, 1);
            assert_int_equal(q->ended_on, BP_DATE_NONE);
            assert_int_equal(q->signed_on, p1.signed_on);
        }
    }
    assert_int_equal(in.nmarkers, 2);
    assert_true(in.marker_m[0] < in.marker_m[1]);
    bp_store_cov_release(&hold);
    bp_store_station_list_free(sl, ns);
    bp_store_commune_list_free(cl, nc);
}

struct seen {
    int calls;
    char id[8][BP_UUID_LEN + 1];
    double old_from[8], old_to[8], new_len[8];
};

static void on_changed(void *ctx, const struct bp_pledge *p, double old_from,
                       double old_to)
{
    struct seen *s = ctx;

    if (s->calls < 8) {
        strcpy(s->id[s->calls], p->id);
        s->old_from[s->calls] = old_from;
        s->old_to[s->calls] = old_to;
        s->new_len[s->calls] = p->to.measure_m - p->from.measure_m;
    }
    s->calls++;
}

/* The measure of `number` on `pts` as the store would set it. */
static double expect_measure(const struct bp_lonlat *pts, size_t n,
                             double lon, double lat)
{
    struct bp_border_opts o = {0};
    struct bp_border *b = NULL;
    struct bp_hit hit;
    double m;

    o.start = BP_START_AS_GIVEN;
    assert_int_equal(bp_border_new(pts, n, &o, &b, NULL), 0);
    assert_int_equal(bp_border_project_scan(b, lon, lat, &hit), 0);
    m = hit.measure_m;
    bp_border_free(b);
    return m;
}

static void get_pledge(struct fx *f, const char *id, struct bp_pledge *g)
{
    OK(bp_store_pledge_get(f->st, id, g, &f->err));
    bp_pledge_release(g); /* only the measures are looked at */
}

static void test_resurvey(void **state)
{
    struct fx *f = *state;
    struct bp_lonlat pts[NV + 1];
    struct bp_marker m[3], g = {0};
    struct bp_commune c, gc = {0};
    struct bp_custodian h;
    struct bp_pledge p1, p2, p3, q = {0};
    struct seen seen = {0};
    static const double lon[3] = {106.25, 106.45, 106.75};
    static const char *const num[3] = {"1116", "1117", "1118"};
    double want[3];
    int i;

    save_border(f);
    for (i = 0; i < 3; i++)
        put_marker(f, num[i], lon[i], 22.003, NAN, &m[i]);
    {
        struct bp_commune x = {0};
        x.code = (char *)"06061";
        x.name = (char *)"Xã Quốc Khánh";
        strcpy(x.from.marker_key, "1116");
        strcpy(x.to.marker_key, "1118");
        x.to.offset_m = 500;
        x.ended_on = BP_DATE_NONE;
        OK(bp_store_commune_put(f->st, &x, &f->err));
        c = x;
    }
    put_custodian(f, BP_HOUSEHOLD, "Đào Viên", c.id, NULL, &h);
    p1 = pledge_at(h.id, "1116", 100, "1117", -50);
    OK(bp_store_pledge_put(f->st, &p1, &f->err));
    p2 = pledge_km(h.id, 10000, 12000);
    OK(bp_store_pledge_put(f->st, &p2, &f->err));
    p3 = pledge_at(h.id, "1117", 0, "1118", 0);
    OK(bp_store_pledge_put(f->st, &p3, &f->err));

    /* New survey: the line starts 0.05 degrees further west and its
     * vertex between markers 1116 and 1117 moved north. */
    pts[0].lon = 105.95;
    pts[0].lat = 22.0;
    line(pts + 1, 0.02);
    save_line(f, pts, NV + 1, 0);
    OK(bp_store_resurvey(f->st, 0.5, on_changed, &seen, &f->err));

    for (i = 0; i < 3; i++) {
        want[i] = expect_measure(pts, NV + 1, lon[i], 22.003);
        OK(bp_store_marker_get(f->st, num[i], &g, &f->err));
        assert_near(g.measure_m, want[i], 1e-6);
        if (!(g.measure_m > m[i].measure_m + 4000))
            fail_msg("marker %s did not move with the line: %.3f -> %.3f",
                     num[i], m[i].measure_m, g.measure_m);
        bp_marker_release(&g);
    }
    get_pledge(f, p1.id, &q);
    assert_near(q.from.measure_m, want[0] + 100, 1e-6);
    assert_near(q.to.measure_m, want[1] - 50, 1e-6);
    get_pledge(f, p2.id, &q);
    assert_near(q.from.measure_m, 10000, 0);
    assert_near(q.to.measure_m, 12000, 0);
    get_pledge(f, p3.id, &q);
    assert_near(q.from.measure_m, want[1], 1e-6);
    assert_near(q.to.measure_m, want[2], 1e-6);
    OK(bp_store_commune_get(f->st, c.id, &gc, &f->err));
    assert_near(gc.from.measure_m, want[0], 1e-6);
    assert_near(gc.to.measure_m, want[2] + 500, 1e-6);
    bp_commune_release(&gc);

    /* Only p1's length changed: p2 is by km, p3 lies where the line did
     * not change shape. */
    assert_int_equal(seen.calls, 1);
    assert_string_equal(seen.id[0], p1.id);
    assert_near(seen.old_from[0], p1.from.measure_m, 1e-9);
    assert_near(seen.old_to[0], p1.to.measure_m, 1e-9);
    assert_near(seen.new_len[0], (want[1] - 50) - (want[0] + 100), 1e-6);
}

static void test_calibration(void **state)
{
    struct fx *f = *state;
    struct bp_marker m1, m2, m3, g = {0};
    struct bp_commune c;
    struct bp_custodian h;
    struct bp_pledge p, q = {0};
    struct bp_border *b = NULL;
    double before;

    save_border(f);
    put_marker(f, "1116", 106.25, 22.003, 20000.0, &m1);
    put_marker(f, "1118", 106.75, 22.003, 80000.0, &m3);
    put_commune(f, "06061", NULL, 0, 1000, &c);
    put_custodian(f, BP_HOUSEHOLD, "Đào Viên", c.id, NULL, &h);
    p = pledge_at(h.id, "1116", 250, "1118", 0);
    OK(bp_store_pledge_put(f->st, &p, &f->err));
    OK(bp_store_resurvey(f->st, 0.5, NULL, NULL, &f->err));
    OK(bp_store_marker_get(f->st, "1116", &g, &f->err));
    assert_near(g.measure_m, 20000.0, 1e-3);
    bp_marker_release(&g);
    OK(bp_store_marker_get(f->st, "1118", &g, &f->err));
    assert_near(g.measure_m, 80000.0, 1e-3);
    bp_marker_release(&g);
    get_pledge(f, p.id, &q);
    assert_near(q.from.measure_m, 20250.0, 1e-3);
    assert_near(q.to.measure_m, 80000.0, 1e-3);
    /* The stored border now carries the markers as calibration points. */
    OK(bp_store_border_get(f->st, &b, &f->err));
    {
        size_t n = 0;
        const struct bp_calib *cal = bp_border_calibration(b, &n);
        assert_int_equal(n, 2);
        assert_near(cal[0].measure_m, 20000.0, 0);
        assert_near(cal[1].measure_m, 80000.0, 0);
    }
    bp_border_free(b);

    /* A marker between them with a smaller official km: refused, named,
     * and nothing changes. */
    put_marker(f, "1117", 106.45, 22.003, 10000.0, &m2);
    OK(bp_store_marker_get(f->st, "1117", &g, &f->err));
    before = g.measure_m;
    bp_marker_release(&g);
    FAILS(bp_store_resurvey(f->st, 0.5, NULL, NULL, &f->err), BP_ERANGE,
          "official_m");
    assert_contains(f->err.message, "'1116'");
    assert_contains(f->err.message, "'1117'");
    OK(bp_store_marker_get(f->st, "1117", &g, &f->err));
    assert_near(g.measure_m, before, 0);
    bp_marker_release(&g);
}

static void test_put_many(void **state)
{
    struct fx *f = *state;
    struct bp_marker v[3], *ml = NULL;
    size_t n = 0;
    int i;

    save_border(f);
    memset(v, 0, sizeof(v));
    for (i = 0; i < 3; i++) {
        v[i].lon = 106.1 + 0.2 * i;
        v[i].lat = 22.0;
        v[i].official_m = NAN;
        v[i].ended_on = BP_DATE_NONE;
    }
    v[0].number = (char *)"1";
    v[1].number = (char *)"2";
    v[2].number = (char *)"01"; /* the same key as "1" */
    FAILS(bp_store_marker_put_many(f->st, v, 3, &f->err), BP_EEXIST,
          "number");
    assert_int_equal(f->err.row, 3);
    OK(bp_store_marker_list(f->st, &ml, &n, &f->err));
    assert_int_equal(n, 0); /* all or none */
    bp_store_marker_list_free(ml, n);
    v[2].number = (char *)"3";
    v[0].id[0] = v[1].id[0] = v[2].id[0] = '\0';
    OK(bp_store_marker_put_many(f->st, v, 3, &f->err));
    OK(bp_store_marker_list(f->st, &ml, &n, &f->err));
    assert_int_equal(n, 3);
    bp_store_marker_list_free(ml, n);
}

/* Count the pledges and custodians in the store. */
static void counts(struct fx *f, size_t *ncu, size_t *npl)
{
    struct bp_custodian *cu = NULL;
    struct bp_pledge *pl = NULL;

    OK(bp_store_custodian_list(f->st, &cu, ncu, &f->err));
    bp_store_custodian_list_free(cu, *ncu);
    OK(bp_store_pledge_list(f->st, &pl, npl, &f->err));
    bp_store_pledge_list_free(pl, *npl);
}

/* Issue 3: the batch puts check what the single puts check, with the same
 * codes, fields and messages, name the record that failed, and write all
 * or nothing, inside a caller's transaction too. */
static void test_put_many_records(void **state)
{
    struct fx *f = *state;
    static const char ghost[] = "11111111-2222-4333-8444-555555555555";
    struct bp_commune c;
    struct bp_station s;
    struct bp_custodian cu[4], one, got;
    struct bp_pledge pl[4];
    struct bp_cov_input in;
    struct bp_cov_hold hold;
    size_t ncu = 9, npl = 9, i;

    save_border(f);
    put_marker(f, "1120", 106.3, 22.0, NAN, NULL);
    put_station(f, "BN", "Đồn Bảo Lâm", &s);
    put_commune(f, "06061", s.id, 0, 50000, &c);
    memset(cu, 0, sizeof(cu));
    for (i = 0; i < 4; i++) {
        cu[i].kind = i == 3 ? BP_COLLECTIVE : BP_HOUSEHOLD;
        cu[i].collective_kind = BP_COLL_MILITIA;
        cu[i].name = (char *)(i == 3 ? "Tổ dân quân" : "Lường Văn Thắng");
        cu[i].members = 3;
        strcpy(cu[i].commune_id, c.id);
        cu[i].ended_on = BP_DATE_NONE;
    }

    /* A bad citizen ID in the third: nothing written, row 3 named. */
    cu[2].citizen_id = (char *)"12345";
    FAILS(bp_store_custodian_put_many(f->st, cu, 4, &f->err), BP_EINVAL,
          "citizen_id");
    assert_int_equal(f->err.row, 3);
    assert_contains(f->err.message, "'12345'");
    cu[2].citizen_id = (char *)"001203004005";
    /* An unknown village in the fourth, found by the backend. */
    strcpy(cu[3].village_id, ghost);
    FAILS(bp_store_custodian_put_many(f->st, cu, 4, &f->err), BP_ENOTFOUND,
          "village_id");
    assert_int_equal(f->err.row, 4);
    assert_contains(f->err.message, ghost);
    for (i = 0; i < 4; i++)
        assert_string_equal(cu[i].id, ""); /* ids given out taken back */
    counts(f, &ncu, &npl);
    assert_int_equal(ncu, 0);
    cu[3].village_id[0] = '\0';
    OK(bp_store_custodian_put_many(f->st, cu, 4, &f->err));
    for (i = 0; i < 4; i++) {
        assert_true(bp_uuid_valid(cu[i].id));
        assert_int_equal(cu[i].id[14], '7'); /* time-ordered, version 7 */
        if (i)
            assert_true(strcmp(cu[i - 1].id, cu[i].id) < 0);
    }
    OK(bp_store_custodian_get(f->st, cu[2].id, &got, &f->err));
    assert_string_equal(got.citizen_id, "001203004005");
    assert_string_equal(got.commune_id, c.id);
    bp_custodian_release(&got);

    /* Pledges: an unknown custodian, a stretch leaving the line, an end
     * before the signing, a marker that is not there: each named. */
    for (i = 0; i < 4; i++) {
        pl[i] = pledge_km(cu[i].id, 1000.0 * (double)i, 1000.0 * (double)i + 500);
        strcpy(pl[i].station_id, s.id);
    }
    strcpy(pl[1].custodian_id, ghost);
    FAILS(bp_store_pledge_put_many(f->st, pl, 4, &f->err), BP_ENOTFOUND,
          "custodian_id");
    assert_int_equal(f->err.row, 2);
    strcpy(pl[1].custodian_id, cu[1].id);
    pl[2].ended_on = pl[2].signed_on - 1;
    FAILS(bp_store_pledge_put_many(f->st, pl, 4, &f->err), BP_ERANGE,
          "ended_on");
    assert_int_equal(f->err.row, 3);
    pl[2].ended_on = BP_DATE_NONE;
    pl[3].to.measure_m = 1e9;
    FAILS(bp_store_pledge_put_many(f->st, pl, 4, &f->err), BP_ERANGE, "to");
    assert_int_equal(f->err.row, 4);
    assert_contains(f->err.message, "leaves the border");
    pl[3] = pledge_at(cu[3].id, "9999", 0, "9999", 10);
    FAILS(bp_store_pledge_put_many(f->st, pl, 4, &f->err), BP_ENOTFOUND,
          "from");
    assert_int_equal(f->err.row, 4);
    assert_contains(f->err.message, "9999");
    counts(f, &ncu, &npl);
    assert_int_equal(npl, 0);

    /* Inside the caller's transaction: a failed batch takes back only
     * itself (a savepoint); what the caller wrote before stays. */
    pl[3] = pledge_at(cu[3].id, "1120", -100, "1120", 250);
    OK(bp_store_begin(f->st, &f->err));
    one = cu[0];
    one.id[0] = '\0';
    one.name = (char *)"Nông Thị Mai";
    OK(bp_store_custodian_put(f->st, &one, &f->err));
    strcpy(pl[0].custodian_id, ghost);
    FAILS(bp_store_pledge_put_many(f->st, pl, 4, &f->err), BP_ENOTFOUND,
          "custodian_id");
    assert_int_equal(f->err.row, 1);
    strcpy(pl[0].custodian_id, cu[0].id);
    OK(bp_store_pledge_put_many(f->st, pl, 4, &f->err));
    OK(bp_store_commit(f->st, &f->err));
    counts(f, &ncu, &npl);
    assert_int_equal(ncu, 5);
    assert_int_equal(npl, 4);
    /* The marker anchor was resolved: 1120's measure + the offsets. */
    assert_true(fabs((pl[3].to.measure_m - pl[3].from.measure_m) - 350) <
                1e-6);

    /* The coverage load sees the batch: kinds and communes by index. */
    OK(bp_store_cov_load(f->st, &in, &hold, &f->err));
    assert_int_equal(in.npledges, 4);
    assert_int_equal(in.ncustodians, 5);
    for (i = 0; i < in.npledges; i++) {
        const struct bp_cov_custodian *u =
            &in.custodians[in.pledges[i].custodian];
        assert_true(in.pledges[i].custodian < in.ncustodians);
        assert_int_equal(u->commune, 0);
        assert_int_equal(u->kind, fabs(in.pledges[i].from_m -
                                       pl[3].from.measure_m) < 1e-6
                                      ? BP_COLLECTIVE
                                      : BP_HOUSEHOLD);
    }
    bp_store_cov_release(&hold);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lists_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unique, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_refs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pledge_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anchors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cov_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resurvey, setup, teardown),
        cmocka_unit_test_setup_teardown(test_calibration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_many, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_many_records, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
