/* The career model on small hand-made histories: sorting, overlaps, level
 * spells, promotion matching and its warnings, headcount on a day. Every
 * expected value is worked out by hand in the comment beside it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ingest/load.h"
#include "model/career.h"

#define ROLES_HEADER "employee_id,role,family,track,level,department,start_date,end_date\n"
#define PROMO_HEADER "employee_id,effective_date,from_level,to_level\n"

struct fixture {
	struct dataset ds;
	struct model m;
};

static void load(struct fixture *f, const char *roles, const char *promotions)
{
	dataset_init(&f->ds);
	model_init(&f->m);
	struct load_opts o = {.date_format = WR_DATE_ISO, .as_of = date_from_ymd(2030, 1, 1)};
	struct wr_errmsg err = {{0}};
	assert_int_equal(load_buffer(WR_FILE_ROLES, roles, strlen(roles), &o, &f->ds, &err), WR_OK);
	if (promotions)
		assert_int_equal(load_buffer(WR_FILE_PROMOTIONS, promotions, strlen(promotions), &o,
					     &f->ds, &err),
				 WR_OK);
	model_build(&f->m, &f->ds);
}

static void unload(struct fixture *f)
{
	model_release(&f->m);
	dataset_release(&f->ds);
}

static const struct level_spell *spells_of(struct fixture *f, const char *id, uint32_t *n)
{
	uint32_t emp = strtab_find(&f->ds.ids, id, strlen(id));
	assert_true(emp != STRTAB_NONE);
	*n = f->m.emps[emp].nspells;
	return &f->m.spells[f->m.emps[emp].first_spell];
}

static wr_date D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/* Count warnings whose problem contains text. */
static int warnings_with(const struct fixture *f, const char *text)
{
	int n = 0;
	for (size_t i = 0; i < f->ds.dq.count; i++)
		if (f->ds.dq.items[i].severity == DQ_WARNING && strstr(f->ds.dq.items[i].problem, text))
			n++;
	return n;
}

static void test_spells(void **state)
{
	(void)state;
	struct fixture f;
	load(&f,
	     ROLES_HEADER
	     /* E1: rows out of order in the file; promoted 1 -> 2 on 2021-07-01 */
	     "E1,Intermediate Dev,Backend Engineer,ic,2,Create,2021-07-01,\n"
	     "E1,Junior Dev,Backend Engineer,ic,1,Create,2020-01-01,2021-06-30\n"
	     /* E2: lateral move at level 3 does not restart the spell */
	     "E2,Senior Dev,Backend Engineer,ic,3,Create,2019-01-01,2020-12-31\n"
	     "E2,Senior SRE,Production Engineer,ic,3,Geo,2021-01-01,2022-06-30\n"
	     "E2,Staff SRE,Production Engineer,ic,4,Geo,2022-07-01,\n"
	     /* E3: left and was rehired at the same level: a gap makes two spells */
	     "E3,Dev,Backend Engineer,ic,2,Create,2018-01-01,2018-12-31\n"
	     "E3,Dev,Backend Engineer,ic,2,Create,2019-03-01,\n"
	     /* E4: into management at level 4 and back to IC at 4: three spells */
	     "E4,Staff,Backend Engineer,ic,4,Create,2018-01-01,2019-12-31\n"
	     "E4,EM,Engineering Management,management,4,Create,2020-01-01,2020-09-30\n"
	     "E4,Staff,Backend Engineer,ic,4,Create,2020-10-01,\n",
	     PROMO_HEADER "E1,2021-07-01,1,2\nE2,2022-07-01,3,4\n");
	uint32_t n;
	const struct level_spell *s = spells_of(&f, "E1", &n);
	assert_int_equal(n, 2);
	assert_int_equal(s[0].start, D(2020, 1, 1));
	assert_int_equal(s[0].end, D(2021, 6, 30));
	assert_int_equal(s[0].level, 1);
	assert_int_equal(s[0].promotion, 0); /* first promotion row */
	assert_int_equal(s[1].end, WR_DATE_OPEN);
	assert_int_equal(s[1].promotion, -1);

	s = spells_of(&f, "E2", &n);
	assert_int_equal(n, 2);
	assert_int_equal(s[0].start, D(2019, 1, 1));
	assert_int_equal(s[0].end, D(2022, 6, 30));
	assert_int_equal(s[0].last_row - s[0].first_row, 1);
	assert_int_equal(s[0].promotion, 1);

	s = spells_of(&f, "E3", &n);
	assert_int_equal(n, 2);
	assert_int_equal(s[0].end, D(2018, 12, 31));
	assert_int_equal(s[1].start, D(2019, 3, 1));

	s = spells_of(&f, "E4", &n);
	assert_int_equal(n, 3);
	assert_int_equal(s[1].track, TRACK_MANAGEMENT);
	assert_int_equal(s[2].track, TRACK_IC);

	assert_int_equal(f.m.promotions_matched, 2);
	assert_int_equal(f.ds.dq.count, 0); /* a clean history: no warnings */
	unload(&f);
}

