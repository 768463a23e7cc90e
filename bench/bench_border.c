/* SPDX-License-Identifier: MIT */
/*
 * bench_border: the measure engine (include/bienphong/geo.h) against GEOS,
 * the library a user would otherwise reach for, in one process and one
 * run. A synthetic 230 km, 50,000-vertex mountain line and a million GPS
 * fixes near it are generated in memory; the program prints one table of
 * rates, errors and ratios, marks each against its target, and exits 0
 * whatever the numbers: benchmarks never assert on time.
 *
 *   bench_border [--quick]     (--quick: a tenth of the work, for a smoke run)
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GEOS_USE_ONLY_R_API
#include <geodesic.h>
#include <geos_c.h>

#include "benchlib.h"
#include "bienphong/alloc.h"
#include "bienphong/geo.h"

#define SEED         20240303ULL
#define NVERTS       50000
#define LINE_M       230000.0
#define MAX_OFFSET_M 2000.0
#define REPEATS      3 /* bienphong loops: best of three */

/* Targets from the issue; informational, the program exits 0 either way. */
#define TARGET_RANDOM_PER_S 3e6
#define TARGET_TRACK_PER_S  5e6
#define TARGET_POINT_PER_S  1e7
#define TARGET_MEASURE_MM   1.0
#define TARGET_OFFSET_CM    1.0

/* A naive user turns degrees into metres with this one figure. */
#define NAIVE_M_PER_DEG 111320.0

/* How many fixes each part works on; --quick divides them by ten. */
struct sizes {
    size_t fixes;        /* random order and track order each */
    size_t geos_project; /* GEOSProject_r walks every vertex: a sample */
    size_t geos_tree;    /* GEOS STRtree nearest queries */
    size_t geos_interp;  /* GEOSInterpolate_r, also a walk */
    size_t scan;         /* bp_border_project_scan, also a walk */
    size_t acc;          /* accuracy candidates */
    size_t naive;        /* accuracy fixes given to the naive GEOS route */
};

/* Everything the GEOS side needs. */
struct geos {
    GEOSContextHandle_t h;
    GEOSGeometry *line;  /* the line in planar lon/lat degrees */
    double len_deg;      /* its planar length, degrees */
    double *cum_deg;     /* planar measure of each vertex, degrees */
    GEOSSTRtree *tree;   /* one item per segment */
    GEOSGeometry **segs; /* the segments inserted (kept alive) */
    size_t *ids;         /* the tree's items: segment indices */
    const struct bp_lonlat *v;
    size_t n;
};

