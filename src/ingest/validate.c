/* validate.c - see validate.h. */
#include "ingest/validate.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

void header_normalize(const char *s, size_t len, char *out, size_t outsize)
{
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	size_t o = 0;
	for (size_t i = 0; i < len && o + 1 < outsize; i++) {
		char c = s[i];
		if (c == ' ' || c == '-' || c == '_')
			c = '_';
		else if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		out[o++] = c;
	}
	out[o] = '\0';
}

enum wr_error header_map_build(const struct file_spec *spec, const struct csv_field *fields,
			       size_t n, struct header_map *map, struct dq_log *log,
			       struct wr_errmsg *err)
{
	for (size_t c = 0; c < SCHEMA_MAX_COLS; c++)
		map->field[c] = -1;
	map->nfields = n;
	for (size_t i = 0; i < n; i++) {
		char name[128];
		header_normalize(fields[i].data, fields[i].len, name, sizeof(name));
		/* a NUL or invalid UTF-8 makes a name no known column matches */
		bool clean = fields[i].len < sizeof(name) &&
			     utf8_check(fields[i].data, fields[i].len) == fields[i].len;
		int c = clean ? schema_col(spec, name) : -1;
		if (c < 0) {
			dq_add(log, spec->id, 1, NULL, DQ_UNKNOWN_COLUMN, fields[i].data,
			       fields[i].len, "unknown column %zu, ignored", i + 1);
			continue;
		}
		if (map->field[c] >= 0)
			return dq_fail(err, WR_ERR_DATA, DQ_DUPLICATE_COLUMN,
				       "%s:1: column '%s' appears twice (columns %d and %zu)",
				       spec->name, spec->cols[c].name, map->field[c] + 1, i + 1);
		map->field[c] = (int)i;
	}
	for (size_t c = 0; c < spec->ncols; c++)
		if (map->field[c] < 0 && spec->cols[c].need != COL_OPTIONAL)
			return dq_fail(err, WR_ERR_DATA, DQ_MISSING_COLUMN,
				       "%s:1: missing required column '%s'", spec->name,
				       spec->cols[c].name);
	return WR_OK;
}

