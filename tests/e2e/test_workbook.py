"""End-to-end: run workforce-report on tests/fixtures/small and on broken
inputs, and check the workbook (openpyxl), the exit codes and the file
handling (mode, atomic replace, temporary files, lock).

Hand-worked expectations for fixtures/small, as of 2024-06-30
(roles.csv: header on line 1, 14 data rows on lines 2-15):

  E001  ic 3 -> ic 4 from 2022-07-01, open ............. counts, IC
  E002  management 5 since 2021-01-04, open ............ counts, management
  E003  ic 2, last role ends 2024-06-30 = the as-of day .. counts, IC
  E004  left on 2023-03-31 ............................. does not count
  E005  ic 2 ends 2023-09-15, ic 3 starts 2023-09-15
        (next role starts on the previous end date: not an
        overlap, no warning) ............................. counts, IC
  E006  starts 2024-07-01, the day after (line 10) ...... does not count;
        a future-dated warning on roles.csv line 10
  E007  management 5 -> 6 from 2024-01-01, open ......... counts, management
  E008  ic 4, lateral move 2023-06-01 (same level), open . counts, IC
  E009  last day 2024-06-29, the day before ............. does not count

  Headcount 6: IC 4 (E001, E003, E005, E008), management 2 (E002, E007).
  Rows read: roles.csv 14, promotions.csv 3, transfers.csv 2; the other
  three files are not provided. No row is rejected. The only data issue is
  the future-dated E006 row (the three promotions match the level spells the
  roles show, and both transferred employees are in roles.csv).
"""

import datetime
import fcntl
import os
import re
import shutil
import stat
import sys
import time
import unittest

sys.dont_write_bytecode = True
import e2e_common as E  # noqa: E402

SHEETS = ["Summary", "Time to Promotion", "IC vs Management", "Promotions", "Transfers",
          "Retention", "Secondments", "Interns", "Data Quality", "About"]

AS_OF = "2024-06-30"


def small():
    return E.fixture("small")


def about_pairs(wb):
    """The About sheet's label -> value pairs (columns A and B)."""
    out = {}
    for a, b in wb["About"].iter_rows(min_col=1, max_col=2, values_only=True):
        if isinstance(a, str) and a not in out:
            out[a] = b
    return out


