/* SPDX-License-Identifier: MIT */
/*
 * The campaign over HTTP: campaigns, donors, donations, expenses, road
 * projects with their progress, bamboo plantings and lights with their
 * checks, 3 March activities and commendations, each described by one
 * field table that reads and writes its JSON; and the figures made from
 * them: the ledger (public view without anonymous donors' names), road
 * progress with cost per km, award suggestions and the map layers.
 * Money is whole đồng as JSON integers, never floats.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/exchange.h"
#include "bienphong/exchange_campaign.h"
#include "bienphong/geojson.h"
#include "bienphong/store.h"
#include "server/server_int.h"
#include "server/server_jobs.h"

/* ---- small helpers ---- */

static void not_found(struct req *r)
{
    bp__problem(r, 404, "not-found", "Không tìm thấy", "Not found",
                "no such record", NULL);
}

static void oom(struct req *r)
{
    bp__problem(r, 500, "internal", "Lỗi máy chủ", "Server error",
                "out of memory", NULL);
}

static void invalid(struct req *r, json_t *errors)
{
    bp__problem(r, 422, "invalid", "Dữ liệu không hợp lệ", "Invalid data",
                "some fields are not valid", errors);
}

static void deny(struct req *r, unsigned st)
{
    if (st == 404)
        not_found(r);
    else
        bp__problem(r, st, st == 401 ? "unauthorized" : "forbidden",
                    st == 401 ? "Chưa đăng nhập" : "Không được phép",
                    st == 401 ? "Not logged in" : "Forbidden",
                    "campaign records are changed by admins; station and "
                    "commune users add events, bamboo and lights of their "
                    "communes",
                    NULL);
}

static void bad_query(struct req *r, const char *name, const char *detail)
{
    bp__problem(r, 400, "bad-query", "Tham số không hợp lệ",
                "Bad query parameter", detail,
                json_pack("[o]", bp__field_error(name, 0, detail)));
}

static json_t *date_json(int32_t day)
{
    char d[16];

    return day == BP_DATE_NONE ? json_null()
                               : json_string(bp_date_format_iso(day, d));
}

