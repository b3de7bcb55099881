/* rref_dump.c - writes seeded pseudo-random survival data sets and this
 * code's estimates for them (Cox, Aalen-Johansen, Kaplan-Meier) as CSV files
 * into the folder given on the command line, for check.R to compare with R's
 * survival package. See README.md.
 *
 * Each data set: whole-day times with many ties, delayed entry for most
 * rows, several strata with different baseline hazards, a covariate 0..5
 * acting on the hazard, two competing outcomes and administrative
 * censoring; about 1% of the rows have exit <= entry and must take no part.
 *
 * Files: datasets.csv (id, rows); for each id, data_<id>.csv (the input),
 * cox_<id>.csv (one row), aj_<id>.csv and km_<id>.csv (the curves at every
 * step, kind "step", and at fixed query times, kind "query").
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "stats/aj.h"
#include "stats/cox.h"
#include "stats/km.h"

/* splitmix64: a small, fixed generator; its state is passed around */
static uint64_t next_u64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* uniform on (0, 1) */
static double next_unit(uint64_t *state)
{
	return ((double)(next_u64(state) >> 11) + 0.5) / 9007199254740992.0;
}

/* uniform on 0..n-1 */
static uint32_t next_below(uint64_t *state, uint32_t n)
{
	return (uint32_t)(next_unit(state) * n);
}

struct spec {
	int id;
	size_t n;
	uint32_t strata;
	double beta;  /* true log hazard ratio per unit of x */
	int32_t unit; /* times are rounded up to multiples of this many days */
	uint64_t seed;
};

static const struct spec specs[] = {
    {1, 50, 2, 0.30, 1, 20240101},    {2, 200, 3, 0.15, 1, 20240202},
    {3, 1000, 5, 0.10, 1, 20240303},  {4, 5000, 8, 0.12, 1, 20240404},
    {5, 5000, 1, 0.08, 30, 20240505}, /* monthly: heavy ties */
    {6, 2000, 4, 0.00, 7, 20240606},  /* no effect: p far from 0 */
    {7, 3000, 30, 0.20, 1, 20240707},
};

struct row {
	int32_t entry, exit;
	int state; /* 0 censored, 1 or 2 */
	int x;
	uint32_t stratum;
};

static void make_rows(const struct spec *sp, struct row *rows)
{
	uint64_t st = sp->seed;
	for (size_t i = 0; i < sp->n; i++) {
		struct row *r = &rows[i];
		uint32_t s = next_below(&st, sp->strata);
		r->stratum = 3 + 17 * s; /* labels need not be 0..k-1 */
		r->x = (int)next_below(&st, 6);
		r->entry = next_unit(&st) < 0.4 ? 0 : (int32_t)next_below(&st, 731);
		double rate = exp(sp->beta * r->x) / (900.0 + 250.0 * s);
		double t_out = -log(next_unit(&st)) / rate;
		double t_cens = 200 + 1800 * next_unit(&st);
		double t = fmin(t_out, t_cens);
		int32_t days = (int32_t)ceil(t / sp->unit) * sp->unit;
		r->exit = r->entry + (days > 0 ? days : sp->unit);
		r->state = t_out <= t_cens ? (next_unit(&st) < 0.6 ? 1 : 2) : 0;
		if (next_unit(&st) < 0.01)
			r->exit = r->entry - (int32_t)next_below(&st, 4); /* takes no part */
	}
}

static const double queries[] = {1,   30,   90.5,    180,  365.25, 500,	 730.5,
				 900, 1000, 1095.75, 1500, 2000,   3000, 10000};
#define N_QUERIES (sizeof(queries) / sizeof(queries[0]))

