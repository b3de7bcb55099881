/* programmes_privacy.c - what the Secondments and Interns tables may show,
 * decided by the rules of privacy.h and recorded in each group's show mask.
 *
 * Secondments: a group's split by outcome (active, completed, extended,
 * ended early) needs g secondees (rule 9), its completion rate g ended
 * (rule 2), its merged MRs and MRs per secondee-month (sums of individual
 * values) g secondees, unchanged or changed by g or more since the
 * previous quarter (rules 3, 8), its median duration 2g ended (rule 4).
 * Start years, employers and teams each split every secondment, which the
 * Summary pools: each is protected by complementary suppression (rule 7).
 *
 * Interns: a cohort x team or route's split by outcome and its rates need g
 * interns (rules 9, 2), with complementary suppression across the cohorts
 * and across the routes; the careers' Kaplan-Meier figures need g found and
 * g promoted (rule 5).
 */
#include <stdlib.h>

#include "core/alloc.h"
#include "metrics/privacy.h"
#include "metrics/programmes.h"
#include "metrics/programmes_privacy.h"

/* Rule 7 for one bit over n groups: hidden[i] in, the groups' people[i]
 * and their change[i] since the previous release (or NULL);
 * clears bit where hidden after the complement. Returns false when the
 * pooled figure must go too. */
static bool partition(const struct privacy *pv, uint8_t *show, const uint64_t *people,
		      const bool *hidden, const uint64_t *change, size_t n, uint8_t bit)
{
	struct privacy_row *rows = xmalloc(n * sizeof(*rows));
	for (size_t i = 0; i < n; i++)
		rows[i] = (struct privacy_row){people[i], hidden[i], change ? change[i] : 0};
	bool pooled = privacy_complement(pv, rows, n);
	for (size_t i = 0; i < n; i++)
		if (rows[i].hidden)
			show[i] &= (uint8_t)~bit;
	free(rows);
	return pooled;
}

/* Rules 9, 2 and 7 for a partition's split by outcome and its rate: the
 * split needs g people, the rate its split and g ended, each with its
 * complement. Clears SHOW_SPLIT and SHOW_RATE in show; returns the bits the
 * pooled figures lose. */
static uint8_t split_and_rate(const struct privacy *pv, uint8_t *show, const uint64_t *people,
			      const uint64_t *ended, size_t n)
{
	bool *hide = xmalloc(n * sizeof(*hide));
	uint8_t lost = 0;
	for (size_t i = 0; i < n; i++)
		hide[i] = !privacy_group(pv, people[i]);
	if (!partition(pv, show, people, hide, NULL, n, SHOW_SPLIT))
		lost |= SHOW_SPLIT | SHOW_RATE;
	/* a rate needs its split: the split's complement hides the rate too */
	for (size_t i = 0; i < n; i++)
		hide[i] = !(show[i] & SHOW_SPLIT) || !privacy_group(pv, ended[i]);
	if (!partition(pv, show, ended, hide, NULL, n, SHOW_RATE))
		lost |= SHOW_RATE;
	free(hide);
	return lost;
}

/* The previous release's group of the same key, or NULL. */
static const struct secondment_group *same_group(const struct secondment_group *prev, size_t n,
						 uint32_t key)
{
	for (size_t i = 0; prev && i < n; i++)
		if (prev[i].key == key)
			return &prev[i];
	return NULL;
}

/* One partition of the secondments; returns the bits the pooled figures
 * lose. */
