/* SPDX-License-Identifier: MIT */
/*
 * Points from GeoJSON, each with its feature's properties kept as compact
 * JSON text: how boundary markers and other point features come in from a
 * GIS. The properties are interpreted by the importer, not here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "bienphong/alloc.h"
#include "bienphong/error.h"
#include "bienphong/geojson.h"
#include "formats/geojson_int.h"

static int fail(const char *filename, struct bp_error *err, int code,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(const char *filename, struct bp_error *err, int code,
                const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    bp_error_vset_at(err, code, filename, 0, NULL, fmt, ap);
    va_end(ap);
    return code;
}

/* Read a Point geometry object at JSON path `prefix` into `*out`. */
static int read_point(const json_t *geom, const char *prefix,
                      const char *filename, struct bp_lonlat *out,
                      struct bp_error *err)
{
    char path[BP__GEOJSON_PATH_MAX], got[64], why[160];
    const char *type = bp__geojson_type(geom);

    if (!json_is_object(geom))
        return fail(filename, err, BP_EGEOM, "%s: expected a Point, got %s",
                    *prefix ? prefix : "geometry", bp__geojson_kind(geom));
    if (!type || strcmp(type, "Point")) {
        bp__geojson_path(path, sizeof(path), prefix, "type");
        return fail(filename, err, BP_EGEOM, "%s: expected 'Point', got %s",
                    path,
                    bp__geojson_describe(json_object_get(geom, "type"), got,
                                         sizeof(got)));
    }
    bp__geojson_path(path, sizeof(path), prefix, "coordinates");
    if (bp__geojson_position(json_object_get(geom, "coordinates"), out, why,
                             sizeof(why)))
        return fail(filename, err, BP_EGEOM, "%s: %s", path, why);
    return 0;
}

/*
 * The properties of feature `f` at path `prefix` as compact JSON text in
 * `*out` (bp_malloc'd): "{}" when null or absent.
 */
static int dump_properties(const json_t *f, const char *prefix,
                           const char *filename, char **out,
                           struct bp_error *err)
{
    char path[BP__GEOJSON_PATH_MAX];
    const json_t *props = json_object_get(f, "properties");
    const size_t flags = JSON_COMPACT | JSON_PRESERVE_ORDER;
    char *text = NULL;
    size_t size;
    int rc = 0;

    if (!props || json_is_null(props)) {
        text = bp_strdup("{}");
        if (!text)
            rc =
                fail(filename, err, BP_ENOMEM, "out of memory reading GeoJSON");
        goto out;
    }
    if (!json_is_object(props)) {
        bp__geojson_path(path, sizeof(path), prefix, "properties");
        rc = fail(filename, err, BP_EGEOM,
                  "%s: expected an object or null, got %s", path,
                  bp__geojson_kind(props));
        goto out;
    }
    /* json_dumpb() rather than json_dumps() so the text is bp_malloc'd. */
    size = json_dumpb(props, NULL, 0, flags);
    text = size ? bp_malloc(size + 1) : NULL;
    if (!text || json_dumpb(props, text, size, flags) != size) {
        rc = fail(filename, err, BP_ENOMEM, "out of memory reading GeoJSON");
        goto out;
    }
    text[size] = '\0';
out:
    if (rc) {
        bp_free(text);
        text = NULL;
    }
    *out = text;
    return rc;
}

/* Read Feature `f` at path `prefix` into `*pt`. */
static int read_feature(const json_t *f, const char *prefix,
                        const char *filename, struct bp_geojson_point *pt,
                        struct bp_error *err)
{
    char path[BP__GEOJSON_PATH_MAX];
    struct bp_lonlat ll;
    int rc;

    bp__geojson_path(path, sizeof(path), prefix, "geometry");
    rc = read_point(json_object_get(f, "geometry"), path, filename, &ll, err);
    if (rc)
        goto out;
    rc = dump_properties(f, prefix, filename, &pt->props_json, err);
    if (rc)
        goto out;
    pt->lon = ll.lon;
    pt->lat = ll.lat;
out:
    return rc;
}

