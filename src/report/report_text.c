/* SPDX-License-Identifier: MIT */
/*
 * The words and numbers of the review report: the headline sentence,
 * section names in Vietnamese and English, and vi-VN number and date
 * formats shared by the HTML, PDF and chart renderings.
 */
#include <stdio.h>
#include <string.h>

#include "bienphong/date.h"
#include "report/report_int.h"

char *bp__report_km(const struct bp_report *r, double m, char *out, size_t size)
{
    return bp_fmt_number(m / 1000.0, 3, r->lang, out, size);
}

char *bp__report_pct(const struct bp_report *r, double covered, double length,
                     char *out, size_t size)
{
    return bp_fmt_number(length > 0 ? 100.0 * covered / length : 0, 1, r->lang,
                         out, size);
}

char *bp__report_int(const struct bp_report *r, size_t v, char *out,
                     size_t size)
{
    return bp_fmt_int((int64_t)v, r->lang, out, size);
}

char *bp__report_date(const struct bp_report *r, int32_t d, char *out)
{
    return r->lang == BP_LANG_VI ? bp_date_format_vi(d, out)
                                 : bp_date_format_iso(d, out);
}

char *bp__report_date_long(const struct bp_report *r, int32_t d, char *out)
{
    static const char *const months[12] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    int y, m, dd;

    bp_date_to_ymd(d, &y, &m, &dd);
    /* Administrative style: day with two digits, months 1 and 2 with two
     * ("ngày 03 tháng 3", "tháng 01"). */
    if (r->lang == BP_LANG_VI)
        snprintf(out, 48, "ngày %02d tháng %s%d năm %d", dd, m < 3 ? "0" : "",
                 m, y);
    else
        snprintf(out, 48, "%d %s %d", dd, months[m - 1], y);
    return out;
}

int bp__report_html_escape(struct bp_buf *b, const char *s)
{
    int rc = 0;

    for (; s && *s && !rc; s++)
        switch (*s) {
        case '&':
            rc = bp_buf_adds(b, "&amp;");
            break;
        case '<':
            rc = bp_buf_adds(b, "&lt;");
            break;
        case '>':
            rc = bp_buf_adds(b, "&gt;");
            break;
        case '"':
            rc = bp_buf_adds(b, "&quot;");
            break;
        default:
            rc = bp_buf_addch(b, *s);
        }
    return rc;
}

const char *bp__report_section_title(const struct bp_report *r,
                                     enum bp_report_section s)
{
    static const char *const vi[BP_SECTION_COUNT] = {
        "Kết quả nổi bật",
        "Kết quả qua các năm",
        "Kết quả theo xã, thị trấn biên giới",
        "Kết quả theo đồn biên phòng",
        "Sơ đồ duỗi thẳng tuyến biên giới",
        "Bản đồ tuyến biên giới",
        "Tồn tại, hạn chế",
        "Tuần tra, kiểm tra cột mốc, vụ việc",
        "Vận động xây dựng đường tuần tra",
        "Mô hình, hoạt động 3/3, khen thưởng",
    };
    static const char *const en[BP_SECTION_COUNT] = {
        "Headline",
        "Year by year",
        "By border commune",
        "By border guard station",
        "Straight-line diagram of the border",
        "Map of the border line",
        "Shortcomings",
        "Patrols, marker inspections, incidents",
        "Patrol-road campaign",
        "Models, 3 March activities, commendations",
    };
    if ((unsigned)s >= BP_SECTION_COUNT)
        return "?";
    return r->lang == BP_LANG_VI ? vi[s] : en[s];
}

int bp_report_headline(const struct bp_report *r, struct bp_buf *out)
{
    const struct bp_cov_figures *f = &r->headline;
    char c[32], l[32], p[32];

    bp__report_km(r, f->covered_m, c, sizeof(c));
    bp__report_km(r, f->length_m, l, sizeof(l));
    bp__report_pct(r, f->covered_m, f->length_m, p, sizeof(p));
    if (r->lang == BP_LANG_VI)
        return bp_buf_addf(out,
                           "%zu tập thể và %zu hộ gia đình ký nhận tự quản "
                           "%s/%s km đường biên giới (%s%%) và %zu/%zu mốc "
                           "quốc giới",
                           f->collectives, f->households, c, l, p,
                           f->markers_pledged, f->markers_total);
    return bp_buf_addf(out,
                       "%zu collectives and %zu households co-manage %s/%s "
                       "km of the border line (%s%%) and %zu/%zu boundary "
                       "markers",
                       f->collectives, f->households, c, l, p,
                       f->markers_pledged, f->markers_total);
}

int bp__report_sources(const struct bp_report *r, struct bp_buf *b)
{
    char d1[16], d2[16], n[5][32];
    int rc;

    bp__report_int(r, r->nstations, n[0], sizeof(n[0]));
    bp__report_int(r, r->ncommunes_all, n[1], sizeof(n[1]));
    bp__report_int(r, r->nmarkers_all, n[2], sizeof(n[2]));
    bp__report_int(r, r->ncustodians_all, n[3], sizeof(n[3]));
    bp__report_int(r, r->npledges_all, n[4], sizeof(n[4]));
    rc = bp_buf_addf(b,
                     RL(r,
                        "Số liệu tính từ ngày %s đến ngày %s, trên cơ sở "
                        "dữ liệu: ",
                        "Figures from %s to %s, computed from: "),
                     bp__report_date(r, r->from, d1),
                     bp__report_date(r, r->to, d2));
    rc |= bp__report_html_escape(b, r->border_name ? r->border_name : "—");
    rc |= bp_buf_addf(b,
                      RL(r,
                         " (%s đồn, %s xã, %s mốc, %s hộ và tập thể, %s bản "
                         "ký nhận); mã SHA-256 của dữ liệu:",
                         " (%s stations, %s communes, %s markers, %s "
                         "custodians, %s pledges); SHA-256 of the records:"),
                      n[0], n[1], n[2], n[3], n[4]);
    return rc ? BP_ENOMEM : 0;
}

int bp__report_subtitle(const struct bp_report *r, struct bp_buf *b)
{
    static const char lead[] = "Báo cáo ";
    const char *t = r->title;
    size_t n = strlen(lead);
    int rc = 0;

    if (!strncmp(t, lead, n) && t[n] >= 'a' && t[n] <= 'z') {
        rc = bp_buf_addch(b, t[n] - 'a' + 'A');
        t += n + 1;
    }
    return rc || bp__report_html_escape(b, t) ? BP_ENOMEM : 0;
}
