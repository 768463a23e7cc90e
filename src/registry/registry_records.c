/* SPDX-License-Identifier: MIT */
/*
 * The registry's records as values: UUIDs, marker keys, the names of the
 * enums in code, Vietnamese and English, citizen ID checks and the
 * "active on a day" rule. Pure functions, no database.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "bienphong/alloc.h"
#include "bienphong/registry.h"
#include "bienphong/text.h"

static int fill_random(unsigned char *p, size_t n)
{
    size_t got = 0;
    int fd;

    while (got < n) {
        ssize_t r = getrandom(p + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        got += (size_t)r;
    }
    if (got == n)
        return 0;
    /* Old kernels without getrandom(2). */
    fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return BP_EIO;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r <= 0) {
            if (r < 0 && errno == EINTR)
                continue;
            close(fd);
            return BP_EIO;
        }
        got += (size_t)r;
    }
    close(fd);
    return 0;
}

int bp_uuid_make(bp_uuid out)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[16];
    size_t i;
    char *p = out;

    /* One system call per 256 UUIDs: imports make them by the 100,000. */
    static _Thread_local unsigned char pool[4096];
    static _Thread_local size_t used = sizeof(pool);

    if (used + sizeof(b) > sizeof(pool)) {
        if (fill_random(pool, sizeof(pool)))
            return BP_EIO;
        used = 0;
    }
    memcpy(b, pool + used, sizeof(b));
    /* Bytes handed out are not kept where a later reader could see them. */
    memset(pool + used, 0, sizeof(b));
    used += sizeof(b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 15];
    }
    *p = '\0';
    return 0;
}

