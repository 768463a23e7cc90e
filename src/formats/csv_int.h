/* SPDX-License-Identifier: MIT */
/*
 * What the CSV reader's two files share: turning the file's bytes into
 * NFC UTF-8 (csv_encoding.c) and counting rows the way Excel does.
 */
#ifndef BIENPHONG_FORMATS_CSV_INT_H
#define BIENPHONG_FORMATS_CSV_INT_H

#include <stddef.h>

#include "bienphong/buf.h"
#include "bienphong/csv.h"
#include "bienphong/error.h"

/**
 * Turn the bytes in `raw` into NFC UTF-8 in `text` (initialised, empty),
 * detecting the encoding when `enc` is AUTO; `*found` is the encoding
 * used. `raw` may be emptied (its storage moved into `text`); the caller
 * releases both in every case. Errors as bp_csv_open_mem() describes,
 * with `name` as the file.
 */
int bp__csv_decode(struct bp_buf *raw, const char *name,
                   enum bp_csv_encoding enc, struct bp_buf *text,
                   enum bp_csv_encoding *found, struct bp_error *err);

/**
 * Length of an Excel "sep=X" first line at `s` (with its line end), or 0
 * when there is none; sets `*sep` to X.
 */
size_t bp__csv_sep_line(const char *s, size_t len, char *sep);

/**
 * Excel row of byte offset `off` in CSV text `s` (ASCII-compatible): 1
 * plus the line ends outside quotes before it, not counting a "sep=" line.
 */
long bp__csv_row_at(const char *s, size_t off);

#endif
