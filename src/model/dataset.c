/* dataset.c - see dataset.h. */
#include "model/dataset.h"

#include <stdlib.h>
#include <string.h>

#include "core/sort.h"

void dataset_init(struct dataset *ds)
{
	memset(ds, 0, sizeof(*ds));
	strtab_init(&ds->ids);
	strtab_init(&ds->strs);
	dq_init(&ds->dq, DQ_DEFAULT_LIMIT);
	ds->earliest = WR_DATE_NONE;
	ds->latest = WR_DATE_NONE;
	for (size_t t = 0; t < TRACK_COUNT; t++)
		for (size_t l = 0; l < WR_LEVEL_SLOTS; l++)
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
	if (track >= TRACK_COUNT || level >= WR_LEVEL_SLOTS)
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
