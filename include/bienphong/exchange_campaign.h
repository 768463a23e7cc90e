/* SPDX-License-Identifier: MIT */
/*
 * CSV import and export of the campaign's records: donors, donations,
 * expenses, road projects, bamboo plantings, lights, 3 March activities
 * and commendations, with the columns the command line reads (Vietnamese
 * names, English aliases). An export writes one row per record under the
 * first (Vietnamese) name of each import column, so what is exported can
 * be imported again; an import is all or nothing, every bad row listed.
 *
 *     struct bp_import_result res = {0};
 *     rc = bp_campaign_csv_import(st, BP_CX_DONORS, data, len, "ung_ho.csv",
 *                                 NULL, &res, &err);
 *     ... res.problems[i] (file, row, field, message) ...
 *     bp_import_result_release(&res);
 */
#ifndef BIENPHONG_EXCHANGE_CAMPAIGN_H
#define BIENPHONG_EXCHANGE_CAMPAIGN_H

#include <stddef.h>

#include "bienphong/buf.h"
#include "bienphong/csv.h"
#include "bienphong/error.h"
#include "bienphong/exchange.h"
#include "bienphong/store.h"

/** The campaign record kinds that travel as CSV. */
enum bp_camp_csv_kind {
    BP_CX_DONORS = 0,
    BP_CX_DONATIONS,
    BP_CX_EXPENSES,
    BP_CX_ROADS,
    BP_CX_BAMBOO,
    BP_CX_LIGHTS,
    BP_CX_EVENTS,
    BP_CX_AWARDS,
    BP_CX_N
};

/** The plural code name of a kind ("donors", "bamboo"); static storage. */
const char *bp_camp_csv_kind_name(enum bp_camp_csv_kind k);

/** Options of a campaign import; zero-initialised or NULL: defaults. */
struct bp_camp_import_opts {
    enum bp_csv_encoding encoding; /* BP_CSV_AUTO: detect */
    /* Called every 256 rows read and once at the end; may be NULL. */
    void (*progress)(void *ctx, long rows);
    void *progress_ctx;
    /* Asked before each record is written with the id of its commune
       ("" when it has none): nonzero refuses the row, which becomes a
       problem of field "xa" with the message "commune '...' is outside
       your scope". May be NULL (everything allowed). */
    int (*allow)(void *ctx, const char *commune_id);
    void *allow_ctx;
};

/**
 * Import `len` bytes of CSV at `data` (borrowed), called `name` in
 * messages, as records of `kind`, in one transaction that the function
 * opens and commits (none may be open). Columns as the command line's
 * `KIND import`; rows naming an existing id ("ma") update that record;
 * a 3 March row for a commune and year already recorded updates it.
 *
 * Returns 0 and fills `res` (rows read, records written); or BP_EPARSE
 * when rows are bad: every problem (file, row, field, message) is in
 * `res->problems`, the first in `err`, and nothing is written; or the
 * errors of bp_csv_open_mem() (BP_EENCODING, BP_EEMPTY, ...), BP_ESTORE,
 * BP_ENOMEM, BP_EINVAL for a bad `kind`. `res` is the caller's storage
 * and must be released with bp_import_result_release() in every case.
 */
int bp_campaign_csv_import(struct bp_store *st, enum bp_camp_csv_kind kind,
                           const char *data, size_t len, const char *name,
                           const struct bp_camp_import_opts *opts,
                           struct bp_import_result *res,
                           struct bp_error *err);

/**
 * Append every record of `kind` to `out` as CSV: a UTF-8 BOM, the header
 * row, CRLF line ends; campaigns, donors and roads by name, communes by
 * code, money as whole đồng, dates as yyyy-mm-dd. `keep` (may be NULL)
 * is asked with each record's commune id ("" when none) and a record is
 * left out when it returns 0. BP_EINVAL for a bad `kind`, BP_ESTORE,
 * BP_ENOMEM; `out` may hold part of the file after a failure.
 */
int bp_campaign_csv_export(struct bp_store *st, enum bp_camp_csv_kind kind,
                           int (*keep)(void *ctx, const char *commune_id),
                           void *keep_ctx, struct bp_buf *out,
                           struct bp_error *err);

#endif
