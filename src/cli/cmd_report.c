/* SPDX-License-Identifier: MIT */
/*
 * bienphong report review: the review report of a period for the
 * province, a commune or a station, as PDF, HTML, CSV or JSON, with a
 * progress bar on stderr while it renders when stderr is a terminal.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bienphong/date.h"
#include "bienphong/report.h"
#include "cli/cli.h"
#include "cli/cli_registry.h"

static void progress(void *ctx, double f, const char *stage)
{
    int i, n = (int)(f * 30 + 0.5);

    (void)ctx;
    fputc('\r', stderr);
    fputc('[', stderr);
    for (i = 0; i < 30; i++)
        fputc(i < n ? '#' : ' ', stderr);
    fprintf(stderr, "] %3d%% %-12s", (int)(f * 100 + 0.5), stage);
    if (f >= 1)
        fputc('\n', stderr);
    fflush(stderr);
}

static const char *ext_of(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;

    return dot ? dot + 1 : NULL;
}

static int review(struct cli *cli, int argc, char **argv)
{
    const char *from_s = NULL, *to_s = NULL, *commune = NULL, *station = NULL,
               *format = NULL, *out = NULL, *date_s = NULL, *issuer = NULL,
               *place = NULL;
    const struct reg_opt opts[] = {
        {"--from", &from_s, NULL},     {"--to", &to_s, NULL},
        {"--commune", &commune, NULL}, {"--station", &station, NULL},
        {"--format", &format, NULL},   {"--out", &out, NULL},
        {"--date", &date_s, NULL},     {"--issuer", &issuer, NULL},
        {"--place", &place, NULL},     {NULL, NULL, NULL}};
    struct bp_report_options o;
    struct bp_report *r = NULL;
    struct bp_buf buf = BP_BUF_INIT;
    struct bp_error err = {0};
    struct bp_store *st;
    FILE *fp = stdout;
    int rc;

    rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                   "cách dùng: report review --from NGÀY --to NGÀY "
                   "[--commune XÃ | --station ĐỒN] [--format "
                   "pdf|html|csv|json] [--out TỆP] [--date NGÀY] "
                   "[--issuer CƠ_QUAN] [--place ĐỊA_DANH] [--lang en]",
                   "usage: report review --from DATE --to DATE [--commune C "
                   "| --station S] [--format pdf|html|csv|json] [--out FILE] "
                   "[--date DATE] [--issuer BODY] [--place PLACE] "
                   "[--lang en]");
    if (rc)
        return rc;
    bp_report_options_init(&o);
    if (!from_s || !to_s)
        return cli_usage(cli, "cần --from NGÀY và --to NGÀY",
                         "need --from DATE and --to DATE");
    if (commune && station)
        return cli_usage(cli, "chỉ một trong --commune, --station",
                         "only one of --commune, --station");
    if ((rc = reg_date(cli, from_s, "--from", &o.from)) ||
        (rc = reg_date(cli, to_s, "--to", &o.to)))
        return rc;
    if (date_s && (rc = reg_date(cli, date_s, "--date", &o.issued_on)))
        return rc;
    if (o.from > o.to)
        return cli_usage(cli, "--from phải trước hoặc bằng --to",
                         "--from must be on or before --to");
    if (!format)
        format = ext_of(out) ? ext_of(out) : cli->json ? "json" : "pdf";
    if (strcmp(format, "pdf") && strcmp(format, "html") &&
        strcmp(format, "csv") && strcmp(format, "json"))
        return cli_usage(cli, "--format pdf, html, csv hoặc json",
                         "--format pdf, html, csv or json");
    if (!out && (!strcmp(format, "pdf")) && isatty(STDOUT_FILENO))
        return cli_usage(cli, "báo cáo PDF cần --out TỆP",
                         "a PDF report needs --out FILE");
    o.scope = commune   ? BP_REPORT_COMMUNE
              : station ? BP_REPORT_STATION
                        : BP_REPORT_PROVINCE;
    o.scope_ref = commune ? commune : station;
    o.lang = cli->lang;
    o.issuer = issuer;
    o.place = place;
    if (isatty(STDERR_FILENO)) {
        o.progress = progress;
        o.progress_ctx = NULL;
    }
    if (cli_store(cli, &st))
        return 1;
    rc = bp_report_build(st, &o, &r, &err);
    if (!rc) {
        if (!strcmp(format, "pdf"))
            rc = bp_report_pdf(r, &buf, &err);
        else if (!strcmp(format, "html"))
            rc = bp_report_html(r, &buf, &err);
        else if (!strcmp(format, "csv"))
            rc = bp_report_csv(r, &buf, &err);
        else
            rc = bp_report_json(r, &buf, &err);
    }
    if (rc) {
        rc = cli_fail(cli, &err);
        goto out;
    }
    if (out && !(fp = fopen(out, "wb"))) {
        bp_error_set_at(&err, BP_EIO, out, 0, NULL, "cannot write the file");
        rc = cli_fail(cli, &err);
        goto out;
    }
    if (fwrite(buf.data, 1, buf.len, fp) != buf.len)
        rc = 1;
    if (fp != stdout && fclose(fp))
        rc = 1;
    if (rc) {
        bp_error_set_at(&err, BP_EIO, out ? out : "stdout", 0, NULL,
                        "write failed");
        cli_fail(cli, &err);
    } else if (out && isatty(STDERR_FILENO)) {
        fprintf(stderr, "%s: %s\n", L(cli, "Đã ghi báo cáo", "Report written"),
                out);
    }
out:
    bp_report_free(r);
    bp_buf_release(&buf);
    bp_report_shutdown();
    return rc;
}

int cmd_report(struct cli *cli, int argc, char **argv)
{
    static const struct cli_cmd sub[] = {
        {"review", review,
         "báo cáo sơ kết, tổng kết một giai đoạn (PDF, HTML, CSV, JSON)",
         "review report of a period (PDF, HTML, CSV, JSON)"},
        {NULL, NULL, NULL, NULL},
    };

    return cli_dispatch(cli, sub, "report", argc - 1, argv + 1);
}
