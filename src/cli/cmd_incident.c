/* SPDX-License-Identifier: MIT */
/*
 * bienphong inspection and incident: marker inspections (added one by one
 * or imported from CSV; fixes far from the marker flagged) and incidents
 * along the border with their status history.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "bienphong/alloc.h"
#include "bienphong/csv.h"
#include "bienphong/date.h"
#include "bienphong/gpx.h"
#include "cli/cli.h"
#include "cli/cli_patrol.h"
#include "cli/cli_registry.h"

static int parse_fix(struct cli *cli, const char *lon, const char *lat,
                     double *x, double *y)
{
    *x = *y = NAN;
    if (!lon && !lat)
        return 0;
    if (!lon || !lat || bp_parse_decimal(lon, x) ||
        bp_parse_decimal(lat, y))
        return cli_usage(cli, "--lon và --lat phải đi cùng nhau, là số",
                         "--lon and --lat go together, as numbers");
    return 0;
}

static json_t *inspection_json(const struct bp_inspection *r)
{
    return json_pack("{s:s,s:s,s:o,s:s,s:o,s:o,s:o,s:b,s:o,s:o,s:o,s:o}",
                     "id", r->id, "marker", r->marker, "date",
                     reg_json_date(r->day), "condition",
                     bp_condition_name(r->condition), "lon",
                     isfinite(r->lon) ? json_real(r->lon) : json_null(),
                     "lat",
                     isfinite(r->lat) ? json_real(r->lat) : json_null(),
                     "distance_m",
                     isfinite(r->distance_m) ? json_real(r->distance_m)
                                             : json_null(),
                     "far", r->far, "inspectors",
                     reg_json_str(r->inspectors), "photo",
                     reg_json_str(r->photo), "note", reg_json_str(r->note),
                     "patrol_id", reg_json_str(r->patrol_id));
}

static void print_inspection(struct cli *cli, const struct bp_inspection *r)
{
    char d[16];

    printf("%s  %s %-9s %s", reg_date_vi(cli, r->day, d),
           L(cli, "mốc", "marker"), r->marker,
           cli->lang == BP_LANG_VI ? bp_condition_vi(r->condition)
                                   : bp_condition_name(r->condition));
    if (isfinite(r->distance_m))
        printf(" (%s %.0f m)", L(cli, "cách mốc", "from marker"),
               r->distance_m);
    if (r->far)
        printf(" [%s]", L(cli, "xa mốc, cần xem lại", "far from the "
                                                      "marker: check"));
    if (r->inspectors)
        printf("  %s", r->inspectors);
    if (r->note)
        printf("  — %s", r->note);
    putchar('\n');
}

static int inspection_add(struct cli *cli, int argc, char **argv)
{
    const char *marker = NULL, *date = NULL, *cond = NULL, *lon = NULL,
               *lat = NULL, *who = NULL, *photo = NULL, *note = NULL,
               *radius = NULL;
    const struct reg_opt opts[] = {
        {"--marker", &marker, NULL}, {"--date", &date, NULL},
        {"--condition", &cond, NULL}, {"--lon", &lon, NULL},
        {"--lat", &lat, NULL},       {"--inspectors", &who, NULL},
        {"--photo", &photo, NULL},   {"--note", &note, NULL},
        {"--radius", &radius, NULL}, {NULL, NULL, NULL}};
    struct bp_inspection r;
    struct bp_error err = {0};
    struct bp_store *st;
    double rad = 30;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: inspection add --marker MỐC --condition "
                       "TÌNH_TRẠNG [--date NGÀY] [--lon X --lat Y] "
                       "[--inspectors TÊN] [--photo TỆP] [--note GHI_CHÚ] "
                       "[--radius M]",
                       "usage: inspection add --marker M --condition C "
                       "[--date D] [--lon X --lat Y] [--inspectors NAMES] "
                       "[--photo FILE] [--note TEXT] [--radius M]");

    memset(&r, 0, sizeof(r));
    if (rc)
        return rc;
    if (!marker || !cond)
        return cli_usage(cli, "cần --marker và --condition",
                         "--marker and --condition are required");
    if (bp_condition_parse(cond, &r.condition) ||
        r.condition == BP_COND_VISIT)
        return cli_usage(cli,
                         "--condition: nguyên vẹn, hư hỏng, nghiêng, bị che "
                         "khuất, mất, di lệch",
                         "--condition: intact, damaged, tilted, obscured, "
                         "missing, displaced");
    if ((rc = reg_date(cli, date, "--date", &r.day)) ||
        (rc = parse_fix(cli, lon, lat, &r.lon, &r.lat)))
        return rc;
    if (radius && (bp_parse_decimal(radius, &rad) || rad < 0))
        return cli_usage(cli, "--radius: số mét", "--radius: metres");
    snprintf(r.marker, sizeof(r.marker), "%s", marker);
    r.inspectors = (char *)who;
    r.photo = (char *)photo;
    r.note = (char *)note;
    if (cli_store(cli, &st))
        return 1;
    rc = bp_store_inspection_add(st, &r, rad, &err);
    if (rc)
        return cli_fail(cli, &err);
    if (cli->json)
        reg_json_print(inspection_json(&r));
    else
        print_inspection(cli, &r);
    if (r.far && !cli->json)
        fprintf(stderr, "%s: %s: %s %.0f m > %.0f m\n", cli->prog,
                L(cli, "cảnh báo", "warning"),
                L(cli, "vị trí GPS cách mốc", "the GPS fix is from the "
                                              "marker"),
                r.distance_m, rad);
    return 0;
}

static int inspection_import(struct cli *cli, int argc, char **argv)
{
    static const char *const c_marker[] = {"marker", "moc", "so_moc", NULL};
    static const char *const c_date[] = {"date", "ngay", NULL};
    static const char *const c_cond[] = {"condition", "tinh_trang", NULL};
    static const char *const c_lon[] = {"lon", "kinh_do", NULL};
    static const char *const c_lat[] = {"lat", "vi_do", NULL};
    static const char *const c_who[] = {"inspectors", "nguoi_kiem_tra",
                                        NULL};
    static const char *const c_photo[] = {"photo", "anh", NULL};
    static const char *const c_note[] = {"note", "ghi_chu", NULL};
    const char *path = NULL;
    struct bp_csv *csv = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    int cm, cd, cc, clo, cla, cw, cp, cn, rc, step;
    size_t added = 0, far = 0;

    rc = reg_parse(cli, argc, argv, NULL, &path, 1,
                   "cách dùng: inspection import TỆP.csv",
                   "usage: inspection import FILE.csv");
    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_csv_open(path, NULL, &csv, &err))
        return cli_fail(cli, &err);
    cm = bp_csv_col(csv, c_marker);
    cd = bp_csv_col(csv, c_date);
    cc = bp_csv_col(csv, c_cond);
    clo = bp_csv_col(csv, c_lon);
    cla = bp_csv_col(csv, c_lat);
    cw = bp_csv_col(csv, c_who);
    cp = bp_csv_col(csv, c_photo);
    cn = bp_csv_col(csv, c_note);
    if (cm < 0 || cd < 0 || cc < 0) {
        bp_error_set_at(&err, BP_EPARSE, path, 1, NULL,
                        "the columns marker, date and condition are "
                        "required (cần cột moc, ngay, tinh_trang)");
        bp_csv_close(csv);
        return cli_fail(cli, &err);
    }
    if (bp_store_begin(st, &err)) {
        bp_csv_close(csv);
        return cli_fail(cli, &err);
    }
    while ((step = bp_csv_next(csv, &err)) > 0) {
        struct bp_inspection r;
        const char *lo = clo >= 0 ? bp_csv_field(csv, (size_t)clo) : "";
        const char *la = cla >= 0 ? bp_csv_field(csv, (size_t)cla) : "";
        long row = bp_csv_row(csv);

        memset(&r, 0, sizeof(r));
        r.lon = r.lat = NAN;
        snprintf(r.marker, sizeof(r.marker), "%s",
                 bp_csv_field(csv, (size_t)cm));
        if (bp_date_parse(bp_csv_field(csv, (size_t)cd), &r.day)) {
            rc = bp_error_set_at(&err, BP_EPARSE, path, row, "date",
                                 "'%s' is not a date",
                                 bp_csv_field(csv, (size_t)cd));
            break;
        }
        if (bp_condition_parse(bp_csv_field(csv, (size_t)cc), &r.condition) ||
            r.condition == BP_COND_VISIT) {
            rc = bp_error_set_at(&err, BP_EPARSE, path, row, "condition",
                                 "'%s' is not a condition (nguyên vẹn, hư "
                                 "hỏng, nghiêng, bị che khuất, mất, di lệch)",
                                 bp_csv_field(csv, (size_t)cc));
            break;
        }
        if (*lo && *la &&
            (bp_parse_decimal(lo, &r.lon) || bp_parse_decimal(la, &r.lat))) {
            rc = bp_error_set_at(&err, BP_EPARSE, path, row, "lon",
                                 "'%s, %s' is not a position", lo, la);
            break;
        }
        r.inspectors = cw >= 0 && *bp_csv_field(csv, (size_t)cw)
                           ? (char *)bp_csv_field(csv, (size_t)cw)
                           : NULL;
        r.photo = cp >= 0 && *bp_csv_field(csv, (size_t)cp)
                      ? (char *)bp_csv_field(csv, (size_t)cp)
                      : NULL;
        r.note = cn >= 0 && *bp_csv_field(csv, (size_t)cn)
                     ? (char *)bp_csv_field(csv, (size_t)cn)
                     : NULL;
        rc = bp_store_inspection_add(st, &r, 30, &err);
        if (rc) {
            err.row = row;
            snprintf(err.file, sizeof(err.file), "%s", path);
            break;
        }
        added++;
        far += (size_t)r.far;
    }
    if (step < 0)
        rc = step;
    bp_csv_close(csv);
    if (rc) {
        bp_store_rollback(st);
        return cli_fail(cli, &err);
    }
    if (bp_store_commit(st, &err))
        return cli_fail(cli, &err);
    printf("%s: %zu, %s: %zu\n", L(cli, "Đã nhập", "Imported"), added,
           L(cli, "xa mốc (cần xem lại)", "far from the marker (check)"),
           far);
    return 0;
}

static int inspection_list(struct cli *cli, int argc, char **argv)
{
    const char *marker = NULL;
    int visits = 0, csv = 0;
    const struct reg_opt opts[] = {{"--marker", &marker, NULL},
                                   {"--visits", NULL, &visits},
                                   {"--csv", NULL, &csv},
                                   {NULL, NULL, NULL}};
    struct bp_inspection *v = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t n = 0, i;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: inspection list [--marker MỐC] "
                       "[--visits] [--csv] [--json]",
                       "usage: inspection list [--marker M] [--visits] "
                       "[--csv] [--json]");

    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_inspection_list(st, marker, visits, &v, &n, &err))
        return cli_fail(cli, &err);
    if (cli->json) {
        json_t *a = json_array();
        for (i = 0; i < n; i++)
            json_array_append_new(a, inspection_json(&v[i]));
        reg_json_print(a);
    } else if (csv) {
        struct bp_buf b = BP_BUF_INIT;
        struct bp_csv_writer w;
        const char *h[] = {"id", "moc", "ngay", "tinh_trang", "cach_moc_m",
                           "xa_moc", "nguoi_kiem_tra", "ghi_chu"};
        bp_csv_writer_init(&w, &b, ',');
        bp_csv_write_bom(&w);
        bp_csv_write_row(&w, h, 8);
        for (i = 0; i < n; i++) {
            char d[16], dist[32];
            const char *row[8];
            snprintf(dist, sizeof(dist), "%.1f", v[i].distance_m);
            row[0] = v[i].id;
            row[1] = v[i].marker;
            row[2] = bp_date_format_iso(v[i].day, d);
            row[3] = bp_condition_vi(v[i].condition);
            row[4] = isfinite(v[i].distance_m) ? dist : "";
            row[5] = v[i].far ? "1" : "0";
            row[6] = v[i].inspectors;
            row[7] = v[i].note;
            bp_csv_write_row(&w, row, 8);
        }
        rc = pat_write_out(cli, NULL, &b);
        bp_buf_release(&b);
    } else {
        for (i = 0; i < n; i++)
            print_inspection(cli, &v[i]);
        printf("%zu %s\n", n, L(cli, "lần kiểm tra", "inspections"));
    }
    bp_store_inspection_list_free(v, n);
    return rc;
}

static const struct cli_cmd inspection_cmds[] = {
    {"add", inspection_add, "ghi một lần kiểm tra mốc",
     "record a marker inspection"},
    {"import", inspection_import, "nhập các lần kiểm tra từ CSV",
     "import inspections from CSV"},
    {"list", inspection_list, "danh sách các lần kiểm tra",
     "list inspections"},
    {NULL, NULL, NULL, NULL},
};

int cmd_inspection(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, inspection_cmds, "inspection", argc - 1,
                        argv + 1);
}

/* ---- incidents ---- */

