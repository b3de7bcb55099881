"""Privacy attacks on workforce-report workbooks.

Every attack reads only what a reader of the workbook sees (the cell values
stored in the .xlsx, through openpyxl) and, where ground truth is needed to
decide whether a recovered figure is about fewer than --min-group people, the
input CSVs. Nothing here imports, reads or mirrors the tool's own privacy
code: the attacks go by table names, column headers and row labels only, so
they keep working (or fail loudly in the fire test) when the tool's privacy
rules change.

An attack is a function attack_x(book, ctx) -> list of findings; a finding is
a dict with keys attack, table, row, recovered (text) and people (how many
people the recovered figure is about, or None when that is not a count).
"""

import collections
import csv
import datetime as dt
import math
import os
import re
from fractions import Fraction

import openpyxl
from openpyxl.utils import range_boundaries

# --------------------------------------------------------------------------
# Reading the workbook
# --------------------------------------------------------------------------

_NUM_RE = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$")


def num(v):
    """The number a cell shows, or None (empty, text, date, bool)."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return float(v) if math.isfinite(v) else None
    if isinstance(v, str) and _NUM_RE.match(v):
        try:
            return float(v)
        except ValueError:
            return None
    return None


def hidden(v):
    """A cell that stands for a value the reader is not given (any text)."""
    return isinstance(v, str) and num(v) is None


def norm(h):
    return re.sub(r"\s+", " ", str(h if h is not None else "")).strip().lower()


def strip_paren(h):
    return re.sub(r"\s*\([^)]*\)", "", norm(h)).strip()


# Columns that name a row rather than measure it.
LABEL_HEADERS = {
    "track", "level", "level name", "department", "year", "start year",
    "partial year", "group type", "group", "employer", "host team", "team",
    "route", "quarter", "date", "from", "to", "months", "months in level",
    "direct reports", "metric", "from family", "to family", "from department",
    "to department", "listed option", "file", "line", "column", "severity",
    "value", "problem", "planned duration", "hired interns", "cohort",
    "start quarter", "start month", "family", "manager",
}
# Label columns left out of the key that matches rows of two runs.
UNSTABLE_LABELS = {"level name", "partial year"}

_POOLED_RE = re.compile(r"^\s*(all|total)\b", re.I)


def is_all(v):
    return isinstance(v, str) and bool(_POOLED_RE.match(v))


class Table:
    def __init__(self, name, sheet, ref, grid):
        self.name = name
        self.sheet = sheet
        self.ref = ref
        self.header = [str(h) if h is not None else "" for h in grid[0]] if grid else []
        self.h = [norm(x) for x in self.header]
        self.rows = [list(r) for r in grid[1:]]
        self.labels = [j for j, x in enumerate(self.h) if j == 0 or x in LABEL_HEADERS]
        self.keycols = [j for j in self.labels if self.h[j] not in UNSTABLE_LABELS]
        self._dec = {}

    def col(self, *names):
        """Index of the first column whose header is one of names (normalised)."""
        for n in names:
            n = norm(n)
            for j, x in enumerate(self.h):
                if x == n or strip_paren(self.header[j]) == n:
                    return j
        return None

    def cols_matching(self, pattern):
        rx = re.compile(pattern, re.I)
        return [j for j, x in enumerate(self.h) if rx.search(x)]

    def label(self, row):
        parts = [str(row[j]) for j in self.labels if row[j] is not None and row[j] != ""]
        return " / ".join(parts) if parts else "(row)"

    def key(self, row):
        return tuple(row[j] for j in self.keycols)

    def is_pooled(self, row):
        return any(is_all(row[j]) for j in self.labels)

    def half_unit(self, j):
        """Largest rounding error of one shown value in column j: 0 when the
        column is stored unrounded (8+ decimals somewhere) or holds whole
        numbers of a count-like sum; else half a unit of the last decimal."""
        if j in self._dec:
            return self._dec[j]
        best = 0
        floats = False
        for r in self.rows:
            v = r[j]
            if isinstance(v, float) and not float(v).is_integer():
                floats = True
                s = repr(v)
                if "e" in s or "E" in s:
                    best = 17
                else:
                    best = max(best, len(s.split(".")[1]))
            elif isinstance(v, str) and num(v) is not None and "." in v:
                floats = True
                best = max(best, len(v.strip().split(".")[1]))
        if best >= 8:
            err = 0.0
        elif floats:
            err = 0.5 * 10 ** (-best)
        else:
            err = None  # whole numbers only: decided by the caller
        self._dec[j] = err
        return err


class Book:
    """A workbook as its reader sees it: tables by name and every cell."""

    def __init__(self, path):
        self.path = path
        self.wb = openpyxl.load_workbook(path, data_only=True)
        self.tables = collections.OrderedDict()
        for ws in self.wb.worksheets:
            for name in ws.tables:
                ref = ws.tables[name].ref
                c1, r1, c2, r2 = range_boundaries(ref)
                grid = [[ws.cell(r, c).value for c in range(c1, c2 + 1)]
                        for r in range(r1, r2 + 1)]
                self.tables[name] = Table(name, ws.title, ref, grid)

    def sheet_tables(self, sheet):
        return [t for t in self.tables.values() if t.sheet == sheet]

    def cells(self, sheet=None):
        """(sheet title, coordinate, value) of every non-empty cell."""
        for ws in self.wb.worksheets:
            if sheet is not None and ws.title != sheet:
                continue
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None and c.value != "":
                        yield ws.title, c.coordinate, c.value

    def loose_cells(self, sheet):
        """Cells of a sheet outside its tables, as {(row, col): value}."""
        ws = self.wb[sheet]
        boxes = [range_boundaries(ws.tables[n].ref) for n in ws.tables]
        out = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                if any(b[0] <= c.column <= b[2] and b[1] <= c.row <= b[3] for b in boxes):
                    continue
                out[(c.row, c.column)] = c.value
        return out

    def summary(self):
        t = self.tables.get("tbl_summary")
        out = {}
        if t and len(t.header) >= 2:
            for r in t.rows:
                out[norm(r[0])] = r[1]
        return out


# --------------------------------------------------------------------------
# Ground truth from the input CSVs (only to count people, ids and titles)
# --------------------------------------------------------------------------

def _key(h):
    return re.sub(r"[\s\-_]+", "_", h.strip().lstrip("\ufeff").lower())


def read_csv(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as f:
        rows = list(csv.reader(f))
    if not rows:
        return []
    hdr = [_key(h) for h in rows[0]]
    return [dict(zip(hdr, r)) for r in rows[1:]]


def parse_date(s):
    try:
        return dt.date.fromisoformat((s or "").strip())
    except ValueError:
        return None


STANDARD_LEVEL_NAMES = {
    ("ic", 1): "junior", ("ic", 2): "intermediate", ("ic", 3): "senior",
    ("ic", 4): "staff", ("ic", 5): "distinguished", ("ic", 6): "fellow",
    ("management", 4): "engineering manager", ("management", 5): "director",
    ("management", 6): "vp",
}
STANDARD_NAMES = set(STANDARD_LEVEL_NAMES.values()) | {"vice president"}


class Truth:
    """What the CSVs say: every identifier, and who holds each job title."""

    def __init__(self, input_dir=None, as_of=None, since=None):
        self.ids = set()
        self.titles_now = collections.defaultdict(set)   # title -> ids on as-of
        self.titles_ever = collections.defaultdict(set)  # title -> ids in window
        self.families = set()
        self.departments = set()
        self.other_names = set()  # teams, employers, families of transfers...
        if input_dir:
            self._load(input_dir, as_of, since)

    def _load(self, d, as_of, since):
        roles = read_csv(os.path.join(d, "roles.csv"))
        for r in roles:
            eid = (r.get("employee_id") or "").strip()
            for k in ("employee_id", "manager_id"):
                v = (r.get(k) or "").strip()
                if v:
                    self.ids.add(v)
            title = r.get("role") or ""
            if r.get("family"):
                self.families.add(r["family"].strip())
            if r.get("department"):
                self.departments.add(r["department"].strip())
            if not title.strip() or not eid:
                continue
            s, e = parse_date(r.get("start_date")), parse_date(r.get("end_date"))
            if s is None:
                continue
            if as_of and s <= as_of and (e is None or e >= as_of):
                self.titles_now[title].add(eid)
            if (as_of is None or s <= as_of) and (since is None or e is None or e >= since):
                self.titles_ever[title].add(eid)
        for fn, cols in (("promotions.csv", ("employee_id",)),
                         ("transfers.csv", ("employee_id",)),
                         ("secondments.csv", ("secondee_id",)),
                         ("interns.csv", ("intern_id", "employee_id"))):
            for r in read_csv(os.path.join(d, fn)):
                for c in cols:
                    v = (r.get(c) or "").strip()
                    if v:
                        self.ids.add(v)
                for c in ("from_family", "to_family", "from_department", "to_department",
                          "team", "employer"):
                    v = (r.get(c) or "").strip()
                    if v:
                        self.other_names.add(v)

    def title_people(self, title):
        """(holders on the as-of date, holders at any time in the window)."""
        return len(self.titles_now.get(title, ())), len(self.titles_ever.get(title, ()))

    def is_title(self, v):
        return v in self.titles_ever

    def generic_name(self, v):
        """A title that is also a family, department, team or level name."""
        n = norm(v)
        return (v in self.families or v in self.departments or v in self.other_names
                or n in STANDARD_NAMES)


class Context:
    """What an attack needs besides the workbook."""

    def __init__(self, min_group=5, input_dir=None, as_of=None, since=None,
                 previous=None, truth=None):
        self.min_group = min_group
        self.input_dir = input_dir
        self.as_of = _as_date(as_of)
        self.since = _as_date(since)
        self.previous = previous  # the Book of the earlier quarterly run
        self._truth = truth

    @property
    def truth(self):
        if self._truth is None:
            self._truth = Truth(self.input_dir, self.as_of, self.since)
        return self._truth


def _as_date(v):
    if v is None or isinstance(v, dt.date):
        return v
    v = str(v)
    if re.fullmatch(r"\d{4}", v):
        return dt.date(int(v), 1, 1)
    m = re.fullmatch(r"(\d{4})-Q([1-4])", v)
    if m:
        return dt.date(int(m.group(1)), 3 * int(m.group(2)) - 2, 1)
    return dt.date.fromisoformat(v)


def finding(attack, table, row, recovered, people=None):
    return {"attack": attack, "table": table, "row": row,
            "recovered": recovered, "people": people}


def fmt(x):
    if x is None:
        return "?"
    if abs(x - round(x)) < 1e-9:
        return str(int(round(x)))
    return "%.4f" % x


# --------------------------------------------------------------------------
# Linear statistics: which columns are sums (or n x mean) over which count
# --------------------------------------------------------------------------

COUNT_PREFS = ["observed n", "n", "count", "promotions", "secondees", "started",
               "secondments", "interns", "people", "employees", "spells"]
GROUP_COUNT_PREFS = ["interns", "secondees", "started", "secondments",
                     "ic to management", "people", "employees"]
SUM_HEADERS = re.compile(r"^(merged mrs|merged merge requests|total merged mrs)$")
OUTCOME_HEADERS = re.compile(
    r"^(completed|extended|ended early|hired|offer declined|declined|no offer|"
    r"returned|stayed|returned to ic within 12 months|not returned)$")


class Spec:
    def __init__(self, kind, count, stat, sd, family, name):
        self.kind, self.count, self.stat, self.sd = kind, count, stat, sd
        self.family, self.name = family, name


def _count_for(t, prefix, prefs):
    if prefix:
        j = t.col(prefix + " n", prefix + " count")
        if j is not None:
            return j
    for p in prefs:
        j = t.col(p)
        if j is not None:
            return j
    return None


def specs(t):
    """Sum-like columns of a table: n x mean, direct sums, outcome counts."""
    out = []
    for j, name in enumerate(t.h):
        if j in t.labels:
            continue
        base = strip_paren(t.header[j])
        if re.search(r"\bmean\b", base) and "median" not in base:
            prefix = base[: base.index("mean")].strip()
            c = _count_for(t, prefix, COUNT_PREFS)
            if c is None or c == j:
                continue
            sd = t.col(*(prefix + " " + s for s in ("sd", "standard deviation"))) if prefix \
                else t.col("sd", "standard deviation")
            out.append(Spec("mean", c, j, sd, base + "|" + t.sheet, t.header[j]))
        elif SUM_HEADERS.match(base):
            c = _count_for(t, "", GROUP_COUNT_PREFS)
            if c is not None:
                out.append(Spec("sum", c, j, None, base + "|" + t.sheet, t.header[j]))
        elif OUTCOME_HEADERS.match(base):
            c = _count_for(t, "", GROUP_COUNT_PREFS)
            if c is not None and c != j:
                out.append(Spec("split", c, j, None, base + "|" + t.sheet, t.header[j]))
    return out


class Cell:
    """One row's contribution to a linear statistic."""

    def __init__(self, label, n, n_hidden, total, ss, known, err):
        self.label, self.n, self.n_hidden = label, n, n_hidden
        self.total, self.ss, self.known, self.err = total, ss, known, err


