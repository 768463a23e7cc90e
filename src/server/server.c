/* SPDX-License-Identifier: MIT */
/*
 * The server's core: libmicrohttpd with its own thread pool on epoll, a
 * store connection per worker, the request life cycle (body limits,
 * routing, authentication, the policy, the CSRF check), replies with the
 * security headers, problem documents, the access log, the figure cache,
 * static files and a graceful stop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bienphong/alloc.h"
#include "bienphong/exchange.h"
#include "bienphong/text.h"
#include "server/server_int.h"
#include "server/server_jobs.h"

#define CSP                                                                  \
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' "      \
    "'unsafe-inline'; object-src 'none'; base-uri 'none'; form-action "      \
    "'self'; frame-ancestors 'none'"

long long bp__now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void bp__log(struct server *s, const char *fmt, ...)
{
    char line[2048];
    va_list ap;

    if (!s->o.log)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&s->log_mu);
    s->o.log(s->o.log_ctx, line);
    pthread_mutex_unlock(&s->log_mu);
}

/* ---- replies ---- */

static void reply_reset(struct req *r)
{
    bp_buf_release(&r->out);
    if (r->fd >= 0)
        close(r->fd);
    r->fd = -1;
}

void bp__reply_text(struct req *r, unsigned status, const char *ctype,
                    const char *body, size_t len)
{
    reply_reset(r);
    r->status = status;
    r->ctype = ctype;
    if (bp_buf_add(&r->out, body, len))
        r->status = 500;
}

void bp__reply_page(struct req *r, json_t *items, long cursor, long limit,
                    size_t total)
{
    bp__reply_json(r, 200,
                   json_pack("{s:o,s:o,s:I}", "items", items, "next_cursor",
                             (size_t)(cursor + limit) < total
                                 ? json_sprintf("%ld", cursor + limit)
                                 : json_null(),
                             "total", (json_int_t)total));
}

void bp__reply_csv(struct req *r, const char *body, size_t len,
                   const char *name)
{
    struct bp_buf disp = BP_BUF_INIT;

    bp__reply_text(r, 200, "text/csv; charset=utf-8", body, len);
    bp_free(r->disposition);
    r->disposition = NULL;
    if (bp_buf_addf(&disp, "attachment; filename=\"%s.csv\"", name))
        r->status = 500;
    else
        r->disposition = bp_buf_take(&disp, NULL);
    bp_buf_release(&disp);
}

void bp__reply_json(struct req *r, unsigned status, json_t *v)
{
    char *txt = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

    if (!txt) {
        json_decref(v);
        bp__reply_text(r, 500, "application/problem+json",
                       "{\"status\":500,\"title\":\"out of memory\"}", 38);
        return;
    }
    bp__reply_text(r, status, "application/json", txt, strlen(txt));
    free(txt);
    json_decref(v);
}

json_t *bp__field_error(const char *field, long row, const char *detail)
{
    json_t *o = json_object();

    if (field && *field)
        json_object_set_new(o, "field", json_string(field));
    if (row > 0)
        json_object_set_new(o, "row", json_integer(row));
    json_object_set_new(o, "detail", json_string(detail ? detail : ""));
    return o;
}

void bp__problem(struct req *r, unsigned status, const char *slug,
                 const char *title_vi, const char *title_en,
                 const char *detail, json_t *errors)
{
    json_t *o = json_object();
    char type[128];
    char *txt;

    snprintf(type, sizeof(type), "https://bienphong.invalid/problems/%s",
             slug);
    json_object_set_new(o, "type", json_string(type));
    json_object_set_new(o, "title", json_string(title_vi));
    json_object_set_new(o, "title_en", json_string(title_en));
    json_object_set_new(o, "status", json_integer(status));
    if (detail && *detail)
        json_object_set_new(o, "detail", json_stringn_nocheck(detail,
                                                              strlen(detail)));
    if (r->path)
        json_object_set_new(o, "instance", json_string(r->path));
    if (errors)
        json_object_set_new(o, "errors", errors);
    txt = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!txt) {
        bp__reply_text(r, 500, "application/problem+json",
                       "{\"status\":500,\"title\":\"out of memory\"}", 38);
        return;
    }
    bp__reply_text(r, status, "application/problem+json", txt, strlen(txt));
    free(txt);
}

unsigned bp__status_of(int code)
{
    switch (code) {
    case BP_EINVAL:
    case BP_EPARSE:
    case BP_ERANGE:
    case BP_EGEOM:
    case BP_EENCODING:
    case BP_EEMPTY:
        return 422;
    case BP_ENOTFOUND:
        return 404;
    case BP_EEXIST:
    case BP_ECONFLICT:
        return 409;
    case BP_EPERM:
        return 403;
    default:
        return 500;
    }
}

