/* SPDX-License-Identifier: MIT */
/*
 * The demo province: on the demo border, synthetic boundary markers that
 * calibrate the measure, the real stations and pre-2025 border communes of
 * Lạng Sơn laid out west to east from marker to marker, and synthetic
 * households and collectives with their pledges 2019-2024, written through
 * the store in one transaction. The pledges are designed in whole metres
 * of the official measure, so the figures computed from them are exact.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/demo.h"
#include "bienphong/store.h"
#include "demo/demo_int.h"
#include "demo/demo_patrol_int.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define SEED_PROVINCE 20240303ULL /* data */
#define SEED_IDS      1449566ULL  /* record ids, apart from the data */
#define LENGTH_M      231740L     /* BP_DEMO_OFFICIAL_M in whole metres */
#define FIRST_MAIN    942
#define LAST_MAIN     1297
#define NMAIN         (LAST_MAIN - FIRST_MAIN + 1)
#define NSUB          38
#define NTWIN         6
#define MAX_VILLAGES  6
#define NOTE_SYNTH    "Dữ liệu mẫu (giả lập)"

/* The stations, with the communes they are responsible for below. */
struct station_def {
    const char *code, *name;
};

static const struct station_def stations[] = {
    {"BN", "Đồn Biên phòng Bình Nghi"},
    {"PM", "Đồn Biên phòng Pò Mã"},
    {"NH", "Đồn Biên phòng Na Hình"},
    {"TT", "Đồn Biên phòng Tân Thanh"},
    {"HN", "Đồn Biên phòng Cửa khẩu Quốc tế Hữu Nghị"},
    {"BL", "Đồn Biên phòng Bảo Lâm"},
    {"TL", "Đồn Biên phòng Thanh Lòa"},
    {"BS", "Đồn Biên phòng Ba Sơn"},
    {"CM", "Đồn Biên phòng Cửa khẩu Chi Ma"},
    {"BX", "Đồn Biên phòng Bắc Xa"},
    {"BIX", "Đồn Biên phòng Bính Xá"},
};
#define NSTATION N(stations)

/* The five pre-2025 border districts, west to east, with their geodesic
 * share of the real line (km of 213.12): the demo line is split alike. */
struct district_def {
    const char *name;
    double geodesic_km;
    int ncommunes;
};

static const struct district_def districts[] = {
    {"Tràng Định", 47.16, 4}, {"Văn Lãng", 31.37, 5}, {"Cao Lộc", 66.69, 6},
    {"Lộc Bình", 29.93, 3},   {"Đình Lập", 37.97, 3},
};

/* Border communes west to east: GSO code, kind, name, station, share of
 * the district's line, households that pledge, a village to name first. */
struct commune_def {
    const char *code, *kind, *name;
    int station;
    double weight;
    int households;
    const char *village0;
};

static const struct commune_def communes[] = {
    {"06043", "Xã", "Đào Viên", 0, 14.0, 51, NULL},
    {"06004", "Xã", "Quốc Khánh", 0, 13.0, 51, "Nà Nưa"},
    {"06025", "Xã", "Đội Cấn", 1, 11.0, 33, NULL},
    {"06028", "Xã", "Tân Minh", 1, 13.3, 54, NULL},
    {"06127", "Xã", "Trùng Khánh", 2, 7.0, 29, NULL},
    {"06136", "Xã", "Thụy Hùng", 2, 7.0, 24, NULL},
    {"06148", "Xã", "Thanh Long", 2, 6.0, 20, NULL},
    {"06172", "Xã", "Tân Mỹ", 3, 6.0, 23, NULL},
    {"06166", "Xã", "Tân Thanh", 3, 8.0, 27, "Nà Han"},
    {"06184", "Thị trấn", "Đồng Đăng", 4, 4.6, 17, NULL},
    {"06190", "Xã", "Bảo Lâm", 5, 12.4, 52, NULL},
    {"06193", "Xã", "Thanh Lòa", 6, 13.9, 54, NULL},
    {"06196", "Xã", "Cao Lâu", 7, 14.5, 62, NULL},
    {"06202", "Xã", "Xuất Lễ", 7, 13.0, 50, NULL},
    {"06238", "Xã", "Mẫu Sơn", 7, 14.1, 46, NULL},
    {"06532", "Xã", "Mẫu Sơn", 8, 10.5, 37, NULL},
    {"06541", "Xã", "Yên Khoái", 8, 10.0, 41, NULL},
    {"06547", "Xã", "Tú Mịch", 8, 12.0, 52, "Bản Thín"},
    {"06619", "Xã", "Bắc Xa", 9, 14.0, 55, NULL},
    {"06622", "Xã", "Bính Xá", 10, 15.0, 63, NULL},
    {"06625", "Xã", "Kiên Mộc", 10, 12.3, 44, NULL},
};
#define NCOMMUNE N(communes)

/* Marker numbers pinned to places (public facts): west end, 962 in Quốc
 * Khánh, 1116 at Hữu Nghị (Đồng Đăng), 1145 in Bảo Lâm, 1230 in Tú Mịch,
 * east end. `at` is the share of the commune's stretch. */
struct pin_def {
    int number;
    int commune; /* -1: `at` is metres from the start (or the end if < 0) */
    double at;
};

static const struct pin_def pins[] = {
    {FIRST_MAIN, -1, 550.0}, {962, 1, 0.5},   {1116, 9, 0.5},
    {1145, 10, 0.75},        {1230, 17, 0.5}, {LAST_MAIN, -1, -650.0},
};

