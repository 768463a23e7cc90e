/* SPDX-License-Identifier: MIT */
/*
 * bienphong border import|show|locate|point|slice: the border line and its
 * measure from the command line.
 */
#include <errno.h>
#include <sys/types.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "bienphong/alloc.h"
#include "bienphong/buf.h"
#include "bienphong/geo.h"
#include "bienphong/geojson.h"
#include "cli/cli.h"

static int parse_start(const char *v, enum bp_border_start *out)
{
    static const char *const names[] = {"west", "east", "north", "south"};
    static const char *const names_vi[] = {"tay", "dong", "bac", "nam"};
    int i;

    for (i = 0; i < 4; i++)
        if (!strcmp(v, names[i]) || !strcmp(v, names_vi[i])) {
            *out = (enum bp_border_start)i;
            return 0;
        }
    return -1;
}

/*
 * Calibration points from a CSV file of "lon,lat,km" rows (header
 * optional; the km may use a decimal comma when the separator is ';').
 */
static int read_calibration(const char *path, struct bp_calib **out,
                            size_t *nout, struct bp_error *err)
{
    struct bp_buf text = BP_BUF_INIT;
    struct bp_calib *v = NULL;
    size_t n = 0, cap = 0;
    long row = 0;
    char *line, *next;
    int rc;

    rc = bp_buf_read_file(&text, path);
    if (rc) {
        rc = bp_error_set_at(err, rc, path, 0, NULL, "cannot read: %s",
                             strerror(errno));
        goto out;
    }
    for (line = text.data; line && *line; line = next) {
        char *f[3], *save = NULL, *tok;
        char sep[3] = {',', '\n', 0};
        double lon, lat, km;
        int k = 0;

        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        row++;
        line[strcspn(line, "\r")] = '\0';
        if (!*line)
            continue;
        if (strchr(line, ';'))
            sep[0] = ';';
        for (tok = strtok_r(line, sep, &save); tok && k < 3;
             tok = strtok_r(NULL, sep, &save))
            f[k++] = tok;
        if (k < 3) {
            rc = bp_error_set_at(err, BP_EPARSE, path, row, NULL,
                                 "expected 'lon,lat,km'");
            goto out;
        }
        if (bp_parse_decimal(f[0], &lon) || bp_parse_decimal(f[1], &lat) ||
            bp_parse_decimal(f[2], &km)) {
            if (row == 1)
                continue; /* a header line */
            rc = bp_error_set_at(err, BP_EPARSE, path, row, NULL,
                                 "'%s,%s,%s' is not three numbers", f[0],
                                 f[1], f[2]);
            goto out;
        }
        if (n == cap) {
            struct bp_calib *nv;
            cap = cap ? 2 * cap : 16;
            nv = bp_reallocarray(v, cap, sizeof(*v));
            if (!nv) {
                rc = bp_error_set(err, BP_ENOMEM, "out of memory");
                goto out;
            }
            v = nv;
        }
        v[n].lon = lon;
        v[n].lat = lat;
        v[n].measure_m = km * 1000.0;
        v[n].geodesic_m = -1;
        n++;
    }
    *out = v;
    *nout = n;
    v = NULL;
out:
    bp_free(v);
    bp_buf_release(&text);
    return rc;
}

