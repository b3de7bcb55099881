/* csv_reader.h - read one CSV file (RFC 4180) record by record with libcsv,
 * knowing the physical line where each record starts.
 *
 * libcsv does the parsing (strict mode, unclosed quotes at end of file are
 * errors, no trimming of spaces). This layer adds what libcsv lacks: a UTF-8
 * BOM is skipped, line numbers are counted (LF, CRLF and lone CR end a line,
 * also inside quoted fields), field lengths are capped, and broken quoting is
 * reported with the line it was found on.
 *
 * The fields passed to the callback are owned by the reader and valid only
 * during the call. Field data may contain NUL bytes: use the lengths.
 */
#ifndef WR_CSV_READER_H
#define WR_CSV_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* csv_read_file reads and parses this many bytes at a time, and reports
 * its progress after each block (the parallel read reports the same). */
#define CSV_READ_BLOCK (1u << 20)

/* Longest field kept; longer ones are cut to this and flagged too_long. */
#define CSV_MAX_FIELD 4096

struct csv_field {
	const char *data;
	size_t len;
	bool too_long;
};

/* Called once per record (the header is the first). Return WR_OK to go on;
 * anything else stops the read and is returned by csv_read_*. */
typedef enum wr_error (*csv_record_fn)(void *ctx, const struct csv_field *fields,
				       size_t nfields, unsigned long line);

/* Called now and then with the bytes consumed so far. May be NULL. */
typedef void (*csv_progress_fn)(void *ctx, uint64_t done, uint64_t total);

struct csv_read_opts {
	const char *name;        /* file name used in messages, e.g. "roles.csv" */
	csv_record_fn on_record;
	csv_progress_fn on_progress;
	void *ctx;
};

/* Read the file at path. On broken quoting: WR_ERR_DATA with
 * "roles.csv:14: ... [E_BROKEN_QUOTE]" in err, 14 being the line where the
 * record starts (the line of the fault follows when it is another), and the
 * code of the problem (model/dq_kind.h) at the end; on a read failure:
 * WR_ERR_IO. */
enum wr_error csv_read_file(const char *path, const struct csv_read_opts *opts,
			    struct wr_errmsg *err);

/* A reader fed by the caller, piece by piece: a file read in windows, or
 * one piece of a file cut at record ends (chunk.h), whose lines are counted
 * from first_line. The BOM is the caller's business. csv_reader_finish ends
 * the last record (and fails on a quote left open); csv_reader_line is the
 * line being read next, so first_line + the piece's line count after a
 * piece that ends with a line end. */
struct csv_reader;
struct csv_reader *csv_reader_new(const struct csv_read_opts *opts, unsigned long first_line);
enum wr_error csv_reader_feed(struct csv_reader *r, const char *data, size_t len,
			     struct wr_errmsg *err);
enum wr_error csv_reader_finish(struct csv_reader *r, struct wr_errmsg *err);
unsigned long csv_reader_line(const struct csv_reader *r);
void csv_reader_free(struct csv_reader *r);

/* 3 when s[0..len) starts with a UTF-8 byte-order mark, else 0. */
size_t csv_bom_length(const char *s, size_t len);

/* The same over a memory buffer (tests, fuzzing). */
enum wr_error csv_read_buffer(const char *data, size_t len, const struct csv_read_opts *opts,
			      struct wr_errmsg *err);

#endif
