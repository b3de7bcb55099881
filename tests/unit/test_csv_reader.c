/* The CSV layer: libcsv plus line numbers, BOM, line ends, quoting errors.
 * Each case's expected records are written out by hand from RFC 4180. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ingest/csv_reader.h"

/* Records collected as "line:field|field|..." with NUL shown as \0. */
struct collect {
	char out[4096];
	size_t len;
	bool too_long_seen;
	size_t longest;
};

static enum wr_error on_record(void *ctx, const struct csv_field *f, size_t n, unsigned long line)
{
	struct collect *c = ctx;
	c->len += (size_t)snprintf(c->out + c->len, sizeof(c->out) - c->len, "%lu:", line);
	for (size_t i = 0; i < n; i++) {
		if (f[i].too_long)
			c->too_long_seen = true;
		if (f[i].len > c->longest)
			c->longest = f[i].len;
		for (size_t k = 0; k < f[i].len && f[i].len < 100; k++) {
			if (f[i].data[k] == '\0')
				c->len += (size_t)snprintf(c->out + c->len, sizeof(c->out) - c->len, "\\0");
			else
				c->out[c->len++] = f[i].data[k];
		}
		c->out[c->len++] = i + 1 < n ? '|' : ';';
	}
	c->out[c->len] = '\0';
	return WR_OK;
}

static enum wr_error parse(const char *data, size_t len, struct collect *c, struct wr_errmsg *err)
{
	memset(c, 0, sizeof(*c));
	struct csv_read_opts o = {.name = "t.csv", .on_record = on_record, .ctx = c};
	return csv_read_buffer(data, len, &o, err);
}

struct good_case {
	const char *name;
	const char *input;
	size_t len; /* 0: strlen */
	const char *expected;
};

static const struct good_case good[] = {
	{"simple LF", "a,b\nc,d\n", 0, "1:a|b;2:c|d;"},
	{"no final newline", "a,b\nc,d", 0, "1:a|b;2:c|d;"},
	{"CRLF", "a,b\r\nc,d\r\n", 0, "1:a|b;2:c|d;"},
	{"CR only", "a\rb\rc", 0, "1:a;2:b;3:c;"},
	{"BOM", "\xEF\xBB\xBFh1,h2\nx,y\n", 0, "1:h1|h2;2:x|y;"},
	{"blank line skipped, still counted", "a\n\nb\n", 0, "1:a;3:b;"},
	{"quoted comma and quote", "h\n\"x,y\",\"say \"\"hi\"\"\"\n", 0, "1:h;2:x,y|say \"hi\";"},
	{"quoted newline shifts lines", "h\n\"l1\nl2\",z\nnext\n", 0, "1:h;2:l1\nl2|z;4:next;"},
	{"quoted CRLF is one line break", "h\r\n\"a\r\nb\",c\r\nz\r\n", 0, "1:h;2:a\r\nb|c;4:z;"},
	{"spaces are data", " 3 ,x\n", 0, "1: 3 |x;"},
	{"space before a field", "a,b\nc, d\n", 0, "1:a|b;2:c| d;"},
	{"space after the last field", "a,b \nc\n", 0, "1:a|b ;2:c;"},
	{"tab after the first field", "a\t,b\n", 0, "1:a\t|b;"},
	{"a field of spaces", "a, ,b\n", 0, "1:a| |b;"},
	{"a line of spaces is a record", "a\n \t \nb\n", 0, "1:a;2: \t ;3:b;"},
	{"a line of spaces at the end", "a\r\n  \r\n", 0, "1:a;2:  ;"},
	{"plain records after a spaced one", "a \nb\n\nc\n", 0, "1:a ;2:b;4:c;"},
	{"empty fields", "a,,\"\"\n", 0, "1:a||;"},
	{"ragged rows passed through", "a,b,c\nd\n", 0, "1:a|b|c;2:d;"},
	{"NUL byte inside a field", "a\0b,c\n", 6, "1:a\\0b|c;"},
};

static void test_good_inputs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct collect c;
		struct wr_errmsg err = {{0}};
		size_t len = good[i].len ? good[i].len : strlen(good[i].input);
		enum wr_error e = parse(good[i].input, len, &c, &err);
		if (e != WR_OK)
			fail_msg("%s: error %s", good[i].name, err.text);
		if (strcmp(c.out, good[i].expected) != 0)
			fail_msg("%s: got '%s', expected '%s'", good[i].name, c.out, good[i].expected);
	}
}

struct bad_case {
	const char *name;
	const char *input;
	const char *message_part;
	const char *code;       /* the end of the message */
};

