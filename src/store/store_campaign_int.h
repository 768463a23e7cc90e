/* SPDX-License-Identifier: MIT */
/*
 * The backend operations of the campaign's records: a generic put (insert
 * or update by id) and list per record kind. store_campaign.c checks the
 * records and dispatches here; SQL lives in store_sqlite_campaign.c.
 */
#ifndef BP_STORE_CAMPAIGN_INT_H
#define BP_STORE_CAMPAIGN_INT_H

#include "bienphong/store_campaign.h"

enum bp__camp_kind {
    BP__CAMPAIGN = 0,
    BP__DONOR,
    BP__DONATION,
    BP__EXPENSE,
    BP__ROAD,
    BP__ROAD_PROGRESS,
    BP__BAMBOO,
    BP__BAMBOO_CHECK,
    BP__LIGHT,
    BP__LIGHT_CHECK,
    BP__EVENT,
    BP__AWARD,
    BP__CAMP_NKINDS
};

struct bp__camp_ops {
    /* `rec` is the struct of the kind, checked, with a lower-case id. */
    int (*put)(struct bp_store *st, enum bp__camp_kind k, const void *rec,
               struct bp_error *err);
    int (*list)(struct bp_store *st, enum bp__camp_kind k, void **v,
                size_t *n, struct bp_error *err);
};

extern const struct bp__camp_ops bp__sqlite_camp_ops;

#endif
