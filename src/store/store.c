/* SPDX-License-Identifier: MIT */
/*
 * struct bp_store: choose a backend for a location and dispatch to it.
 */
#include <string.h>

#include "bienphong/alloc.h"
#include "store/store_int.h"

int bp_store_open(const char *location, struct bp_store **out,
                  struct bp_error *err)
{
    if (!location || !*location || !out)
        return bp_error_set(err, BP_EINVAL, "no database location given");
    if (!strncmp(location, "postgresql://", 13) ||
        !strncmp(location, "postgres://", 11))
        return bp_error_set(err, BP_EINVAL,
                            "'%s': the PostgreSQL backend is not built yet",
                            location);
    return bp__store_sqlite_open(location, out, err);
}

void bp_store_close(struct bp_store *st)
{
    if (!st)
        return;
    bp_border_free(st->border);
    st->border = NULL;
    st->ops->close(st);
}

int bp_store_schema_version(struct bp_store *st)
{
    return st->ops->schema_version(st);
}

int bp_store_begin(struct bp_store *st, struct bp_error *err)
{
    return st->ops->begin(st, err);
}

int bp_store_commit(struct bp_store *st, struct bp_error *err)
{
    return st->ops->commit(st, err);
}

void bp_store_rollback(struct bp_store *st)
{
    st->ops->rollback(st);
}

void bp_border_record_release(struct bp_border_record *rec)
{
    if (!rec)
        return;
    bp_free(rec->name);
    bp_free(rec->source);
    bp_free(rec->pts);
    bp_free(rec->calib);
    memset(rec, 0, sizeof(*rec));
}

int bp_store_border_save(struct bp_store *st,
                         const struct bp_border_record *rec,
                         struct bp_error *err)
{
    if (!st || !rec || !rec->pts || rec->n < 2)
        return bp_error_set(err, BP_EINVAL, "no border line to save");
    return st->ops->border_save(st, rec, err);
}

int bp_store_border_load(struct bp_store *st, struct bp_border_record *rec,
                         struct bp_error *err)
{
    if (!st || !rec)
        return bp_error_set(err, BP_EINVAL, "no store or record");
    return st->ops->border_load(st, rec, err);
}

int bp_store_border_get(struct bp_store *st, struct bp_border **out,
                        struct bp_error *err)
{
    struct bp_border_record rec = {0};
    struct bp_border_opts opts = {0};
    int rc;

    rc = bp_store_border_load(st, &rec, err);
    if (rc)
        goto out;
    /* Stored vertices are already in measure order. */
    opts.start = BP_START_AS_GIVEN;
    opts.home = rec.home;
    opts.official_m = rec.official_m;
    opts.calib = rec.calib;
    opts.ncalib = rec.ncalib;
    rc = bp_border_new(rec.pts, rec.n, &opts, out, err);
out:
    bp_border_record_release(&rec);
    return rc;
}

int bp__store_border_cached(struct bp_store *st, const struct bp_border **out,
                            struct bp_error *err)
{
    unsigned long long gen = st->ops->border_generation(st);
    struct bp_border *b = NULL;
    int rc;

    if (st->border && st->border_gen == gen) {
        *out = st->border;
        return 0;
    }
    rc = bp_store_border_get(st, &b, err);
    if (rc)
        return rc;
    bp_border_free(st->border);
    st->border = b;
    st->border_gen = gen;
    *out = b;
    return 0;
}
