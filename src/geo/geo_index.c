/* SPDX-License-Identifier: MIT */
/*
 * Projecting points onto the border line. The chords of the line sit in a
 * packed tree of capsules built in line order (consecutive chords are
 * close in space, so a run of them fits a thin capsule); a branch-and-bound
 * descent finds the chord at the least ECEF distance, the same one the
 * brute-force scan finds, ties going to the lower index.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/geo.h"
#include "geo/geo_int.h"

/* Two lanes of doubles, and their comparison masks (GCC and Clang vector
 * extensions: plain SSE2 on x86-64, scalar code elsewhere). */
typedef double v2d __attribute__((vector_size(16)));
typedef long long v2i __attribute__((vector_size(16)));

static inline v2d load2(const double *p)
{
    v2d v;

    memcpy(&v, p, sizeof(v));
    return v;
}

/*
 * Squared distance from p to each of the eight segments of a block, the
 * one metric of the module. Where the foot falls before a segment's start
 * the distance is to the start exactly, after its end to the end exactly
 * (decided by exact comparisons, not by a rounded t), so a point nearest a
 * vertex gets bitwise the same distance from both segments that share it.
 * All three cases are computed for every entry and selected bitwise.
 */
static inline void block_d2(const struct geo_block *restrict k,
                            const double p[3], double *restrict d2)
{
    const v2d px = {p[0], p[0]}, py = {p[1], p[1]}, pz = {p[2], p[2]};
    const v2d zero = {0.0, 0.0};
    size_t i;

    for (i = 0; i < GEO_FANOUT; i += 2) {
        v2d x0 = load2(k->x + i), y0 = load2(k->y + i), z0 = load2(k->z + i);
        v2d x1 = load2(k->x + i + 1), y1 = load2(k->y + i + 1);
        v2d z1 = load2(k->z + i + 1);
        v2d dx = x1 - x0, dy = y1 - y0, dz = z1 - z0;
        v2d wx = px - x0, wy = py - y0, wz = pz - z0;
        v2d ux = px - x1, uy = py - y1, uz = pz - z1;
        v2d wd = wx * dx + wy * dy + wz * dz;
        v2d dd = dx * dx + dy * dy + dz * dz;
        v2d t = wd * load2(k->idd + i);
        v2d mx = wx - t * dx, my = wy - t * dy, mz = wz - t * dz;
        v2d da = wx * wx + wy * wy + wz * wz;
        v2d db = ux * ux + uy * uy + uz * uz;
        v2d dm = mx * mx + my * my + mz * mz;
        v2i before = wd <= zero, after = (wd >= dd) & ~before;
        v2i inner = ~(before | after);
        v2i r = ((v2i)da & before) | ((v2i)db & after) | ((v2i)dm & inner);

        memcpy(d2 + i, &r, sizeof(r));
    }
}

/* Fill block m of a level whose entry e runs from point e*span to point
 * (e+1)*span of `ecef` (capped at the last point K). */
static void make_block(struct geo_block *k, const double *ecef, size_t K,
                       size_t m, size_t span, size_t count, int capsules)
{
    double d2[GEO_FANOUT], p[3];
    size_t i, v;

    for (i = 0; i < GEO_FANOUT + 2; i++) {
        size_t e = m * GEO_FANOUT + i;

        v = e < count ? e * span : K;
        if (v > K)
            v = K;
        k->x[i] = ecef[3 * v];
        k->y[i] = ecef[3 * v + 1];
        k->z[i] = ecef[3 * v + 2];
    }
    for (i = 0; i < GEO_FANOUT; i++) {
        double dx = k->x[i + 1] - k->x[i], dy = k->y[i + 1] - k->y[i];
        double dz = k->z[i + 1] - k->z[i];
        double dd = dx * dx + dy * dy + dz * dz;

        k->idd[i] = dd > 0.0 ? 1.0 / dd : 0.0;
        k->r[i] = 0.0;
    }
    if (!capsules)
        return;
    /* A capsule holds every vertex under it, hence every chord (it is
     * convex). */
    for (i = 0; i < GEO_FANOUT; i++) {
        size_t e = m * GEO_FANOUT + i, lo, hi;
        double r2 = 0.0;

        if (e >= count)
            break;
        lo = e * span;
        hi = lo + span < K ? lo + span : K;
        for (v = lo + 1; v < hi; v++) {
            p[0] = ecef[3 * v];
            p[1] = ecef[3 * v + 1];
            p[2] = ecef[3 * v + 2];
            block_d2(k, p, d2);
            if (d2[i] > r2)
                r2 = d2[i];
        }
        k->r[i] = sqrt(r2) * (1.0 + 1e-12) + GEO_RADIUS_SLACK_M;
    }
}

