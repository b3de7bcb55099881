"""End-to-end: levels.csv, the company's own names of its levels.

fixtures/levels is fixtures/small (9 employees, as-of 2024-06-30) plus a
levels.csv of six rows:

  line 2  ic,1,Junior
  line 3  IC,2,Intermediate
  line 4  ic,3,Senior
  line 5  ic,4,Staff
  line 6  Management,5,Director
  line 7  ic,13,Principal          rejected: no level 13

so 6 rows read, 5 used, 1 rejected. Management 6 (E007, Senior Engineering
Manager since 2024-01-01) has no name in the file: it falls back to the
title rule, which with the default --min-group 5 allows no title held by one
person, hence "Management L6"; with --min-group 1 the title itself. A level
named in levels.csv keeps that name whatever the title rule would say.

On the as-of date the level mix is IC 2 (E003), IC 3 (E005), IC 4 (E001,
E008), management 5 (E002) and management 6 (E007); the Time to Promotion
sheet also has IC 1 (E009's spell, ended 2024-06-29).

Without levels.csv (fixtures/small) the run works as before: every level
gets the neutral "IC L3" kind of name, and the workbook says levels.csv was
not provided.
"""

import os
import unittest

import e2e_common as E

AS_OF = "2024-06-30"
NAMED = {
    ("IC", 1): "Junior",
    ("IC", 2): "Intermediate",
    ("IC", 3): "Senior",
    ("IC", 4): "Staff",
    ("Management", 5): "Director",
}
REJECTED_LEVEL = "level must be a whole number from 1 to 12"  # the message
REJECTED_LEVEL_KEY = "invalid level"  # what the sheet counts it under (E_BAD_LEVEL)


def run(name, folder, *args):
    out = os.path.join(E.workdir(name), "r.xlsx")
    proc = E.run_tool("--input", folder, "--output", out, "--as-of", AS_OF, "--since", "2020",
                      *args)
    assert proc.returncode == 0, E.describe(proc)
    return E.load(out), proc


def level_names(wb, table):
    """(track, level) -> "Level name" of each level row of `table`."""
    _, rows = E.table_rows(wb, table)
    return {(r["Track"], r["Level"]): r["Level name"] for r in rows
            if r["Track"] in ("IC", "Management")}


def about_input_files(wb):
    """File -> (size, rows read) from the About sheet's input-file list."""
    out = {}
    for r in wb["About"].iter_rows(values_only=True):
        if r and isinstance(r[0], str) and r[0].endswith(".csv"):
            out[r[0]] = (r[1], r[2])
    return out


