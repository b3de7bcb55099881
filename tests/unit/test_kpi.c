/* The headline figures.
 *
 * Time to promotion and the share promoted within 2 years are counted per
 * day of a spell's life for every period at once (kpi.c's counting
 * route). reference() below takes the other route, the one kpi.h
 * describes step by step: each period's spells as observations (delayed
 * entry at the period's first day, censored at its last), fitted by
 * km_fit and aj_fit. The two must agree bit for bit, on a generated
 * history; and again with the history moved 70 years on and one spell
 * from 1900 in it, too long a span for the counting route, so that the
 * other route answers.
 *
 * Leavers and moves counted from the spells against retention's
 * employments and the spells' track switches.
 *
 * kpi_data_through on dates worked out by hand. */
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
#include "metrics/kpi.h"
#include "metrics/privacy.h"
#include "metrics/retention.h"
#include "metrics/ttp_spells.h"
#include "metrics/units.h"
#include "stats/aj.h"

static wr_date D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/* A text buffer that grows. */
struct text {
	char *s;
	size_t n, cap;
};

static void put(struct text *t, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	assert_true(k > 0 && (size_t)k < sizeof(line));
	if (t->n + (size_t)k + 1 > t->cap) {
		t->cap = 2 * (t->n + (size_t)k + 1);
		t->s = realloc(t->s, t->cap);
		assert_non_null(t->s);
	}
	memcpy(t->s + t->n, line, (size_t)k + 1);
	t->n += (size_t)k;
}

static uint32_t next_random(uint64_t *state)
{
	*state = *state * 6364136223846793005u + 1442695040888963407u;
	return (uint32_t)(*state >> 33);
}

static const char *iso(wr_date d, char buf[11])
{
	date_format_iso(d, buf);
	return buf;
}

/* roles.csv and promotions.csv for n people from base on: promotions,
 * lateral moves, track switches, gaps, leavers, open roles. */
static void generate(struct text *roles, struct text *promotions, wr_date base, int n)
{
	uint64_t rng = 12345;
	put(roles, "employee_id,role,family,track,level,department,start_date,end_date\n");
	put(promotions, "employee_id,effective_date,from_level,to_level\n");
	static const char *const tracks[2] = {"ic", "management"};
	static const char *const depts[3] = {"Create", "Verify", "Geo"};
	for (int e = 1; e <= n; e++) {
		wr_date cur = base + (wr_date)(next_random(&rng) % 3900);
		int track = next_random(&rng) % 5 == 0;
		int level = 1 + (int)(next_random(&rng) % 4);
		for (int r = 0; r < 7; r++) {
			wr_date end = cur + 30 + (wr_date)(next_random(&rng) % 1000);
			unsigned choice = next_random(&rng) % 10;
			const char *dept = depts[next_random(&rng) % 3];
			char a[11], b[11];
			if (choice < 3 || r == 6) { /* leaves, or still there */
				bool open = next_random(&rng) % 3 == 0;
				put(roles, "E%d,Role,Family,%s,%d,%s,%s,%s\n", e, tracks[track], level,
				    dept, iso(cur, a), open ? "" : iso(end, b));
				break;
			}
			put(roles, "E%d,Role,Family,%s,%d,%s,%s,%s\n", e, tracks[track], level, dept,
			    iso(cur, a), iso(end, b));
			cur = end + 1;
			if (choice < 7 && level < 12) { /* promoted */
				put(promotions, "E%d,%s,%d,%d\n", e, iso(cur, a), level, level + 1);
				level++;
			} else if (choice == 8) { /* switches track */
				track = !track;
			} else if (choice == 9) { /* a gap, then rehired */
				cur += 2 + (wr_date)(next_random(&rng) % 200);
			} /* else a lateral move: the same level spell goes on */
		}
	}
}

struct history {
	struct dataset ds;
	struct model m;
	struct ttp_spells sp;
};

