/* SPDX-License-Identifier: MIT */
/*
 * The registry's record API of struct bp_store: the checks that need no
 * database (ids, names, dates, citizen IDs, marker keys), the projection
 * of markers onto the stored border, the re-survey, and dispatch to the
 * backend, which resolves references and anchors and writes.
 */
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bienphong/alloc.h"
#include "bienphong/text.h"
#include "store/store_int.h"

/* An empty id gets a new UUID; a given one must be a UUID (lower-cased). */
int bp__store_prepare_id(char *id, struct bp_error *err)
{
    size_t i;

    if (!id[0]) {
        if (bp_uuid_make(id))
            return bp_error_set(err, BP_EIO,
                                "no randomness to make a new id from");
        return 0;
    }
    if (!bp_uuid_valid(id))
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "id",
                               "'%.40s' is not a UUID", id);
    for (i = 0; id[i]; i++)
        id[i] = (char)tolower((unsigned char)id[i]);
    return 0;
}

int bp__store_need_text(const char *s, const char *field, const char *what,
                        struct bp_error *err)
{
    if (s && *s)
        return 0;
    return bp_error_set_at(err, BP_EINVAL, NULL, 0, field,
                           "a %s needs a %s", what, field);
}

int bp__store_need_store(struct bp_store *st, const void *rec,
                         struct bp_error *err)
{
    if (st && rec)
        return 0;
    return bp_error_set(err, BP_EINVAL, "no store or record given");
}

static int check_anchor(const struct bp_anchor *a, const char *field,
                        struct bp_error *err)
{
    char key[sizeof(a->marker_key)];

    if (!isfinite(a->offset_m) ||
        (!a->marker_key[0] && !isfinite(a->measure_m)))
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, field,
                               "the anchor's measure is not a number");
    if (a->marker_key[0] &&
        (bp_marker_key(a->marker_key, key, sizeof(key)) ||
         strcmp(key, a->marker_key)))
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, field,
                               "'%s' is not a normalised marker key "
                               "(bp_marker_key)",
                               a->marker_key);
    return 0;
}

int bp__store_border_needed(struct bp_store *st, const struct bp_border **b,
                            struct bp_error *err)
{
    int rc = bp__store_border_cached(st, b, err);

    if (rc == BP_ENOTFOUND)
        return bp_error_set(err, BP_ENOTFOUND,
                            "no border line yet: import the border first "
                            "(chưa có đường biên giới: hãy nhập trước)");
    return rc;
}

/* The calibrated length of the stored border, or BP_ENOTFOUND. */
static int border_length(struct bp_store *st, double *len,
                         struct bp_error *err)
{
    const struct bp_border *b = NULL;
    int rc = bp__store_border_needed(st, &b, err);

    if (!rc)
        *len = bp_border_length_m(b);
    return rc;
}

int bp_store_border_length(struct bp_store *st, double *length_m,
                           struct bp_error *err)
{
    double len = 0;
    int rc;

    if (!st || !length_m)
        return bp_error_set(err, BP_EINVAL, "no store or length given");
    rc = border_length(st, &len, err);
    if (!rc)
        *length_m = len;
    return rc;
}

int bp_store_station_put(struct bp_store *st, struct bp_station *rec,
                         struct bp_error *err)
{
    struct bp_station r;
    int rc;

    if ((rc = bp__store_need_store(st, rec, err)))
        return rc;
    r = *rec;
    rc = bp__store_need_text(r.code, "code", "station", err);
    if (!rc)
        rc = bp__store_need_text(r.name, "name", "station", err);
    if (!rc)
        rc = bp__store_prepare_id(r.id, err);
    if (!rc)
        rc = st->ops->put(st, BP__STATION, &r, -1, err);
    if (!rc)
        *rec = r;
    return rc;
}

int bp_store_commune_put(struct bp_store *st, struct bp_commune *rec,
                         struct bp_error *err)
{
    struct bp_commune r;
    double len = -1;
    int rc;

