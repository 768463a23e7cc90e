/* SPDX-License-Identifier: MIT */
/*
 * The review report's model: every figure computed once from the store
 * for a period and a scope (province, commune or station), with the
 * SHA-256 of the records it came from, so each rendering prints the same
 * numbers and a reader can later check which data they were drawn from.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/report.h"
#include "bienphong/store.h"
#include "bienphong/text.h"
#include "report/report_int.h"

#define MAP_POINTS 480

static const char *const section_names[BP_SECTION_COUNT] = {
    "headline", "years",        "communes", "stations", "diagram",
    "map",      "shortcomings", "patrols",  "campaign", "models",
};

const char *bp_report_section_name(enum bp_report_section s)
{
    return (unsigned)s < BP_SECTION_COUNT ? section_names[s] : "?";
}

void bp_report_options_init(struct bp_report_options *o)
{
    memset(o, 0, sizeof(*o));
    o->from = BP_DATE_NONE;
    o->to = BP_DATE_NONE;
    o->issued_on = BP_DATE_NONE;
    o->scope = BP_REPORT_PROVINCE;
    o->lang = BP_LANG_VI;
}

/* Everything read from the store, released together. */
struct src {
    struct bp_cov_input in;
    struct bp_cov_hold hold;
    struct bp_station *st;
    size_t nst;
    struct bp_commune *cm;
    size_t ncm;
    struct bp_marker *mk;
    size_t nmk;
    struct bp_custodian *cu;
    size_t ncu;
    struct bp_pledge *pl;
    size_t npl;
    struct bp_border_record brec;
    struct bp_border *border;
    struct bp_store *store; /* borrowed */
};

static void src_release(struct src *s)
{
    bp_store_cov_release(&s->hold);
    bp_store_station_list_free(s->st, s->nst);
    bp_store_commune_list_free(s->cm, s->ncm);
    bp_store_marker_list_free(s->mk, s->nmk);
    bp_store_custodian_list_free(s->cu, s->ncu);
    bp_store_pledge_list_free(s->pl, s->npl);
    bp_border_record_release(&s->brec);
    bp_border_free(s->border);
}

static int src_load(struct bp_store *st, struct src *s, struct bp_error *err)
{
    int rc;

    rc = bp_store_border_load(st, &s->brec, err);
    if (!rc)
        rc = bp_store_border_get(st, &s->border, err);
    if (!rc)
        rc = bp_store_cov_load(st, &s->in, &s->hold, err);
    if (!rc)
        rc = bp_store_station_list(st, &s->st, &s->nst, err);
    if (!rc)
        rc = bp_store_commune_list(st, &s->cm, &s->ncm, err);
    if (!rc)
        rc = bp_store_marker_list(st, &s->mk, &s->nmk, err);
    if (!rc)
        rc = bp_store_custodian_list(st, &s->cu, &s->ncu, err);
    if (!rc)
        rc = bp_store_pledge_list(st, &s->pl, &s->npl, err);
    return rc;
}

/* A canonical line per record into the hash: the fields the figures
 * depend on, measures to the millimetre, dates as ISO. */
