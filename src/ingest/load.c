/* load.c - see load.h. */
#include "ingest/load.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/alloc.h"
#include "core/sort.h"
#include "ingest/chunk.h"
#include "ingest/csv_reader.h"
#include "ingest/validate.h"

/* The last value interned per column: consecutive rows often repeat an
 * employee, a department or a title, and a byte compare beats a hash look-up. */
#define CACHE_BYTES 48
struct last_value {
	char data[CACHE_BYTES];
	size_t len;
	uint32_t id;
	bool set;
};

/* A small direct-mapped cache per column in front of the string tables:
 * values that recur without being consecutive (manager ids, titles) are
 * found without touching the large table. */
#define RECENT_SLOTS 4096
#define RECENT_BYTES 16
struct recent {
	struct recent_entry {
		char data[RECENT_BYTES];
		uint32_t len;
		uint32_t id1; /* id + 1; 0 = empty */
	} slot[RECENT_SLOTS];
};

struct loader {
	struct last_value last[SCHEMA_MAX_COLS];
	struct recent *recent[SCHEMA_MAX_COLS];
	const struct file_spec *spec;
	const struct load_opts *opts;
	struct dataset *ds;
	struct header_map map;
	bool header_done;
	struct strtab key_ids;     /* key ids of files whose ids are not employees */
	struct strtab managers;    /* manager ids, mapped to employee ids at the end */
	struct keyed_row {         /* each used row's key, for duplicates and dates */
		uint32_t key;          /* key_col: the id's number, or the track */
		int32_t sub;           /* key_col2: a date (wr_date) or a level */
		uint32_t line;
	} *keyed;
	size_t nkeyed, keyed_cap;
	size_t first_row;          /* index of the file's first row in its array */
	struct wr_errmsg *err;
	/* a piece's: ds->ids and managers are lists, each id looked up only
	 * when the piece is merged (an id seldom repeats within a piece but
	 * for the row before) */
	bool ids_listed;
};

static void note_date(struct dataset *ds, wr_date d)
{
	if (d == WR_DATE_NONE || d == WR_DATE_OPEN)
		return;
	if (ds->earliest == WR_DATE_NONE || d < ds->earliest)
		ds->earliest = d;
	if (ds->latest == WR_DATE_NONE || d > ds->latest)
		ds->latest = d;
}

/* The id of column c's value in t. Listed: t is a list (a piece's ids,
 * interned for good when the piece is merged), appended to without a
 * look-up but for the last value. */
static uint32_t intern_cached(struct loader *l, struct strtab *t, bool listed,
			      const struct row_values *v, int c)
{
	if (c < 0 || !v->set[c])
		return STRTAB_NONE;
	const struct text_value *tv = &v->text[c];
	struct last_value *last = &l->last[c];
	if (last->set && last->len == tv->len && memcmp(last->data, tv->data, tv->len) == 0)
		return last->id;
	uint32_t id;
	uint32_t h = strtab_hash(tv->data, tv->len);
	if (listed) {
		id = strtab_append_hashed(t, tv->data, tv->len, h);
	} else if (tv->len <= RECENT_BYTES) {
		if (!l->recent[c])
			l->recent[c] = xcalloc(1, sizeof(*l->recent[c]));
		struct recent_entry *e = &l->recent[c]->slot[h & (RECENT_SLOTS - 1)];
		if (e->id1 && e->len == tv->len && memcmp(e->data, tv->data, tv->len) == 0) {
			id = e->id1 - 1;
		} else {
			id = strtab_intern_hashed(t, tv->data, tv->len, h);
			memcpy(e->data, tv->data, tv->len);
			e->len = (uint32_t)tv->len;
			e->id1 = id + 1;
		}
	} else {
		id = strtab_intern_hashed(t, tv->data, tv->len, h);
	}
	last->set = tv->len <= CACHE_BYTES;
	if (last->set) {
		memcpy(last->data, tv->data, tv->len);
		last->len = tv->len;
		last->id = id;
	}
	return id;
}

static uint32_t intern_text(struct loader *l, const struct row_values *v, int c)
{
	return intern_cached(l, &l->ds->strs, false, v, c);
}

static uint32_t intern_id(struct loader *l, const struct row_values *v, int c)
{
	return intern_cached(l, &l->ds->ids, l->ids_listed, v, c);
}

static wr_date date_or(const struct row_values *v, int c, wr_date none)
{
	return c >= 0 && v->set[c] ? v->date[c] : none;
}

