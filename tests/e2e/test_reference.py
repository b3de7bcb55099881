"""End-to-end: the issue-10 tables against an independent recomputation.

The tool runs on samples/ (--since 2022 --as-of 2026-06-30, default
--min-group 5). reference/issue10_ref.py rebuilds the career model from
roles.csv and promotions.csv in Python, from the written definitions only,
and reference/fits.R fits the survival models with R's `survival` package
(Kaplan-Meier with delayed entry and a log-log band, Aalen-Johansen, Cox with
strata). Every numeric cell of tbl_ttp_period, tbl_ttp_trend,
tbl_ttp_outcomes, tbl_ttp_outcome_curve, tbl_attrition_year, tbl_retention
and the Summary's "Attrition rate, last 12 months" is compared with the
reference; a statistic must read "suppressed (n<5)" exactly where the privacy
rule hides it, and be a number (or empty where the reference has none)
everywhere else. See reference/README.md.

Tolerances: counts exact; proportions, rates and months 1e-6 (absolute);
Cox hazard ratios, their limits and p-values 5e-4 (relative).

Skipped only when Rscript or the survival package is missing.
"""

import math
import os
import shutil
import subprocess
import sys
import unittest

import e2e_common as E

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference"))
import issue10_ref as REF  # noqa: E402

SINCE, AS_OF, MIN_GROUP = "2022", "2026-06-30", 5
SUPPRESSED = "suppressed (n<%d)" % MIN_GROUP

COUNT, PROP, MONTHS, COX, TEXT = "count", "proportion", "months", "cox", "text"

PERIOD = [("Track", TEXT), ("Year", COUNT), ("Partial year", TEXT), ("Spells at risk", COUNT),
          ("Promotions", COUNT), ("KM median (months)", MONTHS), ("KM 95% low", MONTHS),
          ("KM 95% high", MONTHS), ("Promoted within 1 year", PROP),
          ("Promoted within 2 years", PROP)]
TREND = [("Track", TEXT), ("Episodes", COUNT), ("Promotions", COUNT),
         ("Hazard ratio per year", COX), ("HR 95% low", COX), ("HR 95% high", COX),
         ("p-value", COX)]
TREND_HEADER = [c for c, _ in TREND] + ["Reading"]
OUTCOMES = [("Track", TEXT), ("Level", TEXT), ("Spells", COUNT)] + [
    ("%s by %d months" % (o, m), PROP) for m in (12, 24, 36) for o in ("Promoted", "Moved", "Left")]
CURVE = [("Months", COUNT), ("Promoted", PROP), ("Moved", PROP), ("Left", PROP),
         ("Still in level", PROP)]
ATTRITION = [("Track", TEXT), ("Year", COUNT), ("Partial year", TEXT), ("Leavers", COUNT),
             ("Headcount at start", COUNT), ("Headcount at end", COUNT),
             ("Average headcount", COUNT), ("Attrition rate", PROP),
             ("Attrition rate annualised", PROP)]
RETENTION = [("Group type", TEXT), ("Group", TEXT), ("People", COUNT), ("Employments", COUNT),
             ("Left", COUNT), ("Retained at 12 months", PROP), ("Retained at 24 months", PROP),
             ("Retained at 36 months", PROP), ("Median tenure (months)", MONTHS),
             ("95% low", MONTHS), ("95% high", MONTHS)]
SUMMARY_LABEL = "Attrition rate, last 12 months"


