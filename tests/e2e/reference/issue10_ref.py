#!/usr/bin/python3
"""Independent reference for the issue-10 tables of workforce-report.

Reads roles.csv and promotions.csv from an input folder, rebuilds the career
model (level spells, promotions matched to spells, employments) from the
written definitions (see README.md next to this file), writes the analysis
data sets to CSV files in a temporary folder and runs

    Rscript fits.R <tmpdir>

for every survival fit (Kaplan-Meier, Aalen-Johansen, Cox; R's `survival`).
The result is a dict of expected table values:

    {"tbl_ttp_period": [row dict, ...], "tbl_ttp_trend": [...],
     "tbl_ttp_outcomes": [...], "tbl_ttp_outcome_curve": [...],
     "tbl_attrition_year": [...], "tbl_retention": [...],
     "summary": {"Attrition rate, last 12 months": value},
     "check": {...}}

Each row dict is keyed by the table's header texts. A statistic hidden by
the privacy rule is the text "suppressed (n<K)"; an empty cell is None.
Keys starting with "_" are not columns: the row's distinct people, events,
and the raw (unsuppressed) figures, kept for diagnostics.

Standard library only (openpyxl is not needed here). Run on its own:

    /usr/bin/python3 tests/e2e/reference/issue10_ref.py --input samples \
        --since 2022-01-01 --as-of 2026-06-30
"""

import argparse
import csv
import datetime
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FITS_R = os.path.join(HERE, "fits.R")

DAYS_PER_MONTH = 30.4375
T12, T24, T36 = 365.25, 730.5, 1095.75
OPEN = 10 ** 9                      # an open end date: later than any date
TRACKS = ("ic", "management")
TRACK_LABEL = {"ic": "IC", "management": "Management"}
OUTCOMES = ("promoted", "moved", "left")


# --------------------------------------------------------------------------
# Reading

def norm_header(name):
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def parse_date(text):
    """YYYY-MM-DD -> proleptic ordinal, or None when empty / invalid."""
    if text is None or text.strip() == "":
        return None
    try:
        if len(text) != 10 or text[4] != "-" or text[7] != "-":
            return None
        return datetime.date(int(text[0:4]), int(text[5:7]), int(text[8:10])).toordinal()
    except ValueError:
        return None


def parse_when(text):
    """--since: YYYY, YYYY-Qn or YYYY-MM-DD."""
    if len(text) == 4 and text.isdigit():
        return datetime.date(int(text), 1, 1).toordinal()
    if len(text) == 7 and text[4:6].upper() == "-Q" and text[6] in "1234":
        return datetime.date(int(text[:4]), 3 * (int(text[6]) - 1) + 1, 1).toordinal()
    d = parse_date(text)
    if d is None:
        raise ValueError("bad date %r" % text)
    return d


def iso(ordinal):
    return datetime.date.fromordinal(ordinal).isoformat()


