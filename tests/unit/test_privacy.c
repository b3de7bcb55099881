/* The privacy rules of metrics/privacy.h, on cases worked by hand
 * (g = 5 unless said otherwise). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>

#include "metrics/privacy.h"

static const struct privacy g5 = {5};

static void test_thresholds(void **state)
{
	(void)state;
	assert_false(privacy_group(&g5, 0)); /* nothing to show is not "shown" */
	assert_false(privacy_group(&g5, 4));
	assert_true(privacy_group(&g5, 5));
	assert_false(privacy_quantiles(&g5, 9));
	assert_true(privacy_quantiles(&g5, 10));
	assert_false(privacy_km(&g5, 50, 4));
	assert_true(privacy_km(&g5, 50, 5));
}

static void test_rounding(void **state)
{
	(void)state;
	assert_true(privacy_round(19, 24.46) == 24.0); /* whole months below 20 people */
	assert_true(privacy_round(19, 24.5) == 25.0);
	assert_true(fabs(privacy_round(20, 24.46) - 24.5) < 1e-12); /* 0.1 from 20 */
	assert_true(isnan(privacy_round(30, NAN)));
}

static void test_release(void **state)
{
	(void)state;
	assert_true(privacy_release(&g5, 26, 26));   /* unchanged */
	assert_false(privacy_release(&g5, 29, 26));  /* three newcomers */
	assert_false(privacy_release(&g5, 25, 26));  /* one left the group */
	assert_true(privacy_release(&g5, 31, 26));   /* five newcomers */
	assert_true(privacy_release(&g5, 7, 0));     /* a new group of 7 */
}

/* One row hidden (2 people): the smallest row with people joins it; an
 * empty row is never the complement. 2 + 6 = 8 >= 5. */
static void test_complement_smallest_with_people(void **state)
{
	(void)state;
	struct privacy_row rows[] = {{2, true, 0}, {0, false, 0}, {9, false, 0}, {6, false, 0}};
	assert_true(privacy_complement(&g5, rows, 4));
	assert_true(rows[0].hidden);
	assert_false(rows[1].hidden);
	assert_false(rows[2].hidden);
	assert_true(rows[3].hidden);
}

/* Two rows hidden of 1 and 2 people: 3 < 5, so one more (the 6). */
static void test_complement_until_enough_people(void **state)
{
	(void)state;
	struct privacy_row rows[] = {{1, true, 0}, {2, true, 0}, {6, false, 0}, {40, false, 0}};
	assert_true(privacy_complement(&g5, rows, 4));
	assert_true(rows[2].hidden);
	assert_false(rows[3].hidden);
}

/* Nothing hidden: nothing changes, even with small rows the other rules
 * allowed (e.g. a count). One row with people only: the pooled figure
 * equals it, so it must go. */
static void test_complement_edges(void **state)
{
	(void)state;
	struct privacy_row none[] = {{1, false, 0}, {9, false, 0}};
	assert_true(privacy_complement(&g5, none, 2));
	assert_false(none[0].hidden || none[1].hidden);
	struct privacy_row alone[] = {{3, true, 0}, {0, false, 0}};
	assert_false(privacy_complement(&g5, alone, 2));
	struct privacy_row few[] = {{1, true, 0}, {1, false, 0}, {1, false, 0}};
	assert_false(privacy_complement(&g5, few, 3)); /* 3 people in all */
}

/* Across releases: two hidden rows of 10 and 12 people that gained 1 and 2
 * since the previous quarter: pooled minus visible, differenced across the
 * two releases, would give those 3 newcomers' total. A row that changed
 * (here by 5: 30 people) joins them, not the unchanged smaller one (20). */
static void test_complement_release_change(void **state)
{
	(void)state;
	struct privacy_row rows[] = {{10, true, 1}, {12, true, 2}, {20, false, 0},
				     {30, false, 5}};
	assert_true(privacy_complement(&g5, rows, 4));
	assert_false(rows[2].hidden);
	assert_true(rows[3].hidden);
	/* no visible row changed: only hiding the pooled figure helps */
	struct privacy_row stuck[] = {{10, true, 1}, {12, true, 2}, {20, false, 0}};
	assert_false(privacy_complement(&g5, stuck, 3));
}

/* Bins 3,0,4,9,1,2 with g = 5: [3,0,4] = 7, [9], then [1,2] = 3 is short
 * at the end and joins [9]: runs from bins 0 and 3, counts 7 and 12. */
static void test_merge_bins(void **state)
{
	(void)state;
	const uint64_t counts[] = {3, 0, 4, 9, 1, 2};
	size_t first[6];
	uint64_t run[6];
	size_t k = privacy_merge_bins(&g5, counts, 6, first, run);
	assert_int_equal(k, 2);
	assert_int_equal(first[0], 0);
	assert_int_equal(run[0], 7);
	assert_int_equal(first[1], 3);
	assert_int_equal(run[1], 12);
	/* a short tail joins back over empty bins: 9, 0, 0, 2 -> 11 */
	const uint64_t c1[] = {9, 0, 0, 2};
	assert_int_equal(privacy_merge_bins(&g5, c1, 4, first, run), 1);
	assert_int_equal(run[0], 11);
	/* zeros stay apart; 5 or more stays alone */
	const uint64_t c2[] = {0, 5, 0};
	assert_int_equal(privacy_merge_bins(&g5, c2, 3, first, run), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_complement_smallest_with_people),
		cmocka_unit_test(test_complement_until_enough_people),
		cmocka_unit_test(test_complement_edges),
		cmocka_unit_test(test_complement_release_change),
		cmocka_unit_test(test_merge_bins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
