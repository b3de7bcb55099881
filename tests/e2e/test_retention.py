"""End-to-end: the Retention sheet on fixtures/attrition, whose leavers and
headcounts are counted by hand in its README.md."""

import os
import unittest

import e2e_common as E

# (track, year): leavers, headcount at start, at end, rate, annualised
EXPECTED = {
    ("All", 2023): (2, 6, 7, 2 / 6.5, 2 / 6.5),
    ("IC", 2023): (1, 4, 4, 0.25, 0.25),
    ("Management", 2023): (1, 2, 3, 0.4, 0.4),
    ("All", 2024): (2, 6, 4, 0.4, 0.4 * 366 / 182),
    ("IC", 2024): (1, 4, 3, 1 / 3.5, 1 / 3.5 * 366 / 182),
    ("Management", 2024): (1, 2, 1, 1 / 1.5, 1 / 1.5 * 366 / 182),
}


class Attrition(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = os.path.join(E.workdir("attrition"), "r.xlsx")
        proc = E.run_tool("--input", E.fixture("attrition"), "--output", cls.out, "--since",
                          "2023", "--as-of", "2024-06-30", "--min-group", "1", "--no-privacy")
        assert proc.returncode == 0, E.describe(proc)
        cls.wb = E.load(cls.out)

    def test_sheet_after_transfers(self):
        names = self.wb.sheetnames
        self.assertEqual(names.index("Retention"), names.index("Transfers") + 1)

    def test_attrition_year(self):
        header, rows = E.table_rows(self.wb, "tbl_attrition_year")
        self.assertEqual(header, ["Track", "Year", "Partial year", "Leavers",
                                  "Headcount at start", "Headcount at end", "Average headcount",
                                  "Attrition rate", "Attrition rate annualised"])
        self.assertEqual([(r["Track"], r["Year"]) for r in rows],
                         [("All", 2023), ("All", 2024), ("IC", 2023), ("IC", 2024),
                          ("Management", 2023), ("Management", 2024)])
        for r in rows:
            leavers, start, end, rate, annualised = EXPECTED[(r["Track"], r["Year"])]
            self.assertEqual(r["Partial year"], "yes" if r["Year"] == 2024 else "no")
            self.assertEqual((r["Leavers"], r["Headcount at start"], r["Headcount at end"]),
                             (leavers, start, end), r)
            self.assertAlmostEqual(r["Average headcount"], (start + end) / 2, places=12)
            self.assertAlmostEqual(r["Attrition rate"], rate, places=12)
            self.assertAlmostEqual(r["Attrition rate annualised"], annualised, places=12)

    def test_last_12_months_on_summary(self):
        m = E.summary_metrics(self.wb)
        self.assertAlmostEqual(m["Attrition rate, last 12 months"], 3 / 5.5, places=12)

    def test_retention_counts(self):
        _, rows = E.table_rows(self.wb, "tbl_retention")
        got = {(r["Group type"], r["Group"]): (r["People"], r["Employments"], r["Left"])
               for r in rows}
        self.assertEqual(got[("All", "All")], (8, 8, 4))
        self.assertEqual(got[("Track", "IC")], (5, 5, 2))
        self.assertEqual(got[("Track", "Management")], (3, 3, 2))


if __name__ == "__main__":
    E.parse_args_and_run_tests()
