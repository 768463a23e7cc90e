/* SPDX-License-Identifier: MIT */
/*
 * The registry's records in SQLite: stations, communes, villages,
 * markers, custodians and pledges, their references, anchors and unique
 * keys, and the one-pass load of the coverage inputs. Statements are
 * prepared once per handle and reused, so bulk imports stay fast.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bienphong/alloc.h"
#include "bienphong/text.h"
#include "store/store_sqlite_int.h"

/* Column lists shared by get and list, read by the read_* functions. */
#define SEL_STATION "SELECT s.id, s.code, s.name, s.ended_on FROM station s"
#define SEL_COMMUNE                                                          \
    "SELECT c.id, c.code, c.name, c.district, st.id, c.from_key, "          \
    "c.from_offset_m, c.from_m, c.to_key, c.to_offset_m, c.to_m, "          \
    "c.ended_on FROM commune c LEFT JOIN station st ON st.rid = c.station"
#define SEL_VILLAGE                                                          \
    "SELECT v.id, v.name, c.id, v.ended_on FROM village v "                 \
    "JOIN commune c ON c.rid = v.commune"
#define SEL_MARKER                                                           \
    "SELECT m.id, m.number, m.key, m.kind, m.lon, m.lat, m.measure_m, "     \
    "m.offset_m, m.official_m, m.ended_on FROM marker m"
#define SEL_CUSTODIAN                                                        \
    "SELECT c.id, c.kind, c.name, c.collective_kind, c.members, v.id, "     \
    "m.id, c.phone, c.citizen_id, c.contact, c.ended_on FROM custodian c "  \
    "LEFT JOIN village v ON v.rid = c.village "                             \
    "LEFT JOIN commune m ON m.rid = c.commune"
#define SEL_PLEDGE                                                           \
    "SELECT p.id, c.id, p.from_key, p.from_offset_m, p.from_m, p.to_key, "  \
    "p.to_offset_m, p.to_m, p.signed_on, p.ended_on, s.id, p.doc_no, "      \
    "p.note FROM pledge p JOIN custodian c ON c.rid = p.custodian "         \
    "LEFT JOIN station s ON s.rid = p.station"

/* The list orders; cov_load uses the same ones so indices match. */
#define ORDER_STATION " ORDER BY s.name, s.code, s.rid"
#define ORDER_COMMUNE " ORDER BY c.from_m, c.to_m, c.code, c.rid"

enum stmt {
    S_DATA_VERSION,
    S_RID_STATION, S_RID_COMMUNE, S_RID_VILLAGE, S_RID_MARKER,
    S_RID_CUSTODIAN, S_RID_PLEDGE,
    S_GET_STATION, S_GET_COMMUNE, S_GET_VILLAGE, S_GET_MARKER,
    S_GET_CUSTODIAN, S_GET_PLEDGE,
    S_CODE_STATION, S_CODE_COMMUNE, S_KEY_MARKER,
    S_LIST_STATION, S_LIST_COMMUNE, S_LIST_VILLAGE, S_LIST_MARKER,
    S_LIST_CUSTODIAN, S_LIST_PLEDGE,
    S_END_STATION, S_END_COMMUNE, S_END_VILLAGE, S_END_MARKER,
    S_END_CUSTODIAN, S_END_PLEDGE,
    S_PUT_STATION, S_PUT_COMMUNE, S_PUT_VILLAGE, S_PUT_MARKER,
    S_PUT_CUSTODIAN, S_PUT_PLEDGE,
    S_UNIQ_STATION, S_UNIQ_COMMUNE, S_UNIQ_MARKER,
    S_MARKER_MEASURE, S_PLEDGE_SIGNED,
    S_SET_MARKER, S_SET_COMMUNE, S_SET_PLEDGE,
    S_SEARCH,
    S_COV_MAX, S_COV_STATION, S_COV_COMMUNE, S_COV_VILLAGE,
    S_COV_CUSTODIAN, S_COV_PLEDGE, S_COV_MARKER,
    S_INS_CUSTODIAN, S_INS_PLEDGE,
    S_COUNT
};

