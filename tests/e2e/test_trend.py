"""End-to-end: the calendar trend of time to promotion (tbl_ttp_trend).

workforce-gen's promotion hazard depends only on the time spent in a level,
never on the calendar (its header comment; a Cox fit in R of its year
episodes gave hazard ratios 0.9877-1.0093 over seeds 1-5 at 10k employees
and 0.9965-1.0012 at 100k, every 95% interval containing 1). So on such a
set the tool must read "No clear trend", with an interval that contains 1.
The old least-squares trend of promoted-only months read "getting slower"
on this kind of data.

The reverse: with --promotion-speedup 0.1 the generator multiplies the
hazard by 1.1 each calendar year (proportional hazards), so the fit must
read "sooner" with a hazard ratio near 1.1 (R gave 1.0934 at seed 1).
"""

import os
import subprocess
import unittest

import e2e_common as E


def generate(work, employees, *extra):
    gen = os.path.join(os.path.dirname(E.Config.tool), "workforce-gen")
    out = os.path.join(work, "hris")
    subprocess.run([gen, "--employees", str(employees), "--seed", "1", "--as-of", "2026-06-30",
                    "--out", out, *extra], check=True, timeout=120)
    return out


def trend(name, employees, *extra):
    work = E.workdir(name)
    data = generate(work, employees, *extra)
    book = os.path.join(work, "r.xlsx")
    proc = E.run_tool("--input", data, "--output", book, "--since", "2022", "--as-of",
                      "2026-06-30", "-q", timeout=300)
    assert proc.returncode == 0, E.describe(proc)
    header, rows = E.table_rows(E.load(book), "tbl_ttp_trend")
    assert header == ["Track", "Episodes", "Promotions", "Hazard ratio per year", "HR 95% low",
                      "HR 95% high", "p-value", "Reading"], header
    return {r["Track"]: r for r in rows}


class NoTrend(unittest.TestCase):
    def check(self, rows):
        self.assertEqual(list(rows), ["All", "IC", "Management"])
        for track in ("All", "IC"):
            r = rows[track]
            self.assertTrue(r["Reading"].startswith("No clear trend"), r)
            self.assertLessEqual(r["HR 95% low"], 1.0, r)
            self.assertGreaterEqual(r["HR 95% high"], 1.0, r)
            self.assertGreater(r["p-value"], 0.05, r)
            self.assertLess(r["HR 95% low"], r["Hazard ratio per year"])
            self.assertLess(r["Hazard ratio per year"], r["HR 95% high"])

    def test_10k(self):
        self.check(trend("trend_10k", 10000))

    def test_100k(self):
        rows = trend("trend_100k", 100000)
        self.check(rows)
        # tens of thousands of promotions: the interval is narrow
        self.assertLess(rows["All"]["HR 95% high"] - rows["All"]["HR 95% low"], 0.03)


class SpeedUp(unittest.TestCase):
    def test_sooner(self):
        rows = trend("trend_speedup", 10000, "--promotion-speedup", "0.1")
        r = rows["All"]
        self.assertTrue(r["Reading"].startswith("Promotion is coming sooner"), r)
        self.assertGreater(r["HR 95% low"], 1.0, r)
        self.assertLess(r["p-value"], 0.05)
        self.assertAlmostEqual(r["Hazard ratio per year"], 1.1, delta=0.03)


if __name__ == "__main__":
    E.parse_args_and_run_tests()
