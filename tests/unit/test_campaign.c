/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the campaign module (issue 5): money parsing and
 * overflow, the ledger's invariants under many seeded random operations,
 * promise/receipt matching, money to kilometres, km planted and km lit
 * with overlapping entries, and award suggestions on hand-built cases.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bienphong/alloc.h"
#include "bienphong/campaign.h"
#include "bienphong/date.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void want_msg(const struct bp_error *err, const char *needle)
{
    if (!strstr(err->message, needle))
        fail_msg("message '%s' lacks '%s'", err->message, needle);
}

static void test_money_parse(void **state)
{
    static const struct {
        const char *s;
        int rc;
        int64_t v;
    } cases[] = {
        {"1250000", 0, 1250000},
        {"1.250.000", 0, 1250000},
        {"1.250.000 đ", 0, 1250000},
        {"1,250,000 VND", 0, 1250000},
        {"1 250 000 đồng", 0, 1250000},
        {"2.000.000.000 VNĐ", 0, 2000000000},
        {"0", 0, 0},
        {"9223372036854775807", 0, INT64_MAX},
        {"9223372036854775808", BP_EOVERFLOW, 0},
        {"99.999.999.999.999.999.999", BP_EOVERFLOW, 0},
        {"-5", BP_ERANGE, 0},
        {"- 1.000", BP_ERANGE, 0},
        {"12,5", BP_EPARSE, 0},
        {"1250000.50", BP_EPARSE, 0},
        {"1.250.000,5", BP_EPARSE, 0},
        {"0,5", BP_EPARSE, 0},
        {"1.25.000", BP_EPARSE, 0},
        {"abc", BP_EPARSE, 0},
        {"", BP_EPARSE, 0},
        {"100 USD", BP_EPARSE, 0},
    };
    size_t i;
    int64_t v;
    int rc;

    (void)state;
    for (i = 0; i < N(cases); i++) {
        v = -42;
        rc = bp_money_parse(cases[i].s, &v);
        if (rc != cases[i].rc)
            fail_msg("bp_money_parse('%s') = %d, want %d", cases[i].s, rc,
                     cases[i].rc);
        if (!rc && v != cases[i].v)
            fail_msg("bp_money_parse('%s') gave %lld, want %lld",
                     cases[i].s, (long long)v, (long long)cases[i].v);
        if (rc && v != -42)
            fail_msg("bp_money_parse('%s') touched the output", cases[i].s);
    }
}

static void test_money_arith(void **state)
{
    int64_t v = 7;
    char buf[64];

    (void)state;
    assert_int_equal(bp_money_add(INT64_MAX, 1, &v), BP_EOVERFLOW);
    assert_int_equal(v, 7);
    assert_int_equal(bp_money_sub(INT64_MIN, 1, &v), BP_EOVERFLOW);
    assert_int_equal(bp_money_mul(INT64_MAX / 2 + 1, 2, &v), BP_EOVERFLOW);
    assert_int_equal(bp_money_add(1250000, 750000, &v), 0);
    assert_int_equal(v, 2000000);
    assert_string_equal(bp_money_format(1250000, BP_LANG_VI, buf,
                                        sizeof(buf)),
                        "1.250.000 đ");
    assert_string_equal(bp_money_format(1250000, BP_LANG_EN, buf,
                                        sizeof(buf)),
                        "1,250,000 VND");
}

static void test_donation_value(void **state)
{
    struct bp_donation d = {0};
    struct bp_error err = {0};

    (void)state;
    strcpy(d.id, "D1");
    d.status = BP_RECEIVED;
    d.form = BP_LABOUR;
    d.labour_days = 2.5;
    d.on = bp_date_from_ymd(2023, 6, 1);
    assert_int_equal(bp_donation_value(&d, 200000, &err), 0);
    assert_int_equal(d.amount_vnd, 500000);
    d.labour_days = -1;
    assert_int_equal(bp_donation_value(&d, 200000, &err), BP_ERANGE);
    assert_string_equal(err.field, "labour_days");
    d.labour_days = 1e15;
    assert_int_equal(bp_donation_value(&d, 200000, &err), BP_EOVERFLOW);
    d.form = BP_CASH;
    d.amount_vnd = -1000;
    assert_int_equal(bp_donation_value(&d, 200000, &err), BP_ERANGE);
    assert_string_equal(err.field, "amount_vnd");
    want_msg(&err, "D1");
    d.form = BP_IN_KIND;
    d.amount_vnd = 5000000;
    assert_int_equal(bp_donation_value(&d, 200000, &err), BP_EINVAL);
    assert_string_equal(err.field, "item");
    d.status = BP_PROMISED;
    d.form = BP_CASH;
    strcpy(d.fulfils_id, "X");
    assert_int_equal(bp_donation_value(&d, 200000, &err), BP_EINVAL);
    assert_string_equal(err.field, "fulfils");
}

