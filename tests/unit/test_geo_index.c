/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the projection index's grid (src/geo/geo_index.c, issue
 * 2): on lines that fold back on themselves, where a cell's list of
 * blocks matters, every projection through the grid must give the
 * brute-force scan's answer bit for bit, points on cell edges and at
 * equal distance from two stretches included; building a border with a
 * grid survives every failing allocation; projecting many points at once
 * gives the same answers as one by one.
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
#include "bienphong/error.h"
#include "bienphong/geo.h"
#include "geo/geo_int.h"

struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double rng_range(struct rng *r, double lo, double hi)
{
    return lo + (hi - lo) * ((double)(rng_next(r) >> 11) * 0x1.0p-53);
}

/* Metres per degree of longitude and latitude near 22 N, roughly: only
 * for laying out test lines. */
#define M_PER_DEG_LAT 110760.0
#define M_PER_DEG_LON (111320.0 * 0.92718)

/*
 * A meander near (106.8 E, 22 N): `legs` legs of `leg_m` metres running
 * north and south in turn, `gap_m` apart, joined at the ends, a vertex
 * every `step_m` metres. Parallel legs put several blocks of the line
 * within reach of most cells. Caller frees with bp_free().
 */
static struct bp_lonlat *meander(size_t legs, double leg_m, double gap_m,
                                 double step_m, size_t *n)
{
    size_t per = (size_t)(leg_m / step_m), total = legs * (per + 1), i, k;
    struct bp_lonlat *v = bp_calloc(total, sizeof(*v));

    assert_non_null(v);
    for (k = 0; k < legs; k++)
        for (i = 0; i <= per; i++) {
            double along = (double)(k % 2 ? per - i : i) * step_m;

            v[k * (per + 1) + i].lon =
                106.8 + (double)k * gap_m / M_PER_DEG_LON;
            v[k * (per + 1) + i].lat = 22.0 + along / M_PER_DEG_LAT;
        }
    *n = total;
    return v;
}

/* A spiral of `turns` turns, `gap_m` between turns, a vertex every
 * `step_m` metres along it: every ring is near two others. */
static struct bp_lonlat *spiral(double turns, double gap_m, double step_m,
                                size_t *n)
{
    size_t cap = 100000, k = 0;
    struct bp_lonlat *v = bp_calloc(cap, sizeof(*v));
    double th = 2.0 * M_PI; /* start one turn out */

    assert_non_null(v);
    while (th < 2.0 * M_PI * (turns + 1.0) && k < cap) {
        double r = gap_m * th / (2.0 * M_PI);

        v[k].lon = 107.2 + r * cos(th) / M_PER_DEG_LON;
        v[k].lat = 21.9 + r * sin(th) / M_PER_DEG_LAT;
        k++;
        th += step_m / r;
    }
    *n = k;
    return v;
}

static struct bp_border *build(const struct bp_lonlat *pts, size_t n)
{
    struct bp_border_opts o = {0};
    struct bp_error err = {0};
    struct bp_border *b = NULL;
    int rc;

    o.start = BP_START_AS_GIVEN;
    rc = bp_border_new(pts, n, &o, &b, &err);
    if (rc) {
        print_error("bp_border_new: %s: %s\n", bp_errname(rc), err.message);
        fail();
    }
    return b;
}

static int same_hit(const struct bp_hit *a, const struct bp_hit *b)
{
    return a->segment == b->segment && a->measure_m == b->measure_m &&
           a->geodesic_m == b->geodesic_m && a->offset_m == b->offset_m &&
           a->lon == b->lon && a->lat == b->lat;
}

static void print_hit(const char *what, const struct bp_hit *h)
{
    print_message("%s: segment %zu measure %.17g geodesic %.17g offset "
                  "%.17g at (%.12f, %.12f)\n",
                  what, h->segment, h->measure_m, h->geodesic_m, h->offset_m,
                  h->lon, h->lat);
}

/* The grid cell the index puts (lon, lat) in, as the index computes it;
 * SIZE_MAX outside the grid. */
