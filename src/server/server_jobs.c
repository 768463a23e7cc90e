/* SPDX-License-Identifier: MIT */
/*
 * Jobs: a long upload asked for with ?async=1 or "Prefer: respond-async"
 * is answered 202 at once and run later by one worker thread with its own
 * store connection, reporting files, rows and bytes done. Jobs are kept
 * in memory, a bounded number of them with bounded result documents, for
 * a while after they finish; each belongs to the user who started it.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "bienphong/alloc.h"
#include "bienphong/gpx.h"
#include "server/server_jobs.h"

#define JOBS_KEPT 64                     /* remembered, finished or not */
#define JOBS_PENDING 8                   /* queued or running, in all */
#define JOBS_PER_USER 4                  /* queued or running, one user */
#define JOBS_KEEP_MS (30LL * 60 * 1000)  /* a finished job's lifetime */
#define JOBS_RESULT_MAX ((size_t)1 << 20)  /* one result document */
#define JOBS_RESULTS_MAX ((size_t)16 << 20) /* all result documents */

enum job_state { JOB_QUEUED = 0, JOB_RUNNING, JOB_DONE, JOB_FAILED,
                 JOB_CANCELLED };

static const char *const state_name[] = {"queued", "running", "done",
                                         "failed", "cancelled"};
static const char *const unit_name[JOB_NUNITS] = {"files", "rows", "bytes"};

struct job {
    bp_uuid id;
    bp_uuid owner;
    char owner_name[72];
    char what[200]; /* "POST /api/v1/patrols/import" */
    enum job_state state;
    long long created_ms, started_ms, finished_ms;
    long long done[JOB_NUNITS];  /* -1: not counted */
    long long total[JOB_NUNITS]; /* -1: not known */
    unsigned status;             /* of the finished request */
    char *result;                /* owned: its JSON document */
    size_t result_len;
    struct req *r;               /* owned while queued or running */
    int cancel;
};

struct jobs {
    pthread_mutex_t mu; /* guards everything here and in the jobs */
    pthread_cond_t cv;
    pthread_t thread;
    int running; /* the thread was started */
    int quit;
    struct bp_store *st; /* the worker's own connection */
    struct job *v[JOBS_KEPT]; /* oldest first */
    size_t n;
    size_t result_bytes;
};

static int finished(const struct job *j)
{
    return j->state >= JOB_DONE;
}

static void job_free(struct job *j)
{
    if (!j)
        return;
    bp__req_free(j->r);
    bp_free(j->result);
    bp_free(j);
}

static void remove_at(struct jobs *js, size_t i)
{
    struct job *j = js->v[i];

    js->result_bytes -= j->result_len;
    memmove(&js->v[i], &js->v[i + 1], (js->n - i - 1) * sizeof(js->v[0]));
    js->n--;
    job_free(j);
}

/* Forget finished jobs past their time, then the oldest finished ones
 * while the bounds are passed or `room` more are wanted. Under mu. */
static void prune(struct jobs *js, long long now, size_t room)
{
    size_t i;

    for (i = 0; i < js->n;)
        if (finished(js->v[i]) && now - js->v[i]->finished_ms > JOBS_KEEP_MS)
            remove_at(js, i);
        else
            i++;
    for (i = 0; i < js->n && (js->n + room > JOBS_KEPT ||
                              js->result_bytes > JOBS_RESULTS_MAX);)
        if (finished(js->v[i]))
            remove_at(js, i);
        else
            i++;
}

