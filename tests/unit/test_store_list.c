/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the registry's list pages in SQL (issue 6,
 * bp_store_R_page) on the demo province: every filter, every sort key in
 * both directions, cursors walking whole lists (each record once, in
 * order, also when records are added between pages), limits, bad
 * cursors, role scopes, and the query plans (indexes, no sort step for a
 * list's own order). The expected pages come from the whole lists
 * (bp_store_R_list) filtered and sorted here, record by record.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/demo.h"
#include "bienphong/store.h"
#include "bienphong/text.h"
#include "store/store_sqlite_int.h"

/* The demo province, made once, and its whole lists. */
static char db_path[128];
static struct bp_store *st;
static struct bp_station *stations;
static struct bp_commune *communes;
static struct bp_village *villages;
static struct bp_marker *markers;
static struct bp_custodian *custodians;
static struct bp_pledge *pledges;
static size_t nst, nco, nvi, nma, ncu, npl;

enum kind { K_STATION, K_COMMUNE, K_VILLAGE, K_MARKER, K_CUSTODIAN,
            K_PLEDGE, K_N };
static const char *const kind_names[K_N] = {"station", "commune", "village",
                                            "marker", "custodian", "pledge"};

static void remove_db(const char *path)
{
    char p[160];

    remove(path);
    snprintf(p, sizeof(p), "%s-wal", path);
    remove(p);
    snprintf(p, sizeof(p), "%s-shm", path);
    remove(p);
}

#define OK(call)                                                             \
    do {                                                                     \
        struct bp_error e_ = {0};                                            \
        int rc_ = (call);                                                    \
        (void)e_;                                                            \
        if (rc_)                                                             \
            fail_msg("%s: %s (%d)", #call, bp_errname(rc_), rc_);            \
    } while (0)

static int setup_group(void **state)
{
    struct bp_error err = {0};

    (void)state;
    snprintf(db_path, sizeof(db_path), "/tmp/bp_test_store_list_%ld.sqlite",
             (long)getpid());
    remove_db(db_path);
    if (bp_store_open(db_path, &st, &err) ||
        bp_demo_province(st, NULL, &err) ||
        bp_store_station_list(st, &stations, &nst, &err) ||
        bp_store_commune_list(st, &communes, &nco, &err) ||
        bp_store_village_list(st, &villages, &nvi, &err) ||
        bp_store_marker_list(st, &markers, &nma, &err) ||
        bp_store_custodian_list(st, &custodians, &ncu, &err) ||
        bp_store_pledge_list(st, &pledges, &npl, &err)) {
        fprintf(stderr, "demo: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown_group(void **state)
{
    (void)state;
    bp_store_station_list_free(stations, nst);
    bp_store_commune_list_free(communes, nco);
    bp_store_village_list_free(villages, nvi);
    bp_store_marker_list_free(markers, nma);
    bp_store_custodian_list_free(custodians, ncu);
    bp_store_pledge_list_free(pledges, npl);
    bp_store_close(st);
    remove_db(db_path);
    return 0;
}

/* ---- records of any kind ---- */

static size_t kind_size(enum kind k)
{
    static const size_t sz[K_N] = {
        sizeof(struct bp_station),   sizeof(struct bp_commune),
        sizeof(struct bp_village),   sizeof(struct bp_marker),
        sizeof(struct bp_custodian), sizeof(struct bp_pledge)};
    return sz[k];
}

static const void *whole(enum kind k, size_t *n)
{
    switch (k) {
    case K_STATION: *n = nst; return stations;
    case K_COMMUNE: *n = nco; return communes;
    case K_VILLAGE: *n = nvi; return villages;
    case K_MARKER: *n = nma; return markers;
    case K_CUSTODIAN: *n = ncu; return custodians;
    default: *n = npl; return pledges;
    }
}

/* Every record starts with its id. */
static const char *id_at(enum kind k, const void *v, size_t i)
{
    return (const char *)v + i * kind_size(k);
}

static int page(enum kind k, const struct bp_list_query *q, void **v,
                size_t *n, struct bp_list_page *pg, struct bp_error *err)
{
    switch (k) {
    case K_STATION:
        return bp_store_station_page(st, q, (struct bp_station **)v, n, pg,
                                     err);
    case K_COMMUNE:
        return bp_store_commune_page(st, q, (struct bp_commune **)v, n, pg,
                                     err);
    case K_VILLAGE:
        return bp_store_village_page(st, q, (struct bp_village **)v, n, pg,
                                     err);
    case K_MARKER:
        return bp_store_marker_page(st, q, (struct bp_marker **)v, n, pg,
                                    err);
    case K_CUSTODIAN:
        return bp_store_custodian_page(st, q, (struct bp_custodian **)v, n,
                                       pg, err);
    default:
        return bp_store_pledge_page(st, q, (struct bp_pledge **)v, n, pg,
                                    err);
    }
}

static void list_free(enum kind k, void *v, size_t n)
{
    switch (k) {
    case K_STATION: bp_store_station_list_free(v, n); break;
    case K_COMMUNE: bp_store_commune_list_free(v, n); break;
    case K_VILLAGE: bp_store_village_list_free(v, n); break;
    case K_MARKER: bp_store_marker_list_free(v, n); break;
    case K_CUSTODIAN: bp_store_custodian_list_free(v, n); break;
    default: bp_store_pledge_list_free(v, n);
    }
}

/* Ids, in order, as walked. */
struct ids {
    bp_uuid *id;
    size_t n, cap;
};

static void ids_add(struct ids *s, const char *id)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->id = realloc(s->id, s->cap * sizeof(*s->id));
        assert_non_null(s->id);
    }
    snprintf(s->id[s->n++], sizeof(bp_uuid), "%s", id);
}

static void ids_free(struct ids *s)
{
    free(s->id);
    memset(s, 0, sizeof(*s));
}

/*
 * Walk every page of `q` (its cursor replaced), checking each page's size,
 * total and cursor; the records' ids into `out`, and, when `keep` is
 * given, a copy of the records too (caller frees with list_free). `cb`
 * (may be NULL) runs after each page with the page number.
 */
static void walk(enum kind k, struct bp_list_query q, struct ids *out,
                 void (*cb)(int pageno))
{
    struct bp_error err = {0};
    char *cursor = NULL;
    size_t limit = q.limit ? q.limit : BP_LIST_LIMIT_DEFAULT, total = 0;
    int pageno = 0;

    q.count = 1;
    for (;;) {
        void *v = NULL;
        size_t n = 0, i;
        struct bp_list_page pg = {0, NULL};
        int rc;

        q.cursor = cursor;
        rc = page(k, &q, &v, &n, &pg, &err);
        if (rc)
            fail_msg("%s page %d: %s (%s)", kind_names[k], pageno,
                     bp_errname(rc), err.message);
        if (n > limit)
            fail_msg("%s page %d has %zu records, limit %zu", kind_names[k],
                     pageno, n, limit);
        if (pg.next_cursor && n != limit)
            fail_msg("%s page %d: %zu records and a next cursor",
                     kind_names[k], pageno, n);
        if (pageno && !cb && pg.total != total)
            fail_msg("%s page %d: total %zu, first page said %zu",
                     kind_names[k], pageno, pg.total, total);
        total = pg.total;
        for (i = 0; i < n; i++)
            ids_add(out, id_at(k, v, i));
        list_free(k, v, n);
        free(cursor);
        cursor = pg.next_cursor ? strdup(pg.next_cursor) : NULL;
        bp_list_page_release(&pg);
        pageno++;
        if (cb)
            cb(pageno);
        if (!cursor)
            break;
        if (pageno > 100000)
            fail_msg("%s: the pages never end", kind_names[k]);
    }
    if (!cb && total != out->n)
        fail_msg("%s: total %zu, walked %zu records", kind_names[k], total,
                 out->n);
}

/* The ids of the whole list that `keep` selects, in the list's order. */
static void expect_ids(enum kind k, int (*keep)(const void *rec, void *ctx),
                       void *ctx, struct ids *out)
{
    size_t n, i;
    const void *v = whole(k, &n);

    for (i = 0; i < n; i++) {
        const void *rec = (const char *)v + i * kind_size(k);
        if (!keep || keep(rec, ctx))
            ids_add(out, id_at(k, v, i));
    }
}

static void assert_same_ids(const char *what, const struct ids *got,
                            const struct ids *want)
{
    size_t i;

    if (got->n != want->n)
        fail_msg("%s: %zu records, want %zu", what, got->n, want->n);
    for (i = 0; i < got->n; i++)
        if (strcmp(got->id[i], want->id[i]))
            fail_msg("%s: record %zu is %s, want %s", what, i, got->id[i],
                     want->id[i]);
}

/* Walk `q` and compare with the whole list filtered by `keep`. */
static void check(const char *what, enum kind k, struct bp_list_query q,
                  int (*keep)(const void *, void *), void *ctx)
{
    struct ids got = {0}, want = {0};

    walk(k, q, &got, NULL);
    expect_ids(k, keep, ctx, &want);
    assert_same_ids(what, &got, &want);
    ids_free(&got);
    ids_free(&want);
}

/* ---- what a record belongs to ---- */

static const char *village_commune(const char *village_id)
{
    size_t i;

    for (i = 0; village_id[0] && i < nvi; i++)
        if (!strcmp(villages[i].id, village_id))
            return villages[i].commune_id;
    return "";
}

static const char *custodian_commune(const struct bp_custodian *c)
{
    return c->commune_id[0] ? c->commune_id : village_commune(c->village_id);
}

static const struct bp_custodian *custodian_by_id(const char *id)
{
    size_t i;

    for (i = 0; i < ncu; i++)
        if (!strcmp(custodians[i].id, id))
            return &custodians[i];
    return NULL;
}

static const char *commune_station(const char *commune_id)
{
    size_t i;

    for (i = 0; i < nco; i++)
        if (!strcmp(communes[i].id, commune_id))
            return communes[i].station_id;
    return "";
}

/* The commune of a record of kind k, "" for none. */
static const char *rec_commune(enum kind k, const void *rec)
{
    switch (k) {
    case K_COMMUNE:
        return ((const struct bp_commune *)rec)->id;
    case K_VILLAGE:
        return ((const struct bp_village *)rec)->commune_id;
    case K_CUSTODIAN:
        return custodian_commune(rec);
    case K_PLEDGE: {
        const struct bp_custodian *c =
            custodian_by_id(((const struct bp_pledge *)rec)->custodian_id);
        return c ? custodian_commune(c) : "";
    }
    default:
        return "";
    }
}

struct fctx {
    enum kind k;
    const char *commune;   /* one commune */
    const bp_uuid *scope;  /* with nscope: a role's communes */
    size_t nscope;
    const char *station;
    int32_t day;
    const char *text;      /* folded */
    int personal;
    const char *kind;
    const char *ref;       /* custodian or village id */
};

static int in_scope(const struct fctx *c, const char *commune)
{
    size_t i;

    for (i = 0; i < c->nscope; i++)
        if (!strcmp(c->scope[i], commune))
            return 1;
    return 0;
}

static int keep_commune(const void *rec, void *ctx)
{
    const struct fctx *c = ctx;
    return !strcmp(rec_commune(c->k, rec), c->commune);
}

static int keep_scope(const void *rec, void *ctx)
{
    const struct fctx *c = ctx;
    return in_scope(c, rec_commune(c->k, rec)) &&
           (!c->commune || !strcmp(rec_commune(c->k, rec), c->commune));
}

static int keep_station(const void *rec, void *ctx)
{
    const struct fctx *c = ctx;

    switch (c->k) {
    case K_STATION:
        return !strcmp(((const struct bp_station *)rec)->id, c->station);
    case K_PLEDGE:
        return !strcmp(((const struct bp_pledge *)rec)->station_id,
                       c->station);
    case K_MARKER:
        return 0;
    default: {
        const char *cm = rec_commune(c->k, rec);
        return cm[0] && !strcmp(commune_station(cm), c->station);
    }
    }
}

static int keep_active(const void *rec, void *ctx)
{
    const struct fctx *c = ctx;
    int32_t start = BP_DATE_NONE, end;

    switch (c->k) {
    case K_STATION: end = ((const struct bp_station *)rec)->ended_on; break;
    case K_COMMUNE: end = ((const struct bp_commune *)rec)->ended_on; break;
    case K_VILLAGE: end = ((const struct bp_village *)rec)->ended_on; break;
    case K_MARKER: end = ((const struct bp_marker *)rec)->ended_on; break;
    case K_CUSTODIAN:
        end = ((const struct bp_custodian *)rec)->ended_on;
        break;
    default:
        start = ((const struct bp_pledge *)rec)->signed_on;
        end = ((const struct bp_pledge *)rec)->ended_on;
    }
    if (start != BP_DATE_NONE && start > c->day)
        return 0;
    return end == BP_DATE_NONE || c->day < end;
}

static int has_text(const char *s, const char *fold)
{
    char *f = s ? bp_text_fold(s) : NULL;
    int hit = f && strstr(f, fold) != NULL;

    bp_free(f);
    return hit;
}

static int keep_text(const void *rec, void *ctx)
{
    const struct fctx *c = ctx;

    switch (c->k) {
    case K_STATION: {
        const struct bp_station *r = rec;
        return has_text(r->code, c->text) || has_text(r->name, c->text);
    }
    case K_COMMUNE: {
        const struct bp_commune *r = rec;
        return has_text(r->code, c->text) || has_text(r->name, c->text) ||
               has_text(r->district, c->text);
    }
    case K_VILLAGE:
        return has_text(((const struct bp_village *)rec)->name, c->text);
    case K_MARKER:
        return has_text(((const struct bp_marker *)rec)->number, c->text);
    case K_CUSTODIAN: {
        const struct bp_custodian *r = rec;
        return has_text(r->name, c->text) ||
               (c->personal && (has_text(r->phone, c->text) ||
                                has_text(r->citizen_id, c->text)));
    }
    default:
        return has_text(((const struct bp_pledge *)rec)->doc_no, c->text);
    }
}

static int keep_kind(const void *rec, void *ctx)
{
    const struct fctx *c = ctx;

    if (c->k == K_MARKER)
        return !strcmp(bp_marker_kind_name(
                           ((const struct bp_marker *)rec)->kind),
                       c->kind);
    if (c->k == K_CUSTODIAN)
        return !strcmp(((const struct bp_custodian *)rec)->kind ==
                               BP_COLLECTIVE
                           ? "collective"
                           : "household",
                       c->kind);
    return 1;
}

static int keep_ref(const void *rec, void *ctx)
{
    const struct fctx *c = ctx;

    if (c->k == K_PLEDGE)
        return !strcmp(((const struct bp_pledge *)rec)->custodian_id,
                       c->ref);
    if (c->k == K_CUSTODIAN)
        return !strcmp(((const struct bp_custodian *)rec)->village_id,
                       c->ref);
    return !strcmp(((const struct bp_village *)rec)->id, c->ref);
}

static int keep_none(const void *rec, void *ctx)
{
    (void)rec;
    (void)ctx;
    return 0;
}

/* ---- tests ---- */

/* Every kind in its own order, at several page sizes, is the whole list:
 * every record once, in order, the total on every page. */
static void test_own_order(void **state)
{
    static const size_t limits[] = {1, 7, 50, 1000};
    char what[64];
    int k;
    size_t l, n;

    (void)state;
    for (k = 0; k < K_N; k++) {
        for (l = 0; l < sizeof(limits) / sizeof(limits[0]); l++) {
            struct bp_list_query q = BP_LIST_QUERY_INIT;
            whole((enum kind)k, &n);
            /* One record a page only where the list is short. */
            if (limits[l] == 1 && n > 100)
                continue;
            q.limit = limits[l];
            snprintf(what, sizeof(what), "%ss, limit %zu", kind_names[k],
                     limits[l]);
            check(what, (enum kind)k, q, NULL, NULL);
        }
    }
    /* limit 0 is the default, 50. */
    {
        struct bp_list_query q = BP_LIST_QUERY_INIT;
        struct bp_list_page pg = {0, NULL};
        struct bp_error err = {0};
        struct bp_custodian *v = NULL;
        size_t got = 0;
        OK(bp_store_custodian_page(st, &q, &v, &got, &pg, &err));
        assert_int_equal(got, BP_LIST_LIMIT_DEFAULT);
        assert_non_null(pg.next_cursor);
        /* Without count, no total. */
        assert_int_equal(pg.total, 0);
        bp_store_custodian_list_free(v, got);
        bp_list_page_release(&pg);
        assert_null(pg.next_cursor);
    }
}

static void test_filter_commune_station(void **state)
{
    char what[96];
    size_t c, s;
    int k;

    (void)state;
    /* A few communes, west to east, and every kind. */
    for (c = 0; c < nco; c += 5) {
        for (k = 0; k < K_N; k++) {
            struct bp_list_query q = BP_LIST_QUERY_INIT;
            struct fctx fc = {0};
            fc.k = (enum kind)k;
            fc.commune = communes[c].id;
            q.commune = communes[c].id;
            q.limit = 40;
            snprintf(what, sizeof(what), "%ss of commune %s", kind_names[k],
                     communes[c].code);
            check(what, (enum kind)k, q, keep_commune, &fc);
        }
    }
    for (s = 0; s < nst; s += 3) {
        for (k = 0; k < K_N; k++) {
            struct bp_list_query q = BP_LIST_QUERY_INIT;
            struct fctx fc = {0};
            fc.k = (enum kind)k;
            fc.station = stations[s].id;
            q.station = stations[s].id;
            q.limit = 45;
            snprintf(what, sizeof(what), "%ss of station %s", kind_names[k],
                     stations[s].code);
            check(what, (enum kind)k, q, keep_station, &fc);
        }
    }
    /* Ids in upper case name the same records; unknown ones select
     * nothing. */
    {
        struct bp_list_query q = BP_LIST_QUERY_INIT;
        struct fctx fc = {0};
        char upper[sizeof(bp_uuid)];
        size_t i;
        for (i = 0; communes[3].id[i]; i++)
            upper[i] = (char)(communes[3].id[i] >= 'a' &&
                                      communes[3].id[i] <= 'z'
                                  ? communes[3].id[i] - 32
                                  : communes[3].id[i]);
        upper[i] = 0;
        fc.k = K_CUSTODIAN;
        fc.commune = communes[3].id;
        q.commune = upper;
        check("custodians of an upper-case commune id", K_CUSTODIAN, q,
              keep_commune, &fc);
        q.commune = "00000000-0000-4000-8000-000000000000";
        check("custodians of no commune", K_CUSTODIAN, q, keep_none, NULL);
        q.commune = NULL;
        q.station = "'; DROP TABLE custodian; --";
        check("custodians of an SQL-looking station", K_CUSTODIAN, q,
              keep_none, NULL);
    }
}

static void test_filter_as_of(void **state)
{
    static const char *const days[] = {"2018-12-31", "2019-03-03",
                                       "2021-06-30", "2024-03-03",
                                       "2030-01-01"};
    char what[96];
    size_t d;
    int k;

    int32_t edge[4] = {0, 0, 0, 0};
    size_t i;

    (void)state;
    /* The days a pledge and a custodian ended, and a pledge was signed,
     * and the day before: the edges of "active". */
    for (i = 0; i < npl && !edge[0]; i++)
        if (pledges[i].ended_on != BP_DATE_NONE)
            edge[0] = pledges[i].ended_on;
    for (i = 0; i < ncu && !edge[1]; i++)
        if (custodians[i].ended_on != BP_DATE_NONE)
            edge[1] = custodians[i].ended_on;
    edge[2] = pledges[npl / 2].signed_on;
    edge[3] = edge[2] - 1;
    assert_true(edge[0] && edge[1]);
    for (d = 0; d < sizeof(days) / sizeof(days[0]) + 4; d++) {
        for (k = 0; k < K_N; k++) {
            struct bp_list_query q = BP_LIST_QUERY_INIT;
            struct fctx fc = {0};
            fc.k = (enum kind)k;
            if (d < sizeof(days) / sizeof(days[0]))
                assert_int_equal(bp_date_parse(days[d], &fc.day), 0);
            else
                fc.day = edge[d - sizeof(days) / sizeof(days[0])];
            q.as_of = fc.day;
            q.limit = 333;
            snprintf(what, sizeof(what), "%ss as of day %ld", kind_names[k],
                     (long)fc.day);
            check(what, (enum kind)k, q, keep_active, &fc);
        }
    }
}

static void test_filter_text(void **state)
{
    /* Folded or not, with and without diacritics; digits of phones. */
    static const char *const texts[] = {"dao vien", "Đào Viên", "NONG",
                                        "thi", "09", "0201", "binh nghi",
                                        "11", "/1", "bbtq-bn", "%", "_",
                                        "'", ""};
    char what[96];
    size_t t;
    int k, personal;

    (void)state;
    for (t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
        for (k = 0; k < K_N; k++) {
            for (personal = 0; personal < 2; personal++) {
                struct bp_list_query q = BP_LIST_QUERY_INIT;
                struct fctx fc = {0};
                char *fold = bp_text_fold(texts[t]);
                fc.k = (enum kind)k;
                fc.text = fold;
                fc.personal = personal;
                q.q = texts[t];
                q.q_personal = personal;
                q.limit = 100;
                snprintf(what, sizeof(what), "%ss with '%s'%s",
                         kind_names[k], texts[t],
                         personal ? " (personal)" : "");
                check(what, (enum kind)k, q, keep_text, &fc);
                bp_free(fold);
            }
        }
    }
    /* The search found something, so the comparisons above mean
     * something: Đào Viên is a demo commune. */
    {
        struct bp_list_query q = BP_LIST_QUERY_INIT;
        struct bp_list_page pg = {0, NULL};
        struct bp_error err = {0};
        struct bp_commune *v = NULL;
        size_t n = 0;
        q.q = "dao vien";
        q.count = 1;
        OK(bp_store_commune_page(st, &q, &v, &n, &pg, &err));
        assert_int_equal(n, 1);
        assert_string_equal(v[0].name, "Xã Đào Viên");
        bp_store_commune_list_free(v, n);
        bp_list_page_release(&pg);
    }
}

static void test_filter_kind_refs(void **state)
{
    static const char *const kinds[] = {"main", "sub", "twin", "household",
                                        "collective", "nonsense"};
    char what[96];
    size_t i;
    int k;

    (void)state;
    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        for (k = 0; k < K_N; k++) {
            struct bp_list_query q = BP_LIST_QUERY_INIT;
            struct fctx fc = {0};
            fc.k = (enum kind)k;
            fc.kind = kinds[i];
            q.kind = kinds[i];
            q.limit = 200;
            snprintf(what, sizeof(what), "%ss of kind %s", kind_names[k],
                     kinds[i]);
            check(what, (enum kind)k, q, keep_kind, &fc);
        }
    }
    /* Pledges of a custodian; custodians of a village; the village. */
    for (i = 0; i < ncu; i += 97) {
        struct bp_list_query q = BP_LIST_QUERY_INIT;
        struct fctx fc = {0};
        fc.k = K_PLEDGE;
        fc.ref = custodians[i].id;
        q.custodian = custodians[i].id;
        check("pledges of a custodian", K_PLEDGE, q, keep_ref, &fc);
    }
    for (i = 0; i < nvi; i += 9) {
        struct bp_list_query q = BP_LIST_QUERY_INIT;
        struct fctx fc = {0};
        fc.k = K_CUSTODIAN;
        fc.ref = villages[i].id;
        q.village = villages[i].id;
        check("custodians of a village", K_CUSTODIAN, q, keep_ref, &fc);
        fc.k = K_VILLAGE;
        check("the village itself", K_VILLAGE, q, keep_ref, &fc);
    }
}

/* ---- sorting ---- */

struct sorted {
    enum kind k;
    const char *key;
};

static int cmp_num(double a, double b)
{
    return (a > b) - (a < b);
}

static int cmp_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* Compare two records by a sort key, as the API defines it; 2 when the
 * key is not checked here (only "every record once" then). */
static int cmp_key(enum kind k, const char *key, const void *a,
                   const void *b)
{
    if (!strcmp(key, "id"))
        return strcmp(a, b);
    switch (k) {
    case K_STATION: {
        const struct bp_station *x = a, *y = b;
        if (!strcmp(key, "code"))
            return cmp_text(x->code, y->code);
        if (!strcmp(key, "name"))
            return cmp_text(x->name, y->name);
        break;
    }
    case K_COMMUNE: {
        const struct bp_commune *x = a, *y = b;
        if (!strcmp(key, "from"))
            return cmp_num(x->from.measure_m, y->from.measure_m);
        if (!strcmp(key, "to"))
            return cmp_num(x->to.measure_m, y->to.measure_m);
        if (!strcmp(key, "district"))
            return cmp_text(x->district, y->district);
        if (!strcmp(key, "station_id"))
            return cmp_text(x->station_id, y->station_id);
        break;
    }
    case K_VILLAGE: {
        const struct bp_village *x = a, *y = b;
        if (!strcmp(key, "name"))
            return cmp_text(x->name, y->name);
        if (!strcmp(key, "commune_id"))
            return cmp_text(x->commune_id, y->commune_id);
        break;
    }
    case K_MARKER: {
        const struct bp_marker *x = a, *y = b;
        if (!strcmp(key, "number"))
            return cmp_text(x->number, y->number);
        if (!strcmp(key, "kind"))
            return cmp_num(x->kind, y->kind);
        if (!strcmp(key, "measure_m"))
            return cmp_num(x->measure_m, y->measure_m);
        if (!strcmp(key, "lat"))
            return cmp_num(x->lat, y->lat);
        if (!strcmp(key, "official_m"))
            return cmp_num(isnan(x->official_m) ? -1e308 : x->official_m,
                           isnan(y->official_m) ? -1e308 : y->official_m);
        break;
    }
    case K_CUSTODIAN: {
        const struct bp_custodian *x = a, *y = b;
        if (!strcmp(key, "name"))
            return cmp_text(x->name, y->name);
        if (!strcmp(key, "kind"))
            return cmp_num(x->kind, y->kind);
        if (!strcmp(key, "members"))
            return cmp_num(x->members, y->members);
        if (!strcmp(key, "phone"))
            return cmp_text(x->phone, y->phone);
        if (!strcmp(key, "ended_on"))
            return cmp_num(x->ended_on, y->ended_on);
        break;
    }
    default: {
        const struct bp_pledge *x = a, *y = b;
        if (!strcmp(key, "from"))
            return cmp_num(x->from.measure_m, y->from.measure_m);
        if (!strcmp(key, "signed_on"))
            return cmp_num(x->signed_on, y->signed_on);
        if (!strcmp(key, "ended_on"))
            return cmp_num(x->ended_on, y->ended_on);
        if (!strcmp(key, "doc_no"))
            return cmp_text(x->doc_no, y->doc_no);
        if (!strcmp(key, "length_m"))
            return cmp_num(x->to.measure_m - x->from.measure_m,
                           y->to.measure_m - y->from.measure_m);
        break;
    }
    }
    return 2;
}

static const void *find_rec(enum kind k, const char *id)
{
    size_t n, i;
    const char *v = whole(k, &n);

    for (i = 0; i < n; i++)
        if (!strcmp(v + i * kind_size(k), id))
            return v + i * kind_size(k);
    return NULL;
}

static int cmp_id(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void test_sorts(void **state)
{
    static const char *const keys[K_N][12] = {
        {"id", "code", "name", "ended_on"},
        {"id", "code", "name", "district", "station_id", "from", "to",
         "ended_on"},
        {"id", "name", "commune_id", "ended_on"},
        {"id", "number", "key", "kind", "lon", "lat", "measure_m",
         "offset_m", "official_m", "ended_on"},
        {"id", "kind", "name", "collective_kind", "members", "village_id",
         "commune_id", "phone", "citizen_id", "contact", "ended_on"},
        {"id", "custodian_id", "from", "to", "signed_on", "ended_on",
         "station_id", "doc_no", "note", "length_m"}};
    char sort[40], what[96];
    int k, desc, checked = 0;
    size_t i, j, n;

    (void)state;
    for (k = 0; k < K_N; k++) {
        for (i = 0; i < 12 && keys[k][i]; i++) {
            for (desc = 0; desc < 2; desc++) {
                struct bp_list_query q = BP_LIST_QUERY_INIT;
                struct ids got = {0}, want = {0};
                snprintf(sort, sizeof(sort), "%s%s", desc ? "-" : "",
                         keys[k][i]);
                q.sort = sort;
                q.limit = 97;
                snprintf(what, sizeof(what), "%ss sorted by %s",
                         kind_names[k], sort);
                walk((enum kind)k, q, &got, NULL);
                /* In order: each record against the next. */
                for (j = 0; j + 1 < got.n; j++) {
                    const void *a = find_rec((enum kind)k, got.id[j]);
                    const void *b = find_rec((enum kind)k, got.id[j + 1]);
                    int c = cmp_key((enum kind)k, keys[k][i], a, b);
                    if (c == 2)
                        break;
                    checked++;
                    if (desc ? c < 0 : c > 0)
                        fail_msg("%s: %s before %s", what, got.id[j],
                                 got.id[j + 1]);
                }
                /* Every record once. */
                whole((enum kind)k, &n);
                expect_ids((enum kind)k, NULL, NULL, &want);
                qsort(got.id, got.n, sizeof(*got.id), cmp_id);
                qsort(want.id, want.n, sizeof(*want.id), cmp_id);
                assert_same_ids(what, &got, &want);
                ids_free(&got);
                ids_free(&want);
            }
        }
    }
    assert_true(checked > 5000);
}

/* ---- cursors ---- */

static bp_uuid inserted[3];

/* After the second page, add custodians: one before the walk's place
 * (not seen), one at the end (seen), one with the same name as a record
 * already given (after it by insertion order: seen). */
static const char *same_name;
static void insert_between(int pageno)
{
    static const char *const names[] = {"Aaaa Trước", "Ỳ Zzzz Sau", NULL};
    struct bp_error err = {0};
    int i;

    if (pageno != 2)
        return;
    for (i = 0; i < 3; i++) {
        struct bp_custodian c = {0};
        c.kind = BP_HOUSEHOLD;
        c.name = (char *)(names[i] ? names[i] : same_name);
        c.commune_id[0] = 0;
        memcpy(c.commune_id, communes[0].id, sizeof(bp_uuid));
        if (bp_store_custodian_put(st, &c, &err))
            fail_msg("insert: %s", err.message);
        memcpy(inserted[i], c.id, sizeof(bp_uuid));
    }
}

static void test_cursor_inserts(void **state)
{
    /* Which of the added records each walk must see: the own order is by
     * folded name ("aaaa..." first, "y zzzz..." last), "-name" by the
     * bytes of the name, descending ("Ỳ..." first, "Aaaa..." last); the
     * twin sorts right after its namesake by insertion order, which the
     * descending walk has already passed. */
    static const int seen[2][3] = {{0, 1, 1}, {1, 0, 0}};
    struct bp_error err = {0};
    int desc, x;

    (void)state;
    for (desc = 0; desc < 2; desc++) {
        struct bp_list_query q = BP_LIST_QUERY_INIT;
        struct ids got = {0}, want = {0};
        int found[3] = {0, 0, 0};
        size_t i, j, extra = 0;
        const struct bp_custodian *mid;

        q.limit = 25;
        q.sort = desc ? "-name" : NULL;
        walk(K_CUSTODIAN, q, &want, NULL);
        /* The last record of the second page. */
        mid = custodian_by_id(want.id[2 * 25 - 1]);
        assert_non_null(mid);
        same_name = mid->name;
        OK(bp_store_begin(st, &err));
        walk(K_CUSTODIAN, q, &got, insert_between);
        bp_store_rollback(st);
        /* The records there before, each once, in their order. */
        for (i = 0, j = 0; i < got.n; i++) {
            int added = 0;
            for (x = 0; x < 3; x++)
                if (!strcmp(got.id[i], inserted[x])) {
                    found[x]++;
                    added = 1;
                    /* The twin right after its namesake. */
                    if (x == 2)
                        assert_string_equal(got.id[i - 1], mid->id);
                }
            if (added) {
                extra++;
                continue;
            }
            if (j >= want.n || strcmp(got.id[i], want.id[j]))
                fail_msg("record %zu is %s, want %s", i, got.id[i],
                         j < want.n ? want.id[j] : "none");
            j++;
        }
        assert_int_equal(j, want.n);
        for (x = 0; x < 3; x++)
            if (found[x] != seen[desc][x])
                fail_msg("%s: added record %d seen %d times, want %d",
                         desc ? "-name" : "own order", x, found[x],
                         seen[desc][x]);
        assert_int_equal(got.n, want.n + extra);
        ids_free(&got);
        ids_free(&want);
    }
}

/* Expect a page call to fail with BP_EINVAL naming `field`, leaving the
 * outputs as they were. */
static void expect_bad(enum kind k, const struct bp_list_query *q,
                       const char *field)
{
    struct bp_error err = {0};
    struct bp_list_page pg = {7, (char *)"untouched"};
    void *v = (void *)&pg;
    size_t n = 99;
    int rc = page(k, q, &v, &n, &pg, &err);

    if (rc != BP_EINVAL)
        fail_msg("cursor '%s' sort '%s': got %s, want BP_EINVAL",
                 q->cursor ? q->cursor : "", q->sort ? q->sort : "",
                 bp_errname(rc));
    assert_string_equal(err.field, field);
    assert_true(v == (void *)&pg);
    assert_int_equal(n, 99);
    assert_int_equal(pg.total, 7);
    assert_string_equal(pg.next_cursor, "untouched");
}

static void test_bad_input(void **state)
{
    struct bp_list_query q = BP_LIST_QUERY_INIT;
    struct bp_list_page pg = {0, NULL};
    struct bp_error err = {0};
    struct bp_custodian *v = NULL;
    char *good, *trunc, *bad;
    static const char *const garbage[] = {
        "", "0", "50", "!!!!", "Y3VzdG9kaWFu", "=====", "abc=",
        "Y3VzdG9kaWFuOzt0MTE6YmUgbWluaCBsdWM7dDE1OkLhur8gTWluaCBM4buxYztpMzI1",
        "c3RhdGlvbjs7dDM6YWJjO3QxOmE7aTE7"};
    size_t n = 0, i;

    (void)state;
    q.limit = 10;
    OK(bp_store_custodian_page(st, &q, &v, &n, &pg, &err));
    bp_store_custodian_list_free(v, n);
    good = strdup(pg.next_cursor);
    bp_list_page_release(&pg);
    for (i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
        q.cursor = garbage[i];
        expect_bad(K_CUSTODIAN, &q, "cursor");
    }
    /* A custodians' cursor is none of the pledges', nor of another
     * order; a cut or changed one is none at all. */
    q.cursor = good;
    expect_bad(K_PLEDGE, &q, "cursor");
    q.sort = "-name";
    expect_bad(K_CUSTODIAN, &q, "cursor");
    q.sort = NULL;
    trunc = strdup(good);
    trunc[strlen(trunc) - 3] = 0;
    q.cursor = trunc;
    expect_bad(K_CUSTODIAN, &q, "cursor");
    bad = strdup(good);
    bad[0] = bad[0] == 'Y' ? 'Z' : 'Y';
    q.cursor = bad;
    expect_bad(K_CUSTODIAN, &q, "cursor");
    {
        char *huge = malloc(5000);
        memset(huge, 'A', 4999);
        huge[4999] = 0;
        q.cursor = huge;
        expect_bad(K_CUSTODIAN, &q, "cursor");
        free(huge);
    }
    q.cursor = NULL;
    q.sort = "nonsense";
    expect_bad(K_CUSTODIAN, &q, "sort");
    q.sort = "";
    expect_bad(K_CUSTODIAN, &q, "sort");
    q.sort = "-";
    expect_bad(K_CUSTODIAN, &q, "sort");
    q.sort = "length_m";
    expect_bad(K_CUSTODIAN, &q, "sort");
    q.sort = NULL;
    q.limit = BP_LIST_LIMIT_MAX + 1;
    expect_bad(K_CUSTODIAN, &q, "limit");
    /* The good cursor still works. */
    q.limit = 10;
    q.cursor = good;
    OK(bp_store_custodian_page(st, &q, &v, &n, &pg, &err));
    assert_int_equal(n, 10);
    bp_store_custodian_list_free(v, n);
    bp_list_page_release(&pg);
    free(good);
    free(trunc);
    free(bad);
}

/* ---- role scopes ---- */

static void test_scope(void **state)
{
    bp_uuid scope[3];
    char what[96];
    size_t s;
    int k;

    (void)state;
    /* A commune user's one commune; a station user's several. */
    memcpy(scope[0], communes[4].id, sizeof(bp_uuid));
    memcpy(scope[1], communes[9].id, sizeof(bp_uuid));
    memcpy(scope[2], communes[15].id, sizeof(bp_uuid));
    for (s = 1; s <= 3; s += 2) {
        for (k = 0; k < K_N; k++) {
            struct bp_list_query q = BP_LIST_QUERY_INIT;
            struct fctx fc = {0};
            fc.k = (enum kind)k;
            fc.scope = (const bp_uuid *)scope;
            fc.nscope = s;
            q.scoped = 1;
            q.communes = (const bp_uuid *)scope;
            q.ncommunes = s;
            q.limit = 30;
            snprintf(what, sizeof(what), "%ss in %zu communes",
                     kind_names[k], s);
            check(what, (enum kind)k, q, keep_scope, &fc);
            /* Asking for another commune's records finds none; for one
             * of its own, those. */
            q.commune = communes[0].id;
            fc.commune = communes[0].id;
            snprintf(what, sizeof(what), "%ss of another commune",
                     kind_names[k]);
            check(what, (enum kind)k, q, keep_scope, &fc);
            q.commune = communes[9].id;
            fc.commune = communes[9].id;
            check(what, (enum kind)k, q, keep_scope, &fc);
            /* Nor by guessing a custodian's id or a search. */
            q.commune = NULL;
            q.custodian = custodians[0].id;
            q.q = custodians[0].name;
            if (strcmp(custodian_commune(&custodians[0]), scope[0]) &&
                (s == 1 || (strcmp(custodian_commune(&custodians[0]),
                                   scope[1]) &&
                            strcmp(custodian_commune(&custodians[0]),
                                   scope[2]))))
                check("another commune's custodian by id and name",
                      (enum kind)k, q, keep_none, NULL);
        }
    }
    /* A scope of no communes: nothing. */
    for (k = 0; k < K_N; k++) {
        struct bp_list_query q = BP_LIST_QUERY_INIT;
        q.scoped = 1;
        check("no communes", (enum kind)k, q, keep_none, NULL);
    }
}

/* A custodian without a commune belongs to its village's; with one, to
 * that one whatever its village. The demo has none of the first kind and
 * none whose two differ, so add them, and their pledges. */
static void test_scope_by_village(void **state)
{
    struct bp_error err = {0};
    struct bp_custodian a = {0}, b = {0};
    struct bp_pledge p = {0};
    const char *vil = NULL, *other = NULL;
    size_t i;
    int found_a = 0, found_b = 0, found_p = 0;

    (void)state;
    for (i = 0; i < nvi && !vil; i++)
        if (!strcmp(villages[i].commune_id, communes[6].id))
            vil = villages[i].id;
    for (i = 0; i < nvi && !other; i++)
        if (!strcmp(villages[i].commune_id, communes[7].id))
            other = villages[i].id;
    assert_non_null(vil);
    assert_non_null(other);
    OK(bp_store_begin(st, &err));
    a.kind = BP_HOUSEHOLD;
    a.name = bp_strdup("Hộ Theo Thôn");
    memcpy(a.village_id, vil, sizeof(bp_uuid));
    OK(bp_store_custodian_put(st, &a, &err));
    b.kind = BP_HOUSEHOLD;
    b.name = bp_strdup("Hộ Theo Xã");
    memcpy(b.village_id, vil, sizeof(bp_uuid));
    memcpy(b.commune_id, communes[7].id, sizeof(bp_uuid));
    OK(bp_store_custodian_put(st, &b, &err));
    memcpy(p.custodian_id, a.id, sizeof(bp_uuid));
    p.from.measure_m = 1000;
    p.to.measure_m = 2000;
    p.signed_on = 20000;
    p.ended_on = BP_DATE_NONE;
    OK(bp_store_pledge_put(st, &p, &err));
    {
        struct bp_list_query q = BP_LIST_QUERY_INIT;
        struct bp_list_page pg = {0, NULL};
        struct bp_custodian *v = NULL;
        struct bp_pledge *pv = NULL;
        size_t n = 0;
        bp_uuid scope;
        memcpy(scope, communes[6].id, sizeof(bp_uuid));
        q.scoped = 1;
        q.communes = (const bp_uuid *)&scope;
        q.ncommunes = 1;
        q.limit = 1000;
        OK(bp_store_custodian_page(st, &q, &v, &n, &pg, &err));
        for (i = 0; i < n; i++) {
            found_a += !strcmp(v[i].id, a.id);
            found_b += !strcmp(v[i].id, b.id);
        }
        bp_store_custodian_list_free(v, n);
        bp_list_page_release(&pg);
        OK(bp_store_pledge_page(st, &q, &pv, &n, &pg, &err));
        for (i = 0; i < n; i++)
            found_p += !strcmp(pv[i].id, p.id);
        bp_store_pledge_list_free(pv, n);
        bp_list_page_release(&pg);
        /* And by the commune filter, the other commune has b. */
        q.scoped = 0;
        q.commune = communes[7].id;
        OK(bp_store_custodian_page(st, &q, &v, &n, &pg, &err));
        for (i = 0; i < n; i++)
            found_b += 10 * !strcmp(v[i].id, b.id);
        bp_store_custodian_list_free(v, n);
        bp_list_page_release(&pg);
    }
    bp_store_rollback(st);
    bp_custodian_release(&a);
    bp_custodian_release(&b);
    bp_pledge_release(&p);
    assert_int_equal(found_a, 1);
    assert_int_equal(found_b, 10);
    assert_int_equal(found_p, 1);
}

/* ---- query plans ---- */

/* The plan of every cached list statement, one line each, into `out`. */
static void plans(struct bp_buf *out)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    size_t i;

    for (i = 0; i < BP__SQLITE_NLIST; i++) {
        sqlite3_stmt *q = s->list_stmts[i], *e = NULL;
        char *sql;
        if (!q)
            continue;
        sql = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sqlite3_sql(q));
        assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &e, NULL),
                         SQLITE_OK);
        bp_buf_addf(out, "%s\n", sqlite3_sql(q));
        while (sqlite3_step(e) == SQLITE_ROW)
            bp_buf_addf(out, "  %s\n",
                        (const char *)sqlite3_column_text(e, 3));
        sqlite3_finalize(e);
        sqlite3_free(sql);
    }
}

