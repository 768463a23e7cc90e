/* SPDX-License-Identifier: MIT */
/*
 * The SQLite side of patrols: patrols and participants, tracks with their
 * fixes (24 bytes each, little-endian) and walked spans as blobs,
 * inspections and visits, incidents and their history, and the one-pass
 * load of everything verification needs.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "store/store_patrol_int.h"
#include "store/store_sqlite_int.h"

#define FIX_BYTES 24

static struct sqlite_store *S(struct bp_store *st)
{
    return (struct sqlite_store *)st;
}

/* Grow an array of `size`-byte items to hold `need` items. */
static int grow(void **v, size_t *cap, size_t need, size_t size)
{
    void *nv;
    size_t c = *cap;

    if (need <= c)
        return 0;
    while (c < need)
        c = c ? 2 * c : 64;
    nv = bp_reallocarray(*v, c, size);
    if (!nv)
        return BP_ENOMEM;
    *v = nv;
    *cap = c;
    return 0;
}

static int prep(struct sqlite_store *s, const char *sql, sqlite3_stmt **st,
                struct bp_error *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
        return bp__sqlite_error(s, err, "preparing a query");
    return 0;
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? bp_strdup((const char *)t) : NULL;
}

static void col_uuid(sqlite3_stmt *st, int i, bp_uuid out)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, sizeof(bp_uuid), "%s", t ? (const char *)t : "");
}