/* Store a valid row of the file; returns its main date (for future checks). */
static wr_date store_row(struct loader *l, const struct row_values *v, unsigned long line)
{
	struct dataset *ds = l->ds;
	switch (l->spec->id) {
	case WR_FILE_ROLES: {
		GROW(ds->roles, ds->roles_cap, ds->nroles + 1);
		struct role_row *r = &ds->roles[ds->nroles++];
		r->emp = intern_id(l, v, ROLES_EMPLOYEE_ID);
		r->title = intern_text(l, v, ROLES_ROLE);
		r->family = intern_text(l, v, ROLES_FAMILY);
		r->track = (uint8_t)v->num[ROLES_TRACK];
		r->level = (uint8_t)v->num[ROLES_LEVEL];
		r->department = intern_text(l, v, ROLES_DEPARTMENT);
		r->start = v->date[ROLES_START_DATE];
		r->end = date_or(v, ROLES_END_DATE, WR_DATE_OPEN);
		/* a small table now, one look-up per distinct manager at the end */
		r->manager = intern_cached(l, &l->managers, l->ids_listed, v, ROLES_MANAGER_ID);
		r->line = (uint32_t)line;
		note_date(ds, r->end);
		return r->start;
	}
	case WR_FILE_PROMOTIONS: {
		GROW(ds->promotions, ds->promotions_cap, ds->npromotions + 1);
		struct promotion_row *p = &ds->promotions[ds->npromotions++];
		p->emp = intern_id(l, v, PROMOTIONS_EMPLOYEE_ID);
		p->date = v->date[PROMOTIONS_EFFECTIVE_DATE];
		p->from_level = (uint8_t)v->num[PROMOTIONS_FROM_LEVEL];
		p->to_level = (uint8_t)v->num[PROMOTIONS_TO_LEVEL];
		p->from_role = intern_text(l, v, PROMOTIONS_FROM_ROLE);
		p->to_role = intern_text(l, v, PROMOTIONS_TO_ROLE);
		p->line = (uint32_t)line;
		p->spell = -1;
		return p->date;
	}
	case WR_FILE_TRANSFERS: {
		GROW(ds->transfers, ds->transfers_cap, ds->ntransfers + 1);
		struct transfer_row *t = &ds->transfers[ds->ntransfers++];
		t->emp = intern_id(l, v, TRANSFERS_EMPLOYEE_ID);
		t->date = v->date[TRANSFERS_EFFECTIVE_DATE];
		t->from_family = intern_text(l, v, TRANSFERS_FROM_FAMILY);
		t->to_family = intern_text(l, v, TRANSFERS_TO_FAMILY);
		t->from_department = intern_text(l, v, TRANSFERS_FROM_DEPARTMENT);
		t->to_department = intern_text(l, v, TRANSFERS_TO_DEPARTMENT);
		t->line = (uint32_t)line;
		return t->date;
	}
	case WR_FILE_SECONDMENTS: {
		GROW(ds->secondments, ds->secondments_cap, ds->nsecondments + 1);
		struct secondment_row *s = &ds->secondments[ds->nsecondments++];
		s->id = intern_text(l, v, SECONDMENTS_SECONDEE_ID);
		s->employer = intern_text(l, v, SECONDMENTS_EMPLOYER);
		s->team = intern_text(l, v, SECONDMENTS_TEAM);
		s->start = v->date[SECONDMENTS_START_DATE];
		s->planned_end = v->date[SECONDMENTS_PLANNED_END_DATE];
		s->end = date_or(v, SECONDMENTS_END_DATE, WR_DATE_NONE);
		s->merged_mrs = v->set[SECONDMENTS_MERGED_MRS] ? v->num[SECONDMENTS_MERGED_MRS] : -1;
		s->line = (uint32_t)line;
		note_date(ds, s->planned_end);
		note_date(ds, s->end);
		return s->start;
	}
	case WR_FILE_INTERNS: {
		GROW(ds->interns, ds->interns_cap, ds->ninterns + 1);
		struct intern_row *in = &ds->interns[ds->ninterns++];
		in->id = intern_text(l, v, INTERNS_INTERN_ID);
		in->team = intern_text(l, v, INTERNS_TEAM);
		in->start = v->date[INTERNS_START_DATE];
		in->end = date_or(v, INTERNS_END_DATE, WR_DATE_NONE);
		in->outcome = v->set[INTERNS_OUTCOME] ? (uint8_t)v->num[INTERNS_OUTCOME]
						      : OUTCOME_NONE;
		in->route = v->set[INTERNS_ROUTE] ? (uint8_t)v->num[INTERNS_ROUTE] : ROUTE_NONE;
		in->emp = intern_id(l, v, INTERNS_EMPLOYEE_ID);
		in->line = (uint32_t)line;
		note_date(ds, in->end);
		return in->start;
	}
	case WR_FILE_LATERAL: {
		GROW(ds->options, ds->options_cap, ds->noptions + 1);
		struct lateral_option_row *o = &ds->options[ds->noptions++];
		o->from_family = intern_text(l, v, LATERAL_FROM_FAMILY);
		o->to_family = intern_text(l, v, LATERAL_TO_FAMILY);
		return WR_DATE_NONE;
	}
	case WR_FILE_LEVELS: {
		GROW(ds->levels, ds->levels_cap, ds->nlevels + 1);
		struct level_row *lv = &ds->levels[ds->nlevels++];
		lv->track = (uint8_t)v->num[LEVELS_TRACK];
		lv->level = (uint8_t)v->num[LEVELS_LEVEL];
		lv->name = intern_text(l, v, LEVELS_NAME);
		lv->line = (uint32_t)line;
		return WR_DATE_NONE;
	}
	default:
		return WR_DATE_NONE;
	}
}

