/* SPDX-License-Identifier: MIT */
/*
 * The policy: the one place that says who may do what. The router asks
 * it for every route, the record handlers for every record they read,
 * list or change, and the writers of JSON whether personal data may be
 * shown.
 *
 *   admin    everything
 *   station  records of the communes its station covers; reference
 *            records (stations, communes, markers) read-only
 *   commune  records of its commune; reference records read-only
 *   viewer   aggregates, maps and reference records; never a person
 */
#include <string.h>

#include "bienphong/alloc.h"
#include "server/server_int.h"

unsigned bp__policy_route(const struct principal *who, enum perm perm)
{
    if (perm == PERM_PUBLIC)
        return 0;
    if (!who->authed)
        return 401;
    switch (perm) {
    case PERM_VIEW:
        return 0;
    case PERM_RECORDS:
        return who->role == BP_ROLE_VIEWER ? 403 : 0;
    case PERM_ADMIN:
        return who->role == BP_ROLE_ADMIN ? 0 : 403;
    default:
        return 403;
    }
}

static int in_scope(const struct principal *who, const char *commune_id)
{
    size_t i;

    for (i = 0; commune_id && *commune_id && i < who->ncommunes; i++)
        if (!strcmp(who->communes[i], commune_id))
            return 1;
    return 0;
}

unsigned bp__policy_record(const struct principal *who, int kind_scoped,
                           int admin_only_write, const char *commune_id,
                           int write)
{
    if (!who->authed)
        return 401;
    if (who->role == BP_ROLE_ADMIN)
        return 0;
    if (!kind_scoped) {
        /* Reference records: everyone reads, admins change. */
        if (!write)
            return 0;
        return 403;
    }
    if (who->role == BP_ROLE_VIEWER)
        return 403;
    /* Another commune's record does not exist for this user. */
    if (!in_scope(who, commune_id))
        return 404;
    if (write && admin_only_write)
        return 403;
    return 0;
}

unsigned bp__policy_multi(const struct principal *who,
                          const char *const *communes, size_t n, int write)
{
    size_t i, inside = 0;

    if (!who->authed)
        return 401;
    if (who->role == BP_ROLE_ADMIN)
        return 0;
    if (who->role == BP_ROLE_VIEWER)
        return 403;
    for (i = 0; i < n; i++)
        inside += (size_t)in_scope(who, communes[i]);
    if (!inside)
        return 404;
    return write && inside < n ? 403 : 0;
}

unsigned bp__policy_campaign(const struct principal *who, int local_write,
                             const char *commune_id, int write)
{
    if (!who->authed)
        return 401;
    if (who->role == BP_ROLE_ADMIN)
        return 0;
    if (who->role == BP_ROLE_VIEWER)
        return 403;
    if (!write)
        return 0;
    if (!local_write)
        return 403;
    if (!commune_id)
        return 0;
    return in_scope(who, commune_id) ? 0 : 403;
}

int bp__policy_personal(const struct principal *who)
{
    return who->authed && who->role != BP_ROLE_VIEWER;
}

void bp__principal_release(struct principal *who)
{
    bp_free(who->communes);
    who->communes = NULL;
    who->ncommunes = 0;
}

int bp__principal_copy(struct principal *dst, const struct principal *src)
{
    *dst = *src;
    dst->communes = NULL;
    if (src->ncommunes) {
        dst->communes = bp_calloc(src->ncommunes, sizeof(bp_uuid));
        if (!dst->communes) {
            dst->ncommunes = 0;
            return BP_ENOMEM;
        }
        memcpy(dst->communes, src->communes,
               src->ncommunes * sizeof(bp_uuid));
    }
    return 0;
}

int bp__policy_scope(struct bp_store *st, struct principal *who,
                     struct bp_error *err)
{
    struct bp_commune *c = NULL;
    size_t n = 0, i;
    int rc = 0;

    bp__principal_release(who);
    if (who->role == BP_ROLE_COMMUNE) {
        who->communes = bp_calloc(1, sizeof(bp_uuid));
        if (!who->communes)
            return bp_error_set(err, BP_ENOMEM, "out of memory");
        memcpy(who->communes[0], who->commune_id, sizeof(bp_uuid));
        who->ncommunes = 1;
        return 0;
    }
    if (who->role != BP_ROLE_STATION)
        return 0;
    rc = bp_store_commune_list(st, &c, &n, err);
    if (rc)
        return rc;
    who->communes = bp_calloc(n ? n : 1, sizeof(bp_uuid));
    if (!who->communes) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < n; i++)
        if (!strcmp(c[i].station_id, who->station_id))
            memcpy(who->communes[who->ncommunes++], c[i].id,
                   sizeof(bp_uuid));
out:
    bp_store_commune_list_free(c, n);
    return rc;
}
