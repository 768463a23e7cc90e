/* SPDX-License-Identifier: MIT */
/*
 * bienphong init, station, commune, village, marker, custodian, pledge:
 * the registry from the command line. Each group is a table of
 * subcommands (add, import, list, show, ...); imports go through the
 * exchange module, all or nothing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/exchange.h"
#include "bienphong/text.h"
#include "cli/cli.h"
#include "cli/cli_registry.h"

/* ---- shared helpers (declared in cli_registry.h) ---- */

int reg_parse(struct cli *cli, int argc, char **argv,
              const struct reg_opt *opts, const char **pos, int npos,
              const char *usage_vi, const char *usage_en)
{
    const struct reg_opt *o;
    int i, k = 0, m;

    for (i = 1; i < argc; i++) {
        m = cli_global_opt(cli, argc, argv, &i);
        if (m == 1)
            continue;
        if (m < 0)
            return cli_usage(cli, usage_vi, usage_en);
        for (o = opts; o && o->name; o++) {
            if (o->flag) {
                if (cli_flag(argv, i, o->name)) {
                    *o->flag = 1;
                    break;
                }
                continue;
            }
            m = cli_opt(argc, argv, &i, o->name, o->val);
            if (m == 1)
                break;
            if (m < 0)
                return cli_usage(cli, usage_vi, usage_en);
        }
        if (o && o->name)
            continue;
        if (argv[i][0] == '-' && argv[i][1] &&
            !isdigit((unsigned char)argv[i][1]))
            return cli_usage(cli, usage_vi, usage_en);
        if (k >= npos)
            return cli_usage(cli, usage_vi, usage_en);
        pos[k++] = argv[i];
    }
    for (; k < npos; k++)
        if (!pos[k])
            return cli_usage(cli, usage_vi, usage_en);
    return 0;
}

int reg_date(struct cli *cli, const char *s, const char *what, int32_t *day)
{
    if (!s) {
        *day = bp_date_today();
        return 0;
    }
    if (bp_date_parse(s, day)) {
        fprintf(stderr, "%s: %s: %s '%s' %s\n", cli->prog,
                L(cli, "lỗi", "error"), what, s,
                L(cli, "không phải là ngày (dd/mm/yyyy hoặc yyyy-mm-dd)",
                  "is not a date (dd/mm/yyyy or yyyy-mm-dd)"));
        return 2;
    }
    return 0;
}

void reg_json_print(json_t *o)
{
    char *txt = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

    if (txt)
        puts(txt);
    free(txt);
    json_decref(o);
}

json_t *reg_json_date(int32_t day)
{
    char d[16];

    if (day == BP_DATE_NONE)
        return json_null();
    return json_string(bp_date_format_iso(day, d));
}

json_t *reg_json_str(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

char *reg_date_vi(struct cli *cli, int32_t day, char *out)
{
    if (day == BP_DATE_NONE)
        snprintf(out, 16, "—");
    else if (cli->lang == BP_LANG_VI)
        bp_date_format_vi(day, out);
    else
        bp_date_format_iso(day, out);
    return out;
}

void reg_cell(const char *s, int width)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    int n = 0;

    for (; *p; p++)
        if ((*p & 0xC0) != 0x80)
            n++;
    fputs(s ? s : "", stdout);
    for (; n < width; n++)
        putchar(' ');
    putchar(' ');
}

/* ---- import ---- */

static void progress_cb(void *ctx, long rows)
{
    struct cli *cli = ctx;

    fprintf(stderr, "\r%s %ld %s", L(cli, "Đã đọc", "Read"), rows,
            L(cli, "dòng", "rows"));
    fflush(stderr);
}

struct changed_ctx {
    struct cli *cli;
    struct bp_store *st;
    json_t *arr;
    long n;
};

static void changed_cb(void *ctx, const struct bp_pledge *p, double of,
                       double ot)
{
    struct changed_ctx *c = ctx;
    struct cli *cli = c->cli;
    char s1[32], s2[32];

    c->n++;
    if (cli->json) {
        json_array_append_new(
            c->arr,
            json_pack("{s:s,s:s,s:f,s:f,s:f,s:f}", "id", p->id, "custodian_id",
                      p->custodian_id, "old_from_m", of, "old_to_m", ot,
                      "from_m", p->from.measure_m, "to_m", p->to.measure_m));
        return;
    }
    printf("  %s %s: %s → ", L(cli, "ký nhận", "pledge"), p->id,
           cli_km(cli, ot - of, s1, sizeof(s1)));
    printf("%s km\n",
           cli_km(cli, p->to.measure_m - p->from.measure_m, s2, sizeof(s2)));
}

