/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the Vietnamese text helpers: the fold on every one of the
 * 134 precomposed letters in NFC and NFD, composition of combining marks,
 * letter descriptions, and the UTF-8 primitives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bienphong/alloc.h"
#include "bienphong/text.h"

/* The 134 letters (generated from Unicode data) and what they fold to. */
static const struct { const char *nfc, *nfd; char fold; } letters[134] = {
    {"\xc3\xa0", "\x61\xcc\x80", 'a'}, /* U+00E0 */
    {"\xc3\xa1", "\x61\xcc\x81", 'a'}, /* U+00E1 */
    {"\xe1\xba\xa3", "\x61\xcc\x89", 'a'}, /* U+1EA3 */
    {"\xc3\xa3", "\x61\xcc\x83", 'a'}, /* U+00E3 */
    {"\xe1\xba\xa1", "\x61\xcc\xa3", 'a'}, /* U+1EA1 */
    {"\xc4\x83", "\x61\xcc\x86", 'a'}, /* U+0103 */
    {"\xe1\xba\xb1", "\x61\xcc\x86\xcc\x80", 'a'}, /* U+1EB1 */
    {"\xe1\xba\xaf", "\x61\xcc\x86\xcc\x81", 'a'}, /* U+1EAF */
    {"\xe1\xba\xb3", "\x61\xcc\x86\xcc\x89", 'a'}, /* U+1EB3 */
    {"\xe1\xba\xb5", "\x61\xcc\x86\xcc\x83", 'a'}, /* U+1EB5 */
    {"\xe1\xba\xb7", "\x61\xcc\xa3\xcc\x86", 'a'}, /* U+1EB7 */
    {"\xc3\xa2", "\x61\xcc\x82", 'a'}, /* U+00E2 */
    {"\xe1\xba\xa7", "\x61\xcc\x82\xcc\x80", 'a'}, /* U+1EA7 */
    {"\xe1\xba\xa5", "\x61\xcc\x82\xcc\x81", 'a'}, /* U+1EA5 */
    {"\xe1\xba\xa9", "\x61\xcc\x82\xcc\x89", 'a'}, /* U+1EA9 */
    {"\xe1\xba\xab", "\x61\xcc\x82\xcc\x83", 'a'}, /* U+1EAB */
    {"\xe1\xba\xad", "\x61\xcc\xa3\xcc\x82", 'a'}, /* U+1EAD */
    {"\xc3\xa8", "\x65\xcc\x80", 'e'}, /* U+00E8 */
    {"\xc3\xa9", "\x65\xcc\x81", 'e'}, /* U+00E9 */
    {"\xe1\xba\xbb", "\x65\xcc\x89", 'e'}, /* U+1EBB */
    {"\xe1\xba\xbd", "\x65\xcc\x83", 'e'}, /* U+1EBD */
    {"\xe1\xba\xb9", "\x65\xcc\xa3", 'e'}, /* U+1EB9 */
    {"\xc3\xaa", "\x65\xcc\x82", 'e'}, /* U+00EA */
    {"\xe1\xbb\x81", "\x65\xcc\x82\xcc\x80", 'e'}, /* U+1EC1 */
    {"\xe1\xba\xbf", "\x65\xcc\x82\xcc\x81", 'e'}, /* U+1EBF */
    {"\xe1\xbb\x83", "\x65\xcc\x82\xcc\x89", 'e'}, /* U+1EC3 */
    {"\xe1\xbb\x85", "\x65\xcc\x82\xcc\x83", 'e'}, /* U+1EC5 */
    {"\xe1\xbb\x87", "\x65\xcc\xa3\xcc\x82", 'e'}, /* U+1EC7 */
    {"\xc3\xac", "\x69\xcc\x80", 'i'}, /* U+00EC */
    {"\xc3\xad", "\x69\xcc\x81", 'i'}, /* U+00ED */
    {"\xe1\xbb\x89", "\x69\xcc\x89", 'i'}, /* U+1EC9 */
    {"\xc4\xa9", "\x69\xcc\x83", 'i'}, /* U+0129 */
    {"\xe1\xbb\x8b", "\x69\xcc\xa3", 'i'}, /* U+1ECB */
    {"\xc3\xb2", "\x6f\xcc\x80", 'o'}, /* U+00F2 */
    {"\xc3\xb3", "\x6f\xcc\x81", 'o'}, /* U+00F3 */
    {"\xe1\xbb\x8f", "\x6f\xcc\x89", 'o'}, /* U+1ECF */
    {"\xc3\xb5", "\x6f\xcc\x83", 'o'}, /* U+00F5 */
    {"\xe1\xbb\x8d", "\x6f\xcc\xa3", 'o'}, /* U+1ECD */
    {"\xc3\xb4", "\x6f\xcc\x82", 'o'}, /* U+00F4 */
    {"\xe1\xbb\x93", "\x6f\xcc\x82\xcc\x80", 'o'}, /* U+1ED3 */
    {"\xe1\xbb\x91", "\x6f\xcc\x82\xcc\x81", 'o'}, /* U+1ED1 */
    {"\xe1\xbb\x95", "\x6f\xcc\x82\xcc\x89", 'o'}, /* U+1ED5 */
    {"\xe1\xbb\x97", "\x6f\xcc\x82\xcc\x83", 'o'}, /* U+1ED7 */
    {"\xe1\xbb\x99", "\x6f\xcc\xa3\xcc\x82", 'o'}, /* U+1ED9 */
    {"\xc6\xa1", "\x6f\xcc\x9b", 'o'}, /* U+01A1 */
    {"\xe1\xbb\x9d", "\x6f\xcc\x9b\xcc\x80", 'o'}, /* U+1EDD */
    {"\xe1\xbb\x9b", "\x6f\xcc\x9b\xcc\x81", 'o'}, /* U+1EDB */
    {"\xe1\xbb\x9f", "\x6f\xcc\x9b\xcc\x89", 'o'}, /* U+1EDF */
    {"\xe1\xbb\xa1", "\x6f\xcc\x9b\xcc\x83", 'o'}, /* U+1EE1 */
    {"\xe1\xbb\xa3", "\x6f\xcc\x9b\xcc\xa3", 'o'}, /* U+1EE3 */
    {"\xc3\xb9", "\x75\xcc\x80", 'u'}, /* U+00F9 */
    {"\xc3\xba", "\x75\xcc\x81", 'u'}, /* U+00FA */
    {"\xe1\xbb\xa7", "\x75\xcc\x89", 'u'}, /* U+1EE7 */
    {"\xc5\xa9", "\x75\xcc\x83", 'u'}, /* U+0169 */
    {"\xe1\xbb\xa5", "\x75\xcc\xa3", 'u'}, /* U+1EE5 */
    {"\xc6\xb0", "\x75\xcc\x9b", 'u'}, /* U+01B0 */
    {"\xe1\xbb\xab", "\x75\xcc\x9b\xcc\x80", 'u'}, /* U+1EEB */
    {"\xe1\xbb\xa9", "\x75\xcc\x9b\xcc\x81", 'u'}, /* U+1EE9 */
    {"\xe1\xbb\xad", "\x75\xcc\x9b\xcc\x89", 'u'}, /* U+1EED */
    {"\xe1\xbb\xaf", "\x75\xcc\x9b\xcc\x83", 'u'}, /* U+1EEF */
    {"\xe1\xbb\xb1", "\x75\xcc\x9b\xcc\xa3", 'u'}, /* U+1EF1 */
    {"\xe1\xbb\xb3", "\x79\xcc\x80", 'y'}, /* U+1EF3 */
    {"\xc3\xbd", "\x79\xcc\x81", 'y'}, /* U+00FD */
    {"\xe1\xbb\xb7", "\x79\xcc\x89", 'y'}, /* U+1EF7 */
    {"\xe1\xbb\xb9", "\x79\xcc\x83", 'y'}, /* U+1EF9 */
    {"\xe1\xbb\xb5", "\x79\xcc\xa3", 'y'}, /* U+1EF5 */
    {"\xc4\x91", "\xc4\x91", 'd'}, /* U+0111 */
    {"\xc3\x80", "\x41\xcc\x80", 'a'}, /* U+00C0 */
    {"\xc3\x81", "\x41\xcc\x81", 'a'}, /* U+00C1 */
    {"\xe1\xba\xa2", "\x41\xcc\x89", 'a'}, /* U+1EA2 */
    {"\xc3\x83", "\x41\xcc\x83", 'a'}, /* U+00C3 */
    {"\xe1\xba\xa0", "\x41\xcc\xa3", 'a'}, /* U+1EA0 */
    {"\xc4\x82", "\x41\xcc\x86", 'a'}, /* U+0102 */
    {"\xe1\xba\xb0", "\x41\xcc\x86\xcc\x80", 'a'}, /* U+1EB0 */
    {"\xe1\xba\xae", "\x41\xcc\x86\xcc\x81", 'a'}, /* U+1EAE */
    {"\xe1\xba\xb2", "\x41\xcc\x86\xcc\x89", 'a'}, /* U+1EB2 */
    {"\xe1\xba\xb4", "\x41\xcc\x86\xcc\x83", 'a'}, /* U+1EB4 */
    {"\xe1\xba\xb6", "\x41\xcc\xa3\xcc\x86", 'a'}, /* U+1EB6 */
    {"\xc3\x82", "\x41\xcc\x82", 'a'}, /* U+00C2 */
    {"\xe1\xba\xa6", "\x41\xcc\x82\xcc\x80", 'a'}, /* U+1EA6 */
    {"\xe1\xba\xa4", "\x41\xcc\x82\xcc\x81", 'a'}, /* U+1EA4 */
    {"\xe1\xba\xa8", "\x41\xcc\x82\xcc\x89", 'a'}, /* U+1EA8 */
    {"\xe1\xba\xaa", "\x41\xcc\x82\xcc\x83", 'a'}, /* U+1EAA */
    {"\xe1\xba\xac", "\x41\xcc\xa3\xcc\x82", 'a'}, /* U+1EAC */
    {"\xc3\x88", "\x45\xcc\x80", 'e'}, /* U+00C8 */
    {"\xc3\x89", "\x45\xcc\x81", 'e'}, /* U+00C9 */
    {"\xe1\xba\xba", "\x45\xcc\x89", 'e'}, /* U+1EBA */
    {"\xe1\xba\xbc", "\x45\xcc\x83", 'e'}, /* U+1EBC */
    {"\xe1\xba\xb8", "\x45\xcc\xa3", 'e'}, /* U+1EB8 */
    {"\xc3\x8a", "\x45\xcc\x82", 'e'}, /* U+00CA */
    {"\xe1\xbb\x80", "\x45\xcc\x82\xcc\x80", 'e'}, /* U+1EC0 */
    {"\xe1\xba\xbe", "\x45\xcc\x82\xcc\x81", 'e'}, /* U+1EBE */
    {"\xe1\xbb\x82", "\x45\xcc\x82\xcc\x89", 'e'}, /* U+1EC2 */
    {"\xe1\xbb\x84", "\x45\xcc\x82\xcc\x83", 'e'}, /* U+1EC4 */
    {"\xe1\xbb\x86", "\x45\xcc\xa3\xcc\x82", 'e'}, /* U+1EC6 */
    {"\xc3\x8c", "\x49\xcc\x80", 'i'}, /* U+00CC */
    {"\xc3\x8d", "\x49\xcc\x81", 'i'}, /* U+00CD */
    {"\xe1\xbb\x88", "\x49\xcc\x89", 'i'}, /* U+1EC8 */
    {"\xc4\xa8", "\x49\xcc\x83", 'i'}, /* U+0128 */
    {"\xe1\xbb\x8a", "\x49\xcc\xa3", 'i'}, /* U+1ECA */
    {"\xc3\x92", "\x4f\xcc\x80", 'o'}, /* U+00D2 */
    {"\xc3\x93", "\x4f\xcc\x81", 'o'}, /* U+00D3 */
    {"\xe1\xbb\x8e", "\x4f\xcc\x89", 'o'}, /* U+1ECE */
    {"\xc3\x95", "\x4f\xcc\x83", 'o'}, /* U+00D5 */
    {"\xe1\xbb\x8c", "\x4f\xcc\xa3", 'o'}, /* U+1ECC */
    {"\xc3\x94", "\x4f\xcc\x82", 'o'}, /* U+00D4 */
    {"\xe1\xbb\x92", "\x4f\xcc\x82\xcc\x80", 'o'}, /* U+1ED2 */
    {"\xe1\xbb\x90", "\x4f\xcc\x82\xcc\x81", 'o'}, /* U+1ED0 */
    {"\xe1\xbb\x94", "\x4f\xcc\x82\xcc\x89", 'o'}, /* U+1ED4 */
    {"\xe1\xbb\x96", "\x4f\xcc\x82\xcc\x83", 'o'}, /* U+1ED6 */
    {"\xe1\xbb\x98", "\x4f\xcc\xa3\xcc\x82", 'o'}, /* U+1ED8 */
    {"\xc6\xa0", "\x4f\xcc\x9b", 'o'}, /* U+01A0 */
    {"\xe1\xbb\x9c", "\x4f\xcc\x9b\xcc\x80", 'o'}, /* U+1EDC */
    {"\xe1\xbb\x9a", "\x4f\xcc\x9b\xcc\x81", 'o'}, /* U+1EDA */
    {"\xe1\xbb\x9e", "\x4f\xcc\x9b\xcc\x89", 'o'}, /* U+1EDE */
    {"\xe1\xbb\xa0", "\x4f\xcc\x9b\xcc\x83", 'o'}, /* U+1EE0 */
    {"\xe1\xbb\xa2", "\x4f\xcc\x9b\xcc\xa3", 'o'}, /* U+1EE2 */
    {"\xc3\x99", "\x55\xcc\x80", 'u'}, /* U+00D9 */
    {"\xc3\x9a", "\x55\xcc\x81", 'u'}, /* U+00DA */
    {"\xe1\xbb\xa6", "\x55\xcc\x89", 'u'}, /* U+1EE6 */
    {"\xc5\xa8", "\x55\xcc\x83", 'u'}, /* U+0168 */
    {"\xe1\xbb\xa4", "\x55\xcc\xa3", 'u'}, /* U+1EE4 */
    {"\xc6\xaf", "\x55\xcc\x9b", 'u'}, /* U+01AF */
    {"\xe1\xbb\xaa", "\x55\xcc\x9b\xcc\x80", 'u'}, /* U+1EEA */
    {"\xe1\xbb\xa8", "\x55\xcc\x9b\xcc\x81", 'u'}, /* U+1EE8 */
    {"\xe1\xbb\xac", "\x55\xcc\x9b\xcc\x89", 'u'}, /* U+1EEC */
    {"\xe1\xbb\xae", "\x55\xcc\x9b\xcc\x83", 'u'}, /* U+1EEE */
    {"\xe1\xbb\xb0", "\x55\xcc\x9b\xcc\xa3", 'u'}, /* U+1EF0 */
    {"\xe1\xbb\xb2", "\x59\xcc\x80", 'y'}, /* U+1EF2 */
    {"\xc3\x9d", "\x59\xcc\x81", 'y'}, /* U+00DD */
    {"\xe1\xbb\xb6", "\x59\xcc\x89", 'y'}, /* U+1EF6 */
    {"\xe1\xbb\xb8", "\x59\xcc\x83", 'y'}, /* U+1EF8 */
    {"\xe1\xbb\xb4", "\x59\xcc\xa3", 'y'}, /* U+1EF4 */
    {"\xc4\x90", "\xc4\x90", 'd'}, /* U+0110 */
};

