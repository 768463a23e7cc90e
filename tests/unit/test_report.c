/* SPDX-License-Identifier: MIT */
/*
 * The review report (issue 8): its model against the registry's own
 * coverage computations on the demo province, the commune scope, the
 * records hash, byte-identical JSON, the error paths, and each rendering
 * (JSON, CSV, HTML, PDF, SVG, PNG) checked for what it must hold.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <cairo.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/demo.h"
#include "bienphong/report.h"
#include "bienphong/store.h"

struct fx {
    char path[128];
    struct bp_store *st;
    struct bp_cov_input in;
    struct bp_cov_hold hold;
    struct bp_commune *cm;
    size_t ncm;
};

static struct fx fx;

static int group_setup(void **state)
{
    struct bp_error err = {0};

    (void)state;
    snprintf(fx.path, sizeof(fx.path), "/tmp/bp_test_report_%ld.sqlite",
             (long)getpid());
    unlink(fx.path);
    if (bp_store_open(fx.path, &fx.st, &err) ||
        bp_demo_province(fx.st, NULL, &err) ||
        bp_store_cov_load(fx.st, &fx.in, &fx.hold, &err) ||
        bp_store_commune_list(fx.st, &fx.cm, &fx.ncm, &err)) {
        fprintf(stderr, "setup: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    bp_store_cov_release(&fx.hold);
    bp_store_commune_list_free(fx.cm, fx.ncm);
    bp_store_close(fx.st);
    unlink(fx.path);
    bp_report_shutdown();
    return 0;
}

static void opts_5y(struct bp_report_options *o)
{
    bp_report_options_init(o);
    o->from = bp_date_from_ymd(2019, 3, 3);
    o->to = bp_date_from_ymd(2024, 3, 3);
    o->issued_on = o->to;
}

static struct bp_report *build(const struct bp_report_options *o)
{
    struct bp_report *r = NULL;
    struct bp_error err = {0};
    int rc = bp_report_build(fx.st, o, &r, &err);

    if (rc)
        fprintf(stderr, "build: %d %s\n", rc, err.message);
    assert_int_equal(rc, 0);
    assert_non_null(r);
    return r;
}

static void assert_fig_eq(const struct bp_cov_figures *got,
                          const struct bp_cov_figures *want)
{
    if (fabs(got->covered_m - want->covered_m) > 1e-6 ||
        got->households != want->households ||
        got->collectives != want->collectives ||
        got->markers_pledged != want->markers_pledged)
        fprintf(stderr,
                "got %.3f m %zu hh %zu coll %zu mk; want %.3f m %zu "
                "hh %zu coll %zu mk\n",
                got->covered_m, got->households, got->collectives,
                got->markers_pledged, want->covered_m, want->households,
                want->collectives, want->markers_pledged);
    assert_true(fabs(got->covered_m - want->covered_m) <= 1e-6);
    assert_true(fabs(got->length_m - want->length_m) <= 1e-6);
    assert_int_equal(got->households, want->households);
    assert_int_equal(got->collectives, want->collectives);
    assert_int_equal(got->markers_pledged, want->markers_pledged);
    assert_int_equal(got->markers_total, want->markers_total);
}

/* The province's figures are the registry's, headline and every year. */
static void test_province_matches_coverage(void **state)
{
    struct bp_report_options o;
    struct bp_report *r;
    struct bp_coverage cv;
    struct bp_cov_figures series[6];
    int32_t days[6];
    double sum = 0;
    size_t i;

    (void)state;
    opts_5y(&o);
    r = build(&o);
    assert_int_equal(bp_coverage_compute(&fx.in, o.to, &cv, NULL), 0);
    assert_fig_eq(&r->headline, &cv.total);
    assert_int_equal(r->ncommunes, fx.ncm);
    for (i = 0; i < r->ncommunes; i++) {
        assert_string_equal(r->communes[i].code, fx.cm[i].code);
        assert_fig_eq(&r->communes[i].fig, &cv.communes[i]);
    }
    assert_int_equal(r->nstations_rows, cv.nstations);
    bp_coverage_release(&cv);

    assert_int_equal(r->nyears, 6);
    for (i = 0; i < 6; i++)
        days[i] = bp_date_from_ymd(2019 + (int)i, 3, 3);
    assert_int_equal(bp_coverage_series(&fx.in, days, 6, series, NULL), 0);
    for (i = 0; i < 6; i++) {
        assert_int_equal(r->years[i].year, 2019 + (int)i);
        assert_int_equal(r->years[i].as_of, days[i]);
        assert_fig_eq(&r->years[i].fig, &series[i]);
    }
    /* Gaps and pledged stretches make up the border. */
    assert_true(
        fabs(r->gaps_m + r->headline.covered_m - r->headline.length_m) <= 1e-6);
    for (i = 0; i < r->covered.n; i++)
        sum += r->covered.v[i].to_m - r->covered.v[i].from_m;
    assert_true(fabs(sum - r->headline.covered_m) <= 1e-6);
    assert_int_equal(r->markers_unpledged,
                     r->headline.markers_total - r->headline.markers_pledged);
    assert_int_equal(r->nmarkers, r->headline.markers_total);
    assert_true(r->nmap > 100);
    assert_int_equal(strlen(r->records_sha256), 64);
    assert_true(r->section_present[BP_SECTION_HEADLINE]);
    /* The demo province has patrols, a campaign and models (issue 8). */
    assert_true(r->section_present[BP_SECTION_PATROLS]);
    assert_true(r->section_present[BP_SECTION_CAMPAIGN]);
    assert_true(r->section_present[BP_SECTION_MODELS]);
    assert_non_null(strstr(r->title, "sơ kết 5 năm"));
    assert_non_null(strstr(r->title, "2019–2024"));
    bp_report_free(r);
}

