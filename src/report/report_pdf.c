/* SPDX-License-Identifier: MIT */
/*
 * The review report as an A4 PDF in the form of a Vietnamese
 * administrative report: national motto and issuing body, place and date,
 * title, numbered parts, tables, the charts and the straight-line
 * diagram, the shortcomings, appendix tables and page numbers. Text is
 * laid out with pango on a cairo PDF surface.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "report/report_int.h"

#define PW   595.276 /* A4, points */
#define PH   841.890
#define ML   85.0 /* 30 mm left, 15 mm right, 20 mm top and bottom */
#define MR   42.5
#define MT   57.0
#define MB   57.0
#define TW   (PW - ML - MR)
#define BODY 12.0

struct pdf {
    const struct bp_report *r;
    cairo_surface_t *sf;
    cairo_t *cr;
    double y;
    int page;
    int rc;
};

enum al { AL_LEFT, AL_CENTRE, AL_RIGHT, AL_JUSTIFY };

static PangoLayout *mk(struct pdf *p, const char *markup, double size,
                       enum al al, double width)
{
    PangoLayout *lay = pango_cairo_create_layout(p->cr);
    PangoFontDescription *fd =
        pango_font_description_from_string(BP_REPORT_SERIF);

    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(lay, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD);
    pango_layout_set_alignment(lay, al == AL_CENTRE  ? PANGO_ALIGN_CENTER
                                    : al == AL_RIGHT ? PANGO_ALIGN_RIGHT
                                                     : PANGO_ALIGN_LEFT);
    pango_layout_set_justify(lay, al == AL_JUSTIFY);
    pango_layout_set_markup(lay, markup, -1);
    return lay;
}

static double lay_h(PangoLayout *lay)
{
    int w, h;

    pango_layout_get_pixel_size(lay, &w, &h);
    return h;
}

static void show(struct pdf *p, PangoLayout *lay, double x, double y)
{
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, lay);
}

static void footer(struct pdf *p)
{
    char s[32];
    PangoLayout *lay;

    snprintf(s, sizeof(s), "%d", p->page);
    lay = mk(p, s, 10, AL_CENTRE, TW);
    show(p, lay, ML, PH - MB + 18);
    g_object_unref(lay);
}

static void new_page(struct pdf *p)
{
    char stage[32];

    footer(p);
    cairo_show_page(p->cr);
    p->page++;
    p->y = MT;
    snprintf(stage, sizeof(stage), "page %d", p->page);
    bp__report_progress(p->r, fmin(0.95, 0.6 + 0.04 * p->page), stage);
}

/* Make room for `h` points, starting a new page when they do not fit. */
static void room(struct pdf *p, double h)
{
    if (p->y + h > PH - MB && p->y > MT)
        new_page(p);
}

static void para_at(struct pdf *p, const char *markup, double size, enum al al,
                    double indent, double after)
{
    PangoLayout *lay = mk(p, markup, size, al, TW - indent);
    double h = lay_h(lay);

    /* A paragraph taller than what is left is split at a line. */
    if (p->y + h > PH - MB && p->y > MT) {
        int i, n = pango_layout_get_line_count(lay);
        double used = 0;
        PangoLayoutIter *it = pango_layout_get_iter(lay);
        for (i = 0; i < n; i++) {
            PangoRectangle lr;
            pango_layout_iter_get_line_extents(it, NULL, &lr);
            if (p->y + (lr.y + lr.height) / (double)PANGO_SCALE > PH - MB)
                break;
            used = (lr.y + lr.height) / (double)PANGO_SCALE;
            pango_layout_iter_next_line(it);
        }
        pango_layout_iter_free(it);
        cairo_save(p->cr);
        cairo_rectangle(p->cr, ML + indent - 2, p->y, TW - indent + 4, used);
        cairo_clip(p->cr);
        show(p, lay, ML + indent, p->y);
        cairo_restore(p->cr);
        new_page(p);
        cairo_save(p->cr);
        cairo_rectangle(p->cr, ML + indent - 2, p->y, TW - indent + 4,
                        h - used);
        cairo_clip(p->cr);
        show(p, lay, ML + indent, p->y - used);
        cairo_restore(p->cr);
        p->y += h - used + after;
    } else {
        show(p, lay, ML + indent, p->y);
        p->y += h + after;
    }
    g_object_unref(lay);
}

