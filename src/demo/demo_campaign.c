/* SPDX-License-Identifier: MIT */
/*
 * The demo province's campaign (issue 5): one year (07/2023 – 06/2024,
 * with the paths finished in 2024) of the special campaign for the
 * marker-inspection road, with a realistic mix of donors and amounts,
 * road projects and their progress (the paths up to markers 962, 1145 and
 * 1230 are public facts; the rest is synthetic), bamboo and lights in
 * several communes, 3 March activities 2019–2024 in all 21 communes and
 * commendations. Fixed seeds: the same records every time.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/campaign.h"
#include "bienphong/date.h"
#include "bienphong/store.h"
#include "demo/demo_int.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SEED_CAMPAIGN 20230701ULL
#define SEED_CAMP_IDS 962114512ULL
#define SYNTH "Dữ liệu mẫu (giả lập)"

struct cgen {
    struct bp_store *st;
    struct bp_demo_rng rng, ids;
    struct bp_commune *cv;
    size_t ncv;
    struct bp_campaign camp;
    bp_uuid donor[40];
    int donor_kind[40];
    size_t ndonors;
    bp_uuid road[12];
    double road_from[12], road_to[12];
    int road_path[12];
    size_t nroads;
    struct pay {
        int32_t on;
        size_t road;
        int64_t vnd;
    } pay[64]; /* payments planned by stage of work */
    size_t npay;
    int32_t cash_on[256]; /* cash receipts, to keep the balance positive */
    int64_t cash_vnd[256];
    size_t ncash;
    int64_t spent;
    unsigned seq;
};

static unsigned below(struct cgen *g, unsigned n)
{
    return bp__demo_below(&g->rng, n);
}

static int32_t ymd(int y, int m, int d)
{
    return bp_date_from_ymd(y, m, d);
}

/* The commune whose stretch holds measure m, or -1. */
static long commune_at(const struct cgen *g, double m)
{
    size_t i;

    for (i = 0; i < g->ncv; i++)
        if (m >= g->cv[i].from.measure_m && m < g->cv[i].to.measure_m)
            return (long)i;
    return -1;
}

static long commune_named(const struct cgen *g, const char *name)
{
    size_t i;

    for (i = 0; i < g->ncv; i++)
        if (strstr(g->cv[i].name, name))
            return (long)i;
    return -1;
}

struct donor_def {
    enum bp_donor_kind kind;
    const char *name;
    int anonymous;
};

static const struct donor_def donors[] = {
    {BP_DONOR_ENTERPRISE, "Công ty CP Xi măng Đồng Bành (mẫu)", 0},
    {BP_DONOR_ENTERPRISE, "Công ty TNHH Xuất nhập khẩu Tân Thanh (mẫu)", 0},
    {BP_DONOR_ENTERPRISE, "Công ty CP Vận tải Hữu Nghị (mẫu)", 0},
    {BP_DONOR_ENTERPRISE, "Ngân hàng TMCP chi nhánh Lạng Sơn (mẫu)", 0},
    {BP_DONOR_ENTERPRISE, "Công ty TNHH Thép Kỳ Lừa (mẫu)", 0},
    {BP_DONOR_ENTERPRISE, "Công ty CP Logistics Cửa khẩu (mẫu)", 0},
    {BP_DONOR_ENTERPRISE, "Doanh nghiệp tư nhân Đá Mẫu Sơn (mẫu)", 1},
    {BP_DONOR_ORGANISATION, "Ủy ban MTTQ Việt Nam tỉnh (mẫu)", 0},
    {BP_DONOR_ORGANISATION, "Hội Cựu chiến binh tỉnh (mẫu)", 0},
    {BP_DONOR_ORGANISATION, "Tỉnh đoàn (mẫu)", 0},
    {BP_DONOR_ORGANISATION, "Hội Liên hiệp Phụ nữ tỉnh (mẫu)", 0},
    {BP_DONOR_ORGANISATION, "Sở Giao thông vận tải (mẫu)", 0},
    {BP_DONOR_UNIT, "Bộ Chỉ huy Quân sự tỉnh (mẫu)", 0},
    {BP_DONOR_UNIT, "Công an tỉnh (mẫu)", 0},
    {BP_DONOR_UNIT, "Bộ Chỉ huy Bộ đội Biên phòng tỉnh (mẫu)", 0},
    {BP_DONOR_UNIT, "Đồn Biên phòng Cửa khẩu Chi Ma (mẫu)", 0},
};

