/* SPDX-License-Identifier: MIT */
/*
 * The registry's list pages in SQLite: filters, role scopes, search,
 * sorting and keyset cursors all in one query, so a page reads the rows
 * it returns and no others (store.h, bp_store_R_page). The query's text
 * depends on which filters are given; each is built from fixed fragments
 * with every value bound, and kept prepared in a small cache by its text.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/buf.h"
#include "bienphong/text.h"
#include "store/store_sqlite_int.h"

/*
 * A sort key: up to three SQL expressions, never NULL-valued (so that row
 * values compare), over the columns of the kind's SELECT; the rowid is
 * the last key of every order. The first key of each kind is its own
 * order (that of bp_store_R_list), served by an index (migration 6).
 */
struct sortkey {
    const char *name;
    const char *cols[3];
};

struct spec {
    const char *table; /* for COUNT and the cursor's tag */
    const char *alias; /* of the table in the SELECT */
    const struct sortkey *keys;
    const char *search[4];   /* folded text to search, SQL */
    const char *personal[3]; /* the same, with q_personal only */
};

#define NODATE "-2147483648"
#define NONUM "-1e308"

static const struct sortkey k_station[] = {
    {"", {"s.name", "s.code", NULL}},
    {"id", {"s.id", NULL, NULL}},
    {"code", {"s.code", NULL, NULL}},
    {"name", {"s.name", NULL, NULL}},
    {"ended_on", {"IFNULL(s.ended_on, " NODATE ")", NULL, NULL}},
    {NULL, {NULL, NULL, NULL}},
};

static const struct sortkey k_commune[] = {
    {"", {"c.from_m", "c.to_m", "c.code"}},
    {"id", {"c.id", NULL, NULL}},
    {"code", {"c.code", NULL, NULL}},
    {"name", {"c.name", NULL, NULL}},
    {"district", {"IFNULL(c.district, '')", NULL, NULL}},
    {"station_id", {"IFNULL(st.id, '')", NULL, NULL}},
    {"from", {"c.from_m", NULL, NULL}},
    {"to", {"c.to_m", NULL, NULL}},
    {"ended_on", {"IFNULL(c.ended_on, " NODATE ")", NULL, NULL}},
    {NULL, {NULL, NULL, NULL}},
};

static const struct sortkey k_village[] = {
    {"", {"v.name", NULL, NULL}},
    {"id", {"v.id", NULL, NULL}},
    {"name", {"v.name", NULL, NULL}},
    {"commune_id", {"c.id", NULL, NULL}},
    {"ended_on", {"IFNULL(v.ended_on, " NODATE ")", NULL, NULL}},
    {NULL, {NULL, NULL, NULL}},
};

static const struct sortkey k_marker[] = {
    {"", {"m.measure_m", "m.key", NULL}},
    {"id", {"m.id", NULL, NULL}},
    {"number", {"m.number", NULL, NULL}},
    {"key", {"m.key", NULL, NULL}},
    {"kind", {"m.kind", NULL, NULL}},
    {"lon", {"m.lon", NULL, NULL}},
    {"lat", {"m.lat", NULL, NULL}},
    {"measure_m", {"m.measure_m", "m.key", NULL}},
    {"offset_m", {"m.offset_m", NULL, NULL}},
    {"official_m", {"IFNULL(m.official_m, " NONUM ")", NULL, NULL}},
    {"ended_on", {"IFNULL(m.ended_on, " NODATE ")", NULL, NULL}},
    {NULL, {NULL, NULL, NULL}},
};

/* By the folded name, so "Đào" sorts among the d; "name" is byte order. */
static const struct sortkey k_custodian[] = {
    {"", {"c.name_fold", "c.name", NULL}},
    {"id", {"c.id", NULL, NULL}},
    {"kind", {"c.kind = 'collective'", NULL, NULL}},
    {"name", {"c.name", NULL, NULL}},
    {"collective_kind", {"IFNULL(c.collective_kind, '')", NULL, NULL}},
    {"members", {"c.members", NULL, NULL}},
    {"village_id", {"IFNULL(v.id, '')", NULL, NULL}},
    {"commune_id", {"IFNULL(m.id, '')", NULL, NULL}},
    {"phone", {"IFNULL(c.phone, '')", NULL, NULL}},
    {"citizen_id", {"IFNULL(c.citizen_id, '')", NULL, NULL}},
    {"contact", {"IFNULL(c.contact, '')", NULL, NULL}},
    {"ended_on", {"IFNULL(c.ended_on, " NODATE ")", NULL, NULL}},
    {NULL, {NULL, NULL, NULL}},
};

