/* SPDX-License-Identifier: MIT */
/*
 * bienphong campaign, donor, donation, expense, road, bamboo, light,
 * event, award: the fundraising campaign for the patrol road and the
 * community models from the command line. Imports are all or nothing
 * (every bad row listed with file, row and field); lists export CSV with
 * a UTF-8 BOM with --csv FILE.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bienphong/alloc.h"
#include "bienphong/buf.h"
#include "bienphong/campaign.h"
#include "bienphong/csv.h"
#include "bienphong/date.h"
#include "bienphong/exchange.h"
#include "bienphong/exchange_campaign.h"
#include "bienphong/patrol.h"
#include "bienphong/text.h"
#include "cli/cli.h"
#include "cli/cli_registry.h"

/* A count in the output language's grouping ("11.415" in Vietnamese);
 * the buffer is a compound literal, alive to the end of the enclosing block. */
#define CNT(cli, n) bp_fmt_int((int64_t)(n), (cli)->lang, (char[32]){0}, 32)

/* ---- small helpers ---- */

static char *money(struct cli *cli, int64_t v, char *out)
{
    return bp_money_format(v, cli->lang, out, 48);
}

static int bad_money(struct cli *cli, const char *what, const char *s, int rc)
{
    fprintf(stderr, "%s: %s: %s '%s': %s\n", cli->prog,
            L(cli, "lỗi", "error"), what, s,
            rc == BP_ERANGE ? L(cli, "số tiền âm", "a negative amount")
            : rc == BP_EOVERFLOW
                ? L(cli, "số tiền vượt quá giới hạn int64_t",
                    "an amount beyond int64_t")
                : L(cli, "không phải số đồng nguyên (không có phần lẻ)",
                    "not a whole number of đồng (no fractions)"));
    return 2;
}

/* Parse an optional money option into *out (unchanged when NULL). */
static int opt_money(struct cli *cli, const char *s, const char *what,
                     int64_t *out)
{
    int rc;

    if (!s)
        return 0;
    rc = bp_money_parse(s, out);
    return rc ? bad_money(cli, what, s, rc) : 0;
}

static int opt_number(struct cli *cli, const char *s, const char *what,
                      double *out)
{
    if (!s)
        return 0;
    if (bp_parse_decimal(s, out) || !isfinite(*out)) {
        fprintf(stderr, "%s: %s: %s '%s': %s\n", cli->prog,
                L(cli, "lỗi", "error"), what, s,
                L(cli, "không phải là số", "not a number"));
        return 2;
    }
    return 0;
}

static int opt_date(struct cli *cli, const char *s, const char *what,
                    int32_t *day)
{
    if (!s) {
        *day = BP_DATE_NONE;
        return 0;
    }
    return reg_date(cli, s, what, day);
}

/* A folded commune name `g` is `f`, with or without "xã"/"thị trấn". */
static int name_match(const char *f, const char *g)
{
    if (!strcmp(f, g))
        return 1;
    if (!strncmp(g, "xa ", 3) && !strcmp(f, g + 3))
        return 1;
    return !strncmp(g, "thi tran ", 9) && !strcmp(f, g + 9);
}

static int commune_ref(struct cli *cli, struct bp_store *st, const char *ref,
                       bp_uuid out)
{
    struct bp_commune c = {0}, *v = NULL;
    struct bp_error err = {0};
    size_t n = 0, i, hit = 0, found = 0;
    char *f, *g;

    if (!ref || !*ref) {
        out[0] = 0;
        return 0;
    }
    if (!bp_store_commune_get(st, ref, &c, &err)) {
        memcpy(out, c.id, sizeof(bp_uuid));
        bp_commune_release(&c);
        return 0;
    }
    if (bp_store_commune_list(st, &v, &n, &err))
        return cli_fail(cli, &err);
    f = bp_text_fold(ref);
    for (i = 0; f && i < n; i++) {
        g = bp_text_fold(v[i].name);
        if (g && name_match(f, g))
            hit++, found = i;
        bp_free(g);
    }
    bp_free(f);
    if (hit == 1)
        memcpy(out, v[found].id, sizeof(bp_uuid));
    bp_store_commune_list_free(v, n);
    if (hit == 1)
        return 0;
    bp_error_set_at(&err, BP_ENOTFOUND, NULL, 0, "commune",
                    "no commune '%s'%s", ref,
                    hit > 1 ? " (several have that name; use the code)" : "");
    return cli_fail(cli, &err);
}

/* A commune's name by id, into `out` (size 128); "—" when none. */
static const char *commune_name(struct bp_commune *v, size_t n,
                                const char *id)
{
    size_t i;

    for (i = 0; id && *id && i < n; i++)
        if (!strcmp(v[i].id, id))
            return v[i].name;
    return "—";
}

static int campaign_ref(struct cli *cli, struct bp_store *st, const char *ref,
                        struct bp_campaign *c)
{
    struct bp_error err = {0};

    if (bp_store_campaign_find(st, ref, c, &err))
        return cli_fail(cli, &err);
    return 0;
}

static int parse_anchor(const char *s, const char *km, struct bp_anchor *a)
{
    memset(a, 0, sizeof(*a));
    if (s)
        return bp_anchor_parse(s, a);
    if (km)
        return bp_anchor_parse_km(km, a);
    return BP_EINVAL;
}

/* Write a CSV buffer to a file (or "-" for stdout). */
static int write_file(struct cli *cli, const char *path, struct bp_buf *b)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
    struct bp_error err = {0};

    if (!f || fwrite(b->data, 1, b->len, f) != b->len) {
        if (f && f != stdout)
            fclose(f);
        bp_error_set(&err, BP_EIO, "'%s': cannot write", path);
        return cli_fail(cli, &err);
    }
    if (f != stdout && fclose(f)) {
        bp_error_set(&err, BP_EIO, "'%s': cannot write", path);
        return cli_fail(cli, &err);
    }
    return 0;
}

/* Start a CSV export into `b`: a byte-order mark, then the header row of
 * the `n` names `head`. */
static int csv_begin(struct bp_csv_writer *w, struct bp_buf *b,
                     const char *const *head, size_t n)
{
    int rc;

    bp_csv_writer_init(w, b, ',');
    rc = bp_csv_write_bom(w);
    if (!rc)
        rc = bp_csv_write_row(w, head, n);
    return rc;
}

/* Finish a CSV export: "out of memory" when `rc` is set, else write `b`
 * to `path`. Releases `b` either way. */
static int csv_end(struct cli *cli, int rc, const char *path,
                   struct bp_buf *b)
{
    rc = rc ? cli_usage(cli, "hết bộ nhớ", "out of memory")
            : write_file(cli, path, b);
    bp_buf_release(b);
    return rc;
}

/* ---- CSV import: the library's, all rows or none ---- */

/* `KIND import FILE.csv [--encoding E]`: read the file and import it with
 * bp_campaign_csv_import(); every problem is printed and nothing written
 * when a row is bad. */
static int run_import(struct cli *cli, int argc, char **argv,
                      enum bp_camp_csv_kind kind)
{
    const char *pos[1] = {NULL}, *enc = NULL;
    const struct reg_opt opts[] = {{"--encoding", &enc, NULL},
                                   {NULL, NULL, NULL}};
    struct bp_camp_import_opts io = {0};
    struct bp_import_result res = {0};
    struct bp_buf data = BP_BUF_INIT;
    struct bp_error err = {0};
    struct bp_store *st = NULL;
    char msg[1200];
    size_t i;
    int rc;

    rc = reg_parse(cli, argc, argv, opts, pos, 1,
                   "cách dùng: ... import TỆP.csv [--encoding E]",
                   "usage: ... import FILE.csv [--encoding E]");
    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (enc && bp_csv_parse_encoding(enc, &io.encoding))
        return cli_usage(cli, "bảng mã không hợp lệ", "unknown encoding");
    errno = 0;
    rc = bp_buf_read_file(&data, pos[0]);
    if (rc == BP_EIO)
        bp_error_set_at(&err, rc, pos[0], 0, NULL, "cannot read: %s",
                        errno ? strerror(errno) : "read error");
    else if (rc)
        bp_error_set_at(&err, rc, pos[0], 0, NULL, NULL);
    if (!rc)
        rc = bp_campaign_csv_import(st, kind, data.data, data.len, pos[0],
                                    &io, &res, &err);
    if (rc && !res.nproblems) {
        rc = cli_fail(cli, &err);
    } else if (rc) {
        for (i = 0; i < res.nproblems; i++)
            fprintf(stderr, "%s: %s: %s\n", cli->prog,
                    L(cli, "lỗi", "error"),
                    bp_error_format(&res.problems[i], msg, sizeof(msg)));
        fprintf(stderr, "%s: %ld %s\n", cli->prog, res.problems_total,
                L(cli, "lỗi; không ghi gì vào cơ sở dữ liệu",
                  "problems; nothing was written"));
        rc = 1;
    } else if (cli->json) {
        reg_json_print(json_pack("{s:I}", "records", (json_int_t)res.records));
    } else {
        printf("%s %ld %s %s %s\n", L(cli, "Đã nhập", "Imported"),
               res.records, L(cli, "bản ghi", "records"),
               L(cli, "từ", "from"), pos[0]);
    }
    bp_import_result_release(&res);
    bp_buf_release(&data);
    return rc;
}

/* ---- campaign ---- */

static int campaign_add(struct cli *cli, int argc, char **argv)
{
    const char *name = NULL, *from = NULL, *to = NULL, *goal = NULL,
               *goal_km = NULL, *rate = NULL, *note = NULL;
    const struct reg_opt opts[] = {
        {"--name", &name, NULL},       {"--from", &from, NULL},
        {"--to", &to, NULL},           {"--goal", &goal, NULL},
        {"--goal-km", &goal_km, NULL}, {"--labour-rate", &rate, NULL},
        {"--note", &note, NULL},       {NULL, NULL, NULL}};
    struct bp_campaign c = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    double km = 0;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: campaign add --name TÊN --from NGÀY "
                       "[--to NGÀY] [--goal ĐỒNG] [--goal-km KM] "
                       "[--labour-rate ĐỒNG/NGÀY_CÔNG]",
                       "usage: campaign add --name NAME --from DATE "
                       "[--to DATE] [--goal VND] [--goal-km KM] "
                       "[--labour-rate VND/DAY]");

    if (rc)
        return rc;
    if (!name || !from)
        return cli_usage(cli, "cần --name và --from",
                         "--name and --from are required");
    if ((rc = opt_date(cli, from, "--from", &c.starts_on)) ||
        (rc = opt_date(cli, to, "--to", &c.ends_on)) ||
        (rc = opt_money(cli, goal, "--goal", &c.goal_vnd)) ||
        (rc = opt_money(cli, rate, "--labour-rate", &c.labour_day_vnd)) ||
        (rc = opt_number(cli, goal_km, "--goal-km", &km)))
        return rc;
    if (cli_store(cli, &st))
        return 1;
    c.goal_road_m = km * 1000;
    c.name = (char *)name;
    c.note = (char *)note;
    if (bp_store_campaign_put(st, &c, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        reg_json_print(json_pack("{s:s,s:s}", "id", c.id, "name", name));
    else
        printf("%s: %s (%s)\n", L(cli, "Đã thêm đợt vận động",
                                  "Campaign added"),
               name, c.id);
    return 0;
}

static json_t *row_json(const struct bp_ledger_row *r)
{
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "promised_vnd",
                     (json_int_t)r->promised_vnd, "received_vnd",
                     (json_int_t)r->received_vnd, "cash_vnd",
                     (json_int_t)r->cash_vnd, "in_kind_vnd",
                     (json_int_t)r->in_kind_vnd, "labour_vnd",
                     (json_int_t)r->labour_vnd, "spent_vnd",
                     (json_int_t)r->spent_vnd);
}

/* Everything a campaign view needs, loaded once. */
struct world {
    struct bp_campaign c;
    struct bp_donor *donors;
    size_t ndonors;
    struct bp_donation *dons;
    size_t ndons;
    struct bp_expense *exps;
    size_t nexps;
    struct bp_road *roads;
    size_t nroads;
    struct bp_road_progress *prog;
    size_t nprog;
    struct bp_commune *communes;
    size_t ncommunes;
};

static void world_release(struct world *w)
{
    bp_campaign_release(&w->c);
    bp_store_donor_list_free(w->donors, w->ndonors);
    bp_store_donation_list_free(w->dons, w->ndons);
    bp_store_expense_list_free(w->exps, w->nexps);
    bp_store_road_list_free(w->roads, w->nroads);
    bp_store_road_progress_list_free(w->prog, w->nprog);
    bp_store_commune_list_free(w->communes, w->ncommunes);
    memset(w, 0, sizeof(*w));
}

static int world_load(struct cli *cli, struct bp_store *st, const char *ref,
                      struct world *w)
{
    struct bp_error err = {0};
    int rc;

