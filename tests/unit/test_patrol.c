/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the pure patrol module (issue 4): walked spans on
 * constructed tracks (gaps in time and in measure, leaving and re-entering
 * the corridor, walking backwards), every quality flag, hashes, verified
 * share of a pledge with last-walked dates, groups, overdue lists, marker
 * visits by radius, and the names of kinds and states.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/patrol.h"
#include "bienphong/registry.h"

#define T0 ((int64_t)1686000000000) /* 2023-06-05T21:20:00Z */

static struct bp_border *border;

/* A border running east along latitude 22 for about 50 km, in 50 pieces
 * so it follows the parallel; home side right = south. */
static int setup(void **state)
{
    struct bp_lonlat pts[51];
    struct bp_border_opts o;
    int i;

    (void)state;
    memset(&o, 0, sizeof(o));
    for (i = 0; i <= 50; i++) {
        pts[i].lon = 106.0 + i * 0.0097;
        pts[i].lat = 22.0;
    }
    return bp_border_new(pts, 51, &o, &border, NULL);
}

static int teardown(void **state)
{
    (void)state;
    bp_border_free(border);
    return 0;
}

/* A fix at `measure_m` along the line, `offset_m` south of it. */
static struct bp_fix at(double measure_m, double offset_m, int64_t t)
{
    struct bp_lonlat p, q;
    struct bp_fix f = {0, 0, BP_TIME_NONE, NAN, NAN, -1};

    assert_int_equal(bp_border_point(border, measure_m, &p), 0);
    q = offset_m ? bp_geo_direct(p, 180, offset_m) : p;
    f.lon = q.lon;
    f.lat = q.lat;
    f.time_ms = t;
    return f;
}

/* Walk from `a` to `b` in steps of `step_m` every `dt_s` seconds. */
static size_t walk_line(struct bp_fix *v, size_t n, double a, double b,
                        double step_m, double dt_s, double off, int64_t t0)
{
    double m = a, dir = b > a ? 1 : -1;
    int64_t t = t0;

    while ((dir > 0 ? m <= b + 1e-9 : m >= b - 1e-9)) {
        v[n++] = at(m, off, t);
        m += dir * step_m;
        t += (int64_t)(dt_s * 1000);
    }
    return n;
}

static void expect_walk(const struct bp_fix *v, size_t n, double want_m,
                        size_t want_spans)
{
    struct bp_walk w;

    bp_walk_init(&w);
    assert_int_equal(bp_walk_compute(border, v, n, NULL, &w, NULL), 0);
    if (fabs(w.walked_m - want_m) > 2.0 || w.spans.n != want_spans)
        print_message("walked %.2f m in %zu spans, want %.2f m in %zu\n",
                      w.walked_m, w.spans.n, want_m, want_spans);
    assert_true(fabs(w.walked_m - want_m) <= 2.0);
    assert_int_equal(w.spans.n, want_spans);
    bp_walk_release(&w);
}

static struct bp_fix fx[4000];

static void test_walk_continuous(void **state)
{
    struct bp_walk w;
    size_t n;

    (void)state;
    n = walk_line(fx, 0, 1000, 3000, 10, 10, 50, T0);
    expect_walk(fx, n, 2000, 1);
    bp_walk_init(&w);
    assert_int_equal(bp_walk_compute(border, fx, n, NULL, &w, NULL), 0);
    assert_int_equal(w.nkept, n);
    assert_true(fabs(w.farthest_m - 50) < 1.0);
    assert_true(fabs(w.duration_s - 2000) < 1e-6);
    assert_true(fabs(w.travelled_m - 2000) < 20); /* sphere vs line */
    bp_walk_release(&w);
}

static void test_walk_gap_in_time(void **state)
{
    size_t n;

    (void)state;
    /* 700 s without a fix between m = 2000 and 2010: not joined. */
    n = walk_line(fx, 0, 1000, 2000, 10, 10, 50, T0);
    n = walk_line(fx, n, 2010, 3000, 10, 10, 50, T0 + 1000 * 1000 + 700000);
    expect_walk(fx, n, 1990, 2);
    /* 500 s is within the default 600 s: joined. */
    n = walk_line(fx, 0, 1000, 2000, 10, 10, 50, T0);
    n = walk_line(fx, n, 2010, 3000, 10, 10, 50, T0 + 1000 * 1000 + 500000);
    expect_walk(fx, n, 2000, 1);
}

