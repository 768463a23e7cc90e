/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the span module: table-driven cases for every operation
 * and its degenerate inputs, random sets checked cell by cell against a
 * brute-force reference on an integer grid, and out-of-memory paths.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bienphong/alloc.h"
#include "bienphong/error.h"
#include "bienphong/span.h"

/* A span list written out in a table; at most 8 spans per case. */
#define MAXS 8
struct list {
    size_t n;
    double v[MAXS][2];
};

#define L0                                                                     \
    {                                                                          \
        0,                                                                     \
        {                                                                      \
            {                                                                  \
                0, 0                                                           \
            }                                                                  \
        }                                                                      \
    }
#define L(n, ...)                                                              \
    {                                                                          \
        n,                                                                     \
        {                                                                      \
            __VA_ARGS__                                                        \
        }                                                                      \
    }

static void build(struct bp_spanset *s, const struct list *l)
{
    size_t i;

    bp_spanset_init(s);
    for (i = 0; i < l->n; i++)
        assert_int_equal(bp_spanset_add(s, l->v[i][0], l->v[i][1]), 0);
    bp_spanset_normalise(s);
}

static void print_set(const char *what, const struct bp_spanset *s)
{
    size_t i;

    print_message("%s (%zu):", what, s->n);
    for (i = 0; i < s->n; i++)
        print_message(" [%g, %g)", s->v[i].from_m, s->v[i].to_m);
    print_message("\n");
}

static void print_list(const char *what, const struct list *l)
{
    size_t i;

    print_message("%s (%zu):", what, l->n);
    for (i = 0; i < l->n; i++)
        print_message(" [%g, %g)", l->v[i][0], l->v[i][1]);
    print_message("\n");
}

/* Assert that `got` is exactly the list `want`; print both when not. */
static void check_set(const char *name, const struct bp_spanset *got,
                      const struct list *want)
{
    size_t i;
    int same = got->n == want->n;

    for (i = 0; same && i < got->n; i++)
        same = got->v[i].from_m == want->v[i][0] &&
               got->v[i].to_m == want->v[i][1];
    if (!same) {
        print_message("case '%s'\n", name);
        print_set("got ", got);
        print_list("want", want);
        fail();
    }
    assert_true(bp_spanset_is_normal(got));
}

static void test_init_release_clear(void **state)
{
    struct bp_spanset s;

    (void)state;
    bp_spanset_init(&s);
    assert_null(s.v);
    assert_int_equal(s.n, 0);
    assert_true(bp_spanset_is_normal(&s));
    assert_int_equal(bp_spanset_add(&s, 0, 1), 0);
    bp_spanset_clear(&s);
    assert_int_equal(s.n, 0);
    assert_non_null(s.v);
    assert_int_equal(bp_spanset_add(&s, 2, 3), 0);
    assert_int_equal(s.n, 1);
    bp_spanset_release(&s);
    assert_null(s.v);
    assert_int_equal(s.n, 0);
    /* Reusable after release, and releasing twice is harmless. */
    assert_int_equal(bp_spanset_add(&s, 2, 3), 0);
    bp_spanset_release(&s);
    bp_spanset_release(&s);
}

static void test_add_ignores_degenerate(void **state)
{
    static const double bad[][2] = {
        {5, 5}, /* empty */
        {6, 4}, /* reversed, empty */
        {NAN, 1},
        {0, NAN},
        {-INFINITY, 0},
        {0, INFINITY},
        {-INFINITY, INFINITY},
    };
    struct bp_spanset s;
    size_t i;

    (void)state;
    bp_spanset_init(&s);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(bp_spanset_add(&s, bad[i][0], bad[i][1]), 0);
        if (s.n != 0) {
            print_message("bad[%zu] = [%g, %g) was added\n", i, bad[i][0],
                          bad[i][1]);
            fail();
        }
    }
    bp_spanset_release(&s);
}