static void para(struct pdf *p, const char *markup)
{
    para_at(p, markup, BODY, AL_JUSTIFY, 0, 6);
}

static void heading_need(struct pdf *p, const char *markup, double need)
{
    room(p, need);
    p->y += 4;
    para_at(p, markup, BODY + 0.5, AL_LEFT, 0, 5);
}

static void heading(struct pdf *p, const char *markup)
{
    room(p, 90);
    p->y += 4;
    para_at(p, markup, BODY + 0.5, AL_LEFT, 0, 5);
}

/* A table: `ncols` columns of relative widths, a header row, then rows of
 * cells (markup); numbers right-aligned from column `first_num`. The
 * header is repeated after a page break. */
static void table(struct pdf *p, size_t ncols, const double *w,
                  const char *const *head, const char *const *cells,
                  size_t nrows, size_t first_num)
{
    double tot = 0, x[16];
    size_t i, j;

    for (j = 0; j < ncols; j++)
        tot += w[j];
    x[0] = ML;
    for (j = 0; j < ncols; j++)
        x[j + 1] = x[j] + TW * w[j] / tot;
    for (i = 0; i <= nrows; i++) {
        const char *const *row = i == 0 ? head : cells + (i - 1) * ncols;
        PangoLayout *lay[16];
        double h = 0, size = i == 0 ? 9.5 : 10;
        int bold_row = i > 0 && row[0] && !strncmp(row[0], "<b>", 3);
        for (j = 0; j < ncols; j++) {
            lay[j] = mk(p, row[j] ? row[j] : "", size,
                        i == 0           ? AL_CENTRE
                        : j >= first_num ? AL_RIGHT
                                         : AL_LEFT,
                        x[j + 1] - x[j] - 6);
            if (i == 0) {
                PangoAttrList *al = pango_attr_list_new();
                pango_attr_list_insert(
                    al, pango_attr_weight_new(PANGO_WEIGHT_BOLD));
                pango_layout_set_attributes(lay[j], al);
                pango_attr_list_unref(al);
            }
            h = fmax(h, lay_h(lay[j]));
        }
        h += 5;
        if (i > 0 && p->y + h > PH - MB) {
            new_page(p);
            /* Repeat the header. */
            for (j = 0; j < ncols; j++)
                g_object_unref(lay[j]);
            table(p, ncols, w, head, NULL, 0, first_num);
            i--;
            continue;
        }
        if (i == 0 || bold_row) {
            cairo_set_source_rgb(p->cr, 0.92, 0.92, 0.92);
            cairo_rectangle(p->cr, x[0], p->y, x[ncols] - x[0], h);
            cairo_fill(p->cr);
        }
        cairo_set_source_rgb(p->cr, 0, 0, 0);
        cairo_set_line_width(p->cr, 0.5);
        for (j = 0; j < ncols; j++) {
            show(p, lay[j], x[j] + 3, p->y + 2.5);
            cairo_rectangle(p->cr, x[j], p->y, x[j + 1] - x[j], h);
            g_object_unref(lay[j]);
        }
        cairo_stroke(p->cr);
        p->y += h;
    }
    p->y += 8;
}

static void figure(struct pdf *p, enum bp_report_figure f, double h,
                   const char *caption)
{
    PangoLayout *lay = mk(p, caption, 10, AL_CENTRE, TW);
    double ch = lay_h(lay);

    room(p, h + ch + 6);
    cairo_save(p->cr);
    cairo_translate(p->cr, ML, p->y);
    if (bp__report_draw(p->r, f, p->cr, TW, h))
        p->rc = BP_EIO;
    cairo_restore(p->cr);
    p->y += h + 2;
    show(p, lay, ML, p->y);
    p->y += ch + 10;
    g_object_unref(lay);
}

/* A centred block of markup in a column; returns its height. */
static double column(struct pdf *p, const char *markup, double x, double y,
                     double w)
{
    PangoLayout *lay = mk(p, markup, 11.5, AL_CENTRE, w);
    double h = lay_h(lay);

    show(p, lay, x, y);
    g_object_unref(lay);
    return h;
}

