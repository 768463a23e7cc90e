/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the track readers (issue 4): GPX files as Garmin devices,
 * OsmAnd, GPSBabel (GPX 1.0) and phone tracker apps write them
 * (tests/data/gpx), times with offsets, fractional seconds or missing,
 * GeoJSON with coordTimes and CSV tracks, the GPX writer's round trip, and
 * every bad input with its code and message.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bienphong/alloc.h"
#include "bienphong/buf.h"
#include "bienphong/gpx.h"

static int read_data(const char *name, struct bp_track *t,
                     struct bp_error *err)
{
    struct bp_buf b = BP_BUF_INIT;
    char path[1024];
    int rc;

    snprintf(path, sizeof(path), "%s/gpx/%s", getenv("BP_TEST_DATA"), name);
    assert_int_equal(bp_buf_read_file(&b, path), 0);
    bp_track_init(t);
    rc = bp_track_read(b.data, b.len, name, t, err);
    bp_buf_release(&b);
    return rc;
}

static int64_t iso(const char *s)
{
    int64_t ms = 0;
    assert_int_equal(bp_time_parse(s, strlen(s), &ms), 0);
    return ms;
}

static void test_time_parse(void **state)
{
    int64_t ms;

    (void)state;
    assert_int_equal(iso("2023-06-05T00:10:02Z"), 1685923802000LL);
    assert_int_equal(iso("2023-06-05T07:10:02+07:00"), 1685923802000LL);
    assert_int_equal(iso("2023-06-05T07:10:02+0700"), 1685923802000LL);
    assert_int_equal(iso("2023-06-04T19:10:02-05"), 1685923802000LL);
    assert_int_equal(iso("2023-06-05T00:10:02.5Z"), 1685923802500LL);
    assert_int_equal(iso("2023-06-05T00:10:02.123456Z"), 1685923802123LL);
    assert_int_equal(iso("2023-06-05 00:10:02"), 1685923802000LL);
    assert_int_equal(iso(" 1685923802 "), 1685923802000LL);
    assert_int_equal(iso("1685923802123"), 1685923802123LL);
    assert_int_equal(bp_time_parse("2023-02-30T00:00:00Z", 20, &ms),
                     BP_EPARSE);
    assert_int_equal(bp_time_parse("yesterday", 9, &ms), BP_EPARSE);
    assert_int_equal(bp_time_parse("2023-06-05T25:00:00Z", 20, &ms),
                     BP_EPARSE);
    {
        char out[32];
        assert_string_equal(bp_time_format(1685923802500LL, out),
                            "2023-06-05T00:10:02.500Z");
        assert_string_equal(bp_time_format(1685923802000LL, out),
                            "2023-06-05T00:10:02Z");
    }
}

/*
 * Coordinates, elevations and hdop in every spelling read exactly as
 * strtod() reads them (the reader has a fast path for plain decimals).
 */
static void test_gpx_numbers(void **state)
{
    static const char *const v[] = {
        "21.6543210", "-21.6543210", "21", "-0", "0.0000001", "21.",
        ".5", "-.5", "+21.25", " 21.5", "2.15e1", "2150E-2",
        "21.654321098765432", "00000000000000021.5", "0x15", "89.9999999",
        "-179.9999999", "106.123456789012"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        char text[512];
        struct bp_track t;
        struct bp_error err = {0};
        double want = strtod(v[i], NULL);
        const char *lat = fabs(want) <= 90 ? v[i] : "1";
        double want_lat = strtod(lat, NULL);
        int n;

        n = snprintf(text, sizeof(text),
                     "<gpx><trk><trkseg><trkpt lat=\"%s\" lon=\"%s\">"
                     "<ele>%s</ele><hdop>%s</hdop></trkpt></trkseg></trk>"
                     "</gpx>",
                     lat, v[i], v[i], v[i]);
        bp_track_init(&t);
        if (bp_gpx_read(text, (size_t)n, "n.gpx", &t, &err)) {
            print_error("'%s': %s\n", v[i], err.message);
            fail();
        }
        assert_int_equal(t.n, 1);
        if (t.fix[0].lat != want_lat || t.fix[0].lon != want ||
            t.fix[0].ele != want || t.fix[0].hdop != want) {
            print_error("'%s': lat %.17g lon %.17g ele %.17g hdop %.17g, "
                        "want %.17g\n",
                        v[i], t.fix[0].lat, t.fix[0].lon, t.fix[0].ele,
                        t.fix[0].hdop, want);
            fail();
        }
        bp_track_release(&t);
    }
}

