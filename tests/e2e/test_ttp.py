"""End-to-end: the Time to Promotion sheet.

On samples/ (--since 2022): the sheet, its tables and four charts exist, the
Summary shows the Kaplan-Meier median with its interval beside the observed
median, and the figures hang together (spells = promotions + censored, the
curve at 12/24/36 months equals "promoted within", a large --min-group
suppresses every statistic but keeps the counts).

On fixtures/ttp (a history worked out by hand in tests/unit/test_ttp.c, window
2022-01-01..2024-12-31): 9 spells take part, 2 promotions; S drops to 5/6 at
546 days and to 5/12 at 1096 days, so the KM median is 1096 / 30.4375 =
36.008 months and the observed median (546 + 1096) / 2 / 30.4375 = 26.97.
"""

import os
import unittest

import e2e_common as E

# tbl_ttp_level: what a leader reads (n, the Kaplan-Meier estimate and its
# interval); tbl_ttp_level_detail: the observed times of those promoted. Each
# ends with the pooled row (Track "All", Level name "All levels").
LEVEL_HEADERS = [
    "Track", "Level", "Level name", "Spells", "Promotions", "Censored",
    "KM median (months)", "KM 95% low", "KM 95% high",
    "Promoted within 1 year (KM: if nobody left)", "Promoted within 2 years (KM: if nobody left)",
    "Promoted within 3 years (KM: if nobody left)",
]
DETAIL_HEADERS = [
    "Track", "Level", "Level name", "Observed n", "Observed mean", "Observed median",
    "Observed P25", "Observed P75", "Observed SD",
]
KM_MEDIAN = "Time to promotion, Kaplan-Meier median (months; counts those still waiting)"
KM_LOW = "Time to promotion, Kaplan-Meier 95% low (months)"
KM_HIGH = "Time to promotion, Kaplan-Meier 95% high (months)"
OBS_MEDIAN = "Time to promotion, observed median (months; promoted only)"


rows_as_dicts = E.table_rows


def level_rows(wb, table="tbl_ttp_level"):
    """(header, rows) of a level table and its detail joined on Track and
    Level: the rows as before the split, every column of both."""
    header, rows = rows_as_dicts(wb, table)
    dheader, detail = rows_as_dicts(wb, table + "_detail")
    key = ("Department",) if table == "tbl_ttp_department" else ("Track", "Level")
    by_key = {tuple(r[k] for k in key): r for r in detail}
    assert len(by_key) == len(detail) == len(rows), (len(by_key), len(detail), len(rows))
    joined = []
    for r in rows:
        d = by_key[tuple(r[k] for k in key)]
        for k in key + ("Level name",):
            if k in d:
                assert d[k] == r[k], (k, d[k], r[k])
        joined.append({**d, **r})
    return header + [h for h in dheader if h not in header], joined