static const char *const sql[S_COUNT] = {
    [S_DATA_VERSION] = "PRAGMA data_version",
    [S_RID_STATION] = "SELECT rid FROM station WHERE id = ?1",
    [S_RID_COMMUNE] = "SELECT rid FROM commune WHERE id = ?1",
    [S_RID_VILLAGE] = "SELECT rid FROM village WHERE id = ?1",
    [S_RID_MARKER] = "SELECT rid FROM marker WHERE id = ?1",
    [S_RID_CUSTODIAN] = "SELECT rid FROM custodian WHERE id = ?1",
    [S_RID_PLEDGE] = "SELECT rid FROM pledge WHERE id = ?1",
    [S_GET_STATION] = SEL_STATION " WHERE s.id = ?1",
    [S_GET_COMMUNE] = SEL_COMMUNE " WHERE c.id = ?1",
    [S_GET_VILLAGE] = SEL_VILLAGE " WHERE v.id = ?1",
    [S_GET_MARKER] = SEL_MARKER " WHERE m.id = ?1",
    [S_GET_CUSTODIAN] = SEL_CUSTODIAN " WHERE c.id = ?1",
    [S_GET_PLEDGE] = SEL_PLEDGE " WHERE p.id = ?1",
    [S_CODE_STATION] = SEL_STATION " WHERE s.code = ?1",
    [S_CODE_COMMUNE] = SEL_COMMUNE " WHERE c.code = ?1",
    /* A key names the marker standing now, else the latest ended one. */
    [S_KEY_MARKER] = SEL_MARKER " WHERE m.key = ?1 ORDER BY "
                                "m.ended_on IS NOT NULL, m.rid DESC LIMIT 1",
    [S_LIST_STATION] = SEL_STATION ORDER_STATION,
    [S_LIST_COMMUNE] = SEL_COMMUNE ORDER_COMMUNE,
    [S_LIST_VILLAGE] = SEL_VILLAGE " ORDER BY v.name, v.rid",
    [S_LIST_MARKER] = SEL_MARKER " ORDER BY m.measure_m, m.key, m.rid",
    /* By the folded name, so "Đào" sorts among the d. */
    [S_LIST_CUSTODIAN] = SEL_CUSTODIAN
    " ORDER BY c.name_fold, c.name, c.rid",
    [S_LIST_PLEDGE] = SEL_PLEDGE
    " ORDER BY p.from_m, p.to_m, p.signed_on, p.rid",
    [S_END_STATION] = "UPDATE station SET ended_on = ?2, updated_at = ?3 "
                      "WHERE id = ?1",
    [S_END_COMMUNE] = "UPDATE commune SET ended_on = ?2, updated_at = ?3 "
                      "WHERE id = ?1",
    [S_END_VILLAGE] = "UPDATE village SET ended_on = ?2, updated_at = ?3 "
                      "WHERE id = ?1",
    [S_END_MARKER] = "UPDATE marker SET ended_on = ?2, updated_at = ?3 "
                     "WHERE id = ?1",
    [S_END_CUSTODIAN] = "UPDATE custodian SET ended_on = ?2, "
                        "updated_at = ?3 WHERE id = ?1",
    [S_END_PLEDGE] = "UPDATE pledge SET ended_on = ?2, updated_at = ?3 "
                     "WHERE id = ?1",
    [S_PUT_STATION] =
        "INSERT INTO station (id, code, name, ended_on, created_at, "
        "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (id) DO "
        "UPDATE SET code = excluded.code, name = excluded.name, "
        "ended_on = excluded.ended_on, updated_at = excluded.updated_at",
    [S_PUT_COMMUNE] =
        "INSERT INTO commune (id, code, name, district, station, from_key, "
        "from_offset_m, from_m, to_key, to_offset_m, to_m, ended_on, "
        "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
        "?9, ?10, ?11, ?12, ?13, ?13) ON CONFLICT (id) DO UPDATE SET "
        "code = excluded.code, name = excluded.name, "
        "district = excluded.district, station = excluded.station, "
        "from_key = excluded.from_key, from_offset_m = "
        "excluded.from_offset_m, from_m = excluded.from_m, "
        "to_key = excluded.to_key, to_offset_m = excluded.to_offset_m, "
        "to_m = excluded.to_m, ended_on = excluded.ended_on, "
        "updated_at = excluded.updated_at",
    [S_PUT_VILLAGE] =
        "INSERT INTO village (id, name, commune, ended_on, created_at, "
        "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (id) DO "
        "UPDATE SET name = excluded.name, commune = excluded.commune, "
        "ended_on = excluded.ended_on, updated_at = excluded.updated_at",
    [S_PUT_MARKER] =
        "INSERT INTO marker (id, number, key, kind, lon, lat, measure_m, "
        "offset_m, official_m, ended_on, created_at, updated_at) VALUES "
        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11) ON CONFLICT "
        "(id) DO UPDATE SET number = excluded.number, key = excluded.key, "
        "kind = excluded.kind, lon = excluded.lon, lat = excluded.lat, "
        "measure_m = excluded.measure_m, offset_m = excluded.offset_m, "
        "official_m = excluded.official_m, ended_on = excluded.ended_on, "
        "updated_at = excluded.updated_at",
    [S_PUT_CUSTODIAN] =
        "INSERT INTO custodian (id, kind, name, name_fold, "
        "collective_kind, members, village, commune, phone, citizen_id, "
        "contact, ended_on, created_at, updated_at) VALUES (?1, ?2, ?3, "
        "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13) ON CONFLICT (id) "
        "DO UPDATE SET kind = excluded.kind, name = excluded.name, "
        "name_fold = excluded.name_fold, collective_kind = "
        "excluded.collective_kind, members = excluded.members, "
        "village = excluded.village, commune = excluded.commune, "
        "phone = excluded.phone, citizen_id = excluded.citizen_id, "
        "contact = excluded.contact, ended_on = excluded.ended_on, "
        "updated_at = excluded.updated_at",
    [S_PUT_PLEDGE] =
        "INSERT INTO pledge (id, custodian, from_key, from_offset_m, "
        "from_m, to_key, to_offset_m, to_m, signed_on, ended_on, station, "
        "doc_no, note, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, "
        "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14) ON CONFLICT (id) DO "
        "UPDATE SET custodian = excluded.custodian, from_key = "
        "excluded.from_key, from_offset_m = excluded.from_offset_m, "
        "from_m = excluded.from_m, to_key = excluded.to_key, "
        "to_offset_m = excluded.to_offset_m, to_m = excluded.to_m, "
        "signed_on = excluded.signed_on, ended_on = excluded.ended_on, "
        "station = excluded.station, doc_no = excluded.doc_no, "
        "note = excluded.note, updated_at = excluded.updated_at",
    [S_UNIQ_STATION] = "SELECT 1 FROM station WHERE code = ?1 AND id <> ?2",
    [S_UNIQ_COMMUNE] = "SELECT 1 FROM commune WHERE code = ?1 AND id <> ?2",
    [S_UNIQ_MARKER] = "SELECT number FROM marker WHERE key = ?1 AND "
                      "id <> ?2 AND ended_on IS NULL",
    [S_MARKER_MEASURE] = "SELECT measure_m FROM marker WHERE key = ?1 AND "
                         "ended_on IS NULL",
    [S_PLEDGE_SIGNED] = "SELECT signed_on FROM pledge WHERE id = ?1",
    [S_SET_MARKER] = "UPDATE marker SET measure_m = ?2, offset_m = ?3, "
                     "updated_at = ?4 WHERE id = ?1",
    [S_SET_COMMUNE] = "UPDATE commune SET from_m = ?2, to_m = ?3, "
                      "updated_at = ?4 WHERE id = ?1",
    [S_SET_PLEDGE] = "UPDATE pledge SET from_m = ?2, to_m = ?3, "
                     "updated_at = ?4 WHERE id = ?1",
    [S_SEARCH] = SEL_CUSTODIAN
    " WHERE c.name_fold LIKE ?1 ESCAPE '\\' OR c.phone LIKE ?1 ESCAPE '\\'"
    " OR c.citizen_id LIKE ?1 ESCAPE '\\' ORDER BY c.name_fold, c.name, "
    "c.rid LIMIT ?2",
    /* The coverage load reads narrow covering indices (migration 4) in
     * index order and maps rowids to dense indices through arrays sized by
     * the largest rowid: no text, no joins, no searching. */
    [S_COV_MAX] = "SELECT (SELECT max(rid) FROM station), (SELECT max(rid) "
                  "FROM commune), (SELECT max(rid) FROM village), (SELECT "
                  "max(rid) FROM custodian), (SELECT max(rid) FROM pledge)",
    [S_COV_STATION] = "SELECT s.rid FROM station s" ORDER_STATION,
    [S_COV_COMMUNE] =
        "SELECT c.rid, c.from_m, c.to_m, c.station FROM commune c"
        ORDER_COMMUNE,
    [S_COV_VILLAGE] = "SELECT rid, commune FROM village",
    /* Rows go straight into the arrays through aggregate functions
     * (cov_custodian_step, cov_pledge_step): one step per query, not one
     * per row. */
    [S_COV_CUSTODIAN] = "SELECT bp__cov_custodian(rid, kind = 'collective', "
                        "commune, village) FROM custodian INDEXED BY "
                        "custodian_cov",
    [S_COV_PLEDGE] = "SELECT bp__cov_pledge(custodian, signed_on, ended_on, "
                     "from_m, to_m) FROM pledge INDEXED BY pledge_cov",
    [S_COV_MARKER] = "SELECT measure_m FROM marker WHERE ended_on IS NULL "
                     "ORDER BY measure_m",
    /* New records of a batch (fresh ids): plain inserts. */
    [S_INS_CUSTODIAN] =
        "INSERT INTO custodian (id, kind, name, name_fold, "
        "collective_kind, members, village, commune, phone, citizen_id, "
        "contact, ended_on, created_at, updated_at) VALUES (?1, ?2, ?3, "
        "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
    [S_INS_PLEDGE] =
        "INSERT INTO pledge (id, custodian, from_key, from_offset_m, "
        "from_m, to_key, to_offset_m, to_m, signed_on, ended_on, station, "
        "doc_no, note, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, "
        "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
};

_Static_assert(S_COUNT <= BP__SQLITE_NSTMT, "raise BP__SQLITE_NSTMT");

/* The cached statement `id`, reset and unbound; NULL on failure (err set). */
static sqlite3_stmt *stmt(struct sqlite_store *s, enum stmt id,
                          struct bp_error *err)
{
    sqlite3_stmt *q = s->stmts[id];

    /* Every parameter is bound on each use, so no clear_bindings. */
    if (q) {
        sqlite3_reset(q);
        return q;
    }
    if (sqlite3_prepare_v3(s->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT, &q,
                           NULL) != SQLITE_OK) {
        bp__sqlite_error(s, err, "preparing a statement");
        sqlite3_finalize(q);
        return NULL;
    }
    s->stmts[id] = q;
    return q;
}

/* Release a cached statement's read locks after use. */
static void done(sqlite3_stmt *q)
{
    if (q)
        sqlite3_reset(q);
}

void bp__sqlite_stmts_finalize(struct sqlite_store *s)
{
    size_t i;

    for (i = 0; i < BP__SQLITE_NSTMT; i++) {
        sqlite3_finalize(s->stmts[i]);
        s->stmts[i] = NULL;
    }
    bp__sqlite_list_finalize(s);
}

unsigned long long bp__sqlite_border_generation(struct bp_store *base)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *q;

    /* data_version moves on commits by other connections; border_saves
     * on our own saves and rollbacks. Inside our transaction no one else
     * can write (BEGIN IMMEDIATE), so the last version read still holds. */
    if (!s->in_tx || !s->data_version) {
        q = stmt(s, S_DATA_VERSION, NULL);
        if (q && sqlite3_step(q) == SQLITE_ROW)
            s->data_version =
                (unsigned long long)sqlite3_column_int64(q, 0) + 1;
        done(q);
    }
    return (s->data_version << 32) ^ s->border_saves;
}

/* ---- binding and reading ---- */

static void bind_text(sqlite3_stmt *q, int i, const char *t)
{
    if (t && *t)
        sqlite3_bind_text(q, i, t, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, i);
}

static void bind_date(sqlite3_stmt *q, int i, int32_t d)
{
    if (d == BP_DATE_NONE)
        sqlite3_bind_null(q, i);
    else
        sqlite3_bind_int(q, i, d);
}

static void bind_rid(sqlite3_stmt *q, int i, sqlite3_int64 rid)
{
    if (rid > 0)
        sqlite3_bind_int64(q, i, rid);
    else
        sqlite3_bind_null(q, i);
}

