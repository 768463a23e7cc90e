/* SPDX-License-Identifier: MIT */
/*
 * The review report's figures from the patrol and campaign modules:
 * patrols, verified kilometres, inspections and incidents year by year,
 * the campaign's ledger and road, the bamboo belt, lights, 3 March
 * activities and commendations, the overdue lists and the diagram's
 * lanes; with a canonical line per record for the report's hash.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/store.h"
#include "report/report_int.h"

#define OVERDUE_DAYS 30

/* Everything read from the patrol and campaign modules. */
struct act {
    struct bp_verify_data d;
    struct bp_inspection *ins;
    size_t nins;
    struct bp_incident *inc;
    size_t ninc;
    int32_t *inc_day;             /* local day of each incident */
    struct bp_incident_event **ev; /* each incident's history */
    size_t *nev;
    struct bp_campaign *camp;
    size_t ncamp;
    struct bp_donor *donors;
    size_t ndonors;
    struct bp_donation *dons;
    size_t ndons;
    struct bp_expense *exps;
    size_t nexps;
    struct bp_road *roads;
    size_t nroads;
    struct bp_road_progress *prog;
    size_t nprog;
    struct bp_bamboo *bam;
    size_t nbam;
    struct bp_bamboo_check *bchk;
    size_t nbchk;
    struct bp_light *lig;
    size_t nlig;
    struct bp_light_check *lchk;
    size_t nlchk;
    struct bp_event *evt;
    size_t nevt;
    struct bp_award *awd;
    size_t nawd;
};

static void act_release(struct act *a)
{
    size_t i;

    bp_verify_data_release(&a->d);
    bp_store_inspection_list_free(a->ins, a->nins);
    for (i = 0; a->ev && i < a->ninc; i++)
        bp_incident_events_free(a->ev[i], a->nev[i]);
    bp_free(a->ev);
    bp_free(a->nev);
    bp_free(a->inc_day);
    bp_store_incident_list_free(a->inc, a->ninc);
    bp_store_campaign_list_free(a->camp, a->ncamp);
    bp_store_donor_list_free(a->donors, a->ndonors);
    bp_store_donation_list_free(a->dons, a->ndons);
    bp_store_expense_list_free(a->exps, a->nexps);
    bp_store_road_list_free(a->roads, a->nroads);
    bp_store_road_progress_list_free(a->prog, a->nprog);
    bp_store_bamboo_list_free(a->bam, a->nbam);
    bp_store_bamboo_check_list_free(a->bchk, a->nbchk);
    bp_store_light_list_free(a->lig, a->nlig);
    bp_store_light_check_list_free(a->lchk, a->nlchk);
    bp_store_event_list_free(a->evt, a->nevt);
    bp_store_award_list_free(a->awd, a->nawd);
}

