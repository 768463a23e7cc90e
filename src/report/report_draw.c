/* SPDX-License-Identifier: MIT */
/*
 * The report's pictures, drawn once with cairo and pango on whatever
 * surface the caller gives (PDF page, SVG, PNG): bars of km co-managed
 * and of custodians per year, the straight-line diagram of the border
 * (communes, markers, pledged stretches and gaps, and rows for the
 * modules still to come), and a map of the line.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include "bienphong/alloc.h"
#include "report/report_int.h"

enum align { LEFT, CENTRE, RIGHT };

struct rgb {
    double r, g, b;
};

static const struct rgb INK = {0.10, 0.10, 0.12};
static const struct rgb GREY = {0.45, 0.45, 0.48};
static const struct rgb LIGHT = {0.85, 0.85, 0.87};
static const struct rgb GREEN = {0.18, 0.49, 0.20};
static const struct rgb RED = {0.78, 0.16, 0.16};
static const struct rgb BLUE = {0.15, 0.35, 0.65};
static const struct rgb AMBER = {0.85, 0.55, 0.10};
static const struct rgb BROWN = {0.55, 0.35, 0.18};
static const struct rgb BAMBOO = {0.45, 0.65, 0.15};
static const struct rgb BAND1 = {0.89, 0.93, 0.97};
static const struct rgb BAND2 = {0.79, 0.85, 0.93};

static void colour(cairo_t *cr, struct rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/* Text at (x, y) (y the top), aligned about x; returns its width. A
 * `max_w` > 0 elides the text to that width. */
static double text(cairo_t *cr, double x, double y, const char *s, double size,
                   int bold, enum align al, struct rgb c, double max_w)
{
    PangoLayout *lay = pango_cairo_create_layout(cr);
    PangoFontDescription *fd =
        pango_font_description_from_string(BP_REPORT_SANS);
    int w, h;

    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    if (bold)
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(lay, fd);
    pango_layout_set_text(lay, s, -1);
    if (max_w > 0) {
        pango_layout_set_width(lay, (int)(max_w * PANGO_SCALE));
        pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_END);
    }
    pango_layout_get_pixel_size(lay, &w, &h);
    if (al == CENTRE)
        x -= w / 2.0;
    else if (al == RIGHT)
        x -= w;
    colour(cr, c);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, lay);
    pango_font_description_free(fd);
    g_object_unref(lay);
    return w;
}

static void rect(cairo_t *cr, double x, double y, double w, double h,
                 struct rgb c)
{
    colour(cr, c);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill(cr);
}

static void line(cairo_t *cr, double x0, double y0, double x1, double y1,
                 double width, struct rgb c)
{
    colour(cr, c);
    cairo_set_line_width(cr, width);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
}