/* Run one page of `q` and return the plans of the statements it left. */
static char *plan_of(enum kind k, struct bp_list_query q)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    struct bp_buf out = BP_BUF_INIT;
    struct bp_error err = {0};
    struct bp_list_page pg = {0, NULL};
    void *v = NULL;
    size_t n = 0;

    bp__sqlite_list_finalize(s);
    q.count = 1;
    if (page(k, &q, &v, &n, &pg, &err))
        fail_msg("plan page: %s", err.message);
    list_free(k, v, n);
    /* The second page too: its cursor is a range of the index. */
    q.cursor = pg.next_cursor;
    if (q.cursor) {
        struct bp_list_page pg2 = {0, NULL};
        bp__sqlite_list_finalize(s);
        if (page(k, &q, &v, &n, &pg2, &err))
            fail_msg("plan page 2: %s", err.message);
        list_free(k, v, n);
        bp_list_page_release(&pg2);
    }
    bp_list_page_release(&pg);
    plans(&out);
    return bp_buf_take(&out, NULL);
}

#define assert_contains(s, part)                                             \
    do {                                                                     \
        if (!strstr((s), (part)))                                            \
            fail_msg("plan lacks '%s':\n%s", (part), (s));                   \
    } while (0)
#define assert_lacks(s, part)                                                \
    do {                                                                     \
        if (strstr((s), (part)))                                             \
            fail_msg("plan has '%s':\n%s", (part), (s));                     \
    } while (0)

