/* options.h - the command line of workforce-report.
 *
 * options_parse fills a struct options (which borrows strings from argv) and
 * reports a usage error as WR_ERR_USAGE with a one-line message. The
 * default of --as-of is the day passed in: main reads it from the clock in
 * the local time zone (TZ), or from SOURCE_DATE_EPOCH in UTC.
 */
#ifndef WR_OPTIONS_H
#define WR_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "core/error.h"
#include "model/date.h"
#include "stats/km.h"

/* The most threads --jobs accepts. */
#define OPTIONS_MAX_JOBS 256

struct options {
	const char *input_dir;
	const char *output;
	const char *since_text;    /* as given, or NULL: earliest date in the data */
	wr_date since;             /* WR_DATE_NONE until resolved */
	wr_date as_of;
	bool as_of_given;
	const char *as_of_text;    /* as given, or NULL */
	int min_group;
	enum wr_date_format date_format;
	enum km_ci km_ci;
	bool strict, quiet, verbose, progress, timings;
	bool no_privacy;           /* --no-privacy: a --min-group below 3 allowed */
	bool dq_detail;            /* --dq-detail: every issue on the Data Quality sheet */
	const char *csv_dir;       /* --csv DIR: every table as DIR/<table>.csv, or NULL */
	const char *json_path;     /* --json FILE: headline figures as JSON ("-": stdout), or NULL */
	bool allow_rejects;        /* --allow-rejects: a report even when most rows of a file
				    * are rejected */
	int keep;                  /* --keep N: dated reports kept in a folder; 0: all */
	const char *log;           /* --log FILE: one line per run appended, or NULL */
	int jobs;                  /* --jobs N: threads (default: online CPUs); the
				    * report is the same for every N */
	size_t piece_bytes;        /* bytes a thread reads at a time; 0: the default
				    * (tests set WR_TEST_PIECE_BYTES, see main.c) */
	bool help, version;
};

/* Parse argv. today is the default as-of date. */
enum wr_error options_parse(struct options *o, int argc, char **argv, wr_date today,
			    struct wr_errmsg *err);

/* Parse --since's dates: YYYY (1 January), YYYY-Qn (the quarter's first
 * day), YYYY-MM (the month's first day) or YYYY-MM-DD. (Nq and Ny, back from
 * the as-of date, are resolved by options_parse.) */
bool options_parse_since(const char *s, wr_date *out);

/* Parse --as-of: YYYY-MM-DD, YYYY-Qn (the quarter's last day), YYYY-MM (the
 * month's last day) or last-quarter (the last day of the most recent
 * complete quarter before today). */
bool options_parse_as_of(const char *s, wr_date today, wr_date *out);

void options_usage(FILE *f);

const char *date_format_name(enum wr_date_format f);

#endif
