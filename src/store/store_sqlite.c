/* SPDX-License-Identifier: MIT */
/*
 * The SQLite backend of struct bp_store: WAL mode, foreign keys on,
 * versioned migrations recorded in PRAGMA user_version, prepared
 * statements only. The registry's records are in store_sqlite_registry.c.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "bienphong/alloc.h"
#include "store/store_sqlite_int.h"
#include "store/store_sqlite_auth_int.h"
#include "store/store_patrol_int.h"
#include "store/store_campaign_int.h"

/*
 * Migrations, in order; migration i brings the schema to version i + 1.
 * Never edit one that has shipped: add a new one.
 */
static const char *const migrations[] = {
    /* 1: the border line and its calibration. */
    "CREATE TABLE border ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  name TEXT,"
    "  source TEXT,"
    "  home TEXT NOT NULL CHECK (home IN ('right', 'left')),"
    "  official_m REAL NOT NULL DEFAULT 0,"
    "  vertex_count INTEGER NOT NULL,"
    "  vertices BLOB NOT NULL," /* little-endian float64 lon,lat pairs */
    "  imported_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE border_calibration ("
    "  seq INTEGER PRIMARY KEY,"
    "  lon REAL NOT NULL, lat REAL NOT NULL,"
    "  geodesic_m REAL NOT NULL,"
    "  measure_m REAL NOT NULL"
    ");",
    /*
     * 2: the registry. Records have an INTEGER rowid `rid` for joins and a
     * UUID `id` for identity; dates are local day numbers (INTEGER, NULL
     * for none); times are Unix seconds UTC; nothing is ever deleted.
     */
    "CREATE TABLE station ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  code TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  ended_on INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX station_name ON station (name, code);"
    "CREATE TABLE commune ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  code TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  district TEXT,"
    "  station INTEGER REFERENCES station (rid),"
    "  from_key TEXT, from_offset_m REAL NOT NULL DEFAULT 0,"
    "  from_m REAL NOT NULL DEFAULT 0,"
    "  to_key TEXT, to_offset_m REAL NOT NULL DEFAULT 0,"
    "  to_m REAL NOT NULL DEFAULT 0,"
    "  ended_on INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  CHECK (to_m >= from_m)"
    ");"
    "CREATE INDEX commune_measure ON commune (from_m, to_m, code);"
    "CREATE TABLE village ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  commune INTEGER NOT NULL REFERENCES commune (rid),"
    "  ended_on INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX village_name ON village (name);"
    "CREATE TABLE marker ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  number TEXT NOT NULL,"
    "  key TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('main', 'sub', 'twin')),"
    "  lon REAL NOT NULL, lat REAL NOT NULL,"
    "  measure_m REAL NOT NULL,"
    "  offset_m REAL NOT NULL,"
    "  official_m REAL,"
    "  ended_on INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE UNIQUE INDEX marker_key_live ON marker (key)"
    "  WHERE ended_on IS NULL;"
    "CREATE INDEX marker_key ON marker (key);"
    "CREATE INDEX marker_measure ON marker (measure_m);"
    "CREATE TABLE custodian ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('household', 'collective')),"
    "  name TEXT NOT NULL,"
    "  name_fold TEXT NOT NULL,"
    "  collective_kind TEXT CHECK (collective_kind IN ('youth_union',"
    "    'self_managed', 'militia', 'school', 'women_union', 'unit',"
    "    'other')),"
    "  members INTEGER NOT NULL DEFAULT 0 CHECK (members >= 0),"
    "  village INTEGER REFERENCES village (rid),"
    "  commune INTEGER REFERENCES commune (rid),"
    "  phone TEXT,"
    "  citizen_id TEXT,"
    "  contact TEXT,"
    "  ended_on INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE pledge ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  custodian INTEGER NOT NULL REFERENCES custodian (rid),"
    "  from_key TEXT, from_offset_m REAL NOT NULL DEFAULT 0,"
    "  from_m REAL NOT NULL,"
    "  to_key TEXT, to_offset_m REAL NOT NULL DEFAULT 0,"
    "  to_m REAL NOT NULL,"
    "  signed_on INTEGER NOT NULL,"
    "  ended_on INTEGER,"
    "  station INTEGER REFERENCES station (rid),"
    "  doc_no TEXT,"
    "  note TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  CHECK (to_m > from_m),"
    "  CHECK (ended_on IS NULL OR ended_on >= signed_on)"
    ");"
    "CREATE INDEX pledge_custodian ON pledge (custodian);",
    /*
     * Users, their sessions and API tokens (secrets kept only as hashes),
     * and the audit log, which the triggers keep append-only.
     */
    "CREATE TABLE app_user ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL UNIQUE,"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'station', 'commune',"
    "    'viewer')),"
    "  station_id TEXT,"
    "  commune_id TEXT,"
    "  pw_hash TEXT NOT NULL,"
    "  disabled INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE auth_token ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('session', 'api')),"
    "  hash TEXT NOT NULL UNIQUE,"
    "  user_id TEXT NOT NULL REFERENCES app_user (id),"
    "  label TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL DEFAULT 0,"
    "  ended_at INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX auth_token_user ON auth_token (user_id, kind);"
    "CREATE TABLE audit ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  at_ms INTEGER NOT NULL,"
    "  user_id TEXT,"
    "  user_name TEXT,"
    "  action TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  record_id TEXT,"
    "  before TEXT,"
    "  after TEXT"
    ");"
    "CREATE INDEX audit_record ON audit (kind, record_id);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
    "  SELECT RAISE(ABORT, 'the audit log is append-only');"
    "END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
    "  SELECT RAISE(ABORT, 'the audit log is append-only');"
    "END;",
    /*
     * Patrols, their participants and GPS tracks (fixes and walked spans
     * as little-endian blobs), marker inspections and visits, incidents
     * with their history. Times are Unix seconds or milliseconds UTC.
     */
    "CREATE TABLE patrol ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  day INTEGER NOT NULL,"
    "  station INTEGER REFERENCES station (rid),"
    "  kind TEXT NOT NULL CHECK (kind IN ('joint', 'station', 'bilateral')),"
    "  leader TEXT, officers TEXT, note TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX patrol_day ON patrol (day);"
    "CREATE TABLE patrol_member ("
    "  patrol INTEGER NOT NULL REFERENCES patrol (rid),"
    "  custodian INTEGER NOT NULL REFERENCES custodian (rid),"
    "  PRIMARY KEY (patrol, custodian)"
    ") WITHOUT ROWID;"
    "CREATE TABLE track ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  patrol INTEGER NOT NULL REFERENCES patrol (rid),"
    "  file TEXT,"
    "  content_hash INTEGER NOT NULL UNIQUE,"
    "  shape_hash INTEGER NOT NULL,"
    "  timed_hash INTEGER NOT NULL,"
    "  nfix INTEGER NOT NULL, nkept INTEGER NOT NULL,"
    "  start_ms INTEGER, end_ms INTEGER,"
    "  walked_m REAL NOT NULL, travelled_m REAL NOT NULL,"
    "  duration_s REAL NOT NULL, farthest_m REAL NOT NULL,"
    "  flags INTEGER NOT NULL DEFAULT 0,"
    "  flag_note TEXT,"
    "  approved INTEGER NOT NULL DEFAULT 0,"
    "  approved_by TEXT,"
    "  fixes BLOB NOT NULL,"
    "  segments BLOB,"
    "  spans BLOB,"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX track_patrol ON track (patrol);"
    "CREATE INDEX track_shape ON track (shape_hash);"
    "CREATE INDEX track_timed ON track (timed_hash);"
    "CREATE TABLE inspection ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  marker INTEGER NOT NULL REFERENCES marker (rid),"
    "  day INTEGER NOT NULL,"
    "  inspectors TEXT,"
    "  condition TEXT NOT NULL CHECK (condition IN ('intact', 'damaged',"
    "    'tilted', 'obscured', 'missing', 'displaced', 'visit')),"
    "  lon REAL, lat REAL, distance_m REAL,"
    "  far INTEGER NOT NULL DEFAULT 0,"
    "  photo TEXT, note TEXT,"
    "  patrol INTEGER REFERENCES patrol (rid),"
    "  track INTEGER REFERENCES track (rid),"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX inspection_marker ON inspection (marker, day);"
    "CREATE TABLE incident ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('crossing', 'smuggling',"
    "    'encroachment', 'marker_damage', 'fire', 'other')),"
    "  at_s INTEGER NOT NULL,"
    "  lon REAL NOT NULL, lat REAL NOT NULL,"
    "  marker INTEGER REFERENCES marker (rid),"
    "  offset_m REAL NOT NULL DEFAULT 0,"
    "  measure_m REAL,"
    "  reporter_custodian INTEGER REFERENCES custodian (rid),"
    "  reporter_patrol INTEGER REFERENCES patrol (rid),"
    "  severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 5),"
    "  status TEXT NOT NULL CHECK (status IN ('new', 'in_progress',"
    "    'resolved')),"
    "  description TEXT, resolution TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX incident_at ON incident (at_s);"
    "CREATE TABLE incident_event ("
    "  rid INTEGER PRIMARY KEY,"
    "  incident INTEGER NOT NULL REFERENCES incident (rid),"
    "  at_s INTEGER NOT NULL,"
    "  status TEXT NOT NULL,"
    "  note TEXT"
    ");"
    "CREATE INDEX incident_event_incident ON incident_event (incident);",
    /*
     * The campaign and the community models (issue 5). Records are keyed
     * by their UUID and refer to one another by it; money is INTEGER đồng;
     * enums are small integers (see campaign.h); dates are local day
     * numbers; anchors as in the registry.
     */
    "CREATE TABLE campaign ("
    "  id TEXT PRIMARY KEY, name TEXT NOT NULL,"
    "  starts_on INTEGER NOT NULL, ends_on INTEGER,"
    "  goal_vnd INTEGER DEFAULT 0 CHECK (goal_vnd >= 0),"
    "  goal_road_m REAL NOT NULL DEFAULT 0,"
    "  labour_day_vnd INTEGER DEFAULT 0 CHECK (labour_day_vnd >= 0),"
    "  note TEXT"
    ");"
    "CREATE TABLE donor ("
    "  id TEXT PRIMARY KEY, kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3),"
    "  name TEXT NOT NULL, anonymous INTEGER NOT NULL DEFAULT 0,"
    "  contact TEXT, note TEXT"
    ");"
    "CREATE TABLE road ("
    "  id TEXT PRIMARY KEY, campaign TEXT REFERENCES campaign (id),"
    "  name TEXT NOT NULL, commune TEXT REFERENCES commune (id),"
    "  kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 1),"
    "  from_key TEXT, from_offset_m REAL NOT NULL DEFAULT 0,"
    "  from_m REAL NOT NULL,"
    "  to_key TEXT, to_offset_m REAL NOT NULL DEFAULT 0,"
    "  to_m REAL NOT NULL,"
    "  geom TEXT, planned_m REAL NOT NULL DEFAULT 0,"
    "  budget_vnd INTEGER DEFAULT 0 CHECK (budget_vnd >= 0),"
    "  starts_on INTEGER, finished_on INTEGER, note TEXT"
    ");"
    "CREATE TABLE donation ("
    "  id TEXT PRIMARY KEY,"
    "  campaign TEXT NOT NULL REFERENCES campaign (id),"
    "  donor TEXT NOT NULL REFERENCES donor (id),"
    "  status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 1),"
    "  form INTEGER NOT NULL CHECK (form BETWEEN 0 AND 2),"
    "  amount_vnd INTEGER NOT NULL CHECK (amount_vnd >= 0),"
    "  item TEXT, quantity REAL NOT NULL DEFAULT 0, unit TEXT,"
    "  labour_days REAL NOT NULL DEFAULT 0,"
    "  on_day INTEGER NOT NULL, receipt_no TEXT,"
    "  fulfils TEXT REFERENCES donation (id),"
    "  road TEXT REFERENCES road (id), note TEXT"
    ");"
    "CREATE INDEX donation_campaign ON donation (campaign, on_day);"
    "CREATE TABLE expense ("
    "  id TEXT PRIMARY KEY,"
    "  campaign TEXT NOT NULL REFERENCES campaign (id),"
    "  doc_no TEXT NOT NULL, on_day INTEGER NOT NULL,"
    "  amount_vnd INTEGER NOT NULL CHECK (amount_vnd > 0),"
    "  road TEXT REFERENCES road (id), purpose TEXT"
    ");"
    "CREATE INDEX expense_campaign ON expense (campaign, on_day);"
    "CREATE TABLE road_progress ("
    "  id TEXT PRIMARY KEY, road TEXT NOT NULL REFERENCES road (id),"
    "  from_m REAL NOT NULL, to_m REAL NOT NULL, on_day INTEGER NOT NULL,"
    "  note TEXT, CHECK (to_m > from_m)"
    ");"
    "CREATE INDEX road_progress_road ON road_progress (road);"
    "CREATE TABLE bamboo ("
    "  id TEXT PRIMARY KEY, commune TEXT REFERENCES commune (id),"
    "  from_key TEXT, from_offset_m REAL NOT NULL DEFAULT 0,"
    "  from_m REAL NOT NULL,"
    "  to_key TEXT, to_offset_m REAL NOT NULL DEFAULT 0,"
    "  to_m REAL NOT NULL,"
    "  clumps INTEGER NOT NULL CHECK (clumps > 0),"
    "  planted_on INTEGER NOT NULL,"
    "  households INTEGER DEFAULT 0 CHECK (households >= 0),"
    "  note TEXT, CHECK (to_m > from_m)"
    ");"
    "CREATE TABLE bamboo_check ("
    "  id TEXT PRIMARY KEY, bamboo TEXT NOT NULL REFERENCES bamboo (id),"
    "  on_day INTEGER NOT NULL, alive INTEGER NOT NULL CHECK (alive >= 0),"
    "  note TEXT"
    ");"
    "CREATE TABLE light ("
    "  id TEXT PRIMARY KEY, commune TEXT REFERENCES commune (id),"
    "  road TEXT REFERENCES road (id),"
    "  measure_m REAL NOT NULL, lon REAL, lat REAL,"
    "  kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 2),"
    "  installed_on INTEGER NOT NULL, funder TEXT,"
    "  working INTEGER NOT NULL DEFAULT 1, note TEXT"
    ");"
    "CREATE TABLE light_check ("
    "  id TEXT PRIMARY KEY, light TEXT NOT NULL REFERENCES light (id),"
    "  on_day INTEGER NOT NULL, working INTEGER NOT NULL, note TEXT"
    ");"
    "CREATE TABLE march3_event ("
    "  id TEXT PRIMARY KEY,"
    "  commune TEXT NOT NULL REFERENCES commune (id),"
    "  year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),"
    "  activities INTEGER DEFAULT 0 CHECK (activities >= 0),"
    "  kinds TEXT,"
    "  participants INTEGER DEFAULT 0 CHECK (participants >= 0),"
    "  gifts INTEGER DEFAULT 0 CHECK (gifts >= 0),"
    "  gifts_vnd INTEGER DEFAULT 0 CHECK (gifts_vnd >= 0),"
    "  funds_vnd INTEGER DEFAULT 0 CHECK (funds_vnd >= 0),"
    "  note TEXT,"
    "  UNIQUE (commune, year)"
    ");"
    "CREATE TABLE award ("
    "  id TEXT PRIMARY KEY,"
    "  recipient_kind INTEGER NOT NULL CHECK (recipient_kind BETWEEN 0 AND 3),"
    "  recipient TEXT NOT NULL,"
    "  custodian TEXT REFERENCES custodian (id),"
    "  commune TEXT REFERENCES commune (id),"
    "  level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),"
    "  decision_no TEXT NOT NULL, decided_on INTEGER NOT NULL,"
    "  reason TEXT"
    ");",
    /*
     * Registry speed (issue 3): narrow covering indices that the coverage
     * load scans instead of the wide tables. pledge_cov starts with the
     * custodian, so it also serves what pledge_custodian did;
     * custodian_cov starts with the rowid, so new custodians append to it.
     */
    "DROP INDEX IF EXISTS pledge_custodian;"
    "CREATE INDEX pledge_cov ON pledge (custodian, signed_on, ended_on,"
    "  from_m, to_m);"
    "CREATE INDEX custodian_cov ON custodian (rid, kind, commune, village);",
    /*
     * List pages in SQL (issue 6): each list's own order, so a page is a
     * range of an index (keyset paging, the rowid last), and the filters
     * and role scopes (a custodian's commune is its own, else its
     * village's). marker_order serves what marker_measure did.
     */
    "CREATE INDEX custodian_name ON custodian (name_fold, name);"
    "CREATE INDEX custodian_commune ON custodian (commune)"
    "  WHERE commune IS NOT NULL;"
    "CREATE INDEX custodian_village ON custodian (village);"
    "CREATE INDEX village_commune ON village (commune, name);"
    "CREATE INDEX commune_station ON commune (station);"
    "DROP INDEX IF EXISTS marker_measure;"
    "CREATE INDEX marker_order ON marker (measure_m, key);"
    "CREATE INDEX pledge_measure ON pledge (from_m, to_m, signed_on);"
    "CREATE INDEX pledge_station ON pledge (station)"
    "  WHERE station IS NOT NULL;",
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

int bp_store_schema_latest(void)
{
    return NMIGRATIONS;
}

int bp__sqlite_error(struct sqlite_store *s, struct bp_error *err,
                     const char *what)
{
    return bp_error_set(err, BP_ESTORE, "%s: %s", what, sqlite3_errmsg(s->db));
}

static int exec(struct sqlite_store *s, const char *sql, struct bp_error *err)
{
    char *msg = NULL;

    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        bp_error_set(err, BP_ESTORE, "database: %s", msg ? msg : "error");
        sqlite3_free(msg);
        return BP_ESTORE;
    }
    return 0;
}

