/* SPDX-License-Identifier: MIT */
/*
 * Internal pieces of the demo generator: synthetic people (Tày and Nùng
 * names as found along the Lạng Sơn border), phone numbers, citizen IDs,
 * village names and record ids, all drawn from the demo's random numbers.
 */
#ifndef BP_DEMO_INT_H
#define BP_DEMO_INT_H

#include <stddef.h>

#include "bienphong/demo.h"
#include "bienphong/registry.h"

/** A full name ("Hoàng Văn Sằm", "Nông Thị Thắm") into `out`. */
void bp__demo_person(struct bp_demo_rng *r, int female, char *out, size_t size);

/** A mobile number, ten digits ("0912345678"), into `out` (>= 11 bytes). */
void bp__demo_phone(struct bp_demo_rng *r, char *out);

/**
 * A 12-digit citizen ID of a person registered in Lạng Sơn (province code
 * 020), with the sex-and-century digit and the birth year's last two
 * digits, into `out` (>= 13 bytes).
 */
void bp__demo_citizen_id(struct bp_demo_rng *r, int female, int birth_year,
                         char *out);

/**
 * A village name ("Nà Pàn", "Khuổi Khỉn") different from the `n` names
 * already in `taken`, into `out`.
 */
void bp__demo_village(struct bp_demo_rng *r, char (*taken)[32], size_t n,
                      char *out, size_t size);

/** A version-4-shaped UUID from the random numbers (not from the OS). */
void bp__demo_uuid(struct bp_demo_rng *r, bp_uuid out);

/** A random integer in [0, n). */
unsigned bp__demo_below(struct bp_demo_rng *r, unsigned n);

struct bp_store;
/**
 * The demo campaign and community models (demo_campaign.c), written into
 * `st` inside the caller's transaction once the registry is in place.
 */
int bp__demo_campaign(struct bp_store *st, struct bp_error *err);

#endif