class SmallWorkbook(unittest.TestCase):
    """One run on fixtures/small, many checks on the workbook it writes."""

    @classmethod
    def setUpClass(cls):
        cls.dir = E.workdir("small")
        cls.out = os.path.join(cls.dir, "out.xlsx")
        cls.proc = E.run_tool("--input", small(), "--as-of", AS_OF, "--since", "2020",
                              "-o", cls.out)
        cls.wb = E.load(cls.out) if os.path.exists(cls.out) else None

    def setUp(self):
        self.assertEqual(self.proc.returncode, 0, E.describe(self.proc))
        self.assertIsNotNone(self.wb)

    def test_sheet_names_in_order(self):
        self.assertEqual(self.wb.sheetnames, SHEETS)

    def test_tables_on_their_sheets(self):
        self.assertEqual(sorted(self.wb["Summary"].tables.keys()),
                         ["tbl_kpi", "tbl_kpi_outcomes", "tbl_kpi_trend", "tbl_summary"])
        self.assertEqual(sorted(self.wb["Data Quality"].tables.keys()),
                         ["tbl_dq_files", "tbl_dq_summary"])
        self.assertEqual(len(self.wb["About"].tables), 0)

    def test_table_headers(self):
        expected = {
            "tbl_summary": ["Metric", "Value"],
            "tbl_dq_files": ["File", "Rows read", "Rows used", "Rows rejected", "Warnings"],
            "tbl_dq_summary": ["File", "Severity", "Problem", "Column", "Issues",
                               "First lines"],
        }
        for name, header in expected.items():
            with self.subTest(table=name):
                ws, cells, _ = E.table(self.wb, name)
                self.assertEqual(cells, header)
                # the table's own column names agree with the header cells
                cols = [c.name for c in ws.tables[name].tableColumns]
                self.assertEqual(cols, header)

    def test_headcount(self):
        m = E.summary_metrics(self.wb)
        self.assertEqual(m["Headcount on the as-of date"], 6)
        self.assertEqual(m["Headcount, IC track"], 4)
        self.assertEqual(m["Headcount, management track"], 2)

    def test_window_dates(self):
        # the window is on About; the Summary says it under its title
        about = about_pairs(self.wb)
        self.assertEqual(about["As-of date"], "2024-06-30")
        self.assertEqual(about["Window"], "2020-01-01 to 2024-06-30")
        sub = self.wb["Summary"]["A2"].value
        self.assertIn("As of 2024-06-30", sub)
        self.assertIn("2020-01-01 to 2024-06-30", sub)

    def test_rows_read_and_absent_files(self):
        # plumbing lives on Data Quality and About, not on the Summary
        files = E.dq_files(self.wb)
        self.assertEqual(files["roles.csv"]["Rows read"], 14)
        self.assertEqual(files["promotions.csv"]["Rows read"], 3)
        self.assertEqual(files["transfers.csv"]["Rows read"], 2)
        for absent in ("secondments.csv", "interns.csv", "lateral-options.csv"):
            self.assertNotIn(absent, files)
        self.assertEqual(sum(d["Rows rejected"] for d in files.values()), 0)
        self.assertFalse(any(str(k).startswith("Rows read")
                             for k in E.summary_metrics(self.wb)))

    def test_data_quality_counts(self):
        files = E.dq_files(self.wb)
        self.assertEqual(sorted(files), ["promotions.csv", "roles.csv", "transfers.csv"])
        got = {f: (d["Rows read"], d["Rows used"], d["Rows rejected"], d["Warnings"])
               for f, d in files.items()}
        self.assertEqual(got, {
            "roles.csv": (14, 14, 0, 1),      # the one warning: E006, future-dated
            "promotions.csv": (3, 3, 0, 0),
            "transfers.csv": (2, 2, 0, 0),
        })

    def test_data_quality_issues(self):
        issues = E.issues_file(self.out)
        # exactly one: E006 starts the day after the as-of date (line 10).
        # E005's next role starting on the previous end date is NOT an overlap.
        self.assertEqual(len(issues), 1, issues)
        it = issues[0]
        self.assertEqual((it["file"], it["line"], it["column"], it["severity"], it["problem"]),
                         ("roles.csv", 10, "start_date", "warning", "future-dated row"))
        self.assertEqual(it["value"], "2024-07-01")
        self.assertNotIn("overlap", " ".join(i["detail"] for i in issues))
        # the sheet: the count and the line, not the date
        self.assertEqual([(r["File"], r["Severity"], r["Problem"], r["Column"], r["Issues"],
                           r["First lines"]) for r in E.dq_summary(self.wb)],
                         [("roles.csv", "warning", "future-dated row", "start_date", 1, "10")])

    def test_no_formulas_or_nonfinite_numbers(self):
        self.assertEqual(E.formula_and_nonfinite_cells(self.wb), [])

    def test_file_mode_0640_or_tighter(self):
        mode = stat.S_IMODE(os.stat(self.out).st_mode)
        self.assertEqual(mode & ~0o640, 0, "mode is %o" % mode)

    def test_no_temporary_files_left(self):
        self.assertEqual(E.temp_files(self.dir), [])

    def test_about_names_version_and_options(self):
        ver = E.run_tool("--version")
        self.assertEqual(ver.returncode, 0, E.describe(ver))
        version = ver.stdout.splitlines()[0].split()[-1]
        self.assertIn("License: MIT", ver.stdout)
        self.assertRegex(version, r"^\d+\.\d+\.\d+")

        ws = self.wb["About"]
        pairs = {}
        texts = []
        for row in ws.iter_rows(values_only=True):
            texts.extend(str(v) for v in row if v is not None)
            if row and isinstance(row[0], str) and len(row) > 1:
                pairs.setdefault(row[0], row[1])
        self.assertEqual(pairs.get("Version"), version)
        self.assertEqual(pairs.get("Generated"), "2024-07-01 00:00:00 UTC")

        # every option of --help that shapes the report; the console-only
        # ones, --help/--version and --jobs (the report is the same for every
        # value, so the workbook must not hold it) do not
        help_text = E.run_tool("--help").stdout
        options = set(re.findall(r"(--[a-z][a-z-]*)", help_text))
        console_only = {"--help", "--version", "--quiet", "--verbose", "--progress",
                        "--timings", "--jobs"}
        content = options - console_only
        self.assertEqual(content, {"--input", "--output", "--since", "--as-of",
                                   "--min-group", "--no-privacy", "--date-format", "--km-ci",
                                   "--strict", "--dq-detail", "--allow-rejects", "--keep",
                                   "--log", "--csv", "--json"})
        for opt in sorted(content - {"--no-privacy"}):  # shown with --min-group
            with self.subTest(option=opt):
                self.assertIn(opt, pairs, "option %s not on the About sheet" % opt)
        self.assertEqual(pairs["--input"], small())
        self.assertEqual(pairs["--output"], self.out)
        self.assertTrue(pairs["--as-of"].startswith("2024-06-30"), pairs["--as-of"])
        self.assertIn("2020-01-01", pairs["--since"])
        self.assertEqual(pairs["--min-group"], "5")
        self.assertEqual(pairs["--date-format"], "iso")
        self.assertEqual(pairs["--strict"], "no")
        self.assertEqual(pairs["--km-ci"], "log-log")
        self.assertTrue(pairs["--dq-detail"].startswith("no"), pairs["--dq-detail"])


