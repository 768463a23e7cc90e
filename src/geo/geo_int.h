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
#include <stdint.h>

#include "bienphong/geo.h"

/* WGS84. */
#define GEO_A      6378137.0
#define GEO_F      (1.0 / 298.257223563)
#define GEO_E2     (GEO_F * (2.0 - GEO_F))
#define GEO_R_MEAN 6371008.8 /* mean radius, for small corrections only */
#define GEO_DEG    0.017453292519943295 /* pi / 180 */

/*
 * Segments longer than this are split into equal geodesic pieces (chords)
 * for the index and for interpolation: a chord of 100 m sags 0.2 mm below
 * the geodesic, and linear lon/lat interpolation along it is off by less
 * than 0.1 mm at the latitudes of Vietnam.
 */
#define GEO_MAX_CHORD_M 100.0

/* Offsets beyond this are refined with exact geodesics (docs/geo.md). */
#define GEO_FAR_M 5000.0

/*
 * The grid that replaces the top of the tree near the line (docs/geo.md):
 * cells of GEO_GRID_CELL_M (more if the grid would have more than
 * GEO_GRID_MAX_CELLS), over the line's extent and GEO_GRID_MARGIN_M
 * around it. Only built within GEO_GRID_MAX_RHO_M of the ENU origin,
 * where the surface is a graph over the ENU plane of slope at most
 * 2 rho / GEO_RHO_MIN (GEO_RHO_MIN = b^2 / a, the smallest radius of
 * curvature of the ellipsoid); points with up coordinate below
 * GEO_GRID_NEAR_U are on the far side of the earth and never use it.
 */
#define GEO_GRID_CELL_M    1000.0
#define GEO_GRID_MARGIN_M  3000.0
#define GEO_GRID_MAX_CELLS (1u << 18)
#define GEO_GRID_MAX_RHO_M 1e6
#define GEO_GRID_NEAR_U    (-GEO_A)
#define GEO_RHO_MIN        (GEO_A * (1.0 - GEO_F) * (1.0 - GEO_F))

/* Fan-out of the projection tree: chords per leaf, entries per node. */
#define GEO_LEAF       16
#define GEO_FANOUT     16
#define GEO_MAX_LEVELS 24

/*
 * Lower bounds in the tree are computed in single precision in the plane
 * of a local east-north-up frame (leaving out the vertical only lowers a
 * bound), relative to an origin per block, and used only to skip what is
 * certainly farther than the best chord so far: a test passes when the
 * bound is within GEO_SLACK_M plus GEO_FLOAT_REL times the magnitudes
 * involved, far more than float rounding can reach. Chords that pass are
 * measured exactly.
 */
#define GEO_SLACK_M   1e-3
#define GEO_FLOAT_REL 4e-6

/*
 * GEO_LEAF chords in line order: chord i runs from point i to point
 * i + 1, and point GEO_LEAF is the next block's point 0 (bitwise the
 * same). Past the end of the line a block repeats the last point.
 *
 * For the lower bounds, single precision in the ENU plane: east fx, north
 * fy relative to `org`, fidd[i] = 1 / |chord|^2 in the plane (0 for zero
 * length). For the exact metric, the points in ECEF metres, kept in the
 * same block so that one fetch of the block brings both (a random query
 * would otherwise wait on a second cache miss for the exact test).
 */
struct geo_leaf {
    _Alignas(64) double org[2];
    float ext; /* largest |fx| + largest |fy| */
    uint32_t seg0; /* segment of chord 0 (segments fit in 32 bits) */
    float fx[GEO_LEAF + 1], fy[GEO_LEAF + 1];
    float fidd[GEO_LEAF];
    struct geo_point {
        double x, y, z;
    } ecef[GEO_LEAF + 1];
    /* Chord i belongs to segment seg0 + bits 4i .. 4i + 3 of dseg (at
     * most 15 more than chord 0's), so results need no other array. */
    uint64_t dseg;
};

/*
 * GEO_FANOUT entries of a level above the chords, each covering a run of
 * consecutive chords: a box in the east-north plane holding them,
 * relative to `org`, rounded outwards to single precision.
 */
struct geo_node {
    _Alignas(64) double org[2]; /* whole cache lines: 192 bytes */
    float ext; /* largest |lo|, |hi| east + the same north */
    float pad;
    float lo[2][GEO_FANOUT], hi[2][GEO_FANOUT];
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

