/* SPDX-License-Identifier: MIT */
/*
 * The border line from GeoJSON and back: a LineString, a MultiLineString
 * whose parts join into one line, or the one such Feature of a file, read
 * with every coordinate checked and every error naming its JSON path; and
 * a LineString written compactly with 7 decimals. Also the parsing and
 * position helpers the other GeoJSON reader shares (geojson_int.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "bienphong/alloc.h"
#include "bienphong/buf.h"
#include "bienphong/error.h"
#include "bienphong/geo.h"
#include "bienphong/geojson.h"
#include "formats/geojson_int.h"

/* Parts of a MultiLineString join when their ends are this close. */
#define JOIN_TOLERANCE_M 1.0

/* Where a reader reports to: the file name for messages, and `err`. */
struct ctx {
    const char *filename;
    struct bp_error *err;
};

static int fail(const struct ctx *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(const struct ctx *c, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    bp_error_vset_at(c->err, code, c->filename, 0, NULL, fmt, ap);
    va_end(ap);
    return code;
}

static int no_memory(const struct ctx *c)
{
    return fail(c, BP_ENOMEM, "out of memory reading GeoJSON");
}

/* --- helpers shared with geojson_points.c ------------------------------ */

int bp__geojson_load(const char *text, size_t len, const char *filename,
                     json_t **root, struct bp_error *err)
{
    const struct ctx c = {filename, err};
    json_error_t jerr;
    json_t *v = NULL;
    int rc = 0;

    v = json_loadb(text, len, 0, &jerr);
    if (!v) {
        if (json_error_code(&jerr) == json_error_out_of_memory)
            rc = no_memory(&c);
        else
            rc = fail(&c, BP_EPARSE, "line %d, column %d: malformed JSON: %s",
                      jerr.line, jerr.column, jerr.text);
        goto out;
    }
    if (!json_is_object(v)) {
        rc = fail(&c, BP_EGEOM,
                  "expected a GeoJSON object at the top level, got %s",
                  bp__geojson_kind(v));
        goto out;
    }
    *root = v;
    v = NULL;
out:
    json_decref(v);
    return rc;
}

const char *bp__geojson_kind(const json_t *v)
{
    if (!v)
        return "nothing";
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "an unknown value";
}

char *bp__geojson_describe(const json_t *v, char *out, size_t size)
{
    if (json_is_string(v))
        snprintf(out, size, "'%.40s%s'", json_string_value(v),
                 json_string_length(v) > 40 ? "..." : "");
    else
        snprintf(out, size, "%s", bp__geojson_kind(v));
    return out;
}

const char *bp__geojson_type(const json_t *obj)
{
    return json_string_value(json_object_get(obj, "type"));
}

char *bp__geojson_path(char *out, size_t size, const char *prefix,
                       const char *key)
{
    snprintf(out, size, "%s%s%s", prefix, *prefix ? "." : "", key);
    return out;
}

static int read_coord(const json_t *v, const char *what, double lo, double hi,
                      double *out, char *why, size_t whysize)
{
    double x;

    if (!json_is_number(v)) {
        snprintf(why, whysize, "%s is %s, expected a number", what,
                 bp__geojson_kind(v));
        return -1;
    }
    x = json_number_value(v);
    /* jansson refuses 1e999 while parsing; this catches what slips by. */
    if (!isfinite(x)) {
        snprintf(why, whysize, "%s is not a finite number", what);
        return -1;
    }
    if (x < lo || x > hi) {
        snprintf(why, whysize, "%s %.10g is out of range [%g, %g]", what, x, lo,
                 hi);
        return -1;
    }
    *out = x;
    return 0;
}

int bp__geojson_position(const json_t *pos, struct bp_lonlat *out, char *why,
                         size_t whysize)
{
    struct bp_lonlat p;
    size_t i, n;

    if (!json_is_array(pos)) {
        snprintf(why, whysize,
                 "expected a position [longitude, latitude], got %s",
                 bp__geojson_kind(pos));
        return -1;
    }
    n = json_array_size(pos);
    if (n < 2) {
        snprintf(why, whysize,
                 "a position needs a longitude and a latitude, got %zu "
                 "number%s",
                 n, n == 1 ? "" : "s");
        return -1;
    }
    if (read_coord(json_array_get(pos, 0), "longitude", -180, 180, &p.lon, why,
                   whysize) ||
        read_coord(json_array_get(pos, 1), "latitude", -90, 90, &p.lat, why,
                   whysize))
        return -1;
    /* Elevation and beyond are ignored, but must still be numbers. */
    for (i = 2; i < n; i++) {
        if (!json_is_number(json_array_get(pos, i))) {
            snprintf(why, whysize, "element %zu is %s, expected a number", i,
                     bp__geojson_kind(json_array_get(pos, i)));
            return -1;
        }
    }
    *out = p;
    return 0;
}

/* --- reading a line ---------------------------------------------------- */

static const char *const line_types = "'LineString' or 'MultiLineString'";

static int is_line_type(const char *type)
{
    return type &&
           (!strcmp(type, "LineString") || !strcmp(type, "MultiLineString"));
}

/*
 * Read the positions of array `arr` (at JSON path `path`) into `dst`,
 * which has room for all of them.
 */
static int read_positions(const struct ctx *c, const json_t *arr,
                          const char *path, struct bp_lonlat *dst)
{
    char why[160];
    size_t i;

    for (i = 0; i < json_array_size(arr); i++)
        if (bp__geojson_position(json_array_get(arr, i), &dst[i], why,
                                 sizeof(why)))
            return fail(c, BP_EGEOM, "%s[%zu]: %s", path, i, why);
    return 0;
}

static int read_linestring(const struct ctx *c, const json_t *coords,
                           const char *cpath, struct bp_lonlat **pts, size_t *n)
{
    struct bp_lonlat *v = NULL;
    size_t m = json_array_size(coords);
    int rc;

    if (m < 2) {
        rc = fail(c, BP_EGEOM,
                  "%s: a line needs at least two positions, got %zu", cpath, m);
        goto out;
    }
    v = bp_reallocarray(NULL, m, sizeof(*v));
    if (!v) {
        rc = no_memory(c);
        goto out;
    }
    rc = read_positions(c, coords, cpath, v);
    if (rc)
        goto out;
    *pts = v;
    *n = m;
    v = NULL;
out:
    bp_free(v);
    return rc;
}

static int read_multilinestring(const struct ctx *c, const json_t *coords,
                                const char *cpath, struct bp_lonlat **pts,
                                size_t *n)
{
    char ppath[BP__GEOJSON_PATH_MAX + 24];
    char saved[sizeof(((struct bp_error *)0)->message)];
    struct bp_lonlat *flat = NULL, *joined = NULL;
    const struct bp_lonlat **parts = NULL;
    size_t *lens = NULL;
    size_t nparts = json_array_size(coords), total = 0, at = 0, i, njoined;
    int rc = 0;

    if (nparts == 0) {
        rc = fail(c, BP_EGEOM,
                  "%s: a MultiLineString needs at least one part, got none",
                  cpath);
        goto out;
    }
    for (i = 0; i < nparts; i++) {
        const json_t *part = json_array_get(coords, i);

        if (!json_is_array(part)) {
            rc = fail(c, BP_EGEOM,
                      "%s[%zu]: expected an array of positions, got %s", cpath,
                      i, bp__geojson_kind(part));
            goto out;
        }
        if (json_array_size(part) < 2) {
            rc = fail(c, BP_EGEOM,
                      "%s[%zu]: a line part needs at least two positions, "
                      "got %zu",
                      cpath, i, json_array_size(part));
            goto out;
        }
        total += json_array_size(part);
    }
    flat = bp_reallocarray(NULL, total, sizeof(*flat));
    parts = bp_reallocarray(NULL, nparts, sizeof(*parts));
    lens = bp_reallocarray(NULL, nparts, sizeof(*lens));
    if (!flat || !parts || !lens) {
        rc = no_memory(c);
        goto out;
    }
    for (i = 0; i < nparts; i++) {
        const json_t *part = json_array_get(coords, i);

        snprintf(ppath, sizeof(ppath), "%s[%zu]", cpath, i);
        rc = read_positions(c, part, ppath, flat + at);
        if (rc)
            goto out;
        parts[i] = flat + at;
        lens[i] = json_array_size(part);
        at += lens[i];
    }
    if (nparts == 1) {
        *pts = flat;
        *n = total;
        flat = NULL;
        goto out;
    }
    rc = bp_geo_join_parts(parts, lens, nparts, JOIN_TOLERANCE_M, &joined,
                           &njoined, c->err);
    if (rc == BP_ENOMEM) {
        rc = no_memory(c);
        goto out;
    }
    if (rc) {
        /* Say which file and which member the geometry error is about. */
        snprintf(saved, sizeof(saved), "%s", c->err ? c->err->message : "");
        rc = fail(c, rc, "%s: %s", cpath,
                  saved[0] ? saved : "the parts do not join into one line");
        goto out;
    }
    *pts = joined;
    *n = njoined;
out:
    bp_free(flat);
    bp_free(parts);
    bp_free(lens);
    return rc;
}

/* Read a LineString or MultiLineString geometry object at path `prefix`. */
static int read_line_geometry(const struct ctx *c, const json_t *geom,
                              const char *prefix, struct bp_lonlat **pts,
                              size_t *n)
{
    char tpath[BP__GEOJSON_PATH_MAX], cpath[BP__GEOJSON_PATH_MAX];
    char got[64];
    const json_t *coords;
    const char *type = bp__geojson_type(geom);

    bp__geojson_path(tpath, sizeof(tpath), prefix, "type");
    if (!is_line_type(type))
        return fail(c, BP_EGEOM, "%s: expected %s, got %s", tpath, line_types,
                    bp__geojson_describe(json_object_get(geom, "type"), got,
                                         sizeof(got)));
    bp__geojson_path(cpath, sizeof(cpath), prefix, "coordinates");
    coords = json_object_get(geom, "coordinates");
    if (!json_is_array(coords))
        return fail(c, BP_EGEOM, "%s: expected an array of %s, got %s", cpath,
                    strcmp(type, "LineString") ? "lines" : "positions",
                    bp__geojson_kind(coords));
    if (!strcmp(type, "LineString"))
        return read_linestring(c, coords, cpath, pts, n);
    return read_multilinestring(c, coords, cpath, pts, n);
}

/* The feature's name from properties "name", else "ten"; NULL when none. */
static int feature_name(const struct ctx *c, const json_t *feature, char **name)
{
    static const char *const keys[] = {"name", "ten"};
    const json_t *props = json_object_get(feature, "properties");
    size_t i;

    *name = NULL;
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        const json_t *v = json_object_get(props, keys[i]);

        if (json_is_string(v) && json_string_length(v) > 0) {
            *name = bp_strdup(json_string_value(v));
            return *name ? 0 : no_memory(c);
        }
    }
    return 0;
}

