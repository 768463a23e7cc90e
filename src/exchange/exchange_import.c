/* SPDX-License-Identifier: MIT */
/*
 * Imports of registry records from CSV (and GeoJSON marker points). The
 * lookups a row needs (stations, communes, villages, markers, custodians)
 * are loaded from the store once into hash maps; every row is checked and
 * every problem collected; only a clean file is written, in one
 * transaction. Custodians and pledges, the big files, are kept packed
 * (strings in one arena, references as indices) until they are written,
 * a few thousand at a time.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "bienphong/alloc.h"
#include "bienphong/csv.h"
#include "bienphong/date.h"
#include "bienphong/exchange.h"
#include "bienphong/fmt.h"
#include "exchange/exchange_int.h"

/* Stretches may end this far past the border's ends (rounding of km). */
#define END_TOL_M 0.5
/* At most this many problems are kept; the rest are counted. */
#define MAX_PROBLEMS 1000
/* Custodians or pledges handed to the store's batch put at once: enough
 * to spread the batch's fixed cost, few enough that the unpacked records
 * stay in the cache. */
#define WRITE_CHUNK 4096

enum col {
    C_ID = 0,
    C_CODE,
    C_NAME,
    C_DISTRICT,
    C_STATION,
    C_COMMUNE,
    C_VILLAGE,
    C_NUMBER,
    C_KIND,
    C_LON,
    C_LAT,
    C_OFFICIAL_KM,
    C_HH_NAME,
    C_COLL_NAME,
    C_MEMBERS,
    C_PHONE,
    C_CITIZEN,
    C_CONTACT,
    C_CUSTODIAN,
    C_FROM_MARKER,
    C_TO_MARKER,
    C_FROM_KM,
    C_TO_KM,
    C_SIGNED,
    C_ENDED,
    C_DOC,
    C_NOTE,
    NCOL
};

struct coldef {
    enum col id;
    const char *aliases; /* folded, '|' separated; the first is shown */
};

#define PLEDGE_COLS                                                            \
    {C_FROM_MARKER, "tu moc|from marker|from"},                                \
        {C_TO_MARKER, "den moc|to marker|to"}, {C_FROM_KM, "tu km|from km"},   \
        {C_TO_KM, "den km|to km"},                                             \
        {C_SIGNED, "ngay ky|signed on|signed|ngay ky nhan"},                   \
        {C_ENDED, "ngay ket thuc|ended on|ended"},                             \
        {C_STATION, "don bien phong|station|don"},                             \
        {C_DOC, "so van ban|doc no|document"},                                 \
    {                                                                          \
        C_NOTE, "ghi chu|note"                                                 \
    }

static const struct coldef station_cols[] = {
    {C_ID, "id|uuid"},
    {C_CODE, "ma don|ma|code"},
    {C_NAME, "ten don|ten|name"},
    {C_ENDED, "ngay ket thuc|ended on"},
};
static const struct coldef commune_cols[] = {
    {C_ID, "id|uuid"},
    {C_CODE, "ma xa|ma|code|ma gso"},
    {C_NAME, "ten xa|ten|name|xa"},
    {C_DISTRICT, "huyen|district"},
    {C_STATION, "don bien phong|station|don"},
    {C_FROM_MARKER, "tu moc|from marker"},
    {C_TO_MARKER, "den moc|to marker"},
    {C_FROM_KM, "tu km|from km"},
    {C_TO_KM, "den km|to km"},
};
static const struct coldef village_cols[] = {
    {C_ID, "id|uuid"},
    {C_NAME, "ten thon|thon|ban|ten|name|village"},
    {C_COMMUNE, "xa|ma xa|commune"},
};
static const struct coldef marker_cols[] = {
    {C_NUMBER, "so moc|number|moc|marker"},
    {C_KIND, "loai|kind|loai moc"},
    {C_LON, "kinh do|lon|longitude|lng"},
    {C_LAT, "vi do|lat|latitude"},
    {C_OFFICIAL_KM, "km chinh thuc|official km|ly trinh chinh thuc"},
};
static const struct coldef custodian_cols[] = {
    {C_ID, "id|uuid"},
    {C_HH_NAME, "ho ten chu ho|chu ho|ho ten"},
    {C_COLL_NAME, "ten tap the|tap the"},
    {C_NAME, "name|ten"},
    {C_KIND, "loai|kind|loai tap the"},
    {C_VILLAGE, "thon|ban|village|thon ban"},
    {C_COMMUNE, "xa|commune|ma xa"},
    {C_MEMBERS, "so nhan khau|members|nhan khau"},
    {C_PHONE, "so dien thoai|phone|dien thoai"},
    {C_CITIZEN, "cccd|citizen id|cmnd|so cccd"},
    {C_CONTACT, "nguoi lien he|contact"},
    PLEDGE_COLS,
};
static const struct coldef pledge_cols[] = {
    {C_ID, "id|uuid"},
    {C_CUSTODIAN, "ho tu quan|custodian id|custodian|ma ho|ma tu quan|ho"},
    PLEDGE_COLS,
};

struct kinddef {
    const struct coldef *cols;
    size_t ncols;
};

static const struct kinddef kinddefs[] = {
    [BP_X_STATIONS] = {station_cols,
                       sizeof(station_cols) / sizeof(station_cols[0])},
    [BP_X_COMMUNES] = {commune_cols,
                       sizeof(commune_cols) / sizeof(commune_cols[0])},
    [BP_X_VILLAGES] = {village_cols,
                       sizeof(village_cols) / sizeof(village_cols[0])},
    [BP_X_MARKERS] = {marker_cols,
                      sizeof(marker_cols) / sizeof(marker_cols[0])},
    [BP_X_CUSTODIANS] = {custodian_cols,
                         sizeof(custodian_cols) / sizeof(custodian_cols[0])},
    [BP_X_PLEDGES] = {pledge_cols,
                      sizeof(pledge_cols) / sizeof(pledge_cols[0])},
};

/* A growable array of records of one kind. */
struct vec {
    void *v;
    size_t n, cap, size;
    long *rows; /* file row of each record */
};

static void *vec_push(struct vec *a, long row)
{
    if (a->n == a->cap) {
        size_t ncap = a->cap ? a->cap * 2 : 256;
        void *nv = bp_reallocarray(a->v, ncap, a->size);
        long *nr;
        if (!nv)
            return NULL;
        a->v = nv;
        nr = bp_reallocarray(a->rows, ncap, sizeof(long));
        if (!nr)
            return NULL;
        a->rows = nr;
        a->cap = ncap;
    }
    memset((char *)a->v + a->n * a->size, 0, a->size);
    a->rows[a->n] = row;
    return (char *)a->v + a->n++ * a->size;
}

/* Room for `n` records, so a big file is not copied as it grows; a
 * failure here is not an error (vec_push grows on demand). */
static void vec_reserve(struct vec *a, size_t n)
{
    void *nv;
    long *nr;

    if (n <= a->cap)
        return;
    nv = bp_reallocarray(a->v, n, a->size);
    if (!nv)
        return;
    a->v = nv;
    nr = bp_reallocarray(a->rows, n, sizeof(long));
    if (!nr)
        return;
    a->rows = nr;
    a->cap = n;
}

/*
 * A checked custodian row, packed: strings are offsets into im->arena (0
 * for none), references are indices into what the store holds (-1 for
 * none). Its file row is in the vector's rows.
 */
struct packed_custodian {
    uint32_t id, name, phone, citizen_id, contact;
    int32_t village, commune;
    int32_t members;
    unsigned char kind, collective_kind;
};

/*
 * A checked pledge row, packed likewise. `owner` is its custodian: the
 * index among the file's custodians (custodian files) or in
 * im->custodians (pledge files). An end at a marker has the marker's
 * index, an end by km -1.
 */
struct packed_pledge {
    double from_offset_m, from_m, to_offset_m, to_m;
    uint32_t id, doc_no, note;
    int32_t owner, station, from_marker, to_marker;
    int32_t signed_on, ended_on;
};

