/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the GeoJSON readers and writer: every geometry form the
 * border line may come in, the point reader, and the errors with their
 * codes and messages (JSON path, line and column), out of memory included.
 */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bienphong/alloc.h"
#include "bienphong/buf.h"
#include "bienphong/error.h"
#include "bienphong/geojson.h"

/* Sentinels to check that outputs are untouched on failure. */
static struct bp_lonlat sentinel_pts[1];
static char sentinel_name[1];
static struct bp_geojson_point sentinel_points[1];

struct line {
    int rc;
    struct bp_lonlat *pts;
    size_t n;
    char *name;
    struct bp_error err;
};

static void read_line(const char *json, struct line *r)
{
    memset(r, 0, sizeof(*r));
    r->pts = sentinel_pts;
    r->n = 12345;
    r->name = sentinel_name;
    r->rc = bp_geojson_read_line(json, strlen(json), "border.geojson", &r->pts,
                                 &r->n, &r->name, &r->err);
    if (r->rc) {
        /* Outputs untouched on failure, whatever the error. */
        assert_ptr_equal(r->pts, sentinel_pts);
        assert_int_equal(r->n, 12345);
        assert_ptr_equal(r->name, sentinel_name);
        assert_int_equal(r->err.code, r->rc);
        assert_string_equal(r->err.file, "border.geojson");
        r->pts = NULL;
        r->name = NULL;
    }
}

static void line_release(struct line *r)
{
    bp_free(r->pts);
    bp_free(r->name);
}

/* Expect success with the given vertices. */
static void expect_line(const char *json, const double (*want)[2], size_t nwant,
                        const char *want_name)
{
    struct line r;
    size_t i;

    read_line(json, &r);
    if (r.rc) {
        print_message("input: %s\nrc %d, message: %s\n", json, r.rc,
                      r.err.message);
        fail();
    }
    assert_int_equal(r.n, nwant);
    for (i = 0; i < nwant; i++) {
        if (r.pts[i].lon != want[i][0] || r.pts[i].lat != want[i][1]) {
            print_message("vertex %zu: got (%.10g, %.10g), want "
                          "(%.10g, %.10g)\n",
                          i, r.pts[i].lon, r.pts[i].lat, want[i][0],
                          want[i][1]);
            fail();
        }
    }
    if (want_name)
        assert_string_equal(r.name, want_name);
    else
        assert_null(r.name);
    line_release(&r);
}

/* Expect failure with code `code` and a message containing `part`. */
static void expect_line_error(const char *json, int code, const char *part)
{
    struct line r;

    read_line(json, &r);
    if (r.rc != code || !strstr(r.err.message, part)) {
        print_message("input: %s\ngot %s '%s'\nwant %s containing '%s'\n", json,
                      bp_errname(r.rc), r.err.message, bp_errname(code), part);
        fail();
    }
    line_release(&r);
}

static const double three[][2] = {{106.5, 22.25}, {106.75, 22.5}, {107, 22}};

static void test_linestring(void **state)
{
    (void)state;
    expect_line("{\"type\":\"LineString\",\"coordinates\":"
                "[[106.5,22.25],[106.75,22.5],[107,22]]}",
                three, 3, NULL);
    /* Members in any order, whitespace and newlines anywhere. */
    expect_line("{\n  \"coordinates\": [ [106.5, 22.25],\n"
                "    [106.75, 22.5], [107, 22] ],\n"
                "  \"type\": \"LineString\"\n}\n",
                three, 3, NULL);
}

static void test_elevation_accepted(void **state)
{
    (void)state;
    expect_line("{\"type\":\"LineString\",\"coordinates\":"
                "[[106.5,22.25,350.5],[106.75,22.5,1200],[107,22,0,7]]}",
                three, 3, NULL);
}

static void test_duplicates_pass_through(void **state)
{
    static const double want[][2] = {
        {106.5, 22.25}, {106.5, 22.25}, {106.75, 22.5}, {106.75, 22.5}};

    (void)state;
    /* bp_border_new() drops them; the reader reports the file as it is. */
    expect_line("{\"type\":\"LineString\",\"coordinates\":"
                "[[106.5,22.25],[106.5,22.25],[106.75,22.5],[106.75,22.5]]}",
                want, 4, NULL);
}

static void test_extreme_coordinates(void **state)
{
    static const double want[][2] = {{-180, -90}, {180, 90}, {0, 0}};

    (void)state;
    expect_line("{\"type\":\"LineString\",\"coordinates\":"
                "[[-180,-90],[180,90],[0,0]]}",
                want, 3, NULL);
}

