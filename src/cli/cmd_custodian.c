/* SPDX-License-Identifier: MIT */
/*
 * bienphong custodian and pledge: the households and collectives who sign
 * up to co-manage stretches of the border, and their pledges, from the
 * command line.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/exchange.h"
#include "bienphong/text.h"
#include "cli/cli.h"
#include "cli/cli_registry.h"

static int imp(struct cli *cli, enum bp_exchange_kind k, int argc, char **argv);

static json_t *custodian_json(const struct bp_custodian *c)
{
    json_t *o = json_pack(
        "{s:s,s:s,s:s,s:o,s:i,s:o,s:o,s:o,s:o,s:o,s:o}", "id", c->id, "kind",
        c->kind == BP_HOUSEHOLD ? "household" : "collective", "name", c->name,
        "collective_kind",
        c->kind == BP_COLLECTIVE
            ? json_string(bp_collective_kind_name(c->collective_kind))
            : json_null(),
        "members", c->members, "village_id", reg_json_str(c->village_id),
        "commune_id", reg_json_str(c->commune_id), "phone",
        reg_json_str(c->phone), "citizen_id", reg_json_str(c->citizen_id),
        "contact", reg_json_str(c->contact), "ended_on",
        reg_json_date(c->ended_on));
    return o;
}

static json_t *pledge_json(const struct bp_pledge *p)
{
    return json_pack(
        "{s:s,s:s,s:o,s:f,s:o,s:f,s:f,s:o,s:o,s:o,s:o,s:o}", "id", p->id,
        "custodian_id", p->custodian_id, "from_marker",
        reg_json_str(p->from.marker_key), "from_m", p->from.measure_m,
        "to_marker", reg_json_str(p->to.marker_key), "to_m", p->to.measure_m,
        "length_m", p->to.measure_m - p->from.measure_m, "signed_on",
        reg_json_date(p->signed_on), "ended_on", reg_json_date(p->ended_on),
        "station_id", reg_json_str(p->station_id), "doc_no",
        reg_json_str(p->doc_no), "note", reg_json_str(p->note));
}

static void print_custodian_line(struct cli *cli, const struct bp_custodian *c)
{
    printf("%s  ", c->id);
    reg_cell(c->name, 28);
    printf("%s", c->kind == BP_HOUSEHOLD
                     ? L(cli, "hộ gia đình", "household")
                     : (cli->lang == BP_LANG_VI
                            ? bp_collective_kind_vi(c->collective_kind)
                            : bp_collective_kind_name(c->collective_kind)));
    if (c->kind == BP_HOUSEHOLD)
        printf(", %d %s", c->members, L(cli, "nhân khẩu", "members"));
    if (c->ended_on != BP_DATE_NONE) {
        char d[16];
        printf(" (%s %s)", L(cli, "thôi từ", "ended"),
               reg_date_vi(cli, c->ended_on, d));
    }
    putchar('\n');
}

static void print_pledge_line(struct cli *cli, const struct bp_pledge *p,
                              const char *who)
{
    char s1[32], s2[32], s3[32], d1[16], d2[16];

    printf("%s  km %s – %s (%s km)", p->id,
           cli_km(cli, p->from.measure_m, s1, sizeof(s1)),
           cli_km(cli, p->to.measure_m, s2, sizeof(s2)),
           cli_km(cli, p->to.measure_m - p->from.measure_m, s3, sizeof(s3)));
    if (p->from.marker_key[0])
        printf(" [%s %s%+.0f → %s%+.0f]", L(cli, "mốc", "marker"),
               p->from.marker_key, p->from.offset_m,
               p->to.marker_key[0] ? p->to.marker_key : "km", p->to.offset_m);
    printf(" %s %s", L(cli, "ký", "signed"),
           reg_date_vi(cli, p->signed_on, d1));
    if (p->ended_on != BP_DATE_NONE)
        printf(", %s %s", L(cli, "kết thúc", "ended"),
               reg_date_vi(cli, p->ended_on, d2));
    if (who)
        printf("  %s", who);
    putchar('\n');
}

/* A village's id by id or name (within `commune_id` when not empty). */
static int find_village(struct cli *cli, struct bp_store *st, const char *ref,
                        const char *commune_id, struct bp_village *out)
{
    struct bp_village *v = NULL;
    struct bp_error err = {0};
    size_t n = 0, i, hits = 0, at = 0;
    char *f, *g;

    if (!bp_store_village_get(st, ref, out, &err))
        return 0;
    memset(&err, 0, sizeof(err));
    if (bp_store_village_list(st, &v, &n, &err))
        return cli_fail(cli, &err);
    f = bp_text_fold(ref);
    for (i = 0; f && i < n; i++) {
        if (commune_id && *commune_id && strcmp(v[i].commune_id, commune_id))
            continue;
        g = bp_text_fold(v[i].name);
        if (g && !strcmp(f, g))
            hits++, at = i;
        bp_free(g);
    }
    bp_free(f);
    if (hits == 1) {
        *out = v[at];
        v[at].name = NULL;
    }
    bp_store_village_list_free(v, n);
    if (hits == 1)
        return 0;
    bp_error_set(&err, BP_ENOTFOUND, "%s '%s'%s",
                 hits ? "several villages are named" : "no village", ref,
                 hits ? "; give --commune" : "");
    return cli_fail(cli, &err);
}