    memset(w, 0, sizeof(*w));
    rc = bp_store_campaign_find(st, ref, &w->c, &err);
    if (!rc)
        rc = bp_store_donor_list(st, &w->donors, &w->ndonors, &err);
    if (!rc)
        rc = bp_store_donation_list(st, &w->dons, &w->ndons, &err);
    if (!rc)
        rc = bp_store_expense_list(st, &w->exps, &w->nexps, &err);
    if (!rc)
        rc = bp_store_road_list(st, &w->roads, &w->nroads, &err);
    if (!rc)
        rc = bp_store_road_progress_list(st, &w->prog, &w->nprog, &err);
    if (!rc)
        rc = bp_store_commune_list(st, &w->communes, &w->ncommunes, &err);
    if (rc) {
        world_release(w);
        return cli_fail(cli, &err);
    }
    return 0;
}

static void ledger_input(const struct world *w, struct bp_ledger_input *in)
{
    memset(in, 0, sizeof(*in));
    in->campaign = &w->c;
    in->donors = w->donors;
    in->ndonors = w->ndonors;
    in->donations = w->dons;
    in->ndonations = w->ndons;
    in->expenses = w->exps;
    in->nexpenses = w->nexps;
    in->roads = w->roads;
    in->nroads = w->nroads;
}

static void print_row(struct cli *cli, const char *label,
                      const struct bp_ledger_row *r)
{
    char a[48], b[48], c[48];

    reg_cell(label, 28);
    printf("%20s %20s %20s\n", money(cli, r->promised_vnd, a),
           money(cli, r->received_vnd, b), money(cli, r->spent_vnd, c));
}

static int campaign_ledger(struct cli *cli, int argc, char **argv)
{
    const char *pos[1] = {""};
    int public_view = 0;
    const struct reg_opt opts[] = {{"--public", NULL, &public_view},
                                   {NULL, NULL, NULL}};
    struct bp_ledger_input in;
    struct bp_ledger l = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    struct world w;
    char a[48], b[48], label[64];
    size_t i;
    int rc = reg_parse(cli, argc, argv, opts, pos, 1,
                       "cách dùng: campaign ledger [TÊN|ID] [--public]",
                       "usage: campaign ledger [NAME|ID] [--public]");

    if (rc)
        return rc;
    if (cli_store(cli, &st) || world_load(cli, st, pos[0], &w))
        return 1;
    ledger_input(&w, &in);
    if (bp_ledger_compute(&in, public_view, &l, &err)) {
        world_release(&w);
        return cli_fail(cli, &err);
    }
    if (cli->json) {
        json_t *o = json_pack("{s:s,s:s,s:o,s:I,s:I}", "campaign", w.c.id,
                              "name", w.c.name, "total", row_json(&l.total),
                              "balance_vnd", (json_int_t)l.balance_vnd,
                              "outstanding_vnd",
                              (json_int_t)l.outstanding_vnd);
        json_t *k = json_object(), *m = json_array(), *p = json_array(),
               *d = json_array();
        for (i = 0; i < BP_DONOR_NKINDS; i++)
            json_object_set_new(k, bp_donor_kind_name((enum bp_donor_kind)i),
                                row_json(&l.by_kind[i]));
        for (i = 0; i < l.nmonths; i++) {
            json_t *r = row_json(&l.months[i].t);
            snprintf(label, sizeof(label), "%04d-%02d", l.months[i].year,
                     l.months[i].month);
            json_object_set_new(r, "month", json_string(label));
            json_array_append_new(m, r);
        }
        for (i = 0; i < l.nprojects; i++) {
            json_t *r = row_json(&l.projects[i]);
            json_object_set_new(r, "road", json_string(w.roads[i].name));
            json_array_append_new(p, r);
        }
        for (i = 0; i < l.ndonors; i++) {
            json_t *r = row_json(&l.donors[i].t);
            json_object_set_new(r, "donor", reg_json_str(l.donors[i].name));
            json_object_set_new(r, "kind", json_string(bp_donor_kind_name(
                                               l.donors[i].kind)));
            json_array_append_new(d, r);
        }
        json_object_set_new(o, "by_kind", k);
        json_object_set_new(o, "by_month", m);
        json_object_set_new(o, "by_project", p);
        json_object_set_new(o, "donors", d);
        json_object_set_new(o, "public", json_boolean(public_view));
        reg_json_print(o);
        goto out;
    }
    printf("%s: %s%s\n", L(cli, "Sổ quỹ", "Ledger"), w.c.name,
           public_view ? L(cli, " (công khai)", " (public)") : "");
    reg_cell("", 28);
    printf("%20s %20s %20s\n", L(cli, "Cam kết", "Promised"),
           L(cli, "Đã nhận", "Received"), L(cli, "Đã chi", "Spent"));
    print_row(cli, L(cli, "Tổng cộng", "Total"), &l.total);
    printf("  %s: %s; %s: %s; %s: %s\n", L(cli, "tiền mặt", "cash"),
           money(cli, l.total.cash_vnd, a), L(cli, "hiện vật", "in kind"),
           money(cli, l.total.in_kind_vnd, b),
           L(cli, "ngày công", "labour"),
           money(cli, l.total.labour_vnd, label));
    printf("  %s: %s; %s: %s\n", L(cli, "Tồn quỹ", "Balance"),
           money(cli, l.balance_vnd, a),
           L(cli, "cam kết chưa nhận", "promised, not yet received"),
           money(cli, l.outstanding_vnd, b));
    printf("\n%s\n", L(cli, "Theo loại nhà tài trợ", "By donor kind"));
    for (i = 0; i < BP_DONOR_NKINDS; i++)
        print_row(cli,
                  L(cli, bp_donor_kind_vi((enum bp_donor_kind)i),
                    bp_donor_kind_en((enum bp_donor_kind)i)),
                  &l.by_kind[i]);
    printf("\n%s\n", L(cli, "Theo tháng", "By month"));
    for (i = 0; i < l.nmonths; i++) {
        snprintf(label, sizeof(label), "%02d/%04d", l.months[i].month,
                 l.months[i].year);
        print_row(cli, label, &l.months[i].t);
    }
    printf("\n%s\n", L(cli, "Theo công trình", "By project"));
    for (i = 0; i < l.nprojects; i++)
        print_row(cli, w.roads[i].name, &l.projects[i]);
    print_row(cli, L(cli, "(chưa phân bổ)", "(not assigned)"),
              &l.unassigned);
    printf("\n%s\n", L(cli, "Nhà tài trợ", "Donors"));
    for (i = 0; i < l.ndonors; i++)
        print_row(cli,
                  l.donors[i].name
                      ? l.donors[i].name
                      : L(cli, "Nhà hảo tâm (ẩn danh)", "Anonymous donor"),
                  &l.donors[i].t);
out:
    bp_ledger_release(&l);
    world_release(&w);
    return 0;
}

static int campaign_show(struct cli *cli, int argc, char **argv)
{
    const char *pos[1] = {""}, *as_of_s = NULL;
    const struct reg_opt opts[] = {{"--as-of", &as_of_s, NULL},
                                   {NULL, NULL, NULL}};
    struct bp_ledger_input in;
    struct bp_ledger l = {0};
    struct bp_road_report rr = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    struct world w;
    char a[48], b[48], k1[32], k2[32], d1[16], d2[16];
    int32_t as_of = BP_DATE_NONE;
    int rc = reg_parse(cli, argc, argv, opts, pos, 1,
                       "cách dùng: campaign show [TÊN|ID] [--as-of NGÀY]",
                       "usage: campaign show [NAME|ID] [--as-of DATE]");

    if (rc || (as_of_s && (rc = reg_date(cli, as_of_s, "--as-of", &as_of))))
        return rc;
    if (cli_store(cli, &st) || world_load(cli, st, pos[0], &w))
        return 1;
    ledger_input(&w, &in);
    rc = bp_ledger_compute(&in, 1, &l, &err);
    if (!rc)
        rc = bp_road_report_compute(w.roads, w.nroads, w.prog, w.nprog,
                                    w.dons, w.ndons, w.exps, w.nexps, NULL,
                                    0, as_of, &rr, &err);
    if (rc) {
        bp_ledger_release(&l);
        world_release(&w);
        return cli_fail(cli, &err);
    }
    if (cli->json) {
        reg_json_print(json_pack(
            "{s:s,s:s,s:o,s:o,s:I,s:f,s:I,s:o,s:I,s:f,s:f,s:I,s:I}", "id",
            w.c.id, "name", w.c.name, "starts_on",
            reg_json_date(w.c.starts_on), "ends_on",
            reg_json_date(w.c.ends_on), "goal_vnd",
            (json_int_t)w.c.goal_vnd, "goal_road_m", w.c.goal_road_m,
            "labour_day_vnd", (json_int_t)w.c.labour_day_vnd, "totals",
            row_json(&l.total), "balance_vnd", (json_int_t)l.balance_vnd,
            "road_planned_m", rr.total.planned_m, "road_built_m",
            rr.total.built_m, "road_cost_vnd", (json_int_t)rr.total.cost_vnd,
            "vnd_per_km", (json_int_t)rr.total.vnd_per_km));
    } else {
        printf("%s: %s\n", L(cli, "Đợt vận động", "Campaign"), w.c.name);
        printf("  %s: %s – %s\n", L(cli, "Thời gian", "Period"),
               reg_date_vi(cli, w.c.starts_on, d1),
               reg_date_vi(cli, w.c.ends_on, d2));
        printf("  %s: %s / %s %s\n", L(cli, "Đã nhận / mục tiêu",
                                       "Received / goal"),
               money(cli, l.total.received_vnd, a),
               money(cli, w.c.goal_vnd, b),
               w.c.goal_vnd > 0 ? "" : L(cli, "(chưa đặt)", "(none set)"));
        printf("  %s: %s; %s: %s; %s: %s\n", L(cli, "Cam kết", "Promised"),
               money(cli, l.total.promised_vnd, a),
               L(cli, "đã chi", "spent"), money(cli, l.total.spent_vnd, b),
               L(cli, "tồn quỹ", "balance"),
               money(cli, l.balance_vnd, (char[48]){0}));
        printf("  %s: %s / %s km (%s%%)\n",
               L(cli, "Đường đã làm / kế hoạch", "Road built / planned"),
               cli_km(cli, rr.total.built_m, k1, sizeof(k1)),
               cli_km(cli, rr.total.planned_m, k2, sizeof(k2)),
               bp_fmt_number(rr.total.share * 100, 1, cli->lang, a,
                             sizeof(a)));
        printf("  %s: %s\n", L(cli, "Chi phí bình quân mỗi km",
                               "Cost per km built"),
               money(cli, rr.total.vnd_per_km, a));
        printf("  %s: %zu; %s: %zu\n",
               L(cli, "Số nhà tài trợ", "Donors"), l.ndonors,
               L(cli, "công trình", "projects"), rr.total.projects);
    }
    bp_road_report_release(&rr);
    bp_ledger_release(&l);
    world_release(&w);
    return 0;
}

static const struct cli_cmd campaign_cmds[] = {
    {"add", campaign_add, "thêm đợt vận động", "add a campaign"},
    {"show", campaign_show, "tổng hợp đợt vận động", "campaign summary"},
    {"ledger", campaign_ledger, "sổ quỹ (--public: ẩn tên nhà hảo tâm)",
     "the ledger (--public hides anonymous donors)"},
    {NULL, NULL, NULL, NULL},
};

int cmd_campaign(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, campaign_cmds, "campaign", argc - 1, argv + 1);
}

/* ---- donors ---- */

