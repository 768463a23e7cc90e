/* SPDX-License-Identifier: MIT */
/*
 * The demo province's patrols (demo_patrol.c), made inside
 * bp_demo_province()'s transaction after the registry.
 */
#ifndef BP_DEMO_PATROL_INT_H
#define BP_DEMO_PATROL_INT_H

#include "bienphong/demo.h"
#include "bienphong/store.h"

/**
 * Patrols 2019-2024 with generated GPS tracks along the home side of the
 * stored border (noise, pauses, a few bad tracks, some approved),
 * marker inspections and incidents; counts added to `sum`. From a fixed
 * seed. 0 or the store's errors.
 */
int bp__demo_patrols(struct bp_store *st, struct bp_demo_summary *sum,
                     struct bp_error *err);

#endif
