/* SPDX-License-Identifier: MIT */
/*
 * The store's records for the server: users with their roles, login
 * sessions and API tokens (kept only as hashes of the secret), and the
 * append-only audit log of every change. Included by store.h.
 *
 *     struct bp_user u = {0};
 *     u.name = "admin"; u.role = BP_ROLE_ADMIN; u.pw_hash = hash;
 *     bp_store_user_put(st, &u, &err);           // u.id filled
 */
#ifndef BIENPHONG_STORE_AUTH_H
#define BIENPHONG_STORE_AUTH_H

#include <stddef.h>

#include "bienphong/error.h"
#include "bienphong/registry.h"

struct bp_store;

/** What a user may do (DESIGN.md, "Users and roles"). */
enum bp_role {
    BP_ROLE_ADMIN = 0, /* provincial command: everything */
    BP_ROLE_STATION,   /* a station's officers: the communes it covers */
    BP_ROLE_COMMUNE,   /* a commune's officials: that commune */
    BP_ROLE_VIEWER     /* aggregates and maps, no personal data */
};

/** Code name of a role ("admin", ...); "?" for a bad value. */
const char *bp_role_name(enum bp_role r);
/** Parse a code name. 0 or BP_EINVAL (`*out` untouched). */
int bp_role_parse(const char *s, enum bp_role *out);

struct bp_user {
    bp_uuid id;
    char *name;         /* owned; login name, unique */
    enum bp_role role;
    bp_uuid station_id; /* station users: their station; else "" */
    bp_uuid commune_id; /* commune users: their commune; else "" */
    char *pw_hash;      /* owned; crypto_pwhash_str() text */
    int disabled;       /* 1: may not log in, tokens refused */
    long long created_at, updated_at; /* Unix seconds UTC; set by the store */
};

/** Free the owned strings; the struct is the caller's. */
void bp_user_release(struct bp_user *u);

/**
 * Insert, or update the user with the same id (an empty id gets a new
 * UUID, written back). Needs a name (letters, digits, '.', '_', '-', at
 * most 64 bytes), a password hash, a valid role; station users need a
 * station, commune users a commune (they must exist: BP_ENOTFOUND naming
 * the field). BP_EEXIST naming "name" when another user has the name;
 * BP_EINVAL naming the field for the rest; BP_ESTORE, BP_ENOMEM.
 */
int bp_store_user_put(struct bp_store *st, struct bp_user *u,
                      struct bp_error *err);
/** Fill caller's `u` (release with bp_user_release()) by id or name.
 *  BP_ENOTFOUND. */
int bp_store_user_get(struct bp_store *st, const char *ref, struct bp_user *u,
                      struct bp_error *err);
/** Every user, by name; free with bp_store_user_list_free(). */
int bp_store_user_list(struct bp_store *st, struct bp_user **v, size_t *n,
                       struct bp_error *err);
void bp_store_user_list_free(struct bp_user *v, size_t n);

/** A login session or an API token: a secret known only by its hash. */
enum bp_token_kind { BP_TOKEN_SESSION = 0, BP_TOKEN_API };

struct bp_token {
    bp_uuid id;
    enum bp_token_kind kind;
    char hash[65];      /* lower-case hex of a 32-byte hash of the secret */
    bp_uuid user_id;
    char *label;        /* owned; API tokens: what it is for; may be NULL */
    long long created_at;
    long long expires_at; /* Unix seconds; 0: never */
    long long ended_at;   /* 0 while valid; logout or revocation time */
};

void bp_token_release(struct bp_token *t);

/** Store a new token (`t->id` empty gets a UUID). The user must exist.
 *  BP_EEXIST when the hash is taken; BP_ENOTFOUND, BP_ESTORE. */
int bp_store_token_put(struct bp_store *st, struct bp_token *t,
                       struct bp_error *err);
/**
 * Find the valid token with `hash` at time `now`: not ended, not expired,
 * its user not disabled. Fills caller's `t` (bp_token_release()).
 * BP_ENOTFOUND otherwise (one message for every reason).
 */
int bp_store_token_find(struct bp_store *st, const char *hash, long long now,
                        struct bp_token *t, struct bp_error *err);
/** End the token with id or hash `ref` at `now`; when `user_id` is not
 *  NULL it must be the token's user. BP_ENOTFOUND. */
int bp_store_token_end(struct bp_store *st, const char *ref,
                       const char *user_id, long long now,
                       struct bp_error *err);
/** The API tokens of `user_id` (NULL: everyone's), newest first. */
int bp_store_token_list(struct bp_store *st, const char *user_id,
                        struct bp_token **v, size_t *n, struct bp_error *err);
void bp_store_token_list_free(struct bp_token *v, size_t n);

/**
 * One entry of the audit log. `before` and `after` are JSON text of the
 * record (NULL when there is none: a creation has no before).
 */
struct bp_audit_entry {
    long long seq;     /* assigned by the store, increasing */
    long long at_ms;   /* Unix milliseconds UTC */
    bp_uuid user_id;   /* "" for the command line */
    char *user_name;   /* owned; may be NULL */
    char *action;      /* owned; "create", "update", "end", "import", ... */
    char *kind;        /* owned; record kind, plural noun: "pledges" */
    char *record_id;   /* owned; may be NULL */
    char *before;      /* owned; JSON; may be NULL */
    char *after;       /* owned; JSON; may be NULL */
};

void bp_audit_entry_release(struct bp_audit_entry *e);

/**
 * Append `e` (borrowed; action and kind required) to the audit log,
 * inside the caller's transaction when one is open. Sets e->seq. The log
 * cannot be changed or shortened afterwards: the database refuses UPDATE
 * and DELETE of its rows. BP_EINVAL, BP_ESTORE, BP_ENOMEM.
 */
int bp_store_audit_append(struct bp_store *st, struct bp_audit_entry *e,
                          struct bp_error *err);

/** Which entries to read; zero means no filter. */
struct bp_audit_query {
    long long before_seq; /* only entries with seq < this (0: none) */
    size_t limit;         /* at most this many (0: 100) */
    const char *kind;     /* only this record kind */
    const char *record_id;
    const char *user;     /* user id or name */
};

/** Entries newest first; free with bp_store_audit_list_free(). */
int bp_store_audit_list(struct bp_store *st, const struct bp_audit_query *q,
                        struct bp_audit_entry **v, size_t *n,
                        struct bp_error *err);
void bp_store_audit_list_free(struct bp_audit_entry *v, size_t n);

#endif