static int user_version(struct sqlite_store *s)
{
    sqlite3_stmt *st = NULL;
    int v = -1;

    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int migrate(struct sqlite_store *s, struct bp_error *err)
{
    char sql[64];
    int v = user_version(s);
    int rc = 0;

    if (v < 0)
        return bp__sqlite_error(s, err, "reading the schema version");
    if (v > NMIGRATIONS)
        return bp_error_set(err, BP_ESCHEMA,
                            "the database is at schema version %d, this "
                            "program knows up to %d: update bienphong",
                            v, NMIGRATIONS);
    for (; v < NMIGRATIONS; v++) {
        /* Each step and its version number commit together. */
        rc = exec(s, "BEGIN IMMEDIATE", err);
        if (rc)
            return rc;
        rc = exec(s, migrations[v], err);
        if (!rc) {
            snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
            rc = exec(s, sql, err);
        }
        if (rc) {
            exec(s, "ROLLBACK", NULL);
            return rc;
        }
        rc = exec(s, "COMMIT", err);
        if (rc)
            return rc;
    }
    return 0;
}

static void sqlite_close(struct bp_store *base)
{
    struct sqlite_store *s = (struct sqlite_store *)base;

    if (s->in_tx)
        exec(s, "ROLLBACK", NULL);
    bp_free(s->bulk_sql);
    bp__sqlite_made_clear(s);
    bp__sqlite_stmts_finalize(s);
    sqlite3_close_v2(s->db);
    bp_free(s);
}

static int sqlite_in_tx(struct bp_store *base)
{
    return ((struct sqlite_store *)base)->in_tx;
}

static int sqlite_schema_version(struct bp_store *base)
{
    return user_version((struct sqlite_store *)base);
}

static int sqlite_begin(struct bp_store *base, struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    int rc;

    if (s->in_tx)
        return bp_error_set(err, BP_ESTORE, "a transaction is already open");
    /* IMMEDIATE takes the write lock now, so a busy database fails here
     * and not halfway through an import. */
    rc = exec(s, "BEGIN IMMEDIATE", err);
    if (!rc)
        s->in_tx = 1;
    return rc;
}

static int sqlite_commit(struct bp_store *base, struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    int rc;

    if (!s->in_tx)
        return bp_error_set(err, BP_ESTORE, "no transaction is open");
    rc = bp__sqlite_bulk_restore(s, err);
    /*
     * After a bulk write the log holds tens of megabytes; copying them
     * into the database file (the automatic checkpoint, which COMMIT
     * would run when the log passes 1,000 pages) is left to
     * bp_store_checkpoint(), the next commit or the close: the data are
     * durable once COMMIT has written the log.
     */
    if (s->bulk)
        sqlite3_wal_autocheckpoint(s->db, 0);
    if (!rc)
        rc = exec(s, "COMMIT", err);
    if (rc)
        exec(s, "ROLLBACK", NULL);
    if (s->bulk) {
        sqlite3_wal_autocheckpoint(s->db, 1000); /* the default */
        exec(s, "PRAGMA foreign_keys = ON", NULL);
    }
    s->bulk = 0;
    s->in_tx = 0;
    bp__sqlite_made_clear(s);
    return rc;
}

static void sqlite_rollback(struct bp_store *base)
{
    struct sqlite_store *s = (struct sqlite_store *)base;

    if (s->in_tx)
        exec(s, "ROLLBACK", NULL);
    s->in_tx = 0;
    if (s->bulk)
        exec(s, "PRAGMA foreign_keys = ON", NULL);
    s->bulk = 0;
    bp__sqlite_made_clear(s);
    /* Indexes set aside in a bulk transaction are back with the
     * rollback. */
    bp_free(s->bulk_sql);
    s->bulk_sql = NULL;
    /* A border saved in the transaction is gone again. */
    s->border_saves++;
}

/*
 * A bulk transaction (bp_store_begin_bulk). Foreign keys can only be
 * switched outside a transaction; with them off, each batch put spares
 * the database two lookups of parent rows per record that put_custodian
 * and put_pledge have just made themselves (ref_memo), and the
 * auto-begin check keeps every other write out of it. The pragma
 * expires the prepared statements, which are compiled again with or
 * without the checks as they are next used.
 */
static int sqlite_begin_bulk(struct bp_store *base, size_t n,
                             struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    int rc;

    if (s->in_tx)
        return bp_error_set(err, BP_ESTORE, "a transaction is already open");
    if (n < 4096)
        return sqlite_begin(base, err);
    rc = exec(s, "PRAGMA foreign_keys = OFF", err);
    if (!rc)
        rc = sqlite_begin(base, err);
    if (rc) {
        exec(s, "PRAGMA foreign_keys = ON", NULL);
        return rc;
    }
    s->bulk = 1;
    rc = bp__sqlite_bulk_set_aside(s, n, err);
    if (rc)
        sqlite_rollback(base);
    return rc;
}

static int sqlite_checkpoint(struct bp_store *base, struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;

    if (sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
                                  NULL, NULL) != SQLITE_OK)
        return bp__sqlite_error(s, err, "checkpoint");
    return 0;
}

