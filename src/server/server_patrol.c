/* SPDX-License-Identifier: MIT */
/*
 * Patrols over HTTP: patrols with their tracks, walked stretches and
 * flags, GPS track uploads (GPX, GeoJSON, CSV; all files or none, as the
 * CLI), approval, verified kilometres, overdue lists, marker inspections,
 * incidents with their status history, and the walked and incident map
 * layers. A patrol belongs to the communes of its participants (or of its
 * station when it has none); the policy decides from those.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bienphong/alloc.h"
#include "bienphong/csv.h"
#include "bienphong/date.h"
#include "bienphong/geojson.h"
#include "server/server_int.h"
#include "server/server_jobs.h"

/* ---- small helpers ---- */

static void bad_query(struct req *r, const char *name, const char *detail)
{
    bp__problem(r, 400, "bad-query", "Tham số không hợp lệ",
                "Bad query parameter", detail,
                json_pack("[o]", bp__field_error(name, 0, detail)));
}

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

static void forbidden(struct req *r, const char *detail)
{
    bp__problem(r, 403, "forbidden", "Không được phép", "Forbidden", detail,
                NULL);
}

/* Answer a policy status other than 0. */
static void deny(struct req *r, unsigned st)
{
    if (st == 404)
        not_found(r);
    else
        forbidden(r, "the record belongs to communes outside your scope");
}

static json_t *date_json(int32_t day)
{
    char d[16];

    return day == BP_DATE_NONE ? json_null()
                               : json_string(bp_date_format_iso(day, d));
}

