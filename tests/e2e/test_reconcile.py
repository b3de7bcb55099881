"""End-to-end: run workforce-report on tests/fixtures/bad_rows and reconcile
the Data Quality sheet and the issues file beside the workbook with a hand
count of the fixture (and, with --dq-detail, the sheet's own list).

fixtures/bad_rows/roles.csv is CRLF with a UTF-8 BOM and the header
"Employee ID,Role,Family,Track,Level,Department,Start-Date,End Date,Manager ID"
(spelling variants of the schema's names). Physical lines, header = line 1:

   2  E001 ic 3 ............................................... used
   3  E001 ic 4 ............................................... used
   4  E002, title "Engineering Manager, ""Verify""<LF>(acting)":
      a comma, doubled quotes and a bare LF in one quoted field;
      the record spans lines 4-5 ................................ used
   6  E003, title =HYPERLINK("http://example.com",...) .......... used
   7  E004, title +Backend Engineer ............................. used
   8  E005, title -Frontend Engineer ............................ used
   9  E006, title @Backend Engineer ............................. used
  10  E007, empty role ........... rejected: role, missing required value
  11  E008, title "Site Reliability Engineer<CRLF>(on call)" spans
      lines 11-12, start 2023-02-30
                                 .. rejected: start_date, invalid date
                                    (reported on line 11, where it starts)
  13  E009, end 2023-07-01 before start 2023-07-03
                                 .. rejected: end_date, end before start
  14  E010, track =HYPERLINK("http://example.com","ic")
                                 .. rejected: track, unknown track
  15  E011, level 13 ............. rejected: level, level must be 1-12
  16  E012, level 3.0 ............ rejected: level, level must be 1-12
  17  E013, 8 fields (manager_id missing) vs 9 in the header
                                 .. rejected: no column, field count
  18  E001 2020-03-02 again ...... rejected: employee_id, duplicate of line 2
  19  E014, role "Ing\\xE9nieur Backend" (Latin-1 byte 0xE9)
                                 .. rejected: role, invalid UTF-8
  20  E015, role "Ingénieur Backend" (valid UTF-8) .............. used

  roles.csv: 17 records read, 8 used, 9 rejected.

fixtures/bad_rows/promotions.csv (LF, plain header):
   2  E001 2022-07-01 3 -> 4 .................................... used
   3  E005 2023-09-15 3 -> 3, from_role "Frontend Engineer<LF>(Create)"
      spans lines 3-4 ............ rejected: to_level, not above from_level
   5  E001 2022-07-01 again ...... rejected: employee_id, duplicate of line 2
   6  E015 2024-01-02 3 -> 4 .................................... used
  promotions.csv: 4 read, 2 used, 2 rejected; 1 warning: line 6 promotes
  E015 to level 4 on 2024-01-02, but roles.csv holds E015 at level 3 only
  (line 20): "roles.csv shows no role at the new level".

fixtures/bad_rows/transfers.csv:
   2  E003 2022-03-01 ........................................... used
   3  E008 2023-06-31 ............ rejected: effective_date, invalid date
  transfers.csv: 2 read, 1 used, 1 rejected.

All files: 23 rows read, 12 rejected.

Headcount on 2024-06-30 from the used rows: E001 (ic), E002 (management),
E003, E005, E006, E015 (ic) hold open roles; E004 left on 2023-03-31:
6 in all, IC 5, management 1.
"""

import os
import sys
import unittest

sys.dont_write_bytecode = True
import e2e_common as E  # noqa: E402

AS_OF = "2024-06-30"

# file -> (rows read, rows used, rows rejected), counted by hand (see above)
EXPECTED_COUNTS = {
    "roles.csv": (17, 8, 9),
    "promotions.csv": (4, 2, 2),
    "transfers.csv": (2, 1, 1),
}