int reg_import(struct cli *cli, enum bp_exchange_kind kind, int argc,
               char **argv)
{
    const char *pos[1] = {NULL}, *enc = NULL;
    int update = 0;
    const struct reg_opt opts[] = {
        {"--encoding", &enc, NULL},
        {"--update", NULL, &update},
        {NULL, NULL, NULL},
    };
    struct bp_import_opts io = {0};
    struct bp_import_result res = {0};
    struct bp_error err = {0};
    struct changed_ctx cc = {0};
    struct bp_store *st;
    int tty = isatty(2), rc;
    size_t i;

    rc = reg_parse(cli, argc, argv, opts, pos, 1,
                   "cách dùng: ... import TỆP [--encoding utf-8|windows-1258|"
                   "tcvn3]",
                   "usage: ... import FILE [--encoding utf-8|windows-1258|"
                   "tcvn3]");
    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    cc.cli = cli;
    cc.st = st;
    cc.arr = json_array();
    io.encoding = enc;
    io.update = update;
    if (tty) {
        io.progress = progress_cb;
        io.progress_ctx = cli;
    }
    if (kind == BP_X_MARKERS) {
        io.changed = changed_cb;
        io.changed_ctx = &cc;
        if (!cli->json)
            printf("%s\n", L(cli, "Tính lại lý trình (đo đạc lại)...",
                             "Recomputing measures (re-survey)..."));
    }
    rc = bp_import_file(st, kind, pos[0], &io, &res, &err);
    if (tty)
        fputc('\n', stderr);
    if (rc) {
        char msg[1200];
        if (!res.nproblems)
            cli_fail(cli, &err);
        for (i = 0; i < res.nproblems; i++)
            fprintf(stderr, "%s: %s: %s\n", cli->prog, L(cli, "lỗi", "error"),
                    bp_error_format(&res.problems[i], msg, sizeof(msg)));
        if ((long)res.nproblems < res.problems_total)
            fprintf(stderr, "%s: %s %ld %s\n", cli->prog,
                    L(cli, "... và", "... and"),
                    res.problems_total - (long)res.nproblems,
                    L(cli, "lỗi khác", "more"));
        if (res.nproblems)
            fprintf(stderr, "%s: %ld %s\n", cli->prog, res.problems_total,
                    L(cli, "lỗi; không ghi gì vào cơ sở dữ liệu",
                      "problems; nothing was written"));
        json_decref(cc.arr);
        bp_import_result_release(&res);
        return 1;
    }
    if (cli->json) {
        json_t *o = json_pack(
            "{s:s,s:I,s:I,s:I}", "kind", bp_exchange_kind_name(kind), "rows",
            (json_int_t)res.rows, "records", (json_int_t)res.records, "pledges",
            (json_int_t)res.pledges);
        if (kind == BP_X_MARKERS)
            json_object_set(o, "changed_pledges", cc.arr);
        reg_json_print(o);
    } else {
        printf("%s %ld %s", L(cli, "Đã nhập", "Imported"), res.records,
               L(cli, "bản ghi", "records"));
        if (res.pledges)
            printf(" %s %ld %s", L(cli, "và", "and"), res.pledges,
                   L(cli, "bản ký nhận", "pledges"));
        printf(" %s %s\n", L(cli, "từ", "from"), pos[0]);
        if (kind == BP_X_MARKERS)
            printf("%s: %ld\n",
                   L(cli, "Số bản ký nhận thay đổi chiều dài",
                     "Pledges whose length changed"),
                   cc.n);
    }
    json_decref(cc.arr);
    bp_import_result_release(&res);
    return 0;
}

/* ---- lookups for single records ---- */

/* A station's id by code; prints the error and returns non-zero. */
static int station_id(struct cli *cli, struct bp_store *st, const char *code,
                      bp_uuid out)
{
    struct bp_station s = {0};
    struct bp_error err = {0};

    if (bp_store_station_get(st, code, &s, &err))
        return cli_fail(cli, &err);
    memcpy(out, s.id, sizeof(bp_uuid));
    bp_station_release(&s);
    return 0;
}

