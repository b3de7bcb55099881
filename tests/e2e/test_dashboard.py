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

import csv
import datetime
import os
import re
import subprocess
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

    def test_data_through_under_every_title(self):
        for ws in self.wb.worksheets:
            sub = ws["A2"].value or ""
            self.assertEqual(sub.count("Data through 2024-06-30"), 1, (ws.title, sub))

    def test_no_stale_warning_and_data_through(self):
        ws = self.wb["Summary"]
        self.assertIn("Data through 2024-06-30", ws["A2"].value)  # F's last day
        self.assertFalse(isinstance(ws["A3"].value, str) and "data stops" in ws["A3"].value)


def data_through(folder, as_of, min_group):
    """The day by which min_group events had happened, counting back from the
    latest (role starts and ends, promotions, transfers, secondment starts
    and ends, internship starts), read from the CSVs."""
    cols = {"roles.csv": ("start_date", "end_date"), "promotions.csv": ("effective_date",),
            "transfers.csv": ("effective_date",), "secondments.csv": ("start_date", "end_date"),
            "interns.csv": ("start_date",)}
    days = []
    for name, wanted in cols.items():
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            continue
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                days += [row[c] for c in wanted if row.get(c) and row[c] <= as_of]
    days.sort(reverse=True)
    return datetime.date.fromisoformat(days[min_group - 1])


class Stale(unittest.TestCase):
    def test_warning_120_days_after_the_data(self):
        out = os.path.join(E.workdir("dashboard_stale"), "r.xlsx")
        through = data_through(E.samples(), "2026-10-24", 5)
        as_of = through + datetime.timedelta(days=120)
        proc = E.run_tool("--input", E.samples(), "--output", out, "--since", "2022",
                          "--as-of", as_of.isoformat())
        self.assertEqual(proc.returncode, 0, E.describe(proc))
        ws = E.load(out)["Summary"]
        self.assertIn("Data through %s" % through, ws["A2"].value)
        self.assertIn("The data stops on %s, 120 days before" % through, ws["A3"].value)
        self.assertIn("workforce-report: warning: the data stops on %s, 120 days" % through,
                      proc.stderr)

    def test_no_one_persons_date(self):
        # the latest event alone is one person's date: the stamp is the day by
        # which 5 events had happened, earlier than the very latest here
        latest = data_through(E.samples(), "2026-06-30", 1)
        through = data_through(E.samples(), "2026-06-30", 5)
        self.assertLess(through, latest)
        out = os.path.join(E.workdir("dashboard_through"), "r.xlsx")
        proc = E.run_tool("--input", E.samples(), "--output", out, "--as-of", "2026-06-30")
        self.assertEqual(proc.returncode, 0, E.describe(proc))
        self.assertIn("Data through %s" % through, E.load(out)["Summary"]["A2"].value)


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

    def test_a_quarter_just_begun_is_left_out_of_charts(self):
        # as-of 2026-07-05: 2026 Q3 has 5 days; the table lists it, the
        # chart under it stops at 2026 Q2
        out = os.path.join(E.workdir("dashboard_stub"), "r.xlsx")
        proc = E.run_tool("--input", E.samples(), "--output", out, "--since", "2022",
                          "--as-of", "2026-07-05")
        self.assertEqual(proc.returncode, 0, E.describe(proc))
        wb = E.load(out)
        _, rows = E.table_rows(wb, "tbl_promotions_quarter")
        self.assertEqual(rows[-1]["Quarter"], "2026 Q3 (partial)")
        with zipfile.ZipFile(out) as z:
            charts = [z.read(n).decode() for n in z.namelist()
                      if n.startswith("xl/charts/chart")]
        title = [c for c in charts if "Promotions per quarter, by track" in c]
        self.assertEqual(len(title), 1)
        # the IC series (column E) covers every quarter but the stub
        ranges = re.findall(r"<c:f>'?Promotions'?!\$E\$(\d+):\$E\$(\d+)</c:f>", title[0])
        self.assertTrue(ranges, title[0][:400])
        first, last = map(int, ranges[0])
        self.assertEqual(last - first + 1, len(rows) - 1)

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


class TooEarly(unittest.TestCase):
    """Cohorts too recent to judge say so instead of showing a rate."""

    def test_recent_cohorts_and_same_family_moves(self):
        work = E.workdir("dashboard_too_early")
        data = os.path.join(work, "hris")
        gen = os.path.join(os.path.dirname(E.Config.tool), "workforce-gen")
        subprocess.run([gen, "--employees", "2000", "--seed", "1", "--as-of", "2026-06-30",
                        "--out", data], check=True, timeout=120)
        # a move within one job family, which needs no lateral option
        with open(os.path.join(data, "transfers.csv"), "a", encoding="utf-8") as f:
            f.write("E0000001,2026-01-15,Backend Engineer,Backend Engineer,Create,Verify\n")
        out = os.path.join(work, "r.xlsx")
        proc = E.run_tool("--input", data, "--output", out, "--since", "2022", "--as-of",
                          "2026-06-30", "-q")
        self.assertEqual(proc.returncode, 0, E.describe(proc))
        wb = E.load(out)
        # 2026's secondments: more than half still active on the as-of date
        _, years = E.table_rows(wb, "tbl_secondments_year")
        last = years[-1]
        self.assertEqual(last["Start year"], 2026)
        self.assertGreater(2 * last["Active"], last["Started"])
        self.assertEqual(last["Completion rate"], "too early")
        self.assertIsInstance(years[-2]["Completion rate"], float)
        # 2026's moves into management are all under 12 months old
        _, switches = E.table_rows(wb, "tbl_track_switches")
        self.assertEqual(switches[-1]["Year"], 2026)
        self.assertEqual(switches[-1]["Return rate (moves a year old)"], "too early")
        # the same-family move is not held against the listed options
        _, pairs = E.table_rows(wb, "tbl_transfer_pairs")
        same = [p for p in pairs if p["From family"] == p["To family"]]
        self.assertEqual([p["Listed option"] for p in same], ["Same family (needs none)"])


if __name__ == "__main__":
    E.parse_args_and_run_tests()