static void test_normalise(void **state)
{
    static const struct {
        const char *name;
        struct list in, want;
    } cases[] = {
        {"empty", L0, L0},
        {"single", L(1, {1, 2}), L(1, {1, 2})},
        {"unsorted disjoint", L(3, {5, 6}, {1, 2}, {3, 4}),
         L(3, {1, 2}, {3, 4}, {5, 6})},
        {"overlapping", L(2, {0, 5}, {3, 8}), L(1, {0, 8})},
        {"touching", L(2, {1, 2}, {0, 1}), L(1, {0, 2})},
        {"touching chain", L(4, {3, 4}, {0, 1}, {2, 3}, {1, 2}), L(1, {0, 4})},
        {"nested", L(3, {2, 3}, {0, 10}, {4, 5}), L(1, {0, 10})},
        {"identical", L(3, {1, 2}, {1, 2}, {1, 2}), L(1, {1, 2})},
        {"same start", L(2, {1, 5}, {1, 2}), L(1, {1, 5})},
        {"same end", L(2, {3, 5}, {1, 5}), L(1, {1, 5})},
        {"negative measures", L(2, {-5, -1}, {-2, 0.5}), L(1, {-5, 0.5})},
        {"nearly touching", L(2, {0, 1}, {1.000001, 2}),
         L(2, {0, 1}, {1.000001, 2})},
        {"merge then gap", L(4, {0, 2}, {1, 3}, {4, 5}, {5, 6}),
         L(2, {0, 3}, {4, 6})},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bp_spanset s;

        build(&s, &cases[i].in);
        check_set(cases[i].name, &s, &cases[i].want);
        /* Normalising a normal set changes nothing. */
        bp_spanset_normalise(&s);
        check_set(cases[i].name, &s, &cases[i].want);
        bp_spanset_release(&s);
    }
}

static void test_normalise_drops_hand_written(void **state)
{
    struct bp_spanset s;
    static const struct list want = L(1, {1, 2});

    (void)state;
    /* `v` is transparent: spans written directly may be degenerate. */
    bp_spanset_init(&s);
    assert_int_equal(bp_spanset_add(&s, 0, 1), 0);
    assert_int_equal(bp_spanset_add(&s, 0, 1), 0);
    assert_int_equal(bp_spanset_add(&s, 0, 1), 0);
    assert_int_equal(bp_spanset_add(&s, 1, 2), 0);
    s.v[0].to_m = NAN;
    s.v[1].from_m = 3;      /* reversed */
    s.v[2].to_m = INFINITY; /* not finite */
    assert_false(bp_spanset_is_normal(&s));
    bp_spanset_normalise(&s);
    check_set("hand-written", &s, &want);
    bp_spanset_release(&s);
}

static void test_is_normal(void **state)
{
    static const struct {
        const char *name;
        struct list in;
        int want;
    } cases[] = {
        {"empty", L0, 1},
        {"sorted disjoint", L(2, {0, 1}, {2, 3}), 1},
        {"touching", L(2, {0, 1}, {1, 2}), 0},
        {"overlapping", L(2, {0, 2}, {1, 3}), 0},
        {"unsorted", L(2, {2, 3}, {0, 1}), 0},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bp_spanset s;
        size_t k;

        bp_spanset_init(&s);
        for (k = 0; k < cases[i].in.n; k++)
            assert_int_equal(
                bp_spanset_add(&s, cases[i].in.v[k][0], cases[i].in.v[k][1]),
                0);
        if (bp_spanset_is_normal(&s) != cases[i].want) {
            print_message("case '%s': got %d, want %d\n", cases[i].name,
                          !cases[i].want, cases[i].want);
            fail();
        }
        bp_spanset_release(&s);
    }
}