/* A short rule centred in a column. */
static void rule(struct pdf *p, double cx, double y, double half)
{
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    cairo_set_line_width(p->cr, 0.6);
    cairo_move_to(p->cr, cx - half, y);
    cairo_line_to(p->cr, cx + half, y);
    cairo_stroke(p->cr);
}

/* The motto and issuing body side by side, then the title. */
static void masthead(struct pdf *p, struct bp_buf *b)
{
    const struct bp_report *r = p->r;
    double lw = TW * 0.42, rw = TW * 0.58, y = p->y, hl, hr;
    char d[48];

    bp_buf_setlen(b, 0);
    bp_buf_adds(b, "<b>");
    bp__report_html_escape(b, r->issuer);
    bp_buf_adds(b, "</b>");
    hl = column(p, b->data, ML, y, lw);
    rule(p, ML + lw / 2, y + hl + 2, 30);
    hl += 8 + column(p, RL(r, "Số:      /BC-BCH", "No.      /BC-BCH"), ML,
                     y + hl + 8, lw);
    hr = column(p,
                RL(r,
                   "<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>\n"
                   "<b>Độc lập - Tự do - Hạnh phúc</b>",
                   "<b>SOCIALIST REPUBLIC OF VIET NAM</b>\n"
                   "<b>Independence - Freedom - Happiness</b>"),
                ML + lw, y, rw);
    rule(p, ML + lw + rw / 2, y + hr + 2, 75);
    bp_buf_setlen(b, 0);
    bp_buf_adds(b, "<i>");
    bp__report_html_escape(b, r->place);
    bp_buf_addf(b, ", %s</i>", bp__report_date_long(r, r->issued_on, d));
    hr += 8 + column(p, b->data, ML + lw, y + hr + 8, rw);
    p->y += fmax(hl, hr) + 22;
    para_at(p, RL(r, "<b>BÁO CÁO</b>", "<b>REPORT</b>"), 14, AL_CENTRE, 0, 2);
    bp_buf_setlen(b, 0);
    bp_buf_adds(b, "<b>");
    bp__report_subtitle(r, b);
    bp_buf_adds(b, "</b>");
    para_at(p, b->data, 13, AL_CENTRE, 0, 4);
    cairo_move_to(p->cr, ML + TW / 2 - 50, p->y);
    cairo_line_to(p->cr, ML + TW / 2 + 50, p->y);
    cairo_stroke(p->cr);
    p->y += 14;
}

static const char *const fig_head_vi[] = {
    "Năm",         "Tính đến", "km tự quản", "Tỷ lệ (%)",
    "Hộ gia đình", "Tập thể",  "Mốc ký nhận"};
static const char *const fig_head_en[] = {
    "Year",       "As of",       "km pledged",     "Share (%)",
    "Households", "Collectives", "Markers pledged"};

/* Cells for a figures row into `cells` (7 strings, owned by `pool`). */
static void fig_cells(const struct bp_report *r, struct bp_buf *pool,
                      size_t *offs, const char *c0, const char *c1,
                      const struct bp_cov_figures *f)
{
    char a[32], b[32], c[32];

    offs[0] = pool->len;
    bp_buf_adds(pool, c0 ? c0 : "");
    bp_buf_addch(pool, '\0');
    offs[1] = pool->len;
    bp_buf_adds(pool, c1 ? c1 : "");
    bp_buf_addch(pool, '\0');
    offs[2] = pool->len;
    bp_buf_addf(pool, "%s/%s", bp__report_km(r, f->covered_m, a, sizeof(a)),
                bp__report_km(r, f->length_m, b, sizeof(b)));
    bp_buf_addch(pool, '\0');
    offs[3] = pool->len;
    bp_buf_adds(pool,
                bp__report_pct(r, f->covered_m, f->length_m, c, sizeof(c)));
    bp_buf_addch(pool, '\0');
    offs[4] = pool->len;
    bp_buf_adds(pool, bp__report_int(r, f->households, a, sizeof(a)));
    bp_buf_addch(pool, '\0');
    offs[5] = pool->len;
    bp_buf_adds(pool, bp__report_int(r, f->collectives, a, sizeof(a)));
    bp_buf_addch(pool, '\0');
    offs[6] = pool->len;
    bp_buf_addf(pool, "%zu/%zu", f->markers_pledged, f->markers_total);
    bp_buf_addch(pool, '\0');
}