/* The query of a nearest-segment search, handed to the callback. */
struct nn_ctx {
    const struct bp_lonlat *v;
    const void *query; /* the query's item, to tell it from tree items */
    double x, y;       /* the query point, degrees */
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void die(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fputs("bench_border: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = bp_calloc(n ? n : 1, size);

    if (!p)
        die("out of memory");
    return p;
}

/*
 * Seconds of CPU time used by this process (one thread): the rates are
 * per core, and on a shared machine CPU time does not count the time
 * other programs hold the core.
 */
static double cpu_now_s(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts))
        return bench_now_s();
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- bienphong, timed ---- */

static double time_project(const struct bp_border *b, const struct bp_lonlat *f,
                           size_t n, size_t *fails)
{
    struct bp_hit hit;
    double t0, sum = 0;
    size_t i, bad = 0;

    t0 = cpu_now_s();
    for (i = 0; i < n; i++) {
        if (bp_border_project(b, f[i].lon, f[i].lat, &hit))
            bad++;
        else
            sum += hit.measure_m + hit.offset_m;
    }
    t0 = cpu_now_s() - t0;
    bench_sink = sum;
    *fails = bad;
    return t0;
}

static double time_project_near(const struct bp_border *b,
                                const struct bp_lonlat *f, size_t n,
                                size_t *fails)
{
    struct bp_hit hit = {0};
    double t0, sum = 0;
    size_t i, bad = 0;

    t0 = cpu_now_s();
    /* Hint from the previous hit, as the patrol walk does along a track. */
    for (i = 0; i < n; i++) {
        if (bp_border_project_near(b, f[i].lon, f[i].lat, hit.segment, &hit))
            bad++;
        else
            sum += hit.measure_m + hit.offset_m;
    }
    t0 = cpu_now_s() - t0;
    bench_sink = sum;
    *fails = bad;
    return t0;
}

/* Points bp_border_project_many() gets at a time, as `border locate`
 * gives it. */
#define MANY_CHUNK 4096

static double time_project_many(const struct bp_border *b,
                                const struct bp_lonlat *f, size_t n,
                                size_t *fails)
{
    struct bp_hit *hit = xcalloc(MANY_CHUNK, sizeof(*hit));
    double t0, sum = 0;
    size_t i, k, m, bad = 0;

    t0 = cpu_now_s();
    for (i = 0; i < n; i += m) {
        m = n - i < MANY_CHUNK ? n - i : MANY_CHUNK;
        k = bp_border_project_many(b, f + i, m, hit);
        bad += m - k;
        while (k--)
            sum += hit[k].measure_m + hit[k].offset_m;
    }
    t0 = cpu_now_s() - t0;
    bench_sink = sum;
    *fails = bad;
    bp_free(hit);
    return t0;
}

/* Whether two answers differ in any field. */
static int hits_differ(const struct bp_hit *a, const struct bp_hit *b)
{
    return a->segment != b->segment || a->measure_m != b->measure_m ||
           a->geodesic_m != b->geodesic_m || a->offset_m != b->offset_m ||
           a->lon != b->lon || a->lat != b->lat;
}

/* How many of the n fixes bp_border_project_many() answers other than
 * bp_border_project() does, in any field. */
static size_t many_differ(const struct bp_border *b, const struct bp_lonlat *f,
                          size_t n)
{
    struct bp_hit *hit = xcalloc(MANY_CHUNK, sizeof(*hit)), one;
    size_t i, k, m, differ = 0;

    for (i = 0; i < n; i += m) {
        m = n - i < MANY_CHUNK ? n - i : MANY_CHUNK;
        if (bp_border_project_many(b, f + i, m, hit) != m) {
            differ += m;
            continue;
        }
        for (k = 0; k < m; k++)
            differ += bp_border_project(b, f[i + k].lon, f[i + k].lat, &one) ||
                      hits_differ(&one, &hit[k]);
    }
    bp_free(hit);
    return differ;
}

static double time_scan(const struct bp_border *b, const struct bp_lonlat *f,
                        size_t n, size_t *fails)
{
    struct bp_hit hit;
    double t0, sum = 0;
    size_t i, bad = 0;

    t0 = cpu_now_s();
    for (i = 0; i < n; i++) {
        if (bp_border_project_scan(b, f[i].lon, f[i].lat, &hit))
            bad++;
        else
            sum += hit.measure_m + hit.offset_m;
    }
    t0 = cpu_now_s() - t0;
    bench_sink = sum;
    *fails = bad;
    return t0;
}

static double time_point(const struct bp_border *b, const double *m, size_t n,
                         size_t *fails)
{
    struct bp_lonlat pt;
    double t0, sum = 0;
    size_t i, bad = 0;

    t0 = cpu_now_s();
    for (i = 0; i < n; i++) {
        if (bp_border_point(b, m[i], &pt))
            bad++;
        else
            sum += pt.lon + pt.lat;
    }
    t0 = cpu_now_s() - t0;
    bench_sink = sum;
    *fails = bad;
    return t0;
}

/* ---- GEOS ---- */

static void geos_message(const char *message, void *userdata)
{
    (void)userdata;
    fprintf(stderr, "bench_border: GEOS: %s\n", message);
}

/* Distance from (px, py) to segment ab in planar degrees; `*t` is where
 * the nearest point is along ab, 0 to 1. */
static double seg_distance_deg(double px, double py, struct bp_lonlat a,
                               struct bp_lonlat b, double *t)
{
    double dx = b.lon - a.lon, dy = b.lat - a.lat;
    double len2 = dx * dx + dy * dy;
    double u = len2 > 0 ? ((px - a.lon) * dx + (py - a.lat) * dy) / len2 : 0;