/* One row: a, b and the expected a ∪ b, a ∩ b, a \ b and b \ a. */
static const struct {
    const char *name;
    struct list a, b, uni, inter, a_b, b_a;
} binop_cases[] = {
    {"both empty", L0, L0, L0, L0, L0, L0},
    {"a empty", L0, L(1, {1, 2}), L(1, {1, 2}), L0, L0, L(1, {1, 2})},
    {"b empty", L(2, {1, 2}, {3, 4}), L0, L(2, {1, 2}, {3, 4}), L0,
     L(2, {1, 2}, {3, 4}), L0},
    {"touching", L(1, {0, 1}), L(1, {1, 2}), L(1, {0, 2}), L0, L(1, {0, 1}),
     L(1, {1, 2})},
    {"touching both sides", L(1, {1, 2}), L(2, {0, 1}, {2, 3}), L(1, {0, 3}),
     L0, L(1, {1, 2}), L(2, {0, 1}, {2, 3})},
    {"identical", L(2, {0, 1}, {2, 3}), L(2, {0, 1}, {2, 3}),
     L(2, {0, 1}, {2, 3}), L(2, {0, 1}, {2, 3}), L0, L0},
    {"nested", L(1, {0, 10}), L(1, {3, 4}), L(1, {0, 10}), L(1, {3, 4}),
     L(2, {0, 3}, {4, 10}), L0},
    {"nested sharing start", L(1, {0, 10}), L(1, {0, 4}), L(1, {0, 10}),
     L(1, {0, 4}), L(1, {4, 10}), L0},
    {"nested sharing end", L(1, {0, 10}), L(1, {6, 10}), L(1, {0, 10}),
     L(1, {6, 10}), L(1, {0, 6}), L0},
    {"disjoint", L(2, {0, 1}, {4, 5}), L(2, {2, 3}, {6, 7}),
     L(4, {0, 1}, {2, 3}, {4, 5}, {6, 7}), L0, L(2, {0, 1}, {4, 5}),
     L(2, {2, 3}, {6, 7})},
    {"overlapping", L(1, {0, 5}), L(1, {3, 8}), L(1, {0, 8}), L(1, {3, 5}),
     L(1, {0, 3}), L(1, {5, 8})},
    {"one b across several a", L(3, {0, 2}, {3, 5}, {6, 8}), L(1, {1, 7}),
     L(1, {0, 8}), L(3, {1, 2}, {3, 5}, {6, 7}), L(2, {0, 1}, {7, 8}),
     L(2, {2, 3}, {5, 6})},
    {"several holes in one a", L(1, {0, 10}), L(3, {1, 2}, {4, 5}, {7, 8}),
     L(1, {0, 10}), L(3, {1, 2}, {4, 5}, {7, 8}),
     L(4, {0, 1}, {2, 4}, {5, 7}, {8, 10}), L0},
    {"interleaved", L(3, {0, 2}, {4, 6}, {8, 10}),
     L(3, {1, 5}, {7, 9}, {11, 12}), L(3, {0, 6}, {7, 10}, {11, 12}),
     L(3, {1, 2}, {4, 5}, {8, 9}), L(3, {0, 1}, {5, 6}, {9, 10}),
     L(3, {2, 4}, {7, 8}, {11, 12})},
    {"b fills gaps exactly", L(2, {0, 1}, {2, 3}), L(2, {1, 2}, {3, 4}),
     L(1, {0, 4}), L0, L(2, {0, 1}, {2, 3}), L(2, {1, 2}, {3, 4})},
    {"fractional", L(1, {0.25, 0.75}), L(1, {0.5, 1.5}), L(1, {0.25, 1.5}),
     L(1, {0.5, 0.75}), L(1, {0.25, 0.5}), L(1, {0.75, 1.5})},
};

static void test_binops(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(binop_cases) / sizeof(binop_cases[0]); i++) {
        struct bp_spanset a, b, out;
        char name[128];
        build(&a, &binop_cases[i].a);
        build(&b, &binop_cases[i].b);
        bp_spanset_init(&out);
        /* Old contents of `out` are replaced. */
        assert_int_equal(bp_spanset_add(&out, -100, -99), 0);

        snprintf(name, sizeof(name), "%s: a | b", binop_cases[i].name);
        assert_int_equal(bp_spanset_union(&a, &b, &out), 0);
        check_set(name, &out, &binop_cases[i].uni);
        snprintf(name, sizeof(name), "%s: b | a", binop_cases[i].name);
        assert_int_equal(bp_spanset_union(&b, &a, &out), 0);
        check_set(name, &out, &binop_cases[i].uni);

        snprintf(name, sizeof(name), "%s: a & b", binop_cases[i].name);
        assert_int_equal(bp_spanset_intersect(&a, &b, &out), 0);
        check_set(name, &out, &binop_cases[i].inter);
        snprintf(name, sizeof(name), "%s: b & a", binop_cases[i].name);
        assert_int_equal(bp_spanset_intersect(&b, &a, &out), 0);
        check_set(name, &out, &binop_cases[i].inter);

        snprintf(name, sizeof(name), "%s: a - b", binop_cases[i].name);
        assert_int_equal(bp_spanset_subtract(&a, &b, &out), 0);
        check_set(name, &out, &binop_cases[i].a_b);
        snprintf(name, sizeof(name), "%s: b - a", binop_cases[i].name);
        assert_int_equal(bp_spanset_subtract(&b, &a, &out), 0);
        check_set(name, &out, &binop_cases[i].b_a);

        bp_spanset_release(&a);
        bp_spanset_release(&b);
        bp_spanset_release(&out);
    }
}

