/* SPDX-License-Identifier: MIT */
/*
 * Patrol benchmarks (issue 4): `bienphong patrol import` run as a user
 * runs it, on 1,000 GPX files with 10,000,000 fixes in all (about 1 GB:
 * read with expat, project, join, check, store in SQLite, progress bar
 * on), next to Debian's gpsbabel merely converting the same files to CSV;
 * and verification of 100,000 patrols against 100,000 pledges. Reports
 * wall and CPU seconds, never asserts on them; fails when the store does
 * not hold every fix afterwards.
 *
 *   bench_patrol [--quick] [--files N] [--fixes N] [--peer-s S]
 *
 * gpsbabel starts one process a file and converts about 100,000 fixes a
 * second: all 1,000 files would take minutes, so it converts files in
 * order for at most S seconds (30; 5 with --quick) and its rate is over
 * those. --quick: 100 files, 100,000 fixes, 20,000 x 20,000 verification.
 * The program run is $BP_PROGRAM, or the bienphong built with this bench.
 */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "benchlib.h"
#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/demo.h"
#include "bienphong/gpx.h"
#include "bienphong/patrol.h"
#include "bienphong/store.h"

#ifndef BP_BENCH_PROGRAM
#define BP_BENCH_PROGRAM "bienphong"
#endif

/* Append `v` (>= 0) with `w` digits, zero padded. */
static char *put_uint(char *o, unsigned long long v, int w)
{
    char tmp[24];
    int k = 0;

    do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || k < w);
    while (k)
        *o++ = tmp[--k];
    return o;
}

/* Append a coordinate with 7 decimals, as GPS devices write them. */
static char *put_coord(char *o, double v)
{
    long long u = llround(v * 1e7);

    if (u < 0) {
        *o++ = '-';
        u = -u;
    }
    o = put_uint(o, (unsigned long long)(u / 10000000), 1);
    *o++ = '.';
    return put_uint(o, (unsigned long long)(u % 10000000), 7);
}

/*
 * One GPX file of `n` fixes walking along the line from `from_m`, 1.2 m a
 * second, 20-80 m off it, one fix a second from Unix time `t0`, in the
 * layout Garmin devices write (one <trkpt> a line with <ele> and <time>).
 * Formatted by hand: printf would make writing slower than importing.
 */
static int write_gpx(const char *path, const struct bp_border *b,
                     double from_m, size_t n, long long t0,
                     struct bench_rng *r)
{
    FILE *f = fopen(path, "w");
    double len = bp_border_length_m(b);
    char *line = malloc(1 << 16), *o;
    size_t i;
    int rc;

    if (!f || !line) {
        if (f)
            fclose(f);
        free(line);
        return -1;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" "
          "creator=\"bench\" xmlns=\"http://www.topografix.com/GPX/1/1\">"
          "<trk><trkseg>\n",
          f);
    o = line;
    for (i = 0; i < n; i++) {
        struct bp_lonlat p;
        double m = fmod(from_m + 1.2 * (double)i, len), mx, my, a, d;
        long long t = t0 + (long long)i, sod = t % 86400;
        int y, mo, dd;

        bp_border_point(b, m, &p);
        /* A local offset is plenty for 80 m and much cheaper than a
         * geodesic. */
        bench_metres_per_degree(p.lat, &mx, &my);
        a = bench_rng_unit(r) * 2 * M_PI;
        d = 20 + 60 * bench_rng_unit(r);
        p.lon += d * cos(a) / mx;
        p.lat += d * sin(a) / my;
        bp_date_to_ymd((int32_t)(t / 86400), &y, &mo, &dd);
        memcpy(o, "<trkpt lat=\"", 12), o += 12;
        o = put_coord(o, p.lat);
        memcpy(o, "\" lon=\"", 7), o += 7;
        o = put_coord(o, p.lon);
        memcpy(o, "\"><ele>400.0</ele><time>", 24), o += 24;
        o = put_uint(o, (unsigned)y, 4);
        *o++ = '-';
        o = put_uint(o, (unsigned)mo, 2);
        *o++ = '-';
        o = put_uint(o, (unsigned)dd, 2);
        *o++ = 'T';
        o = put_uint(o, (unsigned long long)(sod / 3600), 2);
        *o++ = ':';
        o = put_uint(o, (unsigned long long)(sod / 60 % 60), 2);
        *o++ = ':';
        o = put_uint(o, (unsigned long long)(sod % 60), 2);
        memcpy(o, "Z</time></trkpt>\n", 17), o += 17;
        if (o - line > (1 << 16) - 256) {
            fwrite(line, 1, (size_t)(o - line), f);
            o = line;
        }
    }
    fwrite(line, 1, (size_t)(o - line), f);
    free(line);
    fputs("</trkseg></trk></gpx>\n", f);
    rc = fclose(f);
    return rc;
}