/* ---- the ledger under random operations ---- */

static uint64_t rng_state;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static unsigned below(unsigned n)
{
    return (unsigned)(rnd() % n);
}

#define NDONORS 12
#define MAXOPS 600

struct world {
    struct bp_donor donors[NDONORS];
    struct bp_road roads[3];
    struct bp_donation don[MAXOPS];
    struct bp_expense exp[MAXOPS];
    size_t ndon, nexp;
    int64_t cash, spent, received, promised, fulfilled_total;
    int64_t fulfilled[MAXOPS]; /* per donation index */
};

static void ledger_invariants(const struct world *w)
{
    struct bp_ledger_input in = {0};
    struct bp_ledger l = {0};
    struct bp_error err = {0};
    struct bp_ledger_row sum = {0};
    int64_t months_rec = 0, months_spent = 0, dsum = 0, psum, outstanding;
    size_t i;

    in.donors = w->donors;
    in.ndonors = NDONORS;
    in.donations = w->don;
    in.ndonations = w->ndon;
    in.expenses = w->exp;
    in.nexpenses = w->nexp;
    in.roads = w->roads;
    in.nroads = 3;
    if (bp_ledger_check(&in, &err))
        fail_msg("a valid ledger was rejected: %s", err.message);
    assert_int_equal(bp_ledger_compute(&in, 1, &l, &err), 0);
    if (l.total.received_vnd != w->received ||
        l.total.cash_vnd != w->cash || l.total.spent_vnd != w->spent ||
        l.total.promised_vnd != w->promised)
        fail_msg("totals received %lld/%lld cash %lld/%lld spent %lld/%lld "
                 "promised %lld/%lld (got/want)",
                 (long long)l.total.received_vnd, (long long)w->received,
                 (long long)l.total.cash_vnd, (long long)w->cash,
                 (long long)l.total.spent_vnd, (long long)w->spent,
                 (long long)l.total.promised_vnd, (long long)w->promised);
    assert_int_equal(l.balance_vnd, w->cash - w->spent);
    assert_true(l.balance_vnd >= 0);
    assert_int_equal(l.total.received_vnd, l.total.cash_vnd +
                                               l.total.in_kind_vnd +
                                               l.total.labour_vnd);
    for (i = 0; i < BP_DONOR_NKINDS; i++) {
        sum.received_vnd += l.by_kind[i].received_vnd;
        sum.promised_vnd += l.by_kind[i].promised_vnd;
    }
    assert_int_equal(sum.received_vnd, l.total.received_vnd);
    assert_int_equal(sum.promised_vnd, l.total.promised_vnd);
    for (i = 0; i < l.nmonths; i++) {
        months_rec += l.months[i].t.received_vnd;
        months_spent += l.months[i].t.spent_vnd;
        if (i)
            assert_true(l.months[i - 1].year * 12 + l.months[i - 1].month <
                        l.months[i].year * 12 + l.months[i].month);
    }
    assert_int_equal(months_rec, l.total.received_vnd);
    assert_int_equal(months_spent, l.total.spent_vnd);
    psum = l.unassigned.spent_vnd;
    for (i = 0; i < l.nprojects; i++)
        psum += l.projects[i].spent_vnd;
    assert_int_equal(psum, l.total.spent_vnd);
    for (i = 0; i < l.ndonors; i++) {
        dsum += l.donors[i].t.received_vnd;
        /* The public view hides exactly the anonymous donors' names. */
        if (l.donors[i].anonymous)
            assert_null(l.donors[i].name);
        else
            assert_non_null(l.donors[i].name);
        if (i)
            assert_true(l.donors[i - 1].t.received_vnd >=
                        l.donors[i].t.received_vnd);
    }
    assert_int_equal(dsum, l.total.received_vnd);
    outstanding = 0;
    for (i = 0; i < w->ndon; i++)
        if (w->don[i].status == BP_PROMISED)
            outstanding += w->don[i].amount_vnd - w->fulfilled[i];
    assert_int_equal(l.outstanding_vnd, outstanding);
    bp_ledger_release(&l);
}