    if ((rc = bp__store_need_store(st, rec, err)))
        return rc;
    r = *rec;
    rc = bp__store_need_text(r.code, "code", "commune", err);
    if (!rc)
        rc = bp__store_need_text(r.name, "name", "commune", err);
    if (!rc)
        rc = check_anchor(&r.from, "from", err);
    if (!rc)
        rc = check_anchor(&r.to, "to", err);
    if (!rc)
        rc = bp__store_prepare_id(r.id, err);
    if (rc)
        return rc;
    /* A commune may be registered before the border is imported; its
     * stretch is then checked against the line at the next put. */
    rc = border_length(st, &len, err);
    if (rc == BP_ENOTFOUND) {
        len = -1;
        rc = 0;
    }
    if (!rc)
        rc = st->ops->put(st, BP__COMMUNE, &r, len, err);
    if (!rc)
        *rec = r;
    return rc;
}

int bp_store_village_put(struct bp_store *st, struct bp_village *rec,
                         struct bp_error *err)
{
    struct bp_village r;
    int rc;

    if ((rc = bp__store_need_store(st, rec, err)))
        return rc;
    r = *rec;
    rc = bp__store_need_text(r.name, "name", "village", err);
    if (!rc)
        rc = bp__store_need_text(r.commune_id, "commune_id", "village", err);
    if (!rc)
        rc = bp__store_prepare_id(r.id, err);
    if (!rc)
        rc = st->ops->put(st, BP__VILLAGE, &r, -1, err);
    if (!rc)
        *rec = r;
    return rc;
}

int bp_store_marker_put(struct bp_store *st, struct bp_marker *rec,
                        struct bp_error *err)
{
    const struct bp_border *b = NULL;
    struct bp_marker r;
    struct bp_hit hit;
    int rc;

    if ((rc = bp__store_need_store(st, rec, err)))
        return rc;
    r = *rec;
    rc = bp__store_need_text(r.number, "number", "marker", err);
    if (rc)
        return rc;
    if (bp_marker_key(r.number, r.key, sizeof(r.key)))
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "number",
                               "'%s' is not a marker number (e.g. '1116', "
                               "'1116/1', '1117(2)')",
                               r.number);
    if ((unsigned)r.kind > BP_MARKER_TWIN)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "kind",
                               "marker '%s' has an unknown kind %d",
                               r.number, (int)r.kind);
    if (!isnan(r.official_m) && !(isfinite(r.official_m) &&
                                  r.official_m >= 0))
        return bp_error_set_at(err, BP_ERANGE, NULL, 0, "official_m",
                               "marker '%s': official measure %g is not a "
                               "distance",
                               r.number, r.official_m);
    rc = bp__store_prepare_id(r.id, err);
    if (rc)
        return rc;
    rc = bp__store_border_cached(st, &b, err);
    if (rc == BP_ENOTFOUND)
        return bp_error_set(err, BP_ENOTFOUND,
                            "marker '%s': no border line yet: import the "
                            "border first (chưa có đường biên giới)",
                            r.number);
    if (rc)
        return rc;
    if (bp_border_project(b, r.lon, r.lat, &hit))
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "lon",
                               "marker '%s' is at (lon %g, lat %g), not a "
                               "position",
                               r.number, r.lon, r.lat);
    r.measure_m = hit.measure_m;
    r.offset_m = hit.offset_m;
    rc = st->ops->put(st, BP__MARKER, &r, -1, err);
    if (!rc)
        *rec = r;
    return rc;
}

int bp_store_marker_put_many(struct bp_store *st, struct bp_marker *v,
                             size_t n, struct bp_error *err)
{
    size_t i;
    int mine = 0, rc;

    if (!st || (!v && n))
        return bp_error_set(err, BP_EINVAL, "no store or markers given");
    if (!st->ops->in_tx(st)) {
        rc = bp_store_begin(st, err);
        if (rc)
            return rc;
        mine = 1;
    }
    for (i = 0, rc = 0; i < n && !rc; i++) {
        rc = bp_store_marker_put(st, &v[i], err);
        if (rc && err)
            err->row = (long)i + 1;
    }
    if (mine) {
        if (rc)
            bp_store_rollback(st);
        else
            rc = bp_store_commit(st, err);
    }
    return rc;
}

_Static_assert(offsetof(struct bp_custodian, id) == 0 &&
                   offsetof(struct bp_pledge, id) == 0,
               "put_many finds a record's id at its start");

static const void *v_at(const void *v, size_t i, size_t size)
{
    return (const char *)v + i * size;
}

