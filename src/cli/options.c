/* options.c - see options.h. */
#include "cli/options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_SINCE = 256,
	OPT_AS_OF,
	OPT_MIN_GROUP,
	OPT_DATE_FORMAT,
	OPT_KM_CI,
	OPT_NO_PRIVACY,
	OPT_DQ_DETAIL,
	OPT_STRICT,
	OPT_PROGRESS,
	OPT_TIMINGS,
	OPT_VERSION,
};

static const struct option long_options[] = {
	{"input", required_argument, NULL, 'i'},
	{"output", required_argument, NULL, 'o'},
	{"since", required_argument, NULL, OPT_SINCE},
	{"as-of", required_argument, NULL, OPT_AS_OF},
	{"min-group", required_argument, NULL, OPT_MIN_GROUP},
	{"date-format", required_argument, NULL, OPT_DATE_FORMAT},
	{"km-ci", required_argument, NULL, OPT_KM_CI},
	{"no-privacy", no_argument, NULL, OPT_NO_PRIVACY},
	{"dq-detail", no_argument, NULL, OPT_DQ_DETAIL},
	{"strict", no_argument, NULL, OPT_STRICT},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"progress", no_argument, NULL, OPT_PROGRESS},
	{"timings", no_argument, NULL, OPT_TIMINGS},
	{"version", no_argument, NULL, OPT_VERSION},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

void options_usage(FILE *f)
{
	fputs("Usage: workforce-report [OPTIONS]\n"
	      "Read HRIS exports (CSV) and write one Excel workbook of workforce analytics.\n"
	      "\n"
	      "  -i, --input DIR          folder holding the exports (default: samples)\n"
	      "  -o, --output PATH        a .xlsx file, or a folder that gets\n"
	      "                           workforce-report-<as-of>.xlsx (default: reports/)\n"
	      "      --since WHEN         window start: YYYY, YYYY-Qn or YYYY-MM-DD\n"
	      "                           (default: the earliest date in the data)\n"
	      "      --as-of DATE         window end and the report's 'today', YYYY-MM-DD\n"
	      "                           (default: today, UTC; SOURCE_DATE_EPOCH if set)\n"
	      "      --min-group N        smallest group whose statistics are shown (default 5;\n"
	      "                           at least 3 unless --no-privacy)\n"
	      "      --no-privacy         allow --min-group 1 or 2: an analyst's own run, not\n"
	      "                           for sharing\n"
	      "      --date-format FMT    dates in the CSVs: iso (YYYY-MM-DD, default),\n"
	      "                           mdy (MM/DD/YYYY) or dmy (DD/MM/YYYY)\n"
	      "      --km-ci BAND         Kaplan-Meier 95% band: log-log (default), log or\n"
	      "                           plain\n"
	      "      --dq-detail          also list every data problem, with ids and values,\n"
	      "                           on the Data Quality sheet: an analyst's own run,\n"
	      "                           not for sharing (by default the sheet shows counts\n"
	      "                           and the detail goes to <report>.issues.csv)\n"
	      "      --strict             fail (exit 65) if any row is rejected\n"
	      "  -q, --quiet              print errors only\n"
	      "  -v, --verbose            print every data problem, not only the first ten\n"
	      "      --progress           show progress even when stderr is not a terminal\n"
	      "      --timings            print the time each phase took\n"
	      "      --version            print the version and exit\n"
	      "  -h, --help               print this help and exit\n"
	      "\n"
	      "Exit codes: 0 done (rejected rows are warnings), 64 usage error, 65 data error,\n"
	      "66 input missing, 73 output cannot be created, 74 I/O error, 75 another run\n"
	      "holds the lock, 130/143 interrupted.\n",
	      f);
}

const char *date_format_name(enum wr_date_format f)
{
	switch (f) {
	case WR_DATE_MDY: return "mdy";
	case WR_DATE_DMY: return "dmy";
	default: return "iso";
	}
}

bool options_parse_since(const char *s, wr_date *out)
{
	size_t len = strlen(s);
	if (len == 4) {
		char *end;
		long y = strtol(s, &end, 10);
		if (*end || !date_valid((int)y, 1, 1) || s[0] < '0' || s[0] > '9')
			return false;
		*out = date_from_ymd((int)y, 1, 1);
		return true;
	}
	if (len == 7 && s[4] == '-' && (s[5] == 'Q' || s[5] == 'q') && s[6] >= '1' && s[6] <= '4') {
		wr_date first;
		char year[11];
		memcpy(year, s, 4);
		memcpy(year + 4, "-01-01", 7);
		if (!date_parse(year, 10, WR_DATE_ISO, &first))
			return false;
		*out = date_add_months(first, (s[6] - '1') * 3);
		return true;
	}
	return date_parse(s, len, WR_DATE_ISO, out);
}

