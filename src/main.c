/* main.c - workforce-report: run the pipeline (options, ingest, model,
 * workbook) and map errors to exit codes. Only main exits. */
#include <errno.h>
#include <fcntl.h>
#include <gsl/gsl_errno.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/options.h"
#include "core/alloc.h"
#include "ingest/load.h"
#include "model/career.h"
#include "model/dataset.h"
#include "metrics/kpi.h"
#include "metrics/mobility.h"
#include "metrics/programmes.h"
#include "metrics/retention.h"
#include "metrics/split.h"
#include "metrics/ttp.h"
#include "workbook/export_csv.h"
#include "workbook/export_json.h"
#include "workbook/output.h"
#include "workbook/report.h"

#ifndef WR_VERSION
#define WR_VERSION "0.0.0"
#endif

#define ECHO_LIMIT 10

struct run {
	struct options opt;
	bool show_progress;
	bool progress_tty;
	int last_percent;
	unsigned long echoed;
	double t_phase;
	struct output *out;          /* where the issues file goes */
	enum wr_error issues_error;  /* the first failure writing it */
	struct wr_errmsg issues_msg;
};

static void on_signal(int sig)
{
	static const char lost[] = "workforce-report: interrupted, no report written\n";
	static const char kept[] = "workforce-report: interrupted after the report was written\n";
	bool written = output_emergency_cleanup();
	const char *msg = written ? kept : lost;
	size_t len = written ? sizeof(kept) - 1 : sizeof(lost) - 1;
	ssize_t ignored = write(wr_message_fd, msg, len);
	(void)ignored;
	_exit(128 + sig);
}

static void remove_partial_output(void)
{
	output_emergency_cleanup();
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* The clock: SOURCE_DATE_EPOCH when set (reproducible builds), else now. */
static bool read_clock(time_t *now)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (!sde || !*sde) {
		*now = time(NULL);
		return true;
	}
	char *end;
	errno = 0;
	long long v = strtoll(sde, &end, 10);
	if (errno || *end || v < 0 || v > 253402300799LL)
		return false;
	*now = (time_t)v;
	return true;
}

/* The default as-of date: the clock's day in the local time zone (TZ, as
 * cron runs), or SOURCE_DATE_EPOCH's in UTC (the same on every machine). */
