/* Time to promotion on a hand-made history. Window 2022-01-01 .. 2024-12-31.
 * Spells and their (entry, exit) in days, worked out by hand:
 *   E1 L1 2021-01-01..2022-06-30, promoted 2022-07-01: event, entry 365, exit 546
 *   E1 L2 2022-07-01..open:                 censored at as-of, (0, 914)
 *   E2 L2 2022-03-01..2023-02-28, left:     censored at leaving, (0, 364)
 *   E3 IC3 2022-01-01..2022-12-31, then management 3 (a sideways move):
 *                                           censored at the move, (0, 364)
 *   E3 M3 2023-01-01..open:                 (0, 730)
 *   E4 L2 2020-01-01.., lateral family move 2022-06-01 (same spell),
 *         promoted 2023-01-01:              event, entry 731, exit 1096
 *   E4 L3 2023-01-01..open:                 (0, 730)
 *   E5 L2 2023-01-01..2025-02-28, promoted 2025-03-01 after as-of:
 *                                           censored at as-of, (0, 730)
 *   E5 L3 from 2025-03-01:                  after the window, left out
 *   E6 L1 2019-01-01..2020-12-31:           ended before since, left out
 *   E6 L2 2021-01-01..open:                 (365, 1460)
 * 9 spells take part, 2 events. KM: at t=546 at risk are E1L1, E1L2, E3M3,
 * E4L3, E5L2, E6L2 (E4L2 only enters after 731): n=6, S=5/6; at t=1096 at
 * risk E4L2 and E6L2: n=2, S=5/12. Median 1096 days = 36.0 months. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ingest/load.h"
#include "metrics/privacy.h"
#include "metrics/retention.h"
#include "metrics/ttp.h"
#include "metrics/ttp_spells.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

static const char roles[] =
	"employee_id,role,family,track,level,department,start_date,end_date\n"
	"E1,Junior,Backend Engineer,ic,1,Create,2021-01-01,2022-06-30\n"
	"E1,Intermediate,Backend Engineer,ic,2,Create,2022-07-01,\n"
	"E2,Intermediate,Backend Engineer,ic,2,Verify,2022-03-01,2023-02-28\n"
	"E3,Senior,Backend Engineer,ic,3,Verify,2022-01-01,2022-12-31\n"
	"E3,Lead,Engineering Management,management,3,Verify,2023-01-01,\n"
	"E4,Intermediate,Backend Engineer,ic,2,Create,2020-01-01,2022-05-31\n"
	"E4,Intermediate,Production Engineer,ic,2,Create,2022-06-01,2022-12-31\n"
	"E4,Senior,Production Engineer,ic,3,Create,2023-01-01,\n"
	"E5,Intermediate,Backend Engineer,ic,2,Create,2023-01-01,2025-02-28\n"
	"E5,Senior,Backend Engineer,ic,3,Create,2025-03-01,\n"
	"E6,Junior,Backend Engineer,ic,1,Verify,2019-01-01,2020-12-31\n"
	"E6,Intermediate,Backend Engineer,ic,2,Verify,2021-01-01,\n";

static const char promotions[] =
	"employee_id,effective_date,from_level,to_level\n"
	"E1,2022-07-01,1,2\n"
	"E4,2023-01-01,2,3\n"
	"E5,2025-03-01,2,3\n"
	"E6,2021-01-01,1,2\n";

static void load(struct dataset *ds, struct model *m, const char *r, const char *pr)
{
	dataset_init(ds);
	model_init(m);
	struct load_opts o = {.date_format = WR_DATE_ISO, .as_of = date_from_ymd(2030, 1, 1)};
	struct wr_errmsg err = {{0}};
	assert_int_equal(load_buffer(WR_FILE_ROLES, r, strlen(r), &o, ds, &err), WR_OK);
	assert_int_equal(load_buffer(WR_FILE_PROMOTIONS, pr, strlen(pr), &o, ds, &err), WR_OK);
	model_build(m, ds);
}

static void test_spell_rules(void **state)
{
	(void)state;
	struct dataset ds;
	struct model m;
	load(&ds, &m, roles, promotions);

	struct ttp_params p = {.since = date_from_ymd(2022, 1, 1),
			       .as_of = date_from_ymd(2024, 12, 31),
			       .ci = KM_CI_LOGLOG, .min_group = 1};
	struct ttp_spells sp;
	ttp_spells_collect(&m, p.as_of, &sp);
	struct ttp_result r;
	ttp_compute(&m, &sp, &p, &r);
	assert_int_equal(r.all.spells, 9);
	assert_int_equal(r.all.events, 2);
	assert_int_equal(r.all.censored, 7);
	assert_int_equal(r.all.km_people, 6);
	NEAR(r.all.km_median, 1096 / 30.4375, 1e-9);
	/* promoted within 1 year: no event by 365.25 days; 2 years (730.5): 1/6;
	 * 3 years (1095.75 < 1096): still 1/6 */
	NEAR(r.all.within[0], 0, 1e-12);
	NEAR(r.all.within[1], 1.0 / 6, 1e-12);
	NEAR(r.all.within[2], 1.0 / 6, 1e-12);
	/* curve: month 36 = 1095.75 days, month 37 = 1126.2 days */
	NEAR(r.curve[36][0], 1.0 / 6, 1e-12);
	NEAR(r.curve[37][0], 7.0 / 12, 1e-12);
	/* observed: 546 and 1096 days */
	assert_int_equal(r.all.observed.n, 2);
	/* the mean of 2 people's values is rounded to whole months (26.97 ->
	 * 27) and the minimum is never shown (privacy.h rules 3 and 4) */
	NEAR(r.all.observed.mean, 27.0, 1e-12);
	assert_true(isnan(r.all.observed.min));
	/* min-group 1 here: every figure may be shown */
	assert_true(r.all.show & SHOW_MEAN);
	assert_true(r.all.show & SHOW_KM);

	/* by level, in career order: IC 1, IC 2, IC 3, management 3 */
	assert_int_equal(r.nlevels, 4);
	assert_int_equal(r.levels[0].level, 1);
	assert_int_equal(r.levels[0].st.spells, 1);  /* E1 L1; E6 L1 ended before since */
	assert_int_equal(r.levels[1].level, 2);
	assert_int_equal(r.levels[1].st.spells, 5);  /* E1, E2, E4, E5, E6 */
	assert_int_equal(r.levels[1].st.events, 1);  /* E4 */
	assert_int_equal(r.levels[2].st.spells, 2);  /* E3 IC3, E4 L3 (E5 L3 after as-of) */
	assert_int_equal(r.levels[3].track, TRACK_MANAGEMENT);

	/* departments by name; a spell's department is its last row's */
	assert_int_equal(r.ndepartments, 2);
	assert_string_equal(ds_str(&ds, r.departments[0].department), "Create");
	assert_int_equal(r.departments[0].st.spells, 5); /* E1 x2, E4 x2, E5 */
	assert_int_equal(r.departments[1].st.spells, 4); /* E2, E3 x2, E6 */

	/* years 2022..2024: one promotion in 2022 (E1), one in 2023 (E4) */
	assert_int_equal(r.nyears, 3);
	assert_int_equal(r.years[0].promotions, 1);
	assert_int_equal(r.years[1].promotions, 1);
	assert_int_equal(r.years[2].promotions, 0);

	/* How the 9 spells end: promoted E1 L1 (546), E4 L2 (1096); moved E3 IC3
	 * (364, a contiguous management row follows); left E2 (364); the other
	 * five still in level. Aalen-Johansen over all levels:
	 *   t=364: at risk E1L2 E2 E3IC3 E3M3 E4L3 E5L2 (n=6), one moved, one
	 *          left: F_moved = F_left = 1/6, S = 4/6;
	 *   t=546: at risk E1L1 E1L2 E3M3 E4L3 E5L2 E6L2 (n=6), promoted:
	 *          F_promoted = 4/6 * 1/6 = 1/9, S = 5/9;
	 *   t=1096: at risk E4L2 E6L2 (n=2): F_promoted += 5/9 * 1/2 = 5/18.
	 * By 12 months (365.25 days): 0, 1/6, 1/6; by 24 (730.5) and 36
	 * (1095.75 < 1096): 1/9, 1/6, 1/6; with S = 5/9 they add up to 1. */
	const struct ttp_outcome_row *all = &r.outcomes[r.noutcomes - 1];
	assert_true(all->all);
	assert_int_equal(all->spells, 9);
	assert_int_equal(all->counts[SPELL_PROMOTED], 2);
	assert_int_equal(all->counts[SPELL_MOVED], 1);
	assert_int_equal(all->counts[SPELL_LEFT], 1);
	assert_int_equal(all->counts[SPELL_STILL], 5);
	NEAR(all->cif[0][0], 0, 1e-12);
	NEAR(all->cif[0][1], 1.0 / 6, 1e-12);
	NEAR(all->cif[0][2], 1.0 / 6, 1e-12);
	NEAR(all->cif[1][0], 1.0 / 9, 1e-12);
	NEAR(all->cif[2][0], 1.0 / 9, 1e-12);
	NEAR(r.outcome_curve[36][SPELL_PROMOTED], 1.0 / 9, 1e-12);
	NEAR(r.outcome_curve[37][SPELL_PROMOTED], 1.0 / 9 + 5.0 / 18, 1e-12);
	NEAR(r.outcome_curve[24][SPELL_STILL], 5.0 / 9, 1e-12);
	/* by level: IC 1 (E1 L1 promoted), IC 2, IC 3, management 3 */
	assert_int_equal(r.noutcomes, 5);
	assert_int_equal(r.outcomes[2].level, 3);
	assert_int_equal(r.outcomes[2].counts[SPELL_MOVED], 1); /* E3 IC 3 */

	/* Calendar years 2022..2024 (whole years). Episodes (entry, exit):
	 * 2022: E1L1 (365,546) promoted, E1L2 (0,184), E2 (0,306), E3IC3
	 *       (0,364), E4L2 (731,1096) promoted on 1 Jan 2023 so counted
	 *       here, E6L2 (365,730): 6 episodes, 2 promotions, all IC;
	 * 2023: E1L2 (184,549), E2 (306,364), E3M3 (0,365), E4L3 (0,365),
	 *       E5L2 (0,365), E6L2 (730,1095): 6, no promotion (1 management);
	 * 2024: E1L2 (549,914), E3M3 (365,730), E4L3, E5L2 (365,730), E6L2
	 *       (1095,1460): 5 (1 management).
	 * KM 2022: t=546 at risk E1L1 and E6L2: S = 1/2, the median 546 days;
	 * promoted within 1 year 0, within 2 years 1/2. */
	assert_int_equal(r.nperiods, 3 * 3);
	const struct ttp_period_row *y22 = &r.periods[0];
	assert_int_equal(y22->period.year, 2022);
	assert_false(y22->partial);
	assert_int_equal(y22->episodes, 6);
	assert_int_equal(y22->events, 2);
	NEAR(y22->km_median, 546 / 30.4375, 1e-9);
	NEAR(y22->within[0], 0, 1e-12);
	NEAR(y22->within[1], 0.5, 1e-12);
	assert_int_equal(r.periods[1].episodes, 6);
	assert_int_equal(r.periods[1].events, 0);
	assert_true(isnan(r.periods[1].km_median));
	assert_int_equal(r.periods[2].episodes, 5);
	assert_int_equal(r.periods[3 + 0].episodes, 6);     /* IC 2022 */
	assert_int_equal(r.periods[6 + 0].episodes, 0);     /* management 2022 */
	assert_int_equal(r.periods[6 + 1].episodes, 1);     /* management 2023 */
	assert_int_equal(r.trend[TTP_GROUP_ALL].episodes, 17);
	assert_int_equal(r.trend[TTP_GROUP_ALL].events, 2);
	assert_int_equal(r.trend[TTP_GROUP_IC].episodes, 15);
	assert_int_equal(r.trend[TTP_GROUP_MANAGEMENT].episodes, 2);
	/* management: no promotion, nothing to fit */
	assert_int_equal(r.trend[TTP_GROUP_MANAGEMENT].verdict, TREND_NOT_COMPUTED);

	ttp_release(&r);
	ttp_spells_release(&sp);
	model_release(&m);
	dataset_release(&ds);
}

