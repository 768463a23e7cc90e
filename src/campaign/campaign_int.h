/* SPDX-License-Identifier: MIT */
/*
 * Internal pieces of the campaign module: an index of records by their
 * UUID (sorted pointers, binary search) shared by the ledger and the
 * figures of roads, bamboo, lights and awards.
 */
#ifndef BP_CAMPAIGN_INT_H
#define BP_CAMPAIGN_INT_H

#include <stddef.h>

struct id_ref;

/* Records of one array by id: `v` sorted by id. */
struct bp__camp_index {
    struct id_ref *v;
    size_t n;
};

/* Index `n` records of `stride` bytes at `recs`, the id (a bp_uuid) at
 * `id_offset` in each. 0 or BP_ENOMEM. Release in every case. */
int bp__camp_index_build(struct bp__camp_index *x, const void *recs,
                         size_t n, size_t stride, size_t id_offset);
/* The index of the record with `id`, or -1 (also for NULL or ""). */
long bp__camp_index_find(const struct bp__camp_index *x, const char *id);
void bp__camp_index_release(struct bp__camp_index *x);

#endif
