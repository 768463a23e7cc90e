/* SPDX-License-Identifier: MIT */
/*
 * Patrols in the store: the checks that need no database, placing
 * inspections and incidents with the stored border and markers, and the
 * import of a track (walk, quality, duplicate and replay detection,
 * marker visits) before the backend writes it.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/buf.h"
#include "bienphong/date.h"
#include "store/store_patrol_int.h"

#define OPS(st) ((st)->ops->patrol)

static int need(struct bp_store *st, const void *p, struct bp_error *err)
{
    if (st && p && st->ops->patrol)
        return 0;
    return bp_error_set(err, BP_EINVAL, "no store or record given");
}

static int prepare_id(char *id, struct bp_error *err)
{
    size_t i;

    if (!id[0]) {
        if (bp_uuid_make(id))
            return bp_error_set(err, BP_EIO, "no randomness for a new id");
        return 0;
    }
    if (!bp_uuid_valid(id))
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "id",
                               "'%.40s' is not a UUID", id);
    for (i = 0; id[i]; i++)
        id[i] = (char)tolower((unsigned char)id[i]);
    return 0;
}

void bp_patrol_release(struct bp_patrol *p)
{
    if (!p)
        return;
    bp_free(p->leader);
    bp_free(p->officers);
    bp_free(p->note);
    bp_free(p->custodians);
    memset(p, 0, sizeof(*p));
}

void bp_track_info_release(struct bp_track_info *t)
{
    if (!t)
        return;
    bp_free(t->file);
    bp_free(t->flag_note);
    memset(t, 0, sizeof(*t));
}

void bp_inspection_release(struct bp_inspection *r)
{
    if (!r)
        return;
    bp_free(r->inspectors);
    bp_free(r->photo);
    bp_free(r->note);
    memset(r, 0, sizeof(*r));
}

void bp_incident_release(struct bp_incident *r)
{
    if (!r)
        return;
    bp_free(r->description);
    bp_free(r->resolution);
    memset(r, 0, sizeof(*r));
}

void bp_incident_events_free(struct bp_incident_event *v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++)
        bp_free(v[i].note);
    bp_free(v);
}

int bp_store_patrol_put(struct bp_store *st, struct bp_patrol *p,
                        struct bp_error *err)
{
    struct bp_patrol r;
    int rc;

    if ((rc = need(st, p, err)))
        return rc;
    r = *p;
    if (r.day == BP_DATE_NONE)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "day",
                               "a patrol needs a date");
    if ((unsigned)r.kind > BP_PATROL_BILATERAL)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "kind",
                               "unknown patrol kind %d", (int)r.kind);
    rc = prepare_id(r.id, err);
    if (!rc)
        rc = OPS(st)->patrol_put(st, &r, err);
    if (!rc)
        memcpy(p->id, r.id, sizeof(r.id));
    return rc;
}

int bp_store_patrol_get(struct bp_store *st, const char *id,
                        struct bp_patrol *p, struct bp_error *err)
{
    int rc = need(st, p, err);
    return rc ? rc : OPS(st)->patrol_get(st, id ? id : "", p, err);
}

int bp_store_patrol_list(struct bp_store *st, int32_t from_day,
                         int32_t to_day, struct bp_patrol **v, size_t *n,
                         struct bp_error *err)
{
    int rc = need(st, v, err);
    return rc ? rc : OPS(st)->patrol_list(st, from_day, to_day, v, n, err);
}

void bp_store_patrol_list_free(struct bp_patrol *v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++)
        bp_patrol_release(&v[i]);
    bp_free(v);
}

int bp_store_patrol_approve(struct bp_store *st, const char *id,
                            const char *by, size_t *napproved,
                            struct bp_error *err)
{
    size_t n = 0;
    int rc = need(st, id, err);

    if (!rc)
        rc = OPS(st)->approve(st, id, by, &n, err);
    if (!rc && napproved)
        *napproved = n;
    return rc;
}

int bp_store_track_list(struct bp_store *st, const char *patrol_id,
                        struct bp_track_info **v, size_t *n,
                        struct bp_error *err)
{
    int rc = need(st, v, err);
    return rc ? rc : OPS(st)->track_list(st, patrol_id, v, n, err);
}

void bp_store_track_list_free(struct bp_track_info *v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++)
        bp_track_info_release(&v[i]);
    bp_free(v);
}

int bp_store_track_load(struct bp_store *st, const char *track_id,
                        struct bp_track *t, struct bp_error *err)
{
    int rc = need(st, t, err);
    return rc ? rc : OPS(st)->track_load(st, track_id ? track_id : "", t, err);
}

int bp_store_patrol_spans(struct bp_store *st, const char *patrol_id,
                          int counted_only, struct bp_spanset *out,
                          struct bp_error *err)
{
    int rc = need(st, out, err);
    return rc ? rc
              : OPS(st)->patrol_spans(st, patrol_id ? patrol_id : "",
                                      counted_only, out, err);
}

int bp_store_track_find(struct bp_store *st, uint64_t hash, bp_uuid track_id,
                        bp_uuid patrol_id, struct bp_error *err)
{
    int rc = need(st, st, err);
    return rc ? rc
              : OPS(st)->track_find(st, BP__HASH_CONTENT, hash, track_id,
                                    patrol_id, err);
}

/* Describe the flags, "; "-separated, in Vietnamese. */
static int flag_note(const struct bp_quality *q, struct bp_buf *b)
{
    char line[200];
    int bit, rc = 0;

    for (bit = 0; bit < BP_TQ_NFLAGS && !rc; bit++) {
        if (!(q->flags & (1u << bit)))
            continue;
        if (b->len)
            rc = bp_buf_adds(b, "; ");
        if (!rc)
            rc = bp_buf_addf(b, "%s: %s", bp_tq_vi(bit),
                             bp_tq_describe(q, bit, BP_LANG_VI, line,
                                            sizeof(line)));
    }
    return rc;
}

