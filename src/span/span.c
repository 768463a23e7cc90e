/* SPDX-License-Identifier: MIT */
/*
 * Span sets: sorted, disjoint half-open measure intervals and their
 * arithmetic. The binary operations are single linear merges of two normal
 * sets; normalisation and the depth sweep sort once, O(n log n).
 * Invariants and degenerate cases are written down in docs/span.md.
 */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/error.h"
#include "bienphong/span.h"

/* First capacity of a set that grows; small sets are the common case. */
#define MIN_CAP 16

static int is_valid_span(double from_m, double to_m)
{
    /* isfinite() on both ends and from < to; NaN fails the comparison. */
    return isfinite(from_m) && isfinite(to_m) && from_m < to_m;
}

/* Make room for `want` spans in total. 0 or BP_ENOMEM (set unchanged). */
static int reserve(struct bp_spanset *s, size_t want)
{
    struct bp_span *v;
    size_t cap;

    if (want <= s->cap)
        return 0;
    cap = s->cap ? s->cap : MIN_CAP;
    while (cap < want)
        cap = cap > SIZE_MAX / 2 ? want : cap * 2;
    v = bp_reallocarray(s->v, cap, sizeof(*v));
    if (!v)
        return BP_ENOMEM;
    s->v = v;
    s->cap = cap;
    return 0;
}

/*
 * Append [f, t) to a set being built in increasing order of `f`, merging
 * it into the last span when they overlap or touch, so the result stays
 * normal. Empty pieces are dropped. 0 or BP_ENOMEM.
 */
static int push(struct bp_spanset *s, double f, double t)
{
    struct bp_span *last;
    int rc;

    if (!(f < t))
        return 0;
    if (s->n) {
        last = &s->v[s->n - 1];
        if (f <= last->to_m) {
            if (t > last->to_m)
                last->to_m = t;
            return 0;
        }
    }
    rc = reserve(s, s->n + 1);
    if (rc)
        return rc;
    s->v[s->n].from_m = f;
    s->v[s->n].to_m = t;
    s->n++;
    return 0;
}

void bp_spanset_init(struct bp_spanset *s)
{
    s->v = NULL;
    s->n = 0;
    s->cap = 0;
}

void bp_spanset_release(struct bp_spanset *s)
{
    bp_free(s->v);
    bp_spanset_init(s);
}

void bp_spanset_clear(struct bp_spanset *s)
{
    s->n = 0;
}

int bp_spanset_add(struct bp_spanset *s, double from_m, double to_m)
{
    int rc;

    if (!is_valid_span(from_m, to_m))
        return 0;
    rc = reserve(s, s->n + 1);
    if (rc)
        return rc;
    s->v[s->n].from_m = from_m;
    s->v[s->n].to_m = to_m;
    s->n++;
    return 0;
}

static int cmp_span(const void *pa, const void *pb)
{
    const struct bp_span *a = pa, *b = pb;

    if (a->from_m != b->from_m)
        return a->from_m < b->from_m ? -1 : 1;
    if (a->to_m != b->to_m)
        return a->to_m < b->to_m ? -1 : 1;
    return 0;
}

void bp_spanset_normalise(struct bp_spanset *s)
{
    size_t i, k = 0;

    /*
     * `v` is transparent, so spans written by hand may be empty or not
     * finite; drop them before sorting so the comparator sees only
     * ordinary numbers.
     */
    for (i = 0; i < s->n; i++)
        if (is_valid_span(s->v[i].from_m, s->v[i].to_m))
            s->v[k++] = s->v[i];
    s->n = k;
    if (s->n < 2)
        return;
    qsort(s->v, s->n, sizeof(*s->v), cmp_span);
    k = 0;
    for (i = 1; i < s->n; i++) {
        if (s->v[i].from_m <= s->v[k].to_m) {
            if (s->v[i].to_m > s->v[k].to_m)
                s->v[k].to_m = s->v[i].to_m;
        } else {
            s->v[++k] = s->v[i];
        }
    }
    s->n = k + 1;
}

int bp_spanset_is_normal(const struct bp_spanset *s)
{
    size_t i;

    for (i = 0; i < s->n; i++) {
        if (!is_valid_span(s->v[i].from_m, s->v[i].to_m))
            return 0;
        if (i && !(s->v[i - 1].to_m < s->v[i].from_m))
            return 0;
    }
    return 1;
}

int bp_spanset_union(const struct bp_spanset *a, const struct bp_spanset *b,
                     struct bp_spanset *out)
{
    size_t i = 0, j = 0;
    const struct bp_span *next;
    int rc;

    assert(out != a && out != b);
    out->n = 0;
    rc = reserve(out, a->n + b->n);
    if (rc)
        goto out;
    while (i < a->n || j < b->n) {
        if (j == b->n || (i < a->n && a->v[i].from_m <= b->v[j].from_m))
            next = &a->v[i++];
        else
            next = &b->v[j++];
        rc = push(out, next->from_m, next->to_m);
        if (rc)
            goto out;
    }
out:
    if (rc)
        out->n = 0;
    return rc;
}

int bp_spanset_intersect(const struct bp_spanset *a, const struct bp_spanset *b,
                         struct bp_spanset *out)
{
    size_t i = 0, j = 0;
    double f, t;
    int rc = 0;

    assert(out != a && out != b);
    out->n = 0;
    while (i < a->n && j < b->n) {
        f = a->v[i].from_m > b->v[j].from_m ? a->v[i].from_m : b->v[j].from_m;
        t = a->v[i].to_m < b->v[j].to_m ? a->v[i].to_m : b->v[j].to_m;
        rc = push(out, f, t);
        if (rc)
            goto out;
        /* The span that ends first cannot meet anything further on. */
        if (a->v[i].to_m < b->v[j].to_m)
            i++;
        else
            j++;
    }
out:
    if (rc)
        out->n = 0;
    return rc;
}

