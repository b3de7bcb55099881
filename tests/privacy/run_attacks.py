#!/usr/bin/python3
"""Run every privacy attack (attacks.py) on workbooks made by workforce-report.

Data sets: workforce-gen at several sizes and seeds, the hand-made fixtures
in tests/fixtures/* and samples/. Each data set is reported on twice (a
quarterly pair: the quarter end before the as-of date, then the as-of date,
same --since); the single-workbook attacks read the later workbook and the
quarterly attack reads both. The main pass uses --min-group K (default 5); a
second pass on some seeds uses --min-group 3.

Prints each finding, a summary per attack, and exits 1 if there is any
finding (2 if the tool failed on some data set but nothing leaked).

    run_attacks.py --tool build/workforce-report --gen build/workforce-gen \
                   --work /tmp/privacy [--quick] [--min-group K]
"""

import argparse
import collections
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import attacks as A  # noqa: E402

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
SAMPLES = os.path.join(ROOT, "samples")
EPOCH = "1719792000"

GEN_AS_OF = "2026-06-30"
GEN_PREV = "2026-03-31"
GEN_SINCE = "2022"

SIZES_FULL = {30: 20, 40: 20, 150: 20, 600: 20, 1000: 20}   # size -> seeds 1..N
SIZES_QUICK = {30: 3, 40: 3, 150: 3, 600: 2, 1000: 2}
SMALL_K_SEEDS_FULL = 5   # the --min-group 3 pass: seeds 1..N of each size
SMALL_K_SEEDS_QUICK = 1

# Fixtures: (folder, earlier as-of, as-of, since or None)
FIXTURE_RUNS_EXTRA = [
    ("programmes", "2024-09-30", "2024-12-31", "2024-01-01"),
    ("ttp", "2024-09-30", "2024-12-31", "2022-01-01"),
]


def generate(gen, size, seed, out):
    if os.path.exists(os.path.join(out, "roles.csv")):
        return
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    subprocess.run([gen, "--employees", str(size), "--seed", str(seed), "--as-of", GEN_AS_OF,
                    "--out", tmp], check=True, stdout=subprocess.DEVNULL)
    os.replace(tmp, out)


def run_tool(tool, data, out, as_of, since, k):
    # --allow-rejects: the bad_rows fixture rejects most of a file on purpose
    cmd = [tool, "-q", "--allow-rejects", "--input", data, "--output", out, "--as-of", as_of,
           "--min-group", str(k)]
    if since:
        cmd += ["--since", since]
    if k < 3:
        cmd.append("--no-privacy")
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    if os.path.exists(out):
        os.remove(out)
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if p.returncode != 0 or not os.path.exists(out):
        raise RuntimeError("%s exited %d: %s" % (" ".join(cmd), p.returncode, p.stderr.strip()[:500]))