static int act_load(struct bp_store *st, struct act *a, struct bp_error *err)
{
    size_t i;
    int rc;

    rc = bp_store_verify_load(st, &a->d, err);
    if (!rc)
        rc = bp_store_inspection_list(st, NULL, 1, &a->ins, &a->nins, err);
    if (!rc)
        rc = bp_store_incident_list(st, -1, &a->inc, &a->ninc, err);
    if (!rc) {
        a->ev = bp_calloc(a->ninc + 1, sizeof(*a->ev));
        a->nev = bp_calloc(a->ninc + 1, sizeof(*a->nev));
        a->inc_day = bp_calloc(a->ninc + 1, sizeof(*a->inc_day));
        if (!a->ev || !a->nev || !a->inc_day)
            rc = BP_ENOMEM;
    }
    for (i = 0; !rc && i < a->ninc; i++) {
        struct bp_incident tmp;
        memset(&tmp, 0, sizeof(tmp));
        rc = bp_store_incident_get(st, a->inc[i].id, &tmp, &a->ev[i],
                                   &a->nev[i], err);
        bp_incident_release(&tmp);
        a->inc_day[i] = bp_date_of_instant(a->inc[i].at_s);
    }
    if (!rc)
        rc = bp_store_campaign_list(st, &a->camp, &a->ncamp, err);
    if (!rc)
        rc = bp_store_donor_list(st, &a->donors, &a->ndonors, err);
    if (!rc)
        rc = bp_store_donation_list(st, &a->dons, &a->ndons, err);
    if (!rc)
        rc = bp_store_expense_list(st, &a->exps, &a->nexps, err);
    if (!rc)
        rc = bp_store_road_list(st, &a->roads, &a->nroads, err);
    if (!rc)
        rc = bp_store_road_progress_list(st, &a->prog, &a->nprog, err);
    if (!rc)
        rc = bp_store_bamboo_list(st, &a->bam, &a->nbam, err);
    if (!rc)
        rc = bp_store_bamboo_check_list(st, &a->bchk, &a->nbchk, err);
    if (!rc)
        rc = bp_store_light_list(st, &a->lig, &a->nlig, err);
    if (!rc)
        rc = bp_store_light_check_list(st, &a->lchk, &a->nlchk, err);
    if (!rc)
        rc = bp_store_event_list(st, &a->evt, &a->nevt, err);
    if (!rc)
        rc = bp_store_award_list(st, &a->awd, &a->nawd, err);
    return rc;
}

static char *iso(int32_t d, char *out)
{
    if (d == BP_DATE_NONE) {
        out[0] = '-';
        out[1] = '\0';
        return out;
    }
    return bp_date_format_iso(d, out);
}