/* What a custodian needs before the database is asked. */
static int check_custodian(const struct bp_custodian *r, struct bp_error *err)
{
    int rc = bp__store_need_text(r->name, "name", "custodian", err);

    if (rc)
        return rc;
    if ((unsigned)r->kind > BP_COLLECTIVE)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "kind",
                               "custodian '%s' has an unknown kind %d",
                               r->name, (int)r->kind);
    if (r->kind == BP_COLLECTIVE &&
        (unsigned)r->collective_kind > BP_COLL_OTHER)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "collective_kind",
                               "collective '%s' has an unknown kind %d",
                               r->name, (int)r->collective_kind);
    if (r->members < 0)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "members",
                               "custodian '%s' has %d members", r->name,
                               r->members);
    if (r->citizen_id && *r->citizen_id && bp_citizen_id_check(r->citizen_id))
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "citizen_id",
                               "'%s' is not a citizen ID: expected 12 "
                               "digits (CCCD) or 9 (CMND)",
                               r->citizen_id);
    if (!r->commune_id[0] && !r->village_id[0])
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "commune_id",
                               "custodian '%s' needs a commune or a village",
                               r->name);
    return 0;
}

int bp_store_custodian_put(struct bp_store *st, struct bp_custodian *rec,
                           struct bp_error *err)
{
    struct bp_custodian r;
    int rc;

    if ((rc = bp__store_need_store(st, rec, err)))
        return rc;
    r = *rec;
    rc = check_custodian(&r, err);
    if (!rc)
        rc = bp__store_prepare_id(r.id, err);
    if (!rc)
        rc = st->ops->put(st, BP__CUSTODIAN, &r, -1, err);
    if (!rc)
        *rec = r;
    return rc;
}

/* What a pledge needs before the database is asked. */
static int check_pledge(const struct bp_pledge *r, struct bp_error *err)
{
    int rc = bp__store_need_text(r->custodian_id, "custodian_id", "pledge",
                                 err);

    if (rc)
        return rc;
    if (r->signed_on == BP_DATE_NONE)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "signed_on",
                               "a pledge needs the date it was signed");
    if (r->ended_on != BP_DATE_NONE && r->ended_on < r->signed_on)
        return bp_error_set_at(err, BP_ERANGE, NULL, 0, "ended_on",
                               "a pledge cannot end before it was signed "
                               "(ngày kết thúc trước ngày ký)");
    rc = check_anchor(&r->from, "from", err);
    if (!rc)
        rc = check_anchor(&r->to, "to", err);
    return rc;
}

int bp_store_pledge_put(struct bp_store *st, struct bp_pledge *rec,
                        struct bp_error *err)
{
    struct bp_pledge r;
    double len = 0;
    int rc;

    if ((rc = bp__store_need_store(st, rec, err)))
        return rc;
    r = *rec;
    rc = check_pledge(&r, err);
    if (!rc)
        rc = bp__store_prepare_id(r.id, err);
    if (!rc)
        rc = border_length(st, &len, err);
    if (!rc)
        rc = st->ops->put(st, BP__PLEDGE, &r, len, err);
    if (!rc)
        *rec = r;
    return rc;
}

/*
 * Ids for a batch: time-ordered UUIDs (version 7, RFC 9562): 48 bits of
 * Unix milliseconds, a 12-bit sequence, then the random bits of a
 * version 4 UUID. Ids made one after another sort in that order, so the
 * id index of a bulk import grows at its end instead of everywhere.
 */
static int uuid7_make(bp_uuid out)
{
    static const char hex[] = "0123456789abcdef";
    static _Thread_local unsigned long long last; /* ms << 12 | seq */
    struct timespec ts;
    unsigned long long v;
    int i;

    if (bp_uuid_make(out))
        return BP_EIO;
    clock_gettime(CLOCK_REALTIME, &ts);
    v = ((unsigned long long)ts.tv_sec * 1000ULL +
         (unsigned long long)ts.tv_nsec / 1000000ULL)
        << 12;
    if (v <= last)
        v = last + 1; /* same millisecond: the next in sequence */
    last = v;
    /* xxxxxxxx-xxxx-7sss: 48 bits of time, the version, 12 of sequence. */
    for (i = 0; i < 12; i++)
        out[i < 8 ? i : i + 1] = hex[(v >> (56 - 4 * i)) & 15];
    out[14] = '7';
    for (i = 0; i < 3; i++)
        out[15 + i] = hex[(v >> (8 - 4 * i)) & 15];
    return 0;
}

