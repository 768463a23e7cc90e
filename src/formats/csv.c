/* SPDX-License-Identifier: MIT */
/*
 * The CSV reader and writer. The reader holds the whole file as NFC UTF-8
 * (see csv_encoding.c) and parses one record at a time in place: quotes
 * are undone by moving bytes down, each field is cut off with a NUL, and
 * the fields are pointers into the text kept in one array sized by the
 * header. Nothing is allocated after the header is read.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "bienphong/alloc.h"
#include "bienphong/csv.h"
#include "bienphong/text.h"
#include "formats/csv_int.h"

struct bp_csv {
    char *text; /* owned: NUL-terminated UTF-8, cut up as it is read */
    size_t len;
    size_t pos; /* start of the next record */
    char *name; /* owned */
    enum bp_csv_encoding enc;
    char sep;
    size_t ncols;
    const char **header; /* owned array of ncols pointers into text */
    const char **field;  /* owned array of ncols pointers into text */
    long row;            /* Excel row of the current record */
    long next_row;       /* Excel row at pos */
    int rc;              /* first error of bp_csv_next(), sticky */
};

/* What ends an unquoted field, by byte, for the given separator. */
static int ends_field(unsigned char c, char sep)
{
    return c == (unsigned char)sep || c == '\n' || c == '\r' || c == '\0';
}

/* Length of the blank (space, tab, no-break space) at `p`, or 0. */
static size_t blank_at(const char *p)
{
    if (*p == ' ' || *p == '\t')
        return 1;
    if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
        return 2;
    return 0;
}

/* Trim `[*start, *end)` of blanks on both sides. */
static void trim(char *text, size_t *start, size_t *end)
{
    size_t n;

    while (*start < *end && (n = blank_at(text + *start)) != 0)
        *start += n;
    while (*end > *start) {
        if (text[*end - 1] == ' ' || text[*end - 1] == '\t')
            (*end)--;
        else if (*end - *start >= 2 &&
                 (unsigned char)text[*end - 2] == 0xC2 &&
                 (unsigned char)text[*end - 1] == 0xA0)
            *end -= 2;
        else
            break;
    }
}

/* Column label for messages: the header's name, or its number. */
static const char *col_label(const struct bp_csv *csv, size_t col,
                             char *tmp, size_t size)
{
    if (csv->header && col < csv->ncols && csv->header[col][0])
        return csv->header[col];
    snprintf(tmp, size, "column %zu", col + 1);
    return tmp;
}

/*
 * Parse one field starting at `*pos`, in place. Sets `*start` to where its
 * text begins (NUL-terminated now) and `*term` to the byte that ended it
 * (separator, '\r', '\n' or '\0' at the end), and moves `*pos` to that
 * byte. Returns 0 or BP_EPARSE (`err` filled for column `col`).
 */
static int parse_field(struct bp_csv *csv, size_t *pos, size_t col,
                       size_t *start, char *term, struct bp_error *err)
{
    char *t = csv->text;
    size_t p = *pos, q = p, s, e, n;
    char tmp[32];
    int rc = 0;

    while (t[q] == ' ' || (t[q] == '\t' && csv->sep != '\t'))
        q++;
    if (t[q] == '"') {
        size_t r = q + 1, w = q + 1;

        s = r;
        for (;;) {
            const char *quote = memchr(t + r, '"', csv->len - r);

            if (!quote) {
                rc = bp_error_set_at(err, BP_EPARSE, csv->name, csv->row,
                                     col_label(csv, col, tmp, sizeof(tmp)),
                                     "a quoted field is not closed");
                goto out;
            }
            n = (size_t)(quote - (t + r));
            if (w != r)
                memmove(t + w, t + r, n);
            w += n;
            r += n + 1;
            if (t[r] != '"')
                break;
            /* A doubled quote stands for one. */
            t[w++] = '"';
            r++;
        }
        e = w;
        while (t[r] == ' ' || (t[r] == '\t' && csv->sep != '\t'))
            r++;
        if (!ends_field((unsigned char)t[r], csv->sep)) {
            rc = bp_error_set_at(err, BP_EPARSE, csv->name, csv->row,
                                 col_label(csv, col, tmp, sizeof(tmp)),
                                 "text after the closing quote; quotes "
                                 "inside a quoted field must be doubled");
            goto out;
        }
        q = r;
    } else {
        s = p;
        while (!ends_field((unsigned char)t[q], csv->sep))
            q++;
        e = q;
    }
    *term = t[q];
    trim(t, &s, &e);
    t[e] = '\0';
    *start = s;
    *pos = q;
out:
    return rc;
}

