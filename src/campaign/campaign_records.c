/* SPDX-License-Identifier: MIT */
/*
 * The campaign's values: money in integer đồng (overflow-checked
 * arithmetic, parsing as people type amounts, vi-VN formatting), the names
 * of the enums in code, Vietnamese and English, the release functions and
 * the checks of a donation on its own.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/campaign.h"
#include "bienphong/text.h"

/* ---- money ---- */

int bp_money_add(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;

    if (__builtin_add_overflow(a, b, &r))
        return BP_EOVERFLOW;
    *out = r;
    return 0;
}

int bp_money_sub(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;

    if (__builtin_sub_overflow(a, b, &r))
        return BP_EOVERFLOW;
    *out = r;
    return 0;
}

int bp_money_mul(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;

    if (__builtin_mul_overflow(a, b, &r))
        return BP_EOVERFLOW;
    *out = r;
    return 0;
}

/* Does the text after the digits name the currency (or nothing)? */
static int currency_suffix(const char *p)
{
    static const char *const names[] = {"", "d", "dong", "vnd", "\xe2\x82\xab",
                                        NULL};
    char buf[32];
    size_t n;
    int i;

    while (*p == ' ')
        p++;
    n = strlen(p);
    while (n && p[n - 1] == ' ')
        n--;
    if (n >= sizeof(buf))
        return 0;
    memcpy(buf, p, n);
    buf[n] = 0;
    bp_text_fold_to(buf, buf); /* "VNĐ", "Đồng" -> "vnd", "dong" */
    for (i = 0; names[i]; i++)
        if (!strcmp(buf, names[i]))
            return 1;
    return 0;
}

int bp_money_parse(const char *s, int64_t *out)
{
    const char *p = s;
    int64_t v = 0;
    char sep = 0;
    int ngroups = 0, digits = 0, group_len = 0, first_len = 0;

    if (!s || !out)
        return BP_EINVAL;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '-' || *p == '+') {
        const char *q = p + 1;
        while (*q == ' ')
            q++;
        if (*p == '-' && isdigit((unsigned char)*q))
            return BP_ERANGE;
        if (*p == '-')
            return BP_EPARSE;
        p = q;
    }
    if (!isdigit((unsigned char)*p))
        return BP_EPARSE;
    for (;; p++) {
        if (isdigit((unsigned char)*p)) {
            if (__builtin_mul_overflow(v, 10, &v) ||
                __builtin_add_overflow(v, *p - '0', &v))
                return BP_EOVERFLOW;
            digits++;
            group_len++;
            continue;
        }
        if ((*p == '.' || *p == ',' || *p == ' ') &&
            isdigit((unsigned char)p[1])) {
            if (sep && *p != sep)
                return BP_EPARSE; /* "1.250,5": a decimal part */
            if (!sep)
                first_len = group_len;
            else if (group_len != 3)
                return BP_EPARSE;
            sep = *p;
            ngroups++;
            group_len = 0;
            continue;
        }
        break;
    }
    if (sep) {
        /* Thousands groups are three digits each; anything else is a
         * decimal part ("12,5", "1250000.50"). */
        if (group_len != 3 || first_len < 1 || first_len > 3)
            return BP_EPARSE;
    }
    (void)digits;
    (void)ngroups;
    if (!currency_suffix(p))
        return BP_EPARSE;
    *out = v;
    return 0;
}

char *bp_money_format(int64_t vnd, enum bp_lang lang, char *out, size_t size)
{
    char num[40];

    bp_fmt_int(vnd, lang, num, sizeof(num));
    snprintf(out, size, "%s %s", num, lang == BP_LANG_VI ? "đ" : "VND");
    return out;
}

/* ---- enum names ---- */

struct names {
    const char *code, *vi, *en;
};

static int parse_names(const struct names *t, int n, const char *s)
{
    char *f = NULL, *g = NULL;
    int i, hit = -1;

    if (!s)
        return -1;
    f = bp_text_fold(s);
    if (!f)
        return -1;
    for (i = 0; i < n && hit < 0; i++) {
        if (!strcmp(f, t[i].code) || !strcmp(f, t[i].en))
            hit = i;
        g = bp_text_fold(t[i].vi);
        if (g && !strcmp(f, g))
            hit = i;
        bp_free(g);
        g = bp_text_fold(t[i].en);
        if (g && !strcmp(f, g))
            hit = i;
        bp_free(g);
    }
    bp_free(f);
    return hit;
}

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define NAME_OF(t, k, field) \
    ((unsigned)(k) < (unsigned)N(t) ? t[k].field : "?")