/* One import in progress. */
struct imp {
    struct bp_store *st;
    enum bp_exchange_kind kind;
    const struct bp_import_opts *opts;
    struct bp_import_result *res;
    const char *file; /* the name shown in messages */
    long row;
    const char *f[NCOL];     /* this row's fields, NULL when empty */
    const char *fname[NCOL]; /* the column names as written in the file */
    int have[NCOL];
    struct bp_buf fold;
    struct bp_buf tmp;
    size_t problems_cap;
    int oom;              /* a problem could not be recorded */
    char shown[NCOL][64]; /* column names as shown in messages */

    /* What the store holds. */
    struct bp_station *stations;
    size_t nstations;
    struct bp_commune *communes;
    size_t ncommunes;
    struct bp_village *villages;
    size_t nvillages;
    struct bp_marker *markers;
    size_t nmarkers;
    struct bp_custodian *custodians;
    size_t ncustodians;
    struct bp__xmap station_by_code, commune_by_key, village_by_key,
        marker_by_key, custodian_by_key, seen;
    double length_m;
    int have_border;

    /* What the file holds. */
    struct vec recs;     /* records of the file's kind; packed for
                            custodians and pledges */
    struct vec pledges;  /* custodians: struct packed_pledge, on the same
                            rows as their custodian */
    struct bp_buf arena; /* the packed records' strings */
};

/* Custodians and pledges are kept packed. */
static int is_packed(enum bp_exchange_kind kind)
{
    return kind == BP_X_CUSTODIANS || kind == BP_X_PLEDGES;
}

/* Keep field `c` of the current row in the arena: its offset, 0 when the
 * field is empty (or memory ran out: im->oom is set). */
static uint32_t stash(struct imp *im, enum col c)
{
    size_t at = im->arena.len, n;

    if (!im->f[c])
        return 0;
    if (!at) {
        /* Offset 0 stands for none. */
        if (bp_buf_addch(&im->arena, '\0')) {
            im->oom = 1;
            return 0;
        }
        at = 1;
    }
    n = strlen(im->f[c]) + 1;
    if (at > UINT32_MAX - n || bp_buf_add(&im->arena, im->f[c], n)) {
        im->oom = 1;
        return 0;
    }
    return (uint32_t)at;
}

/* A string kept by stash(), or NULL for none. Valid until the arena
 * grows again (it does not once the rows are read). */
static char *unstash(const struct imp *im, uint32_t at)
{
    return at ? im->arena.data + at : NULL;
}

void bp_import_result_release(struct bp_import_result *res)
{
    if (!res)
        return;
    bp_free(res->problems);
    memset(res, 0, sizeof(*res));
}

