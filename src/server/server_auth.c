/* SPDX-License-Identifier: MIT */
/*
 * Who is asking: passwords (argon2id), sessions in an HttpOnly cookie
 * with a CSRF token derived from them, API tokens for scripts (Bearer),
 * failed-login limits per address; and the users, tokens and audit
 * resources. Secrets are stored only as hashes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "bienphong/alloc.h"
#include "bienphong/date.h"
#include "server/server_int.h"

#define COOKIE "bp_session"
#define AUTH_CACHE_MS 5000

/* ---- primitives ---- */

static int sodium_ready(void)
{
    return sodium_init() >= 0;
}

int bp_password_hash(const char *password, char out[BP_PWHASH_LEN],
                     struct bp_error *err)
{
    size_t n = password ? strlen(password) : 0;

    if (!n || n > 1024)
        return bp_error_set_at(err, BP_EINVAL, NULL, 0, "password",
                               "a password has 1 to 1024 bytes");
    if (!sodium_ready() ||
        crypto_pwhash_str(out, password, n,
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE))
        return bp_error_set(err, BP_ENOMEM,
                            "not enough memory to hash the password");
    return 0;
}

int bp_password_verify(const char *hash, const char *password)
{
    if (!hash || !password || !sodium_ready())
        return 0;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int bp_password_generate(char *out, size_t size)
{
    static const char alphabet[] =
        "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    size_t i;

    if (size < 21 || !sodium_ready())
        return BP_EIO;
    for (i = 0; i < 20; i++)
        out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
    out[20] = 0;
    return 0;
}

static void to_hex(const unsigned char *b, size_t n, char *out)
{
    sodium_bin2hex(out, 2 * n + 1, b, n);
}

void bp_secret_hash(const char *secret, char hash[65])
{
    unsigned char h[32];

    sodium_ready();
    crypto_generichash(h, sizeof(h), (const unsigned char *)secret,
                       strlen(secret), NULL, 0);
    to_hex(h, sizeof(h), hash);
}

int bp_secret_new(char secret[65], char hash[65])
{
    unsigned char b[32];

    if (!sodium_ready())
        return BP_EIO;
    randombytes_buf(b, sizeof(b));
    to_hex(b, sizeof(b), secret);
    bp_secret_hash(secret, hash);
    return 0;
}

/* The CSRF token of a session: a keyed hash of its secret, so the server
 * keeps nothing more and only the cookie's holder can know it. */
static void csrf_of(const char *secret, char out[65])
{
    static const unsigned char key[] = "bienphong csrf v1 ..............";
    unsigned char h[32];

    crypto_generichash(h, sizeof(h), (const unsigned char *)secret,
                       strlen(secret), key, 32);
    to_hex(h, sizeof(h), out);
}

int bp_user_create(struct bp_store *st, const char *name, enum bp_role role,
                   const char *station, const char *commune,
                   const char *password, struct bp_user *out,
                   struct bp_error *err)
{
    struct bp_user u = {0};
    struct bp_station s = {0};
    struct bp_commune c = {0};
    char hash[BP_PWHASH_LEN];
    int rc;

    u.role = role;
    if (role == BP_ROLE_STATION && station && *station) {
        if (bp_store_station_get(st, station, &s, NULL))
            return bp_error_set_at(err, BP_ENOTFOUND, NULL, 0, "station",
                                   "no station '%.64s'", station);
        memcpy(u.station_id, s.id, sizeof(u.station_id));
        bp_station_release(&s);
    }
    if (role == BP_ROLE_COMMUNE && commune && *commune) {
        if (bp_store_commune_get(st, commune, &c, NULL))
            return bp_error_set_at(err, BP_ENOTFOUND, NULL, 0, "commune",
                                   "no commune '%.64s'", commune);
        memcpy(u.commune_id, c.id, sizeof(u.commune_id));
        bp_commune_release(&c);
    }
    rc = bp_password_hash(password, hash, err);
    if (rc)
        return rc;
    u.name = (char *)name;
    u.pw_hash = hash;
    rc = bp_store_user_put(st, &u, err);
    if (rc)
        return rc;
    if (out) {
        *out = u;
        out->name = bp_strdup(name);
        out->pw_hash = bp_strdup(hash);
    }
    return 0;
}

/* ---- the auth cache: token hash -> principal, for a few seconds ---- */

static unsigned slot_of(const char *hash)
{
    unsigned v = 0;

    sscanf(hash, "%8x", &v);
    return v % AUTH_SLOTS;
}

void bp__auth_forget(struct server *s)
{
    size_t i;

    pthread_mutex_lock(&s->auth_mu);
    for (i = 0; i < AUTH_SLOTS; i++) {
        bp__principal_release(&s->auth[i].who);
        memset(&s->auth[i], 0, sizeof(s->auth[i]));
    }
    pthread_mutex_unlock(&s->auth_mu);
}

static int cache_find(struct server *s, const char *hash,
                      struct principal *who)
{
    struct auth_slot *a = &s->auth[slot_of(hash)];
    long long now = bp__now_ms();
    int hit = 0;

    pthread_mutex_lock(&s->auth_mu);
    if (!strcmp(a->hash, hash) && a->until_ms > now &&
        (!a->expires_at || a->expires_at * 1000 > now))
        hit = !bp__principal_copy(who, &a->who);
    pthread_mutex_unlock(&s->auth_mu);
    return hit;
}

static void cache_put(struct server *s, const char *hash,
                      const struct principal *who, long long expires_at)
{
    struct auth_slot *a = &s->auth[slot_of(hash)];
    struct principal copy;

    if (bp__principal_copy(&copy, who))
        return;
    pthread_mutex_lock(&s->auth_mu);
    bp__principal_release(&a->who);
    snprintf(a->hash, sizeof(a->hash), "%s", hash);
    a->who = copy;
    a->until_ms = bp__now_ms() + AUTH_CACHE_MS;
    a->expires_at = expires_at;
    pthread_mutex_unlock(&s->auth_mu);
}

static int principal_of_user(struct bp_store *st, const struct bp_user *u,
                             struct principal *who, struct bp_error *err)
{
    who->authed = 1;
    memcpy(who->user_id, u->id, sizeof(who->user_id));
    snprintf(who->name, sizeof(who->name), "%s", u->name);
    who->role = u->role;
    memcpy(who->station_id, u->station_id, sizeof(who->station_id));
    memcpy(who->commune_id, u->commune_id, sizeof(who->commune_id));
    return bp__policy_scope(st, who, err);
}

/* The secret the request carries, and whether it came in the cookie. */
static const char *request_secret(struct req *r, int *cookie)
{
    const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                "Authorization");

    *cookie = 0;
    if (h && !strncasecmp(h, "Bearer ", 7))
        return h + 7;
    *cookie = 1;
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE);
}