static int cmp_line(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* A key column that is a track: keys are the tracks, not ids. */
static bool key_is_track(const struct file_spec *spec)
{
	return spec->cols[spec->key_col].type == COL_TRACK;
}

/* key_col2 is a date: the row's date, checked against as-of. */
static bool key_is_dated(const struct file_spec *spec)
{
	return spec->cols[spec->key_col2].type == COL_DATE;
}

/* Remember a used row's key ((id, date) or (track, level)) and line for the
 * checks done once the whole file is read. */
static void note_key(struct loader *l, const struct row_values *v, unsigned long line)
{
	const struct file_spec *spec = l->spec;
	if (spec->key_col < 0)
		return;
	uint32_t key;
	if (key_is_track(spec)) {
		key = (uint32_t)v->num[spec->key_col];
	} else {
		const struct text_value *id = &v->text[spec->key_col];
		/* employee ids share the dataset's table; other ids get the loader's */
		key = spec->key_is_employee ? intern_id(l, v, spec->key_col)
					    : strtab_intern(&l->key_ids, id->data, id->len);
	}
	int32_t sub = key_is_dated(spec) ? v->date[spec->key_col2] : v->num[spec->key_col2];
	GROW(l->keyed, l->keyed_cap, l->nkeyed + 1);
	l->keyed[l->nkeyed++] = (struct keyed_row){key, sub, (uint32_t)line};
}

/* The file's rows in its dataset array: the array (as GROW takes it), the
 * element size, the count and the capacity. */
struct rows {
	void **items;
	size_t size, *count, *cap;
};

#define ROWS(arr, n, c) ((struct rows){(void **)&(arr), sizeof(*(arr)), &(n), &(c)})

static struct rows rows_of(struct dataset *ds, enum wr_file f)
{
	switch (f) {
	case WR_FILE_ROLES: return ROWS(ds->roles, ds->nroles, ds->roles_cap);
	case WR_FILE_PROMOTIONS: return ROWS(ds->promotions, ds->npromotions, ds->promotions_cap);
	case WR_FILE_TRANSFERS: return ROWS(ds->transfers, ds->ntransfers, ds->transfers_cap);
	case WR_FILE_SECONDMENTS:
		return ROWS(ds->secondments, ds->nsecondments, ds->secondments_cap);
	case WR_FILE_INTERNS: return ROWS(ds->interns, ds->ninterns, ds->interns_cap);
	case WR_FILE_LATERAL: return ROWS(ds->options, ds->noptions, ds->options_cap);
	case WR_FILE_LEVELS:
	default: return ROWS(ds->levels, ds->nlevels, ds->levels_cap);
	}
}

static int by_sub_line(const void *a, const void *b)
{
	const struct keyed_row *x = a, *y = b;
	if (x->sub != y->sub)
		return (x->sub > y->sub) - (x->sub < y->sub);
	return (x->line > y->line) - (x->line < y->line);
}

/* The text of key k for messages: the id, or the track's name. */
static const char *key_text(const struct strtab *names, uint32_t k, size_t *len)
{
	if (!names) {
		const char *t = track_name((enum wr_track)k);
		*len = strlen(t);
		return t;
	}
	*len = strtab_len(names, k);
	return strtab_get(names, k);
}

/* The rows to drop, as duplicates are found. */
struct drops {
	uint32_t *line;
	size_t n, cap;
};

/* Row dup repeats the key k and the sub of the row first (an earlier line). */
static void duplicate(struct loader *l, const struct strtab *names, uint32_t k,
		      const struct keyed_row *first, const struct keyed_row *dup,
		      struct drops *d)
{
	const struct file_spec *spec = l->spec;
	const char *col = spec->cols[spec->key_col].name;
	const char *col2 = spec->cols[spec->key_col2].name;
	size_t idlen;
	const char *id = key_text(names, k, &idlen);
	dq_add(&l->ds->dq, spec->id, dup->line, col, DQ_DUPLICATE_ROW, id, idlen,
	       "duplicate of line %u: same %s and %s", first->line, col, col2);
	GROW(d->line, d->cap, d->n + 1);
	d->line[d->n++] = dup->line;
}

/* Whether the keyed rows come in (key, sub) order: a file sorted by id and
 * date, as exports usually are. */
static bool keys_in_order(const struct keyed_row *r, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (r[i].key < r[i - 1].key || (r[i].key == r[i - 1].key && r[i].sub < r[i - 1].sub))
			return false;
	return true;
}

/* The duplicates among keyed rows in (key, sub) order: each run of equal
 * (key, sub) is in line order, its first row the one kept. */
static void duplicates_in_order(struct loader *l, const struct strtab *names, struct drops *d)
{
	const struct keyed_row *r = l->keyed;
	size_t first = 0;
	for (size_t i = 1; i < l->nkeyed; i++) {
		if (r[i].key != r[first].key || r[i].sub != r[first].sub)
			first = i;
		else
			duplicate(l, names, r[i].key, &r[first], &r[i], d);
	}
}

/* The same for keyed rows in any order: grouped by key with a counting
 * sort (ids are dense), each group of two or more sorted by (sub, line).
 * Duplicates are found in the same order: by key, sub, then line. */
static void duplicates_grouped(struct loader *l, const struct strtab *names, size_t nkeys,
			       struct drops *d)
{
	size_t n = l->nkeyed;
	size_t *start = xcalloc(nkeys + 1, sizeof(*start));
	for (size_t i = 0; i < n; i++)
		start[l->keyed[i].key + 1]++;
	for (size_t k = 0; k < nkeys; k++)
		start[k + 1] += start[k];
	struct keyed_row *by_key = xmalloc(n * sizeof(*by_key));
	size_t *fill = xmalloc((nkeys + 1) * sizeof(*fill));
	memcpy(fill, start, (nkeys + 1) * sizeof(*fill));
	for (size_t i = 0; i < n; i++)
		by_key[fill[l->keyed[i].key]++] = l->keyed[i];
	free(fill);
	for (size_t k = 0; k < nkeys; k++) {
		struct keyed_row *g = by_key + start[k];
		size_t m = start[k + 1] - start[k];
		if (m < 2)
			continue;
		sort_items(g, m, sizeof(*g), by_sub_line);
		for (size_t i = 1; i < m; i++) {
			size_t first = i - 1;
			while (first > 0 && g[first - 1].sub == g[i].sub)
				first--;
			if (g[first].sub == g[i].sub)
				duplicate(l, names, (uint32_t)k, &g[first], &g[i], d);
		}
	}
	free(by_key);
	free(start);
}

/* Once the file is read: reject the rows whose (id, date) or (track, level)
 * an earlier line already had, then flag the rows dated after as-of.
 * Linear but for the few rows that share a key. */
static void finish_rows(struct loader *l)
{
	struct dataset *ds = l->ds;
	const struct file_spec *spec = l->spec;
	struct dq_file_counts *counts = &ds->dq.files[spec->id];
	size_t n = l->nkeyed;
	if (spec->key_col < 0 || n == 0)
		return;
	/* the keys' names: employee or other ids; none for tracks */
	const struct strtab *names = NULL;
	if (!key_is_track(spec))
		names = spec->key_is_employee ? &ds->ids : &l->key_ids;
	size_t nkeys = names ? names->count : TRACK_COUNT;
	struct drops d = {0};
	if (keys_in_order(l->keyed, n))
		duplicates_in_order(l, names, &d);
	else
		duplicates_grouped(l, names, nkeys, &d);
	uint32_t *drop = d.line;
	size_t ndrop = d.n;
	const char *col2 = spec->cols[spec->key_col2].name;
	if (ndrop) {
		sort_items(drop, ndrop, sizeof(*drop), cmp_line);
		struct rows rows = rows_of(ds, spec->id);
		char *base = *rows.items;
		size_t size = rows.size, *count = rows.count;
		/* rows and keyed entries are both in file order: walk them together */
		size_t out = l->first_row, next = 0, kept = 0;
		for (size_t i = 0; i < n; i++) {
			if (next < ndrop && drop[next] == l->keyed[i].line) {
				next++;
				continue;
			}
			if (out != l->first_row + i)
				memcpy(base + out * size, base + (l->first_row + i) * size, size);
			l->keyed[kept++] = l->keyed[i];
			out++;
		}
		*count = out;
		l->nkeyed = kept;
		counts->used -= ndrop;
		counts->rejected += ndrop;
	}
	free(drop);

	if (!key_is_dated(spec))
		return;
	char asof[11];
	date_format_iso(l->opts->as_of, asof);
	for (size_t i = 0; i < l->nkeyed; i++) {
		const struct keyed_row *r = &l->keyed[i];
		if (r->sub <= l->opts->as_of)
			continue;
		char text[11];
		date_format_iso(r->sub, text);
		counts->future++;
		dq_add(&ds->dq, spec->id, r->line, col2, DQ_FUTURE_DATED, text, strlen(text),
		       "dated after the as-of date %s: kept, left out of the analyses", asof);
	}
}

static enum wr_error on_record(void *ctx, const struct csv_field *fields, size_t n,
			       unsigned long line)
{
	struct loader *l = ctx;
	struct dataset *ds = l->ds;
	struct dq_file_counts *counts = &ds->dq.files[l->spec->id];

	if (!l->header_done) {
		l->header_done = true;
		enum wr_error e = header_map_build(l->spec, fields, n, &l->map, &ds->dq, l->err);
		for (size_t c = 0; c < l->spec->ncols; c++)
			ds->files[l->spec->id].has_column[c] = l->map.field[c] >= 0;
		return e;
	}
	counts->read++;
	struct row_values v;
	if (!validate_row(l->spec, &l->map, fields, n, line, l->opts->date_format, &v, &ds->dq)) {
		counts->rejected++;
		return WR_OK;
	}
	counts->used++;
	note_key(l, &v, line);
	note_date(ds, store_row(l, &v, line));
	return WR_OK;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct loader *l = ctx;
	if (l->opts->progress)
		l->opts->progress(l->opts->ctx, l->spec->name, done, total);
}

static void loader_init(struct loader *l, enum wr_file file, const struct load_opts *opts,
			struct dataset *ds, struct wr_errmsg *err)
{
	memset(l, 0, sizeof(*l));
	l->spec = schema_file(file);
	l->opts = opts;
	l->ds = ds;
	l->err = err;
	strtab_init(&l->key_ids);
	strtab_init(&l->managers);
	l->first_row = *rows_of(ds, file).count;
	ds->dq.files[file].present = true;
	ds->files[file].present = true;
}

static void loader_release(struct loader *l)
{
	strtab_release(&l->key_ids);
	strtab_release(&l->managers);
	free(l->keyed);
	for (size_t c = 0; c < SCHEMA_MAX_COLS; c++)
		free(l->recent[c]);
}

/* Manager ids were collected in their own small table: give each its
 * employee id (one look-up per distinct manager, not per row). */
static void map_managers(struct loader *l)
{
	struct dataset *ds = l->ds;
	if (l->spec->id != WR_FILE_ROLES || l->managers.count == 0)
		return;
	uint32_t *map = xmalloc(l->managers.count * sizeof(*map));
	for (uint32_t k = 0; k < l->managers.count; k++)
		map[k] = strtab_intern(&ds->ids, strtab_get(&l->managers, k),
				       strtab_len(&l->managers, k));
	for (size_t i = l->first_row; i < ds->nroles; i++)
		if (ds->roles[i].manager != STRTAB_NONE)
			ds->roles[i].manager = map[ds->roles[i].manager];
	free(map);
}

/* levels.csv: once its duplicates are rejected, each used row names its
 * level (the first file loaded wins should rows of two loads meet). */
static void name_levels(struct loader *l)
{
	struct dataset *ds = l->ds;
	if (l->spec->id != WR_FILE_LEVELS)
		return;
	for (size_t i = l->first_row; i < ds->nlevels; i++) {
		const struct level_row *lv = &ds->levels[i];
		if (lv->track < TRACK_COUNT && lv->level < LEVEL_SLOTS &&
		    ds->level_name[lv->track][lv->level] == STRTAB_NONE)
			ds->level_name[lv->track][lv->level] = lv->name;
	}
}

static enum wr_error finish_file(struct loader *l, enum wr_error e)
{
	if (!e && !l->header_done)
		e = dq_fail(l->err, WR_ERR_DATA, DQ_EMPTY_FILE, "%s: empty file: no header row",
			    l->spec->name);
	if (!e) {
		finish_rows(l);
		map_managers(l);
		name_levels(l);
	}
	return e;
}

/* --- The parallel read (--jobs N > 1) -------------------------------------
 *
 * After the header, the file is cut into pieces of about PIECE_BYTES that
 * end at a record end (chunk.h). Each piece is parsed and validated on a
 * thread of its own, with its own libcsv parser, into a dataset and string
 * tables of its own, counting lines from 1; up to N pieces are in flight.
 * This thread reads and cuts the file and merges the pieces in file order
 * as they finish: each distinct string is interned once into the dataset's
 * tables (so ids come out in first-seen order, as a single read gives
 * them), rows are appended with their ids and lines mapped, and the piece's
 * data problems are logged again with their real lines, so the issues file,
 * stderr and every count are those of --jobs 1.
 *
 * A piece that fails to parse (broken quoting) is not merged: from its
 * start, which is a record end of a single read too (every quote before it
 * was parsed without fault), the rest of the file is read on this thread as
 * --jobs 1 reads it, so that the error and its line are the same.
 */
#define PIECE_BYTES (1u << 20)

static size_t piece_bytes(const struct load_opts *o)
{
	return o->piece_bytes ? o->piece_bytes : PIECE_BYTES;
}

struct piece {
	struct loader l;       /* over ds, with the file's header map */
	struct dataset ds;
	char *data;            /* owned: whole records */
	size_t len;
	unsigned long lines;   /* physical lines in the piece */
	pthread_t thread;
	bool threaded;
	enum wr_error e;
	struct wr_errmsg err;
};

/* Parse data[0..len), whole records, into the loader, its lines counted
 * from 1: *lines is how many physical lines it held. */
static enum wr_error parse_records(struct loader *l, const char *data, size_t len,
				   unsigned long *lines, struct wr_errmsg *err)
{
	struct csv_read_opts ro = {.name = l->spec->name, .on_record = on_record, .ctx = l};
	struct csv_reader *r = csv_reader_new(&ro, 1);
	enum wr_error e = csv_reader_feed(r, data, len, err);
	if (!e)
		e = csv_reader_finish(r, err);
	*lines = csv_reader_line(r) - 1;
	csv_reader_free(r);
	return e;
}

static enum wr_error piece_steps(void *arg)
{
	struct piece *p = arg;
	return parse_records(&p->l, p->data, p->len, &p->lines, &p->err);
}

static void *piece_run(void *arg)
{
	struct piece *p = arg;
	p->e = alloc_catch(piece_steps, p, &p->err);
	return NULL;
}

/* Start parsing data[0..len) (taken over) on a thread. */
static void piece_start(struct piece *p, const struct loader *main, char *data, size_t len)
{
	memset(p, 0, sizeof(*p));
	dataset_init(&p->ds);
	p->ds.dq.limit = SIZE_MAX; /* all kept: the merge logs them again */
	loader_init(&p->l, main->spec->id, main->opts, &p->ds, &p->err);
	p->l.map = main->map;
	p->l.header_done = true;
	p->l.ids_listed = true;
	p->data = data;
	p->len = len;
	p->threaded = pthread_create(&p->thread, NULL, piece_run, p) == 0;
	if (!p->threaded)
		piece_run(p);
}

static void piece_wait(struct piece *p)
{
	if (p->threaded)
		pthread_join(p->thread, NULL);
	p->threaded = false;
}

static void piece_release(struct piece *p)
{
	loader_release(&p->l);
	dataset_release(&p->ds);
	free(p->data);
}

/* Each string of from, interned into to in from's order: map[id in from]. */
static uint32_t *intern_all(struct strtab *to, const struct strtab *from)
{
	uint32_t *map = xmalloc((from->count ? from->count : 1) * sizeof(*map));
	strtab_intern_table(to, from, map);
	return map;
}

static uint32_t mapped(const uint32_t *map, uint32_t id)
{
	return id == STRTAB_NONE ? STRTAB_NONE : map[id];
}

struct id_maps {
	uint32_t *ids, *strs, *managers, *key_ids;
};

/* Append the piece's rows of the file to the dataset's, ids mapped. */
static void append_rows(struct dataset *ds, const struct piece *p, const struct id_maps *m,
			unsigned long line0)
{
	const struct dataset *from = &p->ds;
	switch (p->l.spec->id) {
	case WR_FILE_ROLES:
		GROW(ds->roles, ds->roles_cap, ds->nroles + from->nroles);
		for (size_t i = 0; i < from->nroles; i++) {
			struct role_row r = from->roles[i];
			r.emp = m->ids[r.emp];
			r.title = mapped(m->strs, r.title);
			r.family = mapped(m->strs, r.family);
			r.department = mapped(m->strs, r.department);
			r.manager = mapped(m->managers, r.manager);
			r.line += (uint32_t)line0;
			ds->roles[ds->nroles++] = r;
		}
		break;
	case WR_FILE_PROMOTIONS:
		GROW(ds->promotions, ds->promotions_cap, ds->npromotions + from->npromotions);
		for (size_t i = 0; i < from->npromotions; i++) {
			struct promotion_row r = from->promotions[i];
			r.emp = m->ids[r.emp];
			r.from_role = mapped(m->strs, r.from_role);
			r.to_role = mapped(m->strs, r.to_role);
			r.line += (uint32_t)line0;
			ds->promotions[ds->npromotions++] = r;
		}
		break;
	case WR_FILE_TRANSFERS:
		GROW(ds->transfers, ds->transfers_cap, ds->ntransfers + from->ntransfers);
		for (size_t i = 0; i < from->ntransfers; i++) {
			struct transfer_row r = from->transfers[i];
			r.emp = m->ids[r.emp];
			r.from_family = mapped(m->strs, r.from_family);
			r.to_family = mapped(m->strs, r.to_family);
			r.from_department = mapped(m->strs, r.from_department);
			r.to_department = mapped(m->strs, r.to_department);
			r.line += (uint32_t)line0;
			ds->transfers[ds->ntransfers++] = r;
		}
		break;
	case WR_FILE_SECONDMENTS:
		GROW(ds->secondments, ds->secondments_cap, ds->nsecondments + from->nsecondments);
		for (size_t i = 0; i < from->nsecondments; i++) {
			struct secondment_row r = from->secondments[i];
			r.id = mapped(m->strs, r.id);
			r.employer = mapped(m->strs, r.employer);
			r.team = mapped(m->strs, r.team);
			r.line += (uint32_t)line0;
			ds->secondments[ds->nsecondments++] = r;
		}
		break;
	case WR_FILE_INTERNS:
		GROW(ds->interns, ds->interns_cap, ds->ninterns + from->ninterns);
		for (size_t i = 0; i < from->ninterns; i++) {
			struct intern_row r = from->interns[i];
			r.id = mapped(m->strs, r.id);
			r.team = mapped(m->strs, r.team);
			r.emp = mapped(m->ids, r.emp);
			r.line += (uint32_t)line0;
			ds->interns[ds->ninterns++] = r;
		}
		break;
	case WR_FILE_LATERAL:
		GROW(ds->options, ds->options_cap, ds->noptions + from->noptions);
		for (size_t i = 0; i < from->noptions; i++) {
			struct lateral_option_row r = from->options[i];
			r.from_family = mapped(m->strs, r.from_family);
			r.to_family = mapped(m->strs, r.to_family);
			ds->options[ds->noptions++] = r;
		}
		break;
	case WR_FILE_LEVELS:
	default:
		GROW(ds->levels, ds->levels_cap, ds->nlevels + from->nlevels);
		for (size_t i = 0; i < from->nlevels; i++) {
			struct level_row r = from->levels[i];
			r.name = mapped(m->strs, r.name);
			r.line += (uint32_t)line0;
			ds->levels[ds->nlevels++] = r;
		}
		break;
	}
}

/* The piece into the loader's file, lines shifted by line0 (the lines
 * before the piece). */
static void merge_piece(struct loader *l, struct piece *p, unsigned long line0)
{
	struct dataset *ds = l->ds;
	const struct file_spec *spec = l->spec;
	struct id_maps m = {
		.ids = intern_all(&ds->ids, &p->ds.ids),
		.strs = intern_all(&ds->strs, &p->ds.strs),
		.managers = intern_all(&l->managers, &p->l.managers),
		.key_ids = intern_all(&l->key_ids, &p->l.key_ids),
	};
	/* the data problems, in the order found, with their real lines */
	for (size_t i = 0; i < p->ds.dq.count; i++)
		dq_add_copy(&ds->dq, &p->ds.dq.items[i], p->ds.dq.items[i].line + line0);
	dq_file_counts_add(&ds->dq.files[spec->id], &p->ds.dq.files[spec->id]);
	append_rows(ds, p, &m, line0);
	/* the keys of the used rows, for the duplicate and as-of checks */
	GROW(l->keyed, l->keyed_cap, l->nkeyed + p->l.nkeyed);
	for (size_t i = 0; i < p->l.nkeyed; i++) {
		struct keyed_row k = p->l.keyed[i];
		if (!key_is_track(spec))
			k.key = spec->key_is_employee ? m.ids[k.key] : m.key_ids[k.key];
		k.line += (uint32_t)line0;
		l->keyed[l->nkeyed++] = k;
	}
	note_date(ds, p->ds.earliest);
	note_date(ds, p->ds.latest);
	free(m.ids);
	free(m.strs);
	free(m.managers);
	free(m.key_ids);
}

/* Grow *items (of *cap elements of size bytes) to need elements if memory
 * allows; a hint, so no error when it does not. */
static void try_grow(void **items, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap || need > SIZE_MAX / size)
		return;
	void *p = realloc(*items, need * size);
	if (p) {
		*items = p;
		*cap = need;
	}
}

