/* main.c - workforce-report: run the pipeline (options, ingest, model,
 * workbook) and map errors to exit codes. Only main exits. */
#include <errno.h>
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
	snprintf(out[k++].value, sizeof(out[0].value), "%s%s", day,
		 o->as_of_given ? "" : (getenv("SOURCE_DATE_EPOCH") ? " (default: SOURCE_DATE_EPOCH)"
								    : " (default: today, UTC)"));
	out[k].name = "--min-group";
	snprintf(out[k++].value, sizeof(out[0].value), "%d%s", o->min_group,
		 o->no_privacy ? " (--no-privacy: small groups shown, not for sharing)" : "");
	out[k].name = "--date-format";
	snprintf(out[k++].value, sizeof(out[0].value), "%s", date_format_name(o->date_format));
	out[k].name = "--km-ci";
	snprintf(out[k++].value, sizeof(out[0].value), "%s", km_ci_name(o->km_ci));
	out[k].name = "--strict";
	snprintf(out[k++].value, sizeof(out[0].value), "%s", o->strict ? "yes" : "no");
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
		e = output_prepare(out, o->output, o->as_of, err);
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
	const struct dq_file_counts *roles = &ds->dq.files[WR_FILE_ROLES];
	if (roles->read > 0 && roles->used == 0 && !o->quiet) {
		/* the report will say nothing: most often dates in another format */
		uint64_t dates = dq_count_key(&ds->dq, WR_FILE_ROLES, "invalid date");
		fprintf(stderr, "workforce-report: warning: roles.csv: none of its %llu rows could "
				"be used%s\n",
			(unsigned long long)roles->read,
			dates * 2 > dq_total(&ds->dq)
				? " (most dates are invalid: is --date-format mdy or dmy needed?)"
				: "");
	}
	if (o->strict && rejected)
		return wr_fail(err, WR_ERR_DATA,
			       "%llu rows rejected and --strict is set: no report written",
			       (unsigned long long)rejected);

	struct report_option opts[16];
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

	e = write_report(&r, out->tmp_path, err);
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
	enum wr_error e = options_parse(&run.opt, argc, argv, clock_ok ? now : time(NULL), &err);
	if (e) {
		fprintf(stderr, "workforce-report: %s\nTry 'workforce-report --help'.\n", err.text);
		return wr_exit_code(e);
	}
	if (run.opt.help) {
		options_usage(stdout);
		return 0;
	}
	if (run.opt.version) {
		printf("workforce-report %s\n", WR_VERSION);
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

	output_release(&out);
	model_release(&m);
	dataset_release(&ds);
	return wr_exit_code(e);
}