int bp__authenticate(struct req *r)
{
    struct bp_error err = {0};
    struct bp_token t = {0};
    struct bp_user u = {0};
    const char *secret;
    char hash[65];
    int cookie = 0, rc = 0;

    secret = request_secret(r, &cookie);
    if (!secret || strlen(secret) != 64)
        return 0; /* anonymous; the policy decides */
    bp_secret_hash(secret, hash);
    if (cache_find(r->srv, hash, &r->who)) {
        r->who.via_session = cookie;
        return 0;
    }
    if (bp_store_token_find(r->st, hash, (long long)time(NULL), &t, &err))
        return 0; /* expired, ended or unknown: anonymous */
    if ((cookie && t.kind != BP_TOKEN_SESSION) ||
        (!cookie && t.kind != BP_TOKEN_API))
        goto out;
    if (bp_store_user_get(r->st, t.user_id, &u, &err) || u.disabled)
        goto out;
    rc = principal_of_user(r->st, &u, &r->who, &err);
    if (rc) {
        bp__problem_err(r, &err);
        rc = -1;
        goto out;
    }
    snprintf(r->who.token_hash, sizeof(r->who.token_hash), "%s", hash);
    cache_put(r->srv, hash, &r->who, t.expires_at);
    r->who.via_session = cookie;
out:
    bp_token_release(&t);
    bp_user_release(&u);
    return rc;
}

