#!/usr/bin/python3
"""Benchmark workforce-report end to end (issues 6 and 15). Not a test: it measures.

    /usr/bin/python3 tests/bench/bench.py [--build build-release] [--sizes 10000,100000,1000000]
        [--runs 5] [--jobs 1,2,all] [--shapes largest|all|none] [--duckdb-dir /tmp/wr-duckdb]

Generates seeded data sets with workforce-gen under <build>/bench/ (never
committed) and, for each size, runs in turn (the order rotating from run to
run, so a change in the machine's load hits every configuration alike):

- the full report (--since 2022 --timings) once per --jobs value (1, 2 and
  all online CPUs, duplicates dropped); without --jobs when the tool's
  --help does not offer it;
- pandas' read_csv(dtype=str) of every *.csv of the same folder (Debian's
  python3-pandas, under /usr/bin/python3), all frames kept: skipped with a
  message when pandas is missing;
- DuckDB loading the same files into an in-memory database (CREATE TABLE
  t_<name> AS SELECT * FROM read_csv(..., header=true, all_varchar=true)),
  from @duckdb/node-api installed with npm in --duckdb-dir, a scratch folder
  outside the project: skipped with a message without npm, node or network;
- the report, with each --jobs value, on the same rows reshaped by
  reshape.py (long quoted titles with commas and line breaks, 10% CRLF, a
  byte-order mark), to read off whether speed depends on the data's shape:
  at the largest size (--shapes largest, the default), every size (all) or
  none.

Every command runs as a subprocess and is measured alike: wall time and
peak RSS (wait4). Before the timed runs each configuration runs once
untimed, which warms the page cache and checks that all of them read the
same rows: the report's closing line "N rows read, M rejected" and its
--json counts and headline figures must not change with --jobs or the
shape (nor the workbook's bytes with --jobs), and pandas and DuckDB must
load as many rows per file as the report read.

Prints markdown on stdout (progress goes to stderr): the machine, medians
over --runs of wall time, MB/s, rows/s and peak RSS (the largest of the
runs) with the ratios to pandas and DuckDB, each phase from --timings, and
a scaling check: seconds per input MB of every size within +-25% of the
1M-employee figure (of the largest size when 1M is not measured), PASS or
FAIL per size (the exit code does not depend on it). Build a Release first:

    cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release && cmake --build build-release -j
"""

import argparse
import glob
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

AS_OF = "2026-06-30"
SINCE = "2022"
EPOCH = "1782777600"  # 2026-06-30: the check runs' workbooks are comparable byte for byte
SCALE_REF = 1000000
SCALE_TOLERANCE = 0.25
HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(os.path.dirname(HERE))

PANDAS_SCRIPT = """
import glob, os, sys
import pandas
frames = {os.path.basename(p): pandas.read_csv(p, dtype=str)
          for p in sorted(glob.glob(os.path.join(sys.argv[1], "*.csv")))}
if len(sys.argv) > 2:
    for name, frame in frames.items():
        print(name, len(frame))
"""

DUCKDB_SCRIPT = """\
// Written by tests/bench/bench.py: load every *.csv of a folder into DuckDB.
const { DuckDBInstance } = require('@duckdb/node-api');
const fs = require('fs');
const path = require('path');

async function main() {
  const dir = process.argv[2];
  const counts = process.argv[3] === '--counts';
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  for (const name of fs.readdirSync(dir).filter(n => n.endsWith('.csv')).sort()) {
    const table = 't_' + name.slice(0, -4).replace(/[^A-Za-z0-9_]/g, '_');
    const file = path.join(dir, name).replace(/'/g, "''");
    await con.run(`CREATE TABLE ${table} AS SELECT * FROM ` +
                  `read_csv('${file}', header=true, all_varchar=true)`);
    if (counts) {
      const r = await con.runAndReadAll(`SELECT count(*) FROM ${table}`);
      console.log(name, String(r.getRows()[0][0]));
    }
  }
}
main().catch(e => { console.error(String(e)); process.exit(1); });
"""