/* One collection of the spells serves every window that ends on its as-of
 * date, and reading it changes nothing: the history of test_spell_rules
 * with the window 2023-01-01 .. 2024-12-31 first, then 2022-01-01 ..
 * 2024-12-31 from the same collection. In the 2023 window:
 *   E1 L1, E3 IC3, E6 L1: ended before since, not promoted in it: out
 *   E1 L2: (184, 914); E2: (306, 364), left; E3 M3: (0, 730);
 *   E4 L2: promoted on 2023-01-01 = since: observed (1096 days), exit =
 *          entry = 1096, no part in KM;
 *   E4 L3, E5 L2: (0, 730); E6 L2: (730, 1460).
 * 6 spells take part, no event; by level IC 2 (E1, E2, E5, E6), IC 3,
 * management 3; by department Create (E1 L2, E4 L3, E5 L2) and Verify
 * (E2, E3 M3, E6 L2); years 2023 (E4's promotion) and 2024. */
static void test_one_collection_two_windows(void **state)
{
	(void)state;
	struct dataset ds;
	struct model m;
	load(&ds, &m, roles, promotions);
	struct ttp_params p = {.since = date_from_ymd(2023, 1, 1),
			       .as_of = date_from_ymd(2024, 12, 31),
			       .ci = KM_CI_LOGLOG, .min_group = 1};
	struct ttp_spells sp;
	ttp_spells_collect(&m, p.as_of, &sp);
	struct ttp_result r;
	ttp_compute(&m, &sp, &p, &r);
	assert_int_equal(r.all.spells, 6);
	assert_int_equal(r.all.events, 0);
	assert_int_equal(r.all.km_people, 6);
	assert_true(isnan(r.all.km_median));
	assert_int_equal(r.all.observed.n, 1);
	NEAR(r.all.observed.median, 1096 / 30.4375, 1e-9);
	assert_int_equal(r.nlevels, 3);
	assert_int_equal(r.levels[0].level, 2);
	assert_int_equal(r.levels[0].st.spells, 4);
	assert_int_equal(r.levels[0].st.observed.n, 1);
	assert_int_equal(r.levels[1].st.spells, 1);
	assert_int_equal(r.levels[2].track, TRACK_MANAGEMENT);
	assert_int_equal(r.ndepartments, 2);
	assert_int_equal(r.departments[0].st.spells, 3);
	assert_int_equal(r.departments[1].st.spells, 3);
	assert_int_equal(r.nyears, 2);
	assert_int_equal(r.years[0].promotions, 1);
	assert_int_equal(r.years[1].promotions, 0);
	const struct ttp_outcome_row *all = &r.outcomes[r.noutcomes - 1];
	assert_int_equal(all->spells, 6);
	assert_int_equal(all->counts[SPELL_LEFT], 1);
	assert_int_equal(all->counts[SPELL_STILL], 5);
	ttp_release(&r);

	/* the wider window from the same collection: as in test_spell_rules */
	p.since = date_from_ymd(2022, 1, 1);
	ttp_compute(&m, &sp, &p, &r);
	assert_int_equal(r.all.spells, 9);
	assert_int_equal(r.all.events, 2);
	assert_int_equal(r.all.km_people, 6);
	NEAR(r.all.km_median, 1096 / 30.4375, 1e-9);
	assert_int_equal(r.nlevels, 4);
	ttp_release(&r);
	ttp_spells_release(&sp);
	model_release(&m);
	dataset_release(&ds);
}

