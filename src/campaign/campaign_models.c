/* SPDX-License-Identifier: MIT */
/*
 * Figures of the road projects (km built of km planned, money to
 * kilometres), the bamboo belt (km planted, clumps alive), the lights
 * (working, km lit), the 3 March activities and the suggestions for the
 * next round of commendations. Every length is a span set (span.h), so
 * overlapping entries count once.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/campaign.h"
#include "bienphong/date.h"
#include "campaign/campaign_int.h"

/* ---- roads ---- */

void bp_road_extent(const struct bp_road *r, double *from_m, double *to_m)
{
    if (r->kind == BP_ROAD_PATH) {
        *from_m = 0;
        *to_m = r->planned_m;
    } else {
        *from_m = r->from.measure_m;
        *to_m = r->to.measure_m;
    }
}

static double road_planned(const struct bp_road *r)
{
    double a, b;

    if (r->planned_m > 0)
        return r->planned_m;
    bp_road_extent(r, &a, &b);
    return b > a ? b - a : 0;
}

static int add_fig(struct bp_road_figures *t, const struct bp_road_figures *f)
{
    t->planned_m += f->planned_m;
    t->built_m += f->built_m;
    t->projects += f->projects;
    t->finished += f->finished;
    if (f->last_on != BP_DATE_NONE &&
        (t->last_on == BP_DATE_NONE || f->last_on > t->last_on))
        t->last_on = f->last_on;
    if (bp_money_add(t->budget_vnd, f->budget_vnd, &t->budget_vnd) ||
        bp_money_add(t->received_vnd, f->received_vnd, &t->received_vnd) ||
        bp_money_add(t->spent_vnd, f->spent_vnd, &t->spent_vnd) ||
        bp_money_add(t->cost_vnd, f->cost_vnd, &t->cost_vnd))
        return BP_EOVERFLOW;
    return 0;
}

/* Share and cost per km of a figure whose sums are complete. */
static int finish_fig(struct bp_road_figures *f)
{
    double per_km;

    f->share = f->planned_m > 0 ? f->built_m / f->planned_m : 0;
    if (f->share > 1)
        f->share = 1;
    f->vnd_per_km = 0;
    if (f->built_m > 0.5) {
        per_km = nearbyint((double)f->cost_vnd * 1000.0 / f->built_m);
        if (!(per_km < 9.2e18))
            return BP_EOVERFLOW;
        f->vnd_per_km = (int64_t)per_km;
    }
    return 0;
}

static void fig_init(struct bp_road_figures *f)
{
    memset(f, 0, sizeof(*f));
    f->last_on = BP_DATE_NONE;
}

int bp_road_report_compute(const struct bp_road *roads, size_t nroads,
                           const struct bp_road_progress *prog, size_t nprog,
                           const struct bp_donation *don, size_t ndon,
                           const struct bp_expense *exp, size_t nexp,
                           const bp_uuid *commune_ids, size_t ncommunes,
                           int32_t as_of, struct bp_road_report *out,
                           struct bp_error *err)
{
    struct bp_road_report r = {0};
    struct bp__camp_index idx = {0}, cidx = {0};
    struct bp_spanset *built = NULL;
    size_t i;
    long j;
    double a, b;
    int rc = 0;

