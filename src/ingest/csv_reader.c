/* csv_reader.c - see csv_reader.h. */
#include "ingest/csv_reader.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "model/dq_kind.h"

/* libcsv's parser state between rows (libcsv.c: ROW_NOT_BEGUN). */
#define LIBCSV_ROW_NOT_BEGUN 0

#define READ_BLOCK (1u << 20)

struct csv_reader {
	const struct csv_read_opts *opts;
	struct csv_parser parser;

	/* the record being assembled: field bytes back to back */
	char *buf;
	size_t buf_len, buf_cap;
	struct span { size_t start, len; bool too_long; } *spans;
	size_t nfields, spans_cap;
	struct csv_field *fields;
	size_t fields_out_cap;

	unsigned long line;        /* physical line being fed, 1-based */
	unsigned long record_line; /* line where the current record started */
	bool at_line_start;
	bool prev_cr;              /* last byte fed was a CR */
	enum wr_error stop;        /* set by a callback that asks to stop */
};

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void on_field(void *data, size_t len, void *vr)
{
	struct csv_reader *r = vr;
	if (r->stop)
		return;
	bool cut = len > CSV_MAX_FIELD;
	if (cut)
		len = CSV_MAX_FIELD;
	GROW(r->buf, r->buf_cap, r->buf_len + len + 1);
	/* r->buf may move: fields refer to it by offset until the record ends */
	if (len)
		memcpy(r->buf + r->buf_len, data, len);
	GROW(r->spans, r->spans_cap, r->nfields + 1);
	r->spans[r->nfields] = (struct span){r->buf_len, len, cut};
	r->nfields++;
	r->buf_len += len;
	r->buf[r->buf_len] = '\0';
}

static void on_record_end(int term, void *vr)
{
	struct csv_reader *r = vr;
	(void)term;
	if (r->stop) {
		r->nfields = 0;
		r->buf_len = 0;
		return;
	}
	GROW(r->fields, r->fields_out_cap, r->nfields);
	for (size_t i = 0; i < r->nfields; i++) {
		r->fields[i].data = r->buf + r->spans[i].start;
		r->fields[i].len = r->spans[i].len;
		r->fields[i].too_long = r->spans[i].too_long;
	}
	enum wr_error e = r->opts->on_record(r->opts->ctx, r->fields, r->nfields, r->record_line);
	if (e)
		r->stop = e;
	r->nfields = 0;
	r->buf_len = 0;
}

static enum wr_error parse_failed(struct csv_reader *r, struct wr_errmsg *err)
{
	int code = csv_error(&r->parser);
	if (code == CSV_EPARSE && r->line != r->record_line)
		return dq_fail(err, WR_ERR_DATA, DQ_BROKEN_QUOTE,
			       "%s:%lu: broken quoting on line %lu: a quote inside an unquoted "
			       "field or text after a closing quote",
			       r->opts->name, r->record_line, r->line);
	if (code == CSV_EPARSE)
		return dq_fail(err, WR_ERR_DATA, DQ_BROKEN_QUOTE,
			       "%s:%lu: broken quoting: a quote inside an unquoted field or text "
			       "after a closing quote",
			       r->opts->name, r->record_line);
	if (code == CSV_ENOMEM || code == CSV_ETOOBIG)
		return wr_fail(err, WR_ERR_NOMEM, "%s:%lu: out of memory while parsing",
			       r->opts->name, r->line);
	return dq_fail(err, WR_ERR_DATA, DQ_BAD_CSV, "%s:%lu: %s", r->opts->name, r->line,
		       csv_strerror(code));
}

/* Feed s[0..len) to libcsv one physical line at a time. */
static enum wr_error feed(struct csv_reader *r, const char *s, size_t len, struct wr_errmsg *err)
{
	size_t i = 0;
	while (i < len) {
		if (r->at_line_start) {
			/* a lone LF right after a CR finishes the CRLF pair */
			if (r->prev_cr && s[i] == '\n') {
				r->prev_cr = false;
				if (csv_parse(&r->parser, s + i, 1, on_field, on_record_end, r) != 1)
					return parse_failed(r, err);
				i++;
				continue;
			}
			if (r->parser.pstate == LIBCSV_ROW_NOT_BEGUN)
				r->record_line = r->line;
			r->at_line_start = false;
		}
		/* the next line end: LF, or a CR (alone or before LF) */
		const char *lf = memchr(s + i, '\n', len - i);
		size_t j = lf ? (size_t)(lf - s) : len;
		const char *cr = memchr(s + i, '\r', j - i);
		if (cr)
			j = (size_t)(cr - s);
		bool ended = j < len;
		if (ended) {
			r->prev_cr = s[j] == '\r';
			j++;
		}
		if (csv_parse(&r->parser, s + i, j - i, on_field, on_record_end, r) != j - i)
			return parse_failed(r, err);
		if (r->stop)
			return r->stop;
		if (ended) {
			r->line++;
			r->at_line_start = true;
		} else {
			r->prev_cr = false;
		}
		i = j;
	}
	return WR_OK;
}