/* The previous quarter's release (privacy.h rule 8) counts a promotion in
 * the department the spell had on its own as-of date. Window 2022-01-01 ..
 * 2024-12-31, previous release as of 2024-09-30, g = 2. P1, P2 (Verify)
 * and P3, P4 (Create) are promoted on 2022-07-01. Q is promoted on
 * 2023-01-01 in the middle of a level-1 spell in Create (roles.csv never
 * shows level 2), which moves to Verify on 2024-11-01 at the same level.
 * Now: Create 2 promotions, Verify 3 (Q's spell is Verify's by the as-of
 * date). The previous release: Create 3, Verify 2. Each changed by 1,
 * between 1 and g - 1, so neither mean may be shown; counted in the
 * department of the as-of date instead, neither would have changed. */
static void test_previous_release_department(void **state)
{
	(void)state;
	static const char r[] =
		"employee_id,role,family,track,level,department,start_date,end_date\n"
		"P1,Junior,Backend Engineer,ic,1,Verify,2021-01-01,2022-06-30\n"
		"P1,Intermediate,Backend Engineer,ic,2,Verify,2022-07-01,\n"
		"P2,Junior,Backend Engineer,ic,1,Verify,2021-01-01,2022-06-30\n"
		"P2,Intermediate,Backend Engineer,ic,2,Verify,2022-07-01,\n"
		"P3,Junior,Backend Engineer,ic,1,Create,2021-01-01,2022-06-30\n"
		"P3,Intermediate,Backend Engineer,ic,2,Create,2022-07-01,\n"
		"P4,Junior,Backend Engineer,ic,1,Create,2021-01-01,2022-06-30\n"
		"P4,Intermediate,Backend Engineer,ic,2,Create,2022-07-01,\n"
		"Q,Junior,Backend Engineer,ic,1,Create,2021-01-01,2024-10-31\n"
		"Q,Junior,Backend Engineer,ic,1,Verify,2024-11-01,\n";
	static const char pr[] = "employee_id,effective_date,from_level,to_level\n"
				 "P1,2022-07-01,1,2\n"
				 "P2,2022-07-01,1,2\n"
				 "P3,2022-07-01,1,2\n"
				 "P4,2022-07-01,1,2\n"
				 "Q,2023-01-01,1,2\n";
	struct dataset ds;
	struct model m;
	load(&ds, &m, r, pr);
	wr_date as_of = date_from_ymd(2024, 12, 31);
	struct ttp_params p = {.since = date_from_ymd(2022, 1, 1), .as_of = as_of,
			       .ci = KM_CI_LOGLOG, .min_group = 2,
			       .prev_as_of = ttp_previous_quarter(as_of)};
	assert_int_equal(p.prev_as_of, date_from_ymd(2024, 9, 30));
	struct ttp_spells sp;
	ttp_spells_collect(&m, as_of, &sp);
	struct ttp_result t;
	ttp_compute(&m, &sp, &p, &t);
	assert_int_equal(t.ndepartments, 2);
	assert_string_equal(ds_str(&ds, t.departments[0].department), "Create");
	assert_int_equal(t.departments[0].st.observed.n, 2);
	assert_int_equal(t.departments[1].st.observed.n, 3);
	assert_false(t.departments[0].st.show & SHOW_MEAN);
	assert_false(t.departments[1].st.show & SHOW_MEAN);
	/* the levels did not change: IC 1 has all 5 promotions then and now */
	assert_int_equal(t.levels[0].st.observed.n, 5);
	assert_true(t.levels[0].st.show & SHOW_MEAN);
	ttp_release(&t);
	ttp_spells_release(&sp);
	model_release(&m);
	dataset_release(&ds);
}

