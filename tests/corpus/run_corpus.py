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
sheet lists the issues checked here), and is checked for its exit code,
its first stderr line (exact), and, where it writes a workbook, the figures
of the Data Quality sheet. Some checks apply to every case: a failed run leaves no
workbook and no temporary file; a workbook opens, every XML part of it is
valid UTF-8 without characters XML forbids, and rows read = rows used + rows
rejected for every file; where the tool writes an issues file beside the
workbook (report.issues.csv), it holds one row per issue counted on the
sheet, and there is none when no issue was.

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


ISSUE_RE = re.compile(
    r"^(?P<file>[^\s:]+):(?P<line>\d+) (?P<column>\S+) (?P<severity>rejected|warning|note) "
    r"(?:'(?P<value>.*?)'|(?P<novalue>-)|(?P<anyvalue>\*)): (?P<problem>.*)$")
COUNT_KEYS = ("read", "used", "rejected", "warnings")


class Expect:
    def __init__(self):
        self.exit = None
        self.stderr = None
        self.stderr_last = None
        self.stderr_has = []
        self.args = []
        self.generate = None
        self.files = {}       # file -> {key: int}
        self.issues = []      # dicts
        self.issue_count = None
        self.issues_more = None
        self.maxrss_mb = None
        self.timeout = DEFAULT_TIMEOUT


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
            elif key == "stderr":
                e.stderr = rest
            elif key == "stderr-last":
                e.stderr_last = rest
            elif key == "stderr-has":
                e.stderr_has.append(rest)
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
            elif key == "issue":
                m = ISSUE_RE.match(rest)
                if not m:
                    raise ExpectError("expected FILE:LINE COLUMN SEVERITY 'VALUE': PROBLEM")
                d = m.groupdict()
                e.issues.append({
                    "text": rest,
                    "File": d["file"],
                    "Line": int(d["line"]),
                    "Column": None if d["column"] == "-" else d["column"],
                    "Severity": d["severity"],
                    "Value": (None if d["novalue"] else "*" if d["anyvalue"] else d["value"]),
                    "Problem": d["problem"],
                })
            elif key == "issues":
                e.issue_count = int(rest)
            elif key == "issues-more":
                e.issues_more = rest
            elif key == "maxrss-mb":
                e.maxrss_mb = float(rest)
            elif key == "timeout":
                e.timeout = float(rest)
            else:
                raise ExpectError("unknown key %r" % key)
        except (ValueError, ExpectError) as exc:
            raise ExpectError("%s: %s" % (where, exc)) from None
    if e.exit is None or e.stderr is None:
        raise ExpectError("%s: 'exit' and 'stderr' are required" % path)
    return e


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


def check_workbook(path, e, problems):
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

    check_issues_file(path, wb, problems)

    ws, ref = find_table(wb, "tbl_dq_issues")
    if ws is None:
        problems.append("table tbl_dq_issues not found")
        return
    issues = table_rows(ws, ref)
    if e.issue_count is not None and len(issues) != e.issue_count:
        problems.append("tbl_dq_issues: expected %d issues, got %d"
                        % (e.issue_count, len(issues)))
    used = [False] * len(issues)
    for want in e.issues:
        hit = None
        for i, got in enumerate(issues):
            if used[i] or not issue_matches(want, got):
                continue
            hit = i
            break
        if hit is None:
            near = [g for g in issues if g["File"] == want["File"] and g["Line"] == want["Line"]]
            problems.append("issue not listed: %s%s" % (
                want["text"], "; listed on that line: %s" % "; ".join(
                    describe_issue(g) for g in near[:4]) if near else ""))
        else:
            used[hit] = True

    # the line below the table saying how many more issues were not listed
    min_col, _, _, max_row = range_boundaries(ref)
    below = [ws.cell(row=r, column=min_col).value for r in (max_row + 1, max_row + 2)]
    below = [v for v in below if v is not None]
    if e.issues_more is not None:
        if below != [e.issues_more]:
            problems.append("below tbl_dq_issues: expected %r, got %r" % (e.issues_more, below))
    elif e.issue_count is not None and below:
        problems.append("below tbl_dq_issues: expected nothing, got %r" % below)