static void test_ledger_random(void **state)
{
    static struct world w;
    static char names[NDONORS][32];
    struct bp_ledger_input in = {0};
    struct bp_error err = {0};
    int32_t day0 = bp_date_from_ymd(2023, 7, 1), day;
    int rejected_spend = 0, rejected_fulfil = 0, op;
    size_t i;

    (void)state;
    memset(&w, 0, sizeof(w));
    rng_state = 20230701;
    for (i = 0; i < NDONORS; i++) {
        snprintf(w.donors[i].id, sizeof(bp_uuid), "donor-%02zu", i);
        snprintf(names[i], sizeof(names[i]), "Nhà tài trợ %zu", i);
        w.donors[i].name = names[i];
        w.donors[i].kind = (enum bp_donor_kind)(i % BP_DONOR_NKINDS);
        w.donors[i].anonymous = i % 5 == 4;
    }
    for (i = 0; i < 3; i++)
        snprintf(w.roads[i].id, sizeof(bp_uuid), "road-%zu", i);
    in.donors = w.donors;
    in.ndonors = NDONORS;
    in.roads = w.roads;
    in.nroads = 3;
    /* Dates only move forward, so a new record never changes the
     * balance history before it. */
    for (op = 0, day = day0; op < MAXOPS - 1; op++) {
        unsigned kind = below(10);
        day += (int32_t)below(3);
        if (kind < 5) { /* a receipt, maybe fulfilling a promise */
            struct bp_donation *d = &w.don[w.ndon];
            memset(d, 0, sizeof(*d));
            snprintf(d->id, sizeof(bp_uuid), "don-%04zu", w.ndon);
            strcpy(d->donor_id, w.donors[below(NDONORS)].id);
            d->status = BP_RECEIVED;
            d->form = (enum bp_donation_form)(below(4) == 0 ? 1 + below(2)
                                                            : 0);
            d->amount_vnd = (int64_t)(1 + below(500)) * 100000;
            d->on = day;
            if (below(3))
                strcpy(d->road_id, w.roads[below(3)].id);
            if (below(2)) {
                /* Fulfil an open promise of this donor, sometimes
                 * (deliberately) by more than is open. */
                for (i = 0; i < w.ndon; i++) {
                    struct bp_donation *p = &w.don[i];
                    int64_t open = p->amount_vnd - w.fulfilled[i];
                    if (p->status != BP_PROMISED ||
                        strcmp(p->donor_id, d->donor_id) || open <= 0)
                        continue;
                    strcpy(d->fulfils_id, p->id);
                    if (below(4) == 0) {
                        d->amount_vnd = open + 1;
                        in.donations = w.don;
                        in.ndonations = w.ndon + 1;
                        in.expenses = w.exp;
                        in.nexpenses = w.nexp;
                        assert_int_equal(bp_ledger_check(&in, &err),
                                         BP_ECONFLICT);
                        assert_string_equal(err.field, "amount_vnd");
                        rejected_fulfil++;
                        d->amount_vnd = open;
                    } else if (d->amount_vnd > open) {
                        d->amount_vnd = open;
                    }
                    w.fulfilled[i] += d->amount_vnd;
                    break;
                }
            }
            w.received += d->amount_vnd;
            if (d->form == BP_CASH)
                w.cash += d->amount_vnd;
            w.ndon++;
        } else if (kind < 7) { /* a promise */
            struct bp_donation *d = &w.don[w.ndon];
            memset(d, 0, sizeof(*d));
            snprintf(d->id, sizeof(bp_uuid), "don-%04zu", w.ndon);
            strcpy(d->donor_id, w.donors[below(NDONORS)].id);
            d->status = BP_PROMISED;
            d->amount_vnd = (int64_t)(1 + below(1000)) * 1000000;
            d->on = day;
            w.promised += d->amount_vnd;
            w.ndon++;
        } else { /* an expense, sometimes more than the balance */
            struct bp_expense *e = &w.exp[w.nexp];
            int64_t bal = w.cash - w.spent;
            memset(e, 0, sizeof(*e));
            snprintf(e->id, sizeof(bp_uuid), "exp-%04zu", w.nexp);
            e->on = day;
            if (below(3))
                strcpy(e->road_id, w.roads[below(3)].id);
            e->amount_vnd = bal + 1 + (int64_t)below(1000000);
            in.donations = w.don;
            in.ndonations = w.ndon;
            in.expenses = w.exp;
            in.nexpenses = w.nexp + 1;
            assert_int_equal(bp_ledger_check(&in, &err), BP_ERANGE);
            assert_string_equal(err.field, "amount_vnd");
            want_msg(&err, "more than the balance");
            rejected_spend++;
            if (bal <= 0)
                continue;
            e->amount_vnd = 1 + (int64_t)(rnd() % (uint64_t)bal);
            w.spent += e->amount_vnd;
            w.nexp++;
        }
        if (op % 25 == 0)
            ledger_invariants(&w);
    }
    ledger_invariants(&w);
    /* The run exercised what it is for. */
    assert_true(rejected_spend > 10);
    assert_true(rejected_fulfil > 0);
    assert_true(w.nexp > 20);
}