    /* Chords: segments split at most GEO_MAX_CHORD_M long; chord j runs
     * from point j to point j + 1 (their ECEF is in the leaf blocks). */
    size_t nchord;         /* K */
    struct bp_lonlat *cpt; /* K + 1 chord ends in lon/lat */
    double *cg;            /* K + 1 geodesic measure of chord ends */
    size_t *cseg;          /* K: segment of each chord */

    /* Tree: level 0 is the chords, GEO_LEAF to a leaf block; entry e of
     * level l >= 1 covers the chords of block e of level l - 1, its
     * children. The top level has one block. */
    size_t nlevel;
    size_t nentry[GEO_MAX_LEVELS];
    size_t nblock[GEO_MAX_LEVELS];
    struct geo_leaf *leaf;                 /* level 0, 64-byte aligned */
    struct geo_node *node[GEO_MAX_LEVELS]; /* levels 1 .. nlevel-1 */
    void *mem[GEO_MAX_LEVELS];             /* as allocated, to free */
    double enu_org[3], enu_rot[3][3];      /* ECEF -> ENU */

    /*
     * Grid over the ENU plane, in place of the levels above 1 for points
     * near the line (docs/geo.md, "The grid"): cell (ix, iy), of
     * grid_cell_m metres from grid_org, is cell c = iy * grid_nx + ix;
     * grid_list[grid_start[c] .. grid_start[c + 1]) holds the leaf of the
     * vertex nearest its centre (fetched ahead), then the level-1 blocks
     * that can hold the nearest chord of any point in it. An empty list,
     * a point outside the grid, or grid_nx = 0 (no grid) mean a search
     * from the top of the tree.
     */
    double grid_org[2], grid_inv, grid_cell_m;
    size_t grid_nx, grid_ny;
    uint32_t *grid_start; /* grid_nx * grid_ny + 1 */
    uint16_t *grid_list;  /* leaves and blocks fit 16 bits, or no grid */
    float *grid_box; /* per level-1 block: lo east, lo north, hi east, hi
                        north, relative to grid_org, rounded outwards */
    float grid_ext;  /* largest |east| + largest |north| in grid_box */

    /* Calibration table: (tab_g[k], tab_m[k]) from (0, 0) to the end. */
    size_t ntab;
    double *tab_g, *tab_m, *slope, *islope;
    struct bp_calib *calib; /* as placed, sorted */
    size_t ncalib;

    double geodesic_m; /* total geodesic length */
    double length_m;   /* total calibrated length */
    double official_m;
};

/*
 * sin and cos of x degrees, |x| <= 180, to about an ulp: x less a multiple
 * of 90 is exact there, and the rest is a Taylor series on [-pi/4, pi/4]
 * (truncation below 1e-19). Faster than the C library's, and the same
 * everywhere the module needs it.
 */
static inline void geo_sincosd(double x, double *sinx, double *cosx)
{
    long k = (long)(x / 90.0 + (x < 0.0 ? -0.5 : 0.5)); /* nearest */
    double r = (x - 90.0 * (double)k) * GEO_DEG, z = r * r;
    double s, c;

    s = r + r * z *
                (-1.0 / 6 +
                 z * (1.0 / 120 +
                      z * (-1.0 / 5040 +
                           z * (1.0 / 362880 +
                                z * (-1.0 / 39916800 +
                                     z * (1.0 / 6227020800 +
                                          z * (-1.0 / 1307674368000 +
                                               z / 355687428096000)))))));
    c = 1.0 +
        z * (-0.5 +
             z * (1.0 / 24 + z * (-1.0 / 720 +
                                  z * (1.0 / 40320 +
                                       z * (-1.0 / 3628800 +
                                            z * (1.0 / 479001600 +
                                                 z * (-1.0 / 87178291200 +
                                                      z / 20922789888000)))))));
    switch (k & 3) {
    case 0:
        *sinx = s;
        *cosx = c;
        break;
    case 1:
        *sinx = c;
        *cosx = -s;
        break;
    case 2:
        *sinx = -s;
        *cosx = -c;
        break;
    default:
        *sinx = -c;
        *cosx = s;
        break;
    }
}

/** ECEF (metres, height 0) of a WGS84 position; `up` gets the unit normal. */
static inline void geo_ecef(double lon, double lat, double p[3], double up[3])
{
    double sla, cla, slo, clo, nr;

    geo_sincosd(lat, &sla, &cla);
    geo_sincosd(lon, &slo, &clo);
    nr = GEO_A / sqrt(1.0 - GEO_E2 * sla * sla);
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
