/* SPDX-License-Identifier: MIT */
/*
 * The registry: stations, communes, villages, boundary markers, custodians
 * (households and collectives) and their pledges to co-manage stretches of
 * the border, and the figures computed from them as of any date: km
 * co-managed (overlaps counted once), custodians and markers pledged, per
 * commune and station, gaps and overlaps, and year-by-year series.
 *
 * The records are plain structs; the store (store.h) keeps them. The
 * computations here are pure: they take arrays and a date and return
 * figures, with no database, HTTP or JSON.
 *
 * Dates are local day numbers (date.h); BP_DATE_NONE means "no date"
 * (e.g. a pledge still active). A pledge is active on day D when
 * signed_on <= D and (ended_on is none or D < ended_on): it ends at the
 * start of its end date.
 */
#ifndef BIENPHONG_REGISTRY_H
#define BIENPHONG_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "bienphong/error.h"
#include "bienphong/span.h"

#define BP_DATE_NONE INT32_MIN
#define BP_UUID_LEN 36 /* text form, without the NUL */

/** A record's identity: a UUID (text, lower case) for the API and files. */
typedef char bp_uuid[BP_UUID_LEN + 1];

/** Make a random (version 4) UUID. 0, or BP_EIO when no randomness. */
int bp_uuid_make(bp_uuid out);
/** 1 when `s` is a UUID in text form (any case), else 0. */
int bp_uuid_valid(const char *s);

/**
 * The normalised key of a marker number, for comparison: "1116", "1116/1",
 * "1117(2)" as written; spaces dropped, "Mốc"/"moc"/"M." prefixes dropped,
 * leading zeros of each number dropped, "(2)" and "/2" kept distinct,
 * letters lower-cased. Writes at most `size` bytes into `out`, always
 * NUL-terminated; returns BP_EINVAL when no number is left (e.g. "" or
 * "mốc").
 */
int bp_marker_key(const char *number, char *out, size_t size);

enum bp_marker_kind { BP_MARKER_MAIN = 0, BP_MARKER_SUB, BP_MARKER_TWIN };
enum bp_custodian_kind { BP_HOUSEHOLD = 0, BP_COLLECTIVE };
enum bp_collective_kind {
    BP_COLL_YOUTH_UNION = 0, /* chi đoàn thanh niên */
    BP_COLL_SELF_MANAGED,    /* tổ tự quản */
    BP_COLL_MILITIA,         /* dân quân */
    BP_COLL_SCHOOL,          /* trường học */
    BP_COLL_WOMEN_UNION,     /* hội phụ nữ */
    BP_COLL_UNIT,            /* đơn vị */
    BP_COLL_OTHER            /* khác */
};

/** Names for the enums: code name ("main"), Vietnamese, English. */
const char *bp_marker_kind_name(enum bp_marker_kind k);
const char *bp_marker_kind_vi(enum bp_marker_kind k);
const char *bp_collective_kind_name(enum bp_collective_kind k);
const char *bp_collective_kind_vi(enum bp_collective_kind k);
/** Parse a code name or a Vietnamese name (diacritics optional). */
int bp_marker_kind_parse(const char *s, enum bp_marker_kind *out);
int bp_collective_kind_parse(const char *s, enum bp_collective_kind *out);

/**
 * One end of a stretch: at a marker plus an offset along the measure
 * ("mốc 1120 + 350 m"), or at a measure ("km 80,350"). When `marker_key`
 * is non-empty the anchor is the marker's and `measure_m` is derived from
 * it (and recomputed when markers move); otherwise `measure_m` is the
 * anchor itself.
 */
struct bp_anchor {
    char marker_key[32]; /* bp_marker_key(); "" when anchored by km */
    double offset_m;     /* along the measure from the marker, may be < 0 */
    double measure_m;    /* calibrated measure, derived or given */
};

struct bp_station {
    bp_uuid id;
    char *code; /* owned; short code, unique, e.g. "BN" */
    char *name; /* owned; "Đồn Biên phòng Bình Nghi" */
    int32_t ended_on;
};

struct bp_commune {
    bp_uuid id;
    char *code;     /* owned; official GSO code, unique, e.g. "06061" */
    char *name;     /* owned; "Xã Quốc Khánh" */
    char *district; /* owned; "Tràng Định" */
    bp_uuid station_id;
    struct bp_anchor from, to; /* its stretch of the border */
    int32_t ended_on;
};

struct bp_village {
    bp_uuid id;
    char *name; /* owned */
    bp_uuid commune_id;
    int32_t ended_on;
};

struct bp_marker {
    bp_uuid id;
    char *number; /* owned; as written, "1117(2)" */
    char key[32]; /* bp_marker_key(number) */
    enum bp_marker_kind kind;
    double lon, lat;
    double measure_m;   /* snapped with the measure engine */
    double offset_m;    /* its distance from the line, signed */
    double official_m;  /* official measure when known, else NAN; markers
                           with one are the measure's calibration points */
    int32_t ended_on;
};

struct bp_custodian {
    bp_uuid id;
    enum bp_custodian_kind kind;
    char *name;  /* owned; head of household's full name, or the
                    collective's name */
    enum bp_collective_kind collective_kind; /* collectives only */
    int members;                             /* households: people */
    bp_uuid village_id;                      /* households; may be "" */
    bp_uuid commune_id;
    char *phone;      /* owned; may be NULL */
    char *citizen_id; /* owned; 12 digits (CCCD) or 9 (old CMND); may be NULL */
    char *contact;    /* owned; collectives: contact person; may be NULL */
    int32_t ended_on;
};