/* A commune report holds that commune and nothing else. */
static void test_commune_scope(void **state)
{
    struct bp_report_options o;
    struct bp_report *r;
    struct bp_coverage cv;
    struct bp_buf j = BP_BUF_INIT;
    const struct bp_commune *c = &fx.cm[2];
    size_t i;

    (void)state;
    opts_5y(&o);
    o.scope = BP_REPORT_COMMUNE;
    o.scope_ref = c->code;
    r = build(&o);
    assert_int_equal(bp_coverage_compute(&fx.in, o.to, &cv, NULL), 0);
    assert_fig_eq(&r->headline, &cv.communes[2]);
    bp_coverage_release(&cv);
    assert_int_equal(r->ncommunes, 1);
    assert_string_equal(r->communes[0].code, c->code);
    assert_int_equal(r->nstations_rows, 0);
    assert_string_equal(r->scope_name, c->name);
    assert_true(fabs(r->scope_from_m - c->from.measure_m) < 1e-6);
    assert_true(fabs(r->scope_to_m - c->to.measure_m) < 1e-6);
    for (i = 0; i < r->ngaps; i++) {
        assert_true(r->gaps[i].from_m >= c->from.measure_m - 1e-6);
        assert_true(r->gaps[i].to_m <= c->to.measure_m + 1e-6);
    }
    for (i = 0; i < r->nmarkers; i++)
        assert_true(r->markers[i].measure_m >= c->from.measure_m - 1e-6 &&
                    r->markers[i].measure_m <= c->to.measure_m + 1e-6);
    assert_true(
        fabs(r->gaps_m + r->headline.covered_m - r->headline.length_m) <= 1e-3);
    assert_int_equal(bp_report_json(r, &j, NULL), 0);
    for (i = 0; i < fx.ncm; i++)
        if (i != 2 && strstr(j.data, fx.cm[i].name)) {
            fprintf(stderr, "commune '%s' in the report of '%s'\n",
                    fx.cm[i].name, c->name);
            fail();
        }
    bp_buf_release(&j);
    /* By name too, ignoring diacritics. */
    bp_report_free(r);
    o.scope_ref = "xa doi can";
    r = build(&o);
    assert_string_equal(r->scope_code, "06025");
    bp_report_free(r);
}

/* Same records, same JSON bytes; another record, another hash. */
static void test_json_reproducible(void **state)
{
    struct bp_report_options o;
    struct bp_report *a, *b, *c;
    struct bp_buf ja = BP_BUF_INIT, jb = BP_BUF_INIT;
    struct bp_pledge *pl = NULL;
    size_t npl = 0;
    struct bp_error err = {0};

    (void)state;
    opts_5y(&o);
    a = build(&o);
    b = build(&o);
    assert_int_equal(bp_report_json(a, &ja, NULL), 0);
    assert_int_equal(bp_report_json(b, &jb, NULL), 0);
    assert_int_equal(ja.len, jb.len);
    assert_memory_equal(ja.data, jb.data, ja.len);
    assert_string_equal(a->records_sha256, b->records_sha256);
    assert_non_null(strstr(ja.data, a->records_sha256));
    /* A new record changes the hash (the report is for an earlier date,
     * so its figures stay the same). */
    assert_int_equal(bp_store_pledge_list(fx.st, &pl, &npl, &err), 0);
    {
        struct bp_pledge p = pl[0];
        memset(p.id, 0, sizeof(p.id));
        p.signed_on = bp_date_from_ymd(2025, 1, 1);
        p.ended_on = BP_DATE_NONE;
        p.doc_no = NULL;
        p.note = NULL;
        assert_int_equal(bp_store_pledge_put(fx.st, &p, &err), 0);
    }
    bp_store_pledge_list_free(pl, npl);
    c = build(&o);
    assert_string_not_equal(c->records_sha256, a->records_sha256);
    assert_int_equal(c->npledges_all, a->npledges_all + 1);
    assert_fig_eq(&c->headline, &a->headline);
    bp_report_free(a);
    bp_report_free(b);
    bp_report_free(c);
    bp_buf_release(&ja);
    bp_buf_release(&jb);
}