/* Room for about the rows that the file's first bytes promise: the file's
 * rows and keys then grow once instead of doubling, which copies every row
 * so far and touches twice the memory. done bytes of the file's size held
 * rows rows. A low estimate only means the arrays double from there, and
 * one that memory cannot hold is not made. */
static void reserve_rows(struct loader *l, uint64_t rows, uint64_t done, uint64_t size)
{
	if (done == 0 || rows == 0 || size <= done)
		return;
	double expect = (double)rows * (double)size / (double)done * 1.05;
	if (expect > (double)(UINT32_MAX / 2))
		return;
	size_t n = (size_t)expect;
	struct rows file = rows_of(l->ds, l->spec->id);
	try_grow(file.items, file.cap, *file.count + n, file.size);
	if (l->spec->key_col >= 0)
		try_grow((void **)&l->keyed, &l->keyed_cap, l->nkeyed + n, sizeof(*l->keyed));
}

/* Cuts a file into pieces that end at a record end. */
struct cutter {
	FILE *f;
	const char *name;
	size_t piece;          /* bytes to read per piece */
	char *carry;           /* bytes read after the last piece's end */
	size_t ncarry, carry_cap;
	bool eof;
};

/* Read up to want bytes more into the carry (grown to hold them); false on
 * a read error. */
