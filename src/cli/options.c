/* options.c - see options.h. */
#include "cli/options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/names.h"

enum {
	OPT_SINCE = 256,
	OPT_AS_OF,
	OPT_MIN_GROUP,
	OPT_DATE_FORMAT,
	OPT_KM_CI,
	OPT_NO_PRIVACY,
	OPT_DQ_DETAIL,
	OPT_STRICT,
	OPT_CSV,
	OPT_JSON,
	OPT_ALLOW_REJECTS,
	OPT_KEEP,
	OPT_JOBS,
	OPT_LOG,
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
	{"csv", required_argument, NULL, OPT_CSV},
	{"json", required_argument, NULL, OPT_JSON},
	{"allow-rejects", no_argument, NULL, OPT_ALLOW_REJECTS},
	{"keep", required_argument, NULL, OPT_KEEP},
	{"jobs", required_argument, NULL, OPT_JOBS},
	{"log", required_argument, NULL, OPT_LOG},
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
	      "  -o, --output PATH        a .xlsx file, or a folder (created if missing) that\n"
	      "                           gets workforce-report-<as-of>.xlsx, or\n"
	      "                           workforce-report-<since>_<as-of>.xlsx when --since\n"
	      "                           narrows the window, and whose\n"
	      "                           workforce-report-latest.xlsx is updated when the\n"
	      "                           run's as-of is the newest there (default: reports/)\n"
	      "      --keep N             keep only the newest N dated reports in an output\n"
	      "                           folder (default: keep all)\n"
	      "      --since WHEN         window start: YYYY (1 January), YYYY-Qn (the\n"
	      "                           quarter's first day), YYYY-MM (the month's first\n"
	      "                           day), YYYY-MM-DD, or Nq / Ny (N quarters / years back\n"
	      "                           from the as-of date, e.g. 8q)\n"
	      "                           (default: the earliest date in the data)\n"
	      "      --as-of DATE         window end and the report's 'today': YYYY-MM-DD,\n"
	      "                           YYYY-Qn (that quarter's last day), YYYY-MM (that\n"
	      "                           month's last day) or last-quarter (the last day of\n"
	      "                           the most recent complete quarter)\n"
	      "                           (default: today in the local time zone)\n",
	      f);
	fputs("      --min-group N        smallest group whose statistics are shown (default 5;\n"
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
	      "      --allow-rejects      write the report even when more than half of a\n"
	      "                           file's rows are rejected\n"
	      "      --csv DIR            also write every table as DIR/<table>.csv\n"
	      "      --json FILE          also write the headline figures and run metadata as\n"
	      "                           JSON (- for stdout)\n"
	      "      --log FILE           append one line per run for audit: time, as-of,\n"
	      "                           input, output, counts, exit code\n"
	      "  -q, --quiet              print errors only\n"
	      "  -v, --verbose            print every data problem, not only the first ten\n"
	      "      --progress           show progress even when stderr is not a terminal\n"
	      "      --timings            print the time each phase took\n"
	      "  -j, --jobs N             threads that read the files and run the analyses\n"
	      "                           (default: the number of online CPUs; the report is\n"
	      "                           the same whatever N)\n"
	      "      --version            print the version and exit\n"
	      "  -h, --help               print this help and exit\n",
	      f);
	fputs("\n"
	      "The clock and the default --as-of use the local time zone unless TZ says\n"
	      "otherwise (TZ=UTC for UTC). SOURCE_DATE_EPOCH, when set, replaces the clock\n"
	      "(its day in UTC), for reproducible runs.\n"
	      "\n"
	      "Examples:\n"
	      "  The quarterly run from cron or a systemd timer (errors only, no report if\n"
	      "  any row is rejected):\n"
	      "    workforce-report --input /srv/hris/export --output /srv/reports \\\n"
	      "        --as-of last-quarter --strict -q\n"
	      "  An analyst's look at the years since 2022, into one file:\n"
	      "    workforce-report --input export --since 2022 --output analysis.xlsx\n"
	      "  Every table as CSV as well, for another tool:\n"
	      "    workforce-report --input export --output reports --csv reports/csv\n",
	      f);
	fputs("\n"
	      "Exit status:\n"
	      "  0         success (rejected rows are warnings unless --strict)\n"
	      "  64        usage error\n"
	      "  65        data error: broken CSV quoting, an empty file, a missing required\n"
	      "            column, a column named twice; --strict with rejected rows; more\n"
	      "            than half of a file's rows rejected without --allow-rejects\n"
	      "  66        the input folder or roles.csv is missing\n"
	      "  70        out of memory\n"
	      "  73        the output cannot be created (any problem with the output path)\n"
	      "  74        I/O error while reading or writing\n"
	      "  75        another run holds the output folder's lock\n"
	      "  130, 143  interrupted by SIGINT or SIGTERM (no report written)\n",
	      f);
}

static const struct name_value date_format_names[] = {
	{"iso", WR_DATE_ISO},
	{"mdy", WR_DATE_MDY},
	{"dmy", WR_DATE_DMY},
	{NULL, 0},
};

const char *date_format_name(enum wr_date_format f)
{
	return names_name(date_format_names, (int)f, "iso");
}

/* --OPTION NAME from its table: the value, or a usage error that lists the
 * names the table accepts. */
static enum wr_error parse_name(const struct name_value *table, const char *option,
				const char *arg, int *value, struct wr_errmsg *err)
{
	if (names_lookup(table, arg, value))
		return WR_OK;
	char choices[120];
	names_choices(table, choices, sizeof(choices));
	return wr_fail(err, WR_ERR_USAGE, "invalid %s '%s': expected %s", option, arg, choices);
}

