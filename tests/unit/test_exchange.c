/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the exchange module: stretch-end parsing, CSV imports with
 * Vietnamese and English headers, every kind of bad row listed with its
 * row and field, all-or-nothing imports, files in Windows-1258 and TCVN3,
 * GeoJSON markers, the re-survey after moved markers, and exports.
 */
#include <iconv.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/exchange.h"
#include "bienphong/store.h"
#include "store/store_sqlite_int.h"

/* A province on the equator: 1 degree of longitude, official 100 km, so
 * longitude x is at measure x * 100 km. Stations BN and TD; communes X1
 * [0, 40 km) and X2 [40, 100 km); villages "Bản Đuốc" (X1) and "Thôn Nà
 * Sla" (X2); markers 100..105 at km 10, 20, 30, 50, 70, 90. */
struct fx {
    char dir[64];
    char path[128];
    struct bp_store *st;
};

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    fclose(fp);
}

static const char *fpath(struct fx *f, const char *name)
{
    static char buf[256];

    snprintf(buf, sizeof(buf), "%s/%s", f->dir, name);
    return buf;
}

static int setup(void **state)
{
    static const struct bp_lonlat line[] = {{0, 0}, {1, 0}};
    static const double marker_lon[] = {0.1, 0.2, 0.3, 0.5, 0.7, 0.9};
    struct fx *f = calloc(1, sizeof(*f));
    struct bp_border_record rec = {0};
    struct bp_error err = {0};
    struct bp_station s = {0};
    struct bp_commune c = {0};
    struct bp_village v = {0};
    bp_uuid x1, x2;
    char num[8];
    int i;

    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/bp_exchange_XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/t.sqlite", f->dir);
    assert_int_equal(bp_store_open(f->path, &f->st, &err), 0);
    rec.pts = (struct bp_lonlat *)line;
    rec.n = 2;
    rec.official_m = 100000;
    assert_int_equal(bp_store_border_save(f->st, &rec, &err), 0);

    s.code = (char *)"BN";
    s.name = (char *)"Đồn Biên phòng Bình Nghi";
    s.ended_on = BP_DATE_NONE;
    assert_int_equal(bp_store_station_put(f->st, &s, &err), 0);
    for (i = 0; i < 6; i++) {
        struct bp_marker m = {0};
        snprintf(num, sizeof(num), "%d", 100 + i);
        m.number = num;
        m.lon = marker_lon[i];
        m.lat = 0.001;
        m.official_m = NAN;
        m.ended_on = BP_DATE_NONE;
        assert_int_equal(bp_store_marker_put(f->st, &m, &err), 0);
    }
    c.code = (char *)"X1";
    c.name = (char *)"Xã Đào Viên";
    c.from.measure_m = 0;
    c.to.measure_m = 40000;
    c.ended_on = BP_DATE_NONE;
    memcpy(c.station_id, s.id, sizeof(c.station_id));
    assert_int_equal(bp_store_commune_put(f->st, &c, &err), 0);
    memcpy(x1, c.id, sizeof(x1));
    memset(c.id, 0, sizeof(c.id));
    c.code = (char *)"X2";
    c.name = (char *)"Xã Quốc Khánh";
    c.from.measure_m = 40000;
    c.to.measure_m = 100000;
    assert_int_equal(bp_store_commune_put(f->st, &c, &err), 0);
    memcpy(x2, c.id, sizeof(x2));
    v.name = (char *)"Bản Đuốc";
    memcpy(v.commune_id, x1, sizeof(v.commune_id));
    v.ended_on = BP_DATE_NONE;
    assert_int_equal(bp_store_village_put(f->st, &v, &err), 0);
    memset(v.id, 0, sizeof(v.id));
    v.name = (char *)"Thôn Nà Sla";
    memcpy(v.commune_id, x2, sizeof(v.commune_id));
    assert_int_equal(bp_store_village_put(f->st, &v, &err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char cmd[160];

    bp_store_close(f->st);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", f->dir);
    free(f);
    return 0;
}

static size_t count_custodians(struct fx *f)
{
    struct bp_custodian *v = NULL;
    size_t n = 0;

    assert_int_equal(bp_store_custodian_list(f->st, &v, &n, NULL), 0);
    bp_store_custodian_list_free(v, n);
    return n;
}

static size_t count_pledges(struct fx *f)
{
    struct bp_pledge *v = NULL;
    size_t n = 0;

    assert_int_equal(bp_store_pledge_list(f->st, &v, &n, NULL), 0);
    bp_store_pledge_list_free(v, n);
    return n;
}

/* ---- anchors ---- */

static void test_anchor_parse(void **state)
{
    static const struct {
        const char *in;
        const char *key;
        double offset_m;
    } ok[] = {
        {"1120+350", "1120", 350},  {"1120 + 350 m", "1120", 350},
        {"mốc 1120", "1120", 0},    {"Mốc 1120 + 350m", "1120", 350},
        {"1120-200", "1120", -200}, {"1116/1 + 20,5 m", NULL, 20.5},
        {"1117(2)+15", NULL, 15},   {"  0099 ", "99", 0},
    };
    static const char *const bad[] = {"",      "+350",     "mốc",
                                      "1120+", "1120+abc", "1120 + 3x m"};
    struct bp_anchor a;
    char key[32];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        memset(&a, 0x55, sizeof(a));
        if (bp_anchor_parse(ok[i].in, &a))
            fail_msg("'%s' did not parse", ok[i].in);
        if (ok[i].key) {
            assert_string_equal(a.marker_key, ok[i].key);
        } else {
            /* The number part is keyed as bp_marker_key() keys it. */
            char num[32];
            snprintf(num, sizeof(num), "%.*s", (int)strcspn(ok[i].in, "+"),
                     ok[i].in);
            assert_int_equal(bp_marker_key(num, key, sizeof(key)), 0);
            assert_string_equal(a.marker_key, key);
        }
        if (fabs(a.offset_m - ok[i].offset_m) > 1e-9)
            fail_msg("'%s': offset %g, want %g", ok[i].in, a.offset_m,
                     ok[i].offset_m);
        assert_true(isnan(a.measure_m));
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (bp_anchor_parse(bad[i], &a) != BP_EPARSE)
            fail_msg("'%s' parsed but should not", bad[i]);

    assert_int_equal(bp_anchor_parse_km("80,350", &a), 0);
    assert_float_equal(a.measure_m, 80350, 1e-6);
    assert_string_equal(a.marker_key, "");
    assert_int_equal(bp_anchor_parse_km("km 80.35", &a), 0);
    assert_float_equal(a.measure_m, 80350, 1e-6);
    assert_int_equal(bp_anchor_parse_km("tám mươi", &a), BP_EPARSE);
}

static void test_anchor_resolve(void **state)
{
    struct fx *f = *state;
    struct bp_marker *m = NULL;
    struct bp_anchor a;
    size_t n = 0;

    assert_int_equal(bp_store_marker_list(f->st, &m, &n, NULL), 0);
    assert_int_equal(n, 6);
    assert_int_equal(bp_anchor_parse("101+500", &a), 0);
    assert_int_equal(bp_anchor_resolve(&a, m, n), 0);
    assert_float_equal(a.measure_m, 20500, 0.01);
    assert_int_equal(bp_anchor_parse("999", &a), 0);
    assert_int_equal(bp_anchor_resolve(&a, m, n), BP_ENOTFOUND);
    bp_store_marker_list_free(m, n);
}

/* ---- imports ---- */

static const char ho_vi[] =
    "\xEF\xBB\xBFho_ten_chu_ho,ten_tap_the,loai,thon,xa,so_nhan_khau,"
    "so_dien_thoai,cccd,tu_moc,den_moc,tu_km,den_km,ngay_ky,ngay_ket_thuc,"
    "don_bien_phong,so_van_ban,ghi_chu\r\n"
    "Đào Viên,,,Bản Đuốc,,5,0912345678,012345678901,100-500,101 + 500 m,,,"
    "03/03/2020,,BN,12/BB,ghi chú\r\n"
    "Nguyễn Văn An,,,Nà Sla,,4,,,,,15,25,2021-05-01,01/01/2023,,,\r\n"
    ",Chi đoàn Thanh niên,youth_union,,X2,,,,,,\"60,5\",80,03/03/2019,,,,\r\n"
    "Hoàng Thị Lan,,,Thôn Nà Sla,,3,,,,,,,,,,,\r\n";

static const char ho_en[] =
    "name,kind,village,commune,members,phone,citizen_id,from_marker,"
    "to_marker,from_km,to_km,signed_on,ended_on,station,doc_no,note\n"
    "Đào Viên,household,Bản Đuốc,,5,0912345678,012345678901,100-500,"
    "101+500,,,2020-03-03,,BN,12/BB,ghi chú\n"
    "Nguyễn Văn An,,Nà Sla,,4,,,,,15,25,2021-05-01,2023-01-01,,,\n"
    "Chi đoàn Thanh niên,youth_union,,X2,,,,,,60.5,80,2019-03-03,,,,\n"
    "Hoàng Thị Lan,household,Thôn Nà Sla,,3,,,,,,,,,,,\n";

static void check_imported(struct fx *f)
{
    struct bp_custodian *c = NULL;
    struct bp_pledge *p = NULL;
    struct bp_village vil = {0};
    size_t nc = 0, np = 0, i;
    const struct bp_custodian *dao = NULL, *chi = NULL;

    assert_int_equal(bp_store_custodian_list(f->st, &c, &nc, NULL), 0);
    assert_int_equal(nc, 4);
    for (i = 0; i < nc; i++) {
        if (!strcmp(c[i].name, "Đào Viên"))
            dao = &c[i];
        if (!strcmp(c[i].name, "Chi đoàn Thanh niên"))
            chi = &c[i];
    }
    assert_non_null(dao);
    assert_non_null(chi);
    assert_int_equal(dao->kind, BP_HOUSEHOLD);
    assert_int_equal(dao->members, 5);
    assert_string_equal(dao->citizen_id, "012345678901");
    assert_string_equal(dao->phone, "0912345678");
    assert_int_equal(bp_store_village_get(f->st, dao->village_id, &vil, NULL),
                     0);
    assert_string_equal(vil.name, "Bản Đuốc");
    bp_village_release(&vil);
    assert_int_equal(chi->kind, BP_COLLECTIVE);
    assert_int_equal(chi->collective_kind, BP_COLL_YOUTH_UNION);

    assert_int_equal(bp_store_pledge_list(f->st, &p, &np, NULL), 0);
    assert_int_equal(np, 3);
    /* Sorted by measure: Đào Viên, Nguyễn Văn An, Chi đoàn. */
    assert_string_equal(p[0].custodian_id, dao->id);
    assert_float_equal(p[0].from.measure_m, 9500, 0.01);
    assert_float_equal(p[0].to.measure_m, 20500, 0.01);
    assert_string_equal(p[0].from.marker_key, "100");
    assert_float_equal(p[0].from.offset_m, -500, 1e-9);
    assert_int_equal(p[0].signed_on, bp_date_from_ymd(2020, 3, 3));
    assert_int_equal(p[0].ended_on, BP_DATE_NONE);
    assert_string_equal(p[0].doc_no, "12/BB");
    assert_string_equal(p[0].note, "ghi chú");
    assert_true(p[0].station_id[0] != '\0');
    assert_float_equal(p[1].from.measure_m, 15000, 0.01);
    assert_int_equal(p[1].ended_on, bp_date_from_ymd(2023, 1, 1));
    assert_float_equal(p[2].from.measure_m, 60500, 0.01);
    assert_string_equal(p[2].custodian_id, chi->id);
    bp_store_pledge_list_free(p, np);
    bp_store_custodian_list_free(c, nc);
}

static void progress_cb(void *ctx, long rows)
{
    *(long *)ctx = rows;
}

static void test_import_vi_headers(void **state)
{
    struct fx *f = *state;
    struct bp_import_result res = {0};
    struct bp_import_opts opts = {0};
    struct bp_error err = {0};
    long last = -1;
    int rc;

    write_file(fpath(f, "ho.csv"), ho_vi, sizeof(ho_vi) - 1);
    opts.progress = progress_cb;
    opts.progress_ctx = &last;
    rc = bp_import_file(f->st, BP_X_CUSTODIANS, fpath(f, "ho.csv"), &opts, &res,
                        &err);
    if (rc)
        fail_msg("import failed: %s", err.message);
    assert_int_equal(res.rows, 4);
    assert_int_equal(res.records, 4);
    assert_int_equal(res.pledges, 3);
    assert_int_equal(res.nproblems, 0);
    assert_int_equal(last, 4);
    bp_import_result_release(&res);
    check_imported(f);
}

static void test_import_en_headers(void **state)
{
    struct fx *f = *state;
    struct bp_import_result res = {0};
    struct bp_error err = {0};
    int rc;

    write_file(fpath(f, "en.csv"), ho_en, sizeof(ho_en) - 1);
    rc = bp_import_file(f->st, BP_X_CUSTODIANS, fpath(f, "en.csv"), NULL, &res,
                        &err);
    if (rc)
        fail_msg("import failed: %s", err.message);
    assert_int_equal(res.records, 4);
    assert_int_equal(res.pledges, 3);
    bp_import_result_release(&res);
    check_imported(f);
}

static const char bad_text[] =
    "ho_ten_chu_ho,thon,xa,so_nhan_khau,cccd,tu_moc,den_moc,tu_km,den_km,"
    "ngay_ky,ngay_ket_thuc\n"
    "Người Tốt,Bản Đuốc,,2,,,,1,2,03/03/2024,\n"         /* 2: good */
    "Mốc Lạ,Bản Đuốc,,2,,999+10,100,,,03/03/2024,\n"     /* 3 */
    "Thôn Lạ,Bản Không Có,,2,,,,1,2,03/03/2024,\n"       /* 4 */
    "Xã Lạ,,XX,2,,,,1,2,03/03/2024,\n"                   /* 5 */
    "Dài Không,Bản Đuốc,,2,,,,30,30,03/03/2024,\n"       /* 6 */
    "Ngược,Bản Đuốc,,2,,,,30,20,03/03/2024,\n"           /* 7 */
    "Quá Xa,Bản Đuốc,,2,,,,90,120,03/03/2024,\n"         /* 8 */
    "Kết Sớm,Bản Đuốc,,2,,,,1,2,01/01/2022,01/01/2021\n" /* 9 */
    "Ngày Sai,Bản Đuốc,,2,,,,1,2,31/02/2021,\n"          /* 10 */
    "CCCD Sai,Bản Đuốc,,2,12345,,,1,2,03/03/2024,\n"     /* 11 */
    "Không Mốc,Bản Đuốc,,2,,100+abc,,,2,03/03/2024,\n"   /* 12 */
    "Nhân Khẩu,Bản Đuốc,,không,,,,1,2,03/03/2024,\n";    /* 13 */

/* Every kind of bad row is listed, with its row and field; nothing is
 * written, not even the good row. */
static void test_bad_rows(void **state)
{
    static const struct {
        long row;
        const char *field;
        const char *msg;
    } want[] = {
        {3, "tu_moc", "no marker '999+10'"},
        {4, "thon", "no village 'Bản Không Có'"},
        {5, "xa", "no commune with code or name 'XX'"},
        {6, "tu_km", "has zero or negative length"},
        {7, "tu_km", "from km 30.000 to km 20.000 has zero or negative"},
        {8, "tu_km", "goes beyond the border's ends (km 0 to km 100.000)"},
        {9, "ngay_ket_thuc",
         "the end date 01/01/2021 is before the signing "
         "date 01/01/2022"},
        {10, "ngay_ky", "'31/02/2021' is not a date"},
        {11, "cccd", "'12345' is not a citizen ID"},
        {12, "tu_moc", "'100+abc' is not a marker anchor"},
        {13, "so_nhan_khau", "'không' is not a number of people"},
    };
    struct fx *f = *state;
    struct bp_import_result res = {0};
    struct bp_error err = {0};
    char line[1200];
    size_t i;
    int rc;

    write_file(fpath(f, "ho.csv"), bad_text, sizeof(bad_text) - 1);
    rc = bp_import_file(f->st, BP_X_CUSTODIANS, fpath(f, "ho.csv"), NULL, &res,
                        &err);
    assert_int_equal(rc, BP_EPARSE);
    if (res.nproblems != sizeof(want) / sizeof(want[0])) {
        for (i = 0; i < res.nproblems; i++)
            fprintf(stderr, "%s\n",
                    bp_error_format(&res.problems[i], line, sizeof(line)));
        fail_msg("%zu problems, want %zu", res.nproblems,
                 sizeof(want) / sizeof(want[0]));
    }
    for (i = 0; i < res.nproblems; i++) {
        const struct bp_error *e = &res.problems[i];
        bp_error_format(e, line, sizeof(line));
        if (e->row != want[i].row || strcmp(e->field, want[i].field) ||
            !strstr(e->message, want[i].msg) || strcmp(e->file, "ho.csv"))
            fail_msg("problem %zu is '%s'; want row %ld field '%s' with "
                     "'%s'",
                     i, line, want[i].row, want[i].field, want[i].msg);
    }
    /* The error is the first problem, in the style of the whole program. */
    assert_string_equal(bp_error_format(&err, line, sizeof(line)),
                        "ho.csv: row 3: field 'tu_moc': no marker '999+10'");
    assert_int_equal(res.records, 0);
    bp_import_result_release(&res);
    assert_int_equal(count_custodians(f), 0);
    assert_int_equal(count_pledges(f), 0);
}

static void test_missing_columns(void **state)
{
    static const char text[] = "so_moc,loai\n100,main\n";
    struct fx *f = *state;
    struct bp_import_result res = {0};
    struct bp_error err = {0};

    write_file(fpath(f, "m.csv"), text, sizeof(text) - 1);
    assert_int_equal(bp_import_file(f->st, BP_X_MARKERS, fpath(f, "m.csv"),
                                    NULL, &res, &err),
                     BP_EPARSE);
    assert_int_equal(res.nproblems, 2);
    assert_int_equal(res.problems[0].row, 1);
    assert_string_equal(res.problems[0].field, "kinh_do");
    assert_string_equal(res.problems[0].message,
                        "the file has no column 'kinh_do'");
    bp_import_result_release(&res);
}

static void test_marker_duplicates(void **state)
{
    static const char text[] = "so_moc,kinh_do,vi_do\n"
                               "106,0.95,0\n"
                               "Mốc 0106,0.96,0\n"
                               "103,\"0,5\",0\n"
                               "107,200,0\n";
    struct fx *f = *state;
    struct bp_import_result res = {0};
    struct bp_error err = {0};
    struct bp_marker *m = NULL;
    size_t n = 0;

    write_file(fpath(f, "m.csv"), text, sizeof(text) - 1);
    assert_int_equal(bp_import_file(f->st, BP_X_MARKERS, fpath(f, "m.csv"),
                                    NULL, &res, &err),
                     BP_EPARSE);
    assert_int_equal(res.nproblems, 3);
    assert_int_equal(res.problems[0].row, 3);
    assert_non_null(
        strstr(res.problems[0].message, "appears twice in the file (row 2)"));
    assert_int_equal(res.problems[1].row, 4);
    assert_non_null(
        strstr(res.problems[1].message, "'103' is already in the database"));
    assert_int_equal(res.problems[2].row, 5);
    assert_string_equal(res.problems[2].field, "kinh_do");
    bp_import_result_release(&res);
    assert_int_equal(bp_store_marker_list(f->st, &m, &n, NULL), 0);
    assert_int_equal(n, 6);
    bp_store_marker_list_free(m, n);
}

static void test_commune_overlap(void **state)
{
    static const char text[] = "ma_xa,ten_xa,tu_km,den_km\n"
                               "X3,Xã Mới,100,100\n"
                               "X4,Xã Chồng,35,45\n";
    static const char only[] = "ma_xa,ten_xa,tu_km,den_km\n"
                               "X4,Xã Chồng,35,45\n";
    static const char twice[] = "ma_xa,ten_xa,tu_km,den_km\n"
                                "X1,Xã Đào Viên,0,45\n"
                                "X2,Xã Quốc Khánh,45,100\n";
    struct fx *f = *state;
    struct bp_import_result res = {0};
    struct bp_commune *c = NULL;
    struct bp_error err = {0};
    size_t n = 0;

    write_file(fpath(f, "x.csv"), text, sizeof(text) - 1);
    assert_int_equal(bp_import_file(f->st, BP_X_COMMUNES, fpath(f, "x.csv"),
                                    NULL, &res, &err),
                     BP_EPARSE);
    /* The empty stretch is found first; overlaps are checked on clean
     * files only. */
    assert_int_equal(res.nproblems, 1);
    assert_int_equal(res.problems[0].row, 2);
    bp_import_result_release(&res);

    /* X4 overlaps both stored communes: one problem for each. */
    write_file(fpath(f, "x.csv"), only, sizeof(only) - 1);
    assert_int_equal(bp_import_file(f->st, BP_X_COMMUNES, fpath(f, "x.csv"),
                                    NULL, &res, &err),
                     BP_EPARSE);
    assert_int_equal(res.nproblems, 2);
    assert_int_equal(res.problems[0].row, 2);
    assert_non_null(strstr(res.problems[0].message,
                           "the stretch of commune 'X4' overlaps commune"));
    bp_import_result_release(&res);

    /* Re-importing the communes with a moved boundary replaces them, so
     * they do not overlap their old selves. */
    write_file(fpath(f, "x.csv"), twice, sizeof(twice) - 1);
    if (bp_import_file(f->st, BP_X_COMMUNES, fpath(f, "x.csv"), NULL, &res,
                       &err))
        fail_msg("re-import failed: %s", err.message);
    bp_import_result_release(&res);
    assert_int_equal(bp_store_commune_list(f->st, &c, &n, NULL), 0);
    assert_int_equal(n, 2);
    assert_float_equal(c[0].to.measure_m, 45000, 0.01);
    bp_store_commune_list_free(c, n);
}

/* Convert UTF-8 text with iconv(3) into `to`. */
static size_t convert(const char *to, const char *in, char *out, size_t cap)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    char *ip = (char *)in, *op = out;
    size_t il = strlen(in), ol = cap;

    assert_true(cd != (iconv_t)-1);
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
        fail_msg("iconv to %s failed", to);
    iconv_close(cd);
    return cap - ol;
}

static void import_encoded(struct fx *f, const char *charset,
                           const char *enc_opt)
{
    static const char text[] =
        "họ tên chủ hộ,thôn,số nhân khẩu,ghi chú\n"
        "Đào Viên,bản đuốc,5,hộ nghèo ở đầu bản\n"
        "Nguyễn Thị Hường,thôn nà sla,4,người dân tộc Tày sống ven biên giới\n"
        "Lường Văn Quý,nà sla,3,tự quản đường biên và cột mốc\n";
    struct bp_import_result res = {0};
    struct bp_import_opts opts = {0};
    struct bp_custodian *c = NULL;
    struct bp_error err = {0};
    char buf[1024];
    size_t len = convert(charset, text, buf, sizeof(buf)), n = 0;
    int rc;

    /* The file is really not UTF-8. */
    assert_true(len != strlen(text) || memcmp(buf, text, len));
    write_file(fpath(f, "enc.csv"), buf, len);
    opts.encoding = enc_opt;
    rc = bp_import_file(f->st, BP_X_CUSTODIANS, fpath(f, "enc.csv"), &opts,
                        &res, &err);
    if (rc)
        fail_msg("%s import failed: %s", charset, err.message);
    assert_int_equal(res.records, 3);
    bp_import_result_release(&res);
    assert_int_equal(bp_store_custodian_list(f->st, &c, &n, NULL), 0);
    assert_int_equal(n, 3);
    {
        static const char *const names[] = {"Đào Viên", "Nguyễn Thị Hường",
                                            "Lường Văn Quý"};
        static const int members[] = {5, 4, 3};
        size_t i, j;
        for (i = 0; i < 3; i++) {
            for (j = 0; j < n && strcmp(c[j].name, names[i]); j++)
                ;
            if (j == n)
                fail_msg("%s: '%s' not imported (first is '%s')", charset,
                         names[i], c[0].name);
            assert_int_equal(c[j].members, members[i]);
        }
    }
    bp_store_custodian_list_free(c, n);
}

static void test_encoding_cp1258(void **state)
{
    import_encoded(*state, "WINDOWS-1258", NULL);
}

static void test_encoding_tcvn3(void **state)
{
    import_encoded(*state, "TCVN5712-1", NULL);
}

static void test_encoding_given(void **state)
{
    import_encoded(*state, "WINDOWS-1258", "windows-1258");
}

static void test_encoding_undetectable(void **state)
{
    static const char text[] =
        "ho_ten_chu_ho,thon,so_nhan_khau\n\xa4\xa5\xa6\xa7 \xbf\xbe\xbd,x,2\n";
    struct fx *f = *state;
    struct bp_import_result res = {0};
    struct bp_import_opts klingon = {.encoding = "klingon"};
    struct bp_error err = {0};

    write_file(fpath(f, "bad.csv"), text, sizeof(text) - 1);
    assert_int_equal(bp_import_file(f->st, BP_X_CUSTODIANS, fpath(f, "bad.csv"),
                                    NULL, &res, &err),
                     BP_EENCODING);
    assert_non_null(strstr(err.message, "--encoding"));
    bp_import_result_release(&res);
    assert_int_equal(count_custodians(f), 0);
    assert_int_equal(bp_import_file(f->st, BP_X_CUSTODIANS, fpath(f, "bad.csv"),
                                    &klingon, &res, &err),
                     BP_EINVAL);
    bp_import_result_release(&res);
}

struct changed {
    int n;
    double old_to, new_to;
};

static void changed_cb(void *ctx, const struct bp_pledge *p, double of,
                       double ot)
{
    struct changed *c = ctx;

    (void)of;
    c->n++;
    c->old_to = ot;
    c->new_to = p->to.measure_m;
}

/* Moving a marker moves the pledges anchored at it, in the same
 * transaction as the import, and reports them. */
static void test_marker_resurvey(void **state)
{
    static const char moved[] = "so_moc,kinh_do,vi_do\n101,0.21,0\n";
    static const char geo[] =
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
        "\"properties\":{\"number\":\"106\",\"kind\":\"twin\","
        "\"official_km\":95},\"geometry\":{\"type\":\"Point\","
        "\"coordinates\":[0.95,0]}}]}";
    struct fx *f = *state;
    struct bp_import_result res = {0};
    struct bp_import_opts opts = {0};
    struct bp_error err = {0};
    struct bp_marker m = {0};
    struct changed ch = {0};

    write_file(fpath(f, "ho.csv"), ho_vi, sizeof(ho_vi) - 1);
    assert_int_equal(bp_import_file(f->st, BP_X_CUSTODIANS, fpath(f, "ho.csv"),
                                    NULL, &res, &err),
                     0);
    bp_import_result_release(&res);
    write_file(fpath(f, "m.csv"), moved, sizeof(moved) - 1);
    assert_int_equal(bp_import_file(f->st, BP_X_MARKERS, fpath(f, "m.csv"),
                                    NULL, &res, &err),
                     BP_EPARSE);
    bp_import_result_release(&res);
    opts.update = 1;
    opts.changed = changed_cb;
    opts.changed_ctx = &ch;
    if (bp_import_file(f->st, BP_X_MARKERS, fpath(f, "m.csv"), &opts, &res,
                       &err))
        fail_msg("update failed: %s", err.message);
    bp_import_result_release(&res);
    assert_int_equal(ch.n, 1);
    assert_float_equal(ch.old_to, 20500, 0.01);
    assert_float_equal(ch.new_to, 21500, 0.01);

    write_file(fpath(f, "m.geojson"), geo, sizeof(geo) - 1);
    if (bp_import_file(f->st, BP_X_MARKERS, fpath(f, "m.geojson"), NULL, &res,
                       &err))
        fail_msg("geojson failed: %s", err.message);
    assert_int_equal(res.records, 1);
    bp_import_result_release(&res);
    assert_int_equal(bp_store_marker_get(f->st, "106", &m, NULL), 0);
    assert_int_equal(m.kind, BP_MARKER_TWIN);
    assert_float_equal(m.official_m, 95000, 1e-6);
    assert_float_equal(m.measure_m, 95000, 0.01);
    bp_marker_release(&m);
}

static void test_export(void **state)
{
    struct fx *f = *state;
    struct bp_import_result res = {0};
    struct bp_error err = {0};
    struct bp_buf b = BP_BUF_INIT;
    json_t *js;
    json_error_t je;

    write_file(fpath(f, "ho.csv"), ho_vi, sizeof(ho_vi) - 1);
    assert_int_equal(bp_import_file(f->st, BP_X_CUSTODIANS, fpath(f, "ho.csv"),
                                    NULL, &res, &err),
                     0);
    bp_import_result_release(&res);

    assert_int_equal(bp_export(f->st, BP_X_PLEDGES, BP_FMT_CSV, 0, &b, &err),
                     0);
    assert_memory_equal(b.data, "\xEF\xBB\xBFho_tu_quan,ten_ho_tu_quan,", 29);
    assert_non_null(strstr(b.data, "\r\n"));
    assert_non_null(strstr(b.data, ",Đào Viên,100-500,101+500,9.500,20.500,"
                                   "11.000,03/03/2020,,BN,12/BB,ghi chú,"));
    bp_buf_setlen(&b, 0);

    /* The exported pledges read back in as pledges of the same people. */
    assert_int_equal(bp_export(f->st, BP_X_PLEDGES, BP_FMT_CSV, 0, &b, &err),
                     0);
    write_file(fpath(f, "p.csv"), b.data, b.len);
    if (bp_import_file(f->st, BP_X_PLEDGES, fpath(f, "p.csv"), NULL, &res,
                       &err))
        fail_msg("re-import of exported pledges failed: %s", err.message);
    assert_int_equal(res.records, 3);
    bp_import_result_release(&res);
    assert_int_equal(count_pledges(f), 3); /* same ids: updated, not added */
    bp_buf_setlen(&b, 0);

    assert_int_equal(bp_export(f->st, BP_X_GAPS, BP_FMT_GEOJSON,
                               bp_date_from_ymd(2024, 1, 1), &b, &err),
                     0);
    js = json_loads(b.data, 0, &je);
    if (!js)
        fail_msg("not JSON: %s", je.text);
    assert_int_equal(json_array_size(json_object_get(js, "features")), 3);
    assert_float_equal(
        json_number_value(json_object_get(
            json_object_get(json_array_get(json_object_get(js, "features"), 1),
                            "properties"),
            "from_m")),
        20500, 0.01);
    json_decref(js);
    bp_buf_setlen(&b, 0);

    assert_int_equal(
        bp_export(f->st, BP_X_CUSTODIANS, BP_FMT_GEOJSON, 0, &b, &err),
        BP_EINVAL);
    assert_int_equal(b.len, 0);
    bp_buf_release(&b);
}

/* Out of memory at any allocation: an error, never a crash or a leak,
 * and never half a file in the store. */
static void test_import_out_of_memory(void **state)
{
    struct fx *f = *state;
    struct bp_import_result res = {0};
    struct bp_error err = {0};
    long k, ok = 0, failed = 0;
    int rc;

    write_file(fpath(f, "ho.csv"), ho_vi, sizeof(ho_vi) - 1);
    for (k = 0; k < 3000; k += 3) {
        size_t nc, np;
        memset(&err, 0, sizeof(err));
        bp_alloc_fail_after(k, 1);
        rc = bp_import_file(f->st, BP_X_CUSTODIANS, fpath(f, "ho.csv"), NULL,
                            &res, &err);
        bp_alloc_fail_after(-1, 0);
        bp_import_result_release(&res);
        nc = count_custodians(f);
        np = count_pledges(f);
        if (rc == 0) {
            ok++;
            assert_int_equal(nc, 4);
            assert_int_equal(np, 3);
            break;
        }
        failed++;
        if (nc || np)
            fail_msg("failing allocation %ld left %zu custodians and %zu "
                     "pledges (%s)",
                     k, nc, np, err.message);
    }
    assert_int_equal(ok, 1);
    assert_true(failed > 10);

    /* A file with bad rows fails whichever allocation fails. */
    write_file(fpath(f, "bad.csv"), bad_text, sizeof(bad_text) - 1);
    for (k = 0; k < 600; k += 5) {
        bp_alloc_fail_after(k, 1);
        rc = bp_import_file(f->st, BP_X_CUSTODIANS, fpath(f, "bad.csv"), NULL,
                            &res, &err);
        bp_alloc_fail_after(-1, 0);
        bp_import_result_release(&res);
        if (rc != BP_EPARSE && rc != BP_ENOMEM && rc != BP_ESTORE)
            fail_msg("failing allocation %ld: rc %d", k, rc);
        assert_int_equal(count_custodians(f), 4);
    }
}

/*
 * Issue 3 (import speed): custodian files are written a few thousand rows
 * at a time. Over several chunks, each pledge still belongs to the
 * custodian on its row, rows without a pledge included.
 */
#define BIG_ROWS (2 * 4096 + 7)

/* A register of `n` households, "Hộ Thử <i>", each with a pledge of
 * 400 m documented "<i>/QĐ" except every fifth; row `bad_at` (0-based
 * data row, or -1) ends its stretch 0.3 m past the border's end. */
static void write_big(const char *path, long n, long bad_at)
{
    FILE *fp = fopen(path, "wb");
    long i;

    assert_non_null(fp);
    fputs("ho_ten_chu_ho,thon,tu_km,den_km,ngay_ky,so_van_ban\n", fp);
    for (i = 0; i < n; i++) {
        fprintf(fp, "Hộ Thử %ld,%s,", i, i % 2 ? "Bản Đuốc" : "Thôn Nà Sla");
        if (i == bad_at)
            fputs("\"99,9\",\"100,0003\",03/03/2021,bad\n", fp);
        else if (i % 5 == 4)
            fputs(",,,\n", fp);
        else
            fprintf(fp, "%ld.%03ld,%ld.%03ld,03/03/2021,%ld/QĐ\n", i % 99,
                    i % 1000 % 600, i % 99, i % 1000 % 600 + 400, i);
    }
    assert_int_equal(fclose(fp), 0);
}

static int cmp_custodian_id(const void *a, const void *b)
{
    return strcmp(((const struct bp_custodian *)a)->id,
                  ((const struct bp_custodian *)b)->id);
}

/* The indexes on custodian and pledge with their definitions, read
 * through a connection of the test's own (another reader of the file). */
static char *index_defs(struct fx *f)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    struct bp_buf b = BP_BUF_INIT;

    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY,
                                     NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT name, sql FROM sqlite_schema "
                                        "WHERE type = 'index' AND tbl_name "
                                        "IN ('custodian', 'pledge') AND "
                                        "sql IS NOT NULL ORDER BY name",
                                        -1, &q, NULL),
                     SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW)
        assert_int_equal(bp_buf_addf(&b, "%s: %s\n", sqlite3_column_text(q, 0),
                                     sqlite3_column_text(q, 1)),
                         0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return bp_buf_take(&b, NULL);
}

