/* SPDX-License-Identifier: MIT */
/*
 * Inside the geo module: the layout of struct bp_border, the WGS84 constants
 * and the chord metric shared by the projection index, the brute-force scan
 * and the calibration. Not a public header.
 */
#ifndef BIENPHONG_GEO_INT_H
#define BIENPHONG_GEO_INT_H

#include <geodesic.h>
#include <math.h>
#include <stddef.h>

#include "bienphong/geo.h"

/* WGS84. */
#define GEO_A        6378137.0
#define GEO_F        (1.0 / 298.257223563)
#define GEO_E2       (GEO_F * (2.0 - GEO_F))
#define GEO_R_MEAN   6371008.8 /* mean radius, for small corrections only */
#define GEO_DEG      0.017453292519943295 /* pi / 180 */

/*
 * Segments longer than this are split into equal geodesic pieces (chords)
 * for the index and for interpolation: a chord of 100 m sags 0.2 mm below
 * the geodesic, and linear lon/lat interpolation along it is off by less
 * than 0.1 mm at the latitudes of Vietnam.
 */
#define GEO_MAX_CHORD_M 100.0

/* Offsets beyond this are refined with exact geodesics (docs/geo.md). */
#define GEO_FAR_M 5000.0

/* Fan-out of the projection tree. */
#define GEO_FANOUT 8
#define GEO_MAX_LEVELS 24

/*
 * Added to every capsule radius so that rounding can never make a lower
 * bound exceed the computed distance of a chord inside; chord distances
 * are computed to about 1e-8 m.
 */
#define GEO_RADIUS_SLACK_M 1e-3

/*
 * Eight entries of one level of the projection tree, in line order, as
 * structure-of-arrays so that one loop measures all eight at once. Entry i
 * is the segment from point i to point i + 1 (ECEF metres), so neighbours
 * share an end point bitwise. At level 0 the entries are chords; above,
 * capsules: every point of the chords under entry i is within r[i] of its
 * segment. idd[i] = 1 / |segment|^2 (0 for a zero-length segment). Entries
 * past the end of a level repeat the last point.
 */
struct geo_block {
    double x[GEO_FANOUT + 2], y[GEO_FANOUT + 2], z[GEO_FANOUT + 2];
    double idd[GEO_FANOUT];
    double r[GEO_FANOUT];
};

struct bp_border {
    struct geod_geodesic geod;
    enum bp_border_home home;

    /* Vertices in measure order, their cumulative geodesic measure and
     * the azimuth (degrees) of each segment at its start. */
    size_t n;
    struct bp_lonlat *v;
    double *cum;
    double *azi;
    size_t *first; /* n entries: first chord of segment i; first[n-1] = K */

    /* Chords: segments split at most GEO_MAX_CHORD_M long. */
    size_t nchord;         /* K */
    struct bp_lonlat *cpt; /* K + 1 chord ends in lon/lat */
    double *cg;            /* K + 1 geodesic measure of chord ends */
    size_t *cseg;          /* K: segment of each chord */

    /* Tree: level 0 holds the chords, 8 to a block; entry m of level l
     * (>= 1) is a capsule over the chords [m 8^l, (m+1) 8^l) whose
     * children are block m of level l - 1. The top level has one block. */
    size_t nlevel;
    size_t nentry[GEO_MAX_LEVELS];
    size_t nblock[GEO_MAX_LEVELS];
    struct geo_block *block[GEO_MAX_LEVELS];

    /* Calibration table: (tab_g[k], tab_m[k]) from (0, 0) to the end. */
    size_t ntab;
    double *tab_g, *tab_m, *slope, *islope;
    struct bp_calib *calib; /* as placed, sorted */
    size_t ncalib;

    double geodesic_m; /* total geodesic length */
    double length_m;   /* total calibrated length */
    double official_m;
};

/** ECEF (metres, height 0) of a WGS84 position; `up` gets the unit normal. */
static inline void geo_ecef(double lon, double lat, double p[3], double up[3])
{
    double la = lat * GEO_DEG, lo = lon * GEO_DEG;
    double sla = sin(la), cla = cos(la), slo = sin(lo), clo = cos(lo);
    double nr = GEO_A / sqrt(1.0 - GEO_E2 * sla * sla);

    p[0] = nr * cla * clo;
    p[1] = nr * cla * slo;
    p[2] = nr * (1.0 - GEO_E2) * sla;
    up[0] = cla * clo;
    up[1] = cla * slo;
    up[2] = sla;
}

/*
 * The point at fraction t of the chord from p0 to p0[1], interpolated in
 * lon/lat (sub-millimetre for chords of GEO_MAX_CHORD_M); the ends exactly.
 */
static inline void geo_interpolate(const struct bp_lonlat *p0, double t,
                                   struct bp_lonlat *out)
{
    const struct bp_lonlat *p1 = p0 + 1;
    double dl;

    if (t <= 0.0) {
        *out = *p0;
    } else if (t >= 1.0) {
        *out = *p1;
    } else {
        dl = p1->lon - p0->lon;
        if (dl > 180.0)
            dl -= 360.0;
        else if (dl < -180.0)
            dl += 360.0;
        out->lon = p0->lon + t * dl;
        if (out->lon > 180.0)
            out->lon -= 360.0;
        else if (out->lon < -180.0)
            out->lon += 360.0;
        out->lat = p0->lat + t * (p1->lat - p0->lat);
    }
}

/**
 * Build the projection tree over the chords, whose K + 1 end points are
 * `ecef` (x, y, z per point). BP_ENOMEM.
 */
int bp__geo_index_build(struct bp_border *b, const double *ecef);

/** Geodesic measure of the point of the line nearest (lon, lat). */
double bp__geo_project_geodesic(const struct bp_border *b, double lon,
                                double lat);

/**
 * Build the calibration table from `opts` (b->geodesic_m and the index
 * must be ready). BP_EINVAL, BP_ERANGE with a message naming the point,
 * BP_ENOMEM.
 */
int bp__geo_calib_build(struct bp_border *b, const struct bp_border_opts *o,
                        struct bp_error *err);

/** The shared WGS84 geodesic for the free functions; thread-safe. */
const struct geod_geodesic *bp__geo_wgs84(void);

#endif