int bp_store_begin_bulk(struct bp_store *st, size_t n, struct bp_error *err)
{
    if (!st)
        return bp_error_set(err, BP_EINVAL, "no store given");
    return st->ops->begin_bulk ? st->ops->begin_bulk(st, n, err)
                               : st->ops->begin(st, err);
}

int bp_store_checkpoint(struct bp_store *st, struct bp_error *err)
{
    if (!st)
        return bp_error_set(err, BP_EINVAL, "no store given");
    return st->ops->checkpoint ? st->ops->checkpoint(st, err) : 0;
}

/*
 * The batch puts: every record checked as its single put would check it
 * (err->row naming the record), new ids given out, then written by the
 * backend in one go. On failure the ids given out are taken back.
 */
static int put_many(struct bp_store *st, enum bp__rec_kind k, void *v,
                    size_t n, struct bp_error *err)
{
    size_t size = k == BP__CUSTODIAN ? sizeof(struct bp_custodian)
                                     : sizeof(struct bp_pledge);
    unsigned char *fresh = NULL;
    double len = -1;
    size_t i;
    int rc = 0;

    if (!st || (!v && n))
        return bp_error_set(err, BP_EINVAL, "no store or records given");
    if (!n)
        return 0;
    for (i = 0; i < n && !rc; i++) {
        char *id = (char *)v + i * size; /* the id comes first */
        rc = k == BP__CUSTODIAN ? check_custodian(v_at(v, i, size), err)
                                : check_pledge(v_at(v, i, size), err);
        if (!rc && id[0])
            rc = bp__store_prepare_id(id, err);
        if (rc && err)
            err->row = (long)i + 1;
    }
    if (rc)
        return rc;
    fresh = bp_calloc(n, 1);
    if (!fresh)
        return bp_error_set(err, BP_ENOMEM, "out of memory");
    if (k == BP__PLEDGE)
        rc = border_length(st, &len, err);
    for (i = 0; i < n && !rc; i++) {
        char *id = (char *)v + i * size;
        if (id[0])
            continue;
        if (uuid7_make(id))
            rc = bp_error_set(err, BP_EIO,
                              "no randomness to make a new id from");
        fresh[i] = 1;
    }
    if (!rc)
        rc = st->ops->put_many(st, k, v, n, fresh, len, err);
    if (rc)
        for (i = 0; i < n; i++)
            if (fresh[i])
                ((char *)v + i * size)[0] = '\0';
    bp_free(fresh);
    return rc;
}

int bp_store_custodian_put_many(struct bp_store *st, struct bp_custodian *v,
                                size_t n, struct bp_error *err)
{
    return put_many(st, BP__CUSTODIAN, v, n, err);
}

int bp_store_pledge_put_many(struct bp_store *st, struct bp_pledge *v,
                             size_t n, struct bp_error *err)
{
    return put_many(st, BP__PLEDGE, v, n, err);
}

/* Room for a record of any kind. */
union any_record {
    struct bp_station station;
    struct bp_commune commune;
    struct bp_village village;
    struct bp_marker marker;
    struct bp_custodian custodian;
    struct bp_pledge pledge;
};

static int get_any(struct bp_store *st, enum bp__rec_kind k, const char *ref,
                   void *rec, size_t size, struct bp_error *err)
{
    union any_record tmp;
    int rc;

    if (!st || !ref || !rec)
        return bp_error_set(err, BP_EINVAL, "no store or reference given");
    /* Fill a copy, so `rec` is untouched on failure. */
    rc = st->ops->get(st, k, ref, &tmp, err);
    if (!rc)
        memcpy(rec, &tmp, size);
    return rc;
}

static int list_any(struct bp_store *st, enum bp__rec_kind k, void **v,
                    size_t *n, struct bp_error *err)
{
    void *arr = NULL;
    size_t len = 0;
    int rc;

    if (!st || !v || !n)
        return bp_error_set(err, BP_EINVAL, "no store or output given");
    rc = st->ops->list(st, k, &arr, &len, err);
    if (!rc) {
        *v = arr;
        *n = len;
    }
    return rc;
}

