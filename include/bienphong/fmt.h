/* SPDX-License-Identifier: MIT */
/*
 * Numbers as Vietnamese readers write them and as users type them:
 * decimal comma and dot thousands in vi-VN ("223,205 km", "1.250.000 đ"),
 * point decimals in English; input accepts either decimal style.
 */
#ifndef BIENPHONG_FMT_H
#define BIENPHONG_FMT_H

#include <stddef.h>
#include <stdint.h>

/** Output language of people-facing text. */
enum bp_lang { BP_LANG_VI = 0, BP_LANG_EN };

/**
 * Format `value` with `decimals` decimals (0..9) and grouped thousands:
 * vi "1.234,567", en "1,234.567". Writes at most `size` bytes into `out`,
 * always NUL-terminated; returns `out`. Non-finite values print as "—".
 */
char *bp_fmt_number(double value, int decimals, enum bp_lang lang, char *out,
                    size_t size);

/** Format an integer with grouped thousands ("1.250.000" in vi). */
char *bp_fmt_int(int64_t value, enum bp_lang lang, char *out, size_t size);

/**
 * Parse a decimal number typed either way: "231,740", "231.740",
 * "1.250.000,5", "1,250,000.5", "1.250.000", "-3", "2e3". A lone
 * separator is the decimal mark ("231.740" and "231,740" both read as
 * 231.74); with both kinds the last is; several of one kind alone are
 * thousands separators, each followed by exactly three digits. Surrounding spaces
 * ignored. Returns 0 and sets `*out`; BP_EPARSE otherwise.
 */
int bp_parse_decimal(const char *s, double *out);

#endif
