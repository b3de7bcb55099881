/* validate.h - header mapping and the one table-driven row validator.
 *
 * Every export is checked by the same code against its file_spec: the same
 * problem gives the same message in every file. Nothing here allocates
 * except through the dq log; string values point into the reader's record
 * and are valid only while the record is.
 */
#ifndef WR_VALIDATE_H
#define WR_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "ingest/csv_reader.h"
#include "ingest/schema.h"
#include "model/dataset.h"
#include "model/date.h"
#include "model/dq.h"

#define MAX_ID_BYTES 256

struct header_map {
	int field[SCHEMA_MAX_COLS];   /* field index of each spec column, -1 when absent */
	size_t nfields;        /* fields in the header */
};

/* Canonical form of a header name: ASCII lower case, spaces, '-' and '_' all
 * '_', surrounding spaces dropped. Writes at most outsize-1 bytes. */
void header_normalize(const char *s, size_t len, char *out, size_t outsize);

/* Map the header record onto spec. Unknown columns are logged once as notes;
 * a missing required column or a known column named twice fails with
 * WR_ERR_DATA and "roles.csv:1: missing required column 'level'
 * [E_MISSING_COLUMN]". */
enum wr_error header_map_build(const struct file_spec *spec, const struct csv_field *fields,
			       size_t n, struct header_map *map, struct dq_log *log,
			       struct wr_errmsg *err);

struct text_value {
	const char *data;
	size_t len;
};

struct row_values {
	bool set[SCHEMA_MAX_COLS];      /* false: column absent or value empty */
	struct text_value text[SCHEMA_MAX_COLS]; /* COL_ID, COL_TEXT */
	int num[SCHEMA_MAX_COLS];       /* level, count, track, outcome, route */
	wr_date date[SCHEMA_MAX_COLS];
};

/* Check one data record. Logs every problem found (severity rejected) and
 * returns false when the row must be rejected; fills out otherwise. A date
 * that fmt does not read is also counted for dq_date_hint. */
bool validate_row(const struct file_spec *spec, const struct header_map *map,
		  const struct csv_field *fields, size_t n, unsigned long line,
		  enum wr_date_format fmt, struct row_values *out, struct dq_log *log);

#endif
