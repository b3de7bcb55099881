/* kpi.c - see kpi.h. */
#include "metrics/kpi.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "metrics/privacy.h"
#include "metrics/programmes.h"
#include "metrics/ttp_spells.h"
#include "stats/aj.h"
#include "stats/wilson.h"

static const struct {
	const char *name, *n_label;
	uint8_t unit;
	bool stock;
} defs[KPI_COUNT] = {
	[KPI_HEADCOUNT] = {"Headcount", "people", KPI_UNIT_PEOPLE, true},
	[KPI_MANAGEMENT_SHARE] = {"Management share", "people", KPI_UNIT_SHARE, true},
	[KPI_ICS_PER_MANAGER] = {"ICs per manager", "managers", KPI_UNIT_RATIO, true},
	[KPI_PROMOTION_RATE] = {"Promotion rate (a year)", "average headcount", KPI_UNIT_SHARE,
				false},
	[KPI_TIME_TO_PROMOTION] = {"Time to promotion (months)", "people in a level",
				   KPI_UNIT_MONTHS, false},
	[KPI_PROMOTED_2Y] = {"Promoted within 2 years", "people in a level", KPI_UNIT_SHARE, false},
	[KPI_ATTRITION] = {"Attrition rate (a year)", "average headcount", KPI_UNIT_SHARE, false},
	[KPI_MOVEMENT] = {"Internal movement (a year)", "average headcount", KPI_UNIT_SHARE, false},
	[KPI_SECONDMENT_COMPLETION] = {"Secondment completion", "ended secondments",
				       KPI_UNIT_SHARE, false},
	[KPI_INTERN_CONVERSION] = {"Intern conversion", "ended internships", KPI_UNIT_SHARE, false},
};

/* Each event date of the inputs that counts for "data through" (role
 * starts and ends unless !roles, promotions, transfers, secondment starts
 * and ends, internship starts; not internship ends, often planned in
 * advance). */
static void each_event_date(const struct dataset *ds, bool roles,
			    void (*fn)(void *ctx, wr_date d), void *ctx)
{
	for (size_t i = 0; roles && i < ds->nroles; i++) {
		fn(ctx, ds->roles[i].start);
		fn(ctx, ds->roles[i].end);
	}
	for (size_t i = 0; i < ds->npromotions; i++)
		fn(ctx, ds->promotions[i].date);
	for (size_t i = 0; i < ds->ntransfers; i++)
		fn(ctx, ds->transfers[i].date);
	for (size_t i = 0; i < ds->nsecondments; i++) {
		fn(ctx, ds->secondments[i].start);
		fn(ctx, ds->secondments[i].end);
	}
	for (size_t i = 0; i < ds->ninterns; i++)
		fn(ctx, ds->interns[i].start);
}

struct through {
	wr_date as_of, latest, from; /* days counted: from on (to as_of, or latest) */
	uint64_t *count;
};

static bool event_day(const struct through *t, wr_date d)
{
	return d != WR_DATE_NONE && d != WR_DATE_OPEN && d <= t->as_of;
}

static void count_day(void *ctx, wr_date d)
{
	struct through *t = ctx;
	if (event_day(t, d) && d >= t->from)
		t->count[d - t->from]++;
}

/* Both at once for n events on day d, over the days from t->from to as_of
 * (t->count has a slot for each): one pass over the inputs where most
 * runs need no other. */
static void note_events(struct through *t, wr_date d, uint64_t n)
{
	if (!event_day(t, d))
		return;
	if (t->latest == WR_DATE_NONE || d > t->latest)
		t->latest = d;
	if (d >= t->from)
		t->count[d - t->from] += n;
}

static void latest_and_count(void *ctx, wr_date d)
{
	note_events(ctx, d, 1);
}

/* The days counted in the first pass: before the latest event, the answer
 * is usually within a few days of it. */
#define THROUGH_FIRST_DAYS 4096

