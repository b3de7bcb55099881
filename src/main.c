/* main.c - workforce-report: options in, report_run(), what the run has to
 * say on stderr (progress, data problems, the closing line), the exit code
 * out. Only main exits. */
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
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cli/options.h"
#include "core/alloc.h"
#include "ingest/schema.h"
#include "report/run.h"
#include "workbook/output.h"
#include "workbook/report.h"

#ifndef WR_VERSION
#define WR_VERSION "0.0.0"
#endif

#define ECHO_LIMIT 10

/* What main keeps of a run: the options and what it has told. */
struct run {
	struct options opt;
	bool show_progress;
	bool progress_tty;
	int last_percent;
	unsigned long echoed;
	double t_phase;
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

/* The clock: SOURCE_DATE_EPOCH when set (reproducible builds; *from_env
 * says so), else now. False when it is set but not a time. */
static bool read_clock(time_t *now, bool *from_env)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	*from_env = sde && *sde;
	if (!*from_env) {
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
static wr_date today(bool clock_ok, bool from_env, time_t now)
{
	if (clock_ok && from_env)
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

static void phase_done(void *ctx, const char *what)
{
	struct run *run = ctx;
	double now = monotonic();
	if (run->opt.timings) {
		struct rusage ru;
		long peak = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss / 1024 : -1;
		fprintf(stderr, "workforce-report: timing: %-36s %8.3f s (peak RSS so far %ld MB)\n",
			what, now - run->t_phase, peak);
	}
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
			wr_file_name(file), seconds);
}

/* Each data problem as it is found: the first ten on stderr (all with -v). */
static void echo_issue(void *ctx, const struct dq_issue *it)
{
	struct run *run = ctx;
	if (run->opt.quiet || it->severity == DQ_NOTE)
		return;
	if (!run->opt.verbose && run->echoed >= ECHO_LIMIT) {
		run->echoed++;
		return;
	}
	run->echoed++;
	dq_print_issue(stderr, it, "workforce-report");
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
		dq_print_issue(stderr, it, "workforce-report");
		shown++;
	}
}

/* After a report: the data problems not shown, the closing line, and a
 * caveat about what was written when the data stops well before as-of. */
static void tell_written(const struct run *run, const struct report_run *rr)
{
	const struct options *o = &run->opt;
	if (o->quiet)
		return;
	if (run->echoed > ECHO_LIMIT && !o->verbose)
		fprintf(stderr,
			"workforce-report: ... %lu more data problems not shown here (-v shows "
			"them; all are in %s)\n",
			run->echoed - ECHO_LIMIT, rr->out.issues_path);
	char see[80] = "";
	if (rr->rejected || rr->warnings)
		snprintf(see, sizeof(see), ", see the %s sheet", report_sheet_name(SHEET_DATA_QUALITY));
	fprintf(stderr, "workforce-report: wrote %s: %llu row%s read, %llu rejected, %llu warning%s%s\n",
		rr->out.path, (unsigned long long)rr->read, rr->read == 1 ? "" : "s",
		(unsigned long long)rr->rejected, (unsigned long long)rr->warnings,
		rr->warnings == 1 ? "" : "s", see);
	if (rr->stale) {
		char last[11], day[11];
		date_format_iso(rr->data_through, last);
		date_format_iso(o->as_of, day);
		fprintf(stderr,
			"workforce-report: warning: the data stops on %s, %d days before the as-of "
			"date %s: recent periods will look empty (--as-of %s?)\n",
			last, o->as_of - rr->data_through, day, last);
	}
}

/* --log FILE: one line per run, appended, for audit: when, what was read
 * and written, the counts and the exit code. A log that cannot be written
 * is a warning; it never changes the run's exit code. */
static void append_log(const struct run *run, const struct report_run *rr, int code)
{
	const struct output *out = &rr->out;
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
	fprintf(f, "%s as_of=%s input=%s output=%s read=%llu used=%llu rejected=%llu "
		   "warnings=%llu exit=%d\n",
		when, day, o->input_dir, out->path ? out->path : o->output,
		(unsigned long long)rr->read, (unsigned long long)rr->used,
		(unsigned long long)rr->rejected, (unsigned long long)rr->warnings, code);
	if (fclose(f) != 0)
		fprintf(stderr, "workforce-report: warning: cannot append to the log '%s': %s\n",
			o->log, strerror(errno));
}

int main(int argc, char **argv)
{
	struct run run = {.last_percent = -1};
	struct wr_errmsg err = {{0}};

	gsl_set_error_handler_off();
#ifdef __GLIBC__
	/* Keep freed memory for reuse: the analyses allocate and free arrays of
	 * millions of rows one after another, and glibc would hand each back to
	 * the kernel and fault fresh zeroed pages in again (a tenth of the run
	 * at a million employees). */
	mallopt(M_MMAP_MAX, 0);
	mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif

	time_t now;
	bool from_env;
	bool clock_ok = read_clock(&now, &from_env);
	enum wr_error e = options_parse(&run.opt, argc, argv, today(clock_ok, from_env, now), &err);
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
	/* tests only: the n-th allocation fails, to follow every way out of
	 * memory on every thread */
	const char *fail = getenv("WR_TEST_ALLOC_FAIL");
	if (fail && *fail)
		alloc_fail_after(strtoul(fail, NULL, 10));
	/* tests only: tiny pieces, so that small inputs are cut in many places */
	const char *piece = getenv("WR_TEST_PIECE_BYTES");
	if (piece && *piece)
		run.opt.piece_bytes = (size_t)strtoul(piece, NULL, 10);
	run.progress_tty = isatty(STDERR_FILENO);
	run.show_progress = !run.opt.quiet && (run.opt.progress || run.progress_tty);
	run.t_phase = monotonic();
	install_signals();

	struct report_run rr;
	report_run_init(&rr, now, from_env);
	struct report_hooks hooks = {.progress = on_progress, .file_done = on_file_done,
				     .phase_done = phase_done, .issue = echo_issue, .ctx = &run};
	e = report_run(&rr, &run.opt, &hooks, &err);
	if (e && rr.stopped_on_rejects)
		print_rejected(&rr.ds, 20);
	if (e)
		fprintf(stderr, "workforce-report: %s\n", err.text);
	else
		tell_written(&run, &rr);
	if (run.opt.log)
		append_log(&run, &rr, wr_exit_code(e));
	report_run_release(&rr);
	return wr_exit_code(e);
}
