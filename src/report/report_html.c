/* SPDX-License-Identifier: MIT */
/*
 * The review report as one self-contained HTML page: inline CSS laid out
 * for A4 printing, the administrative masthead, the tables, and the
 * charts and diagram as inline SVG drawn by the same cairo code as the
 * PDF. Ids inside each SVG are prefixed so several can share a page.
 */
#include <stdio.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "report/report_int.h"

static const char css[] =
    "@page{size:A4;margin:20mm 15mm 20mm 30mm}"
    "body{font-family:'Noto Serif','Times New Roman',serif;font-size:13pt;"
    "max-width:170mm;margin:1em auto;color:#111;line-height:1.4}"
    ".mast{display:flex;justify-content:space-between;text-align:center}"
    ".mast div{flex:1}.mast b{display:block}"
    ".rule{width:40%;margin:2px auto 6px;border-top:1px solid #000}"
    "h1{text-align:center;font-size:14pt;margin:1.2em 0 0}"
    "h2{text-align:center;font-size:13pt;margin:.2em 0 1em}"
    "h3{font-size:13pt;margin:1.2em 0 .4em}h4{font-size:13pt;margin:.8em 0 "
    ".3em}"
    "table{border-collapse:collapse;width:100%;font-size:10.5pt;"
    "margin:.4em 0 1em;page-break-inside:auto}"
    "th,td{border:1px solid #444;padding:2px 4px}th{background:#eee}"
    "td.n{text-align:right;white-space:nowrap}tr{page-break-inside:avoid}"
    "figure{margin:.6em 0;text-align:center;page-break-inside:avoid}"
    "figure svg{max-width:100%;height:auto}figcaption{font-style:italic;"
    "font-size:11pt}.src{font-style:italic;font-size:10.5pt}"
    ".sign{text-align:right;font-weight:bold;margin-top:2em}";

/* Append `svg` without its XML declaration, every id prefixed by `pfx`. */
static int inline_svg(struct bp_buf *out, const char *svg, const char *pfx)
{
    const char *p = strstr(svg, "<svg");
    int rc = 0;

    if (!p)
        return 0;
    while (*p && !rc) {
        if (!strncmp(p, "id=\"", 4)) {
            rc = bp_buf_addf(out, "id=\"%s", pfx);
            p += 4;
        } else if (!strncmp(p, "href=\"#", 7)) {
            rc = bp_buf_addf(out, "href=\"#%s", pfx);
            p += 7;
        } else if (!strncmp(p, "url(#", 5)) {
            rc = bp_buf_addf(out, "url(#%s", pfx);
            p += 5;
        } else {
            rc = bp_buf_addch(out, *p++);
        }
    }
    return rc;
}

static int fig(struct bp_buf *out, const struct bp_report *r,
               enum bp_report_figure f, double w, double h, const char *caption,
               struct bp_error *err)
{
    struct bp_buf svg = BP_BUF_INIT;
    char pfx[8];
    int rc;

    snprintf(pfx, sizeof(pfx), "f%d-", (int)f);
    rc = bp_report_figure_svg(r, f, w, h, &svg, err);
    if (!rc)
        rc = bp_buf_adds(out, "<figure>") || inline_svg(out, svg.data, pfx) ||
                     bp_buf_addf(out, "<figcaption>%s</figcaption></figure>\n",
                                 caption)
                 ? bp_error_set(err, BP_ENOMEM, "out of memory")
                 : 0;
    bp_buf_release(&svg);
    return rc;
}

static void fig_row(struct bp_buf *b, const struct bp_report *r, const char *c0,
                    const char *c1, const struct bp_cov_figures *f)
{
    char a[32], l[32], p[32], h[32], c[32];

    bp_buf_adds(b, "<tr><td>");
    bp__report_html_escape(b, c0);
    bp_buf_adds(b, "</td><td>");
    bp__report_html_escape(b, c1);
    bp_buf_addf(b,
                "</td><td class=n>%s/%s</td><td class=n>%s</td>"
                "<td class=n>%s</td><td class=n>%s</td>"
                "<td class=n>%zu/%zu</td></tr>\n",
                bp__report_km(r, f->covered_m, a, sizeof(a)),
                bp__report_km(r, f->length_m, l, sizeof(l)),
                bp__report_pct(r, f->covered_m, f->length_m, p, sizeof(p)),
                bp__report_int(r, f->households, h, sizeof(h)),
                bp__report_int(r, f->collectives, c, sizeof(c)),
                f->markers_pledged, f->markers_total);
}