/*
 * Parse the record at csv->pos, skipping empty lines and rows of nothing
 * but separators. Field pointers go into `(*fields)[0..*cap)`; when `grow`
 * the array is grown to hold them all, otherwise extra fields are only
 * counted in `*nfields`. Returns 1, 0 at the end of the text, BP_EPARSE or
 * BP_ENOMEM.
 */
static int parse_record(struct bp_csv *csv, const char ***fields,
                        size_t *cap, int grow, size_t *nfields,
                        struct bp_error *err)
{
    char *t = csv->text;
    int rc = 0;

    for (;;) {
        size_t pos = csv->pos, nf = 0;
        int any = 0;
        char term = 0;

        while (t[pos] == '\r' || t[pos] == '\n') {
            pos += t[pos] == '\r' && t[pos + 1] == '\n' ? 2 : 1;
            csv->next_row++;
        }
        csv->pos = pos;
        if (pos >= csv->len)
            goto out;
        csv->row = csv->next_row;
        for (;;) {
            size_t start = 0;

            rc = parse_field(csv, &pos, nf, &start, &term, err);
            if (rc)
                goto out;
            if (nf == *cap && grow) {
                size_t ncap = *cap ? *cap * 2 : 16;
                const char **v = bp_reallocarray(*fields, ncap, sizeof(*v));

                if (!v) {
                    rc = bp_error_set_at(err, BP_ENOMEM, csv->name,
                                         csv->row, NULL, NULL);
                    goto out;
                }
                *fields = v;
                *cap = ncap;
            }
            if (nf < *cap)
                (*fields)[nf] = t + start;
            any |= t[start] != '\0';
            nf++;
            if (term != csv->sep)
                break;
            pos++;
        }
        /* The terminator's byte may be a NUL now; go by `term`. */
        if (term == '\r' || term == '\n')
            pos++;
        if (term == '\r' && t[pos] == '\n')
            pos++;
        csv->pos = pos;
        csv->next_row++;
        if (any) {
            *nfields = nf;
            rc = 1;
            goto out;
        }
    }
out:
    return rc;
}

/*
 * The separator of the header line at `pos`: the most frequent of tab,
 * ';' and ',' outside quotes, ties in that order; ',' when none occurs.
 */
static char detect_sep(const char *t, size_t pos)
{
    static const char cand[3] = {'\t', ';', ','};
    size_t count[3] = {0, 0, 0}, i;
    int quoted = 0, best = 2;

    for (; t[pos] && (quoted || (t[pos] != '\n' && t[pos] != '\r')); pos++) {
        if (t[pos] == '"')
            quoted = !quoted;
        else if (!quoted)
            for (i = 0; i < 3; i++)
                count[i] += t[pos] == cand[i];
    }
    for (i = 0; i < 3; i++)
        if (count[i] > count[best])
            best = (int)i;
    return cand[best];
}

/* Move csv->pos to the start of Excel row `row` (quote-aware). */
static void skip_to_row(struct bp_csv *csv, long row)
{
    const char *t = csv->text;
    size_t p = csv->pos;
    int quoted = 0;

    while (csv->next_row < row && p < csv->len) {
        if (t[p] == '"') {
            quoted = !quoted;
        } else if (!quoted && (t[p] == '\n' || t[p] == '\r')) {
            if (t[p] == '\r' && t[p + 1] == '\n')
                p++;
            csv->next_row++;
        }
        p++;
    }
    csv->pos = p;
}

static int read_header(struct bp_csv *csv, const struct bp_csv_opts *o,
                       struct bp_error *err)
{
    const char **hdr = NULL;
    size_t cap = 0, n = 0, i, line;
    char sep = 0;
    int rc;