/* Parse a whole field as a decimal integer in [lo, hi]: digits only. */
static bool parse_int(const char *s, size_t len, int lo, int hi, int *out)
{
	if (len == 0 || len > 9)
		return false;
	int v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (len > 1 && s[0] == '0')
		return false;
	if (v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static const char *format_hint(enum wr_date_format fmt)
{
	switch (fmt) {
	case WR_DATE_MDY: return "MM/DD/YYYY";
	case WR_DATE_DMY: return "DD/MM/YYYY";
	default: return "YYYY-MM-DD";
	}
}

/* "unknown track: expected IC or Management" */
static void unknown_name(const char *what, const struct name_value *names, char *why,
			 size_t whysize)
{
	char choices[128];
	names_choices(names, choices, sizeof(choices));
	snprintf(why, whysize, "unknown %s: expected %s", what, choices);
}

/* Parse one non-empty value. Returns true when good; else false with the
 * kind of problem in *kind and the message in why. */
static bool parse_value(const struct col_spec *col, const struct csv_field *f,
			enum wr_date_format fmt, struct row_values *out, size_t c, char *why,
			size_t whysize, enum dq_kind *kind)
{
	const char *s = f->data;
	size_t len = f->len;

	switch (col->type) {
	case COL_ID:
	case COL_NAME: /* at most as long as an id, free text otherwise */
		if (len > MAX_ID_BYTES) {
			bool id = col->type == COL_ID;
			snprintf(why, whysize, "%s longer than %d bytes", id ? "identifier" : "name",
				 MAX_ID_BYTES);
			*kind = id ? DQ_ID_TOO_LONG : DQ_NAME_TOO_LONG;
			return false;
		}
		/* fall through */
	case COL_TEXT:
		out->text[c] = (struct text_value){s, len};
		return true;
	case COL_DATE:
		if (date_parse(s, len, fmt, &out->date[c]))
			return true;
		snprintf(why, whysize, "invalid date: expected %s, a day that exists, year %d-%d",
			 format_hint(fmt), WR_YEAR_MIN, WR_YEAR_MAX);
		*kind = DQ_BAD_DATE;
		return false;
	case COL_LEVEL:
		if (parse_int(s, len, LEVEL_MIN, LEVEL_MAX, &out->num[c]))
			return true;
		snprintf(why, whysize, "level must be a whole number from %d to %d", LEVEL_MIN,
			 LEVEL_MAX);
		*kind = DQ_BAD_LEVEL;
		return false;
	case COL_COUNT:
		if (parse_int(s, len, 0, 100000000, &out->num[c]))
			return true;
		snprintf(why, whysize, "must be a whole number of at least 0");
		*kind = DQ_BAD_COUNT;
		return false;
	case COL_TRACK: {
		enum wr_track t;
		if (track_from_name(s, len, &t)) {
			out->num[c] = t;
			return true;
		}
		unknown_name("track", track_names, why, whysize);
		*kind = DQ_BAD_TRACK;
		return false;
	}
	case COL_OUTCOME: {
		enum wr_outcome o;
		if (outcome_from_name(s, len, &o)) {
			out->num[c] = o;
			return true;
		}
		unknown_name("outcome", outcome_names, why, whysize);
		*kind = DQ_BAD_OUTCOME;
		return false;
	}
	case COL_ROUTE: {
		enum wr_route r;
		if (route_from_name(s, len, &r)) {
			out->num[c] = r;
			return true;
		}
		unknown_name("route", route_names, why, whysize);
		*kind = DQ_BAD_ROUTE;
		return false;
	}
	default:
		snprintf(why, whysize, "unsupported column type");
		*kind = DQ_BAD_COLUMN_TYPE;
		return false;
	}
}

static bool blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

static bool check_value(const struct file_spec *spec, size_t c, const struct csv_field *f,
			unsigned long line, enum wr_date_format fmt, struct row_values *out,
			struct dq_log *log)
{
	const struct col_spec *col = &spec->cols[c];
	char why[160];
	enum dq_kind kind;
	size_t bad;

	if (f->too_long) {
		snprintf(why, sizeof(why), "value longer than %d bytes", CSV_MAX_FIELD);
		kind = DQ_VALUE_TOO_LONG;
	} else if ((bad = utf8_check(f->data, f->len)) < f->len) {
		kind = f->data[bad] == '\0' ? DQ_NUL_BYTE : DQ_BAD_UTF8;
		snprintf(why, sizeof(why), "%s at byte %zu of the value", dq_kind_key(kind), bad + 1);
	} else if (blank(f->data, f->len)) {
		if (col->need != COL_REQUIRED)
			return true; /* empty optional value: not set */
		kind = DQ_MISSING_VALUE;
		snprintf(why, sizeof(why), "%s", dq_kind_key(kind));
	} else if (parse_value(col, f, fmt, out, c, why, sizeof(why), &kind)) {
		out->set[c] = true;
		return true;
	} else if (kind == DQ_BAD_DATE) {
		dq_count_bad_date(&log->files[spec->id], f->data, f->len, fmt);
	}
	dq_add(log, spec->id, line, col->name, kind, f->data, f->len, "%s", why);
	return false;
}

static bool check_row(const struct file_spec *spec, const struct row_check *chk,
		      unsigned long line, const struct row_values *v, struct dq_log *log)
{
	if (!v->set[chk->a] || !v->set[chk->b])
		return true;
	const char *an = spec->cols[chk->a].name, *bn = spec->cols[chk->b].name;
	char text[32];
	switch (chk->kind) {
	case CHECK_NOT_BEFORE:
		if (v->date[chk->b] >= v->date[chk->a])
			return true;
		date_format_iso(v->date[chk->b], text);
		dq_add(log, spec->id, line, bn, DQ_DATE_ORDER, text, strlen(text), "%s is before %s",
		       bn, an);
		return false;
	case CHECK_ABOVE:
		if (v->num[chk->b] > v->num[chk->a])
			return true;
		snprintf(text, sizeof(text), "%d", v->num[chk->b]);
		dq_add(log, spec->id, line, bn, DQ_LEVEL_NOT_ABOVE, text, strlen(text),
		       "%s is not above %s (%d)", bn, an, v->num[chk->a]);
		return false;
	default:
		return true;
	}
}

bool validate_row(const struct file_spec *spec, const struct header_map *map,
		  const struct csv_field *fields, size_t n, unsigned long line,
		  enum wr_date_format fmt, struct row_values *out, struct dq_log *log)
{
	memset(out->set, 0, sizeof(out->set));
	if (n != map->nfields) {
		char text[64];
		snprintf(text, sizeof(text), "%zu fields", n);
		dq_add(log, spec->id, line, NULL, DQ_FIELD_COUNT, text, strlen(text),
		       "row has %zu fields, the header has %zu", n, map->nfields);
		return false;
	}
	bool ok = true;
	for (size_t c = 0; c < spec->ncols; c++) {
		if (map->field[c] < 0)
			continue;
		if (!check_value(spec, c, &fields[map->field[c]], line, fmt, out, log))
			ok = false;
	}
	for (size_t k = 0; ok && k < MAX_CHECKS; k++)
		if (spec->checks[k].kind != CHECK_NONE && !check_row(spec, &spec->checks[k], line, out, log))
			ok = false;
	return ok;
}