def contribution(t, row, s):
    n = num(row[s.count])
    n_hidden = n is None and row[s.count] is not None
    v = row[s.stat]
    x = num(v)
    if s.kind == "mean":
        err_unit = t.half_unit(s.stat)
        if err_unit is None:
            err_unit = 0.5  # a mean column of whole numbers is rounded
        if x is not None and n is not None:
            ss = None
            if n == 1:
                ss = x * x
            elif s.sd is not None and num(row[s.sd]) is not None and n >= 2:
                ss = (n - 1) * num(row[s.sd]) ** 2 + n * x * x
            return Cell(t.label(row), n, False, n * x, ss, True, n * err_unit)
        if n == 0:
            return Cell(t.label(row), 0, False, 0.0, 0.0, True, 0.0)
        return Cell(t.label(row), n, n_hidden, None, None, False, 0.0)
    err_unit = t.half_unit(s.stat) or 0.0
    if x is not None:
        return Cell(t.label(row), n, n_hidden, x, None, True, err_unit)
    if n == 0:
        return Cell(t.label(row), 0, False, 0.0, None, True, 0.0)
    return Cell(t.label(row), n, n_hidden, None, None, False, 0.0)


def difference(pool, children, k, allow_gap=False):
    """pool and children are Cells. If the rows whose figure is not shown hold
    fewer than k people in all, return (n_hidden, total, error, values) of
    what the differencing recovers; else None. With allow_gap, people the
    pooled figure counts but no row shows (rows left out of the table) count
    as hidden too."""
    if not pool.known or pool.n is None:
        return None
    hidden_rows = [c for c in children if not c.known]
    known = [c for c in children if c.known]
    if any(c.n is None for c in known):
        return None
    gap = 0.0
    if all(c.n is not None for c in children):
        gap = pool.n - sum(c.n for c in children)
        # a partition only: the children's counts must add up to the pool's
        if gap < -1e-9 or (gap > 1e-9 and not allow_gap):
            return None
    if not hidden_rows and gap < 0.5:
        return None
    n_u = pool.n - sum(c.n for c in known)
    if not (0.5 <= n_u < k):
        return None
    total = pool.total - sum(c.total for c in known)
    err = pool.err + sum(c.err for c in known)
    values = None
    n_u_int = int(round(n_u))
    if n_u_int == 1:
        values = [total]
    elif n_u_int == 2 and err == 0 and pool.ss is not None and all(c.ss is not None for c in known):
        q = pool.ss - sum(c.ss for c in known)
        disc = 2 * q - total * total
        if disc > -1e-6 * max(1.0, abs(q)):
            r = math.sqrt(max(disc, 0.0))
            values = [(total - r) / 2, (total + r) / 2]
    return n_u_int, total, err, values