void bp__problem_err(struct req *r, const struct bp_error *err)
{
    unsigned status = bp__status_of(err->code);
    json_t *errors = NULL;

    /* A reference named in a field that does not exist is a problem with
     * the request, not a missing resource. */
    if (status == 404 && err->field[0] && strcmp(err->field, "id"))
        status = 422;
    if (err->field[0] || err->row)
        errors = json_pack("[o]", bp__field_error(err->field, err->row,
                                                  err->message));
    switch (status) {
    case 404:
        bp__problem(r, 404, "not-found", "Không tìm thấy", "Not found",
                    err->message, errors);
        break;
    case 409:
        bp__problem(r, 409, "conflict", "Xung đột với dữ liệu đã có",
                    "Conflicts with existing records", err->message, errors);
        break;
    case 403:
        bp__problem(r, 403, "forbidden", "Không được phép", "Forbidden",
                    err->message, errors);
        break;
    case 422:
        bp__problem(r, 422, "invalid", "Dữ liệu không hợp lệ",
                    "Invalid data", err->message, errors);
        break;
    default:
        json_decref(errors);
        bp__problem(r, 500, "internal", "Lỗi máy chủ", "Server error",
                    err->message, NULL);
    }
}

void bp__problem_import(struct req *r, const struct bp_import_result *res,
                        const struct bp_error *err)
{
    json_t *errors;
    size_t i;
    int perm = 0;

    if (!res->nproblems) {
        bp__problem_err(r, err);
        return;
    }
    errors = json_array();
    for (i = 0; i < res->nproblems; i++) {
        if (res->problems[i].code == BP_EPERM)
            perm = 1;
        json_array_append_new(errors,
                              bp__field_error(res->problems[i].field,
                                              res->problems[i].row,
                                              res->problems[i].message));
    }
    if (perm)
        bp__problem(r, 403, "forbidden-rows",
                    "Có dòng ngoài phạm vi của bạn, không có gì được ghi",
                    "Some rows are outside your scope; nothing was written",
                    err->message, errors);
    else
        bp__problem(r, 422, "invalid-rows",
                    "Tệp có dòng không hợp lệ, không có gì được ghi",
                    "The file has bad rows; nothing was written",
                    err->message, errors);
}

int bp__refuse_csv_body(struct req *r)
{
    const char *ct = bp__header(r, "Content-Type");

    if (!ct || strncasecmp(ct, "text/csv", 8)) {
        bp__problem(r, 415, "unsupported-media-type",
                    "Kiểu nội dung không được hỗ trợ",
                    "Unsupported media type", "upload the file as text/csv",
                    NULL);
        return 1;
    }
    if (!r->body.len) {
        bp__problem(r, 422, "invalid", "Dữ liệu không hợp lệ",
                    "Invalid data", "the file is empty", NULL);
        return 1;
    }
    return 0;
}

const char *bp__query(struct req *r, const char *name)
{
    size_t i;

    if (r->conn)
        return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
                                           name);
    for (i = 0; i < r->nargs; i++)
        if (!strcmp(r->args[2 * i], name))
            return r->args[2 * i + 1];
    return NULL;
}

const char *bp__header(struct req *r, const char *name)
{
    if (r->conn)
        return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
    return strcasecmp(name, "Content-Type") ? NULL : r->ctype_in;
}

/* ---- JSON bodies ---- */

/* Depth of nesting, counted outside strings. */
static int json_depth(const char *s, size_t n)
{
    int depth = 0, max = 0, in_str = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
            continue;
        }
        if (c == '"')
            in_str = 1;
        else if (c == '[' || c == '{') {
            if (++depth > max)
                max = depth;
        } else if (c == ']' || c == '}')
            depth--;
    }
    return max;
}

#define MAX_JSON_DEPTH 16