static void test_walk_gap_in_measure(void **state)
{
    size_t n;

    (void)state;
    /* 300 m between two consecutive fixes, one minute apart. */
    n = walk_line(fx, 0, 1000, 2000, 10, 10, 50, T0);
    n = walk_line(fx, n, 2300, 3000, 10, 10, 50, T0 + 1060 * 1000);
    expect_walk(fx, n, 1700, 2);
    /* 240 m is joined. */
    n = walk_line(fx, 0, 1000, 2000, 10, 10, 50, T0);
    n = walk_line(fx, n, 2240, 3000, 10, 10, 50, T0 + 1060 * 1000);
    expect_walk(fx, n, 2000, 1);
}

static void test_walk_leave_reenter(void **state)
{
    struct bp_walk w;
    size_t n;

    (void)state;
    /* Out to 800 m from the line for 2 minutes, back 100 m further on. */
    n = walk_line(fx, 0, 1000, 2000, 10, 10, 50, T0);
    n = walk_line(fx, n, 2000, 2100, 10, 10, 800, T0 + 1010 * 1000);
    n = walk_line(fx, n, 2100, 3000, 10, 10, 50, T0 + 1130 * 1000);
    expect_walk(fx, n, 2000, 1);
    bp_walk_init(&w);
    assert_int_equal(bp_walk_compute(border, fx, n, NULL, &w, NULL), 0);
    assert_int_equal(w.nkept, n - 11); /* the 11 fixes 800 m out */
    assert_true(fabs(w.farthest_m - 50) < 1.0);
    bp_walk_release(&w);
    /* Back 600 m further on: not joined. */
    n = walk_line(fx, 0, 1000, 2000, 10, 10, 50, T0);
    n = walk_line(fx, n, 2000, 2600, 50, 10, 800, T0 + 1010 * 1000);
    n = walk_line(fx, n, 2600, 3000, 10, 10, 50, T0 + 1200 * 1000);
    expect_walk(fx, n, 1400, 2);
}

static void test_walk_backwards(void **state)
{
    size_t n;

    (void)state;
    /* Out along 1000..2000 and back to 1500: 1 km of border walked. */
    n = walk_line(fx, 0, 1000, 2000, 10, 10, 50, T0);
    n = walk_line(fx, n, 1990, 1500, 10, 10, 60, T0 + 1010 * 1000);
    expect_walk(fx, n, 1000, 1);
    /* Walking west only. */
    n = walk_line(fx, 0, 3000, 2500, 10, 10, 30, T0);
    expect_walk(fx, n, 500, 1);
}

static void test_walk_degenerate(void **state)
{
    struct bp_walk w;
    struct bp_fix one;
    struct bp_error err = {0};

    (void)state;
    bp_walk_init(&w);
    assert_int_equal(bp_walk_compute(border, NULL, 0, NULL, &w, NULL), 0);
    assert_int_equal(w.nkept, 0);
    assert_true(w.walked_m == 0);
    one = at(500, 10, T0);
    assert_int_equal(bp_walk_compute(border, &one, 1, NULL, &w, NULL), 0);
    assert_int_equal(w.nkept, 1);
    assert_true(w.walked_m == 0); /* a lone fix walks nothing */
    assert_int_equal(bp_walk_compute(NULL, &one, 1, NULL, &w, &err),
                     BP_EINVAL);
    assert_int_equal(err.code, BP_EINVAL);
    bp_walk_release(&w);
}

static void test_walk_far_from_border(void **state)
{
    struct bp_walk w;
    size_t n;

    (void)state;
    n = walk_line(fx, 0, 1000, 1500, 10, 10, 3000, T0);
    bp_walk_init(&w);
    assert_int_equal(bp_walk_compute(border, fx, n, NULL, &w, NULL), 0);
    assert_int_equal(w.nkept, 0);
    assert_true(fabs(w.nearest_m - 3000) < 2);
    bp_walk_release(&w);
}