int bp_spanset_subtract(const struct bp_spanset *a, const struct bp_spanset *b,
                        struct bp_spanset *out)
{
    size_t i, j = 0, k;
    double f, t;
    int rc = 0;

    assert(out != a && out != b);
    out->n = 0;
    for (i = 0; i < a->n; i++) {
        f = a->v[i].from_m;
        t = a->v[i].to_m;
        while (j < b->n && b->v[j].to_m <= f)
            j++;
        /*
         * Walk the holes that b cuts into this span without consuming
         * them: the last one may reach into the next span of a.
         */
        for (k = j; k < b->n && b->v[k].from_m < t && f < t; k++) {
            rc = push(out, f, b->v[k].from_m);
            if (rc)
                goto out;
            if (b->v[k].to_m > f)
                f = b->v[k].to_m;
        }
        rc = push(out, f, t);
        if (rc)
            goto out;
    }
out:
    if (rc)
        out->n = 0;
    return rc;
}

void bp_spanset_clip(struct bp_spanset *s, double from_m, double to_m)
{
    size_t i, k = 0;
    double f, t;

    if (!(from_m < to_m)) {
        s->n = 0;
        return;
    }
    for (i = 0; i < s->n; i++) {
        f = s->v[i].from_m > from_m ? s->v[i].from_m : from_m;
        t = s->v[i].to_m < to_m ? s->v[i].to_m : to_m;
        if (f < t) {
            s->v[k].from_m = f;
            s->v[k].to_m = t;
            k++;
        }
    }
    s->n = k;
}

double bp_spanset_length(const struct bp_spanset *s)
{
    double sum = 0, c = 0, x, t;
    size_t i;

    /*
     * Neumaier's compensated sum: a border's coverage is tens of thousands
     * of spans whose total is quoted to the metre, and it should not depend
     * on how the spans happen to be cut.
     */
    for (i = 0; i < s->n; i++) {
        x = s->v[i].to_m - s->v[i].from_m;
        t = sum + x;
        if (fabs(sum) >= fabs(x))
            c += (sum - t) + x;
        else
            c += (x - t) + sum;
        sum = t;
    }
    return sum + c;
}

/* Index of the last span with from_m <= x, or s->n when there is none. */
static size_t find_span(const struct bp_spanset *s, double x)
{
    size_t lo = 0, hi = s->n, mid;

    /* Invariant: spans before lo start at or before x, from hi on after. */
    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (s->v[mid].from_m <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? lo - 1 : s->n;
}

int bp_spanset_contains(const struct bp_spanset *s, double measure_m)
{
    size_t i;

    if (isnan(measure_m))
        return 0;
    i = find_span(s, measure_m);
    return i < s->n && measure_m < s->v[i].to_m;
}

int bp_spanset_covers(const struct bp_spanset *s, double from_m, double to_m)
{
    size_t i;

    if (!(from_m < to_m))
        return 0;
    i = find_span(s, from_m);
    return i < s->n && to_m <= s->v[i].to_m;
}

int bp_spanset_copy(struct bp_spanset *dst, const struct bp_spanset *src)
{
    int rc;

    if (dst == src)
        return 0;
    dst->n = 0;
    rc = reserve(dst, src->n);
    if (rc)
        goto out;
    if (src->n)
        memcpy(dst->v, src->v, src->n * sizeof(*src->v));
    dst->n = src->n;
out:
    return rc;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;

    return a < b ? -1 : a > b;
}

int bp_spanset_depth_at_least(const struct bp_spanset *spans, unsigned k,
                              struct bp_spanset *out)
{
    double *starts = NULL, *ends = NULL;
    double x, open_at = 0;
    size_t i, m = 0, si = 0, ei = 0;
    size_t depth = 0, before;
    int rc = 0;

    assert(out != spans);
    out->n = 0;
    if (k == 0)
        k = 1;
    if (!spans->n)
        goto out;
    starts = bp_reallocarray(NULL, spans->n, sizeof(*starts));
    ends = bp_reallocarray(NULL, spans->n, sizeof(*ends));
    if (!starts || !ends) {
        rc = BP_ENOMEM;
        goto out;
    }
    for (i = 0; i < spans->n; i++) {
        if (!is_valid_span(spans->v[i].from_m, spans->v[i].to_m))
            continue;
        starts[m] = spans->v[i].from_m;
        ends[m] = spans->v[i].to_m;
        m++;
    }
    qsort(starts, m, sizeof(*starts), cmp_double);
    qsort(ends, m, sizeof(*ends), cmp_double);
    /*
     * Sweep the endpoints in order, taking every start and end at the same
     * measure as one step: [0, 1) and [1, 2) are then never both open at 1,
     * and no empty or touching pieces are produced.
     */
    while (ei < m) {
        x = ends[ei];
        if (si < m && starts[si] < x)
            x = starts[si];
        before = depth;
        while (si < m && starts[si] == x) {
            depth++;
            si++;
        }
        while (ei < m && ends[ei] == x) {
            depth--;
            ei++;
        }
        if (before < k && depth >= k) {
            open_at = x;
        } else if (before >= k && depth < k) {
            rc = push(out, open_at, x);
            if (rc)
                goto out;
        }
    }
out:
    bp_free(starts);
    bp_free(ends);
    if (rc)
        out->n = 0;
    return rc;
}
