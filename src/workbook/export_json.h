/* export_json.h - the Summary's headline figures and the run's metadata as
 * JSON (--json FILE, or - for standard output), for automation.
 *
 * The document is versioned ("schema": "workforce-report/1"; a change that
 * renames or removes a key or changes its meaning gets a new number, new
 * keys may be added within one), written with jansson: keys sorted, two
 * spaces of indentation, a final newline, so that the same run gives the
 * same bytes. Numbers that are whole (and below 2^53) are written without a
 * fraction, other numbers with 17 significant digits (they read back as
 * the same double); NaN and infinity become null. Every key is described in
 * README.md's "Exports" section.
 *
 * A file is written to a temporary file beside it (mode 0640 less the
 * umask, flushed to disk) and renamed into place; SIGINT, SIGTERM and
 * SIGHUP wait meanwhile. Any failure is WR_ERR_CANTCREAT with "cannot
 * write <path>: <reason>".
 */
#ifndef WR_EXPORT_JSON_H
#define WR_EXPORT_JSON_H

#include "core/error.h"
#include "workbook/report.h"

#define JSON_EXPORT_SCHEMA "workforce-report/1"

struct json_export {
	const char *path;     /* the file, or "-": standard output */
	const char *workbook; /* the workbook written */
	const char *issues;   /* the issues file's path: named when it exists */
	const char *csv_dir;  /* --csv's folder, or NULL */
	int exit_status;      /* the run's exit status (0: the report is written) */
};

/* The document for the report r (of which only ds, version, generated,
 * since, as_of, min_group and kpi are read). Returns it as a NUL-terminated
 * string to free(), or NULL when out of memory or a text is not UTF-8. */
char *json_export_text(const struct report *r, const struct json_export *j);

/* Write the document to j->path. */
enum wr_error json_export_write(const struct report *r, const struct json_export *j,
				struct wr_errmsg *err);

#endif