/* Issue 8: the patrol section's years are windows that add up to the
 * period, and each equals the patrol module's verification over it. */
static void test_patrol_section(void **state)
{
    struct bp_report_options o;
    struct bp_report *r;
    struct bp_verify_data d;
    struct bp_error err = {0};
    size_t i, k, patrols = 0, incidents = 0, sum;

    (void)state;
    opts_5y(&o);
    r = build(&o);
    assert_true(r->section_present[BP_SECTION_PATROLS]);
    memset(&d, 0, sizeof(d));
    assert_int_equal(bp_store_verify_load(fx.st, &d, &err), 0);
    assert_int_equal(r->patrols.from, o.from);
    assert_int_equal(r->patrols.to, o.to);
    for (i = 0; i < r->nyears; i++) {
        const struct bp_report_patrols *p = &r->years[i].pat;
        struct bp_verify v;
        size_t n = 0, j;
        int32_t want_from = i ? r->years[i - 1].as_of + 1 : o.from;
        assert_int_equal(p->from, want_from);
        assert_int_equal(p->to, r->years[i].as_of);
        memset(&v, 0, sizeof(v));
        assert_int_equal(bp_verify_compute(&d.in, p->from, p->to, &v, &err),
                         0);
        if (fabs(p->verified_m - v.walked_m) > 1e-6)
            fprintf(stderr, "year %d: verified %.3f, want %.3f\n",
                    r->years[i].year, p->verified_m, v.walked_m);
        assert_true(fabs(p->verified_m - v.walked_m) <= 1e-6);
        assert_true(fabs(p->pledged_m - v.pledged_m) <= 1e-6);
        bp_verify_release(&v);
        for (j = 0; j < d.in.npatrols; j++)
            n += d.in.patrols[j].day >= p->from && d.in.patrols[j].day <= p->to;
        assert_int_equal(p->patrols, n);
        for (k = 0, sum = 0; k < BP_REPORT_INC_KINDS; k++)
            sum += p->by_kind[k];
        assert_int_equal(sum, p->incidents);
        for (k = 0, sum = 0; k < BP_REPORT_INC_STATUSES; k++)
            sum += p->by_status[k];
        assert_int_equal(sum, p->incidents);
        patrols += p->patrols;
        incidents += p->incidents;
    }
    assert_int_equal(patrols, r->patrols.patrols);
    assert_int_equal(incidents, r->patrols.incidents);
    assert_true(r->patrols.patrols > 0);
    assert_true(r->patrols.walked_m > 0);
    assert_true(r->patrols.verified_m <= r->patrols.pledged_m + 1e-6);
    /* The walked lane lies inside the border and is no longer than the
     * sum of the walks. */
    assert_true(bp_spanset_length(&r->walked) > 0);
    assert_true(bp_spanset_length(&r->walked) <= r->patrols.walked_m + 1e-6);
    /* Overdue stretches, as the patrol module gives them. */
    {
        struct bp_overdue *ov = NULL;
        size_t n = 0;
        double m = 0;
        assert_int_equal(bp_overdue_compute(&d.in, o.to, 30, &ov, &n, &err),
                         0);
        for (i = 0; i < n; i++)
            m += ov[i].to_m - ov[i].from_m;
        assert_int_equal(r->overdue_days, 30);
        assert_int_equal(r->noverdue, n);
        assert_true(fabs(r->overdue_m - m) <= 1e-3);
        bp_free(ov);
    }
    bp_verify_data_release(&d);
    bp_report_free(r);
}

/* Issue 8: the campaign's figures are the ledger's and the road report's
 * of the records dated on or before the period's end. */
