/* options.h - the command line of workforce-report.
 *
 * options_parse fills a struct options (which borrows strings from argv) and
 * reports a usage error as WR_ERR_USAGE with a one-line message. The
 * default of --as-of (today, UTC) comes from the clock passed in, so that
 * SOURCE_DATE_EPOCH can replace it.
 */
#ifndef WR_OPTIONS_H
#define WR_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "core/error.h"
#include "model/date.h"
#include "stats/km.h"

struct options {
	const char *input_dir;
	const char *output;
	const char *since_text;    /* as given, or NULL: earliest date in the data */
	wr_date since;             /* WR_DATE_NONE until resolved */
	wr_date as_of;
	bool as_of_given;
	int min_group;
	enum wr_date_format date_format;
	enum km_ci km_ci;
	bool strict, quiet, verbose, progress, timings;
	bool no_privacy;           /* --no-privacy: a --min-group below 3 allowed */
	bool dq_detail;            /* --dq-detail: every issue on the Data Quality sheet */
	bool help, version;
};

/* Parse argv. now is the clock for the default as-of date. */
enum wr_error options_parse(struct options *o, int argc, char **argv, time_t now,
			    struct wr_errmsg *err);

/* Parse --since: YYYY, YYYY-Qn or YYYY-MM-DD. */
bool options_parse_since(const char *s, wr_date *out);

void options_usage(FILE *f);

const char *date_format_name(enum wr_date_format f);

#endif