/* Cases a review found: a promotion on the window's first day, a
 * department taken from a row dated after as-of. Window 2022-01-01 ..
 * 2024-03-31. */
static void test_window_edges(void **state)
{
	(void)state;
	static const char r[] =
		"employee_id,role,family,track,level,department,start_date,end_date\n"
		/* promoted on 2022-01-01 = since: observed (365 days), no KM part */
		"A,Junior,Backend Engineer,ic,1,Create,2021-01-01,2021-12-31\n"
		"A,Intermediate,Backend Engineer,ic,2,Create,2022-01-01,\n"
		/* moves to Geo after as-of at the same level: still Create */
		"B,Senior,Backend Engineer,ic,3,Create,2022-01-01,2024-06-30\n"
		"B,Senior,Backend Engineer,ic,3,Geo,2024-07-01,\n";
	static const char pr[] = "employee_id,effective_date,from_level,to_level\n"
				 "A,2022-01-01,1,2\n";
	struct dataset ds;
	struct model m;
	dataset_init(&ds);
	model_init(&m);
	struct load_opts o = {.date_format = WR_DATE_ISO, .as_of = date_from_ymd(2024, 3, 31)};
	struct wr_errmsg err = {{0}};
	assert_int_equal(load_buffer(WR_FILE_ROLES, r, strlen(r), &o, &ds, &err), WR_OK);
	assert_int_equal(load_buffer(WR_FILE_PROMOTIONS, pr, strlen(pr), &o, &ds, &err), WR_OK);
	model_build(&m, &ds);
	struct ttp_params p = {.since = date_from_ymd(2022, 1, 1),
			       .as_of = date_from_ymd(2024, 3, 31), .ci = KM_CI_LOGLOG,
			       .min_group = 1};
	struct ttp_spells sp;
	ttp_spells_collect(&m, p.as_of, &sp);
	struct ttp_result t;
	ttp_compute(&m, &sp, &p, &t);
	assert_int_equal(t.all.observed.n, 1);
	NEAR(t.all.observed.median, 365 / 30.4375, 1e-9);
	assert_int_equal(t.all.events, 0); /* exit = entry: no part in KM */
	assert_int_equal(t.all.spells, 2); /* A's level 2, B's level 3 */
	assert_int_equal(t.years[0].promotions, 1);
	assert_int_equal(t.ndepartments, 1);
	assert_string_equal(ds_str(&ds, t.departments[0].department), "Create");
	ttp_release(&t);
	ttp_spells_release(&sp);
	model_release(&m);
	dataset_release(&ds);
}