class Samples(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = os.path.join(E.workdir("ttp_samples"), "r.xlsx")
        proc = E.run_tool("--input", E.samples(), "--output", cls.out, "--since", "2022",
                          "--as-of", "2026-06-30")
        assert proc.returncode == 0, E.describe(proc)
        cls.wb = E.load(cls.out)

    def test_sheet_tables_and_charts(self):
        self.assertEqual(self.wb.sheetnames[1], "Time to Promotion")
        ws = self.wb["Time to Promotion"]
        for name in ("tbl_ttp_level", "tbl_ttp_level_detail", "tbl_ttp_department",
                     "tbl_ttp_department_detail", "tbl_ttp_year", "tbl_ttp_curve",
                     "tbl_ttp_period", "tbl_ttp_trend", "tbl_ttp_outcomes",
                     "tbl_ttp_outcome_curve"):
            self.assertIn(name, ws.tables)
        # the period medians, how spells end, the KM curve, the histogram;
        # the least-squares trend chart is gone
        self.assertEqual(len(ws._charts), 4)

    def test_level_table(self):
        header, _ = rows_as_dicts(self.wb, "tbl_ttp_level")
        self.assertEqual(header, LEVEL_HEADERS)
        self.assertEqual(rows_as_dicts(self.wb, "tbl_ttp_level_detail")[0], DETAIL_HEADERS)
        _, rows = level_rows(self.wb)
        self.assertEqual((rows[-1]["Track"], rows[-1]["Level"], rows[-1]["Level name"]),
                         ("All", None, "All levels"))
        order = [(0 if r["Track"] == "IC" else 1, r["Level"]) for r in rows[:-1]]
        self.assertEqual(order, sorted(order), "career order")
        for r in rows:
            self.assertEqual(r["Spells"], r["Promotions"] + r["Censored"], r)
        self.assertEqual(sum(r["Spells"] for r in rows[:-1]), rows[-1]["Spells"])
        self.assertEqual(sum(r["Promotions"] for r in rows[:-1]), rows[-1]["Promotions"])
        # a suppressed statistic says so with the threshold
        texts = {v for r in rows for v in r.values() if isinstance(v, str)}
        for t in texts:
            if t.startswith("suppressed"):
                self.assertEqual(t, "suppressed (n<5)")

    def test_departments_pool_every_spell(self):
        _, deps = level_rows(self.wb, "tbl_ttp_department")
        _, levels = level_rows(self.wb)
        self.assertEqual(sum(r["Spells"] for r in deps), levels[-1]["Spells"])
        self.assertEqual(sum(r["Observed n"] for r in deps), levels[-1]["Observed n"])
        ws = self.wb["Time to Promotion"]
        texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        self.assertTrue(any(t.startswith("Log-rank test") for t in texts))
        self.assertTrue(any("departments differ" in t for t in texts))

    def test_years_add_up_to_observed_promotions(self):
        _, years = rows_as_dicts(self.wb, "tbl_ttp_year")
        _, levels = level_rows(self.wb)
        self.assertEqual([r["Year"] for r in years], [2022, 2023, 2024, 2025, 2026])
        self.assertEqual(sum(r["Promotions"] for r in years), levels[-1]["Observed n"])

    def test_curve_matches_promoted_within(self):
        header, curve = rows_as_dicts(self.wb, "tbl_ttp_curve")
        self.assertEqual(header, ["Months", "All spells", "IC", "Management"])
        self.assertEqual([r["Months"] for r in curve], list(range(61)))
        self.assertEqual(curve[0]["All spells"], 0)
        values = [r["All spells"] for r in curve]
        self.assertEqual(values, sorted(values), "cumulative: never decreases")
        _, levels = level_rows(self.wb)
        every = levels[-1]
        for months, col in ((12, "Promoted within 1 year (KM: if nobody left)"),
                            (24, "Promoted within 2 years (KM: if nobody left)"),
                            (36, "Promoted within 3 years (KM: if nobody left)")):
            self.assertAlmostEqual(curve[months]["All spells"], every[col], places=12)

    def test_summary_headline(self):
        m = E.summary_metrics(self.wb)
        km, lo, hi, obs = m[KM_MEDIAN], m[KM_LOW], m[KM_HIGH], m[OBS_MEDIAN]
        self.assertTrue(lo <= km <= hi, (lo, km, hi))
        # those still waiting make the censoring-aware wait longer here
        self.assertGreater(km, obs)
        _, levels = level_rows(self.wb)
        self.assertEqual(km, levels[-1]["KM median (months)"])
        self.assertEqual(obs, levels[-1]["Observed median"])

    def test_no_formulas_or_nonfinite(self):
        self.assertEqual(E.formula_and_nonfinite_cells(self.wb), [])


class Suppression(unittest.TestCase):
    def test_large_min_group_suppresses_statistics_keeps_counts(self):
        out = os.path.join(E.workdir("ttp_suppressed"), "r.xlsx")
        proc = E.run_tool("--input", E.samples(), "--output", out, "--since", "2022",
                          "--as-of", "2026-06-30", "--min-group", "100000")
        self.assertEqual(proc.returncode, 0, E.describe(proc))
        wb = E.load(out)
        _, rows = level_rows(wb)
        for r in rows:
            self.assertIsInstance(r["Spells"], int)
            for col in LEVEL_HEADERS[6:] + DETAIL_HEADERS[3:]:
                if col == "Observed n":
                    self.assertIsInstance(r[col], int)
                else:
                    self.assertEqual(r[col], "suppressed (n<100000)", (r["Track"], col))
        self.assertEqual(E.summary_metrics(wb)[KM_MEDIAN], "suppressed (n<100000)")


class HandWorked(unittest.TestCase):
    def run_fixture(self, *extra):
        out = os.path.join(E.workdir("ttp_hand" + "".join(extra)), "r.xlsx")
        proc = E.run_tool("--input", E.fixture("ttp"), "--output", out, "--since",
                          "2022-01-01", "--as-of", "2024-12-31", "--min-group", "1", "--no-privacy", *extra)
        self.assertEqual(proc.returncode, 0, E.describe(proc))
        return E.load(out)

    def test_kaplan_meier_and_observed(self):
        wb = self.run_fixture()
        _, levels = level_rows(wb)
        every = levels[-1]
        self.assertEqual((every["Spells"], every["Promotions"], every["Censored"]), (9, 2, 7))
        self.assertAlmostEqual(every["KM median (months)"], 1096 / 30.4375, places=9)
        self.assertAlmostEqual(every["Promoted within 2 years (KM: if nobody left)"], 1 / 6,
                               places=12)
        # How the spells end (worked out in tests/unit/test_ttp.c): by 12
        # months 0 promoted, 1/6 moved, 1/6 left; by 24 months 1/9 promoted.
        # 1 - S above (1/6) overstates the share promoted (1/9).
        _, outcomes = rows_as_dicts(wb, "tbl_ttp_outcomes")
        pooled = outcomes[-1]
        self.assertEqual((pooled["Track"], pooled["Level"], pooled["Spells"]),
                         ("All", "All levels", 9))
        for col, want in (("Promoted by 12 months", 0), ("Moved by 12 months", 1 / 6),
                          ("Left by 12 months", 1 / 6), ("Promoted by 24 months", 1 / 9),
                          ("Moved by 24 months", 1 / 6), ("Left by 36 months", 1 / 6)):
            self.assertAlmostEqual(pooled[col], want, places=12, msg=col)
        # 2022: 6 episodes, 2 promotions, the KM median 546 days
        _, periods = rows_as_dicts(wb, "tbl_ttp_period")
        first = periods[0]
        self.assertEqual((first["Track"], first["Year"], first["Partial year"]),
                         ("All", 2022, "no"))
        self.assertEqual((first["Spells at risk"], first["Promotions"]), (6, 2))
        self.assertAlmostEqual(first["KM median (months)"], 546 / 30.4375, places=9)
        self.assertAlmostEqual(every["Observed median"], (546 + 1096) / 2 / 30.4375, places=9)
        m = E.summary_metrics(wb)
        self.assertAlmostEqual(m[KM_MEDIAN], 1096 / 30.4375, places=9)
        _, curve = rows_as_dicts(wb, "tbl_ttp_curve")
        self.assertAlmostEqual(curve[37]["All spells"], 7 / 12, places=12)

    def test_km_ci_option(self):
        for band in ("log", "plain", "log-log"):
            with self.subTest(band=band):
                wb = self.run_fixture("--km-ci", band)
                about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True)
                         if r and r[0]}
                self.assertEqual(about["--km-ci"], band)
        proc = E.run_tool("--input", E.fixture("ttp"), "--km-ci", "wide")
        self.assertEqual(proc.returncode, E.EXIT_USAGE, E.describe(proc))


