/* SPDX-License-Identifier: MIT */
/*
 * Figures, map layers and files over HTTP: coverage as of a date and year
 * by year, gaps and overlaps (cached until the next write), GeoJSON
 * layers of the border with km ticks, markers, pledged stretches, gaps
 * and the communes' stretches, CSV exports and all-or-nothing CSV imports through the exchange module.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/exchange.h"
#include "bienphong/geojson.h"
#include "server/server_int.h"
#include "server/server_jobs.h"

static void bad_query(struct req *r, const char *name, const char *detail)
{
    bp__problem(r, 400, "bad-query", "Tham số không hợp lệ",
                "Bad query parameter", detail,
                json_pack("[o]", bp__field_error(name, 0, detail)));
}

/* ?as_of= (default today); 0 or replied. */
static int as_of(struct req *r, int32_t *day)
{
    const char *s = bp__query(r, "as_of");

    *day = bp_date_today();
    if (s && bp_date_parse(s, day)) {
        bad_query(r, "as_of", "expected a date (yyyy-mm-dd or dd/mm/yyyy)");
        return -1;
    }
    return 0;
}

static json_t *figures_json(const struct bp_cov_figures *f)
{
    return json_pack("{s:f,s:f,s:f,s:I,s:I,s:I,s:I}", "length_m",
                     f->length_m, "covered_m", f->covered_m, "covered_pct",
                     f->length_m > 0 ? 100.0 * f->covered_m / f->length_m
                                     : 0.0,
                     "households", (json_int_t)f->households, "collectives",
                     (json_int_t)f->collectives, "markers_pledged",
                     (json_int_t)f->markers_pledged, "markers_total",
                     (json_int_t)f->markers_total);
}

struct cov_ctx {
    struct bp_cov_input in;
    struct bp_cov_hold hold;
    struct bp_commune *communes;
    size_t ncommunes;
    struct bp_station *stations;
    size_t nstations;
};

static int cov_open(struct req *r, struct cov_ctx *c)
{
    struct bp_error err = {0};

    memset(c, 0, sizeof(*c));
    if (bp_store_cov_load(r->st, &c->in, &c->hold, &err) ||
        bp_store_commune_list(r->st, &c->communes, &c->ncommunes, &err) ||
        bp_store_station_list(r->st, &c->stations, &c->nstations, &err)) {
        bp__problem_err(r, &err);
        return -1;
    }
    return 0;
}

static void cov_close(struct cov_ctx *c)
{
    bp_store_cov_release(&c->hold);
    bp_store_commune_list_free(c->communes, c->ncommunes);
    bp_store_station_list_free(c->stations, c->nstations);
}

static json_t *iso(int32_t day)
{
    char d[16];
    return json_string(bp_date_format_iso(day, d));
}

void h_coverage(struct req *r)
{
    struct bp_error err = {0};
    struct bp_coverage cv;
    struct cov_ctx c;
    json_t *o, *a;
    int32_t day;
    size_t i;

    if (as_of(r, &day) || bp__cache_reply(r))
        return;
    if (cov_open(r, &c))
        goto out;
    if (bp_coverage_compute(&c.in, day, &cv, &err)) {
        bp__problem_err(r, &err);
        goto out;
    }
    o = json_pack("{s:o,s:o}", "as_of", iso(day), "total",
                  figures_json(&cv.total));
    a = json_array();
    for (i = 0; i < c.ncommunes && i < cv.ncommunes; i++) {
        json_t *f = figures_json(&cv.communes[i]);
        json_object_set_new(f, "id", json_string(c.communes[i].id));
        json_object_set_new(f, "code", json_string(c.communes[i].code));
        json_object_set_new(f, "name", json_string(c.communes[i].name));
        json_array_append_new(a, f);
    }
    json_object_set_new(o, "communes", a);
    a = json_array();
    for (i = 0; i < c.nstations && i < cv.nstations; i++) {
        json_t *f = figures_json(&cv.stations[i]);
        json_object_set_new(f, "id", json_string(c.stations[i].id));
        json_object_set_new(f, "code", json_string(c.stations[i].code));
        json_object_set_new(f, "name", json_string(c.stations[i].name));
        json_array_append_new(a, f);
    }
    json_object_set_new(o, "stations", a);
    bp_coverage_release(&cv);
    bp__reply_json(r, 200, o);
    bp__cache_store(r);
out:
    cov_close(&c);
}