int bp_geojson_read_points(const char *text, size_t len, const char *filename,
                           struct bp_geojson_point **pts, size_t *n,
                           struct bp_error *err)
{
    char prefix[BP__GEOJSON_PATH_MAX], got[64];
    struct bp_geojson_point *v = NULL;
    const json_t *features;
    json_t *root = NULL;
    const char *type;
    size_t m = 0, cap = 0, i;
    int rc;

    if (!text || !pts || !n) {
        rc = fail(filename, err, BP_EINVAL,
                  "bp_geojson_read_points: NULL argument");
        goto out;
    }
    rc = bp__geojson_load(text, len, filename, &root, err);
    if (rc)
        goto out;
    type = bp__geojson_type(root);
    if (type && !strcmp(type, "FeatureCollection")) {
        features = json_object_get(root, "features");
        if (!json_is_array(features)) {
            rc = fail(filename, err, BP_EGEOM,
                      "features: expected an array, got %s",
                      bp__geojson_kind(features));
            goto out;
        }
        if (!json_array_size(features))
            goto done;
        cap = json_array_size(features);
        v = bp_calloc(cap, sizeof(*v));
        if (!v) {
            rc =
                fail(filename, err, BP_ENOMEM, "out of memory reading GeoJSON");
            goto out;
        }
        for (i = 0; i < json_array_size(features); i++) {
            const json_t *f = json_array_get(features, i);
            const char *ftype = bp__geojson_type(f);

            snprintf(prefix, sizeof(prefix), "features[%zu]", i);
            if (!json_is_object(f) || !ftype || strcmp(ftype, "Feature")) {
                rc = fail(filename, err, BP_EGEOM,
                          "%s: expected a Feature, got %s", prefix,
                          json_is_object(f)
                              ? bp__geojson_describe(json_object_get(f, "type"),
                                                     got, sizeof(got))
                              : bp__geojson_kind(f));
                goto out;
            }
            rc = read_feature(f, prefix, filename, &v[m], err);
            if (rc)
                goto out;
            m++;
        }
    } else if (type && !strcmp(type, "Feature")) {
        cap = 1;
        v = bp_calloc(cap, sizeof(*v));
        if (!v) {
            rc =
                fail(filename, err, BP_ENOMEM, "out of memory reading GeoJSON");
            goto out;
        }
        rc = read_feature(root, "", filename, &v[0], err);
        if (rc)
            goto out;
        m = 1;
    } else if (type && !strcmp(type, "Point")) {
        struct bp_lonlat ll;

        rc = read_point(root, "", filename, &ll, err);
        if (rc)
            goto out;
        cap = 1;
        v = bp_calloc(cap, sizeof(*v));
        if (v)
            v->props_json = bp_strdup("{}");
        if (!v || !v->props_json) {
            rc =
                fail(filename, err, BP_ENOMEM, "out of memory reading GeoJSON");
            goto out;
        }
        v->lon = ll.lon;
        v->lat = ll.lat;
        m = 1;
    } else {
        rc = fail(filename, err, BP_EGEOM,
                  "type: expected 'Point', 'Feature' or 'FeatureCollection', "
                  "got %s",
                  bp__geojson_describe(json_object_get(root, "type"), got,
                                       sizeof(got)));
        goto out;
    }
done:
    *pts = v;
    *n = m;
    v = NULL;
out:
    /* On failure free what was read; calloc left the rest NULL. */
    bp_geojson_points_free(v, cap);
    json_decref(root);
    return rc;
}

void bp_geojson_points_free(struct bp_geojson_point *pts, size_t n)
{
    size_t i;

    if (!pts)
        return;
    for (i = 0; i < n; i++)
        bp_free(pts[i].props_json);
    bp_free(pts);
}