static double col_real(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL
               ? NAN
               : sqlite3_column_double(st, i);
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static void bind_real_or_null(sqlite3_stmt *st, int i, double v)
{
    if (isfinite(v))
        sqlite3_bind_double(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

/* rid of the record with UUID `id` in `table`, or BP_ENOTFOUND naming
 * `field`. */
static int rid_of(struct sqlite_store *s, const char *table, const char *id,
                  const char *field, sqlite3_int64 *rid, struct bp_error *err)
{
    char sql[96];
    sqlite3_stmt *st = NULL;
    int rc;

    snprintf(sql, sizeof(sql), "SELECT rid FROM %s WHERE id = ?1", table);
    rc = prep(s, sql, &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *rid = sqlite3_column_int64(st, 0);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = bp_error_set_at(err, BP_ENOTFOUND, NULL, 0, field,
                             "no %s with id '%.40s'", table, id);
    } else {
        rc = bp__sqlite_error(s, err, "looking up an id");
    }
    sqlite3_finalize(st);
    return rc;
}

/* Run a prepared statement to completion (no rows expected). */
static int done(struct sqlite_store *s, sqlite3_stmt *st, const char *what,
                struct bp_error *err)
{
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0
                                             : bp__sqlite_error(s, err, what);
    sqlite3_reset(st);
    return rc;
}

static int patrol_put(struct bp_store *base, struct bp_patrol *p,
                      struct bp_error *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    sqlite3_int64 station = 0, prid = 0, crid = 0;
    long long now = (long long)time(NULL);
    size_t i;
    int mine, rc;

    rc = bp__sqlite_auto_begin(s, &mine, err);
    if (rc)
        return rc;
    if (p->station_id[0])
        rc = rid_of(s, "station", p->station_id, "station_id", &station, err);
    if (rc)
        goto out;
    rc = prep(s,
              "INSERT INTO patrol (id, day, station, kind, leader, officers, "
              "note, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
              "?7, ?8, ?8) ON CONFLICT (id) DO UPDATE SET day = ?2, "
              "station = ?3, kind = ?4, leader = ?5, officers = ?6, "
              "note = ?7, updated_at = ?8",
              &st, err);
    if (rc)
        goto out;
    sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, p->day);
    if (station)
        sqlite3_bind_int64(st, 3, station);
    sqlite3_bind_text(st, 4, bp_patrol_kind_name(p->kind), -1, SQLITE_STATIC);
    bind_text_or_null(st, 5, p->leader);
    bind_text_or_null(st, 6, p->officers);
    bind_text_or_null(st, 7, p->note);
    sqlite3_bind_int64(st, 8, now);
    rc = done(s, st, "saving a patrol", err);
    sqlite3_finalize(st);
    st = NULL;
    if (!rc)
        rc = rid_of(s, "patrol", p->id, "id", &prid, err);
    if (!rc)
        rc = prep(s, "DELETE FROM patrol_member WHERE patrol = ?1", &st, err);
    if (rc)
        goto out;
    sqlite3_bind_int64(st, 1, prid);
    rc = done(s, st, "saving a patrol", err);
    sqlite3_finalize(st);
    st = NULL;
    if (!rc)
        rc = prep(s,
                  "INSERT OR IGNORE INTO patrol_member (patrol, custodian) "
                  "VALUES (?1, ?2)",
                  &st, err);
    for (i = 0; i < p->ncustodians && !rc; i++) {
        rc = rid_of(s, "custodian", p->custodians[i], "participants", &crid,
                    err);
        if (rc) {
            bp_error_set_at(err, BP_ENOTFOUND, NULL, 0, "participants",
                            "no custodian with id '%.40s' (không có hộ/tập "
                            "thể này)",
                            p->custodians[i]);
            break;
        }
        sqlite3_bind_int64(st, 1, prid);
        sqlite3_bind_int64(st, 2, crid);
        rc = done(s, st, "saving a participant", err);
    }
out:
    sqlite3_finalize(st);
    return bp__sqlite_auto_end(s, mine, rc, err);
}

#define PATROL_COLS                                                          \
    "SELECT p.id, p.day, s.id, p.kind, p.leader, p.officers, p.note, "       \
    "(SELECT count(*) FROM track t WHERE t.patrol = p.rid), "                \
    "(SELECT total(t.travelled_m) FROM track t WHERE t.patrol = p.rid), "    \
    "(SELECT total(t.duration_s) FROM track t WHERE t.patrol = p.rid), "     \
    "(SELECT max(t.farthest_m) FROM track t WHERE t.patrol = p.rid), "       \
    "(SELECT total(t.flags) FROM track t WHERE t.patrol = p.rid), "          \
    "(SELECT count(*) FROM track t WHERE t.patrol = p.rid AND t.flags <> 0 " \
    " AND t.approved = 0), p.rid "                                           \
    "FROM patrol p LEFT JOIN station s ON s.rid = p.station "

static int walked_of(struct sqlite_store *s, sqlite3_int64 prid,
                     int counted_only, struct bp_spanset *out,
                     struct bp_error *err);

static int read_patrol(struct sqlite_store *s, sqlite3_stmt *st,
                       struct bp_patrol *p, struct bp_error *err)
{
    sqlite3_stmt *m = NULL;
    struct bp_spanset sp;
    sqlite3_int64 prid = sqlite3_column_int64(st, 13);
    size_t cap = 0;
    int rc = 0, step;

    memset(p, 0, sizeof(*p));
    col_uuid(st, 0, p->id);
    p->day = sqlite3_column_int(st, 1);
    col_uuid(st, 2, p->station_id);
    bp_patrol_kind_parse((const char *)sqlite3_column_text(st, 3), &p->kind);
    p->leader = col_dup(st, 4);
    p->officers = col_dup(st, 5);
    p->note = col_dup(st, 6);
    p->ntracks = (size_t)sqlite3_column_int64(st, 7);
    p->travelled_m = sqlite3_column_double(st, 8);
    p->duration_s = sqlite3_column_double(st, 9);
    p->farthest_m = sqlite3_column_double(st, 10);
    /* total() of the flags is not their union; recomputed below. */
    p->verified = p->ntracks > 0 && sqlite3_column_int64(st, 12) == 0;
    rc = prep(s,
              "SELECT c.id FROM patrol_member m JOIN custodian c ON "
              "c.rid = m.custodian WHERE m.patrol = ?1 ORDER BY c.name",
              &m, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(m, 1, prid);
    while ((step = sqlite3_step(m)) == SQLITE_ROW) {
        if (p->ncustodians == cap) {
            bp_uuid *v;
            cap = cap ? 2 * cap : 4;
            v = bp_reallocarray(p->custodians, cap, sizeof(*v));
            if (!v) {
                rc = bp_error_set(err, BP_ENOMEM, "out of memory");
                break;
            }
            p->custodians = v;
        }
        col_uuid(m, 0, p->custodians[p->ncustodians++]);
    }
    if (!rc && step != SQLITE_DONE)
        rc = bp__sqlite_error(s, err, "reading participants");
    sqlite3_finalize(m);
    m = NULL;
    if (!rc)
        rc = prep(s, "SELECT flags FROM track WHERE patrol = ?1", &m, err);
    if (!rc) {
        sqlite3_bind_int64(m, 1, prid);
        while (sqlite3_step(m) == SQLITE_ROW)
            p->flags |= (unsigned)sqlite3_column_int(m, 0);
        sqlite3_finalize(m);
    }
    bp_spanset_init(&sp);
    if (!rc)
        rc = walked_of(s, prid, 0, &sp, err);
    p->walked_m = bp_spanset_length(&sp);
    bp_spanset_release(&sp);
    if (rc)
        bp_patrol_release(p);
    return rc;
}

static int patrol_get(struct bp_store *base, const char *id,
                      struct bp_patrol *p, struct bp_error *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    int rc, step;

    rc = prep(s, PATROL_COLS "WHERE p.id = ?1", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        rc = read_patrol(s, st, p, err);
    else if (step == SQLITE_DONE)
        rc = bp_error_set(err, BP_ENOTFOUND,
                          "no patrol with id '%.40s' (không có chuyến tuần "
                          "tra này)",
                          id);
    else
        rc = bp__sqlite_error(s, err, "reading a patrol");
    sqlite3_finalize(st);
    return rc;
}

static int patrol_list(struct bp_store *base, int32_t from, int32_t to,
                       struct bp_patrol **out, size_t *nout,
                       struct bp_error *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    struct bp_patrol *v = NULL;
    size_t n = 0, cap = 0;
    int rc, step;

    rc = prep(s,
              PATROL_COLS "WHERE (?1 IS NULL OR p.day >= ?1) AND "
                          "(?2 IS NULL OR p.day <= ?2) ORDER BY p.day, p.rid",
              &st, err);
    if (rc)
        return rc;
    if (from != BP_DATE_NONE)
        sqlite3_bind_int(st, 1, from);
    if (to != BP_DATE_NONE)
        sqlite3_bind_int(st, 2, to);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow((void **)&v, &cap, n + 1, sizeof(*v))) {
            rc = bp_error_set(err, BP_ENOMEM, "out of memory");
            break;
        }
        rc = read_patrol(s, st, &v[n], err);
        if (rc)
            break;
        n++;
    }
    if (!rc && step != SQLITE_DONE)
        rc = bp__sqlite_error(s, err, "listing patrols");
    sqlite3_finalize(st);
    if (rc) {
        bp_store_patrol_list_free(v, n);
        return rc;
    }
    *out = v;
    *nout = n;
    return 0;
}

static int approve(struct bp_store *base, const char *id, const char *by,
                   size_t *n, struct bp_error *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    int rc;

    rc = prep(s,
              "UPDATE track SET approved = 1, approved_by = ?2 WHERE "
              "approved = 0 AND flags <> 0 AND (id = ?1 OR patrol = (SELECT "
              "rid FROM patrol WHERE id = ?1))",
              &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    bind_text_or_null(st, 2, by);
    rc = done(s, st, "approving tracks", err);
    sqlite3_finalize(st);
    if (rc)
        return rc;
    *n = (size_t)sqlite3_changes(s->db);
    if (!*n) {
        sqlite3_int64 rid = 0;
        if (rid_of(s, "patrol", id, "id", &rid, NULL) &&
            rid_of(s, "track", id, "id", &rid, NULL))
            return bp_error_set(err, BP_ENOTFOUND,
                                "no patrol or track with id '%.40s'", id);
    }
    return 0;
}

static int track_find(struct bp_store *base, enum bp__hash_kind k, uint64_t h,
                      bp_uuid track, bp_uuid patrol, struct bp_error *err)
{
    static const char *const sql[] = {
        "SELECT t.id, p.id FROM track t JOIN patrol p ON p.rid = t.patrol "
        "WHERE t.content_hash = ?1 LIMIT 1",
        "SELECT t.id, p.id FROM track t JOIN patrol p ON p.rid = t.patrol "
        "WHERE t.shape_hash = ?1 ORDER BY t.rid LIMIT 1",
        "SELECT t.id, p.id FROM track t JOIN patrol p ON p.rid = t.patrol "
        "WHERE t.timed_hash = ?1 ORDER BY t.rid LIMIT 1"};
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    int rc, step;

    rc = prep(s, sql[k], &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)h);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        if (track)
            col_uuid(st, 0, track);
        if (patrol)
            col_uuid(st, 1, patrol);
        rc = 0;
    } else if (step == SQLITE_DONE) {
        rc = BP_ENOTFOUND;
    } else {
        rc = bp__sqlite_error(s, err, "looking up a track");
    }
    sqlite3_finalize(st);
    return rc;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static void put64(unsigned char *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t get64(const unsigned char *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void putf64(unsigned char *p, double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    put64(p, u);
}

static double getf64(const unsigned char *p)
{
    uint64_t u = get64(p);
    double d;
    memcpy(&d, &u, 8);
    return d;
}

static void encode_fix(unsigned char *p, const struct bp_fix *f)
{
    float e = (float)f->ele;
    uint32_t eu;
    unsigned hd = isfinite(f->hdop) && f->hdop >= 0 && f->hdop < 655
                      ? (unsigned)lround(f->hdop * 100)
                      : 0xFFFFu;

    put32(p, (uint32_t)(int32_t)lround(f->lon * 1e7));
    put32(p + 4, (uint32_t)(int32_t)lround(f->lat * 1e7));
    put64(p + 8, (uint64_t)f->time_ms);
    memcpy(&eu, &e, 4);
    put32(p + 16, eu);
    p[20] = (unsigned char)hd;
    p[21] = (unsigned char)(hd >> 8);
    p[22] = f->sat >= 0 && f->sat < 255 ? (unsigned char)f->sat : 0xFF;
    p[23] = 0;
}

static void decode_fix(const unsigned char *p, struct bp_fix *f)
{
    uint32_t eu = get32(p + 16);
    unsigned hd = (unsigned)p[20] | (unsigned)p[21] << 8;
    float e;

    f->lon = (int32_t)get32(p) / 1e7;
    f->lat = (int32_t)get32(p + 4) / 1e7;
    f->time_ms = (int64_t)get64(p + 8);
    memcpy(&e, &eu, 4);
    f->ele = e;
    f->hdop = hd == 0xFFFFu ? NAN : hd / 100.0;
    f->sat = p[22] == 0xFF ? -1 : p[22];
}

static int track_insert(struct bp_store *base, const struct bp__track_row *r,
                        struct bp_error *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    unsigned char *fx = NULL, *sg = NULL, *sp = NULL;
    const struct bp_track *t = r->t;
    const struct bp_walk *w = r->w;
    sqlite3_int64 prid = 0;
    size_t i;
    int mine, rc;

    rc = bp__sqlite_auto_begin(s, &mine, err);
    if (rc)
        return rc;
    rc = rid_of(s, "patrol", r->patrol_id, "patrol_id", &prid, err);
    if (rc)
        goto out;
    fx = bp_malloc(t->n * FIX_BYTES + 1);
    sg = bp_malloc(t->nseg * 8 + 1);
    sp = bp_malloc(w->spans.n * 16 + 1);
    if (!fx || !sg || !sp) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory storing a track");
        goto out;
    }
    for (i = 0; i < t->n; i++)
        encode_fix(fx + i * FIX_BYTES, &t->fix[i]);
    for (i = 0; i < t->nseg; i++)
        put64(sg + 8 * i, t->seg[i]);
    for (i = 0; i < w->spans.n; i++) {
        putf64(sp + 16 * i, w->spans.v[i].from_m);
        putf64(sp + 16 * i + 8, w->spans.v[i].to_m);
    }
    rc = prep(s,
              "INSERT INTO track (id, patrol, file, content_hash, shape_hash, "
              "timed_hash, nfix, nkept, start_ms, end_ms, walked_m, "
              "travelled_m, duration_s, farthest_m, flags, flag_note, fixes, "
              "segments, spans, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
              "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
              "?20)",
              &st, err);
    if (rc)
        goto out;
    sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, prid);
    bind_text_or_null(st, 3, r->file);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)r->hash.content);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)r->hash.shape);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)r->hash.timed);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)t->n);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)w->nkept);
    if (w->start_ms != BP_TIME_NONE) {
        sqlite3_bind_int64(st, 9, w->start_ms);
        sqlite3_bind_int64(st, 10, w->end_ms);
    }
    sqlite3_bind_double(st, 11, w->walked_m);
    sqlite3_bind_double(st, 12, w->travelled_m);
    sqlite3_bind_double(st, 13, w->duration_s);
    sqlite3_bind_double(st, 14, w->farthest_m);
    sqlite3_bind_int(st, 15, (int)r->flags);
    bind_text_or_null(st, 16, r->flag_note);
    sqlite3_bind_blob64(st, 17, fx, (sqlite3_uint64)t->n * FIX_BYTES,
                        SQLITE_STATIC);
    sqlite3_bind_blob64(st, 18, sg, (sqlite3_uint64)t->nseg * 8,
                        SQLITE_STATIC);
    sqlite3_bind_blob64(st, 19, sp, (sqlite3_uint64)w->spans.n * 16,
                        SQLITE_STATIC);
    sqlite3_bind_int64(st, 20, (sqlite3_int64)time(NULL));
    rc = done(s, st, "storing a track", err);