static void load_history(struct history *h, const struct text *roles,
			 const struct text *promotions, wr_date as_of)
{
	dataset_init(&h->ds);
	model_init(&h->m);
	struct load_opts o = {.date_format = WR_DATE_ISO, .as_of = as_of};
	struct wr_errmsg err = {{0}};
	assert_int_equal(load_buffer(WR_FILE_ROLES, roles->s, roles->n, &o, &h->ds, &err), WR_OK);
	assert_int_equal(load_buffer(WR_FILE_PROMOTIONS, promotions->s, promotions->n, &o,
				     &h->ds, &err),
			 WR_OK);
	model_build(&h->m, &h->ds);
	ttp_spells_collect(&h->m, as_of, &h->sp);
}

static void unload_history(struct history *h)
{
	ttp_spells_release(&h->sp);
	model_release(&h->m);
	dataset_release(&h->ds);
}

/* The period [a, b]'s estimates as kpi.h defines them: the spells of the
 * window from since, each entering at the later of its entry and a and
 * leaving at the earlier of its exit and b (promoted or ended only when
 * that happened by b), fitted from the observations. */
static void reference(const struct history *h, wr_date since, wr_date a, wr_date b,
		      enum km_ci ci, int min_group, struct kpi_value *km, struct kpi_value *cif)
{
	struct spell_obs *v;
	size_t n = ttp_window(&h->m, &h->sp, since, &v);
	struct km_obs *ko = malloc((n + 1) * sizeof(*ko));
	struct aj_obs *ao = malloc((n + 1) * sizeof(*ao));
	assert_non_null(ko);
	assert_non_null(ao);
	size_t k = 0;
	struct run_people people = {0}, promoted = {0};
	for (size_t i = 0; i < n; i++) {
		const struct spell_obs *o = &v[i];
		double entry = fmax(o->km.entry, (double)(a - o->start));
		double to = (double)(b - o->start);
		double exit = fmin(o->km.exit, to);
		if (!(exit > entry))
			continue;
		bool ended = o->km.exit <= to;
		bool event = o->km.event && ended;
		ko[k] = (struct km_obs){entry, exit, event};
		ao[k++] = (struct aj_obs){entry, exit, ended ? o->outcome : (uint8_t)SPELL_STILL};
		run_people_add(&people, o->emp);
		if (event)
			run_people_add(&promoted, o->emp);
	}
	const struct privacy pv = {min_group};
	bool shown = privacy_km(&pv, people.n, promoted.n);
	struct km_result r;
	km_fit(ko, k, ci, CONF_LEVEL, &r);
	*km = (struct kpi_value){.n = people.n, .shown = shown};
	km_median_months(&r, &km->v, &km->lo, &km->hi);
	km_result_release(&r);
	struct aj_result aj;
	aj_fit(ao, k, SPELL_OUTCOMES - 1, &aj);
	*cif = (struct kpi_value){.v = k ? aj_cif_at(&aj, SPELL_PROMOTED, ttp_horizon_days(1)) : NAN,
				  .lo = NAN, .hi = NAN, .n = people.n, .shown = shown};
	aj_result_release(&aj);
	free(ko);
	free(ao);
	free(v);
}

/* The same double, bit for bit (NaN too). */
static void same_double(double x, double y)
{
	if (memcmp(&x, &y, sizeof(x)) != 0)
		fail_msg("%.17g differs from %.17g", x, y);
}

static void same_value(const struct kpi_value *x, const struct kpi_value *y)
{
	same_double(x->v, y->v);
	same_double(x->lo, y->lo);
	same_double(x->hi, y->hi);
	assert_int_equal(x->n, y->n);
	assert_int_equal(x->shown, y->shown);
}

/* Leavers and moves in [a, b] as kpi.h and retention.h define them: the
 * employments (retention_employments) that end in it before as_of, and
 * the track switches (a spell followed the next day by one in the other
 * track) starting in it; the history has no transfers. */
static void reference_counts(const struct history *h, wr_date as_of, wr_date a, wr_date b,
			     double *leavers, double *moves)
{
	struct employment *v;
	size_t n = retention_employments(&h->m, as_of, &v);
	uint64_t left = 0, moved = 0;
	for (size_t i = 0; i < n; i++)
		left += v[i].end != WR_DATE_OPEN && v[i].end < as_of && v[i].end >= a &&
			v[i].end <= b;
	free(v);
	for (size_t e = 0; e < h->m.nemps; e++) {
		const struct employee *emp = &h->m.emps[e];
		for (uint32_t k = emp->first_spell + 1; k < emp->first_spell + emp->nspells; k++) {
			const struct level_spell *x = &h->m.spells[k - 1], *y = &h->m.spells[k];
			moved += x->track != y->track && y->start <= x->end + 1 && y->start >= a &&
				 y->start <= b && y->start <= as_of;
		}
	}
	*leavers = (double)left;
	*moves = (double)moved;
}