static json_t *str_json(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *num_json(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *flags_json(unsigned flags)
{
    json_t *a = json_array();
    int bit;

    for (bit = 0; bit < BP_TQ_NFLAGS; bit++)
        if (flags & (1u << bit))
            json_array_append_new(a, json_string(bp_tq_name(bit)));
    return a;
}

static int64_t now_ms(void)
{
    return (int64_t)bp__now_ms();
}

/* ?NAME= as a date: BP_DATE_NONE when absent; 0 or replied. */
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

/* ?NAME= as a whole number in [lo, hi], `def` when absent; 0 or replied. */
int bp__query_long(struct req *r, const char *name, long lo, long hi,
                   long def, long *out)
{
    const char *s = bp__query(r, name);
    char *end;
    long v;

    *out = def;
    if (!s)
        return 0;
    v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) {
        char msg[96];
        snprintf(msg, sizeof(msg), "expected a whole number %ld..%ld", lo,
                 hi);
        bad_query(r, name, msg);
        return -1;
    }
    *out = v;
    return 0;
}

/* ---- where records belong ---- */

struct idc {
    const char *id, *commune;
};

static int cmp_idc(const void *a, const void *b)
{
    return strcmp(((const struct idc *)a)->id, ((const struct idc *)b)->id);
}

static const char *idc_find(const struct idc *m, size_t n, const char *id)
{
    struct idc key = {id, NULL};
    const struct idc *hit =
        n && id ? bsearch(&key, m, n, sizeof(*m), cmp_idc) : NULL;
    return hit ? hit->commune : "";
}

/* Custodians, villages and communes, to place records in communes. */
struct place {
    struct bp_custodian *cu;
    size_t ncu;
    struct bp_village *vil;
    size_t nvil;
    struct bp_commune *cm;
    size_t ncm;
    struct idc *vmap, *cmap;
};

static void place_release(struct place *p)
{
    bp_store_custodian_list_free(p->cu, p->ncu);
    bp_store_village_list_free(p->vil, p->nvil);
    bp_store_commune_list_free(p->cm, p->ncm);
    bp_free(p->vmap);
    bp_free(p->cmap);
    memset(p, 0, sizeof(*p));
}

/* 0, or replied. */
static int place_load(struct req *r, struct place *p)
{
    struct bp_error err = {0};
    size_t i;

    memset(p, 0, sizeof(*p));
    if (bp_store_custodian_list(r->st, &p->cu, &p->ncu, &err) ||
        bp_store_village_list(r->st, &p->vil, &p->nvil, &err) ||
        bp_store_commune_list(r->st, &p->cm, &p->ncm, &err)) {
        bp__problem_err(r, &err);
        return -1;
    }
    p->vmap = bp_calloc(p->nvil + 1, sizeof(*p->vmap));
    p->cmap = bp_calloc(p->ncu + 1, sizeof(*p->cmap));
    if (!p->vmap || !p->cmap) {
        oom(r);
        return -1;
    }
    for (i = 0; i < p->nvil; i++) {
        p->vmap[i].id = p->vil[i].id;
        p->vmap[i].commune = p->vil[i].commune_id;
    }
    qsort(p->vmap, p->nvil, sizeof(*p->vmap), cmp_idc);
    for (i = 0; i < p->ncu; i++) {
        p->cmap[i].id = p->cu[i].id;
        p->cmap[i].commune =
            p->cu[i].commune_id[0]
                ? p->cu[i].commune_id
                : idc_find(p->vmap, p->nvil, p->cu[i].village_id);
    }
    qsort(p->cmap, p->ncu, sizeof(*p->cmap), cmp_idc);
    return 0;
}

static const char *custodian_commune(const struct place *p, const char *id)
{
    return idc_find(p->cmap, p->ncu, id);
}

/* The commune whose stretch holds `measure_m`, or "". */
static const char *commune_at(const struct place *p, double measure_m)
{
    size_t i;

    for (i = 0; isfinite(measure_m) && i < p->ncm; i++) {
        double a = p->cm[i].from.measure_m, b = p->cm[i].to.measure_m;
        if (p->cm[i].ended_on != BP_DATE_NONE)
            continue;
        if (a > b) {
            double t = a;
            a = b;
            b = t;
        }
        if (measure_m >= a && measure_m <= b)
            return p->cm[i].id;
    }
    return "";
}

/* The communes of a patrol: of its participants, else of its station.
 * `out` holds at least max(ncustodians, ncm) + 1 entries. */
static size_t patrol_communes(const struct place *p, const char *station_id,
                              bp_uuid *cust, size_t ncust,
                              const char **out)
{
    size_t i, j, n = 0;

    for (i = 0; i < ncust; i++) {
        const char *c = custodian_commune(p, cust[i]);
        for (j = 0; j < n && strcmp(out[j], c); j++)
            ;
        if (j == n)
            out[n++] = c;
    }
    if (!ncust && station_id && *station_id)
        for (i = 0; i < p->ncm; i++)
            if (!strcmp(p->cm[i].station_id, station_id))
                out[n++] = p->cm[i].id;
    return n;
}

/* The policy's answer for a patrol. */
static unsigned patrol_policy(struct req *r, const struct place *pl,
                              const char *station_id, bp_uuid *cust,
                              size_t ncust, int write)
{
    const char **cs = bp_calloc(ncust + pl->ncm + 1, sizeof(*cs));
    size_t n;
    unsigned st;

    if (!cs)
        return 500;
    n = patrol_communes(pl, station_id, cust, ncust, cs);
    st = bp__policy_multi(&r->who, cs, n, write);
    bp_free(cs);
    return st;
}

/* The policy's answer for a record placed in one commune. */
static unsigned one_policy(struct req *r, const char *commune, int write)
{
    const char *cs[1] = {commune};

    return bp__policy_multi(&r->who, cs, 1, write);
}

/* ---- patrols ---- */

static json_t *patrol_json(const struct bp_patrol *p)
{
    json_t *ids = json_array();
    size_t i;

    for (i = 0; i < p->ncustodians; i++)
        json_array_append_new(ids, json_string(p->custodians[i]));
    return json_pack("{s:s,s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:I,s:f,s:f,s:f,s:f,"
                     "s:o,s:b}",
                     "id", p->id, "date", date_json(p->day), "station_id",
                     str_json(p->station_id), "kind",
                     bp_patrol_kind_name(p->kind), "leader",
                     str_json(p->leader), "officers", str_json(p->officers),
                     "note", str_json(p->note), "participants", ids,
                     "tracks", (json_int_t)p->ntracks, "walked_m",
                     p->walked_m, "travelled_m", p->travelled_m,
                     "duration_s", p->duration_s, "farthest_m",
                     p->farthest_m, "flags", flags_json(p->flags),
                     "verified", p->verified);
}

/* Resolve a station given by id or code into `out`; 0 or -1. */
static int station_ref(struct req *r, const char *s, bp_uuid out)
{
    struct bp_error err = {0};
    struct bp_station st = {0};

    if (bp_store_station_get(r->st, s, &st, &err))
        return -1;
    memcpy(out, st.id, sizeof(bp_uuid));
    bp_station_release(&st);
    return 0;
}

void h_patrol_list(struct req *r)
{
    struct bp_error err = {0};
    struct bp_patrol *v = NULL;
    struct place pl;
    const char *q_station = bp__query(r, "station");
    bp_uuid fstation = "";
    int32_t from, to;
    long limit, cursor;
    size_t n = 0, i, total = 0;
    json_t *items;

    memset(&pl, 0, sizeof(pl));
    if (q_date(r, "from", &from) || q_date(r, "to", &to) ||
        bp__query_long(r, "limit", 1, 1000, 50, &limit) ||
        bp__query_long(r, "cursor", 0, 100000000, 0, &cursor))
        return;
    if (q_station && station_ref(r, q_station, fstation)) {
        bad_query(r, "station", "no such station (id or code)");
        return;
    }
    if (place_load(r, &pl))
        goto out;
    if (bp_store_patrol_list(r->st, from, to, &v, &n, &err)) {
        bp__problem_err(r, &err);
        goto out;
    }
    items = json_array();
    for (i = 0; i < n; i++) {
        if (q_station && strcmp(v[i].station_id, fstation))
            continue;
        if (patrol_policy(r, &pl, v[i].station_id, v[i].custodians,
                          v[i].ncustodians, 0))
            continue;
        if (total >= (size_t)cursor && total < (size_t)(cursor + limit))
            json_array_append_new(items, patrol_json(&v[i]));
        total++;
    }
    bp__reply_page(r, items, cursor, limit, total);
out:
    bp_store_patrol_list_free(v, n);
    place_release(&pl);
}

/* Load the patrol of the path, visible to the user; 0 or replied. */
static int patrol_visible(struct req *r, struct bp_patrol *p, int write)
{
    struct bp_error err = {0};
    struct place pl;
    unsigned st;

    memset(p, 0, sizeof(*p));
    if (!bp_uuid_valid(r->params[0]) ||
        bp_store_patrol_get(r->st, r->params[0], p, &err)) {
        bp_patrol_release(p);
        not_found(r);
        return -1;
    }
    if (place_load(r, &pl)) {
        place_release(&pl);
        bp_patrol_release(p);
        return -1;
    }
    st = patrol_policy(r, &pl, p->station_id, p->custodians, p->ncustodians,
                       write);
    place_release(&pl);
    if (st) {
        bp_patrol_release(p);
        deny(r, st);
        return -1;
    }
    return 0;
}

static json_t *tracks_json(struct req *r, const char *patrol_id)
{
    struct bp_error err = {0};
    struct bp_track_info *t = NULL;
    size_t n = 0, i;
    json_t *a = json_array();

    if (bp_store_track_list(r->st, patrol_id, &t, &n, &err))
        return a;
    for (i = 0; i < n; i++)
        json_array_append_new(
            a, json_pack("{s:s,s:o,s:s,s:I,s:I,s:f,s:f,s:f,s:f,s:o,s:o,s:b}",
                         "id", t[i].id, "file", str_json(t[i].file), "hash",
                         t[i].hash, "fixes", (json_int_t)t[i].nfix, "kept",
                         (json_int_t)t[i].nkept, "walked_m", t[i].walked_m,
                         "travelled_m", t[i].travelled_m, "duration_s",
                         t[i].duration_s, "farthest_m", t[i].farthest_m,
                         "flags", flags_json(t[i].flags), "flag_note",
                         str_json(t[i].flag_note), "approved",
                         t[i].approved));
    bp_store_track_list_free(t, n);
    return a;
}

static json_t *walked_json(struct req *r, const char *patrol_id)
{
    struct bp_error err = {0};
    struct bp_spanset sp;
    json_t *a = json_array();
    size_t i;

    bp_spanset_init(&sp);
    if (!bp_store_patrol_spans(r->st, patrol_id, 0, &sp, &err))
        for (i = 0; i < sp.n; i++)
            json_array_append_new(
                a, json_pack("{s:f,s:f,s:f}", "from_m", sp.v[i].from_m,
                             "to_m", sp.v[i].to_m, "length_m",
                             sp.v[i].to_m - sp.v[i].from_m));
    bp_spanset_release(&sp);
    return a;
}

static json_t *patrol_full(struct req *r, const struct bp_patrol *p)
{
    json_t *o = patrol_json(p);

    json_object_set_new(o, "track_list", tracks_json(r, p->id));
    json_object_set_new(o, "walked", walked_json(r, p->id));
    return o;
}

void h_patrol_get(struct req *r)
{
    struct bp_patrol p;

    if (patrol_visible(r, &p, 0))
        return;
    bp__reply_json(r, 200, patrol_full(r, &p));
    bp_patrol_release(&p);
}

/* Patrol fields from a JSON object or import parameters. */
struct pinput {
    int32_t day;
    bp_uuid station_id;
    enum bp_patrol_kind kind;
    char *leader, *officers, *note; /* owned */
    bp_uuid *cust;                  /* owned */
    size_t ncust;
};

static void pinput_release(struct pinput *in)
{
    bp_free(in->leader);
    bp_free(in->officers);
    bp_free(in->note);
    bp_free(in->cust);
    memset(in, 0, sizeof(*in));
}

static int add_cust(struct pinput *in, const char *id, size_t len)
{
    bp_uuid *nv = bp_reallocarray(in->cust, in->ncust + 1, sizeof(bp_uuid));

    if (!nv)
        return BP_ENOMEM;
    in->cust = nv;
    snprintf(in->cust[in->ncust], sizeof(bp_uuid), "%.*s",
             (int)(len < BP_UUID_LEN ? len : BP_UUID_LEN), id);
    in->ncust++;
    return 0;
}

/* Set one named patrol field from text (query or form field); adds to
 * `errors` when bad. */
static void pinput_text(struct req *r, struct pinput *in, const char *name,
                        const char *v, json_t *errors)
{
    if (!strcmp(name, "date")) {
        if (bp_date_parse(v, &in->day))
            json_array_append_new(
                errors, bp__field_error(name, 0,
                                        "expected a date (yyyy-mm-dd or "
                                        "dd/mm/yyyy)"));
    } else if (!strcmp(name, "station")) {
        if (*v && station_ref(r, v, in->station_id))
            json_array_append_new(
                errors, bp__field_error(name, 0,
                                        "no such station (id or code)"));
    } else if (!strcmp(name, "kind")) {
        if (bp_patrol_kind_parse(v, &in->kind))
            json_array_append_new(
                errors, bp__field_error(name, 0,
                                        "expected joint, station or "
                                        "bilateral"));
    } else if (!strcmp(name, "participants")) {
        const char *p = v;
        while (*p) {
            size_t len = strcspn(p, ", ");
            if (len && add_cust(in, p, len))
                break;
            p += len;
            p += strspn(p, ", ");
        }
    } else if (!strcmp(name, "leader") || !strcmp(name, "note") ||
               !strcmp(name, "officers")) {
        char **dst = !strcmp(name, "leader") ? &in->leader
                     : !strcmp(name, "note") ? &in->note
                                             : &in->officers;
        if (strlen(v) > 1000) {
            json_array_append_new(
                errors, bp__field_error(name, 0, "at most 1000 bytes"));
            return;
        }
        bp_free(*dst);
        *dst = bp_strdup(v);
    }
}

static void pinput_json(struct req *r, struct pinput *in, json_t *body,
                        json_t *errors)
{
    const char *key;
    json_t *v;

    json_object_foreach(body, key, v) {
        if (!strcmp(key, "participants")) {
            size_t i;
            json_t *x;
            if (!json_is_array(v)) {
                json_array_append_new(
                    errors, bp__field_error(key, 0,
                                            "expected an array of custodian "
                                            "ids"));
                continue;
            }
            json_array_foreach(v, i, x) {
                if (!json_is_string(x) ||
                    !bp_uuid_valid(json_string_value(x))) {
                    json_array_append_new(
                        errors, bp__field_error(key, 0,
                                                "expected custodian UUIDs"));
                    break;
                }
                if (add_cust(in, json_string_value(x), BP_UUID_LEN))
                    break;
            }
            continue;
        }
        if (!strcmp(key, "station_id"))
            key = "station";
        if (strcmp(key, "date") && strcmp(key, "station") &&
            strcmp(key, "kind") && strcmp(key, "leader") &&
            strcmp(key, "note") && strcmp(key, "officers")) {
            json_array_append_new(errors,
                                  bp__field_error(key, 0, "unknown field"));
            continue;
        }
        if (json_is_null(v))
            continue;
        if (!json_is_string(v)) {
            json_array_append_new(errors,
                                  bp__field_error(key, 0,
                                                  "expected a string"));
            continue;
        }
        pinput_text(r, in, key, json_string_value(v), errors);
    }
}

/* Check the participants exist and the policy allows the patrol; 0 or
 * replied. */
static int pinput_check(struct req *r, struct pinput *in)
{
    struct place pl;
    unsigned st;
    size_t i;
    int rc = -1;

    if (place_load(r, &pl))
        goto out;
    for (i = 0; i < in->ncust; i++)
        if (!bp_uuid_valid(in->cust[i]) ||
            !custodian_commune(&pl, in->cust[i])[0]) {
            char msg[120];
            snprintf(msg, sizeof(msg), "'%s' is not a known custodian",
                     in->cust[i]);
            invalid(r, json_pack("[o]", bp__field_error("participants", 0,
                                                        msg)));
            goto out;
        }
    /* A station user's patrol is its station's unless said otherwise. */
    if (!in->station_id[0] && r->who.role == BP_ROLE_STATION)
        memcpy(in->station_id, r->who.station_id, sizeof(bp_uuid));
    st = patrol_policy(r, &pl, in->station_id, in->cust, in->ncust, 1);
    if (st) {
        forbidden(r, "the patrol's participants or station are outside "
                     "your scope");
        goto out;
    }
    rc = 0;
out:
    place_release(&pl);
    return rc;
}

static void pinput_to(const struct pinput *in, struct bp_patrol *p)
{
    memset(p, 0, sizeof(*p));
    p->day = in->day;
    memcpy(p->station_id, in->station_id, sizeof(bp_uuid));
    p->kind = in->kind;
    p->leader = in->leader;
    p->officers = in->officers;
    p->note = in->note;
    p->custodians = in->cust;
    p->ncustodians = in->ncust;
}

void h_patrol_create(struct req *r)
{
    struct bp_error err = {0};
    struct pinput in;
    struct bp_patrol p, after;
    json_t *body = bp__body_json(r, 0), *errors, *aj = NULL;

    memset(&in, 0, sizeof(in));
    memset(&after, 0, sizeof(after));
    in.day = BP_DATE_NONE;
    if (!body)
        return;
    errors = json_array();
    pinput_json(r, &in, body, errors);
    if (in.day == BP_DATE_NONE && !json_array_size(errors))
        json_array_append_new(errors,
                              bp__field_error("date", 0, "required"));
    if (json_array_size(errors)) {
        invalid(r, errors);
        goto out;
    }
    json_decref(errors);
    if (pinput_check(r, &in))
        goto out;
    pinput_to(&in, &p);
    bp__write_lock(r->srv);
    if (bp_store_begin(r->st, &err) || bp_store_patrol_put(r->st, &p, &err) ||
        bp_store_patrol_get(r->st, p.id, &after, &err))
        goto fail;
    aj = patrol_json(&after);
    if (bp__audit(r, "create", "patrols", after.id, NULL, aj, &err) ||
        bp_store_commit(r->st, &err))
        goto fail;
    bp__write_unlock(r->srv);
    {
        struct bp_buf loc = BP_BUF_INIT;
        bp_buf_addf(&loc, "/api/v1/patrols/%s", after.id);
        r->location = bp_buf_take(&loc, NULL);
    }
    bp__reply_json(r, 201, patrol_full(r, &after));
    goto out;
fail:
    bp_store_rollback(r->st);
    bp__write_unlock(r->srv);
    bp__problem_err(r, &err);
out:
    json_decref(aj);
    bp_patrol_release(&after);
    pinput_release(&in);
    json_decref(body);
}

void h_patrol_approve(struct req *r)
{
    struct bp_error err = {0};
    struct bp_patrol p;
    size_t n = 0;
    json_t *after;

    bp__write_lock(r->srv);
    if (patrol_visible(r, &p, 1)) {
        bp__write_unlock(r->srv);
        return;
    }
    if (bp_store_begin(r->st, &err) ||
        bp_store_patrol_approve(r->st, p.id, r->who.name, &n, &err))
        goto fail;
    after = json_pack("{s:s,s:I,s:s}", "patrol_id", p.id, "approved",
                      (json_int_t)n, "by", r->who.name);
    if (bp__audit(r, "approve", "patrols", p.id, NULL, after, &err) ||
        bp_store_commit(r->st, &err)) {
        json_decref(after);
        goto fail;
    }
    bp__write_unlock(r->srv);
    bp__reply_json(r, 200, after);
    goto out;
fail:
    bp_store_rollback(r->st);
    bp__write_unlock(r->srv);
    bp__problem_err(r, &err);
out:
    bp_patrol_release(&p);
}

/* ---- uploads ---- */

/* One file of an upload: borrowed from the request body. */
struct upfile {
    char name[256];
    const char *data;
    size_t len;
};

static const char *memfind(const char *h, size_t hn, const char *n, size_t nn)
{
    size_t i;

    for (i = 0; nn && i + nn <= hn; i++)
        if (h[i] == n[0] && !memcmp(h + i, n, nn))
            return h + i;
    return NULL;
}

/* A header parameter `name="value"` of a part's headers into `out`. */
static int part_param(const char *hdr, size_t n, const char *name, char *out,
                      size_t size)
{
    char key[40];
    const char *p, *e;
    size_t kl = (size_t)snprintf(key, sizeof(key), "%s=\"", name);

    p = memfind(hdr, n, key, kl);
    /* "name=" must not be the tail of "filename=". */
    while (p && p > hdr && p[-1] != ' ' && p[-1] != ';')
        p = memfind(p + 1, n - (size_t)(p + 1 - hdr), key, kl);
    if (!p)
        return -1;
    p += kl;
    e = memchr(p, '"', n - (size_t)(p - hdr));
    if (!e)
        return -1;
    snprintf(out, size, "%.*s", (int)(e - p), p);
    return 0;
}

/*
 * Split a multipart/form-data body: parts with a filename become files,
 * the others patrol fields. 0, or replied.
 */
static int multipart(struct req *r, const char *ctype, struct upfile **files,
                     size_t *nfiles, struct pinput *in, json_t *errors)
{
    const char *b = strstr(ctype, "boundary="), *p, *end;
    char delim[256];
    size_t dl;

    if (!b) {
        bp__problem(r, 400, "bad-multipart", "Dữ liệu tải lên hỏng",
                    "Malformed upload", "multipart without a boundary",
                    NULL);
        return -1;
    }
    b += 9;
    if (*b == '"')
        b++;
    dl = (size_t)snprintf(delim, sizeof(delim), "--%.*s",
                          (int)strcspn(b, "\"; "), b);
    p = r->body.data;
    end = r->body.data + r->body.len;
    p = memfind(p, (size_t)(end - p), delim, dl);
    while (p) {
        const char *hdr, *hend, *data, *next;
        char name[64] = "", fname[256] = "";
        p += dl;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return 0; /* the closing delimiter */
        hdr = p + strspn(p, "\r\n");
        hend = memfind(hdr, (size_t)(end - hdr), "\r\n\r\n", 4);
        if (!hend)
            break;
        data = hend + 4;
        next = memfind(data, (size_t)(end - data), delim, dl);
        if (!next)
            break;
        part_param(hdr, (size_t)(hend - hdr), "name", name, sizeof(name));
        if (!part_param(hdr, (size_t)(hend - hdr), "filename", fname,
                        sizeof(fname))) {
            struct upfile *nv =
                bp_reallocarray(*files, *nfiles + 1, sizeof(**files));
            if (!nv) {
                oom(r);
                return -1;
            }
            *files = nv;
            snprintf(nv[*nfiles].name, sizeof(nv[*nfiles].name), "%s",
                     fname[0] ? fname : "upload");
            nv[*nfiles].data = data;
            /* The part ends with CRLF before the delimiter. */
            nv[*nfiles].len = (size_t)(next - data) >= 2
                                  ? (size_t)(next - data) - 2
                                  : 0;
            (*nfiles)++;
        } else if (name[0]) {
            size_t len = (size_t)(next - data) >= 2
                             ? (size_t)(next - data) - 2
                             : 0;
            char *v = bp_strndup(data, len);
            if (!v) {
                oom(r);
                return -1;
            }
            pinput_text(r, in, name, v, errors);
            bp_free(v);
        }
        p = next;
    }
    bp__problem(r, 400, "bad-multipart", "Dữ liệu tải lên hỏng",
                "Malformed upload", "the multipart body is not closed",
                NULL);
    return -1;
}

/* Import one file inside the open transaction. */
static int import_one(struct req *r, const struct pinput *in,
                      const char *patrol_id, const struct upfile *f,
                      json_t **res_out, struct bp_error *err)
{
    struct bp_track t;
    struct bp_track_result res;
    struct bp_track_hash h;
    struct bp_patrol p;
    bp_uuid dup = "";
    int rc;

    bp_track_init(&t);
    bp_walk_init(&res.walk);
    memset(&p, 0, sizeof(p));
    *res_out = NULL;
    rc = bp_track_read(f->data, f->len, f->name, &t, err);
    if (rc)
        goto out;
    if (!t.n) {
        rc = bp_error_set_at(err, BP_EEMPTY, f->name, 0, NULL,
                             "'%s': only waypoints, no track points (chỉ "
                             "có điểm mốc, không có vết)",
                             f->name);
        goto out;
    }
    bp_track_hashes(f->data, f->len, NULL, 0, &h);
    if (!bp_store_track_find(r->st, h.content, dup, NULL, err)) {
        *res_out = json_pack("{s:s,s:b,s:s}", "file", f->name, "duplicate",
                             1, "track_id", dup);
        goto out;
    }
    memset(err, 0, sizeof(*err));
    if (patrol_id) {
        snprintf(p.id, sizeof(p.id), "%s", patrol_id);
    } else {
        struct bp_patrol after;
        json_t *aj;
        pinput_to(in, &p);
        if (p.day == BP_DATE_NONE) {
            size_t i;
            for (i = 0; i < t.n && t.fix[i].time_ms == BP_TIME_NONE; i++)
                ;
            if (i == t.n) {
                memset(&p, 0, sizeof(p));
                rc = bp_error_set_at(err, BP_EINVAL, f->name, 0, "date",
                                     "'%s': the track has no times: give "
                                     "the patrol's date (vết không có thời "
                                     "gian: hãy cho ngày)",
                                     f->name);
                goto out;
            }
            p.day = bp_date_of_instant(t.fix[i].time_ms / 1000);
        }
        rc = bp_store_patrol_put(r->st, &p, err);
        p.leader = p.officers = p.note = NULL;
        p.custodians = NULL;
        p.ncustodians = 0;
        if (rc)
            goto out;
        memset(&after, 0, sizeof(after));
        if (!bp_store_patrol_get(r->st, p.id, &after, err)) {
            aj = patrol_json(&after);
            rc = bp__audit(r, "create", "patrols", p.id, NULL, aj, err);
            json_decref(aj);
        }
        bp_patrol_release(&after);
        if (rc)
            goto out;
    }
    rc = bp_store_track_import(r->st, p.id, NULL, now_ms(), f->name, f->data,
                               f->len, &t, &res, err);
    if (rc)
        goto out;
    {
        json_t *flags = json_array();
        int bit;
        char msg[300];
        for (bit = 0; bit < BP_TQ_NFLAGS; bit++)
            if (res.quality.flags & (1u << bit))
                json_array_append_new(
                    flags,
                    json_pack("{s:s,s:s,s:s}", "flag", bp_tq_name(bit), "vi",
                              bp_tq_vi(bit), "detail",
                              bp_tq_describe(&res.quality, bit, BP_LANG_EN,
                                             msg, sizeof(msg))));
        *res_out = json_pack(
            "{s:s,s:b,s:s,s:s,s:I,s:I,s:f,s:f,s:f,s:o,s:I}", "file", f->name,
            "duplicate", 0, "patrol_id", p.id, "track_id", res.track_id,
            "fixes_read", (json_int_t)t.n, "fixes_kept",
            (json_int_t)res.walk.nkept, "walked_m", res.walk.walked_m,
            "travelled_m", res.walk.travelled_m, "duration_s",
            res.walk.duration_s, "flags", flags, "markers_visited",
            (json_int_t)res.visits);
        rc = bp__audit(r, "import", "tracks", res.track_id, NULL, *res_out,
                       err);
    }
out:
    bp_walk_release(&res.walk);
    bp_track_release(&t);
    return rc;
}

void h_patrol_import(struct req *r)
{
    const char *ct = bp__header(r, "Content-Type");
    const char *q_patrol = bp__query(r, "patrol");
    static const char *const qnames[] = {"date", "station", "kind",
                                         "participants", "leader", "note",
                                         "officers", NULL};
    struct bp_error err = {0};
    struct upfile *files = NULL, one;
    struct bp_patrol target;
    struct pinput in;
    size_t nfiles = 0, i, failed = 0, imported = 0, dups = 0, bytes;
    json_t *errors = json_array(), *results = json_array(), *res;
    int rc;

    memset(&in, 0, sizeof(in));
    memset(&target, 0, sizeof(target));
    in.day = BP_DATE_NONE;
    for (i = 0; qnames[i]; i++)
        if (bp__query(r, qnames[i]))
            pinput_text(r, &in, qnames[i], bp__query(r, qnames[i]), errors);
    if (ct && !strncasecmp(ct, "multipart/form-data", 19)) {
        if (multipart(r, ct, &files, &nfiles, &in, errors))
            goto out;
    } else {
        const char *fn = bp__query(r, "filename");
        if (!fn || !*fn) {
            bad_query(r, "filename",
                      "a raw upload needs ?filename= (or send "
                      "multipart/form-data)");
            goto out;
        }
        snprintf(one.name, sizeof(one.name), "%s", fn);
        one.data = r->body.data;
        one.len = r->body.len;
        files = bp_calloc(1, sizeof(*files));
        if (!files) {
            oom(r);
            goto out;
        }
        files[0] = one;
        nfiles = 1;
    }
    if (json_array_size(errors)) {
        invalid(r, errors);
        errors = NULL;
        goto out;
    }
    if (!nfiles) {
        invalid(r, json_pack("[o]", bp__field_error("file", 0,
                                                    "no file uploaded")));
        goto out;
    }
    for (i = 0; i < nfiles; i++)
        if (!files[i].len) {
            char msg[300];
            snprintf(msg, sizeof(msg), "'%s': the file is empty",
                     files[i].name);
            invalid(r, json_pack("[o]", bp__field_error("file", 0, msg)));
            goto out;
        }
    bp__write_lock(r->srv);
    if (q_patrol) {
        bp_free(r->params[0]);
        r->params[0] = bp_strdup(q_patrol);
        if (!r->params[0] || patrol_visible(r, &target, 1)) {
            if (!r->status)
                oom(r);
            bp__write_unlock(r->srv);
            goto out;
        }
    } else if (pinput_check(r, &in)) {
        bp__write_unlock(r->srv);
        goto out;
    }
    if (bp_store_begin(r->st, &err)) {
        bp__write_unlock(r->srv);
        bp__problem_err(r, &err);
        goto out;
    }
    for (i = 0, bytes = 0; i < nfiles; i++)
        bytes += files[i].len;
    bp__job_progress(r, JOB_FILES, 0, (long long)nfiles);
    bp__job_progress(r, JOB_BYTES, 0, (long long)bytes);
    /* All files or none: every bad file is reported, then nothing kept. */
    for (i = 0, bytes = 0; i < nfiles; i++) {
        if (bp__job_cancelled(r)) {
            /* The server is stopping: leave nothing half imported. */
            bp_store_rollback(r->st);
            bp__write_unlock(r->srv);
            bp__problem(r, 503, "cancelled", "Đã hủy: máy chủ đang dừng",
                        "Cancelled: the server is stopping",
                        "nothing was written; upload the files again",
                        NULL);
            goto out;
        }
        if (i)
            bp__job_progress(r, JOB_FILES, (long long)i, -1);
        memset(&err, 0, sizeof(err));
        rc = import_one(r, &in, q_patrol ? target.id : NULL, &files[i], &res,
                        &err);
        bytes += files[i].len;
        bp__job_progress(r, JOB_BYTES, (long long)bytes, -1);
        if (rc) {
            char msg[sizeof(err.message) + 300];
            json_t *e;
            /* The message names the point; say which file too. */
            if (strstr(err.message, files[i].name))
                snprintf(msg, sizeof(msg), "%s", err.message);
            else
                snprintf(msg, sizeof(msg), "'%s': %s", files[i].name,
                         err.message);
            e = bp__field_error(err.field[0] ? err.field : "file", err.row,
                                msg);
            json_object_set_new(e, "file", json_string(files[i].name));
            json_array_append_new(errors, e);
            failed++;
            if (err.code == BP_ESTORE || err.code == BP_ENOMEM)
                break;
            continue;
        }
        if (json_is_true(json_object_get(res, "duplicate")))
            dups++;
        else
            imported++;
        json_array_append_new(results, res);
    }
    bp__job_progress(r, JOB_FILES, (long long)i, -1);
    if (failed) {
        bp_store_rollback(r->st);
        bp__write_unlock(r->srv);
        if (err.code == BP_ESTORE || err.code == BP_ENOMEM)
            bp__problem_err(r, &err);
        else
            bp__problem(r, 422, "invalid-tracks",
                        "Tệp vết GPS không hợp lệ, không có gì được ghi",
                        "Bad track files; nothing was written",
                        json_string_value(json_object_get(
                            json_array_get(errors, 0), "detail")),
                        errors);
        errors = NULL;
        goto out;
    }
    if (bp_store_commit(r->st, &err)) {
        bp_store_rollback(r->st);
        bp__write_unlock(r->srv);
        bp__problem_err(r, &err);
        goto out;
    }
    bp__write_unlock(r->srv);
    bp__reply_json(r, imported ? 201 : 200,
                   json_pack("{s:o,s:I,s:I,s:I}", "files", results,
                             "imported", (json_int_t)imported, "duplicates",
                             (json_int_t)dups, "total", (json_int_t)nfiles));
    results = NULL;
out:
    json_decref(errors);
    json_decref(results);
    bp_patrol_release(&target);
    bp_free(files);
    pinput_release(&in);
}

/* ---- tracks out ---- */

void h_patrol_track(struct req *r)
{
    struct bp_error err = {0};
    struct bp_patrol p;
    struct bp_track_info *ti = NULL;
    struct bp_track *tv = NULL;
    const struct bp_track **tp = NULL;
    const char **names = NULL;
    struct bp_buf out = BP_BUF_INIT;
    size_t ni = 0, nt = 0, k, j;
    int gpx = r->route->arg, rc = 0;

    if (patrol_visible(r, &p, 0))
        return;
    if (bp_store_track_list(r->st, p.id, &ti, &ni, &err)) {
        bp__problem_err(r, &err);
        goto out;
    }
    tv = bp_calloc(ni + 1, sizeof(*tv));
    tp = bp_calloc(ni + 1, sizeof(*tp));
    names = bp_calloc(ni + 1, sizeof(*names));
    if (!tv || !tp || !names) {
        oom(r);
        goto out;
    }
    for (k = 0; k < ni; k++) {
        bp_track_init(&tv[nt]);
        if (bp_store_track_load(r->st, ti[k].id, &tv[nt], &err)) {
            bp_track_release(&tv[nt]);
            continue;
        }
        tp[nt] = &tv[nt];
        names[nt] = ti[k].file;
        nt++;
    }
    if (gpx) {
        rc = bp_gpx_write(&out, tp, names, nt);
    } else {
        rc = bp_buf_adds(&out, "{\"type\":\"FeatureCollection\","
                               "\"features\":[");
        for (k = 0; !rc && k < nt; k++) {
            char tb[32];
            json_t *props = json_pack(
                "{s:s,s:s,s:o,s:o,s:b}", "track_id", ti[k].id, "patrol_id",
                p.id, "file", str_json(ti[k].file), "flags",
                flags_json(ti[k].flags), "approved", ti[k].approved);
            json_t *times = json_array();
            char *pj;
            for (j = 0; j < tv[k].n; j++)
                json_array_append_new(
                    times, tv[k].fix[j].time_ms == BP_TIME_NONE
                               ? json_null()
                               : json_string(bp_time_format(
                                     tv[k].fix[j].time_ms, tb)));
            json_object_set_new(props, "coordTimes", times);
            pj = json_dumps(props, JSON_COMPACT | JSON_PRESERVE_ORDER);
            json_decref(props);
            rc = bp_buf_addf(&out,
                             "%s{\"type\":\"Feature\",\"properties\":%s,"
                             "\"geometry\":{\"type\":\"LineString\","
                             "\"coordinates\":[",
                             k ? "," : "", pj ? pj : "{}");
            free(pj);
            for (j = 0; !rc && j < tv[k].n; j++)
                rc = bp_buf_addf(&out, "%s[%.7f,%.7f]", j ? "," : "",
                                 tv[k].fix[j].lon, tv[k].fix[j].lat);
            if (!rc)
                rc = bp_buf_adds(&out, "]}}");
        }
        if (!rc)
            rc = bp_buf_adds(&out, "]}");
    }
    if (rc) {
        oom(r);
        goto out;
    }
    bp__reply_text(r, 200,
                   gpx ? "application/gpx+xml" : "application/geo+json",
                   out.data, out.len);
    {
        struct bp_buf d = BP_BUF_INIT;
        bp_buf_addf(&d, "attachment; filename=\"patrol-%s.%s\"", p.id,
                    gpx ? "gpx" : "geojson");
        r->disposition = bp_buf_take(&d, NULL);
    }
out:
    for (k = 0; tv && k < nt; k++)
        bp_track_release(&tv[k]);
    bp_free(tv);
    bp_free(tp);
    bp_free(names);
    bp_buf_release(&out);
    bp_store_track_list_free(ti, ni);
    bp_patrol_release(&p);
}

/* ---- verification and overdue ---- */

void h_verify(struct req *r)
{
    static const char *const modes[] = {"pledge", "custodian", "commune",
                                        "station"};
    const char *by = bp__query(r, "by");
    struct bp_error err = {0};
    struct bp_verify_data d;
    struct bp_verify v;
    struct bp_verify_group *g = NULL;
    uint32_t *grp = NULL;
    int32_t from, to;
    int mode = 0, personal = bp__policy_personal(&r->who);
    size_t i, ng = 0;
    json_t *rows, *o;

    memset(&d, 0, sizeof(d));
    memset(&v, 0, sizeof(v));
    if (q_date(r, "from", &from) || q_date(r, "to", &to))
        return;
    if (by) {
        for (mode = 0; mode < 4 && strcmp(by, modes[mode]); mode++)
            ;
        if (mode == 4) {
            bad_query(r, "by", "expected pledge, custodian, commune or "
                               "station");
            return;
        }
    }
    if (from != BP_DATE_NONE && to != BP_DATE_NONE && from > to) {
        bad_query(r, "from", "from must be on or before to");
        return;
    }
    /* Pledges and custodians are people: not for viewers. */
    if (mode < 2 && !personal) {
        forbidden(r, "viewers see verification by commune or station only");
        return;
    }
    if (bp__cache_reply(r))
        return;
    if (bp_store_verify_load(r->st, &d, &err) ||
        bp_verify_compute(&d.in, from, to, &v, &err)) {
        bp__problem_err(r, &err);
        goto out;
    }
    o = json_pack("{s:o,s:o,s:s,s:f,s:f,s:f}", "from", date_json(from), "to",
                  date_json(to), "by", modes[mode], "pledged_m", v.pledged_m,
                  "walked_m", v.walked_m, "share",
                  v.pledged_m > 0 ? v.walked_m / v.pledged_m : 0.0);
    rows = json_array();
    if (!mode) {
        for (i = 0; i < v.npledges; i++) {
            const struct bp_pledge_verify *pv = &v.pledges[i];
            uint32_t cu = d.pledges[i].custodian;
            json_t *parts;
            size_t k;
            if (!pv->active ||
                one_policy(r,
                           cu < d.ncustodians &&
                                   d.custodian_commune[cu] < d.ncommunes
                               ? d.commune_id[d.custodian_commune[cu]]
                               : "",
                           0))
                continue;
            parts = json_array();
            for (k = 0; k < pv->nparts; k++)
                json_array_append_new(
                    parts, json_pack("{s:f,s:f,s:o}", "from_m",
                                     pv->parts[k].from_m, "to_m",
                                     pv->parts[k].to_m, "last_walked",
                                     date_json(pv->parts[k].last_day)));
            json_array_append_new(
                rows,
                json_pack("{s:s,s:s,s:o,s:f,s:f,s:f,s:f,s:f,s:I,s:o,s:o}",
                          "pledge_id", d.pledge_id[i], "custodian_id",
                          d.custodian_id[cu], "custodian",
                          str_json(d.custodian_name[cu]), "from_m",
                          d.pledges[i].from_m, "to_m", d.pledges[i].to_m,
                          "pledged_m", pv->pledged_m, "walked_m",
                          pv->walked_m, "share",
                          pv->pledged_m > 0 ? pv->walked_m / pv->pledged_m
                                            : 0.0,
                          "patrols", (json_int_t)pv->patrols, "last_walked",
                          date_json(pv->last_day), "parts", parts));
        }
    } else {
        ng = mode == 1 ? d.ncustodians : mode == 2 ? d.ncommunes
                                                   : d.nstations;
        grp = bp_calloc(d.in.npledges + 1, sizeof(*grp));
        g = bp_calloc(ng + 1, sizeof(*g));
        if (!grp || !g) {
            json_decref(o);
            json_decref(rows);
            oom(r);
            goto out;
        }
        for (i = 0; i < d.in.npledges; i++) {
            uint32_t cu = d.pledges[i].custodian;
            grp[i] = mode == 1   ? cu
                     : mode == 2 ? d.custodian_commune[cu]
                                 : d.pledge_station[i];
        }
        if (bp_verify_group_by(&d.in, &v, grp, ng, g, &err)) {
            json_decref(o);
            json_decref(rows);
            bp__problem_err(r, &err);
            goto out;
        }
        for (i = 0; i < ng; i++) {
            const char *name = mode == 1   ? d.custodian_name[i]
                               : mode == 2 ? d.commune_name[i]
                                           : d.station_name[i];
            const char *gid = mode == 1   ? d.custodian_id[i]
                              : mode == 2 ? d.commune_id[i]
                                          : d.station_id[i];
            if (!g[i].pledges)
                continue;
            if (mode == 1 &&
                one_policy(r,
                           d.custodian_commune[i] < d.ncommunes
                               ? d.commune_id[d.custodian_commune[i]]
                               : "",
                           0))
                continue;
            json_array_append_new(
                rows,
                json_pack("{s:s,s:o,s:I,s:f,s:f,s:f,s:o}", "id", gid, "name",
                          str_json(name), "pledges",
                          (json_int_t)g[i].pledges, "pledged_m",
                          g[i].pledged_m, "walked_m", g[i].walked_m, "share",
                          g[i].pledged_m > 0 ? g[i].walked_m / g[i].pledged_m
                                             : 0.0,
                          "last_walked", date_json(g[i].last_day)));
        }
    }
    json_object_set_new(o, "rows", rows);
    bp__reply_json(r, 200, o);
    bp__cache_store(r);
out:
    bp_free(g);
    bp_free(grp);
    bp_verify_release(&v);
    bp_verify_data_release(&d);
}

void h_overdue(struct req *r)
{
    struct bp_error err = {0};
    struct bp_verify_data d;
    struct bp_overdue *o = NULL;
    struct bp_marker_due *m = NULL;
    size_t n = 0, nm = 0, i;
    int32_t as_of;
    long days;
    double total = 0;
    int personal = bp__policy_personal(&r->who);
    json_t *st, *mk;

    memset(&d, 0, sizeof(d));
    if (bp__query_long(r, "days", 0, 100000, 30, &days) || q_date(r, "as_of", &as_of))
        return;
    if (as_of == BP_DATE_NONE)
        as_of = bp_date_today();
    if (bp__cache_reply(r))
        return;
    if (bp_store_verify_load(r->st, &d, &err) ||
        bp_overdue_compute(&d.in, as_of, (int)days, &o, &n, &err) ||
        bp_store_marker_overdue(r->st, as_of, (int)days, &m, &nm, &err)) {
        bp__problem_err(r, &err);
        goto out;
    }
    st = json_array();
    for (i = 0; i < n; i++) {
        uint32_t cu = d.pledges[o[i].pledge].custodian;
        const char *cm = cu < d.ncustodians &&
                                 d.custodian_commune[cu] < d.ncommunes
                             ? d.commune_id[d.custodian_commune[cu]]
                             : NULL;
        json_t *row;
        /* Scoped users: their communes' stretches; viewers: every
         * stretch, without whose it is. */
        if (personal && one_policy(r, cm ? cm : "", 0))
            continue;
        total += o[i].to_m - o[i].from_m;
        row = json_pack("{s:f,s:f,s:f,s:o,s:o}", "from_m", o[i].from_m,
                        "to_m", o[i].to_m, "length_m",
                        o[i].to_m - o[i].from_m, "last_walked",
                        date_json(o[i].last_day), "commune_id",
                        str_json(cm));
        if (personal) {
            json_object_set_new(row, "pledge_id",
                                json_string(d.pledge_id[o[i].pledge]));
            json_object_set_new(row, "custodian",
                                str_json(d.custodian_name[cu]));
        }
        json_array_append_new(st, row);
    }
    mk = json_array();
    for (i = 0; i < nm; i++)
        json_array_append_new(
            mk, json_pack("{s:s,s:s,s:f,s:o}", "marker_id", m[i].marker_id,
                          "number", m[i].number, "measure_m", m[i].measure_m,
                          "last_inspected", date_json(m[i].last_day)));
    bp__reply_json(r, 200,
                   json_pack("{s:o,s:i,s:f,s:o,s:o}", "as_of",
                             date_json(as_of), "days", (int)days,
                             "overdue_m", total, "stretches", st, "markers",
                             mk));
    bp__cache_store(r);
out:
    bp_free(o);
    bp_free(m);
    bp_verify_data_release(&d);
}

/* ---- inspections ---- */

static json_t *inspection_json(const struct bp_inspection *x)
{
    return json_pack("{s:s,s:s,s:o,s:o,s:s,s:s,s:o,s:o,s:o,s:b,s:o,s:o,s:o}",
                     "id", x->id, "marker", x->marker, "date",
                     date_json(x->day), "inspectors", str_json(x->inspectors),
                     "condition", bp_condition_name(x->condition),
                     "condition_vi", bp_condition_vi(x->condition), "lon",
                     num_json(x->lon), "lat", num_json(x->lat), "distance_m",
                     num_json(x->distance_m), "far", x->far, "photo",
                     str_json(x->photo), "note", str_json(x->note),
                     "patrol_id", str_json(x->patrol_id));
}

/* The commune of a marker (by id, number or key), or "". */
static const char *marker_commune(struct req *r, const struct place *pl,
                                  const char *marker)
{
    struct bp_error err = {0};
    struct bp_marker m;
    const char *c = "";

    memset(&m, 0, sizeof(m));
    if (!bp_store_marker_get(r->st, marker, &m, &err))
        c = commune_at(pl, m.measure_m);
    bp_marker_release(&m);
    return c;
}

void h_inspection_list(struct req *r)
{
    struct bp_error err = {0};
    struct bp_inspection *v = NULL;
    struct place pl;
    const char *q_marker = bp__query(r, "marker");
    const char *q_visits = bp__query(r, "visits");
    size_t n = 0, i, total = 0;
    long limit, cursor;
    json_t *items;

    memset(&pl, 0, sizeof(pl));
    if (bp__query_long(r, "limit", 1, 1000, 50, &limit) ||
        bp__query_long(r, "cursor", 0, 100000000, 0, &cursor))
        return;
    if (place_load(r, &pl))
        goto out;
    if (bp_store_inspection_list(r->st, q_marker,
                                 q_visits && !strcmp(q_visits, "1"), &v, &n,
                                 &err)) {
        bp__problem_err(r, &err);
        goto out;
    }
    items = json_array();
    for (i = 0; i < n; i++) {
        if (r->who.role != BP_ROLE_ADMIN &&
            one_policy(r, marker_commune(r, &pl, v[i].marker), 0))
            continue;
        if (total >= (size_t)cursor && total < (size_t)(cursor + limit))
            json_array_append_new(items, inspection_json(&v[i]));
        total++;
    }
    bp__reply_page(r, items, cursor, limit, total);
out:
    bp_store_inspection_list_free(v, n);
    place_release(&pl);
}

/* A text member of `o` (NULL when absent or null) into `*out`; errors. */
static void get_text(json_t *o, const char *name, size_t maxlen,
                     const char **out, json_t *errors)
{
    json_t *v = json_object_get(o, name);

    *out = NULL;
    if (!v || json_is_null(v))
        return;
    if (!json_is_string(v) || json_string_length(v) > maxlen ||
        strlen(json_string_value(v)) != json_string_length(v)) {
        char msg[96];
        snprintf(msg, sizeof(msg), "expected a string of at most %zu bytes",
                 maxlen);
        json_array_append_new(errors, bp__field_error(name, 0, msg));
        return;
    }
    *out = json_string_value(v);
}

static void get_num(json_t *o, const char *name, double *out,
                    json_t *errors)
{
    json_t *v = json_object_get(o, name);

    if (!v || json_is_null(v))
        return;
    if (!json_is_number(v) || !isfinite(json_number_value(v))) {
        json_array_append_new(errors,
                              bp__field_error(name, 0, "expected a number"));
        return;
    }
    *out = json_number_value(v);
}

/* Unknown members of `o` into `errors`. */
static void only(json_t *o, const char *const *names, json_t *errors)
{
    const char *key;
    json_t *v;
    size_t i;

    json_object_foreach(o, key, v) {
        for (i = 0; names[i] && strcmp(names[i], key); i++)
            ;
        if (!names[i])
            json_array_append_new(errors,
                                  bp__field_error(key, 0, "unknown field"));
    }
}

void h_inspection_create(struct req *r)
{
    static const char *const names[] = {
        "marker", "date", "inspectors", "condition", "lon", "lat",
        "photo", "note", "patrol_id", "radius_m", NULL};
    struct bp_error err = {0};
    struct bp_inspection x;
    struct place pl;
    json_t *body = bp__body_json(r, 0), *errors, *aj = NULL;
    const char *marker = NULL, *date = NULL, *cond = NULL, *insp = NULL,
               *photo = NULL, *note = NULL, *patrol = NULL;
    double radius = 30;
    unsigned st;

    memset(&x, 0, sizeof(x));
    memset(&pl, 0, sizeof(pl));
    x.lon = x.lat = x.distance_m = NAN;
    x.day = BP_DATE_NONE;
    if (!body)
        return;
    errors = json_array();
    only(body, names, errors);
    get_text(body, "marker", 60, &marker, errors);
    get_text(body, "date", 32, &date, errors);
    get_text(body, "condition", 64, &cond, errors);
    get_text(body, "inspectors", 1000, &insp, errors);
    get_text(body, "photo", 1000, &photo, errors);
    get_text(body, "note", 2000, &note, errors);
    get_text(body, "patrol_id", 40, &patrol, errors);
    get_num(body, "lon", &x.lon, errors);
    get_num(body, "lat", &x.lat, errors);
    get_num(body, "radius_m", &radius, errors);
    if (!marker)
        json_array_append_new(errors,
                              bp__field_error("marker", 0, "required"));
    if (!date || bp_date_parse(date, &x.day))
        json_array_append_new(
            errors, bp__field_error("date", 0,
                                    "required: a date (yyyy-mm-dd or "
                                    "dd/mm/yyyy)"));
    if (cond && (bp_condition_parse(cond, &x.condition) ||
                 x.condition == BP_COND_VISIT))
        json_array_append_new(
            errors, bp__field_error("condition", 0,
                                    "expected intact, damaged, tilted, "
                                    "obscured, missing or displaced"));
    if (isfinite(x.lon) != isfinite(x.lat) ||
        (isfinite(x.lon) && (fabs(x.lon) > 180 || fabs(x.lat) > 90)))
        json_array_append_new(
            errors, bp__field_error("lon", 0,
                                    "lon and lat go together, in range"));
    if (patrol && *patrol && !bp_uuid_valid(patrol))
        json_array_append_new(errors, bp__field_error("patrol_id", 0,
                                                      "expected a UUID"));
    if (!(radius > 0 && radius <= 10000))
        json_array_append_new(
            errors, bp__field_error("radius_m", 0, "expected 0 < m <= "
                                                   "10000"));
    if (json_array_size(errors)) {
        invalid(r, errors);
        goto out;
    }
    json_decref(errors);
    if (place_load(r, &pl))
        goto out;
    st = r->who.role == BP_ROLE_ADMIN
             ? 0
             : one_policy(r, marker_commune(r, &pl, marker), 1);
    if (st) {
        forbidden(r, "the marker is outside your communes");
        goto out;
    }
    snprintf(x.marker, sizeof(x.marker), "%s", marker);
    x.inspectors = (char *)insp;
    x.photo = (char *)photo;
    x.note = (char *)note;
    if (patrol)
        snprintf(x.patrol_id, sizeof(x.patrol_id), "%s", patrol);
    bp__write_lock(r->srv);
    if (bp_store_begin(r->st, &err) ||
        bp_store_inspection_add(r->st, &x, radius, &err))
        goto fail;
    aj = inspection_json(&x);
    if (bp__audit(r, "create", "inspections", x.id, NULL, aj, &err) ||
        bp_store_commit(r->st, &err))
        goto fail;
    bp__write_unlock(r->srv);
    bp__reply_json(r, 201, json_incref(aj));
    goto out;
fail:
    bp_store_rollback(r->st);
    bp__write_unlock(r->srv);
    bp__problem_err(r, &err);
out:
    x.inspectors = x.photo = x.note = NULL;
    json_decref(aj);
    place_release(&pl);
    json_decref(body);
}

/* ---- incidents ---- */

static json_t *incident_json(const struct bp_incident *x, int personal)
{
    char t[32];
    json_t *o = json_pack(
        "{s:s,s:s,s:s,s:s,s:f,s:f,s:o,s:f,s:f,s:i,s:s,s:s}", "id", x->id,
        "kind", bp_incident_kind_name(x->kind), "kind_vi",
        bp_incident_kind_vi(x->kind), "at", bp_time_format(x->at_s * 1000, t),
        "lon", x->lon, "lat", x->lat, "marker", str_json(x->marker),
        "offset_m", isfinite(x->offset_m) ? x->offset_m : 0.0, "measure_m",
        isfinite(x->measure_m) ? x->measure_m : 0.0, "severity", x->severity,
        "status", bp_incident_status_name(x->status), "status_vi",
        bp_incident_status_vi(x->status));

    if (personal) {
        json_object_set_new(o, "reporter_custodian",
                            str_json(x->reporter_custodian));
        json_object_set_new(o, "reporter_patrol",
                            str_json(x->reporter_patrol));
        json_object_set_new(o, "description", str_json(x->description));
        json_object_set_new(o, "resolution", str_json(x->resolution));
    }
    return o;
}

static const char *incident_commune(const struct place *pl,
                                    const struct bp_incident *x)
{
    if (x->reporter_custodian[0]) {
        const char *c = custodian_commune(pl, x->reporter_custodian);
        if (*c)
            return c;
    }
    return commune_at(pl, x->measure_m);
}

void h_incident_list(struct req *r)
{
    struct bp_error err = {0};
    struct bp_incident *v = NULL;
    struct bp_incident_status_q {
        int v;
    } sq = {-1};
    struct place pl;
    const char *q_status = bp__query(r, "status");
    size_t n = 0, i, total = 0;
    long limit, cursor;
    json_t *items;

    memset(&pl, 0, sizeof(pl));
    if (bp__query_long(r, "limit", 1, 1000, 50, &limit) ||
        bp__query_long(r, "cursor", 0, 100000000, 0, &cursor))
        return;
    if (q_status) {
        enum bp_incident_status s;
        if (bp_incident_status_parse(q_status, &s)) {
            bad_query(r, "status", "expected new, in_progress or resolved");
            return;
        }
        sq.v = (int)s;
    }
    if (place_load(r, &pl))
        goto out;
    if (bp_store_incident_list(r->st, sq.v, &v, &n, &err)) {
        bp__problem_err(r, &err);
        goto out;
    }
    items = json_array();
    for (i = 0; i < n; i++) {
        if (one_policy(r, incident_commune(&pl, &v[i]), 0))
            continue;
        if (total >= (size_t)cursor && total < (size_t)(cursor + limit))
            json_array_append_new(items, incident_json(&v[i], 1));
        total++;
    }
    bp__reply_page(r, items, cursor, limit, total);
out:
    bp_store_incident_list_free(v, n);
    place_release(&pl);
}

/* Load the incident of the path with its history, visible; 0 or replied. */
static int incident_visible(struct req *r, struct bp_incident *x,
                            struct bp_incident_event **ev, size_t *nev,
                            int write)
{
    struct bp_error err = {0};
    struct place pl;
    unsigned st;

    memset(x, 0, sizeof(*x));
    *ev = NULL;
    *nev = 0;
    if (!bp_uuid_valid(r->params[0]) ||
        bp_store_incident_get(r->st, r->params[0], x, ev, nev, &err)) {
        bp_incident_release(x);
        not_found(r);
        return -1;
    }
    if (place_load(r, &pl))
        st = 500;
    else
        st = one_policy(r, incident_commune(&pl, x), write);
    place_release(&pl);
    if (st) {
        bp_incident_release(x);
        bp_incident_events_free(*ev, *nev);
        *ev = NULL;
        *nev = 0;
        if (st != 500)
            deny(r, st);
        return -1;
    }
    return 0;
}

static json_t *incident_full(const struct bp_incident *x,
                             const struct bp_incident_event *ev, size_t nev)
{
    json_t *o = incident_json(x, 1), *h = json_array();
    size_t i;
    char t[32];

    for (i = 0; i < nev; i++)
        json_array_append_new(
            h, json_pack("{s:s,s:s,s:o}", "at",
                         bp_time_format(ev[i].at_s * 1000, t), "status",
                         bp_incident_status_name(ev[i].status), "note",
                         str_json(ev[i].note)));
    json_object_set_new(o, "history", h);
    return o;
}

void h_incident_get(struct req *r)
{
    struct bp_incident x;
    struct bp_incident_event *ev;
    size_t nev;

    if (incident_visible(r, &x, &ev, &nev, 0))
        return;
    bp__reply_json(r, 200, incident_full(&x, ev, nev));
    bp_incident_events_free(ev, nev);
    bp_incident_release(&x);
}

/* ?at / "at": an instant (ISO 8601) into seconds; absent: now. */
static void get_at(json_t *o, int64_t *at_s, json_t *errors)
{
    json_t *v = json_object_get(o, "at");
    int64_t ms;

    *at_s = (int64_t)time(NULL);
    if (!v || json_is_null(v))
        return;
    if (!json_is_string(v) ||
        bp_time_parse(json_string_value(v), json_string_length(v), &ms)) {
        json_array_append_new(
            errors, bp__field_error("at", 0,
                                    "expected a time "
                                    "(2024-03-03T08:00:00+07:00)"));
        return;
    }
    *at_s = ms / 1000;
}

void h_incident_create(struct req *r)
{
    static const char *const names[] = {
        "kind", "at", "lon", "lat", "marker", "offset_m",
        "reporter_custodian", "reporter_patrol", "severity", "status",
        "description", NULL};
    struct bp_error err = {0};
    struct bp_incident x, after;
    struct bp_incident_event *ev = NULL;
    size_t nev = 0;
    struct place pl;
    json_t *body = bp__body_json(r, 0), *errors, *aj = NULL, *sev;
    const char *kind = NULL, *marker = NULL, *rc_ = NULL, *rp = NULL,
               *status = NULL, *desc = NULL;
    unsigned st;

    memset(&x, 0, sizeof(x));
    memset(&after, 0, sizeof(after));
    memset(&pl, 0, sizeof(pl));
    x.lon = x.lat = x.measure_m = NAN;
    x.offset_m = 0;
    x.severity = 2;
    if (!body)
        return;
    errors = json_array();
    only(body, names, errors);
    get_text(body, "kind", 64, &kind, errors);
    get_text(body, "marker", 60, &marker, errors);
    get_text(body, "reporter_custodian", 40, &rc_, errors);
    get_text(body, "reporter_patrol", 40, &rp, errors);
    get_text(body, "status", 32, &status, errors);
    get_text(body, "description", 4000, &desc, errors);
    get_num(body, "lon", &x.lon, errors);
    get_num(body, "lat", &x.lat, errors);
    get_num(body, "offset_m", &x.offset_m, errors);
    get_at(body, &x.at_s, errors);
    sev = json_object_get(body, "severity");
    if (sev && (!json_is_integer(sev) || json_integer_value(sev) < 1 ||
                json_integer_value(sev) > 5))
        json_array_append_new(errors,
                              bp__field_error("severity", 0,
                                              "expected a whole number "
                                              "1..5"));
    else if (sev)
        x.severity = (int)json_integer_value(sev);
    if (!kind || bp_incident_kind_parse(kind, &x.kind))
        json_array_append_new(
            errors, bp__field_error("kind", 0,
                                    "required: crossing, smuggling, "
                                    "encroachment, marker, fire or other"));
    if (status && bp_incident_status_parse(status, &x.status))
        json_array_append_new(
            errors, bp__field_error("status", 0,
                                    "expected new, in_progress or "
                                    "resolved"));
    if (!marker && !(isfinite(x.lon) && isfinite(x.lat)))
        json_array_append_new(
            errors, bp__field_error("lon", 0,
                                    "give the place: lon and lat, or a "
                                    "marker"));
    if ((rc_ && *rc_ && !bp_uuid_valid(rc_)) ||
        (rp && *rp && !bp_uuid_valid(rp)))
        json_array_append_new(
            errors, bp__field_error(rc_ && !bp_uuid_valid(rc_)
                                        ? "reporter_custodian"
                                        : "reporter_patrol",
                                    0, "expected a UUID"));
    if (json_array_size(errors)) {
        invalid(r, errors);
        goto out;
    }
    json_decref(errors);
    if (marker)
        snprintf(x.marker, sizeof(x.marker), "%s", marker);
    if (rc_)
        snprintf(x.reporter_custodian, sizeof(bp_uuid), "%s", rc_);
    if (rp)
        snprintf(x.reporter_patrol, sizeof(bp_uuid), "%s", rp);
    x.description = (char *)desc;
    if (place_load(r, &pl))
        goto out;
    bp__write_lock(r->srv);
    if (bp_store_begin(r->st, &err) ||
        bp_store_incident_add(r->st, &x, &err) ||
        bp_store_incident_get(r->st, x.id, &after, &ev, &nev, &err))
        goto fail;
    /* Placed now: it must be in the user's communes. */
    st = one_policy(r, incident_commune(&pl, &after), 1);
    if (st) {
        bp_store_rollback(r->st);
        bp__write_unlock(r->srv);
        forbidden(r, "the incident's place is outside your communes");
        goto out;
    }
    aj = incident_full(&after, ev, nev);
    if (bp__audit(r, "create", "incidents", after.id, NULL, aj, &err) ||
        bp_store_commit(r->st, &err))
        goto fail;
    bp__write_unlock(r->srv);
    {
        struct bp_buf loc = BP_BUF_INIT;
        bp_buf_addf(&loc, "/api/v1/incidents/%s", after.id);
        r->location = bp_buf_take(&loc, NULL);
    }
    bp__reply_json(r, 201, json_incref(aj));
    goto out;
fail:
    bp_store_rollback(r->st);
    bp__write_unlock(r->srv);
    bp__problem_err(r, &err);
out:
    x.description = NULL;
    json_decref(aj);
    bp_incident_events_free(ev, nev);
    bp_incident_release(&after);
    place_release(&pl);
    json_decref(body);
}

void h_incident_update(struct req *r)
{
    static const char *const names[] = {"status", "note", "resolution", "at",
                                        NULL};
    struct bp_error err = {0};
    struct bp_incident x, after;
    struct bp_incident_event *ev = NULL, *ev2 = NULL;
    size_t nev = 0, nev2 = 0;
    enum bp_incident_status s;
    json_t *body = bp__body_json(r, 0), *errors, *before = NULL, *aj = NULL;
    const char *status = NULL, *note = NULL, *res = NULL;
    int64_t at_s;

    memset(&x, 0, sizeof(x));
    memset(&after, 0, sizeof(after));
    if (!body)
        return;
    errors = json_array();
    only(body, names, errors);
    get_text(body, "status", 32, &status, errors);
    get_text(body, "note", 2000, &note, errors);
    get_text(body, "resolution", 4000, &res, errors);
    get_at(body, &at_s, errors);
    if (!status || bp_incident_status_parse(status, &s))
        json_array_append_new(
            errors, bp__field_error("status", 0,
                                    "required: new, in_progress or "
                                    "resolved"));
    if (json_array_size(errors)) {
        invalid(r, errors);
        json_decref(body);
        return;
    }
    json_decref(errors);
    bp__write_lock(r->srv);
    if (incident_visible(r, &x, &ev, &nev, 1))
        goto out;
    before = incident_full(&x, ev, nev);
    if (bp_store_begin(r->st, &err) ||
        bp_store_incident_update(r->st, x.id, s, at_s, note, res, &err) ||
        bp_store_incident_get(r->st, x.id, &after, &ev2, &nev2, &err))
        goto fail;
    aj = incident_full(&after, ev2, nev2);
    if (bp__audit(r, "update", "incidents", x.id, before, aj, &err) ||
        bp_store_commit(r->st, &err))
        goto fail;
    bp__reply_json(r, 200, json_incref(aj));
    goto out;
fail:
    bp_store_rollback(r->st);
    bp__problem_err(r, &err);
out:
    bp__write_unlock(r->srv);
    json_decref(before);
    json_decref(aj);
    bp_incident_events_free(ev, nev);
    bp_incident_events_free(ev2, nev2);
    bp_incident_release(&x);
    bp_incident_release(&after);
    json_decref(body);
}

/* ---- map layers ---- */

void h_layer_walked(struct req *r)
{
    struct bp_error err = {0};
    struct bp_border *border = NULL;
    struct bp_patrol *v = NULL;
    struct bp_buf b = BP_BUF_INIT;
    struct place pl;
    int32_t from, to;
    size_t n = 0, i, k;
    int rc = 0, first = 1, scoped = r->who.role == BP_ROLE_STATION ||
                                    r->who.role == BP_ROLE_COMMUNE;

    memset(&pl, 0, sizeof(pl));
    if (q_date(r, "from", &from) || q_date(r, "to", &to) ||
        bp__cache_reply(r))
        return;
    if (bp_store_border_get(r->st, &border, &err) ||
        bp_store_patrol_list(r->st, from, to, &v, &n, &err)) {
        bp__problem_err(r, &err);
        goto out;
    }
    if (scoped && place_load(r, &pl))
        goto out;
    rc = bp_buf_adds(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (i = 0; i < n && !rc; i++) {
        struct bp_spanset sp;
        /* Scoped users: their patrols; viewers and admins: all of them
         * (the map names nobody). */
        if (scoped && patrol_policy(r, &pl, v[i].station_id,
                                    v[i].custodians, v[i].ncustodians, 0))
            continue;
        bp_spanset_init(&sp);
        if (bp_store_patrol_spans(r->st, v[i].id, 0, &sp, &err)) {
            bp_spanset_release(&sp);
            continue;
        }
        for (k = 0; k < sp.n && !rc; k++) {
            struct bp_lonlat *pts = NULL;
            size_t np = 0;
            char d[16];
            if (bp_border_slice(border, sp.v[k].from_m, sp.v[k].to_m, &pts,
                                &np, NULL))
                continue;
            rc = bp_buf_addf(&b,
                             "%s{\"type\":\"Feature\",\"properties\":{"
                             "\"kind\":\"walked\",\"patrol_id\":\"%s\","
                             "\"date\":\"%s\",\"patrol_kind\":\"%s\","
                             "\"from_m\":%.1f,\"to_m\":%.1f,"
                             "\"verified\":%s},\"geometry\":",
                             first ? "" : ",", v[i].id,
                             bp_date_format_iso(v[i].day, d),
                             bp_patrol_kind_name(v[i].kind), sp.v[k].from_m,
                             sp.v[k].to_m, v[i].verified ? "true" : "false");
            if (!rc)
                rc = bp_geojson_write_linestring(&b, pts, np);
            if (!rc)
                rc = bp_buf_addch(&b, '}');
            first = 0;
            bp_free(pts);
        }
        bp_spanset_release(&sp);
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
    bp_border_free(border);
    bp_store_patrol_list_free(v, n);
    place_release(&pl);
}

void h_layer_incidents(struct req *r)
{
    struct bp_error err = {0};
    struct bp_incident *v = NULL;
    struct bp_buf b = BP_BUF_INIT;
    struct place pl;
    size_t n = 0, i;
    int rc = 0, first = 1, scoped = r->who.role == BP_ROLE_STATION ||
                                    r->who.role == BP_ROLE_COMMUNE;
    int personal = bp__policy_personal(&r->who);

    memset(&pl, 0, sizeof(pl));
    if (bp__cache_reply(r))
        return;
    if (bp_store_incident_list(r->st, -1, &v, &n, &err)) {
        bp__problem_err(r, &err);
        goto out;
    }
    if (scoped && place_load(r, &pl))
        goto out;
    rc = bp_buf_adds(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (i = 0; i < n && !rc; i++) {
        json_t *props;
        char *pj;
        if (!isfinite(v[i].lon) || !isfinite(v[i].lat))
            continue;
        if (scoped && one_policy(r, incident_commune(&pl, &v[i]), 0))
            continue;
        /* Viewers: what, when, how grave, how far handled; no text. */
        props = incident_json(&v[i], personal);
        pj = json_dumps(props, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(props);
        rc = bp_buf_addf(&b,
                         "%s{\"type\":\"Feature\",\"geometry\":{\"type\":"
                         "\"Point\",\"coordinates\":[%.7f,%.7f]},"
                         "\"properties\":%s}",
                         first ? "" : ",", v[i].lon, v[i].lat,
                         pj ? pj : "{}");
        free(pj);
        first = 0;
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
    bp_store_incident_list_free(v, n);
    place_release(&pl);
}

/* ---- CSV exports (issue 4: every list as CSV with a BOM) ---- */

static int csv_row(struct bp_csv_writer *w, const char *const *f, size_t n)
{
    return bp_csv_write_row(w, f, n);
}

static const char *s_or(const char *s)
{
    return s ? s : "";
}

/* The patrols, inspections or incidents the user may see, as the lists
 * filter them (?from=&to=, ?marker=, ?status=), without pages. */
void h_patrol_export_csv(struct req *r)
{
    static const char *const names[] = {"patrols", "inspections",
                                        "incidents"};
    static const char *const h_patrol[] = {
        "id",       "ngay",        "loai",        "so_vet",
        "km_da_di", "canh_bao",    "da_xac_minh", "don",
        "truong_doan", "can_bo",   "so_ho_tap_the", "ghi_chu"};
    static const char *const h_insp[] = {
        "id",     "moc",   "ngay",          "nguoi_kiem_tra", "tinh_trang",
        "kinh_do", "vi_do", "cach_moc_m",   "xa_vi_tri",      "ghi_chu",
        "tuan_tra"};
    static const char *const h_inc[] = {
        "id",         "loai",      "thoi_gian", "kinh_do",   "vi_do",
        "moc",        "cach_moc_m", "ly_trinh_km", "muc_do", "trang_thai",
        "ho_bao_tin", "mo_ta",     "ket_qua_xu_ly"};
    int what = r->route->arg;
    struct bp_error err = {0};
    struct bp_buf b = BP_BUF_INIT;
    struct bp_csv_writer w;
    struct place pl;
    struct bp_patrol *pv = NULL;
    struct bp_inspection *iv = NULL;
    struct bp_incident *xv = NULL;
    size_t n = 0, i;
    char a[32], c[32], d[32], e[32], t[40], fl[256];
    int32_t from, to;
    int rc = 0;

    memset(&pl, 0, sizeof(pl));
    bp_csv_writer_init(&w, &b, ',');
    if (what == 0 && (q_date(r, "from", &from) || q_date(r, "to", &to)))
        return;
    if (what == 2 && bp__query(r, "status")) {
        enum bp_incident_status s;
        if (bp_incident_status_parse(bp__query(r, "status"), &s)) {
            bad_query(r, "status", "expected new, in_progress or resolved");
            return;
        }
    }
    if (place_load(r, &pl))
        goto out;
    rc = bp_csv_write_bom(&w);
    if (what == 0) {
        if (bp_store_patrol_list(r->st, from, to, &pv, &n, &err))
            goto fail;
        rc = rc || csv_row(&w, h_patrol, 12);
        for (i = 0; i < n && !rc; i++) {
            const char *f[12];
            size_t len = 0;
            int bit;
            if (patrol_policy(r, &pl, pv[i].station_id, pv[i].custodians,
                              pv[i].ncustodians, 0))
                continue;
            fl[0] = 0;
            for (bit = 0; bit < BP_TQ_NFLAGS; bit++)
                if (pv[i].flags & (1u << bit))
                    len += (size_t)snprintf(fl + len, len < sizeof(fl)
                                                          ? sizeof(fl) - len
                                                          : 0,
                                            "%s%s", len ? ";" : "",
                                            bp_tq_name(bit));
            snprintf(a, sizeof(a), "%zu", pv[i].ntracks);
            snprintf(c, sizeof(c), "%.3f", pv[i].walked_m / 1000);
            snprintf(e, sizeof(e), "%zu", pv[i].ncustodians);
            f[0] = pv[i].id;
            f[1] = pv[i].day == BP_DATE_NONE
                       ? ""
                       : bp_date_format_iso(pv[i].day, d);
            f[2] = bp_patrol_kind_name(pv[i].kind);
            f[3] = a;
            f[4] = c;
            f[5] = fl;
            f[6] = pv[i].verified ? "1" : "0";
            f[7] = pv[i].station_id;
            f[8] = s_or(pv[i].leader);
            f[9] = s_or(pv[i].officers);
            f[10] = e;
            f[11] = s_or(pv[i].note);
            rc = csv_row(&w, f, 12);
        }
    } else if (what == 1) {
        if (bp_store_inspection_list(r->st, bp__query(r, "marker"), 0, &iv,
                                     &n, &err))
            goto fail;
        rc = rc || csv_row(&w, h_insp, 11);
        for (i = 0; i < n && !rc; i++) {
            const char *f[11];
            if (r->who.role != BP_ROLE_ADMIN &&
                one_policy(r, marker_commune(r, &pl, iv[i].marker), 0))
                continue;
            snprintf(a, sizeof(a), "%.7f", iv[i].lon);
            snprintf(c, sizeof(c), "%.7f", iv[i].lat);
            snprintf(e, sizeof(e), "%.0f", iv[i].distance_m);
            f[0] = iv[i].id;
            f[1] = iv[i].marker;
            f[2] = iv[i].day == BP_DATE_NONE
                       ? ""
                       : bp_date_format_iso(iv[i].day, d);
            f[3] = s_or(iv[i].inspectors);
            f[4] = bp_condition_name(iv[i].condition);
            f[5] = isfinite(iv[i].lon) ? a : "";
            f[6] = isfinite(iv[i].lat) ? c : "";
            f[7] = isfinite(iv[i].distance_m) ? e : "";
            f[8] = iv[i].far ? "1" : "0";
            f[9] = s_or(iv[i].note);
            f[10] = s_or(iv[i].patrol_id);
            rc = csv_row(&w, f, 11);
        }
    } else {
        enum bp_incident_status s;
        int sv = -1;
        if (bp__query(r, "status") &&
            !bp_incident_status_parse(bp__query(r, "status"), &s))
            sv = (int)s;
        if (bp_store_incident_list(r->st, sv, &xv, &n, &err))
            goto fail;
        rc = rc || csv_row(&w, h_inc, 13);
        for (i = 0; i < n && !rc; i++) {
            const char *f[13];
            char sev[16];
            if (one_policy(r, incident_commune(&pl, &xv[i]), 0))
                continue;
            snprintf(a, sizeof(a), "%.7f", xv[i].lon);
            snprintf(c, sizeof(c), "%.7f", xv[i].lat);
            snprintf(d, sizeof(d), "%.0f",
                     isfinite(xv[i].offset_m) ? xv[i].offset_m : 0.0);
            snprintf(e, sizeof(e), "%.3f",
                     isfinite(xv[i].measure_m) ? xv[i].measure_m / 1000
                                               : 0.0);
            snprintf(sev, sizeof(sev), "%d", xv[i].severity);
            f[0] = xv[i].id;
            f[1] = bp_incident_kind_name(xv[i].kind);
            f[2] = bp_time_format(xv[i].at_s * 1000, t);
            f[3] = a;
            f[4] = c;
            f[5] = s_or(xv[i].marker);
            f[6] = xv[i].marker[0] ? d : "";
            f[7] = e;
            f[8] = sev;
            f[9] = bp_incident_status_name(xv[i].status);
            f[10] = s_or(xv[i].reporter_custodian);
            f[11] = s_or(xv[i].description);
            f[12] = s_or(xv[i].resolution);
            rc = csv_row(&w, f, 13);
        }
    }
    if (rc) {
        oom(r);
        goto out;
    }
    bp__reply_csv(r, b.data, b.len, names[what]);
    goto out;
fail:
    bp__problem_err(r, &err);
out:
    bp_buf_release(&b);
    bp_store_patrol_list_free(pv, what == 0 ? n : 0);
    bp_store_inspection_list_free(iv, what == 1 ? n : 0);
    bp_store_incident_list_free(xv, what == 2 ? n : 0);
    place_release(&pl);
}