static int commune_get(struct cli *cli, struct bp_store *st, const char *ref,
                       struct bp_commune *out)
{
    struct bp_commune *v = NULL;
    struct bp_error err = {0};
    size_t n = 0, i, hit = 0, found = (size_t)-1;
    char *f = NULL, *g;

    if (!bp_store_commune_get(st, ref, out, &err))
        return 0;
    /* By name, ignoring case and diacritics. */
    if (bp_store_commune_list(st, &v, &n, &err))
        return cli_fail(cli, &err);
    f = bp_text_fold(ref);
    for (i = 0; f && i < n; i++) {
        g = bp_text_fold(v[i].name);
        if (g && !strcmp(f, g))
            hit++, found = i;
        bp_free(g);
    }
    bp_free(f);
    if (hit == 1) {
        *out = v[found];
        memset(&v[found], 0, sizeof(v[found]));
        v[found].code = NULL;
    }
    bp_store_commune_list_free(v, n);
    if (hit == 1)
        return 0;
    bp_error_set(&err, BP_ENOTFOUND, "no commune '%s'%s", ref,
                 hit > 1 ? " (several have that name; use the code)" : "");
    return cli_fail(cli, &err);
}

static int resolve_stretch(struct cli *cli, struct bp_store *st,
                           const char *from, const char *from_km,
                           const char *to, const char *to_km,
                           struct bp_anchor *a, struct bp_anchor *b)
{
    struct bp_marker *mk = NULL;
    size_t n = 0;
    int rc = 0;
    struct bp_error err = {0};

    if ((!from == !from_km) || (!to == !to_km))
        return cli_usage(cli,
                         "cần một trong --from/--from-km và một trong "
                         "--to/--to-km",
                         "need one of --from/--from-km and one of "
                         "--to/--to-km");
    if ((from && bp_anchor_parse(from, a)) ||
        (from_km && bp_anchor_parse_km(from_km, a)) ||
        (to && bp_anchor_parse(to, b)) ||
        (to_km && bp_anchor_parse_km(to_km, b)))
        return cli_usage(cli,
                         "điểm đầu/cuối viết như '1120+350', 'mốc 1120' "
                         "hoặc km '80,350'",
                         "write ends as '1120+350', 'mốc 1120' or km "
                         "'80,350'");
    if (bp_store_marker_list(st, &mk, &n, &err))
        return cli_fail(cli, &err);
    if (bp_anchor_resolve(a, mk, n) || bp_anchor_resolve(b, mk, n)) {
        bp_error_set(&err, BP_ENOTFOUND, "no marker '%s'",
                     bp_anchor_resolve(a, mk, n) ? from : to);
        rc = cli_fail(cli, &err);
    } else if (!(b->measure_m > a->measure_m)) {
        bp_error_set(&err, BP_ERANGE,
                     "the stretch has zero or negative length");
        rc = cli_fail(cli, &err);
    }
    bp_store_marker_list_free(mk, n);
    return rc;
}

/* ---- init ---- */

int cmd_init(struct cli *cli, int argc, char **argv)
{
    struct bp_store *st;
    int rc = reg_parse(cli, argc, argv, NULL, NULL, 0, "cách dùng: init",
                       "usage: init");

    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (cli->json)
        reg_json_print(json_pack("{s:s,s:i}", "db", cli->db, "schema_version",
                                 bp_store_schema_version(st)));
    else
        printf("%s: %s, %s %d\n", L(cli, "Cơ sở dữ liệu", "Database"), cli->db,
               L(cli, "lược đồ phiên bản", "schema version"),
               bp_store_schema_version(st));
    return 0;
}

/* ---- stations ---- */

