/* SPDX-License-Identifier: MIT */
/*
 * The campaign's records in the store: campaigns, donors, donations,
 * expenses, road projects and their progress, bamboo plantings and their
 * survival checks, lights and their checks, 3 March activities and
 * commendations. Every put checks the record on its own and against the
 * others it touches, and writes nothing when something is wrong.
 */
#ifndef BIENPHONG_STORE_CAMPAIGN_H
#define BIENPHONG_STORE_CAMPAIGN_H

#include <stddef.h>

#include "bienphong/campaign.h"
#include "bienphong/error.h"

struct bp_store;

/*
 * For each kind R in campaign, donor, donation, expense, road,
 * road_progress, bamboo, bamboo_check, light, light_check, event, award:
 *
 *   bp_store_R_put(st, rec, err)   insert, or update the record with the
 *       same id. An empty `rec->id` gets a new UUID (written back, with
 *       the other derived fields: a donation's labour value, a road's
 *       and a bamboo planting's measures from their marker anchors, a
 *       light's measure and road). Referenced records must exist
 *       (BP_ENOTFOUND naming the field). Runs inside the caller's
 *       transaction when one is open, else in its own. On failure nothing
 *       is written and `*rec` is untouched.
 *   bp_store_R_list(st, &v, &n, err)   every record, in a stable order
 *       (dates, then names); free with bp_store_R_list_free(v, n).
 *
 * The checks, each BP_E... naming the record and field:
 *   donation: bp_donation_value(); the campaign and donor exist; then
 *       bp_ledger_check() over the campaign's records with this one:
 *       a receipt fulfilling more than its promise is BP_ECONFLICT.
 *   expense: a document number, amount > 0; bp_ledger_check(): spending
 *       more than the cash balance on its date is BP_ERANGE.
 *   road: a name; ALONG stretches and PATH anchors must lie on the
 *       border [0, length] (BP_ERANGE, field "from"/"to"); PATH roads
 *       need a planned length or a geometry (its geodesic length is
 *       taken).
 *   road_progress: the road exists; the stretch is non-empty and inside
 *       the road's extent (BP_ERANGE).
 *   bamboo: a stretch on the border, clumps > 0, households >= 0.
 *   bamboo_check: alive between 0 and the clumps planted.
 *   light: placed by measure (on the border) or by lon/lat (projected);
 *       must be near a road project (bp_light_find_road(), BP_ERANGE
 *       field "position"); road_id is set when empty.
 *   event: the commune exists, year 1990..2100, counts and money >= 0;
 *       one record per commune and year (BP_EEXIST otherwise).
 *   award: a recipient, a decision number and date.
 */
#define BP_STORE_CAMP_API(R)                                                 \
    int bp_store_##R##_put(struct bp_store *st, struct bp_##R *rec,          \
                           struct bp_error *err);                            \
    int bp_store_##R##_list(struct bp_store *st, struct bp_##R **v,          \
                            size_t *n, struct bp_error *err);                \
    void bp_store_##R##_list_free(struct bp_##R *v, size_t n);

BP_STORE_CAMP_API(campaign)
BP_STORE_CAMP_API(donor)
BP_STORE_CAMP_API(donation)
BP_STORE_CAMP_API(expense)
BP_STORE_CAMP_API(road)
BP_STORE_CAMP_API(road_progress)
BP_STORE_CAMP_API(bamboo)
BP_STORE_CAMP_API(bamboo_check)
BP_STORE_CAMP_API(light)
BP_STORE_CAMP_API(light_check)
BP_STORE_CAMP_API(event)
BP_STORE_CAMP_API(award)

/**
 * Find a campaign, donor or road by id or by name (ignoring case and
 * diacritics; a unique name only). Fills caller's `rec` (release with
 * bp_R_release()). BP_ENOTFOUND, or BP_ECONFLICT when several share the
 * name. `ref` NULL or "" finds the only campaign (when there is one).
 */
int bp_store_campaign_find(struct bp_store *st, const char *ref,
                           struct bp_campaign *rec, struct bp_error *err);
int bp_store_donor_find(struct bp_store *st, const char *ref,
                        struct bp_donor *rec, struct bp_error *err);
int bp_store_road_find(struct bp_store *st, const char *ref,
                       struct bp_road *rec, struct bp_error *err);

/**
 * Find the promise a receipt fulfils: the donation with id `ref`
 * (ignoring case) or receipt number `ref`; its id into `out`. BP_ENOTFOUND
 * ("no promise '…'"), or BP_ECONFLICT when several donations have that
 * number; `out` is "" then. The error names no field: the caller's name
 * for it is added by the caller.
 */
int bp_store_promise_find(struct bp_store *st, const char *ref, bp_uuid out,
                          struct bp_error *err);

/**
 * After a re-survey (bp_store_resurvey()), recompute the measures of the
 * road projects and bamboo plantings anchored by markers, inside the
 * caller's transaction when one is open. 0, or the first put's error
 * (e.g. BP_ERANGE when a stretch now leaves the line), naming the record.
 */
int bp_store_campaign_resurvey(struct bp_store *st, struct bp_error *err);

#endif