static bool cutter_read(struct cutter *c, size_t want, struct wr_errmsg *err, enum wr_error *e)
{
	GROW(c->carry, c->carry_cap, c->ncarry + want);
	size_t n = fread(c->carry + c->ncarry, 1, want, c->f);
	c->ncarry += n;
	if (ferror(c->f)) {
		*e = dq_fail(err, WR_ERR_IO, DQ_CANNOT_READ, "%s: read error: %s", c->name,
			     strerror(errno));
		return false;
	}
	c->eof = n < want;
	return true;
}

/* The next piece: whole records (at the end of the file, what is left),
 * in *data (the caller's to free); false at the end or on error (*e). */
static bool next_piece(struct cutter *c, char **data, size_t *len, struct wr_errmsg *err,
		       enum wr_error *e)
{
	*e = WR_OK;
	size_t want = c->piece;
	for (;;) {
		if (!c->eof && !cutter_read(c, want, err, e))
			return false;
		size_t n = c->ncarry;
		size_t whole = c->eof ? n : chunk_last_record_end(c->carry, n);
		if (whole == 0 && !c->eof) {
			want *= 2; /* a record longer than the piece: read on */
			continue;
		}
		if (whole == 0)
			return false;
		/* the piece takes the carry's buffer; what follows its end starts
		 * the next carry */
		char *rest = xmalloc(n - whole + c->piece);
		memcpy(rest, c->carry + whole, n - whole);
		*data = c->carry;
		*len = whole;
		c->carry = rest;
		c->carry_cap = n - whole + c->piece;
		c->ncarry = n - whole;
		return true;
	}
}

