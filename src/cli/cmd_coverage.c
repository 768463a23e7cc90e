/* SPDX-License-Identifier: MIT */
/*
 * bienphong coverage, gaps, overlaps and export: the figures of the
 * registry as of a date, in the words a review report uses ("24 tập thể
 * và 885 hộ gia đình ký nhận tự quản 223,205/231,740 km đường biên
 * giới"), year by year, and the records out as CSV or GeoJSON.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/exchange.h"
#include "cli/cli.h"
#include "cli/cli_registry.h"

/* The coverage inputs and the lists whose order they share. */
struct cov_ctx {
    struct bp_cov_input in;
    struct bp_cov_hold hold;
    struct bp_commune *communes;
    size_t ncommunes;
    struct bp_station *stations;
    size_t nstations;
};

static int cov_open(struct cli *cli, struct cov_ctx *c)
{
    struct bp_store *st;
    struct bp_error err = {0};

    memset(c, 0, sizeof(*c));
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_cov_load(st, &c->in, &c->hold, &err) ||
        bp_store_commune_list(st, &c->communes, &c->ncommunes, &err) ||
        bp_store_station_list(st, &c->stations, &c->nstations, &err))
        return cli_fail(cli, &err);
    return 0;
}

static void cov_close(struct cov_ctx *c)
{
    bp_store_cov_release(&c->hold);
    bp_store_commune_list_free(c->communes, c->ncommunes);
    bp_store_station_list_free(c->stations, c->nstations);
}

static double pct(const struct bp_cov_figures *f)
{
    return f->length_m > 0 ? 100.0 * f->covered_m / f->length_m : 0;
}

static json_t *figures_json(const struct bp_cov_figures *f)
{
    return json_pack("{s:f,s:f,s:f,s:I,s:I,s:I,s:I}", "covered_m", f->covered_m,
                     "length_m", f->length_m, "percent", pct(f), "households",
                     (json_int_t)f->households, "collectives",
                     (json_int_t)f->collectives, "markers_pledged",
                     (json_int_t)f->markers_pledged, "markers_total",
                     (json_int_t)f->markers_total);
}

/* "24 tập thể và 885 hộ gia đình ký nhận tự quản 223,205/231,740 km
 * đường biên giới (96,3%)" */
static void headline(struct cli *cli, const struct bp_cov_figures *f,
                     int32_t as_of)
{
    char s1[32], s2[32], s3[32], d[16];

    printf("%s %s:\n", L(cli, "Tính đến ngày", "As of"),
           reg_date_vi(cli, as_of, d));
    if (cli->lang == BP_LANG_VI)
        printf("%zu tập thể và %zu hộ gia đình ký nhận tự quản %s/%s km "
               "đường biên giới (%s%%)\n",
               f->collectives, f->households,
               cli_km(cli, f->covered_m, s1, sizeof(s1)),
               cli_km(cli, f->length_m, s2, sizeof(s2)),
               bp_fmt_number(pct(f), 1, cli->lang, s3, sizeof(s3)));
    else
        printf("%zu collectives and %zu households co-manage %s/%s km of "
               "the border line (%s%%)\n",
               f->collectives, f->households,
               cli_km(cli, f->covered_m, s1, sizeof(s1)),
               cli_km(cli, f->length_m, s2, sizeof(s2)),
               bp_fmt_number(pct(f), 1, cli->lang, s3, sizeof(s3)));
    printf("%s: %zu/%zu\n",
           L(cli, "Mốc quốc giới được ký nhận tự quản", "Markers pledged"),
           f->markers_pledged, f->markers_total);
}

/* Print `s` right-aligned in `width` characters (UTF-8), then a space. */
static void rcell(const char *s, int width)
{
    const unsigned char *p = (const unsigned char *)s;
    int n = 0;

    for (; *p; p++)
        if ((*p & 0xC0) != 0x80)
            n++;
    for (; n < width; n++)
        putchar(' ');
    printf("%s ", s);
}

/* The figure columns' headings, after the name columns. */
static void header_tail(struct cli *cli)
{
    rcell(L(cli, "km tự quản", "km pledged"), 10);
    rcell(L(cli, "km biên", "km border"), 10);
    rcell("%", 7);
    rcell(L(cli, "Hộ", "Hh."), 6);
    rcell(L(cli, "Tập thể", "Coll."), 7);
    printf("%s\n", L(cli, "Mốc", "Markers"));
}

