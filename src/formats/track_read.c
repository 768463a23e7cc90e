/* SPDX-License-Identifier: MIT */
/*
 * GPS tracks from GeoJSON (LineStrings with per-point times, the
 * conventions of togeojson, GPSLogger and phone tracker apps) and from CSV
 * `lon,lat,time` files, and the reader that tells the three kinds apart.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bienphong/alloc.h"
#include "bienphong/csv.h"
#include "bienphong/fmt.h"
#include "bienphong/gpx.h"

/* A time from a JSON value: ISO string, or Unix seconds / milliseconds. */
static int json_time(const json_t *v, int64_t *ms)
{
    if (json_is_string(v))
        return bp_time_parse(json_string_value(v), json_string_length(v), ms);
    if (json_is_number(v)) {
        double d = json_number_value(v);
        if (!isfinite(d) || fabs(d) > 1e15)
            return BP_EPARSE;
        *ms = (int64_t)llround(fabs(d) > 1e11 ? d : d * 1000.0);
        return 0;
    }
    return BP_EPARSE;
}

/* Read one LineString's positions with `times` (may be NULL). */
static int read_line(const json_t *coords, const json_t *times,
                     const char *path, const char *file, struct bp_track *t,
                     struct bp_error *err)
{
    size_t i, n;
    int rc;

    if (!json_is_array(coords))
        return bp_error_set_at(err, BP_EGEOM, file, 0, NULL,
                               "%s: expected an array of positions", path);
    n = json_array_size(coords);
    if (times && (!json_is_array(times) || json_array_size(times) != n))
        return bp_error_set_at(err, BP_EGEOM, file, 0, NULL,
                               "%s: the times array has %zu entries for %zu "
                               "positions",
                               path, json_is_array(times)
                                         ? json_array_size(times) : 0,
                               n);
    rc = bp_track_new_segment(t);
    for (i = 0; i < n && !rc; i++) {
        const json_t *p = json_array_get(coords, i);
        struct bp_fix f = {0, 0, BP_TIME_NONE, NAN, NAN, -1};
        size_t np = json_is_array(p) ? json_array_size(p) : 0;
        const json_t *x = np >= 2 ? json_array_get(p, 0) : NULL;
        const json_t *y = np >= 2 ? json_array_get(p, 1) : NULL;

        if (!json_is_number(x) || !json_is_number(y))
            return bp_error_set_at(err, BP_EGEOM, file, 0, NULL,
                                   "%s[%zu]: expected [lon, lat, ...]", path,
                                   i);
        f.lon = json_number_value(x);
        f.lat = json_number_value(y);
        if (!(fabs(f.lon) <= 180))
            return bp_error_set_at(err, BP_EGEOM, file, 0, NULL,
                                   "%s[%zu]: longitude %g is out of range "
                                   "[-180, 180]",
                                   path, i, f.lon);
        if (!(fabs(f.lat) <= 90))
            return bp_error_set_at(err, BP_EGEOM, file, 0, NULL,
                                   "%s[%zu]: latitude %g is out of range "
                                   "[-90, 90]",
                                   path, i, f.lat);
        if (np >= 3 && json_is_number(json_array_get(p, 2)))
            f.ele = json_number_value(json_array_get(p, 2));
        if (times) {
            const json_t *tv = json_array_get(times, i);
            if (!json_is_null(tv) && json_time(tv, &f.time_ms))
                return bp_error_set_at(err, BP_EPARSE, file, 0, NULL,
                                       "%s[%zu]: the time is not an ISO "
                                       "8601 time or a Unix time",
                                       path, i);
        } else if (np >= 4 && json_time(json_array_get(p, 3), &f.time_ms)) {
            return bp_error_set_at(err, BP_EPARSE, file, 0, NULL,
                                   "%s[%zu]: the fourth number is not a "
                                   "Unix time",
                                   path, i);
        }
        rc = bp_track_add(t, &f);
    }
    return rc ? bp_error_set_at(err, rc, file, 0, NULL, "out of memory") : 0;
}

