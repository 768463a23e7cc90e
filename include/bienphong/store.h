/* SPDX-License-Identifier: MIT */
/*
 * The store: where bienphong keeps its records. One interface,
 * `struct bp_store`, with an SQLite backend (embedded, the default) and
 * room for a PostgreSQL one; callers never see SQL or a backend type.
 *
 *     struct bp_store *st = NULL;
 *     if (bp_store_open("bienphong.sqlite", &st, &err)) ...
 *     bp_store_begin(st, &err);
 *     bp_store_border_save(st, &rec, &err);
 *     bp_store_commit(st, &err);      // or bp_store_rollback(st)
 *     bp_store_close(st);
 *
 * Opening creates the database when missing and brings its schema up to
 * date with versioned migrations, each in its own transaction. A store
 * handle is used by one thread at a time.
 */
#ifndef BIENPHONG_STORE_H
#define BIENPHONG_STORE_H

#include <stddef.h>

#include "bienphong/error.h"
#include "bienphong/geo.h"
#include "bienphong/registry.h"

struct bp_store;

/**
 * Open (creating when missing) the store at `location`: a file path for
 * SQLite. Returns 0 and sets `*out` (caller owns; bp_store_close()), or
 * BP_ESTORE (message from the database), BP_ESCHEMA when the file was
 * written by a newer bienphong, BP_ENOMEM. `*out` untouched on failure.
 */
int bp_store_open(const char *location, struct bp_store **out,
                  struct bp_error *err);

/** Close; bp_store_close(NULL) is a no-op. Rolls back an open transaction. */
void bp_store_close(struct bp_store *st);

/** The schema version the store is at (the latest migration applied). */
int bp_store_schema_version(struct bp_store *st);

/** The schema version this program writes. */
int bp_store_schema_latest(void);

/**
 * Transactions. Writes outside one are each their own transaction.
 * begin: 0 or BP_ESTORE (e.g. one is already open). commit: 0 or
 * BP_ESTORE (the transaction is rolled back). rollback never fails.
 */
int bp_store_begin(struct bp_store *st, struct bp_error *err);
int bp_store_commit(struct bp_store *st, struct bp_error *err);
void bp_store_rollback(struct bp_store *st);

/**
 * The border line as stored: the vertices in measure order (after
 * dropping duplicates and orienting) and what it was built with.
 */
struct bp_border_record {
    char *name;              /* owned; may be NULL */
    char *source;            /* owned; file it came from; may be NULL */
    struct bp_lonlat *pts;   /* owned */
    size_t n;
    enum bp_border_home home;
    double official_m;       /* 0 when none */
    struct bp_calib *calib;  /* owned; may be NULL */
    size_t ncalib;
    long long imported_at;   /* Unix seconds, UTC */
};

/** Free the record's contents; the record is zeroed. */
void bp_border_record_release(struct bp_border_record *rec);

/**
 * Replace the stored border with `rec` (borrowed). 0, BP_EINVAL, BP_ESTORE,
 * BP_ENOMEM. Runs inside the caller's transaction when one is open.
 */
int bp_store_border_save(struct bp_store *st,
                         const struct bp_border_record *rec,
                         struct bp_error *err);

/**
 * Load the stored border into `rec` (caller's storage; release with
 * bp_border_record_release()). BP_ENOTFOUND when no border was imported.
 */
int bp_store_border_load(struct bp_store *st, struct bp_border_record *rec,
                         struct bp_error *err);

/**
 * Load the stored border and build it: `*out` (caller owns;
 * bp_border_free()). BP_ENOTFOUND when none; errors of bp_border_new().
 */
int bp_store_border_get(struct bp_store *st, struct bp_border **out,
                        struct bp_error *err);

/**
 * The calibrated length in metres of the stored border into `*length_m`,
 * from the border the store keeps built for its own checks (built once,
 * again only when the border changes), so asking costs no second build.
 * 0; BP_ENOTFOUND when no border was imported; errors of bp_border_new().
 * `*length_m` is untouched on failure.
 */
int bp_store_border_length(struct bp_store *st, double *length_m,
                           struct bp_error *err);

/*
 * Registry records. For each kind R in station, commune, village, marker,
 * custodian, pledge:
 *
 *   bp_store_R_put(st, rec, err)   insert, or update the record with the
 *       same id. An empty `rec->id` gets a new UUID (written back into
 *       rec->id). References (station_id, commune_id, ...) must exist:
 *       BP_ENOTFOUND naming the field otherwise. Uniqueness (station and
 *       commune codes, marker keys) gives BP_EEXIST naming the field.
 *       Every put is recorded with its time; nothing is ever deleted.
 *   bp_store_R_get(st, ref, rec, err)   fill caller's `rec` (release with
 *       bp_R_release()) by UUID, or by code (stations, communes), marker
 *       number or key (markers). BP_ENOTFOUND.
 *   bp_store_R_list(st, &v, &n, err)   every record, ended ones included,
 *       in a stable order (communes and markers by measure, others by
 *       name); free with bp_store_R_list_free(v, n).
 *   bp_store_R_end(st, id, day, err)   set ended_on = day. BP_ENOTFOUND;
 *       BP_ERANGE when day is before the record's start (pledges).
 *
 * Writes run inside the caller's transaction when one is open, else each
 * in its own.
 */