/* Keep `body` (taken) as the job's result, within the bounds. Under mu. */
static void keep_result(struct jobs *js, struct job *j, unsigned status,
                        char *body, size_t len)
{
    if (!body || len > JOBS_RESULT_MAX) {
        json_t *p = json_pack("{s:s,s:s,s:s,s:i,s:s}", "type",
                      "https://bienphong.invalid/problems/result-too-large",
                      "title", "Kết quả quá lớn để lưu giữ", "title_en",
                      "The result is too large to keep", "status", 500,
                      "detail",
                      body ? "the job finished, but its result document is "
                             "over 1 MiB"
                           : "out of memory");
        char *txt = json_dumps(p, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(p);
        bp_free(body);
        body = NULL;
        len = 0;
        if (txt) {
            body = bp_strdup(txt);
            len = body ? strlen(body) : 0;
            free(txt);
        }
        /* The request's own status stays: the job did what it did. */
    }
    j->status = status;
    j->result = body;
    j->result_len = len;
    js->result_bytes += len;
}

/* ---- the worker ---- */

static void *worker(void *arg)
{
    struct server *s = arg;
    struct jobs *js = s->jobs;
    struct job *j;
    struct req *r;
    size_t i, len;
    char *body, line[400];

    pthread_mutex_lock(&js->mu);
    for (;;) {
        for (j = NULL, i = 0; i < js->n && !j; i++)
            if (js->v[i]->state == JOB_QUEUED)
                j = js->v[i];
        if (!j) {
            if (js->quit)
                break;
            pthread_cond_wait(&js->cv, &js->mu);
            continue;
        }
        j->state = JOB_RUNNING;
        j->started_ms = bp__now_ms();
        r = j->r;
        pthread_mutex_unlock(&js->mu);

        /* A running job is never pruned, so `j` stays ours to update. */
        r->st = js->st;
        r->job = j;
        r->route->fn(r);
        if (!r->status)
            bp__problem(r, 500, "internal", "Lỗi máy chủ", "Server error",
                        "the job gave no answer", NULL);
        r->st = NULL;
        len = r->out.len;
        body = bp_buf_take(&r->out, NULL);

        pthread_mutex_lock(&js->mu);
        keep_result(js, j, r->status, body, len);
        j->finished_ms = bp__now_ms();
        j->state = r->status < 400 ? JOB_DONE : JOB_FAILED;
        j->r = NULL;
        /* Once finished, the job may be forgotten by another thread. */
        snprintf(line, sizeof(line), "job %s %s %u %lldms %s%s", j->id,
                 j->what, r->status, j->finished_ms - j->started_ms,
                 r->who.name[0] ? r->who.name : "-",
                 j->cancel && r->status >= 400
                     ? " cancelled: the server is stopping"
                     : "");
        pthread_mutex_unlock(&js->mu);

        bp__log(s, "%s", line);
        bp__req_free(r);
        /* An import leaves its log for a quiet moment: this one. */
        bp_store_checkpoint(js->st, NULL);
        pthread_mutex_lock(&js->mu);
    }
    pthread_mutex_unlock(&js->mu);
    return NULL;
}

int bp__jobs_start(struct server *s, struct bp_error *err)
{
    struct jobs *js = bp_calloc(1, sizeof(*js));
    int rc;

    if (!js)
        return bp_error_set(err, BP_ENOMEM, "out of memory");
    pthread_mutex_init(&js->mu, NULL);
    pthread_cond_init(&js->cv, NULL);
    rc = bp_store_open(s->db, &js->st, err);
    if (rc)
        goto fail;
    s->jobs = js;
    if (pthread_create(&js->thread, NULL, worker, s)) {
        s->jobs = NULL;
        rc = bp_error_set(err, BP_EIO, "cannot start the jobs' thread");
        goto fail;
    }
    js->running = 1;
    return 0;
fail:
    bp_store_close(js->st);
    pthread_mutex_destroy(&js->mu);
    pthread_cond_destroy(&js->cv);
    bp_free(js);
    return rc;
}

void bp__jobs_stop(struct server *s)
{
    struct jobs *js = s->jobs;
    size_t i;

    if (!js)
        return;
    pthread_mutex_lock(&js->mu);
    js->quit = 1;
    for (i = 0; i < js->n; i++) {
        struct job *j = js->v[i];
        if (j->state == JOB_RUNNING)
            j->cancel = 1;
        if (j->state != JOB_QUEUED)
            continue;
        /* Not begun: nothing was written. */
        bp__req_free(j->r);
        j->r = NULL;
        j->state = JOB_CANCELLED;
        j->finished_ms = bp__now_ms();
        bp__log(s, "job %s %s cancelled: the server is stopping", j->id,
                j->what);
    }
    pthread_cond_broadcast(&js->cv);
    pthread_mutex_unlock(&js->mu);
    if (js->running)
        pthread_join(js->thread, NULL);
    for (i = 0; i < js->n; i++)
        job_free(js->v[i]);
    bp_store_close(js->st);
    pthread_mutex_destroy(&js->mu);
    pthread_cond_destroy(&js->cv);
    bp_free(js);
    s->jobs = NULL;
}

/* ---- asking for a job ---- */

/* ?async=1 (or ?async): a query argument, not "0". */
static int async_query(const char *q)
{
    while (q && *q) {
        size_t n = strcspn(q, "&");
        if (n >= 5 && !strncmp(q, "async", 5) &&
            (n == 5 || (q[5] == '=' && !(n == 7 && q[6] == '0'))))
            return 1;
        q += n;
        if (*q)
            q++;
    }
    return 0;
}

/* "Prefer: respond-async" (RFC 7240), among other preferences. */
static int prefer_async(const char *h)
{
    while (h && *h) {
        h += strspn(h, " \t,");
        if (!strncasecmp(h, "respond-async", 13) &&
            strchr(" \t,;", h[13] ? h[13] : ' '))
            return 1;
        h += strcspn(h, ",");
    }
    return 0;
}

int bp__job_wanted(struct req *r)
{
    handler_fn fn = r->route->fn;

    if (!r->srv->jobs || !r->conn)
        return 0;
    if (fn != h_patrol_import && fn != h_import_csv &&
        fn != h_camp_import_csv)
        return 0;
    return async_query(r->query) || prefer_async(bp__header(r, "Prefer"));
}

static json_t *instant(long long ms)
{
    char t[40];

    return ms ? json_string(bp_time_format(ms, t)) : json_null();
}

/* The job as JSON, with its result when `with_result`; under mu. */
static json_t *job_json(const struct job *j, int with_result)
{
    json_t *o, *prog = json_object();
    int u;

    for (u = 0; u < JOB_NUNITS; u++)
        if (j->done[u] >= 0 || j->total[u] >= 0)
            json_object_set_new(
                prog, unit_name[u],
                json_pack("{s:I,s:o}", "done",
                          (json_int_t)(j->done[u] > 0 ? j->done[u] : 0),
                          "total",
                          j->total[u] >= 0 ? json_integer(j->total[u])
                                           : json_null()));
    o = json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "id", j->id, "state",
                  state_name[j->state], "request", j->what, "user",
                  j->owner_name, "created_at", instant(j->created_ms),
                  "started_at", instant(j->started_ms), "finished_at",
                  instant(j->finished_ms), "progress", prog);
    if (j->state == JOB_CANCELLED)
        json_object_set_new(o, "detail",
                            json_string("the server stopped before the job "
                                        "began; nothing was written (máy "
                                        "chủ dừng trước khi chạy, không ghi "
                                        "gì)"));
    if (finished(j) && j->state != JOB_CANCELLED) {
        json_object_set_new(o, "status", json_integer(j->status));
        if (with_result) {
            json_t *res = j->result ? json_loadb(j->result, j->result_len,
                                                 0, NULL)
                                    : NULL;
            json_object_set_new(o, "result", res ? res : json_null());
        }
    }
    return o;
}