/* Canonical lines of the records the new sections depend on. */
static int hash_lines(const struct act *a, struct bp_buf *b)
{
    char d1[16], d2[16];
    size_t i, j;
    int rc = 0;

    for (i = 0; i < a->d.in.npatrols; i++) {
        const struct bp_vpatrol *p = &a->d.in.patrols[i];
        rc |= bp_buf_addf(b, "patrol|%s|%d|%zu", iso(p->day, d1), p->counted,
                          p->ncustodians);
        for (j = 0; j < p->nspans; j++)
            rc |= bp_buf_addf(b, "|%.3f-%.3f", p->spans[j].from_m,
                              p->spans[j].to_m);
        rc |= bp_buf_addch(b, '\n');
    }
    for (i = 0; i < a->nins; i++)
        rc |= bp_buf_addf(b, "inspection|%s|%s|%s|%d\n", a->ins[i].id,
                          a->ins[i].marker, iso(a->ins[i].day, d1),
                          (int)a->ins[i].condition);
    for (i = 0; i < a->ninc; i++) {
        rc |= bp_buf_addf(b, "incident|%s|%d|%lld|%.3f|%d", a->inc[i].id,
                          (int)a->inc[i].kind, (long long)a->inc[i].at_s,
                          a->inc[i].measure_m, (int)a->inc[i].status);
        for (j = 0; j < a->nev[i]; j++)
            rc |= bp_buf_addf(b, "|%lld:%d", (long long)a->ev[i][j].at_s,
                              (int)a->ev[i][j].status);
        rc |= bp_buf_addch(b, '\n');
    }
    for (i = 0; i < a->ncamp; i++)
        rc |= bp_buf_addf(b, "campaign|%s|%s|%s|%lld|%.3f|%lld\n",
                          a->camp[i].id, iso(a->camp[i].starts_on, d1),
                          iso(a->camp[i].ends_on, d2),
                          (long long)a->camp[i].goal_vnd,
                          a->camp[i].goal_road_m,
                          (long long)a->camp[i].labour_day_vnd);
    for (i = 0; i < a->ndons; i++) {
        const struct bp_donation *x = &a->dons[i];
        rc |= bp_buf_addf(b, "donation|%s|%s|%s|%d|%d|%lld|%s|%s|%s\n", x->id,
                          x->campaign_id, x->donor_id, (int)x->status,
                          (int)x->form, (long long)x->amount_vnd,
                          iso(x->on, d1), x->fulfils_id, x->road_id);
    }
    for (i = 0; i < a->nexps; i++)
        rc |= bp_buf_addf(b, "expense|%s|%s|%s|%lld|%s\n", a->exps[i].id,
                          a->exps[i].campaign_id, iso(a->exps[i].on, d1),
                          (long long)a->exps[i].amount_vnd,
                          a->exps[i].road_id);
    for (i = 0; i < a->nroads; i++) {
        const struct bp_road *x = &a->roads[i];
        rc |= bp_buf_addf(b, "road|%s|%s|%d|%.3f|%.3f|%.3f|%lld|%s|%s\n",
                          x->id, x->commune_id, (int)x->kind,
                          x->from.measure_m, x->to.measure_m, x->planned_m,
                          (long long)x->budget_vnd, iso(x->starts_on, d1),
                          iso(x->finished_on, d2));
    }
    for (i = 0; i < a->nprog; i++)
        rc |= bp_buf_addf(b, "progress|%s|%s|%.3f|%.3f|%s\n", a->prog[i].id,
                          a->prog[i].road_id, a->prog[i].from_m,
                          a->prog[i].to_m, iso(a->prog[i].on, d1));
    for (i = 0; i < a->nbam; i++)
        rc |= bp_buf_addf(b, "bamboo|%s|%s|%.3f|%.3f|%ld|%s|%ld\n",
                          a->bam[i].id, a->bam[i].commune_id,
                          a->bam[i].from.measure_m, a->bam[i].to.measure_m,
                          a->bam[i].clumps, iso(a->bam[i].planted_on, d1),
                          a->bam[i].households);
    for (i = 0; i < a->nbchk; i++)
        rc |= bp_buf_addf(b, "bamboo_check|%s|%s|%s|%ld\n", a->bchk[i].id,
                          a->bchk[i].bamboo_id, iso(a->bchk[i].on, d1),
                          a->bchk[i].alive);
    for (i = 0; i < a->nlig; i++)
        rc |= bp_buf_addf(b, "light|%s|%s|%s|%.3f|%d|%s|%d\n", a->lig[i].id,
                          a->lig[i].commune_id, a->lig[i].road_id,
                          a->lig[i].measure_m, (int)a->lig[i].kind,
                          iso(a->lig[i].installed_on, d1), a->lig[i].working);
    for (i = 0; i < a->nlchk; i++)
        rc |= bp_buf_addf(b, "light_check|%s|%s|%s|%d\n", a->lchk[i].id,
                          a->lchk[i].light_id, iso(a->lchk[i].on, d1),
                          a->lchk[i].working);
    for (i = 0; i < a->nevt; i++) {
        const struct bp_event *x = &a->evt[i];
        rc |= bp_buf_addf(b, "event|%s|%s|%d|%ld|%ld|%ld|%lld|%lld\n", x->id,
                          x->commune_id, x->year, x->activities,
                          x->participants, x->gifts, (long long)x->gifts_vnd,
                          (long long)x->funds_vnd);
    }
    for (i = 0; i < a->nawd; i++)
        rc |= bp_buf_addf(b, "award|%s|%d|%s|%s\n", a->awd[i].id,
                          (int)a->awd[i].level, a->awd[i].commune_id,
                          iso(a->awd[i].decided_on, d1));
    return rc ? BP_ENOMEM : 0;
}

/* Length of `[a, b)` inside the normal set `s`. */
static double inside(const struct bp_spanset *s, double a, double b)
{
    double len = 0;
    size_t j;

    for (j = 0; j < s->n; j++) {
        double x = fmax(a, s->v[j].from_m), y = fmin(b, s->v[j].to_m);
        if (y > x)
            len += y - x;
    }
    return len;
}

/* A measure in the scope, ends included (markers sit on boundaries). */
static int at_scope(const struct bp_spanset *s, double m)
{
    size_t j;

    for (j = 0; j < s->n; j++)
        if (m >= s->v[j].from_m && m <= s->v[j].to_m)
            return 1;
    return 0;
}

