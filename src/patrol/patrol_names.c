/* SPDX-License-Identifier: MIT */
/*
 * Marker visits by a track's fixes, and the names of patrol kinds, marker
 * conditions and incident kinds and statuses in code, Vietnamese and
 * parsed back from either, diacritics optional.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/patrol.h"
#include "bienphong/text.h"

struct mref {
    double lat;
    size_t i;
};

static int by_lat(const void *a, const void *b)
{
    const struct mref *x = a, *y = b;

    return x->lat < y->lat ? -1 : x->lat > y->lat;
}

int bp_marker_visits(const struct bp_lonlat *markers, size_t nm,
                     const struct bp_fix *fix, size_t n, double radius_m,
                     struct bp_visit **out, size_t *nout)
{
    struct mref *m = NULL;
    struct bp_visit *best = NULL, *v = NULL;
    size_t i, k, cnt = 0;
    /* Degrees of latitude that cover the radius, with a margin. */
    double dlat = radius_m / 110000.0 * 1.05;
    int rc = 0;

    if ((!markers && nm) || (!fix && n) || !out || !nout ||
        !(radius_m >= 0))
        return BP_EINVAL;
    if (!nm || !n) {
        *out = NULL;
        *nout = 0;
        return 0;
    }
    m = bp_calloc(nm, sizeof(*m));
    best = bp_calloc(nm, sizeof(*best));
    if (!m || !best) {
        rc = BP_ENOMEM;
        goto out;
    }
    for (i = 0; i < nm; i++) {
        m[i].lat = markers[i].lat;
        m[i].i = i;
        best[i].distance_m = INFINITY;
    }
    qsort(m, nm, sizeof(*m), by_lat);
    for (k = 0; k < n; k++) {
        const struct bp_fix *f = &fix[k];
        double dlon = dlat / fmax(cos(f->lat * M_PI / 180.0), 0.01);
        size_t lo = 0, hi = nm;

        if (!isfinite(f->lat) || !isfinite(f->lon))
            continue;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (m[mid].lat < f->lat - dlat)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (i = lo; i < nm && m[i].lat <= f->lat + dlat; i++) {
            const struct bp_lonlat *p = &markers[m[i].i];
            struct bp_lonlat a = {f->lon, f->lat};
            double d;
            if (fabs(p->lon - f->lon) > dlon)
                continue;
            d = bp_geo_distance_m(a, *p);
            if (d <= radius_m && d < best[m[i].i].distance_m) {
                best[m[i].i].distance_m = d;
                best[m[i].i].fix = k;
            }
        }
    }
    for (i = 0; i < nm; i++)
        cnt += isfinite(best[i].distance_m);
    if (cnt) {
        v = bp_calloc(cnt, sizeof(*v));
        if (!v) {
            rc = BP_ENOMEM;
            goto out;
        }
        for (i = 0, k = 0; i < nm; i++)
            if (isfinite(best[i].distance_m)) {
                v[k] = best[i];
                v[k++].marker = i;
            }
    }
    *out = v;
    *nout = cnt;
out:
    bp_free(m);
    bp_free(best);
    return rc;
}

/* Find `s` among code names or (folded) Vietnamese names. */
static int parse(const char *s, const char *const *code,
                 const char *const *vi, int n)
{
    char *f = NULL, *g = NULL;
    int i, hit = -1;

    if (!s)
        return -1;
    f = bp_text_fold(s);
    for (i = 0; f && i < n && hit < 0; i++) {
        if (!strcmp(s, code[i]) || !strcmp(f, code[i])) {
            hit = i;
            break;
        }
        g = bp_text_fold(vi[i]);
        if (g && !strcmp(f, g))
            hit = i;
        bp_free(g);
        g = NULL;
    }
    bp_free(f);
    return hit;
}

#define NAMES(type, prefix, count, codes, vis)                               \
    const char *prefix##_name(enum type k)                                   \
    {                                                                        \
        return (unsigned)k < (count) ? codes[k] : "?";                       \
    }                                                                        \
    const char *prefix##_vi(enum type k)                                     \
    {                                                                        \
        return (unsigned)k < (count) ? vis[k] : "?";                         \
    }                                                                        \
    int prefix##_parse(const char *s, enum type *out)                        \
    {                                                                        \
        int i = parse(s, codes, vis, (count));                               \
        if (i < 0)                                                           \
            return BP_EINVAL;                                                \
        *out = (enum type)i;                                                 \
        return 0;                                                            \
    }

static const char *const kind_codes[] = {"joint", "station", "bilateral"};
static const char *const kind_vi[] = {"tuần tra chung", "đồn tuần tra",
                                      "tuần tra song phương"};
static const char *const cond_codes[] = {"intact",   "damaged", "tilted",
                                         "obscured", "missing", "displaced",
                                         "visit"};
static const char *const cond_vi[] = {"nguyên vẹn",   "hư hỏng", "nghiêng",
                                      "bị che khuất", "mất",     "di lệch",
                                      "đi qua"};
static const char *const inc_codes[] = {"crossing", "smuggling",
                                        "encroachment", "marker_damage",
                                        "fire", "other"};
static const char *const inc_vi[] = {"vượt biên trái phép", "buôn lậu",
                                     "xâm canh xâm cư", "hư hại mốc",
                                     "cháy rừng", "khác"};
static const char *const st_codes[] = {"new", "in_progress", "resolved"};
static const char *const st_vi[] = {"mới", "đang xử lý", "đã xử lý"};

NAMES(bp_patrol_kind, bp_patrol_kind, 3u, kind_codes, kind_vi)
NAMES(bp_condition, bp_condition, 7u, cond_codes, cond_vi)
NAMES(bp_incident_kind, bp_incident_kind, 6u, inc_codes, inc_vi)
NAMES(bp_incident_status, bp_incident_status, 3u, st_codes, st_vi)