static void test_fold_every_letter(void **state)
{
    char want[2] = {0, 0}, buf[16];
    size_t i;

    (void)state;
    for (i = 0; i < 134; i++) {
        char *got = bp_text_fold(letters[i].nfc);

        want[0] = letters[i].fold;
        assert_non_null(got);
        if (strcmp(got, want))
            print_message("letter %zu '%s': got '%s', want '%s'\n", i,
                          letters[i].nfc, got, want);
        assert_string_equal(got, want);
        bp_free(got);
        /* Decomposed input folds the same. */
        assert_int_equal(bp_text_fold_to(letters[i].nfd, buf), 1);
        assert_string_equal(buf, want);
    }
}

static void test_fold_words(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"Đào Viên", "dao vien"},
        {"NGUYỄN VĂN HÙNG", "nguyen van hung"},
        /* NFD: D with stroke has no decomposition, the rest does. */
        {"\xc4\x90\x61\xcc\x80o Vi\x65\xcc\x82\xcc\x81n", "dao vien"},
        {"Lũy tre biên giới Việt", "luy tre bien gioi viet"},
        {"Mốc 1116/1 (2)", "moc 1116/1 (2)"},
        {"  spacing  kept ", "  spacing  kept "},
        {"", ""},
        /* Other scripts and invalid bytes pass through. */
        {"中国 Ñ", "中国 Ñ"},
        {"a\xff" "B", "a\xff" "b"},
    };
    char buf[64];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = bp_text_fold(cases[i].in);

        assert_non_null(got);
        assert_string_equal(got, cases[i].want);
        bp_free(got);
        /* In place too. */
        strcpy(buf, cases[i].in);
        assert_int_equal(bp_text_fold_to(buf, buf), strlen(cases[i].want));
        assert_string_equal(buf, cases[i].want);
    }
    assert_null(bp_text_fold(NULL));
}

