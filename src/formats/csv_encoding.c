/* SPDX-License-Identifier: MIT */
/*
 * The CSV reader's encodings: BOM sniffing, UTF-8 validation, conversion
 * of Windows-1258, TCVN3 and UTF-16 with iconv(3), and the choice between
 * Windows-1258 and TCVN3 by how Vietnamese the decoded text reads.
 *
 * TCVN3 (VN3) is a subset of TCVN 5712:1993 VN1 at the same byte values;
 * glibc's "TCVN5712-1" converter is VN1, so it decodes VN3 exactly. The
 * bytes VN1 adds below 0x20 (capitals in place of control codes) cannot
 * occur in a text file and are rejected as control characters before
 * conversion.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>

#include "bienphong/alloc.h"
#include "bienphong/text.h"
#include "formats/csv_int.h"

/* iconv names of the encodings. */
#define ICONV_CP1258 "WINDOWS-1258"
#define ICONV_TCVN "TCVN5712-1"

size_t bp__csv_sep_line(const char *s, size_t len, char *sep)
{
    size_t n = 5;

    if (len < 5 || strncmp(s, "sep=", 4) != 0 ||
        (s[4] != ',' && s[4] != ';' && s[4] != '\t'))
        return 0;
    if (n < len && s[n] == '\r')
        n++;
    if (n < len && s[n] == '\n')
        n++;
    if (n == 5 && n < len)
        return 0;
    *sep = s[4];
    return n;
}

long bp__csv_row_at(const char *s, size_t off)
{
    char sep;
    size_t i = bp__csv_sep_line(s, off, &sep);
    long row = 1;
    int quoted = 0;

    for (; i < off; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (s[i] == '\n')
            row++;
        else if (s[i] == '\r' && !(i + 1 < off && s[i + 1] == '\n'))
            row++;
    }
    return row;
}

/*
 * Convert `in[0..len)` from `from` to UTF-8, appending to `out`. Returns 0;
 * BP_ENOMEM; BP_EENCODING with `*bad_at` the offset of the first byte
 * that does not convert; or BP_EENCODING with `*bad_at` = SIZE_MAX when
 * this iconv does not know `from`.
 */
static int convert(const char *in, size_t len, const char *from,
                   struct bp_buf *out, size_t *bad_at)
{
    iconv_t cd = (iconv_t)-1;
    char *ip = (char *)in;
    size_t il = len, want;
    int rc = 0, flushing = 0;

    cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) {
        *bad_at = SIZE_MAX;
        rc = BP_EENCODING;
        goto out;
    }
    /* Every byte of the legacy encodings is at most 3 bytes of UTF-8. */
    want = len > (SIZE_MAX - 64) / 3 ? len : len * 3 + 64;
    for (;;) {
        char *op;
        size_t ol, r;

        rc = bp_buf_grow(out, want);
        if (rc)
            goto out;
        op = out->data + out->len;
        ol = out->cap - out->len - 1;
        /* The flush emits a letter the converter held back in case a
           combining mark followed it. */
        r = flushing ? iconv(cd, NULL, NULL, &op, &ol)
                     : iconv(cd, &ip, &il, &op, &ol);
        out->len = (size_t)(op - out->data);
        out->data[out->len] = '\0';
        if (r != (size_t)-1) {
            if (flushing)
                break;
            flushing = 1;
            continue;
        }
        if (errno == E2BIG) {
            want = out->cap;
            continue;
        }
        /* EILSEQ, or EINVAL for a sequence cut off at the end. */
        *bad_at = (size_t)(ip - in);
        rc = BP_EENCODING;
        goto out;
    }
out:
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    return rc;
}

/*
 * The first NUL or control character other than tab, CR and LF; Excel
 * never writes them, binary files are full of them. Returns its offset,
 * or `len` when there is none.
 */
static size_t find_control(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return i;
    }
    return len;
}

static int control_error(const char *s, size_t at, const char *name,
                         struct bp_error *err)
{
    unsigned char c = (unsigned char)s[at];

