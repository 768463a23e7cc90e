/* SPDX-License-Identifier: MIT */
/*
 * Building a border line: checking the vertices, dropping duplicates,
 * orienting the line, measuring it on WGS84 and splitting long segments
 * into chords for the projection index. The index is in geo_index.c, the
 * calibration in geo_calib.c.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/geo.h"
#include "geo/geo_int.h"

static int check_vertices(const struct bp_lonlat *pts, size_t n,
                          struct bp_error *err)
{
    size_t i;

    for (i = 0; i < n; i++) {
        double lon = pts[i].lon, lat = pts[i].lat;

        if (!isfinite(lon) || !isfinite(lat))
            return bp_error_set(err, BP_EGEOM,
                                "vertex %zu has a non-finite coordinate "
                                "(lon %g, lat %g)",
                                i, lon, lat);
        if (lon < -180.0 || lon > 180.0 || lat < -90.0 || lat > 90.0)
            return bp_error_set(err, BP_EGEOM,
                                "vertex %zu (lon %.9g, lat %.9g) is out of "
                                "range: expected lon in [-180, 180] and "
                                "lat in [-90, 90]",
                                i, lon, lat);
    }
    return 0;
}

static int wants_reverse(enum bp_border_start start, struct bp_lonlat first,
                         struct bp_lonlat last)
{
    switch (start) {
    case BP_START_WEST:
        return first.lon > last.lon;
    case BP_START_EAST:
        return first.lon < last.lon;
    case BP_START_NORTH:
        return first.lat < last.lat;
    case BP_START_SOUTH:
        return first.lat > last.lat;
    case BP_START_AS_GIVEN:
        break;
    }
    return 0;
}

static double azimuth_back(double azi2)
{
    double a = azi2 + 180.0;

    return a > 180.0 ? a - 360.0 : a;
}

/*
 * Copy the vertices without consecutive duplicates (same lon/lat, or no
 * geodesic length between them, as at a pole) and measure each segment.
 * len[i], azi[i], azi2[i] are the length and the azimuths at both ends of
 * segment i.
 */
static int take_vertices(struct bp_border *b, const struct bp_lonlat *pts,
                         size_t n, double *len, double *azi2,
                         struct bp_error *err)
{
    size_t i, m = 0, last_i = 0;

    for (i = 0; i < n; i++) {
        struct bp_lonlat p = pts[i];

        if (m > 0) {
            struct bp_lonlat q = b->v[m - 1];
            double s12, a1, a2;

            if (p.lon == q.lon && p.lat == q.lat)
                continue;
            if (fabs(p.lon - q.lon) > 180.0)
                return bp_error_set(err, BP_EGEOM,
                                    "the segment from vertex %zu "
                                    "(lon %.9g) to vertex %zu (lon %.9g) "
                                    "crosses the antimeridian; split the "
                                    "line there",
                                    last_i, q.lon, i, p.lon);
            geod_inverse(&b->geod, q.lat, q.lon, p.lat, p.lon, &s12, &a1, &a2);
            if (!(s12 > 0.0))
                continue;
            len[m - 1] = s12;
            b->azi[m - 1] = a1;
            azi2[m - 1] = a2;
        }
        b->v[m++] = p;
        last_i = i;
    }
    b->n = m;
    if (m < 2)
        return bp_error_set(err, BP_EGEOM,
                            "the line has %zu distinct vertices; at least "
                            "2 are needed",
                            m);
    return 0;
}

static void reverse_line(struct bp_border *b, double *len, double *azi2)
{
    size_t n = b->n, i;

    for (i = 0; i < n / 2; i++) {
        struct bp_lonlat t = b->v[i];

        b->v[i] = b->v[n - 1 - i];
        b->v[n - 1 - i] = t;
    }
    /* Segment i of the reversed line is segment n-2-i run backwards. */
    for (i = 0; i < (n - 1) / 2; i++) {
        double t = len[i];

        len[i] = len[n - 2 - i];
        len[n - 2 - i] = t;
        t = azi2[i];
        azi2[i] = azi2[n - 2 - i];
        azi2[n - 2 - i] = t;
    }
    for (i = 0; i + 1 < n; i++)
        b->azi[i] = azimuth_back(azi2[i]);
}

static size_t pieces_of(double len)
{
    return len > GEO_MAX_CHORD_M ? (size_t)ceil(len / GEO_MAX_CHORD_M) : 1;
}

