"""End-to-end: the Data Quality sheet holds no person-level data.

On tests/fixtures/bad_rows (hand-counted in test_reconcile.py) and samples/:

- no employee, manager, intern or secondee id and no role title of the
  input files appears anywhere on the Data Quality sheet by default;
- the sheet stacks its tables, files first, each with one line of text
  above it and nothing to its right;
- tbl_dq_summary's counts add up to tbl_dq_files' rejected rows and
  warnings per file (each rejected row of these inputs has one problem);
- the issues file <workbook>.issues.csv exists beside the workbook with mode
  0640, parses with Python's csv module and holds every issue: per file,
  the rejected rows' issues plus the warnings (for bad_rows, the hand
  counts of test_reconcile.py);
- with --dq-detail the detailed list (tbl_dq_issues) is back under the
  summary and the About sheet says the workbook holds person-level data;
- a run without issues writes no issues file and removes an earlier one.
"""

import csv
import io
import os
import re
import stat
import sys
import unittest

from openpyxl.utils.cell import range_boundaries

sys.dont_write_bytecode = True
import e2e_common as E  # noqa: E402
from test_reconcile import EXPECTED_COUNTS, EXPECTED_WARNINGS  # noqa: E402

ID_COLUMNS = {"employee_id", "manager_id", "intern_id", "secondee_id"}
TITLE_COLUMNS = {"role", "from_role", "to_role"}


def normalize(name):
    """A header name as the tool matches it: trimmed, lower case, ' ' and '-' as '_'."""
    return re.sub(r"[ -]", "_", name.strip(" \t").lower())


def input_values(folder):
    """(ids, titles): every non-empty value of the id and title columns of
    every CSV in folder (undecodable bytes replaced)."""
    ids, titles = set(), set()
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".csv"):
            continue
        with open(os.path.join(folder, name), "rb") as f:
            text = f.read().decode("utf-8-sig", errors="replace")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        if not rows:
            continue
        header = [normalize(h) for h in rows[0]]
        for r in rows[1:]:
            for col, value in zip(header, r):
                value = value.strip()
                if not value:
                    continue
                if col in ID_COLUMNS:
                    ids.add(value)
                elif col in TITLE_COLUMNS:
                    titles.add(value)
    return ids, titles


def sheet_texts(ws):
    """(coordinate, text) of every non-empty cell."""
    return [(c.coordinate, str(c.value)) for row in ws.iter_rows() for c in row
            if c.value is not None]


