/* SPDX-License-Identifier: MIT */
/*
 * The registry's records over HTTP: stations, communes, villages,
 * markers, custodians and pledges, described by field tables so one set
 * of handlers lists (filters, sorting, cursor pages), gets, creates,
 * updates and ends them all, checks every field of a body, asks the
 * policy about every record, and writes each change with its audit entry
 * in one transaction.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/exchange.h"
#include "server/server_int.h"

enum ftype {
    F_ID,      /* bp_uuid, the record's id */
    F_TEXT,    /* char *, owned */
    F_REF,     /* bp_uuid reference */
    F_DATE,    /* int32_t day */
    F_NUM,     /* double */
    F_NUMNAN,  /* double, NAN is null */
    F_INT,     /* int */
    F_MKIND,   /* enum bp_marker_kind */
    F_CKIND,   /* enum bp_custodian_kind */
    F_COLL,    /* enum bp_collective_kind (collectives only) */
    F_ANCHOR,  /* struct bp_anchor */
    F_KEY      /* char[32], derived */
};

#define FL_REQ 1u      /* required to create */
#define FL_RO 2u       /* derived or set by its own endpoint */
#define FL_PERSONAL 4u /* a person's data */
#define FL_SEARCH 8u   /* ?q= looks here */
#define FL_HH 16u      /* personal only for households (custodian name) */

struct field {
    const char *name;
    enum ftype t;
    size_t off;
    unsigned flags;
    size_t maxlen; /* texts */
};

#define FEND {NULL, F_ID, 0, 0, 0}

static const struct field f_station[] = {
    {"id", F_ID, offsetof(struct bp_station, id), 0, 0},
    {"code", F_TEXT, offsetof(struct bp_station, code), FL_REQ | FL_SEARCH,
     32},
    {"name", F_TEXT, offsetof(struct bp_station, name), FL_REQ | FL_SEARCH,
     200},
    {"ended_on", F_DATE, offsetof(struct bp_station, ended_on), FL_RO, 0},
    FEND,
};

static const struct field f_commune[] = {
    {"id", F_ID, offsetof(struct bp_commune, id), 0, 0},
    {"code", F_TEXT, offsetof(struct bp_commune, code), FL_REQ | FL_SEARCH,
     32},
    {"name", F_TEXT, offsetof(struct bp_commune, name), FL_REQ | FL_SEARCH,
     200},
    {"district", F_TEXT, offsetof(struct bp_commune, district), FL_SEARCH,
     200},
    {"station_id", F_REF, offsetof(struct bp_commune, station_id), 0, 0},
    {"from", F_ANCHOR, offsetof(struct bp_commune, from), FL_REQ, 0},
    {"to", F_ANCHOR, offsetof(struct bp_commune, to), FL_REQ, 0},
    {"ended_on", F_DATE, offsetof(struct bp_commune, ended_on), FL_RO, 0},
    FEND,
};

static const struct field f_village[] = {
    {"id", F_ID, offsetof(struct bp_village, id), 0, 0},
    {"name", F_TEXT, offsetof(struct bp_village, name), FL_REQ | FL_SEARCH,
     200},
    {"commune_id", F_REF, offsetof(struct bp_village, commune_id), FL_REQ, 0},
    {"ended_on", F_DATE, offsetof(struct bp_village, ended_on), FL_RO, 0},
    FEND,
};

static const struct field f_marker[] = {
    {"id", F_ID, offsetof(struct bp_marker, id), 0, 0},
    {"number", F_TEXT, offsetof(struct bp_marker, number),
     FL_REQ | FL_SEARCH, 32},
    {"key", F_KEY, offsetof(struct bp_marker, key), FL_RO, 0},
    {"kind", F_MKIND, offsetof(struct bp_marker, kind), 0, 0},
    {"lon", F_NUM, offsetof(struct bp_marker, lon), FL_REQ, 0},
    {"lat", F_NUM, offsetof(struct bp_marker, lat), FL_REQ, 0},
    {"measure_m", F_NUM, offsetof(struct bp_marker, measure_m), FL_RO, 0},
    {"offset_m", F_NUM, offsetof(struct bp_marker, offset_m), FL_RO, 0},
    {"official_m", F_NUMNAN, offsetof(struct bp_marker, official_m), 0, 0},
    {"ended_on", F_DATE, offsetof(struct bp_marker, ended_on), FL_RO, 0},
    FEND,
};

