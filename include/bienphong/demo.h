/* SPDX-License-Identifier: MIT */
/*
 * The demo province: synthetic data modelled on Lạng Sơn's border with
 * China, clearly labelled as synthetic. Everything is generated from a
 * fixed seed, so the same program makes the same province every time.
 */
#ifndef BIENPHONG_DEMO_H
#define BIENPHONG_DEMO_H

#include <stddef.h>

#include "bienphong/error.h"
#include "bienphong/geo.h"

/** Official length of the demo border, metres (Lạng Sơn's: 231.740 km). */
#define BP_DEMO_OFFICIAL_M 231740.0

/** The demo border's name, saying that it is synthetic. */
#define BP_DEMO_BORDER_NAME                                                  \
    "Biên giới mẫu (giả lập theo tuyến Lạng Sơn – Trung Quốc)"

/**
 * Generate the demo border line, west to east, from the Cao Bằng tripoint
 * to the Quảng Ninh tripoint, following the real line's general course
 * with fractal mountain wiggle: a few thousand vertices whose geodesic
 * length is a little short of the official 231.740 km, as a digitised
 * line is. Sets `*pts` (caller owns; bp_free()) and `*n`. 0 or BP_ENOMEM.
 */
int bp_demo_border(struct bp_lonlat **pts, size_t *n, struct bp_error *err);

/** The demo's deterministic random numbers (splitmix64). */
struct bp_demo_rng {
    unsigned long long state;
};
/** Next 64 random bits. */
unsigned long long bp_demo_rng_next(struct bp_demo_rng *r);
/** Uniform in [0, 1). */
double bp_demo_rng_unit(struct bp_demo_rng *r);

struct bp_store;

/** What bp_demo_province() made. */
struct bp_demo_summary {
    size_t stations, communes, villages, markers, custodians, pledges;
    double length_m;   /* calibrated (official) length of the demo border */
    double geodesic_m; /* geodesic length of the demo line */
    /* Patrols 2019-2024 (demo_patrol.c): patrols, their tracks and
     * fixes, tracks flagged, manual inspections, incidents. */
    size_t patrols, tracks, fixes, flagged, inspections, incidents;
};

/**
 * Make the demo province in `st`: the demo border (bp_demo_border()) with
 * about 400 synthetic boundary markers (main, sub "1116/1" and twin
 * "1117(2)", numbered west to east from 942 to 1297) whose main markers
 * carry official measures and calibrate the line; 11 border guard
 * stations; 21 border communes and towns of the five pre-2025 districts,
 * each a stretch from marker to marker, with villages; households and
 * collectives with their pledges signed 2019-2024 (some ended, renewed or
 * replaced; overlaps; a few stretches nobody pledged). Names of places
 * and stations are real, the people, markers and pledges are synthetic,
 * and the border's name and every pledge's note say so.
 *
 * Everything comes from fixed seeds, record ids included: the same
 * province every time, and running it again on the same database
 * rewrites the same records. Runs in one transaction that this function
 * opens and commits, ending with bp_store_resurvey(); on failure it is
 * rolled back and the database is as it was. Fills `*sum` (may be NULL)
 * on success. Returns 0, BP_EINVAL (NULL store), BP_ESTORE (e.g. a
 * transaction is already open), BP_EEXIST (records of another province
 * hold the demo's station or commune codes or marker numbers), BP_ENOMEM,
 * or the errors of bp_border_new().
 */
int bp_demo_province(struct bp_store *st, struct bp_demo_summary *sum,
                     struct bp_error *err);

#endif
