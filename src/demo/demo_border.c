/* SPDX-License-Identifier: MIT */
/*
 * The demo border line: the general course of the Lạng Sơn–China border
 * (a dozen public waypoints) made into a mountain line by midpoint
 * displacement with a fixed seed. Synthetic: not the real line.
 */
#include <math.h>

#include "bienphong/alloc.h"
#include "bienphong/demo.h"

/* Coarse course of the border, west to east (public administrative map,
 * sampled every ~15 km). */
static const struct bp_lonlat course[] = {
    {106.5610, 22.4225}, {106.6683, 22.3109}, {106.6872, 22.1643},
    {106.6854, 21.9832}, {106.8043, 21.9869}, {106.8863, 21.9798},
    {106.9719, 21.9232}, {107.0532, 21.9309}, {107.0233, 21.8230},
    {107.1215, 21.7820}, {107.1905, 21.7417}, {107.2516, 21.7183},
    {107.3008, 21.7426}, {107.3514, 21.6734}, {107.3600, 21.6029},
};

#define NCOURSE (sizeof(course) / sizeof(course[0]))
#define DEPTH 8            /* 2^8 pieces between waypoints */
#define ROUGHNESS 0.30     /* first displacement, share of the piece */
#define DECAY 0.95         /* each level's displacement shrinks by this */

unsigned long long bp_demo_rng_next(struct bp_demo_rng *r)
{
    unsigned long long z = (r->state += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double bp_demo_rng_unit(struct bp_demo_rng *r)
{
    return (double)(bp_demo_rng_next(r) >> 11) * 0x1.0p-53;
}

int bp_demo_border(struct bp_lonlat **pts, size_t *n, struct bp_error *err)
{
    const size_t per = (size_t)1 << DEPTH;
    const size_t total = (NCOURSE - 1) * per + 1;
    struct bp_demo_rng rng = {20190303ULL};
    struct bp_lonlat *v;
    size_t w, step, i;
    /* Displace in a local metric frame so wiggle is isotropic. */
    const double kx = cos(22.0 * M_PI / 180.0);

    v = bp_calloc(total, sizeof(*v));
    if (!v)
        return bp_error_set(err, BP_ENOMEM, "out of memory");
    for (w = 0; w < NCOURSE; w++)
        v[w * per] = course[w];
    for (w = 0; w + 1 < NCOURSE; w++) {
        struct bp_lonlat *seg = v + w * per;
        double amp = ROUGHNESS;

        for (step = per; step > 1; step /= 2) {
            for (i = 0; i < per; i += step) {
                struct bp_lonlat a = seg[i], b = seg[i + step];
                double dx = (b.lon - a.lon) * kx, dy = b.lat - a.lat;
                double d = (bp_demo_rng_unit(&rng) * 2.0 - 1.0) * amp;
                struct bp_lonlat *mid = &seg[i + step / 2];

                /* Perpendicular displacement, proportional to the piece. */
                mid->lon = (a.lon + b.lon) / 2 + (-dy * d) / kx;
                mid->lat = (a.lat + b.lat) / 2 + dx * d;
            }
            amp *= DECAY;
        }
    }
    *pts = v;
    *n = total;
    return 0;
}
