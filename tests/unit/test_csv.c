/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the CSV reader and writer: RFC 4180 quoting, separators,
 * line ends, BOM, Excel rows, header aliases, Windows-1258, TCVN3 and
 * UTF-16 files (bytes made with iconv(3) here) detected and decoded to
 * NFC, garbage refused, explicit encodings, errors with their rows and
 * messages, the writer, and every allocation failing in turn.
 */
#include <errno.h>
#include <iconv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bienphong/alloc.h"
#include "bienphong/buf.h"
#include "bienphong/csv.h"
#include "bienphong/error.h"

/* Open `s` (NUL-terminated) and assert success. */
static struct bp_csv *open_ok(const char *s, const struct bp_csv_opts *o)
{
    struct bp_error err = {0};
    struct bp_csv *csv = NULL;
    int rc = bp_csv_open_mem(s, strlen(s), "t.csv", o, &csv, &err);

    if (rc)
        print_message("open failed: %s: row %ld: %s\n", bp_errname(rc),
                      err.row, err.message);
    assert_int_equal(rc, 0);
    assert_non_null(csv);
    return csv;
}

/* Assert the next row is `row` with the `n` fields `want`. */
static void expect_row(struct bp_csv *csv, long row, size_t n,
                       const char *const *want)
{
    struct bp_error err = {0};
    size_t i;
    int rc = bp_csv_next(csv, &err);

    if (rc != 1)
        print_message("next: %d (%s) row %ld: %s\n", rc, bp_errname(rc),
                      err.row, err.message);
    assert_int_equal(rc, 1);
    assert_int_equal(bp_csv_row(csv), row);
    assert_int_equal(bp_csv_ncols(csv), n);
    for (i = 0; i < n; i++) {
        if (strcmp(bp_csv_field(csv, i), want[i]))
            print_message("row %ld field %zu: got '%s', want '%s'\n", row,
                          i, bp_csv_field(csv, i), want[i]);
        assert_string_equal(bp_csv_field(csv, i), want[i]);
    }
}

static void expect_end(struct bp_csv *csv)
{
    struct bp_error err = {0};

    assert_int_equal(bp_csv_next(csv, &err), 0);
    assert_int_equal(err.code, 0);
    /* And it stays at the end. */
    assert_int_equal(bp_csv_next(csv, &err), 0);
}

/* Convert UTF-8 `utf8` into encoding `enc` with iconv; returns length. */
static size_t encode(const char *enc, const char *utf8, char *out,
                     size_t cap)
{
    iconv_t cd = iconv_open(enc, "UTF-8");
    char *ip = (char *)utf8, *op = out;
    size_t il = strlen(utf8), ol = cap;

    assert_true(cd != (iconv_t)-1);
    assert_int_not_equal(iconv(cd, &ip, &il, &op, &ol), (size_t)-1);
    assert_int_not_equal(iconv(cd, NULL, NULL, &op, &ol), (size_t)-1);
    iconv_close(cd);
    return (size_t)(op - out);
}

