/* SPDX-License-Identifier: MIT */
/*
 * The SQLite side of users, sessions and API tokens, and the audit log.
 * Statements are prepared per call: these run once per login or write,
 * and the server caches what it reads on every request.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "bienphong/alloc.h"
#include "store/store_sqlite_auth_int.h"
#include "store/store_sqlite_int.h"

static int prepare(struct sqlite_store *s, const char *sql, sqlite3_stmt **q,
                   struct bp_error *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, q, NULL) != SQLITE_OK) {
        sqlite3_finalize(*q);
        *q = NULL;
        return bp__sqlite_error(s, err, "preparing a statement");
    }
    return 0;
}

static void bind_opt(sqlite3_stmt *q, int i, const char *s)
{
    if (s && *s)
        sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, i);
}

static char *col_dup(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return t ? bp_strdup((const char *)t) : NULL;
}

/* The rows read_rows has read: `len` of `cap` items of `size` bytes. */
struct rows {
    char *arr;
    size_t len, cap;
    size_t size, first; /* item size, first capacity */
};

/*
 * Step `q` to its end, reading each row into the next item of `r` with
 * `read` (nonzero: out of memory; the item still counts, so the list's
 * free releases what it holds). 0, BP_ENOMEM, or the SQLite error while
 * `doing`. The caller finalizes `q` and frees the items on failure.
 */
static int read_rows(struct sqlite_store *s, sqlite3_stmt *q, struct rows *r,
                     int (*read)(sqlite3_stmt *q, void *item),
                     const char *doing, struct bp_error *err)
{
    int step;

    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        if (r->len == r->cap) {
            size_t cap = r->cap ? 2 * r->cap : r->first;
            char *na = bp_reallocarray(r->arr, cap, r->size);

            if (!na)
                return bp_error_set(err, BP_ENOMEM, "out of memory");
            r->arr = na;
            r->cap = cap;
        }
        if (read(q, r->arr + r->len++ * r->size))
            return bp_error_set(err, BP_ENOMEM, "out of memory");
    }
    if (step != SQLITE_DONE)
        return bp__sqlite_error(s, err, doing);
    return 0;
}

/* Copy a text column into a bp_uuid ("" for NULL). */
static void col_uuid(sqlite3_stmt *q, int i, bp_uuid out)
{
    const unsigned char *t = sqlite3_column_text(q, i);

    out[0] = 0;
    if (t)
        snprintf(out, sizeof(bp_uuid), "%s", (const char *)t);
}

/* ---- users ---- */

#define SEL_USER                                                             \
    "SELECT id, name, role, station_id, commune_id, pw_hash, disabled, "     \
    "created_at, updated_at FROM app_user"

static int read_user(sqlite3_stmt *q, struct bp_user *u)
{
    const char *role = (const char *)sqlite3_column_text(q, 2);

    memset(u, 0, sizeof(*u));
    col_uuid(q, 0, u->id);
    u->name = col_dup(q, 1);
    if (!role || bp_role_parse(role, &u->role))
        u->role = BP_ROLE_VIEWER;
    col_uuid(q, 3, u->station_id);
    col_uuid(q, 4, u->commune_id);
    u->pw_hash = col_dup(q, 5);
    u->disabled = sqlite3_column_int(q, 6);
    u->created_at = sqlite3_column_int64(q, 7);
    u->updated_at = sqlite3_column_int64(q, 8);
    if (!u->name || !u->pw_hash) {
        bp_user_release(u);
        return BP_ENOMEM;
    }
    return 0;
}

static int user_row(sqlite3_stmt *q, void *item)
{
    return read_user(q, item);
}

static int exists(struct sqlite_store *s, const char *sql, const char *id,
                  const char *field, struct bp_error *err)
{
    sqlite3_stmt *q = NULL;
    int rc = prepare(s, sql, &q, err), step;

    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    step = sqlite3_step(q);
    if (step == SQLITE_DONE)
        rc = bp_error_set_at(err, BP_ENOTFOUND, NULL, 0, field,
                             "no record with id '%.40s'", id);
    else if (step != SQLITE_ROW)
        rc = bp__sqlite_error(s, err, "checking a reference");
    sqlite3_finalize(q);
    return rc;
}

