/* SPDX-License-Identifier: MIT */
/*
 * The review report (báo cáo sơ kết, tổng kết): its figures computed once
 * from the store into a report model, then rendered from that model as
 * JSON, CSV, self-contained HTML with inline SVG, and A4 PDF in the style
 * of a Vietnamese administrative report. Charts and the straight-line
 * diagram of the border are drawn once, with cairo, to every surface.
 *
 *     struct bp_report_options o;
 *     struct bp_report *r = NULL;
 *     bp_report_options_init(&o);
 *     o.from = bp_date_from_ymd(2019, 3, 3);
 *     o.to = bp_date_from_ymd(2024, 3, 3);
 *     if (bp_report_build(store, &o, &r, &err)) ...
 *     bp_report_pdf(r, &buf, &err);           // or _html, _json, _csv
 *     bp_report_free(r);
 *
 * The model is transparent so callers (CLI, server, tests) can read every
 * figure. The same records give the same model, and byte-identical JSON:
 * nothing in it depends on the clock unless `issued_on` is left to today.
 */
#ifndef BIENPHONG_REPORT_H
#define BIENPHONG_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "bienphong/buf.h"
#include "bienphong/campaign.h"
#include "bienphong/error.h"
#include "bienphong/fmt.h"
#include "bienphong/geo.h"
#include "bienphong/patrol.h"
#include "bienphong/registry.h"
#include "bienphong/span.h"

struct bp_store;

/** What the report covers. */
enum bp_report_scope {
    BP_REPORT_PROVINCE = 0, /* the whole border */
    BP_REPORT_COMMUNE,      /* one border commune */
    BP_REPORT_STATION       /* the communes of one station */
};

/**
 * Progress while a report is built or rendered: `fraction` in [0, 1] and
 * a short stage name in English ("coverage", "diagram", "page 3").
 * Called from the calling thread; may be NULL.
 */
typedef void (*bp_report_progress_fn)(void *ctx, double fraction,
                                      const char *stage);

struct bp_report_options {
    int32_t from, to; /* the period, local days, from <= to */
    enum bp_report_scope scope;
    const char *scope_ref; /* commune or station code (or UUID, or
                              name for communes); borrowed */
    enum bp_lang lang;
    int32_t issued_on;  /* date printed under the motto;
                           BP_DATE_NONE: bp_date_today() */
    const char *issuer; /* issuing body; NULL: a default */
    const char *place;  /* place of issue; NULL: a default */
    bp_report_progress_fn progress;
    void *progress_ctx;
};

/** Defaults: the province, Vietnamese, no dates (the caller sets them). */
void bp_report_options_init(struct bp_report_options *o);

#define BP_REPORT_INC_KINDS 6   /* enum bp_incident_kind */
#define BP_REPORT_INC_STATUSES 3 /* enum bp_incident_status */
#define BP_REPORT_AWARD_LEVELS 5 /* enum bp_award_level */

/**
 * Patrols of a window of days [from, to], within the scope. A patrol is
 * in a province report when its day is in the window; in a commune or
 * station report when its counted walked stretches meet the scope.
 */
struct bp_report_patrols {
    int32_t from, to;   /* the window, inclusive */
    size_t patrols;     /* patrols on days in the window */
    double walked_m;    /* sum over them of their counted walked
                           stretches (tracks passing the quality checks
                           or approved), clipped to the scope */
    double pledged_m;   /* verification (bp_verify_compute() over the
                           window): pledged length of active pledges */
    double verified_m;  /* ... and of it walked by its custodians */
    size_t inspections; /* marker inspections recorded (not visits) */
    size_t visits;      /* markers passed by a track (BP_COND_VISIT) */
    size_t incidents;   /* incidents that happened in the window */
    size_t by_kind[BP_REPORT_INC_KINDS];
    /* Those incidents by their status at the window's end (their
       history's last event on or before it). */
    size_t by_status[BP_REPORT_INC_STATUSES];
};

/** 3 March activities of one year (struct bp_event_figures). */
struct bp_report_events {
    size_t communes;
    long activities, participants, gifts;
    int64_t gifts_vnd, funds_vnd;
};

/**
 * One year of the period: the registry's figures as of `as_of`; the
 * patrols of the days after the previous year's `as_of` up to this one
 * (the first year: from the period's start), so the years add up to the
 * period; and that year's 3 March activities.
 */
struct bp_report_year {
    int year;
    int32_t as_of;
    struct bp_cov_figures fig;
    struct bp_report_patrols pat;
    struct bp_report_events ev;
};

/**
 * The campaign for the patrol road as of the period's end: donations and
 * expenses dated on or before it, of every campaign (the ledger is the
 * province's whatever the scope); road projects of the scope's communes
 * (every road for the province) and their progress as of the end.
 */