    if (u < 0)
        u = 0;
    if (u > 1)
        u = 1;
    if (t)
        *t = u;
    return hypot(px - (a.lon + u * dx), py - (a.lat + u * dy));
}

/* GEOSDistanceCallback: one item is the query, the other a segment index.
 * Returns 1 for success as GEOS expects. */
static int nn_distance(const void *item1, const void *item2, double *distance,
                       void *userdata)
{
    const struct nn_ctx *c = userdata;
    const size_t *seg = item1 == c->query ? item2 : item1;

    *distance = seg_distance_deg(c->x, c->y, c->v[*seg], c->v[*seg + 1], NULL);
    return 1;
}

static void geos_init(struct geos *g, const struct bp_lonlat *v, size_t n)
{
    GEOSCoordSequence *cs;
    size_t i;

    memset(g, 0, sizeof(*g));
    g->v = v;
    g->n = n;
    g->h = GEOS_init_r();
    if (!g->h)
        die("GEOS_init_r failed");
    GEOSContext_setErrorMessageHandler_r(g->h, geos_message, NULL);
    cs = GEOSCoordSeq_create_r(g->h, (unsigned)n, 2);
    if (!cs)
        die("GEOSCoordSeq_create_r failed");
    for (i = 0; i < n; i++)
        GEOSCoordSeq_setXY_r(g->h, cs, (unsigned)i, v[i].lon, v[i].lat);
    g->line = GEOSGeom_createLineString_r(g->h, cs); /* takes cs */
    if (!g->line || !GEOSLength_r(g->h, g->line, &g->len_deg))
        die("cannot make the GEOS line");
    g->cum_deg = xcalloc(n, sizeof(double));
    for (i = 1; i < n; i++)
        g->cum_deg[i] = g->cum_deg[i - 1] +
                        hypot(v[i].lon - v[i - 1].lon, v[i].lat - v[i - 1].lat);
}

/* The best GEOS route: an STRtree of the segments. Returns seconds taken
 * to insert them and build the tree (built lazily on first query). */
static double geos_tree_build(struct geos *g)
{
    struct nn_ctx c = {g->v, NULL, g->v[0].lon, g->v[0].lat};
    GEOSGeometry *probe;
    double t0 = cpu_now_s();
    size_t i;

    g->tree = GEOSSTRtree_create_r(g->h, 10);
    g->segs = xcalloc(g->n - 1, sizeof(*g->segs));
    g->ids = xcalloc(g->n - 1, sizeof(*g->ids));
    if (!g->tree)
        die("GEOSSTRtree_create_r failed");
    for (i = 0; i + 1 < g->n; i++) {
        GEOSCoordSequence *cs = GEOSCoordSeq_create_r(g->h, 2, 2);

        if (!cs)
            die("GEOSCoordSeq_create_r failed");
        GEOSCoordSeq_setXY_r(g->h, cs, 0, g->v[i].lon, g->v[i].lat);
        GEOSCoordSeq_setXY_r(g->h, cs, 1, g->v[i + 1].lon, g->v[i + 1].lat);
        g->segs[i] = GEOSGeom_createLineString_r(g->h, cs);
        if (!g->segs[i])
            die("GEOSGeom_createLineString_r failed");
        g->ids[i] = i;
        GEOSSTRtree_insert_r(g->h, g->tree, g->segs[i], &g->ids[i]);
    }
    probe = GEOSGeom_createPointFromXY_r(g->h, c.x, c.y);
    c.query = &c;
    if (!probe || !GEOSSTRtree_nearest_generic_r(g->h, g->tree, &c, probe,
                                                 nn_distance, &c))
        die("GEOS STRtree nearest failed");
    GEOSGeom_destroy_r(g->h, probe);
    return cpu_now_s() - t0;
}

static GEOSGeometry **geos_points(struct geos *g, const struct bp_lonlat *f,
                                  size_t n)
{
    GEOSGeometry **p = xcalloc(n, sizeof(*p));
    size_t i;

    for (i = 0; i < n; i++) {
        p[i] = GEOSGeom_createPointFromXY_r(g->h, f[i].lon, f[i].lat);
        if (!p[i])
            die("GEOSGeom_createPointFromXY_r failed");
    }
    return p;
}

static void geos_points_free(struct geos *g, GEOSGeometry **p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        GEOSGeom_destroy_r(g->h, p[i]);
    bp_free(p);
}

/* GEOSProject_r over `n` points; `proj` (may be NULL) gets the results. */
static double time_geos_project(struct geos *g, GEOSGeometry **pt, size_t n,
                                double *proj)
{
    double t0, sum = 0;
    size_t i;

    t0 = cpu_now_s();
    for (i = 0; i < n; i++) {
        double d = GEOSProject_r(g->h, g->line, pt[i]);

        sum += d;
        if (proj)
            proj[i] = d;
    }
    t0 = cpu_now_s() - t0;
    bench_sink = sum;
    return t0;
}

/* STRtree nearest segment, then the planar measure on it: what a user
 * would build with GEOS. `seg` (may be NULL) gets the segments found. */
static double time_geos_tree(struct geos *g, GEOSGeometry **pt,
                             const struct bp_lonlat *f, size_t n, size_t *seg,
                             size_t *fails)
{
    struct nn_ctx c = {g->v, NULL, 0, 0};
    double t0, sum = 0;
    size_t i, bad = 0;

    c.query = &c;
    t0 = cpu_now_s();
    for (i = 0; i < n; i++) {
        const size_t *hit;
        double t;

        c.x = f[i].lon;
        c.y = f[i].lat;
        hit = GEOSSTRtree_nearest_generic_r(g->h, g->tree, &c, pt[i],
                                            nn_distance, &c);
        if (!hit) {
            bad++;
            continue;
        }
        seg_distance_deg(c.x, c.y, g->v[*hit], g->v[*hit + 1], &t);
        sum += g->cum_deg[*hit] + t * (g->cum_deg[*hit + 1] - g->cum_deg[*hit]);
        if (seg)
            seg[i] = *hit;
    }
    t0 = cpu_now_s() - t0;
    bench_sink = sum;
    *fails = bad;
    return t0;
}

static double time_geos_interpolate(struct geos *g, const double *d, size_t n,
                                    size_t *fails)
{
    double t0, sum = 0, x;
    size_t i, bad = 0;

    t0 = cpu_now_s();
    for (i = 0; i < n; i++) {
        GEOSGeometry *p = GEOSInterpolate_r(g->h, g->line, d[i]);

        if (!p || !GEOSGeomGetX_r(g->h, p, &x))
            bad++;
        else
            sum += x;
        GEOSGeom_destroy_r(g->h, p);
    }
    t0 = cpu_now_s() - t0;
    bench_sink = sum;
    *fails = bad;
    return t0;
}

static void geos_release(struct geos *g)
{
    size_t i;

    if (g->tree)
        GEOSSTRtree_destroy_r(g->h, g->tree);
    if (g->segs)
        for (i = 0; i + 1 < g->n; i++)
            GEOSGeom_destroy_r(g->h, g->segs[i]);
    bp_free(g->segs);
    bp_free(g->ids);
    bp_free(g->cum_deg);
    if (g->line)
        GEOSGeom_destroy_r(g->h, g->line);
    if (g->h)
        GEOS_finish_r(g->h);
}

/* ---- accuracy: fixes whose true measure and offset are known ---- */

/* A fix built at a known geodesic measure and perpendicular offset. */
struct truth {
    struct bp_lonlat fix;
    double measure_m; /* geodesic measure of the foot */
    double offset_m;  /* signed: > 0 right of increasing measure */
};

#define CHUNK 64 /* segments per bounding box of the uniqueness check */

/* Bounding boxes of runs of CHUNK segments, to skip far parts quickly. */
struct chunks {
    size_t n;
    double *lon0, *lon1, *lat0, *lat1;
};

static void chunks_make(struct chunks *c, const struct bench_line *line)
{
    size_t nseg = line->n - 1, k, j;

    c->n = (nseg + CHUNK - 1) / CHUNK;
    c->lon0 = xcalloc(c->n, sizeof(double));
    c->lon1 = xcalloc(c->n, sizeof(double));
    c->lat0 = xcalloc(c->n, sizeof(double));
    c->lat1 = xcalloc(c->n, sizeof(double));
    for (k = 0; k < c->n; k++) {
        c->lon0[k] = c->lat0[k] = INFINITY;
        c->lon1[k] = c->lat1[k] = -INFINITY;
        for (j = k * CHUNK; j <= (k + 1) * CHUNK && j < line->n; j++) {
            const struct bp_lonlat *p = &line->pts[j];

            c->lon0[k] = fmin(c->lon0[k], p->lon);
            c->lon1[k] = fmax(c->lon1[k], p->lon);
            c->lat0[k] = fmin(c->lat0[k], p->lat);
            c->lat1[k] = fmax(c->lat1[k], p->lat);
        }
    }
}

static void chunks_release(struct chunks *c)
{
    bp_free(c->lon0);
    bp_free(c->lon1);
    bp_free(c->lat0);
    bp_free(c->lat1);
}

/* Distance from the origin to segment ab of a plane, metres. */
static double origin_segment(double ax, double ay, double bx, double by)
{
    double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    double u = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;

    if (u < 0)
        u = 0;
    if (u > 1)
        u = 1;
    return hypot(ax + u * dx, ay + u * dy);
}

/*
 * Exact distance from `f` to segment j: both ends placed by geod_inverse
 * in the azimuthal equidistant plane centred on `f`, where distances from
 * `f` are true and a few-metre geodesic is straight to a nanometre.
 */
static double exact_distance(const struct geod_geodesic *geod,
                             struct bp_lonlat f, const struct bench_line *line,
                             size_t j)
{
    double s[2], az[2], back;
    int k;

    for (k = 0; k < 2; k++) {
        const struct bp_lonlat *p = &line->pts[j + (size_t)k];

        geod_inverse(geod, f.lat, f.lon, p->lat, p->lon, &s[k], &az[k], &back);
        az[k] *= M_PI / 180.0;
    }
    return origin_segment(s[0] * sin(az[0]), s[0] * cos(az[0]),
                          s[1] * sin(az[1]), s[1] * cos(az[1]));
}

/*
 * Whether the foot on segment `seg` is the unique nearest point of the
 * line to `f`, every other segment being at least 0.1 mm farther. Far
 * segments are ruled out with a generous local planar distance; near
 * ones are measured exactly. `*dist` gets the exact distance to `seg`.
 */
static int unique_foot(const struct geod_geodesic *geod,
                       const struct chunks *ch, const struct bench_line *line,
                       struct bp_lonlat f, size_t seg, double d_m, double *dist)
{
    const double tie_m = 1e-4;
    double mx, my, limit, own;
    size_t k, j;

