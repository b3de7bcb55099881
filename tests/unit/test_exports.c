/* The exports: CSV fields (numbers, dates, quoting, the formula guard),
 * the folder written atomically with stale tables removed, failures; the
 * JSON document's nulls, flags and byte-stable form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "model/dataset.h"
#include "model/date.h"
#include "workbook/export_csv.h"
#include "workbook/export_json.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	umask(022);
	strcpy(dir, "/tmp/wr-exp-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	static char buf[8192];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static size_t entries(const char *folder)
{
	DIR *d = opendir(folder);
	assert_non_null(d);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

#define T(s) {CSV_TEXT, 0, (s)}
#define N(v) {CSV_NUMBER, (v), NULL}
#define D(d) {CSV_DATE, (double)(d), NULL}
#define EMPTY {CSV_EMPTY, 0, NULL}

static void test_fields(void **state)
{
	(void)state;
	char out[128];
	snprintf(out, sizeof(out), "%s/a/b", dir); /* two levels created */
	struct csv_export x;
	csv_export_init(&x, out);
	const struct csv_cell cells[] = {
		T("Name"), T("Value"), T("Day"),
		T("say \"hi\", then\nleave"), N(3.0), D(date_from_ymd(2026, 6, 30)),
		T("=HYPERLINK(\"x\")"), N(-2.5), EMPTY,
		T("+1"), N(0.1), N(NAN),
		T("-Frontend"), N(-0.0), T(""),
		T("@cmd"), N(1.0 / 3.0), T("suppressed (n<5)"),
		T("\tx"), N(1e20), T("a-b"),
		T("\rx"), N(-123456789012.0), T("'quoted"),
	};
	csv_export_table(&x, "tbl_t", cells, 8, 3);
	struct wr_errmsg err = {{0}};
	assert_int_equal(csv_export_write(&x, &err), WR_OK);
	char path[160];
	snprintf(path, sizeof(path), "%s/tbl_t.csv", out);
	const char *text = slurp(path);
	assert_non_null(text);
	assert_string_equal(text, "\"Name\",\"Value\",\"Day\"\r\n"
				  "\"say \"\"hi\"\", then\nleave\",3,2026-06-30\r\n"
				  "\"'=HYPERLINK(\"\"x\"\")\",-2.5,\r\n"
				  "\"'+1\",0.1,\r\n"
				  "\"'-Frontend\",0,\"\"\r\n"
				  "\"'@cmd\",0.3333333333333333,\"suppressed (n<5)\"\r\n"
				  "\"'\tx\",1e+20,\"a-b\"\r\n"
				  "\"'\rx\",-123456789012,\"'quoted\"\r\n");
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0750);
	assert_int_equal(entries(out), 1); /* no temporary file left */
	csv_export_release(&x);
}

static void test_numbers_read_back(void **state)
{
	(void)state;
	/* the shortest form that reads back: 17 digits only where needed */
	const double values[] = {0.1 + 0.2, 1e-300, 5e-324, 1.7976931348623157e308, 2.0 / 3.0,
				 -1e-5, 9007199254740993.0, 123.456};
	struct csv_cell cells[8];
	for (int i = 0; i < 8; i++)
		cells[i] = (struct csv_cell){CSV_NUMBER, values[i], NULL};
	struct csv_export x;
	csv_export_init(&x, dir);
	csv_export_table(&x, "tbl_n", cells, 8, 1);
	struct wr_errmsg err = {{0}};
	assert_int_equal(csv_export_write(&x, &err), WR_OK);
	char path[160];
	snprintf(path, sizeof(path), "%s/tbl_n.csv", dir);
	char *text = slurp(path);
	assert_non_null(text);
	char *line = strtok(text, "\r\n");
	for (int i = 0; i < 8; i++, line = strtok(NULL, "\r\n")) {
		assert_non_null(line);
		assert_true(strtod(line, NULL) == values[i]);
	}
	assert_null(line);
	snprintf(path, sizeof(path), "%s/tbl_n.csv", dir);
	text = slurp(path);
	assert_memory_equal(text, "0.30000000000000004\r\n", 21);
	assert_string_equal(text + strlen(text) - 9, "123.456\r\n");
	csv_export_release(&x);
}

