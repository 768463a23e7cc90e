/* SPDX-License-Identifier: MIT */
/*
 * Exports of registry records: CSV with a UTF-8 BOM, CRLF line ends and
 * Vietnamese headers that the imports read back, or GeoJSON with the
 * markers as points and the stretches (communes, pledges, gaps) as the
 * part of the border line between their measures.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/csv.h"
#include "bienphong/date.h"
#include "bienphong/exchange.h"
#include "exchange/exchange_int.h"

/* Everything an export may need, loaded once. */
struct exp {
    struct bp_store *st;
    struct bp_station *stations;
    size_t nstations;
    struct bp_commune *communes;
    size_t ncommunes;
    struct bp_village *villages;
    size_t nvillages;
    struct bp_marker *markers;
    size_t nmarkers;
    struct bp_custodian *custodians;
    size_t ncustodians;
    struct bp_pledge *pledges;
    size_t npledges;
    struct bp__xmap by_id; /* station/commune/village/custodian id -> idx */
    struct bp_border *border;
    struct bp_csv_writer w;
    struct bp_buf *out;
    int geojson;
    size_t nfeatures;
};

static const char *station_code(struct exp *x, const char *id)
{
    long i = id[0] ? bp__xmap_get(&x->by_id, id) : -1;
    return i >= 0 && (size_t)i < x->nstations && !strcmp(x->stations[i].id, id)
               ? x->stations[i].code
               : "";
}

static const struct bp_commune *commune_of(struct exp *x, const char *id)
{
    long i = id[0] ? bp__xmap_get(&x->by_id, id) : -1;
    return i >= 0 && (size_t)i < x->ncommunes && !strcmp(x->communes[i].id, id)
               ? &x->communes[i]
               : NULL;
}

static const char *village_name(struct exp *x, const char *id)
{
    long i = id[0] ? bp__xmap_get(&x->by_id, id) : -1;
    return i >= 0 && (size_t)i < x->nvillages && !strcmp(x->villages[i].id, id)
               ? x->villages[i].name
               : "";
}

static const struct bp_custodian *custodian_of(struct exp *x, const char *id)
{
    long i = id[0] ? bp__xmap_get(&x->by_id, id) : -1;
    return i >= 0 && (size_t)i < x->ncustodians &&
                   !strcmp(x->custodians[i].id, id)
               ? &x->custodians[i]
               : NULL;
}

static char *fmt_km(double m, char *out, size_t size)
{
    if (!isfinite(m))
        out[0] = '\0';
    else
        snprintf(out, size, "%.3f", m / 1000.0);
    return out;
}

static char *fmt_date(int32_t day, char *out)
{
    if (day == BP_DATE_NONE)
        out[0] = '\0';
    else
        bp_date_format_vi(day, out);
    return out;
}

/* "1120+350" for an anchor at a marker; "" for an anchor by km. */
static char *fmt_anchor(const struct bp_anchor *a, char *out, size_t size)
{
    if (!a->marker_key[0])
        out[0] = '\0';
    else if (a->offset_m == 0)
        snprintf(out, size, "%s", a->marker_key);
    else
        snprintf(out, size, "%s%+.0f", a->marker_key, a->offset_m);
    return out;
}

static int row(struct exp *x, const char *const *f, size_t n)
{
    return bp_csv_write_row(&x->w, f, n);
}

/* Start a GeoJSON feature with the line between two measures, or a
 * point; then properties follow as "key": value pairs. */
static int feature_line(struct exp *x, double from_m, double to_m)
{
    struct bp_lonlat *pts = NULL;
    size_t n = 0, i;
    int rc;

    rc = bp_border_slice(x->border, from_m, to_m, &pts, &n, NULL);
    if (rc)
        return rc;
    rc = bp_buf_addf(x->out,
                     "%s\n{\"type\":\"Feature\",\"geometry\":{\"type\":"
                     "\"LineString\",\"coordinates\":[",
                     x->nfeatures++ ? "," : "");
    for (i = 0; i < n && !rc; i++)
        rc = bp_buf_addf(x->out, "%s[%.7f,%.7f]", i ? "," : "", pts[i].lon,
                         pts[i].lat);
    if (!rc)
        rc = bp_buf_adds(x->out, "]},\"properties\":{");
    bp_free(pts);
    return rc;
}