wr_date kpi_data_through(const struct model *m, wr_date as_of, int min_group)
{
	const struct dataset *ds = m->ds;
	struct through t = {.as_of = as_of, .latest = WR_DATE_NONE,
			    .from = as_of - (THROUGH_FIRST_DAYS - 1)};
	t.count = xcalloc(THROUGH_FIRST_DAYS, sizeof(*t.count));
	/* the role rows' dates by day from the model, else from the rows */
	each_event_date(ds, !m->role_days, latest_and_count, &t);
	for (size_t i = 0; m->role_days && i <= (size_t)(m->daily_last - m->daily_first); i++)
		if (m->role_days[i])
			note_events(&t, m->daily_first + (wr_date)i, m->role_days[i]);
	if (t.latest == WR_DATE_NONE || min_group <= 1) {
		free(t.count);
		return t.latest;
	}
	/* the day by which min_group events had happened, counting back from
	 * the latest: the latest date alone is one person's (privacy.h rule 4).
	 * The first day found counting back is the answer, so one found in
	 * the first pass's days is; else the passes below count further back. */
	uint64_t so_far = 0;
	for (wr_date d = t.latest; d >= t.from; d--) {
		so_far += t.count[d - t.from];
		if (so_far >= (uint64_t)min_group) {
			free(t.count);
			return d;
		}
	}
	free(t.count);
	for (wr_date span = 366;; span *= 4) {
		t.from = t.latest - span + 1;
		t.count = xcalloc((size_t)span, sizeof(*t.count));
		each_event_date(ds, true, count_day, &t);
		uint64_t seen = 0;
		for (wr_date d = t.latest; d >= t.from; d--) {
			seen += t.count[d - t.from];
			if (seen >= (uint64_t)min_group) {
				free(t.count);
				return d;
			}
		}
		free(t.count);
		if (t.latest - t.from > 200 * 366)
			return WR_DATE_NONE; /* fewer events than min_group in all */
	}
}

/* What every period's figures are made of. */
struct inputs {
	const struct model *m;
	const struct kpi_params *p;
	struct privacy pv;
	const struct ttp_spells *sp;
	wr_date since;             /* the first period's start */
	/* the spells of the window from since (ttp_window), for
	 * survival_values: only when the counting route cannot take them */
	struct spell_obs *spells;
	size_t nspells;
	/* headcount by track at the end of each day in days[] */
	wr_date *days;
	uint64_t *hc;              /* [d * TRACK_COUNT + track] */
	size_t ndays;
	/* events per day from `since` to as_of, as running totals: the count
	 * in [a, b] is total[b - since + 1] - total[a - since] */
	struct {
		uint64_t *promotions, *moves, *leavers;
	} per_day;
};

/* survival_values for many periods, counted in the walk over the spells
 * (count_days): per period and day of a spell's life (days since its
 * start) what the estimates read: entries, exits, and among the exits
 * promotions and censorings. */
struct survival_day {
	uint32_t enter, gone, promoted, censored;
};

struct survival_counts {
	size_t np, ndays;
	const wr_date *a, *b;        /* the periods [a[p], b[p]] */
	struct survival_day *days;   /* [p * ndays + day of life] */
	/* the spells that span a period, at risk from its first day and still
	 * on its last, by start day (from `first`): they enter and leave on
	 * days of life that the start alone sets, so they are counted here,
	 * in a smaller array, and added to days[] at the end */
	wr_date first;
	uint32_t *spanning;          /* [p * ndays + start - first] */
	size_t *k;                   /* spells taking part, by period */
	struct run_people *people, *promoted; /* the spells come grouped by employee */
};

/* The counting route takes spells of at most this many days (180 years)
 * by the last period's end; survival_values otherwise. */
#define SURVIVAL_MAX_DAYS (1 << 16)

/* The first day any spell starts: the first role row's. */
static wr_date earliest_start(const struct model *m)
{
	if (m->daily)
		return m->daily_first;
	wr_date first = WR_DATE_OPEN;
	for (size_t i = 0; i < m->nspells; i++)
		if (m->spells[i].start < first)
			first = m->spells[i].start;
	return first;
}

/* Ready to count the np periods [a[p], b[p]]: false when the spells span
 * too many days for it. */