static void test_clip(void **state)
{
    static const struct {
        const char *name;
        struct list in;
        double from_m, to_m;
        struct list want;
    } cases[] = {
        {"empty set", L0, 0, 10, L0},
        {"inside", L(1, {2, 3}), 0, 10, L(1, {2, 3})},
        {"cut both ends", L(1, {0, 10}), 2, 8, L(1, {2, 8})},
        {"drop outside", L(3, {0, 1}, {2, 3}, {4, 5}), 2, 3, L(1, {2, 3})},
        {"touching range", L(2, {0, 1}, {2, 3}), 1, 2, L0},
        {"partial several", L(3, {0, 2}, {3, 5}, {6, 8}), 1, 7,
         L(3, {1, 2}, {3, 5}, {6, 7})},
        {"empty range", L(1, {0, 10}), 5, 5, L0},
        {"reversed range", L(1, {0, 10}), 6, 4, L0},
        {"nan range", L(1, {0, 10}), NAN, 4, L0},
        {"open below", L(2, {0, 2}, {3, 5}), -INFINITY, 4,
         L(2, {0, 2}, {3, 4})},
        {"open above", L(2, {0, 2}, {3, 5}), 1, INFINITY, L(2, {1, 2}, {3, 5})},
        {"whole line", L(2, {0, 2}, {3, 5}), -INFINITY, INFINITY,
         L(2, {0, 2}, {3, 5})},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bp_spanset s;

        build(&s, &cases[i].in);
        bp_spanset_clip(&s, cases[i].from_m, cases[i].to_m);
        check_set(cases[i].name, &s, &cases[i].want);
        bp_spanset_release(&s);
    }
}

static void test_length(void **state)
{
    static const struct {
        const char *name;
        struct list in;
        double want;
    } cases[] = {
        {"empty", L0, 0},
        {"one", L(1, {1, 3.5}), 2.5},
        {"overlap counted once", L(2, {0, 5}, {3, 8}), 8},
        {"several", L(3, {0, 1}, {10, 20}, {100, 100.5}), 11.5},
        {"official border", L(2, {0, 100000.25}, {131740, 231740}), 200000.25},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bp_spanset s;
        double got;

        build(&s, &cases[i].in);
        got = bp_spanset_length(&s);
        if (fabs(got - cases[i].want) > 1e-9) {
            print_message("case '%s': got %.17g, want %.17g\n", cases[i].name,
                          got, cases[i].want);
            fail();
        }
        bp_spanset_release(&s);
    }
}

static void test_length_many_small(void **state)
{
    struct bp_spanset s;
    size_t i;
    double got;

    (void)state;
    /* 100,000 spans of 0.1 m with gaps: the sum must not drift. */
    bp_spanset_init(&s);
    for (i = 0; i < 100000; i++)
        assert_int_equal(bp_spanset_add(&s, (double)i, (double)i + 0.1), 0);
    bp_spanset_normalise(&s);
    assert_int_equal(s.n, 100000);
    got = bp_spanset_length(&s);
    if (fabs(got - 10000.0) > 1e-6) {
        print_message("got %.17g, want 10000\n", got);
        fail();
    }
    bp_spanset_release(&s);
}

