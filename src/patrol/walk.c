/* SPDX-License-Identifier: MIT */
/*
 * From GPS fixes to walked stretches of the border, the quality flags of a
 * track and the hashes that find a track again. Distances between
 * consecutive fixes (travelled length, speeds) use a spherical earth,
 * which is within 0.5 % of the ellipsoid and much faster; the measure
 * comes from the border's projection.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bienphong/date.h"
#include "bienphong/patrol.h"
#include "bienphong/registry.h"

#define EARTH_R_M 6371008.8
#define DEG (M_PI / 180.0)

void bp_walk_opts_default(struct bp_walk_opts *o)
{
    o->corridor_m = 500;
    o->join_m = 250;
    o->join_s = 600;
    o->max_speed_kmh = 15;
    o->speed_window_s = 120;
    o->jump_kmh = 200;
    o->jump_m = 2000;
    o->far_days = 1;
    o->future_s = 600;
    o->visit_radius_m = 30;
}

void bp_walk_init(struct bp_walk *w)
{
    memset(w, 0, sizeof(*w));
    bp_spanset_init(&w->spans);
    w->start_ms = w->end_ms = BP_TIME_NONE;
}

void bp_walk_release(struct bp_walk *w)
{
    if (!w)
        return;
    bp_spanset_release(&w->spans);
    bp_walk_init(w);
}

/*
 * Distance on the sphere; plenty for steps of a walk. A step under about
 * a kilometre (every step of a walk) is measured on the local plane at
 * its mean latitude, which is within a millimetre of the haversine there
 * and needs one cosine instead of six calls; longer ones by haversine.
 */
static double step_m(const struct bp_fix *a, const struct bp_fix *b)
{
    double dlat = (b->lat - a->lat) * DEG, dlon = (b->lon - a->lon) * DEG;
    double s1, s2, h;

    if (fabs(dlat) < 1.5e-4 && fabs(dlon) < 1.5e-4) {
        double x = dlon * cos((a->lat + b->lat) * (DEG / 2));
        return EARTH_R_M * sqrt(dlat * dlat + x * x);
    }
    s1 = sin(dlat / 2);
    s2 = sin(dlon / 2);
    h = s1 * s1 + cos(a->lat * DEG) * cos(b->lat * DEG) * s2 * s2;
    return 2 * EARTH_R_M * asin(sqrt(h < 1 ? h : 1));
}

static int at_zero(const struct bp_fix *f)
{
    return fabs(f->lon) < 1e-7 && fabs(f->lat) < 1e-7;
}

static int usable(const struct bp_fix *f)
{
    return isfinite(f->lon) && isfinite(f->lat) && fabs(f->lon) <= 180 &&
           fabs(f->lat) <= 90 && !at_zero(f);
}

int bp_walk_compute(const struct bp_border *b, const struct bp_fix *fix,
                    size_t n, const struct bp_walk_opts *o,
                    struct bp_walk *w, struct bp_error *err)
{
    struct bp_walk_opts def;
    struct bp_walk r;
    struct bp_hit hit;
    size_t i, hint = 0, prev = (size_t)-1, last_ok = (size_t)-1;
    double pm = 0;
    int64_t pt = BP_TIME_NONE, tmin = INT64_MAX, tmax = INT64_MIN;
    int rc = 0;

