/* SPDX-License-Identifier: MIT */
/*
 * The campaign's records in SQLite. Each record kind is described by a
 * table of columns (name, type, offset in its struct), from which one
 * generic insert-or-update and one generic list are built, so the SQL of
 * twelve kinds stays in one place and in step with the structs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bienphong/alloc.h"
#include "bienphong/buf.h"
#include "store/store_campaign_int.h"
#include "store/store_sqlite_int.h"

enum ctype {
    C_UUID,   /* bp_uuid; NULL when "" */
    C_FIXED,  /* char[32] marker key; NULL when "" */
    C_TEXT,   /* char *, owned; NULL allowed */
    C_DATE,   /* int32_t; NULL for BP_DATE_NONE */
    C_I64,    /* int64_t */
    C_LONG,   /* long */
    C_INT,    /* int or enum */
    C_REAL,   /* double */
    C_REALN,  /* double; NULL for NAN */
    C_GEOM    /* struct bp_lonlat *geom + size_t ngeom (road only) */
};

struct col {
    const char *name;
    enum ctype t;
    size_t off;
};

struct table {
    const char *name;
    size_t size;
    const char *order;
    const struct col *cols;
    size_t ncols;
    void (*release)(void *);
};

#define O(type, f) offsetof(struct type, f)
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct col campaign_cols[] = {
    {"id", C_UUID, O(bp_campaign, id)},
    {"name", C_TEXT, O(bp_campaign, name)},
    {"starts_on", C_DATE, O(bp_campaign, starts_on)},
    {"ends_on", C_DATE, O(bp_campaign, ends_on)},
    {"goal_vnd", C_I64, O(bp_campaign, goal_vnd)},
    {"goal_road_m", C_REAL, O(bp_campaign, goal_road_m)},
    {"labour_day_vnd", C_I64, O(bp_campaign, labour_day_vnd)},
    {"note", C_TEXT, O(bp_campaign, note)},
};
static const struct col donor_cols[] = {
    {"id", C_UUID, O(bp_donor, id)},
    {"kind", C_INT, O(bp_donor, kind)},
    {"name", C_TEXT, O(bp_donor, name)},
    {"anonymous", C_INT, O(bp_donor, anonymous)},
    {"contact", C_TEXT, O(bp_donor, contact)},
    {"note", C_TEXT, O(bp_donor, note)},
};
static const struct col donation_cols[] = {
    {"id", C_UUID, O(bp_donation, id)},
    {"campaign", C_UUID, O(bp_donation, campaign_id)},
    {"donor", C_UUID, O(bp_donation, donor_id)},
    {"status", C_INT, O(bp_donation, status)},
    {"form", C_INT, O(bp_donation, form)},
    {"amount_vnd", C_I64, O(bp_donation, amount_vnd)},
    {"item", C_TEXT, O(bp_donation, item)},
    {"quantity", C_REAL, O(bp_donation, quantity)},
    {"unit", C_TEXT, O(bp_donation, unit)},
    {"labour_days", C_REAL, O(bp_donation, labour_days)},
    {"on_day", C_DATE, O(bp_donation, on)},
    {"receipt_no", C_TEXT, O(bp_donation, receipt_no)},
    {"fulfils", C_UUID, O(bp_donation, fulfils_id)},
    {"road", C_UUID, O(bp_donation, road_id)},
    {"note", C_TEXT, O(bp_donation, note)},
};
static const struct col expense_cols[] = {
    {"id", C_UUID, O(bp_expense, id)},
    {"campaign", C_UUID, O(bp_expense, campaign_id)},
    {"doc_no", C_TEXT, O(bp_expense, doc_no)},
    {"on_day", C_DATE, O(bp_expense, on)},
    {"amount_vnd", C_I64, O(bp_expense, amount_vnd)},
    {"road", C_UUID, O(bp_expense, road_id)},
    {"purpose", C_TEXT, O(bp_expense, purpose)},
};
static const struct col road_cols[] = {
    {"id", C_UUID, O(bp_road, id)},
    {"campaign", C_UUID, O(bp_road, campaign_id)},
    {"name", C_TEXT, O(bp_road, name)},
    {"commune", C_UUID, O(bp_road, commune_id)},
    {"kind", C_INT, O(bp_road, kind)},
    {"from_key", C_FIXED, O(bp_road, from.marker_key)},
    {"from_offset_m", C_REAL, O(bp_road, from.offset_m)},
    {"from_m", C_REAL, O(bp_road, from.measure_m)},
    {"to_key", C_FIXED, O(bp_road, to.marker_key)},
    {"to_offset_m", C_REAL, O(bp_road, to.offset_m)},
    {"to_m", C_REAL, O(bp_road, to.measure_m)},
    {"geom", C_GEOM, O(bp_road, geom)},
    {"planned_m", C_REAL, O(bp_road, planned_m)},
    {"budget_vnd", C_I64, O(bp_road, budget_vnd)},
    {"starts_on", C_DATE, O(bp_road, starts_on)},
    {"finished_on", C_DATE, O(bp_road, finished_on)},
    {"note", C_TEXT, O(bp_road, note)},
};
static const struct col progress_cols[] = {
    {"id", C_UUID, O(bp_road_progress, id)},
    {"road", C_UUID, O(bp_road_progress, road_id)},
    {"from_m", C_REAL, O(bp_road_progress, from_m)},
    {"to_m", C_REAL, O(bp_road_progress, to_m)},
    {"on_day", C_DATE, O(bp_road_progress, on)},
    {"note", C_TEXT, O(bp_road_progress, note)},
};
static const struct col bamboo_cols[] = {
    {"id", C_UUID, O(bp_bamboo, id)},
    {"commune", C_UUID, O(bp_bamboo, commune_id)},
    {"from_key", C_FIXED, O(bp_bamboo, from.marker_key)},
    {"from_offset_m", C_REAL, O(bp_bamboo, from.offset_m)},
    {"from_m", C_REAL, O(bp_bamboo, from.measure_m)},
    {"to_key", C_FIXED, O(bp_bamboo, to.marker_key)},
    {"to_offset_m", C_REAL, O(bp_bamboo, to.offset_m)},
    {"to_m", C_REAL, O(bp_bamboo, to.measure_m)},
    {"clumps", C_LONG, O(bp_bamboo, clumps)},
    {"planted_on", C_DATE, O(bp_bamboo, planted_on)},
    {"households", C_LONG, O(bp_bamboo, households)},
    {"note", C_TEXT, O(bp_bamboo, note)},
};
static const struct col bcheck_cols[] = {
    {"id", C_UUID, O(bp_bamboo_check, id)},
    {"bamboo", C_UUID, O(bp_bamboo_check, bamboo_id)},
    {"on_day", C_DATE, O(bp_bamboo_check, on)},
    {"alive", C_LONG, O(bp_bamboo_check, alive)},
    {"note", C_TEXT, O(bp_bamboo_check, note)},
};
static const struct col light_cols[] = {
    {"id", C_UUID, O(bp_light, id)},
    {"commune", C_UUID, O(bp_light, commune_id)},
    {"road", C_UUID, O(bp_light, road_id)},
    {"measure_m", C_REAL, O(bp_light, measure_m)},
    {"lon", C_REALN, O(bp_light, lon)},
    {"lat", C_REALN, O(bp_light, lat)},
    {"kind", C_INT, O(bp_light, kind)},
    {"installed_on", C_DATE, O(bp_light, installed_on)},
    {"funder", C_TEXT, O(bp_light, funder)},
    {"working", C_INT, O(bp_light, working)},
    {"note", C_TEXT, O(bp_light, note)},
};
static const struct col lcheck_cols[] = {
    {"id", C_UUID, O(bp_light_check, id)},
    {"light", C_UUID, O(bp_light_check, light_id)},
    {"on_day", C_DATE, O(bp_light_check, on)},
    {"working", C_INT, O(bp_light_check, working)},
    {"note", C_TEXT, O(bp_light_check, note)},
};
static const struct col event_cols[] = {
    {"id", C_UUID, O(bp_event, id)},
    {"commune", C_UUID, O(bp_event, commune_id)},
    {"year", C_INT, O(bp_event, year)},
    {"activities", C_LONG, O(bp_event, activities)},
    {"kinds", C_TEXT, O(bp_event, kinds)},
    {"participants", C_LONG, O(bp_event, participants)},
    {"gifts", C_LONG, O(bp_event, gifts)},
    {"gifts_vnd", C_I64, O(bp_event, gifts_vnd)},
    {"funds_vnd", C_I64, O(bp_event, funds_vnd)},
    {"note", C_TEXT, O(bp_event, note)},
};
static const struct col award_cols[] = {
    {"id", C_UUID, O(bp_award, id)},
    {"recipient_kind", C_INT, O(bp_award, recipient_kind)},
    {"recipient", C_TEXT, O(bp_award, recipient)},
    {"custodian", C_UUID, O(bp_award, custodian_id)},
    {"commune", C_UUID, O(bp_award, commune_id)},
    {"level", C_INT, O(bp_award, level)},
    {"decision_no", C_TEXT, O(bp_award, decision_no)},
    {"decided_on", C_DATE, O(bp_award, decided_on)},
    {"reason", C_TEXT, O(bp_award, reason)},
};