static int parse_when(struct cli *cli, const char *s, int64_t *at_s)
{
    int64_t ms;
    int32_t day;

    if (!s) {
        *at_s = (int64_t)time(NULL);
        return 0;
    }
    if (!bp_time_parse(s, strlen(s), &ms)) {
        *at_s = ms / 1000;
        return 0;
    }
    if (!bp_date_parse(s, &day)) {
        *at_s = (int64_t)day * 86400 - BP_LOCAL_UTC_OFFSET_S + 12 * 3600;
        return 0;
    }
    return cli_usage(cli, "--time: 2024-03-03T08:30:00+07:00 hoặc ngày",
                     "--time: 2024-03-03T08:30:00+07:00 or a date");
}

static json_t *incident_json(const struct bp_incident *r)
{
    char tm[32];

    return json_pack("{s:s,s:s,s:s,s:f,s:f,s:o,s:f,s:f,s:o,s:o,s:i,s:s,s:o,"
                     "s:o}",
                     "id", r->id, "kind", bp_incident_kind_name(r->kind),
                     "time", bp_time_format(r->at_s * 1000, tm), "lon",
                     r->lon, "lat", r->lat, "marker",
                     reg_json_str(r->marker), "offset_m", r->offset_m,
                     "measure_m", isfinite(r->measure_m) ? r->measure_m : 0.0,
                     "reporter_custodian",
                     reg_json_str(r->reporter_custodian), "reporter_patrol",
                     reg_json_str(r->reporter_patrol), "severity",
                     r->severity, "status",
                     bp_incident_status_name(r->status), "description",
                     reg_json_str(r->description), "resolution",
                     reg_json_str(r->resolution));
}