json_t *bp__body_json(struct req *r, int empty_ok)
{
    const char *ct = bp__header(r, "Content-Type");
    json_error_t je;
    json_t *v;
    size_t bad = 0;
    char msg[256];

    if (r->body.len == 0 && empty_ok)
        return json_object();
    if (!ct || strncasecmp(ct, "application/json", 16) ||
        (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
        bp__problem(r, 415, "unsupported-media-type",
                    "Kiểu nội dung không được hỗ trợ",
                    "Unsupported media type",
                    "the body must be JSON (Content-Type: application/json)",
                    NULL);
        return NULL;
    }
    if (!bp_text_utf8_valid(r->body.data, r->body.len, &bad)) {
        snprintf(msg, sizeof(msg), "the body is not UTF-8 (byte %zu)", bad);
        bp__problem(r, 400, "malformed", "Yêu cầu sai định dạng",
                    "Malformed request", msg, NULL);
        return NULL;
    }
    if (json_depth(r->body.data, r->body.len) > MAX_JSON_DEPTH) {
        snprintf(msg, sizeof(msg), "the JSON is nested deeper than %d levels",
                 MAX_JSON_DEPTH);
        bp__problem(r, 400, "malformed", "Yêu cầu sai định dạng",
                    "Malformed request", msg, NULL);
        return NULL;
    }
    v = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
    if (!v) {
        snprintf(msg, sizeof(msg), "malformed JSON at line %d, column %d: %s",
                 je.line, je.column, je.text);
        bp__problem(r, 400, "malformed", "Yêu cầu sai định dạng",
                    "Malformed request", msg, NULL);
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        bp__problem(r, 422, "invalid", "Dữ liệu không hợp lệ",
                    "Invalid data", "the body must be a JSON object", NULL);
        return NULL;
    }
    return v;
}

/* ---- writes, audit, cache ---- */

void bp__write_lock(struct server *s)
{
    pthread_mutex_lock(&s->write_mu);
}

void bp__write_unlock(struct server *s)
{
    pthread_mutex_lock(&s->cache_mu);
    s->gen++;
    pthread_mutex_unlock(&s->cache_mu);
    pthread_mutex_unlock(&s->write_mu);
}

int bp__audit(struct req *r, const char *action, const char *kind,
              const char *id, json_t *before, json_t *after,
              struct bp_error *err)
{
    struct bp_audit_entry e = {0};
    char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS)
                     : NULL;
    char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    int rc;

    e.at_ms = bp__now_ms();
    snprintf(e.user_id, sizeof(e.user_id), "%s", r->who.user_id);
    e.user_name = r->who.name[0] ? r->who.name : NULL;
    e.action = (char *)action;
    e.kind = (char *)kind;
    e.record_id = (char *)id;
    e.before = b;
    e.after = a;
    rc = bp_store_audit_append(r->st, &e, err);
    free(b);
    free(a);
    return rc;
}

static void cache_key(struct req *r, char *key, size_t size)
{
    /* Figures are the same for every user; scoped layers are not. */
    snprintf(key, size, "%s?%s|%s", r->path, r->query,
             r->who.role == BP_ROLE_STATION || r->who.role == BP_ROLE_COMMUNE
                 ? r->who.user_id
                 : bp_role_name(r->who.role));
}

static unsigned long hash_str(const char *s)
{
    unsigned long h = 5381;

    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

int bp__cache_reply(struct req *r)
{
    struct server *s = r->srv;
    struct cache_entry *e;
    char key[1024];
    int hit = 0;

    if (s->o.cache_ttl_ms < 0)
        return 0;
    cache_key(r, key, sizeof(key));
    pthread_mutex_lock(&s->cache_mu);
    e = &s->cache[hash_str(key) % CACHE_SLOTS];
    if (e->key && !strcmp(e->key, key) && e->gen == s->gen &&
        bp__now_ms() - e->at_ms <= s->o.cache_ttl_ms) {
        bp__reply_text(r, 200, e->ctype, e->body, e->len);
        hit = 1;
    }
    pthread_mutex_unlock(&s->cache_mu);
    return hit;
}

void bp__cache_store(struct req *r)
{
    struct server *s = r->srv;
    struct cache_entry *e;
    char key[1024];
    char *k, *b;

    if (s->o.cache_ttl_ms < 0 || r->status != 200)
        return;
    cache_key(r, key, sizeof(key));
    k = bp_strdup(key);
    b = bp_malloc(r->out.len + 1);
    if (!k || !b) {
        bp_free(k);
        bp_free(b);
        return;
    }
    memcpy(b, r->out.data, r->out.len + 1);
    pthread_mutex_lock(&s->cache_mu);
    e = &s->cache[hash_str(key) % CACHE_SLOTS];
    bp_free(e->key);
    bp_free(e->body);
    e->key = k;
    e->body = b;
    e->len = r->out.len;
    e->ctype = r->ctype;
    e->gen = s->gen;
    e->at_ms = bp__now_ms();
    pthread_mutex_unlock(&s->cache_mu);
}

/* ---- the store pool ---- */

static struct bp_store *pool_get(struct server *s)
{
    struct bp_store *st;

    pthread_mutex_lock(&s->pool_mu);
    while (!s->nfree)
        pthread_cond_wait(&s->pool_cv, &s->pool_mu);
    st = s->free_list[--s->nfree];
    pthread_mutex_unlock(&s->pool_mu);
    return st;
}

static void pool_put(struct server *s, struct bp_store *st)
{
    pthread_mutex_lock(&s->pool_mu);
    s->free_list[s->nfree++] = st;
    pthread_cond_signal(&s->pool_cv);
    pthread_mutex_unlock(&s->pool_mu);
}

/* ---- static files ---- */

static const char *mime_of(const char *path)
{
    static const char *const map[][2] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".geojson", "application/geo+json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".webp", "image/webp"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".txt", "text/plain; charset=utf-8"},
        {".map", "application/json"},
        {".wasm", "application/wasm"},
        {".webmanifest", "application/manifest+json"},
    };
    const char *dot = strrchr(path, '.');
    size_t i;

    for (i = 0; dot && i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcasecmp(dot, map[i][0]))
            return map[i][1];
    return "application/octet-stream";
}