/* What the computation needs of the report's scope. */
struct scope {
    const struct bp_spanset *spans;
    enum bp_report_scope kind;
    const char *const *commune_ids; /* the scope's communes */
    size_t ncommunes;
    uint32_t group; /* verify_data index of the commune or station */
};

static int commune_in(const struct scope *sc, const char *id)
{
    size_t i;

    if (sc->kind == BP_REPORT_PROVINCE)
        return 1;
    for (i = 0; id && *id && i < sc->ncommunes; i++)
        if (!strcmp(sc->commune_ids[i], id))
            return 1;
    return 0;
}

/* Patrols, verification, inspections and incidents of [from, to]. */
static int window(const struct act *a, const struct scope *sc,
                  const unsigned char *ins_in, const unsigned char *inc_in,
                  int32_t from, int32_t to, struct bp_report_patrols *w,
                  struct bp_spanset *walked, struct bp_error *err)
{
    const struct bp_verify_input *in = &a->d.in;
    struct bp_verify v;
    uint32_t *grp = NULL;
    size_t i, j;
    int rc;

    memset(w, 0, sizeof(*w));
    w->from = from;
    w->to = to;
    for (i = 0; i < in->npatrols; i++) {
        const struct bp_vpatrol *p = &in->patrols[i];
        double len = 0;
        if (p->day < from || p->day > to)
            continue;
        for (j = 0; j < p->nspans; j++) {
            len += inside(sc->spans, p->spans[j].from_m, p->spans[j].to_m);
            if (walked &&
                bp_spanset_add(walked, p->spans[j].from_m, p->spans[j].to_m))
                return BP_ENOMEM;
        }
        if (sc->kind != BP_REPORT_PROVINCE && len <= 0)
            continue;
        w->patrols++;
        w->walked_m += len;
    }
    memset(&v, 0, sizeof(v));
    rc = bp_verify_compute(in, from, to, &v, err);
    if (rc)
        return rc;
    if (sc->kind == BP_REPORT_PROVINCE) {
        w->pledged_m = v.pledged_m;
        w->verified_m = v.walked_m;
    } else {
        struct bp_verify_group g;
        grp = bp_calloc(in->npledges + 1, sizeof(*grp));
        if (!grp) {
            rc = BP_ENOMEM;
            goto out;
        }
        for (i = 0; i < in->npledges; i++) {
            uint32_t cu = a->d.pledges[i].custodian;
            uint32_t k = sc->kind == BP_REPORT_STATION
                             ? a->d.pledge_station[i]
                         : cu < a->d.ncustodians ? a->d.custodian_commune[cu]
                                                 : UINT32_MAX;
            grp[i] = k == sc->group && k != UINT32_MAX ? 0 : UINT32_MAX;
        }
        memset(&g, 0, sizeof(g));
        rc = bp_verify_group_by(in, &v, grp, 1, &g, err);
        if (rc)
            goto out;
        w->pledged_m = g.pledged_m;
        w->verified_m = g.walked_m;
    }
    for (i = 0; i < a->nins; i++) {
        if (!ins_in[i] || a->ins[i].day < from || a->ins[i].day > to)
            continue;
        if (a->ins[i].condition == BP_COND_VISIT)
            w->visits++;
        else
            w->inspections++;
    }
    for (i = 0; i < a->ninc; i++) {
        int status = -1;
        if (!inc_in[i] || a->inc_day[i] < from || a->inc_day[i] > to)
            continue;
        w->incidents++;
        if ((unsigned)a->inc[i].kind < BP_REPORT_INC_KINDS)
            w->by_kind[a->inc[i].kind]++;
        /* Its status at the window's end: the last event by then. */
        for (j = 0; j < a->nev[i]; j++)
            if (bp_date_of_instant(a->ev[i][j].at_s) <= to || status < 0)
                status = (int)a->ev[i][j].status;
        if (status < 0)
            status = (int)a->inc[i].status;
        if ((unsigned)status < BP_REPORT_INC_STATUSES)
            w->by_status[status]++;
    }
out:
    bp_free(grp);
    bp_verify_release(&v);
    return rc;
}

