/* privacy.c - see privacy.h. */
#include "metrics/privacy.h"

#include <math.h>

/* Rule 3's threshold for one decimal. */
#define PRIVACY_DECIMAL_PEOPLE 20

bool privacy_group(const struct privacy *p, uint64_t people)
{
	return people > 0 && people >= (uint64_t)p->min_group;
}

bool privacy_quantiles(const struct privacy *p, uint64_t people)
{
	return people > 0 && people >= 2 * (uint64_t)p->min_group;
}

bool privacy_km(const struct privacy *p, uint64_t people, uint64_t event_people)
{
	return privacy_group(p, people) && privacy_group(p, event_people);
}

double privacy_round(uint64_t people, double v)
{
	if (!isfinite(v))
		return v;
	return people < PRIVACY_DECIMAL_PEOPLE ? round(v) : round(v * 10.0) / 10.0;
}

bool privacy_release(const struct privacy *p, uint64_t now, uint64_t before)
{
	uint64_t d = now > before ? now - before : before - now;
	return d == 0 || d >= (uint64_t)p->min_group;
}

/* The visible row with people (and, when want_change, a change since the
 * previous release) that has the fewest people; n when there is none. */
static size_t smallest_visible(const struct privacy_row *rows, size_t n, bool want_change)
{
	size_t pick = n;
	for (size_t i = 0; i < n; i++)
		if (!rows[i].hidden && rows[i].people > 0 && (!want_change || rows[i].change > 0) &&
		    (pick == n || rows[i].people < rows[pick].people))
			pick = i;
	return pick;
}

bool privacy_complement(const struct privacy *p, struct privacy_row *rows, size_t n)
{
	uint64_t g = (uint64_t)p->min_group;
	size_t hidden = 0;
	uint64_t people = 0, change = 0;
	for (size_t i = 0; i < n; i++)
		if (rows[i].hidden && rows[i].people > 0) {
			hidden++;
			people += rows[i].people;
			change += rows[i].change;
		}
	if (hidden == 0)
		return true;
	for (;;) {
		bool few = hidden < 2 || people < g;
		bool changed = change > 0 && change < g;
		if (!few && !changed)
			return true;
		size_t pick = smallest_visible(rows, n, changed);
		if (pick == n)
			return false; /* nothing left to hide: the pooled figure goes */
		rows[pick].hidden = true;
		hidden++;
		people += rows[pick].people;
		change += rows[pick].change;
	}
}

size_t privacy_merge_bins(const struct privacy *p, const uint64_t *counts, size_t n,
			  size_t *run_first, uint64_t *run_count)
{
	uint64_t g = (uint64_t)p->min_group;
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		run_first[k] = i;
		run_count[k] = counts[i++];
		while (run_count[k] > 0 && run_count[k] < g && i < n)
			run_count[k] += counts[i++];
		k++;
	}
	/* a short run at the end joins the runs before it (empty ones too)
	 * until it holds g */
	while (k > 1 && run_count[k - 1] > 0 && run_count[k - 1] < g) {
		run_count[k - 2] += run_count[k - 1];
		k--;
	}
	return k;
}

const char *const privacy_policy_text[][2] = {
	{"Counts", "Counts of people and events (headcount, promotions, leavers, secondments, "
		   "interns) are shown as they are."},
	{"Small groups", "A statistic over a group is shown only when at least the minimum "
			 "group size of distinct people are behind it; otherwise the cell says "
			 "'suppressed'."},
	{"Means and sums", "Means and sums of individual values (months to promotion, merged "
			   "merge requests) also need that many people, and are rounded: to "
			   "whole units below 20 people, to one decimal from 20. A standard "
			   "deviation is shown only with its mean."},
	{"Order statistics", "No minimum or maximum of individual values is shown. The 25th "
			     "percentile, median and 75th percentile need twice the minimum "
			     "group size."},
	{"Survival figures", "Kaplan-Meier, cumulative incidence and hazard-ratio figures need "
			     "the minimum group size of people and of people with an event "
			     "(promoted, left, an outcome)."},
	{"Histograms", "A bin holding fewer people than the minimum group size is merged with "
		       "its neighbour."},
	{"No subtraction", "When a table whose rows split a group shown in total elsewhere "
			   "hides a row, it hides at least one more, among rows with people, "
			   "until the hidden rows hold the minimum group size together; if it "
			   "cannot, the total is hidden too. Subtracting visible rows from a total "
			   "then only ever gives a figure over enough people."},
	{"Quarterly releases", "The previous quarter's report is worked out from the same "
			       "history. A figure it hid stays hidden, and a mean or sum whose "
			       "group gained or lost between 1 and the minimum group size less "
			       "one people since then is hidden, so that comparing two "
			       "quarterly workbooks reveals nothing about the newcomers."},
	{"Outcome splits", "A group smaller than the minimum group size shows its total and "
			   "hides its split by outcome (hired, declined, no offer; completed, "
			   "extended, ended early; returned, stayed)."},
	{"Level names", "A level is named by levels.csv where it is given (a table of the "
			"company's levels, not about anyone); otherwise by a job title that at "
			"least the minimum group size of people hold on the as-of date; "
			"otherwise by track and level (IC L5)."},
	{"Data Quality", "The Data Quality sheet shows counts of problems by file and column "
			 "with pointers to line numbers, never ids, names, titles or values."},
};
const size_t privacy_policy_lines = sizeof(privacy_policy_text) / sizeof(privacy_policy_text[0]);
