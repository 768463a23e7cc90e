/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the coverage computations: hand-built cases for the
 * union, the as-of rule, custodian and marker counts, per-commune and
 * per-station figures, gaps and overlaps; a year-by-year series; random
 * histories checked metre by metre against a brute-force reference; and
 * the error and out-of-memory paths.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/error.h"
#include "bienphong/registry.h"
#include "bienphong/span.h"

#define NONE      BP_DATE_NONE
#define NOCOMMUNE UINT32_MAX
#define H         BP_HOUSEHOLD
#define C         BP_COLLECTIVE
#define TOL       1e-9

/* The day every table case is asked about. */
#define ASOF 100

/*
 * Table cases
 */

#define MAXP 8
#define MAXK 6
#define MAXM 8
#define MAXS 6

struct tcase {
    const char *name;
    double length_m;
    size_t np;
    struct bp_cov_pledge p[MAXP];
    size_t nk;
    enum bp_custodian_kind k[MAXK];
    size_t nm;
    double m[MAXM];
    /* what the border's figures must be */
    double covered_m;
    size_t households, collectives, markers_pledged;
    size_t nspans;
    double spans[MAXS][2];
};

/* A pledge: [f, t), signed, ended, custodian. */
/* clang-format off */
#define P(f, t, s, e, c) {f, t, s, e, c}

static const struct tcase cases[] = {
    {"no pledges", 1000, 0, {P(0, 0, 0, 0, 0)}, 1, {H}, 2, {0, 1000}, 0, 0,
     0, 0, 0, {{0}}},
    {"one pledge", 1000, 1, {P(100, 400, 10, NONE, 0)}, 1, {H}, 0, {0},
     300, 1, 0, 0, 1, {{100, 400}}},
    {"nested stretches", 1000, 2,
     {P(100, 500, 10, NONE, 0), P(200, 300, 10, NONE, 1)}, 2, {H, H}, 0,
     {0}, 400, 2, 0, 0, 1, {{100, 500}}},
    {"touching stretches merge", 1000, 2,
     {P(100, 200, 10, NONE, 0), P(200, 300, 10, NONE, 1)}, 2, {H, H}, 0,
     {0}, 200, 2, 0, 0, 1, {{100, 300}}},
    {"identical stretches counted once", 1000, 2,
     {P(100, 200, 10, NONE, 0), P(100, 200, 10, NONE, 1)}, 2, {H, C}, 0,
     {0}, 100, 1, 1, 0, 1, {{100, 200}}},
    {"overlapping pledges counted once", 1000, 2,
     {P(0, 600, 10, NONE, 0), P(400, 1000, 10, NONE, 1)}, 2, {H, H}, 0,
     {0}, 1000, 2, 0, 0, 1, {{0, 1000}}},
    {"disjoint pledges", 1000, 3,
     {P(0, 100, 10, NONE, 0), P(300, 350, 10, NONE, 0),
      P(900, 1000, 10, NONE, 0)},
     1, {H}, 0, {0}, 250, 1, 0, 0, 3, {{0, 100}, {300, 350}, {900, 1000}}},
    {"pledge ending on the as-of date is not active", 1000, 1,
     {P(100, 400, 10, ASOF, 0)}, 1, {H}, 0, {0}, 0, 0, 0, 0, 0, {{0}}},
    {"pledge ending the day after is active", 1000, 1,
     {P(100, 400, 10, ASOF + 1, 0)}, 1, {H}, 0, {0}, 300, 1, 0, 0, 1,
     {{100, 400}}},
    {"pledge signed after the as-of date is not active", 1000, 1,
     {P(100, 400, ASOF + 1, NONE, 0)}, 1, {H}, 0, {0}, 0, 0, 0, 0, 0,
     {{0}}},
    {"pledge signed on the as-of date is active", 1000, 1,
     {P(100, 400, ASOF, NONE, 0)}, 1, {C}, 0, {0}, 300, 0, 1, 0, 1,
     {{100, 400}}},
    {"pledge with no signing date is active", 1000, 1,
     {P(100, 400, NONE, NONE, 0)}, 1, {H}, 0, {0}, 300, 1, 0, 0, 1,
     {{100, 400}}},
    {"stretches clipped to the border", 1000, 2,
     {P(-50, 100, 10, NONE, 0), P(900, 1200, 10, NONE, 0)}, 1, {H}, 0,
     {0}, 200, 1, 0, 0, 2, {{0, 100}, {900, 1000}}},
    {"pledge wholly off the border still counts its custodian", 1000, 1,
     {P(1100, 1200, 10, NONE, 0)}, 1, {H}, 0, {0}, 0, 1, 0, 0, 0, {{0}}},
    {"distinct custodians counted once each", 1000, 5,
     {P(0, 100, 10, NONE, 0), P(200, 300, 10, NONE, 0),
      P(400, 500, 10, NONE, 0), P(600, 700, 10, NONE, 1),
      P(800, 900, 10, NONE, 2)},
     4, {H, C, C, H}, 0, {0}, 500, 1, 2, 0, 5,
     {{0, 100}, {200, 300}, {400, 500}, {600, 700}, {800, 900}}},
    {"markers: start inside, end outside", 1000, 1,
     {P(100, 200, 10, NONE, 0)}, 1, {H}, 4, {0, 100, 200, 1000}, 100, 1, 0,
     1, 1, {{100, 200}}},
    {"markers: the border's end counts when reached", 1000, 1,
     {P(900, 1000, 10, NONE, 0)}, 1, {H}, 4, {0, 100, 900, 1000}, 100, 1,
     0, 2, 1, {{900, 1000}}},
    {"markers: the border's end counts when reached by a clipped pledge",
     1000, 1, {P(950, 2000, 10, NONE, 0)}, 1, {H}, 2, {1000, 1000}, 50, 1,
     0, 2, 1, {{950, 1000}}},
    {"markers: all pledged", 1000, 1, {P(0, 1000, 10, NONE, 0)}, 1, {H}, 4,
     {0, 100, 200, 1000}, 1000, 1, 0, 4, 1, {{0, 1000}}},
    {"markers: beyond the border never pledged", 1000, 1,
     {P(0, 1000, 10, NONE, 0)}, 1, {H}, 3, {-5, 500, 1005}, 1000, 1, 0, 1,
     1, {{0, 1000}}},
    {"empty border", 0, 1, {P(0, 100, 10, NONE, 0)}, 1, {H}, 1, {0}, 0, 1,
     0, 0, 0, {{0}}},
};

