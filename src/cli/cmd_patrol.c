/* SPDX-License-Identifier: MIT */
/*
 * bienphong patrol, verify and overdue: import GPS tracks as patrols (with
 * a progress bar on a terminal), list, show and approve them, export
 * walked stretches and tracks, verified kilometres of pledges and the
 * overdue lists.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "bienphong/alloc.h"
#include "bienphong/csv.h"
#include "bienphong/date.h"
#include "bienphong/geojson.h"
#include "cli/cli.h"
#include "cli/cli_patrol.h"
#include "cli/cli_registry.h"

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int pat_write_out(struct cli *cli, const char *path, const struct bp_buf *b)
{
    FILE *f = path && strcmp(path, "-") ? fopen(path, "wb") : stdout;

    if (!f || fwrite(b->data, 1, b->len, f) != b->len) {
        fprintf(stderr, "%s: %s: '%s': %s\n", cli->prog,
                L(cli, "lỗi", "error"), path ? path : "-",
                L(cli, "không ghi được", "cannot write"));
        if (f && f != stdout)
            fclose(f);
        return 1;
    }
    if (f != stdout)
        fclose(f);
    return 0;
}

static void flags_text(struct cli *cli, unsigned flags, char *out, size_t n)
{
    int bit;
    size_t len = 0;

    out[0] = '\0';
    for (bit = 0; bit < BP_TQ_NFLAGS; bit++)
        if (flags & (1u << bit))
            len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s",
                                    len ? ", " : "",
                                    cli->lang == BP_LANG_VI
                                        ? bp_tq_vi(bit)
                                        : bp_tq_name(bit));
}

static json_t *flags_json(unsigned flags)
{
    json_t *a = json_array();
    int bit;

    for (bit = 0; bit < BP_TQ_NFLAGS; bit++)
        if (flags & (1u << bit))
            json_array_append_new(a, json_string(bp_tq_name(bit)));
    return a;
}

/*
 * The progress bar of `patrol import`: files done of all, fixes read and
 * their rate. Redrawn at most ten times a second (and once at the end),
 * so a thousand small files don't flood a slow terminal or a log.
 */
struct bar {
    int on;
    double start, last; /* seconds on CLOCK_MONOTONIC */
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void progress(struct cli *cli, struct bar *bar, size_t done,
                     size_t total, size_t nfix)
{
    int i, w = 30, f;
    double t, rate;
    char nb[32], rb[32];

    if (!bar->on || !total)
        return;
    t = now_s();
    if (done < total && t - bar->last < 0.1)
        return;
    bar->last = t;
    rate = t > bar->start ? (double)nfix / (t - bar->start) : 0.0;
    f = (int)((double)done / (double)total * w);
    fputc('\r', stderr);
    fputc('[', stderr);
    for (i = 0; i < w; i++)
        fputc(i < f ? '#' : ' ', stderr);
    fprintf(stderr, "] %zu/%zu %s · %s %s · %s %s", done, total,
            L(cli, "tệp", "files"),
            bp_fmt_int((int64_t)nfix, cli->lang, nb, sizeof(nb)),
            L(cli, "điểm", "fixes"),
            bp_fmt_int((int64_t)llround(rate), cli->lang, rb, sizeof(rb)),
            L(cli, "điểm/giây   ", "fixes/s   "));
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

/* Split "a,b,c" into custodian ids. */
static int parse_ids(const char *s, bp_uuid **out, size_t *n)
{
    bp_uuid *v = NULL;
    size_t k = 0, cap = 0;
    const char *p = s;

    while (p && *p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && *p == ' ')
            p++, len--;
        while (len && p[len - 1] == ' ')
            len--;
        if (len) {
            if (k == cap) {
                bp_uuid *nv;
                cap = cap ? 2 * cap : 4;
                nv = bp_reallocarray(v, cap, sizeof(*v));
                if (!nv) {
                    bp_free(v);
                    return BP_ENOMEM;
                }
                v = nv;
            }
            snprintf(v[k], sizeof(bp_uuid), "%.*s",
                     (int)(len < BP_UUID_LEN ? len : BP_UUID_LEN), p);
            k++;
        }
        p = e ? e + 1 : NULL;
    }
    *out = v;
    *n = k;
    return 0;
}

static int opt_double(struct cli *cli, const char *s, double *v)
{
    if (!s)
        return 0;
    if (bp_parse_decimal(s, v) || !(*v >= 0))
        return cli_usage(cli, "giá trị số không hợp lệ", "bad number");
    return 0;
}

int pat_walk_opts(struct cli *cli, struct bp_walk_opts *o, const char *corr,
                  const char *jm, const char *js, const char *speed)
{
    int rc;

    bp_walk_opts_default(o);
    if ((rc = opt_double(cli, corr, &o->corridor_m)) ||
        (rc = opt_double(cli, jm, &o->join_m)) ||
        (rc = opt_double(cli, js, &o->join_s)) ||
        (rc = opt_double(cli, speed, &o->max_speed_kmh)))
        return rc;
    return 0;
}

/* ---- import ---- */

struct imp {
    struct cli *cli;
    struct bp_store *st;
    struct bp_walk_opts wo;
    int32_t day;
    bp_uuid station_id;
    enum bp_patrol_kind kind;
    const char *leader, *note, *patrol_id;
    bp_uuid *members;
    size_t nmembers;
    json_t *files; /* --json */
    size_t imported, duplicates, failed, nfix, nkept;
    double walked_m;
};

/*
 * A file read and parsed, ahead of the thread that walks and stores it:
 * parsing is most of an import's work, so threads parse the next files
 * while the main thread stores this one, in file order.
 */
struct loaded {
    struct bp_buf b;
    struct bp_track t;
    struct bp_error err;
    int rc;
    int ready;
};

static void load_file(const char *path, struct loaded *l)
{
    memset(&l->err, 0, sizeof(l->err));
    l->rc = 0;
    if (bp_buf_read_file(&l->b, path)) {
        l->rc = bp_error_set_at(&l->err, BP_EIO, path, 0, NULL,
                                "cannot read the file (không đọc được "
                                "tệp)");
        return;
    }
    l->rc = bp_track_read(l->b.data, l->b.len, path, &l->t, &l->err);
    if (!l->rc && !l->t.n)
        l->rc = bp_error_set_at(&l->err, BP_EEMPTY, path, 0, NULL,
                                "only waypoints, no track points (chỉ có "
                                "điểm mốc, không có vết)");
}

static void loaded_release(struct loaded *l)
{
    bp_buf_release(&l->b);
    bp_track_release(&l->t);
    l->ready = 0;
}

#define LOAD_WINDOW 8  /* files parsed ahead at most */
#define LOAD_THREADS 4 /* at most */

struct loader {
    const char **files;
    size_t nfiles;
    struct loaded slot[LOAD_WINDOW]; /* file k in slot k % LOAD_WINDOW */
    size_t next;     /* the next file a thread takes */
    size_t consumed; /* files the main thread is done with */
    int stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th[LOAD_THREADS];
    int nthreads;
};

static void *loader_main(void *arg)
{
    struct loader *ld = arg;
    size_t k;

    for (;;) {
        pthread_mutex_lock(&ld->mu);
        while (!ld->stop && ld->next < ld->nfiles &&
               ld->next >= ld->consumed + LOAD_WINDOW)
            pthread_cond_wait(&ld->cv, &ld->mu);
        k = ld->stop ? ld->nfiles : ld->next;
        if (k < ld->nfiles)
            ld->next++;
        pthread_mutex_unlock(&ld->mu);
        if (k >= ld->nfiles)
            break;
        load_file(ld->files[k], &ld->slot[k % LOAD_WINDOW]);
        pthread_mutex_lock(&ld->mu);
        ld->slot[k % LOAD_WINDOW].ready = 1;
        pthread_cond_broadcast(&ld->cv);
        pthread_mutex_unlock(&ld->mu);
    }
    return NULL;
}

/* Start parsing threads (none for one file or one CPU: the main thread
 * then parses each file when it needs it). */
static void loader_start(struct loader *ld, const char **files, size_t n)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    size_t i;

