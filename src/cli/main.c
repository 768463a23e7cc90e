/* SPDX-License-Identifier: MIT */
/*
 * The bienphong program: global options, then a subcommand from the table.
 */
#include <stdlib.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "cli/cli.h"

static int cmd_version(struct cli *cli, int argc, char **argv);

static const struct cli_cmd commands[] = {
    {"border", cmd_border, "đường biên giới: nhập, xem, định vị lý trình",
     "border line: import, show, locate measures"},
    {"demo", cmd_demo, "tạo dữ liệu mẫu (tỉnh giả lập theo Lạng Sơn)",
     "make the demo data (a synthetic province modelled on Lạng Sơn)"},
    {"init", cmd_init, "tạo hoặc nâng cấp cơ sở dữ liệu",
     "create or migrate the database"},
    {"station", cmd_station, "đồn biên phòng: thêm, nhập, danh sách",
     "border guard stations: add, import, list"},
    {"commune", cmd_commune, "xã biên giới: thêm, nhập, danh sách",
     "border communes: add, import, list"},
    {"village", cmd_village, "thôn, bản: thêm, nhập, danh sách",
     "villages: add, import, list"},
    {"marker", cmd_marker, "mốc quốc giới: nhập, danh sách, xem",
     "boundary markers: import, list, show"},
    {"custodian", cmd_custodian,
     "hộ gia đình, tập thể tự quản: thêm, nhập, tìm, xem",
     "custodians (households, collectives): add, import, search, show"},
    {"pledge", cmd_pledge, "ký nhận tự quản: thêm, kết thúc, nhập, xem",
     "pledges: add, end, import, list, show"},
    {"coverage", cmd_coverage, "số km được ký nhận tự quản, theo ngày",
     "km co-managed, as of a date"},
    {"gaps", cmd_gaps, "các đoạn chưa có ai ký nhận",
     "stretches nobody has pledged"},
    {"overlaps", cmd_overlaps, "các đoạn nhiều hộ/tập thể cùng ký nhận",
     "stretches pledged by several custodians"},
    {"export", cmd_export, "xuất dữ liệu ra CSV hoặc GeoJSON",
     "export records as CSV or GeoJSON"},
    {"report", cmd_report, "báo cáo sơ kết, tổng kết (PDF, HTML, CSV, JSON)",
     "review reports (PDF, HTML, CSV, JSON)"},
    {"patrol", cmd_patrol,
     "tuần tra: nhập vết GPS, danh sách, xem, duyệt, xuất",
     "patrols: import GPS tracks, list, show, approve, export"},
    {"verify", cmd_verify, "số km cam kết đã được tuần tra xác minh",
     "pledged km verified by patrols"},
    {"overdue", cmd_overdue, "đoạn và mốc quá hạn chưa tuần tra, kiểm tra",
     "stretches and markers overdue for a patrol or inspection"},
    {"inspection", cmd_inspection, "kiểm tra cột mốc: thêm, nhập, danh sách",
     "marker inspections: add, import, list"},
    {"incident", cmd_incident, "vụ việc: thêm, danh sách, xem, cập nhật",
     "incidents: add, list, show, update"},
    {"serve", cmd_serve, "chạy máy chủ web và API",
     "run the web server and API"},
    {"user", cmd_user, "người dùng: thêm, danh sách, khoá, mật khẩu, mã API",
     "users: add, list, disable, password, API token"},
    {"audit", cmd_audit, "nhật ký thay đổi", "the audit log of changes"},
    {"campaign", cmd_campaign, "đợt vận động: thêm, tổng hợp, sổ quỹ",
     "fundraising campaign: add, show, ledger"},
    {"donor", cmd_donor, "nhà tài trợ: thêm, nhập, danh sách",
     "donors: add, import, list"},
    {"donation", cmd_donation, "khoản ủng hộ: thêm, nhập, danh sách",
     "donations: add, import, list"},
    {"expense", cmd_expense, "khoản chi: thêm, nhập, danh sách",
     "expenses: add, import, list"},
    {"road", cmd_road, "công trình đường tuần tra: thêm, tiến độ, xem",
     "patrol road projects: add, progress, list, show"},
    {"bamboo", cmd_bamboo, "mô hình Lũy tre biên giới Việt",
     "the bamboo belt"},
    {"light", cmd_light, "mô hình Thắp sáng đường tuần tra biên giới",
     "patrol-road lights"},
    {"event", cmd_event, "hoạt động Ngày Biên phòng toàn dân 3/3",
     "3 March activities"},
    {"award", cmd_award, "khen thưởng: thêm, nhập, đề xuất",
     "commendations: add, import, list, suggest"},
    {"version", cmd_version, "phiên bản", "version"},
    {NULL, NULL, NULL, NULL},
};