struct bp_report_campaign {
    size_t campaigns;   /* campaign records */
    char *name;         /* owned; the campaign's name when one, or NULL */
    int64_t goal_vnd;   /* sums over the campaigns */
    double goal_road_m;
    struct bp_ledger_row total; /* promised, received (cash, in kind,
                                   labour), spent */
    int64_t balance_vnd;        /* cash received - spent */
    int64_t outstanding_vnd;    /* promised, not yet received */
    size_t donors;              /* donors with a donation */
    struct bp_road_figures roads; /* planned, built, cost, per km */
};

/** Bamboo, lights and commendations as of the period's end. */
struct bp_report_models {
    struct bp_bamboo_figures bamboo; /* plantings of the scope */
    struct bp_light_figures lights;  /* lights of the scope */
    size_t awards;                   /* decided within the period */
    size_t awards_by_level[BP_REPORT_AWARD_LEVELS];
    struct bp_report_events events;  /* 3 March activities, all years of
                                        the period */
};

/** A pledged stretch not walked in the last `overdue_days` (tồn tại). */
struct bp_report_overdue {
    double from_m, to_m;
    int32_t last_day;    /* last walked, or BP_DATE_NONE: never */
    char *commune_code;  /* owned; the commune holding its start, or NULL */
    char *commune_name;  /* owned; or NULL */
};

/** A marker not inspected or visited in the last `overdue_days`. */
struct bp_report_marker_due {
    char *number; /* owned */
    double measure_m;
    int32_t last_day; /* or BP_DATE_NONE: never */
    char *commune_code; /* owned; or NULL */
};

/** A row of the per-commune or per-station table. */
struct bp_report_row {
    char *code;          /* owned */
    char *name;          /* owned */
    char *parent;        /* owned; communes: district; stations: NULL */
    char *station_code;  /* owned; communes: their station's code or NULL */
    double from_m, to_m; /* communes: the stretch; stations: 0, 0 */
    struct bp_cov_figures fig; /* as of the period's end */
};

/** A stretch nobody has pledged at the period's end (tồn tại, hạn chế). */
struct bp_report_gap {
    double from_m, to_m;
    char *marker_before; /* owned; marker number, or NULL */
    char *marker_after;  /* owned; or NULL */
    char *commune_code;  /* owned; or NULL */
    char *commune_name;  /* owned; or NULL */
};

/** A marker on the diagram. */
struct bp_report_marker {
    double measure_m;
    char *number; /* owned */
    int main;     /* 1 for a main marker */
    int pledged;  /* inside a pledged stretch at the period's end */
};

/** One point of the map of the line, with its measure. */
struct bp_report_mappt {
    double lon, lat, measure_m;
};

/*
 * Sections of the report. A section with no records behind it (no
 * patrols, no campaign, no models recorded) is marked absent, so the
 * renderers say so.
 */
enum bp_report_section {
    BP_SECTION_HEADLINE = 0,
    BP_SECTION_YEARS,
    BP_SECTION_COMMUNES,
    BP_SECTION_STATIONS,
    BP_SECTION_DIAGRAM,
    BP_SECTION_MAP,
    BP_SECTION_SHORTCOMINGS,
    BP_SECTION_PATROLS,  /* patrols, km walked and verified, inspections,
                            incidents */
    BP_SECTION_CAMPAIGN, /* donations, spending, road built */
    BP_SECTION_MODELS,   /* bamboo, lights, 3 March activities, awards */
    BP_SECTION_COUNT
};

/** Code name of a section ("headline", "patrols"). */
const char *bp_report_section_name(enum bp_report_section s);

struct bp_report {
    /* What was asked. */
    int32_t from, to, issued_on;
    enum bp_lang lang;
    enum bp_report_scope scope;
    char *scope_code; /* owned; NULL for the province */
    char *scope_name; /* owned; NULL for the province */
    char *issuer;     /* owned */
    char *place;      /* owned */
    char *title;      /* owned; in the report's language */

    /* Where the figures came from. */
    char records_sha256[65]; /* hex SHA-256 of the records (see docs) */
    size_t nstations, ncommunes_all, nmarkers_all, ncustodians_all,
        npledges_all; /* records hashed */
    int section_present[BP_SECTION_COUNT];

    /* The figures. */
    double border_m;                 /* official length of the whole border */
    double scope_from_m, scope_to_m; /* the stretch reported on */
    struct bp_cov_figures headline;  /* of the scope, as of `to` */
    struct bp_report_year *years;    /* one per year of the period */
    size_t nyears;
    struct bp_report_row *communes; /* the scope's communes */
    size_t ncommunes;
    struct bp_report_row *stations; /* the scope's stations */
    size_t nstations_rows;
    struct bp_report_gap *gaps; /* within the scope, as of `to` */
    size_t ngaps;
    double gaps_m;
    size_t noverlaps; /* stretches pledged more than once */
    double overlaps_m;
    size_t markers_unpledged;
    struct bp_report_marker *markers; /* standing markers in the scope */
    size_t nmarkers;
    struct bp_spanset covered;   /* pledged, clipped to the scope */
    struct bp_report_mappt *map; /* the line in the scope, sampled */
    size_t nmap;
    char *border_name; /* owned; may be NULL */

