"""End-to-end: the Summary dashboard.

On fixtures/attrition (--since 2023 --as-of 2024-06-30, min-group 1), whose
headcounts and leavers are counted by hand in its README:
  headcount now (2024-06-30) 4, a year earlier (2023-06-30) 7;
  management share now 1/4 (H), a year earlier 2/7 (C, H);
  attrition, last 12 months (2023-07-01..2024-06-30): C, G, D leave = 3
  over the mean of 7 and 4 = 5.5; the 12 months before (2022-07-01 ..
  2023-06-30): E's first employment (2022-12-31) and B (2023-06-15) = 2
  over the mean of the headcounts on 2022-06-30 (A B C E G H = 6) and
  2023-06-30 (7) = 6.5.
The tiles show the same numbers as tbl_kpi, the table behind them.
"""

import os
import unittest
import zipfile

import e2e_common as E

NAMES = ["Headcount", "Management share", "ICs per manager", "Promotion rate (a year)",
         "Time to promotion (months)", "Promoted within 2 years", "Attrition rate (a year)",
         "Internal movement (a year)", "Secondment completion", "Intern conversion"]


def kpis(wb):
    _, rows = E.table_rows(wb, "tbl_kpi")
    return {r["Metric"]: r for r in rows}


def tiles(wb):
    """Tile name -> the cell under it (the big figure), from the dashboard."""
    ws = wb["Summary"]
    out = {}
    for row in ws.iter_rows(min_row=1, max_row=30):
        for c in row:
            if c.value in NAMES and c.value not in out:
                out[c.value] = ws.cell(row=c.row + 1, column=c.column).value
    return out


class Attrition(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = os.path.join(E.workdir("dashboard_attrition"), "r.xlsx")
        proc = E.run_tool("--input", E.fixture("attrition"), "--output", cls.out, "--since",
                          "2023", "--as-of", "2024-06-30", "--min-group", "1", "--no-privacy")
        assert proc.returncode == 0, E.describe(proc)
        cls.wb = E.load(cls.out)

    def test_now_and_a_year_earlier_by_hand(self):
        k = kpis(self.wb)
        self.assertEqual(k["Headcount"]["Value"], 4)
        self.assertEqual(k["Headcount"]["Earlier"], 7)
        self.assertAlmostEqual(k["Management share"]["Value"], 1 / 4, places=12)
        self.assertAlmostEqual(k["Management share"]["Earlier"], 2 / 7, places=12)
        self.assertAlmostEqual(k["Attrition rate (a year)"]["Value"], 3 / 5.5, places=12)
        self.assertAlmostEqual(k["Attrition rate (a year)"]["Earlier"], 2 / 6.5, places=12)
        # the same figure as the Summary's list and the Retention sheet's definition
        self.assertAlmostEqual(E.summary_metrics(self.wb)["Attrition rate, last 12 months"],
                               k["Attrition rate (a year)"]["Value"], places=12)

    def test_tiles_show_the_table(self):
        k, t = kpis(self.wb), tiles(self.wb)
        self.assertEqual(sorted(t), sorted(NAMES))
        for name in NAMES:
            v = k[name]["Value"]
            if isinstance(v, (int, float)):
                self.assertAlmostEqual(t[name], v, places=12, msg=name)

    def test_no_stale_warning_and_data_through(self):
        ws = self.wb["Summary"]
        self.assertIn("Data through 2024-06-30", ws["A2"].value)  # F's last day
        self.assertFalse(isinstance(ws["A3"].value, str) and "data stops" in ws["A3"].value)


class Stale(unittest.TestCase):
    def test_warning_120_days_after_the_data(self):
        out = os.path.join(E.workdir("dashboard_stale"), "r.xlsx")
        # the samples' last event is on 2026-06-26; 120 days later:
        proc = E.run_tool("--input", E.samples(), "--output", out, "--since", "2022",
                          "--as-of", "2026-10-24")
        self.assertEqual(proc.returncode, 0, E.describe(proc))
        ws = E.load(out)["Summary"]
        self.assertIn("Data through 2026-06-26", ws["A2"].value)
        self.assertIn("The data stops on 2026-06-26, 120 days before", ws["A3"].value)
        self.assertIn("workforce-report: warning: the data stops on 2026-06-26, 120 days",
                      proc.stderr)


class Periods(unittest.TestCase):
    def test_partial_quarter_labelled(self):
        out = os.path.join(E.workdir("dashboard_partial"), "r.xlsx")
        proc = E.run_tool("--input", E.samples(), "--output", out, "--since", "2022",
                          "--as-of", "2026-05-15")
        self.assertEqual(proc.returncode, 0, E.describe(proc))
        wb = E.load(out)
        _, rows = E.table_rows(wb, "tbl_promotions_quarter")
        labels = [r["Quarter"] for r in rows]
        self.assertEqual(labels[-1], "2026 Q2 (partial)")
        self.assertNotIn("(partial)", labels[0])  # 2022 Q1 is whole
        # the trend behind the tiles leaves out no whole quarter, and shows
        # Q2 2026 (45 days) as partial
        _, trend = E.table_rows(wb, "tbl_kpi_trend")
        self.assertEqual(trend[-1]["Quarter"], "2026 Q2 (partial)")
        self.assertEqual(len(trend), 8)

    def test_summary_prints_on_one_landscape_page(self):
        out = os.path.join(E.workdir("dashboard_print"), "r.xlsx")
        proc = E.run_tool("--input", E.samples(), "--output", out, "--as-of", "2026-06-30")
        self.assertEqual(proc.returncode, 0, E.describe(proc))
        with zipfile.ZipFile(out) as z:
            sheet = z.read("xl/worksheets/sheet1.xml").decode()
        # fit to one page: fitToPage, with the default 1 x 1 pages (Excel
        # leaves fitToWidth and fitToHeight out when they are 1)
        self.assertIn('<pageSetUpPr fitToPage="1"/>', sheet)
        self.assertNotIn("fitToWidth=", sheet)
        self.assertNotIn("fitToHeight=", sheet)
        self.assertIn('orientation="landscape"', sheet)
        self.assertIn('showGridLines="0"', sheet)


if __name__ == "__main__":
    E.parse_args_and_run_tests()
