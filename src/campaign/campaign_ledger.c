/* SPDX-License-Identifier: MIT */
/*
 * The campaign's ledger: checks that the donations and expenses agree
 * with one another (receipts never fulfil more than their promise, the
 * cash balance never drops below zero in date order) and the totals by
 * donor kind, month, road project and donor, all in int64_t đồng with
 * every sum overflow-checked.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/campaign.h"
#include "bienphong/date.h"
#include "campaign/campaign_int.h"

/* ---- an index of records by id ---- */

struct id_ref {
    const char *id;
    size_t i;
};

static int cmp_ref(const void *a, const void *b)
{
    return strcmp(((const struct id_ref *)a)->id,
                  ((const struct id_ref *)b)->id);
}

int bp__camp_index_build(struct bp__camp_index *x, const void *recs,
                         size_t n, size_t stride, size_t id_offset)
{
    size_t i;

    x->v = NULL;
    x->n = 0;
    if (!n)
        return 0;
    x->v = bp_calloc(n, sizeof(*x->v));
    if (!x->v)
        return BP_ENOMEM;
    for (i = 0; i < n; i++) {
        x->v[i].id = (const char *)recs + i * stride + id_offset;
        x->v[i].i = i;
    }
    x->n = n;
    qsort(x->v, n, sizeof(*x->v), cmp_ref);
    return 0;
}

long bp__camp_index_find(const struct bp__camp_index *x, const char *id)
{
    struct id_ref key, *hit;

    if (!id || !*id || !x->n)
        return -1;
    key.id = id;
    key.i = 0;
    hit = bsearch(&key, x->v, x->n, sizeof(*x->v), cmp_ref);
    return hit ? (long)hit->i : -1;
}

void bp__camp_index_release(struct bp__camp_index *x)
{
    bp_free(x->v);
    x->v = NULL;
    x->n = 0;
}

/* ---- checks ---- */

static int in_campaign(const struct bp_ledger_input *in, const char *cid)
{
    return !in->campaign || !in->campaign->id[0] ||
           !strcmp(in->campaign->id, cid);
}

static const char *donation_name(const struct bp_donation *d)
{
    return d->receipt_no && *d->receipt_no ? d->receipt_no : d->id;
}

static const char *expense_name(const struct bp_expense *e)
{
    return e->doc_no && *e->doc_no ? e->doc_no : e->id;
}

/* A cash movement in date order: receipts (+) before expenses (-). */
struct move {
    int32_t on;
    int out;   /* 0 receipt, 1 expense */
    size_t i;  /* index of the record */
    int64_t vnd;
};

static int cmp_move(const void *a, const void *b)
{
    const struct move *x = a, *y = b;

    if (x->on != y->on)
        return x->on < y->on ? -1 : 1;
    if (x->out != y->out)
        return x->out - y->out;
    return x->i < y->i ? -1 : x->i > y->i;
}

static int check_fulfilment(const struct bp_ledger_input *in,
                            const struct bp__camp_index *dons,
                            int64_t *fulfilled, struct bp_error *err)
{
    const struct bp_donation *d, *p;
    int64_t sum;
    char a[32], b[32];
    size_t i;
    long j;

    for (i = 0; i < in->ndonations; i++) {
        d = &in->donations[i];
        if (!in_campaign(in, d->campaign_id) || !d->fulfils_id[0])
            continue;
        if (d->status != BP_RECEIVED)
            return bp_error_set_at(err, BP_ECONFLICT, NULL, 0, "fulfils",
                                   "donation '%s' is a promise and cannot "
                                   "fulfil another promise",
                                   donation_name(d));
        j = bp__camp_index_find(dons, d->fulfils_id);
        if (j < 0)
            return bp_error_set_at(err, BP_ENOTFOUND, NULL, 0, "fulfils",
                                   "receipt '%s' fulfils promise '%s', "
                                   "which does not exist",
                                   donation_name(d), d->fulfils_id);
        p = &in->donations[j];
        if (p->status != BP_PROMISED)
            return bp_error_set_at(err, BP_ECONFLICT, NULL, 0, "fulfils",
                                   "receipt '%s' fulfils '%s', which is "
                                   "not a promise",
                                   donation_name(d), donation_name(p));
        if (strcmp(p->donor_id, d->donor_id) ||
            strcmp(p->campaign_id, d->campaign_id))
            return bp_error_set_at(err, BP_ECONFLICT, NULL, 0, "fulfils",
                                   "receipt '%s' fulfils promise '%s' of "
                                   "another donor or campaign",
                                   donation_name(d), donation_name(p));
        if (bp_money_add(fulfilled[j], d->amount_vnd, &sum))
            return bp_error_set_at(err, BP_EOVERFLOW, NULL, 0, "amount_vnd",
                                   "receipt '%s': the receipts of promise "
                                   "'%s' overflow",
                                   donation_name(d), donation_name(p));
        if (sum > p->amount_vnd)
            return bp_error_set_at(
                err, BP_ECONFLICT, NULL, 0, "amount_vnd",
                "receipt '%s' of %s đồng fulfils more than promise '%s': "
                "receipts add up to %s đồng of a %s đồng promise",
                donation_name(d),
                bp_fmt_int(d->amount_vnd, BP_LANG_VI, a, sizeof(a)),
                donation_name(p), bp_fmt_int(sum, BP_LANG_VI, b, sizeof(b)),
                bp_fmt_int(p->amount_vnd, BP_LANG_VI, (char[32]){0}, 32));
        fulfilled[j] = sum;
    }
    return 0;
}