static void rel_campaign(void *r) { bp_campaign_release(r); }
static void rel_donor(void *r) { bp_donor_release(r); }
static void rel_donation(void *r) { bp_donation_release(r); }
static void rel_expense(void *r) { bp_expense_release(r); }
static void rel_road(void *r) { bp_road_release(r); }
static void rel_progress(void *r) { bp_road_progress_release(r); }
static void rel_bamboo(void *r) { bp_bamboo_release(r); }
static void rel_bcheck(void *r) { bp_bamboo_check_release(r); }
static void rel_light(void *r) { bp_light_release(r); }
static void rel_lcheck(void *r) { bp_light_check_release(r); }
static void rel_event(void *r) { bp_event_release(r); }
static void rel_award(void *r) { bp_award_release(r); }

#define T(name, type, order, cols, rel)                                      \
    {name, sizeof(struct type), order, cols, N(cols), rel}

static const struct table tables[BP__CAMP_NKINDS] = {
    T("campaign", bp_campaign, "starts_on, name, id", campaign_cols,
      rel_campaign),
    T("donor", bp_donor, "name, id", donor_cols, rel_donor),
    T("donation", bp_donation, "on_day, rowid", donation_cols, rel_donation),
    T("expense", bp_expense, "on_day, rowid", expense_cols, rel_expense),
    T("road", bp_road, "from_m, name, id", road_cols, rel_road),
    T("road_progress", bp_road_progress, "road, on_day, from_m, id",
      progress_cols, rel_progress),
    T("bamboo", bp_bamboo, "planted_on, from_m, id", bamboo_cols,
      rel_bamboo),
    T("bamboo_check", bp_bamboo_check, "bamboo, on_day, id", bcheck_cols,
      rel_bcheck),
    T("light", bp_light, "measure_m, id", light_cols, rel_light),
    T("light_check", bp_light_check, "light, on_day, id", lcheck_cols,
      rel_lcheck),
    T("march3_event", bp_event, "year, commune, id", event_cols, rel_event),
    T("award", bp_award, "decided_on, recipient, id", award_cols, rel_award),
};

