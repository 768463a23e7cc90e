/* SPDX-License-Identifier: MIT */
/*
 * The campaign's record API of struct bp_store: the checks of each record
 * on its own and against the others it touches (the ledger, the border,
 * the road a light is on), the derived fields (ids, labour value,
 * measures from marker anchors, a light's road), and dispatch to the
 * backend's generic put and list.
 */
#include <math.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/text.h"
#include "store/store_campaign_int.h"
#include "store/store_int.h"

#define OPS(st) ((st)->ops->campaign)

/* The campaign's records need the backend's campaign operations too. */
static int need_store(struct bp_store *st, const void *rec,
                      struct bp_error *err)
{
    return bp__store_need_store(st && OPS(st) ? st : NULL, rec, err);
}

/* ---- lists ---- */

#define LIST_FNS(R, K)                                                       \
    int bp_store_##R##_list(struct bp_store *st, struct bp_##R **v,          \
                            size_t *n, struct bp_error *err)                 \
    {                                                                        \
        void *p = NULL;                                                      \
        size_t m = 0;                                                        \
        int rc;                                                              \
        if (!st || !v || !n || !OPS(st))                                     \
            return bp_error_set(err, BP_EINVAL, "no store given");           \
        rc = OPS(st)->list(st, K, &p, &m, err);                              \
        if (!rc) {                                                           \
            *v = p;                                                          \
            *n = m;                                                          \
        }                                                                    \
        return rc;                                                           \
    }                                                                        \
    void bp_store_##R##_list_free(struct bp_##R *v, size_t n)                \
    {                                                                        \
        size_t i;                                                            \
        for (i = 0; v && i < n; i++)                                         \
            bp_##R##_release(&v[i]);                                         \
        bp_free(v);                                                          \
    }

LIST_FNS(campaign, BP__CAMPAIGN)
LIST_FNS(donor, BP__DONOR)
LIST_FNS(donation, BP__DONATION)
LIST_FNS(expense, BP__EXPENSE)
LIST_FNS(road, BP__ROAD)
LIST_FNS(road_progress, BP__ROAD_PROGRESS)
LIST_FNS(bamboo, BP__BAMBOO)
LIST_FNS(bamboo_check, BP__BAMBOO_CHECK)
LIST_FNS(light, BP__LIGHT)
LIST_FNS(light_check, BP__LIGHT_CHECK)
LIST_FNS(event, BP__EVENT)
LIST_FNS(award, BP__AWARD)

/* ---- find by id or name ---- */

/* Index in `v` (n records of `size` bytes; id at offset 0, name pointer
 * at `name_off`) of `ref`, or a negative code with the message set. */
static long find_ref(const void *v, size_t n, size_t size, size_t name_off,
                     const char *ref, const char *what,
                     struct bp_error *err)
{
    char *f = NULL, *g;
    const char *name;
    long hit = -1;
    size_t i, nhit = 0;

    if (!ref || !*ref) {
        if (n == 1)
            return 0;
        return bp_error_set(err, n ? BP_ECONFLICT : BP_ENOTFOUND,
                            n ? "several %ss: name one" : "no %s yet",
                            what);
    }
    for (i = 0; i < n; i++)
        if (!strcasecmp((const char *)v + i * size, ref))
            return (long)i;
    f = bp_text_fold(ref);
    if (!f)
        return bp_error_set(err, BP_ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        memcpy(&name, (const char *)v + i * size + name_off, sizeof(name));
        g = bp_text_fold(name);
        if (g && !strcmp(f, g)) {
            hit = (long)i;
            nhit++;
        }
        bp_free(g);
    }
    bp_free(f);
    if (nhit == 1)
        return hit;
    return bp_error_set(err, nhit ? BP_ECONFLICT : BP_ENOTFOUND,
                        nhit ? "several %ss are called '%s': use the id"
                             : "no %s '%s'",
                        what, ref);
}