static void test_rerun_replaces_and_removes_stale(void **state)
{
	(void)state;
	char path[160];
	snprintf(path, sizeof(path), "%s/tbl_old.csv", dir);
	FILE *f = fopen(path, "w");
	fputs("old\r\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/tbl_keep.csv", dir);
	f = fopen(path, "w");
	fputs("old\r\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/notes.csv", dir);
	f = fopen(path, "w");
	fputs("mine\r\n", f);
	fclose(f);

	struct csv_export x;
	csv_export_init(&x, dir);
	const struct csv_cell one[] = {T("A"), N(1)};
	const struct csv_cell two[] = {T("A"), N(2)};
	csv_export_table(&x, "tbl_keep", one, 2, 1);
	csv_export_table(&x, "tbl_keep", two, 2, 1); /* the same name again: replaced */
	struct wr_errmsg err = {{0}};
	assert_int_equal(csv_export_write(&x, &err), WR_OK);
	csv_export_release(&x);
	snprintf(path, sizeof(path), "%s/tbl_keep.csv", dir);
	assert_string_equal(slurp(path), "\"A\"\r\n2\r\n");
	snprintf(path, sizeof(path), "%s/tbl_old.csv", dir);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/notes.csv", dir);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(entries(dir), 2);
}

static void test_failures(void **state)
{
	(void)state;
	char file[96], target[160], inner[200];
	snprintf(file, sizeof(file), "%s/a-file", dir);
	FILE *f = fopen(file, "w");
	fputs("x\n", f);
	fclose(f);
	const struct csv_cell cells[] = {T("A"), N(1)};
	struct wr_errmsg err = {{0}};
	char expected[512];

	/* a file where the folder should be, and under it */
	struct csv_export x;
	csv_export_init(&x, file);
	csv_export_table(&x, "tbl_a", cells, 2, 1);
	assert_int_equal(csv_export_write(&x, &err), WR_ERR_CANTCREAT);
	snprintf(expected, sizeof(expected), "cannot write %s: %s", file, strerror(ENOTDIR));
	assert_string_equal(err.text, expected);
	csv_export_release(&x);

	snprintf(target, sizeof(target), "%s/sub", file);
	csv_export_init(&x, target);
	csv_export_table(&x, "tbl_a", cells, 2, 1);
	assert_int_equal(csv_export_write(&x, &err), WR_ERR_CANTCREAT);
	snprintf(expected, sizeof(expected), "cannot write %s: ", target);
	assert_memory_equal(err.text, expected, strlen(expected));
	csv_export_release(&x);

	/* a folder where a table's file should be: nothing is put in place */
	snprintf(target, sizeof(target), "%s/out", dir);
	assert_int_equal(mkdir(target, 0750), 0);
	snprintf(inner, sizeof(inner), "%s/tbl_b.csv", target);
	assert_int_equal(mkdir(inner, 0750), 0);
	csv_export_init(&x, target);
	csv_export_table(&x, "tbl_a", cells, 2, 1);
	csv_export_table(&x, "tbl_b", cells, 2, 1);
	assert_int_equal(csv_export_write(&x, &err), WR_ERR_CANTCREAT);
	snprintf(expected, sizeof(expected), "cannot write %s: ", inner);
	assert_memory_equal(err.text, expected, strlen(expected));
	csv_export_release(&x);
	assert_int_equal(entries(target), 2); /* tbl_b.csv/ and tbl_a.csv, no temporary file */

	/* no folder: nothing to do */
	csv_export_init(&x, NULL);
	assert_int_equal(csv_export_write(&x, &err), WR_OK);
	csv_export_release(&x);
}