static int put_donors(struct cgen *g, struct bp_error *err)
{
    struct bp_donor d = {0};
    char name[96];
    size_t i;
    int rc = 0;

    for (i = 0; i < N(donors) && !rc; i++) {
        memset(&d, 0, sizeof(d));
        bp__demo_uuid(&g->ids, d.id);
        d.kind = donors[i].kind;
        d.name = (char *)donors[i].name;
        d.anonymous = donors[i].anonymous;
        d.note = (char *)SYNTH;
        rc = bp_store_donor_put(g->st, &d, err);
        memcpy(g->donor[g->ndonors], d.id, sizeof(bp_uuid));
        g->donor_kind[g->ndonors++] = (int)d.kind;
    }
    /* Individuals: officers, traders, people of the border communes;
     * every fourth asks to stay anonymous. */
    for (i = 0; i < 18 && !rc; i++) {
        memset(&d, 0, sizeof(d));
        bp__demo_uuid(&g->ids, d.id);
        bp__demo_person(&g->rng, (int)(i % 3 == 1), name, sizeof(name));
        d.kind = BP_DONOR_INDIVIDUAL;
        d.name = name;
        d.anonymous = i % 4 == 3;
        d.note = (char *)SYNTH;
        rc = bp_store_donor_put(g->st, &d, err);
        memcpy(g->donor[g->ndonors], d.id, sizeof(bp_uuid));
        g->donor_kind[g->ndonors++] = (int)d.kind;
    }
    return rc;
}

struct road_def {
    const char *name;
    const char *commune; /* NULL: from the marker's place */
    int path;            /* 1: a path up to `m1` of `len_m` */
    int m1, m2;          /* markers */
    double len_m;
    int64_t budget_vnd;
    int y0, mo0, d0;     /* start */
    int y1, mo1, d1;     /* finished (0: not yet) */
};

static const struct road_def roads[] = {
    {"Đường lên mốc 962", "Quốc Khánh", 1, 962, 0, 350, 1800000000, 2023, 9,
     5, 2024, 11, 22},
    {"Đường lên mốc 1145", "Bảo Lâm", 1, 1145, 0, 250, 1250000000, 2023, 10,
     2, 2024, 4, 30},
    {"Đường lên mốc 1230", "Tú Mịch", 1, 1230, 0, 130, 650000000, 2023, 11,
     15, 2024, 3, 28},
    {"Đường tuần tra đoạn mốc 1002 – 1006", NULL, 0, 1002, 1006, 0,
     4200000000, 2023, 8, 20, 2024, 6, 15},
    {"Đường tuần tra đoạn mốc 1071 – 1074", NULL, 0, 1071, 1074, 0,
     3600000000, 2023, 10, 10, 0, 0, 0},
    {"Đường tuần tra đoạn mốc 1180 – 1184", NULL, 0, 1180, 1184, 0,
     3900000000, 2024, 1, 8, 0, 0, 0},
    {"Đường tuần tra đoạn mốc 1262 – 1265", NULL, 0, 1262, 1265, 0,
     3100000000, 2024, 2, 26, 0, 0, 0},
};