def note(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def run_measured(cmd, env=None, stdout=subprocess.DEVNULL):
    """Run cmd; return (wall seconds, peak RSS in MB, stdout or None, stderr)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, text=True, env=env)
    # read the pipes only after the child is gone: it writes little, and
    # wait4 must be the call that reaps it, for its rusage
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    out = proc.stdout.read() if proc.stdout else None
    err = proc.stderr.read()
    for f in (proc.stdout, proc.stderr):
        if f:
            f.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit("%s failed with %d:\n%s" % (" ".join(cmd), proc.returncode, err))
    return wall, usage.ru_maxrss / 1024.0, out, err


def csv_files(folder):
    return sorted(glob.glob(os.path.join(folder, "*.csv")))


def input_mb(folder):
    return sum(os.path.getsize(p) for p in csv_files(folder)) / 1e6


def stale(path, sources):
    """Whether path is missing or older than any of sources."""
    if not os.path.exists(path):
        return True
    return any(os.path.getmtime(s) > os.path.getmtime(path) for s in sources)


def online_cpus():
    try:
        return os.sysconf("SC_NPROCESSORS_ONLN")
    except (ValueError, OSError):
        return os.cpu_count() or 1


def jobs_values(spec):
    values = []
    for s in spec.split(","):
        n = online_cpus() if s.strip() == "all" else int(s)
        if n not in values:
            values.append(n)
    return values


def tool_has_jobs(tool):
    proc = subprocess.run([tool, "--help"], capture_output=True, text=True)
    return re.search(r"--jobs\b", proc.stdout + proc.stderr) is not None


def find_pandas():
    """The interpreter whose pandas to time, and its version; (None, why) without."""
    for py in ("/usr/bin/python3", sys.executable):
        if py and os.access(py, os.X_OK):
            proc = subprocess.run([py, "-c", "import pandas; print(pandas.__version__)"],
                                  capture_output=True, text=True)
            if proc.returncode == 0:
                return py, proc.stdout.strip()
    return None, "pandas is missing (apt-get install python3-pandas): no pandas column"


def setup_duckdb(folder):
    """Install @duckdb/node-api in folder; return (script, version) or (None, why)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return None, "npm or node not found: no DuckDB column"
    folder = os.path.abspath(folder)
    if os.path.commonpath([folder, PROJECT]) == PROJECT:
        return None, "--duckdb-dir %s is inside the project: no DuckDB column" % folder
    package = os.path.join(folder, "node_modules", "@duckdb", "node-api", "package.json")
    if not os.path.exists(package):
        os.makedirs(folder, exist_ok=True)
        if not os.path.exists(os.path.join(folder, "package.json")):
            with open(os.path.join(folder, "package.json"), "w") as f:
                f.write('{"private": true}\n')
        note("npm install @duckdb/node-api in %s" % folder)
        try:
            proc = subprocess.run([npm, "install", "--no-audit", "--no-fund", "@duckdb/node-api"],
                                  cwd=folder, capture_output=True, text=True, timeout=900)
        except subprocess.TimeoutExpired:
            return None, "npm install @duckdb/node-api timed out: no DuckDB column"
        if proc.returncode != 0 or not os.path.exists(package):
            last = (proc.stderr.strip().splitlines() or ["?"])[-1]
            return None, "npm install @duckdb/node-api failed (%s): no DuckDB column" % last
    script = os.path.join(folder, "wr-bench-load.cjs")
    with open(script, "w") as f:
        f.write(DUCKDB_SCRIPT)
    with open(package) as f:
        version = json.load(f).get("version", "?")
    return [node, script], version


def machine():
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.+)$", f.read(), re.M)
            cpu = m.group(1).strip() if m else cpu
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            m = re.search(r"^MemTotal:\s*(\d+) kB", f.read(), re.M)
            mem = "%.0f GB" % (int(m.group(1)) / 1024 / 1024) if m else mem
    except OSError:
        pass
    return "%s, %d online CPUs, %s RAM, Linux %s" % (cpu, online_cpus(), mem, platform.release())


def load():
    return "%.2f %.2f %.2f" % os.getloadavg()


class Config:
    """One thing timed at one size: a command, its data and its results."""

    def __init__(self, kind, label, data, cmd, check_cmd, jobs=None, shaped=False):
        self.kind = kind            # report | pandas | duckdb
        self.label = label
        self.data = data
        self.cmd = cmd
        self.check_cmd = check_cmd
        self.jobs = jobs
        self.shaped = shaped
        self.mb = input_mb(data)
        self.rows = None
        self.walls = []
        self.rss = []
        self.phases = {}
        self.phase_names = []

    def measure(self):
        wall, peak, _, err = run_measured(self.cmd)
        self.walls.append(wall)
        self.rss.append(peak)
        for m in re.finditer(r"timing: (.+?)\s+([0-9.]+) s", err):
            name = m.group(1).strip()
            self.phases.setdefault(name, []).append(float(m.group(2)))
            if name not in self.phase_names:
                self.phase_names.append(name)

    def wall(self):
        return statistics.median(self.walls)

    def peak(self):
        return max(self.rss)

    def phase(self, name):
        return statistics.median(self.phases[name]) if name in self.phases else None