/* Many departments with long spells: DEPTS departments D00.., four people
 * each, one of whom has held level 1 since 1915 + d % 50, so that a
 * department's tally of days spans about 40,000 days (nearly 1 MB of
 * counts for time to promotion, half that for retention) and the
 * departments take three passes (ttp) and two (retention). Each
 * department's row must equal the All row of the same people on their
 * own, which one pass makes; the log-rank test must equal the one made
 * here over the window's spells. Window 2022-01-01 .. 2024-12-31. */
enum { DEPTS = 80 };

static size_t dept_rows(char *r, size_t rc, char *pr, size_t pc, int d)
{
	char a[11], b[11], c[11];
	size_t k = 0, q = 0;
	/* P0: level 1 since 1915 + d % 50, promoted on 2022-01-01 + 7d */
	wr_date promo = date_from_ymd(2022, 1, 1) + 7 * d;
	date_format_iso(date_from_ymd(1915 + d % 50, 1, 1), a);
	date_format_iso(promo - 1, b);
	date_format_iso(promo, c);
	k += (size_t)snprintf(r + k, rc - k,
			      "D%02dP0,Junior,Backend Engineer,ic,1,D%02d,%s,%s\n"
			      "D%02dP0,Intermediate,Backend Engineer,ic,2,D%02d,%s,\n",
			      d, d, a, b, d, d, c);
	q += (size_t)snprintf(pr + q, pc - q, "D%02dP0,%s,1,2\n", d, c);
	/* P1: level 1 from 2020-01-01 + 3d, leaves on 2023-06-30 + d */
	date_format_iso(date_from_ymd(2020, 1, 1) + 3 * d, a);
	date_format_iso(date_from_ymd(2023, 6, 30) + d, b);
	k += (size_t)snprintf(r + k, rc - k, "D%02dP1,Junior,Backend Engineer,ic,1,D%02d,%s,%s\n",
			      d, d, a, b);
	/* P2: management 2 from 2021-05-01, promoted on 2023-01-01 + 5d */
	promo = date_from_ymd(2023, 1, 1) + 5 * d;
	date_format_iso(promo - 1, b);
	date_format_iso(promo, c);
	k += (size_t)snprintf(r + k, rc - k,
			      "D%02dP2,Manager,Engineering Management,management,2,D%02d,2021-05-01,%s\n"
			      "D%02dP2,Senior Manager,Engineering Management,management,3,D%02d,%s,\n",
			      d, d, b, d, d, c);
	q += (size_t)snprintf(pr + q, pc - q, "D%02dP2,%s,2,3\n", d, c);
	/* P3: level 1 from 2022-06-01 + d, still there */
	date_format_iso(date_from_ymd(2022, 6, 1) + d, a);
	k += (size_t)snprintf(r + k, rc - k, "D%02dP3,Junior,Backend Engineer,ic,1,D%02d,%s,\n", d,
			      d, a);
	assert_true(k < rc && q < pc);
	return k | q << 32;
}

