/* SPDX-License-Identifier: MIT */
/*
 * The border line and its measure (lý trình). A border is a polyline of
 * WGS84 lon/lat vertices ordered from its start; every place on it has a
 * geodesic measure (metres along the line on the WGS84 ellipsoid, from
 * PROJ's geodesic.h) and a calibrated measure (official metres), related
 * piecewise-linearly through calibration points or scaled to an official
 * total. Points are projected onto the line with a spatial index over the
 * segments; the nearest segment is exactly the one a brute-force scan
 * finds, ties going to the lower segment index.
 *
 * No database, HTTP or JSON in here.
 */
#ifndef BIENPHONG_GEO_H
#define BIENPHONG_GEO_H

#include <stddef.h>

#include "bienphong/error.h"

/** A WGS84 position in degrees, longitude first as in GeoJSON. */
struct bp_lonlat {
    double lon;
    double lat;
};

/** Which end of the line the measure starts from. */
enum bp_border_start {
    BP_START_WEST = 0, /* the end with the smaller longitude */
    BP_START_EAST,
    BP_START_NORTH,
    BP_START_SOUTH,
    BP_START_AS_GIVEN /* keep the vertex order as it is */
};

/** Which side of the direction of increasing measure is home (offset > 0). */
enum bp_border_home { BP_HOME_RIGHT = 0, BP_HOME_LEFT };

/** A calibration point: a position on the line with its official measure. */
struct bp_calib {
    double geodesic_m; /* filled by bp_border_new from lon/lat when < 0 */
    double measure_m;  /* official measure, metres */
    double lon, lat;   /* where the point is (e.g. a marker); used when
                          geodesic_m < 0 */
};

/** Options for building a border; zero-initialised means defaults. */
struct bp_border_opts {
    enum bp_border_start start;
    enum bp_border_home home;
    double official_m;            /* official total length; 0 = none */
    const struct bp_calib *calib; /* borrowed; may be NULL */
    size_t ncalib;
};

/** The result of projecting a point onto the line. */
struct bp_hit {
    double measure_m;  /* calibrated measure of the nearest point */
    double geodesic_m; /* geodesic measure of the nearest point */
    double offset_m;   /* signed distance, > 0 on the home side */
    double lon, lat;   /* the nearest point on the line */
    size_t segment;    /* index of the nearest segment (vertex i to i+1) */
};

struct bp_border;

/**
 * Build a border from `n` vertices in line order (`pts` is borrowed and
 * copied). Consecutive duplicate vertices are dropped. The line is reversed
 * if needed so the measure starts at `opts->start`. Calibration points
 * with geodesic_m < 0 are placed by projecting their lon/lat; a given
 * geodesic_m counts from the start as oriented. Two points at the same
 * place with the same measure (a twin marker) count once. `opts` may be
 * NULL for the defaults.
 *
 * Returns 0 and sets `*out` (caller owns; free with bp_border_free()), or:
 * BP_EINVAL for NULL arguments; BP_EGEOM for non-finite or out-of-range
 * coordinates (message names the vertex index), fewer than two distinct
 * vertices, or a segment crossing the antimeridian; BP_ERANGE for a
 * non-positive official length or calibration points whose measures do not
 * increase along the line (message names the point); BP_ENOMEM.
 * `*out` is untouched on failure.
 */
int bp_border_new(const struct bp_lonlat *pts, size_t n,
                  const struct bp_border_opts *opts, struct bp_border **out,
                  struct bp_error *err);

/** Free a border; bp_border_free(NULL) is a no-op. */
void bp_border_free(struct bp_border *b);

/** Number of vertices (after dropping duplicates). */
size_t bp_border_vertex_count(const struct bp_border *b);
/** The vertices in measure order; borrowed, valid while `b` lives. */
const struct bp_lonlat *bp_border_vertices(const struct bp_border *b);
/** Geodesic measure of vertex `i` (cumulative geodesic length); NaN when
 * `i` is not a vertex. */
