/* SPDX-License-Identifier: MIT */
/*
 * CSV files as border stations make them with Excel: RFC 4180 quoting,
 * ',' ';' or tab separators, CRLF, LF or CR line ends, and text in UTF-8
 * (with or without BOM), Windows-1258, TCVN3 (.VnTime fonts) or UTF-16
 * with BOM (Excel's "Unicode Text"). The reader converts the whole file to
 * NFC UTF-8 once and then parses records in place, without allocating per
 * row or field.
 *
 *     struct bp_csv *csv = NULL;
 *     static const char *const name_col[] = {"ho_ten", "họ và tên", NULL};
 *     int rc = bp_csv_open("ho.csv", NULL, &csv, &err);
 *     int c = rc ? -1 : bp_csv_col(csv, name_col);
 *     while (c >= 0 && (rc = bp_csv_next(csv, &err)) > 0)
 *         use(bp_csv_row(csv), bp_csv_field(csv, (size_t)c));
 *     bp_csv_close(csv);        // rc < 0: err names file and row
 *
 * Rows are numbered as Excel numbers them: the header is row 1 (unless
 * `header_row` says otherwise), every line break outside quotes starts a
 * new row, empty lines count but are skipped. A reader is used by one
 * thread at a time.
 */
#ifndef BIENPHONG_CSV_H
#define BIENPHONG_CSV_H

#include <stddef.h>

#include "bienphong/buf.h"
#include "bienphong/error.h"

/** Text encodings of a CSV file. */
enum bp_csv_encoding {
    BP_CSV_ENC_AUTO = 0, /* detect (see bp_csv_open_mem) */
    BP_CSV_ENC_UTF8,
    BP_CSV_ENC_CP1258, /* Windows-1258 */
    BP_CSV_ENC_TCVN3,  /* TCVN 5712:1993 VN3, the .VnTime fonts */
    BP_CSV_ENC_UTF16   /* UTF-16, byte order from its BOM (LE without) */
};

/** How to read a file; zero-initialised (or NULL) means defaults. */
struct bp_csv_opts {
    enum bp_csv_encoding encoding; /* AUTO: detect */
    char delimiter;  /* ',', ';' or '\t'; 0: detect from the header row */
    long header_row; /* Excel row of the header, for sheets with title
                        rows above it; rows before it are not read;
                        0: the first non-empty row */
};

struct bp_csv;

/**
 * Read the whole file at `path` ("-" for stdin) and open it as CSV; see
 * bp_csv_open_mem() for the rest of the contract. BP_EIO when the file
 * cannot be read (the message says why).
 */
int bp_csv_open(const char *path, const struct bp_csv_opts *opts,
                struct bp_csv **out, struct bp_error *err);

/**
 * Open `len` bytes of CSV at `data` (borrowed; copied) called `name` (for
 * messages; NULL for "<memory>"). `opts` may be NULL.
 *
 * The encoding, unless given, is detected: a UTF-8 BOM means UTF-8, a
 * UTF-16 BOM UTF-16; otherwise valid UTF-8 is UTF-8; otherwise the text is
 * decoded both as Windows-1258 and as TCVN3 and the one that reads more
 * like Vietnamese (words made of Vietnamese letters with at most one tone
 * mark, in a Vietnamese syllable shape, in one case pattern; few stray
 * symbols) wins, if it is plausible at all. The text is converted with
 * iconv(3) to UTF-8 and composed to NFC (bp_text_compose_vi()). The
 * separator, unless given, is whichever of ',' ';' and tab occurs most
 * often (outside quotes) in the header row. The header row is then read.
 *
 * Returns 0 and sets `*out` (caller owns; bp_csv_close()), or:
 * BP_EINVAL for NULL `data` (with `len` > 0) or `out`, a bad delimiter or
 * a negative header_row;
 * BP_EENCODING when the encoding cannot be detected (the message asks for
 * --encoding), when bytes are invalid in the encoding given or found
 * (the message names the row), when the file holds NUL or other control
 * characters than tab, CR and LF, or is an Excel workbook (.xlsx, .xls);
 * BP_EEMPTY when there is no header row;
 * BP_EPARSE for bad quoting in the header row;
 * BP_ENOMEM.
 * `err` names the file, and the row where there is one. `*out` untouched
 * on failure.
 */
int bp_csv_open_mem(const char *data, size_t len, const char *name,
                    const struct bp_csv_opts *opts, struct bp_csv **out,
                    struct bp_error *err);

/** Close a reader; bp_csv_close(NULL) is a no-op. */
void bp_csv_close(struct bp_csv *csv);

/** The file's name as given to open; borrowed, valid until close. */
const char *bp_csv_name(const struct bp_csv *csv);