def _describe_diff(kind, spec_name, res, hidden_labels):
    n_u, total, err, values = res
    what = "sum" if kind != "split" else "count"
    s = "%s of '%s' over hidden rows [%s] (%d people) = %s" % (
        what, spec_name, "; ".join(hidden_labels), n_u, fmt(total))
    if err:
        s += " +/- %s" % fmt(err)
    if values:
        s += "; individual values: " + ", ".join(fmt(v) for v in values)
    return s


def _precise(res, kind):
    n_u, total, err, values = res
    return err / max(n_u, 1) < 1.0


def partitions(t, prow, s):
    """The sets of rows whose figures add up to the pooled row prow."""
    fixed = {j: prow[j] for j in t.labels if prow[j] is not None and not is_all(prow[j])}
    allcols = [j for j in t.labels if is_all(prow[j])]
    cand = [r for r in t.rows if r is not prow and not t.is_pooled(r)
            and all(r[j] == v for j, v in fixed.items())]
    pool_n = num(prow[s.count])

    def fits(part):
        ns = [num(r[s.count]) for r in part]
        if pool_n is None:
            return True
        return sum(n for n in ns if n is not None) <= pool_n + 1e-9

    if cand and fits(cand):
        return [cand]
    out = []
    for j in allcols:
        groups = collections.OrderedDict()
        for r in cand:
            groups.setdefault(r[j], []).append(r)
        if len(groups) > 1:
            out = [g for g in groups.values() if fits(g)]
            if out:
                break
    return out


# --------------------------------------------------------------------------
# Attack 1: linear differencing within a table
# --------------------------------------------------------------------------