static const struct field f_custodian[] = {
    {"id", F_ID, offsetof(struct bp_custodian, id), 0, 0},
    {"kind", F_CKIND, offsetof(struct bp_custodian, kind), FL_REQ, 0},
    {"name", F_TEXT, offsetof(struct bp_custodian, name),
     FL_REQ | FL_SEARCH | FL_HH, 200},
    {"collective_kind", F_COLL,
     offsetof(struct bp_custodian, collective_kind), 0, 0},
    {"members", F_INT, offsetof(struct bp_custodian, members), 0, 0},
    {"village_id", F_REF, offsetof(struct bp_custodian, village_id), 0, 0},
    {"commune_id", F_REF, offsetof(struct bp_custodian, commune_id), 0, 0},
    {"phone", F_TEXT, offsetof(struct bp_custodian, phone),
     FL_PERSONAL | FL_SEARCH, 32},
    {"citizen_id", F_TEXT, offsetof(struct bp_custodian, citizen_id),
     FL_PERSONAL | FL_SEARCH, 16},
    {"contact", F_TEXT, offsetof(struct bp_custodian, contact), FL_PERSONAL,
     200},
    {"ended_on", F_DATE, offsetof(struct bp_custodian, ended_on), FL_RO, 0},
    FEND,
};

static const struct field f_pledge[] = {
    {"id", F_ID, offsetof(struct bp_pledge, id), 0, 0},
    {"custodian_id", F_REF, offsetof(struct bp_pledge, custodian_id), FL_REQ,
     0},
    {"from", F_ANCHOR, offsetof(struct bp_pledge, from), FL_REQ, 0},
    {"to", F_ANCHOR, offsetof(struct bp_pledge, to), FL_REQ, 0},
    {"signed_on", F_DATE, offsetof(struct bp_pledge, signed_on), FL_REQ, 0},
    {"ended_on", F_DATE, offsetof(struct bp_pledge, ended_on), FL_RO, 0},
    {"station_id", F_REF, offsetof(struct bp_pledge, station_id), 0, 0},
    {"doc_no", F_TEXT, offsetof(struct bp_pledge, doc_no), FL_SEARCH, 64},
    {"note", F_TEXT, offsetof(struct bp_pledge, note), 0, 1000},
    FEND,
};

/* The store's calls for each kind, with one signature. */
#define WRAP(R)                                                              \
    static int R##_get(struct bp_store *st, const char *ref, void *rec,      \
                       struct bp_error *err)                                 \
    {                                                                        \
        return bp_store_##R##_get(st, ref, rec, err);                        \
    }                                                                        \
    static int R##_put(struct bp_store *st, void *rec, struct bp_error *err) \
    {                                                                        \
        return bp_store_##R##_put(st, rec, err);                             \
    }                                                                        \
    static int R##_page(struct bp_store *st,                                 \
                        const struct bp_list_query *lq, void **v,            \
                        size_t *n, struct bp_list_page *pg,                  \
                        struct bp_error *err)                                \
    {                                                                        \
        struct bp_##R *a = NULL;                                             \
        int rc = bp_store_##R##_page(st, lq, &a, n, pg, err);                \
        if (!rc)                                                             \
            *v = a;                                                          \
        return rc;                                                           \
    }                                                                        \
    static void R##_list_free(void *v, size_t n)                             \
    {                                                                        \
        bp_store_##R##_list_free(v, n);                                      \
    }                                                                        \
    static void R##_release(void *rec)                                       \
    {                                                                        \
        bp_##R##_release(rec);                                               \
    }

WRAP(station)
WRAP(commune)
WRAP(village)
WRAP(marker)
WRAP(custodian)
WRAP(pledge)

struct kind {
    const char *name; /* plural, as in the path */
    size_t size;
    const struct field *fields;
    int scoped;      /* belongs to communes */
    int admin_write; /* only admins change it */
    int (*get)(struct bp_store *, const char *, void *, struct bp_error *);
    int (*put)(struct bp_store *, void *, struct bp_error *);
    int (*page)(struct bp_store *, const struct bp_list_query *, void **,
                size_t *, struct bp_list_page *, struct bp_error *);
    void (*list_free)(void *, size_t);
    int (*end)(struct bp_store *, const char *, int32_t, struct bp_error *);
    void (*release)(void *);
};