static int find_commune_id(struct cli *cli, struct bp_store *st,
                           const char *ref, bp_uuid out)
{
    struct bp_commune *v = NULL, c = {0};
    struct bp_error err = {0};
    size_t n = 0, i, hits = 0;
    char *f, *g;

    if (!bp_store_commune_get(st, ref, &c, &err)) {
        memcpy(out, c.id, sizeof(bp_uuid));
        bp_commune_release(&c);
        return 0;
    }
    memset(&err, 0, sizeof(err));
    if (bp_store_commune_list(st, &v, &n, &err))
        return cli_fail(cli, &err);
    f = bp_text_fold(ref);
    for (i = 0; f && i < n; i++) {
        g = bp_text_fold(v[i].name);
        if (g && !strcmp(f, g)) {
            hits++;
            memcpy(out, v[i].id, sizeof(bp_uuid));
        }
        bp_free(g);
    }
    bp_free(f);
    bp_store_commune_list_free(v, n);
    if (hits == 1)
        return 0;
    bp_error_set(&err, BP_ENOTFOUND, "no commune '%s'", ref);
    return cli_fail(cli, &err);
}

static int custodian_add(struct cli *cli, int argc, char **argv)
{
    const char *name = NULL, *village = NULL, *members = NULL, *phone = NULL,
               *cid = NULL, *kind = NULL, *commune = NULL, *contact = NULL;
    int household = 0, collective = 0;
    const struct reg_opt opts[] = {{"--household", NULL, &household},
                                   {"--collective", NULL, &collective},
                                   {"--name", &name, NULL},
                                   {"--village", &village, NULL},
                                   {"--members", &members, NULL},
                                   {"--phone", &phone, NULL},
                                   {"--citizen-id", &cid, NULL},
                                   {"--kind", &kind, NULL},
                                   {"--commune", &commune, NULL},
                                   {"--contact", &contact, NULL},
                                   {NULL, NULL, NULL}};
    struct bp_custodian c = {0};
    struct bp_village v = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    int rc = reg_parse(
        cli, argc, argv, opts, NULL, 0,
        "cách dùng: custodian add --household --name TÊN --village THÔN "
        "--members N [--phone SĐT] [--citizen-id CCCD] | --collective --name "
        "TÊN --kind LOẠI --commune XÃ [--contact NGƯỜI]",
        "usage: custodian add --household --name N --village V --members K "
        "[--phone P] [--citizen-id ID] | --collective --name N --kind K "
        "--commune C [--contact P]");

    if (rc)
        return rc;
    if (household == collective || !name)
        return cli_usage(cli,
                         "cần --name và một trong --household, --collective",
                         "--name and one of --household, --collective are "
                         "required");
    c.name = (char *)name;
    c.ended_on = BP_DATE_NONE;
    if (household) {
        char *end = NULL;
        long m = members ? strtol(members, &end, 10) : 0;
        if (!village || !members || *end || m < 1 || m > 1000)
            return cli_usage(cli,
                             "hộ gia đình cần --village và --members (1-1000)",
                             "a household needs --village and --members "
                             "(1-1000)");
        c.kind = BP_HOUSEHOLD;
        c.members = (int)m;
        if (cid && bp_citizen_id_check(cid))
            return cli_usage(cli,
                             "số CCCD phải có 12 chữ số (hoặc 9 với CMND cũ)",
                             "a citizen ID has 12 digits (or 9 for an old ID "
                             "card)");
    } else {
        c.kind = BP_COLLECTIVE;
        if (!commune || !kind ||
            bp_collective_kind_parse(kind, &c.collective_kind))
            return cli_usage(cli,
                             "tập thể cần --commune và --kind youth_union|"
                             "self_managed|militia|school|women_union|unit|"
                             "other",
                             "a collective needs --commune and --kind "
                             "youth_union|self_managed|militia|school|"
                             "women_union|unit|other");
    }
    if (cli_store(cli, &st))
        return 1;
    if (commune && find_commune_id(cli, st, commune, c.commune_id))
        return 1;
    if (village) {
        if (find_village(cli, st, village, c.commune_id, &v))
            return 1;
        memcpy(c.village_id, v.id, sizeof(c.village_id));
        memcpy(c.commune_id, v.commune_id, sizeof(c.commune_id));
    }
    c.phone = (char *)phone;
    c.citizen_id = (char *)cid;
    c.contact = (char *)contact;
    rc = bp_store_custodian_put(st, &c, &err);
    if (rc)
        cli_fail(cli, &err);
    else if (cli->json)
        reg_json_print(custodian_json(&c));
    else
        printf("%s: %s %s\n", L(cli, "Đã thêm", "Added"), name, c.id);
    bp_village_release(&v);
    return rc ? 1 : 0;
}