static void test_feature_names(void **state)
{
    static const struct {
        const char *props;
        const char *want;
    } cases[] = {
        {"{\"name\":\"Lạng Sơn – Quảng Tây\"}", "Lạng Sơn – Quảng Tây"},
        {"{\"ten\":\"Biên giới Việt – Trung\"}", "Biên giới Việt – Trung"},
        {"{\"ten\":\"b\",\"name\":\"a\"}", "a"},
        {"{\"name\":\"\",\"ten\":\"b\"}", "b"},
        {"{\"name\":42}", NULL},
        {"{}", NULL},
        {"null", NULL},
        {"[1,2]", NULL},
    };
    char json[512];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(json, sizeof(json),
                 "{\"type\":\"Feature\",\"properties\":%s,\"geometry\":"
                 "{\"type\":\"LineString\",\"coordinates\":"
                 "[[106.5,22.25],[106.75,22.5],[107,22]]}}",
                 cases[i].props);
        expect_line(json, three, 3, cases[i].want);
    }
    /* No properties member at all. */
    expect_line("{\"type\":\"Feature\",\"geometry\":"
                "{\"type\":\"LineString\",\"coordinates\":"
                "[[106.5,22.25],[106.75,22.5],[107,22]]}}",
                three, 3, NULL);
}

static void test_name_not_wanted(void **state)
{
    static const char json[] =
        "{\"type\":\"Feature\",\"properties\":{\"name\":\"x\"},\"geometry\":"
        "{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]]}}";
    struct bp_lonlat *pts = NULL;
    size_t n = 0;

    (void)state;
    assert_int_equal(
        bp_geojson_read_line(json, strlen(json), NULL, &pts, &n, NULL, NULL),
        0);
    assert_int_equal(n, 2);
    bp_free(pts);
}

static void test_feature_collection(void **state)
{
    (void)state;
    /* Markers may share the file; features with no geometry are skipped. */
    expect_line("{\"type\":\"FeatureCollection\",\"features\":["
                "{\"type\":\"Feature\",\"properties\":{\"name\":\"mốc 1116\"},"
                "\"geometry\":{\"type\":\"Point\",\"coordinates\":[106,22]}},"
                "{\"type\":\"Feature\",\"properties\":null,\"geometry\":null},"
                "{\"type\":\"Feature\",\"properties\":{\"ten\":\"tuyến\"},"
                "\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
                "[[106.5,22.25],[106.75,22.5],[107,22]]}}]}",
                three, 3, "tuyến");
}

static void test_feature_collection_counts(void **state)
{
    (void)state;
    expect_line_error("{\"type\":\"FeatureCollection\",\"features\":[]}",
                      BP_EGEOM,
                      "features: expected exactly one feature with a "
                      "'LineString' or 'MultiLineString' geometry, found "
                      "none among 0 features");
    expect_line_error(
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[106,22]}}]}",
        BP_EGEOM, "found none among 1 feature");
    expect_line_error(
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{},\"geometry\":"
        "{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]]}},"
        "{\"type\":\"Feature\",\"properties\":{},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[106,22]}},"
        "{\"type\":\"Feature\",\"properties\":{},\"geometry\":"
        "{\"type\":\"MultiLineString\",\"coordinates\":[[[5,6],[7,8]]]}}]}",
        BP_EGEOM, "found 2 (features[0] and features[2])");
}

