"""End-to-end: the exports for automation, --csv DIR and --json FILE.

On samples/ (--since 2022 --as-of 2026-06-30):
- every Excel table of the workbook has DIR/<table name>.csv and DIR holds
  nothing else; each CSV, read with Python's csv module, equals the
  workbook's table cell by cell (numbers within 1e-12 relative and written
  bare, whole numbers without ".0"; text equal; dates as YYYY-MM-DD; empty
  where the cell is empty; total rows included; a table without data rows
  is its header alone); RFC 4180 (CRLF, UTF-8 without a BOM); mode 0640 in
  a folder created 0750;
- the JSON (Python's json module) has the schema's keys; its figures equal
  tbl_kpi's, its counts tbl_dq_files'; the same run gives the same bytes;
  --json - prints it on stdout;
- a rerun replaces the files and removes a tbl_*.csv it did not write, but
  nothing else.
On fixtures/bad_rows (titles and a track starting with =, +, -, @): a text
cell starting with one of them gets a leading ' in the CSV while the
workbook holds the plain string; negative numbers are never prefixed.
Failures: a --csv folder or --json file that cannot be written is exit 73
with "cannot write <path>: <reason>".
"""

import csv
import datetime
import json
import math
import os
import re
import stat
import subprocess
import sys
import unittest

sys.dont_write_bytecode = True
import e2e_common as E  # noqa: E402

SAMPLE_ARGS = ("--since", "2022", "--as-of", "2026-06-30")
RISKY = ("=", "+", "-", "@", "\t", "\r")
KPI_KEYS = {"id", "name", "unit", "kind", "available", "value", "low", "high", "suppressed",
            "n", "n_label", "period", "earlier", "earlier_suppressed", "earlier_n",
            "earlier_label", "earlier_period"}
TOP_KEYS = {"schema", "tool", "generated", "as_of", "window", "data_through", "data_stale",
            "min_group", "output", "exit_status", "counts", "kpis"}
COUNT_KEYS = ("read", "used", "rejected", "warnings")


def workbook_tables(wb):
    """Table name -> (sheet title, header, data rows) for every table."""
    out = {}
    for ws in wb.worksheets:
        for name in ws.tables:
            t = ws.tables[name]
            rows = [[c.value for c in r] for r in ws[t.ref]]
            out[name] = (ws.title, rows[0], rows[1:])
    return out


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def read_csv(path):
    with open(path, "rb") as f:
        raw = f.read()
    assert not raw.startswith(b"\xef\xbb\xbf"), "%s: no BOM" % path
    text = raw.decode("utf-8")
    # every record ends in CRLF (a bare LF only inside a quoted field)
    assert text.endswith("\r\n"), path
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f, strict=True)), text


def guarded(s):
    return "'" + s if s.startswith(RISKY) else s


def number_field(field, value, where):
    """A number cell's CSV field: bare, parses, within 1e-12 relative,
    whole numbers without a fraction."""
    assert field != "", "%s: number %r written empty" % (where, value)
    assert not field.startswith("'"), "%s: a number is never prefixed: %r" % (where, field)
    x = float(field)
    v = float(value)
    assert math.isclose(x, v, rel_tol=1e-12, abs_tol=0.0) or x == v, \
        "%s: %r in the CSV, %r in the workbook" % (where, field, value)
    if v == int(v) and abs(v) < 1e15:
        assert re.fullmatch(r"-?\d+", field), "%s: whole number written %r" % (where, field)


def compare_table(testcase, name, wb_header, wb_rows, csv_rows):
    testcase.assertEqual(csv_rows[0], [guarded(h) for h in wb_header], "%s: header" % name)
    data = csv_rows[1:]
    if len(data) == 0:
        # a table without data rows: the workbook's one empty filler row
        testcase.assertEqual(len(wb_rows), 1, name)
        testcase.assertTrue(all(v is None for v in wb_rows[0]), name)
        return
    testcase.assertEqual(len(data), len(wb_rows), "%s: rows" % name)
    for i, (crow, wrow) in enumerate(zip(data, wb_rows)):
        testcase.assertEqual(len(crow), len(wrow), "%s row %d: columns" % (name, i + 1))
        for j, (field, value) in enumerate(zip(crow, wrow)):
            where = "%s row %d column %r" % (name, i + 1, wb_header[j])
            if value is None:
                testcase.assertEqual(field, "", where)
            elif isinstance(value, bool):
                raise AssertionError("%s: a boolean cell" % where)
            elif isinstance(value, (datetime.datetime, datetime.date)):
                testcase.assertEqual(field, E.as_date(value).isoformat(), where)
            elif isinstance(value, (int, float)):
                number_field(field, value, where)
            else:
                testcase.assertIsInstance(value, str, where)
                testcase.assertEqual(field, guarded(value), where)


