/* SPDX-License-Identifier: MIT */
/*
 * Users, tokens and the audit log of struct bp_store: the checks that
 * need no database (names, roles and their scope, hashes) and dispatch to
 * the backend.
 */
#include <ctype.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "store/store_int.h"

static const char *const role_names[] = {"admin", "station", "commune",
                                         "viewer"};

const char *bp_role_name(enum bp_role r)
{
    return (unsigned)r <= BP_ROLE_VIEWER ? role_names[r] : "?";
}

int bp_role_parse(const char *s, enum bp_role *out)
{
    unsigned i;

    for (i = 0; s && i <= BP_ROLE_VIEWER; i++)
        if (!strcmp(s, role_names[i])) {
            *out = (enum bp_role)i;
            return 0;
        }
    return BP_EINVAL;
}

void bp_user_release(struct bp_user *u)
{
    if (!u)
        return;
    bp_free(u->name);
    bp_free(u->pw_hash);
    u->name = u->pw_hash = NULL;
}

void bp_token_release(struct bp_token *t)
{
    if (!t)
        return;
    bp_free(t->label);
    t->label = NULL;
}

void bp_audit_entry_release(struct bp_audit_entry *e)
{
    if (!e)
        return;
    bp_free(e->user_name);
    bp_free(e->action);
    bp_free(e->kind);
    bp_free(e->record_id);
    bp_free(e->before);
    bp_free(e->after);
    memset(e, 0, sizeof(*e));
}

/* An empty id gets a new UUID; a given one must be a UUID (lower-cased). */
static int prepare_id(char *id, struct bp_error *err)
{
    size_t i;

    if (!id[0])
        return bp_uuid_make(id) ? bp_error_set(err, BP_EIO,
                                               "no randomness for a new id")
                                : 0;
    if (!bp_uuid_valid(id))
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "id",
                               "'%.40s' is not a UUID", id);
    for (i = 0; id[i]; i++)
        id[i] = (char)tolower((unsigned char)id[i]);
    return 0;
}

static int name_ok(const char *s)
{
    size_t i;

    if (!s || !*s || strlen(s) > 64)
        return 0;
    for (i = 0; s[i]; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
            return 0;
    return 1;
}

int bp_store_user_put(struct bp_store *st, struct bp_user *u,
                      struct bp_error *err)
{
    struct bp_user r;
    int rc;

    if (!st || !u)
        return bp_error_set(err, BP_EINVAL, "no store or user given");
    r = *u;
    if (!name_ok(r.name))
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "name",
                               "'%.64s' is not a user name: expected 1 to "
                               "64 letters, digits, '.', '_' or '-'",
                               r.name ? r.name : "");
    if ((unsigned)r.role > BP_ROLE_VIEWER)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "role",
                               "user '%s' has an unknown role %d", r.name,
                               (int)r.role);
    if (!r.pw_hash || !*r.pw_hash)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "password",
                               "user '%s' has no password", r.name);
    if (r.role == BP_ROLE_STATION && !r.station_id[0])
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "station_id",
                               "a station user needs a station");
    if (r.role == BP_ROLE_COMMUNE && !r.commune_id[0])
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "commune_id",
                               "a commune user needs a commune");
    /* Scope follows the role: other references are dropped. */
    if (r.role != BP_ROLE_STATION)
        r.station_id[0] = 0;
    if (r.role != BP_ROLE_COMMUNE)
        r.commune_id[0] = 0;
    rc = prepare_id(r.id, err);
    if (!rc)
        rc = st->ops->user_put(st, &r, err);
    if (!rc)
        *u = r;
    return rc;
}

int bp_store_user_get(struct bp_store *st, const char *ref, struct bp_user *u,
                      struct bp_error *err)
{
    struct bp_user tmp;
    int rc;

    if (!st || !ref || !u)
        return bp_error_set(err, BP_EINVAL, "no store or user given");
    rc = st->ops->user_get(st, ref, &tmp, err);
    if (!rc)
        *u = tmp;
    return rc;
}

int bp_store_user_list(struct bp_store *st, struct bp_user **v, size_t *n,
                       struct bp_error *err)
{
    if (!st || !v || !n)
        return bp_error_set(err, BP_EINVAL, "no store or output given");
    return st->ops->user_list(st, v, n, err);
}

void bp_store_user_list_free(struct bp_user *v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++)
        bp_user_release(&v[i]);
    bp_free(v);
}

static int hash_ok(const char *h)
{
    size_t i;

    for (i = 0; i < 64; i++)
        if (!isxdigit((unsigned char)h[i]) || isupper((unsigned char)h[i]))
            return 0;
    return h[64] == 0;
}

int bp_store_token_put(struct bp_store *st, struct bp_token *t,
                       struct bp_error *err)
{
    struct bp_token r;
    int rc;

    if (!st || !t)
        return bp_error_set(err, BP_EINVAL, "no store or token given");
    r = *t;
    if (!hash_ok(r.hash))
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "hash",
                               "a token hash is 64 lower-case hex digits");
    if (!bp_uuid_valid(r.user_id))
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "user_id",
                               "'%.40s' is not a UUID", r.user_id);
    rc = prepare_id(r.id, err);
    if (!rc)
        rc = st->ops->token_put(st, &r, err);
    if (!rc)
        *t = r;
    return rc;
}

int bp_store_token_find(struct bp_store *st, const char *hash, long long now,
                        struct bp_token *t, struct bp_error *err)
{
    struct bp_token tmp;
    int rc;

    if (!st || !hash || !t)
        return bp_error_set(err, BP_EINVAL, "no store or token given");
    rc = st->ops->token_find(st, hash, now, &tmp, err);
    if (!rc)
        *t = tmp;
    return rc;
}

int bp_store_token_end(struct bp_store *st, const char *ref,
                       const char *user_id, long long now,
                       struct bp_error *err)
{
    if (!st || !ref)
        return bp_error_set(err, BP_EINVAL, "no store or token given");
    return st->ops->token_end(st, ref, user_id, now, err);
}

int bp_store_token_list(struct bp_store *st, const char *user_id,
                        struct bp_token **v, size_t *n, struct bp_error *err)
{
    if (!st || !v || !n)
        return bp_error_set(err, BP_EINVAL, "no store or output given");
    return st->ops->token_list(st, user_id, v, n, err);
}

void bp_store_token_list_free(struct bp_token *v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++)
        bp_token_release(&v[i]);
    bp_free(v);
}

int bp_store_audit_append(struct bp_store *st, struct bp_audit_entry *e,
                          struct bp_error *err)
{
    if (!st || !e || !e->action || !*e->action || !e->kind || !*e->kind)
        return bp_error_set(err, BP_EINVAL,
                            "an audit entry needs an action and a kind");
    return st->ops->audit_append(st, e, err);
}

int bp_store_audit_list(struct bp_store *st, const struct bp_audit_query *q,
                        struct bp_audit_entry **v, size_t *n,
                        struct bp_error *err)
{
    struct bp_audit_query none = {0};

    if (!st || !v || !n)
        return bp_error_set(err, BP_EINVAL, "no store or output given");
    return st->ops->audit_list(st, q ? q : &none, v, n, err);
}

void bp_store_audit_list_free(struct bp_audit_entry *v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++)
        bp_audit_entry_release(&v[i]);
    bp_free(v);
}