def report_cmd(tool, data, out, jobs, extra):
    cmd = [tool, "--input", data, "--since", SINCE, "--as-of", AS_OF] + extra
    if out is not None:
        cmd += ["--output", out]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    return cmd


def check_report(cfg, workdir):
    """Run a report untimed with --json; return (closing line, counts+kpis, workbook digest)."""
    out = os.path.join(workdir, "check.xlsx")
    js = os.path.join(workdir, "check.json")
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    _, _, _, err = run_measured(cfg.check_cmd + ["--output", out, "--json", js], env=env)
    m = re.search(r"(\d+) rows read, (\d+) rejected(?:, (\d+) warnings?)?", err)
    if not m:
        sys.exit("no 'N rows read, M rejected' line from %s:\n%s" % (" ".join(cfg.check_cmd), err))
    with open(js) as f:
        doc = json.load(f)
    with open(out, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    per_file = {c["file"]: c["read"] for c in doc["counts"]["files"] if c.get("provided")}
    cfg.rows = int(m.group(1))
    return m.group(0), {"counts": doc["counts"], "kpis": doc.get("kpis")}, digest, per_file


def check_loader(cfg, per_file):
    """Run pandas or DuckDB untimed, printing rows per file; compare with the report's."""
    _, _, out, _ = run_measured(cfg.check_cmd, stdout=subprocess.PIPE)
    got = {}
    for line in out.splitlines():
        name, n = line.rsplit(" ", 1)
        got[name] = int(n)
    cfg.rows = sum(got.values())
    if got == per_file:
        return "%s: same rows per file as the report (%d)" % (cfg.label, cfg.rows)
    return "%s: MISMATCH: rows per file %s, the report read %s" % (cfg.label, got, per_file)


def fmt_ratio(a, b):
    return "%.2f" % (a / b) if a and b else "–"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--build", default="build-release")
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--jobs", default="1,2,all",
                    help="--jobs values to sweep, 'all' the online CPUs (default 1,2,all)")
    ap.add_argument("--shapes", choices=("largest", "all", "none"), default="largest",
                    help="sizes also run on the reshaped set (default: the largest)")
    ap.add_argument("--duckdb-dir", default="/tmp/wr-duckdb",
                    help="scratch folder, outside the project, for npm's @duckdb/node-api")
    ap.add_argument("--no-pandas", action="store_true")
    ap.add_argument("--no-duckdb", action="store_true")
    args = ap.parse_args()
    if args.runs < 1:
        sys.exit("--runs must be at least 1")
    tool = os.path.join(args.build, "workforce-report")
    gen = os.path.join(args.build, "workforce-gen")
    for exe in (tool, gen):
        if not os.access(exe, os.X_OK):
            sys.exit("%s not found: build a Release first (see --help)" % exe)
    sizes = [int(s) for s in args.sizes.split(",")]
    bench = os.path.abspath(os.path.join(args.build, "bench"))
    workdir = os.path.join(bench, "out")
    os.makedirs(workdir, exist_ok=True)

    notes = []
    if tool_has_jobs(tool):
        jobs = jobs_values(args.jobs)
    else:
        jobs = [None]
        notes.append("workforce-report has no --jobs option: the report runs without it")
    py, pandas_version = ((None, "pandas not measured (--no-pandas)") if args.no_pandas
                          else find_pandas())
    if not py:
        notes.append(pandas_version)
    duck, duck_version = ((None, "DuckDB not measured (--no-duckdb)") if args.no_duckdb
                          else setup_duckdb(args.duckdb_dir))
    if not duck:
        notes.append(duck_version)
    for n in notes:
        note(n)

    load_before = load()
    per_size = []
    checks = []
    for n in sizes:
        data = os.path.join(bench, "gen-%d" % n)
        if not os.path.exists(os.path.join(data, "roles.csv")):
            note("generating %d employees in %s" % (n, data))
            subprocess.run([gen, "--employees", str(n), "--seed", "1", "--as-of", AS_OF,
                            "--out", data], check=True)
        sets = [(data, False)]
        if args.shapes == "all" or (args.shapes == "largest" and n == max(sizes)):
            shaped = os.path.join(bench, "shaped-%d" % n)
            if stale(os.path.join(shaped, "roles.csv"),
                     [os.path.join(data, "roles.csv"), os.path.join(HERE, "reshape.py")]):
                note("reshaping %s into %s" % (data, shaped))
                subprocess.run([sys.executable, os.path.join(HERE, "reshape.py"), data, shaped],
                               check=True)
            sets.append((shaped, True))

        out = os.path.join(workdir, "report-%d.xlsx" % n)
        configs = []
        for folder, is_shaped in sets:
            for j in jobs:
                label = "report" if j is None else "report --jobs %d" % j
                if j is not None and j == online_cpus():
                    label += " (all)"
                if is_shaped:
                    label += ", reshaped"
                configs.append(Config("report", label, folder,
                                      report_cmd(tool, folder, out, j, ["--timings", "--quiet"]),
                                      report_cmd(tool, folder, None, j, []),
                                      jobs=j, shaped=is_shaped))
            if not is_shaped:
                if py:
                    configs.append(Config("pandas", "pandas read_csv(dtype=str)", folder,
                                          [py, "-c", PANDAS_SCRIPT, folder],
                                          [py, "-c", PANDAS_SCRIPT, folder, "--counts"]))
                if duck:
                    configs.append(Config("duckdb", "DuckDB read_csv(all_varchar=true)", folder,
                                          duck + [folder], duck + [folder, "--counts"]))

        note("%d employees: checking that every configuration reads the same rows" % n)
        base = None    # the first report: the rows every other configuration must read
        first = {}     # the first report of each shape: its workbook, for --jobs
        per_file = None
        what = "closing line, --json counts and headline figures"
        for cfg in configs:
            if cfg.kind != "report":
                continue
            line, facts, digest, files = check_report(cfg, workdir)
            if base is None:
                base = (cfg.label, line, facts)
                per_file = files
                first[cfg.shaped] = (cfg.label, digest)
                checks.append('%s employees, %s: "%s"' % ("{:,}".format(n), cfg.label, line))
                continue
            same = (line, facts) == base[1:]
            verdict = "%s %s %s" % (what, "the same as" if same else "MISMATCH against", base[0])
            if cfg.shaped in first:
                label, other = first[cfg.shaped]
                verdict += "; workbook bytes %s %s" % (
                    "the same as" if digest == other else "DIFFER from", label)
            else:
                first[cfg.shaped] = (cfg.label, digest)
            checks.append('%s employees, %s: "%s": %s' % ("{:,}".format(n), cfg.label, line,
                                                          verdict))
        for cfg in configs:
            if cfg.kind != "report":
                checks.append("%s employees, %s" % ("{:,}".format(n),
                                                    check_loader(cfg, per_file)))

        for r in range(args.runs):
            k = r % len(configs)
            order = configs[k:] + configs[:k]
            note("%d employees: run %d of %d: %s" % (n, r + 1, args.runs,
                                                    ", ".join(c.label for c in order)))
            for cfg in order:
                cfg.measure()
        per_size.append((n, configs))
    load_after = load()

    if any("MISMATCH" in c or "DIFFER" in c for c in checks):
        note("some configurations disagree: see Checks at the end")
    print_results(args, per_size, checks, notes, tool, pandas_version if py else None,
                  duck_version if duck else None, load_before, load_after)