static const char builtin_page[] =
    "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width\">"
    "<title>bienphong</title></head><body>\n"
    "<h1>bienphong — Ngày Biên phòng toàn dân</h1>\n"
    "<p>Giao diện web chưa được xây dựng (thư mục <code>web/dist</code> "
    "không có). Máy chủ vẫn phục vụ API tại "
    "<a href=\"/api/v1/openapi.json\">/api/v1</a>.</p>\n"
    "<p lang=\"en\">The web UI is not built (no <code>web/dist</code>). "
    "The API is served at <a href=\"/api/v1/openapi.json\">/api/v1</a> "
    "(OpenAPI description).</p>\n</body></html>\n";

static void serve_static(struct req *r)
{
    struct server *s = r->srv;
    struct bp_buf path = BP_BUF_INIT;
    struct stat sb;
    const char *p = r->path;
    int fd = -1;

    if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
        bp__problem(r, 405, "method-not-allowed",
                    "Phương thức không được phép", "Method not allowed",
                    NULL, NULL);
        return;
    }
    if (!s->static_dir) {
        if (!strcmp(p, "/") || !strcmp(p, "/index.html")) {
            bp__reply_text(r, 200, "text/html; charset=utf-8", builtin_page,
                           sizeof(builtin_page) - 1);
            r->cache_control = "no-cache";
        } else
            bp__problem(r, 404, "not-found", "Không tìm thấy", "Not found",
                        NULL, NULL);
        return;
    }
    /* No way out of the folder: no "..", no hidden files, no NUL. */
    if (strstr(p, "/.") || strchr(p, '\\')) {
        bp__problem(r, 404, "not-found", "Không tìm thấy", "Not found", NULL,
                    NULL);
        return;
    }
    if (bp_buf_addf(&path, "%s%s", s->static_dir, p) ||
        (p[strlen(p) - 1] == '/' && bp_buf_adds(&path, "index.html")))
        goto fail;
    fd = open(path.data, O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        close(fd);
        fd = -1;
        if (!bp_buf_adds(&path, "/index.html"))
            fd = open(path.data, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
        /* A single-page app: unknown paths without an extension get the
         * index, so client-side routes survive a reload. */
        const char *slash = strrchr(p, '/');
        if (slash && !strchr(slash, '.')) {
            bp_buf_setlen(&path, 0);
            if (!bp_buf_addf(&path, "%s/index.html", s->static_dir))
                fd = open(path.data, O_RDONLY | O_CLOEXEC);
        }
    }
    if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
        if (fd >= 0)
            close(fd);
        bp_buf_release(&path);
        bp__problem(r, 404, "not-found", "Không tìm thấy", "Not found", NULL,
                    NULL);
        return;
    }
    reply_reset(r);
    r->status = 200;
    r->fd = fd;
    r->fd_size = (size_t)sb.st_size;
    r->ctype = mime_of(path.data);
    r->cache_control = strstr(p, "/assets/")
                           ? "public, max-age=31536000, immutable"
                           : (strstr(path.data, ".html")
                                  ? "no-cache"
                                  : "public, max-age=3600");
    bp_buf_release(&path);
    return;
fail:
    bp_buf_release(&path);
    bp__problem(r, 500, "internal", "Lỗi máy chủ", "Server error",
                "out of memory", NULL);
}

/* ---- the request life cycle ---- */

static int is_write(const char *m)
{
    return !strcmp(m, "POST") || !strcmp(m, "PUT") || !strcmp(m, "PATCH") ||
           !strcmp(m, "DELETE");
}

