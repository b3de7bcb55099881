/* career.c - see career.h. */
#include "model/career.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/sort.h"

void model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
}

void model_release(struct model *m)
{
	free(m->emps);
	free(m->spells);
	free(m->daily);
	free(m->role_days);
	memset(m, 0, sizeof(*m));
}

static int by_start(const void *a, const void *b)
{
	const struct role_row *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

/* Group role rows by employee (a counting sort, linear, stable); each
 * employee's rows are put in date order later (order_rows). Also finds the
 * span of days the daily table covers: from the first day a row starts or
 * ends to the last day a row starts or the day after one ends. */
static void group_roles(struct model *m)
{
	struct dataset *ds = m->ds;
	m->nemps = ds->ids.count;
	m->emps = xcalloc(m->nemps ? m->nemps : 1, sizeof(*m->emps));
	wr_date first = WR_DATE_OPEN, last = WR_DATE_NONE;
	for (size_t i = 0; i < ds->nroles; i++) {
		const struct role_row *r = &ds->roles[i];
		m->emps[r->emp].nrows++;
		if (r->start < first)
			first = r->start;
		if (r->end < first) /* only where the end is before the start */
			first = r->end;
		wr_date past = r->end == WR_DATE_OPEN ? r->start : r->end + 1;
		if (past > last)
			last = past;
		if (r->start > last)
			last = r->start;
	}
	uint32_t next = 0;
	for (size_t e = 0; e < m->nemps; e++) {
		m->emps[e].first_row = next;
		next += m->emps[e].nrows;
	}
	struct role_row *sorted = xmalloc(ds->nroles * sizeof(*sorted));
	for (size_t i = 0; i < ds->nroles; i++) { /* first_row as the cursor, moved back after */
		const struct role_row *r = &ds->roles[i];
		sorted[m->emps[r->emp].first_row++] = *r;
	}
	for (size_t e = 0; e < m->nemps; e++)
		m->emps[e].first_row -= m->emps[e].nrows;
	/* The rows' old array becomes the spells' (at most a spell per row,
	 * and a spell is smaller than a row): its pages are mapped already,
	 * where a new array of that size would fault on every page. */
	m->spells = (struct level_spell *)(void *)ds->roles;
	m->spells_cap = ds->roles_cap * sizeof(*ds->roles) / sizeof(*m->spells);
	ds->roles = sorted;
	ds->roles_cap = ds->nroles;

	/* dates are 1900-9999, so last - first cannot overflow */
	if (ds->nroles && (int64_t)last - first < MODEL_DAILY_MAX_DAYS) {
		m->daily_first = first;
		m->daily_last = last;
		size_t days = (size_t)(last - first) + 1;
		m->daily = xcalloc(days * LEVEL_KEYS, sizeof(*m->daily));
		m->role_days = xcalloc(days, sizeof(*m->role_days));
	}
}

/* Order one employee's rows by start date. */
static void order_rows(struct role_row *r, size_t n)
{
	if (n > 16) {
		sort_items(r, n, sizeof(*r), by_start);
		return;
	}
	for (size_t i = 1; i < n; i++) { /* insertion sort: few rows each */
		struct role_row x = r[i];
		size_t j = i;
		while (j > 0 && r[j - 1].start > x.start) {
			r[j] = r[j - 1];
			j--;
		}
		r[j] = x;
	}
}

/* Cut each row of an employee (rows r[0..n), in date order) that runs into
 * the next one. Starts are distinct: rows with the same employee and start
 * are rejected at load. */
static void resolve_overlaps(struct model *m, struct role_row *r, size_t n)
{
	struct dataset *ds = m->ds;
	for (size_t i = 0; i + 1 < n; i++) {
		if (r[i].end < r[i + 1].start)
			continue;
		if (r[i].end != r[i + 1].start) {
			char end[11] = "", start[11];
			if (r[i].end != WR_DATE_OPEN)
				date_format_iso(r[i].end, end);
			date_format_iso(r[i + 1].start, start);
			dq_add(&ds->dq, WR_FILE_ROLES, r[i].line, "end_date", DQ_ROLE_OVERLAP, end,
			       strlen(end),
			       "role overlaps the next role of %s (line %u, starting %s): "
			       "cut to end the day before",
			       ds_id(ds, r[i].emp), r[i + 1].line, start);
			m->overlaps_cut++;
		}
		r[i].end = r[i + 1].start - 1;
	}
}

/* The level spells of employee e, whose rows are in date order and cut. */
static void build_spells(struct model *m, uint32_t e)
{
	struct dataset *ds = m->ds;
	struct employee *emp = &m->emps[e];
	emp->first_spell = (uint32_t)m->nspells;
	struct level_spell *cur = NULL;
	for (uint32_t i = emp->first_row; i < emp->first_row + emp->nrows; i++) {
		const struct role_row *r = &ds->roles[i];
		bool extends = cur && r->track == cur->track && r->level == cur->level &&
			       cur->end != WR_DATE_OPEN && r->start <= cur->end + 1;
		if (extends) {
			cur->end = r->end;
			cur->last_row = i;
			continue;
		}
		GROW(m->spells, m->spells_cap, m->nspells + 1);
		cur = &m->spells[m->nspells++];
		*cur = (struct level_spell){
			.emp = e, .start = r->start, .end = r->end,
			.first_row = i, .last_row = i, .promotion = -1,
			.track = r->track, .level = r->level,
		};
	}
	emp->nspells = (uint32_t)m->nspells - emp->first_spell;
}

/* Whether row b takes over from row a on the day after it ends at the
 * same level: a's -1 and b's +1 in the daily table fall on the same day
 * and key, and cancel. Neither may be a row that covers no day. */
static bool takes_over(const struct role_row *a, const struct role_row *b)
{
	return a->end >= a->start && b->end >= b->start && a->end != WR_DATE_OPEN &&
	       b->start == a->end + 1 && a->track == b->track && a->level == b->level;
}

/* Mark the days rows r[0..n) (one employee's, in date order, cut) cover in
 * the daily table, as differences: +1 on a row's first day, -1 on the day
 * after its last (summed up by finish_daily), leaving out the pairs that
 * cancel (takes_over), most of them. A row that ends before it starts
 * covers no day. And count their starts and ends in role_days. */
static void mark_days(struct model *m, const struct role_row *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		m->role_days[r[i].start - m->daily_first]++;
		if (r[i].end != WR_DATE_OPEN)
			m->role_days[r[i].end - m->daily_first]++;
		if (r[i].end < r[i].start)
			continue;
		size_t key = level_key(r[i].track, r[i].level);
		if (i == 0 || !takes_over(&r[i - 1], &r[i]))
			m->daily[(size_t)(r[i].start - m->daily_first) * LEVEL_KEYS + key]++;
		if (r[i].end != WR_DATE_OPEN && (i + 1 == n || !takes_over(&r[i], &r[i + 1])))
			m->daily[(size_t)(r[i].end + 1 - m->daily_first) * LEVEL_KEYS + key]--;
	}
}

