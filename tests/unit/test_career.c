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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spells),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_promotion_warnings),
		cmocka_unit_test(test_one_promotion_per_spell),
		cmocka_unit_test(test_headcount),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
