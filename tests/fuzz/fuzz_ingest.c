/* fuzz_ingest.c - libFuzzer harness over the whole pipeline: bytes -> input
 * files -> report_run (read, validate, model, analyses, privacy rules,
 * workbook, issues file) in a scratch folder.
 *
 * The input is split at each "\xFF\xFE" pair into one part per input file,
 * written as roles.csv, promotions.csv, transfers.csv, secondments.csv,
 * interns.csv, lateral-options.csv and levels.csv in that order; a plain CSV
 * file is a roles.csv. The run is the one main makes, with a small group
 * size and --allow-rejects, so that the workbook is written whatever the
 * rows. Then the same run again on three threads, the files cut into
 * pieces of a size drawn from the input (src/ingest/chunk.h, load.c): the
 * error, the workbook and the issues file must be byte for byte those of
 * the single-thread run, wherever the cuts fall.
 * Built with -DWR_FUZZ=ON (clang); fuzz_replay.c runs the same function
 * over saved inputs in every build, so each crash kept under regressions/
 * stays a test.
 */
#include <dirent.h>
#include <gsl/gsl_errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/options.h"
#include "ingest/schema.h"
#include "report/run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char scratch[4096], in_dir[4200], out_dir[4200];

/* Remove every file of dir (the folders hold files only). */
static void empty_folder(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	char path[8400];
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' || (e->d_name[1] && e->d_name[1] != '.')) {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	closedir(d);
}

static void remove_scratch(void)
{
	empty_folder(in_dir);
	empty_folder(out_dir);
	rmdir(in_dir);
	rmdir(out_dir);
	rmdir(scratch);
}

static bool make_scratch(void)
{
	if (scratch[0])
		return true;
	const char *tmp = getenv("TMPDIR");
	snprintf(scratch, sizeof(scratch), "%s/wr-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(scratch)) {
		perror("fuzz_ingest: mkdtemp");
		return false;
	}
	snprintf(in_dir, sizeof(in_dir), "%s/in", scratch);
	snprintf(out_dir, sizeof(out_dir), "%s/out", scratch);
	if (mkdir(in_dir, 0700) != 0 || mkdir(out_dir, 0700) != 0) {
		perror("fuzz_ingest: mkdir");
		return false;
	}
	atexit(remove_scratch);
	return true;
}

static bool write_part(enum wr_file f, const char *p, size_t n)
{
	char path[8400];
	snprintf(path, sizeof(path), "%s/%s", in_dir, schema_file(f)->name);
	FILE *out = fopen(path, "wb");
	if (!out)
		return false;
	bool ok = fwrite(p, 1, n, out) == n;
	return fclose(out) == 0 && ok;
}

struct bytes {
	char *data;
	size_t len;
	bool there;
};

static void read_bytes(const char *path, struct bytes *b)
{
	memset(b, 0, sizeof(*b));
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	b->there = true;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		b->data = realloc(b->data, b->len + n);
		if (!b->data)
			abort();
		memcpy(b->data + b->len, chunk, n);
		b->len += n;
	}
	fclose(f);
}

static bool same_bytes(const struct bytes *a, const struct bytes *b)
{
	return a->there == b->there && a->len == b->len &&
	       (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* What a run left: its error, the workbook and the issues file. */
struct outcome {
	enum wr_error e;
	struct wr_errmsg err;
	struct bytes book, issues;
};

static void run_once(const struct options *given, const char *book, const char *issues,
		     struct outcome *out)
{
	struct options opt = *given; /* the run resolves --since in it */
	struct report_run run;
	memset(&out->err, 0, sizeof(out->err));
	report_run_init(&run, 1700000000, true);
	out->e = report_run(&run, &opt, NULL, &out->err);
	report_run_release(&run);
	read_bytes(book, &out->book);
	read_bytes(issues, &out->issues);
}

static void outcome_release(struct outcome *o)
{
	free(o->book.data);
	free(o->issues.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gsl_set_error_handler_off();
	if (!make_scratch())
		abort();
	empty_folder(in_dir);
	empty_folder(out_dir);

	const char *p = (const char *)data, *end = p + size;
	for (int f = 0; f < WR_FILE_COUNT && p <= end; f++) {
		const char *cut = p;
		while (cut + 1 < end && !((unsigned char)cut[0] == 0xFF && (unsigned char)cut[1] == 0xFE))
			cut++;
		if (cut + 1 >= end)
			cut = end;
		if (!write_part((enum wr_file)f, p, (size_t)(cut - p)))
			abort();
		if (cut == end)
			break;
		p = cut + 2;
	}

	char output[8400], issues[8400];
	snprintf(output, sizeof(output), "%s/report.xlsx", out_dir);
	snprintf(issues, sizeof(issues), "%s/report.issues.csv", out_dir);
	char *argv[] = {"workforce-report", "--input", in_dir, "--output", output,
			"--as-of", "2024-12-31", "--min-group", "3", "--allow-rejects",
			"--quiet", "--jobs", "1", NULL};
	struct options opt;
	struct wr_errmsg err;
	wr_date today = date_from_ymd(2025, 1, 1);
	if (options_parse(&opt, (int)(sizeof(argv) / sizeof(argv[0])) - 1, argv, today, &err))
		abort();
	struct outcome one, three;
	run_once(&opt, output, issues, &one);
	empty_folder(out_dir);
	opt.jobs = 3;
	opt.piece_bytes = 1 + (size ? data[0] % 64 + size / (1 + data[size - 1] % 7) : 0);
	run_once(&opt, output, issues, &three);
	if (one.e != three.e || strcmp(one.err.text, three.err.text) != 0 ||
	    !same_bytes(&one.book, &three.book) || !same_bytes(&one.issues, &three.issues)) {
		fprintf(stderr, "fuzz_ingest: --jobs 3 (pieces of %zu bytes) differs from --jobs 1:\n"
				"  jobs 1: %d %s\n  jobs 3: %d %s\n",
			opt.piece_bytes, one.e, one.err.text, three.e, three.err.text);
		abort();
	}
	outcome_release(&one);
	outcome_release(&three);
	return 0;
}
