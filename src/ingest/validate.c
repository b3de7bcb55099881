/* validate.c - see validate.h. */
#include "ingest/validate.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/utf8.h"

const char *track_name(enum wr_track t)
{
	return t == TRACK_MANAGEMENT ? "Management" : "IC";
}

const char *outcome_name(enum wr_outcome o)
{
	switch (o) {
	case OUTCOME_HIRED: return "hired";
	case OUTCOME_DECLINED: return "offer_declined";
	case OUTCOME_NO_OFFER: return "no_offer";
	default: return "";
	}
}

const char *route_name(enum wr_route r)
{
	switch (r) {
	case ROUTE_APPLICATION: return "application";
	case ROUTE_MERGE_REQUESTS: return "merge_requests";
	default: return "";
	}
}

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
			dq_add(log, spec->id, 1, NULL, DQ_NOTE, "unknown column", fields[i].data,
			       fields[i].len, "unknown column %zu, ignored", i + 1);
			continue;
		}
		if (map->field[c] >= 0)
			return wr_fail(err, WR_ERR_DATA,
				       "%s:1: column '%s' appears twice (columns %d and %zu)",
				       spec->name, spec->cols[c].name, map->field[c] + 1, i + 1);
		map->field[c] = (int)i;
	}
	for (size_t c = 0; c < spec->ncols; c++)
		if (map->field[c] < 0 && spec->cols[c].need != COL_OPTIONAL)
			return wr_fail(err, WR_ERR_DATA, "%s:1: missing required column '%s'",
				       spec->name, spec->cols[c].name);
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

static bool equals_nocase(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

static const char *format_hint(enum wr_date_format fmt)
{
	switch (fmt) {
	case WR_DATE_MDY: return "MM/DD/YYYY";
	case WR_DATE_DMY: return "DD/MM/YYYY";
	default: return "YYYY-MM-DD";
	}
}

/* Parse one non-empty value. Returns NULL when good, else the reason; *key
 * is then the kind of problem, free of the value (the reason itself where
 * it holds none). */
static const char *parse_value(const struct col_spec *col, const struct csv_field *f,
			       enum wr_date_format fmt, struct row_values *out, size_t c,
			       char *why, size_t whysize, const char **key)
{
	const char *s = f->data;
	size_t len = f->len;
	const char *reason = NULL;

	*key = NULL;
	switch (col->type) {
	case COL_ID:
	case COL_NAME: /* at most as long as an id, free text otherwise */
		if (len > MAX_ID_BYTES) {
			bool id = col->type == COL_ID;
			snprintf(why, whysize, "%s longer than %d bytes", id ? "identifier" : "name",
				 MAX_ID_BYTES);
			*key = id ? "identifier too long" : "name too long";
			return why;
		}
		/* fall through */
	case COL_TEXT:
		out->text[c] = (struct text_value){s, len};
		return NULL;
	case COL_DATE:
		if (!date_parse(s, len, fmt, &out->date[c])) {
			snprintf(why, whysize,
				 "invalid date: expected %s, a day that exists, year %d-%d",
				 format_hint(fmt), WR_YEAR_MIN, WR_YEAR_MAX);
			*key = "invalid date";
			return why;
		}
		return NULL;
	case COL_LEVEL:
		if (!parse_int(s, len, 1, 12, &out->num[c]))
			reason = "level must be a whole number from 1 to 12";
		break;
	case COL_COUNT:
		if (!parse_int(s, len, 0, 100000000, &out->num[c]))
			reason = "must be a whole number of at least 0";
		break;
	case COL_TRACK:
		if (equals_nocase(s, len, "ic"))
			out->num[c] = TRACK_IC;
		else if (equals_nocase(s, len, "management"))
			out->num[c] = TRACK_MANAGEMENT;
		else
			reason = "unknown track: expected 'ic' or 'management'";
		break;
	case COL_OUTCOME:
		if (equals_nocase(s, len, "hired"))
			out->num[c] = OUTCOME_HIRED;
		else if (equals_nocase(s, len, "offer_declined"))
			out->num[c] = OUTCOME_DECLINED;
		else if (equals_nocase(s, len, "no_offer"))
			out->num[c] = OUTCOME_NO_OFFER;
		else
			reason = "unknown outcome: expected 'hired', 'offer_declined' or "
				 "'no_offer'";
		break;
	case COL_ROUTE:
		if (equals_nocase(s, len, "application"))
			out->num[c] = ROUTE_APPLICATION;
		else if (equals_nocase(s, len, "merge_requests"))
			out->num[c] = ROUTE_MERGE_REQUESTS;
		else
			reason = "unknown route: expected 'application' or 'merge_requests'";
		break;
	default:
		reason = "unsupported column type";
		break;
	}
	*key = reason; /* these reasons hold no value */
	return reason;
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
	const char *reason = NULL, *key = NULL;
	size_t bad;

	if (f->too_long) {
		snprintf(why, sizeof(why), "value longer than %d bytes", CSV_MAX_FIELD);
		reason = why;
		key = "value too long";
	} else if ((bad = utf8_check(f->data, f->len)) < f->len) {
		key = f->data[bad] == '\0' ? "NUL byte" : "invalid UTF-8";
		snprintf(why, sizeof(why), "%s at byte %zu of the value", key, bad + 1);
		reason = why;
	} else if (blank(f->data, f->len)) {
		if (col->need == COL_REQUIRED)
			reason = key = "missing required value";
		else
			return true; /* empty optional value: not set */
	} else {
		reason = parse_value(col, f, fmt, out, c, why, sizeof(why), &key);
	}
	if (reason) {
		dq_add(log, spec->id, line, col->name, DQ_REJECTED, key, f->data, f->len, "%s",
		       reason);
		return false;
	}
	out->set[c] = true;
	return true;
}

static bool check_row(const struct file_spec *spec, const struct row_check *chk,
		      unsigned long line, const struct row_values *v, struct dq_log *log)
{
	if (!v->set[chk->a] || !v->set[chk->b])
		return true;
	const char *an = spec->cols[chk->a].name, *bn = spec->cols[chk->b].name;
	char text[32], key[160]; /* the key names columns, never values */
	switch (chk->kind) {
	case CHECK_NOT_BEFORE:
		if (v->date[chk->b] >= v->date[chk->a])
			return true;
		date_format_iso(v->date[chk->b], text);
		snprintf(key, sizeof(key), "%s is before %s", bn, an);
		dq_add(log, spec->id, line, bn, DQ_REJECTED, key, text, strlen(text), "%s", key);
		return false;
	case CHECK_ABOVE:
		if (v->num[chk->b] > v->num[chk->a])
			return true;
		snprintf(text, sizeof(text), "%d", v->num[chk->b]);
		snprintf(key, sizeof(key), "%s is not above %s", bn, an);
		dq_add(log, spec->id, line, bn, DQ_REJECTED, key, text, strlen(text), "%s (%d)",
		       key, v->num[chk->a]);
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
		dq_add(log, spec->id, line, NULL, DQ_REJECTED, "wrong number of fields", text,
		       strlen(text), "row has %zu fields, the header has %zu", n, map->nfields);
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