static bool parse_min_group(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 1 || v > 1000000)
		return false;
	*out = (int)v;
	return true;
}

enum wr_error options_parse(struct options *o, int argc, char **argv, time_t now,
			    struct wr_errmsg *err)
{
	memset(o, 0, sizeof(*o));
	o->input_dir = "samples";
	o->output = "reports";
	o->since = WR_DATE_NONE;
	o->as_of = date_from_unix((int64_t)now);
	o->min_group = 5;
	o->date_format = WR_DATE_ISO;
	o->km_ci = KM_CI_LOGLOG;

	optind = 0; /* reset getopt, also for tests that parse twice */
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":i:o:qvh", long_options, NULL)) != -1) {
		switch (c) {
		case 'i': o->input_dir = optarg; break;
		case 'o': o->output = optarg; break;
		case OPT_SINCE:
			if (!options_parse_since(optarg, &o->since))
				return wr_fail(err, WR_ERR_USAGE,
					       "invalid --since '%s': expected YYYY, YYYY-Qn or "
					       "YYYY-MM-DD",
					       optarg);
			o->since_text = optarg;
			break;
		case OPT_AS_OF:
			if (!date_parse(optarg, strlen(optarg), WR_DATE_ISO, &o->as_of))
				return wr_fail(err, WR_ERR_USAGE,
					       "invalid --as-of '%s': expected YYYY-MM-DD", optarg);
			o->as_of_given = true;
			break;
		case OPT_MIN_GROUP:
			if (!parse_min_group(optarg, &o->min_group))
				return wr_fail(err, WR_ERR_USAGE,
					       "invalid --min-group '%s': expected a whole number "
					       "of at least 1",
					       optarg);
			break;
		case OPT_DATE_FORMAT:
			if (strcmp(optarg, "iso") == 0)
				o->date_format = WR_DATE_ISO;
			else if (strcmp(optarg, "mdy") == 0)
				o->date_format = WR_DATE_MDY;
			else if (strcmp(optarg, "dmy") == 0)
				o->date_format = WR_DATE_DMY;
			else
				return wr_fail(err, WR_ERR_USAGE,
					       "invalid --date-format '%s': expected iso, mdy or dmy",
					       optarg);
			break;
		case OPT_KM_CI:
			if (strcmp(optarg, "log-log") == 0 || strcmp(optarg, "loglog") == 0)
				o->km_ci = KM_CI_LOGLOG;
			else if (strcmp(optarg, "log") == 0)
				o->km_ci = KM_CI_LOG;
			else if (strcmp(optarg, "plain") == 0)
				o->km_ci = KM_CI_PLAIN;
			else
				return wr_fail(err, WR_ERR_USAGE,
					       "invalid --km-ci '%s': expected log-log, log or plain",
					       optarg);
			break;
		case OPT_NO_PRIVACY: o->no_privacy = true; break;
		case OPT_DQ_DETAIL: o->dq_detail = true; break;
		case OPT_STRICT: o->strict = true; break;
		case 'q': o->quiet = true; break;
		case 'v': o->verbose = true; break;
		case OPT_PROGRESS: o->progress = true; break;
		case OPT_TIMINGS: o->timings = true; break;
		case OPT_VERSION: o->version = true; break;
		case 'h': o->help = true; break;
		case ':':
			return wr_fail(err, WR_ERR_USAGE, "option '%s' needs a value",
				       argv[optind - 1]);
		default:
			return wr_fail(err, WR_ERR_USAGE, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return wr_fail(err, WR_ERR_USAGE, "unexpected argument '%s'", argv[optind]);
	if (o->min_group < 3 && !o->no_privacy)
		return wr_fail(err, WR_ERR_USAGE,
			       "--min-group %d would show statistics of one or two people: the "
			       "least is 3, or add --no-privacy for an analyst's own run",
			       o->min_group);
	if (o->quiet && o->verbose)
		return wr_fail(err, WR_ERR_USAGE, "--quiet and --verbose cannot be used together");
	if (o->since != WR_DATE_NONE && o->since > o->as_of)
		return wr_fail(err, WR_ERR_USAGE, "--since '%s' is after the as-of date",
			       o->since_text);
	return WR_OK;
}
