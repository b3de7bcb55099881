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
10% CRLF rows, a BOM), with bad rows added; and small inputs written here,
each with its expectations worked out by hand, cut at every offset: a BOM
and pieces smaller than it, files of a header or less, CR-only line ends,
broken quoting late in a file, runs stopped on rejects (and the rejected
file), more than ten and more than 10,000 issues, every input file, a FIFO,
and --progress.
"""

import csv
import io
import os
import re
import shutil
import stat
import threading
import subprocess
import unittest

import e2e_common as E

HERE = os.path.dirname(os.path.abspath(__file__))
RESHAPE = os.path.join(HERE, "..", "bench", "reshape.py")
PIECES = ("97", "1024")  # bytes per piece: odd and small, then less so
JOBS = ("2", "3", "7")


def run(data, out, jobs, piece=None, extra=(), allow_rejects=True):
    """Run the tool; return (exit code, stderr, workbook bytes, issues bytes,
    rejected-rows bytes), None for a file not written."""
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    env = dict(os.environ, SOURCE_DATE_EPOCH=E.SOURCE_DATE_EPOCH)
    env.pop("WR_TEST_PIECE_BYTES", None)
    env.pop("TERM", None)
    if piece:
        env["WR_TEST_PIECE_BYTES"] = str(piece)
    book = os.path.join(out, "r.xlsx")
    args = [E.Config.tool, "--input", data, "--output", book, "--as-of", "2026-06-30",
            "--jobs", str(jobs), "--min-group", "3"]
    if allow_rejects:
        args.append("--allow-rejects")
    p = subprocess.run(args + list(extra), env=env, stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=300)

    def read(path):
        if not os.path.exists(path):
            return None
        with open(path, "rb") as f:
            return f.read()
    return (p.returncode, p.stderr, read(book), read(os.path.join(out, "r.issues.csv")),
            read(os.path.join(out, "r.rejected.csv")))


def write_case(name, files):
    """A fresh input folder under --work holding files ({name: bytes})."""
    folder = E.workdir(name)
    for n, data in files.items():
        with open(os.path.join(folder, n), "wb") as f:
            f.write(data)
    return folder


def issue_rows(issues):
    """(file, line, column, code) of each row of an issues or rejected file."""
    rows = list(csv.DictReader(io.StringIO(issues.decode("utf-8"))))
    return [(r["file"], int(r["line"]) if r["line"] else 0, r["column"], r["code"])
            for r in rows]


def problem_lines(stderr):
    """stderr's lines about a data problem (they end with a [CODE])."""
    return [line for line in stderr.decode(errors="replace").splitlines()
            if re.match(r"workforce-report: [a-z-]+\.csv:\d+: (row rejected|warning|note): ",
                        line)]


ROLES_HEADER = b"employee_id,role,family,track,level,department,start_date,end_date,manager_id"

# A roles.csv of 351 bytes where every piece size meets something: a BOM, a
# blank CRLF line before the header, CRLF, CR and LF line ends, quoted
# fields holding CR, LF, CRLF, a comma and doubled quotes, a NUL byte, a
# duplicate, a future date and no line end after the last row. By hand
# (lines count LF, CRLF and lone CR alike; the header is line 2):
#   3-4   E1 quoted CRLF                  used
#   5-6   E2 quoted LF, level x           E_BAD_LEVEL (level)
#   7-8   E3 quoted CR, 2020-13-01        E_BAD_DATE (start_date)
#   9-10  E1 again, same start            E_DUPLICATE_ROW of line 3 (employee_id)
#   11-12 E4 starts 2030-01-01            used, W_FUTURE_DATED (start_date)
#   13    E5 role is a NUL byte           E_NUL_BYTE (role)
#   14    E6 track mgmt                   E_BAD_TRACK (track)
#   15-17 E7 ends before it starts        E_DATE_ORDER (end_date)
# so 8 rows read, 6 rejected, 1 warning; the row checks come in file order,
# then the duplicates and the future dates, which are checked once the
# whole file is read.
MIXED_ROWS = [b'E1,"Eng\r\nA",F,ic,1,D,2020-01-01,,',
              b'E2,"x""\n""y",F,ic,x,D,2020-01-01,,E1',
              b'E3,"a,b\r",F,ic,2,D,2020-13-01,,',
              b'E1,"Eng\r\nA",F,ic,1,D,2020-01-01,,',
              b'E4,"\n",F,ic,3,D,2030-01-01,,E9',
              b'E5,\x00,F,ic,3,D,2020-01-01,,',
              b'E6,B,F,mgmt,3,D,2020-01-01,,',
              b'E7,"\r\n\r\n",F,ic,3,D,2021-01-01,2020-01-01,']
