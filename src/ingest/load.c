/* load.c - see load.h. */
#include "ingest/load.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/alloc.h"
#include "core/keyset.h"
#include "ingest/csv_reader.h"
#include "ingest/validate.h"

struct loader {
	const struct file_spec *spec;
	const struct load_opts *opts;
	struct dataset *ds;
	struct header_map map;
	bool header_done;
	struct keyset seen;        /* (key id, key date) -> line, for duplicates */
	struct strtab key_ids;     /* key ids of files whose ids are not employees */
	struct wr_errmsg *err;
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

static uint32_t intern_text(struct dataset *ds, const struct row_values *v, int c)
{
	if (c < 0 || !v->set[c])
		return STRTAB_NONE;
	return strtab_intern(&ds->strs, v->text[c].data, v->text[c].len);
}

static uint32_t intern_id(struct dataset *ds, const struct row_values *v, int c)
{
	if (c < 0 || !v->set[c])
		return STRTAB_NONE;
	return strtab_intern(&ds->ids, v->text[c].data, v->text[c].len);
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
		r->emp = intern_id(ds, v, 0);
		r->title = intern_text(ds, v, 1);
		r->family = intern_text(ds, v, 2);
		r->track = (uint8_t)v->num[3];
		r->level = (uint8_t)v->num[4];
		r->department = intern_text(ds, v, 5);
		r->start = v->date[6];
		r->end = date_or(v, 7, WR_DATE_OPEN);
		r->manager = intern_id(ds, v, 8);
		r->line = (uint32_t)line;
		note_date(ds, r->end);
		return r->start;
	}
	case WR_FILE_PROMOTIONS: {
		GROW(ds->promotions, ds->promotions_cap, ds->npromotions + 1);
		struct promotion_row *p = &ds->promotions[ds->npromotions++];
		p->emp = intern_id(ds, v, 0);
		p->date = v->date[1];
		p->from_level = (uint8_t)v->num[2];
		p->to_level = (uint8_t)v->num[3];
		p->from_role = intern_text(ds, v, 4);
		p->to_role = intern_text(ds, v, 5);
		p->line = (uint32_t)line;
		p->spell = -1;
		return p->date;
	}
	case WR_FILE_TRANSFERS: {
		GROW(ds->transfers, ds->transfers_cap, ds->ntransfers + 1);
		struct transfer_row *t = &ds->transfers[ds->ntransfers++];
		t->emp = intern_id(ds, v, 0);
		t->date = v->date[1];
		t->from_family = intern_text(ds, v, 2);
		t->to_family = intern_text(ds, v, 3);
		t->from_department = intern_text(ds, v, 4);
		t->to_department = intern_text(ds, v, 5);
		t->line = (uint32_t)line;
		return t->date;
	}
	case WR_FILE_SECONDMENTS: {
		GROW(ds->secondments, ds->secondments_cap, ds->nsecondments + 1);
		struct secondment_row *s = &ds->secondments[ds->nsecondments++];
		s->id = intern_text(ds, v, 0);
		s->employer = intern_text(ds, v, 1);
		s->team = intern_text(ds, v, 2);
		s->start = v->date[3];
		s->planned_end = v->date[4];
		s->end = date_or(v, 5, WR_DATE_NONE);
		s->merged_mrs = v->set[6] ? v->num[6] : -1;
		s->line = (uint32_t)line;
		note_date(ds, s->planned_end);
		note_date(ds, s->end);
		return s->start;
	}
	case WR_FILE_INTERNS: {
		GROW(ds->interns, ds->interns_cap, ds->ninterns + 1);
		struct intern_row *in = &ds->interns[ds->ninterns++];
		in->id = intern_text(ds, v, 0);
		in->team = intern_text(ds, v, 1);
		in->start = v->date[2];
		in->end = date_or(v, 3, WR_DATE_NONE);
		in->outcome = v->set[4] ? (uint8_t)v->num[4] : OUTCOME_NONE;
		in->route = v->set[5] ? (uint8_t)v->num[5] : ROUTE_NONE;
		in->emp = intern_id(ds, v, 6);
		in->line = (uint32_t)line;
		note_date(ds, in->end);
		return in->start;
	}
	case WR_FILE_LATERAL: {
		GROW(ds->options, ds->options_cap, ds->noptions + 1);
		struct lateral_option_row *o = &ds->options[ds->noptions++];
		o->from_family = intern_text(ds, v, 0);
		o->to_family = intern_text(ds, v, 1);
		return WR_DATE_NONE;
	}
	default:
		return WR_DATE_NONE;
	}
}