    bench_metres_per_degree(f.lat, &mx, &my);
    /* Local planar distances are off by under 1e-3 relative here. */
    limit = d_m * 1.002 + 0.5;
    own = exact_distance(geod, f, line, seg);
    *dist = own;
    for (k = 0; k < ch->n; k++) {
        double ex = fmax(0, fmax(ch->lon0[k] - f.lon, f.lon - ch->lon1[k]));
        double ey = fmax(0, fmax(ch->lat0[k] - f.lat, f.lat - ch->lat1[k]));

        if (hypot(ex * mx, ey * my) > limit)
            continue;
        for (j = k * CHUNK; j < (k + 1) * CHUNK && j + 1 < line->n; j++) {
            const struct bp_lonlat *a = &line->pts[j], *b = &line->pts[j + 1];
            double ax = (a->lon - f.lon) * mx, ay = (a->lat - f.lat) * my;
            double bx = (b->lon - f.lon) * mx, by = (b->lat - f.lat) * my;

            if (j == seg || origin_segment(ax, ay, bx, by) > limit)
                continue;
            if (exact_distance(geod, f, line, j) <= own + tie_m)
                return 0;
        }
    }
    return 1;
}

/* Wrap an azimuth difference into (-180, 180]. */
static double wrap180(double d)
{
    while (d > 180)
        d -= 360;
    while (d <= -180)
        d += 360;
    return d;
}

/*
 * Build `want` candidate fixes: a uniformly random geodesic measure, the
 * foot there found with bp_geo_direct along the segment, and the fix at a
 * log-uniform offset from 0.5 m to 2 km square to the line, either side.
 * Keep those whose foot is the line's unique nearest point. Returns the
 * count kept; `*construct_m` gets the largest |exact distance - offset|.
 */
static size_t make_truth(const struct bench_line *line, size_t want,
                         struct truth *out, double *construct_m)
{
    struct bench_rng rng = {SEED ^ 0xACC0ACC0ULL};
    struct geod_geodesic geod;
    struct chunks ch;
    size_t k, kept = 0;
    double worst = 0;

