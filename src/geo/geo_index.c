/* SPDX-License-Identifier: MIT */
/*
 * Projecting points onto the border line. The chords sit in a packed tree
 * built in line order (consecutive chords are close in space, so a run of
 * them has a small box): a branch-and-bound search prunes with lower
 * bounds in single precision and measures the chords it cannot rule out
 * exactly, in double precision in ECEF. Near the line a grid of cells,
 * each listing the blocks that can hold the nearest chord of its points,
 * stands in for the top of the tree. It finds the chord the brute-force
 * scan finds, ties going to the lower index. docs/geo.md has the why.
 *
 * Uses the vector extensions of GCC and Clang (SSE2 intrinsics on x86-64,
 * or plain vector code elsewhere; BP_GEO_NO_SIMD forces the latter).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/geo.h"
#include "geo/geo_int.h"

#if defined(__SSE2__) && !defined(BP_GEO_NO_SIMD)
#include <emmintrin.h>
#define GEO_SSE2 1
#else
#define GEO_SSE2 0
#endif

#if GEO_FANOUT % 4 || GEO_LEAF % 4 || GEO_FANOUT > 16 || GEO_LEAF > GEO_FANOUT
#error "fan-outs must be multiples of 4, at most 16 (bit masks, lanes, dseg)"
#endif

/* For the search's steps, which must be inlined where they are used for
 * its loop to stay in registers and `pause` to be a constant. */
#if defined(__GNUC__)
#define GEO_INLINE static inline __attribute__((always_inline))
#else
#define GEO_INLINE static inline
#endif

/* A hint to fetch memory that is about to be read (no effect on results). */
#if defined(__GNUC__)
#define GEO_PREFETCH(p) __builtin_prefetch(p)
#else
#define GEO_PREFETCH(p) ((void)(p))
#endif

/* ---- the exact metric -------------------------------------------------- */

/* The exact data of chord j (j < K): its start; its end is the next row,
 * which for the last chord of a block repeats the next block's first. */
static inline const struct geo_point *chord_at(const struct bp_border *b,
                                               size_t j)
{
    return &b->leaf[j / GEO_LEAF].ecef[j % GEO_LEAF];
}

/*
 * The vector from the point of chord j nearest to p (ECEF) to p; returns
 * where that point is, t in [0, 1]. Before the chord's start the point is
 * the start exactly, past its end the end exactly (decided by exact
 * comparisons, not by a rounded t), so a point nearest a vertex gets
 * bitwise the same distance from both chords that share it. The one metric
 * of the module: the descent, the scan and the result all use it.
 */
static inline double chord_vec(const struct bp_border *b, size_t j,
                               const double p[3], double e[3])
{
    const struct geo_point *a = chord_at(b, j), *c = a + 1;
    double dx = c->x - a->x, dy = c->y - a->y, dz = c->z - a->z;
    double wx = p[0] - a->x, wy = p[1] - a->y, wz = p[2] - a->z;
    double wd = wx * dx + wy * dy + wz * dz;
    double dd = dx * dx + dy * dy + dz * dz;
    double t;

    if (wd <= 0.0) {
        /* Also every zero-length chord: then wd is 0. */
        t = 0.0;
        e[0] = wx;
        e[1] = wy;
        e[2] = wz;
    } else if (wd >= dd) {
        t = 1.0;
        e[0] = p[0] - c->x;
        e[1] = p[1] - c->y;
        e[2] = p[2] - c->z;
    } else {
        t = wd / dd; /* 0 < wd < dd */
        e[0] = wx - t * dx;
        e[1] = wy - t * dy;
        e[2] = wz - t * dz;
    }
    return t;
}

/* The segment chord j belongs to, from its leaf (see struct geo_leaf). */
static inline size_t chord_segment(const struct bp_border *b, size_t j)
{
    const struct geo_leaf *k = &b->leaf[j / GEO_LEAF];

    return (size_t)k->seg0 + (size_t)(k->dseg >> (4 * (j % GEO_LEAF)) & 15u);
}

static inline double chord_d2(const struct bp_border *b, size_t j,
                              const double p[3])
{
    double e[3];

    chord_vec(b, j, p, e);
    return e[0] * e[0] + e[1] * e[1] + e[2] * e[2];
}

static float round_down(double x)
{
    float f = (float)x;

    return (double)f > x ? nextafterf(f, -INFINITY) : f;
}

static float round_up(double x)
{
    float f = (float)x;

    return (double)f < x ? nextafterf(f, INFINITY) : f;
}

/* ---- lower bounds in single precision ---------------------------------- */

/* Four lanes of floats (GCC and Clang vector extensions). */
typedef float v4f __attribute__((vector_size(16)));
typedef int v4i __attribute__((vector_size(16)));