static void test_plans(void **state)
{
    static const char *const own_index[K_N] = {
        "station_name", "commune_measure", "village_name", "marker_order",
        "custodian_name", "pledge_measure"};
    bp_uuid scope;
    char *p;
    int k;

    (void)state;
    /* Each list's own order is an index, read from the cursor on: no
     * sorting, no reading of the whole table. */
    for (k = 0; k < K_N; k++) {
        struct bp_list_query q = BP_LIST_QUERY_INIT;
        q.limit = 3;
        p = plan_of((enum kind)k, q);
        assert_contains(p, own_index[k]);
        assert_lacks(p, "TEMP B-TREE");
        bp_free(p);
    }
    /* A role's scope and the commune filter are index lookups. */
    memcpy(scope, communes[4].id, sizeof(bp_uuid));
    {
        struct bp_list_query q = BP_LIST_QUERY_INIT;
        q.scoped = 1;
        q.communes = (const bp_uuid *)&scope;
        q.ncommunes = 1;
        p = plan_of(K_CUSTODIAN, q);
        assert_contains(p, "custodian_commune (commune=?)");
        assert_contains(p, "custodian_village (village=?)");
        assert_contains(p, "village_commune (commune=?)");
        assert_lacks(p, "SCAN c\n");
        bp_free(p);
        p = plan_of(K_PLEDGE, q);
        assert_contains(p, "pledge_cov (custodian=?)");
        assert_contains(p, "custodian_commune (commune=?)");
        bp_free(p);
        p = plan_of(K_VILLAGE, q);
        assert_contains(p, "village_commune (commune=?)");
        bp_free(p);
    }
    {
        struct bp_list_query q = BP_LIST_QUERY_INIT;
        q.custodian = custodians[5].id;
        p = plan_of(K_PLEDGE, q);
        assert_contains(p, "pledge_cov (custodian=?)");
        bp_free(p);
        q.custodian = NULL;
        q.station = stations[2].id;
        p = plan_of(K_PLEDGE, q);
        assert_contains(p, "pledge_station (station=?)");
        bp_free(p);
        q.station = NULL;
        q.village = villages[2].id;
        p = plan_of(K_CUSTODIAN, q);
        assert_contains(p, "custodian_village (village=?)");
        bp_free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_own_order),
        cmocka_unit_test(test_filter_commune_station),
        cmocka_unit_test(test_filter_as_of),
        cmocka_unit_test(test_filter_text),
        cmocka_unit_test(test_filter_kind_refs),
        cmocka_unit_test(test_sorts),
        cmocka_unit_test(test_cursor_inserts),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_scope),
        cmocka_unit_test(test_scope_by_village),
        cmocka_unit_test(test_plans),
    };

    return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