static const struct sortkey k_pledge[] = {
    {"", {"p.from_m", "p.to_m", "p.signed_on"}},
    {"id", {"p.id", NULL, NULL}},
    {"custodian_id", {"c.id", NULL, NULL}},
    {"from", {"p.from_m", "p.to_m", NULL}},
    {"to", {"p.to_m", NULL, NULL}},
    {"signed_on", {"p.signed_on", NULL, NULL}},
    {"ended_on", {"IFNULL(p.ended_on, " NODATE ")", NULL, NULL}},
    {"station_id", {"IFNULL(s.id, '')", NULL, NULL}},
    {"doc_no", {"IFNULL(p.doc_no, '')", NULL, NULL}},
    {"note", {"IFNULL(p.note, '')", NULL, NULL}},
    {"length_m", {"p.to_m - p.from_m", NULL, NULL}},
    {NULL, {NULL, NULL, NULL}},
};

static const struct spec specs[BP__NKINDS] = {
    {"station", "s", k_station, {"bp_fold(s.code)", "bp_fold(s.name)"}, {0}},
    {"commune",
     "c",
     k_commune,
     {"bp_fold(c.code)", "bp_fold(c.name)", "bp_fold(c.district)"},
     {0}},
    {"village", "v", k_village, {"bp_fold(v.name)"}, {0}},
    {"marker", "m", k_marker, {"bp_fold(m.number)"}, {0}},
    {"custodian",
     "c",
     k_custodian,
     {"c.name_fold"},
     {"bp_fold(c.phone)", "bp_fold(c.citizen_id)"}},
    {"pledge", "p", k_pledge, {"bp_fold(p.doc_no)"}, {0}},
};

/* ---- building the SQL ---- */

enum btype { B_TEXT, B_INT, B_REAL };

struct bind {
    enum btype t;
    const char *s; /* B_TEXT: borrowed for the call */
    int len;
    sqlite3_int64 i;
    double d;
};

/* A statement's text and the values of its numbered parameters. */
struct sqlb {
    struct bp_buf sql;
    struct bind *b;
    int n, cap;
    int oom;
};

static void sb_adds(struct sqlb *q, const char *s)
{
    if (bp_buf_adds(&q->sql, s))
        q->oom = 1;
}

/* Append to `b`; a failure is remembered in `*oom` (so no statement is
 * ever run with part of its text missing). */