/*
 * Stretches nobody has pledged as of 03/03/2024, in whole metres: a cliff
 * in Đội Cấn, the stretch where Tân Mỹ meets Tân Thanh that each commune
 * left to the other, the stretch in Bảo Lâm whose household moved away in
 * 2023, the peak of Mẫu Sơn, deep forest in Kiên Mộc.
 */
struct gap_def {
    int commune;
    double at; /* share of the commune's stretch; < 0: at its end, minus */
    long len_m;
};

static const struct gap_def gaps[] = {
    {2, 0.45, 2140},  {7, -640.0, 1275}, {10, 0.62, 730},
    {14, 0.30, 2860}, {20, 0.55, 1530},
};
#define NGAP           N(gaps)
#define GAP_MOVED_AWAY 2 /* index of the gap of the household that left */

/* Collectives: commune, kind, name ("%s" is the first village's name or,
 * with by_commune, the commune's), when they signed, their contact's role. */
struct coll_def {
    int commune;
    enum bp_collective_kind kind;
    const char *fmt;
    int by_commune, village;
    int year, month, day;
    const char *role;
};

static const struct coll_def colls[] = {
    {0, BP_COLL_YOUTH_UNION, "Chi đoàn thanh niên xã %s", 1, 0, 2022, 3, 3,
     "bí thư chi đoàn"},
    {1, BP_COLL_MILITIA, "Trung đội dân quân cơ động xã %s", 1, 0, 2019, 3, 28,
     "trung đội trưởng"},
    {2, BP_COLL_SELF_MANAGED, "Tổ tự quản đường biên, mốc quốc giới thôn %s", 0,
     0, 2020, 3, 3, "tổ trưởng"},
    {3, BP_COLL_WOMEN_UNION, "Chi hội phụ nữ thôn %s", 0, 0, 2021, 3, 8,
     "chi hội trưởng"},
    {4, BP_COLL_YOUTH_UNION, "Chi đoàn thanh niên thôn %s", 0, 0, 2020, 3, 26,
     "bí thư chi đoàn"},
    {5, BP_COLL_SELF_MANAGED, "Tổ tự quản đường biên, mốc quốc giới thôn %s", 0,
     0, 2021, 3, 3, "tổ trưởng"},
    {6, BP_COLL_SCHOOL, "Trường PTDTBT THCS %s", 1, 0, 2022, 9, 5,
     "hiệu trưởng"},
    {7, BP_COLL_MILITIA, "Tiểu đội dân quân thường trực xã %s", 1, 0, 2021, 3,
     28, "tiểu đội trưởng"},
    {8, BP_COLL_UNIT, "Chi cục Hải quan cửa khẩu Tân Thanh", 1, 0, 2019, 12, 22,
     "chi cục trưởng"},
    {8, BP_COLL_YOUTH_UNION, "Chi đoàn thanh niên thôn %s", 0, 0, 2023, 3, 26,
     "bí thư chi đoàn"},
    {9, BP_COLL_UNIT, "Chi cục Hải quan cửa khẩu quốc tế Hữu Nghị", 1, 0, 2019,
     3, 3, "chi cục trưởng"},
    {9, BP_COLL_WOMEN_UNION, "Hội Liên hiệp Phụ nữ thị trấn %s", 1, 0, 2020, 10,
     20, "chủ tịch hội"},
    {10, BP_COLL_SELF_MANAGED, "Tổ tự quản đường biên, mốc quốc giới thôn %s",
     0, 0, 2019, 3, 3, "tổ trưởng"},
    {11, BP_COLL_YOUTH_UNION, "Chi đoàn thanh niên thôn %s", 0, 0, 2020, 3, 26,
     "bí thư chi đoàn"},
    {12, BP_COLL_SCHOOL, "Trường PTDTBT Tiểu học %s", 1, 0, 2021, 9, 5,
     "hiệu trưởng"},
    {13, BP_COLL_SELF_MANAGED, "Tổ tự quản đường biên, mốc quốc giới thôn %s",
     0, 0, 2022, 3, 3, "tổ trưởng"},
    {14, BP_COLL_MILITIA, "Trung đội dân quân xã %s", 1, 0, 2019, 3, 28,
     "trung đội trưởng"},
    {15, BP_COLL_WOMEN_UNION, "Chi hội phụ nữ thôn %s", 0, 0, 2023, 3, 8,
     "chi hội trưởng"},
    {16, BP_COLL_YOUTH_UNION, "Chi đoàn thanh niên thôn %s", 0, 0, 2021, 3, 26,
     "bí thư chi đoàn"},
    {17, BP_COLL_SELF_MANAGED, "Tổ tự quản đường biên, mốc quốc giới thôn %s",
     0, 0, 2019, 3, 3, "tổ trưởng"},
    {17, BP_COLL_MILITIA, "Tiểu đội dân quân thường trực xã %s", 1, 0, 2022, 3,
     28, "tiểu đội trưởng"},
    {18, BP_COLL_YOUTH_UNION, "Chi đoàn thanh niên thôn %s", 0, 0, 2020, 3, 26,
     "bí thư chi đoàn"},
    {19, BP_COLL_UNIT, "Ban Chỉ huy Quân sự huyện Đình Lập", 1, 0, 2020, 12, 22,
     "chỉ huy trưởng"},
    {20, BP_COLL_SELF_MANAGED, "Tổ tự quản đường biên, mốc quốc giới thôn %s",
     0, 0, 2024, 3, 3, "tổ trưởng"},
};
/* Collective 0 replaced a village youth union in 2022; collective 10
 * renewed its pledge in 2022. */
