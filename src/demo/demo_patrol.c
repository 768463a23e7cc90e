/* SPDX-License-Identifier: MIT */
/*
 * The demo province's patrols: every station patrols a pledged stretch of
 * its communes about twice a month from 2019 to 2024 with the custodians
 * who pledged it, leaving GPS tracks along the home side of the line with
 * realistic noise and pauses; a few tracks are bad (driven, without times,
 * replayed, with points at 0,0), some of them approved. Plus marker
 * inspections and incidents. Synthetic, from a fixed seed.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "demo/demo_int.h"
#include "demo/demo_patrol_int.h"

#define SEED_PATROL 0x7a7201c0ffee2019ull
#define FIX_EVERY_S 30

struct pgen {
    struct bp_store *st;
    struct bp_demo_rng rng;
    const struct bp_border *b;
    struct bp_verify_data d;
    struct bp_demo_summary *sum;
    struct bp_track t, last;
    uint32_t *cand;
    bp_uuid last_patrol;
};

static double unit(struct pgen *g)
{
    return bp_demo_rng_unit(&g->rng);
}

/* Roughly normal, mean 0, standard deviation 1. */
static double gauss(struct pgen *g)
{
    return (unit(g) + unit(g) + unit(g) + unit(g) - 2.0) * 1.732;
}

/* The point `off` metres to the home side of measure `m`. */
static struct bp_lonlat beside(struct pgen *g, double m, double off)
{
    double len = bp_border_length_m(g->b);
    struct bp_lonlat p, q;
    double az, m2 = m + 10 <= len ? m + 10 : m - 10;

    if (m < 0)
        m = 0;
    if (m > len)
        m = len;
    bp_border_point(g->b, m, &p);
    bp_border_point(g->b, m2, &q);
    az = atan2((q.lon - p.lon) * cos(p.lat * M_PI / 180), q.lat - p.lat) *
         180 / M_PI;
    if (m2 < m)
        az += 180;
    az += bp_border_home_side(g->b) == BP_HOME_RIGHT ? 90 : -90;
    return bp_geo_direct(p, az, off);
}

static int add_fix(struct pgen *g, double m, double off, int64_t t_ms)
{
    struct bp_lonlat p = beside(g, m, off);
    struct bp_fix f;

    /* GPS noise of about 5 m. */
    p = bp_geo_direct(p, unit(g) * 360, fabs(gauss(g)) * 5);
    f.lon = p.lon;
    f.lat = p.lat;
    f.time_ms = t_ms;
    f.ele = 400 + 300 * sin(m / 3000);
    f.hdop = 0.8 + unit(g);
    f.sat = 6 + (int)bp__demo_below(&g->rng, 8);
    return bp_track_add(&g->t, &f);
}

/* A walk from `a` to `b` (metres) starting at `t_ms`; bad == 1 driven,
 * 2 without times, 3 with points at 0,0. */
static int make_walk(struct pgen *g, double a, double b, int64_t t_ms,
                     int bad)
{
    double speed = bad == 1 ? 10.0 : 0.85 + 0.3 * unit(g); /* m/s */
    double step = speed * FIX_EVERY_S, m, off = 20 + 80 * unit(g);
    int dir = b > a ? 1 : -1, rc = 0, paused = 0;
    size_t i;

    bp_track_release(&g->t);
    bp_track_init(&g->t);
    for (m = a; !rc && (dir > 0 ? m <= b : m >= b); m += dir * step) {
        off += gauss(g) * 3;
        if (off < 5)
            off = 5;
        if (off > 250)
            off = 250;
        rc = add_fix(g, m, off, t_ms);
        t_ms += FIX_EVERY_S * 1000;
        /* A rest, once, of 5 to 15 minutes, at a lookout. */
        if (!paused && unit(g) < 0.01) {
            int k, n = 20 + (int)bp__demo_below(&g->rng, 40);
            paused = 1;
            for (k = 0; k < n && !rc; k++) {
                rc = add_fix(g, m, off, t_ms);
                t_ms += FIX_EVERY_S * 1000;
            }
        }
    }
    for (i = 0; !rc && i < g->t.n; i++) {
        if (bad == 2)
            g->t.fix[i].time_ms = BP_TIME_NONE;
        if (bad == 3 && i % 40 == 7)
            g->t.fix[i].lon = g->t.fix[i].lat = 0;
    }
    return rc;
}