    if (!b || !w || (!fix && n))
        return bp_error_set(err, BP_EINVAL, "bp_walk_compute: NULL argument");
    if (!o) {
        bp_walk_opts_default(&def);
        o = &def;
    }
    bp_walk_init(&r);
    r.nfix = n;
    r.nearest_m = INFINITY;
    for (i = 0; i < n; i++) {
        const struct bp_fix *f = &fix[i];
        double off;

        if (f->time_ms != BP_TIME_NONE) {
            if (f->time_ms < tmin)
                tmin = f->time_ms;
            if (f->time_ms > tmax)
                tmax = f->time_ms;
        }
        if (!usable(f))
            continue;
        if (last_ok != (size_t)-1)
            r.travelled_m += step_m(&fix[last_ok], f);
        last_ok = i;
        if (bp_border_project_near(b, f->lon, f->lat, hint, &hit))
            continue;
        hint = hit.segment;
        off = fabs(hit.offset_m);
        if (off < r.nearest_m) {
            r.nearest_m = off;
            r.nearest = i;
        }
        if (off > o->corridor_m)
            continue;
        r.nkept++;
        if (off > r.farthest_m)
            r.farthest_m = off;
        if (prev != (size_t)-1 && fabs(hit.measure_m - pm) <= o->join_m &&
            (pt == BP_TIME_NONE || f->time_ms == BP_TIME_NONE ||
             fabs((double)(f->time_ms - pt)) <= o->join_s * 1000.0)) {
            double lo = fmin(pm, hit.measure_m), hi = fmax(pm, hit.measure_m);
            struct bp_span *last = r.spans.n ? &r.spans.v[r.spans.n - 1] : NULL;
            /* A walk goes on where it was: grow the last span rather than
             * add one per step and sort them all afterwards. */
            if (last && hi > lo && lo <= last->to_m && hi >= last->from_m) {
                last->from_m = fmin(last->from_m, lo);
                last->to_m = fmax(last->to_m, hi);
            } else {
                rc = bp_spanset_add(&r.spans, lo, hi);
            }
            if (rc) {
                rc = bp_error_set(err, BP_ENOMEM, "out of memory");
                bp_walk_release(&r);
                return rc;
            }
        }
        prev = i;
        pm = hit.measure_m;
        pt = f->time_ms;
    }
    bp_spanset_normalise(&r.spans);
    r.walked_m = bp_spanset_length(&r.spans);
    if (tmin <= tmax) {
        r.start_ms = tmin;
        r.end_ms = tmax;
        r.duration_s = (double)(tmax - tmin) / 1000.0;
    }
    if (!isfinite(r.nearest_m))
        r.nearest_m = NAN;
    bp_spanset_release(&w->spans);
    *w = r;
    return rc;
}

static void flag_raise(struct bp_quality *q, unsigned flag, size_t at, double v)
{
    int bit = bp_tq_bit(flag);

    if (q->flags & flag)
        return;
    q->flags |= flag;
    q->at[bit] = at;
    q->value[bit] = v;
}

void bp_track_quality(const struct bp_fix *fix, size_t n, int32_t day,
                      int64_t now_ms, const struct bp_walk_opts *o,
                      struct bp_quality *q)
{
    struct bp_walk_opts def;
    size_t i, j, prev = (size_t)-1, nmissing = 0;
    int64_t last_t = BP_TIME_NONE;
    double cum_i = 0, cum_j = 0;