static void test_multilinestring(void **state)
{
    static const double one_part[][2] = {{1, 2}, {3, 4}, {5, 6}};
    static const double joined[][2] = {{106.0, 22.0},
                                       {106.1, 22.1},
                                       {106.2, 22.0},
                                       {106.3, 22.1},
                                       {106.4, 22.0}};
    static const char *const inputs[] = {
        /* in order */
        "[[[106.0,22.0],[106.1,22.1]],[[106.1,22.1],[106.2,22.0]],"
        "[[106.2,22.0],[106.3,22.1],[106.4,22.0]]]",
        /* shuffled */
        "[[[106.2,22.0],[106.3,22.1],[106.4,22.0]],"
        "[[106.0,22.0],[106.1,22.1]],[[106.1,22.1],[106.2,22.0]]]",
        /* shuffled and reversed */
        "[[[106.4,22.0],[106.3,22.1],[106.2,22.0]],"
        "[[106.1,22.1],[106.0,22.0]],[[106.2,22.0],[106.1,22.1]]]",
    };
    char json[512];
    size_t i, k;

    (void)state;
    expect_line("{\"type\":\"MultiLineString\",\"coordinates\":"
                "[[[1,2],[3,4],[5,6]]]}",
                one_part, 3, NULL);
    for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        struct line r;
        int fwd = 1, rev = 1;

        snprintf(json, sizeof(json),
                 "{\"type\":\"MultiLineString\",\"coordinates\":%s}",
                 inputs[i]);
        read_line(json, &r);
        if (r.rc) {
            print_message("input %zu: %s\n", i, r.err.message);
            fail();
        }
        assert_int_equal(r.n, 5);
        /* The join may come out either way round; the measure's start is
         * chosen later by bp_border_new(). */
        for (k = 0; k < 5; k++) {
            fwd = fwd && r.pts[k].lon == joined[k][0] &&
                  r.pts[k].lat == joined[k][1];
            rev = rev && r.pts[k].lon == joined[4 - k][0] &&
                  r.pts[k].lat == joined[4 - k][1];
        }
        if (!fwd && !rev) {
            print_message("input %zu joined wrongly:", i);
            for (k = 0; k < r.n; k++)
                print_message(" (%g, %g)", r.pts[k].lon, r.pts[k].lat);
            print_message("\n");
            fail();
        }
        line_release(&r);
    }
    /* Parts within the 1 m tolerance join; 0.000005 deg is about 0.5 m. */
    {
        struct line r;

        read_line("{\"type\":\"MultiLineString\",\"coordinates\":"
                  "[[[106.0,22.0],[106.1,22.1]],"
                  "[[106.100005,22.1],[106.2,22.0]]]}",
                  &r);
        assert_int_equal(r.rc, 0);
        assert_true(r.n == 3 || r.n == 4);
        line_release(&r);
    }
}

static void test_multilinestring_errors(void **state)
{
    (void)state;
    /* A gap of about 1 km. */
    expect_line_error("{\"type\":\"MultiLineString\",\"coordinates\":"
                      "[[[106.0,22.0],[106.1,22.1]],"
                      "[[106.11,22.1],[106.2,22.0]]]}",
                      BP_EGEOM, "coordinates: the parts do not join");
    /* Three parts meeting at one point. */
    expect_line_error("{\"type\":\"MultiLineString\",\"coordinates\":"
                      "[[[106.0,22.0],[106.1,22.1]],"
                      "[[106.1,22.1],[106.2,22.0]],"
                      "[[106.1,22.1],[106.1,22.3]]]}",
                      BP_EGEOM, "coordinates: parts");
    expect_line_error("{\"type\":\"MultiLineString\",\"coordinates\":[]}",
                      BP_EGEOM,
                      "coordinates: a MultiLineString needs at least one "
                      "part, got none");
    expect_line_error("{\"type\":\"MultiLineString\",\"coordinates\":"
                      "[[[1,2],[3,4]],[[3,4]]]}",
                      BP_EGEOM,
                      "coordinates[1]: a line part needs at least two "
                      "positions, got 1");
    expect_line_error("{\"type\":\"MultiLineString\",\"coordinates\":"
                      "[[[1,2],[3,4]],{}]}",
                      BP_EGEOM,
                      "coordinates[1]: expected an array of positions, got "
                      "an object");
    expect_line_error("{\"type\":\"MultiLineString\",\"coordinates\":"
                      "[[1,2],[3,4]]}",
                      BP_EGEOM, "coordinates[0][0]: expected a position");
}

static void test_malformed_json(void **state)
{
    (void)state;
    expect_line_error("{\"type\":\"LineString\",\n\"coordinates\":\n"
                      "[[1,2],,[3,4]]}",
                      BP_EPARSE, "line 3, column 8: malformed JSON:");
    expect_line_error("", BP_EPARSE, "line 1");
    expect_line_error("{\"type\":\"LineString\"", BP_EPARSE, "line 1");
    expect_line_error("{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]]}"
                      " trailing",
                      BP_EPARSE, "line 1");
}

static void test_non_finite(void **state)
{
    (void)state;
    /*
     * JSON has no infinities; jansson refuses a number too large for a
     * double while parsing ("real number overflow"), so 1e999 is
     * malformed JSON, with its line and column.
     */
    expect_line_error("{\"type\":\"LineString\",\"coordinates\":\n"
                      "[[1,2],[1e999,4]]}",
                      BP_EPARSE,
                      "line 2, column 13: malformed JSON: real "
                      "number overflow");
    expect_line_error("{\"type\":\"LineString\",\"coordinates\":"
                      "[[1,2],[3,-1e400]]}",
                      BP_EPARSE, "overflow");
    expect_line_error("{\"type\":\"LineString\",\"coordinates\":"
                      "[[1,2],[NaN,4]]}",
                      BP_EPARSE, "line 1");
    expect_line_error("{\"type\":\"LineString\",\"coordinates\":"
                      "[[1,2],[Infinity,4]]}",
                      BP_EPARSE, "line 1");
}