/* ---- geometry as text: "lon lat,lon lat,..." ---- */

static int geom_text(const struct bp_lonlat *g, size_t n, struct bp_buf *b)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < n && !rc; i++)
        rc = bp_buf_addf(b, "%s%.8f %.8f", i ? "," : "", g[i].lon,
                         g[i].lat);
    return rc;
}

static int geom_parse(const char *s, struct bp_lonlat **out, size_t *nout)
{
    struct bp_lonlat *v = NULL, *nv;
    size_t n = 0, cap = 0;
    char *end;
    double lon, lat;

    while (s && *s) {
        lon = strtod(s, &end);
        if (end == s)
            break;
        s = end;
        lat = strtod(s, &end);
        if (end == s)
            break;
        s = end;
        if (n == cap) {
            cap = cap ? 2 * cap : 8;
            nv = bp_reallocarray(v, cap, sizeof(*v));
            if (!nv) {
                bp_free(v);
                return BP_ENOMEM;
            }
            v = nv;
        }
        v[n].lon = lon;
        v[n].lat = lat;
        n++;
        if (*s == ',')
            s++;
    }
    *out = v;
    *nout = n;
    return 0;
}

/* ---- put ---- */

static int bind_col(sqlite3_stmt *q, int i, const struct col *c,
                    const char *rec, struct bp_buf *gbuf)
{
    const char *p = rec + c->off;

    switch (c->t) {
    case C_UUID:
    case C_FIXED:
        if (*p)
            return sqlite3_bind_text(q, i, p, -1, SQLITE_STATIC);
        return sqlite3_bind_null(q, i);
    case C_TEXT: {
        const char *s;
        memcpy(&s, p, sizeof(s));
        if (s)
            return sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
        return sqlite3_bind_null(q, i);
    }
    case C_DATE: {
        int32_t d;
        memcpy(&d, p, sizeof(d));
        if (d == BP_DATE_NONE)
            return sqlite3_bind_null(q, i);
        return sqlite3_bind_int64(q, i, d);
    }
    case C_I64: {
        int64_t v;
        memcpy(&v, p, sizeof(v));
        return sqlite3_bind_int64(q, i, v);
    }
    case C_LONG: {
        long v;
        memcpy(&v, p, sizeof(v));
        return sqlite3_bind_int64(q, i, v);
    }
    case C_INT: {
        int v;
        memcpy(&v, p, sizeof(v));
        return sqlite3_bind_int(q, i, v);
    }
    case C_REAL:
    case C_REALN: {
        double v;
        memcpy(&v, p, sizeof(v));
        if (!isfinite(v))
            return sqlite3_bind_null(q, i);
        return sqlite3_bind_double(q, i, v);
    }
    case C_GEOM: {
        const struct bp_road *r = (const struct bp_road *)rec;
        if (!r->geom || !r->ngeom)
            return sqlite3_bind_null(q, i);
        if (geom_text(r->geom, r->ngeom, gbuf))
            return SQLITE_NOMEM;
        return sqlite3_bind_text(q, i, gbuf->data, -1, SQLITE_STATIC);
    }
    }
    return SQLITE_MISUSE;
}