static int record_visits(struct bp_store *st, const char *patrol_id,
                         int32_t day, const char *track_id,
                         const struct bp_track *t, double radius_m,
                         size_t *nvisits, struct bp_error *err)
{
    bp_uuid *ids = NULL;
    struct bp_lonlat *pts = NULL;
    struct bp_visit *v = NULL;
    size_t n = 0, nv = 0, i;
    int rc;

    rc = OPS(st)->marker_positions(st, &ids, &pts, &n, err);
    if (rc)
        goto out;
    rc = bp_marker_visits(pts, n, t->fix, t->n, radius_m, &v, &nv);
    if (rc) {
        rc = bp_error_set(err, rc, "out of memory finding marker visits");
        goto out;
    }
    for (i = 0; i < nv && !rc; i++) {
        struct bp_inspection in;
        const struct bp_fix *f = &t->fix[v[i].fix];

        memset(&in, 0, sizeof(in));
        snprintf(in.marker, sizeof(in.marker), "%s", ids[v[i].marker]);
        in.day = f->time_ms != BP_TIME_NONE
                     ? bp_date_of_instant(f->time_ms / 1000)
                     : day;
        in.condition = BP_COND_VISIT;
        in.lon = f->lon;
        in.lat = f->lat;
        snprintf(in.patrol_id, sizeof(in.patrol_id), "%s", patrol_id);
        rc = bp_uuid_make(in.id) ? BP_EIO : 0;
        if (!rc)
            rc = OPS(st)->inspection_add(st, &in, radius_m, track_id, err);
    }
    *nvisits = nv;
out:
    bp_free(ids);
    bp_free(pts);
    bp_free(v);
    return rc;
}

int bp_store_track_import(struct bp_store *st, const char *patrol_id,
                          const struct bp_walk_opts *o, int64_t now_ms,
                          const char *file, const void *bytes, size_t len,
                          const struct bp_track *t,
                          struct bp_track_result *res, struct bp_error *err)
{
    struct bp_walk_opts def;
    const struct bp_border *b = NULL;
    struct bp_patrol p;
    struct bp__track_row row;
    struct bp_buf note = BP_BUF_INIT;
    bp_uuid other = "";
    int rc;

