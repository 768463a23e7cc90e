/* SPDX-License-Identifier: MIT */
/*
 * Patrols in the store: patrols with their participants, GPS tracks
 * (fixes kept compactly, walked spans, quality flags, approval), the
 * inputs of verification, marker inspections and visits, incidents with
 * their history. Included by store.h.
 *
 * Writes run inside the caller's transaction when one is open, else each
 * in its own. Ids are UUIDs; an empty id on a put gets a new one.
 */
#ifndef BIENPHONG_STORE_PATROL_H
#define BIENPHONG_STORE_PATROL_H

#include <stddef.h>
#include <stdint.h>

#include "bienphong/error.h"
#include "bienphong/gpx.h"
#include "bienphong/patrol.h"
#include "bienphong/registry.h"

struct bp_store;

struct bp_patrol {
    bp_uuid id;
    int32_t day;              /* local date of the patrol */
    bp_uuid station_id;       /* may be "" */
    enum bp_patrol_kind kind;
    char *leader;             /* owned; may be NULL */
    char *officers;           /* owned; names, comma separated; may be NULL */
    char *note;               /* owned; may be NULL */
    bp_uuid *custodians;      /* owned; participating custodians */
    size_t ncustodians;
    /* Filled by get and list, ignored by put: */
    size_t ntracks;
    double walked_m;   /* union of its tracks' walked spans */
    double travelled_m, duration_s, farthest_m;
    unsigned flags;    /* union of its tracks' quality flags */
    int verified;      /* 1 when every flagged track is approved */
};

/** Free the owned members; the record is zeroed. */
void bp_patrol_release(struct bp_patrol *p);

/**
 * Insert or update a patrol. The day is required; station and every
 * participant must exist: BP_ENOTFOUND with field "station_id" or
 * "participants" naming the id otherwise. BP_EINVAL, BP_ESTORE, BP_ENOMEM.
 */
int bp_store_patrol_put(struct bp_store *st, struct bp_patrol *p,
                        struct bp_error *err);
/** By id. Caller's `p` (release with bp_patrol_release()). BP_ENOTFOUND. */
int bp_store_patrol_get(struct bp_store *st, const char *id,
                        struct bp_patrol *p, struct bp_error *err);
/** Patrols on days [from_day, to_day] (BP_DATE_NONE: open), by day. */
int bp_store_patrol_list(struct bp_store *st, int32_t from_day,
                         int32_t to_day, struct bp_patrol **v, size_t *n,
                         struct bp_error *err);
void bp_store_patrol_list_free(struct bp_patrol *v, size_t n);

/**
 * Approve the flagged tracks of a patrol (by patrol id) or one track (by
 * track id), recording who (`by`, may be NULL). Sets `*napproved` (may be
 * NULL). BP_ENOTFOUND when the id is neither.
 */
int bp_store_patrol_approve(struct bp_store *st, const char *id,
                            const char *by, size_t *napproved,
                            struct bp_error *err);

/** A stored track, without its fixes. */
struct bp_track_info {
    bp_uuid id, patrol_id;
    char *file;      /* owned; as imported */
    char *flag_note; /* owned; the flags described, "; "-separated */
    char hash[17];   /* content hash, hex */
    size_t nfix, nkept;
    double walked_m, travelled_m, duration_s, farthest_m;
    int64_t start_ms, end_ms; /* or BP_TIME_NONE */
    unsigned flags;
    int approved;
};
void bp_track_info_release(struct bp_track_info *t);
int bp_store_track_list(struct bp_store *st, const char *patrol_id,
                        struct bp_track_info **v, size_t *n,
                        struct bp_error *err);
void bp_store_track_list_free(struct bp_track_info *v, size_t n);
/** A stored track's fixes into the caller's initialised track. */
int bp_store_track_load(struct bp_store *st, const char *track_id,
                        struct bp_track *t, struct bp_error *err);
/**
 * The walked spans of a patrol (union of its tracks; only the counted ones
 * when `counted_only`) into the caller's initialised set (normal).
 */
int bp_store_patrol_spans(struct bp_store *st, const char *patrol_id,
                          int counted_only, struct bp_spanset *out,
                          struct bp_error *err);

/** The id of the track imported from the file with content hash `hash`
 *  into `track_id` and its patrol into `patrol_id` (either may be NULL):
 *  0, or BP_ENOTFOUND. */
int bp_store_track_find(struct bp_store *st, uint64_t hash, bp_uuid track_id,
                        bp_uuid patrol_id, struct bp_error *err);

/** What importing a track did. */
struct bp_track_result {
    int duplicate;           /* same file imported before: skipped */
    bp_uuid track_id;        /* the new track, or the earlier one */
    bp_uuid duplicate_of;    /* for DUPLICATE and REPLAY flags */
    struct bp_walk walk;     /* caller inits (bp_walk_init) and releases */
    struct bp_quality quality;
    size_t visits;           /* markers visited */
};

/**
 * Import a parsed track (`t`, borrowed) read from `bytes` of file `file`
 * into patrol `patrol_id`: if a file with the same content was imported
 * before, sets res->duplicate and res->track_id and writes nothing;
 * otherwise walks it along the stored border (`o` may be NULL for the
 * defaults), checks its quality against the patrol's day and `now_ms`,
 * flags tracks with the same fixes (DUPLICATE) or the same positions at
 * other times (REPLAY) as a stored one, stores it with its fixes and
 * spans, and records a visit (an inspection with condition
 * BP_COND_VISIT) of every marker a fix passes within the visit radius.
 * Fills `res`. 0, BP_ENOTFOUND (patrol, or no border), BP_EINVAL (no
 * fixes), BP_ESTORE, BP_ENOMEM.
 */