    return bp_error_set_at(err, BP_EENCODING, name, bp__csv_row_at(s, at),
                           NULL,
                           "holds the control character 0x%02X; this is "
                           "not a text file (CSV)",
                           c);
}

/* --- Is this Vietnamese? ---------------------------------------------- */

struct vi_score {
    long good; /* words that read as Vietnamese syllables */
    long bad;  /* words that do not, and stray symbols */
};

/* Characters that may be part of a word: letters and combining marks. */
static int letterish(uint32_t cp)
{
    return (cp < 0x80 && ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')) ||
           (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1E00 && cp <= 0x1EFF);
}

/* Symbols that ordinary Windows text holds: no evidence either way. */
static int common_symbol(uint32_t cp)
{
    switch (cp) {
    case 0x00A0: /* no-break space */
    case 0x00B0: /* degree */
    case 0x2013: /* en dash */
    case 0x2014: /* em dash */
    case 0x2018:
    case 0x2019:
    case 0x201C:
    case 0x201D: /* curly quotes */
    case 0x2022: /* bullet */
    case 0x2026: /* ellipsis */
    case 0x20AB: /* đồng sign */
    case 0x20AC: /* euro */
        return 1;
    default:
        return 0;
    }
}

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' ||
           c == 'y';
}

#define PAIR(a, b) (((unsigned)(unsigned char)(a) << 8) | (unsigned char)(b))

/* Whether `w[0..n)` (consonants only) may begin a Vietnamese syllable. */
static int onset_ok(const char *w, size_t n)
{
    switch (n) {
    case 0:
        return 1;
    case 1:
        /* 'q' only as "qu", and the 'u' is read as a vowel. */
        return strchr("bcdghklmnpqrstvx", w[0]) != NULL;
    case 2:
        switch (PAIR(w[0], w[1])) {
        case PAIR('c', 'h'):
        case PAIR('g', 'h'):
        case PAIR('k', 'h'):
        case PAIR('n', 'g'):
        case PAIR('n', 'h'):
        case PAIR('p', 'h'):
        case PAIR('t', 'h'):
        case PAIR('t', 'r'):
            return 1;
        default:
            return 0;
        }
    case 3:
        return w[0] == 'n' && w[1] == 'g' && w[2] == 'h';
    default:
        return 0;
    }
}

/* Whether `w[0..n)` (consonants only) may end a Vietnamese syllable. */
static int coda_ok(const char *w, size_t n)
{
    switch (n) {
    case 0:
        return 1;
    case 1:
        return strchr("cmnpt", w[0]) != NULL;
    case 2:
        return PAIR(w[0], w[1]) == PAIR('c', 'h') ||
               PAIR(w[0], w[1]) == PAIR('n', 'g') ||
               PAIR(w[0], w[1]) == PAIR('n', 'h');
    default:
        return 0;
    }
}

/*
 * Whether the base letters `w[0..n)` (ASCII, lowercase; đ as 'd') have the
 * shape of a Vietnamese syllable: initial consonants, one to three vowels
 * (four after "qu" and "gi", whose u and i are read as vowels here), and
 * final consonants, each from the few the language has.
 */
static int syllable_shape(const char *w, size_t n)
{
    size_t i = 0, j, vmax;

    while (i < n && !is_vowel(w[i]))
        i++;
    for (j = i; j < n && is_vowel(w[j]); j++)
        ;
    vmax = i == 1 && (w[0] == 'q' || w[0] == 'g') ? 4 : 3;
    if (j == i || j - i > vmax || (w[0] == 'q' && (i != 1 || w[1] != 'u')))
        return 0;
    return onset_ok(w, i) && coda_ok(w + j, n - j);
}

/* A word being read: what the verdict needs. */
struct word {
    char base[8]; /* base letters; a syllable has at most 7 */
    size_t n;
    int nonascii, foreign, tones, upper, lower, first_upper;
};