static int station_add(struct cli *cli, int argc, char **argv)
{
    const char *code = NULL, *name = NULL;
    const struct reg_opt opts[] = {
        {"--code", &code, NULL}, {"--name", &name, NULL}, {NULL, NULL, NULL}};
    struct bp_station s = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: station add --code MÃ --name TÊN",
                       "usage: station add --code CODE --name NAME");

    if (rc)
        return rc;
    if (!code || !name)
        return cli_usage(cli, "cần --code và --name",
                         "--code and --name are required");
    if (cli_store(cli, &st))
        return 1;
    s.code = (char *)code;
    s.name = (char *)name;
    s.ended_on = BP_DATE_NONE;
    if (bp_store_station_put(st, &s, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        reg_json_print(
            json_pack("{s:s,s:s,s:s}", "id", s.id, "code", code, "name", name));
    else
        printf("%s: %s (%s) %s\n", L(cli, "Đã thêm đồn", "Station added"), name,
               code, s.id);
    return 0;
}

static int station_list(struct cli *cli, int argc, char **argv)
{
    struct bp_station *v = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t n = 0, i;
    int rc = reg_parse(cli, argc, argv, NULL, NULL, 0,
                       "cách dùng: station list", "usage: station list");

    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_station_list(st, &v, &n, &err))
        return cli_fail(cli, &err);
    if (cli->json) {
        json_t *a = json_array();
        for (i = 0; i < n; i++)
            json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:o}", "id",
                                               v[i].id, "code", v[i].code,
                                               "name", v[i].name, "ended_on",
                                               reg_json_date(v[i].ended_on)));
        reg_json_print(a);
    } else {
        for (i = 0; i < n; i++)
            printf("%-8s %s\n", v[i].code, v[i].name);
    }
    bp_store_station_list_free(v, n);
    return 0;
}

static int station_import(struct cli *cli, int argc, char **argv)
{
    return reg_import(cli, BP_X_STATIONS, argc, argv);
}

static const struct cli_cmd station_cmds[] = {
    {"add", station_add, "thêm đồn biên phòng", "add a border guard station"},
    {"import", station_import, "nhập đồn từ CSV", "import stations from CSV"},
    {"list", station_list, "danh sách đồn", "list stations"},
    {NULL, NULL, NULL, NULL},
};

int cmd_station(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, station_cmds, "station", argc - 1, argv + 1);
}

/* ---- communes ---- */

static int commune_add(struct cli *cli, int argc, char **argv)
{
    const char *code = NULL, *name = NULL, *district = NULL, *station = NULL,
               *from = NULL, *from_km = NULL, *to = NULL, *to_km = NULL;
    const struct reg_opt opts[] = {{"--code", &code, NULL},
                                   {"--name", &name, NULL},
                                   {"--district", &district, NULL},
                                   {"--station", &station, NULL},
                                   {"--from", &from, NULL},
                                   {"--from-km", &from_km, NULL},
                                   {"--to", &to, NULL},
                                   {"--to-km", &to_km, NULL},
                                   {NULL, NULL, NULL}};
    struct bp_commune c = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    char s1[32], s2[32];
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: commune add --code MÃ --name TÊN "
                       "--district HUYỆN --station MÃ_ĐỒN --from MỐC[+M]|"
                       "--from-km KM --to MỐC[+M]|--to-km KM",
                       "usage: commune add --code CODE --name NAME "
                       "--district D --station CODE --from MARKER[+M]|"
                       "--from-km KM --to MARKER[+M]|--to-km KM");

    if (rc)
        return rc;
    if (!code || !name)
        return cli_usage(cli, "cần --code và --name",
                         "--code and --name are required");
    if (cli_store(cli, &st))
        return 1;
    c.ended_on = BP_DATE_NONE;
    if (station && station_id(cli, st, station, c.station_id))
        return 1;
    rc = resolve_stretch(cli, st, from, from_km, to, to_km, &c.from, &c.to);
    if (rc)
        return rc;
    c.code = (char *)code;
    c.name = (char *)name;
    c.district = (char *)district;
    if (bp_store_commune_put(st, &c, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        reg_json_print(json_pack("{s:s,s:s,s:s,s:f,s:f}", "id", c.id, "code",
                                 code, "name", name, "from_m", c.from.measure_m,
                                 "to_m", c.to.measure_m));
    else
        printf("%s: %s (%s), km %s – %s\n",
               L(cli, "Đã thêm xã", "Commune added"), name, code,
               cli_km(cli, c.from.measure_m, s1, sizeof(s1)),
               cli_km(cli, c.to.measure_m, s2, sizeof(s2)));
    return 0;
}

static int commune_list(struct cli *cli, int argc, char **argv)
{
    struct bp_commune *v = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t n = 0, i;
    char s1[32], s2[32];
    int rc = reg_parse(cli, argc, argv, NULL, NULL, 0,
                       "cách dùng: commune list", "usage: commune list");

    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_commune_list(st, &v, &n, &err))
        return cli_fail(cli, &err);
    if (cli->json) {
        json_t *a = json_array();
        for (i = 0; i < n; i++)
            json_array_append_new(
                a, json_pack("{s:s,s:s,s:s,s:o,s:o,s:f,s:f}", "id", v[i].id,
                             "code", v[i].code, "name", v[i].name, "district",
                             reg_json_str(v[i].district), "station_id",
                             reg_json_str(v[i].station_id), "from_m",
                             v[i].from.measure_m, "to_m", v[i].to.measure_m));
        reg_json_print(a);
    } else {
        for (i = 0; i < n; i++) {
            reg_cell(v[i].code, 8);
            reg_cell(v[i].name, 24);
            reg_cell(v[i].district, 16);
            printf("km %s – %s\n",
                   cli_km(cli, v[i].from.measure_m, s1, sizeof(s1)),
                   cli_km(cli, v[i].to.measure_m, s2, sizeof(s2)));
        }
    }
    bp_store_commune_list_free(v, n);
    return 0;
}