#define KIND(R, plural, scoped, admin)                                       \
    {plural,     sizeof(struct bp_##R), f_##R,        scoped,                \
     admin,      R##_get,               R##_put,      R##_page,              \
     R##_list_free, bp_store_##R##_end, R##_release}

static const struct kind kinds[RK_N] = {
    KIND(station, "stations", 0, 1),   KIND(commune, "communes", 0, 1),
    KIND(village, "villages", 1, 0),   KIND(marker, "markers", 0, 1),
    KIND(custodian, "custodians", 1, 0), KIND(pledge, "pledges", 1, 0),
};

/* A new record's defaults. */
static void rec_init(const struct kind *k, void *rec)
{
    const struct field *f;

    memset(rec, 0, k->size);
    for (f = k->fields; f->name; f++) {
        if (f->t == F_DATE)
            *(int32_t *)((char *)rec + f->off) = BP_DATE_NONE;
        else if (f->t == F_NUMNAN)
            *(double *)((char *)rec + f->off) = NAN;
        else if (f->t == F_ANCHOR)
            ((struct bp_anchor *)((char *)rec + f->off))->measure_m = NAN;
    }
}

/* ---- records to JSON ---- */

static json_t *date_json(int32_t day)
{
    char d[16];

    return day == BP_DATE_NONE ? json_null()
                               : json_string(bp_date_format_iso(day, d));
}

static json_t *anchor_json(const struct bp_anchor *a)
{
    return json_pack("{s:o,s:f,s:o}", "marker",
                     a->marker_key[0] ? json_string(a->marker_key)
                                      : json_null(),
                     "offset_m", isfinite(a->offset_m) ? a->offset_m : 0.0,
                     "measure_m",
                     isfinite(a->measure_m) ? json_real(a->measure_m)
                                            : json_null());
}

static int is_household(const struct kind *k, const void *rec)
{
    return k == &kinds[RK_CUSTODIAN] &&
           ((const struct bp_custodian *)rec)->kind == BP_HOUSEHOLD;
}

static json_t *rec_json(const struct kind *k, const void *rec, int personal)
{
    const struct field *f;
    json_t *o = json_object(), *v;
    const char *base = rec;

    for (f = k->fields; f->name; f++) {
        const void *p = base + f->off;
        if (!personal && ((f->flags & FL_PERSONAL) ||
                          ((f->flags & FL_HH) && is_household(k, rec))))
            continue;
        switch (f->t) {
        case F_ID:
        case F_REF:
        case F_KEY:
            v = *(const char *)p ? json_string(p) : json_null();
            break;
        case F_TEXT:
            v = *(char *const *)p ? json_string(*(char *const *)p)
                                  : json_null();
            break;
        case F_DATE:
            v = date_json(*(const int32_t *)p);
            break;
        case F_NUM:
        case F_NUMNAN:
            v = isfinite(*(const double *)p) ? json_real(*(const double *)p)
                                             : json_null();
            break;
        case F_INT:
            v = json_integer(*(const int *)p);
            break;
        case F_MKIND:
            v = json_string(
                bp_marker_kind_name(*(const enum bp_marker_kind *)p));
            break;
        case F_CKIND:
            v = json_string(*(const enum bp_custodian_kind *)p ==
                                    BP_COLLECTIVE
                                ? "collective"
                                : "household");
            break;
        case F_COLL:
            v = is_household(k, rec)
                    ? json_null()
                    : json_string(bp_collective_kind_name(
                          *(const enum bp_collective_kind *)p));
            break;
        case F_ANCHOR:
            v = anchor_json(p);
            break;
        default:
            v = json_null();
        }
        json_object_set_new(o, f->name, v);
    }
    if (k == &kinds[RK_PLEDGE]) {
        const struct bp_pledge *pl = rec;
        json_object_set_new(o, "length_m",
                            json_real(pl->to.measure_m - pl->from.measure_m));
    }
    return o;
}

/* ---- JSON to records ---- */

static void add_err(json_t *errors, const char *field, const char *detail)
{
    json_array_append_new(errors, bp__field_error(field, 0, detail));
}

static int parse_anchor(json_t *v, struct bp_anchor *a, const char *field,
                        json_t *errors)
{
    struct bp_anchor n = {"", 0, NAN};

    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        const char *t = s + strspn(s, " ");
        /* "km 80,350" is a measure; anything else names a marker. */
        int km = !strncasecmp(t, "km", 2);
        if (km ? bp_anchor_parse_km(s, &n) : bp_anchor_parse(s, &n)) {
            add_err(errors, field,
                    "expected a marker and offset ('1120+350') or a km "
                    "('km 80,350')");
            return -1;
        }
        *a = n;
        return 0;
    }
    if (json_is_object(v)) {
        json_t *mk = json_object_get(v, "marker");
        json_t *off = json_object_get(v, "offset_m");
        json_t *mm = json_object_get(v, "measure_m");
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) {
            if (strcmp(k, "marker") && strcmp(k, "offset_m") &&
                strcmp(k, "measure_m")) {
                add_err(errors, field,
                        "an anchor has only marker, offset_m and measure_m");
                return -1;
            }
        }
        if (mk && !json_is_null(mk)) {
            if (!json_is_string(mk) ||
                bp_marker_key(json_string_value(mk), n.marker_key,
                              sizeof(n.marker_key))) {
                add_err(errors, field, "marker is not a marker number");
                return -1;
            }
            if (off && !json_is_null(off)) {
                if (!json_is_number(off) ||
                    !isfinite(json_number_value(off))) {
                    add_err(errors, field, "offset_m is not a number");
                    return -1;
                }
                n.offset_m = json_number_value(off);
            }
            *a = n;
            return 0;
        }
        if (mm && json_is_number(mm) && isfinite(json_number_value(mm))) {
            n.measure_m = json_number_value(mm);
            *a = n;
            return 0;
        }
    }
    add_err(errors, field,
            "expected {\"marker\": \"1120\", \"offset_m\": 350} or "
            "{\"measure_m\": 80350}");
    return -1;
}