static void print_summary(struct cli *cli, const struct bp_border *b,
                          const char *name)
{
    const struct bp_lonlat *v = bp_border_vertices(b);
    size_t n = bp_border_vertex_count(b), nc, i;
    const struct bp_calib *cal = bp_border_calibration(b, &nc);
    double geod = bp_border_geodesic_length_m(b);
    double len = bp_border_length_m(b);
    double off = bp_border_official_m(b);
    char s1[64], s2[64], s3[64];

    if (cli->json) {
        json_t *o = json_object(), *ca = json_array();
        char *txt;

        json_object_set_new(o, "name", name ? json_string(name) : json_null());
        json_object_set_new(o, "vertices", json_integer((json_int_t)n));
        json_object_set_new(o, "start",
                            json_pack("{s:f,s:f}", "lon", v[0].lon, "lat",
                                      v[0].lat));
        json_object_set_new(o, "end",
                            json_pack("{s:f,s:f}", "lon", v[n - 1].lon, "lat",
                                      v[n - 1].lat));
        json_object_set_new(o, "geodesic_length_m", json_real(geod));
        json_object_set_new(o, "length_m", json_real(len));
        json_object_set_new(o, "official_length_m",
                            off > 0 ? json_real(off) : json_null());
        json_object_set_new(o, "scale", json_real(len / geod));
        json_object_set_new(o, "home",
                            json_string(bp_border_home_side(b) == BP_HOME_LEFT
                                            ? "left"
                                            : "right"));
        for (i = 0; i < nc; i++)
            json_array_append_new(
                ca, json_pack("{s:f,s:f,s:f,s:f}", "lon", cal[i].lon, "lat",
                              cal[i].lat, "geodesic_m", cal[i].geodesic_m,
                              "measure_m", cal[i].measure_m));
        json_object_set_new(o, "calibration", ca);
        txt = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (txt)
            puts(txt);
        free(txt);
        json_decref(o);
        return;
    }
    printf("%s: %s\n", L(cli, "Đường biên giới", "Border line"),
           name ? name : "—");
    printf("%s: %s\n", L(cli, "Số đỉnh", "Vertices"),
           bp_fmt_int((int64_t)n, cli->lang, s1, sizeof(s1)));
    printf("%s: %s E, %s N\n", L(cli, "Điểm đầu (lý trình 0)", "Start (measure 0)"),
           bp_fmt_number(v[0].lon, 5, cli->lang, s1, sizeof(s1)),
           bp_fmt_number(v[0].lat, 5, cli->lang, s2, sizeof(s2)));
    printf("%s: %s E, %s N\n", L(cli, "Điểm cuối", "End"),
           bp_fmt_number(v[n - 1].lon, 5, cli->lang, s1, sizeof(s1)),
           bp_fmt_number(v[n - 1].lat, 5, cli->lang, s2, sizeof(s2)));
    printf("%s: %s km\n",
           L(cli, "Chiều dài đo trắc địa (WGS84)", "Geodesic length (WGS84)"),
           cli_km(cli, geod, s1, sizeof(s1)));
    if (off > 0)
        printf("%s: %s km\n", L(cli, "Chiều dài chính thức", "Official length"),
               cli_km(cli, off, s1, sizeof(s1)));
    else
        printf("%s: %s\n", L(cli, "Chiều dài chính thức", "Official length"),
               L(cli, "chưa có (lý trình = đo trắc địa)",
                 "none (measure = geodesic)"));
    printf("%s: %s km (%s %s)\n",
           L(cli, "Lý trình hiệu chỉnh", "Calibrated length"),
           cli_km(cli, len, s1, sizeof(s1)), L(cli, "hệ số", "scale"),
           bp_fmt_number(len / geod, 5, cli->lang, s3, sizeof(s3)));
    printf("%s: %s\n", L(cli, "Phía nhà (độ lệch dương)", "Home side (positive offset)"),
           bp_border_home_side(b) == BP_HOME_LEFT
               ? L(cli, "bên trái theo chiều tăng lý trình",
                   "left of increasing measure")
               : L(cli, "bên phải theo chiều tăng lý trình",
                   "right of increasing measure"));
    printf("%s: %zu\n", L(cli, "Điểm hiệu chỉnh", "Calibration points"), nc);
    /* A province may calibrate on hundreds of markers: show the first
     * few; --json has them all. */
    for (i = 0; i < nc && i < 5; i++)
        printf("  %s km %s ← %s km %s\n",
               cli_km(cli, cal[i].measure_m, s1, sizeof(s1)),
               L(cli, "chính thức", "official"),
               cli_km(cli, cal[i].geodesic_m, s2, sizeof(s2)),
               L(cli, "trắc địa", "geodesic"));
    if (nc > 5)
        printf("  … %s %zu %s (--json)\n", L(cli, "và", "and"), nc - 5,
               L(cli, "điểm khác", "more"));
}