double bp_border_vertex_geodesic_m(const struct bp_border *b, size_t i);
/** Total geodesic length in metres. */
double bp_border_geodesic_length_m(const struct bp_border *b);
/** Total calibrated length in metres (the official length when given). */
double bp_border_length_m(const struct bp_border *b);
/** The official length given at build time, or 0. */
double bp_border_official_m(const struct bp_border *b);
/** Home side as built. */
enum bp_border_home bp_border_home_side(const struct bp_border *b);
/** Calibration points as placed (sorted by measure); borrowed. */
const struct bp_calib *bp_border_calibration(const struct bp_border *b,
                                             size_t *n);

/** Calibrated measure of a geodesic measure (clamped to the line). */
double bp_border_to_measure(const struct bp_border *b, double geodesic_m);
/** Geodesic measure of a calibrated measure (clamped to the line). */
double bp_border_to_geodesic(const struct bp_border *b, double measure_m);

/**
 * Project a point onto the line. `lon`, `lat` are WGS84 degrees. Fills
 * `*hit` and returns 0; BP_EINVAL when the point is not finite or out of
 * range (`*hit` untouched). Nothing is allocated; safe to call from several
 * threads at once on the same border.
 */
int bp_border_project(const struct bp_border *b, double lon, double lat,
                      struct bp_hit *hit);

/**
 * The same as bp_border_project(), faster when the point is near the one
 * before it (consecutive GPS fixes): `hint_segment` is the previous hit's
 * segment. Gives exactly the same answer as bp_border_project(), whatever
 * the hint (one out of range is ignored).
 */
int bp_border_project_near(const struct bp_border *b, double lon, double lat,
                           size_t hint_segment, struct bp_hit *hit);

/**
 * Project the n points `pt` at once into `hit` (hit[i] for pt[i]), with
 * exactly the answers bp_border_project() gives one by one. Faster on
 * many points: scattered points are searched a few side by side, so that
 * one's wait for memory overlaps the others' work, and a point close to
 * the one before it (consecutive GPS fixes) starts from that one's answer.
 * Returns how many were projected: n, or the index of the first point that
 * is not finite or out of range (the hits before it are filled, the rest
 * untouched); 0 when an argument is NULL. Nothing is allocated; safe to
 * call from several threads at once on the same border.
 */
size_t bp_border_project_many(const struct bp_border *b,
                              const struct bp_lonlat *pt, size_t n,
                              struct bp_hit *hit);

/**
 * Brute-force projection that scans every segment; for tests and
 * benchmarks only. Same contract as bp_border_project().
 */
int bp_border_project_scan(const struct bp_border *b, double lon, double lat,
                           struct bp_hit *hit);

/**
 * The point at calibrated measure `measure_m`. Returns 0; BP_ERANGE when
 * the measure is not finite or outside [0, length] (`*pt` untouched).
 * Thread-safe, allocation-free.
 */
int bp_border_point(const struct bp_border *b, double measure_m,
                    struct bp_lonlat *pt);

/**
 * The part of the line between calibrated measures `from_m` < `to_m`, as
 * vertices: the interpolated ends and every vertex between. Sets `*pts`
 * (caller owns; free with bp_free()) and `*n`. BP_ERANGE when the range is
 * empty, not finite or outside [0, length]; BP_ENOMEM.
 */
int bp_border_slice(const struct bp_border *b, double from_m, double to_m,
                    struct bp_lonlat **pts, size_t *n, struct bp_error *err);

/**
 * Join the parts of a MultiLineString into one line: parts may come in any
 * order and direction but must join end to end (within `tol_m` metres).
 * `parts[i]` has `lens[i]` vertices. Sets `*out` (caller owns; bp_free())
 * and `*nout`. BP_EGEOM when parts do not join (the message names the two
 * nearest loose ends and how far apart they are) or when three or more
 * parts meet at one point (a branch); BP_ENOMEM.
 */
int bp_geo_join_parts(const struct bp_lonlat *const *parts,
                      const size_t *lens, size_t nparts, double tol_m,
                      struct bp_lonlat **out, size_t *nout,
                      struct bp_error *err);

/** Geodesic distance in metres between two points on WGS84. */
double bp_geo_distance_m(struct bp_lonlat a, struct bp_lonlat b);

/**
 * The point at geodesic distance `dist_m` and azimuth `azi_deg` (clockwise
 * from north) from `from`, on WGS84.
 */
struct bp_lonlat bp_geo_direct(struct bp_lonlat from, double azi_deg,
                               double dist_m);

#endif
