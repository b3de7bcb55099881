/* output.h - where the workbook goes, safely.
 *
 * The output is written to a temporary file in the destination folder and
 * renamed into place only when complete (fsync'ed before the rename, the
 * folder after it), so a failed or interrupted run leaves no partial file and
 * leaves an earlier report of the same name untouched. Files are created
 * without world access (0640 or tighter). A lock file in the folder
 * (.workforce-report.lock, flock) keeps a second concurrent run out.
 */
#ifndef WR_OUTPUT_H
#define WR_OUTPUT_H

#include <stdbool.h>

#include "core/error.h"
#include "model/date.h"

struct output {
	char *dir;        /* destination folder */
	char *path;       /* final path of the workbook */
	char *tmp_path;   /* temporary file while writing, or NULL */
	int lock_fd;
};

void output_init(struct output *o);
/* Resolve the -o argument: a path ending in .xlsx names the file; anything
 * else is a folder (created when missing) that gets
 * workforce-report-<as-of>.xlsx. Takes the lock and creates the temporary
 * file. Errors: WR_ERR_CANTCREAT, WR_ERR_LOCKED. */
enum wr_error output_prepare(struct output *o, const char *arg, wr_date as_of,
			     struct wr_errmsg *err);
/* Make the finished temporary file the report. */
enum wr_error output_commit(struct output *o, struct wr_errmsg *err);
/* Remove the temporary file (if any), release the lock, free. */
void output_release(struct output *o);

/* Async-signal-safe: unlink the temporary file of the output being written,
 * if any. Returns true when the report was already in place (renamed), so
 * that a signal handler can say so. For signal handlers and fatal paths. */
bool output_emergency_cleanup(void);

#endif