class Reproducible(unittest.TestCase):
    def test_two_runs_byte_identical(self):
        d = E.workdir("repro")
        out = os.path.join(d, "out.xlsx")
        args = ("--input", small(), "--as-of", AS_OF, "--since", "2020", "-o", out)
        p1 = E.run_tool(*args)
        self.assertEqual(p1.returncode, 0, E.describe(p1))
        with open(out, "rb") as f:
            first = f.read()
        with open(E.issues_path(out), "rb") as f:
            issues_first = f.read()
        # let the wall clock move past a zip (2-second) timestamp boundary
        time.sleep(2.1)
        p2 = E.run_tool(*args)
        self.assertEqual(p2.returncode, 0, E.describe(p2))
        with open(out, "rb") as f:
            second = f.read()
        self.assertTrue(first == second, "the two runs differ")
        # the issues file too (fixtures/small has one warning)
        issues = E.issues_path(out)
        with open(issues, "rb") as f:
            self.assertEqual(f.read(), issues_first)


class CommandLine(unittest.TestCase):
    def test_help_exits_0(self):
        p = E.run_tool("--help")
        self.assertEqual(p.returncode, 0, E.describe(p))
        self.assertIn("Usage: workforce-report", p.stdout)

    def test_bad_option_exits_64(self):
        d = E.workdir("badopt")
        for args in (["--no-such-option"], ["--since", "2022-Q5"], ["--as-of", "2024-02-30"],
                     ["--min-group", "0"], ["--date-format", "ymd"], ["stray-argument"]):
            with self.subTest(args=args):
                p = E.run_tool("--input", small(), "-o", d, *args)
                self.assertEqual(p.returncode, E.EXIT_USAGE, E.describe(p))
                self.assertEqual(os.listdir(d), [])

    def test_missing_input_folder_exits_66(self):
        d = E.workdir("noinput")
        p = E.run_tool("--input", os.path.join(d, "does-not-exist"), "--as-of", AS_OF,
                       "-o", os.path.join(d, "out.xlsx"))
        self.assertEqual(p.returncode, E.EXIT_NOINPUT, E.describe(p))
        self.assertFalse(os.path.exists(os.path.join(d, "out.xlsx")))

    def test_input_without_roles_exits_66(self):
        d = E.workdir("noroles")
        inp = os.path.join(d, "in")
        os.makedirs(inp)
        shutil.copy(os.path.join(small(), "promotions.csv"), inp)
        shutil.copy(os.path.join(small(), "transfers.csv"), inp)
        p = E.run_tool("--input", inp, "--as-of", AS_OF, "-o", os.path.join(d, "out.xlsx"))
        self.assertEqual(p.returncode, E.EXIT_NOINPUT, E.describe(p))
        self.assertIn("roles.csv", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(d, "out.xlsx")))

    def test_since_quarter_accepted(self):
        d = E.workdir("quarter")
        out = os.path.join(d, "out.xlsx")
        p = E.run_tool("--input", small(), "--as-of", AS_OF, "--since", "2022-Q2", "-o", out)
        self.assertEqual(p.returncode, 0, E.describe(p))
        wb = E.load(out)
        self.assertEqual(about_pairs(wb)["Window"], "2022-04-01 to 2024-06-30")
        # the window does not change the headcount on the as-of date
        self.assertEqual(E.summary_metrics(wb)["Headcount on the as-of date"], 6)

    def test_output_to_folder(self):
        d = E.workdir("tofolder")
        p = E.run_tool("--input", small(), "--as-of", AS_OF, "--since", "2020", "-o", d)
        self.assertEqual(p.returncode, 0, E.describe(p))
        # --since narrows the window: its start is in the name
        out = os.path.join(d, "workforce-report-2020-01-01_2024-06-30.xlsx")
        self.assertTrue(os.path.isfile(out), os.listdir(d))
        self.assertEqual(E.load(out).sheetnames, SHEETS)
        self.assertEqual(E.temp_files(d), [])

    def test_output_with_another_extension_cannot_be_written(self):
        work = E.workdir("cl_ext")
        p = E.run_tool("-q", "-i", small(), "--as-of", AS_OF, "-o", os.path.join(work, "out.csv"))
        # every problem with the output path is exit 73, in one form
        self.assertEqual(p.returncode, E.EXIT_CANTCREAT, E.describe(p))
        self.assertIn("cannot write the report to '%s': neither a .xlsx file nor a folder"
                      % os.path.join(work, "out.csv"), p.stderr)
        self.assertEqual(os.listdir(work), [])

    def test_input_that_is_a_file(self):
        p = E.run_tool("-q", "-i", os.path.join(small(), "roles.csv"), "--as-of", AS_OF,
                       "-o", os.path.join(E.workdir("cl_file"), "r.xlsx"))
        self.assertEqual(p.returncode, E.EXIT_NOINPUT, E.describe(p))
        self.assertIn("is not a folder", p.stderr)

    def test_output_folder_missing_exits_73(self):
        d = E.workdir("nooutdir")
        out = os.path.join(d, "missing", "out.xlsx")
        p = E.run_tool("--input", small(), "--as-of", AS_OF, "-o", out)
        self.assertEqual(p.returncode, E.EXIT_CANTCREAT, E.describe(p))
        self.assertFalse(os.path.exists(os.path.join(d, "missing")))