static wr_date today(bool clock_ok, time_t now)
{
	if (clock_ok && getenv("SOURCE_DATE_EPOCH") && *getenv("SOURCE_DATE_EPOCH"))
		return date_from_unix((int64_t)now);
	time_t t = time(NULL);
	struct tm tm;
	if (!localtime_r(&t, &tm))
		return date_from_unix((int64_t)t);
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static double monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void phase_done(struct run *run, const char *what)
{
	double now = monotonic();
	if (run->opt.timings)
		fprintf(stderr, "workforce-report: timing: %-36s %8.3f s\n", what, now - run->t_phase);
	run->t_phase = now;
}

static void on_progress(void *ctx, const char *file, uint64_t done, uint64_t total)
{
	struct run *run = ctx;
	if (!run->show_progress || total == 0)
		return;
	int pct = (int)(done * 100 / total);
	if (pct == run->last_percent || (!run->progress_tty && pct % 10 != 0 && pct != 100))
		return;
	run->last_percent = pct;
	if (run->progress_tty)
		fprintf(stderr, "\rworkforce-report: reading %s %3d%%", file, pct);
	else
		fprintf(stderr, "workforce-report: reading %s %3d%%\n", file, pct);
}

static void on_file_done(void *ctx, enum wr_file file, double seconds)
{
	struct run *run = ctx;
	if (run->show_progress && run->progress_tty && run->last_percent >= 0)
		fputs("\r\033[K", stderr);
	run->last_percent = -1;
	if (run->opt.timings)
		fprintf(stderr, "workforce-report: timing: read %-31s %8.3f s\n",
			schema_file(file)->name, seconds);
}

static void echo_issue(struct run *run, const struct dq_issue *it)
{
	if (run->opt.quiet || it->severity == DQ_NOTE)
		return;
	if (!run->opt.verbose && run->echoed >= ECHO_LIMIT) {
		run->echoed++;
		return;
	}
	run->echoed++;
	fprintf(stderr, "workforce-report: %s:%lu: %s: %s", schema_file(it->file)->name, it->line,
		it->severity == DQ_REJECTED ? "row rejected" : "warning", it->problem);
	if (it->column)
		fprintf(stderr, " (column '%s'%s%s%s)", it->column, it->value ? ", value '" : "",
			it->value ? it->value : "", it->value ? "'" : "");
	fputc('\n', stderr);
}

/* Every issue, as it is logged: a row of the issues file (opened on the
 * first; a failure is kept for run_report, which then writes no report),
 * and the first ten on stderr. */
static void on_issue(void *ctx, const struct dq_issue *it)
{
	struct run *run = ctx;
	if (!run->issues_error && !run->out->issues) {
		run->issues_error = output_issues_open(run->out, &run->issues_msg);
		if (!run->issues_error && !dq_csv_header(run->out->issues))
			run->issues_error = wr_fail(&run->issues_msg, WR_ERR_IO,
						    "cannot write the issues file '%s': %s",
						    run->out->issues_path, strerror(errno));
	}
	if (!run->issues_error && !dq_csv_row(run->out->issues, it))
		run->issues_error = wr_fail(&run->issues_msg, WR_ERR_IO,
					    "cannot write the issues file '%s': %s",
					    run->out->issues_path, strerror(errno));
	echo_issue(run, it);
}

static void describe_options(const struct run *run, struct report_option *out, size_t *n)
{
	const struct options *o = &run->opt;
	char day[11];
	size_t k = 0;
	out[k].name = "--input";
	snprintf(out[k++].value, sizeof(out[0].value), "%s", o->input_dir);
	out[k].name = "--output";
	snprintf(out[k++].value, sizeof(out[0].value), "%s", o->output);
	out[k].name = "--since";
	date_format_iso(o->since, day);
	if (o->since_text)
		snprintf(out[k++].value, sizeof(out[0].value), "%s (given as %s)", day, o->since_text);
	else
		snprintf(out[k++].value, sizeof(out[0].value), "%s (default: earliest date in the data)",
			 day);
	out[k].name = "--as-of";
	date_format_iso(o->as_of, day);
	if (o->as_of_text && strcmp(o->as_of_text, day) != 0) {
		snprintf(out[k++].value, sizeof(out[0].value), "%s (given as %s)", day,
			 o->as_of_text);
	} else {
		snprintf(out[k++].value, sizeof(out[0].value), "%s%s", day,
			 o->as_of_given ? ""
			 : getenv("SOURCE_DATE_EPOCH") ? " (default: SOURCE_DATE_EPOCH)"
						       : " (default: today, local time)");
	}
	out[k].name = "--min-group";
	snprintf(out[k++].value, sizeof(out[0].value), "%d%s", o->min_group,
		 o->no_privacy ? " (--no-privacy: small groups shown, not for sharing)" : "");
	out[k].name = "--date-format";
	snprintf(out[k++].value, sizeof(out[0].value), "%s", date_format_name(o->date_format));
	out[k].name = "--km-ci";
	snprintf(out[k++].value, sizeof(out[0].value), "%s", km_ci_name(o->km_ci));
	out[k].name = "--strict";
	snprintf(out[k++].value, sizeof(out[0].value), "%s", o->strict ? "yes" : "no");
	out[k].name = "--allow-rejects";
	snprintf(out[k++].value, sizeof(out[0].value), "%s",
		 o->allow_rejects ? "yes (a report even when most of a file's rows are rejected)"
				  : "no");
	out[k].name = "--keep";
	if (o->keep)
		snprintf(out[k++].value, sizeof(out[0].value), "%d", o->keep);
	else
		snprintf(out[k++].value, sizeof(out[0].value), "all (default)");
	out[k].name = "--log";
	snprintf(out[k++].value, sizeof(out[0].value), "%s", o->log ? o->log : "none");
	out[k].name = "--csv";
	snprintf(out[k++].value, sizeof(out[0].value), "%s", o->csv_dir ? o->csv_dir : "none");
	out[k].name = "--json";
	snprintf(out[k++].value, sizeof(out[0].value), "%s", o->json_path ? o->json_path : "none");
	out[k].name = "--dq-detail";
	snprintf(out[k++].value, sizeof(out[0].value), "%s",
		 o->dq_detail ? "yes (the Data Quality sheet lists every problem with ids and "
				"values: this workbook holds person-level data, not for sharing)"
			      : "no (the Data Quality sheet shows counts; the detail is in the "
				".issues.csv file beside the workbook)");
	*n = k;
}

/* Span of control finds people named as managers who are not active and
 * managers without reports: warnings on the Data Quality sheet. */
static void log_span_warnings(struct dataset *ds, const struct split_result *s, wr_date as_of)
{
	char day[11];
	date_format_iso(as_of, day);
	for (size_t i = 0; i < s->ninactive; i++) {
		const struct span_warning *w = &s->inactive_managers[i];
		const char *id = ds_id(ds, w->emp);
		dq_add(&ds->dq, WR_FILE_ROLES, w->line, "manager_id", DQ_WARNING,
		       "named as manager but holds no role on the as-of date", id, strlen(id),
		       "named as the manager of %llu active employee%s but holds no role on %s",
		       (unsigned long long)w->reports, w->reports == 1 ? "" : "s", day);
	}
	for (size_t i = 0; i < s->nno_reports; i++) {
		const struct span_warning *w = &s->no_reports[i];
		const char *id = ds_id(ds, w->emp);
		dq_add(&ds->dq, WR_FILE_ROLES, w->line, "employee_id", DQ_WARNING,
		       "management-track employee with no active direct reports", id, strlen(id),
		       "management-track employee with no active direct reports on %s", day);
	}
}

static uint64_t total_of(const struct dataset *ds, int what)
{
	uint64_t n = 0;
	for (int f = 0; f < WR_FILE_COUNT; f++) {
		const struct dq_file_counts *c = &ds->dq.files[f];
		n += what == 0 ? c->read : what == 1 ? c->rejected : c->warnings;
	}
	return n;
}

/* The --date-format that reads most of the dates a file rejected as
 * invalid (from the kept list), or NULL when none does. */
static const char *fitting_date_format(const struct dataset *ds, enum wr_file file,
				       enum wr_date_format given)
{
	static const enum wr_date_format formats[] = {WR_DATE_ISO, WR_DATE_MDY, WR_DATE_DMY};
	size_t fits[3] = {0}, seen = 0;
	for (size_t i = 0; i < ds->dq.count; i++) {
		const struct dq_issue *it = &ds->dq.items[i];
		if (it->file != file || !it->key || strcmp(it->key, "invalid date") != 0 || !it->value)
			continue;
		seen++;
		wr_date d;
		for (int f = 0; f < 3; f++)
			fits[f] += date_parse(it->value, strlen(it->value), formats[f], &d);
	}
	int best = -1;
	for (int f = 0; f < 3; f++)
		if (formats[f] != given && fits[f] * 2 > seen && (best < 0 || fits[f] > fits[best]))
			best = f;
	return best < 0 ? NULL : date_format_name(formats[best]);
}

/* Print the first rejected rows to stderr (also under -q: the operator
 * needs them), most useful first: the kept list is in file and line order. */
static void print_rejected(const struct dataset *ds, size_t limit)
{
	size_t shown = 0;
	for (size_t i = 0; i < ds->dq.count && shown < limit; i++) {
		const struct dq_issue *it = &ds->dq.items[i];
		if (it->severity != DQ_REJECTED)
			continue;
		fprintf(stderr, "workforce-report: %s:%lu: row rejected: %s", schema_file(it->file)->name,
			it->line, it->problem);
		if (it->column)
			fprintf(stderr, " (column '%s'%s%s%s)", it->column, it->value ? ", value '" : "",
				it->value ? it->value : "", it->value ? "'" : "");
		fputc('\n', stderr);
		shown++;
	}
}

/* Too many rejects for a report: --strict with any, or more than half of a
 * file's rows without --allow-rejects. Then the run writes no report but
 * <report>.rejected.csv, and says why (exit 65). */
static enum wr_error check_rejects(struct run *run, struct dataset *ds, struct output *out,
				   uint64_t rejected, struct wr_errmsg *err)
{
	const struct options *o = &run->opt;
	int worst = -1;
	for (int f = 0; f < WR_FILE_COUNT; f++) {
		const struct dq_file_counts *c = &ds->dq.files[f];
		if (c->read > 0 && 2 * c->rejected > c->read &&
		    (worst < 0 || c->rejected > ds->dq.files[worst].rejected))
			worst = f;
	}
	bool strict = o->strict && rejected;
	bool most = worst >= 0 && !o->allow_rejects;
	if (!strict && !most)
		return WR_OK;
	dq_sort(&ds->dq);
	print_rejected(ds, 20);
	enum wr_error e = output_keep_rejected(out, err);
	if (e)
		return e;
	char where[600] = "";
	if (out->rejected_path)
		snprintf(where, sizeof(where), "; every problem is listed in %s", out->rejected_path);
	if (strict)
		return wr_fail(err, WR_ERR_DATA, "%llu row%s rejected and --strict is set: no report "
						 "written%s",
			       (unsigned long long)rejected, rejected == 1 ? "" : "s", where);
	const struct dq_file_counts *c = &ds->dq.files[worst];
	const char *name = schema_file((enum wr_file)worst)->name;
	const char *fmt = fitting_date_format(ds, (enum wr_file)worst, o->date_format);
	char hint[160] = "";
	if (fmt)
		snprintf(hint, sizeof(hint), " (the dates look like --date-format %s)", fmt);
	return wr_fail(err, WR_ERR_DATA,
		       "%s: %llu of its %llu row%s rejected%s: no report written (--allow-rejects "
		       "writes one anyway)%s",
		       name, (unsigned long long)c->rejected, (unsigned long long)c->read,
		       c->read == 1 ? "" : "s", hint, where);
}

static enum wr_error run_report(struct run *run, struct dataset *ds, struct model *m,
				struct output *out, struct wr_errmsg *err)
{
	struct options *o = &run->opt;
	struct load_opts lo = {
		.input_dir = o->input_dir,
		.date_format = o->date_format,
		.as_of = o->as_of,
		.progress = on_progress,
		.file_done = on_file_done,
		.ctx = run,
	};
	/* input there (66), then the output folder and its lock (73, 75) at
	 * once, before the long read */
	enum wr_error e = load_check_input(&lo, err);
	run->out = out;
	ds->dq.list_in_workbook = o->dq_detail;
	if (!e)
		e = output_prepare(out, o->output, o->since_text ? o->since : WR_DATE_NONE,
				   o->as_of, err);
	if (!e)
		e = load_dataset(&lo, ds, err);
	if (e)
		return e;
	phase_done(run, "read and validate (all)");

	if (o->since == WR_DATE_NONE)
		o->since = ds->earliest != WR_DATE_NONE && ds->earliest <= o->as_of ? ds->earliest
										     : o->as_of;
	model_build(m, ds);
	phase_done(run, "model");

	uint64_t rejected = total_of(ds, 1);
	e = check_rejects(run, ds, out, rejected, err);
	if (e)
		return e;

	struct report_option opts[20];
	size_t nopts;
	describe_options(run, opts, &nopts);
	time_t now;
	read_clock(&now);
	struct report r = {
		.ds = ds, .model = m, .version = WR_VERSION, .generated = now,
		.since = o->since, .as_of = o->as_of, .min_group = o->min_group,
		.options = opts, .noptions = nopts,
	};
	model_headcount_on(m, o->as_of, &r.headcount);
	struct ttp_params tp = {.since = o->since, .as_of = o->as_of, .ci = o->km_ci,
				.min_group = o->min_group,
				.prev_as_of = ttp_previous_quarter(o->as_of)};
	struct ttp_result ttp;
	ttp_compute(m, &tp, &ttp);
	r.ttp = &ttp;
	r.km_ci = o->km_ci;
	phase_done(run, "analysis: time to promotion");
	struct split_params sp = {.since = o->since, .as_of = o->as_of,
				  .min_group = o->min_group};
	struct split_result split;
	split_compute(m, &sp, &split);
	log_span_warnings(ds, &split, o->as_of);
	r.split = &split;
	phase_done(run, "analysis: IC vs management");
	struct mobility_params mp = {.since = o->since, .as_of = o->as_of};
	struct mobility_result mobility;
	mobility_compute(m, &split, &mp, &mobility);
	r.mobility = &mobility;
	phase_done(run, "analysis: promotions, transfers");
	struct programme_params pp = {.since = o->since, .as_of = o->as_of,
				      .min_group = o->min_group, .ci = o->km_ci,
				      .prev_as_of = ttp_previous_quarter(o->as_of)};
	struct secondment_result secondments;
	struct intern_result interns;
	secondments_compute(m, &pp, &secondments);
	interns_compute(m, &pp, &interns);
	r.secondments = &secondments;
	r.interns = &interns;
	phase_done(run, "analysis: secondments, interns");
	struct retention_params rp = {.since = o->since, .as_of = o->as_of, .ci = o->km_ci,
				      .min_group = o->min_group};
	struct retention_result retention;
	retention_compute(m, &rp, &retention);
	r.retention = &retention;
	phase_done(run, "analysis: attrition, retention");
	struct kpi_params kp = {.as_of = o->as_of, .ci = o->km_ci, .min_group = o->min_group};
	struct kpi_result kpi;
	kpi_compute(m, &kp, &kpi);
	r.kpi = &kpi;
	bool stale = kpi.stale;
	wr_date through = kpi.data_through;
	phase_done(run, "analysis: headline figures");
	dq_sort(&ds->dq);

	struct csv_export csv; /* --csv: the tables, collected as the workbook is written */
	csv_export_init(&csv, o->csv_dir);
	book_export_tables(o->csv_dir ? &csv : NULL);
	e = write_report(&r, out->tmp_path, err);
	book_export_tables(NULL);
	ttp_release(&ttp);
	split_release(&split);
	mobility_release(&mobility);
	secondments_release(&secondments);
	interns_release(&interns);
	retention_release(&retention);
	if (!e && run->issues_error) {
		*err = run->issues_msg;
		e = run->issues_error;
	}
	if (!e)
		e = output_commit(out, err);
	if (!e)
		e = output_publish(out, o->keep, err);
	/* the exports after the workbook is in place, so that they agree with it */
	if (!e)
		e = csv_export_write(&csv, err);
	csv_export_release(&csv);
	if (!e && o->json_path)
		e = json_export_write(&r,
				      &(struct json_export){.path = o->json_path, .workbook = out->path,
							    .issues = out->issues_path,
							    .csv_dir = o->csv_dir, .exit_status = 0},
				      err);
	if (e)
		return e;
	phase_done(run, "workbook");

	if (!o->quiet) {
		uint64_t warnings = total_of(ds, 2);
		if (run->echoed > ECHO_LIMIT && !o->verbose)
			fprintf(stderr,
				"workforce-report: ... %lu more data problems not shown here (-v shows "
				"them; all are in %s)\n",
				run->echoed - ECHO_LIMIT, out->issues_path);
		uint64_t read = total_of(ds, 0);
		fprintf(stderr,
			"workforce-report: wrote %s: %llu row%s read, %llu rejected, %llu warning%s%s\n",
			out->path, (unsigned long long)read, read == 1 ? "" : "s",
			(unsigned long long)rejected, (unsigned long long)warnings,
			warnings == 1 ? "" : "s",
			rejected || warnings ? ", see the Data Quality sheet" : "");
		if (stale) { /* after the closing line: a caveat about what was written */
			char last[11], day[11];
			date_format_iso(through, last);
			date_format_iso(o->as_of, day);
			fprintf(stderr,
				"workforce-report: warning: the data stops on %s, %d days before the "
				"as-of date %s: recent periods will look empty (--as-of %s?)\n",
				last, o->as_of - through, day, last);
		}
	}
	return WR_OK;
}

/* --log FILE: one line per run, appended, for audit: when, what was read
 * and written, the counts and the exit code. A log that cannot be written
 * is a warning; it never changes the run's exit code. */
static void append_log(const struct run *run, const struct dataset *ds, const struct output *out,
		       int code)
{
	const struct options *o = &run->opt;
	int fd = open(o->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	FILE *f = fd >= 0 ? fdopen(fd, "a") : NULL;
	if (!f) {
		fprintf(stderr, "workforce-report: warning: cannot append to the log '%s': %s\n",
			o->log, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	char when[40], day[11];
	time_t t = time(NULL);
	struct tm tm;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", localtime_r(&t, &tm));
	date_format_iso(o->as_of, day);
	uint64_t used = 0;
	for (int i = 0; i < WR_FILE_COUNT; i++)
		used += ds->dq.files[i].used;
	fprintf(f, "%s as_of=%s input=%s output=%s read=%llu used=%llu rejected=%llu "
		   "warnings=%llu exit=%d\n",
		when, day, o->input_dir, out->path ? out->path : o->output,
		(unsigned long long)total_of(ds, 0), (unsigned long long)used,
		(unsigned long long)total_of(ds, 1), (unsigned long long)total_of(ds, 2), code);
	if (fclose(f) != 0)
		fprintf(stderr, "workforce-report: warning: cannot append to the log '%s': %s\n",
			o->log, strerror(errno));
}

int main(int argc, char **argv)
{
	struct run run = {.last_percent = -1};
	struct wr_errmsg err = {{0}};

	gsl_set_error_handler_off();
	wr_set_fatal_cleanup(remove_partial_output);
#ifdef __GLIBC__
	/* Keep freed memory for reuse: the analyses allocate and free arrays of
	 * millions of rows one after another, and glibc would hand each back to
	 * the kernel and fault fresh zeroed pages in again (a tenth of the run
	 * at a million employees). */
	mallopt(M_MMAP_MAX, 0);
	mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif

	time_t now;
	bool clock_ok = read_clock(&now);
	enum wr_error e = options_parse(&run.opt, argc, argv, today(clock_ok, now), &err);
	if (e) {
		fprintf(stderr, "workforce-report: %s\nTry 'workforce-report --help'.\n", err.text);
		return wr_exit_code(e);
	}
	if (run.opt.help) {
		options_usage(stdout);
		return 0;
	}
	if (run.opt.version) {
		printf("workforce-report %s\n"
		       "License: MIT <https://opensource.org/licenses/MIT>\n"
		       "This is free software: you are free to change and redistribute it.\n",
		       WR_VERSION);
		return 0;
	}
	if (!clock_ok) {
		fprintf(stderr, "workforce-report: invalid SOURCE_DATE_EPOCH '%s': expected seconds "
				"since 1970\n", getenv("SOURCE_DATE_EPOCH"));
		return wr_exit_code(WR_ERR_USAGE);
	}
	run.progress_tty = isatty(STDERR_FILENO);
	run.show_progress = !run.opt.quiet && (run.opt.progress || run.progress_tty);
	run.t_phase = monotonic();
	install_signals();

	struct dataset ds;
	struct model m;
	struct output out;
	dataset_init(&ds);
	model_init(&m);
	output_init(&out);
	ds.dq.echo = on_issue;
	ds.dq.echo_ctx = &run;

	e = run_report(&run, &ds, &m, &out, &err);
	if (e)
		fprintf(stderr, "workforce-report: %s\n", err.text);
	if (run.opt.log)
		append_log(&run, &ds, &out, wr_exit_code(e));

	output_release(&out);
	model_release(&m);
	dataset_release(&ds);
	return wr_exit_code(e);
}