/*
 * Apply the members of `o` to `rec`. Unknown members, wrong types and bad
 * values are added to `errors`. Read-only members are ignored, except an
 * id that differs from `rec`'s (an update cannot move a record).
 */
static void rec_apply(const struct kind *k, void *rec, json_t *o,
                      int creating, json_t *errors)
{
    const struct field *f;
    const char *key;
    json_t *v;
    char *base = rec;
    char msg[128];

    json_object_foreach(o, key, v) {
        void *p;
        for (f = k->fields; f->name && strcmp(f->name, key); f++)
            ;
        if (!f->name) {
            if (!(k == &kinds[RK_PLEDGE] && !strcmp(key, "length_m")))
                add_err(errors, key, "unknown field");
            continue;
        }
        p = base + f->off;
        if (f->flags & FL_RO)
            continue;
        switch (f->t) {
        case F_ID:
            if (json_is_null(v))
                break;
            if (!json_is_string(v) || !bp_uuid_valid(json_string_value(v))) {
                add_err(errors, key, "expected a UUID");
                break;
            }
            if (creating)
                snprintf(p, sizeof(bp_uuid), "%s", json_string_value(v));
            else if (strcasecmp(json_string_value(v), p))
                add_err(errors, key, "does not match the record's id");
            break;
        case F_REF:
            if (json_is_null(v) ||
                (json_is_string(v) && !json_string_length(v))) {
                *(char *)p = 0;
                break;
            }
            if (!json_is_string(v) || !bp_uuid_valid(json_string_value(v))) {
                add_err(errors, key, "expected the UUID of a record");
                break;
            }
            snprintf(p, sizeof(bp_uuid), "%s", json_string_value(v));
            break;
        case F_TEXT:
            if (json_is_null(v)) {
                if (f->flags & FL_REQ) {
                    add_err(errors, key, "required");
                    break;
                }
                bp_free(*(char **)p);
                *(char **)p = NULL;
                break;
            }
            if (!json_is_string(v)) {
                add_err(errors, key, "expected a string");
                break;
            }
            if (json_string_length(v) > f->maxlen ||
                strlen(json_string_value(v)) != json_string_length(v)) {
                snprintf(msg, sizeof(msg),
                         "expected at most %zu bytes, without NUL",
                         f->maxlen);
                add_err(errors, key, msg);
                break;
            }
            bp_free(*(char **)p);
            *(char **)p = bp_strdup(json_string_value(v));
            break;
        case F_DATE:
            if (json_is_null(v)) {
                *(int32_t *)p = BP_DATE_NONE;
                break;
            }
            if (!json_is_string(v) ||
                bp_date_parse(json_string_value(v), (int32_t *)p))
                add_err(errors, key,
                        "expected a date (yyyy-mm-dd or dd/mm/yyyy)");
            break;
        case F_NUM:
        case F_NUMNAN:
            if (f->t == F_NUMNAN && json_is_null(v)) {
                *(double *)p = NAN;
                break;
            }
            if (!json_is_number(v) || !isfinite(json_number_value(v))) {
                add_err(errors, key, "expected a number");
                break;
            }
            *(double *)p = json_number_value(v);
            break;
        case F_INT:
            if (!json_is_integer(v) || json_integer_value(v) < 0 ||
                json_integer_value(v) > 100000) {
                add_err(errors, key, "expected a whole number 0..100000");
                break;
            }
            *(int *)p = (int)json_integer_value(v);
            break;
        case F_MKIND:
            if (!json_is_string(v) ||
                bp_marker_kind_parse(json_string_value(v),
                                     (enum bp_marker_kind *)p))
                add_err(errors, key, "expected main, sub or twin");
            break;
        case F_CKIND:
            if (json_is_string(v) &&
                !strcmp(json_string_value(v), "household"))
                *(enum bp_custodian_kind *)p = BP_HOUSEHOLD;
            else if (json_is_string(v) &&
                     !strcmp(json_string_value(v), "collective"))
                *(enum bp_custodian_kind *)p = BP_COLLECTIVE;
            else
                add_err(errors, key, "expected household or collective");
            break;
        case F_COLL:
            if (json_is_null(v))
                break;
            if (!json_is_string(v) ||
                bp_collective_kind_parse(json_string_value(v),
                                         (enum bp_collective_kind *)p))
                add_err(errors, key,
                        "expected youth_union, self_managed, militia, "
                        "school, women_union, unit or other");
            break;
        case F_ANCHOR:
            parse_anchor(v, p, key, errors);
            break;
        case F_KEY:
            break;
        }
    }
}

