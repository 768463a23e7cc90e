/* SPDX-License-Identifier: MIT */
/*
 * Patrols, pure: GPS fixes to walked stretches of the border, track
 * quality flags, verified kilometres of pledges, overdue stretches, marker
 * visits, and the names of patrol kinds, marker conditions and incident
 * kinds and statuses. No database, HTTP or JSON in here.
 *
 *     struct bp_walk w;
 *     bp_walk_init(&w);
 *     bp_walk_compute(border, t.fix, t.n, NULL, &w, &err);
 *     printf("%.3f km walked\n", w.walked_m / 1000);
 *     bp_walk_release(&w);
 *
 * Walked stretches: each fix is projected onto the line; fixes farther
 * from it than `corridor_m` are dropped; two consecutive kept fixes are
 * joined into a walked span [min, max) of their measures when they are at
 * most `join_m` apart in measure and `join_s` apart in time (fixes without
 * a time are joined by measure alone). A lone fix walks nothing.
 */
#ifndef BIENPHONG_PATROL_H
#define BIENPHONG_PATROL_H

#include <stddef.h>
#include <stdint.h>

#include "bienphong/error.h"
#include "bienphong/fmt.h"
#include "bienphong/geo.h"
#include "bienphong/gpx.h"
#include "bienphong/span.h"

/** Settings of the walk and of the quality checks. */
struct bp_walk_opts {
    double corridor_m;     /* fixes farther from the line dropped (500) */
    double join_m;         /* join when this close in measure (250) */
    double join_s;         /* ... and in time (600 s: phones in power-save
                              record every 300 s) */
    double max_speed_kmh;  /* sustained faster is no walker (15) */
    double speed_window_s; /* over at least this long (120 s) */
    double jump_kmh;       /* one step faster is no vehicle (200) */
    double jump_m;         /* a step longer with no time is a jump (2000) */
    int far_days;          /* fix dates further from the patrol's day (1) */
    double future_s;       /* tolerance of clocks ahead of now (600) */
    double visit_radius_m; /* a fix this near a marker visits it (30) */
};

/** The defaults above. */
void bp_walk_opts_default(struct bp_walk_opts *o);

/** What a track walked. */
struct bp_walk {
    struct bp_spanset spans; /* normal: the stretches walked */
    double walked_m;         /* length of `spans` */
    double travelled_m;      /* geodesic length of the track, all fixes */
    double farthest_m;       /* largest |offset| of a kept fix, metres */
    double duration_s;       /* last time minus first time, 0 without */
    int64_t start_ms, end_ms; /* first and last known times, or
                                 BP_TIME_NONE */
    size_t nfix, nkept;
    size_t nearest;   /* index of the fix nearest the line */
    double nearest_m; /* its distance from the line (|offset|) */
};

void bp_walk_init(struct bp_walk *w);
void bp_walk_release(struct bp_walk *w);

/**
 * Walk a track of `n` fixes (borrowed) along border `b`: fills the
 * caller's initialised `w` (its old spans replaced). `o` may be NULL for
 * the defaults. Fixes at 0,0 or out of range are not kept. 0, BP_EINVAL
 * (NULL `b` or `w`, or `fix` NULL with n > 0), BP_ENOMEM (w emptied).
 * Thread-safe for distinct `w`.
 */
int bp_walk_compute(const struct bp_border *b, const struct bp_fix *fix,
                    size_t n, const struct bp_walk_opts *o,
                    struct bp_walk *w, struct bp_error *err);

/*
 * Track quality. A flagged track is kept but counts as verified only after
 * a user approves it.
 */
enum bp_tq_flag {
    BP_TQ_NO_TIME = 1u << 0,    /* fixes without a time */
    BP_TQ_UNORDERED = 1u << 1,  /* a time before the one before it */
    BP_TQ_SPEED = 1u << 2,      /* sustained speed over max_speed_kmh */
    BP_TQ_JUMP = 1u << 3,       /* one step no vehicle makes */
    BP_TQ_FUTURE = 1u << 4,     /* times after now */
    BP_TQ_FAR_DATE = 1u << 5,   /* dates far from the patrol's day */
    BP_TQ_DUPLICATE = 1u << 6,  /* the same fixes as another track */
    BP_TQ_REPLAY = 1u << 7,     /* another track's fixes shifted in time */
    BP_TQ_ZERO = 1u << 8,       /* points at 0,0 */
    BP_TQ_FAR_BORDER = 1u << 9, /* no fix within the corridor */
};
#define BP_TQ_NFLAGS 10