static void test_out_of_range(void **state)
{
    char json[4096];
    size_t len, i;

    (void)state;
    expect_line_error("{\"type\":\"LineString\",\"coordinates\":"
                      "[[1,2],[3,95.2]]}",
                      BP_EGEOM,
                      "coordinates[1]: latitude 95.2 is out of range "
                      "[-90, 90]");
    expect_line_error("{\"type\":\"LineString\",\"coordinates\":"
                      "[[-180.5,2],[3,4]]}",
                      BP_EGEOM,
                      "coordinates[0]: longitude -180.5 is out of range "
                      "[-180, 180]");
    /* The example of the contract: part 2, position 41. */
    len = (size_t)snprintf(json, sizeof(json),
                           "{\"type\":\"MultiLineString\",\"coordinates\":"
                           "[[[100,20],[100.1,20]],[[100.1,20],[100.2,20]],"
                           "[[100.2,20]");
    for (i = 1; i < 41; i++)
        len += (size_t)snprintf(json + len, sizeof(json) - len, ",[%.3f,20]",
                                100.2 + 0.001 * (double)i);
    snprintf(json + len, sizeof(json) - len, ",[100.3,95.2]]]}");
    expect_line_error(json, BP_EGEOM,
                      "coordinates[2][41]: latitude 95.2 is out of range");
    /* Inside a feature of a collection, the path starts at the root. */
    expect_line_error("{\"type\":\"FeatureCollection\",\"features\":["
                      "{\"type\":\"Feature\",\"properties\":{},"
                      "\"geometry\":{\"type\":\"Point\",\"coordinates\":"
                      "[106,22]}},"
                      "{\"type\":\"Feature\",\"properties\":{},\"geometry\":"
                      "{\"type\":\"LineString\",\"coordinates\":"
                      "[[1,2],[3,4],[181,4]]}}]}",
                      BP_EGEOM,
                      "features[1].geometry.coordinates[2]: longitude 181 "
                      "is out of range");
}

static void test_bad_positions(void **state)
{
    (void)state;
    expect_line_error("{\"type\":\"LineString\",\"coordinates\":"
                      "[[1,2],[3]]}",
                      BP_EGEOM,
                      "coordinates[1]: a position needs a longitude and a "
                      "latitude, got 1 number");
    expect_line_error("{\"type\":\"LineString\",\"coordinates\":"
                      "[[],[3,4]]}",
                      BP_EGEOM,
                      "coordinates[0]: a position needs a "
                      "longitude and a latitude, got 0 numbers");
    expect_line_error("{\"type\":\"LineString\",\"coordinates\":"
                      "[[\"106\",22],[3,4]]}",
                      BP_EGEOM,
                      "coordinates[0]: longitude is a string, expected a "
                      "number");
    expect_line_error("{\"type\":\"LineString\",\"coordinates\":"
                      "[[1,null],[3,4]]}",
                      BP_EGEOM,
                      "coordinates[0]: latitude is null, expected a number");
    expect_line_error("{\"type\":\"LineString\",\"coordinates\":"
                      "[[1,2,\"high\"],[3,4]]}",
                      BP_EGEOM,
                      "coordinates[0]: element 2 is a string, expected a "
                      "number");
    expect_line_error("{\"type\":\"LineString\",\"coordinates\":"
                      "[[1,2],{\"lon\":3}]}",
                      BP_EGEOM,
                      "coordinates[1]: expected a position [longitude, "
                      "latitude], got an object");
}

static void test_too_few_vertices(void **state)
{
    (void)state;
    expect_line_error("{\"type\":\"LineString\",\"coordinates\":[[1,2]]}",
                      BP_EGEOM,
                      "coordinates: a line needs at least two positions, "
                      "got 1");
    expect_line_error("{\"type\":\"LineString\",\"coordinates\":[]}", BP_EGEOM,
                      "coordinates: a line needs at least two positions, "
                      "got 0");
    expect_line_error("{\"type\":\"LineString\"}", BP_EGEOM,
                      "coordinates: expected an array of positions, got "
                      "nothing");
    expect_line_error("{\"type\":\"LineString\",\"coordinates\":null}",
                      BP_EGEOM,
                      "coordinates: expected an array of positions, got "
                      "null");
}