    memset(&p, 0, sizeof(p));
    if ((rc = need(st, t, err)) || (rc = need(st, res, err)) ||
        (rc = need(st, patrol_id, err)))
        return rc;
    if (!t->n)
        return bp_error_set_at(err, BP_EINVAL, file, 0, NULL,
                               "the track has no points");
    if (!o) {
        bp_walk_opts_default(&def);
        o = &def;
    }
    res->duplicate = 0;
    res->visits = 0;
    res->duplicate_of[0] = '\0';
    memset(&row, 0, sizeof(row));
    bp_track_hashes(bytes, len, t->fix, t->n, &row.hash);
    rc = OPS(st)->track_find(st, BP__HASH_CONTENT, row.hash.content,
                             res->track_id, NULL, err);
    if (!rc) {
        res->duplicate = 1;
        goto out;
    }
    if (rc != BP_ENOTFOUND)
        goto out;
    rc = OPS(st)->patrol_get(st, patrol_id, &p, err);
    if (!rc)
        rc = bp__store_border_cached(st, &b, err);
    if (rc)
        goto out;
    rc = bp_walk_compute(b, t->fix, t->n, o, &res->walk, err);
    if (rc)
        goto out;
    bp_track_quality(t->fix, t->n, p.day, now_ms, o, &res->quality);
    if (!res->walk.nkept) {
        int bit = bp_tq_bit(BP_TQ_FAR_BORDER);
        res->quality.flags |= BP_TQ_FAR_BORDER;
        res->quality.at[bit] = res->walk.nearest;
        res->quality.value[bit] = res->walk.nearest_m;
    }
    /* The same fixes, or the same positions at other times, as a stored
     * track: an upload of someone else's walk. */
    if (t->n >= 2) {
        rc = OPS(st)->track_find(st, BP__HASH_TIMED, row.hash.timed, other,
                                 NULL, err);
        if (!rc) {
            res->quality.flags |= BP_TQ_DUPLICATE;
            memcpy(res->duplicate_of, other, sizeof(other));
        } else if (rc == BP_ENOTFOUND) {
            rc = OPS(st)->track_find(st, BP__HASH_SHAPE, row.hash.shape,
                                     other, NULL, err);
            if (!rc) {
                res->quality.flags |= BP_TQ_REPLAY;
                memcpy(res->duplicate_of, other, sizeof(other));
            }
        }
        if (rc && rc != BP_ENOTFOUND)
            goto out;
        rc = 0;
    }
    if (flag_note(&res->quality, &note)) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    if (res->duplicate_of[0] &&
        bp_buf_addf(&note, " (%s)", res->duplicate_of)) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    if (bp_uuid_make(res->track_id)) {
        rc = bp_error_set(err, BP_EIO, "no randomness for a new id");
        goto out;
    }
    row.patrol_id = p.id;
    row.id = res->track_id;
    row.file = file;
    row.t = t;
    row.w = &res->walk;
    row.flags = res->quality.flags;
    row.flag_note = note.len ? note.data : NULL;
    rc = OPS(st)->track_insert(st, &row, err);
    if (!rc && res->walk.nkept)
        rc = record_visits(st, p.id, p.day, res->track_id, t,
                           o->visit_radius_m, &res->visits, err);
out:
    bp_buf_release(&note);
    bp_patrol_release(&p);
    if (rc && err && !err->file[0] && file)
        snprintf(err->file, sizeof(err->file), "%s", file);
    return rc;
}

int bp_store_verify_load(struct bp_store *st, struct bp_verify_data *d,
                         struct bp_error *err)
{
    int rc = need(st, d, err);
    return rc ? rc : OPS(st)->verify_load(st, d, err);
}

void bp_verify_data_release(struct bp_verify_data *d)
{
    size_t i;

    if (!d)
        return;
    for (i = 0; i < d->ncustodians; i++)
        bp_free(d->custodian_name[i]);
    for (i = 0; i < d->ncommunes; i++)
        bp_free(d->commune_name[i]);
    for (i = 0; i < d->nstations; i++)
        bp_free(d->station_name[i]);
    bp_free(d->pledges);
    bp_free(d->pledge_id);
    bp_free(d->pledge_station);
    bp_free(d->patrols);
    bp_free(d->spans);
    bp_free(d->members);
    bp_free(d->custodian_id);
    bp_free(d->custodian_name);
    bp_free(d->custodian_commune);
    bp_free(d->commune_id);
    bp_free(d->commune_name);
    bp_free(d->station_id);
    bp_free(d->station_name);
    memset(d, 0, sizeof(*d));
}

int bp_store_inspection_add(struct bp_store *st, struct bp_inspection *rec,
                            double radius_m, struct bp_error *err)
{
    struct bp_inspection r;
    int rc;

    if ((rc = need(st, rec, err)))
        return rc;
    r = *rec;
    if (!r.marker[0])
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "marker",
                               "an inspection needs a marker");
    if (r.day == BP_DATE_NONE)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "day",
                               "an inspection needs a date");
    if ((unsigned)r.condition > BP_COND_VISIT)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "condition",
                               "unknown condition %d", (int)r.condition);
    if (isfinite(r.lon) != isfinite(r.lat) ||
        (isfinite(r.lon) && (fabs(r.lon) > 180 || fabs(r.lat) > 90)))
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "fix",
                               "the GPS fix %g, %g is not a position",
                               r.lon, r.lat);
    if (!(radius_m >= 0))
        return bp_error_set(err, BP_EINVAL, "the radius must be >= 0");
    rc = prepare_id(r.id, err);
    if (!rc)
        rc = OPS(st)->inspection_add(st, &r, radius_m, NULL, err);
    if (!rc)
        *rec = r;
    return rc;
}