/* --progress as --jobs 1 gives it: csv_read_file reports the bytes parsed
 * after each block of CSV_READ_BLOCK (and the file's size after the last),
 * so the parallel read reports those same counts once everything before
 * them is parsed, whatever the pieces. */
struct marks {
	uint64_t next;  /* the next count to report; UINT64_MAX: all reported */
	uint64_t total; /* the file's size */
};

static void progress_upto(const struct loader *l, struct marks *m, uint64_t parsed)
{
	const struct load_opts *o = l->opts;
	while (m->next < m->total && m->next <= parsed) {
		if (o->progress)
			o->progress(o->ctx, l->spec->name, m->next, m->total);
		m->next += CSV_READ_BLOCK;
	}
	if (m->next != UINT64_MAX && m->next >= m->total && parsed >= m->total) {
		if (o->progress)
			o->progress(o->ctx, l->spec->name, m->total, m->total);
		m->next = UINT64_MAX;
	}
}

/* Feed data[0..len), the bytes of the file from *offset on, cut where a
 * progress count falls so that it is reported once the bytes before it
 * are parsed, as csv_read_file does. */
static enum wr_error feed_marked(struct csv_reader *r, const struct loader *l, struct marks *m,
				 const char *data, size_t len, uint64_t *offset,
				 struct wr_errmsg *err)
{
	while (len) {
		size_t n = len;
		if (m->next != UINT64_MAX && m->next > *offset && m->next - *offset < n)
			n = (size_t)(m->next - *offset);
		enum wr_error e = csv_reader_feed(r, data, n, err);
		if (e)
			return e;
		data += n;
		len -= n;
		*offset += n;
		progress_upto(l, m, *offset);
	}
	return WR_OK;
}