static const struct bad_case bad[] = {
	{"unterminated quote on the last line", "h\nx\n\"abc\n", "t.csv:3: unterminated quoted field",
	 " [E_UNCLOSED_QUOTE]"},
	{"unterminated quote without newline", "h\n\"abc", "t.csv:2: unterminated",
	 " [E_UNCLOSED_QUOTE]"},
	{"text after a closing quote", "h\nok\n\"ab\"c,d\n", "t.csv:3: broken quoting",
	 " [E_BROKEN_QUOTE]"},
	{"quote inside an unquoted field", "h\na\"b\n", "t.csv:2: broken quoting",
	 " [E_BROKEN_QUOTE]"},
	{"unterminated quote after a multi-line record", "h\n\"a\nb\",c\n\"open\nmore\n",
	 "t.csv:4: unterminated", " [E_UNCLOSED_QUOTE]"},
};

static void test_broken_quoting(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct collect c;
		struct wr_errmsg err = {{0}};
		enum wr_error e = parse(bad[i].input, strlen(bad[i].input), &c, &err);
		if (e != WR_ERR_DATA)
			fail_msg("%s: expected a data error, got %d (%s)", bad[i].name, e, c.out);
		if (!strstr(err.text, bad[i].message_part))
			fail_msg("%s: message '%s' lacks '%s'", bad[i].name, err.text,
				 bad[i].message_part);
		size_t len = strlen(err.text), n = strlen(bad[i].code);
		if (len < n || strcmp(err.text + len - n, bad[i].code) != 0)
			fail_msg("%s: message '%s' does not end with '%s'", bad[i].name, err.text,
				 bad[i].code);
	}
}

static void test_field_cap(void **state)
{
	(void)state;
	size_t n = CSV_MAX_FIELD + 1000;
	char *data = malloc(n + 8);
	memcpy(data, "h\n", 2);
	memset(data + 2, 'x', n);
	memcpy(data + 2 + n, ",y\n", 3);
	struct collect c;
	struct wr_errmsg err = {{0}};
	assert_int_equal(parse(data, n + 5, &c, &err), WR_OK);
	assert_true(c.too_long_seen);
	assert_int_equal(c.longest, CSV_MAX_FIELD);
	free(data);
}

static enum wr_error stop_at_second(void *ctx, const struct csv_field *f, size_t n,
				    unsigned long line)
{
	(void)f;
	(void)n;
	int *count = ctx;
	return ++*count == 2 && line == 2 ? WR_ERR_DATA : WR_OK;
}

static void test_callback_stops(void **state)
{
	(void)state;
	int count = 0;
	struct csv_read_opts o = {.name = "t.csv", .on_record = stop_at_second, .ctx = &count};
	struct wr_errmsg err = {{0}};
	const char *in = "a\nb\nc\nd\n";
	assert_int_equal(csv_read_buffer(in, strlen(in), &o, &err), WR_ERR_DATA);
	assert_int_equal(count, 2);
}

struct counter {
	unsigned long last_line;
	size_t records;
};

static enum wr_error count_record(void *ctx, const struct csv_field *f, size_t n,
				  unsigned long line)
{
	struct counter *c = ctx;
	(void)f;
	(void)n;
	c->last_line = line;
	c->records++;
	return WR_OK;
}

static void test_file_chunks(void **state)
{
	(void)state;
	/* larger than one 1 MiB read block: records and CRLF pairs straddle blocks */
	char path[] = "/tmp/wr-csv-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "wb");
	fputs("id,text\r\n", f);
	const size_t rows = 150000;
	for (size_t i = 0; i < rows; i++)
		fprintf(f, "%zu,\"quoted\r\nvalue %zu\"\r\n", i, i);
	fclose(f);
	struct counter c = {0, 0};
	struct csv_read_opts o = {.name = "t.csv", .on_record = count_record, .ctx = &c};
	struct wr_errmsg err = {{0}};
	assert_int_equal(csv_read_file(path, &o, &err), WR_OK);
	assert_int_equal(c.records, rows + 1);
	/* header on line 1; row i starts on line 2 + 2i (each spans two lines) */
	assert_int_equal(c.last_line, 2 + 2 * (rows - 1));
	unlink(path);
}

/* --- Records built here, parsed back -----------------------------------
 *
 * Values of every shape (spaces and tabs at either end, a line of spaces,
 * commas, quotes, line ends inside quotes), records ended by LF, CRLF or a
 * lone CR, blank lines between them. The line of each record is counted
 * from the text as written: LF, CRLF and lone CR each end a line. */

struct built {
	char *text;
	size_t len, cap;
	char *want;             /* "line:field|field;" per record */
	size_t wlen, wcap;
	unsigned long lcg;
};

static void add(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = realloc(*buf, *cap);
		assert_non_null(*buf);
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

static unsigned next_rand(struct built *b, unsigned n)
{
	b->lcg = b->lcg * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(b->lcg >> 33) % n;
}

/* Lines ended in text[0..len): the line the next byte is on is this + 1. */
static unsigned long lines_ended(const char *text, size_t len)
{
	unsigned long n = 0;
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\r' || (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')))
			n++;
	return n;
}

