/* SPDX-License-Identifier: MIT */
/*
 * bienphong serve, user and audit: run the HTTP server until SIGTERM or
 * SIGINT, manage the users who log in to it (passwords read from stdin or
 * generated and printed once), and read the audit log.
 */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "bienphong/server.h"
#include "cli/cli.h"
#include "cli/cli_registry.h"

static void log_line(void *ctx, const char *line)
{
    char ts[32];
    time_t t = time(NULL);
    struct tm tm;

    (void)ctx;
    gmtime_r(&t, &tm);
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(stderr, "%s %s\n", ts, line);
}

/* web/dist next to the program, or one folder up (build/bienphong). */
static char *default_static(void)
{
    char exe[PATH_MAX], path[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    char *slash;

    if (n <= 0)
        return NULL;
    exe[n] = 0;
    slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = 0;
    snprintf(path, sizeof(path), "%s/web/dist", exe);
    if (access(path, R_OK) == 0)
        return bp_strdup(path);
    snprintf(path, sizeof(path), "%s/../web/dist", exe);
    if (access(path, R_OK) == 0)
        return bp_strdup(path);
    return NULL;
}

/* The host of a --listen address as a URL writes it: "[::1]" stays in
 * its brackets, an empty host or "localhost" is 127.0.0.1. */
static const char *serve_host(const char *listen)
{
    static char host[72];
    const char *end = listen[0] == '[' ? strchr(listen, ']')
                                       : strrchr(listen, ':');
    size_t n = end ? (size_t)(end - listen) + (listen[0] == '[') : 0;

    if (!n || n >= sizeof(host) || !strncmp(listen, "localhost:", 10))
        return "127.0.0.1";
    memcpy(host, listen, n);
    host[n] = 0;
    return host;
}

int cmd_serve(struct cli *cli, int argc, char **argv)
{
    const char *listen = "127.0.0.1:8080", *stat_dir = NULL, *threads = NULL,
               *ttl = NULL, *limit = NULL, *cache = NULL;
    int secure = 0, quiet = 0;
    const struct reg_opt opts[] = {
        {"--listen", &listen, NULL},     {"--static", &stat_dir, NULL},
        {"--threads", &threads, NULL},   {"--session-ttl", &ttl, NULL},
        {"--login-limit", &limit, NULL}, {"--cache-ms", &cache, NULL},
        {"--secure-cookie", NULL, &secure}, {"--quiet", NULL, &quiet},
        {NULL, NULL, NULL},
    };
    struct bp_server_opts o = {0};
    struct bp_server *srv = NULL;
    struct bp_error err = {0};
    char *def_static = NULL;
    sigset_t set;
    int sig = 0, rc;

    rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                   "cách dùng: serve [--listen MÁY:CỔNG|[IPv6]:CỔNG] "
                   "[--static THƯ_MỤC] [--threads N] [--session-ttl GIÂY] "
                   "[--login-limit N] [--cache-ms MS] [--secure-cookie] "
                   "[--quiet]",
                   "usage: serve [--listen HOST:PORT|[IPv6]:PORT] "
                   "[--static DIR] [--threads N] [--session-ttl SECONDS] [--login-limit N] "
                   "[--cache-ms MS] [--secure-cookie] [--quiet]");
    if (rc)
        return rc;
    o.db = cli->db;
    o.listen = listen;
    if (!stat_dir)
        stat_dir = def_static = default_static();
    o.static_dir = stat_dir;
    o.threads = threads ? (unsigned)atoi(threads) : 0;
    o.session_ttl_s = ttl ? atol(ttl) : 0;
    o.login_limit = limit ? atoi(limit) : 0;
    o.cache_ttl_ms = cache ? atol(cache) : 0;
    o.secure_cookie = secure;
    o.log = quiet ? NULL : log_line;
    /* The workers inherit a mask without the stop signals, so sigwait()
     * here is the one place they arrive. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (bp_server_start(&o, &srv, &err)) {
        bp_free(def_static);
        if (err.code == BP_EINVAL && !strcmp(err.field, "listen")) {
            fprintf(stderr, "%s: --listen: %s: %s\n", cli->prog,
                    L(cli, "địa chỉ không hợp lệ", "not a valid address"),
                    err.message);
            return 2;
        }
        return cli_fail(cli, &err);
    }
    printf("%s http://%s:%u/\n",
           L(cli, "Máy chủ đang chạy tại", "Serving at"), serve_host(listen),
           bp_server_port(srv));
    printf("%s: %s\n", L(cli, "Giao diện web", "Web UI"),
           stat_dir ? stat_dir
                    : L(cli, "chưa xây dựng (trang tạm tại /)",
                        "not built (a placeholder page at /)"));
    fflush(stdout);
    sigwait(&set, &sig);
    fprintf(stderr, "%s (%s)\n",
            L(cli, "Đang dừng: chờ các yêu cầu đang xử lý",
              "Stopping: finishing requests in flight"),
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    bp_server_stop(srv, 10000);
    bp_free(def_static);
    fprintf(stderr, "%s\n", L(cli, "Đã dừng.", "Stopped."));
    return 0;
}

/* ---- users ---- */

/* Read the password from stdin's first line; "" when there is none. */
static int read_password(char *out, size_t size)
{
    size_t n;

    if (!fgets(out, (int)size, stdin)) {
        out[0] = 0;
        return 0;
    }
    n = strlen(out);
    while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = 0;
    return 0;
}

static void audit_cli(struct bp_store *st, const char *action,
                      const struct bp_user *u)
{
    struct bp_audit_entry e = {0};
    json_t *o = json_pack("{s:s,s:s,s:s,s:b}", "id", u->id, "name", u->name,
                          "role", bp_role_name(u->role), "disabled",
                          u->disabled);
    char *after = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);

    e.at_ms = (long long)time(NULL) * 1000;
    e.user_name = (char *)"(cli)";
    e.action = (char *)action;
    e.kind = (char *)"users";
    e.record_id = (char *)u->id;
    e.after = after;
    bp_store_audit_append(st, &e, NULL);
    free(after);
    json_decref(o);
}

