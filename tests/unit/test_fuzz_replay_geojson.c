/* SPDX-License-Identifier: MIT */
/*
 * Replays the GeoJSON fuzz corpus (tests/fuzz/corpus/geojson) in every
 * test run: each file goes through the fuzz target itself, which aborts on
 * a broken promise, then through bp_geojson_read_line() with checks of
 * its result, and again with each allocation failing in turn.
 */
#include <dirent.h>
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
#include "bienphong/error.h"
#include "bienphong/geojson.h"

/* The fuzz target, so the replay runs exactly what the fuzzer runs. */
#include "../fuzz/fuzz_geojson.c"
#include "fuzz_replay.h"

/* Fewer files than this means the corpus went missing. */
#define MIN_CORPUS_FILES 20

static int is_json_file(const struct dirent *d)
{
    size_t len = strlen(d->d_name);

    return len > 5 && !strcmp(d->d_name + len - 5, ".json");
}

static void replay_one(const char *path, const char *fname,
                       const struct bp_buf *b)
{
    struct bp_lonlat *pts = NULL;
    struct bp_error err = {0};
    char *name = NULL;
    size_t n = 0;
    long k;
    int rc;

    /* The fuzz target first: it aborts on anything it finds wrong. */
    LLVMFuzzerTestOneInput((const uint8_t *)b->data, b->len);

    rc = bp_geojson_read_line(b->data, b->len, fname, &pts, &n, &name, &err);
    if (rc == 0) {
        assert_true(n >= 2);
    } else if (rc != BP_EPARSE && rc != BP_EGEOM) {
        print_error("%s: unexpected %s: %s\n", path, bp_errname(rc),
                    err.message);
        fail();
    } else {
        assert_int_equal(err.code, rc);
        assert_string_equal(err.file, fname);
        assert_true(err.message[0] != '\0');
    }
    bp_free(pts);
    bp_free(name);

    /* Every allocation failing in turn: BP_ENOMEM or the same answer. */
    for (k = 0; k < 64; k++) {
        int rc2;

        pts = NULL;
        name = NULL;
        bp_alloc_fail_after(k, 1);
        rc2 =
            bp_geojson_read_line(b->data, b->len, fname, &pts, &n, &name, &err);
        bp_alloc_fail_after(-1, 0);
        bp_free(pts);
        bp_free(name);
        if (rc2 == rc)
            break;
        if (rc2 != BP_ENOMEM) {
            print_error("%s: with allocation %ld failing got %s, want %s or "
                        "BP_ENOMEM\n",
                        path, k, bp_errname(rc2), bp_errname(rc));
            fail();
        }
    }
}

static void test_replay_corpus(void **state)
{
    (void)state;
    fuzz_replay_corpus("geojson", is_json_file, MIN_CORPUS_FILES, replay_one);
}

/* A few corpus files whose outcome is known, so a silent change shows. */
static void test_known_outcomes(void **state)
{
    static const struct {
        const char *file;
        int rc;
        size_t n;
    } cases[] = {
        {"linestring.json", 0, 3},
        {"linestring_elevation.json", 0, 3},
        {"multilinestring_shuffled.json", 0, 5},
        {"featurecollection_mixed.json", 0, 3},
        {"overflow_1e999.json", BP_EPARSE, 0},
        {"latitude_out_of_range.json", BP_EGEOM, 0},
        {"multilinestring_branch.json", BP_EGEOM, 0},
        {"featurecollection_two_lines.json", BP_EGEOM, 0},
        {"deep_nesting.json", BP_EPARSE, 0},
        {"nul_byte.json", BP_EPARSE, 0},
        {"empty.json", BP_EPARSE, 0},
    };
    char dir[4096], path[4096 + 256];
    size_t i;

    (void)state;
    fuzz_corpus_dir("geojson", dir, sizeof(dir));
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bp_buf b = BP_BUF_INIT;
        struct bp_lonlat *pts = NULL;
        struct bp_error err = {0};
        size_t n = 0;
        int rc;

        snprintf(path, sizeof(path), "%s/%s", dir, cases[i].file);
        assert_int_equal(bp_buf_read_file(&b, path), 0);
        rc = bp_geojson_read_line(b.data, b.len, cases[i].file, &pts, &n, NULL,
                                  &err);
        if (rc != cases[i].rc || (rc == 0 && n != cases[i].n)) {
            print_error("%s: got %s (n %zu, '%s'), want %s (n %zu)\n",
                        cases[i].file, bp_errname(rc), n, err.message,
                        bp_errname(cases[i].rc), cases[i].n);
            fail();
        }
        bp_free(pts);
        bp_buf_release(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_corpus),
        cmocka_unit_test(test_known_outcomes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
