/* SPDX-License-Identifier: MIT */
/*
 * The campaign and the community models: the special fundraising campaign
 * for the marker-inspection patrol road (donations in cash, in kind and in
 * labour days; spending; the ledger), the road projects and their
 * progress in kilometres, the bamboo belt, the patrol-road lights, the
 * 3 March activities and the commendations with suggestions for the next
 * round.
 *
 * Records are plain structs that the store keeps (store_campaign.h); the
 * computations here are pure functions of arrays, with no database, HTTP
 * or JSON. Money is integer đồng in `int64_t`, never floating point, and
 * every sum is overflow-checked (BP_EOVERFLOW). Dates are local day
 * numbers (date.h); BP_DATE_NONE means none. Lengths are metres.
 */
#ifndef BIENPHONG_CAMPAIGN_H
#define BIENPHONG_CAMPAIGN_H

#include <stddef.h>
#include <stdint.h>

#include "bienphong/error.h"
#include "bienphong/fmt.h"
#include "bienphong/geo.h"
#include "bienphong/registry.h"
#include "bienphong/span.h"

/* ---- money ---- */

/** a + b, a - b, a * b into `*out`; BP_EOVERFLOW (out untouched). */
int bp_money_add(int64_t a, int64_t b, int64_t *out);
int bp_money_sub(int64_t a, int64_t b, int64_t *out);
int bp_money_mul(int64_t a, int64_t b, int64_t *out);

/**
 * Parse an amount of đồng as people type it: "1250000", "1.250.000",
 * "1,250,000", "1 250 000", optionally followed by "đ", "đồng", "d",
 * "VND" or "vnđ". Returns 0 and sets `*out`; BP_ERANGE for a negative
 * amount; BP_EPARSE for a fractional amount ("1250000,5", "12,5") or
 * anything that is not a number; BP_EOVERFLOW beyond INT64_MAX. `*out`
 * untouched on failure.
 */
int bp_money_parse(const char *s, int64_t *out);

/**
 * Write "1.250.000 đ" (vi) or "1,250,000 VND" (en) into `out` of `size`
 * bytes, always NUL-terminated; returns `out`.
 */
char *bp_money_format(int64_t vnd, enum bp_lang lang, char *out, size_t size);

/* ---- records ---- */

enum bp_donor_kind {
    BP_DONOR_ORGANISATION = 0, /* cơ quan, tổ chức */
    BP_DONOR_ENTERPRISE,       /* doanh nghiệp */
    BP_DONOR_UNIT,             /* đơn vị (lực lượng vũ trang, ...) */
    BP_DONOR_INDIVIDUAL,       /* cá nhân */
    BP_DONOR_NKINDS
};
enum bp_donation_status { BP_PROMISED = 0, BP_RECEIVED };
enum bp_donation_form { BP_CASH = 0, BP_IN_KIND, BP_LABOUR };
enum bp_road_kind {
    BP_ROAD_ALONG = 0, /* a stretch of patrol road along the border line */
    BP_ROAD_PATH       /* an inspection path off the line, own geometry */
};
enum bp_light_kind { BP_LIGHT_SOLAR = 0, BP_LIGHT_GRID, BP_LIGHT_OTHER };
enum bp_recipient_kind {
    BP_RECIP_PERSON = 0,
    BP_RECIP_HOUSEHOLD,
    BP_RECIP_COLLECTIVE,
    BP_RECIP_UNIT
};
enum bp_award_level {
    BP_AWARD_BK_PROVINCE = 0, /* Bằng khen của Chủ tịch UBND tỉnh */
    BP_AWARD_BK_BORDER_GUARD, /* Bằng khen của Bộ Chỉ huy BĐBP tỉnh */
    BP_AWARD_GK_DISTRICT,     /* Giấy khen của Chủ tịch UBND huyện */
    BP_AWARD_GK_STATION,      /* Giấy khen của Đồn Biên phòng */
    BP_AWARD_OTHER
};

/*
 * Names of the enums: a code name ("enterprise"), Vietnamese, English;
 * parse accepts the code name, the Vietnamese (diacritics optional) or
 * the English. Parse returns 0 or BP_EINVAL (`*out` untouched).
 */