static int active(const struct bp_vpledge *p, int32_t day)
{
    return bp_active_on(p->signed_on, p->ended_on, day);
}

/* One patrol of station `s` on `day`; returns 0, or an error. */
static int one_patrol(struct pgen *g, uint32_t s, int32_t day, int bad,
                      struct bp_error *err)
{
    const struct bp_verify_data *d = &g->d;
    struct bp_patrol p;
    struct bp_track_result res;
    size_t i, nc = 0, k;
    const struct bp_vpledge *pl;
    double a, b, len = bp_border_length_m(g->b);
    int64_t t0;
    char file[80];
    int rc = 0;

    for (i = 0; i < d->in.npledges; i++)
        if (d->pledge_station[i] == s && active(&d->pledges[i], day))
            g->cand[nc++] = (uint32_t)i;
    if (!nc)
        return 0;
    pl = &d->pledges[g->cand[bp__demo_below(&g->rng, (unsigned)nc)]];
    /* Most walks cover the whole stretch, some stop short. */
    a = pl->from_m - 150 * unit(g);
    b = unit(g) < 0.7 ? pl->to_m + 150 * unit(g)
                      : pl->from_m + (pl->to_m - pl->from_m) * unit(g);
    if (b - a > 6000)
        b = a + 6000;
    if (a < 0)
        a = 0;
    if (b > len)
        b = len;
    if (b - a < 200)
        return 0;
    memset(&p, 0, sizeof(p));
    bp__demo_uuid(&g->rng, p.id);
    p.day = day;
    memcpy(p.station_id, d->station_id[s], sizeof(bp_uuid));
    p.kind = unit(g) < 0.8 ? BP_PATROL_JOINT
                           : (unit(g) < 0.5 ? BP_PATROL_STATION
                                            : BP_PATROL_BILATERAL);
    p.custodians = bp_calloc(5, sizeof(bp_uuid));
    if (!p.custodians)
        return bp_error_set(err, BP_ENOMEM, "out of memory");
    /* The custodians whose pledges the walk crosses come along. */
    if (p.kind != BP_PATROL_STATION)
        for (k = 0; k < nc && p.ncustodians < 5; k++) {
            const struct bp_vpledge *q = &d->pledges[g->cand[k]];
            size_t j;
            if (q->to_m <= a || q->from_m >= b)
                continue;
            for (j = 0; j < p.ncustodians; j++)
                if (!strcmp(p.custodians[j], d->custodian_id[q->custodian]))
                    break;
            if (j == p.ncustodians)
                memcpy(p.custodians[p.ncustodians++],
                       d->custodian_id[q->custodian], sizeof(bp_uuid));
        }
    p.leader = bp_strdup("Thiếu uý (giả lập)");
    rc = bp_store_patrol_put(g->st, &p, err);
    t0 = ((int64_t)day * 86400 - BP_LOCAL_UTC_OFFSET_S + 7 * 3600 +
          (int64_t)(unit(g) * 7200)) * 1000;
    if (!rc && bad == 4 && g->last.n) {
        /* Someone's old track uploaded again a week later. */
        bp_track_release(&g->t);
        bp_track_init(&g->t);
        for (i = 0; i < g->last.n && !rc; i++) {
            struct bp_fix f = g->last.fix[i];
            f.time_ms += 7 * 86400000LL;
            rc = bp_track_add(&g->t, &f);
        }
        p.day = day;
    } else if (!rc) {
        rc = make_walk(g, unit(g) < 0.8 ? a : b, unit(g) < 0.8 ? b : a, t0,
                       bad);
    }
    if (rc) {
        bp_patrol_release(&p);
        if (err && !err->code)
            bp_error_set(err, rc, "out of memory making demo tracks");
        return rc;
    }
    snprintf(file, sizeof(file), "demo-%s.gpx", p.id);
    bp_walk_init(&res.walk);
    rc = bp_store_track_import(g->st, p.id, NULL, 4102444800000LL, file,
                               file, strlen(file), &g->t, &res, err);
    if (!rc) {
        g->sum->patrols++;
        g->sum->tracks++;
        g->sum->fixes += g->t.n;
        if (res.quality.flags)
            g->sum->flagged++;
        /* Half the flagged tracks were checked and approved. */
        if (res.quality.flags && unit(g) < 0.5)
            rc = bp_store_patrol_approve(g->st, p.id, "Đồn trưởng (giả lập)",
                                         NULL, err);
        if (!bad) {
            bp_track_release(&g->last);
            bp_track_init(&g->last);
            for (i = 0; i < g->t.n && !rc; i++)
                rc = bp_track_add(&g->last, &g->t.fix[i]);
        }
    }
    bp_walk_release(&res.walk);
    bp_patrol_release(&p);
    return rc;
}