static int donor_add(struct cli *cli, int argc, char **argv)
{
    const char *name = NULL, *kind = NULL, *contact = NULL, *note = NULL;
    int anon = 0;
    const struct reg_opt opts[] = {
        {"--name", &name, NULL},       {"--kind", &kind, NULL},
        {"--contact", &contact, NULL}, {"--note", &note, NULL},
        {"--anonymous", NULL, &anon},  {NULL, NULL, NULL}};
    struct bp_donor d = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: donor add --name TÊN --kind "
                       "organisation|enterprise|unit|individual "
                       "[--anonymous]",
                       "usage: donor add --name NAME --kind "
                       "organisation|enterprise|unit|individual "
                       "[--anonymous]");

    if (rc)
        return rc;
    if (!name || !kind)
        return cli_usage(cli, "cần --name và --kind",
                         "--name and --kind are required");
    if (bp_donor_kind_parse(kind, &d.kind))
        return cli_usage(cli, "loại nhà tài trợ không hợp lệ",
                         "unknown donor kind");
    if (cli_store(cli, &st))
        return 1;
    d.name = (char *)name;
    d.anonymous = anon;
    d.contact = (char *)contact;
    d.note = (char *)note;
    if (bp_store_donor_put(st, &d, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        reg_json_print(json_pack("{s:s,s:s}", "id", d.id, "name", name));
    else
        printf("%s: %s (%s)\n", L(cli, "Đã thêm nhà tài trợ", "Donor added"),
               name, d.id);
    return 0;
}

static int donor_csv(struct cli *cli, const char *path,
                     const struct bp_donor *v, size_t n)
{
    struct bp_buf b = BP_BUF_INIT;
    struct bp_csv_writer w;
    static const char *const head[] = {"ma", "loai", "ten", "an_danh",
                                       "lien_he", "ghi_chu"};
    size_t i;
    int rc = 0;

    rc = csv_begin(&w, &b, head, 6);
    for (i = 0; i < n && !rc; i++) {
        const char *f[6] = {v[i].id, bp_donor_kind_name(v[i].kind),
                            v[i].name, v[i].anonymous ? "1" : "0",
                            v[i].contact, v[i].note};
        rc = bp_csv_write_row(&w, f, 6);
    }
    rc = csv_end(cli, rc, path, &b);
    return rc;
}

static int donor_list(struct cli *cli, int argc, char **argv)
{
    const char *csv = NULL;
    const struct reg_opt opts[] = {{"--csv", &csv, NULL}, {NULL, NULL, NULL}};
    struct bp_donor *v = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t n = 0, i;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: donor list [--csv TỆP]",
                       "usage: donor list [--csv FILE]");

    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_donor_list(st, &v, &n, &err))
        return cli_fail(cli, &err);
    if (csv) {
        rc = donor_csv(cli, csv, v, n);
    } else if (cli->json) {
        json_t *a = json_array();
        for (i = 0; i < n; i++)
            json_array_append_new(
                a, json_pack("{s:s,s:s,s:s,s:b}", "id", v[i].id, "kind",
                             bp_donor_kind_name(v[i].kind), "name",
                             v[i].name, "anonymous", v[i].anonymous));
        reg_json_print(a);
    } else {
        for (i = 0; i < n; i++) {
            reg_cell(v[i].name, 40);
            reg_cell(L(cli, bp_donor_kind_vi(v[i].kind),
                       bp_donor_kind_en(v[i].kind)),
                     18);
            printf("%s\n", v[i].anonymous ? L(cli, "ẩn danh", "anonymous")
                                          : "");
        }
    }
    bp_store_donor_list_free(v, n);
    return rc;
}

static int donor_import(struct cli *cli, int argc, char **argv)
{
    return run_import(cli, argc, argv, BP_CX_DONORS);
}

static const struct cli_cmd donor_cmds[] = {
    {"add", donor_add, "thêm nhà tài trợ", "add a donor"},
    {"import", donor_import, "nhập nhà tài trợ từ CSV",
     "import donors from CSV"},
    {"list", donor_list, "danh sách nhà tài trợ (--csv TỆP: xuất)",
     "list donors (--csv FILE: export)"},
    {NULL, NULL, NULL, NULL},
};

int cmd_donor(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, donor_cmds, "donor", argc - 1, argv + 1);
}

/* ---- donations ---- */

/* Find a promise by id or document number (bp_store_promise_find). */
static int promise_ref(struct bp_store *st, const char *ref, bp_uuid out,
                       struct bp_error *err)
{
    int rc;

    out[0] = 0;
    if (!ref || !*ref)
        return 0;
    rc = bp_store_promise_find(st, ref, out, err);
    if (rc == BP_ENOTFOUND || rc == BP_ECONFLICT)
        snprintf(err->field, sizeof(err->field), "fulfils");
    return rc;
}

static int donation_add(struct cli *cli, int argc, char **argv)
{
    const char *camp = NULL, *donor = NULL, *status = "received",
               *form = "cash", *amount = NULL, *item = NULL, *qty = NULL,
               *unit = NULL, *days = NULL, *date = NULL, *receipt = NULL,
               *fulfils = NULL, *road = NULL, *note = NULL;
    int promise = 0;
    const struct reg_opt opts[] = {
        {"--campaign", &camp, NULL}, {"--donor", &donor, NULL},
        {"--status", &status, NULL}, {"--promise", NULL, &promise},
        {"--form", &form, NULL},     {"--amount", &amount, NULL},
        {"--item", &item, NULL},     {"--quantity", &qty, NULL},
        {"--unit", &unit, NULL},     {"--days", &days, NULL},
        {"--date", &date, NULL},     {"--receipt", &receipt, NULL},
        {"--fulfils", &fulfils, NULL}, {"--road", &road, NULL},
        {"--note", &note, NULL},     {NULL, NULL, NULL}};
    struct bp_donation d = {0};
    struct bp_donor dn = {0};
    struct bp_campaign c = {0};
    struct bp_road r = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    char a[48];
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: donation add --donor TÊN [--campaign TÊN] "
                       "[--promise] [--form cash|in_kind|labour] "
                       "--amount ĐỒNG | --item VẬT --quantity SL --unit ĐVT "
                       "--amount GIÁ_TRỊ | --days NGÀY_CÔNG; --date NGÀY "
                       "[--receipt SỐ_PHIẾU] [--fulfils CAM_KẾT] "
                       "[--road CÔNG_TRÌNH]",
                       "usage: donation add --donor NAME [--campaign NAME] "
                       "[--promise] [--form cash|in_kind|labour] "
                       "--amount VND | --item ITEM --quantity Q --unit U "
                       "--amount VALUE | --days DAYS; --date DATE "
                       "[--receipt NO] [--fulfils PROMISE] [--road ROAD]");

    if (rc)
        return rc;
    if (!donor || !date)
        return cli_usage(cli, "cần --donor và --date",
                         "--donor and --date are required");
    if (promise)
        status = "promised";
    if (bp_donation_status_parse(status, &d.status) ||
        bp_donation_form_parse(form, &d.form))
        return cli_usage(cli, "--status hoặc --form không hợp lệ",
                         "bad --status or --form");
    if ((rc = opt_money(cli, amount, "--amount", &d.amount_vnd)) ||
        (rc = opt_number(cli, qty, "--quantity", &d.quantity)) ||
        (rc = opt_number(cli, days, "--days", &d.labour_days)) ||
        (rc = opt_date(cli, date, "--date", &d.on)))
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (campaign_ref(cli, st, camp, &c))
        return 1;
    memcpy(d.campaign_id, c.id, sizeof(bp_uuid));
    bp_campaign_release(&c);
    if (bp_store_donor_find(st, donor, &dn, &err))
        return cli_fail(cli, &err);
    memcpy(d.donor_id, dn.id, sizeof(bp_uuid));
    bp_donor_release(&dn);
    if (road) {
        if (bp_store_road_find(st, road, &r, &err))
            return cli_fail(cli, &err);
        memcpy(d.road_id, r.id, sizeof(bp_uuid));
        bp_road_release(&r);
    }
    if (promise_ref(st, fulfils, d.fulfils_id, &err))
        return cli_fail(cli, &err);
    d.item = (char *)item;
    d.unit = (char *)unit;
    d.receipt_no = (char *)receipt;
    d.note = (char *)note;
    if (bp_store_donation_put(st, &d, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        reg_json_print(json_pack("{s:s,s:I}", "id", d.id, "amount_vnd",
                                 (json_int_t)d.amount_vnd));
    else
        printf("%s: %s %s (%s)\n",
               d.status == BP_PROMISED ? L(cli, "Đã ghi cam kết",
                                           "Promise recorded")
                                       : L(cli, "Đã ghi khoản nhận",
                                           "Receipt recorded"),
               money(cli, d.amount_vnd, a),
               L(cli, bp_donation_form_vi(d.form),
                 bp_donation_form_name(d.form)),
               d.id);
    return 0;
}

static const char *donor_name_of(const struct bp_donor *v, size_t n,
                                 const char *id)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!strcmp(v[i].id, id))
            return v[i].name;
    return "?";
}

static const char *road_name_of(const struct bp_road *v, size_t n,
                                const char *id)
{
    size_t i;

    for (i = 0; id[0] && i < n; i++)
        if (!strcmp(v[i].id, id))
            return v[i].name;
    return "";
}

/* The export's header: the first name of each column `import` reads. */
static const char *const donation_head[] = {
    "nha_tai_tro", "ngay", "chien_dich", "trang_thai", "hinh_thuc", "so_tien",
    "hien_vat", "so_luong", "don_vi_tinh", "ngay_cong", "so_phieu",
    "thuc_hien_cam_ket", "cong_trinh", "ghi_chu", "ma"};

static int donation_csv(struct cli *cli, const char *path,
                        const struct world *w)
{
    struct bp_buf b = BP_BUF_INIT;
    struct bp_csv_writer wr;
    char amt[32], qty[32], days[32], day[16];
    size_t i;
    int rc;

    rc = csv_begin(&wr, &b, donation_head, 15);
    for (i = 0; i < w->ndons && !rc; i++) {
        const struct bp_donation *d = &w->dons[i];
        const char *fulfil = "";
        size_t j;
        for (j = 0; d->fulfils_id[0] && j < w->ndons; j++)
            if (!strcmp(w->dons[j].id, d->fulfils_id))
                fulfil = w->dons[j].receipt_no ? w->dons[j].receipt_no
                                               : w->dons[j].id;
        snprintf(amt, sizeof(amt), "%lld", (long long)d->amount_vnd);
        snprintf(qty, sizeof(qty), "%g", d->quantity);
        snprintf(days, sizeof(days), "%g", d->labour_days);
        {
            const char *f[15] = {
                donor_name_of(w->donors, w->ndonors, d->donor_id),
                bp_date_format_iso(d->on, day),
                w->c.name,
                bp_donation_status_name(d->status),
                bp_donation_form_name(d->form),
                amt,
                d->item,
                d->form == BP_IN_KIND ? qty : "",
                d->unit,
                d->form == BP_LABOUR ? days : "",
                d->receipt_no,
                fulfil,
                road_name_of(w->roads, w->nroads, d->road_id),
                d->note,
                d->id};
            rc = bp_csv_write_row(&wr, f, 15);
        }
    }
    rc = csv_end(cli, rc, path, &b);
    return rc;
}

static int donation_list(struct cli *cli, int argc, char **argv)
{
    const char *csv = NULL, *camp = NULL;
    int public_view = 0;
    const struct reg_opt opts[] = {{"--csv", &csv, NULL},
                                   {"--campaign", &camp, NULL},
                                   {"--public", NULL, &public_view},
                                   {NULL, NULL, NULL}};
    struct bp_store *st;
    struct world w;
    char a[48], day[16];
    size_t i, j;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: donation list [--campaign TÊN] "
                       "[--public] [--csv TỆP]",
                       "usage: donation list [--campaign NAME] [--public] "
                       "[--csv FILE]");

    if (rc)
        return rc;
    if (cli_store(cli, &st) || world_load(cli, st, camp, &w))
        return 1;
    if (csv) {
        rc = donation_csv(cli, csv, &w);
        world_release(&w);
        return rc;
    }
    {
        json_t *arr = cli->json ? json_array() : NULL;
        for (i = 0; i < w.ndons; i++) {
            const struct bp_donation *d = &w.dons[i];
            const char *name = "?";
            int anon = 0;
            if (strcmp(d->campaign_id, w.c.id))
                continue;
            for (j = 0; j < w.ndonors; j++)
                if (!strcmp(w.donors[j].id, d->donor_id)) {
                    name = w.donors[j].name;
                    anon = w.donors[j].anonymous;
                }
            if (public_view && anon)
                name = L(cli, "Nhà hảo tâm (ẩn danh)", "Anonymous donor");
            if (arr) {
                json_array_append_new(
                    arr,
                    json_pack("{s:s,s:s,s:o,s:s,s:s,s:I,s:o,s:o,s:o}", "id",
                              d->id, "donor", name, "date",
                              reg_json_date(d->on), "status",
                              bp_donation_status_name(d->status), "form",
                              bp_donation_form_name(d->form), "amount_vnd",
                              (json_int_t)d->amount_vnd, "receipt_no",
                              reg_json_str(d->receipt_no), "item",
                              reg_json_str(d->item), "road",
                              reg_json_str(road_name_of(w.roads, w.nroads,
                                                        d->road_id))));
                continue;
            }
            printf("%s  ", reg_date_vi(cli, d->on, day));
            reg_cell(d->status == BP_PROMISED ? L(cli, "cam kết", "promised")
                                              : L(cli, "đã nhận", "received"),
                     8);
            reg_cell(name, 36);
            printf("%18s  ", money(cli, d->amount_vnd, a));
            reg_cell(L(cli, bp_donation_form_vi(d->form),
                       bp_donation_form_name(d->form)),
                     9);
            printf("%s\n", d->receipt_no ? d->receipt_no : "");
        }
        if (arr)
            reg_json_print(arr);
    }
    world_release(&w);
    return 0;
}

static int donation_import(struct cli *cli, int argc, char **argv)
{
    return run_import(cli, argc, argv, BP_CX_DONATIONS);
}

static const struct cli_cmd donation_cmds[] = {
    {"add", donation_add, "ghi khoản ủng hộ (cam kết hoặc đã nhận)",
     "record a donation (promise or receipt)"},
    {"import", donation_import, "nhập khoản ủng hộ từ CSV",
     "import donations from CSV"},
    {"list", donation_list, "danh sách khoản ủng hộ (--csv TỆP: xuất)",
     "list donations (--csv FILE: export)"},
    {NULL, NULL, NULL, NULL},
};

int cmd_donation(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, donation_cmds, "donation", argc - 1, argv + 1);
}

/* ---- expenses ---- */