static int user_add(struct cli *cli, int argc, char **argv)
{
    const char *pos[1] = {NULL}, *role_s = NULL, *station = NULL,
               *commune = NULL;
    int gen = 0;
    const struct reg_opt opts[] = {
        {"--role", &role_s, NULL},
        {"--station", &station, NULL},
        {"--commune", &commune, NULL},
        {"--generate-password", NULL, &gen},
        {NULL, NULL, NULL},
    };
    struct bp_error err = {0};
    struct bp_user u = {0};
    struct bp_store *st;
    enum bp_role role;
    char pw[1100];
    int rc = reg_parse(cli, argc, argv, opts, pos, 1,
                       "cách dùng: user add TÊN --role admin|station|commune|"
                       "viewer [--station MÃ] [--commune MÃ] "
                       "[--generate-password] (mật khẩu đọc từ stdin)",
                       "usage: user add NAME --role admin|station|commune|"
                       "viewer [--station CODE] [--commune CODE] "
                       "[--generate-password] (password read from stdin)");

    if (rc)
        return rc;
    if (!role_s || bp_role_parse(role_s, &role))
        return cli_usage(cli, "--role là admin, station, commune hoặc viewer",
                         "--role is admin, station, commune or viewer");
    if (!gen)
        read_password(pw, sizeof(pw));
    if (gen || !pw[0]) {
        gen = 1;
        if (bp_password_generate(pw, sizeof(pw)))
            return cli_usage(cli, "không tạo được mật khẩu",
                             "cannot make a password");
    }
    if (cli_store(cli, &st))
        return 1;
    if (bp_user_create(st, pos[0], role, station, commune, pw, &u, &err))
        return cli_fail(cli, &err);
    audit_cli(st, "create", &u);
    if (cli->json)
        reg_json_print(json_pack("{s:s,s:s,s:s,s:o}", "id", u.id, "name",
                                 u.name, "role", bp_role_name(u.role),
                                 "password",
                                 gen ? json_string(pw) : json_null()));
    else {
        printf("%s: %s (%s)\n", L(cli, "Đã tạo người dùng", "User created"),
               u.name, bp_role_name(u.role));
        if (gen)
            printf("%s: %s\n",
                   L(cli, "Mật khẩu (chỉ hiện một lần)",
                     "Password (shown only once)"),
                   pw);
    }
    bp_user_release(&u);
    return 0;
}