# (file, physical line, column or None, keyword the Problem must mention)
EXPECTED_REJECTED = [
    ("roles.csv", 10, "role", "missing required value"),
    ("roles.csv", 11, "start_date", "invalid date"),      # record spans 11-12
    ("roles.csv", 13, "end_date", "before"),
    ("roles.csv", 14, "track", "unknown track"),
    ("roles.csv", 15, "level", "level must be"),
    ("roles.csv", 16, "level", "level must be"),
    ("roles.csv", 17, None, "fields, the header has"),
    ("roles.csv", 18, "employee_id", "duplicate of line 2"),
    ("roles.csv", 19, "role", "invalid UTF-8"),
    ("promotions.csv", 3, "to_level", "not above"),       # record spans 3-4
    ("promotions.csv", 5, "employee_id", "duplicate of line 2"),
    ("transfers.csv", 3, "effective_date", "invalid date"),
]

# file -> warnings logged, counted by hand (see above)
EXPECTED_WARNINGS = {"roles.csv": 0, "promotions.csv": 1, "transfers.csv": 0}

# offending values shown in the Value column, where the fixture fixes them
# (the issues file puts a ' before a value a spreadsheet would run)
EXPECTED_VALUES = {
    ("roles.csv", 11): "2023-02-30",
    ("roles.csv", 13): "2023-07-01",
    ("roles.csv", 14): '=HYPERLINK("http://example.com","ic")',
    ("roles.csv", 15): "13",
    ("roles.csv", 16): "3.0",
    ("roles.csv", 18): "E001",
    ("roles.csv", 19): "Ing\\xE9nieur Backend",  # invalid bytes shown as \xNN
    ("promotions.csv", 3): "3",
    ("transfers.csv", 3): "2023-06-31",
}


RISKY = ("=", "+", "-", "@", "\t", "\r")


def guarded(value):
    """A value as the issues file writes it."""
    return "'" + value if value[:1] and value[:1] in RISKY else value


def unguarded(value):
    """A value of the issues file as the input had it (for this fixture)."""
    return value[1:] if value[:1] == "'" and value[1:2] and value[1:2] in RISKY else value