static void test_walk_settings(void **state)
{
    struct bp_walk_opts o;
    struct bp_walk w;
    size_t n;

    (void)state;
    bp_walk_opts_default(&o);
    o.corridor_m = 40; /* fixes at 50 m now dropped */
    n = walk_line(fx, 0, 1000, 2000, 10, 10, 50, T0);
    bp_walk_init(&w);
    assert_int_equal(bp_walk_compute(border, fx, n, &o, &w, NULL), 0);
    assert_int_equal(w.nkept, 0);
    bp_walk_opts_default(&o);
    o.join_s = 5; /* fixes 10 s apart never join */
    assert_int_equal(bp_walk_compute(border, fx, n, &o, &w, NULL), 0);
    assert_true(w.walked_m == 0);
    bp_walk_release(&w);
}

static unsigned quality_of(const struct bp_fix *v, size_t n, int32_t day)
{
    struct bp_quality q;

    bp_track_quality(v, n, day, T0 + 86400000, NULL, &q);
    return q.flags;
}

static int32_t day0(void)
{
    return bp_date_of_instant(T0 / 1000);
}

static void test_quality_clean(void **state)
{
    size_t n;

    (void)state;
    /* 3.6 km/h with a 5-minute pause. */
    n = walk_line(fx, 0, 1000, 2000, 10, 10, 50, T0);
    n = walk_line(fx, n, 2000, 2000, 10, 300, 50, T0 + 1010 * 1000);
    n = walk_line(fx, n, 2010, 2500, 10, 10, 50, T0 + 1400 * 1000);
    assert_int_equal(quality_of(fx, n, day0()), 0);
}

static void test_quality_flags(void **state)
{
    struct bp_quality q;
    size_t n;

    (void)state;
    n = walk_line(fx, 0, 1000, 2000, 10, 10, 50, T0);
    fx[5].time_ms = BP_TIME_NONE;
    fx[9].time_ms = BP_TIME_NONE;
    bp_track_quality(fx, n, day0(), T0 + 86400000, NULL, &q);
    assert_int_equal(q.flags, BP_TQ_NO_TIME);
    assert_int_equal(q.at[bp_tq_bit(BP_TQ_NO_TIME)], 5);
    assert_true(q.value[bp_tq_bit(BP_TQ_NO_TIME)] == 2);

    n = walk_line(fx, 0, 1000, 2000, 10, 10, 50, T0);
    fx[20].time_ms = fx[10].time_ms;
    bp_track_quality(fx, n, day0(), T0 + 86400000, NULL, &q);
    assert_true(q.flags & BP_TQ_UNORDERED);
    assert_int_equal(q.at[bp_tq_bit(BP_TQ_UNORDERED)], 20);

    /* 50 m every 10 s: 18 km/h sustained. */
    n = walk_line(fx, 0, 1000, 5000, 50, 10, 50, T0);
    bp_track_quality(fx, n, day0(), T0 + 86400000, NULL, &q);
    assert_int_equal(q.flags, BP_TQ_SPEED);
    assert_true(fabs(q.value[bp_tq_bit(BP_TQ_SPEED)] - 18) < 0.5);
    /* ... but 14 km/h is a fast walker's run, not flagged. */
    n = walk_line(fx, 0, 1000, 5000, 38.9, 10, 50, T0);
    assert_int_equal(quality_of(fx, n, day0()), 0);

    /* One fix 5 km away 10 s later: a jump. */
    n = walk_line(fx, 0, 1000, 2000, 10, 10, 50, T0);
    fx[30] = at(7000, 50, fx[30].time_ms);
    bp_track_quality(fx, n, day0(), T0 + 86400000, NULL, &q);
    assert_true(q.flags & BP_TQ_JUMP);
    assert_int_equal(q.at[bp_tq_bit(BP_TQ_JUMP)], 30);

    /* In the future. */
    n = walk_line(fx, 0, 1000, 1500, 10, 10, 50, T0);
    bp_track_quality(fx, n, BP_DATE_NONE, T0 - 3600000, NULL, &q);
    assert_int_equal(q.flags, BP_TQ_FUTURE);

    /* Far from the patrol's date. */
    assert_int_equal(quality_of(fx, n, day0() + 5), BP_TQ_FAR_DATE);
    assert_int_equal(quality_of(fx, n, day0() + 1), 0);

    /* A point at 0,0. */
    n = walk_line(fx, 0, 1000, 1500, 10, 10, 50, T0);
    fx[7].lon = 0;
    fx[7].lat = 0;
    bp_track_quality(fx, n, day0(), T0 + 86400000, NULL, &q);
    assert_true(q.flags & BP_TQ_ZERO);
    assert_int_equal(q.at[bp_tq_bit(BP_TQ_ZERO)], 7);
}