MIXED = (b"\xef\xbb\xbf\r\n" + ROLES_HEADER + b"\r\n" + b"\r\n".join(MIXED_ROWS[:3]) + b"\n"
         + b"\r".join(MIXED_ROWS[3:6]) + b"\r" + b"\n".join(MIXED_ROWS[6:]))
MIXED_ISSUES = [("roles.csv", 5, "level", "E_BAD_LEVEL"),
                ("roles.csv", 7, "start_date", "E_BAD_DATE"),
                ("roles.csv", 13, "role", "E_NUL_BYTE"),
                ("roles.csv", 14, "track", "E_BAD_TRACK"),
                ("roles.csv", 15, "end_date", "E_DATE_ORDER"),
                ("roles.csv", 9, "employee_id", "E_DUPLICATE_ROW"),
                ("roles.csv", 11, "start_date", "W_FUTURE_DATED")]


class Jobs(unittest.TestCase):
    def same_as_one_job(self, data, extra=(), pieces=PIECES, jobs=JOBS, allow_rejects=True,
                        want=None):
        """Every jobs x pieces run gives want (default: the --jobs 1 run,
        which must write a workbook); returns want."""
        out = E.workdir("jobs_out")
        if want is None:
            want = run(data, out, "1", extra=extra, allow_rejects=allow_rejects)
            self.assertIsNotNone(want[2], "--jobs 1 wrote no workbook: %s" % want[1])
        for piece in pieces:
            for n in jobs:
                got = run(data, out, n, piece, extra, allow_rejects)
                where = "%s --jobs %s, pieces of %s bytes" % (data, n, piece)
                self.assertEqual(got[0], want[0], where)
                self.assertEqual(got[1].decode(errors="replace"),
                                 want[1].decode(errors="replace"), where)
                self.assertTrue(got[2] == want[2], "workbook differs: " + where)
                self.assertTrue(got[3] == want[3], "issues file differs: " + where)
                self.assertTrue(got[4] == want[4], "rejected file differs: " + where)
        return want

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

    def test_every_piece_size(self):
        """MIXED cut at every offset: pieces of 3 bytes (the BOM; smaller
        ones: the next test) up to one byte more than the file, which is then
        read in one piece."""
        data = write_case("jobs_mixed", {"roles.csv": MIXED})
        self.assertEqual(len(MIXED), 351)
        want = run(data, E.workdir("jobs_out"), "1")
        self.assertEqual(want[0], 0, want[1])
        self.assertEqual(issue_rows(want[3]), MIXED_ISSUES)
        self.assertIn(b"8 rows read, 6 rejected, 1 warning,", want[1])
        self.same_as_one_job(data, pieces=range(3, len(MIXED) + 2), jobs=("2",), want=want)
        self.same_as_one_job(data, pieces=(3, 4, 50, 97, 350, 351), jobs=("3", "7"), want=want)

    def test_bom_and_pieces_smaller_than_the_bom(self):
        """A piece of 1 or 2 bytes cannot hold the 3 bytes of a BOM: the BOM
        is still no part of the header, whatever the piece size."""
        rows = [b"E1,Eng,F,ic,1,D,2020-01-01,,", b"E2,Eng,F,ic,x,D,2020-01-01,,",
                b"E3,Eng,F,ic,2,D,2020-01-01,,"]
        cases = [
            # BOM, header, three rows (the second with level x, on line 3)
            ("bom_rows", b"\xef\xbb\xbf" + ROLES_HEADER + b"\n" + b"\n".join(rows) + b"\n",
             0, b"3 rows read, 1 rejected", [("roles.csv", 3, "level", "E_BAD_LEVEL")]),
            # BOM, blank lines (CRLF, LF), then the header on line 3
            ("bom_blank_lines", b"\xef\xbb\xbf\r\n\n" + ROLES_HEADER + b"\r\n"
             + b"\r\n".join(rows), 0, b"3 rows read, 1 rejected",
             [("roles.csv", 5, "level", "E_BAD_LEVEL")]),
            # MIXED (above): a BOM, a blank line, the header on line 2
            ("mixed", MIXED, 0, b"8 rows read, 6 rejected, 1 warning,", MIXED_ISSUES),
            # BOM and header, no line end: a header alone
            ("bom_header", b"\xef\xbb\xbf" + ROLES_HEADER, 0, b"0 rows read", None),
            # the BOM alone: no header
            ("bom_only", b"\xef\xbb\xbf", 65, b"[E_EMPTY_FILE]", None),
        ]
        for name, data, code, said, issues in cases:
            with self.subTest(case=name):
                folder = write_case("jobs_" + name, {"roles.csv": data})
                want = run(folder, E.workdir("jobs_out"), "1")
                self.assertEqual(want[0], code, want[1])
                self.assertIn(said, want[1])
                if issues:
                    self.assertEqual(issue_rows(want[3]), issues)
                self.same_as_one_job(folder, pieces=(1, 2), jobs=("2", "3"), want=want)

    def test_small_files_every_piece_size(self):
        """Files of a header or less, cut everywhere: header only, without a
        line end, followed by blank lines, an empty file, blank lines only,
        CR-only line ends (no LF: the file is one piece)."""
        row = b"E1,Eng,F,ic,1,D,2020-01-01,,"
        cases = [
            ("header_only", ROLES_HEADER + b"\n", 0, b"0 rows read"),
            ("header_no_line_end", ROLES_HEADER, 0, b"0 rows read"),
            ("header_blank_lines", ROLES_HEADER + b"\n\n\r\n\r\r\n", 0, b"0 rows read"),
            ("blank_lines_header_row", b"\r\n\n\r" + ROLES_HEADER + b"\n" + row, 0,
             b"1 row read, 0 rejected"),
            ("cr_only", ROLES_HEADER + b"\r" + row + b"\r" + row.replace(b"E1", b"E2")
             + b"\r", 0, b"2 rows read, 0 rejected"),
            ("empty", b"", 65, b"[E_EMPTY_FILE]"),
            ("blank_lines_only", b"\n\r\n\r" * 10, 65, b"[E_EMPTY_FILE]"),
        ]
        for name, data, code, said in cases:
            with self.subTest(case=name):
                folder = write_case("jobs_" + name, {"roles.csv": data})
                want = run(folder, E.workdir("jobs_out"), "1")
                self.assertEqual(want[0], code, want[1])
                self.assertIn(said, want[1])
                self.same_as_one_job(folder, pieces=range(1, len(data) + 2), jobs=("2",),
                                     want=want)

    def test_broken_quoting_every_piece_size(self):
        """Broken quoting late in the file, cut at every fifth offset: the
        run stops with the code and the line where the record starts, as
        --jobs 1 does; rows before it are reported as they were found."""
        rows = [b'E%d,"Eng,\r\nA",F,ic,%s,D,2020-01-%02d,,' % (i, b"x" if i % 4 == 0 else b"2",
                                                             i + 1) for i in range(12)]
        body = ROLES_HEADER + b"\n" + b"\n".join(rows) + b"\n"
        # each row takes two lines: row i starts on line 2 + 2i; the bad
        # record comes after the twelve rows, on line 26
        cases = [
            ("text_after_quote", body + b'E90,"Eng"x,F,ic,1,D,2020-01-01,,\n' + rows[1]
             + b"\n", 26, "E_BROKEN_QUOTE"),
            ("quote_in_unquoted", body + b'E91,En"g,F,ic,1,D,2020-01-01,,\n' + rows[1]
             + b"\n", 26, "E_BROKEN_QUOTE"),
            ("quote_after_quoted_lines", body + b'E92,"A\nB"C,F,ic,1,D,2020-01-01,,\n'
             + rows[1] + b"\n", 26, "E_BROKEN_QUOTE"),
            ("unclosed_at_end", body + b'E93,"never closed,F,ic,1,D,2020-01-01,,\n',
             26, "E_UNCLOSED_QUOTE"),
            ("unclosed_no_line_end", body + b'E94,"never closed', 26, "E_UNCLOSED_QUOTE"),
            # rows without a quote after the open one: all inside it
            ("unclosed_then_rows", body + b'E95,"open,F,ic,1,D,2020-01-01,,\n'
             + b"\n".join(row.replace(b'"', b"") for row in rows) + b"\n", 26,
             "E_UNCLOSED_QUOTE"),
        ]
        for name, data, line, code in cases:
            with self.subTest(case=name):
                folder = write_case("jobs_" + name, {"roles.csv": data})
                want = run(folder, E.workdir("jobs_out"), "1", extra=["-v"])
                self.assertEqual(want[0], E.EXIT_DATA, want[1])
                last = want[1].decode().splitlines()[-1]
                self.assertTrue(last.startswith("workforce-report: roles.csv:%d: " % line), last)
                self.assertTrue(last.endswith("[%s]" % code), last)
                # rows 0, 4 and 8 (lines 2, 10, 18) have level x
                self.assertEqual([p.split(":")[2] for p in problem_lines(want[1])],
                                 ["2", "10", "18"])
                self.assertIsNone(want[2])
                self.same_as_one_job(folder, ["-v"], pieces=range(3, len(data) + 2, 5),
                                     jobs=("3",), want=want)

    def test_rejects_stop_the_run(self):
        """More than half the rows rejected (no --allow-rejects), and
        --strict: exit 65, no workbook, the same rejected-rows file."""
        rows = [b"E%03d,Eng,F,ic,%s,D,2020-01-%02d,," % (i, b"x" if i % 3 else b"2", 1 + i % 28)
                for i in range(60)]
        folder = write_case("jobs_rejects", {"roles.csv": ROLES_HEADER + b"\n"
                                             + b"\n".join(rows) + b"\n"})
        out = E.workdir("jobs_out")
        for extra, allow in (([], False), (["--strict"], True)):
            with self.subTest(extra=extra):
                want = run(folder, out, "1", extra=extra, allow_rejects=allow)
                # rows 1, 2, 4, 5, ...: 40 of the 60 have level x
                self.assertEqual(want[0], E.EXIT_DATA, want[1])
                self.assertIsNone(want[2])
                self.assertEqual(len(issue_rows(want[4])), 40)
                self.assertEqual(issue_rows(want[4])[0], ("roles.csv", 3, "level", "E_BAD_LEVEL"))
                self.same_as_one_job(folder, extra, pieces=(97, 1024), allow_rejects=allow,
                                     want=want)

    def test_rejects_with_a_date_format_hint(self):
        """Most dates written DD/MM/YYYY: the message that stops the run
        names the --date-format that reads them, counted over every piece."""
        rows = [b"E%03d,Eng,F,ic,2,D,%02d/%02d/2020,," % (i, 13 + i % 15, 1 + i % 12)
                for i in range(50)]
        rows += [b"E%03d,Eng,F,ic,2,D,2020-01-01,," % i for i in range(100, 110)]
        folder = write_case("jobs_dmy", {"roles.csv": ROLES_HEADER + b"\n"
                                         + b"\n".join(rows) + b"\n"})
        want = run(folder, E.workdir("jobs_out"), "1", allow_rejects=False)
        # days 13-27 are no months: only dmy reads them
        self.assertEqual(want[0], E.EXIT_DATA, want[1])
        self.assertIn(b"roles.csv: 50 of its 60 rows rejected (the dates look like "
                      b"--date-format dmy)", want[1])
        self.same_as_one_job(folder, pieces=(97, 300), allow_rejects=False, want=want)

    def test_more_than_ten_and_ten_thousand_issues(self):
        """10,050 rejected rows: stderr shows the first ten and says how
        many more (-v: all of them); the issues file lists all 10,050 though
        the kept list stops at 10,000."""
        lines = [ROLES_HEADER]
        for i in range(10200):
            level = b"x" if i < 10050 else b"2"
            lines.append(b"E%05d,Eng,F,ic,%s,D,2020-01-01,," % (i, level))
        folder = write_case("jobs_many", {"roles.csv": b"\n".join(lines) + b"\n"})
        want = run(folder, E.workdir("jobs_out"), "1")
        self.assertEqual(want[0], 0, want[1])
        shown = problem_lines(want[1])
        self.assertEqual(len(shown), 10)
        self.assertTrue(shown[0].startswith("workforce-report: roles.csv:2: row rejected"))
        self.assertIn(b"... 10040 more data problems not shown here", want[1])
        rows = issue_rows(want[3])
        self.assertEqual(len(rows), 10050)
        self.assertEqual(rows[-1], ("roles.csv", 10051, "level", "E_BAD_LEVEL"))
        self.same_as_one_job(folder, pieces=(4096, 100000), jobs=("2", "3"), want=want)
        want = run(folder, E.workdir("jobs_out"), "1", extra=["-v"])
        self.assertEqual(len(problem_lines(want[1])), 10050)
        self.same_as_one_job(folder, ["-v"], pieces=(4096,), jobs=("3",), want=want)

    def test_every_file(self):
        """Every input file, cut small: levels.csv and lateral-options.csv
        (quoted line breaks), interns whose employee ids are in roles.csv (or
        not), managers named before their own rows, and duplicates and
        future dates in each file, in pieces apart from their first."""
        roles = [ROLES_HEADER]
        for i in range(60):
            # managers E00059..E00053 are named from line 2 on; their own
            # rows are the last ones
            roles.append(b"E%05d,Backend Engineer,Backend Engineer,ic,%d,Create,20%02d-%02d-01,,"
                         b"E%05d" % (i, 1 + i % 5, 10 + i % 12, 1 + i % 12, 59 - i % 7))
        roles.append(roles[4])     # line 62: duplicate of line 5
        roles.append(b"E00070,Eng,F,ic,2,Create,2031-01-01,,E00001")   # line 63: future
        promotions = [b"employee_id,effective_date,from_level,to_level,from_role,to_role"]
        for i in range(40):
            promotions.append(b'E%05d,2020-0%d-01,%d,%d,"A\nB","C, D"' % (i, 1 + i % 9, 1 + i % 3,
                                                                        2 + i % 3))
        promotions.append(promotions[1])
        transfers = [b"employee_id,effective_date,from_family,to_family,from_department,"
                     b"to_department"]
        for i in range(0, 80, 2):
            transfers.append(b"E%05d,2021-0%d-01,Backend Engineer,Frontend Engineer,Create,"
                             b"Verify" % (i, 1 + i % 9))
        transfers.append(b"E00002,2032-02-02,A,B,C,D")
        secondments = [b"secondee_id,employer,team,start_date,planned_end_date,end_date,"
                       b"merged_mrs"]
        for i in range(40):
            secondments.append(b"S%03d,Acme,Geo,2022-0%d-01,2022-12-01,,%d"
                               % (i % 20, 1 + i % 9, i))
        interns = [b"intern_id,team,start_date,end_date,outcome,route,employee_id"]
        for i in range(40):
            hired = i % 2 == 1
            interns.append(b"I%04d,backend,2019-0%d-01,2019-12-01,%s,application,%s" % (
                i, 1 + i % 9, b"hired" if hired else b"no_offer",
                b"E%05d" % (i * 3) if hired else b""))
        interns.append(b"I9999,backend,2019-02-01,,hired,,E77777")
        interns.append(interns[1])
        levels = [b"track,level,name"]
        for track in (b"ic", b"management", b"IC", b"bogus"):
            for level in range(0, 14):
                levels.append(b"%s,%d,Name %d %s" % (track, level, level, track))
        lateral = [b"from_family,to_family"]
        for i in range(40):
            lateral.append(b'"Family, %d","To\r\n%d"' % (i, i))
        # the one option the transfers take, in the last piece
        lateral += [b"a,", b",b", b"Backend Engineer,Frontend Engineer"]
        files = {"roles.csv": roles, "promotions.csv": promotions, "transfers.csv": transfers,
                 "secondments.csv": secondments, "interns.csv": interns, "levels.csv": levels,
                 "lateral-options.csv": lateral}
        folder = write_case("jobs_every_file", {n: b"\n".join(rows) + b"\n"
                                                for n, rows in files.items()})
        want = run(folder, E.workdir("jobs_out"), "1", extra=["-v"])
        self.assertEqual(want[0], 0, want[1])
        found = issue_rows(want[3])
        for issue in (("roles.csv", 62, "employee_id", "E_DUPLICATE_ROW"),
                      ("roles.csv", 63, "start_date", "W_FUTURE_DATED"),
                      ("promotions.csv", 82, "employee_id", "E_DUPLICATE_ROW"),
                      ("transfers.csv", 42, "effective_date", "W_FUTURE_DATED"),
                      ("interns.csv", 43, "intern_id", "E_DUPLICATE_ROW"),
                      # IC written twice (ic, IC): the second 1-12 are duplicates
                      ("levels.csv", 31, "track", "E_DUPLICATE_ROW")):
            self.assertIn(issue, found)
        self.same_as_one_job(folder, ["-v"])

    def test_fifo_input(self):
        """A FIFO has no size: it is read on one thread, as --jobs 1 reads
        the same bytes from a regular file."""
        data = write_case("jobs_fifo_plain", {"roles.csv": MIXED})
        want = run(data, E.workdir("jobs_out"), "1")
        fifo_dir = E.workdir("jobs_fifo")
        path = os.path.join(fifo_dir, "roles.csv")
        os.mkfifo(path)
        self.assertTrue(stat.S_ISFIFO(os.stat(path).st_mode))

        def feed():
            with open(path, "wb") as f:
                f.write(MIXED)
        for jobs in ("3", "7"):
            writer = threading.Thread(target=feed, daemon=True)
            writer.start()
            got = run(fifo_dir, E.workdir("jobs_out"), jobs, 97)
            writer.join(timeout=60)
            self.assertEqual(got[0], want[0], got[1])
            self.assertEqual(got[1], want[1])
            self.assertEqual(issue_rows(got[3]), MIXED_ISSUES)

    def test_progress_lines(self):
        """--progress (stderr not a terminal) says how far each file was
        read: the same lines whatever --jobs, as every other message."""
        self.same_as_one_job(E.samples(), ["--progress"], pieces=(97,), jobs=("2",))


if __name__ == "__main__":
    E.parse_args_and_run_tests()