static int inspections(struct pgen *g, struct bp_error *err)
{
    struct bp_marker *mk = NULL;
    size_t n = 0;
    int32_t day, d0 = bp_date_from_ymd(2019, 1, 1);
    int32_t d1 = bp_date_from_ymd(2024, 12, 31);
    int rc;

    rc = bp_store_marker_list(g->st, &mk, &n, err);
    for (day = d0; !rc && n && day <= d1; day += 7) {
        /* A few markers a week, mostly intact. */
        int k, nk = 1 + (int)bp__demo_below(&g->rng, 3);
        for (k = 0; k < nk && !rc; k++) {
            const struct bp_marker *m = &mk[bp__demo_below(&g->rng,
                                                           (unsigned)n)];
            struct bp_inspection r;
            struct bp_lonlat p = {m->lon, m->lat};
            double u = unit(g);
            if (m->ended_on != BP_DATE_NONE)
                continue;
            memset(&r, 0, sizeof(r));
            bp__demo_uuid(&g->rng, r.id);
            snprintf(r.marker, sizeof(r.marker), "%s", m->id);
            r.day = day + (int32_t)bp__demo_below(&g->rng, 7);
            r.condition = u < 0.8   ? BP_COND_INTACT
                          : u < 0.87 ? BP_COND_OBSCURED
                          : u < 0.93 ? BP_COND_TILTED
                          : u < 0.97 ? BP_COND_DAMAGED
                          : u < 0.99 ? BP_COND_DISPLACED
                                     : BP_COND_MISSING;
            /* Now and then the fix was taken far from the marker. */
            p = bp_geo_direct(p, unit(g) * 360,
                              unit(g) < 0.05 ? 60 + 100 * unit(g)
                                             : 12 * unit(g));
            r.lon = p.lon;
            r.lat = p.lat;
            r.inspectors = (char *)"Tổ kiểm tra mốc (giả lập)";
            if (r.condition != BP_COND_INTACT)
                r.note = (char *)"Đã báo cáo Đồn (dữ liệu giả lập)";
            rc = bp_store_inspection_add(g->st, &r, 30, err);
            if (!rc)
                g->sum->inspections++;
        }
    }
    bp_store_marker_list_free(mk, n);
    return rc;
}