class Named(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.wb, cls.proc = run("levels", E.fixture("levels"))
        cls.small, _ = run("levels_small", E.fixture("small"))

    def test_level_mix_names(self):
        got = level_names(self.wb, "tbl_level_mix")
        want = {k: v for k, v in NAMED.items() if k in got}
        want[("Management", 6)] = "Management L6"   # not in levels.csv: falls back
        self.assertEqual(set(got), {("IC", 2), ("IC", 3), ("IC", 4), ("Management", 5),
                                    ("Management", 6)})
        self.assertEqual(got, want)

    def test_ttp_level_names(self):
        got = level_names(self.wb, "tbl_ttp_level")
        self.assertEqual(got[("IC", 1)], "Junior")
        self.assertEqual(got[("IC", 4)], "Staff")
        self.assertEqual(got[("Management", 5)], "Director")
        self.assertEqual(got[("Management", 6)], "Management L6")
        for k, v in got.items():
            self.assertEqual(v, NAMED.get(k, "%s L%d" % k), k)

    def test_promotions_level_names(self):
        for k, v in level_names(self.wb, "tbl_promotions_level").items():
            self.assertEqual(v, NAMED.get(k, "%s L%d" % k), k)

    def test_names_are_text_cells(self):
        for table in ("tbl_level_mix", "tbl_ttp_level"):
            header, rows = E.table_cells(self.wb, table)
            j = header.index("Level name")
            for r in rows:
                if r[j].value is not None:
                    self.assertEqual(r[j].data_type, "s", (table, r[j].value))

    def test_names_change_no_figure(self):
        """The names are labels: every other cell is as without levels.csv."""
        for table in ("tbl_level_mix", "tbl_ttp_level", "tbl_promotions_level"):
            with self.subTest(table=table):
                h1, named = E.table_rows(self.wb, table)
                h2, plain = E.table_rows(self.small, table)
                self.assertEqual(h1, h2)
                strip = lambda rows: [{k: v for k, v in r.items() if k != "Level name"}
                                      for r in rows]
                self.assertEqual(strip(named), strip(plain))
        self.assertEqual(set(level_names(self.small, "tbl_level_mix").values()),
                         {"IC L2", "IC L3", "IC L4", "Management L5", "Management L6"})

    def test_rejected_name_not_used(self):
        cells = {c.value for ws in self.wb.worksheets for row in ws.iter_rows() for c in row}
        self.assertNotIn("Principal", cells)

    def test_rows_accounted(self):
        files = E.dq_files(self.wb)
        d = files["levels.csv"]
        self.assertEqual((d["Rows read"], d["Rows used"], d["Rows rejected"], d["Warnings"]),
                         (6, 5, 1, 0))
        for name, d in files.items():
            self.assertEqual(d["Rows read"], d["Rows used"] + d["Rows rejected"], name)
        size = os.path.getsize(E.fixture("levels", "levels.csv"))
        self.assertEqual(about_input_files(self.wb)["levels.csv"], (size, 6))
        # the closing line counts it too: 14 + 3 + 2 + 6 rows
        closing = [ln for ln in self.proc.stderr.splitlines() if ": wrote " in ln]
        self.assertEqual(len(closing), 1, self.proc.stderr)
        self.assertIn("25 rows read, 1 rejected", closing[0])

    def test_bad_row_on_data_quality_sheet(self):
        rows = [r for r in E.dq_summary(self.wb) if r["File"] == "levels.csv"]
        self.assertEqual(rows, [{"File": "levels.csv", "Severity": "rejected",
                                 "Problem": REJECTED_LEVEL_KEY, "Column": "level", "Issues": 1,
                                 "First lines": "7"}])

    def test_bad_row_in_issues_file(self):
        issues = [i for i in E.issues_file(self.wb) if i["file"] == "levels.csv"]
        self.assertEqual(len(issues), 1, issues)
        i = issues[0]
        self.assertEqual((i["line"], i["column"], i["severity"], i["code"], i["problem"],
                          i["value"]),
                         (7, "level", "rejected", "E_BAD_LEVEL", REJECTED_LEVEL_KEY, "13"))
        self.assertIn("levels.csv:7: row rejected: " + REJECTED_LEVEL, self.proc.stderr)

    def test_strict_counts_the_rejected_row(self):
        d = E.workdir("levels_strict")
        out = os.path.join(d, "r.xlsx")
        p = E.run_tool("--input", E.fixture("levels"), "--output", out, "--as-of", AS_OF,
                       "--strict")
        self.assertEqual(p.returncode, E.EXIT_DATA, E.describe(p))
        self.assertFalse(os.path.exists(out))


class FallbackToTitles(unittest.TestCase):
    """--min-group 1: the title rule names every level held on the as-of
    date, but levels.csv's names still come first."""

    def test_title_only_where_levels_csv_names_none(self):
        wb, _ = run("levels_k1", E.fixture("levels"), "--min-group", "1", "--no-privacy")
        got = level_names(wb, "tbl_level_mix")
        self.assertEqual(got[("Management", 6)], "Senior Engineering Manager")
        for k in (("IC", 2), ("IC", 3), ("IC", 4), ("Management", 5)):
            self.assertEqual(got[k], NAMED[k], k)
        plain, _ = run("levels_k1_small", E.fixture("small"), "--min-group", "1",
                       "--no-privacy")
        titles = level_names(plain, "tbl_level_mix")
        self.assertEqual(titles[("Management", 5)], "Engineering Manager")
        self.assertEqual(titles[("Management", 6)], "Senior Engineering Manager")


class WithoutLevelsCsv(unittest.TestCase):
    def test_run_without_levels_csv(self):
        self.assertFalse(os.path.exists(E.fixture("small", "levels.csv")))
        wb, proc = run("levels_absent", E.fixture("small"))
        self.assertNotIn("levels.csv", E.dq_files(wb))
        self.assertEqual(about_input_files(wb)["levels.csv"], ("not provided", None))
        self.assertIn("levels.csv", wb["Data Quality"]["A2"].value)
        self.assertEqual([i for i in E.issues_file(wb) if i["file"] == "levels.csv"], [])
        for k, v in level_names(wb, "tbl_ttp_level").items():
            self.assertEqual(v, "%s L%d" % k)
        self.assertNotIn("levels.csv", proc.stderr)


if __name__ == "__main__":
    E.parse_args_and_run_tests()