/* Read the line of a Feature object at path `prefix`, and its name. */
static int read_line_feature(const struct ctx *c, const json_t *feature,
                             const char *prefix, struct bp_lonlat **pts,
                             size_t *n, char **name)
{
    char gpath[BP__GEOJSON_PATH_MAX];
    struct bp_lonlat *v = NULL;
    char *nm = NULL;
    const json_t *geom = json_object_get(feature, "geometry");
    size_t m = 0;
    int rc;

    bp__geojson_path(gpath, sizeof(gpath), prefix, "geometry");
    if (!json_is_object(geom)) {
        rc = fail(c, BP_EGEOM, "%s: expected a %s geometry, got %s", gpath,
                  line_types, bp__geojson_kind(geom));
        goto out;
    }
    rc = read_line_geometry(c, geom, gpath, &v, &m);
    if (rc)
        goto out;
    if (name) {
        rc = feature_name(c, feature, &nm);
        if (rc)
            goto out;
        *name = nm;
    }
    *pts = v;
    *n = m;
    v = NULL;
out:
    bp_free(v);
    return rc;
}

/* The one feature with a line geometry in a FeatureCollection. */
static int read_line_collection(const struct ctx *c, const json_t *root,
                                struct bp_lonlat **pts, size_t *n, char **name)
{
    char fpath[BP__GEOJSON_PATH_MAX], got[64];
    const json_t *features = json_object_get(root, "features");
    size_t i, found = 0, first = 0, second = 0;

