/* test_alloc.c - an allocation failure returns WR_ERR_NOMEM from the
 * innermost alloc_catch, which nests, and the name tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "core/names.h"

static int reached;

/* An allocation that cannot succeed: the size overflows, so no malloc is
 * even tried (the sanitizers' allocators would stop the test first). */
static enum wr_error allocate_too_much(void *arg)
{
	(void)arg;
	void *p = xreallocarray(NULL, SIZE_MAX / 2, 4);
	reached++; /* never: the failure jumps back to alloc_catch */
	free(p);
	return WR_OK;
}

static enum wr_error allocate_fine(void *arg)
{
	int *result = arg;
	char *p = xmalloc(64);
	strcpy(p, "fine");
	*result = (int)strlen(p);
	free(p);
	return WR_ERR_DATA; /* fn's own result comes back unchanged */
}

static void test_failure_returns_nomem(void **state)
{
	(void)state;
	struct wr_errmsg err = {{0}};
	reached = 0;
	assert_int_equal(alloc_catch(allocate_too_much, NULL, &err), WR_ERR_NOMEM);
	assert_int_equal(reached, 0);
	assert_non_null(strstr(err.text, "out of memory"));
}

static void test_success_passes_result(void **state)
{
	(void)state;
	struct wr_errmsg err = {{0}};
	int len = 0;
	assert_int_equal(alloc_catch(allocate_fine, &len, &err), WR_ERR_DATA);
	assert_int_equal(len, 4);
}

/* An inner catch takes the failure; the outer one then still works. */
static enum wr_error nested(void *arg)
{
	struct wr_errmsg *inner = arg;
	enum wr_error e = alloc_catch(allocate_too_much, NULL, inner);
	assert_int_equal(e, WR_ERR_NOMEM);
	return alloc_catch(allocate_too_much, NULL, inner) == WR_ERR_NOMEM ? WR_OK : WR_ERR_IO;
}

static void test_nested(void **state)
{
	(void)state;
	struct wr_errmsg outer = {{0}}, inner = {{0}};
	assert_int_equal(alloc_catch(nested, &inner, &outer), WR_OK);
	assert_int_equal(alloc_catch(allocate_too_much, NULL, &outer), WR_ERR_NOMEM);
}

enum colour { RED, GREEN, BLUE };
static const struct name_value colours[] = {
	{"red", RED}, {"green", GREEN}, {"blue", BLUE}, {"grey-green", GREEN}, {NULL, 0},
};

static void test_names(void **state)
{
	(void)state;
	int v = -1;
	assert_true(names_lookup(colours, "blue", &v));
	assert_int_equal(v, BLUE);
	assert_true(names_lookup(colours, "grey-green", &v)); /* an alias */
	assert_int_equal(v, GREEN);
	assert_false(names_lookup(colours, "Blue", &v));
	assert_string_equal(names_name(colours, GREEN, "?"), "green"); /* canonical */
	assert_string_equal(names_name(colours, 7, "?"), "?");
	char buf[64];
	names_choices(colours, buf, sizeof(buf));
	assert_string_equal(buf, "red, green or blue");
	names_choices(colours, buf, 8); /* cut, still a string */
	assert_int_equal(strlen(buf), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failure_returns_nomem),
		cmocka_unit_test(test_success_passes_result),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
