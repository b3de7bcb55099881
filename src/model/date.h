/* date.h - calendar dates as whole days since 1970-01-01 (proleptic Gregorian).
 *
 * A date is an int32_t day number: 0 is 1970-01-01. Everything here is a pure
 * function of its arguments; nothing allocates. Supported years: 1900-9999,
 * the range Excel can show as a date.
 */
#ifndef WR_DATE_H
#define WR_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int32_t wr_date;

/* An open end ("still held"): later than any real date. */
#define WR_DATE_OPEN INT32_MAX
#define WR_DATE_NONE INT32_MIN

#define WR_YEAR_MIN 1900
#define WR_YEAR_MAX 9999

/* The formats --date-format names; WR_DATE_FORMATS counts them. */
enum wr_date_format { WR_DATE_ISO, WR_DATE_MDY, WR_DATE_DMY, WR_DATE_FORMATS };

/* Day number of a calendar date. The date must be valid (see date_valid). */
wr_date date_from_ymd(int y, int m, int d);
void date_to_ymd(wr_date day, int *y, int *m, int *d);

bool date_is_leap(int y);
int date_days_in_month(int y, int m);
/* True when y-m-d exists and y is within [WR_YEAR_MIN, WR_YEAR_MAX]. */
bool date_valid(int y, int m, int d);

/* Parse exactly one date in the given format from s[0..len). Accepted:
 *   iso  YYYY-MM-DD            (month and day: 2 digits)
 *   mdy  M/D/YYYY or MM/DD/YYYY
 *   dmy  D/M/YYYY or DD/MM/YYYY
 * No surrounding spaces, no time part. Returns false when the text does not
 * have the shape, or names a day that does not exist (2023-02-30). */
bool date_parse(const char *s, size_t len, enum wr_date_format fmt, wr_date *out);

/* Write YYYY-MM-DD and a NUL into buf (at least 11 bytes). */
void date_format_iso(wr_date day, char buf[static 11]);

/* Add n calendar months, clamping the day to the month's length
 * (2024-01-31 + 1 month = 2024-02-29). */
wr_date date_add_months(wr_date day, int n);

int date_year(wr_date day);
/* Quarter 1-4 of the date. */
int date_quarter(wr_date day);
/* First day of the quarter that contains day. */
wr_date date_quarter_start(wr_date day);

/* Excel's serial day number (1900 date system) of a date. */
double date_to_excel(wr_date day);

/* Today in UTC from a Unix time. */
wr_date date_from_unix(int64_t seconds);

#endif