    memset(ld, 0, sizeof(*ld));
    ld->files = files;
    ld->nfiles = n;
    for (i = 0; i < LOAD_WINDOW; i++) {
        bp_buf_init(&ld->slot[i].b);
        bp_track_init(&ld->slot[i].t);
    }
    pthread_mutex_init(&ld->mu, NULL);
    pthread_cond_init(&ld->cv, NULL);
    if (n < 2 || ncpu < 2)
        return;
    while (ld->nthreads < LOAD_THREADS && ld->nthreads < ncpu &&
           (size_t)ld->nthreads < n &&
           !pthread_create(&ld->th[ld->nthreads], NULL, loader_main, ld))
        ld->nthreads++;
}

/* File k, parsed (borrowed until loader_done(ld, k)). */
static struct loaded *loader_get(struct loader *ld, size_t k)
{
    struct loaded *l = &ld->slot[k % LOAD_WINDOW];

    if (!ld->nthreads) {
        load_file(ld->files[k], l);
        l->ready = 1;
        return l;
    }
    pthread_mutex_lock(&ld->mu);
    while (!l->ready)
        pthread_cond_wait(&ld->cv, &ld->mu);
    pthread_mutex_unlock(&ld->mu);
    return l;
}

static void loader_done(struct loader *ld, size_t k)
{
    loaded_release(&ld->slot[k % LOAD_WINDOW]);
    pthread_mutex_lock(&ld->mu);
    ld->consumed = k + 1;
    pthread_cond_broadcast(&ld->cv);
    pthread_mutex_unlock(&ld->mu);
}

/* Stop the threads (a file being parsed is finished first) and free what
 * was parsed and not used. */
static void loader_stop(struct loader *ld)
{
    int i;

    pthread_mutex_lock(&ld->mu);
    ld->stop = 1;
    pthread_cond_broadcast(&ld->cv);
    pthread_mutex_unlock(&ld->mu);
    for (i = 0; i < ld->nthreads; i++)
        pthread_join(ld->th[i], NULL);
    for (i = 0; i < LOAD_WINDOW; i++)
        loaded_release(&ld->slot[i]);
    pthread_cond_destroy(&ld->cv);
    pthread_mutex_destroy(&ld->mu);
}

static int import_one(struct imp *im, const char *path, struct loaded *l,
                      struct bp_error *err)
{
    struct cli *cli = im->cli;
    struct bp_buf b = l->b;
    struct bp_track t = l->t;
    struct bp_track_result res;
    struct bp_track_hash h;
    struct bp_patrol p;
    bp_uuid dup = "";
    char km[32], fl[400];
    int rc;

    bp_walk_init(&res.walk);
    memset(&p, 0, sizeof(p));
    rc = l->rc;
    if (rc) {
        *err = l->err;
        goto out;
    }
    bp_track_hashes(b.data, b.len, NULL, 0, &h);
    if (!bp_store_track_find(im->st, h.content, dup, NULL, err)) {
        im->duplicates++;
        if (im->files)
            json_array_append_new(
                im->files, json_pack("{s:s,s:b,s:s}", "file", path,
                                     "duplicate", 1, "track_id", dup));
        else
            printf("%s: %s %s\n", path,
                   L(cli, "đã nhập trước đây, bỏ qua — vết",
                     "imported before, skipped — track"),
                   dup);
        goto out;
    }
    memset(err, 0, sizeof(*err));
    if (im->patrol_id) {
        snprintf(p.id, sizeof(p.id), "%s", im->patrol_id);
    } else {
        p.day = im->day;
        if (p.day == BP_DATE_NONE) {
            size_t i;
            for (i = 0; i < t.n && t.fix[i].time_ms == BP_TIME_NONE; i++)
                ;
            if (i == t.n) {
                rc = bp_error_set_at(err, BP_EINVAL, path, 0, NULL,
                                     "the track has no times: give the "
                                     "patrol's date with --date (vết không "
                                     "có thời gian: hãy cho --date)");
                goto out;
            }
            p.day = bp_date_of_instant(t.fix[i].time_ms / 1000);
        }
        memcpy(p.station_id, im->station_id, sizeof(bp_uuid));
        p.kind = im->kind;
        p.leader = (char *)im->leader;
        p.note = (char *)im->note;
        p.custodians = im->members;
        p.ncustodians = im->nmembers;
        rc = bp_store_patrol_put(im->st, &p, err);
        p.leader = p.note = NULL;
        p.custodians = NULL;
        if (rc)
            goto out;
    }
    rc = bp_store_track_import(im->st, p.id, &im->wo, now_ms(), path, b.data,
                               b.len, &t, &res, err);
    if (rc)
        goto out;
    im->imported++;
    im->nfix += t.n;
    im->nkept += res.walk.nkept;
    im->walked_m += res.walk.walked_m;
    if (im->files) {
        json_t *f = json_pack(
            "{s:s,s:b,s:s,s:s,s:I,s:I,s:f,s:f,s:f,s:o,s:I}", "file", path,
            "duplicate", 0, "patrol_id", p.id, "track_id", res.track_id,
            "fixes_read", (json_int_t)t.n, "fixes_kept",
            (json_int_t)res.walk.nkept, "walked_m", res.walk.walked_m,
            "travelled_m", res.walk.travelled_m, "duration_s",
            res.walk.duration_s, "flags", flags_json(res.quality.flags),
            "markers_visited", (json_int_t)res.visits);
        json_array_append_new(im->files, f);
    } else {
        flags_text(cli, res.quality.flags, fl, sizeof(fl));
        printf("%s: %zu %s, %zu %s, %s km %s, %zu %s%s%s\n", path, t.n,
               L(cli, "điểm đọc", "fixes read"), res.walk.nkept,
               L(cli, "điểm giữ lại", "kept"),
               cli_km(cli, res.walk.walked_m, km, sizeof(km)),
               L(cli, "biên giới đã đi", "of border walked"), res.visits,
               L(cli, "mốc đi qua", "markers visited"),
               fl[0] ? L(cli, "; cảnh báo: ", "; flags: ") : "", fl);
        if (res.quality.flags) {
            int bit;
            for (bit = 0; bit < BP_TQ_NFLAGS; bit++)
                if (res.quality.flags & (1u << bit))
                    printf("  - %s\n",
                           bp_tq_describe(&res.quality, bit, cli->lang, fl,
                                          sizeof(fl)));
        }
    }
out:
    bp_walk_release(&res.walk);
    return rc;
}