class KmBands(unittest.TestCase):
    """--km-ci: the three 95% bands of the Kaplan-Meier median on fixtures/ttp,
    worked by hand and then from the formulas.

    The KM (tests/unit/test_ttp.c): two events, at 546 days (n = 6 at risk,
    d = 1, S = 5/6) and at 1096 days (n = 2, d = 1, S = 5/12). Greenwood's
    sum of d / (n (n - d)): 1/30 at 546, 1/30 + 1/2 = 8/15 at 1096, so
    se = sqrt(1/30) = 0.18257 and sqrt(8/15) = 0.73030; z = 1.959964.

    The median's limits (the tool's definition): low = the first event time
    where the band's lower limit is <= 0.5, high = the first event time where
    its upper limit is <= 0.5, empty when there is none.

    log-log (c = log(-log S), w = z se / (-log S); lower exp(-exp(c + w)),
    upper exp(-exp(c - w))):
      546:  c = log 0.18232 = -1.7020, w = 1.9627: lower exp(-e^0.2607) = 0.273
            (<= 0.5: low = 546), upper exp(-e^-3.6647) = 0.975
      1096: c = log 0.87547 = -0.1330, w = 1.6350: upper exp(-e^-1.768) = 0.843
      -> low 546 days = 17.938 months, high empty.
    log (S exp(-+z se)):
      546:  lower 0.8333 e^-0.3578 = 0.583 (> 0.5), upper 1.19
      1096: lower 0.4167 e^-1.4313 = 0.0996 (low = 1096), upper 1.74
      -> low 1096 days = 36.008 months, high empty.
    plain (S -+ z se S, clipped to [0, 1]):
      546:  lower 0.8333 - 0.2982 = 0.535 (> 0.5), upper 1.13 -> 1
      1096: lower 0.4167 - 0.5965 -> 0 (low = 1096), upper 1.01 -> 1
      -> low 1096 days = 36.008 months, high empty.
    So log-log differs from log and plain (its low limit is 546 days).
    """

    Z = 1.959963984540054
    DAYS_PER_MONTH = 30.4375
    # (time in days, at risk, events) of the hand-worked KM
    EVENTS = [(546, 6, 1), (1096, 2, 1)]
    HAND = {"log-log": (546, None), "log": (1096, None), "plain": (1096, None)}

    @classmethod
    def band(cls, kind, s, se):
        """(lower, upper) of the 95% band at survival s with Greenwood se
        (the square root of the sum d / (n (n - d)))."""
        import math
        z = cls.Z
        if kind == "log":
            return s * math.exp(-z * se), s * math.exp(z * se)
        if kind == "plain":
            return max(0.0, s - z * se * s), min(1.0, s + z * se * s)
        c = math.log(-math.log(s))
        w = z * se / (-math.log(s))
        return math.exp(-math.exp(c + w)), math.exp(-math.exp(c - w))

    @classmethod
    def median_limits(cls, kind):
        """(low, high) in days from the formulas, None when never."""
        import math
        s, greenwood = 1.0, 0.0
        low = high = None
        for t, n, d in cls.EVENTS:
            s *= (n - d) / n
            greenwood += d / (n * (n - d))
            lower, upper = cls.band(kind, s, math.sqrt(greenwood))
            if low is None and lower <= 0.5:
                low = t
            if high is None and upper <= 0.5:
                high = t
        return low, high

    def test_formulas_agree_with_the_hand(self):
        for kind, want in self.HAND.items():
            self.assertEqual(self.median_limits(kind), want, kind)

    def test_each_band_on_the_workbook(self):
        seen = {}
        for kind in ("log-log", "log", "plain"):
            with self.subTest(band=kind):
                out = os.path.join(E.workdir("ttp_band_" + kind), "r.xlsx")
                proc = E.run_tool("--input", E.fixture("ttp"), "--output", out,
                                  "--since", "2022-01-01", "--as-of", "2024-12-31",
                                  "--min-group", "1", "--no-privacy", "--km-ci", kind)
                self.assertEqual(proc.returncode, 0, E.describe(proc))
                wb = E.load(out)
                _, rows = rows_as_dicts(wb, "tbl_ttp_level")
                every = rows[-1]
                self.assertEqual((every["Track"], every["Spells"], every["Promotions"]),
                                 ("All", 9, 2))
                got = (every["KM 95% low"], every["KM 95% high"])
                for days, value, col in zip(self.median_limits(kind), got,
                                            ("KM 95% low", "KM 95% high")):
                    if days is None:
                        self.assertIsNone(value, col)
                    else:
                        self.assertAlmostEqual(value, days / self.DAYS_PER_MONTH, places=9,
                                               msg=col)
                self.assertAlmostEqual(every["KM median (months)"], 1096 / self.DAYS_PER_MONTH,
                                       places=9)
                seen[kind] = got
        self.assertEqual(len(seen), 3)
        self.assertGreaterEqual(len(set(seen.values())), 2,
                                "every --km-ci band gave the same limits: %r" % seen)


