/* SPDX-License-Identifier: MIT */
/*
 * Free geodesy helpers: joining the parts of a MultiLineString into one
 * line (in any order and direction, with a clear error for gaps and
 * branches), and thin wrappers over PROJ's geodesic.h on WGS84.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/geo.h"
#include "geo/geo_int.h"

static struct geod_geodesic wgs84;
static pthread_once_t wgs84_once = PTHREAD_ONCE_INIT;

static void wgs84_init(void)
{
    geod_init(&wgs84, GEO_A, GEO_F);
}

const struct geod_geodesic *bp__geo_wgs84(void)
{
    pthread_once(&wgs84_once, wgs84_init);
    return &wgs84;
}

double bp_geo_distance_m(struct bp_lonlat a, struct bp_lonlat b)
{
    double s12 = NAN;

    geod_inverse(bp__geo_wgs84(), a.lat, a.lon, b.lat, b.lon, &s12, NULL, NULL);
    return s12;
}

struct bp_lonlat bp_geo_direct(struct bp_lonlat from, double azi_deg,
                               double dist_m)
{
    struct bp_lonlat to;

    geod_direct(bp__geo_wgs84(), from.lat, from.lon, azi_deg, dist_m, &to.lat,
                &to.lon, NULL);
    return to;
}

/*
 * End e of a join is end (e & 1) of part e / 2: 0 its first vertex, 1 its
 * last. Ends meet when they are within the tolerance; each end may meet at
 * most one end of another part.
 */
struct join {
    const struct bp_lonlat *const *parts;
    const size_t *lens;
    size_t nparts, nends;
    double tol_m;
    size_t *partner; /* per end: the end it meets, or SIZE_MAX */
    size_t *comp;    /* per part: the chain it belongs to */
};

struct end_key {
    double x[3];
    size_t e;
};

static struct bp_lonlat end_pos(const struct join *j, size_t e)
{
    const struct bp_lonlat *p = j->parts[e / 2];

    return (e & 1) ? p[j->lens[e / 2] - 1] : p[0];
}

static const char *end_name(size_t e)
{
    return (e & 1) ? "end" : "start";
}

static int cmp_end_key(const void *pa, const void *pb)
{
    const struct end_key *a = pa, *b = pb;

    if (a->x[0] != b->x[0])
        return a->x[0] < b->x[0] ? -1 : 1;
    return a->e < b->e ? -1 : a->e > b->e;
}

static double chord2(const double a[3], const double b[3])
{
    double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];

    return dx * dx + dy * dy + dz * dz;
}

static int check_parts(const struct join *j, struct bp_error *err)
{
    size_t i, k;

    for (i = 0; i < j->nparts; i++) {
        if (!j->parts[i] && j->lens[i])
            return bp_error_set(err, BP_EINVAL, "part %zu is NULL", i);
        if (j->lens[i] < 2)
            return bp_error_set(err, BP_EGEOM,
                                "part %zu has %zu vertices; a line needs at "
                                "least 2",
                                i, j->lens[i]);
        for (k = 0; k < j->lens[i]; k++) {
            double lon = j->parts[i][k].lon, lat = j->parts[i][k].lat;

            if (!(lon >= -180.0 && lon <= 180.0 && lat >= -90.0 && lat <= 90.0))
                return bp_error_set(err, BP_EGEOM,
                                    "part %zu, vertex %zu (lon %g, lat %g) "
                                    "is not a WGS84 position",
                                    i, k, lon, lat);
        }
    }
    return 0;
}

/* Name the parts whose ends meet end e (three or more: a branch). */
static int branch_error(const struct join *j, size_t e, struct bp_error *err)
{
    char list[512];
    size_t len, f;
    struct bp_lonlat at = end_pos(j, e);

    len = (size_t)snprintf(list, sizeof(list), "%zu", e / 2);
    for (f = 0; f < j->nends && len < sizeof(list) - 32; f++) {
        if (f / 2 == e / 2 || bp_geo_distance_m(at, end_pos(j, f)) > j->tol_m)
            continue;
        len += (size_t)snprintf(list + len, sizeof(list) - len, ", %zu", f / 2);
    }
    return bp_error_set(err, BP_EGEOM,
                        "parts %s meet at one point (lon %.7f, lat %.7f): "
                        "a branch, not a single line",
                        list, at.lon, at.lat);
}

/* Find which ends meet; BP_EGEOM for a branch. */
static int match_ends(struct join *j, struct bp_error *err)
{
    struct end_key *keys = NULL;
    size_t *count = NULL, i, k;
    double lim;
    int rc = 0;

    keys = bp_calloc(j->nends, sizeof(*keys));
    count = bp_calloc(j->nends, sizeof(*count));
    if (!keys || !count) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory joining parts");
        goto out;
    }
    for (i = 0; i < j->nends; i++) {
        struct bp_lonlat p = end_pos(j, i);
        double up[3];

        geo_ecef(p.lon, p.lat, keys[i].x, up);
        keys[i].e = i;
        j->partner[i] = SIZE_MAX;
    }
    qsort(keys, j->nends, sizeof(*keys), cmp_end_key);
    /* A chord is never longer than the geodesic: chords above the
     * tolerance (with room for rounding) cannot meet. */
    lim = j->tol_m * (1.0 + 1e-9) + 1e-6;
    for (i = 0; i < j->nends; i++) {
        for (k = i + 1; k < j->nends && keys[k].x[0] - keys[i].x[0] <= lim;
             k++) {
            size_t a = keys[i].e, b = keys[k].e;

            if (a / 2 == b / 2 || chord2(keys[i].x, keys[k].x) > lim * lim)
                continue;
            if (bp_geo_distance_m(end_pos(j, a), end_pos(j, b)) > j->tol_m)
                continue;
            j->partner[a] = b;
            j->partner[b] = a;
            if (++count[a] > 1 || ++count[b] > 1) {
                rc = branch_error(j, count[a] > 1 ? a : b, err);
                goto out;
            }
        }
    }