static void fig_head(struct bp_buf *b, const struct bp_report *r,
                     const char *c0, const char *c1)
{
    bp_buf_addf(b,
                "<table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
                "<th>%s</th><th>%s</th><th>%s</th></tr>\n",
                c0, c1, RL(r, "km tự quản", "km pledged"),
                RL(r, "Tỷ lệ (%)", "Share (%)"),
                RL(r, "Hộ gia đình", "Households"),
                RL(r, "Tập thể", "Collectives"),
                RL(r, "Mốc ký nhận", "Markers pledged"));
}

/* A table built by bp__report_table(); cells are markup already. */
static int html_table(struct bp_buf *b, const struct bp_report *r,
                      enum bp__report_tab which)
{
    struct bp__report_table t;
    size_t i, j;
    int rc = bp__report_table(r, which, &t);

    if (!rc) {
        bp_buf_adds(b, "<table><tr>");
        for (j = 0; j < t.ncols; j++)
            bp_buf_addf(b, "<th>%s</th>", t.head[j]);
        bp_buf_adds(b, "</tr>\n");
        for (i = 0; i < t.nrows; i++) {
            bp_buf_adds(b, "<tr>");
            for (j = 0; j < t.ncols; j++)
                bp_buf_addf(b, "<td%s>%s</td>",
                            j >= t.first_num ? " class=n" : "",
                            t.cells[i * t.ncols + j]);
            bp_buf_adds(b, "</tr>\n");
        }
        bp_buf_adds(b, "</table>\n");
    }
    bp__report_table_release(&t);
    return rc;
}

static int html_prose(struct bp_buf *b, const struct bp_report *r,
                      enum bp__report_tab which)
{
    int rc;

    bp_buf_adds(b, "<p>");
    rc = bp__report_prose(r, which, b);
    bp_buf_adds(b, "</p>\n");
    return rc;
}

/* The patrol, campaign and models sections, numbered from `n`. */
static int html_activity(struct bp_buf *b, const struct bp_report *r, int n)
{
    int rc = 0;

    if (r->section_present[BP_SECTION_PATROLS]) {
        bp_buf_addf(b, "<h4>%d. %s</h4>", n++,
                    bp__report_section_title(r, BP_SECTION_PATROLS));
        rc |= html_prose(b, r, BP_TAB_PATROLS);
        rc |= html_table(b, r, BP_TAB_PATROLS);
        rc |= html_table(b, r, BP_TAB_INCIDENTS);
    }
    if (r->section_present[BP_SECTION_CAMPAIGN]) {
        bp_buf_addf(b, "<h4>%d. %s</h4>", n++,
                    bp__report_section_title(r, BP_SECTION_CAMPAIGN));
        rc |= html_prose(b, r, BP_TAB_CAMPAIGN);
        rc |= html_table(b, r, BP_TAB_CAMPAIGN);
    }
    if (r->section_present[BP_SECTION_MODELS]) {
        bp_buf_addf(b, "<h4>%d. %s</h4>", n,
                    bp__report_section_title(r, BP_SECTION_MODELS));
        rc |= html_prose(b, r, BP_TAB_EVENTS);
        rc |= html_table(b, r, BP_TAB_EVENTS);
        rc |= html_table(b, r, BP_TAB_AWARDS);
    }
    return rc ? BP_ENOMEM : 0;
}

int bp_report_html(const struct bp_report *r, struct bp_buf *b,
                   struct bp_error *err)
{
    char d1[48], d2[16], k1[32], k2[32], y[16];
    size_t i, start, nabsent = 0;
    int rc = 0, n = 1;