out:
    sqlite3_finalize(st);
    bp_free(fx);
    bp_free(sg);
    bp_free(sp);
    return bp__sqlite_auto_end(s, mine, rc, err);
}

static int track_list(struct bp_store *base, const char *patrol_id,
                      struct bp_track_info **out, size_t *nout,
                      struct bp_error *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    struct bp_track_info *v = NULL;
    size_t n = 0, cap = 0;
    int rc, step;

    rc = prep(s,
              "SELECT t.id, p.id, t.file, t.flag_note, t.content_hash, "
              "t.nfix, t.nkept, t.walked_m, t.travelled_m, t.duration_s, "
              "t.farthest_m, t.start_ms, t.end_ms, t.flags, t.approved FROM "
              "track t JOIN patrol p ON p.rid = t.patrol WHERE ?1 IS NULL OR "
              "p.id = ?1 ORDER BY p.day, t.rid",
              &st, err);
    if (rc)
        return rc;
    bind_text_or_null(st, 1, patrol_id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct bp_track_info *t;
        if (grow((void **)&v, &cap, n + 1, sizeof(*v))) {
            rc = bp_error_set(err, BP_ENOMEM, "out of memory");
            break;
        }
        t = &v[n++];
        memset(t, 0, sizeof(*t));
        col_uuid(st, 0, t->id);
        col_uuid(st, 1, t->patrol_id);
        t->file = col_dup(st, 2);
        t->flag_note = col_dup(st, 3);
        snprintf(t->hash, sizeof(t->hash), "%016llx",
                 (unsigned long long)sqlite3_column_int64(st, 4));
        t->nfix = (size_t)sqlite3_column_int64(st, 5);
        t->nkept = (size_t)sqlite3_column_int64(st, 6);
        t->walked_m = sqlite3_column_double(st, 7);
        t->travelled_m = sqlite3_column_double(st, 8);
        t->duration_s = sqlite3_column_double(st, 9);
        t->farthest_m = sqlite3_column_double(st, 10);
        t->start_ms = sqlite3_column_type(st, 11) == SQLITE_NULL
                          ? BP_TIME_NONE
                          : sqlite3_column_int64(st, 11);
        t->end_ms = sqlite3_column_type(st, 12) == SQLITE_NULL
                        ? BP_TIME_NONE
                        : sqlite3_column_int64(st, 12);
        t->flags = (unsigned)sqlite3_column_int(st, 13);
        t->approved = sqlite3_column_int(st, 14);
    }
    if (!rc && step != SQLITE_DONE)
        rc = bp__sqlite_error(s, err, "listing tracks");
    sqlite3_finalize(st);
    if (rc) {
        bp_store_track_list_free(v, n);
        return rc;
    }
    *out = v;
    *nout = n;
    return 0;
}

