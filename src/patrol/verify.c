/* SPDX-License-Identifier: MIT */
/*
 * Verified kilometres: each pledge's stretch intersected with the walked
 * stretches of the counted patrols its custodian took part in, with the
 * day each part was last walked; sums by group; and the overdue list.
 * Patrols are indexed by participant once, so the work is proportional to
 * the participations, not pledges times patrols.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/patrol.h"
#include "bienphong/registry.h"

struct cand {
    double from_m, to_m;
    int32_t day;
    uint32_t patrol;
};

struct work {
    const struct bp_verify_input *in;
    size_t *off; /* ncustodians + 1 */
    uint32_t *idx;
    struct cand *c;
    size_t nc, capc;
    struct bp_walked_part *parts;
    size_t nparts, capparts;
    struct bp_spanset covered;
};

static int check_input(const struct bp_verify_input *in, struct bp_error *err)
{
    size_t i, j;

    if (!in || (in->npledges && !in->pledges) ||
        (in->npatrols && !in->patrols))
        return bp_error_set(err, BP_EINVAL, "verification: NULL input");
    for (i = 0; i < in->npledges; i++)
        if (in->pledges[i].custodian >= in->ncustodians)
            return bp_error_set(err, BP_EINVAL,
                                "pledge %zu: custodian index %u out of range",
                                i, in->pledges[i].custodian);
    for (i = 0; i < in->npatrols; i++) {
        const struct bp_vpatrol *p = &in->patrols[i];
        for (j = 0; j < p->ncustodians; j++)
            if (p->custodians[j] >= in->ncustodians)
                return bp_error_set(err, BP_EINVAL,
                                    "patrol %zu: participant index %u out of "
                                    "range",
                                    i, p->custodians[j]);
        for (j = 0; j < p->nspans; j++)
            if (!(p->spans[j].from_m < p->spans[j].to_m) ||
                (j && p->spans[j].from_m <= p->spans[j - 1].to_m))
                return bp_error_set(err, BP_EINVAL,
                                    "patrol %zu: its spans are not normal", i);
    }
    return 0;
}

static void work_release(struct work *w)
{
    bp_free(w->off);
    bp_free(w->idx);
    bp_free(w->c);
    bp_free(w->parts);
    bp_spanset_release(&w->covered);
}

/* Patrols by participant (counted ones only), as CSR arrays. */
static int work_init(struct work *w, const struct bp_verify_input *in)
{
    size_t i, j, total = 0;

    memset(w, 0, sizeof(*w));
    w->in = in;
    bp_spanset_init(&w->covered);
    w->off = bp_calloc(in->ncustodians + 1, sizeof(*w->off));
    if (!w->off)
        return BP_ENOMEM;
    for (i = 0; i < in->npatrols; i++)
        if (in->patrols[i].counted)
            for (j = 0; j < in->patrols[i].ncustodians; j++)
                w->off[in->patrols[i].custodians[j] + 1]++;
    for (i = 0; i < in->ncustodians; i++)
        w->off[i + 1] += w->off[i];
    total = w->off[in->ncustodians];
    w->idx = bp_calloc(total ? total : 1, sizeof(*w->idx));
    if (!w->idx)
        return BP_ENOMEM;
    for (i = 0; i < in->npatrols; i++)
        if (in->patrols[i].counted)
            for (j = 0; j < in->patrols[i].ncustodians; j++)
                w->idx[w->off[in->patrols[i].custodians[j]]++] = (uint32_t)i;
    /* off[c] now ends custodian c's run; shift back to starts. */
    for (i = in->ncustodians; i > 0; i--)
        w->off[i] = w->off[i - 1];
    w->off[0] = 0;
    return 0;
}

static int by_day_desc(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;

    if (x->day != y->day)
        return x->day > y->day ? -1 : 1;
    return x->from_m < y->from_m ? -1 : x->from_m > y->from_m;
}

static int by_from(const void *a, const void *b)
{
    const struct bp_walked_part *x = a, *y = b;

    return x->from_m < y->from_m ? -1 : x->from_m > y->from_m;
}