static void word_end(struct word *wd, struct vi_score *sc)
{
    int case_ok;

    if (wd->n && wd->nonascii) {
        case_ok = !wd->upper || !wd->lower ||
                  (wd->upper == 1 && wd->first_upper);
        if (!wd->foreign && wd->tones <= 1 && case_ok && wd->n <= 7 &&
            syllable_shape(wd->base, wd->n))
            sc->good++;
        else
            sc->bad++;
    }
    memset(wd, 0, sizeof(*wd));
}

static void word_add(struct word *wd, uint32_t cp)
{
    struct bp_vi_char vc;

    if (cp >= 0x80)
        wd->nonascii = 1;
    if (!bp_text_vi_char(cp, &vc)) {
        /* A letter Vietnamese has not, or a mark left uncomposed. */
        wd->foreign = 1;
        if (wd->n < sizeof(wd->base))
            wd->n++;
        return;
    }
    if (vc.upper) {
        wd->upper++;
        if (!wd->n)
            wd->first_upper = 1;
    } else {
        wd->lower++;
    }
    if (vc.tone)
        wd->tones++;
    if (wd->n < sizeof(wd->base))
        wd->base[wd->n] = vc.base;
    wd->n++;
}

static void score_text(const char *s, size_t len, struct vi_score *sc)
{
    struct word wd;
    size_t i = 0;

    memset(&wd, 0, sizeof(wd));
    sc->good = sc->bad = 0;
    while (i < len) {
        uint32_t cp;

        i += bp_text_utf8_next(s + i, len - i, &cp);
        if (letterish(cp)) {
            word_add(&wd, cp);
            continue;
        }
        word_end(&wd, sc);
        if (cp >= 0x80 && !common_symbol(cp))
            sc->bad++;
    }
    word_end(&wd, sc);
}

/* At least four in five of the words must read as Vietnamese. */
static int plausible(const struct vi_score *sc)
{
    return sc->bad * 5 <= sc->good + sc->bad;
}

/* 1 when score `a` is better than `b`: a higher share of good words, then
   more good words. */
static int better(const struct vi_score *a, const struct vi_score *b)
{
    long double ra = (long double)a->good / (long double)(a->good + a->bad);
    long double rb = (long double)b->good / (long double)(b->good + b->bad);

    if (a->good + a->bad == 0)
        ra = 1;
    if (b->good + b->bad == 0)
        rb = 1;
    if (ra != rb)
        return ra > rb;
    return a->good > b->good;
}

/* --- Conversion -------------------------------------------------------- */

static const char *enc_label(enum bp_csv_encoding enc)
{
    switch (enc) {
    case BP_CSV_ENC_CP1258:
        return "Windows-1258";
    case BP_CSV_ENC_TCVN3:
        return "TCVN3";
    case BP_CSV_ENC_UTF16:
        return "UTF-16";
    default:
        return "UTF-8";
    }
}

/* Convert a legacy or UTF-16 text into `text` and compose it. */
static int convert_to(const char *in, size_t len, enum bp_csv_encoding enc,
                      const char *iconv_name, const char *name,
                      struct bp_buf *text, struct bp_error *err)
{
    size_t bad_at = 0, ctl;
    int rc;

    rc = convert(in, len, iconv_name, text, &bad_at);
    if (rc == BP_EENCODING && bad_at == SIZE_MAX) {
        rc = bp_error_set_at(err, rc, name, 0, NULL,
                             "this system's iconv cannot convert from %s",
                             enc_label(enc));
        goto out;
    }
    if (rc == BP_EENCODING) {
        rc = bp_error_set_at(
            err, rc, name, bp__csv_row_at(text->data, text->len), NULL,
            "byte 0x%02X (at offset %zu) is not valid %s text",
            (unsigned)(unsigned char)in[bad_at], bad_at, enc_label(enc));
        goto out;
    }
    if (rc) {
        rc = bp_error_set_at(err, rc, name, 0, NULL, NULL);
        goto out;
    }
    /* UTF-16 can spell control characters the byte check could not see. */
    ctl = find_control(text->data, text->len);
    if (ctl < text->len) {
        rc = control_error(text->data, ctl, name, err);
        goto out;
    }
    text->len = bp_text_compose_vi(text->data, text->len);
out:
    return rc;
}