void h_coverage_history(struct req *r)
{
    const char *from = bp__query(r, "from"), *to = bp__query(r, "to");
    const char *on = bp__query(r, "on");
    struct bp_error err = {0};
    struct bp_cov_figures *tot = NULL;
    int32_t *days = NULL;
    struct cov_ctx c;
    int y0, y1, dd = 3, mm = 3, y;
    char tail;
    json_t *a;

    if (!from || !to || sscanf(from, "%d%c", &y0, &tail) != 1 ||
        sscanf(to, "%d%c", &y1, &tail) != 1 || y0 < 1900 || y1 > 9999 ||
        y1 < y0 || y1 - y0 > 200) {
        bad_query(r, "from", "need from=YEAR&to=YEAR with from <= to");
        return;
    }
    if (on && (sscanf(on, "%d/%d%c", &dd, &mm, &tail) != 2 ||
               !bp_date_valid(2000, mm, dd))) {
        bad_query(r, "on", "expected dd/mm");
        return;
    }
    if (bp__cache_reply(r))
        return;
    if (cov_open(r, &c))
        goto out;
    days = bp_calloc((size_t)(y1 - y0 + 1), sizeof(*days));
    tot = bp_calloc((size_t)(y1 - y0 + 1), sizeof(*tot));
    if (!days || !tot) {
        bp__problem(r, 500, "internal", "Lỗi máy chủ", "Server error",
                    "out of memory", NULL);
        goto out;
    }
    for (y = y0; y <= y1; y++)
        days[y - y0] = bp_date_valid(y, mm, dd)
                           ? bp_date_from_ymd(y, mm, dd)
                           : bp_date_from_ymd(y, mm, dd - 1);
    if (bp_coverage_series(&c.in, days, (size_t)(y1 - y0 + 1), tot, &err)) {
        bp__problem_err(r, &err);
        goto out;
    }
    a = json_array();
    for (y = y0; y <= y1; y++) {
        json_t *f = figures_json(&tot[y - y0]);
        json_object_set_new(f, "year", json_integer(y));
        json_object_set_new(f, "as_of", iso(days[y - y0]));
        json_array_append_new(a, f);
    }
    bp__reply_json(r, 200, json_pack("{s:o}", "items", a));
    bp__cache_store(r);
out:
    bp_free(days);
    bp_free(tot);
    cov_close(&c);
}

/* The standing markers in measure order, as the coverage input has them. */
static int live_markers(struct req *r, struct bp_marker **all, size_t *n,
                        const struct bp_marker ***live, size_t *nlive)
{
    struct bp_error err = {0};
    size_t i;

    if (bp_store_marker_list(r->st, all, n, &err)) {
        bp__problem_err(r, &err);
        return -1;
    }
    *live = bp_calloc(*n + 1, sizeof(**live));
    if (!*live)
        return -1;
    *nlive = 0;
    for (i = 0; i < *n; i++)
        if ((*all)[i].ended_on == BP_DATE_NONE)
            (*live)[(*nlive)++] = &(*all)[i];
    return 0;
}