static int expense_add(struct cli *cli, int argc, char **argv)
{
    const char *camp = NULL, *doc = NULL, *date = NULL, *amount = NULL,
               *road = NULL, *purpose = NULL;
    const struct reg_opt opts[] = {
        {"--campaign", &camp, NULL}, {"--doc", &doc, NULL},
        {"--date", &date, NULL},     {"--amount", &amount, NULL},
        {"--road", &road, NULL},     {"--purpose", &purpose, NULL},
        {NULL, NULL, NULL}};
    struct bp_expense e = {0};
    struct bp_campaign c = {0};
    struct bp_road r = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    char a[48];
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: expense add --doc SỐ_CHỨNG_TỪ --date NGÀY "
                       "--amount ĐỒNG [--road CÔNG_TRÌNH] [--purpose NỘI_DUNG]",
                       "usage: expense add --doc NO --date DATE --amount VND "
                       "[--road ROAD] [--purpose TEXT]");

    if (rc)
        return rc;
    if (!doc || !date || !amount)
        return cli_usage(cli, "cần --doc, --date và --amount",
                         "--doc, --date and --amount are required");
    if ((rc = opt_money(cli, amount, "--amount", &e.amount_vnd)) ||
        (rc = opt_date(cli, date, "--date", &e.on)))
        return rc;
    if (cli_store(cli, &st) || campaign_ref(cli, st, camp, &c))
        return 1;
    memcpy(e.campaign_id, c.id, sizeof(bp_uuid));
    bp_campaign_release(&c);
    if (road) {
        if (bp_store_road_find(st, road, &r, &err))
            return cli_fail(cli, &err);
        memcpy(e.road_id, r.id, sizeof(bp_uuid));
        bp_road_release(&r);
    }
    e.doc_no = (char *)doc;
    e.purpose = (char *)purpose;
    if (bp_store_expense_put(st, &e, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        reg_json_print(json_pack("{s:s,s:I}", "id", e.id, "amount_vnd",
                                 (json_int_t)e.amount_vnd));
    else
        printf("%s: %s %s (%s)\n", L(cli, "Đã ghi khoản chi",
                                     "Expense recorded"),
               doc, money(cli, e.amount_vnd, a), e.id);
    return 0;
}

/* The export's header: the first name of each column `import` reads. */
static const char *const expense_head[] = {
    "so_chung_tu", "ngay", "so_tien", "chien_dich", "cong_trinh", "noi_dung",
    "ma"};

static int expense_list(struct cli *cli, int argc, char **argv)
{
    const char *csv = NULL, *camp = NULL;
    const struct reg_opt opts[] = {{"--csv", &csv, NULL},
                                   {"--campaign", &camp, NULL},
                                   {NULL, NULL, NULL}};
    struct bp_store *st;
    struct world w;
    char a[48], day[16];
    size_t i;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: expense list [--csv TỆP]",
                       "usage: expense list [--csv FILE]");

    if (rc)
        return rc;
    if (cli_store(cli, &st) || world_load(cli, st, camp, &w))
        return 1;
    if (csv) {
        struct bp_buf b = BP_BUF_INIT;
        struct bp_csv_writer wr;
        rc = csv_begin(&wr, &b, expense_head, 7);
        for (i = 0; i < w.nexps && !rc; i++) {
            const struct bp_expense *e = &w.exps[i];
            if (strcmp(e->campaign_id, w.c.id))
                continue;
            const char *f[7] = {e->doc_no, bp_date_format_iso(e->on, day),
                                a, w.c.name,
                                road_name_of(w.roads, w.nroads, e->road_id),
                                e->purpose, e->id};
            snprintf(a, sizeof(a), "%lld", (long long)e->amount_vnd);
            rc = bp_csv_write_row(&wr, f, 7);
        }
        rc = csv_end(cli, rc, csv, &b);
    } else if (cli->json) {
        json_t *arr = json_array();
        for (i = 0; i < w.nexps; i++)
            if (!strcmp(w.exps[i].campaign_id, w.c.id))
                json_array_append_new(
                arr, json_pack("{s:s,s:s,s:o,s:I,s:s,s:o}", "id",
                               w.exps[i].id, "doc_no", w.exps[i].doc_no,
                               "date", reg_json_date(w.exps[i].on),
                               "amount_vnd",
                               (json_int_t)w.exps[i].amount_vnd, "road",
                               road_name_of(w.roads, w.nroads,
                                            w.exps[i].road_id),
                               "purpose", reg_json_str(w.exps[i].purpose)));
        reg_json_print(arr);
    } else {
        for (i = 0; i < w.nexps; i++) {
            if (strcmp(w.exps[i].campaign_id, w.c.id))
                continue;
            printf("%s  ", reg_date_vi(cli, w.exps[i].on, day));
            reg_cell(w.exps[i].doc_no, 14);
            printf("%18s  %s\n", money(cli, w.exps[i].amount_vnd, a),
                   road_name_of(w.roads, w.nroads, w.exps[i].road_id));
        }
    }
    world_release(&w);
    return rc;
}

static int expense_import(struct cli *cli, int argc, char **argv)
{
    return run_import(cli, argc, argv, BP_CX_EXPENSES);
}

static const struct cli_cmd expense_cmds[] = {
    {"add", expense_add, "ghi khoản chi", "record an expense"},
    {"import", expense_import, "nhập khoản chi từ CSV",
     "import expenses from CSV"},
    {"list", expense_list, "danh sách khoản chi (--csv TỆP: xuất)",
     "list expenses (--csv FILE: export)"},
    {NULL, NULL, NULL, NULL},
};

int cmd_expense(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, expense_cmds, "expense", argc - 1, argv + 1);
}

/* ---- roads ---- */