static void events_of(const struct bp_event_figures *f,
                      struct bp_report_events *e)
{
    e->communes = f->communes;
    e->activities = f->activities;
    e->participants = f->participants;
    e->gifts = f->gifts;
    e->gifts_vnd = f->gifts_vnd;
    e->funds_vnd = f->funds_vnd;
}

static int campaign(struct bp_report *r, const struct act *a,
                    const struct scope *sc, struct bp_error *err)
{
    struct bp_donation *dons = NULL;
    struct bp_expense *exps = NULL;
    struct bp_road *roads = NULL;
    struct bp_ledger_input in;
    struct bp_ledger l;
    struct bp_road_report rr;
    size_t nd = 0, ne = 0, nr = 0, i;
    int rc = 0;

    memset(&l, 0, sizeof(l));
    memset(&rr, 0, sizeof(rr));
    /* Shallow copies: the records as of the period's end. */
    dons = bp_calloc(a->ndons + 1, sizeof(*dons));
    exps = bp_calloc(a->nexps + 1, sizeof(*exps));
    roads = bp_calloc(a->nroads + 1, sizeof(*roads));
    if (!dons || !exps || !roads) {
        rc = BP_ENOMEM;
        goto out;
    }
    for (i = 0; i < a->ndons; i++)
        if (a->dons[i].on <= r->to)
            dons[nd++] = a->dons[i];
    for (i = 0; i < a->nexps; i++)
        if (a->exps[i].on <= r->to)
            exps[ne++] = a->exps[i];
    for (i = 0; i < a->nroads; i++)
        if (commune_in(sc, a->roads[i].commune_id))
            roads[nr++] = a->roads[i];
    memset(&in, 0, sizeof(in));
    in.campaign = a->ncamp == 1 ? &a->camp[0] : NULL;
    in.donors = a->donors;
    in.ndonors = a->ndonors;
    in.donations = dons;
    in.ndonations = nd;
    in.expenses = exps;
    in.nexpenses = ne;
    in.roads = a->roads;
    in.nroads = a->nroads;
    rc = bp_ledger_compute(&in, 1, &l, err);
    if (rc)
        goto out;
    rc = bp_road_report_compute(roads, nr, a->prog, a->nprog, dons, nd, exps,
                                ne, NULL, 0, r->to, &rr, err);
    if (rc)
        goto out;
    r->campaign.campaigns = a->ncamp;
    for (i = 0; i < a->ncamp; i++) {
        r->campaign.goal_vnd += a->camp[i].goal_vnd;
        r->campaign.goal_road_m += a->camp[i].goal_road_m;
    }
    if (a->ncamp == 1 && a->camp[0].name) {
        r->campaign.name = bp_strdup(a->camp[0].name);
        if (!r->campaign.name) {
            rc = BP_ENOMEM;
            goto out;
        }
    }
    r->campaign.total = l.total;
    r->campaign.balance_vnd = l.balance_vnd;
    r->campaign.outstanding_vnd = l.outstanding_vnd;
    r->campaign.donors = l.ndonors;
    r->campaign.roads = rr.total;
    /* The road built along the line, for the diagram. */
    for (i = 0; i < a->nprog; i++) {
        const struct bp_road_progress *p = &a->prog[i];
        size_t k;
        if (p->on > r->to)
            continue;
        for (k = 0; k < nr; k++)
            if (!strcmp(roads[k].id, p->road_id) &&
                roads[k].kind == BP_ROAD_ALONG) {
                double f0, f1;
                bp_road_extent(&roads[k], &f0, &f1);
                if (fmin(p->to_m, f1) > fmax(p->from_m, f0) &&
                    bp_spanset_add(&r->road, fmax(p->from_m, f0),
                                   fmin(p->to_m, f1))) {
                    rc = BP_ENOMEM;
                    goto out;
                }
            }
    }
out:
    bp_ledger_release(&l);
    bp_road_report_release(&rr);
    bp_free(dons);
    bp_free(exps);
    bp_free(roads);
    return rc;
}