static int patrol_import(struct cli *cli, int argc, char **argv)
{
    const char *date = NULL, *station = NULL, *kind = NULL, *parts = NULL,
               *corr = NULL, *jm = NULL, *js = NULL, *speed = NULL;
    const char **files = NULL;
    struct loader ld;
    struct bar bar;
    struct imp im;
    struct bp_station s;
    struct bp_error err = {0};
    size_t nfiles = 0, k;
    int i, m, rc = 0, tty = isatty(2);
    const char *uvi = "cách dùng: patrol import TỆP… [--date NGÀY] "
                      "[--station ĐỒN] [--kind joint|station|bilateral] "
                      "[--participants ID,…] [--leader TÊN] [--patrol ID] "
                      "[--corridor M] [--join-m M] [--join-s GIÂY] "
                      "[--max-speed KM/H] [--progress] [--json]";
    const char *uen = "usage: patrol import FILES… [--date D] [--station S] "
                      "[--kind joint|station|bilateral] [--participants "
                      "ID,…] [--leader NAME] [--patrol ID] [--corridor M] "
                      "[--join-m M] [--join-s S] [--max-speed KMH] [--progress] "
                      "[--json]";

    memset(&im, 0, sizeof(im));
    memset(&s, 0, sizeof(s));
    im.cli = cli;
    im.day = BP_DATE_NONE;
    files = bp_calloc((size_t)argc, sizeof(*files));
    if (!files)
        return 1;
    for (i = 1; i < argc; i++) {
        struct {
            const char *name;
            const char **v;
        } o[] = {{"--date", &date},       {"--station", &station},
                 {"--kind", &kind},       {"--participants", &parts},
                 {"--leader", &im.leader}, {"--note", &im.note},
                 {"--patrol", &im.patrol_id}, {"--corridor", &corr},
                 {"--join-m", &jm},       {"--join-s", &js},
                 {"--max-speed", &speed}, {NULL, NULL}};
        int j;
        m = cli_global_opt(cli, argc, argv, &i);
        if (m == 1)
            continue;
        if (m < 0) {
            rc = cli_usage(cli, uvi, uen);
            goto out;
        }
        if (!strcmp(argv[i], "--progress")) {
            tty = 1; /* the bar even when stderr is not a terminal */
            continue;
        }
        for (j = 0; o[j].name; j++) {
            m = cli_opt(argc, argv, &i, o[j].name, o[j].v);
            if (m)
                break;
        }
        if (m < 0 || (!o[j].name && argv[i][0] == '-' && argv[i][1])) {
            rc = cli_usage(cli, uvi, uen);
            goto out;
        }
        if (!o[j].name)
            files[nfiles++] = argv[i];
    }
    if (!nfiles) {
        rc = cli_usage(cli, uvi, uen);
        goto out;
    }
    if ((rc = pat_walk_opts(cli, &im.wo, corr, jm, js, speed)))
        goto out;
    if (date && (rc = reg_date(cli, date, "--date", &im.day)))
        goto out;
    if (kind && bp_patrol_kind_parse(kind, &im.kind)) {
        rc = cli_usage(cli, "--kind: joint, station hoặc bilateral",
                       "--kind: joint, station or bilateral");
        goto out;
    }
    if (parts && parse_ids(parts, &im.members, &im.nmembers)) {
        rc = 1;
        goto out;
    }
    if (cli_store(cli, &im.st)) {
        rc = 1;
        goto out;
    }
    if (station) {
        if (bp_store_station_get(im.st, station, &s, &err)) {
            rc = cli_fail(cli, &err);
            goto out;
        }
        memcpy(im.station_id, s.id, sizeof(bp_uuid));
    }
    if (cli->json)
        im.files = json_array();
    if (bp_store_begin(im.st, &err)) {
        rc = cli_fail(cli, &err);
        goto out;
    }
    /* All files or none: every bad file is reported, then nothing is
     * kept. */
    bar.on = tty;
    bar.start = now_s();
    bar.last = 0.0;
    loader_start(&ld, files, nfiles);
    for (k = 0; k < nfiles; k++) {
        memset(&err, 0, sizeof(err));
        if (import_one(&im, files[k], loader_get(&ld, k), &err)) {
            im.failed++;
            if (tty)
                fputc('\n', stderr);
            cli_fail(cli, &err);
            if (err.code == BP_ESTORE || err.code == BP_ENOMEM) {
                loader_done(&ld, k);
                break;
            }
        }
        loader_done(&ld, k);
        progress(cli, &bar, k + 1, nfiles, im.nfix);
    }
    loader_stop(&ld);
    if (im.failed) {
        bp_store_rollback(im.st);
        fprintf(stderr, "%s: %zu %s\n", cli->prog, im.failed,
                L(cli, "tệp lỗi: không nhập gì cả",
                  "files failed: nothing was imported"));
        json_decref(im.files);
        rc = 1;
        goto out;
    }
    if (bp_store_commit(im.st, &err)) {
        json_decref(im.files);
        rc = cli_fail(cli, &err);
        goto out;
    }
    if (im.files) {
        reg_json_print(json_pack("{s:o,s:I,s:I,s:I,s:I,s:f}", "files",
                                 im.files, "imported",
                                 (json_int_t)im.imported, "duplicates",
                                 (json_int_t)im.duplicates, "fixes_read",
                                 (json_int_t)im.nfix, "fixes_kept",
                                 (json_int_t)im.nkept, "walked_m",
                                 im.walked_m));
    } else {
        char km[32];
        printf("%s: %zu, %s: %zu; %zu %s, %s km\n",
               L(cli, "Đã nhập", "Imported"), im.imported,
               L(cli, "trùng bỏ qua", "duplicates skipped"), im.duplicates,
               im.nfix, L(cli, "điểm", "fixes"),
               cli_km(cli, im.walked_m, km, sizeof(km)));
    }
out:
    bp_station_release(&s);
    bp_free(im.members);
    bp_free(files);
    return rc;
}

/* ---- list, show, approve ---- */