/* The differences summed day by day into headcounts (unsigned arithmetic
 * wraps, and every sum is a count of rows, so the result is exact). */
static void finish_daily(struct model *m)
{
	size_t days = (size_t)(m->daily_last - m->daily_first) + 1;
	for (size_t d = 1; d < days; d++)
		for (size_t k = 0; k < LEVEL_KEYS; k++)
			m->daily[d * LEVEL_KEYS + k] += m->daily[(d - 1) * LEVEL_KEYS + k];
}

/* Each employee's rows in date order, overlaps cut, level spells built and
 * the days covered marked: one visit to each employee's rows. */
static void build_careers(struct model *m)
{
	struct dataset *ds = m->ds;
	for (size_t e = 0; e < m->nemps; e++) {
		struct role_row *r = ds->roles + m->emps[e].first_row;
		size_t n = m->emps[e].nrows;
		order_rows(r, n);
		resolve_overlaps(m, r, n);
		build_spells(m, (uint32_t)e);
		if (m->daily)
			mark_days(m, r, n);
	}
	if (m->daily)
		finish_daily(m);
	/* give back the rows' array's pages the spells do not use */
	m->spells_cap = m->nspells ? m->nspells : 1;
	m->spells = xrealloc(m->spells, m->spells_cap * sizeof(*m->spells));
}