int bp__csrf_check(struct req *r)
{
    const char *got = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                  "X-CSRF-Token");
    int cookie;
    const char *secret = request_secret(r, &cookie);
    char want[65];

    if (secret && got && strlen(got) == 64) {
        csrf_of(secret, want);
        if (!sodium_memcmp(want, got, 64))
            return 0;
    }
    bp__problem(r, 403, "csrf", "Thiếu hoặc sai mã chống giả mạo (CSRF)",
                "Missing or wrong CSRF token",
                "state-changing requests with the session cookie must echo "
                "the csrf_token of POST /api/v1/session in the X-CSRF-Token "
                "header",
                NULL);
    return -1;
}

/* ---- login limits ---- */

static struct login_slot *login_slot(struct server *s, const char *ip)
{
    unsigned long h = 5381;
    const char *p;

    for (p = ip; *p; p++)
        h = h * 33 + (unsigned char)*p;
    return &s->logins[h % LOGIN_SLOTS];
}

/* Seconds to wait when the address is over its limit, else 0. */
static int login_blocked(struct server *s, const char *ip)
{
    struct login_slot *l;
    long long now = (long long)time(NULL);
    int wait = 0;

    pthread_mutex_lock(&s->login_mu);
    l = login_slot(s, ip);
    if (!strcmp(l->ip, ip) && now - l->window_start < s->o.login_window_s &&
        l->fails >= s->o.login_limit)
        wait = (int)(l->window_start + s->o.login_window_s - now);
    pthread_mutex_unlock(&s->login_mu);
    return wait > 0 ? wait : 0;
}

static void login_failed(struct server *s, const char *ip, int ok)
{
    struct login_slot *l;
    long long now = (long long)time(NULL);

    pthread_mutex_lock(&s->login_mu);
    l = login_slot(s, ip);
    if (ok) {
        if (!strcmp(l->ip, ip))
            l->fails = 0;
    } else {
        if (strcmp(l->ip, ip) ||
            now - l->window_start >= s->o.login_window_s) {
            snprintf(l->ip, sizeof(l->ip), "%s", ip);
            l->fails = 0;
            l->window_start = now;
        }
        l->fails++;
    }
    pthread_mutex_unlock(&s->login_mu);
}

/* ---- JSON helpers ---- */

static json_t *user_json(const struct bp_user *u)
{
    char d[16];

    return json_pack("{s:s,s:s,s:s,s:o,s:o,s:b,s:s}", "id", u->id, "name",
                     u->name, "role", bp_role_name(u->role), "station_id",
                     u->station_id[0] ? json_string(u->station_id)
                                      : json_null(),
                     "commune_id",
                     u->commune_id[0] ? json_string(u->commune_id)
                                      : json_null(),
                     "disabled", u->disabled, "created_on",
                     bp_date_format_iso(bp_date_of_instant(u->created_at), d));
}

static json_t *who_json(const struct principal *who)
{
    return json_pack("{s:s,s:s,s:s,s:o,s:o}", "id", who->user_id, "name",
                     who->name, "role", bp_role_name(who->role), "station_id",
                     who->station_id[0] ? json_string(who->station_id)
                                        : json_null(),
                     "commune_id",
                     who->commune_id[0] ? json_string(who->commune_id)
                                        : json_null());
}

/* Unknown members of `o`, each a field error; 0 when none (replied
 * otherwise). */