/* clang-format on */

static void fill_input(struct bp_cov_input *in, const struct tcase *tc,
                       struct bp_cov_custodian *cust)
{
    size_t i;

    for (i = 0; i < tc->nk; i++) {
        cust[i].kind = tc->k[i];
        cust[i].commune = NOCOMMUNE;
    }
    memset(in, 0, sizeof(*in));
    in->length_m = tc->length_m;
    in->pledges = tc->p;
    in->npledges = tc->np;
    in->custodians = cust;
    in->ncustodians = tc->nk;
    in->marker_m = tc->m;
    in->nmarkers = tc->nm;
}

static void test_table(void **state)
{
    struct bp_cov_custodian cust[MAXK];
    struct bp_cov_input in;
    struct bp_coverage cov;
    struct bp_error err = {0};
    size_t i, j;
    int bad;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct tcase *tc = &cases[i];

        fill_input(&in, tc, cust);
        assert_int_equal(bp_coverage_compute(&in, ASOF, &cov, &err), 0);
        bad = fabs(cov.total.covered_m - tc->covered_m) > TOL ||
              cov.total.length_m != tc->length_m ||
              cov.total.households != tc->households ||
              cov.total.collectives != tc->collectives ||
              cov.total.markers_pledged != tc->markers_pledged ||
              cov.total.markers_total != tc->nm ||
              cov.covered.n != tc->nspans || cov.as_of != ASOF;
        for (j = 0; !bad && j < tc->nspans; j++)
            bad = cov.covered.v[j].from_m != tc->spans[j][0] ||
                  cov.covered.v[j].to_m != tc->spans[j][1];
        if (bad) {
            print_message("case '%s'\n", tc->name);
            print_message("got  covered %g, households %zu, collectives "
                          "%zu, markers %zu/%zu, spans %zu:",
                          cov.total.covered_m, cov.total.households,
                          cov.total.collectives, cov.total.markers_pledged,
                          cov.total.markers_total, cov.covered.n);
            for (j = 0; j < cov.covered.n; j++)
                print_message(" [%g, %g)", cov.covered.v[j].from_m,
                              cov.covered.v[j].to_m);
            print_message("\nwant covered %g, households %zu, collectives "
                          "%zu, markers %zu/%zu, spans %zu:",
                          tc->covered_m, tc->households, tc->collectives,
                          tc->markers_pledged, tc->nm, tc->nspans);
            for (j = 0; j < tc->nspans; j++)
                print_message(" [%g, %g)", tc->spans[j][0], tc->spans[j][1]);
            print_message("\n");
            fail();
        }
        assert_true(bp_spanset_is_normal(&cov.covered));
        bp_coverage_release(&cov);
        assert_null(cov.covered.v);
    }
}

/*
 * Per commune and per station
 */

/*
 * Three communes on two stations: c0 [0,400) and c1 [400,700) on station
 * 0, c2 [700,1000) on station 1. h0 (of c0) pledges [100,500), across the
 * commune boundary; h1 and the collective k2 (of c1) pledge [450,650) and
 * [600,800); h3 (of c2) has an ended pledge; h4 has no commune.
 */
static const struct bp_cov_commune communes3[] = {
    {0, 400, 0}, {400, 700, 0}, {700, 1000, 1}};
static const struct bp_cov_custodian custodians5[] = {
    {H, 0}, {H, 1}, {C, 1}, {H, 2}, {H, NOCOMMUNE}};
static const struct bp_cov_pledge pledges5[] = {
    P(100, 500, 10, NONE, 0), P(450, 650, 10, NONE, 1),
    P(600, 800, 10, NONE, 2), P(700, 1000, 10, 50, 3),
    P(950, 1000, 10, NONE, 4)};
static const double markers6[] = {0, 200, 400, 600, 800, 1000};

static void province_input(struct bp_cov_input *in)
{
    memset(in, 0, sizeof(*in));
    in->length_m = 1000;
    in->pledges = pledges5;
    in->npledges = 5;
    in->custodians = custodians5;
    in->ncustodians = 5;
    in->communes = communes3;
    in->ncommunes = 3;
    in->nstations = 2;
    in->marker_m = markers6;
    in->nmarkers = 6;
}

static void check_figures(const char *what, const struct bp_cov_figures *got,
                          const struct bp_cov_figures *want)
{
    if (fabs(got->length_m - want->length_m) > TOL ||
        fabs(got->covered_m - want->covered_m) > TOL ||
        got->households != want->households ||
        got->collectives != want->collectives ||
        got->markers_pledged != want->markers_pledged ||
        got->markers_total != want->markers_total) {
        print_message("%s\n got: length %g covered %g households %zu "
                      "collectives %zu markers %zu/%zu\n"
                      "want: length %g covered %g households %zu "
                      "collectives %zu markers %zu/%zu\n",
                      what, got->length_m, got->covered_m, got->households,
                      got->collectives, got->markers_pledged,
                      got->markers_total, want->length_m, want->covered_m,
                      want->households, want->collectives,
                      want->markers_pledged, want->markers_total);
        fail();
    }
}

static void test_communes_stations(void **state)
{
    /* Worked out by hand from the layout above. */
    static const struct bp_cov_figures want_total = {1000, 750, 3, 1, 4, 6};
    static const struct bp_cov_figures want_c[] = {
        {400, 300, 1, 0, 1, 2}, {300, 300, 1, 1, 2, 2}, {300, 150, 0, 0, 1, 2}};
    static const struct bp_cov_figures want_s[] = {{700, 600, 2, 1, 3, 4},
                                                   {300, 150, 0, 0, 1, 2}};
    struct bp_cov_input in;
    struct bp_coverage cov;
    char what[32];
    size_t i;

    (void)state;
    province_input(&in);
    assert_int_equal(bp_coverage_compute(&in, ASOF, &cov, NULL), 0);
    check_figures("total", &cov.total, &want_total);
    assert_int_equal(cov.ncommunes, 3);
    assert_int_equal(cov.nstations, 2);
    for (i = 0; i < 3; i++) {
        snprintf(what, sizeof(what), "commune %zu", i);
        check_figures(what, &cov.communes[i], &want_c[i]);
    }
    for (i = 0; i < 2; i++) {
        snprintf(what, sizeof(what), "station %zu", i);
        check_figures(what, &cov.stations[i], &want_s[i]);
    }
    bp_coverage_release(&cov);
}