static void test_overlaps(void **state)
{
	(void)state;
	struct fixture f;
	load(&f,
	     ROLES_HEADER
	     /* E1: open row overlapped by a later one: cut to 2020-05-31, warned */
	     "E1,Dev,Backend Engineer,ic,2,Create,2020-01-01,\n"
	     "E1,Dev,Backend Engineer,ic,3,Create,2020-06-01,\n"
	     /* E2: next starts on the previous end day: not an overlap, no warning */
	     "E2,Dev,Backend Engineer,ic,2,Create,2020-01-01,2020-06-30\n"
	     "E2,Dev,Frontend Engineer,ic,2,Create,2020-06-30,\n",
	     NULL);
	const struct role_row *r = model_role_on(&f.m, strtab_find(&f.ds.ids, "E1", 2), D(2020, 5, 31));
	assert_non_null(r);
	assert_int_equal(r->level, 2);
	assert_int_equal(r->end, D(2020, 5, 31));
	assert_int_equal(f.m.overlaps_cut, 1);
	assert_int_equal(warnings_with(&f, "overlaps the next role"), 1);
	assert_int_equal(f.ds.dq.items[0].line, 2);

	uint32_t n;
	spells_of(&f, "E2", &n);
	assert_int_equal(n, 1); /* same track and level, contiguous after the cut */
	r = model_role_on(&f.m, strtab_find(&f.ds.ids, "E2", 2), D(2020, 6, 30));
	assert_non_null(r);
	assert_int_equal(r->start, D(2020, 6, 30)); /* the later row holds the shared day */
	unload(&f);
}

static void test_promotion_warnings(void **state)
{
	(void)state;
	struct fixture f;
	load(&f,
	     ROLES_HEADER
	     "E1,Dev,Backend Engineer,ic,2,Create,2020-01-01,2021-12-31\n"
	     "E1,Senior,Backend Engineer,ic,3,Create,2022-01-01,\n"
	     "E2,Dev,Backend Engineer,ic,1,Create,2020-01-01,\n"
	     "E3,Dev,Backend Engineer,ic,2,Create,2020-01-01,2020-12-31\n"
	     "E3,Senior,Backend Engineer,ic,3,Create,2021-01-01,\n",
	     PROMO_HEADER
	     /* line 2: E2 was not employed the day before: unmatched */
	     "E2,2019-06-01,1,2\n"
	     /* line 3: E2 held level 1 the day before but roles show no level 2 row */
	     "E2,2022-03-01,1,2\n"
	     /* line 4: E9 is unknown */
	     "E9,2022-03-01,1,2\n"
	     /* line 5: E1 matched correctly */
	     "E1,2022-01-01,2,3\n");
	/* E3's rise from 2 to 3 on 2021-01-01 has no promotion row */
	assert_int_equal(warnings_with(&f, "held no role on 2019-05-31"), 1);
	assert_int_equal(warnings_with(&f, "E9 held no role"), 1);
	assert_int_equal(warnings_with(&f, "roles.csv shows no role of E2 at level 2 starting on 2022-03-01"), 1);
	assert_int_equal(warnings_with(&f, "level rises from 2 to 3 on 2021-01-01"), 1);
	assert_int_equal(f.ds.dq.files[WR_FILE_PROMOTIONS].warnings, 3);
	assert_int_equal(f.ds.dq.files[WR_FILE_ROLES].warnings, 1);
	assert_int_equal(f.ds.promotions[0].spell, -1);
	assert_true(f.ds.promotions[1].spell >= 0); /* matched to E2's level-1 spell */
	assert_true(f.ds.promotions[3].spell >= 0);
	assert_int_equal(f.m.promotions_matched, 2);
	unload(&f);
}

