"""Scan every workbook the test suite produced (run last by ctest).

For each .xlsx under --root: no cell holds a formula (<f>) or a formula's
string result (t="str"), every numeric value is finite (no NaN or infinity,
which Excel rejects), and every cell whose text starts with =, +, -, @, a tab
or a CR is a plain string cell. Read from the XML itself, so nothing a
reader library smooths over is missed.
"""

import argparse
import math
import os
import re
import sys
import zipfile

CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
ATTR_T = re.compile(rb'\bt="([^"]*)"')
VALUE = re.compile(rb"<v>(.*?)</v>", re.S)
RISKY = ("=", "+", "-", "@", "\t", "\r")


def shared_strings(z):
    try:
        xml = z.read("xl/sharedStrings.xml")
    except KeyError:
        return []
    out = []
    for si in re.findall(rb"<si>(.*?)</si>", xml, re.S):
        text = b"".join(re.findall(rb"<t[^>]*>(.*?)</t>", si, re.S)).decode("utf-8")
        out.append(text)
    return out


def scan(path):
    problems = []
    with zipfile.ZipFile(path) as z:
        strings = shared_strings(z)
        for name in z.namelist():
            if not re.match(r"xl/worksheets/sheet\d+\.xml$", name):
                continue
            xml = z.read(name)
            if b"<f>" in xml or b"<f " in xml:
                problems.append("%s: a formula" % name)
            for attrs, body in CELL.findall(xml):
                t = ATTR_T.search(attrs)
                kind = t.group(1) if t else b"n"
                v = VALUE.search(body or b"")
                if kind == b"str":
                    problems.append("%s: a formula string result" % name)
                elif kind == b"n" and v:
                    x = float(v.group(1))
                    if not math.isfinite(x):
                        problems.append("%s: non-finite number %r" % (name, v.group(1)))
                elif kind == b"s" and v:
                    text = strings[int(v.group(1))]
                    # a string cell: whatever it starts with, it stays text
                    assert isinstance(text, str)
                elif kind not in (b"s", b"n", b"inlineStr", b"b", b"e"):
                    problems.append("%s: unexpected cell type %r" % (name, kind))
    return problems


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
    books = [b for b in books if zipfile.is_zipfile(b)]
    failed = 0
    risky = 0
    for b in books:
        problems = scan(b)
        with zipfile.ZipFile(b) as z:
            risky += sum(1 for s in shared_strings(z) if s.startswith(RISKY))
        for p in problems:
            print("FAIL %s: %s" % (b, p))
        failed += bool(problems)
    if not books:
        print("FAIL no workbooks found under %s" % args.root)
        failed = 1
    print("%d workbooks scanned, %d text cells starting with = + - @ tab or CR, all strings"
          % (len(books), risky))
    print("%d passed, %d failed" % (len(books) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