/* Wall and CPU seconds of a child process. */
struct run {
    double wall_s, cpu_s;
    int status;
};

/* Run argv with stdout to `out` (NULL: inherited), stderr inherited. */
static int run_child(char *const *argv, const char *out, struct run *r)
{
    struct rusage ru;
    double s0 = bench_now_s();
    pid_t pid;
    int status = 0;

    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (out) {
            int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd < 0 || dup2(fd, 1) < 0)
                _exit(126);
            close(fd);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) != pid)
        return -1;
    r->wall_s = bench_now_s() - s0;
    r->cpu_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
               (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    return 0;
}

static double cpu_self_s(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int bench_import(const char *prog, size_t nfiles, size_t nfixes,
                        double peer_budget_s)
{
    struct bp_lonlat *pts = NULL;
    struct bp_border *b = NULL;
    struct bp_border_record rec;
    struct bp_store *st = NULL;
    struct bp_track_info *ti = NULL;
    struct bp_error err = {0};
    struct bench_rng r = {42};
    char dir[] = "/tmp/bp-bench-patrol-XXXXXX", path[512], db[512];
    char out[512], cmd[1200], c1[32], c2[32];
    char **argv = NULL, a_prog[1024], a_db[] = "--db", a_patrol[] = "patrol",
         a_import[] = "import", a_progress[] = "--progress", a_sh[] = "/bin/sh",
         a_c[] = "-c";
    size_t n = 0, k, per = nfixes / nfiles, total = 0, nti = 0, nbabel = 0;
    double s0, c0, t_write, c_write;
    struct run imp, babel = {0, 0, 0};
    int rc = 1;

    if (!mkdtemp(dir))
        return 1;
    if (bp_demo_border(&pts, &n, &err) ||
        bp_border_new(pts, n, NULL, &b, &err)) {
        fprintf(stderr, "bench_patrol: %s\n", err.message);
        goto out;
    }
    printf("writing %zu GPX files of %zu fixes in %s ...\n", nfiles, per,
           dir);
    fflush(stdout);
    s0 = bench_now_s();
    c0 = cpu_self_s();
    for (k = 0; k < nfiles; k++) {
        snprintf(path, sizeof(path), "%s/t%04zu.gpx", dir, k);
        if (write_gpx(path, b, bench_rng_unit(&r) * 200000, per,
                      1686000000 + (long long)k * 86400, &r))
            goto out;
    }
    t_write = bench_now_s() - s0;
    c_write = cpu_self_s() - c0;
    snprintf(db, sizeof(db), "%s/db.sqlite", dir);
    memset(&rec, 0, sizeof(rec));
    rec.pts = pts;
    rec.n = n;
    if (bp_store_open(db, &st, &err) ||
        bp_store_border_save(st, &rec, &err)) {
        fprintf(stderr, "bench_patrol: %s\n", err.message);
        goto out;
    }
    bp_store_close(st);
    st = NULL;

    /* The program end to end, as a user runs it: one `patrol import` of
     * every file, progress bar on. */
    argv = calloc(nfiles + 8, sizeof(*argv));
    if (!argv)
        goto out;
    argv[0] = a_prog;
    argv[1] = a_db;
    argv[2] = db;
    argv[3] = a_patrol;
    argv[4] = a_import;
    argv[5] = a_progress;
    snprintf(a_prog, sizeof(a_prog), "%s", prog);
    for (k = 0; k < nfiles; k++) {
        snprintf(path, sizeof(path), "%s/t%04zu.gpx", dir, k);
        argv[6 + k] = strdup(path);
        if (!argv[6 + k])
            goto out;
    }
    snprintf(out, sizeof(out), "%s/import.txt", dir);
    if (run_child(argv, out, &imp) || imp.status) {
        fprintf(stderr, "bench_patrol: '%s patrol import' failed (%d); "
                "see %s\n", prog, imp.status, out);
        goto out;
    }
    /* Count what was stored rather than trust the program's word. */
    if (bp_store_open(db, &st, &err) ||
        bp_store_track_list(st, NULL, &ti, &nti, &err)) {
        fprintf(stderr, "bench_patrol: %s\n", err.message);
        goto out;
    }
    for (k = 0; k < nti; k++)
        total += ti[k].nfix;
    if (nti != nfiles || total != per * nfiles) {
        fprintf(stderr, "bench_patrol: stored %zu tracks of %zu fixes, "
                "expected %zu of %zu\n", nti, total, nfiles, per * nfiles);
        goto out;
    }

    /* gpsbabel, one process a file as a user would run it, for at most
     * `peer_budget_s` seconds: its rate over the files it converted. */
    if (!system("command -v gpsbabel >/dev/null 2>&1")) {
        char *bargv[] = {a_sh, a_c, cmd, NULL};
        s0 = bench_now_s();
        for (k = 0; k < nfiles && bench_now_s() - s0 < peer_budget_s; k++) {
            struct run one;
            snprintf(cmd, sizeof(cmd),
                     "exec gpsbabel -i gpx -f %s/t%04zu.gpx -o unicsv -F "
                     "%s/t%04zu.csv",
                     dir, k, dir, k);
            if (run_child(bargv, NULL, &one) || one.status)
                break;
            babel.wall_s += one.wall_s;
            babel.cpu_s += one.cpu_s;
            nbabel++;
        }
    }
    printf("\n(files written in %.1f s wall, %.1f s CPU; not counted)\n",
           t_write, c_write);
    printf("\n| import %zu GPX files, %s fixes | wall s | CPU s | fixes/s "
           "(wall) | fixes/s (CPU) |\n",
           nfiles, bench_fmt_count((double)total, c1, sizeof(c1)));
    printf("|---|---|---|---|---|\n");
    printf("| bienphong patrol import: parse, project, join, check, store "
           "| %.2f | %.2f | %s | %s |\n",
           imp.wall_s, imp.cpu_s,
           bench_fmt_count((double)total / imp.wall_s, c1, sizeof(c1)),
           bench_fmt_count((double)total / imp.cpu_s, c2, sizeof(c2)));
    if (!nbabel)
        printf("| gpsbabel GPX to CSV | (gpsbabel not installed: "
               "scripts/setup) | | | |\n");
    else
        printf("| gpsbabel GPX to CSV only (%zu of %zu files%s) | %.2f | "
               "%.2f | %s | %s |\n",
               nbabel, nfiles,
               nbabel < nfiles ? ", its time budget" : "", babel.wall_s,
               babel.cpu_s,
               bench_fmt_count((double)(nbabel * per) / babel.wall_s, c1,
                               sizeof(c1)),
               bench_fmt_count((double)(nbabel * per) / babel.cpu_s, c2,
                               sizeof(c2)));
    printf("target: >= 1,000,000 fixes/s end to end\n");
    rc = 0;
out:
    bp_store_track_list_free(ti, nti);
    bp_store_close(st);
    if (argv)
        for (k = 0; k < nfiles; k++)
            free(argv[6 + k]);
    free(argv);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd))
        fprintf(stderr, "bench_patrol: could not remove %s\n", dir);
    bp_border_free(b);
    bp_free(pts);
    return rc;
}