#define FIND_FN(R, what)                                                     \
    int bp_store_##R##_find(struct bp_store *st, const char *ref,            \
                            struct bp_##R *rec, struct bp_error *err)        \
    {                                                                        \
        struct bp_##R *v = NULL;                                             \
        size_t n = 0;                                                        \
        long i;                                                              \
        int rc = bp_store_##R##_list(st, &v, &n, err);                       \
        if (rc)                                                              \
            return rc;                                                       \
        i = find_ref(v, n, sizeof(*v), offsetof(struct bp_##R, name), ref,  \
                     what, err);                                             \
        if (i >= 0) {                                                        \
            *rec = v[i];                                                     \
            memset(&v[i], 0, sizeof(v[i]));                                  \
            rc = 0;                                                          \
        } else {                                                             \
            rc = (int)i;                                                     \
        }                                                                    \
        bp_store_##R##_list_free(v, n);                                      \
        return rc;                                                           \
    }

FIND_FN(campaign, "campaign")
FIND_FN(donor, "donor")
FIND_FN(road, "road project")

/* ---- the border and anchors ---- */

/* Derive the measure of a marker anchor from the stored markers. */
static int resolve(struct bp_store *st, struct bp_anchor *a,
                   const char *what, const char *name, const char *field,
                   struct bp_error *err)
{
    struct bp_marker m = {0};
    char key[32];
    int rc;

    if (!a->marker_key[0]) {
        if (!isfinite(a->measure_m))
            return bp_error_set_at(err, BP_EINVAL, NULL, 0, field,
                                   "%s '%s': the measure is not a number",
                                   what, name);
        return 0;
    }
    if (bp_marker_key(a->marker_key, key, sizeof(key)))
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, field,
                               "%s '%s': '%s' is not a marker number", what,
                               name, a->marker_key);
    rc = bp_store_marker_get(st, key, &m, err);
    if (rc == BP_ENOTFOUND)
        return bp_error_set_at(err, BP_ENOTFOUND, NULL, 0, field,
                               "%s '%s': no marker '%s'", what, name,
                               a->marker_key);
    if (rc)
        return rc;
    memcpy(a->marker_key, key, sizeof(key));
    a->measure_m = m.measure_m + (isfinite(a->offset_m) ? a->offset_m : 0);
    bp_marker_release(&m);
    return 0;
}

static int on_border(const struct bp_border *b, double m, const char *what,
                     const char *name, const char *field,
                     struct bp_error *err)
{
    char km[32], len[32];
    double l = bp_border_length_m(b);

    if (m >= -0.5 && m <= l + 0.5)
        return 0;
    return bp_error_set_at(err, BP_ERANGE, NULL, 0, field,
                           "%s '%s': km %s is outside the border (0 to "
                           "%s km)",
                           what, name,
                           bp_fmt_number(m / 1000, 3, BP_LANG_VI, km,
                                         sizeof(km)),
                           bp_fmt_number(l / 1000, 3, BP_LANG_VI, len,
                                         sizeof(len)));
}

/* Check a stretch from/to: resolved, on the border, non-empty. */
static int stretch(struct bp_store *st, struct bp_anchor *from,
                   struct bp_anchor *to, const char *what, const char *name,
                   struct bp_error *err)
{
    const struct bp_border *b = NULL;
    int rc;

    rc = resolve(st, from, what, name, "from", err);
    if (!rc)
        rc = resolve(st, to, what, name, "to", err);
    if (!rc)
        rc = bp__store_border_needed(st, &b, err);
    if (!rc)
        rc = on_border(b, from->measure_m, what, name, "from", err);
    if (!rc)
        rc = on_border(b, to->measure_m, what, name, "to", err);
    if (!rc && !(to->measure_m > from->measure_m))
        rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "to",
                             "%s '%s': the stretch ends before it starts",
                             what, name);
    return rc;
}

/* ---- puts ---- */

int bp_store_campaign_put(struct bp_store *st, struct bp_campaign *rec,
                          struct bp_error *err)
{
    struct bp_campaign r;
    int rc;