/* Communes given out of measure order, one with no station. */
static void test_communes_unordered(void **state)
{
    static const struct bp_cov_commune cm[] = {
        {700, 1000, UINT32_MAX}, {0, 400, 0}, {400, 700, 0}};
    static const struct bp_cov_custodian cu[] = {{C, 0}, {H, 1}};
    static const struct bp_cov_pledge pl[] = {P(300, 900, 10, NONE, 0),
                                              P(0, 50, 10, NONE, 1)};
    static const struct bp_cov_figures want_c[] = {
        {300, 200, 0, 1, 0, 0}, {400, 150, 1, 0, 0, 0}, {300, 300, 0, 0, 0, 0}};
    static const struct bp_cov_figures want_s = {700, 450, 1, 0, 0, 0};
    struct bp_cov_input in = {0};
    struct bp_coverage cov;
    char what[32];
    size_t i;

    (void)state;
    in.length_m = 1000;
    in.pledges = pl;
    in.npledges = 2;
    in.custodians = cu;
    in.ncustodians = 2;
    in.communes = cm;
    in.ncommunes = 3;
    in.nstations = 1;
    assert_int_equal(bp_coverage_compute(&in, ASOF, &cov, NULL), 0);
    for (i = 0; i < 3; i++) {
        snprintf(what, sizeof(what), "commune %zu", i);
        check_figures(what, &cov.communes[i], &want_c[i]);
    }
    check_figures("station 0", &cov.stations[0], &want_s);
    bp_coverage_release(&cov);
}

/*
 * Gaps
 */

struct want_gap {
    double from_m, to_m;
    long before, after, commune;
};

static void check_gaps(const char *name, const struct bp_gap *got, size_t n,
                       const struct want_gap *want, size_t nwant)
{
    size_t i;
    int bad = n != nwant;

    for (i = 0; !bad && i < n; i++)
        bad = got[i].from_m != want[i].from_m || got[i].to_m != want[i].to_m ||
              got[i].marker_before != want[i].before ||
              got[i].marker_after != want[i].after ||
              got[i].commune != want[i].commune;
    if (!bad)
        return;
    print_message("case '%s'\ngot  %zu:", name, n);
    for (i = 0; i < n; i++)
        print_message(" [%g, %g) m%ld..m%ld c%ld", got[i].from_m, got[i].to_m,
                      got[i].marker_before, got[i].marker_after,
                      got[i].commune);
    print_message("\nwant %zu:", nwant);
    for (i = 0; i < nwant; i++)
        print_message(" [%g, %g) m%ld..m%ld c%ld", want[i].from_m, want[i].to_m,
                      want[i].before, want[i].after, want[i].commune);
    print_message("\n");
    fail();
}

static void test_gaps(void **state)
{
    static const struct bp_cov_commune cm[] = {{0, 400, 0}, {400, 1000, 0}};
    static const struct bp_cov_custodian cu[] = {{H, 0}};
    static const struct bp_cov_pledge pl[] = {P(0, 300, 10, NONE, 0),
                                              P(600, 700, 10, NONE, 0)};
    static const double mk[] = {0, 250, 500, 750, 1000};
    /*
     * [300, 600): markers 250 (index 1) and 750 (index 3) on either side;
     * 100 m of it in commune 0, 200 m in commune 1. [700, 1000): markers
     * 500 and 1000; all in commune 1.
     */
    static const struct want_gap want[] = {{300, 600, 1, 3, 1},
                                           {700, 1000, 2, 4, 1}};
    struct bp_cov_input in = {0};
    struct bp_gap *g = NULL;
    size_t n = 99;

    (void)state;
    in.length_m = 1000;
    in.pledges = pl;
    in.npledges = 2;
    in.custodians = cu;
    in.ncustodians = 1;
    in.communes = cm;
    in.ncommunes = 2;
    in.nstations = 1;
    in.marker_m = mk;
    in.nmarkers = 5;
    assert_int_equal(bp_coverage_gaps(&in, ASOF, &g, &n, NULL), 0);
    check_gaps("two gaps", g, n, want, 2);
    bp_free(g);
}

static void test_gaps_edges(void **state)
{
    static const struct bp_cov_custodian cu[] = {{H, NOCOMMUNE}};
    static const struct bp_cov_pledge pl[] = {P(200, 500, 10, NONE, 0),
                                              P(500, 1000, 10, NONE, 0)};
    /* Markers exactly at the gap's ends count on their side. */
    static const double mk[] = {0, 200};
    static const struct want_gap want_mk[] = {{0, 200, 0, 1, -1}};
    static const struct want_gap want_none[] = {{0, 1000, -1, -1, -1}};
    /* A commune that ends before the gap holds none of it. */
    static const struct bp_cov_commune cm[] = {{0, 100, UINT32_MAX},
                                               {100, 200, UINT32_MAX}};
    static const struct want_gap want_tie[] = {{0, 200, 0, 1, 0}};
    static const struct bp_cov_pledge whole[] = {P(0, 1000, 10, NONE, 0)};
    struct bp_cov_input in = {0};
    struct bp_gap *g = NULL;
    size_t n = 99;

    (void)state;
    in.length_m = 1000;
    in.pledges = pl;
    in.npledges = 2;
    in.custodians = cu;
    in.ncustodians = 1;
    in.marker_m = mk;
    in.nmarkers = 2;
    assert_int_equal(bp_coverage_gaps(&in, ASOF, &g, &n, NULL), 0);
    check_gaps("markers at the gap's ends, no communes", g, n, want_mk, 1);
    bp_free(g);

    /* Two communes holding 100 m each: the lower index wins the tie. */
    in.communes = cm;
    in.ncommunes = 2;
    assert_int_equal(bp_coverage_gaps(&in, ASOF, &g, &n, NULL), 0);
    check_gaps("tie between communes", g, n, want_tie, 1);
    bp_free(g);

    /* Nothing active, no markers: the whole border is one gap. */
    in.communes = NULL;
    in.ncommunes = 0;
    in.nmarkers = 0;
    in.marker_m = NULL;
    assert_int_equal(bp_coverage_gaps(&in, 5, &g, &n, NULL), 0);
    check_gaps("no pledge active", g, n, want_none, 1);
    bp_free(g);

    /* Fully covered: no gaps, NULL list. */
    g = (struct bp_gap *)&n;
    in.pledges = whole;
    in.npledges = 1;
    assert_int_equal(bp_coverage_gaps(&in, ASOF, &g, &n, NULL), 0);
    assert_int_equal(n, 0);
    assert_null(g);
}