static void test_quality_describe(void **state)
{
    struct bp_quality q;
    char out[200];
    size_t n;

    (void)state;
    n = walk_line(fx, 0, 1000, 5000, 50, 10, 50, T0);
    bp_track_quality(fx, n, day0(), T0 + 86400000, NULL, &q);
    bp_tq_describe(&q, bp_tq_bit(BP_TQ_SPEED), BP_LANG_VI, out, sizeof(out));
    assert_non_null(strstr(out, "điểm 1:"));
    assert_non_null(strstr(out, "km/h"));
    bp_tq_describe(&q, bp_tq_bit(BP_TQ_SPEED), BP_LANG_EN, out, sizeof(out));
    assert_non_null(strstr(out, "point 1:"));
    assert_string_equal(bp_tq_name(bp_tq_bit(BP_TQ_REPLAY)), "replay");
    assert_string_equal(bp_tq_vi(bp_tq_bit(BP_TQ_ZERO)), "điểm tại 0,0");
}

static void test_hashes(void **state)
{
    struct bp_track_hash a, b, c;
    size_t n, i;

    (void)state;
    n = walk_line(fx, 0, 1000, 1500, 10, 10, 50, T0);
    bp_track_hashes("x", 1, fx, n, &a);
    bp_track_hashes("y", 1, fx, n, &b);
    assert_true(a.content != b.content);
    assert_true(a.timed == b.timed && a.shape == b.shape);
    for (i = 0; i < n; i++)
        fx[i].time_ms += 86400000; /* replayed a day later */
    bp_track_hashes("x", 1, fx, n, &c);
    assert_true(c.shape == a.shape);
    assert_true(c.timed != a.timed);
}

/* ---- verification ---- */

static void test_verify_share(void **state)
{
    const struct bp_vpledge pl[] = {
        {1000, 3000, 19000, BP_DATE_NONE, 0},
    };
    const struct bp_span sa[] = {{500, 1500}}, sb[] = {{1200, 2000}},
                         sc[] = {{1000, 3000}}, sd[] = {{1000, 1300}};
    const uint32_t c0[] = {0}, c1[] = {1};
    const struct bp_vpatrol pa[] = {
        {19500, sa, 1, c0, 1, 1}, /* walked 500 m of it */
        {19510, sb, 1, c1, 1, 1}, /* someone else's patrol */
        {19520, sc, 1, c0, 1, 0}, /* flagged, not approved */
        {19530, sd, 1, c0, 1, 1}, /* later, over part of the first */
    };
    struct bp_verify_input in = {pl, 1, pa, 4, 2};
    struct bp_verify v;
    struct bp_error err = {0};

    (void)state;
    assert_int_equal(bp_verify_compute(&in, BP_DATE_NONE, BP_DATE_NONE, &v,
                                       &err),
                     0);
    assert_true(v.pledges[0].active);
    assert_true(fabs(v.pledges[0].pledged_m - 2000) < 1e-9);
    assert_true(fabs(v.pledges[0].walked_m - 500) < 1e-9);
    assert_int_equal(v.pledges[0].patrols, 2);
    assert_int_equal(v.pledges[0].last_day, 19530);
    assert_int_equal(v.pledges[0].nparts, 2);
    assert_true(v.pledges[0].parts[0].from_m == 1000 &&
                v.pledges[0].parts[0].to_m == 1300 &&
                v.pledges[0].parts[0].last_day == 19530);
    assert_true(v.pledges[0].parts[1].from_m == 1300 &&
                v.pledges[0].parts[1].to_m == 1500 &&
                v.pledges[0].parts[1].last_day == 19500);
    bp_verify_release(&v);
    /* A period that holds only the first patrol. */
    assert_int_equal(bp_verify_compute(&in, 19400, 19505, &v, &err), 0);
    assert_true(fabs(v.walked_m - 500) < 1e-9);
    assert_int_equal(v.pledges[0].parts[0].last_day, 19500);
    bp_verify_release(&v);
    /* A period before the pledge was signed: not active. */
    assert_int_equal(bp_verify_compute(&in, 18000, 18500, &v, &err), 0);
    assert_false(v.pledges[0].active);
    assert_true(v.pledged_m == 0);
    bp_verify_release(&v);
}