/* Resolve pool offsets into pointers once the pool stops growing. */
static const char **cells_of(struct bp_buf *pool, const size_t *offs, size_t n)
{
    const char **v = bp_calloc(n + 1, sizeof(*v));
    size_t i;

    for (i = 0; v && i < n; i++)
        v[i] = pool->data + offs[i];
    return v;
}

static void figures_table(struct pdf *p, const char *h0, const char *h1,
                          size_t nrows,
                          void (*row)(const struct bp_report *, size_t,
                                      struct bp_buf *, size_t *))
{
    const struct bp_report *r = p->r;
    static const double w[7] = {0.9, 2.8, 2.1, 0.9, 1.0, 0.9, 1.1};
    const char *head[7];
    struct bp_buf pool = BP_BUF_INIT;
    size_t *offs = bp_calloc(7 * nrows + 1, sizeof(*offs)), i;
    const char **cells;

    if (!offs) {
        p->rc = BP_ENOMEM;
        return;
    }
    for (i = 0; i < 7; i++)
        head[i] = r->lang == BP_LANG_VI ? fig_head_vi[i] : fig_head_en[i];
    head[0] = h0;
    head[1] = h1;
    for (i = 0; i < nrows; i++)
        row(r, i, &pool, offs + 7 * i);
    cells = cells_of(&pool, offs, 7 * nrows);
    if (cells)
        table(p, 7, w, head, cells, nrows, 2);
    else
        p->rc = BP_ENOMEM;
    bp_free(cells);
    bp_free(offs);
    bp_buf_release(&pool);
}

static void year_row(const struct bp_report *r, size_t i, struct bp_buf *pool,
                     size_t *offs)
{
    char y[16], d[16];

    snprintf(y, sizeof(y), "%d", r->years[i].year);
    fig_cells(r, pool, offs, y, bp__report_date(r, r->years[i].as_of, d),
              &r->years[i].fig);
}

static void commune_row(const struct bp_report *r, size_t i,
                        struct bp_buf *pool, size_t *offs)
{
    fig_cells(r, pool, offs, r->communes[i].code, r->communes[i].name,
              &r->communes[i].fig);
}

static void station_row(const struct bp_report *r, size_t i,
                        struct bp_buf *pool, size_t *offs)
{
    fig_cells(r, pool, offs, r->stations[i].code, r->stations[i].name,
              &r->stations[i].fig);
}

static void gaps_table(struct pdf *p)
{
    const struct bp_report *r = p->r;
    static const double w[6] = {0.5, 1.2, 1.2, 1.0, 1.6, 2.2};
    const char *head_vi[6] = {"TT",       "Từ km",    "Đến km",
                              "Dài (km)", "Giữa mốc", "Xã"};
    const char *head_en[6] = {"No.",         "From km",         "To km",
                              "Length (km)", "Between markers", "Commune"};
    struct bp_buf pool = BP_BUF_INIT;
    size_t *offs = bp_calloc(6 * r->ngaps + 1, sizeof(*offs)), i;
    const char **cells;
    char a[32];

    if (!offs) {
        p->rc = BP_ENOMEM;
        return;
    }
    for (i = 0; i < r->ngaps; i++) {
        const struct bp_report_gap *g = &r->gaps[i];
        size_t *o = offs + 6 * i;
        o[0] = pool.len;
        bp_buf_addf(&pool, "%zu%c", i + 1, '\0');
        o[1] = pool.len;
        bp_buf_addf(&pool, "%s%c", bp__report_km(r, g->from_m, a, sizeof(a)),
                    '\0');
        o[2] = pool.len;
        bp_buf_addf(&pool, "%s%c", bp__report_km(r, g->to_m, a, sizeof(a)),
                    '\0');
        o[3] = pool.len;
        bp_buf_addf(&pool, "%s%c",
                    bp__report_km(r, g->to_m - g->from_m, a, sizeof(a)), '\0');
        o[4] = pool.len;
        bp_buf_addf(&pool, "%s – %s%c",
                    g->marker_before ? g->marker_before : "—",
                    g->marker_after ? g->marker_after : "—", '\0');
        o[5] = pool.len;
        bp__report_html_escape(&pool, g->commune_name ? g->commune_name : "—");
        bp_buf_addch(&pool, '\0');
    }
    cells = cells_of(&pool, offs, 6 * r->ngaps);
    if (cells)
        table(p, 6, w, r->lang == BP_LANG_VI ? head_vi : head_en, cells,
              r->ngaps, 1);
    else
        p->rc = BP_ENOMEM;
    bp_free(cells);
    bp_free(offs);
    bp_buf_release(&pool);
}