int64_t model_spell_on(const struct model *m, uint32_t emp, wr_date day)
{
	if (emp >= m->nemps)
		return -1;
	const struct employee *e = &m->emps[emp];
	size_t lo = e->first_spell, hi = e->first_spell + e->nspells;
	/* last spell starting on or before day */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->spells[mid].start <= day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == e->first_spell)
		return -1;
	const struct level_spell *s = &m->spells[lo - 1];
	return s->end >= day ? (int64_t)(lo - 1) : -1;
}

const struct role_row *model_role_on(const struct model *m, uint32_t emp, wr_date day)
{
	if (emp >= m->nemps)
		return NULL;
	const struct employee *e = &m->emps[emp];
	const struct role_row *rows = m->ds->roles + e->first_row;
	size_t lo = 0, hi = e->nrows;
	if (hi > 0 && rows[hi - 1].start <= day)
		lo = hi; /* the last row: the usual answer for a recent day */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rows[mid].start <= day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || rows[lo - 1].end < day)
		return NULL;
	return &rows[lo - 1];
}

/* Whether roles.csv shows promotion p: a row at the new level starting on
 * its date. s is the spell held the day before. When s ends that day, the
 * row held on the date can only be the next one, starting on it. */
static bool roles_show_promotion(const struct model *m, const struct promotion_row *p,
				 const struct level_spell *s)
{
	const struct role_row *r;
	if (s->end == p->date - 1) {
		const struct employee *e = &m->emps[p->emp];
		uint32_t next = s->last_row + 1;
		r = next < e->first_row + e->nrows ? &m->ds->roles[next] : NULL;
		if (r && r->start != p->date)
			r = NULL;
	} else {
		r = model_role_on(m, p->emp, p->date);
	}
	return r && r->start == p->date && r->level == p->to_level;
}

static void match_promotions(struct model *m)
{
	struct dataset *ds = m->ds;
	for (size_t i = 0; i < ds->npromotions; i++) {
		struct promotion_row *p = &ds->promotions[i];
		char day[11], eff[11]; /* written only for a warning: most have none */
		int64_t s = model_spell_on(m, p->emp, p->date - 1);
		if (s < 0) {
			date_format_iso(p->date - 1, day);
			date_format_iso(p->date, eff);
			dq_add(&ds->dq, WR_FILE_PROMOTIONS, p->line, "effective_date",
			       DQ_NO_ROLE_BEFORE_PROMOTION, eff, strlen(eff),
			       "%s held no role on %s, the day before the promotion",
			       ds_id(ds, p->emp), day);
			continue;
		}
		struct level_spell *spell = &m->spells[s];
		if (spell->level != p->from_level) {
			date_format_iso(p->date - 1, day);
			dq_add(&ds->dq, WR_FILE_PROMOTIONS, p->line, "from_level", DQ_FROM_LEVEL_DIFFERS,
			       NULL, 0, "from_level %d differs from level %d held on %s", p->from_level,
			       spell->level, day);
		}
		if (!roles_show_promotion(m, p, spell)) {
			date_format_iso(p->date, eff);
			dq_add(&ds->dq, WR_FILE_PROMOTIONS, p->line, "effective_date",
			       DQ_PROMOTION_NOT_IN_ROLES, eff, strlen(eff),
			       "roles.csv shows no role of %s at level %d starting on %s",
			       ds_id(ds, p->emp), p->to_level, eff);
		}
		if (spell->promotion >= 0) {
			/* keep the one that ends the spell (roles.csv shows it), else
			 * the earliest; report the other */
			struct promotion_row *old = &ds->promotions[spell->promotion];
			bool open = spell->end == WR_DATE_OPEN;
			bool new_ends = !open && p->date == spell->end + 1;
			bool old_ends = !open && old->date == spell->end + 1;
			bool new_wins = new_ends || (!old_ends && p->date < old->date);
			struct promotion_row *loser = new_wins ? old : p;
			struct promotion_row *winner = new_wins ? p : old;
			if (new_wins) {
				old->spell = -1;
				p->spell = (int32_t)s;
				spell->promotion = (int32_t)i;
			}
			dq_add(&ds->dq, WR_FILE_PROMOTIONS, loser->line, "effective_date",
			       DQ_SECOND_PROMOTION, NULL, 0,
			       "second promotion for the same level spell (the promotion on line %u "
			       "is the one counted)",
			       winner->line);
			continue;
		}
		spell->promotion = (int32_t)i;
		p->spell = (int32_t)s;
	}
	for (size_t i = 0; i < ds->npromotions; i++)
		if (ds->promotions[i].spell >= 0)
			m->promotions_matched++;
}