static void test_wrong_types(void **state)
{
    (void)state;
    expect_line_error("{\"type\":\"Polygon\",\"coordinates\":"
                      "[[[1,2],[3,4],[5,6],[1,2]]]}",
                      BP_EGEOM,
                      "type: expected 'LineString', 'MultiLineString', "
                      "'Feature' or 'FeatureCollection', got 'Polygon'");
    expect_line_error("{\"coordinates\":[[1,2],[3,4]]}", BP_EGEOM,
                      "type: expected 'LineString', 'MultiLineString', "
                      "'Feature' or 'FeatureCollection', got nothing");
    expect_line_error("{\"type\":7}", BP_EGEOM, "got a number");
    expect_line_error("[[1,2],[3,4]]", BP_EGEOM,
                      "expected a GeoJSON object at the top level, got an "
                      "array");
    expect_line_error("{\"type\":\"Feature\",\"properties\":{},"
                      "\"geometry\":{\"type\":\"Point\",\"coordinates\":"
                      "[1,2]}}",
                      BP_EGEOM,
                      "geometry.type: expected 'LineString' or "
                      "'MultiLineString', got 'Point'");
    expect_line_error("{\"type\":\"Feature\",\"properties\":{},"
                      "\"geometry\":null}",
                      BP_EGEOM,
                      "geometry: expected a 'LineString' or "
                      "'MultiLineString' geometry, got null");
    expect_line_error("{\"type\":\"FeatureCollection\"}", BP_EGEOM,
                      "features: expected an array, got nothing");
    expect_line_error("{\"type\":\"FeatureCollection\",\"features\":[1]}",
                      BP_EGEOM,
                      "features[0]: expected a Feature object, got a "
                      "number");
    expect_line_error("{\"type\":\"FeatureCollection\",\"features\":"
                      "[{\"type\":\"LineString\",\"coordinates\":"
                      "[[1,2],[3,4]]}]}",
                      BP_EGEOM,
                      "features[0].type: expected 'Feature', got "
                      "'LineString'");
    expect_line_error("{\"type\":\"FeatureCollection\",\"features\":"
                      "[{\"type\":\"Feature\",\"geometry\":[1,2]}]}",
                      BP_EGEOM,
                      "features[0].geometry: expected a geometry object or "
                      "null, got an array");
}

static void test_null_arguments(void **state)
{
    struct bp_lonlat *pts = NULL;
    struct bp_error err = {0};
    char *name = NULL;
    size_t n = 0;

    (void)state;
    assert_int_equal(bp_geojson_read_line(NULL, 0, NULL, &pts, &n, &name, &err),
                     BP_EINVAL);
    assert_int_equal(err.code, BP_EINVAL);
    assert_int_equal(bp_geojson_read_line("{}", 2, NULL, NULL, &n, &name, NULL),
                     BP_EINVAL);
    assert_int_equal(
        bp_geojson_read_line("{}", 2, NULL, &pts, NULL, &name, NULL),
        BP_EINVAL);
    assert_null(pts);
    assert_null(name);
}

static void test_not_nul_terminated(void **state)
{
    static const char doc[] =
        "{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]]}";
    char buf[sizeof(doc) + 8];
    struct bp_lonlat *pts = NULL;
    struct bp_error err = {0};
    size_t n = 0, len = strlen(doc);

    (void)state;
    /* What follows `len` bytes is not the reader's business. */
    memcpy(buf, doc, len);
    memset(buf + len, 'x', sizeof(buf) - len);
    assert_int_equal(bp_geojson_read_line(buf, len, NULL, &pts, &n, NULL, &err),
                     0);
    assert_int_equal(n, 2);
    assert_true(pts[1].lon == 3 && pts[1].lat == 4);
    bp_free(pts);
    /* Without a file name, the error has none either. */
    assert_int_equal(
        bp_geojson_read_line(buf, len + 1, NULL, &pts, &n, NULL, &err),
        BP_EPARSE);
    assert_string_equal(err.file, "");
}