static void test_one_promotion_per_spell(void **state)
{
	(void)state;
	struct fixture f;
	load(&f,
	     ROLES_HEADER
	     "E1,Dev,Backend Engineer,ic,2,Create,2020-01-01,2021-12-31\n"
	     "E1,Senior,Backend Engineer,ic,3,Create,2022-01-01,\n",
	     PROMO_HEADER
	     /* line 2 lies inside the level-2 spell too; line 3 ends it and wins */
	     "E1,2021-03-01,2,3\n"
	     "E1,2022-01-01,2,3\n");
	assert_int_equal(f.ds.promotions[0].spell, -1);
	assert_int_equal(f.ds.promotions[1].spell, 0);
	assert_int_equal(f.m.spells[0].promotion, 1);
	assert_int_equal(warnings_with(&f, "second promotion for the same level spell"), 1);
	unload(&f);

	/* neither ends the open spell: the earliest counts, whatever the file order */
	load(&f,
	     ROLES_HEADER "E1,Dev,Backend Engineer,ic,2,Create,2020-01-01,\n",
	     PROMO_HEADER "E1,2022-03-01,2,3\nE1,2022-02-01,2,3\n");
	assert_int_equal(f.ds.promotions[0].spell, -1);
	assert_int_equal(f.ds.promotions[1].spell, 0);
	unload(&f);
}

static void test_headcount(void **state)
{
	(void)state;
	struct fixture f;
	load(&f,
	     ROLES_HEADER
	     /* E1 IC until 2024-03-31 inclusive, then management */
	     "E1,Dev,Backend Engineer,ic,3,Create,2020-01-01,2024-03-31\n"
	     "E1,EM,Engineering Management,management,4,Create,2024-04-01,\n"
	     /* E2 left on 2024-03-31 (last day counts) */
	     "E2,Dev,Backend Engineer,ic,2,Create,2021-01-01,2024-03-31\n"
	     /* E3 starts 2024-04-01 */
	     "E3,Dev,Frontend Engineer,ic,1,Verify,2024-04-01,\n"
	     /* E4 two rows sharing no day: counted once */
	     "E4,Dev,Frontend Engineer,ic,2,Verify,2022-01-01,2024-01-31\n"
	     "E4,Dev,UX Designer,ic,2,Verify,2024-02-01,\n",
	     NULL);
	struct headcount h;
	model_headcount_on(&f.m, D(2024, 3, 31), &h);
	/* E1 (IC), E2 (IC), E4 (IC); E3 not yet */
	assert_int_equal(h.total, 3);
	assert_int_equal(h.by_track[TRACK_IC], 3);
	assert_int_equal(h.by_track[TRACK_MANAGEMENT], 0);
	model_headcount_on(&f.m, D(2024, 4, 1), &h);
	/* E1 (management), E3 (IC), E4 (IC); E2 gone */
	assert_int_equal(h.total, 3);
	assert_int_equal(h.by_track[TRACK_IC], 2);
	assert_int_equal(h.by_track[TRACK_MANAGEMENT], 1);
	model_headcount_on(&f.m, D(2019, 12, 31), &h);
	assert_int_equal(h.total, 0);
	unload(&f);
}

/* Headcounts by level key on several days, for the histories of
 * headcount_roles; far_rows adds two people far from those days, so that
 * the roles span more days than the daily table keeps and the counts come
 * from a sweep over the rows instead: the expected counts are the same. */
#define HEADCOUNT_ROLES                                                                    \
	ROLES_HEADER                                                                       \
	/* E1 IC 3 to 2024-03-31, then management 4 */                                    \
	"E1,Dev,Backend Engineer,ic,3,Create,2020-01-01,2024-03-31\n"                     \
	"E1,EM,Engineering Management,management,4,Create,2024-04-01,\n"                   \
	/* E2 IC 2, left after 2024-03-31 */                                               \
	"E2,Dev,Backend Engineer,ic,2,Create,2021-01-01,2024-03-31\n"                     \
	/* E3 IC 1 from 2024-04-01 */                                                      \
	"E3,Dev,Frontend Engineer,ic,1,Verify,2024-04-01,\n"                              \
	/* E4 IC 2 cut to end 2024-01-31 by the next row (IC 3 until 2024-12-31) */       \
	"E4,Dev,Frontend Engineer,ic,2,Verify,2022-01-01,2024-06-30\n"                    \
	"E4,Senior Dev,Frontend Engineer,ic,3,Verify,2024-02-01,2024-12-31\n"             \
	/* E5 management 5 in 2023 only */                                                 \
	"E5,EM,Engineering Management,management,5,Create,2023-01-01,2023-12-31\n"        \
	/* E6 IC 2 in two departments back to back, then after a gap again */            \
	"E6,Dev,Backend Engineer,ic,2,Create,2022-01-01,2022-12-31\n"                     \
	"E6,Dev,Backend Engineer,ic,2,Verify,2023-01-01,2023-12-31\n"                     \
	"E6,Dev,Backend Engineer,ic,2,Geo,2024-03-01,\n"