static void check_counts(const struct history *h, wr_date as_of, const struct kpi_result *r)
{
	double leavers, moves;
	reference_counts(h, as_of, r->now.first, r->now.last, &leavers, &moves);
	assert_true(leavers > 0 && moves > 0);
	same_double(r->k[KPI_ATTRITION].now.count, leavers);
	same_double(r->k[KPI_MOVEMENT].now.count, moves);
	reference_counts(h, as_of, r->prev.first, r->prev.last, &leavers, &moves);
	same_double(r->k[KPI_ATTRITION].prev.count, leavers);
	same_double(r->k[KPI_MOVEMENT].prev.count, moves);
	for (size_t i = 0; i < r->nquarters; i++) {
		reference_counts(h, as_of, r->quarters[i].first, r->quarters[i].last, &leavers,
				 &moves);
		same_double(r->k[KPI_ATTRITION].trend[i].count, leavers);
		same_double(r->k[KPI_MOVEMENT].trend[i].count, moves);
	}
}

/* kpi_compute's survival figures for every period against reference(). */
static void check_survival(const struct history *h, wr_date as_of, enum km_ci ci, int min_group)
{
	struct kpi_params p = {.as_of = as_of, .ci = ci, .min_group = min_group};
	struct kpi_result r;
	kpi_compute(&h->m, &h->sp, &p, &r);
	assert_int_equal(r.nquarters, KPI_QUARTERS);
	wr_date since = r.prev.first < r.quarters[0].first ? r.prev.first : r.quarters[0].first;
	const struct kpi *ttp = &r.k[KPI_TIME_TO_PROMOTION], *cif = &r.k[KPI_PROMOTED_2Y];
	struct kpi_value want_km, want_cif;
	int promoted_seen = 0;
	reference(h, since, r.now.first, r.now.last, ci, min_group, &want_km, &want_cif);
	same_value(&ttp->now, &want_km);
	same_value(&cif->now, &want_cif);
	promoted_seen += !isnan(want_km.v) && want_cif.v > 0;
	reference(h, since, r.prev.first, r.prev.last, ci, min_group, &want_km, &want_cif);
	same_value(&ttp->prev, &want_km);
	same_value(&cif->prev, &want_cif);
	for (size_t i = 0; i < r.nquarters; i++) {
		reference(h, since, r.quarters[i].first, r.quarters[i].last, ci, min_group, &want_km,
			  &want_cif);
		same_value(&ttp->trend[i], &want_km);
		same_value(&cif->trend[i], &want_cif);
		promoted_seen += want_cif.v > 0;
	}
	/* the history exercises the estimates: medians reached, promotions seen */
	assert_true(promoted_seen >= 5);
	check_counts(h, as_of, &r);
}

static void test_survival_routes(void **state)
{
	(void)state;
	struct text roles = {0}, promotions = {0};
	wr_date as_of = D(2026, 6, 30);
	generate(&roles, &promotions, D(2016, 1, 1), 700);
	struct history h;
	load_history(&h, &roles, &promotions, as_of);
	check_survival(&h, as_of, KM_CI_LOGLOG, 1);
	check_survival(&h, as_of, KM_CI_LOG, 5);
	check_survival(&h, D(2025, 2, 10), KM_CI_PLAIN, 3);
	unload_history(&h);

	/* 70 years on, and a spell from 1900 still held: more than 2^16 days */
	roles.n = promotions.n = 0;
	generate(&roles, &promotions, D(2086, 1, 1), 700);
	put(&roles, "E9999,Role,Family,ic,2,Geo,1900-01-01,\n");
	as_of = D(2096, 6, 30);
	load_history(&h, &roles, &promotions, as_of);
	check_survival(&h, as_of, KM_CI_LOGLOG, 1);
	check_survival(&h, as_of, KM_CI_LOG, 5);
	unload_history(&h);
	free(roles.s);
	free(promotions.s);
}