static int end_any(struct bp_store *st, enum bp__rec_kind k, const char *id,
                   int32_t day, struct bp_error *err)
{
    if (!st || !id)
        return bp_error_set(err, BP_EINVAL, "no store or id given");
    if (day == BP_DATE_NONE)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "ended_on",
                               "no end date given");
    if (!bp_uuid_valid(id))
        return bp_error_set_at(err, BP_ENOTFOUND, NULL, 0, "id",
                               "'%.40s' is not a UUID", id);
    return st->ops->end(st, k, id, day, err);
}

/* get, list, list_free and end are the same for every kind. */
#define RECORD_API(R, K)                                                     \
    int bp_store_##R##_get(struct bp_store *st, const char *ref,             \
                           struct bp_##R *rec, struct bp_error *err)         \
    {                                                                        \
        return get_any(st, K, ref, rec, sizeof(*rec), err);                  \
    }                                                                        \
    int bp_store_##R##_list(struct bp_store *st, struct bp_##R **v,          \
                            size_t *n, struct bp_error *err)                 \
    {                                                                        \
        void *arr = NULL;                                                    \
        int rc = list_any(st, K, &arr, n, err);                              \
        if (!rc)                                                             \
            *v = arr;                                                        \
        return rc;                                                           \
    }                                                                        \
    void bp_store_##R##_list_free(struct bp_##R *v, size_t n)                \
    {                                                                        \
        bp__store_list_free(K, v, n);                                        \
    }                                                                        \
    int bp_store_##R##_end(struct bp_store *st, const char *id, int32_t day, \
                           struct bp_error *err)                             \
    {                                                                        \
        return end_any(st, K, id, day, err);                                 \
    }

RECORD_API(station, BP__STATION)
RECORD_API(commune, BP__COMMUNE)
RECORD_API(village, BP__VILLAGE)
RECORD_API(marker, BP__MARKER)
RECORD_API(custodian, BP__CUSTODIAN)
RECORD_API(pledge, BP__PLEDGE)

void bp_list_page_release(struct bp_list_page *page)
{
    if (!page)
        return;
    bp_free(page->next_cursor);
    memset(page, 0, sizeof(*page));
}

static int page_any(struct bp_store *st, enum bp__rec_kind k,
                    const struct bp_list_query *query, void **v, size_t *n,
                    struct bp_list_page *page, struct bp_error *err)
{
    struct bp_list_page pg = {0, NULL};
    void *arr = NULL;
    size_t len = 0;
    int rc;

    if (!st || !query || !v || !n || !page)
        return bp_error_set(err, BP_EINVAL, "no store, query or output");
    if (query->limit > BP_LIST_LIMIT_MAX)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "limit",
                               "%zu is more than %d records a page",
                               query->limit, BP_LIST_LIMIT_MAX);
    if (query->scoped && query->ncommunes && !query->communes)
        return bp_error_set(err, BP_EINVAL, "a scope without communes");
    rc = st->ops->page(st, k, query, &arr, &len, &pg, err);
    if (!rc) {
        *v = arr;
        *n = len;
        *page = pg;
    }
    return rc;
}

/* A page of a list is the same for every kind. */
#define PAGE_API(R, K)                                                       \
    int bp_store_##R##_page(struct bp_store *st,                             \
                            const struct bp_list_query *query,               \
                            struct bp_##R **v, size_t *n,                    \
                            struct bp_list_page *page, struct bp_error *err) \
    {                                                                        \
        void *arr = NULL;                                                    \
        size_t len = 0;                                                      \
        int rc = page_any(st, K, query, &arr, &len, page, err);              \
        if (!rc) {                                                           \
            *v = arr;                                                        \
            *n = len;                                                        \
        }                                                                    \
        return rc;                                                           \
    }

PAGE_API(station, BP__STATION)
PAGE_API(commune, BP__COMMUNE)
PAGE_API(village, BP__VILLAGE)
PAGE_API(marker, BP__MARKER)
PAGE_API(custodian, BP__CUSTODIAN)
PAGE_API(pledge, BP__PLEDGE)