static json_t *patrol_json(const struct bp_patrol *p)
{
    json_t *ids = json_array();
    size_t i;

    for (i = 0; i < p->ncustodians; i++)
        json_array_append_new(ids, json_string(p->custodians[i]));
    return json_pack("{s:s,s:o,s:o,s:s,s:o,s:o,s:o,s:I,s:f,s:f,s:f,s:f,s:o,"
                     "s:b}",
                     "id", p->id, "date", reg_json_date(p->day), "station_id",
                     reg_json_str(p->station_id), "kind",
                     bp_patrol_kind_name(p->kind), "leader",
                     reg_json_str(p->leader), "note", reg_json_str(p->note),
                     "participants", ids, "tracks", (json_int_t)p->ntracks,
                     "walked_m", p->walked_m, "travelled_m", p->travelled_m,
                     "duration_s", p->duration_s, "farthest_m",
                     p->farthest_m, "flags", flags_json(p->flags), "verified",
                     p->verified);
}

static int patrol_list(struct cli *cli, int argc, char **argv)
{
    const char *from = NULL, *to = NULL;
    int csv = 0;
    const struct reg_opt opts[] = {{"--from", &from, NULL},
                                   {"--to", &to, NULL},
                                   {"--csv", NULL, &csv},
                                   {NULL, NULL, NULL}};
    struct bp_patrol *v = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    int32_t f = BP_DATE_NONE, t = BP_DATE_NONE;
    size_t n = 0, i;
    char d[16], km[32], fl[300];
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: patrol list [--from NGÀY] [--to NGÀY] "
                       "[--csv] [--json]",
                       "usage: patrol list [--from D] [--to D] [--csv] "
                       "[--json]");

    if (rc)
        return rc;
    if ((from && (rc = reg_date(cli, from, "--from", &f))) ||
        (to && (rc = reg_date(cli, to, "--to", &t))))
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_patrol_list(st, f, t, &v, &n, &err))
        return cli_fail(cli, &err);
    if (cli->json) {
        json_t *a = json_array();
        for (i = 0; i < n; i++)
            json_array_append_new(a, patrol_json(&v[i]));
        reg_json_print(a);
    } else if (csv) {
        struct bp_buf b = BP_BUF_INIT;
        struct bp_csv_writer w;
        bp_csv_writer_init(&w, &b, ',');
        bp_csv_write_bom(&w);
        {
            const char *h[] = {"id", "ngay", "loai", "so_vet", "km_da_di",
                               "canh_bao", "da_xac_minh"};
            bp_csv_write_row(&w, h, 7);
        }
        for (i = 0; i < n; i++) {
            char km2[32], nt[16];
            const char *row[7];
            snprintf(km2, sizeof(km2), "%.3f", v[i].walked_m / 1000);
            snprintf(nt, sizeof(nt), "%zu", v[i].ntracks);
            flags_text(cli, v[i].flags, fl, sizeof(fl));
            row[0] = v[i].id;
            row[1] = bp_date_format_iso(v[i].day, d);
            row[2] = bp_patrol_kind_name(v[i].kind);
            row[3] = nt;
            row[4] = km2;
            row[5] = fl;
            row[6] = v[i].verified ? "1" : "0";
            bp_csv_write_row(&w, row, 7);
        }
        rc = pat_write_out(cli, NULL, &b);
        bp_buf_release(&b);
    } else {
        for (i = 0; i < n; i++) {
            flags_text(cli, v[i].flags, fl, sizeof(fl));
            printf("%s  %s  %-10s %2zu %s  %8s km%s%s%s\n", v[i].id,
                   reg_date_vi(cli, v[i].day, d),
                   bp_patrol_kind_name(v[i].kind), v[i].ntracks,
                   L(cli, "vết", "tracks"),
                   cli_km(cli, v[i].walked_m, km, sizeof(km)),
                   v[i].verified ? "" : L(cli, "  [chưa duyệt]",
                                          "  [not approved]"),
                   fl[0] ? "  " : "", fl);
        }
        printf("%zu %s\n", n, L(cli, "chuyến tuần tra", "patrols"));
    }
    bp_store_patrol_list_free(v, n);
    return rc;
}

static int patrol_show(struct cli *cli, int argc, char **argv)
{
    const char *id = NULL;
    struct bp_patrol p;
    struct bp_track_info *t = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t n = 0, i;
    char d[16], km[32], km2[32], fl[300];
    int rc = reg_parse(cli, argc, argv, NULL, &id, 1,
                       "cách dùng: patrol show ID [--json]",
                       "usage: patrol show ID [--json]");

    if (rc)
        return rc;
    memset(&p, 0, sizeof(p));
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_patrol_get(st, id, &p, &err) ||
        bp_store_track_list(st, p.id, &t, &n, &err)) {
        bp_patrol_release(&p);
        return cli_fail(cli, &err);
    }
    if (cli->json) {
        json_t *o = patrol_json(&p), *a = json_array();
        for (i = 0; i < n; i++)
            json_array_append_new(
                a, json_pack("{s:s,s:o,s:s,s:I,s:I,s:f,s:f,s:f,s:o,s:o,s:b}",
                             "id", t[i].id, "file", reg_json_str(t[i].file),
                             "hash", t[i].hash, "fixes", (json_int_t)t[i].nfix,
                             "kept", (json_int_t)t[i].nkept, "walked_m",
                             t[i].walked_m, "travelled_m", t[i].travelled_m,
                             "duration_s", t[i].duration_s, "flags",
                             flags_json(t[i].flags), "flag_note",
                             reg_json_str(t[i].flag_note), "approved",
                             t[i].approved));
        json_object_set_new(o, "track_list", a);
        reg_json_print(o);
    } else {
        printf("%s %s\n", L(cli, "Chuyến tuần tra", "Patrol"), p.id);
        printf("  %s: %s, %s\n", L(cli, "ngày", "date"),
               reg_date_vi(cli, p.day, d),
               cli->lang == BP_LANG_VI ? bp_patrol_kind_vi(p.kind)
                                       : bp_patrol_kind_name(p.kind));
        printf("  %s: %s km, %s: %s km, %s: %.0f %s\n",
               L(cli, "biên giới đã đi", "border walked"),
               cli_km(cli, p.walked_m, km, sizeof(km)),
               L(cli, "quãng đường", "travelled"),
               cli_km(cli, p.travelled_m, km2, sizeof(km2)),
               L(cli, "thời gian", "duration"), p.duration_s / 60,
               L(cli, "phút", "min"));
        printf("  %s: %zu\n", L(cli, "người tham gia", "participants"),
               p.ncustodians);
        for (i = 0; i < n; i++) {
            flags_text(cli, t[i].flags, fl, sizeof(fl));
            printf("  %s %s  %s  %zu/%zu %s  %s km%s%s%s\n",
                   L(cli, "vết", "track"), t[i].id,
                   t[i].file ? t[i].file : "", t[i].nkept, t[i].nfix,
                   L(cli, "điểm", "fixes"),
                   cli_km(cli, t[i].walked_m, km, sizeof(km)),
                   fl[0] ? "  " : "", fl,
                   t[i].flags ? (t[i].approved
                                     ? L(cli, " (đã duyệt)", " (approved)")
                                     : L(cli, " (chưa duyệt)",
                                         " (not approved)"))
                              : "");
            if (t[i].flag_note)
                printf("      %s\n", t[i].flag_note);
        }
    }
    bp_store_track_list_free(t, n);
    bp_patrol_release(&p);
    return 0;
}