static void addf(struct bp_buf *b, int *oom, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void addf(struct bp_buf *b, int *oom, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (bp_buf_vaddf(b, fmt, ap))
        *oom = 1;
    va_end(ap);
}

/* Append a new parameter ("?N") and return N (0 when out of memory). */
static int sb_param(struct sqlb *q, struct bind v)
{
    char num[16];

    if (q->n == q->cap) {
        int cap = q->cap ? 2 * q->cap : 16;
        struct bind *nb = bp_reallocarray(q->b, (size_t)cap, sizeof(*nb));
        if (!nb) {
            q->oom = 1;
            return 0;
        }
        q->b = nb;
        q->cap = cap;
    }
    q->b[q->n++] = v;
    snprintf(num, sizeof(num), "?%d", q->n);
    sb_adds(q, num);
    return q->n;
}

static int sb_text(struct sqlb *q, const char *s)
{
    struct bind v = {B_TEXT, s, -1, 0, 0};
    return sb_param(q, v);
}

static int sb_int(struct sqlb *q, sqlite3_int64 i)
{
    struct bind v = {B_INT, NULL, 0, i, 0};
    return sb_param(q, v);
}

/* A parameter used again: "?N". */
static void sb_again(struct sqlb *q, int n)
{
    char num[16];

    snprintf(num, sizeof(num), "?%d", n);
    sb_adds(q, num);
}

static void sb_release(struct sqlb *q)
{
    bp_buf_release(&q->sql);
    bp_free(q->b);
    memset(q, 0, sizeof(*q));
}

/*
 * " AND <records of kind k in the communes whose rowids `set` selects>".
 * `set` is a parenthesised subquery or list. A custodian's commune is its
 * own, else its village's (the two branches each use an index); a
 * pledge's is its custodian's.
 */
static void in_communes(struct sqlb *q, enum bp__rec_kind k, const char *set)
{
    switch (k) {
    case BP__COMMUNE:
        sb_adds(q, " AND c.rid IN ");
        sb_adds(q, set);
        break;
    case BP__VILLAGE:
        sb_adds(q, " AND v.commune IN ");
        sb_adds(q, set);
        break;
    case BP__CUSTODIAN:
    case BP__PLEDGE: {
        const char *a = k == BP__CUSTODIAN ? "c" : "x";
        if (k == BP__PLEDGE)
            sb_adds(q, " AND p.custodian IN (SELECT x.rid FROM custodian x "
                       "WHERE 1");
        sb_adds(q, " AND (");
        sb_adds(q, a);
        sb_adds(q, ".commune IN ");
        sb_adds(q, set);
        sb_adds(q, " OR (");
        sb_adds(q, a);
        sb_adds(q, ".commune IS NULL AND ");
        sb_adds(q, a);
        sb_adds(q, ".village IN (SELECT y.rid FROM village y WHERE "
                   "y.commune IN ");
        sb_adds(q, set);
        sb_adds(q, ")))");
        if (k == BP__PLEDGE)
            sb_adds(q, ")");
        break;
    }
    default:
        /* Stations and markers belong to no commune. */
        sb_adds(q, " AND 0");
    }
}

/*
 * Cut what was appended to q's text since `mark` into `out` (the
 * parameters stay numbered in `q`). 0, or 1 when out of memory.
 */
static int sb_cut(struct sqlb *q, size_t mark, struct bp_buf *out)
{
    if (q->oom || bp_buf_add(out, q->sql.data + mark, q->sql.len - mark))
        q->oom = 1;
    bp_buf_setlen(&q->sql, mark);
    return q->oom;
}

/* Into `out`, the rowids of the communes given by UUID: "(SELECT z.rid
 * FROM commune z WHERE z.id IN (lower(?N), ...))". 0, or 1 (OOM). */
static int commune_set(struct sqlb *q, const char *const *ids, size_t n,
                       struct bp_buf *out)
{
    size_t mark = q->sql.len, i;

    sb_adds(q, "(SELECT z.rid FROM commune z WHERE z.id IN (");
    for (i = 0; i < n; i++) {
        sb_adds(q, i ? ", lower(" : "lower(");
        sb_text(q, ids[i]);
        sb_adds(q, ")");
    }
    sb_adds(q, "))");
    return sb_cut(q, mark, out);
}

/* Into `out`, the rowids of the communes of the station given by UUID. */
static int station_set(struct sqlb *q, const char *id, struct bp_buf *out)
{
    size_t mark = q->sql.len;

    sb_adds(q, "(SELECT z.rid FROM commune z WHERE z.station = (SELECT "
               "w.rid FROM station w WHERE w.id = lower(");
    sb_text(q, id);
    sb_adds(q, ")))");
    return sb_cut(q, mark, out);
}

/* The WHERE terms of the query (after "WHERE 1"), for page and count. */
static void where(struct sqlb *q, enum bp__rec_kind k,
                  const struct bp_list_query *lq, const char *fold)
{
    const struct spec *sp = &specs[k];
    struct bp_buf set = BP_BUF_INIT;
    size_t i;
    int n;

    if (lq->scoped) {
        if (!lq->ncommunes) {
            sb_adds(q, " AND 0");
        } else {
            const char **ids = bp_calloc(lq->ncommunes, sizeof(*ids));
            if (!ids) {
                q->oom = 1;
                return;
            }
            for (i = 0; i < lq->ncommunes; i++)
                ids[i] = lq->communes[i];
            if (!commune_set(q, ids, lq->ncommunes, &set))
                in_communes(q, k, set.data);
            bp_free(ids);
            bp_buf_release(&set);
        }
    }
    if (lq->commune) {
        if (!commune_set(q, &lq->commune, 1, &set))
            in_communes(q, k, set.data);
        bp_buf_release(&set);
    }
    if (lq->station) {
        if (k == BP__STATION) {
            sb_adds(q, " AND s.id = lower(");
            sb_text(q, lq->station);
            sb_adds(q, ")");
        } else if (k == BP__PLEDGE || k == BP__COMMUNE) {
            sb_adds(q, k == BP__PLEDGE ? " AND p.station = "
                                       : " AND c.station = ");
            sb_adds(q, "(SELECT z.rid FROM station z WHERE z.id = lower(");
            sb_text(q, lq->station);
            sb_adds(q, "))");
        } else {
            if (!station_set(q, lq->station, &set))
                in_communes(q, k, set.data);
            bp_buf_release(&set);
        }
    }
    if (lq->custodian && k == BP__PLEDGE) {
        sb_adds(q, " AND p.custodian = (SELECT z.rid FROM custodian z "
                   "WHERE z.id = lower(");
        sb_text(q, lq->custodian);
        sb_adds(q, "))");
    }
    if (lq->village && (k == BP__CUSTODIAN || k == BP__VILLAGE)) {
        if (k == BP__VILLAGE)
            sb_adds(q, " AND v.id = lower(");
        else
            sb_adds(q, " AND c.village = (SELECT z.rid FROM village z "
                       "WHERE z.id = lower(");
        sb_text(q, lq->village);
        sb_adds(q, k == BP__VILLAGE ? ")" : "))");
    }
    if (lq->kind && (k == BP__MARKER || k == BP__CUSTODIAN)) {
        sb_adds(q, k == BP__MARKER ? " AND m.kind = " : " AND c.kind = ");
        sb_text(q, lq->kind);
    }
    if (lq->as_of != BP_DATE_NONE) {
        sb_adds(q, " AND (");
        sb_adds(q, sp->alias);
        sb_adds(q, ".ended_on IS NULL OR ");
        sb_adds(q, sp->alias);
        sb_adds(q, ".ended_on > ");
        n = sb_int(q, lq->as_of);
        sb_adds(q, ")");
        if (k == BP__PLEDGE) {
            sb_adds(q, " AND p.signed_on <= ");
            sb_again(q, n);
        }
    }
    if (fold) {
        n = 0;
        sb_adds(q, " AND (");
        for (i = 0; i < 4 && sp->search[i]; i++) {
            sb_adds(q, i ? " OR instr(" : "instr(");
            sb_adds(q, sp->search[i]);
            sb_adds(q, ", ");
            if (n)
                sb_again(q, n);
            else
                n = sb_text(q, fold);
            sb_adds(q, ") > 0");
        }
        for (i = 0; lq->q_personal && i < 3 && sp->personal[i]; i++) {
            sb_adds(q, " OR instr(");
            sb_adds(q, sp->personal[i]);
            sb_adds(q, ", ");
            sb_again(q, n);
            sb_adds(q, ") > 0");
        }
        sb_adds(q, ")");
    }
}

/* ---- the cursor ---- */

/*
 * A cursor is base64url (no padding) of "<table>;<sort>;" and the last
 * row's sort values, each "i<integer>;", "r<real %.17g>;" or
 * "t<bytes>:<text>;", the rowid last. Cursors are opaque to clients and
 * only position a page: the filters and scopes apply whatever they hold.
 */
#define CURSOR_MAX 4096

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int b64_encode(const unsigned char *in, size_t n, struct bp_buf *out)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < n && !rc; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        char c[4];
        size_t k = n - i >= 3 ? 4 : n - i + 1;
        if (i + 1 < n)
            v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        c[0] = b64[(v >> 18) & 63];
        c[1] = b64[(v >> 12) & 63];
        c[2] = b64[(v >> 6) & 63];
        c[3] = b64[v & 63];
        rc = bp_buf_add(out, c, k);
    }
    return rc;
}

