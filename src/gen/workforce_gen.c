/* workforce_gen.c - workforce-gen: writes a realistic, deterministic HRIS-style
 * data set (roles, promotions, transfers, secondments, interns and the
 * sanctioned lateral options) for exercising workforce-report.
 *
 * The same arguments always give byte-identical files. All randomness comes
 * from two GSL mt19937 generators:
 *   career - seeded with S; hire dates and careers, and nothing else.
 *   aux    - seeded from S; interns, secondments, then manager picks.
 *
 * Careers are generated twice, one employee at a time, from a freshly seeded
 * career generator. The first pass only records who held a management role in
 * which department when (a small list, indexed by month); the second pass
 * replays exactly the same careers and writes roles.csv, promotions.csv and
 * transfers.csv, choosing each role's manager from that index. Memory stays
 * small whatever the number of employees.
 *
 * Promotions. A level spell (a run of roles at one track and level) draws its
 * promotion day once, when it starts: with the level's chance p, after a
 * lognormal wait (the level's median, PROMO_SIGMA; at least MIN_PROMO_DAYS);
 * transfers and department changes within the spell keep that day. The
 * hazard of promotion therefore depends only on the time t since the spell
 * started, h0(t) = -d/dt log(1 - p F(t)) with F the lognormal CDF, never on
 * the calendar date, the company's age or who the employee is. Moves from IC
 * level 3 into management, which promotions.csv also records (3 to 4), have
 * a constant hazard, MGMT_MOVE_RATE (memoryless, redrawn at each role, but
 * none in a role's first MIN_EVENT_DAYS).
 *
 * --promotion-speedup R (R != 0; 0, the default, changes nothing) adds a
 * calendar trend, as a proportional-hazards model: the hazard at time t in
 * the spell becomes h0(t) (1 + R)^(Y - 2020), Y being the calendar year of
 * the day start + t (so the factor steps on each 1 January, and is 1 in
 * 2020). The hazard of moving into management (IC level 3 or 4 to
 * Engineering Manager; from level 3 that move is a promotion in
 * promotions.csv) is constant, MGMT_MOVE_RATE, and gets the same factor.
 * Each wait is drawn by inverting its cumulative hazard with one exponential
 * draw, calendar year by calendar year; the floors (no promotion in a spell's
 * first MIN_PROMO_DAYS, no move in a role's first MIN_EVENT_DAYS) still
 * apply. The share of spells ever promoted changes with the factor as well:
 * it is 1 - (1 - p)^f for a constant factor f. A Cox model of the spells with
 * strata track x level and the calendar year as a covariate then estimates a
 * hazard ratio of 1 + R per year.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <csv.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "gen/gen_names.h"
#include "model/date.h"

#define PROG "workforce-gen"

#define EXIT_USAGE 64
#define EXIT_SOFTWARE 70
#define EXIT_IO 74

#define MAX_EMPLOYEES 9999999L
#define DAYS_PER_YEAR 365.2425
/* An event that never happens (also the "still held" end of a role). */
#define NEVER WR_DATE_OPEN
/* Waits longer than this many days are treated as never. */
#define MAX_WAIT_DAYS 40000.0

#define BIG_BUFFER (1u << 20)
#define SMALL_BUFFER (1u << 16)

enum track { TRACK_IC, TRACK_MGMT };

/* ---- tunables ---------------------------------------------------------- */

/* Hires grow by this factor per year: exp(HIRE_GROWTH). */
static const double HIRE_GROWTH = 0.05;
/* Yearly hazards (exponential clocks). */
static const double ATTRITION_RATE = 0.105;
static const double TRANSFER_RATE = 0.05;
static const double TRANSFER_RATE_UNSANCTIONED = 0.0125;
static const double SANCTIONED_SHARE = 0.9;
static const double TRANSFER_DEPT_CHANGE = 0.35;
static const double DEPT_CHANGE_RATE = 0.18;
static const double MGMT_MOVE_RATE = 0.03;
/* Share of new managers who go back to the IC track, and when. */
static const double MGMT_RETURN_SHARE = 0.4;
static const double MGMT_RETURN_MEDIAN = 700.0;
static const double MGMT_RETURN_SIGMA = 0.5;
/* Returners from Engineering Manager who came from Senior go back as Staff
 * this often (else as Senior). */
static const double MGMT_RETURN_AS_STAFF = 0.4;

/* Median days at a level before a promotion (lognormal), and the chance
 * that someone at that level is ever promoted from it. Index: level. */
static const double IC_PROMO_MEDIAN[7] = {0, 510, 640, 850, 1000, 1100, 0};
static const double IC_PROMO_CHANCE[7] = {0, 0.95, 0.9, 0.6, 0.35, 0.2, 0};
static const double MGMT_PROMO_MEDIAN[7] = {0, 0, 0, 0, 1100, 1300, 0};
static const double MGMT_PROMO_CHANCE[7] = {0, 0, 0, 0, 0.35, 0.25, 0};
static const double PROMO_SIGMA = 0.45;
static const double MIN_PROMO_DAYS = 120;
static const double MIN_EVENT_DAYS = 30;
/* --promotion-speedup: the calendar year in which the factor is 1, and the
 * range of R (print_help and parse_args spell these out). */
static const int SPEEDUP_BASE_YEAR = 2020;
static const double SPEEDUP_MIN = -0.5;
static const double SPEEDUP_MAX = 1.0;

/* Entry levels 1-3 for ordinary hires. */
static const double ENTRY_LEVEL_WEIGHTS[3] = {25, 45, 30};

/* Interns. */
static const int INTERN_FIRST_YEAR = 2019;
static const double INTERN_HIRED = 0.45;
static const double INTERN_DECLINED = 0.15;
static const double INTERN_BY_MR = 0.30;
static const double INTERN_HIRED_INTERMEDIATE = 0.2;

/* Secondments. */
static const int SECONDMENT_FIRST_YEAR = 2022;
static const double SECONDMENT_GROWTH = 0.3;
/* Upcoming (start after as-of): this many per thousand secondees. */
static const long SECONDMENT_UPCOMING_PER_MILLE = 15;
static const double SECONDMENT_ODD_LENGTH = 0.05;
static const double SECONDMENT_EARLY = 0.10;
static const double SECONDMENT_EXTENDED = 0.10;
/* Planned months 3..12 for most secondments. */
static const double SECONDMENT_MONTH_WEIGHTS[10] = {10, 8, 6, 20, 5, 5, 12, 4, 3, 15};

/* ---- options ----------------------------------------------------------- */

struct options {
	long employees;
	unsigned long seed;
	wr_date as_of;
	int start_year;
	double promo_speedup; /* R of --promotion-speedup; 0 when off */
	const char *out;
	bool verbose;
};

/* ---- CSV text fields, encoded once ------------------------------------- */

struct enc {
	unsigned char len;
	char s[95];
};

struct texts {
	struct enc ic_title[IC_FAMILY_COUNT][7];
	struct enc em_title[DEPT_COUNT];
	struct enc director;
	struct enc vp;
	struct enc family[FAM_COUNT];
	struct enc dept[DEPT_COUNT];
};

/* ---- output files ------------------------------------------------------ */

struct ofile {
	char path[4096];
	FILE *fp;
	char *buf;
	int err; /* first errno seen; 0 while all is well */
};

/* ---- generated records ------------------------------------------------- */

enum outcome { OUTCOME_NONE, OUTCOME_HIRED, OUTCOME_DECLINED, OUTCOME_NO_OFFER };