/* ---- promise / receipt matching ---- */

static void test_promise_receipt(void **state)
{
    struct bp_donor donors[2] = {0};
    struct bp_donation d[4] = {0};
    struct bp_ledger_input in = {0};
    struct bp_ledger l = {0};
    struct bp_error err = {0};
    char name0[] = "Công ty A", name1[] = "Ông B";

    (void)state;
    strcpy(donors[0].id, "A");
    donors[0].name = name0;
    donors[0].kind = BP_DONOR_ENTERPRISE;
    strcpy(donors[1].id, "B");
    donors[1].name = name1;
    donors[1].kind = BP_DONOR_INDIVIDUAL;
    donors[1].anonymous = 1;
    strcpy(d[0].id, "P1");
    strcpy(d[0].donor_id, "A");
    d[0].status = BP_PROMISED;
    d[0].amount_vnd = 10000000;
    d[0].on = bp_date_from_ymd(2023, 8, 1);
    strcpy(d[1].id, "R1");
    strcpy(d[1].donor_id, "A");
    d[1].status = BP_RECEIVED;
    d[1].amount_vnd = 4000000;
    d[1].on = bp_date_from_ymd(2023, 9, 1);
    strcpy(d[1].fulfils_id, "P1");
    d[1].receipt_no = (char[]){"PT-01"};
    d[2] = d[1];
    strcpy(d[2].id, "R2");
    d[2].receipt_no = (char[]){"PT-02"};
    d[2].amount_vnd = 6000000;
    in.donors = donors;
    in.ndonors = 2;
    in.donations = d;
    in.ndonations = 2;
    assert_int_equal(bp_ledger_check(&in, &err), 0);
    assert_int_equal(bp_ledger_compute(&in, 0, &l, &err), 0);
    assert_int_equal(l.total.promised_vnd, 10000000);
    assert_int_equal(l.total.received_vnd, 4000000);
    assert_int_equal(l.outstanding_vnd, 6000000); /* in part */
    bp_ledger_release(&l);
    in.ndonations = 3;
    assert_int_equal(bp_ledger_check(&in, &err), 0);
    assert_int_equal(bp_ledger_compute(&in, 0, &l, &err), 0);
    assert_int_equal(l.outstanding_vnd, 0); /* in full */
    bp_ledger_release(&l);
    /* One đồng more than the promise. */
    d[3] = d[2];
    strcpy(d[3].id, "R3");
    d[3].receipt_no = (char[]){"PT-03"};
    d[3].amount_vnd = 1;
    in.ndonations = 4;
    assert_int_equal(bp_ledger_check(&in, &err), BP_ECONFLICT);
    want_msg(&err, "'PT-03'");
    want_msg(&err, "fulfils more than promise 'P1'");
    /* Another donor's promise. */
    strcpy(d[3].donor_id, "B");
    assert_int_equal(bp_ledger_check(&in, &err), BP_ECONFLICT);
    want_msg(&err, "another donor");
    /* A promise that does not exist. */
    strcpy(d[3].fulfils_id, "NOPE");
    assert_int_equal(bp_ledger_check(&in, &err), BP_ENOTFOUND);
    assert_string_equal(err.field, "fulfils");
    /* An unknown donor. */
    strcpy(d[3].fulfils_id, "");
    strcpy(d[3].donor_id, "C");
    assert_int_equal(bp_ledger_check(&in, &err), BP_ENOTFOUND);
    assert_string_equal(err.field, "donor");
}