/* Write bytes to a new temporary file; its path goes into `path`. */
static void write_temp(const void *data, size_t len, char *path,
                       size_t size)
{
    const char *dir = getenv("TMPDIR");
    FILE *f;
    int fd;

    snprintf(path, size, "%s/bp_csv_XXXXXX", dir && *dir ? dir : "/tmp");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* --- Syntax ------------------------------------------------------------- */

static void test_quoting(void **state)
{
    static const char text[] =
        "a,b,c\r\n"
        "\"x, y\",\"he said \"\"hi\"\"\",\"line 1\nline 2\"\r\n"
        "\"\",\"\"\"\",plain\r\n"
        "  \"spaced\"  ,\"a\r\nb\",\"\"\"quoted\"\" start\"\r\n"
        "last,row,here\r\n";
    static const char *const r2[] = {"x, y", "he said \"hi\"",
                                     "line 1\nline 2"};
    static const char *const r3[] = {"", "\"", "plain"};
    static const char *const r4[] = {"spaced", "a\r\nb",
                                     "\"quoted\" start"};
    static const char *const r5[] = {"last", "row", "here"};
    struct bp_csv *csv = open_ok(text, NULL);

    (void)state;
    assert_int_equal(bp_csv_delimiter(csv), ',');
    assert_int_equal(bp_csv_encoding_of(csv), BP_CSV_ENC_UTF8);
    assert_string_equal(bp_csv_header(csv, 0), "a");
    assert_string_equal(bp_csv_header(csv, 2), "c");
    assert_null(bp_csv_header(csv, 3));
    assert_int_equal(bp_csv_row(csv), 1);
    /* Line breaks inside quotes do not start Excel rows. */
    expect_row(csv, 2, 3, r2);
    expect_row(csv, 3, 3, r3);
    expect_row(csv, 4, 3, r4);
    expect_row(csv, 5, 3, r5);
    expect_end(csv);
    bp_csv_close(csv);
}

static void test_delimiters(void **state)
{
    static const char *const semi[] = {"Nguyễn Văn A", "1,5", "x"};
    static const char *const tab[] = {"a;b", "c,d"};
    struct bp_csv_opts o = {0};
    struct bp_csv *csv;

    (void)state;
    /* Vietnamese Excel: ';' with decimal commas in the data. */
    csv = open_ok("Họ tên;Số km;Ghi chú\nNguyễn Văn A;1,5;x\n", NULL);
    assert_int_equal(bp_csv_delimiter(csv), ';');
    assert_int_equal(bp_csv_ncols(csv), 3);
    expect_row(csv, 2, 3, semi);
    expect_end(csv);
    bp_csv_close(csv);

    csv = open_ok("h1\th2\na;b\tc,d\n", NULL);
    assert_int_equal(bp_csv_delimiter(csv), '\t');
    expect_row(csv, 2, 2, tab);
    bp_csv_close(csv);

    /* Separators inside quoted header names do not count. */
    csv = open_ok("\"a;b;c\",d\n1,2\n", NULL);
    assert_int_equal(bp_csv_delimiter(csv), ',');
    assert_string_equal(bp_csv_header(csv, 0), "a;b;c");
    bp_csv_close(csv);

    /* One column: no separator at all. */
    csv = open_ok("only\nv\n", NULL);
    assert_int_equal(bp_csv_ncols(csv), 1);
    assert_int_equal(bp_csv_delimiter(csv), ',');
    bp_csv_close(csv);

    /* Given, it wins over what the header suggests. */
    o.delimiter = ',';
    csv = open_ok("h1;h2,h3\nv,w\n", &o);
    assert_int_equal(bp_csv_ncols(csv), 2);
    expect_row(csv, 2, 2, (const char *const[]){"v", "w"});
    assert_string_equal(bp_csv_header(csv, 0), "h1;h2");
    bp_csv_close(csv);

    /* Excel's "sep=" line sets it and is not a row. */
    csv = open_ok("sep=;\r\nh1,x;h2\r\n1;2\r\n", NULL);
    assert_int_equal(bp_csv_delimiter(csv), ';');
    assert_string_equal(bp_csv_header(csv, 0), "h1,x");
    assert_int_equal(bp_csv_row(csv), 1);
    expect_row(csv, 2, 2, (const char *const[]){"1", "2"});
    bp_csv_close(csv);
}

static void test_bom_and_line_ends(void **state)
{
    static const char *const r[] = {"1", "2"};
    static const char *const last[] = {"5", "6"};
    struct bp_csv *csv;

    (void)state;
    csv = open_ok("\xEF\xBB\xBFmã;tên\r\n1;2\r\n", NULL);
    assert_string_equal(bp_csv_header(csv, 0), "mã");
    assert_int_equal(bp_csv_encoding_of(csv), BP_CSV_ENC_UTF8);
    expect_row(csv, 2, 2, r);
    expect_end(csv);
    bp_csv_close(csv);

    /* LF, CRLF and old-Mac CR mixed; no newline at the end. */
    csv = open_ok("a,b\n1,2\r\n3,4\r5,6", NULL);
    expect_row(csv, 2, 2, r);
    expect_row(csv, 3, 2, (const char *const[]){"3", "4"});
    expect_row(csv, 4, 2, last);
    expect_end(csv);
    bp_csv_close(csv);

    /* Quoted last field without a newline. */
    csv = open_ok("a,b\n5,\"6\"", NULL);
    expect_row(csv, 2, 2, last);
    expect_end(csv);
    bp_csv_close(csv);

    /* Header only. */
    csv = open_ok("a,b\r\n", NULL);
    expect_end(csv);
    assert_string_equal(bp_csv_field(csv, 0), "");
    bp_csv_close(csv);
}

static void test_empty_rows_and_trim(void **state)
{
    static const char text[] = "\n\r\nma , ten\n"
                               "\n"
                               " 1 ,  Hà Giang \n"
                               ",,\n"
                               " , \n"
                               "\"  2 \",\xC2\xA0" "Cao\xC2\xA0\x42\xE1\xBA\xB1ng\xC2\xA0\n"
                               "\r\n";
    static const char *const r1[] = {"1", "Hà Giang"};
    static const char *const r2[] = {"2", "Cao\xC2\xA0" "Bằng"};
    struct bp_csv *csv = open_ok(text, NULL);

    (void)state;
    /* Leading empty lines count as Excel rows. */
    assert_int_equal(bp_csv_row(csv), 3);
    assert_string_equal(bp_csv_header(csv, 0), "ma");
    assert_string_equal(bp_csv_header(csv, 1), "ten");
    /* Before the first row, fields are empty. */
    assert_string_equal(bp_csv_field(csv, 0), "");
    expect_row(csv, 5, 2, r1);
    /* ",," has three fields in a two-column file: being empty, it is
       skipped all the same. */
    expect_row(csv, 8, 2, r2);
    assert_string_equal(bp_csv_field(csv, 2), "");
    expect_end(csv);
    assert_true(bp_csv_progress(csv) == 1.0);
    bp_csv_close(csv);
}

static void test_header_row_option(void **state)
{
    static const char text[] =
        "BỘ ĐỘI BIÊN PHÒNG TỈNH LẠNG SƠN;;\n"
        "\"DANH SÁCH HỘ GIA ĐÌNH\nKÝ NHẬN TỰ QUẢN\";;\n"
        ";;\n"
        "STT;Họ tên;Thôn\n"
        "1;Lý Văn Sáu;Pò Mã\n";
    static const char *const r[] = {"1", "Lý Văn Sáu", "Pò Mã"};
    struct bp_csv_opts o = {0};
    struct bp_error err = {0};
    struct bp_csv *csv = NULL;

    (void)state;
    o.header_row = 4;
    csv = open_ok(text, &o);
    assert_int_equal(bp_csv_row(csv), 4);
    assert_int_equal(bp_csv_ncols(csv), 3);
    assert_string_equal(bp_csv_header(csv, 1), "Họ tên");
    expect_row(csv, 5, 3, r);
    expect_end(csv);
    bp_csv_close(csv);
    csv = NULL;

    /* A header row that is empty, or past the end. */
    o.header_row = 3;
    assert_int_equal(bp_csv_open_mem(text, strlen(text), "t.csv", &o, &csv,
                                     &err),
                     BP_EEMPTY);
    assert_int_equal(err.row, 3);
    assert_null(csv);
    o.header_row = 40;
    assert_int_equal(bp_csv_open_mem(text, strlen(text), "t.csv", &o, &csv,
                                     &err),
                     BP_EEMPTY);
    assert_null(csv);
}

static void test_wrong_field_count(void **state)
{
    static const char text[] = "ma;ten;thon\n"
                               "1;\"An\";Bản A\n"
                               "2;\"Bình\nthứ hai\";Bản B\n"
                               "3;Chi\n"
                               "4;Dung;Bản D\n";
    static const char *const r1[] = {"1", "An", "Bản A"};
    struct bp_error err = {0}, again = {0};
    struct bp_csv *csv = open_ok(text, NULL);
    char msg[1024];

    (void)state;
    expect_row(csv, 2, 3, r1);
    assert_int_equal(bp_csv_next(csv, &err), 1);
    assert_int_equal(bp_csv_row(csv), 3);
    assert_int_equal(bp_csv_next(csv, &err), BP_EPARSE);
    assert_int_equal(err.code, BP_EPARSE);
    /* The row as Excel shows it: the quoted line break is inside row 3. */
    assert_int_equal(err.row, 4);
    assert_string_equal(err.file, "t.csv");
    assert_string_equal(err.message,
                        "has 2 fields where the header has 3 (separator "
                        "';')");
    bp_error_format(&err, msg, sizeof(msg));
    assert_string_equal(msg, "t.csv: row 4: has 2 fields where the header "
                             "has 3 (separator ';')");
    /* The error is final. */
    assert_int_equal(bp_csv_next(csv, &again), BP_EPARSE);
    assert_int_equal(again.code, 0);
    assert_string_equal(bp_csv_field(csv, 0), "");
    bp_csv_close(csv);

    /* Too many fields. */
    csv = open_ok("a,b\n1,2,3\n", NULL);
    assert_int_equal(bp_csv_next(csv, &err), BP_EPARSE);
    assert_int_equal(err.row, 2);
    assert_string_equal(err.message, "has 3 fields where the header has 2 "
                                     "(separator ',')");
    bp_csv_close(csv);
}

static void test_quote_errors(void **state)
{
    struct bp_error err = {0};
    struct bp_csv *csv;

    (void)state;
    csv = open_ok("ma,ho_ten\n1,\"Nguyễn\n2,Lê\n", NULL);
    assert_int_equal(bp_csv_next(csv, &err), BP_EPARSE);
    assert_int_equal(err.row, 2);
    assert_string_equal(err.field, "ho_ten");
    assert_string_equal(err.message, "a quoted field is not closed");
    bp_csv_close(csv);

    csv = open_ok("ma,ho_ten\n1,\"Nguyễn\" Văn\n", NULL);
    assert_int_equal(bp_csv_next(csv, &err), BP_EPARSE);
    assert_int_equal(err.row, 2);
    assert_string_equal(err.field, "ho_ten");
    assert_non_null(strstr(err.message, "after the closing quote"));
    bp_csv_close(csv);

    /* In the header: no name to give, so the column number. */
    csv = NULL;
    assert_int_equal(bp_csv_open_mem("a,\"b\n", 5, "h.csv", NULL, &csv,
                                     &err),
                     BP_EPARSE);
    assert_null(csv);
    assert_int_equal(err.row, 1);
    assert_string_equal(err.field, "column 2");

    /* A quote inside an unquoted field is taken as it is. */
    csv = open_ok("a\n5\" pipe\n", NULL);
    expect_row(csv, 2, 1, (const char *const[]){"5\" pipe"});
    bp_csv_close(csv);
}

static void test_header_aliases(void **state)
{
    static const char text[] = "STT;Họ tên chủ hộ;NGÀY KÝ;  Số_CMND  ;"
                               "Đồn Biên phòng\n";
    static const char *const name[] = {"ho_ten_chu_ho", NULL};
    static const char *const name_upper[] = {"HO TEN CHU HO", NULL};
    /* Decomposed, as macOS writes file names and some editors text. */
    static const char *const name_nfd[] = {
        "Ho\xcc\xa3 te\xcc\x82n chu\xcc\x89 ho\xcc\xa3", NULL};
    static const char *const date[] = {"ngay ky nhan", "ngay_ky", NULL};
    static const char *const id[] = {"so cmnd", NULL};
    static const char *const station[] = {"don bien phong", NULL};
    static const char *const none[] = {"ho ten", "chu ho", "", NULL};
    struct bp_csv *csv = open_ok(text, NULL);

    (void)state;
    assert_int_equal(bp_csv_col(csv, name), 1);
    assert_int_equal(bp_csv_col(csv, name_upper), 1);
    assert_int_equal(bp_csv_col(csv, name_nfd), 1);
    assert_int_equal(bp_csv_col(csv, date), 2);
    assert_int_equal(bp_csv_col(csv, id), 3);
    assert_int_equal(bp_csv_col(csv, station), 4);
    assert_int_equal(bp_csv_col(csv, none), -1);
    assert_int_equal(bp_csv_col(csv, NULL), -1);
    assert_string_equal(bp_csv_header(csv, 3), "Số_CMND");
    bp_csv_close(csv);
}

/* --- Encodings ---------------------------------------------------------- */

static const char households[] = "Họ và tên;Thôn;Xã\n"
                                 "Nguyễn Văn Hùng;Bản Khuổi Tào;Bảo Lâm\n"
                                 "Hoàng Thị Lan;Thôn Nà Lầu;Thụy Hùng\n"
                                 "Đặng Văn Tuấn;Bản Cốc Nghiều;Quốc Khánh\n";

static void check_households(struct bp_csv *csv)
{
    static const char *const r2[] = {"Nguyễn Văn Hùng", "Bản Khuổi Tào",
                                     "Bảo Lâm"};
    static const char *const r4[] = {"Đặng Văn Tuấn", "Bản Cốc Nghiều",
                                     "Quốc Khánh"};
    struct bp_error err = {0};

    assert_string_equal(bp_csv_header(csv, 0), "Họ và tên");
    expect_row(csv, 2, 3, r2);
    assert_int_equal(bp_csv_next(csv, &err), 1);
    expect_row(csv, 4, 3, r4);
    expect_end(csv);
}

static void test_cp1258_detected(void **state)
{
    char bytes[1024], path[256];
    size_t n = encode("WINDOWS-1258", households, bytes, sizeof(bytes));
    struct bp_error err = {0};
    struct bp_csv *csv = NULL;

    (void)state;
    /* Windows-1258 writes "ễ" as "ê" and a combining tilde (0xDE). */
    assert_non_null(memchr(bytes, 0xDE, n));
    write_temp(bytes, n, path, sizeof(path));
    assert_int_equal(bp_csv_open(path, NULL, &csv, &err), 0);
    unlink(path);
    assert_int_equal(bp_csv_encoding_of(csv), BP_CSV_ENC_CP1258);
    assert_string_equal(bp_csv_name(csv), path);
    check_households(csv);
    bp_csv_close(csv);
}

static void test_tcvn3_detected(void **state)
{
    /* The VN3 bytes of "Nguyễn Văn Hùng", as .VnTime fonts store them. */
    static const char vn3[] = "STT,H\xe4 t\xaan\r\n"
                              "1,Nguy\xd4n V\xa8n H\xefng\r\n";
    char bytes[1024], path[256];
    size_t n = encode("TCVN5712-1", households, bytes, sizeof(bytes));
    struct bp_error err = {0};
    struct bp_csv *csv = NULL;

    (void)state;
    write_temp(bytes, n, path, sizeof(path));
    assert_int_equal(bp_csv_open(path, NULL, &csv, &err), 0);
    unlink(path);
    assert_int_equal(bp_csv_encoding_of(csv), BP_CSV_ENC_TCVN3);
    check_households(csv);
    bp_csv_close(csv);

    csv = open_ok(vn3, NULL);
    assert_int_equal(bp_csv_encoding_of(csv), BP_CSV_ENC_TCVN3);
    assert_string_equal(bp_csv_header(csv, 1), "Họ tên");
    expect_row(csv, 2, 2, (const char *const[]){"1", "Nguyễn Văn Hùng"});
    bp_csv_close(csv);
}

static void test_utf16_and_nfd(void **state)
{
    char bytes[2048];
    size_t n;
    struct bp_csv *csv = NULL;
    struct bp_error err = {0};

    (void)state;
    /* Excel's "Unicode Text": UTF-16LE with BOM, tab-separated. */
    bytes[0] = '\xFF';
    bytes[1] = '\xFE';
    n = 2 + encode("UTF-16LE", "Họ và tên\tThôn\tXã\r\n"
                               "Nguyễn Văn Hùng\tBản Khuổi Tào\tBảo Lâm\r\n",
                   bytes + 2, sizeof(bytes) - 2);
    assert_int_equal(bp_csv_open_mem(bytes, n, "u.txt", NULL, &csv, &err),
                     0);
    assert_int_equal(bp_csv_encoding_of(csv), BP_CSV_ENC_UTF16);
    assert_int_equal(bp_csv_delimiter(csv), '\t');
    expect_row(csv, 2, 3,
               (const char *const[]){"Nguyễn Văn Hùng", "Bản Khuổi Tào",
                                     "Bảo Lâm"});
    bp_csv_close(csv);

    /* UTF-8 in NFD comes out composed. */
    csv = open_ok("ten\nNguy\x65\xcc\x82\xcc\x83n V\x61\xcc\x86n\n", NULL);
    expect_row(csv, 2, 1, (const char *const[]){"Nguyễn Văn"});
    bp_csv_close(csv);
}

static void test_garbage_refused(void **state)
{
    unsigned char junk[4096];
    unsigned long x = 12345;
    struct bp_error err = {0};
    struct bp_csv *csv = NULL;
    size_t i;

    (void)state;
    /* Random bytes without control characters: not UTF-8, and neither
       legacy decoding reads as Vietnamese. */
    for (i = 0; i < sizeof(junk); i++) {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        junk[i] = (unsigned char)(0x20 + (x >> 33) % 0xE0);
    }
    assert_int_equal(bp_csv_open_mem((const char *)junk, sizeof(junk),
                                     "rac.csv", NULL, &csv, &err),
                     BP_EENCODING);
    assert_null(csv);
    assert_string_equal(err.file, "rac.csv");
    assert_non_null(strstr(err.message, "--encoding"));
    assert_non_null(strstr(err.message, "cannot tell the text encoding"));

    /* A binary file. */
    memcpy(junk, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    assert_int_equal(bp_csv_open_mem((const char *)junk, 16, "anh.png",
                                     NULL, &csv, &err),
                     BP_EENCODING);
    assert_int_equal(err.row, 2);
    assert_string_equal(err.message, "holds the control character 0x1A; "
                                     "this is not a text file (CSV)");

    /* A workbook passed instead of its CSV. */
    memcpy(junk, "PK\x03\x04\x14\0\x06\0", 8);
    assert_int_equal(bp_csv_open_mem((const char *)junk, 8, "ho.xlsx", NULL,
                                     &csv, &err),
                     BP_EENCODING);
    assert_non_null(strstr(err.message, "Excel workbook"));
    assert_null(csv);
}

static void test_detection_sample(void **state)
{
    size_t cap = 400 * 1024, n = 0, k;
    char *big = malloc(cap);
    struct bp_csv *csv = NULL;
    struct bp_error err = {0};
    long rows = 0;

    (void)state;
    assert_non_null(big);
    /* 300 KiB of ASCII, so the first 256 KiB sample holds no evidence,
       then Windows-1258: the whole file is scored. */
    n = (size_t)snprintf(big, cap, "ten;thon;xa\n");
    while (n < 300 * 1024)
        n += (size_t)snprintf(big + n, cap - n, "abc;def;ghi\n");
    k = encode("WINDOWS-1258", strchr(households, '\n') + 1, big + n,
               cap - n);
    n += k;
    assert_int_equal(bp_csv_open_mem(big, n, "s.csv", NULL, &csv, &err), 0);
    assert_int_equal(bp_csv_encoding_of(csv), BP_CSV_ENC_CP1258);
    while (bp_csv_next(csv, &err) == 1)
        rows++;
    assert_string_equal(bp_csv_field(csv, 0), "");
    bp_csv_close(csv);
    csv = NULL;
    assert_true(rows > 20000);

    /* "V\xe3n" reads as "Văn" in Windows-1258 and as "Vón" in TCVN3: a
       tie, which goes to Windows-1258, until byte 0x81 (which Windows-1258
       lacks) past the sample makes it TCVN3 after all. */
    n = (size_t)snprintf(big, cap, "ten\n");
    while (n < 300 * 1024)
        n += (size_t)snprintf(big + n, cap - n, "V\xe3n\n");
    assert_int_equal(bp_csv_open_mem(big, n, "s.csv", NULL, &csv, &err), 0);
    assert_int_equal(bp_csv_encoding_of(csv), BP_CSV_ENC_CP1258);
    bp_csv_close(csv);
    csv = NULL;
    n += (size_t)snprintf(big + n, cap - n, "\x81\n");
    assert_int_equal(bp_csv_open_mem(big, n, "s.csv", NULL, &csv, &err), 0);
    assert_int_equal(bp_csv_encoding_of(csv), BP_CSV_ENC_TCVN3);
    assert_int_equal(bp_csv_next(csv, &err), 1);
    assert_string_equal(bp_csv_field(csv, 0), "Vón");
    bp_csv_close(csv);
    free(big);
}

static void test_explicit_encoding(void **state)
{
    char bytes[1024];
    size_t n = encode("WINDOWS-1258", households, bytes, sizeof(bytes));
    struct bp_csv_opts o = {0};
    struct bp_csv *csv = NULL;
    struct bp_error err = {0};

    (void)state;
    /* Windows-1258 bytes read as TCVN3 because the user said so: "Họ"
       (o, combining dot 0xF2) comes out as "Hoũ", "và" (0xE0) as "vỔ". */
    o.encoding = BP_CSV_ENC_TCVN3;
    assert_int_equal(bp_csv_open_mem(bytes, n, "t.csv", &o, &csv, &err), 0);
    assert_int_equal(bp_csv_encoding_of(csv), BP_CSV_ENC_TCVN3);
    assert_string_equal(bp_csv_header(csv, 0), "Hoũ vỔ tờn");
    bp_csv_close(csv);
    csv = NULL;

    /* UTF-8 read as Windows-1258: "ọ" (E1 BB 8D) is "áằ" then 0x8D,
       which Windows-1258 lacks. */
    o.encoding = BP_CSV_ENC_CP1258;
    assert_int_equal(bp_csv_open_mem(households, strlen(households), "t.csv",
                                     &o, &csv, &err),
                     BP_EENCODING);
    assert_int_equal(err.row, 1);
    assert_string_equal(err.message, "byte 0x8D (at offset 3) is not valid "
                                     "Windows-1258 text");

    /* Plain ASCII is the same in every encoding. */
    o.encoding = BP_CSV_ENC_CP1258;
    csv = open_ok("a,b\n1,2\n", &o);
    assert_int_equal(bp_csv_encoding_of(csv), BP_CSV_ENC_CP1258);
    bp_csv_close(csv);
}

static void test_invalid_bytes_explicit(void **state)
{
    static const char bad_utf8[] = "ma;ten\n1;An\n\"2\";\"B\xff\"\n";
    static const char bad_1258[] = "ma;ten\n1;\"An\nh\"\n2;B\x81\n";
    struct bp_csv_opts o = {0};
    struct bp_csv *csv = NULL;
    struct bp_error err = {0};
    char msg[1024];

    (void)state;
    o.encoding = BP_CSV_ENC_UTF8;
    assert_int_equal(bp_csv_open_mem(bad_utf8, strlen(bad_utf8), "u.csv",
                                     &o, &csv, &err),
                     BP_EENCODING);
    assert_null(csv);
    assert_int_equal(err.row, 3);
    bp_error_format(&err, msg, sizeof(msg));
    assert_string_equal(msg, "u.csv: row 3: byte 0xFF (at offset 18) is "
                             "not valid UTF-8 text");

    o.encoding = BP_CSV_ENC_CP1258;
    assert_int_equal(bp_csv_open_mem(bad_1258, strlen(bad_1258), "w.csv",
                                     &o, &csv, &err),
                     BP_EENCODING);
    assert_int_equal(err.row, 3);
    assert_string_equal(err.file, "w.csv");
    assert_string_equal(err.message, "byte 0x81 (at offset 19) is not valid "
                                     "Windows-1258 text");

    /* Control characters, whatever the encoding. */
    o.encoding = BP_CSV_ENC_TCVN3;
    assert_int_equal(bp_csv_open_mem("a\nb\x01\n", 5, "c.csv", &o, &csv,
                                     &err),
                     BP_EENCODING);
    assert_int_equal(err.row, 2);
    assert_null(csv);
}

static void test_encoding_names(void **state)
{
    static const struct {
        const char *name;
        enum bp_csv_encoding enc;
    } names[] = {
        {"auto", BP_CSV_ENC_AUTO},           {"UTF-8", BP_CSV_ENC_UTF8},
        {"utf8", BP_CSV_ENC_UTF8},           {"windows-1258", BP_CSV_ENC_CP1258},
        {"CP1258", BP_CSV_ENC_CP1258},       {"tcvn3", BP_CSV_ENC_TCVN3},
        {"TCVN", BP_CSV_ENC_TCVN3},          {"vn3", BP_CSV_ENC_TCVN3},
        {"utf-16", BP_CSV_ENC_UTF16},
    };
    enum bp_csv_encoding e = BP_CSV_ENC_UTF16;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        assert_int_equal(bp_csv_parse_encoding(names[i].name, &e), 0);
        assert_int_equal(e, names[i].enc);
    }
    assert_int_equal(bp_csv_parse_encoding("latin1", &e), BP_EINVAL);
    assert_int_equal(e, BP_CSV_ENC_UTF16);
    assert_int_equal(bp_csv_parse_encoding(NULL, &e), BP_EINVAL);
    assert_string_equal(bp_csv_encoding_name(BP_CSV_ENC_CP1258),
                        "windows-1258");
    assert_string_equal(bp_csv_encoding_name(BP_CSV_ENC_TCVN3), "tcvn3");
    assert_string_equal(bp_csv_encoding_name(BP_CSV_ENC_UTF8), "utf-8");
    assert_string_equal(bp_csv_encoding_name(BP_CSV_ENC_AUTO), "auto");
    assert_string_equal(bp_csv_encoding_name((enum bp_csv_encoding)42), "?");
}

static void test_open_errors(void **state)
{
    struct bp_csv_opts o = {0};
    struct bp_csv *csv = NULL;
    struct bp_error err = {0};

    (void)state;
    assert_int_equal(bp_csv_open("/nonexistent/ho.csv", NULL, &csv, &err),
                     BP_EIO);
    assert_string_equal(err.file, "/nonexistent/ho.csv");
    assert_string_equal(err.message, "cannot read: No such file or "
                                     "directory");
    assert_int_equal(bp_csv_open_mem("", 0, "e.csv", NULL, &csv, &err),
                     BP_EEMPTY);
    assert_string_equal(err.message, "the file is empty; expected a "
                                     "header row");
    assert_int_equal(bp_csv_open_mem("\xEF\xBB\xBF\r\n;;\r\n", 9, "e.csv",
                                     NULL, &csv, &err),
                     BP_EEMPTY);
    assert_int_equal(bp_csv_open_mem(NULL, 3, "x", NULL, &csv, &err),
                     BP_EINVAL);
    assert_int_equal(bp_csv_open_mem("a", 1, "x", NULL, NULL, &err),
                     BP_EINVAL);
    o.delimiter = '|';
    assert_int_equal(bp_csv_open_mem("a", 1, "x", &o, &csv, &err),
                     BP_EINVAL);
    o.delimiter = 0;
    o.header_row = -1;
    assert_int_equal(bp_csv_open_mem("a", 1, "x", &o, &csv, &err),
                     BP_EINVAL);
    assert_null(csv);
    /* No name: messages say so. */
    assert_int_equal(bp_csv_open_mem("", 0, NULL, NULL, &csv, &err),
                     BP_EEMPTY);
    assert_string_equal(err.file, "<memory>");
    bp_csv_close(NULL);
}

/* --- Writer ------------------------------------------------------------- */

static void test_writer(void **state)
{
    static const char *const row[] = {"Nguyễn Văn Hùng", "a,b", "say \"hi\"",
                                      "two\nlines", NULL, "x;y"};
    struct bp_buf b = BP_BUF_INIT;
    struct bp_csv_writer w;
    struct bp_csv *csv;

    (void)state;
    bp_csv_writer_init(&w, &b, 0);
    assert_int_equal(bp_csv_write_bom(&w), 0);
    assert_int_equal(bp_csv_write_row(&w, (const char *const[]){"h1", "h2",
                                                                "h3", "h4",
                                                                "h5", "h6"},
                                      6),
                     0);
    assert_int_equal(bp_csv_write_row(&w, row, 6), 0);
    assert_string_equal(b.data, "\xEF\xBB\xBFh1,h2,h3,h4,h5,h6\r\n"
                                "Nguyễn Văn Hùng,\"a,b\",\"say \"\"hi\"\"\","
                                "\"two\nlines\",,x;y\r\n");
    /* Read back. */
    csv = open_ok(b.data, NULL);
    expect_row(csv, 2, 6,
               (const char *const[]){"Nguyễn Văn Hùng", "a,b", "say \"hi\"",
                                     "two\nlines", "", "x;y"});
    bp_csv_close(csv);
    bp_buf_release(&b);

    /* ';' for Excel in Vietnamese settings: now ',' needs no quotes. */
    bp_csv_writer_init(&w, &b, ';');
    assert_int_equal(bp_csv_write_field(&w, "1,5"), 0);
    assert_int_equal(bp_csv_write_field(&w, "a;b"), 0);
    assert_int_equal(bp_csv_write_field(&w, "\r"), 0);
    assert_int_equal(bp_csv_write_eol(&w), 0);
    assert_int_equal(bp_csv_write_field(&w, ""), 0);
    assert_int_equal(bp_csv_write_eol(&w), 0);
    assert_string_equal(b.data, "1,5;\"a;b\";\"\r\"\r\n\r\n");
    bp_buf_release(&b);
}

/* --- Out of memory ------------------------------------------------------- */

/* Open and read all of `data`; 0 or the first error. */
static int read_all(const char *data, size_t len,
                    const struct bp_csv_opts *o, long *rows,
                    struct bp_error *err)
{
    struct bp_csv *csv = NULL;
    int rc = bp_csv_open_mem(data, len, "m.csv", o, &csv, err);

    *rows = 0;
    if (!rc)
        while ((rc = bp_csv_next(csv, err)) == 1)
            (*rows)++;
    bp_csv_close(csv);
    return rc;
}

static void check_oom(const char *data, size_t len,
                      const struct bp_csv_opts *o, long want_rows)
{
    long n, rows;
    int rc, failed_once = 0;

    for (n = 0; n < 1000; n++) {
        struct bp_error err = {0};

        bp_alloc_fail_after(n, 0);
        rc = read_all(data, len, o, &rows, &err);
        if (bp_alloc_injected_failures() == 0) {
            /* Every allocation was allowed: the run must succeed. */
            assert_int_equal(rc, 0);
            assert_int_equal(rows, want_rows);
            break;
        }
        failed_once = 1;
        if (rc != BP_ENOMEM)
            print_message("allocation %ld failed, got %s\n", n,
                          bp_errname(rc));
        assert_int_equal(rc, BP_ENOMEM);
        assert_int_equal(err.code, BP_ENOMEM);
        assert_string_equal(err.file, "m.csv");
    }
    bp_alloc_fail_after(-1, 0);
    assert_true(failed_once);
    assert_true(n < 1000);
}

static void test_out_of_memory(void **state)
{
    char bytes[1024];
    size_t n;
    struct bp_buf b = BP_BUF_INIT;
    struct bp_csv_writer w;
    /* Wide header so the column array grows while reading it. */
    static const char wide[] = "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,"
                               "18,19,20\nx,,,,,,,,,,,,,,,,,,,\n";

    (void)state;
    check_oom(households, strlen(households), NULL, 3);
    check_oom(wide, strlen(wide), NULL, 1);
    n = encode("WINDOWS-1258", households, bytes, sizeof(bytes));
    check_oom(bytes, n, NULL, 3);
    n = encode("TCVN5712-1", households, bytes, sizeof(bytes));
    check_oom(bytes, n, NULL, 3);

    bp_csv_writer_init(&w, &b, ',');
    bp_alloc_fail_after(0, 0);
    assert_int_equal(bp_csv_write_field(&w, "x"), BP_ENOMEM);
    bp_alloc_fail_after(-1, 0);
    bp_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_delimiters),
        cmocka_unit_test(test_bom_and_line_ends),
        cmocka_unit_test(test_empty_rows_and_trim),
        cmocka_unit_test(test_header_row_option),
        cmocka_unit_test(test_wrong_field_count),
        cmocka_unit_test(test_quote_errors),
        cmocka_unit_test(test_header_aliases),
        cmocka_unit_test(test_cp1258_detected),
        cmocka_unit_test(test_tcvn3_detected),
        cmocka_unit_test(test_utf16_and_nfd),
        cmocka_unit_test(test_garbage_refused),
        cmocka_unit_test(test_detection_sample),
        cmocka_unit_test(test_explicit_encoding),
        cmocka_unit_test(test_invalid_bytes_explicit),
        cmocka_unit_test(test_encoding_names),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_out_of_memory),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