static int prop_s(struct exp *x, int first, const char *k, const char *v)
{
    int rc = bp_buf_addf(x->out, "%s\"%s\":", first ? "" : ",", k);
    return rc ? rc : bp__json_string(x->out, v && *v ? v : NULL);
}

static int prop_n(struct exp *x, const char *k, double v)
{
    if (!isfinite(v))
        return bp_buf_addf(x->out, ",\"%s\":null", k);
    return bp_buf_addf(x->out, ",\"%s\":%.3f", k, v);
}

static int end_feature(struct exp *x)
{
    return bp_buf_adds(x->out, "}}");
}

static int export_stations(struct exp *x)
{
    static const char *const h[] = {"ma_don", "ten_don", "ngay_ket_thuc", "id"};
    char d[16];
    size_t i;
    int rc = row(x, h, 4);

    for (i = 0; i < x->nstations && !rc; i++) {
        const struct bp_station *s = &x->stations[i];
        const char *f[] = {s->code, s->name, fmt_date(s->ended_on, d), s->id};
        rc = row(x, f, 4);
    }
    return rc;
}

static int export_communes(struct exp *x)
{
    static const char *const h[] = {
        "ma_xa",   "ten_xa", "huyen",  "don_bien_phong", "tu_moc",
        "den_moc", "tu_km",  "den_km", "chieu_dai_km",   "id"};
    char a1[48], a2[48], k1[32], k2[32], k3[32];
    size_t i;
    int rc = x->geojson ? 0 : row(x, h, 10);

    for (i = 0; i < x->ncommunes && !rc; i++) {
        const struct bp_commune *c = &x->communes[i];
        const char *f[] = {
            c->code,
            c->name,
            c->district,
            station_code(x, c->station_id),
            fmt_anchor(&c->from, a1, sizeof(a1)),
            fmt_anchor(&c->to, a2, sizeof(a2)),
            fmt_km(c->from.measure_m, k1, sizeof(k1)),
            fmt_km(c->to.measure_m, k2, sizeof(k2)),
            fmt_km(c->to.measure_m - c->from.measure_m, k3, sizeof(k3)),
            c->id};
        if (!x->geojson) {
            rc = row(x, f, 10);
            continue;
        }
        if (feature_line(x, c->from.measure_m, c->to.measure_m))
            continue; /* a stretch off the current line has no geometry */
        rc = prop_s(x, 1, "id", c->id);
        rc = rc ? rc : prop_s(x, 0, "code", c->code);
        rc = rc ? rc : prop_s(x, 0, "name", c->name);
        rc = rc ? rc : prop_s(x, 0, "district", c->district);
        rc = rc ? rc : prop_s(x, 0, "station", f[3]);
        rc = rc ? rc : prop_n(x, "from_m", c->from.measure_m);
        rc = rc ? rc : prop_n(x, "to_m", c->to.measure_m);
        rc = rc ? rc : end_feature(x);
    }
    return rc;
}

static int export_villages(struct exp *x)
{
    static const char *const h[] = {"ten_thon", "xa", "ten_xa", "id"};
    size_t i;
    int rc = row(x, h, 4);

    for (i = 0; i < x->nvillages && !rc; i++) {
        const struct bp_village *v = &x->villages[i];
        const struct bp_commune *c = commune_of(x, v->commune_id);
        const char *f[] = {v->name, c ? c->code : "", c ? c->name : "", v->id};
        rc = row(x, f, 4);
    }
    return rc;
}