/*
 * Decode `in[0..len)` as a candidate encoding and score it. Returns 0 and
 * sets `*sc`; BP_EENCODING when the bytes do not convert (the candidate
 * is out); BP_ENOMEM.
 */
static int score_as(const char *in, size_t len, enum bp_csv_encoding enc,
                    const char *iconv_name, struct vi_score *sc)
{
    struct bp_buf t = BP_BUF_INIT;
    struct bp_error scratch = {0};
    int rc;

    rc = convert_to(in, len, enc, iconv_name, "", &t, &scratch);
    if (!rc)
        score_text(t.data, t.len, sc);
    bp_buf_release(&t);
    return rc;
}

/* How much of a file the detection reads first, and how many words it
   wants to have seen before it trusts that sample. */
#define SAMPLE_BYTES (256 * 1024)
#define SAMPLE_WORDS 200

/*
 * Neither UTF-8 nor told: Windows-1258 or TCVN3, whichever reads better.
 * A sample is scored, the whole file only when the sample has too few
 * words with non-ASCII letters; then the whole file is converted with the
 * winner.
 */
static int detect_legacy(const char *in, size_t len, const char *name,
                         struct bp_buf *text, enum bp_csv_encoding *found,
                         struct bp_error *err)
{
    struct vi_score scp = {0, 0}, stc = {0, 0};
    struct bp_error scratch = {0};
    size_t n = len < SAMPLE_BYTES ? len : SAMPLE_BYTES;
    int ok_cp = 0, ok_tc = 0, rc, rc_cp, rc_tc;

    for (;;) {
        rc = rc_cp = score_as(in, n, BP_CSV_ENC_CP1258, ICONV_CP1258, &scp);
        if (rc == BP_ENOMEM)
            goto out;
        rc = rc_tc = score_as(in, n, BP_CSV_ENC_TCVN3, ICONV_TCVN, &stc);
        if (rc == BP_ENOMEM)
            goto out;
        if (n == len || (scp.good + scp.bad >= SAMPLE_WORDS &&
                         stc.good + stc.bad >= SAMPLE_WORDS))
            break;
        n = len;
    }
    ok_cp = !rc_cp && plausible(&scp);
    ok_tc = !rc_tc && plausible(&stc);
    if (ok_cp && (!ok_tc || !better(&stc, &scp))) {
        /* Past the sample, a byte Windows-1258 lacks may still turn up:
           then TCVN3, if it read plausibly, or that byte's error. */
        rc = convert_to(in, len, BP_CSV_ENC_CP1258, ICONV_CP1258, name, text,
                        ok_tc ? &scratch : err);
        if (!rc)
            *found = BP_CSV_ENC_CP1258;
        if (rc != BP_EENCODING || !ok_tc)
            goto out;
        bp_buf_setlen(text, 0);
    }
    if (ok_tc) {
        rc = convert_to(in, len, BP_CSV_ENC_TCVN3, ICONV_TCVN, name, text,
                        err);
        if (!rc)
            *found = BP_CSV_ENC_TCVN3;
    } else {
        rc = bp_error_set_at(
            err, BP_EENCODING, name, 0, NULL,
            "cannot tell the text encoding: the file is not UTF-8, and read "
            "as Windows-1258 or as TCVN3 it does not look like Vietnamese; "
            "give it with --encoding (utf-8, windows-1258 or tcvn3)");
    }
out:
    if (rc == BP_ENOMEM)
        bp_error_set_at(err, rc, name, 0, NULL, NULL);
    return rc;
}

