/* dataset.c - see dataset.h. */
#include "model/dataset.h"

#include <stdlib.h>
#include <string.h>

#include "core/sort.h"

const struct name_value track_names[] = {
	{"IC", TRACK_IC},
	{"Management", TRACK_MANAGEMENT},
	{NULL, 0},
};

const struct name_value outcome_names[] = {
	{"hired", OUTCOME_HIRED},
	{"offer_declined", OUTCOME_DECLINED},
	{"no_offer", OUTCOME_NO_OFFER},
	{NULL, 0},
};

const struct name_value route_names[] = {
	{"application", ROUTE_APPLICATION},
	{"merge_requests", ROUTE_MERGE_REQUESTS},
	{NULL, 0},
};

const char *track_name(enum wr_track t)
{
	return names_name(track_names, (int)t, "");
}

const char *outcome_name(enum wr_outcome o)
{
	return names_name(outcome_names, (int)o, "");
}

const char *route_name(enum wr_route r)
{
	return names_name(route_names, (int)r, "");
}

static unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Whether name (NUL-terminated) is s[0..len) in any case of ASCII letters,
 * as strncasecmp in the C locale says (inline: a call per row showed). */
static bool same_nocase(const char *name, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!name[i] || ascii_lower((unsigned char)name[i]) != ascii_lower((unsigned char)s[i]))
			return false;
	return name[len] == '\0';
}

/* The row of table whose name s[0..len) is, in any case. */
static bool find_nocase(const struct name_value *table, const char *s, size_t len, int *value)
{
	for (const struct name_value *r = table; r->name; r++)
		if (same_nocase(r->name, s, len)) {
			*value = r->value;
			return true;
		}
	return false;
}

bool track_from_name(const char *s, size_t len, enum wr_track *out)
{
	int v;
	if (!find_nocase(track_names, s, len, &v))
		return false;
	*out = (enum wr_track)v;
	return true;
}

bool outcome_from_name(const char *s, size_t len, enum wr_outcome *out)
{
	int v;
	if (!find_nocase(outcome_names, s, len, &v))
		return false;
	*out = (enum wr_outcome)v;
	return true;
}

bool route_from_name(const char *s, size_t len, enum wr_route *out)
{
	int v;
	if (!find_nocase(route_names, s, len, &v))
		return false;
	*out = (enum wr_route)v;
	return true;
}

void dataset_init(struct dataset *ds)
{
	memset(ds, 0, sizeof(*ds));
	strtab_init(&ds->ids);
	strtab_init(&ds->strs);
	dq_init(&ds->dq, DQ_DEFAULT_LIMIT);
	ds->earliest = WR_DATE_NONE;
	ds->latest = WR_DATE_NONE;
	for (size_t t = 0; t < TRACK_COUNT; t++)
		for (size_t l = 0; l < LEVEL_SLOTS; l++)
			ds->level_name[t][l] = STRTAB_NONE;
}

void dataset_release(struct dataset *ds)
{
	strtab_release(&ds->ids);
	strtab_release(&ds->strs);
	free(ds->roles);
	free(ds->promotions);
	free(ds->transfers);
	free(ds->secondments);
	free(ds->interns);
	free(ds->options);
	free(ds->levels);
	for (size_t i = 0; i < sizeof(ds->files) / sizeof(ds->files[0]); i++)
		free(ds->files[i].path);
	dq_release(&ds->dq);
	memset(ds, 0, sizeof(*ds));
}

const char *ds_str(const struct dataset *ds, uint32_t id)
{
	return id == STRTAB_NONE ? "" : strtab_get(&ds->strs, id);
}

const char *ds_id(const struct dataset *ds, uint32_t emp)
{
	return emp == STRTAB_NONE ? "" : strtab_get(&ds->ids, emp);
}

uint32_t ds_level_name(const struct dataset *ds, unsigned track, unsigned level)
{
	if (track >= TRACK_COUNT || level >= LEVEL_SLOTS)
		return STRTAB_NONE;
	return ds->level_name[track][level];
}

static int by_text(const void *a, const void *b, void *ctx)
{
	const struct dataset *ds = ctx;
	return strcmp(ds_str(ds, *(const uint32_t *)a), ds_str(ds, *(const uint32_t *)b));
}

void ds_sort_by_name(const struct dataset *ds, uint32_t *ids, size_t n)
{
	sort_with(ids, n, sizeof(*ids), by_text, (void *)ds);
}