static int custodian_list(struct cli *cli, int argc, char **argv)
{
    const char *commune = NULL;
    const struct reg_opt opts[] = {{"--commune", &commune, NULL},
                                   {NULL, NULL, NULL}};
    struct bp_custodian *v = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    bp_uuid cid = "";
    json_t *a = NULL;
    size_t n = 0, i;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: custodian list [--commune XÃ]",
                       "usage: custodian list [--commune C]");

    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (commune && find_commune_id(cli, st, commune, cid))
        return 1;
    if (bp_store_custodian_list(st, &v, &n, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        a = json_array();
    for (i = 0; i < n; i++) {
        if (commune && strcmp(v[i].commune_id, cid))
            continue;
        if (a)
            json_array_append_new(a, custodian_json(&v[i]));
        else
            print_custodian_line(cli, &v[i]);
    }
    if (a)
        reg_json_print(a);
    bp_store_custodian_list_free(v, n);
    return 0;
}

static int custodian_search(struct cli *cli, int argc, char **argv)
{
    const char *pos[1] = {NULL};
    struct bp_custodian *v = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t n = 0, i;
    int rc = reg_parse(cli, argc, argv, NULL, pos, 1,
                       "cách dùng: custodian search CHUỖI",
                       "usage: custodian search TEXT");

    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_custodian_search(st, pos[0], 200, &v, &n, &err))
        return cli_fail(cli, &err);
    if (cli->json) {
        json_t *a = json_array();
        for (i = 0; i < n; i++)
            json_array_append_new(a, custodian_json(&v[i]));
        reg_json_print(a);
    } else {
        for (i = 0; i < n; i++)
            print_custodian_line(cli, &v[i]);
        if (!n)
            printf("%s\n", L(cli, "Không tìm thấy.", "Nothing found."));
    }
    bp_store_custodian_list_free(v, n);
    return 0;
}