    geod_init(&geod, 6378137.0, 1 / 298.257223563);
    chunks_make(&ch, line);
    for (k = 0; k < want; k++) {
        struct bp_lonlat foot, fix, dummy;
        double g = bench_rng_range(&rng, 1.0, line->length_m - 1.0);
        double side = bench_rng_unit(&rng) < 0.5 ? -1.0 : 1.0;
        double d = exp(bench_rng_range(&rng, log(0.5), log(MAX_OFFSET_M)));
        size_t i = bench_line_at(line, g, &dummy);
        double s = g - line->cum_m[i];
        double seglen = line->cum_m[i + 1] - line->cum_m[i];
        /* The azimuth along a few-metre geodesic changes linearly. */
        double azi =
            line->azi1[i] + wrap180(line->azi2[i] - line->azi1[i]) * s / seglen;
        double dist;

        foot = bp_geo_direct(line->pts[i], line->azi1[i], s);
        fix = bp_geo_direct(foot, azi + side * 90.0, d);
        if (!unique_foot(&geod, &ch, line, fix, i, d, &dist))
            continue;
        if (fabs(dist - d) > worst)
            worst = fabs(dist - d);
        out[kept].fix = fix;
        out[kept].measure_m = g;
        out[kept].offset_m = side * d;
        kept++;
    }
    chunks_release(&ch);
    *construct_m = worst;
    return kept;
}

/* ---- the phases ---- */

/* The data every phase works on. */
struct data {
    struct bench_line line;
    struct bp_border *b;
    struct bp_lonlat *rnd, *trk; /* random order, track order */
    double *meas;                /* random calibrated measures */
};

/* What was measured: rates per second, times in seconds, errors in m. */
struct results {
    double build_s, tree_s;
    double rand, track, nohint, stale, point, scan; /* bienphong */
    double many_rand, many_track;                   /* project_many */
    double gproj, gtree, gtree_trk, ginterp;        /* GEOS */
    double e_meas_max, e_meas_mean, e_off_max, e_off_mean;
    double n_meas_max, n_meas_mean, n_off_max, n_off_mean;
    size_t nkept, nnaive;
    double construct_m;
    size_t scan_same, near_differ, many_differ, tree_same;
    double scan_dm, v_max, v_mean; /* naive vs bienphong, random fixes */
    size_t fails, geos_fails;      /* calls that returned an error */
};

/* bienphong's rates, each the best of REPEATS, and its self-checks. */
static void run_bienphong(const struct data *d, const struct sizes *sz,
                          struct results *r)
{
    double best;
    size_t i, f1;
    int rep;

#define BEST_OF(call)                                                          \
    do {                                                                       \
        best = INFINITY;                                                       \
        for (rep = 0; rep < REPEATS; rep++, r->fails += f1)                    \
            best = fmin(best, (call));                                         \
    } while (0)

    BEST_OF(time_project(d->b, d->rnd, sz->fixes, &f1));
    r->rand = (double)sz->fixes / best;
    BEST_OF(time_project_near(d->b, d->trk, sz->fixes, &f1));
    r->track = (double)sz->fixes / best;
    BEST_OF(time_project(d->b, d->trk, sz->fixes, &f1));
    r->nohint = (double)sz->fixes / best;
    /* A hint from the fix before, when the fixes are in no order. */
    BEST_OF(time_project_near(d->b, d->rnd, sz->fixes, &f1));
    r->stale = (double)sz->fixes / best;
    BEST_OF(time_project_many(d->b, d->rnd, sz->fixes, &f1));
    r->many_rand = (double)sz->fixes / best;
    BEST_OF(time_project_many(d->b, d->trk, sz->fixes, &f1));
    r->many_track = (double)sz->fixes / best;
    BEST_OF(time_point(d->b, d->meas, sz->fixes, &f1));
    r->point = (double)sz->fixes / best;
#undef BEST_OF
    r->scan = (double)sz->scan / time_scan(d->b, d->rnd, sz->scan, &f1);
    r->fails += f1;