const char *bp_donor_kind_name(enum bp_donor_kind k);
const char *bp_donor_kind_vi(enum bp_donor_kind k);
const char *bp_donor_kind_en(enum bp_donor_kind k);
int bp_donor_kind_parse(const char *s, enum bp_donor_kind *out);
const char *bp_donation_status_name(enum bp_donation_status k);
int bp_donation_status_parse(const char *s, enum bp_donation_status *out);
const char *bp_donation_form_name(enum bp_donation_form k);
const char *bp_donation_form_vi(enum bp_donation_form k);
int bp_donation_form_parse(const char *s, enum bp_donation_form *out);
const char *bp_light_kind_name(enum bp_light_kind k);
const char *bp_light_kind_vi(enum bp_light_kind k);
int bp_light_kind_parse(const char *s, enum bp_light_kind *out);
const char *bp_recipient_kind_name(enum bp_recipient_kind k);
const char *bp_recipient_kind_vi(enum bp_recipient_kind k);
int bp_recipient_kind_parse(const char *s, enum bp_recipient_kind *out);
const char *bp_award_level_name(enum bp_award_level k);
const char *bp_award_level_vi(enum bp_award_level k);
const char *bp_award_level_en(enum bp_award_level k);
int bp_award_level_parse(const char *s, enum bp_award_level *out);

struct bp_campaign {
    bp_uuid id;
    char *name; /* owned */
    int32_t starts_on, ends_on; /* ends_on may be BP_DATE_NONE */
    int64_t goal_vnd;           /* money to raise; 0 when none */
    double goal_road_m;         /* road to build; 0 when none */
    int64_t labour_day_vnd;     /* value of one labour day (ngày công) */
    char *note;                 /* owned; may be NULL */
};

struct bp_donor {
    bp_uuid id;
    enum bp_donor_kind kind;
    char *name;    /* owned */
    int anonymous; /* 1: hidden in public lists */
    char *contact; /* owned; may be NULL */
    char *note;    /* owned; may be NULL */
};

/*
 * A donation: a promise (cam kết) or a receipt (đã nhận), never both.
 * Cash: amount_vnd. In kind: item, quantity, unit and amount_vnd its
 * value. Labour: labour_days, and amount_vnd their value at the
 * campaign's rate (filled by bp_donation_value()). A receipt may fulfil a
 * promise (`fulfils_id`), in part or in full.
 */
struct bp_donation {
    bp_uuid id;
    bp_uuid campaign_id;
    bp_uuid donor_id;
    enum bp_donation_status status;
    enum bp_donation_form form;
    int64_t amount_vnd;
    char *item;         /* owned; in kind: "xi măng PCB40"; may be NULL */
    double quantity;    /* in kind */
    char *unit;         /* owned; in kind: "tấn"; may be NULL */
    double labour_days; /* labour */
    int32_t on;         /* date promised or received */
    char *receipt_no;   /* owned; receipts: "PT-2023-0015"; may be NULL */
    bp_uuid fulfils_id; /* receipts: the promise fulfilled; "" none */
    bp_uuid road_id;    /* earmarked for a road project; "" none */
    char *note;         /* owned; may be NULL */
};

struct bp_expense {
    bp_uuid id;
    bp_uuid campaign_id;
    char *doc_no; /* owned; payment document number */
    int32_t on;
    int64_t amount_vnd;
    bp_uuid road_id; /* the road project it funds; "" none */
    char *purpose;   /* owned; may be NULL */
};

struct bp_road {
    bp_uuid id;
    bp_uuid campaign_id; /* "" when none */
    char *name;          /* owned; "Đường lên mốc 1230" */
    bp_uuid commune_id;  /* "" when none */
    enum bp_road_kind kind;
    /* ALONG: the stretch. PATH: `from` is where the path leaves the line
       or the marker it leads to (its measure places it); `to` unused. */
    struct bp_anchor from, to;
    struct bp_lonlat *geom; /* owned; PATH: its line; may be NULL */
    size_t ngeom;
    double planned_m;   /* ALONG: to - from when 0; PATH: given or the
                           geometry's length */
    int64_t budget_vnd; /* 0 when none */
    int32_t starts_on, finished_on; /* either may be BP_DATE_NONE */
    char *note;                     /* owned; may be NULL */
};

/*
 * A progress entry: the stretch built, reported on a date. ALONG roads:
 * border measures within the road's stretch. PATH roads: metres along the
 * path from its start, within [0, planned_m].
 */
struct bp_road_progress {
    bp_uuid id;
    bp_uuid road_id;
    double from_m, to_m;
    int32_t on;
    char *note; /* owned; may be NULL */
};

struct bp_bamboo {
    bp_uuid id;
    bp_uuid commune_id; /* "" when none */
    struct bp_anchor from, to;
    long clumps; /* khóm tre planted */
    int32_t planted_on;
    long households; /* households involved */
    char *note;      /* owned; may be NULL */
};