static size_t cell_of(const struct bp_border *b, double lon, double lat)
{
    double p[3], up[3], w[3], e[3], x, y;
    int c;

    geo_ecef(lon, lat, p, up);
    for (c = 0; c < 3; c++)
        w[c] = p[c] - b->enu_org[c];
    for (c = 0; c < 3; c++)
        e[c] = b->enu_rot[c][0] * w[0] + b->enu_rot[c][1] * w[1] +
               b->enu_rot[c][2] * w[2];
    x = (e[0] - b->grid_org[0]) * b->grid_inv;
    y = (e[1] - b->grid_org[1]) * b->grid_inv;
    if (!(x >= 0.0 && x < (double)b->grid_nx && y >= 0.0 &&
          y < (double)b->grid_ny))
        return SIZE_MAX;
    return (size_t)y * b->grid_nx + (size_t)x;
}

/* Whether the index searches (lon, lat) from a grid cell. */
static int through_grid(const struct bp_border *b, double lon, double lat)
{
    size_t c = cell_of(b, lon, lat);

    return c != SIZE_MAX && b->grid_start[c + 1] > b->grid_start[c];
}

/* project, project_near with `hint` and project_scan agree bit for bit. */
static void check_point(const struct bp_border *b, double lon, double lat,
                        size_t hint)
{
    struct bp_hit hi, hs, hn;

    assert_int_equal(bp_border_project(b, lon, lat, &hi), 0);
    assert_int_equal(bp_border_project_scan(b, lon, lat, &hs), 0);
    assert_int_equal(bp_border_project_near(b, lon, lat, hint, &hn), 0);
    if (!same_hit(&hi, &hs) || !same_hit(&hi, &hn)) {
        print_message("point (%.15f, %.15f), hint %zu\n", lon, lat, hint);
        print_hit("index", &hi);
        print_hit("scan", &hs);
        print_hit("near", &hn);
        fail();
    }
}

/*
 * Points all over the grid and around it (cells with lists, cells
 * without, outside), on the line's vertices and midway between
 * neighbouring legs; most must go through the grid.
 */
static void check_line(const struct bp_lonlat *pts, size_t n, uint64_t seed,
                       size_t count)
{
    struct bp_border *b = build(pts, n);
    struct rng r = {seed};
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    size_t k, i, gridded = 0;

    /* The line is long enough for a grid; without one this tests
     * nothing new. */
    assert_true(b->nlevel >= 3);
    assert_true(b->grid_nx > 0 && b->grid_ny > 0);
    for (i = 0; i < n; i++) {
        lo[0] = fmin(lo[0], pts[i].lon);
        lo[1] = fmin(lo[1], pts[i].lat);
        hi[0] = fmax(hi[0], pts[i].lon);
        hi[1] = fmax(hi[1], pts[i].lat);
    }
    for (k = 0; k < count; k++) {
        double lon, lat;

        switch (k % 4) {
        case 0: /* on a vertex */
            i = (size_t)(rng_next(&r) % n);
            lon = pts[i].lon;
            lat = pts[i].lat;
            break;
        case 1: /* midway between two vertices of the line: often
                   between two legs, at equal distance from both */
            i = (size_t)(rng_next(&r) % n);
            lon = (pts[i].lon + pts[(i * 7 + 13) % n].lon) / 2;
            lat = (pts[i].lat + pts[(i * 7 + 13) % n].lat) / 2;
            break;
        case 2: /* near the line */
            i = (size_t)(rng_next(&r) % n);
            lon = pts[i].lon + rng_range(&r, -0.02, 0.02);
            lat = pts[i].lat + rng_range(&r, -0.02, 0.02);
            break;
        default: /* anywhere over the grid and beyond it */
            lon = rng_range(&r, lo[0] - 0.08, hi[0] + 0.08);
            lat = rng_range(&r, lo[1] - 0.08, hi[1] + 0.08);
            break;
        }
        gridded += (size_t)through_grid(b, lon, lat);
        check_point(b, lon, lat, (size_t)(rng_next(&r) % (n + 2)));
    }
    print_message("%zu of %zu points searched from the grid\n", gridded,
                  count);
    assert_true(gridded >= count / 2);
    bp_border_free(b);
}

static void test_grid_meander(void **state)
{
    struct bp_lonlat *pts;
    size_t n;

    (void)state;
    /* 30 legs of 4 km, 300 m apart, a vertex every 10 m: 12,030 vertices */
    pts = meander(30, 4000.0, 300.0, 10.0, &n);
    check_line(pts, n, 2024, 12000);
    bp_free(pts);
}

static void test_grid_spiral(void **state)
{
    struct bp_lonlat *pts;
    size_t n;

    (void)state;
    /* 8 turns 500 m apart, a vertex every 15 m */
    pts = spiral(8.0, 500.0, 15.0, &n);
    check_line(pts, n, 77, 8000);
    bp_free(pts);
}