static int32_t col_date(sqlite3_stmt *q, int i)
{
    return sqlite3_column_type(q, i) == SQLITE_NULL
               ? BP_DATE_NONE
               : (int32_t)sqlite3_column_int(q, i);
}

/* Copy text column `i` into `*out` (NULL when NULL). 0 or BP_ENOMEM. */
static int col_str(sqlite3_stmt *q, int i, char **out)
{
    const char *t = (const char *)sqlite3_column_text(q, i);

    *out = NULL;
    if (!t)
        return sqlite3_column_type(q, i) == SQLITE_NULL ? 0 : BP_ENOMEM;
    *out = bp_strdup(t);
    return *out ? 0 : BP_ENOMEM;
}

/* Copy text column `i` into fixed storage ("" when NULL). */
static void col_fixed(sqlite3_stmt *q, int i, char *out, size_t size)
{
    const char *t = (const char *)sqlite3_column_text(q, i);
    size_t n = t ? strlen(t) : 0;

    if (n >= size)
        n = size - 1;
    if (n)
        memcpy(out, t, n);
    out[n] = '\0';
}

static void col_anchor(sqlite3_stmt *q, int i, struct bp_anchor *a)
{
    col_fixed(q, i, a->marker_key, sizeof(a->marker_key));
    a->offset_m = sqlite3_column_double(q, i + 1);
    a->measure_m = sqlite3_column_double(q, i + 2);
}

static int read_station(sqlite3_stmt *q, void *rec)
{
    struct bp_station *r = rec;
    int rc;

    memset(r, 0, sizeof(*r));
    col_fixed(q, 0, r->id, sizeof(r->id));
    rc = col_str(q, 1, &r->code);
    if (!rc)
        rc = col_str(q, 2, &r->name);
    r->ended_on = col_date(q, 3);
    if (rc)
        bp_station_release(r);
    return rc;
}

static int read_commune(sqlite3_stmt *q, void *rec)
{
    struct bp_commune *r = rec;
    int rc;

    memset(r, 0, sizeof(*r));
    col_fixed(q, 0, r->id, sizeof(r->id));
    rc = col_str(q, 1, &r->code);
    if (!rc)
        rc = col_str(q, 2, &r->name);
    if (!rc)
        rc = col_str(q, 3, &r->district);
    col_fixed(q, 4, r->station_id, sizeof(r->station_id));
    col_anchor(q, 5, &r->from);
    col_anchor(q, 8, &r->to);
    r->ended_on = col_date(q, 11);
    if (rc)
        bp_commune_release(r);
    return rc;
}

static int read_village(sqlite3_stmt *q, void *rec)
{
    struct bp_village *r = rec;
    int rc;

    memset(r, 0, sizeof(*r));
    col_fixed(q, 0, r->id, sizeof(r->id));
    rc = col_str(q, 1, &r->name);
    col_fixed(q, 2, r->commune_id, sizeof(r->commune_id));
    r->ended_on = col_date(q, 3);
    return rc;
}

static int read_marker(sqlite3_stmt *q, void *rec)
{
    struct bp_marker *r = rec;
    enum bp_marker_kind kind = BP_MARKER_MAIN;
    int rc;

    memset(r, 0, sizeof(*r));
    col_fixed(q, 0, r->id, sizeof(r->id));
    rc = col_str(q, 1, &r->number);
    col_fixed(q, 2, r->key, sizeof(r->key));
    bp_marker_kind_parse((const char *)sqlite3_column_text(q, 3), &kind);
    r->kind = kind;
    r->lon = sqlite3_column_double(q, 4);
    r->lat = sqlite3_column_double(q, 5);
    r->measure_m = sqlite3_column_double(q, 6);
    r->offset_m = sqlite3_column_double(q, 7);
    r->official_m = sqlite3_column_type(q, 8) == SQLITE_NULL
                        ? NAN
                        : sqlite3_column_double(q, 8);
    r->ended_on = col_date(q, 9);
    return rc;
}

static int read_custodian(sqlite3_stmt *q, void *rec)
{
    struct bp_custodian *r = rec;
    enum bp_collective_kind ck = BP_COLL_OTHER;
    const char *kind = (const char *)sqlite3_column_text(q, 1);
    int rc;

    memset(r, 0, sizeof(*r));
    col_fixed(q, 0, r->id, sizeof(r->id));
    r->kind = kind && !strcmp(kind, "collective") ? BP_COLLECTIVE
                                                  : BP_HOUSEHOLD;
    rc = col_str(q, 2, &r->name);
    if (sqlite3_column_type(q, 3) != SQLITE_NULL)
        bp_collective_kind_parse((const char *)sqlite3_column_text(q, 3),
                                 &ck);
    r->collective_kind = ck;
    r->members = sqlite3_column_int(q, 4);
    col_fixed(q, 5, r->village_id, sizeof(r->village_id));
    col_fixed(q, 6, r->commune_id, sizeof(r->commune_id));
    if (!rc)
        rc = col_str(q, 7, &r->phone);
    if (!rc)
        rc = col_str(q, 8, &r->citizen_id);
    if (!rc)
        rc = col_str(q, 9, &r->contact);
    r->ended_on = col_date(q, 10);
    if (rc)
        bp_custodian_release(r);
    return rc;
}

static int read_pledge(sqlite3_stmt *q, void *rec)
{
    struct bp_pledge *r = rec;
    int rc;

    memset(r, 0, sizeof(*r));
    col_fixed(q, 0, r->id, sizeof(r->id));
    col_fixed(q, 1, r->custodian_id, sizeof(r->custodian_id));
    col_anchor(q, 2, &r->from);
    col_anchor(q, 5, &r->to);
    r->signed_on = col_date(q, 8);
    r->ended_on = col_date(q, 9);
    col_fixed(q, 10, r->station_id, sizeof(r->station_id));
    rc = col_str(q, 11, &r->doc_no);
    if (!rc)
        rc = col_str(q, 12, &r->note);
    if (rc)
        bp_pledge_release(r);
    return rc;
}

struct kind_info {
    const char *table; /* for messages: "station" */
    size_t size;
    int (*read)(sqlite3_stmt *q, void *rec);
    void (*release)(void *rec);
};

static void rel_station(void *r) { bp_station_release(r); }
static void rel_commune(void *r) { bp_commune_release(r); }
static void rel_village(void *r) { bp_village_release(r); }
static void rel_marker(void *r) { bp_marker_release(r); }
static void rel_custodian(void *r) { bp_custodian_release(r); }
static void rel_pledge(void *r) { bp_pledge_release(r); }

static const struct kind_info kinds[BP__NKINDS] = {
    {"station", sizeof(struct bp_station), read_station, rel_station},
    {"commune", sizeof(struct bp_commune), read_commune, rel_commune},
    {"village", sizeof(struct bp_village), read_village, rel_village},
    {"marker", sizeof(struct bp_marker), read_marker, rel_marker},
    {"custodian", sizeof(struct bp_custodian), read_custodian,
     rel_custodian},
    {"pledge", sizeof(struct bp_pledge), read_pledge, rel_pledge},
};

void bp__store_list_free(enum bp__rec_kind k, void *v, size_t n)
{
    size_t i;

    if (!v)
        return;
    for (i = 0; i < n; i++)
        kinds[k].release((char *)v + i * kinds[k].size);
    bp_free(v);
}

/* ---- lookups ---- */

/*
 * The rowid of the record of kind `k` with UUID `id` into `*rid`: 0,
 * BP_ENOTFOUND (message names `field`), BP_ESTORE.
 */
static int rid_of(struct sqlite_store *s, enum bp__rec_kind k,
                  const char *id, const char *field, sqlite3_int64 *rid,
                  struct bp_error *err)
{
    sqlite3_stmt *q = stmt(s, (enum stmt)(S_RID_STATION + k), err);
    int rc = 0, step;

    if (!q)
        return BP_ESTORE;
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    step = sqlite3_step(q);
    if (step == SQLITE_ROW)
        *rid = sqlite3_column_int64(q, 0);
    else if (step == SQLITE_DONE)
        rc = bp_error_set_at(err, BP_ENOTFOUND, NULL, 0, field,
                             "no %s with id '%s'", kinds[k].table, id);
    else
        rc = bp__sqlite_error(s, err, "looking up a reference");
    done(q);
    return rc;
}