def attack_differencing(book, ctx):
    k = ctx.min_group
    out = []
    for t in book.tables.values():
        sp = specs(t)
        if not sp:
            continue
        for prow in t.rows:
            if not t.is_pooled(prow):
                continue
            for s in sp:
                pool = contribution(t, prow, s)
                for part in partitions(t, prow, s):
                    kids = [contribution(t, r, s) for r in part]
                    res = difference(pool, kids, k, allow_gap=True)
                    if res and _precise(res, s.kind):
                        hl = [c.label for c in kids if not c.known]
                        if all(c.n is not None for c in kids) and \
                                pool.n - sum(c.n for c in kids) > 0.5:
                            hl.append("rows left out of the table")
                        out.append(finding(
                            "differencing", t.name, "%s minus visible rows" % t.label(prow),
                            _describe_diff(s.kind, s.name, res, hl), res[0]))
    return out


# --------------------------------------------------------------------------
# Attack 2: across tables sharing a population
# --------------------------------------------------------------------------

def _table_total(t, s):
    """(Cell of the whole table, children Cells, whether it has a pooled row)."""
    top = [r for r in t.rows if t.is_pooled(r)
           and all(r[j] is None or is_all(r[j]) for j in t.labels)]
    if top:
        prow = top[0]
        parts = partitions(t, prow, s)
        kids = [contribution(t, r, s) for r in parts[0]] if len(parts) == 1 else None
        return contribution(t, prow, s), kids, True
    if any(t.is_pooled(r) for r in t.rows):
        return None, None, True  # pooled per sub-group only: not one population
    kids = [contribution(t, r, s) for r in t.rows]
    if kids and all(c.known and c.n is not None for c in kids):
        tot = Cell("all rows", sum(c.n for c in kids), False,
                   sum(c.total for c in kids),
                   sum(c.ss for c in kids) if all(c.ss is not None for c in kids) else None,
                   True, sum(c.err for c in kids))
        return tot, kids, False
    return None, kids, False


def attack_across_tables(book, ctx):
    k = ctx.min_group
    fams = collections.defaultdict(list)
    for t in book.tables.values():
        for s in specs(t):
            fams[s.family].append((t, s))
    out = []
    for fam, lst in fams.items():
        if len({t.name for t, _ in lst}) < 2:
            continue
        info = [(t, s) + _table_total(t, s) for t, s in lst]
        for ta, sa, tot_a, kids_a, _ in info:
            if tot_a is None or not tot_a.known:
                continue
            for tb, sb, tot_b, kids_b, pooled_b in info:
                if tb is ta or not kids_b:
                    continue
                if tot_b is not None and tot_b.known:
                    continue  # B gives its own total: within-table differencing covers it
                if any(c.n is None for c in kids_b):
                    continue
                if abs(sum(c.n for c in kids_b) - tot_a.n) > 1e-9:
                    continue  # not the same population
                res = difference(tot_a, kids_b, k)
                if res and _precise(res, sb.kind):
                    hl = [c.label for c in kids_b if not c.known]
                    out.append(finding(
                        "across_tables", tb.name,
                        "total from %s minus visible rows of %s" % (ta.name, tb.name),
                        _describe_diff(sb.kind, sb.name, res, hl), res[0]))
    return out


# --------------------------------------------------------------------------
# Attack 3: order statistics, small medians, Kaplan-Meier with few events,
# thin histogram bins
# --------------------------------------------------------------------------

def _quantile_p(base):
    """The probability a column header's statistic is the quantile of."""
    if re.search(r"\b(km|kaplan|tenure|meier)\b", base):
        return None
    if re.search(r"\b(min|minimum|shortest|lowest|fewest)\b", base):
        return 0.0
    if re.search(r"\b(max|maximum|longest|highest|most)\b", base):
        return 1.0
    if re.search(r"\bmedian\b", base):
        return 0.5
    m = re.search(r"\bp(\d{1,2})\b", base) or re.search(r"\b(\d{1,2})(st|nd|rd|th) percentile\b", base)
    if m:
        return int(m.group(1)) / 100.0
    if re.search(r"\b(q1|lower quartile|first quartile)\b", base):
        return 0.25
    if re.search(r"\b(q3|upper quartile|third quartile)\b", base):
        return 0.75
    return None


_STAT_WORDS = r"\b(min|minimum|max|maximum|median|mean|p\d{1,2}|sd|q1|q3|\d{1,2}(st|nd|rd|th) percentile)\b"


def _prefix(base):
    return re.sub(r"\s+", " ", re.sub(_STAT_WORDS, "", base)).strip()


def _count_for_quantiles(t, prefix, header):
    base = strip_paren(header)
    if "ended" in base:
        j = t.col("ended")
        if j is not None:
            return lambda r: num(r[j])
        js, ja = t.col("started"), t.col("active")
        if js is not None and ja is not None:
            return lambda r: (num(r[js]) - num(r[ja])
                              if num(r[js]) is not None and num(r[ja]) is not None else None)
    j = None
    if prefix:
        j = t.col(prefix + " n", prefix + " count")
    if j is None:
        for p in ["n", "count", "promotions", "ended", "secondees", "started",
                  "interns", "people", "managers", "employees"]:
            j = t.col(p)
            if j is not None:
                break
    if j is None:
        return None
    return lambda r: num(r[j])


def solve_order_stats(n, eqs):
    """eqs: list of (coefficients {index: Fraction}, value). Returns
    {index: value} of the sorted values x_0..x_{n-1} the equations fix."""
    m = len(eqs)
    rows = [(dict(c), v) for c, v in eqs]
    pivots = []
    r = 0
    for col in range(n):
        piv = next((i for i in range(r, m) if rows[i][0].get(col, 0) != 0), None)
        if piv is None:
            continue
        rows[r], rows[piv] = rows[piv], rows[r]
        c, v = rows[r]
        f = c[col]
        c = {kk: vv / f for kk, vv in c.items() if vv != 0}
        v = v / float(f)
        rows[r] = (c, v)
        for i in range(m):
            if i != r and rows[i][0].get(col, 0) != 0:
                ci, vi = rows[i]
                g = ci[col]
                nc = dict(ci)
                for kk, vv in c.items():
                    nc[kk] = nc.get(kk, 0) - g * vv
                nc = {kk: vv for kk, vv in nc.items() if vv != 0}
                rows[i] = (nc, vi - float(g) * v)
        pivots.append(col)
        r += 1
        if r == m:
            break
    out = {}
    for c, v in rows:
        if len(c) == 1:
            (idx, coef), = c.items()
            out[idx] = v / float(coef)
    return out


