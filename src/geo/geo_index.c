/* SPDX-License-Identifier: MIT */
/*
 * Projecting points onto the border line. The chords sit in a packed tree
 * built in line order (consecutive chords are close in space, so a run of
 * them has a small box): a branch-and-bound search prunes with lower
 * bounds in single precision and measures the chords it cannot rule out
 * exactly, in double precision in ECEF. It finds the chord the brute-force
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
#error "fan-outs must be multiples of 4, at most 16 (bit masks, lanes)"
#endif

/* A hint to fetch memory that is about to be read (no effect on results). */
#if defined(__GNUC__)
#define GEO_PREFETCH(p) __builtin_prefetch(p)
#else
#define GEO_PREFETCH(p) ((void)(p))
#endif

/* ---- the exact metric -------------------------------------------------- */

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
    const struct geo_vertex *a = &b->cv[j], *c = a + 1;
    double dx = c->x - a->x, dy = c->y - a->y, dz = c->z - a->z;
    double wx = p[0] - a->x, wy = p[1] - a->y, wz = p[2] - a->z;
    double wd = wx * dx + wy * dy + wz * dz;
    double dd = dx * dx + dy * dy + dz * dz;
    double t;

    if (wd <= 0.0) {
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
        t = wd * a->idd;
        e[0] = wx - t * dx;
        e[1] = wy - t * dy;
        e[2] = wz - t * dz;
    }
    return t;
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

static void make_leaf(struct geo_leaf *k, const double *enu, size_t K, size_t m)
{
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
    }
    k->ext = mx[0] + mx[1];
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

int bp__geo_index_build(struct bp_border *b, const double *ecef)
{
    size_t K = b->nchord, count, span = GEO_LEAF, l, m, v;
    double *enu = NULL;
    int rc = BP_ENOMEM;

    b->nentry[0] = K;
    b->nblock[0] = (K + GEO_LEAF - 1) / GEO_LEAF;
    b->leaf = alloc_lines(b->nblock[0], sizeof(*b->leaf), &b->mem[0]);
    b->cv = bp_calloc(K + 1, sizeof(*b->cv));
    enu = bp_calloc(K + 1, 3 * sizeof(*enu));
    if (!b->leaf || !b->cv || !enu)
        goto out;
    for (v = 0; v <= K; v++) {
        const double *a = ecef + 3 * v;

        b->cv[v].x = a[0];
        b->cv[v].y = a[1];
        b->cv[v].z = a[2];
        if (v < K) {
            double dx = a[3] - a[0], dy = a[4] - a[1], dz = a[5] - a[2];
            double dd = dx * dx + dy * dy + dz * dz;

            b->cv[v].idd = dd > 0.0 ? 1.0 / dd : 0.0;
        }
    }
    enu_frame(b, ecef);
    for (v = 0; v <= K; v++)
        to_enu(b, ecef + 3 * v, enu + 3 * v);
    for (m = 0; m < b->nblock[0]; m++)
        make_leaf(&b->leaf[m], enu, K, m);
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
    rc = 0;
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
        GEO_PREFETCH(&b->cpt[j]);
        GEO_PREFETCH(&b->cseg[j]);
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

static void visit_leaf(const struct bp_border *b, struct query *q, size_t m)
{
    const struct geo_leaf *k = &b->leaf[m];
    float lb2[GEO_LEAF], pr[2];
    float mag = relative(q, k->org, k->ext, pr);
    double seen = q->best;
    size_t n = block_len(b, 0, m), i;
    unsigned left, bits;

    leaf_lb2(k, pr, lb2);
    left = within(lb2, GEO_LEAF, n, reach2(q, mag));
    for (bits = few_bits(left) ? left : 0; bits; bits &= bits - 1)
        GEO_PREFETCH(&b->cv[m * GEO_LEAF + lowest_bit(bits)]);
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
    f->seen = q->best;
    f->mag = relative(q, k->org, k->ext, pr);
    node_lb2(k, pr, f->lb2);
    f->left =
        within(f->lb2, GEO_FANOUT, block_len(b, level, m), reach2(q, f->mag));
    /* The two bottom levels are too big to stay in cache; with many
     * candidates (no best yet) most will not be searched. */
    bits = level <= 2 && few_bits(f->left) ? f->left : 0;
    for (; bits; bits &= bits - 1) {
        size_t c = m * GEO_FANOUT + lowest_bit(bits);
        const char *child = level > 1 ? (const char *)&b->node[level - 1][c]
                                      : (const char *)&b->leaf[c];

        size_t size = level > 1 ? sizeof(b->node[1][0]) : sizeof(b->leaf[0]);
        size_t o;

        for (o = 0; o < size; o += 64)
            GEO_PREFETCH(child + o);
    }
}

/*
 * The branch-and-bound search, depth first without recursion: at each
 * level the entries of one block, nearest first, skipping those certainly
 * farther than the best chord so far (the candidates shrink each time the
 * best improves). Nothing at exactly the best distance is ever skipped, so
 * ties go to the lower index as in the scan.
 */
static void search(const struct bp_border *b, struct query *q)
{
    struct frame st[GEO_MAX_LEVELS];
    size_t top = b->nlevel - 1, level = top;

    if (top == 0) {
        visit_leaf(b, q, 0);
        return;
    }
    open_node(b, q, &st[top], top, 0);
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
                break;
            level++;
            continue;
        }
        i = f->m * GEO_FANOUT + take_nearest(f->lb2, GEO_FANOUT, &f->left);
        if (level == 1) {
            visit_leaf(b, q, i);
        } else {
            level--;
            open_node(b, q, &st[level], level, i);
        }
    }
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
    const struct geo_vertex *a = &b->cv[j];
    double d[3] = {a[1].x - a->x, a[1].y - a->y, a[1].z - a->z};
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