int bp__geo_index_build(struct bp_border *b, const double *ecef)
{
    size_t K = b->nchord, count = K, span = 1, l, m;
    int rc = 0;

    for (l = 0;; l++) {
        size_t nblk = (count + GEO_FANOUT - 1) / GEO_FANOUT;

        if (l >= GEO_MAX_LEVELS) {
            rc = BP_ENOMEM; /* more chords than memory could hold */
            goto out;
        }
        b->block[l] = bp_calloc(nblk, sizeof(*b->block[l]));
        if (!b->block[l]) {
            rc = BP_ENOMEM;
            goto out;
        }
        b->nentry[l] = count;
        b->nblock[l] = nblk;
        for (m = 0; m < nblk; m++)
            make_block(&b->block[l][m], ecef, K, m, span, count, l > 0);
        if (nblk == 1)
            break;
        count = nblk;
        span *= GEO_FANOUT;
    }
    b->nlevel = l + 1;
out:
    return rc;
}

/* The state of one search: the best chord so far by (d2, index). */
struct query {
    double p[3];
    double best; /* squared distance */
    double sb;   /* sqrt(best) */
    size_t bi;
};

static inline void consider(struct query *q, double d2, size_t j)
{
    if (d2 < q->best || (d2 == q->best && j < q->bi)) {
        q->best = d2;
        q->bi = j;
        q->sb = sqrt(d2);
    }
}

/* Entries of block m of `level` that exist. */
static inline size_t block_len(const struct bp_border *b, size_t level,
                               size_t m)
{
    size_t n = b->nentry[level] - m * GEO_FANOUT;

    return n < GEO_FANOUT ? n : GEO_FANOUT;
}

static void leaf(const struct bp_border *b, struct query *q, size_t m)
{
    double d2[GEO_FANOUT];
    size_t i, n = block_len(b, 0, m);

    block_d2(&b->block[0][m], q->p, d2);
    for (i = 0; i < n; i++)
        consider(q, d2[i], m * GEO_FANOUT + i);
}

/*
 * Visit block m of `level`: its entries nearest first, skipping those
 * whose capsule lies farther than the best chord so far. The pruning test
 * is not strict, so a chord at exactly the best distance is still seen.
 */
static void descend(const struct bp_border *b, struct query *q, size_t level,
                    size_t m)
{
    const struct geo_block *k = &b->block[level][m];
    double d2[GEO_FANOUT], lb[GEO_FANOUT];
    size_t id[GEO_FANOUT], i, j, n, cnt = 0;

    if (level == 0) {
        leaf(b, q, m);
        return;
    }
    n = block_len(b, level, m);
    block_d2(k, q->p, d2);
    for (i = 0; i < n; i++) {
        double reach = q->sb + k->r[i], l;

        if (d2[i] > reach * reach)
            continue;
        l = sqrt(d2[i]) - k->r[i];
        for (j = cnt; j > 0 && lb[j - 1] > l; j--) {
            lb[j] = lb[j - 1];
            id[j] = id[j - 1];
        }
        lb[j] = l;
        id[j] = i;
        cnt++;
    }
    for (i = 0; i < cnt; i++) {
        double reach = q->sb + k->r[id[i]];

        if (d2[id[i]] > reach * reach)
            continue;
        descend(b, q, level - 1, m * GEO_FANOUT + id[i]);
    }
}