/* An optional reference: "" gives rid 0 (NULL). */
static int ref_of(struct sqlite_store *s, enum bp__rec_kind k,
                  const char *id, const char *field, sqlite3_int64 *rid,
                  struct bp_error *err)
{
    *rid = 0;
    if (!id[0])
        return 0;
    return rid_of(s, k, id, field, rid, err);
}

/* BP_EEXIST when another record has the same code/key. */
static int check_unique(struct sqlite_store *s, enum stmt id,
                        const char *table, const char *field,
                        const char *value, const char *self,
                        struct bp_error *err)
{
    sqlite3_stmt *q = stmt(s, id, err);
    int rc = 0, step;

    if (!q)
        return BP_ESTORE;
    sqlite3_bind_text(q, 1, value, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, self, -1, SQLITE_STATIC);
    step = sqlite3_step(q);
    if (step == SQLITE_ROW)
        rc = bp_error_set_at(err, BP_EEXIST, NULL, 0, field,
                             "another %s already has %s '%s'", table, field,
                             value);
    else if (step != SQLITE_DONE)
        rc = bp__sqlite_error(s, err, "checking uniqueness");
    done(q);
    return rc;
}

/*
 * Resolve an anchor at a marker: measure = marker's measure + offset.
 * Anchors by km are left as they are.
 */
static int resolve_anchor(struct sqlite_store *s, struct bp_anchor *a,
                          const char *field, struct bp_error *err)
{
    sqlite3_stmt *q;
    int rc = 0, step;

    if (!a->marker_key[0])
        return 0;
    q = stmt(s, S_MARKER_MEASURE, err);
    if (!q)
        return BP_ESTORE;
    sqlite3_bind_text(q, 1, a->marker_key, -1, SQLITE_STATIC);
    step = sqlite3_step(q);
    if (step == SQLITE_ROW)
        a->measure_m = sqlite3_column_double(q, 0) + a->offset_m;
    else if (step == SQLITE_DONE)
        rc = bp_error_set_at(err, BP_ENOTFOUND, NULL, 0, field,
                             "no marker '%s' (mốc %s) standing: import the "
                             "markers first",
                             a->marker_key, a->marker_key);
    else
        rc = bp__sqlite_error(s, err, "looking up a marker");
    done(q);
    return rc;
}

/* A stretch from..to that must lie in [0, length_m] (when known). */
static int check_stretch(const struct bp_anchor *from,
                         const struct bp_anchor *to, double length_m,
                         int allow_empty, struct bp_error *err)
{
    /* Anchors resolved through markers may land a hair outside the line
     * by rounding; a millimetre is well below any surveyed precision. */
    const double tol = 1e-3;

    if (!isfinite(from->measure_m) || !isfinite(to->measure_m))
        return bp_error_set_at(err, BP_ERANGE, NULL, 0, "from",
                               "the stretch's measures are not finite");
    if (allow_empty ? to->measure_m < from->measure_m
                    : to->measure_m <= from->measure_m)
        return bp_error_set_at(err, BP_ERANGE, NULL, 0, "to",
                               "the stretch %.3f..%.3f m is empty: 'to' "
                               "must be after 'from'",
                               from->measure_m, to->measure_m);
    if (length_m >= 0 &&
        (from->measure_m < -tol || to->measure_m > length_m + tol))
        return bp_error_set_at(err, BP_ERANGE, NULL, 0,
                               from->measure_m < -tol ? "from" : "to",
                               "the stretch %.3f..%.3f m leaves the border "
                               "line, which runs 0..%.3f m",
                               from->measure_m, to->measure_m, length_m);
    return 0;
}

static int step_done(struct sqlite_store *s, sqlite3_stmt *q,
                     const char *what, struct bp_error *err)
{
    int rc = sqlite3_step(q) == SQLITE_DONE ? 0
                                            : bp__sqlite_error(s, err, what);
    done(q);
    return rc;
}

/* ---- put ---- */

static int put_station(struct sqlite_store *s, struct bp_station *r,
                       sqlite3_int64 now, struct bp_error *err)
{
    sqlite3_stmt *q;
    int rc;

    rc = check_unique(s, S_UNIQ_STATION, "station", "code", r->code, r->id,
                      err);
    if (rc)
        return rc;
    q = stmt(s, S_PUT_STATION, err);
    if (!q)
        return BP_ESTORE;
    sqlite3_bind_text(q, 1, r->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, r->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, r->name, -1, SQLITE_STATIC);
    bind_date(q, 4, r->ended_on);
    sqlite3_bind_int64(q, 5, now);
    return step_done(s, q, "saving a station", err);
}

static void bind_anchor(sqlite3_stmt *q, int i, const struct bp_anchor *a)
{
    bind_text(q, i, a->marker_key);
    sqlite3_bind_double(q, i + 1, a->marker_key[0] ? a->offset_m : 0);
    sqlite3_bind_double(q, i + 2, a->measure_m);
}

static int put_commune(struct sqlite_store *s, struct bp_commune *r,
                       double length_m, sqlite3_int64 now,
                       struct bp_error *err)
{
    sqlite3_int64 station;
    sqlite3_stmt *q;
    int rc;

    rc = check_unique(s, S_UNIQ_COMMUNE, "commune", "code", r->code, r->id,
                      err);
    if (!rc)
        rc = ref_of(s, BP__STATION, r->station_id, "station_id", &station,
                    err);
    if (!rc)
        rc = resolve_anchor(s, &r->from, "from", err);
    if (!rc)
        rc = resolve_anchor(s, &r->to, "to", err);
    if (!rc)
        rc = check_stretch(&r->from, &r->to, length_m, 1, err);
    if (rc)
        return rc;
    q = stmt(s, S_PUT_COMMUNE, err);
    if (!q)
        return BP_ESTORE;
    sqlite3_bind_text(q, 1, r->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, r->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, r->name, -1, SQLITE_STATIC);
    bind_text(q, 4, r->district);
    bind_rid(q, 5, station);
    bind_anchor(q, 6, &r->from);
    bind_anchor(q, 9, &r->to);
    bind_date(q, 12, r->ended_on);
    sqlite3_bind_int64(q, 13, now);
    return step_done(s, q, "saving a commune", err);
}

static int put_village(struct sqlite_store *s, struct bp_village *r,
                       sqlite3_int64 now, struct bp_error *err)
{
    sqlite3_int64 commune;
    sqlite3_stmt *q;
    int rc;

    rc = rid_of(s, BP__COMMUNE, r->commune_id, "commune_id", &commune, err);
    if (rc)
        return rc;
    q = stmt(s, S_PUT_VILLAGE, err);
    if (!q)
        return BP_ESTORE;
    sqlite3_bind_text(q, 1, r->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, commune);
    bind_date(q, 4, r->ended_on);
    sqlite3_bind_int64(q, 5, now);
    return step_done(s, q, "saving a village", err);
}

static int put_marker(struct sqlite_store *s, struct bp_marker *r,
                      sqlite3_int64 now, struct bp_error *err)
{
    sqlite3_stmt *q;
    int rc = 0, step;

    if (r->ended_on == BP_DATE_NONE) {
        q = stmt(s, S_UNIQ_MARKER, err);
        if (!q)
            return BP_ESTORE;
        sqlite3_bind_text(q, 1, r->key, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, r->id, -1, SQLITE_STATIC);
        step = sqlite3_step(q);
        if (step == SQLITE_ROW)
            rc = bp_error_set_at(err, BP_EEXIST, NULL, 0, "number",
                                 "marker '%s' is already registered as "
                                 "'%s' (mốc đã có)",
                                 r->number, sqlite3_column_text(q, 0));
        else if (step != SQLITE_DONE)
            rc = bp__sqlite_error(s, err, "checking uniqueness");
        done(q);
        if (rc)
            return rc;
    }
    q = stmt(s, S_PUT_MARKER, err);
    if (!q)
        return BP_ESTORE;
    sqlite3_bind_text(q, 1, r->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, r->number, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, r->key, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, bp_marker_kind_name(r->kind), -1, SQLITE_STATIC);
    sqlite3_bind_double(q, 5, r->lon);
    sqlite3_bind_double(q, 6, r->lat);
    sqlite3_bind_double(q, 7, r->measure_m);
    sqlite3_bind_double(q, 8, r->offset_m);
    if (isfinite(r->official_m))
        sqlite3_bind_double(q, 9, r->official_m);
    else
        sqlite3_bind_null(q, 9);
    bind_date(q, 10, r->ended_on);
    sqlite3_bind_int64(q, 11, now);
    return step_done(s, q, "saving a marker", err);
}