static void table_row(struct cli *cli, const char *code, const char *name,
                      const struct bp_cov_figures *f)
{
    char s1[32], s2[32], s3[32];

    reg_cell(code, 8);
    reg_cell(name, 26);
    printf("%10s %10s %6s%% %6zu %7zu %5zu/%zu\n",
           cli_km(cli, f->covered_m, s1, sizeof(s1)),
           cli_km(cli, f->length_m, s2, sizeof(s2)),
           bp_fmt_number(pct(f), 1, cli->lang, s3, sizeof(s3)), f->households,
           f->collectives, f->markers_pledged, f->markers_total);
}

static int coverage_history(struct cli *cli, int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *on = "03/03";
    const struct reg_opt opts[] = {{"--from", &from, NULL},
                                   {"--to", &to, NULL},
                                   {"--on", &on, NULL},
                                   {NULL, NULL, NULL}};
    struct cov_ctx c;
    struct bp_error err = {0};
    json_t *a = NULL;
    int y0, y1, y, dd, mm, rc;
    char tail;

    rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                   "cách dùng: coverage history --from NĂM --to NĂM "
                   "[--on NGÀY/THÁNG]",
                   "usage: coverage history --from YEAR --to YEAR "
                   "[--on DD/MM]");
    if (rc)
        return rc;
    if (!from || !to || sscanf(from, "%d%c", &y0, &tail) != 1 ||
        sscanf(to, "%d%c", &y1, &tail) != 1 || y0 < 1900 || y1 > 9999 ||
        y1 < y0 || sscanf(on, "%d/%d%c", &dd, &mm, &tail) != 2 ||
        !bp_date_valid(2000, mm, dd))
        return cli_usage(cli,
                         "cần --from NĂM --to NĂM (từ ≤ đến) và --on "
                         "dd/mm hợp lệ",
                         "need --from YEAR --to YEAR (from <= to) and a "
                         "valid --on dd/mm");
    if (cov_open(cli, &c))
        return 1;
    if (cli->json)
        a = json_array();
    else {
        reg_cell(L(cli, "Năm", "Year"), 6);
        reg_cell(L(cli, "Ngày", "Date"), 10);
        header_tail(cli);
    }
    for (y = y0; y <= y1; y++) {
        struct bp_coverage cv;
        int32_t day;
        char d[16], s1[32], s2[32], s3[32];

        /* 29/02 in a common year falls back to 28/02. */
        day = bp_date_valid(y, mm, dd) ? bp_date_from_ymd(y, mm, dd)
                                       : bp_date_from_ymd(y, mm, dd - 1);
        if (bp_coverage_compute(&c.in, day, &cv, &err)) {
            json_decref(a);
            cov_close(&c);
            return cli_fail(cli, &err);
        }
        if (a) {
            json_t *o = figures_json(&cv.total);
            json_object_set_new(o, "year", json_integer(y));
            json_object_set_new(o, "as_of", reg_json_date(day));
            json_array_append_new(a, o);
        } else {
            printf("%-6d %-10s %10s %10s %6s%% %6zu %7zu %5zu/%zu\n", y,
                   reg_date_vi(cli, day, d),
                   cli_km(cli, cv.total.covered_m, s1, sizeof(s1)),
                   cli_km(cli, cv.total.length_m, s2, sizeof(s2)),
                   bp_fmt_number(pct(&cv.total), 1, cli->lang, s3, sizeof(s3)),
                   cv.total.households, cv.total.collectives,
                   cv.total.markers_pledged, cv.total.markers_total);
        }
        bp_coverage_release(&cv);
    }
    if (a)
        reg_json_print(a);
    cov_close(&c);
    return 0;
}