    csv->pos = bp__csv_sep_line(csv->text, csv->len, &sep);
    csv->sep = o->delimiter ? o->delimiter : sep;
    if (o->header_row > 1)
        skip_to_row(csv, o->header_row);
    if (!csv->sep) {
        /* Detect on the header line itself, after any empty lines. */
        line = csv->pos;
        while (csv->text[line] == '\r' || csv->text[line] == '\n')
            line++;
        csv->sep = detect_sep(csv->text, line);
    }
    rc = parse_record(csv, &hdr, &cap, 1, &n, err);
    if (rc < 0)
        goto out;
    if (rc == 0 || (o->header_row > 0 && csv->row != o->header_row)) {
        rc = o->header_row > 0
                 ? bp_error_set_at(err, BP_EEMPTY, csv->name, o->header_row,
                                   NULL, "there is no header in this row")
                 : bp_error_set_at(err, BP_EEMPTY, csv->name, 0, NULL,
                                   "the file is empty; expected a header "
                                   "row");
        goto out;
    }
    csv->field = bp_calloc(n, sizeof(*csv->field));
    if (!csv->field) {
        rc = bp_error_set_at(err, BP_ENOMEM, csv->name, 0, NULL, NULL);
        goto out;
    }
    for (i = 0; i < n; i++)
        csv->field[i] = "";
    csv->header = hdr;
    hdr = NULL;
    csv->ncols = n;
    rc = 0;
out:
    bp_free(hdr);
    return rc;
}

/* Open from the file's bytes in `raw` (which may be emptied). */
static int open_raw(struct bp_buf *raw, const char *name,
                    const struct bp_csv_opts *o, struct bp_csv **out,
                    struct bp_error *err)
{
    struct bp_buf text = BP_BUF_INIT;
    struct bp_csv *csv = NULL;
    enum bp_csv_encoding found = BP_CSV_ENC_UTF8;
    int rc;

    rc = bp__csv_decode(raw, name, o->encoding, &text, &found, err);
    if (rc)
        goto out;
    csv = bp_calloc(1, sizeof(*csv));
    if (!csv || !(csv->name = bp_strdup(name))) {
        rc = bp_error_set_at(err, BP_ENOMEM, name, 0, NULL, NULL);
        goto out;
    }
    /* The parser reads t[len] (a NUL); an empty buffer's "" has it. */
    csv->len = text.len;
    csv->text = bp_buf_take(&text, NULL);
    if (!csv->text) {
        rc = bp_error_set_at(err, BP_ENOMEM, name, 0, NULL, NULL);
        goto out;
    }
    csv->enc = found;
    csv->next_row = 1;
    csv->row = 1;
    rc = read_header(csv, o, err);
    if (rc)
        goto out;
    *out = csv;
    csv = NULL;
out:
    bp_csv_close(csv);
    bp_buf_release(&text);
    return rc;
}

static int check_opts(const struct bp_csv_opts *o, struct bp_csv **out,
                      const char *name, struct bp_error *err)
{
    if (!out || o->header_row < 0 || (unsigned)o->encoding > 4 ||
        (o->delimiter && o->delimiter != ',' && o->delimiter != ';' &&
         o->delimiter != '\t'))
        return bp_error_set_at(err, BP_EINVAL, name, 0, NULL,
                               "invalid options for reading CSV");
    return 0;
}

static const struct bp_csv_opts default_opts = {BP_CSV_ENC_AUTO, 0, 0};

int bp_csv_open_mem(const char *data, size_t len, const char *name,
                    const struct bp_csv_opts *opts, struct bp_csv **out,
                    struct bp_error *err)
{
    const struct bp_csv_opts *o = opts ? opts : &default_opts;
    struct bp_buf raw = BP_BUF_INIT;
    int rc;

    if (!name)
        name = "<memory>";
    rc = check_opts(o, out, name, err);
    if (!rc && !data && len)
        rc = bp_error_set_at(err, BP_EINVAL, name, 0, NULL,
                             "no data to read");
    if (rc)
        goto out;
    rc = bp_buf_add(&raw, data, len);
    if (rc) {
        rc = bp_error_set_at(err, rc, name, 0, NULL, NULL);
        goto out;
    }
    rc = open_raw(&raw, name, o, out, err);
out:
    bp_buf_release(&raw);
    return rc;
}