#define COLL_REPLACING  0
#define COLL_RENEWING   10
#define LATE_HOUSEHOLDS 14 /* signed after 03/03/2024 */

struct mk {
    char number[16];
    char key[32];
    enum bp_marker_kind kind;
    double m0;     /* planned measure on the uncalibrated line */
    double side_m; /* planned offset, > 0 on the home side */
    struct bp_lonlat at;
    struct bp_hit hit; /* on the calibrated line */
    long official_m;   /* main markers; else -1 */
    bp_uuid id;
};

struct piece {
    long from, to;
};

struct seg {
    long from, to;
    int commune;
};

struct gen {
    struct bp_store *st;
    struct bp_demo_rng rng, ids;
    struct bp_border *b;
    struct bp_calib *calib;
    size_t ncalib;
    struct mk *mk;
    size_t nmk;
    size_t *mains; /* indices into mk of the main markers, by measure */
    size_t nmains;
    double start_m[NCOMMUNE + 1]; /* planned commune boundaries */
    long bound_m[NCOMMUNE + 1];   /* as built, at markers */
    long gap_from[NGAP], gap_to[NGAP];
    bp_uuid station_id[NSTATION];
    bp_uuid commune_id[NCOMMUNE];
    char village[NCOMMUNE][MAX_VILLAGES][32];
    bp_uuid village_id[NCOMMUNE][MAX_VILLAGES];
    int nvillage[NCOMMUNE];
    int village_year[NCOMMUNE][MAX_VILLAGES];
    struct seg *segs; /* households' stretches as of 03/03/2024 */
    size_t nsegs;
    unsigned doc_seq[NSTATION];
    struct bp_demo_summary sum;
};

static double unit(struct gen *g)
{
    return bp_demo_rng_unit(&g->rng);
}

static unsigned below(struct gen *g, unsigned n)
{
    return bp__demo_below(&g->rng, n);
}

/* Planned boundaries of the communes, official metres (not at markers). */
static void plan_communes(struct gen *g)
{
    double total = 0.0, at = 0.0;
    size_t d, c = 0, k;

    for (d = 0; d < N(districts); d++)
        total += districts[d].geodesic_km;
    for (d = 0; d < N(districts); d++) {
        double dlen = districts[d].geodesic_km / total * (double)LENGTH_M;
        double w = 0.0;

        for (k = 0; k < (size_t)districts[d].ncommunes; k++)
            w += communes[c + k].weight;
        for (k = 0; k < (size_t)districts[d].ncommunes; k++, c++) {
            g->start_m[c] = at;
            at += dlen * communes[c].weight / w;
        }
    }
    g->start_m[NCOMMUNE] = (double)LENGTH_M;
}

static double pin_at(const struct gen *g, const struct pin_def *p)
{
    if (p->commune < 0)
        return p->at >= 0.0 ? p->at : (double)LENGTH_M + p->at;
    return g->start_m[p->commune] +
           p->at * (g->start_m[p->commune + 1] - g->start_m[p->commune]);
}

/* Planned measure of each main marker: between the pins, evenly spaced
 * with some jitter. */
static void plan_mains(struct gen *g, double *pos)
{
    size_t p;
    int k;

    for (p = 0; p + 1 < N(pins); p++) {
        int a = pins[p].number, b = pins[p + 1].number;
        double pa = pin_at(g, &pins[p]), pb = pin_at(g, &pins[p + 1]);
        double step = (pb - pa) / (b - a);

        for (k = a; k <= b; k++) {
            double jit = (k == a || k == b) ? 0.0 : (unit(g) - 0.5) * 0.5;

            pos[k - FIRST_MAIN] = pa + (k - a + jit) * step;
        }
    }
}

static int add_marker(struct gen *g, const char *number,
                      enum bp_marker_kind kind, double m0, double side_m)
{
    struct mk *m = &g->mk[g->nmk++];

    snprintf(m->number, sizeof(m->number), "%s", number);
    m->kind = kind;
    m->m0 = m0;
    m->side_m = side_m;
    m->official_m = -1;
    return bp_marker_key(number, m->key, sizeof(m->key));
}