static void test_campaign_section(void **state)
{
    struct bp_report_options o;
    struct bp_report *r;
    struct bp_campaign *cv = NULL;
    struct bp_donor *dn = NULL;
    struct bp_donation *dv = NULL, *dk;
    struct bp_expense *ev = NULL, *ek;
    struct bp_road *rv = NULL;
    struct bp_road_progress *pv = NULL;
    size_t nc = 0, ndn = 0, nd = 0, ne = 0, nr = 0, np = 0, i, ndk = 0,
           nek = 0;
    struct bp_ledger_input in;
    struct bp_ledger l;
    struct bp_road_report rr;
    struct bp_error err = {0};

    (void)state;
    opts_5y(&o);
    r = build(&o);
    assert_int_equal(bp_store_campaign_list(fx.st, &cv, &nc, &err), 0);
    assert_int_equal(bp_store_donor_list(fx.st, &dn, &ndn, &err), 0);
    assert_int_equal(bp_store_donation_list(fx.st, &dv, &nd, &err), 0);
    assert_int_equal(bp_store_expense_list(fx.st, &ev, &ne, &err), 0);
    assert_int_equal(bp_store_road_list(fx.st, &rv, &nr, &err), 0);
    assert_int_equal(bp_store_road_progress_list(fx.st, &pv, &np, &err), 0);
    assert_int_equal(nc, 1);
    assert_true(r->section_present[BP_SECTION_CAMPAIGN]);
    dk = calloc(nd + 1, sizeof(*dk));
    ek = calloc(ne + 1, sizeof(*ek));
    assert_non_null(dk);
    assert_non_null(ek);
    for (i = 0; i < nd; i++)
        if (dv[i].on <= o.to)
            dk[ndk++] = dv[i];
    for (i = 0; i < ne; i++)
        if (ev[i].on <= o.to)
            ek[nek++] = ev[i];
    /* The demo's campaign runs past the period: some records are left. */
    assert_true(ndk < nd);
    memset(&in, 0, sizeof(in));
    in.campaign = &cv[0];
    in.donors = dn;
    in.ndonors = ndn;
    in.donations = dk;
    in.ndonations = ndk;
    in.expenses = ek;
    in.nexpenses = nek;
    in.roads = rv;
    in.nroads = nr;
    memset(&l, 0, sizeof(l));
    memset(&rr, 0, sizeof(rr));
    assert_int_equal(bp_ledger_compute(&in, 1, &l, &err), 0);
    assert_int_equal(bp_road_report_compute(rv, nr, pv, np, dk, ndk, ek, nek,
                                            NULL, 0, o.to, &rr, &err),
                     0);
    assert_int_equal(r->campaign.total.promised_vnd, l.total.promised_vnd);
    assert_int_equal(r->campaign.total.received_vnd, l.total.received_vnd);
    assert_int_equal(r->campaign.total.cash_vnd, l.total.cash_vnd);
    assert_int_equal(r->campaign.total.in_kind_vnd, l.total.in_kind_vnd);
    assert_int_equal(r->campaign.total.labour_vnd, l.total.labour_vnd);
    assert_int_equal(r->campaign.total.spent_vnd, l.total.spent_vnd);
    assert_int_equal(r->campaign.balance_vnd, l.balance_vnd);
    assert_int_equal(r->campaign.total.received_vnd,
                     r->campaign.total.cash_vnd +
                         r->campaign.total.in_kind_vnd +
                         r->campaign.total.labour_vnd);
    assert_int_equal(r->campaign.goal_vnd, cv[0].goal_vnd);
    assert_true(fabs(r->campaign.goal_road_m - cv[0].goal_road_m) < 1e-9);
    assert_true(fabs(r->campaign.roads.built_m - rr.total.built_m) < 1e-6);
    assert_true(fabs(r->campaign.roads.planned_m - rr.total.planned_m) <
                1e-6);
    assert_int_equal(r->campaign.roads.vnd_per_km, rr.total.vnd_per_km);
    assert_string_equal(r->campaign.name, cv[0].name);
    /* The road lane holds only stretches along the line: no longer than
     * the road built. */
    assert_true(bp_spanset_length(&r->road) <=
                r->campaign.roads.built_m + 1e-6);
    bp_ledger_release(&l);
    bp_road_report_release(&rr);
    free(dk);
    free(ek);
    bp_store_campaign_list_free(cv, nc);
    bp_store_donor_list_free(dn, ndn);
    bp_store_donation_list_free(dv, nd);
    bp_store_expense_list_free(ev, ne);
    bp_store_road_list_free(rv, nr);
    bp_store_road_progress_list_free(pv, np);
    bp_report_free(r);
}