static void test_fold_search(void **state)
{
    char *hay = bp_text_fold("Hộ ông Đào Viên, thôn Bản Chắt");
    char *needle = bp_text_fold("dao vien");

    (void)state;
    assert_non_null(strstr(hay, needle));
    bp_free(hay);
    bp_free(needle);
}

static void test_fold_oom(void **state)
{
    (void)state;
    bp_alloc_fail_after(0, 0);
    assert_null(bp_text_fold("Đào"));
    assert_int_equal(bp_alloc_injected_failures(), 1);
    bp_alloc_fail_after(-1, 0);
}

static void test_compose_every_letter(void **state)
{
    char buf[32];
    size_t i, n;

    (void)state;
    for (i = 0; i < 134; i++) {
        strcpy(buf, letters[i].nfd);
        n = bp_text_compose_vi(buf, strlen(buf));
        if (strcmp(buf, letters[i].nfc))
            print_message("letter %zu: composed to a different string\n",
                          i);
        assert_int_equal(n, strlen(letters[i].nfc));
        assert_string_equal(buf, letters[i].nfc);
        /* Composing NFC text changes nothing. */
        n = bp_text_compose_vi(buf, strlen(buf));
        assert_string_equal(buf, letters[i].nfc);
    }
}

static void test_compose_cases(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        /* Windows-1258 style: base letter then tone mark. */
        {"Nguy\xc3\xaa\xcc\x83n V\xc4\x83n H\x75\xcc\x80ng",
         "Nguyễn Văn Hùng"},
        /* Marks in the non-canonical order, and on a toned letter. */
        {"e\xcc\x82\xcc\xa3", "ệ"},
        {"\xe1\xba\xa1\xcc\x82", "ậ"},
        {"\xc6\xa1\xcc\x81", "ớ"},
        {"U\xcc\x9b\xcc\x80", "Ừ"},
        /* No Vietnamese letter: left alone. */
        {"n\xcc\x83", "n\xcc\x83"},
        {"i\xcc\x82", "i\xcc\x82"},
        /* Two tones: the first composes, the second stays. */
        {"a\xcc\x81\xcc\x80", "á\xcc\x80"},
        {"\xcc\x81" "a", "\xcc\x81" "a"},
        {"", ""},
    };
    char buf[64];
    size_t i, n;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        strcpy(buf, cases[i].in);
        n = bp_text_compose_vi(buf, strlen(buf));
        assert_int_equal(n, strlen(cases[i].want));
        assert_memory_equal(buf, cases[i].want, n);
    }
}