static void hash_line(crypto_hash_sha256_state *h, struct bp_buf *b)
{
    crypto_hash_sha256_update(h, (const unsigned char *)b->data, b->len);
    bp_buf_setlen(b, 0);
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

static char *iso(int32_t d, char *out)
{
    if (d == BP_DATE_NONE) {
        out[0] = '-';
        out[1] = '\0';
        return out;
    }
    return bp_date_format_iso(d, out);
}

static int hash_records(const struct src *s, const struct bp_buf *more,
                        char hex[65])
{
    crypto_hash_sha256_state h;
    unsigned char md[crypto_hash_sha256_BYTES];
    struct bp_buf b = BP_BUF_INIT;
    char d1[16], d2[16];
    size_t i;
    int rc = 0;

    if (sodium_init() < 0)
        return BP_EIO;
    crypto_hash_sha256_init(&h);
    rc |= bp_buf_addf(&b, "border|%s|%zu|%.3f\n", nz(s->brec.name), s->brec.n,
                      s->in.length_m);
    hash_line(&h, &b);
    for (i = 0; i < s->brec.n; i++) {
        rc |= bp_buf_addf(&b, "v|%.7f|%.7f\n", s->brec.pts[i].lon,
                          s->brec.pts[i].lat);
        hash_line(&h, &b);
    }
    for (i = 0; i < s->nst; i++) {
        rc |= bp_buf_addf(&b, "station|%s|%s|%s|%s\n", s->st[i].id,
                          nz(s->st[i].code), nz(s->st[i].name),
                          iso(s->st[i].ended_on, d1));
        hash_line(&h, &b);
    }
    for (i = 0; i < s->ncm; i++) {
        const struct bp_commune *c = &s->cm[i];
        rc |= bp_buf_addf(&b, "commune|%s|%s|%s|%s|%s|%.3f|%.3f|%s\n", c->id,
                          nz(c->code), nz(c->name), nz(c->district),
                          c->station_id, c->from.measure_m, c->to.measure_m,
                          iso(c->ended_on, d1));
        hash_line(&h, &b);
    }
    for (i = 0; i < s->nmk; i++) {
        const struct bp_marker *m = &s->mk[i];
        rc |= bp_buf_addf(&b, "marker|%s|%s|%d|%.3f|%s\n", m->id, nz(m->number),
                          (int)m->kind, m->measure_m, iso(m->ended_on, d1));
        hash_line(&h, &b);
    }
    for (i = 0; i < s->ncu; i++) {
        const struct bp_custodian *c = &s->cu[i];
        rc |= bp_buf_addf(&b, "custodian|%s|%d|%d|%s|%s|%s\n", c->id,
                          (int)c->kind, (int)c->collective_kind, nz(c->name),
                          c->commune_id, iso(c->ended_on, d1));
        hash_line(&h, &b);
    }
    for (i = 0; i < s->npl; i++) {
        const struct bp_pledge *p = &s->pl[i];
        rc |= bp_buf_addf(&b, "pledge|%s|%s|%.3f|%.3f|%s|%s\n", p->id,
                          p->custodian_id, p->from.measure_m, p->to.measure_m,
                          iso(p->signed_on, d1), iso(p->ended_on, d2));
        hash_line(&h, &b);
    }
    bp_buf_release(&b);
    if (rc)
        return BP_ENOMEM;
    /* The patrol and campaign records, in their canonical lines. */
    if (more->len)
        crypto_hash_sha256_update(&h, (const unsigned char *)more->data,
                                  more->len);
    crypto_hash_sha256_final(&h, md);
    sodium_bin2hex(hex, 65, md, sizeof(md));
    return 0;
}

/* The day of year `y` for the yearly figures: the period end's day and
 * month (29/02 falls back to 28/02), never before the period's start. */
static int32_t year_day(int y, int32_t from, int32_t to)
{
    int m, d;
    int32_t day;

    bp_date_to_ymd(to, NULL, &m, &d);
    day = bp_date_valid(y, m, d) ? bp_date_from_ymd(y, m, d)
                                 : bp_date_from_ymd(y, m, d - 1);
    return day < from ? from : day;
}

static int same_name(const char *a, const char *b)
{
    char *fa = bp_text_fold(a), *fb = bp_text_fold(b);
    int eq = fa && fb && !strcmp(fa, fb);

    bp_free(fa);
    bp_free(fb);
    return eq;
}

/* Resolve the scope: the commune or station index, or -1. */
static int find_scope(const struct src *s, const struct bp_report_options *o,
                      long *idx, struct bp_error *err)
{
    size_t i;

    *idx = -1;
    if (o->scope == BP_REPORT_PROVINCE)
        return 0;
    if (!o->scope_ref || !*o->scope_ref)
        return bp_error_set(err, BP_EINVAL,
                            "a commune or station report needs its code");
    if (o->scope == BP_REPORT_COMMUNE) {
        for (i = 0; i < s->ncm && *idx < 0; i++)
            if (!strcmp(s->cm[i].code, o->scope_ref) ||
                !strcmp(s->cm[i].id, o->scope_ref))
                *idx = (long)i;
        for (i = 0; i < s->ncm && *idx < 0; i++)
            if (same_name(s->cm[i].name, o->scope_ref))
                *idx = (long)i;
        if (*idx < 0)
            return bp_error_set(err, BP_ENOTFOUND, "commune '%s' not found",
                                o->scope_ref);
    } else {
        for (i = 0; i < s->nst && *idx < 0; i++)
            if (!strcmp(s->st[i].code, o->scope_ref) ||
                !strcmp(s->st[i].id, o->scope_ref))
                *idx = (long)i;
        for (i = 0; i < s->nst && *idx < 0; i++)
            if (same_name(s->st[i].name, o->scope_ref))
                *idx = (long)i;
        if (*idx < 0)
            return bp_error_set(err, BP_ENOTFOUND, "station '%s' not found",
                                o->scope_ref);
    }
    return 0;
}

/* Is commune `i` in the scope? */
static int commune_in(const struct src *s, const struct bp_report *r,
                      long scope_idx, size_t i)
{
    if (r->scope == BP_REPORT_PROVINCE)
        return 1;
    if (r->scope == BP_REPORT_COMMUNE)
        return (long)i == scope_idx;
    return !strcmp(s->cm[i].station_id, s->st[scope_idx].id);
}

static const struct bp_cov_figures *
scope_fig(const struct bp_report *r, const struct bp_coverage *cv, long idx)
{
    if (r->scope == BP_REPORT_COMMUNE)
        return &cv->communes[idx];
    if (r->scope == BP_REPORT_STATION)
        return &cv->stations[idx];
    return &cv->total;
}

static int make_title(struct bp_report *r)
{
    struct bp_buf b = BP_BUF_INIT;
    int y0, y1, n, rc;

    bp_date_to_ymd(r->from, &y0, NULL, NULL);
    bp_date_to_ymd(r->to, &y1, NULL, NULL);
    n = y1 - y0;
    if (r->lang == BP_LANG_VI)
        rc = n >= 2 ? bp_buf_addf(&b,
                                  "Báo cáo sơ kết %d năm thực hiện Ngày "
                                  "Biên phòng toàn dân giai đoạn %d–%d",
                                  n, y0, y1)
                    : bp_buf_addf(&b,
                                  "Báo cáo kết quả thực hiện Ngày Biên "
                                  "phòng toàn dân năm %d",
                                  y1);
    else
        rc = n >= 2 ? bp_buf_addf(&b,
                                  "Review of %d years of the All-People "
                                  "Border Guard Day movement, %d–%d",
                                  n, y0, y1)
                    : bp_buf_addf(&b,
                                  "The All-People Border Guard Day "
                                  "movement in %d",
                                  y1);
    if (!rc && r->scope_name)
        rc = bp_buf_addf(&b, " — %s", r->scope_name);
    if (!rc) {
        r->title = bp_buf_take(&b, NULL);
        rc = r->title ? 0 : BP_ENOMEM;
    }
    bp_buf_release(&b);
    return rc;
}

static char *dup_or_null(const char *s, int *rc)
{
    char *d;

    if (!s)
        return NULL;
    d = bp_strdup(s);
    if (!d)
        *rc = BP_ENOMEM;
    return d;
}

static int fill_rows(struct bp_report *r, const struct src *s,
                     const struct bp_coverage *cv, long idx)
{
    size_t i, j, n = 0;
    int rc = 0;

    r->communes = bp_calloc(s->ncm + 1, sizeof(*r->communes));
    r->stations = bp_calloc(s->nst + 1, sizeof(*r->stations));
    if (!r->communes || !r->stations)
        return BP_ENOMEM;
    for (i = 0; i < s->ncm; i++) {
        struct bp_report_row *w;
        if (!commune_in(s, r, idx, i))
            continue;
        w = &r->communes[n++];
        w->code = dup_or_null(s->cm[i].code, &rc);
        w->name = dup_or_null(s->cm[i].name, &rc);
        w->parent = dup_or_null(s->cm[i].district, &rc);
        for (j = 0; j < s->nst; j++)
            if (!strcmp(s->st[j].id, s->cm[i].station_id))
                w->station_code = dup_or_null(s->st[j].code, &rc);
        w->from_m = s->cm[i].from.measure_m;
        w->to_m = s->cm[i].to.measure_m;
        w->fig = cv->communes[i];
    }
    r->ncommunes = n;
    n = 0;
    /* A commune report holds only its commune: no station table. */
    for (i = 0; i < s->nst && r->scope != BP_REPORT_COMMUNE; i++) {
        struct bp_report_row *w;
        if (r->scope == BP_REPORT_STATION && (long)i != idx)
            continue;
        w = &r->stations[n++];
        w->code = dup_or_null(s->st[i].code, &rc);
        w->name = dup_or_null(s->st[i].name, &rc);
        w->fig = cv->stations[i];
    }
    r->nstations_rows = n;
    return rc;
}

/* The scope as a normal span set: the stretches of its communes. */
static int scope_spans(struct bp_report *r, struct bp_spanset *scope)
{
    size_t i;

    if (r->scope == BP_REPORT_PROVINCE)
        return bp_spanset_add(scope, 0, r->border_m);
    for (i = 0; i < r->ncommunes; i++)
        if (bp_spanset_add(scope, r->communes[i].from_m, r->communes[i].to_m))
            return BP_ENOMEM;
    bp_spanset_normalise(scope);
    return 0;
}

static int fill_gaps(struct bp_report *r, const struct src *s,
                     const struct bp_marker **live, size_t nlive,
                     const struct bp_spanset *scope, struct bp_error *err)
{
    struct bp_gap *g = NULL;
    struct bp_overlap *ov = NULL;
    size_t ng = 0, nov = 0, i, j;
    int rc;

    rc = bp_coverage_gaps(&s->in, r->to, &g, &ng, err);
    if (!rc)
        rc = bp_coverage_overlaps(&s->in, r->to, &ov, &nov, err);
    if (rc)
        goto out;
    r->gaps = bp_calloc(ng + 1, sizeof(*r->gaps));
    if (!r->gaps) {
        rc = BP_ENOMEM;
        goto out;
    }
    for (i = 0; i < ng; i++)
        for (j = 0; j < scope->n; j++) {
            double a = fmax(g[i].from_m, scope->v[j].from_m);
            double b = fmin(g[i].to_m, scope->v[j].to_m);
            struct bp_report_gap *w;
            if (b <= a)
                continue;
            w = &r->gaps[r->ngaps++];
            w->from_m = a;
            w->to_m = b;
            if (g[i].marker_before >= 0 && (size_t)g[i].marker_before < nlive)
                w->marker_before =
                    dup_or_null(live[g[i].marker_before]->number, &rc);
            if (g[i].marker_after >= 0 && (size_t)g[i].marker_after < nlive)
                w->marker_after =
                    dup_or_null(live[g[i].marker_after]->number, &rc);
            if (g[i].commune >= 0 && (size_t)g[i].commune < s->ncm) {
                w->commune_code = dup_or_null(s->cm[g[i].commune].code, &rc);
                w->commune_name = dup_or_null(s->cm[g[i].commune].name, &rc);
            }
            r->gaps_m += b - a;
            /* A gap can cross several scope stretches: grow if needed. */
            if (r->ngaps > ng) {
                struct bp_report_gap *v = bp_reallocarray(
                    r->gaps, r->ngaps + ng + 1, sizeof(*r->gaps));
                if (!v) {
                    rc = BP_ENOMEM;
                    goto out;
                }
                memset(v + r->ngaps, 0, (ng + 1) * sizeof(*v));
                r->gaps = v;
            }
        }
    for (i = 0; i < nov; i++) {
        double len = 0;
        for (j = 0; j < scope->n; j++) {
            double a = fmax(ov[i].from_m, scope->v[j].from_m);
            double b = fmin(ov[i].to_m, scope->v[j].to_m);
            if (b > a)
                len += b - a;
        }
        if (len > 0) {
            r->noverlaps++;
            r->overlaps_m += len;
        }
    }
out:
    bp_free(g);
    bp_overlaps_free(ov, nov);
    return rc;
}

static int fill_markers(struct bp_report *r, const struct bp_marker **live,
                        size_t nlive, const struct bp_spanset *scope)
{
    size_t i;
    int rc = 0;

    r->markers = bp_calloc(nlive + 1, sizeof(*r->markers));
    if (!r->markers)
        return BP_ENOMEM;
    for (i = 0; i < nlive; i++) {
        const struct bp_marker *m = live[i];
        struct bp_report_marker *w;
        size_t j;
        int in = 0;
        for (j = 0; j < scope->n && !in; j++)
            in = m->measure_m >= scope->v[j].from_m &&
                 m->measure_m <= scope->v[j].to_m;
        if (!in)
            continue;
        w = &r->markers[r->nmarkers++];
        w->measure_m = m->measure_m;
        w->number = dup_or_null(m->number, &rc);
        w->main = m->kind == BP_MARKER_MAIN;
        w->pledged = bp_spanset_contains(&r->covered, m->measure_m);
    }
    return rc;
}

static int fill_map(struct bp_report *r, const struct bp_border *border)
{
    double a = r->scope_from_m, b = r->scope_to_m;
    size_t i;

    r->map = bp_calloc(MAP_POINTS, sizeof(*r->map));
    if (!r->map)
        return BP_ENOMEM;
    for (i = 0; i < MAP_POINTS; i++) {
        double m = a + (b - a) * (double)i / (MAP_POINTS - 1);
        struct bp_lonlat p;
        if (bp_border_point(border, fmin(m, bp_border_length_m(border)), &p))
            continue;
        r->map[r->nmap].lon = p.lon;
        r->map[r->nmap].lat = p.lat;
        r->map[r->nmap].measure_m = m;
        r->nmap++;
    }
    return 0;
}

void bp__report_progress(const struct bp_report *r, double f, const char *stage)
{
    if (r->progress)
        r->progress(r->progress_ctx, f, stage);
}

static int build(struct bp_report *r, const struct src *s,
                 const struct bp_report_options *o, struct bp_error *err)
{
    struct bp_coverage cv;
    struct bp_spanset scope;
    const struct bp_marker **live = NULL;
    const char **ids = NULL;
    struct bp_buf more = BP_BUF_INIT;
    size_t nlive = 0, nids = 0, i;
    long idx;
    int y0, y1, y, rc, have_cv = 0;

    bp_spanset_init(&scope);
    rc = find_scope(s, o, &idx, err);
    if (rc)
        goto out;
    r->nstations = s->nst;
    r->ncommunes_all = s->ncm;
    r->nmarkers_all = s->nmk;
    r->ncustodians_all = s->ncu;
    r->npledges_all = s->npl;
    r->border_m = s->in.length_m;
    if (idx >= 0) {
        const char *code =
            o->scope == BP_REPORT_COMMUNE ? s->cm[idx].code : s->st[idx].code;
        const char *name =
            o->scope == BP_REPORT_COMMUNE ? s->cm[idx].name : s->st[idx].name;
        r->scope_code = dup_or_null(code, &rc);
        r->scope_name = dup_or_null(name, &rc);
    }
    r->issuer = dup_or_null(o->issuer ? o->issuer
                            : o->lang == BP_LANG_VI
                                ? "BỘ CHỈ HUY BỘ ĐỘI BIÊN PHÒNG TỈNH"
                                : "PROVINCIAL BORDER GUARD COMMAND",
                            &rc);
    r->place = dup_or_null(o->place ? o->place : "Lạng Sơn", &rc);
    r->border_name = dup_or_null(s->brec.name, &rc);
    if (!rc)
        rc = make_title(r);
    if (rc)
        goto out;
    bp__report_progress(r, 0.1, "coverage");
    rc = bp_coverage_compute(&s->in, r->to, &cv, err);
    if (rc)
        goto out;
    have_cv = 1;
    r->headline = *scope_fig(r, &cv, idx);
    rc = fill_rows(r, s, &cv, idx);
    if (!rc)
        rc = scope_spans(r, &scope);
    if (rc)
        goto out;
    r->scope_from_m = scope.n ? scope.v[0].from_m : 0;
    r->scope_to_m = scope.n ? scope.v[scope.n - 1].to_m : 0;
    rc = bp_spanset_intersect(&cv.covered, &scope, &r->covered);
    if (rc)
        goto out;

    /* Year by year, each year's figures of the scope. */
    bp_date_to_ymd(r->from, &y0, NULL, NULL);
    bp_date_to_ymd(r->to, &y1, NULL, NULL);
    r->years = bp_calloc((size_t)(y1 - y0 + 1), sizeof(*r->years));
    if (!r->years) {
        rc = BP_ENOMEM;
        goto out;
    }
    for (y = y0; y <= y1; y++) {
        struct bp_coverage cy;
        struct bp_report_year *w = &r->years[r->nyears++];
        w->year = y;
        w->as_of = year_day(y, r->from, r->to);
        rc = bp_coverage_compute(&s->in, w->as_of, &cy, err);
        if (rc)
            goto out;
        w->fig = *scope_fig(r, &cy, idx);
        bp_coverage_release(&cy);
        bp__report_progress(r, 0.1 + 0.4 * (y - y0 + 1) / (y1 - y0 + 1),
                            "years");
    }

    /* The standing markers in measure order, as coverage indexes them. */
    live = bp_calloc(s->nmk + 1, sizeof(*live));
    if (!live) {
        rc = BP_ENOMEM;
        goto out;
    }
    for (i = 0; i < s->nmk; i++)
        if (s->mk[i].ended_on == BP_DATE_NONE)
            live[nlive++] = &s->mk[i];
    rc = fill_gaps(r, s, live, nlive, &scope, err);
    if (!rc)
        rc = fill_markers(r, live, nlive, &scope);
    if (!rc)
        rc = fill_map(r, s->border);
    if (rc)
        goto out;
    r->markers_unpledged =
        r->headline.markers_total - r->headline.markers_pledged;
    for (i = BP_SECTION_HEADLINE; i <= BP_SECTION_SHORTCOMINGS; i++)
        r->section_present[i] = 1;
    if (r->scope == BP_REPORT_COMMUNE)
        r->section_present[BP_SECTION_STATIONS] = 0;

    /* Patrols, the campaign and the models, with their records hashed. */
    ids = bp_calloc(s->ncm + 1, sizeof(*ids));
    if (!ids) {
        rc = BP_ENOMEM;
        goto out;
    }
    for (i = 0; i < s->ncm; i++)
        if (commune_in(s, r, idx, i))
            ids[nids++] = s->cm[i].id;
    rc = bp__report_activity(r, s->store, &scope, ids, nids,
                             r->scope == BP_REPORT_STATION ? s->st[idx].id
                                                           : NULL,
                             s->mk, s->nmk, &more, err);
    if (rc)
        goto out;
    rc = hash_records(s, &more, r->records_sha256);
    if (rc) {
        bp_error_set(err, rc, "cannot hash the records");
        goto out;
    }
    bp__report_progress(r, 0.6, "model");
out:
    if (rc == BP_ENOMEM && err && !err->code)
        bp_error_set(err, rc, "out of memory");
    if (have_cv)
        bp_coverage_release(&cv);
    bp_free(live);
    bp_free(ids);
    bp_buf_release(&more);
    bp_spanset_release(&scope);
    return rc;
}

int bp_report_build(struct bp_store *st, const struct bp_report_options *o,
                    struct bp_report **out, struct bp_error *err)
{
    struct src s;
    struct bp_report *r = NULL;
    int y0, y1, rc;

    memset(&s, 0, sizeof(s));
    s.store = st;
    if (!st || !o || !out)
        return bp_error_set(err, BP_EINVAL, "no store or options");
    if (o->from == BP_DATE_NONE || o->to == BP_DATE_NONE || o->from > o->to)
        return bp_error_set(err, BP_EINVAL,
                            "the period needs a start on or before its end");
    bp_date_to_ymd(o->from, &y0, NULL, NULL);
    bp_date_to_ymd(o->to, &y1, NULL, NULL);
    if (y1 - y0 > 50)
        return bp_error_set(err, BP_EINVAL,
                            "the period %d–%d is longer than 50 years", y0, y1);
    r = bp_calloc(1, sizeof(*r));
    if (!r) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    bp_spanset_init(&r->covered);
    bp_spanset_init(&r->walked);
    bp_spanset_init(&r->road);
    bp_spanset_init(&r->lit);
    bp_spanset_init(&r->bamboo);
    r->from = o->from;
    r->to = o->to;
    r->issued_on =
        o->issued_on == BP_DATE_NONE ? bp_date_today() : o->issued_on;
    r->lang = o->lang;
    r->scope = o->scope;
    r->progress = o->progress;
    r->progress_ctx = o->progress_ctx;
    bp__report_progress(r, 0, "records");
    rc = src_load(st, &s, err);
    if (!rc)
        rc = build(r, &s, o, err);
    if (!rc) {
        *out = r;
        r = NULL;
    }
out:
    bp_report_free(r);
    src_release(&s);
    return rc;
}

static void rows_free(struct bp_report_row *v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++) {
        bp_free(v[i].code);
        bp_free(v[i].name);
        bp_free(v[i].parent);
        bp_free(v[i].station_code);
    }
    bp_free(v);
}