static int track_load(struct bp_store *base, const char *id,
                      struct bp_track *t, struct bp_error *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    struct bp_track r;
    const unsigned char *fx, *sg;
    size_t n, ns, i, k = 0;
    int rc, step;

    bp_track_init(&r);
    rc = prep(s, "SELECT fixes, segments, file FROM track WHERE id = ?1", &st,
              err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    step = sqlite3_step(st);
    if (step != SQLITE_ROW) {
        rc = step == SQLITE_DONE
                 ? bp_error_set(err, BP_ENOTFOUND,
                                "no track with id '%.40s'", id)
                 : bp__sqlite_error(s, err, "loading a track");
        goto out;
    }
    fx = sqlite3_column_blob(st, 0);
    n = (size_t)sqlite3_column_bytes(st, 0) / FIX_BYTES;
    sg = sqlite3_column_blob(st, 1);
    ns = (size_t)sqlite3_column_bytes(st, 1) / 8;
    r.name = col_dup(st, 2);
    for (i = 0; i < n && !rc; i++) {
        struct bp_fix f;
        while (k < ns && get64(sg + 8 * k) == i) {
            rc = bp_track_new_segment(&r);
            k++;
        }
        decode_fix(fx + i * FIX_BYTES, &f);
        if (!rc)
            rc = bp_track_add(&r, &f);
    }
    if (rc)
        rc = bp_error_set(err, BP_ENOMEM, "out of memory loading a track");
out:
    sqlite3_finalize(st);
    if (rc) {
        bp_track_release(&r);
        return rc;
    }
    bp_track_release(t);
    *t = r;
    return 0;
}

static int spans_blob(sqlite3_stmt *st, int col, struct bp_spanset *out)
{
    const unsigned char *b = sqlite3_column_blob(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col) / 16, i;
    int rc = 0;

    for (i = 0; i < n && !rc; i++)
        rc = bp_spanset_add(out, getf64(b + 16 * i), getf64(b + 16 * i + 8));
    return rc;
}

static int walked_of(struct sqlite_store *s, sqlite3_int64 prid,
                     int counted_only, struct bp_spanset *out,
                     struct bp_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = prep(s,
              "SELECT spans FROM track WHERE patrol = ?1 AND (?2 = 0 OR "
              "flags = 0 OR approved = 1)",
              &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, prid);
    sqlite3_bind_int(st, 2, counted_only);
    bp_spanset_clear(out);
    while (!rc && sqlite3_step(st) == SQLITE_ROW)
        rc = spans_blob(st, 0, out);
    sqlite3_finalize(st);
    bp_spanset_normalise(out);
    return rc ? bp_error_set(err, BP_ENOMEM, "out of memory") : 0;
}

static int patrol_spans(struct bp_store *base, const char *patrol_id,
                        int counted_only, struct bp_spanset *out,
                        struct bp_error *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_int64 prid = 0;
    int rc = rid_of(s, "patrol", patrol_id, "patrol_id", &prid, err);

    return rc ? rc : walked_of(s, prid, counted_only, out, err);
}

static int marker_positions(struct bp_store *base, bp_uuid **ids,
                            struct bp_lonlat **pts, size_t *nout,
                            struct bp_error *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    bp_uuid *iv = NULL;
    struct bp_lonlat *pv = NULL;
    size_t n = 0, cap = 0;
    int rc;

    rc = prep(s,
              "SELECT id, lon, lat FROM marker WHERE ended_on IS NULL "
              "ORDER BY measure_m",
              &st, err);
    if (rc)
        return rc;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) {
            void *a, *b;
            cap = cap ? 2 * cap : 64;
            a = bp_reallocarray(iv, cap, sizeof(*iv));
            if (a)
                iv = a;
            b = bp_reallocarray(pv, cap, sizeof(*pv));
            if (b)
                pv = b;
            if (!a || !b) {
                rc = bp_error_set(err, BP_ENOMEM, "out of memory");
                break;
            }
        }
        col_uuid(st, 0, iv[n]);
        pv[n].lon = sqlite3_column_double(st, 1);
        pv[n].lat = sqlite3_column_double(st, 2);
        n++;
    }
    sqlite3_finalize(st);
    if (rc) {
        bp_free(iv);
        bp_free(pv);
        return rc;
    }
    *ids = iv;
    *pts = pv;
    *nout = n;
    return 0;
}

/* A marker by id, number or key: rid, number, lon, lat. */
static int find_marker(struct sqlite_store *s, const char *ref,
                       sqlite3_int64 *rid, char *number, size_t size,
                       struct bp_lonlat *pos, struct bp_error *err)
{
    sqlite3_stmt *st = NULL;
    char key[32] = "";
    int rc, step;

    bp_marker_key(ref, key, sizeof(key));
    rc = prep(s,
              "SELECT rid, number, lon, lat FROM marker WHERE id = ?1 OR "
              "(key = ?2 AND ended_on IS NULL) ORDER BY ended_on IS NULL "
              "DESC LIMIT 1",
              &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *rid = sqlite3_column_int64(st, 0);
        snprintf(number, size, "%s", sqlite3_column_text(st, 1));
        pos->lon = sqlite3_column_double(st, 2);
        pos->lat = sqlite3_column_double(st, 3);
    } else if (step == SQLITE_DONE) {
        rc = bp_error_set_at(err, BP_ENOTFOUND, NULL, 0, "marker",
                             "no marker '%.40s' (không có mốc này)", ref);
    } else {
        rc = bp__sqlite_error(s, err, "looking up a marker");
    }
    sqlite3_finalize(st);
    return rc;
}