#define BP_STORE_RECORD_API(R)                                               \
    int bp_store_##R##_put(struct bp_store *st, struct bp_##R *rec,          \
                           struct bp_error *err);                            \
    int bp_store_##R##_get(struct bp_store *st, const char *ref,             \
                           struct bp_##R *rec, struct bp_error *err);        \
    int bp_store_##R##_list(struct bp_store *st, struct bp_##R **v,          \
                            size_t *n, struct bp_error *err);                \
    void bp_store_##R##_list_free(struct bp_##R *v, size_t n);               \
    int bp_store_##R##_end(struct bp_store *st, const char *id, int32_t day, \
                           struct bp_error *err);

BP_STORE_RECORD_API(station)
BP_STORE_RECORD_API(commune)
BP_STORE_RECORD_API(village)
BP_STORE_RECORD_API(marker)
BP_STORE_RECORD_API(custodian)
BP_STORE_RECORD_API(pledge)

/** Records per page when a query asks for 0, and the most it may ask. */
#define BP_LIST_LIMIT_DEFAULT 50
#define BP_LIST_LIMIT_MAX 1000

/**
 * One page of a registry list, filtered, sorted and paged by the database
 * (bp_store_R_page). Start from BP_LIST_QUERY_INIT and set what applies;
 * every filter given narrows the list. Strings are borrowed for the call.
 *
 * - `sort`: a field of the kind as the API names it ("name", "from",
 *   "signed_on", ...), "-" first for descending; NULL for the list's own
 *   order (that of bp_store_R_list()). Ties go by insertion order.
 * - `cursor`: a page's `next_cursor`, for the page after it; NULL for the
 *   first page. A cursor holds the sort key and row of the last record
 *   given (keyset paging): records added or changed meanwhile neither
 *   repeat nor shift the pages. It belongs to one list and one order.
 * - `limit`: records per page, 1..BP_LIST_LIMIT_MAX; 0 for the default.
 * - `q`: records whose searchable texts contain it, ignoring case and
 *   diacritics (codes and names; districts; marker numbers; pledge
 *   document numbers; custodian names, and phone and citizen ID when
 *   `q_personal` is set).
 * - `as_of`: records active on that day (started, not yet ended), or
 *   BP_DATE_NONE for all, ended ones included.
 * - `scoped`: only records of the communes `communes[0..ncommunes)` (a
 *   role's scope; none when ncommunes is 0). `commune`: only that
 *   commune's records (a UUID). A custodian's commune is its own, else its
 *   village's; a pledge's is its custodian's; a village's its commune;
 *   stations and markers belong to none.
 * - `station` (UUID): communes of that station, villages and custodians
 *   in them, pledges it witnessed, the station itself.
 * - `custodian` (UUID): pledges of that custodian. `village` (UUID):
 *   custodians of that village. `kind`: markers "main", "sub", "twin";
 *   custodians "household", "collective". Each is ignored by the kinds it
 *   does not apply to.
 * - `count`: also count every record the filters select, all pages.
 */
struct bp_list_query {
    const char *sort;
    const char *cursor;
    size_t limit;
    const char *q;
    int q_personal;
    int32_t as_of;
    int scoped;
    const bp_uuid *communes;
    size_t ncommunes;
    const char *commune;
    const char *station;
    const char *custodian;
    const char *village;
    const char *kind;
    int count;
};

#define BP_LIST_QUERY_INIT {.as_of = BP_DATE_NONE}

/** What came with a page besides its records. */
struct bp_list_page {
    size_t total;      /* with query.count: records selected, all pages */
    char *next_cursor; /* owned; NULL on the last page */
};

/** Free `page->next_cursor`; the page is zeroed. NULL is a no-op. */
void bp_list_page_release(struct bp_list_page *page);

/*
 * bp_store_R_page(st, query, &v, &n, &page, err), for each kind R of the
 * registry: the page of records `query` asks for into `v` (caller owns;
 * free with bp_store_R_list_free(v, n)) and `n`, and into `page` (caller's
 * storage; bp_list_page_release()) the total and the cursor of the next
 * page. Returns 0; BP_EINVAL naming the field ("sort": not a field of the
 * kind; "cursor": not a cursor of this list and order; "limit": out of
 * range); BP_ENOMEM; BP_ESTORE. Out-parameters are untouched on failure.
 * Filters naming records that do not exist select nothing. Reads only;
 * the same thread rules as every store call.
 */
#define BP_STORE_PAGE_API(R)                                                 \
    int bp_store_##R##_page(struct bp_store *st,                             \
                            const struct bp_list_query *query,               \
                            struct bp_##R **v, size_t *n,                    \
                            struct bp_list_page *page, struct bp_error *err);

