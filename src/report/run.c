/* run.c - see run.h. */
#include "report/run.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "ingest/load.h"
#include "metrics/kpi.h"
#include "metrics/mobility.h"
#include "metrics/programmes.h"
#include "metrics/retention.h"
#include "metrics/split.h"
#include "metrics/ttp.h"
#include "workbook/export_csv.h"
#include "workbook/export_json.h"
#include "workbook/report.h"

#ifndef WR_VERSION
#define WR_VERSION "0.0.0"
#endif

void report_run_init(struct report_run *run, time_t generated, bool generated_from_env)
{
	memset(run, 0, sizeof(*run));
	dataset_init(&run->ds);
	model_init(&run->model);
	output_init(&run->out);
	run->generated = generated;
	run->generated_from_env = generated_from_env;
}

void report_run_release(struct report_run *run)
{
	output_release(&run->out);
	model_release(&run->model);
	dataset_release(&run->ds);
}

static void phase_done(struct report_run *run, const char *what)
{
	if (run->hooks->phase_done)
		run->hooks->phase_done(run->hooks->ctx, what);
}

/* Every issue, as it is logged: a row of the issues file (opened on the
 * first; a failure is kept, and then no report is written), then the hook. */
static void on_issue(void *ctx, const struct dq_issue *it)
{
	struct report_run *run = ctx;
	struct output *out = &run->out;
	if (!run->issues_error && !out->issues) {
		run->issues_error = output_issues_open(out, &run->issues_msg);
		if (!run->issues_error && !dq_csv_header(out->issues))
			run->issues_error = wr_fail(&run->issues_msg, WR_ERR_IO,
						    "cannot write the issues file '%s': %s",
						    out->issues_path, strerror(errno));
	}
	if (!run->issues_error && !dq_csv_row(out->issues, it))
		run->issues_error = wr_fail(&run->issues_msg, WR_ERR_IO,
					    "cannot write the issues file '%s': %s",
					    out->issues_path, strerror(errno));
	if (run->hooks->issue)
		run->hooks->issue(run->hooks->ctx, it);
}

/* The analyses' warnings about input rows, into the data-quality log. */
static void on_warning(void *ctx, const struct data_warning *w)
{
	struct dataset *ds = ctx;
	dq_add(&ds->dq, w->file, w->line, w->column, w->kind, w->value,
	       w->value ? strlen(w->value) : 0, "%s", w->message);
}

