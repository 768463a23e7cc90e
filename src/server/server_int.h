/* SPDX-License-Identifier: MIT */
/*
 * What the server's files share: the server and request objects, the
 * route table's row, the policy, and the helpers for replies, problem
 * documents and JSON bodies.
 */
#ifndef BP_SERVER_INT_H
#define BP_SERVER_INT_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>
#include <microhttpd.h>

#include "bienphong/buf.h"
#include "bienphong/server.h"

/* Who is asking, as the policy sees it. */
struct principal {
    int authed;
    int via_session;    /* cookie auth: state changes need the CSRF token */
    char token_hash[65];
    bp_uuid user_id;
    char name[72];
    enum bp_role role;
    bp_uuid station_id, commune_id;
    bp_uuid *communes;  /* owned; the communes in scope (station/commune) */
    size_t ncommunes;
};

/* What a route needs, from least to most. */
enum perm {
    PERM_PUBLIC = 0, /* anyone, logged in or not */
    PERM_VIEW,       /* any user: aggregates, maps, reference records */
    PERM_RECORDS,    /* admin, station, commune: records with people */
    PERM_ADMIN       /* admin only */
};

struct server;
struct req;

typedef void (*handler_fn)(struct req *r);

struct route {
    const char *method;
    const char *pattern; /* "/api/v1/stations/{id}" */
    handler_fn fn;
    enum perm perm;
    int arg;             /* handler's parameter, e.g. the record kind */
    const char *summary; /* for the OpenAPI description */
};

extern const struct route bp__routes[];
extern const size_t bp__nroutes;

/* A cached response (figures, layers). */
struct cache_entry {
    char *key;
    char *body;
    size_t len;
    const char *ctype;
    unsigned long long gen;
    long long at_ms;
};
#define CACHE_SLOTS 64

struct login_slot {
    char ip[48];
    int fails;
    long long window_start;
};
#define LOGIN_SLOTS 256

struct auth_slot {
    char hash[65];
    struct principal who; /* owns its communes */
    long long until_ms;
    long long expires_at;
};
#define AUTH_SLOTS 256

struct server {
    struct bp_server_opts o;
    char *db;
    char *static_dir; /* NULL: built-in page */
    struct MHD_Daemon *d;
    unsigned port;
    /* store pool: one connection per worker */
    pthread_mutex_t pool_mu;
    pthread_cond_t pool_cv;
    struct bp_store **pool;
    size_t npool, nfree;
    struct bp_store **free_list;
    /* writes are serialised here; the busy timeout covers others */
    pthread_mutex_t write_mu;
    unsigned long long gen; /* bumped after each write (under cache_mu) */
    pthread_mutex_t cache_mu;
    struct cache_entry cache[CACHE_SLOTS];
    pthread_mutex_t login_mu;
    struct login_slot logins[LOGIN_SLOTS];
    pthread_mutex_t auth_mu;
    struct auth_slot auth[AUTH_SLOTS];
    pthread_mutex_t log_mu;
    pthread_mutex_t flight_mu;
    long inflight;
    volatile int stopping;
    struct jobs *jobs; /* long uploads run here (server_jobs.c) */
};

struct req {
    struct server *srv;
    struct MHD_Connection *conn;
    const char *method;
    char *path;  /* owned, without the query */
    char *query; /* owned raw query, for logs and cache keys; may be "" */
    struct bp_buf body;
    int too_big;
    const struct route *route;
    char *params[2]; /* owned: the {id} segments matched */
    struct principal who;
    struct bp_store *st; /* from the pool while handling */
    char ip[48];
    struct timespec t0;
    /* the reply */
    unsigned status;
    struct bp_buf out;
    const char *ctype;
    char *set_cookie;   /* owned */
    char *disposition;  /* owned */
    const char *cache_control;
    int retry_after;    /* seconds, 0 for none */
    char *location;     /* owned */
    int fd;             /* static file reply when >= 0 */
    size_t fd_size;     /* bytes sent, for the log */
    /* A request run as a job (server_jobs.c) has no connection: its query
     * arguments and Content-Type are kept here. */
    struct job *job;    /* borrowed; NULL for a plain request */
    char **args;        /* owned: name, value (NULL: none) pairs */
    size_t nargs;
    char *ctype_in;     /* owned */
};

