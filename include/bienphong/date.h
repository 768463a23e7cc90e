/* SPDX-License-Identifier: MIT */
/*
 * Calendar dates and instants. A date is a day number (days since
 * 1970-01-01, proleptic Gregorian) in the province's local calendar,
 * Asia/Ho_Chi_Minh (UTC+7, no daylight saving). Instants are Unix seconds
 * in UTC.
 */
#ifndef BIENPHONG_DATE_H
#define BIENPHONG_DATE_H

#include <stdint.h>

#include "bienphong/error.h"

/** Seconds east of UTC of Asia/Ho_Chi_Minh. */
#define BP_LOCAL_UTC_OFFSET_S (7 * 3600)

/** Day number of year/month/day; the date must be valid (see bp_date_valid). */
int32_t bp_date_from_ymd(int year, int month, int day);
/** Year, month, day of a day number. Any pointer may be NULL. */
void bp_date_to_ymd(int32_t day, int *year, int *month, int *dayofmonth);
/** 1 when year/month/day is a real calendar date (1..9999), else 0. */
int bp_date_valid(int year, int month, int day);

/**
 * Parse "2024-03-03" (ISO 8601) or "03/03/2024" (dd/mm/yyyy, as written in
 * Vietnam; "3/3/2024" too). Surrounding spaces are ignored. Returns 0 and
 * sets `*day`; BP_EPARSE for anything else, "31/02/2021" included.
 */
int bp_date_parse(const char *s, int32_t *day);

/** Write "dd/mm/yyyy" into `out` (at least 11 bytes). Returns `out`. */
char *bp_date_format_vi(int32_t day, char *out);
/** Write "yyyy-mm-dd" into `out` (at least 11 bytes). Returns `out`. */
char *bp_date_format_iso(int32_t day, char *out);

/** Today's local date (Asia/Ho_Chi_Minh). */
int32_t bp_date_today(void);
/** Local date of a UTC instant. */
int32_t bp_date_of_instant(int64_t unix_s);

#endif