int bp_store_inspection_list(struct bp_store *st, const char *marker,
                             int visits, struct bp_inspection **v,
                             size_t *n, struct bp_error *err)
{
    int rc = need(st, v, err);
    return rc ? rc : OPS(st)->inspection_list(st, marker, visits, v, n, err);
}

void bp_store_inspection_list_free(struct bp_inspection *v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++)
        bp_inspection_release(&v[i]);
    bp_free(v);
}

int bp_store_marker_overdue(struct bp_store *st, int32_t as_of, int days,
                            struct bp_marker_due **v, size_t *n,
                            struct bp_error *err)
{
    int rc = need(st, v, err);

    if (!rc && days < 0)
        rc = bp_error_set(err, BP_EINVAL, "days must be >= 0, not %d", days);
    return rc ? rc : OPS(st)->marker_overdue(st, as_of, days, v, n, err);
}

int bp_store_incident_add(struct bp_store *st, struct bp_incident *rec,
                          struct bp_error *err)
{
    const struct bp_border *b = NULL;
    struct bp_incident r;
    struct bp_marker m;
    struct bp_hit hit;
    int rc;

    memset(&m, 0, sizeof(m));
    if ((rc = need(st, rec, err)))
        return rc;
    r = *rec;
    if ((unsigned)r.kind > BP_INC_OTHER)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "kind",
                               "unknown incident kind %d", (int)r.kind);
    if ((unsigned)r.status > BP_INC_RESOLVED)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "status",
                               "unknown status %d", (int)r.status);
    if (r.severity < 1 || r.severity > 5)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "severity",
                               "severity is %d, not 1 to 5", r.severity);
    if (!r.marker[0] && !(isfinite(r.lon) && isfinite(r.lat)))
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "place",
                               "an incident needs a place: lon/lat or a "
                               "marker and offset");
    if (!r.marker[0] && (fabs(r.lon) > 180 || fabs(r.lat) > 90))
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "place",
                               "%g, %g is not a position", r.lon, r.lat);
    if (!isfinite(r.offset_m))
        r.offset_m = 0;
    rc = prepare_id(r.id, err);
    if (!rc)
        rc = bp__store_border_cached(st, &b, err);
    if (rc)
        goto out;
    if (r.marker[0]) {
        double len = bp_border_length_m(b);
        struct bp_lonlat pt;
        rc = bp_store_marker_get(st, r.marker, &m, err);
        if (rc)
            goto out;
        snprintf(r.marker, sizeof(r.marker), "%s", m.id);
        r.measure_m = fmin(fmax(m.measure_m + r.offset_m, 0), len);
        if (!isfinite(r.lon) || !isfinite(r.lat)) {
            rc = bp_border_point(b, r.measure_m, &pt);
            if (rc) {
                rc = bp_error_set(err, rc, "the marker's measure is off "
                                           "the line");
                goto out;
            }
            r.lon = pt.lon;
            r.lat = pt.lat;
        }
    } else {
        rc = bp_border_project(b, r.lon, r.lat, &hit);
        if (rc) {
            rc = bp_error_set(err, rc, "%g, %g is not a position", r.lon,
                              r.lat);
            goto out;
        }
        r.measure_m = hit.measure_m;
    }
    rc = OPS(st)->incident_add(st, &r, err);
    if (!rc) {
        memcpy(r.marker, rec->marker, sizeof(r.marker));
        *rec = r;
    }
out:
    bp_marker_release(&m);
    return rc;
}

int bp_store_incident_get(struct bp_store *st, const char *id,
                          struct bp_incident *rec,
                          struct bp_incident_event **ev, size_t *nev,
                          struct bp_error *err)
{
    int rc = need(st, rec, err);
    return rc ? rc
              : OPS(st)->incident_get(st, id ? id : "", rec, ev, nev, err);
}

int bp_store_incident_list(struct bp_store *st, int status,
                           struct bp_incident **v, size_t *n,
                           struct bp_error *err)
{
    int rc = need(st, v, err);
    return rc ? rc : OPS(st)->incident_list(st, status, v, n, err);
}

void bp_store_incident_list_free(struct bp_incident *v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++)
        bp_incident_release(&v[i]);
    bp_free(v);
}

int bp_store_incident_update(struct bp_store *st, const char *id,
                             enum bp_incident_status status, int64_t at_s,
                             const char *note, const char *resolution,
                             struct bp_error *err)
{
    int rc = need(st, id, err);

    if (!rc && (unsigned)status > BP_INC_RESOLVED)
        rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "status",
                             "unknown status %d", (int)status);
    return rc ? rc
              : OPS(st)->incident_update(st, id, status, at_s, note,
                                         resolution, err);
}