static const json_t *times_of(const json_t *props)
{
    static const char *const keys[] = {"coordTimes", "coordinateTimes",
                                       "times", "timestamps", NULL};
    size_t k;

    if (!json_is_object(props))
        return NULL;
    for (k = 0; keys[k]; k++) {
        const json_t *v = json_object_get(props, keys[k]);
        if (json_is_array(v))
            return v;
    }
    return NULL;
}

static int read_geometry(const json_t *geom, const json_t *props,
                         const char *path, const char *file,
                         struct bp_track *t, struct bp_error *err)
{
    const char *type = json_string_value(json_object_get(geom, "type"));
    const json_t *coords = json_object_get(geom, "coordinates");
    const json_t *times = times_of(props);
    char sub[160];
    size_t i;
    int rc = 0;

    if (!type)
        return bp_error_set_at(err, BP_EGEOM, file, 0, NULL,
                               "%s: no geometry type", path);
    if (!strcmp(type, "LineString")) {
        snprintf(sub, sizeof(sub), "%s.coordinates", path);
        return read_line(coords, times, sub, file, t, err);
    }
    if (!strcmp(type, "MultiLineString")) {
        if (!json_is_array(coords))
            return bp_error_set_at(err, BP_EGEOM, file, 0, NULL,
                                   "%s.coordinates: expected an array",
                                   path);
        for (i = 0; i < json_array_size(coords) && !rc; i++) {
            const json_t *tt = times ? json_array_get(times, i) : NULL;
            snprintf(sub, sizeof(sub), "%s.coordinates[%zu]", path, i);
            rc = read_line(json_array_get(coords, i),
                           json_is_array(tt) ? tt : NULL, sub, file, t, err);
        }
        return rc;
    }
    /* Points (waypoints) and other geometries are not a track. */
    return 0;
}

int bp_track_read_geojson(const char *text, size_t len, const char *filename,
                          struct bp_track *t, struct bp_error *err)
{
    json_error_t je;
    json_t *root = NULL;
    const char *type;
    char path[64];
    size_t i;
    int rc = 0;

    if (!text || !t)
        return bp_error_set(err, BP_EINVAL, "bp_track_read_geojson: NULL");
    root = json_loadb(text, len, JSON_DECODE_INT_AS_REAL, &je);
    if (!root) {
        rc = bp_error_set_at(err, BP_EPARSE, filename, 0, NULL,
                             "line %d, column %d: %s", je.line, je.column,
                             je.text);
        goto out;
    }
    type = json_string_value(json_object_get(root, "type"));
    if (!type) {
        rc = bp_error_set_at(err, BP_EGEOM, filename, 0, NULL,
                             "not GeoJSON: no \"type\" member at the top");
    } else if (!strcmp(type, "FeatureCollection")) {
        const json_t *fs = json_object_get(root, "features");
        for (i = 0; i < json_array_size(fs) && !rc; i++) {
            const json_t *f = json_array_get(fs, i);
            const json_t *g = json_object_get(f, "geometry");
            snprintf(path, sizeof(path), "features[%zu].geometry", i);
            if (json_is_object(g))
                rc = read_geometry(g, json_object_get(f, "properties"), path,
                                   filename, t, err);
        }
    } else if (!strcmp(type, "Feature")) {
        const json_t *g = json_object_get(root, "geometry");
        if (json_is_object(g))
            rc = read_geometry(g, json_object_get(root, "properties"),
                               "geometry", filename, t, err);
    } else {
        rc = read_geometry(root, NULL, "geometry", filename, t, err);
    }
    if (!rc && !t->n)
        rc = bp_error_set_at(err, BP_EEMPTY, filename, 0, NULL,
                             "no LineString positions: not a track "
                             "(không có điểm nào)");
out:
    json_decref(root);
    if (rc)
        bp_track_release(t);
    return rc;
}

int bp_track_read_csv(const char *text, size_t len, const char *filename,
                      struct bp_track *t, struct bp_error *err)
{
    static const char *const lon_n[] = {"lon", "lng", "longitude", "kinh_do",
                                        "x", NULL};
    static const char *const lat_n[] = {"lat", "latitude", "vi_do", "y",
                                        NULL};
    static const char *const time_n[] = {"time", "timestamp", "date_time",
                                         "datetime", "thoi_gian", NULL};
    static const char *const ele_n[] = {"ele", "elevation", "altitude",
                                        "alt", NULL};
    static const char *const hdop_n[] = {"hdop", NULL};
    struct bp_csv *csv = NULL;
    int clon, clat, ctime, cele, chdop, rc;