static uint8_t protect_secondments(const struct privacy *pv, struct secondment_group *g, size_t n,
				   const struct secondment_group *prev, size_t nprev, bool have_prev)
{
	uint8_t *show = xmalloc(n * sizeof(*show));
	uint64_t *people = xmalloc(n * sizeof(*people));
	uint64_t *ended = xmalloc(n * sizeof(*ended));
	bool *hide_sum = xmalloc(n * sizeof(*hide_sum));
	uint64_t *change = xcalloc(n, sizeof(*change));
	for (size_t i = 0; i < n; i++) {
		show[i] = SHOW_SPLIT | SHOW_RATE | SHOW_MEAN | SHOW_QUANTILES;
		people[i] = g[i].people;
		ended[i] = g[i].ended_people;
		hide_sum[i] = !privacy_group(pv, g[i].people);
		if (have_prev) {
			const struct secondment_group *p = same_group(prev, nprev, g[i].key);
			uint64_t before = p ? p->people : 0;
			hide_sum[i] = hide_sum[i] || !privacy_release(pv, g[i].people, before) ||
				      (p && !(p->show & SHOW_MEAN));
			change[i] = g[i].people > before ? g[i].people - before : before - g[i].people;
		}
		if (!privacy_quantiles(pv, g[i].ended_people))
			show[i] &= (uint8_t)~SHOW_QUANTILES;
	}
	uint8_t lost = split_and_rate(pv, show, people, ended, n);
	if (!partition(pv, show, people, hide_sum, change, n, SHOW_MEAN))
		lost |= SHOW_MEAN;
	for (size_t i = 0; i < n; i++)
		g[i].show = show[i];
	free(show);
	free(people);
	free(ended);
	free(hide_sum);
	free(change);
	return lost;
}

void secondments_protect(const struct privacy *pv, struct secondment_result *r,
			 const struct secondment_result *prev)
{
	bool have_prev = prev != NULL;
	uint8_t lost = 0;
	lost |= protect_secondments(pv, r->years, r->nyears, have_prev ? prev->years : NULL,
				    have_prev ? prev->nyears : 0, have_prev);
	lost |= protect_secondments(pv, r->employers, r->nemployers,
				    have_prev ? prev->employers : NULL,
				    have_prev ? prev->nemployers : 0, have_prev);
	lost |= protect_secondments(pv, r->teams, r->nteams, have_prev ? prev->teams : NULL,
				    have_prev ? prev->nteams : 0, have_prev);
	struct secondment_group *all = &r->all;
	all->show = SHOW_SPLIT;
	if (privacy_group(pv, all->ended_people))
		all->show |= SHOW_RATE;
	if (privacy_group(pv, all->people) &&
	    (!have_prev || privacy_release(pv, all->people, prev->all.people)))
		all->show |= SHOW_MEAN;
	if (privacy_quantiles(pv, all->ended_people))
		all->show |= SHOW_QUANTILES;
	all->show &= (uint8_t)~lost;

	r->policy_show = privacy_group(pv, r->planned_people) ? SHOW_RATE : 0;
	r->planned_show = 0;
	if (privacy_group(pv, r->planned_people) &&
	    (!have_prev || privacy_release(pv, r->planned_people, prev->planned_people)))
		r->planned_show |= SHOW_MEAN;
	if (privacy_quantiles(pv, r->planned_people))
		r->planned_show |= SHOW_QUANTILES;
	r->planned.mean = privacy_round(r->planned_people, r->planned.mean);
	r->planned.sd = privacy_round(r->planned_people, r->planned.sd);
	r->planned.min = r->planned.max = 0; /* rule 4: never shown */
}

static uint8_t protect_interns(const struct privacy *pv, struct intern_group *g, size_t n)
{
	uint8_t *show = xmalloc(n * sizeof(*show));
	uint64_t *people = xmalloc(n * sizeof(*people));
	uint64_t *ended = xmalloc(n * sizeof(*ended));
	for (size_t i = 0; i < n; i++) {
		show[i] = SHOW_SPLIT | SHOW_RATE;
		people[i] = g[i].people;
		ended[i] = g[i].ended;
	}
	uint8_t lost = split_and_rate(pv, show, people, ended, n);
	for (size_t i = 0; i < n; i++)
		g[i].show = show[i];
	free(show);
	free(people);
	free(ended);
	return lost;
}

void interns_protect(const struct privacy *pv, struct intern_result *r)
{
	uint8_t lost = protect_interns(pv, r->cohorts, r->ncohorts);
	lost |= protect_interns(pv, r->routes, r->nroutes);
	r->all.show = SHOW_SPLIT;
	if (privacy_group(pv, r->all.ended))
		r->all.show |= SHOW_RATE;
	r->all.show &= (uint8_t)~lost;
	const struct intern_careers *c = &r->careers;
	r->careers.km_shown = privacy_km(pv, c->found, c->promoted);
}