static int road_add(struct cli *cli, int argc, char **argv)
{
    const char *name = NULL, *camp = NULL, *commune = NULL, *from = NULL,
               *from_km = NULL, *to = NULL, *to_km = NULL, *marker = NULL,
               *length = NULL, *budget = NULL, *start = NULL, *fin = NULL,
               *note = NULL;
    const struct reg_opt opts[] = {
        {"--name", &name, NULL},       {"--campaign", &camp, NULL},
        {"--commune", &commune, NULL}, {"--from", &from, NULL},
        {"--from-km", &from_km, NULL}, {"--to", &to, NULL},
        {"--to-km", &to_km, NULL},     {"--path-to", &marker, NULL},
        {"--length", &length, NULL},   {"--budget", &budget, NULL},
        {"--start", &start, NULL},     {"--finish", &fin, NULL},
        {"--note", &note, NULL},       {NULL, NULL, NULL}};
    struct bp_road r = {0};
    struct bp_campaign c = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    char k1[32], k2[32];
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: road add --name TÊN [--commune XÃ] "
                       "(--from MỐC[+M]|--from-km KM --to MỐC[+M]|--to-km KM"
                       " | --path-to MỐC --length M) [--budget ĐỒNG] "
                       "[--start NGÀY] [--finish NGÀY]",
                       "usage: road add --name NAME [--commune C] "
                       "(--from MARKER[+M]|--from-km KM --to MARKER[+M]|"
                       "--to-km KM | --path-to MARKER --length M) "
                       "[--budget VND] [--start DATE] [--finish DATE]");

    if (rc)
        return rc;
    if (!name)
        return cli_usage(cli, "cần --name", "--name is required");
    if ((rc = opt_money(cli, budget, "--budget", &r.budget_vnd)) ||
        (rc = opt_number(cli, length, "--length", &r.planned_m)) ||
        (rc = opt_date(cli, start, "--start", &r.starts_on)) ||
        (rc = opt_date(cli, fin, "--finish", &r.finished_on)))
        return rc;
    if (marker) {
        r.kind = BP_ROAD_PATH;
        if (bp_anchor_parse(marker, &r.from))
            return cli_usage(cli, "--path-to: số mốc không hợp lệ",
                             "--path-to: not a marker");
    } else if (parse_anchor(from, from_km, &r.from) ||
               parse_anchor(to, to_km, &r.to)) {
        return cli_usage(cli,
                         "cần --from/--from-km và --to/--to-km, hoặc "
                         "--path-to MỐC",
                         "need --from/--from-km and --to/--to-km, or "
                         "--path-to MARKER");
    }
    if (cli_store(cli, &st))
        return 1;
    if (!bp_store_campaign_find(st, camp, &c, &err)) {
        memcpy(r.campaign_id, c.id, sizeof(bp_uuid));
        bp_campaign_release(&c);
    } else if (camp) {
        return cli_fail(cli, &err);
    }
    if (commune_ref(cli, st, commune, r.commune_id))
        return 1;
    r.name = (char *)name;
    r.note = (char *)note;
    if (bp_store_road_put(st, &r, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        reg_json_print(json_pack("{s:s,s:s,s:f,s:f,s:f}", "id", r.id, "name",
                                 name, "from_m", r.from.measure_m, "to_m",
                                 r.to.measure_m, "planned_m", r.planned_m));
    else
        printf("%s: %s, km %s – %s (%s)\n", L(cli, "Đã thêm công trình",
                                              "Road project added"),
               name, cli_km(cli, r.from.measure_m, k1, sizeof(k1)),
               cli_km(cli, r.kind == BP_ROAD_PATH
                               ? r.from.measure_m
                               : r.to.measure_m,
                      k2, sizeof(k2)),
               r.id);
    return 0;
}

static int road_progress(struct cli *cli, int argc, char **argv)
{
    const char *road = NULL, *from = NULL, *to = NULL, *from_km = NULL,
               *to_km = NULL, *date = NULL, *note = NULL, *done = NULL;
    const struct reg_opt opts[] = {
        {"--road", &road, NULL},       {"--from", &from, NULL},
        {"--to", &to, NULL},           {"--from-km", &from_km, NULL},
        {"--to-km", &to_km, NULL},     {"--date", &date, NULL},
        {"--built-m", &done, NULL},    {"--note", &note, NULL},
        {NULL, NULL, NULL}};
    struct bp_road_progress p = {0};
    struct bp_road r = {0};
    struct bp_anchor a, b;
    struct bp_marker *mk = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t nmk = 0;
    double m = 0;
    char k1[32];
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: road progress --road TÊN --date NGÀY "
                       "(--from MỐC[+M]|--from-km KM --to ...|--to-km KM | "
                       "--built-m MÉT_TỪ_ĐẦU)",
                       "usage: road progress --road NAME --date DATE "
                       "(--from MARKER[+M]|--from-km KM --to ...|--to-km KM "
                       "| --built-m METRES_FROM_START)");

    if (rc)
        return rc;
    if (!road || !date)
        return cli_usage(cli, "cần --road và --date",
                         "--road and --date are required");
    if ((rc = opt_date(cli, date, "--date", &p.on)))
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_road_find(st, road, &r, &err))
        return cli_fail(cli, &err);
    memcpy(p.road_id, r.id, sizeof(bp_uuid));
    if (done) {
        /* Metres from the road's start: a path, or the first stretch. */
        rc = opt_number(cli, done, "--built-m", &m);
        bp_road_extent(&r, &p.from_m, &p.to_m);
        p.to_m = p.from_m + m;
    } else if (parse_anchor(from, from_km, &a) ||
               parse_anchor(to, to_km, &b)) {
        rc = cli_usage(cli, "cần đoạn đã làm", "need the stretch built");
    } else if (bp_store_marker_list(st, &mk, &nmk, &err) ||
               bp_anchor_resolve(&a, mk, nmk) ||
               bp_anchor_resolve(&b, mk, nmk)) {
        if (!err.message[0])
            bp_error_set(&err, BP_ENOTFOUND, "no such marker");
        rc = cli_fail(cli, &err);
    } else {
        p.from_m = a.measure_m;
        p.to_m = b.measure_m;
    }
    bp_store_marker_list_free(mk, nmk);
    bp_road_release(&r);
    if (rc)
        return rc;
    p.note = (char *)note;
    if (bp_store_road_progress_put(st, &p, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        reg_json_print(json_pack("{s:s,s:f,s:f}", "id", p.id, "from_m",
                                 p.from_m, "to_m", p.to_m));
    else
        printf("%s: %s km\n", L(cli, "Đã ghi tiến độ", "Progress recorded"),
               cli_km(cli, p.to_m - p.from_m, k1, sizeof(k1)));
    return 0;
}

static int road_report(struct cli *cli, int argc, char **argv, int one)
{
    const char *pos[1] = {NULL}, *as_of_s = NULL, *csv = NULL;
    const struct reg_opt opts[] = {{"--as-of", &as_of_s, NULL},
                                   {"--csv", &csv, NULL},
                                   {NULL, NULL, NULL}};
    struct bp_road_report rr = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    struct world w = {0};
    bp_uuid *cids = NULL;
    int32_t as_of = BP_DATE_NONE;
    char k1[32], k2[32], a[48], b[48], day[16];
    size_t i;
    int rc = reg_parse(cli, argc, argv, opts, pos, one ? 1 : 0,
                       "cách dùng: road list|show [TÊN] [--as-of NGÀY] "
                       "[--csv TỆP]",
                       "usage: road list|show [NAME] [--as-of DATE] "
                       "[--csv FILE]");

    if (rc || (as_of_s && (rc = reg_date(cli, as_of_s, "--as-of", &as_of))))
        return rc;
    if (cli_store(cli, &st))
        return 1;
    /* Roads may exist without a campaign: load what there is. */
    if (bp_store_road_list(st, &w.roads, &w.nroads, &err) ||
        bp_store_road_progress_list(st, &w.prog, &w.nprog, &err) ||
        bp_store_donation_list(st, &w.dons, &w.ndons, &err) ||
        bp_store_expense_list(st, &w.exps, &w.nexps, &err) ||
        bp_store_commune_list(st, &w.communes, &w.ncommunes, &err)) {
        world_release(&w);
        return cli_fail(cli, &err);
    }
    cids = bp_calloc(w.ncommunes + 1, sizeof(*cids));
    for (i = 0; cids && i < w.ncommunes; i++)
        memcpy(cids[i], w.communes[i].id, sizeof(bp_uuid));
    if (!cids ||
        bp_road_report_compute(w.roads, w.nroads, w.prog, w.nprog, w.dons,
                               w.ndons, w.exps, w.nexps,
                               (const bp_uuid *)cids, w.ncommunes, as_of,
                               &rr, &err)) {
        bp_free(cids);
        world_release(&w);
        return cli_fail(cli, &err);
    }
    if (csv) {
        struct bp_buf buf = BP_BUF_INIT;
        struct bp_csv_writer wr;
        static const char *const head[] = {
            "ma", "ten", "xa", "tu_km", "den_km", "ke_hoach_m", "da_lam_m",
            "du_toan_vnd", "da_chi_vnd", "chi_phi_vnd", "vnd_moi_km"};
        char f3[32], f4[32], f5[32], f6[32], f7[32], f8[32], f9[32],
            f10[32];
        rc = csv_begin(&wr, &buf, head, 11);
        for (i = 0; i < w.nroads && !rc; i++) {
            const struct bp_road_figures *f = &rr.roads[i];
            snprintf(f3, 32, "%.3f", w.roads[i].from.measure_m / 1000);
            snprintf(f4, 32, "%.3f", w.roads[i].to.measure_m / 1000);
            snprintf(f5, 32, "%.1f", f->planned_m);
            snprintf(f6, 32, "%.1f", f->built_m);
            snprintf(f7, 32, "%lld", (long long)f->budget_vnd);
            snprintf(f8, 32, "%lld", (long long)f->spent_vnd);
            snprintf(f9, 32, "%lld", (long long)f->cost_vnd);
            snprintf(f10, 32, "%lld", (long long)f->vnd_per_km);
            {
                const char *row[11] = {
                    w.roads[i].id, w.roads[i].name,
                    commune_name(w.communes, w.ncommunes,
                                 w.roads[i].commune_id),
                    f3, f4, f5, f6, f7, f8, f9, f10};
                rc = bp_csv_write_row(&wr, row, 11);
            }
        }
        rc = csv_end(cli, rc, csv, &buf);
        goto out;
    }
    if (cli->json) {
        json_t *arr = json_array();
        for (i = 0; i < w.nroads; i++) {
            const struct bp_road_figures *f = &rr.roads[i];
            if (one && strcasecmp(w.roads[i].id, pos[0]) &&
                !strstr(w.roads[i].name, pos[0]))
                continue;
            json_array_append_new(
                arr,
                json_pack("{s:s,s:s,s:s,s:s,s:f,s:f,s:f,s:f,s:I,s:I,s:I,s:I,"
                          "s:I,s:o,s:o}",
                          "id", w.roads[i].id, "name", w.roads[i].name,
                          "kind",
                          w.roads[i].kind == BP_ROAD_PATH ? "path" : "along",
                          "commune",
                          commune_name(w.communes, w.ncommunes,
                                       w.roads[i].commune_id),
                          "from_m", w.roads[i].from.measure_m, "to_m",
                          w.roads[i].to.measure_m, "planned_m", f->planned_m,
                          "built_m", f->built_m, "budget_vnd",
                          (json_int_t)f->budget_vnd, "received_vnd",
                          (json_int_t)f->received_vnd, "spent_vnd",
                          (json_int_t)f->spent_vnd, "cost_vnd",
                          (json_int_t)f->cost_vnd, "vnd_per_km",
                          (json_int_t)f->vnd_per_km, "last_on",
                          reg_json_date(f->last_on), "finished_on",
                          reg_json_date(w.roads[i].finished_on)));
        }
        if (one) {
            json_t *x = json_array_get(arr, 0);
            reg_json_print(x ? json_incref(x) : json_null());
            json_decref(arr);
        } else
            reg_json_print(json_pack("{s:o,s:f,s:f,s:f,s:I,s:I}", "roads",
                                     arr, "planned_m", rr.total.planned_m,
                                     "built_m", rr.total.built_m, "share",
                                     rr.total.share, "cost_vnd",
                                     (json_int_t)rr.total.cost_vnd,
                                     "vnd_per_km",
                                     (json_int_t)rr.total.vnd_per_km));
        goto out;
    }
    if (!one) {
        printf("%s\n", L(cli, "Tiến độ công trình đường tuần tra",
                         "Patrol road progress"));
        for (i = 0; i < w.nroads; i++) {
            const struct bp_road_figures *f = &rr.roads[i];
            reg_cell(w.roads[i].name, 34);
            reg_cell(commune_name(w.communes, w.ncommunes,
                                  w.roads[i].commune_id),
                     18);
            printf("%9s/%-9s km %5s%%  %s\n",
                   cli_km(cli, f->built_m, k1, sizeof(k1)),
                   cli_km(cli, f->planned_m, k2, sizeof(k2)),
                   bp_fmt_number(f->share * 100, 0, cli->lang, a, sizeof(a)),
                   f->finished ? L(cli, "hoàn thành", "finished") : "");
        }
        printf("%s\n", L(cli, "Theo xã", "By commune"));
        for (i = 0; i < w.ncommunes; i++) {
            if (!rr.communes[i].projects)
                continue;
            reg_cell(w.communes[i].name, 34);
            printf("%9s/%-9s km  %zu %s\n",
                   cli_km(cli, rr.communes[i].built_m, k1, sizeof(k1)),
                   cli_km(cli, rr.communes[i].planned_m, k2, sizeof(k2)),
                   rr.communes[i].projects,
                   L(cli, "công trình", "projects"));
        }
        printf("%s: %s / %s km (%s%%); %s: %s; %s: %s\n",
               L(cli, "Tổng", "Total"),
               cli_km(cli, rr.total.built_m, k1, sizeof(k1)),
               cli_km(cli, rr.total.planned_m, k2, sizeof(k2)),
               bp_fmt_number(rr.total.share * 100, 1, cli->lang, a,
                             sizeof(a)),
               L(cli, "chi phí", "cost"), money(cli, rr.total.cost_vnd, b),
               L(cli, "bình quân/km", "per km"),
               money(cli, rr.total.vnd_per_km, (char[48]){0}));
        goto out;
    }
    for (i = 0; i < w.nroads; i++) {
        const struct bp_road_figures *f = &rr.roads[i];
        const struct bp_road *r = &w.roads[i];
        size_t j;
        if (strcasecmp(r->id, pos[0]) && !strstr(r->name, pos[0]))
            continue;
        printf("%s\n", r->name);
        printf("  %s: %s\n", L(cli, "Xã", "Commune"),
               commune_name(w.communes, w.ncommunes, r->commune_id));
        if (r->kind == BP_ROAD_PATH)
            printf("  %s %s%s (km %s), %s m\n",
                   L(cli, "Đường lên mốc", "Path to marker"),
                   r->from.marker_key, "",
                   cli_km(cli, r->from.measure_m, k1, sizeof(k1)),
                   bp_fmt_number(f->planned_m, 0, cli->lang, a, sizeof(a)));
        else
            printf("  km %s – %s\n",
                   cli_km(cli, r->from.measure_m, k1, sizeof(k1)),
                   cli_km(cli, r->to.measure_m, k2, sizeof(k2)));
        printf("  %s: %s / %s km (%s%%)\n",
               L(cli, "Đã làm / kế hoạch", "Built / planned"),
               cli_km(cli, f->built_m, k1, sizeof(k1)),
               cli_km(cli, f->planned_m, k2, sizeof(k2)),
               bp_fmt_number(f->share * 100, 1, cli->lang, a, sizeof(a)));
        printf("  %s: %s; %s: %s; %s: %s\n", L(cli, "Dự toán", "Budget"),
               money(cli, f->budget_vnd, a), L(cli, "đã chi", "spent"),
               money(cli, f->spent_vnd, b), L(cli, "bình quân/km", "per km"),
               money(cli, f->vnd_per_km, (char[48]){0}));
        printf("  %s: %s – %s\n", L(cli, "Khởi công – hoàn thành",
                                    "Start – finish"),
               reg_date_vi(cli, r->starts_on, day),
               reg_date_vi(cli, r->finished_on, (char[16]){0}));
        for (j = 0; j < w.nprog; j++)
            if (!strcmp(w.prog[j].road_id, r->id))
                printf("    %s  %s km\n", reg_date_vi(cli, w.prog[j].on, day),
                       cli_km(cli, w.prog[j].to_m - w.prog[j].from_m, k1,
                              sizeof(k1)));
    }
out:
    bp_free(cids);
    bp_road_report_release(&rr);
    world_release(&w);
    return rc;
}

static int road_list(struct cli *cli, int argc, char **argv)
{
    return road_report(cli, argc, argv, 0);
}

static int road_show(struct cli *cli, int argc, char **argv)
{
    return road_report(cli, argc, argv, 1);
}

static int road_import(struct cli *cli, int argc, char **argv)
{
    return run_import(cli, argc, argv, BP_CX_ROADS);
}

static const struct cli_cmd road_cmds[] = {
    {"add", road_add, "thêm công trình đường tuần tra / đường lên mốc",
     "add a patrol road project or marker path"},
    {"import", road_import, "nhập công trình đường từ CSV",
     "import road projects from CSV"},
    {"progress", road_progress, "ghi đoạn đường đã làm",
     "record a stretch built"},
    {"list", road_list, "tiến độ các công trình (--csv TỆP: xuất)",
     "progress of every project (--csv FILE: export)"},
    {"show", road_show, "chi tiết một công trình", "one project in detail"},
    {NULL, NULL, NULL, NULL},
};

int cmd_road(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, road_cmds, "road", argc - 1, argv + 1);
}

/* ---- bamboo ---- */