    if ((nroads && !roads) || (nprog && !prog) || (ndon && !don) ||
        (nexp && !exp) || (ncommunes && !commune_ids) || !out)
        return bp_error_set(err, BP_EINVAL,
                            "bp_road_report_compute: bad input");
    r.roads = bp_calloc(nroads + 1, sizeof(*r.roads));
    r.communes = bp_calloc(ncommunes + 1, sizeof(*r.communes));
    built = bp_calloc(nroads + 1, sizeof(*built));
    if (!r.roads || !r.communes || !built ||
        bp__camp_index_build(&idx, roads, nroads, sizeof(*roads),
                             offsetof(struct bp_road, id)) ||
        bp__camp_index_build(&cidx, commune_ids, ncommunes, sizeof(bp_uuid),
                             0))
        goto oom;
    r.nroads = nroads;
    r.ncommunes = ncommunes;
    fig_init(&r.total);
    for (i = 0; i < ncommunes; i++)
        fig_init(&r.communes[i]);
    for (i = 0; i < nroads; i++) {
        fig_init(&r.roads[i]);
        bp_spanset_init(&built[i]);
    }
    for (i = 0; i < nprog; i++) {
        if (as_of != BP_DATE_NONE && prog[i].on > as_of)
            continue;
        j = bp__camp_index_find(&idx, prog[i].road_id);
        if (j < 0)
            continue;
        if (bp_spanset_add(&built[j], prog[i].from_m, prog[i].to_m))
            goto oom;
        if (r.roads[j].last_on == BP_DATE_NONE ||
            prog[i].on > r.roads[j].last_on)
            r.roads[j].last_on = prog[i].on;
    }
    for (i = 0; i < ndon && !rc; i++) {
        if (don[i].status != BP_RECEIVED ||
            (as_of != BP_DATE_NONE && don[i].on > as_of))
            continue;
        j = bp__camp_index_find(&idx, don[i].road_id);
        if (j < 0)
            continue;
        rc = bp_money_add(r.roads[j].received_vnd, don[i].amount_vnd,
                          &r.roads[j].received_vnd);
        if (!rc && don[i].form != BP_CASH)
            rc = bp_money_add(r.roads[j].cost_vnd, don[i].amount_vnd,
                              &r.roads[j].cost_vnd);
    }
    for (i = 0; i < nexp && !rc; i++) {
        if (as_of != BP_DATE_NONE && exp[i].on > as_of)
            continue;
        j = bp__camp_index_find(&idx, exp[i].road_id);
        if (j < 0)
            continue;
        rc = bp_money_add(r.roads[j].spent_vnd, exp[i].amount_vnd,
                          &r.roads[j].spent_vnd);
        if (!rc)
            rc = bp_money_add(r.roads[j].cost_vnd, exp[i].amount_vnd,
                              &r.roads[j].cost_vnd);
    }
    for (i = 0; i < nroads && !rc; i++) {
        struct bp_road_figures *f = &r.roads[i];

        bp_spanset_normalise(&built[i]);
        bp_road_extent(&roads[i], &a, &b);
        bp_spanset_clip(&built[i], a, b);
        f->projects = 1;
        f->planned_m = road_planned(&roads[i]);
        f->built_m = bp_spanset_length(&built[i]);
        if (f->built_m > f->planned_m)
            f->built_m = f->planned_m;
        f->budget_vnd = roads[i].budget_vnd;
        f->finished = (roads[i].finished_on != BP_DATE_NONE &&
                       (as_of == BP_DATE_NONE ||
                        roads[i].finished_on <= as_of)) ||
                      (f->planned_m > 0 && f->built_m >= f->planned_m - 0.5);
        rc = finish_fig(f);
        if (!rc)
            rc = add_fig(&r.total, f);
        j = bp__camp_index_find(&cidx, roads[i].commune_id);
        if (!rc && j >= 0)
            rc = add_fig(&r.communes[j], f);
    }
    for (i = 0; i < ncommunes && !rc; i++)
        rc = finish_fig(&r.communes[i]);
    if (!rc)
        rc = finish_fig(&r.total);
    if (rc) {
        rc = bp_error_set(err, BP_EOVERFLOW,
                          "the road projects' money overflows 64-bit đồng");
        goto out;
    }
    goto out;
oom:
    rc = bp_error_set(err, BP_ENOMEM, "out of memory");
out:
    if (built)
        for (i = 0; i < nroads; i++)
            bp_spanset_release(&built[i]);
    bp_free(built);
    bp__camp_index_release(&idx);
    bp__camp_index_release(&cidx);
    if (rc) {
        bp_road_report_release(&r);
        return rc;
    }
    *out = r;
    return 0;
}

void bp_road_report_release(struct bp_road_report *r)
{
    if (!r)
        return;
    bp_free(r->roads);
    bp_free(r->communes);
    memset(r, 0, sizeof(*r));
}

/* ---- bamboo ---- */

static int commune_match(const char *want, const char *have)
{
    return !want || !*want || !strcmp(want, have);
}

int bp_bamboo_figures(const struct bp_bamboo *b, size_t nb,
                      const struct bp_bamboo_check *c, size_t nc,
                      const char *commune_id, int32_t as_of,
                      struct bp_bamboo_figures *out, struct bp_error *err)
{
    struct bp_bamboo_figures f = {0};
    struct bp__camp_index idx = {0};
    struct bp_spanset s;
    long *alive = NULL;
    int32_t *alive_on = NULL;
    size_t i;
    long j;
    int rc = 0;