def check_exports_match(testcase, wb, csv_dir):
    """Every table has its CSV, nothing else is there, and each equals its
    table; returns {name: (header, rows, raw text)}."""
    tables = workbook_tables(wb)
    names = sorted(os.listdir(csv_dir))
    testcase.assertEqual(names, sorted(n + ".csv" for n in tables))
    out = {}
    for name, (_, header, rows) in sorted(tables.items()):
        path = os.path.join(csv_dir, name + ".csv")
        csv_rows, text = read_csv(path)
        compare_table(testcase, name, header, rows, csv_rows)
        out[name] = (csv_rows, text)
    return out


def bad_rows_args():
    """--allow-rejects where the tool has it: most of bad_rows' rows are
    rejected on purpose."""
    proc = E.run_tool("--help")
    return ("--allow-rejects",) if "--allow-rejects" in proc.stdout else ()


class SamplesExports(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        old = os.umask(0o022)
        try:
            cls.dir = E.workdir("samples")
            cls.xlsx = os.path.join(cls.dir, "r.xlsx")
            cls.csv_dir = os.path.join(cls.dir, "exports", "csv")  # two levels created
            cls.json_path = os.path.join(cls.dir, "r.json")
            cls.proc = E.run_tool("--input", E.samples(), "--output", cls.xlsx, *SAMPLE_ARGS,
                                  "--csv", cls.csv_dir, "--json", cls.json_path)
        finally:
            os.umask(old)
        assert cls.proc.returncode == 0, E.describe(cls.proc)
        cls.wb = E.load(cls.xlsx)
        with open(cls.json_path, encoding="utf-8") as f:
            cls.json_text = f.read()
        cls.doc = json.loads(cls.json_text)

    def test_every_table_equals_its_csv(self):
        got = check_exports_match(self, self.wb, self.csv_dir)
        self.assertGreaterEqual(len(got), 30)
        self.assertIn("tbl_ttp_level", got)
        # a total row comes last, as in the workbook
        _, _, rows = E.table(self.wb, "tbl_split_department")
        self.assertEqual(got["tbl_split_department"][0][-1][0], rows[-1][0])

    def test_csv_format(self):
        for name in os.listdir(self.csv_dir):
            path = os.path.join(self.csv_dir, name)
            st = os.stat(path)
            self.assertEqual(stat.S_IMODE(st.st_mode), 0o640, name)
            with open(path, "rb") as f:
                raw = f.read()
            # records end in CRLF; text is quoted, numbers bare
            self.assertNotIn(b"\n", raw.replace(b"\r\n", b""), name)
        self.assertEqual(stat.S_IMODE(os.stat(self.csv_dir).st_mode), 0o750)
        _, text = read_csv(os.path.join(self.csv_dir, "tbl_dq_files.csv"))
        self.assertTrue(text.startswith('"File","Rows read","Rows used"'), text)
        self.assertRegex(text, r'\r\n"roles\.csv",\d+,\d+,\d+,\d+\r\n')

    def test_suppressed_and_empty_cells(self):
        # the suppression text appears as the workbook writes it
        found = False
        for name in os.listdir(self.csv_dir):
            rows, _ = read_csv(os.path.join(self.csv_dir, name))
            found = found or any(f == "suppressed (n<5)" for r in rows for f in r)
        self.assertTrue(found, "no suppressed cell in any CSV")

    def test_json_schema(self):
        d = self.doc
        self.assertEqual(set(d), TOP_KEYS)
        self.assertEqual(d["schema"], "workforce-report/1")
        version = E.run_tool("--version").stdout.splitlines()[0].split()[-1]
        self.assertEqual(d["tool"], {"name": "workforce-report", "version": version})
        self.assertEqual(d["generated"], "2024-07-01T00:00:00Z")  # SOURCE_DATE_EPOCH
        self.assertEqual(d["as_of"], "2026-06-30")
        self.assertEqual(d["window"], {"since": "2022-01-01", "as_of": "2026-06-30"})
        subtitle = self.wb["Summary"]["A2"].value
        self.assertIn("Data through %s" % d["data_through"], subtitle)
        self.assertFalse(d["data_stale"])
        self.assertEqual(d["min_group"], 5)
        self.assertEqual(d["exit_status"], 0)
        self.assertEqual(d["output"]["workbook"], self.xlsx)
        self.assertEqual(d["output"]["csv_dir"], self.csv_dir)
        issues = E.issues_path(self.xlsx)
        self.assertEqual(d["output"]["issues"], issues if os.path.exists(issues) else None)
        self.assertEqual(stat.S_IMODE(os.stat(self.json_path).st_mode), 0o640)
        # sorted keys, two-space indentation, a final newline
        def sorted_pairs(pairs):
            keys = [k for k, _ in pairs]
            self.assertEqual(keys, sorted(keys))
            return dict(pairs)
        json.loads(self.json_text, object_pairs_hook=sorted_pairs)
        self.assertTrue(self.json_text.startswith('{\n  "as_of": '), self.json_text[:40])
        self.assertTrue(self.json_text.endswith("\n}\n"))
        self.assertNotIn("NaN", self.json_text)
        self.assertNotIn("Infinity", self.json_text)

    def test_json_counts_equal_tbl_dq_files(self):
        files = E.dq_files(self.wb)
        listed = {f["file"]: f for f in self.doc["counts"]["files"]}
        provided = {n for n, f in listed.items() if f["provided"]}
        self.assertEqual(provided, set(files))
        for name, row in files.items():
            f = listed[name]
            self.assertEqual((f["read"], f["used"], f["rejected"], f["warnings"]),
                             (row["Rows read"], row["Rows used"], row["Rows rejected"],
                              row["Warnings"]), name)
        for k in COUNT_KEYS:
            self.assertEqual(self.doc["counts"]["all"][k],
                             sum(f[k] for f in self.doc["counts"]["files"]), k)
        self.assertEqual(self.doc["counts"]["all"]["read"],
                         self.doc["counts"]["all"]["used"] + self.doc["counts"]["all"]["rejected"])

    def test_json_kpis_equal_tbl_kpi(self):
        _, rows = E.table_rows(self.wb, "tbl_kpi")
        kpis = self.doc["kpis"]
        self.assertEqual([k["name"] for k in kpis], [r["Metric"] for r in rows])
        self.assertEqual(len({k["id"] for k in kpis}), len(kpis))
        for k, row in zip(kpis, rows):
            self.assertEqual(set(k), KPI_KEYS, k["name"])
            self.assertIn(k["unit"], ("people", "share", "ratio", "months"))
            self.assertIn(k["kind"], ("stock", "flow"))
            self.assertEqual(k["n"], row["n"], k["name"])
            self.assertEqual(k["n_label"], row["n counts"], k["name"])
            self.assertEqual(k["earlier_label"], row["Earlier period"], k["name"])
            if not k["available"]:
                continue
            for key, col in (("value", "Value"), ("low", "95% low"), ("high", "95% high")):
                cell = row[col]
                if isinstance(cell, str):
                    self.assertTrue(cell.startswith("suppressed"), cell)
                    self.assertIsNone(k[key], k["name"])
                    self.assertTrue(k["suppressed"], k["name"])
                elif cell is None:
                    self.assertIsNone(k[key], (k["name"], key))
                else:
                    self.assertFalse(k["suppressed"], k["name"])
                    self.assertTrue(math.isclose(k[key], cell, rel_tol=1e-12),
                                    (k["name"], key, k[key], cell))
            cell = row["Earlier"]
            if isinstance(cell, str):
                self.assertIsNone(k["earlier"])
                self.assertTrue(k["earlier_suppressed"])
            elif cell is None:
                self.assertIsNone(k["earlier"])
            else:
                self.assertFalse(k["earlier_suppressed"])
                self.assertTrue(math.isclose(k["earlier"], cell, rel_tol=1e-12), k["name"])
            if k["kind"] == "stock":
                self.assertEqual(k["period"], {"from": "2026-06-30", "to": "2026-06-30"})
            else:
                self.assertEqual(k["period"], {"from": "2025-07-01", "to": "2026-06-30"})

    def test_same_run_same_bytes_and_stale_tables_removed(self):
        d = E.workdir("rerun")
        xlsx = os.path.join(d, "r.xlsx")
        csv_dir = os.path.join(d, "csv")
        json_path = os.path.join(d, "r.json")
        args = ("--input", E.samples(), "--output", xlsx, *SAMPLE_ARGS, "--csv", csv_dir,
                "--json", json_path)
        p1 = E.run_tool(*args)
        self.assertEqual(p1.returncode, 0, E.describe(p1))
        first = {n: read_bytes(os.path.join(csv_dir, n)) for n in os.listdir(csv_dir)}
        first_json = read_bytes(json_path)
        # an earlier run's table and a file of someone else's
        with open(os.path.join(csv_dir, "tbl_dq_issues.csv"), "w") as f:
            f.write("stale\r\n")
        with open(os.path.join(csv_dir, "notes.txt"), "w") as f:
            f.write("keep me\n")
        p2 = E.run_tool(*args)
        self.assertEqual(p2.returncode, 0, E.describe(p2))
        self.assertFalse(os.path.exists(os.path.join(csv_dir, "tbl_dq_issues.csv")))
        self.assertTrue(os.path.exists(os.path.join(csv_dir, "notes.txt")))
        os.remove(os.path.join(csv_dir, "notes.txt"))
        second = {n: read_bytes(os.path.join(csv_dir, n)) for n in os.listdir(csv_dir)}
        self.assertEqual(first, second)
        self.assertEqual(first_json, read_bytes(json_path))
        self.assertEqual(E.temp_files(d), [])
        self.assertEqual([n for n in os.listdir(csv_dir) if n.startswith(".")], [])

    def test_json_to_stdout(self):
        d = E.workdir("stdout")
        xlsx = os.path.join(d, "r.xlsx")
        proc = E.run_tool("--input", E.samples(), "--output", xlsx, *SAMPLE_ARGS, "--json", "-",
                          "-q")
        self.assertEqual(proc.returncode, 0, E.describe(proc))
        doc = json.loads(proc.stdout)
        self.assertEqual(doc["schema"], "workforce-report/1")
        self.assertEqual(doc["kpis"], self.doc["kpis"])
        self.assertEqual(doc["counts"], self.doc["counts"])
        self.assertEqual(doc["output"]["workbook"], xlsx)
        self.assertIsNone(doc["output"]["csv_dir"])
        self.assertEqual([n for n in os.listdir(d) if n.endswith(".json")], [])

    def test_negative_numbers_are_numbers(self):
        for name, (_, header, rows) in workbook_tables(self.wb).items():
            crows, _ = read_csv(os.path.join(self.csv_dir, name + ".csv"))
            for crow, wrow in zip(crows[1:], rows):
                for field, value in zip(crow, wrow):
                    if isinstance(value, (int, float)) and value < 0:
                        self.assertTrue(field.startswith("-"), field)
        # (the samples' tables may hold none: tests/unit/test_export_csv.c
        # writes negative numbers)


class InjectionGuard(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = E.workdir("bad_rows")
        cls.xlsx = os.path.join(cls.dir, "r.xlsx")
        cls.csv_dir = os.path.join(cls.dir, "csv")
        # --no-privacy --min-group 1: level names are the fixture's own
        # titles (one person each), --dq-detail: its values are listed
        cls.proc = E.run_tool("--input", E.fixture("bad_rows"), "--output", cls.xlsx,
                              "--as-of", "2024-06-30", "--dq-detail", "--no-privacy",
                              "--min-group", "1", "--csv", cls.csv_dir, *bad_rows_args())
        assert cls.proc.returncode == 0, E.describe(cls.proc)
        cls.wb = E.load(cls.xlsx)

    def test_tables_match(self):
        check_exports_match(self, self.wb, self.csv_dir)

    def test_formula_text_prefixed_in_csv_only(self):
        rows, _ = read_csv(os.path.join(self.csv_dir, "tbl_dq_issues.csv"))
        header = rows[0]
        values = [r[header.index("Value")] for r in rows[1:]]
        hyperlink = [v for v in values if "HYPERLINK" in v]
        self.assertTrue(hyperlink, values)
        for v in hyperlink:
            self.assertTrue(v.startswith("'=HYPERLINK("), v)
        wb_values = [r["Value"] for r in E.dq_issues(self.wb)]
        self.assertIn(hyperlink[0][1:], wb_values)  # the workbook: the plain string
        # every risky text cell of every table, whatever the first character
        seen = set()
        for name, (_, header, wrows) in workbook_tables(self.wb).items():
            crows, _ = read_csv(os.path.join(self.csv_dir, name + ".csv"))
            for crow, wrow in zip(crows[1:], wrows):
                for field, value in zip(crow, wrow):
                    if isinstance(value, str) and value.startswith(RISKY):
                        self.assertEqual(field, "'" + value, name)
                        seen.add(value[0])
        self.assertIn("=", seen)
        self.assertIn("-", seen)  # the title "-Frontend Engineer" as a level name


class Failures(unittest.TestCase):
    def run_samples(self, name, *extra):
        d = E.workdir(name)
        xlsx = os.path.join(d, "r.xlsx")
        return d, xlsx, E.run_tool("--input", E.samples(), "--output", xlsx, *SAMPLE_ARGS,
                                   *extra)

    def test_csv_folder_cannot_be_created(self):
        d = E.workdir("csv_blocked")
        blocker = os.path.join(d, "a-file")
        with open(blocker, "w") as f:
            f.write("not a folder\n")
        target = os.path.join(blocker, "csv")
        _, _, proc = self.run_samples("csv_blocked_run", "--csv", target)
        self.assertEqual(proc.returncode, E.EXIT_CANTCREAT, E.describe(proc))
        self.assertIn("cannot write %s: " % target, proc.stderr)
        # the CSV folder is a file
        _, _, proc = self.run_samples("csv_is_file", "--csv", blocker)
        self.assertEqual(proc.returncode, E.EXIT_CANTCREAT, E.describe(proc))
        self.assertIn("cannot write %s: " % blocker, proc.stderr)

    @unittest.skipIf(os.geteuid() == 0, "root writes into a read-only folder")
    def test_csv_folder_read_only(self):
        d = E.workdir("csv_ro")
        ro = os.path.join(d, "csv")
        os.mkdir(ro, 0o500)
        try:
            _, _, proc = self.run_samples("csv_ro_run", "--csv", ro)
            self.assertEqual(proc.returncode, E.EXIT_CANTCREAT, E.describe(proc))
            self.assertRegex(proc.stderr, r"cannot write %s/tbl_\w+\.csv: " % re.escape(ro))
            self.assertEqual(os.listdir(ro), [])
        finally:
            os.chmod(ro, 0o700)

    def test_json_cannot_be_written(self):
        d = E.workdir("json_blocked")
        target = os.path.join(d, "missing-folder", "r.json")
        _, _, proc = self.run_samples("json_blocked_run", "--json", target)
        self.assertEqual(proc.returncode, E.EXIT_CANTCREAT, E.describe(proc))
        self.assertIn("cannot write %s: " % target, proc.stderr)
        # a folder in the way
        _, _, proc = self.run_samples("json_is_dir", "--json", d)
        self.assertEqual(proc.returncode, E.EXIT_CANTCREAT, E.describe(proc))
        self.assertIn("cannot write %s: " % d, proc.stderr)
        self.assertEqual(E.temp_files(d), [])
        self.assertEqual([n for n in os.listdir(d) if n.startswith(".")], [])

    @unittest.skipUnless(os.path.exists("/dev/full"), "needs /dev/full")
    def test_json_stdout_full(self):
        d = E.workdir("stdout_full")
        env = dict(os.environ, SOURCE_DATE_EPOCH=E.SOURCE_DATE_EPOCH)
        with open("/dev/full", "w") as full:
            proc = subprocess.run(
                [E.Config.tool, "--input", E.samples(), "--output", os.path.join(d, "r.xlsx"),
                 *SAMPLE_ARGS, "--json", "-", "-q"],
                stdin=subprocess.DEVNULL, stdout=full, stderr=subprocess.PIPE, env=env,
                errors="replace", timeout=60)
        self.assertEqual(proc.returncode, E.EXIT_CANTCREAT, proc.stderr)
        self.assertIn("cannot write standard output: No space left on device", proc.stderr)

    def test_empty_values_are_usage_errors(self):
        for opt in ("--csv", "--json"):
            proc = E.run_tool(opt, "")
            self.assertEqual(proc.returncode, E.EXIT_USAGE, E.describe(proc))


if __name__ == "__main__":
    E.parse_args_and_run_tests()