static int commune_import(struct cli *cli, int argc, char **argv)
{
    return reg_import(cli, BP_X_COMMUNES, argc, argv);
}

static const struct cli_cmd commune_cmds[] = {
    {"add", commune_add, "thêm xã biên giới", "add a border commune"},
    {"import", commune_import, "nhập xã từ CSV", "import communes from CSV"},
    {"list", commune_list, "danh sách xã", "list communes"},
    {NULL, NULL, NULL, NULL},
};

int cmd_commune(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, commune_cmds, "commune", argc - 1, argv + 1);
}

/* ---- villages ---- */

static int village_add(struct cli *cli, int argc, char **argv)
{
    const char *name = NULL, *commune = NULL;
    const struct reg_opt opts[] = {{"--name", &name, NULL},
                                   {"--commune", &commune, NULL},
                                   {NULL, NULL, NULL}};
    struct bp_village v = {0};
    struct bp_commune c = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: village add --name TÊN --commune XÃ",
                       "usage: village add --name NAME --commune COMMUNE");

    if (rc)
        return rc;
    if (!name || !commune)
        return cli_usage(cli, "cần --name và --commune",
                         "--name and --commune are required");
    if (cli_store(cli, &st))
        return 1;
    if (commune_get(cli, st, commune, &c))
        return 1;
    v.name = (char *)name;
    memcpy(v.commune_id, c.id, sizeof(v.commune_id));
    v.ended_on = BP_DATE_NONE;
    rc = bp_store_village_put(st, &v, &err);
    if (rc)
        cli_fail(cli, &err);
    else if (cli->json)
        reg_json_print(json_pack("{s:s,s:s,s:s}", "id", v.id, "name", name,
                                 "commune_id", c.id));
    else
        printf("%s: %s (%s) %s\n", L(cli, "Đã thêm thôn", "Village added"),
               name, c.name, v.id);
    bp_commune_release(&c);
    return rc ? 1 : 0;
}

static int village_list(struct cli *cli, int argc, char **argv)
{
    const char *commune = NULL;
    const struct reg_opt opts[] = {{"--commune", &commune, NULL},
                                   {NULL, NULL, NULL}};
    struct bp_village *v = NULL;
    struct bp_commune c = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    json_t *a = NULL;
    size_t n = 0, i;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: village list [--commune XÃ]",
                       "usage: village list [--commune COMMUNE]");

    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (commune && commune_get(cli, st, commune, &c))
        return 1;
    if (bp_store_village_list(st, &v, &n, &err)) {
        bp_commune_release(&c);
        return cli_fail(cli, &err);
    }
    if (cli->json)
        a = json_array();
    for (i = 0; i < n; i++) {
        if (commune && strcmp(v[i].commune_id, c.id))
            continue;
        if (a)
            json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "id", v[i].id,
                                               "name", v[i].name, "commune_id",
                                               v[i].commune_id));
        else
            printf("%s\n", v[i].name);
    }
    if (a)
        reg_json_print(a);
    bp_store_village_list_free(v, n);
    bp_commune_release(&c);
    return 0;
}

static int village_import(struct cli *cli, int argc, char **argv)
{
    return reg_import(cli, BP_X_VILLAGES, argc, argv);
}