/* Decode into `out`; -1 when `in` is not base64url without padding. */
static int b64_decode(const char *in, struct bp_buf *out)
{
    size_t n = strlen(in), i;
    unsigned v = 0;
    int bits = 0;

    if (n % 4 == 1)
        return -1;
    for (i = 0; i < n; i++) {
        const char *p = in[i] ? strchr(b64, in[i]) : NULL;
        if (!p)
            return -1;
        v = (v << 6) | (unsigned)(p - b64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (bp_buf_addch(out, (int)((v >> bits) & 0xff)))
                return -2;
        }
    }
    /* The bits left over must be zero, so each cursor has one spelling. */
    if (v & ((1u << bits) - 1))
        return -1;
    return 0;
}

/* The cursor after the current row of `q`, whose last `nkeys` columns are
 * the sort values. New string or NULL (out of memory). */
static char *cursor_make(sqlite3_stmt *q, int nkeys, const char *table,
                         const char *sort)
{
    struct bp_buf raw = BP_BUF_INIT, out = BP_BUF_INIT;
    int first = sqlite3_column_count(q) - nkeys, i, rc;
    char *res = NULL;

    rc = bp_buf_addf(&raw, "%s;%s;", table, sort);
    for (i = first; !rc && i < first + nkeys; i++) {
        switch (sqlite3_column_type(q, i)) {
        case SQLITE_INTEGER:
            rc = bp_buf_addf(&raw, "i%lld;",
                             (long long)sqlite3_column_int64(q, i));
            break;
        case SQLITE_FLOAT:
            rc = bp_buf_addf(&raw, "r%.17g;", sqlite3_column_double(q, i));
            break;
        default: {
            const unsigned char *t = sqlite3_column_text(q, i);
            int len = sqlite3_column_bytes(q, i);
            rc = !t ? BP_ENOMEM : bp_buf_addf(&raw, "t%d:", len);
            if (!rc)
                rc = bp_buf_add(&raw, t, (size_t)len);
            if (!rc)
                rc = bp_buf_addch(&raw, ';');
        }
        }
    }
    if (!rc && !b64_encode((const unsigned char *)raw.data, raw.len, &out))
        res = bp_buf_take(&out, NULL);
    bp_buf_release(&raw);
    bp_buf_release(&out);
    return res;
}