static int export_markers(struct exp *x)
{
    static const char *const h[] = {"so_moc",    "loai", "kinh_do",
                                    "vi_do",     "km",   "km_chinh_thuc",
                                    "do_lech_m", "id"};
    char lon[32], lat[32], km[32], okm[32], off[32];
    size_t i;
    int rc = x->geojson ? 0 : row(x, h, 8);

    for (i = 0; i < x->nmarkers && !rc; i++) {
        const struct bp_marker *m = &x->markers[i];
        if (x->geojson) {
            rc = bp_buf_addf(x->out,
                             "%s\n{\"type\":\"Feature\",\"geometry\":{"
                             "\"type\":\"Point\",\"coordinates\":[%.7f,%.7f]}"
                             ",\"properties\":{",
                             x->nfeatures++ ? "," : "", m->lon, m->lat);
            rc = rc ? rc : prop_s(x, 1, "id", m->id);
            rc = rc ? rc : prop_s(x, 0, "number", m->number);
            rc = rc ? rc : prop_s(x, 0, "kind", bp_marker_kind_name(m->kind));
            rc = rc ? rc : prop_n(x, "measure_m", m->measure_m);
            rc = rc ? rc
                    : (isfinite(m->official_m)
                           ? bp_buf_addf(x->out, ",\"official_km\":%.3f",
                                         m->official_m / 1000)
                           : bp_buf_adds(x->out, ",\"official_km\":null"));
            rc = rc ? rc : end_feature(x);
            continue;
        }
        snprintf(lon, sizeof(lon), "%.7f", m->lon);
        snprintf(lat, sizeof(lat), "%.7f", m->lat);
        if (isfinite(m->offset_m))
            snprintf(off, sizeof(off), "%.1f", m->offset_m);
        else
            off[0] = '\0';
        {
            const char *f[] = {m->number,
                               bp_marker_kind_vi(m->kind),
                               lon,
                               lat,
                               fmt_km(m->measure_m, km, sizeof(km)),
                               fmt_km(m->official_m, okm, sizeof(okm)),
                               off,
                               m->id};
            rc = row(x, f, 8);
        }
    }
    return rc;
}

static int export_custodians(struct exp *x)
{
    static const char *const h[] = {"ten",  "loai",          "thon",
                                    "xa",   "so_nhan_khau",  "so_dien_thoai",
                                    "cccd", "nguoi_lien_he", "ngay_ket_thuc",
                                    "id"};
    char mem[16], d[16];
    size_t i;
    int rc = row(x, h, 10);

    for (i = 0; i < x->ncustodians && !rc; i++) {
        const struct bp_custodian *c = &x->custodians[i];
        const struct bp_commune *cm = commune_of(x, c->commune_id);
        int hh = c->kind == BP_HOUSEHOLD;
        const char *f[10];

        snprintf(mem, sizeof(mem), "%d", c->members);
        f[0] = c->name;
        f[1] = hh ? "hộ gia đình" : bp_collective_kind_vi(c->collective_kind);
        f[2] = village_name(x, c->village_id);
        f[3] = cm ? cm->code : "";
        f[4] = hh ? mem : "";
        f[5] = c->phone;
        f[6] = c->citizen_id;
        f[7] = c->contact;
        f[8] = fmt_date(c->ended_on, d);
        f[9] = c->id;
        rc = row(x, f, 10);
    }
    return rc;
}

