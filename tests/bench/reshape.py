#!/usr/bin/python3
"""Rewrite a data set into a differently shaped one with the same rows (issue 15).

    /usr/bin/python3 tests/bench/reshape.py IN_DIR OUT_DIR [--seed 1]

Every *.csv of IN_DIR (workforce-gen's output) is written to OUT_DIR with
the same rows and columns, shaped differently:

- each file starts with a UTF-8 byte-order mark;
- about 10% of the data rows end with CRLF, the others with LF (which rows
  is drawn from --seed, so the same arguments give the same bytes);
- every job title (the free-text columns role in roles.csv, from_role and
  to_role in promotions.csv) becomes a long quoted title of 60 to 240
  bytes holding commas, a line break (LF or CRLF) and, for most titles,
  doubled quotes or non-ASCII letters. The long title is a function of
  the original one alone and starts with it, so distinct titles stay
  distinct and equal ones equal: the report reads the same people in the
  same roles.

Titles are COL_TEXT columns (src/ingest/schema.c): free text of at most
CSV_MAX_FIELD (4,096) bytes of valid UTF-8, so nothing here gets a row
rejected. The output is written to OUT_DIR.tmp and renamed, so a folder
named OUT_DIR is always complete.
"""

import argparse
import csv
import os
import random
import shutil
import sys
import zlib

TITLE_COLUMNS = {
    "roles.csv": ("role",),
    "promotions.csv": ("from_role", "to_role"),
}
MIN_TITLE = 60
MAX_TITLE = 240  # well under the tool's 4,096-byte field limit
CRLF_SHARE = 0.10

FILLER = (
    "reporting to the regional lead, Zürich office",
    'known internally as the "owner, first line"',
    "covers on-call, escalations and reviews",
    "São Paulo and Kraków hubs, hybrid",
    'includes "platform, tooling" duties',
    "budget holder, up to two reports",
)


def long_title(title, cache):
    """The long form of title: a pure function of title, starting with it."""
    got = cache.get(title)
    if got is not None:
        return got
    h = zlib.crc32(title.encode("utf-8"))
    target = MIN_TITLE + h % (MAX_TITLE - MIN_TITLE + 1)
    head = "%s, %s,%s" % (title, FILLER[h % len(FILLER)], "\r\n" if h % 3 == 0 else "\n")
    tail = []
    i = h // len(FILLER)
    while len(head.encode("utf-8")) + len(", ".join(tail).encode("utf-8")) < target:
        tail.append(FILLER[i % len(FILLER)])
        i = i // 2 + 5
    data = (head + ", ".join(tail)).encode("utf-8")[:max(target, len(head.encode("utf-8")) + 8)]
    text = data.decode("utf-8", errors="ignore").rstrip(" ,")  # no cut letter, no blank end
    cache[title] = text
    return text


def reshape_file(src, dst, name, rng):
    title_cols = TITLE_COLUMNS.get(name, ())
    cache = {}
    with open(src, newline="", encoding="utf-8-sig") as fin, \
         open(dst, "w", newline="", encoding="utf-8-sig") as fout:
        reader = csv.reader(fin)
        lf = csv.writer(fout, lineterminator="\n")
        crlf = csv.writer(fout, lineterminator="\r\n")
        header = next(reader)
        lf.writerow(header)
        keys = [c.strip().lower().replace(" ", "_").replace("-", "_") for c in header]
        idx = [i for i, k in enumerate(keys) if k in title_cols]
        for row in reader:
            for i in idx:
                if i < len(row) and row[i].strip():
                    row[i] = long_title(row[i], cache)
            (crlf if rng.random() < CRLF_SHARE else lf).writerow(row)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    names = sorted(n for n in os.listdir(args.input) if n.endswith(".csv"))
    if "roles.csv" not in names:
        sys.exit("reshape.py: no roles.csv in %s: expected workforce-gen's output" % args.input)
    tmp = args.output.rstrip("/") + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    for name in names:
        rng = random.Random("%d:%s" % (args.seed, name))
        reshape_file(os.path.join(args.input, name), os.path.join(tmp, name), name, rng)
    shutil.rmtree(args.output, ignore_errors=True)
    os.rename(tmp, args.output)


if __name__ == "__main__":
    main()