static const struct cli_cmd village_cmds[] = {
    {"add", village_add, "thêm thôn, bản", "add a village"},
    {"import", village_import, "nhập thôn từ CSV", "import villages from CSV"},
    {"list", village_list, "danh sách thôn", "list villages"},
    {NULL, NULL, NULL, NULL},
};

int cmd_village(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, village_cmds, "village", argc - 1, argv + 1);
}

/* ---- markers ---- */

static json_t *marker_json(const struct bp_marker *m)
{
    return json_pack(
        "{s:s,s:s,s:s,s:s,s:f,s:f,s:o,s:o,s:o}", "id", m->id, "number",
        m->number, "key", m->key, "kind", bp_marker_kind_name(m->kind), "lon",
        m->lon, "lat", m->lat, "measure_m",
        isfinite(m->measure_m) ? json_real(m->measure_m) : json_null(),
        "offset_m",
        isfinite(m->offset_m) ? json_real(m->offset_m) : json_null(),
        "official_m",
        isfinite(m->official_m) ? json_real(m->official_m) : json_null());
}

static int marker_import(struct cli *cli, int argc, char **argv)
{
    return reg_import(cli, BP_X_MARKERS, argc, argv);
}

static int marker_list(struct cli *cli, int argc, char **argv)
{
    struct bp_marker *v = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t n = 0, i;
    char s1[32], s2[32];
    int rc = reg_parse(cli, argc, argv, NULL, NULL, 0, "cách dùng: marker list",
                       "usage: marker list");

    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_marker_list(st, &v, &n, &err))
        return cli_fail(cli, &err);
    if (cli->json) {
        json_t *a = json_array();
        for (i = 0; i < n; i++)
            json_array_append_new(a, marker_json(&v[i]));
        reg_json_print(a);
    } else {
        for (i = 0; i < n; i++) {
            reg_cell(v[i].number, 10);
            reg_cell(cli->lang == BP_LANG_VI ? bp_marker_kind_vi(v[i].kind)
                                             : bp_marker_kind_name(v[i].kind),
                     10);
            printf("km %s  %s %s m\n",
                   cli_km(cli, v[i].measure_m, s1, sizeof(s1)),
                   L(cli, "lệch", "offset"),
                   bp_fmt_number(v[i].offset_m, 1, cli->lang, s2, sizeof(s2)));
        }
    }
    bp_store_marker_list_free(v, n);
    return 0;
}

static int marker_show(struct cli *cli, int argc, char **argv)
{
    const char *pos[1] = {NULL};
    struct bp_marker m = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    char s1[32], s2[32], s3[32];
    int rc =
        reg_parse(cli, argc, argv, NULL, pos, 1,
                  "cách dùng: marker show SỐ_MỐC", "usage: marker show NUMBER");

    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_marker_get(st, pos[0], &m, &err))
        return cli_fail(cli, &err);
    if (cli->json) {
        reg_json_print(marker_json(&m));
    } else {
        printf("%s %s (%s)\n", L(cli, "Mốc", "Marker"), m.number,
               bp_marker_kind_vi(m.kind));
        printf("%s: %s E, %s N\n", L(cli, "Toạ độ", "Position"),
               bp_fmt_number(m.lon, 6, cli->lang, s1, sizeof(s1)),
               bp_fmt_number(m.lat, 6, cli->lang, s2, sizeof(s2)));
        printf("%s: km %s\n", L(cli, "Lý trình", "Measure"),
               cli_km(cli, m.measure_m, s3, sizeof(s3)));
        printf("%s: %s m\n", L(cli, "Độ lệch khỏi đường biên", "Offset"),
               bp_fmt_number(m.offset_m, 1, cli->lang, s1, sizeof(s1)));
        if (isfinite(m.official_m))
            printf("%s: km %s\n", L(cli, "Lý trình chính thức", "Official km"),
                   cli_km(cli, m.official_m, s2, sizeof(s2)));
    }
    bp_marker_release(&m);
    return 0;
}

static const struct cli_cmd marker_cmds[] = {
    {"import", marker_import, "nhập mốc từ CSV hoặc GeoJSON, tính lại lý trình",
     "import markers from CSV or GeoJSON, recompute measures"},
    {"list", marker_list, "danh sách mốc", "list markers"},
    {"show", marker_show, "xem một mốc", "show a marker"},
    {NULL, NULL, NULL, NULL},
};

int cmd_marker(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, marker_cmds, "marker", argc - 1, argv + 1);
}
