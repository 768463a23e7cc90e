/* SPDX-License-Identifier: MIT */
/*
 * Replays the GPX fuzz corpus (tests/fuzz/corpus/gpx) through the fuzz
 * target's own code, so every input that ever found a bug stays checked in
 * ordinary test runs under the sanitizers: no crash, no leak, and a result
 * of 0 or a negative error code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../fuzz/fuzz_gpx.c"
#include "fuzz_replay.h"

FUZZ_REPLAY_RC("gpx", fuzz_gpx_one, 10)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_corpus),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