/* A table built by bp__report_table(). */
static void pdf_table(struct pdf *p, enum bp__report_tab which)
{
    struct bp__report_table t;

    if (bp__report_table(p->r, which, &t))
        p->rc = BP_ENOMEM;
    else
        table(p, t.ncols, t.w, t.head, t.cells, t.nrows, t.first_num);
    bp__report_table_release(&t);
}

static void pdf_prose(struct pdf *p, struct bp_buf *b,
                      enum bp__report_tab which)
{
    bp_buf_setlen(b, 0);
    if (bp__report_prose(p->r, which, b))
        p->rc = BP_ENOMEM;
    else
        para(p, b->data);
}

/* The patrol, campaign and models sections, numbered from `n`. */
static void activity(struct pdf *p, struct bp_buf *b, int n)
{
    const struct bp_report *r = p->r;
    static const enum bp_report_section sec[3] = {
        BP_SECTION_PATROLS, BP_SECTION_CAMPAIGN, BP_SECTION_MODELS};
    size_t i;

    for (i = 0; i < 3; i++) {
        if (!r->section_present[sec[i]])
            continue;
        bp_buf_setlen(b, 0);
        bp_buf_addf(b, "<b>%d. %s</b>", n++,
                    bp__report_section_title(r, sec[i]));
        heading(p, b->data);
        if (sec[i] == BP_SECTION_PATROLS) {
            pdf_prose(p, b, BP_TAB_PATROLS);
            pdf_table(p, BP_TAB_PATROLS);
            pdf_table(p, BP_TAB_INCIDENTS);
        } else if (sec[i] == BP_SECTION_CAMPAIGN) {
            pdf_prose(p, b, BP_TAB_CAMPAIGN);
            pdf_table(p, BP_TAB_CAMPAIGN);
        } else {
            pdf_prose(p, b, BP_TAB_EVENTS);
            pdf_table(p, BP_TAB_EVENTS);
            pdf_table(p, BP_TAB_AWARDS);
        }
    }
}

