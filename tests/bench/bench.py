#!/usr/bin/python3
"""Benchmark workforce-report end to end (issue 6). Not a test: it measures.

    /usr/bin/python3 tests/bench/bench.py [--build build-release] [--sizes 10000,100000,1000000] [--runs 3]

Generates seeded data sets with workforce-gen under <build>/bench/ (never
committed), runs the full report on each several times, and prints a table:
employees, input rows, input MB, median wall seconds, MB/s, peak RSS, and the
median time of each phase from --timings. Build a Release first:

    cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release && cmake --build build-release -j
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

AS_OF = "2026-06-30"
SINCE = "2022"


def run_measured(cmd):
    """Run cmd; return (wall seconds, peak RSS in MB, stderr)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    err = proc.stderr.read()
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit("%s failed with %d:\n%s" % (" ".join(cmd), code, err))
    return wall, usage.ru_maxrss / 1024.0, err


def input_size(folder):
    rows = 0
    size = 0
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        size += os.path.getsize(path)
        with open(path, "rb") as f:
            rows += sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) - 1
    return rows, size / 1e6


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--build", default="build-release")
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    tool = os.path.join(args.build, "workforce-report")
    gen = os.path.join(args.build, "workforce-gen")
    for exe in (tool, gen):
        if not os.access(exe, os.X_OK):
            sys.exit("%s not found: build a Release first (see --help)" % exe)

    results = []
    phases_seen = []
    for n in [int(s) for s in args.sizes.split(",")]:
        data = os.path.join(args.build, "bench", "gen-%d" % n)
        if not os.path.exists(os.path.join(data, "roles.csv")):
            subprocess.run([gen, "--employees", str(n), "--seed", "1", "--as-of", AS_OF,
                            "--out", data], check=True)
        rows, mb = input_size(data)
        out = os.path.join(args.build, "bench", "report-%d.xlsx" % n)
        walls, rss, phases = [], [], {}
        for _ in range(args.runs):
            wall, peak, err = run_measured([tool, "--input", data, "--output", out,
                                            "--since", SINCE, "--as-of", AS_OF, "--timings",
                                            "--quiet"])
            walls.append(wall)
            rss.append(peak)
            for m in re.finditer(r"timing: (.+?)\s+([0-9.]+) s", err):
                name = m.group(1).strip()
                phases.setdefault(name, []).append(float(m.group(2)))
                if name not in phases_seen:
                    phases_seen.append(name)
        med = statistics.median(walls)
        results.append((n, rows, mb, med, mb / med, max(rss),
                        {k: statistics.median(v) for k, v in phases.items()}))

    print("| employees | input rows | input MB | wall s (median of %d) | MB/s | peak RSS MB |"
          % args.runs)
    print("|---:|---:|---:|---:|---:|---:|")
    for n, rows, mb, wall, rate, peak, _ in results:
        print("| %d | %d | %.1f | %.2f | %.0f | %.0f |" % (n, rows, mb, wall, rate, peak))
    print()
    print("| phase (median s) | " + " | ".join(str(r[0]) for r in results) + " |")
    print("|---|" + "---:|" * len(results))
    for name in phases_seen:
        print("| %s | " % name + " | ".join("%.3f" % r[6].get(name, 0.0) for r in results) + " |")
    if len(results) > 1:
        print()
        for a, b in zip(results, results[1:]):
            print("x%g employees: x%.1f time, x%.1f memory" % (b[0] / a[0], b[3] / a[3], b[5] / a[5]))


if __name__ == "__main__":
    main()
