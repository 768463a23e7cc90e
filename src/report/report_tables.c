/* SPDX-License-Identifier: MIT */
/*
 * The tables and sentences of the patrol, campaign and models sections,
 * built once as cells of markup so the HTML and the PDF print the same
 * words and numbers in the report's language.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "report/report_int.h"

static const char *const inc_en[BP_REPORT_INC_KINDS] = {
    "Illegal border crossing", "Smuggling", "Encroachment",
    "Marker damage",           "Forest fire", "Other"};
static const char *const st_en[BP_REPORT_INC_STATUSES] = {
    "new", "in progress", "resolved"};

void bp__report_table_release(struct bp__report_table *t)
{
    bp_buf_release(&t->pool);
    bp_free(t->offs);
    bp_free(t->cells);
    memset(t, 0, sizeof(*t));
}

/* Append one cell (printf-style, already markup) to the table. */
static void cell(struct bp__report_table *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void cell(struct bp__report_table *t, const char *fmt, ...)
{
    va_list ap;
    size_t *o;

    if (t->rc)
        return;
    o = bp_reallocarray(t->offs, t->ncells + 1, sizeof(*t->offs));
    if (!o) {
        t->rc = BP_ENOMEM;
        return;
    }
    t->offs = o;
    t->offs[t->ncells++] = t->pool.len;
    va_start(ap, fmt);
    t->rc |= bp_buf_vaddf(&t->pool, fmt, ap);
    va_end(ap);
    t->rc |= bp_buf_addch(&t->pool, '\0');
}

/* A text cell, escaped. */
static void tcell(struct bp__report_table *t, const char *s)
{
    struct bp_buf b = BP_BUF_INIT;

    t->rc |= bp__report_html_escape(&b, s ? s : "");
    cell(t, "%s", b.data ? b.data : "");
    bp_buf_release(&b);
}

static void head(struct bp__report_table *t, size_t n, size_t first_num,
                 const char *const *h, const double *w)
{
    size_t i;

    t->ncols = n;
    t->first_num = first_num;
    for (i = 0; i < n; i++) {
        t->head[i] = h[i];
        t->w[i] = w[i];
    }
}

static char *km(const struct bp_report *r, double m, char *out)
{
    return bp__report_km(r, m, out, 32);
}

static char *num(const struct bp_report *r, int64_t v, char *out)
{
    return bp_fmt_int(v, r->lang, out, 32);
}

static char *money(const struct bp_report *r, int64_t v, char *out)
{
    return bp_money_format(v, r->lang, out, 48);
}

static void pat_row(struct bp__report_table *t, const struct bp_report *r,
                    const char *label, const struct bp_report_patrols *p)
{
    char a[32], b[32], c[32], d[32], e[32], f[32], g[32];

    cell(t, "%s", label);
    cell(t, "%s", num(r, (int64_t)p->patrols, a));
    cell(t, "%s", km(r, p->walked_m, b));
    cell(t, "%s/%s", km(r, p->verified_m, c), km(r, p->pledged_m, d));
    cell(t, "%s", num(r, (int64_t)p->inspections, e));
    cell(t, "%s", num(r, (int64_t)p->incidents, f));
    cell(t, "%s", num(r, (int64_t)p->by_status[BP_INC_RESOLVED], g));
}

int bp__report_table(const struct bp_report *r, enum bp__report_tab which,
                     struct bp__report_table *t)
{
    char a[48], b[48], y[16];
    size_t i, k;

    memset(t, 0, sizeof(*t));
    switch (which) {
    case BP_TAB_PATROLS: {
        static const double w[7] = {1.2, 1.1, 1.3, 2.4, 1.1, 0.9, 1.2};
        const char *h[7] = {
            RL(r, "Năm", "Year"),
            RL(r, "Chuyến tuần tra", "Patrols"),
            RL(r, "km tuần tra", "km walked"),
            RL(r, "km xác minh / km ký nhận", "km verified / pledged"),
            RL(r, "Lượt kiểm tra mốc", "Marker inspections"),
            RL(r, "Vụ việc", "Incidents"),
            RL(r, "Đã xử lý", "Resolved")};
        head(t, 7, 1, h, w);
        for (i = 0; i < r->nyears; i++) {
            snprintf(y, sizeof(y), "%d", r->years[i].year);
            pat_row(t, r, y, &r->years[i].pat);
        }
        pat_row(t, r, RL(r, "<b>Cả giai đoạn</b>", "<b>Whole period</b>"),
                &r->patrols);
        break;
    }
    case BP_TAB_INCIDENTS: {
        static const double w[5] = {3.0, 1.0, 1.0, 1.2, 1.2};
        const char *h[5] = {RL(r, "Loại vụ việc", "Kind of incident"),
                            RL(r, "Số vụ", "Incidents"),
                            RL(r, "Mới", "New"),
                            RL(r, "Đang xử lý", "In progress"),
                            RL(r, "Đã xử lý", "Resolved")};
        head(t, 5, 1, h, w);
        /* Status by kind is not kept; the kinds, then the statuses. */
        for (k = 0; k < BP_REPORT_INC_KINDS; k++) {
            const char *vi = bp_incident_kind_vi((enum bp_incident_kind)k);
            char cap[64];
            snprintf(cap, sizeof(cap), "%s", vi);
            if (r->lang == BP_LANG_VI && cap[0] >= 'a' && cap[0] <= 'z')
                cap[0] = (char)(cap[0] - 'a' + 'A');
            tcell(t, r->lang == BP_LANG_VI ? cap : inc_en[k]);
            cell(t, "%s", num(r, (int64_t)r->patrols.by_kind[k], a));
            cell(t, "%s", "");
            cell(t, "%s", "");
            cell(t, "%s", "");
        }
        cell(t, "%s", RL(r, "<b>Cộng</b>", "<b>Total</b>"));
        cell(t, "<b>%s</b>", num(r, (int64_t)r->patrols.incidents, a));
        for (k = 0; k < BP_REPORT_INC_STATUSES; k++)
            cell(t, "<b>%s</b>", num(r, (int64_t)r->patrols.by_status[k], b));
        break;
    }
    case BP_TAB_CAMPAIGN: {
        static const double w[2] = {3.2, 2.0};
        const struct bp_report_campaign *c = &r->campaign;
        const char *h[2] = {RL(r, "Chỉ tiêu", "Figure"),
                            RL(r, "Giá trị", "Value")};
        char p[32];
        head(t, 2, 1, h, w);
        cell(t, "%s", RL(r, "Mục tiêu vận động", "Fundraising goal"));
        cell(t, "%s", money(r, c->goal_vnd, a));
        cell(t, "%s", RL(r, "Cam kết ủng hộ", "Promised"));
        cell(t, "%s", money(r, c->total.promised_vnd, a));
        cell(t, "%s", RL(r, "<b>Đã nhận</b>", "<b>Received</b>"));
        cell(t, "<b>%s</b>", money(r, c->total.received_vnd, a));
        cell(t, "%s", RL(r, "– bằng tiền mặt", "– in cash"));
        cell(t, "%s", money(r, c->total.cash_vnd, a));
        cell(t, "%s", RL(r, "– bằng hiện vật (quy ra tiền)",
                         "– in kind (valued)"));
        cell(t, "%s", money(r, c->total.in_kind_vnd, a));
        cell(t, "%s", RL(r, "– bằng ngày công (quy ra tiền)",
                         "– in labour days (valued)"));
        cell(t, "%s", money(r, c->total.labour_vnd, a));
        cell(t, "%s", RL(r, "Đã chi", "Spent"));
        cell(t, "%s", money(r, c->total.spent_vnd, a));
        cell(t, "%s", RL(r, "Tồn quỹ (tiền mặt)", "Balance (cash)"));
        cell(t, "%s", money(r, c->balance_vnd, a));
        cell(t, "%s", RL(r, "Cam kết chưa nhận", "Promised, not received"));
        cell(t, "%s", money(r, c->outstanding_vnd, a));
        cell(t, "%s", RL(r, "Đường tuần tra: mục tiêu (km)",
                         "Patrol road: goal (km)"));
        cell(t, "%s", km(r, c->goal_road_m, b));
        cell(t, "%s", RL(r, "Đường tuần tra: kế hoạch (km)",
                         "Patrol road: planned (km)"));
        cell(t, "%s", km(r, c->roads.planned_m, b));
        cell(t, "%s", RL(r, "<b>Đường tuần tra: đã làm (km)</b>",
                         "<b>Patrol road: built (km)</b>"));
        cell(t, "<b>%s</b> (%s%% %s)", km(r, c->roads.built_m, b),
             bp__report_pct(r, c->roads.built_m, c->goal_road_m, p,
                            sizeof(p)),
             RL(r, "mục tiêu", "of the goal"));
        cell(t, "%s", RL(r, "Chi phí bình quân 1 km",
                         "Cost per km built"));
        cell(t, "%s", money(r, c->roads.vnd_per_km, a));
        break;
    }
    case BP_TAB_EVENTS: {
        static const double w[6] = {1.0, 0.9, 1.2, 1.6, 1.1, 2.0};
        const char *h[6] = {RL(r, "Năm", "Year"),
                            RL(r, "Số xã", "Communes"),
                            RL(r, "Hoạt động", "Activities"),
                            RL(r, "Lượt người tham gia", "Participants"),
                            RL(r, "Suất quà", "Gifts"),
                            RL(r, "Trị giá quà", "Gifts' value")};
        head(t, 6, 1, h, w);
        for (i = 0; i <= r->nyears; i++) {
            const struct bp_report_events *e =
                i < r->nyears ? &r->years[i].ev : &r->models.events;
            char c1[32], c2[32], c3[32], c4[32];
            if (i < r->nyears) {
                snprintf(y, sizeof(y), "%d", r->years[i].year);
                cell(t, "%s", y);
            } else {
                cell(t, "%s", RL(r, "<b>Cộng</b>", "<b>Total</b>"));
            }
            cell(t, "%s", num(r, (int64_t)e->communes, c1));
            cell(t, "%s", num(r, e->activities, c2));
            cell(t, "%s", num(r, e->participants, c3));
            cell(t, "%s", num(r, e->gifts, c4));
            cell(t, "%s", money(r, e->gifts_vnd, a));
        }
        break;
    }
    case BP_TAB_AWARDS: {
        static const double w[2] = {4.0, 1.2};
        const char *h[2] = {RL(r, "Hình thức khen thưởng", "Commendation"),
                            RL(r, "Số lượng", "Number")};
        head(t, 2, 1, h, w);
        for (k = 0; k < BP_REPORT_AWARD_LEVELS; k++) {
            tcell(t, r->lang == BP_LANG_VI
                         ? bp_award_level_vi((enum bp_award_level)k)
                         : bp_award_level_en((enum bp_award_level)k));
            cell(t, "%s", num(r, (int64_t)r->models.awards_by_level[k], a));
        }
        cell(t, "%s", RL(r, "<b>Cộng</b>", "<b>Total</b>"));
        cell(t, "<b>%s</b>", num(r, (int64_t)r->models.awards, a));
        break;
    }
    case BP_TAB_OVERDUE: {
        /* By commune: the overdue stretches and markers. */
        static const double w[5] = {1.0, 2.6, 1.1, 1.4, 1.4};
        const char *h[5] = {
            RL(r, "Mã xã", "Code"), RL(r, "Xã", "Commune"),
            RL(r, "Số đoạn", "Stretches"),
            RL(r, "km quá hạn tuần tra", "km overdue"),
            RL(r, "Mốc quá hạn kiểm tra", "Markers overdue")};
        head(t, 5, 2, h, w);
        for (i = 0; i < r->ncommunes; i++) {
            const char *code = r->communes[i].code;
            size_t ns = 0, nm = 0, j;
            double m = 0;
            for (j = 0; j < r->noverdue; j++)
                if (r->overdue[j].commune_code &&
                    !strcmp(r->overdue[j].commune_code, code)) {
                    ns++;
                    m += r->overdue[j].to_m - r->overdue[j].from_m;
                }
            for (j = 0; j < r->nmarkers_due; j++)
                nm += r->markers_due[j].commune_code &&
                      !strcmp(r->markers_due[j].commune_code, code);
            if (!ns && !nm)
                continue;
            tcell(t, code);
            tcell(t, r->communes[i].name);
            cell(t, "%s", num(r, (int64_t)ns, a));
            cell(t, "%s", km(r, m, b));
            cell(t, "%s", num(r, (int64_t)nm, y));
        }
        cell(t, "%s", RL(r, "<b>Cộng</b>", "<b>Total</b>"));
        cell(t, "%s", "");
        cell(t, "<b>%s</b>", num(r, (int64_t)r->noverdue, a));
        cell(t, "<b>%s</b>", km(r, r->overdue_m, b));
        cell(t, "<b>%s</b>", num(r, (int64_t)r->nmarkers_due, y));
        break;
    }
    default:
        return BP_EINVAL;
    }
    if (!t->rc && t->ncols)
        t->nrows = t->ncells / t->ncols;
    if (!t->rc) {
        t->cells = bp_calloc(t->ncells + 1, sizeof(*t->cells));
        if (!t->cells)
            t->rc = BP_ENOMEM;
        for (i = 0; t->cells && i < t->ncells; i++)
            t->cells[i] = t->pool.data + t->offs[i];
    }
    return t->rc ? BP_ENOMEM : 0;
}

int bp__report_prose(const struct bp_report *r, enum bp__report_tab which,
                     struct bp_buf *b)
{
    char a[48], c[48], d[48], e[48], f[48], g[32];
    const struct bp_report_patrols *p = &r->patrols;
    const struct bp_report_models *m = &r->models;
    int rc = 0;

    switch (which) {
    case BP_TAB_PATROLS:
        rc = bp_buf_addf(
            b,
            RL(r,
               "Trong giai đoạn, các lực lượng và nhân dân đã tổ chức %s "
               "chuyến tuần tra, đi được %s km dọc tuyến biên giới (theo vết "
               "GPS đạt yêu cầu); %s/%s km đoạn đã ký nhận tự quản (%s%%) "
               "được chính các hộ, tập thể tự quản tuần tra, có xác minh "
               "bằng vết GPS; %s lượt kiểm tra mốc quốc giới; phát hiện %s "
               "vụ việc, đã xử lý %s vụ, đang xử lý %s vụ, mới tiếp nhận %s "
               "vụ.",
               "In the period, %s patrols walked %s km along the border line "
               "(by GPS tracks passing the checks); %s/%s km of the pledged "
               "stretches (%s%%) were walked by their own custodians, "
               "verified by GPS tracks; markers were inspected %s times; %s "
               "incidents were found, %s resolved, %s in progress, %s new."),
            num(r, (int64_t)p->patrols, a), km(r, p->walked_m, c),
            km(r, p->verified_m, d), km(r, p->pledged_m, e),
            bp__report_pct(r, p->verified_m, p->pledged_m, g, sizeof(g)),
            num(r, (int64_t)p->inspections, f),
            bp_fmt_int((int64_t)p->incidents, r->lang, (char[32]){0}, 32),
            bp_fmt_int((int64_t)p->by_status[BP_INC_RESOLVED], r->lang,
                       (char[32]){0}, 32),
            bp_fmt_int((int64_t)p->by_status[BP_INC_IN_PROGRESS], r->lang,
                       (char[32]){0}, 32),
            bp_fmt_int((int64_t)p->by_status[BP_INC_NEW], r->lang,
                       (char[32]){0}, 32));
        break;
    case BP_TAB_CAMPAIGN:
        rc = bp__report_html_escape(
            b, r->campaign.name ? r->campaign.name
                                : RL(r, "Các đợt vận động", "The campaigns"));
        rc |= bp_buf_addf(
            b,
            RL(r,
               ": tính đến ngày %s đã nhận %s (cam kết %s), đã chi %s, tồn "
               "quỹ %s; đã làm được %s/%s km đường tuần tra theo mục tiêu, "
               "bình quân %s một km. Sổ quỹ tính chung toàn tỉnh.",
               ": as of %s, %s received (%s promised), %s spent, %s balance; "
               "%s of the %s km of patrol road aimed for are built, at %s per "
               "km. The ledger is the province's."),
            bp__report_date(r, r->to, g),
            money(r, r->campaign.total.received_vnd, a),
            money(r, r->campaign.total.promised_vnd, c),
            money(r, r->campaign.total.spent_vnd, d),
            money(r, r->campaign.balance_vnd, e),
            km(r, r->campaign.roads.built_m, f),
            bp__report_km(r, r->campaign.goal_road_m, (char[32]){0}, 32),
            bp_money_format(r->campaign.roads.vnd_per_km, r->lang,
                            (char[48]){0}, 48));
        break;
    case BP_TAB_EVENTS:
        rc = bp_buf_addf(
            b,
            RL(r,
               "Mô hình \"Lũy tre biên giới Việt\": %s km, %s khóm tre đã "
               "trồng, còn sống %s khóm (%s%%), %s hộ tham gia. Mô hình "
               "\"Thắp sáng đường tuần tra biên giới\": %s/%s đèn đang hoạt "
               "động, chiếu sáng %s km. Hoạt động hưởng ứng Ngày Biên phòng "
               "toàn dân (3/3): %s hoạt động, %s lượt người tham gia, %s "
               "suất quà trị giá %s. Khen thưởng: %s tập thể, cá nhân được "
               "khen thưởng trong giai đoạn.",
               "The bamboo belt: %s km, %s clumps planted, %s alive (%s%%), "
               "%s households taking part. The patrol-road lights: %s/%s "
               "working, lighting %s km. The 3 March activities: %s "
               "activities, %s participants, %s gifts worth %s. "
               "Commendations: %s in the period."),
            km(r, m->bamboo.planted_m, a),
            bp_fmt_int(m->bamboo.clumps_planted, r->lang, (char[32]){0}, 32),
            bp_fmt_int(m->bamboo.clumps_alive, r->lang, (char[32]){0}, 32),
            bp__report_pct(r, (double)m->bamboo.clumps_alive,
                           (double)m->bamboo.clumps_planted, g, sizeof(g)),
            bp_fmt_int(m->bamboo.households, r->lang, (char[32]){0}, 32),
            bp_fmt_int((int64_t)m->lights.working, r->lang, (char[32]){0},
                       32),
            bp_fmt_int((int64_t)m->lights.installed, r->lang, (char[32]){0},
                       32),
            km(r, m->lights.lit_m, c),
            bp_fmt_int(m->events.activities, r->lang, (char[32]){0}, 32),
            bp_fmt_int(m->events.participants, r->lang, (char[32]){0}, 32),
            bp_fmt_int(m->events.gifts, r->lang, (char[32]){0}, 32),
            money(r, m->events.gifts_vnd, d),
            bp_fmt_int((int64_t)m->awards, r->lang, (char[32]){0}, 32));
        break;
    case BP_TAB_OVERDUE:
        rc = bp_buf_addf(
            b,
            RL(r,
               "Tính đến ngày %s còn %s đoạn đã ký nhận (%s km) chưa được "
               "chính hộ, tập thể tự quản tuần tra trong %d ngày và %s mốc "
               "quốc giới chưa được kiểm tra trong %d ngày.",
               "As of %s, %s pledged stretches (%s km) have not been walked "
               "by their custodians in %d days and %s markers have not been "
               "inspected in %d days."),
            bp__report_date(r, r->to, g), num(r, (int64_t)r->noverdue, a),
            km(r, r->overdue_m, c), r->overdue_days,
            num(r, (int64_t)r->nmarkers_due, d), r->overdue_days);
        break;
    default:
        return BP_EINVAL;
    }
    return rc ? BP_ENOMEM : 0;
}

const char *bp__report_status_name(const struct bp_report *r, int s)
{
    if ((unsigned)s >= BP_REPORT_INC_STATUSES)
        return "?";
    return r->lang == BP_LANG_VI
               ? bp_incident_status_vi((enum bp_incident_status)s)
               : st_en[s];
}