/*
 * Far from the line the chord metric drifts from the geodesic one, so the
 * foot is moved along the segment's geodesic until the geodesic to the
 * point meets it at a right angle (exact on a sphere, converges in a few
 * steps on the ellipsoid).
 */
static void refine(const struct bp_border *b, size_t seg, double s,
                   double lon, double lat, struct bp_hit *hit, int *right)
{
    struct geod_geodesicline line;
    double len = b->cum[seg + 1] - b->cum[seg];
    double flat = 0.0, flon = 0.0, fazi = 0.0, d = 0.0, azi = 0.0;
    int it;

    geod_lineinit(&line, &b->geod, b->v[seg].lat, b->v[seg].lon,
                  b->azi[seg], 0);
    s = s < 0.0 ? 0.0 : s > len ? len : s;
    for (it = 0;; it++) {
        double da, delta, ns;

        geod_position(&line, s, &flat, &flon, &fazi);
        geod_inverse(&b->geod, flat, flon, lat, lon, &d, &azi, NULL);
        if (it == 50)
            break;
        da = (azi - fazi) * GEO_DEG;
        delta = d / GEO_R_MEAN;
        ns = s + GEO_R_MEAN * atan2(sin(delta) * cos(da), cos(delta));
        ns = ns < 0.0 ? 0.0 : ns > len ? len : ns;
        if (fabs(ns - s) < 1e-6)
            break;
        s = ns;
    }
    if (s <= 0.0) {
        hit->geodesic_m = b->cum[seg];
    } else if (s >= len) {
        hit->geodesic_m = b->cum[seg + 1];
    } else {
        hit->geodesic_m = b->cum[seg] + s;
    }
    hit->lon = flon;
    hit->lat = flat;
    hit->offset_m = d;
    *right = sin((azi - fazi) * GEO_DEG) > 0.0;
}

/* Fill *hit from the nearest chord, with the metric's own arithmetic. */
static void finish(const struct bp_border *b, const struct query *q,
                   const double up[3], double lon, double lat,
                   struct bp_hit *hit)
{
    size_t j = q->bi;
    const struct geo_block *k = &b->block[0][j / GEO_FANOUT];
    size_t i = j % GEO_FANOUT;
    double a[3] = {k->x[i], k->y[i], k->z[i]};
    double c[3] = {k->x[i + 1], k->y[i + 1], k->z[i + 1]};
    double d[3], w[3], e[3], h[3], wd, dd, t, en, side;
    int r, right;

    for (r = 0; r < 3; r++) {
        d[r] = c[r] - a[r];
        w[r] = q->p[r] - a[r];
    }
    wd = w[0] * d[0] + w[1] * d[1] + w[2] * d[2];
    dd = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    if (wd <= 0.0) {
        t = 0.0;
        for (r = 0; r < 3; r++)
            e[r] = w[r];
        hit->geodesic_m = b->cg[j];
    } else if (wd >= dd) {
        t = 1.0;
        for (r = 0; r < 3; r++)
            e[r] = q->p[r] - c[r];
        hit->geodesic_m = b->cg[j + 1];
    } else {
        t = wd * k->idd[i];
        for (r = 0; r < 3; r++)
            e[r] = w[r] - t * d[r];
        hit->geodesic_m = b->cg[j] + t * (b->cg[j + 1] - b->cg[j]);
    }
    /* The offset is measured along the surface: drop the component along
     * the vertical, which is the chord's sag and the earth's curvature. */
    en = e[0] * up[0] + e[1] * up[1] + e[2] * up[2];
    for (r = 0; r < 3; r++)
        h[r] = e[r] - en * up[r];
    hit->offset_m = sqrt(h[0] * h[0] + h[1] * h[1] + h[2] * h[2]);
    side = (d[1] * e[2] - d[2] * e[1]) * up[0] +
           (d[2] * e[0] - d[0] * e[2]) * up[1] +
           (d[0] * e[1] - d[1] * e[0]) * up[2];
    right = side < 0.0;
    hit->segment = b->cseg[j];
    if (hit->offset_m > GEO_FAR_M) {
        refine(b, hit->segment, hit->geodesic_m - b->cum[hit->segment], lon,
               lat, hit, &right);
    } else {
        struct bp_lonlat f;

        geo_interpolate(&b->cpt[j], t, &f);
        hit->lon = f.lon;
        hit->lat = f.lat;
    }
    if (right != (b->home == BP_HOME_RIGHT))
        hit->offset_m = -hit->offset_m;
    hit->measure_m = b->ntab ? bp_border_to_measure(b, hit->geodesic_m)
                             : hit->geodesic_m;
}