/* Level rises inside a track that promotions.csv does not record. */
static void check_unrecorded_promotions(struct model *m)
{
	struct dataset *ds = m->ds;
	if (!ds->files[WR_FILE_PROMOTIONS].present)
		return;
	for (size_t k = 1; k < m->nspells; k++) { /* neighbours of one employee */
		const struct level_spell *a = &m->spells[k - 1], *b = &m->spells[k];
		if (a->emp != b->emp || a->track != b->track || b->level <= a->level ||
		    a->end + 1 != b->start)
			continue;
		if (a->promotion >= 0 && ds->promotions[a->promotion].date == b->start)
			continue;
		const struct role_row *r = &ds->roles[b->first_row];
		char when[11];
		date_format_iso(b->start, when);
		dq_add(&ds->dq, WR_FILE_ROLES, r->line, "level", DQ_UNRECORDED_PROMOTION, when,
		       strlen(when),
		       "level rises from %d to %d on %s with no promotion in promotions.csv",
		       a->level, b->level, when);
	}
}

static void check_references(struct model *m)
{
	struct dataset *ds = m->ds;
	for (size_t i = 0; i < ds->ntransfers; i++) {
		const struct transfer_row *t = &ds->transfers[i];
		if (t->emp < m->nemps && m->emps[t->emp].nrows)
			continue;
		const char *id = ds_id(ds, t->emp);
		dq_add(&ds->dq, WR_FILE_TRANSFERS, t->line, "employee_id", DQ_UNKNOWN_EMPLOYEE, id,
		       strlen(id), "employee not found in roles.csv");
	}
	if (!ds->files[WR_FILE_INTERNS].has_column[INTERNS_EMPLOYEE_ID])
		return;
	for (size_t i = 0; i < ds->ninterns; i++) {
		const struct intern_row *in = &ds->interns[i];
		if (in->outcome != OUTCOME_HIRED)
			continue;
		if (in->emp == STRTAB_NONE) {
			dq_add(&ds->dq, WR_FILE_INTERNS, in->line, "employee_id",
			       DQ_INTERN_NO_EMPLOYEE_ID, NULL, 0,
			       "hired intern without an employee_id");
		} else if (in->emp >= m->nemps || !m->emps[in->emp].nrows) {
			const char *id = ds_id(ds, in->emp);
			dq_add(&ds->dq, WR_FILE_INTERNS, in->line, "employee_id",
			       DQ_INTERN_UNKNOWN_EMPLOYEE, id, strlen(id),
			       "hired intern's employee_id not found in roles.csv");
		}
	}
}

void model_build(struct model *m, struct dataset *ds)
{
	model_release(m);
	m->ds = ds;
	group_roles(m);
	build_careers(m);
	match_promotions(m);
	check_unrecorded_promotions(m);
	check_references(m);
}

/* The daily table's headcounts by level key on day (day may lie outside
 * it), or NULL when the model has none or no one is counted on day. */
static const uint32_t *daily_on(const struct model *m, wr_date day)
{
	if (!m->daily || day < m->daily_first)
		return NULL;
	if (day > m->daily_last) /* every row ended by then has ended on the last day */
		day = m->daily_last;
	return &m->daily[(size_t)(day - m->daily_first) * LEVEL_KEYS];
}

void model_headcount_on(const struct model *m, wr_date day, struct headcount *out)
{
	memset(out, 0, sizeof(*out));
	if (m->daily) { /* rows do not overlap: a row covering day is the one held */
		const uint32_t *hc = daily_on(m, day);
		for (size_t k = 0; hc && k < LEVEL_KEYS; k++) {
			out->total += hc[k];
			out->by_track[key_track(k)] += hc[k];
		}
		return;
	}
	for (size_t e = 0; e < m->nemps; e++) {
		const struct role_row *r = model_role_on(m, (uint32_t)e, day);
		if (!r)
			continue;
		out->total++;
		out->by_track[r->track]++;
	}
}