def _quantile_eq(n, p, value):
    h = Fraction(p).limit_denominator(1000) * (n - 1)
    lo = int(math.floor(h))
    frac = h - lo
    if frac == 0 or lo + 1 >= n:
        return ({min(lo, n - 1): Fraction(1)}, value)
    return ({lo: 1 - frac, lo + 1: frac}, value)


def _order_stats_row(t, row, cols, mean_col, count_fn, k):
    n = count_fn(row) if count_fn else None
    shown = [(j, _quantile_p(strip_paren(t.header[j])), num(row[j])) for j in cols]
    shown = [(j, p, v) for j, p, v in shown if v is not None]
    if not shown:
        return None
    names = ", ".join(t.header[j] for j, _, _ in shown)
    if n is None:
        # without a count, a min or max is still one person's value
        ext = [(j, v) for j, p, v in shown if p in (0.0, 1.0)]
        if ext:
            return ("%s = %s: each one person's value" % (
                ", ".join(t.header[j] for j, _ in ext), ", ".join(fmt(v) for _, v in ext)), None)
        return None
    n = int(round(n))
    if n < 1:
        return None
    eqs = [_quantile_eq(n, p, v) for _, p, v in shown]
    if mean_col is not None and num(row[mean_col]) is not None:
        eqs.append(({i: Fraction(1) for i in range(n)}, n * num(row[mean_col])))
    if n <= 40:
        fixed = solve_order_stats(n, eqs)
    else:
        fixed = {}
        for c, v in eqs:
            if len(c) == 1:
                (idx, coef), = c.items()
                fixed[idx] = v / float(coef)
    leak = {i: v for i, v in fixed.items() if i in (0, n - 1) or n < 2 * k}
    med = [(j, v) for j, p, v in shown if p == 0.5]
    msgs = []
    if leak:
        vals = ", ".join("x%d=%s" % (i + 1, fmt(v)) for i, v in sorted(leak.items()))
        if len(leak) == n:
            msgs.append("all %d sorted values recovered from %s: %s" % (n, names, vals))
        else:
            msgs.append("sorted values of individuals (of n=%d) from %s: %s" % (n, names, vals))
    if med and n < 2 * k and not any(abs(v - num(row[med[0][0]])) < 1e-12 for v in leak.values()):
        msgs.append("median %s of only n=%d (< 2 x %d): the middle person(s)" % (
            fmt(med[0][1]), n, k))
    if not msgs:
        return None
    people = min(n, len(leak)) if leak else n
    return ("; ".join(msgs), people)


KM_COLS = re.compile(
    r"(\bkm\b|kaplan|median tenure|^95% (low|high)$|retained at|promoted within|"
    r"hazard ratio|^hr 95%|^p-value$|promoted by \d+ months)")
EVENT_COLS = ["promotions", "left", "leavers", "events", "promoted"]


def _events_lookup(book, sheet, label_values):
    """Events (promotions, leavers) of the group named label_values, from a
    table on the same sheet that has an events column; prefers a table where
    one row matches."""
    best = None
    for t in book.sheet_tables(sheet):
        ej = next((t.col(e) for e in EVENT_COLS if t.col(e) is not None), None)
        if ej is None:
            continue
        hits = []
        for r in t.rows:
            vals = [r[j] for j in t.keycols if r[j] is not None]
            if all(any(v == lv or (isinstance(v, str) and isinstance(lv, str)
                                   and norm(v) == norm(lv)) for v in vals)
                   for lv in label_values):
                hits.append(num(r[ej]))
        if hits and all(h is not None for h in hits):
            cand = (len(hits) != 1, sum(hits), t.name)
            if best is None or cand < best:
                best = cand
    return None if best is None else (best[1], best[2])


_BIN_RE = re.compile(r"^\s*\d+(\.\d+)?\s*((to( under)?|-|–|up to)\s*\d+(\.\d+)?|\+|\s*or more)?\s*$", re.I)


def attack_order_statistics(book, ctx):
    k = ctx.min_group
    out = []
    for t in book.tables.values():
        # (a) quantiles and extremes of individual values
        groups = collections.defaultdict(list)
        for j in range(len(t.h)):
            if j in t.labels:
                continue
            base = strip_paren(t.header[j])
            if _quantile_p(base) is not None:
                groups[_prefix(base)].append(j)
        for prefix, cols in groups.items():
            mean_col = next((j for j in range(len(t.h)) if strip_paren(t.header[j]) in
                             ((prefix + " mean").strip(), "mean " + prefix)), None)
            count_fn = _count_for_quantiles(t, prefix, t.header[cols[0]])
            for row in t.rows:
                res = _order_stats_row(t, row, cols, mean_col, count_fn, k)
                if res:
                    out.append(finding("order_stats", t.name, t.label(row), res[0], res[1]))
        # (b) Kaplan-Meier / Aalen-Johansen / Cox figures with few events
        km = [j for j in range(len(t.h)) if j not in t.labels and KM_COLS.search(t.h[j])]
        if km:
            ej = next((t.col(e) for e in EVENT_COLS if t.col(e) is not None), None)
            for row in t.rows:
                if ej is not None:
                    e, src = num(row[ej]), t.name
                else:
                    lv = [row[j] for j in t.keycols if row[j] is not None]
                    got = _events_lookup(book, t.sheet, lv) if lv else None
                    if got is None:
                        continue
                    e, src = got
                if e is None or not (1 <= e < k):
                    continue
                shown = [j for j in km if num(row[j]) is not None]
                # a "promoted by" share of 0 says only that nobody was promoted yet
                shown = [j for j in shown if not (num(row[j]) == 0 and "promoted" in t.h[j])]
                if shown:
                    out.append(finding(
                        "km_few_events", t.name, t.label(row),
                        "%s shown with only %d events (%s): %s" % (
                            ", ".join(t.header[j] for j in shown), int(e), src,
                            ", ".join(fmt(num(row[j])) for j in shown)), int(e)))
        # (c) survival curves: a column per group
        if t.h and t.h[0] in ("months", "month", "months in level", "time (months)") and len(t.h) > 1 \
                and not _is_histogram(t):
            for j in range(1, len(t.h)):
                if is_all(t.header[j]):
                    continue
                got = _events_lookup(book, t.sheet, [t.header[j]])
                if got is None:
                    continue
                e, src = got
                vals = [num(r[j]) for r in t.rows if num(r[j]) is not None]
                if 1 <= e < k and len(set(round(v, 12) for v in vals)) > 1:
                    steps = sum(1 for a, b in zip(vals, vals[1:]) if abs(a - b) > 1e-12)
                    out.append(finding(
                        "km_few_events", t.name, "column %s" % t.header[j],
                        "curve shown for a group with %d events (%s); %d steps show "
                        "the months of individual events" % (int(e), src, steps), int(e)))
        # (d) histogram bins holding 1..k-1 people
        if _is_histogram(t):
            cj = next((j for j in range(1, len(t.h)) if all(
                num(r[j]) is not None or r[j] is None for r in t.rows)), None)
            if cj is not None:
                for r in t.rows:
                    v = num(r[cj])
                    if v is not None and 1 <= v < k:
                        out.append(finding(
                            "histogram_bin", t.name, str(r[0]),
                            "bin '%s' holds %d (%s): their values lie in it" % (
                                r[0], int(v), t.header[cj]), int(v)))
    out += _loose_stats(book, ctx)
    return out