static int patrol_approve(struct cli *cli, int argc, char **argv)
{
    const char *id = NULL, *by = NULL;
    const struct reg_opt opts[] = {{"--by", &by, NULL}, {NULL, NULL, NULL}};
    struct bp_error err = {0};
    struct bp_store *st;
    size_t n = 0;
    int rc = reg_parse(cli, argc, argv, opts, &id, 1,
                       "cách dùng: patrol approve ID_CHUYẾN|ID_VẾT [--by "
                       "NGƯỜI_DUYỆT]",
                       "usage: patrol approve PATROL_ID|TRACK_ID [--by "
                       "NAME]");

    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_patrol_approve(st, id, by, &n, &err))
        return cli_fail(cli, &err);
    printf("%s: %zu %s\n", L(cli, "Đã duyệt", "Approved"), n,
           L(cli, "vết", "tracks"));
    return 0;
}

/* ---- export ---- */

static int walked_features(struct cli *cli, struct bp_store *st,
                           const struct bp_border *b,
                           const struct bp_patrol *p, struct bp_buf *out,
                           int *first, struct bp_error *err)
{
    struct bp_spanset sp;
    size_t i;
    int rc;

    (void)cli;
    bp_spanset_init(&sp);
    rc = bp_store_patrol_spans(st, p->id, 0, &sp, err);
    for (i = 0; !rc && i < sp.n; i++) {
        struct bp_lonlat *pts = NULL;
        size_t n = 0;
        char d[16];
        if (bp_border_slice(b, sp.v[i].from_m, sp.v[i].to_m, &pts, &n, err))
            continue;
        rc = bp_buf_addf(out,
                         "%s{\"type\":\"Feature\",\"properties\":{"
                         "\"patrol_id\":\"%s\",\"date\":\"%s\","
                         "\"from_m\":%.1f,\"to_m\":%.1f,\"verified\":%s},"
                         "\"geometry\":",
                         *first ? "" : ",\n", p->id,
                         bp_date_format_iso(p->day, d), sp.v[i].from_m,
                         sp.v[i].to_m, p->verified ? "true" : "false");
        if (!rc)
            rc = bp_geojson_write_linestring(out, pts, n);
        if (!rc)
            rc = bp_buf_addch(out, '}');
        *first = 0;
        bp_free(pts);
    }
    bp_spanset_release(&sp);
    return rc;
}

static int patrol_export(struct cli *cli, int argc, char **argv)
{
    const char *what = NULL, *format = NULL, *from = NULL, *to = NULL,
               *outp = NULL, *id = NULL;
    const struct reg_opt opts[] = {
        {"--what", &what, NULL},   {"--format", &format, NULL},
        {"--from", &from, NULL},   {"--to", &to, NULL},
        {"--out", &outp, NULL},    {"--patrol", &id, NULL},
        {NULL, NULL, NULL}};
    const struct bp_border *b = NULL;
    struct bp_border *own = NULL;
    struct bp_patrol *v = NULL, one;
    struct bp_buf out = BP_BUF_INIT;
    struct bp_error err = {0};
    struct bp_store *st;
    int32_t f = BP_DATE_NONE, t = BP_DATE_NONE;
    size_t n = 0, i, k;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: patrol export [--what walked|tracks] "
                       "[--format geojson|gpx] [--patrol ID] [--from NGÀY] "
                       "[--to NGÀY] [--out TỆP]",
                       "usage: patrol export [--what walked|tracks] "
                       "[--format geojson|gpx] [--patrol ID] [--from D] "
                       "[--to D] [--out FILE]"),
        first = 1, tracks;

    memset(&one, 0, sizeof(one));
    if (rc)
        return rc;
    tracks = what && !strcmp(what, "tracks");
    if ((what && !tracks && strcmp(what, "walked")) ||
        (format && strcmp(format, "geojson") && strcmp(format, "gpx")))
        return cli_usage(cli, "--what walked|tracks, --format geojson|gpx",
                         "--what walked|tracks, --format geojson|gpx");
    if ((from && (rc = reg_date(cli, from, "--from", &f))) ||
        (to && (rc = reg_date(cli, to, "--to", &t))))
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (id) {
        if (bp_store_patrol_get(st, id, &one, &err))
            return cli_fail(cli, &err);
        v = &one;
        n = 1;
    } else if (bp_store_patrol_list(st, f, t, &v, &n, &err)) {
        return cli_fail(cli, &err);
    }
    if (format && !strcmp(format, "gpx")) {
        /* GPX: the tracks themselves, or the walked stretches as tracks
         * along the line. */
        struct bp_track *tv = NULL;
        const struct bp_track **tp = NULL;
        size_t nt = 0, cap = 0;
        for (i = 0; i < n && !rc; i++) {
            struct bp_track_info *ti = NULL;
            size_t ni = 0;
            if (!tracks) {
                struct bp_spanset sp;
                bp_spanset_init(&sp);
                if (!b && bp_store_border_get(st, &own, &err)) {
                    rc = 1;
                    break;
                }
                b = own;
                bp_store_patrol_spans(st, v[i].id, 0, &sp, &err);
                for (k = 0; k < sp.n; k++) {
                    struct bp_lonlat *pts = NULL;
                    size_t np = 0, j;
                    if (bp_border_slice(b, sp.v[k].from_m, sp.v[k].to_m,
                                        &pts, &np, &err))
                        continue;
                    if (nt == cap) {
                        cap = cap ? 2 * cap : 16;
                        tv = bp_reallocarray(tv, cap, sizeof(*tv));
                    }
                    bp_track_init(&tv[nt]);
                    tv[nt].name = bp_strdup(v[i].id);
                    for (j = 0; j < np; j++) {
                        struct bp_fix fx = {pts[j].lon, pts[j].lat,
                                            BP_TIME_NONE, NAN, NAN, -1};
                        bp_track_add(&tv[nt], &fx);
                    }
                    nt++;
                    bp_free(pts);
                }
                bp_spanset_release(&sp);
                continue;
            }
            if (bp_store_track_list(st, v[i].id, &ti, &ni, &err)) {
                rc = 1;
                break;
            }
            for (k = 0; k < ni; k++) {
                if (nt == cap) {
                    cap = cap ? 2 * cap : 16;
                    tv = bp_reallocarray(tv, cap, sizeof(*tv));
                }
                bp_track_init(&tv[nt]);
                if (!bp_store_track_load(st, ti[k].id, &tv[nt], &err))
                    nt++;
            }
            bp_store_track_list_free(ti, ni);
        }
        tp = bp_calloc(nt + 1, sizeof(*tp));
        for (k = 0; tp && k < nt; k++)
            tp[k] = &tv[k];
        if (!rc && tp)
            rc = bp_gpx_write(&out, tp, NULL, nt) ? 1 : 0;
        for (k = 0; k < nt; k++)
            bp_track_release(&tv[k]);
        bp_free(tv);
        bp_free(tp);
    } else {
        rc = bp_buf_adds(&out, "{\"type\":\"FeatureCollection\","
                               "\"features\":[\n");
        if (!tracks && bp_store_border_get(st, &own, &err))
            rc = 1;
        b = own;
        for (i = 0; i < n && !rc; i++) {
            if (!tracks) {
                rc = walked_features(cli, st, b, &v[i], &out, &first, &err);
                continue;
            }
            {
                struct bp_track_info *ti = NULL;
                size_t ni = 0;
                if (bp_store_track_list(st, v[i].id, &ti, &ni, &err)) {
                    rc = 1;
                    break;
                }
                for (k = 0; k < ni && !rc; k++) {
                    struct bp_track tr;
                    struct bp_lonlat *pts;
                    size_t j;
                    bp_track_init(&tr);
                    if (bp_store_track_load(st, ti[k].id, &tr, &err))
                        continue;
                    pts = bp_calloc(tr.n + 1, sizeof(*pts));
                    for (j = 0; pts && j < tr.n; j++) {
                        pts[j].lon = tr.fix[j].lon;
                        pts[j].lat = tr.fix[j].lat;
                    }
                    rc = bp_buf_addf(
                        &out,
                        "%s{\"type\":\"Feature\",\"properties\":{"
                        "\"track_id\":\"%s\",\"patrol_id\":\"%s\","
                        "\"flags\":%u,\"approved\":%s},\"geometry\":",
                        first ? "" : ",\n", ti[k].id, v[i].id, ti[k].flags,
                        ti[k].approved ? "true" : "false");
                    if (!rc && pts)
                        rc = bp_geojson_write_linestring(&out, pts, tr.n);
                    if (!rc)
                        rc = bp_buf_addch(&out, '}');
                    first = 0;
                    bp_free(pts);
                    bp_track_release(&tr);
                }
                bp_store_track_list_free(ti, ni);
            }
        }
        if (!rc)
            rc = bp_buf_adds(&out, "\n]}\n");
    }
    if (rc && err.code)
        cli_fail(cli, &err);
    if (!rc)
        rc = pat_write_out(cli, outp, &out);
    bp_buf_release(&out);
    bp_border_free(own);
    if (id)
        bp_patrol_release(&one);
    else
        bp_store_patrol_list_free(v, n);
    return rc ? 1 : 0;
}