void bp_report_free(struct bp_report *r)
{
    size_t i;

    if (!r)
        return;
    bp_free(r->scope_code);
    bp_free(r->scope_name);
    bp_free(r->issuer);
    bp_free(r->place);
    bp_free(r->title);
    bp_free(r->border_name);
    bp_free(r->years);
    /* Rows are allocated before they are counted: free every slot. */
    rows_free(r->communes, r->ncommunes_all);
    rows_free(r->stations, r->nstations);
    for (i = 0; r->gaps && i < r->ngaps; i++) {
        bp_free(r->gaps[i].marker_before);
        bp_free(r->gaps[i].marker_after);
        bp_free(r->gaps[i].commune_code);
        bp_free(r->gaps[i].commune_name);
    }
    bp_free(r->gaps);
    for (i = 0; r->markers && i < r->nmarkers; i++)
        bp_free(r->markers[i].number);
    bp_free(r->markers);
    bp_spanset_release(&r->covered);
    bp_spanset_release(&r->walked);
    bp_spanset_release(&r->road);
    bp_spanset_release(&r->lit);
    bp_spanset_release(&r->bamboo);
    bp_free(r->campaign.name);
    for (i = 0; r->overdue && i < r->noverdue; i++) {
        bp_free(r->overdue[i].commune_code);
        bp_free(r->overdue[i].commune_name);
    }
    bp_free(r->overdue);
    for (i = 0; r->markers_due && i < r->nmarkers_due; i++) {
        bp_free(r->markers_due[i].number);
        bp_free(r->markers_due[i].commune_code);
    }
    bp_free(r->markers_due);
    bp_free(r->map);
    bp_free(r);
}