/* roles and promotions of departments [d0, d1) */
static void dept_data(int d0, int d1, char *r, size_t rc, char *pr, size_t pc)
{
	size_t k = (size_t)snprintf(r, rc, "employee_id,role,family,track,level,department,"
					   "start_date,end_date\n");
	size_t q = (size_t)snprintf(pr, pc, "employee_id,effective_date,from_level,to_level\n");
	for (int d = d0; d < d1; d++) {
		size_t kq = dept_rows(r + k, rc - k, pr + q, pc - q, d);
		k += kq & 0xffffffffu;
		q += kq >> 32;
	}
}

struct run {
	struct dataset ds;
	struct model m;
	struct ttp_spells sp;
	struct ttp_result t;
	struct retention_result ret;
};

static void run_depts(struct run *x, int d0, int d1, struct ttp_params *p,
		      struct retention_params *rp)
{
	static char r[DEPTS * 600], pr[DEPTS * 100];
	dept_data(d0, d1, r, sizeof(r), pr, sizeof(pr));
	load(&x->ds, &x->m, r, pr);
	ttp_spells_collect(&x->m, p->as_of, &x->sp);
	ttp_compute(&x->m, &x->sp, p, &x->t);
	retention_compute(&x->m, rp, &x->ret);
}

static void run_release(struct run *x)
{
	retention_release(&x->ret);
	ttp_release(&x->t);
	ttp_spells_release(&x->sp);
	model_release(&x->m);
	dataset_release(&x->ds);
}