static int models(struct bp_report *r, const struct act *a,
                  const struct scope *sc, struct bp_error *err)
{
    struct bp_event *ev = NULL;
    struct bp_event_figures ef;
    size_t i, ne = 0, k;
    int y0, y1, rc = 0;

    /* Bamboo and lights: the province at once, a scope commune by
     * commune (their stretches do not overlap). */
    for (k = 0; !rc && k < (sc->kind == BP_REPORT_PROVINCE ? 1
                                                           : sc->ncommunes);
         k++) {
        const char *cid =
            sc->kind == BP_REPORT_PROVINCE ? NULL : sc->commune_ids[k];
        struct bp_bamboo_figures bf;
        struct bp_light_figures lf;
        rc = bp_bamboo_figures(a->bam, a->nbam, a->bchk, a->nbchk, cid, r->to,
                               &bf, err);
        if (!rc)
            rc = bp_light_figures(a->lig, a->nlig, a->lchk, a->nlchk, cid,
                                  r->to, BP_LIGHT_REACH_M, &lf, &r->lit, err);
        if (rc)
            break;
        r->models.bamboo.planted_m += bf.planted_m;
        r->models.bamboo.clumps_planted += bf.clumps_planted;
        r->models.bamboo.clumps_alive += bf.clumps_alive;
        r->models.bamboo.households += bf.households;
        r->models.bamboo.plantings += bf.plantings;
        r->models.lights.installed += lf.installed;
        r->models.lights.working += lf.working;
        r->models.lights.lit_m += lf.lit_m;
    }
    if (rc)
        return rc;
    for (i = 0; i < a->nbam; i++)
        if (a->bam[i].planted_on <= r->to &&
            commune_in(sc, a->bam[i].commune_id) &&
            a->bam[i].to.measure_m > a->bam[i].from.measure_m &&
            bp_spanset_add(&r->bamboo, a->bam[i].from.measure_m,
                           a->bam[i].to.measure_m))
            return BP_ENOMEM;
    /* 3 March activities of the scope's communes in the period's years. */
    bp_date_to_ymd(r->from, &y0, NULL, NULL);
    bp_date_to_ymd(r->to, &y1, NULL, NULL);
    ev = bp_calloc(a->nevt + 1, sizeof(*ev));
    if (!ev)
        return BP_ENOMEM;
    for (i = 0; i < a->nevt; i++)
        if (a->evt[i].year >= y0 && a->evt[i].year <= y1 &&
            (sc->kind == BP_REPORT_PROVINCE ||
             commune_in(sc, a->evt[i].commune_id)))
            ev[ne++] = a->evt[i];
    rc = bp_event_figures(ev, ne, 0, &ef, err);
    if (!rc)
        events_of(&ef, &r->models.events);
    for (i = 0; !rc && i < r->nyears; i++) {
        rc = bp_event_figures(ev, ne, r->years[i].year, &ef, err);
        if (!rc)
            events_of(&ef, &r->years[i].ev);
    }
    bp_free(ev);
    /* Commendations decided within the period. */
    for (i = 0; !rc && i < a->nawd; i++) {
        const struct bp_award *w = &a->awd[i];
        if (w->decided_on < r->from || w->decided_on > r->to ||
            (sc->kind != BP_REPORT_PROVINCE &&
             !commune_in(sc, w->commune_id)))
            continue;
        r->models.awards++;
        if ((unsigned)w->level < BP_REPORT_AWARD_LEVELS)
            r->models.awards_by_level[w->level]++;
    }
    return rc;
}

/* The report's commune holding measure `m`, or NULL. */
static const struct bp_report_row *commune_at(const struct bp_report *r,
                                              double m)
{
    size_t i;

    for (i = 0; i < r->ncommunes; i++)
        if (m >= r->communes[i].from_m && m < r->communes[i].to_m)
            return &r->communes[i];
    for (i = 0; i < r->ncommunes; i++)
        if (m == r->communes[i].to_m)
            return &r->communes[i];
    return NULL;
}