static void test_contains_covers(void **state)
{
    static const struct list set = L(3, {0, 2}, {5, 7}, {10, 11});
    static const struct {
        double x;
        int want;
    } pts[] = {
        {-1, 0},  {0, 1},   {1.999, 1},     {2, 0},        {3, 0},
        {5, 1},   {6, 1},   {7, 0},         {10.5, 1},     {11, 0},
        {100, 0}, {NAN, 0}, {-INFINITY, 0}, {INFINITY, 0},
    };
    static const struct {
        double from_m, to_m;
        int want;
    } ivs[] = {
        {0, 2, 1},   {0, 1, 1},    {1, 2, 1},         {0.5, 1.5, 1},
        {0, 2.1, 0}, {-0.1, 1, 0}, {1, 6, 0},         {2, 5, 0},
        {5, 7, 1},   {10, 11, 1},  {1, 1, 0},         {1.5, 1, 0},
        {NAN, 1, 0}, {0, NAN, 0},  {-INFINITY, 1, 0}, {10, INFINITY, 0},
        {12, 13, 0}, {-3, -2, 0},
    };
    struct bp_spanset s, empty;
    size_t i;

    (void)state;
    build(&s, &set);
    bp_spanset_init(&empty);
    for (i = 0; i < sizeof(pts) / sizeof(pts[0]); i++) {
        int got = bp_spanset_contains(&s, pts[i].x);

        if (got != pts[i].want) {
            print_message("contains(%g): got %d, want %d\n", pts[i].x, got,
                          pts[i].want);
            fail();
        }
        assert_int_equal(bp_spanset_contains(&empty, pts[i].x), 0);
    }
    for (i = 0; i < sizeof(ivs) / sizeof(ivs[0]); i++) {
        int got = bp_spanset_covers(&s, ivs[i].from_m, ivs[i].to_m);

        if (got != ivs[i].want) {
            print_message("covers([%g, %g)): got %d, want %d\n", ivs[i].from_m,
                          ivs[i].to_m, got, ivs[i].want);
            fail();
        }
        assert_int_equal(bp_spanset_covers(&empty, ivs[i].from_m, ivs[i].to_m),
                         0);
    }
    bp_spanset_release(&s);
}

static void test_copy(void **state)
{
    static const struct list in = L(3, {0, 1}, {2, 3}, {4, 5});
    static const struct list none = L0;
    struct bp_spanset a, b, e;

    (void)state;
    build(&a, &in);
    bp_spanset_init(&b);
    bp_spanset_init(&e);
    assert_int_equal(bp_spanset_add(&b, 7, 8), 0);
    assert_int_equal(bp_spanset_copy(&b, &a), 0);
    check_set("copy", &b, &in);
    assert_true(b.v != a.v);
    /* Copy into itself is a no-op. */
    assert_int_equal(bp_spanset_copy(&b, &b), 0);
    check_set("self copy", &b, &in);
    assert_int_equal(bp_spanset_copy(&b, &e), 0);
    check_set("copy of empty", &b, &none);
    bp_spanset_release(&a);
    bp_spanset_release(&b);
    bp_spanset_release(&e);
}