/* ---- money to kilometres ---- */

static void test_road_money_to_km(void **state)
{
    struct bp_road roads[2] = {0};
    struct bp_road_progress p[4] = {0};
    struct bp_donation d[2] = {0};
    struct bp_expense e[2] = {0};
    bp_uuid communes[1] = {"C1"};
    struct bp_road_report r = {0};
    struct bp_error err = {0};

    (void)state;
    strcpy(roads[0].id, "R0");
    strcpy(roads[0].commune_id, "C1");
    roads[0].from.measure_m = 10000;
    roads[0].to.measure_m = 11000;
    roads[0].finished_on = BP_DATE_NONE;
    strcpy(roads[1].id, "R1"); /* a path of 130 m off the line */
    strcpy(roads[1].commune_id, "C1");
    roads[1].kind = BP_ROAD_PATH;
    roads[1].planned_m = 130;
    roads[1].finished_on = 500;
    /* Overlapping reports count once; a report beyond the road is
     * clipped; one after the date is ignored. */
    strcpy(p[0].road_id, "R0");
    p[0].from_m = 10000, p[0].to_m = 10400, p[0].on = 1;
    strcpy(p[1].road_id, "R0");
    p[1].from_m = 10300, p[1].to_m = 10600, p[1].on = 2;
    strcpy(p[2].road_id, "R0");
    p[2].from_m = 10900, p[2].to_m = 11500, p[2].on = 3;
    strcpy(p[3].road_id, "R1");
    p[3].from_m = 0, p[3].to_m = 130, p[3].on = 100000;
    strcpy(e[0].road_id, "R0");
    e[0].amount_vnd = 300000000, e[0].on = 1;
    strcpy(e[1].road_id, "R1");
    e[1].amount_vnd = 65000000, e[1].on = 1;
    strcpy(d[0].road_id, "R0"); /* cement given in kind, used in place */
    d[0].status = BP_RECEIVED, d[0].form = BP_IN_KIND;
    d[0].amount_vnd = 50000000, d[0].on = 1;
    strcpy(d[1].road_id, "R0"); /* cash: already counted when spent */
    d[1].status = BP_RECEIVED, d[1].form = BP_CASH;
    d[1].amount_vnd = 500000000, d[1].on = 1;
    assert_int_equal(bp_road_report_compute(roads, 2, p, 4, d, 2, e, 2,
                                            (const bp_uuid *)communes, 1, 1000, &r, &err),
                     0);
    /* R0: [10000,10600) + [10900,11000) = 700 m of 1000. */
    if (fabs(r.roads[0].built_m - 700) > 1e-9)
        fail_msg("R0 built %g m, want 700", r.roads[0].built_m);
    assert_true(fabs(r.roads[0].share - 0.7) < 1e-12);
    assert_int_equal(r.roads[0].cost_vnd, 350000000);
    assert_int_equal(r.roads[0].received_vnd, 550000000);
    /* 350.000.000 đ / 0,7 km = 500.000.000 đ per km. */
    assert_int_equal(r.roads[0].vnd_per_km, 500000000);
    /* R1's report comes after the date; it is finished by its date. */
    assert_true(fabs(r.roads[1].built_m) < 1e-9);
    assert_int_equal(r.roads[1].finished, 1);
    assert_int_equal(r.roads[1].vnd_per_km, 0);
    assert_true(fabs(r.communes[0].planned_m - 1130) < 1e-9);
    assert_true(fabs(r.total.built_m - 700) < 1e-9);
    assert_int_equal(r.total.cost_vnd, 415000000);
    bp_road_report_release(&r);
    assert_int_equal(bp_road_report_compute(roads, 2, p, 4, d, 2, e, 2,
                                            (const bp_uuid *)communes, 1, BP_DATE_NONE, &r,
                                            &err),
                     0);
    assert_true(fabs(r.total.built_m - 830) < 1e-9);
    /* 65.000.000 đ for 0,13 km. */
    assert_int_equal(r.roads[1].vnd_per_km, 500000000);
    bp_road_report_release(&r);
}

