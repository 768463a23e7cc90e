/* SPDX-License-Identifier: MIT */
/*
 * The HTTP server: the JSON API under /api/v1 (libmicrohttpd with its own
 * thread pool on epoll, jansson), login sessions and API tokens, roles
 * enforced by one policy, the audit log, and the static files of the web
 * UI. Also the password and token primitives the command line shares
 * with it (libsodium: argon2id hashes, random secrets).
 *
 *     struct bp_server_opts o = {0};
 *     o.db = "demo.sqlite";
 *     o.listen = "127.0.0.1:8080";
 *     if (bp_server_start(&o, &srv, &err) == 0) {
 *         ... wait for SIGTERM ...
 *         bp_server_stop(srv, 5000);
 *     }
 *
 * The library never prints: the access log goes to `opts.log`.
 */
#ifndef BIENPHONG_SERVER_H
#define BIENPHONG_SERVER_H

#include <stddef.h>

#include "bienphong/error.h"
#include "bienphong/store.h"

/** How to run the server; zero means the default named. */
struct bp_server_opts {
    const char *db;         /* store location (required) */
    const char *listen;     /* "HOST:PORT" (IPv4) or "[IPv6]:PORT";
                               "[::]:PORT" takes IPv4 clients too;
                               default 127.0.0.1:8080; port 0 picks a
                               free one */
    const char *static_dir; /* web UI files; NULL or missing: a built-in
                               page at / says the UI is not built */
    unsigned threads;       /* worker threads; default 4 */
    long session_ttl_s;     /* login session lifetime; default 8 h */
    int login_limit;        /* failed logins per address per window
                               before 429; default 10 */
    long login_window_s;    /* default 300 */
    size_t max_body;        /* JSON request bodies; default 1 MiB */
    size_t max_upload;      /* CSV uploads; default 32 MiB */
    int secure_cookie;      /* add Secure to the cookie (behind TLS) */
    long cache_ttl_ms;      /* figures cached at most this long (writes
                               through the server invalidate at once;
                               changes by other programs show after it);
                               default 2000; < 0 disables the cache */
    /* One line per request (no secrets), and notices; may be NULL. Called
       from the worker threads, one call at a time. */
    void (*log)(void *ctx, const char *line);
    void *log_ctx;
};

struct bp_server;

/**
 * Open the store (one connection per worker, WAL, busy timeout), bind and
 * start serving. Returns 0 and sets `*out` (caller owns; bp_server_stop()),
 * BP_EINVAL for a bad `listen` (field "listen") or options, BP_EIO when
 * the address cannot be bound (message names it), or the store's errors.
 * Also starts the thread that runs upload jobs, with a store connection
 * of its own. `opts` is copied.
 */
int bp_server_start(const struct bp_server_opts *opts, struct bp_server **out,
                    struct bp_error *err);

/** The port the server listens on (useful after port 0). */
unsigned bp_server_port(const struct bp_server *srv);

/**
 * Stop accepting connections, let requests in flight finish (waiting at
 * most `grace_ms`), cancel the upload jobs still queued and wait for the
 * running one (an import is one transaction: it is committed or rolled
 * back whole; track uploads stop between files and roll back), then stop
 * the workers, close every store connection and free the server.
 * bp_server_stop(NULL, ...) is a no-op.
 */
void bp_server_stop(struct bp_server *srv, unsigned grace_ms);

/* ---- passwords and secrets (libsodium) ---- */

/** Room for a password hash (crypto_pwhash_STRBYTES). */
#define BP_PWHASH_LEN 128

/**
 * Hash `password` with argon2id (crypto_pwhash_str, interactive limits)
 * into `out` (BP_PWHASH_LEN bytes, NUL-terminated). BP_EINVAL for an empty
 * password or one longer than 1024 bytes (field "password"), BP_ENOMEM
 * when the hash could not be computed. Thread-safe.
 */
int bp_password_hash(const char *password, char out[BP_PWHASH_LEN],
                     struct bp_error *err);

/** 1 when `password` matches `hash`, else 0. Thread-safe. */
int bp_password_verify(const char *hash, const char *password);

/**
 * A new random password of 20 characters from an alphabet without look-
 * alikes, into `out` (at least 21 bytes). 0 or BP_EIO.
 */
int bp_password_generate(char *out, size_t size);

/**
 * A new random secret (64 lower-case hex digits, 256 bits) and the hash
 * under which the store keeps it. `secret` and `hash` have 65 bytes.
 */
int bp_secret_new(char secret[65], char hash[65]);

/** The stored hash of a secret (BLAKE2b-256, hex). */
void bp_secret_hash(const char *secret, char hash[65]);

/**
 * Create a user: hash `password`, resolve `station` and `commune` (id or
 * code; NULL when not needed) and store it. Fills `*out` (may be NULL;
 * release with bp_user_release()). Errors of bp_password_hash() and
 * bp_store_user_put(); BP_ENOTFOUND naming "station"/"commune".
 */
int bp_user_create(struct bp_store *st, const char *name, enum bp_role role,
                   const char *station, const char *commune,
                   const char *password, struct bp_user *out,
                   struct bp_error *err);

#endif