def print_results(args, per_size, checks, notes, tool, pandas_version, duck_version,
                  load_before, load_after):
    version = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout
    version = (version.splitlines() or [""])[0].strip()
    print("Machine: %s; load average %s before, %s after." % (machine(), load_before, load_after))
    print("Tool: %s (%s); pandas %s; DuckDB @duckdb/node-api %s; node %s." % (
        version or "workforce-report", args.build, pandas_version or "not measured",
        duck_version or "not measured",
        subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
        if duck_version else "–"))
    print("Report: `--since %s --as-of %s`; medians of %d runs, configurations alternating; "
          "peak RSS the largest of the runs." % (SINCE, AS_OF, args.runs))
    for n in notes:
        print("Note: %s." % n)
    print()

    print("| employees | what | input MB | rows | wall s | MB/s | k rows/s | peak RSS MB "
          "| ÷ pandas | ÷ DuckDB |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, configs in per_size:
        pandas = next((c for c in configs if c.kind == "pandas"), None)
        duck = next((c for c in configs if c.kind == "duckdb"), None)
        for c in configs:
            w = c.wall()
            print("| %s | %s | %.1f | %s | %.2f | %.0f | %.0f | %.0f | %s | %s |" % (
                "{:,}".format(n), c.label, c.mb, "{:,}".format(c.rows) if c.rows else "–", w,
                c.mb / w, c.rows / w / 1000 if c.rows else 0, c.peak(),
                fmt_ratio(w, pandas.wall()) if pandas and not c.shaped else "–",
                fmt_ratio(w, duck.wall()) if duck and not c.shaped else "–"))

    for n, configs in per_size:
        reports = [c for c in configs if c.kind == "report"]
        names = []
        for c in reports:
            names += [p for p in c.phase_names if p not in names]
        if not names:
            continue
        print()
        print("| phase, median s, %s employees | " % "{:,}".format(n)
              + " | ".join(c.label for c in reports) + " |")
        print("|---|" + "---:|" * len(reports))
        for name in names:
            print("| %s | " % name + " | ".join(
                "%.3f" % c.phase(name) if c.phase(name) is not None else "–"
                for c in reports) + " |")

    plain = {n: [c for c in configs if c.kind == "report" and not c.shaped]
             for n, configs in per_size}
    ref_n = SCALE_REF if SCALE_REF in plain else max(plain)
    if len(plain) > 1:
        print()
        print("Scaling: seconds per input MB against the %s-employee figure, PASS within "
              "±%d%%%s:" % ("{:,}".format(ref_n), SCALE_TOLERANCE * 100,
                            "" if ref_n == SCALE_REF else " (1M not measured: the largest size)"))
        print()
        labels = [c.label for c in plain[ref_n]]
        print("| employees | " + " | ".join(labels) + " |")
        print("|---:|" + "---|" * len(labels))
        for n in plain:
            cells = []
            for c, ref in zip(plain[n], plain[ref_n]):
                per_mb, ref_per_mb = c.wall() / c.mb, ref.wall() / ref.mb
                dev = per_mb / ref_per_mb - 1
                cells.append("%.2f ms/MB, %+.0f%% %s" % (
                    per_mb * 1000, dev * 100, "PASS" if abs(dev) <= SCALE_TOLERANCE else "FAIL"))
            print("| %s | " % "{:,}".format(n) + " | ".join(cells) + " |")
        # the x10 lines follow the default run: all online CPUs (or no --jobs)
        label = next((c.label for c in plain[ref_n] if c.jobs in (None, online_cpus())),
                     plain[ref_n][-1].label)
        print()
        ordered = sorted(plain)
        for a, b in zip(ordered, ordered[1:]):
            ca = next(c for c in plain[a] if c.label == label)
            cb = next(c for c in plain[b] if c.label == label)
            print("- %s to %s employees (%s): x%.1f time, x%.1f memory" % (
                "{:,}".format(a), "{:,}".format(b), label, cb.wall() / ca.wall(),
                cb.peak() / ca.peak()))

    shaped_lines = []
    for n, configs in per_size:
        for c in configs:
            if not c.shaped:
                continue
            p = next(x for x in configs if x.kind == "report" and not x.shaped and x.jobs == c.jobs)
            line = "- %s employees, %s: %.0f MB/s reshaped against %.0f MB/s plain (%+.0f%%)" % (
                "{:,}".format(n), p.label, c.mb / c.wall(), p.mb / p.wall(),
                (c.mb / c.wall()) / (p.mb / p.wall()) * 100 - 100)
            line += "; %.0f against %.0f k rows/s (%+.0f%%)" % (
                c.rows / c.wall() / 1000, p.rows / p.wall() / 1000, p.wall() / c.wall() * 100 - 100)
            read = "read and validate (all)"
            if c.phase(read) and p.phase(read):
                line += "; reading alone %.0f against %.0f MB/s" % (
                    c.mb / c.phase(read), p.mb / p.phase(read))
            shaped_lines.append(line)
    if shaped_lines:
        print()
        print("Shape (reshape.py: long quoted titles with commas and line breaks, 10% CRLF, "
              "a byte-order mark):")
        print()
        print("\n".join(shaped_lines))

    if SCALE_REF in plain:
        configs = dict(per_size)[SCALE_REF]
        pandas = next((c for c in configs if c.kind == "pandas"), None)
        duck = next((c for c in configs if c.kind == "duckdb"), None)
        print()
        print("Goal of issue 15 at 1,000,000 employees (at most 0.5× pandas, 1.0× DuckDB, "
              "600 MB):")
        print()
        for c in plain[SCALE_REF]:
            parts = []
            if pandas:
                ratio = c.wall() / pandas.wall()
                parts.append("%.2f× pandas %s" % (ratio, "PASS" if ratio <= 0.5 else "FAIL"))
            if duck:
                ratio = c.wall() / duck.wall()
                parts.append("%.2f× DuckDB %s" % (ratio, "PASS" if ratio <= 1.0 else "FAIL"))
            parts.append("%.0f MB %s" % (c.peak(), "PASS" if c.peak() <= 600 else "FAIL"))
            print("- %s: %s" % (c.label, ", ".join(parts)))

    print()
    print("Checks (one untimed run of each configuration before the timed ones):")
    print()
    for line in checks:
        print("- " + line)


if __name__ == "__main__":
    main()