/* Issue 8: bamboo, lights, 3 March activities and commendations. */
static void test_models_section(void **state)
{
    struct bp_report_options o;
    struct bp_report *r;
    struct bp_bamboo *bv = NULL;
    struct bp_bamboo_check *bc = NULL;
    struct bp_light *lv = NULL;
    struct bp_light_check *lc = NULL;
    struct bp_event *evv = NULL;
    struct bp_award *av = NULL;
    size_t nb = 0, nbc = 0, nl = 0, nlc = 0, nev = 0, na = 0, i;
    size_t levels[BP_REPORT_AWARD_LEVELS] = {0}, awards = 0;
    struct bp_bamboo_figures bf;
    struct bp_light_figures lf;
    struct bp_event_figures ef;
    struct bp_error err = {0};

    (void)state;
    opts_5y(&o);
    r = build(&o);
    assert_true(r->section_present[BP_SECTION_MODELS]);
    assert_int_equal(bp_store_bamboo_list(fx.st, &bv, &nb, &err), 0);
    assert_int_equal(bp_store_bamboo_check_list(fx.st, &bc, &nbc, &err), 0);
    assert_int_equal(bp_store_light_list(fx.st, &lv, &nl, &err), 0);
    assert_int_equal(bp_store_light_check_list(fx.st, &lc, &nlc, &err), 0);
    assert_int_equal(bp_store_event_list(fx.st, &evv, &nev, &err), 0);
    assert_int_equal(bp_store_award_list(fx.st, &av, &na, &err), 0);
    assert_int_equal(
        bp_bamboo_figures(bv, nb, bc, nbc, NULL, o.to, &bf, &err), 0);
    assert_true(fabs(r->models.bamboo.planted_m - bf.planted_m) < 1e-6);
    assert_int_equal(r->models.bamboo.clumps_planted, bf.clumps_planted);
    assert_int_equal(r->models.bamboo.clumps_alive, bf.clumps_alive);
    assert_int_equal(bp_light_figures(lv, nl, lc, nlc, NULL, o.to,
                                      BP_LIGHT_REACH_M, &lf, NULL, &err),
                     0);
    assert_int_equal(r->models.lights.installed, lf.installed);
    assert_int_equal(r->models.lights.working, lf.working);
    assert_true(fabs(r->models.lights.lit_m - lf.lit_m) < 1e-6);
    assert_true(fabs(bp_spanset_length(&r->lit) - lf.lit_m) < 1e-6);
    for (i = 0; i < r->nyears; i++) {
        assert_int_equal(
            bp_event_figures(evv, nev, r->years[i].year, &ef, &err), 0);
        if (r->years[i].ev.activities != ef.activities)
            fprintf(stderr, "%d: %ld activities, want %ld\n",
                    r->years[i].year, r->years[i].ev.activities,
                    ef.activities);
        assert_int_equal(r->years[i].ev.activities, ef.activities);
        assert_int_equal(r->years[i].ev.participants, ef.participants);
        assert_int_equal(r->years[i].ev.gifts_vnd, ef.gifts_vnd);
    }
    for (i = 0; i < na; i++)
        if (av[i].decided_on >= o.from && av[i].decided_on <= o.to) {
            awards++;
            levels[av[i].level]++;
        }
    assert_int_equal(r->models.awards, awards);
    for (i = 0; i < BP_REPORT_AWARD_LEVELS; i++)
        assert_int_equal(r->models.awards_by_level[i], levels[i]);
    bp_store_bamboo_list_free(bv, nb);
    bp_store_bamboo_check_list_free(bc, nbc);
    bp_store_light_list_free(lv, nl);
    bp_store_light_check_list_free(lc, nlc);
    bp_store_event_list_free(evv, nev);
    bp_store_award_list_free(av, na);
    bp_report_free(r);
}

