/* SPDX-License-Identifier: MIT */
/*
 * Vietnamese text in UTF-8: folding for searches that ignore case and
 * diacritics ("dao vien" finds "Đào Viên"), composition of decomposed tone
 * marks into the precomposed letters NFC uses, and the UTF-8 primitives
 * both need. Pure functions over bytes; no locale, no ICU.
 *
 *     char *key = bp_text_fold("Đào Viên");     // "dao vien"
 *     ...
 *     bp_free(key);
 *
 * The Vietnamese letters are the 134 precomposed ones (67 lowercase, 67
 * capitals: a, e, i, o, u, y with the five tones, ă â ê ô ơ ư with and
 * without tones, and đ). Other scripts pass through unchanged.
 */
#ifndef BIENPHONG_TEXT_H
#define BIENPHONG_TEXT_H

#include <stddef.h>
#include <stdint.h>

/** A letter taken apart, in VIQR spirit. */
struct bp_vi_char {
    char base;  /* the ASCII letter it folds to, lowercase: 'a', 'd' (đ) */
    char mark;  /* 0, '(' breve ă, '^' circumflex â ê ô, '+' horn ơ ư,
                   '-' stroke đ */
    char tone;  /* 0, '`' grave, '\'' acute, '?' hook above, '~' tilde,
                   '.' dot below */
    char upper; /* 1 for a capital, else 0 */
};

/**
 * Describe code point `cp` when it is an ASCII letter or one of the 134
 * Vietnamese letters: fills `*out` (may be NULL) and returns 1. Returns 0
 * for anything else (`*out` untouched). Thread-safe, O(log 134).
 */
int bp_text_vi_char(uint32_t cp, struct bp_vi_char *out);

/**
 * The letter made of `base` (ASCII letter, either case; its case is the
 * result's unless `upper` >= 0 overrides it), `mark` and `tone` as in
 * struct bp_vi_char. Returns the code point, or 0 when there is no such
 * Vietnamese letter ("q" with a tone, "i" with a circumflex).
 */
uint32_t bp_text_vi_compose(char base, char mark, char tone, int upper);

/**
 * Decode the UTF-8 sequence at `s`, of which `n` >= 1 bytes are readable.
 * Sets `*cp` and returns its length (1..4). An invalid or truncated
 * sequence, an overlong form, a surrogate or a value above U+10FFFF gives
 * `*cp` = 0xFFFD and returns 1, so a loop always advances.
 */
size_t bp_text_utf8_next(const char *s, size_t n, uint32_t *cp);

/**
 * Check that `s[0..n)` is well-formed UTF-8. Returns 1 when it is; else 0
 * and, when `bad_at` is not NULL, sets it to the offset of the first byte
 * of the first bad sequence.
 */
int bp_text_utf8_valid(const char *s, size_t n, size_t *bad_at);

/**
 * Write `cp` as UTF-8 into `out` (at least 4 bytes). Returns the length;
 * values that are not scalar values are written as U+FFFD.
 */
size_t bp_text_utf8_put(uint32_t cp, char *out);

/**
 * Compose Vietnamese letters written with combining marks, in place: a
 * vowel (or ă â ê ô ơ ư) followed by any of U+0300 grave, U+0301 acute,
 * U+0303 tilde, U+0309 hook above, U+0323 dot below, U+0302 circumflex,
 * U+0306 breve, U+031B horn, in any order, becomes the one precomposed
 * letter NFC has for it ("e" U+0323 U+0302 -> "ệ"). Marks that make no
 * Vietnamese letter stay as they are (so the result is NFC for Vietnamese
 * text, not for every script). `s[0..len)` need not be NUL-terminated; the
 * text only shrinks. Returns the new length and, when there is room
 * (the new length < len), writes a NUL after it. Linear; never allocates.
 */
size_t bp_text_compose_vi(char *s, size_t len);

/**
 * Fold for comparison: ASCII and the Vietnamese letters lowercased and
 * stripped of diacritics (đ -> d), combining marks U+0300..U+036F dropped,
 * everything else copied ("Đào  Viên" -> "dao  vien"; spacing is kept).
 * Invalid UTF-8 bytes are copied as they are. Returns a new string
 * (caller owns; bp_free()), or NULL when `utf8` is NULL or on out of
 * memory. Thread-safe.
 */
char *bp_text_fold(const char *utf8);

/**
 * bp_text_fold() into the caller's buffer: `out` must have room for
 * strlen(`utf8`) + 1 bytes (folding never lengthens) and may be `utf8`
 * itself (folds in place). Returns the folded length. Never allocates.
 */
size_t bp_text_fold_to(const char *utf8, char *out);

#endif
