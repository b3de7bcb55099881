"""End-to-end: the IC vs Management, Promotions and Transfers sheets.

On fixtures/org, worked out by hand in fixtures/org/README.md, with
--min-group 1: headcounts per quarter end, rates, the listed-option check and
the span warnings. With the default --min-group 5 the small departments show
their totals only. On samples/: the sheets, tables and charts exist and their
totals agree with each other and with the Summary.
"""

import unittest

import e2e_common as E

WINDOW = ("--since", "2024-01-01", "--as-of", "2024-06-30")


def rows(wb, name):
    return E.table_rows(wb, name)[1]


run = E.run_ok


class Org(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.wb, cls.proc = run("split_org", "--input", E.fixture("org"), "--min-group", "1", "--no-privacy",
                               *WINDOW)

    def test_quarter_headcounts(self):
        q = rows(self.wb, "tbl_split_quarter")
        self.assertEqual([E.as_date(r["Date"]).isoformat() for r in q],
                         ["2024-03-31", "2024-06-30"])
        self.assertEqual([r["Quarter"] for r in q], ["2024 Q1", "2024 Q2"])
        self.assertEqual([(r["IC"], r["Management"], r["Total"]) for r in q],
                         [(3, 4, 7), (2, 5, 7)])
        self.assertAlmostEqual(q[0]["Management %"], 4 / 7, places=12)
        self.assertAlmostEqual(q[1]["ICs per manager"], 2 / 5, places=12)

    def test_departments_and_levels(self):
        d = {r["Department"]: r for r in rows(self.wb, "tbl_split_department")}
        self.assertEqual((d["Create"]["IC"], d["Create"]["Management"]), (1, 3))
        self.assertEqual((d["Verify"]["IC"], d["Verify"]["Management"]), (1, 2))
        self.assertEqual((d["Total"]["IC"], d["Total"]["Management"], d["Total"]["Total"]),
                         (2, 5, 7))
        mix = rows(self.wb, "tbl_level_mix")
        self.assertEqual([(r["Track"], r["Level"], r["Headcount"], r["Share of track"])
                          for r in mix], [("IC", 1, 2, 1.0), ("Management", 4, 5, 1.0)])

    def test_switches_and_span(self):
        sw = rows(self.wb, "tbl_track_switches")
        self.assertEqual([(r["Year"], r["IC to management"], r["Management to IC"])
                          for r in sw], [(2024, 2, 0)])
        span = {r["Direct reports"]: r for r in rows(self.wb, "tbl_span")}
        self.assertEqual(span["1"]["Managers"], 2)
        self.assertEqual(span["1"]["Share of managers"], 1.0)
        issues = E.issues_file(self.wb)
        self.assertEqual(sum("holds no role" in i["detail"] for i in issues), 1)  # X9
        self.assertEqual(sum("no active direct reports" in i["detail"] for i in issues), 3)
        # the sheet counts them under their keys, naming nobody
        summary = {(r["Problem"], r["Column"]): r["Issues"] for r in E.dq_summary(self.wb)}
        self.assertEqual(summary[("named as manager but holds no role on the as-of date",
                                  "manager_id")], 1)
        self.assertEqual(summary[("management-track employee with no active direct reports",
                                  "employee_id")], 3)

    def test_promotion_rates(self):
        q = rows(self.wb, "tbl_promotions_quarter")
        self.assertEqual([(r["Quarter"], r["Promotions"], r["IC"], r["Management"],
                           r["Headcount at quarter start"]) for r in q],
                         [("2024 Q1", 1, 1, 0, 6), ("2024 Q2", 1, 1, 0, 7)])
        self.assertAlmostEqual(q[0]["Promotion rate"], 1 / 6, places=12)
        self.assertAlmostEqual(q[1]["Promotion rate"], 1 / 7, places=12)
        self.assertAlmostEqual(q[1]["Promotion rate, annualised"], 365.25 / 91 / 7, places=12)
        lv = rows(self.wb, "tbl_promotions_level")
        self.assertEqual([(r["Track"], r["Level"], r["Promotions"], r["Average headcount"])
                          for r in lv], [("IC", 3, 2, 0.5)])
        # the rate's group is an average of half a person: not one whole
        # person (privacy.h rule 2 counts whole people, floor(0.5) = 0), so
        # there is nothing to rate and no one's privacy to keep: it says so,
        # not "suppressed (n<1)" as if --min-group 1 had hidden someone
        self.assertEqual(lv[0]["Annual promotion rate"], "under 1 person")

    def test_transfers_and_mobility(self):
        q = rows(self.wb, "tbl_transfers_quarter")
        self.assertEqual([r["Transfers"] for r in q], [1, 1])
        self.assertAlmostEqual(q[0]["Transfer rate"], 1 / 6, places=12)
        y = rows(self.wb, "tbl_mobility_year")
        self.assertEqual([(r["Year"], r["Promotions"], r["Transfers"], r["Track switches"],
                           r["Average headcount"]) for r in y], [(2024, 2, 2, 2, 7)])
        self.assertAlmostEqual(y[0]["Internal movement rate"], 6 / 7, places=12)
        pairs = {(r["From family"], r["To family"]): r for r in rows(self.wb, "tbl_transfer_pairs")}
        self.assertEqual(pairs[("Backend Engineer", "Production Engineer")]["Listed option"], "Yes")
        self.assertEqual(pairs[("Backend Engineer", "UX Designer")]["Listed option"], "No")
        ws = self.wb["Transfers"]
        texts = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
        # both transfers change family (README): one follows a listed option
        self.assertTrue(any(t.startswith("Of 2 transfers between job families, 1 went along "
                                         "1 path that is not a listed option")
                            and "Backend Engineer to UX Designer (1)" in t for t in texts))
        m = rows(self.wb, "tbl_transfer_matrix")
        self.assertEqual(m[0]["From family \\ to family"], "Backend Engineer")
        self.assertEqual(m[0]["Production Engineer"], 1)
        self.assertEqual(m[0]["UX Designer"], 1)
        flows = rows(self.wb, "tbl_department_flows")
        self.assertEqual(sorted((r["From department"], r["Transfers"]) for r in flows),
                         [("Create", 1), ("Verify", 1)])

    def test_summary(self):
        m = E.summary_metrics(self.wb)
        self.assertAlmostEqual(m["Management % on the as-of date"], 5 / 7, places=12)
        self.assertEqual(m["Promotions in the window"], 2)
        self.assertEqual(m["Lateral transfers in the window"], 2)


class Privacy(unittest.TestCase):
    def test_small_departments_show_totals_only(self):
        wb, _ = run("split_private", "--input", E.fixture("org"), *WINDOW)
        d = {r["Department"]: r for r in rows(wb, "tbl_split_department")}
        for name in ("Create", "Verify"):
            self.assertEqual(d[name]["IC"], "suppressed (n<5)")
            self.assertEqual(d[name]["Management %"], "suppressed (n<5)")
            self.assertIsInstance(d[name]["Total"], int)
        # 7 people: the org-wide Management % may be shown
        self.assertAlmostEqual(E.summary_metrics(wb)["Management % on the as-of date"], 5 / 7)


class Samples(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.wb, _ = run("split_samples", "--input", E.samples(), "--since", "2022",
                        "--as-of", "2026-06-30")

    def test_sheets_tables_charts(self):
        expected = {
            "IC vs Management": ({"tbl_split_quarter", "tbl_split_department", "tbl_level_mix",
                                  "tbl_track_switches", "tbl_span"}, 3),
            "Promotions": ({"tbl_promotions_quarter", "tbl_promotions_level"}, 1),
            "Transfers": ({"tbl_transfers_quarter", "tbl_mobility_year", "tbl_transfer_matrix",
                           "tbl_transfer_pairs", "tbl_department_flows"}, 1),
        }
        for sheet, (tables, charts) in expected.items():
            with self.subTest(sheet=sheet):
                ws = self.wb[sheet]
                self.assertTrue(tables <= set(ws.tables), set(ws.tables))
                self.assertEqual(len(ws._charts), charts)

    def test_totals_agree(self):
        m = E.summary_metrics(self.wb)
        q = rows(self.wb, "tbl_split_quarter")
        self.assertEqual(E.as_date(q[-1]["Date"]).isoformat(), "2026-06-30")
        self.assertEqual(q[-1]["Total"], m["Headcount on the as-of date"])
        self.assertEqual(q[-1]["Management"], m["Headcount, management track"])
        d = rows(self.wb, "tbl_split_department")
        self.assertEqual(d[-1]["Department"], "Total")
        self.assertEqual(sum(r["Total"] for r in d[:-1]), d[-1]["Total"])
        self.assertEqual(d[-1]["Total"], m["Headcount on the as-of date"])
        self.assertEqual(sum(r["Headcount"] for r in rows(self.wb, "tbl_level_mix")),
                         m["Headcount on the as-of date"])
        pq = rows(self.wb, "tbl_promotions_quarter")
        self.assertEqual(sum(r["Promotions"] for r in pq), m["Promotions in the window"])
        for r in pq:
            self.assertEqual(r["Promotions"], r["IC"] + r["Management"])
        tq = rows(self.wb, "tbl_transfers_quarter")
        self.assertEqual(sum(r["Transfers"] for r in tq), m["Lateral transfers in the window"])
        pairs = rows(self.wb, "tbl_transfer_pairs")
        self.assertEqual(sum(r["Transfers"] for r in pairs), m["Lateral transfers in the window"])
        years = rows(self.wb, "tbl_mobility_year")
        self.assertEqual(sum(r["Promotions"] for r in years), m["Promotions in the window"])

    def test_no_formulas_or_nonfinite(self):
        self.assertEqual(E.formula_and_nonfinite_cells(self.wb), [])


if __name__ == "__main__":
    E.parse_args_and_run_tests()
