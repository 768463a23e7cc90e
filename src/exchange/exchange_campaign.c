/* SPDX-License-Identifier: MIT */
/*
 * The campaign's records as CSV, for the server (and any other shell):
 * one table per kind of the columns the command line's imports read, a
 * row reader per kind that collects every problem with its row and field,
 * all rows in one transaction or none; and exports under the first name
 * of each column, so an exported file imports again.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bienphong/alloc.h"
#include "bienphong/campaign.h"
#include "bienphong/date.h"
#include "bienphong/exchange_campaign.h"
#include "bienphong/fmt.h"
#include "bienphong/store_campaign.h"
#include "bienphong/text.h"

#define MAX_PROBLEMS 1000
#define MAX_COLS 16

/* Column names: Vietnamese first (the export's header), then aliases. */
#define COLS(...) ((const char *const[]){__VA_ARGS__, NULL})

struct imp;
typedef int (*row_fn)(struct imp *im, const int *cols);

struct cx {
    const char *name;
    const char *const *const *cols;
    size_t ncols, required;
    row_fn row;
};

struct imp {
    struct bp_store *st;
    struct bp_csv *csv;
    const struct bp_camp_import_opts *o;
    struct bp_import_result *res;
    struct bp_commune *communes; /* loaded once, for names */
    size_t ncommunes;
};

/* ---- problems ---- */