int bp_csv_open(const char *path, const struct bp_csv_opts *opts,
                struct bp_csv **out, struct bp_error *err)
{
    const struct bp_csv_opts *o = opts ? opts : &default_opts;
    struct bp_buf raw = BP_BUF_INIT;
    int rc;

    if (!path) {
        rc = bp_error_set_at(err, BP_EINVAL, NULL, 0, NULL,
                             "no file to read");
        goto out;
    }
    rc = check_opts(o, out, path, err);
    if (rc)
        goto out;
    errno = 0;
    rc = bp_buf_read_file(&raw, path);
    if (rc == BP_EIO) {
        rc = bp_error_set_at(err, rc, path, 0, NULL, "cannot read: %s",
                             errno ? strerror(errno) : "read error");
        goto out;
    }
    if (rc) {
        rc = bp_error_set_at(err, rc, path, 0, NULL, NULL);
        goto out;
    }
    rc = open_raw(&raw, path, o, out, err);
out:
    bp_buf_release(&raw);
    return rc;
}

void bp_csv_close(struct bp_csv *csv)
{
    if (!csv)
        return;
    bp_free(csv->text);
    bp_free(csv->name);
    bp_free(csv->header);
    bp_free(csv->field);
    bp_free(csv);
}

const char *bp_csv_name(const struct bp_csv *csv)
{
    return csv->name;
}

enum bp_csv_encoding bp_csv_encoding_of(const struct bp_csv *csv)
{
    return csv->enc;
}

char bp_csv_delimiter(const struct bp_csv *csv)
{
    return csv->sep;
}

static const struct {
    const char *name;
    enum bp_csv_encoding enc;
} enc_names[] = {
    {"auto", BP_CSV_ENC_AUTO},          {"utf-8", BP_CSV_ENC_UTF8},
    {"windows-1258", BP_CSV_ENC_CP1258}, {"tcvn3", BP_CSV_ENC_TCVN3},
    {"utf-16", BP_CSV_ENC_UTF16},        {"utf8", BP_CSV_ENC_UTF8},
    {"cp1258", BP_CSV_ENC_CP1258},       {"1258", BP_CSV_ENC_CP1258},
    {"tcvn", BP_CSV_ENC_TCVN3},          {"vn3", BP_CSV_ENC_TCVN3},
    {"abc", BP_CSV_ENC_TCVN3},           {"utf16", BP_CSV_ENC_UTF16},
};

const char *bp_csv_encoding_name(enum bp_csv_encoding enc)
{
    size_t i;

    /* The first name of each encoding is its canonical one. */
    for (i = 0; i < sizeof(enc_names) / sizeof(enc_names[0]); i++)
        if (enc_names[i].enc == enc)
            return enc_names[i].name;
    return "?";
}

int bp_csv_parse_encoding(const char *name, enum bp_csv_encoding *out)
{
    size_t i;

    if (!name || !out)
        return BP_EINVAL;
    for (i = 0; i < sizeof(enc_names) / sizeof(enc_names[0]); i++)
        if (!strcasecmp(name, enc_names[i].name)) {
            *out = enc_names[i].enc;
            return 0;
        }
    return BP_EINVAL;
}

size_t bp_csv_ncols(const struct bp_csv *csv)
{
    return csv->ncols;
}

const char *bp_csv_header(const struct bp_csv *csv, size_t col)
{
    return col < csv->ncols ? csv->header[col] : NULL;
}

/* Reads a header or alias as its comparison key, one code point a time. */
struct key {
    const char *p;
    int begun;
};

static size_t spacing_at(const char *p)
{
    return *p == '_' ? 1 : blank_at(p);
}

/* The next code point of the key; 0 at the end. */
static uint32_t key_next(struct key *k)
{
    for (;;) {
        struct bp_vi_char vc;
        uint32_t cp;
        size_t n;

        if (!*k->p)
            return 0;
        if (spacing_at(k->p)) {
            while ((n = spacing_at(k->p)) != 0)
                k->p += n;
            if (*k->p && k->begun)
                return ' ';
            continue;
        }
        /* Decoding stops at the NUL: it is no continuation byte. */
        n = bp_text_utf8_next(k->p, 4, &cp);
        k->p += n;
        if (cp >= 0x0300 && cp <= 0x036F)
            continue;
        k->begun = 1;
        if (bp_text_vi_char(cp, &vc))
            return (uint32_t)(unsigned char)vc.base;
        return cp;
    }
}