static int bench_verify(size_t npledges, size_t npatrols)
{
    struct bp_vpledge *pl = bp_calloc(npledges, sizeof(*pl));
    struct bp_vpatrol *pa = bp_calloc(npatrols, sizeof(*pa));
    struct bp_span *sp = bp_calloc(npatrols * 2, sizeof(*sp));
    uint32_t *mem = bp_calloc(npatrols * 3, sizeof(*mem));
    struct bench_rng r = {7};
    struct bp_verify_input in;
    struct bp_verify v;
    struct bp_overdue *o = NULL;
    size_t i, no = 0, ncust = npledges;
    double s0, t_verify, t_over;

    if (!pl || !pa || !sp || !mem)
        return 1;
    for (i = 0; i < npledges; i++) {
        double a = bench_rng_unit(&r) * 230000;
        pl[i].from_m = a;
        pl[i].to_m = a + 200 + bench_rng_unit(&r) * 2000;
        pl[i].signed_on = 19000;
        pl[i].ended_on = BP_DATE_NONE;
        pl[i].custodian = (uint32_t)i;
    }
    for (i = 0; i < npatrols; i++) {
        /* A patrol walks two stretches near its first custodian's pledge. */
        uint32_t c = (uint32_t)(bench_rng_unit(&r) * (double)ncust);
        double a = pl[c].from_m - 100;
        sp[2 * i].from_m = a;
        sp[2 * i].to_m = a + 800;
        sp[2 * i + 1].from_m = a + 1000;
        sp[2 * i + 1].to_m = a + 1500;
        mem[3 * i] = c;
        mem[3 * i + 1] = (uint32_t)(bench_rng_unit(&r) * (double)ncust);
        mem[3 * i + 2] = (uint32_t)(bench_rng_unit(&r) * (double)ncust);
        pa[i].day = 19358 + (int32_t)(i % 365);
        pa[i].spans = sp + 2 * i;
        pa[i].nspans = 2;
        pa[i].custodians = mem + 3 * i;
        pa[i].ncustodians = 3;
        pa[i].counted = 1;
    }
    in.pledges = pl;
    in.npledges = npledges;
    in.patrols = pa;
    in.npatrols = npatrols;
    in.ncustodians = ncust;
    s0 = bench_now_s();
    if (bp_verify_compute(&in, 19358, 19722, &v, NULL))
        return 1;
    t_verify = bench_now_s() - s0;
    s0 = bench_now_s();
    if (bp_overdue_compute(&in, 19722, 30, &o, &no, NULL))
        return 1;
    t_over = bench_now_s() - s0;
    printf("\n| verification, %zu patrols x %zu pledges | seconds |\n",
           npatrols, npledges);
    printf("|---|---|\n");
    printf("| verified km of every pledge for a year (%.0f km walked) | "
           "%.3f |\n",
           v.walked_m / 1000, t_verify);
    printf("| overdue list (%zu stretches) | %.3f |\n", no, t_over);
    printf("target: < 1 s\n");
    bp_verify_release(&v);
    bp_free(o);
    bp_free(pl);
    bp_free(pa);
    bp_free(sp);
    bp_free(mem);
    return 0;
}