static json_t *num_json(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static int q_date(struct req *r, const char *name, int32_t *day)
{
    const char *s = bp__query(r, name);

    *day = BP_DATE_NONE;
    if (s && bp_date_parse(s, day)) {
        bad_query(r, name, "expected a date (yyyy-mm-dd or dd/mm/yyyy)");
        return -1;
    }
    return 0;
}

/* ---- enums as ints ---- */

#define ENUMW(T, fn)                                                         \
    static int p_##fn(const char *s, int *o)                                 \
    {                                                                        \
        enum T v;                                                            \
        int rc = bp_##fn##_parse(s, &v);                                     \
        if (!rc)                                                             \
            *o = (int)v;                                                     \
        return rc;                                                           \
    }                                                                        \
    static const char *n_##fn(int v) { return bp_##fn##_name((enum T)v); }

ENUMW(bp_donor_kind, donor_kind)
ENUMW(bp_donation_status, donation_status)
ENUMW(bp_donation_form, donation_form)
ENUMW(bp_light_kind, light_kind)
ENUMW(bp_recipient_kind, recipient_kind)
ENUMW(bp_award_level, award_level)

static int p_road_kind(const char *s, int *o)
{
    if (!strcmp(s, "along"))
        *o = BP_ROAD_ALONG;
    else if (!strcmp(s, "path"))
        *o = BP_ROAD_PATH;
    else
        return BP_EINVAL;
    return 0;
}

static const char *n_road_kind(int v)
{
    return v == BP_ROAD_PATH ? "path" : "along";
}

/* ---- field tables ---- */

enum ft { F_STR, F_UUID, F_DATE, F_MONEY, F_LONG, F_INT, F_REAL, F_BOOL,
          F_ANCHOR, F_ENUM, F_GEOM, F_RO_REAL };

#define F_REQ 1u    /* required on create */
#define F_ANON 2u   /* hidden when the donor is anonymous (viewers) */
#define F_FIXED 4u  /* set from the path, not the body */

struct cfield {
    const char *name;
    enum ft t;
    size_t off;
    unsigned flags;
    int (*parse)(const char *, int *);
    const char *(*ename)(int);
    const char *expect;
};

#define FS(S, name, t, m, fl) {name, t, offsetof(struct S, m), fl, NULL, NULL, NULL}
#define FE(S, name, m, fl, fn, ex)                                           \
    {name, F_ENUM, offsetof(struct S, m), fl, p_##fn, n_##fn, ex}

static const struct cfield f_campaign[] = {
    FS(bp_campaign, "name", F_STR, name, F_REQ),
    FS(bp_campaign, "starts_on", F_DATE, starts_on, F_REQ),
    FS(bp_campaign, "ends_on", F_DATE, ends_on, 0),
    FS(bp_campaign, "goal_vnd", F_MONEY, goal_vnd, 0),
    FS(bp_campaign, "goal_road_m", F_REAL, goal_road_m, 0),
    FS(bp_campaign, "labour_day_vnd", F_MONEY, labour_day_vnd, 0),
    FS(bp_campaign, "note", F_STR, note, 0),
    {NULL, F_STR, 0, 0, NULL, NULL, NULL}};

static const struct cfield f_donor[] = {
    FE(bp_donor, "kind", kind, F_REQ, donor_kind,
       "organisation, enterprise, unit or individual"),
    FS(bp_donor, "name", F_STR, name, F_REQ | F_ANON),
    FS(bp_donor, "anonymous", F_BOOL, anonymous, 0),
    FS(bp_donor, "contact", F_STR, contact, F_ANON),
    FS(bp_donor, "note", F_STR, note, 0),
    {NULL, F_STR, 0, 0, NULL, NULL, NULL}};

static const struct cfield f_donation[] = {
    FS(bp_donation, "campaign_id", F_UUID, campaign_id, 0),
    FS(bp_donation, "donor_id", F_UUID, donor_id, F_REQ),
    FE(bp_donation, "status", status, F_REQ, donation_status,
       "promised or received"),
    FE(bp_donation, "form", form, 0, donation_form,
       "cash, in_kind or labour"),
    FS(bp_donation, "amount_vnd", F_MONEY, amount_vnd, 0),
    FS(bp_donation, "item", F_STR, item, 0),
    FS(bp_donation, "quantity", F_REAL, quantity, 0),
    FS(bp_donation, "unit", F_STR, unit, 0),
    FS(bp_donation, "labour_days", F_REAL, labour_days, 0),
    FS(bp_donation, "date", F_DATE, on, F_REQ),
    FS(bp_donation, "receipt_no", F_STR, receipt_no, 0),
    FS(bp_donation, "fulfils_id", F_UUID, fulfils_id, 0),
    FS(bp_donation, "road_id", F_UUID, road_id, 0),
    FS(bp_donation, "note", F_STR, note, 0),
    {NULL, F_STR, 0, 0, NULL, NULL, NULL}};

static const struct cfield f_expense[] = {
    FS(bp_expense, "campaign_id", F_UUID, campaign_id, 0),
    FS(bp_expense, "doc_no", F_STR, doc_no, F_REQ),
    FS(bp_expense, "date", F_DATE, on, F_REQ),
    FS(bp_expense, "amount_vnd", F_MONEY, amount_vnd, F_REQ),
    FS(bp_expense, "road_id", F_UUID, road_id, 0),
    FS(bp_expense, "purpose", F_STR, purpose, 0),
    {NULL, F_STR, 0, 0, NULL, NULL, NULL}};

static const struct cfield f_road[] = {
    FS(bp_road, "campaign_id", F_UUID, campaign_id, 0),
    FS(bp_road, "name", F_STR, name, F_REQ),
    FS(bp_road, "commune_id", F_UUID, commune_id, 0),
    FE(bp_road, "kind", kind, 0, road_kind, "along or path"),
    FS(bp_road, "from", F_ANCHOR, from, F_REQ),
    FS(bp_road, "to", F_ANCHOR, to, 0),
    FS(bp_road, "geometry", F_GEOM, geom, 0),
    FS(bp_road, "planned_m", F_REAL, planned_m, 0),
    FS(bp_road, "budget_vnd", F_MONEY, budget_vnd, 0),
    FS(bp_road, "starts_on", F_DATE, starts_on, 0),
    FS(bp_road, "finished_on", F_DATE, finished_on, 0),
    FS(bp_road, "note", F_STR, note, 0),
    {NULL, F_STR, 0, 0, NULL, NULL, NULL}};

static const struct cfield f_progress[] = {
    FS(bp_road_progress, "road_id", F_UUID, road_id, F_FIXED),
    FS(bp_road_progress, "from_m", F_REAL, from_m, F_REQ),
    FS(bp_road_progress, "to_m", F_REAL, to_m, F_REQ),
    FS(bp_road_progress, "date", F_DATE, on, F_REQ),
    FS(bp_road_progress, "note", F_STR, note, 0),
    {NULL, F_STR, 0, 0, NULL, NULL, NULL}};

static const struct cfield f_bamboo[] = {
    FS(bp_bamboo, "commune_id", F_UUID, commune_id, 0),
    FS(bp_bamboo, "from", F_ANCHOR, from, F_REQ),
    FS(bp_bamboo, "to", F_ANCHOR, to, F_REQ),
    FS(bp_bamboo, "clumps", F_LONG, clumps, F_REQ),
    FS(bp_bamboo, "planted_on", F_DATE, planted_on, F_REQ),
    FS(bp_bamboo, "households", F_LONG, households, 0),
    FS(bp_bamboo, "note", F_STR, note, 0),
    {NULL, F_STR, 0, 0, NULL, NULL, NULL}};

static const struct cfield f_bamboo_check[] = {
    FS(bp_bamboo_check, "bamboo_id", F_UUID, bamboo_id, F_FIXED),
    FS(bp_bamboo_check, "date", F_DATE, on, F_REQ),
    FS(bp_bamboo_check, "alive", F_LONG, alive, F_REQ),
    FS(bp_bamboo_check, "note", F_STR, note, 0),
    {NULL, F_STR, 0, 0, NULL, NULL, NULL}};

static const struct cfield f_light[] = {
    FS(bp_light, "commune_id", F_UUID, commune_id, 0),
    FS(bp_light, "road_id", F_UUID, road_id, 0),
    FS(bp_light, "measure_m", F_REAL, measure_m, 0),
    FS(bp_light, "lon", F_REAL, lon, 0),
    FS(bp_light, "lat", F_REAL, lat, 0),
    FE(bp_light, "kind", kind, 0, light_kind, "solar, grid or other"),
    FS(bp_light, "installed_on", F_DATE, installed_on, F_REQ),
    FS(bp_light, "funder", F_STR, funder, 0),
    FS(bp_light, "working", F_BOOL, working, 0),
    FS(bp_light, "note", F_STR, note, 0),
    {NULL, F_STR, 0, 0, NULL, NULL, NULL}};

static const struct cfield f_light_check[] = {
    FS(bp_light_check, "light_id", F_UUID, light_id, F_FIXED),
    FS(bp_light_check, "date", F_DATE, on, F_REQ),
    FS(bp_light_check, "working", F_BOOL, working, F_REQ),
    FS(bp_light_check, "note", F_STR, note, 0),
    {NULL, F_STR, 0, 0, NULL, NULL, NULL}};

static const struct cfield f_event[] = {
    FS(bp_event, "commune_id", F_UUID, commune_id, F_REQ),
    FS(bp_event, "year", F_INT, year, F_REQ),
    FS(bp_event, "activities", F_LONG, activities, 0),
    FS(bp_event, "kinds", F_STR, kinds, 0),
    FS(bp_event, "participants", F_LONG, participants, 0),
    FS(bp_event, "gifts", F_LONG, gifts, 0),
    FS(bp_event, "gifts_vnd", F_MONEY, gifts_vnd, 0),
    FS(bp_event, "funds_vnd", F_MONEY, funds_vnd, 0),
    FS(bp_event, "note", F_STR, note, 0),
    {NULL, F_STR, 0, 0, NULL, NULL, NULL}};

static const struct cfield f_award[] = {
    FE(bp_award, "recipient_kind", recipient_kind, 0, recipient_kind,
       "person, household, collective or unit"),
    FS(bp_award, "recipient", F_STR, recipient, F_REQ),
    FS(bp_award, "custodian_id", F_UUID, custodian_id, 0),
    FS(bp_award, "commune_id", F_UUID, commune_id, 0),
    FE(bp_award, "level", level, 0, award_level,
       "bk_province, bk_border_guard, gk_district, gk_station or other"),
    FS(bp_award, "decision_no", F_STR, decision_no, F_REQ),
    FS(bp_award, "decided_on", F_DATE, decided_on, F_REQ),
    FS(bp_award, "reason", F_STR, reason, 0),
    {NULL, F_STR, 0, 0, NULL, NULL, NULL}};

/* ---- kinds ---- */

typedef int (*put_fn)(struct bp_store *, void *, struct bp_error *);
typedef int (*list_fn)(struct bp_store *, void **, size_t *,
                       struct bp_error *);
typedef void (*lfree_fn)(void *, size_t);
typedef void (*rel_fn)(void *);

#define WRAP(R, REL)                                                         \
    static int w_put_##R(struct bp_store *st, void *p, struct bp_error *e)   \
    {                                                                        \
        return bp_store_##R##_put(st, (struct bp_##R *)p, e);               \
    }                                                                        \
    static int w_list_##R(struct bp_store *st, void **v, size_t *n,          \
                          struct bp_error *e)                                \
    {                                                                        \
        struct bp_##R *x = NULL;                                             \
        int rc = bp_store_##R##_list(st, &x, n, e);                          \
        if (!rc)                                                             \
            *v = x;                                                          \
        return rc;                                                           \
    }                                                                        \
    static void w_free_##R(void *v, size_t n)                                \
    {                                                                        \
        bp_store_##R##_list_free((struct bp_##R *)v, n);                     \
    }                                                                        \
    static void w_rel_##R(void *p) { REL((struct bp_##R *)p); }

WRAP(campaign, bp_campaign_release)
WRAP(donor, bp_donor_release)
WRAP(donation, bp_donation_release)
WRAP(expense, bp_expense_release)
WRAP(road, bp_road_release)
WRAP(road_progress, bp_road_progress_release)
WRAP(bamboo, bp_bamboo_release)
WRAP(bamboo_check, bp_bamboo_check_release)
WRAP(light, bp_light_release)
WRAP(light_check, bp_light_check_release)
WRAP(event, bp_event_release)
WRAP(award, bp_award_release)

#define NOFF ((size_t)-1)

struct ckind {
    const char *plural; /* for paths and the audit log */
    size_t size;
    const struct cfield *f;
    put_fn put;
    list_fn list;
    lfree_fn lfree;
    rel_fn rel;
    size_t commune_off; /* NOFF: province-wide */
    int local_write;    /* station/commune users may add in scope */
    size_t campaign_off; /* filled with the only campaign when empty */
    int parent;         /* the kind of the {id} in the path, or -1 */
};

#define KIND(pl, R, F, coff, lw, camp, par)                                  \
    {pl, sizeof(struct bp_##R), F, w_put_##R, w_list_##R, w_free_##R,        \
     w_rel_##R, coff, lw, camp, par}

static const struct ckind kinds[CK_N] = {
    KIND("campaigns", campaign, f_campaign, NOFF, 0, NOFF, -1),
    KIND("donors", donor, f_donor, NOFF, 0, NOFF, -1),
    KIND("donations", donation, f_donation, NOFF, 0,
         offsetof(struct bp_donation, campaign_id), -1),
    KIND("expenses", expense, f_expense, NOFF, 0,
         offsetof(struct bp_expense, campaign_id), -1),
    KIND("roads", road, f_road, offsetof(struct bp_road, commune_id), 0,
         offsetof(struct bp_road, campaign_id), -1),
    KIND("road_progress", road_progress, f_progress, NOFF, 0, NOFF, CK_ROAD),
    KIND("bamboo", bamboo, f_bamboo, offsetof(struct bp_bamboo, commune_id),
         1, NOFF, -1),
    KIND("bamboo_checks", bamboo_check, f_bamboo_check, NOFF, 1, NOFF,
         CK_BAMBOO),
    KIND("lights", light, f_light, offsetof(struct bp_light, commune_id), 1,
         NOFF, -1),
    KIND("light_checks", light_check, f_light_check, NOFF, 1, NOFF,
         CK_LIGHT),
    KIND("events", event, f_event, offsetof(struct bp_event, commune_id), 1,
         NOFF, -1),
    KIND("awards", award, f_award, offsetof(struct bp_award, commune_id), 0,
         NOFF, -1),
};

static void *at(void *rec, size_t off) { return (char *)rec + off; }
static const void *cat(const void *rec, size_t off)
{
    return (const char *)rec + off;
}

static const char *rec_commune(const struct ckind *k, const void *rec)
{
    return k->commune_off == NOFF ? "" : (const char *)cat(rec, k->commune_off);
}

/* A new record with the defaults of its kind. */
static void rec_init(int kind, void *rec)
{
    memset(rec, 0, kinds[kind].size);
    switch (kind) {
    case CK_CAMPAIGN: {
        struct bp_campaign *c = rec;
        c->ends_on = BP_DATE_NONE;
        break;
    }
    case CK_ROAD: {
        struct bp_road *x = rec;
        x->starts_on = x->finished_on = BP_DATE_NONE;
        break;
    }
    case CK_LIGHT: {
        struct bp_light *x = rec;
        x->lon = x->lat = NAN;
        x->working = 1;
        break;
    }
    case CK_DONATION: {
        struct bp_donation *x = rec;
        x->on = BP_DATE_NONE;
        break;
    }
    default:
        break;
    }
}

/* ---- JSON out ---- */

static json_t *anchor_json(const struct bp_anchor *a)
{
    return json_pack("{s:o,s:f,s:o}", "marker",
                     a->marker_key[0] ? json_string(a->marker_key)
                                      : json_null(),
                     "offset_m", a->marker_key[0] ? a->offset_m : 0.0,
                     "measure_m", num_json(a->measure_m));
}

static json_t *rec_json(int kind, const void *rec, int hide_anon)
{
    const struct ckind *k = &kinds[kind];
    const struct cfield *f;
    json_t *o = json_pack("{s:s}", "id", (const char *)rec);

    for (f = k->f; f->name; f++) {
        const void *p = cat(rec, f->off);
        json_t *v = NULL;
        if ((f->flags & F_ANON) && hide_anon) {
            json_object_set_new(o, f->name, json_null());
            continue;
        }
        switch (f->t) {
        case F_STR: {
            const char *s = *(char *const *)p;
            v = s ? json_string(s) : json_null();
            break;
        }
        case F_UUID:
            v = *(const char *)p ? json_string(p) : json_null();
            break;
        case F_DATE:
            v = date_json(*(const int32_t *)p);
            break;
        case F_MONEY:
            v = json_integer((json_int_t) * (const int64_t *)p);
            break;
        case F_LONG:
            v = json_integer(*(const long *)p);
            break;
        case F_INT:
            v = json_integer(*(const int *)p);
            break;
        case F_REAL:
        case F_RO_REAL:
            v = num_json(*(const double *)p);
            break;
        case F_BOOL:
            v = json_boolean(*(const int *)p);
            break;
        case F_ENUM:
            v = json_string(f->ename(*(const int *)p));
            break;
        case F_ANCHOR:
            v = anchor_json(p);
            break;
        case F_GEOM: {
            const struct bp_road *rd = rec;
            size_t i;
            if (!rd->ngeom) {
                v = json_null();
                break;
            }
            v = json_array();
            for (i = 0; i < rd->ngeom; i++)
                json_array_append_new(v, json_pack("[f,f]", rd->geom[i].lon,
                                                   rd->geom[i].lat));
            break;
        }
        }
        json_object_set_new(o, f->name, v ? v : json_null());
    }
    return o;
}

/* ---- JSON in ---- */

static void ferr(json_t *errors, const char *field, const char *detail)
{
    json_array_append_new(errors, bp__field_error(field, 0, detail));
}

/* Money: a JSON integer of đồng >= 0. */
static int get_money(json_t *v, int64_t *out)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return -1;
    *out = (int64_t)json_integer_value(v);
    return 0;
}

/* Apply the members of `body` to `rec`; problems into `errors`. */
static void rec_apply(int kind, void *rec, json_t *body, int create,
                      json_t *errors)
{
    const struct ckind *k = &kinds[kind];
    const struct cfield *f;
    const char *key;
    json_t *v;

    json_object_foreach(body, key, v) {
        for (f = k->f; f->name && strcmp(f->name, key); f++)
            ;
        if (!f->name || (f->flags & F_FIXED))
            ferr(errors, key, "unknown field");
    }
    for (f = k->f; f->name; f++) {
        void *p = at(rec, f->off);
        if (f->flags & F_FIXED)
            continue;
        v = json_object_get(body, f->name);
        if (!v) {
            if (create && (f->flags & F_REQ))
                ferr(errors, f->name, "required");
            continue;
        }
        if (json_is_null(v) && !(f->flags & F_REQ)) {
            switch (f->t) {
            case F_STR:
                bp_free(*(char **)p);
                *(char **)p = NULL;
                break;
            case F_UUID:
                *(char *)p = 0;
                break;
            case F_DATE:
                *(int32_t *)p = BP_DATE_NONE;
                break;
            case F_REAL:
                /* A light's lon/lat: none; other numbers: 0. */
                *(double *)p = kind == CK_LIGHT && strcmp(f->name, "lon") &&
                                       strcmp(f->name, "lat")
                                   ? 0
                                   : kind == CK_LIGHT ? NAN : 0;
                break;
            default:
                ferr(errors, f->name, "may not be null");
            }
            continue;
        }
        switch (f->t) {
        case F_STR: {
            char *s;
            if (!json_is_string(v) || json_string_length(v) > 4000 ||
                strlen(json_string_value(v)) != json_string_length(v) ||
                ((f->flags & F_REQ) && !json_string_length(v))) {
                ferr(errors, f->name,
                     "expected a non-empty string of at most 4000 bytes");
                break;
            }
            s = bp_strdup(json_string_value(v));
            if (!s) {
                ferr(errors, f->name, "out of memory");
                break;
            }
            bp_free(*(char **)p);
            *(char **)p = s;
            break;
        }
        case F_UUID:
            if (!json_is_string(v) ||
                (json_string_length(v) &&
                 !bp_uuid_valid(json_string_value(v)))) {
                ferr(errors, f->name, "expected a UUID");
                break;
            }
            snprintf(p, sizeof(bp_uuid), "%s", json_string_value(v));
            break;
        case F_DATE:
            if (!json_is_string(v) ||
                bp_date_parse(json_string_value(v), (int32_t *)p))
                ferr(errors, f->name,
                     "expected a date (yyyy-mm-dd or dd/mm/yyyy)");
            break;
        case F_MONEY:
            if (get_money(v, p))
                ferr(errors, f->name,
                     "expected whole đồng as a JSON integer >= 0 (no "
                     "fractions, no floats)");
            break;
        case F_LONG:
            if (!json_is_integer(v) || json_integer_value(v) < 0 ||
                json_integer_value(v) > 1000000000)
                ferr(errors, f->name, "expected a whole number >= 0");
            else
                *(long *)p = (long)json_integer_value(v);
            break;
        case F_INT:
            if (!json_is_integer(v) || json_integer_value(v) < 0 ||
                json_integer_value(v) > 100000)
                ferr(errors, f->name, "expected a whole number");
            else
                *(int *)p = (int)json_integer_value(v);
            break;
        case F_REAL:
            if (!json_is_number(v) || !isfinite(json_number_value(v)))
                ferr(errors, f->name, "expected a number");
            else
                *(double *)p = json_number_value(v);
            break;
        case F_RO_REAL:
            break;
        case F_BOOL:
            if (!json_is_boolean(v))
                ferr(errors, f->name, "expected true or false");
            else
                *(int *)p = json_is_true(v);
            break;
        case F_ENUM: {
            int e;
            if (!json_is_string(v) || f->parse(json_string_value(v), &e)) {
                char msg[160];
                snprintf(msg, sizeof(msg), "expected %s", f->expect);
                ferr(errors, f->name, msg);
            } else {
                *(int *)p = e;
            }
            break;
        }
        case F_ANCHOR: {
            struct bp_anchor a;
            memset(&a, 0, sizeof(a));
            if (json_is_number(v) && isfinite(json_number_value(v)) &&
                json_number_value(v) >= 0) {
                a.measure_m = json_number_value(v);
            } else if (!json_is_string(v) ||
                       bp_anchor_parse(json_string_value(v), &a)) {
                ferr(errors, f->name,
                     "expected a marker with an offset (\"1120+350\") or a "
                     "measure in metres");
                break;
            }
            memcpy(p, &a, sizeof(a));
            break;
        }
        case F_GEOM: {
            struct bp_road *rd = rec;
            struct bp_lonlat *g = NULL;
            size_t i, n = json_array_size(v);
            if (!json_is_array(v) || n < 2 || n > 100000 ||
                !(g = bp_calloc(n, sizeof(*g)))) {
                ferr(errors, f->name,
                     "expected an array of at least 2 [lon, lat]");
                break;
            }
            for (i = 0; i < n; i++) {
                json_t *pt = json_array_get(v, i);
                json_t *x = json_array_get(pt, 0), *y = json_array_get(pt, 1);
                if (json_array_size(pt) != 2 || !json_is_number(x) ||
                    !json_is_number(y) ||
                    fabs(json_number_value(x)) > 180 ||
                    fabs(json_number_value(y)) > 90)
                    break;
                g[i].lon = json_number_value(x);
                g[i].lat = json_number_value(y);
            }
            if (i < n) {
                bp_free(g);
                ferr(errors, f->name,
                     "expected an array of at least 2 [lon, lat]");
                break;
            }
            bp_free(rd->geom);
            rd->geom = g;
            rd->ngeom = n;
            break;
        }
        }
    }
}

/*
 * The body as a JSON object. An integer beyond int64 is a problem of its
 * field (422), not of the syntax: jansson refuses it, so it is found
 * again with integers read as reals. NULL when replied.
 */
static json_t *body_object(struct req *r, int kind)
{
    json_error_t je;
    json_t *v, *errors;
    const struct cfield *f;

    if (r->body.len && r->body.len < 1000000) {
        v = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
        if (v) {
            json_decref(v);
        } else if (strstr(je.text, "too big") &&
                   (v = json_loadb(r->body.data, r->body.len,
                                   JSON_DECODE_INT_AS_REAL, &je))) {
            errors = json_array();
            for (f = kinds[kind].f; f->name && json_is_object(v); f++) {
                json_t *m = json_object_get(v, f->name);
                if (json_is_real(m) && fabs(json_real_value(m)) >= 9e18)
                    ferr(errors, f->name,
                         f->t == F_MONEY
                             ? "the amount is beyond 9.223.372.036.854.775.807"
                               " đồng (int64)"
                             : "the number is too large");
            }
            json_decref(v);
            if (json_array_size(errors)) {
                invalid(r, errors);
                return NULL;
            }
            json_decref(errors);
        }
    }
    return bp__body_json(r, 0);
}

/* ---- loading ---- */

struct vec {
    void *v;
    size_t n;
    int kind;
};

static void vec_free(struct vec *x)
{
    if (x->v)
        kinds[x->kind].lfree(x->v, x->n);
    x->v = NULL;
    x->n = 0;
}

static int vec_load(struct req *r, int kind, struct vec *x)
{
    struct bp_error err = {0};

    x->kind = kind;
    x->v = NULL;
    x->n = 0;
    if (kinds[kind].list(r->st, &x->v, &x->n, &err)) {
        bp__problem_err(r, &err);
        return -1;
    }
    return 0;
}

static void *vec_at(const struct vec *x, size_t i)
{
    return (char *)x->v + i * kinds[x->kind].size;
}

static void *vec_find(const struct vec *x, const char *id)
{
    size_t i;

    for (i = 0; id && i < x->n; i++)
        if (!strcmp((const char *)vec_at(x, i), id))
            return vec_at(x, i);
    return NULL;
}

static int hide_anon(const struct req *r, int kind, const void *rec)
{
    return kind == CK_DONOR && ((const struct bp_donor *)rec)->anonymous &&
           !bp__policy_personal(&r->who);
}

/* ---- record handlers ---- */

/* The records of a kind; with a parent in the path, its children. */
static void list_of(struct req *r, int kind, const char *parent)
{
    struct vec x;
    json_t *items;
    size_t i, total = 0;
    const char *q = NULL;
    long limit, cursor;

    /* Pages as the patrol lists: `cursor` is the number of items before
     * the page (opaque to clients: they pass next_cursor back). The
     * default page is the largest, so a campaign's records come whole. */
    if (bp__query_long(r, "limit", 1, 1000, 1000, &limit) ||
        bp__query_long(r, "cursor", 0, 100000000, 0, &cursor))
        return;
    if (vec_load(r, kind, &x))
        return;
    if (kind == CK_EVENT || kind == CK_BAMBOO || kind == CK_LIGHT ||
        kind == CK_ROAD || kind == CK_AWARD)
        q = bp__query(r, "commune");
    items = json_array();
    for (i = 0; i < x.n; i++) {
        void *rec = vec_at(&x, i);
        if (parent && strcmp((const char *)cat(rec, kinds[kind].f[0].off),
                             parent))
            continue;
        if (q && *q && strcmp(rec_commune(&kinds[kind], rec), q))
            continue;
        if (total >= (size_t)cursor && total < (size_t)(cursor + limit))
            json_array_append_new(
                items, rec_json(kind, rec, hide_anon(r, kind, rec)));
        total++;
    }
    bp__reply_page(r, items, cursor, limit, total);
    vec_free(&x);
}

void h_camp_list(struct req *r)
{
    unsigned st = bp__policy_campaign(&r->who, 0, "", 0);

    if (st) {
        deny(r, st);
        return;
    }
    list_of(r, r->route->arg, NULL);
}

void h_camp_get(struct req *r)
{
    int kind = r->route->arg;
    unsigned st = bp__policy_campaign(&r->who, 0, "", 0);
    struct vec x;
    void *rec;

    if (st) {
        deny(r, st);
        return;
    }
    if (vec_load(r, kind, &x))
        return;
    rec = vec_find(&x, r->params[0]);
    if (!rec)
        not_found(r);
    else
        bp__reply_json(r, 200, rec_json(kind, rec, hide_anon(r, kind, rec)));
    vec_free(&x);
}

/* Fill an empty campaign reference with the only campaign. */
static int fill_campaign(struct req *r, int kind, void *rec,
                         struct bp_error *err)
{
    struct bp_campaign c;
    char *id;
    int rc;

    if (kinds[kind].campaign_off == NOFF)
        return 0;
    id = at(rec, kinds[kind].campaign_off);
    if (*id)
        return 0;
    memset(&c, 0, sizeof(c));
    rc = bp_store_campaign_find(r->st, NULL, &c, err);
    if (!rc)
        memcpy(id, c.id, sizeof(bp_uuid));
    else if (kind == CK_ROAD)
        rc = 0; /* a road may belong to no campaign */
    if (rc)
        snprintf(err->field, sizeof(err->field), "campaign_id");
    bp_campaign_release(&c);
    return rc;
}

/* The commune a child record belongs to: its parent's. */
static const char *parent_commune(int kind, const struct vec *parents,
                                  const char *parent_id)
{
    const void *p = vec_find(parents, parent_id);

    (void)kind;
    return p ? rec_commune(&kinds[parents->kind], p) : NULL;
}

/* Create (no id) or update (r->params[0]) a record; children take their
 * parent from the path. */
static void write_rec(struct req *r, int kind, int create)
{
    const struct ckind *k = &kinds[kind];
    struct bp_error err = {0};
    struct vec all, parents;
    void *rec = NULL, *old;
    json_t *body = NULL, *errors, *before = NULL, *after = NULL;
    const char *commune;
    unsigned st;
    int locked = 0;

    memset(&all, 0, sizeof(all));
    memset(&parents, 0, sizeof(parents));
    all.kind = kind;
    parents.kind = k->parent >= 0 ? k->parent : kind;
    /* A first look at the role: viewers and others never get further. */
    st = bp__policy_campaign(&r->who, k->local_write, NULL, 1);
    if (st) {
        deny(r, st);
        return;
    }
    if (!(body = body_object(r, kind)))
        return;
    rec = bp_calloc(1, k->size);
    if (!rec) {
        oom(r);
        goto out;
    }
    rec_init(kind, rec);
    bp__write_lock(r->srv);
    locked = 1;
    if (k->parent >= 0) {
        if (vec_load(r, k->parent, &parents))
            goto out;
        if (!vec_find(&parents, r->params[0])) {
            not_found(r);
            goto out;
        }
        snprintf(at(rec, k->f[0].off), sizeof(bp_uuid), "%s", r->params[0]);
    }
    if (!create) {
        if (vec_load(r, kind, &all))
            goto out;
        old = vec_find(&all, r->params[0]);
        if (!old) {
            not_found(r);
            goto out;
        }
        /* Take the stored record over: the list keeps an empty shell. */
        memcpy(rec, old, k->size);
        memset(old, 0, k->size);
        before = rec_json(kind, rec, 0);
        st = bp__policy_campaign(&r->who, k->local_write,
                                 rec_commune(k, rec), 1);
        if (st) {
            deny(r, st);
            goto out;
        }
    }
    errors = json_array();
    rec_apply(kind, rec, body, create, errors);
    if (json_array_size(errors)) {
        invalid(r, errors);
        goto out;
    }
    json_decref(errors);
    commune = k->parent >= 0 ? parent_commune(kind, &parents, r->params[0])
                             : rec_commune(k, rec);
    st = bp__policy_campaign(&r->who, k->local_write, commune, 1);
    if (st) {
        deny(r, st);
        goto out;
    }
    if (bp_store_begin(r->st, &err))
        goto fail;
    if (fill_campaign(r, kind, rec, &err) || k->put(r->st, rec, &err))
        goto fail;
    after = rec_json(kind, rec, 0);
    if (bp__audit(r, create ? "create" : "update", k->plural,
                  (const char *)rec, before, after, &err) ||
        bp_store_commit(r->st, &err))
        goto fail;
    if (create) {
        struct bp_buf loc = BP_BUF_INIT;
        if (k->parent < 0)
            bp_buf_addf(&loc, "/api/v1/%s/%s", k->plural, (const char *)rec);
        else
            bp_buf_addf(&loc, "%s", r->path);
        r->location = bp_buf_take(&loc, NULL);
    }
    bp__reply_json(r, create ? 201 : 200, json_incref(after));
    goto out;
fail:
    bp_store_rollback(r->st);
    /* A receipt beyond its promise is bad data of this request. */
    if (kind == CK_DONATION && err.code == BP_ECONFLICT) {
        err.code = BP_ERANGE;
        if (!err.field[0])
            snprintf(err.field, sizeof(err.field), "amount_vnd");
    }
    bp__problem_err(r, &err);
out:
    if (locked)
        bp__write_unlock(r->srv);
    if (rec) {
        k->rel(rec);
        bp_free(rec);
    }
    vec_free(&all);
    vec_free(&parents);
    json_decref(before);
    json_decref(after);
    json_decref(body);
}

void h_camp_create(struct req *r) { write_rec(r, r->route->arg, 1); }
void h_camp_update(struct req *r) { write_rec(r, r->route->arg, 0); }

/* GET /{parent}/{id}/checks|progress */
void h_camp_children(struct req *r)
{
    int kind = r->route->arg;
    unsigned st = bp__policy_campaign(&r->who, 0, "", 0);
    struct vec parents;

    if (st) {
        deny(r, st);
        return;
    }
    if (vec_load(r, kinds[kind].parent, &parents))
        return;
    if (!vec_find(&parents, r->params[0]))
        not_found(r);
    else
        list_of(r, kind, r->params[0]);
    vec_free(&parents);
}

/* ---- the ledger ---- */

struct world {
    struct bp_campaign camp;
    int has_camp;
    struct vec donors, dons, exps, roads;
};

static void world_release(struct world *w)
{
    if (w->has_camp)
        bp_campaign_release(&w->camp);
    vec_free(&w->donors);
    vec_free(&w->dons);
    vec_free(&w->exps);
    vec_free(&w->roads);
}

static int world_load(struct req *r, struct world *w, int need_camp)
{
    struct bp_error err = {0};
    const char *ref = bp__query(r, "campaign");

    memset(w, 0, sizeof(*w));
    w->donors.kind = CK_DONOR;
    w->dons.kind = CK_DONATION;
    w->exps.kind = CK_EXPENSE;
    w->roads.kind = CK_ROAD;
    if (!bp_store_campaign_find(r->st, ref, &w->camp, &err)) {
        w->has_camp = 1;
    } else if (need_camp || (ref && *ref)) {
        if (!err.field[0])
            snprintf(err.field, sizeof(err.field), "campaign");
        bp__problem_err(r, &err);
        return -1;
    }
    if (vec_load(r, CK_DONOR, &w->donors) ||
        vec_load(r, CK_DONATION, &w->dons) ||
        vec_load(r, CK_EXPENSE, &w->exps) || vec_load(r, CK_ROAD, &w->roads))
        return -1;
    return 0;
}

static json_t *row_json(const struct bp_ledger_row *t)
{
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "promised_vnd",
                     (json_int_t)t->promised_vnd, "received_vnd",
                     (json_int_t)t->received_vnd, "cash_vnd",
                     (json_int_t)t->cash_vnd, "in_kind_vnd",
                     (json_int_t)t->in_kind_vnd, "labour_vnd",
                     (json_int_t)t->labour_vnd, "spent_vnd",
                     (json_int_t)t->spent_vnd, "donations",
                     (json_int_t)t->donations);
}

void h_ledger(struct req *r)
{
    const char *pq = bp__query(r, "public");
    int pub = pq && strcmp(pq, "0");
    struct bp_ledger_input in;
    struct bp_ledger l;
    struct bp_error err = {0};
    struct world w;
    json_t *o, *a;
    size_t i;
    unsigned st;

    /* Viewers see the public view only. */
    st = pub ? 0 : bp__policy_campaign(&r->who, 0, "", 0);
    if (st) {
        deny(r, st);
        return;
    }
    if (bp__cache_reply(r))
        return;
    memset(&l, 0, sizeof(l));
    if (world_load(r, &w, 1))
        goto out;
    memset(&in, 0, sizeof(in));
    in.campaign = &w.camp;
    in.donors = w.donors.v;
    in.ndonors = w.donors.n;
    in.donations = w.dons.v;
    in.ndonations = w.dons.n;
    in.expenses = w.exps.v;
    in.nexpenses = w.exps.n;
    in.roads = w.roads.v;
    in.nroads = w.roads.n;
    if (bp_ledger_compute(&in, pub, &l, &err)) {
        bp__problem_err(r, &err);
        goto out;
    }
    o = json_pack("{s:s,s:s,s:b,s:o,s:I,s:I}", "campaign_id", w.camp.id,
                  "campaign", w.camp.name ? w.camp.name : "", "public", pub,
                  "total", row_json(&l.total), "balance_vnd",
                  (json_int_t)l.balance_vnd, "outstanding_vnd",
                  (json_int_t)l.outstanding_vnd);
    a = json_object();
    for (i = 0; i < BP_DONOR_NKINDS; i++)
        json_object_set_new(a, bp_donor_kind_name((enum bp_donor_kind)i),
                            row_json(&l.by_kind[i]));
    json_object_set_new(o, "by_donor_kind", a);
    a = json_array();
    for (i = 0; i < l.nmonths; i++) {
        json_t *m = row_json(&l.months[i].t);
        json_object_set_new(m, "month",
                            json_sprintf("%04d-%02d", l.months[i].year,
                                         l.months[i].month));
        json_array_append_new(a, m);
    }
    json_object_set_new(o, "by_month", a);
    a = json_array();
    for (i = 0; i < l.nprojects && i < w.roads.n; i++) {
        const struct bp_road *rd = vec_at(&w.roads, i);
        json_t *m = row_json(&l.projects[i]);
        json_object_set_new(m, "road_id", json_string(rd->id));
        json_object_set_new(m, "road", json_string(rd->name ? rd->name : ""));
        json_array_append_new(a, m);
    }
    json_object_set_new(o, "by_project", a);
    json_object_set_new(o, "unassigned", row_json(&l.unassigned));
    a = json_array();
    for (i = 0; i < l.ndonors; i++) {
        const struct bp_ledger_donor *d = &l.donors[i];
        const struct bp_donor *dn = vec_at(&w.donors, d->donor);
        json_t *m = row_json(&d->t);
        json_object_set_new(m, "name",
                            d->name ? json_string(d->name) : json_null());
        json_object_set_new(m, "anonymous", json_boolean(d->anonymous));
        json_object_set_new(m, "kind", json_string(bp_donor_kind_name(d->kind)));
        if (!pub)
            json_object_set_new(m, "donor_id", json_string(dn->id));
        json_array_append_new(a, m);
    }
    json_object_set_new(o, "donors", a);
    bp__reply_json(r, 200, o);
    bp__cache_store(r);
out:
    bp_ledger_release(&l);
    world_release(&w);
}

/* ---- road progress ---- */

static json_t *fig_json(const struct bp_road_figures *f)
{
    return json_pack("{s:f,s:f,s:f,s:I,s:I,s:I,s:I,s:I,s:o,s:I,s:I}",
                     "planned_m", f->planned_m, "built_m", f->built_m,
                     "share", f->share, "budget_vnd",
                     (json_int_t)f->budget_vnd, "received_vnd",
                     (json_int_t)f->received_vnd, "spent_vnd",
                     (json_int_t)f->spent_vnd, "cost_vnd",
                     (json_int_t)f->cost_vnd, "vnd_per_km",
                     (json_int_t)f->vnd_per_km, "last_on",
                     date_json(f->last_on), "projects",
                     (json_int_t)f->projects, "finished",
                     (json_int_t)f->finished);
}

void h_road_progress(struct req *r)
{
    struct bp_road_report rr;
    struct bp_error err = {0};
    struct world w;
    struct vec prog;
    bp_uuid *cids = NULL;
    size_t nc = 0, i, j;
    int32_t as_of;
    json_t *o, *a;

    memset(&rr, 0, sizeof(rr));
    memset(&prog, 0, sizeof(prog));
    prog.kind = CK_PROGRESS;
    if (q_date(r, "as_of", &as_of) || bp__cache_reply(r))
        return;
    if (world_load(r, &w, 0) || vec_load(r, CK_PROGRESS, &prog))
        goto out;
    cids = bp_calloc(w.roads.n ? w.roads.n : 1, sizeof(bp_uuid));
    if (!cids) {
        oom(r);
        goto out;
    }
    for (i = 0; i < w.roads.n; i++) {
        const struct bp_road *rd = vec_at(&w.roads, i);
        if (!rd->commune_id[0])
            continue;
        for (j = 0; j < nc && strcmp(cids[j], rd->commune_id); j++)
            ;
        if (j == nc)
            memcpy(cids[nc++], rd->commune_id, sizeof(bp_uuid));
    }
    if (bp_road_report_compute(w.roads.v, w.roads.n, prog.v, prog.n,
                               w.dons.v, w.dons.n, w.exps.v, w.exps.n,
                               (const bp_uuid *)cids,
                               nc, as_of, &rr, &err)) {
        bp__problem_err(r, &err);
        goto out;
    }
    o = json_pack("{s:o,s:o}", "as_of", date_json(as_of), "total",
                  fig_json(&rr.total));
    a = json_array();
    for (i = 0; i < rr.nroads; i++) {
        const struct bp_road *rd = vec_at(&w.roads, i);
        json_t *m = fig_json(&rr.roads[i]);
        json_object_set_new(m, "road_id", json_string(rd->id));
        json_object_set_new(m, "name", json_string(rd->name ? rd->name : ""));
        json_object_set_new(m, "commune_id", rd->commune_id[0]
                                                 ? json_string(rd->commune_id)
                                                 : json_null());
        json_array_append_new(a, m);
    }
    json_object_set_new(o, "roads", a);
    a = json_array();
    for (i = 0; i < rr.ncommunes; i++) {
        json_t *m = fig_json(&rr.communes[i]);
        json_object_set_new(m, "commune_id", json_string(cids[i]));
        json_array_append_new(a, m);
    }
    json_object_set_new(o, "communes", a);
    bp__reply_json(r, 200, o);
    bp__cache_store(r);
out:
    bp_road_report_release(&rr);
    bp_free(cids);
    vec_free(&prog);
    world_release(&w);
}

/* ---- award suggestions ---- */

void h_award_suggest(struct req *r)
{
    struct bp_award_criteria cr;
    struct bp_error err = {0};
    struct bp_custodian *cu = NULL;
    struct bp_pledge *pl = NULL;
    struct bp_award_candidate *ca = NULL;
    struct bp_award_suggestion *s = NULL;
    struct vec ev, aw;
    size_t ncu = 0, npl = 0, ns = 0, i;
    const char *q;
    json_t *a;
    unsigned st = bp__policy_campaign(&r->who, 0, "", 0);

    if (st) {
        deny(r, st);
        return;
    }
    memset(&cr, 0, sizeof(cr));
    memset(&ev, 0, sizeof(ev));
    memset(&aw, 0, sizeof(aw));
    ev.kind = CK_EVENT;
    aw.kind = CK_AWARD;
    if (q_date(r, "as_of", &cr.as_of))
        return;
    if (cr.as_of == BP_DATE_NONE)
        cr.as_of = bp_date_today();
    cr.min_years = 3;
    cr.min_length_m = 500;
    cr.min_event_years = 3;
    cr.skip_awarded_years = 2;
    if ((q = bp__query(r, "min_years"))) {
        cr.min_years = atoi(q);
        if (cr.min_years < 0 || cr.min_years > 100) {
            bad_query(r, "min_years", "expected a whole number 0..100");
            return;
        }
    }
    if ((q = bp__query(r, "min_km"))) {
        char *end;
        cr.min_length_m = strtod(q, &end) * 1000;
        if (!*q || *end || !(cr.min_length_m >= 0)) {
            bad_query(r, "min_km", "expected a number of km >= 0");
            return;
        }
    }
    if ((q = bp__query(r, "min_event_years"))) {
        cr.min_event_years = atoi(q);
        if (cr.min_event_years < 0 || cr.min_event_years > 100) {
            bad_query(r, "min_event_years", "expected a whole number 0..100");
            return;
        }
    }
    if (bp_store_custodian_list(r->st, &cu, &ncu, &err) ||
        bp_store_pledge_list(r->st, &pl, &npl, &err)) {
        bp__problem_err(r, &err);
        goto out;
    }
    if (vec_load(r, CK_EVENT, &ev) || vec_load(r, CK_AWARD, &aw))
        goto out;
    ca = bp_calloc(ncu ? ncu : 1, sizeof(*ca));
    if (!ca) {
        oom(r);
        goto out;
    }
    for (i = 0; i < ncu; i++) {
        ca[i].custodian = &cu[i];
        ca[i].verified_share = NAN;
        ca[i].incidents = -1;
    }
    if (bp_award_suggest(ca, ncu, pl, npl, ev.v, ev.n, aw.v, aw.n, &cr, &s,
                         &ns, &err)) {
        bp__problem_err(r, &err);
        goto out;
    }
    a = json_array();
    for (i = 0; i < ns; i++) {
        const struct bp_custodian *c = &cu[s[i].custodian];
        json_array_append_new(
            a, json_pack("{s:s,s:s,s:s,s:f,s:i,s:i,s:f,s:s,s:s}",
                         "custodian_id", c->id, "name",
                         c->name ? c->name : "", "commune_id", c->commune_id,
                         "pledged_m", s[i].pledged_m, "years", s[i].years,
                         "event_years", s[i].event_years, "score",
                         s[i].score, "level",
                         bp_award_level_name(s[i].level), "level_vi",
                         bp_award_level_vi(s[i].level)));
    }
    bp__reply_json(r, 200,
                   json_pack("{s:o,s:i,s:f,s:i,s:o}", "as_of",
                             date_json(cr.as_of), "min_years", cr.min_years,
                             "min_length_m", cr.min_length_m,
                             "min_event_years", cr.min_event_years, "items",
                             a));
out:
    bp_free(s);
    bp_free(ca);
    vec_free(&ev);
    vec_free(&aw);
    bp_store_custodian_list_free(cu, ncu);
    bp_store_pledge_list_free(pl, npl);
}

/* ---- map layers ---- */

static int feature(struct bp_buf *b, int *first, const char *geom,
                   json_t *props)
{
    char *pj = json_dumps(props, JSON_COMPACT | JSON_PRESERVE_ORDER);
    int rc = bp_buf_addf(b, "%s{\"type\":\"Feature\",\"geometry\":%s,"
                            "\"properties\":%s}",
                         *first ? "" : ",", geom, pj ? pj : "{}");

    free(pj);
    json_decref(props);
    *first = 0;
    return rc;
}

static int line_geom(struct bp_buf *g, const struct bp_border *border,
                     double from_m, double to_m)
{
    struct bp_lonlat *pts = NULL;
    size_t n = 0;
    int rc;

    if (bp_border_slice(border, from_m, to_m, &pts, &n, NULL))
        return 1; /* nothing to draw */
    rc = bp_geojson_write_linestring(g, pts, n) ? -1 : 0;
    bp_free(pts);
    return rc;
}

/* arg: CK_ROAD, CK_LIGHT or CK_BAMBOO. */
void h_camp_layer(struct req *r)
{
    int kind = r->route->arg;
    struct bp_error err = {0};
    struct bp_border *border = NULL;
    struct bp_buf b = BP_BUF_INIT, g = BP_BUF_INIT;
    struct vec x, checks;
    size_t i;
    int rc = 0, first = 1;
    int32_t today = bp_date_today();

    memset(&x, 0, sizeof(x));
    memset(&checks, 0, sizeof(checks));
    checks.kind = CK_LCHECK;
    if (bp__cache_reply(r))
        return;
    if (bp_store_border_get(r->st, &border, &err)) {
        bp__problem_err(r, &err);
        return;
    }
    if (vec_load(r, kind, &x) ||
        (kind == CK_LIGHT && vec_load(r, CK_LCHECK, &checks)))
        goto out;
    rc = bp_buf_adds(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (i = 0; i < x.n && !rc; i++) {
        void *rec = vec_at(&x, i);
        json_t *props = rec_json(kind, rec, 0);
        int skip = 0;
        bp_buf_setlen(&g, 0);
        if (kind == CK_ROAD) {
            const struct bp_road *rd = rec;
            json_object_del(props, "geometry");
            if (rd->kind == BP_ROAD_PATH && rd->ngeom >= 2)
                rc = bp_geojson_write_linestring(&g, rd->geom, rd->ngeom);
            else if (rd->kind == BP_ROAD_PATH) {
                struct bp_lonlat pt;
                if (bp_border_point(border, rd->from.measure_m, &pt))
                    skip = 1;
                else
                    rc = bp_buf_addf(&g, "{\"type\":\"Point\",\"coordinates\""
                                         ":[%.7f,%.7f]}",
                                     pt.lon, pt.lat);
            } else {
                skip = line_geom(&g, border, rd->from.measure_m,
                                 rd->to.measure_m);
                rc = skip < 0;
            }
        } else if (kind == CK_BAMBOO) {
            const struct bp_bamboo *bb = rec;
            skip = line_geom(&g, border, bb->from.measure_m,
                             bb->to.measure_m);
            rc = skip < 0;
        } else {
            const struct bp_light *l = rec;
            struct bp_lonlat pt = {l->lon, l->lat};
            if (!isfinite(l->lon) &&
                bp_border_point(border, l->measure_m, &pt))
                skip = 1;
            else
                rc = bp_buf_addf(&g, "{\"type\":\"Point\",\"coordinates\":"
                                     "[%.7f,%.7f]}",
                                 pt.lon, pt.lat);
            json_object_set_new(
                props, "working_now",
                json_boolean(bp_light_working(l, checks.v, checks.n,
                                              today)));
        }
        if (skip || rc) {
            json_decref(props);
            continue;
        }
        rc = feature(&b, &first, g.data, props);
    }
    if (!rc)
        rc = bp_buf_adds(&b, "]}");
    if (rc) {
        oom(r);
        goto out;
    }
    bp__reply_text(r, 200, "application/geo+json", b.data, b.len);
    bp__cache_store(r);
out:
    bp_buf_release(&b);
    bp_buf_release(&g);
    vec_free(&x);
    vec_free(&checks);
    bp_border_free(border);
}

/* ---- CSV ---- */

void h_camp_export_csv(struct req *r)
{
    enum bp_camp_csv_kind k = (enum bp_camp_csv_kind)r->route->arg;
    unsigned st = bp__policy_campaign(&r->who, 0, "", 0);
    struct bp_error err = {0};
    struct bp_buf b = BP_BUF_INIT;

    if (st) {
        deny(r, st);
        return;
    }
    /* Campaign records are read province-wide, as the lists show them. */
    if (bp_campaign_csv_export(r->st, k, NULL, NULL, &b, &err)) {
        bp_buf_release(&b);
        bp__problem_err(r, &err);
        return;
    }
    bp__reply_csv(r, b.data, b.len, bp_camp_csv_kind_name(k));
    bp_buf_release(&b);
}

/* Station and commune users import only into their communes. */
static int import_allow(void *ctx, const char *commune_id)
{
    struct req *r = ctx;

    return !bp__policy_campaign(&r->who, 1, commune_id, 1);
}

struct import_progress {
    struct req *r;
    long long total;
};

static void import_progress(void *ctx, long rows)
{
    struct import_progress *p = ctx;

    bp__job_progress(p->r, JOB_ROWS,
                     p->total >= 0 && rows > p->total ? p->total : rows,
                     -1);
}

void h_camp_import_csv(struct req *r)
{
    enum bp_camp_csv_kind k = (enum bp_camp_csv_kind)r->route->arg;
    int local = k == BP_CX_BAMBOO || k == BP_CX_LIGHTS || k == BP_CX_EVENTS;
    const char *enc = bp__query(r, "encoding");
    const char *fname = bp__query(r, "filename");
    struct bp_camp_import_opts o;
    struct import_progress pr;
    struct bp_import_result res = {0};
    struct bp_error err = {0};
    char name[128];
    json_t *after;
    unsigned st = bp__policy_campaign(&r->who, local, NULL, 1);

    if (st) {
        deny(r, st);
        return;
    }
    memset(&o, 0, sizeof(o));
    if (bp__refuse_csv_body(r))
        return;
    if (enc && bp_csv_parse_encoding(enc, &o.encoding)) {
        bad_query(r, "encoding",
                  "expected auto, utf-8, windows-1258, tcvn3 or utf-16");
        return;
    }
    if (fname && *fname)
        snprintf(name, sizeof(name), "%.100s", fname);
    else
        snprintf(name, sizeof(name), "%s.csv", bp_camp_csv_kind_name(k));
    pr.r = r;
    pr.total = bp__job_csv_rows(r->body.data, r->body.len);
    bp__job_progress(r, JOB_ROWS, 0, pr.total);
    o.progress = import_progress;
    o.progress_ctx = &pr;
    if (r->who.role != BP_ROLE_ADMIN) {
        o.allow = import_allow;
        o.allow_ctx = r;
    }
    bp__write_lock(r->srv);
    if (!bp_campaign_csv_import(r->st, k, r->body.data, r->body.len, name,
                                &o, &res, &err)) {
        after = json_pack("{s:I,s:I}", "rows", (json_int_t)res.rows,
                          "records", (json_int_t)res.records);
        /* The import committed; its audit entry follows at once. */
        bp__audit(r, "import", bp_camp_csv_kind_name(k), NULL, NULL, after,
                  &err);
        bp__write_unlock(r->srv);
        bp__job_progress(r, JOB_ROWS, res.rows, res.rows);
        bp__reply_json(r, 200, after);
    } else {
        bp__write_unlock(r->srv);
        bp__problem_import(r, &res, &err);
    }
    bp_import_result_release(&res);
}