class Absent(unittest.TestCase):
    def test_no_promotions_file(self):
        import shutil
        work = E.workdir("ttp_absent")
        data = os.path.join(work, "in")
        os.mkdir(data)
        shutil.copy(E.fixture("small", "roles.csv"), data)
        out = os.path.join(work, "r.xlsx")
        proc = E.run_tool("--input", data, "--output", out, "--as-of", "2024-06-30")
        self.assertEqual(proc.returncode, 0, E.describe(proc))
        wb = E.load(out)
        ws = wb["Time to Promotion"]
        self.assertEqual(len(ws.tables), 0)
        self.assertEqual(len(ws._charts), 0)
        self.assertEqual(ws["A4"].value, "promotions.csv was not provided: time to promotion "
                                         "cannot be measured.")
        self.assertEqual(E.summary_metrics(wb)[KM_MEDIAN], "promotions.csv not provided")


class Charts(unittest.TestCase):
    def test_bar_chart_axes(self):
        """In a bar chart the categories run up the side: the level pyramid's
        category axis is titled Level, its value axis People."""
        import re
        import zipfile
        out = os.path.join(E.workdir("ttp_bars"), "r.xlsx")
        proc = E.run_tool("--input", E.samples(), "--output", out, "--since", "2022",
                          "--as-of", "2026-06-30")
        self.assertEqual(proc.returncode, 0, E.describe(proc))
        found = False
        with zipfile.ZipFile(out) as z:
            for name in z.namelist():
                xml = z.read(name).decode("utf-8", "replace")
                if not name.startswith("xl/charts/") or "Level pyramid" not in xml:
                    continue
                found = True
                cat = re.search(r"<c:catAx>.*?</c:catAx>", xml, re.S).group(0)
                val = re.search(r"<c:valAx>.*?</c:valAx>", xml, re.S).group(0)
                self.assertIn(">Level<", cat)
                self.assertIn(">People<", val)
        self.assertTrue(found)


if __name__ == "__main__":
    E.parse_args_and_run_tests()