int cmd_coverage(struct cli *cli, int argc, char **argv)
{
    const char *as_of_s = NULL, *by = NULL;
    const struct reg_opt opts[] = {
        {"--as-of", &as_of_s, NULL}, {"--by", &by, NULL}, {NULL, NULL, NULL}};
    struct cov_ctx c;
    struct bp_coverage cv;
    struct bp_error err = {0};
    int32_t as_of;
    size_t i;
    int rc;

    if (argc > 1 && !strcmp(argv[1], "history"))
        return coverage_history(cli, argc - 1, argv + 1);
    rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                   "cách dùng: coverage [--as-of NGÀY] [--by commune|station] "
                   "[--json] | coverage history --from NĂM --to NĂM",
                   "usage: coverage [--as-of DATE] [--by commune|station] "
                   "[--json] | coverage history --from YEAR --to YEAR");
    if (rc)
        return rc;
    if (by && strcmp(by, "commune") && strcmp(by, "station") &&
        strcmp(by, "xa") && strcmp(by, "don"))
        return cli_usage(cli, "--by commune hoặc --by station",
                         "--by commune or --by station");
    rc = reg_date(cli, as_of_s, "--as-of", &as_of);
    if (rc)
        return rc;
    if (cov_open(cli, &c))
        return 1;
    if (bp_coverage_compute(&c.in, as_of, &cv, &err)) {
        cov_close(&c);
        return cli_fail(cli, &err);
    }
    if (cli->json) {
        json_t *o = figures_json(&cv.total), *a;
        json_object_set_new(o, "as_of", reg_json_date(as_of));
        if (by && (by[0] == 'c' || by[0] == 'x')) {
            a = json_array();
            for (i = 0; i < cv.ncommunes && i < c.ncommunes; i++) {
                json_t *r = figures_json(&cv.communes[i]);
                json_object_set_new(r, "code", json_string(c.communes[i].code));
                json_object_set_new(r, "name", json_string(c.communes[i].name));
                json_array_append_new(a, r);
            }
            json_object_set_new(o, "communes", a);
        } else if (by) {
            a = json_array();
            for (i = 0; i < cv.nstations && i < c.nstations; i++) {
                json_t *r = figures_json(&cv.stations[i]);
                json_object_set_new(r, "code", json_string(c.stations[i].code));
                json_object_set_new(r, "name", json_string(c.stations[i].name));
                json_array_append_new(a, r);
            }
            json_object_set_new(o, "stations", a);
        }
        reg_json_print(o);
    } else {
        headline(cli, &cv.total, as_of);
        if (by) {
            int com = by[0] == 'c' || by[0] == 'x';
            putchar('\n');
            reg_cell(L(cli, "Mã", "Code"), 8);
            reg_cell(com ? L(cli, "Xã", "Commune") : L(cli, "Đồn", "Station"),
                     26);
            header_tail(cli);
            if (com)
                for (i = 0; i < cv.ncommunes && i < c.ncommunes; i++)
                    table_row(cli, c.communes[i].code, c.communes[i].name,
                              &cv.communes[i]);
            else
                for (i = 0; i < cv.nstations && i < c.nstations; i++)
                    table_row(cli, c.stations[i].code, c.stations[i].name,
                              &cv.stations[i]);
        }
    }
    bp_coverage_release(&cv);
    cov_close(&c);
    return 0;
}

/* The standing markers in measure order, as the coverage input has them. */
static int live_markers(struct cli *cli, struct bp_marker **all, size_t *n,
                        const struct bp_marker ***live, size_t *nlive)
{
    struct bp_store *st;
    struct bp_error err = {0};
    size_t i;

    if (cli_store(cli, &st))
        return 1;
    if (bp_store_marker_list(st, all, n, &err))
        return cli_fail(cli, &err);
    *live = bp_calloc(*n + 1, sizeof(**live));
    if (!*live) {
        bp_error_set(&err, BP_ENOMEM, "out of memory");
        return cli_fail(cli, &err);
    }
    *nlive = 0;
    for (i = 0; i < *n; i++)
        if ((*all)[i].ended_on == BP_DATE_NONE)
            (*live)[(*nlive)++] = &(*all)[i];
    return 0;
}