    if (!text || !t)
        return bp_error_set(err, BP_EINVAL, "bp_track_read_csv: NULL");
    rc = bp_csv_open_mem(text, len, filename, NULL, &csv, err);
    if (rc)
        goto out;
    clon = bp_csv_col(csv, lon_n);
    clat = bp_csv_col(csv, lat_n);
    ctime = bp_csv_col(csv, time_n);
    cele = bp_csv_col(csv, ele_n);
    chdop = bp_csv_col(csv, hdop_n);
    if (clon < 0 || clat < 0) {
        rc = bp_error_set_at(err, BP_EPARSE, filename, 1, NULL,
                             "no '%s' column: a track CSV needs lon and lat "
                             "columns (and time)",
                             clon < 0 ? "lon" : "lat");
        goto out;
    }
    while ((rc = bp_csv_next(csv, err)) > 0) {
        struct bp_fix f = {0, 0, BP_TIME_NONE, NAN, NAN, -1};
        const char *s;
        long row = bp_csv_row(csv);

        s = bp_csv_field(csv, (size_t)clon);
        if (bp_parse_decimal(s, &f.lon) || !(fabs(f.lon) <= 180)) {
            rc = bp_error_set_at(err, BP_EGEOM, filename, row, "lon",
                                 "'%.40s' is not a longitude in [-180, 180]",
                                 s);
            goto out;
        }
        s = bp_csv_field(csv, (size_t)clat);
        if (bp_parse_decimal(s, &f.lat) || !(fabs(f.lat) <= 90)) {
            rc = bp_error_set_at(err, BP_EGEOM, filename, row, "lat",
                                 "'%.40s' is not a latitude in [-90, 90]",
                                 s);
            goto out;
        }
        if (ctime >= 0) {
            s = bp_csv_field(csv, (size_t)ctime);
            if (*s && bp_time_parse(s, strlen(s), &f.time_ms)) {
                rc = bp_error_set_at(err, BP_EPARSE, filename, row, "time",
                                     "'%.40s' is not an ISO 8601 time", s);
                goto out;
            }
        }
        if (cele >= 0 && bp_parse_decimal(bp_csv_field(csv, (size_t)cele),
                                          &f.ele))
            f.ele = NAN;
        if (chdop >= 0 && bp_parse_decimal(bp_csv_field(csv, (size_t)chdop),
                                           &f.hdop))
            f.hdop = NAN;
        if (bp_track_add(t, &f)) {
            rc = bp_error_set_at(err, BP_ENOMEM, filename, row, NULL,
                                 "out of memory");
            goto out;
        }
    }
    if (!rc && !t->n)
        rc = bp_error_set_at(err, BP_EEMPTY, filename, 0, NULL,
                             "no rows: not a track (không có điểm nào)");
out:
    bp_csv_close(csv);
    if (rc)
        bp_track_release(t);
    return rc;
}

int bp_track_read(const char *text, size_t len, const char *filename,
                  struct bp_track *t, struct bp_error *err)
{
    size_t i = 0;

    if (!text || !t)
        return bp_error_set(err, BP_EINVAL, "bp_track_read: NULL argument");
    if (len >= 3 && (unsigned char)text[0] == 0xEF &&
        (unsigned char)text[1] == 0xBB && (unsigned char)text[2] == 0xBF)
        i = 3;
    while (i < len && isspace((unsigned char)text[i]))
        i++;
    if (i < len && text[i] == '<')
        return bp_gpx_read(text, len, filename, t, err);
    if (i < len && text[i] == '{')
        return bp_track_read_geojson(text, len, filename, t, err);
    if (i == len)
        return bp_error_set_at(err, BP_EEMPTY, filename, 0, NULL,
                               "the file is empty");
    return bp_track_read_csv(text, len, filename, t, err);
}