static void print_incident(struct cli *cli, const struct bp_incident *r)
{
    char d[16], km[32];

    printf("%s  %s  %-20s  %s %s  %s %d  %s", r->id,
           reg_date_vi(cli, bp_date_of_instant(r->at_s), d),
           cli->lang == BP_LANG_VI ? bp_incident_kind_vi(r->kind)
                                   : bp_incident_kind_name(r->kind),
           "km", cli_km(cli, r->measure_m, km, sizeof(km)),
           L(cli, "mức", "severity"), r->severity,
           cli->lang == BP_LANG_VI ? bp_incident_status_vi(r->status)
                                   : bp_incident_status_name(r->status));
    if (r->marker[0])
        printf("  (%s %s%+.0f m)", L(cli, "mốc", "marker"), r->marker,
               r->offset_m);
    putchar('\n');
}

static int incident_add(struct cli *cli, int argc, char **argv)
{
    const char *kind = NULL, *when = NULL, *lon = NULL, *lat = NULL,
               *marker = NULL, *offset = NULL, *reporter = NULL,
               *patrol = NULL, *sev = NULL, *note = NULL, *status = NULL;
    const struct reg_opt opts[] = {
        {"--kind", &kind, NULL},         {"--time", &when, NULL},
        {"--lon", &lon, NULL},           {"--lat", &lat, NULL},
        {"--marker", &marker, NULL},     {"--offset", &offset, NULL},
        {"--reporter", &reporter, NULL}, {"--patrol", &patrol, NULL},
        {"--severity", &sev, NULL},      {"--note", &note, NULL},
        {"--status", &status, NULL},     {NULL, NULL, NULL}};
    struct bp_incident r;
    struct bp_error err = {0};
    struct bp_store *st;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: incident add --kind LOẠI [--time THỜI_GIAN]"
                       " (--lon X --lat Y | --marker MỐC [--offset M]) "
                       "[--reporter ID_HỘ] [--patrol ID] [--severity 1-5] "
                       "[--note MÔ_TẢ]",
                       "usage: incident add --kind K [--time T] (--lon X "
                       "--lat Y | --marker M [--offset M]) [--reporter ID] "
                       "[--patrol ID] [--severity 1-5] [--note TEXT]");

    memset(&r, 0, sizeof(r));
    if (rc)
        return rc;
    if (!kind || bp_incident_kind_parse(kind, &r.kind))
        return cli_usage(cli,
                         "--kind: vượt biên trái phép, buôn lậu, xâm canh "
                         "xâm cư, hư hại mốc, cháy rừng, khác",
                         "--kind: crossing, smuggling, encroachment, "
                         "marker_damage, fire, other");
    if (status && bp_incident_status_parse(status, &r.status))
        return cli_usage(cli, "--status: mới, đang xử lý, đã xử lý",
                         "--status: new, in_progress, resolved");
    if ((rc = parse_when(cli, when, &r.at_s)) ||
        (rc = parse_fix(cli, lon, lat, &r.lon, &r.lat)))
        return rc;
    r.severity = 2;
    if (sev && (r.severity = atoi(sev)) == 0)
        r.severity = -1;
    if (offset && bp_parse_decimal(offset, &r.offset_m))
        return cli_usage(cli, "--offset: số mét", "--offset: metres");
    if (marker)
        snprintf(r.marker, sizeof(r.marker), "%s", marker);
    if (reporter)
        snprintf(r.reporter_custodian, sizeof(bp_uuid), "%s", reporter);
    if (patrol)
        snprintf(r.reporter_patrol, sizeof(bp_uuid), "%s", patrol);
    r.description = (char *)note;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_incident_add(st, &r, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        reg_json_print(incident_json(&r));
    else
        print_incident(cli, &r);
    return 0;
}

