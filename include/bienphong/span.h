/* SPDX-License-Identifier: MIT */
/*
 * Sets of half-open measure intervals [from, to) along the border, in
 * metres. Coverage, patrolled stretches, road built, lights and bamboo are
 * all span sets, and every length figure of that kind is computed here.
 *
 *     struct bp_spanset a, b, u;
 *     bp_spanset_init(&a); ...
 *     bp_spanset_add(&a, 0, 1000);      // any order, may overlap
 *     bp_spanset_add(&a, 500, 2500);
 *     bp_spanset_normalise(&a);         // [0, 2500)
 *     bp_spanset_union(&a, &b, &u);     // u must be initialised
 *     double km = bp_spanset_length(&u) / 1000;
 *     bp_spanset_release(&a); ...
 *
 * A set is "normal" when its spans are sorted, non-empty and neither
 * overlap nor touch. The binary operations require normal inputs and
 * produce normal outputs; bp_spanset_add() leaves the set unnormalised.
 * No geometry, no database: pure arithmetic on doubles.
 */
#ifndef BIENPHONG_SPAN_H
#define BIENPHONG_SPAN_H

#include <stddef.h>

/** One half-open interval [from_m, to_m). Empty when to_m <= from_m. */
struct bp_span {
    double from_m;
    double to_m;
};

/** A set of spans; transparent so callers can iterate `v[0..n)`. */
struct bp_spanset {
    struct bp_span *v;
    size_t n;
    size_t cap;
};

/** Initialise caller's storage as the empty set. */
void bp_spanset_init(struct bp_spanset *s);
/** Free the spans; the set is empty and reusable afterwards. */
void bp_spanset_release(struct bp_spanset *s);
/** Empty the set, keeping its storage. */
void bp_spanset_clear(struct bp_spanset *s);

/**
 * Append [from_m, to_m); empty or non-finite spans are ignored (returns 0).
 * Returns 0 or BP_ENOMEM (set unchanged). The set is no longer normal.
 */
int bp_spanset_add(struct bp_spanset *s, double from_m, double to_m);

/**
 * Sort and merge overlapping or touching spans, dropping empty ones (and
 * non-finite ones written into `v` by hand). In place, never allocates.
 */
void bp_spanset_normalise(struct bp_spanset *s);

/** 1 when the set is normal (see above), else 0. The empty set is normal. */
int bp_spanset_is_normal(const struct bp_spanset *s);

/**
 * out = a ∪ b, a ∩ b, a \ b. `a` and `b` must be normal; `out` must be
 * initialised and distinct from both; its old contents are replaced.
 * Returns 0 or BP_ENOMEM (out left empty). Each is one linear merge,
 * O(a->n + b->n).
 */
int bp_spanset_union(const struct bp_spanset *a, const struct bp_spanset *b,
                     struct bp_spanset *out);
int bp_spanset_intersect(const struct bp_spanset *a,
                         const struct bp_spanset *b, struct bp_spanset *out);
int bp_spanset_subtract(const struct bp_spanset *a,
                        const struct bp_spanset *b, struct bp_spanset *out);

/**
 * Clip a normal set in place to [from_m, to_m); an empty or NaN range
 * empties the set. Infinite ends are allowed ([-INFINITY, x) clips above).
 */
void bp_spanset_clip(struct bp_spanset *s, double from_m, double to_m);

/** Total length in metres of a normal set. */
double bp_spanset_length(const struct bp_spanset *s);

/**
 * 1 when `measure_m` lies in some span of the normal set, else 0. A span's
 * start is inside it, its end is not. O(log n).
 */
int bp_spanset_contains(const struct bp_spanset *s, double measure_m);

/**
 * 1 when [from_m, to_m) lies wholly inside one span of the normal set,
 * else 0; an empty or NaN interval gives 0. O(log n).
 */
int bp_spanset_covers(const struct bp_spanset *s, double from_m, double to_m);

/** Copy `src` into initialised `dst`. 0 or BP_ENOMEM (dst left empty). */
int bp_spanset_copy(struct bp_spanset *dst, const struct bp_spanset *src);

/**
 * Depth sweep: for a set of possibly overlapping spans (not normalised),
 * produce the normal set of measures covered by at least `k` of them
 * (k = 2 gives overlaps; k = 0 is taken as 1, the union). Empty and
 * non-finite spans in the input are ignored. `out` initialised, distinct
 * from `spans`; its old contents are replaced. O(n log n).
 * 0 or BP_ENOMEM (out left empty).
 */
int bp_spanset_depth_at_least(const struct bp_spanset *spans, unsigned k,
                              struct bp_spanset *out);

#endif