static int border_import(struct cli *cli, int argc, char **argv)
{
    struct bp_error err = {0};
    struct bp_border_opts opts = {0};
    struct bp_border_record rec = {0};
    struct bp_buf text = BP_BUF_INIT;
    struct bp_lonlat *pts = NULL;
    struct bp_calib *calib = NULL;
    struct bp_border *b = NULL;
    struct bp_store *st;
    const char *file = NULL, *v, *name = NULL, *calfile = NULL;
    char *fname = NULL;
    size_t n = 0, ncalib = 0;
    int i, m, rc = 0;

    for (i = 1; i < argc; i++) {
        if ((m = cli_global_opt(cli, argc, argv, &i)) == 1)
            continue;
        if (m < 0)
            return cli_usage(cli, "thiếu giá trị của tuỳ chọn",
                             "an option is missing its value");
        if ((m = cli_opt(argc, argv, &i, "--official-km", &v)) == 1) {
            double km;
            if (bp_parse_decimal(v, &km) || !(km > 0))
                return cli_usage(cli, "--official-km: cần một số km dương",
                                 "--official-km: expected a positive km");
            opts.official_m = km * 1000.0;
        } else if ((m = cli_opt(argc, argv, &i, "--start", &v)) == 1) {
            if (parse_start(v, &opts.start))
                return cli_usage(cli,
                                 "--start: cần west|east|north|south",
                                 "--start: expected west|east|north|south");
        } else if ((m = cli_opt(argc, argv, &i, "--home", &v)) == 1) {
            if (!strcmp(v, "right"))
                opts.home = BP_HOME_RIGHT;
            else if (!strcmp(v, "left"))
                opts.home = BP_HOME_LEFT;
            else
                return cli_usage(cli, "--home: cần right|left",
                                 "--home: expected right|left");
        } else if ((m = cli_opt(argc, argv, &i, "--name", &v)) == 1) {
            name = v;
        } else if ((m = cli_opt(argc, argv, &i, "--calibration", &v)) == 1) {
            calfile = v;
        } else if (m < 0 || argv[i][0] == '-' || file) {
            return cli_usage(cli, "cách dùng: border import TỆP [--official-km KM] "
                             "[--start west|east|north|south] [--home right|left] "
                             "[--name TÊN] [--calibration TỆP]",
                             "usage: border import FILE [--official-km KM] "
                             "[--start west|east|north|south] [--home right|left] "
                             "[--name NAME] [--calibration FILE]");
        } else {
            file = argv[i];
        }
    }
    if (!file)
        return cli_usage(cli, "thiếu tệp GeoJSON", "missing the GeoJSON file");
    rc = bp_buf_read_file(&text, file);
    if (rc) {
        bp_error_set_at(&err, rc, file, 0, NULL, "cannot read: %s",
                        strerror(errno));
        goto out;
    }
    rc = bp_geojson_read_line(text.data, text.len, file, &pts, &n, &fname,
                              &err);
    if (rc)
        goto out;
    if (calfile) {
        rc = read_calibration(calfile, &calib, &ncalib, &err);
        if (rc)
            goto out;
        opts.calib = calib;
        opts.ncalib = ncalib;
    }
    /* Build first: a bad line never reaches the database. */
    rc = bp_border_new(pts, n, &opts, &b, &err);
    if (rc) {
        if (!err.file[0])
            snprintf(err.file, sizeof(err.file), "%s", file);
        goto out;
    }
    if (cli_store(cli, &st)) {
        rc = BP_ESTORE;
        goto quiet;
    }
    rec.name = (char *)(name ? name : fname);
    rec.source = (char *)file;
    rec.pts = (struct bp_lonlat *)bp_border_vertices(b);
    rec.n = bp_border_vertex_count(b);
    rec.home = opts.home;
    rec.official_m = opts.official_m;
    rec.calib = (struct bp_calib *)bp_border_calibration(b, &rec.ncalib);
    rec.imported_at = (long long)time(NULL);
    rc = bp_store_begin(st, &err);
    if (rc)
        goto out;
    rc = bp_store_border_save(st, &rec, &err);
    if (rc) {
        bp_store_rollback(st);
        goto out;
    }
    rc = bp_store_commit(st, &err);
    if (rc)
        goto out;
    print_summary(cli, b, rec.name);
out:
    if (rc)
        cli_fail(cli, &err);
quiet:
    bp_border_free(b);
    bp_free(pts);
    bp_free(fname);
    bp_free(calib);
    bp_buf_release(&text);
    return rc ? 1 : 0;
}

