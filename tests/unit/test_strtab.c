/* The string table and the 64-bit key map. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/keyset.h"
#include "core/strtab.h"
#include "core/utf8.h"

static void test_intern(void **state)
{
	(void)state;
	struct strtab t;
	strtab_init(&t);
	assert_int_equal(strtab_find(&t, "a", 1), STRTAB_NONE);
	assert_int_equal(strtab_intern(&t, "alpha", 5), 0);
	assert_int_equal(strtab_intern(&t, "beta", 4), 1);
	assert_int_equal(strtab_intern(&t, "alpha", 5), 0);
	assert_int_equal(strtab_intern(&t, "", 0), 2);
	assert_int_equal(strtab_intern(&t, "a\0b", 3), 3); /* NUL inside: by length */
	assert_int_equal(strtab_intern(&t, "a", 1), 4);
	assert_int_equal(strtab_len(&t, 3), 3);
	/* enough strings to rehash several times; ids stay dense and stable */
	char buf[32];
	for (int i = 0; i < 50000; i++) {
		int n = snprintf(buf, sizeof(buf), "id-%d", i);
		assert_int_equal(strtab_intern(&t, buf, (size_t)n), (uint32_t)(5 + i));
	}
	assert_string_equal(strtab_get(&t, 0), "alpha");
	assert_string_equal(strtab_get(&t, 5 + 49999), "id-49999");
	assert_int_equal(strtab_find(&t, "id-123", 6), 5 + 123);
	assert_int_equal(t.count, 50005);
	strtab_release(&t);
}

/* A table interned into another: the ids one strtab_intern per string
 * gives, worked out by hand for a few, and the same over many. */
static void test_intern_table(void **state)
{
	(void)state;
	struct strtab to, from;
	strtab_init(&to);
	strtab_init(&from);
	strtab_intern(&to, "x", 1); /* 0 */
	strtab_intern(&to, "y", 1); /* 1 */
	strtab_intern(&from, "y", 1);
	strtab_intern(&from, "z", 1);
	strtab_intern(&from, "x", 1);
	strtab_intern(&from, "w", 1);
	uint32_t ids[4];
	strtab_intern_table(&to, &from, ids);
	assert_int_equal(ids[0], 1); /* y: there */
	assert_int_equal(ids[1], 2); /* z: new, next id */
	assert_int_equal(ids[2], 0); /* x: there */
	assert_int_equal(ids[3], 3); /* w: new */
	/* many, over rehashes of both: the same ids as one at a time */
	struct strtab one;
	strtab_init(&one);
	char buf[32];
	for (int round = 0; round < 3; round++) {
		struct strtab piece;
		strtab_init(&piece);
		for (int i = 0; i < 20000; i++) {
			int n = snprintf(buf, sizeof(buf), "e%d", (i * 7 + round * 5003) % 30011);
			strtab_intern(&piece, buf, (size_t)n);
		}
		uint32_t *got = malloc(piece.count * sizeof(*got));
		strtab_intern_table(&to, &piece, got);
		for (uint32_t k = 0; k < piece.count; k++) {
			uint32_t want = strtab_intern(&one, strtab_get(&piece, k), strtab_len(&piece, k));
			assert_int_equal(got[k], want + 4); /* to holds x, y, z, w first */
		}
		free(got);
		strtab_release(&piece);
	}
	assert_int_equal(to.count, one.count + 4);
	strtab_release(&one);
	strtab_release(&to);
	strtab_release(&from);
}

/* A list (strtab_append_hashed) keeps every string, repeats too; interned
 * into a table, each string gets the id the table gives it at its first
 * appearance, in list order. Worked by hand: the table holds "a"; the list
 * b a b c a gives b = 1, a = 0, b = 1, c = 2, a = 0. */
static void test_append_list(void **state)
{
	(void)state;
	struct strtab table, list;
	strtab_init(&table);
	strtab_init(&list);
	assert_int_equal(strtab_intern(&table, "a", 1), 0);
	const char *words[] = {"b", "a", "b", "c", "a"};
	for (uint32_t i = 0; i < 5; i++)
		assert_int_equal(strtab_append_hashed(&list, words[i], 1, strtab_hash(words[i], 1)), i);
	assert_int_equal(list.count, 5);
	assert_string_equal(strtab_get(&list, 2), "b");
	uint32_t ids[5];
	strtab_intern_table(&table, &list, ids);
	const uint32_t want[] = {1, 0, 1, 2, 0};
	for (int i = 0; i < 5; i++)
		assert_int_equal(ids[i], want[i]);
	assert_int_equal(table.count, 3);
	assert_string_equal(strtab_get(&table, 1), "b");
	assert_string_equal(strtab_get(&table, 2), "c");
	assert_int_equal(strtab_find(&table, "c", 1), 2);
	strtab_release(&table);
	strtab_release(&list);
}

static void test_keyset(void **state)
{
	(void)state;
	struct keyset s;
	keyset_init(&s);
	uint32_t v = 0;
	for (uint32_t i = 0; i < 10000; i++)
		assert_true(keyset_add(&s, keyset_pair(i, (int32_t)i - 5000), i + 1, NULL));
	assert_false(keyset_add(&s, keyset_pair(42, 42 - 5000), 7, &v));
	assert_int_equal(v, 43); /* the first value stays */
	assert_true(keyset_get(&s, keyset_pair(9999, 4999), &v));
	assert_int_equal(v, 10000);
	assert_false(keyset_get(&s, keyset_pair(10000, 5000), NULL));
	/* negative dates are distinct keys */
	assert_true(keyset_add(&s, keyset_pair(20000, -1), 1, NULL));
	assert_true(keyset_add(&s, keyset_pair(20000, 1), 2, NULL));
	assert_false(keyset_add(&s, keyset_pair(20000, -1), 3, &v));
	assert_int_equal(v, 1);
	keyset_release(&s);
}

static void test_utf8(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t len, bad;
	} cases[] = {
		{"plain", 5, 5},
		{"caf\xC3\xA9", 5, 5},
		{"\xE2\x82\xAC", 3, 3},            /* euro sign */
		{"\xF0\x9F\x98\x80", 4, 4},        /* emoji */
		{"a\xC3", 2, 1},                   /* truncated */
		{"\xC0\xAF", 2, 0},                /* overlong */
		{"\xED\xA0\x80", 3, 0},            /* surrogate */
		{"\xF4\x90\x80\x80", 4, 0},        /* above U+10FFFF */
		{"ab\xFF", 3, 2},
		{"a\0b", 3, 1},                    /* NUL */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(utf8_check(cases[i].s, cases[i].len), cases[i].bad);
	assert_int_equal(utf8_count("caf\xC3\xA9", 5), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intern),
		cmocka_unit_test(test_intern_table),
		cmocka_unit_test(test_append_list),
		cmocka_unit_test(test_keyset),
		cmocka_unit_test(test_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