static char *dup_or_null(const char *s, int *rc)
{
    char *d;

    if (!s)
        return NULL;
    d = bp_strdup(s);
    if (!d)
        *rc = BP_ENOMEM;
    return d;
}

static int overdue(struct bp_report *r, struct bp_store *st,
                   const struct act *a, const struct scope *sc,
                   struct bp_error *err)
{
    struct bp_overdue *o = NULL;
    struct bp_marker_due *m = NULL;
    size_t n = 0, nm = 0, i, j;
    int rc;

    r->overdue_days = OVERDUE_DAYS;
    rc = bp_overdue_compute(&a->d.in, r->to, OVERDUE_DAYS, &o, &n, err);
    if (!rc)
        rc = bp_store_marker_overdue(st, r->to, OVERDUE_DAYS, &m, &nm, err);
    if (rc)
        goto out;
    r->overdue = bp_calloc(n + sc->spans->n + 1, sizeof(*r->overdue));
    r->markers_due = bp_calloc(nm + 1, sizeof(*r->markers_due));
    if (!r->overdue || !r->markers_due) {
        rc = BP_ENOMEM;
        goto out;
    }
    for (i = 0; i < n && !rc; i++)
        for (j = 0; j < sc->spans->n; j++) {
            double x = fmax(o[i].from_m, sc->spans->v[j].from_m);
            double y = fmin(o[i].to_m, sc->spans->v[j].to_m);
            const struct bp_report_row *c;
            struct bp_report_overdue *w;
            struct bp_report_overdue *grown;
            if (y <= x)
                continue;
            /* A stretch can cross several scope stretches: grow. */
            grown = bp_reallocarray(r->overdue, r->noverdue + 2,
                                    sizeof(*r->overdue));
            if (!grown) {
                rc = BP_ENOMEM;
                break;
            }
            r->overdue = grown;
            w = &r->overdue[r->noverdue++];
            memset(w, 0, sizeof(*w));
            w->from_m = x;
            w->to_m = y;
            w->last_day = o[i].last_day;
            c = commune_at(r, x);
            if (c) {
                w->commune_code = dup_or_null(c->code, &rc);
                w->commune_name = dup_or_null(c->name, &rc);
            }
            r->overdue_m += y - x;
        }
    for (i = 0; i < nm && !rc; i++) {
        const struct bp_report_row *c;
        struct bp_report_marker_due *w;
        if (!at_scope(sc->spans, m[i].measure_m))
            continue;
        w = &r->markers_due[r->nmarkers_due++];
        w->number = dup_or_null(m[i].number, &rc);
        w->measure_m = m[i].measure_m;
        w->last_day = m[i].last_day;
        c = commune_at(r, m[i].measure_m);
        w->commune_code = c ? dup_or_null(c->code, &rc) : NULL;
    }
out:
    bp_free(o);
    bp_free(m);
    return rc;
}

/* The marker numbered `num` of the registry, or NULL. */
static const struct bp_marker *marker_named(const struct bp_marker *mk,
                                            size_t nmk, const char *num)
{
    size_t i;

    for (i = 0; i < nmk; i++)
        if (mk[i].number && !strcmp(mk[i].number, num))
            return &mk[i];
    return NULL;
}

static int clip_lane(struct bp_spanset *lane, const struct bp_spanset *scope)
{
    struct bp_spanset t;
    int rc;

    bp_spanset_init(&t);
    bp_spanset_normalise(lane);
    rc = bp_spanset_intersect(lane, scope, &t);
    if (!rc) {
        bp_spanset_release(lane);
        *lane = t;
    } else {
        bp_spanset_release(&t);
    }
    return rc;
}

