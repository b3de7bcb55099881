"""Scan every workbook the test suite produced (run last by ctest).

For each .xlsx under --root: no cell holds a formula (<f>) or a formula's
string result (t="str"), every numeric value is finite (no NaN or infinity,
which Excel rejects), and every cell whose text starts with =, +, -, @, a tab
or a CR is a plain string cell (a shared string, t="s", or an inline string,
t="inlineStr"; a cell of any other type holding such text is a fault). Read
from the XML itself, so nothing a reader library smooths over is missed.

scan(path) checks one workbook and returns its problems ([] when it passes);
tests/e2e/test_scanner.py proves that each check fires on a doctored
workbook.
"""

import argparse
import math
import os
import re
import sys
import zipfile

CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
ATTR_T = re.compile(rb'\bt="([^"]*)"')
ATTR_R = re.compile(rb'\br="([^"]*)"')
VALUE = re.compile(rb"<v>(.*?)</v>", re.S)
FORMULA = re.compile(rb"<f\b")
INLINE_TEXT = re.compile(rb"<t[^>]*>(.*?)</t>", re.S)
RISKY = ("=", "+", "-", "@", "\t", "\r")
STRING_TYPES = (b"s", b"inlineStr")


def shared_strings(z):
    try:
        xml = z.read("xl/sharedStrings.xml")
    except KeyError:
        return []
    out = []
    for si in re.findall(rb"<si>(.*?)</si>", xml, re.S):
        text = b"".join(INLINE_TEXT.findall(si)).decode("utf-8")
        out.append(text)
    return out


def scan_sheet(name, xml, strings):
    """Problems in one worksheet's XML (bytes); strings: the shared strings."""
    problems = []
    if FORMULA.search(xml):
        problems.append("%s: a formula" % name)
    for attrs, body in CELL.findall(xml):
        body = body or b""
        ref = ATTR_R.search(attrs)
        where = "%s!%s" % (name, ref.group(1).decode() if ref else "?")
        t = ATTR_T.search(attrs)
        kind = t.group(1) if t else b"n"
        v = VALUE.search(body)
        if FORMULA.search(body):
            problems.append("%s: a formula cell" % where)
        if kind == b"str":
            problems.append("%s: a formula string result" % where)
        elif kind == b"n" and v:
            raw = v.group(1)
            try:
                x = float(raw)
            except ValueError:
                problems.append("%s: number %r does not parse" % (where, raw))
                continue
            if not math.isfinite(x):
                problems.append("%s: non-finite number %r" % (where, raw))
        elif kind == b"s":
            if not v:
                problems.append("%s: a shared-string cell without a value" % where)
                continue
            try:
                index = int(v.group(1))
            except ValueError:
                problems.append("%s: shared-string index %r" % (where, v.group(1)))
                continue
            if not 0 <= index < len(strings):
                problems.append("%s: shared-string index %d out of range (%d strings)"
                                % (where, index, len(strings)))
            # a string cell: whatever its text starts with, it stays text
        elif kind not in (b"inlineStr", b"b", b"e", b"n"):
            problems.append("%s: unexpected cell type %r" % (where, kind))
        # text that looks like a formula must sit in a string cell
        if kind not in STRING_TYPES:
            text = b"".join(INLINE_TEXT.findall(body)).decode("utf-8", "replace")
            if text.startswith(RISKY):
                problems.append("%s: text %r in a cell of type %r" % (where, text, kind))
    return problems


def scan(path):
    """Every problem of the workbook at path, as text; [] when it passes."""
    problems = []
    with zipfile.ZipFile(path) as z:
        strings = shared_strings(z)
        sheets = [n for n in z.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n)]
        if not sheets:
            problems.append("no worksheets")
        for name in sheets:
            problems += scan_sheet(name, z.read(name), strings)
    return problems


def risky_strings(path):
    """How many shared strings start with = + - @ tab or CR."""
    with zipfile.ZipFile(path) as z:
        return sum(1 for s in shared_strings(z) if s.startswith(RISKY))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True, action="append")
    args = ap.parse_args()
    books = []
    for root in args.root:
        for d, _, files in os.walk(root):
            books += [os.path.join(d, f) for f in files if f.endswith(".xlsx")]
    books.sort()
    # the fault tests leave stand-in "earlier reports" that are not workbooks
    # (test_scanner.py removes its doctored ones when it ends)
    books = [b for b in books if zipfile.is_zipfile(b)]
    failed = 0
    risky = 0
    for b in books:
        problems = scan(b)
        risky += risky_strings(b)
        for p in problems:
            print("FAIL %s: %s" % (b, p))
        failed += bool(problems)
    print("%d workbooks scanned, %d text cells starting with = + - @ tab or CR, all strings"
          % (len(books), risky))
    print("%d passed, %d failed" % (len(books) - failed, failed))
    if not books:
        print("FAIL no workbooks found under %s" % args.root)
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