static void put_le64(unsigned char *p, double d)
{
    uint64_t u;
    int i;

    memcpy(&u, &d, sizeof(u));
    for (i = 0; i < 8; i++)
        p[i] = (unsigned char)(u >> (8 * i));
}

static double get_le64(const unsigned char *p)
{
    uint64_t u = 0;
    double d;
    int i;

    for (i = 0; i < 8; i++)
        u |= (uint64_t)p[i] << (8 * i);
    memcpy(&d, &u, sizeof(d));
    return d;
}

int bp__sqlite_auto_begin(struct sqlite_store *s, int *mine,
                          struct bp_error *err)
{
    *mine = 0;
    /* A bulk transaction does not check references: only the batch
     * puts, which look up every one, may write in it. */
    if (s->in_tx && s->bulk && !s->batch_put)
        return bp_error_set(err, BP_ESTORE,
                            "only batch puts of custodians and pledges may "
                            "write in a bulk transaction");
    if (s->in_tx)
        return 0;
    *mine = 1;
    return sqlite_begin(&s->base, err);
}

int bp__sqlite_auto_end(struct sqlite_store *s, int mine, int rc,
                        struct bp_error *err)
{
    if (!mine)
        return rc;
    if (rc) {
        sqlite_rollback(&s->base);
        return rc;
    }
    return sqlite_commit(&s->base, err);
}