static void test_vi_char(void **state)
{
    struct bp_vi_char c;
    size_t i;

    (void)state;
    assert_int_equal(bp_text_vi_char(0x1EC7, &c), 1); /* ệ */
    assert_int_equal(c.base, 'e');
    assert_int_equal(c.mark, '^');
    assert_int_equal(c.tone, '.');
    assert_int_equal(c.upper, 0);
    assert_int_equal(bp_text_vi_char(0x0110, &c), 1); /* Đ */
    assert_int_equal(c.base, 'd');
    assert_int_equal(c.mark, '-');
    assert_int_equal(c.upper, 1);
    assert_int_equal(bp_text_vi_char('Q', &c), 1);
    assert_int_equal(c.base, 'q');
    assert_int_equal(c.upper, 1);
    assert_int_equal(bp_text_vi_char(0x00F1, NULL), 0); /* ñ */
    assert_int_equal(bp_text_vi_char('1', NULL), 0);
    /* compose(describe(x)) == x for every letter. */
    for (i = 0; i < 134; i++) {
        uint32_t cp;

        bp_text_utf8_next(letters[i].nfc, 4, &cp);
        assert_int_equal(bp_text_vi_char(cp, &c), 1);
        assert_int_equal(c.base, letters[i].fold);
        assert_int_equal(bp_text_vi_compose(c.base, c.mark, c.tone, c.upper),
                         cp);
    }
    assert_int_equal(bp_text_vi_compose('q', 0, '\'', 0), 0);
    assert_int_equal(bp_text_vi_compose('i', '^', 0, 0), 0);
    assert_int_equal(bp_text_vi_compose('d', '-', '`', 0), 0);
    assert_int_equal(bp_text_vi_compose('B', 0, 0, -1), 'B');
    assert_int_equal(bp_text_vi_compose('a', '(', '\'', 1), 0x1EAE);
}