static int cmd_version(struct cli *cli, int argc, char **argv)
{
    (void)cli, (void)argc, (void)argv;
    printf("bienphong 0.1.0 (schema %d)\n", bp_store_schema_latest());
    return 0;
}

int cli_opt(int argc, char **argv, int *i, const char *name,
            const char **val)
{
    size_t n = strlen(name);
    const char *a = argv[*i];

    if (strncmp(a, name, n))
        return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n])
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *val = argv[++*i];
    return 1;
}

int cli_flag(char **argv, int i, const char *name)
{
    return !strcmp(argv[i], name);
}

static int set_lang(struct cli *cli, const char *v)
{
    if (!strcmp(v, "vi"))
        cli->lang = BP_LANG_VI;
    else if (!strcmp(v, "en"))
        cli->lang = BP_LANG_EN;
    else
        return -1;
    return 0;
}

int cli_global_opt(struct cli *cli, int argc, char **argv, int *i)
{
    const char *v;
    int m;

    if (cli_flag(argv, *i, "--json")) {
        cli->json = 1;
        return 1;
    }
    m = cli_opt(argc, argv, i, "--lang", &v);
    if (m == 1 && !set_lang(cli, v))
        return 1;
    if (m)
        return -1;
    m = cli_opt(argc, argv, i, "--db", &v);
    if (m == 1) {
        cli->db = v;
        return 1;
    }
    return m;
}

int cli_store(struct cli *cli, struct bp_store **out)
{
    struct bp_error err = {0};

    if (!cli->store && bp_store_open(cli->db, &cli->store, &err))
        return cli_fail(cli, &err);
    *out = cli->store;
    return 0;
}

int cli_fail(struct cli *cli, const struct bp_error *err)
{
    char msg[1200];

    fprintf(stderr, "%s: %s: %s\n", cli->prog, L(cli, "lỗi", "error"),
            bp_error_format(err, msg, sizeof(msg)));
    return 1;
}

int cli_usage(struct cli *cli, const char *vi, const char *en)
{
    fprintf(stderr, "%s: %s\n", cli->prog, L(cli, vi, en));
    return 2;
}

char *cli_km(struct cli *cli, double metres, char *out, size_t size)
{
    return bp_fmt_number(metres / 1000.0, 3, cli->lang, out, size);
}

static void help(struct cli *cli, const struct cli_cmd *table,
                 const char *group)
{
    const struct cli_cmd *c;

    printf("%s: bienphong %s%s<%s> ...\n", L(cli, "Cách dùng", "Usage"),
           group ? group : "", group ? " " : "",
           L(cli, "lệnh", "command"));
    for (c = table; c->name; c++)
        printf("  %-12s %s\n", c->name, L(cli, c->help_vi, c->help_en));
    if (!group)
        printf("\n%s\n",
               L(cli,
                 "Tuỳ chọn chung: --db ĐƯỜNG_DẪN (mặc định bienphong.sqlite "
                 "hoặc $BIENPHONG_DB), --lang vi|en, --json",
                 "Global options: --db PATH (default bienphong.sqlite or "
                 "$BIENPHONG_DB), --lang vi|en, --json"));
}

int cli_dispatch(struct cli *cli, const struct cli_cmd *table,
                 const char *group, int argc, char **argv)
{
    const struct cli_cmd *c;

    if (argc < 1 || !strcmp(argv[0], "help") || !strcmp(argv[0], "--help") ||
        !strcmp(argv[0], "-h")) {
        help(cli, table, group);
        return argc < 1 ? 2 : 0;
    }
    for (c = table; c->name; c++)
        if (!strcmp(c->name, argv[0]))
            return c->fn(cli, argc, argv);
    fprintf(stderr, "%s: %s '%s%s%s'\n", cli->prog,
            L(cli, "không có lệnh", "no such command"), group ? group : "",
            group ? " " : "", argv[0]);
    help(cli, table, group);
    return 2;
}

int main(int argc, char **argv)
{
    struct cli cli = {0};
    const char *env_db = getenv("BIENPHONG_DB");
    int i = 1, m, rc;

    cli.prog = "bienphong";
    cli.db = env_db && *env_db ? env_db : "bienphong.sqlite";
    cli.lang = BP_LANG_VI;
    {
        const char *env_lang = getenv("BIENPHONG_LANG");
        if (env_lang)
            set_lang(&cli, env_lang);
    }
    /* Global options before the command. */
    while (i < argc && argv[i][0] == '-' && strcmp(argv[i], "--help") &&
           strcmp(argv[i], "-h")) {
        m = cli_global_opt(&cli, argc, argv, &i);
        if (m != 1)
            return cli_usage(&cli, "tuỳ chọn không hợp lệ", "bad option");
        i++;
    }
    rc = cli_dispatch(&cli, commands, NULL, argc - i, argv + i);
    bp_store_close(cli.store);
    return rc;
}