static int bamboo_add(struct cli *cli, int argc, char **argv)
{
    const char *commune = NULL, *from = NULL, *from_km = NULL, *to = NULL,
               *to_km = NULL, *clumps = NULL, *hh = NULL, *date = NULL,
               *note = NULL;
    const struct reg_opt opts[] = {
        {"--commune", &commune, NULL}, {"--from", &from, NULL},
        {"--from-km", &from_km, NULL}, {"--to", &to, NULL},
        {"--to-km", &to_km, NULL},     {"--clumps", &clumps, NULL},
        {"--households", &hh, NULL},   {"--date", &date, NULL},
        {"--note", &note, NULL},       {NULL, NULL, NULL}};
    struct bp_bamboo b = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    double x = 0, y = 0;
    char k1[32];
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: bamboo add --commune XÃ --from MỐC[+M]|"
                       "--from-km KM --to MỐC[+M]|--to-km KM --clumps SỐ_KHÓM"
                       " --date NGÀY [--households SỐ_HỘ]",
                       "usage: bamboo add --commune C --from MARKER[+M]|"
                       "--from-km KM --to MARKER[+M]|--to-km KM --clumps N "
                       "--date DATE [--households N]");

    if (rc)
        return rc;
    if (!clumps || !date || parse_anchor(from, from_km, &b.from) ||
        parse_anchor(to, to_km, &b.to))
        return cli_usage(cli, "cần đoạn, --clumps và --date",
                         "the stretch, --clumps and --date are required");
    if ((rc = opt_number(cli, clumps, "--clumps", &x)) ||
        (rc = opt_number(cli, hh, "--households", &y)) ||
        (rc = opt_date(cli, date, "--date", &b.planted_on)))
        return rc;
    b.clumps = (long)x;
    b.households = (long)y;
    if (cli_store(cli, &st) || commune_ref(cli, st, commune, b.commune_id))
        return 1;
    b.note = (char *)note;
    if (bp_store_bamboo_put(st, &b, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        reg_json_print(json_pack("{s:s,s:f,s:f}", "id", b.id, "from_m",
                                 b.from.measure_m, "to_m", b.to.measure_m));
    else
        printf("%s: %ld %s, %s km (%s)\n",
               L(cli, "Đã ghi trồng tre", "Bamboo planting recorded"),
               b.clumps, L(cli, "khóm", "clumps"),
               cli_km(cli, b.to.measure_m - b.from.measure_m, k1, sizeof(k1)),
               b.id);
    return 0;
}

static int bamboo_check(struct cli *cli, int argc, char **argv)
{
    const char *id = NULL, *alive = NULL, *date = NULL, *note = NULL;
    const struct reg_opt opts[] = {
        {"--planting", &id, NULL}, {"--alive", &alive, NULL},
        {"--date", &date, NULL},   {"--note", &note, NULL},
        {NULL, NULL, NULL}};
    struct bp_bamboo_check c = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    double x = 0;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: bamboo check --planting ID --alive "
                       "SỐ_KHÓM --date NGÀY",
                       "usage: bamboo check --planting ID --alive N "
                       "--date DATE");

    if (rc)
        return rc;
    if (!id || !alive || !date)
        return cli_usage(cli, "cần --planting, --alive và --date",
                         "--planting, --alive and --date are required");
    if ((rc = opt_number(cli, alive, "--alive", &x)) ||
        (rc = opt_date(cli, date, "--date", &c.on)))
        return rc;
    if (cli_store(cli, &st))
        return 1;
    snprintf(c.bamboo_id, sizeof(bp_uuid), "%s", id);
    c.alive = (long)x;
    c.note = (char *)note;
    if (bp_store_bamboo_check_put(st, &c, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        reg_json_print(json_pack("{s:s}", "id", c.id));
    else
        printf("%s: %ld %s\n", L(cli, "Đã ghi kiểm tra", "Check recorded"),
               c.alive, L(cli, "khóm sống", "clumps alive"));
    return 0;
}

/* Figures per commune for bamboo and lights share this loop. */
static int models_load(struct cli *cli, struct bp_store *st,
                       struct bp_commune **cv, size_t *nc)
{
    struct bp_error err = {0};

    if (bp_store_commune_list(st, cv, nc, &err))
        return cli_fail(cli, &err);
    return 0;
}

static int bamboo_list(struct cli *cli, int argc, char **argv)
{
    const char *as_of_s = NULL, *csv = NULL;
    const struct reg_opt opts[] = {{"--as-of", &as_of_s, NULL},
                                   {"--csv", &csv, NULL},
                                   {NULL, NULL, NULL}};
    struct bp_bamboo *b = NULL;
    struct bp_bamboo_check *c = NULL;
    struct bp_commune *cv = NULL;
    struct bp_bamboo_figures f;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t nb = 0, nc = 0, ncv = 0, i;
    int32_t as_of = BP_DATE_NONE;
    char k1[32];
    json_t *arr = NULL;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: bamboo list [--as-of NGÀY] [--csv TỆP]",
                       "usage: bamboo list [--as-of DATE] [--csv FILE]");

    if (rc || (as_of_s && (rc = reg_date(cli, as_of_s, "--as-of", &as_of))))
        return rc;
    if (cli_store(cli, &st) || models_load(cli, st, &cv, &ncv))
        return 1;
    if (bp_store_bamboo_list(st, &b, &nb, &err) ||
        bp_store_bamboo_check_list(st, &c, &nc, &err)) {
        rc = cli_fail(cli, &err);
        goto out;
    }
    if (csv) {
        struct bp_buf buf = BP_BUF_INIT;
        struct bp_csv_writer wr;
        static const char *const head[] = {"ma", "xa", "tu_km", "den_km",
                                           "so_khom", "so_ho", "ngay_trong",
                                           "ghi_chu"};
        char f1[32], f2[32], f3[32], f4[32], day[16];
        rc = csv_begin(&wr, &buf, head, 8);
        for (i = 0; i < nb && !rc; i++) {
            snprintf(f1, 32, "%.3f", b[i].from.measure_m / 1000);
            snprintf(f2, 32, "%.3f", b[i].to.measure_m / 1000);
            snprintf(f3, 32, "%ld", b[i].clumps);
            snprintf(f4, 32, "%ld", b[i].households);
            {
                const char *row[8] = {
                    b[i].id, commune_name(cv, ncv, b[i].commune_id), f1, f2,
                    f3, f4, bp_date_format_iso(b[i].planted_on, day),
                    b[i].note};
                rc = bp_csv_write_row(&wr, row, 8);
            }
        }
        rc = csv_end(cli, rc, csv, &buf);
        goto out;
    }
    if (cli->json)
        arr = json_array();
    else
        printf("%s\n", L(cli, "Mô hình \"Lũy tre biên giới Việt\"",
                         "Bamboo belt (\"Lũy tre biên giới Việt\")"));
    for (i = 0; i <= ncv; i++) {
        const char *cid = i < ncv ? cv[i].id : NULL;
        if (bp_bamboo_figures(b, nb, c, nc, cid, as_of, &f, &err)) {
            rc = cli_fail(cli, &err);
            goto out;
        }
        if (i < ncv && !f.plantings)
            continue;
        if (arr) {
            json_array_append_new(
                arr, json_pack("{s:o,s:f,s:I,s:I,s:I,s:I}", "commune",
                               i < ncv ? json_string(cv[i].name)
                                       : json_null(),
                               "planted_m", f.planted_m, "clumps_planted",
                               (json_int_t)f.clumps_planted, "clumps_alive",
                               (json_int_t)f.clumps_alive, "households",
                               (json_int_t)f.households, "plantings",
                               (json_int_t)f.plantings));
            continue;
        }
        reg_cell(i < ncv ? cv[i].name : L(cli, "Tổng", "Total"), 20);
        printf("%8s km  %6s %s, %6s %s (%s%%), %s %s\n",
               cli_km(cli, f.planted_m, k1, sizeof(k1)),
               CNT(cli, f.clumps_planted),
               L(cli, "khóm trồng", "clumps planted"),
               CNT(cli, f.clumps_alive), L(cli, "còn sống", "alive"),
               bp_fmt_number(f.clumps_planted
                                 ? 100.0 * (double)f.clumps_alive /
                                       (double)f.clumps_planted
                                 : 0,
                             1, cli->lang, (char[32]){0}, 32),
               CNT(cli, f.households), L(cli, "hộ", "households"));
    }
    if (arr)
        reg_json_print(arr);
out:
    bp_store_bamboo_list_free(b, nb);
    bp_store_bamboo_check_list_free(c, nc);
    bp_store_commune_list_free(cv, ncv);
    return rc;
}

static int bamboo_import(struct cli *cli, int argc, char **argv)
{
    return run_import(cli, argc, argv, BP_CX_BAMBOO);
}

static const struct cli_cmd bamboo_cmds[] = {
    {"add", bamboo_add, "ghi đợt trồng tre", "record a bamboo planting"},
    {"import", bamboo_import, "nhập các đợt trồng tre từ CSV",
     "import bamboo plantings from CSV"},
    {"check", bamboo_check, "ghi kiểm tra số khóm sống",
     "record a survival check"},
    {"list", bamboo_list, "số km, số khóm trồng và còn sống theo xã",
     "km, clumps planted and alive by commune"},
    {NULL, NULL, NULL, NULL},
};

int cmd_bamboo(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, bamboo_cmds, "bamboo", argc - 1, argv + 1);
}

/* ---- lights ---- */

static int light_add(struct cli *cli, int argc, char **argv)
{
    const char *km = NULL, *lon = NULL, *lat = NULL, *kind = "solar",
               *date = NULL, *funder = NULL, *road = NULL, *commune = NULL,
               *note = NULL;
    int broken = 0;
    const struct reg_opt opts[] = {
        {"--km", &km, NULL},           {"--lon", &lon, NULL},
        {"--lat", &lat, NULL},         {"--kind", &kind, NULL},
        {"--date", &date, NULL},       {"--funder", &funder, NULL},
        {"--road", &road, NULL},       {"--commune", &commune, NULL},
        {"--not-working", NULL, &broken}, {"--note", &note, NULL},
        {NULL, NULL, NULL}};
    struct bp_light l = {0};
    struct bp_road r = {0};
    struct bp_anchor a;
    struct bp_error err = {0};
    struct bp_store *st;
    char k1[32];
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: light add (--km KM | --lon X --lat Y) "
                       "--date NGÀY [--kind solar|grid|other] [--funder "
                       "ĐƠN_VỊ] [--road CÔNG_TRÌNH]",
                       "usage: light add (--km KM | --lon X --lat Y) "
                       "--date DATE [--kind solar|grid|other] [--funder F] "
                       "[--road ROAD]");

    if (rc)
        return rc;
    if (!date || (!km && !(lon && lat)))
        return cli_usage(cli, "cần --date và vị trí (--km hoặc --lon/--lat)",
                         "--date and a position (--km or --lon/--lat) are "
                         "required");
    l.lon = l.lat = NAN;
    if (km) {
        if (bp_anchor_parse_km(km, &a))
            return cli_usage(cli, "--km không hợp lệ", "bad --km");
        l.measure_m = a.measure_m;
    } else if ((rc = opt_number(cli, lon, "--lon", &l.lon)) ||
               (rc = opt_number(cli, lat, "--lat", &l.lat))) {
        return rc;
    }
    if (bp_light_kind_parse(kind, &l.kind))
        return cli_usage(cli, "loại đèn không hợp lệ", "unknown light kind");
    if ((rc = opt_date(cli, date, "--date", &l.installed_on)))
        return rc;
    if (cli_store(cli, &st) || commune_ref(cli, st, commune, l.commune_id))
        return 1;
    if (road) {
        if (bp_store_road_find(st, road, &r, &err))
            return cli_fail(cli, &err);
        memcpy(l.road_id, r.id, sizeof(bp_uuid));
        bp_road_release(&r);
    }
    l.working = !broken;
    l.funder = (char *)funder;
    l.note = (char *)note;
    if (bp_store_light_put(st, &l, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        reg_json_print(json_pack("{s:s,s:f,s:s}", "id", l.id, "measure_m",
                                 l.measure_m, "road_id", l.road_id));
    else
        printf("%s: km %s (%s)\n", L(cli, "Đã ghi đèn", "Light recorded"),
               cli_km(cli, l.measure_m, k1, sizeof(k1)), l.id);
    return 0;
}

static int light_check(struct cli *cli, int argc, char **argv)
{
    const char *id = NULL, *date = NULL, *note = NULL;
    int working = 0, broken = 0;
    const struct reg_opt opts[] = {
        {"--light", &id, NULL},          {"--date", &date, NULL},
        {"--working", NULL, &working},   {"--not-working", NULL, &broken},
        {"--note", &note, NULL},         {NULL, NULL, NULL}};
    struct bp_light_check c = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: light check --light ID --date NGÀY "
                       "--working|--not-working",
                       "usage: light check --light ID --date DATE "
                       "--working|--not-working");

    if (rc)
        return rc;
    if (!id || !date || working == broken)
        return cli_usage(cli, "cần --light, --date và --working hoặc "
                              "--not-working",
                         "--light, --date and --working or --not-working "
                         "are required");
    if ((rc = opt_date(cli, date, "--date", &c.on)))
        return rc;
    if (cli_store(cli, &st))
        return 1;
    snprintf(c.light_id, sizeof(bp_uuid), "%s", id);
    c.working = working;
    c.note = (char *)note;
    if (bp_store_light_check_put(st, &c, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        reg_json_print(json_pack("{s:s}", "id", c.id));
    else
        printf("%s\n", L(cli, "Đã ghi kiểm tra đèn", "Light check recorded"));
    return 0;
}

static int light_list(struct cli *cli, int argc, char **argv)
{
    const char *as_of_s = NULL, *reach_s = NULL, *csv = NULL;
    const struct reg_opt opts[] = {{"--as-of", &as_of_s, NULL},
                                   {"--reach", &reach_s, NULL},
                                   {"--csv", &csv, NULL},
                                   {NULL, NULL, NULL}};
    struct bp_light *l = NULL;
    struct bp_light_check *c = NULL;
    struct bp_commune *cv = NULL;
    struct bp_light_figures f;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t nl = 0, nc = 0, ncv = 0, i;
    int32_t as_of = BP_DATE_NONE;
    double reach = BP_LIGHT_REACH_M;
    char k1[32];
    json_t *arr = NULL;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: light list [--as-of NGÀY] [--reach MÉT] "
                       "[--csv TỆP]",
                       "usage: light list [--as-of DATE] [--reach M] "
                       "[--csv FILE]");

    if (rc || (as_of_s && (rc = reg_date(cli, as_of_s, "--as-of", &as_of))) ||
        (rc = opt_number(cli, reach_s, "--reach", &reach)))
        return rc;
    if (cli_store(cli, &st) || models_load(cli, st, &cv, &ncv))
        return 1;
    if (bp_store_light_list(st, &l, &nl, &err) ||
        bp_store_light_check_list(st, &c, &nc, &err)) {
        rc = cli_fail(cli, &err);
        goto out;
    }
    if (csv) {
        struct bp_buf buf = BP_BUF_INIT;
        struct bp_csv_writer wr;
        static const char *const head[] = {"ma", "xa", "km", "kinh_do",
                                           "vi_do", "loai", "ngay_lap",
                                           "don_vi_tai_tro", "hoat_dong"};
        char f1[32], f2[32], f3[32], day[16];
        rc = csv_begin(&wr, &buf, head, 9);
        for (i = 0; i < nl && !rc; i++) {
            snprintf(f1, 32, "%.3f", l[i].measure_m / 1000);
            snprintf(f2, 32, "%.6f", l[i].lon);
            snprintf(f3, 32, "%.6f", l[i].lat);
            {
                const char *row[9] = {
                    l[i].id, commune_name(cv, ncv, l[i].commune_id), f1,
                    isfinite(l[i].lon) ? f2 : "",
                    isfinite(l[i].lat) ? f3 : "",
                    bp_light_kind_name(l[i].kind),
                    bp_date_format_iso(l[i].installed_on, day), l[i].funder,
                    bp_light_working(&l[i], c, nc, as_of) ? "1" : "0"};
                rc = bp_csv_write_row(&wr, row, 9);
            }
        }
        rc = csv_end(cli, rc, csv, &buf);
        goto out;
    }
    if (cli->json)
        arr = json_array();
    else
        printf("%s\n", L(cli, "Mô hình \"Thắp sáng đường tuần tra biên giới\"",
                         "Patrol-road lights"));
    for (i = 0; i <= ncv; i++) {
        if (bp_light_figures(l, nl, c, nc, i < ncv ? cv[i].id : NULL, as_of,
                             reach, &f, NULL, &err)) {
            rc = cli_fail(cli, &err);
            goto out;
        }
        if (i < ncv && !f.installed)
            continue;
        if (arr) {
            json_array_append_new(
                arr, json_pack("{s:o,s:I,s:I,s:f}", "commune",
                               i < ncv ? json_string(cv[i].name)
                                       : json_null(),
                               "installed", (json_int_t)f.installed,
                               "working", (json_int_t)f.working, "lit_m",
                               f.lit_m));
            continue;
        }
        reg_cell(i < ncv ? cv[i].name : L(cli, "Tổng", "Total"), 20);
        printf("%4s %s, %4s %s, %s km %s\n", CNT(cli, f.installed),
               L(cli, "đèn", "lights"), CNT(cli, f.working),
               L(cli, "đang sáng", "working"),
               cli_km(cli, f.lit_m, k1, sizeof(k1)),
               L(cli, "được chiếu sáng", "lit"));
    }
    if (arr)
        reg_json_print(arr);
out:
    bp_store_light_list_free(l, nl);
    bp_store_light_check_list_free(c, nc);
    bp_store_commune_list_free(cv, ncv);
    return rc;
}

static int light_import(struct cli *cli, int argc, char **argv)
{
    return run_import(cli, argc, argv, BP_CX_LIGHTS);
}

static const struct cli_cmd light_cmds[] = {
    {"add", light_add, "ghi đèn lắp đặt", "record a light"},
    {"import", light_import, "nhập đèn từ CSV", "import lights from CSV"},
    {"check", light_check, "ghi kiểm tra đèn", "record a light check"},
    {"list", light_list, "số đèn đang sáng, số km được chiếu sáng",
     "lights working, km lit"},
    {NULL, NULL, NULL, NULL},
};

int cmd_light(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, light_cmds, "light", argc - 1, argv + 1);
}

