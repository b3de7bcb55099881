/* report.c - see report.h. */
#include "workbook/report.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "metrics/privacy.h"
#include "workbook/book.h"

/* Every sheet: its name and its writer, in the workbook's order. */
static const struct {
	const char *name;
	void (*write)(struct book *b, const struct report *r);
} sheets[] = {
	[SHEET_SUMMARY] = {"Summary", write_summary_sheet},
	[SHEET_TTP] = {"Time to Promotion", write_ttp_sheet},
	[SHEET_SPLIT] = {"IC vs Management", write_split_sheet},
	[SHEET_PROMOTIONS] = {"Promotions", write_promotions_sheet},
	[SHEET_TRANSFERS] = {"Transfers", write_transfers_sheet},
	[SHEET_RETENTION] = {"Retention", write_retention_sheet},
	[SHEET_SECONDMENTS] = {"Secondments", write_secondments_sheet},
	[SHEET_INTERNS] = {"Interns", write_interns_sheet},
	[SHEET_DATA_QUALITY] = {"Data Quality", write_data_quality_sheet},
	[SHEET_ABOUT] = {"About", write_about_sheet},
};
static_assert(sizeof(sheets) / sizeof(sheets[0]) == SHEET_COUNT, "a row for every sheet");

const char *report_sheet_name(enum report_sheet sheet)
{
	return sheets[sheet].name;
}

void report_stat(struct sheet *s, const struct report *r, uint32_t row, uint16_t col, double v,
		 double people, enum cell_kind kind)
{
	const struct privacy pv = {r->min_group};
	if (people > 0 && people < 1)
		sheet_stat_words(s, row, col, "under 1 person");
	else
		sheet_stat(s, row, col, v, kind,
			   people <= 0 || privacy_group(&pv, (uint64_t)floor(people)),
			   r->min_group);
}

void report_rate(struct sheet *s, const struct report *r, uint32_t row, uint16_t col,
		 double num, double den, enum cell_kind kind)
{
	report_stat(s, r, row, col, den > 0 ? num / den : NAN, den, kind);
}

void report_level_cells(struct sheet *s, const struct report *r, uint32_t row, uint16_t col,
			uint8_t track, uint8_t level)
{
	char name[64];
	sheet_text(s, row, col, track_name((enum wr_track)track), NULL);
	sheet_number(s, row, col + 1, level, CELL_INT);
	sheet_text(s, row, col + 2, report_level_name(r, track, level, name, sizeof(name)), NULL);
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

/* Year labels for a chart over mo's quarters, whose table's header row is
 * first: their column, or 0 (the Quarter column itself) for 8 quarters or
 * fewer. */
static uint16_t quarter_labels(struct sheet *s, const struct mobility_result *mo, uint32_t first)
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

/* The last table row a chart of mo's quarters shows, the table's last row
 * being last. */
static uint32_t chart_last(const struct mobility_result *mo, uint32_t last)
{
	if (mo->nquarters < 2)
		return last;
	const struct period *q = &mo->quarters[mo->nquarters - 1].period;
	return period_days(q) < PERIOD_MIN_CHART_DAYS ? last - 1 : last;
}

uint32_t report_quarter_chart(struct sheet *s, const struct mobility_result *mo,
			      const struct chart_spec *spec, uint32_t first, uint32_t last,
			      uint16_t ncols)
{
	struct chart_spec c = *spec;
	c.categories = quarter_labels(s, mo, first);
	c.x_title = c.categories ? "Quarter (labelled at each year's first)" : "Quarter";
	c.header = first;
	c.last = chart_last(mo, last);
	return sheet_table_chart(s, &c, first, last, ncols);
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
	for (size_t i = 0; i < SHEET_COUNT; i++)
		sheets[i].write(&b, r);
	return book_close(&b, err);
}