static void test_depth(void **state)
{
    static const struct {
        const char *name;
        struct list in;
        unsigned k;
        struct list want;
    } cases[] = {
        {"empty", L0, 2, L0},
        {"single k1", L(1, {0, 5}), 1, L(1, {0, 5})},
        {"single k2", L(1, {0, 5}), 2, L0},
        {"k0 is union", L(2, {0, 1}, {3, 4}), 0, L(2, {0, 1}, {3, 4})},
        {"touching is not overlap", L(2, {0, 1}, {1, 2}), 2, L0},
        {"touching k1 merges", L(2, {1, 2}, {0, 1}), 1, L(1, {0, 2})},
        {"overlap", L(2, {0, 5}, {3, 8}), 2, L(1, {3, 5})},
        {"identical", L(2, {2, 4}, {2, 4}), 2, L(1, {2, 4})},
        {"identical k3", L(3, {2, 4}, {2, 4}, {2, 4}), 3, L(1, {2, 4})},
        {"nested", L(2, {0, 10}, {3, 4}), 2, L(1, {3, 4})},
        {"three layers", L(3, {0, 10}, {2, 8}, {4, 6}), 3, L(1, {4, 6})},
        {"three layers k2", L(3, {0, 10}, {2, 8}, {4, 6}), 2, L(1, {2, 8})},
        {"overlaps meeting", L(4, {0, 2}, {1, 3}, {2, 4}, {3, 5}), 2,
         L(1, {1, 4})},
        {"overlaps apart", L(4, {0, 2}, {1, 3}, {5, 7}, {6, 8}), 2,
         L(2, {1, 2}, {6, 7})},
        {"ends and starts together", L(3, {0, 2}, {2, 4}, {1, 3}), 2,
         L(1, {1, 3})},
        {"k above count", L(2, {0, 5}, {0, 5}), 3, L0},
    };
    size_t i, k;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bp_spanset in, out;

        bp_spanset_init(&in);
        bp_spanset_init(&out);
        for (k = 0; k < cases[i].in.n; k++)
            assert_int_equal(
                bp_spanset_add(&in, cases[i].in.v[k][0], cases[i].in.v[k][1]),
                0);
        assert_int_equal(bp_spanset_add(&out, -5, -4), 0);
        assert_int_equal(bp_spanset_depth_at_least(&in, cases[i].k, &out), 0);
        check_set(cases[i].name, &out, &cases[i].want);
        bp_spanset_release(&in);
        bp_spanset_release(&out);
    }
}

/* --- random sets against a brute-force reference ---------------------- */

#define GRID 200

static uint64_t rng_state;

