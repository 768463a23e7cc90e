/* SPDX-License-Identifier: MIT */
/*
 * bench_locate: `bienphong border locate` as a whole process, the way a
 * user runs it on a GPS export. Writes the synthetic bench line as GeoJSON
 * and a million fixes as CSV into a temporary directory, imports the line
 * with `bienphong border import`, times `bienphong border locate --file`
 * on the CSV, and, for scale, awk summing a column of the same file and
 * wc -l reading it. Prints one table; exits 0 whatever the numbers.
 *
 *   bench_locate [--quick]     (--quick: a tenth of the lines)
 *
 * The program run is $BP_PROGRAM, or the bienphong built next to this
 * benchmark. Temporary files go under $TMPDIR (default /tmp) and are
 * removed at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "benchlib.h"
#include "bienphong/alloc.h"
#include "bienphong/geo.h"

#ifndef BP_BENCH_PROGRAM
#define BP_BENCH_PROGRAM "bienphong"
#endif

/* The same line and fixes as bench_border: same seed, same sizes. */
#define SEED         20240303ULL
#define NVERTS       50000
#define LINE_M       230000.0
#define MAX_OFFSET_M 2000.0
#define REPEATS      3 /* every process: best of three */
#define CHECK_LINES  1000

extern char **environ;

/* The temporary directory and the files made in it, removed at exit. */
static char tmpdir[512];
static const char *const tmpfiles[] = {
    "line.geojson", "track.csv",    "random.csv",       "b.sqlite",
    "b.sqlite-wal", "b.sqlite-shm", "b.sqlite-journal", "out.csv"};