static const struct names donor_kinds[] = {
    {"organisation", "cơ quan, tổ chức", "organisation"},
    {"enterprise", "doanh nghiệp", "enterprise"},
    {"unit", "đơn vị", "unit"},
    {"individual", "cá nhân", "individual"},
};
static const struct names statuses[] = {
    {"promised", "cam kết", "promised"},
    {"received", "đã nhận", "received"},
};
static const struct names forms[] = {
    {"cash", "tiền mặt", "cash"},
    {"in_kind", "hiện vật", "in kind"},
    {"labour", "ngày công", "labour"},
};
static const struct names light_kinds[] = {
    {"solar", "năng lượng mặt trời", "solar"},
    {"grid", "điện lưới", "grid"},
    {"other", "khác", "other"},
};
static const struct names recip_kinds[] = {
    {"person", "cá nhân", "person"},
    {"household", "hộ gia đình", "household"},
    {"collective", "tập thể", "collective"},
    {"unit", "đơn vị", "unit"},
};
static const struct names levels[] = {
    {"bk_province", "Bằng khen của Chủ tịch UBND tỉnh",
     "Certificate of merit of the Provincial People's Committee chair"},
    {"bk_border_guard", "Bằng khen của Bộ Chỉ huy BĐBP tỉnh",
     "Certificate of merit of the provincial Border Guard Command"},
    {"gk_district", "Giấy khen của Chủ tịch UBND huyện",
     "Commendation of the district People's Committee chair"},
    {"gk_station", "Giấy khen của Đồn Biên phòng",
     "Commendation of the border guard station"},
    {"other", "Hình thức khác", "Other"},
};

const char *bp_donor_kind_name(enum bp_donor_kind k)
{
    return NAME_OF(donor_kinds, k, code);
}
const char *bp_donor_kind_vi(enum bp_donor_kind k)
{
    return NAME_OF(donor_kinds, k, vi);
}
const char *bp_donor_kind_en(enum bp_donor_kind k)
{
    return NAME_OF(donor_kinds, k, en);
}
const char *bp_donation_status_name(enum bp_donation_status k)
{
    return NAME_OF(statuses, k, code);
}
const char *bp_donation_form_name(enum bp_donation_form k)
{
    return NAME_OF(forms, k, code);
}
const char *bp_donation_form_vi(enum bp_donation_form k)
{
    return NAME_OF(forms, k, vi);
}
const char *bp_light_kind_name(enum bp_light_kind k)
{
    return NAME_OF(light_kinds, k, code);
}
const char *bp_light_kind_vi(enum bp_light_kind k)
{
    return NAME_OF(light_kinds, k, vi);
}
const char *bp_recipient_kind_name(enum bp_recipient_kind k)
{
    return NAME_OF(recip_kinds, k, code);
}
const char *bp_recipient_kind_vi(enum bp_recipient_kind k)
{
    return NAME_OF(recip_kinds, k, vi);
}
const char *bp_award_level_name(enum bp_award_level k)
{
    return NAME_OF(levels, k, code);
}
const char *bp_award_level_vi(enum bp_award_level k)
{
    return NAME_OF(levels, k, vi);
}
const char *bp_award_level_en(enum bp_award_level k)
{
    return NAME_OF(levels, k, en);
}

#define PARSER(fn, type, table)                                              \
    int fn(const char *s, type *out)                                         \
    {                                                                        \
        int i = parse_names(table, N(table), s);                             \
        if (i < 0 || !out)                                                   \
            return BP_EINVAL;                                                \
        *out = (type)i;                                                      \
        return 0;                                                            \
    }

PARSER(bp_donor_kind_parse, enum bp_donor_kind, donor_kinds)
PARSER(bp_donation_status_parse, enum bp_donation_status, statuses)
PARSER(bp_donation_form_parse, enum bp_donation_form, forms)
PARSER(bp_light_kind_parse, enum bp_light_kind, light_kinds)
PARSER(bp_recipient_kind_parse, enum bp_recipient_kind, recip_kinds)

int bp_award_level_parse(const char *s, enum bp_award_level *out)
{
    static const struct names extra[] = {
        {"bk_tinh", "bằng khen tỉnh", "bk ubnd"},
        {"bk_bdbp", "bằng khen bđbp", "bk bchbdbp"},
        {"gk_huyen", "giấy khen huyện", "gk ubnd huyen"},
        {"gk_don", "giấy khen đồn", "gk don bp"},
        {"khac", "khác", "other"},
    };
    int i = parse_names(levels, N(levels), s);

    if (i < 0)
        i = parse_names(extra, N(extra), s);
    if (i < 0 || !out)
        return BP_EINVAL;
    *out = (enum bp_award_level)i;
    return 0;
}

/* ---- release ---- */

void bp_campaign_release(struct bp_campaign *r)
{
    if (!r)
        return;
    bp_free(r->name);
    bp_free(r->note);
    r->name = r->note = NULL;
}