int bp__report_activity(struct bp_report *r, struct bp_store *st,
                        const struct bp_spanset *scope_spans,
                        const char *const *commune_ids, size_t ncommunes,
                        const char *station_id, const struct bp_marker *mk,
                        size_t nmk, struct bp_buf *hash, struct bp_error *err)
{
    struct act a;
    struct scope sc;
    unsigned char *ins_in = NULL, *inc_in = NULL;
    size_t i;
    int rc;

    memset(&a, 0, sizeof(a));
    sc.spans = scope_spans;
    sc.kind = r->scope;
    sc.commune_ids = commune_ids;
    sc.ncommunes = ncommunes;
    sc.group = UINT32_MAX;
    rc = act_load(st, &a, err);
    if (!rc)
        rc = hash_lines(&a, hash);
    if (rc)
        goto out;
    r->npatrols_all = a.d.in.npatrols;
    r->ninspections_all = a.nins;
    r->nincidents_all = a.ninc;
    r->ncampaign_all = a.ncamp + a.ndonors + a.ndons + a.nexps + a.nroads +
                       a.nprog + a.nbam + a.nbchk + a.nlig + a.nlchk +
                       a.nevt + a.nawd;
    if (r->scope == BP_REPORT_COMMUNE && ncommunes == 1)
        for (i = 0; i < a.d.ncommunes; i++)
            if (!strcmp(a.d.commune_id[i], commune_ids[0]))
                sc.group = (uint32_t)i;
    if (r->scope == BP_REPORT_STATION && station_id)
        for (i = 0; i < a.d.nstations; i++)
            if (!strcmp(a.d.station_id[i], station_id))
                sc.group = (uint32_t)i;
    /* Which inspections and incidents lie in the scope, once. */
    ins_in = bp_calloc(a.nins + 1, 1);
    inc_in = bp_calloc(a.ninc + 1, 1);
    if (!ins_in || !inc_in) {
        rc = BP_ENOMEM;
        goto out;
    }
    for (i = 0; i < a.nins; i++) {
        const struct bp_marker *m = marker_named(mk, nmk, a.ins[i].marker);
        ins_in[i] = r->scope == BP_REPORT_PROVINCE ||
                    (m && at_scope(scope_spans, m->measure_m));
    }
    for (i = 0; i < a.ninc; i++)
        inc_in[i] = r->scope == BP_REPORT_PROVINCE ||
                    at_scope(scope_spans, a.inc[i].measure_m);
    bp__report_progress(r, 0.5, "patrols");
    rc = window(&a, &sc, ins_in, inc_in, r->from, r->to, &r->patrols,
                &r->walked, err);
    for (i = 0; !rc && i < r->nyears; i++) {
        int32_t wf = i ? r->years[i - 1].as_of + 1 : r->from;
        rc = window(&a, &sc, ins_in, inc_in, wf, r->years[i].as_of,
                    &r->years[i].pat, NULL, err);
    }
    if (!rc)
        rc = campaign(r, &a, &sc, err);
    if (!rc)
        rc = models(r, &a, &sc, err);
    if (!rc)
        rc = overdue(r, st, &a, &sc, err);
    if (!rc)
        rc = clip_lane(&r->walked, scope_spans);
    if (!rc)
        rc = clip_lane(&r->road, scope_spans);
    if (!rc)
        rc = clip_lane(&r->lit, scope_spans);
    if (!rc)
        rc = clip_lane(&r->bamboo, scope_spans);
    if (rc)
        goto out;
    r->section_present[BP_SECTION_PATROLS] =
        a.d.in.npatrols > 0 || a.nins > 0 || a.ninc > 0;
    r->section_present[BP_SECTION_CAMPAIGN] = a.ncamp > 0;
    r->section_present[BP_SECTION_MODELS] =
        a.nbam > 0 || a.nlig > 0 || a.nevt > 0 || a.nawd > 0;
out:
    if (rc == BP_ENOMEM && err && !err->code)
        bp_error_set(err, rc, "out of memory");
    bp_free(ins_in);
    bp_free(inc_in);
    act_release(&a);
    return rc;
}