/*
 * Overlaps
 */

struct want_ov {
    double from_m, to_m;
    size_t n;
    uint32_t c[4];
};

struct ocase {
    const char *name;
    size_t np;
    struct bp_cov_pledge p[MAXP];
    size_t nw;
    struct want_ov w[MAXS];
};

/* clang-format off */
static const struct ocase ocases[] = {
    {"two pledges of the same custodian are not an overlap", 2,
     {P(0, 600, 10, NONE, 0), P(400, 1000, 10, NONE, 0)}, 0, {{0, 0, 0, {0}}}},
    {"household and collective on the same stretch", 2,
     {P(100, 200, 10, NONE, 0), P(100, 200, 10, NONE, 3)}, 1,
     {{100, 200, 2, {0, 3}}}},
    {"three custodians staggered: sets change piece by piece", 3,
     {P(0, 300, 10, NONE, 2), P(100, 400, 10, NONE, 1),
      P(200, 500, 10, NONE, 0)},
     3,
     {{100, 200, 2, {1, 2}}, {200, 300, 3, {0, 1, 2}},
      {300, 400, 2, {0, 1}}}},
    {"touching pledges of one custodian keep one overlap", 3,
     {P(0, 200, 10, NONE, 0), P(200, 400, 10, NONE, 0),
      P(0, 400, 10, NONE, 1)},
     1, {{0, 400, 2, {0, 1}}}},
    {"touching pledges of two custodians do not overlap", 2,
     {P(0, 100, 10, NONE, 0), P(100, 200, 10, NONE, 1)}, 0, {{0, 0, 0, {0}}}},
    {"a pledge not active on the date takes no part", 3,
     {P(0, 500, 10, NONE, 0), P(100, 200, 10, ASOF, 1),
      P(300, 400, ASOF + 1, NONE, 2)},
     0, {{0, 0, 0, {0}}}},
    {"a pledge signed on the date takes part", 2,
     {P(0, 500, 10, NONE, 0), P(100, 200, ASOF, NONE, 1)}, 1,
     {{100, 200, 2, {0, 1}}}},
    {"overlap clipped to the border", 2,
     {P(-100, 50, 10, NONE, 0), P(-100, 2000, 10, NONE, 1)}, 1,
     {{0, 50, 2, {0, 1}}}},
    {"same set again after a break is a new entry", 4,
     {P(0, 100, 10, NONE, 0), P(0, 100, 10, NONE, 1),
      P(200, 300, 10, NONE, 0), P(200, 300, 10, NONE, 1)},
     2, {{0, 100, 2, {0, 1}}, {200, 300, 2, {0, 1}}}},
};

/* clang-format on */

static void test_overlaps(void **state)
{
    static const struct bp_cov_custodian cu[] = {
        {H, 0}, {H, 0}, {C, 0}, {C, 0}};
    static const struct bp_cov_commune cm[] = {{0, 1000, UINT32_MAX}};
    struct bp_cov_input in = {0};
    struct bp_overlap *ov = NULL;
    size_t n, i, j, k;
    int bad;

    (void)state;
    in.length_m = 1000;
    in.custodians = cu;
    in.ncustodians = 4;
    in.communes = cm;
    in.ncommunes = 1;
    for (i = 0; i < sizeof(ocases) / sizeof(ocases[0]); i++) {
        const struct ocase *oc = &ocases[i];

        in.pledges = oc->p;
        in.npledges = oc->np;
        assert_int_equal(bp_coverage_overlaps(&in, ASOF, &ov, &n, NULL), 0);
        bad = n != oc->nw;
        for (j = 0; !bad && j < n; j++) {
            bad = ov[j].from_m != oc->w[j].from_m ||
                  ov[j].to_m != oc->w[j].to_m ||
                  ov[j].ncustodians != oc->w[j].n;
            for (k = 0; !bad && k < ov[j].ncustodians; k++)
                bad = ov[j].custodians[k] != oc->w[j].c[k];
        }
        if (bad) {
            print_message("case '%s'\ngot  %zu:", oc->name, n);
            for (j = 0; j < n; j++) {
                print_message(" [%g, %g) {", ov[j].from_m, ov[j].to_m);
                for (k = 0; k < ov[j].ncustodians; k++)
                    print_message(" %u", (unsigned)ov[j].custodians[k]);
                print_message(" }");
            }
            print_message("\nwant %zu:", oc->nw);
            for (j = 0; j < oc->nw; j++) {
                print_message(" [%g, %g) {", oc->w[j].from_m, oc->w[j].to_m);
                for (k = 0; k < oc->w[j].n; k++)
                    print_message(" %u", (unsigned)oc->w[j].c[k]);
                print_message(" }");
            }
            print_message("\n");
            fail();
        }
        if (!n)
            assert_null(ov);
        bp_overlaps_free(ov, n);
        ov = NULL;
    }
    bp_overlaps_free(NULL, 0);
}

/*
 * A series over years
 */