/* Required members missing from `o` (creating or replacing). */
static void rec_required(const struct kind *k, json_t *o, json_t *errors)
{
    const struct field *f;

    for (f = k->fields; f->name; f++)
        if ((f->flags & FL_REQ) && !json_object_get(o, f->name))
            add_err(errors, f->name, "required");
}

/* ---- scope ---- */

/* The commune a record belongs to ("" when none or not scoped). */
static int rec_commune(struct req *r, const struct kind *k, const void *rec,
                       bp_uuid out)
{
    struct bp_error err = {0};
    int rc = 0;

    out[0] = 0;
    if (k == &kinds[RK_VILLAGE]) {
        memcpy(out, ((const struct bp_village *)rec)->commune_id,
               sizeof(bp_uuid));
    } else if (k == &kinds[RK_CUSTODIAN]) {
        const struct bp_custodian *c = rec;
        if (c->commune_id[0])
            memcpy(out, c->commune_id, sizeof(bp_uuid));
        else if (c->village_id[0]) {
            struct bp_village v = {0};
            if (!bp_store_village_get(r->st, c->village_id, &v, &err)) {
                memcpy(out, v.commune_id, sizeof(bp_uuid));
                bp_village_release(&v);
            }
        }
    } else if (k == &kinds[RK_PLEDGE]) {
        struct bp_custodian c = {0};
        if (!bp_store_custodian_get(
                r->st, ((const struct bp_pledge *)rec)->custodian_id, &c,
                &err)) {
            rc = rec_commune(r, &kinds[RK_CUSTODIAN], &c, out);
            bp_custodian_release(&c);
        }
    } else if (k == &kinds[RK_COMMUNE]) {
        memcpy(out, ((const struct bp_commune *)rec)->id, sizeof(bp_uuid));
    }
    return rc;
}

/* ---- list ---- */

static void bad_query(struct req *r, const char *name, const char *detail)
{
    bp__problem(r, 400, "bad-query", "Tham số không hợp lệ",
                "Bad query parameter", detail,
                json_pack("[o]", bp__field_error(name, 0, detail)));
}