/* The gaps as JSON objects (with `geometry` text when `border` given). */
static json_t *gaps_json(struct req *r, struct cov_ctx *c, int32_t day)
{
    struct bp_error err = {0};
    struct bp_gap *g = NULL;
    struct bp_marker *mk = NULL;
    const struct bp_marker **live = NULL;
    size_t n = 0, nm = 0, nl = 0, i;
    json_t *a = NULL;

    if (live_markers(r, &mk, &nm, &live, &nl))
        goto out;
    if (bp_coverage_gaps(&c->in, day, &g, &n, &err)) {
        bp__problem_err(r, &err);
        goto out;
    }
    a = json_array();
    for (i = 0; i < n; i++) {
        const char *mb = g[i].marker_before >= 0 &&
                                 (size_t)g[i].marker_before < nl
                             ? live[g[i].marker_before]->number
                             : NULL;
        const char *ma = g[i].marker_after >= 0 &&
                                 (size_t)g[i].marker_after < nl
                             ? live[g[i].marker_after]->number
                             : NULL;
        const struct bp_commune *cm =
            g[i].commune >= 0 && (size_t)g[i].commune < c->ncommunes
                ? &c->communes[g[i].commune]
                : NULL;
        json_array_append_new(
            a, json_pack("{s:f,s:f,s:f,s:o,s:o,s:o,s:o}", "from_m",
                         g[i].from_m, "to_m", g[i].to_m, "length_m",
                         g[i].to_m - g[i].from_m, "marker_before",
                         mb ? json_string(mb) : json_null(), "marker_after",
                         ma ? json_string(ma) : json_null(), "commune",
                         cm ? json_string(cm->code) : json_null(),
                         "commune_name",
                         cm ? json_string(cm->name) : json_null()));
    }
out:
    bp_free(g);
    bp_free(live);
    bp_store_marker_list_free(mk, nm);
    return a;
}

void h_gaps(struct req *r)
{
    struct cov_ctx c;
    int32_t day;
    json_t *a;

    if (as_of(r, &day) || bp__cache_reply(r))
        return;
    if (!cov_open(r, &c)) {
        a = gaps_json(r, &c, day);
        if (a) {
            bp__reply_json(r, 200, json_pack("{s:o,s:o}", "as_of", iso(day),
                                             "items", a));
            bp__cache_store(r);
        }
    }
    cov_close(&c);
}

void h_overlaps(struct req *r)
{
    struct bp_error err = {0};
    struct bp_overlap *ov = NULL;
    struct cov_ctx c;
    size_t n = 0, i;
    int32_t day;
    json_t *a;

    if (as_of(r, &day) || bp__cache_reply(r))
        return;
    if (cov_open(r, &c))
        goto out;
    if (bp_coverage_overlaps(&c.in, day, &ov, &n, &err)) {
        bp__problem_err(r, &err);
        goto out;
    }
    a = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(
            a, json_pack("{s:f,s:f,s:f,s:I}", "from_m", ov[i].from_m, "to_m",
                         ov[i].to_m, "length_m", ov[i].to_m - ov[i].from_m,
                         "custodians", (json_int_t)ov[i].ncustodians));
    bp__reply_json(r, 200,
                   json_pack("{s:o,s:o}", "as_of", iso(day), "items", a));
    bp__cache_store(r);
out:
    bp_overlaps_free(ov, n);
    cov_close(&c);
}

/* ---- GeoJSON layers ---- */

