/* output.h - where the workbook and its issues file go, safely.
 *
 * The output is written to a temporary file in the destination folder and
 * renamed into place only when complete (fsync'ed before the rename, the
 * folder after it), so a failed or interrupted run leaves no partial file and
 * leaves an earlier report of the same name untouched. Files are created
 * without world access (0640 or tighter). A lock file in the folder
 * (.workforce-report.lock, flock) keeps a second concurrent run out.
 *
 * The issues file (every data problem in full, person-level data for the
 * HRIS owner) sits beside the workbook: its name is the workbook's with
 * .issues.csv in place of .xlsx. It is written the same way, to its own
 * temporary file opened on first use, and put in place just before the
 * workbook; a run without issues removes an earlier run's issues file of
 * that name, so that the file beside a workbook is always its own.
 */
#ifndef WR_OUTPUT_H
#define WR_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"
#include "model/date.h"

struct output {
	char *dir;        /* destination folder */
	char *path;       /* final path of the workbook */
	char *tmp_path;   /* temporary file while writing, or NULL */
	char *issues_path; /* final path of the issues file */
	char *issues_tmp; /* its temporary file once opened, or NULL */
	FILE *issues;     /* open on issues_tmp, or NULL */
	int lock_fd;
	char *lock_path;
	char *rejected_path; /* <report>.rejected.csv once written, or NULL */
	bool folder;      /* the output is a folder of dated reports */
	wr_date as_of;
};

void output_init(struct output *o);
/* Resolve the -o argument: a path ending in .xlsx names the file; anything
 * else is a folder (created when missing) that gets
 * workforce-report-<as-of>.xlsx, or workforce-report-<since>_<as-of>.xlsx
 * when since (a --since given, else WR_DATE_NONE) narrows the window. Takes
 * the lock and creates the temporary file. Every problem with the path is
 * WR_ERR_CANTCREAT with one form of message; WR_ERR_LOCKED when another run
 * holds the lock. */
enum wr_error output_prepare(struct output *o, const char *arg, wr_date since, wr_date as_of,
			     struct wr_errmsg *err);
/* Open the issues file: a temporary file in the destination folder, as
 * o->issues (after output_prepare; once per run). Errors: WR_ERR_CANTCREAT. */
enum wr_error output_issues_open(struct output *o, struct wr_errmsg *err);
/* Make the finished temporary files the report: the issues file if it was
 * opened (else an earlier one of that name is removed), then the workbook. */
enum wr_error output_commit(struct output *o, struct wr_errmsg *err);
/* A run that writes no report for its data (--strict, or too many rows
 * rejected): put every problem found (the issues file's rows) at
 * <report>.rejected.csv instead, for whoever fixes the export; nothing if
 * there were none. Errors: WR_ERR_CANTCREAT, WR_ERR_IO. */
enum wr_error output_keep_rejected(struct output *o, struct wr_errmsg *err);
/* After output_commit, for a folder of dated reports: point
 * workforce-report-latest.xlsx at this report (a hard link, else a copy,
 * renamed into place) when its as-of date is the newest in the folder, and
 * when keep > 0 remove all but the newest keep dated reports (and their
 * issues files). Errors: WR_ERR_CANTCREAT. */
enum wr_error output_publish(struct output *o, int keep, struct wr_errmsg *err);
/* Remove the temporary files (if any), release the lock and remove its
 * file, free. */
void output_release(struct output *o);

/* Async-signal-safe: unlink the temporary files of the output being written,
 * if any. Returns true when the report was already in place (renamed), so
 * that a signal handler can say so. For signal handlers and fatal paths. */
bool output_emergency_cleanup(void);

#endif