    bp_spanset_init(&s);
    alive = bp_calloc(nb + 1, sizeof(*alive));
    alive_on = bp_calloc(nb + 1, sizeof(*alive_on));
    if (!alive || !alive_on ||
        bp__camp_index_build(&idx, b, nb, sizeof(*b),
                             offsetof(struct bp_bamboo, id))) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < nb; i++) {
        alive[i] = b[i].clumps;
        alive_on[i] = BP_DATE_NONE;
    }
    for (i = 0; i < nc; i++) {
        if (as_of != BP_DATE_NONE && c[i].on > as_of)
            continue;
        j = bp__camp_index_find(&idx, c[i].bamboo_id);
        if (j >= 0 && (alive_on[j] == BP_DATE_NONE || c[i].on >= alive_on[j])) {
            alive[j] = c[i].alive;
            alive_on[j] = c[i].on;
        }
    }
    for (i = 0; i < nb; i++) {
        if (!commune_match(commune_id, b[i].commune_id) ||
            (as_of != BP_DATE_NONE && b[i].planted_on > as_of))
            continue;
        f.plantings++;
        f.clumps_planted += b[i].clumps;
        f.clumps_alive += alive[i];
        f.households += b[i].households;
        if (bp_spanset_add(&s, b[i].from.measure_m, b[i].to.measure_m)) {
            rc = bp_error_set(err, BP_ENOMEM, "out of memory");
            goto out;
        }
    }
    bp_spanset_normalise(&s);
    f.planted_m = bp_spanset_length(&s);
    *out = f;
out:
    bp_spanset_release(&s);
    bp_free(alive);
    bp_free(alive_on);
    bp__camp_index_release(&idx);
    return rc;
}

/* ---- lights ---- */

int bp_light_working(const struct bp_light *l,
                     const struct bp_light_check *c, size_t nc,
                     int32_t as_of)
{
    int32_t best = BP_DATE_NONE;
    int working = l->working;
    size_t i;

    if (as_of != BP_DATE_NONE && l->installed_on != BP_DATE_NONE &&
        l->installed_on > as_of)
        return 0;
    for (i = 0; i < nc; i++) {
        if (strcmp(c[i].light_id, l->id) ||
            (as_of != BP_DATE_NONE && c[i].on > as_of))
            continue;
        if (best == BP_DATE_NONE || c[i].on >= best) {
            best = c[i].on;
            working = c[i].working;
        }
    }
    return working != 0;
}

int bp_light_figures(const struct bp_light *l, size_t nl,
                     const struct bp_light_check *c, size_t nc,
                     const char *commune_id, int32_t as_of, double reach_m,
                     struct bp_light_figures *out, struct bp_spanset *lit,
                     struct bp_error *err)
{
    struct bp_light_figures f = {0};
    struct bp__camp_index idx = {0};
    struct bp_spanset s;
    int32_t *best = NULL;
    signed char *work = NULL;
    size_t i;
    long j;
    int rc = 0;

    if (!(isfinite(reach_m) && reach_m > 0))
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "reach",
                               "a light's reach of %g m is not a positive "
                               "distance",
                               reach_m);
    bp_spanset_init(&s);
    best = bp_calloc(nl + 1, sizeof(*best));
    work = bp_calloc(nl + 1, sizeof(*work));
    if (!best || !work ||
        bp__camp_index_build(&idx, l, nl, sizeof(*l),
                             offsetof(struct bp_light, id))) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    /* Latest check per light in one pass, not a scan per light. */
    for (i = 0; i < nl; i++) {
        best[i] = BP_DATE_NONE;
        work[i] = (signed char)(l[i].working != 0);
    }
    for (i = 0; i < nc; i++) {
        if (as_of != BP_DATE_NONE && c[i].on > as_of)
            continue;
        j = bp__camp_index_find(&idx, c[i].light_id);
        if (j >= 0 && (best[j] == BP_DATE_NONE || c[i].on >= best[j])) {
            best[j] = c[i].on;
            work[j] = (signed char)(c[i].working != 0);
        }
    }
    for (i = 0; i < nl; i++) {
        if (!commune_match(commune_id, l[i].commune_id) ||
            (as_of != BP_DATE_NONE && l[i].installed_on != BP_DATE_NONE &&
             l[i].installed_on > as_of))
            continue;
        f.installed++;
        if (!work[i])
            continue;
        f.working++;
        if (bp_spanset_add(&s, l[i].measure_m - reach_m,
                           l[i].measure_m + reach_m)) {
            rc = bp_error_set(err, BP_ENOMEM, "out of memory");
            goto out;
        }
    }
    bp_spanset_normalise(&s);
    f.lit_m = bp_spanset_length(&s);
    if (lit) {
        bp_spanset_release(lit);
        *lit = s;
        bp_spanset_init(&s);
    }
    *out = f;
out:
    bp_spanset_release(&s);
    bp_free(best);
    bp_free(work);
    bp__camp_index_release(&idx);
    return rc;
}