    if (!json_is_array(features))
        return fail(c, BP_EGEOM, "features: expected an array, got %s",
                    bp__geojson_kind(features));
    for (i = 0; i < json_array_size(features); i++) {
        const json_t *f = json_array_get(features, i);
        const json_t *geom;
        const char *type = bp__geojson_type(f);

        if (!json_is_object(f))
            return fail(c, BP_EGEOM,
                        "features[%zu]: expected a Feature object, got %s", i,
                        bp__geojson_kind(f));
        if (!type || strcmp(type, "Feature"))
            return fail(c, BP_EGEOM,
                        "features[%zu].type: expected 'Feature', got %s", i,
                        bp__geojson_describe(json_object_get(f, "type"), got,
                                             sizeof(got)));
        geom = json_object_get(f, "geometry");
        if (geom && !json_is_object(geom) && !json_is_null(geom))
            return fail(c, BP_EGEOM,
                        "features[%zu].geometry: expected a geometry object "
                        "or null, got %s",
                        i, bp__geojson_kind(geom));
        /* Other features (markers as Points, say) may share the file. */
        if (!is_line_type(bp__geojson_type(geom)))
            continue;
        if (found == 0)
            first = i;
        else if (found == 1)
            second = i;
        found++;
    }
    if (found == 0)
        return fail(c, BP_EGEOM,
                    "features: expected exactly one feature with a %s "
                    "geometry, found none among %zu feature%s",
                    line_types, json_array_size(features),
                    json_array_size(features) == 1 ? "" : "s");
    if (found > 1)
        return fail(c, BP_EGEOM,
                    "features: expected exactly one feature with a %s "
                    "geometry, found %zu (features[%zu] and features[%zu]%s)",
                    line_types, found, first, second,
                    found > 2 ? " and more" : "");
    snprintf(fpath, sizeof(fpath), "features[%zu]", first);
    return read_line_feature(c, json_array_get(features, first), fpath, pts, n,
                             name);
}