static inline v4f load4(const float *p)
{
    v4f v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static inline v4f splat4(float x)
{
    v4f v = {x, x, x, x};

    return v;
}

#if GEO_SSE2
static inline v4f max4(v4f a, v4f b)
{
    return (v4f)_mm_max_ps((__m128)a, (__m128)b);
}

static inline v4f min4(v4f a, v4f b)
{
    return (v4f)_mm_min_ps((__m128)a, (__m128)b);
}
#else
static inline v4f max4(v4f a, v4f b)
{
    v4i m = a > b;

    return (v4f)(((v4i)a & m) | ((v4i)b & ~m));
}

static inline v4f min4(v4f a, v4f b)
{
    v4i m = a < b;

    return (v4f)(((v4i)a & m) | ((v4i)b & ~m));
}
#endif

static inline float maxf(float a, float b)
{
    return a > b ? a : b;
}

/* Squared distances in the plane from pr (relative to the block's origin)
 * to the boxes of a node. */
static inline void node_lb2(const struct geo_node *restrict k,
                            const float pr[2], float *restrict lb2)
{
    const v4f px = splat4(pr[0]), py = splat4(pr[1]), zero = splat4(0.0f);
    size_t i;

    for (i = 0; i < GEO_FANOUT; i += 4) {
        v4f gx = max4(max4(load4(k->lo[0] + i) - px, px - load4(k->hi[0] + i)),
                      zero);
        v4f gy = max4(max4(load4(k->lo[1] + i) - py, py - load4(k->hi[1] + i)),
                      zero);
        v4f s = gx * gx + gy * gy;

        memcpy(lb2 + i, &s, sizeof(s));
    }
}

/* Squared distances in the plane from pr (relative to the block's origin)
 * to the chords of a leaf, single precision. */
static inline void leaf_lb2(const struct geo_leaf *restrict k,
                            const float pr[2], float *restrict lb2)
{
    const v4f px = splat4(pr[0]), py = splat4(pr[1]);
    const v4f zero = splat4(0.0f), one = splat4(1.0f);
    size_t i;

    for (i = 0; i < GEO_LEAF; i += 4) {
        v4f ax = load4(k->fx + i), ay = load4(k->fy + i);
        v4f dx = load4(k->fx + i + 1) - ax, dy = load4(k->fy + i + 1) - ay;
        v4f wx = px - ax, wy = py - ay;
        v4f t = max4(min4((wx * dx + wy * dy) * load4(k->fidd + i), one), zero);
        v4f mx = wx - t * dx, my = wy - t * dy;
        v4f s = mx * mx + my * my;

        memcpy(lb2 + i, &s, sizeof(s));
    }
}

/* ---- building ---------------------------------------------------------- */

/* An east-north-up frame at the middle of the line: a rotation of ECEF, so
 * distances are the same, in which runs of the line have thin boxes. */
static void enu_frame(struct bp_border *b, const double *ecef)
{
    size_t mid = b->nchord / 2;
    double lo = b->cpt[mid].lon * GEO_DEG, la = b->cpt[mid].lat * GEO_DEG;
    double slo = sin(lo), clo = cos(lo), sla = sin(la), cla = cos(la);
    int c;

    for (c = 0; c < 3; c++)
        b->enu_org[c] = ecef[3 * mid + c];
    b->enu_rot[0][0] = -slo;
    b->enu_rot[0][1] = clo;
    b->enu_rot[0][2] = 0.0;
    b->enu_rot[1][0] = -sla * clo;
    b->enu_rot[1][1] = -sla * slo;
    b->enu_rot[1][2] = cla;
    b->enu_rot[2][0] = cla * clo;
    b->enu_rot[2][1] = cla * slo;
    b->enu_rot[2][2] = sla;
}

static void to_enu(const struct bp_border *b, const double p[3], double e[3])
{
    double w0 = p[0] - b->enu_org[0], w1 = p[1] - b->enu_org[1];
    double w2 = p[2] - b->enu_org[2];
    int c;

    for (c = 0; c < 3; c++)
        e[c] = b->enu_rot[c][0] * w0 + b->enu_rot[c][1] * w1 +
               b->enu_rot[c][2] * w2;
}

static void make_leaf(struct geo_leaf *k, const struct bp_border *b,
                      const double *ecef, const double *enu, size_t m)
{
    size_t K = b->nchord;
    float mx[2] = {0.0f, 0.0f};
    size_t i, v0 = m * GEO_LEAF;
    int c;

    for (c = 0; c < 2; c++)
        k->org[c] = enu[3 * v0 + c];
    for (i = 0; i < GEO_LEAF + 1; i++) {
        size_t v = v0 + i < K ? v0 + i : K;
        float f[2];

        for (c = 0; c < 2; c++) {
            f[c] = (float)(enu[3 * v + c] - k->org[c]);
            if (fabsf(f[c]) > mx[c])
                mx[c] = fabsf(f[c]);
        }
        k->fx[i] = f[0];
        k->fy[i] = f[1];
        k->ecef[i].x = ecef[3 * v];
        k->ecef[i].y = ecef[3 * v + 1];
        k->ecef[i].z = ecef[3 * v + 2];
    }
    k->ext = mx[0] + mx[1];
    k->seg0 = (uint32_t)b->cseg[v0];
    k->dseg = 0;
    for (i = 1; i < GEO_LEAF && v0 + i < K; i++)
        k->dseg |= (uint64_t)(b->cseg[v0 + i] - b->cseg[v0]) << (4 * i);
    for (i = 0; i < GEO_LEAF; i++) {
        float dx = k->fx[i + 1] - k->fx[i], dy = k->fy[i + 1] - k->fy[i];
        float dd = dx * dx + dy * dy;

        k->fidd[i] = dd > 0.0f ? 1.0f / dd : 0.0f;
    }
}

/*
 * Node block m of a level whose `count` entries each cover `span` chords:
 * entry e holds the vertices [e span, (e+1) span] (capped at K).
 */
static void make_node(struct geo_node *k, const double *enu, size_t K, size_t m,
                      size_t span, size_t count)
{
    double ext[2] = {0.0, 0.0};
    size_t i, v, v0 = m * GEO_FANOUT * span;
    int c;

    for (c = 0; c < 2; c++)
        k->org[c] = enu[3 * v0 + c];
    for (i = 0; i < GEO_FANOUT; i++) {
        size_t e = m * GEO_FANOUT + i, lo = e * span, hi;
        double bl[2] = {INFINITY, INFINITY}, bh[2] = {-INFINITY, -INFINITY};

        for (c = 0; c < 2; c++) {
            k->lo[c][i] = 0.0f;
            k->hi[c][i] = 0.0f;
        }
        if (e >= count)
            continue;
        hi = lo + span < K ? lo + span : K;
        for (v = lo; v <= hi; v++)
            for (c = 0; c < 2; c++) {
                double x = enu[3 * v + c] - k->org[c];

                bl[c] = x < bl[c] ? x : bl[c];
                bh[c] = x > bh[c] ? x : bh[c];
            }
        /* The box holds every vertex under it, hence every chord. */
        for (c = 0; c < 2; c++) {
            k->lo[c][i] = round_down(bl[c]);
            k->hi[c][i] = round_up(bh[c]);
            ext[c] = fmax(ext[c], fmax(fabs(bl[c]), fabs(bh[c])));
        }
    }
    k->ext = round_up(ext[0] + ext[1]);
}

/* n blocks of `size` bytes at a 64-byte boundary; *mem gets what to free. */
static void *alloc_lines(size_t n, size_t size, void **mem)
{
    unsigned char *p;
    size_t pad;

    *mem = n <= (SIZE_MAX - 64) / size ? bp_calloc(1, n * size + 64) : NULL;
    if (!*mem)
        return NULL;
    p = *mem;
    pad = (64 - (size_t)((uintptr_t)p % 64)) % 64;
    return p + pad;
}

/* ---- the grid ---------------------------------------------------------- */

/* The distance between the intervals [lo1, hi1] and [lo2, hi2]. */
static double gap(double lo1, double hi1, double lo2, double hi2)
{
    return lo2 > hi1 ? lo2 - hi1 : lo1 > hi2 ? lo1 - hi2 : 0.0;
}

/* The squared planar distance between the rectangle r and box m of `box`
 * (each {lo east, lo north, hi east, hi north}). */
static double rect_gap2(const double r[4], const double *box, size_t m)
{
    const double *x = box + 4 * m;
    double ge = gap(r[0], r[2], x[0], x[2]), gn = gap(r[1], r[3], x[1], x[3]);

    return ge * ge + gn * gn;
}

/* What the grid is built from: the vertices in ENU and the boxes, in
 * double and not rounded, of the vertices under each level-1 block and
 * under each leaf. */
struct grid_src {
    const double *enu;
    size_t K, nb, nleaf;
    double *box;  /* nb level-1 blocks */
    double *lbox; /* nleaf leaves */
};

/* Box i of `box` over the vertices [lo, hi]. */
static void make_box(double *box, size_t i, const double *enu, size_t lo,
                     size_t hi)
{
    double *x = box + 4 * i;
    size_t v;
    int c;

    x[0] = x[1] = INFINITY;
    x[2] = x[3] = -INFINITY;
    for (v = lo; v <= hi; v++)
        for (c = 0; c < 2; c++) {
            x[c] = enu[3 * v + c] < x[c] ? enu[3 * v + c] : x[c];
            x[2 + c] = enu[3 * v + c] > x[2 + c] ? enu[3 * v + c] : x[2 + c];
        }
}

/* The cell of n along one axis holding x metres from the grid's corner,
 * clamped to the grid. */
static size_t cell_index(double x, double s, size_t n)
{
    return x <= 0.0 ? 0 : x / s >= (double)(n - 1) ? n - 1 : (size_t)(x / s);
}

/*
 * Over the cell r, the farthest any point is from its nearest vertex, in
 * the plane, squared: the least over the vertices of the distance to the
 * farthest corner. INFINITY when no block comes within `limit` of the
 * cell's centre. The block nearest the centre goes first; blocks and
 * leaves whose box is no nearer the centre than the best so far are
 * skipped (the farthest corner is at least as far as the centre).
 * `*leaf` gets the leaf of the vertex nearest the centre seen.
 */
static double cell_cover2(const struct grid_src *g, const double r[4],
                          double limit, size_t *leaf)
{
    double c[4] = {(r[0] + r[2]) / 2, (r[1] + r[3]) / 2, 0, 0};
    double best = INFINITY, first_d = INFINITY, centre = INFINITY;
    size_t first = 0, k, m, l, v;

    c[2] = c[0];
    c[3] = c[1];
    for (m = 0; m < g->nb; m++) {
        double d = rect_gap2(c, g->box, m);

        if (d < first_d) {
            first_d = d;
            first = m;
        }
    }
    if (first_d > limit * limit)
        return INFINITY;
    for (k = 0; k <= g->nb; k++) {
        m = k ? k - 1 : first;
        if ((k && m == first) || rect_gap2(c, g->box, m) >= best)
            continue;
        for (l = m * GEO_FANOUT; l < (m + 1) * GEO_FANOUT && l < g->nleaf;
             l++) {
            size_t hi = (l + 1) * GEO_LEAF < g->K ? (l + 1) * GEO_LEAF : g->K;

            if (rect_gap2(c, g->lbox, l) >= best)
                continue;
            for (v = l * GEO_LEAF; v <= hi; v++) {
                const double *p = g->enu + 3 * v;
                double ex = p[0] - r[0] > r[2] - p[0] ? p[0] - r[0] : r[2] - p[0];
                double en = p[1] - r[1] > r[3] - p[1] ? p[1] - r[1] : r[3] - p[1];
                double d = ex * ex + en * en;
                double dc = (p[0] - c[0]) * (p[0] - c[0]) +
                            (p[1] - c[1]) * (p[1] - c[1]);

                best = d < best ? d : best;
                if (dc < centre) {
                    centre = dc;
                    *leaf = l;
                }
            }
        }
    }
    return best;
}

/*
 * Build the grid (see struct bp_border and docs/geo.md for why the lists
 * are complete): for each cell, U = the farthest any point of the cell
 * can be from the line, and the list of the level-1 blocks whose box
 * comes within U of the cell. BP_ENOMEM; a line the grid does not suit
 * gets none (grid_nx = 0), which is not an error.
 */
static int build_grid(struct bp_border *b, const double *enu)
{
    const size_t span = GEO_LEAF * GEO_FANOUT;
    struct grid_src g = {enu, b->nchord, 0, 0, NULL, NULL};
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    double s = GEO_GRID_CELL_M, w[2], rho = 0.0, slope, k, ext[2] = {0, 0};
    uint32_t *start = NULL;
    uint16_t *list = NULL, *grown;
    unsigned char *near = NULL;
    float *fbox = NULL;
    size_t nx, ny, cap = 0, used = 0, m, c;
    int rc = BP_ENOMEM, i;

    if (b->nlevel < 3 || b->nblock[0] > UINT16_MAX)
        return 0; /* no levels above 1 to skip, or leaves beyond 16 bits */
    g.nb = b->nblock[1];
    g.nleaf = b->nblock[0];
    g.box = bp_calloc(g.nb, 4 * sizeof(*g.box));
    g.lbox = bp_calloc(g.nleaf, 4 * sizeof(*g.lbox));
    fbox = bp_calloc(g.nb, 4 * sizeof(*fbox));
    if (!g.box || !g.lbox || !fbox)
        goto out;
    for (m = 0; m < g.nleaf; m++)
        make_box(g.lbox, m, enu, m * GEO_LEAF,
                 (m + 1) * GEO_LEAF < g.K ? (m + 1) * GEO_LEAF : g.K);
    for (m = 0; m < g.nb; m++) {
        make_box(g.box, m, enu, m * span,
                 (m + 1) * span < g.K ? (m + 1) * span : g.K);
        for (i = 0; i < 2; i++) {
            lo[i] = fmin(lo[i], g.box[4 * m + i]);
            hi[i] = fmax(hi[i], g.box[4 * m + 2 + i]);
        }
    }
    for (i = 0; i < 2; i++) {
        lo[i] -= GEO_GRID_MARGIN_M;
        w[i] = hi[i] + GEO_GRID_MARGIN_M - lo[i];
        rho = fmax(rho, fmax(fabs(lo[i]), fabs(lo[i] + w[i])));
    }
    rho *= sqrt(2.0); /* the farthest corner, at most */
    if (rho > GEO_GRID_MAX_RHO_M) {
        rc = 0; /* a line too long for the plane: no grid */
        goto out;
    }
    if (w[0] / s * (w[1] / s) > (double)GEO_GRID_MAX_CELLS)
        s = sqrt(w[0] * w[1] / (double)GEO_GRID_MAX_CELLS) * 1.01;
    nx = (size_t)ceil(w[0] / s);
    ny = (size_t)ceil(w[1] / s);
    /* Over the grid, the height of the surface changes by at most `slope`
     * times the planar distance, so 3D distances are at most k times the
     * planar ones (docs/geo.md). */
    slope = 2.0 * rho / GEO_RHO_MIN;
    k = sqrt(1.0 + slope * slope) * (1.0 + 1e-12);
    start = bp_calloc(nx * ny + 1, sizeof(*start));
    near = bp_calloc(nx * ny, 1);
    if (!start || !near)
        goto out;
    /* Cells whose centre may be within the margin of the line: the rest
     * get no list, without a look at the line. */
    for (m = 0; m < g.nb; m++) {
        const double *x = g.box + 4 * m;
        size_t ix0 = cell_index(x[0] - GEO_GRID_MARGIN_M - lo[0], s, nx);
        size_t ix1 = cell_index(x[2] + GEO_GRID_MARGIN_M - lo[0], s, nx);
        size_t iy0 = cell_index(x[1] - GEO_GRID_MARGIN_M - lo[1], s, ny);
        size_t iy1 = cell_index(x[3] + GEO_GRID_MARGIN_M - lo[1], s, ny);
        size_t ix, iy;

        for (iy = iy0; iy <= iy1; iy++)
            for (ix = ix0; ix <= ix1; ix++)
                near[iy * nx + ix] = 1;
    }
    for (c = 0; c < nx * ny; c++) {
        double r[4], reach;
        uint16_t ids[1 + GEO_FANOUT];
        size_t n = 0, leaf = 0;

        if (!near[c]) {
            start[c + 1] = (uint32_t)used;
            continue;
        }

        r[0] = lo[0] + s * (double)(c % nx);
        r[1] = lo[1] + s * (double)(c / nx);
        r[2] = r[0] + s;
        r[3] = r[1] + s;
        /* Every point of the cell has a vertex within sqrt(cover) in the
         * plane, so within k times that in space: no block farther away
         * in the plane can hold its nearest chord, nor one tied with it.
         * The slack covers rounding, far below a millimetre. */
        reach = k * sqrt(cell_cover2(&g, r, GEO_GRID_MARGIN_M, &leaf));
        reach += GEO_SLACK_M + 1e-9 * (rho + reach);
        ids[0] = (uint16_t)leaf;
        for (m = 0; m < g.nb && n <= GEO_FANOUT && reach < INFINITY; m++)
            if (rect_gap2(r, g.box, m) <= reach * reach) {
                if (n < GEO_FANOUT)
                    ids[1 + n] = (uint16_t)m;
                n++;
            }
        /* None (far from the line) or too many blocks: the tree does
         * better. Else the leaf to fetch ahead, then the blocks. */
        n = n == 0 || n > GEO_FANOUT ? 0 : n + 1;
        if (used + n > cap) {
            cap = cap ? 2 * cap : 4096;
            grown = bp_realloc(list, cap * sizeof(*list));
            if (!grown)
                goto out;
            list = grown;
        }
        if (n)
            memcpy(list + used, ids, n * sizeof(*ids));
        used += n;
        start[c + 1] = (uint32_t)used;
    }
    /* The blocks' boxes for the query, relative to the grid's corner in
     * single precision, rounded outwards like the tree's. */
    for (m = 0; m < g.nb; m++)
        for (i = 0; i < 2; i++) {
            fbox[4 * m + i] = round_down(g.box[4 * m + i] - lo[i]);
            fbox[4 * m + 2 + i] = round_up(g.box[4 * m + 2 + i] - lo[i]);
            ext[i] = fmax(ext[i], fmax(fabs((double)fbox[4 * m + i]),
                                       fabs((double)fbox[4 * m + 2 + i])));
        }
    b->grid_org[0] = lo[0];
    b->grid_org[1] = lo[1];
    b->grid_cell_m = s;
    b->grid_inv = 1.0 / s;
    b->grid_nx = nx;
    b->grid_ny = ny;
    b->grid_ext = round_up(ext[0] + ext[1]);
    b->grid_start = start;
    b->grid_list = list;
    b->grid_box = fbox;
    start = NULL;
    list = NULL;
    fbox = NULL;
    rc = 0;
out:
    bp_free(g.box);
    bp_free(g.lbox);
    bp_free(fbox);
    bp_free(near);
    bp_free(start);
    bp_free(list);
    return rc;
}

int bp__geo_index_build(struct bp_border *b, const double *ecef)
{
    size_t K = b->nchord, count, span = GEO_LEAF, l, m, v;
    double *enu = NULL;
    int rc = BP_ENOMEM;

    if (b->n - 1 > UINT32_MAX)
        goto out; /* segments beyond 32 bits: more than memory holds */
    b->nentry[0] = K;
    b->nblock[0] = (K + GEO_LEAF - 1) / GEO_LEAF;
    b->leaf = alloc_lines(b->nblock[0], sizeof(*b->leaf), &b->mem[0]);
    enu = bp_calloc(K + 1, 3 * sizeof(*enu));
    if (!b->leaf || !enu)
        goto out;
    enu_frame(b, ecef);
    for (v = 0; v <= K; v++)
        to_enu(b, ecef + 3 * v, enu + 3 * v);
    for (m = 0; m < b->nblock[0]; m++)
        make_leaf(&b->leaf[m], b, ecef, enu, m);
    for (l = 1; b->nblock[l - 1] > 1; l++, span *= GEO_FANOUT) {
        if (l >= GEO_MAX_LEVELS)
            goto out; /* more chords than memory could hold */
        count = b->nblock[l - 1];
        b->nentry[l] = count;
        b->nblock[l] = (count + GEO_FANOUT - 1) / GEO_FANOUT;
        b->node[l] = alloc_lines(b->nblock[l], sizeof(*b->node[l]), &b->mem[l]);
        if (!b->node[l])
            goto out;
        for (m = 0; m < b->nblock[l]; m++)
            make_node(&b->node[l][m], enu, K, m, span, count);
    }
    b->nlevel = l;
    rc = build_grid(b, enu);
out:
    bp_free(enu);
    return rc;
}

/* ---- searching --------------------------------------------------------- */

/* The state of one search: the best chord so far by (d2, index). */
struct query {
    double p[3]; /* ECEF */
    double e[3]; /* ENU */
    double best; /* squared distance */
    double sb;   /* sqrt(best) */
    float reach; /* sb + GEO_SLACK_M + GEO_FLOAT_REL sb, rounded up */
    size_t bi;
};

static inline void consider(const struct bp_border *b, struct query *q,
                            double d2, size_t j)
{
    if (d2 < q->best || (d2 == q->best && j < q->bi)) {
        /* What finish() reads, while the search goes on. */
        GEO_PREFETCH(&b->cg[j]);
        GEO_PREFETCH(&b->cg[j + 1]);
        GEO_PREFETCH(&b->cpt[j]);
        GEO_PREFETCH(&b->cpt[j + 1]);
        q->best = d2;
        q->bi = j;
        q->sb = sqrt(d2);
        /* Rounded to float and up by more than a float ulp. */
        q->reach = (float)(q->sb * (1.0 + GEO_FLOAT_REL) + GEO_SLACK_M) *
                   (1.0f + 1e-6f);
    }
}

static inline void consider_chord(const struct bp_border *b, struct query *q,
                                  size_t j)
{
    consider(b, q, chord_d2(b, j, q->p), j);
}

/* Entries of block m of `level` that exist. */
static inline size_t block_len(const struct bp_border *b, size_t level,
                               size_t m)
{
    size_t w = level ? GEO_FANOUT : GEO_LEAF, n = b->nentry[level] - m * w;

    return n < w ? n : w;
}

/* The query point relative to a block's origin, in single precision, and
 * the magnitude of the numbers a bound on the block works with. */
static inline float relative(const struct query *q, const double org[2],
                             float ext, float pr[2])
{
    pr[0] = (float)(q->e[0] - org[0]);
    pr[1] = (float)(q->e[1] - org[1]);
    return fabsf(pr[0]) + fabsf(pr[1]) + ext;
}

/*
 * The squared reach of a single-precision bound: past it, a box or chord
 * is certainly farther than the best chord so far, with room for every
 * rounding of the bound (relative 1e-6 at most where GEO_FLOAT_REL allows
 * 4e-6, and 1e-5 on the square) and of the ENU frame (far below
 * GEO_SLACK_M). Distances on earth stay below 1e8 m, so nothing overflows.
 */
static inline float reach2(const struct query *q, float mag)
{
    float r = q->reach + (float)GEO_FLOAT_REL * mag;

    return r * r * (1.0f + 1e-5f);
}

static inline size_t lowest_bit(unsigned bits)
{
#if defined(__GNUC__)
    return (size_t)__builtin_ctz(bits);
#else
    size_t i = 0;

    while (!(bits >> i & 1u))
        i++;
    return i;
#endif
}

#if GEO_SSE2
/* Lane masks for each 4-bit pattern. */
static const union {
    unsigned u[16][4];
    float f[16][4];
} lane_mask = {{
    {0, 0, 0, 0},
    {~0u, 0, 0, 0},
    {0, ~0u, 0, 0},
    {~0u, ~0u, 0, 0},
    {0, 0, ~0u, 0},
    {~0u, 0, ~0u, 0},
    {0, ~0u, ~0u, 0},
    {~0u, ~0u, ~0u, 0},
    {0, 0, 0, ~0u},
    {~0u, 0, 0, ~0u},
    {0, ~0u, 0, ~0u},
    {~0u, ~0u, 0, ~0u},
    {0, 0, ~0u, ~0u},
    {~0u, 0, ~0u, ~0u},
    {0, ~0u, ~0u, ~0u},
    {~0u, ~0u, ~0u, ~0u},
}};
#endif

/*
 * The nearest of the entries still in `*left` (a bit per entry, at least
 * one), taken out of it. Taking the nearest one at a time rather than
 * sorting: once the first has been searched, the rest are usually out of
 * reach.
 */
static inline size_t take_nearest(const float *lb2, size_t lanes,
                                  unsigned *left)
{
    unsigned bits = *left, rest = bits & (bits - 1);
    size_t best;

    if (!rest) {
        /* One left, the usual case once the best is close. */
        best = lowest_bit(bits);
    } else if (!(rest & (rest - 1))) {
        size_t i = lowest_bit(bits), j = lowest_bit(rest);

        best = lb2[j] < lb2[i] ? j : i;
    } else {
#if GEO_SSE2
        __m128 inf = _mm_set1_ps(INFINITY), v[GEO_FANOUT / 4], mn;
        unsigned eq = 0;
        size_t g;

        for (g = 0; g < lanes / 4; g++) {
            __m128 mk = _mm_loadu_ps(lane_mask.f[bits >> (4 * g) & 15u]);

            v[g] = _mm_or_ps(_mm_and_ps(mk, _mm_loadu_ps(lb2 + 4 * g)),
                             _mm_andnot_ps(mk, inf));
        }
        mn = v[0];
        for (g = 1; g < lanes / 4; g++)
            mn = _mm_min_ps(mn, v[g]);
        mn = _mm_min_ps(mn, _mm_shuffle_ps(mn, mn, _MM_SHUFFLE(2, 3, 0, 1)));
        mn = _mm_min_ps(mn, _mm_shuffle_ps(mn, mn, _MM_SHUFFLE(1, 0, 3, 2)));
        for (g = 0; g < lanes / 4; g++)
            eq |= (unsigned)_mm_movemask_ps(_mm_cmpeq_ps(v[g], mn)) << (4 * g);
        best = lowest_bit(eq & bits);
#else
        float v = INFINITY;

        (void)lanes;
        best = lowest_bit(bits);
        for (rest = bits; rest; rest &= rest - 1) {
            size_t i = lowest_bit(rest);

            if (lb2[i] < v) {
                v = lb2[i];
                best = i;
            }
        }
#endif
    }
    *left &= ~(1u << best);
    return best;
}

/* Whether at most four bits are set. */
static inline int few_bits(unsigned bits)
{
    bits &= bits - 1;
    bits &= bits - 1;
    bits &= bits - 1;
    bits &= bits - 1;
    return bits == 0;
}

/* A bit for each of the first n of `lanes` bounds within thr. */
static inline unsigned within(const float *lb2, size_t lanes, size_t n,
                              float thr)
{
    unsigned bits = 0;
#if GEO_SSE2
    __m128 t = _mm_set1_ps(thr);
    size_t i;

    for (i = 0; i < lanes; i += 4)
        bits |=
            (unsigned)_mm_movemask_ps(_mm_cmple_ps(_mm_loadu_ps(lb2 + i), t))
            << i;
#else
    size_t i;

    for (i = 0; i < lanes; i++)
        bits |= (unsigned)(lb2[i] <= thr) << i;
#endif
    return bits & ((1u << n) - 1u);
}

/* Fetch the `size` bytes at p, a block at a 64-byte boundary (a constant
 * size, so that the loop unrolls). */
static inline void prefetch_block(const void *p, size_t size)
{
    const char *c = p;
    size_t o;

    for (o = 0; o < size; o += 64)
        GEO_PREFETCH(c + o);
}

static void visit_leaf(const struct bp_border *b, struct query *q, size_t m)
{
    const struct geo_leaf *k = &b->leaf[m];
    float lb2[GEO_LEAF], pr[2];
    float mag = relative(q, k->org, k->ext, pr);
    double seen = q->best;
    size_t n = block_len(b, 0, m), i;
    unsigned left;

    /* Ask for the exact data now, while the bounds are worked out: when
     * the leaf was not fetched ahead (many candidates, as at the first
     * leaf of a search), it then comes in one wait instead of two. */
    prefetch_block(k->ecef, sizeof(k->ecef));
    leaf_lb2(k, pr, lb2);
    left = within(lb2, GEO_LEAF, n, reach2(q, mag));
    /* The best chord so far (a hinted one, often) needs no second look. */
    if (q->bi / GEO_LEAF == m)
        left &= ~(1u << (q->bi % GEO_LEAF));
    while (left) {
        i = take_nearest(lb2, GEO_LEAF, &left);
        consider_chord(b, q, m * GEO_LEAF + i);
        if (q->best != seen) {
            seen = q->best;
            left &= within(lb2, GEO_LEAF, n, reach2(q, mag));
        }
    }
}

/* Where the search stands at one level of the tree. */
struct frame {
    float lb2[GEO_FANOUT]; /* bounds of the block's entries */
    float mag;             /* magnitude for reach2() */
    unsigned left;         /* entries still to search */
    size_t m;              /* the block */
    const uint16_t *ids;   /* NULL, or the entries of a grid cell */
    double seen;           /* q->best when `left` was last pruned */
};

/* Bound the entries of node block m of `level` into f. */
static inline void open_node(const struct bp_border *b, const struct query *q,
                             struct frame *f, size_t level, size_t m)
{
    const struct geo_node *k = &b->node[level][m];
    unsigned bits;
    float pr[2];

    f->m = m;
    f->ids = NULL;
    f->seen = q->best;
    f->mag = relative(q, k->org, k->ext, pr);
    node_lb2(k, pr, f->lb2);
    f->left =
        within(f->lb2, GEO_FANOUT, block_len(b, level, m), reach2(q, f->mag));
    /* The two bottom levels are too big to stay in cache; with many
     * candidates (no best yet) most will not be searched. A leaf is
     * fetched whole: its exact data comes with its bounds. */
    bits = level <= 2 && few_bits(f->left) ? f->left : 0;
    for (; bits; bits &= bits - 1) {
        size_t c = m * GEO_FANOUT + lowest_bit(bits);

        if (level > 1)
            prefetch_block(&b->node[level - 1][c], sizeof(b->node[1][0]));
        else
            prefetch_block(&b->leaf[c], sizeof(b->leaf[0]));
    }
}

/* The grid cell of the query, or SIZE_MAX when the grid does not cover
 * it: no grid, a point outside it or on the far side of the earth. */
static inline size_t cell_of(const struct bp_border *b, const struct query *q)
{
    double x, y;

    if (!b->grid_nx || q->e[2] < GEO_GRID_NEAR_U)
        return SIZE_MAX;
    x = (q->e[0] - b->grid_org[0]) * b->grid_inv;
    y = (q->e[1] - b->grid_org[1]) * b->grid_inv;
    if (!(x >= 0.0 && x < (double)b->grid_nx && y >= 0.0 &&
          y < (double)b->grid_ny))
        return SIZE_MAX;
    return (size_t)y * b->grid_nx + (size_t)x;
}

/*
 * Open the grid cell of the query as a frame at level 2 whose entries are
 * the level-1 blocks it lists (docs/geo.md, "The grid"). With `guess`,
 * fetch the leaf nearest the cell's centre ahead (a batch fetches the
 * leaf it descends to instead). Returns 0, with nothing set, when the
 * grid does not cover the point or its cell has no list.
 */
GEO_INLINE int open_cell(const struct bp_border *b, const struct query *q,
                         struct frame *f, int guess)
{
    size_t c = cell_of(b, q), n, i;
    const uint16_t *ids;
    unsigned bits;
    float pr[2];
    const v4f sign = {1.0f, 1.0f, -1.0f, -1.0f};
    v4f p4;

    if (c == SIZE_MAX)
        return 0;
    n = b->grid_start[c + 1] - b->grid_start[c];
    if (!n)
        return 0;
    ids = b->grid_list + b->grid_start[c];
    /* The leaf nearest the cell's centre is often the answer's or next to
     * it: fetch it while the blocks are bounded. */
    if (guess)
        prefetch_block(&b->leaf[ids[0]], sizeof(b->leaf[0]));
    ids++;
    n--;
    f->m = 0;
    f->ids = ids;
    f->seen = q->best;
    pr[0] = (float)(q->e[0] - b->grid_org[0]);
    pr[1] = (float)(q->e[1] - b->grid_org[1]);
    f->mag = fabsf(pr[0]) + fabsf(pr[1]) + b->grid_ext;
    /* The same bound as node_lb2(), from the grid's copy of the boxes:
     * of the gaps lo - p and p - hi at most one is positive, so adding
     * their positive parts gives the larger exactly. */
    for (i = 0; i < GEO_FANOUT; i++)
        f->lb2[i] = INFINITY;
    p4 = (v4f){pr[0], pr[1], pr[0], pr[1]};
    for (i = 0; i < n; i++) {
        v4f g = max4((load4(b->grid_box + 4 * (size_t)ids[i]) - p4) * sign,
                     splat4(0.0f));
        float gx = g[0] + g[2], gy = g[1] + g[3];

        f->lb2[i] = gx * gx + gy * gy;
    }
    f->left = within(f->lb2, GEO_FANOUT, n, reach2(q, f->mag));
    for (bits = few_bits(f->left) ? f->left : 0; bits; bits &= bits - 1)
        prefetch_block(&b->node[1][ids[lowest_bit(bits)]],
                       sizeof(b->node[1][0]));
    return 1;
}

/* A search between two leaves: the frames of the levels above them. */
struct search {
    struct frame st[GEO_MAX_LEVELS];
    size_t top, level;
    size_t leaf; /* the leaf to visit next */
};

/*
 * The branch-and-bound search, depth first without recursion: at each
 * level the entries of one block, nearest first, skipping those certainly
 * farther than the best chord so far (the candidates shrink each time the
 * best improves). Nothing at exactly the best distance is ever skipped, so
 * ties go to the lower index as in the scan.
 *
 * descend() goes on from `*level` of the frames `st` (the search's top
 * frame at `top`). With `pause` (a constant where it is inlined) it stops
 * at the next leaf to visit and returns 1 with it in *leaf and its level
 * in *level, so that several searches can take turns while their leaves
 * are fetched; without, it visits every leaf itself. Returns 0 when the
 * search is over.
 */
GEO_INLINE int descend(const struct bp_border *b, struct query *q,
                       struct frame *st, size_t top, size_t *level_at,
                       size_t *leaf, int pause)
{
    size_t level = *level_at;

    for (;;) {
        struct frame *f = &st[level];
        size_t i;

        if (q->best != f->seen) {
            f->seen = q->best;
            f->left &=
                within(f->lb2, GEO_FANOUT, GEO_FANOUT, reach2(q, f->mag));
        }
        if (!f->left) {
            if (level == top)
                return 0;
            level++;
            continue;
        }
        i = take_nearest(f->lb2, GEO_FANOUT, &f->left);
        i = f->ids ? f->ids[i] : f->m * GEO_FANOUT + i;
        if (level == 1) {
            if (pause) {
                *level_at = level;
                *leaf = i;
                return 1;
            }
            visit_leaf(b, q, i);
        } else {
            level--;
            open_node(b, q, &st[level], level, i);
        }
    }
}

/* Open the first block of a search, the query's grid cell when there is
 * one, else the top, into st; returns the level it is at (0: the line is
 * a single leaf). `guess` as for open_cell(). */
static inline size_t search_open(const struct bp_border *b,
                                 const struct query *q, struct frame *st,
                                 int guess)
{
    size_t top = b->nlevel - 1;

    if (top >= 2 && open_cell(b, q, &st[2], guess))
        return 2;
    if (top)
        open_node(b, q, &st[top], top, 0);
    return top;
}

/* Open a search that has no best yet and descend to the first leaf to
 * visit (s->leaf): with nothing to bound by, there always is one. */
static inline void search_begin(const struct bp_border *b, struct query *q,
                                struct search *s, int guess)
{
    s->top = s->level = search_open(b, q, s->st, guess);
    s->leaf = 0; /* the one leaf, when top is 0 */
    if (s->top)
        descend(b, q, s->st, s->top, &s->level, &s->leaf, 1);
}

/* Visit the leaf search_begin() stopped at, and the rest. */
static inline void search_rest(const struct bp_border *b, struct query *q,
                               struct search *s)
{
    visit_leaf(b, q, s->leaf);
    if (s->top)
        descend(b, q, s->st, s->top, &s->level, &s->leaf, 0);
}

static void search(const struct bp_border *b, struct query *q)
{
    struct frame st[GEO_MAX_LEVELS];
    size_t top, level, leaf = 0;

    if (b->nlevel == 1) {
        visit_leaf(b, q, 0);
        return;
    }
    top = level = search_open(b, q, st, 1);
    descend(b, q, st, top, &level, &leaf, 0);
}

/*
 * Far from the line the chord metric drifts from the geodesic one, so the
 * foot is moved along the segment's geodesic until the geodesic to the
 * point meets it at a right angle (exact on a sphere, converges in a few
 * steps on the ellipsoid).
 */
static void refine(const struct bp_border *b, size_t seg, double s, double lon,
                   double lat, struct bp_hit *hit, int *right)
{
    struct geod_geodesicline line;
    double len = b->cum[seg + 1] - b->cum[seg];
    double flat = 0.0, flon = 0.0, fazi = 0.0, d = 0.0, azi = 0.0;
    int it;

    geod_lineinit(&line, &b->geod, b->v[seg].lat, b->v[seg].lon, b->azi[seg],
                  0);
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
    const struct geo_point *a = chord_at(b, j), *c = a + 1;
    double d[3] = {c->x - a->x, c->y - a->y, c->z - a->z};
    double e[3], h[3], t, en, side;
    int r, right;

    t = chord_vec(b, j, q->p, e);
    if (t <= 0.0)
        hit->geodesic_m = b->cg[j];
    else if (t >= 1.0)
        hit->geodesic_m = b->cg[j + 1];
    else
        hit->geodesic_m = b->cg[j] + t * (b->cg[j + 1] - b->cg[j]);
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
    hit->segment = chord_segment(b, j);
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
    hit->measure_m =
        b->ntab ? bp_border_to_measure(b, hit->geodesic_m) : hit->geodesic_m;
}

static int start_query(const struct bp_border *b, double lon, double lat,
                       const struct bp_hit *hit, struct query *q, double up[3])
{
    if (!b || !hit || !isfinite(lon) || !isfinite(lat) || lon < -180.0 ||
        lon > 180.0 || lat < -90.0 || lat > 90.0)
        return BP_EINVAL;
    geo_ecef(lon, lat, q->p, up);
    to_enu(b, q->p, q->e);
    q->best = INFINITY;
    q->sb = INFINITY;
    q->reach = INFINITY;
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
    search(b, &q);
    finish(b, &q, up, lon, lat, hit);
out:
    return rc;
}

/* A hinted segment of more chords than this does not seed the search. */
#define GEO_SEED_CHORDS 16

int bp_border_project_near(const struct bp_border *b, double lon, double lat,
                           size_t hint_segment, struct bp_hit *hit)
{
    struct query q;
    double up[3];
    size_t j, lo, hi;
    int rc;

    rc = start_query(b, lon, lat, hit, &q, up);
    if (rc)
        goto out;
    if (hint_segment + 1 < b->n &&
        b->first[hint_segment + 1] - b->first[hint_segment] <=
            GEO_SEED_CHORDS) {
        /* Start from the hinted segment's chords: the search then prunes
         * all but the few blocks around the answer. */
        lo = b->first[hint_segment];
        hi = b->first[hint_segment + 1];
        for (j = lo; j < hi; j++)
            consider_chord(b, &q, j);
    }
    search(b, &q);
    finish(b, &q, up, lon, lat, hit);
out:
    return rc;
}

int bp_border_project_scan(const struct bp_border *b, double lon, double lat,
                           struct bp_hit *hit)
{
    struct query q;
    double up[3];
    size_t j;
    int rc;

    rc = start_query(b, lon, lat, hit, &q, up);
    if (rc)
        goto out;
    for (j = 0; j < b->nchord; j++)
        consider_chord(b, &q, j);
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

/*
 * Points a batch searches side by side: while one waits for its leaf to
 * come from memory, the others are worked on (docs/geo.md, "Many points
 * at once").
 */
#define GEO_BATCH 8

/* A point within this of the one before it, in the plane, is searched
 * from that one's nearest chord, as with bp_border_project_near(). */
#define GEO_NEAR_PREV_M 250.0

/* Whether the ENU points a and c are within GEO_NEAR_PREV_M in the plane. */
static inline int near_prev(const double a[3], const double c[3])
{
    double dx = a[0] - c[0], dy = a[1] - c[1];

    return dx * dx + dy * dy < GEO_NEAR_PREV_M * GEO_NEAR_PREV_M;
}

size_t bp_border_project_many(const struct bp_border *b,
                              const struct bp_lonlat *pt, size_t n,
                              struct bp_hit *hit)
{
    struct query q[GEO_BATCH];
    struct search s[GEO_BATCH];
    double up[GEO_BATCH][3], last[3] = {0.0, 0.0, 0.0};
    size_t done = 0, last_bi = SIZE_MAX, g, i, near;
    unsigned close; /* bit i: point i is near the one before it */

    if (!b || !pt || !hit)
        return 0;
    while (done < n) {
        g = n - done < GEO_BATCH ? n - done : GEO_BATCH;
        near = 0;
        close = 0;
        for (i = 0; i < g; i++) {
            if (start_query(b, pt[done + i].lon, pt[done + i].lat,
                            &hit[done + i], &q[i], up[i])) {
                g = i;
                n = done + i; /* stop at the bad point */
                break;
            }
            if (near_prev(q[i].e, i ? q[i - 1].e : last)) {
                close |= 1u << i;
                near++;
            }
        }
        if (2 * near > g) {
            /* Consecutive fixes of a track: their leaves are in cache,
             * and each search starts from the last one's answer. */
            for (i = 0; i < g; i++) {
                if (last_bi != SIZE_MAX && (close >> i & 1u))
                    consider_chord(b, &q[i], last_bi);
                search(b, &q[i]);
                last_bi = q[i].bi;
            }
        } else {
            /* Scattered points: each search descends to its first leaf
             * and asks for it; then they go on in turn. */
            for (i = 0; i < g; i++) {
                search_begin(b, &q[i], &s[i], 0);
                prefetch_block(&b->leaf[s[i].leaf], sizeof(b->leaf[0]));
            }
            for (i = 0; i < g; i++)
                search_rest(b, &q[i], &s[i]);
        }
        for (i = 0; i < g; i++)
            finish(b, &q[i], up[i], pt[done + i].lon, pt[done + i].lat,
                   &hit[done + i]);
        if (g) {
            memcpy(last, q[g - 1].e, sizeof(last));
            last_bi = q[g - 1].bi;
        }
        done += g;
    }
    return done;
}