/* True when the row's (id, date) key was not seen before; logs otherwise. */
static bool check_duplicate(struct loader *l, const struct row_values *v, unsigned long line)
{
	const struct file_spec *spec = l->spec;
	if (spec->key_col < 0)
		return true;
	const struct text_value *id = &v->text[spec->key_col];
	/* employee ids share the dataset's table; other ids get the loader's */
	uint32_t key = spec->key_is_employee
			       ? strtab_intern(&l->ds->ids, id->data, id->len)
			       : strtab_intern(&l->key_ids, id->data, id->len);
	uint32_t first;
	if (keyset_add(&l->seen, keyset_pair(key, v->date[spec->key_date]), (uint32_t)line, &first))
		return true;
	dq_add(&l->ds->dq, spec->id, line, spec->cols[spec->key_col].name, DQ_REJECTED, id->data,
	       id->len, "duplicate of line %u: same %s and %s", first,
	       spec->cols[spec->key_col].name, spec->cols[spec->key_date].name);
	return false;
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
	if (!validate_row(l->spec, &l->map, fields, n, line, l->opts->date_format, &v, &ds->dq) ||
	    !check_duplicate(l, &v, line)) {
		counts->rejected++;
		return WR_OK;
	}
	counts->used++;
	wr_date when = store_row(l, &v, line);
	note_date(ds, when);
	if (when != WR_DATE_NONE && when > l->opts->as_of) {
		char text[11], asof[11];
		date_format_iso(when, text);
		date_format_iso(l->opts->as_of, asof);
		counts->future++;
		int c = l->spec->key_date >= 0 ? l->spec->key_date : 0;
		dq_add(&ds->dq, l->spec->id, line, l->spec->cols[c].name, DQ_WARNING, text,
		       strlen(text), "dated after the as-of date %s: kept, left out of the analyses",
		       asof);
	}
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
	keyset_init(&l->seen);
	strtab_init(&l->key_ids);
	ds->dq.files[file].present = true;
	ds->files[file].present = true;
}

static void loader_release(struct loader *l)
{
	keyset_release(&l->seen);
	strtab_release(&l->key_ids);
}

static enum wr_error finish_file(struct loader *l, enum wr_error e)
{
	if (!e && !l->header_done)
		e = wr_fail(l->err, WR_ERR_DATA, "%s: empty file: no header row", l->spec->name);
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
		return wr_fail(err, saved == ENOENT ? WR_ERR_NOINPUT : WR_ERR_IO,
			       "%s: cannot read %s/%s: %s", spec->name, opts->input_dir, spec->name,
			       strerror(saved));
	}
	if (!S_ISREG(st.st_mode)) {
		free(path);
		return wr_fail(err, WR_ERR_DATA, "%s: not a regular file", spec->name);
	}
	double t0 = now_seconds();
	struct loader l;
	loader_init(&l, file, opts, ds, err);
	ds->files[file].path = path;
	ds->files[file].size = (uint64_t)st.st_size;
	struct csv_read_opts ro = {
		.name = spec->name, .on_record = on_record, .on_progress = on_progress, .ctx = &l,
	};
	enum wr_error e = finish_file(&l, csv_read_file(path, &ro, err));
	loader_release(&l);
	if (!e && opts->file_done)
		opts->file_done(opts->ctx, file, now_seconds() - t0);
	return e;
}

enum wr_error load_check_input(const struct load_opts *opts, struct wr_errmsg *err)
{
	struct stat st;
	if (stat(opts->input_dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return wr_fail(err, WR_ERR_NOINPUT, "input folder '%s' not found", opts->input_dir);
	const char *roles = schema_file(WR_FILE_ROLES)->name;
	size_t n = strlen(opts->input_dir) + strlen(roles) + 2;
	char *path = xmalloc(n);
	snprintf(path, n, "%s/%s", opts->input_dir, roles);
	bool ok = stat(path, &st) == 0;
	free(path);
	if (!ok)
		return wr_fail(err, WR_ERR_NOINPUT, "%s not found in input folder '%s'", roles,
			       opts->input_dir);
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