/* The markers in line order: each main marker, its twin, its subs. */
static int plan_markers(struct gen *g, struct bp_error *err)
{
    double pos[NMAIN];
    unsigned char nsub[NMAIN] = {0}, twin[NMAIN] = {0};
    size_t nsubs = 0, ntwins = 0, i;
    int rc = 0, k, s;

    plan_mains(g, pos);
    /* Sub markers named in public sources, then others at random. */
    nsub[1028 - FIRST_MAIN] = 2;
    nsub[1116 - FIRST_MAIN] = 1;
    nsubs = 3;
    while (nsubs < NSUB) {
        k = (int)below(g, NMAIN - 1);
        if (nsub[k])
            continue;
        nsub[k] = unit(g) < 0.25 && nsubs + 2 <= NSUB ? 2 : 1;
        nsubs += nsub[k];
    }
    twin[1117 - FIRST_MAIN] = 1;
    ntwins = 1;
    while (ntwins < NTWIN) {
        k = (int)below(g, NMAIN - 1);
        if (twin[k])
            continue;
        twin[k] = 1;
        ntwins++;
    }
    g->mk = bp_calloc(NMAIN + nsubs + ntwins, sizeof(*g->mk));
    g->mains = bp_calloc(NMAIN, sizeof(*g->mains));
    if (!g->mk || !g->mains) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory planning markers");
        goto out;
    }
    for (i = 0; i < NMAIN && !rc; i++) {
        char num[16];
        double side = (unit(g) < 0.6 ? 1.0 : -1.0) * (2.0 + 6.0 * unit(g));

        k = FIRST_MAIN + (int)i;
        snprintf(num, sizeof(num), "%d", k);
        g->mains[g->nmains++] = g->nmk;
        rc = add_marker(g, num, BP_MARKER_MAIN, pos[i], side);
        if (!rc && twin[i]) {
            /* Across a stream from its main marker. */
            snprintf(num, sizeof(num), "%d(2)", k);
            rc = add_marker(g, num, BP_MARKER_TWIN,
                            pos[i] + 12.0 + 10.0 * unit(g),
                            (side > 0 ? -1.0 : 1.0) * (15.0 + 15 * unit(g)));
        }
        for (s = 1; !rc && s <= nsub[i]; s++) {
            double t = (double)s / (nsub[i] + 1) + (unit(g) - 0.5) * 0.15;

            snprintf(num, sizeof(num), "%d/%d", k, s);
            rc = add_marker(g, num, BP_MARKER_SUB,
                            pos[i] + t * (pos[i + 1] - pos[i]),
                            (unit(g) < 0.5 ? 1.0 : -1.0) * 3.0 * unit(g));
        }
    }
    if (rc)
        bp_error_set(err, rc, "marker number of the demo is not valid");
out:
    return rc;
}

/* A point `side_m` metres to the right (home side) of the line at `m0`. */
static struct bp_lonlat beside(const struct bp_border *b, double m0,
                               double side_m)
{
    struct bp_lonlat p, q, r;
    double len = bp_border_length_m(b), dx, dy, az;

    bp_border_point(b, m0, &p);
    bp_border_point(b, m0 > 5.0 ? m0 - 5.0 : 0.0, &q);
    bp_border_point(b, m0 + 5.0 < len ? m0 + 5.0 : len, &r);
    dx = (r.lon - q.lon) * cos(p.lat * M_PI / 180.0);
    dy = r.lat - q.lat;
    az = atan2(dx, dy) * 180.0 / M_PI;
    return bp_geo_direct(p, az + 90.0, side_m);
}

/*
 * Put the markers on the ground beside the line, give each main marker
 * its official measure (its geodesic measure scaled to the official
 * length, in whole metres) and build the calibrated line through them.
 */
static int place_markers(struct gen *g, const struct bp_lonlat *pts, size_t n,
                         struct bp_error *err)
{
    struct bp_border_opts opts = {0};
    struct bp_border *b0 = NULL;
    double scale;
    long prev = 0;
    size_t i;
    int rc;

    opts.start = BP_START_WEST;
    opts.home = BP_HOME_RIGHT;
    opts.official_m = BP_DEMO_OFFICIAL_M;
    rc = bp_border_new(pts, n, &opts, &b0, err);
    if (rc)
        goto out;
    scale = BP_DEMO_OFFICIAL_M / bp_border_geodesic_length_m(b0);
    g->calib = bp_calloc(g->nmains, sizeof(*g->calib));
    if (!g->calib) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory placing markers");
        goto out;
    }
    for (i = 0; i < g->nmk; i++) {
        struct mk *m = &g->mk[i];
        struct bp_hit h;

        m->at = beside(b0, m->m0, m->side_m);
        bp_border_project(b0, m->at.lon, m->at.lat, &h);
        if (fabs(h.measure_m - m->m0) > 40.0) {
            /* A fold of the line came closer than the marker's own
             * stretch: set it on the line instead. */
            bp_border_point(b0, m->m0, &m->at);
            bp_border_project(b0, m->at.lon, m->at.lat, &h);
        }
        m->hit = h;
        if (m->kind != BP_MARKER_MAIN)
            continue;
        m->official_m = lround(h.geodesic_m * scale);
        if (m->official_m <= prev || m->official_m >= LENGTH_M) {
            rc = bp_error_set(err, BP_ERANGE,
                              "demo marker '%s' at %ld m does not come "
                              "after the one before (%ld m)",
                              m->number, m->official_m, prev);
            goto out;
        }
        prev = m->official_m;
        g->calib[g->ncalib].geodesic_m = h.geodesic_m;
        g->calib[g->ncalib].measure_m = (double)m->official_m;
        g->calib[g->ncalib].lon = m->at.lon;
        g->calib[g->ncalib].lat = m->at.lat;
        g->ncalib++;
    }
    opts.start = BP_START_AS_GIVEN;
    opts.calib = g->calib;
    opts.ncalib = g->ncalib;
    rc = bp_border_new(bp_border_vertices(b0), bp_border_vertex_count(b0),
                       &opts, &g->b, err);
    if (rc)
        goto out;
    for (i = 0; i < g->nmk; i++) {
        struct mk *m = &g->mk[i];

        bp_border_project(g->b, m->at.lon, m->at.lat, &m->hit);
        if (m->official_m >= 0)
            m->hit.measure_m = (double)m->official_m;
    }
    g->sum.geodesic_m = bp_border_geodesic_length_m(g->b);
    g->sum.length_m = bp_border_length_m(g->b);