/*
 * Read `nkeys` values from the decoded cursor `raw` (of `len` bytes) of
 * list `table` in order `sort` into `vals`; texts point into `raw`.
 * 0, or -1 when it is not such a cursor.
 */
static int cursor_parse(const char *raw, size_t len, const char *table,
                        const char *sort, struct bind *vals, int nkeys)
{
    const char *p = raw, *end = raw + len;
    size_t tl = strlen(table), sl = strlen(sort);
    int i;

    if (len < tl + sl + 2 || memcmp(p, table, tl) || p[tl] != ';' ||
        memcmp(p + tl + 1, sort, sl) || p[tl + 1 + sl] != ';')
        return -1;
    p += tl + sl + 2;
    for (i = 0; i < nkeys; i++) {
        char num[64], *e;
        const char *semi;
        size_t nl;
        if (p >= end)
            return -1;
        if (*p == 't') {
            long l = strtol(p + 1, &e, 10);
            if (e == p + 1 || *e != ':' || l < 0 || l > end - e - 2 ||
                e[1 + l] != ';')
                return -1;
            vals[i].t = B_TEXT;
            vals[i].s = e + 1;
            vals[i].len = (int)l;
            p = e + 2 + l;
            continue;
        }
        semi = memchr(p, ';', (size_t)(end - p));
        nl = semi ? (size_t)(semi - p) : 0;
        if (!semi || nl < 2 || nl >= sizeof(num))
            return -1;
        memcpy(num, p + 1, nl - 1);
        num[nl - 1] = '\0';
        if (*p == 'i') {
            vals[i].t = B_INT;
            vals[i].i = strtoll(num, &e, 10);
        } else if (*p == 'r') {
            vals[i].t = B_REAL;
            vals[i].d = strtod(num, &e);
        } else {
            return -1;
        }
        if (*e)
            return -1;
        p = semi + 1;
    }
    /* The rowid comes last, and nothing after it. */
    return p == end && vals[nkeys - 1].t == B_INT ? 0 : -1;
}

/* ---- statements ---- */

static void fold_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *t;
    char small[256], *out = small;
    int n;

    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    t = (const char *)sqlite3_value_text(argv[0]);
    n = sqlite3_value_bytes(argv[0]);
    if (!t || (n >= (int)sizeof(small) && !(out = bp_malloc((size_t)n + 1)))) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    n = (int)bp_text_fold_to(t, out);
    sqlite3_result_text(ctx, out, n, SQLITE_TRANSIENT);
    if (out != small)
        bp_free(out);
}

/*
 * The statement for `sql` from slot `slot` of the cache, reset and
 * unbound, or prepared anew (replacing what the slot held). NULL on
 * failure (err set).
 */