int bp__sqlite_user_put(struct bp_store *st, struct bp_user *u,
                        struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    sqlite3_stmt *q = NULL;
    long long now = (long long)time(NULL);
    int mine = 0, rc, step;

    rc = bp__sqlite_auto_begin(s, &mine, err);
    if (rc)
        return rc;
    if (u->station_id[0]) {
        rc = exists(s, "SELECT 1 FROM station WHERE id = ?1", u->station_id,
                    "station_id", err);
        if (rc)
            goto out;
    }
    if (u->commune_id[0]) {
        rc = exists(s, "SELECT 1 FROM commune WHERE id = ?1", u->commune_id,
                    "commune_id", err);
        if (rc)
            goto out;
    }
    rc = prepare(s, "SELECT 1 FROM app_user WHERE name = ?1 AND id <> ?2", &q,
                 err);
    if (rc)
        goto out;
    sqlite3_bind_text(q, 1, u->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, u->id, -1, SQLITE_STATIC);
    step = sqlite3_step(q);
    sqlite3_finalize(q);
    q = NULL;
    if (step == SQLITE_ROW) {
        rc = bp_error_set_at(err, BP_EEXIST, NULL, 0, "name",
                             "a user named '%s' already exists", u->name);
        goto out;
    }
    rc = prepare(s,
                 "INSERT INTO app_user (id, name, role, station_id, "
                 "commune_id, pw_hash, disabled, created_at, updated_at) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) "
                 "ON CONFLICT (id) DO UPDATE SET name = ?2, role = ?3, "
                 "station_id = ?4, commune_id = ?5, pw_hash = ?6, "
                 "disabled = ?7, updated_at = ?8",
                 &q, err);
    if (rc)
        goto out;
    sqlite3_bind_text(q, 1, u->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, u->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, bp_role_name(u->role), -1, SQLITE_STATIC);
    bind_opt(q, 4, u->station_id);
    bind_opt(q, 5, u->commune_id);
    sqlite3_bind_text(q, 6, u->pw_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 7, u->disabled ? 1 : 0);
    sqlite3_bind_int64(q, 8, now);
    if (sqlite3_step(q) != SQLITE_DONE)
        rc = bp__sqlite_error(s, err, "saving a user");
out:
    sqlite3_finalize(q);
    return bp__sqlite_auto_end(s, mine, rc, err);
}

int bp__sqlite_user_get(struct bp_store *st, const char *ref,
                        struct bp_user *u, struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    sqlite3_stmt *q = NULL;
    int rc, step;

    rc = prepare(s, SEL_USER " WHERE id = lower(?1) OR name = ?1", &q, err);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, ref, -1, SQLITE_STATIC);
    step = sqlite3_step(q);
    if (step == SQLITE_ROW)
        rc = read_user(q, u) ? bp_error_set(err, BP_ENOMEM, "out of memory")
                             : 0;
    else if (step == SQLITE_DONE)
        rc = bp_error_set(err, BP_ENOTFOUND, "no user '%.64s'", ref);
    else
        rc = bp__sqlite_error(s, err, "reading a user");
    sqlite3_finalize(q);
    return rc;
}

int bp__sqlite_user_list(struct bp_store *st, struct bp_user **v, size_t *n,
                         struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    sqlite3_stmt *q = NULL;
    struct rows r = {NULL, 0, 0, sizeof(struct bp_user), 16};
    int rc;

    rc = prepare(s, SEL_USER " ORDER BY name", &q, err);
    if (rc)
        return rc;
    rc = read_rows(s, q, &r, user_row, "listing users", err);
    sqlite3_finalize(q);
    if (rc) {
        bp_store_user_list_free((struct bp_user *)(void *)r.arr, r.len);
        return rc;
    }
    *v = (struct bp_user *)(void *)r.arr;
    *n = r.len;
    return 0;
}

/* ---- tokens ---- */

