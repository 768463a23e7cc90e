/* SPDX-License-Identifier: MIT */
/*
 * Vietnamese letters in UTF-8: one table of the 134 precomposed letters,
 * and on it the fold for diacritic-insensitive search and the composition
 * of combining tone marks into NFC letters.
 */
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/text.h"

/*
 * The twelve vowels (with their marks) by the six tones, lowercase then
 * capitals. Vowel index: a ă â e ê i o ô ơ u ư y. Tone index: none, grave,
 * acute, hook above, tilde, dot below.
 */
enum { NVOWEL = 12, NTONE = 6, VOWEL_D = 12 };

static const uint16_t vowel_cp[2][NVOWEL][NTONE] = {
    {
        {0x0061, 0x00E0, 0x00E1, 0x1EA3, 0x00E3, 0x1EA1},
        {0x0103, 0x1EB1, 0x1EAF, 0x1EB3, 0x1EB5, 0x1EB7},
        {0x00E2, 0x1EA7, 0x1EA5, 0x1EA9, 0x1EAB, 0x1EAD},
        {0x0065, 0x00E8, 0x00E9, 0x1EBB, 0x1EBD, 0x1EB9},
        {0x00EA, 0x1EC1, 0x1EBF, 0x1EC3, 0x1EC5, 0x1EC7},
        {0x0069, 0x00EC, 0x00ED, 0x1EC9, 0x0129, 0x1ECB},
        {0x006F, 0x00F2, 0x00F3, 0x1ECF, 0x00F5, 0x1ECD},
        {0x00F4, 0x1ED3, 0x1ED1, 0x1ED5, 0x1ED7, 0x1ED9},
        {0x01A1, 0x1EDD, 0x1EDB, 0x1EDF, 0x1EE1, 0x1EE3},
        {0x0075, 0x00F9, 0x00FA, 0x1EE7, 0x0169, 0x1EE5},
        {0x01B0, 0x1EEB, 0x1EE9, 0x1EED, 0x1EEF, 0x1EF1},
        {0x0079, 0x1EF3, 0x00FD, 0x1EF7, 0x1EF9, 0x1EF5},
    },
    {
        {0x0041, 0x00C0, 0x00C1, 0x1EA2, 0x00C3, 0x1EA0},
        {0x0102, 0x1EB0, 0x1EAE, 0x1EB2, 0x1EB4, 0x1EB6},
        {0x00C2, 0x1EA6, 0x1EA4, 0x1EA8, 0x1EAA, 0x1EAC},
        {0x0045, 0x00C8, 0x00C9, 0x1EBA, 0x1EBC, 0x1EB8},
        {0x00CA, 0x1EC0, 0x1EBE, 0x1EC2, 0x1EC4, 0x1EC6},
        {0x0049, 0x00CC, 0x00CD, 0x1EC8, 0x0128, 0x1ECA},
        {0x004F, 0x00D2, 0x00D3, 0x1ECE, 0x00D5, 0x1ECC},
        {0x00D4, 0x1ED2, 0x1ED0, 0x1ED4, 0x1ED6, 0x1ED8},
        {0x01A0, 0x1EDC, 0x1EDA, 0x1EDE, 0x1EE0, 0x1EE2},
        {0x0055, 0x00D9, 0x00DA, 0x1EE6, 0x0168, 0x1EE4},
        {0x01AF, 0x1EEA, 0x1EE8, 0x1EEC, 0x1EEE, 0x1EF0},
        {0x0059, 0x1EF2, 0x00DD, 0x1EF6, 0x1EF8, 0x1EF4},
    },
};

static const char vowel_base[NVOWEL + 1] = "aaaeeiooouuyd";
static const char vowel_mark[NVOWEL + 1] = {0,   '(', '^', 0, '^', 0,  0,
                                            '^', '+', 0,   '+', 0, '-'};
static const char tone_char[NTONE] = {0, '`', '\'', '?', '~', '.'};

/* The 134 letters by code point, for lookup: vowel index (12 for đ), tone
   index, capital. */
struct vi_entry {
    uint16_t cp;
    uint8_t vowel;
    uint8_t tone;
    uint8_t upper;
};