static int custodian_show(struct cli *cli, int argc, char **argv)
{
    const char *pos[1] = {NULL};
    struct bp_custodian c = {0};
    struct bp_pledge *p = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t n = 0, i;
    json_t *o = NULL, *a = NULL;
    int rc =
        reg_parse(cli, argc, argv, NULL, pos, 1, "cách dùng: custodian show ID",
                  "usage: custodian show ID");

    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_custodian_get(st, pos[0], &c, &err))
        return cli_fail(cli, &err);
    if (bp_store_pledge_list(st, &p, &n, &err)) {
        bp_custodian_release(&c);
        return cli_fail(cli, &err);
    }
    if (cli->json) {
        o = custodian_json(&c);
        a = json_array();
    } else {
        print_custodian_line(cli, &c);
        if (c.phone)
            printf("%s: %s\n", L(cli, "Điện thoại", "Phone"), c.phone);
        if (c.citizen_id)
            printf("CCCD: %s\n", c.citizen_id);
        if (c.contact)
            printf("%s: %s\n", L(cli, "Người liên hệ", "Contact"), c.contact);
        printf("%s:\n", L(cli, "Ký nhận", "Pledges"));
    }
    for (i = 0; i < n; i++) {
        if (strcmp(p[i].custodian_id, c.id))
            continue;
        if (a)
            json_array_append_new(a, pledge_json(&p[i]));
        else
            print_pledge_line(cli, &p[i], NULL);
    }
    if (o) {
        json_object_set_new(o, "pledges", a);
        reg_json_print(o);
    }
    bp_store_pledge_list_free(p, n);
    bp_custodian_release(&c);
    return 0;
}

static int custodian_import(struct cli *cli, int argc, char **argv)
{
    return imp(cli, BP_X_CUSTODIANS, argc, argv);
}

static const struct cli_cmd custodian_cmds[] = {
    {"add", custodian_add, "thêm hộ gia đình hoặc tập thể",
     "add a household or a collective"},
    {"import", custodian_import,
     "nhập hộ, tập thể (và ký nhận trên cùng dòng) từ CSV",
     "import custodians (and pledges on the same rows) from CSV"},
    {"list", custodian_list, "danh sách", "list"},
    {"show", custodian_show, "xem một hộ/tập thể và các ký nhận",
     "show a custodian with its pledges"},
    {"search", custodian_search, "tìm theo tên (không phân biệt dấu)",
     "search by name (ignoring diacritics)"},
    {NULL, NULL, NULL, NULL},
};

int cmd_custodian(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, custodian_cmds, "custodian", argc - 1, argv + 1);
}

/* ---- pledges ---- */

