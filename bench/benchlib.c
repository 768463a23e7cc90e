/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the benchmark programs: clock, random numbers, the
 * synthetic border line and fixes near it, formatting and tables. See
 * benchlib.h for the contracts.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <geodesic.h>

#include "benchlib.h"
#include "bienphong/alloc.h"
#include "bienphong/error.h"
#include "bienphong/fmt.h"

volatile double bench_sink;

double bench_now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

uint64_t bench_rng_next(struct bench_rng *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double bench_rng_unit(struct bench_rng *r)
{
    return (double)(bench_rng_next(r) >> 11) * 0x1.0p-53;
}

double bench_rng_range(struct bench_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * bench_rng_unit(r);
}

double bench_rng_normal(struct bench_rng *r)
{
    /* 1 - u is in (0, 1], so the logarithm is finite. */
    double u = 1.0 - bench_rng_unit(r), v = bench_rng_unit(r);

    return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

void bench_metres_per_degree(double lat_deg, double *mx, double *my)
{
    const double a = 6378137.0, f = 1 / 298.257223563;
    const double e2 = f * (2 - f);
    double phi = lat_deg * M_PI / 180.0, s = sin(phi);
    double w = 1.0 - e2 * s * s;

    /* Radii of curvature in the prime vertical and the meridian. */
    *mx = M_PI / 180.0 * a / sqrt(w) * cos(phi);
    *my = M_PI / 180.0 * a * (1.0 - e2) / (w * sqrt(w));
}

/*
 * The general course, west to east: a dozen waypoints about 8–20 km apart
 * along a northern Vietnamese border (rounded public map positions).
 */
static const struct bp_lonlat waypoints[] = {
    {106.5610, 22.4225}, {106.6700, 22.3100}, {106.6900, 22.1650},
    {106.6850, 21.9850}, {106.8050, 21.9870}, {106.8850, 21.9800},
    {106.9700, 21.9250}, {107.0500, 21.9300}, {107.0250, 21.8250},
    {107.1200, 21.7800}, {107.2500, 21.7200}, {107.3500, 21.6750},
    {107.3600, 21.6030},
};

#define NWAYPOINTS    (sizeof(waypoints) / sizeof(waypoints[0]))
#define DEPTH         12   /* 4096 pieces between waypoints */
#define COARSE_LEVELS 7    /* full wiggle down to pieces of ~100 m */
#define FINE_DECAY    0.5  /* finer levels wiggle less and less */
#define VERTEX_NOISE  0.25 /* metres, digitising noise of each vertex */
#define FRAME_LON     106.9
#define FRAME_LAT     22.0

/* Planar working storage, metres east and north of the frame's origin. */
struct plane {
    double *x, *y;
};

/*
 * Midpoint displacement with relative amplitude `amp`, resampled to `n`
 * vertices and perturbed. The random numbers depend only on `seed`, so the
 * shape scales smoothly with `amp`. Returns the planar length.
 */
static double shape(struct plane *frac, struct plane *out, size_t n, double amp,
                    uint64_t seed)
{
    const size_t per = (size_t)1 << DEPTH;
    const size_t nfrac = (NWAYPOINTS - 1) * per + 1;
    struct bench_rng rng = {seed}, noise = {seed ^ 0x5EED5EEDULL};
    double mx, my, total = 0, step_m, walked = 0, len = 0;
    size_t w, step, i, k;

    bench_metres_per_degree(FRAME_LAT, &mx, &my);
    for (w = 0; w < NWAYPOINTS; w++) {
        frac->x[w * per] = (waypoints[w].lon - FRAME_LON) * mx;
        frac->y[w * per] = (waypoints[w].lat - FRAME_LAT) * my;
    }
    for (w = 0; w + 1 < NWAYPOINTS; w++) {
        double *x = frac->x + w * per, *y = frac->y + w * per;
        int level = 0;

        for (step = per; step > 1; step /= 2, level++) {
            double rel = amp;

            if (level >= COARSE_LEVELS)
                rel *= pow(FINE_DECAY, level - COARSE_LEVELS + 1);
            for (i = 0; i < per; i += step) {
                double dx = x[i + step] - x[i], dy = y[i + step] - y[i];
                double u = (2.0 * bench_rng_unit(&rng) - 1.0) * rel;

                /* Sideways, in proportion to the piece: self-similar. */
                x[i + step / 2] = (x[i] + x[i + step]) / 2 - dy * u;
                y[i + step / 2] = (y[i] + y[i + step]) / 2 + dx * u;
            }
        }
    }
    for (i = 1; i < nfrac; i++)
        total +=
            hypot(frac->x[i] - frac->x[i - 1], frac->y[i] - frac->y[i - 1]);

    /* Resample at even spacing along the fractal polyline. */
    step_m = total / (double)(n - 1);
    out->x[0] = frac->x[0];
    out->y[0] = frac->y[0];
    for (i = 1, k = 1; k + 1 < n; k++) {
        double want = step_m * (double)k, piece, t;

        for (;;) {
            piece =
                hypot(frac->x[i] - frac->x[i - 1], frac->y[i] - frac->y[i - 1]);
            if (walked + piece >= want || i + 1 >= nfrac)
                break;
            walked += piece;
            i++;
        }
        t = piece > 0 ? (want - walked) / piece : 0;
        out->x[k] = frac->x[i - 1] + t * (frac->x[i] - frac->x[i - 1]);
        out->y[k] = frac->y[i - 1] + t * (frac->y[i] - frac->y[i - 1]);
        out->x[k] += VERTEX_NOISE * bench_rng_normal(&noise);
        out->y[k] += VERTEX_NOISE * bench_rng_normal(&noise);
    }
    out->x[n - 1] = frac->x[nfrac - 1];
    out->y[n - 1] = frac->y[nfrac - 1];
    for (k = 1; k < n; k++)
        len += hypot(out->x[k] - out->x[k - 1], out->y[k] - out->y[k - 1]);
    return len;
}

void bench_line_release(struct bench_line *line)
{
    bp_free(line->pts);
    bp_free(line->cum_m);
    bp_free(line->azi1);
    bp_free(line->azi2);
    memset(line, 0, sizeof(*line));
}

int bench_line_make(struct bench_line *line, size_t n, double target_m,
                    uint64_t seed)
{
    const size_t nfrac = (NWAYPOINTS - 1) * ((size_t)1 << DEPTH) + 1;
    struct plane frac = {NULL, NULL}, out = {NULL, NULL};
    struct bench_line l = {0};
    struct geod_geodesic g;
    double lo = 0.0, hi = 0.5, mx, my;
    size_t i;
    int it, rc = BP_ENOMEM;

    if (n < 2)
        return BP_EINVAL;
    frac.x = bp_calloc(nfrac, sizeof(double));
    frac.y = bp_calloc(nfrac, sizeof(double));
    out.x = bp_calloc(n, sizeof(double));
    out.y = bp_calloc(n, sizeof(double));
    l.pts = bp_calloc(n, sizeof(*l.pts));
    l.cum_m = bp_calloc(n, sizeof(double));
    l.azi1 = bp_calloc(n - 1, sizeof(double));
    l.azi2 = bp_calloc(n - 1, sizeof(double));
    if (!frac.x || !frac.y || !out.x || !out.y || !l.pts || !l.cum_m ||
        !l.azi1 || !l.azi2)
        goto out;

    /* The wiggle that gives the wanted length, by bisection. */
    for (it = 0; it < 40; it++) {
        double mid = (lo + hi) / 2;

        if (shape(&frac, &out, n, mid, seed) < target_m)
            lo = mid;
        else
            hi = mid;
    }
    shape(&frac, &out, n, (lo + hi) / 2, seed);

    bench_metres_per_degree(FRAME_LAT, &mx, &my);
    for (i = 0; i < n; i++) {
        l.pts[i].lon = FRAME_LON + out.x[i] / mx;
        l.pts[i].lat = FRAME_LAT + out.y[i] / my;
    }
    geod_init(&g, 6378137.0, 1 / 298.257223563);
    for (i = 0; i + 1 < n; i++) {
        double s12;

        geod_inverse(&g, l.pts[i].lat, l.pts[i].lon, l.pts[i + 1].lat,
                     l.pts[i + 1].lon, &s12, &l.azi1[i], &l.azi2[i]);
        l.cum_m[i + 1] = l.cum_m[i] + s12;
    }
    l.n = n;
    l.length_m = l.cum_m[n - 1];
    *line = l;
    memset(&l, 0, sizeof(l));
    rc = 0;
out:
    bench_line_release(&l);
    bp_free(frac.x);
    bp_free(frac.y);
    bp_free(out.x);
    bp_free(out.y);
    return rc;
}

size_t bench_line_at(const struct bench_line *line, double g_m,
                     struct bp_lonlat *pt)
{
    size_t lo = 0, hi = line->n - 1;
    const struct bp_lonlat *a, *b;
    double len, t;

    if (!(g_m > 0))
        g_m = 0;
    if (g_m > line->length_m)
        g_m = line->length_m;
    /* The last vertex measure <= g_m: lo ends as the segment's start. */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;

        if (line->cum_m[mid] <= g_m)
            lo = mid;
        else
            hi = mid;
    }
    a = &line->pts[lo];
    b = &line->pts[lo + 1];
    len = line->cum_m[lo + 1] - line->cum_m[lo];
    t = len > 0 ? (g_m - line->cum_m[lo]) / len : 0;
    pt->lon = a->lon + t * (b->lon - a->lon);
    pt->lat = a->lat + t * (b->lat - a->lat);
    return lo;
}

/* Move `p` by `east_m`, `north_m` in the local frame. */
static struct bp_lonlat nudge(struct bp_lonlat p, double east_m, double north_m)
{
    double mx, my;

    bench_metres_per_degree(p.lat, &mx, &my);
    p.lon += east_m / mx;
    p.lat += north_m / my;
    return p;
}

int bench_fixes_random(const struct bench_line *line, size_t n,
                       double max_offset_m, uint64_t seed,
                       struct bp_lonlat **out)
{
    struct bench_rng rng = {seed};
    struct bp_lonlat *f;
    size_t i;

    f = bp_calloc(n, sizeof(*f));
    if (!f)
        return BP_ENOMEM;
    for (i = 0; i < n; i++) {
        struct bp_lonlat p;
        double theta, r;

        bench_line_at(line, bench_rng_unit(&rng) * line->length_m, &p);
        theta = 2.0 * M_PI * bench_rng_unit(&rng);
        r = max_offset_m * bench_rng_unit(&rng);
        f[i] = nudge(p, r * sin(theta), r * cos(theta));
    }
    *out = f;
    return 0;
}

/* How far either side the walker looks to find the line's general
 * direction, metres: the small wiggle of the line is not the path's. */
#define TRACK_LOOK_M 250.0

int bench_fixes_tracks(const struct bench_line *line, size_t n,
                       double max_offset_m, uint64_t seed,
                       struct bp_lonlat **out)
{
    struct bench_rng rng = {seed};
    struct bp_lonlat *f;
    size_t i = 0;

    f = bp_calloc(n, sizeof(*f));
    if (!f)
        return BP_ENOMEM;
    while (i < n) {
        /* One patrol: a few thousand fixes, a few metres apart. */
        size_t len = 500 + (size_t)(bench_rng_unit(&rng) * 3500.0), k;
        double g = bench_rng_unit(&rng) * line->length_m;
        double dir = bench_rng_unit(&rng) < 0.5 ? -1.0 : 1.0;
        double lim = 0.97 * max_offset_m;
        double off = 200.0 * bench_rng_normal(&rng);

        if (off > lim)
            off = lim;
        if (off < -lim)
            off = -lim;
        for (k = 0; k < len && i < n; k++, i++) {
            struct bp_lonlat p, a, b;
            double mx, my, ex, ey, norm;

            bench_line_at(line, g, &p);
            bench_line_at(line, g - TRACK_LOOK_M, &a);
            bench_line_at(line, g + TRACK_LOOK_M, &b);
            bench_metres_per_degree(p.lat, &mx, &my);
            ex = (b.lon - a.lon) * mx;
            ey = (b.lat - a.lat) * my;
            norm = hypot(ex, ey);
            if (norm > 0) {
                ex /= norm;
                ey /= norm;
            }
            /* Right of the direction of walking is (ey, -ex). */
            f[i] = nudge(p, off * ey + 4.0 * bench_rng_normal(&rng),
                         -off * ex + 4.0 * bench_rng_normal(&rng));

            g += dir * bench_rng_range(&rng, 3.0, 8.0);
            if (g < 0 || g > line->length_m) {
                dir = -dir;
                g += 2 * dir * 8.0;
            }
            off += 3.0 * bench_rng_normal(&rng);
            if (off > lim)
                off = 2 * lim - off;
            if (off < -lim)
                off = -2 * lim - off;
        }
    }
    *out = f;
    return 0;
}

char *bench_fmt_num(double v, int decimals, char *out, size_t size)
{
    return bp_fmt_number(v, decimals, BP_LANG_EN, out, size);
}

char *bench_fmt_count(double v, char *out, size_t size)
{
    return bp_fmt_number(v, 0, BP_LANG_EN, out, size);
}

char *bench_fmt_ratio(double v, char *out, size_t size)
{
    char num[64];
    int decimals = v >= 100 ? 0 : v >= 10 ? 1 : 2;

    if (!isfinite(v) || v < 0) {
        snprintf(out, size, "—");
        return out;
    }
    /* Past a million the digits say nothing: give the order. */
    if (v >= 1e6) {
        snprintf(out, size, "%.1e×", v);
        return out;
    }
    bp_fmt_number(v, decimals, BP_LANG_EN, num, sizeof(num));
    snprintf(out, size, "%s×", num);
    return out;
}

char *bench_fmt_length(double m, char *out, size_t size)
{
    static const struct {
        double scale;
        int decimals;
        const char *unit;
    } units[] = {
        {1.0, 1, "m"}, {1e-2, 1, "cm"}, {1e-3, 3, "mm"}, {1e-6, 3, "µm"}};
    char num[64];
    size_t i;

    if (!isfinite(m)) {
        snprintf(out, size, "—");
        return out;
    }
    if (m == 0) {
        snprintf(out, size, "0");
        return out;
    }
    for (i = 0; i + 1 < sizeof(units) / sizeof(units[0]); i++)
        if (fabs(m) >= units[i].scale)
            break;
    bp_fmt_number(m / units[i].scale, units[i].decimals, BP_LANG_EN, num,
                  sizeof(num));
    snprintf(out, size, "%s %s", num, units[i].unit);
    return out;
}

void bench_print_machine(FILE *f)
{
    char line[256], model[256] = "unknown CPU";
    FILE *cpu = fopen("/proc/cpuinfo", "r");
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    time_t now = time(NULL);
    struct tm tm;
    char when[32] = "";
    double load = -1;

    if (cpu) {
        while (fgets(line, sizeof(line), cpu)) {
            char *colon = strchr(line, ':');

            if (!strncmp(line, "model name", 10) && colon) {
                colon++;
                while (*colon == ' ' || *colon == '\t')
                    colon++;
                colon[strcspn(colon, "\n")] = '\0';
                snprintf(model, sizeof(model), "%s", colon);
                break;
            }
        }
        fclose(cpu);
    }
    if (gmtime_r(&now, &tm))
        strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
    /* Other work on the machine slows every rate: say how much there was. */
    cpu = fopen("/proc/loadavg", "r");
    if (cpu) {
        if (fscanf(cpu, "%lf", &load) != 1)
            load = -1;
        fclose(cpu);
    }
    fprintf(f, "machine: %s, %ld cores online, load average %.2f; %s\n", model,
            ncpu, load, when);
}

void bench_table_init(struct bench_table *t, const char *const *header,
                      size_t ncols)
{
    size_t c;

    memset(t, 0, sizeof(*t));
    t->ncols = ncols < BENCH_TABLE_COLS ? ncols : BENCH_TABLE_COLS;
    for (c = 0; c < t->ncols; c++)
        snprintf(t->cell[0][c], BENCH_CELL, "%s", header[c]);
    t->nrows = 1;
}

void bench_table_row(struct bench_table *t, ...)
{
    va_list ap;
    size_t c;

    if (t->nrows >= BENCH_TABLE_ROWS)
        return;
    va_start(ap, t);
    for (c = 0; c < t->ncols; c++) {
        const char *s = va_arg(ap, const char *);

        snprintf(t->cell[t->nrows][c], BENCH_CELL, "%s", s ? s : "");
    }
    va_end(ap);
    t->nrows++;
}

/* Width on screen: UTF-8 continuation bytes take no column. */
static size_t width(const char *s)
{
    size_t w = 0;

    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

void bench_table_print(const struct bench_table *t, FILE *f)
{
    size_t wid[BENCH_TABLE_COLS] = {0};
    size_t r, c, k;

    for (r = 0; r < t->nrows; r++)
        for (c = 0; c < t->ncols; c++)
            if (width(t->cell[r][c]) > wid[c])
                wid[c] = width(t->cell[r][c]);
    for (r = 0; r < t->nrows; r++) {
        for (c = 0; c < t->ncols; c++) {
            /* Text columns left, figures right-aligned. */
            size_t pad = wid[c] - width(t->cell[r][c]);

            fputs("| ", f);
            if (c == 0 || r == 0) {
                fputs(t->cell[r][c], f);
                for (k = 0; k < pad; k++)
                    fputc(' ', f);
            } else {
                for (k = 0; k < pad; k++)
                    fputc(' ', f);
                fputs(t->cell[r][c], f);
            }
            fputc(' ', f);
        }
        fputs("|\n", f);
        if (r == 0) {
            /* ":---" aligns left, "---:" right; as wide as the column. */
            for (c = 0; c < t->ncols; c++) {
                fputs(c == 0 ? "| :" : "| ", f);
                for (k = 1; k < wid[c]; k++)
                    fputc('-', f);
                fputs(c == 0 ? " " : ": ", f);
            }
            fputs("|\n", f);
        }
    }
}