static int inspection_add(struct bp_store *base, struct bp_inspection *r,
                          double radius_m, const char *track_id,
                          struct bp_error *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    sqlite3_int64 mrid = 0, prid = 0, trid = 0;
    struct bp_lonlat pos;
    char number[64];
    int mine, rc;

    rc = bp__sqlite_auto_begin(s, &mine, err);
    if (rc)
        return rc;
    rc = find_marker(s, r->marker, &mrid, number, sizeof(number), &pos, err);
    if (!rc && r->patrol_id[0])
        rc = rid_of(s, "patrol", r->patrol_id, "patrol_id", &prid, err);
    if (!rc && track_id)
        rc = rid_of(s, "track", track_id, "track_id", &trid, err);
    if (rc)
        goto out;
    r->distance_m = NAN;
    r->far = 0;
    if (isfinite(r->lon) && isfinite(r->lat)) {
        struct bp_lonlat a = {r->lon, r->lat};
        r->distance_m = bp_geo_distance_m(a, pos);
        r->far = r->distance_m > radius_m;
    }
    rc = prep(s,
              "INSERT INTO inspection (id, marker, day, inspectors, "
              "condition, lon, lat, distance_m, far, photo, note, patrol, "
              "track, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
              "?9, ?10, ?11, ?12, ?13, ?14)",
              &st, err);
    if (rc)
        goto out;
    sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, mrid);
    sqlite3_bind_int(st, 3, r->day);
    bind_text_or_null(st, 4, r->inspectors);
    sqlite3_bind_text(st, 5, bp_condition_name(r->condition), -1,
                      SQLITE_STATIC);
    bind_real_or_null(st, 6, r->lon);
    bind_real_or_null(st, 7, r->lat);
    bind_real_or_null(st, 8, r->distance_m);
    sqlite3_bind_int(st, 9, r->far);
    bind_text_or_null(st, 10, r->photo);
    bind_text_or_null(st, 11, r->note);
    if (prid)
        sqlite3_bind_int64(st, 12, prid);
    if (trid)
        sqlite3_bind_int64(st, 13, trid);
    sqlite3_bind_int64(st, 14, (sqlite3_int64)time(NULL));
    rc = done(s, st, "saving an inspection", err);
    if (!rc)
        snprintf(r->marker, sizeof(r->marker), "%s", number);
out:
    sqlite3_finalize(st);
    return bp__sqlite_auto_end(s, mine, rc, err);
}

static int inspection_list(struct bp_store *base, const char *marker,
                           int visits, struct bp_inspection **out,
                           size_t *nout, struct bp_error *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    struct bp_inspection *v = NULL;
    sqlite3_int64 mrid = 0;
    size_t n = 0, cap = 0;
    int rc = 0, step;

    if (marker && *marker) {
        char number[64];
        struct bp_lonlat pos;
        rc = find_marker(s, marker, &mrid, number, sizeof(number), &pos,
                         err);
        if (rc)
            return rc;
    }
    rc = prep(s,
              "SELECT i.id, m.number, i.day, i.inspectors, i.condition, "
              "i.lon, i.lat, i.distance_m, i.far, i.photo, i.note, p.id "
              "FROM inspection i JOIN marker m ON m.rid = i.marker LEFT JOIN "
              "patrol p ON p.rid = i.patrol WHERE (?1 IS NULL OR i.marker = "
              "?1) AND (?2 OR i.condition <> 'visit') ORDER BY i.day DESC, "
              "m.measure_m",
              &st, err);
    if (rc)
        return rc;
    if (mrid)
        sqlite3_bind_int64(st, 1, mrid);
    sqlite3_bind_int(st, 2, visits);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct bp_inspection *r;
        if (grow((void **)&v, &cap, n + 1, sizeof(*v))) {
            rc = bp_error_set(err, BP_ENOMEM, "out of memory");
            break;
        }
        r = &v[n++];
        memset(r, 0, sizeof(*r));
        col_uuid(st, 0, r->id);
        snprintf(r->marker, sizeof(r->marker), "%s",
                 sqlite3_column_text(st, 1));
        r->day = sqlite3_column_int(st, 2);
        r->inspectors = col_dup(st, 3);
        bp_condition_parse((const char *)sqlite3_column_text(st, 4),
                           &r->condition);
        r->lon = col_real(st, 5);
        r->lat = col_real(st, 6);
        r->distance_m = col_real(st, 7);
        r->far = sqlite3_column_int(st, 8);
        r->photo = col_dup(st, 9);
        r->note = col_dup(st, 10);
        col_uuid(st, 11, r->patrol_id);
    }
    if (!rc && step != SQLITE_DONE)
        rc = bp__sqlite_error(s, err, "listing inspections");
    sqlite3_finalize(st);
    if (rc) {
        bp_store_inspection_list_free(v, n);
        return rc;
    }
    *out = v;
    *nout = n;
    return 0;
}

static int marker_overdue(struct bp_store *base, int32_t as_of, int days,
                          struct bp_marker_due **out, size_t *nout,
                          struct bp_error *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    struct bp_marker_due *v = NULL;
    size_t n = 0, cap = 0;
    int rc, step;

    rc = prep(s,
              "SELECT m.id, m.number, m.measure_m, (SELECT max(i.day) FROM "
              "inspection i WHERE i.marker = m.rid AND i.day <= ?1) AS last "
              "FROM marker m WHERE m.ended_on IS NULL AND (last IS NULL OR "
              "last <= ?1 - ?2) ORDER BY m.measure_m",
              &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int(st, 1, as_of);
    sqlite3_bind_int(st, 2, days);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow((void **)&v, &cap, n + 1, sizeof(*v))) {
            rc = bp_error_set(err, BP_ENOMEM, "out of memory");
            break;
        }
        col_uuid(st, 0, v[n].marker_id);
        snprintf(v[n].number, sizeof(v[n].number), "%s",
                 sqlite3_column_text(st, 1));
        v[n].measure_m = sqlite3_column_double(st, 2);
        v[n].last_day = sqlite3_column_type(st, 3) == SQLITE_NULL
                            ? BP_DATE_NONE
                            : sqlite3_column_int(st, 3);
        n++;
    }
    if (!rc && step != SQLITE_DONE)
        rc = bp__sqlite_error(s, err, "listing overdue markers");
    sqlite3_finalize(st);
    if (rc) {
        bp_free(v);
        return rc;
    }
    *out = v;
    *nout = n;
    return 0;
}

/* Map a rid to an index: rids are dense enough to index an array. */
struct ridmap {
    uint32_t *idx;
    sqlite3_int64 max;
};

static int ridmap_build(struct sqlite_store *s, const char *table,
                        struct ridmap *m, struct bp_error *err)
{
    char sql[80];
    sqlite3_stmt *st = NULL;
    int rc;

    snprintf(sql, sizeof(sql), "SELECT coalesce(max(rid), 0) FROM %s",
             table);
    rc = prep(s, sql, &st, err);
    if (rc)
        return rc;
    m->max = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    m->idx = bp_malloc(((size_t)m->max + 1) * sizeof(*m->idx));
    if (!m->idx)
        return bp_error_set(err, BP_ENOMEM, "out of memory");
    memset(m->idx, 0xFF, ((size_t)m->max + 1) * sizeof(*m->idx));
    return 0;
}

static uint32_t ridmap_get(const struct ridmap *m, sqlite3_int64 rid)
{
    return rid >= 0 && rid <= m->max ? m->idx[rid] : UINT32_MAX;
}

