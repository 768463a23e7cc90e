/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the CSV reader: the first byte picks the encoding,
 * separator and header row, the rest is the file. Every row read is
 * written back with the writer and the copy must read back the same.
 * tests/unit/test_fuzz_replay_csv.c includes this file to replay the
 * corpus in ordinary test runs. Build with clang -fsanitize=fuzzer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bienphong/buf.h"
#include "bienphong/csv.h"
#include "bienphong/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken promise of the reader or writer: crash loudly. */
#define FUZZ_CHECK(cond)                                                    \
    do {                                                                     \
        if (!(cond))                                                         \
            abort();                                                         \
    } while (0)

/* Read `copy` (written from the rows of a first read) and compare. */
static void check_copy(const struct bp_buf *copy, char sep,
                       const struct bp_buf *want, size_t ncols)
{
    struct bp_csv_opts o = {BP_CSV_ENC_UTF8, 0, 0};
    struct bp_error err = {0};
    struct bp_csv *csv = NULL;
    const char *w = want->data;
    size_t c;
    int rc;

    o.delimiter = sep;
    rc = bp_csv_open_mem(copy->data, copy->len, "copy", &o, &csv, &err);
    FUZZ_CHECK(rc == 0 && bp_csv_ncols(csv) == ncols);
    /* `want` holds every field of every row, each NUL-terminated,
       headers first. */
    for (c = 0; c < ncols; c++, w += strlen(w) + 1)
        FUZZ_CHECK(!strcmp(bp_csv_header(csv, c), w));
    while ((size_t)(w - want->data) < want->len) {
        FUZZ_CHECK(bp_csv_next(csv, &err) == 1);
        for (c = 0; c < ncols; c++, w += strlen(w) + 1)
            FUZZ_CHECK(!strcmp(bp_csv_field(csv, c), w));
    }
    FUZZ_CHECK(bp_csv_next(csv, &err) == 0);
    bp_csv_close(csv);
}

/*
 * Read one input; returns the reader's last result: 0 when the whole file
 * was read, or the negative error that stopped it.
 */
static int fuzz_csv_one(const uint8_t *data, size_t size)
{
    static const char seps[4] = {0, ',', ';', '\t'};
    static const char *const aliases[] = {"ho_ten", "Họ tên", "ma", NULL};
    struct bp_csv_opts o = {BP_CSV_ENC_AUTO, 0, 0};
    struct bp_buf copy = BP_BUF_INIT, want = BP_BUF_INIT;
    struct bp_csv_writer wr;
    struct bp_error err = {0};
    struct bp_csv *csv = NULL;
    size_t c, ncols;
    int rc, ok = 1;

    if (size < 1)
        return 0;
    o.encoding = (enum bp_csv_encoding)(data[0] % 5);
    o.delimiter = seps[(data[0] >> 3) % 4];
    o.header_row = (data[0] >> 5) % 4;
    rc = bp_csv_open_mem((const char *)data + 1, size - 1, "fuzz", &o, &csv,
                         &err);
    if (rc) {
        FUZZ_CHECK(rc < 0 && err.code == rc && csv == NULL);
        goto out;
    }
    ncols = bp_csv_ncols(csv);
    FUZZ_CHECK(ncols >= 1 && bp_csv_encoding_of(csv) != BP_CSV_ENC_AUTO);
    (void)bp_csv_col(csv, aliases);
    bp_csv_writer_init(&wr, &copy, bp_csv_delimiter(csv));
    /* As exports do; it also keeps a leading U+FEFF in the text. */
    ok = !bp_csv_write_bom(&wr);
    for (c = 0; c < ncols; c++) {
        ok = ok && !bp_csv_write_field(&wr, bp_csv_header(csv, c));
        ok = ok && !bp_buf_add(&want, bp_csv_header(csv, c),
                               strlen(bp_csv_header(csv, c)) + 1);
    }
    ok = ok && !bp_csv_write_eol(&wr);
    while ((rc = bp_csv_next(csv, &err)) == 1) {
        FUZZ_CHECK(bp_csv_row(csv) >= 1);
        for (c = 0; c < ncols; c++) {
            const char *f = bp_csv_field(csv, c);

            ok = ok && !bp_csv_write_field(&wr, f);
            ok = ok && !bp_buf_add(&want, f, strlen(f) + 1);
        }
        ok = ok && !bp_csv_write_eol(&wr);
    }
    FUZZ_CHECK(rc <= 0);
    FUZZ_CHECK(rc == 0 || (err.code == rc && err.row >= 1));
    /* A first line that reads as "sep=X" would be taken for Excel's
       separator line; such copies are not compared. */
    if (rc == 0 && ok && strncmp(copy.data + 3, "sep=", 4) != 0)
        check_copy(&copy, bp_csv_delimiter(csv), &want, ncols);
out:
    bp_csv_close(csv);
    bp_buf_release(&copy);
    bp_buf_release(&want);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_csv_one(data, size);
    return 0;
}
