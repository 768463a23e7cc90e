/* SPDX-License-Identifier: MIT */
/*
 * Import and export of registry records: CSV files (Vietnamese or English
 * headers, UTF-8, Windows-1258 or TCVN3) and GeoJSON marker points into
 * the store, and CSV (UTF-8 with BOM, CRLF) or GeoJSON out of it.
 *
 * An import is all-or-nothing: the whole file is checked and written in
 * one transaction; every bad row is collected (not only the first) and
 * when there is any, nothing is written.
 *
 *     struct bp_import_result res = {0};
 *     rc = bp_import_file(st, BP_X_CUSTODIANS, "ho.csv", NULL, &res, &err);
 *     for (i = 0; i < res.nproblems; i++) ... res.problems[i] ...
 *     bp_import_result_release(&res);
 */
#ifndef BIENPHONG_EXCHANGE_H
#define BIENPHONG_EXCHANGE_H

#include <stddef.h>
#include <stdint.h>

#include "bienphong/buf.h"
#include "bienphong/error.h"
#include "bienphong/registry.h"
#include "bienphong/store.h"

/** What a file holds. */
enum bp_exchange_kind {
    BP_X_STATIONS = 0,
    BP_X_COMMUNES,
    BP_X_VILLAGES,
    BP_X_MARKERS,
    BP_X_CUSTODIANS,
    BP_X_PLEDGES,
    BP_X_GAPS /* export only */
};

/** Parse "stations", "communes", ... (also Vietnamese "xa", "moc"...). */
int bp_exchange_kind_parse(const char *s, enum bp_exchange_kind *out);
/** The code name of a kind ("custodians"). */
const char *bp_exchange_kind_name(enum bp_exchange_kind k);

/** Options of an import; zero-initialised (or NULL) means defaults. */
struct bp_import_opts {
    const char *encoding; /* "utf-8", "windows-1258", "tcvn3"; NULL: detect */
    /* markers: update markers already in the store (a re-survey) instead
       of rejecting their numbers as duplicates */
    int update;
    /* Called every few thousand rows read, and once at the end; may be
       NULL. */
    void (*progress)(void *ctx, long rows);
    void *progress_ctx;
    /* markers: called by the re-survey for each pledge whose length
       changed by more than 0.5 m; may be NULL. */
    bp_resurvey_fn changed;
    void *changed_ctx;
};

/** What an import did, and what was wrong with the file. */
struct bp_import_result {
    long rows;                 /* data rows read */
    long records;              /* records written; 0 after a failure */
    long pledges;              /* pledges written (custodian rows with one) */
    struct bp_error *problems; /* owned: one per bad field or row, each
                                  with file, row and field; the first
                                  1000 of them */
    size_t nproblems;
    long problems_total; /* all problems found, kept or not */
};

/** Free the problems; the result is zeroed. */
void bp_import_result_release(struct bp_import_result *res);

/**
 * Import the file at `path` (CSV; for markers also GeoJSON points, told
 * by a ".geojson"/".json" name or a leading '{') into the store, in one
 * transaction that the function opens and commits (none may be open).
 * Markers: after writing, runs bp_store_resurvey() in the same
 * transaction.
 *
 * Returns 0 and fills `res`; or BP_EPARSE (bad rows: every one is in
 * `res->problems`, `err` holds the first, nothing is written),
 * BP_EENCODING (the encoding cannot be detected), BP_EIO, BP_ENOTFOUND
 * (no border line when one is needed), BP_ESTORE, BP_ENOMEM. `res` is the
 * caller's storage and must be released in every case.
 */
int bp_import_file(struct bp_store *st, enum bp_exchange_kind kind,
                   const char *path, const struct bp_import_opts *opts,
                   struct bp_import_result *res, struct bp_error *err);

/**
 * Parse a stretch end as written in registers: "1120+350", "1120 + 350 m",
 * "mốc 1120", "1120-200", "1117(2)+15" (a marker and an offset in metres).
 * Fills `a->marker_key` and `a->offset_m` (measure_m set to NAN). 0 or
 * BP_EPARSE.
 */
int bp_anchor_parse(const char *s, struct bp_anchor *a);

/**
 * Parse a measure in kilometres written with a comma or a point ("80,350",
 * "80.35", "km 80,350") into an anchor by km (`measure_m` in metres,
 * marker_key ""). 0 or BP_EPARSE.
 */
int bp_anchor_parse_km(const char *s, struct bp_anchor *a);

/**
 * Set a->measure_m from its marker among `markers` (n of them, any order;
 * a linear search, for single records) plus its offset; anchors by km are
 * left as they are. BP_ENOTFOUND when the marker is not among them.
 */
int bp_anchor_resolve(struct bp_anchor *a, const struct bp_marker *markers,
                      size_t n);

/** Export formats. */
enum bp_export_format { BP_FMT_CSV = 0, BP_FMT_GEOJSON };

/**
 * Write every record of `kind` (gaps: as of `as_of`) to `out` (appended):
 * CSV with a UTF-8 BOM, CRLF line ends and Vietnamese headers, or a
 * GeoJSON FeatureCollection (markers as Points; communes, pledges and gaps
 * as LineStrings of the border between their measures). BP_EINVAL for
 * GeoJSON of a kind without geometry (stations, villages, custodians);
 * BP_ENOTFOUND when the border is needed and missing; BP_ESTORE,
 * BP_ENOMEM.
 */
int bp_export(struct bp_store *st, enum bp_exchange_kind kind,
              enum bp_export_format fmt, int32_t as_of, struct bp_buf *out,
              struct bp_error *err);

#endif