static void handle_api(struct req *r)
{
    struct server *s = r->srv;
    unsigned st = bp__route_match(r);

    if (st == 404) {
        bp__problem(r, 404, "no-route", "Không có tài nguyên này",
                    "No such resource", r->path, NULL);
        return;
    }
    if (st == 405) {
        bp__problem(r, 405, "method-not-allowed",
                    "Phương thức không được phép", "Method not allowed",
                    r->method, NULL);
        return;
    }
    r->st = pool_get(s);
    if (bp__authenticate(r))
        goto out;
    st = bp__policy_route(&r->who, r->route->perm);
    if (st == 401) {
        bp__problem(r, 401, "unauthenticated", "Chưa đăng nhập",
                    "Not logged in",
                    "log in with POST /api/v1/session or send "
                    "'Authorization: Bearer TOKEN'",
                    NULL);
        goto out;
    }
    if (st) {
        bp__problem(r, 403, "forbidden", "Không được phép", "Forbidden",
                    "your role may not use this resource", NULL);
        goto out;
    }
    if (is_write(r->method) && r->who.via_session && bp__csrf_check(r))
        goto out;
    if (r->too_big) {
        bp__problem(r, 413, "too-large", "Nội dung quá lớn",
                    "Request body too large", NULL, NULL);
        goto out;
    }
    if (bp__job_wanted(r))
        bp__job_submit(r);
    else
        r->route->fn(r);
out:
    pool_put(s, r->st);
    r->st = NULL;
}

static void add_headers(struct req *r, struct MHD_Response *resp)
{
    char buf[32];

    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    if (r->ctype)
        MHD_add_response_header(resp, "Content-Type", r->ctype);
    MHD_add_response_header(resp, "Cache-Control",
                            r->cache_control ? r->cache_control : "no-store");
    if (r->set_cookie)
        MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
    if (r->disposition)
        MHD_add_response_header(resp, "Content-Disposition", r->disposition);
    if (r->location)
        MHD_add_response_header(resp, "Location", r->location);
    if (r->status == 202 && r->location)
        MHD_add_response_header(resp, "Preference-Applied", "respond-async");
    if (r->retry_after > 0) {
        snprintf(buf, sizeof(buf), "%d", r->retry_after);
        MHD_add_response_header(resp, "Retry-After", buf);
    }
    if (r->srv->stopping)
        MHD_add_response_header(resp, "Connection", "close");
}

static enum MHD_Result send_reply(struct req *r)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;

    if (r->fd >= 0) {
        resp = MHD_create_response_from_fd(r->fd_size, r->fd);
        if (resp)
            r->fd = -1; /* the response closes it */
    } else {
        size_t len = r->out.len;
        char *data = bp_buf_take(&r->out, NULL);
        if (!data)
            return MHD_NO;
        resp = MHD_create_response_from_buffer_with_free_callback(len, data,
                                                                  bp_free);
        if (!resp)
            bp_free(data);
        r->fd_size = len;
    }
    if (!resp)
        return MHD_NO;
    add_headers(r, resp);
    ret = MHD_queue_response(r->conn, r->status ? r->status : 500, resp);
    MHD_destroy_response(resp);
    return ret;
}

void bp__req_free(struct req *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < 2 * r->nargs; i++)
        bp_free(r->args[i]);
    bp_free(r->args);
    bp_free(r->ctype_in);
    bp_free(r->path);
    bp_free(r->query);
    bp_buf_release(&r->body);
    bp_buf_release(&r->out);
    bp_free(r->params[0]);
    bp_free(r->params[1]);
    bp_free(r->set_cookie);
    bp_free(r->disposition);
    bp_free(r->location);
    if (r->fd >= 0)
        close(r->fd);
    bp__principal_release(&r->who);
    bp_free(r);
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *value)
{
    struct bp_buf *b = cls;

    (void)kind;
    if (b->len)
        bp_buf_addch(b, '&');
    bp_buf_adds(b, key);
    if (value) {
        bp_buf_addch(b, '=');
        bp_buf_adds(b, value);
    }
    return MHD_YES;
}

static struct req *req_new(struct server *s, struct MHD_Connection *conn,
                           const char *url, const char *method)
{
    const union MHD_ConnectionInfo *ci;
    struct bp_buf q = BP_BUF_INIT;
    struct req *r = bp_calloc(1, sizeof(*r));

    if (!r)
        return NULL;
    r->srv = s;
    r->conn = conn;
    r->method = method;
    r->fd = -1;
    bp_buf_init(&r->body);
    bp_buf_init(&r->out);
    clock_gettime(CLOCK_MONOTONIC, &r->t0);
    r->path = bp_strdup(url);
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_arg, &q);
    r->query = bp_buf_take(&q, NULL);
    if (!r->path || !r->query) {
        bp__req_free(r);
        return NULL;
    }
    ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
                      r->ip, sizeof(r->ip));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6,
                      &((const struct sockaddr_in6 *)sa)->sin6_addr, r->ip,
                      sizeof(r->ip));
    }
    return r;
}