    if ((rc = need_store(st, rec, err)))
        return rc;
    r = *rec;
    rc = bp__store_need_text(r.name, "name", "campaign", err);
    if (!rc && r.starts_on == BP_DATE_NONE)
        rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "starts_on",
                             "campaign '%s' needs a start date", r.name);
    if (!rc && r.ends_on != BP_DATE_NONE && r.ends_on < r.starts_on)
        rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "ends_on",
                             "campaign '%s' ends before it starts", r.name);
    if (!rc && r.goal_vnd < 0)
        rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "goal_vnd",
                             "campaign '%s': the goal is negative", r.name);
    if (!rc && r.labour_day_vnd < 0)
        rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "labour_day_vnd",
                             "campaign '%s': the labour-day rate is "
                             "negative",
                             r.name);
    if (!rc && !(isfinite(r.goal_road_m) && r.goal_road_m >= 0))
        rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "goal_road_m",
                             "campaign '%s': the road goal is not a length",
                             r.name);
    if (!rc)
        rc = bp__store_prepare_id(r.id, err);
    if (!rc)
        rc = OPS(st)->put(st, BP__CAMPAIGN, &r, err);
    if (!rc)
        *rec = r;
    return rc;
}

int bp_store_donor_put(struct bp_store *st, struct bp_donor *rec,
                       struct bp_error *err)
{
    struct bp_donor r;
    int rc;

    if ((rc = need_store(st, rec, err)))
        return rc;
    r = *rec;
    rc = bp__store_need_text(r.name, "name", "donor", err);
    if (!rc && (unsigned)r.kind >= BP_DONOR_NKINDS)
        rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "kind",
                             "donor '%s' has an unknown kind", r.name);
    r.anonymous = r.anonymous != 0;
    if (!rc)
        rc = bp__store_prepare_id(r.id, err);
    if (!rc)
        rc = OPS(st)->put(st, BP__DONOR, &r, err);
    if (!rc)
        *rec = r;
    return rc;
}

/* Check the ledger of `campaign_id` with `don` or `exp` put in place of
 * the record with the same id (or added). */
static int ledger_with(struct bp_store *st, const char *campaign_id,
                       const struct bp_donation *don,
                       const struct bp_expense *exp, struct bp_error *err)
{
    struct bp_campaign *cv = NULL;
    struct bp_donor *dv = NULL;
    struct bp_donation *nv = NULL, *dons = NULL;
    struct bp_expense *ev = NULL, *exps = NULL;
    size_t nc = 0, nd = 0, nn = 0, ne = 0, i, k;
    struct bp_ledger_input in = {0};
    long ci = -1;
    int rc;

    rc = bp_store_campaign_list(st, &cv, &nc, err);
    if (!rc)
        rc = bp_store_donor_list(st, &dv, &nd, err);
    if (!rc)
        rc = bp_store_donation_list(st, &nv, &nn, err);
    if (!rc)
        rc = bp_store_expense_list(st, &ev, &ne, err);
    if (rc)
        goto out;
    for (i = 0; i < nc; i++)
        if (!strcmp(cv[i].id, campaign_id))
            ci = (long)i;
    if (ci < 0) {
        rc = bp_error_set_at(err, BP_ENOTFOUND, NULL, 0, "campaign",
                             "no campaign '%s'", campaign_id);
        goto out;
    }
    /* Shallow copies: the strings stay owned by the lists. */
    dons = bp_calloc(nn + 1, sizeof(*dons));
    exps = bp_calloc(ne + 1, sizeof(*exps));
    if (!dons || !exps) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    for (i = k = 0; i < nn; i++)
        if (!don || strcmp(nv[i].id, don->id))
            dons[k++] = nv[i];
    if (don)
        dons[k++] = *don;
    in.ndonations = k;
    for (i = k = 0; i < ne; i++)
        if (!exp || strcmp(ev[i].id, exp->id))
            exps[k++] = ev[i];
    if (exp)
        exps[k++] = *exp;
    in.nexpenses = k;
    in.campaign = &cv[ci];
    in.donors = dv;
    in.ndonors = nd;
    in.donations = dons;
    in.expenses = exps;
    rc = bp_ledger_check(&in, err);
out:
    bp_free(dons);
    bp_free(exps);
    bp_store_campaign_list_free(cv, nc);
    bp_store_donor_list_free(dv, nd);
    bp_store_donation_list_free(nv, nn);
    bp_store_expense_list_free(ev, ne);
    return rc;
}