static sqlite3_stmt *cached(struct sqlite_store *s, size_t slot,
                            const char *sql, struct bp_error *err)
{
    sqlite3_stmt *q = s->list_stmts[slot];

    if (q && !strcmp(sqlite3_sql(q), sql)) {
        sqlite3_reset(q);
        sqlite3_clear_bindings(q);
        return q;
    }
    sqlite3_finalize(q);
    s->list_stmts[slot] = NULL;
    q = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &q,
                           NULL) != SQLITE_OK) {
        bp__sqlite_error(s, err, "preparing a list");
        sqlite3_finalize(q);
        return NULL;
    }
    s->list_stmts[slot] = q;
    return q;
}

void bp__sqlite_list_finalize(struct sqlite_store *s)
{
    size_t i;

    for (i = 0; i < BP__SQLITE_NLIST; i++) {
        sqlite3_finalize(s->list_stmts[i]);
        s->list_stmts[i] = NULL;
    }
}

static void bind_all(sqlite3_stmt *q, const struct bind *b, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        if (b[i].t == B_TEXT)
            sqlite3_bind_text(q, i + 1, b[i].s, b[i].len, SQLITE_STATIC);
        else if (b[i].t == B_INT)
            sqlite3_bind_int64(q, i + 1, b[i].i);
        else
            sqlite3_bind_double(q, i + 1, b[i].d);
    }
}