out:
    bp_border_free(b0);
    return rc;
}

/* Commune boundaries at the main markers nearest the planned ones. */
static void snap_communes(struct gen *g)
{
    size_t c, j = 0;

    g->bound_m[0] = 0;
    g->bound_m[NCOMMUNE] = LENGTH_M;
    for (c = 1; c < NCOMMUNE; c++) {
        double want = g->start_m[c];

        while (j + 2 < g->nmains &&
               fabs((double)g->mk[g->mains[j + 1]].official_m - want) <=
                   fabs((double)g->mk[g->mains[j]].official_m - want))
            j++;
        g->bound_m[c] = g->mk[g->mains[j]].official_m;
        j++;
    }
    for (c = 0; c < NGAP; c++) {
        const struct gap_def *d = &gaps[c];
        long a = g->bound_m[d->commune], b = g->bound_m[d->commune + 1];

        g->gap_from[c] = d->at >= 0.0 ? a + lround(d->at * (double)(b - a))
                                      : b + lround(d->at);
        g->gap_to[c] = g->gap_from[c] + d->len_m;
    }
}

/* The anchor of whole metre `m`: the last main marker at or before it plus
 * an offset, or the km itself at the ends of the line and before the first
 * marker. */
static void anchor_at(const struct gen *g, long m, struct bp_anchor *a)
{
    size_t lo = 0, hi = g->nmains;

    memset(a, 0, sizeof(*a));
    a->measure_m = (double)m;
    if (m <= 0 || m >= LENGTH_M)
        return;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (g->mk[g->mains[mid]].official_m <= m)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) {
        a->offset_m = 0.0;
        return;
    }
    snprintf(a->marker_key, sizeof(a->marker_key), "%s",
             g->mk[g->mains[lo - 1]].key);
    a->offset_m = (double)(m - g->mk[g->mains[lo - 1]].official_m);
}

static int save_border(struct gen *g, struct bp_error *err)
{
    struct bp_border_record rec = {0};

    rec.name = (char *)BP_DEMO_BORDER_NAME;
    rec.source = (char *)"bienphong demo";
    rec.pts = (struct bp_lonlat *)bp_border_vertices(g->b);
    rec.n = bp_border_vertex_count(g->b);
    rec.home = BP_HOME_RIGHT;
    rec.official_m = BP_DEMO_OFFICIAL_M;
    rec.calib = g->calib;
    rec.ncalib = g->ncalib;
    rec.imported_at = (long long)time(NULL);
    return bp_store_border_save(g->st, &rec, err);
}

static int put_places(struct gen *g, struct bp_error *err)
{
    char name[96];
    size_t i, c;
    int rc = 0, v;

    for (i = 0; i < NSTATION && !rc; i++) {
        struct bp_station s = {0};

        bp__demo_uuid(&g->ids, s.id);
        s.code = (char *)stations[i].code;
        s.name = (char *)stations[i].name;
        s.ended_on = BP_DATE_NONE;
        rc = bp_store_station_put(g->st, &s, err);
        memcpy(g->station_id[i], s.id, sizeof(bp_uuid));
        g->sum.stations++;
    }
    for (c = 0; c < NCOMMUNE && !rc; c++) {
        struct bp_commune r = {0};
        size_t d = 0, first = 0;

        while (first + (size_t)districts[d].ncommunes <= c)
            first += (size_t)districts[d++].ncommunes;
        bp__demo_uuid(&g->ids, r.id);
        snprintf(name, sizeof(name), "%s %s", communes[c].kind,
                 communes[c].name);
        r.code = (char *)communes[c].code;
        r.name = name;
        r.district = (char *)districts[d].name;
        memcpy(r.station_id, g->station_id[communes[c].station],
               sizeof(bp_uuid));
        anchor_at(g, g->bound_m[c], &r.from);
        anchor_at(g, g->bound_m[c + 1], &r.to);
        r.ended_on = BP_DATE_NONE;
        rc = bp_store_commune_put(g->st, &r, err);
        memcpy(g->commune_id[c], r.id, sizeof(bp_uuid));
        g->sum.communes++;
    }
    for (c = 0; c < NCOMMUNE && !rc; c++) {
        g->nvillage[c] = 3 + (int)below(g, MAX_VILLAGES - 2);
        for (v = 0; v < g->nvillage[c] && !rc; v++) {
            struct bp_village r = {0};
            double u = unit(g);

            if (v == 0 && communes[c].village0)
                snprintf(g->village[c][v], 32, "%s", communes[c].village0);
            else
                bp__demo_village(&g->rng, g->village[c], (size_t)v,
                                 g->village[c][v], 32);
            /* The year the village's households began to sign. */
            g->village_year[c][v] = u < 0.5 ? 2019 : u < 0.8 ? 2020 : 2021;
            bp__demo_uuid(&g->ids, r.id);
            r.name = g->village[c][v];
            memcpy(r.commune_id, g->commune_id[c], sizeof(bp_uuid));
            r.ended_on = BP_DATE_NONE;
            rc = bp_store_village_put(g->st, &r, err);
            memcpy(g->village_id[c][v], r.id, sizeof(bp_uuid));
            g->sum.villages++;
        }
    }
    return rc;
}