int cmd_gaps(struct cli *cli, int argc, char **argv)
{
    const char *as_of_s = NULL;
    const struct reg_opt opts[] = {{"--as-of", &as_of_s, NULL},
                                   {NULL, NULL, NULL}};
    struct cov_ctx c;
    struct bp_gap *g = NULL;
    struct bp_marker *mk = NULL;
    const struct bp_marker **live = NULL;
    struct bp_error err = {0};
    size_t n = 0, nm = 0, nl = 0, i;
    json_t *a = NULL;
    int32_t as_of;
    double total = 0;
    char s1[32], s2[32], s3[32], d[16];
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: gaps [--as-of NGÀY] [--json]",
                       "usage: gaps [--as-of DATE] [--json]");

    if (rc)
        return rc;
    rc = reg_date(cli, as_of_s, "--as-of", &as_of);
    if (rc)
        return rc;
    if (cov_open(cli, &c))
        return 1;
    rc = live_markers(cli, &mk, &nm, &live, &nl);
    if (!rc && bp_coverage_gaps(&c.in, as_of, &g, &n, &err))
        rc = cli_fail(cli, &err);
    if (rc)
        goto out;
    if (cli->json)
        a = json_array();
    else
        printf("%s %s: %zu %s\n", L(cli, "Tính đến ngày", "As of"),
               reg_date_vi(cli, as_of, d), n,
               L(cli, "đoạn chưa có ai ký nhận tự quản",
                 "stretches nobody has pledged"));
    for (i = 0; i < n; i++) {
        const char *mb =
            g[i].marker_before >= 0 && (size_t)g[i].marker_before < nl
                ? live[g[i].marker_before]->number
                : NULL;
        const char *ma =
            g[i].marker_after >= 0 && (size_t)g[i].marker_after < nl
                ? live[g[i].marker_after]->number
                : NULL;
        const struct bp_commune *cm =
            g[i].commune >= 0 && (size_t)g[i].commune < c.ncommunes
                ? &c.communes[g[i].commune]
                : NULL;
        total += g[i].to_m - g[i].from_m;
        if (a) {
            json_array_append_new(
                a,
                json_pack("{s:f,s:f,s:f,s:o,s:o,s:o,s:o}", "from_m",
                          g[i].from_m, "to_m", g[i].to_m, "length_m",
                          g[i].to_m - g[i].from_m, "marker_before",
                          reg_json_str(mb), "marker_after", reg_json_str(ma),
                          "commune", reg_json_str(cm ? cm->code : NULL),
                          "commune_name", reg_json_str(cm ? cm->name : NULL)));
            continue;
        }
        printf("  km %s – %s (%s km)", cli_km(cli, g[i].from_m, s1, sizeof(s1)),
               cli_km(cli, g[i].to_m, s2, sizeof(s2)),
               cli_km(cli, g[i].to_m - g[i].from_m, s3, sizeof(s3)));
        printf(", %s %s %s %s", L(cli, "giữa mốc", "between markers"),
               mb ? mb : "—", L(cli, "và", "and"), ma ? ma : "—");
        if (cm)
            printf(", %s (%s)", cm->name, cm->code);
        putchar('\n');
    }
    if (a)
        reg_json_print(a);
    else
        printf("%s: %s km\n", L(cli, "Tổng", "Total"),
               cli_km(cli, total, s1, sizeof(s1)));
out:
    bp_free(g);
    bp_free(live);
    bp_store_marker_list_free(mk, nm);
    cov_close(&c);
    return rc;
}

int cmd_overlaps(struct cli *cli, int argc, char **argv)
{
    const char *as_of_s = NULL;
    const struct reg_opt opts[] = {{"--as-of", &as_of_s, NULL},
                                   {NULL, NULL, NULL}};
    struct cov_ctx c;
    struct bp_overlap *ov = NULL;
    struct bp_pledge *p = NULL;
    struct bp_custodian *cu = NULL;
    struct bp_store *st;
    struct bp_error err = {0};
    size_t n = 0, np = 0, nc = 0, i, j, k;
    json_t *a = NULL;
    int32_t as_of;
    char s1[32], s2[32], s3[32], d[16];
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: overlaps [--as-of NGÀY] [--json]",
                       "usage: overlaps [--as-of DATE] [--json]");

    if (rc)
        return rc;
    rc = reg_date(cli, as_of_s, "--as-of", &as_of);
    if (rc)
        return rc;
    if (cov_open(cli, &c))
        return 1;
    if (cli_store(cli, &st))
        rc = 1;
    else if (bp_coverage_overlaps(&c.in, as_of, &ov, &n, &err) ||
             bp_store_pledge_list(st, &p, &np, &err) ||
             bp_store_custodian_list(st, &cu, &nc, &err))
        rc = cli_fail(cli, &err);
    if (rc)
        goto out;
    if (cli->json)
        a = json_array();
    else
        printf("%s %s: %zu %s\n", L(cli, "Tính đến ngày", "As of"),
               reg_date_vi(cli, as_of, d), n,
               L(cli, "đoạn có nhiều hộ/tập thể cùng ký nhận",
                 "stretches pledged by several custodians"));
    for (i = 0; i < n; i++) {
        json_t *names = a ? json_array() : NULL;
        /* Name the custodians from the pledges covering the stretch: the
         * coverage views carry indices, not ids. */
        if (!a)
            printf("  km %s – %s (%s km):",
                   cli_km(cli, ov[i].from_m, s1, sizeof(s1)),
                   cli_km(cli, ov[i].to_m, s2, sizeof(s2)),
                   cli_km(cli, ov[i].to_m - ov[i].from_m, s3, sizeof(s3)));
        for (j = 0; j < np; j++) {
            const char *name = NULL;
            if (!bp_active_on(p[j].signed_on, p[j].ended_on, as_of) ||
                p[j].from.measure_m >= ov[i].to_m ||
                p[j].to.measure_m <= ov[i].from_m)
                continue;
            for (k = 0; k < j; k++)
                if (!strcmp(p[k].custodian_id, p[j].custodian_id) &&
                    bp_active_on(p[k].signed_on, p[k].ended_on, as_of) &&
                    p[k].from.measure_m < ov[i].to_m &&
                    p[k].to.measure_m > ov[i].from_m)
                    break;
            if (k < j)
                continue; /* this custodian is named already */
            for (k = 0; k < nc && !name; k++)
                if (!strcmp(cu[k].id, p[j].custodian_id))
                    name = cu[k].name;
            if (names)
                json_array_append_new(
                    names, json_pack("{s:s,s:o}", "id", p[j].custodian_id,
                                     "name", reg_json_str(name)));
            else
                printf(" %s;", name ? name : p[j].custodian_id);
        }
        if (a)
            json_array_append_new(
                a, json_pack("{s:f,s:f,s:f,s:o}", "from_m", ov[i].from_m,
                             "to_m", ov[i].to_m, "length_m",
                             ov[i].to_m - ov[i].from_m, "custodians", names));
        else
            putchar('\n');
    }
    if (a)
        reg_json_print(a);