class Privacy:
    """Mixed into one TestCase per input folder."""

    input_dir = None
    name = None
    expected = None  # file -> (rejected rows, warnings), or None: from tbl_dq_files

    @classmethod
    def setUpClass(cls):
        os.umask(0o022)  # the file mode below is 0640 less the umask
        cls.out = os.path.join(E.workdir(cls.name), "out.xlsx")
        # bad_rows rejects most of a file on purpose: --allow-rejects
        cls.proc = E.run_tool("--input", cls.input_dir(), "--allow-rejects", "--as-of", "2024-06-30",
                              "--since", "2020", "-o", cls.out)
        cls.wb = E.load(cls.out) if os.path.exists(cls.out) else None
        cls.detail_out = os.path.join(E.workdir(cls.name + "_detail"), "out.xlsx")
        cls.detail_proc = E.run_tool("--input", cls.input_dir(), "--allow-rejects",
                                     "--as-of", "2024-06-30",
                                     "--since", "2020", "--dq-detail", "-o", cls.detail_out)
        cls.detail_wb = E.load(cls.detail_out) if os.path.exists(cls.detail_out) else None

    def setUp(self):
        self.assertEqual(self.proc.returncode, 0, E.describe(self.proc))
        self.assertEqual(self.detail_proc.returncode, 0, E.describe(self.detail_proc))

    def per_file(self):
        """file -> (rejected rows, warnings): the hand count, or tbl_dq_files."""
        files = E.dq_files(self.wb)
        if self.expected:
            got = {f: (d["Rows rejected"], d["Warnings"]) for f, d in files.items()}
            self.assertEqual(got, self.expected)
        return {f: (d["Rows rejected"], d["Warnings"]) for f, d in files.items()}

    def test_no_ids_or_titles_on_the_sheet(self):
        ids, titles = input_values(self.input_dir())
        self.assertTrue(ids and titles)
        ws = self.wb["Data Quality"]
        for where, text in sheet_texts(ws):
            with self.subTest(cell=where):
                for v in ids:
                    self.assertIsNone(re.search(r"(?<!\w)%s(?!\w)" % re.escape(v), text),
                                      "id %r in %s: %r" % (v, where, text))
                for v in titles:
                    self.assertNotIn(v, text, "title %r in %s" % (v, where))
        self.assertEqual(sorted(ws.tables.keys()), ["tbl_dq_files", "tbl_dq_summary"])

    def test_no_dates_or_values_on_the_sheet(self):
        # dates and the rows' values are not there either: every cell is a
        # count, a file or column name, a severity, a key or our own text
        ws = self.wb["Data Quality"]
        for where, text in sheet_texts(ws):
            # but for the stamp under the title, the day by which the data
            # had min-group events (tests/e2e/test_dashboard.py checks it)
            text = re.sub(r"Data through \d{4}-\d\d-\d\d\.", "", text)
            with self.subTest(cell=where):
                self.assertIsNone(re.search(r"\d{4}-\d\d-\d\d", text), text)

    def test_tables_stacked_with_a_line_above(self):
        ws = self.wb["Data Quality"]
        boxes = {n: range_boundaries(ref) for n, ref in ws.tables.items()}
        files, summary = boxes["tbl_dq_files"], boxes["tbl_dq_summary"]
        self.assertEqual((files[0], summary[0]), (1, 1))  # both from column A
        self.assertLess(files[3], summary[1] - 1)         # files first, a row between
        for name, (c0, r0, c1, r1) in boxes.items():
            with self.subTest(table=name):
                above = ws.cell(row=r0 - 1, column=1).value
                self.assertIsInstance(above, str)
                self.assertGreater(len(above), 20)
                for r in range(r0 - 1, r1 + 1):  # nothing to the right
                    self.assertTrue(all(ws.cell(row=r, column=c).value is None
                                        for c in range(c1 + 1, c1 + 8)))

    def test_summary_adds_up_to_files(self):
        summary = E.dq_summary(self.wb)
        for f, (rejected, warnings) in self.per_file().items():
            with self.subTest(file=f):
                rows = [r for r in summary if r["File"] == f]
                self.assertEqual(sum(r["Issues"] for r in rows if r["Severity"] == "rejected"),
                                 rejected)
                self.assertEqual(sum(r["Issues"] for r in rows if r["Severity"] == "warning"),
                                 warnings)
        for r in summary:
            with self.subTest(row=r):
                lines = [int(x) for x in r["First lines"].split(", ")]
                self.assertEqual(lines, sorted(set(lines)))
                self.assertLessEqual(len(lines), min(5, r["Issues"]))

    def test_issues_file_holds_every_issue(self):
        path = E.issues_path(self.out)
        self.assertTrue(os.path.isfile(path), os.listdir(os.path.dirname(path)))
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o640)
        issues = E.issues_file(self.out)
        for f, (rejected, warnings) in self.per_file().items():
            with self.subTest(file=f):
                mine = [i for i in issues if i["file"] == f]
                self.assertEqual(len([i for i in mine if i["severity"] == "rejected"]), rejected)
                self.assertEqual(len([i for i in mine if i["severity"] == "warning"]), warnings)
        # every issue is on the sheet's count, under its key
        summary = {(r["File"], r["Severity"], r["Problem"], r["Column"]): r["Issues"]
                   for r in E.dq_summary(self.wb)}
        counted = {}
        for i in issues:
            k = (i["file"], i["severity"], i["problem"], i["column"] or None)
            counted[k] = counted.get(k, 0) + 1
        self.assertEqual(counted, summary)
        self.assertEqual(E.temp_files(os.path.dirname(path)), [])

    def test_detail_with_dq_detail(self):
        wb = self.detail_wb
        self.assertEqual(sorted(wb["Data Quality"].tables.keys()),
                         ["tbl_dq_files", "tbl_dq_issues", "tbl_dq_summary"])
        boxes = {n: range_boundaries(ref) for n, ref in wb["Data Quality"].tables.items()}
        self.assertLess(boxes["tbl_dq_summary"][3], boxes["tbl_dq_issues"][1] - 1)  # under it
        self.assertEqual(boxes["tbl_dq_issues"][0], 1)
        detail = E.dq_issues(wb)
        self.assertEqual(len(detail), len(E.issues_file(self.detail_out)))
        ids, _ = input_values(self.input_dir())
        text = " ".join(str(i["Value"]) + " " + i["Problem"] for i in detail)
        self.assertTrue(any(v in text for v in ids))  # person-level data, as asked for
        about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r and r[0]}
        self.assertTrue(about["--dq-detail"].startswith("yes"), about["--dq-detail"])
        self.assertIn("person-level data", about["--dq-detail"])


class BadRows(Privacy, unittest.TestCase):
    name = "dq_privacy_bad_rows"
    expected = {f: (EXPECTED_COUNTS[f][2], EXPECTED_WARNINGS[f]) for f in EXPECTED_COUNTS}

    @staticmethod
    def input_dir():
        return E.fixture("bad_rows")


class Samples(Privacy, unittest.TestCase):
    name = "dq_privacy_samples"

    @staticmethod
    def input_dir():
        return E.samples()


class NoIssues(unittest.TestCase):
    def test_no_issues_file_and_a_stale_one_removed(self):
        d = E.workdir("dq_privacy_clean")
        inp = os.path.join(d, "in")
        os.mkdir(inp)
        with open(os.path.join(inp, "roles.csv"), "w") as f:
            f.write("employee_id,role,family,track,level,department,start_date,end_date\n"
                    "E1,Backend Engineer,Backend Engineer,ic,3,Create,2020-01-06,\n")
        out = os.path.join(d, "out.xlsx")
        with open(E.issues_path(out), "w") as f:
            f.write("file,line\nroles.csv,2\n")  # an earlier run's
        p = E.run_tool("--input", inp, "--as-of", "2024-06-30", "-o", out)
        self.assertEqual(p.returncode, 0, E.describe(p))
        self.assertFalse(os.path.exists(E.issues_path(out)))
        self.assertEqual(E.dq_summary(E.load(out)), [])
        self.assertEqual(E.temp_files(d), [])


if __name__ == "__main__":
    E.parse_args_and_run_tests()