static int put_roads(struct cgen *g, struct bp_error *err)
{
    struct bp_road r;
    char key[32];
    size_t i;
    long c;
    int rc = 0;

    for (i = 0; i < N(roads) && !rc; i++) {
        const struct road_def *d = &roads[i];
        memset(&r, 0, sizeof(r));
        bp__demo_uuid(&g->ids, r.id);
        memcpy(r.campaign_id, g->camp.id, sizeof(bp_uuid));
        r.name = (char *)d->name;
        r.kind = d->path ? BP_ROAD_PATH : BP_ROAD_ALONG;
        snprintf(key, sizeof(key), "%d", d->m1);
        memcpy(r.from.marker_key, key, sizeof(key));
        r.from.offset_m = d->path ? 0 : 120;
        if (!d->path) {
            snprintf(key, sizeof(key), "%d", d->m2);
            memcpy(r.to.marker_key, key, sizeof(key));
            r.to.offset_m = -80;
        }
        r.planned_m = d->len_m;
        r.budget_vnd = d->budget_vnd;
        r.starts_on = ymd(d->y0, d->mo0, d->d0);
        r.finished_on = d->y1 ? ymd(d->y1, d->mo1, d->d1) : BP_DATE_NONE;
        r.note = (char *)(d->path ? "Đường bê tông lên mốc; tên và chiều "
                                    "dài theo tin công khai, số liệu khác "
                                    "giả lập"
                                  : SYNTH);
        rc = bp_store_road_put(g->st, &r, err);
        if (rc)
            break;
        c = d->commune ? commune_named(g, d->commune)
                       : commune_at(g, r.from.measure_m);
        if (c >= 0) {
            memcpy(r.commune_id, g->cv[c].id, sizeof(bp_uuid));
            rc = bp_store_road_put(g->st, &r, err);
        }
        memcpy(g->road[g->nroads], r.id, sizeof(bp_uuid));
        bp_road_extent(&r, &g->road_from[g->nroads], &g->road_to[g->nroads]);
        g->road_path[g->nroads++] = d->path;
    }
    return rc;
}

/* A donation; receipts get numbers "PT-2023-0001". */
static int donate(struct cgen *g, size_t donor, enum bp_donation_status s,
                  enum bp_donation_form f, int64_t vnd, int32_t on,
                  long road, const char *fulfils, bp_uuid out,
                  struct bp_error *err)
{
    static const struct {
        const char *item, *unit;
        double vnd_per_unit;
    } goods[] = {{"xi măng PCB40", "tấn", 1450000},
                 {"thép xây dựng", "tấn", 15800000},
                 {"cát vàng", "m³", 420000},
                 {"đá dăm", "m³", 380000}};
    struct bp_donation d = {0};
    char no[32];
    int y, k, rc;

    bp__demo_uuid(&g->ids, d.id);
    memcpy(d.campaign_id, g->camp.id, sizeof(bp_uuid));
    memcpy(d.donor_id, g->donor[donor], sizeof(bp_uuid));
    d.status = s;
    d.form = f;
    d.on = on;
    d.amount_vnd = vnd;
    if (road >= 0)
        memcpy(d.road_id, g->road[road], sizeof(bp_uuid));
    if (fulfils)
        memcpy(d.fulfils_id, fulfils, sizeof(bp_uuid));
    bp_date_to_ymd(on, &y, NULL, NULL);
    snprintf(no, sizeof(no), "%s-%d-%04u", s == BP_PROMISED ? "CK" : "PT", y,
             ++g->seq);
    d.receipt_no = no;
    if (f == BP_IN_KIND) {
        k = (int)below(g, N(goods));
        d.item = (char *)goods[k].item;
        d.unit = (char *)goods[k].unit;
        d.quantity = floor((double)vnd / goods[k].vnd_per_unit);
        if (d.quantity < 1)
            d.quantity = 1;
        d.amount_vnd = (int64_t)(d.quantity * goods[k].vnd_per_unit);
    } else if (f == BP_LABOUR) {
        d.labour_days = (double)(vnd / g->camp.labour_day_vnd);
    }
    d.note = (char *)SYNTH;
    rc = bp_store_donation_put(g->st, &d, err);
    if (!rc && s == BP_RECEIVED && f == BP_CASH && g->ncash < 256) {
        g->cash_on[g->ncash] = on;
        g->cash_vnd[g->ncash++] = d.amount_vnd;
    }
    if (!rc && out)
        memcpy(out, d.id, sizeof(bp_uuid));
    return rc;
}

/* Round to 100.000 đ, as pledged amounts are. */
static int64_t round_vnd(double v)
{
    return (int64_t)(floor(v / 100000.0) * 100000.0);
}