/* A "nice" step for an axis reaching `max` in about `n` steps. */
static double nice_step(double max, int n)
{
    double raw = max / n, p = pow(10, floor(log10(raw))), f = raw / p;

    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/* Bars per year: one or two series, with the axis, values and years. */
static void bars(const struct bp_report *r, cairo_t *cr, double w, double h,
                 const char *title, const double *a, const double *b,
                 const char *la, const char *lb, double ceiling, int km)
{
    double left = 44, right = 10, top = 26, bottom = 34;
    double pw = w - left - right, ph = h - top - bottom, max = ceiling;
    double step, v, slot, bw;
    size_t i, n = r->nyears;
    char s[48];

    for (i = 0; i < n; i++) {
        max = fmax(max, a[i]);
        if (b)
            max = fmax(max, b[i]);
    }
    if (max <= 0)
        max = 1;
    step = nice_step(max, 5);
    max = ceil(max / step) * step;
    text(cr, w / 2, 4, title, 10, 1, CENTRE, INK, w - 8);
    for (v = 0; v <= max + step / 2; v += step) {
        double y = top + ph - ph * v / max;
        line(cr, left, y, left + pw, y, 0.4, LIGHT);
        bp_fmt_number(v, 0, r->lang, s, sizeof(s));
        text(cr, left - 4, y - 5, s, 7.5, 0, RIGHT, GREY, 0);
    }
    if (ceiling > 0) {
        double y = top + ph - ph * ceiling / max;
        cairo_save(cr);
        cairo_set_dash(cr, (const double[]){3, 2}, 2, 0);
        line(cr, left, y, left + pw, y, 0.8, RED);
        cairo_restore(cr);
    }
    slot = n ? pw / (double)n : pw;
    bw = slot * (b ? 0.36 : 0.6);
    for (i = 0; i < n; i++) {
        double x = left + slot * (double)i + slot / 2;
        double ya = ph * a[i] / max;
        double xa = b ? x - bw : x - bw / 2;
        rect(cr, xa, top + ph - ya, bw, ya, km ? GREEN : BLUE);
        if (km)
            bp_fmt_number(a[i], 1, r->lang, s, sizeof(s));
        else
            bp_fmt_int((int64_t)a[i], r->lang, s, sizeof(s));
        text(cr, xa + bw / 2, top + ph - ya - 11, s, 7, 0, CENTRE, INK, 0);
        if (b) {
            double yb = ph * b[i] / max;
            rect(cr, x, top + ph - yb, bw, yb, AMBER);
            bp_fmt_int((int64_t)b[i], r->lang, s, sizeof(s));
            text(cr, x + bw / 2, top + ph - yb - 11, s, 7, 0, CENTRE, INK, 0);
        }
        snprintf(s, sizeof(s), "%d", r->years[i].year);
        text(cr, x, top + ph + 3, s, 8, 0, CENTRE, INK, 0);
    }
    line(cr, left, top + ph, left + pw, top + ph, 0.8, INK);
    /* Legend. */
    {
        double x = left, y = h - 13;
        rect(cr, x, y + 2, 8, 8, km ? GREEN : BLUE);
        x += 11 + text(cr, x + 11, y, la, 7.5, 0, LEFT, INK, 0) + 12;
        if (b) {
            rect(cr, x, y + 2, 8, 8, AMBER);
            x += 11 + text(cr, x + 11, y, lb, 7.5, 0, LEFT, INK, 0) + 12;
        }
        if (ceiling > 0) {
            line(cr, x, y + 6, x + 14, y + 6, 0.8, RED);
            text(cr, x + 17, y, RL(r, "chiều dài tuyến", "line length"), 7.5, 0,
                 LEFT, INK, 0);
        }
    }
}

static int chart_km(const struct bp_report *r, cairo_t *cr, double w, double h)
{
    double *a = bp_calloc(r->nyears + 1, sizeof(double));
    size_t i;

    if (!a)
        return BP_ENOMEM;
    for (i = 0; i < r->nyears; i++)
        a[i] = r->years[i].fig.covered_m / 1000.0;
    bars(r, cr, w, h,
         RL(r, "Số km đường biên giới được ký nhận tự quản",
            "Km of the border line co-managed"),
         a, NULL, "km", NULL, r->headline.length_m / 1000.0, 1);
    bp_free(a);
    return 0;
}

static int chart_custodians(const struct bp_report *r, cairo_t *cr, double w,
                            double h)
{
    double *a = bp_calloc(2 * r->nyears + 1, sizeof(double)), *b;
    size_t i;

    if (!a)
        return BP_ENOMEM;
    b = a + r->nyears;
    for (i = 0; i < r->nyears; i++) {
        a[i] = (double)r->years[i].fig.households;
        b[i] = (double)r->years[i].fig.collectives;
    }
    bars(r, cr, w, h,
         RL(r, "Hộ gia đình và tập thể ký nhận tự quản",
            "Households and collectives co-managing"),
         a, b, RL(r, "hộ gia đình", "households"),
         RL(r, "tập thể", "collectives"), 0, 0);
    bp_free(a);
    return 0;
}

/*
 * The straight-line diagram: the scope's stretch cut into strips stacked
 * down the figure; each strip has a km ruler, the communes, the pledged
 * stretches and gaps, the markers, and the lanes of walked stretches,
 * road built, lights and bamboo.
 */
static void diagram(const struct bp_report *r, cairo_t *cr, double w, double h)
{
    const double label_w = 74, right = 8, legend_h = 18;
    double a = r->scope_from_m, b = r->scope_to_m, len = b - a;
    int nstrips = len > 150000 ? 4 : len > 60000 ? 2 : 1;
    double strip_h = (h - legend_h) / nstrips, pw = w - label_w - right;
    double per = len / nstrips;
    const char *rows[] = {RL(r, "Xã", "Commune"), RL(r, "Ký nhận", "Pledged"),
                          RL(r, "Mốc", "Markers"), RL(r, "Tuần tra", "Walked"),
                          RL(r, "Đường TT", "Road"), RL(r, "Đèn", "Lights"),
                          RL(r, "Lũy tre", "Bamboo")};
    /* The lanes of rows 3..6, with their colours and whether the module
     * behind them has records. */
    const struct bp_spanset *lanes[4] = {&r->walked, &r->road, &r->lit,
                                         &r->bamboo};
    const struct rgb lane_c[4] = {BLUE, BROWN, AMBER, BAMBOO};
    const int lane_on[4] = {r->section_present[BP_SECTION_PATROLS],
                            r->section_present[BP_SECTION_CAMPAIGN],
                            r->section_present[BP_SECTION_MODELS],
                            r->section_present[BP_SECTION_MODELS]};
    int k;
    size_t i;
    char s[64];

    if (len <= 0)
        return;
    for (k = 0; k < nstrips; k++) {
        double s0 = a + per * k, s1 = s0 + per, y0 = strip_h * k;
        double rh = (strip_h - 22) / 7.4, km, step;
#define X(m) (label_w + pw * ((m)-s0) / per)
        /* Ruler. */
        step = nice_step(per / 1000.0, 8);
        for (km = ceil(s0 / 1000.0 / step) * step; km * 1000 <= s1 + 1;
             km += step) {
            double x = X(km * 1000);
            line(cr, x, y0 + 12, x, y0 + 16, 0.5, INK);
            bp_fmt_number(km, 0, r->lang, s, sizeof(s));
            text(cr, x, y0 + 2, s, 6.5, 0, CENTRE, GREY, 0);
        }
        line(cr, label_w, y0 + 16, label_w + pw, y0 + 16, 0.5, INK);
        for (i = 0; i < 7; i++)
            text(cr, label_w - 4, y0 + 18 + rh * (double)i + rh / 2 - 4.5,
                 rows[i], 7, 0, RIGHT, INK, 0);
        /* Communes. */
        for (i = 0; i < r->ncommunes; i++) {
            const struct bp_report_row *c = &r->communes[i];
            double ca = fmax(c->from_m, s0), cb = fmin(c->to_m, s1);
            if (cb <= ca)
                continue;
            rect(cr, X(ca), y0 + 18, X(cb) - X(ca), rh - 1,
                 i % 2 ? BAND2 : BAND1);
            if (X(cb) - X(ca) > 14) {
                const char *nm = c->name;
                if (!strncmp(nm, "Xã ", 4))
                    nm += 4;
                text(cr, (X(ca) + X(cb)) / 2, y0 + 18 + rh / 2 - 4.5, nm, 6.5,
                     0, CENTRE, INK, X(cb) - X(ca) - 2);
            }
        }
        /* Pledged stretches on a gap-red ground. */
        rect(cr, X(s0), y0 + 18 + rh, X(s1) - X(s0), rh - 1, RED);
        for (i = 0; i < r->covered.n; i++) {
            double ca = fmax(r->covered.v[i].from_m, s0);
            double cb = fmin(r->covered.v[i].to_m, s1);
            if (cb > ca)
                rect(cr, X(ca), y0 + 18 + rh, X(cb) - X(ca), rh - 1, GREEN);
        }
        /* Markers: every one a tick, main ones labelled where room. */
        {
            double last_x = -1e9, my = y0 + 18 + 2 * rh;
            for (i = 0; i < r->nmarkers; i++) {
                const struct bp_report_marker *m = &r->markers[i];
                double x;
                if (m->measure_m < s0 || m->measure_m > s1)
                    continue;
                x = X(m->measure_m);
                line(cr, x, my, x, my + (m->main ? rh * 0.5 : rh * 0.3), 0.4,
                     m->pledged ? INK : RED);
                if (m->main && x - last_x > 22) {
                    text(cr, x, my + rh * 0.5, m->number, 5, 0, CENTRE, GREY,
                         0);
                    last_x = x;
                }
            }
        }
        /* Walked, road, lights, bamboo: a thin ground, the stretches
         * thick over it (at least a hairline, so short ones show). */
        for (i = 3; i < 7; i++) {
            double y = y0 + 18 + rh * (double)i;
            const struct bp_spanset *ln = lanes[i - 3];
            size_t j;
            rect(cr, X(s0), y + rh * 0.42, X(s1) - X(s0), rh * 0.16, LIGHT);
            if (!lane_on[i - 3]) {
                text(cr, (X(s0) + X(s1)) / 2, y + rh / 2 - 4.5,
                     RL(r, "(chưa có số liệu)", "(no data yet)"), 6.5, 0,
                     CENTRE, GREY, 0);
                continue;
            }
            for (j = 0; j < ln->n; j++) {
                double ca = fmax(ln->v[j].from_m, s0);
                double cb = fmin(ln->v[j].to_m, s1);
                if (cb > ca)
                    rect(cr, X(ca), y + rh * 0.2,
                         fmax(X(cb) - X(ca), 0.6), rh * 0.6,
                         lane_c[i - 3]);
            }
        }
#undef X
    }
    /* Legend. */
    {
        double x = label_w, y = h - legend_h + 4;
        rect(cr, x, y + 2, 10, 7, GREEN);
        x += 13 +
             text(cr, x + 13, y, RL(r, "đã ký nhận tự quản", "pledged"), 7, 0,
                  LEFT, INK, 0) +
             12;
        rect(cr, x, y + 2, 10, 7, RED);
        x += 13 +
             text(cr, x + 13, y, RL(r, "chưa có ai ký nhận", "nobody pledged"),
                  7, 0, LEFT, INK, 0) +
             12;
        line(cr, x + 4, y + 1, x + 4, y + 9, 0.6, INK);
        x += 9 +
             text(cr, x + 9, y, RL(r, "mốc quốc giới", "marker"), 7, 0, LEFT,
                  INK, 0) +
             12;
        line(cr, x + 4, y + 1, x + 4, y + 9, 0.6, RED);
        text(cr, x + 9, y, RL(r, "mốc chưa ký nhận", "marker not pledged"), 7,
             0, LEFT, INK, 0);
    }
}

/* The map: the line in an equirectangular projection at its mean
 * latitude, green where pledged, red where not, with a scale bar. */
static void map(const struct bp_report *r, cairo_t *cr, double w, double h)
{
    double lo0 = 1e9, lo1 = -1e9, la0 = 1e9, la1 = -1e9, kx, sc, ox, oy;
    double pad = 16, mx, my;
    size_t i;
    char s[48];

    if (r->nmap < 2)
        return;
    for (i = 0; i < r->nmap; i++) {
        lo0 = fmin(lo0, r->map[i].lon);
        lo1 = fmax(lo1, r->map[i].lon);
        la0 = fmin(la0, r->map[i].lat);
        la1 = fmax(la1, r->map[i].lat);
    }
    kx = cos((la0 + la1) / 2 * M_PI / 180);
    sc = fmin((w - 2 * pad) / fmax((lo1 - lo0) * kx, 1e-9),
              (h - 2 * pad - 14) / fmax(la1 - la0, 1e-9));
    ox = (w - (lo1 - lo0) * kx * sc) / 2;
    oy = (h - 14 - (la1 - la0) * sc) / 2;
#define PX(p) (ox + ((p).lon - lo0) * kx * sc)
#define PY(p) (oy + (la1 - (p).lat) * sc)
    rect(cr, 0, 0, w, h, (struct rgb){0.97, 0.97, 0.95});
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (i = 1; i < r->nmap; i++) {
        double m = (r->map[i - 1].measure_m + r->map[i].measure_m) / 2;
        line(cr, PX(r->map[i - 1]), PY(r->map[i - 1]), PX(r->map[i]),
             PY(r->map[i]), 2.2,
             bp_spanset_contains(&r->covered, m) ? GREEN : RED);
    }
    /* Commune boundaries as dots. */
    for (i = 0; i < r->ncommunes; i++) {
        size_t j;
        for (j = 0; j < r->nmap; j++)
            if (r->map[j].measure_m >= r->communes[i].from_m)
                break;
        if (j < r->nmap) {
            colour(cr, INK);
            cairo_arc(cr, PX(r->map[j]), PY(r->map[j]), 1.8, 0, 2 * M_PI);
            cairo_fill(cr);
        }
    }
    /* Scale bar: a round number of km near a fifth of the width. */
    {
        /* One degree of latitude is about 111.32 km; x was scaled alike. */
        double m_per_pt = 111320.0 / sc;
        double km = nice_step(w / 5 * m_per_pt / 1000.0, 1);
        double bar = km * 1000.0 / m_per_pt;
        mx = pad;
        my = h - 12;
        line(cr, mx, my, mx + bar, my, 1.2, INK);
        line(cr, mx, my - 3, mx, my + 1, 1, INK);
        line(cr, mx + bar, my - 3, mx + bar, my + 1, 1, INK);
        bp_fmt_number(km, 0, r->lang, s, sizeof(s));
        strncat(s, " km", sizeof(s) - strlen(s) - 1);
        text(cr, mx + bar + 4, my - 6, s, 7, 0, LEFT, INK, 0);
    }
    text(cr, w - pad, 4, RL(r, "↑ Bắc", "↑ North"), 8, 1, RIGHT, INK, 0);
#undef PX
#undef PY
}

int bp__report_draw(const struct bp_report *r, enum bp_report_figure f,
                    cairo_t *cr, double w, double h)
{
    int rc = 0;

    cairo_save(cr);
    switch (f) {
    case BP_FIGURE_KM_PER_YEAR:
        rc = chart_km(r, cr, w, h);
        break;
    case BP_FIGURE_CUSTODIANS_PER_YEAR:
        rc = chart_custodians(r, cr, w, h);
        break;
    case BP_FIGURE_DIAGRAM:
        diagram(r, cr, w, h);
        break;
    case BP_FIGURE_MAP:
        map(r, cr, w, h);
        break;
    default:
        rc = BP_EINVAL;
    }
    cairo_restore(cr);
    if (!rc && cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        rc = BP_EIO;
    return rc;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data,
                             unsigned int len)
{
    return bp_buf_add(closure, data, len) ? CAIRO_STATUS_NO_MEMORY
                                          : CAIRO_STATUS_SUCCESS;
}

static int finish(cairo_surface_t *sf, cairo_t *cr, int rc,
                  struct bp_error *err)
{
    cairo_status_t cs;

    if (cr)
        cairo_destroy(cr);
    cairo_surface_finish(sf);
    cs = cairo_surface_status(sf);
    cairo_surface_destroy(sf);
    if (!rc && cs != CAIRO_STATUS_SUCCESS)
        rc = cs == CAIRO_STATUS_NO_MEMORY ? BP_ENOMEM : BP_EIO;
    if (rc)
        bp_error_set(err, rc, "cannot draw the figure: %s",
                     cs != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(cs)
                                                : bp_strerror(rc));
    return rc;
}

int bp_report_figure_svg(const struct bp_report *r, enum bp_report_figure f,
                         double width_pt, double height_pt, struct bp_buf *out,
                         struct bp_error *err)
{
    cairo_surface_t *sf;
    cairo_t *cr;
    int rc;

    if (!r || !out || !(width_pt > 0) || !(height_pt > 0))
        return bp_error_set(err, BP_EINVAL, "no report or an empty figure");
    sf = cairo_svg_surface_create_for_stream(to_buf, out, width_pt, height_pt);
    cr = cairo_create(sf);
    rc = bp__report_draw(r, f, cr, width_pt, height_pt);
    return finish(sf, cr, rc, err);
}

int bp_report_figure_png(const struct bp_report *r, enum bp_report_figure f,
                         int width_px, int height_px, struct bp_buf *out,
                         struct bp_error *err)
{
    cairo_surface_t *sf;
    cairo_t *cr;
    int rc;

    if (!r || !out || width_px <= 0 || height_px <= 0 || width_px > 20000 ||
        height_px > 20000)
        return bp_error_set(err, BP_EINVAL, "no report or a bad image size");
    sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width_px, height_px);
    cr = cairo_create(sf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    rc = bp__report_draw(r, f, cr, width_px, height_px);
    cairo_destroy(cr);
    if (!rc && cairo_surface_write_to_png_stream(sf, to_buf, out) !=
                   CAIRO_STATUS_SUCCESS)
        rc = BP_EIO;
    return finish(sf, NULL, rc, err);
}

void bp_report_shutdown(void)
{
    pango_cairo_font_map_set_default(NULL);
    cairo_debug_reset_static_data();
    FcFini();
}