static void problem(struct imp *im, int code, const char *field,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void problem(struct imp *im, int code, const char *field,
                    const char *fmt, ...)
{
    struct bp_import_result *res = im->res;
    struct bp_error *nv;
    va_list ap;

    res->problems_total++;
    if (res->nproblems >= MAX_PROBLEMS)
        return;
    nv = bp_reallocarray(res->problems, res->nproblems + 1, sizeof(*nv));
    if (!nv)
        return;
    res->problems = nv;
    memset(&nv[res->nproblems], 0, sizeof(*nv));
    va_start(ap, fmt);
    bp_error_vset_at(&nv[res->nproblems], code, bp_csv_name(im->csv),
                     bp_csv_row(im->csv), field, fmt, ap);
    va_end(ap);
    res->nproblems++;
}

static void put_problem(struct imp *im, const struct bp_error *e)
{
    problem(im, e->code, e->field[0] ? e->field : NULL, "%s", e->message);
}

/* ---- fields ---- */

static const char *fld(struct imp *im, int col)
{
    return col >= 0 ? bp_csv_field(im->csv, (size_t)col) : "";
}

static int yes(const char *s)
{
    char *f = bp_text_fold(s);
    int y = f && (!strcmp(f, "1") || !strcmp(f, "co") || !strcmp(f, "x") ||
                  !strcmp(f, "yes") || !strcmp(f, "true"));

    bp_free(f);
    return y;
}

static int f_money(struct imp *im, int col, const char *field, int64_t *out)
{
    const char *s = fld(im, col);
    int rc;

    *out = 0;
    if (!*s)
        return 0;
    rc = bp_money_parse(s, out);
    if (rc)
        problem(im, rc, field, "'%s' is %s", s,
                rc == BP_ERANGE      ? "negative"
                : rc == BP_EOVERFLOW ? "beyond int64_t đồng"
                                     : "not a whole number of đồng");
    return rc;
}

static int f_date(struct imp *im, int col, const char *field, int need,
                  int32_t *out)
{
    const char *s = fld(im, col);

    *out = BP_DATE_NONE;
    if (!*s) {
        if (need)
            problem(im, BP_EINVAL, field, "a date is needed");
        return need ? BP_EINVAL : 0;
    }
    if (bp_date_parse(s, out)) {
        problem(im, BP_EPARSE, field, "'%s' is not a date", s);
        return BP_EPARSE;
    }
    return 0;
}

static int f_long(struct imp *im, int col, const char *field, long *out)
{
    const char *s = fld(im, col);
    double d = 0;

    *out = 0;
    if (!*s)
        return 0;
    if (bp_parse_decimal(s, &d) || d != floor(d) || fabs(d) > 1e15) {
        problem(im, BP_EPARSE, field, "'%s' is not a whole number", s);
        return BP_EPARSE;
    }
    *out = (long)d;
    return 0;
}

static int f_real(struct imp *im, int col, const char *field, double *out)
{
    const char *s = fld(im, col);

    *out = 0;
    if (!*s)
        return 0;
    if (bp_parse_decimal(s, out) || !isfinite(*out)) {
        problem(im, BP_EPARSE, field, "'%s' is not a number", s);
        return BP_EPARSE;
    }
    return 0;
}

static int f_id(struct imp *im, int col, char *out)
{
    const char *s = fld(im, col);

    out[0] = 0;
    if (!*s)
        return 0;
    if (!bp_uuid_valid(s)) {
        problem(im, BP_EINVAL, "ma", "'%s' is not a UUID", s);
        return BP_EINVAL;
    }
    snprintf(out, sizeof(bp_uuid), "%s", s);
    return 0;
}

/* A campaign (`need`: the only one when empty), donor or road by id or
 * name into `out`; "" when empty and not needed. */
static int f_ref(struct imp *im, int col, const char *field, int what,
                 int need, bp_uuid out)
{
    const char *s = fld(im, col);
    struct bp_error e = {0};
    int rc;

    out[0] = 0;
    if (!*s && !need)
        return 0;
    if (what == 0) {
        struct bp_campaign c = {0};
        rc = bp_store_campaign_find(im->st, s, &c, &e);
        if (!rc)
            memcpy(out, c.id, sizeof(bp_uuid));
        bp_campaign_release(&c);
    } else if (what == 1) {
        struct bp_donor d = {0};
        rc = bp_store_donor_find(im->st, s, &d, &e);
        if (!rc)
            memcpy(out, d.id, sizeof(bp_uuid));
        bp_donor_release(&d);
    } else {
        struct bp_road r = {0};
        rc = bp_store_road_find(im->st, s, &r, &e);
        if (!rc)
            memcpy(out, r.id, sizeof(bp_uuid));
        bp_road_release(&r);
    }
    if (rc)
        problem(im, e.code, field, "%s", e.message);
    return rc;
}

/* A folded commune name `g` is `f`, with or without "xã"/"thị trấn". */
static int name_match(const char *f, const char *g)
{
    if (!strcmp(f, g))
        return 1;
    if (!strncmp(g, "xa ", 3) && !strcmp(f, g + 3))
        return 1;
    return !strncmp(g, "thi tran ", 9) && !strcmp(f, g + 9);
}

/* A commune by id, code or unique name. */
static int f_commune(struct imp *im, int col, bp_uuid out, int need)
{
    const char *s = fld(im, col);
    size_t i, hit = 0;
    char *f, *g;

    out[0] = 0;
    if (!*s || !strcmp(s, "—")) {
        if (need)
            problem(im, BP_EINVAL, "xa", "a commune is needed");
        return need ? BP_EINVAL : 0;
    }
    for (i = 0; i < im->ncommunes; i++)
        if (!strcasecmp(im->communes[i].id, s) ||
            !strcmp(im->communes[i].code, s)) {
            memcpy(out, im->communes[i].id, sizeof(bp_uuid));
            return 0;
        }
    f = bp_text_fold(s);
    for (i = 0; f && i < im->ncommunes; i++) {
        g = bp_text_fold(im->communes[i].name);
        if (g && name_match(f, g)) {
            hit++;
            memcpy(out, im->communes[i].id, sizeof(bp_uuid));
        }
        bp_free(g);
    }
    bp_free(f);
    if (hit == 1)
        return 0;
    out[0] = 0;
    problem(im, BP_ENOTFOUND, "xa", "no commune '%s'%s", s,
            hit > 1 ? " (several have that name; use the code)" : "");
    return BP_ENOTFOUND;
}

/* One end of a stretch: a marker with an offset in column `cm`, else a km
 * in column `ckm`; one of the two is needed. */
static int f_anchor(struct imp *im, int cm, int ckm, const char *fm,
                    const char *fkm, struct bp_anchor *a)
{
    const char *m = fld(im, cm), *k = fld(im, ckm);

    memset(a, 0, sizeof(*a));
    if (*m) {
        if (!bp_anchor_parse(m, a))
            return 0;
        problem(im, BP_EPARSE, fm,
                "'%s' is not a marker with an offset (e.g. 1120+350)", m);
        return BP_EPARSE;
    }
    if (*k) {
        if (!bp_anchor_parse_km(k, a))
            return 0;
        problem(im, BP_EPARSE, fkm, "'%s' is not a km (e.g. 80,350)", k);
        return BP_EPARSE;
    }
    problem(im, BP_EINVAL, fm, "a marker ('%s') or a km ('%s') is needed",
            fm, fkm);
    return BP_EINVAL;
}

/* The caller's scope: a refused commune is a problem of the row. */
static int allowed(struct imp *im, const char *commune_id)
{
    const char *code = commune_id;
    size_t i;

    if (!im->o->allow || im->o->allow(im->o->allow_ctx, commune_id))
        return 1;
    for (i = 0; i < im->ncommunes; i++)
        if (!strcmp(im->communes[i].id, commune_id))
            code = im->communes[i].code;
    problem(im, BP_EPERM, "xa", "commune '%s' is outside your scope",
            *code ? code : "—");
    return 0;
}

/* ---- rows ---- */

static int donor_row(struct imp *im, const int *c)
{
    struct bp_donor d = {0};
    struct bp_error e = {0};
    long before = im->res->problems_total;
    int rc;

    if (!*fld(im, c[0]))
        problem(im, BP_EINVAL, "ten", "a donor needs a name");
    if (bp_donor_kind_parse(fld(im, c[1]), &d.kind))
        problem(im, BP_EINVAL, "loai",
                "'%s' is not a donor kind (organisation, enterprise, unit, "
                "individual; cơ quan, doanh nghiệp, đơn vị, cá nhân)",
                fld(im, c[1]));
    f_id(im, c[2], d.id);
    if (im->res->problems_total > before || !allowed(im, ""))
        return BP_EINVAL;
    d.name = (char *)fld(im, c[0]);
    d.anonymous = yes(fld(im, c[3]));
    d.contact = (char *)fld(im, c[4]);
    d.note = (char *)fld(im, c[5]);
    rc = bp_store_donor_put(im->st, &d, &e);
    if (rc)
        put_problem(im, &e);
    return rc;
}

/* A promise by id or document number (bp_store_promise_find). */
static int promise_ref(struct imp *im, const char *ref, bp_uuid out)
{
    struct bp_error e = {0};
    int rc = bp_store_promise_find(im->st, ref, out, &e);

    if (rc == BP_ENOTFOUND || rc == BP_ECONFLICT)
        problem(im, rc, "thuc_hien_cam_ket", "%s", e.message);
    else if (rc)
        put_problem(im, &e);
    return rc;
}

static int donation_row(struct imp *im, const int *c)
{
    struct bp_donation d = {0};
    struct bp_error e = {0};
    long before = im->res->problems_total;
    const char *s;
    int rc;

    f_ref(im, c[0], "nha_tai_tro", 1, 1, d.donor_id);
    f_date(im, c[1], "ngay", 1, &d.on);
    f_ref(im, c[2], "chien_dich", 0, 1, d.campaign_id);
    s = fld(im, c[3]);
    if (*s && bp_donation_status_parse(s, &d.status))
        problem(im, BP_EINVAL, "trang_thai",
                "'%s' is neither 'cam kết' (promised) nor 'đã nhận' "
                "(received)",
                s);
    s = fld(im, c[4]);
    if (*s && bp_donation_form_parse(s, &d.form))
        problem(im, BP_EINVAL, "hinh_thuc",
                "'%s' is not 'tiền mặt', 'hiện vật' or 'ngày công'", s);
    f_money(im, c[5], "so_tien", &d.amount_vnd);
    f_real(im, c[7], "so_luong", &d.quantity);
    f_real(im, c[9], "ngay_cong", &d.labour_days);
    f_ref(im, c[12], "cong_trinh", 2, 0, d.road_id);
    f_id(im, c[14], d.id);
    if (*fld(im, c[11]))
        promise_ref(im, fld(im, c[11]), d.fulfils_id);
    if (im->res->problems_total > before || !allowed(im, ""))
        return BP_EINVAL;
    d.item = (char *)fld(im, c[6]);
    d.unit = (char *)fld(im, c[8]);
    d.receipt_no = *fld(im, c[10]) ? (char *)fld(im, c[10]) : NULL;
    d.note = (char *)fld(im, c[13]);
    rc = bp_store_donation_put(im->st, &d, &e);
    if (rc)
        put_problem(im, &e);
    return rc;
}

static int expense_row(struct imp *im, const int *c)
{
    struct bp_expense x = {0};
    struct bp_error e = {0};
    long before = im->res->problems_total;
    int rc;

    if (!*fld(im, c[0]))
        problem(im, BP_EINVAL, "so_chung_tu", "a document number is needed");
    f_date(im, c[1], "ngay", 1, &x.on);
    if (!*fld(im, c[2]))
        problem(im, BP_EINVAL, "so_tien", "an amount is needed");
    else
        f_money(im, c[2], "so_tien", &x.amount_vnd);
    f_ref(im, c[3], "chien_dich", 0, 1, x.campaign_id);
    f_ref(im, c[4], "cong_trinh", 2, 0, x.road_id);
    f_id(im, c[6], x.id);
    if (im->res->problems_total > before || !allowed(im, ""))
        return BP_EINVAL;
    x.doc_no = (char *)fld(im, c[0]);
    x.purpose = (char *)fld(im, c[5]);
    rc = bp_store_expense_put(im->st, &x, &e);
    if (rc)
        put_problem(im, &e);
    return rc;
}

static int road_row(struct imp *im, const int *c)
{
    struct bp_road r = {0};
    struct bp_error e = {0};
    long before = im->res->problems_total;
    int rc;

    r.starts_on = r.finished_on = BP_DATE_NONE;
    if (!*fld(im, c[0]))
        problem(im, BP_EINVAL, "ten", "a road project needs a name");
    if (*fld(im, c[5])) {
        r.kind = BP_ROAD_PATH;
        if (bp_anchor_parse(fld(im, c[5]), &r.from))
            problem(im, BP_EPARSE, "moc_duong", "'%s' is not a marker",
                    fld(im, c[5]));
    } else {
        f_anchor(im, c[1], c[2], "tu_moc", "tu_km", &r.from);
        f_anchor(im, c[3], c[4], "den_moc", "den_km", &r.to);
    }
    f_real(im, c[6], "dai_m", &r.planned_m);
    f_commune(im, c[7], r.commune_id, 0);
    /* As `road add`: no campaign named is the only campaign, if any. */
    if (*fld(im, c[8])) {
        f_ref(im, c[8], "chien_dich", 0, 0, r.campaign_id);
    } else {
        struct bp_campaign cp = {0};
        struct bp_error none = {0};
        if (!bp_store_campaign_find(im->st, NULL, &cp, &none))
            memcpy(r.campaign_id, cp.id, sizeof(bp_uuid));
        bp_campaign_release(&cp);
    }
    f_money(im, c[9], "du_toan", &r.budget_vnd);
    f_date(im, c[10], "ngay_bat_dau", 0, &r.starts_on);
    f_date(im, c[11], "ngay_xong", 0, &r.finished_on);
    f_id(im, c[13], r.id);
    if (im->res->problems_total > before || !allowed(im, r.commune_id))
        return BP_EINVAL;
    r.name = (char *)fld(im, c[0]);
    r.note = (char *)fld(im, c[12]);
    rc = bp_store_road_put(im->st, &r, &e);
    if (rc)
        put_problem(im, &e);
    return rc;
}

static int bamboo_row(struct imp *im, const int *c)
{
    struct bp_bamboo b = {0};
    struct bp_error e = {0};
    long before = im->res->problems_total;
    int rc;

    if (!*fld(im, c[0]))
        problem(im, BP_EINVAL, "so_khom", "a number of clumps is needed");
    else
        f_long(im, c[0], "so_khom", &b.clumps);
    f_date(im, c[1], "ngay", 1, &b.planted_on);
    f_commune(im, c[2], b.commune_id, 0);
    f_anchor(im, c[3], c[4], "tu_moc", "tu_km", &b.from);
    f_anchor(im, c[5], c[6], "den_moc", "den_km", &b.to);
    f_long(im, c[7], "so_ho", &b.households);
    f_id(im, c[9], b.id);
    if (im->res->problems_total > before || !allowed(im, b.commune_id))
        return BP_EINVAL;
    b.note = (char *)fld(im, c[8]);
    rc = bp_store_bamboo_put(im->st, &b, &e);
    if (rc)
        put_problem(im, &e);
    return rc;
}

static int light_row(struct imp *im, const int *c)
{
    struct bp_light l = {0};
    struct bp_anchor a;
    struct bp_error e = {0};
    const char *km = fld(im, c[1]), *kind = fld(im, c[4]);
    long before = im->res->problems_total;
    int rc;

    f_date(im, c[0], "ngay", 1, &l.installed_on);
    l.lon = l.lat = NAN;
    /* As `light add`: a km places it, else lon and lat both. */
    if (*km) {
        if (bp_anchor_parse_km(km, &a))
            problem(im, BP_EPARSE, "ly_trinh_km",
                    "'%s' is not a km (e.g. 40,125)", km);
        else
            l.measure_m = a.measure_m;
    } else if (!*fld(im, c[2]) || !*fld(im, c[3])) {
        problem(im, BP_EINVAL, "ly_trinh_km",
                "a position is needed: 'ly_trinh_km', or 'kinh_do' and "
                "'vi_do'");
    } else {
        f_real(im, c[2], "kinh_do", &l.lon);
        f_real(im, c[3], "vi_do", &l.lat);
    }
    if (bp_light_kind_parse(*kind ? kind : "solar", &l.kind))
        problem(im, BP_EINVAL, "loai",
                "'%s' is not a light kind (solar, grid, other; năng lượng "
                "mặt trời, điện lưới, khác)",
                kind);
    f_ref(im, c[6], "cong_trinh", 2, 0, l.road_id);
    f_commune(im, c[7], l.commune_id, 0);
    f_id(im, c[10], l.id);
    if (im->res->problems_total > before || !allowed(im, l.commune_id))
        return BP_EINVAL;
    l.working = !*fld(im, c[8]) || yes(fld(im, c[8]));
    l.funder = (char *)fld(im, c[5]);
    l.note = (char *)fld(im, c[9]);
    rc = bp_store_light_put(im->st, &l, &e);
    if (rc)
        put_problem(im, &e);
    return rc;
}

static int event_row(struct imp *im, const int *c)
{
    struct bp_event ev = {0}, *v = NULL;
    struct bp_error e = {0};
    long before = im->res->problems_total, y = 0;
    size_t n = 0, i;
    int rc;

    f_commune(im, c[0], ev.commune_id, 1);
    if (!*fld(im, c[1]))
        problem(im, BP_EINVAL, "nam", "a year is needed");
    else if (!f_long(im, c[1], "nam", &y) && (y < 1990 || y > 2100))
        /* The same range as the store (store_campaign.c). */
        problem(im, BP_ERANGE, "nam", "'%s' is not a year 1990..2100",
                fld(im, c[1]));
    f_long(im, c[2], "so_hoat_dong", &ev.activities);
    f_long(im, c[4], "so_nguoi_tham_gia", &ev.participants);
    f_long(im, c[5], "so_suat_qua", &ev.gifts);
    f_money(im, c[6], "gia_tri_qua", &ev.gifts_vnd);
    f_money(im, c[7], "kinh_phi", &ev.funds_vnd);
    f_id(im, c[9], ev.id);
    if (im->res->problems_total > before || !allowed(im, ev.commune_id))
        return BP_EINVAL;
    ev.year = (int)y;
    ev.kinds = (char *)fld(im, c[3]);
    ev.note = (char *)fld(im, c[8]);
    /* One record per commune and year: a second row updates it. */
    if (!ev.id[0] && !bp_store_event_list(im->st, &v, &n, &e)) {
        for (i = 0; i < n; i++)
            if (!strcmp(v[i].commune_id, ev.commune_id) &&
                v[i].year == ev.year)
                memcpy(ev.id, v[i].id, sizeof(bp_uuid));
        bp_store_event_list_free(v, n);
    }
    rc = bp_store_event_put(im->st, &ev, &e);
    if (rc)
        put_problem(im, &e);
    return rc;
}

static int award_row(struct imp *im, const int *c)
{
    struct bp_award a = {0};
    struct bp_error e = {0};
    long before = im->res->problems_total;
    const char *s;
    int rc;

    if (!*fld(im, c[0]))
        problem(im, BP_EINVAL, "nguoi_nhan", "a recipient is needed");
    if (!*fld(im, c[1]))
        problem(im, BP_EINVAL, "so_quyet_dinh",
                "a decision number is needed");
    f_date(im, c[2], "ngay_quyet_dinh", 1, &a.decided_on);
    s = fld(im, c[3]);
    a.recipient_kind = BP_RECIP_HOUSEHOLD;
    if (*s && bp_recipient_kind_parse(s, &a.recipient_kind))
        problem(im, BP_EINVAL, "doi_tuong",
                "'%s' is not cá nhân, hộ gia đình, tập thể or đơn vị", s);
    s = fld(im, c[4]);
    if (bp_award_level_parse(s, &a.level))
        problem(im, BP_EINVAL, "hinh_thuc",
                "'%s' is not a known level (e.g. 'Bằng khen của Chủ tịch "
                "UBND tỉnh', 'gk_station')",
                s);
    f_commune(im, c[5], a.commune_id, 0);
    s = fld(im, c[7]);
    if (*s && !bp_uuid_valid(s))
        problem(im, BP_EINVAL, "ma_ho_tap_the", "'%s' is not a UUID", s);
    else if (*s)
        snprintf(a.custodian_id, sizeof(bp_uuid), "%s", s);
    f_id(im, c[8], a.id);
    if (im->res->problems_total > before || !allowed(im, a.commune_id))
        return BP_EINVAL;
    a.recipient = (char *)fld(im, c[0]);
    a.decision_no = (char *)fld(im, c[1]);
    a.reason = (char *)fld(im, c[6]);
    rc = bp_store_award_put(im->st, &a, &e);
    if (rc)
        put_problem(im, &e);
    return rc;
}

/* ---- the tables ---- */

static const char *const *const donor_cols[] = {
    COLS("ten", "name", "ten nha tai tro"), COLS("loai", "kind"),
    COLS("ma", "id"), COLS("an_danh", "anonymous"),
    COLS("lien_he", "contact"), COLS("ghi_chu", "note")};

static const char *const *const donation_cols[] = {
    COLS("nha_tai_tro", "donor"),
    COLS("ngay", "date"),
    COLS("chien_dich", "campaign"),
    COLS("trang_thai", "status"),
    COLS("hinh_thuc", "form"),
    COLS("so_tien", "amount_vnd", "gia_tri"),
    COLS("hien_vat", "item"),
    COLS("so_luong", "quantity"),
    COLS("don_vi_tinh", "unit"),
    COLS("ngay_cong", "labour_days"),
    COLS("so_phieu", "receipt_no", "so_chung_tu"),
    COLS("thuc_hien_cam_ket", "fulfils"),
    COLS("cong_trinh", "road"),
    COLS("ghi_chu", "note"),
    COLS("ma", "id")};

static const char *const *const expense_cols[] = {
    COLS("so_chung_tu", "doc_no"), COLS("ngay", "date"),
    COLS("so_tien", "amount_vnd"), COLS("chien_dich", "campaign"),
    COLS("cong_trinh", "road"),    COLS("noi_dung", "purpose"),
    COLS("ma", "id")};

static const char *const *const road_cols[] = {
    COLS("ten", "name"),
    COLS("tu_moc", "from_marker"),
    COLS("tu_km", "from_km"),
    COLS("den_moc", "to_marker"),
    COLS("den_km", "to_km"),
    COLS("moc_duong", "path_to"),
    COLS("dai_m", "length_m", "ke_hoach_m"),
    COLS("xa", "commune"),
    COLS("chien_dich", "campaign"),
    COLS("du_toan", "budget_vnd", "du_toan_vnd"),
    COLS("ngay_bat_dau", "start"),
    COLS("ngay_xong", "finish"),
    COLS("ghi_chu", "note"),
    COLS("ma", "id")};

static const char *const *const bamboo_cols[] = {
    COLS("so_khom", "clumps"),
    COLS("ngay", "date", "ngay_trong"),
    COLS("xa", "commune"),
    COLS("tu_moc", "from_marker"),
    COLS("tu_km", "from_km"),
    COLS("den_moc", "to_marker"),
    COLS("den_km", "to_km"),
    COLS("so_ho", "households"),
    COLS("ghi_chu", "note"),
    COLS("ma", "id")};

static const char *const *const light_cols[] = {
    COLS("ngay", "date", "ngay_lap"),
    COLS("ly_trinh_km", "measure_km", "km"),
    COLS("kinh_do", "lon"),
    COLS("vi_do", "lat"),
    COLS("loai", "kind"),
    COLS("don_vi_tai_tro", "funder"),
    COLS("cong_trinh", "road"),
    COLS("xa", "commune"),
    COLS("hoat_dong", "working"),
    COLS("ghi_chu", "note"),
    COLS("ma", "id")};

static const char *const *const event_cols[] = {
    COLS("xa", "commune"),
    COLS("nam", "year"),
    COLS("so_hoat_dong", "activities"),
    COLS("hinh_thuc", "kinds"),
    COLS("so_nguoi_tham_gia", "participants"),
    COLS("so_suat_qua", "gifts"),
    COLS("gia_tri_qua", "gifts_vnd"),
    COLS("kinh_phi", "funds_vnd"),
    COLS("ghi_chu", "note"),
    COLS("ma", "id")};

static const char *const *const award_cols[] = {
    COLS("nguoi_nhan", "recipient"),
    COLS("so_quyet_dinh", "decision_no"),
    COLS("ngay_quyet_dinh", "decided_on"),
    COLS("doi_tuong", "recipient_kind"),
    COLS("hinh_thuc", "level"),
    COLS("xa", "commune"),
    COLS("ly_do", "reason"),
    COLS("ma_ho_tap_the", "custodian_id"),
    COLS("ma", "id")};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct cx kinds[BP_CX_N] = {
    {"donors", donor_cols, N(donor_cols), 2, donor_row},
    {"donations", donation_cols, N(donation_cols), 2, donation_row},
    {"expenses", expense_cols, N(expense_cols), 3, expense_row},
    {"roads", road_cols, N(road_cols), 1, road_row},
    {"bamboo", bamboo_cols, N(bamboo_cols), 2, bamboo_row},
    {"lights", light_cols, N(light_cols), 1, light_row},
    {"events", event_cols, N(event_cols), 2, event_row},
    {"awards", award_cols, N(award_cols), 5, award_row},
};

const char *bp_camp_csv_kind_name(enum bp_camp_csv_kind k)
{
    return (unsigned)k < BP_CX_N ? kinds[k].name : "?";
}

/* ---- import ---- */

int bp_campaign_csv_import(struct bp_store *st, enum bp_camp_csv_kind kind,
                           const char *data, size_t len, const char *name,
                           const struct bp_camp_import_opts *opts,
                           struct bp_import_result *res,
                           struct bp_error *err)
{
    static const struct bp_camp_import_opts none;
    struct bp_csv_opts co = {0};
    struct imp im = {0};
    const struct cx *k;
    struct bp_error e = {0};
    int cols[MAX_COLS], rc, open = 0;
    size_t i;

    if ((unsigned)kind >= BP_CX_N || !st || !res)
        return bp_error_set(err, BP_EINVAL, "no such campaign record kind");
    k = &kinds[kind];
    im.st = st;
    im.res = res;
    im.o = opts ? opts : &none;
    co.encoding = im.o->encoding;
    rc = bp_csv_open_mem(data, len, name, &co, &im.csv, err);
    if (rc)
        return rc;
    rc = bp_store_commune_list(st, &im.communes, &im.ncommunes, err);
    if (rc)
        goto out;
    for (i = 0; i < k->ncols; i++) {
        cols[i] = bp_csv_col(im.csv, k->cols[i]);
        if (i < k->required && cols[i] < 0)
            problem(&im, BP_EPARSE, k->cols[i][0],
                    "the header has no column '%s' (or '%s')",
                    k->cols[i][0], k->cols[i][1]);
    }
    if (!res->problems_total) {
        rc = bp_store_begin(st, err);
        if (rc)
            goto out;
        open = 1;
        while ((rc = bp_csv_next(im.csv, &e)) > 0) {
            res->rows++;
            if (!k->row(&im, cols))
                res->records++;
            if (im.o->progress && res->rows % 256 == 0)
                im.o->progress(im.o->progress_ctx, res->rows);
        }
        if (rc < 0)
            problem(&im, rc, e.field[0] ? e.field : NULL, "%s", e.message);
        if (im.o->progress)
            im.o->progress(im.o->progress_ctx, res->rows);
    }
    if (res->problems_total) {
        if (open)
            bp_store_rollback(st);
        open = 0;
        res->records = 0;
        if (err && res->nproblems)
            *err = res->problems[0];
        else
            bp_error_set(err, BP_EPARSE, "%ld problems", res->problems_total);
        if (err)
            err->code = BP_EPARSE;
        rc = BP_EPARSE;
        goto out;
    }
    rc = bp_store_commit(st, err);
    if (rc)
        bp_store_rollback(st);
    open = 0;
out:
    if (open)
        bp_store_rollback(st);
    if (rc)
        res->records = 0;
    bp_store_commune_list_free(im.communes, im.ncommunes);
    bp_csv_close(im.csv);
    return rc;
}

/* ---- export ---- */

struct names {
    struct bp_campaign *camps;
    size_t ncamps;
    struct bp_donor *donors;
    size_t ndonors;
    struct bp_donation *dons;
    size_t ndons;
    struct bp_road *roads;
    size_t nroads;
    struct bp_commune *communes;
    size_t ncommunes;
};

static void names_release(struct names *n)
{
    bp_store_campaign_list_free(n->camps, n->ncamps);
    bp_store_donor_list_free(n->donors, n->ndonors);
    bp_store_donation_list_free(n->dons, n->ndons);
    bp_store_road_list_free(n->roads, n->nroads);
    bp_store_commune_list_free(n->communes, n->ncommunes);
}

static int names_load(struct bp_store *st, struct names *n,
                      struct bp_error *err)
{
    memset(n, 0, sizeof(*n));
    if (bp_store_campaign_list(st, &n->camps, &n->ncamps, err) ||
        bp_store_donor_list(st, &n->donors, &n->ndonors, err) ||
        bp_store_donation_list(st, &n->dons, &n->ndons, err) ||
        bp_store_road_list(st, &n->roads, &n->nroads, err) ||
        bp_store_commune_list(st, &n->communes, &n->ncommunes, err))
        return err ? err->code : BP_ESTORE;
    return 0;
}

#define NAME_OF(fn, T, arr, cnt, member)                                     \
    static const char *fn(const struct names *n, const char *id)             \
    {                                                                        \
        size_t i;                                                            \
        for (i = 0; id && *id && i < n->cnt; i++)                            \
            if (!strcmp(n->arr[i].id, id))                                   \
                return n->arr[i].member ? n->arr[i].member : "";             \
        return "";                                                           \
    }
NAME_OF(camp_name, bp_campaign, camps, ncamps, name)
NAME_OF(donor_name, bp_donor, donors, ndonors, name)
NAME_OF(road_name, bp_road, roads, nroads, name)
NAME_OF(commune_code, bp_commune, communes, ncommunes, code)

/* The receipt number of a promise, else its id. */
static const char *promise_name(const struct names *n, const char *id)
{
    size_t i;

    for (i = 0; *id && i < n->ndons; i++)
        if (!strcmp(n->dons[i].id, id))
            return n->dons[i].receipt_no ? n->dons[i].receipt_no : id;
    return "";
}

/* An anchor into its marker ("1120+350") or km ("80.350") text. */
static void anchor_text(const struct bp_anchor *a, char *marker, char *km,
                        size_t size)
{
    marker[0] = km[0] = 0;
    if (a->marker_key[0]) {
        double o = a->offset_m;
        if (o == floor(o))
            snprintf(marker, size, "%s%+.0f", a->marker_key, o);
        else
            snprintf(marker, size, "%s%+.2f", a->marker_key, o);
    } else if (isfinite(a->measure_m)) {
        snprintf(km, size, "%.3f", a->measure_m / 1000.0);
    }
}

static const char *day(int32_t d, char *out)
{
    if (d == BP_DATE_NONE) {
        out[0] = 0;
        return out;
    }
    return bp_date_format_iso(d, out);
}

static const char *s_or(const char *s)
{
    return s ? s : "";
}

#define KEEP(cid) (!keep || keep(keep_ctx, (cid)))

int bp_campaign_csv_export(struct bp_store *st, enum bp_camp_csv_kind kind,
                           int (*keep)(void *ctx, const char *commune_id),
                           void *keep_ctx, struct bp_buf *out,
                           struct bp_error *err)
{
    const struct cx *k;
    struct bp_csv_writer w;
    struct names nm;
    char a1[64], a2[64], a3[64], a4[64], d1[16], d2[16], n1[32], n2[32],
        n3[32];
    const char *f[MAX_COLS];
    size_t i, c;
    int rc;

    if ((unsigned)kind >= BP_CX_N || !st || !out)
        return bp_error_set(err, BP_EINVAL, "no such campaign record kind");
    k = &kinds[kind];
    rc = names_load(st, &nm, err);
    if (rc)
        goto out;
    bp_csv_writer_init(&w, out, ',');
    rc = bp_csv_write_bom(&w);
    for (c = 0; c < k->ncols && !rc; c++)
        rc = bp_csv_write_field(&w, k->cols[c][0]);
    if (!rc)
        rc = bp_csv_write_eol(&w);
#define ROW()                                                                \
    do {                                                                     \
        if (!rc)                                                             \
            rc = bp_csv_write_row(&w, f, k->ncols);                          \
    } while (0)
    switch (kind) {
    case BP_CX_DONORS:
        for (i = 0; i < nm.ndonors && !rc; i++) {
            const struct bp_donor *d = &nm.donors[i];
            if (!KEEP(""))
                continue;
            f[0] = d->name;
            f[1] = bp_donor_kind_name(d->kind);
            f[2] = d->id;
            f[3] = d->anonymous ? "1" : "0";
            f[4] = s_or(d->contact);
            f[5] = s_or(d->note);
            ROW();
        }
        break;
    case BP_CX_DONATIONS:
        for (i = 0; i < nm.ndons && !rc; i++) {
            const struct bp_donation *d = &nm.dons[i];
            if (!KEEP(""))
                continue;
            snprintf(n1, sizeof(n1), "%lld", (long long)d->amount_vnd);
            snprintf(n2, sizeof(n2), "%g", d->quantity);
            snprintf(n3, sizeof(n3), "%g", d->labour_days);
            f[0] = donor_name(&nm, d->donor_id);
            f[1] = day(d->on, d1);
            f[2] = camp_name(&nm, d->campaign_id);
            f[3] = bp_donation_status_name(d->status);
            f[4] = bp_donation_form_name(d->form);
            f[5] = n1;
            f[6] = s_or(d->item);
            f[7] = d->form == BP_IN_KIND ? n2 : "";
            f[8] = s_or(d->unit);
            f[9] = d->form == BP_LABOUR ? n3 : "";
            f[10] = s_or(d->receipt_no);
            f[11] = promise_name(&nm, d->fulfils_id);
            f[12] = road_name(&nm, d->road_id);
            f[13] = s_or(d->note);
            f[14] = d->id;
            ROW();
        }
        break;
    case BP_CX_EXPENSES: {
        struct bp_expense *v = NULL;
        size_t n = 0;
        rc = bp_store_expense_list(st, &v, &n, err);
        for (i = 0; i < n && !rc; i++) {
            if (!KEEP(""))
                continue;
            snprintf(n1, sizeof(n1), "%lld", (long long)v[i].amount_vnd);
            f[0] = s_or(v[i].doc_no);
            f[1] = day(v[i].on, d1);
            f[2] = n1;
            f[3] = camp_name(&nm, v[i].campaign_id);
            f[4] = road_name(&nm, v[i].road_id);
            f[5] = s_or(v[i].purpose);
            f[6] = v[i].id;
            ROW();
        }
        bp_store_expense_list_free(v, n);
        break;
    }
    case BP_CX_ROADS:
        for (i = 0; i < nm.nroads && !rc; i++) {
            const struct bp_road *r = &nm.roads[i];
            if (!KEEP(r->commune_id))
                continue;
            anchor_text(&r->from, a1, a2, sizeof(a1));
            anchor_text(&r->to, a3, a4, sizeof(a3));
            snprintf(n1, sizeof(n1), "%.0f", r->planned_m);
            snprintf(n2, sizeof(n2), "%lld", (long long)r->budget_vnd);
            f[0] = r->name;
            f[1] = r->kind == BP_ROAD_PATH ? "" : a1;
            f[2] = r->kind == BP_ROAD_PATH ? "" : a2;
            f[3] = r->kind == BP_ROAD_PATH ? "" : a3;
            f[4] = r->kind == BP_ROAD_PATH ? "" : a4;
            f[5] = r->kind == BP_ROAD_PATH ? r->from.marker_key : "";
            f[6] = r->planned_m > 0 ? n1 : "";
            f[7] = commune_code(&nm, r->commune_id);
            f[8] = camp_name(&nm, r->campaign_id);
            f[9] = r->budget_vnd ? n2 : "";
            f[10] = day(r->starts_on, d1);
            f[11] = day(r->finished_on, d2);
            f[12] = s_or(r->note);
            f[13] = r->id;
            ROW();
        }
        break;
    case BP_CX_BAMBOO: {
        struct bp_bamboo *v = NULL;
        size_t n = 0;
        rc = bp_store_bamboo_list(st, &v, &n, err);
        for (i = 0; i < n && !rc; i++) {
            if (!KEEP(v[i].commune_id))
                continue;
            anchor_text(&v[i].from, a1, a2, sizeof(a1));
            anchor_text(&v[i].to, a3, a4, sizeof(a3));
            snprintf(n1, sizeof(n1), "%ld", v[i].clumps);
            snprintf(n2, sizeof(n2), "%ld", v[i].households);
            f[0] = n1;
            f[1] = day(v[i].planted_on, d1);
            f[2] = commune_code(&nm, v[i].commune_id);
            f[3] = a1;
            f[4] = a2;
            f[5] = a3;
            f[6] = a4;
            f[7] = n2;
            f[8] = s_or(v[i].note);
            f[9] = v[i].id;
            ROW();
        }
        bp_store_bamboo_list_free(v, n);
        break;
    }
    case BP_CX_LIGHTS: {
        struct bp_light *v = NULL;
        size_t n = 0;
        rc = bp_store_light_list(st, &v, &n, err);
        for (i = 0; i < n && !rc; i++) {
            int at = isfinite(v[i].lon) && isfinite(v[i].lat);
            if (!KEEP(v[i].commune_id))
                continue;
            /* Placed by lon/lat: those, so the import places it alike. */
            snprintf(n1, sizeof(n1), "%.3f", v[i].measure_m / 1000.0);
            snprintf(n2, sizeof(n2), "%.7f", v[i].lon);
            snprintf(n3, sizeof(n3), "%.7f", v[i].lat);
            f[0] = day(v[i].installed_on, d1);
            f[1] = at ? "" : n1;
            f[2] = at ? n2 : "";
            f[3] = at ? n3 : "";
            f[4] = bp_light_kind_name(v[i].kind);
            f[5] = s_or(v[i].funder);
            f[6] = road_name(&nm, v[i].road_id);
            f[7] = commune_code(&nm, v[i].commune_id);
            f[8] = v[i].working ? "1" : "0";
            f[9] = s_or(v[i].note);
            f[10] = v[i].id;
            ROW();
        }
        bp_store_light_list_free(v, n);
        break;
    }
    case BP_CX_EVENTS: {
        struct bp_event *v = NULL;
        size_t n = 0;
        char n4[32], n5[32], n6[32];
        rc = bp_store_event_list(st, &v, &n, err);
        for (i = 0; i < n && !rc; i++) {
            if (!KEEP(v[i].commune_id))
                continue;
            snprintf(n1, sizeof(n1), "%d", v[i].year);
            snprintf(n2, sizeof(n2), "%ld", v[i].activities);
            snprintf(n3, sizeof(n3), "%ld", v[i].participants);
            snprintf(n4, sizeof(n4), "%ld", v[i].gifts);
            snprintf(n5, sizeof(n5), "%lld", (long long)v[i].gifts_vnd);
            snprintf(n6, sizeof(n6), "%lld", (long long)v[i].funds_vnd);
            f[0] = commune_code(&nm, v[i].commune_id);
            f[1] = n1;
            f[2] = n2;
            f[3] = s_or(v[i].kinds);
            f[4] = n3;
            f[5] = n4;
            f[6] = n5;
            f[7] = n6;
            f[8] = s_or(v[i].note);
            f[9] = v[i].id;
            ROW();
        }
        bp_store_event_list_free(v, n);
        break;
    }
    case BP_CX_AWARDS: {
        struct bp_award *v = NULL;
        size_t n = 0;
        rc = bp_store_award_list(st, &v, &n, err);
        for (i = 0; i < n && !rc; i++) {
            if (!KEEP(v[i].commune_id))
                continue;
            f[0] = s_or(v[i].recipient);
            f[1] = s_or(v[i].decision_no);
            f[2] = day(v[i].decided_on, d1);
            f[3] = bp_recipient_kind_name(v[i].recipient_kind);
            f[4] = bp_award_level_name(v[i].level);
            f[5] = commune_code(&nm, v[i].commune_id);
            f[6] = s_or(v[i].reason);
            f[7] = v[i].custodian_id;
            f[8] = v[i].id;
            ROW();
        }
        bp_store_award_list_free(v, n);
        break;
    }
    default:
        break;
    }
#undef ROW
    if (rc > 0 || rc == BP_ENOMEM)
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
out:
    names_release(&nm);
    return rc;
}
