/* csv_reader.c - see csv_reader.h.
 *
 * How the input goes to libcsv. Between records, a run of whole lines that
 * holds no quote is parsed in one call: there every record is one line and
 * every field is the input's own bytes up to the next comma or line end
 * (no quoting, no trimming), so the fields are handed on in place and the
 * lines are counted by following the fields through the input. Any other
 * line (one with a quote, one inside a record that spans lines, one cut by
 * the end of the data fed) is parsed on its own, the fields copied out of
 * libcsv's buffer.
 *
 * Spaces are data: libcsv is given a space function that says no byte is
 * one (no_space), which it then calls for nearly every byte. Its own test,
 * without a function, also skips spaces and tabs before a field and drops
 * them after it (and so skips lines of nothing but spaces), and nothing
 * else. So a run is first parsed that way, and following its fields
 * through the input shows whether any field starts or ends with a space or
 * tab: if one does, the run is parsed again from that record's start with
 * no_space, as is the rest of the input (such data tends to have many).
 */
#include "ingest/csv_reader.h"

#include <assert.h>
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

/* A run parsed with libcsv's own space test is cut into pieces of about
 * this size: a record found to need no_space wastes at most one piece. */
#define TRUSTED_PIECE (16u << 10)

struct csv_reader {
	const struct csv_read_opts *opts;
	struct csv_parser parser;

	/* the record being assembled */
	struct csv_field *fields;
	size_t nfields, fields_cap;

	/* a line parsed on its own: the field bytes back to back, at offsets
	 * starts[] (buf may move: data is set when the record ends) */
	char *buf;
	size_t buf_len, buf_cap;
	size_t *starts;
	size_t starts_cap;