#define SAME(a, b) assert_true((a) == (b) || (isnan(a) && isnan(b)))

static void test_departments_in_passes(void **state)
{
	(void)state;
	struct ttp_params p = {.since = date_from_ymd(2022, 1, 1),
			       .as_of = date_from_ymd(2024, 12, 31),
			       .ci = KM_CI_LOGLOG, .min_group = 3, .prev_as_of = WR_DATE_NONE};
	struct retention_params rp = {.since = p.since, .as_of = p.as_of, .ci = p.ci,
				      .min_group = 3};
	static struct run all, one;
	run_depts(&all, 0, DEPTS, &p, &rp);
	assert_int_equal(all.t.ndepartments, DEPTS);
	assert_int_equal(all.ret.nrows, TTP_GROUPS + DEPTS);
	for (int d = 0; d < DEPTS; d++) {
		run_depts(&one, d, d + 1, &p, &rp);
		const struct ttp_stats *a = &all.t.departments[d].st, *b = &one.t.all;
		char name[8];
		snprintf(name, sizeof(name), "D%02d", d);
		assert_string_equal(ds_str(&all.ds, all.t.departments[d].department), name);
		assert_true(all.t.departments[d].in_logrank);
		assert_int_equal(a->spells, b->spells);
		assert_int_equal(a->events, b->events);
		assert_int_equal(a->censored, b->censored);
		assert_int_equal(a->km_people, 4);
		assert_int_equal(a->km_people, b->km_people);
		assert_int_equal(a->observed_people, b->observed_people);
		assert_int_equal(a->observed.n, 2);
		SAME(a->km_median, b->km_median);
		SAME(a->km_lo, b->km_lo);
		SAME(a->km_hi, b->km_hi);
		for (int h = 0; h < TTP_HORIZONS; h++)
			SAME(a->within[h], b->within[h]);
		SAME(a->observed.mean, b->observed.mean);
		SAME(a->observed.sd, b->observed.sd);
		SAME(a->observed.median, b->observed.median);
		SAME(a->observed.p25, b->observed.p25);
		SAME(a->observed.p75, b->observed.p75);

		const struct retention_row *ra = &all.ret.rows[TTP_GROUPS + d], *rb = &one.ret.rows[0];
		assert_int_equal(ra->key, all.t.departments[d].department);
		assert_int_equal(ra->employments, rb->employments);
		assert_int_equal(ra->people, 4);
		assert_int_equal(ra->people, rb->people);
		assert_int_equal(ra->left, 1);
		assert_int_equal(ra->left, rb->left);
		assert_int_equal(ra->left_people, rb->left_people);
		for (int h = 0; h < TTP_HORIZONS; h++)
			SAME(ra->retained[h], rb->retained[h]);
		SAME(ra->median, rb->median);
		SAME(ra->lo, rb->lo);
		SAME(ra->hi, rb->hi);
		run_release(&one);
	}

	/* the log-rank test over the window's spells by department */
	struct spell_obs *obs;
	size_t n = ttp_window(&all.m, &all.sp, p.since, &obs);
	struct km_obs *km = test_malloc(n * sizeof(*km));
	size_t *group = test_malloc(n * sizeof(*group));
	for (size_t i = 0; i < n; i++) {
		km[i] = obs[i].km;
		group[i] = (size_t)atoi(ds_str(&all.ds, obs[i].department) + 1);
	}
	struct logrank_result lr;
	logrank_test(km, group, n, DEPTS, &lr, NULL, NULL);
	assert_int_equal(lr.groups, DEPTS);
	assert_int_equal(all.t.logrank.groups, DEPTS);
	assert_true(all.t.logrank.chisq == lr.chisq);
	assert_true(all.t.logrank.p == lr.p);
	test_free(km);
	test_free(group);
	free(obs);
	run_release(&all);
}