/* First index i with dates[i] >= day (ndates when none). */
static size_t lower_bound(const wr_date *dates, size_t n, wr_date day)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (dates[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Where each day falls among sorted dates: at[day - first] is the first
 * index i with dates[i] >= day, for the days from first to last; O(1) per
 * look-up where a binary search took log n (the grids look up every role
 * row twice, several times a run). Days outside go to 0 or n. */
struct date_index {
	const wr_date *dates;
	size_t n;
	wr_date first, last;
	uint32_t *at; /* NULL: too long a range, a binary search instead */
};

#define DATE_INDEX_MAX_DAYS (1 << 20)

static void date_index_init(struct date_index *x, const wr_date *dates, size_t n)
{
	x->dates = dates;
	x->n = n;
	x->at = NULL;
	if (n == 0 || (int64_t)dates[n - 1] - dates[0] >= DATE_INDEX_MAX_DAYS)
		return;
	x->first = dates[0];
	x->last = dates[n - 1];
	size_t days = (size_t)(x->last - x->first) + 1;
	x->at = xmalloc(days * sizeof(*x->at));
	size_t i = 0;
	for (size_t d = 0; d < days; d++) {
		while (i < n && dates[i] < x->first + (wr_date)d)
			i++;
		x->at[d] = (uint32_t)i;
	}
}

static size_t date_index_lower_bound(const struct date_index *x, wr_date day)
{
	if (!x->at)
		return lower_bound(x->dates, x->n, day);
	if (day <= x->first)
		return 0;
	if (day > x->last)
		return x->n;
	return x->at[day - x->first];
}

void model_headcount_grid(const struct model *m, const wr_date *dates, size_t ndates,
			  size_t ngroups, size_t (*group_of)(const struct role_row *r, void *ctx),
			  void *ctx, uint64_t *out)
{
	/* diff[(d) * ngroups + g]: +1 where a row starts covering dates, -1 after */
	int64_t *diff = xcalloc((ndates + 1) * ngroups + 1, sizeof(*diff));
	struct date_index at;
	date_index_init(&at, dates, ndates);
	const struct dataset *ds = m->ds;
	for (size_t i = 0; i < ds->nroles; i++) {
		const struct role_row *r = &ds->roles[i];
		size_t lo = date_index_lower_bound(&at, r->start);
		size_t hi = r->end == WR_DATE_OPEN ? ndates : date_index_lower_bound(&at, r->end + 1);
		if (lo >= hi)
			continue;
		size_t g = group_of(r, ctx);
		if (g >= ngroups)
			continue;
		diff[lo * ngroups + g]++;
		diff[hi * ngroups + g]--;
	}
	free(at.at);
	for (size_t g = 0; g < ngroups; g++) {
		int64_t run = 0;
		for (size_t d = 0; d < ndates; d++) {
			run += diff[d * ngroups + g];
			out[d * ngroups + g] = (uint64_t)run;
		}
	}
	free(diff);
}

static size_t group_by_key(const struct role_row *r, void *ctx)
{
	const size_t *group_of_key = ctx;
	return group_of_key[level_key(r->track, r->level)];
}

void model_headcount_keyed(const struct model *m, const wr_date *dates, size_t ndates,
			   size_t ngroups, const size_t group_of_key[LEVEL_KEYS], uint64_t *out)
{
	if (!m->daily) {
		model_headcount_grid(m, dates, ndates, ngroups, group_by_key, (void *)group_of_key,
				     out);
		return;
	}
	memset(out, 0, ndates * ngroups * sizeof(*out));
	for (size_t d = 0; d < ndates; d++) {
		const uint32_t *hc = daily_on(m, dates[d]);
		for (size_t k = 0; hc && k < LEVEL_KEYS; k++)
			if (group_of_key[k] < ngroups)
				out[d * ngroups + group_of_key[k]] += hc[k];
	}
}