static int sqlite_border_save(struct bp_store *base,
                              const struct bp_border_record *rec,
                              struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    unsigned char *blob = NULL;
    size_t i;
    int mine, rc;

    rc = bp__sqlite_auto_begin(s, &mine, err);
    if (rc)
        return rc;
    blob = bp_calloc(rec->n, 16);
    if (!blob) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < rec->n; i++) {
        put_le64(blob + 16 * i, rec->pts[i].lon);
        put_le64(blob + 16 * i + 8, rec->pts[i].lat);
    }
    s->border_saves++;
    rc = exec(s, "DELETE FROM border_calibration", err);
    if (rc)
        goto out;
    if (sqlite3_prepare_v2(
            s->db,
            "INSERT OR REPLACE INTO border (id, name, source, home, "
            "official_m, vertex_count, vertices, imported_at) "
            "VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
            -1, &st, NULL) != SQLITE_OK) {
        rc = bp__sqlite_error(s, err, "saving the border");
        goto out;
    }
    sqlite3_bind_text(st, 1, rec->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, rec->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, rec->home == BP_HOME_LEFT ? "left" : "right",
                      -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 4, rec->official_m);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)rec->n);
    sqlite3_bind_blob64(st, 6, blob, (sqlite3_uint64)rec->n * 16,
                        SQLITE_STATIC);
    sqlite3_bind_int64(st, 7,
                       rec->imported_at ? rec->imported_at
                                        : (sqlite3_int64)time(NULL));
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = bp__sqlite_error(s, err, "saving the border");
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO border_calibration (seq, lon, lat, "
                           "geodesic_m, measure_m) VALUES (?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = bp__sqlite_error(s, err, "saving the calibration");
        goto out;
    }
    for (i = 0; i < rec->ncalib; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
        sqlite3_bind_double(st, 2, rec->calib[i].lon);
        sqlite3_bind_double(st, 3, rec->calib[i].lat);
        sqlite3_bind_double(st, 4, rec->calib[i].geodesic_m);
        sqlite3_bind_double(st, 5, rec->calib[i].measure_m);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = bp__sqlite_error(s, err, "saving the calibration");
            goto out;
        }
    }