/* YYYY-MM: the month's first day. */
static bool parse_month(const char *s, wr_date *first)
{
	if (strlen(s) != 7 || s[4] != '-')
		return false;
	char day[11];
	memcpy(day, s, 7);
	memcpy(day + 7, "-01", 4);
	return date_parse(day, 10, WR_DATE_ISO, first);
}

/* Nq or Ny, N from 1 to 400: how many months back. */
static bool parse_back(const char *s, int *months)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (s[0] < '1' || s[0] > '9' || n > 400 || (end[0] != 'q' && end[0] != 'y') ||
	    end[1] != '\0')
		return false;
	*months = (int)n * (end[0] == 'q' ? 3 : 12);
	return true;
}

bool options_parse_as_of(const char *s, wr_date today, wr_date *out)
{
	size_t len = strlen(s);
	wr_date first;
	if (strcmp(s, "last-quarter") == 0) {
		*out = date_quarter_start(today) - 1;
		return true;
	}
	if (len == 7 && s[4] == '-' && (s[5] == 'Q' || s[5] == 'q')) {
		if (!options_parse_since(s, &first))
			return false;
		*out = date_add_months(first, 3) - 1;
		return true;
	}
	if (parse_month(s, &first)) {
		*out = date_add_months(first, 1) - 1;
		return true;
	}
	return date_parse(s, len, WR_DATE_ISO, out);
}

bool options_parse_since(const char *s, wr_date *out)
{
	size_t len = strlen(s);
	if (parse_month(s, out))
		return true;
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

enum wr_error options_parse(struct options *o, int argc, char **argv, wr_date today,
			    struct wr_errmsg *err)
{
	memset(o, 0, sizeof(*o));
	o->input_dir = "samples";
	o->output = "reports";
	o->since = WR_DATE_NONE;
	o->as_of = today;
	int back = 0; /* --since Nq / Ny, in months, resolved once as-of is known */
	o->min_group = 5;
	o->date_format = WR_DATE_ISO;
	o->km_ci = KM_CI_LOGLOG;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	o->jobs = cpus < 1 ? 1 : cpus > OPTIONS_MAX_JOBS ? OPTIONS_MAX_JOBS : (int)cpus;

	optind = 0; /* reset getopt, also for tests that parse twice */
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":i:o:j:qvh", long_options, NULL)) != -1) {
		switch (c) {
		case 'i': o->input_dir = optarg; break;
		case 'o': o->output = optarg; break;
		case OPT_SINCE:
			if (!parse_back(optarg, &back) && !options_parse_since(optarg, &o->since))
				return wr_fail(err, WR_ERR_USAGE,
					       "invalid --since '%s': expected YYYY, YYYY-Qn, YYYY-MM, "
					       "YYYY-MM-DD, or Nq / Ny back from the as-of date",
					       optarg);
			o->since_text = optarg;
			break;
		case OPT_AS_OF:
			if (!options_parse_as_of(optarg, today, &o->as_of))
				return wr_fail(err, WR_ERR_USAGE,
					       "invalid --as-of '%s': expected YYYY-MM-DD, YYYY-Qn, "
					       "YYYY-MM or last-quarter",
					       optarg);
			o->as_of_given = true;
			o->as_of_text = optarg;
			break;
		case OPT_MIN_GROUP:
			if (!parse_min_group(optarg, &o->min_group))
				return wr_fail(err, WR_ERR_USAGE,
					       "invalid --min-group '%s': expected a whole number "
					       "of at least 1",
					       optarg);
			break;
		case OPT_DATE_FORMAT: {
			int v;
			enum wr_error e = parse_name(date_format_names, "--date-format", optarg, &v, err);
			if (e)
				return e;
			o->date_format = (enum wr_date_format)v;
			break;
		}
		case OPT_KM_CI: {
			int v;
			enum wr_error e = parse_name(km_ci_names, "--km-ci", optarg, &v, err);
			if (e)
				return e;
			o->km_ci = (enum km_ci)v;
			break;
		}
		case OPT_NO_PRIVACY: o->no_privacy = true; break;
		case OPT_DQ_DETAIL: o->dq_detail = true; break;
		case OPT_STRICT: o->strict = true; break;
		case OPT_CSV:
			if (!*optarg)
				return wr_fail(err, WR_ERR_USAGE,
					       "invalid --csv '': expected a folder");
			o->csv_dir = optarg;
			break;
		case OPT_JSON:
			if (!*optarg)
				return wr_fail(err, WR_ERR_USAGE,
					       "invalid --json '': expected a file, or - for "
					       "standard output");
			o->json_path = optarg;
			break;
		case OPT_ALLOW_REJECTS: o->allow_rejects = true; break;
		case OPT_KEEP: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 1 || v > 100000)
				return wr_fail(err, WR_ERR_USAGE,
					       "invalid --keep '%s': expected a whole number of at "
					       "least 1",
					       optarg);
			o->keep = (int)v;
			break;
		}
		case 'j':
		case OPT_JOBS: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 1 || v > OPTIONS_MAX_JOBS)
				return wr_fail(err, WR_ERR_USAGE,
					       "invalid --jobs '%s': expected a whole number from 1 "
					       "to %d",
					       optarg, OPTIONS_MAX_JOBS);
			o->jobs = (int)v;
			break;
		}
		case OPT_LOG: o->log = optarg; break;
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
	if (o->since_text && parse_back(o->since_text, &back))
		o->since = date_add_months(o->as_of + 1, -back);
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
