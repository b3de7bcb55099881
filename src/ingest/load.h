/* load.h - read every export of an input folder into a dataset: CSV, header
 * mapping, validation, duplicate detection, and the row accounting
 * (read = used + rejected) of the Data Quality sheet.
 */
#ifndef WR_LOAD_H
#define WR_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "ingest/schema.h"
#include "model/dataset.h"
#include "model/date.h"

struct load_opts {
	const char *input_dir;
	enum wr_date_format date_format;
	wr_date as_of;              /* rows dated after it are flagged future-dated */
	/* threads that parse a file (load.c: the parallel read); 0 or 1: one.
	 * The dataset, its data-quality log and the order of the echoed issues
	 * are the same for every value. */
	int jobs;
	size_t piece_bytes;         /* bytes per thread at a time; 0: 1 MiB */
	/* optional progress report per file, by bytes */
	void (*progress)(void *ctx, const char *file, uint64_t done, uint64_t total);
	void (*file_done)(void *ctx, enum wr_file file, double seconds);
	void *ctx;
};

/* Check that the input folder and roles.csv are there (WR_ERR_NOINPUT). */
enum wr_error load_check_input(const struct load_opts *opts, struct wr_errmsg *err);

/* Load every file. roles.csv and the folder are required (WR_ERR_NOINPUT);
 * the other files are optional and marked absent. */
enum wr_error load_dataset(const struct load_opts *opts, struct dataset *ds, struct wr_errmsg *err);

/* Load one export from memory into ds (tests, fuzzing). */
enum wr_error load_buffer(enum wr_file file, const char *data, size_t len,
			  const struct load_opts *opts, struct dataset *ds, struct wr_errmsg *err);

#endif