static int put_money(struct cgen *g, struct bp_error *err)
{
    bp_uuid prom;
    int32_t day0 = ymd(2023, 7, 1), day;
    size_t i;
    long road;
    int rc = 0, k;

    /* Enterprises and units promise at the launch and pay in two or
     * three parts; organisations and individuals give as they can. */
    for (i = 0; i < g->ndonors && !rc; i++) {
        int big = g->donor_kind[i] == BP_DONOR_ENTERPRISE ||
                  g->donor_kind[i] == BP_DONOR_UNIT;
        double scale = big ? 500e6 + 2500e6 * bp_demo_rng_unit(&g->rng)
                           : g->donor_kind[i] == BP_DONOR_ORGANISATION
                                 ? 50e6 + 300e6 * bp_demo_rng_unit(&g->rng)
                                 : 1e6 + 20e6 * bp_demo_rng_unit(&g->rng);
        int64_t total = round_vnd(scale), part, paid = 0;
        int parts = big ? 2 + (int)below(g, 2) : 1;

        road = (long)below(g, (unsigned)g->nroads + 2) - 2; /* some none */
        day = day0 + (int32_t)below(g, 40);
        if (big) {
            rc = donate(g, i, BP_PROMISED, BP_CASH, total, day, road, NULL,
                        prom, err);
            for (k = 0; k < parts && !rc; k++) {
                day += 30 + (int32_t)below(g, 70);
                /* The last part of some promises is still open. */
                if (k == parts - 1 && i % 3 == 0)
                    break;
                part = k == parts - 1 ? total - paid
                                      : round_vnd((double)total / parts);
                rc = donate(g, i, BP_RECEIVED, BP_CASH, part, day, road,
                            prom, NULL, err);
                paid += part;
            }
            /* Materials from the enterprises, used in place. */
            if (!rc && g->donor_kind[i] == BP_DONOR_ENTERPRISE)
                rc = donate(g, i, BP_RECEIVED, BP_IN_KIND,
                            round_vnd(80e6 + 300e6 *
                                                 bp_demo_rng_unit(&g->rng)),
                            day + 10, road >= 0 ? road : 3, NULL, NULL, err);
        } else {
            rc = donate(g, i, BP_RECEIVED, BP_CASH, total, day + 20, road,
                        NULL, NULL, err);
        }
    }
    /* Labour days of the people of the border communes, by road. */
    for (i = 0; i < g->nroads && !rc; i++)
        rc = donate(g, g->ndonors - 1 - i % 6, BP_RECEIVED, BP_LABOUR,
                    (int64_t)(120 + below(g, 400)) * g->camp.labour_day_vnd,
                    ymd(2023, 10, 1) + (int32_t)(i * 23), (long)i, NULL,
                    NULL, err);
    return rc;
}

static int put_progress(struct cgen *g, struct bp_error *err)
{
    struct bp_road_progress p;
    size_t i;
    int k, steps, rc = 0;
    double len, share;

    for (i = 0; i < g->nroads && !rc; i++) {
        const struct road_def *d = &roads[i];
        int32_t start = ymd(d->y0, d->mo0, d->d0);
        int32_t end = d->y1 ? ymd(d->y1, d->mo1, d->d1) : ymd(2024, 11, 30);
        len = g->road_to[i] - g->road_from[i];
        /* Finished roads reach the end; the others 35–80 %. */
        share = d->y1 ? 1.0 : 0.35 + 0.45 * bp_demo_rng_unit(&g->rng);
        steps = g->road_path[i] ? 2 : 4 + (int)below(g, 3);
        for (k = 0; k < steps && !rc; k++) {
            memset(&p, 0, sizeof(p));
            bp__demo_uuid(&g->ids, p.id);
            memcpy(p.road_id, g->road[i], sizeof(bp_uuid));
            /* Stretches reported overlap a little, as reports do. */
            p.from_m = g->road_from[i] + len * share * k / steps;
            if (k)
                p.from_m -= len * 0.02;
            p.to_m = g->road_from[i] + len * share * (k + 1) / steps;
            p.on = start + (int32_t)((double)(end - start) * (k + 1) / steps);
            p.note = (char *)SYNTH;
            rc = bp_store_road_progress_put(g->st, &p, err);
            /* The contractor is paid for the stage a fortnight later. */
            if (!rc && g->npay < N(g->pay)) {
                g->pay[g->npay].on = p.on + 14;
                g->pay[g->npay].road = i;
                g->pay[g->npay++].vnd = round_vnd(
                    (double)d->budget_vnd * share / steps *
                    (0.85 + 0.2 * bp_demo_rng_unit(&g->rng)));
            }
        }
    }
    return rc;
}