static void test_utf8(void **state)
{
    static const struct {
        const char *s;
        size_t len;
        int valid;
        size_t bad_at;
    } cases[] = {
        {"abc", 3, 1, 0},
        {"Việt", 5, 1, 0},
        {"\xf0\x9f\x98\x80", 4, 1, 0},
        {"a\xc3", 2, 0, 1},            /* cut off */
        {"ab\xc0\xaf", 4, 0, 2},       /* overlong */
        {"\xed\xa0\x80", 3, 0, 0},     /* surrogate */
        {"\xf4\x90\x80\x80", 4, 0, 0}, /* above U+10FFFF */
        {"x\x80", 2, 0, 1},            /* stray continuation */
        {"\xe1\xbb", 2, 0, 0},
    };
    char out[4];
    uint32_t cp;
    size_t i, at;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        at = 99;
        assert_int_equal(bp_text_utf8_valid(cases[i].s, cases[i].len, &at),
                         cases[i].valid);
        if (!cases[i].valid)
            assert_int_equal(at, cases[i].bad_at);
    }
    assert_int_equal(bp_text_utf8_next("\xe1\xbb\x87", 3, &cp), 3);
    assert_int_equal(cp, 0x1EC7);
    assert_int_equal(bp_text_utf8_next("\xe1\xbb", 2, &cp), 1);
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(bp_text_utf8_put(0x1EC7, out), 3);
    assert_memory_equal(out, "\xe1\xbb\x87", 3);
    assert_int_equal(bp_text_utf8_put(0xD800, out), 3);
    assert_memory_equal(out, "\xef\xbf\xbd", 3);
    assert_int_equal(bp_text_utf8_put(0x1F600, out), 4);
    assert_int_equal(bp_text_utf8_put('A', out), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_every_letter),
        cmocka_unit_test(test_fold_words),
        cmocka_unit_test(test_fold_search),
        cmocka_unit_test(test_fold_oom),
        cmocka_unit_test(test_compose_every_letter),
        cmocka_unit_test(test_compose_cases),
        cmocka_unit_test(test_vi_char),
        cmocka_unit_test(test_utf8),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
