/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the GeoJSON readers. Not built by default; build
 * with clang -fsanitize=fuzzer,address,undefined against libbienphong and
 * run on tests/fuzz/corpus/geojson/. test_fuzz_replay_geojson.c replays the
 * corpus through this same entry point in every test run.
 *
 * Besides not crashing, it checks what the contracts promise: a result
 * has at least two positions, all in range; an error is a known code with
 * a message; outputs are untouched on failure; and a line read, written
 * and read again gives the same number of positions.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/buf.h"
#include "bienphong/error.h"
#include "bienphong/geojson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken promise is a finding: abort so the fuzzer keeps the input. */
#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond))                                                           \
            abort();                                                           \
    } while (0)

static int is_reader_error(const struct bp_error *err, int rc)
{
    return (rc == BP_EPARSE || rc == BP_EGEOM || rc == BP_ENOMEM) &&
           err->code == rc && err->message[0] != '\0';
}

static int in_range(double lon, double lat)
{
    return lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
}

static void fuzz_line(const char *text, size_t size)
{
    static struct bp_lonlat sentinel;
    struct bp_lonlat *pts = &sentinel, *again = NULL;
    struct bp_error err = {0};
    struct bp_buf b = BP_BUF_INIT;
    char *name = NULL;
    size_t n = 0, n2 = 0, i;
    int rc;

    rc =
        bp_geojson_read_line(text, size, "fuzz.geojson", &pts, &n, &name, &err);
    if (rc) {
        CHECK(is_reader_error(&err, rc));
        CHECK(pts == &sentinel && n == 0 && name == NULL);
        return;
    }
    CHECK(n >= 2);
    for (i = 0; i < n; i++)
        CHECK(in_range(pts[i].lon, pts[i].lat));
    CHECK(name == NULL || name[0] != '\0');
    if (bp_geojson_write_linestring(&b, pts, n) == 0) {
        rc = bp_geojson_read_line(b.data, b.len, NULL, &again, &n2, NULL, &err);
        CHECK(rc == 0 || rc == BP_ENOMEM);
        CHECK(rc || n2 == n);
    }
    bp_free(again);
    bp_buf_release(&b);
    bp_free(pts);
    bp_free(name);
}

static void fuzz_points(const char *text, size_t size)
{
    static struct bp_geojson_point sentinel;
    struct bp_geojson_point *pts = &sentinel;
    struct bp_error err = {0};
    size_t n = 0, i;
    int rc;

    rc = bp_geojson_read_points(text, size, "fuzz.geojson", &pts, &n, &err);
    if (rc) {
        CHECK(is_reader_error(&err, rc));
        CHECK(pts == &sentinel && n == 0);
        return;
    }
    CHECK(n == 0 || pts != NULL);
    for (i = 0; i < n; i++) {
        CHECK(in_range(pts[i].lon, pts[i].lat));
        CHECK(pts[i].props_json && pts[i].props_json[0] == '{');
    }
    bp_geojson_points_free(pts, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The readers take text that need not be NUL-terminated. */
    fuzz_line((const char *)data, size);
    fuzz_points((const char *)data, size);
    return 0;
}
