/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the benchmark programs in bench/: a monotonic clock,
 * a seeded random generator, the synthetic 230 km mountain border line and
 * GPS fixes near it, number formatting and a table printer. Everything is
 * generated in memory from a seed, so every run measures the same data.
 * Synthetic data only: the line follows the general course of a northern
 * Vietnamese border but is not any real line.
 */
#ifndef BIENPHONG_BENCHLIB_H
#define BIENPHONG_BENCHLIB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bienphong/geo.h"

/** Seconds on CLOCK_MONOTONIC. */
double bench_now_s(void);

/**
 * Written by timed loops so the compiler cannot drop the work they do;
 * each loop stores a checksum of its results here.
 */
extern volatile double bench_sink;

/** Deterministic random numbers (splitmix64); seed the state directly. */
struct bench_rng {
    uint64_t state;
};
/** Next 64 random bits. */
uint64_t bench_rng_next(struct bench_rng *r);
/** Uniform in [0, 1). */
double bench_rng_unit(struct bench_rng *r);
/** Uniform in [lo, hi). */
double bench_rng_range(struct bench_rng *r, double lo, double hi);
/** Standard normal (Box–Muller). */
double bench_rng_normal(struct bench_rng *r);

/**
 * Metres per degree of longitude (`*mx`) and latitude (`*my`) at latitude
 * `lat_deg` on the WGS84 ellipsoid: the local equirectangular scale.
 */
void bench_metres_per_degree(double lat_deg, double *mx, double *my);

/**
 * The benchmark line: `n` vertices west to east, with each vertex's
 * geodesic measure and each segment's azimuths computed independently of
 * libbienphong (PROJ's geod_inverse), so they can serve as ground truth.
 */
struct bench_line {
    struct bp_lonlat *pts; /* n vertices */
    size_t n;
    double *cum_m; /* geodesic measure of vertex i, metres; cum_m[0] = 0 */
    double *azi1;  /* azimuth of segment i at vertex i, degrees (n - 1) */
    double *azi2;  /* azimuth of segment i at vertex i + 1, degrees */
    double length_m;
};

/**
 * Make a mountain-wiggly line of `n` (>= 2) vertices whose length is about
 * `target_m`: a dozen waypoints near 22°N between 106.5°E and 107.4°E
 * joined by midpoint displacement, resampled to `n` evenly spaced
 * vertices and perturbed by a few decimetres, all from `seed`. Fills
 * `*line` (release with bench_line_release()). 0, or BP_ENOMEM.
 */
int bench_line_make(struct bench_line *line, size_t n, double target_m,
                    uint64_t seed);
/** Free what bench_line_make() allocated; safe on a zeroed line. */
void bench_line_release(struct bench_line *line);

/**
 * The point at geodesic measure `g_m` (clamped to the line), interpolated
 * linearly in lon/lat inside its segment; good to a micrometre on the
 * line's short segments. Returns the segment index.
 */
size_t bench_line_at(const struct bench_line *line, double g_m,
                     struct bp_lonlat *pt);

/**
 * `n` fixes in random order: each at a uniformly random measure, moved by
 * up to `max_offset_m` in a random direction. Sets `*out` (caller owns;
 * bp_free()). 0, or BP_ENOMEM.
 */
int bench_fixes_random(const struct bench_line *line, size_t n,
                       double max_offset_m, uint64_t seed,
                       struct bp_lonlat **out);

/**
 * `n` fixes in track order: simulated GPS tracks of a few thousand fixes,
 * each walking along the line a few metres per fix at a slowly drifting
 * offset (within `max_offset_m`) with a few metres of GPS noise, so a fix
 * usually lands near the previous fix's segment. Sets `*out` (caller
 * owns; bp_free()). 0, or BP_ENOMEM.
 */
int bench_fixes_tracks(const struct bench_line *line, size_t n,
                       double max_offset_m, uint64_t seed,
                       struct bp_lonlat **out);

/** `v` rounded to an integer with thousands commas: "3,512,406". */
char *bench_fmt_count(double v, char *out, size_t size);
/** A ratio: "856×", "16.7×", "0.82×", "1.7e+09×"; "—" if not finite. */
char *bench_fmt_ratio(double v, char *out, size_t size);
/**
 * A length in the unit that suits it: "398.8 m", "55.9 cm", "4.560 mm",
 * "2.512 µm"; "0" for zero, "—" if not finite.
 */
char *bench_fmt_length(double m, char *out, size_t size);
/** `v` with `decimals` decimals and thousands commas; "—" if not finite. */
char *bench_fmt_num(double v, int decimals, char *out, size_t size);

/**
 * Print "machine: <cpu model>, <n> cores online, load average <1 min>;
 * <date>" to `f`.
 */
void bench_print_machine(FILE *f);

#define BENCH_TABLE_ROWS 48
#define BENCH_TABLE_COLS 8
#define BENCH_CELL       160

/** A Markdown table filled cell by cell, then printed with aligned columns. */
struct bench_table {
    size_t ncols;
    size_t nrows; /* header row included */
    char cell[BENCH_TABLE_ROWS][BENCH_TABLE_COLS][BENCH_CELL];
};

/** Start a table with the header cells (`ncols` <= BENCH_TABLE_COLS). */
void bench_table_init(struct bench_table *t, const char *const *header,
                      size_t ncols);
/**
 * Append a row of `t->ncols` cells given as strings (NULL prints empty).
 * Rows beyond BENCH_TABLE_ROWS are dropped; cells are truncated.
 */
void bench_table_row(struct bench_table *t, ...);
/** Print the table, columns padded to their widest cell. */
void bench_table_print(const struct bench_table *t, FILE *f);

#endif