static bool survival_counts_init(struct survival_counts *c, const struct model *m,
				 const wr_date *a, const wr_date *b, size_t np)
{
	wr_date first = earliest_start(m), last = WR_DATE_NONE;
	for (size_t p = 0; p < np; p++)
		if (b[p] > last)
			last = b[p];
	/* a spell's days in a period run from 0 to at most last - first */
	size_t ndays = first <= last ? (size_t)((int64_t)last - first) + 1 : 1;
	if (ndays > SURVIVAL_MAX_DAYS)
		return false;
	*c = (struct survival_counts){
		.np = np, .ndays = ndays, .a = a, .b = b, .first = first,
		.days = xcalloc(np * ndays, sizeof(*c->days)),
		.spanning = xcalloc(np * ndays, sizeof(*c->spanning)),
		.k = xcalloc(np, sizeof(*c->k)),
		.people = xcalloc(np, sizeof(*c->people)),
		.promoted = xcalloc(np, sizeof(*c->promoted)),
	};
	return true;
}

/* Spell s (f its part of the collection) in the window from since to
 * as_of, as ttp_window gives it (struct spell_obs), in dates: at risk on
 * the days after *entry up to *exit, promoted then (*event) or else
 * ending as *outcome says. False when it is not in the window. */
static bool window_days(const struct level_spell *s, const struct ttp_spell *f, wr_date since,
			wr_date as_of, wr_date *entry, wr_date *exit, bool *event, uint8_t *outcome)
{
	*event = spell_promoted_in(f, since, as_of);
	if (s->start > as_of || (s->end < since && !*event))
		return false;
	*entry = since > s->start ? since : s->start;
	*exit = *event ? f->promoted : s->end < as_of ? s->end : as_of;
	*outcome = *event ? (uint8_t)SPELL_PROMOTED : f->ends;
	return true;
}

/* Count spell k of the model into every period it takes part in. */
static void count_spell(struct survival_counts *c, const struct inputs *in, size_t k)
{
	const struct level_spell *s = &in->m->spells[k];
	wr_date entry, exit;
	bool promoted;
	uint8_t outcome;
	if (!window_days(s, &in->sp->v[k], in->since, in->sp->as_of, &entry, &exit, &promoted,
			 &outcome))
		return;
	for (size_t p = 0; p < c->np; p++) {
		wr_date lo = entry > c->a[p] ? entry : c->a[p];
		wr_date hi = exit < c->b[p] ? exit : c->b[p];
		if (hi <= lo)
			continue; /* no day at risk in the period */
		c->k[p]++;
		run_people_add(&c->people[p], s->emp);
		if (lo == c->a[p] && exit > c->b[p]) {
			c->spanning[p * c->ndays + (size_t)(s->start - c->first)]++;
			continue;
		}
		bool ended = exit <= c->b[p];
		bool event = promoted && ended;
		struct survival_day *day = &c->days[p * c->ndays];
		day[lo - s->start].enter++;
		struct survival_day *x = &day[hi - s->start];
		x->gone++;
		x->promoted += event;
		x->censored += !ended || outcome == SPELL_STILL;
		if (event)
			run_people_add(&c->promoted[p], s->emp);
	}
}

enum { EV_PROMOTION, EV_MOVE, EV_LEAVER };

/* Count an event on day into the running totals (not yet summed). */
static void tally_day(struct inputs *in, int what, wr_date day)
{
	if (day < in->since || day > in->p->as_of)
		return;
	uint64_t *v = what == EV_PROMOTION ? in->per_day.promotions
		      : what == EV_MOVE    ? in->per_day.moves
					   : in->per_day.leavers;
	v[day - in->since + 1]++;
}

/* Every promotion, move (transfer or track switch) and leaving by day,
 * once, so that each period's counts are two lookups; and the survival
 * counts of the periods in the same walk over the spells (unless sc is
 * NULL). */