/* ---- bamboo and lights ---- */

static void test_bamboo_overlaps(void **state)
{
    struct bp_bamboo b[3] = {0};
    struct bp_bamboo_check c[3] = {0};
    struct bp_bamboo_figures f;
    struct bp_error err = {0};

    (void)state;
    strcpy(b[0].id, "B0"), strcpy(b[0].commune_id, "X");
    b[0].from.measure_m = 0, b[0].to.measure_m = 500;
    b[0].clumps = 200, b[0].households = 10, b[0].planted_on = 10;
    strcpy(b[1].id, "B1"), strcpy(b[1].commune_id, "X");
    b[1].from.measure_m = 300, b[1].to.measure_m = 900;
    b[1].clumps = 100, b[1].households = 4, b[1].planted_on = 20;
    strcpy(b[2].id, "B2"), strcpy(b[2].commune_id, "Y");
    b[2].from.measure_m = 5000, b[2].to.measure_m = 5250;
    b[2].clumps = 80, b[2].households = 3, b[2].planted_on = 30;
    strcpy(c[0].bamboo_id, "B0"), c[0].on = 40, c[0].alive = 180;
    strcpy(c[1].bamboo_id, "B0"), c[1].on = 60, c[1].alive = 170;
    strcpy(c[2].bamboo_id, "B1"), c[2].on = 50, c[2].alive = 95;
    assert_int_equal(bp_bamboo_figures(b, 3, c, 3, NULL, 55, &f, &err), 0);
    if (fabs(f.planted_m - 1150) > 1e-9)
        fail_msg("planted %g m, want 1150", f.planted_m);
    assert_int_equal(f.clumps_planted, 380);
    assert_int_equal(f.clumps_alive, 180 + 95 + 80);
    assert_int_equal(f.households, 17);
    assert_int_equal(bp_bamboo_figures(b, 3, c, 3, "X", BP_DATE_NONE, &f,
                                       &err),
                     0);
    assert_true(fabs(f.planted_m - 900) < 1e-9);
    assert_int_equal(f.clumps_alive, 170 + 95);
    assert_int_equal(bp_bamboo_figures(b, 3, c, 3, NULL, 15, &f, &err), 0);
    assert_int_equal(f.plantings, 1);
}

static void test_lights_lit(void **state)
{
    struct bp_light l[4] = {0};
    struct bp_light_check c[2] = {0};
    struct bp_light_figures f;
    struct bp_spanset lit;
    struct bp_error err = {0};
    static const double at[] = {1000, 1030, 2000, 3000};
    size_t i;

    (void)state;
    for (i = 0; i < 4; i++) {
        snprintf(l[i].id, sizeof(bp_uuid), "L%zu", i);
        l[i].measure_m = at[i];
        l[i].working = 1;
        l[i].installed_on = 10;
        l[i].lon = l[i].lat = NAN;
    }
    strcpy(c[0].light_id, "L3"), c[0].on = 20, c[0].working = 0;
    strcpy(c[1].light_id, "L3"), c[1].on = 40, c[1].working = 1;
    bp_spanset_init(&lit);
    assert_int_equal(bp_light_figures(l, 4, c, 2, NULL, 30,
                                      BP_LIGHT_REACH_M, &f, &lit, &err),
                     0);
    /* [975,1055) ∪ [1975,2025): the two close lights overlap. */
    assert_int_equal(f.installed, 4);
    assert_int_equal(f.working, 3);
    if (fabs(f.lit_m - 130) > 1e-9)
        fail_msg("lit %g m, want 130", f.lit_m);
    assert_int_equal(lit.n, 2);
    assert_int_equal(bp_light_working(&l[3], c, 2, 30), 0);
    assert_int_equal(bp_light_working(&l[3], c, 2, 50), 1);
    assert_int_equal(bp_light_figures(l, 4, c, 2, NULL, 50, 100, &f, NULL,
                                      &err),
                     0);
    /* [900,1130) ∪ [1900,2100) ∪ [2900,3100). */
    assert_true(fabs(f.lit_m - 630) < 1e-9);
    assert_int_equal(bp_light_figures(l, 4, c, 2, NULL, 50, -1, &f, NULL,
                                      &err),
                     BP_EINVAL);
    assert_int_equal(bp_light_figures(l, 4, c, 2, NULL, 5, 25, &f, NULL,
                                      &err),
                     0);
    assert_int_equal(f.installed, 0);
    bp_spanset_release(&lit);
}