/* Issue 8: the new sections in every rendering, in both languages. */
static void test_activity_renderings(void **state)
{
    struct bp_report_options o;
    struct bp_report *r, *e;
    struct bp_buf b = BP_BUF_INIT;
    char want[64];

    (void)state;
    opts_5y(&o);
    r = build(&o);
    assert_int_equal(bp_report_json(r, &b, NULL), 0);
    snprintf(want, sizeof(want), "\"patrols\": %zu", r->patrols.patrols);
    assert_non_null(strstr(b.data, want));
    snprintf(want, sizeof(want), "\"spent_vnd\": %lld",
             (long long)r->campaign.total.spent_vnd);
    assert_non_null(strstr(b.data, want));
    assert_non_null(strstr(b.data, "\"markers_overdue\""));
    assert_non_null(strstr(b.data, "\"bamboo\": {"));
    bp_buf_setlen(&b, 0);
    assert_int_equal(bp_report_csv(r, &b, NULL), 0);
    snprintf(want, sizeof(want), "campaign,,,,2024-03-03,cash_vnd,%lld,VND",
             (long long)r->campaign.total.cash_vnd);
    assert_non_null(strstr(b.data, want));
    assert_non_null(strstr(b.data, "patrols_year,,,2020,"));
    bp_buf_setlen(&b, 0);
    assert_int_equal(bp_report_html(r, &b, NULL), 0);
    assert_non_null(strstr(b.data, "Tuần tra, kiểm tra cột mốc, vụ việc"));
    assert_non_null(strstr(b.data, "Lũy tre biên giới Việt"));
    assert_non_null(strstr(b.data, "bằng ngày công"));
    assert_null(strstr(b.data, "Chưa có số liệu"));
    o.lang = BP_LANG_EN;
    e = build(&o);
    bp_buf_setlen(&b, 0);
    assert_int_equal(bp_report_html(e, &b, NULL), 0);
    assert_non_null(strstr(b.data, "Patrol-road campaign"));
    assert_non_null(strstr(b.data, "in labour days (valued)"));
    assert_non_null(strstr(b.data, "Illegal border crossing"));
    bp_buf_setlen(&b, 0);
    assert_int_equal(bp_report_pdf(e, &b, NULL), 0);
    assert_true(b.len > 1000);
    assert_memory_equal(b.data, "%PDF", 4);
    bp_buf_release(&b);
    bp_report_free(r);
    bp_report_free(e);
}

/* Issue 8: the records hash covers the campaign's tables. Adds an award
 * to the shared database: runs after the tests that count awards. */
static void test_hash_covers_campaign(void **state)
{
    struct bp_report_options o;
    struct bp_report *a, *b;
    struct bp_award w;
    struct bp_error err = {0};

    (void)state;
    opts_5y(&o);
    a = build(&o);
    memset(&w, 0, sizeof(w));
    w.recipient_kind = BP_RECIP_HOUSEHOLD;
    w.recipient = (char *)"Hộ ông Hoàng Văn Test";
    w.level = BP_AWARD_GK_STATION;
    w.decision_no = (char *)"99/QĐ-ĐBP";
    w.decided_on = bp_date_from_ymd(2023, 5, 19);
    if (bp_store_award_put(fx.st, &w, &err))
        fprintf(stderr, "award: %s\n", err.message);
    assert_int_equal(err.code, 0);
    b = build(&o);
    assert_string_not_equal(a->records_sha256, b->records_sha256);
    assert_int_equal(b->models.awards, a->models.awards + 1);
    assert_int_equal(b->models.awards_by_level[BP_AWARD_GK_STATION],
                     a->models.awards_by_level[BP_AWARD_GK_STATION] + 1);
    assert_int_equal(b->ncampaign_all, a->ncampaign_all + 1);
    bp_report_free(a);
    bp_report_free(b);
}

static void test_errors(void **state)
{
    struct bp_report_options o;
    struct bp_report *r = (struct bp_report *)&fx; /* must stay untouched */
    struct bp_error err = {0};
    struct bp_store *empty = NULL;
    char path[128];

    (void)state;
    opts_5y(&o);
    o.from = o.to + 1;
    assert_int_equal(bp_report_build(fx.st, &o, &r, &err), BP_EINVAL);
    assert_non_null(strstr(err.message, "start on or before its end"));
    assert_ptr_equal(r, &fx);

    opts_5y(&o);
    o.scope = BP_REPORT_COMMUNE;
    o.scope_ref = "99999";
    memset(&err, 0, sizeof(err));
    assert_int_equal(bp_report_build(fx.st, &o, &r, &err), BP_ENOTFOUND);
    assert_string_equal(err.message, "commune '99999' not found");
    o.scope = BP_REPORT_STATION;
    o.scope_ref = "ZZ";
    assert_int_equal(bp_report_build(fx.st, &o, &r, &err), BP_ENOTFOUND);
    assert_string_equal(err.message, "station 'ZZ' not found");
    o.scope_ref = NULL;
    assert_int_equal(bp_report_build(fx.st, &o, &r, &err), BP_EINVAL);
    assert_ptr_equal(r, &fx);

    opts_5y(&o);
    o.from = bp_date_from_ymd(1900, 1, 1);
    assert_int_equal(bp_report_build(fx.st, &o, &r, &err), BP_EINVAL);
    assert_non_null(strstr(err.message, "longer than 50 years"));

    /* A database without a border. */
    snprintf(path, sizeof(path), "/tmp/bp_test_report_empty_%ld.sqlite",
             (long)getpid());
    unlink(path);
    assert_int_equal(bp_store_open(path, &empty, &err), 0);
    opts_5y(&o);
    assert_int_equal(bp_report_build(empty, &o, &r, &err), BP_ENOTFOUND);
    assert_ptr_equal(r, &fx);
    bp_store_close(empty);
    unlink(path);
}