#define SEL_TOKEN                                                            \
    "SELECT t.id, t.kind, t.hash, t.user_id, t.label, t.created_at, "        \
    "t.expires_at, t.ended_at FROM auth_token t"

static void read_token(sqlite3_stmt *q, struct bp_token *t)
{
    const char *kind = (const char *)sqlite3_column_text(q, 1);

    memset(t, 0, sizeof(*t));
    col_uuid(q, 0, t->id);
    t->kind = kind && !strcmp(kind, "api") ? BP_TOKEN_API : BP_TOKEN_SESSION;
    snprintf(t->hash, sizeof(t->hash), "%s",
             (const char *)sqlite3_column_text(q, 2));
    col_uuid(q, 3, t->user_id);
    t->label = col_dup(q, 4);
    t->created_at = sqlite3_column_int64(q, 5);
    t->expires_at = sqlite3_column_int64(q, 6);
    t->ended_at = sqlite3_column_int64(q, 7);
}

static int token_row(sqlite3_stmt *q, void *item)
{
    read_token(q, item);
    return 0;
}

int bp__sqlite_token_put(struct bp_store *st, struct bp_token *t,
                         struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    sqlite3_stmt *q = NULL;
    int mine = 0, rc, step;

    rc = bp__sqlite_auto_begin(s, &mine, err);
    if (rc)
        return rc;
    rc = exists(s, "SELECT 1 FROM app_user WHERE id = ?1", t->user_id,
                "user_id", err);
    if (rc)
        goto out;
    rc = prepare(s,
                 "INSERT INTO auth_token (id, kind, hash, user_id, label, "
                 "created_at, expires_at, ended_at) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)",
                 &q, err);
    if (rc)
        goto out;
    sqlite3_bind_text(q, 1, t->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, t->kind == BP_TOKEN_API ? "api" : "session", -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(q, 3, t->hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, t->user_id, -1, SQLITE_STATIC);
    bind_opt(q, 5, t->label);
    sqlite3_bind_int64(q, 6, t->created_at);
    sqlite3_bind_int64(q, 7, t->expires_at);
    step = sqlite3_step(q);
    if (step == SQLITE_CONSTRAINT)
        rc = bp_error_set(err, BP_EEXIST, "the token is already stored");
    else if (step != SQLITE_DONE)
        rc = bp__sqlite_error(s, err, "saving a token");
out:
    sqlite3_finalize(q);
    return bp__sqlite_auto_end(s, mine, rc, err);
}

int bp__sqlite_token_find(struct bp_store *st, const char *hash,
                          long long now, struct bp_token *t,
                          struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    sqlite3_stmt *q = NULL;
    int rc, step;

    rc = prepare(s,
                 SEL_TOKEN " JOIN app_user u ON u.id = t.user_id "
                           "WHERE t.hash = ?1 AND t.ended_at = 0 AND "
                           "(t.expires_at = 0 OR t.expires_at > ?2) AND "
                           "u.disabled = 0",
                 &q, err);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, now);
    step = sqlite3_step(q);
    if (step == SQLITE_ROW)
        read_token(q, t);
    else if (step == SQLITE_DONE)
        rc = bp_error_set(err, BP_ENOTFOUND,
                          "no such session or token, or it has expired");
    else
        rc = bp__sqlite_error(s, err, "reading a token");
    sqlite3_finalize(q);
    return rc;
}

int bp__sqlite_token_end(struct bp_store *st, const char *ref,
                         const char *user_id, long long now,
                         struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    sqlite3_stmt *q = NULL;
    int rc;

    rc = prepare(s,
                 "UPDATE auth_token SET ended_at = ?2 WHERE (id = ?1 OR "
                 "hash = ?1) AND ended_at = 0 AND (?3 IS NULL OR "
                 "user_id = ?3)",
                 &q, err);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, ref, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, now ? now : 1);
    bind_opt(q, 3, user_id);
    if (sqlite3_step(q) != SQLITE_DONE)
        rc = bp__sqlite_error(s, err, "ending a token");
    else if (sqlite3_changes(s->db) == 0)
        rc = bp_error_set(err, BP_ENOTFOUND, "no token '%.64s'", ref);
    sqlite3_finalize(q);
    return rc;
}