int bp_store_donation_put(struct bp_store *st, struct bp_donation *rec,
                          struct bp_error *err)
{
    struct bp_donation r;
    struct bp_campaign c = {0};
    int rc;

    if ((rc = need_store(st, rec, err)))
        return rc;
    r = *rec;
    rc = bp__store_prepare_id(r.id, err);
    if (!rc)
        rc = bp__store_need_text(r.campaign_id, "campaign", "donation", err);
    if (!rc)
        rc = bp__store_need_text(r.donor_id, "donor", "donation", err);
    if (!rc) {
        rc = bp_store_campaign_find(st, r.campaign_id, &c, err);
        if (rc == BP_ENOTFOUND)
            bp_error_set_at(err, rc, NULL, 0, "campaign",
                            "donation '%s': no campaign '%s'",
                            r.receipt_no ? r.receipt_no : r.id,
                            r.campaign_id);
    }
    if (!rc) {
        memcpy(r.campaign_id, c.id, sizeof(bp_uuid));
        rc = bp_donation_value(&r, c.labour_day_vnd, err);
    }
    if (!rc && r.status == BP_RECEIVED && r.form == BP_CASH &&
        !(r.receipt_no && *r.receipt_no))
        rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "receipt_no",
                             "cash receipt '%s' needs a receipt number",
                             r.id);
    bp_campaign_release(&c);
    if (!rc)
        rc = ledger_with(st, r.campaign_id, &r, NULL, err);
    if (!rc)
        rc = OPS(st)->put(st, BP__DONATION, &r, err);
    if (!rc)
        *rec = r;
    return rc;
}

int bp_store_expense_put(struct bp_store *st, struct bp_expense *rec,
                         struct bp_error *err)
{
    struct bp_expense r;
    int rc;

    if ((rc = need_store(st, rec, err)))
        return rc;
    r = *rec;
    rc = bp__store_need_text(r.doc_no, "doc_no", "expense", err);
    if (!rc)
        rc = bp__store_need_text(r.campaign_id, "campaign", "expense", err);
    if (!rc && r.on == BP_DATE_NONE)
        rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "date",
                             "expense '%s' needs a date", r.doc_no);
    if (!rc && r.amount_vnd <= 0)
        rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "amount_vnd",
                             "expense '%s': amount %lld đồng is not a "
                             "positive amount",
                             r.doc_no, (long long)r.amount_vnd);
    if (!rc)
        rc = bp__store_prepare_id(r.id, err);
    if (!rc)
        rc = ledger_with(st, r.campaign_id, NULL, &r, err);
    if (!rc)
        rc = OPS(st)->put(st, BP__EXPENSE, &r, err);
    if (!rc)
        *rec = r;
    return rc;
}

int bp_store_road_put(struct bp_store *st, struct bp_road *rec,
                      struct bp_error *err)
{
    const struct bp_border *b = NULL;
    struct bp_road r;
    size_t i;
    int rc;

    if ((rc = need_store(st, rec, err)))
        return rc;
    r = *rec;
    rc = bp__store_need_text(r.name, "name", "road project", err);
    if (!rc && r.budget_vnd < 0)
        rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "budget_vnd",
                             "road '%s': the budget is negative", r.name);
    if (!rc && !(isfinite(r.planned_m) && r.planned_m >= 0))
        rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "planned_m",
                             "road '%s': the planned length is not a "
                             "length",
                             r.name);
    if (rc)
        return rc;
    if (r.kind == BP_ROAD_ALONG) {
        rc = stretch(st, &r.from, &r.to, "road", r.name, err);
    } else if (r.kind == BP_ROAD_PATH) {
        rc = resolve(st, &r.from, "road", r.name, "from", err);
        if (!rc)
            rc = bp__store_border_needed(st, &b, err);
        if (!rc)
            rc = on_border(b, r.from.measure_m, "road", r.name, "from", err);
        r.to = r.from;
        if (!rc && r.planned_m <= 0 && r.geom && r.ngeom > 1)
            for (i = 0; i + 1 < r.ngeom; i++)
                r.planned_m += bp_geo_distance_m(r.geom[i], r.geom[i + 1]);
        if (!rc && !(r.planned_m > 0))
            rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "planned_m",
                                 "path '%s' needs a planned length or a "
                                 "geometry",
                                 r.name);
    } else {
        rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "kind",
                             "road '%s' has an unknown kind", r.name);
    }
    if (!rc)
        rc = bp__store_prepare_id(r.id, err);
    if (!rc)
        rc = OPS(st)->put(st, BP__ROAD, &r, err);
    if (!rc)
        *rec = r;
    return rc;
}