static void test_gpx_garmin(void **state)
{
    struct bp_track t;
    struct bp_error err = {0};

    (void)state;
    assert_int_equal(read_data("garmin.gpx", &t, &err), 0);
    assert_int_equal(t.n, 4);
    assert_int_equal(t.nseg, 2);
    assert_int_equal(t.seg[1], 3);
    assert_string_equal(t.name, "Tuần tra mốc 1116");
    assert_true(fabs(t.fix[0].lat - 22.00001) < 1e-9);
    assert_true(fabs(t.fix[0].lon - 106.01) < 1e-9);
    assert_true(fabs(t.fix[0].ele - 412.3) < 1e-9);
    assert_int_equal(t.fix[0].time_ms, iso("2023-06-05T00:10:02Z"));
    assert_true(isnan(t.fix[0].hdop));
    assert_int_equal(t.fix[0].sat, -1);
    bp_track_release(&t);
}

static void test_gpx_osmand(void **state)
{
    struct bp_track t;
    struct bp_error err = {0};

    (void)state;
    assert_int_equal(read_data("osmand.gpx", &t, &err), 0);
    assert_int_equal(t.n, 2);
    assert_true(fabs(t.fix[0].hdop - 3.5) < 1e-9);
    assert_true(fabs(t.fix[1].hdop - 2.8) < 1e-9);
    assert_int_equal(t.fix[1].time_ms, iso("2023-06-05T00:10:05Z"));
    bp_track_release(&t);
}

static void test_gpx_gpsbabel_10(void **state)
{
    struct bp_track t;
    struct bp_error err = {0};

    (void)state;
    assert_int_equal(read_data("gpsbabel10.gpx", &t, &err), 0);
    /* The route's two points, then the track's two, in file order. */
    assert_int_equal(t.n, 4);
    assert_int_equal(t.nseg, 2);
    assert_int_equal(t.nrte, 1);
    assert_int_equal(t.ntrk, 1);
    assert_int_equal(t.fix[0].time_ms, BP_TIME_NONE);
    assert_int_equal(t.fix[2].sat, 7);
    assert_int_equal(t.fix[3].sat, 8);
    assert_string_equal(t.name, "Tuyến A");
    assert_int_equal(t.nwpt, 1);
    assert_string_equal(t.wpt[0].name, "MOC1116");
    assert_true(fabs(t.wpt[0].fix.ele - 400) < 1e-9);
    bp_track_release(&t);
}

static void test_gpx_phone(void **state)
{
    struct bp_track t;
    struct bp_error err = {0};

    (void)state;
    assert_int_equal(read_data("phone.gpx", &t, &err), 0);
    assert_int_equal(t.n, 3);
    assert_int_equal(t.fix[0].time_ms, iso("2023-06-05T00:10:00.512Z"));
    assert_int_equal(t.fix[1].time_ms, iso("2023-06-05T00:15:00.500Z"));
    assert_int_equal(t.fix[2].time_ms, BP_TIME_NONE);
    bp_track_release(&t);
}

static int read_str(const char *text, struct bp_track *t,
                    struct bp_error *err)
{
    bp_track_init(t);
    memset(err, 0, sizeof(*err));
    return bp_track_read(text, strlen(text), "x.gpx", t, err);
}

static void expect_fail(const char *text, int code, const char *msg)
{
    struct bp_track t;
    struct bp_error err;
    int rc = read_str(text, &t, &err);

    if (rc != code || !strstr(err.message, msg))
        print_message("got %d '%s', want %d '%s'\n", rc, err.message, code,
                      msg);
    assert_int_equal(rc, code);
    assert_non_null(strstr(err.message, msg));
    assert_string_equal(err.file, "x.gpx");
    assert_int_equal(t.n, 0);
    assert_null(t.fix);
}