	/* a run parsed in one call: the fields are run[at..], in place */
	const char *run;           /* NULL while lines are parsed on their own */
	size_t run_len;
	size_t at;                 /* offset in run of the next field */
	size_t record_at;          /* offset in run of the current record */
	bool spaces_plain;         /* no field so far starts or ends with a space */
	bool redo;                 /* one does: parse from record_at again */

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

static bool line_end(char c)
{
	return c == '\n' || c == '\r';
}

/* What libcsv's own space test takes for a space. */
static bool space_or_tab(char c)
{
	return c == ' ' || c == '\t';
}

/* One line end read: a LF right after a CR ends no line of its own. */
static void count_line_end(struct csv_reader *r, char c)
{
	if (c == '\n' && r->prev_cr) {
		r->prev_cr = false;
		return;
	}
	r->line++;
	r->prev_cr = c == '\r';
}

/* In a run: the line ends at run[at..end) that libcsv skips (blank lines,
 * the LF of a CRLF). */
static void skip_line_ends(struct csv_reader *r, size_t end)
{
	while (r->at < end && line_end(r->run[r->at]))
		count_line_end(r, r->run[r->at++]);
}

static void on_field(void *data, size_t len, void *vr)
{
	struct csv_reader *r = vr;
	if (r->stop || r->redo)
		return;
	size_t keep = len > CSV_MAX_FIELD ? CSV_MAX_FIELD : len;
	GROW(r->fields, r->fields_cap, r->nfields + 1);
	struct csv_field *f = &r->fields[r->nfields];
	f->len = keep;
	f->too_long = keep < len;
	if (r->run) {
		if (r->nfields == 0) {
			skip_line_ends(r, r->run_len);
			r->prev_cr = false;
			r->record_line = r->line;
			r->record_at = r->at;
		}
		/* the field is run[at..at+len), then a comma or a line end */
		const char *p = r->run + r->at;
		if (r->spaces_plain && (space_or_tab(p[0]) || space_or_tab(p[len]))) {
			/* libcsv skipped or dropped spaces: the record is parsed again */
			r->redo = true;
			return;
		}
		f->data = p;
		assert(memcmp(f->data, data, keep) == 0 && (p[len] == ',' || line_end(p[len])));
		r->at += len;
		if (p[len] == ',')
			r->at++;
	} else {
		GROW(r->buf, r->buf_cap, r->buf_len + keep + 1);
		GROW(r->starts, r->starts_cap, r->nfields + 1);
		if (keep)
			memcpy(r->buf + r->buf_len, data, keep);
		r->starts[r->nfields] = r->buf_len;
		r->buf_len += keep;
	}
	r->nfields++;
}

static void on_record_end(int term, void *vr)
{
	struct csv_reader *r = vr;
	(void)term;
	if (!r->stop && !r->redo) {
		if (r->run) {
			assert(r->run[r->at] == term);
			count_line_end(r, r->run[r->at++]);
		} else {
			for (size_t i = 0; i < r->nfields; i++)
				r->fields[i].data = r->buf + r->starts[i];
		}
		enum wr_error e =
			r->opts->on_record(r->opts->ctx, r->fields, r->nfields, r->record_line);
		if (e)
			r->stop = e;
	}
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

/* The end of the last whole line in s[from..to), or from when none ends
 * there. */
static size_t last_line_end(const char *s, size_t from, size_t to)
{
	while (to > from && !line_end(s[to - 1]))
		to--;
	return to;
}

/* Parse s[from..to) of the run s, with libcsv's space test when spaces
 * are plain so far. */
static size_t parse_run(struct csv_reader *r, const char *s, size_t from, size_t to)
{
	r->run = s;
	r->run_len = to;
	r->at = from;
	csv_set_space_func(&r->parser, r->spaces_plain ? NULL : no_space);
	size_t done = csv_parse(&r->parser, s + from, to - from, on_field, on_record_end, r);
	csv_set_space_func(&r->parser, no_space);
	if (done == to - from && !r->stop && !r->redo) {
		skip_line_ends(r, to); /* blank lines after the last record */
		if (r->at < to && r->spaces_plain) {
			/* a line of spaces, skipped by libcsv's space test */
			r->record_at = r->at;
			r->redo = true;
		}
		assert(r->redo || r->at == to);
	}
	r->run = NULL;
	return done;
}

/* Parse s[0..len), whole lines without a quote, starting between records. */
static enum wr_error feed_run(struct csv_reader *r, const char *s, size_t len,
			      struct wr_errmsg *err)
{
	size_t from = 0;
	while (from < len) {
		size_t to = len;
		if (r->spaces_plain && len - from > TRUSTED_PIECE) {
			to = last_line_end(s, from, from + TRUSTED_PIECE);
			if (to == from)
				to = len;
		}
		if (parse_run(r, s, from, to) != to - from)
			return parse_failed(r, err);
		if (r->stop)
			return r->stop;
		if (r->redo) {
			/* the parser ended between records, as the run ends with a line */
			r->redo = false;
			r->spaces_plain = false;
			from = r->record_at;
			continue;
		}
		from = to;
	}
	return WR_OK;
}

/* Offset of the first line end (LF, or a CR alone or before LF) in
 * s[0..len), or len when there is none. */
static size_t next_line_end(const char *s, size_t len)
{
	const char *lf = memchr(s, '\n', len);
	size_t j = lf ? (size_t)(lf - s) : len;
	const char *cr = memchr(s, '\r', j);
	return cr ? (size_t)(cr - s) : j;
}

/* Parse the line s[0..n) and the line end at s[n] when ended (else the
 * line goes on in the next data fed) on its own; returns the bytes it took
 * in *used. */
static enum wr_error feed_line(struct csv_reader *r, const char *s, size_t n, bool ended,
			       size_t *used, struct wr_errmsg *err)
{
	if (r->at_line_start) {
		/* a lone LF right after a CR finishes the CRLF pair */
		if (r->prev_cr && ended && n == 0 && s[0] == '\n') {
			r->prev_cr = false;
			*used = 1;
			if (csv_parse(&r->parser, s, 1, on_field, on_record_end, r) != 1)
				return parse_failed(r, err);
			return WR_OK;
		}
		if (r->parser.pstate == LIBCSV_ROW_NOT_BEGUN)
			r->record_line = r->line;
		r->at_line_start = false;
	}
	size_t j = n;
	if (ended) {
		r->prev_cr = s[j] == '\r';
		j++;
	}
	*used = j;
	if (csv_parse(&r->parser, s, j, on_field, on_record_end, r) != j)
		return parse_failed(r, err);
	if (r->stop)
		return r->stop;
	if (ended) {
		r->line++;
		r->at_line_start = true;
	} else {
		r->prev_cr = false;
	}
	return WR_OK;
}

static enum wr_error feed(struct csv_reader *r, const char *s, size_t len, struct wr_errmsg *err)
{
	size_t i = 0;
	size_t quote = 0; /* offset of the next quote at or after i, len when none */
	bool quote_known = false;
	while (i < len) {
		enum wr_error e;
		size_t eol = i + next_line_end(s + i, len - i);
		if (r->at_line_start && r->parser.pstate == LIBCSV_ROW_NOT_BEGUN && eol < len) {
			if (!quote_known || quote < i) {
				const char *q = memchr(s + i, '"', len - i);
				quote = q ? (size_t)(q - s) : len;
				quote_known = true;
			}
			if (quote > eol) {
				/* whole lines up to the one with the quote, at least this one */
				size_t end = last_line_end(s, eol + 1, quote);
				e = feed_run(r, s + i, end - i, err);
				if (e)
					return e;
				i = end;
				continue;
			}
		}
		size_t used;
		e = feed_line(r, s + i, eol - i, eol < len, &used, err);
		if (e)
			return e;
		i += used;
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
	r->spaces_plain = true;
	csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_space_func(&r->parser, no_space);
	csv_set_blk_size(&r->parser, 1 << 16); /* libcsv grows by 128 bytes otherwise */
}

static void reader_release(struct csv_reader *r)
{
	csv_free(&r->parser);
	free(r->fields);
	free(r->buf);
	free(r->starts);
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

size_t csv_bom_length(const char *s, size_t len)
{
	return len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

enum wr_error csv_read_buffer(const char *data, size_t len, const struct csv_read_opts *opts,
			      struct wr_errmsg *err)
{
	struct csv_reader r;
	reader_init(&r, opts, 1);
	size_t skip = csv_bom_length(data, len);
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
	char *block = xmalloc(CSV_READ_BLOCK);
	uint64_t done = 0;
	enum wr_error e = WR_OK;
	bool first = true;
	size_t n;
	while (!e && (n = fread(block, 1, CSV_READ_BLOCK, f)) > 0) {
		size_t skip = first ? csv_bom_length(block, n) : 0;
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