static void count_days(struct inputs *in, struct survival_counts *sc)
{
	const struct model *m = in->m;
	const struct dataset *ds = m->ds;
	size_t n = (size_t)(in->p->as_of - in->since) + 2;
	in->per_day.promotions = xcalloc(n, sizeof(uint64_t));
	in->per_day.moves = xcalloc(n, sizeof(uint64_t));
	in->per_day.leavers = xcalloc(n, sizeof(uint64_t));
	for (size_t i = 0; i < ds->npromotions; i++)
		if (ds->promotions[i].spell >= 0)
			tally_day(in, EV_PROMOTION, ds->promotions[i].date);
	for (size_t i = 0; i < ds->ntransfers; i++)
		tally_day(in, EV_MOVE, ds->transfers[i].date);
	/* Track switches and leavers, from the spells (grouped by employee, in
	 * date order). An employment (retention.h) is a run of contiguous
	 * rows, so it ends where a spell ends and no spell follows the next
	 * day: the leavers before as-of are those ends. (Rows starting after
	 * as-of, which employments leave out, follow no end before as-of the
	 * next day.) */
	for (size_t k = 0; k < m->nspells; k++) {
		const struct level_spell *x = &m->spells[k];
		const struct level_spell *y = k + 1 < m->nspells && m->spells[k + 1].emp == x->emp
						      ? &m->spells[k + 1]
						      : NULL;
		bool followed = y && x->end != WR_DATE_OPEN && y->start <= x->end + 1;
		if (followed && x->track != y->track)
			tally_day(in, EV_MOVE, y->start);
		if (!followed && x->end != WR_DATE_OPEN && x->end < in->p->as_of)
			tally_day(in, EV_LEAVER, x->end);
		if (sc)
			count_spell(sc, in, k);
	}
	for (size_t d = 1; d < n; d++) {
		in->per_day.promotions[d] += in->per_day.promotions[d - 1];
		in->per_day.moves[d] += in->per_day.moves[d - 1];
		in->per_day.leavers[d] += in->per_day.leavers[d - 1];
	}
}

static uint64_t between(const struct inputs *in, const uint64_t *total, wr_date a, wr_date b)
{
	return total[b - in->since + 1] - total[a - in->since];
}