/* Resolve a ?commune= or ?station= given as id or code. */
static int resolve_ref(struct req *r, int commune, const char *s,
                       bp_uuid out)
{
    struct bp_error err = {0};

    if (commune) {
        struct bp_commune c = {0};
        if (bp_store_commune_get(r->st, s, &c, &err))
            return -1;
        memcpy(out, c.id, sizeof(bp_uuid));
        bp_commune_release(&c);
    } else {
        struct bp_station c = {0};
        if (bp_store_station_get(r->st, s, &c, &err))
            return -1;
        memcpy(out, c.id, sizeof(bp_uuid));
        bp_station_release(&c);
    }
    return 0;
}

/*
 * Which records of kind `k` a list may show `who`, as the policy says for
 * a record of no commune: all of them (0), those of the user's communes
 * (the policy's 404 for records outside them), or none (any other
 * answer). The store applies it in the query.
 */
static void list_scope(const struct principal *who, const struct kind *k,
                       struct bp_list_query *lq)
{
    unsigned st = bp__policy_record(who, k->scoped, k->admin_write, NULL, 0);

    if (!st)
        return;
    lq->scoped = 1;
    if (st == 404) {
        lq->communes = (const bp_uuid *)who->communes;
        lq->ncommunes = who->ncommunes;
    }
}

void h_rec_list(struct req *r)
{
    const struct kind *k = &kinds[r->route->arg];
    struct bp_error err = {0};
    struct bp_list_query lq = BP_LIST_QUERY_INIT;
    struct bp_list_page pg = {0, NULL};
    void *v = NULL;
    size_t n = 0, i;
    const char *q_commune = bp__query(r, "commune");
    const char *q_station = bp__query(r, "station");
    const char *q_asof = bp__query(r, "as_of");
    const char *q_sort = bp__query(r, "sort");
    const char *q_limit = bp__query(r, "limit");
    bp_uuid fcommune = "", fstation = "";
    int personal = bp__policy_personal(&r->who);
    json_t *items;

    if (q_limit) {
        char *end;
        long l = strtol(q_limit, &end, 10);
        if (*end || !*q_limit || l < 1 || l > BP_LIST_LIMIT_MAX) {
            bad_query(r, "limit", "expected a whole number 1..1000");
            return;
        }
        lq.limit = (size_t)l;
    }
    if (q_asof && bp_date_parse(q_asof, &lq.as_of)) {
        bad_query(r, "as_of", "expected a date (yyyy-mm-dd or dd/mm/yyyy)");
        return;
    }
    if (q_commune && resolve_ref(r, 1, q_commune, fcommune)) {
        bad_query(r, "commune", "no such commune (id or code)");
        return;
    }
    if (q_station && resolve_ref(r, 0, q_station, fstation)) {
        bad_query(r, "station", "no such station (id or code)");
        return;
    }
    if (q_sort) {
        const char *name = q_sort[0] == '-' ? q_sort + 1 : q_sort;
        const struct field *f;
        for (f = k->fields; f->name && strcmp(f->name, name); f++)
            ;
        /* Pledges also sort by their length, which is no stored field. */
        if ((!f->name && !(k == &kinds[RK_PLEDGE] &&
                           !strcmp(name, "length_m"))) ||
            (!personal && (f->flags & FL_PERSONAL))) {
            bad_query(r, "sort", "not a field of this resource");
            return;
        }
    }
    lq.sort = q_sort;
    lq.cursor = bp__query(r, "cursor");
    lq.q = bp__query(r, "q");
    lq.q_personal = personal;
    lq.commune = q_commune ? fcommune : NULL;
    lq.station = q_station ? fstation : NULL;
    lq.custodian = bp__query(r, "custodian");
    lq.village = bp__query(r, "village");
    lq.kind = bp__query(r, "kind");
    lq.count = 1;
    list_scope(&r->who, k, &lq);
    if (k->page(r->st, &lq, &v, &n, &pg, &err)) {
        if (err.code == BP_EINVAL && (!strcmp(err.field, "cursor") ||
                                      !strcmp(err.field, "sort") ||
                                      !strcmp(err.field, "limit")))
            bad_query(r, err.field, err.message);
        else
            bp__problem_err(r, &err);
        return;
    }
    items = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(
            items, rec_json(k, (const char *)v + i * k->size, personal));
    bp__reply_json(r, 200,
                   json_pack("{s:o,s:o,s:I}", "items", items, "next_cursor",
                             pg.next_cursor ? json_string(pg.next_cursor)
                                            : json_null(),
                             "total", (json_int_t)pg.total));
    bp_list_page_release(&pg);
    k->list_free(v, n);
}