static void cleanup(void)
{
    char path[600];
    size_t i;

    if (!tmpdir[0])
        return;
    for (i = 0; i < sizeof(tmpfiles) / sizeof(tmpfiles[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", tmpdir, tmpfiles[i]);
        unlink(path);
    }
    rmdir(tmpdir);
    tmpdir[0] = '\0';
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void die(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fputs("bench_locate: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    cleanup();
    exit(1);
}

static char *tmppath(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", tmpdir, name);
    return out;
}

/* `v` as printed with 9 decimals and read back. */
static double round9(double v)
{
    char buf[64];

    snprintf(buf, sizeof(buf), "%.9f", v);
    return strtod(buf, NULL);
}

static void write_geojson(const char *path, const struct bench_line *line)
{
    FILE *f = fopen(path, "w");
    size_t i;

    if (!f)
        die("cannot write '%s': %s", path, strerror(errno));
    fputs("{\"type\": \"FeatureCollection\", \"features\": [{\"type\": "
          "\"Feature\", \"properties\": {\"name\": \"bench line "
          "(synthetic)\"}, \"geometry\": {\"type\": \"LineString\", "
          "\"coordinates\": [",
          f);
    for (i = 0; i < line->n; i++)
        fprintf(f, "%s[%.9f, %.9f]", i ? ", " : "", line->pts[i].lon,
                line->pts[i].lat);
    fputs("]}}]}\n", f);
    if (fclose(f))
        die("cannot write '%s': %s", path, strerror(errno));
}

/* A GPS export: a header, then "lon,lat" with 7 decimals (1 cm). */
static void write_csv(const char *path, const struct bp_lonlat *f, size_t n)
{
    FILE *out = fopen(path, "w");
    size_t i;

    if (!out)
        die("cannot write '%s': %s", path, strerror(errno));
    fputs("lon,lat\n", out);
    for (i = 0; i < n; i++)
        fprintf(out, "%.7f,%.7f\n", f[i].lon, f[i].lat);
    if (fclose(out))
        die("cannot write '%s': %s", path, strerror(errno));
}

/* Wall-clock and CPU seconds (user + system) of one or more runs. */
struct timing {
    double wall_s, cpu_s;
};

static double children_cpu_s(void)
{
    struct rusage ru;

    if (getrusage(RUSAGE_CHILDREN, &ru))
        return 0;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

/*
 * Run argv (looked up in PATH when `search`), stdout to `out_path`, and
 * wait. Returns its wall-clock and CPU time; dies unless it exits 0.
 */
static struct timing run(const char *const *argv, int search,
                         const char *out_path)
{
    /* The spawn functions take char *const[] but never write to it. */
    char *const *args = (char *const *)argv;
    posix_spawn_file_actions_t fa;
    struct timing t;
    pid_t pid;
    int rc, status;

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_path,
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    t.cpu_s = children_cpu_s();
    t.wall_s = bench_now_s();
    rc = search ? posix_spawnp(&pid, argv[0], &fa, NULL, args, environ)
                : posix_spawn(&pid, argv[0], &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc)
        die("cannot run '%s': %s", argv[0], strerror(rc));
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            die("waitpid: %s", strerror(errno));
    t.wall_s = bench_now_s() - t.wall_s;
    t.cpu_s = children_cpu_s() - t.cpu_s;
    if (!WIFEXITED(status) || WEXITSTATUS(status))
        die("'%s %s' failed (status %d)", argv[0], argv[1] ? argv[1] : "",
            status);
    return t;
}

/* The best wall clock and the best CPU time of REPEATS runs. */
static struct timing best_of(const char *const *argv, int search)
{
    struct timing best = {INFINITY, INFINITY};
    int i;

    for (i = 0; i < REPEATS; i++) {
        struct timing t = run(argv, search, "/dev/null");

        best.wall_s = fmin(best.wall_s, t.wall_s);
        best.cpu_s = fmin(best.cpu_s, t.cpu_s);
    }
    return best;
}

/*
 * Compare the first CHECK_LINES lines of locate's output with the library
 * in this process, on the fixes as written (rounded to 7 decimals). Returns
 * how many agree to the printed millimetre; dies unless the output has one
 * line per fix and a header.
 */
static size_t check_output(const char *path, const struct bp_border *b,
                           const struct bp_lonlat *f, size_t n)
{
    FILE *in = fopen(path, "r");
    char buf[256];
    size_t lines = 0, agree = 0;

    if (!in)
        die("cannot read '%s': %s", path, strerror(errno));
    while (fgets(buf, sizeof(buf), in)) {
        struct bp_hit hit;
        char fix[64];
        double m, o, lon, lat;

        lines++;
        if (lines == 1 || lines - 2 >= CHECK_LINES || lines - 2 >= n)
            continue;
        snprintf(fix, sizeof(fix), "%.7f,%.7f", f[lines - 2].lon,
                 f[lines - 2].lat);
        if (sscanf(fix, "%lf,%lf", &lon, &lat) == 2 &&
            sscanf(buf, "%lf,%lf", &m, &o) == 2 &&
            !bp_border_project(b, lon, lat, &hit) &&
            fabs(m - hit.measure_m) <= 0.0015 &&
            fabs(o - hit.offset_m) <= 0.0015)
            agree++;
    }
    fclose(in);
    if (lines != n + 1)
        die("'%s' has %zu lines, expected %zu", path, lines, n + 1);
    return agree;
}

/* A row of lines/s: bienphong's (none when `mine_s` is 0) and the peer's,
 * with the ratio of the peer's time to bienphong's. */
static void lines_row(struct bench_table *t, const char *what, size_t n,
                      double mine_s, double peer_s, const char *peer_what)
{
    char m[64], p[64], cell[BENCH_CELL], ratio[64];

    if (mine_s > 0)
        bench_fmt_count((double)n / mine_s, m, sizeof(m));
    else
        snprintf(m, sizeof(m), "—");
    snprintf(cell, sizeof(cell), "%s (%s)",
             bench_fmt_count((double)n / peer_s, p, sizeof(p)), peer_what);
    if (mine_s > 0)
        bench_fmt_ratio(peer_s / mine_s, ratio, sizeof(ratio));
    else
        ratio[0] = '\0';
    bench_table_row(t, what, m, cell, ratio);
}

int main(int argc, char **argv)
{
    static const char *const header[] = {"what", "bienphong", "peer", "ratio"};
    const char *prog = getenv("BP_PROGRAM");
    struct bench_line line = {0};
    struct bp_border_opts opts = {0};
    struct bp_error err = {0};
    struct bp_border *b = NULL;
    struct bp_lonlat *rnd = NULL, *trk = NULL;
    struct bench_table t;
    char db[600], geojson[600], csv_trk[600], csv_rnd[600], out[600];
    char s1[64], s2[96], s3[64], s4[64], s5[64], s6[64], s7[64];
    const char *base = getenv("TMPDIR");
    size_t n = 1000000, agree_trk, agree_rnd, i;
    struct timing t_import, t_trk, t_rnd, t_awk_trk, t_awk_rnd, t_wc;
    double t0;
    struct stat st;

    if (argc > 1 && !strcmp(argv[1], "--quick")) {
        n /= 10;
    } else if (argc > 1) {
        fprintf(stderr, "usage: bench_locate [--quick]\n");
        return 2;
    }
    if (!prog || !*prog)
        prog = BP_BENCH_PROGRAM;
    if (access(prog, X_OK))
        die("cannot run '%s' (set BP_PROGRAM): %s", prog, strerror(errno));
    snprintf(tmpdir, sizeof(tmpdir), "%s/bp-bench-XXXXXX",
             base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        tmpdir[0] = '\0';
        die("cannot make a temporary directory: %s", strerror(errno));
    }

    t0 = bench_now_s();
    if (bench_line_make(&line, NVERTS, LINE_M, SEED) ||
        bench_fixes_random(&line, n, MAX_OFFSET_M, SEED + 1, &rnd) ||
        bench_fixes_tracks(&line, n, MAX_OFFSET_M, SEED + 2, &trk))
        die("out of memory making the data");
    /* The line as the GeoJSON file has it, so the check below compares
     * like with like. */
    for (i = 0; i < line.n; i++) {
        line.pts[i].lon = round9(line.pts[i].lon);
        line.pts[i].lat = round9(line.pts[i].lat);
    }
    opts.start = BP_START_AS_GIVEN;
    if (bp_border_new(line.pts, line.n, &opts, &b, &err))
        die("bp_border_new: %s", err.message);
    write_geojson(tmppath(geojson, sizeof(geojson), "line.geojson"), &line);
    write_csv(tmppath(csv_trk, sizeof(csv_trk), "track.csv"), trk, n);
    write_csv(tmppath(csv_rnd, sizeof(csv_rnd), "random.csv"), rnd, n);
    tmppath(db, sizeof(db), "b.sqlite");
    tmppath(out, sizeof(out), "out.csv");

    printf("## bench_locate: `bienphong border locate` as a whole process\n\n");
    bench_print_machine(stdout);
    if (stat(csv_trk, &st))
        die("cannot stat '%s': %s", csv_trk, strerror(errno));
    printf("data (synthetic, seed %llu, written in %.1f s): the %s-vertex "
           "bench line as GeoJSON; two CSV files of %s 'lon,lat' lines "
           "(%s MB each, 7 decimals), fixes in track order and in random "
           "order; program: %s\n\n",
           (unsigned long long)SEED, bench_now_s() - t0,
           bench_fmt_count((double)line.n, s1, sizeof(s1)),
           bench_fmt_count((double)n, s3, sizeof(s3)),
           bench_fmt_num((double)st.st_size / 1e6, 1, s2, sizeof(s2)), prog);

    {
        const char *import[] = {prog,     "--db",  db,  "border",
                                "import", geojson, NULL};
        const char *loc_trk[] = {prog,     "--db",   db,      "border",
                                 "locate", "--file", csv_trk, NULL};
        const char *loc_rnd[] = {prog,     "--db",   db,      "border",
                                 "locate", "--file", csv_rnd, NULL};
        const char *awk_trk[] = {"awk", "-F,", "{s+=$1} END{print s}", csv_trk,
                                 NULL};
        const char *awk_rnd[] = {"awk", "-F,", "{s+=$1} END{print s}", csv_rnd,
                                 NULL};
        const char *wc[] = {"wc", "-l", csv_trk, NULL};

        t_import = run(import, 0, "/dev/null");
        /* Once to a file, to check the output, then timed to /dev/null. */
        run(loc_trk, 0, out);
        agree_trk = check_output(out, b, trk, n);
        run(loc_rnd, 0, out);
        agree_rnd = check_output(out, b, rnd, n);
        unlink(out);
        t_trk = best_of(loc_trk, 0);
        t_rnd = best_of(loc_rnd, 0);
        t_awk_trk = best_of(awk_trk, 1);
        t_awk_rnd = best_of(awk_rnd, 1);
        t_wc = best_of(wc, 1);
    }

    bench_table_init(&t, header, 4);
    snprintf(s2, sizeof(s2), "%s lines, track order: locate (lines/s)",
             bench_fmt_count((double)n, s1, sizeof(s1)));
    lines_row(&t, s2, n, t_trk.wall_s, t_awk_trk.wall_s, "awk sum of column 1");
    snprintf(s2, sizeof(s2), "%s lines, random order: locate (lines/s)",
             bench_fmt_count((double)n, s1, sizeof(s1)));
    lines_row(&t, s2, n, t_rnd.wall_s, t_awk_rnd.wall_s, "awk sum of column 1");
    lines_row(&t, "for scale: read the file (lines/s)", n, 0, t_wc.wall_s,
              "wc -l, reading only");
    snprintf(s2, sizeof(s2), "border import, %s-vertex GeoJSON (s)",
             bench_fmt_count((double)line.n, s1, sizeof(s1)));
    bench_table_row(&t, s2, bench_fmt_num(t_import.wall_s, 3, s1, sizeof(s1)),
                    "—", "");
    bench_table_print(&t, stdout);
    printf("\nratio: the peer's time over bienphong's on the same file "
           "(> 1: bienphong is faster); wall clock of the whole process, "
           "start-up and database read included, output to /dev/null; best "
           "of %d runs.\n",
           REPEATS);
    printf("- CPU time (user + system) of the processes, steadier on a busy "
           "machine, as lines per CPU second: locate %s (track), %s "
           "(random); awk %s, %s; wc -l %s; ratios %s (track), %s (random)\n",
           bench_fmt_count((double)n / t_trk.cpu_s, s1, sizeof(s1)),
           bench_fmt_count((double)n / t_rnd.cpu_s, s2, sizeof(s2)),
           bench_fmt_count((double)n / t_awk_trk.cpu_s, s3, sizeof(s3)),
           bench_fmt_count((double)n / t_awk_rnd.cpu_s, s4, sizeof(s4)),
           bench_fmt_count((double)n / t_wc.cpu_s, s5, sizeof(s5)),
           bench_fmt_ratio(t_awk_trk.cpu_s / t_trk.cpu_s, s6, sizeof(s6)),
           bench_fmt_ratio(t_awk_rnd.cpu_s / t_rnd.cpu_s, s7, sizeof(s7)));
    printf("- output checked: locate printed %s lines and a header for each "
           "file; of its first %d lines, %zu (track) and %zu (random) agree "
           "with the library in this process to the printed millimetre\n",
           bench_fmt_count((double)n, s1, sizeof(s1)), CHECK_LINES, agree_trk,
           agree_rnd);

    cleanup();
    bp_border_free(b);
    bp_free(rnd);
    bp_free(trk);
    bench_line_release(&line);
    return 0;
}