/* Append a Feature with a LineString of the border between two measures. */
static int add_stretch(struct bp_buf *b, const struct bp_border *border,
                       double from_m, double to_m, json_t *props, int *first)
{
    struct bp_lonlat *pts = NULL;
    size_t n = 0;
    char *pj;
    int rc;

    rc = bp_border_slice(border, from_m, to_m, &pts, &n, NULL);
    if (rc) {
        json_decref(props);
        return 0; /* nothing to draw for an empty stretch */
    }
    pj = json_dumps(props, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(props);
    rc = bp_buf_adds(b, *first ? "" : ",") ||
         bp_buf_adds(b, "{\"type\":\"Feature\",\"geometry\":") ||
         bp_geojson_write_linestring(b, pts, n) ||
         bp_buf_addf(b, ",\"properties\":%s}", pj ? pj : "{}");
    *first = 0;
    free(pj);
    bp_free(pts);
    return rc ? BP_ENOMEM : 0;
}

static int add_point(struct bp_buf *b, double lon, double lat, json_t *props,
                     int *first)
{
    char *pj = json_dumps(props, JSON_COMPACT | JSON_PRESERVE_ORDER);
    int rc;

    json_decref(props);
    rc = bp_buf_addf(b,
                     "%s{\"type\":\"Feature\",\"geometry\":{\"type\":"
                     "\"Point\",\"coordinates\":[%.7f,%.7f]},\"properties\":"
                     "%s}",
                     *first ? "" : ",", lon, lat, pj ? pj : "{}");
    *first = 0;
    free(pj);
    return rc;
}

static int layer_border(struct req *r, const struct bp_border *border,
                        struct bp_buf *b, int *first)
{
    const char *every = bp__query(r, "tick_km");
    double step_m = 1000, len = bp_border_length_m(border), m;
    struct bp_lonlat pt;
    int rc;

    if (every) {
        double km = atof(every);
        if (!(km >= 0.1 && km <= 1000)) {
            bad_query(r, "tick_km", "expected a number of km, 0.1..1000");
            return -1;
        }
        step_m = km * 1000;
    }
    rc = add_stretch(b, border, 0, len,
                     json_pack("{s:s,s:f}", "kind", "border", "length_m",
                               len),
                     first);
    for (m = 0; !rc && m <= len + 1e-6; m += step_m)
        if (!bp_border_point(border, m < len ? m : len, &pt))
            rc = add_point(b, pt.lon, pt.lat,
                           json_pack("{s:s,s:f}", "kind", "tick", "km",
                                     m / 1000.0),
                           first);
    return rc;
}

static int layer_markers(struct req *r, struct bp_buf *b, int *first)
{
    struct bp_error err = {0};
    struct bp_marker *m = NULL;
    size_t n = 0, i;
    int rc = 0;

    if (bp_store_marker_list(r->st, &m, &n, &err)) {
        bp__problem_err(r, &err);
        return -1;
    }
    for (i = 0; i < n && !rc; i++) {
        if (m[i].ended_on != BP_DATE_NONE)
            continue;
        rc = add_point(b, m[i].lon, m[i].lat,
                       json_pack("{s:s,s:s,s:s,s:f,s:o}", "id", m[i].id,
                                 "number", m[i].number, "kind",
                                 bp_marker_kind_name(m[i].kind), "measure_m",
                                 m[i].measure_m, "official_m",
                                 isfinite(m[i].official_m)
                                     ? json_real(m[i].official_m)
                                     : json_null()),
                       first);
    }
    bp_store_marker_list_free(m, n);
    return rc;
}

static int layer_pledges(struct req *r, const struct bp_border *border,
                         struct bp_buf *b, int *first)
{
    struct bp_error err = {0};
    struct bp_pledge *p = NULL;
    struct bp_custodian *cu = NULL;
    size_t np = 0, nc = 0, i, j;
    int32_t day;
    int rc = 0;

    if (as_of(r, &day))
        return -1;
    if (bp_store_pledge_list(r->st, &p, &np, &err) ||
        bp_store_custodian_list(r->st, &cu, &nc, &err)) {
        bp__problem_err(r, &err);
        rc = -1;
        goto out;
    }
    for (i = 0; i < np && !rc; i++) {
        const struct bp_custodian *c = NULL;
        if (!bp_active_on(p[i].signed_on, p[i].ended_on, day))
            continue;
        for (j = 0; j < nc && !c; j++)
            if (!strcmp(cu[j].id, p[i].custodian_id))
                c = &cu[j];
        /* Scoped users see their communes' pledges; nobody's name is on
         * the map. */
        if (bp__policy_record(&r->who, 0, 0, NULL, 0) ||
            (r->who.role == BP_ROLE_STATION ||
             r->who.role == BP_ROLE_COMMUNE
                 ? bp__policy_record(&r->who, 1, 0,
                                     c ? c->commune_id : "", 0)
                 : 0))
            continue;
        rc = add_stretch(
            b, border, p[i].from.measure_m, p[i].to.measure_m,
            json_pack("{s:s,s:s,s:s,s:f,s:f,s:o}", "kind", "pledge", "id",
                      p[i].id, "custodian_kind",
                      c && c->kind == BP_COLLECTIVE ? "collective"
                                                    : "household",
                      "from_m", p[i].from.measure_m, "to_m",
                      p[i].to.measure_m, "signed_on", iso(p[i].signed_on)),
            first);
    }
out:
    bp_store_pledge_list_free(p, np);
    bp_store_custodian_list_free(cu, nc);
    return rc;
}

static int layer_gaps(struct req *r, const struct bp_border *border,
                      struct bp_buf *b, int *first)
{
    struct cov_ctx c;
    int32_t day;
    json_t *a = NULL, *g;
    size_t i;
    int rc = -1;

    if (as_of(r, &day))
        return -1;
    if (!cov_open(r, &c) && (a = gaps_json(r, &c, day))) {
        rc = 0;
        json_array_foreach(a, i, g) {
            double f = json_real_value(json_object_get(g, "from_m"));
            double t = json_real_value(json_object_get(g, "to_m"));
            json_object_set_new(g, "kind", json_string("gap"));
            rc = add_stretch(b, border, f, t, json_incref(g), first);
            if (rc)
                break;
        }
    }
    json_decref(a);
    cov_close(&c);
    return rc;
}

void h_layer(struct req *r)
{
    struct bp_error err = {0};
    struct bp_border *border = NULL;
    struct bp_buf b = BP_BUF_INIT;
    const char *name = r->params[0];
    int first = 1, rc;

    if (strcmp(name, "border") && strcmp(name, "markers") &&
        strcmp(name, "pledges") && strcmp(name, "gaps")) {
        bp__problem(r, 404, "no-layer", "Không có lớp bản đồ này",
                    "No such layer",
                    "layers are border, markers, pledges and gaps", NULL);
        return;
    }
    if (bp__cache_reply(r))
        return;
    if (bp_store_border_get(r->st, &border, &err)) {
        bp__problem_err(r, &err);
        return;
    }
    rc = bp_buf_adds(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
    if (!rc) {
        if (!strcmp(name, "border"))
            rc = layer_border(r, border, &b, &first);
        else if (!strcmp(name, "markers"))
            rc = layer_markers(r, &b, &first);
        else if (!strcmp(name, "pledges"))
            rc = layer_pledges(r, border, &b, &first);
        else
            rc = layer_gaps(r, border, &b, &first);
    }
    if (!rc && !bp_buf_adds(&b, "]}")) {
        bp__reply_text(r, 200, "application/geo+json", b.data, b.len);
        bp__cache_store(r);
    } else if (r->status == 0)
        bp__problem(r, 500, "internal", "Lỗi máy chủ", "Server error",
                    "out of memory", NULL);
    bp_buf_release(&b);
    bp_border_free(border);
}

/* Each standing commune's stretch of the border as a LineString, with
 * its name, code, district, station and ends in km. */
void h_layer_communes(struct req *r)
{
    struct bp_error err = {0};
    struct bp_border *border = NULL;
    struct bp_buf b = BP_BUF_INIT;
    struct cov_ctx c;
    size_t i, j;
    int first = 1, rc;

    if (bp__cache_reply(r))
        return;
    memset(&c, 0, sizeof(c));
    if (bp_store_border_get(r->st, &border, &err)) {
        bp__problem_err(r, &err);
        return;
    }
    if (bp_store_commune_list(r->st, &c.communes, &c.ncommunes, &err) ||
        bp_store_station_list(r->st, &c.stations, &c.nstations, &err)) {
        bp__problem_err(r, &err);
        goto out;
    }
    rc = bp_buf_adds(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (i = 0; i < c.ncommunes && !rc; i++) {
        const struct bp_commune *cm = &c.communes[i];
        const struct bp_station *sn = NULL;
        double f = cm->from.measure_m, t = cm->to.measure_m;
        if (cm->ended_on != BP_DATE_NONE || !isfinite(f) || !isfinite(t))
            continue;
        if (f > t) {
            double x = f;
            f = t;
            t = x;
        }
        for (j = 0; j < c.nstations && !sn; j++)
            if (!strcmp(c.stations[j].id, cm->station_id))
                sn = &c.stations[j];
        rc = add_stretch(
            &b, border, f, t,
            json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:f,s:f,s:f}",
                      "kind", "commune", "id", cm->id, "code", cm->code,
                      "name", cm->name, "district",
                      cm->district ? json_string(cm->district) : json_null(),
                      "station_id",
                      sn ? json_string(sn->id) : json_null(), "station",
                      sn ? json_string(sn->code) : json_null(),
                      "station_name", sn ? json_string(sn->name)
                                         : json_null(),
                      "from_km", f / 1000.0, "to_km", t / 1000.0,
                      "length_km", (t - f) / 1000.0),
            &first);
    }
    if (!rc && !bp_buf_adds(&b, "]}")) {
        bp__reply_text(r, 200, "application/geo+json", b.data, b.len);
        bp__cache_store(r);
    } else
        bp__problem(r, 500, "internal", "Lỗi máy chủ", "Server error",
                    "out of memory", NULL);
out:
    bp_buf_release(&b);
    cov_close(&c);
    bp_border_free(border);
}

/* ---- CSV ---- */

void h_export_csv(struct req *r)
{
    struct bp_error err = {0};
    struct bp_buf b = BP_BUF_INIT;
    enum bp_exchange_kind k = (enum bp_exchange_kind)r->route->arg;
    int32_t day;

    if (as_of(r, &day))
        return;
    if (bp_export(r->st, k, BP_FMT_CSV, day, &b, &err)) {
        bp_buf_release(&b);
        bp__problem_err(r, &err);
        return;
    }
    bp__reply_csv(r, b.data, b.len, bp_exchange_kind_name(k));
    bp_buf_release(&b);
}

/* Rows read by the exchange module, for a job's progress. */
static void import_progress(void *ctx, long rows)
{
    bp__job_progress(ctx, JOB_ROWS, rows, -1);
}

void h_import_csv(struct req *r)
{
    struct bp_import_result res = {0};
    struct bp_error err = {0};
    enum bp_exchange_kind k = (enum bp_exchange_kind)r->route->arg;
    struct bp_import_opts o = {0};
    long long total;
    char path[] = "/tmp/bienphong-upload-XXXXXX";
    json_t *after;
    int fd, rc;

    if (bp__refuse_csv_body(r))
        return;
    /* The exchange module reads files: hand it the upload as one. */
    fd = mkstemp(path);
    if (fd < 0 || write(fd, r->body.data, r->body.len) !=
                      (ssize_t)r->body.len) {
        if (fd >= 0) {
            close(fd);
            unlink(path);
        }
        bp__problem(r, 500, "internal", "Lỗi máy chủ", "Server error",
                    "cannot keep the upload", NULL);
        return;
    }
    close(fd);
    total = bp__job_csv_rows(r->body.data, r->body.len);
    bp__job_progress(r, JOB_ROWS, 0, total);
    o.progress = import_progress;
    o.progress_ctx = r;
    bp__write_lock(r->srv);
    rc = bp_import_file(r->st, k, path, &o, &res, &err);
    if (!rc) {
        after = json_pack("{s:I,s:I,s:I}", "rows", (json_int_t)res.rows,
                          "records", (json_int_t)res.records, "pledges",
                          (json_int_t)res.pledges);
        /* The import committed; its audit entry follows at once. */
        bp__audit(r, "import", bp_exchange_kind_name(k), NULL, NULL, after,
                  &err);
        bp__write_unlock(r->srv);
        bp__job_progress(r, JOB_ROWS, res.rows, res.rows);
        bp__reply_json(r, 200, after);
    } else {
        bp__write_unlock(r->srv);
        bp__problem_import(r, &res, &err);
    }
    unlink(path);
    bp_import_result_release(&res);
}