/* ---- get ---- */

/* Load the record named by the path into `rec` and check the policy;
 * 0, or replied. */
static int load_visible(struct req *r, const struct kind *k, void *rec,
                        int write)
{
    struct bp_error err = {0};
    bp_uuid cm;
    unsigned st;

    rec_init(k, rec);
    if (!bp_uuid_valid(r->params[0]) ||
        k->get(r->st, r->params[0], rec, &err)) {
        rec_init(k, rec);
        bp__problem(r, 404, "not-found", "Không tìm thấy", "Not found",
                    "no such record", NULL);
        return -1;
    }
    rec_commune(r, k, rec, cm);
    st = bp__policy_record(&r->who, k->scoped, k->admin_write, cm, write);
    if (st == 404)
        bp__problem(r, 404, "not-found", "Không tìm thấy", "Not found",
                    "no such record", NULL);
    else if (st)
        bp__problem(r, 403, "forbidden", "Không được phép", "Forbidden",
                    "your role may not change this record", NULL);
    if (st) {
        k->release(rec);
        rec_init(k, rec);
        return -1;
    }
    return 0;
}

union any_rec {
    struct bp_station s;
    struct bp_commune c;
    struct bp_village v;
    struct bp_marker m;
    struct bp_custodian cu;
    struct bp_pledge p;
};

void h_rec_get(struct req *r)
{
    const struct kind *k = &kinds[r->route->arg];
    union any_rec rec;

    if (load_visible(r, k, &rec, 0))
        return;
    bp__reply_json(r, 200, rec_json(k, &rec, bp__policy_personal(&r->who)));
    k->release(&rec);
}

/* ---- writes ---- */

static void invalid(struct req *r, json_t *errors)
{
    bp__problem(r, 422, "invalid", "Dữ liệu không hợp lệ", "Invalid data",
                "some fields are not valid", errors);
}

/* Put `rec`, read it back and audit, in one transaction (the write lock
 * held by the caller). Replies either way. */
static void save(struct req *r, const struct kind *k, void *rec,
                 json_t *before, const char *action, unsigned ok_status)
{
    struct bp_error err = {0};
    union any_rec after;
    json_t *aj = NULL;
    const char *id = (const char *)rec; /* the id is every record's first */
    bp_uuid cm;
    unsigned st;

    rec_init(k, &after);
    if (bp_store_begin(r->st, &err) || k->put(r->st, rec, &err) ||
        k->get(r->st, id, &after, &err))
        goto fail;
    /* The record as written must still be the user's to change. */
    rec_commune(r, k, &after, cm);
    st = bp__policy_record(&r->who, k->scoped, k->admin_write, cm, 1);
    if (st) {
        bp_store_rollback(r->st);
        bp__problem(r, 403, "forbidden", "Không được phép", "Forbidden",
                    "the record would belong to a commune outside your "
                    "scope",
                    NULL);
        goto out;
    }
    aj = rec_json(k, &after, 1);
    if (bp__audit(r, action, k->name, id, before, aj, &err) ||
        bp_store_commit(r->st, &err))
        goto fail;
    if (ok_status == 201) {
        struct bp_buf loc = BP_BUF_INIT;
        bp_buf_addf(&loc, "/api/v1/%s/%s", k->name, id);
        r->location = bp_buf_take(&loc, NULL);
    }
    bp__reply_json(r, ok_status,
                   rec_json(k, &after, bp__policy_personal(&r->who)));
    goto out;
fail:
    bp_store_rollback(r->st);
    bp__problem_err(r, &err);
out:
    json_decref(aj);
    k->release(&after);
}

