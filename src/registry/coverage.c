/* SPDX-License-Identifier: MIT */
/*
 * Coverage of the border by pledges as of a date: the union of the active
 * pledges' stretches (overlaps counted once) with its figures for the
 * whole border, each commune and each station; the gaps left unpledged;
 * and the stretches where several custodians' pledges overlap. Every
 * computation sorts once and walks; docs/coverage.md gives the rules.
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/error.h"
#include "bienphong/registry.h"
#include "bienphong/span.h"

/*
 * The same rule as bp_active_on(), kept here so the hot loops inline it:
 * signed on or before the day, and not yet ended on it.
 */
static int active(const struct bp_cov_pledge *p, int32_t day)
{
    return p->signed_on <= day &&
           (p->ended_on == BP_DATE_NONE || day < p->ended_on);
}

/* Index of the first of the sorted `v[0..n)` that is >= x. */
static size_t lower(const double *v, size_t n, double x)
{
    size_t lo = 0, hi = n, mid;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Index of the first of the sorted `v[0..n)` that is > x. */
static size_t upper(const double *v, size_t n, double x)
{
    size_t lo = 0, hi = n, mid;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (v[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/*
 * Markers in the piece [a, b) of the union, b <= length_m. A marker
 * exactly at the border's end lies in no half-open piece, yet it is
 * pledged when the union reaches the end, so it counts with the piece
 * that ends there. A commune's stretch counts its markers the same way.
 */
static size_t markers_in_piece(const struct bp_cov_input *in, double a,
                               double b)
{
    size_t k;

    if (!(a < b))
        return 0;
    k = lower(in->marker_m, in->nmarkers, b) -
        lower(in->marker_m, in->nmarkers, a);
    if (b == in->length_m)
        k += upper(in->marker_m, in->nmarkers, b) -
             lower(in->marker_m, in->nmarkers, b);
    return k;
}

/*
 * Check every index and measure before any work, so a bad record is
 * named instead of silently miscounted. `fn` names the caller in messages
 * about arguments.
 */
static int check_input(const struct bp_cov_input *in, const char *fn,
                       struct bp_error *err)
{
    size_t i;

    if (!in)
        return bp_error_set(err, BP_EINVAL, "%s: NULL argument", fn);
    if (!isfinite(in->length_m) || in->length_m < 0)
        return bp_error_set(err, BP_EINVAL,
                            "border length %g m is not a finite measure "
                            ">= 0",
                            in->length_m);
    if ((in->npledges && !in->pledges) ||
        (in->ncustodians && !in->custodians) ||
        (in->ncommunes && !in->communes) || (in->nmarkers && !in->marker_m))
        return bp_error_set(err, BP_EINVAL,
                            "%s: NULL array with a non-zero count", fn);
    for (i = 0; i < in->npledges; i++) {
        const struct bp_cov_pledge *p = &in->pledges[i];

        if (p->custodian >= in->ncustodians)
            return bp_error_set(err, BP_EINVAL,
                                "pledge %zu: custodian index %" PRIu32
                                " is out of range, expected below %zu",
                                i, p->custodian, in->ncustodians);
        if (!isfinite(p->from_m) || !isfinite(p->to_m) || p->from_m > p->to_m)
            return bp_error_set(err, BP_EINVAL,
                                "pledge %zu: stretch [%g, %g) is not two "
                                "finite measures in order",
                                i, p->from_m, p->to_m);
    }
    for (i = 0; i < in->ncustodians; i++) {
        const struct bp_cov_custodian *c = &in->custodians[i];

        if (c->kind != BP_HOUSEHOLD && c->kind != BP_COLLECTIVE)
            return bp_error_set(err, BP_EINVAL,
                                "custodian %zu: kind %d is neither "
                                "household nor collective",
                                i, (int)c->kind);
        if (c->commune != UINT32_MAX && c->commune >= in->ncommunes)
            return bp_error_set(err, BP_EINVAL,
                                "custodian %zu: commune index %" PRIu32
                                " is out of range, expected below %zu",
                                i, c->commune, in->ncommunes);
    }
    for (i = 0; i < in->ncommunes; i++) {
        const struct bp_cov_commune *c = &in->communes[i];

        if (c->station != UINT32_MAX && c->station >= in->nstations)
            return bp_error_set(err, BP_EINVAL,
                                "commune %zu: station index %" PRIu32
                                " is out of range, expected below %zu",
                                i, c->station, in->nstations);
        if (!isfinite(c->from_m) || !isfinite(c->to_m) || c->from_m > c->to_m)
            return bp_error_set(err, BP_EINVAL,
                                "commune %zu: stretch [%g, %g) is not two "
                                "finite measures in order",
                                i, c->from_m, c->to_m);
    }
    for (i = 0; i < in->nmarkers; i++) {
        if (!isfinite(in->marker_m[i]))
            return bp_error_set(err, BP_EINVAL,
                                "marker %zu: measure %g is not finite", i,
                                in->marker_m[i]);
        if (i && in->marker_m[i] < in->marker_m[i - 1])
            return bp_error_set(err, BP_EINVAL,
                                "marker %zu: measure %g comes before the "
                                "previous marker's %g, expected them sorted",
                                i, in->marker_m[i], in->marker_m[i - 1]);
    }
    return 0;
}

/* Below this many spans a comparison sort beats the radix passes. */
#define RADIX_MIN 256

static int cmp_start(const void *pa, const void *pb)
{
    const struct bp_span *a = pa, *b = pb;

    return a->from_m < b->from_m ? -1 : a->from_m > b->from_m;
}

static uint64_t start_bits(const struct bp_span *s)
{
    uint64_t k;

    memcpy(&k, &s->from_m, sizeof(k));
    return k;
}

/*
 * Sort spans by start. The starts are >= +0 here, and the IEEE 754 bits
 * of non-negative doubles order as the numbers do, so an LSD radix sort
 * on the bits, a byte per pass, sorts them in O(n): several times faster
 * than qsort() on 10^5..10^6 spans, which is what makes coverage as of a
 * date cheap. All eight histograms come from one pass, and a pass whose
 * byte is the same in every key is skipped (whole-metre measures leave
 * the low mantissa bytes zero). `tmp` has room for `n` spans.
 */
static void sort_by_start(struct bp_span *v, struct bp_span *tmp, size_t n)
{
    size_t(*count)[256];
    size_t hist[8][256];
    struct bp_span *src = v, *dst = tmp, *t;
    size_t i, sum, c;
    unsigned pass;
    uint64_t k;

    if (n < RADIX_MIN) {
        qsort(v, n, sizeof(*v), cmp_start);
        return;
    }
    memset(hist, 0, sizeof(hist));
    for (i = 0; i < n; i++) {
        k = start_bits(&v[i]);
        for (pass = 0; pass < 8; pass++)
            hist[pass][(k >> (8 * pass)) & 0xff]++;
    }
    for (pass = 0; pass < 8; pass++) {
        count = &hist[pass];
        if ((*count)[(start_bits(&v[0]) >> (8 * pass)) & 0xff] == n)
            continue;
        for (i = 0, sum = 0; i < 256; i++) {
            c = (*count)[i];
            (*count)[i] = sum;
            sum += c;
        }
        for (i = 0; i < n; i++) {
            k = (start_bits(&src[i]) >> (8 * pass)) & 0xff;
            dst[(*count)[k]++] = src[i];
        }
        t = src;
        src = dst;
        dst = t;
    }
    if (src != v)
        memcpy(v, src, n * sizeof(*v));
}

/*
 * Working memory of build_union(), kept between calls (a series builds
 * one union a day): `a` collects the active stretches, `b` is the radix
 * sort's second buffer.
 */
struct scratch {
    struct bp_span *a, *b;
    size_t acap, bcap;
};

static void scratch_release(struct scratch *sc)
{
    bp_free(sc->a);
    bp_free(sc->b);
}

/* Make `*v` (capacity `*cap`) hold `n` spans; old contents are dropped. */
static int reserve_spans(struct bp_span **v, size_t *cap, size_t n)
{
    if (*cap >= n)
        return 0;
    bp_free(*v);
    *cap = 0;
    *v = bp_reallocarray(NULL, n, sizeof(**v));
    if (!*v)
        return BP_ENOMEM;
    *cap = n;
    return 0;
}

/*
 * The union of the pledges active on `day`, clipped to [0, length_m),
 * into the initialised `u`, whose storage is reused when large enough and
 * otherwise sized to the union (not to the pledges: a union of 10^6
 * pledges is often a few hundred spans). One sort, one merge.
 * 0 or BP_ENOMEM (u left empty).
 */
static int build_union(const struct bp_cov_input *in, int32_t day,
                       struct bp_spanset *u, struct scratch *sc)
{
    struct bp_span *v;
    size_t i, k = 0, j = 0;
    double f, t;

    u->n = 0;
    if (!in->npledges)
        return 0;
    if (reserve_spans(&sc->a, &sc->acap, in->npledges))
        return BP_ENOMEM;
    v = sc->a;
    for (i = 0; i < in->npledges; i++) {
        const struct bp_cov_pledge *p = &in->pledges[i];

        if (!active(p, day))
            continue;
        /* `> 0` also turns a start of -0.0 into +0 for the radix sort. */
        f = p->from_m > 0 ? p->from_m : 0;
        t = p->to_m < in->length_m ? p->to_m : in->length_m;
        if (f < t) {
            v[k].from_m = f;
            v[k].to_m = t;
            k++;
        }
    }
    if (!k)
        return 0;
    if (k >= RADIX_MIN && reserve_spans(&sc->b, &sc->bcap, k))
        return BP_ENOMEM;
    sort_by_start(v, sc->b, k);
    /* Merge overlapping and touching spans in place. */
    for (i = 1; i < k; i++) {
        if (v[i].from_m <= v[j].to_m) {
            if (v[i].to_m > v[j].to_m)
                v[j].to_m = v[i].to_m;
        } else {
            v[++j] = v[i];
        }
    }
    if (u->cap < j + 1) {
        bp_free(u->v);
        bp_spanset_init(u);
        if (reserve_spans(&u->v, &u->cap, j + 1))
            return BP_ENOMEM;
    }
    memcpy(u->v, v, (j + 1) * sizeof(*v));
    u->n = j + 1;
    return 0;
}

/* Whole-border figures of the union `u`. Custodians are counted apart. */
static void border_figures(const struct bp_cov_input *in,
                           const struct bp_spanset *u, struct bp_cov_figures *f)
{
    size_t i;

    f->length_m = in->length_m;
    f->covered_m = bp_spanset_length(u);
    f->markers_total = in->nmarkers;
    f->markers_pledged = 0;
    for (i = 0; i < u->n; i++)
        f->markers_pledged +=
            markers_in_piece(in, u->v[i].from_m, u->v[i].to_m);
}

static void count_custodian(struct bp_cov_figures *f,
                            enum bp_custodian_kind kind)
{
    if (kind == BP_COLLECTIVE)
        f->collectives++;
    else
        f->households++;
}

/* Index of the first span of the normal `u` that ends after x. */
static size_t first_ending_after(const struct bp_spanset *u, double x)
{
    size_t lo = 0, hi = u->n, mid;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (u->v[mid].to_m <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A commune's length, covered metres and markers, from the union. */
static void commune_figures(const struct bp_cov_input *in,
                            const struct bp_spanset *u,
                            const struct bp_cov_commune *c,
                            struct bp_cov_figures *f)
{
    size_t j;
    double a, b;

    f->length_m = c->to_m - c->from_m;
    f->markers_total = markers_in_piece(in, c->from_m, c->to_m);
    /*
     * Walk only the union's spans that meet the stretch: a binary search
     * finds the first, so all communes together cost the union's size
     * once (communes do not overlap) plus a logarithm each.
     */
    for (j = first_ending_after(u, c->from_m);
         j < u->n && u->v[j].from_m < c->to_m; j++) {
        a = u->v[j].from_m > c->from_m ? u->v[j].from_m : c->from_m;
        b = u->v[j].to_m < c->to_m ? u->v[j].to_m : c->to_m;
        if (a < b) {
            f->covered_m += b - a;
            f->markers_pledged += markers_in_piece(in, a, b);
        }
    }
}

/* Add a commune's figures, custodians apart, into its station's. */
static void add_to_station(struct bp_cov_figures *s,
                           const struct bp_cov_figures *c)
{
    s->length_m += c->length_m;
    s->covered_m += c->covered_m;
    s->markers_pledged += c->markers_pledged;
    s->markers_total += c->markers_total;
}

int bp_coverage_compute(const struct bp_cov_input *in, int32_t as_of,
                        struct bp_coverage *out, struct bp_error *err)
{
    struct bp_spanset u;
    struct scratch sc = {NULL, NULL, 0, 0};
    struct bp_cov_figures total;
    struct bp_cov_figures *communes = NULL, *stations = NULL;
    unsigned char *seen = NULL;
    size_t i;
    int rc;

    bp_spanset_init(&u);
    memset(&total, 0, sizeof(total));
    if (!out) {
        rc = bp_error_set(err, BP_EINVAL, "bp_coverage_compute: NULL argument");
        goto out;
    }
    rc = check_input(in, "bp_coverage_compute", err);
    if (rc)
        goto out;
    rc = build_union(in, as_of, &u, &sc);
    if (rc)
        goto nomem;
    if (in->ncommunes) {
        communes = bp_calloc(in->ncommunes, sizeof(*communes));
        if (!communes)
            goto nomem;
    }
    if (in->nstations) {
        stations = bp_calloc(in->nstations, sizeof(*stations));
        if (!stations)
            goto nomem;
    }
    if (in->ncustodians) {
        seen = bp_calloc(in->ncustodians, 1);
        if (!seen)
            goto nomem;
    }

    border_figures(in, &u, &total);
    for (i = 0; i < in->ncommunes; i++) {
        commune_figures(in, &u, &in->communes[i], &communes[i]);
        if (in->communes[i].station != UINT32_MAX)
            add_to_station(&stations[in->communes[i].station], &communes[i]);
    }
    /*
     * Each custodian belongs to one commune, hence one station: counting
     * it once, at its first active pledge, makes every count distinct.
     */
    for (i = 0; i < in->npledges; i++) {
        const struct bp_cov_pledge *p = &in->pledges[i];
        const struct bp_cov_custodian *c;

        if (!active(p, as_of) || seen[p->custodian])
            continue;
        seen[p->custodian] = 1;
        c = &in->custodians[p->custodian];
        count_custodian(&total, c->kind);
        if (c->commune == UINT32_MAX)
            continue;
        count_custodian(&communes[c->commune], c->kind);
        if (in->communes[c->commune].station != UINT32_MAX)
            count_custodian(&stations[in->communes[c->commune].station],
                            c->kind);
    }

    out->as_of = as_of;
    out->total = total;
    out->communes = communes;
    out->ncommunes = in->ncommunes;
    out->stations = stations;
    out->nstations = in->nstations;
    out->covered = u;
    communes = NULL;
    stations = NULL;
    bp_spanset_init(&u);
    rc = 0;
    goto out;
nomem:
    rc = bp_error_set(err, BP_ENOMEM, "out of memory computing coverage");
out:
    scratch_release(&sc);
    bp_free(seen);
    bp_free(communes);
    bp_free(stations);
    bp_spanset_release(&u);
    return rc;
}

void bp_coverage_release(struct bp_coverage *c)
{
    if (!c)
        return;
    bp_free(c->communes);
    bp_free(c->stations);
    bp_spanset_release(&c->covered);
    memset(c, 0, sizeof(*c));
    bp_spanset_init(&c->covered);
}

int bp_coverage_series(const struct bp_cov_input *in, const int32_t *days,
                       size_t ndays, struct bp_cov_figures *totals,
                       struct bp_error *err)
{
    struct bp_spanset u;
    struct scratch sc = {NULL, NULL, 0, 0};
    struct bp_cov_figures *fig = NULL;
    unsigned char *seen = NULL;
    size_t d, i;
    int rc;

    bp_spanset_init(&u);
    if (ndays && (!days || !totals)) {
        rc = bp_error_set(err, BP_EINVAL, "bp_coverage_series: NULL argument");
        goto out;
    }
    rc = check_input(in, "bp_coverage_series", err);
    if (rc || !ndays)
        goto out;
    fig = bp_calloc(ndays, sizeof(*fig));
    if (!fig)
        goto nomem;
    if (in->ncustodians) {
        seen = bp_calloc(in->ncustodians, 1);
        if (!seen)
            goto nomem;
    }
    for (d = 0; d < ndays; d++) {
        /* The union's storage is reused from day to day. */
        rc = build_union(in, days[d], &u, &sc);
        if (rc)
            goto nomem;
        border_figures(in, &u, &fig[d]);
        if (in->ncustodians)
            memset(seen, 0, in->ncustodians);
        for (i = 0; i < in->npledges; i++) {
            const struct bp_cov_pledge *p = &in->pledges[i];

            if (!active(p, days[d]) || seen[p->custodian])
                continue;
            seen[p->custodian] = 1;
            count_custodian(&fig[d], in->custodians[p->custodian].kind);
        }
    }
    memcpy(totals, fig, ndays * sizeof(*fig));
    rc = 0;
    goto out;
nomem:
    rc = bp_error_set(err, BP_ENOMEM,
                      "out of memory computing a coverage series");
out:
    bp_free(fig);
    scratch_release(&sc);
    bp_free(seen);
    bp_spanset_release(&u);
    return rc;
}

/*
 * Gaps
 */

/* A commune stretch in measure order, for finding a gap's commune. */
struct stretch {
    double from_m, to_m;
    size_t idx;
};

static int cmp_stretch(const void *pa, const void *pb)
{
    const struct stretch *a = pa, *b = pb;

    if (a->from_m != b->from_m)
        return a->from_m < b->from_m ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/*
 * The commune holding most of [f, t), ties to the lower index; -1 when
 * none holds any of it. `s` is sorted by start and `maxto[k]` is the
 * largest end among s[0..k], so the candidates are the run from the
 * first k with maxto[k] > f to the last start before t: exactly the
 * communes meeting the gap when they do not overlap.
 */
static long gap_commune(const struct stretch *s, const double *maxto, size_t n,
                        double f, double t)
{
    size_t lo = 0, hi = n, mid, k, end;
    long best = -1;
    double best_m = 0, a, b;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (maxto[mid] <= f)
            lo = mid + 1;
        else
            hi = mid;
    }
    k = lo;
    lo = k;
    hi = n;
    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (s[mid].from_m < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    end = lo;
    for (; k < end; k++) {
        a = s[k].from_m > f ? s[k].from_m : f;
        b = s[k].to_m < t ? s[k].to_m : t;
        if (!(a < b))
            continue;
        if (b - a > best_m ||
            (b - a == best_m && best >= 0 && s[k].idx < (size_t)best)) {
            best_m = b - a;
            best = (long)s[k].idx;
        }
    }
    return best;
}

static void fill_gap(const struct bp_cov_input *in, const struct stretch *s,
                     const double *maxto, double f, double t, struct bp_gap *g)
{
    size_t k;

    g->from_m = f;
    g->to_m = t;
    k = upper(in->marker_m, in->nmarkers, f);
    g->marker_before = k ? (long)k - 1 : -1;
    k = lower(in->marker_m, in->nmarkers, t);
    g->marker_after = k < in->nmarkers ? (long)k : -1;
    g->commune = gap_commune(s, maxto, in->ncommunes, f, t);
}

int bp_coverage_gaps(const struct bp_cov_input *in, int32_t as_of,
                     struct bp_gap **gaps, size_t *n, struct bp_error *err)
{
    struct bp_spanset u;
    struct scratch sc = {NULL, NULL, 0, 0};
    struct stretch *s = NULL;
    double *maxto = NULL;
    struct bp_gap *v = NULL;
    size_t i, k = 0;
    double pos = 0;
    int rc;

    bp_spanset_init(&u);
    if (!gaps || !n) {
        rc = bp_error_set(err, BP_EINVAL, "bp_coverage_gaps: NULL argument");
        goto out;
    }
    rc = check_input(in, "bp_coverage_gaps", err);
    if (rc)
        goto out;
    rc = build_union(in, as_of, &u, &sc);
    if (rc)
        goto nomem;
    if (in->ncommunes) {
        s = bp_reallocarray(NULL, in->ncommunes, sizeof(*s));
        maxto = bp_reallocarray(NULL, in->ncommunes, sizeof(*maxto));
        if (!s || !maxto)
            goto nomem;
        for (i = 0; i < in->ncommunes; i++) {
            s[i].from_m = in->communes[i].from_m;
            s[i].to_m = in->communes[i].to_m;
            s[i].idx = i;
        }
        qsort(s, in->ncommunes, sizeof(*s), cmp_stretch);
        for (i = 0; i < in->ncommunes; i++)
            maxto[i] = i && maxto[i - 1] > s[i].to_m ? maxto[i - 1] : s[i].to_m;
    }
    /* The union has u.n spans in [0, length), so at most u.n + 1 gaps. */
    if (in->length_m > 0) {
        v = bp_reallocarray(NULL, u.n + 1, sizeof(*v));
        if (!v)
            goto nomem;
        for (i = 0; i < u.n; i++) {
            if (u.v[i].from_m > pos)
                fill_gap(in, s, maxto, pos, u.v[i].from_m, &v[k++]);
            pos = u.v[i].to_m;
        }
        if (pos < in->length_m)
            fill_gap(in, s, maxto, pos, in->length_m, &v[k++]);
    }
    if (!k) {
        bp_free(v);
        v = NULL;
    }
    *gaps = v;
    *n = k;
    v = NULL;
    rc = 0;
    goto out;
nomem:
    rc = bp_error_set(err, BP_ENOMEM, "out of memory computing gaps");
out:
    scratch_release(&sc);
    bp_free(v);
    bp_free(s);
    bp_free(maxto);
    bp_spanset_release(&u);
    return rc;
}

/*
 * Overlaps
 */

/* A pledge's start (+1) or end (-1) at a measure. */
struct event {
    double pos;
    uint32_t custodian;
    int32_t delta;
};

static int cmp_event(const void *pa, const void *pb)
{
    const struct event *a = pa, *b = pb;

    if (a->pos != b->pos)
        return a->pos < b->pos ? -1 : 1;
    /* Starts before ends at one measure: a custodian whose pledges touch
     * never drops out of the set between them. */
    if (a->delta != b->delta)
        return a->delta > b->delta ? -1 : 1;
    return a->custodian < b->custodian ? -1 : a->custodian > b->custodian;
}

static int cmp_u32(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

    return a < b ? -1 : a > b;
}

/* The set of custodians with an active pledge at the sweep's position. */
struct cset {
    uint32_t *count; /* pledges open per custodian */
    uint32_t *where; /* position of a member in `list` */
    uint32_t *list;  /* the members, unordered */
    size_t n;
};

/* Apply one event; 1 when the set's membership changed. */
static int cset_apply(struct cset *s, const struct event *e)
{
    uint32_t c = e->custodian, last;

    if (e->delta > 0) {
        if (s->count[c]++)
            return 0;
        s->where[c] = (uint32_t)s->n;
        s->list[s->n++] = c;
        return 1;
    }
    if (--s->count[c])
        return 0;
    last = s->list[--s->n];
    s->list[s->where[c]] = last;
    s->where[last] = s->where[c];
    return 1;
}

void bp_overlaps_free(struct bp_overlap *v, size_t n)
{
    size_t i;

    if (!v)
        return;
    for (i = 0; i < n; i++)
        bp_free(v[i].custodians);
    bp_free(v);
}

/*
 * Open an overlap at `pos` with the set's members, sorted. Grows `*v`
 * (capacity `*cap`). 0 or BP_ENOMEM (nothing added).
 */
static int open_overlap(struct bp_overlap **v, size_t *nv, size_t *cap,
                        const struct cset *s, double pos)
{
    struct bp_overlap *nw, *o;
    uint32_t *ids;
    size_t want;

    if (*nv == *cap) {
        want = *cap ? *cap * 2 : 16;
        nw = bp_reallocarray(*v, want, sizeof(*nw));
        if (!nw)
            return BP_ENOMEM;
        *v = nw;
        *cap = want;
    }
    ids = bp_reallocarray(NULL, s->n, sizeof(*ids));
    if (!ids)
        return BP_ENOMEM;
    memcpy(ids, s->list, s->n * sizeof(*ids));
    qsort(ids, s->n, sizeof(*ids), cmp_u32);
    o = &(*v)[(*nv)++];
    o->from_m = pos;
    o->to_m = pos;
    o->custodians = ids;
    o->ncustodians = s->n;
    return 0;
}

int bp_coverage_overlaps(const struct bp_cov_input *in, int32_t as_of,
                         struct bp_overlap **out, size_t *n,
                         struct bp_error *err)
{
    struct event *ev = NULL;
    struct cset set = {NULL, NULL, NULL, 0};
    struct bp_overlap *v = NULL;
    size_t nv = 0, cap = 0, ne = 0, i, j, before;
    double f, t, x;
    int rc, changed;

    if (!out || !n) {
        rc =
            bp_error_set(err, BP_EINVAL, "bp_coverage_overlaps: NULL argument");
        goto out;
    }
    rc = check_input(in, "bp_coverage_overlaps", err);
    if (rc)
        goto out;
    if (in->npledges) {
        ev = bp_reallocarray(NULL, in->npledges, 2 * sizeof(*ev));
        set.count = bp_calloc(in->ncustodians, sizeof(*set.count));
        set.where = bp_reallocarray(NULL, in->ncustodians, sizeof(*set.where));
        set.list = bp_reallocarray(NULL, in->ncustodians, sizeof(*set.list));
        if (!ev || !set.count || !set.where || !set.list)
            goto nomem;
    }
    for (i = 0; i < in->npledges; i++) {
        const struct bp_cov_pledge *p = &in->pledges[i];

        if (!active(p, as_of))
            continue;
        f = p->from_m > 0 ? p->from_m : 0;
        t = p->to_m < in->length_m ? p->to_m : in->length_m;
        if (!(f < t))
            continue;
        ev[ne].pos = f;
        ev[ne].custodian = p->custodian;
        ev[ne].delta = 1;
        ne++;
        ev[ne].pos = t;
        ev[ne].custodian = p->custodian;
        ev[ne].delta = -1;
        ne++;
    }
    if (ne)
        qsort(ev, ne, sizeof(*ev), cmp_event);
    /*
     * Sweep the measures in order, applying every event at one measure as
     * one step. Each custodian changes membership at most once per step
     * (starts come first and pledges are not empty), so `changed` means
     * the set differs from the one before: the open overlap, if any, ends
     * here and a new one starts when two or more remain.
     */
    for (i = 0; i < ne; i = j) {
        x = ev[i].pos;
        before = set.n;
        changed = 0;
        for (j = i; j < ne && ev[j].pos == x; j++)
            changed |= cset_apply(&set, &ev[j]);
        if (!changed)
            continue;
        if (before >= 2)
            v[nv - 1].to_m = x;
        if (set.n >= 2 && open_overlap(&v, &nv, &cap, &set, x))
            goto nomem;
    }
    *out = v;
    *n = nv;
    v = NULL;
    nv = 0;
    rc = 0;
    goto out;
nomem:
    rc = bp_error_set(err, BP_ENOMEM, "out of memory computing overlaps");
out:
    bp_overlaps_free(v, nv);
    bp_free(ev);
    bp_free(set.count);
    bp_free(set.where);
    bp_free(set.list);
    return rc;
}