int bp_store_road_progress_put(struct bp_store *st,
                               struct bp_road_progress *rec,
                               struct bp_error *err)
{
    struct bp_road_progress r;
    struct bp_road road = {0};
    double a, b;
    char k1[32], k2[32];
    int rc;

    if ((rc = need_store(st, rec, err)))
        return rc;
    r = *rec;
    rc = bp_store_road_find(st, r.road_id, &road, err);
    if (rc == BP_ENOTFOUND)
        bp_error_set_at(err, rc, NULL, 0, "road", "no road project '%s'",
                        r.road_id);
    if (rc)
        return rc;
    memcpy(r.road_id, road.id, sizeof(bp_uuid));
    bp_road_extent(&road, &a, &b);
    if (r.on == BP_DATE_NONE)
        rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "date",
                             "progress of road '%s' needs a date",
                             road.name);
    else if (!(isfinite(r.from_m) && isfinite(r.to_m) && r.to_m > r.from_m))
        rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "to",
                             "progress of road '%s': the stretch built is "
                             "empty",
                             road.name);
    else if (r.from_m < a - 0.5 || r.to_m > b + 0.5)
        rc = bp_error_set_at(
            err, BP_ERANGE, NULL, 0, r.from_m < a - 0.5 ? "from" : "to",
            "progress of road '%s': the stretch %s–%s km is outside the "
            "road (%s–%s km)",
            road.name,
            bp_fmt_number(r.from_m / 1000, 3, BP_LANG_VI, k1, sizeof(k1)),
            bp_fmt_number(r.to_m / 1000, 3, BP_LANG_VI, k2, sizeof(k2)),
            bp_fmt_number(a / 1000, 3, BP_LANG_VI, (char[32]){0}, 32),
            bp_fmt_number(b / 1000, 3, BP_LANG_VI, (char[32]){0}, 32));
    bp_road_release(&road);
    if (!rc)
        rc = bp__store_prepare_id(r.id, err);
    if (!rc)
        rc = OPS(st)->put(st, BP__ROAD_PROGRESS, &r, err);
    if (!rc)
        *rec = r;
    return rc;
}

int bp_store_bamboo_put(struct bp_store *st, struct bp_bamboo *rec,
                        struct bp_error *err)
{
    struct bp_bamboo r;
    const char *name;
    int rc;

    if ((rc = need_store(st, rec, err)))
        return rc;
    r = *rec;
    rc = bp__store_prepare_id(r.id, err);
    if (rc)
        return rc;
    name = r.id;
    if (r.clumps <= 0)
        rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "clumps",
                             "bamboo planting '%s': %ld clumps is not a "
                             "positive number",
                             name, r.clumps);
    else if (r.households < 0)
        rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "households",
                             "bamboo planting '%s': households are "
                             "negative",
                             name);
    else if (r.planted_on == BP_DATE_NONE)
        rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "date",
                             "bamboo planting '%s' needs a date", name);
    if (!rc)
        rc = stretch(st, &r.from, &r.to, "bamboo planting", name, err);
    if (!rc)
        rc = OPS(st)->put(st, BP__BAMBOO, &r, err);
    if (!rc)
        *rec = r;
    return rc;
}

int bp_store_bamboo_check_put(struct bp_store *st,
                              struct bp_bamboo_check *rec,
                              struct bp_error *err)
{
    struct bp_bamboo_check r;
    struct bp_bamboo *v = NULL;
    size_t n = 0, i;
    long clumps = -1;
    int rc;