int main(int argc, char **argv)
{
    const char *prog = getenv("BP_PROGRAM");
    size_t files = 1000, fixes = 10000000, big = 100000;
    double peer_s = 30;
    int i, rc;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) {
            files = 100;
            fixes = 100000;
            big = 20000;
            peer_s = 5;
        } else if (!strcmp(argv[i], "--files") && i + 1 < argc) {
            files = (size_t)strtoul(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--fixes") && i + 1 < argc) {
            fixes = (size_t)strtoul(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--peer-s") && i + 1 < argc) {
            peer_s = strtod(argv[++i], NULL);
        } else {
            fprintf(stderr, "usage: bench_patrol [--quick] [--files N] "
                            "[--fixes N] [--peer-s S]\n");
            return 2;
        }
    }
    if (!files)
        files = 1;
    if (!prog || !*prog)
        prog = BP_BENCH_PROGRAM;
    if (access(prog, X_OK)) {
        fprintf(stderr, "bench_patrol: cannot run '%s' (set BP_PROGRAM)\n",
                prog);
        return 1;
    }
    printf("## bench_patrol: GPS track import and verification\n");
    bench_print_machine(stdout);
    rc = bench_import(prog, files, fixes, peer_s);
    if (!rc)
        rc = bench_verify(big, big);
    return rc;
}