static int add_part(struct work *w, double from, double to, int32_t day)
{
    if (!(to > from))
        return 0;
    if (w->nparts == w->capparts) {
        size_t cap = w->capparts ? 2 * w->capparts : 16;
        struct bp_walked_part *v = bp_reallocarray(w->parts, cap, sizeof(*v));
        if (!v)
            return BP_ENOMEM;
        w->parts = v;
        w->capparts = cap;
    }
    w->parts[w->nparts].from_m = from;
    w->parts[w->nparts].to_m = to;
    w->parts[w->nparts++].last_day = day;
    return 0;
}

/*
 * The walked parts of pledge `pi` by patrols on days [from, to], each with
 * the last day it was walked, sorted by measure, into w->parts. Sets
 * *npatrols to the patrols that walked some of it.
 */
static int last_walked(struct work *w, size_t pi, int32_t from, int32_t to,
                       size_t *npatrols)
{
    const struct bp_vpledge *p = &w->in->pledges[pi];
    size_t k, s, np = 0;
    uint32_t last_patrol = UINT32_MAX;
    int rc = 0;

    w->nc = 0;
    w->nparts = 0;
    for (k = w->off[p->custodian]; k < w->off[p->custodian + 1]; k++) {
        uint32_t pa = w->idx[k];
        const struct bp_vpatrol *t = &w->in->patrols[pa];
        size_t lo = 0, hi = t->nspans;

        if ((from != BP_DATE_NONE && t->day < from) ||
            (to != BP_DATE_NONE && t->day > to) ||
            !bp_active_on(p->signed_on, p->ended_on, t->day))
            continue;
        while (lo < hi) { /* first span ending after the pledge's start */
            size_t mid = (lo + hi) / 2;
            if (t->spans[mid].to_m <= p->from_m)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (s = lo; s < t->nspans && t->spans[s].from_m < p->to_m; s++) {
            double a = fmax(t->spans[s].from_m, p->from_m);
            double b = fmin(t->spans[s].to_m, p->to_m);
            if (!(b > a))
                continue;
            if (w->nc == w->capc) {
                size_t cap = w->capc ? 2 * w->capc : 16;
                struct cand *v = bp_reallocarray(w->c, cap, sizeof(*v));
                if (!v)
                    return BP_ENOMEM;
                w->c = v;
                w->capc = cap;
            }
            w->c[w->nc].from_m = a;
            w->c[w->nc].to_m = b;
            w->c[w->nc].day = t->day;
            w->c[w->nc++].patrol = pa;
            if (pa != last_patrol)
                np++, last_patrol = pa;
        }
    }
    *npatrols = np;
    if (!w->nc)
        return 0;
    /* Paint the latest walks first; an older walk only shows where no
     * later one covers it. */
    qsort(w->c, w->nc, sizeof(*w->c), by_day_desc);
    bp_spanset_clear(&w->covered);
    for (k = 0; k < w->nc && !rc; k++) {
        const struct cand *c = &w->c[k];
        const struct bp_spanset *cv = &w->covered;
        double at = c->from_m;
        size_t lo = 0, hi = cv->n;

        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (cv->v[mid].to_m <= c->from_m)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (s = lo; s < cv->n && cv->v[s].from_m < c->to_m && !rc; s++) {
            rc = add_part(w, at, fmin(cv->v[s].from_m, c->to_m), c->day);
            at = fmax(at, cv->v[s].to_m);
        }
        if (!rc && at < c->to_m)
            rc = add_part(w, at, c->to_m, c->day);
        if (!rc) {
            rc = bp_spanset_add(&w->covered, c->from_m, c->to_m);
            bp_spanset_normalise(&w->covered);
        }
    }
    if (rc)
        return rc;
    qsort(w->parts, w->nparts, sizeof(*w->parts), by_from);
    /* Merge neighbours walked last on the same day. */
    for (k = 1, s = 0; k < w->nparts; k++) {
        if (w->parts[k].from_m <= w->parts[s].to_m &&
            w->parts[k].last_day == w->parts[s].last_day)
            w->parts[s].to_m = fmax(w->parts[s].to_m, w->parts[k].to_m);
        else
            w->parts[++s] = w->parts[k];
    }
    w->nparts = s + 1;
    return 0;
}

void bp_verify_release(struct bp_verify *v)
{
    size_t i;

    if (!v)
        return;
    for (i = 0; i < v->npledges; i++)
        bp_free(v->pledges[i].parts);
    bp_free(v->pledges);
    memset(v, 0, sizeof(*v));
}

int bp_verify_compute(const struct bp_verify_input *in, int32_t from_day,
                      int32_t to_day, struct bp_verify *out,
                      struct bp_error *err)
{
    struct bp_verify r;
    struct work w;
    size_t i, k;
    int rc;

    memset(&r, 0, sizeof(r));
    memset(&w, 0, sizeof(w));
    if (!out)
        return bp_error_set(err, BP_EINVAL, "verification: NULL output");
    rc = check_input(in, err);
    if (rc)
        return rc;
    rc = work_init(&w, in);
    r.from_day = from_day;
    r.to_day = to_day;
    r.npledges = in->npledges;
    if (!rc && in->npledges) {
        r.pledges = bp_calloc(in->npledges, sizeof(*r.pledges));
        if (!r.pledges)
            rc = BP_ENOMEM;
    }
    for (i = 0; i < in->npledges && !rc; i++) {
        const struct bp_vpledge *p = &in->pledges[i];
        struct bp_pledge_verify *pv = &r.pledges[i];

        pv->last_day = BP_DATE_NONE;
        pv->active = (to_day == BP_DATE_NONE || p->signed_on <= to_day) &&
                     (p->ended_on == BP_DATE_NONE || from_day == BP_DATE_NONE ||
                      p->ended_on > from_day);
        if (!pv->active || !(p->to_m > p->from_m))
            continue;
        pv->pledged_m = p->to_m - p->from_m;
        r.pledged_m += pv->pledged_m;
        rc = last_walked(&w, i, from_day, to_day, &pv->patrols);
        if (rc || !w.nparts)
            continue;
        pv->parts = bp_calloc(w.nparts, sizeof(*pv->parts));
        if (!pv->parts) {
            rc = BP_ENOMEM;
            break;
        }
        memcpy(pv->parts, w.parts, w.nparts * sizeof(*w.parts));
        pv->nparts = w.nparts;
        for (k = 0; k < w.nparts; k++) {
            pv->walked_m += w.parts[k].to_m - w.parts[k].from_m;
            if (pv->last_day == BP_DATE_NONE ||
                w.parts[k].last_day > pv->last_day)
                pv->last_day = w.parts[k].last_day;
        }
        r.walked_m += pv->walked_m;
    }
    work_release(&w);
    if (rc) {
        bp_verify_release(&r);
        return bp_error_set(err, rc, "out of memory verifying pledges");
    }
    *out = r;
    return 0;
}

struct gi {
    uint32_t group;
    uint32_t pledge;
};

static int by_group(const void *a, const void *b)
{
    const struct gi *x = a, *y = b;

    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return x->pledge < y->pledge ? -1 : x->pledge > y->pledge;
}

int bp_verify_group_by(const struct bp_verify_input *in,
                       const struct bp_verify *v, const uint32_t *group,
                       size_t ngroups, struct bp_verify_group *out,
                       struct bp_error *err)
{
    struct bp_spanset ps, ws;
    struct gi *g = NULL;
    size_t i, k, n = 0, a, b;
    int rc = 0;

    if (!in || !v || !group || (!out && ngroups) ||
        v->npledges != in->npledges)
        return bp_error_set(err, BP_EINVAL, "verification groups: bad input");
    bp_spanset_init(&ps);
    bp_spanset_init(&ws);
    g = bp_calloc(in->npledges ? in->npledges : 1, sizeof(*g));
    if (!g) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < in->npledges; i++) {
        if (group[i] == UINT32_MAX || !v->pledges[i].active)
            continue;
        if (group[i] >= ngroups) {
            rc = bp_error_set(err, BP_EINVAL,
                              "pledge %zu: group %u out of range", i,
                              group[i]);
            goto out;
        }
        g[n].group = group[i];
        g[n++].pledge = (uint32_t)i;
    }
    qsort(g, n, sizeof(*g), by_group);
    for (i = 0; i < ngroups; i++) {
        memset(&out[i], 0, sizeof(out[i]));
        out[i].last_day = BP_DATE_NONE;
    }
    for (a = 0; a < n; a = b) {
        struct bp_verify_group *o = &out[g[a].group];
        bp_spanset_clear(&ps);
        bp_spanset_clear(&ws);
        for (b = a; b < n && g[b].group == g[a].group && !rc; b++) {
            const struct bp_pledge_verify *pv = &v->pledges[g[b].pledge];
            rc = bp_spanset_add(&ps, in->pledges[g[b].pledge].from_m,
                                in->pledges[g[b].pledge].to_m);
            for (k = 0; k < pv->nparts && !rc; k++)
                rc = bp_spanset_add(&ws, pv->parts[k].from_m,
                                    pv->parts[k].to_m);
            o->pledges++;
            if (pv->last_day != BP_DATE_NONE &&
                (o->last_day == BP_DATE_NONE || pv->last_day > o->last_day))
                o->last_day = pv->last_day;
        }
        if (rc) {
            rc = bp_error_set(err, BP_ENOMEM, "out of memory");
            goto out;
        }
        bp_spanset_normalise(&ps);
        bp_spanset_normalise(&ws);
        o->pledged_m = bp_spanset_length(&ps);
        o->walked_m = bp_spanset_length(&ws);
    }
out:
    bp_free(g);
    bp_spanset_release(&ps);
    bp_spanset_release(&ws);
    return rc;
}