/* The friendliest reading of a constraint the checks did not catch. */
static int constraint_error(struct sqlite_store *s, const struct table *t,
                            const char *id, struct bp_error *err)
{
    const char *m = sqlite3_errmsg(s->db);

    if (strstr(m, "FOREIGN KEY"))
        return bp_error_set(err, BP_ENOTFOUND,
                            "%s '%s' refers to a record that does not "
                            "exist",
                            t->name, id);
    if (strstr(m, "UNIQUE"))
        return bp_error_set(err, BP_EEXIST, "%s '%s': %s", t->name, id, m);
    return bp_error_set(err, BP_ERANGE, "%s '%s': %s", t->name, id, m);
}

static int camp_put(struct bp_store *base, enum bp__camp_kind k,
                    const void *rec, struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    const struct table *t = &tables[k];
    struct bp_buf sql = BP_BUF_INIT, gbuf = BP_BUF_INIT;
    sqlite3_stmt *q = NULL;
    size_t i;
    int mine = 0, rc, src;

    rc = bp__sqlite_auto_begin(s, &mine, err);
    if (rc)
        return rc;
    rc = bp_buf_addf(&sql, "INSERT INTO %s (", t->name);
    for (i = 0; i < t->ncols && !rc; i++)
        rc = bp_buf_addf(&sql, "%s%s", i ? ", " : "", t->cols[i].name);
    if (!rc)
        rc = bp_buf_adds(&sql, ") VALUES (");
    for (i = 0; i < t->ncols && !rc; i++)
        rc = bp_buf_adds(&sql, i ? ", ?" : "?");
    if (!rc)
        rc = bp_buf_adds(&sql, ") ON CONFLICT (id) DO UPDATE SET ");
    for (i = 1; i < t->ncols && !rc; i++)
        rc = bp_buf_addf(&sql, "%s%s = excluded.%s", i > 1 ? ", " : "",
                         t->cols[i].name, t->cols[i].name);
    if (rc) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    if (sqlite3_prepare_v2(s->db, sql.data, -1, &q, NULL) != SQLITE_OK) {
        rc = bp__sqlite_error(s, err, "saving a campaign record");
        goto out;
    }
    for (i = 0; i < t->ncols; i++) {
        if (bind_col(q, (int)i + 1, &t->cols[i], rec, &gbuf) != SQLITE_OK) {
            rc = bp_error_set(err, BP_ENOMEM, "out of memory");
            goto out;
        }
    }
    src = sqlite3_step(q);
    if (src == SQLITE_CONSTRAINT ||
        (src & 0xff) == SQLITE_CONSTRAINT)
        rc = constraint_error(s, t, (const char *)rec + t->cols[0].off, err);
    else if (src != SQLITE_DONE)
        rc = bp__sqlite_error(s, err, "saving a campaign record");
out:
    sqlite3_finalize(q);
    bp_buf_release(&sql);
    bp_buf_release(&gbuf);
    return bp__sqlite_auto_end(s, mine, rc, err);
}