static int check_balance(const struct bp_ledger_input *in,
                         struct bp_error *err)
{
    struct move *mv = NULL;
    size_t i, n = 0;
    int64_t bal = 0;
    char a[32], b[32], day[16];
    int rc = 0;

    mv = bp_calloc(in->ndonations + in->nexpenses + 1, sizeof(*mv));
    if (!mv)
        return bp_error_set(err, BP_ENOMEM, "out of memory");
    for (i = 0; i < in->ndonations; i++) {
        const struct bp_donation *d = &in->donations[i];
        if (in_campaign(in, d->campaign_id) && d->status == BP_RECEIVED &&
            d->form == BP_CASH)
            mv[n++] = (struct move){d->on, 0, i, d->amount_vnd};
    }
    for (i = 0; i < in->nexpenses; i++) {
        const struct bp_expense *e = &in->expenses[i];
        if (!in_campaign(in, e->campaign_id))
            continue;
        if (e->amount_vnd <= 0) {
            rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "amount_vnd",
                                 "expense '%s': amount %lld đồng is not a "
                                 "positive amount",
                                 expense_name(e), (long long)e->amount_vnd);
            goto out;
        }
        mv[n++] = (struct move){e->on, 1, i, e->amount_vnd};
    }
    qsort(mv, n, sizeof(*mv), cmp_move);
    for (i = 0; i < n; i++) {
        if (!mv[i].out) {
            if (bp_money_add(bal, mv[i].vnd, &bal)) {
                rc = bp_error_set_at(
                    err, BP_EOVERFLOW, NULL, 0, "amount_vnd",
                    "receipt '%s': the balance overflows",
                    donation_name(&in->donations[mv[i].i]));
                goto out;
            }
            continue;
        }
        if (mv[i].vnd > bal) {
            const struct bp_expense *e = &in->expenses[mv[i].i];
            rc = bp_error_set_at(
                err, BP_ERANGE, NULL, 0, "amount_vnd",
                "expense '%s' of %s đồng on %s is more than the balance: "
                "only %s đồng received in cash and not yet spent",
                expense_name(e), bp_fmt_int(e->amount_vnd, BP_LANG_VI, a,
                                            sizeof(a)),
                bp_date_format_vi(e->on, day),
                bp_fmt_int(bal, BP_LANG_VI, b, sizeof(b)));
            goto out;
        }
        bal -= mv[i].vnd;
    }
out:
    bp_free(mv);
    return rc;
}

int bp_ledger_check(const struct bp_ledger_input *in, struct bp_error *err)
{
    struct bp__camp_index donors = {0}, dons = {0};
    int64_t *fulfilled = NULL;
    size_t i;
    int rc;

    if (!in || (in->ndonations && !in->donations) ||
        (in->nexpenses && !in->expenses) || (in->ndonors && !in->donors))
        return bp_error_set(err, BP_EINVAL, "bp_ledger_check: bad input");
    rc = bp__camp_index_build(&donors, in->donors, in->ndonors,
                              sizeof(*in->donors),
                              offsetof(struct bp_donor, id));
    if (!rc)
        rc = bp__camp_index_build(&dons, in->donations, in->ndonations,
                                  sizeof(*in->donations),
                                  offsetof(struct bp_donation, id));
    fulfilled = bp_calloc(in->ndonations + 1, sizeof(*fulfilled));
    if (rc || !fulfilled) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < in->ndonations; i++) {
        const struct bp_donation *d = &in->donations[i];
        if (!in_campaign(in, d->campaign_id))
            continue;
        if (bp__camp_index_find(&donors, d->donor_id) < 0) {
            rc = bp_error_set_at(err, BP_ENOTFOUND, NULL, 0, "donor",
                                 "donation '%s': no donor '%s'",
                                 donation_name(d), d->donor_id);
            goto out;
        }
        if (d->amount_vnd < 0) {
            rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "amount_vnd",
                                 "donation '%s': amount %lld đồng is "
                                 "negative",
                                 donation_name(d), (long long)d->amount_vnd);
            goto out;
        }
    }
    rc = check_fulfilment(in, &dons, fulfilled, err);
    if (!rc)
        rc = check_balance(in, err);