static void test_read_line_out_of_memory(void **state)
{
    static const char *const docs[] = {
        "{\"type\":\"Feature\",\"properties\":{\"name\":\"tuyến\"},"
        "\"geometry\":{\"type\":\"MultiLineString\",\"coordinates\":"
        "[[[106.2,22.0],[106.3,22.1]],[[106.0,22.0],[106.1,22.1]],"
        "[[106.1,22.1],[106.2,22.0]]]}}",
        "{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4],[5,6]]}",
    };
    size_t d;

    (void)state;
    for (d = 0; d < sizeof(docs) / sizeof(docs[0]); d++) {
        long k;

        for (k = 0;; k++) {
            struct bp_lonlat *pts = sentinel_pts;
            struct bp_error err = {0};
            char *name = sentinel_name;
            size_t n = 7;
            int rc;

            bp_alloc_fail_after(k, 1);
            rc = bp_geojson_read_line(docs[d], strlen(docs[d]), "f", &pts, &n,
                                      &name, &err);
            bp_alloc_fail_after(-1, 0);
            if (rc == 0) {
                assert_int_equal(n, d == 0 ? 4 : 3);
                bp_free(pts);
                bp_free(name);
                break;
            }
            if (rc != BP_ENOMEM) {
                print_message("doc %zu, failing allocation %ld: %s %s\n", d, k,
                              bp_errname(rc), err.message);
                fail();
            }
            assert_int_equal(err.code, BP_ENOMEM);
            assert_ptr_equal(pts, sentinel_pts);
            assert_ptr_equal(name, sentinel_name);
            assert_int_equal(n, 7);
        }
        assert_true(k > 0);
    }
}

/* --- writing ----------------------------------------------------------- */

static void test_write_linestring(void **state)
{
    static const struct bp_lonlat pts[] = {
        {106.5, 22.25}, {-0.00000004, -90}, {180, 12.345678951}};
    struct bp_buf b = BP_BUF_INIT;

    (void)state;
    assert_int_equal(bp_geojson_write_linestring(&b, pts, 3), 0);
    assert_string_equal(b.data,
                        "{\"type\":\"LineString\",\"coordinates\":["
                        "[106.5000000,22.2500000],[-0.0000000,-90.0000000],"
                        "[180.0000000,12.3456790]]}");
    /* Appends. */
    bp_buf_setlen(&b, 0);
    assert_int_equal(bp_buf_adds(&b, "{\"geometry\":"), 0);
    assert_int_equal(bp_geojson_write_linestring(&b, NULL, 0), 0);
    assert_string_equal(b.data, "{\"geometry\":{\"type\":\"LineString\","
                                "\"coordinates\":[]}");
    bp_buf_release(&b);
}

static void test_write_errors(void **state)
{
    static const struct bp_lonlat bad[] = {{1, 2}, {NAN, 3}};
    static const struct bp_lonlat inf[] = {{1, INFINITY}};
    static const struct bp_lonlat ok[] = {{1, 2}, {3, 4}};
    struct bp_buf b = BP_BUF_INIT;
    long k;

    (void)state;
    assert_int_equal(bp_buf_adds(&b, "keep"), 0);
    assert_int_equal(bp_geojson_write_linestring(&b, bad, 2), BP_EINVAL);
    assert_int_equal(bp_geojson_write_linestring(&b, inf, 1), BP_EINVAL);
    assert_int_equal(bp_geojson_write_linestring(&b, NULL, 2), BP_EINVAL);
    assert_int_equal(bp_geojson_write_linestring(NULL, ok, 2), BP_EINVAL);
    assert_string_equal(b.data, "keep");
    bp_buf_release(&b);
    /* Out of memory leaves the buffer as it was. */
    for (k = 0;; k++) {
        int rc;

        assert_int_equal(bp_buf_adds(&b, "keep"), 0);
        bp_alloc_fail_after(k, 1);
        rc = bp_geojson_write_linestring(&b, ok, 2);
        bp_alloc_fail_after(-1, 0);
        if (rc == 0)
            break;
        assert_int_equal(rc, BP_ENOMEM);
        assert_string_equal(b.data, "keep");
        bp_buf_release(&b);
    }
    assert_true(k > 0);
    bp_buf_release(&b);
}

static void test_write_ignores_locale(void **state)
{
    static const char *const locales[] = {"vi_VN.UTF-8", "de_DE.UTF-8",
                                          "fr_FR.UTF-8", "ru_RU.UTF-8"};
    static const struct bp_lonlat pts[] = {{106.5, 22.25}, {107, 22}};
    struct bp_buf b = BP_BUF_INIT;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(locales) / sizeof(locales[0]); i++)
        if (setlocale(LC_NUMERIC, locales[i]))
            break;
    if (i == sizeof(locales) / sizeof(locales[0])) {
        /* No decimal-comma locale installed here; nothing to check. */
        skip();
    }
    assert_int_equal(bp_geojson_write_linestring(&b, pts, 2), 0);
    setlocale(LC_NUMERIC, "C");
    assert_string_equal(b.data, "{\"type\":\"LineString\",\"coordinates\":["
                                "[106.5000000,22.2500000],"
                                "[107.0000000,22.0000000]]}");
    bp_buf_release(&b);
}

