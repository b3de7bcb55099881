"""Golden values: the workbook's headline figures on samples/ against
golden.py, an independent recomputation from the CSV files (see README.md).

    /usr/bin/python3 test_golden.py --tool <workforce-report> \
        --samples <samples/> --work <build dir>
"""

import argparse
import os
import shutil
import subprocess
import sys
import unittest

import openpyxl

import golden

SINCE, AS_OF = "2022-01-01", "2026-06-30"


class Config:
    tool = samples = work = None


def run_tool(folder, out, *extra):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1719792000")
    proc = subprocess.run([Config.tool, "--quiet", "--input", folder, "--output", out,
                           "--since", SINCE, "--as-of", AS_OF] + list(extra),
                          env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    assert proc.returncode == 0, (proc.returncode, proc.stderr)
    return openpyxl.load_workbook(out)


def table(wb, name):
    """Rows of Excel table `name` as dicts."""
    for ws in wb.worksheets:
        if name in ws.tables:
            cells = [[c.value for c in r] for r in ws[ws.tables[name].ref]]
            return [dict(zip(cells[0], r)) for r in cells[1:]
                    if any(v is not None for v in r)]
    raise AssertionError("no table %s" % name)


def workbook_figures(wb):
    summary = {r["Metric"]: r["Value"] for r in table(wb, "tbl_summary")}
    years = [r for r in table(wb, "tbl_secondments_year") if isinstance(r["Start year"], int)]
    cohorts = table(wb, "tbl_interns_cohort")
    totals = [r for r in cohorts if r["Start year"] == "Total"]
    assert len(totals) == 1, totals
    per_cohort = sum(r["Interns"] for r in cohorts if r["Start year"] != "Total")
    assert per_cohort == totals[0]["Interns"], (per_cohort, totals[0]["Interns"])
    return {
        "headcount": summary["Headcount on the as-of date"],
        "headcount_ic": summary["Headcount, IC track"],
        "headcount_management": summary["Headcount, management track"],
        "promotions": summary["Promotions in the window"],
        "lateral_transfers": summary["Lateral transfers in the window"],
        "secondments_started": sum(r["Started"] for r in years),
        "interns_started": totals[0]["Interns"],
    }


def golden_figures(folder):
    return golden.figures(folder, golden.day(SINCE), golden.day(AS_OF))


class Samples(unittest.TestCase):
    def test_headline_figures_match(self):
        out = os.path.join(Config.work, "samples.xlsx")
        got = workbook_figures(run_tool(Config.samples, out))
        want = golden_figures(Config.samples)
        self.assertEqual(sorted(got), sorted(want))
        for key in sorted(want):
            self.assertEqual(got[key], want[key], key)
        # not a vacuous match: every figure counts something
        self.assertTrue(all(v > 0 for v in want.values()), want)
        self.assertEqual(want["headcount"],
                         want["headcount_ic"] + want["headcount_management"])


ROLES = """employee_id,role,family,track,level,department,start_date,end_date
A,Engineer,Backend Engineer,ic,2,Create,2020-01-01,2023-06-30
A,Senior Engineer,Backend Engineer,ic,3,Create,2023-07-01,
B,Engineer,Backend Engineer,ic,2,Create,2021-01-01,2024-12-31
C,Manager,Engineering Management,management,4,Verify,2019-01-01,
D,Engineer,Backend Engineer,ic,2,Verify,2026-07-01,
E,Engineer,Backend Engineer,ic,1,Verify,2024-03-01,2026-06-30
"""
# A's promotion matches (A holds a role on 2023-06-30); D's does not (no role
# the day before); B's is before the window.
PROMOTIONS = """employee_id,effective_date,from_level,to_level
A,2023-07-01,2,3
D,2026-06-01,1,2
B,2021-06-01,1,2
"""
TRANSFERS = """employee_id,effective_date,from_family,to_family
B,2022-03-01,Backend Engineer,Frontend Engineer
C,2021-12-31,Backend Engineer,Frontend Engineer
"""
SECONDMENTS = """secondee_id,employer,team,start_date,planned_end_date,end_date
S1,Acme,Release,2021-12-01,2022-03-01,2022-03-01
S2,Acme,Release,2022-01-01,2022-04-01,2022-04-01
S3,Acme,Release,2026-06-30,2026-09-30,
"""
INTERNS = """intern_id,team,start_date,end_date,outcome
I1,backend,2021-06-01,2021-09-01,no_offer
I2,backend,2023-06-01,2023-09-01,no_offer
"""


class HandMade(unittest.TestCase):
    """A tiny data set counted by hand, so that golden.py is itself checked
    (and the matching rule and window edges exercised, which samples/ does
    not: every promotion there in the window matches)."""

    def test_hand_count(self):
        folder = os.path.join(Config.work, "hand")
        os.makedirs(folder)
        for name, text in (("roles.csv", ROLES), ("promotions.csv", PROMOTIONS),
                           ("transfers.csv", TRANSFERS), ("secondments.csv", SECONDMENTS),
                           ("interns.csv", INTERNS)):
            with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
                f.write(text)
        # on 2026-06-30: A (ic), C (management), E (ic, last day); B left,
        # D starts later
        want = {"headcount": 3, "headcount_ic": 2, "headcount_management": 1,
                "promotions": 1, "lateral_transfers": 1, "secondments_started": 2,
                "interns_started": 1}
        self.assertEqual(golden_figures(folder), want)
        wb = run_tool(folder, os.path.join(Config.work, "hand.xlsx"), "--min-group", "1",
                      "--no-privacy", "--allow-rejects")
        summary = {r["Metric"]: r["Value"] for r in table(wb, "tbl_summary")}
        self.assertEqual(summary["Headcount on the as-of date"], want["headcount"])
        self.assertEqual(summary["Promotions in the window"], want["promotions"])
        self.assertEqual(summary["Lateral transfers in the window"], want["lateral_transfers"])


def main():
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--tool", required=True)
    ap.add_argument("--samples", required=True)
    ap.add_argument("--work", required=True)
    args, rest = ap.parse_known_args()
    Config.tool = os.path.abspath(args.tool)
    Config.samples = os.path.abspath(args.samples)
    Config.work = os.path.abspath(args.work)
    if os.path.isdir(Config.work):
        shutil.rmtree(Config.work)
    os.makedirs(Config.work)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