static void busy(struct req *r, unsigned status, const char *detail)
{
    r->retry_after = 5;
    if (status == 429)
        bp__problem(r, 429, "too-many-jobs", "Quá nhiều việc đang chờ",
                    "Too many jobs", detail, NULL);
    else
        bp__problem(r, 503, "jobs-busy", "Máy chủ đang bận",
                    "Server busy", detail, NULL);
}

void bp__job_submit(struct req *r)
{
    struct jobs *js = r->srv->jobs;
    struct job *j = NULL;
    struct bp_buf loc = BP_BUF_INIT;
    size_t i, pending = 0, mine = 0;
    json_t *doc = NULL;
    int u;

    pthread_mutex_lock(&js->mu);
    if (js->quit || r->srv->stopping) {
        pthread_mutex_unlock(&js->mu);
        busy(r, 503, "the server is stopping");
        return;
    }
    prune(js, bp__now_ms(), 1);
    for (i = 0; i < js->n; i++) {
        if (finished(js->v[i]))
            continue;
        pending++;
        if (!strcmp(js->v[i]->owner, r->who.user_id))
            mine++;
    }
    if (pending >= JOBS_PENDING || js->n >= JOBS_KEPT) {
        pthread_mutex_unlock(&js->mu);
        busy(r, 503, "too many jobs are waiting; try again later");
        return;
    }
    if (mine >= JOBS_PER_USER) {
        pthread_mutex_unlock(&js->mu);
        busy(r, 429, "you have 4 unfinished jobs; wait for one to end");
        return;
    }
    j = bp_calloc(1, sizeof(*j));
    if (!j || bp_uuid_make(j->id) || !(j->r = bp__req_detach(r))) {
        pthread_mutex_unlock(&js->mu);
        job_free(j);
        bp__problem(r, 500, "internal", "Lỗi máy chủ", "Server error",
                    "cannot start the job", NULL);
        return;
    }
    memcpy(j->owner, r->who.user_id, sizeof(bp_uuid));
    snprintf(j->owner_name, sizeof(j->owner_name), "%s", r->who.name);
    snprintf(j->what, sizeof(j->what), "%s %.180s", j->r->method, r->path);
    j->created_ms = bp__now_ms();
    for (u = 0; u < JOB_NUNITS; u++)
        j->done[u] = j->total[u] = -1;
    js->v[js->n++] = j;
    doc = job_json(j, 0);
    pthread_cond_signal(&js->cv);
    pthread_mutex_unlock(&js->mu);

    bp_buf_addf(&loc, "/api/v1/jobs/%s", j->id);
    bp_free(r->location);
    r->location = bp_buf_take(&loc, NULL);
    bp__reply_json(r, 202, doc);
}