static int export_pledges(struct exp *x)
{
    static const char *const h[] = {"ho_tu_quan",
                                    "ten_ho_tu_quan",
                                    "tu_moc",
                                    "den_moc",
                                    "tu_km",
                                    "den_km",
                                    "chieu_dai_km",
                                    "ngay_ky",
                                    "ngay_ket_thuc",
                                    "don_bien_phong",
                                    "so_van_ban",
                                    "ghi_chu",
                                    "id"};
    char a1[48], a2[48], k1[32], k2[32], k3[32], d1[16], d2[16];
    size_t i;
    int rc = x->geojson ? 0 : row(x, h, 13);

    for (i = 0; i < x->npledges && !rc; i++) {
        const struct bp_pledge *p = &x->pledges[i];
        const struct bp_custodian *c = custodian_of(x, p->custodian_id);
        const char *f[] = {
            p->custodian_id,
            c ? c->name : "",
            fmt_anchor(&p->from, a1, sizeof(a1)),
            fmt_anchor(&p->to, a2, sizeof(a2)),
            fmt_km(p->from.measure_m, k1, sizeof(k1)),
            fmt_km(p->to.measure_m, k2, sizeof(k2)),
            fmt_km(p->to.measure_m - p->from.measure_m, k3, sizeof(k3)),
            fmt_date(p->signed_on, d1),
            fmt_date(p->ended_on, d2),
            station_code(x, p->station_id),
            p->doc_no,
            p->note,
            p->id};
        if (!x->geojson) {
            rc = row(x, f, 13);
            continue;
        }
        if (feature_line(x, p->from.measure_m, p->to.measure_m))
            continue;
        rc = prop_s(x, 1, "id", p->id);
        rc = rc ? rc : prop_s(x, 0, "custodian_id", p->custodian_id);
        rc = rc ? rc : prop_s(x, 0, "custodian", f[1]);
        rc = rc ? rc : prop_n(x, "from_m", p->from.measure_m);
        rc = rc ? rc : prop_n(x, "to_m", p->to.measure_m);
        rc = rc ? rc
                : prop_s(x, 0, "signed_on",
                         bp_date_format_iso(p->signed_on, d1));
        rc = rc ? rc
                : prop_s(x, 0, "ended_on",
                         p->ended_on == BP_DATE_NONE
                             ? NULL
                             : bp_date_format_iso(p->ended_on, d2));
        rc = rc ? rc : end_feature(x);
    }
    return rc;
}

static int export_gaps(struct exp *x, int32_t as_of, struct bp_error *err)
{
    static const char *const h[] = {"tu_km",     "den_km",  "chieu_dai_km",
                                    "moc_truoc", "moc_sau", "xa"};
    struct bp_cov_input in;
    struct bp_cov_hold hold;
    struct bp_gap *gaps = NULL;
    const struct bp_marker **live = NULL;
    size_t n = 0, i, nl = 0;
    char k1[32], k2[32], k3[32];
    int rc;

    memset(&hold, 0, sizeof(hold));
    rc = bp_store_cov_load(x->st, &in, &hold, err);
    if (rc)
        goto out;
    rc = bp_coverage_gaps(&in, as_of, &gaps, &n, err);
    if (rc)
        goto out;
    /* The markers behind marker_m: the live ones, by measure. */
    live = bp_calloc(x->nmarkers + 1, sizeof(*live));
    if (!live) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < x->nmarkers; i++)
        if (x->markers[i].ended_on == BP_DATE_NONE)
            live[nl++] = &x->markers[i];
    if (!x->geojson)
        rc = row(x, h, 6);
    for (i = 0; i < n && !rc; i++) {
        const struct bp_gap *g = &gaps[i];
        const char *mb = g->marker_before >= 0 && (size_t)g->marker_before < nl
                             ? live[g->marker_before]->number
                             : "";
        const char *ma = g->marker_after >= 0 && (size_t)g->marker_after < nl
                             ? live[g->marker_after]->number
                             : "";
        const char *cm = g->commune >= 0 && (size_t)g->commune < x->ncommunes
                             ? x->communes[g->commune].code
                             : "";
        const char *f[] = {fmt_km(g->from_m, k1, sizeof(k1)),
                           fmt_km(g->to_m, k2, sizeof(k2)),
                           fmt_km(g->to_m - g->from_m, k3, sizeof(k3)),
                           mb,
                           ma,
                           cm};
        if (!x->geojson) {
            rc = row(x, f, 6);
            continue;
        }
        if (feature_line(x, g->from_m, g->to_m))
            continue;
        rc = prop_s(x, 1, "commune", cm);
        rc = rc ? rc : prop_s(x, 0, "marker_before", mb);
        rc = rc ? rc : prop_s(x, 0, "marker_after", ma);
        rc = rc ? rc : prop_n(x, "from_m", g->from_m);
        rc = rc ? rc : prop_n(x, "to_m", g->to_m);
        rc = rc ? rc : end_feature(x);
    }
    if (rc)
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
out:
    bp_free(live);
    bp_free(gaps);
    bp_store_cov_release(&hold);
    return rc;
}