struct intern {
	wr_date start, end, hire;
	int32_t employee; /* employee index when hired, else -1 */
	uint32_t seq;     /* draw order: tie-break for sorting */
	unsigned char backend, by_mr, outcome, level;
};

struct secondee {
	wr_date start, planned_end, end;
	uint32_t seq;
	int mrs;
	unsigned char employer, team;
};

/* One management role: who, where, when (end clamped to as-of). */
struct span {
	wr_date start, end;
	int32_t employee;
	unsigned char dept, level;
};

/* Management spans by (department, level 4-6, month): every span that
 * overlaps the month, as indices into spans. */
struct span_index {
	int months;
	size_t *offset; /* DEPT_COUNT * 3 * months + 1 */
	uint32_t *item;
};

struct role {
	wr_date start, end;
	unsigned char track, family, level, dept;
};

struct career {
	struct role cur, prev;
	bool has_prev;
	wr_date last_day; /* last day employed; may be after as-of */
	wr_date promo_at, return_at;
	unsigned char ic_family, mgmt_from_level;
};

struct counts {
	long roles, promotions, transfers, active, leavers, spans;
	long interns, hired_interns, secondees;
};

struct gen {
	const struct options *opt;
	wr_date epoch; /* 1 January of the start year */
	gsl_rng *career;
	gsl_rng *aux;
	gsl_ran_discrete_t *family_pick;
	gsl_ran_discrete_t *entry_pick;
	gsl_ran_discrete_t *dept_pick[IC_FAMILY_COUNT];
	gsl_ran_discrete_t *employer_pick;
	gsl_ran_discrete_t *months_pick;
	struct texts text;

	struct intern *interns;
	size_t n_interns;
	uint32_t *hired; /* interns[] indices of hires, by hire date */
	size_t n_hired;
	struct secondee *secondees;
	size_t n_secondees;

	struct span *spans;
	size_t n_spans, cap_spans;
	struct span_index index;

	bool writing; /* second pass: write files */
	int32_t employee;
	struct ofile roles, promotions, transfers;
	struct counts count;
	bool out_of_memory;
};

/* ---- small helpers ----------------------------------------------------- */

static wr_date min_date(wr_date a, wr_date b)
{
	return a < b ? a : b;
}

static wr_date max_date(wr_date a, wr_date b)
{
	return a > b ? a : b;
}

/* Monday 0 ... Sunday 6 (1970-01-01 was a Thursday). */
static int weekday(wr_date d)
{
	return (int)(((d % 7) + 7 + 3) % 7);
}

static wr_date next_weekday(wr_date d)
{
	int w = weekday(d);
	return w >= 5 ? d + (7 - w) : d;
}

/* start + days (at least min_days); NEVER for absurdly long waits. */
static wr_date after(wr_date start, double days, double min_days)
{
	if (!(days < MAX_WAIT_DAYS))
		return NEVER;
	if (days < min_days)
		days = min_days;
	return start + (wr_date)days;
}

static bool chance(gsl_rng *r, double p)
{
	return gsl_ran_bernoulli(r, p) != 0;
}

static unsigned long pick(gsl_rng *r, unsigned long n)
{
	return gsl_rng_uniform_int(r, n);
}

/* A day drawn from [lo, hi]. */
static wr_date day_between(gsl_rng *r, wr_date lo, wr_date hi)
{
	if (hi <= lo)
		return lo;
	return lo + (wr_date)pick(r, (unsigned long)(hi - lo) + 1);
}

/* A yearly hazard as a waiting time in days. */
static double hazard_wait(gsl_rng *r, double per_year)
{
	return gsl_ran_exponential(r, DAYS_PER_YEAR / per_year);
}

/* ---- text encoding and formatting -------------------------------------- */

static bool needs_quotes(const char *s)
{
	return strpbrk(s, ",\"\r\n") != NULL;
}

static void encode(struct enc *e, const char *s)
{
	size_t n = strlen(s);
	if (needs_quotes(s))
		n = csv_write(e->s, sizeof e->s, s, n);
	else if (n <= sizeof e->s)
		memcpy(e->s, s, n);
	e->len = (unsigned char)(n <= sizeof e->s ? n : 0);
}

static void build_texts(struct texts *t)
{
	char buf[96];
	for (int f = 0; f < IC_FAMILY_COUNT; f++) {
		for (int level = 1; level <= 6; level++) {
			if (level == 6)
				snprintf(buf, sizeof buf, "%s", ic_level_names[6]);
			else
				snprintf(buf, sizeof buf, "%s %s", ic_level_names[level], family_names[f]);
			encode(&t->ic_title[f][level], buf);
		}
	}
	for (int d = 0; d < DEPT_COUNT; d++) {
		snprintf(buf, sizeof buf, "Engineering Manager, %s", dept_names[d]);
		encode(&t->em_title[d], buf);
		encode(&t->dept[d], dept_names[d]);
	}
	encode(&t->director, "Director of Engineering");
	encode(&t->vp, "VP of Engineering");
	for (int f = 0; f < FAM_COUNT; f++)
		encode(&t->family[f], family_names[f]);
}

static const struct enc *role_title(const struct texts *t, const struct role *r)
{
	if (r->track == TRACK_IC)
		return &t->ic_title[r->family][r->level];
	if (r->level == 4)
		return &t->em_title[r->dept];
	return r->level == 5 ? &t->director : &t->vp;
}

static char *put_enc(char *p, const struct enc *e)
{
	memcpy(p, e->s, e->len);
	return p + e->len;
}

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

static char *put_digits(char *p, unsigned long v, int width)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n < width)
		tmp[n++] = '0';
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

static char *put_date(char *p, wr_date day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	p = put_digits(p, (unsigned long)y, 4);
	*p++ = '-';
	p = put_digits(p, (unsigned long)m, 2);
	*p++ = '-';
	return put_digits(p, (unsigned long)d, 2);
}

static char *put_opt_date(char *p, wr_date day)
{
	return day == NEVER ? p : put_date(p, day);
}

/* Employee index 0 is E0000001. */
static char *put_employee(char *p, int32_t index)
{
	*p++ = 'E';
	return put_digits(p, (unsigned long)index + 1, 7);
}

/* ---- output files ------------------------------------------------------ */