BP_STORE_PAGE_API(station)
BP_STORE_PAGE_API(commune)
BP_STORE_PAGE_API(village)
BP_STORE_PAGE_API(marker)
BP_STORE_PAGE_API(custodian)
BP_STORE_PAGE_API(pledge)

/**
 * Put `n` markers (bp_store_marker_put() each) in one transaction, the
 * caller's when one is open: all or none. On failure `err->row` is the
 * 1-based index of the marker that failed; markers before it may have had
 * their id, key and measures filled, but nothing is written. The stored
 * border is built once for all of them.
 */
int bp_store_marker_put_many(struct bp_store *st, struct bp_marker *v,
                             size_t n, struct bp_error *err);

/**
 * Put `n` custodians, or `n` pledges, for imports: the same checks and
 * messages as bp_store_custodian_put() / bp_store_pledge_put() one by one,
 * all or none even inside the caller's transaction (a savepoint), else in
 * one transaction of their own. References and marker anchors are looked
 * up once per batch; new ids are time-ordered UUIDs (version 7). On
 * success every record's id, and each pledge's anchor measures, are
 * filled in `v`. On failure nothing is written, `err->row` is the 1-based
 * index of the record that failed and the ids given out are "" again.
 */
/**
 * Open a transaction for an import that puts about `n` custodians and
 * pledges with the batch puts (bp_store_custodian_put_many,
 * bp_store_pledge_put_many), committed or rolled back like any other.
 * When `n` is large (4,096 or more), only the batch puts may write in it
 * (any other write fails with BP_ESTORE), and the store may trade
 * row-by-row upkeep for one pass at the commit, with the same result:
 * - secondary indexes of custodian and pledge set aside (when `n` is
 *   also large next to what the tables hold) and built again, in one
 *   sorted pass each, just before the commit;
 * - references not checked a second time by the database, as the batch
 *   puts look every one of them up themselves;
 * - the commit returns once the transaction is durable, leaving the
 *   copying of a write-ahead log into the database file (SQLite's
 *   checkpoint) to bp_store_checkpoint(), the next ordinary commit or
 *   the close.
 * A rollback leaves everything as it was. 0; BP_ESTORE when a
 * transaction is already open or the database fails.
 */
int bp_store_begin_bulk(struct bp_store *st, size_t n, struct bp_error *err);

/**
 * Copy what committed transactions left in a write-ahead log into the
 * database file, without waiting for readers or writers (whatever they
 * still use stays for later); a no-op for backends without such a log.
 * For a moment of idleness, as after a bulk import. 0 or BP_ESTORE.
 */
int bp_store_checkpoint(struct bp_store *st, struct bp_error *err);

int bp_store_custodian_put_many(struct bp_store *st, struct bp_custodian *v,
                                size_t n, struct bp_error *err);
int bp_store_pledge_put_many(struct bp_store *st, struct bp_pledge *v,
                             size_t n, struct bp_error *err);

/**
 * Custodians whose name (or phone, or citizen ID) contains `query`,
 * ignoring case and diacritics ("dao vien" finds "Đào Viên"), at most
 * `limit` of them. Same ownership as bp_store_custodian_list().
 */
int bp_store_custodian_search(struct bp_store *st, const char *query,
                              size_t limit, struct bp_custodian **v,
                              size_t *n, struct bp_error *err);

/**
 * The inputs of the coverage computations, read from the store in one go:
 * every pledge (ended ones included; the computation filters by date),
 * custodian, commune and station as compact views, and the measures of
 * the markers. Fill `in` and keep the arrays in `hold` until done;
 * release with bp_store_cov_release(). The order of communes and stations
 * is that of bp_store_commune_list() and bp_store_station_list(), so
 * indices match those lists.
 */
struct bp_cov_hold {
    void *mem[8];
};
int bp_store_cov_load(struct bp_store *st, struct bp_cov_input *in,
                      struct bp_cov_hold *hold, struct bp_error *err);
void bp_store_cov_release(struct bp_cov_hold *hold);

/**
 * Re-survey: after a new border line or new marker positions, recompute
 * every derived measure from its anchors, inside the caller's transaction:
 * project the (not ended) markers onto the stored line for their geodesic
 * measures and offsets; make the markers with an official km the stored
 * border's calibration points and rebuild it; set every marker's
 * calibrated measure; then recompute commune and pledge stretches from
 * their marker anchors. Calls `changed` (may be
 * NULL) for each pledge whose length changed by more than `threshold_m`,
 * with its old and new stretch. Nothing is deleted; pledges anchored by km
 * keep their measures. 0, BP_ENOMEM, BP_ESTORE, BP_ERANGE (a marker-anchored
 * stretch that became empty or left the line: names the pledge).
 */
typedef void (*bp_resurvey_fn)(void *ctx, const struct bp_pledge *p,
                               double old_from_m, double old_to_m);
int bp_store_resurvey(struct bp_store *st, double threshold_m,
                      bp_resurvey_fn changed, void *ctx, struct bp_error *err);

#include "bienphong/store_auth.h"
#include "bienphong/store_patrol.h"
#include "bienphong/store_campaign.h"

#endif