static const struct vi_entry vi_table[134] = {
    {0x00C0, 0, 1, 1},  {0x00C1, 0, 2, 1},  {0x00C2, 2, 0, 1},
    {0x00C3, 0, 4, 1},  {0x00C8, 3, 1, 1},  {0x00C9, 3, 2, 1},
    {0x00CA, 4, 0, 1},  {0x00CC, 5, 1, 1},  {0x00CD, 5, 2, 1},
    {0x00D2, 6, 1, 1},  {0x00D3, 6, 2, 1},  {0x00D4, 7, 0, 1},
    {0x00D5, 6, 4, 1},  {0x00D9, 9, 1, 1},  {0x00DA, 9, 2, 1},
    {0x00DD, 11, 2, 1}, {0x00E0, 0, 1, 0},  {0x00E1, 0, 2, 0},
    {0x00E2, 2, 0, 0},  {0x00E3, 0, 4, 0},  {0x00E8, 3, 1, 0},
    {0x00E9, 3, 2, 0},  {0x00EA, 4, 0, 0},  {0x00EC, 5, 1, 0},
    {0x00ED, 5, 2, 0},  {0x00F2, 6, 1, 0},  {0x00F3, 6, 2, 0},
    {0x00F4, 7, 0, 0},  {0x00F5, 6, 4, 0},  {0x00F9, 9, 1, 0},
    {0x00FA, 9, 2, 0},  {0x00FD, 11, 2, 0}, {0x0102, 1, 0, 1},
    {0x0103, 1, 0, 0},  {0x0110, 12, 0, 1}, {0x0111, 12, 0, 0},
    {0x0128, 5, 4, 1},  {0x0129, 5, 4, 0},  {0x0168, 9, 4, 1},
    {0x0169, 9, 4, 0},  {0x01A0, 8, 0, 1},  {0x01A1, 8, 0, 0},
    {0x01AF, 10, 0, 1}, {0x01B0, 10, 0, 0}, {0x1EA0, 0, 5, 1},
    {0x1EA1, 0, 5, 0},  {0x1EA2, 0, 3, 1},  {0x1EA3, 0, 3, 0},
    {0x1EA4, 2, 2, 1},  {0x1EA5, 2, 2, 0},  {0x1EA6, 2, 1, 1},
    {0x1EA7, 2, 1, 0},  {0x1EA8, 2, 3, 1},  {0x1EA9, 2, 3, 0},
    {0x1EAA, 2, 4, 1},  {0x1EAB, 2, 4, 0},  {0x1EAC, 2, 5, 1},
    {0x1EAD, 2, 5, 0},  {0x1EAE, 1, 2, 1},  {0x1EAF, 1, 2, 0},
    {0x1EB0, 1, 1, 1},  {0x1EB1, 1, 1, 0},  {0x1EB2, 1, 3, 1},
    {0x1EB3, 1, 3, 0},  {0x1EB4, 1, 4, 1},  {0x1EB5, 1, 4, 0},
    {0x1EB6, 1, 5, 1},  {0x1EB7, 1, 5, 0},  {0x1EB8, 3, 5, 1},
    {0x1EB9, 3, 5, 0},  {0x1EBA, 3, 3, 1},  {0x1EBB, 3, 3, 0},
    {0x1EBC, 3, 4, 1},  {0x1EBD, 3, 4, 0},  {0x1EBE, 4, 2, 1},
    {0x1EBF, 4, 2, 0},  {0x1EC0, 4, 1, 1},  {0x1EC1, 4, 1, 0},
    {0x1EC2, 4, 3, 1},  {0x1EC3, 4, 3, 0},  {0x1EC4, 4, 4, 1},
    {0x1EC5, 4, 4, 0},  {0x1EC6, 4, 5, 1},  {0x1EC7, 4, 5, 0},
    {0x1EC8, 5, 3, 1},  {0x1EC9, 5, 3, 0},  {0x1ECA, 5, 5, 1},
    {0x1ECB, 5, 5, 0},  {0x1ECC, 6, 5, 1},  {0x1ECD, 6, 5, 0},
    {0x1ECE, 6, 3, 1},  {0x1ECF, 6, 3, 0},  {0x1ED0, 7, 2, 1},
    {0x1ED1, 7, 2, 0},  {0x1ED2, 7, 1, 1},  {0x1ED3, 7, 1, 0},
    {0x1ED4, 7, 3, 1},  {0x1ED5, 7, 3, 0},  {0x1ED6, 7, 4, 1},
    {0x1ED7, 7, 4, 0},  {0x1ED8, 7, 5, 1},  {0x1ED9, 7, 5, 0},
    {0x1EDA, 8, 2, 1},  {0x1EDB, 8, 2, 0},  {0x1EDC, 8, 1, 1},
    {0x1EDD, 8, 1, 0},  {0x1EDE, 8, 3, 1},  {0x1EDF, 8, 3, 0},
    {0x1EE0, 8, 4, 1},  {0x1EE1, 8, 4, 0},  {0x1EE2, 8, 5, 1},
    {0x1EE3, 8, 5, 0},  {0x1EE4, 9, 5, 1},  {0x1EE5, 9, 5, 0},
    {0x1EE6, 9, 3, 1},  {0x1EE7, 9, 3, 0},  {0x1EE8, 10, 2, 1},
    {0x1EE9, 10, 2, 0}, {0x1EEA, 10, 1, 1}, {0x1EEB, 10, 1, 0},
    {0x1EEC, 10, 3, 1}, {0x1EED, 10, 3, 0}, {0x1EEE, 10, 4, 1},
    {0x1EEF, 10, 4, 0}, {0x1EF0, 10, 5, 1}, {0x1EF1, 10, 5, 0},
    {0x1EF2, 11, 1, 1}, {0x1EF3, 11, 1, 0}, {0x1EF4, 11, 5, 1},
    {0x1EF5, 11, 5, 0}, {0x1EF6, 11, 3, 1}, {0x1EF7, 11, 3, 0},
    {0x1EF8, 11, 4, 1}, {0x1EF9, 11, 4, 0},
};