int bp_store_custodian_search(struct bp_store *st, const char *query,
                              size_t limit, struct bp_custodian **v,
                              size_t *n, struct bp_error *err)
{
    struct bp_custodian *arr = NULL;
    size_t len = 0;
    char *fold = NULL;
    int rc;

    if (!st || !query || !v || !n)
        return bp_error_set(err, BP_EINVAL, "no store, query or output");
    fold = bp_text_fold(query);
    if (!fold)
        return bp_error_set(err, BP_ENOMEM, "out of memory");
    rc = st->ops->custodian_search(st, fold, limit, &arr, &len, err);
    bp_free(fold);
    if (!rc) {
        *v = arr;
        *n = len;
    }
    return rc;
}

int bp_store_cov_load(struct bp_store *st, struct bp_cov_input *in,
                      struct bp_cov_hold *hold, struct bp_error *err)
{
    struct bp_cov_input r = {0};
    struct bp_cov_hold h = {{0}};
    double len = 0;
    int rc;

    if (!st || !in || !hold)
        return bp_error_set(err, BP_EINVAL, "no store or output given");
    rc = border_length(st, &len, err);
    if (rc)
        return rc;
    rc = st->ops->cov_load(st, &r, &h, err);
    if (rc)
        return rc;
    r.length_m = len;
    *in = r;
    *hold = h;
    return 0;
}

void bp_store_cov_release(struct bp_cov_hold *hold)
{
    size_t i;

    if (!hold)
        return;
    for (i = 0; i < sizeof(hold->mem) / sizeof(hold->mem[0]); i++) {
        bp_free(hold->mem[i]);
        hold->mem[i] = NULL;
    }
}

/* ---- re-survey ---- */

struct keyed {
    const char *key;
    double measure_m;
};

static int cmp_keyed(const void *a, const void *b)
{
    return strcmp(((const struct keyed *)a)->key,
                  ((const struct keyed *)b)->key);
}

struct by_geo {
    double geodesic_m;
    size_t marker;
};

static int cmp_by_geo(const void *a, const void *b)
{
    double x = ((const struct by_geo *)a)->geodesic_m;
    double y = ((const struct by_geo *)b)->geodesic_m;
    return (x > y) - (x < y);
}

/* The new measure of an anchor; 0, or 1 when its marker is not standing. */
static int reanchor(const struct keyed *map, size_t n,
                    const struct bp_anchor *a, double *measure_m)
{
    struct keyed want = {a->marker_key, 0};
    const struct keyed *hit;

    if (!a->marker_key[0]) {
        *measure_m = a->measure_m;
        return 0;
    }
    hit = n ? bsearch(&want, map, n, sizeof(*map), cmp_keyed) : NULL;
    if (!hit)
        return 1;
    *measure_m = hit->measure_m + a->offset_m;
    return 0;
}

/*
 * Project the standing markers on the line as stored, without its
 * calibration: geodesic measures and offsets (`geo`, `off`; NAN for ended
 * markers). Then make the calibration: the markers with an official km
 * sorted along the line, whose official values must increase.
 */
static int place_markers(const struct bp_border_record *rec,
                         const struct bp_marker *m, size_t nm, double *geo,
                         double *off, struct bp_calib **calib,
                         size_t *ncalib, struct bp_error *err)
{
    struct bp_border_opts opts = {0};
    struct bp_border *b0 = NULL;
    struct by_geo *cal = NULL;
    struct bp_calib *out = NULL;
    struct bp_hit hit;
    size_t i, nc = 0;
    int rc;

    opts.start = BP_START_AS_GIVEN;
    opts.home = rec->home;
    rc = bp_border_new(rec->pts, rec->n, &opts, &b0, err);
    if (rc)
        goto out;
    cal = bp_calloc(nm ? nm : 1, sizeof(*cal));
    if (!cal) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < nm; i++) {
        geo[i] = off[i] = NAN;
        if (m[i].ended_on != BP_DATE_NONE)
            continue;
        if (bp_border_project(b0, m[i].lon, m[i].lat, &hit)) {
            rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "lon",
                                 "marker '%s' is at (lon %g, lat %g), not "
                                 "a position",
                                 m[i].number, m[i].lon, m[i].lat);
            goto out;
        }
        geo[i] = hit.geodesic_m;
        off[i] = hit.offset_m;
        if (isfinite(m[i].official_m)) {
            cal[nc].geodesic_m = hit.geodesic_m;
            cal[nc].marker = i;
            nc++;
        }
    }
    qsort(cal, nc, sizeof(*cal), cmp_by_geo);
    for (i = 1; i < nc; i++) {
        const struct bp_marker *a = &m[cal[i - 1].marker];
        const struct bp_marker *b = &m[cal[i].marker];
        if (b->official_m <= a->official_m) {
            rc = bp_error_set_at(
                err, BP_ERANGE, NULL, 0, "official_m",
                "markers '%s' (official %.3f m) and '%s' (official %.3f m): "
                "official measures must increase along the line",
                a->number, a->official_m, b->number, b->official_m);
            goto out;
        }
    }
    if (nc) {
        out = bp_calloc(nc, sizeof(*out));
        if (!out) {
            rc = bp_error_set(err, BP_ENOMEM, "out of memory");
            goto out;
        }
        for (i = 0; i < nc; i++) {
            const struct bp_marker *a = &m[cal[i].marker];
            out[i].geodesic_m = cal[i].geodesic_m;
            out[i].measure_m = a->official_m;
            out[i].lon = a->lon;
            out[i].lat = a->lat;
        }
    }
    *calib = out;
    *ncalib = nc;
    out = NULL;