    /* Patrols, campaign, models (sections present when recorded). */
    struct bp_report_patrols patrols; /* the whole period */
    struct bp_report_campaign campaign;
    struct bp_report_models models;
    int overdue_days; /* the threshold of the overdue lists (30) */
    struct bp_report_overdue *overdue; /* as of `to`, in the scope */
    size_t noverdue;
    double overdue_m;
    struct bp_report_marker_due *markers_due; /* as of `to`, in scope */
    size_t nmarkers_due;
    /* Lanes of the straight-line diagram, clipped to the scope: */
    struct bp_spanset walked; /* counted walked stretches of the period */
    struct bp_spanset road;   /* patrol road built along the line */
    struct bp_spanset lit;    /* reach of working lights */
    struct bp_spanset bamboo; /* bamboo planted */
    size_t npatrols_all, ninspections_all, nincidents_all,
        ncampaign_all; /* records hashed (campaign: every kind) */

    /* Progress of the renderings: the options' callback, borrowed. */
    bp_report_progress_fn progress;
    void *progress_ctx;
};

/**
 * Compute a report's figures from the store. `opt` and `st` are borrowed.
 * Sets `*out` (caller owns; bp_report_free()). Returns 0, BP_EINVAL (from
 * after to, a period over 50 years, a scope without a code),
 * BP_ENOTFOUND (no border imported, or the commune or station named by
 * `scope_ref`: the message names it), BP_ESTORE, BP_ENOMEM. `*out`
 * untouched on failure.
 */
int bp_report_build(struct bp_store *st, const struct bp_report_options *opt,
                    struct bp_report **out, struct bp_error *err);

/** Free a report; bp_report_free(NULL) is a no-op. */
void bp_report_free(struct bp_report *r);

/*
 * Renderings. Each appends to `out` (caller's buffer) and returns 0,
 * BP_ENOMEM, or BP_EIO when cairo or pango fails (message from cairo).
 * The language is the report's. Progress goes to the options' callback
 * given to bp_report_build().
 */

/** Every figure as JSON (UTF-8, sorted keys, two-space indent, final
 *  newline); byte-identical for the same records and options. */
int bp_report_json(const struct bp_report *r, struct bp_buf *out,
                   struct bp_error *err);

/** Every figure as CSV: UTF-8 with a BOM, one figure per row:
 *  section,scope_code,scope_name,year,as_of,figure,value,unit. */
int bp_report_csv(const struct bp_report *r, struct bp_buf *out,
                  struct bp_error *err);

/** A self-contained HTML page (inline CSS and SVG, no external files),
 *  laid out to print on A4. */
int bp_report_html(const struct bp_report *r, struct bp_buf *out,
                   struct bp_error *err);

/** The report as an A4 PDF with page numbers. */
int bp_report_pdf(const struct bp_report *r, struct bp_buf *out,
                  struct bp_error *err);

/** The figures the report draws. */
enum bp_report_figure {
    BP_FIGURE_KM_PER_YEAR = 0,     /* bar chart: km co-managed each year */
    BP_FIGURE_CUSTODIANS_PER_YEAR, /* bars: households and collectives */
    BP_FIGURE_DIAGRAM,             /* the straight-line diagram */
    BP_FIGURE_MAP                  /* the line on a map, pledged or not */
};

/** A figure alone as an SVG document (`width_pt` x `height_pt`). */
int bp_report_figure_svg(const struct bp_report *r, enum bp_report_figure f,
                         double width_pt, double height_pt, struct bp_buf *out,
                         struct bp_error *err);

/** A figure alone as a PNG image of `width_px` x `height_px`. */
int bp_report_figure_png(const struct bp_report *r, enum bp_report_figure f,
                         int width_px, int height_px, struct bp_buf *out,
                         struct bp_error *err);

/**
 * Release the font caches that pango, fontconfig and cairo keep for the
 * whole process, so leak checkers stay quiet. Call once at exit, when no
 * thread renders any more; rendering after it works again (the caches are
 * rebuilt). Not thread-safe.
 */
void bp_report_shutdown(void);

/**
 * The headline sentence in the report's language, e.g. "24 tập thể và
 * 885 hộ gia đình ký nhận tự quản 223,205/231,740 km đường biên giới".
 * Appends to `out`; 0 or BP_ENOMEM.
 */
int bp_report_headline(const struct bp_report *r, struct bp_buf *out);

#endif