static int verify_load(struct bp_store *base, struct bp_verify_data *d,
                       struct bp_error *err)
{
    struct sqlite_store *s = S(base);
    struct ridmap ms = {0}, mc = {0}, mu = {0}, mp = {0};
    sqlite3_stmt *st = NULL;
    struct bp_verify_data r;
    size_t cap1 = 0, cap2 = 0, cap3 = 0, cap4 = 0, cap5 = 0, cap6 = 0, i;
    size_t nsp = 0, nmem = 0, capsp = 0, capmem = 0;
    size_t *span_at = NULL, *mem_at = NULL, capat = 0, capmat = 0;
    int rc;

    memset(&r, 0, sizeof(r));
    rc = ridmap_build(s, "station", &ms, err);
    if (!rc)
        rc = ridmap_build(s, "commune", &mc, err);
    if (!rc)
        rc = ridmap_build(s, "custodian", &mu, err);
    if (!rc)
        rc = ridmap_build(s, "patrol", &mp, err);
    if (rc)
        goto out;
    /* Stations. */
    rc = prep(s, "SELECT rid, id, name FROM station ORDER BY name, code",
              &st, err);
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        size_t k = r.nstations;
        if (grow((void **)&r.station_id, &cap1, k + 1, sizeof(bp_uuid)) ||
            grow((void **)&r.station_name, &cap2, k + 1, sizeof(char *))) {
            rc = BP_ENOMEM;
            break;
        }
        ms.idx[sqlite3_column_int64(st, 0)] = (uint32_t)k;
        col_uuid(st, 1, r.station_id[k]);
        r.station_name[k] = col_dup(st, 2);
        r.nstations++;
    }
    sqlite3_finalize(st);
    st = NULL;
    cap1 = cap2 = 0;
    if (!rc)
        rc = prep(s,
                  "SELECT rid, id, name, station FROM commune ORDER BY "
                  "from_m, code",
                  &st, err);
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        size_t k = r.ncommunes;
        if (grow((void **)&r.commune_id, &cap1, k + 1, sizeof(bp_uuid)) ||
            grow((void **)&r.commune_name, &cap2, k + 1, sizeof(char *)) ||
            grow((void **)&span_at, &capat, k + 1, sizeof(size_t))) {
            rc = BP_ENOMEM;
            break;
        }
        mc.idx[sqlite3_column_int64(st, 0)] = (uint32_t)k;
        col_uuid(st, 1, r.commune_id[k]);
        r.commune_name[k] = col_dup(st, 2);
        /* the commune's station, kept in span_at for now */
        span_at[k] = sqlite3_column_type(st, 3) == SQLITE_NULL
                         ? (size_t)UINT32_MAX
                         : ridmap_get(&ms, sqlite3_column_int64(st, 3));
        r.ncommunes++;
    }
    sqlite3_finalize(st);
    st = NULL;
    cap1 = cap2 = 0;
    if (!rc)
        rc = prep(s, "SELECT rid, id, name, commune FROM custodian", &st,
                  err);
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        size_t k = r.ncustodians;
        if (grow((void **)&r.custodian_id, &cap1, k + 1, sizeof(bp_uuid)) ||
            grow((void **)&r.custodian_name, &cap2, k + 1, sizeof(char *)) ||
            grow((void **)&r.custodian_commune, &cap3, k + 1,
                 sizeof(uint32_t))) {
            rc = BP_ENOMEM;
            break;
        }
        mu.idx[sqlite3_column_int64(st, 0)] = (uint32_t)k;
        col_uuid(st, 1, r.custodian_id[k]);
        r.custodian_name[k] = col_dup(st, 2);
        r.custodian_commune[k] =
            sqlite3_column_type(st, 3) == SQLITE_NULL
                ? UINT32_MAX
                : ridmap_get(&mc, sqlite3_column_int64(st, 3));
        r.ncustodians++;
    }
    sqlite3_finalize(st);
    st = NULL;
    cap1 = cap2 = cap3 = 0;
    if (!rc)
        rc = prep(s,
                  "SELECT id, from_m, to_m, signed_on, ended_on, custodian, "
                  "station FROM pledge ORDER BY from_m, rid",
                  &st, err);
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        size_t k = r.in.npledges;
        struct bp_vpledge *p;
        uint32_t c;
        if (grow((void **)&r.pledges, &cap1, k + 1, sizeof(*r.pledges)) ||
            grow((void **)&r.pledge_id, &cap2, k + 1, sizeof(bp_uuid)) ||
            grow((void **)&r.pledge_station, &cap3, k + 1,
                 sizeof(uint32_t))) {
            rc = BP_ENOMEM;
            break;
        }
        p = &r.pledges[k];
        col_uuid(st, 0, r.pledge_id[k]);
        p->from_m = sqlite3_column_double(st, 1);
        p->to_m = sqlite3_column_double(st, 2);
        p->signed_on = sqlite3_column_int(st, 3);
        p->ended_on = sqlite3_column_type(st, 4) == SQLITE_NULL
                          ? BP_DATE_NONE
                          : sqlite3_column_int(st, 4);
        c = ridmap_get(&mu, sqlite3_column_int64(st, 5));
        p->custodian = c;
        if (sqlite3_column_type(st, 6) != SQLITE_NULL)
            r.pledge_station[k] = ridmap_get(&ms, sqlite3_column_int64(st, 6));
        else if (c != UINT32_MAX && r.custodian_commune[c] != UINT32_MAX)
            r.pledge_station[k] =
                (uint32_t)span_at[r.custodian_commune[c]];
        else
            r.pledge_station[k] = UINT32_MAX;
        r.in.npledges++;
    }
    sqlite3_finalize(st);
    st = NULL;
    /* Patrols, then their counted spans and participants. */
    if (!rc)
        rc = prep(s,
                  "SELECT p.rid, p.day, NOT EXISTS (SELECT 1 FROM track t "
                  "WHERE t.patrol = p.rid AND t.flags <> 0 AND t.approved = "
                  "0) FROM patrol p ORDER BY p.rid",
                  &st, err);
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        size_t k = r.in.npatrols;
        if (grow((void **)&r.patrols, &cap4, k + 1, sizeof(*r.patrols))) {
            rc = BP_ENOMEM;
            break;
        }
        mp.idx[sqlite3_column_int64(st, 0)] = (uint32_t)k;
        memset(&r.patrols[k], 0, sizeof(r.patrols[k]));
        r.patrols[k].day = sqlite3_column_int(st, 1);
        r.patrols[k].counted = sqlite3_column_int(st, 2);
        r.in.npatrols++;
    }
    sqlite3_finalize(st);
    st = NULL;
    bp_free(span_at);
    span_at = NULL;
    capat = 0;
    /* Walked spans: a patrol's tracks united into a spanset each. */
    if (!rc) {
        struct bp_spanset u;
        uint32_t cur = UINT32_MAX;
        bp_spanset_init(&u);
        rc = prep(s,
                  "SELECT patrol, spans FROM track WHERE flags = 0 OR "
                  "approved = 1 ORDER BY patrol",
                  &st, err);
        if (!rc)
            rc = grow((void **)&span_at, &capat, r.in.npatrols + 1,
                      sizeof(size_t));
        for (i = 0; !rc && i <= r.in.npatrols; i++)
            span_at[i] = 0;
        for (;;) {
            int step = rc ? SQLITE_DONE : sqlite3_step(st);
            uint32_t pk = step == SQLITE_ROW
                              ? ridmap_get(&mp, sqlite3_column_int64(st, 0))
                              : UINT32_MAX;
            if ((step != SQLITE_ROW || pk != cur) && cur != UINT32_MAX) {
                bp_spanset_normalise(&u);
                if (grow((void **)&r.spans, &capsp, nsp + u.n + 1,
                         sizeof(*r.spans))) {
                    rc = BP_ENOMEM;
                    break;
                }
                memcpy(r.spans + nsp, u.v, u.n * sizeof(*u.v));
                span_at[cur] = nsp;
                r.patrols[cur].nspans = u.n;
                nsp += u.n;
                bp_spanset_clear(&u);
            }
            if (step != SQLITE_ROW)
                break;
            cur = pk;
            if (pk != UINT32_MAX && spans_blob(st, 1, &u)) {
                rc = BP_ENOMEM;
                break;
            }
        }
        bp_spanset_release(&u);
        sqlite3_finalize(st);
        st = NULL;
    }
    if (!rc)
        rc = prep(s,
                  "SELECT patrol, custodian FROM patrol_member ORDER BY "
                  "patrol",
                  &st, err);
    if (!rc)
        rc = grow((void **)&mem_at, &capmat, r.in.npatrols + 1,
                  sizeof(size_t));
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        uint32_t pk = ridmap_get(&mp, sqlite3_column_int64(st, 0));
        uint32_t c = ridmap_get(&mu, sqlite3_column_int64(st, 1));
        if (pk == UINT32_MAX || c == UINT32_MAX)
            continue;
        if (grow((void **)&r.members, &capmem, nmem + 1, sizeof(uint32_t))) {
            rc = BP_ENOMEM;
            break;
        }
        if (!r.patrols[pk].ncustodians)
            mem_at[pk] = nmem;
        r.members[nmem++] = c;
        r.patrols[pk].ncustodians++;
    }
    sqlite3_finalize(st);
    st = NULL;
    /* Pointers only now that the arrays stopped moving. */
    for (i = 0; !rc && i < r.in.npatrols; i++) {
        r.patrols[i].spans = r.patrols[i].nspans ? r.spans + span_at[i] : NULL;
        r.patrols[i].custodians =
            r.patrols[i].ncustodians ? r.members + mem_at[i] : NULL;
    }
    (void)cap5, (void)cap6;
    r.in.pledges = r.pledges;
    r.in.patrols = r.patrols;
    r.in.ncustodians = r.ncustodians;
    for (i = 0; !rc && i < r.in.npledges; i++)
        if (r.pledges[i].custodian == UINT32_MAX)
            rc = bp_error_set(err, BP_ESTORE,
                              "pledge '%s' has no custodian",
                              r.pledge_id[i]);
