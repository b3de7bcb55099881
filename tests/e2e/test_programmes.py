"""End-to-end: the Secondments and Interns sheets.

On fixtures/programmes (worked out by hand in its README.md), window 2024,
--min-group 1: statuses, completion rate with its Wilson interval (3 of 5:
0.2307 to 0.8824), policy counts, employer order, intern rates and careers.
With the default --min-group 5 the small employers fold into "Other
employers" and the rates are suppressed. A folder without the files says so
in one line. On samples/: both sheets, their tables and charts exist, and
the Summary shows the headline figures.
"""

import unittest

import e2e_common as E

WINDOW = ("--since", "2024-01-01", "--as-of", "2024-12-31")


def rows(wb, name):
    return E.table_rows(wb, name)[1]


def run(name, *args):
    return E.run_ok(name, *args)[0]


class HandWorked(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.wb = run("prog_hand", "--input", E.fixture("programmes"), "--min-group", "1", "--no-privacy",
                     *WINDOW)

    def test_secondments_by_year(self):
        y = {r["Start year"]: r for r in rows(self.wb, "tbl_secondments_year")}
        self.assertEqual(sorted(y), [2023, 2024])
        r = y[2024]
        self.assertEqual((r["Started"], r["Active"], r["Completed"], r["Extended"],
                          r["Ended early"]), (5, 1, 2, 1, 1))
        self.assertAlmostEqual(r["Completion rate"], 3 / 4, places=12)
        self.assertEqual(y[2023]["Ended early"], 1)
        self.assertEqual(r["Merged MRs"], 12 + 6 + 0 + 9 + 3)

    def test_employers_teams_policy(self):
        emp = rows(self.wb, "tbl_secondment_employers")
        self.assertEqual([(r["Employer"], r["Secondees"], r["Merged MRs"]) for r in emp],
                         [("Acme", 3, 18), ("Beta", 3, 16)])
        teams = {r["Host team"]: r for r in rows(self.wb, "tbl_secondment_teams")}
        self.assertEqual(teams["Create"]["Merged MRs"], 22)
        self.assertEqual(teams["Geo"]["Merged MRs"], 12)
        pol = {r["Planned duration"]: r for r in rows(self.wb, "tbl_secondment_policy")}
        self.assertEqual(pol["Within policy (3 to 12 months)"]["Secondments"], 5)
        self.assertEqual(pol["Longer than 12 months"]["Secondments"], 1)
        self.assertAlmostEqual(pol["Longer than 12 months"]["Share"], 1 / 6, places=12)

    def test_summary(self):
        m = E.summary_metrics(self.wb)
        self.assertEqual(m["Active secondments on the as-of date"], 1)
        self.assertAlmostEqual(m["Secondment completion rate (completed or extended / ended)"],
                               3 / 5, places=12)
        self.assertAlmostEqual(m["Intern conversion rate (hired / ended internships)"], 3 / 5,
                               places=12)

    def test_interns(self):
        c = rows(self.wb, "tbl_interns_cohort")
        self.assertEqual([(r["Start year"], r["Team"], r["Ended"], r["Hired"]) for r in c],
                         [(2024, "Backend", 3, 1), (2024, "Frontend", 2, 2), ("Total", None, 5, 3)])
        # the Total is an Excel total row: out of the sort and the filter
        ws, _, _ = E.table(self.wb, "tbl_interns_cohort")
        self.assertEqual(ws.tables["tbl_interns_cohort"].totalsRowCount, 1)
        total = c[-1]
        self.assertAlmostEqual(total["Conversion rate"], 0.6, places=12)
        self.assertAlmostEqual(total["Conversion 95% low"], 0.2307, places=4)
        self.assertAlmostEqual(total["Conversion 95% high"], 0.8824, places=4)
        self.assertAlmostEqual(total["Offer rate"], 0.8, places=12)
        self.assertAlmostEqual(total["Acceptance rate"], 0.75, places=12)
        routes = {r["Route"]: r for r in rows(self.wb, "tbl_interns_route")}
        # our own codes in words (interns.csv: application, merge_requests)
        self.assertEqual(sorted(routes), ["Application route", "Merge-request route"])
        self.assertEqual(routes["Merge-request route"]["Hired"], 2)
        careers = {r["Hired interns"]: r for r in rows(self.wb, "tbl_intern_careers")}
        self.assertEqual(careers["Found in role history (employee_id in roles.csv)"]["People"], 2)
        self.assertEqual(careers["Still employed on the as-of date"]["People"], 1)
        self.assertEqual(careers["Promoted since hire"]["People"], 1)
        ws = self.wb["Interns"]
        km = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and isinstance(r[0], str)}
        self.assertAlmostEqual(km["Months from hire to first promotion, Kaplan-Meier median"],
                               184 / 30.4375, places=9)
        issues = E.issues_file(self.wb)
        self.assertTrue(any(i["file"] == "interns.csv" and i["value"] == "E404" for i in issues))
        self.assertEqual(len(self.wb["Interns"]._charts), 1)  # rates shown: a chart


class Privacy(unittest.TestCase):
    def test_small_employers_fold(self):
        wb = run("prog_private", "--input", E.fixture("programmes"), *WINDOW)
        emp = rows(wb, "tbl_secondment_employers")
        self.assertEqual(len(emp), 1)
        self.assertTrue(emp[0]["Employer"].startswith("Other employers"))
        self.assertEqual(emp[0]["Secondees"], 6)
        c = rows(wb, "tbl_interns_cohort")
        self.assertEqual(c[0]["Conversion rate"], "suppressed (n<5)")


class Absent(unittest.TestCase):
    def test_sheets_say_so(self):
        wb = run("prog_absent", "--input", E.fixture("small"), "--as-of", "2024-06-30")
        for sheet, text in (("Secondments", "secondments.csv was not provided"),
                            ("Interns", "interns.csv was not provided")):
            ws = wb[sheet]
            self.assertEqual(len(ws.tables), 0)
            self.assertTrue(any(isinstance(c.value, str) and c.value.startswith(text)
                                for r in ws.iter_rows() for c in r))


class Samples(unittest.TestCase):
    def test_sheets_tables_charts(self):
        wb = run("prog_samples", "--input", E.samples(), "--since", "2022", "--as-of", "2026-06-30")
        expected = {
            "Secondments": ({"tbl_secondments_year", "tbl_secondment_employers",
                             "tbl_secondment_teams", "tbl_secondment_policy"}, 2),
            # every cohort of the samples is below 5 ended internships: no chart
            "Interns": ({"tbl_interns_cohort", "tbl_interns_route", "tbl_intern_careers"}, 0),
        }
        for sheet, (tables, charts) in expected.items():
            with self.subTest(sheet=sheet):
                ws = wb[sheet]
                self.assertTrue(tables <= set(ws.tables), set(ws.tables))
                self.assertEqual(len(ws._charts), charts)
        texts = [c.value for r in wb["Interns"].iter_rows() for c in r
                 if isinstance(c.value, str)]
        self.assertIn("No conversion chart: every cohort is too small to show.", texts)
        m = E.summary_metrics(wb)
        self.assertIsInstance(m["Active secondments on the as-of date"], int)
        self.assertIn("Intern conversion rate (hired / ended internships)", m)
        self.assertEqual(E.formula_and_nonfinite_cells(wb), [])


if __name__ == "__main__":
    E.parse_args_and_run_tests()