static int problem(struct imp *im, enum col c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record a problem with the current row (and column `c`, or NCOL). */
static int problem(struct imp *im, enum col c, const char *fmt, ...)
{
    struct bp_import_result *res = im->res;
    struct bp_error *e;
    va_list ap;

    res->problems_total++;
    if (res->nproblems >= MAX_PROBLEMS)
        return 0;
    if (res->nproblems == im->problems_cap) {
        size_t ncap = im->problems_cap ? im->problems_cap * 2 : 8;
        struct bp_error *nv = bp_reallocarray(res->problems, ncap, sizeof(*nv));
        if (!nv) {
            /* A lost problem must still stop the import. */
            im->oom = 1;
            return BP_ENOMEM;
        }
        res->problems = nv;
        im->problems_cap = ncap;
    }
    e = &res->problems[res->nproblems++];
    memset(e, 0, sizeof(*e));
    va_start(ap, fmt);
    bp_error_vset_at(e, BP_EPARSE, im->file, im->row,
                     c < NCOL ? im->fname[c] : NULL, fmt, ap);
    va_end(ap);
    return 0;
}

/* The folded form of `s` (in im->fold, valid until the next call); ""
 * and im->oom set when out of memory, so callers need no check and the
 * import still fails. */
static const char *fold(struct imp *im, const char *s)
{
    if (bp__exchange_fold(s, &im->fold)) {
        im->oom = 1;
        return "";
    }
    return im->fold.data;
}

/* A folded place name without its "thôn", "bản", "xã" word, so "Nà Sla"
 * finds "Thôn Nà Sla". */
static const char *place(const char *f)
{
    static const char *const words[] = {"thon ", "ban ", "xa ", "thi tran "};
    size_t i, n;

    for (i = 0; f && i < sizeof(words) / sizeof(words[0]); i++) {
        n = strlen(words[i]);
        if (!strncmp(f, words[i], n) && f[n])
            return f + n;
    }
    return f;
}

/* Key of a village: commune index and folded name. */
static const char *village_key(struct imp *im, long commune, const char *name)
{
    const char *f = place(fold(im, name));
    char num[24], *p = num + sizeof(num);
    unsigned long c = commune < 0 ? 0UL - (unsigned long)commune
                                  : (unsigned long)commune;

    /* By hand, not printf: this runs for every row of a register. */
    do
        *--p = (char)('0' + c % 10);
    while ((c /= 10) > 0);
    if (commune < 0)
        *--p = '-';
    bp_buf_setlen(&im->tmp, 0);
    if (bp_buf_add(&im->tmp, p, (size_t)(num + sizeof(num) - p)) ||
        bp_buf_addch(&im->tmp, '|') || bp_buf_adds(&im->tmp, f)) {
        im->oom = 1;
        return "";
    }
    return im->tmp.data;
}

static int load_lookups(struct imp *im, struct bp_error *err)
{
    size_t i;
    int rc;

    rc = bp_store_station_list(im->st, &im->stations, &im->nstations, err);
    if (!rc)
        rc = bp_store_commune_list(im->st, &im->communes, &im->ncommunes, err);
    if (!rc && (im->kind == BP_X_CUSTODIANS || im->kind == BP_X_VILLAGES))
        rc = bp_store_village_list(im->st, &im->villages, &im->nvillages, err);
    if (!rc)
        rc = bp_store_marker_list(im->st, &im->markers, &im->nmarkers, err);
    if (!rc && im->kind == BP_X_PLEDGES)
        rc = bp_store_custodian_list(im->st, &im->custodians, &im->ncustodians,
                                     err);
    if (rc)
        goto out;
    for (i = 0; i < im->nstations && !rc; i++) {
        const char *k = fold(im, im->stations[i].code);
        rc = k ? bp__xmap_put(&im->station_by_code, k, (long)i) : BP_ENOMEM;
        if (!rc && !im->stations[i].code[0])
            continue;
    }
    for (i = 0; i < im->ncommunes && !rc; i++) {
        const char *k = fold(im, im->communes[i].code);
        rc = k ? bp__xmap_put(&im->commune_by_key, k, (long)i) : BP_ENOMEM;
        if (!rc) {
            k = fold(im, im->communes[i].name);
            rc = k ? bp__xmap_put(&im->commune_by_key, k, (long)i) : BP_ENOMEM;
            if (!rc && place(k) != k)
                rc = bp__xmap_put(&im->commune_by_key, place(k), (long)i);
        }
        if (!rc)
            rc = bp__xmap_put(&im->commune_by_key, im->communes[i].id, (long)i);
    }
    for (i = 0; i < im->nvillages && !rc; i++) {
        const struct bp_village *v = &im->villages[i];
        long c = bp__xmap_get(&im->commune_by_key, v->commune_id);
        const char *k = village_key(im, c, v->name);

        rc = k ? bp__xmap_put(&im->village_by_key, k, (long)i) : BP_ENOMEM;
        /* By name alone too, for files without a commune column. */
        if (!rc)
            rc = bp__xmap_put(&im->village_by_key, place(fold(im, v->name)),
                              (long)i);
        if (!rc)
            rc = bp__xmap_put(&im->village_by_key, v->id, (long)i);
    }
    for (i = 0; i < im->nmarkers && !rc; i++)
        rc = bp__xmap_put(&im->marker_by_key, im->markers[i].key, (long)i);
    for (i = 0; i < im->ncustodians && !rc; i++) {
        const char *k = fold(im, im->custodians[i].name);
        rc = k ? bp__xmap_put(&im->custodian_by_key, k, (long)i) : BP_ENOMEM;
        if (!rc)
            rc = bp__xmap_put(&im->custodian_by_key, im->custodians[i].id,
                              (long)i);
    }
    if (rc || im->oom) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    if (im->kind != BP_X_STATIONS && im->kind != BP_X_VILLAGES) {
        /* The store's own build of the border: the batch puts check
         * stretches against it too, so it is built once. */
        struct bp_error e2 = {0};
        rc = bp_store_border_length(im->st, &im->length_m, &e2);
        if (!rc) {
            im->have_border = 1;
        } else if (rc == BP_ENOTFOUND) {
            rc = 0;
        } else {
            *err = e2;
        }
    }
out:
    return rc;
}

/* ---- field parsers: each records a problem and returns -1 when bad ---- */

static int get_date(struct imp *im, enum col c, int required, int32_t *day)
{
    if (!im->f[c]) {
        *day = BP_DATE_NONE;
        if (required) {
            problem(im, c, "is empty; a date (dd/mm/yyyy) is required");
            return -1;
        }
        return 0;
    }
    if (bp_date_parse(im->f[c], day)) {
        problem(im, c, "'%s' is not a date (dd/mm/yyyy or yyyy-mm-dd)",
                im->f[c]);
        return -1;
    }
    return 0;
}

static int get_decimal(struct imp *im, enum col c, double lo, double hi,
                       double *out)
{
    double v;

    if (bp_parse_decimal(im->f[c], &v) || !isfinite(v)) {
        problem(im, c, "'%s' is not a number", im->f[c]);
        return -1;
    }
    if (v < lo || v > hi) {
        problem(im, c, "'%s' is outside [%g, %g]", im->f[c], lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

static long find_station(struct imp *im, enum col c)
{
    const char *k = fold(im, im->f[c]);
    long i = k ? bp__xmap_get(&im->station_by_code, k) : -1;

    if (i < 0)
        problem(im, c, "no station with code '%s'", im->f[c]);
    return i < 0 ? -1 : i;
}

static long find_commune(struct imp *im, enum col c)
{
    const char *k = fold(im, im->f[c]);
    long i = k ? bp__xmap_get(&im->commune_by_key, k) : -1;

    if (i == BP__XMAP_AMBIGUOUS)
        problem(im, c, "'%s' names several communes; use the commune code",
                im->f[c]);
    else if (i < 0)
        problem(im, c, "no commune with code or name '%s'", im->f[c]);
    return i < 0 ? -1 : i;
}

/*
 * One end of a stretch from a marker column or a km column. Returns 0
 * with *a filled and its measure resolved, and *marker the index of its
 * marker (-1 by km), 1 when both are empty, -1 when bad (problem
 * recorded).
 */
static int get_anchor(struct imp *im, enum col mc, enum col kc,
                      struct bp_anchor *a, long *marker)
{
    long i;

    *marker = -1;
    if (im->f[mc]) {
        if (bp_anchor_parse(im->f[mc], a)) {
            problem(im, mc,
                    "'%s' is not a marker anchor (e.g. '1120+350' or "
                    "'mốc 1120')",
                    im->f[mc]);
            return -1;
        }
        i = bp__xmap_get(&im->marker_by_key, a->marker_key);
        if (i < 0) {
            problem(im, mc, "no marker '%s'", im->f[mc]);
            return -1;
        }
        a->measure_m = im->markers[i].measure_m + a->offset_m;
        *marker = i;
        return 0;
    }
    if (im->f[kc]) {
        if (bp_anchor_parse_km(im->f[kc], a)) {
            problem(im, kc, "'%s' is not a km measure (e.g. '80,350')",
                    im->f[kc]);
            return -1;
        }
        return 0;
    }
    return 1;
}

/* A stretch [from, to): both ends present, positive length, on the line.
 * `marker` gets the indices of the ends' markers (-1 by km). */
static int get_stretch(struct imp *im, struct bp_anchor *from,
                       struct bp_anchor *to, long marker[2])
{
    int a = get_anchor(im, C_FROM_MARKER, C_FROM_KM, from, &marker[0]);
    int b = get_anchor(im, C_TO_MARKER, C_TO_KM, to, &marker[1]);
    enum col fc = im->f[C_FROM_MARKER] ? C_FROM_MARKER : C_FROM_KM;
    char s1[32], s2[32], s3[32];

    if (a == 1)
        problem(im, im->have[C_FROM_MARKER] ? C_FROM_MARKER : C_FROM_KM,
                "is empty; the start of the stretch is required");
    if (b == 1)
        problem(im, im->have[C_TO_MARKER] ? C_TO_MARKER : C_TO_KM,
                "is empty; the end of the stretch is required");
    if (a || b)
        return -1;
    if (to->measure_m > from->measure_m && im->have_border &&
        from->measure_m >= -END_TOL_M &&
        to->measure_m <= im->length_m + END_TOL_M)
        return 0; /* the common case: no message to format */
    bp_fmt_number(from->measure_m / 1000, 3, BP_LANG_EN, s1, sizeof(s1));
    bp_fmt_number(to->measure_m / 1000, 3, BP_LANG_EN, s2, sizeof(s2));
    if (!(to->measure_m > from->measure_m)) {
        problem(im, fc,
                "the stretch from km %s to km %s has zero or negative "
                "length",
                s1, s2);
        return -1;
    }
    if (!im->have_border) {
        problem(im, fc,
                "there is no border line to place the stretch on; import "
                "one with 'border import'");
        return -1;
    }
    if (from->measure_m < -END_TOL_M ||
        to->measure_m > im->length_m + END_TOL_M) {
        bp_fmt_number(im->length_m / 1000, 3, BP_LANG_EN, s3, sizeof(s3));
        problem(im, fc,
                "the stretch from km %s to km %s goes beyond the border's "
                "ends (km 0 to km %s)",
                s1, s2, s3);
        return -1;
    }
    return 0;
}

static char *dup_field(struct imp *im, enum col c, int *oom)
{
    char *s;

    if (!im->f[c])
        return NULL;
    s = bp_strdup(im->f[c]);
    if (!s)
        *oom = 1;
    return s;
}

static int check_id(struct imp *im, bp_uuid id)
{
    if (!im->f[C_ID])
        return 0;
    if (!bp_uuid_valid(im->f[C_ID])) {
        problem(im, C_ID, "'%s' is not a UUID", im->f[C_ID]);
        return -1;
    }
    snprintf(id, sizeof(bp_uuid), "%s", im->f[C_ID]);
    return 0;
}

/* 0 when the code in column `c` of the current row has not come before
 * in the file (and remember it), else -1 with the problem reported;
 * `what` names the code ("station code"). */
static int first_in_file(struct imp *im, enum col c, const char *what,
                         int *oom)
{
    const char *k = fold(im, im->f[c]);

    if (bp__xmap_get(&im->seen, k) >= 0) {
        problem(im, c, "%s '%s' appears twice in the file", what, im->f[c]);
        return -1;
    }
    if (bp__xmap_put(&im->seen, k, im->row))
        *oom = 1;
    return 0;
}

/* ---- one row of each kind ---- */

static int row_station(struct imp *im, int *oom)
{
    struct bp_station *r;
    int bad = 0;

    if (!im->f[C_CODE])
        problem(im, C_CODE, "is empty; a station code is required"), bad = -1;
    if (!im->f[C_NAME])
        problem(im, C_NAME, "is empty; a name is required"), bad = -1;
    if (im->f[C_CODE] && first_in_file(im, C_CODE, "station code", oom))
        bad = -1;
    if (bad)
        return -1;
    r = vec_push(&im->recs, im->row);
    if (!r)
        return *oom = 1, -1;
    r->ended_on = BP_DATE_NONE;
    check_id(im, r->id);
    {
        long i = bp__xmap_get(&im->station_by_code, fold(im, im->f[C_CODE]));
        if (i >= 0 && !r->id[0])
            memcpy(r->id, im->stations[i].id, sizeof(r->id));
    }
    r->code = dup_field(im, C_CODE, oom);
    r->name = dup_field(im, C_NAME, oom);
    return 0;
}

static int row_commune(struct imp *im, int *oom)
{
    struct bp_commune *r;
    struct bp_anchor from, to;
    long st = -1, marker[2];
    int bad = 0;

    if (!im->f[C_CODE])
        problem(im, C_CODE, "is empty; the commune code is required"), bad = -1;
    if (!im->f[C_NAME])
        problem(im, C_NAME, "is empty; a name is required"), bad = -1;
    if (im->f[C_STATION] && (st = find_station(im, C_STATION)) < 0)
        bad = -1;
    if (get_stretch(im, &from, &to, marker))
        bad = -1;
    if (im->f[C_CODE] && first_in_file(im, C_CODE, "commune code", oom))
        bad = -1;
    if (bad)
        return -1;
    r = vec_push(&im->recs, im->row);
    if (!r)
        return *oom = 1, -1;
    r->ended_on = BP_DATE_NONE;
    check_id(im, r->id);
    {
        long i = bp__xmap_get(&im->commune_by_key, fold(im, im->f[C_CODE]));
        if (i >= 0 && !r->id[0] && !strcmp(im->communes[i].code, im->f[C_CODE]))
            memcpy(r->id, im->communes[i].id, sizeof(r->id));
    }
    r->code = dup_field(im, C_CODE, oom);
    r->name = dup_field(im, C_NAME, oom);
    r->district = dup_field(im, C_DISTRICT, oom);
    if (st >= 0)
        memcpy(r->station_id, im->stations[st].id, sizeof(r->station_id));
    r->from = from;
    r->to = to;
    return 0;
}

static int row_village(struct imp *im, int *oom)
{
    struct bp_village *r;
    long c = -1;
    int bad = 0;

    if (!im->f[C_NAME])
        problem(im, C_NAME, "is empty; a village name is required"), bad = -1;
    if (!im->f[C_COMMUNE])
        problem(im, C_COMMUNE, "is empty; the commune is required"), bad = -1;
    else if ((c = find_commune(im, C_COMMUNE)) < 0)
        bad = -1;
    if (bad)
        return -1;
    r = vec_push(&im->recs, im->row);
    if (!r)
        return *oom = 1, -1;
    r->ended_on = BP_DATE_NONE;
    check_id(im, r->id);
    if (!r->id[0]) {
        /* Re-importing a village updates it rather than doubling it. */
        long v = bp__xmap_get(&im->village_by_key,
                              village_key(im, c, im->f[C_NAME]));
        if (v >= 0)
            memcpy(r->id, im->villages[v].id, sizeof(r->id));
    }
    r->name = dup_field(im, C_NAME, oom);
    memcpy(r->commune_id, im->communes[c].id, sizeof(r->commune_id));
    return 0;
}

static int row_marker(struct imp *im, int *oom)
{
    struct bp_marker *r;
    enum bp_marker_kind kind = BP_MARKER_MAIN;
    char key[32];
    double lon = 0, lat = 0, km = NAN;
    long existing = -1;
    int bad = 0;

    if (!im->f[C_NUMBER]) {
        problem(im, C_NUMBER, "is empty; the marker number is required");
        bad = -1;
    } else if (bp_marker_key(im->f[C_NUMBER], key, sizeof(key))) {
        problem(im, C_NUMBER, "'%s' is not a marker number", im->f[C_NUMBER]);
        bad = -1;
    } else if (bp__xmap_get(&im->seen, key) >= 0) {
        problem(im, C_NUMBER, "marker '%s' appears twice in the file (row %ld)",
                im->f[C_NUMBER], bp__xmap_get(&im->seen, key));
        bad = -1;
    } else {
        if (bp__xmap_put(&im->seen, key, im->row))
            *oom = 1;
        existing = bp__xmap_get(&im->marker_by_key, key);
        if (existing >= 0 && !(im->opts && im->opts->update)) {
            problem(im, C_NUMBER,
                    "marker '%s' is already in the database (use --update "
                    "to move markers)",
                    im->f[C_NUMBER]);
            bad = -1;
        }
    }
    if (im->f[C_KIND] && bp_marker_kind_parse(im->f[C_KIND], &kind)) {
        problem(im, C_KIND, "'%s' is not a marker kind (chính, phụ, đôi)",
                im->f[C_KIND]);
        bad = -1;
    }
    if (!im->f[C_LON])
        problem(im, C_LON, "is empty; the longitude is required"), bad = -1;
    else if (get_decimal(im, C_LON, -180, 180, &lon))
        bad = -1;
    if (!im->f[C_LAT])
        problem(im, C_LAT, "is empty; the latitude is required"), bad = -1;
    else if (get_decimal(im, C_LAT, -90, 90, &lat))
        bad = -1;
    if (im->f[C_OFFICIAL_KM] && get_decimal(im, C_OFFICIAL_KM, 0, 1e6, &km))
        bad = -1;
    if (bad)
        return -1;
    r = vec_push(&im->recs, im->row);
    if (!r)
        return *oom = 1, -1;
    if (existing >= 0)
        memcpy(r->id, im->markers[existing].id, sizeof(r->id));
    r->number = dup_field(im, C_NUMBER, oom);
    memcpy(r->key, key, sizeof(key));
    r->kind = kind;
    r->lon = lon;
    r->lat = lat;
    r->measure_m = NAN;
    r->offset_m = NAN;
    r->official_m = isnan(km) ? NAN : km * 1000.0;
    r->ended_on = BP_DATE_NONE;
    return 0;
}

/* The pledge columns of the current row into `q` (owner not set).
 * Returns 1 when the row carries no pledge, 0 when it does, -1 when bad. */
static int pledge_fields(struct imp *im, struct packed_pledge *q)
{
    struct bp_anchor from, to;
    int32_t signed_on, ended_on;
    long marker[2], st = -1;
    int bad = 0;

    if (!im->f[C_FROM_MARKER] && !im->f[C_TO_MARKER] && !im->f[C_FROM_KM] &&
        !im->f[C_TO_KM] && !im->f[C_SIGNED] && im->kind == BP_X_CUSTODIANS)
        return 1;
    if (get_stretch(im, &from, &to, marker))
        bad = -1;
    if (get_date(im, C_SIGNED, 1, &signed_on))
        bad = -1;
    if (get_date(im, C_ENDED, 0, &ended_on))
        bad = -1;
    if (!bad && ended_on != BP_DATE_NONE && ended_on < signed_on) {
        char d1[16], d2[16];
        problem(im, C_ENDED, "the end date %s is before the signing date %s",
                bp_date_format_vi(ended_on, d1),
                bp_date_format_vi(signed_on, d2));
        bad = -1;
    }
    if (im->f[C_STATION] && (st = find_station(im, C_STATION)) < 0)
        bad = -1;
    if (bad)
        return -1;
    q->from_offset_m = from.offset_m;
    q->from_m = from.measure_m;
    q->to_offset_m = to.offset_m;
    q->to_m = to.measure_m;
    q->from_marker = (int32_t)marker[0];
    q->to_marker = (int32_t)marker[1];
    q->signed_on = signed_on;
    q->ended_on = ended_on;
    q->station = (int32_t)st;
    q->doc_no = stash(im, C_DOC);
    q->note = stash(im, C_NOTE);
    return 0;
}

static int custodian_kind(struct imp *im, struct bp_custodian *r,
                          const char **name, enum col *name_col)
{
    enum bp_collective_kind ck = BP_COLL_OTHER;

    if (im->f[C_HH_NAME]) {
        r->kind = BP_HOUSEHOLD;
        *name = im->f[C_HH_NAME];
        *name_col = C_HH_NAME;
        return 0;
    }
    if (im->f[C_COLL_NAME]) {
        *name = im->f[C_COLL_NAME];
        *name_col = C_COLL_NAME;
    } else if (im->f[C_NAME]) {
        const char *k = im->f[C_KIND] ? fold(im, im->f[C_KIND]) : "";
        *name = im->f[C_NAME];
        *name_col = C_NAME;
        if (!*k || !strcmp(k, "household") || !strcmp(k, "ho") ||
            !strcmp(k, "ho gia dinh")) {
            r->kind = BP_HOUSEHOLD;
            return 0;
        }
    } else {
        problem(im, im->have[C_HH_NAME] ? C_HH_NAME : C_NAME,
                "is empty; the head of household's or the collective's "
                "name is required");
        return -1;
    }
    r->kind = BP_COLLECTIVE;
    if (im->f[C_KIND] && bp_collective_kind_parse(im->f[C_KIND], &ck)) {
        problem(im, C_KIND,
                "'%s' is not a kind of collective (youth_union, "
                "self_managed, militia, school, women_union, unit, other)",
                im->f[C_KIND]);
        return -1;
    }
    r->collective_kind = ck;
    return 0;
}

static int row_custodian(struct imp *im, int *oom)
{
    struct bp_custodian c;
    struct packed_pledge q;
    struct packed_custodian *r;
    const char *name = NULL;
    enum col name_col = C_NAME;
    long com = -1, vil = -1;
    int bad = 0, com_bad = 0, hasp;

    memset(&c, 0, sizeof(c));
    memset(&q, 0, sizeof(q));
    if (custodian_kind(im, &c, &name, &name_col))
        bad = -1;
    if (im->f[C_COMMUNE] && (com = find_commune(im, C_COMMUNE)) < 0)
        com_bad = 1, bad = -1;
    if (im->f[C_VILLAGE] && !com_bad) {
        const char *k = com >= 0 ? village_key(im, com, im->f[C_VILLAGE])
                                 : place(fold(im, im->f[C_VILLAGE]));
        vil = k ? bp__xmap_get(&im->village_by_key, k) : -1;
        if (vil == BP__XMAP_AMBIGUOUS) {
            problem(im, C_VILLAGE,
                    "several villages are named '%s'; give the commune in "
                    "column 'xa'",
                    im->f[C_VILLAGE]);
            bad = -1;
        } else if (vil < 0) {
            problem(im, C_VILLAGE, "no village '%s'%s", im->f[C_VILLAGE],
                    com >= 0 ? " in that commune" : "");
            bad = -1;
        }
    }
    if (!bad && c.kind == BP_HOUSEHOLD && vil < 0 && com < 0) {
        problem(im, im->have[C_VILLAGE] ? C_VILLAGE : name_col,
                "a household needs its village (thon) or commune (xa)");
        bad = -1;
    }
    if (!bad && c.kind == BP_COLLECTIVE && com < 0 && vil < 0) {
        problem(im, im->have[C_COMMUNE] ? C_COMMUNE : name_col,
                "a collective needs its commune (xa)");
        bad = -1;
    }
    if (im->f[C_MEMBERS]) {
        char *end;
        long m;
        errno = 0;
        m = strtol(im->f[C_MEMBERS], &end, 10);
        if (errno || *end || m < 1 || m > 1000) {
            problem(im, C_MEMBERS, "'%s' is not a number of people (1-1000)",
                    im->f[C_MEMBERS]);
            bad = -1;
        }
        c.members = (int)m;
    } else if (c.kind == BP_HOUSEHOLD && im->have[C_MEMBERS]) {
        c.members = 0;
    }
    if (im->f[C_CITIZEN] && bp_citizen_id_check(im->f[C_CITIZEN])) {
        problem(im, C_CITIZEN,
                "'%s' is not a citizen ID (12 digits, or 9 for an old ID "
                "card)",
                im->f[C_CITIZEN]);
        bad = -1;
    }
    if (check_id(im, c.id))
        bad = -1;
    hasp = pledge_fields(im, &q);
    if (hasp < 0)
        bad = -1;
    if (bad)
        return -1;
    r = vec_push(&im->recs, im->row);
    if (!r)
        return *oom = 1, -1;
    r->kind = (unsigned char)c.kind;
    r->collective_kind = (unsigned char)c.collective_kind;
    r->members = c.members;
    r->id = stash(im, C_ID);
    /* The name is in one of three columns. */
    r->name = stash(im, name_col);
    r->phone = stash(im, C_PHONE);
    r->citizen_id = stash(im, C_CITIZEN);
    r->contact = stash(im, C_CONTACT);
    if (vil >= 0 && com < 0)
        com = bp__xmap_get(&im->commune_by_key, im->villages[vil].commune_id);
    r->village = (int32_t)vil;
    r->commune = (int32_t)(com >= 0 ? com : -1);
    if (hasp == 0) {
        struct packed_pledge *p = vec_push(&im->pledges, im->row);
        if (!p)
            return *oom = 1, -1;
        *p = q;
        p->owner = (int32_t)(im->recs.n - 1);
    }
    return 0;
}

static int row_pledge(struct imp *im, int *oom)
{
    struct packed_pledge q, *r;
    bp_uuid id;
    long c = -1;
    int bad = 0;

    memset(&q, 0, sizeof(q));
    id[0] = '\0';
    if (!im->f[C_CUSTODIAN]) {
        problem(im, C_CUSTODIAN, "is empty; the custodian is required");
        bad = -1;
    } else {
        const char *k = bp_uuid_valid(im->f[C_CUSTODIAN])
                            ? im->f[C_CUSTODIAN]
                            : fold(im, im->f[C_CUSTODIAN]);
        c = k ? bp__xmap_get(&im->custodian_by_key, k) : -1;
        if (c == BP__XMAP_AMBIGUOUS)
            problem(im, C_CUSTODIAN,
                    "several custodians are named '%s'; use the custodian's "
                    "id",
                    im->f[C_CUSTODIAN]);
        else if (c < 0)
            problem(im, C_CUSTODIAN, "no custodian '%s'", im->f[C_CUSTODIAN]);
        if (c < 0)
            bad = -1;
    }
    if (check_id(im, id))
        bad = -1;
    if (pledge_fields(im, &q) < 0)
        bad = -1;
    if (bad)
        return -1;
    r = vec_push(&im->recs, im->row);
    if (!r)
        return *oom = 1, -1;
    *r = q;
    r->id = stash(im, C_ID);
    r->owner = (int32_t)c;
    return 0;
}

static int one_row(struct imp *im, int *oom)
{
    switch (im->kind) {
    case BP_X_STATIONS:
        return row_station(im, oom);
    case BP_X_COMMUNES:
        return row_commune(im, oom);
    case BP_X_VILLAGES:
        return row_village(im, oom);
    case BP_X_MARKERS:
        return row_marker(im, oom);
    case BP_X_CUSTODIANS:
        return row_custodian(im, oom);
    case BP_X_PLEDGES:
        return row_pledge(im, oom);
    default:
        return -1;
    }
}

/* Communes of the file must not overlap each other or the stored ones
 * (other than those the file replaces). */
static int cmp_stretch(const void *a, const void *b)
{
    const double *x = a, *y = b;

    return (x[0] > y[0]) - (x[0] < y[0]);
}

static int check_commune_overlaps(struct imp *im)
{
    size_t n = 0, i;
    double *v; /* from, to, index (>= 0 file record, < 0 stored) */
    struct bp_commune *recs = im->recs.v;

    v = bp_calloc((im->recs.n + im->ncommunes) * 3 + 3, sizeof(double));
    if (!v)
        return BP_ENOMEM;
    for (i = 0; i < im->recs.n; i++, n++) {
        v[3 * n] = recs[i].from.measure_m;
        v[3 * n + 1] = recs[i].to.measure_m;
        v[3 * n + 2] = (double)i;
    }
    for (i = 0; i < im->ncommunes; i++) {
        const char *k;
        if (im->communes[i].ended_on != BP_DATE_NONE)
            continue;
        k = fold(im, im->communes[i].code);
        if (k && bp__xmap_get(&im->seen, k) >= 0)
            continue; /* replaced by the file */
        v[3 * n] = im->communes[i].from.measure_m;
        v[3 * n + 1] = im->communes[i].to.measure_m;
        v[3 * n + 2] = -1.0 - (double)i;
        n++;
    }
    qsort(v, n, 3 * sizeof(double), cmp_stretch);
    for (i = 1; i < n; i++) {
        double *a = &v[3 * (i - 1)], *b = &v[3 * i];
        double *mine = b[2] >= 0 ? b : a, *other = mine == b ? a : b;
        const char *oname;
        char s1[32], s2[32];

        if (b[0] >= a[1] - 0.001 || mine[2] < 0)
            continue;
        oname = other[2] >= 0 ? recs[(size_t)other[2]].code
                              : im->communes[(size_t)(-1.0 - other[2])].code;
        im->row = im->recs.rows[(size_t)mine[2]];
        bp_fmt_number(other[0] / 1000, 3, BP_LANG_EN, s1, sizeof(s1));
        bp_fmt_number(other[1] / 1000, 3, BP_LANG_EN, s2, sizeof(s2));
        problem(im, im->have[C_FROM_MARKER] ? C_FROM_MARKER : C_FROM_KM,
                "the stretch of commune '%s' overlaps commune '%s' (km %s "
                "to km %s)",
                recs[(size_t)mine[2]].code, oname, s1, s2);
        if (b[1] < a[1]) {
            /* keep the longer one as the reference for the next */
            memcpy(b, a, 3 * sizeof(double));
        }
    }
    bp_free(v);
    return 0;
}

static void free_recs(struct imp *im)
{
    size_t i;

    /* Packed records own nothing: their strings are in the arena. */
    for (i = 0; i < im->recs.n && !is_packed(im->kind); i++) {
        void *r = (char *)im->recs.v + i * im->recs.size;
        switch (im->kind) {
        case BP_X_STATIONS:
            bp_station_release(r);
            break;
        case BP_X_COMMUNES:
            bp_commune_release(r);
            break;
        case BP_X_VILLAGES:
            bp_village_release(r);
            break;
        case BP_X_MARKERS:
            bp_marker_release(r);
            break;
        default:
            break;
        }
    }
    bp_free(im->recs.v);
    bp_free(im->recs.rows);
    bp_free(im->pledges.v);
    bp_free(im->pledges.rows);
}

/* Name the file row of batch record `err->row` (1-based, of the `n`
 * records whose file rows are `rows`) in `err`. */
static void batch_row(const struct imp *im, const long *rows, size_t n,
                      struct bp_error *err)
{
    if (err->row >= 1 && (size_t)err->row <= n)
        err->row = rows[err->row - 1];
    snprintf(err->file, sizeof(err->file), "%s", im->file);
}

/* Custodian `r` as the store takes it; its strings are borrowed from the
 * arena. */
static void unpack_custodian(const struct imp *im,
                             const struct packed_custodian *r,
                             struct bp_custodian *c)
{
    memset(c, 0, sizeof(*c));
    if (r->id)
        snprintf(c->id, sizeof(c->id), "%s", unstash(im, r->id));
    c->kind = (enum bp_custodian_kind)r->kind;
    c->collective_kind = (enum bp_collective_kind)r->collective_kind;
    c->members = r->members;
    c->name = unstash(im, r->name);
    c->phone = unstash(im, r->phone);
    c->citizen_id = unstash(im, r->citizen_id);
    c->contact = unstash(im, r->contact);
    c->ended_on = BP_DATE_NONE;
    if (r->village >= 0)
        memcpy(c->village_id, im->villages[r->village].id,
               sizeof(c->village_id));
    if (r->commune >= 0)
        memcpy(c->commune_id, im->communes[r->commune].id,
               sizeof(c->commune_id));
}

static void unpack_anchor(const struct imp *im, int32_t marker, double offset_m,
                          double measure_m, struct bp_anchor *a)
{
    if (marker >= 0)
        memcpy(a->marker_key, im->markers[marker].key, sizeof(a->marker_key));
    a->offset_m = offset_m;
    a->measure_m = measure_m;
}

/* Pledge `r` as the store takes it, its custodian_id left empty; strings
 * borrowed from the arena. */
static void unpack_pledge(const struct imp *im, const struct packed_pledge *r,
                          struct bp_pledge *p)
{
    memset(p, 0, sizeof(*p));
    if (r->id)
        snprintf(p->id, sizeof(p->id), "%s", unstash(im, r->id));
    unpack_anchor(im, r->from_marker, r->from_offset_m, r->from_m, &p->from);
    unpack_anchor(im, r->to_marker, r->to_offset_m, r->to_m, &p->to);
    p->signed_on = r->signed_on;
    p->ended_on = r->ended_on;
    if (r->station >= 0)
        memcpy(p->station_id, im->stations[r->station].id,
               sizeof(p->station_id));
    p->doc_no = unstash(im, r->doc_no);
    p->note = unstash(im, r->note);
}

/*
 * Write the packed records, WRITE_CHUNK at a time through the store's
 * batch puts: custodians, then the pledges on their rows with the ids the
 * custodians were given; or pledges. Inside the caller's transaction.
 */
static int write_packed(struct imp *im, struct bp_error *err)
{
    int custodians = im->kind == BP_X_CUSTODIANS;
    const struct packed_custodian *cs = im->recs.v;
    const struct packed_pledge *ps = custodians ? im->pledges.v : im->recs.v;
    const long *prows = custodians ? im->pledges.rows : im->recs.rows;
    size_t nc = custodians ? im->recs.n : 0;
    size_t np = custodians ? im->pledges.n : im->recs.n;
    struct bp_custodian *cv = NULL;
    struct bp_pledge *pv = NULL;
    size_t c0 = 0, c1, p0 = 0, p1, i;
    int rc = 0;

    pv = bp_calloc(WRITE_CHUNK, sizeof(*pv));
    if (custodians)
        cv = bp_calloc(WRITE_CHUNK, sizeof(*cv));
    if (!pv || (custodians && !cv)) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    do {
        c1 = c0;
        if (custodians) {
            c1 = nc - c0 > WRITE_CHUNK ? c0 + WRITE_CHUNK : nc;
            for (i = c0; i < c1; i++)
                unpack_custodian(im, &cs[i], &cv[i - c0]);
            rc = bp_store_custodian_put_many(im->st, cv, c1 - c0, err);
            if (rc) {
                batch_row(im, im->recs.rows + c0, c1 - c0, err);
                break;
            }
        }
        /* The pledges on these custodians' rows (in the same order, at
         * most one a row) with the ids they were given; or the next
         * pledges of a pledge file. */
        for (p1 = p0; p1 < np && p1 - p0 < WRITE_CHUNK; p1++) {
            const char *owner;
            if (custodians && (size_t)ps[p1].owner >= c1)
                break;
            owner = custodians ? cv[(size_t)ps[p1].owner - c0].id
                               : im->custodians[ps[p1].owner].id;
            unpack_pledge(im, &ps[p1], &pv[p1 - p0]);
            memcpy(pv[p1 - p0].custodian_id, owner, sizeof(pv[0].custodian_id));
        }
        if (p1 > p0) {
            rc = bp_store_pledge_put_many(im->st, pv, p1 - p0, err);
            if (rc)
                batch_row(im, prows + p0, p1 - p0, err);
        }
        p0 = p1;
        c0 = c1;
    } while (!rc && (custodians ? c0 < nc : p0 < np));
out:
    bp_free(cv);
    bp_free(pv);
    return rc;
}

/* Write the checked records; inside the caller's transaction. */
static int write_recs(struct imp *im, struct bp_error *err)
{
    size_t i;
    int rc = 0;

    if (is_packed(im->kind))
        return write_packed(im, err);
    for (i = 0; i < im->recs.n && !rc; i++) {
        void *r = (char *)im->recs.v + i * im->recs.size;
        switch (im->kind) {
        case BP_X_STATIONS:
            rc = bp_store_station_put(im->st, r, err);
            break;
        case BP_X_COMMUNES:
            rc = bp_store_commune_put(im->st, r, err);
            break;
        case BP_X_VILLAGES:
            rc = bp_store_village_put(im->st, r, err);
            break;
        case BP_X_MARKERS:
            rc = bp_store_marker_put(im->st, r, err);
            break;
        default:
            break;
        }
        if (rc && !err->row) {
            err->row = im->recs.rows[i];
            snprintf(err->file, sizeof(err->file), "%s", im->file);
        }
    }
    if (!rc && im->kind == BP_X_MARKERS) {
        if (!im->have_border)
            rc = bp_error_set_at(err, BP_ENOTFOUND, im->file, 0, NULL,
                                 "there is no border line to place the "
                                 "markers on; import one with 'border "
                                 "import'");
        else
            rc = bp_store_resurvey(
                im->st, 0.5, im->opts ? im->opts->changed : NULL,
                im->opts ? im->opts->changed_ctx : NULL, err);
    }
    return rc;
}

/* Match the file's header against the kind's columns. `colmap[i]` gets
 * the column id of file column i, or NCOL. */
static int map_header(struct imp *im, const char *const *names, size_t n,
                      int *colmap)
{
    const struct kinddef *kd = &kinddefs[im->kind];
    size_t i, j;

    for (i = 0; i < n; i++) {
        const char *h = fold(im, names[i]);
        colmap[i] = NCOL;
        if (im->oom)
            return BP_ENOMEM;
        for (j = 0; j < kd->ncols && colmap[i] == NCOL; j++) {
            const char *a = kd->cols[j].aliases;
            size_t hl = strlen(h);
            while (*a) {
                size_t al = strcspn(a, "|");
                if (al == hl && !strncmp(a, h, al) &&
                    !im->have[kd->cols[j].id]) {
                    colmap[i] = (int)kd->cols[j].id;
                    im->have[kd->cols[j].id] = 1;
                    /* Copied: the header may go before the messages. */
                    snprintf(im->shown[kd->cols[j].id], sizeof(im->shown[0]),
                             "%s", names[i]);
                    im->fname[kd->cols[j].id] = im->shown[kd->cols[j].id];
                    break;
                }
                a += al;
                if (*a == '|')
                    a++;
            }
        }
    }
    /* Columns the file lacks are named by their first alias. */
    for (j = 0; j < kd->ncols; j++) {
        enum col c = kd->cols[j].id;
        if (!im->fname[c]) {
            char *shown = im->shown[c];
            const char *a = kd->cols[j].aliases;
            size_t k, al = strcspn(a, "|");
            if (al >= sizeof(im->shown[0]))
                al = sizeof(im->shown[0]) - 1;
            for (k = 0; k < al; k++)
                shown[k] = a[k] == ' ' ? '_' : a[k];
            shown[al] = '\0';
            im->fname[c] = shown;
        }
    }
    return 0;
}

static int need_columns(struct imp *im)
{
    static const enum col needs[][3] = {
        [BP_X_STATIONS] = {C_CODE, C_NAME, NCOL},
        [BP_X_COMMUNES] = {C_CODE, C_NAME, NCOL},
        [BP_X_VILLAGES] = {C_NAME, C_COMMUNE, NCOL},
        [BP_X_MARKERS] = {C_NUMBER, C_LON, C_LAT},
        [BP_X_CUSTODIANS] = {NCOL, NCOL, NCOL},
        [BP_X_PLEDGES] = {C_CUSTODIAN, C_SIGNED, NCOL},
    };
    int bad = 0, k;

    im->row = 1;
    for (k = 0; k < 3; k++) {
        enum col c = needs[im->kind][k];
        if (c != NCOL && !im->have[c]) {
            problem(im, c, "the file has no column '%s'", im->fname[c]);
            bad = -1;
        }
    }
    if (im->kind == BP_X_CUSTODIANS && !im->have[C_HH_NAME] &&
        !im->have[C_COLL_NAME] && !im->have[C_NAME]) {
        problem(im, C_HH_NAME,
                "the file has no column 'ho_ten_chu_ho', 'ten_tap_the' or "
                "'name'");
        bad = -1;
    }
    if ((im->kind == BP_X_COMMUNES || im->kind == BP_X_PLEDGES) &&
        ((!im->have[C_FROM_MARKER] && !im->have[C_FROM_KM]) ||
         (!im->have[C_TO_MARKER] && !im->have[C_TO_KM]))) {
        problem(im, C_FROM_MARKER,
                "the file needs columns 'tu_moc'/'tu_km' and "
                "'den_moc'/'den_km'");
        bad = -1;
    }
    return bad;
}

static void progress(struct imp *im, long rows)
{
    if (im->opts && im->opts->progress)
        im->opts->progress(im->opts->progress_ctx, rows);
}

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* Trim spaces around a copied property value, in place. */
static const char *trim(char *s)
{
    size_t n;

    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return *s ? s : NULL;
}

static int read_csv(struct imp *im, const char *path, struct bp_error *err)
{
    struct bp_csv *csv = NULL;
    struct bp_csv_opts copts = {0};
    int *colmap = NULL, rc, oom = 0;
    size_t ncols = 0, i;
    const char **names = NULL;

    if (im->opts && im->opts->encoding &&
        bp_csv_parse_encoding(im->opts->encoding, &copts.encoding)) {
        rc = bp_error_set(err, BP_EINVAL,
                          "'%s' is not an encoding (utf-8, windows-1258, "
                          "tcvn3, utf-16)",
                          im->opts->encoding);
        goto out;
    }
    rc = bp_csv_open(path, &copts, &csv, err);
    if (rc)
        goto out;
    ncols = bp_csv_ncols(csv);
    names = bp_calloc(ncols + 1, sizeof(*names));
    colmap = bp_calloc(ncols + 1, sizeof(*colmap));
    if (!names || !colmap) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < ncols; i++)
        names[i] = bp_csv_header(csv, i);
    rc = map_header(im, names, ncols, colmap);
    if (rc) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    if (need_columns(im))
        goto out;
    {
        /* A row of a register is rarely under 40 bytes: reserve for the
         * rows the file can hold (untouched memory costs nothing). */
        struct stat sb;
        if (!stat(path, &sb) && sb.st_size > 0) {
            size_t est = (size_t)sb.st_size / 40 + 16;
            vec_reserve(&im->recs, est);
            if (im->kind == BP_X_CUSTODIANS)
                vec_reserve(&im->pledges, est);
            /* The fields kept are a part of the file (a failure here
             * is not an error: the arena grows on demand). */
            if (is_packed(im->kind))
                bp_buf_grow(&im->arena, (size_t)sb.st_size);
        }
    }
    while ((rc = bp_csv_next(csv, err)) == 1) {
        im->row = bp_csv_row(csv);
        memset(im->f, 0, sizeof(im->f));
        for (i = 0; i < ncols; i++)
            if (colmap[i] != NCOL)
                im->f[colmap[i]] = nonempty(bp_csv_field(csv, i));
        im->res->rows++;
        one_row(im, &oom);
        if (oom || im->oom) {
            rc = bp_error_set(err, BP_ENOMEM, "out of memory");
            goto out;
        }
        if (!(im->res->rows % 20000))
            progress(im, im->res->rows);
    }
    if (rc == BP_EPARSE) {
        /* A broken row ends the reading; it is one more bad row. */
        struct bp_import_result *res = im->res;
        im->row = err->row;
        problem(im, NCOL, "%s", err->message);
        if (res->nproblems && err->field[0])
            snprintf(res->problems[res->nproblems - 1].field,
                     sizeof(err->field), "%s", err->field);
        rc = 0;
    }
out:
    bp_free(names);
    bp_free(colmap);
    bp_csv_close(csv);
    return rc < 0 ? rc : 0;
}

/* Markers from GeoJSON: a FeatureCollection of Points (or one Feature). */
static int read_geojson(struct imp *im, const char *path, struct bp_error *err)
{
    static const char *const props[][4] = {
        {"number", "so_moc", "so", NULL},
        {"kind", "loai", NULL, NULL},
        {"official_km", "km_chinh_thuc", NULL, NULL},
    };
    static const enum col pcol[] = {C_NUMBER, C_KIND, C_OFFICIAL_KM};
    json_error_t je;
    json_t *root = NULL, *feats, *one = NULL;
    char buf[3][64], lonb[40], latb[40];
    size_t i, k;
    int rc = 0, oom = 0;

    root = json_load_file(path, 0, &je);
    if (!root) {
        rc = bp_error_set_at(err, BP_EPARSE, im->file, je.line, NULL,
                             "not GeoJSON: %s", je.text);
        goto out;
    }
    feats = json_object_get(root, "features");
    if (!json_is_array(feats)) {
        one = json_array();
        json_array_append(one, root);
        feats = one;
    }
    im->fname[C_NUMBER] = "number";
    im->fname[C_KIND] = "kind";
    im->fname[C_OFFICIAL_KM] = "official_km";
    im->fname[C_LON] = "coordinates";
    im->fname[C_LAT] = "coordinates";
    for (i = 0; i < json_array_size(feats); i++) {
        json_t *f = json_array_get(feats, i);
        json_t *g = json_object_get(f, "geometry");
        json_t *pr = json_object_get(f, "properties");
        json_t *co = json_object_get(g, "coordinates");

        im->row = (long)i + 1;
        im->res->rows++;
        memset(im->f, 0, sizeof(im->f));
        for (k = 0; k < 3; k++) {
            json_t *v = NULL;
            size_t a;
            for (a = 0; props[k][a] && !v; a++) {
                v = json_object_get(pr, props[k][a]);
                if (v)
                    im->fname[pcol[k]] = props[k][a];
            }
            if (json_is_string(v))
                snprintf(buf[k], sizeof(buf[k]), "%s", json_string_value(v));
            else if (json_is_number(v))
                snprintf(buf[k], sizeof(buf[k]), "%.17g", json_number_value(v));
            else
                continue;
            im->f[pcol[k]] = trim(buf[k]);
        }
        if (!json_is_string(json_object_get(g, "type")) ||
            strcmp(json_string_value(json_object_get(g, "type")), "Point") ||
            json_array_size(co) < 2 || !json_is_number(json_array_get(co, 0)) ||
            !json_is_number(json_array_get(co, 1))) {
            problem(im, C_LON, "feature %zu is not a Point", i + 1);
            continue;
        }
        snprintf(lonb, sizeof(lonb), "%.17g",
                 json_number_value(json_array_get(co, 0)));
        snprintf(latb, sizeof(latb), "%.17g",
                 json_number_value(json_array_get(co, 1)));
        im->f[C_LON] = lonb;
        im->f[C_LAT] = latb;
        row_marker(im, &oom);
        if (oom || im->oom) {
            rc = bp_error_set(err, BP_ENOMEM, "out of memory");
            goto out;
        }
    }
out:
    json_decref(one);
    json_decref(root);
    return rc;
}

static int is_geojson(const char *path)
{
    const char *dot = strrchr(path, '.');
    FILE *fp;
    int c = 0;

    if (dot && (!strcmp(dot, ".geojson") || !strcmp(dot, ".json")))
        return 1;
    fp = fopen(path, "rb");
    if (!fp)
        return 0;
    while ((c = fgetc(fp)) == ' ' || c == '\n' || c == '\r' || c == '\t')
        ;
    fclose(fp);
    return c == '{';
}

int bp_import_file(struct bp_store *st, enum bp_exchange_kind kind,
                   const char *path, const struct bp_import_opts *opts,
                   struct bp_import_result *res, struct bp_error *err)
{
    static const size_t sizes[] = {
        [BP_X_STATIONS] = sizeof(struct bp_station),
        [BP_X_COMMUNES] = sizeof(struct bp_commune),
        [BP_X_VILLAGES] = sizeof(struct bp_village),
        [BP_X_MARKERS] = sizeof(struct bp_marker),
        [BP_X_CUSTODIANS] = sizeof(struct packed_custodian),
        [BP_X_PLEDGES] = sizeof(struct packed_pledge),
    };
    struct imp im;
    const char *slash;
    int rc, in_tx = 0;

    memset(res, 0, sizeof(*res));
    if (!st || !path || (unsigned)kind > BP_X_PLEDGES)
        return bp_error_set(err, BP_EINVAL, "bad arguments to import");
    memset(&im, 0, sizeof(im));
    im.st = st;
    im.kind = kind;
    im.opts = opts;
    im.res = res;
    slash = strrchr(path, '/');
    im.file = slash ? slash + 1 : path;
    im.recs.size = sizes[kind];
    im.pledges.size = sizeof(struct packed_pledge);
    bp_buf_init(&im.fold);
    bp_buf_init(&im.tmp);
    bp_buf_init(&im.arena);
    bp__xmap_init(&im.station_by_code);
    bp__xmap_init(&im.commune_by_key);
    bp__xmap_init(&im.village_by_key);
    bp__xmap_init(&im.marker_by_key);
    bp__xmap_init(&im.custodian_by_key);
    bp__xmap_init(&im.seen);

    rc = load_lookups(&im, err);
    if (rc)
        goto out;
    if (kind == BP_X_MARKERS && is_geojson(path))
        rc = read_geojson(&im, path, err);
    else
        rc = read_csv(&im, path, err);
    if (rc)
        goto out;
    progress(&im, res->rows);
    if (!res->nproblems && kind == BP_X_COMMUNES) {
        rc = check_commune_overlaps(&im);
        if (rc) {
            rc = bp_error_set(err, BP_ENOMEM, "out of memory");
            goto out;
        }
    }
    if (im.oom) {
        rc = bp_error_set(err, BP_ENOMEM, "out of memory");
        goto out;
    }
    if (res->nproblems) {
        /* All rows or none: a bad row leaves the database as it was. */
        *err = res->problems[0];
        rc = BP_EPARSE;
        goto out;
    }
    /* Custodians and pledges go in with the batch puts, in a bulk
     * transaction when there are many (see bp_store_begin_bulk). */
    rc = is_packed(kind) ? bp_store_begin_bulk(st, im.recs.n + im.pledges.n,
                                               err)
                         : bp_store_begin(st, err);
    if (rc)
        goto out;
    in_tx = 1;
    rc = write_recs(&im, err);
    if (rc)
        goto out;
    rc = bp_store_commit(st, err);
    in_tx = 0;
    if (rc)
        goto out;
    res->records = (long)im.recs.n;
    res->pledges = (long)im.pledges.n;
out:
    if (in_tx)
        bp_store_rollback(st);
    free_recs(&im);
    bp_store_station_list_free(im.stations, im.nstations);
    bp_store_commune_list_free(im.communes, im.ncommunes);
    bp_store_village_list_free(im.villages, im.nvillages);
    bp_store_marker_list_free(im.markers, im.nmarkers);
    bp_store_custodian_list_free(im.custodians, im.ncustodians);
    bp__xmap_release(&im.station_by_code);
    bp__xmap_release(&im.commune_by_key);
    bp__xmap_release(&im.village_by_key);
    bp__xmap_release(&im.marker_by_key);
    bp__xmap_release(&im.custodian_by_key);
    bp__xmap_release(&im.seen);
    bp_buf_release(&im.fold);
    bp_buf_release(&im.tmp);
    bp_buf_release(&im.arena);
    return rc;
}
