#!/usr/bin/python3
"""Each attack in attacks.py must fire on a workbook doctored to leak, and stay
quiet on one doctored not to. The workbooks are built here with openpyxl (no
workforce-report involved), with the same kind of named Excel tables the tool
writes, so a silent attack is caught even when today's tool stops leaking.

    /usr/bin/python3 test_attacks_fire.py
"""

import math
import os
import shutil
import sys
import tempfile
import unittest

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import attacks as A  # noqa: E402

HID = "suppressed (n<5)"
TMP = tempfile.mkdtemp(prefix="privacy-fire-")


def make_book(name, tables, cells=()):
    """tables: (sheet, table name, header, rows, top-left row); cells:
    (sheet, coordinate, value) written outside the tables."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    sheets = {}
    for sheet, tname, header, rows, top in tables:
        ws = sheets.get(sheet) or wb.create_sheet(sheet)
        sheets[sheet] = ws
        for i, row in enumerate([header] + rows):
            for j, v in enumerate(row):
                ws.cell(top + i, j + 1, v)
        ref = "A%d:%s%d" % (top, get_column_letter(len(header)), top + len(rows))
        t = Table(displayName=tname, ref=ref)
        t.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        ws.add_table(t)
    for sheet, coord, v in cells:
        ws = sheets.get(sheet) or wb.create_sheet(sheet)
        sheets[sheet] = ws
        ws[coord] = v
    path = os.path.join(TMP, name + ".xlsx")
    wb.save(path)
    return A.Book(path)


def write_csvs(name, roles, extra=None):
    d = os.path.join(TMP, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "roles.csv"), "w") as f:
        f.write("employee_id,role,family,track,level,department,start_date,end_date,manager_id\n")
        for r in roles:
            f.write(",".join(r) + "\n")
    for fn, text in (extra or {}).items():
        with open(os.path.join(d, fn), "w") as f:
            f.write(text)
    return d


def ctx(k=5, input_dir=None, previous=None, as_of="2026-06-30", since="2022"):
    return A.Context(min_group=k, input_dir=input_dir, as_of=as_of, since=since, previous=previous)


def kinds(findings):
    return sorted({f["attack"] for f in findings})


TTP_HEADER = ["Track", "Level", "Observed n", "Observed mean", "Observed SD"]


def sd(xs):
    m = sum(xs) / len(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))


# per-level promotion times (months), unrounded like the tool's cells
L1 = [10.1, 11.7, 12.2, 13.9, 15.0, 16.4, 18.3]  # means with many decimals, as the tool writes
L2 = [20.5, 22.25, 24.0, 26.1, 28.8, 30.2]
L3 = [31.5, 40.25]


def row(track, level, xs, hide=False):
    if hide:
        return [track, level, len(xs), HID, HID]
    return [track, level, len(xs), sum(xs) / len(xs), sd(xs) if len(xs) > 1 else None]


def pooled(xs):
    return ["All levels", None, len(xs), sum(xs) / len(xs), sd(xs)]


class Differencing(unittest.TestCase):
    def test_one_hidden_row_of_two_gives_both_values(self):
        b = make_book("diff2", [("TTP", "tbl_ttp_level", TTP_HEADER,
                                 [row("IC", 1, L1), row("IC", 2, L2), row("IC", 3, L3, hide=True),
                                  pooled(L1 + L2 + L3)], 1)])
        f = A.attack_differencing(b, ctx())
        self.assertEqual(len(f), 1, f)
        self.assertEqual(f[0]["people"], 2)
        self.assertIn("individual values: 31.5000, 40.2500", f[0]["recovered"])

    def test_one_hidden_row_of_one(self):
        b = make_book("diff1", [("TTP", "tbl_ttp_level", TTP_HEADER,
                                 [row("IC", 1, L1), row("IC", 2, [17.75], hide=True),
                                  pooled(L1 + [17.75])], 1)])
        f = A.attack_differencing(b, ctx())
        self.assertEqual(len(f), 1, f)
        self.assertIn("individual values: 17.7500", f[0]["recovered"])

    def test_row_left_out_of_the_table(self):
        b = make_book("diffgap", [("TTP", "tbl_ttp_level", TTP_HEADER,
                                   [row("IC", 1, L1), pooled(L1 + [17.75])], 1)])
        f = A.attack_differencing(b, ctx())
        self.assertEqual(len(f), 1, f)
        self.assertIn("rows left out of the table", f[0]["recovered"])
        self.assertIn("individual values: 17.7500", f[0]["recovered"])

    def test_sums_with_total_row(self):
        hdr = ["Host team", "Secondees", "Merged MRs"]
        b = make_book("diffsum", [("Secondments", "tbl_secondment_teams", hdr,
                                   [["Create", 6, 40], ["Geo", 1, HID], ["Total", 7, 49]], 1)])
        f = A.attack_differencing(b, ctx())
        self.assertEqual([x["people"] for x in f], [1], f)
        self.assertIn("= 9", f[0]["recovered"])

    def test_clean_hidden_rows_hold_enough_people(self):
        b = make_book("diffclean", [("TTP", "tbl_ttp_level", TTP_HEADER,
                                     [row("IC", 1, L1), row("IC", 2, L2, hide=True),
                                      pooled(L1 + L2)], 1)])
        self.assertEqual(A.attack_differencing(b, ctx()), [])

    def test_rounded_means_are_not_exact_enough(self):
        xs = L1 * 12
        r1 = ["IC", 1, len(xs), round(sum(xs) / len(xs), 1), None]
        r2 = ["IC", 2, 2, HID, HID]
        allx = xs + L3
        p = ["All levels", None, len(allx), round(sum(allx) / len(allx), 1), None]
        b = make_book("diffround", [("TTP", "tbl_ttp_level", TTP_HEADER, [r1, r2, p], 1)])
        self.assertEqual(A.attack_differencing(b, ctx()), [])


class AcrossTables(unittest.TestCase):
    def test_total_from_a_fully_shown_table(self):
        by_level = [row("IC", 1, L1), row("IC", 2, L2 + L3)]
        hdr = ["Department", "Observed n", "Observed mean", "Observed SD"]
        d1 = L1 + L2
        by_dept = [["Create", len(d1), sum(d1) / len(d1), sd(d1)], ["Geo", 2, HID, HID]]
        b = make_book("across", [("TTP", "tbl_ttp_level", TTP_HEADER, by_level, 1),
                                 ("TTP", "tbl_ttp_department", hdr, by_dept, 10)])
        f = A.attack_across_tables(b, ctx())
        self.assertEqual(len(f), 1, f)
        self.assertEqual(f[0]["table"], "tbl_ttp_department")
        self.assertIn("31.5000, 40.2500", f[0]["recovered"])

    def test_clean(self):
        by_level = [row("IC", 1, L1), row("IC", 2, L2 + L3)]
        hdr = ["Department", "Observed n", "Observed mean", "Observed SD"]
        by_dept = [["Create", len(L1), sum(L1) / len(L1), sd(L1)], ["Geo", 8, HID, HID]]
        b = make_book("acrossclean", [("TTP", "tbl_ttp_level", TTP_HEADER, by_level, 1),
                                      ("TTP", "tbl_ttp_department", hdr, by_dept, 10)])
        self.assertEqual(A.attack_across_tables(b, ctx()), [])


class OrderStatistics(unittest.TestCase):
    HDR = ["Track", "Level", "Observed n", "Observed median", "Observed P25", "Observed P75",
           "Observed min", "Observed max"]

    def test_min_is_one_persons_value(self):
        b = make_book("min", [("TTP", "tbl_x", ["Department", "Observed n", "Observed min"],
                               [["Create", 40, 3.5]], 1)])
        f = A.attack_order_statistics(b, ctx())
        self.assertEqual(len(f), 1, f)
        self.assertIn("x1=3.5000", f[0]["recovered"])

    def test_four_values_from_interpolated_quartiles(self):
        xs = [10.0, 14.0, 20.0, 30.0]  # P25 13, median 17, P75 22.5
        b = make_book("quart", [("TTP", "tbl_ttp_level", self.HDR,
                                 [["IC", 1, 4, 17.0, 13.0, 22.5, 10.0, 30.0]], 1)])
        f = A.attack_order_statistics(b, ctx())
        self.assertEqual(len(f), 1, f)
        self.assertIn("all 4 sorted values", f[0]["recovered"])
        for i, x in enumerate(xs):
            self.assertIn("x%d=%s" % (i + 1, A.fmt(x)), f[0]["recovered"])

    def test_small_median(self):
        b = make_book("median", [("TTP", "tbl_ttp_year", ["Year", "Promotions", "Observed median (months)"],
                                  [[2024, 6, 18.25]], 1)])
        f = A.attack_order_statistics(b, ctx())
        self.assertEqual(len(f), 1, f)
        self.assertIn("median", f[0]["recovered"])

    def test_km_median_with_few_events(self):
        hdr = ["Track", "Level", "Spells", "Promotions", "KM median (months)", "KM 95% low"]
        b = make_book("km", [("TTP", "tbl_ttp_level", hdr, [["IC", 5, 40, 2, 30.5, 20.0]], 1)])
        f = A.attack_order_statistics(b, ctx())
        self.assertEqual(kinds(f), ["km_few_events"], f)

    def test_histogram_bins(self):
        b = make_book("hist", [("TTP", "tbl_ttp_histogram", ["Months in level", "Promotions"],
                                [["0 to under 3", 0], ["3 to under 6", 2], ["6 to under 9", 12]], 1)])
        f = A.attack_order_statistics(b, ctx())
        self.assertEqual([(x["attack"], x["row"]) for x in f], [("histogram_bin", "3 to under 6")])

    def test_clean(self):
        hdr = ["Track", "Level", "Spells", "Promotions", "KM median (months)", "Observed n",
               "Observed median"]
        b = make_book("osclean", [
            ("TTP", "tbl_ttp_level", hdr, [["IC", 1, 80, 30, 22.0, 30, 19.5],
                                           ["IC", 2, 10, 2, HID, 2, HID]], 1),
            ("TTP", "tbl_ttp_histogram", ["Months in level", "Promotions"],
             [["0 to under 6", 0], ["6 to under 12", 7], ["12 to under 18", 25]], 10)])
        self.assertEqual(A.attack_order_statistics(b, ctx()), [])


class Quarterly(unittest.TestCase):
    def test_one_newcomer(self):
        xs = L1 + L2
        new = 23.125
        before = make_book("q1", [("TTP", "tbl_ttp_level", TTP_HEADER, [row("IC", 1, xs)], 1)])
        after = make_book("q2", [("TTP", "tbl_ttp_level", TTP_HEADER, [row("IC", 1, xs + [new])], 1)])
        f = A.attack_quarterly(after, ctx(previous=before))
        self.assertEqual(len(f), 1, f)
        self.assertEqual(f[0]["people"], 1)
        self.assertIn("sum 23.1250", f[0]["recovered"])

    def test_merged_mrs(self):
        hdr = ["Host team", "Secondees", "Merged MRs"]
        before = make_book("qm1", [("S", "tbl_secondment_teams", hdr, [["Geo", 7, 60]], 1)])
        after = make_book("qm2", [("S", "tbl_secondment_teams", hdr, [["Geo", 8, 71]], 1)])
        f = A.attack_quarterly(after, ctx(previous=before))
        self.assertEqual(len(f), 1, f)
        self.assertIn("sum 11", f[0]["recovered"])

    def test_clean_rounded_large_groups(self):
        hdr = ["Track", "Level", "Observed n", "Observed mean"]
        before = make_book("qc1", [("TTP", "tbl_ttp_level", hdr, [["IC", 1, 200, 20.3]], 1)])
        after = make_book("qc2", [("TTP", "tbl_ttp_level", hdr, [["IC", 1, 201, 20.4]], 1)])
        self.assertEqual(A.attack_quarterly(after, ctx(previous=before)), [])


ROLES = [
    ["E0000001", "Senior Backend Engineer", "Backend Engineer", "ic", "3", "Create", "2020-01-01", "", ""],
    ["E0000002", "Director of Engineering", "Engineering Management", "management", "5", "Create",
     "2019-01-01", "", ""],
] + [["E00001%02d" % i, "Junior Backend Engineer", "Backend Engineer", "ic", "1", "Create",
      "2024-01-01", "", "E0000002"] for i in range(8)]


class DataQuality(unittest.TestCase):
    HDR = ["File", "Line", "Column", "Severity", "Value", "Problem"]

    def test_id_title_and_date(self):
        d = write_csvs("dq", ROLES)
        b = make_book("dq", [("Data Quality", "tbl_dq_issues", self.HDR, [
            ["roles.csv", 3, "manager_id", "warning", "E0000002", "named as manager"],
            ["roles.csv", 4, "start_date", "warning", "2027-01-05", "dated after the as-of date 2026-06-30"],
            ["roles.csv", 5, "role", "warning", "x", "Director of Engineering has no reports"],
        ], 4)])
        f = A.attack_dq_scan(b, ctx(input_dir=d))
        what = " ".join(x["recovered"] for x in f)
        self.assertIn("'E0000002'", what)
        self.assertIn("2027-01-05", what)
        self.assertIn("Director of Engineering", what)
        self.assertNotIn("'2026-06-30'", what)  # the as-of date is not about anyone

    def test_id_anywhere(self):
        d = write_csvs("dqany", ROLES)
        b = make_book("dqany", [("Summary", "tbl_summary", ["Metric", "Value"], [["Top", "E0000001"]], 4)])
        f = A.attack_dq_scan(b, ctx(input_dir=d))
        self.assertEqual(kinds(f), ["id_in_workbook"])

    def test_clean(self):
        d = write_csvs("dqclean", ROLES)
        b = make_book("dqclean", [("Data Quality", "tbl_dq_files",
                                   ["File", "Rows read", "Rows used", "Rows rejected", "Warnings"],
                                   [["roles.csv", 10, 10, 0, 1]], 4)],
                      cells=[("Data Quality", "A1", "Data quality, as of 2026-06-30")])
        self.assertEqual(A.attack_dq_scan(b, ctx(input_dir=d)), [])


class Splits(unittest.TestCase):
    HDR = ["Start year", "Started", "Active", "Completed", "Extended", "Ended early", "Completion rate",
           "Merged MRs"]

    def test_small_group_split_and_performance(self):
        b = make_book("split", [("Secondments", "tbl_secondments_year", self.HDR,
                                 [[2023, 3, 0, 2, 1, 0, HID, 35]], 1)])
        f = A.attack_small_splits(b, ctx())
        what = " ".join(x["recovered"] for x in f)
        self.assertIn("Completed 2", what)
        self.assertIn("Merged MRs 35", what)

    def test_intern_cohort(self):
        hdr = ["Start year", "Team", "Interns", "Active", "Ended", "Hired", "Offer declined", "No offer"]
        b = make_book("interns", [("Interns", "tbl_interns_cohort", hdr,
                                   [[2024, "backend", 2, 0, 2, 1, 1, 0]], 1)])
        self.assertEqual(len(A.attack_small_splits(b, ctx())), 1)

    def test_clean(self):
        b = make_book("splitclean", [("Secondments", "tbl_secondments_year", self.HDR,
                                      [[2023, 3, 0, HID, HID, HID, HID, HID],
                                       [2024, 8, 1, 5, 1, 1, 6 / 7, 90]], 1)])
        self.assertEqual(A.attack_small_splits(b, ctx()), [])


class LevelNames(unittest.TestCase):
    HDR = ["Track", "Level", "Level name", "Headcount"]

    def test_title_of_one_person(self):
        d = write_csvs("names", ROLES)
        b = make_book("names", [("Mix", "tbl_level_mix", self.HDR,
                                 [["Management", 5, "Director of Engineering", 1],
                                  ["IC", 1, "Junior Backend Engineer", 8]], 1)])
        f = A.attack_level_names(b, ctx(input_dir=d))
        self.assertEqual([x["row"] for x in f], ["Management / 5 / Director of Engineering"], f)

    def test_clean(self):
        d = write_csvs("namesclean", ROLES)
        b = make_book("namesclean", [("Mix", "tbl_level_mix", self.HDR,
                                      [["Management", 5, "Director", 1], ["IC", 3, "Senior", 1],
                                       ["IC", 1, "Junior Backend Engineer", 8]], 1)])
        self.assertEqual(A.attack_level_names(b, ctx(input_dir=d)), [])


class SmallGroupStats(unittest.TestCase):
    def test_mean_of_three(self):
        b = make_book("sgs", [("TTP", "tbl_ttp_level", TTP_HEADER, [row("IC", 1, [10.0, 12.0, 20.0])], 1)])
        self.assertEqual(kinds(A.attack_small_group_stats(b, ctx())), ["small_group_stat"])


class CleanWorkbook(unittest.TestCase):
    def test_every_attack_quiet(self):
        d = write_csvs("clean", ROLES)
        tables = [
            ("Summary", "tbl_summary", ["Metric", "Value"],
             [["Headcount on the as-of date", 10], ["Promotions in the window", 15]], 4),
            ("TTP", "tbl_ttp_level", TTP_HEADER,
             [row("IC", 1, L1), row("IC", 2, L2 + L3), pooled(L1 + L2 + L3)], 1),
            ("TTP", "tbl_ttp_year", ["Year", "Promotions", "Observed mean (months)"],
             [[2024, len(L1), sum(L1) / len(L1)], [2025, 8, sum(L2 + L3) / 8]], 10),
            ("Mix", "tbl_level_mix", ["Track", "Level", "Level name", "Headcount"],
             [["IC", 1, "Junior Backend Engineer", 8], ["Management", 5, "Director", 1]], 1),
            ("Secondments", "tbl_secondments_year",
             ["Start year", "Started", "Active", "Completed", "Merged MRs"],
             [[2023, 3, 0, HID, HID], [2024, 7, 0, 7, 80]], 1),
            ("Data Quality", "tbl_dq_files", ["File", "Rows read", "Rows used", "Rows rejected"],
             [["roles.csv", 10, 10, 0]], 4),
        ]
        b1 = make_book("clean1", tables)
        b2 = make_book("clean2", tables)
        f = A.run_all(b2, ctx(input_dir=d, previous=b1))
        self.assertEqual(f, [], "\n".join(A.format_finding(x) for x in f))


def tearDownModule():
    shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)