static void test_verify_bad_input(void **state)
{
    const struct bp_vpledge pl[] = {{0, 10, 0, BP_DATE_NONE, 5}};
    struct bp_verify_input in = {pl, 1, NULL, 0, 2};
    struct bp_verify v;
    struct bp_error err = {0};

    (void)state;
    assert_int_equal(bp_verify_compute(&in, BP_DATE_NONE, BP_DATE_NONE, &v,
                                       &err),
                     BP_EINVAL);
    assert_non_null(strstr(err.message, "custodian index 5"));
}

static void test_verify_groups(void **state)
{
    /* Two overlapping pledges of custodian 0, one of custodian 1. */
    const struct bp_vpledge pl[] = {
        {0, 1000, 0, BP_DATE_NONE, 0},
        {500, 1500, 0, BP_DATE_NONE, 0},
        {2000, 3000, 0, BP_DATE_NONE, 1},
    };
    const struct bp_span s[] = {{0, 1200}, {2000, 2100}};
    const uint32_t c[] = {0, 1};
    const struct bp_vpatrol pa[] = {{10, s, 2, c, 2, 1}};
    struct bp_verify_input in = {pl, 3, pa, 1, 2};
    const uint32_t grp[] = {0, 0, 1};
    struct bp_verify_group g[2];
    struct bp_verify v;

    (void)state;
    assert_int_equal(bp_verify_compute(&in, BP_DATE_NONE, BP_DATE_NONE, &v,
                                       NULL),
                     0);
    assert_int_equal(bp_verify_group_by(&in, &v, grp, 2, g, NULL), 0);
    /* Overlaps counted once: 1500 m pledged, 1200 walked. */
    assert_true(fabs(g[0].pledged_m - 1500) < 1e-9);
    assert_true(fabs(g[0].walked_m - 1200) < 1e-9);
    assert_int_equal(g[0].pledges, 2);
    assert_true(fabs(g[1].pledged_m - 1000) < 1e-9);
    assert_true(fabs(g[1].walked_m - 100) < 1e-9);
    assert_int_equal(g[1].last_day, 10);
    bp_verify_release(&v);
}

static void test_overdue(void **state)
{
    const struct bp_vpledge pl[] = {
        {0, 1000, 0, BP_DATE_NONE, 0},
        {5000, 6000, 0, 50, 0}, /* ended: not listed */
    };
    const struct bp_span old[] = {{0, 400}}, recent[] = {{300, 600}};
    const uint32_t c[] = {0};
    const struct bp_vpatrol pa[] = {
        {100, old, 1, c, 1, 1},   /* 60 days before as_of */
        {150, recent, 1, c, 1, 1} /* 10 days before */
    };
    struct bp_verify_input in = {pl, 2, pa, 2, 1};
    struct bp_overdue *o = NULL;
    size_t n = 0;

    (void)state;
    assert_int_equal(bp_overdue_compute(&in, 160, 30, &o, &n, NULL), 0);
    /* [0,300) last walked on 100, [600,1000) never. */
    assert_int_equal(n, 2);
    assert_true(o[0].pledge == 0 && o[0].from_m == 0 && o[0].to_m == 300 &&
                o[0].last_day == 100);
    assert_true(o[1].from_m == 600 && o[1].to_m == 1000 &&
                o[1].last_day == BP_DATE_NONE);
    bp_free(o);
    /* With 100 days nothing walked in [0, 600) is overdue. */
    assert_int_equal(bp_overdue_compute(&in, 160, 100, &o, &n, NULL), 0);
    assert_int_equal(n, 1);
    assert_true(o[0].from_m == 600 && o[0].to_m == 1000);
    bp_free(o);
    /* Patrols after as_of do not count. */
    assert_int_equal(bp_overdue_compute(&in, 120, 30, &o, &n, NULL), 0);
    assert_int_equal(n, 1);
    assert_true(o[0].from_m == 400 && o[0].to_m == 1000);
    bp_free(o);
}