void bp_donor_release(struct bp_donor *r)
{
    if (!r)
        return;
    bp_free(r->name);
    bp_free(r->contact);
    bp_free(r->note);
    r->name = r->contact = r->note = NULL;
}

void bp_donation_release(struct bp_donation *r)
{
    if (!r)
        return;
    bp_free(r->item);
    bp_free(r->unit);
    bp_free(r->receipt_no);
    bp_free(r->note);
    r->item = r->unit = r->receipt_no = r->note = NULL;
}

void bp_expense_release(struct bp_expense *r)
{
    if (!r)
        return;
    bp_free(r->doc_no);
    bp_free(r->purpose);
    r->doc_no = r->purpose = NULL;
}

void bp_road_release(struct bp_road *r)
{
    if (!r)
        return;
    bp_free(r->name);
    bp_free(r->geom);
    bp_free(r->note);
    r->name = r->note = NULL;
    r->geom = NULL;
    r->ngeom = 0;
}

void bp_road_progress_release(struct bp_road_progress *r)
{
    if (!r)
        return;
    bp_free(r->note);
    r->note = NULL;
}

void bp_bamboo_release(struct bp_bamboo *r)
{
    if (!r)
        return;
    bp_free(r->note);
    r->note = NULL;
}

void bp_bamboo_check_release(struct bp_bamboo_check *r)
{
    if (!r)
        return;
    bp_free(r->note);
    r->note = NULL;
}

void bp_light_release(struct bp_light *r)
{
    if (!r)
        return;
    bp_free(r->funder);
    bp_free(r->note);
    r->funder = r->note = NULL;
}

void bp_light_check_release(struct bp_light_check *r)
{
    if (!r)
        return;
    bp_free(r->note);
    r->note = NULL;
}

void bp_event_release(struct bp_event *r)
{
    if (!r)
        return;
    bp_free(r->kinds);
    bp_free(r->note);
    r->kinds = r->note = NULL;
}

void bp_award_release(struct bp_award *r)
{
    if (!r)
        return;
    bp_free(r->recipient);
    bp_free(r->decision_no);
    bp_free(r->reason);
    r->recipient = r->decision_no = r->reason = NULL;
}

/* ---- a donation on its own ---- */

int bp_donation_value(struct bp_donation *d, int64_t labour_day_vnd,
                      struct bp_error *err)
{
    double v;
    int rc = 0;

    if (!d)
        return bp_error_set(err, BP_EINVAL, "no donation given");
    if ((unsigned)d->status > BP_RECEIVED)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "status",
                               "donation '%s': unknown status %d", d->id,
                               (int)d->status);
    if (d->on == BP_DATE_NONE)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "date",
                               "donation '%s' needs a date", d->id);
    if (d->status == BP_PROMISED && d->fulfils_id[0])
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "fulfils",
                               "donation '%s' is a promise and cannot "
                               "fulfil another promise",
                               d->id);
    switch (d->form) {
    case BP_CASH:
        if (d->amount_vnd <= 0)
            rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "amount_vnd",
                                 "donation '%s': amount %lld đồng is not "
                                 "a positive amount",
                                 d->id, (long long)d->amount_vnd);
        break;
    case BP_IN_KIND:
        if (!d->item || !*d->item)
            rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "item",
                                 "donation '%s' in kind needs an item",
                                 d->id);
        else if (!(isfinite(d->quantity) && d->quantity > 0))
            rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "quantity",
                                 "donation '%s': quantity %g of '%s' is "
                                 "not a positive number",
                                 d->id, d->quantity, d->item);
        else if (d->amount_vnd < 0)
            rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "amount_vnd",
                                 "donation '%s': value %lld đồng is "
                                 "negative",
                                 d->id, (long long)d->amount_vnd);
        break;
    case BP_LABOUR:
        if (!(isfinite(d->labour_days) && d->labour_days > 0)) {
            rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "labour_days",
                                 "donation '%s': %g labour days is not a "
                                 "positive number",
                                 d->id, d->labour_days);
            break;
        }
        if (labour_day_vnd < 0)
            return bp_error_set_at(err, BP_ERANGE, NULL, 0,
                                   "labour_day_vnd",
                                   "the campaign's labour-day rate is "
                                   "negative");
        v = floor(d->labour_days * (double)labour_day_vnd);
        if (!(v < 9.2e18))
            rc = bp_error_set_at(err, BP_EOVERFLOW, NULL, 0, "labour_days",
                                 "donation '%s': %g labour days are worth "
                                 "more than the ledger can hold",
                                 d->id, d->labour_days);
        else
            d->amount_vnd = (int64_t)v;
        break;
    default:
        rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "form",
                             "donation '%s': unknown form %d", d->id,
                             (int)d->form);
    }
    return rc;
}