static void test_import_chunks(void **state)
{
    struct fx *f = *state;
    struct bp_import_result res = {0};
    struct bp_error err = {0};
    struct bp_custodian *c = NULL, key;
    struct bp_pledge *p = NULL;
    size_t nc = 0, np = 0, i;
    char want[64], *before = index_defs(f), *after;

    /* A big import into an empty registry sets the indexes aside and
     * builds them again at the commit: the same ones after. */
    assert_non_null(strstr(before, "custodian_name: CREATE INDEX"));
    write_big(fpath(f, "big.csv"), BIG_ROWS, -1);
    assert_int_equal(bp_import_file(f->st, BP_X_CUSTODIANS, fpath(f, "big.csv"),
                                    NULL, &res, &err),
                     0);
    assert_int_equal(res.rows, BIG_ROWS);
    assert_int_equal(res.records, BIG_ROWS);
    assert_int_equal(res.pledges, BIG_ROWS - BIG_ROWS / 5);
    bp_import_result_release(&res);
    after = index_defs(f);
    assert_string_equal(after, before);
    bp_free(after);
    bp_free(before);
    assert_int_equal(bp_store_custodian_list(f->st, &c, &nc, NULL), 0);
    assert_int_equal(nc, BIG_ROWS);
    assert_int_equal(bp_store_pledge_list(f->st, &p, &np, NULL), 0);
    assert_int_equal(np, BIG_ROWS - BIG_ROWS / 5);
    qsort(c, nc, sizeof(*c), cmp_custodian_id);
    for (i = 0; i < np; i++) {
        const struct bp_custodian *owner;
        long row = strtol(p[i].doc_no, NULL, 10);
        memcpy(key.id, p[i].custodian_id, sizeof(key.id));
        owner = bsearch(&key, c, nc, sizeof(*c), cmp_custodian_id);
        assert_non_null(owner);
        snprintf(want, sizeof(want), "Hộ Thử %ld", row);
        if (strcmp(owner->name, want))
            fail_msg("pledge '%s' belongs to '%s', not '%s'", p[i].doc_no,
                     owner->name, want);
        assert_true(row % 5 != 4);
        assert_float_equal(p[i].to.measure_m - p[i].from.measure_m, 400, 1e-6);
    }
    bp_store_pledge_list_free(p, np);
    bp_store_custodian_list_free(c, nc);
}

