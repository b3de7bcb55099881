/* sort_with: a stable sort whose comparison takes its context. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/sort.h"

struct item {
	int key, order; /* order: the position before sorting */
};

/* By key, in the direction the context says. */
static int by_key(const void *a, const void *b, void *ctx)
{
	const struct item *x = a, *y = b;
	int dir = *(const int *)ctx;
	return dir * ((x->key > y->key) - (x->key < y->key));
}

static void test_stable_with_context(void **state)
{
	(void)state;
	enum { N = 257 };
	struct item v[N];
	uint32_t r = 12345;
	for (int i = 0; i < N; i++) {
		r = r * 1664525u + 1013904223u;
		v[i] = (struct item){(int)(r >> 28), i}; /* keys 0..15: many ties */
	}
	int up = 1;
	sort_with(v, N, sizeof(*v), by_key, &up);
	for (int i = 1; i < N; i++) {
		assert_true(v[i - 1].key <= v[i].key);
		if (v[i - 1].key == v[i].key)
			assert_true(v[i - 1].order < v[i].order); /* stable */
	}
	int down = -1;
	sort_with(v, N, sizeof(*v), by_key, &down);
	for (int i = 1; i < N; i++)
		assert_true(v[i - 1].key >= v[i].key);
	/* nothing to sort: no access to base */
	sort_with(NULL, 0, sizeof(*v), by_key, &up);
	struct item one = {3, 0};
	sort_with(&one, 1, sizeof(one), by_key, &up);
	assert_int_equal(one.key, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stable_with_context),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
