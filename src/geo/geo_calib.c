/* SPDX-License-Identifier: MIT */
/*
 * The calibrated measure: a piecewise-linear map from geodesic metres
 * along the line to official metres, through (0, 0), the calibration points
 * and the end of the line; and the way back from a measure to a place on
 * the line (a point, or the slice between two measures).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/geo.h"
#include "geo/geo_int.h"

/* Largest k in [0, n-2] with a[k] <= x, for sorted a of n >= 2 and
 * a[0] <= x. */
static size_t find_interval(const double *a, size_t n, double x)
{
    size_t lo = 0, hi = n - 1;

    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;

        if (a[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

struct placed {
    double g, m;
    size_t idx; /* index in opts->calib */
};

static int cmp_placed(const void *pa, const void *pb)
{
    const struct placed *a = pa, *b = pb;

    if (a->g != b->g)
        return a->g < b->g ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Place each calibration point on the line (geodesic measure). */
static int place_points(const struct bp_border *b, const struct bp_calib *in,
                        size_t nc, struct placed *pl, struct bp_error *err)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < nc && !rc; i++) {
        struct bp_calib c = in[i];

        if (!isfinite(c.measure_m)) {
            rc = bp_error_set(err, BP_ERANGE,
                              "calibration point %zu: measure %g m is not "
                              "finite",
                              i, c.measure_m);
        } else if (c.geodesic_m < 0.0) {
            if (!isfinite(c.lon) || !isfinite(c.lat) || c.lon < -180.0 ||
                c.lon > 180.0 || c.lat < -90.0 || c.lat > 90.0)
                rc = bp_error_set(err, BP_ERANGE,
                                  "calibration point %zu: position (lon "
                                  "%g, lat %g) is not a WGS84 position",
                                  i, c.lon, c.lat);
            else
                c.geodesic_m = bp__geo_project_geodesic(b, c.lon, c.lat);
        } else if (!isfinite(c.geodesic_m) || c.geodesic_m > b->geodesic_m) {
            rc = bp_error_set(err, BP_ERANGE,
                              "calibration point %zu: geodesic measure %.3f "
                              "m is beyond the end of the line (%.3f m)",
                              i, c.geodesic_m, b->geodesic_m);
        }
        pl[i].g = c.geodesic_m;
        pl[i].m = c.measure_m;
        pl[i].idx = i;
    }
    return rc;
}

static int out_of_order(struct bp_error *err, const struct placed *p,
                        const struct placed *prev)
{
    if (!prev)
        return bp_error_set(err, BP_ERANGE,
                            "calibration point %zu (geodesic %.3f m, "
                            "measure %.3f m) does not come after the start "
                            "of the line (geodesic 0 m, measure 0 m): "
                            "official measures must increase along the line",
                            p->idx, p->g, p->m);
    return bp_error_set(err, BP_ERANGE,
                        "calibration point %zu (geodesic %.3f m, measure "
                        "%.3f m) does not increase from calibration point "
                        "%zu (geodesic %.3f m, measure %.3f m): official "
                        "measures must increase along the line",
                        p->idx, p->g, p->m, prev->idx, prev->g, prev->m);
}

/* Fill b->tab_* from the sorted points; b->tab_* have room for nc + 2. */
static int make_table(struct bp_border *b, const struct placed *pl, size_t nc,
                      double official, struct bp_error *err)
{
    const struct placed *prev = NULL;
    double G = b->geodesic_m;
    size_t i, nt = 1;
    int rc = 0;

    b->tab_g[0] = 0.0;
    b->tab_m[0] = 0.0;
    for (i = 0; i < nc; i++) {
        const struct placed *p = &pl[i];

        /* Two markers at one place with one measure (a twin marker). */
        if (p->g == b->tab_g[nt - 1] && p->m == b->tab_m[nt - 1])
            continue;
        if (!(p->g > b->tab_g[nt - 1] && p->m > b->tab_m[nt - 1])) {
            rc = out_of_order(err, p, prev);
            goto out;
        }
        b->tab_g[nt] = p->g;
        b->tab_m[nt] = p->m;
        nt++;
        prev = p;
    }
    if (official > 0.0) {
        if (b->tab_g[nt - 1] == G && b->tab_m[nt - 1] != official) {
            rc = bp_error_set(err, BP_ERANGE,
                              "calibration point %zu at the end of the line "
                              "has measure %.3f m, not the official length "
                              "%.3f m",
                              prev->idx, prev->m, official);
            goto out;
        }
        if (b->tab_g[nt - 1] < G && b->tab_m[nt - 1] >= official) {
            rc = bp_error_set(err, BP_ERANGE,
                              "calibration point %zu (geodesic %.3f m, "
                              "measure %.3f m) is not below the official "
                              "length %.3f m",
                              prev->idx, prev->g, prev->m, official);
            goto out;
        }
        if (b->tab_g[nt - 1] < G) {
            b->tab_g[nt] = G;
            b->tab_m[nt] = official;
            nt++;
        }
    } else if (nt == 1) {
        b->tab_g[1] = G;
        b->tab_m[1] = G;
        nt = 2;
    } else if (b->tab_g[nt - 1] < G) {
        /* Past the last point, keep the last interval's scale. */
        double r = (b->tab_m[nt - 1] - b->tab_m[nt - 2]) /
                   (b->tab_g[nt - 1] - b->tab_g[nt - 2]);

        b->tab_g[nt] = G;
        b->tab_m[nt] = b->tab_m[nt - 1] + (G - b->tab_g[nt - 1]) * r;
        nt++;
    }
    b->ntab = nt;
    for (i = 0; i + 1 < nt; i++) {
        double dg = b->tab_g[i + 1] - b->tab_g[i];
        double dm = b->tab_m[i + 1] - b->tab_m[i];

        b->slope[i] = dm / dg;
        b->islope[i] = dg / dm;
    }
    b->length_m = b->tab_m[nt - 1];
out:
    return rc;
}

int bp__geo_calib_build(struct bp_border *b, const struct bp_border_opts *o,
                        struct bp_error *err)
{
    size_t nc = o->ncalib, i;
    struct placed *pl = NULL;
    int rc = 0;

    if (nc && !o->calib) {
        rc = bp_error_set(err, BP_EINVAL,
                          "bp_border_new: ncalib is %zu but calib is NULL", nc);
        goto out;
    }
    if (o->official_m != 0.0 &&
        !(isfinite(o->official_m) && o->official_m > 0.0)) {
        rc = bp_error_set(err, BP_ERANGE,
                          "official length %g m is not a positive length",
                          o->official_m);
        goto out;
    }
    b->official_m = o->official_m;
    pl = bp_calloc(nc ? nc : 1, sizeof(*pl));
    b->calib = bp_calloc(nc ? nc : 1, sizeof(*b->calib));
    b->tab_g = bp_calloc(nc + 2, sizeof(*b->tab_g));
    b->tab_m = bp_calloc(nc + 2, sizeof(*b->tab_m));
    b->slope = bp_calloc(nc + 2, sizeof(*b->slope));
    b->islope = bp_calloc(nc + 2, sizeof(*b->islope));
    if (!pl || !b->calib || !b->tab_g || !b->tab_m || !b->slope || !b->islope) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory building the border");
        goto out;
    }
    rc = place_points(b, o->calib, nc, pl, err);
    if (rc)
        goto out;
    qsort(pl, nc, sizeof(*pl), cmp_placed);
    rc = make_table(b, pl, nc, o->official_m, err);
    if (rc)
        goto out;
    for (i = 0; i < nc; i++) {
        b->calib[i] = o->calib[pl[i].idx];
        b->calib[i].geodesic_m = pl[i].g;
    }
    b->ncalib = nc;
out:
    bp_free(pl);
    return rc;
}

double bp_border_to_measure(const struct bp_border *b, double geodesic_m)
{
    double m;
    size_t k;

    if (!(geodesic_m > 0.0)) {
        m = isnan(geodesic_m) ? geodesic_m : 0.0;
    } else if (geodesic_m >= b->tab_g[b->ntab - 1]) {
        m = b->tab_m[b->ntab - 1];
    } else {
        k = b->ntab == 2 ? 0 : find_interval(b->tab_g, b->ntab, geodesic_m);
        m = b->tab_m[k] + (geodesic_m - b->tab_g[k]) * b->slope[k];
    }
    return m;
}

double bp_border_to_geodesic(const struct bp_border *b, double measure_m)
{
    double g;
    size_t k;

    if (!(measure_m > 0.0)) {
        g = isnan(measure_m) ? measure_m : 0.0;
    } else if (measure_m >= b->tab_m[b->ntab - 1]) {
        g = b->tab_g[b->ntab - 1];
    } else {
        k = b->ntab == 2 ? 0 : find_interval(b->tab_m, b->ntab, measure_m);
        g = b->tab_g[k] + (measure_m - b->tab_m[k]) * b->islope[k];
    }
    return g;
}

/* The point at geodesic measure g in [0, geodesic length]. */
static void point_at(const struct bp_border *b, double g, struct bp_lonlat *pt)
{
    size_t j = find_interval(b->cg, b->nchord + 1, g);
    double len = b->cg[j + 1] - b->cg[j];
    double t = len > 0.0 ? (g - b->cg[j]) / len : 0.0;

    geo_interpolate(&b->cpt[j], t, pt);
}

int bp_border_point(const struct bp_border *b, double measure_m,
                    struct bp_lonlat *pt)
{
    int rc = 0;

    if (!b || !pt) {
        rc = BP_EINVAL;
        goto out;
    }
    if (!(measure_m >= 0.0 && measure_m <= b->length_m)) {
        rc = BP_ERANGE;
        goto out;
    }
    point_at(b, bp_border_to_geodesic(b, measure_m), pt);
out:
    return rc;
}

int bp_border_slice(const struct bp_border *b, double from_m, double to_m,
                    struct bp_lonlat **pts, size_t *n, struct bp_error *err)
{
    struct bp_lonlat *v = NULL;
    double g0, g1;
    size_t i0, i1, m, i;
    int rc = 0;

    if (!b || !pts || !n) {
        rc = bp_error_set(err, BP_EINVAL, "bp_border_slice: NULL argument");
        goto out;
    }
    if (!(from_m >= 0.0 && to_m <= b->length_m && from_m < to_m)) {
        rc = bp_error_set(err, BP_ERANGE,
                          "slice [%.3f, %.3f) m is empty or outside the "
                          "line [0, %.3f] m",
                          from_m, to_m, b->length_m);
        goto out;
    }
    g0 = bp_border_to_geodesic(b, from_m);
    g1 = bp_border_to_geodesic(b, to_m);
    /* Vertices strictly inside (g0, g1): the ends are added apart. */
    i0 = find_interval(b->cum, b->n, g0) + 1;
    i1 = find_interval(b->cum, b->n, g1);
    if (b->cum[i1] < g1)
        i1++;
    m = i1 > i0 ? i1 - i0 : 0;
    v = bp_calloc(m + 2, sizeof(*v));
    if (!v) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory slicing the border");
        goto out;
    }
    point_at(b, g0, &v[0]);
    for (i = 0; i < m; i++)
        v[1 + i] = b->v[i0 + i];
    point_at(b, g1, &v[m + 1]);
    *pts = v;
    *n = m + 2;
    v = NULL;
out:
    bp_free(v);
    return rc;
}
