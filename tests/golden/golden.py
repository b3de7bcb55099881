#!/usr/bin/env python3
"""Golden values for samples/, computed from the CSV files and the written
definitions alone (README.md, samples/README.md, the About sheet), with the
Python standard library only. It never reads a workbook and shares no code
with workforce-report or the e2e tests. See tests/golden/README.md.

    python3 golden.py --input samples --since 2022-01-01 --as-of 2026-06-30

prints the figures as JSON.
"""

import argparse
import csv
import datetime
import json
import os
import sys


def day(text):
    """A YYYY-MM-DD date, or None for an empty value. Anything else raises."""
    if text == "":
        return None
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError("not a date: %r" % text)
    return datetime.date(int(text[0:4]), int(text[5:7]), int(text[8:10]))


def norm(name):
    """Header names match case-insensitively, spaces, - and _ alike."""
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def read(folder, name):
    """Rows of folder/name as dicts keyed by normalised header; [] if absent."""
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, strict=True)
        header = [norm(h) for h in next(reader)]
        rows = []
        for r in reader:
            if len(r) != len(header):
                raise ValueError("%s: a row with %d fields, header has %d"
                                 % (name, len(r), len(header)))
            rows.append(dict(zip(header, r)))
        return rows


def roles(folder):
    """(employee, track, start, end) of roles.csv; a duplicate (same employee
    and start date) keeps the first row, as samples/README.md says."""
    out, seen = [], set()
    for r in read(folder, "roles.csv"):
        key = (r["employee_id"], r["start_date"])
        if key in seen:
            continue
        seen.add(key)
        track = r["track"].lower()
        if track not in ("ic", "management"):
            raise ValueError("unknown track %r" % r["track"])
        out.append((r["employee_id"], track, day(r["start_date"]), day(r["end_date"])))
    return out


def holds(role, d):
    """The role row is held on day d (end dates are inclusive, empty = open)."""
    _, _, start, end = role
    return start <= d and (end is None or d <= end)


def headcount(role_rows, d):
    """Employees holding a role on day d, each once, in the track of that
    role; where an employee's rows overlap, the later-starting row holds the
    day (the earlier is cut to end the day before the later starts)."""
    held = {}
    for role in role_rows:
        if holds(role, d):
            emp, track, start, _ = role
            if emp not in held or start > held[emp][0]:
                held[emp] = (start, track)
    by_track = {"ic": 0, "management": 0}
    for _, track in held.values():
        by_track[track] += 1
    return len(held), by_track


def in_window(d, since, as_of):
    return d is not None and since <= d <= as_of


def figures(folder, since, as_of):
    role_rows = roles(folder)
    total, by_track = headcount(role_rows, as_of)
    one_day = datetime.timedelta(days=1)

    # promotions dated in the window whose employee held a role the day
    # before (the promotion matches the level spell held that day); a
    # duplicate (same employee and effective date) keeps the first row
    by_emp = {}
    for role in role_rows:
        by_emp.setdefault(role[0], []).append(role)
    promotions, seen = 0, set()
    for p in read(folder, "promotions.csv"):
        key = (p["employee_id"], p["effective_date"])
        if key in seen:
            continue
        seen.add(key)
        d = day(p["effective_date"])
        if int(p["to_level"]) <= int(p["from_level"]):
            continue
        if not in_window(d, since, as_of):
            continue
        if any(holds(role, d - one_day) for role in by_emp.get(p["employee_id"], [])):
            promotions += 1

    def started(name, id_col, date_col):
        n, seen = 0, set()
        for r in read(folder, name):
            key = (r[id_col], r[date_col])
            if key in seen:
                continue
            seen.add(key)
            n += in_window(day(r[date_col]), since, as_of)
        return n

    return {
        "headcount": total,
        "headcount_ic": by_track["ic"],
        "headcount_management": by_track["management"],
        "promotions": promotions,
        "lateral_transfers": started("transfers.csv", "employee_id", "effective_date"),
        "secondments_started": started("secondments.csv", "secondee_id", "start_date"),
        "interns_started": started("interns.csv", "intern_id", "start_date"),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--since", required=True, help="YYYY-MM-DD")
    ap.add_argument("--as-of", required=True, help="YYYY-MM-DD")
    args = ap.parse_args()
    json.dump(figures(args.input, day(args.since), day(args.as_of)), sys.stdout, indent=2,
              sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
