/* SPDX-License-Identifier: MIT */
/*
 * Small helpers of the exchange module: the string map used for in-memory
 * lookups during imports, the diacritic fold for matching names, parsing
 * of stretch ends ("1120+350", "km 80,350"), and CSV/JSON quoting.
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/exchange.h"
#include "bienphong/fmt.h"
#include "bienphong/text.h"
#include "exchange/exchange_int.h"

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

void bp__xmap_init(struct bp__xmap *m)
{
    memset(m, 0, sizeof(*m));
}

void bp__xmap_release(struct bp__xmap *m)
{
    size_t i;

    for (i = 0; i < m->cap; i++)
        bp_free(m->keys[i]);
    bp_free(m->keys);
    bp_free(m->vals);
    bp__xmap_init(m);
}

static size_t find_slot(char *const *keys, size_t cap, const char *key)
{
    size_t i = (size_t)hash_str(key) & (cap - 1);

    while (keys[i] && strcmp(keys[i], key))
        i = (i + 1) & (cap - 1);
    return i;
}

static int grow(struct bp__xmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64, i, j;
    char **nk = bp_calloc(ncap, sizeof(*nk));
    long *nv = bp_calloc(ncap, sizeof(*nv));

    if (!nk || !nv) {
        bp_free(nk);
        bp_free(nv);
        return BP_ENOMEM;
    }
    for (i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        j = find_slot(nk, ncap, m->keys[i]);
        nk[j] = m->keys[i];
        nv[j] = m->vals[i];
    }
    bp_free(m->keys);
    bp_free(m->vals);
    m->keys = nk;
    m->vals = nv;
    m->cap = ncap;
    return 0;
}

static int insert(struct bp__xmap *m, const char *key, long val, int overwrite)
{
    size_t i;

    if ((m->n + 1) * 2 > m->cap && grow(m))
        return BP_ENOMEM;
    i = find_slot(m->keys, m->cap, key);
    if (m->keys[i]) {
        if (overwrite)
            m->vals[i] = val;
        else if (m->vals[i] != val)
            m->vals[i] = BP__XMAP_AMBIGUOUS;
        return 0;
    }
    m->keys[i] = bp_strdup(key);
    if (!m->keys[i])
        return BP_ENOMEM;
    m->vals[i] = val;
    m->n++;
    return 0;
}

int bp__xmap_put(struct bp__xmap *m, const char *key, long val)
{
    return insert(m, key, val, 0);
}

int bp__xmap_set(struct bp__xmap *m, const char *key, long val)
{
    return insert(m, key, val, 1);
}

long bp__xmap_get(const struct bp__xmap *m, const char *key)
{
    size_t i;

    if (!m->cap)
        return -1;
    i = find_slot(m->keys, m->cap, key);
    return m->keys[i] ? m->vals[i] : -1;
}

int bp__exchange_fold(const char *s, struct bp_buf *out)
{
    size_t n = s ? strlen(s) : 0, i, k = 0;
    int space = 0;
    char *d;

    bp_buf_setlen(out, 0);
    if (bp_buf_grow(out, n + 1))
        return BP_ENOMEM;
    d = out->data;
    n = bp_text_fold_to(s ? s : "", d);
    /* Runs of spaces, tabs, '_' and '-' are one space; none at the ends. */
    for (i = 0; i < n; i++) {
        char c = d[i];
        if (c == ' ' || c == '\t' || c == '_' || c == '-') {
            space = k > 0;
            continue;
        }
        if (space) {
            d[k++] = ' ';
            space = 0;
        }
        d[k++] = c;
    }
    d[k] = '\0';
    out->len = k;
    return 0;
}

int bp__csv_field(struct bp_buf *b, const char *s)
{
    int rc = 0;

    if (!s)
        return 0;
    if (!strpbrk(s, ",;\"\r\n"))
        return bp_buf_adds(b, s);
    rc = bp_buf_addch(b, '"');
    for (; *s && !rc; s++)
        rc = *s == '"' ? bp_buf_adds(b, "\"\"") : bp_buf_addch(b, *s);
    return rc ? rc : bp_buf_addch(b, '"');
}