/*
 * Points on the edges of cells, found by bisection to the last bit of
 * longitude, so that the index's own cell arithmetic is at its limit: the
 * point on either side of the edge goes to a different cell's list, and
 * both must still give the scan's answer.
 */
static void test_grid_cell_edges(void **state)
{
    struct bp_lonlat *pts;
    struct bp_border *b;
    struct rng r = {99};
    size_t n, k, edges = 0;

    (void)state;
    pts = meander(24, 2000.0, 120.0, 8.0, &n);
    b = build(pts, n);
    assert_true(b->grid_nx > 0);
    for (k = 0; k < 3000; k++) {
        size_t i = (size_t)(rng_next(&r) % n);
        double lat = pts[i].lat + rng_range(&r, -0.01, 0.01);
        double lon0 = pts[i].lon - 0.01, lon1 = pts[i].lon + 0.01;
        size_t c0 = cell_of(b, lon0, lat), c1 = cell_of(b, lon1, lat);
        int it;

        if (c0 == c1)
            continue;
        /* Bisect to the two closest longitudes in different cells. */
        for (it = 0; it < 200; it++) {
            double mid = lon0 + (lon1 - lon0) / 2;

            if (mid <= lon0 || mid >= lon1)
                break;
            if (cell_of(b, mid, lat) == c0)
                lon0 = mid;
            else
                lon1 = mid;
        }
        assert_true(cell_of(b, lon0, lat) != cell_of(b, lon1, lat));
        check_point(b, lon0, lat, i);
        check_point(b, lon1, lat, i + 1);
        edges++;
    }
    print_message("%zu cell edges crossed\n", edges);
    assert_true(edges >= 500);
    bp_border_free(b);
    bp_free(pts);
}

/* Every allocation of building a border with a grid can fail; each
 * failure is BP_ENOMEM with nothing leaked (the sanitizers check). */
static void test_grid_out_of_memory(void **state)
{
    struct bp_lonlat *pts;
    struct bp_border_opts o = {0};
    struct bp_border *b = NULL;
    size_t n;
    long k;
    int rc = BP_ENOMEM;

    (void)state;
    pts = meander(6, 1000.0, 200.0, 5.0, &n);
    o.start = BP_START_AS_GIVEN;
    for (k = 0; rc == BP_ENOMEM; k++) {
        struct bp_error err = {0};

        bp_alloc_fail_after(k, 0);
        rc = bp_border_new(pts, n, &o, &b, &err);
        bp_alloc_fail_after(-1, 0);
        if (rc) {
            assert_int_equal(rc, BP_ENOMEM);
            assert_null(b);
        }
    }
    assert_int_equal(rc, 0);
    assert_true(b->grid_nx > 0);
    print_message("survived %ld failing allocations\n", k - 1);
    bp_border_free(b);
    bp_free(pts);
}

/*
 * Points for bp_border_project_many(): runs of scattered points (on
 * vertices, between legs, near the line, anywhere over the grid and
 * beyond) and runs of track fixes a few metres apart, in turns of
 * uneven length, so that batches mix both kinds.
 */
static struct bp_lonlat *mixed_points(const struct bp_lonlat *pts, size_t n,
                                      uint64_t seed, size_t count)
{
    struct bp_lonlat *q = bp_calloc(count, sizeof(*q));
    struct rng r = {seed};
    size_t k = 0, i, run;

    assert_non_null(q);
    while (k < count) {
        run = 1 + (size_t)(rng_next(&r) % 40);
        i = (size_t)(rng_next(&r) % n);
        if (rng_next(&r) % 2) {
            /* A track: steps of up to 8 m from near a vertex. */
            double lon = pts[i].lon + rng_range(&r, -0.005, 0.005);
            double lat = pts[i].lat + rng_range(&r, -0.005, 0.005);

            for (; run && k < count; run--, k++) {
                lon += rng_range(&r, -8.0, 8.0) / M_PER_DEG_LON;
                lat += rng_range(&r, -8.0, 8.0) / M_PER_DEG_LAT;
                q[k].lon = lon;
                q[k].lat = lat;
            }
            continue;
        }
        for (; run && k < count; run--, k++) {
            i = (size_t)(rng_next(&r) % n);
            switch (k % 3) {
            case 0:
                q[k] = pts[i];
                break;
            case 1:
                q[k].lon = (pts[i].lon + pts[(i * 7 + 13) % n].lon) / 2;
                q[k].lat = (pts[i].lat + pts[(i * 7 + 13) % n].lat) / 2;
                break;
            default:
                q[k].lon = pts[i].lon + rng_range(&r, -0.1, 0.1);
                q[k].lat = pts[i].lat + rng_range(&r, -0.1, 0.1);
                break;
            }
        }
    }
    return q;
}

