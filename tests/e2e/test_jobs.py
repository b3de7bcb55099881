"""End-to-end: --jobs N reads the same as --jobs 1, byte for byte.

The parallel read cuts each file into pieces at record ends and merges them
in file order (src/ingest/load.c). Whatever N and wherever the cuts fall,
the workbook, the issues file beside it, stderr and the exit code must be
those of --jobs 1. WR_TEST_PIECE_BYTES makes the pieces tiny (a few hundred
bytes), so that even the small fixtures are cut in many places: inside
quoted fields that hold line feeds (the cut must skip them), between the
CR and LF of a CRLF pair, right after a BOM, next to rejected and duplicate
rows. The data sets: samples/, every fixture, and a generated set reshaped
by tests/bench/reshape.py (long quoted titles with commas and line breaks,
10% CRLF rows, a BOM), with bad rows added.
"""

import os
import shutil
import subprocess
import unittest

import e2e_common as E

HERE = os.path.dirname(os.path.abspath(__file__))
RESHAPE = os.path.join(HERE, "..", "bench", "reshape.py")
PIECES = ("97", "1024")  # bytes per piece: odd and small, then less so
JOBS = ("2", "3", "7")


def run(data, out, jobs, piece=None, extra=()):
    """Run the tool; return (exit code, stderr, workbook bytes, issues bytes)."""
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    env = dict(os.environ, SOURCE_DATE_EPOCH=E.SOURCE_DATE_EPOCH)
    env.pop("WR_TEST_PIECE_BYTES", None)
    if piece:
        env["WR_TEST_PIECE_BYTES"] = piece
    book = os.path.join(out, "r.xlsx")
    p = subprocess.run([E.Config.tool, "--input", data, "--output", book, "--as-of",
                        "2026-06-30", "--jobs", jobs, "--allow-rejects", "--min-group", "3"
                        ] + list(extra),
                       env=env, capture_output=True, timeout=300)

    def read(path):
        return open(path, "rb").read() if os.path.exists(path) else None
    return p.returncode, p.stderr, read(book), read(os.path.join(out, "r.issues.csv"))


class Jobs(unittest.TestCase):
    def same_as_one_job(self, data, extra=()):
        out = E.workdir("jobs_out")
        want = run(data, out, "1", extra=extra)
        self.assertIsNotNone(want[2], "--jobs 1 wrote no workbook: %s" % want[1])
        for piece in PIECES:
            for jobs in JOBS:
                got = run(data, out, jobs, piece, extra)
                where = "%s --jobs %s, pieces of %s bytes" % (data, jobs, piece)
                self.assertEqual(got[0], want[0], where)
                self.assertEqual(got[1].decode(errors="replace"),
                                 want[1].decode(errors="replace"), where)
                self.assertTrue(got[2] == want[2], "workbook differs: " + where)
                self.assertTrue(got[3] == want[3], "issues file differs: " + where)

    def test_samples(self):
        self.same_as_one_job(E.samples())

    def test_fixtures(self):
        for name in sorted(os.listdir(E.Config.fixtures)):
            folder = os.path.join(E.Config.fixtures, name)
            if os.path.exists(os.path.join(folder, "roles.csv")):
                with self.subTest(fixture=name):
                    self.same_as_one_job(folder, ["-v"])

    def test_reshaped_generated_set(self):
        gen = os.path.join(os.path.dirname(E.Config.tool), "workforce-gen")
        plain = E.workdir("jobs_plain")
        shaped = E.workdir("jobs_shaped")
        os.rmdir(shaped)
        subprocess.run([gen, "--employees", "300", "--seed", "7", "--as-of", "2026-06-30",
                        "--out", plain], check=True, capture_output=True)
        subprocess.run(["/usr/bin/python3", RESHAPE, plain, shaped], check=True)
        with open(os.path.join(shaped, "roles.csv"), "rb") as f:
            roles = f.read()
        self.assertTrue(roles.startswith(b"\xef\xbb\xbf"))
        self.assertIn(b"\r\n", roles)
        # after the header (whose line holds no quote): rejected rows (a bad
        # level, one in a multi-line quoted field; a bad date) and a duplicate
        header, rest = roles.split(b"\n", 1)
        good = b"E9999993,Intern,Backend Engineer,ic,2,Create,2020-01-01,,"
        extra = [b'E9999991,"bad\nlevel, quoted",Backend Engineer,ic,x,Create,2020-01-01,,',
                 b"E9999992,Intern,Backend Engineer,ic,2,Create,2020-13-01,,", good, good]
        with open(os.path.join(shaped, "roles.csv"), "wb") as f:
            f.write(b"\n".join([header] + extra + [rest]))
        self.same_as_one_job(shaped, ["-v"])

    def test_broken_quote_late_in_the_file(self):
        """A stray quote in a late piece: the same error, line and exit code."""
        data = E.workdir("jobs_broken")
        shutil.copy(os.path.join(E.samples(), "roles.csv"), data)
        path = os.path.join(data, "roles.csv")
        with open(path, "rb") as f:
            rows = f.read().split(b"\n")
        rows[len(rows) * 3 // 4] = rows[len(rows) * 3 // 4].replace(b",", b',x"y,', 1)
        with open(path, "wb") as f:
            f.write(b"\n".join(rows))
        out = E.workdir("jobs_broken_out")
        want = run(data, out, "1")
        self.assertEqual(want[0], 65, want[1])
        for jobs in JOBS:
            got = run(data, out, jobs, "512")
            self.assertEqual(got[:2], want[:2])
            self.assertIsNone(got[2])


if __name__ == "__main__":
    E.parse_args_and_run_tests()