/* Split the segments into chords; `*ecef` gets their end points. */
static int make_chords(struct bp_border *b, const double *len, double **ecef)
{
    size_t i, k, j = 0, K = 0;
    double up[3], *x;

    for (i = 0; i + 1 < b->n; i++)
        K += pieces_of(len[i]);
    b->nchord = K;
    b->cpt = bp_calloc(K + 1, sizeof(*b->cpt));
    b->cg = bp_calloc(K + 1, sizeof(*b->cg));
    b->cseg = bp_calloc(K, sizeof(*b->cseg));
    *ecef = x = bp_calloc(K + 1, 3 * sizeof(*x));
    if (!b->cpt || !b->cg || !b->cseg || !x)
        return BP_ENOMEM;
    for (i = 0; i + 1 < b->n; i++) {
        size_t m = pieces_of(len[i]);
        struct geod_geodesicline line;

        b->first[i] = j;
        if (m > 1)
            geod_lineinit(&line, &b->geod, b->v[i].lat, b->v[i].lon, b->azi[i],
                          0);
        for (k = 0; k < m; k++, j++) {
            b->cseg[j] = i;
            if (k == 0) {
                b->cpt[j] = b->v[i];
                b->cg[j] = b->cum[i];
            } else {
                double s = len[i] * (double)k / (double)m;

                geod_position(&line, s, &b->cpt[j].lat, &b->cpt[j].lon, NULL);
                b->cg[j] = b->cum[i] + s;
            }
        }
    }
    b->first[b->n - 1] = K;
    b->cpt[K] = b->v[b->n - 1];
    b->cg[K] = b->cum[b->n - 1];
    for (j = 0; j <= K; j++)
        geo_ecef(b->cpt[j].lon, b->cpt[j].lat, x + 3 * j, up);
    return 0;
}

int bp_border_new(const struct bp_lonlat *pts, size_t n,
                  const struct bp_border_opts *opts, struct bp_border **out,
                  struct bp_error *err)
{
    static const struct bp_border_opts defaults;
    struct bp_border *b = NULL;
    double *len = NULL, *azi2 = NULL, *ecef = NULL;
    size_t i;
    int rc = 0;

    if (!out || (!pts && n)) {
        rc = bp_error_set(err, BP_EINVAL, "bp_border_new: NULL argument");
        goto out;
    }
    if (!opts)
        opts = &defaults;
    if ((unsigned)opts->start > (unsigned)BP_START_AS_GIVEN ||
        (unsigned)opts->home > (unsigned)BP_HOME_LEFT) {
        rc = bp_error_set(err, BP_EINVAL,
                          "bp_border_new: unknown start (%d) or home (%d)",
                          (int)opts->start, (int)opts->home);
        goto out;
    }
    rc = check_vertices(pts, n, err);
    if (rc)
        goto out;
    b = bp_calloc(1, sizeof(*b));
    if (!b)
        goto nomem;
    geod_init(&b->geod, GEO_A, GEO_F);
    b->home = opts->home;
    b->v = bp_calloc(n ? n : 1, sizeof(*b->v));
    b->cum = bp_calloc(n ? n : 1, sizeof(*b->cum));
    b->azi = bp_calloc(n ? n : 1, sizeof(*b->azi));
    b->first = bp_calloc(n ? n : 1, sizeof(*b->first));
    len = bp_calloc(n ? n : 1, sizeof(*len));
    azi2 = bp_calloc(n ? n : 1, sizeof(*azi2));
    if (!b->v || !b->cum || !b->azi || !b->first || !len || !azi2)
        goto nomem;
    rc = take_vertices(b, pts, n, len, azi2, err);
    if (rc)
        goto out;
    if (wants_reverse(opts->start, b->v[0], b->v[b->n - 1]))
        reverse_line(b, len, azi2);
    b->cum[0] = 0.0;
    for (i = 0; i + 1 < b->n; i++)
        b->cum[i + 1] = b->cum[i] + len[i];
    b->geodesic_m = b->cum[b->n - 1];
    if (make_chords(b, len, &ecef) || bp__geo_index_build(b, ecef))
        goto nomem;
    rc = bp__geo_calib_build(b, opts, err);
    if (rc)
        goto out;
    *out = b;
    b = NULL;
    goto out;
nomem:
    rc = bp_error_set(err, BP_ENOMEM, "out of memory building the border");
out:
    bp_border_free(b);
    bp_free(len);
    bp_free(azi2);
    bp_free(ecef);
    return rc;
}

void bp_border_free(struct bp_border *b)
{
    size_t l;

    if (!b)
        return;
    bp_free(b->v);
    bp_free(b->cum);
    bp_free(b->azi);
    bp_free(b->first);
    bp_free(b->cpt);
    bp_free(b->grid_start);
    bp_free(b->grid_list);
    bp_free(b->grid_box);
    bp_free(b->cg);
    bp_free(b->cseg);
    for (l = 0; l < GEO_MAX_LEVELS; l++)
        bp_free(b->mem[l]);
    bp_free(b->tab_g);
    bp_free(b->tab_m);
    bp_free(b->slope);
    bp_free(b->islope);
    bp_free(b->calib);
    bp_free(b);
}

size_t bp_border_vertex_count(const struct bp_border *b)
{
    return b->n;
}

const struct bp_lonlat *bp_border_vertices(const struct bp_border *b)
{
    return b->v;
}

double bp_border_vertex_geodesic_m(const struct bp_border *b, size_t i)
{
    return i < b->n ? b->cum[i] : NAN;
}

double bp_border_geodesic_length_m(const struct bp_border *b)
{
    return b->geodesic_m;
}

double bp_border_length_m(const struct bp_border *b)
{
    return b->length_m;
}

double bp_border_official_m(const struct bp_border *b)
{
    return b->official_m;
}

enum bp_border_home bp_border_home_side(const struct bp_border *b)
{
    return b->home;
}

const struct bp_calib *bp_border_calibration(const struct bp_border *b,
                                             size_t *n)
{
    if (n)
        *n = b->ncalib;
    return b->calib;
}