static void test_round_trip(void **state)
{
    struct bp_lonlat pts[50];
    struct bp_buf b = BP_BUF_INIT;
    struct line r;
    size_t i;

    (void)state;
    for (i = 0; i < 50; i++) {
        pts[i].lon = 106.0 + 0.0123456789 * (double)i;
        pts[i].lat = 22.0 - 0.0098765432 * (double)i;
    }
    assert_int_equal(bp_geojson_write_linestring(&b, pts, 50), 0);
    read_line(b.data, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.n, 50);
    for (i = 0; i < 50; i++) {
        if (fabs(r.pts[i].lon - pts[i].lon) > 0.5e-7 + 1e-12 ||
            fabs(r.pts[i].lat - pts[i].lat) > 0.5e-7 + 1e-12) {
            print_message("vertex %zu: got (%.10f, %.10f), want (%.10f, "
                          "%.10f)\n",
                          i, r.pts[i].lon, r.pts[i].lat, pts[i].lon,
                          pts[i].lat);
            fail();
        }
    }
    line_release(&r);
    bp_buf_release(&b);
}

/* --- points ------------------------------------------------------------ */

struct points {
    int rc;
    struct bp_geojson_point *pts;
    size_t n;
    struct bp_error err;
};

static void read_points(const char *json, struct points *r)
{
    memset(r, 0, sizeof(*r));
    r->pts = sentinel_points;
    r->n = 12345;
    r->rc = bp_geojson_read_points(json, strlen(json), "markers.geojson",
                                   &r->pts, &r->n, &r->err);
    if (r->rc) {
        assert_ptr_equal(r->pts, sentinel_points);
        assert_int_equal(r->n, 12345);
        assert_int_equal(r->err.code, r->rc);
        assert_string_equal(r->err.file, "markers.geojson");
        r->pts = NULL;
        r->n = 0;
    }
}

static void expect_points_error(const char *json, int code, const char *part)
{
    struct points r;

    read_points(json, &r);
    if (r.rc != code || !strstr(r.err.message, part)) {
        print_message("input: %s\ngot %s '%s'\nwant %s containing '%s'\n", json,
                      bp_errname(r.rc), r.err.message, bp_errname(code), part);
        fail();
    }
    bp_geojson_points_free(r.pts, r.n);
}

static void test_points(void **state)
{
    struct points r;

    (void)state;
    read_points("{\"type\":\"FeatureCollection\",\"features\":["
                "{\"type\":\"Feature\",\"properties\":"
                "{ \"so_moc\" : \"1116/1\", \"loai\": \"mốc chính\","
                " \"cao_m\": 1020 },"
                "\"geometry\":{\"type\":\"Point\",\"coordinates\":"
                "[106.75,22.5,1020]}},"
                "{\"type\":\"Feature\",\"properties\":null,"
                "\"geometry\":{\"type\":\"Point\",\"coordinates\":[107,22]}},"
                "{\"type\":\"Feature\","
                "\"geometry\":{\"type\":\"Point\",\"coordinates\":[-1,-2]}}"
                "]}",
                &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.n, 3);
    assert_true(r.pts[0].lon == 106.75 && r.pts[0].lat == 22.5);
    /* Compact, keys in file order, UTF-8 kept, integers stay integers. */
    assert_string_equal(r.pts[0].props_json,
                        "{\"so_moc\":\"1116/1\",\"loai\":\"mốc chính\","
                        "\"cao_m\":1020}");
    assert_true(r.pts[1].lon == 107 && r.pts[1].lat == 22);
    assert_string_equal(r.pts[1].props_json, "{}");
    assert_true(r.pts[2].lon == -1 && r.pts[2].lat == -2);
    assert_string_equal(r.pts[2].props_json, "{}");
    bp_geojson_points_free(r.pts, r.n);

    read_points("{\"type\":\"Point\",\"coordinates\":[106,22]}", &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.n, 1);
    assert_true(r.pts[0].lon == 106 && r.pts[0].lat == 22);
    assert_string_equal(r.pts[0].props_json, "{}");
    bp_geojson_points_free(r.pts, r.n);

    read_points("{\"type\":\"Feature\",\"properties\":{\"a\":[1,{\"b\":null}]},"
                "\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]}}",
                &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.pts[0].props_json, "{\"a\":[1,{\"b\":null}]}");
    bp_geojson_points_free(r.pts, r.n);

    read_points("{\"type\":\"FeatureCollection\",\"features\":[]}", &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.n, 0);
    assert_null(r.pts);
    bp_geojson_points_free(NULL, 0);
}