int bp_store_track_import(struct bp_store *st, const char *patrol_id,
                          const struct bp_walk_opts *o, int64_t now_ms,
                          const char *file, const void *bytes, size_t len,
                          const struct bp_track *t,
                          struct bp_track_result *res, struct bp_error *err);

/** Verification inputs with the names to show them, from the store. */
struct bp_verify_data {
    struct bp_verify_input in;
    struct bp_vpledge *pledges;
    bp_uuid *pledge_id;
    uint32_t *pledge_station; /* witnessing or commune's station, or
                                 UINT32_MAX */
    struct bp_vpatrol *patrols;
    struct bp_span *spans;    /* all patrols' spans */
    uint32_t *members;        /* all patrols' participants */
    bp_uuid *custodian_id;
    char **custodian_name;
    uint32_t *custodian_commune; /* or UINT32_MAX */
    size_t ncustodians;
    bp_uuid *commune_id;
    char **commune_name;
    size_t ncommunes;
    bp_uuid *station_id;
    char **station_name;
    size_t nstations;
};
/** Load everything verification needs, as of now. Release with
 *  bp_verify_data_release(). */
int bp_store_verify_load(struct bp_store *st, struct bp_verify_data *d,
                         struct bp_error *err);
void bp_verify_data_release(struct bp_verify_data *d);

/** A marker inspection, or a visit by a track (condition BP_COND_VISIT). */
struct bp_inspection {
    bp_uuid id;
    char marker[64];   /* on add: the marker's id, number or key; on
                          get/list: its number as written */
    int32_t day;
    char *inspectors;  /* owned; may be NULL */
    enum bp_condition condition;
    double lon, lat;   /* the inspector's GPS fix, or NAN */
    double distance_m; /* of the fix from the marker, or NAN */
    int far;           /* the fix is farther than the radius: flagged */
    char *photo;       /* owned; photo file reference; may be NULL */
    char *note;        /* owned; may be NULL */
    bp_uuid patrol_id; /* may be "" */
};
void bp_inspection_release(struct bp_inspection *r);

/**
 * Add an inspection: the marker must exist (BP_ENOTFOUND naming it); a
 * fix farther than `radius_m` from the marker sets `far` (flagged, not
 * rejected). Fills rec->id, distance_m and far. BP_EINVAL, BP_ESTORE.
 */
int bp_store_inspection_add(struct bp_store *st, struct bp_inspection *rec,
                            double radius_m, struct bp_error *err);
/** Inspections of one marker (`marker` id/number, or NULL for all), newest
 *  first; visits too when `visits`. */
int bp_store_inspection_list(struct bp_store *st, const char *marker,
                             int visits, struct bp_inspection **v,
                             size_t *n, struct bp_error *err);
void bp_store_inspection_list_free(struct bp_inspection *v, size_t n);

/** A marker not inspected or visited recently. */
struct bp_marker_due {
    bp_uuid marker_id;
    char number[32];
    double measure_m;
    int32_t last_day; /* or BP_DATE_NONE: never */
};
/**
 * Markers (not ended) with no inspection or visit in the `days` days up to
 * `as_of` (last on as_of - days or earlier, or never), by measure.
 */
int bp_store_marker_overdue(struct bp_store *st, int32_t as_of, int days,
                            struct bp_marker_due **v, size_t *n,
                            struct bp_error *err);

struct bp_incident {
    bp_uuid id;
    enum bp_incident_kind kind;
    int64_t at_s;      /* when it happened, Unix seconds */
    double lon, lat;   /* given, or derived from the marker */
    char marker[64];   /* on add: id/number of a marker, or ""; on get:
                          the marker's number or "" */
    double offset_m;   /* along the measure from the marker */
    double measure_m;  /* derived */
    bp_uuid reporter_custodian; /* may be "" */
    bp_uuid reporter_patrol;    /* may be "" */
    int severity;      /* 1 (minor) .. 5 (grave) */
    enum bp_incident_status status;
    char *description; /* owned; may be NULL */
    char *resolution;  /* owned; may be NULL */
};
void bp_incident_release(struct bp_incident *r);

struct bp_incident_event {
    int64_t at_s;
    enum bp_incident_status status;
    char *note; /* owned; may be NULL */
};
void bp_incident_events_free(struct bp_incident_event *v, size_t n);

/**
 * Add an incident placed by lon/lat or by marker + offset (the other is
 * derived with the stored border); status starts as given (normally
 * BP_INC_NEW) and is the first history event. BP_EINVAL (no place, bad
 * severity), BP_ENOTFOUND (marker, reporter), BP_ESTORE.
 */
int bp_store_incident_add(struct bp_store *st, struct bp_incident *rec,
                          struct bp_error *err);
/** By id, with its history (oldest first; `ev` may be NULL). */
int bp_store_incident_get(struct bp_store *st, const char *id,
                          struct bp_incident *rec,
                          struct bp_incident_event **ev, size_t *nev,
                          struct bp_error *err);
/** Incidents, newest first; only those with `status` unless it is -1. */
int bp_store_incident_list(struct bp_store *st, int status,
                           struct bp_incident **v, size_t *n,
                           struct bp_error *err);
void bp_store_incident_list_free(struct bp_incident *v, size_t n);
/**
 * Change an incident's status at `at_s`, with a note for the history and,
 * when not NULL, its resolution note. BP_ENOTFOUND.
 */
int bp_store_incident_update(struct bp_store *st, const char *id,
                             enum bp_incident_status status, int64_t at_s,
                             const char *note, const char *resolution,
                             struct bp_error *err);

#endif