static int put_markers(struct gen *g, struct bp_error *err)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < g->nmk && !rc; i++) {
        struct mk *m = &g->mk[i];
        struct bp_marker r = {0};

        bp__demo_uuid(&g->ids, r.id);
        r.number = m->number;
        memcpy(r.key, m->key, sizeof(r.key));
        r.kind = m->kind;
        r.lon = m->at.lon;
        r.lat = m->at.lat;
        r.measure_m = m->hit.measure_m;
        r.offset_m = m->hit.offset_m;
        r.official_m = m->official_m >= 0 ? (double)m->official_m : NAN;
        r.ended_on = BP_DATE_NONE;
        rc = bp_store_marker_put(g->st, &r, err);
        memcpy(m->id, r.id, sizeof(bp_uuid));
        g->sum.markers++;
    }
    return rc;
}

/* A pledge of `custodian` on [from, to) in whole metres. */
static int put_pledge(struct gen *g, const char *custodian, int commune,
                      long from, long to, int32_t signed_on, int32_t ended_on,
                      const char *note, struct bp_error *err)
{
    struct bp_pledge p = {0};
    int station = communes[commune].station, year;
    char doc[48], text[256];

    bp_date_to_ymd(signed_on, &year, NULL, NULL);
    bp__demo_uuid(&g->ids, p.id);
    memcpy(p.custodian_id, custodian, sizeof(bp_uuid));
    anchor_at(g, from, &p.from);
    anchor_at(g, to, &p.to);
    p.signed_on = signed_on;
    p.ended_on = ended_on;
    memcpy(p.station_id, g->station_id[station], sizeof(bp_uuid));
    snprintf(doc, sizeof(doc), "%03u/%d/BBTQ-%s", ++g->doc_seq[station], year,
             stations[station].code);
    p.doc_no = doc;
    snprintf(text, sizeof(text), "%s%s%s", NOTE_SYNTH, note ? ". " : "",
             note ? note : "");
    p.note = text;
    g->sum.pledges++;
    return bp_store_pledge_put(g->st, &p, err);
}

struct household {
    int commune, village;
    int32_t ended_on;
};

static int put_household(struct gen *g, const struct household *h, bp_uuid id,
                         struct bp_error *err)
{
    static const int members[] = {2, 2, 3, 3, 3, 4, 4, 4, 4, 4,
                                  5, 5, 5, 5, 6, 6, 6, 7, 7, 8};
    struct bp_custodian c = {0};
    char name[64], phone[16], cid[16];
    int female = unit(g) < 0.18, born = 1952 + (int)below(g, 47);

    bp__demo_uuid(&g->ids, c.id);
    bp__demo_person(&g->rng, female, name, sizeof(name));
    c.kind = BP_HOUSEHOLD;
    c.name = name;
    c.members = members[below(g, N(members))];
    memcpy(c.village_id, g->village_id[h->commune][h->village],
           sizeof(bp_uuid));
    memcpy(c.commune_id, g->commune_id[h->commune], sizeof(bp_uuid));
    if (unit(g) < 0.88) {
        bp__demo_phone(&g->rng, phone);
        c.phone = phone;
    }
    if (unit(g) < 0.65) {
        bp__demo_citizen_id(&g->rng, female, born, cid);
        c.citizen_id = cid;
    }
    c.ended_on = h->ended_on;
    memcpy(id, c.id, sizeof(bp_uuid));
    g->sum.custodians++;
    return bp_store_custodian_put(g->st, &c, err);
}

/* When a household of a village that began in `first` signs. */
static int32_t household_date(struct gen *g, int first)
{
    static const int later[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
                                1, 1, 1, 2, 2, 2, 3, 3, 4, 5};
    int year = first + later[below(g, N(later))];

    if (year > 2024)
        year = 2024;
    if (year == 2024)
        return unit(g) < 0.65
                   ? bp_date_from_ymd(2024, 3, 3)
                   : bp_date_from_ymd(2024, 1, 2) + (int32_t)below(g, 60);
    if (unit(g) < 0.6)
        return bp_date_from_ymd(year, 3, 3);
    return bp_date_from_ymd(year, 1, 5) + (int32_t)below(g, 350);
}

/* Split the commune's stretch, less the gaps, into pieces. */
static size_t commune_pieces(const struct gen *g, size_t c, struct piece *out)
{
    long a = g->bound_m[c], b = g->bound_m[c + 1], cur = a;
    size_t n = 0, i;

    for (i = 0; i < NGAP; i++) {
        if (g->gap_to[i] <= a || g->gap_from[i] >= b)
            continue;
        if (g->gap_from[i] > cur)
            out[n++] = (struct piece){cur, g->gap_from[i]};
        cur = g->gap_to[i];
    }
    if (cur < b)
        out[n++] = (struct piece){cur, b};
    return n;
}

/*
 * The households of commune `c`: they tile its pieces in village order,
 * some reaching a little into the next one's stretch. Some renewed their
 * pledge after three years, some took over from a household that left.
 */