static int cmp_pay(const void *a, const void *b)
{
    const struct pay *x = a, *y = b;

    return x->on < y->on ? -1 : x->on > y->on;
}

/* Spending: stage payments in date order, never more than is on hand. */
static int put_spending(struct cgen *g, struct bp_error *err)
{
    struct bp_expense e;
    char doc[32];
    size_t i, j;
    int64_t on_hand, amt;
    int rc = 0, y;

    qsort(g->pay, g->npay, sizeof(g->pay[0]), cmp_pay);
    for (i = 0; i < g->npay && !rc; i++) {
        on_hand = -g->spent;
        for (j = 0; j < g->ncash; j++)
            if (g->cash_on[j] <= g->pay[i].on)
                on_hand += g->cash_vnd[j];
        amt = g->pay[i].vnd < on_hand ? g->pay[i].vnd : round_vnd(
                                                            (double)on_hand);
        if (amt <= 0)
            continue;
        memset(&e, 0, sizeof(e));
        bp__demo_uuid(&g->ids, e.id);
        memcpy(e.campaign_id, g->camp.id, sizeof(bp_uuid));
        bp_date_to_ymd(g->pay[i].on, &y, NULL, NULL);
        snprintf(doc, sizeof(doc), "PC-%d-%03zu", y, i + 1);
        e.doc_no = doc;
        e.on = g->pay[i].on;
        e.amount_vnd = amt;
        memcpy(e.road_id, g->road[g->pay[i].road], sizeof(bp_uuid));
        e.purpose = (char *)"Thanh toán khối lượng hoàn thành (giả lập)";
        rc = bp_store_expense_put(g->st, &e, err);
        if (!rc)
            g->spent += amt;
    }
    return rc;
}

static int put_bamboo(struct cgen *g, struct bp_error *err)
{
    static const char *const where[] = {"Đào Viên", "Tân Minh", "Thanh Lòa",
                                        "Cao Lâu", "Bắc Xa", "Kiên Mộc"};
    struct bp_bamboo b;
    struct bp_bamboo_check c;
    size_t i;
    int k, rc = 0;
    long ci;
    double a, len;

    for (i = 0; i < N(where) && !rc; i++) {
        ci = commune_named(g, where[i]);
        if (ci < 0)
            continue;
        len = g->cv[ci].to.measure_m - g->cv[ci].from.measure_m;
        for (k = 0; k < 3 && !rc; k++) {
            memset(&b, 0, sizeof(b));
            bp__demo_uuid(&g->ids, b.id);
            memcpy(b.commune_id, g->cv[ci].id, sizeof(bp_uuid));
            /* Plantings of neighbouring villages overlap at the ends. */
            a = g->cv[ci].from.measure_m + len * (0.3 + 0.04 * k);
            b.from.measure_m = floor(a);
            b.to.measure_m = floor(a + len * 0.05);
            b.clumps = 150 + (long)below(g, 350);
            b.households = 8 + (long)below(g, 30);
            b.planted_on = ymd(2023 + k / 2, k == 1 ? 9 : 3,
                               5 + (int)below(g, 20));
            b.note = (char *)SYNTH;
            rc = bp_store_bamboo_put(g->st, &b, err);
            if (rc)
                break;
            memset(&c, 0, sizeof(c));
            bp__demo_uuid(&g->ids, c.id);
            memcpy(c.bamboo_id, b.id, sizeof(bp_uuid));
            c.on = b.planted_on + 180;
            c.alive = b.clumps - (long)below(g, (unsigned)b.clumps / 5 + 1);
            c.note = (char *)"Kiểm tra sau 6 tháng (giả lập)";
            rc = bp_store_bamboo_check_put(g->st, &c, err);
        }
    }
    return rc;
}