    if ((rc = need_store(st, rec, err)))
        return rc;
    r = *rec;
    rc = bp_store_bamboo_list(st, &v, &n, err);
    if (rc)
        return rc;
    for (i = 0; i < n; i++)
        if (!strcasecmp(v[i].id, r.bamboo_id))
            clumps = v[i].clumps;
    bp_store_bamboo_list_free(v, n);
    if (clumps < 0)
        rc = bp_error_set_at(err, BP_ENOTFOUND, NULL, 0, "bamboo",
                             "no bamboo planting '%s'", r.bamboo_id);
    else if (r.alive < 0 || r.alive > clumps)
        rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "alive",
                             "bamboo planting '%s': %ld clumps alive, not "
                             "between 0 and the %ld planted",
                             r.bamboo_id, r.alive, clumps);
    else if (r.on == BP_DATE_NONE)
        rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "date",
                             "a survival check needs a date");
    if (!rc)
        rc = bp__store_prepare_id(r.id, err);
    if (!rc)
        rc = OPS(st)->put(st, BP__BAMBOO_CHECK, &r, err);
    if (!rc)
        *rec = r;
    return rc;
}

int bp_store_light_put(struct bp_store *st, struct bp_light *rec,
                       struct bp_error *err)
{
    const struct bp_border *b = NULL;
    struct bp_light r;
    struct bp_road *roads = NULL;
    struct bp_hit hit;
    size_t n = 0, i = 0;
    double offset = 0;
    int rc;

    if ((rc = need_store(st, rec, err)))
        return rc;
    r = *rec;
    rc = bp__store_prepare_id(r.id, err);
    if (!rc && (unsigned)r.kind > BP_LIGHT_OTHER)
        rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "kind",
                             "light '%s' has an unknown kind", r.id);
    if (!rc && r.installed_on == BP_DATE_NONE)
        rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "date",
                             "light '%s' needs an installation date", r.id);
    if (!rc)
        rc = bp__store_border_needed(st, &b, err);
    if (rc)
        return rc;
    if (isfinite(r.lon) || isfinite(r.lat)) {
        if (bp_border_project(b, r.lon, r.lat, &hit))
            return bp_error_set_at(err, BP_EINVAL, NULL, 0, "position",
                                   "light '%s': %g, %g is not a position",
                                   r.id, r.lon, r.lat);
        r.measure_m = hit.measure_m;
        offset = hit.offset_m;
    } else {
        r.lon = r.lat = NAN;
        rc = on_border(b, r.measure_m, "light", r.id, "position", err);
        if (rc)
            return rc;
    }
    r.working = r.working != 0;
    rc = bp_store_road_list(st, &roads, &n, err);
    if (!rc)
        rc = bp_light_find_road(&r, offset, roads, n, &i, err);
    if (!rc && !r.road_id[0])
        memcpy(r.road_id, roads[i].id, sizeof(bp_uuid));
    if (!rc && !r.commune_id[0])
        memcpy(r.commune_id, roads[i].commune_id, sizeof(bp_uuid));
    bp_store_road_list_free(roads, n);
    if (!rc)
        rc = OPS(st)->put(st, BP__LIGHT, &r, err);
    if (!rc)
        *rec = r;
    return rc;
}

int bp_store_light_check_put(struct bp_store *st, struct bp_light_check *rec,
                             struct bp_error *err)
{
    struct bp_light_check r;
    int rc;

    if ((rc = need_store(st, rec, err)))
        return rc;
    r = *rec;
    r.working = r.working != 0;
    rc = bp__store_need_text(r.light_id, "light", "light check", err);
    if (!rc && r.on == BP_DATE_NONE)
        rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "date",
                             "a light check needs a date");
    if (!rc)
        rc = bp__store_prepare_id(r.id, err);
    if (!rc)
        rc = OPS(st)->put(st, BP__LIGHT_CHECK, &r, err);
    if (!rc)
        *rec = r;
    return rc;
}

int bp_store_event_put(struct bp_store *st, struct bp_event *rec,
                       struct bp_error *err)
{
    struct bp_event r;
    int rc;