static int pledge_add(struct cli *cli, int argc, char **argv)
{
    const char *cust = NULL, *from = NULL, *to = NULL, *from_km = NULL,
               *to_km = NULL, *signed_s = NULL, *station = NULL, *doc = NULL,
               *note = NULL;
    const struct reg_opt opts[] = {
        {"--custodian", &cust, NULL},  {"--from", &from, NULL},
        {"--to", &to, NULL},           {"--from-km", &from_km, NULL},
        {"--to-km", &to_km, NULL},     {"--signed", &signed_s, NULL},
        {"--station", &station, NULL}, {"--doc", &doc, NULL},
        {"--note", &note, NULL},       {NULL, NULL, NULL}};
    struct bp_pledge p = {0};
    struct bp_custodian c = {0};
    struct bp_station s = {0};
    struct bp_marker *mk = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t nm = 0;
    char s1[32], s2[32];
    int rc =
        reg_parse(cli, argc, argv, opts, NULL, 0,
                  "cách dùng: pledge add --custodian ID --from "
                  "MỐC[+M]|--from-km KM --to MỐC[+M]|--to-km KM "
                  "--signed NGÀY [--station MÃ] [--doc SỐ] [--note GHI_CHÚ]",
                  "usage: pledge add --custodian ID --from MARKER[+M]|"
                  "--from-km KM --to MARKER[+M]|--to-km KM --signed DATE "
                  "[--station CODE] [--doc NO] [--note T]");

    if (rc)
        return rc;
    if (!cust || !signed_s || !from == !from_km || !to == !to_km)
        return cli_usage(cli,
                         "cần --custodian, --signed, --from hoặc --from-km, "
                         "--to hoặc --to-km",
                         "--custodian, --signed, --from or --from-km, --to "
                         "or --to-km are required");
    if (bp_date_parse(signed_s, &p.signed_on))
        return reg_date(cli, signed_s, "--signed", &p.signed_on);
    p.ended_on = BP_DATE_NONE;
    if ((from && bp_anchor_parse(from, &p.from)) ||
        (from_km && bp_anchor_parse_km(from_km, &p.from)) ||
        (to && bp_anchor_parse(to, &p.to)) ||
        (to_km && bp_anchor_parse_km(to_km, &p.to)))
        return cli_usage(cli,
                         "điểm đầu/cuối viết như '1120+350', 'mốc 1120' "
                         "hoặc km '80,350'",
                         "write ends as '1120+350', 'mốc 1120' or km "
                         "'80,350'");
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_custodian_get(st, cust, &c, &err))
        return cli_fail(cli, &err);
    memcpy(p.custodian_id, c.id, sizeof(p.custodian_id));
    bp_custodian_release(&c);
    if (station) {
        if (bp_store_station_get(st, station, &s, &err))
            return cli_fail(cli, &err);
        memcpy(p.station_id, s.id, sizeof(p.station_id));
        bp_station_release(&s);
    }
    if (bp_store_marker_list(st, &mk, &nm, &err))
        return cli_fail(cli, &err);
    if (bp_anchor_resolve(&p.from, mk, nm) || bp_anchor_resolve(&p.to, mk, nm))
        rc = bp_error_set(&err, BP_ENOTFOUND, "no marker '%s'",
                          bp_anchor_resolve(&p.from, mk, nm) ? from : to);
    else if (!(p.to.measure_m > p.from.measure_m))
        rc = bp_error_set(&err, BP_ERANGE,
                          "the stretch from km %.3f to km %.3f has zero or "
                          "negative length",
                          p.from.measure_m / 1000, p.to.measure_m / 1000);
    bp_store_marker_list_free(mk, nm);
    if (rc)
        return cli_fail(cli, &err);
    p.doc_no = (char *)doc;
    p.note = (char *)note;
    if (bp_store_pledge_put(st, &p, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        reg_json_print(pledge_json(&p));
    else
        printf("%s: %s km %s – %s\n", L(cli, "Đã ký nhận", "Pledge added"),
               p.id, cli_km(cli, p.from.measure_m, s1, sizeof(s1)),
               cli_km(cli, p.to.measure_m, s2, sizeof(s2)));
    return 0;
}

static int pledge_end(struct cli *cli, int argc, char **argv)
{
    const char *pos[1] = {NULL}, *on = NULL;
    const struct reg_opt opts[] = {{"--on", &on, NULL}, {NULL, NULL, NULL}};
    struct bp_error err = {0};
    struct bp_store *st;
    int32_t day;
    char d[16];
    int rc = reg_parse(cli, argc, argv, opts, pos, 1,
                       "cách dùng: pledge end ID --on NGÀY",
                       "usage: pledge end ID --on DATE");

    if (rc)
        return rc;
    if (!on)
        return cli_usage(cli, "cần --on NGÀY", "--on DATE is required");
    rc = reg_date(cli, on, "--on", &day);
    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_pledge_end(st, pos[0], day, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        reg_json_print(json_pack("{s:s,s:o}", "id", pos[0], "ended_on",
                                 reg_json_date(day)));
    else
        printf("%s %s %s %s\n", L(cli, "Ký nhận", "Pledge"), pos[0],
               L(cli, "kết thúc từ", "ends on"), reg_date_vi(cli, day, d));
    return 0;
}

static int pledge_list(struct cli *cli, int argc, char **argv)
{
    const char *as_of_s = NULL;
    const struct reg_opt opts[] = {{"--as-of", &as_of_s, NULL},
                                   {NULL, NULL, NULL}};
    struct bp_pledge *p = NULL;
    struct bp_custodian *c = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t n = 0, nc = 0, i, j;
    int32_t as_of = 0;
    json_t *a = NULL;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: pledge list [--as-of NGÀY]",
                       "usage: pledge list [--as-of DATE]");

    if (rc)
        return rc;
    if (as_of_s && (rc = reg_date(cli, as_of_s, "--as-of", &as_of)))
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_pledge_list(st, &p, &n, &err) ||
        bp_store_custodian_list(st, &c, &nc, &err)) {
        bp_store_pledge_list_free(p, n);
        return cli_fail(cli, &err);
    }
    if (cli->json)
        a = json_array();
    for (i = 0; i < n; i++) {
        const char *who = NULL;
        if (as_of_s && !bp_active_on(p[i].signed_on, p[i].ended_on, as_of))
            continue;
        if (a) {
            json_array_append_new(a, pledge_json(&p[i]));
            continue;
        }
        /* Custodians are few enough next to a terminal's patience. */
        for (j = 0; j < nc && !who; j++)
            if (!strcmp(c[j].id, p[i].custodian_id))
                who = c[j].name;
        print_pledge_line(cli, &p[i], who);
    }
    if (a)
        reg_json_print(a);
    bp_store_pledge_list_free(p, n);
    bp_store_custodian_list_free(c, nc);
    return 0;
}