static void test_points_errors(void **state)
{
    (void)state;
    expect_points_error(
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[106,22]}},"
        "{\"type\":\"Feature\",\"properties\":{},\"geometry\":"
        "{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]]}}]}",
        BP_EGEOM,
        "features[1].geometry.type: expected 'Point', got 'LineString'");
    expect_points_error("{\"type\":\"FeatureCollection\",\"features\":["
                        "{\"type\":\"Feature\",\"properties\":{},"
                        "\"geometry\":null}]}",
                        BP_EGEOM,
                        "features[0].geometry: expected a Point, got null");
    expect_points_error("{\"type\":\"FeatureCollection\",\"features\":["
                        "{\"type\":\"Feature\",\"properties\":\"x\","
                        "\"geometry\":{\"type\":\"Point\",\"coordinates\":"
                        "[1,2]}}]}",
                        BP_EGEOM,
                        "features[0].properties: expected an object or "
                        "null, got a string");
    expect_points_error("{\"type\":\"FeatureCollection\",\"features\":["
                        "{\"type\":\"Feature\",\"properties\":{},"
                        "\"geometry\":{\"type\":\"Point\",\"coordinates\":"
                        "[1,2]}},"
                        "{\"type\":\"Feature\",\"properties\":{},"
                        "\"geometry\":{\"type\":\"Point\",\"coordinates\":"
                        "[1,-91]}}]}",
                        BP_EGEOM,
                        "features[1].geometry.coordinates: latitude -91 is "
                        "out of range [-90, 90]");
    expect_points_error("{\"type\":\"Point\",\"coordinates\":[1]}", BP_EGEOM,
                        "coordinates: a position needs a longitude and a "
                        "latitude, got 1 number");
    expect_points_error("{\"type\":\"MultiPoint\",\"coordinates\":[[1,2]]}",
                        BP_EGEOM,
                        "type: expected 'Point', 'Feature' or "
                        "'FeatureCollection', got 'MultiPoint'");
    expect_points_error("{\"type\":\"FeatureCollection\",\"features\":[[]]}",
                        BP_EGEOM,
                        "features[0]: expected a Feature, got an array");
    expect_points_error("{\"type\":\"FeatureCollection\",\"features\":{}}",
                        BP_EGEOM,
                        "features: expected an array, got an "
                        "object");
    expect_points_error("{\"type\":\"Point\",\n\"coordinates\":[1,2]]",
                        BP_EPARSE, "line 2");
    assert_int_equal(bp_geojson_read_points(NULL, 0, NULL, NULL, NULL, NULL),
                     BP_EINVAL);
}

static void test_points_out_of_memory(void **state)
{
    static const char doc[] =
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"so_moc\":\"1116\"},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[106,22]}},"
        "{\"type\":\"Feature\",\"properties\":null,"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[107,22]}},"
        "{\"type\":\"Feature\",\"properties\":{\"so_moc\":\"1117\"},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[108,22]}}]}";
    long k;

    (void)state;
    for (k = 0;; k++) {
        struct bp_geojson_point *pts = sentinel_points;
        struct bp_error err = {0};
        size_t n = 7;
        int rc;

        bp_alloc_fail_after(k, 1);
        rc = bp_geojson_read_points(doc, strlen(doc), NULL, &pts, &n, &err);
        bp_alloc_fail_after(-1, 0);
        if (rc == 0) {
            assert_int_equal(n, 3);
            assert_string_equal(pts[2].props_json, "{\"so_moc\":\"1117\"}");
            bp_geojson_points_free(pts, n);
            break;
        }
        assert_int_equal(rc, BP_ENOMEM);
        assert_ptr_equal(pts, sentinel_points);
        assert_int_equal(n, 7);
    }
    assert_true(k >= 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linestring),
        cmocka_unit_test(test_elevation_accepted),
        cmocka_unit_test(test_duplicates_pass_through),
        cmocka_unit_test(test_extreme_coordinates),
        cmocka_unit_test(test_feature_names),
        cmocka_unit_test(test_name_not_wanted),
        cmocka_unit_test(test_feature_collection),
        cmocka_unit_test(test_feature_collection_counts),
        cmocka_unit_test(test_multilinestring),
        cmocka_unit_test(test_multilinestring_errors),
        cmocka_unit_test(test_malformed_json),
        cmocka_unit_test(test_non_finite),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_bad_positions),
        cmocka_unit_test(test_too_few_vertices),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_not_nul_terminated),
        cmocka_unit_test(test_read_line_out_of_memory),
        cmocka_unit_test(test_write_linestring),
        cmocka_unit_test(test_write_errors),
        cmocka_unit_test(test_write_ignores_locale),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_points),
        cmocka_unit_test(test_points_errors),
        cmocka_unit_test(test_points_out_of_memory),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