    memset(q, 0, sizeof(*q));
    if (!o) {
        bp_walk_opts_default(&def);
        o = &def;
    }
    for (i = 0; i < n; i++) {
        const struct bp_fix *f = &fix[i];

        if (at_zero(f)) {
            flag_raise(q, BP_TQ_ZERO, i, 0);
            continue;
        }
        if (f->time_ms == BP_TIME_NONE) {
            if (!nmissing)
                flag_raise(q, BP_TQ_NO_TIME, i, 0);
            nmissing++;
        } else {
            if (last_t != BP_TIME_NONE && f->time_ms < last_t)
                flag_raise(q, BP_TQ_UNORDERED, i,
                      (double)(last_t - f->time_ms) / 1000.0);
            last_t = f->time_ms;
            if ((double)(f->time_ms - now_ms) > o->future_s * 1000.0)
                flag_raise(q, BP_TQ_FUTURE, i,
                      (double)(f->time_ms - now_ms) / 86400000.0);
            if (day != BP_DATE_NONE) {
                int32_t d = bp_date_of_instant(
                    f->time_ms >= 0 ? f->time_ms / 1000
                                    : -((-f->time_ms + 999) / 1000));
                if (d - day > o->far_days || day - d > o->far_days)
                    flag_raise(q, BP_TQ_FAR_DATE, i, (double)(d - day));
            }
        }
        if (prev != (size_t)-1) {
            const struct bp_fix *p = &fix[prev];
            double d = step_m(p, f);
            if (p->time_ms != BP_TIME_NONE && f->time_ms != BP_TIME_NONE) {
                double dt = (double)(f->time_ms - p->time_ms) / 1000.0;
                if (d > 100 && (dt <= 0 || d / dt * 3.6 > o->jump_kmh))
                    flag_raise(q, BP_TQ_JUMP, i, d);
            } else if (d > o->jump_m) {
                flag_raise(q, BP_TQ_JUMP, i, d);
            }
        }
        prev = i;
    }
    if (nmissing)
        q->value[bp_tq_bit(BP_TQ_NO_TIME)] = (double)nmissing;
    /*
     * Sustained speed: over every window of at least speed_window_s that
     * starts at a fix, distance along the track over time. Two pointers
     * over the fixes with times, in order; a window broken by a missing or
     * backward time starts again.
     */
    j = 0;
    for (i = 0; i < n; i++) {
        const struct bp_fix *a = &fix[i];
        if (a->time_ms == BP_TIME_NONE || at_zero(a))
            continue;
        if (j < i) {
            j = i;
            cum_j = cum_i;
        }
        while (j + 1 < n && fix[j + 1].time_ms != BP_TIME_NONE &&
               !at_zero(&fix[j + 1]) && fix[j + 1].time_ms >= fix[j].time_ms &&
               (double)(fix[j].time_ms - a->time_ms) <
                   o->speed_window_s * 1000.0) {
            cum_j += step_m(&fix[j], &fix[j + 1]);
            j++;
        }
        {
            double dt = (double)(fix[j].time_ms - a->time_ms) / 1000.0;
            if (j > i && dt >= o->speed_window_s) {
                double kmh = (cum_j - cum_i) / dt * 3.6;
                if (kmh > o->max_speed_kmh) {
                    flag_raise(q, BP_TQ_SPEED, i, kmh);
                    break;
                }
            }
        }
        /* Move the window's start to the next fix. */
        if (i + 1 < n && j > i && fix[i + 1].time_ms != BP_TIME_NONE &&
            !at_zero(&fix[i + 1]) && fix[i + 1].time_ms >= a->time_ms) {
            cum_i += step_m(a, &fix[i + 1]);
        } else {
            j = i + 1;
            cum_i = cum_j = 0;
        }
    }
}

int bp_tq_bit(unsigned flag)
{
    int b = 0;

    while (b < BP_TQ_NFLAGS && !(flag & (1u << b)))
        b++;
    return b;
}

static const char *const tq_names[BP_TQ_NFLAGS] = {
    "no_time", "unordered", "speed",  "jump", "future",
    "far_date", "duplicate", "replay", "zero", "far_border"};
static const char *const tq_vi[BP_TQ_NFLAGS] = {
    "thiếu thời gian",      "thời gian không theo thứ tự",
    "tốc độ quá cao",       "điểm nhảy xa",
    "thời gian trong tương lai", "xa ngày tuần tra",
    "trùng vết khác",       "vết khác phát lại",
    "điểm tại 0,0",         "xa đường biên giới"};

const char *bp_tq_name(int bit)
{
    return bit >= 0 && bit < BP_TQ_NFLAGS ? tq_names[bit] : "?";
}

const char *bp_tq_vi(int bit)
{
    return bit >= 0 && bit < BP_TQ_NFLAGS ? tq_vi[bit] : "?";
}