/** The flags raised, and for each the first fix that raised it. */
struct bp_quality {
    unsigned flags;
    size_t at[BP_TQ_NFLAGS];    /* fix index, by bit number */
    double value[BP_TQ_NFLAGS]; /* km/h, metres, days ... by bit number */
};

/**
 * Check `n` fixes of a patrol on local day `day` (BP_DATE_NONE: no date
 * check) at time `now_ms` (Unix ms): every flag but DUPLICATE, REPLAY and
 * FAR_BORDER, which need other tracks or the border (the store and
 * bp_walk_compute() give them). Fills `*q`. Never fails, never allocates.
 */
void bp_track_quality(const struct bp_fix *fix, size_t n, int32_t day,
                      int64_t now_ms, const struct bp_walk_opts *o,
                      struct bp_quality *q);

/** Bit number (0..BP_TQ_NFLAGS-1) of a single flag. */
int bp_tq_bit(unsigned flag);
/** Code name of flag bit `bit` ("speed"), Vietnamese ("tốc độ quá cao"). */
const char *bp_tq_name(int bit);
const char *bp_tq_vi(int bit);

/**
 * Describe flag bit `bit` of `q` for people, naming the point:
 * "point 12: 42,5 km/h over 2 minutes" / "điểm 12: ...". Writes at most
 * `size` bytes into `out`; returns `out`.
 */
char *bp_tq_describe(const struct bp_quality *q, int bit, enum bp_lang lang,
                     char *out, size_t size);

/** Hashes of a track, to find it again. */
struct bp_track_hash {
    uint64_t content; /* of the file's bytes: the same upload */
    uint64_t shape;   /* positions rounded to 1e-6 degrees */
    uint64_t timed;   /* positions and times to the second */
};

/** Hash `len` bytes of the file and its `n` fixes. Never fails. */
void bp_track_hashes(const void *bytes, size_t len, const struct bp_fix *fix,
                     size_t n, struct bp_track_hash *h);

/*
 * Verification: which pledged kilometres patrols walked. Inputs are
 * compact views tied together by indices, like coverage's.
 */
struct bp_vpledge {
    double from_m, to_m;
    int32_t signed_on, ended_on; /* ended_on BP_DATE_NONE while active */
    uint32_t custodian;          /* index into the custodians */
};

struct bp_vpatrol {
    int32_t day;
    const struct bp_span *spans; /* walked, normal; borrowed */
    size_t nspans;
    const uint32_t *custodians; /* participants; borrowed */
    size_t ncustodians;
    int counted; /* 0 when its tracks are flagged and not approved */
};

struct bp_verify_input {
    const struct bp_vpledge *pledges;
    size_t npledges;
    const struct bp_vpatrol *patrols;
    size_t npatrols;
    size_t ncustodians;
};

/** A walked part of a pledge and the last day it was walked. */
struct bp_walked_part {
    double from_m, to_m;
    int32_t last_day; /* BP_DATE_NONE: never walked (overdue lists) */
};

/** One pledge's figures for a period. */
struct bp_pledge_verify {
    int active;      /* active on some day of the period */
    double pledged_m; /* its length when active, else 0 */
    double walked_m;  /* walked by patrols it took part in */
    size_t patrols;   /* counted patrols of its custodian on its stretch */
    int32_t last_day; /* last day any part was walked, or BP_DATE_NONE */
    struct bp_walked_part *parts; /* in measure order; owned */
    size_t nparts;
};

struct bp_verify {
    int32_t from_day, to_day;
    struct bp_pledge_verify *pledges; /* npledges, input order */
    size_t npledges;
    double pledged_m, walked_m; /* sums over the pledges */
};

/**
 * Verify pledges for the days [from_day, to_day] (inclusive; either may
 * be BP_DATE_NONE for open): a pledge's walked stretch is the union of
 * its span intersected with the spans of counted patrols on days in the
 * period while it was active, in which its custodian took part. Fills
 * the caller's `out` (release with bp_verify_release()). 0, BP_EINVAL
 * (indices out of range, spans not normal), BP_ENOMEM (out untouched).
 * O(P log P + L) for P pledges and L participations.
 */
int bp_verify_compute(const struct bp_verify_input *in, int32_t from_day,
                      int32_t to_day, struct bp_verify *out,
                      struct bp_error *err);
void bp_verify_release(struct bp_verify *v);