out:
    sqlite3_finalize(st);
    bp_free(blob);
    return bp__sqlite_auto_end(s, mine, rc, err);
}

static int sqlite_border_load(struct bp_store *base,
                              struct bp_border_record *rec,
                              struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    struct bp_border_record r = {0};
    sqlite3_stmt *st = NULL;
    const unsigned char *blob;
    size_t i, n, cap = 0;
    int rc = 0, step;

    if (sqlite3_prepare_v2(s->db,
                           "SELECT name, source, home, official_m, "
                           "vertex_count, vertices, imported_at FROM border "
                           "WHERE id = 1",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = bp__sqlite_error(s, err, "loading the border");
        goto out;
    }
    step = sqlite3_step(st);
    if (step == SQLITE_DONE) {
        rc = bp_error_set(err, BP_ENOTFOUND,
                          "no border line yet: import one with 'bienphong "
                          "border import FILE'");
        goto out;
    }
    if (step != SQLITE_ROW) {
        rc = bp__sqlite_error(s, err, "loading the border");
        goto out;
    }
    n = (size_t)sqlite3_column_int64(st, 4);
    blob = sqlite3_column_blob(st, 5);
    if (!blob || (size_t)sqlite3_column_bytes(st, 5) != n * 16) {
        rc = bp_error_set(err, BP_ESTORE, "the stored border is damaged");
        goto out;
    }
    r.name = bp_strdup((const char *)sqlite3_column_text(st, 0));
    r.source = bp_strdup((const char *)sqlite3_column_text(st, 1));
    r.home = !strcmp((const char *)sqlite3_column_text(st, 2), "left")
                 ? BP_HOME_LEFT
                 : BP_HOME_RIGHT;
    r.official_m = sqlite3_column_double(st, 3);
    r.imported_at = sqlite3_column_int64(st, 6);
    r.n = n;
    r.pts = bp_calloc(n, sizeof(*r.pts));
    if (!r.pts) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < n; i++) {
        r.pts[i].lon = get_le64(blob + 16 * i);
        r.pts[i].lat = get_le64(blob + 16 * i + 8);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT lon, lat, geodesic_m, measure_m FROM "
                           "border_calibration ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = bp__sqlite_error(s, err, "loading the calibration");
        goto out;
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (r.ncalib == cap) {
            struct bp_calib *nc;
            cap = cap ? 2 * cap : 16;
            nc = bp_reallocarray(r.calib, cap, sizeof(*nc));
            if (!nc) {
                rc = bp_error_set(err, BP_ENOMEM, "out of memory");
                goto out;
            }
            r.calib = nc;
        }
        r.calib[r.ncalib].lon = sqlite3_column_double(st, 0);
        r.calib[r.ncalib].lat = sqlite3_column_double(st, 1);
        r.calib[r.ncalib].geodesic_m = sqlite3_column_double(st, 2);
        r.calib[r.ncalib].measure_m = sqlite3_column_double(st, 3);
        r.ncalib++;
    }
    if (step != SQLITE_DONE)
        rc = bp__sqlite_error(s, err, "loading the calibration");
out:
    sqlite3_finalize(st);
    if (rc) {
        bp_border_record_release(&r);
        return rc;
    }
    *rec = r;
    return 0;
}

