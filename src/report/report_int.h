/* SPDX-License-Identifier: MIT */
/*
 * Inside the report module: the drawing of charts and the straight-line
 * diagram on any cairo context, the labels in both languages, and the
 * number formats the renderings share.
 */
#ifndef BP_REPORT_INT_H
#define BP_REPORT_INT_H

#include <cairo.h>

#include "bienphong/report.h"

/* Fonts: a Times-like serif for the text, as Vietnamese administrative
 * documents use; fontconfig falls back to DejaVu when Noto is missing. */
#define BP_REPORT_SERIF "Noto Serif, DejaVu Serif, serif"
#define BP_REPORT_SANS  "Noto Sans, DejaVu Sans, sans-serif"

/* Pick the text for the report's language. */
#define RL(r, vi, en) ((r)->lang == BP_LANG_VI ? (vi) : (en))

/*
 * Fill the patrol, campaign and models figures, the overdue lists and the
 * diagram's lanes of `r` (its years, communes and scope already set) from
 * the store; append a canonical line per record read to `hash`. The scope
 * is `scope_spans` (normal), its communes' ids (borrowed) and, for a
 * station report, the station's id; `mk` are every marker (borrowed).
 * Sets the sections present. 0, BP_ESTORE, BP_ENOMEM, or the modules'
 * errors.
 */
int bp__report_activity(struct bp_report *r, struct bp_store *st,
                        const struct bp_spanset *scope_spans,
                        const char *const *commune_ids, size_t ncommunes,
                        const char *station_id, const struct bp_marker *mk,
                        size_t nmk, struct bp_buf *hash, struct bp_error *err);

/* The tables of the patrol, campaign and models sections. */
enum bp__report_tab {
    BP_TAB_PATROLS = 0, /* per year and the period */
    BP_TAB_INCIDENTS,   /* by kind, with the statuses' total */
    BP_TAB_CAMPAIGN,    /* the ledger and the road */
    BP_TAB_EVENTS,      /* 3 March activities per year; prose: the models */
    BP_TAB_AWARDS,      /* commendations by level */
    BP_TAB_OVERDUE      /* appendix: overdue stretches and markers by
                           commune; prose: the shortcoming */
};

/* A table as cells of markup, header first; numbers right-aligned from
 * column `first_num`; `w` relative column widths. */
struct bp__report_table {
    size_t ncols, nrows, first_num, ncells;
    const char *head[8];
    double w[8];
    const char **cells; /* nrows * ncols, into `pool`; owned */
    struct bp_buf pool;
    size_t *offs;
    int rc;
};

/* Build table `which` of `r` into `t` (release with
 * bp__report_table_release(), on failure too). 0, BP_ENOMEM, BP_EINVAL. */
int bp__report_table(const struct bp_report *r, enum bp__report_tab which,
                     struct bp__report_table *t);
void bp__report_table_release(struct bp__report_table *t);

/* The sentence summing up section `which` (PATROLS, CAMPAIGN, EVENTS,
 * OVERDUE), as markup appended to `b`. 0, BP_ENOMEM, BP_EINVAL. */
int bp__report_prose(const struct bp_report *r, enum bp__report_tab which,
                     struct bp_buf *b);

/* An incident status in the report's language. */
const char *bp__report_status_name(const struct bp_report *r, int s);

/* Report progress to the caller's callback, if any. */
void bp__report_progress(const struct bp_report *r, double f,
                         const char *stage);

/*
 * Draw figure `f` of `r` into the rectangle (0, 0, w, h) of `cr`, in
 * points. Returns 0, or BP_EIO when cairo is in an error state after.
 */
int bp__report_draw(const struct bp_report *r, enum bp_report_figure f,
                    cairo_t *cr, double w, double h);

/* Kilometres with three decimals ("223,205"), a percentage with one
 * ("96,3"), an integer ("1.039"), and a date (dd/mm/yyyy, or ISO in
 * English) in the report's language; each returns `out`. */
char *bp__report_km(const struct bp_report *r, double m, char *out,
                    size_t size);
char *bp__report_pct(const struct bp_report *r, double covered, double length,
                     char *out, size_t size);
char *bp__report_int(const struct bp_report *r, size_t v, char *out,
                     size_t size);
char *bp__report_date(const struct bp_report *r, int32_t d, char *out);

/* "ngày 03 tháng 3 năm 2024" / "3 March 2024". `out` >= 48 bytes. */
char *bp__report_date_long(const struct bp_report *r, int32_t d, char *out);

/* Append `s` to `b` escaped for HTML/XML text. 0 or BP_ENOMEM. */
int bp__report_html_escape(struct bp_buf *b, const char *s);

/* The sentence naming the period and the records, escaped for markup,
 * ending "SHA-256 of the records:" (the hash is the caller's to add). */
int bp__report_sources(const struct bp_report *r, struct bp_buf *b);

/* The title under "BÁO CÁO": the title without its leading "Báo cáo ",
 * capitalised ("Sơ kết 5 năm ..."), escaped for markup. 0 or BP_ENOMEM. */
int bp__report_subtitle(const struct bp_report *r, struct bp_buf *b);

/* The name of the section in the report's language. */
const char *bp__report_section_title(const struct bp_report *r,
                                     enum bp_report_section s);

#endif
