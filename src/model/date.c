/* date.c - see date.h. Day-number conversions follow Howard Hinnant's
 * public-domain "days_from_civil" / "civil_from_days" algorithms. */
#include "model/date.h"


wr_date date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (wr_date)(era * 146097 + (int)doe - 719468);
}

void date_to_ymd(wr_date day, int *y, int *m, int *d)
{
	const int z = day + 719468;
	const int era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	const int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
	const int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)yoe + era * 400 + (mm <= 2);
	*m = mm;
	*d = dd;
}

bool date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && date_is_leap(y))
		return 29;
	return len[m - 1];
}

bool date_valid(int y, int m, int d)
{
	if (y < WR_YEAR_MIN || y > WR_YEAR_MAX || m < 1 || m > 12 || d < 1)
		return false;
	return d <= 28 || d <= date_days_in_month(y, m); /* every month has 28 days */
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* YYYY-MM-DD has a fixed width: each digit is read where it must be. */
static bool read_iso(const char *s, size_t len, int *y, int *m, int *d)
{
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !is_digit(s[i]))
			return false;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	return true;
}

/* Read 1..max digits at s[*pos]; exactly `min`..`max` digits must be there. */
static bool read_number(const char *s, size_t len, size_t *pos, int min, int max, int *out)
{
	int n = 0, digits = 0;
	while (*pos < len && digits < max && is_digit(s[*pos])) {
		n = n * 10 + (s[*pos] - '0');
		(*pos)++;
		digits++;
	}
	if (digits < min)
		return false;
	*out = n;
	return true;
}

static bool expect(const char *s, size_t len, size_t *pos, char c)
{
	if (*pos >= len || s[*pos] != c)
		return false;
	(*pos)++;
	return true;
}

bool date_parse(const char *s, size_t len, enum wr_date_format fmt, wr_date *out)
{
	size_t pos = 0;
	int y, m, d;

	switch (fmt) {
	case WR_DATE_ISO:
		if (!read_iso(s, len, &y, &m, &d))
			return false;
		pos = len;
		break;
	case WR_DATE_MDY:
		if (!read_number(s, len, &pos, 1, 2, &m) || !expect(s, len, &pos, '/') ||
		    !read_number(s, len, &pos, 1, 2, &d) || !expect(s, len, &pos, '/') ||
		    !read_number(s, len, &pos, 4, 4, &y))
			return false;
		break;
	case WR_DATE_DMY:
		if (!read_number(s, len, &pos, 1, 2, &d) || !expect(s, len, &pos, '/') ||
		    !read_number(s, len, &pos, 1, 2, &m) || !expect(s, len, &pos, '/') ||
		    !read_number(s, len, &pos, 4, 4, &y))
			return false;
		break;
	default:
		return false;
	}
	if (pos != len || !date_valid(y, m, d))
		return false;
	*out = date_from_ymd(y, m, d);
	return true;
}

void date_format_iso(wr_date day, char buf[static 11])
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	y = y < 0 ? 0 : y % 10000;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}

wr_date date_add_months(wr_date day, int n)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	int total = y * 12 + (m - 1) + n;
	y = total / 12;
	m = total % 12 + 1;
	int last = date_days_in_month(y, m);
	return date_from_ymd(y, m, d > last ? last : d);
}

int date_year(wr_date day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return y;
}

int date_quarter(wr_date day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return (m - 1) / 3 + 1;
}

wr_date date_quarter_start(wr_date day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return date_from_ymd(y, (m - 1) / 3 * 3 + 1, 1);
}

double date_to_excel(wr_date day)
{
	/* 1970-01-01 is serial 25569 in the 1900 system (which counts the
	 * non-existent 1900-02-29, so serials before 1900-03-01 are off by one). */
	return (double)day + 25569.0 - (day < -25508 ? 1.0 : 0.0);
}

wr_date date_from_unix(int64_t seconds)
{
	int64_t days = seconds / 86400;
	if (seconds < 0 && seconds % 86400 != 0)
		days--;
	return (wr_date)days;
}