static void test_series_years(void **state)
{
    /*
     * A small history, read on each 3 March 2019-2024:
     * p0 h0 [0,300) from 10/01/2019;
     * p1 h1 [200,500) signed on 03/03/2020 (active that day);
     * p2 k2 [500,800) from 01/05/2021, ended 03/03/2023 (not that day);
     * p3 h1 [800,1000) signed 04/03/2022 (one day after the 2022 date);
     * p4 h0 [0,100) from 2018, ended 04/03/2019 (still active on 3 March).
     */
    static const struct bp_cov_custodian cu[] = {{H, 0}, {H, 0}, {C, 0}};
    static const struct bp_cov_commune cm[] = {{0, 1000, 0}};
    static const double want_km[] = {300, 500, 500, 800, 700, 700};
    static const size_t want_h[] = {1, 2, 2, 2, 2, 2};
    static const size_t want_c[] = {0, 0, 0, 1, 0, 0};
    static const size_t want_mk[] = {1, 2, 2, 3, 3, 3};
    static const double mk[] = {0, 400, 600, 1000};
    struct bp_cov_pledge pl[5];
    struct bp_cov_input in = {0};
    struct bp_cov_figures tot[6];
    struct bp_coverage cov;
    int32_t days[6];
    size_t y;

    (void)state;
    pl[0] =
        (struct bp_cov_pledge){0, 300, bp_date_from_ymd(2019, 1, 10), NONE, 0};
    pl[1] =
        (struct bp_cov_pledge){200, 500, bp_date_from_ymd(2020, 3, 3), NONE, 1};
    pl[2] = (struct bp_cov_pledge){500, 800, bp_date_from_ymd(2021, 5, 1),
                                   bp_date_from_ymd(2023, 3, 3), 2};
    pl[3] = (struct bp_cov_pledge){800, 1000, bp_date_from_ymd(2022, 3, 4),
                                   NONE, 1};
    pl[4] = (struct bp_cov_pledge){0, 100, bp_date_from_ymd(2018, 6, 1),
                                   bp_date_from_ymd(2019, 3, 4), 0};
    in.length_m = 1000;
    in.pledges = pl;
    in.npledges = 5;
    in.custodians = cu;
    in.ncustodians = 3;
    in.communes = cm;
    in.ncommunes = 1;
    in.nstations = 1;
    in.marker_m = mk;
    in.nmarkers = 4;
    for (y = 0; y < 6; y++)
        days[y] = bp_date_from_ymd(2019 + (int)y, 3, 3);
    assert_int_equal(bp_coverage_series(&in, days, 6, tot, NULL), 0);
    for (y = 0; y < 6; y++) {
        struct bp_cov_figures want = {1000,      want_km[y], want_h[y],
                                      want_c[y], want_mk[y], 4};
        char what[32];

        snprintf(what, sizeof(what), "series 03/03/%d", 2019 + (int)y);
        check_figures(what, &tot[y], &want);
        /* The series and a full computation agree, commune included. */
        assert_int_equal(bp_coverage_compute(&in, days[y], &cov, NULL), 0);
        snprintf(what, sizeof(what), "compute 03/03/%d", 2019 + (int)y);
        check_figures(what, &cov.total, &want);
        check_figures(what, &cov.communes[0], &want);
        check_figures(what, &cov.stations[0], &want);
        bp_coverage_release(&cov);
    }
    /* No days: nothing to do, success. */
    assert_int_equal(bp_coverage_series(&in, NULL, 0, NULL, NULL), 0);
}

/*
 * Random histories against a brute force on the integer-metre grid
 */

#define RLEN 1000
#define RP   50
#define RK   12
#define RC   4
#define RS   2
#define RM   30

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* splitmix64 */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static long rnd_in(long lo, long hi) /* [lo, hi] */
{
    return lo + (long)(rnd() % (uint64_t)(hi - lo + 1));
}

static int cmp_dbl(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;

    return a < b ? -1 : a > b;
}

struct world {
    struct bp_cov_pledge p[RP];
    struct bp_cov_custodian k[RK];
    struct bp_cov_commune c[RC];
    double m[RM];
    struct bp_cov_input in;
    int32_t as_of;
};

static void make_world(struct world *w)
{
    long cut[RC + 1], len;
    size_t i, j;

    cut[0] = 0;
    cut[RC] = RLEN;
    for (i = 1; i < RC; i++)
        cut[i] = cut[i - 1] + rnd_in(1, (RLEN - cut[i - 1]) / 2);
    for (i = 0; i < RC; i++) {
        w->c[i].from_m = (double)cut[i];
        w->c[i].to_m = (double)cut[i + 1];
        w->c[i].station = i < 2 ? 0 : (rnd() % 4 ? 1 : UINT32_MAX);
    }
    for (i = 0; i < RK; i++) {
        w->k[i].kind = rnd() % 3 ? BP_HOUSEHOLD : BP_COLLECTIVE;
        w->k[i].commune = rnd() % 6 ? (uint32_t)rnd_in(0, RC - 1) : NOCOMMUNE;
    }
    for (i = 0; i < RP; i++) {
        len = rnd_in(1, 200);
        w->p[i].from_m = (double)rnd_in(-50, RLEN - 1);
        w->p[i].to_m = w->p[i].from_m + (double)len;
        w->p[i].signed_on = (int32_t)rnd_in(0, 99);
        w->p[i].ended_on =
            rnd() % 3 ? NONE : w->p[i].signed_on + (int32_t)rnd_in(1, 100);
        w->p[i].custodian = (uint32_t)rnd_in(0, RK - 1);
    }
    for (j = 0; j < RM; j++)
        w->m[j] = (double)rnd_in(0, RLEN);
    qsort(w->m, RM, sizeof(double), cmp_dbl);
    memset(&w->in, 0, sizeof(w->in));
    w->in.length_m = RLEN;
    w->in.pledges = w->p;
    w->in.npledges = RP;
    w->in.custodians = w->k;
    w->in.ncustodians = RK;
    w->in.communes = w->c;
    w->in.ncommunes = RC;
    w->in.nstations = RS;
    w->in.marker_m = w->m;
    w->in.nmarkers = RM;
    w->as_of = (int32_t)rnd_in(0, 150);
}

/* Custodians (a bit mask) with an active pledge over the cell [x, x+1). */
static uint32_t cell_set(const struct world *w, long x)
{
    uint32_t set = 0;
    size_t i;

    for (i = 0; i < RP; i++)
        if (bp_active_on(w->p[i].signed_on, w->p[i].ended_on, w->as_of) &&
            w->p[i].from_m <= x && x + 1 <= w->p[i].to_m)
            set |= 1u << w->p[i].custodian;
    return set;
}

static int in_commune(const struct bp_cov_commune *c, double m)
{
    return c->from_m <= m && (m < c->to_m || (m == RLEN && c->to_m == RLEN));
}

static int marker_pledged(const uint32_t *cells, double m)
{
    if (m < 0 || m > RLEN)
        return 0;
    return m == RLEN ? cells[RLEN - 1] != 0 : cells[(long)m] != 0;
}

