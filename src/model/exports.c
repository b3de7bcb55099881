/* exports.c - see exports.h. */
#include "model/exports.h"

static const char *const file_names[WR_FILE_COUNT] = {
	[WR_FILE_ROLES] = WR_ROLES_CSV,
	[WR_FILE_PROMOTIONS] = WR_PROMOTIONS_CSV,
	[WR_FILE_TRANSFERS] = WR_TRANSFERS_CSV,
	[WR_FILE_SECONDMENTS] = WR_SECONDMENTS_CSV,
	[WR_FILE_INTERNS] = WR_INTERNS_CSV,
	[WR_FILE_LATERAL] = WR_LATERAL_CSV,
	[WR_FILE_LEVELS] = WR_LEVELS_CSV,
};

const char *wr_file_name(enum wr_file file)
{
	return (unsigned)file < WR_FILE_COUNT ? file_names[file] : "";
}