/*
 * What a batch of puts (bp__sqlite_put_many) remembers between records:
 * the rowids of the references and the measures of the marker keys it has
 * looked up, so a batch asks the database once per distinct one.
 */
struct memo_ent {
    char key[40]; /* a UUID or a marker key; "" when free */
    sqlite3_int64 rid;
    double measure_m;
};

struct memo {
    struct memo_ent *e;
    size_t cap, n; /* cap a power of two, or 0 */
};

struct batch {
    struct memo refs[BP__NKINDS];
    struct memo markers;
    int oom;
};

static size_t memo_hash(const char *k)
{
    size_t h = 2166136261u;

    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 16777619u;
    return h;
}

static struct memo_ent *memo_find(const struct memo *m, const char *k)
{
    size_t i;

    if (!m->cap)
        return NULL;
    for (i = memo_hash(k) & (m->cap - 1); m->e[i].key[0];
         i = (i + 1) & (m->cap - 1))
        if (!strcmp(m->e[i].key, k))
            return &m->e[i];
    return NULL;
}

/* Remember `k`; a full memory is not an error, only slower. */
static void memo_put(struct batch *b, struct memo *m, const char *k,
                     sqlite3_int64 rid, double measure_m)
{
    size_t i, len = strlen(k);

    if (b->oom || len >= sizeof(m->e[0].key))
        return;
    if (2 * (m->n + 1) > m->cap) {
        size_t nc = m->cap ? 2 * m->cap : 64, j;
        struct memo_ent *ne = bp_calloc(nc, sizeof(*ne));
        if (!ne) {
            b->oom = 1;
            return;
        }
        for (j = 0; j < m->cap; j++) {
            if (!m->e[j].key[0])
                continue;
            for (i = memo_hash(m->e[j].key) & (nc - 1); ne[i].key[0];
                 i = (i + 1) & (nc - 1))
                ;
            ne[i] = m->e[j];
        }
        bp_free(m->e);
        m->e = ne;
        m->cap = nc;
    }
    for (i = memo_hash(k) & (m->cap - 1); m->e[i].key[0];
         i = (i + 1) & (m->cap - 1))
        ;
    memcpy(m->e[i].key, k, len + 1);
    m->e[i].rid = rid;
    m->e[i].measure_m = measure_m;
    m->n++;
}

static void batch_release(struct batch *b)
{
    size_t i;

    for (i = 0; i < BP__NKINDS; i++)
        bp_free(b->refs[i].e);
    bp_free(b->markers.e);
}

void bp__sqlite_made_clear(struct sqlite_store *s)
{
    if (s->made) {
        batch_release(s->made);
        bp_free(s->made);
        s->made = NULL;
    }
}

/* ref_of, remembered in the batch `b` (may be NULL). */
static int ref_memo(struct sqlite_store *s, struct batch *b,
                    enum bp__rec_kind k, const char *id, const char *field,
                    int required, sqlite3_int64 *rid, struct bp_error *err)
{
    const struct memo_ent *e;
    int rc;

    if (!required && !id[0]) {
        *rid = 0;
        return 0;
    }
    /* Custodians are not remembered by the batch (a batch of pledges
     * mostly names each one once), but those just inserted are. */
    if (k == BP__CUSTODIAN) {
        b = NULL;
        if (s->made && (e = memo_find(&s->made->refs[k], id))) {
            *rid = e->rid;
            return 0;
        }
    }
    if (b && (e = memo_find(&b->refs[k], id))) {
        *rid = e->rid;
        return 0;
    }
    rc = rid_of(s, k, id, field, rid, err);
    if (!rc && b)
        memo_put(b, &b->refs[k], id, *rid, 0);
    return rc;
}

/* resolve_anchor, remembered in the batch `b` (may be NULL). */
static int anchor_memo(struct sqlite_store *s, struct batch *b,
                       struct bp_anchor *a, const char *field,
                       struct bp_error *err)
{
    const struct memo_ent *e;
    double offset_m = a->offset_m;
    int rc;

    if (!a->marker_key[0])
        return 0;
    if (b && (e = memo_find(&b->markers, a->marker_key))) {
        a->measure_m = e->measure_m + offset_m;
        return 0;
    }
    rc = resolve_anchor(s, a, field, err);
    if (!rc && b)
        memo_put(b, &b->markers, a->marker_key, 0, a->measure_m - offset_m);
    return rc;
}

/* `fresh`: the id was just made, so no record has it: a plain insert. */
static int put_custodian(struct sqlite_store *s, struct bp_custodian *r,
                         sqlite3_int64 now, struct batch *b, int fresh,
                         struct bp_error *err)
{
    sqlite3_int64 village, commune;
    sqlite3_stmt *q;
    char small[256], *fold = small;
    size_t len = strlen(r->name);
    int rc;

    rc = ref_memo(s, b, BP__VILLAGE, r->village_id, "village_id", 0,
                  &village, err);
    if (!rc)
        rc = ref_memo(s, b, BP__COMMUNE, r->commune_id, "commune_id", 0,
                      &commune, err);
    if (rc)
        return rc;
    if (len >= sizeof(small)) {
        fold = bp_malloc(len + 1);
        if (!fold)
            return bp_error_set(err, BP_ENOMEM, "out of memory");
    }
    bp_text_fold_to(r->name, fold);
    q = stmt(s, fresh ? S_INS_CUSTODIAN : S_PUT_CUSTODIAN, err);
    if (!q) {
        rc = BP_ESTORE;
        goto out;
    }
    sqlite3_bind_text(q, 1, r->id, BP_UUID_LEN, SQLITE_STATIC);
    sqlite3_bind_text(q, 2,
                      r->kind == BP_COLLECTIVE ? "collective" : "household",
                      -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, r->name, (int)len, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, fold, -1, SQLITE_STATIC);
    if (r->kind == BP_COLLECTIVE)
        sqlite3_bind_text(q, 5, bp_collective_kind_name(r->collective_kind),
                          -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, 5);
    sqlite3_bind_int(q, 6, r->members);
    bind_rid(q, 7, village);
    bind_rid(q, 8, commune);
    bind_text(q, 9, r->phone);
    bind_text(q, 10, r->citizen_id);
    bind_text(q, 11, r->contact);
    bind_date(q, 12, r->ended_on);
    sqlite3_bind_int64(q, 13, now);
    rc = step_done(s, q, "saving a custodian", err);
    if (!rc && fresh && s->made && b == s->made)
        memo_put(s->made, &s->made->refs[BP__CUSTODIAN], r->id,
                 sqlite3_last_insert_rowid(s->db), 0);
out:
    if (fold != small)
        bp_free(fold);
    return rc;
}

static int put_pledge(struct sqlite_store *s, struct bp_pledge *r,
                      double length_m, sqlite3_int64 now, struct batch *b,
                      int fresh, struct bp_error *err)
{
    sqlite3_int64 custodian, station;
    sqlite3_stmt *q;
    int rc;

    rc = ref_memo(s, b, BP__CUSTODIAN, r->custodian_id, "custodian_id", 1,
                  &custodian, err);
    if (!rc)
        rc = ref_memo(s, b, BP__STATION, r->station_id, "station_id", 0,
                      &station, err);
    if (!rc)
        rc = anchor_memo(s, b, &r->from, "from", err);
    if (!rc)
        rc = anchor_memo(s, b, &r->to, "to", err);
    if (!rc)
        rc = check_stretch(&r->from, &r->to, length_m, 0, err);
    if (rc)
        return rc;
    q = stmt(s, fresh ? S_INS_PLEDGE : S_PUT_PLEDGE, err);
    if (!q)
        return BP_ESTORE;
    sqlite3_bind_text(q, 1, r->id, BP_UUID_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, custodian);
    bind_anchor(q, 3, &r->from);
    bind_anchor(q, 6, &r->to);
    bind_date(q, 9, r->signed_on);
    bind_date(q, 10, r->ended_on);
    bind_rid(q, 11, station);
    bind_text(q, 12, r->doc_no);
    bind_text(q, 13, r->note);
    sqlite3_bind_int64(q, 14, now);
    return step_done(s, q, "saving a pledge", err);
}