def _is_histogram(t):
    if not t.rows or len(t.h) < 2:
        return False
    labs = [r[0] for r in t.rows]
    strs = [v for v in labs if isinstance(v, str)]
    return len(strs) == len(labs) and sum(1 for v in strs if _BIN_RE.match(v)) >= max(2, len(labs) * 0.6)


def _loose_stats(book, ctx):
    """Statistics written beside the tables, as label / value cell pairs."""
    k = ctx.min_group
    out = []
    summ = book.summary()

    def summ_num(*names):
        for key, v in summ.items():
            if any(n in key for n in names) and num(v) is not None:
                return num(v)
        return None

    promos = summ_num("promotions in the window")
    if "tbl_summary" in book.tables:
        for key, v in summ.items():
            if num(v) is None:
                continue
            if "kaplan" in key and promos is not None and 1 <= promos < k:
                out.append(finding("km_few_events", "tbl_summary", key,
                                   "%s = %s with %d promotions in the window" % (key, fmt(num(v)), promos),
                                   int(promos)))
            if "observed median" in key and promos is not None and 1 <= promos < 2 * k:
                out.append(finding("order_stats", "tbl_summary", key,
                                   "median %s of only n=%d promotions" % (fmt(num(v)), promos),
                                   int(promos)))
    for ws in book.wb.worksheets:
        cells = book.loose_cells(ws.title)
        for (r, c), lab in cells.items():
            if not isinstance(lab, str):
                continue
            v = num(cells.get((r, c + 1)))
            if v is None:
                continue
            key = norm(lab)
            n, what = _loose_population(book, ws.title, key)
            if n is None:
                continue
            if ("kaplan" in key or "km" in key.split()) and "median" in key or \
                    re.search(r"kaplan-meier 95%", key):
                if 1 <= n < k:
                    out.append(finding("km_few_events", ws.title, lab,
                                       "%s = %s with %d events (%s)" % (lab, fmt(v), n, what), int(n)))
            elif re.search(r"\b(median|percentile|p\d\d)\b", key):
                if 1 <= n < 2 * k:
                    out.append(finding("order_stats", ws.title, lab,
                                       "%s = %s over only n=%d (%s)" % (lab, fmt(v), n, what), int(n)))
            elif re.search(r"\b(min|minimum|max|maximum|shortest|longest)\b", key) and n >= 1:
                out.append(finding("order_stats", ws.title, lab,
                                   "%s = %s: one person's value" % (lab, fmt(v)), 1))
    return out


def _loose_population(book, sheet, key):
    """How many people (or events) a loose statistic on a sheet is about."""
    def total(tname, col):
        t = book.tables.get(tname)
        if not t or t.col(col) is None:
            return None
        j = t.col(col)
        vals = [num(r[j]) for r in t.rows if not t.is_pooled(r)]
        return sum(v for v in vals if v is not None) if vals else None

    if "kaplan" in key or "km" in key.split():
        t = book.tables.get("tbl_intern_careers")
        if t and sheet == t.sheet:
            for r in t.rows:
                if "promoted" in norm(r[0]):
                    return num(r[1]), "hired interns promoted"
        return None, None
    if "planned duration" in key:
        return total("tbl_secondment_policy", "secondments"), "secondments"
    if "span" in key:
        return total("tbl_span", "managers"), "managers"
    return None, None


# --------------------------------------------------------------------------
# Attack 4: two consecutive quarterly runs
# --------------------------------------------------------------------------

def attack_quarterly(book, ctx):
    prev = ctx.previous
    if prev is None:
        return []
    k = ctx.min_group
    out = []
    for name, t2 in book.tables.items():
        t1 = prev.tables.get(name)
        if t1 is None:
            continue
        rows1 = {}
        for r in t1.rows:
            rows1.setdefault(t1.key(r), r)
        for s in specs(t2):
            if s.kind == "split":
                continue
            j1s = t1.col(t2.header[s.stat])
            j1c = t1.col(t2.header[s.count])
            if j1s is None or j1c is None:
                continue
            for r2 in t2.rows:
                r1 = rows1.get(t2.key(r2))
                if r1 is None:
                    continue
                n1, n2 = num(r1[j1c]), num(r2[s.count])
                v1, v2 = num(r1[j1s]), num(r2[s.stat])
                if None in (n1, n2):
                    continue
                dn = n2 - n1
                if not (1 <= dn < k):
                    continue
                if v1 is None and n1 == 0 and r1[j1s] is None:
                    v1 = 0.0
                if v1 is None or v2 is None:
                    continue
                if s.kind == "mean":
                    total = n2 * v2 - n1 * v1
                    e1, e2 = t1.half_unit(j1s), t2.half_unit(s.stat)
                    e1 = 0.5 if e1 is None else e1
                    e2 = 0.5 if e2 is None else e2
                    err = n1 * e1 + n2 * e2
                else:
                    total = v2 - v1
                    err = (t1.half_unit(j1s) or 0.0) + (t2.half_unit(s.stat) or 0.0)
                if err / dn >= 1.0:
                    continue
                rec = "'%s' of the %d newcomers between runs: sum %s" % (s.name, int(dn), fmt(total))
                if err:
                    rec += " +/- %s" % fmt(err)
                if int(dn) == 1:
                    rec += " (one person's value)"
                rec += " [n %d->%d, %s -> %s]" % (int(n1), int(n2), fmt(v1), fmt(v2))
                out.append(finding("quarterly", name, t2.label(r2), rec, int(dn)))
    return out


