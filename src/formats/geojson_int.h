/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the GeoJSON readers (geojson_line.c, geojson_points.c):
 * parsing with jansson into a checked top-level object, describing JSON
 * values in error messages, and reading one position. Internal to the
 * formats module.
 */
#ifndef BIENPHONG_FORMATS_GEOJSON_INT_H
#define BIENPHONG_FORMATS_GEOJSON_INT_H

#include <stddef.h>

#include <jansson.h>

#include "bienphong/error.h"
#include "bienphong/geo.h"

/* Longest JSON path or quoted value an error message carries. */
#define BP__GEOJSON_PATH_MAX 192

/**
 * Parse `len` bytes of `text` (borrowed, need not be NUL-terminated) and
 * check that the top-level value is an object. Sets `*root` (new
 * reference) and returns 0; BP_EPARSE for malformed JSON (message gives
 * line and column), BP_EGEOM when the top level is not an object,
 * BP_ENOMEM. `err` gets `filename` as its file.
 */
int bp__geojson_load(const char *text, size_t len, const char *filename,
                     json_t **root, struct bp_error *err);

/**
 * How a value reads in a message: "an object", "an array", "a string",
 * "a number", "a boolean", "null", or "nothing" for a missing value (NULL).
 * Static text.
 */
const char *bp__geojson_kind(const json_t *v);

/**
 * The value as it should appear after "got" in a message: a string
 * quoted (and cut short when long), anything else by its kind. Writes into
 * `out` of `size` bytes and returns it.
 */
char *bp__geojson_describe(const json_t *v, char *out, size_t size);

/** The "type" member of an object when it is a string, else NULL. Borrowed. */
const char *bp__geojson_type(const json_t *obj);

/**
 * `prefix`.`key`, or just `key` when `prefix` is empty: the JSON path of a
 * member for messages. Writes into `out` of `size` bytes and returns it.
 */
char *bp__geojson_path(char *out, size_t size, const char *prefix,
                       const char *key);

/**
 * Read a position [lon, lat] or [lon, lat, elevation, ...]: every element a
 * number, longitude in [-180, 180], latitude in [-90, 90]. Returns 0 and
 * fills `*out`, or -1 with what is wrong written into `why` (no path, e.g.
 * "latitude 95.2 is out of range [-90, 90]").
 */
int bp__geojson_position(const json_t *pos, struct bp_lonlat *out, char *why,
                         size_t whysize);

#endif