static void describe_options(const struct report_run *run, struct report_option *out, size_t *n)
{
	const struct options *o = run->opt;
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
			 : run->generated_from_env ? " (default: SOURCE_DATE_EPOCH)"
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
	const char *dq = report_sheet_name(SHEET_DATA_QUALITY);
	if (o->dq_detail)
		snprintf(out[k++].value, sizeof(out[0].value),
			 "yes (the %s sheet lists every problem with ids and values: this workbook "
			 "holds person-level data, not for sharing)", dq);
	else
		snprintf(out[k++].value, sizeof(out[0].value),
			 "no (the %s sheet shows counts; the detail is in the .issues.csv file "
			 "beside the workbook)", dq);
	*n = k;
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
 * invalid (counted as they were read), or NULL when none does. */
static const char *fitting_date_format(const struct dataset *ds, enum wr_file file,
				       enum wr_date_format given)
{
	enum wr_date_format fits;
	return dq_date_hint(&ds->dq.files[file], given, &fits) ? date_format_name(fits) : NULL;
}

/* Too many rejects for a report: --strict with any, or more than half of a
 * file's rows without --allow-rejects. Then the run writes no report but
 * <report>.rejected.csv, and says why (exit 65); the caller shows the
 * first rejected rows (ds.dq, sorted). */
static enum wr_error check_rejects(struct report_run *run, struct wr_errmsg *err)
{
	const struct options *o = run->opt;
	struct dataset *ds = &run->ds;
	struct output *out = &run->out;
	uint64_t rejected = run->rejected;
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
	run->stopped_on_rejects = true;
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

/* Time to promotion, about half the analyses' work, runs on a thread of
 * its own beside the others. The thread first collects the spells, which
 * the headline figures on the main thread read too: it writes them, then
 * says they are ready (spells_wait), and from then on reads only the model
 * and the spells and writes only its own result. */
struct side_job {
	const struct model *m;
	struct ttp_spells *spells;
	pthread_mutex_t lock;
	pthread_cond_t ready;
	bool spells_ready, failed; /* under lock */
	const struct ttp_params *ttp_params;
	struct ttp_result *ttp;
	enum wr_error error; /* WR_ERR_NOMEM, or WR_OK */
	struct wr_errmsg err;
};

/* Tell spells_wait that the spells are collected, or that they never will
 * be (failed). */
static void spells_done(struct side_job *j, bool failed)
{
	pthread_mutex_lock(&j->lock);
	j->spells_ready = true;
	j->failed = failed;
	pthread_cond_broadcast(&j->ready);
	pthread_mutex_unlock(&j->lock);
}

static enum wr_error side_job_steps(void *arg)
{
	struct side_job *j = arg;
	ttp_spells_collect(j->m, j->ttp_params->as_of, j->spells);
	spells_done(j, false);
	ttp_compute(j->m, j->spells, j->ttp_params, j->ttp);
	return WR_OK;
}

static void *side_job_run(void *arg)
{
	struct side_job *j = arg;
	j->error = alloc_catch(side_job_steps, j, &j->err);
	if (j->error) /* out of memory: whoever waits for the spells waits no more */
		spells_done(j, true);
	return NULL;
}

/* Until the side job has collected the spells: false when it failed. */
static bool spells_wait(struct side_job *j)
{
	pthread_mutex_lock(&j->lock);
	while (!j->spells_ready)
		pthread_cond_wait(&j->ready, &j->lock);
	bool ok = !j->failed;
	pthread_mutex_unlock(&j->lock);
	return ok;
}

/* The analyses that run on this thread, beside the side job; the results
 * live in the job, the report points at them. */
struct main_job {
	struct report_run *run;
	struct report *r;
	struct side_job *side;
	const struct ttp_spells *spells;
	struct split_result split;
	struct mobility_result mobility;
	struct secondment_result secondments;
	struct intern_result interns;
	struct kpi_result kpi;
	struct retention_result retention;
};

static enum wr_error main_job_steps(void *arg)
{
	struct main_job *j = arg;
	struct report_run *run = j->run;
	const struct options *o = run->opt;
	struct dataset *ds = &run->ds;
	const struct model *m = &run->model;
	struct report *r = j->r;
	model_headcount_on(m, o->as_of, &r->headcount);
	struct split_params sp = {.since = o->since, .as_of = o->as_of,
				  .min_group = o->min_group};
	split_compute(m, &sp, &j->split);
	split_report_warnings(&j->split, ds, o->as_of,
			      &(struct warn_sink){.warn = on_warning, .ctx = ds});
	r->split = &j->split;
	phase_done(run, "analysis: IC vs management");
	struct mobility_params mp = {.since = o->since, .as_of = o->as_of};
	mobility_compute(m, &j->split, &mp, &j->mobility);
	r->mobility = &j->mobility;
	phase_done(run, "analysis: promotions, transfers");
	struct programme_params pp = {.since = o->since, .as_of = o->as_of,
				      .min_group = o->min_group, .ci = o->km_ci,
				      .prev_as_of = ttp_previous_quarter(o->as_of)};
	secondments_compute(m, &pp, &j->secondments);
	interns_compute(m, &pp, &j->interns);
	r->secondments = &j->secondments;
	r->interns = &j->interns;
	phase_done(run, "analysis: secondments, interns");
	if (!spells_wait(j->side))
		return WR_OK; /* the side job failed: its error ends the run */
	struct kpi_params kp = {.as_of = o->as_of, .ci = o->km_ci, .min_group = o->min_group};
	kpi_compute(m, j->spells, &kp, &j->kpi);
	r->kpi = &j->kpi;
	run->stale = j->kpi.stale;
	run->data_through = j->kpi.data_through;
	phase_done(run, "analysis: headline figures");
	struct retention_params rp = {.since = o->since, .as_of = o->as_of, .ci = o->km_ci,
				      .min_group = o->min_group};
	retention_compute(m, &rp, &j->retention);
	r->retention = &j->retention;
	phase_done(run, "analysis: retention");
	return WR_OK;
}

/* The analyses and the workbook. */
static enum wr_error analyse_and_write(struct report_run *run, struct wr_errmsg *err)
{
	struct options *o = run->opt;
	struct dataset *ds = &run->ds;
	struct model *m = &run->model;
	struct output *out = &run->out;
	struct report_option opts[20];
	size_t nopts;
	describe_options(run, opts, &nopts);
	struct report r = {
		.ds = ds, .model = m, .version = WR_VERSION, .generated = run->generated,
		.since = o->since, .as_of = o->as_of, .min_group = o->min_group,
		.options = opts, .noptions = nopts,
	};
	struct ttp_params tp = {.since = o->since, .as_of = o->as_of, .ci = o->km_ci,
				.min_group = o->min_group,
				.prev_as_of = ttp_previous_quarter(o->as_of)};
	struct ttp_spells spells = {0}; /* read by time to promotion and the headline figures */
	struct ttp_result ttp;
	struct side_job side = {.m = m, .spells = &spells, .ttp_params = &tp, .ttp = &ttp};
	pthread_mutex_init(&side.lock, NULL);
	pthread_cond_init(&side.ready, NULL);
	pthread_t side_thread;
	bool threaded = o->jobs > 1 && pthread_create(&side_thread, NULL, side_job_run, &side) == 0;
	if (!threaded) {
		side_job_run(&side);
		phase_done(run, "analysis: time to promotion");
	}
	r.ttp = &ttp;
	r.km_ci = o->km_ci;
	struct main_job mj = {.run = run, .r = &r, .side = &side, .spells = &spells};
	struct wr_errmsg main_err;
	/* an allocation failure here comes back here, so that the side thread
	 * is always joined before the run unwinds past what it reads */
	enum wr_error e = alloc_catch(main_job_steps, &mj, &main_err);
	if (threaded) {
		pthread_join(side_thread, NULL);
		if (!e)
			phase_done(run, "analysis: time to promotion (what was left)");
	}
	pthread_cond_destroy(&side.ready);
	pthread_mutex_destroy(&side.lock);
	if (e) {
		*err = main_err;
		return e; /* out of memory: the run ends, nothing is freed */
	}
	if (side.error) {
		*err = side.err;
		return side.error;
	}
	ttp_spells_release(&spells);
	dq_sort(&ds->dq);
	run->warnings = total_of(ds, 2); /* the analyses' warnings too */

	struct csv_export csv; /* --csv: the tables, collected as the workbook is written */
	csv_export_init(&csv, o->csv_dir);
	book_export_tables(o->csv_dir ? &csv : NULL);
	e = write_report(&r, out->tmp_path, err);
	book_export_tables(NULL);
	ttp_release(&ttp);
	split_release(&mj.split);
	mobility_release(&mj.mobility);
	secondments_release(&mj.secondments);
	interns_release(&mj.interns);
	retention_release(&mj.retention);
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
	if (!e)
		phase_done(run, "workbook");
	return e;
}

static enum wr_error run_steps(void *arg)
{
	struct report_run *run = arg;
	struct options *o = run->opt;
	struct dataset *ds = &run->ds;
	struct wr_errmsg *err = &run->step_err;
	struct load_opts lo = {
		.input_dir = o->input_dir,
		.date_format = o->date_format,
		.as_of = o->as_of,
		.jobs = o->jobs,
		.piece_bytes = o->piece_bytes,
		.progress = run->hooks->progress,
		.file_done = run->hooks->file_done,
		.ctx = run->hooks->ctx,
	};
	/* input there (66), then the output folder and its lock (73, 75) at
	 * once, before the long read */
	enum wr_error e = load_check_input(&lo, err);
	ds->dq.list_in_workbook = o->dq_detail;
	ds->dq.echo = on_issue;
	ds->dq.echo_ctx = run;
	if (!e)
		e = output_prepare(&run->out, o->output, o->since_text ? o->since : WR_DATE_NONE,
				   o->as_of, err);
	if (!e)
		e = load_dataset(&lo, ds, err);
	if (e)
		return e;
	phase_done(run, "read and validate (all)");

	if (o->since == WR_DATE_NONE)
		o->since = ds->earliest != WR_DATE_NONE && ds->earliest <= o->as_of ? ds->earliest
										     : o->as_of;
	model_build(&run->model, ds);
	phase_done(run, "model");

	run->read = total_of(ds, 0);
	run->rejected = total_of(ds, 1);
	run->warnings = total_of(ds, 2);
	for (int f = 0; f < WR_FILE_COUNT; f++)
		run->used += ds->dq.files[f].used;
	e = check_rejects(run, err);
	if (!e)
		e = analyse_and_write(run, err);
	return e;
}

static const struct report_hooks no_hooks;

enum wr_error report_run(struct report_run *run, struct options *opt,
			 const struct report_hooks *hooks, struct wr_errmsg *err)
{
	run->opt = opt;
	run->hooks = hooks ? hooks : &no_hooks;
	/* caught is written only when an allocation fails in this thread;
	 * every other failure (an allocation that failed on another thread
	 * too) comes back in step_err */
	struct wr_errmsg caught = {0};
	enum wr_error e = alloc_catch(run_steps, run, &caught);
	if (e)
		*err = caught.text[0] ? caught : run->step_err;
	return e;
}
