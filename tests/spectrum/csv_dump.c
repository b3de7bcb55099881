/* csv_dump.c - print what the CSV layer reads from one file, for
 * check_spectrum.py.
 *
 *   csv_dump FILE
 *
 * Reads FILE with csv_read_file and prints every record, the header included,
 * as one JSON array of strings per line on stdout. Strings are written from
 * the field lengths (a NUL byte inside a field is kept): '"' and '\' are
 * backslash-escaped, control bytes (0x00-0x1F, 0x7F) are written as \u00XX,
 * every other byte is copied as it is. A file in UTF-8 thus gives valid JSON;
 * a byte that is not UTF-8 is passed through unchanged, so a reader that
 * wants the exact bytes decodes the output with surrogateescape (Python).
 * A field cut at CSV_MAX_FIELD bytes is noted on stderr.
 *
 * Exit status: 0 when the whole file was read; 65 with the reader's message
 * on stderr when csv_read_file fails (broken quoting, missing file, ...);
 * 64 on a bad command line; 74 when stdout cannot be written.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/error.h"
#include "ingest/csv_reader.h"

struct dump {
	unsigned long records;
};

static void put_json_string(const char *s, size_t len)
{
	putchar('"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			putchar('\\');
			putchar(c);
		} else if (c < 0x20 || c == 0x7F) {
			printf("\\u%04X", (unsigned)c);
		} else {
			putchar(c);
		}
	}
	putchar('"');
}

static enum wr_error on_record(void *ctx, const struct csv_field *fields, size_t nfields,
			       unsigned long line)
{
	struct dump *d = ctx;
	d->records++;
	putchar('[');
	for (size_t i = 0; i < nfields; i++) {
		if (i)
			putchar(',');
		put_json_string(fields[i].data, fields[i].len);
		if (fields[i].too_long)
			fprintf(stderr, "csv_dump: record %lu (line %lu), field %zu cut at %d bytes\n",
				d->records, line, i + 1, CSV_MAX_FIELD);
	}
	putchar(']');
	putchar('\n');
	return WR_OK;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: csv_dump FILE\n");
		return 64;
	}
	struct dump d = {0};
	struct csv_read_opts opts = {
		.name = argv[1],
		.on_record = on_record,
		.on_progress = NULL,
		.ctx = &d,
	};
	struct wr_errmsg err = {{0}};
	enum wr_error e = csv_read_file(argv[1], &opts, &err);
	/* what was printed before an error stays on stdout: flush it first */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "csv_dump: cannot write to stdout\n");
		return 74;
	}
	if (e != WR_OK) {
		fprintf(stderr, "%s\n", err.text[0] ? err.text : wr_strerror(e));
		return 65;
	}
	return 0;
}