/* Distance in metres from p to the segment a-b, on a local plane. */
static double seg_dist_m(struct bp_lonlat p, struct bp_lonlat a,
                         struct bp_lonlat b)
{
    double k = cos(p.lat * M_PI / 180.0) * 111320.0, q = 110574.0;
    double ax = (a.lon - p.lon) * k, ay = (a.lat - p.lat) * q;
    double bx = (b.lon - p.lon) * k, by = (b.lat - p.lat) * q;
    double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy, t = 0;

    if (len2 > 0)
        t = -(ax * dx + ay * dy) / len2;
    if (t < 0)
        t = 0;
    if (t > 1)
        t = 1;
    return hypot(ax + t * dx, ay + t * dy);
}

static double path_dist_m(const struct bp_light *l, const struct bp_road *r)
{
    struct bp_lonlat p = {l->lon, l->lat};
    double d = INFINITY, x;
    size_t i;

    if (r->ngeom == 1)
        return seg_dist_m(p, r->geom[0], r->geom[0]);
    for (i = 0; i + 1 < r->ngeom; i++) {
        x = seg_dist_m(p, r->geom[i], r->geom[i + 1]);
        if (x < d)
            d = x;
    }
    return d;
}

int bp_light_find_road(const struct bp_light *l, double offset_m,
                       const struct bp_road *roads, size_t nroads,
                       size_t *road, struct bp_error *err)
{
    double best = INFINITY, d, a, b;
    size_t i, hit = 0;
    int has_ll = isfinite(l->lon) && isfinite(l->lat);
    char km[32];

    for (i = 0; i < nroads; i++) {
        const struct bp_road *r = &roads[i];

        if (r->kind == BP_ROAD_ALONG) {
            if (fabs(offset_m) > 500.0)
                continue;
            bp_road_extent(r, &a, &b);
            d = l->measure_m < a ? a - l->measure_m
                : l->measure_m > b ? l->measure_m - b : 0;
        } else if (has_ll && r->geom && r->ngeom) {
            d = path_dist_m(l, r);
        } else {
            d = fabs(l->measure_m - r->from.measure_m) - r->planned_m;
            if (d < 0)
                d = 0;
        }
        /* The light's own road wins among those near enough. */
        if (l->road_id[0] && !strcmp(l->road_id, r->id) &&
            d <= BP_LIGHT_NEAR_M)
            d = -1;
        if (d < best) {
            best = d;
            hit = i;
        }
    }
    if (!(best <= BP_LIGHT_NEAR_M))
        return bp_error_set_at(
            err, BP_ERANGE, NULL, 0, "position",
            "light '%s' at km %s is far from every road project (more than "
            "%.0f m)",
            l->id, bp_fmt_number(l->measure_m / 1000, 3, BP_LANG_VI, km,
                                 sizeof(km)),
            BP_LIGHT_NEAR_M);
    *road = hit;
    return 0;
}

/* ---- 3 March activities ---- */

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int bp_event_figures(const struct bp_event *e, size_t n, int year,
                     struct bp_event_figures *out, struct bp_error *err)
{
    struct bp_event_figures f = {0};
    const char **ids = NULL;
    size_t i, k = 0;

    ids = bp_calloc(n + 1, sizeof(*ids));
    if (!ids)
        return bp_error_set(err, BP_ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        if (year && e[i].year != year)
            continue;
        ids[k++] = e[i].commune_id;
        f.activities += e[i].activities;
        f.participants += e[i].participants;
        f.gifts += e[i].gifts;
        if (bp_money_add(f.gifts_vnd, e[i].gifts_vnd, &f.gifts_vnd) ||
            bp_money_add(f.funds_vnd, e[i].funds_vnd, &f.funds_vnd)) {
            bp_free(ids);
            return bp_error_set(err, BP_EOVERFLOW,
                                "the 3 March funds overflow 64-bit đồng");
        }
    }
    qsort(ids, k, sizeof(*ids), cmp_str_ptr);
    for (i = 0; i < k; i++)
        if (ids[i][0] && (!i || strcmp(ids[i - 1], ids[i])))
            f.communes++;
    bp_free(ids);
    *out = f;
    return 0;
}

/* ---- award suggestions ---- */

struct acc {
    double pledged_m;
    int32_t earliest;
    int awarded;
};

static int cmp_sugg(const void *a, const void *b)
{
    const struct bp_award_suggestion *x = a, *y = b;

    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->custodian < y->custodian ? -1 : x->custodian > y->custodian;
}

static int event_years(const struct bp_event *ev, size_t nev,
                       const char *commune, int first, int last)
{
    int y, n = 0;
    size_t i;

    for (y = first; y <= last; y++)
        for (i = 0; i < nev; i++)
            if (ev[i].year == y && ev[i].activities > 0 &&
                !strcmp(ev[i].commune_id, commune)) {
                n++;
                break;
            }
    return n;
}