int bp_export(struct bp_store *st, enum bp_exchange_kind kind,
              enum bp_export_format fmt, int32_t as_of, struct bp_buf *out,
              struct bp_error *err)
{
    struct exp x;
    size_t i, start = out ? out->len : 0;
    int rc = 0;

    if (!st || !out || (unsigned)kind > BP_X_GAPS)
        return bp_error_set(err, BP_EINVAL, "bad arguments to export");
    if (fmt == BP_FMT_GEOJSON &&
        (kind == BP_X_STATIONS || kind == BP_X_VILLAGES ||
         kind == BP_X_CUSTODIANS))
        return bp_error_set(err, BP_EINVAL,
                            "'%s' have no geometry; export them as CSV",
                            bp_exchange_kind_name(kind));
    memset(&x, 0, sizeof(x));
    x.st = st;
    x.out = out;
    x.geojson = fmt == BP_FMT_GEOJSON;
    bp__xmap_init(&x.by_id);
    rc = bp_store_station_list(st, &x.stations, &x.nstations, err);
    rc = rc ? rc : bp_store_commune_list(st, &x.communes, &x.ncommunes, err);
    rc = rc ? rc : bp_store_village_list(st, &x.villages, &x.nvillages, err);
    rc = rc ? rc : bp_store_marker_list(st, &x.markers, &x.nmarkers, err);
    if (!rc && (kind == BP_X_CUSTODIANS || kind == BP_X_PLEDGES))
        rc = bp_store_custodian_list(st, &x.custodians, &x.ncustodians, err);
    if (!rc && kind == BP_X_PLEDGES)
        rc = bp_store_pledge_list(st, &x.pledges, &x.npledges, err);
    if (!rc && x.geojson)
        rc = bp_store_border_get(st, &x.border, err);
    if (rc)
        goto out;
    for (i = 0; i < x.nstations && !rc; i++)
        rc = bp__xmap_set(&x.by_id, x.stations[i].id, (long)i);
    for (i = 0; i < x.ncommunes && !rc; i++)
        rc = bp__xmap_set(&x.by_id, x.communes[i].id, (long)i);
    for (i = 0; i < x.nvillages && !rc; i++)
        rc = bp__xmap_set(&x.by_id, x.villages[i].id, (long)i);
    for (i = 0; i < x.ncustodians && !rc; i++)
        rc = bp__xmap_set(&x.by_id, x.custodians[i].id, (long)i);
    if (rc)
        goto oom;
    bp_csv_writer_init(&x.w, out, ',');
    if (x.geojson)
        rc = bp_buf_adds(out, "{\"type\":\"FeatureCollection\",\"features\":[");
    else
        rc = bp_csv_write_bom(&x.w);
    if (rc)
        goto oom;
    switch (kind) {
    case BP_X_STATIONS:
        rc = export_stations(&x);
        break;
    case BP_X_COMMUNES:
        rc = export_communes(&x);
        break;
    case BP_X_VILLAGES:
        rc = export_villages(&x);
        break;
    case BP_X_MARKERS:
        rc = export_markers(&x);
        break;
    case BP_X_CUSTODIANS:
        rc = export_custodians(&x);
        break;
    case BP_X_PLEDGES:
        rc = export_pledges(&x);
        break;
    case BP_X_GAPS:
        rc = export_gaps(&x, as_of, err);
        if (rc)
            goto out;
        break;
    }
    if (rc)
        goto oom;
    if (x.geojson && bp_buf_adds(out, "\n]}\n"))
        goto oom;
    goto out;
oom:
    rc = bp_error_set(err, BP_ENOMEM, "out of memory");
out:
    if (rc)
        bp_buf_setlen(out, start);
    bp_border_free(x.border);
    bp__xmap_release(&x.by_id);
    bp_store_station_list_free(x.stations, x.nstations);
    bp_store_commune_list_free(x.communes, x.ncommunes);
    bp_store_village_list_free(x.villages, x.nvillages);
    bp_store_marker_list_free(x.markers, x.nmarkers);
    bp_store_custodian_list_free(x.custodians, x.ncustodians);
    bp_store_pledge_list_free(x.pledges, x.npledges);
    return rc;
}