static const char *const shapes[] = {
	"plain", "E0000001", "two words", " lead", "trail ", "\tlead tab", "trail tab\t",
	" both ", " ", "\t", "", "a,b", "say \"hi\"", "line\nbreak", "crlf\r\ninside",
	"lone\rcr", "2024-01-15", "x",
};

/* A value that starts or ends with a space or tab. */
static bool edge_space(const char *v)
{
	size_t n = strlen(v);
	return n && (v[0] == ' ' || v[0] == '\t' || v[n - 1] == ' ' || v[n - 1] == '\t');
}

/* A value that must be quoted: a comma, quote or line end in it, or
 * nothing at all as the only field (an empty line is no record). */
static bool needs_quotes(const char *v, size_t nfields)
{
	return strpbrk(v, ",\"\r\n") != NULL || (nfields == 1 && v[0] == '\0');
}

/* One record of 1-4 fields; values with spaces at their edges only when
 * spaced, quotes only when quotes (then also around some plain values). */
static void build_record(struct built *b, bool spaced, bool quotes)
{
	size_t nfields = 1 + next_rand(b, 4);
	unsigned long line = lines_ended(b->text, b->len) + 1;
	char head[32];
	add(&b->want, &b->wlen, &b->wcap, head, (size_t)snprintf(head, sizeof(head), "%lu:", line));
	for (size_t i = 0; i < nfields; i++) {
		const char *v;
		do
			v = shapes[next_rand(b, sizeof(shapes) / sizeof(shapes[0]))];
		while ((!spaced && edge_space(v)) || (!quotes && needs_quotes(v, nfields)));
		bool must = needs_quotes(v, nfields);
		if (i)
			add(&b->text, &b->len, &b->cap, ",", 1);
		if (must || (quotes && next_rand(b, 8) == 0)) {
			add(&b->text, &b->len, &b->cap, "\"", 1);
			for (const char *c = v; *c; c++) {
				add(&b->text, &b->len, &b->cap, c, 1);
				if (*c == '"')
					add(&b->text, &b->len, &b->cap, "\"", 1); /* doubled */
			}
			add(&b->text, &b->len, &b->cap, "\"", 1);
		} else {
			add(&b->text, &b->len, &b->cap, v, strlen(v));
		}
		add(&b->want, &b->wlen, &b->wcap, v, strlen(v));
		add(&b->want, &b->wlen, &b->wcap, i + 1 < nfields ? "|" : ";", 1);
	}
	static const char *const ends[] = {"\n", "\n", "\n", "\r\n", "\r"};
	const char *end = ends[next_rand(b, 5)];
	add(&b->text, &b->len, &b->cap, end, strlen(end));
	if (next_rand(b, 10) == 0) {
		const char *blank = ends[next_rand(b, 5)];
		/* a lone CR then a LF would be one line end, not a blank line */
		if (!(end[0] == '\r' && end[1] == '\0' && blank[0] == '\n'))
			add(&b->text, &b->len, &b->cap, blank, strlen(blank));
	}
}

struct got {
	char *out;
	size_t len, cap;
};

static enum wr_error collect_all(void *ctx, const struct csv_field *f, size_t n,
				 unsigned long line)
{
	struct got *g = ctx;
	char head[32];
	add(&g->out, &g->len, &g->cap, head, (size_t)snprintf(head, sizeof(head), "%lu:", line));
	for (size_t i = 0; i < n; i++) {
		add(&g->out, &g->len, &g->cap, f[i].data, f[i].len);
		add(&g->out, &g->len, &g->cap, i + 1 < n ? "|" : ";", 1);
	}
	return WR_OK;
}

/* Feed text in pieces of `piece` bytes, each copied and then overwritten
 * (fields must not point into a piece after its feed); first line 1. */
static void parse_in_pieces(const char *text, size_t len, size_t piece, struct got *g,
			    unsigned long *lines)
{
	memset(g, 0, sizeof(*g));
	add(&g->out, &g->len, &g->cap, "", 0);
	struct csv_read_opts o = {.name = "t.csv", .on_record = collect_all, .ctx = g};
	struct wr_errmsg err = {{0}};
	struct csv_reader *r = csv_reader_new(&o, 1);
	char *copy = malloc(piece);
	for (size_t at = 0; at < len; at += piece) {
		size_t n = len - at < piece ? len - at : piece;
		memcpy(copy, text + at, n);
		if (csv_reader_feed(r, copy, n, &err) != WR_OK)
			fail_msg("feed: %s", err.text);
		memset(copy, '#', n);
	}
	if (csv_reader_finish(r, &err) != WR_OK)
		fail_msg("finish: %s", err.text);
	*lines = csv_reader_line(r) - 1;
	csv_reader_free(r);
	free(copy);
}