static int is_hex(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

int bp_uuid_valid(const char *s)
{
    size_t i;

    if (!s)
        return 0;
    for (i = 0; i < BP_UUID_LEN; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return 0;
        } else if (!is_hex((unsigned char)s[i])) {
            return 0;
        }
    }
    return s[BP_UUID_LEN] == '\0';
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/*
 * Length of the prefix of `s` matching `pat` (lower-case UTF-8), ignoring
 * ASCII case and the case of Vietnamese letters U+1EA0..U+1EF9, whose
 * capitals are one code point below the small letters; 0 when no match.
 */
static size_t match_ci(const char *s, const char *pat)
{
    const unsigned char *a = (const unsigned char *)s;
    const unsigned char *b = (const unsigned char *)pat;
    size_t i;

    for (i = 0; b[i]; i++) {
        if (lower(a[i]) == b[i])
            continue;
        if (i >= 2 && b[i - 2] == 0xe1 && (b[i - 1] == 0xba ||
                                           b[i - 1] == 0xbb) &&
            a[i] + 1 == b[i])
            continue;
        return 0;
    }
    return i;
}

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

int bp_marker_key(const char *number, char *out, size_t size)
{
    static const char *const prefixes[] = {
        "cột mốc", "cot moc", "mốc số", "moc so", "mốc", "moc", "m.",
    };
    char tmp[64];
    size_t n = 0, i, k;
    int digits = 0;
    const char *s;

    if (!number || !out || size == 0)
        return BP_EINVAL;
    s = skip_spaces(number);
    for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        k = match_ci(s, prefixes[i]);
        if (k) {
            s += k;
            break;
        }
    }
    /* A bare "M" before the number ("M1116", "M 1116"). */
    if ((*s == 'm' || *s == 'M') && skip_spaces(s + 1)[0] >= '0' &&
        skip_spaces(s + 1)[0] <= '9')
        s++;
    while (*s) {
        unsigned char c = (unsigned char)*s;

        if (c == ' ' || c == '\t') {
            s++;
        } else if (c >= '0' && c <= '9') {
            /* A run of digits loses its leading zeros but keeps one
             * digit: "0962" is "962", "00" is "0". */
            while (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
                s++;
            while (*s >= '0' && *s <= '9') {
                if (n + 1 >= sizeof(tmp))
                    return BP_EINVAL;
                tmp[n++] = *s++;
            }
            digits++;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   c == '/' || c == '(' || c == ')' || c == '-' ||
                   c == '.') {
            if (n + 1 >= sizeof(tmp))
                return BP_EINVAL;
            tmp[n++] = (char)lower(c);
            s++;
        } else {
            return BP_EINVAL;
        }
    }
    if (!digits || n >= size)
        return BP_EINVAL;
    memcpy(out, tmp, n);
    out[n] = '\0';
    return 0;
}

struct names {
    const char *code, *vi, *plain; /* plain: Vietnamese without diacritics */
};

static const struct names marker_kinds[] = {
    {"main", "mốc chính", "moc chinh"},
    {"sub", "mốc phụ", "moc phu"},
    {"twin", "mốc đôi", "moc doi"},
};

static const struct names collective_kinds[] = {
    {"youth_union", "chi đoàn thanh niên", "chi doan thanh nien"},
    {"self_managed", "tổ tự quản", "to tu quan"},
    {"militia", "dân quân", "dan quan"},
    {"school", "trường học", "truong hoc"},
    {"women_union", "hội phụ nữ", "hoi phu nu"},
    {"unit", "đơn vị", "don vi"},
    {"other", "khác", "khac"},
};

#define NMARKER_KINDS (sizeof(marker_kinds) / sizeof(marker_kinds[0]))
#define NCOLL_KINDS (sizeof(collective_kinds) / sizeof(collective_kinds[0]))

const char *bp_marker_kind_name(enum bp_marker_kind k)
{
    return (unsigned)k < NMARKER_KINDS ? marker_kinds[k].code : "?";
}

const char *bp_marker_kind_vi(enum bp_marker_kind k)
{
    return (unsigned)k < NMARKER_KINDS ? marker_kinds[k].vi : "?";
}

const char *bp_collective_kind_name(enum bp_collective_kind k)
{
    return (unsigned)k < NCOLL_KINDS ? collective_kinds[k].code : "?";
}

const char *bp_collective_kind_vi(enum bp_collective_kind k)
{
    return (unsigned)k < NCOLL_KINDS ? collective_kinds[k].vi : "?";
}

/* Whole-string match of `s` (spaces around ignored) against `pat`. */
static int equal_ci(const char *s, const char *pat)
{
    size_t k, end;

    s = skip_spaces(s);
    k = match_ci(s, pat);
    if (!k && *pat)
        return 0;
    end = k;
    while (s[end] == ' ' || s[end] == '\t')
        end++;
    return s[end] == '\0';
}

static int parse_names(const struct names *t, size_t n, const char *s)
{
    char fold[128];
    size_t i;

    if (!s || strlen(s) >= sizeof(fold))
        return -1;
    /* Diacritics are optional: compare folded text with the plain names. */
    bp_text_fold_to(s, fold);
    for (i = 0; i < n; i++) {
        const char *p = strchr(t[i].plain, ' ');
        if (equal_ci(fold, t[i].code) || equal_ci(fold, t[i].plain))
            return (int)i;
        /* Marker kinds without their "mốc": "chính", "phu". */
        if (t == marker_kinds && p && equal_ci(fold, p + 1))
            return (int)i;
    }
    return -1;
}

int bp_marker_kind_parse(const char *s, enum bp_marker_kind *out)
{
    int i = parse_names(marker_kinds, NMARKER_KINDS, s);

    if (i < 0 || !out)
        return BP_EINVAL;
    *out = (enum bp_marker_kind)i;
    return 0;
}

int bp_collective_kind_parse(const char *s, enum bp_collective_kind *out)
{
    int i = parse_names(collective_kinds, NCOLL_KINDS, s);

    if (i < 0 || !out)
        return BP_EINVAL;
    *out = (enum bp_collective_kind)i;
    return 0;
}

void bp_station_release(struct bp_station *r)
{
    if (!r)
        return;
    bp_free(r->code);
    bp_free(r->name);
    r->code = r->name = NULL;
}

void bp_commune_release(struct bp_commune *r)
{
    if (!r)
        return;
    bp_free(r->code);
    bp_free(r->name);
    bp_free(r->district);
    r->code = r->name = r->district = NULL;
}

void bp_village_release(struct bp_village *r)
{
    if (!r)
        return;
    bp_free(r->name);
    r->name = NULL;
}

void bp_marker_release(struct bp_marker *r)
{
    if (!r)
        return;
    bp_free(r->number);
    r->number = NULL;
}

void bp_custodian_release(struct bp_custodian *r)
{
    if (!r)
        return;
    bp_free(r->name);
    bp_free(r->phone);
    bp_free(r->citizen_id);
    bp_free(r->contact);
    r->name = r->phone = r->citizen_id = r->contact = NULL;
}

void bp_pledge_release(struct bp_pledge *r)
{
    if (!r)
        return;
    bp_free(r->doc_no);
    bp_free(r->note);
    r->doc_no = r->note = NULL;
}

int bp_citizen_id_check(const char *s)
{
    size_t n = 0;

    if (!s)
        return BP_EINVAL;
    for (; s[n]; n++)
        if (s[n] < '0' || s[n] > '9')
            return BP_EINVAL;
    return n == 12 || n == 9 ? 0 : BP_EINVAL;
}

int bp_active_on(int32_t signed_on, int32_t ended_on, int32_t day)
{
    if (signed_on != BP_DATE_NONE && day < signed_on)
        return 0;
    return ended_on == BP_DATE_NONE || day < ended_on;
}