struct bp_bamboo_check {
    bp_uuid id;
    bp_uuid bamboo_id;
    int32_t on;
    long alive; /* clumps alive */
    char *note; /* owned; may be NULL */
};

struct bp_light {
    bp_uuid id;
    bp_uuid commune_id; /* "" when none */
    bp_uuid road_id;    /* the road it lights; "" when none */
    double measure_m;   /* on the border's measure (given or snapped) */
    double lon, lat;    /* NAN when placed by measure */
    enum bp_light_kind kind;
    int32_t installed_on;
    char *funder;  /* owned; may be NULL */
    int working;   /* as installed */
    char *note;    /* owned; may be NULL */
};

struct bp_light_check {
    bp_uuid id;
    bp_uuid light_id;
    int32_t on;
    int working;
    char *note; /* owned; may be NULL */
};

/* The 3 March activities of a commune in a year. */
struct bp_event {
    bp_uuid id;
    bp_uuid commune_id;
    int year;
    long activities;   /* number of activities held */
    char *kinds;       /* owned; "họp mặt; thăm hộ; tặng quà; văn nghệ" */
    long participants;
    long gifts;
    int64_t gifts_vnd; /* value of the gifts */
    int64_t funds_vnd; /* funds used */
    char *note;        /* owned; may be NULL */
};

struct bp_award {
    bp_uuid id;
    enum bp_recipient_kind recipient_kind;
    char *recipient;      /* owned; name */
    bp_uuid custodian_id; /* "" when not a registered custodian */
    bp_uuid commune_id;   /* "" when none */
    enum bp_award_level level;
    char *decision_no; /* owned; "1234/QĐ-UBND" */
    int32_t decided_on;
    char *reason; /* owned; may be NULL */
};

/** Free the owned members (the struct itself is the caller's). */
void bp_campaign_release(struct bp_campaign *r);
void bp_donor_release(struct bp_donor *r);
void bp_donation_release(struct bp_donation *r);
void bp_expense_release(struct bp_expense *r);
void bp_road_release(struct bp_road *r);
void bp_road_progress_release(struct bp_road_progress *r);
void bp_bamboo_release(struct bp_bamboo *r);
void bp_bamboo_check_release(struct bp_bamboo_check *r);
void bp_light_release(struct bp_light *r);
void bp_light_check_release(struct bp_light_check *r);
void bp_event_release(struct bp_event *r);
void bp_award_release(struct bp_award *r);

/* ---- checks of single records (no other records needed) ---- */

/**
 * Check a donation on its own and fill in labour's value: labour days
 * must be positive and finite and amount_vnd becomes days × rate
 * (`labour_day_vnd`, rounded down to whole đồng); cash and in kind need
 * amount_vnd >= 0 (> 0 for cash); in kind needs an item and a quantity
 * > 0; a promise has no receipt and fulfils nothing; a date is needed.
 * 0, BP_EINVAL/BP_ERANGE/BP_EOVERFLOW naming the field (`err->field`).
 */
int bp_donation_value(struct bp_donation *d, int64_t labour_day_vnd,
                      struct bp_error *err);

/* ---- the ledger ---- */

/** One row of a breakdown (by donor kind, month, project, donor). */
struct bp_ledger_row {
    int64_t promised_vnd;    /* promises made */
    int64_t received_vnd;    /* receipts, every form */
    int64_t cash_vnd;        /* receipts in cash */
    int64_t in_kind_vnd;     /* receipts in kind, valued */
    int64_t labour_vnd;      /* receipts in labour, valued */
    int64_t spent_vnd;       /* expenses (months, projects) */
    size_t donations;        /* donation records */
};

struct bp_ledger_month {
    int year, month;
    struct bp_ledger_row t;
};

struct bp_ledger_donor {
    size_t donor;     /* index into the donors */
    const char *name; /* borrowed from the donors; NULL when hidden */
    enum bp_donor_kind kind;
    int anonymous;
    struct bp_ledger_row t;
};

/**
 * The ledger of a campaign. Promised, received and spent are kept apart:
 * a receipt that fulfils a promise does not add to `promised`; the
 * open part of promises is `outstanding_vnd`. In kind and labour are
 * contributions used in place: they count in `received` but are not money
 * to spend, so the balance is `cash received − spent`, never negative.
 */