    if (!r || !b)
        return bp_error_set(err, BP_EINVAL, "no report");
    start = b->len;
    bp_buf_addf(b,
                "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta "
                "charset=\"utf-8\"><title>",
                r->lang == BP_LANG_VI ? "vi" : "en");
    bp__report_html_escape(b, r->title);
    bp_buf_addf(b,
                "</title><style>%s</style></head><body>\n<div "
                "class=mast><div><b>",
                css);
    bp__report_html_escape(b, r->issuer);
    bp_buf_addf(b,
                "</b><div class=rule></div>%s</div><div><b>%s</b><b>%s</b>"
                "<div class=rule></div><i>",
                RL(r, "Số:&nbsp;&nbsp;&nbsp;&nbsp;/BC-BCH",
                   "No.&nbsp;&nbsp;&nbsp;&nbsp;/BC-BCH"),
                RL(r, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                   "SOCIALIST REPUBLIC OF VIET NAM"),
                RL(r, "Độc lập - Tự do - Hạnh phúc",
                   "Independence - Freedom - Happiness"));
    bp__report_html_escape(b, r->place);
    bp_buf_addf(b, ", %s</i></div></div>\n<h1>%s</h1><h2>",
                bp__report_date_long(r, r->issued_on, d1),
                RL(r, "BÁO CÁO", "REPORT"));
    bp__report_subtitle(r, b);
    bp_buf_addf(b, "</h2>\n<p class=src>");
    bp__report_sources(r, b);
    bp_buf_addf(b, " <code>%s</code></p>\n", r->records_sha256);