/*
 * A row the store refuses while writing (here a stretch 0.3 m past the
 * border's end: the import lets km figures round by half a metre, the
 * store by a millimetre) in the second chunk: nothing of the first chunk
 * stays, and the error names the file and the row.
 */
static void test_import_chunk_fails(void **state)
{
    struct fx *f = *state;
    struct bp_import_result res = {0};
    struct bp_error err = {0};
    const long bad = 4096 + 5;
    char *before = index_defs(f), *after;
    int rc;

    write_big(fpath(f, "big.csv"), 4096 + 10, bad);
    rc = bp_import_file(f->st, BP_X_CUSTODIANS, fpath(f, "big.csv"), NULL, &res,
                        &err);
    if (rc != BP_ERANGE)
        fail_msg("rc %d (%s), want BP_ERANGE", rc, err.message);
    assert_string_equal(err.file, "big.csv");
    assert_int_equal(err.row, bad + 2); /* the header is row 1 */
    assert_int_equal(res.records, 0);
    assert_int_equal(res.pledges, 0);
    bp_import_result_release(&res);
    assert_int_equal(count_custodians(f), 0);
    assert_int_equal(count_pledges(f), 0);
    /* The indexes set aside for the bulk load came back with the
     * rollback. */
    after = index_defs(f);
    assert_string_equal(after, before);
    bp_free(after);
    bp_free(before);
}