/* ---- list ---- */

static int read_col(sqlite3_stmt *q, int i, const struct col *c, char *rec)
{
    char *p = rec + c->off;
    int null = sqlite3_column_type(q, i) == SQLITE_NULL;

    switch (c->t) {
    case C_UUID:
    case C_FIXED: {
        size_t size = c->t == C_UUID ? sizeof(bp_uuid) : 32;
        const char *v = (const char *)sqlite3_column_text(q, i);
        snprintf(p, size, "%s", v ? v : "");
        return 0;
    }
    case C_TEXT: {
        char *v = NULL;
        if (!null) {
            v = bp_strdup((const char *)sqlite3_column_text(q, i));
            if (!v)
                return BP_ENOMEM;
        }
        memcpy(p, &v, sizeof(v));
        return 0;
    }
    case C_DATE: {
        int32_t d = null ? BP_DATE_NONE : (int32_t)sqlite3_column_int64(q, i);
        memcpy(p, &d, sizeof(d));
        return 0;
    }
    case C_I64: {
        int64_t v = sqlite3_column_int64(q, i);
        memcpy(p, &v, sizeof(v));
        return 0;
    }
    case C_LONG: {
        long v = (long)sqlite3_column_int64(q, i);
        memcpy(p, &v, sizeof(v));
        return 0;
    }
    case C_INT: {
        int v = sqlite3_column_int(q, i);
        memcpy(p, &v, sizeof(v));
        return 0;
    }
    case C_REAL:
    case C_REALN: {
        double v = null ? NAN : sqlite3_column_double(q, i);
        if (null && c->t == C_REAL)
            v = 0;
        memcpy(p, &v, sizeof(v));
        return 0;
    }
    case C_GEOM: {
        struct bp_road *r = (struct bp_road *)rec;
        r->geom = NULL;
        r->ngeom = 0;
        if (null)
            return 0;
        return geom_parse((const char *)sqlite3_column_text(q, i), &r->geom,
                          &r->ngeom);
    }
    }
    return BP_EINVAL;
}

static void free_list(const struct table *t, void *v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++)
        t->release((char *)v + i * t->size);
    bp_free(v);
}

static int camp_list(struct bp_store *base, enum bp__camp_kind k, void **v,
                     size_t *n, struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    const struct table *t = &tables[k];
    struct bp_buf sql = BP_BUF_INIT;
    sqlite3_stmt *q = NULL;
    char *arr = NULL, *nv;
    size_t len = 0, cap = 0, i;
    int rc = 0, step;

    rc = bp_buf_adds(&sql, "SELECT ");
    for (i = 0; i < t->ncols && !rc; i++)
        rc = bp_buf_addf(&sql, "%s%s", i ? ", " : "", t->cols[i].name);
    if (!rc)
        rc = bp_buf_addf(&sql, " FROM %s ORDER BY %s", t->name, t->order);
    if (rc) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    if (sqlite3_prepare_v2(s->db, sql.data, -1, &q, NULL) != SQLITE_OK) {
        rc = bp__sqlite_error(s, err, "listing campaign records");
        goto out;
    }
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? 2 * cap : 16;
            nv = bp_reallocarray(arr, cap, t->size);
            if (!nv) {
                rc = bp_error_set(err, BP_ENOMEM, "out of memory");
                goto out;
            }
            arr = nv;
        }
        memset(arr + len * t->size, 0, t->size);
        len++;
        for (i = 0; i < t->ncols; i++)
            if (read_col(q, (int)i, &t->cols[i], arr + (len - 1) * t->size)) {
                rc = bp_error_set(err, BP_ENOMEM, "out of memory");
                goto out;
            }
    }
    if (step != SQLITE_DONE)
        rc = bp__sqlite_error(s, err, "listing campaign records");
out:
    sqlite3_finalize(q);
    bp_buf_release(&sql);
    if (rc) {
        free_list(t, arr, len);
        return rc;
    }
    *v = arr;
    *n = len;
    return 0;
}

const struct bp__camp_ops bp__sqlite_camp_ops = {camp_put, camp_list};
