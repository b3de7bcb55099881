/* gen_names.h - static name and weight tables for workforce-gen.
 *
 * Only workforce_gen.c includes this file. Every table is indexed by the
 * enums below; the weights are relative (they need not sum to anything).
 */
#ifndef WR_GEN_NAMES_H
#define WR_GEN_NAMES_H

/* Job families. The IC families come first; FAM_MANAGEMENT is the family of
 * every management-track role. */
enum gen_family {
	FAM_BACKEND,
	FAM_FRONTEND,
	FAM_SUPPORT,
	FAM_PRODUCTION,
	FAM_AUTOMATION,
	FAM_SECURITY,
	FAM_UX,
	FAM_SOLUTIONS,
	FAM_IMPLEMENTATION,
	FAM_MANAGEMENT,
	FAM_COUNT
};

#define IC_FAMILY_COUNT FAM_MANAGEMENT

static const char *const family_names[FAM_COUNT] = {
	"Backend Engineer",
	"Frontend Engineer",
	"Support Engineer",
	"Production Engineer",
	"Automation Engineer",
	"Security Engineer",
	"UX Designer",
	"Solutions Architect",
	"Implementation Specialist",
	"Engineering Management",
};

/* How often each IC family is hired. */
static const double family_hire_weights[IC_FAMILY_COUNT] = {
	30, 25, 10, 7, 6, 6, 7, 5, 4,
};

enum gen_dept {
	DEPT_CREATE,
	DEPT_VERIFY,
	DEPT_RELEASE,
	DEPT_GEO,
	DEPT_GITALY,
	DEPT_MONITORING,
	DEPT_DISTRIBUTION,
	DEPT_SECURITY,
	DEPT_QUALITY,
	DEPT_SUPPORT,
	DEPT_COUNT
};

static const char *const dept_names[DEPT_COUNT] = {
	"Create", "Verify", "Release", "Geo", "Gitaly",
	"Monitoring", "Distribution", "Security", "Quality", "Support",
};

/* Where each IC family works. Every row has at least two non-zero entries, so
 * a department change always has somewhere to go. */
static const double family_dept_weights[IC_FAMILY_COUNT][DEPT_COUNT] = {
	/*                  Cre Ver Rel Geo Gly Mon Dis Sec Qua Sup */
	[FAM_BACKEND]     = {20, 18, 12, 8, 10, 8, 6, 4, 3, 1},
	[FAM_FRONTEND]    = {30, 20, 15, 5, 0, 12, 3, 5, 5, 0},
	[FAM_SUPPORT]     = {0, 0, 0, 4, 3, 0, 6, 0, 2, 85},
	[FAM_PRODUCTION]  = {0, 0, 10, 15, 15, 30, 25, 5, 0, 0},
	[FAM_AUTOMATION]  = {10, 15, 10, 0, 0, 0, 5, 0, 60, 0},
	[FAM_SECURITY]    = {5, 5, 5, 0, 0, 0, 0, 80, 5, 0},
	[FAM_UX]          = {40, 20, 15, 5, 0, 10, 0, 10, 0, 0},
	[FAM_SOLUTIONS]   = {10, 10, 10, 0, 0, 0, 0, 0, 0, 70},
	[FAM_IMPLEMENTATION] = {0, 0, 0, 10, 0, 0, 15, 0, 0, 75},
};

/* IC level names, index = level (1-6). Level 6 is the whole title. */
static const char *const ic_level_names[7] = {
	"", "Junior", "Intermediate", "Senior", "Staff", "Distinguished", "Fellow",
};

/* A directed family change. */
struct gen_family_pair {
	unsigned char from, to;
};

/* The sanctioned lateral options (lateral-options.csv), "<->" pairs listed in
 * both directions. */
static const struct gen_family_pair lateral_options[] = {
	{FAM_FRONTEND, FAM_UX},
	{FAM_UX, FAM_FRONTEND},
	{FAM_BACKEND, FAM_PRODUCTION},
	{FAM_PRODUCTION, FAM_BACKEND},
	{FAM_BACKEND, FAM_SUPPORT},
	{FAM_SUPPORT, FAM_BACKEND},
	{FAM_SUPPORT, FAM_SOLUTIONS},
	{FAM_SUPPORT, FAM_IMPLEMENTATION},
	{FAM_AUTOMATION, FAM_BACKEND},
	{FAM_BACKEND, FAM_AUTOMATION},
};

/* Moves that happen now and then although they are not sanctioned. */
static const struct gen_family_pair other_moves[] = {
	{FAM_FRONTEND, FAM_BACKEND},
	{FAM_BACKEND, FAM_FRONTEND},
	{FAM_BACKEND, FAM_SECURITY},
	{FAM_PRODUCTION, FAM_SECURITY},
	{FAM_SECURITY, FAM_BACKEND},
	{FAM_SOLUTIONS, FAM_SUPPORT},
	{FAM_IMPLEMENTATION, FAM_SUPPORT},
	{FAM_AUTOMATION, FAM_FRONTEND},
	{FAM_UX, FAM_SUPPORT},
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Partner employers of secondees: a few large, many small. One name has a
 * comma and one is non-ASCII, so readers meet quoting and UTF-8. */
static const char *const employer_names[] = {
	"Northwind Systems",
	"Contoso Cloud",
	"Fabrikam Software",
	"Adatum Consulting",
	"Tailspin Labs",
	"Lakeshore Data, Inc.",
	"Bluefin Analytics",
	"Granite Peak IT",
	"Zürich Code Works",
	"Orchard Street Digital",
	"Kestrel Devices",
	"Meridian Health Tech",
};

static const double employer_weights[COUNT_OF(employer_names)] = {
	24, 18, 14, 7, 6, 6, 5, 5, 4, 4, 4, 3,
};

#endif
