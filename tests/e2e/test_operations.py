"""End-to-end: the tool as an operator runs it: scheduled periods, names
that never clobber, workforce-report-latest.xlsx, --keep, failures an
operator can act on, one form for every output-path problem, --log.

The clock is SOURCE_DATE_EPOCH, read in UTC: 1767225600 is 2026-01-01,
1775001600 is 2026-04-01, 1782864000 is 2026-07-01, 1759276800 is
2025-10-01 (each 00:00 UTC, a quarter's first day, when cron runs)."""

import os
import stat
import unittest

import e2e_common as E

QUARTER_DAYS = [("1759276800", "2025-09-30"), ("1767225600", "2025-12-31"),
                ("1775001600", "2026-03-31"), ("1782864000", "2026-06-30")]


def run_at(epoch, *args):
    return E.run_tool(*args, env_extra={"SOURCE_DATE_EPOCH": epoch})


def reports(folder):
    return sorted(n for n in os.listdir(folder) if n.endswith(".xlsx"))


class Schedule(unittest.TestCase):
    def test_four_quarters_of_cron(self):
        out = E.workdir("schedule")
        for epoch, day in QUARTER_DAYS:
            p = run_at(epoch, "-q", "--strict", "-i", E.samples(), "-o", out,
                       "--as-of", "last-quarter")
            self.assertEqual(p.returncode, 0, E.describe(p))
            self.assertIn("workforce-report-%s.xlsx" % day, reports(out))
            # latest is this run's report: the same file (a hard link)
            latest = os.stat(os.path.join(out, "workforce-report-latest.xlsx"))
            this = os.stat(os.path.join(out, "workforce-report-%s.xlsx" % day))
            self.assertEqual((latest.st_ino, latest.st_dev), (this.st_ino, this.st_dev))
        self.assertEqual(reports(out), ["workforce-report-%s.xlsx" % d for _, d in QUARTER_DAYS]
                         + ["workforce-report-latest.xlsx"])
        # no lock file left behind after a run
        self.assertNotIn(".workforce-report.lock", os.listdir(out))

        # an analyst's --since run the same day clobbers nothing, and an
        # older as-of does not move latest
        p = run_at(QUARTER_DAYS[-1][0], "-q", "-i", E.samples(), "-o", out, "--since", "2022",
                   "--as-of", "2026-03-31")
        self.assertEqual(p.returncode, 0, E.describe(p))
        self.assertIn("workforce-report-2022-01-01_2026-03-31.xlsx", reports(out))
        latest = os.stat(os.path.join(out, "workforce-report-latest.xlsx"))
        newest = os.stat(os.path.join(out, "workforce-report-2026-06-30.xlsx"))
        self.assertEqual(latest.st_ino, newest.st_ino)

        # --keep 2: the two newest dated reports stay
        p = run_at(QUARTER_DAYS[-1][0], "-q", "-i", E.samples(), "-o", out, "--as-of",
                   "last-quarter", "--keep", "2")
        self.assertEqual(p.returncode, 0, E.describe(p))
        self.assertEqual(reports(out), ["workforce-report-2026-03-31.xlsx",
                                        "workforce-report-2026-06-30.xlsx",
                                        "workforce-report-latest.xlsx"])

    def test_as_of_forms_and_since_back(self):
        out = E.workdir("as_of_forms")
        for arg, day in (("2026-Q1", "2026-03-31"), ("2026-02", "2026-02-28")):
            p = E.run_tool("-q", "-i", E.samples(), "-o", out, "--as-of", arg)
            self.assertEqual(p.returncode, 0, E.describe(p))
            self.assertIn("workforce-report-%s.xlsx" % day, reports(out))
        p = E.run_tool("-q", "-i", E.samples(), "-o", out, "--as-of", "2026-Q2", "--since", "8q")
        self.assertEqual(p.returncode, 0, E.describe(p))
        self.assertIn("workforce-report-2024-07-01_2026-06-30.xlsx", reports(out))