out:
    bp_free(out);
    bp_free(cal);
    bp_border_free(b0);
    return rc;
}

/* Build the border from `rec` and store its placed calibration in `rec`. */
static int rebuild(struct bp_border_record *rec, struct bp_border **out,
                   struct bp_error *err)
{
    struct bp_border_opts opts = {0};
    const struct bp_calib *placed;
    struct bp_calib *copy = NULL;
    size_t n = 0;
    int rc;

    opts.start = BP_START_AS_GIVEN;
    opts.home = rec->home;
    opts.official_m = rec->official_m;
    opts.calib = rec->calib;
    opts.ncalib = rec->ncalib;
    rc = bp_border_new(rec->pts, rec->n, &opts, out, err);
    if (rc)
        return rc;
    placed = bp_border_calibration(*out, &n);
    if (n) {
        copy = bp_calloc(n, sizeof(*copy));
        if (!copy) {
            bp_border_free(*out);
            *out = NULL;
            return bp_error_set(err, BP_ENOMEM, "out of memory");
        }
        memcpy(copy, placed, n * sizeof(*copy));
    }
    bp_free(rec->calib);
    rec->calib = copy;
    rec->ncalib = n;
    return 0;
}

static int resurvey(struct bp_store *st, double threshold_m,
                    bp_resurvey_fn changed, void *ctx, struct bp_error *err)
{
    struct bp_border_record rec = {0};
    struct bp_border *b = NULL;
    struct bp_marker *m = NULL;
    struct bp_commune *c = NULL;
    struct bp_pledge *p = NULL;
    struct bp_calib *calib = NULL;
    struct keyed *map = NULL;
    double *geo = NULL, *off = NULL, len;
    size_t nm = 0, nc = 0, np = 0, ncalib = 0, nmap = 0, i;
    int rc;

    rc = bp_store_border_load(st, &rec, err);
    if (!rc)
        rc = bp_store_marker_list(st, &m, &nm, err);
    if (rc)
        goto out;
    geo = bp_calloc(nm ? nm : 1, sizeof(*geo));
    off = bp_calloc(nm ? nm : 1, sizeof(*off));
    map = bp_calloc(nm ? nm : 1, sizeof(*map));
    if (!geo || !off || !map) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    rc = place_markers(&rec, m, nm, geo, off, &calib, &ncalib, err);
    if (rc)
        goto out;
    if (ncalib) {
        bp_free(rec.calib);
        rec.calib = calib;
        rec.ncalib = ncalib;
        calib = NULL;
    } else {
        /* No marker has an official km: keep the points the border was
         * imported with, placed again on the new line by position. */
        for (i = 0; i < rec.ncalib; i++)
            rec.calib[i].geodesic_m = -1;
    }
    rc = rebuild(&rec, &b, err);
    if (!rc)
        rc = bp_store_border_save(st, &rec, err);
    if (rc)
        goto out;
    len = bp_border_length_m(b);

    for (i = 0; i < nm; i++) {
        if (m[i].ended_on != BP_DATE_NONE)
            continue;
        m[i].measure_m = bp_border_to_measure(b, geo[i]);
        m[i].offset_m = off[i];
        rc = st->ops->set_measures(st, BP__MARKER, m[i].id, m[i].measure_m,
                                   m[i].offset_m, err);
        if (rc)
            goto out;
        map[nmap].key = m[i].key;
        map[nmap].measure_m = m[i].measure_m;
        nmap++;
    }
    qsort(map, nmap, sizeof(*map), cmp_keyed);

    rc = bp_store_commune_list(st, &c, &nc, err);
    if (rc)
        goto out;
    for (i = 0; i < nc; i++) {
        double f, t;
        if (!c[i].from.marker_key[0] && !c[i].to.marker_key[0])
            continue;
        if (reanchor(map, nmap, &c[i].from, &f) ||
            reanchor(map, nmap, &c[i].to, &t)) {
            if (c[i].ended_on != BP_DATE_NONE)
                continue;
            rc = bp_error_set_at(err, BP_ENOTFOUND, NULL, 0, "commune",
                                 "commune '%s' is anchored at a marker "
                                 "that no longer stands ('%s' or '%s')",
                                 c[i].code, c[i].from.marker_key,
                                 c[i].to.marker_key);
            goto out;
        }
        if (t < f || f < -1e-3 || t > len + 1e-3) {
            rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "commune",
                                 "commune '%s': its stretch became "
                                 "%.3f..%.3f m on a line of %.3f m",
                                 c[i].code, f, t, len);
            goto out;
        }
        rc = st->ops->set_measures(st, BP__COMMUNE, c[i].id, f, t, err);
        if (rc)
            goto out;
    }

    rc = bp_store_pledge_list(st, &p, &np, err);
    if (rc)
        goto out;
    for (i = 0; i < np; i++) {
        double f, t, of = p[i].from.measure_m, ot = p[i].to.measure_m;
        if (!p[i].from.marker_key[0] && !p[i].to.marker_key[0])
            continue;
        if (reanchor(map, nmap, &p[i].from, &f) ||
            reanchor(map, nmap, &p[i].to, &t)) {
            if (p[i].ended_on != BP_DATE_NONE)
                continue;
            rc = bp_error_set_at(err, BP_ENOTFOUND, NULL, 0, "pledge",
                                 "pledge '%s' is anchored at a marker that "
                                 "no longer stands ('%s' or '%s')",
                                 p[i].id, p[i].from.marker_key,
                                 p[i].to.marker_key);
            goto out;
        }
        if (t <= f || f < -1e-3 || t > len + 1e-3) {
            rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "pledge",
                                 "pledge '%s': its stretch became "
                                 "%.3f..%.3f m on a line of %.3f m",
                                 p[i].id, f, t, len);
            goto out;
        }
        rc = st->ops->set_measures(st, BP__PLEDGE, p[i].id, f, t, err);
        if (rc)
            goto out;
        p[i].from.measure_m = f;
        p[i].to.measure_m = t;
        if (changed && fabs((t - f) - (ot - of)) > threshold_m)
            changed(ctx, &p[i], of, ot);
    }
out:
    bp_border_record_release(&rec);
    bp_border_free(b);
    bp_store_marker_list_free(m, nm);
    bp_store_commune_list_free(c, nc);
    bp_store_pledge_list_free(p, np);
    bp_free(calib);
    bp_free(map);
    bp_free(geo);
    bp_free(off);
    return rc;
}

int bp_store_resurvey(struct bp_store *st, double threshold_m,
                      bp_resurvey_fn changed, void *ctx, struct bp_error *err)
{
    int mine = 0, rc;

    if (!st || !(threshold_m >= 0))
        return bp_error_set(err, BP_EINVAL,
                            "no store, or a threshold that is not >= 0");
    if (!st->ops->in_tx(st)) {
        rc = bp_store_begin(st, err);
        if (rc)
            return rc;
        mine = 1;
    }
    rc = resurvey(st, threshold_m, changed, ctx, err);
    /* Road projects and plantings anchored to markers move with them. */
    if (!rc)
        rc = bp_store_campaign_resurvey(st, err);
    if (mine) {
        if (rc)
            bp_store_rollback(st);
        else
            rc = bp_store_commit(st, err);
    }
    return rc;
}