    bp_buf_addf(b, "<h3>%s</h3><h4>1. %s</h4><p>",
                RL(r, "I. KẾT QUẢ THỰC HIỆN", "I. RESULTS"),
                bp__report_section_title(r, BP_SECTION_HEADLINE));
    bp_buf_addf(b, RL(r, "Tính đến ngày %s, ", "As of %s, "),
                bp__report_date(r, r->to, d2));
    {
        struct bp_buf t = BP_BUF_INIT;
        rc = bp_report_headline(r, &t);
        bp__report_html_escape(b, t.data);
        bp_buf_release(&t);
    }
    bp_buf_addf(b, ".</p>\n<h4>2. %s</h4>",
                bp__report_section_title(r, BP_SECTION_YEARS));
    fig_head(b, r, RL(r, "Năm", "Year"), RL(r, "Tính đến", "As of"));
    for (i = 0; i < r->nyears; i++) {
        snprintf(y, sizeof(y), "%d", r->years[i].year);
        fig_row(b, r, y, bp__report_date(r, r->years[i].as_of, d2),
                &r->years[i].fig);
    }
    bp_buf_adds(b, "</table>\n");
    if (!rc)
        rc = fig(b, r, BP_FIGURE_KM_PER_YEAR, 480, 190,
                 RL(r, "Hình 1. Số km ký nhận tự quản qua các năm",
                    "Figure 1. Km co-managed by year"),
                 err);
    if (!rc)
        rc = fig(b, r, BP_FIGURE_CUSTODIANS_PER_YEAR, 480, 190,
                 RL(r, "Hình 2. Hộ gia đình, tập thể ký nhận qua các năm",
                    "Figure 2. Custodians by year"),
                 err);
    bp__report_progress(r, 0.7, "tables");
    bp_buf_addf(b, "<h4>3. %s</h4>",
                bp__report_section_title(r, BP_SECTION_COMMUNES));
    fig_head(b, r, RL(r, "Mã xã", "Code"), RL(r, "Xã", "Commune"));
    for (i = 0; i < r->ncommunes; i++)
        fig_row(b, r, r->communes[i].code, r->communes[i].name,
                &r->communes[i].fig);
    bp_buf_adds(b, "</table>\n");
    n = 4;
    if (r->nstations_rows) {
        bp_buf_addf(b, "<h4>%d. %s</h4>", n++,
                    bp__report_section_title(r, BP_SECTION_STATIONS));
        fig_head(b, r, RL(r, "Mã", "Code"), RL(r, "Đồn", "Station"));
        for (i = 0; i < r->nstations_rows; i++)
            fig_row(b, r, r->stations[i].code, r->stations[i].name,
                    &r->stations[i].fig);
        bp_buf_adds(b, "</table>\n");
    }
    bp_buf_addf(b, "<h4>%d. %s</h4>", n,
                bp__report_section_title(r, BP_SECTION_DIAGRAM));
    if (!rc)
        rc = fig(b, r, BP_FIGURE_DIAGRAM, 480,
                 r->scope_to_m - r->scope_from_m > 150000  ? 420
                 : r->scope_to_m - r->scope_from_m > 60000 ? 240
                                                           : 140,
                 RL(r, "Hình 3. Sơ đồ duỗi thẳng (km theo lý trình chính thức)",
                    "Figure 3. Straight-line diagram (official km)"),
                 err);
    if (!rc)
        rc = fig(b, r, BP_FIGURE_MAP, 480, 260,
                 RL(r,
                    "Hình 4. Tuyến biên giới: xanh đã ký nhận, đỏ chưa có "
                    "ai ký nhận",
                    "Figure 4. The border line: green pledged, red not"),
                 err);
    if (!rc)
        rc = html_activity(b, r, n + 1);
    bp__report_progress(r, 0.9, "figures");
    bp_buf_addf(b, "<h3>%s</h3><p>",
                RL(r, "II. TỒN TẠI, HẠN CHẾ", "II. SHORTCOMINGS"));
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
    bp_buf_adds(b, "</p>\n");
    if (r->section_present[BP_SECTION_PATROLS] && !rc)
        rc = html_prose(b, r, BP_TAB_OVERDUE);
    for (i = 0; i < BP_SECTION_COUNT; i++)
        nabsent += !r->section_present[i] && i != BP_SECTION_STATIONS;
    if (nabsent) {
        bp_buf_addf(b, "<p>%s",
                    RL(r, "Chưa có số liệu trong hệ thống về: ",
                       "Not yet recorded in the system: "));
        for (i = 0; i < BP_SECTION_COUNT; i++)
            if (!r->section_present[i] && i != BP_SECTION_STATIONS) {
                bp__report_html_escape(b, bp__report_section_title(r, i));
                bp_buf_adds(b, --nabsent ? "; " : ".");
            }
        bp_buf_adds(b, "</p>\n");
    }
    bp_buf_addf(b,
                "<h3>%s</h3><table><tr><th>%s</th><th>%s</th><th>%s</th>"
                "<th>%s</th><th>%s</th><th>%s</th></tr>\n",
                RL(r, "PHỤ LỤC: CÁC ĐOẠN CHƯA CÓ AI KÝ NHẬN TỰ QUẢN",
                   "APPENDIX: STRETCHES NOBODY HAS PLEDGED"),
                RL(r, "TT", "No."), RL(r, "Từ km", "From km"),
                RL(r, "Đến km", "To km"), RL(r, "Dài (km)", "Length (km)"),
                RL(r, "Giữa mốc", "Between markers"), RL(r, "Xã", "Commune"));
    for (i = 0; i < r->ngaps; i++) {
        const struct bp_report_gap *g = &r->gaps[i];
        char a[32], c[32], l[32];
        bp_buf_addf(b,
                    "<tr><td class=n>%zu</td><td class=n>%s</td><td "
                    "class=n>%s</td><td class=n>%s</td><td>",
                    i + 1, bp__report_km(r, g->from_m, a, sizeof(a)),
                    bp__report_km(r, g->to_m, c, sizeof(c)),
                    bp__report_km(r, g->to_m - g->from_m, l, sizeof(l)));
        bp__report_html_escape(b, g->marker_before ? g->marker_before : "—");
        bp_buf_adds(b, " – ");
        bp__report_html_escape(b, g->marker_after ? g->marker_after : "—");
        bp_buf_adds(b, "</td><td>");
        bp__report_html_escape(b, g->commune_name ? g->commune_name : "—");
        bp_buf_adds(b, "</td></tr>\n");
    }
    bp_buf_adds(b, "</table>\n");
    if (r->section_present[BP_SECTION_PATROLS] && !rc) {
        bp_buf_addf(b, "<h3>%s</h3>",
                    RL(r,
                       "PHỤ LỤC: CÁC ĐOẠN, MỐC QUÁ HẠN TUẦN TRA, KIỂM TRA "
                       "THEO XÃ",
                       "APPENDIX: OVERDUE STRETCHES AND MARKERS BY "
                       "COMMUNE"));
        rc = html_table(b, r, BP_TAB_OVERDUE);
    }
    bp_buf_addf(b, "<p class=sign>%s</p>\n</body></html>\n",
                RL(r, "T/M BỘ CHỈ HUY", "FOR THE COMMAND"));
    /* The buffer's appends fail only on memory; check it once here. */
    if (!rc && (b->len == start || !b->cap)) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
    }
    if (!rc)
        bp__report_progress(r, 1, "done");
    return rc;
}