static int start_query(const struct bp_border *b, double lon, double lat,
                       const struct bp_hit *hit, struct query *q,
                       double up[3])
{
    if (!b || !hit || !isfinite(lon) || !isfinite(lat) || lon < -180.0 ||
        lon > 180.0 || lat < -90.0 || lat > 90.0)
        return BP_EINVAL;
    geo_ecef(lon, lat, q->p, up);
    q->best = INFINITY;
    q->sb = INFINITY;
    q->bi = SIZE_MAX;
    return 0;
}

int bp_border_project(const struct bp_border *b, double lon, double lat,
                      struct bp_hit *hit)
{
    struct query q;
    double up[3];
    int rc;

    rc = start_query(b, lon, lat, hit, &q, up);
    if (rc)
        goto out;
    descend(b, &q, b->nlevel - 1, 0);
    finish(b, &q, up, lon, lat, hit);
out:
    return rc;
}

int bp_border_project_near(const struct bp_border *b, double lon, double lat,
                           size_t hint_segment, struct bp_hit *hit)
{
    struct query q;
    double up[3];
    size_t m, lo, hi, steps;
    int rc;

    rc = start_query(b, lon, lat, hit, &q, up);
    if (rc)
        goto out;
    if (hint_segment + 1 < b->n) {
        /* Seed with the blocks of the hinted segment and its neighbours,
         * then walk along the line while that gets nearer: the descent
         * then prunes all but the few capsules around the answer. */
        lo = b->first[hint_segment];
        hi = b->first[hint_segment + 1];
        lo = (lo > 0 ? lo - 1 : 0) / GEO_FANOUT;
        hi = (hi < b->nchord ? hi : b->nchord - 1) / GEO_FANOUT;
        for (m = lo; m <= hi; m++)
            leaf(b, &q, m);
        for (steps = 0; steps < 8; steps++) {
            if (q.bi == lo * GEO_FANOUT && lo > 0)
                leaf(b, &q, --lo);
            else if (q.bi == b->nchord - 1 || q.bi + 1 < (hi + 1) * GEO_FANOUT)
                break;
            else
                leaf(b, &q, ++hi);
        }
    }
    descend(b, &q, b->nlevel - 1, 0);
    finish(b, &q, up, lon, lat, hit);
out:
    return rc;
}

int bp_border_project_scan(const struct bp_border *b, double lon, double lat,
                           struct bp_hit *hit)
{
    struct query q;
    double up[3];
    size_t m;
    int rc;

    rc = start_query(b, lon, lat, hit, &q, up);
    if (rc)
        goto out;
    for (m = 0; m < b->nblock[0]; m++)
        leaf(b, &q, m);
    finish(b, &q, up, lon, lat, hit);
out:
    return rc;
}

double bp__geo_project_geodesic(const struct bp_border *b, double lon,
                                double lat)
{
    struct bp_hit hit;

    if (bp_border_project(b, lon, lat, &hit))
        return NAN;
    return hit.geodesic_m;
}
