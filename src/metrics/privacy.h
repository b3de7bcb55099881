/* privacy.h - every decision about what the workbook may show of small
 * groups, in one place. The analyses in src/metrics call these and record
 * the outcome in their result structs (a `show` mask per row); the sheet
 * writers only format what was decided. Pure functions over counts.
 *
 * The policy, with g = --min-group (written the same way on the About
 * sheet, privacy_policy_text, and in the README):
 *  1. Counts of people and events (headcount, promotions, leavers,
 *     secondments, interns) are public.
 *  2. A statistic over a group needs at least g distinct people behind it.
 *  3. Sums and means of individual values (months to promotion, merged
 *     MRs, durations) need g people and are rounded: to whole units below
 *     20 people, to 0.1 from 20. A standard deviation goes with its mean.
 *  4. No minimum or maximum of individual values. P25, median and P75 need
 *     2g people (with fewer, each is one or two people's values).
 *  5. Kaplan-Meier, Aalen-Johansen and Cox figures need g people and g
 *     people with an event.
 *  6. Histogram bins of 1 to g-1 are merged with a neighbour.
 *  7. A table whose rows split a population shown pooled elsewhere hides
 *     at least two rows when it hides any, chosen among rows with people,
 *     until the hidden rows hold g people together; when that cannot be
 *     done the pooled figure is hidden too. Subtraction then only ever
 *     yields a figure over g people or more.
 *  8. Between quarterly releases: the previous quarter's report is worked
 *     out from the same history; a cell it hid stays hidden, and a mean or
 *     sum whose group gained or lost 1 to g-1 people since then is hidden
 *     (differencing the two releases would give those people's values).
 *  9. A group of fewer than g people shows its total and hides its split by
 *     outcome.
 * 10. A level's name is the one levels.csv gives, else a title at least g
 *     people hold on the as-of date, else a neutral name ("IC L5").
 */
#ifndef WR_PRIVACY_H
#define WR_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a row may show, beyond its counts (rule 1). */
enum privacy_show {
	SHOW_MEAN = 1u << 0,      /* means, sums of individual values, SD (rule 3) */
	SHOW_QUANTILES = 1u << 1, /* P25, median, P75 (rule 4) */
	SHOW_KM = 1u << 2,        /* survival-type figures (rule 5) */
	SHOW_RATE = 1u << 3,      /* rates and shares over the group (rule 2) */
	SHOW_SPLIT = 1u << 4,     /* the split by outcome (rule 9) */
};

struct privacy {
	int min_group;            /* g */
};

/* Rule 2: a statistic over this many distinct people. */
bool privacy_group(const struct privacy *p, uint64_t people);
/* Rule 4: quantiles over this many people. */
bool privacy_quantiles(const struct privacy *p, uint64_t people);
/* Rule 5. */
bool privacy_km(const struct privacy *p, uint64_t people, uint64_t event_people);
/* Rule 3: a mean (or sum) of individual values over people, rounded. */
double privacy_round(uint64_t people, double v);
/* Rule 8: may a mean or sum whose group had `before` people in the
 * previous quarter's report and has `now` people now be shown? */
bool privacy_release(const struct privacy *p, uint64_t now, uint64_t before);

/* Rule 7 over one partition: rows[i].people are the distinct people behind
 * row i, rows[i].hidden says whether its statistic is hidden (in: by the
 * other rules; out: with the complement). rows[i].change is how many people
 * the row gained or lost since the previous release (0 without one): the
 * hidden rows together must not have changed by 1 to g-1 either, or
 * differencing the pooled figure across two releases would give those
 * people's values (rule 8). Returns false when the pooled figure must be
 * hidden too. */
struct privacy_row {
	uint64_t people;
	bool hidden;
	uint64_t change;
};
bool privacy_complement(const struct privacy *p, struct privacy_row *rows, size_t n);

/* Rule 6: counts[0..n) are bins in order. A bin of 1 to g-1 is merged
 * with the bins after it (at the end: with the runs before it) until the
 * run holds 0 or at least g. Writes run k's first bin to run_first[k] and its
 * count to run_count[k] (room for n each); returns the number of runs. */
size_t privacy_merge_bins(const struct privacy *p, const uint64_t *counts, size_t n,
			  size_t *run_first, uint64_t *run_count);

/* The policy in plain words, for the About sheet. */
extern const char *const privacy_policy_text[][2];
extern const size_t privacy_policy_lines;

#endif