/** The encoding the text was read in (given or detected; never AUTO). */
enum bp_csv_encoding bp_csv_encoding_of(const struct bp_csv *csv);

/** The separator in use: ',', ';' or '\t'. */
char bp_csv_delimiter(const struct bp_csv *csv);

/**
 * Name of an encoding as bp_csv_parse_encoding() reads it: "auto",
 * "utf-8", "windows-1258", "tcvn3", "utf-16"; "?" for other values.
 * Static storage.
 */
const char *bp_csv_encoding_name(enum bp_csv_encoding enc);

/**
 * Parse an encoding name, ignoring case: "auto"; "utf-8", "utf8";
 * "windows-1258", "cp1258", "1258"; "tcvn3", "tcvn", "vn3", "abc";
 * "utf-16", "utf16". Returns 0 and sets `*out`, or BP_EINVAL (`*out`
 * untouched).
 */
int bp_csv_parse_encoding(const char *name, enum bp_csv_encoding *out);

/** Number of columns: the number of fields of the header row (>= 1). */
size_t bp_csv_ncols(const struct bp_csv *csv);

/**
 * Name of column `col` as written in the header (trimmed, NFC UTF-8);
 * NULL when `col` >= ncols. Borrowed, valid until close.
 */
const char *bp_csv_header(const struct bp_csv *csv, size_t col);

/**
 * Index of the first column whose header matches any of `names` (a NULL-
 * terminated list of aliases, tried in order). Headers and aliases are
 * compared ignoring case and Vietnamese diacritics, with runs of spaces
 * and underscores equal to one another and ignored at the ends: "Họ tên
 * chủ hộ" matches "ho_ten_chu_ho". Returns -1 when none matches. Never
 * allocates.
 */
int bp_csv_col(const struct bp_csv *csv, const char *const *names);

/**
 * Read the next data row. Returns 1 when a row is ready, 0 at the end, or
 * a negative code: BP_EPARSE for a row whose number of fields differs
 * from the header's, a quote left open, or text after a closing quote
 * (`err` names the file, the row and, where it applies, the column). An
 * error is final: later calls return it again without touching `err`.
 * Rows with nothing but separators and spaces are skipped like empty
 * lines (Excel writes them for formatted empty rows). Never allocates.
 */
int bp_csv_next(struct bp_csv *csv, struct bp_error *err);

/** Excel row number of the current row (of the header before the first
 *  bp_csv_next()). */
long bp_csv_row(const struct bp_csv *csv);

/**
 * Field `col` of the current row: NFC UTF-8 with quotes undone and
 * leading and trailing spaces, tabs and no-break spaces removed. "" when
 * `col` >= ncols or before the first row. Borrowed, valid until the next
 * bp_csv_next() or close.
 */
const char *bp_csv_field(const struct bp_csv *csv, size_t col);

/** Share of the text read so far, from 0 to 1, for progress displays. */
double bp_csv_progress(const struct bp_csv *csv);

/*
 * Writing. A writer appends to a caller's buffer; it holds no resources,
 * so there is nothing to release.
 *
 *     struct bp_csv_writer w;
 *     bp_csv_writer_init(&w, &buf, ';');
 *     bp_csv_write_bom(&w);
 *     bp_csv_write_field(&w, "Họ tên");  bp_csv_write_field(&w, "Thôn");
 *     bp_csv_write_eol(&w);
 *
 * Each returns 0 or BP_ENOMEM; on failure the buffer may hold part of the
 * field (the caller drops the buffer).
 */
struct bp_csv_writer {
    struct bp_buf *out; /* borrowed */
    char delimiter;
    size_t col; /* fields written on the current line */
};

/** Start writing to `out` with `delimiter` (0 means ','). */
void bp_csv_writer_init(struct bp_csv_writer *w, struct bp_buf *out,
                        char delimiter);

/** The UTF-8 BOM, so Excel shows the diacritics. Once, first. */
int bp_csv_write_bom(struct bp_csv_writer *w);

/**
 * One field (NULL writes an empty one), after a separator unless it is the
 * first of its line. Quoted, with '"' doubled, when it holds the
 * separator, a quote, CR or LF. (The reader trims spaces around fields,
 * quoted or not, so they do not survive a round trip.)
 */
int bp_csv_write_field(struct bp_csv_writer *w, const char *field);

/** `n` fields in a row, then the line end. */
int bp_csv_write_row(struct bp_csv_writer *w, const char *const *fields,
                     size_t n);

/** End the line with CRLF, as Excel does. */
int bp_csv_write_eol(struct bp_csv_writer *w);

#endif