/* kpi_data_through over roles (an overlap cut: E1's row ends the day
 * before E5's next one starts), by the model's count of role dates per
 * day, or with far (rows spanning more days than the model counts) by
 * the rows themselves. */
static void check_data_through(bool far)
{
	static const char roles[] =
		"employee_id,role,family,track,level,department,start_date,end_date\n"
		"E1,Dev,Backend,ic,2,Create,2024-01-10,2024-05-31\n"
		"E2,Dev,Backend,ic,2,Create,2024-03-01,\n"
		"E3,Dev,Backend,ic,2,Create,2024-06-15,2024-06-20\n"
		"E4,Dev,Backend,ic,2,Create,2005-01-01,2005-02-01\n"
		/* cut to end 2024-06-13 by the next */
		"E5,Dev,Backend,ic,2,Create,2023-01-01,2024-06-30\n"
		"E5,Dev,Backend,ic,3,Create,2024-06-14,\n";
	static const char far_roles[] = "E6,Dev,Backend,ic,2,Create,1900-01-01,1900-01-02\n"
					"E7,Dev,Backend,ic,2,Create,2090-01-01,\n";
	char text[sizeof(roles) + sizeof(far_roles)];
	snprintf(text, sizeof(text), "%s%s", roles, far ? far_roles : "");
	struct dataset ds;
	struct model m;
	dataset_init(&ds);
	model_init(&m);
	struct load_opts o = {.date_format = WR_DATE_ISO, .as_of = D(2024, 6, 18)};
	struct wr_errmsg err = {{0}};
	assert_int_equal(load_buffer(WR_FILE_ROLES, text, strlen(text), &o, &ds, &err), WR_OK);
	model_build(&m, &ds);
	assert_int_equal(m.role_days == NULL, far);
	/* events on or before 2024-06-18, latest first: 06-15, 06-14, 06-13
	 * (E5's cut end), 05-31, 03-01, 2024-01-10, 2023-01-01, then
	 * 2005-02-01 and 2005-01-01 (E3's end is after it, E2's open), and
	 * with far 1900-01-02, 1900-01-01 */
	wr_date as_of = D(2024, 6, 18);
	assert_int_equal(kpi_data_through(&m, as_of, 1), D(2024, 6, 15));
	assert_int_equal(kpi_data_through(&m, as_of, 2), D(2024, 6, 14));
	assert_int_equal(kpi_data_through(&m, as_of, 3), D(2024, 6, 13));
	assert_int_equal(kpi_data_through(&m, as_of, 4), D(2024, 5, 31));
	assert_int_equal(kpi_data_through(&m, as_of, 5), D(2024, 3, 1));
	assert_int_equal(kpi_data_through(&m, as_of, 7), D(2023, 1, 1));
	/* more than 4096 days back */
	assert_int_equal(kpi_data_through(&m, as_of, 8), D(2005, 2, 1));
	assert_int_equal(kpi_data_through(&m, as_of, 9), D(2005, 1, 1));
	assert_int_equal(kpi_data_through(&m, as_of, 10), far ? D(1900, 1, 2) : WR_DATE_NONE);
	/* as of 2024-06-14: 06-15 is after it */
	assert_int_equal(kpi_data_through(&m, D(2024, 6, 14), 1), D(2024, 6, 14));
	/* as of 2020: only 2005's events, more than 4096 days back */
	assert_int_equal(kpi_data_through(&m, D(2020, 1, 1), 1), D(2005, 2, 1));
	assert_int_equal(kpi_data_through(&m, D(2020, 1, 1), 2), D(2005, 1, 1));
	assert_int_equal(kpi_data_through(&m, D(2004, 12, 31), 1),
			 far ? D(1900, 1, 2) : WR_DATE_NONE);
	model_release(&m);
	dataset_release(&ds);
}

static void test_data_through(void **state)
{
	(void)state;
	check_data_through(false);
	check_data_through(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_survival_routes),
		cmocka_unit_test(test_data_through),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