static size_t hash(const char *s)
{
    size_t h = 2166136261u;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* ---- the page ---- */

static const struct sortkey *find_key(const struct spec *sp,
                                      const char *name)
{
    const struct sortkey *k;

    for (k = sp->keys + 1; k->name; k++)
        if (!strcmp(k->name, name))
            return k;
    return NULL;
}

int bp__sqlite_page(struct bp_store *base, enum bp__rec_kind k,
                    const struct bp_list_query *lq, void **v, size_t *n,
                    struct bp_list_page *page, struct bp_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    const struct spec *sp = &specs[k];
    const struct sortkey *key = sp->keys;
    const char *sort = lq->sort ? lq->sort : "";
    struct sqlb w = {BP_BUF_INIT, NULL, 0, 0, 0};
    struct bp_buf sql = BP_BUF_INIT, count = BP_BUF_INIT, raw = BP_BUF_INIT;
    const char *select = bp__sqlite_record_select(k), *from;
    size_t size = bp__sqlite_record_size(k), len = 0, limit = lq->limit,
           total = 0, slot;
    char *fold = NULL, *next = NULL, *arr = NULL;
    int desc = sort[0] == '-', nkeys = 1, nwhere, i, rc = 0, step;
    sqlite3_stmt *q = NULL;

    if (lq->sort) {
        key = find_key(sp, sort + desc);
        if (!key)
            return bp_error_set_at(err, BP_EINVAL, NULL, 0, "sort",
                                   "'%.64s' is not a sort key of %ss",
                                   sort, sp->table);
    }
    while (nkeys <= 3 && key->cols[nkeys - 1])
        nkeys++;
    if (!s->list_funcs) {
        if (sqlite3_create_function_v2(
                s->db, "bp_fold", 1,
                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                fold_fn, NULL, NULL, NULL) != SQLITE_OK)
            return bp__sqlite_error(s, err, "registering bp_fold");
        s->list_funcs = 1;
    }
    if (lq->q && !(fold = bp_text_fold(lq->q)))
        return bp_error_set(err, BP_ENOMEM, "out of memory");
    where(&w, k, lq, fold);
    nwhere = w.n;
    /* The SELECT names its columns, then " FROM ": add the sort values. */
    from = strstr(select, " FROM ");
    if (!from) {
        rc = bp_error_set(err, BP_ESTORE, "no FROM in a list's SELECT");
        goto out;
    }
    addf(&sql, &w.oom, "%.*s", (int)(from - select), select);
    for (i = 0; i < nkeys - 1; i++)
        addf(&sql, &w.oom, ", %s", key->cols[i]);
    addf(&sql, &w.oom, ", %s.rid%s WHERE 1%s", sp->alias, from, w.sql.data);
    addf(&count, &w.oom, "SELECT count(*) FROM %s %s WHERE 1%s", sp->table,
         sp->alias, w.sql.data);
    if (lq->cursor) {
        struct bind vals[4];
        size_t mark = w.sql.len;
        int dec = strlen(lq->cursor) > CURSOR_MAX
                      ? -1
                      : b64_decode(lq->cursor, &raw);
        if (dec == -2) {
            rc = bp_error_set(err, BP_ENOMEM, "out of memory");
            goto out;
        }
        if (dec || cursor_parse(raw.data, raw.len, sp->table, sort, vals,
                                nkeys)) {
            rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, "cursor",
                                 "not a cursor of this list and order: "
                                 "use next_cursor of the page before");
            goto out;
        }
        /* (k1, .., rowid) after the last row given, in the order's
         * direction: one range of the order's index. */
        addf(&sql, &w.oom, " AND (");
        for (i = 0; i < nkeys - 1; i++)
            addf(&sql, &w.oom, "%s, ", key->cols[i]);
        addf(&sql, &w.oom, "%s.rid) %s (", sp->alias, desc ? "<" : ">");
        for (i = 0; i < nkeys; i++) {
            sb_adds(&w, i ? ", " : "");
            sb_param(&w, vals[i]);
        }
        sb_adds(&w, ")");
        sb_cut(&w, mark, &sql);
    }
    addf(&sql, &w.oom, " ORDER BY ");
    for (i = 0; i < nkeys - 1; i++)
        addf(&sql, &w.oom, "%s%s, ", key->cols[i], desc ? " DESC" : "");
    addf(&sql, &w.oom, "%s.rid%s LIMIT ", sp->alias, desc ? " DESC" : "");
    if (!limit)
        limit = BP_LIST_LIMIT_DEFAULT;
    {
        size_t mark = w.sql.len;
        sb_int(&w, (sqlite3_int64)limit + 1);
        sb_cut(&w, mark, &sql);
    }
    if (w.oom) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    /* A page's statement and its count share a pair of slots. */
    slot = 2 * (hash(sql.data) % (BP__SQLITE_NLIST / 2));
    if (lq->count) {
        q = cached(s, slot + 1, count.data, err);
        if (!q) {
            rc = BP_ESTORE;
            goto out;
        }
        /* The count's parameters are the WHERE's, numbered first. */
        bind_all(q, w.b, nwhere);
        step = sqlite3_step(q);
        if (step == SQLITE_ROW)
            total = (size_t)sqlite3_column_int64(q, 0);
        sqlite3_reset(q);
        q = NULL;
        if (step != SQLITE_ROW) {
            rc = bp__sqlite_error(s, err, "counting a list");
            goto out;
        }
    }
    q = cached(s, slot, sql.data, err);
    if (!q) {
        rc = BP_ESTORE;
        goto out;
    }
    bind_all(q, w.b, w.n);
    arr = bp_reallocarray(NULL, limit < 16 ? limit : 16, size);
    if (!arr) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    {
        size_t cap = limit < 16 ? limit : 16;
        while ((step = sqlite3_step(q)) == SQLITE_ROW) {
            if (len == limit) {
                /* One more than asked for: there is a next page, after
                 * the last row kept. */
                break;
            }
            if (len == cap) {
                char *na;
                cap = 2 * cap < limit ? 2 * cap : limit;
                na = bp_reallocarray(arr, cap, size);
                if (!na) {
                    rc = bp_error_set(err, BP_ENOMEM, "out of memory");
                    goto out;
                }
                arr = na;
            }
            if (bp__sqlite_record_read(k, q, arr + len * size)) {
                rc = bp_error_set(err, BP_ENOMEM, "out of memory");
                goto out;
            }
            len++;
            if (len == limit) {
                /* Keep the last row's keys before stepping on. */
                bp_free(next);
                next = cursor_make(q, nkeys, sp->table, sort);
                if (!next) {
                    rc = bp_error_set(err, BP_ENOMEM, "out of memory");
                    goto out;
                }
            }
        }
        if (step != SQLITE_ROW && step != SQLITE_DONE) {
            rc = bp__sqlite_error(s, err, "reading a list");
            goto out;
        }
        if (step == SQLITE_DONE) {
            bp_free(next);
            next = NULL;
        }
    }
out:
    if (q)
        sqlite3_reset(q);
    if (rc) {
        bp__store_list_free(k, arr, len);
        bp_free(next);
    } else {
        *v = arr;
        *n = len;
        page->total = lq->count ? total : 0;
        page->next_cursor = next;
    }
    bp_free(fold);
    sb_release(&w);
    bp_buf_release(&sql);
    bp_buf_release(&count);
    bp_buf_release(&raw);
    return rc;
}