# --------------------------------------------------------------------------
# Attack 5: person-level data on the Data Quality sheet, ids anywhere
# --------------------------------------------------------------------------

_DATE_RES = [re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"),
             re.compile(r"(?<!\d)(\d{2})/(\d{2})/(\d{4})(?!\d)")]


def _id_matcher(ids):
    tokens = sorted((i for i in ids if re.search(r"\d", i) and re.search(r"[A-Za-z]", i)
                     and len(i) >= 2), key=len, reverse=True)
    exact = {i for i in ids if i not in tokens}
    rx = None
    if tokens:
        rx = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(re.escape(i) for i in tokens)
                        + r")(?![A-Za-z0-9_])")

    def found(v):
        if not isinstance(v, str):
            return []
        hits = []
        if v.strip() in exact:
            hits.append(v.strip())
        if rx:
            hits += rx.findall(v)
        return hits
    return found


def _events_since(ctx, day):
    """How many event dates in the CSVs fall on or after day (and on or
    before the as-of date): role starts and ends, promotions, transfers,
    secondment starts and ends, internship starts."""
    cols = {"roles.csv": ("start_date", "end_date"), "promotions.csv": ("effective_date",),
            "transfers.csv": ("effective_date",), "secondments.csv": ("start_date", "end_date"),
            "interns.csv": ("start_date",)}
    n = 0
    for fn, wanted in cols.items():
        for r in read_csv(os.path.join(ctx.input_dir, fn)):
            for c in wanted:
                try:
                    d = dt.date.fromisoformat((r.get(c) or "").strip())
                except ValueError:
                    continue
                if d >= day and (ctx.as_of is None or d <= ctx.as_of):
                    n += 1
    return n


def _window_dates(book, ctx):
    out = set()
    for d in (ctx.as_of, ctx.since):
        if d:
            out.add(d)
    # "Data through D" under each title: an aggregate date when at least
    # min-group events fall on or after it (else it is one person's date)
    ws = book.wb.worksheets[0]
    m = re.search(r"Data through (\d{4}-\d\d-\d\d)", str(ws["A2"].value or ""))
    if m and ctx.input_dir:
        d = dt.date.fromisoformat(m.group(1))
        if _events_since(ctx, d) >= ctx.min_group:
            out.add(d)
    for key, v in book.summary().items():
        if isinstance(v, dt.datetime):
            out.add(v.date())
        elif isinstance(v, dt.date):
            out.add(v)
    return out


def _is_dq_sheet(book, title):
    if re.search(r"data quality|\bdq\b|rejected|issues", title, re.I):
        return True
    return any(t.sheet == title and t.name.startswith("tbl_dq") for t in book.tables.values())


def attack_dq_scan(book, ctx):
    truth = ctx.truth
    ids = _id_matcher(truth.ids)
    titles = [ti for ti in truth.titles_ever if ti.strip() and not truth.generic_name(ti)]
    multi = [ti for ti in titles if len(ti.split()) >= 2]
    window = _window_dates(book, ctx)
    out = []
    for ws in book.wb.worksheets:
        dq = _is_dq_sheet(book, ws.title)
        for sheet, coord, v in book.cells(ws.title):
            for i in set(ids(v)):
                out.append(finding("dq_person_data" if dq else "id_in_workbook",
                                   sheet, coord, "employee/person id %r in %r" % (i, str(v)[:80]), 1))
            if not dq:
                continue
            if isinstance(v, (dt.datetime, dt.date)):
                d = v.date() if isinstance(v, dt.datetime) else v
                if d not in window:
                    out.append(finding("dq_person_data", sheet, coord, "date %s" % d, 1))
                continue
            if not isinstance(v, str):
                continue
            for rx in _DATE_RES:
                for m in rx.finditer(v):
                    try:
                        if len(m.group(1)) == 4:
                            d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                        else:
                            d = None
                    except ValueError:
                        d = None  # an impossible date, as written in the CSV
                    if d is not None and d in window:
                        continue
                    out.append(finding("dq_person_data", sheet, coord,
                                       "date %r in %r" % (m.group(0), v[:80]), 1))
            hit = [ti for ti in titles if v.strip() == ti] or \
                  [ti for ti in multi if ti in v]
            for ti in hit[:1]:
                now, ever = truth.title_people(ti)
                out.append(finding("dq_person_data", sheet, coord,
                                   "job title %r (held by %d now, %d in the window) in %r" % (
                                       ti, now, ever, v[:80]), ever))
    return out


# --------------------------------------------------------------------------
# Attack 6: secondment and intern splits of small groups
# --------------------------------------------------------------------------

RATE_COLS = re.compile(r"(rate|95%|share|per secondee|per intern)")
PERF_COLS = re.compile(r"^merged mrs\b|merge requests")