static const struct cli_cmd patrol_cmds[] = {
    {"import", patrol_import, "nhập vết GPS (GPX, GeoJSON, CSV)",
     "import GPS tracks (GPX, GeoJSON, CSV)"},
    {"list", patrol_list, "danh sách chuyến tuần tra", "list patrols"},
    {"show", patrol_show, "xem một chuyến tuần tra và các vết",
     "show a patrol and its tracks"},
    {"approve", patrol_approve, "duyệt vết bị cảnh báo",
     "approve flagged tracks"},
    {"export", patrol_export, "xuất đoạn đã đi, vết (GeoJSON, GPX)",
     "export walked stretches, tracks (GeoJSON, GPX)"},
    {NULL, NULL, NULL, NULL},
};

int cmd_patrol(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, patrol_cmds, "patrol", argc - 1, argv + 1);
}

/* ---- verify ---- */

static const char *cust_name(const struct bp_verify_data *d, uint32_t c)
{
    return c < d->ncustodians && d->custodian_name[c] ? d->custodian_name[c]
                                                      : "?";
}

int cmd_verify(struct cli *cli, int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *by = NULL;
    int csv = 0;
    const struct reg_opt opts[] = {{"--from", &from, NULL},
                                   {"--to", &to, NULL},
                                   {"--by", &by, NULL},
                                   {"--csv", NULL, &csv},
                                   {NULL, NULL, NULL}};
    struct bp_verify_data d;
    struct bp_verify v;
    struct bp_verify_group *g = NULL;
    uint32_t *grp = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    int32_t f = BP_DATE_NONE, t = BP_DATE_NONE;
    size_t i, ng = 0;
    int mode = 0; /* 0 pledge, 1 custodian, 2 commune, 3 station */
    char a[32], b2[32], c[32], dd[16];
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: verify [--from NGÀY] [--to NGÀY] [--by "
                       "pledge|custodian|commune|station] [--csv] [--json]",
                       "usage: verify [--from D] [--to D] [--by "
                       "pledge|custodian|commune|station] [--csv] [--json]");

    memset(&d, 0, sizeof(d));
    memset(&v, 0, sizeof(v));
    if (rc)
        return rc;
    if (by) {
        static const char *const modes[] = {"pledge", "custodian", "commune",
                                            "station"};
        for (mode = 0; mode < 4 && strcmp(by, modes[mode]); mode++)
            ;
        if (mode == 4)
            return cli_usage(cli,
                             "--by: pledge, custodian, commune hoặc station",
                             "--by: pledge, custodian, commune or station");
    }
    if ((from && (rc = reg_date(cli, from, "--from", &f))) ||
        (to && (rc = reg_date(cli, to, "--to", &t))))
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_verify_load(st, &d, &err) ||
        bp_verify_compute(&d.in, f, t, &v, &err)) {
        rc = cli_fail(cli, &err);
        goto out;
    }
    if (mode) {
        ng = mode == 1 ? d.ncustodians : mode == 2 ? d.ncommunes
                                                   : d.nstations;
        grp = bp_calloc(d.in.npledges + 1, sizeof(*grp));
        g = bp_calloc(ng + 1, sizeof(*g));
        if (!grp || !g) {
            rc = 1;
            goto out;
        }
        for (i = 0; i < d.in.npledges; i++) {
            uint32_t cu = d.pledges[i].custodian;
            grp[i] = mode == 1   ? cu
                     : mode == 2 ? d.custodian_commune[cu]
                                 : d.pledge_station[i];
        }
        if (bp_verify_group_by(&d.in, &v, grp, ng, g, &err)) {
            rc = cli_fail(cli, &err);
            goto out;
        }
    }
    if (cli->json) {
        json_t *o = json_pack("{s:o,s:o,s:f,s:f,s:f}", "from",
                              reg_json_date(f), "to", reg_json_date(t),
                              "pledged_m", v.pledged_m, "walked_m",
                              v.walked_m, "share",
                              v.pledged_m > 0 ? v.walked_m / v.pledged_m
                                              : 0.0);
        json_t *rows = json_array();
        if (!mode) {
            for (i = 0; i < v.npledges; i++) {
                const struct bp_pledge_verify *pv = &v.pledges[i];
                json_t *parts;
                size_t k;
                if (!pv->active)
                    continue;
                parts = json_array();
                for (k = 0; k < pv->nparts; k++)
                    json_array_append_new(
                        parts, json_pack("{s:f,s:f,s:o}", "from_m",
                                         pv->parts[k].from_m, "to_m",
                                         pv->parts[k].to_m, "last_walked",
                                         reg_json_date(pv->parts[k].last_day)));
                json_array_append_new(
                    rows,
                    json_pack("{s:s,s:s,s:s,s:f,s:f,s:f,s:f,s:f,s:I,s:o,s:o}",
                              "pledge_id", d.pledge_id[i], "custodian_id",
                              d.custodian_id[d.pledges[i].custodian],
                              "custodian", cust_name(&d, d.pledges[i].custodian),
                              "from_m", d.pledges[i].from_m, "to_m",
                              d.pledges[i].to_m, "pledged_m", pv->pledged_m,
                              "walked_m", pv->walked_m, "share",
                              pv->pledged_m > 0 ? pv->walked_m / pv->pledged_m
                                                : 0.0,
                              "patrols", (json_int_t)pv->patrols,
                              "last_walked", reg_json_date(pv->last_day),
                              "parts", parts));
            }
        } else {
            for (i = 0; i < ng; i++) {
                const char *name = mode == 1   ? d.custodian_name[i]
                                   : mode == 2 ? d.commune_name[i]
                                               : d.station_name[i];
                const char *gid = mode == 1   ? d.custodian_id[i]
                                  : mode == 2 ? d.commune_id[i]
                                              : d.station_id[i];
                if (!g[i].pledges)
                    continue;
                json_array_append_new(
                    rows,
                    json_pack("{s:s,s:s,s:I,s:f,s:f,s:f,s:o}", "id", gid,
                              "name", name ? name : "", "pledges",
                              (json_int_t)g[i].pledges, "pledged_m",
                              g[i].pledged_m, "walked_m", g[i].walked_m,
                              "share",
                              g[i].pledged_m > 0
                                  ? g[i].walked_m / g[i].pledged_m
                                  : 0.0,
                              "last_walked", reg_json_date(g[i].last_day)));
            }
        }
        json_object_set_new(o, "rows", rows);
        reg_json_print(o);
        goto out;
    }
    if (csv) {
        struct bp_buf b = BP_BUF_INIT;
        struct bp_csv_writer w;
        const char *h[] = {"id", "ten", "km_ky_nhan", "km_da_di",
                           "ty_le_phan_tram", "lan_cuoi"};
        bp_csv_writer_init(&w, &b, ',');
        bp_csv_write_bom(&w);
        bp_csv_write_row(&w, h, 6);
        for (i = 0; i < (mode ? ng : v.npledges); i++) {
            const char *row[6];
            double pm = mode ? g[i].pledged_m : v.pledges[i].pledged_m;
            double wm = mode ? g[i].walked_m : v.pledges[i].walked_m;
            int32_t ld = mode ? g[i].last_day : v.pledges[i].last_day;
            if (mode ? !g[i].pledges : !v.pledges[i].active)
                continue;
            row[0] = mode == 0   ? d.pledge_id[i]
                     : mode == 1 ? d.custodian_id[i]
                     : mode == 2 ? d.commune_id[i]
                                 : d.station_id[i];
            row[1] = mode == 0   ? cust_name(&d, d.pledges[i].custodian)
                     : mode == 1 ? d.custodian_name[i]
                     : mode == 2 ? d.commune_name[i]
                                 : d.station_name[i];
            snprintf(a, sizeof(a), "%.3f", pm / 1000);
            snprintf(b2, sizeof(b2), "%.3f", wm / 1000);
            snprintf(c, sizeof(c), "%.1f", pm > 0 ? 100 * wm / pm : 0.0);
            row[2] = a;
            row[3] = b2;
            row[4] = c;
            row[5] = ld == BP_DATE_NONE ? "" : bp_date_format_iso(ld, dd);
            bp_csv_write_row(&w, row, 6);
        }
        rc = pat_write_out(cli, NULL, &b);
        bp_buf_release(&b);
        goto out;
    }
    printf("%s %s – %s\n",
           L(cli, "Xác minh tuần tra theo cam kết tự quản",
             "Pledges verified by patrols"),
           f == BP_DATE_NONE ? "…" : reg_date_vi(cli, f, dd),
           t == BP_DATE_NONE ? "…" : reg_date_vi(cli, t, c));
    printf("  %s: %s/%s km (%s%%)\n",
           L(cli, "Đã tuần tra xác minh", "Verified walked"),
           cli_km(cli, v.walked_m, a, sizeof(a)),
           cli_km(cli, v.pledged_m, b2, sizeof(b2)),
           bp_fmt_number(v.pledged_m > 0 ? 100 * v.walked_m / v.pledged_m : 0,
                         1, cli->lang, c, sizeof(c)));
    if (!mode) {
        size_t shown = 0;
        for (i = 0; i < v.npledges; i++) {
            const struct bp_pledge_verify *pv = &v.pledges[i];
            if (!pv->active)
                continue;
            printf("  ");
            reg_cell(cust_name(&d, d.pledges[i].custodian), 26);
            printf("km %s–", cli_km(cli, d.pledges[i].from_m, a, sizeof(a)));
            printf("%s  ", cli_km(cli, d.pledges[i].to_m, a, sizeof(a)));
            printf("%s/%s km  %5s%%  %s %s\n",
                   cli_km(cli, pv->walked_m, a, sizeof(a)),
                   cli_km(cli, pv->pledged_m, b2, sizeof(b2)),
                   bp_fmt_number(pv->pledged_m > 0
                                     ? 100 * pv->walked_m / pv->pledged_m
                                     : 0,
                                 0, cli->lang, c, sizeof(c)),
                   L(cli, "lần cuối", "last"),
                   reg_date_vi(cli, pv->last_day, dd));
            shown++;
        }
        printf("  %zu %s\n", shown, L(cli, "cam kết", "pledges"));
    } else {
        for (i = 0; i < ng; i++) {
            const char *name = mode == 1   ? d.custodian_name[i]
                               : mode == 2 ? d.commune_name[i]
                                           : d.station_name[i];
            if (!g[i].pledges)
                continue;
            printf("  ");
            reg_cell(name, 32);
            printf("%10s/%-10s km  %5s%%  %s %s\n",
                   cli_km(cli, g[i].walked_m, a, sizeof(a)),
                   cli_km(cli, g[i].pledged_m, b2, sizeof(b2)),
                   bp_fmt_number(g[i].pledged_m > 0
                                     ? 100 * g[i].walked_m / g[i].pledged_m
                                     : 0,
                                 1, cli->lang, c, sizeof(c)),
                   L(cli, "lần cuối", "last"),
                   reg_date_vi(cli, g[i].last_day, dd));
        }
    }
