/* SPDX-License-Identifier: MIT */
/*
 * The backend operations of patrols, tracks, inspections and incidents:
 * store_patrol.c checks and orchestrates (walk, quality, hashes) and the
 * backend (store_sqlite_patrol.c for SQLite) only reads and writes.
 */
#ifndef BP_STORE_PATROL_INT_H
#define BP_STORE_PATROL_INT_H

#include "bienphong/store_patrol.h"
#include "store/store_int.h"

/* A track to insert, everything computed. */
struct bp__track_row {
    const char *patrol_id;
    const char *id;
    const char *file;
    struct bp_track_hash hash;
    const struct bp_track *t;
    const struct bp_walk *w;
    unsigned flags;
    const char *flag_note;
};

/* Which hash bp__patrol_ops.track_find looks up. */
enum bp__hash_kind { BP__HASH_CONTENT = 0, BP__HASH_SHAPE, BP__HASH_TIMED };

struct bp__patrol_ops {
    int (*patrol_put)(struct bp_store *st, struct bp_patrol *p,
                      struct bp_error *err);
    int (*patrol_get)(struct bp_store *st, const char *id,
                      struct bp_patrol *p, struct bp_error *err);
    int (*patrol_list)(struct bp_store *st, int32_t from, int32_t to,
                       struct bp_patrol **v, size_t *n,
                       struct bp_error *err);
    int (*approve)(struct bp_store *st, const char *id, const char *by,
                   size_t *n, struct bp_error *err);
    int (*track_find)(struct bp_store *st, enum bp__hash_kind k, uint64_t h,
                      bp_uuid track, bp_uuid patrol, struct bp_error *err);
    int (*track_insert)(struct bp_store *st, const struct bp__track_row *r,
                        struct bp_error *err);
    int (*track_list)(struct bp_store *st, const char *patrol_id,
                      struct bp_track_info **v, size_t *n,
                      struct bp_error *err);
    int (*track_load)(struct bp_store *st, const char *id,
                      struct bp_track *t, struct bp_error *err);
    int (*patrol_spans)(struct bp_store *st, const char *patrol_id,
                        int counted_only, struct bp_spanset *out,
                        struct bp_error *err);
    /* Live markers' ids and positions; caller frees both with bp_free. */
    int (*marker_positions)(struct bp_store *st, bp_uuid **ids,
                            struct bp_lonlat **pts, size_t *n,
                            struct bp_error *err);
    /* rec->marker is resolved here; track_id may be NULL. */
    int (*inspection_add)(struct bp_store *st, struct bp_inspection *rec,
                          double radius_m, const char *track_id,
                          struct bp_error *err);
    int (*inspection_list)(struct bp_store *st, const char *marker,
                           int visits, struct bp_inspection **v, size_t *n,
                           struct bp_error *err);
    int (*marker_overdue)(struct bp_store *st, int32_t as_of, int days,
                          struct bp_marker_due **v, size_t *n,
                          struct bp_error *err);
    int (*verify_load)(struct bp_store *st, struct bp_verify_data *d,
                       struct bp_error *err);
    int (*incident_add)(struct bp_store *st, struct bp_incident *rec,
                        struct bp_error *err);
    int (*incident_get)(struct bp_store *st, const char *id,
                        struct bp_incident *rec,
                        struct bp_incident_event **ev, size_t *nev,
                        struct bp_error *err);
    int (*incident_list)(struct bp_store *st, int status,
                         struct bp_incident **v, size_t *n,
                         struct bp_error *err);
    int (*incident_update)(struct bp_store *st, const char *id,
                           enum bp_incident_status status, int64_t at_s,
                           const char *note, const char *resolution,
                           struct bp_error *err);
};

extern const struct bp__patrol_ops bp__sqlite_patrol_ops;

#endif