static void brute_figures(const struct world *w, const uint32_t *cells,
                          struct bp_cov_figures *total,
                          struct bp_cov_figures *cm, struct bp_cov_figures *st)
{
    unsigned char seen[RK] = {0};
    size_t i, j;
    long x;

    memset(total, 0, sizeof(*total));
    memset(cm, 0, RC * sizeof(*cm));
    memset(st, 0, RS * sizeof(*st));
    total->length_m = RLEN;
    total->markers_total = RM;
    for (x = 0; x < RLEN; x++)
        total->covered_m += cells[x] != 0;
    for (j = 0; j < RM; j++)
        total->markers_pledged += marker_pledged(cells, w->m[j]);
    for (i = 0; i < RC; i++) {
        cm[i].length_m = w->c[i].to_m - w->c[i].from_m;
        for (x = (long)w->c[i].from_m; x < (long)w->c[i].to_m; x++)
            cm[i].covered_m += cells[x] != 0;
        for (j = 0; j < RM; j++)
            if (in_commune(&w->c[i], w->m[j])) {
                cm[i].markers_total++;
                cm[i].markers_pledged += marker_pledged(cells, w->m[j]);
            }
    }
    for (i = 0; i < RP; i++)
        if (bp_active_on(w->p[i].signed_on, w->p[i].ended_on, w->as_of))
            seen[w->p[i].custodian] = 1;
    for (i = 0; i < RK; i++) {
        uint32_t c = w->k[i].commune;
        int coll = w->k[i].kind == BP_COLLECTIVE;

        if (!seen[i])
            continue;
        *(coll ? &total->collectives : &total->households) += 1;
        if (c == NOCOMMUNE)
            continue;
        *(coll ? &cm[c].collectives : &cm[c].households) += 1;
        if (w->c[c].station != UINT32_MAX)
            *(coll ? &st[w->c[c].station].collectives
                   : &st[w->c[c].station].households) += 1;
    }
    for (i = 0; i < RC; i++) {
        uint32_t s = w->c[i].station;

        if (s == UINT32_MAX)
            continue;
        st[s].length_m += cm[i].length_m;
        st[s].covered_m += cm[i].covered_m;
        st[s].markers_pledged += cm[i].markers_pledged;
        st[s].markers_total += cm[i].markers_total;
    }
}

static size_t popcount32(uint32_t v)
{
    size_t n = 0;

    for (; v; v &= v - 1)
        n++;
    return n;
}

static void check_random_world(const struct world *w, unsigned seed)
{
    uint32_t cells[RLEN];
    struct bp_cov_figures total, cm[RC], st[RS];
    struct bp_coverage cov;
    struct bp_gap *g = NULL;
    struct bp_overlap *ov = NULL;
    size_t ng, no, i, gi = 0, oi = 0;
    char what[64];
    long x, y, best;
    uint32_t mask;

    for (x = 0; x < RLEN; x++)
        cells[x] = cell_set(w, x);
    brute_figures(w, cells, &total, cm, st);

    assert_int_equal(bp_coverage_compute(&w->in, w->as_of, &cov, NULL), 0);
    snprintf(what, sizeof(what), "seed %u total", seed);
    check_figures(what, &cov.total, &total);
    for (i = 0; i < RC; i++) {
        snprintf(what, sizeof(what), "seed %u commune %zu", seed, i);
        check_figures(what, &cov.communes[i], &cm[i]);
    }
    for (i = 0; i < RS; i++) {
        snprintf(what, sizeof(what), "seed %u station %zu", seed, i);
        check_figures(what, &cov.stations[i], &st[i]);
    }
    for (x = 0; x < RLEN; x++)
        if (bp_spanset_contains(&cov.covered, x + 0.5) != (cells[x] != 0)) {
            print_message("seed %u: cell %ld covered %d, brute force %d\n",
                          seed, x, bp_spanset_contains(&cov.covered, x + 0.5),
                          cells[x] != 0);
            fail();
        }
    bp_coverage_release(&cov);

    /* Gaps: runs of uncovered cells. */
    assert_int_equal(bp_coverage_gaps(&w->in, w->as_of, &g, &ng, NULL), 0);
    for (x = 0; x < RLEN; x = y) {
        long in_c[RC] = {0};
        long before = -1, after = -1;

        if (cells[x]) {
            y = x + 1;
            continue;
        }
        for (y = x; y < RLEN && !cells[y]; y++)
            for (i = 0; i < RC; i++)
                in_c[i] += in_commune(&w->c[i], (double)y);
        for (i = 0; i < RM; i++) {
            if (w->m[i] <= x)
                before = (long)i;
            if (after < 0 && w->m[i] >= y)
                after = (long)i;
        }
        best = -1;
        for (i = 0; i < RC; i++)
            if (in_c[i] > 0 && (best < 0 || in_c[i] > in_c[best]))
                best = (long)i;
        if (gi >= ng || g[gi].from_m != x || g[gi].to_m != y ||
            g[gi].marker_before != before || g[gi].marker_after != after ||
            g[gi].commune != best) {
            print_message("seed %u gap %zu: want [%ld, %ld) m%ld..m%ld "
                          "c%ld; got %s",
                          seed, gi, x, y, before, after, best,
                          gi < ng ? "" : "none\n");
            if (gi < ng)
                print_message("[%g, %g) m%ld..m%ld c%ld\n", g[gi].from_m,
                              g[gi].to_m, g[gi].marker_before,
                              g[gi].marker_after, g[gi].commune);
            fail();
        }
        gi++;
    }
    assert_int_equal(gi, ng);
    bp_free(g);

    /* Overlaps: runs of cells with the same set of two or more. */
    assert_int_equal(bp_coverage_overlaps(&w->in, w->as_of, &ov, &no, NULL), 0);
    for (x = 0; x < RLEN; x = y) {
        mask = cells[x];
        for (y = x + 1; y < RLEN && cells[y] == mask; y++)
            ;
        if (popcount32(mask) < 2)
            continue;
        if (oi >= no || ov[oi].from_m != x || ov[oi].to_m != y ||
            ov[oi].ncustodians != popcount32(mask)) {
            print_message("seed %u overlap %zu: want [%ld, %ld) with %zu "
                          "custodians (mask %#x)\n",
                          seed, oi, x, y, popcount32(mask), mask);
            if (oi < no)
                print_message("got [%g, %g) with %zu\n", ov[oi].from_m,
                              ov[oi].to_m, ov[oi].ncustodians);
            fail();
        }
        {
            uint32_t got = 0;

            for (i = 0; i < ov[oi].ncustodians; i++) {
                if (i)
                    assert_true(ov[oi].custodians[i - 1] <
                                ov[oi].custodians[i]);
                got |= 1u << ov[oi].custodians[i];
            }
            assert_int_equal(got, mask);
        }
        oi++;
    }
    assert_int_equal(oi, no);
    bp_overlaps_free(ov, no);
}