static void body(struct pdf *p, struct bp_buf *b, struct bp_buf *t)
{
    const struct bp_report *r = p->r;
    char d1[16], k1[32], k2[32], k3[32];
    size_t i, nabsent = 0;

    masthead(p, b);
    bp_buf_setlen(b, 0);
    bp_buf_adds(b, "<i>");
    if (bp__report_sources(r, b))
        p->rc = BP_ENOMEM;
    bp_buf_addf(b, "</i>\n<tt>%s</tt>", r->records_sha256);
    para_at(p, b->data, 10, AL_LEFT, 0, 8);

    heading(p, RL(r, "<b>I. KẾT QUẢ THỰC HIỆN</b>", "<b>I. RESULTS</b>"));
    bp_buf_setlen(b, 0);
    bp_buf_addf(b, "<b>1. %s</b>",
                bp__report_section_title(r, BP_SECTION_HEADLINE));
    heading(p, b->data);
    bp_buf_setlen(t, 0);
    bp_report_headline(r, t);
    bp_buf_setlen(b, 0);
    bp_buf_addf(b, RL(r, "Tính đến ngày %s, ", "As of %s, "),
                bp__report_date(r, r->to, d1));
    bp__report_html_escape(b, t->data);
    bp_buf_adds(b, ".");
    para(p, b->data);

    bp_buf_setlen(b, 0);
    bp_buf_addf(b, "<b>2. %s</b>",
                bp__report_section_title(r, BP_SECTION_YEARS));
    heading(p, b->data);
    figures_table(p, RL(r, "Năm", "Year"), RL(r, "Tính đến", "As of"),
                  r->nyears, year_row);
    figure(p, BP_FIGURE_KM_PER_YEAR, 190,
           RL(r, "<i>Hình 1. Số km ký nhận tự quản qua các năm</i>",
              "<i>Figure 1. Km co-managed by year</i>"));
    figure(p, BP_FIGURE_CUSTODIANS_PER_YEAR, 190,
           RL(r, "<i>Hình 2. Hộ gia đình, tập thể ký nhận qua các năm</i>",
              "<i>Figure 2. Custodians by year</i>"));

    bp_buf_setlen(b, 0);
    bp_buf_addf(b, "<b>3. %s</b>",
                bp__report_section_title(r, BP_SECTION_COMMUNES));
    heading(p, b->data);
    figures_table(p, RL(r, "Mã xã", "Code"), RL(r, "Xã", "Commune"),
                  r->ncommunes, commune_row);
    if (r->nstations_rows) {
        bp_buf_setlen(b, 0);
        bp_buf_addf(b, "<b>4. %s</b>",
                    bp__report_section_title(r, BP_SECTION_STATIONS));
        heading(p, b->data);
        figures_table(p, RL(r, "Mã", "Code"), RL(r, "Đồn", "Station"),
                      r->nstations_rows, station_row);
    }
    bp_buf_setlen(b, 0);
    bp_buf_addf(b, "<b>%d. %s</b>", r->nstations_rows ? 5 : 4,
                bp__report_section_title(r, BP_SECTION_DIAGRAM));
    {
        double len = r->scope_to_m - r->scope_from_m;
        double dh = len > 150000 ? 420 : len > 60000 ? 240 : 140;
        heading_need(p, b->data, dh + 50);
        figure(
            p, BP_FIGURE_DIAGRAM, dh,
            RL(r,
               "<i>Hình 3. Sơ đồ duỗi thẳng (km theo lý trình chính thức)</i>",
               "<i>Figure 3. Straight-line diagram (official km)</i>"));
    }
    figure(p, BP_FIGURE_MAP, 260,
           RL(r,
              "<i>Hình 4. Tuyến biên giới: xanh đã ký nhận, đỏ chưa có ai "
              "ký nhận</i>",
              "<i>Figure 4. The border line: green pledged, red not</i>"));
    activity(p, b, r->nstations_rows ? 6 : 5);

    heading(p, RL(r, "<b>II. TỒN TẠI, HẠN CHẾ</b>", "<b>II. SHORTCOMINGS</b>"));
    bp_buf_setlen(b, 0);
    bp_buf_addf(
        b,
        RL(r,
           "Còn %zu đoạn với tổng chiều dài %s km chưa có hộ, tập thể nào ký "
           "nhận tự quản; %zu mốc quốc giới chưa được ký nhận; %zu đoạn (%s "
           "km) có nhiều hộ, tập thể cùng ký nhận, cần rà soát, phân công "
           "lại. Chi tiết tại Phụ lục.",
           "%zu stretches, %s km in all, have no household or collective "
           "co-managing them; %zu markers are not pledged; %zu stretches "
           "(%s km) are pledged by several custodians and should be "
           "reassigned. Details in the appendix."),
        r->ngaps, bp__report_km(r, r->gaps_m, k1, sizeof(k1)),
        r->markers_unpledged, r->noverlaps,
        bp__report_km(r, r->overlaps_m, k2, sizeof(k2)));
    para(p, b->data);
    if (r->section_present[BP_SECTION_PATROLS])
        pdf_prose(p, b, BP_TAB_OVERDUE);
    for (i = 0; i < BP_SECTION_COUNT; i++)
        nabsent += !r->section_present[i] && i != BP_SECTION_STATIONS;
    if (nabsent) {
        bp_buf_setlen(b, 0);
        bp_buf_adds(b, RL(r, "Chưa có số liệu trong hệ thống về: ",
                          "Not yet recorded in the system: "));
        for (i = 0; i < BP_SECTION_COUNT; i++)
            if (!r->section_present[i] && i != BP_SECTION_STATIONS) {
                bp__report_html_escape(b, bp__report_section_title(r, i));
                bp_buf_adds(b, --nabsent ? "; " : ".");
            }
        para(p, b->data);
    }

    heading(p, RL(r, "<b>PHỤ LỤC: CÁC ĐOẠN CHƯA CÓ AI KÝ NHẬN TỰ QUẢN</b>",
                  "<b>APPENDIX: STRETCHES NOBODY HAS PLEDGED</b>"));
    gaps_table(p);
    bp_buf_setlen(b, 0);
    bp_buf_addf(b, RL(r, "<i>Tổng: %s km.</i>", "<i>Total: %s km.</i>"),
                bp__report_km(r, r->gaps_m, k3, sizeof(k3)));
    para(p, b->data);
    if (r->section_present[BP_SECTION_PATROLS]) {
        heading(p, RL(r,
                      "<b>PHỤ LỤC: CÁC ĐOẠN, MỐC QUÁ HẠN TUẦN TRA, KIỂM TRA "
                      "THEO XÃ</b>",
                      "<b>APPENDIX: OVERDUE STRETCHES AND MARKERS BY "
                      "COMMUNE</b>"));
        pdf_table(p, BP_TAB_OVERDUE);
    }
    room(p, 80);
    p->y += 10;
    bp_buf_setlen(b, 0);
    bp_buf_adds(b, "<b>");
    bp__report_html_escape(b, RL(r, "T/M BỘ CHỈ HUY", "FOR THE COMMAND"));
    bp_buf_adds(b, "</b>\n\n\n\n");
    para_at(p, b->data, BODY, AL_RIGHT, 0, 0);
}

