/* SPDX-License-Identifier: MIT */
/*
 * Replays the GPX fuzz corpus (tests/fuzz/corpus/gpx) through the fuzz
 * target's own code, so every input that ever found a bug stays checked in
 * ordinary test runs under the sanitizers: no crash, no leak, and a result
 * of 0 or a negative error code.
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

#include "../fuzz/fuzz_gpx.c"

static void test_replay_corpus(void **state)
{
    const char *data_dir = getenv("BP_TEST_DATA");
    char dir[4096], path[4096 + 256];
    struct dirent *de;
    size_t files = 0;
    DIR *d;

    (void)state;
    assert_non_null(data_dir);
    snprintf(dir, sizeof(dir), "%s/../fuzz/corpus/gpx", data_dir);
    d = opendir(dir);
    if (!d)
        print_message("cannot open %s\n", dir);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        struct bp_buf b = BP_BUF_INIT;
        int rc;

        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        assert_int_equal(bp_buf_read_file(&b, path), 0);
        rc = fuzz_gpx_one((const uint8_t *)b.data, b.len);
        if (rc > 0)
            print_message("%s: returned %d\n", de->d_name, rc);
        assert_true(rc <= 0);
        bp_buf_release(&b);
        files++;
    }
    closedir(d);
    /* An empty or missing corpus would make this test pass vacuously. */
    assert_true(files >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_corpus),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