out:
    bp_free(fulfilled);
    bp__camp_index_release(&donors);
    bp__camp_index_release(&dons);
    return rc;
}

/* ---- totals ---- */

/* Add a donation to a row. */
static int row_donation(struct bp_ledger_row *r, const struct bp_donation *d,
                        int count_promise)
{
    int rc = 0;

    r->donations++;
    if (d->status == BP_PROMISED) {
        if (count_promise)
            rc = bp_money_add(r->promised_vnd, d->amount_vnd,
                              &r->promised_vnd);
        return rc;
    }
    rc = bp_money_add(r->received_vnd, d->amount_vnd, &r->received_vnd);
    if (!rc && d->form == BP_CASH)
        rc = bp_money_add(r->cash_vnd, d->amount_vnd, &r->cash_vnd);
    else if (!rc && d->form == BP_IN_KIND)
        rc = bp_money_add(r->in_kind_vnd, d->amount_vnd, &r->in_kind_vnd);
    else if (!rc)
        rc = bp_money_add(r->labour_vnd, d->amount_vnd, &r->labour_vnd);
    return rc;
}

static int month_key(int32_t day)
{
    int y, m;

    bp_date_to_ymd(day, &y, &m, NULL);
    return y * 12 + (m - 1);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return x < y ? -1 : x > y;
}

static long find_month(const int *keys, size_t n, int key)
{
    const int *hit = bsearch(&key, keys, n, sizeof(*keys), cmp_int);

    return hit ? hit - keys : -1;
}

static int cmp_donor_row(const void *a, const void *b)
{
    const struct bp_ledger_donor *x = a, *y = b;

    if (x->t.received_vnd != y->t.received_vnd)
        return x->t.received_vnd > y->t.received_vnd ? -1 : 1;
    if (x->t.promised_vnd != y->t.promised_vnd)
        return x->t.promised_vnd > y->t.promised_vnd ? -1 : 1;
    return x->donor < y->donor ? -1 : x->donor > y->donor;
}

int bp_ledger_compute(const struct bp_ledger_input *in, int public_view,
                      struct bp_ledger *out, struct bp_error *err)
{
    struct bp_ledger l = {0};
    struct bp__camp_index donors = {0}, roads = {0}, dons = {0};
    int64_t *fulfilled = NULL;
    long *donor_row = NULL;
    int *keys = NULL;
    size_t nkeys = 0, i, k;
    long di, ri, mi;
    int rc = 0;

    if (!in || !out)
        return bp_error_set(err, BP_EINVAL, "bp_ledger_compute: bad input");
    if (bp__camp_index_build(&donors, in->donors, in->ndonors,
                             sizeof(*in->donors),
                             offsetof(struct bp_donor, id)) ||
        bp__camp_index_build(&roads, in->roads, in->nroads,
                             sizeof(*in->roads),
                             offsetof(struct bp_road, id)) ||
        bp__camp_index_build(&dons, in->donations, in->ndonations,
                             sizeof(*in->donations),
                             offsetof(struct bp_donation, id)))
        goto oom;
    fulfilled = bp_calloc(in->ndonations + 1, sizeof(*fulfilled));
    donor_row = bp_calloc(in->ndonors + 1, sizeof(*donor_row));
    keys = bp_calloc(in->ndonations + in->nexpenses + 1, sizeof(*keys));
    l.projects = bp_calloc(in->nroads + 1, sizeof(*l.projects));
    l.donors = bp_calloc(in->ndonors + 1, sizeof(*l.donors));
    if (!fulfilled || !donor_row || !keys || !l.projects || !l.donors)
        goto oom;
    l.nprojects = in->nroads;
    for (i = 0; i < in->ndonors; i++)
        donor_row[i] = -1;