int bp__sqlite_put(struct bp_store *base, enum bp__rec_kind k, void *rec,
                   double length_m, struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_int64 now = (sqlite3_int64)time(NULL);
    int mine, rc;

    rc = bp__sqlite_auto_begin(s, &mine, err);
    if (rc)
        return rc;
    switch (k) {
    case BP__STATION:
        rc = put_station(s, rec, now, err);
        break;
    case BP__COMMUNE:
        rc = put_commune(s, rec, length_m, now, err);
        break;
    case BP__VILLAGE:
        rc = put_village(s, rec, now, err);
        break;
    case BP__MARKER:
        rc = put_marker(s, rec, now, err);
        break;
    case BP__CUSTODIAN:
        rc = put_custodian(s, rec, now, NULL, 0, err);
        break;
    case BP__PLEDGE:
        rc = put_pledge(s, rec, length_m, now, NULL, 0, err);
        break;
    default:
        rc = bp_error_set(err, BP_EINVAL, "unknown record kind %d", (int)k);
        break;
    }
    return bp__sqlite_auto_end(s, mine, rc, err);
}

static int exec_simple(struct sqlite_store *s, const char *text,
                       struct bp_error *err)
{
    if (sqlite3_exec(s->db, text, NULL, NULL, NULL) != SQLITE_OK)
        return bp__sqlite_error(s, err, text);
    return 0;
}

/*
 * A bulk load: with `n` rows coming and at most 4n already in custodian
 * and pledge, their secondary (non-unique) indexes are dropped now and
 * created again just before COMMIT (bp__sqlite_bulk_restore) — all but
 * custodian_cov and pledge_cov, which lead with ever-growing row ids and
 * so only ever append. Keeping
 * them up row by row costs each row a search at a random place in every
 * index (measured: 100,000 imported rows at half the rate with the
 * list-page indexes kept), while CREATE INDEX sorts once. DDL is
 * transactional in SQLite: a rollback brings them back untouched. The
 * batch puts never read through these indexes (only rowids and the
 * unique ids), and other connections see nothing until the commit.
 */
int bp__sqlite_bulk_set_aside(struct sqlite_store *s, size_t n,
                              struct bp_error *err)
{
    sqlite3_stmt *st = NULL;
    struct bp_buf make = BP_BUF_INIT, drop = BP_BUF_INIT;
    sqlite3_int64 have = 0;
    int rc = 0, step;

    if (!s->in_tx)
        return bp_error_set(err, BP_ESTORE, "no transaction is open");
    if (s->bulk_sql)
        return 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT (SELECT count(*) FROM custodian) + "
                           "(SELECT count(*) FROM pledge)",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        rc = bp__sqlite_error(s, err, "counting custodians and pledges");
        goto out;
    }
    have = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if ((sqlite3_int64)n * 4 < have)
        goto out;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT name, sql FROM sqlite_schema "
                           "WHERE type = 'index' AND sql IS NOT NULL AND "
                           "tbl_name IN ('custodian', 'pledge') AND "
                           "sql NOT LIKE 'CREATE UNIQUE%' AND "
                           "name NOT IN ('custodian_cov', 'pledge_cov') "
                           "ORDER BY name",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = bp__sqlite_error(s, err, "reading the indexes");
        goto out;
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *text = (const char *)sqlite3_column_text(st, 1);
        if (!name || !text ||
            bp_buf_addf(&drop, "DROP INDEX \"%s\";", name) ||
            bp_buf_addf(&make, "%s;", text)) {
            rc = bp_error_set(err, BP_ENOMEM, "out of memory");
            goto out;
        }
    }
    if (step != SQLITE_DONE) {
        rc = bp__sqlite_error(s, err, "reading the indexes");
        goto out;
    }
    if (!drop.len)
        goto out;
    if ((rc = exec_simple(s, drop.data, err)))
        goto out;
    s->bulk_sql = bp_buf_take(&make, NULL);
    if (!s->bulk_sql)
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
out:
    sqlite3_finalize(st);
    bp_buf_release(&make);
    bp_buf_release(&drop);
    return rc;
}

int bp__sqlite_bulk_restore(struct sqlite_store *s, struct bp_error *err)
{
    int rc = 0;

    if (s->bulk_sql)
        rc = exec_simple(s, s->bulk_sql, err);
    bp_free(s->bulk_sql);
    s->bulk_sql = NULL;
    return rc;
}

int bp__sqlite_put_many(struct bp_store *base, enum bp__rec_kind k, void *v,
                        size_t n, const unsigned char *fresh,
                        double length_m, struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_int64 now = (sqlite3_int64)time(NULL);
    struct batch b, *memo;
    size_t i;
    int mine, rc;

    if (k != BP__CUSTODIAN && k != BP__PLEDGE)
        return bp_error_set(err, BP_EINVAL, "no batch put for a %s",
                            kinds[k].table);
    memset(&b, 0, sizeof(b));
    s->batch_put = 1;
    rc = bp__sqlite_auto_begin(s, &mine, err);
    s->batch_put = 0;
    if (rc)
        return rc;
    /* A savepoint makes the batch all or nothing inside the caller's
     * transaction too. */
    rc = exec_simple(s, "SAVEPOINT bp_put_many", err);
    if (rc)
        goto out;
    /*
     * In a bulk transaction nothing but batch puts writes, so what one
     * batch looked up (villages, communes, stations, marker measures)
     * holds for the next: the transaction keeps one memory, s->made. It
     * also remembers the custodians a batch inserts, as their pledges
     * come next; only the last batch's, so it stays small. Without it
     * (out of memory), only slower.
     */
    if (s->bulk && !s->made)
        s->made = bp_calloc(1, sizeof(*s->made));
    if (s->made && k == BP__CUSTODIAN && s->made->refs[k].n) {
        memset(s->made->refs[k].e, 0,
               s->made->refs[k].cap * sizeof(s->made->refs[k].e[0]));
        s->made->refs[k].n = 0;
    }
    memo = s->made ? s->made : &b;
    /*
     * The tables' CHECK constraints are what put_custodian and put_pledge
     * have already made sure of (check_custodian, check_pledge and
     * check_stretch), and custodian's "collective_kind IN (...)" of seven
     * values has SQLite build a temporary table on every insert: a third
     * of a custodian's cost. So the batch's statements are compiled
     * without them (the pragma expires the prepared statements, so they
     * are compiled again, with them, once it is off).
     */
    rc = exec_simple(s, "PRAGMA ignore_check_constraints = ON", err);
    for (i = 0; i < n && !rc; i++) {
        if (k == BP__CUSTODIAN)
            rc = put_custodian(s, (struct bp_custodian *)v + i, now, memo,
                               fresh && fresh[i], err);
        else
            rc = put_pledge(s, (struct bp_pledge *)v + i, length_m, now, memo,
                            fresh && fresh[i], err);
        if (rc && err)
            err->row = (long)i + 1;
    }
    if (exec_simple(s, "PRAGMA ignore_check_constraints = OFF",
                    rc ? NULL : err) &&
        !rc)
        rc = BP_ESTORE;
    if (rc) {
        exec_simple(s, "ROLLBACK TO bp_put_many", NULL);
        bp__sqlite_made_clear(s);
    }
    if (exec_simple(s, "RELEASE bp_put_many", rc ? NULL : err) && !rc)
        rc = BP_ESTORE;
out:
    batch_release(&b);
    return bp__sqlite_auto_end(s, mine, rc, err);
}

/* ---- get, list, end ---- */

int bp__sqlite_get(struct bp_store *base, enum bp__rec_kind k,
                   const char *ref, void *rec, struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    char key[32];
    const char *arg = ref;
    enum stmt id = (enum stmt)(S_GET_STATION + k);
    sqlite3_stmt *q;
    int rc = 0, step;

    if (!bp_uuid_valid(ref)) {
        if (k == BP__STATION)
            id = S_CODE_STATION;
        else if (k == BP__COMMUNE)
            id = S_CODE_COMMUNE;
        else if (k == BP__MARKER && !bp_marker_key(ref, key, sizeof(key))) {
            id = S_KEY_MARKER;
            arg = key;
        } else
            return bp_error_set(err, BP_ENOTFOUND,
                                "no %s '%s': expected an id (UUID)",
                                kinds[k].table, ref);
    }
    q = stmt(s, id, err);
    if (!q)
        return BP_ESTORE;
    sqlite3_bind_text(q, 1, arg, -1, SQLITE_STATIC);
    step = sqlite3_step(q);
    if (step == SQLITE_ROW) {
        if (kinds[k].read(q, rec))
            rc = bp_error_set(err, BP_ENOMEM, "out of memory");
    } else if (step == SQLITE_DONE) {
        rc = bp_error_set(err, BP_ENOTFOUND, "no %s '%s'", kinds[k].table,
                          ref);
    } else {
        rc = bp__sqlite_error(s, err, "reading a record");
    }
    done(q);
    return rc;
}

