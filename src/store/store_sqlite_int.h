/* SPDX-License-Identifier: MIT */
/*
 * What the SQLite backend's files share: the handle, with its cache of
 * prepared statements, and the helpers for errors and transactions.
 */
#ifndef BP_STORE_SQLITE_INT_H
#define BP_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "store/store_int.h"

/* Cached statements of store_sqlite_registry.c; see its sql[] table. */
#define BP__SQLITE_NSTMT 64
/* Cached statements of store_sqlite_list.c. */
#define BP__SQLITE_NLIST 32

struct sqlite_store {
    struct bp_store base;
    sqlite3 *db;
    int in_tx;
    unsigned long long border_saves; /* saves and rollbacks here */
    unsigned long long data_version; /* PRAGMA data_version + 1, 0: unread */
    sqlite3_stmt *stmts[BP__SQLITE_NSTMT]; /* prepared once, reused */
    int cov_funcs;  /* the coverage load's SQL functions are registered */
    /* List pages (store_sqlite_list.c): their SQL varies with the query,
     * so they are cached by text in these slots; bp_fold() registered. */
    sqlite3_stmt *list_stmts[BP__SQLITE_NLIST];
    int list_funcs;
    void *cov_fill; /* what they fill, during a coverage load */
    /* Indexes set aside in a bulk transaction: their CREATE statements, run
     * again just before COMMIT; NULL when none. */
    char *bulk_sql;
    /* The open transaction is a bulk one (bp_store_begin_bulk with
     * many records): foreign keys off, no checkpoint at the commit. */
    int bulk;
    int batch_put; /* inside a batch put, the bulk transaction's writes */
    /* A bulk transaction's memory of what its batch puts looked up, and
     * of the custodians the last one inserted, by id, so the pledges of
     * an import find their rowids without a query (store_sqlite_
     * registry.c); emptied by commit, rollback and a failed batch. NULL
     * when none. */
    struct batch *made;
};

/* BP_ESTORE with "what: sqlite's message". */
int bp__sqlite_error(struct sqlite_store *s, struct bp_error *err,
                     const char *what);
/* Run a write as its own transaction unless the caller opened one. */
int bp__sqlite_auto_begin(struct sqlite_store *s, int *mine,
                          struct bp_error *err);
int bp__sqlite_auto_end(struct sqlite_store *s, int mine, int rc,
                        struct bp_error *err);
/* In a bulk transaction: set the secondary indexes aside when `n` is
 * large next to the tables (store_sqlite_registry.c); the commit builds
 * them again (bp__sqlite_bulk_restore), a rollback brings them back. */
int bp__sqlite_bulk_set_aside(struct sqlite_store *s, size_t n,
                              struct bp_error *err);
int bp__sqlite_bulk_restore(struct sqlite_store *s, struct bp_error *err);
/* Forget the custodians remembered in s->made. */
void bp__sqlite_made_clear(struct sqlite_store *s);
/* Finalize the cached statements (on close). */
void bp__sqlite_stmts_finalize(struct sqlite_store *s);

/* The registry operations (store_sqlite_registry.c). */
int bp__sqlite_put(struct bp_store *st, enum bp__rec_kind k, void *rec,
                   double length_m, struct bp_error *err);
int bp__sqlite_put_many(struct bp_store *st, enum bp__rec_kind k, void *v,
                        size_t n, const unsigned char *fresh,
                        double length_m, struct bp_error *err);
int bp__sqlite_get(struct bp_store *st, enum bp__rec_kind k, const char *ref,
                   void *rec, struct bp_error *err);
int bp__sqlite_list(struct bp_store *st, enum bp__rec_kind k, void **v,
                    size_t *n, struct bp_error *err);
/* The SELECT that get and list read records of kind `k` with ("SELECT
 * <columns> FROM <table> <alias> <joins>"), the size of the record, and
 * reading the current row of a statement made from it into `rec` (0 or
 * BP_ENOMEM; nothing to release on failure). */
const char *bp__sqlite_record_select(enum bp__rec_kind k);
size_t bp__sqlite_record_size(enum bp__rec_kind k);
int bp__sqlite_record_read(enum bp__rec_kind k, sqlite3_stmt *q, void *rec);
/* A page of a list (store_sqlite_list.c), and finalizing its cached
 * statements (on close). */
int bp__sqlite_page(struct bp_store *st, enum bp__rec_kind k,
                    const struct bp_list_query *query, void **v, size_t *n,
                    struct bp_list_page *page, struct bp_error *err);
void bp__sqlite_list_finalize(struct sqlite_store *s);
int bp__sqlite_end(struct bp_store *st, enum bp__rec_kind k, const char *id,
                   int32_t day, struct bp_error *err);
int bp__sqlite_set_measures(struct bp_store *st, enum bp__rec_kind k,
                            const char *id, double a, double b,
                            struct bp_error *err);
int bp__sqlite_custodian_search(struct bp_store *st, const char *fold,
                                size_t limit, struct bp_custodian **v,
                                size_t *n, struct bp_error *err);
int bp__sqlite_cov_load(struct bp_store *st, struct bp_cov_input *in,
                        struct bp_cov_hold *hold, struct bp_error *err);
unsigned long long bp__sqlite_border_generation(struct bp_store *st);

#endif