static void test_random_brute_force(void **state)
{
    static struct world w;
    unsigned seed;

    (void)state;
    for (seed = 1; seed <= 300; seed++) {
        rng_state = seed;
        make_world(&w);
        check_random_world(&w, seed);
    }
}

/*
 * Many pledges (the radix-sorted path) against the span module's own
 * union of the same stretches: fractional measures of every magnitude,
 * starts before the border and at -0.0, ends past it.
 */
#define BIGP 5000

static void test_random_large_union(void **state)
{
    static struct bp_cov_pledge pl[BIGP];
    struct bp_cov_custodian cu[3] = {
        {H, NOCOMMUNE}, {C, NOCOMMUNE}, {H, NOCOMMUNE}};
    struct bp_cov_input in = {0};
    struct bp_spanset want;
    struct bp_coverage cov;
    struct bp_cov_figures tot;
    int32_t day;
    size_t i, j, round;
    double f, scale;

    (void)state;
    bp_spanset_init(&want);
    for (round = 0; round < 20; round++) {
        rng_state = 1000 + round;
        for (i = 0; i < BIGP; i++) {
            scale = (double)(1u << rnd_in(0, 17));
            f = (double)(rnd() % 1000000) / 1000000.0 * scale - 3.0;
            if (i % 97 == 0)
                f = -0.0;
            pl[i].from_m = f;
            pl[i].to_m = f + (double)(rnd() % 100000) / 1000.0 + 0.001;
            pl[i].signed_on = (int32_t)rnd_in(0, 99);
            pl[i].ended_on =
                rnd() % 2 ? NONE : pl[i].signed_on + (int32_t)rnd_in(1, 50);
            pl[i].custodian = (uint32_t)(i % 3);
        }
        day = (int32_t)rnd_in(0, 150);
        in.length_m = 100000.5;
        in.pledges = pl;
        in.npledges = BIGP;
        in.custodians = cu;
        in.ncustodians = 3;
        bp_spanset_clear(&want);
        for (i = 0; i < BIGP; i++)
            if (bp_active_on(pl[i].signed_on, pl[i].ended_on, day))
                assert_int_equal(
                    bp_spanset_add(&want, pl[i].from_m, pl[i].to_m), 0);
        bp_spanset_normalise(&want);
        bp_spanset_clip(&want, 0, in.length_m);

        assert_int_equal(bp_coverage_compute(&in, day, &cov, NULL), 0);
        if (cov.covered.n != want.n) {
            print_message("round %zu: %zu spans, want %zu\n", round,
                          cov.covered.n, want.n);
            fail();
        }
        for (j = 0; j < want.n; j++)
            if (cov.covered.v[j].from_m != want.v[j].from_m ||
                cov.covered.v[j].to_m != want.v[j].to_m) {
                print_message("round %zu span %zu: got [%.17g, %.17g), "
                              "want [%.17g, %.17g)\n",
                              round, j, cov.covered.v[j].from_m,
                              cov.covered.v[j].to_m, want.v[j].from_m,
                              want.v[j].to_m);
                fail();
            }
        assert_true(bp_spanset_is_normal(&cov.covered));
        assert_float_equal(cov.total.covered_m, bp_spanset_length(&want), 1e-6);
        assert_int_equal(bp_coverage_series(&in, &day, 1, &tot, NULL), 0);
        assert_float_equal(tot.covered_m, cov.total.covered_m, 1e-6);
        bp_coverage_release(&cov);
    }
    bp_spanset_release(&want);
}

/*
 * Errors
 */

static void expect_einval(const struct bp_cov_input *in, const char *needle)
{
    struct bp_error err = {0};
    struct bp_coverage cov;
    struct bp_gap *g = (struct bp_gap *)&cov;
    struct bp_overlap *ov = (struct bp_overlap *)&cov;
    struct bp_cov_figures tot = {7, 7, 7, 7, 7, 7};
    size_t n = 77;
    int32_t day = ASOF;

    memset(&cov, 0xA5, sizeof(cov));
    assert_int_equal(bp_coverage_compute(in, ASOF, &cov, &err), BP_EINVAL);
    assert_int_equal(err.code, BP_EINVAL);
    if (!strstr(err.message, needle)) {
        print_message("message '%s' lacks '%s'\n", err.message, needle);
        fail();
    }
    assert_int_equal(cov.nstations, (size_t)0xA5A5A5A5A5A5A5A5ull);
    memset(&err, 0, sizeof(err));
    assert_int_equal(bp_coverage_gaps(in, ASOF, &g, &n, &err), BP_EINVAL);
    assert_non_null(strstr(err.message, needle));
    assert_ptr_equal(g, (struct bp_gap *)&cov);
    assert_int_equal(n, 77);
    memset(&err, 0, sizeof(err));
    assert_int_equal(bp_coverage_overlaps(in, ASOF, &ov, &n, &err), BP_EINVAL);
    assert_non_null(strstr(err.message, needle));
    assert_ptr_equal(ov, (struct bp_overlap *)&cov);
    memset(&err, 0, sizeof(err));
    assert_int_equal(bp_coverage_series(in, &day, 1, &tot, &err), BP_EINVAL);
    assert_non_null(strstr(err.message, needle));
    assert_true(tot.length_m == 7 && tot.households == 7);
}