/* From pieces[0..n) (in file order, parsed or not), the carry and the
 * rest of the file: read on this thread as --jobs 1 reads it, the first
 * line being line and the first byte at offset in the file. */
static enum wr_error read_rest(struct loader *l, struct cutter *c, const struct piece *pieces,
			       size_t n, unsigned long line, uint64_t offset, struct marks *m,
			       struct wr_errmsg *err)
{
	struct csv_read_opts ro = {.name = l->spec->name, .on_record = on_record, .ctx = l};
	struct csv_reader *r = csv_reader_new(&ro, line);
	enum wr_error e = WR_OK;
	for (size_t i = 0; i < n && !e; i++)
		e = feed_marked(r, l, m, pieces[i].data, pieces[i].len, &offset, err);
	if (!e)
		e = feed_marked(r, l, m, c->carry, c->ncarry, &offset, err);
	while (!e && !c->eof) {
		c->ncarry = 0;
		if (!cutter_read(c, CSV_READ_BLOCK, err, &e))
			break;
		e = feed_marked(r, l, m, c->carry, c->ncarry, &offset, err);
	}
	if (!e)
		e = csv_reader_finish(r, err);
	csv_reader_free(r);
	return e;
}

/* The header (and any blank lines before it) on this thread, from the
 * start of the file: the cutter then holds what follows it, *offset is
 * where that is in the file and *lines the physical lines read. False
 * when the file holds no record end: the cutter then holds all of it
 * after the BOM. */
static bool read_header(struct loader *l, struct cutter *c, unsigned long *lines,
			uint64_t *offset, enum wr_error *e, struct wr_errmsg *err)
{
	size_t bom = 0, header = 0;
	size_t want = c->piece;
	*e = WR_OK;
	for (;;) {
		if (!cutter_read(c, want, err, e))
			return false;
		if (c->ncarry < 3 && !c->eof)
			continue; /* a BOM is three bytes */
		bom = csv_bom_length(c->carry, c->ncarry);
		header = chunk_first_record_end(c->carry + bom, c->ncarry - bom);
		if (header || c->eof)
			break;
		want *= 2;
	}
	*offset = bom;
	if (header == 0) {
		c->ncarry -= bom;
		memmove(c->carry, c->carry + bom, c->ncarry);
		return false;
	}
	*e = parse_records(l, c->carry + bom, header, lines, err);
	*offset = bom + header;
	c->ncarry -= bom + header;
	memmove(c->carry, c->carry + bom + header, c->ncarry);
	return true;
}

/* The state of a parallel read: what read_pieces has in flight when it
 * returns, or when an allocation fails in it, is joined by read_parallel. */
struct parallel_read {
	struct loader *l;
	struct cutter c;
	struct marks m;
	uint64_t size;
	size_t jobs;
	struct piece *ring; /* pieces in flight, oldest at head */
	size_t head, count;
	struct wr_errmsg *err;
};

static enum wr_error read_pieces(void *arg)
{
	struct parallel_read *s = arg;
	struct loader *l = s->l;
	struct wr_errmsg *err = s->err;
	unsigned long line0 = 0;
	uint64_t offset = 0; /* in the file, of what is parsed and merged */
	enum wr_error e;
	if (!read_header(l, &s->c, &line0, &offset, &e, err)) {
		if (!e) /* no record end anywhere: one thread */
			e = read_rest(l, &s->c, NULL, 0, 1, offset, &s->m, err);
		return e;
	}
	progress_upto(l, &s->m, offset);
	uint64_t header_end = offset;
	bool more = !e;
	while (!e && (more || s->count)) {
		/* up to jobs pieces in flight; then merge the oldest */
		if (more && s->count < s->jobs) {
			char *data;
			size_t len;
			more = next_piece(&s->c, &data, &len, err, &e);
			if (more)
				piece_start(&s->ring[(s->head + s->count++) % s->jobs], l, data, len);
			if (e || (more && s->count < s->jobs))
				continue;
		}
		if (s->count == 0)
			break;
		struct piece *p = &s->ring[s->head];
		piece_wait(p);
		if (p->e == WR_ERR_NOMEM) {
			*err = p->err;
			return WR_ERR_NOMEM;
		}
		if (p->e) {
			/* from this piece on, one thread: the pieces after it in order */
			struct piece *rest = xcalloc(s->count, sizeof(*rest));
			for (size_t i = 0; i < s->count; i++) {
				piece_wait(&s->ring[(s->head + i) % s->jobs]);
				rest[i] = s->ring[(s->head + i) % s->jobs];
			}
			e = read_rest(l, &s->c, rest, s->count, line0 + 1, offset, &s->m, err);
			for (size_t i = 0; i < s->count; i++)
				piece_release(&rest[i]);
			free(rest);
			s->count = 0;
			return e;
		}
		merge_piece(l, p, line0);
		if (offset == header_end)
			reserve_rows(l, l->ds->dq.files[l->spec->id].read, p->len,
				     s->size - header_end);
		line0 += p->lines;
		offset += p->len;
		piece_release(p);
		s->head = (s->head + 1) % s->jobs;
		s->count--;
		progress_upto(l, &s->m, offset);
	}
	return e;
}