out:
    if (rc == BP_ENOMEM)
        bp_error_set(err, rc, "out of memory loading patrols");
    sqlite3_finalize(st);
    bp_free(ms.idx);
    bp_free(mc.idx);
    bp_free(mu.idx);
    bp_free(mp.idx);
    bp_free(span_at);
    bp_free(mem_at);
    if (rc) {
        bp_verify_data_release(&r);
        return rc;
    }
    *d = r;
    return 0;
}

static int incident_add(struct bp_store *base, struct bp_incident *r,
                        struct bp_error *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    sqlite3_int64 mrid = 0, crid = 0, prid = 0, irid = 0;
    long long now = (long long)time(NULL);
    int mine, rc;

    rc = bp__sqlite_auto_begin(s, &mine, err);
    if (rc)
        return rc;
    if (r->marker[0])
        rc = rid_of(s, "marker", r->marker, "marker", &mrid, err);
    if (!rc && r->reporter_custodian[0])
        rc = rid_of(s, "custodian", r->reporter_custodian, "reporter", &crid,
                    err);
    if (!rc && r->reporter_patrol[0])
        rc = rid_of(s, "patrol", r->reporter_patrol, "patrol", &prid, err);
    if (!rc)
        rc = prep(s,
                  "INSERT INTO incident (id, kind, at_s, lon, lat, marker, "
                  "offset_m, measure_m, reporter_custodian, reporter_patrol, "
                  "severity, status, description, resolution, created_at, "
                  "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                  "?10, ?11, ?12, ?13, ?14, ?15, ?15)",
                  &st, err);
    if (rc)
        goto out;
    sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, bp_incident_kind_name(r->kind), -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, r->at_s);
    sqlite3_bind_double(st, 4, r->lon);
    sqlite3_bind_double(st, 5, r->lat);
    if (mrid)
        sqlite3_bind_int64(st, 6, mrid);
    sqlite3_bind_double(st, 7, r->offset_m);
    bind_real_or_null(st, 8, r->measure_m);
    if (crid)
        sqlite3_bind_int64(st, 9, crid);
    if (prid)
        sqlite3_bind_int64(st, 10, prid);
    sqlite3_bind_int(st, 11, r->severity);
    sqlite3_bind_text(st, 12, bp_incident_status_name(r->status), -1,
                      SQLITE_STATIC);
    bind_text_or_null(st, 13, r->description);
    bind_text_or_null(st, 14, r->resolution);
    sqlite3_bind_int64(st, 15, now);
    rc = done(s, st, "saving an incident", err);
    sqlite3_finalize(st);
    st = NULL;
    irid = sqlite3_last_insert_rowid(s->db);
    if (!rc)
        rc = prep(s,
                  "INSERT INTO incident_event (incident, at_s, status, note) "
                  "VALUES (?1, ?2, ?3, ?4)",
                  &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, irid);
        sqlite3_bind_int64(st, 2, r->at_s);
        sqlite3_bind_text(st, 3, bp_incident_status_name(r->status), -1,
                          SQLITE_STATIC);
        bind_text_or_null(st, 4, r->description);
        rc = done(s, st, "saving an incident", err);
    }
out:
    sqlite3_finalize(st);
    return bp__sqlite_auto_end(s, mine, rc, err);
}