static int user_list(struct cli *cli, int argc, char **argv)
{
    struct bp_error err = {0};
    struct bp_user *v = NULL;
    struct bp_store *st;
    size_t n = 0, i;
    json_t *a = NULL;
    int rc = reg_parse(cli, argc, argv, NULL, NULL, 0,
                       "cách dùng: user list [--json]",
                       "usage: user list [--json]");

    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_user_list(st, &v, &n, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        a = json_array();
    for (i = 0; i < n; i++) {
        if (a) {
            json_array_append_new(
                a, json_pack("{s:s,s:s,s:s,s:o,s:o,s:b}", "id", v[i].id,
                             "name", v[i].name, "role",
                             bp_role_name(v[i].role), "station_id",
                             reg_json_str(v[i].station_id), "commune_id",
                             reg_json_str(v[i].commune_id), "disabled",
                             v[i].disabled));
            continue;
        }
        printf("%s  ", v[i].id);
        reg_cell(v[i].name, 20);
        reg_cell(bp_role_name(v[i].role), 8);
        printf("%s\n", v[i].disabled ? L(cli, "đã khoá", "disabled") : "");
    }
    if (a)
        reg_json_print(a);
    bp_store_user_list_free(v, n);
    return 0;
}

static int user_change(struct cli *cli, int argc, char **argv, int disable)
{
    const char *pos[1] = {NULL};
    int gen = 0;
    const struct reg_opt opts[] = {{"--generate-password", NULL, &gen},
                                   {NULL, NULL, NULL}};
    struct bp_error err = {0};
    struct bp_user u = {0};
    struct bp_store *st;
    char pw[1100] = "", hash[BP_PWHASH_LEN];
    int rc = reg_parse(cli, argc, argv, disable >= 0 ? NULL : opts, pos, 1,
                       "cách dùng: user disable|enable|password TÊN",
                       "usage: user disable|enable|password NAME");

    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_user_get(st, pos[0], &u, &err))
        return cli_fail(cli, &err);
    if (disable >= 0)
        u.disabled = disable;
    else {
        if (!gen)
            read_password(pw, sizeof(pw));
        if (gen || !pw[0]) {
            gen = 1;
            bp_password_generate(pw, sizeof(pw));
        }
        if (bp_password_hash(pw, hash, &err)) {
            bp_user_release(&u);
            return cli_fail(cli, &err);
        }
        bp_free(u.pw_hash);
        u.pw_hash = bp_strdup(hash);
    }
    rc = bp_store_user_put(st, &u, &err);
    if (!rc)
        audit_cli(st, disable >= 0 ? (disable ? "end" : "update") : "update",
                  &u);
    if (rc)
        rc = cli_fail(cli, &err);
    else if (disable >= 0)
        printf("%s: %s\n",
               disable ? L(cli, "Đã khoá", "Disabled")
                       : L(cli, "Đã mở khoá", "Enabled"),
               u.name);
    else {
        printf("%s: %s\n", L(cli, "Đã đổi mật khẩu", "Password changed"),
               u.name);
        if (gen)
            printf("%s: %s\n",
                   L(cli, "Mật khẩu mới (chỉ hiện một lần)",
                     "New password (shown only once)"),
                   pw);
    }
    bp_user_release(&u);
    return rc;
}

static int user_disable(struct cli *cli, int argc, char **argv)
{
    return user_change(cli, argc, argv, 1);
}

static int user_enable(struct cli *cli, int argc, char **argv)
{
    return user_change(cli, argc, argv, 0);
}

static int user_password(struct cli *cli, int argc, char **argv)
{
    return user_change(cli, argc, argv, -1);
}