/* Excel workbooks handed in instead of CSV. */
static int workbook_error(const char *s, size_t len, const char *name,
                          struct bp_error *err)
{
    static const char xls[8] = {'\xD0', '\xCF', '\x11', '\xE0',
                                '\xA1', '\xB1', '\x1A', '\xE1'};

    if (len >= 4 && memcmp(s, "PK\x03\x04", 4) == 0)
        return bp_error_set_at(err, BP_EENCODING, name, 0, NULL,
                               "is an Excel workbook (.xlsx) or another ZIP "
                               "file, not CSV; in Excel use Save As, "
                               "'CSV UTF-8'");
    if (len >= 8 && memcmp(s, xls, 8) == 0)
        return bp_error_set_at(err, BP_EENCODING, name, 0, NULL,
                               "is an Excel 97-2003 workbook (.xls), not "
                               "CSV; in Excel use Save As, 'CSV UTF-8'");
    return 0;
}

/* Move `raw` into `text` without the first `skip` bytes, and compose. */
static void take_utf8(struct bp_buf *raw, size_t skip, struct bp_buf *text)
{
    *text = *raw;
    bp_buf_init(raw);
    if (skip) {
        memmove(text->data, text->data + skip, text->len - skip + 1);
        text->len -= skip;
    }
    text->len = bp_text_compose_vi(text->data, text->len);
}

int bp__csv_decode(struct bp_buf *raw, const char *name,
                   enum bp_csv_encoding enc, struct bp_buf *text,
                   enum bp_csv_encoding *found, struct bp_error *err)
{
    const char *s = raw->data;
    size_t len = raw->len, bad = 0, ctl, bom = 0;
    int rc;

    rc = workbook_error(s, len, name, err);
    if (rc)
        goto out;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 &&
        (enc == BP_CSV_ENC_AUTO || enc == BP_CSV_ENC_UTF8)) {
        enc = BP_CSV_ENC_UTF8;
        bom = 3;
    } else if (len >= 2 && (enc == BP_CSV_ENC_AUTO || enc == BP_CSV_ENC_UTF16) &&
               (memcmp(s, "\xFF\xFE", 2) == 0 ||
                memcmp(s, "\xFE\xFF", 2) == 0)) {
        enc = BP_CSV_ENC_UTF16;
        bom = 2;
    }
    if (enc == BP_CSV_ENC_UTF16) {
        int be = bom && s[0] == '\xFE';

        rc = convert_to(s + bom, len - bom, enc, be ? "UTF-16BE" : "UTF-16LE",
                        name, text, err);
        if (!rc)
            *found = enc;
        goto out;
    }
    ctl = find_control(s, len);
    if (ctl < len) {
        rc = control_error(s, ctl, name, err);
        goto out;
    }
    switch (enc) {
    case BP_CSV_ENC_AUTO:
    case BP_CSV_ENC_UTF8:
        if (bp_text_utf8_valid(s + bom, len - bom, &bad)) {
            take_utf8(raw, bom, text);
            *found = BP_CSV_ENC_UTF8;
            break;
        }
        if (enc == BP_CSV_ENC_UTF8) {
            rc = bp_error_set_at(
                err, BP_EENCODING, name, bp__csv_row_at(s, bom + bad), NULL,
                "byte 0x%02X (at offset %zu) is not valid UTF-8 text",
                (unsigned)(unsigned char)s[bom + bad], bom + bad);
            break;
        }
        rc = detect_legacy(s, len, name, text, found, err);
        break;
    case BP_CSV_ENC_CP1258:
        rc = convert_to(s, len, enc, ICONV_CP1258, name, text, err);
        if (!rc)
            *found = enc;
        break;
    case BP_CSV_ENC_TCVN3:
        rc = convert_to(s, len, enc, ICONV_TCVN, name, text, err);
        if (!rc)
            *found = enc;
        break;
    default:
        rc = bp_error_set_at(err, BP_EINVAL, name, 0, NULL,
                             "unknown encoding %d", (int)enc);
        break;
    }
out:
    return rc;
}