static int only_known(struct req *r, json_t *o, const char *const *known)
{
    json_t *errors = json_array();
    const char *k;
    json_t *v;
    size_t i;

    json_object_foreach(o, k, v) {
        for (i = 0; known[i] && strcmp(known[i], k); i++)
            ;
        if (!known[i])
            json_array_append_new(errors,
                                  bp__field_error(k, 0, "unknown field"));
    }
    if (!json_array_size(errors)) {
        json_decref(errors);
        return 0;
    }
    bp__problem(r, 422, "invalid", "Dữ liệu không hợp lệ", "Invalid data",
                "the body has fields this resource does not have", errors);
    return -1;
}

/* A string member (NULL when absent or null); replies on a wrong type. */
static int str_member(struct req *r, json_t *o, const char *name,
                      size_t maxlen, const char **out)
{
    json_t *v = json_object_get(o, name);
    char msg[96];

    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v) || json_string_length(v) > maxlen ||
        strlen(json_string_value(v)) != json_string_length(v)) {
        snprintf(msg, sizeof(msg), "expected a string of at most %zu bytes",
                 maxlen);
        bp__problem(r, 422, "invalid", "Dữ liệu không hợp lệ",
                    "Invalid data", NULL,
                    json_pack("[o]", bp__field_error(name, 0, msg)));
        return -1;
    }
    *out = json_string_value(v);
    return 0;
}

/* ---- sessions ---- */

static void set_cookie(struct req *r, const char *secret, long max_age)
{
    struct bp_buf b = BP_BUF_INIT;

    bp_buf_addf(&b, COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; "
                           "Max-Age=%ld%s",
                secret, max_age, r->srv->o.secure_cookie ? "; Secure" : "");
    bp_free(r->set_cookie);
    r->set_cookie = bp_buf_take(&b, NULL);
}

void h_session_create(struct req *r)
{
    static const char *const known[] = {"name", "password", NULL};
    struct server *s = r->srv;
    struct bp_error err = {0};
    struct bp_user u = {0};
    struct bp_token t = {0};
    char secret[65], csrf[65];
    const char *name, *pw;
    json_t *body = NULL, *o;
    int wait, found;

    wait = login_blocked(s, r->ip);
    if (wait) {
        r->retry_after = wait;
        bp__problem(r, 429, "too-many-logins",
                    "Đăng nhập sai quá nhiều lần, hãy thử lại sau",
                    "Too many failed logins, try again later", NULL, NULL);
        return;
    }
    body = bp__body_json(r, 0);
    if (!body)
        return;
    if (only_known(r, body, known) ||
        str_member(r, body, "name", 64, &name) ||
        str_member(r, body, "password", 1024, &pw))
        goto out;
    if (!name || !pw) {
        bp__problem(r, 422, "invalid", "Dữ liệu không hợp lệ",
                    "Invalid data", "name and password are required",
                    json_pack("[o]", bp__field_error(name ? "password"
                                                          : "name",
                                                     0, "required")));
        goto out;
    }
    found = !bp_store_user_get(r->st, name, &u, &err) && !u.disabled &&
            !strcmp(u.name, name);
    if (!found || !bp_password_verify(u.pw_hash, pw)) {
        login_failed(s, r->ip, 0);
        bp__problem(r, 401, "bad-login", "Sai tên đăng nhập hoặc mật khẩu",
                    "Wrong name or password", NULL, NULL);
        goto out;
    }
    login_failed(s, r->ip, 1);
    if (bp_secret_new(secret, t.hash)) {
        bp__problem(r, 500, "internal", "Lỗi máy chủ", "Server error",
                    "no randomness", NULL);
        goto out;
    }
    t.kind = BP_TOKEN_SESSION;
    memcpy(t.user_id, u.id, sizeof(t.user_id));
    t.created_at = (long long)time(NULL);
    t.expires_at = t.created_at + s->o.session_ttl_s;
    bp__write_lock(s);
    if (bp_store_token_put(r->st, &t, &err)) {
        bp__write_unlock(s);
        bp__problem_err(r, &err);
        goto out;
    }
    bp__write_unlock(s);
    set_cookie(r, secret, s->o.session_ttl_s);
    csrf_of(secret, csrf);
    r->who.authed = 1;
    snprintf(r->who.name, sizeof(r->who.name), "%s", u.name);
    o = json_pack("{s:o,s:s,s:I}", "user", user_json(&u), "csrf_token", csrf,
                  "expires_at", (json_int_t)t.expires_at);
    bp__reply_json(r, 201, o);
out:
    sodium_memzero(secret, sizeof(secret));
    bp_user_release(&u);
    json_decref(body);
}