static int key_equal(const char *a, const char *b)
{
    struct key ka = {a, 0}, kb = {b, 0};
    uint32_t ca, cb;

    do {
        ca = key_next(&ka);
        cb = key_next(&kb);
        if (ca != cb)
            return 0;
    } while (ca);
    return 1;
}

int bp_csv_col(const struct bp_csv *csv, const char *const *names)
{
    size_t i, c;

    if (!names)
        return -1;
    for (i = 0; names[i]; i++)
        for (c = 0; c < csv->ncols; c++)
            if (key_equal(csv->header[c], names[i]))
                return (int)c;
    return -1;
}

int bp_csv_next(struct bp_csv *csv, struct bp_error *err)
{
    size_t cap = csv->ncols, n = 0, i;
    int rc;

    if (csv->rc)
        return csv->rc;
    rc = parse_record(csv, &csv->field, &cap, 0, &n, err);
    if (rc == 1 && n != csv->ncols) {
        rc = bp_error_set_at(err, BP_EPARSE, csv->name, csv->row, NULL,
                             "has %zu fields where the header has %zu "
                             "(separator '%s')",
                             n, csv->ncols,
                             csv->sep == '\t' ? "\\t"
                             : csv->sep == ';' ? ";"
                                               : ",");
    }
    if (rc < 0) {
        csv->rc = rc;
        /* The fields may point into a half-cut record. */
        for (i = 0; i < csv->ncols; i++)
            csv->field[i] = "";
    } else if (rc == 0) {
        for (i = 0; i < csv->ncols; i++)
            csv->field[i] = "";
    }
    return rc;
}

long bp_csv_row(const struct bp_csv *csv)
{
    return csv->row;
}

const char *bp_csv_field(const struct bp_csv *csv, size_t col)
{
    return col < csv->ncols ? csv->field[col] : "";
}

double bp_csv_progress(const struct bp_csv *csv)
{
    return csv->len ? (double)csv->pos / (double)csv->len : 1.0;
}

/* --- Writing ----------------------------------------------------------- */

void bp_csv_writer_init(struct bp_csv_writer *w, struct bp_buf *out,
                        char delimiter)
{
    w->out = out;
    w->delimiter = delimiter ? delimiter : ',';
    w->col = 0;
}

int bp_csv_write_bom(struct bp_csv_writer *w)
{
    return bp_buf_add(w->out, "\xEF\xBB\xBF", 3);
}

int bp_csv_write_field(struct bp_csv_writer *w, const char *field)
{
    const char *f = field ? field : "";
    size_t len = strlen(f), i;
    char stops[5] = {'"', '\r', '\n', w->delimiter, '\0'};
    struct bp_buf *b = w->out;
    int rc;

    /* Room for a separator, two quotes and every byte doubled. */
    if (len > (SIZE_MAX - 3) / 2)
        return BP_ENOMEM;
    rc = bp_buf_grow(b, 2 * len + 3);
    if (rc)
        return rc;
    if (w->col++)
        b->data[b->len++] = w->delimiter;
    if (f[strcspn(f, stops)] == '\0') {
        memcpy(b->data + b->len, f, len);
        b->len += len;
    } else {
        b->data[b->len++] = '"';
        for (i = 0; i < len; i++) {
            if (f[i] == '"')
                b->data[b->len++] = '"';
            b->data[b->len++] = f[i];
        }
        b->data[b->len++] = '"';
    }
    b->data[b->len] = '\0';
    return 0;
}

int bp_csv_write_eol(struct bp_csv_writer *w)
{
    w->col = 0;
    return bp_buf_add(w->out, "\r\n", 2);
}

int bp_csv_write_row(struct bp_csv_writer *w, const char *const *fields,
                     size_t n)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < n && !rc; i++)
        rc = bp_csv_write_field(w, fields[i]);
    if (!rc)
        rc = bp_csv_write_eol(w);
    return rc;
}