static cairo_status_t to_buf(void *closure, const unsigned char *data,
                             unsigned int len)
{
    return bp_buf_add(closure, data, len) ? CAIRO_STATUS_NO_MEMORY
                                          : CAIRO_STATUS_SUCCESS;
}

int bp_report_pdf(const struct bp_report *r, struct bp_buf *out,
                  struct bp_error *err)
{
    struct pdf p;
    struct bp_buf b = BP_BUF_INIT, t = BP_BUF_INIT;
    cairo_status_t cs;
    int rc;

    if (!r || !out)
        return bp_error_set(err, BP_EINVAL, "no report");
    memset(&p, 0, sizeof(p));
    p.r = r;
    p.sf = cairo_pdf_surface_create_for_stream(to_buf, out, PW, PH);
    cairo_pdf_surface_set_metadata(p.sf, CAIRO_PDF_METADATA_TITLE, r->title);
    cairo_pdf_surface_set_metadata(p.sf, CAIRO_PDF_METADATA_CREATOR,
                                   "bienphong");
    {
        /* The issue date, not the clock, so the same records and options
         * give the same document. */
        char iso[16], stamp[40];
        snprintf(stamp, sizeof(stamp), "%sT00:00:00+07:00",
                 bp_date_format_iso(r->issued_on, iso));
        cairo_pdf_surface_set_metadata(p.sf, CAIRO_PDF_METADATA_CREATE_DATE,
                                       stamp);
        cairo_pdf_surface_set_metadata(p.sf, CAIRO_PDF_METADATA_MOD_DATE,
                                       stamp);
    }
    p.cr = cairo_create(p.sf);
    p.page = 1;
    p.y = MT;
    bp__report_progress(r, 0.6, "page 1");
    body(&p, &b, &t);
    footer(&p);
    cairo_show_page(p.cr);
    cairo_destroy(p.cr);
    cairo_surface_finish(p.sf);
    cs = cairo_surface_status(p.sf);
    cairo_surface_destroy(p.sf);
    bp_buf_release(&b);
    bp_buf_release(&t);
    rc = p.rc;
    if (!rc && cs != CAIRO_STATUS_SUCCESS)
        rc = cs == CAIRO_STATUS_NO_MEMORY ? BP_ENOMEM : BP_EIO;
    if (rc)
        bp_error_set(err, rc, "cannot write the PDF: %s",
                     cs != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(cs)
                                                : bp_strerror(rc));
    else
        bp__report_progress(r, 1, "done");
    return rc;
}