void h_session_get(struct req *r)
{
    json_t *o = json_pack("{s:o}", "user", who_json(&r->who));
    int cookie;
    const char *secret = request_secret(r, &cookie);
    char csrf[65];

    if (cookie && secret && r->who.via_session) {
        csrf_of(secret, csrf);
        json_object_set_new(o, "csrf_token", json_string(csrf));
    }
    bp__reply_json(r, 200, o);
}

void h_session_delete(struct req *r)
{
    struct bp_error err = {0};

    if (!r->who.via_session) {
        bp__problem(r, 400, "no-session", "Không có phiên đăng nhập",
                    "No session", "log out ends a cookie session; revoke "
                    "API tokens with POST /api/v1/tokens/{id}/end",
                    NULL);
        return;
    }
    bp__write_lock(r->srv);
    if (bp_store_token_end(r->st, r->who.token_hash, NULL,
                           (long long)time(NULL), &err)) {
        bp__write_unlock(r->srv);
        bp__problem_err(r, &err);
        return;
    }
    bp__write_unlock(r->srv);
    bp__auth_forget(r->srv);
    set_cookie(r, "", 0);
    bp__reply_text(r, 204, NULL, "", 0);
}

/* ---- API tokens ---- */

static json_t *token_json(const struct bp_token *t)
{
    return json_pack("{s:s,s:s,s:o,s:I,s:I,s:b}", "id", t->id, "user_id",
                     t->user_id,
                     "label", t->label ? json_string(t->label) : json_null(),
                     "created_at", (json_int_t)t->created_at, "expires_at",
                     (json_int_t)t->expires_at, "revoked", t->ended_at != 0);
}

void h_tokens_list(struct req *r)
{
    struct bp_error err = {0};
    struct bp_token *v = NULL;
    size_t n = 0, i;
    const char *all = bp__query(r, "all");
    json_t *items;

    if (bp_store_token_list(r->st,
                            all && r->who.role == BP_ROLE_ADMIN
                                ? NULL
                                : r->who.user_id,
                            &v, &n, &err)) {
        bp__problem_err(r, &err);
        return;
    }
    items = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(items, token_json(&v[i]));
    bp_store_token_list_free(v, n);
    bp__reply_json(r, 200, json_pack("{s:o,s:n}", "items", items,
                                     "next_cursor"));
}