static int user_token(struct cli *cli, int argc, char **argv)
{
    const char *pos[1] = {NULL}, *label = NULL;
    const struct reg_opt opts[] = {{"--label", &label, NULL},
                                   {NULL, NULL, NULL}};
    struct bp_error err = {0};
    struct bp_user u = {0};
    struct bp_token t = {0};
    struct bp_store *st;
    char secret[65];
    int rc = reg_parse(cli, argc, argv, opts, pos, 1,
                       "cách dùng: user token TÊN [--label NHÃN]",
                       "usage: user token NAME [--label LABEL]");

    if (rc)
        return rc;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_user_get(st, pos[0], &u, &err))
        return cli_fail(cli, &err);
    bp_secret_new(secret, t.hash);
    t.kind = BP_TOKEN_API;
    memcpy(t.user_id, u.id, sizeof(t.user_id));
    t.label = (char *)label;
    t.created_at = (long long)time(NULL);
    bp_user_release(&u);
    if (bp_store_token_put(st, &t, &err))
        return cli_fail(cli, &err);
    printf("%s\n", secret);
    return 0;
}

static const struct cli_cmd user_cmds[] = {
    {"add", user_add, "thêm người dùng", "add a user"},
    {"list", user_list, "danh sách người dùng", "list users"},
    {"disable", user_disable, "khoá người dùng", "disable a user"},
    {"enable", user_enable, "mở khoá người dùng", "enable a user"},
    {"password", user_password, "đổi mật khẩu (đọc từ stdin)",
     "change a password (read from stdin)"},
    {"token", user_token, "tạo mã API cho tập lệnh (in một lần)",
     "make an API token for scripts (printed once)"},
    {NULL, NULL, NULL, NULL},
};

int cmd_user(struct cli *cli, int argc, char **argv)
{
    return cli_dispatch(cli, user_cmds, "user", argc - 1, argv + 1);
}

/* ---- audit ---- */

int cmd_audit(struct cli *cli, int argc, char **argv)
{
    const char *kind = NULL, *record = NULL, *user = NULL, *limit = NULL;
    const struct reg_opt opts[] = {
        {"--kind", &kind, NULL},   {"--record", &record, NULL},
        {"--user", &user, NULL},   {"--limit", &limit, NULL},
        {NULL, NULL, NULL},
    };
    struct bp_audit_query q = {0};
    struct bp_audit_entry *v = NULL;
    struct bp_error err = {0};
    struct bp_store *st;
    size_t n = 0, i;
    json_t *a = NULL;
    int rc = reg_parse(cli, argc, argv, opts, NULL, 0,
                       "cách dùng: audit [--kind LOẠI] [--record ID] "
                       "[--user TÊN] [--limit N] [--json]",
                       "usage: audit [--kind KIND] [--record ID] "
                       "[--user NAME] [--limit N] [--json]");

    if (rc)
        return rc;
    q.kind = kind;
    q.record_id = record;
    q.user = user;
    q.limit = limit ? (size_t)atol(limit) : 100;
    if (cli_store(cli, &st))
        return 1;
    if (bp_store_audit_list(st, &q, &v, &n, &err))
        return cli_fail(cli, &err);
    if (cli->json)
        a = json_array();
    for (i = 0; i < n; i++) {
        time_t t = (time_t)(v[i].at_ms / 1000 + BP_LOCAL_UTC_OFFSET_S);
        struct tm tm;
        char ts[32];
        gmtime_r(&t, &tm);
        strftime(ts, sizeof(ts), "%d/%m/%Y %H:%M:%S", &tm);
        if (a) {
            json_array_append_new(
                a, json_pack("{s:I,s:I,s:o,s:s,s:s,s:o,s:o,s:o}", "seq",
                             (json_int_t)v[i].seq, "at_ms",
                             (json_int_t)v[i].at_ms, "user",
                             reg_json_str(v[i].user_name), "action",
                             v[i].action, "kind", v[i].kind, "record_id",
                             reg_json_str(v[i].record_id), "before",
                             v[i].before ? json_loads(v[i].before, 0, NULL)
                                         : json_null(),
                             "after",
                             v[i].after ? json_loads(v[i].after, 0, NULL)
                                        : json_null()));
            continue;
        }
        printf("%6lld  %s  %-12s %-7s %-11s %s\n", v[i].seq, ts,
               v[i].user_name ? v[i].user_name : "-", v[i].action, v[i].kind,
               v[i].record_id ? v[i].record_id : "");
    }
    if (a)
        reg_json_print(a);
    bp_store_audit_list_free(v, n);
    return 0;
}
