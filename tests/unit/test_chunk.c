/* test_chunk.c - where a CSV text can be cut into pieces that parse on
 * their own: hand-worked cases, then random valid CSV whose record ends are
 * known by construction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/chunk.h"

static size_t first_end(const char *s)
{
	return chunk_first_record_end(s, strlen(s));
}

static size_t last_end(const char *s)
{
	return chunk_last_record_end(s, strlen(s));
}

static void test_first_record_end(void **state)
{
	(void)state;
	assert_int_equal(first_end("h1,h2\nr1,r2\n"), 6);
	assert_int_equal(first_end("\r\n\nh1,h2\r\nx\n"), 10); /* blank lines first */
	assert_int_equal(first_end("\"a\nb\",c\nx\n"), 8);       /* LF inside quotes */
	assert_int_equal(first_end("\"a\"\"\nb\",c\nx\n"), 10);  /* an escaped quote */
	assert_int_equal(first_end("h1,h2"), 0);                 /* no line end */
	assert_int_equal(first_end("\"h1\nh2"), 0);              /* quote never closed */
	assert_int_equal(first_end(""), 0);
}

static void test_last_record_end(void **state)
{
	(void)state;
	assert_int_equal(last_end("a\nb\n"), 4);
	assert_int_equal(last_end("a\nb\nc"), 4);        /* a record cut short */
	assert_int_equal(last_end("a\nb\n\"c\nd"), 4);   /* an open quoted field */
	assert_int_equal(last_end("a\n\"b\nc\"\n"), 8);  /* a closed one */
	assert_int_equal(last_end("\"a\nb"), 0);
	assert_int_equal(last_end(""), 0);
}

/* Random valid CSV: fields plain or quoted (with commas, CR, LF and ""),
 * records ended by LF or CRLF. ends[] marks each record's end. */
static size_t random_csv(char *s, size_t cap, unsigned char *ends, unsigned *seed)
{
	size_t n = 0;
	memset(ends, 0, cap + 1);
	while (n + 64 < cap) {
		int fields = 1 + rand_r(seed) % 4;
		for (int f = 0; f < fields; f++) {
			if (f)
				s[n++] = ',';
			if (rand_r(seed) % 3 == 0) {
				s[n++] = '"';
				int len = rand_r(seed) % 8;
				for (int i = 0; i < len; i++) {
					static const char pick[] = "ab,\n\r\"";
					char c = pick[rand_r(seed) % 6];
					s[n++] = c;
					if (c == '"')
						s[n++] = '"';
				}
				s[n++] = '"';
			} else {
				int len = rand_r(seed) % 6;
				for (int i = 0; i < len; i++)
					s[n++] = (char)('a' + rand_r(seed) % 26);
			}
		}
		if (rand_r(seed) % 10 == 0)
			s[n++] = '\r';
		s[n++] = '\n';
		ends[n] = 1;
	}
	return n;
}

static void test_random(void **state)
{
	(void)state;
	enum { CAP = 4096 };
	static char s[CAP];
	static unsigned char ends[CAP + 1];
	unsigned seed = 12345;
	for (int round = 0; round < 2000; round++) {
		size_t len = random_csv(s, CAP, ends, &seed);
		/* the first record's end: the first end of a record that is
		 * more than a blank line (an empty field alone, no quotes) */
		size_t first = 0, start = 0;
		for (size_t i = 1; i <= len && !first; i++) {
			if (!ends[i])
				continue;
			for (size_t j = start; j < i; j++)
				if (s[j] != '\r' && s[j] != '\n')
					first = i;
			start = i;
		}
		assert_int_equal(chunk_first_record_end(s, len), first);
		/* the last record end before a random truncation */
		size_t cut_short = (size_t)rand_r(&seed) % (len + 1);
		size_t want = 0;
		for (size_t i = 1; i <= cut_short; i++)
			if (ends[i])
				want = i;
		assert_int_equal(chunk_last_record_end(s, cut_short), want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_record_end),
		cmocka_unit_test(test_last_record_end),
		cmocka_unit_test(test_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