/* ---- 3 March activities ---- */

/* The export's header: the first name of each column `import` reads. */
static const char *const event_head[] = {
    "xa", "nam", "so_hoat_dong", "hinh_thuc", "so_nguoi_tham_gia",
    "so_suat_qua", "gia_tri_qua", "kinh_phi", "ghi_chu", "ma"};

static int event_put(struct bp_store *st, struct bp_event *e,
                     struct bp_error *err)
{
    struct bp_event *v = NULL;
    size_t n = 0, i;

    /* One record per commune and year: a second add updates it. */
    if (!e->id[0] && !bp_store_event_list(st, &v, &n, err)) {
        for (i = 0; i < n; i++)
            if (!strcmp(v[i].commune_id, e->commune_id) &&
                v[i].year == e->year)
                memcpy(e->id, v[i].id, sizeof(bp_uuid));
        bp_store_event_list_free(v, n);
    }
    return bp_store_event_put(st, e, err);
}

static int event_add(struct cli *cli, int argc, char **argv)
{
    const char *commune = NULL, *year = NULL, *acts = NULL, *kinds = NULL,
               *people = NULL, *gifts = NULL, *gifts_vnd = NULL,
               *funds = NULL, *note = NULL;
    const struct reg_opt opts[] = {
        {"--commune", &commune, NULL},   {"--year", &year, NULL},
        {"--activities", &acts, NULL},   {"--kinds", &kinds, NULL},
        {"--participants", &people, NULL}, {"--gifts", &gifts, NULL},
        {"--gifts-value", &gifts_vnd, NULL}, {"--funds", &funds, NULL},
        {"--note", &note, NULL},         {NULL, NULL, NULL}};
    struct bp_event e = {0};
    struct bp_store *st;
    double y = 0, a = 0, p = 0, g = 0;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: event add --commune XÃ --year NĂM "
                       "--activities SỐ [--kinds \"họp mặt; thăm hộ\"] "
                       "[--participants SỐ] [--gifts SỐ_SUẤT] "
                       "[--gifts-value ĐỒNG] [--funds ĐỒNG]",
                       "usage: event add --commune C --year YEAR "
                       "--activities N [--kinds TEXT] [--participants N] "
                       "[--gifts N] [--gifts-value VND] [--funds VND]");

    if (rc)
        return rc;
    if (!commune || !year)
        return cli_usage(cli, "cần --commune và --year",
                         "--commune and --year are required");
    if ((rc = opt_number(cli, year, "--year", &y)) ||
        (rc = opt_number(cli, acts, "--activities", &a)) ||
        (rc = opt_number(cli, people, "--participants", &p)) ||
        (rc = opt_number(cli, gifts, "--gifts", &g)) ||
        (rc = opt_money(cli, gifts_vnd, "--gifts-value", &e.gifts_vnd)) ||
        (rc = opt_money(cli, funds, "--funds", &e.funds_vnd)))
        return rc;
    if (cli_store(cli, &st) || commune_ref(cli, st, commune, e.commune_id))
        return 1;
    e.year = (int)y;
    e.activities = (long)a;
    e.participants = (long)p;
    e.gifts = (long)g;
    e.kinds = (char *)kinds;
    e.note = (char *)note;
    {
        struct bp_error err = {0};
        if (event_put(st, &e, &err))
            return cli_fail(cli, &err);
    }
    if (cli->json)
        reg_json_print(json_pack("{s:s}", "id", e.id));
    else
        printf("%s: %d (%s)\n", L(cli, "Đã ghi hoạt động Ngày 3/3",
                                  "3 March activities recorded"),
               e.year, e.id);
    return 0;
}

static int event_import(struct cli *cli, int argc, char **argv)
{
    return run_import(cli, argc, argv, BP_CX_EVENTS);
}

static int event_list(struct cli *cli, int argc, char **argv)
{
    const char *year_s = NULL, *csv = NULL;
    const struct reg_opt opts[] = {{"--year", &year_s, NULL},
                                   {"--csv", &csv, NULL},
                                   {NULL, NULL, NULL}};
    struct bp_event *v = NULL;
    struct bp_commune *cv = NULL;
    struct bp_event_figures f;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t n = 0, ncv = 0, i;
    double yd = 0;
    int year, y0 = 9999, y1 = 0;
    char a[48], b[48];
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: event list [--year NĂM] [--csv TỆP]",
                       "usage: event list [--year YEAR] [--csv FILE]");

    if (rc || (rc = opt_number(cli, year_s, "--year", &yd)))
        return rc;
    if (cli_store(cli, &st) || models_load(cli, st, &cv, &ncv))
        return 1;
    if (bp_store_event_list(st, &v, &n, &err)) {
        rc = cli_fail(cli, &err);
        goto out;
    }
    if (csv) {
        struct bp_buf buf = BP_BUF_INIT;
        struct bp_csv_writer wr;
        char fs[6][32];
        rc = csv_begin(&wr, &buf, event_head, 10);
        for (i = 0; i < n && !rc; i++) {
            if (yd && v[i].year != (int)yd)
                continue;
            snprintf(fs[0], 32, "%d", v[i].year);
            snprintf(fs[1], 32, "%ld", v[i].activities);
            snprintf(fs[2], 32, "%ld", v[i].participants);
            snprintf(fs[3], 32, "%ld", v[i].gifts);
            snprintf(fs[4], 32, "%lld", (long long)v[i].gifts_vnd);
            snprintf(fs[5], 32, "%lld", (long long)v[i].funds_vnd);
            {
                const char *row[10] = {
                    commune_name(cv, ncv, v[i].commune_id), fs[0], fs[1],
                    v[i].kinds, fs[2], fs[3], fs[4], fs[5], v[i].note, v[i].id};
                rc = bp_csv_write_row(&wr, row, 10);
            }
        }
        rc = csv_end(cli, rc, csv, &buf);
        goto out;
    }
    for (i = 0; i < n; i++) {
        if (v[i].year < y0)
            y0 = v[i].year;
        if (v[i].year > y1)
            y1 = v[i].year;
    }
    if (yd)
        y0 = y1 = (int)yd;
    if (cli->json) {
        json_t *arr = json_array();
        for (year = y0; year <= y1; year++) {
            if (bp_event_figures(v, n, year, &f, &err))
                break;
            json_array_append_new(
                arr, json_pack("{s:i,s:I,s:I,s:I,s:I,s:I,s:I}", "year", year,
                               "communes", (json_int_t)f.communes,
                               "activities", (json_int_t)f.activities,
                               "participants", (json_int_t)f.participants,
                               "gifts", (json_int_t)f.gifts, "gifts_vnd",
                               (json_int_t)f.gifts_vnd, "funds_vnd",
                               (json_int_t)f.funds_vnd));
        }
        reg_json_print(arr);
        goto out;
    }
    printf("%s\n", L(cli, "Hoạt động Ngày Biên phòng toàn dân (3/3)",
                     "All-People Border Guard Day (3 March) activities"));
    for (year = y0; year <= y1; year++) {
        if (bp_event_figures(v, n, year, &f, &err)) {
            rc = cli_fail(cli, &err);
            goto out;
        }
        printf("%d: %s %s, %s %s, %s %s, %s %s (%s), %s %s\n", year,
               CNT(cli, f.communes), L(cli, "xã", "communes"),
               CNT(cli, f.activities), L(cli, "hoạt động", "activities"),
               CNT(cli, f.participants), L(cli, "lượt người", "participants"),
               CNT(cli, f.gifts),
               L(cli, "suất quà", "gifts"), money(cli, f.gifts_vnd, a),
               L(cli, "kinh phí", "funds"), money(cli, f.funds_vnd, b));
    }
out:
    bp_store_event_list_free(v, n);
    bp_store_commune_list_free(cv, ncv);
    return rc;
}

static const struct cli_cmd event_cmds[] = {
    {"add", event_add, "ghi hoạt động Ngày 3/3 của xã trong năm",
     "record a commune's 3 March activities for a year"},
    {"import", event_import, "nhập hoạt động 3/3 từ CSV",
     "import 3 March activities from CSV"},
    {"list", event_list, "tổng hợp theo năm (--csv TỆP: xuất)",
     "totals by year (--csv FILE: export)"},
    {NULL, NULL, NULL, NULL},
};

int cmd_event(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, event_cmds, "event", argc - 1, argv + 1);
}

/* ---- commendations ---- */

/* The export's header: the first name of each column `import` reads. */
static const char *const award_head[] = {
    "nguoi_nhan", "so_quyet_dinh", "ngay_quyet_dinh", "doi_tuong",
    "hinh_thuc", "xa", "ly_do", "ma_ho_tap_the", "ma"};