static const uint64_t *headcount_at(const struct inputs *in, wr_date day)
{
	size_t lo = 0, hi = in->ndays;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (in->days[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return &in->hc[lo * TRACK_COUNT]; /* every day asked for is in days[] */
}

static uint64_t total(const uint64_t *by_track)
{
	return by_track[TRACK_IC] + by_track[TRACK_MANAGEMENT];
}

/* count / average, per year: a 12-month period is a year as it is, a
 * quarter is scaled by 365.25 / its days (per_year). */
static struct kpi_value rate_value(const struct inputs *in, double count, double average,
				   double per_year)
{
	struct kpi_value v = {.v = NAN, .lo = NAN, .hi = NAN,
			      .n = (uint64_t)floor(average + 0.5), .count = count,
			      .average = average};
	if (average > 0)
		v.v = count / average * per_year;
	v.shown = average > 0 && privacy_group(&in->pv, (uint64_t)floor(average));
	return v;
}

static struct kpi_value share_value(const struct inputs *in, uint64_t part, uint64_t whole)
{
	struct kpi_value v = {.v = NAN, .lo = NAN, .hi = NAN, .n = whole};
	if (whole) {
		struct proportion pr;
		wilson(part, whole, CONF_LEVEL, &pr);
		v.v = pr.p;
		v.lo = pr.lo;
		v.hi = pr.hi;
	}
	v.shown = privacy_group(&in->pv, whole);
	return v;
}

/* Spells in the period [a, b], as the window [a, b] of the time to
 * promotion analysis sees them: KM median and the share promoted by 24
 * months (Aalen-Johansen), each with its privacy decision. */
static void survival_values(const struct inputs *in, wr_date a, wr_date b, struct kpi_value *km,
			    struct kpi_value *cif)
{
	size_t n = in->nspells;
	struct km_obs *ko = xmalloc(n * sizeof(*ko));
	struct aj_obs *ao = xmalloc(n * sizeof(*ao));
	size_t k = 0;
	struct run_people people = {0}, promoted = {0}; /* spells come grouped by employee */
	for (size_t i = 0; i < n; i++) {
		const struct spell_obs *o = &in->spells[i];
		if (o->start > b)
			continue;
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
	bool shown = privacy_km(&in->pv, people.n, promoted.n);
	struct km_result r;
	km_fit(ko, k, in->p->ci, CONF_LEVEL, &r);
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
}

/* aj_fit's cumulative incidence of promotion (outcome SPELL_PROMOTED of
 * SPELL_OUTCOMES - 1) at horizon, from the counts per day: aj.c's add_step
 * in the same order with the same operands (at risk: entries before t
 * less exits before t), so the same double bit for bit; only the days up
 * to the horizon count. */
static double promoted_by(const struct survival_day *day, size_t ndays, double horizon)
{
	double s = 1.0, f = 0.0;
	size_t entered = 0, exited = 0;
	for (size_t t = 0; t < ndays && (double)t <= horizon; t++) {
		size_t dall = day[t].gone - day[t].censored; /* exits with an outcome */
		if (dall > 0) {
			double n = (double)(entered - exited);
			f += s * (double)day[t].promoted / n;
			s *= 1.0 - (double)dall / n;
		}
		entered += day[t].enter;
		exited += day[t].gone;
	}
	return f;
}

/* The estimates of one period from its counts, as survival_values gives
 * them: km_fit_days adds the same steps as km_fit does from observations. */
static void survival_from_days(const struct inputs *in, const struct survival_day *day,
			       size_t ndays, size_t k, uint64_t people, uint64_t promoted,
			       struct kpi_value *km, struct kpi_value *cif)
{
	uint32_t *at_risk = xmalloc(ndays * sizeof(*at_risk));
	uint32_t *events = xmalloc(ndays * sizeof(*events));
	uint64_t entered = 0, exited = 0;
	for (size_t t = 0; t < ndays; t++) {
		at_risk[t] = (uint32_t)(entered - exited);
		events[t] = day[t].promoted;
		entered += day[t].enter;
		exited += day[t].gone;
	}
	bool shown = privacy_km(&in->pv, people, promoted);
	struct km_result r;
	km_fit_days(at_risk, events, ndays, in->p->ci, CONF_LEVEL, &r);
	*km = (struct kpi_value){.n = people, .shown = shown};
	km_median_months(&r, &km->v, &km->lo, &km->hi);
	km_result_release(&r);
	*cif = (struct kpi_value){
		.v = k ? promoted_by(day, ndays, ttp_horizon_days(1)) : NAN,
		.lo = NAN, .hi = NAN, .n = people, .shown = shown};
	free(at_risk);
	free(events);
}

/* survival_values(in, a[p], b[p], &km[p], &cif[p]) for each period,
 * from the counts; frees them. */
static void survival_counts_finish(struct survival_counts *c, const struct inputs *in,
				   struct kpi_value *km, struct kpi_value *cif)
{
	for (size_t p = 0; p < c->np; p++) {
		struct survival_day *day = &c->days[p * c->ndays];
		const uint32_t *spanning = &c->spanning[p * c->ndays];
		/* entering on day a - start of life, censored on day b - start */
		for (size_t i = 0; i < c->ndays; i++) {
			wr_date start = c->first + (wr_date)i;
			if (!spanning[i])
				continue;
			day[c->a[p] - start].enter += spanning[i];
			day[c->b[p] - start].gone += spanning[i];
			day[c->b[p] - start].censored += spanning[i];
		}
		survival_from_days(in, day, c->ndays, c->k[p], c->people[p].n, c->promoted[p].n,
				   &km[p], &cif[p]);
	}
	free(c->spanning);
	free(c->days);
	free(c->k);
	free(c->people);
	free(c->promoted);
}

/* Every figure over the period [a, b] (flows) and on day b (stocks); rates
 * are scaled to a year unless the period is one (whole_year). km and cif:
 * the period's survival_values. */
static void values(const struct inputs *in, wr_date a, wr_date b, bool whole_year,
		   const struct kpi_value *km, const struct kpi_value *cif, struct kpi_value *out)
{
	const struct model *m = in->m;
	const struct dataset *ds = m->ds;
	wr_date as_of = in->p->as_of;
	double per_year = whole_year ? 1.0 : 365.25 / (double)(b - a + 1);
	const uint64_t *end = headcount_at(in, b), *start = headcount_at(in, a - 1);
	double average = (double)(total(start) + total(end)) / 2.0;

	out[KPI_HEADCOUNT] = (struct kpi_value){.v = (double)total(end), .lo = NAN, .hi = NAN,
						.n = total(end), .shown = true};
	out[KPI_MANAGEMENT_SHARE] = share_value(in, end[TRACK_MANAGEMENT], total(end));
	out[KPI_ICS_PER_MANAGER] = (struct kpi_value){
	    .v = end[TRACK_MANAGEMENT] ? (double)end[TRACK_IC] / (double)end[TRACK_MANAGEMENT] : NAN,
	    .lo = NAN, .hi = NAN, .n = end[TRACK_MANAGEMENT],
	    .shown = privacy_group(&in->pv, total(end))};

	uint64_t promotions = between(in, in->per_day.promotions, a, b);
	uint64_t moves = between(in, in->per_day.moves, a, b);
	uint64_t leavers = between(in, in->per_day.leavers, a, b);
	out[KPI_PROMOTION_RATE] = rate_value(in, (double)promotions, average, per_year);
	out[KPI_ATTRITION] = rate_value(in, (double)leavers, average, per_year);
	out[KPI_MOVEMENT] = rate_value(in, (double)moves, average, per_year);
	out[KPI_TIME_TO_PROMOTION] = *km;
	out[KPI_PROMOTED_2Y] = *cif;

	uint64_t ended = 0, completed = 0;
	for (size_t i = 0; i < ds->nsecondments; i++) {
		const struct secondment_row *s = &ds->secondments[i];
		enum secondment_status st = secondment_status(s, as_of);
		if (st < SEC_COMPLETED || s->end < a || s->end > b)
			continue;
		ended++;
		completed += st != SEC_ENDED_EARLY;
	}
	out[KPI_SECONDMENT_COMPLETION] = share_value(in, completed, ended);
	uint64_t finished = 0, hired = 0;
	for (size_t i = 0; i < ds->ninterns; i++) {
		const struct intern_row *r = &ds->interns[i];
		wr_date when = r->end != WR_DATE_NONE ? r->end : r->start;
		if (r->outcome == OUTCOME_NONE || when > as_of || when < a || when > b)
			continue;
		finished++;
		hired += r->outcome == OUTCOME_HIRED;
	}
	out[KPI_INTERN_CONVERSION] = share_value(in, hired, finished);
}

static int cmp_date(const void *x, const void *y)
{
	wr_date a = *(const wr_date *)x, b = *(const wr_date *)y;
	return (a > b) - (a < b);
}

void kpi_compute(const struct model *m, const struct ttp_spells *sp, const struct kpi_params *p,
		 struct kpi_result *out)
{
	memset(out, 0, sizeof(*out));
	const struct dataset *ds = m->ds;
	wr_date as_of = p->as_of;
	out->data_through = kpi_data_through(m, as_of, p->min_group);
	out->stale = out->data_through != WR_DATE_NONE && as_of - out->data_through > KPI_STALE_DAYS;

	/* the last 12 months and the 12 before */
	wr_date year_ago = date_add_months(as_of + 1, -12) - 1;
	wr_date two_ago = date_add_months(as_of + 1, -24) - 1;
	out->now = (struct period){.first = year_ago + 1, .last = as_of, .start = year_ago + 1};
	out->prev = (struct period){.first = two_ago + 1, .last = year_ago, .start = two_ago + 1};

	/* the last 8 quarters, the one under way only once 14 days have passed */
	wr_date q = date_quarter_start(as_of);
	if (as_of - q + 1 < PERIOD_MIN_CHART_DAYS)
		q = date_add_months(q, -3);
	wr_date first_q = date_add_months(q, -3 * (KPI_QUARTERS - 1));
	struct period *qs;
	size_t nq = quarters_in(first_q, as_of, &qs);
	out->nquarters = nq < KPI_QUARTERS ? nq : KPI_QUARTERS;
	memcpy(out->quarters, qs, out->nquarters * sizeof(*qs));
	free(qs);

	struct inputs in = {.m = m, .p = p, .pv = {p->min_group}, .sp = sp};
	in.since = two_ago + 1 < first_q ? two_ago + 1 : first_q;
	/* the periods: the last 12 months, the 12 before, the quarters */
	size_t np = 2 + out->nquarters;
	wr_date pa[2 + KPI_QUARTERS] = {out->now.first, out->prev.first};
	wr_date pb[2 + KPI_QUARTERS] = {out->now.last, out->prev.last};
	for (size_t i = 0; i < out->nquarters; i++) {
		pa[2 + i] = out->quarters[i].first;
		pb[2 + i] = out->quarters[i].last;
	}
	struct survival_counts sc;
	bool counted = survival_counts_init(&sc, m, pa, pb, np);
	count_days(&in, counted ? &sc : NULL);
	/* every day a headcount is asked for: ends of periods and the day before them */
	in.days = xmalloc((4 + 2 * KPI_QUARTERS) * sizeof(*in.days));
	size_t nd = 0;
	in.days[nd++] = as_of;
	in.days[nd++] = year_ago;
	in.days[nd++] = two_ago;
	for (size_t i = 0; i < out->nquarters; i++) {
		in.days[nd++] = out->quarters[i].first - 1;
		in.days[nd++] = out->quarters[i].last;
	}
	qsort(in.days, nd, sizeof(*in.days), cmp_date);
	size_t u = 0;
	for (size_t i = 0; i < nd; i++)
		if (u == 0 || in.days[i] != in.days[u - 1])
			in.days[u++] = in.days[i];
	in.ndays = u;
	in.hc = xcalloc(in.ndays * TRACK_COUNT, sizeof(*in.hc));
	size_t track_of_key[LEVEL_KEYS];
	for (size_t k = 0; k < LEVEL_KEYS; k++)
		track_of_key[k] = key_track(k);
	model_headcount_keyed(m, in.days, in.ndays, TRACK_COUNT, track_of_key, in.hc);

	struct kpi_value km[2 + KPI_QUARTERS], cif[2 + KPI_QUARTERS];
	if (counted) {
		survival_counts_finish(&sc, &in, km, cif);
	} else {
		in.nspells = ttp_window(m, sp, in.since, &in.spells);
		for (size_t i = 0; i < np; i++)
			survival_values(&in, pa[i], pb[i], &km[i], &cif[i]);
	}

	struct kpi_value now[KPI_COUNT], prev[KPI_COUNT], qv[KPI_COUNT];
	values(&in, out->now.first, out->now.last, true, &km[0], &cif[0], now);
	values(&in, out->prev.first, out->prev.last, true, &km[1], &cif[1], prev);
	bool present[KPI_COUNT];
	for (int k = 0; k < KPI_COUNT; k++)
		present[k] = true;
	present[KPI_PROMOTION_RATE] = present[KPI_TIME_TO_PROMOTION] = present[KPI_PROMOTED_2Y] =
		ds->files[WR_FILE_PROMOTIONS].present;
	present[KPI_SECONDMENT_COMPLETION] = ds->files[WR_FILE_SECONDMENTS].present;
	present[KPI_INTERN_CONVERSION] = ds->files[WR_FILE_INTERNS].present;
	for (int k = 0; k < KPI_COUNT; k++) {
		struct kpi *x = &out->k[k];
		x->name = defs[k].name;
		x->n_label = defs[k].n_label;
		x->unit = defs[k].unit;
		x->stock = defs[k].stock;
		x->available = present[k];
		x->now = now[k];
		x->prev = prev[k];
	}
	for (size_t i = 0; i < out->nquarters; i++) {
		const uint64_t *hc = headcount_at(&in, out->quarters[i].last);
		out->quarter_ic[i] = hc[TRACK_IC];
		out->quarter_management[i] = hc[TRACK_MANAGEMENT];
		values(&in, out->quarters[i].first, out->quarters[i].last, false, &km[2 + i],
		       &cif[2 + i], qv);
		for (int k = 0; k < KPI_COUNT; k++)
			out->k[k].trend[i] = qv[k];
	}
	free(in.per_day.promotions);
	free(in.per_day.moves);
	free(in.per_day.leavers);
	free(in.days);
	free(in.hc);
	free(in.spells);
}