static int incident_list(struct cli *cli, int argc, char **argv)
{
    const char *status = NULL;
    int csv = 0;
    const struct reg_opt opts[] = {{"--status", &status, NULL},
                                   {"--csv", NULL, &csv},
                                   {NULL, NULL, NULL}};
    enum bp_incident_status sv = BP_INC_NEW;
    struct bp_incident *v = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t n = 0, i;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: incident list [--status TRẠNG_THÁI] "
                       "[--csv] [--json]",
                       "usage: incident list [--status S] [--csv] [--json]");

    if (rc)
        return rc;
    if (status && bp_incident_status_parse(status, &sv))
        return cli_usage(cli, "--status: mới, đang xử lý, đã xử lý",
                         "--status: new, in_progress, resolved");
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_incident_list(st, status ? (int)sv : -1, &v, &n, &err))
        return cli_fail(cli, &err);
    if (cli->json) {
        json_t *a = json_array();
        for (i = 0; i < n; i++)
            json_array_append_new(a, incident_json(&v[i]));
        reg_json_print(a);
    } else if (csv) {
        struct bp_buf b = BP_BUF_INIT;
        struct bp_csv_writer w;
        const char *h[] = {"id",    "loai",   "thoi_gian", "kinh_do",
                           "vi_do", "km",     "muc_do",    "trang_thai",
                           "mo_ta", "ket_qua"};
        bp_csv_writer_init(&w, &b, ',');
        bp_csv_write_bom(&w);
        bp_csv_write_row(&w, h, 10);
        for (i = 0; i < n; i++) {
            char tm[32], lo[32], la[32], km[32], sv2[8];
            const char *row[10];
            snprintf(lo, sizeof(lo), "%.7f", v[i].lon);
            snprintf(la, sizeof(la), "%.7f", v[i].lat);
            snprintf(km, sizeof(km), "%.3f", v[i].measure_m / 1000);
            snprintf(sv2, sizeof(sv2), "%d", v[i].severity);
            row[0] = v[i].id;
            row[1] = bp_incident_kind_vi(v[i].kind);
            row[2] = bp_time_format(v[i].at_s * 1000, tm);
            row[3] = lo;
            row[4] = la;
            row[5] = km;
            row[6] = sv2;
            row[7] = bp_incident_status_vi(v[i].status);
            row[8] = v[i].description;
            row[9] = v[i].resolution;
            bp_csv_write_row(&w, row, 10);
        }
        rc = pat_write_out(cli, NULL, &b);
        bp_buf_release(&b);
    } else {
        for (i = 0; i < n; i++)
            print_incident(cli, &v[i]);
        printf("%zu %s\n", n, L(cli, "vụ việc", "incidents"));
    }
    bp_store_incident_list_free(v, n);
    return rc;
}