static void test_gpx_bad(void **state)
{
    (void)state;
    expect_fail("<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"2\"></trkseg>"
                "</trk></gpx>",
                BP_EPARSE, "line 1, column");
    expect_fail("<gpx version=\"1.1\"><trk><trkseg></trkseg></trk></gpx>",
                BP_EEMPTY, "no track points");
    expect_fail("<gpx>\n<trk><trkseg>\n<trkpt lat=\"22\" lon=\"106\"/>\n"
                "<trkpt lat=\"95.2\" lon=\"106\"/></trkseg></trk></gpx>",
                BP_EGEOM, "trkpt 2 (line 4): latitude 95.2 is out of range");
    expect_fail("<gpx><wpt lat=\"22\" lon=\"196\"/></gpx>", BP_EGEOM,
                "wpt 1 (line 1): longitude 196 is out of range");
    expect_fail("<gpx><trk><trkseg><trkpt lat=\"abc\" lon=\"1\"/>"
                "</trkseg></trk></gpx>",
                BP_EGEOM, "latitude 'abc' is not a number");
    expect_fail("<gpx><trk><trkseg><trkpt lon=\"1\"/></trkseg></trk></gpx>",
                BP_EGEOM, "no 'lat' attribute");
    expect_fail("<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"1\"><time>hôm qua"
                "</time></trkpt></trkseg></trk></gpx>",
                BP_EPARSE, "time 'hôm qua' is not an ISO 8601 time");
    expect_fail("<kml><Document/></kml>", BP_EPARSE, "not <gpx>");
    expect_fail("   ", BP_EEMPTY, "empty");
    expect_fail("<gpx", BP_EPARSE, "not well-formed");
}

static void test_geojson_track(void **state)
{
    struct bp_track t;
    struct bp_error err;

    (void)state;
    assert_int_equal(
        read_str("{\"type\":\"Feature\",\"properties\":{\"coordTimes\":["
                 "\"2023-06-05T00:10:00Z\",\"2023-06-05T00:10:10Z\"]},"
                 "\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
                 "[[106.01,22.0,410],[106.011,22.001,411]]}}",
                 &t, &err),
        0);
    assert_int_equal(t.n, 2);
    assert_int_equal(t.fix[1].time_ms, iso("2023-06-05T00:10:10Z"));
    assert_true(fabs(t.fix[1].ele - 411) < 1e-9);
    bp_track_release(&t);
    /* MultiLineString with an array of arrays of times. */
    assert_int_equal(
        read_str("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
                 "\"Feature\",\"properties\":{\"coordTimes\":[[\"2023-06-05"
                 "T00:10:00Z\"],[\"2023-06-05T00:20:00Z\",\"2023-06-05T00:"
                 "20:10Z\"]]},\"geometry\":{\"type\":\"MultiLineString\","
                 "\"coordinates\":[[[106,22]],[[106.1,22],[106.2,22]]]}}]}",
                 &t, &err),
        0);
    assert_int_equal(t.n, 3);
    assert_int_equal(t.nseg, 2);
    assert_int_equal(t.fix[2].time_ms, iso("2023-06-05T00:20:10Z"));
    bp_track_release(&t);
    /* Unix seconds as a fourth coordinate. */
    assert_int_equal(read_str("{\"type\":\"LineString\",\"coordinates\":"
                              "[[106,22,0,1685923800],[106.1,22,0,"
                              "1685923810]]}",
                              &t, &err),
                     0);
    assert_int_equal(t.fix[1].time_ms, 1685923810000LL);
    bp_track_release(&t);
    assert_int_equal(read_str("{\"type\":\"Feature\",\"properties\":{"
                              "\"times\":[1]},\"geometry\":{\"type\":"
                              "\"LineString\",\"coordinates\":[[106,22],"
                              "[106.1,22]]}}",
                              &t, &err),
                     BP_EGEOM);
    assert_non_null(strstr(err.message, "1 entries for 2 positions"));
    assert_int_equal(read_str("{\"type\":\"LineString\",\"coordinates\":"
                              "[[106,22],[106.1,95]]}",
                              &t, &err),
                     BP_EGEOM);
    assert_non_null(strstr(err.message,
                           "coordinates[1]: latitude 95 is out of range"));
    assert_int_equal(read_str("{\"type\":", &t, &err), BP_EPARSE);
}