void h_tokens_create(struct req *r)
{
    static const char *const known[] = {"label", "expires_in_days", NULL};
    struct bp_error err = {0};
    struct bp_token t = {0};
    char secret[65];
    const char *label;
    json_t *body = bp__body_json(r, 1), *days, *after = NULL;

    if (!body)
        return;
    if (only_known(r, body, known) ||
        str_member(r, body, "label", 200, &label))
        goto out;
    days = json_object_get(body, "expires_in_days");
    if (days && !json_is_null(days) &&
        (!json_is_integer(days) || json_integer_value(days) < 1 ||
         json_integer_value(days) > 3650)) {
        bp__problem(r, 422, "invalid", "Dữ liệu không hợp lệ",
                    "Invalid data", NULL,
                    json_pack("[o]", bp__field_error("expires_in_days", 0,
                                                     "expected a whole "
                                                     "number of days, "
                                                     "1..3650")));
        goto out;
    }
    if (bp_secret_new(secret, t.hash))
        goto out;
    t.kind = BP_TOKEN_API;
    memcpy(t.user_id, r->who.user_id, sizeof(t.user_id));
    t.label = (char *)label;
    t.created_at = (long long)time(NULL);
    if (days && json_is_integer(days))
        t.expires_at = t.created_at + json_integer_value(days) * 86400;
    bp__write_lock(r->srv);
    if (!bp_store_begin(r->st, &err) && !bp_store_token_put(r->st, &t, &err)) {
        after = token_json(&t);
        if (!bp__audit(r, "create", "tokens", t.id, NULL, after, &err) &&
            !bp_store_commit(r->st, &err)) {
            bp__write_unlock(r->srv);
            json_object_set_new(after, "token", json_string(secret));
            bp__reply_json(r, 201, after);
            after = NULL;
            goto out;
        }
    }
    bp_store_rollback(r->st);
    bp__write_unlock(r->srv);
    bp__problem_err(r, &err);
out:
    sodium_memzero(secret, sizeof(secret));
    json_decref(after);
    json_decref(body);
}

void h_tokens_end(struct req *r)
{
    struct bp_error err = {0};
    const char *id = r->params[0];

    if (!bp_uuid_valid(id)) {
        bp__problem(r, 404, "not-found", "Không tìm thấy", "Not found",
                    "no such token", NULL);
        return;
    }
    bp__write_lock(r->srv);
    if (bp_store_begin(r->st, &err) ||
        bp_store_token_end(r->st, id,
                           r->who.role == BP_ROLE_ADMIN ? NULL
                                                        : r->who.user_id,
                           (long long)time(NULL), &err) ||
        bp__audit(r, "end", "tokens", id, NULL, NULL, &err) ||
        bp_store_commit(r->st, &err)) {
        bp_store_rollback(r->st);
        bp__write_unlock(r->srv);
        bp__problem_err(r, &err);
        return;
    }
    bp__write_unlock(r->srv);
    bp__auth_forget(r->srv);
    bp__reply_json(r, 200, json_pack("{s:s,s:b}", "id", id, "revoked", 1));
}

/* ---- users ---- */

void h_users_list(struct req *r)
{
    struct bp_error err = {0};
    struct bp_user *v = NULL;
    size_t n = 0, i;
    json_t *items;

    if (bp_store_user_list(r->st, &v, &n, &err)) {
        bp__problem_err(r, &err);
        return;
    }
    items = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(items, user_json(&v[i]));
    bp_store_user_list_free(v, n);
    bp__reply_json(r, 200,
                   json_pack("{s:o,s:n}", "items", items, "next_cursor"));
}

static int get_user(struct req *r, struct bp_user *u)
{
    struct bp_error err = {0};

    if (!bp_uuid_valid(r->params[0]) ||
        bp_store_user_get(r->st, r->params[0], u, &err)) {
        bp__problem(r, 404, "not-found", "Không tìm thấy", "Not found",
                    "no such user", NULL);
        return -1;
    }
    return 0;
}

void h_users_get(struct req *r)
{
    struct bp_user u = {0};

    if (get_user(r, &u))
        return;
    bp__reply_json(r, 200, user_json(&u));
    bp_user_release(&u);
}

