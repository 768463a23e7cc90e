/* SPDX-License-Identifier: MIT */
/*
 * The backend interface behind struct bp_store. Each backend fills a
 * table of operations; store.c and store_registry.c dispatch to it and do
 * the checks that need no database, so a backend only reads and writes.
 */
#ifndef BP_STORE_INT_H
#define BP_STORE_INT_H

#include "bienphong/store.h"

/* The registry's record kinds, for the generic record operations. */
enum bp__rec_kind {
    BP__STATION = 0,
    BP__COMMUNE,
    BP__VILLAGE,
    BP__MARKER,
    BP__CUSTODIAN,
    BP__PLEDGE,
    BP__NKINDS
};

struct bp_store_ops {
    const char *name;
    void (*close)(struct bp_store *st);
    int (*schema_version)(struct bp_store *st);
    int (*begin)(struct bp_store *st, struct bp_error *err);
    int (*commit)(struct bp_store *st, struct bp_error *err);
    void (*rollback)(struct bp_store *st);
    /* 1 while a caller's transaction is open. */
    int (*in_tx)(struct bp_store *st);
    int (*border_save)(struct bp_store *st,
                       const struct bp_border_record *rec,
                       struct bp_error *err);
    int (*border_load)(struct bp_store *st, struct bp_border_record *rec,
                       struct bp_error *err);
    /* A number that changes whenever the stored border may have changed
     * (a save or rollback here, a commit by another connection). */
    unsigned long long (*border_generation)(struct bp_store *st);
    /*
     * Registry records; `rec` and the list elements are the struct of the
     * kind (struct bp_station, ...). put: the record is already checked
     * for what needs no database and has a valid id (lower case); the
     * backend resolves references and marker anchors, checks uniqueness
     * and, when `length_m` >= 0, that stretches lie in [0, length_m].
     */
    int (*put)(struct bp_store *st, enum bp__rec_kind k, void *rec,
               double length_m, struct bp_error *err);
    /* `n` checked records of kind `k` (custodians, pledges) as put would,
     * all or none even inside a caller's transaction; `fresh[i]` (may be
     * NULL) when record i's id was just made. err->row: 1-based index. */
    int (*put_many)(struct bp_store *st, enum bp__rec_kind k, void *v,
                    size_t n, const unsigned char *fresh, double length_m,
                    struct bp_error *err);
    /* bp_store_begin_bulk; NULL: begin does. */
    int (*begin_bulk)(struct bp_store *st, size_t n, struct bp_error *err);
    /* bp_store_checkpoint; NULL: nothing to do. */
    int (*checkpoint)(struct bp_store *st, struct bp_error *err);
    int (*get)(struct bp_store *st, enum bp__rec_kind k, const char *ref,
               void *rec, struct bp_error *err);
    int (*list)(struct bp_store *st, enum bp__rec_kind k, void **v,
                size_t *n, struct bp_error *err);
    /* A page of a list (bp_store_R_page); the query is checked: limit
     * 1..BP_LIST_LIMIT_MAX. */
    int (*page)(struct bp_store *st, enum bp__rec_kind k,
                const struct bp_list_query *query, void **v, size_t *n,
                struct bp_list_page *page, struct bp_error *err);
    int (*end)(struct bp_store *st, enum bp__rec_kind k, const char *id,
               int32_t day, struct bp_error *err);
    /* Re-survey writes: markers (measure_m, offset_m), communes and
     * pledges (from_m, to_m). */
    int (*set_measures)(struct bp_store *st, enum bp__rec_kind k,
                        const char *id, double a, double b,
                        struct bp_error *err);
    /* `fold` is the folded query (bp_text_fold). */
    int (*custodian_search)(struct bp_store *st, const char *fold,
                            size_t limit, struct bp_custodian **v,
                            size_t *n, struct bp_error *err);
    /* Everything but in->length_m. */
    int (*cov_load)(struct bp_store *st, struct bp_cov_input *in,
                    struct bp_cov_hold *hold, struct bp_error *err);
    /* Users, tokens and the audit log (store_auth.h); the record is
     * checked, ids are set. */
    int (*user_put)(struct bp_store *st, struct bp_user *u,
                    struct bp_error *err);
    int (*user_get)(struct bp_store *st, const char *ref, struct bp_user *u,
                    struct bp_error *err);
    int (*user_list)(struct bp_store *st, struct bp_user **v, size_t *n,
                     struct bp_error *err);
    int (*token_put)(struct bp_store *st, struct bp_token *t,
                     struct bp_error *err);
    int (*token_find)(struct bp_store *st, const char *hash, long long now,
                      struct bp_token *t, struct bp_error *err);
    int (*token_end)(struct bp_store *st, const char *ref,
                     const char *user_id, long long now,
                     struct bp_error *err);
    int (*token_list)(struct bp_store *st, const char *user_id,
                      struct bp_token **v, size_t *n, struct bp_error *err);
    int (*audit_append)(struct bp_store *st, struct bp_audit_entry *e,
                        struct bp_error *err);
    int (*audit_list)(struct bp_store *st, const struct bp_audit_query *q,
                      struct bp_audit_entry **v, size_t *n,
                      struct bp_error *err);
    /* Patrols, tracks, inspections, incidents (store_patrol_int.h). */
    const struct bp__patrol_ops *patrol;
    /* The campaign's records (store_campaign_int.h). */
    const struct bp__camp_ops *campaign;
};

/* Every backend's handle starts with this. */
struct bp_store {
    const struct bp_store_ops *ops;
    struct bp_border *border;      /* built stored border, or NULL */
    unsigned long long border_gen; /* generation `border` was built at */
};

int bp__store_sqlite_open(const char *path, struct bp_store **out,
                          struct bp_error *err);

/*
 * The stored border, built, cached in the handle until it changes.
 * Borrowed: valid until the next store call. BP_ENOTFOUND when none.
 */
int bp__store_border_cached(struct bp_store *st, const struct bp_border **out,
                            struct bp_error *err);

/* Free a list of records of kind `k` (bp_store_R_list_free). */
void bp__store_list_free(enum bp__rec_kind k, void *v, size_t n);

/*
 * Record checks shared by the record APIs (store_registry.c). Each returns
 * 0 or BP_EINVAL/BP_EIO with the message set.
 * prepare_id: an empty `id` (a bp_uuid buffer) gets a new UUID; a given
 * one must be a UUID and is lower-cased in place.
 * need_text: `s` is non-empty ("a <what> needs a <field>").
 * need_store: `st` and `rec` are given.
 */
int bp__store_prepare_id(char *id, struct bp_error *err);
int bp__store_need_text(const char *s, const char *field, const char *what,
                        struct bp_error *err);
int bp__store_need_store(struct bp_store *st, const void *rec,
                         struct bp_error *err);
/* bp__store_border_cached, with BP_ENOTFOUND saying to import one. */
int bp__store_border_needed(struct bp_store *st, const struct bp_border **b,
                            struct bp_error *err);

#endif