    /* Months that have anything. */
    for (i = 0; i < in->ndonations; i++)
        if (in_campaign(in, in->donations[i].campaign_id))
            keys[nkeys++] = month_key(in->donations[i].on);
    for (i = 0; i < in->nexpenses; i++)
        if (in_campaign(in, in->expenses[i].campaign_id))
            keys[nkeys++] = month_key(in->expenses[i].on);
    qsort(keys, nkeys, sizeof(*keys), cmp_int);
    for (i = k = 0; i < nkeys; i++)
        if (!k || keys[k - 1] != keys[i])
            keys[k++] = keys[i];
    nkeys = k;
    l.months = bp_calloc(nkeys + 1, sizeof(*l.months));
    if (!l.months)
        goto oom;
    l.nmonths = nkeys;
    for (i = 0; i < nkeys; i++) {
        l.months[i].year = keys[i] / 12;
        l.months[i].month = keys[i] % 12 + 1;
    }

    for (i = 0; i < in->ndonations && !rc; i++) {
        const struct bp_donation *d = &in->donations[i];
        struct bp_ledger_row *proj;

        if (!in_campaign(in, d->campaign_id))
            continue;
        rc = row_donation(&l.total, d, 1);
        di = bp__camp_index_find(&donors, d->donor_id);
        if (!rc && di >= 0) {
            const struct bp_donor *dn = &in->donors[di];
            if ((unsigned)dn->kind < BP_DONOR_NKINDS)
                rc = row_donation(&l.by_kind[dn->kind], d, 1);
            if (donor_row[di] < 0) {
                donor_row[di] = (long)l.ndonors;
                l.donors[l.ndonors].donor = (size_t)di;
                l.donors[l.ndonors].name =
                    public_view && dn->anonymous ? NULL : dn->name;
                l.donors[l.ndonors].kind = dn->kind;
                l.donors[l.ndonors].anonymous = dn->anonymous;
                l.ndonors++;
            }
            if (!rc)
                rc = row_donation(&l.donors[donor_row[di]].t, d, 1);
        }
        mi = find_month(keys, nkeys, month_key(d->on));
        if (!rc && mi >= 0)
            rc = row_donation(&l.months[mi].t, d, 1);
        ri = bp__camp_index_find(&roads, d->road_id);
        proj = ri >= 0 ? &l.projects[ri] : &l.unassigned;
        if (!rc)
            rc = row_donation(proj, d, 1);
        if (!rc && d->status == BP_RECEIVED && d->fulfils_id[0]) {
            long pj = bp__camp_index_find(&dons, d->fulfils_id);
            if (pj >= 0)
                rc = bp_money_add(fulfilled[pj], d->amount_vnd,
                                  &fulfilled[pj]);
        }
    }
    for (i = 0; i < in->nexpenses && !rc; i++) {
        const struct bp_expense *e = &in->expenses[i];

        if (!in_campaign(in, e->campaign_id))
            continue;
        rc = bp_money_add(l.total.spent_vnd, e->amount_vnd,
                          &l.total.spent_vnd);
        mi = find_month(keys, nkeys, month_key(e->on));
        if (!rc && mi >= 0)
            rc = bp_money_add(l.months[mi].t.spent_vnd, e->amount_vnd,
                              &l.months[mi].t.spent_vnd);
        ri = bp__camp_index_find(&roads, e->road_id);
        if (!rc) {
            struct bp_ledger_row *p = ri >= 0 ? &l.projects[ri]
                                              : &l.unassigned;
            rc = bp_money_add(p->spent_vnd, e->amount_vnd, &p->spent_vnd);
        }
    }
    for (i = 0; i < in->ndonations && !rc; i++) {
        const struct bp_donation *d = &in->donations[i];
        if (in_campaign(in, d->campaign_id) && d->status == BP_PROMISED &&
            d->amount_vnd > fulfilled[i])
            rc = bp_money_add(l.outstanding_vnd,
                              d->amount_vnd - fulfilled[i],
                              &l.outstanding_vnd);
    }
    if (!rc)
        rc = bp_money_sub(l.total.cash_vnd, l.total.spent_vnd,
                          &l.balance_vnd);
    if (rc) {
        rc = bp_error_set(err, BP_EOVERFLOW,
                          "the ledger's totals overflow 64-bit đồng");
        goto out;
    }
    qsort(l.donors, l.ndonors, sizeof(*l.donors), cmp_donor_row);
    goto out;
oom:
    rc = bp_error_set(err, BP_ENOMEM, "out of memory");
out:
    bp_free(fulfilled);
    bp_free(donor_row);
    bp_free(keys);
    bp__camp_index_release(&donors);
    bp__camp_index_release(&roads);
    bp__camp_index_release(&dons);
    if (rc) {
        bp_ledger_release(&l);
        return rc;
    }
    *out = l;
    return 0;
}

void bp_ledger_release(struct bp_ledger *l)
{
    if (!l)
        return;
    bp_free(l->months);
    bp_free(l->projects);
    bp_free(l->donors);
    memset(l, 0, sizeof(*l));
}