static const struct bp_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sqlite_close,
    .schema_version = sqlite_schema_version,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .begin_bulk = sqlite_begin_bulk,
    .checkpoint = sqlite_checkpoint,
    .rollback = sqlite_rollback,
    .border_save = sqlite_border_save,
    .border_load = sqlite_border_load,
    .in_tx = sqlite_in_tx,
    .border_generation = bp__sqlite_border_generation,
    .put = bp__sqlite_put,
    .put_many = bp__sqlite_put_many,
    .get = bp__sqlite_get,
    .list = bp__sqlite_list,
    .page = bp__sqlite_page,
    .end = bp__sqlite_end,
    .set_measures = bp__sqlite_set_measures,
    .custodian_search = bp__sqlite_custodian_search,
    .cov_load = bp__sqlite_cov_load,
    .user_put = bp__sqlite_user_put,
    .user_get = bp__sqlite_user_get,
    .user_list = bp__sqlite_user_list,
    .token_put = bp__sqlite_token_put,
    .token_find = bp__sqlite_token_find,
    .token_end = bp__sqlite_token_end,
    .token_list = bp__sqlite_token_list,
    .audit_append = bp__sqlite_audit_append,
    .audit_list = bp__sqlite_audit_list,
    .patrol = &bp__sqlite_patrol_ops,
    .campaign = &bp__sqlite_camp_ops,
};

