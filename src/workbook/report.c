/* report.c - see report.h. */
#include "workbook/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "metrics/privacy.h"
#include "workbook/book.h"

const char *const report_sheet_names[] = {
	"Summary",   "Time to Promotion", "IC vs Management", "Promotions", "Transfers",
	"Retention", "Secondments",       "Interns",          "Data Quality", "About"};
const size_t report_nsheets = sizeof(report_sheet_names) / sizeof(report_sheet_names[0]);

void report_rate(struct sheet *s, const struct report *r, uint32_t row, uint16_t col,
		 double num, double den, enum cell_kind kind)
{
	const struct privacy pv = {r->min_group};
	sheet_stat(s, row, col, den > 0 ? num / den : NAN, kind,
		   den <= 0 || privacy_group(&pv, (uint64_t)floor(den)), r->min_group);
}

const char *report_level_name(const struct report *r, uint8_t track, uint8_t level, char *buf,
			      size_t size)
{
	/* levels.csv's name first: a table of the company's levels, not person
	 * data, so always shown; else a title the privacy rule allows */
	uint32_t name = ds_level_name(r->ds, track, level);
	if (name == STRTAB_NONE && r->split)
		name = r->split->level_title[track & 1][level & 15];
	if (name == STRTAB_NONE) {
		snprintf(buf, size, "%s L%d", track_name((enum wr_track)track), level);
		return buf;
	}
	/* a name (up to 256 bytes) or title (up to 4,096) longer than buf is
	 * given whole from the dataset, never cut inside a UTF-8 character */
	const char *text = ds_str(r->ds, name);
	if (strlen(text) >= size)
		return text;
	snprintf(buf, size, "%s", text);
	return buf;
}

uint16_t report_quarter_labels(struct sheet *s, const struct mobility_result *mo, uint32_t first)
{
	if (mo->nquarters <= 8)
		return 0;
	int *years = xcalloc(mo->nquarters, sizeof(*years));
	for (size_t i = 0; i < mo->nquarters; i++)
		years[i] = mo->quarters[i].period.year;
	uint16_t col = sheet_year_labels(s, first + 1, years, mo->nquarters);
	free(years);
	return col;
}

uint32_t report_chart_last(const struct mobility_result *mo, uint32_t last)
{
	if (mo->nquarters < 2)
		return last;
	const struct period *q = &mo->quarters[mo->nquarters - 1].period;
	return period_days(q) < PERIOD_MIN_CHART_DAYS ? last - 1 : last;
}

void report_period_cells(struct sheet *s, uint32_t row, uint16_t col, const struct period *p)
{
	char label[32];
	period_label(p, label, sizeof(label));
	sheet_text(s, row, col, label, NULL);
	sheet_date(s, row, col + 1, p->first);
	sheet_date(s, row, col + 2, p->last);
}

enum wr_error write_report(const struct report *r, const char *path, struct wr_errmsg *err)
{
	struct book b;
	enum wr_error e = book_open(&b, path, r->generated, "Workforce report", err);
	if (e)
		return e;
	if (r->kpi && r->kpi->data_through != WR_DATE_NONE) {
		char day[11];
		date_format_iso(r->kpi->data_through, day);
		snprintf(b.stamp, sizeof(b.stamp), "Data through %s.", day);
	}
	write_summary_sheet(&b, r);
	write_ttp_sheet(&b, r);
	write_split_sheet(&b, r);
	write_promotions_sheet(&b, r);
	write_transfers_sheet(&b, r);
	write_retention_sheet(&b, r);
	write_secondments_sheet(&b, r);
	write_interns_sheet(&b, r);
	write_data_quality_sheet(&b, r);
	write_about_sheet(&b, r);
	return book_close(&b, err);
}