#define INCIDENT_COLS                                                        \
    "SELECT i.id, i.kind, i.at_s, i.lon, i.lat, m.number, i.offset_m, "      \
    "i.measure_m, c.id, p.id, i.severity, i.status, i.description, "         \
    "i.resolution, i.rid FROM incident i LEFT JOIN marker m ON m.rid = "     \
    "i.marker LEFT JOIN custodian c ON c.rid = i.reporter_custodian LEFT "   \
    "JOIN patrol p ON p.rid = i.reporter_patrol "

static void read_incident(sqlite3_stmt *st, struct bp_incident *r)
{
    memset(r, 0, sizeof(*r));
    col_uuid(st, 0, r->id);
    bp_incident_kind_parse((const char *)sqlite3_column_text(st, 1),
                           &r->kind);
    r->at_s = sqlite3_column_int64(st, 2);
    r->lon = sqlite3_column_double(st, 3);
    r->lat = sqlite3_column_double(st, 4);
    if (sqlite3_column_type(st, 5) != SQLITE_NULL)
        snprintf(r->marker, sizeof(r->marker), "%s",
                 sqlite3_column_text(st, 5));
    r->offset_m = sqlite3_column_double(st, 6);
    r->measure_m = col_real(st, 7);
    col_uuid(st, 8, r->reporter_custodian);
    col_uuid(st, 9, r->reporter_patrol);
    r->severity = sqlite3_column_int(st, 10);
    bp_incident_status_parse((const char *)sqlite3_column_text(st, 11),
                             &r->status);
    r->description = col_dup(st, 12);
    r->resolution = col_dup(st, 13);
}

static int incident_get(struct bp_store *base, const char *id,
                        struct bp_incident *rec,
                        struct bp_incident_event **ev, size_t *nev,
                        struct bp_error *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    struct bp_incident r;
    struct bp_incident_event *v = NULL;
    size_t n = 0, cap = 0;
    sqlite3_int64 irid = 0;
    int rc, step;

    memset(&r, 0, sizeof(r));
    rc = prep(s, INCIDENT_COLS "WHERE i.id = ?1", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    step = sqlite3_step(st);
    if (step != SQLITE_ROW) {
        rc = step == SQLITE_DONE
                 ? bp_error_set(err, BP_ENOTFOUND,
                                "no incident with id '%.40s' (không có vụ "
                                "việc này)",
                                id)
                 : bp__sqlite_error(s, err, "reading an incident");
        goto out;
    }
    read_incident(st, &r);
    irid = sqlite3_column_int64(st, 14);
    sqlite3_finalize(st);
    st = NULL;
    if (ev) {
        rc = prep(s,
                  "SELECT at_s, status, note FROM incident_event WHERE "
                  "incident = ?1 ORDER BY at_s, rid",
                  &st, err);
        if (!rc)
            sqlite3_bind_int64(st, 1, irid);
        while (!rc && sqlite3_step(st) == SQLITE_ROW) {
            if (grow((void **)&v, &cap, n + 1, sizeof(*v))) {
                rc = bp_error_set(err, BP_ENOMEM, "out of memory");
                break;
            }
            v[n].at_s = sqlite3_column_int64(st, 0);
            bp_incident_status_parse(
                (const char *)sqlite3_column_text(st, 1), &v[n].status);
            v[n].note = col_dup(st, 2);
            n++;
        }
    }
out:
    sqlite3_finalize(st);
    if (rc) {
        bp_incident_release(&r);
        bp_incident_events_free(v, n);
        return rc;
    }
    *rec = r;
    if (ev) {
        *ev = v;
        *nev = n;
    }
    return 0;
}

static int incident_list(struct bp_store *base, int status,
                         struct bp_incident **out, size_t *nout,
                         struct bp_error *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    struct bp_incident *v = NULL;
    size_t n = 0, cap = 0;
    int rc;

    rc = prep(s,
              INCIDENT_COLS "WHERE ?1 IS NULL OR i.status = ?1 ORDER BY "
                            "i.at_s DESC, i.rid DESC",
              &st, err);
    if (rc)
        return rc;
    if (status >= 0)
        sqlite3_bind_text(st, 1,
                          bp_incident_status_name(
                              (enum bp_incident_status)status),
                          -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (grow((void **)&v, &cap, n + 1, sizeof(*v))) {
            rc = bp_error_set(err, BP_ENOMEM, "out of memory");
            break;
        }
        read_incident(st, &v[n++]);
    }
    sqlite3_finalize(st);
    if (rc) {
        bp_store_incident_list_free(v, n);
        return rc;
    }
    *out = v;
    *nout = n;
    return 0;
}

static int incident_update(struct bp_store *base, const char *id,
                           enum bp_incident_status status, int64_t at_s,
                           const char *note, const char *resolution,
                           struct bp_error *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    sqlite3_int64 irid = 0;
    int mine, rc;

    rc = bp__sqlite_auto_begin(s, &mine, err);
    if (rc)
        return rc;
    rc = rid_of(s, "incident", id, "id", &irid, err);
    if (!rc)
        rc = prep(s,
                  "UPDATE incident SET status = ?2, resolution = "
                  "coalesce(?3, resolution), updated_at = ?4 WHERE rid = ?1",
                  &st, err);
    if (rc)
        goto out;
    sqlite3_bind_int64(st, 1, irid);
    sqlite3_bind_text(st, 2, bp_incident_status_name(status), -1,
                      SQLITE_STATIC);
    bind_text_or_null(st, 3, resolution);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
    rc = done(s, st, "updating an incident", err);
    sqlite3_finalize(st);
    st = NULL;
    if (!rc)
        rc = prep(s,
                  "INSERT INTO incident_event (incident, at_s, status, note) "
                  "VALUES (?1, ?2, ?3, ?4)",
                  &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, irid);
        sqlite3_bind_int64(st, 2, at_s);
        sqlite3_bind_text(st, 3, bp_incident_status_name(status), -1,
                          SQLITE_STATIC);
        bind_text_or_null(st, 4, note);
        rc = done(s, st, "updating an incident", err);
    }
out:
    sqlite3_finalize(st);
    return bp__sqlite_auto_end(s, mine, rc, err);
}

const struct bp__patrol_ops bp__sqlite_patrol_ops = {
    .patrol_put = patrol_put,
    .patrol_get = patrol_get,
    .patrol_list = patrol_list,
    .approve = approve,
    .track_find = track_find,
    .track_insert = track_insert,
    .track_list = track_list,
    .track_load = track_load,
    .patrol_spans = patrol_spans,
    .marker_positions = marker_positions,
    .inspection_add = inspection_add,
    .inspection_list = inspection_list,
    .marker_overdue = marker_overdue,
    .verify_load = verify_load,
    .incident_add = incident_add,
    .incident_get = incident_get,
    .incident_list = incident_list,
    .incident_update = incident_update,
};