out:
    bp_free(g);
    bp_free(grp);
    bp_verify_release(&v);
    bp_verify_data_release(&d);
    return rc;
}

/* ---- overdue ---- */

int cmd_overdue(struct cli *cli, int argc, char **argv)
{
    const char *days_s = NULL, *asof = NULL;
    int csv = 0;
    const struct reg_opt opts[] = {{"--days", &days_s, NULL},
                                   {"--as-of", &asof, NULL},
                                   {"--csv", NULL, &csv},
                                   {NULL, NULL, NULL}};
    struct bp_verify_data d;
    struct bp_overdue *o = NULL;
    struct bp_marker_due *m = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t n = 0, nm = 0, i;
    int32_t as_of;
    int days = 30;
    char a[32], b[32], dd[16];
    double total = 0;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: overdue [--days N] [--as-of NGÀY] [--csv] "
                       "[--json]",
                       "usage: overdue [--days N] [--as-of D] [--csv] "
                       "[--json]");

    memset(&d, 0, sizeof(d));
    if (rc)
        return rc;
    if (days_s) {
        char *e;
        long v = strtol(days_s, &e, 10);
        if (*e || v < 0 || v > 100000)
            return cli_usage(cli, "--days: số ngày", "--days: a number of "
                                                     "days");
        days = (int)v;
    }
    if ((rc = reg_date(cli, asof, "--as-of", &as_of)))
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_verify_load(st, &d, &err) ||
        bp_overdue_compute(&d.in, as_of, days, &o, &n, &err) ||
        bp_store_marker_overdue(st, as_of, days, &m, &nm, &err)) {
        rc = cli_fail(cli, &err);
        goto out;
    }
    for (i = 0; i < n; i++)
        total += o[i].to_m - o[i].from_m;
    if (cli->json) {
        json_t *r = json_array(), *mk = json_array();
        for (i = 0; i < n; i++)
            json_array_append_new(
                r, json_pack("{s:s,s:s,s:f,s:f,s:o}", "pledge_id",
                             d.pledge_id[o[i].pledge], "custodian",
                             cust_name(&d, d.pledges[o[i].pledge].custodian),
                             "from_m", o[i].from_m, "to_m", o[i].to_m,
                             "last_walked", reg_json_date(o[i].last_day)));
        for (i = 0; i < nm; i++)
            json_array_append_new(
                mk, json_pack("{s:s,s:s,s:f,s:o}", "marker_id",
                              m[i].marker_id, "number", m[i].number,
                              "measure_m", m[i].measure_m, "last_inspected",
                              reg_json_date(m[i].last_day)));
        reg_json_print(json_pack("{s:o,s:i,s:f,s:o,s:o}", "as_of",
                                 reg_json_date(as_of), "days", days,
                                 "overdue_m", total, "stretches", r,
                                 "markers", mk));
        goto out;
    }
    if (csv) {
        struct bp_buf bb = BP_BUF_INIT;
        struct bp_csv_writer w;
        const char *h[] = {"loai", "id", "ten", "tu_km", "den_km",
                           "lan_cuoi"};
        bp_csv_writer_init(&w, &bb, ',');
        bp_csv_write_bom(&w);
        bp_csv_write_row(&w, h, 6);
        for (i = 0; i < n; i++) {
            const char *row[6];
            row[0] = "doan";
            row[1] = d.pledge_id[o[i].pledge];
            row[2] = cust_name(&d, d.pledges[o[i].pledge].custodian);
            snprintf(a, sizeof(a), "%.3f", o[i].from_m / 1000);
            snprintf(b, sizeof(b), "%.3f", o[i].to_m / 1000);
            row[3] = a;
            row[4] = b;
            row[5] = o[i].last_day == BP_DATE_NONE
                         ? ""
                         : bp_date_format_iso(o[i].last_day, dd);
            bp_csv_write_row(&w, row, 6);
        }
        for (i = 0; i < nm; i++) {
            const char *row[6];
            row[0] = "moc";
            row[1] = m[i].marker_id;
            row[2] = m[i].number;
            snprintf(a, sizeof(a), "%.3f", m[i].measure_m / 1000);
            row[3] = a;
            row[4] = a;
            row[5] = m[i].last_day == BP_DATE_NONE
                         ? ""
                         : bp_date_format_iso(m[i].last_day, dd);
            bp_csv_write_row(&w, row, 6);
        }
        rc = pat_write_out(cli, NULL, &bb);
        bp_buf_release(&bb);
        goto out;
    }
    printf("%s %d %s (%s %s): %zu %s, %s km\n",
           L(cli, "Đoạn đã ký nhận chưa tuần tra trong", "Pledged stretches "
                                                        "not walked in"),
           days, L(cli, "ngày", "days"), L(cli, "tính đến", "as of"),
           reg_date_vi(cli, as_of, dd), n, L(cli, "đoạn", "stretches"),
           cli_km(cli, total, a, sizeof(a)));
    for (i = 0; i < n && i < 40; i++) {
        printf("  ");
        reg_cell(cust_name(&d, d.pledges[o[i].pledge].custodian), 26);
        printf("km %s–", cli_km(cli, o[i].from_m, a, sizeof(a)));
        printf("%s  %s %s\n", cli_km(cli, o[i].to_m, b, sizeof(b)),
               L(cli, "lần cuối", "last"),
               o[i].last_day == BP_DATE_NONE
                   ? L(cli, "chưa bao giờ", "never")
                   : reg_date_vi(cli, o[i].last_day, dd));
    }
    if (n > 40)
        printf("  … %s %zu %s (--json, --csv)\n", L(cli, "và", "and"),
               n - 40, L(cli, "đoạn nữa", "more"));
    printf("%s %d %s: %zu\n",
           L(cli, "Mốc chưa kiểm tra trong", "Markers not inspected in"),
           days, L(cli, "ngày", "days"), nm);
    for (i = 0; i < nm && i < 20; i++)
        printf("  %s %-10s km %s  %s %s\n", L(cli, "mốc", "marker"),
               m[i].number, cli_km(cli, m[i].measure_m, a, sizeof(a)),
               L(cli, "lần cuối", "last"),
               m[i].last_day == BP_DATE_NONE
                   ? L(cli, "chưa bao giờ", "never")
                   : reg_date_vi(cli, m[i].last_day, dd));
    if (nm > 20)
        printf("  … %s %zu %s\n", L(cli, "và", "and"), nm - 20,
               L(cli, "mốc nữa", "more"));
out:
    bp_free(o);
    bp_free(m);
    bp_verify_data_release(&d);
    return rc;
}