/* Attrition's headcounts, counted with the employments in one pass over
 * the role rows, are those headcounts_by_track gives on each year's first
 * and last day, for All, IC and management. The first year is partial. */
static void test_attrition_headcounts(void **state)
{
	(void)state;
	struct ttp_params p = {.since = date_from_ymd(2022, 3, 15),
			       .as_of = date_from_ymd(2024, 12, 31),
			       .ci = KM_CI_LOGLOG, .min_group = 3, .prev_as_of = WR_DATE_NONE};
	struct retention_params rp = {.since = p.since, .as_of = p.as_of, .ci = p.ci,
				      .min_group = 3};
	static struct run x;
	run_depts(&x, 0, 12, &p, &rp);
	size_t ny = 3;
	assert_int_equal(x.ret.nyears, TTP_GROUPS * ny);
	static const int first[][3] = {{2022, 3, 15}, {2023, 1, 1}, {2024, 1, 1}};
	static const int last[][3] = {{2022, 12, 31}, {2023, 12, 31}, {2024, 12, 31}};
	wr_date dates[6];
	for (size_t y = 0; y < ny; y++) {
		dates[2 * y] = date_from_ymd(first[y][0], first[y][1], first[y][2]);
		dates[2 * y + 1] = date_from_ymd(last[y][0], last[y][1], last[y][2]);
	}
	uint64_t hc[6 * TRACK_COUNT];
	headcounts_by_track(&x.m, dates, 6, hc);
	uint64_t seen = 0;
	for (size_t y = 0; y < ny; y++)
		for (int g = 0; g < TTP_GROUPS; g++) {
			const struct attrition_row *a = &x.ret.years[(size_t)g * ny + y];
			for (int end = 0; end < 2; end++) {
				const uint64_t *h = &hc[(2 * y + (size_t)end) * TRACK_COUNT];
				uint64_t want = g == TTP_GROUP_ALL ? h[TRACK_IC] + h[TRACK_MANAGEMENT]
						: g == TTP_GROUP_IC ? h[TRACK_IC]
								    : h[TRACK_MANAGEMENT];
				assert_int_equal(end ? a->hc_end : a->hc_start, want);
				seen += want;
			}
		}
	assert_true(seen > 0);
	/* on 2022-03-15 all but P3 (from 2022-06-01 + d) hold a role: 36,
	 * 24 of them IC */
	assert_int_equal(x.ret.years[0].hc_start, 36);
	assert_int_equal(x.ret.years[ny].hc_start, 24);
	run_release(&x);
}

static void test_count_distinct(void **state)
{
	(void)state;
	uint32_t ids[] = {5, 1, 5, 3, 1, 9};
	assert_int_equal(count_distinct(ids, 6), 4);
	assert_int_equal(count_distinct(ids, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spell_rules),
		cmocka_unit_test(test_one_collection_two_windows),
		cmocka_unit_test(test_previous_release_department),
		cmocka_unit_test(test_window_edges),
		cmocka_unit_test(test_departments_in_passes),
		cmocka_unit_test(test_attrition_headcounts),
		cmocka_unit_test(test_count_distinct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
