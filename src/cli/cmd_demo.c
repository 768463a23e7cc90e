/* SPDX-License-Identifier: MIT */
/*
 * bienphong demo: make the demo province in the database: the border, its
 * markers, stations, communes, villages, households, collectives and their
 * pledges. Synthetic data modelled on Lạng Sơn, labelled as such.
 */
#include <string.h>

#include "bienphong/demo.h"
#include "cli/cli.h"

int cmd_demo(struct cli *cli, int argc, char **argv)
{
    struct bp_error err = {0};
    struct bp_border_record old = {0};
    struct bp_demo_summary sum = {0};
    struct bp_store *st;
    int force = 0, i, rc;
    char s1[64], s2[64], n1[32], n2[32];

    for (i = 1; i < argc; i++) {
        if (cli_global_opt(cli, argc, argv, &i) == 1)
            continue;
        if (cli_flag(argv, i, "--force"))
            force = 1;
        else
            return cli_usage(cli, "cách dùng: demo [--force]",
                             "usage: demo [--force]");
    }
    if (cli_store(cli, &st))
        return 1;
    rc = bp_store_border_load(st, &old, &err);
    bp_border_record_release(&old);
    if (rc == 0 && !force) {
        fprintf(stderr, "%s: %s\n", cli->prog,
                L(cli,
                  "cơ sở dữ liệu đã có đường biên giới; dùng --force để "
                  "ghi đè bằng dữ liệu mẫu",
                  "the database already has a border line; use --force to "
                  "overwrite it with the demo data"));
        return 1;
    }
    memset(&err, 0, sizeof(err));
    rc = bp_demo_province(st, &sum, &err);
    if (rc)
        return cli_fail(cli, &err);
    if (cli->json) {
        printf("{\"db\": \"%s\", \"length_m\": %.3f, \"geodesic_m\": %.3f, "
               "\"stations\": %zu, \"communes\": %zu, \"villages\": %zu, "
               "\"markers\": %zu, \"custodians\": %zu, \"pledges\": %zu}\n",
               cli->db, sum.length_m, sum.geodesic_m, sum.stations,
               sum.communes, sum.villages, sum.markers, sum.custodians,
               sum.pledges);
        return 0;
    }
    printf("%s: %s\n",
           L(cli, "Đã tạo dữ liệu mẫu (giả lập)", "Demo data made (synthetic)"),
           cli->db);
    printf("  %s %s km (%s %s km)\n", L(cli, "biên giới", "border"),
           cli_km(cli, sum.length_m, s1, sizeof(s1)),
           L(cli, "đo trắc địa", "geodesic"),
           cli_km(cli, sum.geodesic_m, s2, sizeof(s2)));
    printf("  %zu %s, %zu %s, %zu %s, %zu %s\n", sum.markers,
           L(cli, "mốc quốc giới", "boundary markers"), sum.stations,
           L(cli, "đồn biên phòng", "border guard stations"), sum.communes,
           L(cli, "xã, thị trấn biên giới", "border communes and towns"),
           sum.villages, L(cli, "thôn, bản", "villages"));
    printf("  %s %s, %s %s\n",
           bp_fmt_int((int64_t)sum.custodians, cli->lang, n1, sizeof(n1)),
           L(cli, "hộ gia đình và tập thể", "households and collectives"),
           bp_fmt_int((int64_t)sum.pledges, cli->lang, n2, sizeof(n2)),
           L(cli, "bản ký nhận tự quản (2019–2024)",
             "pledges to co-manage (2019–2024)"));
    printf("  %zu %s (%zu %s, %zu %s), %zu %s, %zu %s\n", sum.patrols,
           L(cli, "chuyến tuần tra có vết GPS", "patrols with GPS tracks"),
           sum.fixes, L(cli, "điểm", "fixes"), sum.flagged,
           L(cli, "vết bị cảnh báo", "tracks flagged"), sum.inspections,
           L(cli, "lần kiểm tra mốc", "marker inspections"), sum.incidents,
           L(cli, "vụ việc", "incidents"));
    return 0;
}