/* Open the store and build its border; prints errors. */
static int load_border(struct cli *cli, struct bp_border **b, char **name)
{
    struct bp_error err = {0};
    struct bp_border_record rec = {0};
    struct bp_store *st;

    if (cli_store(cli, &st))
        return 1;
    if (bp_store_border_get(st, b, &err))
        return cli_fail(cli, &err);
    if (name) {
        if (bp_store_border_load(st, &rec, &err)) {
            bp_border_free(*b);
            *b = NULL;
            return cli_fail(cli, &err);
        }
        *name = rec.name;
        rec.name = NULL;
        bp_border_record_release(&rec);
    }
    return 0;
}

static int only_globals(struct cli *cli, int argc, char **argv, int from,
                        const char *usage_vi, const char *usage_en)
{
    int i;

    for (i = from; i < argc; i++)
        if (cli_global_opt(cli, argc, argv, &i) != 1)
            return cli_usage(cli, usage_vi, usage_en);
    return 0;
}

static int border_show(struct cli *cli, int argc, char **argv)
{
    struct bp_border *b = NULL;
    char *name = NULL;
    int rc;

    rc = only_globals(cli, argc, argv, 1, "cách dùng: border show [--json]",
                      "usage: border show [--json]");
    if (rc)
        return rc;
    rc = load_border(cli, &b, &name);
    if (rc)
        return rc;
    print_summary(cli, b, name);
    bp_free(name);
    bp_border_free(b);
    return 0;
}