static void test_light_far_from_roads(void **state)
{
    struct bp_road r[2] = {0};
    struct bp_lonlat geom[2] = {{106.50, 21.90}, {106.50, 21.901}};
    struct bp_light l = {0};
    struct bp_error err = {0};
    size_t hit = 99;

    (void)state;
    strcpy(r[0].id, "A");
    r[0].from.measure_m = 1000, r[0].to.measure_m = 2000;
    strcpy(r[1].id, "P");
    r[1].kind = BP_ROAD_PATH;
    r[1].planned_m = 111;
    r[1].geom = geom;
    r[1].ngeom = 2;
    strcpy(l.id, "L");
    l.lon = l.lat = NAN;
    l.measure_m = 2100;
    assert_int_equal(bp_light_find_road(&l, 0, r, 2, &hit, &err), 0);
    assert_int_equal(hit, 0);
    l.measure_m = 2200;
    hit = 99;
    assert_int_equal(bp_light_find_road(&l, 0, r, 2, &hit, &err),
                     BP_ERANGE);
    assert_int_equal(hit, 99);
    assert_string_equal(err.field, "position");
    want_msg(&err, "light 'L' at km 2,200 is far from every road");
    /* Beside the path by lon/lat (about 50 m east of it). */
    l.lon = 106.5005, l.lat = 21.9005;
    assert_int_equal(bp_light_find_road(&l, 900, r, 2, &hit, &err), 0);
    assert_int_equal(hit, 1);
    l.lon = 106.51;
    assert_int_equal(bp_light_find_road(&l, 900, r, 2, &hit, &err),
                     BP_ERANGE);
}

/* ---- 3 March and awards ---- */

static void test_events(void **state)
{
    struct bp_event e[3] = {0};
    struct bp_event_figures f;
    struct bp_error err = {0};

    (void)state;
    strcpy(e[0].commune_id, "X"), e[0].year = 2024, e[0].activities = 3;
    e[0].participants = 120, e[0].gifts = 30, e[0].gifts_vnd = 15000000;
    strcpy(e[1].commune_id, "Y"), e[1].year = 2024, e[1].activities = 2;
    e[1].participants = 80, e[1].funds_vnd = 7000000;
    strcpy(e[2].commune_id, "X"), e[2].year = 2023, e[2].activities = 1;
    e[2].participants = 50;
    assert_int_equal(bp_event_figures(e, 3, 2024, &f, &err), 0);
    assert_int_equal(f.communes, 2);
    assert_int_equal(f.participants, 200);
    assert_int_equal(f.gifts_vnd, 15000000);
    assert_int_equal(bp_event_figures(e, 3, 0, &f, &err), 0);
    assert_int_equal(f.communes, 2);
    assert_int_equal(f.activities, 6);
    e[1].funds_vnd = INT64_MAX;
    e[2].funds_vnd = 1;
    assert_int_equal(bp_event_figures(e, 3, 0, &f, &err), BP_EOVERFLOW);
}