int bp__json_string(struct bp_buf *b, const char *s)
{
    int rc;

    if (!s)
        return bp_buf_adds(b, "null");
    rc = bp_buf_addch(b, '"');
    for (; *s && !rc; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            rc = bp_buf_addf(b, "\\%c", c);
        else if (c < 0x20)
            rc = bp_buf_addf(b, "\\u%04x", c);
        else
            rc = bp_buf_addch(b, c);
    }
    return rc ? rc : bp_buf_addch(b, '"');
}

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* Skip a leading "mốc", "moc", "Mốc", "M." word. */
static const char *skip_marker_word(const char *s)
{
    static const char *const words[] = {"mốc", "Mốc", "MỐC", "moc",
                                        "Moc", "MOC", "m.",  "M."};
    size_t i, n;

    s = skip_space(s);
    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        n = strlen(words[i]);
        if (!strncmp(s, words[i], n))
            return skip_space(s + n);
    }
    return s;
}

int bp_anchor_parse(const char *s, struct bp_anchor *a)
{
    char num[64], off[64];
    const char *p, *sep = NULL;
    struct bp_anchor r;
    double offset = 0;
    size_t n;

    if (!s)
        return BP_EPARSE;
    memset(&r, 0, sizeof(r));
    p = skip_marker_word(s);
    /* The offset follows the last '+', or a '-' after the number. */
    sep = strrchr(p, '+');
    if (!sep) {
        const char *q = strchr(p, '-');
        if (q && q > p)
            sep = q;
    }
    n = sep ? (size_t)(sep - p) : strlen(p);
    if (n == 0 || n >= sizeof(num))
        return BP_EPARSE;
    memcpy(num, p, n);
    num[n] = '\0';
    if (sep) {
        const char *o = skip_space(sep + 1);
        size_t k = strlen(o);
        while (k && (o[k - 1] == ' ' || o[k - 1] == '\t'))
            k--;
        if (k && (o[k - 1] == 'm' || o[k - 1] == 'M'))
            k--;
        if (k == 0 || k >= sizeof(off))
            return BP_EPARSE;
        memcpy(off, o, k);
        off[k] = '\0';
        if (bp_parse_decimal(off, &offset) || !isfinite(offset) || offset < 0)
            return BP_EPARSE;
        if (*sep == '-')
            offset = -offset;
    }
    if (!strpbrk(num, "0123456789"))
        return BP_EPARSE;
    if (bp_marker_key(num, r.marker_key, sizeof(r.marker_key)))
        return BP_EPARSE;
    r.offset_m = offset;
    r.measure_m = NAN;
    *a = r;
    return 0;
}

int bp_anchor_parse_km(const char *s, struct bp_anchor *a)
{
    double km;

    if (!s)
        return BP_EPARSE;
    s = skip_space(s);
    if ((s[0] == 'k' || s[0] == 'K') && (s[1] == 'm' || s[1] == 'M'))
        s += 2;
    if (bp_parse_decimal(s, &km) || !isfinite(km))
        return BP_EPARSE;
    memset(a, 0, sizeof(*a));
    a->measure_m = km * 1000.0;
    return 0;
}

int bp_anchor_resolve(struct bp_anchor *a, const struct bp_marker *markers,
                      size_t n)
{
    size_t i;

    if (!a->marker_key[0])
        return 0;
    for (i = 0; i < n; i++)
        if (!strcmp(markers[i].key, a->marker_key)) {
            a->measure_m = markers[i].measure_m + a->offset_m;
            return 0;
        }
    return BP_ENOTFOUND;
}

static const struct {
    const char *name;
    const char *vi;
    enum bp_exchange_kind kind;
} kinds[] = {
    {"stations", "don", BP_X_STATIONS},    {"communes", "xa", BP_X_COMMUNES},
    {"villages", "thon", BP_X_VILLAGES},   {"markers", "moc", BP_X_MARKERS},
    {"custodians", "ho", BP_X_CUSTODIANS}, {"pledges", "ky nhan", BP_X_PLEDGES},
    {"gaps", "doan trong", BP_X_GAPS},
};

int bp_exchange_kind_parse(const char *s, enum bp_exchange_kind *out)
{
    struct bp_buf f = BP_BUF_INIT;
    size_t i, n = sizeof(kinds) / sizeof(kinds[0]);
    int rc = BP_EINVAL;

    if (s && !bp__exchange_fold(s, &f))
        for (i = 0; i < n; i++)
            if (!strcmp(f.data, kinds[i].name) ||
                !strcmp(f.data, kinds[i].vi)) {
                *out = kinds[i].kind;
                rc = 0;
                break;
            }
    bp_buf_release(&f);
    return rc;
}

const char *bp_exchange_kind_name(enum bp_exchange_kind k)
{
    size_t i;

    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (kinds[i].kind == k)
            return kinds[i].name;
    return "?";
}