static void reader_init(struct csv_reader *r, const struct csv_read_opts *opts,
			unsigned long first_line)
{
	memset(r, 0, sizeof(*r));
	r->opts = opts;
	r->line = first_line;
	r->record_line = first_line;
	r->at_line_start = true;
	csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_space_func(&r->parser, no_space);
	csv_set_blk_size(&r->parser, 1 << 16); /* libcsv grows by 128 bytes otherwise */
}

static void reader_release(struct csv_reader *r)
{
	csv_free(&r->parser);
	free(r->buf);
	free(r->spans);
	free(r->fields);
}

static enum wr_error finish(struct csv_reader *r, struct wr_errmsg *err)
{
	if (csv_fini(&r->parser, on_field, on_record_end, r) != 0) {
		if (r->stop)
			return r->stop;
		return dq_fail(err, WR_ERR_DATA, DQ_UNCLOSED_QUOTE,
			       "%s:%lu: unterminated quoted field: the quote opened in the record "
			       "starting on line %lu is never closed",
			       r->opts->name, r->record_line, r->record_line);
	}
	return r->stop;
}

struct csv_reader *csv_reader_new(const struct csv_read_opts *opts, unsigned long first_line)
{
	struct csv_reader *r = xmalloc(sizeof(*r));
	reader_init(r, opts, first_line);
	return r;
}

enum wr_error csv_reader_feed(struct csv_reader *cr, const char *data, size_t len,
			     struct wr_errmsg *err)
{
	return feed(cr, data, len, err);
}

enum wr_error csv_reader_finish(struct csv_reader *cr, struct wr_errmsg *err)
{
	return finish(cr, err);
}

unsigned long csv_reader_line(const struct csv_reader *cr)
{
	return cr->line;
}

void csv_reader_free(struct csv_reader *cr)
{
	if (!cr)
		return;
	reader_release(cr);
	free(cr);
}

static size_t bom_length(const char *s, size_t len)
{
	return len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

enum wr_error csv_read_buffer(const char *data, size_t len, const struct csv_read_opts *opts,
			      struct wr_errmsg *err)
{
	struct csv_reader r;
	reader_init(&r, opts, 1);
	size_t skip = bom_length(data, len);
	enum wr_error e = feed(&r, data + skip, len - skip, err);
	if (!e)
		e = finish(&r, err);
	reader_release(&r);
	return e;
}

enum wr_error csv_read_file(const char *path, const struct csv_read_opts *opts,
			    struct wr_errmsg *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return dq_fail(err, errno == ENOENT ? WR_ERR_NOINPUT : WR_ERR_IO, DQ_CANNOT_READ,
			       "%s: cannot open: %s", opts->name, strerror(errno));
	struct stat st;
	uint64_t total = fstat(fileno(f), &st) == 0 ? (uint64_t)st.st_size : 0;

	struct csv_reader r;
	reader_init(&r, opts, 1);
	char *block = xmalloc(READ_BLOCK);
	uint64_t done = 0;
	enum wr_error e = WR_OK;
	bool first = true;
	size_t n;
	while (!e && (n = fread(block, 1, READ_BLOCK, f)) > 0) {
		size_t skip = first ? bom_length(block, n) : 0;
		first = false;
		e = feed(&r, block + skip, n - skip, err);
		done += n;
		if (opts->on_progress)
			opts->on_progress(opts->ctx, done, total);
	}
	if (!e && ferror(f))
		e = dq_fail(err, WR_ERR_IO, DQ_CANNOT_READ, "%s: read error: %s", opts->name,
			    strerror(errno));
	if (!e)
		e = finish(&r, err);
	free(block);
	reader_release(&r);
	fclose(f);
	return e;
}