static int incident_show(struct cli *cli, int argc, char **argv)
{
    const char *id = NULL;
    struct bp_incident r;
    struct bp_incident_event *ev = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t n = 0, i;
    char tm[32];
    int rc = reg_parse(cli, argc, argv, NULL, &id, 1,
                       "cách dùng: incident show ID [--json]",
                       "usage: incident show ID [--json]");

    memset(&r, 0, sizeof(r));
    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_incident_get(st, id, &r, &ev, &n, &err))
        return cli_fail(cli, &err);
    if (cli->json) {
        json_t *o = incident_json(&r), *a = json_array();
        for (i = 0; i < n; i++)
            json_array_append_new(
                a, json_pack("{s:s,s:s,s:o}", "time",
                             bp_time_format(ev[i].at_s * 1000, tm), "status",
                             bp_incident_status_name(ev[i].status), "note",
                             reg_json_str(ev[i].note)));
        json_object_set_new(o, "history", a);
        reg_json_print(o);
    } else {
        print_incident(cli, &r);
        if (r.description)
            printf("  %s: %s\n", L(cli, "mô tả", "description"),
                   r.description);
        if (r.resolution)
            printf("  %s: %s\n", L(cli, "kết quả xử lý", "resolution"),
                   r.resolution);
        for (i = 0; i < n; i++)
            printf("  %s  %s%s%s\n", bp_time_format(ev[i].at_s * 1000, tm),
                   cli->lang == BP_LANG_VI
                       ? bp_incident_status_vi(ev[i].status)
                       : bp_incident_status_name(ev[i].status),
                   ev[i].note ? " — " : "", ev[i].note ? ev[i].note : "");
    }
    bp_incident_events_free(ev, n);
    bp_incident_release(&r);
    return 0;
}