    if ((rc = need_store(st, rec, err)))
        return rc;
    r = *rec;
    rc = bp__store_need_text(r.commune_id, "commune", "3 March record", err);
    if (!rc && (r.year < 1990 || r.year > 2100))
        rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "year",
                             "3 March record: year %d is not between 1990 "
                             "and 2100",
                             r.year);
    if (!rc && (r.activities < 0 || r.participants < 0 || r.gifts < 0))
        rc = bp_error_set_at(err, BP_ERANGE, NULL, 0,
                             r.activities < 0     ? "activities"
                             : r.participants < 0 ? "participants"
                                                  : "gifts",
                             "3 March record of %d: a count is negative",
                             r.year);
    if (!rc && (r.gifts_vnd < 0 || r.funds_vnd < 0))
        rc = bp_error_set_at(err, BP_ERANGE, NULL, 0,
                             r.gifts_vnd < 0 ? "gifts_vnd" : "funds_vnd",
                             "3 March record of %d: an amount is negative",
                             r.year);
    if (!rc)
        rc = bp__store_prepare_id(r.id, err);
    if (!rc)
        rc = OPS(st)->put(st, BP__EVENT, &r, err);
    if (!rc)
        *rec = r;
    return rc;
}

int bp_store_award_put(struct bp_store *st, struct bp_award *rec,
                       struct bp_error *err)
{
    struct bp_award r;
    int rc;

    if ((rc = need_store(st, rec, err)))
        return rc;
    r = *rec;
    rc = bp__store_need_text(r.recipient, "recipient", "commendation", err);
    if (!rc)
        rc = bp__store_need_text(r.decision_no, "decision_no",
                                 "commendation", err);
    if (!rc && r.decided_on == BP_DATE_NONE)
        rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "date",
                             "commendation '%s' needs a decision date",
                             r.decision_no);
    if (!rc && ((unsigned)r.level > BP_AWARD_OTHER ||
                (unsigned)r.recipient_kind > BP_RECIP_UNIT))
        rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "level",
                             "commendation '%s': unknown level or "
                             "recipient kind",
                             r.decision_no);
    if (!rc)
        rc = bp__store_prepare_id(r.id, err);
    if (!rc)
        rc = OPS(st)->put(st, BP__AWARD, &r, err);
    if (!rc)
        *rec = r;
    return rc;
}

int bp_store_promise_find(struct bp_store *st, const char *ref, bp_uuid out,
                          struct bp_error *err)
{
    struct bp_donation *v = NULL;
    size_t n = 0, i, hit = 0;
    int rc;

    out[0] = 0;
    rc = bp_store_donation_list(st, &v, &n, err);
    if (rc)
        return rc;
    for (i = 0; i < n; i++)
        if (!strcasecmp(v[i].id, ref) ||
            (v[i].receipt_no && !strcmp(v[i].receipt_no, ref))) {
            memcpy(out, v[i].id, sizeof(bp_uuid));
            hit++;
        }
    bp_store_donation_list_free(v, n);
    if (hit == 1)
        return 0;
    out[0] = 0;
    return hit ? bp_error_set(err, BP_ECONFLICT,
                              "several donations have the number '%s'", ref)
               : bp_error_set(err, BP_ENOTFOUND, "no promise '%s'", ref);
}

/* ---- re-survey ---- */

int bp_store_campaign_resurvey(struct bp_store *st, struct bp_error *err)
{
    struct bp_road *rv = NULL;
    struct bp_bamboo *bv = NULL;
    size_t nr = 0, nb = 0, i;
    int rc;

    if (!st || !OPS(st))
        return bp_error_set(err, BP_EINVAL, "no store given");
    rc = bp_store_road_list(st, &rv, &nr, err);
    if (!rc)
        rc = bp_store_bamboo_list(st, &bv, &nb, err);
    /* A put re-derives the measures from the marker anchors and checks
     * them against the line as it is now. */
    for (i = 0; i < nr && !rc; i++)
        if (rv[i].from.marker_key[0] || rv[i].to.marker_key[0])
            rc = bp_store_road_put(st, &rv[i], err);
    for (i = 0; i < nb && !rc; i++)
        if (bv[i].from.marker_key[0] || bv[i].to.marker_key[0])
            rc = bp_store_bamboo_put(st, &bv[i], err);
    bp_store_road_list_free(rv, nr);
    bp_store_bamboo_list_free(bv, nb);
    return rc;
}