/* Apply a user body to `u` (create: `creating`); 0 or replied. */
static int user_apply(struct req *r, json_t *body, struct bp_user *u,
                      char pw_hash[BP_PWHASH_LEN], int *pw_changed,
                      char generated[32])
{
    static const char *const known[] = {"name", "role", "station",
                                        "commune", "password", "disabled",
                                        "id", NULL};
    struct bp_error err = {0};
    const char *name, *role, *station, *commune, *pw;
    json_t *dis = json_object_get(body, "disabled");
    enum bp_role ro = u->role;

    if (only_known(r, body, known) || str_member(r, body, "name", 64, &name) ||
        str_member(r, body, "role", 16, &role) ||
        str_member(r, body, "station", 64, &station) ||
        str_member(r, body, "commune", 64, &commune) ||
        str_member(r, body, "password", 1024, &pw))
        return -1;
    if (dis && !json_is_boolean(dis)) {
        bp__problem(r, 422, "invalid", "Dữ liệu không hợp lệ",
                    "Invalid data", NULL,
                    json_pack("[o]", bp__field_error("disabled", 0,
                                                     "expected true or "
                                                     "false")));
        return -1;
    }
    if (role && bp_role_parse(role, &ro)) {
        bp__problem(r, 422, "invalid", "Dữ liệu không hợp lệ",
                    "Invalid data", NULL,
                    json_pack("[o]", bp__field_error(
                                         "role", 0,
                                         "expected admin, station, commune "
                                         "or viewer")));
        return -1;
    }
    u->role = ro;
    if (name) {
        bp_free(u->name);
        u->name = bp_strdup(name);
    }
    if (dis)
        u->disabled = json_is_true(dis);
    if (station) {
        struct bp_station s = {0};
        if (bp_store_station_get(r->st, station, &s, &err)) {
            bp_error_set_at(&err, BP_ENOTFOUND, NULL, 0, "station",
                            "no station '%.64s'", station);
            bp__problem_err(r, &err);
            return -1;
        }
        memcpy(u->station_id, s.id, sizeof(u->station_id));
        bp_station_release(&s);
    }
    if (commune) {
        struct bp_commune c = {0};
        if (bp_store_commune_get(r->st, commune, &c, &err)) {
            bp_error_set_at(&err, BP_ENOTFOUND, NULL, 0, "commune",
                            "no commune '%.64s'", commune);
            bp__problem_err(r, &err);
            return -1;
        }
        memcpy(u->commune_id, c.id, sizeof(u->commune_id));
        bp_commune_release(&c);
    }
    if (!pw && generated) {
        bp_password_generate(generated, 32);
        pw = generated;
    }
    if (pw) {
        if (bp_password_hash(pw, pw_hash, &err)) {
            bp__problem_err(r, &err);
            return -1;
        }
        bp_free(u->pw_hash);
        u->pw_hash = bp_strdup(pw_hash);
        *pw_changed = 1;
    }
    return 0;
}

static void user_save(struct req *r, struct bp_user *u, json_t *before,
                      const char *action, int pw_changed,
                      const char *generated)
{
    struct bp_error err = {0};
    json_t *after = NULL;

    bp__write_lock(r->srv);
    if (bp_store_begin(r->st, &err) || bp_store_user_put(r->st, u, &err))
        goto fail;
    after = user_json(u);
    if (pw_changed)
        json_object_set_new(after, "password_changed", json_true());
    if (bp__audit(r, action, "users", u->id, before, after, &err) ||
        bp_store_commit(r->st, &err))
        goto fail;
    bp__write_unlock(r->srv);
    bp__auth_forget(r->srv);
    json_object_del(after, "password_changed");
    if (generated && generated[0])
        json_object_set_new(after, "password", json_string(generated));
    bp__reply_json(r, strcmp(action, "create") ? 200 : 201, after);
    return;
fail:
    bp_store_rollback(r->st);
    bp__write_unlock(r->srv);
    json_decref(after);
    bp__problem_err(r, &err);
}