static int make_dirs(const char *dir)
{
	char path[4096];
	size_t n = strlen(dir);
	if (n == 0 || n >= sizeof path) {
		fprintf(stderr, PROG ": %s: %s\n", dir, strerror(ENAMETOOLONG));
		return -1;
	}
	memcpy(path, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		char saved = path[i];
		path[i] = '\0';
		if (mkdir(path, 0750) != 0 && errno != EEXIST) {
			fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
			return -1;
		}
		path[i] = saved;
	}
	struct stat st;
	if (stat(dir, &st) != 0) {
		fprintf(stderr, PROG ": %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, PROG ": %s: %s\n", dir, strerror(ENOTDIR));
		return -1;
	}
	return 0;
}

static int ofile_open(struct ofile *of, const char *dir, const char *name, size_t bufsize)
{
	of->fp = NULL;
	of->buf = NULL;
	of->err = 0;
	int n = snprintf(of->path, sizeof of->path, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof of->path) {
		fprintf(stderr, PROG ": %s/%s: %s\n", dir, name, strerror(ENAMETOOLONG));
		return -1;
	}
	of->fp = fopen(of->path, "w");
	if (of->fp == NULL) {
		fprintf(stderr, PROG ": %s: %s\n", of->path, strerror(errno));
		return -1;
	}
	of->buf = malloc(bufsize);
	if (of->buf != NULL)
		setvbuf(of->fp, of->buf, _IOFBF, bufsize);
	return 0;
}

static void ofile_write(struct ofile *of, const char *p, size_t n)
{
	if (of->err != 0)
		return;
	if (fwrite(p, 1, n, of->fp) != n)
		of->err = errno != 0 ? errno : EIO;
}

static void ofile_puts(struct ofile *of, const char *s)
{
	ofile_write(of, s, strlen(s));
}

/* A text field, quoted by libcsv when it needs quoting. */
static void ofile_text(struct ofile *of, const char *s)
{
	if (!needs_quotes(s)) {
		ofile_puts(of, s);
		return;
	}
	if (of->err == 0 && csv_fwrite(of->fp, s, strlen(s)) != 0)
		of->err = errno != 0 ? errno : EIO;
}

/* Close (if open) and report the first error. Returns 0 or -1. */
static int ofile_close(struct ofile *of)
{
	if (of->fp != NULL) {
		errno = 0;
		if (fclose(of->fp) != 0 && of->err == 0)
			of->err = errno != 0 ? errno : EIO;
		of->fp = NULL;
	}
	free(of->buf);
	of->buf = NULL;
	if (of->err != 0) {
		fprintf(stderr, PROG ": %s: %s\n", of->path, strerror(of->err));
		of->err = 0;
		return -1;
	}
	return 0;
}

/* ---- interns ----------------------------------------------------------- */

/* A cohort start: January (35%), summer (50%) or any time (15%). */
static wr_date intern_cohort_day(gsl_rng *r, int year)
{
	double u = gsl_rng_uniform(r);
	wr_date d;
	if (u < 0.35)
		d = date_from_ymd(year, 1, 6) + (wr_date)pick(r, 10);
	else if (u < 0.85)
		d = date_from_ymd(year, 5, 18) + (wr_date)pick(r, 45);
	else
		d = date_from_ymd(year, 1, 1) + (wr_date)pick(r, 365);
	return next_weekday(d);
}

static wr_date intern_start(struct gen *g, const gsl_ran_discrete_t *years, int first_year,
                            wr_date lo, wr_date hi)
{
	for (int tries = 0; tries < 50; tries++) {
		int year = first_year + (int)gsl_ran_discrete(g->aux, years);
		wr_date d = intern_cohort_day(g->aux, year);
		if (d >= lo && d <= hi)
			return d;
	}
	return day_between(g->aux, lo, hi);
}

static void intern_outcome(struct gen *g, struct intern *in)
{
	const wr_date as_of = g->opt->as_of;
	in->outcome = OUTCOME_NONE;
	in->hire = NEVER;
	in->employee = -1;
	if (in->end > as_of)
		return;
	double u = gsl_rng_uniform(g->aux);
	/* A hire must start by as-of; when that cannot be, the offer is declined. */
	bool can_hire = in->end < as_of && (long)g->n_hired < g->opt->employees;
	if (u < INTERN_HIRED && can_hire) {
		in->outcome = OUTCOME_HIRED;
		wr_date hire = next_weekday(in->end + 7 + (wr_date)pick(g->aux, 39));
		if (hire > as_of)
			hire = in->end + 1 + (wr_date)pick(g->aux, (unsigned long)(as_of - in->end));
		in->hire = hire;
		in->level = chance(g->aux, INTERN_HIRED_INTERMEDIATE) ? 2 : 1;
		g->n_hired++;
	} else if (u < INTERN_HIRED + INTERN_DECLINED) {
		in->outcome = OUTCOME_DECLINED;
	} else {
		in->outcome = OUTCOME_NO_OFFER;
	}
}

static int cmp_intern_start(const void *a, const void *b)
{
	const struct intern *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

struct hire_key {
	wr_date hire;
	uint32_t intern;
};

static int cmp_hire_key(const void *a, const void *b)
{
	const struct hire_key *x = a, *y = b;
	if (x->hire != y->hire)
		return x->hire < y->hire ? -1 : 1;
	return x->intern < y->intern ? -1 : x->intern > y->intern;
}

/* g->hired: the hired interns (indices into the sorted g->interns) in hire
 * order. */
static int order_hires(struct gen *g)
{
	struct hire_key *keys = malloc((g->n_hired + 1) * sizeof *keys);
	if (keys == NULL)
		return -1;
	size_t h = 0;
	for (size_t i = 0; i < g->n_interns; i++)
		if (g->interns[i].outcome == OUTCOME_HIRED)
			keys[h++] = (struct hire_key){g->interns[i].hire, (uint32_t)i};
	qsort(keys, h, sizeof *keys, cmp_hire_key);
	for (size_t i = 0; i < h; i++)
		g->hired[i] = keys[i].intern;
	free(keys);
	return 0;
}

static int make_interns(struct gen *g)
{
	const wr_date as_of = g->opt->as_of;
	long n = g->opt->employees / 20;
	if (n < 20)
		n = 20;
	wr_date lo = max_date(date_from_ymd(INTERN_FIRST_YEAR, 1, 1), g->epoch);
	if (lo > as_of)
		lo = g->epoch;
	int first_year = date_year(lo), last_year = date_year(as_of);

	double weights[WR_YEAR_MAX - WR_YEAR_MIN + 1];
	for (int y = first_year; y <= last_year; y++)
		weights[y - first_year] = 1.0 + 0.3 * (y - first_year);
	gsl_ran_discrete_t *years = gsl_ran_discrete_preproc((size_t)(last_year - first_year + 1), weights);
	g->interns = calloc((size_t)n, sizeof *g->interns);
	g->hired = calloc((size_t)n, sizeof *g->hired);
	if (years == NULL || g->interns == NULL || g->hired == NULL) {
		if (years != NULL)
			gsl_ran_discrete_free(years);
		return -1;
	}
	g->n_interns = (size_t)n;
	for (size_t i = 0; i < g->n_interns; i++) {
		struct intern *in = &g->interns[i];
		in->seq = (uint32_t)i;
		in->start = intern_start(g, years, first_year, lo, as_of);
		in->backend = chance(g->aux, 0.55);
		in->by_mr = chance(g->aux, INTERN_BY_MR);
		in->end = date_add_months(in->start, 3 + (int)pick(g->aux, 4)) - 1;
		intern_outcome(g, in);
	}
	gsl_ran_discrete_free(years);

	qsort(g->interns, g->n_interns, sizeof *g->interns, cmp_intern_start);
	g->count.interns = (long)g->n_interns;
	g->count.hired_interns = (long)g->n_hired;
	return order_hires(g);
}

/* ---- secondments ------------------------------------------------------- */

/* A start in [lo, hi] (hi is as-of), more in later years; or, when upcoming,
 * within two months after as-of. */
static wr_date secondment_start(struct gen *g, wr_date lo, wr_date hi, bool upcoming)
{
	if (upcoming)
		return next_weekday(hi + 1 + (wr_date)pick(g->aux, 60));
	double span = (double)(hi - lo + 1);
	double growth = SECONDMENT_GROWTH * span / DAYS_PER_YEAR;
	double q = gsl_rng_uniform(g->aux);
	wr_date d = lo + (wr_date)(span * log1p(q * expm1(growth)) / growth);
	d = next_weekday(d);
	return d > hi ? hi : d;
}

static int secondment_months(struct gen *g)
{
	if (!chance(g->aux, SECONDMENT_ODD_LENGTH))
		return 3 + (int)gsl_ran_discrete(g->aux, g->months_pick);
	if (chance(g->aux, 0.5))
		return 1 + (int)pick(g->aux, 2);
	return 13 + (int)pick(g->aux, 6);
}

static wr_date secondment_end(struct gen *g, const struct secondee *s)
{
	double u = gsl_rng_uniform(g->aux);
	if (u < SECONDMENT_EARLY) {
		double len = (double)(s->planned_end - s->start + 1);
		wr_date end = s->start + (wr_date)(len * gsl_ran_flat(g->aux, 0.2, 0.85));
		return min_date(end, s->planned_end - 1);
	}
	if (u < SECONDMENT_EARLY + SECONDMENT_EXTENDED)
		return date_add_months(s->planned_end + 1, 1 + (int)pick(g->aux, 4)) - 1;
	double jitter = round(gsl_ran_gaussian(g->aux, 2.0));
	if (jitter < -4)
		jitter = -4;
	if (jitter > 4)
		jitter = 4;
	return max_date(s->start, s->planned_end + (wr_date)jitter);
}

static int secondment_mrs(struct gen *g, const struct secondee *s)
{
	const wr_date as_of = g->opt->as_of;
	double rate = gsl_ran_gamma(g->aux, 6.0, 0.35); /* MRs per month */
	if (s->start > as_of)
		return 0;
	double months = (double)(min_date(s->end, as_of) - s->start + 1) / 30.44;
	return (int)gsl_ran_poisson(g->aux, months * rate);
}

static int cmp_secondee(const void *a, const void *b)
{
	const struct secondee *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int make_secondees(struct gen *g)
{
	const wr_date as_of = g->opt->as_of;
	long n = g->opt->employees / 25;
	if (n < 20)
		n = 20;
	wr_date lo = max_date(date_from_ymd(SECONDMENT_FIRST_YEAR, 1, 1), g->epoch);
	if (as_of - lo < 60)
		lo = max_date(g->epoch, as_of - 365);
	g->secondees = calloc((size_t)n, sizeof *g->secondees);
	if (g->secondees == NULL)
		return -1;
	g->n_secondees = (size_t)n;
	const size_t upcoming = (size_t)(n * SECONDMENT_UPCOMING_PER_MILLE / 1000);
	for (size_t i = 0; i < g->n_secondees; i++) {
		struct secondee *s = &g->secondees[i];
		s->seq = (uint32_t)i;
		s->employer = (unsigned char)gsl_ran_discrete(g->aux, g->employer_pick);
		s->team = (unsigned char)pick(g->aux, DEPT_COUNT);
		s->start = secondment_start(g, lo, as_of, i < upcoming);
		s->planned_end = date_add_months(s->start, secondment_months(g)) - 1;
		s->end = secondment_end(g, s);
		s->mrs = secondment_mrs(g, s);
	}
	qsort(g->secondees, g->n_secondees, sizeof *g->secondees, cmp_secondee);
	g->count.secondees = n;
	return 0;
}

/* ---- management spans -------------------------------------------------- */

static int month_of(const struct gen *g, wr_date d)
{
	int y, m, day;
	date_to_ymd(d, &y, &m, &day);
	return (y - g->opt->start_year) * 12 + (m - 1);
}

static size_t span_list(const struct gen *g, int dept, int level, int month)
{
	return ((size_t)dept * 3 + (size_t)(level - 4)) * (size_t)g->index.months + (size_t)month;
}

static void add_span(struct gen *g, const struct role *r)
{
	if (g->n_spans == g->cap_spans) {
		size_t cap = g->cap_spans ? g->cap_spans * 2 : 1024;
		struct span *p = realloc(g->spans, cap * sizeof *p);
		if (p == NULL) {
			g->out_of_memory = true;
			return;
		}
		g->spans = p;
		g->cap_spans = cap;
	}
	g->spans[g->n_spans++] = (struct span){
		.start = r->start,
		.end = min_date(r->end, g->opt->as_of),
		.employee = g->employee,
		.dept = r->dept,
		.level = r->level,
	};
}

static int build_span_index(struct gen *g)
{
	struct span_index *ix = &g->index;
	ix->months = month_of(g, g->opt->as_of) + 1;
	size_t lists = (size_t)DEPT_COUNT * 3 * (size_t)ix->months;
	ix->offset = calloc(lists + 1, sizeof *ix->offset);
	if (ix->offset == NULL)
		return -1;
	for (size_t i = 0; i < g->n_spans; i++) {
		const struct span *s = &g->spans[i];
		for (int m = month_of(g, s->start); m <= month_of(g, s->end); m++)
			ix->offset[span_list(g, s->dept, s->level, m) + 1]++;
	}
	for (size_t i = 0; i < lists; i++)
		ix->offset[i + 1] += ix->offset[i];
	ix->item = malloc((ix->offset[lists] + 1) * sizeof *ix->item);
	size_t *fill = malloc((lists + 1) * sizeof *fill);
	if (ix->item == NULL || fill == NULL) {
		free(fill);
		return -1;
	}
	memcpy(fill, ix->offset, (lists + 1) * sizeof *fill);
	for (size_t i = 0; i < g->n_spans; i++) {
		const struct span *s = &g->spans[i];
		for (int m = month_of(g, s->start); m <= month_of(g, s->end); m++)
			ix->item[fill[span_list(g, s->dept, s->level, m)]++] = (uint32_t)i;
	}
	free(fill);
	return 0;
}

static bool span_covers(const struct span *s, wr_date day)
{
	return s->start <= day && day <= s->end;
}

/* A manager at exactly this level, in dept, in post on day, chosen uniformly
 * among those who are; -1 when there is none. */
static int32_t manager_at_level(struct gen *g, int dept, int level, int month, wr_date day)
{
	const size_t list = span_list(g, dept, level, month);
	const uint32_t *item = g->index.item + g->index.offset[list];
	const size_t n = g->index.offset[list + 1] - g->index.offset[list];
	if (n == 0)
		return -1;
	for (int tries = 0; tries < 8; tries++) {
		const struct span *s = &g->spans[item[pick(g->aux, n)]];
		if (span_covers(s, day))
			return s->employee;
	}
	size_t hits = 0;
	for (size_t i = 0; i < n; i++)
		hits += span_covers(&g->spans[item[i]], day);
	if (hits == 0)
		return -1;
	size_t want = pick(g->aux, hits);
	for (size_t i = 0; i < n; i++) {
		const struct span *s = &g->spans[item[i]];
		if (span_covers(s, day) && want-- == 0)
			return s->employee;
	}
	return -1;
}

/* The manager of a role: the lowest management level above the role (from
 * Engineering Manager for ICs) that has someone in the department in post
 * on the role's first day. */
static int32_t pick_manager(struct gen *g, const struct role *r)
{
	int level = r->track == TRACK_IC ? 4 : r->level + 1;
	int month = month_of(g, r->start);
	for (; level <= 6; level++) {
		int32_t m = manager_at_level(g, r->dept, level, month, r->start);
		if (m >= 0)
			return m;
	}
	return -1;
}

/* ---- writing career rows ----------------------------------------------- */

static void write_role(struct gen *g, const struct role *r)
{
	char line[512];
	char *p = put_employee(line, g->employee);
	*p++ = ',';
	p = put_enc(p, role_title(&g->text, r));
	*p++ = ',';
	p = put_enc(p, &g->text.family[r->family]);
	*p++ = ',';
	p = put_str(p, r->track == TRACK_IC ? "ic" : "management");
	*p++ = ',';
	*p++ = (char)('0' + r->level);
	*p++ = ',';
	p = put_enc(p, &g->text.dept[r->dept]);
	*p++ = ',';
	p = put_date(p, r->start);
	*p++ = ',';
	p = put_opt_date(p, r->end);
	*p++ = ',';
	int32_t manager = pick_manager(g, r);
	if (manager >= 0)
		p = put_employee(p, manager);
	*p++ = '\n';
	ofile_write(&g->roles, line, (size_t)(p - line));
}

static void write_promotion(struct gen *g, const struct role *from, const struct role *to)
{
	char line[512];
	char *p = put_employee(line, g->employee);
	*p++ = ',';
	p = put_date(p, to->start);
	*p++ = ',';
	*p++ = (char)('0' + from->level);
	*p++ = ',';
	*p++ = (char)('0' + to->level);
	*p++ = ',';
	p = put_enc(p, role_title(&g->text, from));
	*p++ = ',';
	p = put_enc(p, role_title(&g->text, to));
	*p++ = '\n';
	ofile_write(&g->promotions, line, (size_t)(p - line));
}

static void write_transfer(struct gen *g, const struct role *from, const struct role *to)
{
	char line[512];
	char *p = put_employee(line, g->employee);
	*p++ = ',';
	p = put_date(p, to->start);
	*p++ = ',';
	p = put_enc(p, &g->text.family[from->family]);
	*p++ = ',';
	p = put_enc(p, &g->text.family[to->family]);
	*p++ = ',';
	p = put_enc(p, &g->text.dept[from->dept]);
	*p++ = ',';
	p = put_enc(p, &g->text.dept[to->dept]);
	*p++ = '\n';
	ofile_write(&g->transfers, line, (size_t)(p - line));
}

/* A finished role (end set). First pass: note management spans. Second pass:
 * write the role and the promotion or transfer that started it. */
static void emit_role(struct gen *g, struct career *c)
{
	const struct role *r = &c->cur;
	if (!g->writing) {
		if (r->track == TRACK_MGMT)
			add_span(g, r);
		return;
	}
	write_role(g, r);
	g->count.roles++;
	if (r->track == TRACK_MGMT)
		g->count.spans++;
	if (!c->has_prev)
		return;
	const struct role *p = &c->prev;
	if (r->level > p->level) {
		write_promotion(g, p, r);
		g->count.promotions++;
	} else if (r->track == TRACK_IC && p->track == TRACK_IC && r->family != p->family) {
		write_transfer(g, p, r);
		g->count.transfers++;
	}
}

/* ---- careers ----------------------------------------------------------- */

enum event { EV_PROMOTION, EV_RETURN, EV_TO_MGMT, EV_TRANSFER, EV_DEPT, EV_COUNT };

static bool has_sanctioned_move(int family)
{
	for (size_t i = 0; i < COUNT_OF(lateral_options); i++)
		if (lateral_options[i].from == family)
			return true;
	return false;
}

/* A random move out of family from one of the pair tables; -1 if none. */
static int move_from(gsl_rng *r, const struct gen_family_pair *pairs, size_t n, int family)
{
	size_t hits = 0;
	for (size_t i = 0; i < n; i++)
		hits += pairs[i].from == family;
	if (hits == 0)
		return -1;
	size_t want = pick(r, hits);
	for (size_t i = 0; i < n; i++)
		if (pairs[i].from == family && want-- == 0)
			return pairs[i].to;
	return -1;
}

static int transfer_target(struct gen *g, int family)
{
	int to = -1;
	if (chance(g->career, SANCTIONED_SHARE))
		to = move_from(g->career, lateral_options, COUNT_OF(lateral_options), family);
	if (to < 0)
		to = move_from(g->career, other_moves, COUNT_OF(other_moves), family);
	if (to < 0)
		to = move_from(g->career, lateral_options, COUNT_OF(lateral_options), family);
	return to;
}

static int draw_dept(struct gen *g, int family)
{
	return (int)gsl_ran_discrete(g->career, g->dept_pick[family]);
}

/* Another department where the family works. */
static int draw_other_dept(struct gen *g, int family, int current)
{
	for (int tries = 0; tries < 16; tries++) {
		int d = draw_dept(g, family);
		if (d != current)
			return d;
	}
	for (int i = 1; i < DEPT_COUNT; i++) {
		int d = (current + i) % DEPT_COUNT;
		if (family_dept_weights[family][d] > 0)
			return d;
	}
	return (current + 1) % DEPT_COUNT;
}

/* A baseline hazard for --promotion-speedup, in days: the lognormal wait
 * (mu, sigma) that happens with chance p when p > 0, else a constant rate. */
struct baseline {
	double p, mu, sigma;
	double rate;
};

/* The baseline's cumulative hazard t days in. */
static double cum_hazard(const struct baseline *b, double t)
{
	if (t <= 0)
		return 0;
	if (b->p <= 0)
		return b->rate * t;
	return -log1p(-b->p * gsl_cdf_lognormal_P(t, b->mu, b->sigma));
}

/* The time at which the baseline's cumulative hazard reaches h; INFINITY
 * when it never does. */
static double cum_hazard_inverse(const struct baseline *b, double h)
{
	if (b->p <= 0)
		return h / b->rate;
	double f = -expm1(-h) / b->p;
	return f < 1 ? gsl_cdf_lognormal_Pinv(f, b->mu, b->sigma) : INFINITY;
}

/* --promotion-speedup: a wait in days from start under the hazard
 * h0(t) (1 + R)^(Y - SPEEDUP_BASE_YEAR), Y the calendar year of start + t,
 * by inverse transform, one calendar year at a time. INFINITY when the wait
 * would end after as-of, where no one sees it. */
static double speedup_wait(struct gen *g, const struct baseline *b, wr_date start)
{
	const wr_date as_of = g->opt->as_of;
	const double step = 1.0 + g->opt->promo_speedup;
	double e = gsl_ran_exponential(g->career, 1.0);
	int year = date_year(start);
	double factor = pow(step, year - SPEEDUP_BASE_YEAR);
	/* A quick way out for most spells never promoted by as-of: the factor
	 * is monotonic, so the hazard up to as-of is at most this. */
	double most = fmax(factor, pow(step, date_year(as_of) - SPEEDUP_BASE_YEAR));
	if (e > most * cum_hazard(b, (double)(as_of + 1 - start)))
		return INFINITY;
	double t0 = 0, cum0 = 0;
	for (;;) {
		wr_date next = date_from_ymd(year + 1, 1, 1);
		bool last = next > as_of;
		double t1 = (double)((last ? as_of + 1 : next) - start);
		double cum1 = cum_hazard(b, t1);
		double need = e / factor; /* baseline hazard still to go */
		if (cum1 - cum0 >= need)
			return fmax(t0, cum_hazard_inverse(b, cum0 + need));
		if (last)
			return INFINITY;
		e -= (cum1 - cum0) * factor;
		t0 = t1;
		cum0 = cum1;
		year++;
		factor *= step;
	}
}

/* When (if ever) the holder of c->cur, at this level since `since`, is
 * promoted. */
static wr_date draw_promotion(struct gen *g, const struct career *c, wr_date since)
{
	const bool ic = c->cur.track == TRACK_IC;
	const double p = ic ? IC_PROMO_CHANCE[c->cur.level] : MGMT_PROMO_CHANCE[c->cur.level];
	const double median = ic ? IC_PROMO_MEDIAN[c->cur.level] : MGMT_PROMO_MEDIAN[c->cur.level];
	if (p <= 0)
		return NEVER;
	if (g->opt->promo_speedup != 0) {
		const struct baseline b = {.p = p, .mu = log(median), .sigma = PROMO_SIGMA};
		return after(since, speedup_wait(g, &b, since), MIN_PROMO_DAYS);
	}
	if (!chance(g->career, p))
		return NEVER;
	return after(since, gsl_ran_lognormal(g->career, log(median), PROMO_SIGMA), MIN_PROMO_DAYS);
}

/* Days from start (a role's first day) to a move into management. */
static double mgmt_move_wait(struct gen *g, wr_date start)
{
	if (g->opt->promo_speedup == 0)
		return hazard_wait(g->career, MGMT_MOVE_RATE);
	const struct baseline b = {.rate = MGMT_MOVE_RATE / DAYS_PER_YEAR};
	return speedup_wait(g, &b, start);
}

/* The next event and its day (the first day of the next role). */
static enum event next_event(struct gen *g, const struct career *c, wr_date *when)
{
	const struct role *r = &c->cur;
	wr_date t[EV_COUNT] = {c->promo_at, NEVER, NEVER, NEVER, NEVER};
	if (r->track == TRACK_MGMT && r->level == 4)
		t[EV_RETURN] = c->return_at;
	if (r->track == TRACK_IC && (r->level == 3 || r->level == 4))
		t[EV_TO_MGMT] = after(r->start, mgmt_move_wait(g, r->start), MIN_EVENT_DAYS);
	if (r->track == TRACK_IC) {
		double rate = has_sanctioned_move(r->family) ? TRANSFER_RATE : TRANSFER_RATE_UNSANCTIONED;
		t[EV_TRANSFER] = after(r->start, hazard_wait(g->career, rate), MIN_EVENT_DAYS);
	}
	t[EV_DEPT] = after(r->start, hazard_wait(g->career, DEPT_CHANGE_RATE), MIN_EVENT_DAYS);

	enum event first = EV_PROMOTION;
	for (int e = 1; e < EV_COUNT; e++)
		if (t[e] < t[first])
			first = (enum event)e;
	*when = t[first];
	return first;
}

static void promote(struct gen *g, struct career *c)
{
	c->cur.level++;
	c->return_at = NEVER;
	c->promo_at = draw_promotion(g, c, c->cur.start);
}

static void return_to_ic(struct gen *g, struct career *c)
{
	bool staff = c->mgmt_from_level == 4 || chance(g->career, MGMT_RETURN_AS_STAFF);
	c->cur.track = TRACK_IC;
	c->cur.family = c->ic_family;
	c->cur.level = staff ? 4 : 3;
	c->return_at = NEVER;
	c->promo_at = draw_promotion(g, c, c->cur.start);
}

static void move_to_mgmt(struct gen *g, struct career *c)
{
	c->mgmt_from_level = c->cur.level;
	c->cur.track = TRACK_MGMT;
	c->cur.family = FAM_MANAGEMENT;
	c->cur.level = 4;
	c->promo_at = draw_promotion(g, c, c->cur.start);
	c->return_at = NEVER;
	if (chance(g->career, MGMT_RETURN_SHARE))
		c->return_at = after(c->cur.start,
		                     gsl_ran_lognormal(g->career, log(MGMT_RETURN_MEDIAN), MGMT_RETURN_SIGMA),
		                     60);
}

static void transfer(struct gen *g, struct career *c)
{
	int to = transfer_target(g, c->cur.family);
	if (to < 0) { /* no way out of this family: move department instead */
		c->cur.dept = (unsigned char)draw_other_dept(g, c->ic_family, c->cur.dept);
		return;
	}
	c->cur.family = (unsigned char)to;
	c->ic_family = (unsigned char)to;
	bool fits = family_dept_weights[to][c->cur.dept] > 0;
	if (!fits || chance(g->career, TRANSFER_DEPT_CHANGE))
		c->cur.dept = (unsigned char)draw_other_dept(g, to, c->cur.dept);
}

static void apply_event(struct gen *g, struct career *c, enum event ev)
{
	switch (ev) {
	case EV_PROMOTION:
		promote(g, c);
		break;
	case EV_RETURN:
		return_to_ic(g, c);
		break;
	case EV_TO_MGMT:
		move_to_mgmt(g, c);
		break;
	case EV_TRANSFER:
		transfer(g, c);
		break;
	case EV_DEPT:
		c->cur.dept = (unsigned char)draw_other_dept(g, c->ic_family, c->cur.dept);
		break;
	default:
		break;
	}
}

/* One employee's whole career, role by role. */
static void run_career(struct gen *g, wr_date hire, int family, int level)
{
	const wr_date as_of = g->opt->as_of;
	struct career c = {
		.cur = {.start = hire, .end = NEVER, .track = TRACK_IC, .family = (unsigned char)family,
		        .level = (unsigned char)level},
		.ic_family = (unsigned char)family,
		.return_at = NEVER,
	};
	c.cur.dept = (unsigned char)draw_dept(g, family);
	c.last_day = after(hire, hazard_wait(g->career, ATTRITION_RATE), 14);
	c.promo_at = draw_promotion(g, &c, hire);

	for (;;) {
		wr_date when;
		enum event ev = next_event(g, &c, &when);
		if (c.last_day < when || when > as_of) {
			bool left = c.last_day < when && c.last_day <= as_of;
			c.cur.end = left ? c.last_day : NEVER;
			emit_role(g, &c);
			if (g->writing) {
				if (left)
					g->count.leavers++;
				else
					g->count.active++;
			}
			return;
		}
		c.cur.end = when - 1;
		emit_role(g, &c);
		c.prev = c.cur;
		c.has_prev = true;
		c.cur.start = when;
		c.cur.end = NEVER;
		apply_event(g, &c, ev);
	}
}

/* Hire day k of n ordinary hires: stratified over [epoch, as-of] with
 * exponentially growing density, moved off weekends. Non-decreasing in k. */
static wr_date regular_hire_day(struct gen *g, long k, long n)
{
	const double span = (double)(g->opt->as_of - g->epoch + 1);
	const double growth = HIRE_GROWTH * span / DAYS_PER_YEAR;
	double q = ((double)k + gsl_rng_uniform(g->career)) / (double)n;
	wr_date d = g->epoch + (wr_date)(span * log1p(q * expm1(growth)) / growth);
	d = next_weekday(d);
	return d > g->opt->as_of ? g->opt->as_of : d;
}

/* One pass over all employees in hire order: ordinary hires merged with
 * hired interns. Returns -1 on an output error or when out of memory. */
static int run_careers(struct gen *g)
{
	const long n = g->opt->employees;
	const long regular = n - (long)g->n_hired;
	long k = 0;
	size_t h = 0;

	gsl_rng_set(g->career, g->opt->seed);
	wr_date next_regular = regular > 0 ? regular_hire_day(g, 0, regular) : NEVER;
	for (g->employee = 0; g->employee < n; g->employee++) {
		struct intern *in = h < g->n_hired ? &g->interns[g->hired[h]] : NULL;
		if (in != NULL && (k >= regular || in->hire < next_regular)) {
			in->employee = g->employee;
			h++;
			run_career(g, in->hire, in->backend ? FAM_BACKEND : FAM_FRONTEND, in->level);
		} else {
			wr_date hire = next_regular;
			int family = (int)gsl_ran_discrete(g->career, g->family_pick);
			int level = 1 + (int)gsl_ran_discrete(g->career, g->entry_pick);
			if (++k < regular)
				next_regular = regular_hire_day(g, k, regular);
			run_career(g, hire, family, level);
		}
		if (g->out_of_memory)
			return -1;
		if (g->writing && (g->roles.err || g->promotions.err || g->transfers.err))
			return -1;
	}
	return 0;
}

/* ---- the small files --------------------------------------------------- */

static int write_lateral_options(const char *dir)
{
	struct ofile of;
	if (ofile_open(&of, dir, "lateral-options.csv", SMALL_BUFFER) != 0)
		return -1;
	ofile_puts(&of, "from_family,to_family\n");
	for (size_t i = 0; i < COUNT_OF(lateral_options); i++) {
		ofile_text(&of, family_names[lateral_options[i].from]);
		ofile_puts(&of, ",");
		ofile_text(&of, family_names[lateral_options[i].to]);
		ofile_puts(&of, "\n");
	}
	return ofile_close(&of);
}

static const char *outcome_name(int outcome)
{
	switch (outcome) {
	case OUTCOME_HIRED:
		return "hired";
	case OUTCOME_DECLINED:
		return "offer_declined";
	case OUTCOME_NO_OFFER:
		return "no_offer";
	default:
		return "";
	}
}

static int write_interns(const struct gen *g, const char *dir)
{
	struct ofile of;
	if (ofile_open(&of, dir, "interns.csv", BIG_BUFFER) != 0)
		return -1;
	ofile_puts(&of, "intern_id,team,start_date,end_date,outcome,route,employee_id\n");
	for (size_t i = 0; i < g->n_interns && of.err == 0; i++) {
		const struct intern *in = &g->interns[i];
		char line[256];
		char *p = line;
		*p++ = 'I';
		p = put_digits(p, (unsigned long)i + 1, 5);
		*p++ = ',';
		p = put_str(p, in->backend ? "backend" : "frontend");
		*p++ = ',';
		p = put_date(p, in->start);
		*p++ = ',';
		p = put_date(p, in->end);
		*p++ = ',';
		p = put_str(p, outcome_name(in->outcome));
		*p++ = ',';
		p = put_str(p, in->by_mr ? "merge_requests" : "application");
		*p++ = ',';
		if (in->employee >= 0)
			p = put_employee(p, in->employee);
		*p++ = '\n';
		ofile_write(&of, line, (size_t)(p - line));
	}
	return ofile_close(&of);
}

static int write_secondees(const struct gen *g, const char *dir)
{
	const wr_date as_of = g->opt->as_of;
	struct ofile of;
	if (ofile_open(&of, dir, "secondments.csv", BIG_BUFFER) != 0)
		return -1;
	ofile_puts(&of, "secondee_id,employer,team,start_date,planned_end_date,end_date,merged_mrs\n");
	for (size_t i = 0; i < g->n_secondees && of.err == 0; i++) {
		const struct secondee *s = &g->secondees[i];
		char line[256];
		char *p = line;
		*p++ = 'S';
		p = put_digits(p, (unsigned long)i + 1, 5);
		*p++ = ',';
		ofile_write(&of, line, (size_t)(p - line));
		ofile_text(&of, employer_names[s->employer]);
		p = line;
		*p++ = ',';
		p = put_str(p, dept_names[s->team]);
		*p++ = ',';
		p = put_date(p, s->start);
		*p++ = ',';
		p = put_date(p, s->planned_end);
		*p++ = ',';
		if (s->start <= as_of && s->end <= as_of)
			p = put_date(p, s->end);
		*p++ = ',';
		p = put_digits(p, (unsigned long)s->mrs, 1);
		*p++ = '\n';
		ofile_write(&of, line, (size_t)(p - line));
	}
	return ofile_close(&of);
}

/* ---- set-up and tear-down ---------------------------------------------- */

static int gen_init(struct gen *g, const struct options *opt)
{
	memset(g, 0, sizeof *g);
	g->opt = opt;
	g->epoch = date_from_ymd(opt->start_year, 1, 1);
	g->career = gsl_rng_alloc(gsl_rng_mt19937);
	g->aux = gsl_rng_alloc(gsl_rng_mt19937);
	g->family_pick = gsl_ran_discrete_preproc(IC_FAMILY_COUNT, family_hire_weights);
	g->entry_pick = gsl_ran_discrete_preproc(3, ENTRY_LEVEL_WEIGHTS);
	g->employer_pick = gsl_ran_discrete_preproc(COUNT_OF(employer_weights), employer_weights);
	g->months_pick = gsl_ran_discrete_preproc(COUNT_OF(SECONDMENT_MONTH_WEIGHTS), SECONDMENT_MONTH_WEIGHTS);
	bool ok = g->career && g->aux && g->family_pick && g->entry_pick && g->employer_pick && g->months_pick;
	for (int f = 0; f < IC_FAMILY_COUNT; f++) {
		g->dept_pick[f] = gsl_ran_discrete_preproc(DEPT_COUNT, family_dept_weights[f]);
		ok = ok && g->dept_pick[f] != NULL;
	}
	if (!ok)
		return -1;
	gsl_rng_set(g->career, opt->seed);
	/* A different, fixed stream for everything that is not a career. */
	gsl_rng_set(g->aux, (opt->seed * 2654435761UL + 0x9e3779b9UL) & 0xffffffffUL);
	build_texts(&g->text);
	return 0;
}

static void gen_free(struct gen *g)
{
	if (g->career)
		gsl_rng_free(g->career);
	if (g->aux)
		gsl_rng_free(g->aux);
	gsl_ran_discrete_t *tables[] = {g->family_pick, g->entry_pick, g->employer_pick, g->months_pick};
	for (size_t i = 0; i < COUNT_OF(tables); i++)
		if (tables[i])
			gsl_ran_discrete_free(tables[i]);
	for (int f = 0; f < IC_FAMILY_COUNT; f++)
		if (g->dept_pick[f])
			gsl_ran_discrete_free(g->dept_pick[f]);
	free(g->interns);
	free(g->hired);
	free(g->secondees);
	free(g->spans);
	free(g->index.offset);
	free(g->index.item);
}

static int open_career_files(struct gen *g)
{
	const char *dir = g->opt->out;
	if (ofile_open(&g->roles, dir, "roles.csv", BIG_BUFFER) != 0 ||
	    ofile_open(&g->promotions, dir, "promotions.csv", BIG_BUFFER) != 0 ||
	    ofile_open(&g->transfers, dir, "transfers.csv", BIG_BUFFER) != 0)
		return -1;
	ofile_puts(&g->roles,
	           "employee_id,role,family,track,level,department,start_date,end_date,manager_id\n");
	ofile_puts(&g->promotions, "employee_id,effective_date,from_level,to_level,from_role,to_role\n");
	ofile_puts(&g->transfers,
	           "employee_id,effective_date,from_family,to_family,from_department,to_department\n");
	return 0;
}

/* Close all three; -1 if any had an error (each is reported). */
static int close_career_files(struct gen *g)
{
	int rc = 0;
	if (ofile_close(&g->roles) != 0)
		rc = -1;
	if (ofile_close(&g->promotions) != 0)
		rc = -1;
	if (ofile_close(&g->transfers) != 0)
		rc = -1;
	return rc;
}

static void print_summary(const struct gen *g)
{
	const struct counts *c = &g->count;
	fprintf(stderr,
	        PROG ": %ld employees (%ld active on as-of, %ld left), %ld role rows, "
	        "%ld management roles, %ld promotions, %ld transfers, %ld interns "
	        "(%ld hired), %ld secondees\n",
	        g->opt->employees, c->active, c->leavers, c->roles, c->spans, c->promotions,
	        c->transfers, c->interns, c->hired_interns, c->secondees);
}

static int out_of_memory(void)
{
	fprintf(stderr, PROG ": out of memory\n");
	return EXIT_SOFTWARE;
}

/* Everything after option parsing. Returns the exit status. */
static int generate(struct gen *g)
{
	if (make_interns(g) != 0 || make_secondees(g) != 0)
		return out_of_memory();
	if (run_careers(g) != 0 || build_span_index(g) != 0)
		return out_of_memory();
	if (make_dirs(g->opt->out) != 0)
		return EXIT_IO;
	if (write_lateral_options(g->opt->out) != 0 || write_interns(g, g->opt->out) != 0 ||
	    write_secondees(g, g->opt->out) != 0)
		return EXIT_IO;

	g->writing = true;
	int rc = open_career_files(g) == 0 ? run_careers(g) : -1;
	if (close_career_files(g) != 0 || rc != 0)
		return g->out_of_memory ? out_of_memory() : EXIT_IO;
	if (g->opt->verbose)
		print_summary(g);
	return 0;
}

/* ---- command line ------------------------------------------------------ */

static void print_help(void)
{
	fputs("usage: " PROG " --out DIR [--employees N] [--seed S] [--as-of YYYY-MM-DD]\n"
	      "                     [--start-year YYYY] [--promotion-speedup R] [-v] [-h]\n"
	      "\n"
	      "Write a synthetic, deterministic HRIS export into DIR (created if missing):\n"
	      "roles.csv, promotions.csv, transfers.csv, secondments.csv, interns.csv and\n"
	      "lateral-options.csv. The same arguments always give the same bytes.\n"
	      "\n"
	      "  --employees N      employee records, hired interns included (default 300)\n"
	      "  --seed S           random seed, 0-4294967295 (default 1)\n"
	      "  --as-of DATE       the export date; nothing starts later (default 2026-06-30)\n"
	      "  --start-year YYYY  first hires on 1 January of this year (default 2015)\n"
	      "  --promotion-speedup R\n"
	      "                     promotions speed up (R > 0) or slow down (R < 0) by the\n"
	      "                     factor 1+R each calendar year, R from -0.5 to 1\n"
	      "                     (default 0: no calendar trend, output as without it)\n"
	      "  --out DIR          output directory (required)\n"
	      "  -v, --verbose      print a summary of what was written to stderr\n"
	      "  -h, --help         show this help\n"
	      "\n"
	      "Promotion hazards depend only on the time spent at the level, not on the\n"
	      "calendar. With --promotion-speedup R the hazard of promotion t days into a\n"
	      "level is the default one times (1+R)^(Y-2020), Y the calendar year of that\n"
	      "day (proportional hazards; the factor changes on 1 January and is 1 in\n"
	      "2020). Moves into management, from IC level 3 or 4, get the same factor\n"
	      "(from level 3 such a move is a promotion in promotions.csv). So a Cox model\n"
	      "with the calendar year as covariate and track x level as strata estimates\n"
	      "a hazard ratio of 1+R per year. The share ever promoted from a level\n"
	      "changes too; promotions still come no sooner than 120 days into a level.\n"
	      "\n"
	      "Exit status: 0 success, 64 usage error, 70 out of memory, 74 I/O error.\n",
	      stdout);
}

enum parse_result { PARSE_OK, PARSE_HELP, PARSE_ERROR };

/* Report a usage error on one line. Returns PARSE_ERROR. */
static enum parse_result usage_error(const char *what, const char *arg)
{
	if (arg != NULL)
		fprintf(stderr, PROG ": %s: '%s' (try --help)\n", what, arg);
	else
		fprintf(stderr, PROG ": %s (try --help)\n", what);
	return PARSE_ERROR;
}

/* A plain decimal number (digits, sign, point, exponent) in [lo, hi]. */
static bool parse_number(const char *s, double lo, double hi, double *out)
{
	if (*s == '\0' || strspn(s, "0123456789+-.eE") != strlen(s))
		return false;
	errno = 0;
	char *end;
	double v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !(v >= lo && v <= hi))
		return false;
	*out = v;
	return true;
}

static bool parse_integer(const char *s, long long lo, long long hi, long long *out)
{
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* Matches "--name VALUE" and "--name=VALUE". On a match sets *value (NULL
 * when the value is missing) and returns true. */
static bool option_value(int argc, char **argv, int *i, const char *name, const char **value)
{
	const char *arg = argv[*i];
	size_t n = strlen(name);
	if (strncmp(arg, name, n) != 0)
		return false;
	if (arg[n] == '=') {
		*value = arg + n + 1;
		return true;
	}
	if (arg[n] != '\0')
		return false;
	*value = *i + 1 < argc ? argv[++*i] : NULL;
	return true;
}

static enum parse_result parse_args(int argc, char **argv, struct options *opt)
{
	*opt = (struct options){
		.employees = 300,
		.seed = 1,
		.as_of = date_from_ymd(2026, 6, 30),
		.start_year = 2015,
	};
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *v = NULL;
		long long n;
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
			return PARSE_HELP;
		if (strcmp(arg, "-v") == 0 || strcmp(arg, "--verbose") == 0) {
			opt->verbose = true;
		} else if (option_value(argc, argv, &i, "--employees", &v)) {
			if (v == NULL || !parse_integer(v, 1, MAX_EMPLOYEES, &n))
				return usage_error("--employees needs a whole number 1-9999999", v);
			opt->employees = (long)n;
		} else if (option_value(argc, argv, &i, "--seed", &v)) {
			if (v == NULL || !parse_integer(v, 0, 4294967295LL, &n))
				return usage_error("--seed needs a whole number 0-4294967295", v);
			opt->seed = (unsigned long)n;
		} else if (option_value(argc, argv, &i, "--as-of", &v)) {
			if (v == NULL || !date_parse(v, strlen(v), WR_DATE_ISO, &opt->as_of) ||
			    date_year(opt->as_of) > 9000)
				return usage_error("--as-of needs a date YYYY-MM-DD", v);
		} else if (option_value(argc, argv, &i, "--start-year", &v)) {
			if (v == NULL || !parse_integer(v, 1970, 9000, &n))
				return usage_error("--start-year needs a year 1970-9000", v);
			opt->start_year = (int)n;
		} else if (option_value(argc, argv, &i, "--promotion-speedup", &v)) {
			if (v == NULL || !parse_number(v, SPEEDUP_MIN, SPEEDUP_MAX, &opt->promo_speedup))
				return usage_error("--promotion-speedup needs a number from -0.5 to 1", v);
		} else if (option_value(argc, argv, &i, "--out", &v)) {
			if (v == NULL || *v == '\0')
				return usage_error("--out needs a directory", v);
			opt->out = v;
		} else {
			return usage_error("unknown argument", arg);
		}
	}
	if (opt->out == NULL)
		return usage_error("--out DIR is required", NULL);
	if (opt->as_of <= date_from_ymd(opt->start_year, 1, 1))
		return usage_error("--as-of must be after 1 January of --start-year", NULL);
	return PARSE_OK;
}

int main(int argc, char **argv)
{
	struct options opt;
	switch (parse_args(argc, argv, &opt)) {
	case PARSE_HELP:
		print_help();
		return 0;
	case PARSE_ERROR:
		return EXIT_USAGE;
	default:
		break;
	}
	gsl_set_error_handler_off();

	struct gen g;
	int rc = gen_init(&g, &opt) == 0 ? generate(&g) : out_of_memory();
	gen_free(&g);
	return rc;
}