/* ---- replies (server.c) ---- */
void bp__reply_json(struct req *r, unsigned status, json_t *v); /* steals */
void bp__reply_text(struct req *r, unsigned status, const char *ctype,
                    const char *body, size_t len);
/* 200 with a page of a list paged in memory: `items` (stolen) are the
 * matching records from number `cursor` on, at most `limit`, of `total`;
 * next_cursor is the number of the first record after the page, or null. */
void bp__reply_page(struct req *r, json_t *items, long cursor, long limit,
                    size_t total);
/* 200 with a CSV file `body` (copied) offered for download as
 * "<name>.csv". */
void bp__reply_csv(struct req *r, const char *body, size_t len,
                   const char *name);
/* The whole-number query argument `name` in [lo, hi] into `out`, `def`
 * when absent; -1 after answering 400 naming it when it is not one. */
int bp__query_long(struct req *r, const char *name, long lo, long hi,
                   long def, long *out);
/* A problem document (RFC 9457): `slug` names the type; `errors` (stolen,
 * may be NULL) is the field-level list. */
void bp__problem(struct req *r, unsigned status, const char *slug,
                 const char *title_vi, const char *title_en,
                 const char *detail, json_t *errors);
/* A problem from a library error: status chosen by its code. */
void bp__problem_err(struct req *r, const struct bp_error *err);
struct bp_import_result;
/* The answer to a CSV import that wrote nothing: 403 when a row is outside
 * the user's scope (a problem coded BP_EPERM), else 422 listing every bad
 * row, or, with no bad rows, the error itself. */
void bp__problem_import(struct req *r, const struct bp_import_result *res,
                        const struct bp_error *err);
/* An upload that must be a non-empty text/csv body: 0, or 1 when the
 * request was answered (415, 422). */
int bp__refuse_csv_body(struct req *r);
/* {"field":..,"row":..,"detail":..}; new reference. */
json_t *bp__field_error(const char *field, long row, const char *detail);
/* The HTTP status for a library error code. */
unsigned bp__status_of(int code);
const char *bp__query(struct req *r, const char *name);
/* A request header (a job's request: Content-Type only); NULL if none. */
const char *bp__header(struct req *r, const char *name);
long long bp__now_ms(void);
/* Decode the request body as a JSON object, replying with the problem
 * when it is not one (then returns NULL). `empty_ok`: an empty body
 * gives an empty object. New reference. */
json_t *bp__body_json(struct req *r, int empty_ok);
/* Append a write to the audit log (inside the caller's transaction). */
int bp__audit(struct req *r, const char *action, const char *kind,
              const char *id, json_t *before, json_t *after,
              struct bp_error *err);
