/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the geo module: building a border and its named degenerate
 * cases, projection accuracy against points built with geodesics at a known
 * measure and offset, the index against the brute-force scan, calibration,
 * points and slices, joining MultiLineString parts, and out-of-memory paths.
 */
#include <geodesic.h>
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

#define assert_near(got, want, tol)                                            \
    do {                                                                       \
        double g_ = (got), w_ = (want), t_ = (tol);                            \
        if (!(fabs(g_ - w_) <= t_)) {                                          \
            print_error("%s = %.17g, want %.17g (tolerance %g)\n", #got, g_,   \
                        w_, t_);                                               \
            fail();                                                            \
        }                                                                      \
    } while (0)

#define assert_exact(got, want)                                                \
    do {                                                                       \
        double g_ = (got), w_ = (want);                                        \
        if (!(g_ == w_)) {                                                     \
            print_error("%s = %.17g, want exactly %.17g\n", #got, g_, w_);     \
            fail();                                                            \
        }                                                                      \
    } while (0)

#define assert_contains(text, part)                                            \
    do {                                                                       \
        if (!strstr((text), (part))) {                                         \
            print_error("message \"%s\" does not contain \"%s\"\n", (text),    \
                        (part));                                               \
            fail();                                                            \
        }                                                                      \
    } while (0)

/* ---- helpers ---------------------------------------------------------- */

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

static double rng_unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static double rng_range(struct rng *r, double lo, double hi)
{
    return lo + (hi - lo) * rng_unit(r);
}

static struct geod_geodesic wgs;

static void geod_setup(void)
{
    geod_init(&wgs, 6378137.0, 1.0 / 298.257223563);
}

/*
 * A mountain border: a coarse course of `ncourse` waypoints from 106.5 E
 * to 107.4 E near 22 N made into a wiggly line by midpoint displacement,
 * (ncourse - 1) * 2^depth + 1 vertices; each level's displacement is
 * `decay` times the one before. Caller frees with bp_free().
 */
static struct bp_lonlat *wiggly_line(uint64_t seed, size_t ncourse,
                                     unsigned depth, double rough, double decay,
                                     size_t *n)
{
    struct rng r = {seed};
    size_t per = (size_t)1 << depth, total = (ncourse - 1) * per + 1;
    size_t w, step, i;
    struct bp_lonlat *v = bp_calloc(total, sizeof(*v));
    const double kx = cos(22.0 * M_PI / 180.0);

    assert_non_null(v);
    for (w = 0; w < ncourse; w++) {
        v[w * per].lon = 106.5 + 0.9 * (double)w / (double)(ncourse - 1);
        v[w * per].lat =
            22.0 + 0.12 * sin((double)w * 0.9) + rng_range(&r, -0.03, 0.03);
    }
    for (w = 0; w + 1 < ncourse; w++) {
        struct bp_lonlat *seg = v + w * per;
        double amp = rough;

        for (step = per; step > 1; step /= 2) {
            for (i = 0; i < per; i += step) {
                struct bp_lonlat a = seg[i], b = seg[i + step];
                double dx = (b.lon - a.lon) * kx, dy = b.lat - a.lat;
                double d = rng_range(&r, -amp, amp);
                struct bp_lonlat *mid = &seg[i + step / 2];

                mid->lon = (a.lon + b.lon) / 2 + (-dy * d) / kx;
                mid->lat = (a.lat + b.lat) / 2 + dx * d;
            }
            amp *= decay;
        }
    }
    *n = total;
    return v;
}

static struct bp_border *build(const struct bp_lonlat *pts, size_t n,
                               const struct bp_border_opts *o)
{
    struct bp_error err = {0};
    struct bp_border *b = NULL;
    int rc = bp_border_new(pts, n, o, &b, &err);

    if (rc) {
        print_error("bp_border_new: %s: %s\n", bp_errname(rc), err.message);
        fail();
    }
    return b;
}

/* Where a point at geodesic distance s along segment i lands, and the
 * line's azimuth there. */
static void along(const struct bp_border *b, size_t i, double s,
                  struct bp_lonlat *f, double *azi)
{
    const struct bp_lonlat *v = bp_border_vertices(b);
    double s12, a1, a2;

    geod_inverse(&wgs, v[i].lat, v[i].lon, v[i + 1].lat, v[i + 1].lon, &s12,
                 &a1, &a2);
    geod_direct(&wgs, v[i].lat, v[i].lon, a1, s, &f->lat, &f->lon, azi);
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

/* ---- building: degenerate cases by name ------------------------------- */

static void test_two_vertices(void **state)
{
    struct bp_lonlat pts[] = {{106.0, 22.0}, {106.01, 22.0}};
    struct bp_border *b;
    struct bp_hit hit;
    struct bp_lonlat mid;
    double len;

    (void)state;
    b = build(pts, 2, NULL);
    len = bp_geo_distance_m(pts[0], pts[1]);
    assert_int_equal(bp_border_vertex_count(b), 2);
    assert_exact(bp_border_geodesic_length_m(b), len);
    assert_exact(bp_border_length_m(b), len);
    assert_exact(bp_border_vertex_geodesic_m(b, 0), 0.0);
    assert_exact(bp_border_vertex_geodesic_m(b, 1), len);
    assert_exact(bp_border_official_m(b), 0.0);
    /* The geodesic's midpoint projects to half the length, on the line. */
    {
        double lat, lon, azi1, s12;

        geod_inverse(&wgs, pts[0].lat, pts[0].lon, pts[1].lat, pts[1].lon, &s12,
                     &azi1, NULL);
        geod_direct(&wgs, pts[0].lat, pts[0].lon, azi1, s12 / 2, &lat, &lon,
                    NULL);
        mid.lon = lon;
        mid.lat = lat;
    }
    assert_int_equal(bp_border_project(b, mid.lon, mid.lat, &hit), 0);
    assert_int_equal(hit.segment, 0);
    assert_near(hit.geodesic_m, len / 2, 1e-3);
    assert_near(hit.offset_m, 0.0, 1e-3);
    assert_near(bp_geo_distance_m((struct bp_lonlat){hit.lon, hit.lat}, mid),
                0.0, 1e-3);
    bp_border_free(b);
    bp_border_free(NULL);
}

/* Zero-length segments: consecutive duplicates are dropped. */
static void test_zero_length_segment(void **state)
{
    struct bp_lonlat pts[] = {{106.0, 22.0},  {106.0, 22.0},  {106.01, 22.0},
                              {106.01, 22.0}, {106.01, 22.0}, {106.01, 22.01},
                              {106.01, 22.01}};
    struct bp_border *b;
    const struct bp_lonlat *v;
    struct bp_hit hit;

    (void)state;
    b = build(pts, 7, NULL);
    assert_int_equal(bp_border_vertex_count(b), 3);
    v = bp_border_vertices(b);
    assert_exact(v[1].lon, 106.01);
    assert_exact(v[1].lat, 22.0);
    /* On the shared vertex: both segments tie, the lower one wins. */
    assert_int_equal(bp_border_project(b, 106.01, 22.0, &hit), 0);
    assert_int_equal(hit.segment, 0);
    assert_exact(hit.geodesic_m, bp_border_vertex_geodesic_m(b, 1));
    assert_exact(hit.offset_m, 0.0);
    bp_border_free(b);
}

static void test_fewer_than_two_vertices(void **state)
{
    static const struct bp_lonlat same[] = {
        {106.0, 22.0}, {106.0, 22.0}, {106.0, 22.0}};
    static const struct {
        const char *name;
        const struct bp_lonlat *pts;
        size_t n;
        const char *msg;
    } cases[] = {
        {"no vertices", same, 0, "0 distinct vertices"},
        {"one vertex", same, 1, "1 distinct vertices"},
        {"three equal vertices", same, 3, "1 distinct vertices"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bp_error err = {0};
        struct bp_border *b = (struct bp_border *)&err; /* must stay */

        print_message("case: %s\n", cases[i].name);
        assert_int_equal(
            bp_border_new(cases[i].pts, cases[i].n, NULL, &b, &err), BP_EGEOM);
        assert_ptr_equal(b, (struct bp_border *)&err);
        assert_int_equal(err.code, BP_EGEOM);
        assert_contains(err.message, cases[i].msg);
    }
}

static void test_bad_vertices(void **state)
{
    static const struct {
        const char *name;
        struct bp_lonlat bad;
        const char *msg;
    } cases[] = {
        {"NaN longitude", {NAN, 22.0}, "vertex 2 has a non-finite"},
        {"infinite latitude", {106.0, INFINITY}, "vertex 2 has a non-finite"},
        {"latitude above 90", {106.0, 90.5}, "vertex 2 (lon 106, lat 90.5)"},
        {"longitude below -180", {-180.5, 22.0}, "vertex 2 (lon -180.5"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bp_lonlat pts[] = {
            {106.0, 22.0}, {106.01, 22.0}, cases[i].bad, {106.03, 22.0}};
        struct bp_error err = {0};
        struct bp_border *b = NULL;

        print_message("case: %s\n", cases[i].name);
        assert_int_equal(bp_border_new(pts, 4, NULL, &b, &err), BP_EGEOM);
        assert_null(b);
        assert_contains(err.message, cases[i].msg);
    }
}

static void test_antimeridian_rejected(void **state)
{
    struct bp_lonlat pts[] = {
        {179.8, 50.0}, {179.9, 50.0}, {-179.9, 50.1}, {-179.8, 50.1}};
    struct bp_error err = {0};
    struct bp_border *b = NULL;

    (void)state;
    assert_int_equal(bp_border_new(pts, 4, NULL, &b, &err), BP_EGEOM);
    assert_null(b);
    assert_contains(err.message, "from vertex 1");
    assert_contains(err.message, "to vertex 2");
    assert_contains(err.message, "antimeridian");
    /* Touching it is fine. */
    pts[2].lon = 180.0;
    pts[3].lon = 180.0;
    pts[3].lat = 50.2;
    b = build(pts, 4, NULL);
    bp_border_free(b);
}

static void test_bad_arguments(void **state)
{
    struct bp_lonlat pts[] = {{106.0, 22.0}, {106.01, 22.0}};
    struct bp_border_opts o = {0};
    struct bp_error err = {0};
    struct bp_border *b = NULL;
    struct bp_hit hit = {0}, before;

    (void)state;
    assert_int_equal(bp_border_new(pts, 2, NULL, NULL, &err), BP_EINVAL);
    assert_int_equal(bp_border_new(NULL, 2, NULL, &b, &err), BP_EINVAL);
    o.start = (enum bp_border_start)9;
    assert_int_equal(bp_border_new(pts, 2, &o, &b, &err), BP_EINVAL);
    o.start = BP_START_WEST;
    o.ncalib = 2;
    assert_int_equal(bp_border_new(pts, 2, &o, &b, NULL), BP_EINVAL);
    assert_null(b);

    b = build(pts, 2, NULL);
    hit.segment = 77;
    before = hit;
    assert_int_equal(bp_border_project(b, NAN, 22.0, &hit), BP_EINVAL);
    assert_int_equal(bp_border_project(b, 106.0, 90.01, &hit), BP_EINVAL);
    assert_int_equal(bp_border_project_near(b, 181.0, 22.0, 0, &hit),
                     BP_EINVAL);
    assert_int_equal(bp_border_project_scan(b, 106.0, -INFINITY, &hit),
                     BP_EINVAL);
    assert_int_equal(bp_border_project(b, 106.0, 22.0, NULL), BP_EINVAL);
    assert_memory_equal(&hit, &before, sizeof(hit));
    bp_border_free(b);
}

/* ---- direction and home side ----------------------------------------- */

static void test_direction_and_side(void **state)
{
    /* An L-shaped line: north-west corner to south-east corner via the
     * north-east corner, so every start picks a definite end. */
    static const struct bp_lonlat given[] = {
        {106.00, 22.02}, {106.02, 22.02}, {106.02, 22.00}};
    static const struct {
        const char *name;
        enum bp_border_start start;
        enum bp_border_home home;
        struct bp_lonlat first;
        double sign_north; /* sign of the offset of a point north of the
                              east-west leg */
    } cases[] = {
        /* Going east along the top, north is on the left. */
        {"west, home right", BP_START_WEST, BP_HOME_RIGHT, {106.00, 22.02}, -1},
        {"west, home left", BP_START_WEST, BP_HOME_LEFT, {106.00, 22.02}, 1},
        /* Going west along the top, north is on the right. */
        {"east, home right", BP_START_EAST, BP_HOME_RIGHT, {106.02, 22.00}, 1},
        {"east, home left", BP_START_EAST, BP_HOME_LEFT, {106.02, 22.00}, -1},
        {"north, home right",
         BP_START_NORTH,
         BP_HOME_RIGHT,
         {106.00, 22.02},
         -1},
        {"south, home right",
         BP_START_SOUTH,
         BP_HOME_RIGHT,
         {106.02, 22.00},
         1},
        {"as given, home left",
         BP_START_AS_GIVEN,
         BP_HOME_LEFT,
         {106.00, 22.02},
         1},
    };
    struct bp_lonlat rev[3] = {given[2], given[1], given[0]};
    size_t i, k;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (k = 0; k < 2; k++) {
            struct bp_border_opts o = {cases[i].start, cases[i].home, 0, NULL,
                                       0};
            const struct bp_lonlat *in = k ? rev : given;
            struct bp_border *b;
            const struct bp_lonlat *v;
            struct bp_hit hn, he;

            if (cases[i].start == BP_START_AS_GIVEN && k)
                continue;
            print_message("case: %s (%s order)\n", cases[i].name,
                          k ? "reversed" : "given");
            b = build(in, 3, &o);
            v = bp_border_vertices(b);
            assert_exact(v[0].lon, cases[i].first.lon);
            assert_exact(v[0].lat, cases[i].first.lat);
            assert_int_equal(bp_border_home_side(b), cases[i].home);
            assert_int_equal(bp_border_project(b, 106.01, 22.025, &hn), 0);
            assert_near(fabs(hn.offset_m), 553.0, 1.0);
            assert_true(hn.offset_m * cases[i].sign_north > 0);
            /* East of the north-south leg is on the same side as north of
             * the east-west leg (the outside of the corner). */
            assert_int_equal(bp_border_project(b, 106.025, 22.01, &he), 0);
            assert_true(he.offset_m * cases[i].sign_north > 0);
            bp_border_free(b);
        }
    }
}

/* ---- projection: named cases ----------------------------------------- */

static void test_point_beyond_ends(void **state)
{
    struct bp_lonlat pts[] = {{106.0, 22.0}, {106.01, 22.0}, {106.02, 22.0}};
    struct bp_border *b;
    struct bp_hit hit;
    struct bp_lonlat p;

    (void)state;
    b = build(pts, 3, NULL);
    p = (struct bp_lonlat){105.99, 22.001};
    assert_int_equal(bp_border_project(b, p.lon, p.lat, &hit), 0);
    assert_int_equal(hit.segment, 0);
    assert_exact(hit.geodesic_m, 0.0);
    assert_exact(hit.measure_m, 0.0);
    assert_exact(hit.lon, pts[0].lon);
    assert_exact(hit.lat, pts[0].lat);
    assert_near(fabs(hit.offset_m), bp_geo_distance_m(p, pts[0]), 1e-3);
    p = (struct bp_lonlat){106.03, 21.999};
    assert_int_equal(bp_border_project(b, p.lon, p.lat, &hit), 0);
    assert_int_equal(hit.segment, 1);
    assert_exact(hit.geodesic_m, bp_border_geodesic_length_m(b));
    assert_exact(hit.measure_m, bp_border_length_m(b));
    assert_near(fabs(hit.offset_m), bp_geo_distance_m(p, pts[2]), 1e-3);
    bp_border_free(b);
}

/*
 * Segments 0 and 4 are mirror images across the equator, run the same
 * way, so a point on the equator between them is at bitwise the same
 * distance from both: the lower index wins.
 */
static void test_equidistant_segments(void **state)
{
    struct bp_lonlat pts[] = {{106.000, 0.001},  {106.010, 0.001},
                              {106.050, 0.030},  {106.050, -0.030},
                              {106.000, -0.001}, {106.010, -0.001}};
    struct bp_border_opts o = {BP_START_AS_GIVEN, BP_HOME_RIGHT, 0, NULL, 0};
    struct bp_border *b;
    struct bp_hit hit, scan;

    (void)state;
    b = build(pts, 6, &o);
    assert_int_equal(bp_border_project(b, 106.005, 0.0, &hit), 0);
    assert_int_equal(bp_border_project_scan(b, 106.005, 0.0, &scan), 0);
    print_hit("index", &hit);
    assert_int_equal(hit.segment, 0);
    assert_true(same_hit(&hit, &scan));
    assert_near(fabs(hit.offset_m), 110.6, 0.2);
    bp_border_free(b);
}

static void test_point_on_vertex(void **state)
{
    struct bp_lonlat *pts;
    struct bp_border *b;
    size_t n, i, nv;
    const struct bp_lonlat *v;

    (void)state;
    pts = wiggly_line(7, 4, 6, 0.16, 0.62, &n);
    b = build(pts, n, NULL);
    v = bp_border_vertices(b);
    nv = bp_border_vertex_count(b);
    for (i = 0; i < nv; i++) {
        struct bp_hit hit, near;

        assert_int_equal(bp_border_project(b, v[i].lon, v[i].lat, &hit), 0);
        if (hit.segment != (i ? i - 1 : 0))
            print_hit("vertex", &hit);
        assert_int_equal(hit.segment, i ? i - 1 : 0);
        assert_exact(hit.geodesic_m, bp_border_vertex_geodesic_m(b, i));
        assert_exact(hit.offset_m, 0.0);
        assert_exact(hit.lon, v[i].lon);
        assert_exact(hit.lat, v[i].lat);
        assert_int_equal(bp_border_project_near(b, v[i].lon, v[i].lat,
                                                (i * 7919) % nv, &near),
                         0);
        assert_true(same_hit(&hit, &near));
    }
    bp_border_free(b);
    bp_free(pts);
}

/* True nearest point by sampling the line every metre with geodesics. */
static double sampled_min_distance(const struct bp_border *b,
                                   struct bp_lonlat p)
{
    const struct bp_lonlat *v = bp_border_vertices(b);
    size_t i, n = bp_border_vertex_count(b);
    double best = INFINITY;

    for (i = 0; i + 1 < n; i++) {
        double s12, a1, s, d;
        struct geod_geodesicline l;

        geod_inverse(&wgs, v[i].lat, v[i].lon, v[i + 1].lat, v[i + 1].lon, &s12,
                     &a1, NULL);
        geod_lineinit(&l, &wgs, v[i].lat, v[i].lon, a1, 0);
        for (s = 0; s <= s12 + 0.5; s += 1.0) {
            double lat, lon;

            geod_position(&l, s < s12 ? s : s12, &lat, &lon, NULL);
            d = bp_geo_distance_m((struct bp_lonlat){lon, lat}, p);
            if (d < best)
                best = d;
        }
    }
    return best;
}

static void test_far_point(void **state)
{
    struct bp_lonlat pts[] = {
        {106.50, 22.00}, {106.55, 22.03}, {106.60, 22.01}, {106.62, 21.98}};
    static const struct bp_lonlat far[] = {
        {106.56, 31.0},  /* 1000 km north */
        {106.56, 13.0},  /* 1000 km south */
        {116.0, 22.0},   /* 1000 km east, past the end */
        {96.0, 21.0},    /* 1000 km west, before the start */
        {106.57, 22.10}, /* 8 km, refined */
    };
    struct bp_border *b;
    size_t i;

    (void)state;
    b = build(pts, 4, NULL);
    for (i = 0; i < sizeof(far) / sizeof(far[0]); i++) {
        struct bp_hit hit, scan;
        double want = sampled_min_distance(b, far[i]);
        struct bp_lonlat foot;

        assert_int_equal(bp_border_project(b, far[i].lon, far[i].lat, &hit), 0);
        assert_int_equal(
            bp_border_project_scan(b, far[i].lon, far[i].lat, &scan), 0);
        print_hit("far", &hit);
        assert_true(same_hit(&hit, &scan));
        foot.lon = hit.lon;
        foot.lat = hit.lat;
        /* The offset is the geodesic distance to the reported foot, and no
         * sampled point of the line is nearer. */
        assert_near(fabs(hit.offset_m), bp_geo_distance_m(foot, far[i]), 1e-3);
        assert_near(fabs(hit.offset_m), want, 1e-2);
    }
    bp_border_free(b);
}

/* ---- accuracy against points built at a known measure and offset ------ */

struct accuracy {
    double max_measure, max_offset; /* against the point as built */
    double max_along, max_dist;     /* at a foot found elsewhere */
    size_t checked, elsewhere;
};

/*
 * A hit on another segment than the one the point was built from (the
 * line bends towards the point) is checked on its own terms: it is at
 * least as near as the built foot, the offset is the geodesic distance
 * from the reported foot, and from a foot inside a segment the geodesic to
 * the point leaves at a right angle (the along-line component of the
 * offset, which is the measure error, under 1 mm).
 */
static void check_elsewhere(const struct bp_border *b, const struct bp_hit *h,
                            struct bp_lonlat p, double off,
                            struct accuracy *acc)
{
    size_t i = h->segment;
    double g0 = bp_border_vertex_geodesic_m(b, i);
    double g1 = bp_border_vertex_geodesic_m(b, i + 1);
    double azi, d, azi_p, along_m;
    struct bp_lonlat f;

    if (!(fabs(h->offset_m) <= fabs(off) + 1e-2)) {
        print_message("built at offset %.3f\n", off);
        print_hit("found farther", h);
        fail();
    }
    along(b, i, h->geodesic_m - g0, &f, &azi);
    geod_inverse(&wgs, f.lat, f.lon, p.lat, p.lon, &d, &azi_p, NULL);
    if (fabs(fabs(h->offset_m) - d) > acc->max_dist)
        acc->max_dist = fabs(fabs(h->offset_m) - d);
    if (h->geodesic_m > g0 && h->geodesic_m < g1) {
        along_m = fabs(d * cos((azi_p - azi) * M_PI / 180));
        if (along_m > acc->max_along)
            acc->max_along = along_m;
        /* Home is on the right, clockwise from the line's direction. */
        assert_true((sin((azi_p - azi) * M_PI / 180) > 0) == (h->offset_m > 0));
    }
    acc->elsewhere++;
}

static void check_accuracy(struct bp_border *b, uint64_t seed, size_t npts,
                           double max_off, struct accuracy *acc)
{
    struct rng r = {seed};
    size_t nseg = bp_border_vertex_count(b) - 1, k;
    size_t hint = 0;

    memset(acc, 0, sizeof(*acc));
    for (k = 0; k < npts; k++) {
        size_t i = (size_t)(rng_unit(&r) * (double)nseg);
        double len = bp_border_vertex_geodesic_m(b, i + 1) -
                     bp_border_vertex_geodesic_m(b, i);
        double s = rng_unit(&r) * len, off = rng_range(&r, -max_off, max_off);
        double azi;
        struct bp_lonlat f, p;
        struct bp_hit hit, near;

        along(b, i, s, &f, &azi);
        /* Home is on the right: a positive offset goes 90 degrees
         * clockwise from the line's direction. */
        geod_direct(&wgs, f.lat, f.lon, off >= 0 ? azi + 90 : azi - 90,
                    fabs(off), &p.lat, &p.lon, NULL);
        assert_int_equal(bp_border_project(b, p.lon, p.lat, &hit), 0);
        assert_int_equal(bp_border_project_near(b, p.lon, p.lat, hint, &near),
                         0);
        hint = near.segment;
        if (!same_hit(&hit, &near)) {
            print_hit("project", &hit);
            print_hit("project_near", &near);
            fail();
        }
        if (hit.segment == i) {
            double em =
                fabs(hit.geodesic_m - (bp_border_vertex_geodesic_m(b, i) + s));
            double eo = fabs(hit.offset_m - off);

            if (em > acc->max_measure)
                acc->max_measure = em;
            if (eo > acc->max_offset)
                acc->max_offset = eo;
            acc->checked++;
        } else {
            check_elsewhere(b, &hit, p, off, acc);
        }
    }
}

static void print_accuracy(const char *what, const struct accuracy *acc)
{
    print_message("%s: %zu on the built segment (max error: measure %.3g m, "
                  "offset %.3g m), %zu nearer elsewhere (max error: along "
                  "%.3g m, offset %.3g m)\n",
                  what, acc->checked, acc->max_measure, acc->max_offset,
                  acc->elsewhere, acc->max_along, acc->max_dist);
}

static void assert_accurate(const struct accuracy *acc)
{
    assert_true(acc->max_measure < 1e-3);
    assert_true(acc->max_offset < 1e-2);
    assert_true(acc->max_along < 1e-3);
    assert_true(acc->max_dist < 1e-2);
}

static void test_accuracy_wiggly_line(void **state)
{
    struct bp_lonlat *pts;
    struct bp_border *b;
    struct accuracy acc;
    size_t n;

    (void)state;
    pts = wiggly_line(20190303, 20, 8, 0.4, 0.86, &n);
    b = build(pts, n, NULL);
    print_message("line: %zu vertices, %.3f km\n", bp_border_vertex_count(b),
                  bp_border_geodesic_length_m(b) / 1000);
    assert_true(bp_border_vertex_count(b) > 4000);
    assert_true(bp_border_geodesic_length_m(b) > 200e3);
    assert_true(bp_border_geodesic_length_m(b) < 260e3);

    check_accuracy(b, 1, 20000, 2000.0, &acc);
    print_accuracy("within 2 km", &acc);
    assert_true(acc.checked > 2000);
    assert_accurate(&acc);
    check_accuracy(b, 2, 20000, 30.0, &acc);
    print_accuracy("within 30 m", &acc);
    assert_true(acc.checked > 15000);
    assert_accurate(&acc);
    bp_border_free(b);
    bp_free(pts);
}

/* Long segments (hundreds of metres to tens of km) are split internally;
 * measures and offsets must stay exact to the millimetre. */
static void test_accuracy_long_segments(void **state)
{
    struct bp_lonlat *pts;
    struct bp_lonlat coarse[] = {
        {106.5, 22.0}, {106.9, 22.3}, {107.0, 22.29}, {107.004, 22.292}};
    struct bp_border *b;
    struct accuracy acc;
    size_t n;

    (void)state;
    pts = wiggly_line(99, 20, 3, 0.18, 0.62, &n);
    b = build(pts, n, NULL);
    check_accuracy(b, 3, 20000, 2000.0, &acc);
    print_accuracy("coarse line", &acc);
    assert_true(acc.checked > 15000);
    assert_accurate(&acc);
    bp_border_free(b);
    bp_free(pts);

    b = build(coarse, 4, NULL);
    check_accuracy(b, 4, 5000, 4900.0, &acc);
    print_accuracy("50 km segment, within 4.9 km", &acc);
    assert_accurate(&acc);
    check_accuracy(b, 5, 500, 40000.0, &acc);
    print_accuracy("50 km segment, within 40 km", &acc);
    assert_accurate(&acc);
    bp_border_free(b);
}

/* ---- the index agrees with the brute-force scan ----------------------- */

static void test_index_matches_scan(void **state)
{
    struct bp_lonlat *pts;
    struct bp_border *b;
    const struct bp_lonlat *v;
    struct rng r = {424242};
    size_t n, nv, k, kinds[5] = {0};
    double len;

    (void)state;
    pts = wiggly_line(31337, 12, 9, 0.2, 0.62, &n);
    b = build(pts, n, NULL);
    v = bp_border_vertices(b);
    nv = bp_border_vertex_count(b);
    len = bp_border_length_m(b);
    for (k = 0; k < 12000; k++) {
        struct bp_hit hi, hs, hn;
        struct bp_lonlat p;
        unsigned kind = (unsigned)(k % 5);

        switch (kind) {
        case 0: /* exactly on a vertex */
            p = v[rng_next(&r) % nv];
            break;
        case 1: { /* on the line, between vertices */
            assert_int_equal(bp_border_point(b, rng_unit(&r) * len, &p), 0);
            break;
        }
        case 2: /* near the line */
            assert_int_equal(bp_border_point(b, rng_unit(&r) * len, &p), 0);
            p.lon += rng_range(&r, -0.02, 0.02);
            p.lat += rng_range(&r, -0.02, 0.02);
            break;
        case 3: /* hundreds of km away */
            p.lon = rng_range(&r, 100.0, 114.0);
            p.lat = rng_range(&r, 15.0, 29.0);
            break;
        default: /* anywhere on earth */
            p.lon = rng_range(&r, -180.0, 180.0);
            p.lat = rng_range(&r, -90.0, 90.0);
            break;
        }
        kinds[kind]++;
        assert_int_equal(bp_border_project(b, p.lon, p.lat, &hi), 0);
        assert_int_equal(bp_border_project_scan(b, p.lon, p.lat, &hs), 0);
        assert_int_equal(bp_border_project_near(b, p.lon, p.lat,
                                                (size_t)rng_next(&r) % (nv + 3),
                                                &hn),
                         0);
        if (!same_hit(&hi, &hs) || !same_hit(&hi, &hn)) {
            print_message("point %zu (kind %u) at (%.12f, %.12f)\n", k, kind,
                          p.lon, p.lat);
            print_hit("index", &hi);
            print_hit("scan", &hs);
            print_hit("near", &hn);
            fail();
        }
    }
    assert_true(kinds[0] >= 2000 && kinds[4] >= 2000);
    bp_border_free(b);
    bp_free(pts);
}

/* ---- calibration ------------------------------------------------------ */

static struct bp_lonlat line3[] = {
    {106.0, 22.0}, {106.05, 22.01}, {106.1, 22.0}, {106.15, 22.02}};

static void test_official_only(void **state)
{
    struct bp_border_opts o = {0};
    struct bp_border *b;
    double G, k, g;

    (void)state;
    o.official_m = 20000.0;
    b = build(line3, 4, &o);
    G = bp_border_geodesic_length_m(b);
    k = 20000.0 / G;
    assert_exact(bp_border_length_m(b), 20000.0);
    assert_exact(bp_border_official_m(b), 20000.0);
    assert_exact(bp_border_to_measure(b, G), 20000.0);
    assert_exact(bp_border_to_geodesic(b, 20000.0), G);
    assert_exact(bp_border_to_measure(b, 0.0), 0.0);
    assert_exact(bp_border_to_measure(b, -5.0), 0.0);
    assert_exact(bp_border_to_measure(b, G + 5.0), 20000.0);
    for (g = 0; g < G; g += G / 37) {
        assert_near(bp_border_to_measure(b, g), g * k, 1e-9);
        assert_near(bp_border_to_geodesic(b, bp_border_to_measure(b, g)), g,
                    1e-9);
    }
    bp_border_free(b);
}

static void test_calibration_points(void **state)
{
    struct bp_border_opts o = {0};
    struct bp_border *b, *b0;
    struct bp_calib cal[3];
    const struct bp_calib *placed;
    size_t nc, i;
    double G, g1, g;

    (void)state;
    b0 = build(line3, 4, NULL);
    G = bp_border_geodesic_length_m(b0);
    g1 = bp_border_vertex_geodesic_m(b0, 1);
    /* Given out of order: by position on a vertex, and by geodesic
     * measure. */
    cal[0] = (struct bp_calib){-1, 5600.0, line3[1].lon, line3[1].lat};
    cal[1] = (struct bp_calib){1000.0, 1100.0, 0, 0};
    cal[2] = (struct bp_calib){G - 2000.0, 15000.0, 0, 0};
    o.calib = cal;
    o.ncalib = 3;
    b = build(line3, 4, &o);
    placed = bp_border_calibration(b, &nc);
    assert_int_equal(nc, 3);
    assert_exact(placed[0].geodesic_m, 1000.0);
    assert_exact(placed[1].geodesic_m, g1);
    assert_exact(placed[1].measure_m, 5600.0);
    assert_exact(placed[2].geodesic_m, G - 2000.0);
    for (i = 0; i < nc; i++) {
        assert_exact(bp_border_to_measure(b, placed[i].geodesic_m),
                     placed[i].measure_m);
        assert_exact(bp_border_to_geodesic(b, placed[i].measure_m),
                     placed[i].geodesic_m);
    }
    assert_near(bp_border_to_measure(b, 500.0), 550.0, 1e-9);
    /* No official length: past the last point, the last interval's
     * scale. */
    assert_near(bp_border_length_m(b),
                15000.0 + 2000.0 * (15000.0 - 5600.0) / (G - 2000.0 - g1),
                1e-6);
    for (g = 0; g <= G; g += G / 101) {
        double m = bp_border_to_measure(b, g);

        assert_near(bp_border_to_geodesic(b, m), g, 1e-8);
    }
    bp_border_free(b);

    /* With an official length the end is pinned to it. */
    o.official_m = 17000.0;
    b = build(line3, 4, &o);
    assert_exact(bp_border_length_m(b), 17000.0);
    assert_exact(bp_border_to_measure(b, G), 17000.0);
    assert_near(bp_border_to_measure(b, G - 1000.0), 16000.0, 1e-9);
    {
        struct bp_hit hit;

        assert_int_equal(bp_border_project(b, line3[1].lon, line3[1].lat, &hit),
                         0);
        assert_exact(hit.measure_m, 5600.0);
        assert_exact(hit.geodesic_m, g1);
    }
    bp_border_free(b);
    bp_border_free(b0);
}

static void test_calibration_errors(void **state)
{
    static const struct {
        const char *name;
        double official;
        struct bp_calib cal[3];
        size_t n;
        int code;
        const char *msg;
    } cases[] = {
        {"out of order",
         0,
         {{1000, 1000, 0, 0}, {3000, 2500, 0, 0}, {2000, 2600, 0, 0}},
         3,
         BP_ERANGE,
         "calibration point 1 (geodesic 3000.000 m, measure 2500.000 m) does "
         "not increase from calibration point 2 (geodesic 2000.000 m, "
         "measure 2600.000 m)"},
        {"same place, two measures",
         0,
         {{1000, 1000, 0, 0}, {1000, 1200, 0, 0}},
         2,
         BP_ERANGE,
         "calibration point 1 (geodesic 1000.000 m, measure 1200.000 m)"},
        {"negative measure",
         0,
         {{1000, -5, 0, 0}},
         1,
         BP_ERANGE,
         "calibration point 0 (geodesic 1000.000 m, measure -5.000 m) does "
         "not come after the start"},
        {"beyond the official length",
         5000,
         {{1000, 1000, 0, 0}, {2000, 5000, 0, 0}},
         2,
         BP_ERANGE,
         "calibration point 1 (geodesic 2000.000 m, measure 5000.000 m) is "
         "not below the official length 5000.000 m"},
        {"beyond the line",
         0,
         {{1e7, 5, 0, 0}},
         1,
         BP_ERANGE,
         "calibration point 0: geodesic measure 10000000.000 m is beyond"},
        {"non-finite measure",
         0,
         {{100, NAN, 0, 0}},
         1,
         BP_ERANGE,
         "calibration point 0: measure nan m is not finite"},
        {"bad position",
         0,
         {{-1, 100, 200, 0}},
         1,
         BP_ERANGE,
         "calibration point 0: position (lon 200, lat 0)"},
        {"negative official length",
         -3,
         {{0, 0, 0, 0}},
         0,
         BP_ERANGE,
         "official length -3 m is not a positive length"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bp_border_opts o = {0};
        struct bp_error err = {0};
        struct bp_border *b = NULL;

        print_message("case: %s\n", cases[i].name);
        o.official_m = cases[i].official;
        o.calib = cases[i].cal;
        o.ncalib = cases[i].n;
        assert_int_equal(bp_border_new(line3, 4, &o, &b, &err), cases[i].code);
        assert_null(b);
        assert_contains(err.message, cases[i].msg);
    }
}

/* Twin markers: two points at one place with one measure are one. */
static void test_calibration_twin_marker(void **state)
{
    struct bp_calib cal[] = {{2000, 2100, 0, 0}, {2000, 2100, 0, 0}};
    struct bp_border_opts o = {0};
    struct bp_border *b;
    size_t nc;

    (void)state;
    o.calib = cal;
    o.ncalib = 2;
    b = build(line3, 4, &o);
    assert_non_null(bp_border_calibration(b, &nc));
    assert_int_equal(nc, 2);
    assert_exact(bp_border_to_measure(b, 2000), 2100);
    assert_near(bp_border_to_measure(b, 4000), 4200, 1e-9);
    bp_border_free(b);
}

/* ---- measure to point, slices ----------------------------------------- */

static void test_point(void **state)
{
    struct bp_lonlat *pts, p = {0, 0}, before;
    struct bp_border_opts o = {0};
    struct bp_border *b;
    const struct bp_lonlat *v;
    struct rng r = {5};
    size_t n, i, nv;
    double len, worst = 0;

    (void)state;
    pts = wiggly_line(11, 6, 7, 0.18, 0.62, &n);
    o.official_m = 95000.0;
    b = build(pts, n, &o);
    v = bp_border_vertices(b);
    nv = bp_border_vertex_count(b);
    len = bp_border_length_m(b);
    assert_int_equal(bp_border_point(b, 0.0, &p), 0);
    assert_exact(p.lon, v[0].lon);
    assert_exact(p.lat, v[0].lat);
    assert_int_equal(bp_border_point(b, len, &p), 0);
    assert_exact(p.lon, v[nv - 1].lon);
    assert_exact(p.lat, v[nv - 1].lat);
    before = p;
    assert_int_equal(bp_border_point(b, -0.001, &p), BP_ERANGE);
    assert_int_equal(bp_border_point(b, len + 0.001, &p), BP_ERANGE);
    assert_int_equal(bp_border_point(b, NAN, &p), BP_ERANGE);
    assert_exact(p.lon, before.lon);
    /* Points at random measures are on the line at that measure. */
    for (i = 0; i < 5000; i++) {
        double m = rng_unit(&r) * len;
        struct bp_hit hit;

        assert_int_equal(bp_border_point(b, m, &p), 0);
        assert_int_equal(bp_border_project(b, p.lon, p.lat, &hit), 0);
        assert_near(hit.measure_m, m, 1e-3);
        assert_near(hit.offset_m, 0.0, 1e-3);
        if (fabs(hit.measure_m - m) > worst)
            worst = fabs(hit.measure_m - m);
    }
    print_message("point/project round trip: worst %.3g m\n", worst);
    /* And against geodesics: the point at a vertex's measure plus s. */
    for (i = 0; i < 2000; i++) {
        size_t k = (size_t)(rng_unit(&r) * (double)(nv - 1));
        double g0 = bp_border_vertex_geodesic_m(b, k);
        double s = rng_unit(&r) * (bp_border_vertex_geodesic_m(b, k + 1) - g0);
        struct bp_lonlat want;
        double azi;

        along(b, k, s, &want, &azi);
        assert_int_equal(
            bp_border_point(b, bp_border_to_measure(b, g0 + s), &p), 0);
        assert_near(bp_geo_distance_m(p, want), 0.0, 1e-3);
    }
    bp_border_free(b);
    bp_free(pts);
}

static void test_slice(void **state)
{
    struct bp_lonlat pts[] = {{106.00, 22.00},
                              {106.01, 22.00},
                              {106.02, 22.01},
                              {106.03, 22.01},
                              {106.04, 22.00}};
    struct bp_border *b;
    struct bp_lonlat *s = NULL, p;
    struct bp_error err = {0};
    size_t n = 0;
    double c1, c2, c3, len;

    (void)state;
    b = build(pts, 5, NULL);
    c1 = bp_border_vertex_geodesic_m(b, 1);
    c2 = bp_border_vertex_geodesic_m(b, 2);
    c3 = bp_border_vertex_geodesic_m(b, 3);
    len = bp_border_length_m(b);

    /* Inside one segment: just the two ends. */
    assert_int_equal(bp_border_slice(b, 100, 200, &s, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(bp_border_point(b, 100, &p), 0);
    assert_exact(s[0].lon, p.lon);
    assert_exact(s[0].lat, p.lat);
    bp_free(s);

    /* Across two vertices. */
    assert_int_equal(bp_border_slice(b, c1 - 10, c2 + 10, &s, &n, &err), 0);
    assert_int_equal(n, 4);
    assert_exact(s[1].lon, pts[1].lon);
    assert_exact(s[2].lon, pts[2].lon);
    assert_near(bp_geo_distance_m(s[0], pts[1]), 10.0, 1e-3);
    assert_near(bp_geo_distance_m(s[3], pts[2]), 10.0, 1e-3);
    bp_free(s);

    /* Ends on vertices: the vertices once, not twice. */
    assert_int_equal(bp_border_slice(b, c1, c3, &s, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_exact(s[0].lon, pts[1].lon);
    assert_exact(s[1].lon, pts[2].lon);
    assert_exact(s[2].lon, pts[3].lon);
    bp_free(s);

    /* The whole line. */
    assert_int_equal(bp_border_slice(b, 0, len, &s, &n, &err), 0);
    assert_int_equal(n, 5);
    assert_memory_equal(s, pts, sizeof(pts));
    bp_free(s);

    s = NULL;
    n = 99;
    assert_int_equal(bp_border_slice(b, 300, 300, &s, &n, &err), BP_ERANGE);
    assert_contains(err.message, "empty or outside");
    assert_int_equal(bp_border_slice(b, 300, 200, &s, &n, &err), BP_ERANGE);
    assert_int_equal(bp_border_slice(b, -1, 200, &s, &n, &err), BP_ERANGE);
    assert_int_equal(bp_border_slice(b, 0, len + 1, &s, &n, &err), BP_ERANGE);
    assert_int_equal(bp_border_slice(b, NAN, 10, &s, &n, &err), BP_ERANGE);
    assert_null(s);
    assert_int_equal(n, 99);
    bp_border_free(b);
}

/* ---- joining parts ---------------------------------------------------- */

#define JN 21 /* vertices of the line cut into parts */

static void line_for_join(struct bp_lonlat *v)
{
    size_t i;

    for (i = 0; i < JN; i++) {
        v[i].lon = 106.0 + 0.005 * (double)i;
        v[i].lat = 22.0 + 0.002 * sin((double)i);
    }
}

static void test_join_shuffled(void **state)
{
    /* Cut at vertices 5, 9, 10, 16: parts share their end vertices. */
    static const size_t cut[][2] = {
        {0, 5}, {5, 9}, {9, 10}, {10, 16}, {16, 20}};
    static const struct {
        const char *name;
        size_t order[5];
        unsigned reversed; /* bit per part */
    } cases[] = {
        {"in order", {0, 1, 2, 3, 4}, 0},
        {"shuffled", {3, 0, 4, 2, 1}, 0},
        {"shuffled and reversed", {2, 4, 1, 0, 3}, 0x15},
        {"all reversed", {4, 3, 2, 1, 0}, 0x1f},
    };
    struct bp_lonlat v[JN], copies[5][JN];
    size_t i, k, m;

    (void)state;
    line_for_join(v);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct bp_lonlat *parts[5];
        size_t lens[5], nout = 0;
        struct bp_lonlat *out = NULL;
        struct bp_error err = {0};
        int fwd;

        print_message("case: %s\n", cases[i].name);
        for (k = 0; k < 5; k++) {
            size_t p = cases[i].order[k], a = cut[p][0], e = cut[p][1];

            lens[k] = e - a + 1;
            for (m = 0; m < lens[k]; m++)
                copies[k][m] =
                    (cases[i].reversed >> k) & 1 ? v[e - m] : v[a + m];
            parts[k] = copies[k];
        }
        assert_int_equal(
            bp_geo_join_parts(parts, lens, 5, 0.0, &out, &nout, &err), 0);
        assert_int_equal(nout, JN);
        fwd = out[0].lon == v[0].lon;
        for (m = 0; m < JN; m++) {
            assert_exact(out[m].lon, v[fwd ? m : JN - 1 - m].lon);
            assert_exact(out[m].lat, v[fwd ? m : JN - 1 - m].lat);
        }
        bp_free(out);
    }
}

static void test_join_errors(void **state)
{
    struct bp_lonlat v[JN], a[6], b[6], c[6], d[3];
    const struct bp_lonlat *parts[4];
    size_t lens[4] = {6, 6, 6, 3}, i, nout = 7;
    struct bp_lonlat *out = NULL;
    struct bp_error err = {0};
    double azi;

    (void)state;
    line_for_join(v);
    for (i = 0; i < 6; i++) {
        a[i] = v[i];
        b[i] = v[5 + i];
        c[i] = v[10 + i];
    }
    parts[0] = c;
    parts[1] = a;
    parts[2] = b;

    /* A gap: move the start of c 50 m away from the end of b. */
    geod_inverse(&wgs, v[10].lat, v[10].lon, v[11].lat, v[11].lon, NULL, &azi,
                 NULL);
    geod_direct(&wgs, v[10].lat, v[10].lon, azi + 180, 50.0, &c[0].lat,
                &c[0].lon, NULL);
    assert_int_equal(bp_geo_join_parts(parts, lens, 3, 1.0, &out, &nout, &err),
                     BP_EGEOM);
    assert_contains(err.message, "the end of part 2");
    assert_contains(err.message, "the start of part 0");
    assert_contains(err.message, "are 50.000 m apart (tolerance 1 m)");
    assert_null(out);
    assert_int_equal(nout, 7);

    /* Within the tolerance the two ends are both kept. */
    assert_int_equal(bp_geo_join_parts(parts, lens, 3, 60.0, &out, &nout, &err),
                     0);
    assert_int_equal(nout, 17);
    bp_free(out);
    out = NULL;

    /* A branch: a fourth part starting where b ends. */
    c[0] = v[10];
    d[0] = v[10];
    d[1] = (struct bp_lonlat){v[10].lon, v[10].lat + 0.01};
    d[2] = (struct bp_lonlat){v[10].lon, v[10].lat + 0.02};
    parts[3] = d;
    assert_int_equal(bp_geo_join_parts(parts, lens, 4, 0.5, &out, &nout, &err),
                     BP_EGEOM);
    assert_contains(err.message, "branch");
    assert_contains(err.message, "parts ");
    assert_contains(err.message, "0");
    assert_contains(err.message, "2");
    assert_contains(err.message, "3");

    /* A closed ring of parts. */
    d[0] = v[15];
    d[1] = (struct bp_lonlat){106.03, 21.95};
    d[2] = v[0];
    assert_int_equal(bp_geo_join_parts(parts, lens, 4, 0.5, &out, &nout, &err),
                     BP_EGEOM);
    assert_contains(err.message, "closed ring");

    /* Degenerate inputs. */
    assert_int_equal(bp_geo_join_parts(parts, lens, 0, 0.5, &out, &nout, &err),
                     BP_EGEOM);
    lens[1] = 1;
    assert_int_equal(bp_geo_join_parts(parts, lens, 3, 0.5, &out, &nout, &err),
                     BP_EGEOM);
    assert_contains(err.message, "part 1 has 1 vertices");
    assert_int_equal(bp_geo_join_parts(parts, lens, 3, -1, &out, &nout, &err),
                     BP_EINVAL);
    assert_null(out);

    /* One part is the line itself. */
    lens[0] = 6;
    assert_int_equal(bp_geo_join_parts(parts, lens, 1, 0.0, &out, &nout, &err),
                     0);
    assert_int_equal(nout, 6);
    assert_memory_equal(out, c, sizeof(c));
    bp_free(out);
}

static void test_distance_direct(void **state)
{
    struct bp_lonlat a = {106.5, 22.0}, b;
    double lat, lon;

    (void)state;
    b = bp_geo_direct(a, 37.0, 12345.678);
    geod_direct(&wgs, a.lat, a.lon, 37.0, 12345.678, &lat, &lon, NULL);
    assert_exact(b.lat, lat);
    assert_exact(b.lon, lon);
    assert_near(bp_geo_distance_m(a, b), 12345.678, 1e-6);
    assert_exact(bp_geo_distance_m(a, a), 0.0);
    /* Hanoi to Ho Chi Minh City, about 1137 km. */
    assert_near(bp_geo_distance_m((struct bp_lonlat){105.8542, 21.0285},
                                  (struct bp_lonlat){106.6297, 10.8231}) /
                    1000,
                1137, 5);
}

/* ---- out of memory ---------------------------------------------------- */

static void test_out_of_memory(void **state)
{
    struct bp_calib cal[] = {{-1, 5600.0, 106.05, 22.01}};
    struct bp_border_opts o = {0};
    struct bp_border *b = NULL;
    long k;
    int rc = BP_ENOMEM;

    (void)state;
    o.calib = cal;
    o.ncalib = 1;
    o.official_m = 20000.0;
    for (k = 0; rc == BP_ENOMEM; k++) {
        struct bp_error err = {0};

        bp_alloc_fail_after(k, 0);
        rc = bp_border_new(line3, 4, &o, &b, &err);
        bp_alloc_fail_after(-1, 0);
        if (rc) {
            assert_int_equal(rc, BP_ENOMEM);
            assert_null(b);
        }
    }
    assert_int_equal(rc, 0);
    print_message("bp_border_new survived %ld failing allocations\n", k - 1);
    {
        struct bp_lonlat *s = NULL;
        size_t n = 0;
        struct bp_error err = {0};

        bp_alloc_fail_after(0, 0);
        assert_int_equal(bp_border_slice(b, 10, 100, &s, &n, &err), BP_ENOMEM);
        bp_alloc_fail_after(-1, 0);
        assert_null(s);
    }
    {
        struct bp_lonlat v[JN];
        const struct bp_lonlat *parts[2] = {v, v + 10};
        size_t lens[2] = {11, 11}, nout = 0;
        struct bp_lonlat *out = NULL;

        line_for_join(v);
        for (k = 0, rc = BP_ENOMEM; rc == BP_ENOMEM; k++) {
            struct bp_error err = {0};

            bp_alloc_fail_after(k, 0);
            rc = bp_geo_join_parts(parts, lens, 2, 0.0, &out, &nout, &err);
            bp_alloc_fail_after(-1, 0);
        }
        assert_int_equal(rc, 0);
        assert_int_equal(nout, 21);
        bp_free(out);
    }
    bp_border_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_vertices),
        cmocka_unit_test(test_zero_length_segment),
        cmocka_unit_test(test_fewer_than_two_vertices),
        cmocka_unit_test(test_bad_vertices),
        cmocka_unit_test(test_antimeridian_rejected),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_direction_and_side),
        cmocka_unit_test(test_point_beyond_ends),
        cmocka_unit_test(test_equidistant_segments),
        cmocka_unit_test(test_point_on_vertex),
        cmocka_unit_test(test_far_point),
        cmocka_unit_test(test_accuracy_wiggly_line),
        cmocka_unit_test(test_accuracy_long_segments),
        cmocka_unit_test(test_index_matches_scan),
        cmocka_unit_test(test_official_only),
        cmocka_unit_test(test_calibration_points),
        cmocka_unit_test(test_calibration_errors),
        cmocka_unit_test(test_calibration_twin_marker),
        cmocka_unit_test(test_point),
        cmocka_unit_test(test_slice),
        cmocka_unit_test(test_join_shuffled),
        cmocka_unit_test(test_join_errors),
        cmocka_unit_test(test_distance_direct),
        cmocka_unit_test(test_out_of_memory),
    };

    geod_setup();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