/* Run a cached query of records of kind `k` into a new array. */
static int read_all(struct sqlite_store *s, enum bp__rec_kind k,
                    sqlite3_stmt *q, void **v, size_t *n,
                    struct bp_error *err)
{
    size_t cap = 0, len = 0, size = kinds[k].size;
    char *arr = NULL;
    int rc = 0, step;

    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        if (len == cap) {
            char *na;
            cap = cap ? 2 * cap : 16;
            na = bp_reallocarray(arr, cap, size);
            if (!na) {
                rc = bp_error_set(err, BP_ENOMEM, "out of memory");
                goto out;
            }
            arr = na;
        }
        if (kinds[k].read(q, arr + len * size)) {
            rc = bp_error_set(err, BP_ENOMEM, "out of memory");
            goto out;
        }
        len++;
    }
    if (step != SQLITE_DONE)
        rc = bp__sqlite_error(s, err, "reading records");
out:
    done(q);
    if (rc) {
        bp__store_list_free(k, arr, len);
        return rc;
    }
    *v = arr;
    *n = len;
    return 0;
}

int bp__sqlite_list(struct bp_store *base, enum bp__rec_kind k, void **v,
                    size_t *n, struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *q = stmt(s, (enum stmt)(S_LIST_STATION + k), err);

    if (!q)
        return BP_ESTORE;
    return read_all(s, k, q, v, n, err);
}

/* For the list pages of store_sqlite_list.c. */
const char *bp__sqlite_record_select(enum bp__rec_kind k)
{
    static const char *const sel[BP__NKINDS] = {
        SEL_STATION, SEL_COMMUNE, SEL_VILLAGE,
        SEL_MARKER,  SEL_CUSTODIAN, SEL_PLEDGE,
    };

    return sel[k];
}

size_t bp__sqlite_record_size(enum bp__rec_kind k)
{
    return kinds[k].size;
}

int bp__sqlite_record_read(enum bp__rec_kind k, sqlite3_stmt *q, void *rec)
{
    return kinds[k].read(q, rec);
}

int bp__sqlite_end(struct bp_store *base, enum bp__rec_kind k,
                   const char *id, int32_t day, struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *q;
    sqlite3_int64 rid;
    int mine, rc;

    rc = bp__sqlite_auto_begin(s, &mine, err);
    if (rc)
        return rc;
    rc = rid_of(s, k, id, "id", &rid, err);
    if (rc)
        goto out;
    if (k == BP__PLEDGE) {
        q = stmt(s, S_PLEDGE_SIGNED, err);
        if (!q) {
            rc = BP_ESTORE;
            goto out;
        }
        sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW &&
            day < sqlite3_column_int(q, 0))
            rc = bp_error_set_at(err, BP_ERANGE, NULL, 0, "ended_on",
                                 "pledge '%s' cannot end before it was "
                                 "signed",
                                 id);
        done(q);
        if (rc)
            goto out;
    }
    q = stmt(s, (enum stmt)(S_END_STATION + k), err);
    if (!q) {
        rc = BP_ESTORE;
        goto out;
    }
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, day);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)time(NULL));
    rc = step_done(s, q, "ending a record", err);
out:
    return bp__sqlite_auto_end(s, mine, rc, err);
}

int bp__sqlite_set_measures(struct bp_store *base, enum bp__rec_kind k,
                            const char *id, double a, double b,
                            struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    enum stmt which;
    sqlite3_stmt *q;
    int mine, rc;

    if (k == BP__MARKER)
        which = S_SET_MARKER;
    else if (k == BP__COMMUNE)
        which = S_SET_COMMUNE;
    else if (k == BP__PLEDGE)
        which = S_SET_PLEDGE;
    else
        return bp_error_set(err, BP_EINVAL, "a %s has no measures",
                            kinds[k].table);
    rc = bp__sqlite_auto_begin(s, &mine, err);
    if (rc)
        return rc;
    q = stmt(s, which, err);
    if (!q) {
        rc = BP_ESTORE;
        goto out;
    }
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_double(q, 2, a);
    sqlite3_bind_double(q, 3, b);
    sqlite3_bind_int64(q, 4, (sqlite3_int64)time(NULL));
    rc = step_done(s, q, "updating measures", err);
out:
    return bp__sqlite_auto_end(s, mine, rc, err);
}

int bp__sqlite_custodian_search(struct bp_store *base, const char *fold,
                                size_t limit, struct bp_custodian **v,
                                size_t *n, struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *q = NULL;
    char *pat = NULL, *p;
    const char *f;
    void *arr = NULL;
    int rc;

    /* '%' fold '%', with LIKE's own characters escaped. */
    pat = bp_malloc(2 * strlen(fold) + 3);
    if (!pat)
        return bp_error_set(err, BP_ENOMEM, "out of memory");
    p = pat;
    *p++ = '%';
    for (f = fold; *f; f++) {
        if (*f == '%' || *f == '_' || *f == '\\')
            *p++ = '\\';
        *p++ = *f;
    }
    *p++ = '%';
    *p = '\0';
    q = stmt(s, S_SEARCH, err);
    if (!q) {
        rc = BP_ESTORE;
        goto out;
    }
    sqlite3_bind_text(q, 1, pat, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, limit > INT64_MAX ? INT64_MAX
                                                 : (sqlite3_int64)limit);
    rc = read_all(s, BP__CUSTODIAN, q, &arr, n, err);
    if (!rc)
        *v = arr;
out:
    bp_free(pat);
    return rc;
}

/* ---- coverage inputs ---- */

/* Dense indices by rowid: index[rid], UINT32_MAX where none. Rowids are
 * given out in order and nothing is deleted, so they are nearly dense. */
struct rid_map {
    uint32_t *index;
    size_t n; /* largest rowid + 1 */
};

static int rid_map_init(struct rid_map *m, sqlite3_int64 max_rid)
{
    m->n = max_rid > 0 ? (size_t)max_rid + 1 : 1;
    if (max_rid > (sqlite3_int64)(UINT32_MAX / 2) ||
        !(m->index = bp_reallocarray(NULL, m->n, sizeof(*m->index))))
        return BP_ENOMEM;
    memset(m->index, 0xff, m->n * sizeof(*m->index));
    return 0;
}

static void rid_map_set(struct rid_map *m, sqlite3_int64 rid, uint32_t i)
{
    if (rid >= 0 && (size_t)rid < m->n)
        m->index[rid] = i;
}

static uint32_t rid_map_get(const struct rid_map *m, sqlite3_stmt *q, int col)
{
    sqlite3_int64 rid;

    if (sqlite3_column_type(q, col) == SQLITE_NULL)
        return UINT32_MAX;
    rid = sqlite3_column_int64(q, col);
    return rid >= 0 && (size_t)rid < m->n ? m->index[rid] : UINT32_MAX;
}

static void rid_map_release(struct rid_map *m)
{
    bp_free(m->index);
    m->index = NULL;
}

/* Grow `*arr` of `size`-byte items to hold one more. */
static int grow(void **arr, size_t *cap, size_t len, size_t size)
{
    void *na;

    if (len < *cap)
        return 0;
    *cap = *cap ? 2 * *cap : 256;
    na = bp_reallocarray(*arr, *cap, size);
    if (!na)
        return BP_ENOMEM;
    *arr = na;
    return 0;
}

/* What the coverage load's SQL functions fill. */
struct cov_fill {
    struct bp_cov_custodian *uv;
    struct bp_cov_pledge *pv;
    size_t nuv, npv, cap_uv, cap_pv;
    const struct rid_map *communes, *villages;
    struct rid_map *custodians;
};

static uint32_t value_index(const struct rid_map *m, sqlite3_value *v)
{
    sqlite3_int64 rid;

    if (sqlite3_value_type(v) == SQLITE_NULL)
        return UINT32_MAX;
    rid = sqlite3_value_int64(v);
    return rid >= 0 && (size_t)rid < m->n ? m->index[rid] : UINT32_MAX;
}