/* bp_border_project_many() gives bp_border_project()'s answer for every
 * point, bit for bit, on lines with and without a grid. */
static void check_many(const struct bp_lonlat *pts, size_t n, uint64_t seed,
                       size_t count)
{
    struct bp_border *b = build(pts, n);
    struct bp_lonlat *q = mixed_points(pts, n, seed, count);
    struct bp_hit *hit = bp_calloc(count, sizeof(*hit)), one;
    size_t k, done = 0, part;

    assert_non_null(hit);
    /* In parts of uneven length, so that batches start anywhere. */
    while (done < count) {
        part = 1 + (done * 2654435761u) % 3000;
        part = part < count - done ? part : count - done;
        assert_int_equal(bp_border_project_many(b, q + done, part, hit + done),
                         part);
        done += part;
    }
    for (k = 0; k < count; k++) {
        assert_int_equal(bp_border_project(b, q[k].lon, q[k].lat, &one), 0);
        if (!same_hit(&one, &hit[k])) {
            print_message("point %zu (%.15f, %.15f)\n", k, q[k].lon, q[k].lat);
            print_hit("one by one", &one);
            print_hit("many", &hit[k]);
            fail();
        }
    }
    bp_free(hit);
    bp_free(q);
    bp_border_free(b);
}

static void test_many_same_answers(void **state)
{
    struct bp_lonlat *pts;
    size_t n;

    (void)state;
    pts = meander(30, 4000.0, 300.0, 10.0, &n);
    check_many(pts, n, 5, 20000);
    bp_free(pts);
    pts = spiral(8.0, 500.0, 15.0, &n);
    check_many(pts, n, 6, 10000);
    bp_free(pts);
    /* One leaf, no levels above it, no grid. */
    pts = meander(2, 60.0, 30.0, 10.0, &n);
    check_many(pts, n, 7, 500);
    bp_free(pts);
}

/* A bad point stops the batch there: the hits before it are filled, it
 * and the rest untouched; NULL arguments project nothing. */
static void test_many_bad_point(void **state)
{
    struct bp_lonlat *pts, q[20];
    struct bp_hit hit[20], one, blank;
    struct bp_border *b;
    size_t n, k;

    (void)state;
    pts = meander(6, 1000.0, 200.0, 5.0, &n);
    b = build(pts, n);
    for (k = 0; k < 20; k++)
        q[k] = pts[(k * 97) % n];
    q[13].lat = NAN;
    memset(hit, 0xAB, sizeof(hit));
    memset(&blank, 0xAB, sizeof(blank));
    assert_int_equal(bp_border_project_many(b, q, 20, hit), 13);
    for (k = 0; k < 13; k++) {
        assert_int_equal(bp_border_project(b, q[k].lon, q[k].lat, &one), 0);
        assert_true(same_hit(&one, &hit[k]));
    }
    for (k = 13; k < 20; k++)
        assert_memory_equal(&hit[k], &blank, sizeof(blank));
    q[13].lat = 22.0;
    q[0].lon = 181.0;
    assert_int_equal(bp_border_project_many(b, q, 20, hit), 0);
    assert_int_equal(bp_border_project_many(b, q + 1, 19, hit), 19);
    assert_int_equal(bp_border_project_many(b, q, 0, hit), 0);
    assert_int_equal(bp_border_project_many(NULL, q, 20, hit), 0);
    assert_int_equal(bp_border_project_many(b, NULL, 20, hit), 0);
    assert_int_equal(bp_border_project_many(b, q, 20, NULL), 0);
    bp_border_free(b);
    bp_free(pts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_meander),
        cmocka_unit_test(test_grid_spiral),
        cmocka_unit_test(test_grid_cell_edges),
        cmocka_unit_test(test_grid_out_of_memory),
        cmocka_unit_test(test_many_same_answers),
        cmocka_unit_test(test_many_bad_point),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