    r->many_differ = many_differ(d->b, d->rnd, sz->fixes) +
                     many_differ(d->b, d->trk, sz->fixes);
    /* Same answers: the index against the scan, the hint against none. */
    for (i = 0; i < sz->scan; i++) {
        struct bp_hit h1, h2;

        if (bp_border_project(d->b, d->rnd[i].lon, d->rnd[i].lat, &h1) ||
            bp_border_project_scan(d->b, d->rnd[i].lon, d->rnd[i].lat, &h2))
            continue;
        r->scan_same += h1.segment == h2.segment;
        r->scan_dm = fmax(r->scan_dm, fabs(h1.measure_m - h2.measure_m));
    }
    {
        struct bp_hit h1, h2 = {0};

        for (i = 0; i < sz->fixes; i++) {
            const struct bp_lonlat *f = &d->trk[i];

            if (bp_border_project(d->b, f->lon, f->lat, &h1) ||
                bp_border_project_near(d->b, f->lon, f->lat, h2.segment, &h2))
                continue;
            r->near_differ += (size_t)hits_differ(&h1, &h2);
        }
    }
}

/* The GEOS routes on samples of the same fixes and measures. */
static void run_geos(struct geos *g, const struct data *d,
                     const struct sizes *sz, struct results *r)
{
    GEOSGeometry **gp;
    size_t *seg, i, f1;
    double *proj, *deg, sum = 0;

    gp = geos_points(g, d->rnd, sz->geos_project);
    proj = xcalloc(sz->geos_project, sizeof(double));
    r->gproj = (double)sz->geos_project /
               time_geos_project(g, gp, sz->geos_project, proj);
    geos_points_free(g, gp, sz->geos_project);
    /* The naive route next to bienphong on random fixes, for scale. */
    for (i = 0; i < sz->geos_project; i++) {
        struct bp_hit h;
        double naive = proj[i] / g->len_deg * d->line.length_m;

        if (bp_border_project(d->b, d->rnd[i].lon, d->rnd[i].lat, &h))
            continue;
        r->v_max = fmax(r->v_max, fabs(naive - h.geodesic_m));
        sum += fabs(naive - h.geodesic_m);
    }
    r->v_mean = sum / (double)(sz->geos_project ? sz->geos_project : 1);
    bp_free(proj);

    r->tree_s = geos_tree_build(g);
    seg = xcalloc(sz->geos_tree, sizeof(size_t));
    gp = geos_points(g, d->rnd, sz->geos_tree);
    r->gtree = (double)sz->geos_tree /
               time_geos_tree(g, gp, d->rnd, sz->geos_tree, seg, &f1);
    geos_points_free(g, gp, sz->geos_tree);
    r->geos_fails += f1;
    for (i = 0; i < sz->geos_tree; i++) {
        struct bp_hit h;

        if (!bp_border_project(d->b, d->rnd[i].lon, d->rnd[i].lat, &h))
            r->tree_same += h.segment == seg[i];
    }
    bp_free(seg);
    gp = geos_points(g, d->trk, sz->geos_tree);
    r->gtree_trk = (double)sz->geos_tree /
                   time_geos_tree(g, gp, d->trk, sz->geos_tree, NULL, &f1);
    geos_points_free(g, gp, sz->geos_tree);
    r->geos_fails += f1;

    /* The same measures as bienphong's, as distances along in degrees. */
    deg = xcalloc(sz->geos_interp, sizeof(double));
    for (i = 0; i < sz->geos_interp; i++)
        deg[i] = d->meas[i] / bp_border_length_m(d->b) * g->len_deg;
    r->ginterp = (double)sz->geos_interp /
                 time_geos_interpolate(g, deg, sz->geos_interp, &f1);
    r->geos_fails += f1;
    bp_free(deg);
}

/* Errors against known measures and offsets, bienphong and naive GEOS. */
static void run_accuracy(struct geos *g, const struct data *d,
                         const struct sizes *sz, struct results *r)
{
    struct truth *truth = xcalloc(sz->acc, sizeof(*truth));
    double sm = 0, so = 0, nsm = 0, nso = 0;
    size_t k;

    r->nkept = make_truth(&d->line, sz->acc, truth, &r->construct_m);
    for (k = 0; k < r->nkept; k++) {
        struct bp_hit h;
        double em, eo;

        if (bp_border_project(d->b, truth[k].fix.lon, truth[k].fix.lat, &h)) {
            r->fails++;
            continue;
        }
        em = fabs(h.measure_m - truth[k].measure_m);
        eo = fabs(h.offset_m - truth[k].offset_m);
        r->e_meas_max = fmax(r->e_meas_max, em);
        r->e_off_max = fmax(r->e_off_max, eo);
        sm += em;
        so += eo;
    }
    r->nnaive = r->nkept < sz->naive ? r->nkept : sz->naive;
    for (k = 0; k < r->nnaive; k++) {
        GEOSGeometry *p = GEOSGeom_createPointFromXY_r(g->h, truth[k].fix.lon,
                                                       truth[k].fix.lat);
        double dist = 0, m, em, eo;

        if (!p)
            die("GEOSGeom_createPointFromXY_r failed");
        m = GEOSProject_r(g->h, g->line, p) / g->len_deg * d->line.length_m;
        if (!GEOSDistance_r(g->h, g->line, p, &dist))
            r->geos_fails++;
        GEOSGeom_destroy_r(g->h, p);
        em = fabs(m - truth[k].measure_m);
        /* Unsigned distance against the unsigned offset: kind to GEOS. */
        eo = fabs(dist * NAIVE_M_PER_DEG - fabs(truth[k].offset_m));
        r->n_meas_max = fmax(r->n_meas_max, em);
        r->n_off_max = fmax(r->n_off_max, eo);
        nsm += em;
        nso += eo;
    }
    r->e_meas_mean = sm / (double)(r->nkept ? r->nkept : 1);
    r->e_off_mean = so / (double)(r->nkept ? r->nkept : 1);
    r->n_meas_mean = nsm / (double)(r->nnaive ? r->nnaive : 1);
    r->n_off_mean = nso / (double)(r->nnaive ? r->nnaive : 1);
    bp_free(truth);
}

/* ---- the table ---- */

static const char *pass(int ok)
{
    return ok ? "PASS" : "MISS";
}

/* "N (what, n = M)", or "N (what)" when `n` is 0. */
static char *peer_cell(char *out, size_t size, const char *value,
                       const char *what, size_t n)
{
    char ns[32];

    if (n)
        snprintf(out, size, "%s (%s, n = %s)", value, what,
                 bench_fmt_count((double)n, ns, sizeof(ns)));
    else
        snprintf(out, size, "%s (%s)", value, what);
    return out;
}

/* A row of rates: bienphong's, the peer's (or none when `peer` is 0). */
static void rate_row(struct bench_table *t, const char *what, double mine,
                     double peer, const char *peer_what, size_t npeer,
                     const char *target, const char *result)
{
    char m[64], p[64], cell[BENCH_CELL], ratio[64];

    bench_fmt_count(mine, m, sizeof(m));
    if (peer > 0) {
        peer_cell(cell, sizeof(cell), bench_fmt_count(peer, p, sizeof(p)),
                  peer_what, npeer);
        bench_fmt_ratio(mine / peer, ratio, sizeof(ratio));
    } else {
        snprintf(cell, sizeof(cell), "—");
        ratio[0] = '\0';
    }
    bench_table_row(t, what, m, cell, ratio, target, result);
}

/* A row of errors, in metres, each shown in the unit that suits it. */
static void error_row(struct bench_table *t, const char *what, double bp_m,
                      double peer_m, const char *peer_what, size_t npeer,
                      const char *target, const char *result)
{
    char mine[64], peer[64], cell[BENCH_CELL], ratio[64];

    bench_fmt_length(bp_m, mine, sizeof(mine));
    bench_fmt_length(peer_m, peer, sizeof(peer));
    peer_cell(cell, sizeof(cell), peer, peer_what, npeer);
    bench_fmt_ratio(bp_m > 0 ? peer_m / bp_m : INFINITY, ratio, sizeof(ratio));
    bench_table_row(t, what, mine, cell, ratio, target, result);
}

static void print_results(const struct data *d, const struct sizes *sz,
                          const struct results *r)
{
    static const char *const header[] = {"what",  "bienphong", "peer",
                                         "ratio", "target",    "result"};
    struct bench_table t;
    char s1[64], s2[64], s3[64], cell[BENCH_CELL];

    bench_table_init(&t, header, 6);
    rate_row(&t, "project_many, random order (fixes/s)", r->many_rand,
             r->gtree, "GEOS STRtree nearest segment", sz->geos_tree,
             "≥ 3,000,000", pass(r->many_rand >= TARGET_RANDOM_PER_S));
    rate_row(&t, "project, random order, a call a fix (fixes/s)", r->rand,
             r->gproj, "GEOSProject_r in degrees", sz->geos_project, "", "");
    rate_row(&t, "project, random order, a call a fix (fixes/s)", r->rand,
             r->gtree, "GEOS STRtree nearest segment", sz->geos_tree, "", "");
    rate_row(&t, "project_near, track order (fixes/s)", r->track, r->gtree_trk,
             "GEOS STRtree nearest segment", sz->geos_tree, "≥ 5,000,000",
             pass(r->track >= TARGET_TRACK_PER_S));
    rate_row(&t, "project_many, track order (fixes/s)", r->many_track,
             r->gtree_trk, "GEOS STRtree nearest segment", sz->geos_tree, "",
             "");
    rate_row(&t, "project, track order, no hint (fixes/s)", r->nohint, 0, NULL,
             0, "", "");
    rate_row(&t, "project_near, random order, stale hint (fixes/s)", r->stale,
             0, NULL, 0, "", "");
    rate_row(&t, "measure → point (calls/s)", r->point, r->ginterp,
             "GEOSInterpolate_r", sz->geos_interp, "≥ 10,000,000",
             pass(r->point >= TARGET_POINT_PER_S));
    rate_row(&t, "brute-force scan, project_scan (fixes/s)", r->scan, 0, NULL,
             0, "", "");

    bench_fmt_ratio(r->tree_s / r->build_s, s3, sizeof(s3));
    peer_cell(cell, sizeof(cell),
              bench_fmt_num(r->tree_s * 1e3, 1, s2, sizeof(s2)),
              "GEOS STRtree of the segments", 0);
    bench_table_row(&t, "build line and index (ms)",
                    bench_fmt_num(r->build_s * 1e3, 1, s1, sizeof(s1)), cell,
                    s3, "", "");

    error_row(&t, "measure error, max", r->e_meas_max, r->n_meas_max,
              "GEOSProject_r fraction × geodesic length", r->nnaive, "≤ 1 mm",
              pass(r->e_meas_max <= TARGET_MEASURE_MM * 1e-3));
    error_row(&t, "measure error, mean", r->e_meas_mean, r->n_meas_mean, "same",
              r->nnaive, "", "");
    error_row(&t, "offset error, max", r->e_off_max, r->n_off_max,
              "GEOSDistance_r × 111,320 m/°", r->nnaive, "≤ 1 cm",
              pass(r->e_off_max <= TARGET_OFFSET_CM * 1e-2));
    error_row(&t, "offset error, mean", r->e_off_mean, r->n_off_mean, "same",
              r->nnaive, "", "");
    bench_table_print(&t, stdout);

    printf("\nratio: how many times faster (or more accurate) bienphong is "
           "than the peer. Rates in CPU time of one thread: bienphong the "
           "best of %d runs over all the fixes, GEOS one run over a sample "
           "(n). The brute-force scan ran on %zu fixes.\n",
           REPEATS, sz->scan);
    printf("- accuracy: %s of %s candidate fixes kept (their foot is the "
           "line's unique nearest point by 0.1 mm or more; offsets 0.5 m to "
           "2 km, log-uniform, either side); truth built with bp_geo_direct, "
           "checked with PROJ geod_inverse to %.1e m\n",
           bench_fmt_count((double)r->nkept, s1, sizeof(s1)),
           bench_fmt_count((double)sz->acc, s2, sizeof(s2)), r->construct_m);
    printf("- line length: bienphong %s m, PROJ geod_inverse %s m\n",
           bench_fmt_num(bp_border_geodesic_length_m(d->b), 4, s1, sizeof(s1)),
           bench_fmt_num(d->line.length_m, 4, s2, sizeof(s2)));
    printf("- same answers: project and project_scan pick the same segment "
           "for %zu of %zu fixes (largest measure difference %s); "
           "project_near differs from project on %zu of %s track fixes; "
           "project_many differs from project on %zu of the random and "
           "track fixes\n",
           r->scan_same, sz->scan, bench_fmt_length(r->scan_dm, s1, sizeof(s1)),
           r->near_differ, bench_fmt_count((double)sz->fixes, s2, sizeof(s2)),
           r->many_differ);
    printf("- GEOS STRtree in planar degrees picks bienphong's segment for "
           "%.1f%% of random fixes; the naive GEOS measure is %s from "
           "bienphong's on average on random fixes, %s at most\n",
           100.0 * (double)r->tree_same /
               (double)(sz->geos_tree ? sz->geos_tree : 1),
           bench_fmt_length(r->v_mean, s1, sizeof(s1)),
           bench_fmt_length(r->v_max, s2, sizeof(s2)));
    if (r->fails || r->geos_fails)
        printf("- WARNING: %zu bienphong calls and %zu GEOS calls failed\n",
               r->fails, r->geos_fails);
}

int main(int argc, char **argv)
{
    struct sizes sz = {1000000, 2000, 100000, 2000, 500, 10000, 2000};
    struct bp_border_opts opts = {0};
    struct bp_error err = {0};
    struct results r = {0};
    struct data d = {0};
    struct geos g;
    char s1[64], s2[64], s3[64];
    double t0, len;
    size_t i;

    if (argc > 1 && !strcmp(argv[1], "--quick")) {
        sz.fixes /= 10, sz.geos_project /= 10, sz.geos_tree /= 10;
        sz.geos_interp /= 10, sz.scan /= 10, sz.acc /= 10, sz.naive /= 10;
    } else if (argc > 1) {
        fprintf(stderr, "usage: bench_border [--quick]\n");
        return 2;
    }

    t0 = bench_now_s();
    if (bench_line_make(&d.line, NVERTS, LINE_M, SEED) ||
        bench_fixes_random(&d.line, sz.fixes, MAX_OFFSET_M, SEED + 1, &d.rnd) ||
        bench_fixes_tracks(&d.line, sz.fixes, MAX_OFFSET_M, SEED + 2, &d.trk))
        die("out of memory making the data");
    printf("## bench_border: measure engine vs GEOS %s\n\n", GEOSversion());
    bench_print_machine(stdout);
    printf("data (synthetic, seed %llu, made in %.1f s): a %s-vertex "
           "mountain line of %s km near 22°N, 106.5–107.4°E; %s fixes within "
           "%.0f km of it in random order and as many in track order (GPS "
           "tracks walking along it)\n\n",
           (unsigned long long)SEED, bench_now_s() - t0,
           bench_fmt_count((double)d.line.n, s1, sizeof(s1)),
           bench_fmt_num(d.line.length_m / 1000.0, 3, s2, sizeof(s2)),
           bench_fmt_count((double)sz.fixes, s3, sizeof(s3)),
           MAX_OFFSET_M / 1000.0);

    /* As given, west to east; no official length, so measure = geodesic. */
    opts.start = BP_START_AS_GIVEN;
    r.build_s = cpu_now_s();
    if (bp_border_new(d.line.pts, d.line.n, &opts, &d.b, &err))
        die("bp_border_new: %s", err.message);
    r.build_s = cpu_now_s() - r.build_s;
    if (bp_border_vertex_count(d.b) != d.line.n)
        die("bp_border_new kept %zu of %zu vertices",
            bp_border_vertex_count(d.b), d.line.n);
    d.meas = xcalloc(sz.fixes, sizeof(double));
    {
        struct bench_rng rng = {SEED + 3};

        len = bp_border_length_m(d.b);
        for (i = 0; i < sz.fixes; i++)
            d.meas[i] = bench_rng_unit(&rng) * len;
    }

    run_bienphong(&d, &sz, &r);
    geos_init(&g, d.line.pts, d.line.n);
    run_geos(&g, &d, &sz, &r);
    run_accuracy(&g, &d, &sz, &r);
    print_results(&d, &sz, &r);

    geos_release(&g);
    bp_border_free(d.b);
    bp_free(d.rnd);
    bp_free(d.trk);
    bp_free(d.meas);
    bench_line_release(&d.line);
    return 0;
}