int bp_overdue_compute(const struct bp_verify_input *in, int32_t as_of,
                       int days, struct bp_overdue **out, size_t *n,
                       struct bp_error *err)
{
    struct bp_overdue *v = NULL, *nv;
    size_t nv_n = 0, cap = 0, i, k, np;
    struct work w;
    int32_t cutoff = as_of - days;
    int rc;

    if (!out || !n || days < 0)
        return bp_error_set(err, BP_EINVAL, "overdue: bad arguments");
    rc = check_input(in, err);
    if (rc)
        return rc;
    rc = work_init(&w, in);
    for (i = 0; i < in->npledges && !rc; i++) {
        const struct bp_vpledge *p = &in->pledges[i];
        double at = p->from_m;

        if (!bp_active_on(p->signed_on, p->ended_on, as_of) ||
            !(p->to_m > p->from_m))
            continue;
        rc = last_walked(&w, i, BP_DATE_NONE, as_of, &np);
        /* Parts are sorted and disjoint; walk the pledge through them. */
        for (k = 0; k <= w.nparts && !rc; k++) {
            double pf = k < w.nparts ? w.parts[k].from_m : p->to_m;
            struct bp_overdue o[2];
            int m = 0, j;

            if (pf > at) {
                o[m].from_m = at, o[m].to_m = pf;
                o[m++].last_day = BP_DATE_NONE;
            }
            if (k < w.nparts && w.parts[k].last_day <= cutoff) {
                o[m].from_m = w.parts[k].from_m, o[m].to_m = w.parts[k].to_m;
                o[m++].last_day = w.parts[k].last_day;
            }
            if (k < w.nparts)
                at = w.parts[k].to_m;
            for (j = 0; j < m; j++) {
                o[j].pledge = i;
                /* Join with the previous part of the same pledge when
                 * they touch and were last walked the same day. */
                if (nv_n && v[nv_n - 1].pledge == i &&
                    v[nv_n - 1].to_m >= o[j].from_m &&
                    v[nv_n - 1].last_day == o[j].last_day) {
                    v[nv_n - 1].to_m = o[j].to_m;
                    continue;
                }
                if (nv_n == cap) {
                    cap = cap ? 2 * cap : 64;
                    nv = bp_reallocarray(v, cap, sizeof(*v));
                    if (!nv) {
                        rc = BP_ENOMEM;
                        break;
                    }
                    v = nv;
                }
                v[nv_n++] = o[j];
            }
        }
    }
    work_release(&w);
    if (rc) {
        bp_free(v);
        return bp_error_set(err, rc, "out of memory listing overdue "
                                     "stretches");
    }
    *out = v;
    *n = nv_n;
    return 0;
}
