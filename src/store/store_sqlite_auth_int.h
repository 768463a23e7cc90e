/* SPDX-License-Identifier: MIT */
/*
 * The SQLite backend's operations for users, tokens and the audit log
 * (store_sqlite_auth.c), set in the ops table of store_sqlite.c.
 */
#ifndef BP_STORE_SQLITE_AUTH_INT_H
#define BP_STORE_SQLITE_AUTH_INT_H

#include "store/store_int.h"

int bp__sqlite_user_put(struct bp_store *st, struct bp_user *u,
                        struct bp_error *err);
int bp__sqlite_user_get(struct bp_store *st, const char *ref,
                        struct bp_user *u, struct bp_error *err);
int bp__sqlite_user_list(struct bp_store *st, struct bp_user **v, size_t *n,
                         struct bp_error *err);
int bp__sqlite_token_put(struct bp_store *st, struct bp_token *t,
                         struct bp_error *err);
int bp__sqlite_token_find(struct bp_store *st, const char *hash,
                          long long now, struct bp_token *t,
                          struct bp_error *err);
int bp__sqlite_token_end(struct bp_store *st, const char *ref,
                         const char *user_id, long long now,
                         struct bp_error *err);
int bp__sqlite_token_list(struct bp_store *st, const char *user_id,
                          struct bp_token **v, size_t *n,
                          struct bp_error *err);
int bp__sqlite_audit_append(struct bp_store *st, struct bp_audit_entry *e,
                            struct bp_error *err);
int bp__sqlite_audit_list(struct bp_store *st, const struct bp_audit_query *q,
                          struct bp_audit_entry **v, size_t *n,
                          struct bp_error *err);

#endif