static int incident_update(struct cli *cli, int argc, char **argv)
{
    const char *id = NULL, *status = NULL, *note = NULL, *res = NULL,
               *when = NULL;
    const struct reg_opt opts[] = {{"--status", &status, NULL},
                                   {"--note", &note, NULL},
                                   {"--resolution", &res, NULL},
                                   {"--time", &when, NULL},
                                   {NULL, NULL, NULL}};
    enum bp_incident_status sv;
    struct bp_error err = {0};
    struct bp_store *st;
    int64_t at = 0;
    int rc = reg_parse(cli, argc, argv, opts, &id, 1,
                       "cách dùng: incident update ID --status TRẠNG_THÁI "
                       "[--note GHI_CHÚ] [--resolution KẾT_QUẢ] [--time T]",
                       "usage: incident update ID --status S [--note TEXT] "
                       "[--resolution TEXT] [--time T]");

    if (rc)
        return rc;
    if (!status || bp_incident_status_parse(status, &sv))
        return cli_usage(cli, "--status: mới, đang xử lý, đã xử lý",
                         "--status: new, in_progress, resolved");
    if ((rc = parse_when(cli, when, &at)))
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_incident_update(st, id, sv, at, note, res, &err))
        return cli_fail(cli, &err);
    printf("%s: %s\n", L(cli, "Đã cập nhật", "Updated"),
           cli->lang == BP_LANG_VI ? bp_incident_status_vi(sv)
                                   : bp_incident_status_name(sv));
    return 0;
}

static const struct cli_cmd incident_cmds[] = {
    {"add", incident_add, "ghi một vụ việc", "record an incident"},
    {"list", incident_list, "danh sách vụ việc", "list incidents"},
    {"show", incident_show, "xem vụ việc và diễn biến xử lý",
     "show an incident and its history"},
    {"update", incident_update, "cập nhật trạng thái xử lý",
     "update an incident's status"},
    {NULL, NULL, NULL, NULL},
};

int cmd_incident(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, incident_cmds, "incident", argc - 1, argv + 1);
}