def r_available():
    if shutil.which("Rscript") is None:
        return False
    proc = subprocess.run(["Rscript", "--vanilla", "-e", "library(survival)"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc.returncode == 0


def cell_problem(kind, expected, actual):
    """None when actual agrees with expected, else a short description."""
    if isinstance(expected, str) and expected.startswith("suppressed"):
        return None if actual == expected else "expected %r (privacy rule), got %r" % (
            expected, actual)
    if isinstance(actual, str) and actual.startswith("suppressed"):
        return "suppressed, but the privacy rule shows it: expected %r" % (expected,)
    if kind == TEXT:
        return None if actual == expected else "expected %r, got %r" % (expected, actual)
    if expected is None:
        return None if actual is None else "expected an empty cell, got %r" % (actual,)
    if actual is None or isinstance(actual, (str, bool)):
        return "expected %r, got %r" % (expected, actual)
    if kind == COUNT:
        ok = actual == expected
    elif kind in (PROP, MONTHS):
        ok = math.isfinite(actual) and abs(actual - expected) <= 1e-6
    else:  # COX: 4 significant figures
        ok = math.isfinite(actual) and abs(actual - expected) <= 5e-4 * abs(expected)
    return None if ok else "expected %.10g, got %r" % (expected, actual)


class Reference(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not r_available():
            raise unittest.SkipTest("Rscript with R's survival package is not installed")
        out = os.path.join(E.workdir("reference"), "r.xlsx")
        proc = E.run_tool("--input", E.samples(), "--since", SINCE, "--as-of", AS_OF,
                          "--output", out)
        assert proc.returncode == 0, E.describe(proc)
        cls.wb = E.load(out)
        cls.ref = REF.compute(E.samples(), REF.parse_when(SINCE), REF.parse_date(AS_OF),
                              MIN_GROUP)

    def compare_table(self, name, columns, key_columns, header=None):
        header_got, rows = E.table_rows(self.wb, name)
        self.assertEqual(header_got, header or [c for c, _ in columns], name + " header")
        expected = self.ref[name]
        keys_got = [tuple(r[k] for k in key_columns) for r in rows]
        keys_exp = [tuple(r[k] for k in key_columns) for r in expected]
        self.assertEqual(keys_got, keys_exp, name + ": rows and their order")
        problems = []
        for exp, got in zip(expected, rows):
            for col, kind in columns:
                p = cell_problem(kind, exp[col], got[col])
                if p:
                    where = ", ".join("%s" % got[k] for k in key_columns)
                    problems.append("%s [%s] %s: %s" % (name, where, col, p))
        if problems:
            self.fail("%d cell(s) differ:\n%s" % (len(problems), "\n".join(problems)))
        return rows

    def test_ttp_period(self):
        self.compare_table("tbl_ttp_period", PERIOD, ("Track", "Year"))

    def test_ttp_trend(self):
        rows = self.compare_table("tbl_ttp_trend", TREND, ("Track",), header=TREND_HEADER)
        for exp, got in zip(self.ref["tbl_ttp_trend"], rows):
            reading, direction = got["Reading"], exp["_direction"]
            with self.subTest(track=exp["Track"]):
                if direction in ("sooner", "later"):
                    other = "later" if direction == "sooner" else "sooner"
                    self.assertIsInstance(reading, str)
                    self.assertIn(direction, reading)
                    self.assertNotIn(other, reading)
                elif direction == "No clear trend":
                    self.assertIsInstance(reading, str)
                    self.assertTrue(reading.startswith("No clear trend"), reading)

    def test_ttp_outcomes(self):
        self.compare_table("tbl_ttp_outcomes", OUTCOMES, ("Track", "Level"))

    def test_ttp_outcome_curve(self):
        self.compare_table("tbl_ttp_outcome_curve", CURVE, ("Months",))

    def test_attrition_year(self):
        self.compare_table("tbl_attrition_year", ATTRITION, ("Track", "Year"))

    def test_retention(self):
        self.compare_table("tbl_retention", RETENTION, ("Group type", "Group"))

    def test_summary_attrition_last_12_months(self):
        ws = self.wb["Summary"]
        found = []
        for row in ws.iter_rows():
            for i, c in enumerate(row):
                if c.value == SUMMARY_LABEL:
                    right = [x.value for x in row[i + 1:] if x.value is not None]
                    found.append(right[0] if right else None)
        self.assertEqual(len(found), 1, "one %r row on the Summary sheet" % SUMMARY_LABEL)
        p = cell_problem(PROP, self.ref["summary"][SUMMARY_LABEL], found[0])
        self.assertIsNone(p, p)

    def test_spells_agree_with_tbl_ttp_level(self):
        """The reference's spells (all levels, over the window) against the
        existing tbl_ttp_level: proves the two spell models agree."""
        _, levels = E.table_rows(self.wb, "tbl_ttp_level")
        every = levels[-1]
        self.assertEqual((every["Track"], every["Level name"]), ("All", "All levels"))
        problems = []
        for col, v in self.ref["check"]["ttp_all"].items():
            kind = COUNT if col in ("Spells", "Promotions", "Censored") else (
                MONTHS if col.startswith("KM") else PROP)
            # tbl_ttp_level says what its 1 - S means in the header
            if col.startswith("Promoted within"):
                col = col + " (KM: if nobody left)"
            p = cell_problem(kind, v, every[col])
            if p:
                problems.append("%s: %s" % (col, p))
        if problems:
            self.fail("%d cell(s) differ:\n%s" % (len(problems), "\n".join(problems)))

    def test_reference_is_consistent(self):
        """The reference's own arithmetic: incidences and still-in-level sum
        to 1; leavers by year add up to the retention table's All row and
        split into IC + Management."""
        for r in self.ref["tbl_ttp_outcomes"]:
            for m in (12, 24, 36):
                total = r["_still"][m] + sum(
                    r["_raw"]["%s by %d months" % (o, m)] for o in ("Promoted", "Moved", "Left"))
                self.assertAlmostEqual(total, 1, places=12, msg=(r["Track"], r["Level"], m))
        att = self.ref["tbl_attrition_year"]
        by = {(r["Track"], r["Year"]): r for r in att}
        for (track, year), r in by.items():
            if track == "All":
                for col in ("Leavers", "Headcount at start", "Headcount at end"):
                    self.assertEqual(r[col], by[("IC", year)][col] + by[("Management", year)][col])
        self.assertEqual(sum(r["Leavers"] for r in att if r["Track"] == "All"),
                         self.ref["tbl_retention"][0]["Left"])


if __name__ == "__main__":
    E.parse_args_and_run_tests()