void h_rec_create(struct req *r)
{
    const struct kind *k = &kinds[r->route->arg];
    struct bp_error err = {0};
    union any_rec rec, old;
    json_t *body = bp__body_json(r, 0), *errors;
    bp_uuid cm;
    unsigned st;

    rec_init(k, &rec);
    if (!body)
        return;
    errors = json_array();
    rec_apply(k, &rec, body, 1, errors);
    rec_required(k, body, errors);
    if (json_array_size(errors)) {
        invalid(r, errors);
        goto out;
    }
    json_decref(errors);
    rec_commune(r, k, &rec, cm);
    st = bp__policy_record(&r->who, k->scoped, k->admin_write, cm, 1);
    if (st) {
        bp__problem(r, 403, "forbidden", "Không được phép", "Forbidden",
                    k->scoped ? "the record would belong to a commune "
                                "outside your scope"
                              : "only admins change these records",
                    NULL);
        goto out;
    }
    bp__write_lock(r->srv);
    if (((char *)&rec)[0]) {
        rec_init(k, &old);
        if (!k->get(r->st, (char *)&rec, &old, &err)) {
            k->release(&old);
            bp__write_unlock(r->srv);
            bp__problem(r, 409, "conflict", "Xung đột với dữ liệu đã có",
                        "Conflicts with existing records",
                        "a record with this id exists; change it with PATCH",
                        json_pack("[o]", bp__field_error("id", 0,
                                                         "already exists")));
            goto out;
        }
    }
    save(r, k, &rec, NULL, "create", 201);
    bp__write_unlock(r->srv);
out:
    k->release(&rec);
    json_decref(body);
}

void h_rec_update(struct req *r)
{
    const struct kind *k = &kinds[r->route->arg];
    union any_rec rec, fresh;
    json_t *body = bp__body_json(r, 0), *errors = NULL, *before = NULL;
    int put = !strcmp(r->method, "PUT");

    if (!body)
        return;
    bp__write_lock(r->srv);
    if (load_visible(r, k, &rec, 1))
        goto out;
    before = rec_json(k, &rec, 1);
    errors = json_array();
    if (put) {
        /* Replace: what the body does not give is reset. */
        rec_init(k, &fresh);
        memcpy(&fresh, &rec, sizeof(bp_uuid));
        rec_apply(k, &fresh, body, 0, errors);
        rec_required(k, body, errors);
        k->release(&rec);
        memcpy(&rec, &fresh, sizeof(rec));
    } else
        rec_apply(k, &rec, body, 0, errors);
    if (json_array_size(errors)) {
        invalid(r, errors);
        errors = NULL;
        k->release(&rec);
        goto out;
    }
    save(r, k, &rec, before, "update", 200);
    k->release(&rec);
out:
    bp__write_unlock(r->srv);
    json_decref(errors);
    json_decref(before);
    json_decref(body);
}

void h_rec_end(struct req *r)
{
    static const char *const allowed = "ended_on";
    const struct kind *k = &kinds[r->route->arg];
    struct bp_error err = {0};
    union any_rec rec, after;
    json_t *body = bp__body_json(r, 1), *before = NULL, *aj = NULL, *d;
    const char *key;
    json_t *v;
    int32_t day = bp_date_today();

    if (!body)
        return;
    json_object_foreach(body, key, v) {
        if (strcmp(key, allowed)) {
            invalid(r, json_pack("[o]", bp__field_error(key, 0,
                                                        "unknown field")));
            json_decref(body);
            return;
        }
    }
    d = json_object_get(body, "ended_on");
    if (d && (!json_is_string(d) || bp_date_parse(json_string_value(d), &day))) {
        invalid(r, json_pack("[o]", bp__field_error(
                                        "ended_on", 0,
                                        "expected a date (yyyy-mm-dd or "
                                        "dd/mm/yyyy)")));
        json_decref(body);
        return;
    }
    bp__write_lock(r->srv);
    rec_init(k, &after);
    if (load_visible(r, k, &rec, 1))
        goto out;
    before = rec_json(k, &rec, 1);
    if (bp_store_begin(r->st, &err) ||
        k->end(r->st, r->params[0], day, &err) ||
        k->get(r->st, r->params[0], &after, &err))
        goto fail;
    aj = rec_json(k, &after, 1);
    if (bp__audit(r, "end", k->name, r->params[0], before, aj, &err) ||
        bp_store_commit(r->st, &err))
        goto fail;
    bp__reply_json(r, 200, rec_json(k, &after, bp__policy_personal(&r->who)));
    goto done;
fail:
    bp_store_rollback(r->st);
    bp__problem_err(r, &err);
done:
    k->release(&rec);
out:
    bp__write_unlock(r->srv);
    k->release(&after);
    json_decref(before);
    json_decref(aj);
    json_decref(body);
}