/* Fixed-point "123.456" with three decimals, fast: locate prints millions. */
static char *put_fixed3(char *p, double v)
{
    char tmp[32];
    int64_t q;
    uint64_t u;
    int k = 0;

    if (!isfinite(v) || fabs(v) > 9e15) {
        memcpy(p, "nan", 3);
        return p + 3;
    }
    q = llround(v * 1000.0);
    if (q < 0) {
        *p++ = '-';
        u = (uint64_t)(-q);
    } else {
        u = (uint64_t)q;
    }
    tmp[k++] = (char)('0' + u % 10);
    u /= 10;
    tmp[k++] = (char)('0' + u % 10);
    u /= 10;
    tmp[k++] = (char)('0' + u % 10);
    u /= 10;
    tmp[k++] = '.';
    do {
        tmp[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (k)
        *p++ = tmp[--k];
    return p;
}

/* Parse "lon<sep>lat" at the start of a line; sep is ',', ';', tab or
 * spaces. Returns 0 or -1. */
static int parse_lonlat(char *line, double *lon, double *lat)
{
    char *end;

    errno = 0;
    *lon = strtod(line, &end);
    if (end == line)
        return -1;
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end == ',' || *end == ';')
        end++;
    line = end;
    *lat = strtod(line, &end);
    if (end == line)
        return -1;
    while (*end == ' ' || *end == '\t' || *end == '\r')
        end++;
    if (*end && *end != ',' && *end != ';' && *end != '\n')
        return -1;
    return 0;
}

/* Points `border locate` projects at a time. */
#define LOCATE_CHUNK 4096

/* What `border locate` has read and not yet written. */
struct locate {
    const struct bp_border *b;
    struct bp_lonlat pt[LOCATE_CHUNK];
    struct bp_hit hit[LOCATE_CHUNK];
    long row[LOCATE_CHUNK];
    size_t n;
    char *out; /* LOCATE_OUT bytes */
    int geodesic;
};

#define LOCATE_OUT (1 << 16)

/* Project the points read so far and write their lines. On a point out of
 * range, the lines before it are written and its row goes to *bad_row. */
static int locate_flush(struct locate *lc, long *bad_row)
{
    size_t done = bp_border_project_many(lc->b, lc->pt, lc->n, lc->hit), k;
    char *q = lc->out;

    for (k = 0; k < done; k++) {
        const struct bp_hit *h = &lc->hit[k];

        if (q - lc->out > LOCATE_OUT - 64) {
            fwrite(lc->out, 1, (size_t)(q - lc->out), stdout);
            q = lc->out;
        }
        q = put_fixed3(q, lc->geodesic ? h->geodesic_m : h->measure_m);
        *q++ = ',';
        q = put_fixed3(q, h->offset_m);
        *q++ = '\n';
    }
    fwrite(lc->out, 1, (size_t)(q - lc->out), stdout);
    if (done < lc->n) {
        *bad_row = lc->row[done];
        return -1;
    }
    lc->n = 0;
    return 0;
}

static int border_locate(struct cli *cli, int argc, char **argv)
{
    struct bp_border *b = NULL;
    struct locate *lc = NULL;
    const char *file = NULL, *v;
    FILE *in = stdin;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    long row = 0, bad_row = 0;
    int geodesic = 0, i, m, rc = 0;

    for (i = 1; i < argc; i++) {
        if ((m = cli_global_opt(cli, argc, argv, &i)) == 1)
            continue;
        if (cli_flag(argv, i, "--geodesic"))
            geodesic = 1;
        else if ((m = cli_opt(argc, argv, &i, "--file", &v)) == 1)
            file = v;
        else
            return cli_usage(cli,
                             "cách dùng: border locate [--geodesic] [--file TỆP]",
                             "usage: border locate [--geodesic] [--file FILE]");
    }
    rc = load_border(cli, &b, NULL);
    if (rc)
        return rc;
    if (file && strcmp(file, "-")) {
        in = fopen(file, "r");
        if (!in) {
            fprintf(stderr, "%s: %s: '%s': %s\n", cli->prog,
                    L(cli, "lỗi", "error"), file, strerror(errno));
            rc = 1;
            goto out;
        }
    }
    lc = bp_calloc(1, sizeof(*lc));
    if (lc)
        lc->out = bp_malloc(LOCATE_OUT);
    if (!lc || !lc->out) {
        rc = 1;
        goto out;
    }
    lc->b = b;
    lc->geodesic = geodesic;
    fputs("measure_m,offset_m\n", stdout);
    while ((got = getline(&line, &cap, in)) > 0) {
        char *p = line;

        row++;
        if (row == 1 && got >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
            p += 3;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\n' || *p == '\r' || !*p)
            continue;
        if (parse_lonlat(p, &lc->pt[lc->n].lon, &lc->pt[lc->n].lat)) {
            if (row == 1)
                continue; /* header */
            if (locate_flush(lc, &bad_row))
                break;
            fprintf(stderr, "%s: %s: %s: %s %ld: %s\n", cli->prog,
                    L(cli, "lỗi", "error"), file ? file : "stdin",
                    L(cli, "dòng", "row"), row,
                    L(cli, "cần 'kinh độ,vĩ độ'", "expected 'lon,lat'"));
            rc = 1;
            break;
        }
        lc->row[lc->n++] = row;
        if (lc->n == LOCATE_CHUNK && locate_flush(lc, &bad_row))
            break;
    }
    if (!rc && !bad_row)
        locate_flush(lc, &bad_row);
    if (bad_row) {
        fprintf(stderr, "%s: %s: %s: %s %ld: %s\n", cli->prog,
                L(cli, "lỗi", "error"), file ? file : "stdin",
                L(cli, "dòng", "row"), bad_row,
                L(cli, "toạ độ ngoài phạm vi", "coordinates out of range"));
        rc = 1;
    }
    fflush(stdout);
out:
    if (in && in != stdin)
        fclose(in);
    free(line);
    if (lc)
        bp_free(lc->out);
    bp_free(lc);
    bp_border_free(b);
    return rc;
}

static int parse_measure_arg(struct cli *cli, const char *s, double *m)
{
    if (bp_parse_decimal(s, m)) {
        fprintf(stderr, "%s: %s: '%s' %s\n", cli->prog, L(cli, "lỗi", "error"),
                s, L(cli, "không phải là số mét", "is not a number of metres"));
        return 2;
    }
    return 0;
}

static int border_point(struct cli *cli, int argc, char **argv)
{
    struct bp_border *b = NULL;
    struct bp_lonlat pt;
    const char *arg = NULL;
    double m;
    int i, rc;

    for (i = 1; i < argc; i++) {
        if (cli_global_opt(cli, argc, argv, &i) == 1)
            continue;
        if (arg)
            arg = NULL, i = argc;
        else
            arg = argv[i];
    }
    if (!arg)
        return cli_usage(cli, "cách dùng: border point LÝ_TRÌNH_M",
                         "usage: border point MEASURE_M");
    rc = parse_measure_arg(cli, arg, &m);
    if (rc)
        return rc;
    rc = load_border(cli, &b, NULL);
    if (rc)
        return rc;
    if (bp_border_point(b, m, &pt)) {
        char s1[64];
        fprintf(stderr, "%s: %s: %s %s m %s [0, %s]\n", cli->prog,
                L(cli, "lỗi", "error"), L(cli, "lý trình", "measure"), arg,
                L(cli, "nằm ngoài", "is outside"),
                bp_fmt_number(bp_border_length_m(b), 3, BP_LANG_EN, s1,
                              sizeof(s1)));
        rc = 1;
    } else if (cli->json) {
        printf("{\"lon\": %.9f, \"lat\": %.9f}\n", pt.lon, pt.lat);
    } else {
        printf("%.9f,%.9f\n", pt.lon, pt.lat);
    }
    bp_border_free(b);
    return rc;
}

static int border_slice(struct cli *cli, int argc, char **argv)
{
    struct bp_error err = {0};
    struct bp_border *b = NULL;
    struct bp_lonlat *pts = NULL;
    struct bp_buf out = BP_BUF_INIT;
    const char *args[2];
    double from, to;
    size_t n = 0;
    int i, k = 0, rc;

    for (i = 1; i < argc; i++) {
        if (cli_global_opt(cli, argc, argv, &i) == 1)
            continue;
        if (k == 2) {
            k = 3;
            break;
        }
        args[k++] = argv[i];
    }
    if (k != 2)
        return cli_usage(cli, "cách dùng: border slice TỪ_M ĐẾN_M",
                         "usage: border slice FROM_M TO_M");
    rc = parse_measure_arg(cli, args[0], &from);
    if (!rc)
        rc = parse_measure_arg(cli, args[1], &to);
    if (rc)
        return rc;
    rc = load_border(cli, &b, NULL);
    if (rc)
        return rc;
    rc = bp_border_slice(b, from, to, &pts, &n, &err);
    if (!rc)
        rc = bp_geojson_write_linestring(&out, pts, n);
    if (rc) {
        if (!err.code)
            bp_error_set(&err, rc, "%s", bp_strerror(rc));
        cli_fail(cli, &err);
    } else {
        puts(out.data);
    }
    bp_buf_release(&out);
    bp_free(pts);
    bp_border_free(b);
    return rc ? 1 : 0;
}

static const struct cli_cmd border_cmds[] = {
    {"import", border_import, "nhập đường biên giới từ GeoJSON",
     "import the border line from GeoJSON"},
    {"show", border_show, "xem tóm tắt đường biên giới",
     "show the border line's summary"},
    {"locate", border_locate,
     "tính lý trình và độ lệch cho các dòng 'kinh độ,vĩ độ'",
     "measure and offset of 'lon,lat' lines"},
    {"point", border_point, "điểm tại một lý trình (m)",
     "the point at a measure (m)"},
    {"slice", border_slice, "đoạn biên giới giữa hai lý trình, GeoJSON",
     "the line between two measures, as GeoJSON"},
    {NULL, NULL, NULL, NULL},
};

int cmd_border(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, border_cmds, "border", argc - 1, argv + 1);
}