static FILE *open_out(const char *dir, const char *name, int id)
{
	char path[4096];
	if (id > 0)
		snprintf(path, sizeof(path), "%s/%s_%d.csv", dir, name, id);
	else
		snprintf(path, sizeof(path), "%s/%s.csv", dir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "rref_dump: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return f;
}

static void close_out(FILE *f)
{
	if (ferror(f) || fclose(f) != 0) {
		fprintf(stderr, "rref_dump: write error: %s\n", strerror(errno));
		exit(1);
	}
}

static void dump_cox(const char *dir, const struct spec *sp, const struct row *rows)
{
	struct cox_obs *obs = xmalloc(sp->n * sizeof(*obs));
	for (size_t i = 0; i < sp->n; i++)
		obs[i] = (struct cox_obs){.x = rows[i].x,
					  .entry = rows[i].entry,
					  .exit = rows[i].exit,
					  .stratum = rows[i].stratum,
					  .event = rows[i].state != 0};
	struct cox_result r;
	cox_fit(obs, sp->n, 0.95, &r);
	free(obs);
	if (!r.ok) {
		fprintf(stderr, "rref_dump: data set %d: the Cox fit failed\n", sp->id);
		exit(1);
	}
	FILE *f = open_out(dir, "cox", sp->id);
	fprintf(f, "used,events,iterations,beta,se,z,p,hr_lo,hr_hi,loglik0,loglik\n");
	fprintf(f, "%zu,%zu,%d,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n", r.used, r.events,
		r.iterations, r.beta, r.se, r.z, r.p, r.hr_lo, r.hr_hi, r.loglik0, r.loglik);
	close_out(f);
}

static void dump_aj(const char *dir, const struct spec *sp, const struct row *rows)
{
	struct aj_obs *obs = xmalloc(sp->n * sizeof(*obs));
	for (size_t i = 0; i < sp->n; i++)
		obs[i] = (struct aj_obs){rows[i].entry, rows[i].exit, (uint8_t)rows[i].state};
	struct aj_result r;
	aj_fit(obs, sp->n, 2, &r);
	free(obs);
	FILE *f = open_out(dir, "aj", sp->id);
	fprintf(f, "kind,time,surv,F1,F2\n");
	for (size_t j = 0; j < r.ntimes; j++)
		fprintf(f, "step,%.17g,%.17g,%.17g,%.17g\n", r.times[j], r.surv[j], r.cif[2 * j],
			r.cif[2 * j + 1]);
	for (size_t q = 0; q < N_QUERIES; q++)
		fprintf(f, "query,%.17g,%.17g,%.17g,%.17g\n", queries[q],
			aj_surv_at(&r, queries[q]), aj_cif_at(&r, 1, queries[q]),
			aj_cif_at(&r, 2, queries[q]));
	close_out(f);
	aj_result_release(&r);
}

static void dump_km(const char *dir, const struct spec *sp, const struct row *rows)
{
	struct km_obs *obs = xmalloc(sp->n * sizeof(*obs));
	for (size_t i = 0; i < sp->n; i++)
		obs[i] = (struct km_obs){rows[i].entry, rows[i].exit, rows[i].state != 0};
	struct km_result r;
	km_fit(obs, sp->n, KM_CI_LOGLOG, 0.95, &r);
	free(obs);
	FILE *f = open_out(dir, "km", sp->id);
	fprintf(f, "kind,time,surv\n");
	for (size_t j = 0; j < r.nsteps; j++)
		fprintf(f, "step,%.17g,%.17g\n", r.steps[j].t, r.steps[j].s);
	for (size_t q = 0; q < N_QUERIES; q++)
		fprintf(f, "query,%.17g,%.17g\n", queries[q], km_survival_at(&r, queries[q]));
	close_out(f);
	km_result_release(&r);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: rref_dump OUTPUT_FOLDER\n");
		return 2;
	}
	const char *dir = argv[1];
	FILE *list = open_out(dir, "datasets", 0);
	fprintf(list, "id,rows\n");
	for (size_t k = 0; k < sizeof(specs) / sizeof(specs[0]); k++) {
		const struct spec *sp = &specs[k];
		struct row *rows = xmalloc(sp->n * sizeof(*rows));
		make_rows(sp, rows);
		FILE *f = open_out(dir, "data", sp->id);
		fprintf(f, "entry,exit,state,x,stratum\n");
		for (size_t i = 0; i < sp->n; i++)
			fprintf(f, "%d,%d,%d,%d,%u\n", (int)rows[i].entry, (int)rows[i].exit,
				rows[i].state, rows[i].x, (unsigned)rows[i].stratum);
		close_out(f);
		dump_cox(dir, sp, rows);
		dump_aj(dir, sp, rows);
		dump_km(dir, sp, rows);
		fprintf(list, "%d,%zu\n", sp->id, sp->n);
		free(rows);
	}
	close_out(list);
	return 0;
}