struct bp_ledger {
    struct bp_ledger_row total;
    int64_t balance_vnd;      /* cash received − spent */
    int64_t outstanding_vnd;  /* promised but not yet received */
    struct bp_ledger_row by_kind[BP_DONOR_NKINDS];
    struct bp_ledger_month *months; /* owned; in date order */
    size_t nmonths;
    struct bp_ledger_row *projects; /* owned; one per road, input order */
    size_t nprojects;
    struct bp_ledger_row unassigned; /* receipts and expenses of no road */
    struct bp_ledger_donor *donors;  /* owned; one per donor with a
                                        donation, by received desc. */
    size_t ndonors;
};

struct bp_ledger_input {
    const struct bp_campaign *campaign; /* may be NULL: every donation */
    const struct bp_donor *donors;
    size_t ndonors;
    const struct bp_donation *donations;
    size_t ndonations;
    const struct bp_expense *expenses;
    size_t nexpenses;
    const struct bp_road *roads; /* for the by-project breakdown */
    size_t nroads;
};

/**
 * Check the records of a ledger against one another: every donation's
 * donor and every fulfilled promise exist; a receipt fulfils a promise of
 * the same donor and campaign; the receipts fulfilling a promise add up to
 * at most the promise; in date order (receipts of a day before its
 * expenses) the cash balance never drops below zero. Records of other
 * campaigns than `in->campaign` (when given) are ignored. 0, or
 * BP_ENOTFOUND / BP_ECONFLICT / BP_ERANGE / BP_EOVERFLOW naming the
 * record (its id or document number) and the field.
 */
int bp_ledger_check(const struct bp_ledger_input *in, struct bp_error *err);

/**
 * Compute the ledger (does not check; run bp_ledger_check() first). With
 * `public_view` the names of anonymous donors are NULL. `out` is caller's
 * storage, filled on success; release with bp_ledger_release(). 0,
 * BP_EOVERFLOW, BP_ENOMEM.
 */
int bp_ledger_compute(const struct bp_ledger_input *in, int public_view,
                      struct bp_ledger *out, struct bp_error *err);
void bp_ledger_release(struct bp_ledger *l);

/* ---- roads ---- */

/** Figures of a road project, a commune or the whole campaign. */
struct bp_road_figures {
    double planned_m;
    double built_m;        /* union of progress entries, within the plan */
    double share;          /* built / planned, 0 when nothing planned */
    int64_t budget_vnd;
    int64_t received_vnd;  /* receipts earmarked, every form */
    int64_t spent_vnd;     /* expenses */
    int64_t cost_vnd;      /* spent + in kind and labour received */
    int64_t vnd_per_km;    /* cost per km built; 0 when none built */
    int32_t last_on;       /* latest progress date, or BP_DATE_NONE */
    size_t projects, finished;
};

struct bp_road_report {
    struct bp_road_figures total;
    struct bp_road_figures *roads;    /* owned; one per road, input order */
    size_t nroads;
    struct bp_road_figures *communes; /* owned; one per commune id given */
    size_t ncommunes;
};

/** The span a road's progress is measured in: [from, to) of an ALONG
 *  road, [0, planned) of a PATH road. */
void bp_road_extent(const struct bp_road *r, double *from_m, double *to_m);

/**
 * Road progress as of `as_of` (entries after it ignored; BP_DATE_NONE:
 * all). Progress entries are matched to roads by road_id, donations and
 * expenses by road_id; `commune_ids` (n of them, may be 0) give the
 * commune breakdown by the road's commune_id. Built metres are the union
 * of a road's entries clipped to its extent, so overlapping reports
 * count once. `out` is caller's storage; bp_road_report_release(). 0,
 * BP_EOVERFLOW, BP_ENOMEM.
 */
int bp_road_report_compute(const struct bp_road *roads, size_t nroads,
                           const struct bp_road_progress *prog, size_t nprog,
                           const struct bp_donation *don, size_t ndon,
                           const struct bp_expense *exp, size_t nexp,
                           const bp_uuid *commune_ids, size_t ncommunes,
                           int32_t as_of, struct bp_road_report *out,
                           struct bp_error *err);
void bp_road_report_release(struct bp_road_report *r);

/* ---- bamboo belt ---- */

struct bp_bamboo_figures {
    double planted_m; /* union of plantings' stretches */
    long clumps_planted;
    long clumps_alive; /* latest check per planting, else as planted */
    long households;
    size_t plantings;
};

/**
 * Bamboo figures as of `as_of` (BP_DATE_NONE: all), for plantings whose
 * commune is `commune_id` (NULL or "": all). 0 or BP_ENOMEM.
 */
int bp_bamboo_figures(const struct bp_bamboo *b, size_t nb,
                      const struct bp_bamboo_check *c, size_t nc,
                      const char *commune_id, int32_t as_of,
                      struct bp_bamboo_figures *out, struct bp_error *err);