static int put_households(struct gen *g, size_t c, struct bp_error *err)
{
    struct piece pc[NGAP + 1];
    size_t np = commune_pieces(g, c, pc), p, k, big = 0;
    int nh = communes[c].households, done = 0, rc = 0;
    long total = 0;
    int share[NGAP + 1];

    for (p = 0; p < np; p++)
        total += pc[p].to - pc[p].from;
    for (p = 0; p < np; p++) {
        share[p] = (int)lround((double)nh * (double)(pc[p].to - pc[p].from) /
                               (double)total);
        if (share[p] < 1)
            share[p] = 1;
        done += share[p];
        if (pc[p].to - pc[p].from > pc[big].to - pc[big].from)
            big = p;
    }
    /* Rounding may miss by a household or two: the longest piece takes
     * up the difference, so the commune has exactly its households. */
    share[big] += nh - done;
    done = 0;
    for (p = 0; p < np && !rc; p++) {
        double w[128], sw = 0.0, acc = 0.0;
        long cut[129];

        if (share[p] > 128) {
            rc = bp_error_set(err, BP_ERANGE, "too many demo households");
            break;
        }
        for (k = 0; k < (size_t)share[p]; k++)
            sw += w[k] = 0.55 + 0.9 * unit(g);
        cut[0] = pc[p].from;
        for (k = 0; k < (size_t)share[p]; k++) {
            acc += w[k];
            cut[k + 1] =
                pc[p].from + lround(acc / sw * (double)(pc[p].to - pc[p].from));
        }
        cut[share[p]] = pc[p].to;
        for (k = 0; k < (size_t)share[p] && !rc; k++, done++) {
            struct household h = {(int)c, done * g->nvillage[c] / nh,
                                  BP_DATE_NONE};
            long from = cut[k], to = cut[k + 1];
            int32_t s = household_date(g, g->village_year[c][h.village]);
            int sy;
            bp_uuid id;

            bp_date_to_ymd(s, &sy, NULL, NULL);
            if (k + 1 < (size_t)share[p] && unit(g) < 0.12) {
                long ext = 20 + (long)below(g, 70);

                if (ext < (cut[k + 2] - cut[k + 1]) / 2)
                    to += ext;
            }
            g->segs[g->nsegs++] = (struct seg){from, to, (int)c};
            rc = put_household(g, &h, id, err);
            if (!rc && sy <= 2020 && unit(g) < 0.22) {
                int32_t r = bp_date_from_ymd(sy + 3, 3, 3);

                rc = put_pledge(g, id, (int)c, from, to, s, r, NULL, err);
                if (!rc)
                    rc = put_pledge(g, id, (int)c, from, to, r, BP_DATE_NONE,
                                    "Ký lại khi hết hạn 3 năm", err);
                continue;
            }
            if (!rc)
                rc = put_pledge(g, id, (int)c, from, to, s, BP_DATE_NONE, NULL,
                                err);
            if (!rc && sy >= 2021 && sy <= 2023 && unit(g) < 0.05) {
                /* The household before it, that moved away. */
                struct household o = h;
                bp_uuid oid;

                o.ended_on = s;
                rc = put_household(g, &o, oid, err);
                if (!rc)
                    rc = put_pledge(
                        g, oid, (int)c, from, to,
                        bp_date_from_ymd(2019 + (int)below(g, 2), 3, 3), s,
                        "Hộ chuyển đi nơi khác; đoạn giao lại cho hộ khác "
                        "ký nhận",
                        err);
            }
        }
    }
    return rc;
}

static int put_collective(struct gen *g, const struct coll_def *d, int village,
                          int32_t ended_on, bp_uuid id, struct bp_error *err)
{
    struct bp_custodian c = {0};
    char name[128], person[64], contact[128], phone[16];
    const char *what = d->by_commune ? communes[d->commune].name
                                     : g->village[d->commune][village];
    const char *hole = strstr(d->fmt, "%s");

    bp__demo_uuid(&g->ids, c.id);
    /* The name's pattern holds at most one "%s". */
    if (hole)
        snprintf(name, sizeof(name), "%.*s%s%s", (int)(hole - d->fmt), d->fmt,
                 what, hole + 2);
    else
        snprintf(name, sizeof(name), "%s", d->fmt);
    bp__demo_person(&g->rng, d->kind == BP_COLL_WOMEN_UNION, person,
                    sizeof(person));
    snprintf(contact, sizeof(contact), "%s (%s)", person, d->role);
    bp__demo_phone(&g->rng, phone);
    c.kind = BP_COLLECTIVE;
    c.name = name;
    c.collective_kind = d->kind;
    if (!d->by_commune)
        memcpy(c.village_id, g->village_id[d->commune][village],
               sizeof(bp_uuid));
    memcpy(c.commune_id, g->commune_id[d->commune], sizeof(bp_uuid));
    c.phone = phone;
    c.contact = contact;
    c.ended_on = ended_on;
    memcpy(id, c.id, sizeof(bp_uuid));
    g->sum.custodians++;
    return bp_store_custodian_put(g->st, &c, err);
}

/* Collectives take a few kilometres within the longest piece of their
 * commune, over the households' stretches. */