/** Figures of a group of pledges (a custodian, commune or station). */
struct bp_verify_group {
    double pledged_m; /* union of the active pledges' stretches */
    double walked_m;  /* union of their walked stretches */
    size_t pledges;   /* active pledges */
    int32_t last_day;
};

/**
 * Sum `v` by group: `group[i]` is pledge i's group in [0, ngroups), or
 * UINT32_MAX for none. Stretches are united, so overlaps count once.
 * Fills `out[0..ngroups)`. 0, BP_EINVAL, BP_ENOMEM.
 */
int bp_verify_group_by(const struct bp_verify_input *in,
                       const struct bp_verify *v, const uint32_t *group,
                       size_t ngroups, struct bp_verify_group *out,
                       struct bp_error *err);

/** A pledged stretch not walked recently. */
struct bp_overdue {
    size_t pledge; /* index into the input pledges */
    double from_m, to_m;
    int32_t last_day; /* last walked, or BP_DATE_NONE: never */
};

/**
 * The stretches of pledges active on `as_of` that the custodian's counted
 * patrols have not walked in the `days` days up to `as_of` (a stretch last
 * walked on as_of - days is overdue), in pledge order then measure order,
 * with the day each was last walked. Sets `*out` (caller owns; bp_free();
 * NULL when none) and `*n`. 0, BP_EINVAL, BP_ENOMEM.
 */
int bp_overdue_compute(const struct bp_verify_input *in, int32_t as_of,
                       int days, struct bp_overdue **out, size_t *n,
                       struct bp_error *err);

/** A marker visited by a track. */
struct bp_visit {
    size_t marker;     /* index into the markers given */
    size_t fix;        /* the nearest fix */
    double distance_m; /* its geodesic distance from the marker */
};

/**
 * The markers among `nm` (positions borrowed) that a fix of the track
 * passes within `radius_m` of, each once with its nearest fix, in marker
 * order. Sets `*out` (caller owns; bp_free(); NULL when none) and `*n`.
 * 0, BP_EINVAL, BP_ENOMEM. O((F + M) log M).
 */
int bp_marker_visits(const struct bp_lonlat *markers, size_t nm,
                     const struct bp_fix *fix, size_t n, double radius_m,
                     struct bp_visit **out, size_t *nout);

/* Kinds and states, with code names, Vietnamese names and parsers that
 * take either (diacritics optional). Parsers: 0 or BP_EINVAL. */
enum bp_patrol_kind { BP_PATROL_JOINT = 0, BP_PATROL_STATION,
                      BP_PATROL_BILATERAL };
enum bp_condition {
    BP_COND_INTACT = 0, /* nguyên vẹn */
    BP_COND_DAMAGED,    /* hư hỏng */
    BP_COND_TILTED,     /* nghiêng */
    BP_COND_OBSCURED,   /* bị che khuất */
    BP_COND_MISSING,    /* mất */
    BP_COND_DISPLACED,  /* di lệch */
    BP_COND_VISIT       /* a track passed by: no condition recorded */
};
enum bp_incident_kind {
    BP_INC_CROSSING = 0, /* vượt biên trái phép */
    BP_INC_SMUGGLING,    /* buôn lậu */
    BP_INC_ENCROACHMENT, /* xâm canh xâm cư */
    BP_INC_MARKER,       /* hư hại mốc */
    BP_INC_FIRE,         /* cháy rừng */
    BP_INC_OTHER         /* khác */
};
enum bp_incident_status { BP_INC_NEW = 0, BP_INC_IN_PROGRESS,
                          BP_INC_RESOLVED };

const char *bp_patrol_kind_name(enum bp_patrol_kind k);
const char *bp_patrol_kind_vi(enum bp_patrol_kind k);
int bp_patrol_kind_parse(const char *s, enum bp_patrol_kind *out);
const char *bp_condition_name(enum bp_condition c);
const char *bp_condition_vi(enum bp_condition c);
int bp_condition_parse(const char *s, enum bp_condition *out);
const char *bp_incident_kind_name(enum bp_incident_kind k);
const char *bp_incident_kind_vi(enum bp_incident_kind k);
int bp_incident_kind_parse(const char *s, enum bp_incident_kind *out);
const char *bp_incident_status_name(enum bp_incident_status s);
const char *bp_incident_status_vi(enum bp_incident_status s);
int bp_incident_status_parse(const char *s, enum bp_incident_status *out);

#endif