static int incidents(struct pgen *g, struct bp_error *err)
{
    static const char *const what[] = {
        "Phát hiện người qua lại đường mòn không đúng cửa khẩu",
        "Vận chuyển hàng lậu qua đường mòn",
        "Phát nương lấn sang đất biên giới",
        "Mốc bị va đập, sứt mẻ",
        "Cháy thực bì gần đường biên",
        "Sạt lở đường tuần tra"};
    struct bp_marker *mk = NULL;
    size_t n = 0, i;
    int rc;

    rc = bp_store_marker_list(g->st, &mk, &n, err);
    for (i = 0; !rc && n && i < 48; i++) {
        struct bp_incident r;
        const struct bp_marker *m = &mk[bp__demo_below(&g->rng, (unsigned)n)];
        int32_t day = bp_date_from_ymd(2019, 2, 1) +
                      (int32_t)bp__demo_below(&g->rng, 2150);
        double u = unit(g);

        if (m->ended_on != BP_DATE_NONE)
            continue;
        memset(&r, 0, sizeof(r));
        bp__demo_uuid(&g->rng, r.id);
        r.kind = u < 0.3    ? BP_INC_CROSSING
                 : u < 0.5  ? BP_INC_SMUGGLING
                 : u < 0.65 ? BP_INC_ENCROACHMENT
                 : u < 0.8  ? BP_INC_MARKER
                 : u < 0.9  ? BP_INC_FIRE
                            : BP_INC_OTHER;
        r.at_s = (int64_t)day * 86400 - BP_LOCAL_UTC_OFFSET_S +
                 (int64_t)(unit(g) * 86400);
        r.lon = r.lat = NAN;
        snprintf(r.marker, sizeof(r.marker), "%s", m->id);
        r.offset_m = round((unit(g) - 0.5) * 800);
        r.severity = 1 + (int)bp__demo_below(&g->rng, 4);
        r.status = BP_INC_NEW;
        r.description = (char *)what[r.kind];
        rc = bp_store_incident_add(g->st, &r, err);
        if (!rc && unit(g) < 0.85)
            rc = bp_store_incident_update(g->st, r.id, BP_INC_IN_PROGRESS,
                                          r.at_s + 3600 * 5,
                                          "Đồn cử tổ công tác xác minh",
                                          NULL, err);
        if (!rc && day < bp_date_from_ymd(2024, 9, 1) && unit(g) < 0.9)
            rc = bp_store_incident_update(
                g->st, r.id, BP_INC_RESOLVED, r.at_s + 86400 * 3,
                "Đã xử lý xong", "Lập biên bản, tuyên truyền, nhắc nhở "
                                 "(dữ liệu giả lập)",
                err);
        if (!rc)
            g->sum->incidents++;
    }
    bp_store_marker_list_free(mk, n);
    return rc;
}

int bp__demo_patrols(struct bp_store *st, struct bp_demo_summary *sum,
                     struct bp_error *err)
{
    struct pgen g;
    struct bp_border *b = NULL;
    int32_t day, d0 = bp_date_from_ymd(2019, 1, 5);
    int32_t d1 = bp_date_from_ymd(2024, 12, 31);
    unsigned long long nth = 0;
    uint32_t s;
    int rc;

    memset(&g, 0, sizeof(g));
    g.st = st;
    g.sum = sum;
    g.rng.state = SEED_PATROL;
    bp_track_init(&g.t);
    bp_track_init(&g.last);
    rc = bp_store_border_get(st, &b, err);
    if (!rc)
        rc = bp_store_verify_load(st, &g.d, err);
    if (rc)
        goto out;
    g.b = b;
    g.cand = bp_calloc(g.d.in.npledges + 1, sizeof(*g.cand));
    if (!g.cand) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    /* Every station about twice a month; more often since 2022, when the
     * movement took patrols with the custodians up. */
    for (day = d0; !rc && day <= d1; day += 15) {
        int year;
        bp_date_to_ymd(day, &year, NULL, NULL);
        for (s = 0; !rc && s < g.d.nstations; s++) {
            int bad = 0;
            if (unit(&g) > (year >= 2022 ? 0.95 : 0.6))
                continue;
            nth++;
            if (nth % 97 == 13)
                bad = 1;
            else if (nth % 131 == 29)
                bad = 2;
            else if (nth % 173 == 41)
                bad = 3;
            else if (nth % 211 == 57)
                bad = 4;
            rc = one_patrol(&g, s, day + (int32_t)bp__demo_below(&g.rng, 14),
                            bad, err);
        }
    }
    /* Inspections and incidents are only ever added, never replaced: a
     * rerun over an earlier demo (demo --force) finds them already there,
     * the same records from the same seed, and leaves them. */
    if (!rc) {
        struct bp_inspection *had = NULL;
        size_t nhad = 0;

        rc = bp_store_inspection_list(st, NULL, 0, &had, &nhad, err);
        bp_store_inspection_list_free(had, nhad);
        if (!rc && nhad)
            goto out;
    }
    if (!rc)
        rc = inspections(&g, err);
    if (!rc)
        rc = incidents(&g, err);
out:
    bp_free(g.cand);
    bp_track_release(&g.t);
    bp_track_release(&g.last);
    bp_verify_data_release(&g.d);
    bp_border_free(b);
    return rc;
}