def job(args):
    """One data set at one min-group: two runs, every attack."""
    label, tool, data, prev_as_of, as_of, since, k, workdir = args
    t0 = time.time()
    os.makedirs(workdir, exist_ok=True)
    q1 = os.path.join(workdir, "prev.xlsx")
    q2 = os.path.join(workdir, "last.xlsx")
    try:
        run_tool(tool, data, q2, as_of, since, k)
        run_tool(tool, data, q1, prev_as_of, since, k)
        book2, book1 = A.Book(q2), A.Book(q1)
        ctx = A.Context(min_group=k, input_dir=data, as_of=as_of, since=since, previous=book1)
        found = A.run_all(book2, ctx)
        return {"label": label, "findings": found, "error": None,
                "tables": len(book2.tables), "seconds": time.time() - t0}
    except Exception as e:  # noqa: BLE001 - reported, makes the run fail
        return {"label": label, "findings": [], "error": "%s: %s" % (type(e).__name__, e),
                "tables": 0, "seconds": time.time() - t0}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tool", required=True, help="workforce-report binary")
    ap.add_argument("--gen", required=True, help="workforce-gen binary")
    ap.add_argument("--work", default=os.path.join("/tmp", "privacy-attacks"),
                    help="folder for data sets and workbooks")
    ap.add_argument("--quick", action="store_true", help="fewer seeds")
    ap.add_argument("--min-group", type=int, default=5, help="main pass's --min-group")
    ap.add_argument("--small-min-group", type=int, default=3,
                    help="second pass's --min-group (0: no second pass)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--no-fixtures", action="store_true")
    args = ap.parse_args()
    tool, gen = os.path.abspath(args.tool), os.path.abspath(args.gen)
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    t_start = time.time()

    sizes = SIZES_QUICK if args.quick else SIZES_FULL
    small_seeds = SMALL_K_SEEDS_QUICK if args.quick else SMALL_K_SEEDS_FULL

    # data sets
    datasets = []
    for size, nseeds in sizes.items():
        for seed in range(1, nseeds + 1):
            datasets.append((size, seed, os.path.join(work, "data", "n%d-s%d" % (size, seed))))
    with concurrent.futures.ProcessPoolExecutor(args.jobs) as ex:
        list(ex.map(generate, [gen] * len(datasets), [d[0] for d in datasets],
                    [d[1] for d in datasets], [d[2] for d in datasets]))

    ks = [args.min_group]
    if args.small_min_group and args.small_min_group != args.min_group:
        ks.append(args.small_min_group)
    jobs = []
    for k in ks:
        for size, seed, data in datasets:
            if k != args.min_group and seed > small_seeds:
                continue
            label = "gen n=%d seed=%d k=%d" % (size, seed, k)
            jobs.append((label, tool, data, GEN_PREV, GEN_AS_OF, GEN_SINCE, k,
                         os.path.join(work, "runs", "n%d-s%d-k%d" % (size, seed, k))))
        if args.no_fixtures:
            continue
        fixture_runs = []
        if os.path.isdir(FIXTURES):
            for name in sorted(os.listdir(FIXTURES)):
                if os.path.exists(os.path.join(FIXTURES, name, "roles.csv")):
                    fixture_runs.append((name, "2024-03-31", "2024-06-30", None))
        fixture_runs += FIXTURE_RUNS_EXTRA
        for name, prev, asof, since in fixture_runs:
            label = "fixture %s as-of %s%s k=%d" % (name, asof, " since " + since if since else "", k)
            jobs.append((label, tool, os.path.join(FIXTURES, name), prev, asof, since, k,
                         os.path.join(work, "runs", "fx-%s-%s-k%d" % (name, asof, k))))
        if os.path.exists(os.path.join(SAMPLES, "roles.csv")):
            jobs.append(("samples as-of 2026-06-30 since 2022 k=%d" % k, tool, SAMPLES,
                         "2026-03-31", "2026-06-30", "2022", k,
                         os.path.join(work, "runs", "samples-k%d" % k)))

    with concurrent.futures.ProcessPoolExecutor(args.jobs) as ex:
        results = list(ex.map(job, jobs))

    per_attack = collections.Counter()
    per_table = collections.Counter()
    sets_hit = collections.defaultdict(set)
    errors = []
    all_findings = []
    for res in results:
        if res["error"]:
            errors.append(res)
            print("ERROR %s: %s" % (res["label"], res["error"]))
            continue
        for f in res["findings"]:
            print(A.format_finding(f, res["label"]))
            per_attack[f["attack"]] += 1
            per_table[(f["attack"], f["table"])] += 1
            sets_hit[f["attack"]].add(res["label"])
            all_findings.append(dict(f, dataset=res["label"]))
    with open(os.path.join(work, "findings.json"), "w") as fh:
        json.dump(all_findings, fh, indent=1, default=str)

    elapsed = time.time() - t_start
    print()
    print("== privacy attacks: %d runs (%d data sets x min-group %s, fixtures, samples), "
          "%.1f s" % (len(results), len(datasets), "/".join(map(str, ks)), elapsed))
    if not per_attack:
        print("no leak found")
    else:
        print("%-16s %8s %10s" % ("finding kind", "findings", "data sets"))
        for kind, n in per_attack.most_common():
            print("%-16s %8d %10d" % (kind, n, len(sets_hit[kind])))
        print()
        print("by table:")
        for (kind, table), n in sorted(per_table.items()):
            print("  %-16s %-28s %6d" % (kind, table, n))
        print("findings as JSON: %s" % os.path.join(work, "findings.json"))
    if errors:
        print("%d run(s) failed (see ERROR lines)" % len(errors))
    if per_attack:
        return 1
    return 2 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
