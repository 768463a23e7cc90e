/* SPDX-License-Identifier: MIT */
/*
 * Replays the CSV fuzz corpus (tests/fuzz/corpus/csv) through the fuzz
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

#include "../fuzz/fuzz_csv.c"
#include "fuzz_replay.h"

FUZZ_REPLAY_RC("csv", fuzz_csv_one, 10)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_corpus),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
