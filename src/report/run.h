/* run.h - one run of the report: options in, a workbook (and its issues
 * file, exports) or an error out. The whole pipeline: read and validate,
 * model, the analyses, the workbook, publishing.
 *
 * report_run talks to nobody: what a run has to say (progress, each data
 * problem as it is found, phases for --timings) goes through the hooks, and
 * what it found is left in struct report_run for the caller to print (the
 * closing line, the stale-data warning, the rejected rows). main, the tests
 * and the fuzz harness call it.
 */
#ifndef WR_RUN_H
#define WR_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "cli/options.h"
#include "core/error.h"
#include "model/career.h"
#include "model/dataset.h"
#include "workbook/output.h"

/* All optional (NULL: nothing). */
struct report_hooks {
	void (*progress)(void *ctx, const char *file, uint64_t done, uint64_t total);
	void (*file_done)(void *ctx, enum wr_file file, double seconds);
	void (*phase_done)(void *ctx, const char *phase);
	/* every data problem, as it is logged (the issues file has them all) */
	void (*issue)(void *ctx, const struct dq_issue *issue);
	void *ctx;
};

struct report_run {
	struct dataset ds;
	struct model model;
	struct output out;
	time_t generated;          /* the workbook's creation time */
	bool generated_from_env;   /* from SOURCE_DATE_EPOCH */
	/* what the run found, for the caller to tell */
	uint64_t read, used, rejected, warnings;
	bool stopped_on_rejects;   /* WR_ERR_DATA for rejects: ds.dq lists them */
	bool stale;                /* the data stops well before as-of */
	wr_date data_through;
	/* private */
	const struct report_hooks *hooks;
	struct options *opt;
	enum wr_error issues_error; /* the first failure writing the issues file */
	struct wr_errmsg issues_msg;
	struct wr_errmsg step_err;
};

void report_run_init(struct report_run *run, time_t generated, bool generated_from_env);
void report_run_release(struct report_run *run);

/* Run the report the options describe (opt->since is resolved here when
 * not given). An allocation failure anywhere returns WR_ERR_NOMEM. */
enum wr_error report_run(struct report_run *run, struct options *opt,
			 const struct report_hooks *hooks, struct wr_errmsg *err);

#endif