class Failures(unittest.TestCase):
    def test_strict_quiet_names_the_row_and_keeps_the_list(self):
        work = E.workdir("strict_one_bad_row")
        data = os.path.join(work, "in")
        os.makedirs(data)
        with open(os.path.join(E.fixture("small"), "roles.csv"), encoding="utf-8") as f:
            roles = f.read()
        with open(os.path.join(data, "roles.csv"), "w", encoding="utf-8") as f:
            f.write(roles + "E099,Backend Engineer,Backend Engineer,ic,3,Create,2023-02-30,,\n")
        lines = roles.count("\n") + 1
        out = os.path.join(work, "out")
        p = E.run_tool("--strict", "-q", "-i", data, "-o", out, "--as-of", "2024-06-30")
        self.assertEqual(p.returncode, E.EXIT_DATA, E.describe(p))
        self.assertIn("roles.csv:%d: row rejected: " % lines, p.stderr)
        self.assertIn("column 'start_date', value '2023-02-30'", p.stderr)
        rejected = os.path.join(out, "workforce-report-2024-06-30.rejected.csv")
        self.assertIn("1 row rejected and --strict is set: no report written; every problem "
                      "is listed in %s" % rejected, p.stderr)
        self.assertEqual(stat.S_IMODE(os.stat(rejected).st_mode) & 0o037, 0)
        with open(rejected, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("2023-02-30", text)
        self.assertEqual(reports(out), [])

    def test_wrong_date_format_is_a_data_error_with_the_right_hint(self):
        out = E.workdir("date_format")
        p = E.run_tool("-q", "-i", E.samples(), "-o", out, "--as-of", "2026-06-30",
                       "--date-format", "mdy")
        self.assertEqual(p.returncode, E.EXIT_DATA, E.describe(p))
        self.assertIn("rows rejected (the dates look like --date-format iso)", p.stderr)
        self.assertNotIn("mdy or dmy", p.stderr)
        # --allow-rejects writes the (nearly empty) report anyway
        p = E.run_tool("-q", "-i", E.samples(), "-o", out, "--as-of", "2026-06-30",
                       "--date-format", "mdy", "--allow-rejects")
        self.assertEqual(p.returncode, 0, E.describe(p))

    def test_every_output_path_problem_is_73_in_one_form(self):
        work = E.workdir("output_paths")
        with open(os.path.join(work, "plain-file"), "w") as f:
            f.write("x")
        cases = [
            ("", "the path is empty"),
            (os.path.join(work, "out.csv"), "neither a .xlsx file nor a folder"),
            (os.path.join(work, "plain-file"), "it exists and is not a folder"),
            (os.path.join(work, "missing", "deeper", "r.xlsx"), "its folder does not exist"),
            ("/proc/x.xlsx", None),
        ]
        for arg, why in cases:
            with self.subTest(output=arg):
                p = E.run_tool("-q", "-i", E.fixture("small"), "--as-of", "2024-06-30",
                               "-o", arg)
                self.assertEqual(p.returncode, E.EXIT_CANTCREAT, E.describe(p))
                first = p.stderr.splitlines()[0]
                self.assertTrue(first.startswith("workforce-report: cannot write the report to '"),
                                first)
                self.assertNotIn("lock", first)
                if why:
                    self.assertTrue(first.endswith(why), first)
        # a folder given with a trailing slash: one slash in the name written
        p = E.run_tool("-i", E.fixture("small"), "--as-of", "2024-06-30", "-o", work + "/")
        self.assertEqual(p.returncode, 0, E.describe(p))
        self.assertNotIn("//", p.stderr)

    def test_one_row_grammar_and_log(self):
        work = E.workdir("log")
        log = os.path.join(work, "runs.log")
        for _ in range(2):
            p = E.run_tool("-i", E.fixture("small"), "--as-of", "2024-06-30", "-o", work,
                           "--log", log)
            self.assertEqual(p.returncode, 0, E.describe(p))
        p = E.run_tool("-q", "-i", E.fixture("small"), "--as-of", "2024-06-30", "-o",
                       os.path.join(work, "x.csv"), "--log", log)
        with open(log, encoding="utf-8") as f:
            lines = f.read().splitlines()
        self.assertEqual(len(lines), 3)
        self.assertIn("as_of=2024-06-30", lines[0])
        self.assertIn("read=19 ", lines[0])
        self.assertTrue(lines[0].endswith("exit=0"), lines[0])
        self.assertTrue(lines[2].endswith("exit=73"), lines[2])


if __name__ == "__main__":
    E.parse_args_and_run_tests()
