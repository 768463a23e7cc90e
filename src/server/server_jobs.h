/* SPDX-License-Identifier: MIT */
/*
 * Jobs: long uploads (track and CSV imports) run on a worker thread of
 * their own, with its own store connection, when the client asks for it
 * (?async=1 or "Prefer: respond-async"). The request is answered 202 with
 * the job's address; GET /api/v1/jobs/{id} tells its state and progress
 * and, at the end, the document the plain request would have answered.
 */
#ifndef BP_SERVER_JOBS_H
#define BP_SERVER_JOBS_H

#include "server/server_int.h"

/* What progress counts. */
enum job_unit { JOB_FILES = 0, JOB_ROWS, JOB_BYTES, JOB_NUNITS };

/*
 * Make the job queue and start its worker with a store connection of its
 * own on `s->db`. 0, or a store error / BP_ENOMEM / BP_EIO in `err`
 * (nothing is left running then).
 */
int bp__jobs_start(struct server *s, struct bp_error *err);

/*
 * Stop the worker: jobs still queued are cancelled (they have written
 * nothing); the running one is asked to stop (track uploads stop between
 * files and roll back; a CSV import runs to its end, committed or rolled
 * back as one transaction) and waited for. Then free everything.
 * No-op when the queue was never made.
 */
void bp__jobs_stop(struct server *s);

/* 1 when `r` asks for asynchronous processing and its route can run as a
 * job. */
int bp__job_wanted(struct req *r);

/*
 * Queue `r` as a job owned by its principal: the body and path
 * parameters move into the job. Replies 202 with Location, or 429 (the
 * user has too many unfinished jobs) / 503 (the queue is full, or the
 * server is stopping).
 */
void bp__job_submit(struct req *r);

/* Progress of the job running `r`: `done` of `total` (total < 0: not
 * known). No-op for a plain request. Thread-safe. */
void bp__job_progress(struct req *r, enum job_unit unit, long long done,
                      long long total);

/* The data rows of a CSV upload, for progress: records counted by line
 * ends outside quotes, less the header and empty lines. */
long long bp__job_csv_rows(const char *data, size_t len);

/* 1 when the job running `r` was asked to stop (the server is stopping);
 * always 0 for a plain request. */
int bp__job_cancelled(struct req *r);

/* ---- server.c, for the jobs ---- */
/* A copy of `r` that outlives its connection: method, path, query
 * arguments, Content-Type, principal; the body and the {id} parameters
 * move from `r`. NULL when out of memory (then `r` is unchanged). */
struct req *bp__req_detach(struct req *r);
void bp__req_free(struct req *r);

/* ---- handlers ---- */
void h_job_get(struct req *r);
void h_job_list(struct req *r);

#endif