static int put_collectives(struct gen *g, struct bp_error *err)
{
    static const struct coll_def old = {
        0,  BP_COLL_YOUTH_UNION, "Chi đoàn thanh niên thôn %s", 0, 1, 2019, 3,
        26, "bí thư chi đoàn"};
    size_t i;
    int rc = 0;

    for (i = 0; i < N(colls) && !rc; i++) {
        const struct coll_def *d = &colls[i];
        struct piece pc[NGAP + 1], best = {0, 0};
        size_t np = commune_pieces(g, (size_t)d->commune, pc), p;
        int32_t s = bp_date_from_ymd(d->year, d->month, d->day);
        long len, from;
        bp_uuid id, oid;

        for (p = 0; p < np; p++)
            if (pc[p].to - pc[p].from > best.to - best.from)
                best = pc[p];
        len = 1200 + (long)below(g, 2800);
        if (len > (best.to - best.from) * 6 / 10)
            len = (best.to - best.from) * 6 / 10;
        from = best.from +
               (long)below(g, (unsigned)(best.to - best.from - len + 1));
        rc = put_collective(g, d, d->village, BP_DATE_NONE, id, err);
        if (rc)
            break;
        if (i == COLL_REPLACING) {
            rc = put_collective(g, &old, old.village, s, oid, err);
            if (!rc)
                rc = put_pledge(g, oid, d->commune, from, from + len,
                                bp_date_from_ymd(2019, 3, 26), s,
                                "Sáp nhập thôn; chi đoàn xã nhận thay", err);
        }
        if (!rc && i == COLL_RENEWING) {
            int32_t r = bp_date_from_ymd(2022, 3, 3);

            rc = put_pledge(g, id, d->commune, from, from + len, s, r, NULL,
                            err);
            if (!rc)
                rc = put_pledge(g, id, d->commune, from, from + len, r,
                                BP_DATE_NONE, "Ký lại khi hết hạn 3 năm", err);
            continue;
        }
        if (!rc)
            rc = put_pledge(g, id, d->commune, from, from + len, s,
                            BP_DATE_NONE, NULL, err);
    }
    return rc;
}

/* The household that left Bảo Lâm in 2023, whose stretch nobody took, and
 * households that joined a neighbour's stretch after 03/03/2024. */
static int put_changes(struct gen *g, struct bp_error *err)
{
    const struct gap_def *d = &gaps[GAP_MOVED_AWAY];
    struct household h = {d->commune, 0, bp_date_from_ymd(2023, 9, 15)};
    bp_uuid id;
    int rc, i;

    h.village = (int)below(g, (unsigned)g->nvillage[d->commune]);
    rc = put_household(g, &h, id, err);
    if (!rc)
        rc = put_pledge(g, id, d->commune, g->gap_from[GAP_MOVED_AWAY],
                        g->gap_to[GAP_MOVED_AWAY], bp_date_from_ymd(2019, 3, 3),
                        h.ended_on,
                        "Hộ chuyển đi nơi khác; chưa có hộ nhận thay", err);
    for (i = 0; i < LATE_HOUSEHOLDS && !rc; i++) {
        const struct seg *s = &g->segs[below(g, (unsigned)g->nsegs)];
        struct household l = {s->commune, 0, BP_DATE_NONE};

        l.village = (int)below(g, (unsigned)g->nvillage[s->commune]);
        rc = put_household(g, &l, id, err);
        if (!rc)
            rc = put_pledge(
                g, id, s->commune, s->from, s->to,
                bp_date_from_ymd(2024, 4, 1) + (int32_t)below(g, 260),
                BP_DATE_NONE, "Hộ mới, cùng ký nhận đoạn của hộ bên cạnh", err);
    }
    return rc;
}

static int make_province(struct gen *g, struct bp_error *err)
{
    struct bp_lonlat *pts = NULL;
    size_t n = 0, c, nseg = 0;
    int rc;

    rc = bp_demo_border(&pts, &n, err);
    if (rc)
        goto out;
    plan_communes(g);
    rc = plan_markers(g, err);
    if (!rc)
        rc = place_markers(g, pts, n, err);
    if (rc)
        goto out;
    snap_communes(g);
    for (c = 0; c < NCOMMUNE; c++)
        nseg += (size_t)communes[c].households;
    g->segs = bp_calloc(nseg, sizeof(*g->segs));
    if (!g->segs) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory planning pledges");
        goto out;
    }
    rc = save_border(g, err);
    if (!rc)
        rc = put_markers(g, err);
    if (!rc)
        rc = put_places(g, err);
    for (c = 0; c < NCOMMUNE && !rc; c++)
        rc = put_households(g, c, err);
    if (!rc)
        rc = put_collectives(g, err);
    if (!rc)
        rc = put_changes(g, err);
    if (!rc)
        rc = bp_store_resurvey(g->st, 0.5, NULL, NULL, err);
    if (!rc)
        rc = bp__demo_campaign(g->st, err);
    if (!rc)
        rc = bp__demo_patrols(g->st, &g->sum, err);
out:
    bp_free(pts);
    return rc;
}

int bp_demo_province(struct bp_store *st, struct bp_demo_summary *sum,
                     struct bp_error *err)
{
    struct gen *g = NULL;
    int rc, open = 0;

    if (!st) {
        rc = bp_error_set(err, BP_EINVAL, "bp_demo_province: NULL store");
        goto out;
    }
    g = bp_calloc(1, sizeof(*g));
    if (!g) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory making the demo");
        goto out;
    }
    g->st = st;
    g->rng.state = SEED_PROVINCE;
    g->ids.state = SEED_IDS;
    rc = bp_store_begin(st, err);
    if (rc)
        goto out;
    open = 1;
    rc = make_province(g, err);
    if (rc)
        goto out;
    open = 0;
    rc = bp_store_commit(st, err);
    if (!rc && sum)
        *sum = g->sum;
out:
    if (open)
        bp_store_rollback(st);
    if (g) {
        bp_border_free(g->b);
        bp_free(g->calib);
        bp_free(g->mk);
        bp_free(g->mains);
        bp_free(g->segs);
        bp_free(g);
    }
    return rc;
}