def check_issues_file(path, wb, problems):
    """The issues file beside the workbook: one row per issue that
    tbl_dq_summary counts (none, and no file, when it counts none). Skipped
    for a tool without the summary."""
    import csv

    ws, ref = find_table(wb, "tbl_dq_summary")
    if ws is None:
        return
    total = sum(r["Issues"] for r in table_rows(ws, ref))
    issues = os.path.join(os.path.dirname(path), ISSUES_NAME)
    if not os.path.exists(issues):
        if total:
            problems.append("tbl_dq_summary counts %d issues but there is no %s"
                            % (total, ISSUES_NAME))
        return
    if not total:
        problems.append("%s written though tbl_dq_summary counts no issue" % ISSUES_NAME)
    try:
        with open(issues, encoding="utf-8", newline="") as f:
            rows = sum(1 for _ in csv.reader(f, strict=True)) - 1
    except (UnicodeDecodeError, csv.Error) as exc:
        problems.append("%s does not parse: %s" % (ISSUES_NAME, exc))
        return
    if rows != total:
        problems.append("%s holds %d issues, tbl_dq_summary counts %d"
                        % (ISSUES_NAME, rows, total))


def issue_matches(want, got):
    for k in ("File", "Line", "Column", "Severity", "Problem"):
        if want[k] != got.get(k):
            return False
    v = want["Value"]
    if v == "*":
        return True
    if v == "" or v is None:
        return got.get("Value") in (None, "")
    return got.get("Value") == v


def describe_issue(g):
    return "%s:%s %s %s %r: %s" % (g["File"], g["Line"], g["Column"] or "-", g["Severity"],
                                   g["Value"], g["Problem"])


# --- one case -----------------------------------------------------------------

def run_case(name, case_dir, work, tool, base_args, rss_bounds=True):
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
    # the closing line; the cases check the closing line
    if lines and lines[-1].startswith(STALE_PREFIX):
        lines.pop()

    def subst(text):
        return (text.replace("{output}", output)
                .replace("{issues}", os.path.join(out_dir, ISSUES_NAME))
                .replace("{rejected}", os.path.join(out_dir, REJECTED_NAME)))

    if timed_out:
        # killed: the exit code, stderr and output folder tell nothing more
        problems.append("killed after %g s (timeout); stderr so far: %s"
                        % (e.timeout, " | ".join(lines[:2]) or "<none>"))
        return problems, seconds, rss_mb, ""
    if code != e.exit:
        problems.append("exit: expected %d, got %s" % (e.exit, code))
    first = lines[0] if lines else "<no stderr>"
    if first != subst(e.stderr):
        problems.append("first stderr line:\n      expected: %s\n      actual:   %s"
                        % (subst(e.stderr), first))
    if e.stderr_last is not None:
        last = lines[-1] if lines else "<no stderr>"
        if last != subst(e.stderr_last):
            problems.append("last stderr line:\n      expected: %s\n      actual:   %s"
                            % (subst(e.stderr_last), last))
    for want in e.stderr_has:
        if subst(want) not in lines:
            problems.append("no stderr line: %s" % subst(want))
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
            check_workbook(output, e, problems)
    elif have_book:
        problems.append("exit %s but a workbook was written" % code)
    elif e.files or e.issues or e.issue_count is not None or e.issues_more is not None:
        problems.append("workbook figures expected, but the run wrote none")

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

    passed = failed = 0
    t_all = time.monotonic()
    for name in names:
        try:
            problems, seconds, rss_mb, first = run_case(name, os.path.join(cases, name), work,
                                                        tool, base_args, not args.no_rss_bounds)
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