static void test_visits(void **state)
{
    struct bp_lonlat mk[3];
    struct bp_visit *v = NULL;
    struct bp_fix f[2];
    size_t n = 0;
    struct bp_fix a = at(1000, 0, T0), b = at(3000, 0, T0), c = at(5000, 0, T0);

    (void)state;
    mk[0].lon = a.lon, mk[0].lat = a.lat;
    mk[1].lon = b.lon, mk[1].lat = b.lat;
    mk[2].lon = c.lon, mk[2].lat = c.lat;
    f[0] = at(1000, 20, T0);      /* 20 m from marker 0 */
    f[1] = at(3000, 40, T0 + 10); /* 40 m from marker 1 */
    assert_int_equal(bp_marker_visits(mk, 3, f, 2, 30, &v, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].marker, 0);
    assert_true(fabs(v[0].distance_m - 20) < 0.5);
    bp_free(v);
    assert_int_equal(bp_marker_visits(mk, 3, f, 2, 45, &v, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(v[1].marker, 1);
    assert_int_equal(v[1].fix, 1);
    bp_free(v);
}

static void test_names(void **state)
{
    enum bp_condition c;
    enum bp_incident_kind k;
    enum bp_incident_status s;
    enum bp_patrol_kind p;

    (void)state;
    assert_int_equal(bp_condition_parse("hư hỏng", &c), 0);
    assert_int_equal(c, BP_COND_DAMAGED);
    assert_int_equal(bp_condition_parse("bi che khuat", &c), 0);
    assert_int_equal(c, BP_COND_OBSCURED);
    assert_int_equal(bp_condition_parse("di lệch", &c), 0);
    assert_int_equal(c, BP_COND_DISPLACED);
    assert_int_equal(bp_condition_parse("vỡ", &c), BP_EINVAL);
    assert_int_equal(bp_incident_kind_parse("Buôn lậu", &k), 0);
    assert_int_equal(k, BP_INC_SMUGGLING);
    assert_int_equal(bp_incident_kind_parse("fire", &k), 0);
    assert_int_equal(k, BP_INC_FIRE);
    assert_int_equal(bp_incident_status_parse("dang xu ly", &s), 0);
    assert_int_equal(s, BP_INC_IN_PROGRESS);
    assert_int_equal(bp_patrol_kind_parse("bilateral", &p), 0);
    assert_int_equal(p, BP_PATROL_BILATERAL);
    assert_string_equal(bp_incident_kind_vi(BP_INC_CROSSING),
                        "vượt biên trái phép");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_continuous),
        cmocka_unit_test(test_walk_gap_in_time),
        cmocka_unit_test(test_walk_gap_in_measure),
        cmocka_unit_test(test_walk_leave_reenter),
        cmocka_unit_test(test_walk_backwards),
        cmocka_unit_test(test_walk_degenerate),
        cmocka_unit_test(test_walk_far_from_border),
        cmocka_unit_test(test_walk_settings),
        cmocka_unit_test(test_quality_clean),
        cmocka_unit_test(test_quality_flags),
        cmocka_unit_test(test_quality_describe),
        cmocka_unit_test(test_hashes),
        cmocka_unit_test(test_verify_share),
        cmocka_unit_test(test_verify_bad_input),
        cmocka_unit_test(test_verify_groups),
        cmocka_unit_test(test_overdue),
        cmocka_unit_test(test_visits),
        cmocka_unit_test(test_names),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