/*
 * Process-wide settings, made once before SQLite's first use. Memory
 * statistics off: with them on, every allocation SQLite makes takes a
 * global mutex to count it (about 6 % of a bulk import's instructions,
 * measured with callgrind), and nothing here reads the counts. If the
 * process used SQLite before (sqlite3_config then says SQLITE_MISUSE),
 * the defaults stay, which is only slower.
 */
static void sqlite_configure(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int bp__store_sqlite_open(const char *path, struct bp_store **out,
                          struct bp_error *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    struct sqlite_store *s = NULL;
    int rc;

    pthread_once(&once, sqlite_configure);
    s = bp_calloc(1, sizeof(*s));
    if (!s)
        return bp_error_set(err, BP_ENOMEM, "out of memory");
    s->base.ops = &sqlite_ops;
    if (sqlite3_open_v2(path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        rc = bp_error_set(err, BP_ESTORE, "'%s': cannot open: %s", path,
                          s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 5000);
    rc = exec(s,
              "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; "
              "PRAGMA synchronous = NORMAL; "
              /* A 64 MiB page cache keeps a bulk import (random UUID
               * keys touch pages all over the indices) from spilling
               * to the WAL page by page; 256 MiB mapped for reads. */
              "PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456; "
              "PRAGMA temp_store = MEMORY;",
              err);
    if (rc) {
        bp_error_set(err, BP_ESTORE, "'%s': not a bienphong database or "
                     "not writable", path);
        goto fail;
    }
    rc = migrate(s, err);
    if (rc)
        goto fail;
    *out = &s->base;
    return 0;
fail:
    sqlite3_close_v2(s->db);
    bp_free(s);
    return rc;
}
