/* Safe output: path resolution, the lock, atomic replace, modes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>
#include <cmocka.h>

#include "workbook/output.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/wr-out-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static size_t count_entries(const char *prefix)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void test_folder_gets_dated_name(void **state)
{
	(void)state;
	struct output o;
	struct wr_errmsg err = {{0}};
	output_init(&o);
	assert_int_equal(output_prepare(&o, dir, WR_DATE_NONE, date_from_ymd(2026, 3, 31), &err), WR_OK);
	char expected[128];
	snprintf(expected, sizeof(expected), "%s/workforce-report-2026-03-31.xlsx", dir);
	assert_string_equal(o.path, expected);
	assert_non_null(o.tmp_path);
	assert_int_equal(count_entries(".workforce-report-"), 1);
	write_file(o.tmp_path, "report");
	assert_int_equal(output_commit(&o, &err), WR_OK);
	struct stat st;
	assert_int_equal(stat(expected, &st), 0);
	assert_int_equal(st.st_mode & 0007, 0); /* no world access */
	assert_int_equal(st.st_mode & 0020, 0); /* no group write */
	output_release(&o);
	assert_int_equal(count_entries(".workforce-report-"), 0);
}

static void test_failed_run_keeps_old_report(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/q.xlsx", dir);
	write_file(path, "old");
	struct output o;
	struct wr_errmsg err = {{0}};
	output_init(&o);
	assert_int_equal(output_prepare(&o, path, WR_DATE_NONE, date_from_ymd(2026, 3, 31), &err), WR_OK);
	write_file(o.tmp_path, "half-written");
	output_release(&o); /* no commit: the run failed */
	FILE *f = fopen(path, "r");
	char buf[16] = {0};
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "old");
	assert_int_equal(count_entries(".workforce-report-"), 0);
}

static void test_lock(void **state)
{
	(void)state;
	struct output a, b;
	struct wr_errmsg err = {{0}};
	output_init(&a);
	output_init(&b);
	assert_int_equal(output_prepare(&a, dir, WR_DATE_NONE, date_from_ymd(2026, 3, 31), &err), WR_OK);
	assert_int_equal(output_prepare(&b, dir, WR_DATE_NONE, date_from_ymd(2026, 3, 31), &err), WR_ERR_LOCKED);
	assert_non_null(strstr(err.text, "another run"));
	output_release(&b);
	output_release(&a);
	/* released: the next run gets it */
	assert_int_equal(output_prepare(&b, dir, WR_DATE_NONE, date_from_ymd(2026, 3, 31), &err), WR_OK);
	output_release(&b);
}

static void test_bad_destinations(void **state)
{
	(void)state;
	struct output o;
	struct wr_errmsg err = {{0}};
	char path[160];
	snprintf(path, sizeof(path), "%s/missing/sub/r.xlsx", dir);
	output_init(&o);
	assert_int_equal(output_prepare(&o, path, WR_DATE_NONE, date_from_ymd(2026, 3, 31), &err),
			 WR_ERR_CANTCREAT);
	output_release(&o);

	snprintf(path, sizeof(path), "%s/folder.xlsx", dir);
	mkdir(path, 0750);
	char inner[200];
	snprintf(inner, sizeof(inner), "%s/workforce-report-2026-03-31.xlsx", path);
	mkdir(inner, 0750); /* the dated name inside is itself a folder */
	output_init(&o);
	assert_int_equal(output_prepare(&o, path, WR_DATE_NONE, date_from_ymd(2026, 3, 31), &err),
			 WR_ERR_CANTCREAT);
	assert_non_null(strstr(err.text, "is a folder"));
	output_release(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_folder_gets_dated_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_run_keeps_old_report, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_destinations, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
