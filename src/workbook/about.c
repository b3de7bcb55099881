/* about.c - the About sheet: what made this workbook, from what, and the
 * definitions behind its figures. */
#include <stdio.h>
#include <time.h>

#include "ingest/schema.h"
#include "metrics/privacy.h"
#include "workbook/book.h"
#include "workbook/report.h"

/* The terms between "Window" and the data quality sheet's (written in
 * write_about_sheet: they name it). */
static const char *const definitions[][2] = {
	{"Contiguous roles", "Two role rows of an employee are contiguous when the next starts "
			     "no later than the day after the previous ends (end dates are the "
			     "last day in the role)."},
	{"Overlapping roles", "When an employee's role rows overlap, the earlier is cut to end "
			      "the day before the later starts (a warning). A next role starting "
			      "on the previous end date is not an overlap."},
	{"Level spell", "A maximal run of contiguous role rows with the same track and level. "
			"A lateral transfer at the same level does not restart it."},
	{"Promotion matching", "A promotion is matched to the level spell held on the day "
			       "before its effective date; a spell is matched by at most one "
			       "promotion."},
	{"Employment", "Employment ends at the end of the employee's last role row. Headcount "
		       "on a day counts each employee holding a role that day once, in the track "
		       "of that role."},
	{"Time in months", "Times are counted in days and shown in months: days / 30.4375, one "
			   "decimal."},
	{"Promoted spell", "A level spell matched by a promotion whose effective date d falls on "
			   "or before the as-of date; its time is d minus the spell's start."},
	{"Observed time to promotion", "Over promotions dated in the window that matched a "
				       "spell: count, mean, standard deviation (n-1), median, "
				       "25th and 75th percentiles (GSL, linear interpolation), "
				       "minimum and maximum. It ignores everyone still waiting "
				       "or who left, so it understates the wait."},
	{"Kaplan-Meier time to promotion", "Every level spell overlapping the window, with "
					   "delayed entry: entry = max(0, window start - spell "
					   "start); exit = d - spell start for a promotion in the "
					   "window (an event), else min(spell end, as-of) - spell "
					   "start (censored: still waiting, left, moved sideways or "
					   "down, or promoted after the as-of date). A spell with "
					   "exit <= entry takes no part; a spell is at risk at t "
					   "when entry < t <= exit; events come before censorings "
					   "at equal times. S(t) is the product over event times of "
					   "(1 - events / at risk); the median is the smallest t "
					   "with S(t) <= 0.5 (empty when never reached). Where S is exactly 0.5 over "
					   "an interval, R prints the midpoint to the next event "
					   "time instead."},
	{"Confidence limits", "95% pointwise band from Greenwood's variance, on the log(-log S) "
			      "scale unless --km-ci says log or plain. The median's limits "
			      "(Brookmeyer-Crowley): low = first t where the band's lower limit "
			      "is <= 0.5, high = first t where its upper limit is <= 0.5, empty "
			      "when not reached. These match R's survfit(Surv(entry, exit, event) "
			      "~ 1, conf.type = \"log-log\")."},
	{"Promoted within 1, 2, 3 years (KM)", "How many would be promoted within 12, 24 and 36 "
					       "months if nobody left or moved: 1 - S at 365.25, "
					       "730.5 and 1095.75 days. It overstates the share "
					       "actually promoted; see Outcome of a spell."},
	{"Department of a spell", "The department of the spell's last role row."},
	{"Log-rank test", "Across departments with at least the minimum group size and someone "
			  "at risk at a promotion time: the log-rank test of R's survdiff, with "
			  "the same delayed-entry risk sets as the Kaplan-Meier estimate; "
			  "chi-square on (departments - 1) degrees of freedom, p from GSL's "
			  "chi-square distribution."},
	{"Outcome of a spell", "How time in a level ends. Promoted: a promotion in the window. "
			       "Moved: the spell ends before the as-of date without a promotion "
			       "and the employee's next role row is contiguous with it (a track "
			       "switch, a level change with no promotion row). Left: it ends "
			       "before the as-of date and no contiguous row follows. Still in "
			       "level: censored at the as-of date (also when promoted after it). "
			       "Moved and left end at min(spell end, as-of) - spell start."},
	{"Promoted, moved, left by 12, 24, 36 months", "The share of people in a level who were "
						      "promoted (or moved, or left) by then, "
						      "counting leaving and moving as competing "
						      "outcomes: the Aalen-Johansen cumulative "
						      "incidence with delayed entry, F_k(t) = sum over "
						      "outcome times u <= t of S(u-) x d_k(u) / n(u), "
						      "where S is the Kaplan-Meier estimate of staying "
						      "in level with any outcome as the event. The three "
						      "and the share still in level add up to 1. They "
						      "match R's survfit(Surv(entry, exit, outcome) ~ 1) "
						      "(pstate)."},
	{"Calendar years (period analysis)", "Each year's figures count only the time spent in a "
					     "level during that year. Every spell is split at the "
					     "year boundaries: the episode of year Y has entry_Y = "
					     "max(entry, 1 Jan Y - spell start), exit_Y = min(exit, "
					     "1 Jan (Y+1) - spell start); it is a promotion when the "
					     "spell ends in one with exit <= 1 Jan (Y+1) - spell "
					     "start, and takes part when exit_Y > entry_Y. A "
					     "promotion effective 1 January counts in the year "
					     "before, the year of the last day in the old level. "
					     "The Kaplan-Meier median and 'promoted within' of a "
					     "year come from that year's episodes alone. A partial "
					     "year is one the window covers only in part."},
	{"Trend (hazard ratio per year)", "Is promotion coming sooner or later, for people at "
					  "the same level and the same time in it? A Cox "
					  "proportional-hazards model of the year episodes with "
					  "the calendar year (Y - the window's first year) as "
					  "covariate, stratified by track x level so that a "
					  "changing level mix is not read as a trend; Breslow "
					  "ties, Newton-Raphson on the partial likelihood, "
					  "delayed entry. A hazard ratio above 1 means the "
					  "monthly chance of promotion rises each year (sooner). "
					  "95% Wald interval and two-sided Wald p-value (GSL's "
					  "normal distribution). The reading says sooner or later "
					  "only when p < 0.05. Matches R's coxph(Surv(entry_Y, "
					  "exit_Y, event_Y) ~ year + strata(track_level), ties = "
					  "\"breslow\")."},
	{"Leaving (attrition)", "An employment is a maximal run of an employee's contiguous role "
				"rows; it ends on the last row's end date, and the employee leaves "
				"on that date when it is before the as-of date. A leaver's track "
				"and department are those of the last role row. Per calendar year "
				"of the window: leavers in the year; headcount on its first day (1 "
				"January, or the window start) and last day (31 December, or the "
				"as-of date); average headcount = the mean of the two; attrition "
				"rate = leavers / average headcount; annualised = rate x days in "
				"the calendar year / days covered (the rate itself for a whole "
				"year). Last 12 months: leavers after the date one year before the "
				"as-of date and before the as-of date, over the mean of the "
				"headcounts on those two days."},
	{"Retention", "How long people stay: the Kaplan-Meier estimate of the time from an "
		      "employment's start to leaving, with delayed entry: entry = max(0, window "
		      "start - start); exit = end - start when it ends before the as-of date "
		      "(the event), else as-of - start (still employed). Retained at 12, 24, 36 "
		      "months = S at 365.25, 730.5, 1095.75 days; median tenure with its "
		      "log-log limits as for time to promotion."},
	{"Two promotions, one spell", "When two promotions match one level spell, the one "
				      "dated the day after the spell ends counts (roles.csv "
				      "shows it), else the earliest; the other is a warning."},
};