/* Keep a query argument in a detached request; a failure shows as
 * status 500 on it. */
static enum MHD_Result keep_arg(void *cls, enum MHD_ValueKind kind,
                                const char *key, const char *value)
{
    struct req *c = cls;
    char **nv, *k, *v;

    (void)kind;
    nv = bp_reallocarray(c->args, 2 * (c->nargs + 1), sizeof(*nv));
    if (!nv) {
        c->status = 500;
        return MHD_NO;
    }
    c->args = nv;
    k = bp_strdup(key);
    v = value ? bp_strdup(value) : NULL;
    if (!k || (value && !v)) {
        bp_free(k);
        bp_free(v);
        c->status = 500;
        return MHD_NO;
    }
    nv[2 * c->nargs] = k;
    nv[2 * c->nargs + 1] = v;
    c->nargs++;
    return MHD_YES;
}

struct req *bp__req_detach(struct req *r)
{
    struct req *c = bp_calloc(1, sizeof(*c));
    const char *ct = bp__header(r, "Content-Type");

    if (!c)
        return NULL;
    c->srv = r->srv;
    c->fd = -1;
    bp_buf_init(&c->body);
    bp_buf_init(&c->out);
    clock_gettime(CLOCK_MONOTONIC, &c->t0);
    /* The route's own spelling outlives the connection's. */
    c->method = r->route->method;
    c->route = r->route;
    memcpy(c->ip, r->ip, sizeof(c->ip));
    c->path = bp_strdup(r->path);
    c->query = bp_strdup(r->query);
    c->ctype_in = ct ? bp_strdup(ct) : NULL;
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, keep_arg, c);
    if (!c->path || !c->query || (ct && !c->ctype_in) || c->status ||
        bp__principal_copy(&c->who, &r->who)) {
        bp__req_free(c);
        return NULL;
    }
    c->body = r->body;
    bp_buf_init(&r->body);
    c->params[0] = r->params[0];
    c->params[1] = r->params[1];
    r->params[0] = r->params[1] = NULL;
    return c;
}