int bp__sqlite_token_list(struct bp_store *st, const char *user_id,
                          struct bp_token **v, size_t *n,
                          struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    sqlite3_stmt *q = NULL;
    struct rows r = {NULL, 0, 0, sizeof(struct bp_token), 16};
    int rc;

    rc = prepare(s,
                 SEL_TOKEN " WHERE t.kind = 'api' AND (?1 IS NULL OR "
                           "t.user_id = ?1) ORDER BY t.rid DESC",
                 &q, err);
    if (rc)
        return rc;
    bind_opt(q, 1, user_id);
    rc = read_rows(s, q, &r, token_row, "listing tokens", err);
    sqlite3_finalize(q);
    if (rc) {
        bp_store_token_list_free((struct bp_token *)(void *)r.arr, r.len);
        return rc;
    }
    *v = (struct bp_token *)(void *)r.arr;
    *n = r.len;
    return 0;
}

/* ---- audit ---- */

int bp__sqlite_audit_append(struct bp_store *st, struct bp_audit_entry *e,
                            struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    sqlite3_stmt *q = NULL;
    int rc;

    rc = prepare(s,
                 "INSERT INTO audit (at_ms, user_id, user_name, action, kind, "
                 "record_id, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                 "?7, ?8)",
                 &q, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, e->at_ms);
    bind_opt(q, 2, e->user_id);
    bind_opt(q, 3, e->user_name);
    sqlite3_bind_text(q, 4, e->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, e->kind, -1, SQLITE_STATIC);
    bind_opt(q, 6, e->record_id);
    bind_opt(q, 7, e->before);
    bind_opt(q, 8, e->after);
    if (sqlite3_step(q) != SQLITE_DONE)
        rc = bp__sqlite_error(s, err, "writing the audit log");
    else
        e->seq = (long long)sqlite3_last_insert_rowid(s->db);
    sqlite3_finalize(q);
    return rc;
}

static int audit_row(sqlite3_stmt *q, void *item)
{
    struct bp_audit_entry *e = item;

    memset(e, 0, sizeof(*e));
    e->seq = sqlite3_column_int64(q, 0);
    e->at_ms = sqlite3_column_int64(q, 1);
    col_uuid(q, 2, e->user_id);
    e->user_name = col_dup(q, 3);
    e->action = col_dup(q, 4);
    e->kind = col_dup(q, 5);
    e->record_id = col_dup(q, 6);
    e->before = col_dup(q, 7);
    e->after = col_dup(q, 8);
    return !e->action || !e->kind;
}

int bp__sqlite_audit_list(struct bp_store *st, const struct bp_audit_query *qy,
                          struct bp_audit_entry **v, size_t *n,
                          struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    sqlite3_stmt *q = NULL;
    struct rows r = {NULL, 0, 0, sizeof(struct bp_audit_entry), 32};
    int rc;

    rc = prepare(s,
                 "SELECT seq, at_ms, user_id, user_name, action, kind, "
                 "record_id, before, after FROM audit WHERE "
                 "(?1 = 0 OR seq < ?1) AND (?2 IS NULL OR kind = ?2) AND "
                 "(?3 IS NULL OR record_id = ?3) AND (?4 IS NULL OR "
                 "user_id = ?4 OR user_name = ?4) ORDER BY seq DESC LIMIT ?5",
                 &q, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, qy->before_seq);
    bind_opt(q, 2, qy->kind);
    bind_opt(q, 3, qy->record_id);
    bind_opt(q, 4, qy->user);
    sqlite3_bind_int64(q, 5, qy->limit ? (sqlite3_int64)qy->limit : 100);
    rc = read_rows(s, q, &r, audit_row, "reading the audit log", err);
    sqlite3_finalize(q);
    if (rc) {
        bp_store_audit_list_free((struct bp_audit_entry *)(void *)r.arr,
                                 r.len);
        return rc;
    }
    *v = (struct bp_audit_entry *)(void *)r.arr;
    *n = r.len;
    return 0;
}