static uint32_t rnd(uint32_t bound)
{
    /* xorshift64*: fixed seed, reproducible everywhere. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717ULL) >> 33) % bound;
}

/*
 * Random spans with integer ends in [0, GRID]; `raw` gets them unnormalised,
 * `cells[c]` how many cover the unit cell [c, c+1). Some are empty.
 */
static void random_spans(struct bp_spanset *raw, int *cells)
{
    size_t n = rnd(12), i;
    int c;

    memset(cells, 0, GRID * sizeof(*cells));
    for (i = 0; i < n; i++) {
        int f = (int)rnd(GRID), len = (int)rnd(rnd(2) ? 8 : 60);
        int t = f + len > GRID ? GRID : f + len;

        assert_int_equal(bp_spanset_add(raw, f, t), 0);
        for (c = f; c < t; c++)
            cells[c]++;
    }
}

/* Compare a normal set with a cell membership table, cell by cell. */
static void check_cells(const char *what, int iter,
                        const struct bp_spanset *got, const int *want)
{
    int c, covered = 0;

    if (!bp_spanset_is_normal(got)) {
        print_message("iteration %d, %s: not normal\n", iter, what);
        print_set("got", got);
        fail();
    }
    for (c = -2; c < GRID + 2; c++) {
        int w = c >= 0 && c < GRID && want[c];
        int g = bp_spanset_contains(got, c + 0.5);

        covered += w;
        if (g != w || bp_spanset_contains(got, c) != w) {
            print_message("iteration %d, %s: cell [%d, %d) got %d, want %d\n",
                          iter, what, c, c + 1, g, w);
            print_set("got", got);
            fail();
        }
    }
    if (bp_spanset_length(got) != covered) {
        print_message("iteration %d, %s: length %g, want %d\n", iter, what,
                      bp_spanset_length(got), covered);
        fail();
    }
}

static void test_random_against_grid(void **state)
{
    int ca[GRID], cb[GRID], want[GRID];
    int iter, c, k;

    (void)state;
    rng_state = 0x9e3779b97f4a7c15ULL;
    for (iter = 0; iter < 3000; iter++) {
        struct bp_spanset ra, rb, a, b, out;

        bp_spanset_init(&ra);
        bp_spanset_init(&rb);
        bp_spanset_init(&a);
        bp_spanset_init(&b);
        bp_spanset_init(&out);
        random_spans(&ra, ca);
        random_spans(&rb, cb);
        assert_int_equal(bp_spanset_copy(&a, &ra), 0);
        assert_int_equal(bp_spanset_copy(&b, &rb), 0);
        bp_spanset_normalise(&a);
        bp_spanset_normalise(&b);

        for (c = 0; c < GRID; c++)
            want[c] = ca[c] > 0;
        check_cells("normalise", iter, &a, want);

        assert_int_equal(bp_spanset_union(&a, &b, &out), 0);
        for (c = 0; c < GRID; c++)
            want[c] = ca[c] || cb[c];
        check_cells("union", iter, &out, want);

        assert_int_equal(bp_spanset_intersect(&a, &b, &out), 0);
        for (c = 0; c < GRID; c++)
            want[c] = ca[c] && cb[c];
        check_cells("intersect", iter, &out, want);

        assert_int_equal(bp_spanset_subtract(&a, &b, &out), 0);
        for (c = 0; c < GRID; c++)
            want[c] = ca[c] && !cb[c];
        check_cells("subtract", iter, &out, want);

        for (k = 0; k <= 4; k++) {
            char what[32];

            assert_int_equal(bp_spanset_depth_at_least(&ra, (unsigned)k, &out),
                             0);
            for (c = 0; c < GRID; c++)
                want[c] = ca[c] >= (k ? k : 1);
            snprintf(what, sizeof(what), "depth >= %d", k);
            check_cells(what, iter, &out, want);
        }

        {
            int f = (int)rnd(GRID + 20) - 10, t = (int)rnd(GRID + 20) - 10;
            int w = f < t;

            /* covers: every cell of [f, t) inside a, which for a normal
             * set means inside one span. */
            for (c = f; c < t; c++)
                w = w && c >= 0 && c < GRID && ca[c];
            if (bp_spanset_covers(&a, f, t) != w) {
                print_message("iteration %d: covers([%d, %d)) want %d\n", iter,
                              f, t, w);
                print_set("a", &a);
                fail();
            }
            assert_int_equal(bp_spanset_copy(&out, &a), 0);
            bp_spanset_clip(&out, f, t);
            for (c = 0; c < GRID; c++)
                want[c] = ca[c] && c >= f && c < t;
            check_cells("clip", iter, &out, want);
        }

        bp_spanset_release(&ra);
        bp_spanset_release(&rb);
        bp_spanset_release(&a);
        bp_spanset_release(&b);
        bp_spanset_release(&out);
    }
}

static void test_large_merge(void **state)
{
    struct bp_spanset a, b, out;
    size_t i;

    (void)state;
    /* a: [10i, 10i+6), b: [10i+4, 10i+12) over 100,000 spans each. */
    bp_spanset_init(&a);
    bp_spanset_init(&b);
    bp_spanset_init(&out);
    for (i = 0; i < 100000; i++) {
        assert_int_equal(bp_spanset_add(&a, 10.0 * i, 10.0 * i + 6), 0);
        assert_int_equal(bp_spanset_add(&b, 10.0 * i + 4, 10.0 * i + 7), 0);
    }
    assert_int_equal(bp_spanset_union(&a, &b, &out), 0);
    assert_int_equal(out.n, 100000);
    assert_true(bp_spanset_length(&out) == 700000.0);
    assert_int_equal(bp_spanset_intersect(&a, &b, &out), 0);
    assert_int_equal(out.n, 100000);
    assert_true(bp_spanset_length(&out) == 200000.0);
    assert_int_equal(bp_spanset_subtract(&a, &b, &out), 0);
    assert_int_equal(out.n, 100000);
    assert_true(bp_spanset_length(&out) == 400000.0);
    assert_int_equal(bp_spanset_subtract(&b, &a, &out), 0);
    assert_true(bp_spanset_length(&out) == 100000.0);
    bp_spanset_release(&a);
    bp_spanset_release(&b);
    bp_spanset_release(&out);
}

/* --- out of memory ---------------------------------------------------- */

enum op { OP_UNION, OP_INTERSECT, OP_SUBTRACT, OP_DEPTH, OP_COPY };

static int run_op(enum op op, const struct bp_spanset *a,
                  const struct bp_spanset *b, struct bp_spanset *out)
{
    switch (op) {
    case OP_UNION:
        return bp_spanset_union(a, b, out);
    case OP_INTERSECT:
        return bp_spanset_intersect(a, b, out);
    case OP_SUBTRACT:
        return bp_spanset_subtract(a, b, out);
    case OP_DEPTH:
        return bp_spanset_depth_at_least(a, 1, out);
    case OP_COPY:
        return bp_spanset_copy(out, a);
    }
    return BP_EINVAL;
}

static void test_out_of_memory(void **state)
{
    static const char *names[] = {"union", "intersect", "subtract", "depth",
                                  "copy"};
    struct bp_spanset a, b, want, out;
    int op, fresh;
    long n;
    size_t i;

    (void)state;
    bp_spanset_init(&a);
    bp_spanset_init(&b);
    /* Enough spans that every operation outgrows the first capacity. */
    for (i = 0; i < 100; i++) {
        assert_int_equal(bp_spanset_add(&a, 10.0 * i, 10.0 * i + 6), 0);
        assert_int_equal(bp_spanset_add(&b, 10.0 * i + 4, 10.0 * i + 5), 0);
    }
    for (op = OP_UNION; op <= OP_COPY; op++) {
        for (fresh = 0; fresh < 2; fresh++) {
            bp_spanset_init(&want);
            assert_int_equal(run_op((enum op)op, &a, &b, &want), 0);
            for (n = 0;; n++) {
                int rc;

                bp_spanset_init(&out);
                /* A used `out` has storage and contents to replace. */
                if (!fresh)
                    assert_int_equal(bp_spanset_add(&out, -2, -1), 0);
                bp_alloc_fail_after(n, 1);
                rc = run_op((enum op)op, &a, &b, &out);
                bp_alloc_fail_after(-1, 0);
                if (rc == 0) {
                    assert_int_equal(out.n, want.n);
                    assert_memory_equal(out.v, want.v,
                                        want.n * sizeof(*want.v));
                    bp_spanset_release(&out);
                    break;
                }
                if (rc != BP_ENOMEM || out.n != 0) {
                    print_message("%s, failing allocation %ld: rc %d, "
                                  "%zu spans left\n",
                                  names[op], n, rc, out.n);
                    fail();
                }
                bp_spanset_release(&out);
            }
            if (n == 0) {
                print_message("%s never allocated\n", names[op]);
                fail();
            }
            bp_spanset_release(&want);
        }
    }
    bp_spanset_release(&a);
    bp_spanset_release(&b);
}

static void test_add_out_of_memory(void **state)
{
    struct bp_spanset s;
    size_t cap;

    (void)state;
    bp_spanset_init(&s);
    bp_alloc_fail_after(0, 1);
    assert_int_equal(bp_spanset_add(&s, 0, 1), BP_ENOMEM);
    bp_alloc_fail_after(-1, 0);
    assert_int_equal(s.n, 0);
    do
        assert_int_equal(bp_spanset_add(&s, 2.0 * s.n, 2.0 * s.n + 1), 0);
    while (s.n < s.cap);
    /* Full: the next add must grow, and failing leaves the set as it was. */
    cap = s.cap;
    bp_alloc_fail_after(0, 1);
    assert_int_equal(bp_spanset_add(&s, 1e6, 1e6 + 1), BP_ENOMEM);
    bp_alloc_fail_after(-1, 0);
    assert_int_equal(s.n, cap);
    assert_int_equal(s.cap, cap);
    assert_true(s.v[cap - 1].from_m == 2.0 * (double)(cap - 1));
    bp_spanset_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_release_clear),
        cmocka_unit_test(test_add_ignores_degenerate),
        cmocka_unit_test(test_normalise),
        cmocka_unit_test(test_normalise_drops_hand_written),
        cmocka_unit_test(test_is_normal),
        cmocka_unit_test(test_binops),
        cmocka_unit_test(test_clip),
        cmocka_unit_test(test_length),
        cmocka_unit_test(test_length_many_small),
        cmocka_unit_test(test_contains_covers),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_random_against_grid),
        cmocka_unit_test(test_large_merge),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_add_out_of_memory),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