static void test_csv_track(void **state)
{
    struct bp_track t;
    struct bp_error err;

    (void)state;
    assert_int_equal(read_str("lat;lon;time;ele\n22,001;106,01;2023-06-05T"
                              "07:10:00+07:00;400\n22,002;106,02;;401\n",
                              &t, &err),
                     0);
    assert_int_equal(t.n, 2);
    assert_true(fabs(t.fix[0].lat - 22.001) < 1e-12);
    assert_int_equal(t.fix[0].time_ms, iso("2023-06-05T00:10:00Z"));
    assert_int_equal(t.fix[1].time_ms, BP_TIME_NONE);
    bp_track_release(&t);
    assert_int_equal(read_str("lon,lat,time\n106.0,22.0,2023-06-05T00:00:00Z"
                              "\n106.1,abc,2023-06-05T00:00:10Z\n",
                              &t, &err),
                     BP_EGEOM);
    assert_int_equal(err.row, 3);
    assert_string_equal(err.field, "lat");
    assert_non_null(strstr(err.message, "'abc' is not a latitude"));
    assert_int_equal(read_str("a,b\n1,2\n", &t, &err), BP_EPARSE);
    assert_non_null(strstr(err.message, "no 'lon' column"));
}

static void test_gpx_write_round_trip(void **state)
{
    struct bp_track t, u;
    struct bp_buf b = BP_BUF_INIT;
    struct bp_error err = {0};
    const struct bp_track *tp[1];
    size_t i;

    (void)state;
    assert_int_equal(read_data("garmin.gpx", &t, &err), 0);
    tp[0] = &t;
    assert_int_equal(bp_gpx_write(&b, tp, NULL, 1), 0);
    bp_track_init(&u);
    assert_int_equal(bp_gpx_read(b.data, b.len, "copy", &u, &err), 0);
    assert_int_equal(u.n, t.n);
    assert_int_equal(u.nseg, t.nseg);
    assert_string_equal(u.name, t.name);
    for (i = 0; i < t.n; i++) {
        assert_true(fabs(u.fix[i].lon - t.fix[i].lon) < 1e-7);
        assert_int_equal(u.fix[i].time_ms, t.fix[i].time_ms);
    }
    bp_track_release(&u);
    bp_track_release(&t);
    bp_buf_release(&b);
}

static void test_gpx_out_of_memory(void **state)
{
    struct bp_track t;
    struct bp_error err = {0};
    struct bp_buf b = BP_BUF_INIT;
    char path[1024];
    long k;
    int rc = -1;

    (void)state;
    snprintf(path, sizeof(path), "%s/gpx/garmin.gpx", getenv("BP_TEST_DATA"));
    assert_int_equal(bp_buf_read_file(&b, path), 0);
    for (k = 0; k < 20 && rc; k++) {
        bp_track_init(&t);
        bp_alloc_fail_after(k, 1);
        rc = bp_gpx_read(b.data, b.len, "g", &t, &err);
        bp_alloc_fail_after(-1, 0);
        if (rc)
            assert_int_equal(t.n, 0);
        bp_track_release(&t);
    }
    assert_int_equal(rc, 0);
    bp_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_parse),
        cmocka_unit_test(test_gpx_numbers),
        cmocka_unit_test(test_gpx_garmin),
        cmocka_unit_test(test_gpx_osmand),
        cmocka_unit_test(test_gpx_gpsbabel_10),
        cmocka_unit_test(test_gpx_phone),
        cmocka_unit_test(test_gpx_bad),
        cmocka_unit_test(test_geojson_track),
        cmocka_unit_test(test_csv_track),
        cmocka_unit_test(test_gpx_write_round_trip),
        cmocka_unit_test(test_gpx_out_of_memory),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
