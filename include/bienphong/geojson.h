/* SPDX-License-Identifier: MIT */
/*
 * GeoJSON (RFC 7946) in and out for the border line and for point features
 * such as boundary markers. Reading checks everything a border needs
 * (types, coordinate ranges, parts that join) and names the JSON path of
 * what is wrong; jansson does the parsing and stays out of this header.
 *
 *     struct bp_lonlat *pts; size_t n; char *name;
 *     struct bp_error err = {0};
 *     if (bp_geojson_read_line(text, len, "bien-gioi.geojson", &pts, &n,
 *                              &name, &err) == 0) {
 *         ... bp_border_new(pts, n, &opts, &border, &err) ...
 *         bp_free(pts);
 *         bp_free(name);
 *     }
 */
#ifndef BIENPHONG_GEOJSON_H
#define BIENPHONG_GEOJSON_H

#include <stddef.h>

#include "bienphong/buf.h"
#include "bienphong/error.h"
#include "bienphong/geo.h"

/**
 * Read a border line from GeoJSON text: a LineString, a MultiLineString whose
 * parts join end to end (any order and direction, joined with
 * bp_geo_join_parts() from geo.h, tolerance 1 m), or a Feature or a
 * FeatureCollection holding exactly one such geometry (name taken from the
 * feature's properties "name", else "ten", when it is a non-empty string).
 * Features of other geometry types (markers as Points, say) and features
 * with a null geometry in a FeatureCollection are ignored.
 * `text` (borrowed) need not be NUL-terminated. `filename` (may be NULL) is
 * used only in error messages. Positions may carry a third number
 * (elevation), which is ignored; consecutive duplicate positions are passed
 * through (bp_border_new() drops them).
 *
 * Sets *pts (caller owns; bp_free) and *n, and *name (caller owns; bp_free;
 * NULL when none) on success and returns 0. `name` may be NULL when the
 * caller does not want the name. Errors:
 * BP_EPARSE for malformed JSON (the message gives line and column; numbers
 * too large for a double, such as 1e999, are malformed JSON here);
 * BP_EGEOM for JSON that is not the GeoJSON expected (top level not an
 * object, members missing or of the wrong kind), wrong geometry types,
 * non-numeric, non-finite or out-of-range coordinates, fewer than two
 * positions, parts that do not join or that branch; the message names the
 * JSON path, e.g. "coordinates[2][41]: latitude 95.2 is out of range
 * [-90, 90]" or "features[3].geometry.coordinates[0]: ...";
 * BP_EINVAL for NULL `text`, `pts` or `n`; BP_ENOMEM. `err` (may be NULL)
 * carries `filename` as its file. Outputs untouched on failure.
 * Thread-safe.
 */
int bp_geojson_read_line(const char *text, size_t len, const char *filename,
                         struct bp_lonlat **pts, size_t *n, char **name,
                         struct bp_error *err);

/**
 * Write a LineString geometry as compact GeoJSON text into `out` (appended),
 * coordinates with 7 decimals (about 1 cm), e.g.
 * {"type":"LineString","coordinates":[[106.7,22.85],...]} with every number
 * written as %.7f. `pts` is borrowed; it may be NULL when `n` is 0.
 * Returns 0, BP_EINVAL for a NULL `out`, for NULL `pts` with `n` > 0 or for
 * a non-finite coordinate (JSON cannot hold one), or BP_ENOMEM. On failure
 * `out` is as it was.
 */
int bp_geojson_write_linestring(struct bp_buf *out, const struct bp_lonlat *pts,
                                size_t n);

/** A point read from GeoJSON, with its feature's properties. */
struct bp_geojson_point {
    double lon, lat;
    /*
     * The feature's properties as compact JSON text, keys in file order,
     * e.g. {"so_moc":"1116/1","loai":"mốc chính"}; "{}" when the feature
     * has null or no properties or the geometry stands alone. Owned by the
     * array; freed by bp_geojson_points_free().
     */
    char *props_json;
};

/**
 * Read points from GeoJSON text: a Point, a Feature whose geometry is a
 * Point, or a FeatureCollection whose features all are Points (a feature
 * with another geometry type or a null geometry is an error naming it, as
 * in "features[3].geometry.type: expected 'Point', got 'LineString'").
 * `text`, `filename`, positions and errors as for bp_geojson_read_line().
 *
 * Sets *pts (caller owns; free with bp_geojson_points_free(*pts, *n)) and
 * *n, in file order, and returns 0; an empty FeatureCollection gives
 * *pts = NULL and *n = 0. Properties that are neither an object nor null
 * are an error. Errors: BP_EPARSE, BP_EGEOM, BP_EINVAL (NULL
 * `text`, `pts` or `n`), BP_ENOMEM. Outputs untouched on failure.
 * Thread-safe.
 */
int bp_geojson_read_points(const char *text, size_t len, const char *filename,
                           struct bp_geojson_point **pts, size_t *n,
                           struct bp_error *err);

/** Free `n` points and their properties; (NULL, 0) is a no-op. */
void bp_geojson_points_free(struct bp_geojson_point *pts, size_t n);

#endif