def write_roles(folder, text):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "roles.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(text)


def small_roles_lines():
    with open(os.path.join(small(), "roles.csv"), encoding="utf-8", newline="") as f:
        return f.read().splitlines()


def unterminated_input(folder):
    """fixtures/small's roles.csv (header + 14 rows = lines 1-15) plus, on
    line 16, a last record whose quote never closes."""
    lines = small_roles_lines()
    assert len(lines) == 15
    lines.append('E010,"Backend Engineer,Backend Engineer,ic,2,Create,2024-01-02,,E002')
    write_roles(folder, "\n".join(lines) + "\n")
    return folder


class BrokenInput(unittest.TestCase):
    def test_missing_level_column_exits_65(self):
        d = E.workdir("nolevel")
        inp = os.path.join(d, "in")
        lines = small_roles_lines()
        rows = [l.split(",") for l in lines]
        k = rows[0].index("level")
        write_roles(inp, "\n".join(",".join(r[:k] + r[k + 1:]) for r in rows) + "\n")
        out = os.path.join(d, "out.xlsx")
        p = E.run_tool("--input", inp, "--as-of", AS_OF, "-o", out)
        self.assertEqual(p.returncode, E.EXIT_DATA, E.describe(p))
        self.assertIn("roles.csv", p.stderr)
        self.assertRegex(p.stderr, r"\blevel\b")
        self.assertFalse(os.path.exists(out))
        self.assertEqual(E.temp_files(d), [])

    def test_unterminated_quote_exits_65_naming_file_and_line(self):
        d = E.workdir("unterminated")
        inp = unterminated_input(os.path.join(d, "in"))
        out = os.path.join(d, "out.xlsx")
        p = E.run_tool("--input", inp, "--as-of", AS_OF, "-o", out)
        self.assertEqual(p.returncode, E.EXIT_DATA, E.describe(p))
        self.assertRegex(p.stderr, r"roles\.csv:16\b|roles\.csv.*\bline 16\b")
        self.assertFalse(os.path.exists(out))
        self.assertEqual(E.temp_files(d), [])

    def test_strict_on_bad_rows_exits_65_without_file(self):
        d = E.workdir("strict")
        out = os.path.join(d, "out.xlsx")
        p = E.run_tool("--input", E.fixture("bad_rows"), "--as-of", AS_OF, "--strict",
                       "-o", out)
        self.assertEqual(p.returncode, E.EXIT_DATA, E.describe(p))
        self.assertFalse(os.path.exists(out))
        self.assertEqual(E.temp_files(d), [])

    def test_failed_run_leaves_earlier_report_untouched(self):
        d = E.workdir("keep")
        out = os.path.join(d, "report.xlsx")
        p = E.run_tool("--input", small(), "--as-of", AS_OF, "--since", "2020", "-o", out)
        self.assertEqual(p.returncode, 0, E.describe(p))
        with open(out, "rb") as f:
            before = f.read()
        st = os.stat(out)
        broken = unterminated_input(os.path.join(d, "in"))
        failures = [
            ("unterminated quote", ["--input", broken], E.EXIT_DATA),
            ("--strict with rejected rows", ["--input", E.fixture("bad_rows"), "--strict"],
             E.EXIT_DATA),
        ]
        for what, args, code in failures:
            with self.subTest(failure=what):
                p = E.run_tool(*args, "--as-of", AS_OF, "-o", out)
                self.assertEqual(p.returncode, code, E.describe(p))
                with open(out, "rb") as f:
                    self.assertTrue(f.read() == before, "the earlier report was changed")
                st2 = os.stat(out)
                self.assertEqual((st2.st_ino, st2.st_mtime_ns), (st.st_ino, st.st_mtime_ns))
                self.assertEqual(E.temp_files(d), [])


class Lock(unittest.TestCase):
    def test_held_lock_exits_75_quickly(self):
        d = E.workdir("lock")
        out = os.path.join(d, "out.xlsx")
        fd = os.open(os.path.join(d, E.LOCK_NAME), os.O_RDWR | os.O_CREAT, 0o640)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            t0 = time.monotonic()
            p = E.run_tool("--input", small(), "--as-of", AS_OF, "-o", out, timeout=20)
            elapsed = time.monotonic() - t0
            self.assertEqual(p.returncode, E.EXIT_LOCKED, E.describe(p))
            self.assertLess(elapsed, 5.0)
            self.assertFalse(os.path.exists(out))
            self.assertEqual(E.temp_files(d), [])
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        # released: the next run goes through
        p = E.run_tool("--input", small(), "--as-of", AS_OF, "-o", out)
        self.assertEqual(p.returncode, 0, E.describe(p))
        self.assertTrue(os.path.isfile(out))


if __name__ == "__main__":
    E.parse_args_and_run_tests()