void bp__job_progress(struct req *r, enum job_unit unit, long long done,
                      long long total)
{
    struct jobs *js = r->srv->jobs;

    if (!r->job || !js || unit >= JOB_NUNITS)
        return;
    pthread_mutex_lock(&js->mu);
    r->job->done[unit] = done;
    if (total >= 0)
        r->job->total[unit] = total;
    /* A total counted ahead (CSV line ends) never shows less than done. */
    if (r->job->total[unit] >= 0 && done > r->job->total[unit])
        r->job->total[unit] = done;
    pthread_mutex_unlock(&js->mu);
}

int bp__job_cancelled(struct req *r)
{
    struct jobs *js = r->srv->jobs;
    int c;

    if (!r->job || !js)
        return 0;
    pthread_mutex_lock(&js->mu);
    c = r->job->cancel;
    pthread_mutex_unlock(&js->mu);
    return c;
}

long long bp__job_csv_rows(const char *data, size_t len)
{
    long long rows = 0;
    size_t i;
    int quoted = 0, filled = 0;

    for (i = 0; i < len; i++) {
        char c = data[i];
        if (c == '"')
            quoted = !quoted;
        if (!quoted && (c == '\n' || c == '\r')) {
            if (c == '\r' && i + 1 < len && data[i + 1] == '\n')
                i++;
            rows += filled;
            filled = 0;
        } else if (c != ' ' && c != '\t') {
            filled = 1;
        }
    }
    rows += filled;
    return rows > 0 ? rows - 1 : 0;
}

/* ---- handlers ---- */

static int may_see(const struct req *r, const struct job *j)
{
    return r->who.role == BP_ROLE_ADMIN || !strcmp(j->owner, r->who.user_id);
}

void h_job_get(struct req *r)
{
    struct jobs *js = r->srv->jobs;
    json_t *doc = NULL;
    size_t i;
    int open = 0;

    if (js) {
        pthread_mutex_lock(&js->mu);
        prune(js, bp__now_ms(), 0);
        for (i = 0; i < js->n && !doc; i++)
            if (!strcmp(js->v[i]->id, r->params[0]) &&
                may_see(r, js->v[i])) {
                doc = job_json(js->v[i], 1);
                open = !finished(js->v[i]);
            }
        pthread_mutex_unlock(&js->mu);
    }
    /* Someone else's job is as if it did not exist. */
    if (!doc) {
        bp__problem(r, 404, "not-found", "Không tìm thấy", "Not found",
                    "no such job (finished jobs are kept 30 minutes)", NULL);
        return;
    }
    if (open)
        r->retry_after = 1;
    bp__reply_json(r, 200, doc);
}

void h_job_list(struct req *r)
{
    struct jobs *js = r->srv->jobs;
    const char *all = bp__query(r, "all");
    int everyone = all && strcmp(all, "0") && r->who.role == BP_ROLE_ADMIN;
    json_t *items = json_array();
    size_t i;

    if (js) {
        pthread_mutex_lock(&js->mu);
        prune(js, bp__now_ms(), 0);
        /* Newest first. */
        for (i = js->n; i-- > 0;)
            if (everyone ? may_see(r, js->v[i])
                         : !strcmp(js->v[i]->owner, r->who.user_id))
                json_array_append_new(items, job_json(js->v[i], 0));
        pthread_mutex_unlock(&js->mu);
    }
    bp__reply_json(r, 200,
                   json_pack("{s:o,s:I}", "items", items, "total",
                             (json_int_t)json_array_size(items)));
}