static void test_award_suggest(void **state)
{
    struct bp_custodian cu[4] = {0};
    struct bp_award_candidate ca[4];
    struct bp_pledge p[5] = {0};
    struct bp_event ev[3] = {0};
    struct bp_award aw[1] = {0};
    struct bp_award_criteria cr = {0};
    struct bp_award_suggestion *s = NULL;
    struct bp_error err = {0};
    size_t n = 99, i;
    int32_t asof = bp_date_from_ymd(2024, 12, 31);

    (void)state;
    for (i = 0; i < 4; i++) {
        snprintf(cu[i].id, sizeof(bp_uuid), "cu%zu", i);
        strcpy(cu[i].commune_id, i == 3 ? "Q" : "X");
        ca[i].custodian = &cu[i];
        ca[i].verified_share = NAN;
        ca[i].incidents = -1;
    }
    /* cu0: 2 km since 2018; cu1: 3 km since 2019 but the pledge ended;
     * cu2: 1 km since 2023 (too recent); cu3: 4 km since 2017 in a
     * commune without 3 March activities. */
    strcpy(p[0].custodian_id, "cu0");
    p[0].from.measure_m = 0, p[0].to.measure_m = 2000;
    p[0].signed_on = bp_date_from_ymd(2018, 3, 3);
    p[0].ended_on = BP_DATE_NONE;
    strcpy(p[1].custodian_id, "cu1");
    p[1].from.measure_m = 0, p[1].to.measure_m = 3000;
    p[1].signed_on = bp_date_from_ymd(2019, 3, 3);
    p[1].ended_on = bp_date_from_ymd(2024, 6, 1);
    strcpy(p[2].custodian_id, "cu2");
    p[2].from.measure_m = 0, p[2].to.measure_m = 1000;
    p[2].signed_on = bp_date_from_ymd(2023, 3, 3);
    p[2].ended_on = BP_DATE_NONE;
    strcpy(p[3].custodian_id, "cu3");
    p[3].from.measure_m = 0, p[3].to.measure_m = 4000;
    p[3].signed_on = bp_date_from_ymd(2017, 3, 3);
    p[3].ended_on = BP_DATE_NONE;
    strcpy(p[4].custodian_id, "cu0"); /* a second pledge adds */
    p[4].from.measure_m = 5000, p[4].to.measure_m = 5500;
    p[4].signed_on = bp_date_from_ymd(2021, 3, 3);
    p[4].ended_on = BP_DATE_NONE;
    for (i = 0; i < 3; i++) {
        strcpy(ev[i].commune_id, "X");
        ev[i].year = 2022 + (int)i;
        ev[i].activities = 2;
    }
    cr.as_of = asof;
    cr.min_years = 3;
    cr.min_length_m = 500;
    cr.min_event_years = 3;
    cr.skip_awarded_years = 2;
    assert_int_equal(bp_award_suggest(ca, 4, p, 5, ev, 3, NULL, 0, &cr, &s,
                                      &n, &err),
                     0);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].custodian, 0);
    assert_true(fabs(s[0].pledged_m - 2500) < 1e-9);
    assert_int_equal(s[0].years, 6);
    assert_int_equal(s[0].event_years, 3);
    assert_int_equal(s[0].level, BP_AWARD_GK_DISTRICT);
    bp_free(s);
    s = NULL;
    /* Without the 3 March condition cu3 comes first (4 km × 7 years). */
    cr.min_event_years = 0;
    assert_int_equal(bp_award_suggest(ca, 4, p, 5, ev, 3, NULL, 0, &cr, &s,
                                      &n, &err),
                     0);
    assert_int_equal(n, 2);
    assert_int_equal(s[0].custodian, 3);
    assert_int_equal(s[1].custodian, 0);
    bp_free(s);
    s = NULL;
    /* Awarded last year: skipped. */
    strcpy(aw[0].custodian_id, "cu3");
    aw[0].decided_on = bp_date_from_ymd(2024, 1, 10);
    assert_int_equal(bp_award_suggest(ca, 4, p, 5, ev, 3, aw, 1, &cr, &s,
                                      &n, &err),
                     0);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].custodian, 0);
    bp_free(s);
    s = NULL;
    /* Patrol verification: only known shares above the bar count. */
    cr.min_verified_share = 0.5;
    cr.min_incidents = 1;
    ca[0].verified_share = 0.8;
    ca[0].incidents = 0;
    assert_int_equal(bp_award_suggest(ca, 4, p, 5, ev, 3, aw, 1, &cr, &s,
                                      &n, &err),
                     0);
    assert_int_equal(n, 0);
    assert_null(s);
    ca[0].incidents = 2;
    assert_int_equal(bp_award_suggest(ca, 4, p, 5, ev, 3, aw, 1, &cr, &s,
                                      &n, &err),
                     0);
    assert_int_equal(n, 1);
    bp_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money_parse),
        cmocka_unit_test(test_money_arith),
        cmocka_unit_test(test_donation_value),
        cmocka_unit_test(test_ledger_random),
        cmocka_unit_test(test_promise_receipt),
        cmocka_unit_test(test_road_money_to_km),
        cmocka_unit_test(test_bamboo_overlaps),
        cmocka_unit_test(test_lights_lit),
        cmocka_unit_test(test_light_far_from_roads),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_award_suggest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