/* PRAGMA foreign_keys on the store's own connection. */
static int foreign_keys_on(struct fx *f)
{
    sqlite3_stmt *q = NULL;
    int on;

    assert_int_equal(sqlite3_prepare_v2(((struct sqlite_store *)f->st)->db,
                                        "PRAGMA foreign_keys", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    on = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return on;
}

static long long file_size(const char *path)
{
    struct stat sb;

    assert_int_equal(stat(path, &sb), 0);
    return (long long)sb.st_size;
}

/*
 * Issue 3 (import speed): a bulk transaction lets only the batch puts
 * write (the database does not check their references again), turns
 * foreign keys back on however it ends, and leaves its write-ahead log
 * to bp_store_checkpoint() or the next ordinary commit.
 */
static void test_bulk_transaction(void **state)
{
    struct fx *f = *state;
    struct bp_import_result res = {0};
    struct bp_error err = {0};
    struct bp_station s = {0};
    long long size0, size1, size2;
    char wal[600];

    s.code = (char *)"TL";
    s.name = (char *)"Đồn Biên phòng Thanh Lòa";
    s.ended_on = BP_DATE_NONE;
    assert_int_equal(foreign_keys_on(f), 1);
    assert_int_equal(bp_store_begin_bulk(f->st, 5000, &err), 0);
    assert_int_equal(foreign_keys_on(f), 0);
    assert_int_equal(bp_store_begin_bulk(f->st, 5000, &err), BP_ESTORE);
    assert_int_equal(bp_store_station_put(f->st, &s, &err), BP_ESTORE);
    assert_non_null(strstr(err.message, "bulk transaction"));
    bp_store_rollback(f->st);
    assert_int_equal(foreign_keys_on(f), 1);
    /* A small one is an ordinary transaction. */
    assert_int_equal(bp_store_begin_bulk(f->st, 10, &err), 0);
    assert_int_equal(foreign_keys_on(f), 1);
    assert_int_equal(bp_store_station_put(f->st, &s, &err), 0);
    bp_store_rollback(f->st);

    /* A big import: committed, its log not yet in the database file. */
    assert_int_equal(bp_store_checkpoint(f->st, &err), 0);
    size0 = file_size(f->path);
    write_big(fpath(f, "big.csv"), 2 * BIG_ROWS, -1);
    assert_int_equal(bp_import_file(f->st, BP_X_CUSTODIANS, fpath(f, "big.csv"),
                                    NULL, &res, &err),
                     0);
    assert_int_equal(res.records, 2 * BIG_ROWS);
    bp_import_result_release(&res);
    assert_int_equal(foreign_keys_on(f), 1);
    assert_int_equal(count_custodians(f), 2 * BIG_ROWS);
    size1 = file_size(f->path);
    if (size1 != size0)
        fail_msg("database file %lld bytes after the import, %lld before: "
                 "checkpointed at the commit",
                 size1, size0);
    /* The next ordinary commit checkpoints again (SQLite does when the
     * log is past 1,000 pages). */
    snprintf(wal, sizeof(wal), "%s-wal", f->path);
    if (file_size(wal) <= 1000 * 4096)
        fail_msg("the log is %lld bytes: too small for the test",
                 file_size(wal));
    assert_int_equal(bp_store_station_put(f->st, &s, &err), 0);
    size2 = file_size(f->path);
    if (size2 <= size1)
        fail_msg("database file %lld bytes after an ordinary commit, %lld "
                 "before: not checkpointed",
                 size2, size1);
}

/* bp_store_checkpoint() copies the log of a bulk import into the file. */
static void test_bulk_checkpoint(void **state)
{
    struct fx *f = *state;
    struct bp_import_result res = {0};
    struct bp_error err = {0};
    long long size0, size1;

    write_big(fpath(f, "big.csv"), BIG_ROWS, -1);
    assert_int_equal(bp_import_file(f->st, BP_X_CUSTODIANS, fpath(f, "big.csv"),
                                    NULL, &res, &err),
                     0);
    bp_import_result_release(&res);
    size0 = file_size(f->path);
    assert_int_equal(bp_store_checkpoint(f->st, &err), 0);
    size1 = file_size(f->path);
    if (size1 <= size0)
        fail_msg("database file %lld bytes after the checkpoint, %lld "
                 "before",
                 size1, size0);
    assert_int_equal(count_custodians(f), BIG_ROWS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anchor_parse),
        cmocka_unit_test_setup_teardown(test_anchor_resolve, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_vi_headers, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_import_en_headers, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_marker_duplicates, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_commune_overlap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_encoding_cp1258, setup, teardown),
        cmocka_unit_test_setup_teardown(test_encoding_tcvn3, setup, teardown),
        cmocka_unit_test_setup_teardown(test_encoding_given, setup, teardown),
        cmocka_unit_test_setup_teardown(test_encoding_undetectable, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_marker_resurvey, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_chunks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_chunk_fails, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_import_out_of_memory, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bulk_transaction, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bulk_checkpoint, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