static void check_headcount_keyed(const char *roles, bool daily)
{
	struct fixture f;
	load(&f, roles, NULL);
	assert_int_equal(f.m.daily != NULL, daily);
	const wr_date days[] = {D(2019, 12, 31), D(2023, 6, 30), D(2024, 1, 31), D(2024, 2, 1),
				D(2024, 3, 31), D(2024, 4, 1),	 D(2025, 6, 30), D(2040, 1, 1)};
	enum { N = sizeof(days) / sizeof(days[0]) };
	size_t id[LEVEL_KEYS], track[LEVEL_KEYS], ic_only[LEVEL_KEYS];
	for (size_t k = 0; k < LEVEL_KEYS; k++) {
		id[k] = k;
		track[k] = key_track(k);
		ic_only[k] = key_track(k) == TRACK_IC ? 0 : 1; /* group 1 of 1: left out */
	}
	uint64_t by_key[N * LEVEL_KEYS], by_track[N * 2], ics[N];
	model_headcount_keyed(&f.m, days, N, LEVEL_KEYS, id, by_key);
	model_headcount_keyed(&f.m, days, N, 2, track, by_track);
	model_headcount_keyed(&f.m, days, N, 1, ic_only, ics);
	/* expected, worked out from the rows: {day, key, count} where nonzero */
	const unsigned IC1 = level_key(TRACK_IC, 1), IC2 = level_key(TRACK_IC, 2),
		       IC3 = level_key(TRACK_IC, 3), M4 = level_key(TRACK_MANAGEMENT, 4),
		       M5 = level_key(TRACK_MANAGEMENT, 5);
	const unsigned want[][3] = {
		/* 2023-06-30: E1 IC 3, E2, E4 and E6 IC 2, E5 management 5 */
		{1, IC2, 3}, {1, IC3, 1}, {1, M5, 1},
		/* 2024-01-31: E4's cut row's last day; E5 gone, E6 between roles */
		{2, IC2, 2}, {2, IC3, 1},
		/* 2024-02-01: E4 now IC 3; 2024-03-31: E6 back */
		{3, IC2, 1}, {3, IC3, 2}, {4, IC2, 2}, {4, IC3, 2},
		/* 2024-04-01: E1 management 4, E3 IC 1, E4 IC 3, E6; E2 gone */
		{5, IC1, 1}, {5, IC2, 1}, {5, IC3, 1}, {5, M4, 1},
		/* 2025-06-30 and 2040: E1, E3 and E6; E4 ended 2024-12-31 */
		{6, IC1, 1}, {6, IC2, 1}, {6, M4, 1}, {7, IC1, 1}, {7, IC2, 1}, {7, M4, 1},
	};
	uint64_t expect[N * LEVEL_KEYS] = {0};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		expect[want[i][0] * LEVEL_KEYS + want[i][1]] = want[i][2];
	for (size_t d = 0; d < N; d++) {
		uint64_t t[2] = {0, 0};
		for (size_t k = 0; k < LEVEL_KEYS; k++) {
			assert_int_equal(by_key[d * LEVEL_KEYS + k], expect[d * LEVEL_KEYS + k]);
			t[key_track(k)] += expect[d * LEVEL_KEYS + k];
		}
		assert_int_equal(by_track[d * 2 + TRACK_IC], t[TRACK_IC]);
		assert_int_equal(by_track[d * 2 + TRACK_MANAGEMENT], t[TRACK_MANAGEMENT]);
		assert_int_equal(ics[d], t[TRACK_IC]);
		struct headcount h;
		model_headcount_on(&f.m, days[d], &h);
		assert_int_equal(h.total, t[TRACK_IC] + t[TRACK_MANAGEMENT]);
		assert_int_equal(h.by_track[TRACK_IC], t[TRACK_IC]);
		assert_int_equal(h.by_track[TRACK_MANAGEMENT], t[TRACK_MANAGEMENT]);
	}
	unload(&f);
}

static void test_headcount_keyed(void **state)
{
	(void)state;
	check_headcount_keyed(HEADCOUNT_ROLES, true);
	/* 1900 to 2090: more than MODEL_DAILY_MAX_DAYS days */
	check_headcount_keyed(HEADCOUNT_ROLES
			      "E9,Dev,Backend Engineer,ic,1,Create,1900-01-02,1900-01-31\n"
			      "E10,Dev,Backend Engineer,ic,1,Create,2090-01-01,2090-01-31\n",
			      false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spells),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_promotion_warnings),
		cmocka_unit_test(test_one_promotion_per_spell),
		cmocka_unit_test(test_headcount),
		cmocka_unit_test(test_headcount_keyed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
