#!/usr/bin/python3
"""Run the broken-input corpus against workforce-report.

    /usr/bin/python3 run_corpus.py --tool build/workforce-report \
        --cases tests/corpus/cases --work build/tests/corpus/work \
        [--no-rss-bounds] [NAME ...]

Every folder under --cases is one case: the files of an input folder (usually
a roles.csv) and an `expect` file (the format is in README.md). Inputs too
large to commit are written by a generator named on a `generate` line, into
the work folder, at run time. Each case runs as

    workforce-report --input WORK/NAME/input --output WORK/NAME/out/report.xlsx \
        --as-of 2024-12-31 --min-group 1 [--no-privacy] [--dq-detail] \
        [ARGS from the expect file]

with SOURCE_DATE_EPOCH fixed (--no-privacy is added when the tool's --help
lists it: it gates a --min-group below 3; --dq-detail likewise, so that the
sheet lists the issues), and is checked for its exit code, the file, line,
column and stable code (E_BAD_DATE, ...) of each problem it must find --
never the wording of a message -- and, where it writes a workbook, the
figures of the Data Quality sheet. Some checks apply to every case: every
problem line on stderr ends with its code and is a row of the issues file;
a failed run leaves no workbook and no temporary file; a workbook opens,
every XML part of it is valid UTF-8 without characters XML forbids, and
rows read = rows used + rows rejected for every file; where the tool writes
an issues file beside the workbook (report.issues.csv), it holds one row
per issue counted on the sheet, and there is none when no issue was.

Prints one line per case and a closing "N passed, N failed"; exits 1 when a
case failed, 2 on a broken expect file or usage error. Standard library and
openpyxl (Debian's python3-openpyxl) only.
"""

import argparse
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import zipfile

AS_OF = "2024-12-31"
STALE_PREFIX = "workforce-report: warning: the data stops on "
MIN_GROUP = "1"
SOURCE_DATE_EPOCH = "1735689600"  # 2025-01-01 00:00:00 UTC
DEFAULT_TIMEOUT = 60.0
OUTPUT_NAME = "report.xlsx"
ISSUES_NAME = "report.issues.csv"
REJECTED_NAME = "report.rejected.csv"
TEMP_PREFIX = ".workforce-report-"

HEADER = "employee_id,role,family,track,level,department,start_date,end_date"
TITLE = "Backend Engineer"


def row(emp, role=TITLE, family=TITLE, track="ic", level="3", department="Create",
        start="2020-01-06", end=""):
    return ",".join([emp, role, family, track, level, department, start, end])


# --- generators: inputs too large to commit ---------------------------------
# Each writes the input files into `folder`. The expectations are in the
# case's committed `expect` file; the comments here say what each line holds.

def gen_field_1mb(folder):
    mib = 1 << 20
    lines = [
        HEADER,
        row("E1", role="R" * mib),                 # 2: 1 MiB unquoted: rejected
        row("E2", role='"' + "R" * mib + '"'),     # 3: 1 MiB quoted: rejected
        row("E3", role="R" * 4096),                # 4: exactly 4,096 bytes: used
        row("E4", role="R" * 4097),                # 5: 4,097 bytes: rejected
        row("E5", department="\u00e9" * 2049),     # 6: 2,049 chars, 4,098 bytes: rejected
        row("E6", department="\u00e9" * 2048),     # 7: 2,048 chars, 4,096 bytes: used
    ]
    write(folder, "roles.csv", lines)


def gen_columns_10000(folder):
    # 9,992 unknown columns x1..x9992 first, the 8 known columns last:
    # 10,000 columns in all.
    extra = ["x%d" % i for i in range(1, 9993)]
    lines = [
        ",".join(extra + [HEADER]),
        ",".join(["v"] * 9992 + [row("E1")]),      # 2: 10,000 fields: used
        ",".join(["v"] * 9991 + [row("E2")]),      # 3: 9,999 fields: rejected
        ",".join(["v"] * 10000 + [row("E3")]),     # 4: 10,008 fields: rejected
    ]
    write(folder, "roles.csv", lines)


def gen_columns_10000_in_row(folder):
    lines = [
        HEADER,
        row("E1"),                                 # 2: used
        row("E2") + "," * 9992,                    # 3: 10,000 fields: rejected
        row("E3"),                                 # 4: used
    ]
    write(folder, "roles.csv", lines)