def read_csv(path, required):
    """Rows of a CSV as dicts keyed by the normalised header names."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = [norm_header(h) for h in next(reader)]
        missing = [c for c in required if c not in header]
        if missing:
            raise SystemExit("%s: missing column(s) %s" % (path, ", ".join(missing)))
        rows = []
        for rec in reader:
            if len(rec) == 1 and rec[0] == "" or not rec:
                continue
            if len(rec) != len(header):
                rows.append(None)            # a malformed row: rejected
                continue
            rows.append(dict(zip(header, rec)))
        return rows


def load_roles(folder, notes):
    """employee id -> list of [start, end, track, level, department], by start."""
    rows = read_csv(os.path.join(folder, "roles.csv"),
                    ("employee_id", "track", "level", "department", "start_date", "end_date"))
    by_emp = {}
    rejected = 0
    for r in rows:
        if r is None:
            rejected += 1
            continue
        emp, track, level, dept = r["employee_id"], r["track"].lower(), r["level"], r["department"]
        start = parse_date(r["start_date"])
        end = parse_date(r["end_date"]) if r["end_date"].strip() else OPEN
        ok = (emp.strip() and dept.strip() and track in TRACKS and start is not None
              and end is not None and end >= start and level.isdigit()
              and level == str(int(level)) and 1 <= int(level) <= 12)
        if not ok:
            rejected += 1
            continue
        lst = by_emp.setdefault(emp, [])
        if any(x[0] == start for x in lst):  # duplicate (employee, start): rejected
            rejected += 1
            continue
        lst.append([start, end, track, int(level), dept])
    for lst in by_emp.values():
        lst.sort(key=lambda x: x[0])
    notes["roles rejected"] = rejected
    return by_emp


def load_promotions(folder, notes):
    """employee id -> sorted list of effective dates."""
    path = os.path.join(folder, "promotions.csv")
    if not os.path.exists(path):
        return {}
    rows = read_csv(path, ("employee_id", "effective_date", "from_level", "to_level"))
    by_emp = {}
    rejected = 0
    for r in rows:
        if r is None:
            rejected += 1
            continue
        d = parse_date(r["effective_date"])
        fl, tl = r["from_level"], r["to_level"]
        ok = (r["employee_id"].strip() and d is not None and fl.isdigit() and tl.isdigit()
              and int(tl) > int(fl))
        if not ok:
            rejected += 1
            continue
        lst = by_emp.setdefault(r["employee_id"], [])
        if d in lst:
            rejected += 1
            continue
        lst.append(d)
    for lst in by_emp.values():
        lst.sort()
    notes["promotions rejected"] = rejected
    return by_emp


# --------------------------------------------------------------------------
# The model

def build_model(roles, promos, notes):
    """Cut overlaps; return (spells, employments, rows by employee)."""
    cuts = 0
    for lst in roles.values():
        for i in range(len(lst) - 1):
            if lst[i][1] >= lst[i + 1][0]:
                lst[i][1] = lst[i + 1][0] - 1
                cuts += 1
    notes["overlaps cut"] = cuts

    spells, employments = [], []
    for emp in sorted(roles):
        lst = roles[emp]
        # level spells
        i = 0
        emp_spells = []
        while i < len(lst):
            j = i
            while (j + 1 < len(lst) and lst[j][1] != OPEN
                   and lst[j + 1][0] <= lst[j][1] + 1
                   and lst[j + 1][2] == lst[i][2] and lst[j + 1][3] == lst[i][3]):
                j += 1
            nxt = lst[j + 1][0] if j + 1 < len(lst) else None
            emp_spells.append({"emp": emp, "track": lst[i][2], "level": lst[i][3],
                               "start": lst[i][0], "end": lst[j][1], "next_start": nxt,
                               "promo": None})
            i = j + 1
        # promotions: the spell covering d - 1; one per spell
        cand = {}
        for d in promos.get(emp, []):
            for k, sp in enumerate(emp_spells):
                if sp["start"] <= d - 1 <= sp["end"]:
                    cand.setdefault(k, []).append(d)
                    break
        for k, ds in cand.items():
            sp = emp_spells[k]
            at_end = [d for d in ds if sp["end"] != OPEN and d == sp["end"] + 1]
            sp["promo"] = at_end[0] if at_end else min(ds)
        spells.extend(emp_spells)
        # employments: contiguous runs of any rows
        i = 0
        while i < len(lst):
            j = i
            while j + 1 < len(lst) and lst[j][1] != OPEN and lst[j + 1][0] <= lst[j][1] + 1:
                j += 1
            employments.append({"emp": emp, "start": lst[i][0], "end": lst[j][1],
                                "track": lst[j][2], "dept": lst[j][4]})
            i = j + 1
    notes["spells"] = len(spells)
    notes["promotions matched"] = sum(1 for s in spells if s["promo"] is not None)
    notes["employments"] = len(employments)
    return spells, employments


def headcount(roles, day):
    """{'all': n, 'ic': n, 'management': n} of employees holding a row on day."""
    seen = {"ic": set(), "management": set()}
    for emp, lst in roles.items():
        for start, end, track, _level, _dept in lst:
            if start <= day <= end:
                seen[track].add(emp)
    out = {t: len(seen[t]) for t in TRACKS}
    out["all"] = len(seen["ic"] | seen["management"])
    return out


# --------------------------------------------------------------------------
# R

def run_r(tmp, km_rows, aj_rows, cox_rows):
    def write(name, header, rows):
        with open(os.path.join(tmp, name), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)
    write("km.csv", ["group", "entry", "exit", "event"], km_rows)
    write("aj.csv", ["group", "id", "entry", "exit", "state"], aj_rows)
    write("cox.csv", ["group", "entry", "exit", "event", "year", "stratum"], cox_rows)
    proc = subprocess.run(["Rscript", "--vanilla", FITS_R, tmp], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True)
    if proc.returncode != 0:
        raise RuntimeError("Rscript failed (exit %d):\n%s%s" % (proc.returncode, proc.stdout,
                                                                 proc.stderr))
    res = {}
    with open(os.path.join(tmp, "results.csv"), newline="") as f:
        for r in csv.DictReader(f):
            v = r["value"]
            res.setdefault(r["group"], {})[r["stat"]] = None if v == "NA" else float(v)
    return res, proc.stderr


# --------------------------------------------------------------------------
# The tables

def compute(folder, since, as_of, min_group=5, keep_tmp=None):
    S, A = since, as_of
    notes = {}
    roles = load_roles(folder, notes)
    promos = load_promotions(folder, notes)
    spells, employments = build_model(roles, promos, notes)
    sup = "suppressed (n<%d)" % min_group
    years = list(range(datetime.date.fromordinal(S).year, datetime.date.fromordinal(A).year + 1))

    # ---- spells in the window
    part = []
    for sp in spells:
        if sp["start"] > A:
            continue
        ev_promo = sp["promo"] is not None and S <= sp["promo"] <= A
        if not (sp["end"] >= S or ev_promo):
            continue
        entry = max(0, S - sp["start"])
        if ev_promo:
            exit_, event, outcome = sp["promo"] - sp["start"], 1, "promoted"
        else:
            exit_, event = min(sp["end"], A) - sp["start"], 0
            if sp["end"] < A:
                nxt = sp["next_start"]
                outcome = "moved" if nxt is not None and nxt <= sp["end"] + 1 else "left"
            else:
                outcome = "censor"
        part.append(dict(sp, entry=entry, exit=exit_, event=event, outcome=outcome))
    km_spells = [p for p in part if p["exit"] > p["entry"]]
    notes["spells in the window"] = len(part)
    notes["spells in KM"] = len(km_spells)

    km_rows, aj_rows, cox_rows = [], [], []
    for p in km_spells:
        km_rows.append(("ttp_all", p["entry"], p["exit"], p["event"]))

    # ---- calendar-year episodes
    episodes = []
    for p in part:
        for Y in years:
            lo = datetime.date(Y, 1, 1).toordinal() - p["start"]
            hi = datetime.date(Y + 1, 1, 1).toordinal() - p["start"]
            e_in, e_out = max(p["entry"], lo), min(p["exit"], hi)
            if e_out > e_in:
                episodes.append({"emp": p["emp"], "track": p["track"], "year": Y,
                                 "stratum": "%s:%d" % (p["track"], p["level"]),
                                 "entry": e_in, "exit": e_out,
                                 "event": 1 if p["event"] and p["exit"] <= hi else 0})
    notes["episodes"] = len(episodes)

    def track_sel(track):
        return (lambda x: True) if track == "all" else (lambda x: x["track"] == track)

    for track in ("all",) + TRACKS:
        sel = track_sel(track)
        for Y in years:
            for e in episodes:
                if sel(e) and e["year"] == Y:
                    km_rows.append(("period:%s:%d" % (track, Y), e["entry"], e["exit"], e["event"]))
        for e in episodes:
            if sel(e):
                cox_rows.append(("trend:%s" % track, e["entry"], e["exit"], e["event"],
                                 e["year"] - years[0], e["stratum"]))

    # ---- outcomes (Aalen-Johansen)
    levels = sorted({(TRACKS.index(p["track"]), p["level"]) for p in km_spells})
    for i, p in enumerate(km_spells):
        aj_rows.append(("out:all", i + 1, p["entry"], p["exit"], p["outcome"]))
        aj_rows.append(("out:%s:%d" % (p["track"], p["level"]), i + 1, p["entry"], p["exit"],
                        p["outcome"]))

    # ---- employments (retention)
    emp_part = []
    for e in employments:
        if e["end"] < A:
            entry, exit_, event = max(0, S - e["start"]), e["end"] - e["start"], 1
        else:
            entry, exit_, event = max(0, S - e["start"]), A - e["start"], 0
        if exit_ > entry:
            emp_part.append(dict(e, entry=entry, exit=exit_, event=event))
    notes["employments in retention KM"] = len(emp_part)
    departments = sorted({e["dept"] for e in emp_part}, key=lambda s: s.encode("utf-8"))
    groups = [("All", "All", lambda e: True),
              ("Track", "IC", lambda e: e["track"] == "ic"),
              ("Track", "Management", lambda e: e["track"] == "management")]
    for d in departments:
        groups.append(("Department", d, (lambda dd: lambda e: e["dept"] == dd)(d)))
    for gt, g, sel in groups:
        for e in emp_part:
            if sel(e):
                km_rows.append(("ret:%s:%s" % (gt, g), e["entry"], e["exit"], e["event"]))

    # ---- R
    tmp = keep_tmp or tempfile.mkdtemp(prefix="issue10-ref-")
    os.makedirs(tmp, exist_ok=True)
    try:
        with open(os.path.join(tmp, "spells.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["emp", "track", "level", "start", "end", "promotion", "entry", "exit",
                        "event", "outcome"])
            for p in part:
                w.writerow([p["emp"], p["track"], p["level"], iso(p["start"]),
                            "" if p["end"] == OPEN else iso(p["end"]),
                            "" if p["promo"] is None else iso(p["promo"]),
                            p["entry"], p["exit"], p["event"], p["outcome"]])
        fits, r_stderr = run_r(tmp, km_rows, aj_rows, cox_rows)
    finally:
        if not keep_tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    out = {"notes": notes, "r_messages": r_stderr.strip()}

    def months(v):
        return None if v is None else v / DAYS_PER_MONTH

    def km_block(key):
        f = fits.get(key, {})
        return f

    # ---- tbl_ttp_period
    rows = []
    for track in ("all",) + TRACKS:
        sel = track_sel(track)
        for Y in years:
            eps = [e for e in episodes if sel(e) and e["year"] == Y]
            people = len({e["emp"] for e in eps})
            events = sum(e["event"] for e in eps)
            f = km_block("period:%s:%d" % (track, Y))
            pstart = max(datetime.date(Y, 1, 1).toordinal(), S)
            pend = min(datetime.date(Y, 12, 31).toordinal(), A)
            partial = pstart != datetime.date(Y, 1, 1).toordinal() or \
                pend != datetime.date(Y, 12, 31).toordinal()
            raw = {"KM median (months)": months(f.get("median")),
                   "KM 95% low": months(f.get("low")),
                   "KM 95% high": months(f.get("high")),
                   "Promoted within 1 year": None if f.get("s12") is None else 1 - f["s12"],
                   "Promoted within 2 years": None if f.get("s24") is None else 1 - f["s24"]}
            show = people >= min_group and events >= min_group
            row = {"Track": "All" if track == "all" else TRACK_LABEL[track], "Year": Y,
                   "Partial year": "yes" if partial else "no",
                   "Spells at risk": len(eps), "Promotions": events}
            for k, v in raw.items():
                row[k] = v if show else sup
            row.update({"_people": people, "_events": events, "_raw": raw,
                        "_flags": f.get("flags", 0)})
            rows.append(row)
    out["tbl_ttp_period"] = rows

    # ---- tbl_ttp_trend
    rows = []
    for track in ("all",) + TRACKS:
        sel = track_sel(track)
        eps = [e for e in episodes if sel(e)]
        people = len({e["emp"] for e in eps})
        events = sum(e["event"] for e in eps)
        f = fits.get("trend:%s" % track, {})
        raw = {"Hazard ratio per year": f.get("hr"), "HR 95% low": f.get("low"),
               "HR 95% high": f.get("high"), "p-value": f.get("p")}
        show = people >= min_group and events >= min_group
        row = {"Track": "All" if track == "all" else TRACK_LABEL[track],
               "Episodes": len(eps), "Promotions": events}
        for k, v in raw.items():
            row[k] = v if show else sup
        if show and raw["p-value"] is not None and raw["p-value"] < 0.05:
            row["_direction"] = "sooner" if raw["Hazard ratio per year"] > 1 else "later"
        elif show:
            row["_direction"] = "No clear trend"
        else:
            row["_direction"] = None
        row.update({"_people": people, "_events": events, "_raw": raw})
        rows.append(row)
    out["tbl_ttp_trend"] = rows

    # ---- tbl_ttp_outcomes
    rows = []
    level_keys = [(TRACKS[t], lv) for t, lv in levels] + [None]
    for key in level_keys:
        if key is None:
            sp = km_spells
            gkey, track_label, level_label = "out:all", "All", "All levels"
        else:
            sp = [p for p in km_spells if (p["track"], p["level"]) == key]
            gkey = "out:%s:%d" % key
            track_label, level_label = TRACK_LABEL[key[0]], key[1]
        people = len({p["emp"] for p in sp})
        events = sum(1 for p in sp if p["outcome"] != "censor")
        f = fits.get(gkey, {})
        # each outcome's incidence steps at that outcome's times: it needs
        # min_group distinct people with that outcome
        show_o = {o: people >= min_group and
                  len({p["emp"] for p in sp if p["outcome"] == o}) >= min_group
                  for o in OUTCOMES}
        row = {"Track": track_label, "Level": level_label, "Spells": len(sp)}
        raw = {}
        for m in (12, 24, 36):
            for o in OUTCOMES:
                k = "%s by %d months" % (o.capitalize(), m)
                raw[k] = f.get("%s@%d" % (o, m))
                row[k] = raw[k] if show_o[o] else sup
        row.update({"_people": people, "_events": events, "_raw": raw,
                    "_still": {m: f.get("(s0)@%d" % m) for m in (12, 24, 36)},
                    "_counts": {o: sum(1 for p in sp if p["outcome"] == o)
                                for o in OUTCOMES + ("censor",)}})
        rows.append(row)
    out["tbl_ttp_outcomes"] = rows

    # ---- tbl_ttp_outcome_curve
    f = fits.get("out:all", {})
    people = len({p["emp"] for p in km_spells})
    with_outcome = len({p["emp"] for p in km_spells if p["outcome"] != "censor"})
    show = {st: people >= min_group and
            len({p["emp"] for p in km_spells if p["outcome"] == st}) >= min_group
            for st in OUTCOMES}
    show["(s0)"] = people >= min_group and with_outcome >= min_group
    rows = []
    for m in range(49):
        row = {"Months": m}
        for col, st in (("Promoted", "promoted"), ("Moved", "moved"), ("Left", "left"),
                        ("Still in level", "(s0)")):
            v = f.get("%s@%d" % (st, m))
            row[col] = v if show[st] else sup
        rows.append(row)
    out["tbl_ttp_outcome_curve"] = rows

    # ---- tbl_attrition_year
    hc_cache = {}

    def hc(day):
        if day not in hc_cache:
            hc_cache[day] = headcount(roles, day)
        return hc_cache[day]

    rows = []
    for track in ("all",) + TRACKS:
        for Y in years:
            jan1, dec31 = datetime.date(Y, 1, 1).toordinal(), datetime.date(Y, 12, 31).toordinal()
            pstart, pend = max(jan1, S), min(dec31, A)
            partial = pstart != jan1 or pend != dec31
            leavers = sum(1 for e in employments
                          if (track == "all" or e["track"] == track)
                          and pstart <= e["end"] <= pend and e["end"] < A)
            h0, h1 = hc(pstart)[track], hc(pend)[track]
            avg = (h0 + h1) / 2
            rate = leavers / avg if avg > 0 else None
            # annualised: rate x days in the calendar year / days covered (the
            # rate itself for a whole year)
            ann = None
            if rate is not None:
                ann = rate * (dec31 - jan1 + 1) / (pend - pstart + 1)
            show = avg >= min_group
            rows.append({"Track": "All" if track == "all" else TRACK_LABEL[track], "Year": Y,
                         "Partial year": "yes" if partial else "no", "Leavers": leavers,
                         "Headcount at start": h0, "Headcount at end": h1,
                         "Average headcount": avg,
                         "Attrition rate": rate if show else sup,
                         "Attrition rate annualised": ann if show else sup,
                         "_raw": {"rate": rate, "annualised": ann}})
    out["tbl_attrition_year"] = rows

    # ---- tbl_retention
    rows = []
    for gt, g, sel in groups:
        es = [e for e in emp_part if sel(e)]
        people = len({e["emp"] for e in es})
        events = sum(e["event"] for e in es)
        f = fits.get("ret:%s:%s" % (gt, g), {})
        raw = {"Retained at 12 months": f.get("s12"), "Retained at 24 months": f.get("s24"),
               "Retained at 36 months": f.get("s36"),
               "Median tenure (months)": months(f.get("median")),
               "95% low": months(f.get("low")), "95% high": months(f.get("high"))}
        show = people >= min_group and events >= min_group
        row = {"Group type": gt, "Group": g, "People": people, "Employments": len(es),
               "Left": events}
        for k, v in raw.items():
            row[k] = v if show else sup
        row.update({"_people": people, "_events": events, "_raw": raw,
                    "_flags": f.get("flags", 0)})
        rows.append(row)
    out["tbl_retention"] = rows

    # ---- Summary: attrition, last 12 months
    a_minus_1 = datetime.date.fromordinal(A)
    try:
        a_minus_1 = a_minus_1.replace(year=a_minus_1.year - 1).toordinal()
    except ValueError:                     # 29 February
        a_minus_1 = a_minus_1.replace(year=a_minus_1.year - 1, day=28).toordinal()
    leavers = sum(1 for e in employments if a_minus_1 < e["end"] < A)
    avg = (hc(a_minus_1)["all"] + hc(A)["all"]) / 2
    out["summary"] = {"Attrition rate, last 12 months":
                      (leavers / avg if avg > 0 else None) if avg >= min_group else sup}
    out["summary_detail"] = {"leavers": leavers, "headcount": (hc(a_minus_1)["all"], hc(A)["all"])}

    # ---- cross-check against today's tbl_ttp_level "All levels" row
    f = fits.get("ttp_all", {})
    out["check"] = {"ttp_all": {"Spells": len(km_spells),
                                "Promotions": sum(p["event"] for p in km_spells),
                                "Censored": sum(1 - p["event"] for p in km_spells),
                                "KM median (months)": months(f.get("median")),
                                "KM 95% low": months(f.get("low")),
                                "KM 95% high": months(f.get("high")),
                                "Promoted within 1 year": None if f.get("s12") is None else 1 - f["s12"],
                                "Promoted within 2 years": None if f.get("s24") is None else 1 - f["s24"],
                                "Promoted within 3 years": None if f.get("s36") is None else 1 - f["s36"]}}
    out["fit_flags"] = {k: v["flags"] for k, v in fits.items() if v.get("flags")}
    return out


# --------------------------------------------------------------------------
# Printing

def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, str):
        return "supp" if v.startswith("suppressed") else v
    if isinstance(v, float):
        return "%.6g" % v
    return str(v)


def print_table(name, rows, file=sys.stdout):
    if not rows:
        print("%s: (no rows)" % name, file=file)
        return
    cols = [k for k in rows[0] if not k.startswith("_")]
    cells = [[fmt(r.get(c)) for c in cols] for r in rows]
    width = [max(len(c), *(len(x[i]) for x in cells)) for i, c in enumerate(cols)]
    print("== %s" % name, file=file)
    print("  ".join(c.rjust(w) for c, w in zip(cols, width)), file=file)
    for x in cells:
        print("  ".join(v.rjust(w) for v, w in zip(x, width)), file=file)
    print(file=file)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--input", required=True)
    ap.add_argument("--since", required=True)
    ap.add_argument("--as-of", required=True)
    ap.add_argument("--min-group", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="print the dict as JSON")
    ap.add_argument("--keep", metavar="DIR", help="keep the data sets and R output in DIR")
    args = ap.parse_args(argv)
    res = compute(args.input, parse_when(args.since), parse_date(args.as_of), args.min_group,
                  keep_tmp=args.keep)
    if args.json:
        json.dump(res, sys.stdout, indent=1, default=str)
        print()
        return 0
    print("model:", ", ".join("%s %s" % (k, v) for k, v in res["notes"].items()))
    if res["fit_flags"]:
        print("fit flags:", res["fit_flags"])
    if res["r_messages"]:
        print("R said:", res["r_messages"])
    print()
    for name in ("tbl_ttp_period", "tbl_ttp_trend", "tbl_ttp_outcomes", "tbl_ttp_outcome_curve",
                 "tbl_attrition_year", "tbl_retention"):
        print_table(name, res[name])
    for r in res["tbl_ttp_trend"]:
        print("trend %s: reading should be %r" % (r["Track"], r["_direction"]))
    print()
    for k, v in res["summary"].items():
        print("Summary: %s = %s  (%s)" % (k, fmt(v), res["summary_detail"]))
    print("Check (compare with tbl_ttp_level 'All levels'):",
          {k: fmt(v) for k, v in res["check"]["ttp_all"].items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