struct lines {
	struct sheet *s;
	uint32_t row;
};

static void pair(struct lines *l, const char *k, const char *v)
{
	sheet_text(l->s, l->row, 0, k, NULL);
	sheet_text(l->s, l->row, 1, v, NULL);
	l->row++;
}

/* A term and its explanation, wrapped, the row as tall as the text. */
static void explained(struct lines *l, const char *term, const char *text)
{
	sheet_text_wrap(l->s, l->row, 0, term);
	sheet_text_wrap(l->s, l->row, 1, text);
	l->row++;
}

static void heading(struct lines *l, const char *text)
{
	l->row++;
	sheet_heading(l->s, l->row++, text);
}

void write_about_sheet(struct book *b, const struct report *r)
{
	struct sheet s;
	if (!sheet_add(&s, b, report_sheet_name(SHEET_ABOUT), "About this workbook", NULL))
		return;
	struct lines l = {&s, 2};
	char buf[128], day[11], text[1024];
	const char *dq = report_sheet_name(SHEET_DATA_QUALITY);

	heading(&l, "Run");
	pair(&l, "Tool", "workforce-report");
	pair(&l, "Version", r->version);
	struct tm tm;
	time_t t = r->generated;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
	pair(&l, "Generated", buf);
	date_format_iso(r->as_of, day);
	pair(&l, "As-of date", day);
	char window[32];
	date_format_iso(r->since, window);
	snprintf(buf, sizeof(buf), "%s to %s", window, day);
	pair(&l, "Window", buf);
	snprintf(buf, sizeof(buf), "%d", r->min_group);
	pair(&l, "Minimum group size", buf);
	pair(&l, "Kaplan-Meier band", km_ci_name(r->km_ci));

	heading(&l, "Options in force");
	for (size_t i = 0; i < r->noptions; i++)
		pair(&l, r->options[i].name, r->options[i].value);

	heading(&l, "Input files");
	/* sizes left in the wide column B, beside their file */
	lxw_format *size = book_format(b);
	if (size) {
		format_set_num_format(size, "#,##0");
		format_set_align(size, LXW_ALIGN_LEFT);
		format_set_align(size, LXW_ALIGN_VERTICAL_TOP);
	}
	sheet_text(&s, l.row, 0, "File", b->bold);
	sheet_text(&s, l.row, 1, "Size (bytes)", b->bold);
	sheet_text(&s, l.row, 2, "Rows read", b->bold);
	l.row++;
	for (int f = 0; f < WR_FILE_COUNT; f++) {
		const struct input_file *in = &r->ds->files[f];
		sheet_text(&s, l.row, 0, schema_file((enum wr_file)f)->name, NULL);
		if (in->present) {
			sheet_put_number(&s, l.row, 1, (double)in->size, size);
			sheet_number(&s, l.row, 2, (double)r->ds->dq.files[f].read, CELL_INT);
		} else {
			sheet_text(&s, l.row, 1, "not provided", NULL);
		}
		l.row++;
	}

	heading(&l, "Definitions");
	snprintf(text, sizeof(text),
		 "The analysis covers the days from the window start to the as-of date, both "
		 "included. Rows dated after the as-of date are kept, counted as future-dated on "
		 "the %s sheet, and left out of the analyses.",
		 dq);
	explained(&l, "Window", text);
	for (size_t i = 0; i < sizeof(definitions) / sizeof(definitions[0]); i++)
		explained(&l, definitions[i][0], definitions[i][1]);
	snprintf(text, sizeof(text),
		 "The %s sheet counts the problems found by file, severity, kind of problem and "
		 "column, with up to five line numbers of the input file as pointers: no ids, "
		 "titles, dates or values from rows about people. Every problem in full (line, "
		 "column, value and a message that may name people) is in the file beside the "
		 "workbook named like it with .issues.csv for .xlsx, for the HRIS owner; it is "
		 "written only when there is a problem. With --dq-detail the sheet also lists "
		 "them (tbl_dq_issues) and the workbook then holds person-level data.",
		 dq);
	explained(&l, dq, text);
	heading(&l, "Privacy");
	for (size_t i = 0; i < privacy_policy_lines; i++)
		explained(&l, privacy_policy_text[i][0], privacy_policy_text[i][1]);
	sheet_fix_width(&s, 0, 30);
	sheet_min_width(&s, 2, 10);
	sheet_fix_width(&s, 1, 90);
	sheet_finish(&s);
}