static int pledge_show(struct cli *cli, int argc, char **argv)
{
    const char *pos[1] = {NULL};
    struct bp_pledge p = {0};
    struct bp_custodian c = {0};
    struct bp_error err = {0};
    struct bp_store *st;
    int rc = reg_parse(cli, argc, argv, NULL, pos, 1,
                       "cách dùng: pledge show ID", "usage: pledge show ID");

    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_pledge_get(st, pos[0], &p, &err))
        return cli_fail(cli, &err);
    bp_store_custodian_get(st, p.custodian_id, &c, NULL);
    if (cli->json) {
        json_t *o = pledge_json(&p);
        json_object_set_new(o, "custodian", reg_json_str(c.name));
        reg_json_print(o);
    } else {
        print_pledge_line(cli, &p, c.name);
        if (p.doc_no)
            printf("%s: %s\n", L(cli, "Số văn bản", "Document"), p.doc_no);
        if (p.note)
            printf("%s: %s\n", L(cli, "Ghi chú", "Note"), p.note);
    }
    bp_custodian_release(&c);
    bp_pledge_release(&p);
    return 0;
}

static int pledge_import(struct cli *cli, int argc, char **argv)
{
    return imp(cli, BP_X_PLEDGES, argc, argv);
}

static const struct cli_cmd pledge_cmds[] = {
    {"add", pledge_add, "thêm ký nhận tự quản", "add a pledge"},
    {"end", pledge_end, "kết thúc ký nhận từ một ngày",
     "end a pledge on a date"},
    {"import", pledge_import, "nhập ký nhận từ CSV", "import pledges from CSV"},
    {"list", pledge_list, "danh sách ký nhận", "list pledges"},
    {"show", pledge_show, "xem một ký nhận", "show a pledge"},
    {NULL, NULL, NULL, NULL},
};

int cmd_pledge(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, pledge_cmds, "pledge", argc - 1, argv + 1);
}

static int imp(struct cli *cli, enum bp_exchange_kind k, int argc, char **argv)
{
    return reg_import(cli, k, argc, argv);
}