def attack_small_splits(book, ctx):
    k = ctx.min_group
    out = []
    for t in book.tables.values():
        cj = _count_for(t, "", GROUP_COUNT_PREFS)
        if cj is None:
            continue
        outc = [j for j in range(len(t.h)) if j != cj and OUTCOME_HEADERS.match(strip_paren(t.header[j]))]
        perf = [j for j in range(len(t.h)) if j != cj and PERF_COLS.search(t.h[j])]
        rates = [j for j in range(len(t.h)) if j not in t.labels and j != cj
                 and RATE_COLS.search(t.h[j]) and j not in perf]
        if not (outc or perf):
            continue
        for r in t.rows:
            n = num(r[cj])
            if n is None or not (1 <= n < k):
                continue
            so = [j for j in outc if num(r[j]) is not None]
            if so and any(num(r[j]) for j in so):
                out.append(finding("small_split", t.name, t.label(r),
                                   "%s of %d people split by outcome: %s" % (
                                       t.header[cj], int(n),
                                       ", ".join("%s %s" % (t.header[j], fmt(num(r[j]))) for j in so)),
                                   int(n)))
            sr = [j for j in rates if num(r[j]) is not None]
            if sr:
                out.append(finding("small_split", t.name, t.label(r),
                                   "rates of a group of %d: %s" % (
                                       int(n), ", ".join("%s %s" % (t.header[j], fmt(num(r[j]))) for j in sr)),
                                   int(n)))
            sp = [j for j in perf if num(r[j]) is not None]
            if sp:
                out.append(finding("small_split", t.name, t.label(r),
                                   "performance of %d secondee(s): %s" % (
                                       int(n), ", ".join("%s %s" % (t.header[j], fmt(num(r[j]))) for j in sp)),
                                   int(n)))
    # pivot of rates by (start year, team): sizes from the cohort table
    piv = book.tables.get("tbl_interns_conversion")
    coh = book.tables.get("tbl_interns_cohort")
    if piv and coh:
        yj, tj = coh.col("start year", "year"), coh.col("team")
        nj = coh.col("ended") if coh.col("ended") is not None else coh.col("interns")
        if None not in (yj, tj, nj):
            size = {(r[yj], norm(r[tj])): num(r[nj]) for r in coh.rows}
            for r in piv.rows:
                for j in range(1, len(piv.h)):
                    v = num(r[j])
                    n = size.get((r[0], piv.h[j]))
                    if v is not None and n is not None and 1 <= n < k:
                        out.append(finding("small_split", piv.name, "%s / %s" % (r[0], piv.header[j]),
                                           "conversion %s of %d ended internships" % (fmt(v), int(n)),
                                           int(n)))
    return out


# --------------------------------------------------------------------------
# Attack 7: level names (or any cell) that are the title of a few people
# --------------------------------------------------------------------------

def attack_level_names(book, ctx):
    k = ctx.min_group
    truth = ctx.truth
    out = []
    seen = set()
    for t in book.tables.values():
        nj = t.col("level name", "title", "role", "job title")
        tj, lj = t.col("track"), t.col("level")
        for r in t.rows:
            cells = [(nj, r[nj])] if nj is not None else []
            for j, v in cells:
                if not isinstance(v, str) or not truth.is_title(v):
                    continue
                if truth.generic_name(v):
                    continue  # also a family, department or level name
                if tj is not None and lj is not None and num(r[lj]) is not None:
                    std = STANDARD_LEVEL_NAMES.get((norm(r[tj]), int(num(r[lj]))))
                    if std and norm(v) == std:
                        continue
                elif norm(v) in STANDARD_NAMES:
                    continue
                now, ever = truth.title_people(v)
                if (1 <= now < k) or (now == 0 and 1 <= ever < k):
                    out.append(finding("level_name", t.name, t.label(r),
                                       "%r is the title of %d people on the as-of date "
                                       "(%d in the window)" % (v, now, ever), now or ever))
                    seen.add((t.name, v))
    # any other cell that is exactly the title of a few people
    for sheet, coord, v in book.cells():
        if not isinstance(v, str) or not truth.is_title(v) or truth.generic_name(v):
            continue
        if any(v == s for _, s in seen):
            continue
        now, ever = truth.title_people(v)
        if (1 <= now < k) or (now == 0 and 1 <= ever < k):
            out.append(finding("level_name", sheet, coord,
                               "cell shows %r, the title of %d people on the as-of date "
                               "(%d in the window)" % (v, now, ever), now or ever))
    return out


# --------------------------------------------------------------------------
# Extra: a value statistic shown outright for a group of fewer than k
# --------------------------------------------------------------------------

VALUE_STATS = re.compile(r"(\bmean\b|\bsd\b|standard deviation|\bmedian\b|\bp\d\d\b|percentile|\bmin\b|\bmax\b)")


def attack_small_group_stats(book, ctx):
    k = ctx.min_group
    out = []
    for t in book.tables.values():
        for j in range(len(t.h)):
            if j in t.labels or not VALUE_STATS.search(t.h[j]) or KM_COLS.search(t.h[j]):
                continue
            base = strip_paren(t.header[j])
            fn = _count_for_quantiles(t, _prefix(base), t.header[j])
            if fn is None:
                continue
            for r in t.rows:
                n, v = fn(r), num(r[j])
                if v is not None and n is not None and 1 <= n < k:
                    out.append(finding("small_group_stat", t.name, t.label(r),
                                       "%s = %s over only %d" % (t.header[j], fmt(v), int(n)), int(n)))
    return out


ATTACKS = [
    ("differencing", attack_differencing),
    ("across_tables", attack_across_tables),
    ("order_statistics", attack_order_statistics),
    ("quarterly", attack_quarterly),
    ("dq_scan", attack_dq_scan),
    ("small_splits", attack_small_splits),
    ("level_names", attack_level_names),
    ("small_group_stats", attack_small_group_stats),
]


def run_all(book, ctx):
    out = []
    for name, fn in ATTACKS:
        if name == "quarterly" and ctx.previous is None:
            continue
        out += fn(book, ctx)
    return out


def format_finding(f, dataset=""):
    people = "" if f.get("people") is None else " (people: %s)" % f["people"]
    return "LEAK [%s] %s%s | %s | %s%s" % (
        f["attack"], dataset + " | " if dataset else "", f["table"], f["row"], f["recovered"], people)