out:
    bp_overlaps_free(ov, n);
    bp_store_pledge_list_free(p, np);
    bp_store_custodian_list_free(cu, nc);
    cov_close(&c);
    return rc;
}

int cmd_export(struct cli *cli, int argc, char **argv)
{
    const char *pos[1] = {NULL}, *format = "csv", *out = NULL, *as_of_s = NULL;
    const struct reg_opt opts[] = {{"--format", &format, NULL},
                                   {"--out", &out, NULL},
                                   {"--as-of", &as_of_s, NULL},
                                   {NULL, NULL, NULL}};
    enum bp_exchange_kind kind;
    enum bp_export_format fmt;
    struct bp_buf buf = BP_BUF_INIT;
    struct bp_error err = {0};
    struct bp_store *st;
    int32_t as_of;
    FILE *fp = stdout;
    int rc = reg_parse(cli, argc, argv, opts, pos, 1,
                       "cách dùng: export stations|communes|villages|markers|"
                       "custodians|pledges|gaps [--format csv|geojson] "
                       "[--out TỆP]",
                       "usage: export stations|communes|villages|markers|"
                       "custodians|pledges|gaps [--format csv|geojson] "
                       "[--out FILE]");

    if (rc)
        return rc;
    if (bp_exchange_kind_parse(pos[0], &kind))
        return cli_usage(cli,
                         "loại dữ liệu: stations, communes, villages, "
                         "markers, custodians, pledges, gaps",
                         "kinds: stations, communes, villages, markers, "
                         "custodians, pledges, gaps");
    if (!strcmp(format, "csv"))
        fmt = BP_FMT_CSV;
    else if (!strcmp(format, "geojson"))
        fmt = BP_FMT_GEOJSON;
    else
        return cli_usage(cli, "--format csv hoặc geojson",
                         "--format csv or geojson");
    rc = reg_date(cli, as_of_s, "--as-of", &as_of);
    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_export(st, kind, fmt, as_of, &buf, &err)) {
        bp_buf_release(&buf);
        return cli_fail(cli, &err);
    }
    if (out && !(fp = fopen(out, "wb"))) {
        bp_error_set_at(&err, BP_EIO, out, 0, NULL, "cannot write the file");
        bp_buf_release(&buf);
        return cli_fail(cli, &err);
    }
    if (fwrite(buf.data, 1, buf.len, fp) != buf.len)
        rc = 1;
    if (fp != stdout && fclose(fp))
        rc = 1;
    if (rc) {
        bp_error_set_at(&err, BP_EIO, out ? out : "stdout", 0, NULL,
                        "write failed");
        cli_fail(cli, &err);
    }
    bp_buf_release(&buf);
    return rc;
}