/* Out of memory at any of a spread of allocations: an error, no leak. */
static void test_out_of_memory(void **state)
{
    static const long at[] = {0, 1, 5, 20, 100, 400, 1500, 3000, 6000};
    struct bp_report_options o;
    size_t i;

    (void)state;
    opts_5y(&o);
    for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
        struct bp_report *r = NULL;
        struct bp_error err = {0};
        int rc;
        bp_alloc_fail_after(at[i], 1);
        rc = bp_report_build(fx.st, &o, &r, &err);
        bp_alloc_fail_after(-1, 0);
        if (rc == 0) {
            /* Past the last allocation: the build must be whole. */
            assert_non_null(r);
            bp_report_free(r);
            continue;
        }
        assert_null(r);
        assert_true(rc == BP_ENOMEM || rc == BP_ESTORE);
    }
}

static void test_headline_sentence(void **state)
{
    struct bp_report_options o;
    struct bp_report *r;
    struct bp_buf b = BP_BUF_INIT;
    char want[256], c[32], l[32];

    (void)state;
    opts_5y(&o);
    r = build(&o);
    assert_int_equal(bp_report_headline(r, &b), 0);
    snprintf(want, sizeof(want),
             "%zu tập thể và %zu hộ gia đình ký nhận tự quản %s/%s km",
             r->headline.collectives, r->headline.households,
             bp_fmt_number(r->headline.covered_m / 1000, 3, BP_LANG_VI, c,
                           sizeof(c)),
             bp_fmt_number(r->headline.length_m / 1000, 3, BP_LANG_VI, l,
                           sizeof(l)));
    if (strncmp(b.data, want, strlen(want)))
        fprintf(stderr, "got '%s', want '%s...'\n", b.data, want);
    assert_int_equal(strncmp(b.data, want, strlen(want)), 0);
    /* The demo's five-year figure, with decimal comma. */
    assert_non_null(strstr(b.data, "/231,740 km"));
    bp_buf_release(&b);
    bp_report_free(r);

    o.lang = BP_LANG_EN;
    r = build(&o);
    assert_int_equal(bp_report_headline(r, &b), 0);
    assert_non_null(strstr(b.data, "collectives and"));
    assert_non_null(strstr(b.data, "/231.740 km"));
    assert_non_null(strstr(r->title, "Review of 5 years"));
    bp_buf_release(&b);
    bp_report_free(r);
}

struct png_read {
    const struct bp_buf *b;
    size_t at;
};

static cairo_status_t png_in(void *closure, unsigned char *data,
                             unsigned int len)
{
    struct png_read *p = closure;

    if (p->at + len > p->b->len)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, p->b->data + p->at, len);
    p->at += len;
    return CAIRO_STATUS_SUCCESS;
}

/* Share of pixels of a PNG that differ from its top-left (background)
 * pixel. */
static double ink_share(const struct bp_buf *png, int *w, int *h)
{
    struct png_read rd = {png, 0};
    cairo_surface_t *s =
        cairo_image_surface_create_from_png_stream(png_in, &rd);
    int x, y, stride, ink = 0;
    unsigned char *d;
    uint32_t bg;

    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_flush(s);
    *w = cairo_image_surface_get_width(s);
    *h = cairo_image_surface_get_height(s);
    stride = cairo_image_surface_get_stride(s);
    d = cairo_image_surface_get_data(s);
    bg = *(uint32_t *)d & 0xFFFFFF;
    for (y = 0; y < *h; y++)
        for (x = 0; x < *w; x++) {
            uint32_t px = *(uint32_t *)(d + y * stride + 4 * x);
            ink += (px & 0xFFFFFF) != bg;
        }
    cairo_surface_destroy(s);
    return (double)ink / ((double)*w * *h);
}