static int put_lights(struct cgen *g, struct bp_error *err)
{
    static const char *const funders[] = {
        "Tỉnh đoàn (mẫu)", "Hội Liên hiệp Phụ nữ tỉnh (mẫu)",
        "Công ty CP Vận tải Hữu Nghị (mẫu)", "Đồn Biên phòng (mẫu)"};
    struct bp_light l;
    struct bp_light_check c;
    size_t i;
    int k, n, rc = 0;
    double m, step;

    /* Solar lights along the stretches of patrol road already built. */
    for (i = 0; i < g->nroads && !rc; i++) {
        if (g->road_path[i])
            continue;
        step = 60 + below(g, 50);
        n = (int)((g->road_to[i] - g->road_from[i]) * 0.3 / step);
        for (k = 0; k < n && !rc; k++) {
            m = g->road_from[i] + 20 + step * k;
            memset(&l, 0, sizeof(l));
            bp__demo_uuid(&g->ids, l.id);
            memcpy(l.road_id, g->road[i], sizeof(bp_uuid));
            l.measure_m = m;
            l.lon = l.lat = NAN;
            l.kind = k % 9 == 8 ? BP_LIGHT_GRID : BP_LIGHT_SOLAR;
            l.installed_on = ymd(2024, 3 + (int)(i % 6), 1 + k % 27);
            l.funder = (char *)funders[(i + (size_t)k / 10) % N(funders)];
            l.working = 1;
            l.note = (char *)SYNTH;
            rc = bp_store_light_put(g->st, &l, err);
            if (rc || k % 7 != 3)
                continue;
            /* Some fail in the rainy season; a few are repaired. */
            memset(&c, 0, sizeof(c));
            bp__demo_uuid(&g->ids, c.id);
            memcpy(c.light_id, l.id, sizeof(bp_uuid));
            c.on = ymd(2024, 8, 15);
            c.working = 0;
            c.note = (char *)"Hỏng tấm pin sau bão (giả lập)";
            rc = bp_store_light_check_put(g->st, &c, err);
            if (rc || k % 2)
                continue;
            bp__demo_uuid(&g->ids, c.id);
            c.on = ymd(2024, 10, 2);
            c.working = 1;
            c.note = (char *)"Đã sửa (giả lập)";
            rc = bp_store_light_check_put(g->st, &c, err);
        }
    }
    return rc;
}

static int put_events(struct cgen *g, struct bp_error *err)
{
    static const char *const kinds[] = {
        "họp mặt kỷ niệm; thăm, tặng quà hộ nghèo; văn nghệ; bóng chuyền",
        "mít tinh; tặng quà gia đình chính sách; giao lưu văn nghệ",
        "ra quân tuần tra; thăm hộ tự quản; thể thao; tuyên truyền pháp luật",
        "ngày hội Biên phòng toàn dân; khám bệnh, cấp thuốc; tặng quà"};
    struct bp_event e;
    size_t i;
    int y, rc = 0;

    for (y = 2019; y <= 2024 && !rc; y++)
        for (i = 0; i < g->ncv && !rc; i++) {
            memset(&e, 0, sizeof(e));
            bp__demo_uuid(&g->ids, e.id);
            memcpy(e.commune_id, g->cv[i].id, sizeof(bp_uuid));
            e.year = y;
            /* 2020 and 2021 were small (COVID-19). */
            e.activities = (y == 2020 || y == 2021) ? 1 + (long)below(g, 2)
                                                    : 3 + (long)below(g, 4);
            e.kinds = (char *)kinds[below(g, N(kinds))];
            e.participants = e.activities * (60 + (long)below(g, 120));
            e.gifts = 10 + (long)below(g, 60);
            e.gifts_vnd = (int64_t)e.gifts * (300000 + 100000 * below(g, 5));
            e.funds_vnd = e.gifts_vnd + (int64_t)(5 + below(g, 30)) * 1000000;
            e.note = (char *)SYNTH;
            rc = bp_store_event_put(g->st, &e, err);
        }
    return rc;
}