static size_t body_limit(struct req *r)
{
    size_t n = strlen(r->path);

    if (!strcmp(r->method, "POST") && n > 7 &&
        !strcmp(r->path + n - 7, "/import"))
        return r->srv->o.max_upload;
    return r->srv->o.max_body;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct server *s = cls;
    struct req *r = *con_cls;

    (void)version;
    if (!r) {
        const char *cl;
        int late;
        r = req_new(s, conn, url, method);
        if (!r)
            return MHD_NO;
        *con_cls = r;
        /* Counted, or refused when the server is stopping: a request is
         * either waited for by bp_server_stop() or never started. */
        pthread_mutex_lock(&s->flight_mu);
        late = s->stopping;
        s->inflight++;
        pthread_mutex_unlock(&s->flight_mu);
        if (late) {
            r->retry_after = 5;
            bp__problem(r, 503, "stopping", "Máy chủ đang dừng",
                        "The server is stopping", NULL, NULL);
            return send_reply(r);
        }
        cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                         "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > body_limit(r)) {
            /* Refuse before reading the body. */
            bp__problem(r, 413, "too-large", "Nội dung quá lớn",
                        "Request body too large", NULL, NULL);
            return send_reply(r);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!r->too_big) {
            if (r->body.len + *upload_data_size > body_limit(r)) {
                r->too_big = 1;
                bp_buf_release(&r->body);
            } else if (bp_buf_add(&r->body, upload_data, *upload_data_size))
                return MHD_NO;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->status == 413)
        return MHD_YES; /* already answered */
    if (!strncmp(r->path, "/api/", 5) || !strcmp(r->path, "/api"))
        handle_api(r);
    else
        serve_static(r);
    return send_reply(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn,
                         void **con_cls, enum MHD_RequestTerminationCode toe)
{
    struct server *s = cls;
    struct req *r = *con_cls;
    struct timespec t1;
    double ms;

    (void)conn;
    if (!r)
        return;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ms = (double)(t1.tv_sec - r->t0.tv_sec) * 1e3 +
         (double)(t1.tv_nsec - r->t0.tv_nsec) / 1e6;
    /* Paths and queries carry no secrets: tokens travel in headers and
     * passwords in bodies, neither of which is logged. */
    bp__log(s, "%s %s %.300s%s%.300s %u %zu %.2fms %s%s",
            r->ip[0] ? r->ip : "-", r->method, r->path,
            r->query[0] ? "?" : "", r->query, r->status, r->fd_size, ms,
            r->who.name[0] ? r->who.name : "-",
            toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
    bp__req_free(r);
    *con_cls = NULL;
    pthread_mutex_lock(&s->flight_mu);
    s->inflight--;
    pthread_mutex_unlock(&s->flight_mu);
}

/* ---- start and stop ---- */

/*
 * "HOST:PORT" with an IPv4 host (empty or "localhost": 127.0.0.1), or
 * "[IPv6]:PORT" ("[::1]:8080"; "[::]:8080" takes IPv4 clients too). The
 * errors name the field "listen".
 */
static int parse_listen(const char *listen, struct sockaddr_storage *sa,
                        unsigned *flags, struct bp_error *err)
{
    char host[64];
    const char *colon = strrchr(listen, ':'), *h = listen;
    size_t hl;
    char *end;
    unsigned long port;
    int v6 = listen[0] == '[';

    memset(sa, 0, sizeof(*sa));
    *flags = 0;
    if (v6) {
        const char *close = strchr(listen, ']');
        if (!close || close[1] != ':')
            return bp_error_set_at(err, BP_EINVAL, NULL, 0, "listen",
                                   "'%s' is not an address: expected "
                                   "[IPv6]:PORT, e.g. [::1]:8080",
                                   listen);
        h = listen + 1;
        colon = close + 1;
        hl = (size_t)(close - h);
    } else {
        if (!colon)
            return bp_error_set_at(err, BP_EINVAL, NULL, 0, "listen",
                                   "'%s' is not an address: expected "
                                   "HOST:PORT, e.g. 127.0.0.1:8080 or "
                                   "[::1]:8080",
                                   listen);
        hl = (size_t)(colon - listen);
    }
    if (hl >= sizeof(host))
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "listen",
                               "'%s': the host is too long", listen);
    memcpy(host, h, hl);
    host[hl] = 0;
    errno = 0;
    port = strtoul(colon + 1, &end, 10);
    if (!colon[1] || *end || errno || port > 65535 || colon[1] == '-' ||
        colon[1] == '+' || colon[1] == ' ')
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "listen",
                               "'%s': the port is not 0..65535", listen);
    if (v6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;
        s6->sin6_family = AF_INET6;
        if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
            return bp_error_set_at(err, BP_EINVAL, NULL, 0, "listen",
                                   "'%s' is not an IPv6 address", host);
        s6->sin6_port = htons((unsigned short)port);
        /* The unspecified address also takes IPv4 clients. */
        *flags = IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr)
                     ? MHD_USE_DUAL_STACK
                     : MHD_USE_IPv6;
        return 0;
    }
    {
        struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
        if (!strcmp(host, "localhost") || !host[0])
            strcpy(host, "127.0.0.1");
        s4->sin_family = AF_INET;
        if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
            return bp_error_set_at(err, BP_EINVAL, NULL, 0, "listen",
                                   "'%s' is not an IPv4 address (write an "
                                   "IPv6 address in brackets: [::1]:8080)",
                                   host);
        s4->sin_port = htons((unsigned short)port);
    }
    return 0;
}

static void server_free(struct server *s)
{
    size_t i;

    if (!s)
        return;
    bp__jobs_stop(s);
    if (s->d)
        MHD_stop_daemon(s->d);
    for (i = 0; i < s->npool; i++)
        bp_store_close(s->pool[i]);
    bp_free(s->pool);
    bp_free(s->free_list);
    for (i = 0; i < CACHE_SLOTS; i++) {
        bp_free(s->cache[i].key);
        bp_free(s->cache[i].body);
    }
    bp__auth_forget(s);
    bp_free(s->db);
    bp_free(s->static_dir);
    pthread_mutex_destroy(&s->pool_mu);
    pthread_cond_destroy(&s->pool_cv);
    pthread_mutex_destroy(&s->write_mu);
    pthread_mutex_destroy(&s->cache_mu);
    pthread_mutex_destroy(&s->login_mu);
    pthread_mutex_destroy(&s->auth_mu);
    pthread_mutex_destroy(&s->log_mu);
    pthread_mutex_destroy(&s->flight_mu);
    bp_free(s);
}

int bp_server_start(const struct bp_server_opts *opts, struct bp_server **out,
                    struct bp_error *err)
{
    struct server *s = NULL;
    struct sockaddr_storage sa;
    unsigned af_flags = 0;
    struct stat sb;
    const union MHD_DaemonInfo *di;
    size_t i;
    int rc;