def gen_ids_10000(folder):
    header = HEADER + ",manager_id"
    lines = [
        header,
        row("I" * 10000) + ",",                    # 2: 10,000-character id: rejected
        row("A" * 256) + ",",                      # 3: 256 bytes: used
        row("B" * 257) + ",",                      # 4: 257 bytes: rejected
        row("\u00e9" * 128) + ",",                 # 5: 128 chars, 256 bytes: used
        row("\u00e9" * 129) + ",",                 # 6: 129 chars, 258 bytes: rejected
        row("C" * 4096) + ",",                     # 7: 4,096 bytes: rejected (id cap)
        row("E1") + "," + "M" * 10000,             # 8: 10,000-character manager_id: rejected
        row("E2") + "," + "A" * 256,               # 9: manager is line 3: used
    ]
    write(folder, "roles.csv", lines)


def gen_rejected_1m(folder):
    path = os.path.join(folder, "roles.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(HEADER + "\n")
        # lines 2..1,000,001: every row's level is 'x'
        tail = ",%s,%s,ic,x,Create,2020-01-06,\n" % (TITLE, TITLE)
        for start in range(0, 1000000, 10000):
            f.write("".join("E%07d%s" % (i, tail) for i in range(start, start + 10000)))


GENERATORS = {
    "field_1mb": gen_field_1mb,
    "columns_10000": gen_columns_10000,
    "columns_10000_in_row": gen_columns_10000_in_row,
    "ids_10000": gen_ids_10000,
    "rejected_1m": gen_rejected_1m,
}


def write(folder, name, lines):
    with open(os.path.join(folder, name), "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(lines) + "\n")


# --- the expect file ----------------------------------------------------------

class ExpectError(Exception):
    pass


# `problem FILE LINE COLUMN CODE ['VALUE']`
PROBLEM_RE = re.compile(
    r"^(?P<file>\S+) (?P<line>\d+|-) (?P<column>\S+) (?P<code>[EWN]_[A-Z0-9_]+)"
    r"(?: '(?P<value>.*)')?$")
# `fatal FILE LINE COLUMN CODE`
FATAL_DIRECTIVE_RE = re.compile(
    r"^(?P<file>\S+) (?P<line>\d+|-) (?P<column>\S+) (?P<code>E_[A-Z0-9_]+)$")
COUNT_KEYS = ("read", "used", "rejected", "warnings")


class Expect:
    def __init__(self):
        self.exit = None
        self.fatal = None         # dict: file, line, column, code
        self.problems = []        # dicts: file, line, column, code, value, text
        self.problem_count = None
        self.echoed = None
        self.args = []
        self.generate = None
        self.files = {}           # file -> {key: int}
        self.issue_count = None
        self.issues_more = None
        self.maxrss_mb = None
        self.timeout = DEFAULT_TIMEOUT


def where_of(d):
    """file, line (int or None), column (or None), code of a directive's match."""
    return (d["file"], None if d["line"] == "-" else int(d["line"]),
            None if d["column"] == "-" else d["column"], d["code"])


def parse_expect(path):
    e = Expect()
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for n, raw in enumerate(lines, 1):
        text = raw.rstrip("\r")
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        key, _, rest = text.partition(" ")
        where = "%s:%d" % (path, n)
        try:
            if key == "exit":
                e.exit = int(rest)
            elif key == "fatal":
                m = FATAL_DIRECTIVE_RE.match(rest)
                if not m or e.fatal:
                    raise ExpectError("expected one 'fatal FILE LINE COLUMN E_CODE'")
                f_, l_, c_, code = where_of(m.groupdict())
                e.fatal = {"file": f_, "line": l_, "column": c_, "code": code, "text": rest}
            elif key == "problem":
                m = PROBLEM_RE.match(rest)
                if not m:
                    raise ExpectError("expected FILE LINE COLUMN CODE ['VALUE']")
                f_, l_, c_, code = where_of(m.groupdict())
                e.problems.append({"file": f_, "line": l_, "column": c_, "code": code,
                                   "value": m.group("value"), "text": rest})
            elif key == "problems":
                e.problem_count = int(rest)
            elif key == "echoed":
                e.echoed = int(rest)
            elif key == "args":
                e.args += shlex.split(rest)
            elif key == "generate":
                if rest not in GENERATORS:
                    raise ExpectError("unknown generator %r" % rest)
                e.generate = rest
            elif key == "file":
                name, *pairs = rest.split()
                counts = e.files.setdefault(name, {})
                for p in pairs:
                    k, eq, v = p.partition("=")
                    if k not in COUNT_KEYS or not eq:
                        raise ExpectError("expected %s=N, got %r" % ("|".join(COUNT_KEYS), p))
                    counts[k] = int(v)
            elif key == "issues":
                e.issue_count = int(rest)
            elif key == "issues-more":
                e.issues_more = int(rest)
            elif key == "maxrss-mb":
                e.maxrss_mb = float(rest)
            elif key == "timeout":
                e.timeout = float(rest)
            else:
                raise ExpectError("unknown key %r" % key)
        except (ValueError, ExpectError) as exc:
            raise ExpectError("%s: %s" % (where, exc)) from None
    if e.exit is None:
        raise ExpectError("%s: 'exit' is required" % path)
    if e.exit == 0 and e.problem_count is None:
        raise ExpectError("%s: a run that succeeds needs 'problems N'" % path)
    if e.exit != 0 and not e.fatal and not e.problems:
        raise ExpectError("%s: a run that fails needs 'fatal' or 'problem' lines" % path)
    return e


# --- stderr and the issues file ---------------------------------------------

# A data problem as the tool prints it: where, what, the column and value
# when known, and the code last.
PROBLEM_LINE_RE = re.compile(
    r"^workforce-report: (?P<file>[^:\s]+)(?::(?P<line>\d+))?: "
    r"(?P<severity>row rejected|warning|note): (?P<text>.*?)"
    r"(?: \(column '(?P<column>[^']*)'(?:, value '(?P<value>.*)')?\))?"
    r" \[(?P<code>[EWN]_[A-Z0-9_]+)\]$")
LOOKS_LIKE_PROBLEM_RE = re.compile(
    r"^workforce-report: [^:\s]+(?::\d+)?: (?:row rejected|warning|note): ")
# A fatal problem of an input file: the file, the line when there is one,
# the message (which names the column as column 'NAME' when there is one)
# and the code last.
FATAL_LINE_RE = re.compile(
    r"^workforce-report: (?P<file>[^:\s]+)(?::(?P<line>\d+))?: (?P<text>.*)"
    r" \[(?P<code>E_[A-Z0-9_]+)\]$")
COLUMN_IN_TEXT_RE = re.compile(r"column '([^']*)'")


def problem_lines(lines, problems):
    """(file, line, column, code) of every data problem printed on stderr;
    a line that looks like one but does not end with a code is a problem."""
    out = []
    for text in lines:
        if not LOOKS_LIKE_PROBLEM_RE.match(text):
            continue
        m = PROBLEM_LINE_RE.match(text)
        if not m:
            problems.append("stderr problem line without its code: %s" % text)
            continue
        out.append((m.group("file"), int(m.group("line")) if m.group("line") else None,
                    m.group("column"), m.group("code")))
    return out


def check_fatal(want, lines, problems):
    last = lines[-1] if lines else "<no stderr>"
    m = FATAL_LINE_RE.match(last)
    if not m or LOOKS_LIKE_PROBLEM_RE.match(last):
        problems.append("last stderr line is no fatal problem with a code: %s" % last)
        return
    col = COLUMN_IN_TEXT_RE.search(m.group("text"))
    got = (m.group("file"), int(m.group("line")) if m.group("line") else None,
           col.group(1) if col else None, m.group("code"))
    expected = (want["file"], want["line"], want["column"], want["code"])
    if got != expected:
        problems.append("fatal: expected %s, got %s from: %s"
                        % (describe(expected), describe(got), last))


def describe(key):
    f, line, column, code = key
    return "%s %s %s %s" % (f, "-" if line is None else line, column or "-", code)


# The issues file puts a ' before a value a spreadsheet would run.
RISKY_FIRST = "=+-@\t\r"


def unguard(value):
    if len(value) >= 2 and value[0] == "'" and value[1] in RISKY_FIRST:
        return value[1:]
    return value


def scan_issues(path, e, echoed, problems):
    """One pass over an issues file (report.issues.csv, or report.rejected.csv
    of a run stopped on rejects): each `problem` of the case matches a row of
    its own; each problem printed on stderr is a row. Returns the number of
    rows, or None when there is no such file. Streams: a million rows are
    never held at once."""
    import csv

    if not os.path.exists(path):
        for want in e.problems:
            problems.append("problem not found (no %s): %s"
                            % (os.path.basename(path), want["text"]))
        for key in echoed:
            problems.append("stderr names a problem but there is no %s: %s"
                            % (os.path.basename(path), describe(key)))
        if e.problem_count:
            problems.append("expected %d problems, but there is no %s"
                            % (e.problem_count, os.path.basename(path)))
        return None
    # the wants with a value first: a row goes to the most particular want
    wants = sorted(range(len(e.problems)), key=lambda i: e.problems[i]["value"] is None)
    matched = [False] * len(e.problems)
    on_stderr = set(echoed)
    wanted_lines = {(w["file"], w["line"]) for w in e.problems}
    near = {}
    count = 0
    try:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.reader(f, strict=True)
            header = next(reader, None)
            if header is None:
                problems.append("%s is empty" % os.path.basename(path))
                return 0
            col = {name: i for i, name in enumerate(header)}
            missing = [k for k in ("file", "line", "column", "code", "value") if k not in col]
            if missing:
                problems.append("%s has no column %s (header %s)"
                                % (os.path.basename(path), ", ".join(missing), header))
                return sum(1 for _ in reader)
            for r in reader:
                count += 1
                key = (r[col["file"]], int(r[col["line"]]) if r[col["line"]] else None,
                       r[col["column"]] or None, r[col["code"]])
                value = unguard(r[col["value"]])
                on_stderr.discard(key)
                for i in wants:
                    w = e.problems[i]
                    if matched[i] or key != (w["file"], w["line"], w["column"], w["code"]):
                        continue
                    if w["value"] is not None and w["value"] != value:
                        continue
                    matched[i] = True
                    break
                if key[:2] in wanted_lines and len(near.setdefault(key[:2], [])) < 4:
                    near[key[:2]].append("%s '%s'" % (describe(key), value))
    except (UnicodeDecodeError, csv.Error, ValueError, IndexError) as exc:
        problems.append("%s does not parse: %s" % (os.path.basename(path), exc))
        return None
    for i, want in enumerate(e.problems):
        if not matched[i]:
            there = near.get((want["file"], want["line"]))
            problems.append("problem not found: %s%s" % (
                want["text"], "; on that line: %s" % "; ".join(there) if there else ""))
    for key in sorted(on_stderr, key=describe):
        problems.append("stderr names a problem that is not in %s: %s"
                        % (os.path.basename(path), describe(key)))
    if e.problem_count is not None and count != e.problem_count:
        problems.append("%s: expected %d problems, got %d"
                        % (os.path.basename(path), e.problem_count, count))
    return count


# --- running the tool -------------------------------------------------------

def tool_has_option(tool, option):
    try:
        p = subprocess.run([tool, "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return option.encode() in p.stdout


# Linux keeps a process's peak RSS across execve, so a tool forked straight
# from this script would report this script's own peak (tens of MB once
# openpyxl is loaded) as its ru_maxrss. A minimal interpreter (-S -I, about
# 5 MB) forks and execs the tool instead, reaps it with os.wait4 and writes
# the exit status, ru_maxrss and its own RSS at the fork to a report file.
# ru_maxrss is then the tool's own peak, or the launcher's RSS when that was
# higher: exact for any figure that could break a bound.
LAUNCHER = r"""
import os, sys
report, argv = sys.argv[1], sys.argv[2:]
base = 0
with open("/proc/self/status") as f:
    for line in f:
        if line.startswith("VmRSS:"):
            base = int(line.split()[1])
pid = os.fork()
if pid == 0:
    try:
        os.execv(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as f:
    f.write("%d %d %d\n" % (os.waitstatus_to_exitcode(status), usage.ru_maxrss, base))
"""


def run_tool(cmd, env, stdout_path, stderr_path, report_path, timeout):
    """Run cmd; returns (exit code, peak RSS MB, launcher RSS MB, seconds, timed out)."""
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        t0 = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-S", "-I", "-c", LAUNCHER, report_path] + cmd,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env,
                                start_new_session=True)
        try:
            proc.wait(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            timed_out = True
        seconds = time.monotonic() - t0
    try:
        with open(report_path) as f:
            status, maxrss_kb, base_kb = (int(v) for v in f.read().split())
    except (OSError, ValueError):
        return "none (no report from the launcher)", 0.0, 0.0, seconds, timed_out
    # a signal shows as "signal N", never equal to an expected exit code
    code = status if status >= 0 else "signal %d" % -status
    return code, maxrss_kb / 1024.0, base_kb / 1024.0, seconds, timed_out


# --- the workbook -------------------------------------------------------------

XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def check_xml_parts(path, problems):
    """Every XML part valid UTF-8, without characters XML 1.0 forbids: input
    bytes that are not UTF-8 must never reach the workbook."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not (name.endswith(".xml") or name.endswith(".rels")):
                continue
            data = z.read(name)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                problems.append("workbook part %s is not valid UTF-8: %s" % (name, exc))
                continue
            m = XML_FORBIDDEN.search(text)
            if m:
                at = m.start()
                problems.append("workbook part %s holds %r, which XML forbids, near %r"
                                % (name, m.group(0), text[max(0, at - 40):at + 40]))


def find_table(wb, name):
    for ws in wb.worksheets:
        if name in ws.tables:
            return ws, ws.tables[name].ref
    return None, None


def table_rows(ws, ref):
    rows = [[c.value for c in r] for r in ws[ref]]
    header, body = rows[0], rows[1:]
    return [dict(zip(header, r)) for r in body if any(v is not None for v in r)]


def check_workbook(path, e, issue_rows, problems):
    import openpyxl  # imported late: only cases with a workbook need it
    from openpyxl.utils.cell import range_boundaries

    check_xml_parts(path, problems)
    try:
        wb = openpyxl.load_workbook(path)
    except Exception as exc:  # noqa: BLE001 - any failure to open is the finding
        problems.append("workbook does not open with openpyxl: %s" % exc)
        return

    ws, ref = find_table(wb, "tbl_dq_files")
    if ws is None:
        problems.append("table tbl_dq_files not found")
        return
    files = {r["File"]: r for r in table_rows(ws, ref)}
    for name, r in sorted(files.items()):
        if r["Rows read"] != r["Rows used"] + r["Rows rejected"]:
            problems.append("%s: rows read %s != used %s + rejected %s"
                            % (name, r["Rows read"], r["Rows used"], r["Rows rejected"]))
    column_of = {"read": "Rows read", "used": "Rows used", "rejected": "Rows rejected",
                 "warnings": "Warnings"}
    for name, want in e.files.items():
        got = files.get(name)
        if got is None:
            problems.append("tbl_dq_files has no row for %s (has %s)" % (name, sorted(files)))
            continue
        for k, v in want.items():
            if got[column_of[k]] != v:
                problems.append("tbl_dq_files %s %s: expected %d, got %r"
                                % (name, k, v, got[column_of[k]]))

    check_issues_total(wb, issue_rows, problems)

    ws, ref = find_table(wb, "tbl_dq_issues")
    if ws is None:
        problems.append("table tbl_dq_issues not found")
        return
    issues = table_rows(ws, ref)
    if e.issue_count is not None and len(issues) != e.issue_count:
        problems.append("tbl_dq_issues: expected %d issues, got %d"
                        % (e.issue_count, len(issues)))

    # the line below the table saying how many more issues were not listed
    min_col, _, _, max_row = range_boundaries(ref)
    below = [ws.cell(row=r, column=min_col).value for r in (max_row + 1, max_row + 2)]
    below = [v for v in below if v is not None]
    if e.issues_more is not None:
        number = re.match(r"\d+", str(below[0])) if len(below) == 1 else None
        if not number or int(number.group(0)) != e.issues_more:
            problems.append("below tbl_dq_issues: expected a line starting with %d, got %r"
                            % (e.issues_more, below))
    elif e.issue_count is not None and below:
        problems.append("below tbl_dq_issues: expected nothing, got %r" % below)


def check_issues_total(wb, issue_rows, problems):
    """The issues file beside the workbook: one row per issue that
    tbl_dq_summary counts (none, and no file, when it counts none). Skipped
    for a tool without the summary."""
    ws, ref = find_table(wb, "tbl_dq_summary")
    if ws is None:
        return
    total = sum(r["Issues"] for r in table_rows(ws, ref))
    if issue_rows is None:
        if total:
            problems.append("tbl_dq_summary counts %d issues but there is no %s"
                            % (total, ISSUES_NAME))
        return
    if not total:
        problems.append("%s written though tbl_dq_summary counts no issue" % ISSUES_NAME)
    if issue_rows != total:
        problems.append("%s holds %d issues, tbl_dq_summary counts %d"
                        % (ISSUES_NAME, issue_rows, total))


# --- one case -----------------------------------------------------------------

def run_outputs(root, out_dir, stderr_bytes, code):
    """What a run left: exit code, stderr, and the bytes of each output file."""
    files = {}
    for n in sorted(os.listdir(out_dir)):
        with open(os.path.join(out_dir, n), "rb") as f:
            files[n] = f.read()
    return code, stderr_bytes, files


def check_jobs(cmd, env, root, out_dir, want, problems):
    """--jobs 1 and --jobs 3 with pieces cut small give what the first run gave
    (which used the default, one thread per CPU): the same exit code, stderr
    and output files, byte for byte."""
    size = sum(os.path.getsize(os.path.join(root, "input", n))
               for n in os.listdir(os.path.join(root, "input")))
    piece = str(61 + size // 37)  # some 37 pieces a file, cut anywhere
    for jobs, extra_env in (("1", {}), ("3", {"WR_TEST_PIECE_BYTES": piece})):
        shutil.rmtree(out_dir)
        os.makedirs(out_dir)
        run_env = dict(env, **extra_env)
        p = subprocess.run(cmd + ["--jobs", jobs], env=run_env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=600)
        got = run_outputs(root, out_dir, p.stderr, p.returncode)
        what = "--jobs %s%s" % (jobs, " (pieces of %s bytes)" % piece if extra_env else "")
        if got[0] != want[0]:
            problems.append("%s: exit %s, not %s" % (what, got[0], want[0]))
        if got[1] != want[1]:
            problems.append("%s: stderr differs" % what)
        if sorted(got[2]) != sorted(want[2]):
            problems.append("%s: output files %s, not %s" % (what, sorted(got[2]), sorted(want[2])))
        for n in sorted(set(got[2]) & set(want[2])):
            if got[2][n] != want[2][n]:
                problems.append("%s: %s differs" % (what, n))


def run_case(name, case_dir, work, tool, base_args, rss_bounds=True, jobs=False):
    problems = []
    e = parse_expect(os.path.join(case_dir, "expect"))
    root = os.path.join(work, name)
    if os.path.isdir(root):
        shutil.rmtree(root)
    input_dir = os.path.join(root, "input")
    out_dir = os.path.join(root, "out")
    os.makedirs(input_dir)
    os.makedirs(out_dir)
    for entry in sorted(os.listdir(case_dir)):
        if entry == "expect":
            continue
        src = os.path.join(case_dir, entry)
        if os.path.isfile(src):
            shutil.copyfile(src, os.path.join(input_dir, entry))
    if e.generate:
        GENERATORS[e.generate](input_dir)

    output = os.path.join(out_dir, OUTPUT_NAME)
    cmd = [tool, "--input", input_dir, "--output", output] + base_args + e.args
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    env["TZ"] = "UTC"
    env.pop("TERM", None)
    stdout_path = os.path.join(root, "stdout.txt")
    stderr_path = os.path.join(root, "stderr.txt")
    with open(os.path.join(root, "command.txt"), "w") as f:
        f.write("SOURCE_DATE_EPOCH=%s %s\n" % (SOURCE_DATE_EPOCH, shlex.join(cmd)))
    report_path = os.path.join(root, "rusage.txt")
    code, rss_mb, _, seconds, timed_out = run_tool(cmd, env, stdout_path, stderr_path,
                                                         report_path, e.timeout)
    with open(stderr_path, "rb") as f:
        stderr = f.read().decode("utf-8", errors="backslashreplace")
    lines = stderr.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    # the corpus's rows are dated around 2020 and its as-of is 2024-12-31, so
    # every run that writes a report ends with the stale-data caveat after
    # the closing line: not the case's business
    if lines and lines[-1].startswith(STALE_PREFIX):
        lines.pop()

    if timed_out:
        # killed: the exit code, stderr and output folder tell nothing more
        problems.append("killed after %g s (timeout); stderr so far: %s"
                        % (e.timeout, " | ".join(lines[:2]) or "<none>"))
        return problems, seconds, rss_mb, ""
    if code != e.exit:
        problems.append("exit: expected %d, got %s" % (e.exit, code))
    first = lines[0] if lines else "<no stderr>"
    echoed = problem_lines(lines, problems)
    if e.echoed is not None and len(echoed) != e.echoed:
        problems.append("stderr: expected %d problem lines, got %d" % (e.echoed, len(echoed)))
    if e.fatal:
        check_fatal(e.fatal, lines, problems)
    # every problem: in the issues file of a report, in the rejected file of
    # a run stopped on rejects
    listed = os.path.join(out_dir, ISSUES_NAME if code == 0 else REJECTED_NAME)
    issue_rows = None
    if code == 0 or e.problems or os.path.exists(listed):
        issue_rows = scan_issues(listed, e, echoed, problems)
    if rss_bounds and e.maxrss_mb is not None and rss_mb > e.maxrss_mb:
        problems.append("peak RSS %.1f MB, above the bound of %.0f MB" % (rss_mb, e.maxrss_mb))

    temps = sorted(n for n in os.listdir(out_dir) if n.startswith(TEMP_PREFIX))
    if temps:
        problems.append("temporary files left in the output folder: %s" % temps)
    have_book = os.path.exists(output)
    if code == 0:
        if not have_book:
            problems.append("exit 0 but no workbook at %s" % output)
        else:
            check_workbook(output, e, issue_rows, problems)
    elif have_book:
        problems.append("exit %s but a workbook was written" % code)
    elif e.files or e.issue_count is not None or e.issues_more is not None:
        problems.append("workbook figures expected, but the run wrote none")

    if jobs and not problems:
        with open(stderr_path, "rb") as f:
            check_jobs(cmd, env, root, out_dir, run_outputs(root, out_dir, f.read(), code),
                       problems)

    # Generated inputs (and the issues files they give) are large: drop them
    # once the case passed.
    if not problems and e.generate:
        shutil.rmtree(input_dir)
        if os.path.exists(os.path.join(out_dir, ISSUES_NAME)):
            os.remove(os.path.join(out_dir, ISSUES_NAME))
    return problems, seconds, rss_mb, first


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tool", required=True, help="the workforce-report binary")
    ap.add_argument("--cases", required=True, help="the cases folder")
    ap.add_argument("--work", required=True, help="scratch folder (emptied per case)")
    ap.add_argument("--no-rss-bounds", action="store_true",
                    help="do not check maxrss-mb (sanitizer builds: their peak memory is "
                         "mostly the sanitizer's)")
    ap.add_argument("names", nargs="*", help="run only these cases")
    args = ap.parse_args()
    tool = os.path.abspath(args.tool)
    cases = os.path.abspath(args.cases)
    work = os.path.abspath(args.work)
    if not os.access(tool, os.X_OK):
        print("run_corpus: %s is not an executable" % tool, file=sys.stderr)
        return 2
    names = sorted(n for n in os.listdir(cases) if os.path.isfile(os.path.join(cases, n, "expect")))
    if args.names:
        unknown = sorted(set(args.names) - set(names))
        if unknown:
            print("run_corpus: no such case: %s" % ", ".join(unknown), file=sys.stderr)
            return 2
        names = [n for n in names if n in args.names]
    os.makedirs(work, exist_ok=True)

    base_args = ["--as-of", AS_OF, "--min-group", MIN_GROUP]
    # A --min-group below 3 needs --no-privacy where the tool has that gate.
    if tool_has_option(tool, "--no-privacy"):
        base_args.append("--no-privacy")
    # The issues listed on the sheet need --dq-detail where the tool has it.
    if tool_has_option(tool, "--dq-detail"):
        base_args.append("--dq-detail")
    # Most cases reject most of their few rows on purpose: they test how
    # each row is read, not the rule that stops a run whose file is mostly
    # rejected (tests/e2e/test_operations.py does).
    if tool_has_option(tool, "--allow-rejects"):
        base_args.append("--allow-rejects")

    # --jobs N must give what --jobs 1 gives, wherever the pieces are cut
    jobs = tool_has_option(tool, "--jobs")

    passed = failed = 0
    t_all = time.monotonic()
    for name in names:
        try:
            problems, seconds, rss_mb, first = run_case(name, os.path.join(cases, name), work,
                                                        tool, base_args, not args.no_rss_bounds,
                                                        jobs)
        except ExpectError as exc:
            print("run_corpus: %s" % exc, file=sys.stderr)
            return 2
        if problems:
            failed += 1
            print("FAIL %-36s %6.2f s %6.1f MB" % (name, seconds, rss_mb))
            for p in problems:
                print("    - %s" % p)
        else:
            passed += 1
            print("ok   %-36s %6.2f s %6.1f MB  %s" % (name, seconds, rss_mb, first[:90]))
        sys.stdout.flush()
    print("total %.1f s" % (time.monotonic() - t_all))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