static int award_add(struct cli *cli, int argc, char **argv)
{
    const char *who = NULL, *kind = "household", *level = NULL, *no = NULL,
               *date = NULL, *reason = NULL, *commune = NULL,
               *custodian = NULL;
    const struct reg_opt opts[] = {
        {"--recipient", &who, NULL},   {"--kind", &kind, NULL},
        {"--level", &level, NULL},     {"--decision", &no, NULL},
        {"--date", &date, NULL},       {"--reason", &reason, NULL},
        {"--commune", &commune, NULL}, {"--custodian", &custodian, NULL},
        {NULL, NULL, NULL}};
    struct bp_award a = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: award add --recipient TÊN --level "
                       "bk_province|bk_border_guard|gk_district|gk_station "
                       "--decision SỐ --date NGÀY [--kind person|household|"
                       "collective|unit] [--reason LÝ_DO]",
                       "usage: award add --recipient NAME --level "
                       "bk_province|bk_border_guard|gk_district|gk_station "
                       "--decision NO --date DATE [--kind person|household|"
                       "collective|unit] [--reason TEXT]");

    if (rc)
        return rc;
    if (!who || !level || !no || !date)
        return cli_usage(cli, "cần --recipient, --level, --decision, --date",
                         "--recipient, --level, --decision and --date are "
                         "required");
    if (bp_award_level_parse(level, &a.level) ||
        bp_recipient_kind_parse(kind, &a.recipient_kind))
        return cli_usage(cli, "--level hoặc --kind không hợp lệ",
                         "bad --level or --kind");
    if ((rc = opt_date(cli, date, "--date", &a.decided_on)))
        return rc;
    if (cli_store(cli, &st) || commune_ref(cli, st, commune, a.commune_id))
        return 1;
    if (custodian)
        snprintf(a.custodian_id, sizeof(bp_uuid), "%s", custodian);
    a.recipient = (char *)who;
    a.decision_no = (char *)no;
    a.reason = (char *)reason;
    if (bp_store_award_put(st, &a, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        reg_json_print(json_pack("{s:s}", "id", a.id));
    else
        printf("%s: %s — %s (%s)\n", L(cli, "Đã ghi khen thưởng",
                                       "Commendation recorded"),
               who, L(cli, bp_award_level_vi(a.level),
                      bp_award_level_en(a.level)),
               no);
    return 0;
}

static int award_import(struct cli *cli, int argc, char **argv)
{
    return run_import(cli, argc, argv, BP_CX_AWARDS);
}

static int award_list(struct cli *cli, int argc, char **argv)
{
    const char *csv = NULL;
    const struct reg_opt opts[] = {{"--csv", &csv, NULL}, {NULL, NULL, NULL}};
    struct bp_award *v = NULL;
    struct bp_commune *cv = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t n = 0, ncv = 0, i;
    char day[16];
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: award list [--csv TỆP]",
                       "usage: award list [--csv FILE]");

    if (rc)
        return rc;
    if (cli_store(cli, &st) || models_load(cli, st, &cv, &ncv))
        return 1;
    if (bp_store_award_list(st, &v, &n, &err)) {
        rc = cli_fail(cli, &err);
        goto out;
    }
    if (csv) {
        struct bp_buf buf = BP_BUF_INIT;
        struct bp_csv_writer wr;
        rc = csv_begin(&wr, &buf, award_head, 9);
        for (i = 0; i < n && !rc; i++) {
            const char *row[9] = {
                v[i].recipient, v[i].decision_no,
                bp_date_format_iso(v[i].decided_on, day),
                bp_recipient_kind_name(v[i].recipient_kind),
                bp_award_level_name(v[i].level),
                v[i].commune_id[0] ? commune_name(cv, ncv, v[i].commune_id)
                                   : "",
                v[i].reason, v[i].custodian_id, v[i].id};
            rc = bp_csv_write_row(&wr, row, 9);
        }
        rc = csv_end(cli, rc, csv, &buf);
        goto out;
    }
    if (cli->json) {
        json_t *arr = json_array();
        for (i = 0; i < n; i++)
            json_array_append_new(
                arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "id",
                               v[i].id, "recipient", v[i].recipient,
                               "recipient_kind",
                               bp_recipient_kind_name(v[i].recipient_kind),
                               "level", bp_award_level_name(v[i].level),
                               "decision_no", v[i].decision_no,
                               "decided_on", reg_json_date(v[i].decided_on),
                               "reason", reg_json_str(v[i].reason)));
        reg_json_print(arr);
        goto out;
    }
    for (i = 0; i < n; i++) {
        printf("%s  ", reg_date_vi(cli, v[i].decided_on, day));
        reg_cell(v[i].decision_no, 16);
        reg_cell(v[i].recipient, 36);
        printf("%s\n", L(cli, bp_award_level_vi(v[i].level),
                         bp_award_level_en(v[i].level)));
    }
out:
    bp_store_award_list_free(v, n);
    bp_store_commune_list_free(cv, ncv);
    return rc;
}

/*
 * Patrol figures for the suggestion (patrol.h): each custodian's verified
 * share of its pledged km over [from, to] and the incidents it reported
 * then. Fills ca[i].verified_share and ca[i].incidents for the custodians
 * `cu` (matched by id). 0, or the error's exit status after printing it.
 */
static int patrol_figures(struct cli *cli, struct bp_store *st,
                          const struct bp_custodian *cu, size_t ncu,
                          struct bp_award_candidate *ca, int32_t from,
                          int32_t to)
{
    struct bp_verify_data d = {0};
    struct bp_verify v = {0};
    struct bp_verify_group *grp = NULL;
    struct bp_incident *inc = NULL;
    struct bp_error err = {0};
    uint32_t *group = NULL;
    size_t ninc = 0, i, j;
    int32_t day;
    int rc = 0;

    if (bp_store_verify_load(st, &d, &err) ||
        bp_verify_compute(&d.in, from, to, &v, &err) ||
        bp_store_incident_list(st, -1, &inc, &ninc, &err)) {
        rc = cli_fail(cli, &err);
        goto out;
    }
    group = bp_calloc(d.in.npledges + 1, sizeof(*group));
    grp = bp_calloc(d.ncustodians + 1, sizeof(*grp));
    if (!group || !grp) {
        rc = cli_usage(cli, "hết bộ nhớ", "out of memory");
        goto out;
    }
    for (i = 0; i < d.in.npledges; i++)
        group[i] = d.pledges[i].custodian;
    if (bp_verify_group_by(&d.in, &v, group, d.ncustodians, grp, &err)) {
        rc = cli_fail(cli, &err);
        goto out;
    }
    for (j = 0; j < d.ncustodians; j++)
        for (i = 0; i < ncu; i++)
            if (!strcmp(cu[i].id, d.custodian_id[j])) {
                ca[i].verified_share = grp[j].pledged_m > 0
                                           ? grp[j].walked_m /
                                                 grp[j].pledged_m
                                           : 0;
                break;
            }
    for (i = 0; i < ncu; i++)
        ca[i].incidents = 0;
    for (j = 0; j < ninc; j++) {
        day = bp_date_of_instant(inc[j].at_s);
        if (!inc[j].reporter_custodian[0] || day < from || day > to)
            continue;
        for (i = 0; i < ncu; i++)
            if (!strcmp(cu[i].id, inc[j].reporter_custodian))
                ca[i].incidents++;
    }
out:
    bp_free(group);
    bp_free(grp);
    bp_verify_release(&v);
    bp_verify_data_release(&d);
    bp_store_incident_list_free(inc, ninc);
    return rc;
}

static int award_suggest(struct cli *cli, int argc, char **argv)
{
    const char *as_of_s = NULL, *years_s = NULL, *len_s = NULL,
               *ev_s = NULL, *limit_s = NULL, *share_s = NULL,
               *inc_s = NULL, *from_s = NULL;
    const struct reg_opt opts[] = {{"--as-of", &as_of_s, NULL},
                                   {"--from", &from_s, NULL},
                                   {"--min-verified", &share_s, NULL},
                                   {"--min-incidents", &inc_s, NULL},
                                   {"--min-years", &years_s, NULL},
                                   {"--min-km", &len_s, NULL},
                                   {"--min-event-years", &ev_s, NULL},
                                   {"--limit", &limit_s, NULL},
                                   {NULL, NULL, NULL}};
    struct bp_award_criteria cr = {0};
    struct bp_custodian *cu = NULL;
    struct bp_pledge *pl = NULL;
    struct bp_event *ev = NULL;
    struct bp_award *aw = NULL;
    struct bp_commune *cv = NULL;
    struct bp_award_candidate *ca = NULL;
    struct bp_award_suggestion *s = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t ncu = 0, npl = 0, nev = 0, naw = 0, ncv = 0, ns = 0, i;
    double years = 3, km = 0.5, evy = 3, limit = 20, share = 0, incs = 0;
    int32_t from = BP_DATE_NONE;
    char k1[32];
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: award suggest [--as-of NGÀY] "
                       "[--min-years 3] [--min-km 0,5] "
                       "[--min-event-years 3] [--min-verified TỈ_LỆ "
                       "[--min-incidents N] [--from NGÀY]] [--limit 20]",
                       "usage: award suggest [--as-of DATE] [--min-years 3] "
                       "[--min-km 0.5] [--min-event-years 3] "
                       "[--min-verified SHARE [--min-incidents N] "
                       "[--from DATE]] [--limit 20]");

    if (rc || (rc = reg_date(cli, as_of_s, "--as-of", &cr.as_of)) ||
        (rc = opt_number(cli, years_s, "--min-years", &years)) ||
        (rc = opt_number(cli, len_s, "--min-km", &km)) ||
        (rc = opt_number(cli, ev_s, "--min-event-years", &evy)) ||
        (rc = opt_number(cli, limit_s, "--limit", &limit)) ||
        (rc = opt_number(cli, share_s, "--min-verified", &share)) ||
        (rc = opt_number(cli, inc_s, "--min-incidents", &incs)) ||
        (rc = opt_date(cli, from_s, "--from", &from)))
        return rc;
    if (from == BP_DATE_NONE)
        from = cr.as_of - 365;
    cr.min_verified_share = share;
    cr.min_incidents = (long)incs;
    cr.min_years = (int)years;
    cr.min_length_m = km * 1000;
    cr.min_event_years = (int)evy;
    cr.skip_awarded_years = 2;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_custodian_list(st, &cu, &ncu, &err) ||
        bp_store_pledge_list(st, &pl, &npl, &err) ||
        bp_store_event_list(st, &ev, &nev, &err) ||
        bp_store_award_list(st, &aw, &naw, &err) ||
        bp_store_commune_list(st, &cv, &ncv, &err)) {
        rc = cli_fail(cli, &err);
        goto out;
    }
    ca = bp_calloc(ncu + 1, sizeof(*ca));
    if (!ca) {
        rc = cli_usage(cli, "hết bộ nhớ", "out of memory");
        goto out;
    }
    for (i = 0; i < ncu; i++) {
        ca[i].custodian = &cu[i];
        ca[i].verified_share = NAN;
        ca[i].incidents = -1;
    }
    /* Patrols verify pledges (patrol.h): with --min-verified, only
     * custodians whose pledged km were walked at least that share in the
     * period, and who reported at least --min-incidents incidents. */
    if (share > 0 &&
        (rc = patrol_figures(cli, st, cu, ncu, ca, from, cr.as_of)))
        goto out;
    if (bp_award_suggest(ca, ncu, pl, npl, ev, nev, aw, naw, &cr, &s, &ns,
                         &err)) {
        rc = cli_fail(cli, &err);
        goto out;
    }
    if (cli->json) {
        json_t *arr = json_array();
        for (i = 0; i < ns && i < (size_t)limit; i++)
            json_array_append_new(
                arr, json_pack("{s:s,s:s,s:s,s:f,s:i,s:i,s:f,s:s,s:o,s:I}",
                               "custodian_id", cu[s[i].custodian].id,
                               "name", cu[s[i].custodian].name, "commune",
                               commune_name(cv, ncv,
                                            cu[s[i].custodian].commune_id),
                               "pledged_m", s[i].pledged_m, "years",
                               s[i].years, "event_years", s[i].event_years,
                               "score", s[i].score, "level",
                               bp_award_level_name(s[i].level),
                               "verified_share",
                               isnan(ca[s[i].custodian].verified_share)
                                   ? json_null()
                                   : json_real(ca[s[i].custodian]
                                                   .verified_share),
                               "incidents",
                               (json_int_t)ca[s[i].custodian].incidents));
        reg_json_print(arr);
        goto out;
    }
    printf("%s (%zu)\n", L(cli, "Đề xuất khen thưởng", "Suggested "
                                                        "commendations"),
           ns);
    for (i = 0; i < ns && i < (size_t)limit; i++) {
        const struct bp_custodian *c = &cu[s[i].custodian];
        reg_cell(c->name, 36);
        reg_cell(commune_name(cv, ncv, c->commune_id), 16);
        if (!isnan(ca[s[i].custodian].verified_share))
            printf("%s %s%%, %ld %s; ",
                   L(cli, "xác minh", "verified"),
                   bp_fmt_number(100 * ca[s[i].custodian].verified_share, 0,
                                 cli->lang, (char[32]){0}, 32),
                   ca[s[i].custodian].incidents,
                   L(cli, "vụ việc", "incidents"));
        printf("%7s km, %2d %s, %d %s  → %s\n",
               cli_km(cli, s[i].pledged_m, k1, sizeof(k1)), s[i].years,
               L(cli, "năm", "years"), s[i].event_years,
               L(cli, "năm có hoạt động 3/3", "years with 3 March"),
               L(cli, bp_award_level_vi(s[i].level),
                 bp_award_level_en(s[i].level)));
    }
out:
    bp_free(s);
    bp_free(ca);
    bp_store_custodian_list_free(cu, ncu);
    bp_store_pledge_list_free(pl, npl);
    bp_store_event_list_free(ev, nev);
    bp_store_award_list_free(aw, naw);
    bp_store_commune_list_free(cv, ncv);
    return rc;
}

static const struct cli_cmd award_cmds[] = {
    {"add", award_add, "ghi khen thưởng", "record a commendation"},
    {"import", award_import, "nhập khen thưởng từ CSV",
     "import commendations from CSV"},
    {"list", award_list, "danh sách khen thưởng (--csv TỆP: xuất)",
     "list commendations (--csv FILE: export)"},
    {"suggest", award_suggest, "đề xuất khen thưởng đợt tới",
     "suggest the next round"},
    {NULL, NULL, NULL, NULL},
};

int cmd_award(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, award_cmds, "award", argc - 1, argv + 1);
}