static const struct vi_entry *vi_find(uint32_t cp)
{
    size_t lo = 0, hi = sizeof(vi_table) / sizeof(vi_table[0]);

    if (cp < 0xC0 || cp > 0x1EF9)
        return NULL;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (vi_table[mid].cp == cp)
            return &vi_table[mid];
        if (vi_table[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int bp_text_vi_char(uint32_t cp, struct bp_vi_char *out)
{
    const struct vi_entry *e;

    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) {
        if (out) {
            out->base = (char)(cp | 0x20);
            out->mark = 0;
            out->tone = 0;
            out->upper = cp <= 'Z';
        }
        return 1;
    }
    e = vi_find(cp);
    if (!e)
        return 0;
    if (out) {
        out->base = vowel_base[e->vowel];
        out->mark = vowel_mark[e->vowel];
        out->tone = tone_char[e->tone];
        out->upper = (char)e->upper;
    }
    return 1;
}

uint32_t bp_text_vi_compose(char base, char mark, char tone, int upper)
{
    int v, t, up;
    char b;

    if (!((base >= 'a' && base <= 'z') || (base >= 'A' && base <= 'Z')))
        return 0;
    up = upper >= 0 ? !!upper : base <= 'Z';
    b = (char)(base | 0x20);
    for (t = 0; t < NTONE && tone_char[t] != tone; t++)
        ;
    if (t == NTONE)
        return 0;
    for (v = 0; v <= VOWEL_D; v++)
        if (vowel_base[v] == b && vowel_mark[v] == mark)
            break;
    if (v == VOWEL_D)
        return t ? 0 : (up ? 0x0110 : 0x0111);
    if (v > VOWEL_D) {
        /* A consonant, or a vowel with a mark it cannot carry. */
        if (mark || t)
            return 0;
        return (uint32_t)(up ? (b & ~0x20) : b);
    }
    return vowel_cp[up][v][t];
}

size_t bp_text_utf8_next(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c, min;
    size_t len, i;

    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        len = 2;
        c = u[0] & 0x1Fu;
        min = 0x80;
    } else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        len = 3;
        c = u[0] & 0x0Fu;
        min = 0x800;
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        len = 4;
        c = u[0] & 0x07u;
        min = 0x10000;
    } else {
        goto bad;
    }
    if (n < len)
        goto bad;
    for (i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80)
            goto bad;
        c = (c << 6) | (u[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        goto bad;
    *cp = c;
    return len;
bad:
    *cp = 0xFFFD;
    return 1;
}

int bp_text_utf8_valid(const char *s, size_t n, size_t *bad_at)
{
    size_t i = 0;
    uint32_t cp;

    while (i < n) {
        size_t len;
        uint64_t word;

        /* ASCII runs are the common case; skip them eight at a time. */
        if (n - i >= 8) {
            memcpy(&word, s + i, 8);
            if (!(word & 0x8080808080808080ull)) {
                i += 8;
                continue;
            }
        }
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        len = bp_text_utf8_next(s + i, n - i, &cp);
        if (len == 1) {
            if (bad_at)
                *bad_at = i;
            return 0;
        }
        i += len;
    }
    return 1;
}

size_t bp_text_utf8_put(uint32_t cp, char *out)
{
    unsigned char *u = (unsigned char *)out;

    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | (cp >> 6));
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | (cp >> 12));
        u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    u[0] = (unsigned char)(0xF0 | (cp >> 18));
    u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The tone or vowel mark a combining character adds; 0 when none. */
static int combining_kind(uint32_t cp, char *mark, char *tone)
{
    *mark = 0;
    *tone = 0;
    switch (cp) {
    case 0x0300:
        *tone = '`';
        return 1;
    case 0x0301:
        *tone = '\'';
        return 1;
    case 0x0303:
        *tone = '~';
        return 1;
    case 0x0309:
        *tone = '?';
        return 1;
    case 0x0323:
        *tone = '.';
        return 1;
    case 0x0302:
        *mark = '^';
        return 1;
    case 0x0306:
        *mark = '(';
        return 1;
    case 0x031B:
        *mark = '+';
        return 1;
    default:
        return 0;
    }
}

/*
 * Starting at `s[q]`, take the combining marks that turn letter `vc` into
 * another Vietnamese letter. Returns the offset after the last one taken
 * and sets `*cp` to the composed letter (untouched when none is taken).
 */
static size_t take_marks(const char *s, size_t len, size_t q,
                         const struct bp_vi_char *vc, uint32_t *cp)
{
    char mark = vc->mark, tone = vc->tone;

    while (q < len) {
        uint32_t m, c;
        char am, at;
        size_t k = bp_text_utf8_next(s + q, len - q, &m);

        if (!combining_kind(m, &am, &at))
            break;
        if ((am && mark) || (at && tone))
            break;
        c = bp_text_vi_compose(vc->base, am ? am : mark, at ? at : tone,
                               vc->upper);
        if (!c)
            break;
        if (am)
            mark = am;
        if (at)
            tone = at;
        *cp = c;
        q += k;
    }
    return q;
}

size_t bp_text_compose_vi(char *s, size_t len)
{
    size_t r = 0, w;

    /* Most text has no combining mark (U+0300..U+036F, lead byte 0xCC or
       0xCD) at all; start at the letter before the first one. */
    while (r < len && ((unsigned char)s[r] & 0xFE) != 0xCC)
        r++;
    if (r == len)
        return len;
    if (r > 0)
        r--;
    while (r > 0 && ((unsigned char)s[r] & 0xC0) == 0x80)
        r--;
    w = r;
    while (r < len) {
        unsigned char c = (unsigned char)s[r];
        struct bp_vi_char vc;
        uint32_t cp;
        size_t n = c < 0x80 ? (cp = c, 1)
                            : bp_text_utf8_next(s + r, len - r, &cp);

        /* Combining marks U+0300..U+036F start with 0xCC or 0xCD. */
        if (r + n < len &&
            ((unsigned char)s[r + n] == 0xCC ||
             (unsigned char)s[r + n] == 0xCD) &&
            bp_text_vi_char(cp, &vc)) {
            uint32_t composed = cp;
            size_t q = take_marks(s, len, r + n, &vc, &composed);

            if (q > r + n) {
                w += bp_text_utf8_put(composed, s + w);
                r = q;
                continue;
            }
        }
        if (w != r)
            memmove(s + w, s + r, n);
        w += n;
        r += n;
    }
    if (w < len)
        s[w] = '\0';
    return w;
}

size_t bp_text_fold_to(const char *utf8, char *out)
{
    size_t r = 0, w = 0, len = strlen(utf8);

    while (r < len) {
        unsigned char c = (unsigned char)utf8[r];
        struct bp_vi_char vc;
        uint32_t cp;
        size_t n;

        if (c < 0x80) {
            out[w++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
            r++;
            continue;
        }
        n = bp_text_utf8_next(utf8 + r, len - r, &cp);
        if (n > 1 && bp_text_vi_char(cp, &vc)) {
            out[w++] = vc.base;
        } else if (n > 1 && cp >= 0x0300 && cp <= 0x036F) {
            /* A combining mark: dropped, so NFD folds like NFC. */
        } else {
            memmove(out + w, utf8 + r, n);
            w += n;
        }
        r += n;
    }
    out[w] = '\0';
    return w;
}

char *bp_text_fold(const char *utf8)
{
    char *out;

    if (!utf8)
        return NULL;
    out = bp_malloc(strlen(utf8) + 1);
    if (!out)
        return NULL;
    bp_text_fold_to(utf8, out);
    return out;
}