static void check_built(struct built *b, const char *what)
{
	static const size_t pieces[] = {1, 2, 3, 7, 64, 4096, 1 << 20};
	unsigned long lines = lines_ended(b->text, b->len);
	for (size_t k = 0; k < sizeof(pieces) / sizeof(pieces[0]); k++) {
		struct got g;
		unsigned long got_lines;
		parse_in_pieces(b->text, b->len, pieces[k], &g, &got_lines);
		if (strcmp(g.out, b->want) != 0) {
			size_t i = 0;
			while (g.out[i] == b->want[i])
				i++;
			fail_msg("%s, pieces of %zu: records differ at byte %zu: got '%.60s', "
				 "expected '%.60s'", what, pieces[k], i, g.out + i, b->want + i);
		}
		if (got_lines != lines)
			fail_msg("%s, pieces of %zu: %lu lines, expected %lu", what, pieces[k],
				 got_lines, lines);
		free(g.out);
	}
	/* and whole, as csv_read_buffer reads it */
	struct got g;
	memset(&g, 0, sizeof(g));
	add(&g.out, &g.len, &g.cap, "", 0);
	struct csv_read_opts o = {.name = "t.csv", .on_record = collect_all, .ctx = &g};
	struct wr_errmsg err = {{0}};
	assert_int_equal(csv_read_buffer(b->text, b->len, &o, &err), WR_OK);
	assert_string_equal(g.out, b->want);
	free(g.out);
}

static void built_release(struct built *b)
{
	free(b->text);
	free(b->want);
	memset(b, 0, sizeof(*b));
}

/* Plain records for over 16 KiB (runs of lines without a quote are parsed
 * whole, in place), then spaces at the edges of values, then quotes too;
 * and the three shapes mixed from the start. */
static void test_built_records(void **state)
{
	(void)state;
	struct built b = {.lcg = 42};
	add(&b.text, &b.len, &b.cap, "", 0);
	add(&b.want, &b.wlen, &b.wcap, "", 0);
	while (b.len < 40000)
		build_record(&b, false, false);
	for (int i = 0; i < 300; i++)
		build_record(&b, true, false);
	for (int i = 0; i < 300; i++)
		build_record(&b, true, true);
	check_built(&b, "plain, spaced, quoted");
	built_release(&b);

	b.lcg = 7;
	add(&b.text, &b.len, &b.cap, "", 0);
	add(&b.want, &b.wlen, &b.wcap, "", 0);
	for (int i = 0; i < 2000; i++)
		build_record(&b, true, true);
	check_built(&b, "mixed");
	built_release(&b);

	/* plain and quoted lines alternate; no value has spaces at its edges */
	b.lcg = 99;
	add(&b.text, &b.len, &b.cap, "", 0);
	add(&b.want, &b.wlen, &b.wcap, "", 0);
	for (int i = 0; i < 2000; i++)
		build_record(&b, false, i % 3 == 0);
	check_built(&b, "plain and quoted");
	built_release(&b);
}

/* A small input fed in two pieces cut at every offset, lines counted from
 * a first line other than 1 (as a piece of a file is). */
static void test_cut_anywhere(void **state)
{
	(void)state;
	struct built b = {.lcg = 3};
	add(&b.text, &b.len, &b.cap, "", 0);
	add(&b.want, &b.wlen, &b.wcap, "", 0);
	for (int i = 0; i < 12; i++)
		build_record(&b, i >= 6, i % 2 == 0);
	unsigned long lines = lines_ended(b.text, b.len);
	for (size_t cut = 0; cut <= b.len; cut++) {
		struct got g;
		memset(&g, 0, sizeof(g));
		add(&g.out, &g.len, &g.cap, "", 0);
		struct csv_read_opts o = {.name = "t.csv", .on_record = collect_all, .ctx = &g};
		struct wr_errmsg err = {{0}};
		struct csv_reader *r = csv_reader_new(&o, 1);
		assert_int_equal(csv_reader_feed(r, b.text, cut, &err), WR_OK);
		assert_int_equal(csv_reader_feed(r, b.text + cut, b.len - cut, &err), WR_OK);
		assert_int_equal(csv_reader_finish(r, &err), WR_OK);
		assert_int_equal(csv_reader_line(r), 1 + lines);
		csv_reader_free(r);
		if (strcmp(g.out, b.want) != 0)
			fail_msg("cut at %zu: got '%s', expected '%s'", cut, g.out, b.want);
		free(g.out);
	}
	built_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_inputs),
		cmocka_unit_test(test_broken_quoting),
		cmocka_unit_test(test_field_cap),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_file_chunks),
		cmocka_unit_test(test_built_records),
		cmocka_unit_test(test_cut_anywhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