/* ---- lights ---- */

#define BP_LIGHT_REACH_M 25.0 /* default reach either side of a light */

struct bp_light_figures {
    size_t installed;
    size_t working; /* by the latest check on or before the date */
    double lit_m;   /* union of [m − reach, m + reach) of working lights */
};

/** 1 when light `l` works on `as_of` by its latest check, else 0. */
int bp_light_working(const struct bp_light *l,
                     const struct bp_light_check *c, size_t nc,
                     int32_t as_of);

/**
 * Lights figures as of `as_of`, for lights of `commune_id` (NULL or "":
 * all); `reach_m` (> 0, finite) either side of each working light. When
 * `lit` is not NULL (initialised) it receives the lit spans. 0,
 * BP_EINVAL (bad reach), BP_ENOMEM.
 */
int bp_light_figures(const struct bp_light *l, size_t nl,
                     const struct bp_light_check *c, size_t nc,
                     const char *commune_id, int32_t as_of, double reach_m,
                     struct bp_light_figures *out, struct bp_spanset *lit,
                     struct bp_error *err);

/** How far a light may be from a road and still be "on" it, metres. */
#define BP_LIGHT_NEAR_M 150.0

/**
 * Find the road a light is on: an ALONG road whose stretch (widened by
 * BP_LIGHT_NEAR_M) holds the light's measure, or a PATH road whose
 * geometry (when the light has lon/lat) or whose anchor measure (within
 * BP_LIGHT_NEAR_M + planned length) is near it. `offset_m` is the light's
 * distance from the border line (0 when placed by measure); more than
 * 500 m from the line counts as far from every ALONG road. Sets `*road`
 * to the index; BP_ERANGE naming the light when no road is near.
 */
int bp_light_find_road(const struct bp_light *l, double offset_m,
                       const struct bp_road *roads, size_t nroads,
                       size_t *road, struct bp_error *err);

/* ---- 3 March activities ---- */

struct bp_event_figures {
    size_t communes; /* distinct communes with activities */
    long activities, participants, gifts;
    int64_t gifts_vnd, funds_vnd;
};

/** Totals of the events of `year` (0: all years). 0 or BP_EOVERFLOW. */
int bp_event_figures(const struct bp_event *e, size_t n, int year,
                     struct bp_event_figures *out, struct bp_error *err);

/* ---- award suggestions ---- */

struct bp_award_criteria {
    int32_t as_of;          /* the end of the period */
    int min_years;          /* pledge active for at least this long */
    double min_length_m;    /* pledged length at least */
    int min_event_years;    /* 3 March activities held in the commune in
                               at least this many of the last min_years */
    int skip_awarded_years; /* skip custodians awarded in the last N years */
    /* Patrol verification, when the patrol module gives it: a custodian's
       verified share of pledged km in the period must reach this (0: not
       used). */
    double min_verified_share;
    long min_incidents;
};

/** What the award suggestion sees of a custodian. */
struct bp_award_candidate {
    const struct bp_custodian *custodian; /* borrowed */
    double verified_share; /* from patrols; NAN when not known */
    long incidents;        /* reported in the period; -1 when not known */
};

struct bp_award_suggestion {
    size_t custodian;      /* index into the candidates */
    double pledged_m;      /* active pledged length as of the date */
    int years;             /* whole years since the earliest active pledge */
    int event_years;       /* years with 3 March activities in its commune */
    double score;          /* pledged km × years, for ordering */
    enum bp_award_level level; /* suggested: station or district */
};

/**
 * Suggest custodians for the next round of commendations: custodians with
 * an active pledge as of `c->as_of` that has been active at least
 * `min_years` years, pledging at least `min_length_m` in total, whose
 * commune held 3 March activities in at least `min_event_years` of the
 * last `min_years` years, not awarded (by custodian_id) in the last
 * `skip_awarded_years` years; and, when `min_verified_share` > 0, with a
 * known verified share at least that and at least `min_incidents`
 * incidents. Ordered by score, highest first; ties by index. Sets `*out`
 * (caller owns; bp_free(); NULL when none) and `*n`. 0, BP_EINVAL,
 * BP_ENOMEM; out-parameters untouched on failure.
 */
int bp_award_suggest(const struct bp_award_candidate *cands, size_t ncands,
                     const struct bp_pledge *pledges, size_t npledges,
                     const struct bp_event *events, size_t nevents,
                     const struct bp_award *awards, size_t nawards,
                     const struct bp_award_criteria *c,
                     struct bp_award_suggestion **out, size_t *n,
                     struct bp_error *err);

#endif