    if (!opts || !opts->db || !out)
        return bp_error_set(err, BP_EINVAL, "no database given to serve");
    s = bp_calloc(1, sizeof(*s));
    if (!s)
        return bp_error_set(err, BP_ENOMEM, "out of memory");
    s->o = *opts;
    if (!s->o.listen)
        s->o.listen = "127.0.0.1:8080";
    if (!s->o.threads)
        s->o.threads = 4;
    if (s->o.threads > 64)
        s->o.threads = 64;
    if (s->o.session_ttl_s <= 0)
        s->o.session_ttl_s = 8 * 3600;
    if (s->o.login_limit <= 0)
        s->o.login_limit = 10;
    if (s->o.login_window_s <= 0)
        s->o.login_window_s = 300;
    if (!s->o.max_body)
        s->o.max_body = 1 << 20;
    if (!s->o.max_upload)
        s->o.max_upload = 32u << 20;
    if (!s->o.cache_ttl_ms)
        s->o.cache_ttl_ms = 2000;
    pthread_mutex_init(&s->pool_mu, NULL);
    pthread_cond_init(&s->pool_cv, NULL);
    pthread_mutex_init(&s->write_mu, NULL);
    pthread_mutex_init(&s->cache_mu, NULL);
    pthread_mutex_init(&s->login_mu, NULL);
    pthread_mutex_init(&s->auth_mu, NULL);
    pthread_mutex_init(&s->log_mu, NULL);
    pthread_mutex_init(&s->flight_mu, NULL);
    s->db = bp_strdup(opts->db);
    if (!s->db) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto fail;
    }
    if (opts->static_dir && stat(opts->static_dir, &sb) == 0 &&
        S_ISDIR(sb.st_mode)) {
        s->static_dir = bp_strdup(opts->static_dir);
        if (!s->static_dir) {
            rc = bp_error_set(err, BP_ENOMEM, "out of memory");
            goto fail;
        }
        /* Paths are appended as "/x", so no trailing slash. */
        for (i = strlen(s->static_dir); i > 1 && s->static_dir[i - 1] == '/';
             i--)
            s->static_dir[i - 1] = 0;
    }
    rc = parse_listen(s->o.listen, &sa, &af_flags, err);
    if (rc)
        goto fail;
    /* The first connection migrates; the others find the schema ready. */
    s->pool = bp_calloc(s->o.threads, sizeof(*s->pool));
    s->free_list = bp_calloc(s->o.threads, sizeof(*s->free_list));
    if (!s->pool || !s->free_list) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto fail;
    }
    for (i = 0; i < s->o.threads; i++) {
        rc = bp_store_open(s->db, &s->pool[i], err);
        if (rc)
            goto fail;
        s->npool++;
        s->free_list[s->nfree++] = s->pool[i];
    }
    rc = bp__jobs_start(s, err);
    if (rc)
        goto fail;
    s->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
            af_flags | MHD_USE_ERROR_LOG * 0,
        0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
        (const struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)s->o.threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
    if (!s->d) {
        rc = bp_error_set(err, BP_EIO, "cannot listen on '%s' (in use?)",
                          s->o.listen);
        goto fail;
    }
    di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port
          : sa.ss_family == AF_INET6
              ? ntohs(((struct sockaddr_in6 *)&sa)->sin6_port)
              : ntohs(((struct sockaddr_in *)&sa)->sin_port);
    *out = (struct bp_server *)s;
    return 0;
fail:
    server_free(s);
    return rc;
}

unsigned bp_server_port(const struct bp_server *srv)
{
    return srv ? ((const struct server *)srv)->port : 0;
}

void bp_server_stop(struct bp_server *srv, unsigned grace_ms)
{
    struct server *s = (struct server *)srv;
    MHD_socket fd;
    long long deadline;
    long left;

    if (!s)
        return;
    pthread_mutex_lock(&s->flight_mu);
    s->stopping = 1;
    pthread_mutex_unlock(&s->flight_mu);
    /* No new connections; requests started finish what they asked for,
     * later ones on open connections get 503 (see on_request). */
    fd = MHD_quiesce_daemon(s->d);
    deadline = bp__now_ms() + grace_ms;
    for (;;) {
        pthread_mutex_lock(&s->flight_mu);
        left = s->inflight;
        pthread_mutex_unlock(&s->flight_mu);
        if (left <= 0 || bp__now_ms() >= deadline)
            break;
        usleep(10000);
    }
    MHD_stop_daemon(s->d);
    s->d = NULL;
    /* No request is left to ask about the jobs: queued ones are
     * cancelled, the running one finishes or rolls back. */
    bp__jobs_stop(s);
    bp__report_quit();
    /* Ours to close, once the workers are gone. */
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    server_free(s);
}
