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
#include "bienphong/error.h"
#include "bienphong/fmt.h"
#include "bienphong/geo.h"
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

/** One year of the period: the figures as of `as_of`. */
struct bp_report_year {
    int year;
    int32_t as_of;
    struct bp_cov_figures fig;
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
 * Sections of the report. Figures from modules not yet in the store
 * (patrols, the campaign) are kept as sections marked absent, so the
 * renderers say so and the model grows without changing shape.
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