char *bp_tq_describe(const struct bp_quality *q, int bit, enum bp_lang lang,
                     char *out, size_t size)
{
    const char *pt = lang == BP_LANG_VI ? "điểm" : "point";
    unsigned long at = (unsigned long)q->at[bit] + 1;
    double v = q->value[bit];
    char num[32];
    int vi = lang == BP_LANG_VI;

    switch (1u << bit) {
    case BP_TQ_NO_TIME:
        snprintf(out, size, vi ? "%s %lu: %.0f điểm không có thời gian"
                               : "%s %lu: %.0f fixes have no time",
                 pt, at, v);
        break;
    case BP_TQ_UNORDERED:
        snprintf(out, size, vi ? "%s %lu: sớm hơn điểm trước %.0f giây"
                               : "%s %lu: %.0f s before the fix before it",
                 pt, at, v);
        break;
    case BP_TQ_SPEED:
        snprintf(out, size, vi ? "%s %lu: %s km/h liên tục, quá sức đi bộ"
                               : "%s %lu: %s km/h sustained, no walker",
                 pt, at, bp_fmt_number(v, 1, lang, num, sizeof(num)));
        break;
    case BP_TQ_JUMP:
        snprintf(out, size, vi ? "%s %lu: nhảy %s m so với điểm trước"
                               : "%s %lu: jumps %s m from the fix before",
                 pt, at, bp_fmt_number(v, 0, lang, num, sizeof(num)));
        break;
    case BP_TQ_FUTURE:
        snprintf(out, size, vi ? "%s %lu: thời gian trong tương lai"
                               : "%s %lu: time in the future",
                 pt, at);
        break;
    case BP_TQ_FAR_DATE:
        snprintf(out, size, vi ? "%s %lu: cách ngày tuần tra %.0f ngày"
                               : "%s %lu: %.0f days from the patrol's date",
                 pt, at, v);
        break;
    case BP_TQ_ZERO:
        snprintf(out, size, vi ? "%s %lu: toạ độ 0,0" : "%s %lu: at 0,0", pt,
                 at);
        break;
    case BP_TQ_FAR_BORDER:
        snprintf(out, size, vi ? "không điểm nào gần biên giới; gần nhất là "
                                 "%s %lu, cách %s m"
                               : "no fix near the border; the nearest, %s "
                                 "%lu, is %s m away",
                 pt, at, bp_fmt_number(v, 0, lang, num, sizeof(num)));
        break;
    default:
        snprintf(out, size, "%s", vi ? bp_tq_vi(bit) : bp_tq_name(bit));
        break;
    }
    return out;
}

/*
 * A word-at-a-time 64-bit hash (multiply, rotate, as MurmurHash3 mixes;
 * finished with its avalanche). Eight bytes a step: hashing a 1 GB import
 * byte by byte took longer than parsing it.
 */
#define HK1 0x87c37b91114253d5ull
#define HK2 0x4cf5ad432745937full

static uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static uint64_t mix(uint64_t h, uint64_t w)
{
    h ^= rotl64(w * HK1, 31) * HK2;
    return rotl64(h, 27) * 5 + 0x52dce729;
}

static uint64_t avalanche(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

static uint64_t hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 14695981039346656037ull, w;
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        h = mix(h, w);
    }
    w = 0;
    if (i < n)
        memcpy(&w, s + i, n - i);
    h = mix(h, w);
    return avalanche(h ^ (uint64_t)n);
}

void bp_track_hashes(const void *bytes, size_t len, const struct bp_fix *fix,
                     size_t n, struct bp_track_hash *h)
{
    uint64_t shape = 14695981039346656037ull, timed = shape;
    size_t i;

    h->content = hash_bytes(bytes, bytes ? len : 0);
    for (i = 0; i < n; i++) {
        uint64_t lon = (uint64_t)llround(fix[i].lon * 1e6);
        uint64_t lat = (uint64_t)llround(fix[i].lat * 1e6);
        uint64_t t = (uint64_t)(fix[i].time_ms == BP_TIME_NONE
                                    ? -1
                                    : fix[i].time_ms / 1000);
        shape = mix(mix(shape, lon), lat);
        timed = mix(mix(mix(timed, lon), lat), t);
    }
    h->shape = avalanche(shape ^ n);
    h->timed = avalanche(timed ^ n);
}
