"""Shared helpers for the end-to-end tests of workforce-report.

The test scripts are run by ctest as

    /usr/bin/python3 <script>.py --tool <workforce-report> \
        --fixtures <tests/fixtures> --work <build dir for this test>

They use only the standard library and openpyxl (Debian's python3-openpyxl)
and write nothing outside the --work folder.
"""

import argparse
import csv
import datetime
import math
import os
import shutil
import subprocess
import sys
import unittest

import openpyxl

# A fixed clock: 2024-07-01 00:00:00 UTC. Every run gets it, so that the
# "Generated" stamp and the document properties are reproducible.
SOURCE_DATE_EPOCH = "1719792000"

# Exit codes documented in `workforce-report --help`.
EXIT_OK = 0
EXIT_USAGE = 64
EXIT_DATA = 65
EXIT_NOINPUT = 66
EXIT_CANTCREAT = 73
EXIT_LOCKED = 75

TEMP_PREFIX = ".workforce-report-"
LOCK_NAME = ".workforce-report.lock"


class Config:
    tool = None
    fixtures = None
    work = None


def parse_args_and_run_tests():
    """Read --tool/--fixtures/--work, prepare the work folder, run unittest."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--tool", required=True)
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--work", required=True)
    args, rest = parser.parse_known_args()
    Config.tool = os.path.abspath(args.tool)
    Config.fixtures = os.path.abspath(args.fixtures)
    Config.work = os.path.abspath(args.work)
    if os.path.isdir(Config.work):
        shutil.rmtree(Config.work)
    os.makedirs(Config.work)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


def samples():
    """The repository's samples/ folder."""
    return os.path.normpath(os.path.join(Config.fixtures, "..", "..", "samples"))


def table_rows(wb, name):
    """(header, rows as dicts) of table `name`, without the blank filler row."""
    _, header, rows = table(wb, name)
    return header, [dict(zip(header, r)) for r in rows if any(v is not None for v in r)]


def run_ok(name, *args):
    """Run the tool into a fresh work folder `name`; it must succeed.
    Returns (workbook, CompletedProcess)."""
    out = os.path.join(workdir(name), "r.xlsx")
    proc = run_tool("--output", out, *args)
    assert proc.returncode == 0, describe(proc)
    return load(out), proc


def fixture(*parts):
    return os.path.join(Config.fixtures, *parts)


def workdir(name):
    """A fresh folder under --work for one test."""
    path = os.path.join(Config.work, name)
    if os.path.isdir(path):
        shutil.rmtree(path)
    os.makedirs(path)
    return path


def run_tool(*args, cwd=None, timeout=30, env_extra=None):
    """Run the tool; returns CompletedProcess with text stdout/stderr."""
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    env.pop("TERM", None)
    if env_extra:
        env.update(env_extra)
    proc = subprocess.run(
        [Config.tool] + [str(a) for a in args],
        cwd=cwd or Config.work,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        timeout=timeout,
        errors="replace",
    )
    # libxlsxwriter prints its own [WARNING]/[ERROR] lines: never expected
    assert "[WARNING]" not in proc.stderr and "[ERROR]" not in proc.stderr, proc.stderr
    return proc


def describe(proc):
    return "exit %d\n--- stdout ---\n%s\n--- stderr ---\n%s" % (
        proc.returncode, proc.stdout, proc.stderr)


def temp_files(folder):
    return sorted(n for n in os.listdir(folder) if n.startswith(TEMP_PREFIX))


def as_date(v):
    if isinstance(v, datetime.datetime):
        return v.date()
    return v


def table(wb, name):
    """(worksheet, header list, list of row value lists) of table `name`."""
    for ws in wb.worksheets:
        if name in ws.tables:
            t = ws.tables[name]
            rows = [[c.value for c in r] for r in ws[t.ref]]
            return ws, rows[0], rows[1:]
    raise AssertionError("table %s not found in any sheet" % name)


def table_cells(wb, name):
    """Like table() but data rows as openpyxl cells (to see data types)."""
    for ws in wb.worksheets:
        if name in ws.tables:
            t = ws.tables[name]
            rows = [list(r) for r in ws[t.ref]]
            return [c.value for c in rows[0]], rows[1:]
    raise AssertionError("table %s not found in any sheet" % name)


def summary_metrics(wb):
    """Metric text -> value, from tbl_summary."""
    _, header, rows = table(wb, "tbl_summary")
    assert header == ["Metric", "Value"], header
    out = {}
    for metric, value in rows:
        if metric is None:
            continue
        assert metric not in out, "metric %r listed twice" % metric
        out[metric] = value
    return out


ISSUES_COLUMNS = ["file", "line", "column", "severity", "code", "problem", "detail", "value"]


def issues_path(xlsx):
    """The issues file written beside workbook `xlsx`: .issues.csv for .xlsx."""
    assert xlsx.endswith(".xlsx"), xlsx
    return xlsx[:-len(".xlsx")] + ".issues.csv"


def issues_file(wb_or_path):
    """The rows of the issues file beside a workbook (one loaded with load(),
    or its path) as dicts with the file's own column names; line as an int
    (None when empty). [] when there is no issues file."""
    xlsx = wb_or_path if isinstance(wb_or_path, str) else wb_or_path.wr_path
    path = issues_path(xlsx)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, strict=True)
        header = next(reader)
        assert header == ISSUES_COLUMNS, header
        out = []
        for r in reader:
            assert len(r) == len(header), r
            d = dict(zip(header, r))
            d["line"] = int(d["line"]) if d["line"] else None
            out.append(d)
    return out


def dq_summary(wb):
    """The rows of tbl_dq_summary as dicts, without the blank filler row."""
    return table_rows(wb, "tbl_dq_summary")[1]


def dq_issues(wb):
    """The rows of tbl_dq_issues (a --dq-detail run) as dicts (skipping the
    blank filler row that an empty table gets)."""
    _, header, rows = table(wb, "tbl_dq_issues")
    out = []
    for r in rows:
        if all(v is None for v in r):
            continue
        out.append(dict(zip(header, r)))
    return out


def dq_files(wb):
    """File name -> dict of the tbl_dq_files columns."""
    _, header, rows = table(wb, "tbl_dq_files")
    out = {}
    for r in rows:
        if all(v is None for v in r):
            continue
        d = dict(zip(header, r))
        out[d["File"]] = d
    return out


def formula_and_nonfinite_cells(wb):
    """Every cell that is a formula or a non-finite float, as 'Sheet!A1: ...'."""
    bad = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    bad.append("%s!%s: formula %r" % (ws.title, c.coordinate, c.value))
                elif isinstance(c.value, str) and c.value.startswith("=") and c.data_type != "s":
                    bad.append("%s!%s: %r with type %s" % (ws.title, c.coordinate, c.value, c.data_type))
                elif isinstance(c.value, float) and not math.isfinite(c.value):
                    bad.append("%s!%s: %r" % (ws.title, c.coordinate, c.value))
    return bad


def load(path):
    """The workbook at path; remembers the path (wb.wr_path) for issues_file."""
    wb = openpyxl.load_workbook(path)
    wb.wr_path = path
    return wb