static void test_renderings(void **state)
{
    struct bp_report_options o;
    struct bp_report *r;
    struct bp_buf b = BP_BUF_INIT, hl = BP_BUF_INIT;
    struct bp_error err = {0};
    char row[160];
    int f, w, h;

    (void)state;
    opts_5y(&o);
    r = build(&o);
    assert_int_equal(bp_report_headline(r, &hl), 0);

    assert_int_equal(bp_report_html(r, &b, &err), 0);
    assert_non_null(strstr(b.data, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert_non_null(strstr(b.data, "Độc lập - Tự do - Hạnh phúc"));
    assert_non_null(strstr(b.data, hl.data));
    assert_non_null(strstr(b.data, r->records_sha256));
    assert_non_null(strstr(b.data, "<svg"));
    assert_non_null(strstr(b.data, "f2-glyph")); /* ids prefixed */
    /* Self-contained: nothing fetched from elsewhere. */
    assert_null(strstr(b.data, "src=\"http"));
    assert_null(strstr(b.data, "<link"));
    assert_null(strstr(b.data, "<script"));
    bp_buf_setlen(&b, 0);

    assert_int_equal(bp_report_csv(r, &b, &err), 0);
    assert_memory_equal(b.data, "\xEF\xBB\xBF", 3);
    snprintf(row, sizeof(row), "\r\nheadline,,,,2024-03-03,households,%zu,\r\n",
             r->headline.households);
    assert_non_null(strstr(b.data, row));
    snprintf(row, sizeof(row), "\r\nyear,,,2021,2021-03-03,covered_km,%.3f,km",
             r->years[2].fig.covered_m / 1000);
    assert_non_null(strstr(b.data, row));
    snprintf(row, sizeof(row), "\r\ncommune,%s,%s,,2024-03-03,",
             r->communes[0].code, r->communes[0].name);
    assert_non_null(strstr(b.data, row));
    bp_buf_setlen(&b, 0);

    assert_int_equal(bp_report_pdf(r, &b, &err), 0);
    assert_memory_equal(b.data, "%PDF-", 5);
    assert_true(b.len > 20000);
    bp_buf_setlen(&b, 0);

    for (f = BP_FIGURE_KM_PER_YEAR; f <= BP_FIGURE_MAP; f++) {
        double share;
        assert_int_equal(bp_report_figure_svg(r, f, 480, 200, &b, &err), 0);
        assert_non_null(strstr(b.data, "<svg"));
        bp_buf_setlen(&b, 0);
        assert_int_equal(bp_report_figure_png(r, f, 480, 240, &b, &err), 0);
        share = ink_share(&b, &w, &h);
        assert_int_equal(w, 480);
        assert_int_equal(h, 240);
        if (share < 0.005 || share > 0.98)
            fprintf(stderr, "figure %d: ink share %.4f\n", f, share);
        assert_true(share >= 0.005 && share <= 0.98);
        bp_buf_setlen(&b, 0);
    }
    assert_int_equal(bp_report_figure_png(r, BP_FIGURE_MAP, 0, 10, &b, &err),
                     BP_EINVAL);
    assert_int_equal(bp_report_figure_svg(r, 99, 10, 10, &b, &err), BP_EINVAL);
    bp_buf_release(&b);
    bp_buf_release(&hl);
    bp_report_free(r);
}

static int progress_calls;
static double progress_last;

static void on_progress(void *ctx, double f, const char *stage)
{
    (void)ctx;
    assert_non_null(stage);
    assert_true(f >= progress_last - 1e-9 || f == 0);
    progress_last = f;
    progress_calls++;
}

static void test_progress(void **state)
{
    struct bp_report_options o;
    struct bp_report *r;
    struct bp_buf b = BP_BUF_INIT;

    (void)state;
    opts_5y(&o);
    o.progress = on_progress;
    r = build(&o);
    assert_true(progress_calls >= 5);
    assert_int_equal(bp_report_pdf(r, &b, NULL), 0);
    assert_true(progress_last == 1.0);
    bp_buf_release(&b);
    bp_report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_province_matches_coverage),
        cmocka_unit_test(test_commune_scope),
        cmocka_unit_test(test_headline_sentence),
        cmocka_unit_test(test_renderings),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_patrol_section),
        cmocka_unit_test(test_campaign_section),
        cmocka_unit_test(test_models_section),
        cmocka_unit_test(test_activity_renderings),
        /* These add records to the shared database. */
        cmocka_unit_test(test_hash_covers_campaign),
        cmocka_unit_test(test_json_reproducible),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