int bp_award_suggest(const struct bp_award_candidate *cands, size_t ncands,
                     const struct bp_pledge *pledges, size_t npledges,
                     const struct bp_event *events, size_t nevents,
                     const struct bp_award *awards, size_t nawards,
                     const struct bp_award_criteria *c,
                     struct bp_award_suggestion **out, size_t *n,
                     struct bp_error *err)
{
    struct bp__camp_index idx = {0};
    struct bp_award_suggestion *s = NULL;
    struct acc *acc = NULL;
    bp_uuid *ids = NULL;
    size_t i, k = 0;
    long j;
    int y_end, rc = 0;

    if (!c || !out || !n || (ncands && !cands) || (npledges && !pledges) ||
        (nevents && !events) || (nawards && !awards) ||
        c->as_of == BP_DATE_NONE || c->min_years < 0 ||
        !(c->min_length_m >= 0))
        return bp_error_set(err, BP_EINVAL,
                            "bp_award_suggest: bad input or criteria");
    for (i = 0; i < ncands; i++)
        if (!cands[i].custodian)
            return bp_error_set(err, BP_EINVAL,
                                "bp_award_suggest: candidate %zu has no "
                                "custodian",
                                i);
    ids = bp_calloc(ncands + 1, sizeof(*ids));
    acc = bp_calloc(ncands + 1, sizeof(*acc));
    s = bp_calloc(ncands + 1, sizeof(*s));
    if (!ids || !acc || !s)
        goto oom;
    for (i = 0; i < ncands; i++) {
        memcpy(ids[i], cands[i].custodian->id, sizeof(bp_uuid));
        acc[i].earliest = BP_DATE_NONE;
    }
    if (bp__camp_index_build(&idx, ids, ncands, sizeof(bp_uuid), 0))
        goto oom;
    for (i = 0; i < npledges; i++) {
        const struct bp_pledge *p = &pledges[i];
        if (!bp_active_on(p->signed_on, p->ended_on, c->as_of))
            continue;
        j = bp__camp_index_find(&idx, p->custodian_id);
        if (j < 0)
            continue;
        acc[j].pledged_m += p->to.measure_m - p->from.measure_m;
        if (acc[j].earliest == BP_DATE_NONE || p->signed_on < acc[j].earliest)
            acc[j].earliest = p->signed_on;
    }
    for (i = 0; i < nawards; i++) {
        j = bp__camp_index_find(&idx, awards[i].custodian_id);
        if (j >= 0 && awards[i].decided_on <= c->as_of &&
            (double)(c->as_of - awards[i].decided_on) <
                365.25 * c->skip_awarded_years)
            acc[j].awarded = 1;
    }
    bp_date_to_ymd(c->as_of, &y_end, NULL, NULL);
    for (i = 0; i < ncands; i++) {
        const struct bp_award_candidate *cd = &cands[i];
        struct bp_award_suggestion g = {0};

        if (acc[i].earliest == BP_DATE_NONE || acc[i].awarded ||
            acc[i].pledged_m < c->min_length_m || acc[i].pledged_m <= 0)
            continue;
        g.years = (int)floor((c->as_of - acc[i].earliest) / 365.25);
        if (g.years < c->min_years)
            continue;
        g.event_years =
            event_years(events, nevents, cd->custodian->commune_id,
                        y_end - (c->min_years > 0 ? c->min_years : 1) + 1,
                        y_end);
        if (g.event_years < c->min_event_years)
            continue;
        if (c->min_verified_share > 0 &&
            (!(cd->verified_share >= c->min_verified_share) ||
             cd->incidents < c->min_incidents))
            continue;
        g.custodian = i;
        g.pledged_m = acc[i].pledged_m;
        g.score = acc[i].pledged_m / 1000.0 * (g.years > 0 ? g.years : 1);
        g.level = g.years >= 5 && g.pledged_m >= 2000 ? BP_AWARD_GK_DISTRICT
                                                      : BP_AWARD_GK_STATION;
        s[k++] = g;
    }
    qsort(s, k, sizeof(*s), cmp_sugg);
    if (!k) {
        bp_free(s);
        s = NULL;
    }
    *out = s;
    *n = k;
    s = NULL;
    goto out;
oom:
    rc = bp_error_set(err, BP_ENOMEM, "out of memory");
out:
    bp__camp_index_release(&idx);
    bp_free(ids);
    bp_free(acc);
    bp_free(s);
    return rc;
}