int bp_geojson_read_line(const char *text, size_t len, const char *filename,
                         struct bp_lonlat **pts, size_t *n, char **name,
                         struct bp_error *err)
{
    const struct ctx c = {filename, err};
    struct bp_lonlat *v = NULL;
    char *nm = NULL;
    json_t *root = NULL;
    const char *type;
    char got[64];
    size_t m = 0;
    int rc;

    if (!text || !pts || !n) {
        rc = fail(&c, BP_EINVAL, "bp_geojson_read_line: NULL argument");
        goto out;
    }
    rc = bp__geojson_load(text, len, filename, &root, err);
    if (rc)
        goto out;
    type = bp__geojson_type(root);
    if (is_line_type(type)) {
        rc = read_line_geometry(&c, root, "", &v, &m);
    } else if (type && !strcmp(type, "Feature")) {
        rc = read_line_feature(&c, root, "", &v, &m, name ? &nm : NULL);
    } else if (type && !strcmp(type, "FeatureCollection")) {
        rc = read_line_collection(&c, root, &v, &m, name ? &nm : NULL);
    } else {
        rc = fail(&c, BP_EGEOM,
                  "type: expected 'LineString', 'MultiLineString', "
                  "'Feature' or 'FeatureCollection', got %s",
                  bp__geojson_describe(json_object_get(root, "type"), got,
                                       sizeof(got)));
    }
    if (rc)
        goto out;
    *pts = v;
    *n = m;
    if (name)
        *name = nm;
    v = NULL;
    nm = NULL;
out:
    bp_free(v);
    bp_free(nm);
    json_decref(root);
    return rc;
}

/* --- writing a line ---------------------------------------------------- */

/*
 * Append `x` with 7 decimals. printf follows LC_NUMERIC, and a program
 * running in vi_VN would write a decimal comma; JSON wants a point
 * whatever the locale.
 */
static int add_number(struct bp_buf *out, double x)
{
    char tmp[400], num[400];
    size_t i, k = 0;
    int len = snprintf(tmp, sizeof(tmp), "%.7f", x);

    if (len < 0 || (size_t)len >= sizeof(tmp))
        return BP_EINVAL;
    for (i = 0; tmp[i]; i++) {
        if ((tmp[i] >= '0' && tmp[i] <= '9') || tmp[i] == '-')
            num[k++] = tmp[i];
        else if (k == 0 || num[k - 1] != '.')
            num[k++] = '.';
    }
    return bp_buf_add(out, num, k);
}

int bp_geojson_write_linestring(struct bp_buf *out, const struct bp_lonlat *pts,
                                size_t n)
{
    size_t i, old;
    int rc = 0;

    if (!out || (!pts && n)) {
        rc = BP_EINVAL;
        goto out;
    }
    for (i = 0; i < n; i++) {
        if (!isfinite(pts[i].lon) || !isfinite(pts[i].lat)) {
            rc = BP_EINVAL;
            goto out;
        }
    }
    old = out->len;
    /* About 28 bytes a position: one allocation for a typical line. */
    rc = bp_buf_grow(out, 48 + (n < SIZE_MAX / 32 ? n * 28 : 0));
    if (rc)
        goto out;
    rc = bp_buf_adds(out, "{\"type\":\"LineString\",\"coordinates\":[");
    for (i = 0; !rc && i < n; i++) {
        rc = bp_buf_adds(out, i ? ",[" : "[");
        if (!rc)
            rc = add_number(out, pts[i].lon);
        if (!rc)
            rc = bp_buf_addch(out, ',');
        if (!rc)
            rc = add_number(out, pts[i].lat);
        if (!rc)
            rc = bp_buf_addch(out, ']');
    }
    if (!rc)
        rc = bp_buf_adds(out, "]}");
    if (rc)
        bp_buf_setlen(out, old);
out:
    return rc;
}