static int put_awards(struct cgen *g, struct bp_error *err)
{
    static const struct {
        enum bp_award_level level;
        const char *no;
        int y, m, d;
    } rounds[] = {
        {BP_AWARD_BK_PROVINCE, "QĐ-UBND", 2023, 3, 1},
        {BP_AWARD_BK_BORDER_GUARD, "QĐ-BCH", 2023, 12, 20},
        {BP_AWARD_GK_STATION, "QĐ-ĐBP", 2024, 2, 28},
        {BP_AWARD_GK_DISTRICT, "QĐ-UBND", 2024, 3, 1},
    };
    struct bp_custodian *cu = NULL;
    struct bp_award a;
    char no[32];
    size_t n = 0, i, k;
    int rc;

    rc = bp_store_custodian_list(g->st, &cu, &n, err);
    for (i = 0; i < N(rounds) && !rc && n; i++) {
        for (k = 0; k < 4 && !rc; k++) {
            const struct bp_custodian *c = &cu[below(g, (unsigned)n)];
            memset(&a, 0, sizeof(a));
            bp__demo_uuid(&g->ids, a.id);
            a.recipient_kind = c->kind == BP_COLLECTIVE ? BP_RECIP_COLLECTIVE
                                                        : BP_RECIP_HOUSEHOLD;
            a.recipient = c->name;
            memcpy(a.custodian_id, c->id, sizeof(bp_uuid));
            memcpy(a.commune_id, c->commune_id, sizeof(bp_uuid));
            a.level = rounds[i].level;
            snprintf(no, sizeof(no), "%u/%s", 100 + below(g, 2400), rounds[i].no);
            a.decision_no = no;
            a.decided_on = ymd(rounds[i].y, rounds[i].m, rounds[i].d);
            a.reason = (char *)"Có thành tích trong phong trào Toàn dân "
                               "tham gia bảo vệ chủ quyền lãnh thổ, an ninh "
                               "biên giới quốc gia (giả lập)";
            rc = bp_store_award_put(g->st, &a, err);
        }
    }
    /* A unit commended for the campaign itself. */
    if (!rc) {
        memset(&a, 0, sizeof(a));
        bp__demo_uuid(&g->ids, a.id);
        a.recipient_kind = BP_RECIP_UNIT;
        a.recipient = (char *)"Công ty CP Xi măng Đồng Bành (mẫu)";
        a.level = BP_AWARD_BK_PROVINCE;
        a.decision_no = (char *)"2961/QĐ-UBND";
        a.decided_on = ymd(2024, 12, 10);
        a.reason = (char *)"Ủng hộ xây dựng đường kiểm tra cột mốc (giả lập)";
        rc = bp_store_award_put(g->st, &a, err);
    }
    bp_store_custodian_list_free(cu, n);
    return rc;
}

int bp__demo_campaign(struct bp_store *st, struct bp_error *err)
{
    struct cgen *g = NULL;
    int rc;

    g = bp_calloc(1, sizeof(*g));
    if (!g)
        return bp_error_set(err, BP_ENOMEM, "out of memory making the demo");
    g->st = st;
    g->rng.state = SEED_CAMPAIGN;
    g->ids.state = SEED_CAMP_IDS;
    rc = bp_store_commune_list(st, &g->cv, &g->ncv, err);
    if (rc)
        goto out;
    bp__demo_uuid(&g->ids, g->camp.id);
    g->camp.name = (char *)"Đợt vận động đặc biệt ủng hộ xây dựng đường kiểm "
                           "tra cột mốc, bảo vệ biên giới (mẫu)";
    g->camp.starts_on = ymd(2023, 7, 1);
    g->camp.ends_on = ymd(2024, 6, 30);
    g->camp.goal_vnd = 30000000000LL;
    g->camp.goal_road_m = 12000;
    g->camp.labour_day_vnd = 250000;
    g->camp.note = (char *)SYNTH;
    rc = bp_store_campaign_put(st, &g->camp, err);
    if (!rc)
        rc = put_donors(g, err);
    if (!rc)
        rc = put_roads(g, err);
    if (!rc)
        rc = put_money(g, err);
    if (!rc)
        rc = put_progress(g, err);
    if (!rc)
        rc = put_spending(g, err);
    if (!rc)
        rc = put_bamboo(g, err);
    if (!rc)
        rc = put_lights(g, err);
    if (!rc)
        rc = put_events(g, err);
    if (!rc)
        rc = put_awards(g, err);
out:
    bp_store_commune_list_free(g->cv, g->ncv);
    bp_free(g);
    return rc;
}