out:
    bp_free(keys);
    bp_free(count);
    return rc;
}

/* Walk the chain that starts at loose end e; marks its parts with c. */
static size_t walk(const struct join *j, size_t e, size_t c, size_t *last)
{
    size_t parts = 0;

    for (;;) {
        j->comp[e / 2] = c;
        parts++;
        e ^= 1; /* through the part to its other end */
        if (j->partner[e] == SIZE_MAX)
            break;
        e = j->partner[e];
    }
    *last = e;
    return parts;
}

static int gap_error(const struct join *j, struct bp_error *err)
{
    size_t a, b, ba = SIZE_MAX, bb = SIZE_MAX;
    double best = INFINITY, xa[3], xb[3], up[3];
    struct bp_lonlat pa, pb;

    for (a = 0; a < j->nends; a++) {
        if (j->partner[a] != SIZE_MAX)
            continue;
        pa = end_pos(j, a);
        geo_ecef(pa.lon, pa.lat, xa, up);
        for (b = a + 1; b < j->nends; b++) {
            double d2;

            if (j->partner[b] != SIZE_MAX || j->comp[a / 2] == j->comp[b / 2])
                continue;
            pb = end_pos(j, b);
            geo_ecef(pb.lon, pb.lat, xb, up);
            d2 = chord2(xa, xb);
            if (d2 < best) {
                best = d2;
                ba = a;
                bb = b;
            }
        }
    }
    pa = end_pos(j, ba);
    pb = end_pos(j, bb);
    return bp_error_set(err, BP_EGEOM,
                        "the parts do not join into one line: the nearest "
                        "loose ends, the %s of part %zu (lon %.7f, lat "
                        "%.7f) and the %s of part %zu (lon %.7f, lat %.7f), "
                        "are %.3f m apart (tolerance %g m)",
                        end_name(ba), ba / 2, pa.lon, pa.lat, end_name(bb),
                        bb / 2, pb.lon, pb.lat, bp_geo_distance_m(pa, pb),
                        j->tol_m);
}

/* Copy the chain from loose end e into out; returns the vertex count. */
static size_t emit(const struct join *j, size_t e, struct bp_lonlat *out)
{
    size_t n = 0, k;

    for (;;) {
        const struct bp_lonlat *p = j->parts[e / 2];
        size_t len = j->lens[e / 2];

        for (k = 0; k < len; k++) {
            struct bp_lonlat v = (e & 1) ? p[len - 1 - k] : p[k];

            /* Ends that meet exactly are one vertex. */
            if (k == 0 && n > 0 && out[n - 1].lon == v.lon &&
                out[n - 1].lat == v.lat)
                continue;
            out[n++] = v;
        }
        e ^= 1;
        if (j->partner[e] == SIZE_MAX)
            break;
        e = j->partner[e];
    }
    return n;
}

int bp_geo_join_parts(const struct bp_lonlat *const *parts, const size_t *lens,
                      size_t nparts, double tol_m, struct bp_lonlat **out,
                      size_t *nout, struct bp_error *err)
{
    struct join j = {parts, lens, nparts, 2 * nparts, tol_m, NULL, NULL};
    struct bp_lonlat *v = NULL;
    size_t i, total = 0, nchains = 0, first = SIZE_MAX, last, seen = 0;
    int rc = 0;

    if (!out || !nout || (nparts && (!parts || !lens)) || !(tol_m >= 0.0) ||
        !isfinite(tol_m)) {
        rc = bp_error_set(err, BP_EINVAL,
                          "bp_geo_join_parts: NULL argument or bad tolerance");
        goto out;
    }
    if (!nparts) {
        rc = bp_error_set(err, BP_EGEOM, "no parts to join");
        goto out;
    }
    rc = check_parts(&j, err);
    if (rc)
        goto out;
    j.partner = bp_calloc(j.nends, sizeof(*j.partner));
    j.comp = bp_calloc(nparts, sizeof(*j.comp));
    if (!j.partner || !j.comp) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory joining parts");
        goto out;
    }
    if (nparts > 1) {
        rc = match_ends(&j, err);
        if (rc)
            goto out;
    } else {
        j.partner[0] = j.partner[1] = SIZE_MAX;
    }
    for (i = 0; i < nparts; i++)
        j.comp[i] = SIZE_MAX;
    for (i = 0; i < j.nends; i++) {
        total += (i & 1) ? 0 : lens[i / 2];
        if (j.partner[i] != SIZE_MAX || j.comp[i / 2] != SIZE_MAX)
            continue;
        if (first == SIZE_MAX)
            first = i;
        seen += walk(&j, i, nchains++, &last);
    }
    if (seen < nparts) {
        for (i = 0; i < nparts && j.comp[i] != SIZE_MAX; i++)
            ;
        rc = bp_error_set(err, BP_EGEOM,
                          "part %zu is in a closed ring of parts; a border "
                          "line needs two loose ends",
                          i);
        goto out;
    }
    if (nchains > 1) {
        rc = gap_error(&j, err);
        goto out;
    }
    v = bp_calloc(total, sizeof(*v));
    if (!v) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory joining parts");
        goto out;
    }
    *nout = emit(&j, first, v);
    *out = v;
    v = NULL;
out:
    bp_free(v);
    bp_free(j.partner);
    bp_free(j.comp);
    return rc;
}