static void test_errors(void **state)
{
    struct bp_cov_pledge pl[3];
    struct bp_cov_custodian cu[2];
    struct bp_cov_commune cm[2];
    double mk[3] = {0, 500, 400};
    struct bp_cov_input in;
    struct bp_coverage cov;
    struct bp_error err = {0};

    (void)state;
    province_input(&in);
    memcpy(pl, pledges5, sizeof(pl));
    memcpy(cu, custodians5, sizeof(cu));
    memcpy(cm, communes3, sizeof(cm));

    in.pledges = pl;
    in.npledges = 3;
    in.custodians = cu;
    in.ncustodians = 2;
    in.communes = cm;
    in.ncommunes = 2;
    in.marker_m = mk;
    in.nmarkers = 2;

    /* Pledge 2 names custodian 2 of 2. */
    expect_einval(&in, "pledge 2: custodian index 2 is out of range");

    pl[2].custodian = 1;
    pl[1].to_m = NAN;
    expect_einval(&in, "pledge 1: stretch");
    pl[1].to_m = 50; /* before its start, 450 */
    expect_einval(&in, "pledge 1: stretch [450, 50)");
    pl[1].to_m = 650;

    cu[1].commune = 7;
    expect_einval(&in, "custodian 1: commune index 7 is out of range");
    cu[1].commune = 1;

    cm[1].station = 2;
    expect_einval(&in, "commune 1: station index 2 is out of range");
    cm[1].station = 0;

    in.nmarkers = 3;
    expect_einval(&in, "marker 2: measure 400 comes before");
    in.nmarkers = 2;

    in.length_m = -1;
    expect_einval(&in, "border length");
    in.length_m = INFINITY;
    expect_einval(&in, "border length");
    in.length_m = 1000;

    in.pledges = NULL;
    expect_einval(&in, "NULL array");
    in.pledges = pl;

    /* NULL arguments. */
    assert_int_equal(bp_coverage_compute(NULL, ASOF, &cov, &err), BP_EINVAL);
    assert_non_null(strstr(err.message, "NULL argument"));
    assert_int_equal(bp_coverage_compute(&in, ASOF, NULL, &err), BP_EINVAL);
    assert_int_equal(bp_coverage_gaps(&in, ASOF, NULL, NULL, &err), BP_EINVAL);
    assert_int_equal(bp_coverage_overlaps(&in, ASOF, NULL, NULL, &err),
                     BP_EINVAL);
    assert_int_equal(bp_coverage_series(&in, NULL, 2, NULL, &err), BP_EINVAL);

    /* Still good after all that. */
    assert_int_equal(bp_coverage_compute(&in, ASOF, &cov, NULL), 0);
    bp_coverage_release(&cov);
    bp_coverage_release(NULL);
}

/*
 * Out of memory: make the Nth allocation fail for N = 0, 1, 2, ... until
 * a run succeeds; each failing run must say BP_ENOMEM, leave the outputs
 * alone and leak nothing (LeakSanitizer checks the last at exit).
 */
static void oom_run(const struct bp_cov_input *in, int32_t as_of)
{
    struct bp_coverage cov;
    struct bp_gap *g;
    struct bp_overlap *ov;
    struct bp_cov_figures tot[3];
    int32_t days[3] = {as_of - 40, as_of, as_of + 60};
    struct bp_error err;
    size_t n;
    long fail_at;
    int rc, which, done;

    for (which = 0; which < 4; which++) {
        done = 0;
        for (fail_at = 0; !done && fail_at < 1000; fail_at++) {
            memset(&err, 0, sizeof(err));
            memset(&cov, 0, sizeof(cov));
            g = NULL;
            ov = NULL;
            n = 12345;
            memset(tot, 0, sizeof(tot));
            bp_alloc_fail_after(fail_at, 0);
            switch (which) {
            case 0:
                rc = bp_coverage_compute(in, as_of, &cov, &err);
                break;
            case 1:
                rc = bp_coverage_gaps(in, as_of, &g, &n, &err);
                break;
            case 2:
                rc = bp_coverage_overlaps(in, as_of, &ov, &n, &err);
                break;
            default:
                rc = bp_coverage_series(in, days, 3, tot, &err);
                break;
            }
            if (bp_alloc_injected_failures() == 0) {
                bp_alloc_fail_after(-1, 0);
                assert_int_equal(rc, 0);
                done = 1;
            } else {
                bp_alloc_fail_after(-1, 0);
                if (rc != BP_ENOMEM) {
                    print_message("function %d, failing allocation %ld: "
                                  "rc %d, want BP_ENOMEM\n",
                                  which, fail_at, rc);
                    fail();
                }
                assert_int_equal(err.code, BP_ENOMEM);
                assert_non_null(strstr(err.message, "out of memory"));
                assert_null(cov.communes);
                assert_null(g);
                assert_null(ov);
                assert_int_equal(n, 12345);
                assert_true(tot[0].length_m == 0);
            }
        }
        assert_true(done);
        /* At least one allocation was tried and failed along the way. */
        assert_true(fail_at > 1);
        bp_coverage_release(&cov);
        bp_free(g);
        bp_overlaps_free(ov, which == 2 ? n : 0);
    }
}

static void test_out_of_memory(void **state)
{
    static struct world w;
    static struct bp_cov_pledge pl[400];
    static const struct bp_cov_custodian cu[] = {{H, 0}, {C, 0}};
    static const struct bp_cov_commune cm[] = {{0, 5000, 0}};
    struct bp_cov_input big = {0};
    size_t i;

    (void)state;
    rng_state = 42;
    make_world(&w);
    oom_run(&w.in, 60);

    /* Enough active pledges for the radix sort and its scratch space. */
    for (i = 0; i < 400; i++) {
        pl[i].from_m = (double)(i * 37 % 4000) + 0.25;
        pl[i].to_m = pl[i].from_m + 20;
        pl[i].signed_on = 10;
        pl[i].ended_on = NONE;
        pl[i].custodian = (uint32_t)(i % 2);
    }
    big.length_m = 5000;
    big.pledges = pl;
    big.npledges = 400;
    big.custodians = cu;
    big.ncustodians = 2;
    big.communes = cm;
    big.ncommunes = 1;
    big.nstations = 1;
    oom_run(&big, 60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_communes_stations),
        cmocka_unit_test(test_communes_unordered),
        cmocka_unit_test(test_gaps),
        cmocka_unit_test(test_gaps_edges),
        cmocka_unit_test(test_overlaps),
        cmocka_unit_test(test_series_years),
        cmocka_unit_test(test_random_brute_force),
        cmocka_unit_test(test_random_large_union),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_out_of_memory),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