/* bp__cov_custodian(rid, is_collective, commune, village) */
static void cov_custodian_step(sqlite3_context *ctx, int argc,
                               sqlite3_value **v)
{
    struct sqlite_store *s = sqlite3_user_data(ctx);
    struct cov_fill *f = s->cov_fill;
    struct bp_cov_custodian *u;

    (void)argc;
    if (!f || f->nuv >= f->cap_uv)
        return; /* cannot happen: max(rid) bounds the count */
    u = &f->uv[f->nuv];
    u->kind = sqlite3_value_int(v[1]) ? BP_COLLECTIVE : BP_HOUSEHOLD;
    u->commune = sqlite3_value_type(v[2]) != SQLITE_NULL
                     ? value_index(f->communes, v[2])
                     : value_index(f->villages, v[3]);
    rid_map_set(f->custodians, sqlite3_value_int64(v[0]), (uint32_t)f->nuv);
    f->nuv++;
}

/* bp__cov_pledge(custodian, signed_on, ended_on, from_m, to_m) */
static void cov_pledge_step(sqlite3_context *ctx, int argc,
                            sqlite3_value **v)
{
    struct sqlite_store *s = sqlite3_user_data(ctx);
    struct cov_fill *f = s->cov_fill;
    struct bp_cov_pledge *p;

    (void)argc;
    if (!f || f->npv >= f->cap_pv)
        return; /* cannot happen: max(rid) bounds the count */
    p = &f->pv[f->npv++];
    p->custodian = value_index(f->custodians, v[0]);
    p->signed_on = (int32_t)sqlite3_value_int(v[1]);
    p->ended_on = sqlite3_value_type(v[2]) == SQLITE_NULL
                      ? BP_DATE_NONE
                      : (int32_t)sqlite3_value_int(v[2]);
    p->from_m = sqlite3_value_double(v[3]);
    p->to_m = sqlite3_value_double(v[4]);
}

static void cov_final(sqlite3_context *ctx)
{
    sqlite3_result_null(ctx);
}

/* Run one of the filling aggregates to its end. */
static int run_fill(struct sqlite_store *s, enum stmt id, struct bp_error *err)
{
    sqlite3_stmt *q = stmt(s, id, err);
    int step;

    if (!q)
        return BP_ESTORE;
    while ((step = sqlite3_step(q)) == SQLITE_ROW)
        ;
    done(q);
    return step == SQLITE_DONE
               ? 0
               : bp__sqlite_error(s, err, "loading the coverage inputs");
}

int bp__sqlite_cov_load(struct bp_store *base, struct bp_cov_input *in,
                        struct bp_cov_hold *hold, struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    struct rid_map stations = {0}, communes = {0}, villages = {0},
                   custodians = {0};
    struct cov_fill fill = {0};
    struct bp_cov_commune *cv = NULL;
    struct bp_cov_custodian *uv = NULL;
    struct bp_cov_pledge *pv = NULL;
    double *mv = NULL;
    sqlite3_int64 max[5] = {0};
    size_t cap, ncv = 0, nuv = 0, npv = 0, nmv = 0, nst = 0, k;
    sqlite3_stmt *q = NULL;
    int rc = 0, step;

    /* The largest rowids bound every count, so the big arrays are
     * allocated once, at their size. */
    q = stmt(s, S_COV_MAX, err);
    if (!q)
        return BP_ESTORE;
    if ((step = sqlite3_step(q)) != SQLITE_ROW)
        goto dberr;
    for (k = 0; k < 5; k++)
        max[k] = sqlite3_column_int64(q, (int)k);
    done(q);
    if (rid_map_init(&stations, max[0]) || rid_map_init(&communes, max[1]) ||
        rid_map_init(&villages, max[2]) ||
        rid_map_init(&custodians, max[3]))
        goto nomem;
    uv = bp_reallocarray(NULL, max[3] > 0 ? (size_t)max[3] : 1, sizeof(*uv));
    pv = bp_reallocarray(NULL, max[4] > 0 ? (size_t)max[4] : 1, sizeof(*pv));
    if (!uv || !pv)
        goto nomem;

    /* Stations: only their order matters. */
    q = stmt(s, S_COV_STATION, err);
    if (!q)
        goto out_store;
    while ((step = sqlite3_step(q)) == SQLITE_ROW)
        rid_map_set(&stations, sqlite3_column_int64(q, 0), (uint32_t)nst++);
    if (step != SQLITE_DONE)
        goto dberr;
    done(q);

    q = stmt(s, S_COV_COMMUNE, err);
    if (!q)
        goto out_store;
    cap = 0;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        if (grow((void **)&cv, &cap, ncv, sizeof(*cv)))
            goto nomem;
        rid_map_set(&communes, sqlite3_column_int64(q, 0), (uint32_t)ncv);
        cv[ncv].from_m = sqlite3_column_double(q, 1);
        cv[ncv].to_m = sqlite3_column_double(q, 2);
        cv[ncv].station = rid_map_get(&stations, q, 3);
        ncv++;
    }
    if (step != SQLITE_DONE)
        goto dberr;
    done(q);

    /* Villages: the commune index of each, for custodians given by their
     * village only. */
    q = stmt(s, S_COV_VILLAGE, err);
    if (!q)
        goto out_store;
    while ((step = sqlite3_step(q)) == SQLITE_ROW)
        rid_map_set(&villages, sqlite3_column_int64(q, 0),
                    rid_map_get(&communes, q, 1));
    if (step != SQLITE_DONE)
        goto dberr;
    done(q);

    /* Custodians in the order of their covering index; a pledge finds its
     * custodian's index by rowid. */
    if (!s->cov_funcs) {
        if (sqlite3_create_function_v2(s->db, "bp__cov_custodian", 4,
                                       SQLITE_UTF8, s, NULL,
                                       cov_custodian_step, cov_final,
                                       NULL) != SQLITE_OK ||
            sqlite3_create_function_v2(s->db, "bp__cov_pledge", 5,
                                       SQLITE_UTF8, s, NULL, cov_pledge_step,
                                       cov_final, NULL) != SQLITE_OK)
            goto dberr;
        s->cov_funcs = 1;
    }
    fill.uv = uv;
    fill.pv = pv;
    fill.cap_uv = max[3] > 0 ? (size_t)max[3] : 0;
    fill.cap_pv = max[4] > 0 ? (size_t)max[4] : 0;
    fill.communes = &communes;
    fill.villages = &villages;
    fill.custodians = &custodians;
    s->cov_fill = &fill;
    rc = run_fill(s, S_COV_CUSTODIAN, err);
    if (!rc)
        rc = run_fill(s, S_COV_PLEDGE, err);
    s->cov_fill = NULL;
    if (rc)
        goto out;
    nuv = fill.nuv;
    npv = fill.npv;

    q = stmt(s, S_COV_MARKER, err);
    if (!q)
        goto out_store;
    cap = 0;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        if (grow((void **)&mv, &cap, nmv, sizeof(*mv)))
            goto nomem;
        mv[nmv++] = sqlite3_column_double(q, 0);
    }
    if (step != SQLITE_DONE)
        goto dberr;
    done(q);
    q = NULL;

    memset(hold, 0, sizeof(*hold));
    hold->mem[0] = pv;
    hold->mem[1] = uv;
    hold->mem[2] = cv;
    hold->mem[3] = mv;
    in->pledges = pv;
    in->npledges = npv;
    in->custodians = uv;
    in->ncustodians = nuv;
    in->communes = cv;
    in->ncommunes = ncv;
    in->nstations = nst;
    in->marker_m = mv;
    in->nmarkers = nmv;
    pv = NULL;
    uv = NULL;
    cv = NULL;
    mv = NULL;
    goto out;
nomem:
    rc = bp_error_set(err, BP_ENOMEM, "out of memory");
    goto out;
out_store:
    rc = BP_ESTORE;
    goto out;
dberr:
    rc = bp__sqlite_error(s, err, "loading the coverage inputs");
out:
    done(q);
    rid_map_release(&stations);
    rid_map_release(&communes);
    rid_map_release(&villages);
    rid_map_release(&custodians);
    bp_free(pv);
    bp_free(uv);
    bp_free(cv);
    bp_free(mv);
    return rc;
}