void h_users_create(struct req *r)
{
    struct bp_user u = {0};
    char hash[BP_PWHASH_LEN], gen[32] = "";
    int changed = 0;
    json_t *body = bp__body_json(r, 0), *id;

    if (!body)
        return;
    u.role = BP_ROLE_VIEWER;
    id = json_object_get(body, "id");
    if (id && json_is_string(id))
        snprintf(u.id, sizeof(u.id), "%s", json_string_value(id));
    if (!user_apply(r, body, &u, hash, &changed, gen)) {
        if (!u.name)
            bp__problem(r, 422, "invalid", "Dữ liệu không hợp lệ",
                        "Invalid data", NULL,
                        json_pack("[o]",
                                  bp__field_error("name", 0, "required")));
        else
            user_save(r, &u, NULL, "create", changed, gen);
    }
    sodium_memzero(gen, sizeof(gen));
    bp_user_release(&u);
    json_decref(body);
}

void h_users_update(struct req *r)
{
    struct bp_user u = {0};
    char hash[BP_PWHASH_LEN];
    int changed = 0;
    json_t *body, *before;

    if (get_user(r, &u))
        return;
    body = bp__body_json(r, 0);
    if (body && !user_apply(r, body, &u, hash, &changed, NULL)) {
        struct bp_user old = {0};
        bp_store_user_get(r->st, u.id, &old, NULL);
        before = user_json(&old);
        bp_user_release(&old);
        user_save(r, &u, before, "update", changed, NULL);
        json_decref(before);
    }
    bp_user_release(&u);
    json_decref(body);
}

void h_users_end(struct req *r)
{
    struct bp_user u = {0};
    json_t *before;

    if (get_user(r, &u))
        return;
    before = user_json(&u);
    u.disabled = 1;
    user_save(r, &u, before, "end", 0, NULL);
    json_decref(before);
    bp_user_release(&u);
}

/* ---- audit ---- */

static json_t *maybe_json(const char *s)
{
    json_t *v = s ? json_loads(s, 0, NULL) : NULL;
    return v ? v : json_null();
}

void h_audit_list(struct req *r)
{
    struct bp_audit_query q = {0};
    struct bp_audit_entry *v = NULL;
    struct bp_error err = {0};
    const char *limit = bp__query(r, "limit"), *cursor = bp__query(r, "cursor");
    size_t n = 0, i;
    json_t *items, *next;
    char iso[40];

    q.kind = bp__query(r, "kind");
    q.record_id = bp__query(r, "record_id");
    q.user = bp__query(r, "user");
    q.limit = 50;
    if (limit) {
        long l = strtol(limit, NULL, 10);
        if (l < 1 || l > 500) {
            bp__problem(r, 400, "bad-query", "Tham số không hợp lệ",
                        "Bad query parameter", "limit is 1..500",
                        json_pack("[o]", bp__field_error("limit", 0,
                                                         "expected 1..500")));
            return;
        }
        q.limit = (size_t)l;
    }
    if (cursor)
        q.before_seq = strtoll(cursor, NULL, 10);
    if (bp_store_audit_list(r->st, &q, &v, &n, &err)) {
        bp__problem_err(r, &err);
        return;
    }
    items = json_array();
    for (i = 0; i < n; i++) {
        time_t t = (time_t)(v[i].at_ms / 1000);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
        json_array_append_new(
            items,
            json_pack("{s:I,s:s,s:o,s:o,s:s,s:s,s:o,s:o,s:o}", "seq",
                      (json_int_t)v[i].seq, "at", iso, "user_id",
                      v[i].user_id[0] ? json_string(v[i].user_id)
                                      : json_null(),
                      "user",
                      v[i].user_name ? json_string(v[i].user_name)
                                     : json_null(),
                      "action", v[i].action, "kind", v[i].kind, "record_id",
                      v[i].record_id ? json_string(v[i].record_id)
                                     : json_null(),
                      "before", maybe_json(v[i].before), "after",
                      maybe_json(v[i].after)));
    }
    next = n == q.limit && n ? json_sprintf("%lld", v[n - 1].seq)
                             : json_null();
    bp_store_audit_list_free(v, n);
    bp__reply_json(r, 200,
                   json_pack("{s:o,s:o}", "items", items, "next_cursor", next));
}