struct bp_pledge {
    bp_uuid id;
    bp_uuid custodian_id;
    struct bp_anchor from, to; /* the stretch; from.measure_m < to.measure_m */
    int32_t signed_on;
    int32_t ended_on; /* BP_DATE_NONE while active */
    bp_uuid station_id; /* witnessing station; may be "" */
    char *doc_no;       /* owned; document number; may be NULL */
    char *note;         /* owned; may be NULL */
};

/** Free the owned strings of a record (the struct itself is the caller's). */
void bp_station_release(struct bp_station *r);
void bp_commune_release(struct bp_commune *r);
void bp_village_release(struct bp_village *r);
void bp_marker_release(struct bp_marker *r);
void bp_custodian_release(struct bp_custodian *r);
void bp_pledge_release(struct bp_pledge *r);

/**
 * Validate a citizen ID: 12 digits (căn cước công dân) or 9 digits (old
 * chứng minh nhân dân). 0 or BP_EINVAL.
 */
int bp_citizen_id_check(const char *s);

/** 1 when a pledge (or any dated record) is active on `day`. */
int bp_active_on(int32_t signed_on, int32_t ended_on, int32_t day);

/*
 * Coverage. The inputs are compact views of the records, so a caller can
 * fill them straight from a database query; indices tie them together.
 */

/** A pledge as coverage sees it. */
struct bp_cov_pledge {
    double from_m, to_m;
    int32_t signed_on, ended_on;
    uint32_t custodian; /* index into the custodian views */
};

/** A custodian as coverage sees it. */
struct bp_cov_custodian {
    enum bp_custodian_kind kind;
    uint32_t commune; /* index into the commune views, or UINT32_MAX */
};

/** A commune as coverage sees it. */
struct bp_cov_commune {
    double from_m, to_m; /* its stretch */
    uint32_t station;    /* index into the stations, or UINT32_MAX */
};

struct bp_cov_input {
    double length_m; /* the border's calibrated (official) length */
    const struct bp_cov_pledge *pledges;
    size_t npledges;
    const struct bp_cov_custodian *custodians;
    size_t ncustodians;
    const struct bp_cov_commune *communes;
    size_t ncommunes;
    size_t nstations;
    const double *marker_m; /* measures of the (not ended) markers, sorted */
    size_t nmarkers;
};

/** Figures for the whole border, a commune or a station. */
struct bp_cov_figures {
    double length_m;   /* of the border, commune or station stretch */
    double covered_m;  /* union of active pledges within it */
    size_t households; /* with an active pledge (by custodian's commune) */
    size_t collectives;
    size_t markers_pledged; /* markers inside the union */
    size_t markers_total;
};

struct bp_coverage {
    int32_t as_of;
    struct bp_cov_figures total;
    struct bp_cov_figures *communes; /* ncommunes entries, input order */
    size_t ncommunes;
    struct bp_cov_figures *stations; /* nstations entries */
    size_t nstations;
    struct bp_spanset covered; /* normal: the union of active pledges */
};

/**
 * Compute coverage as of `as_of`. `out` is the caller's storage, filled on
 * success (release with bp_coverage_release()). BP_EINVAL on bad input
 * (indices out of range), BP_ENOMEM. Linear-logarithmic in the number of
 * pledges.
 */
int bp_coverage_compute(const struct bp_cov_input *in, int32_t as_of,
                        struct bp_coverage *out, struct bp_error *err);
void bp_coverage_release(struct bp_coverage *c);

/**
 * Whole-border figures (the `total` of bp_coverage_compute()) on each of
 * `ndays` days, e.g. every 3 March of a review period: fills the caller's
 * `totals[0..ndays)` on success, untouched on failure. One sort per day;
 * the working memory is reused between days. 0, BP_EINVAL (as
 * bp_coverage_compute(), or NULL `days`/`totals` with ndays > 0),
 * BP_ENOMEM.
 */
int bp_coverage_series(const struct bp_cov_input *in, const int32_t *days,
                       size_t ndays, struct bp_cov_figures *totals,
                       struct bp_error *err);

/** An unpledged stretch. */
struct bp_gap {
    double from_m, to_m;
    long marker_before; /* index into marker_m of the last marker at or
                           before from_m, or -1 */
    long marker_after;  /* index of the first marker at or after to_m, or -1 */
    long commune;       /* index of the commune holding most of it, or -1 */
};

/**
 * The gaps as of `as_of`: [0, length) minus the union of active pledges.
 * Sets `*gaps` (caller owns; bp_free(); NULL when there are none) and
 * `*n`, in measure order. 0, BP_EINVAL (as bp_coverage_compute()),
 * BP_ENOMEM; out-parameters untouched on failure.
 */
int bp_coverage_gaps(const struct bp_cov_input *in, int32_t as_of,
                     struct bp_gap **gaps, size_t *n, struct bp_error *err);

/** A stretch pledged by more than one custodian. */
struct bp_overlap {
    double from_m, to_m;
    uint32_t *custodians; /* owned by the overlap list; distinct indices */
    size_t ncustodians;
};

/**
 * Every maximal stretch where two or more distinct custodians have active
 * pledges as of `as_of`, with the custodians (stretches with a different
 * set of custodians are separate). Sets `*out` and `*n`; free with
 * bp_overlaps_free(). Two pledges of the same custodian do not overlap.
 * Stretches are clipped to [0, length_m) like the union, in measure
 * order; each entry's custodians are sorted ascending; `*out` is NULL
 * when there are none. 0, BP_EINVAL (as bp_coverage_compute()),
 * BP_ENOMEM; out-parameters untouched on failure. O(P log P + output).
 */
int bp_coverage_overlaps(const struct bp_cov_input *in, int32_t as_of,
                         struct bp_overlap **out, size_t *n,
                         struct bp_error *err);
void bp_overlaps_free(struct bp_overlap *v, size_t n);

#endif