/* Read the file at path (size bytes) on opts->jobs threads. */
static enum wr_error read_parallel(struct loader *l, const char *path, uint64_t size,
				   struct wr_errmsg *err)
{
	const struct load_opts *o = l->opts;
	FILE *f = fopen(path, "rb");
	if (!f)
		return dq_fail(err, errno == ENOENT ? WR_ERR_NOINPUT : WR_ERR_IO, DQ_CANNOT_READ,
			       "%s: cannot open: %s", l->spec->name, strerror(errno));
	struct parallel_read s = {
		.l = l, .c = {.f = f, .name = l->spec->name, .piece = piece_bytes(o)},
		.m = {.next = CSV_READ_BLOCK, .total = size}, .size = size,
		.jobs = (size_t)o->jobs, .err = err,
	};
	s.ring = xcalloc(s.jobs, sizeof(*s.ring));
	/* out of memory here comes back here, so that no piece's thread is
	 * left running */
	struct wr_errmsg caught = {0};
	enum wr_error e = alloc_catch(read_pieces, &s, &caught);
	if (caught.text[0])
		*err = caught;
	/* after an error: the pieces still in flight are not wanted */
	for (size_t i = 0; i < s.count; i++) {
		piece_wait(&s.ring[(s.head + i) % s.jobs]);
		piece_release(&s.ring[(s.head + i) % s.jobs]);
	}
	free(s.ring);
	free(s.c.carry);
	fclose(f);
	return e;
}

enum wr_error load_buffer(enum wr_file file, const char *data, size_t len,
			  const struct load_opts *opts, struct dataset *ds, struct wr_errmsg *err)
{
	struct loader l;
	loader_init(&l, file, opts, ds, err);
	struct csv_read_opts ro = {.name = l.spec->name, .on_record = on_record, .ctx = &l};
	enum wr_error e = finish_file(&l, csv_read_buffer(data, len, &ro, err));
	loader_release(&l);
	return e;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static enum wr_error load_file(enum wr_file file, const struct load_opts *opts,
			       struct dataset *ds, struct wr_errmsg *err)
{
	const struct file_spec *spec = schema_file(file);
	size_t plen = strlen(opts->input_dir) + strlen(spec->name) + 2;
	char *path = xmalloc(plen);
	snprintf(path, plen, "%s/%s", opts->input_dir, spec->name);

	struct stat st;
	if (stat(path, &st) != 0) {
		int saved = errno;
		free(path);
		if (saved == ENOENT && !spec->required)
			return WR_OK;
		return dq_fail(err, saved == ENOENT ? WR_ERR_NOINPUT : WR_ERR_IO, DQ_CANNOT_READ,
			       "%s: cannot read %s/%s: %s", spec->name, opts->input_dir, spec->name,
			       strerror(saved));
	}
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		free(path);
		return dq_fail(err, WR_ERR_DATA, DQ_NOT_A_FILE, "%s: not a regular file",
			       spec->name);
	}
	double t0 = now_seconds();
	struct loader l;
	loader_init(&l, file, opts, ds, err);
	ds->files[file].path = path;
	ds->files[file].size = (uint64_t)st.st_size;
	struct csv_read_opts ro = {
		.name = spec->name, .on_record = on_record, .on_progress = on_progress, .ctx = &l,
	};
	/* several threads for a regular file of more than one piece */
	bool parallel = opts->jobs > 1 && S_ISREG(st.st_mode) &&
			(uint64_t)st.st_size > piece_bytes(opts);
	enum wr_error e = finish_file(&l, parallel ? read_parallel(&l, path, (uint64_t)st.st_size, err)
						   : csv_read_file(path, &ro, err));
	loader_release(&l);
	if (!e && opts->file_done)
		opts->file_done(opts->ctx, file, now_seconds() - t0);
	return e;
}

enum wr_error load_check_input(const struct load_opts *opts, struct wr_errmsg *err)
{
	struct stat st;
	if (stat(opts->input_dir, &st) != 0)
		return dq_fail(err, WR_ERR_NOINPUT, DQ_NO_INPUT, "input folder '%s' not found",
			       opts->input_dir);
	if (!S_ISDIR(st.st_mode))
		return dq_fail(err, WR_ERR_NOINPUT, DQ_NO_INPUT,
			       "input '%s' is not a folder: give the folder that holds %s",
			       opts->input_dir, WR_ROLES_CSV);
	const char *roles = schema_file(WR_FILE_ROLES)->name;
	size_t n = strlen(opts->input_dir) + strlen(roles) + 2;
	char *path = xmalloc(n);
	snprintf(path, n, "%s/%s", opts->input_dir, roles);
	bool ok = stat(path, &st) == 0;
	free(path);
	if (!ok)
		return dq_fail(err, WR_ERR_NOINPUT, DQ_NO_INPUT, "%s not found in input folder '%s'",
			       roles, opts->input_dir);
	return WR_OK;
}

enum wr_error load_dataset(const struct load_opts *opts, struct dataset *ds, struct wr_errmsg *err)
{
	enum wr_error ce = load_check_input(opts, err);
	if (ce)
		return ce;
	for (int f = 0; f < WR_FILE_COUNT; f++) {
		enum wr_error e = load_file((enum wr_file)f, opts, ds, err);
		if (e)
			return e;
	}
	return WR_OK;
}
