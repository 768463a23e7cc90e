/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the track readers: the input is read as GPX,
 * GeoJSON or CSV (told apart by content, as bp_track_read() does); a track
 * read is written back as GPX and must read back with the same fixes.
 * tests/unit/test_fuzz_replay_gpx.c includes this file to replay the
 * corpus in ordinary test runs. Build with clang -fsanitize=fuzzer.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bienphong/buf.h"
#include "bienphong/error.h"
#include "bienphong/gpx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken promise of the reader or writer: crash loudly. */
#define FUZZ_CHECK(cond)                                                    \
    do {                                                                     \
        if (!(cond))                                                         \
            abort();                                                         \
    } while (0)

/* Read one input; returns 0 or the reader's negative error. */
static int fuzz_gpx_one(const uint8_t *data, size_t size)
{
    struct bp_error err = {0};
    struct bp_track t, u;
    struct bp_buf b = BP_BUF_INIT;
    const struct bp_track *tp[1];
    size_t i;
    int rc, rt = 1;

    bp_track_init(&t);
    rc = bp_track_read((const char *)data, size, "fuzz", &t, &err);
    if (rc) {
        FUZZ_CHECK(rc < 0 && err.code == rc && t.n == 0 && !t.fix);
        return rc;
    }
    for (i = 0; i < t.n; i++) {
        FUZZ_CHECK(fabs(t.fix[i].lon) <= 180 && fabs(t.fix[i].lat) <= 90);
        /* Times the writer cannot give four-digit years to. */
        if (t.fix[i].time_ms != BP_TIME_NONE &&
            (t.fix[i].time_ms < -62135596800000LL ||
             t.fix[i].time_ms > 253402300799000LL))
            rt = 0;
    }
    tp[0] = &t;
    if (rt && t.n && !bp_gpx_write(&b, tp, NULL, 1)) {
        bp_track_init(&u);
        memset(&err, 0, sizeof(err));
        FUZZ_CHECK(bp_gpx_read(b.data, b.len, "copy", &u, &err) == 0);
        FUZZ_CHECK(u.n == t.n);
        for (i = 0; i < t.n; i++) {
            FUZZ_CHECK(fabs(u.fix[i].lon - t.fix[i].lon) < 1e-6);
            FUZZ_CHECK(fabs(u.fix[i].lat - t.fix[i].lat) < 1e-6);
            FUZZ_CHECK(u.fix[i].time_ms == t.fix[i].time_ms);
        }
        bp_track_release(&u);
    }
    bp_buf_release(&b);
    bp_track_release(&t);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_gpx_one(data, size);
    return 0;
}