class Reconcile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = E.workdir("bad_rows")
        cls.out = os.path.join(cls.dir, "out.xlsx")
        # most of promotions.csv's rows are rejected on purpose: --allow-rejects
        cls.proc = E.run_tool("--input", E.fixture("bad_rows"), "--allow-rejects", "--as-of", AS_OF,
                              "--since", "2020", "-o", cls.out)
        cls.wb = E.load(cls.out) if os.path.exists(cls.out) else None
        cls.issues = E.issues_file(cls.out)
        # the analyst's run: the detailed list on the sheet as well
        cls.detail_out = os.path.join(E.workdir("bad_rows_detail"), "out.xlsx")
        cls.detail_proc = E.run_tool("--input", E.fixture("bad_rows"), "--allow-rejects",
                                     "--as-of", AS_OF,
                                     "--since", "2020", "--dq-detail", "-o", cls.detail_out)
        cls.detail_wb = (E.load(cls.detail_out) if os.path.exists(cls.detail_out) else None)

    def setUp(self):
        # rejected rows are warnings, not a failure, without --strict
        self.assertEqual(self.proc.returncode, 0, E.describe(self.proc))
        self.assertIsNotNone(self.wb)
        self.assertEqual(self.detail_proc.returncode, 0, E.describe(self.detail_proc))
        self.assertIsNotNone(self.detail_wb)

    def test_read_equals_used_plus_rejected(self):
        for name, d in E.dq_files(self.wb).items():
            with self.subTest(file=name):
                self.assertEqual(d["Rows read"], d["Rows used"] + d["Rows rejected"])

    def test_counts_match_hand_count(self):
        files = E.dq_files(self.wb)
        got = {f: (d["Rows read"], d["Rows used"], d["Rows rejected"]) for f, d in files.items()}
        self.assertEqual(got, EXPECTED_COUNTS)
        self.assertEqual(sum(d["Rows rejected"] for d in files.values()), 12)

    def test_each_rejected_row_listed_with_line_and_column(self):
        rejected = [i for i in self.issues if i["severity"] == "rejected"]
        got = sorted(((i["file"], i["line"], i["column"] or None) for i in rejected),
                     key=lambda t: (t[0], t[1]))
        want = sorted(((f, l, c) for f, l, c, _ in EXPECTED_REJECTED),
                      key=lambda t: (t[0], t[1]))
        self.assertEqual(got, want)

    def test_warnings_listed(self):
        for f, n in EXPECTED_WARNINGS.items():
            with self.subTest(file=f):
                got = [i for i in self.issues if i["file"] == f and i["severity"] == "warning"]
                self.assertEqual(len(got), n, got)
                self.assertEqual(E.dq_files(self.wb)[f]["Warnings"], n)
        (w,) = [i for i in self.issues if i["severity"] == "warning"]
        self.assertEqual((w["file"], w["line"], w["column"], w["problem"]),
                         ("promotions.csv", 6, "effective_date",
                          "roles.csv shows no role at the new level"))
        self.assertIn("E015", w["detail"])  # the detail names the person; the key does not

    def test_problem_mentions_reason(self):
        rejected = {(i["file"], i["line"]): i for i in self.issues
                    if i["severity"] == "rejected"}
        for f, line, _, keyword in EXPECTED_REJECTED:
            with self.subTest(file=f, line=line):
                self.assertIn((f, line), rejected)
                self.assertIn(keyword, rejected[(f, line)]["detail"])

    def test_rejected_values(self):
        rejected = {(i["file"], i["line"]): i for i in self.issues
                    if i["severity"] == "rejected"}
        for key, value in EXPECTED_VALUES.items():
            with self.subTest(row=key):
                self.assertIn(key, rejected)
                self.assertEqual(rejected[key]["value"], guarded(value))

    def test_header_variants_recognised(self):
        # "Employee ID", "Start-Date", "End Date", ... after a BOM: no column
        # of the header is reported as unknown
        header_issues = [i for i in self.issues if i["line"] in (None, 0, 1)]
        self.assertEqual(header_issues, [])

    def test_no_formulas_or_nonfinite_numbers(self):
        self.assertEqual(E.formula_and_nonfinite_cells(self.wb), [])
        self.assertEqual(E.formula_and_nonfinite_cells(self.detail_wb), [])

    def test_detail_list_matches_issues_file(self):
        # --dq-detail: the sheet lists what the issues file holds, values as
        # they are (string cells), not guarded
        sheet = sorted((i["File"], i["Line"], i["Column"], i["Severity"], i["Value"] or "",
                        i["Problem"]) for i in E.dq_issues(self.detail_wb))
        listed = sorted((i["file"], i["line"], i["column"] or None, i["severity"],
                         unguarded(i["value"]), i["detail"]) for i in self.issues)
        self.assertEqual(sheet, listed)
        rejected = {(i["File"], i["Line"]): i for i in E.dq_issues(self.detail_wb)
                    if i["Severity"] == "rejected"}
        for key, value in EXPECTED_VALUES.items():
            with self.subTest(row=key):
                self.assertEqual(rejected[key]["Value"], value)

    def test_injected_value_is_a_string_cell(self):
        header, rows = E.table_cells(self.detail_wb, "tbl_dq_issues")
        col = header.index("Value")
        cells = [r[col] for r in rows
                 if isinstance(r[col].value, str) and r[col].value.startswith("=")]
        self.assertEqual(len(cells), 1)
        self.assertEqual(cells[0].data_type, "s")

    def test_headcount_from_used_rows(self):
        m = E.summary_metrics(self.wb)
        self.assertEqual(m["Headcount on the as-of date"], 6)
        self.assertEqual(m["Headcount, IC track"], 5)
        self.assertEqual(m["Headcount, management track"], 1)

    def test_no_temporary_files_left(self):
        self.assertEqual(E.temp_files(self.dir), [])


if __name__ == "__main__":
    E.parse_args_and_run_tests()
