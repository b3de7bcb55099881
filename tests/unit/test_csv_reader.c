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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_inputs),
		cmocka_unit_test(test_broken_quoting),
		cmocka_unit_test(test_field_cap),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_file_chunks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