/* Serialise writes and invalidate cached figures afterwards. */
void bp__write_lock(struct server *s);
void bp__write_unlock(struct server *s);
/* Cached replies: 1 when the reply was served from the cache. */
int bp__cache_reply(struct req *r);
void bp__cache_store(struct req *r);
/* Log a line through opts.log. */
void bp__log(struct server *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- policy (server_policy.c): the one place roles are enforced ---- */
/* 0 when `who` may use a route needing `perm`, else 401 or 403. */
unsigned bp__policy_route(const struct principal *who, enum perm perm);
/* Whether a record tied to `commune_id` is visible / changeable:
 * 0, or the status to answer (404 when out of scope, 403). `kind_scoped`:
 * the record kind belongs to communes (villages, custodians, pledges).
 * `write`: a change is asked for. */
unsigned bp__policy_record(const struct principal *who, int kind_scoped,
                           int admin_only_write, const char *commune_id,
                           int write);
/* A record tied to several communes (a patrol through its participants
 * and station): readable when one of them is in scope, changeable when
 * all are; 0, 404 (none in scope: as if absent) or 403. Viewers: 403. */
unsigned bp__policy_multi(const struct principal *who,
                          const char *const *communes, size_t n, int write);
/* Campaign records (province-wide): admins read and change; station and
 * commune users read, and change only kinds with `local_write` whose
 * `commune_id` is in their scope (NULL: not known yet, asked before the
 * body is read); viewers: 403. 0, 401 or 403. */
unsigned bp__policy_campaign(const struct principal *who, int local_write,
                             const char *commune_id, int write);
/* 1 when names, phones and ID numbers of households may be shown. */
int bp__policy_personal(const struct principal *who);
/* Fill who->communes for station and commune users. */
int bp__policy_scope(struct bp_store *st, struct principal *who,
                     struct bp_error *err);
void bp__principal_release(struct principal *who);
int bp__principal_copy(struct principal *dst, const struct principal *src);

/* ---- auth (server_auth.c) ---- */
/* Find who is asking (cookie or bearer); 0, or a reply was made. */
int bp__authenticate(struct req *r);
/* Check the CSRF token of a state-changing cookie request; 0 or replied. */
int bp__csrf_check(struct req *r);
void bp__auth_forget(struct server *s);
void h_session_create(struct req *r);
void h_session_get(struct req *r);
void h_session_delete(struct req *r);
void h_tokens_list(struct req *r);
void h_tokens_create(struct req *r);
void h_tokens_end(struct req *r);
void h_users_list(struct req *r);
void h_users_get(struct req *r);
void h_users_create(struct req *r);
void h_users_update(struct req *r);
void h_users_end(struct req *r);
void h_audit_list(struct req *r);

/* ---- records (server_records.c) ---- */
enum rec_kind { RK_STATION = 0, RK_COMMUNE, RK_VILLAGE, RK_MARKER,
                RK_CUSTODIAN, RK_PLEDGE, RK_N };
void h_rec_list(struct req *r);
void h_rec_get(struct req *r);
void h_rec_create(struct req *r);
void h_rec_update(struct req *r);
void h_rec_end(struct req *r);

/* ---- figures, layers, exchange (server_figures.c) ---- */
void h_coverage(struct req *r);
void h_coverage_history(struct req *r);
void h_gaps(struct req *r);
void h_overlaps(struct req *r);
void h_layer(struct req *r);
void h_layer_communes(struct req *r);
void h_export_csv(struct req *r);
void h_import_csv(struct req *r);

/* ---- patrols (server_patrol.c) ---- */
void h_patrol_list(struct req *r);
void h_patrol_get(struct req *r);
void h_patrol_create(struct req *r);
void h_patrol_import(struct req *r);
void h_patrol_approve(struct req *r);
void h_patrol_track(struct req *r); /* arg: 0 GeoJSON, 1 GPX */
void h_verify(struct req *r);
void h_overdue(struct req *r);
void h_inspection_list(struct req *r);
void h_inspection_create(struct req *r);
void h_incident_list(struct req *r);
void h_incident_get(struct req *r);
void h_incident_create(struct req *r);
void h_incident_update(struct req *r);
void h_layer_walked(struct req *r);
void h_layer_incidents(struct req *r);
/* CSV exports; arg: 0 patrols, 1 inspections, 2 incidents. */
void h_patrol_export_csv(struct req *r);

/* ---- the campaign (server_campaign.c) ---- */
enum camp_kind { CK_CAMPAIGN = 0, CK_DONOR, CK_DONATION, CK_EXPENSE, CK_ROAD,
                 CK_PROGRESS, CK_BAMBOO, CK_BCHECK, CK_LIGHT, CK_LCHECK,
                 CK_EVENT, CK_AWARD, CK_N };
void h_camp_list(struct req *r);     /* arg: the kind */
void h_camp_get(struct req *r);
void h_camp_create(struct req *r);
void h_camp_update(struct req *r);
void h_camp_children(struct req *r); /* checks, progress of {id} */
void h_ledger(struct req *r);
void h_road_progress(struct req *r);
void h_award_suggest(struct req *r);
void h_camp_layer(struct req *r);    /* arg: CK_ROAD, CK_LIGHT, CK_BAMBOO */
/* CSV of the campaign's records; arg: enum bp_camp_csv_kind. */
void h_camp_export_csv(struct req *r);
void h_camp_import_csv(struct req *r);

/* ---- the review report (server_report.c) ---- */
void h_report_review(struct req *r);
/* Release the font caches of the renderings, once no worker is left. */
void bp__report_quit(void);

/* ---- routes (server_routes.c) ---- */
void h_openapi(struct req *r);
void h_health(struct req *r);
/* Find the route for method and path; fills r->route and r->params.
 * Returns 0, 404 (no such path) or 405 (path known, method not). */
unsigned bp__route_match(struct req *r);

#endif