static void test_json(void **state)
{
	(void)state;
	struct dataset ds;
	dataset_init(&ds);
	ds.dq.files[0].present = true;
	ds.dq.files[0].read = 10;
	ds.dq.files[0].used = 7;
	ds.dq.files[0].rejected = 3;
	ds.dq.files[0].warnings = 2;
	struct kpi_result kr;
	memset(&kr, 0, sizeof(kr));
	kr.now = (struct period){.first = date_from_ymd(2025, 7, 1),
				 .last = date_from_ymd(2026, 6, 30)};
	kr.prev = (struct period){.first = date_from_ymd(2024, 7, 1),
				  .last = date_from_ymd(2025, 6, 30)};
	kr.data_through = WR_DATE_NONE;
	for (int k = 0; k < KPI_COUNT; k++) {
		kr.k[k].name = "Figure";
		kr.k[k].n_label = "people";
		kr.k[k].available = true;
		kr.k[k].now = (struct kpi_value){.v = 0.25, .lo = NAN, .hi = INFINITY, .n = 40,
						 .shown = true};
		kr.k[k].prev = (struct kpi_value){.v = 12, .n = 3, .shown = false};
	}
	kr.k[KPI_HEADCOUNT].stock = true;
	kr.k[KPI_INTERN_CONVERSION].available = false;
	struct report r = {.ds = &ds, .version = "9.9.9", .generated = 1719792000,
			   .since = date_from_ymd(2022, 1, 1), .as_of = date_from_ymd(2026, 6, 30),
			   .min_group = 5, .kpi = &kr};
	struct json_export j = {.path = "-", .workbook = "r\xff.xlsx", .exit_status = 0};
	char *a = json_export_text(&r, &j);
	char *b = json_export_text(&r, &j);
	assert_non_null(a);
	assert_string_equal(a, b); /* byte-stable */
	assert_non_null(strstr(a, "\n  \"as_of\": \"2026-06-30\",\n"));
	assert_non_null(strstr(a, "\"schema\": \"workforce-report/1\""));
	assert_non_null(strstr(a, "\"data_through\": null"));
	assert_non_null(strstr(a, "\"workbook\": \"r\xEF\xBF\xBD.xlsx\"")); /* not UTF-8: U+FFFD */
	assert_non_null(strstr(a, "\"issues\": null"));
	assert_non_null(strstr(a, "\"value\": 0.25\n"));
	assert_non_null(strstr(a, "\"low\": null,"));
	assert_non_null(strstr(a, "\"high\": null,"));
	assert_non_null(strstr(a, "\"earlier\": null,"));
	assert_non_null(strstr(a, "\"earlier_suppressed\": true,"));
	assert_non_null(strstr(a, "\"earlier_n\": 3,"));
	assert_non_null(strstr(a, "\"read\": 10,"));
	assert_non_null(strstr(a, "\"id\": \"intern_conversion\""));
	assert_null(strstr(a, "NaN"));
	assert_null(strstr(a, "nan"));
	assert_null(strstr(a, "inf"));
	/* the stock's day; the unavailable figure: null, not suppressed */
	const char *hc = strstr(a, "\"id\": \"headcount\"");
	assert_non_null(hc);
	const char *ic = strstr(a, "\"id\": \"intern_conversion\"");
	const char *ic_obj = ic; /* its object: an element of "kpis", indented by 4 */
	while (ic_obj > a && strncmp(ic_obj, "\n    {", 6) != 0)
		ic_obj--;
	const char *avail = strstr(ic_obj, "\"available\": false");
	assert_non_null(avail);
	assert_true(avail < ic);
	assert_non_null(strstr(ic, "\"suppressed\": false"));
	assert_non_null(strstr(ic, "\"value\": null"));
	free(a);
	free(b);
	dataset_release(&ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numbers_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rerun_replaces_and_removes_stale, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_failures, setup, teardown),
		cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
