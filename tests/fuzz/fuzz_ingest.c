/* fuzz_ingest.c - libFuzzer harness over the whole ingest path: bytes ->
 * CSV -> header mapping -> validation -> model -> analyses.
 *
 * The input is split at each "\xFF\xFE" pair into one part per input file,
 * fed as roles.csv, promotions.csv, transfers.csv, secondments.csv,
 * interns.csv, lateral-options.csv and levels.csv in that order; a plain CSV
 * file is a roles.csv. Built with -DWR_FUZZ=ON (clang); fuzz_replay.c runs
 * the same function over saved inputs in every build, so each crash kept
 * under regressions/ stays a test.
 */
#include <gsl/gsl_errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ingest/load.h"
#include "metrics/mobility.h"
#include "metrics/programmes.h"
#include "metrics/retention.h"
#include "metrics/split.h"
#include "metrics/ttp.h"
#include "model/career.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gsl_set_error_handler_off();
	struct dataset ds;
	dataset_init(&ds);
	ds.dq.limit = 100;
	wr_date as_of = date_from_ymd(2024, 12, 31);
	struct load_opts lo = {.date_format = WR_DATE_ISO, .as_of = as_of};
	struct wr_errmsg err;

	const char *p = (const char *)data, *end = p + size;
	bool ok = true;
	for (int f = 0; f < WR_FILE_COUNT && p <= end && ok; f++) {
		const char *cut = p;
		while (cut + 1 < end && !((unsigned char)cut[0] == 0xFF && (unsigned char)cut[1] == 0xFE))
			cut++;
		if (cut + 1 >= end)
			cut = end;
		ok = load_buffer((enum wr_file)f, p, (size_t)(cut - p), &lo, &ds, &err) == WR_OK;
		if (cut == end)
			break;
		p = cut + 2;
	}
	if (ok) {
		struct model m;
		model_init(&m);
		model_build(&m, &ds);
		wr_date since = ds.earliest != WR_DATE_NONE && ds.earliest < as_of ? ds.earliest : as_of;
		/* the privacy rules run too: a small group size, and the previous
		 * quarter's release worked out from the same history */
		wr_date prev = ttp_previous_quarter(as_of);
		struct ttp_params tp = {since, as_of, KM_CI_LOGLOG, 3, prev};
		struct ttp_result ttp;
		ttp_compute(&m, &tp, &ttp);
		struct split_params sp = {since, as_of, 3};
		struct split_result split;
		split_compute(&m, &sp, &split);
		struct mobility_params mp = {since, as_of};
		struct mobility_result mob;
		mobility_compute(&m, &split, &mp, &mob);
		struct programme_params pp = {since, as_of, 3, KM_CI_LOGLOG, prev};
		struct secondment_result sec;
		struct intern_result in;
		secondments_compute(&m, &pp, &sec);
		interns_compute(&m, &pp, &in);
		struct retention_params rp = {since, as_of, KM_CI_LOGLOG, 3};
		struct retention_result ret;
		retention_compute(&m, &rp, &ret);
		retention_release(&ret);
		interns_release(&in);
		secondments_release(&sec);
		mobility_release(&mob);
		split_release(&split);
		ttp_release(&ttp);
		model_release(&m);
	}
	dataset_release(&ds);
	return 0;
}
