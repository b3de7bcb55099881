"""End-to-end: faults. Each ends with the documented exit code and one line
on stderr, leaves no temporary file, and leaves an earlier report of the
same name untouched.

- disk full: a 64 KB tmpfs (in a private mount namespace, `unshare -rm`);
- output folder not writable: a read-only tmpfs (root ignores file modes);
- output path is a folder;
- input file unreadable: a mode-000 roles.csv (run as nobody when root);
- out of memory at any allocation, on any thread (WR_TEST_ALLOC_FAIL);
- SIGTERM and SIGINT mid-run, also once a rejected row has opened the
  issues file, and two runs at once: roles.csv is a FIFO, so the first run
  is held in the middle of reading, deterministically.
"""

import os
import shutil
import signal
import subprocess
import time
import unittest

import e2e_common as E

OLD = b"an earlier report\n"
ROLES_HEADER = b"employee_id,role,family,track,level,department,start_date,end_date\n"
ROLE_ROW = b"E1,Junior Backend Engineer,Backend Engineer,ic,1,Create,2020-01-01,\n"
BAD_ROW = b"E2,Junior Backend Engineer,Backend Engineer,ic,x,Create,2020-01-01,\n"


def in_namespace(script):
    """Run a shell script in a private mount namespace; returns (code, out, err)."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=E.SOURCE_DATE_EPOCH, TOOL=E.Config.tool,
               FIXTURE=E.fixture("small"))
    p = subprocess.run(["unshare", "-rm", "sh", "-c", script], env=env, capture_output=True,
                       text=True, errors="replace", timeout=60)
    return p.returncode, p.stdout, p.stderr


class Disk(unittest.TestCase):
    def setUp(self):
        self.mnt = E.workdir("faults_mnt")

    def test_disk_full(self):
        code, out, err = in_namespace(
            'mount -t tmpfs -o size=16k tmpfs "%s" && printf "an earlier report\\n" > "%s/r.xlsx" '
            '&& "$TOOL" -q -i "$FIXTURE" --as-of 2024-06-30 -o "%s/r.xlsx"; echo "exit=$?"; '
            'ls -A "%s"; cat "%s/r.xlsx"' % ((self.mnt,) * 5))
        self.assertIn("exit=74", out, err)
        lines = err.strip().splitlines()
        self.assertEqual(len(lines), 1, err)
        self.assertTrue(lines[0].startswith("workforce-report: cannot write the workbook: "
                                            "No space left on device"), err)
        self.assertNotIn(".workforce-report-", out.replace(".workforce-report.lock", ""))
        self.assertIn("an earlier report", out)

    def test_output_folder_not_writable(self):
        code, out, err = in_namespace(
            'mount -t tmpfs -o ro,size=64k tmpfs "%s" && "$TOOL" -q -i "$FIXTURE" '
            '--as-of 2024-06-30 -o "%s/r.xlsx"; echo "exit=$?"' % (self.mnt, self.mnt))
        self.assertIn("exit=73", out, err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertIn("Read-only file system", err)


class Paths(unittest.TestCase):
    def test_output_path_is_a_folder(self):
        # -o names a folder; the report's name in it is taken by a folder
        work = E.workdir("faults_folder")
        target = os.path.join(work, "workforce-report-2024-06-30.xlsx")
        os.mkdir(target)
        p = E.run_tool("-q", "-i", E.fixture("small"), "--as-of", "2024-06-30", "-o", work)
        self.assertEqual(p.returncode, E.EXIT_CANTCREAT, E.describe(p))
        self.assertEqual(p.stderr.strip().splitlines(),
                         ["workforce-report: cannot write the report to '%s': it is a folder"
                          % target])
        self.assertEqual(E.temp_files(work), [])

    def test_input_unreadable(self):
        work = E.workdir("faults_unreadable")
        os.chmod(work, 0o777)
        data = os.path.join(work, "in")
        os.mkdir(data)
        os.chmod(data, 0o755)
        shutil.copy(E.fixture("small", "roles.csv"), data)
        os.chmod(os.path.join(data, "roles.csv"), 0)
        out = os.path.join(work, "out")
        os.mkdir(out)
        os.chmod(out, 0o777)
        with open(os.path.join(out, "r.xlsx"), "wb") as f:
            f.write(OLD)
        os.chmod(os.path.join(out, "r.xlsx"), 0o666)
        # root reads any file: drop to nobody then; anyone else is refused as is
        drop = (["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
                if os.geteuid() == 0 else [])
        p = subprocess.run(drop + [E.Config.tool, "-q", "-i", data, "--as-of", "2024-06-30",
                                   "-o", os.path.join(out, "r.xlsx")],
                           capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, SOURCE_DATE_EPOCH=E.SOURCE_DATE_EPOCH))
        self.assertEqual(p.returncode, 74, E.describe(p))
        self.assertEqual(p.stderr.strip().splitlines(),
                         ["workforce-report: roles.csv: cannot open: Permission denied "
                          "[E_CANNOT_READ]"])
        self.assertEqual(E.temp_files(out), [])
        with open(os.path.join(out, "r.xlsx"), "rb") as f:
            self.assertEqual(f.read(), OLD)


class OutOfMemory(unittest.TestCase):
    """WR_TEST_ALLOC_FAIL=n makes the n-th allocation fail, on whatever
    thread makes it: the worker parsing a piece, the side thread of the
    analyses or the main one. Every such run must end as memory running out
    ends: exit 70, one line that says so, no temporary file left, and no
    abort (an allocation outside alloc_catch) or crash."""

    def sweep(self, name, *args):
        work = E.workdir(name)
        out = os.path.join(work, "r.xlsx")
        env = dict(os.environ, SOURCE_DATE_EPOCH=E.SOURCE_DATE_EPOCH, WR_TEST_PIECE_BYTES="97")
        # out of memory, the run ends without freeing what it holds (alloc.h):
        # under AddressSanitizer that is no leak to report
        env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"),
                                                     "detect_leaks=0"]))
        n, ended, done = 1, 0, 0
        while done < 2:  # until two runs in a row allocate less than n times
            p = subprocess.run([E.Config.tool, "-q", "-i", E.samples(), "--since", "2022",
                                "--as-of", "2026-06-30", "-o", out] + list(args),
                               capture_output=True, text=True, timeout=120,
                               env=dict(env, WR_TEST_ALLOC_FAIL=str(n)))
            if p.returncode == 0:
                done += 1
            else:
                done = 0
                ended += 1
                self.assertEqual(p.returncode, 70, "n=%d: %s" % (n, E.describe(p)))
                lines = p.stderr.strip().splitlines()
                self.assertEqual(len(lines), 1, "n=%d: %s" % (n, p.stderr))
                self.assertRegex(lines[0], r"^workforce-report: out of memory "
                                           r"\(allocating [0-9]+ bytes\)$", "n=%d" % n)
                self.assertEqual(E.temp_files(work), [], "n=%d" % n)
                self.assertFalse(os.path.exists(out), "n=%d" % n)
            for f in (out, os.path.join(work, "r.issues.csv")):
                if os.path.exists(f):
                    os.remove(f)
            n += 1 + n // 8
        self.assertGreater(ended, 40)  # the sweep reached far into the run

    def test_one_thread(self):
        self.sweep("faults_oom_1", "--jobs", "1")

    def test_threads(self):
        self.sweep("faults_oom_3", "--jobs", "3")


class HeldRun:
    """A run whose roles.csv is a FIFO: it waits in the middle of reading
    until the test writes the rest."""

    def __init__(self, name, rows=ROLE_ROW, temps=1):
        self.work = E.workdir(name)
        self.data = os.path.join(self.work, "in")
        os.mkdir(self.data)
        os.mkfifo(os.path.join(self.data, "roles.csv"))
        self.out = os.path.join(self.work, "out")
        os.mkdir(self.out)
        self.report = os.path.join(self.out, "r.xlsx")
        with open(self.report, "wb") as f:
            f.write(OLD)
        env = dict(os.environ, SOURCE_DATE_EPOCH=E.SOURCE_DATE_EPOCH)
        self.proc = subprocess.Popen([E.Config.tool, "-q", "-i", self.data, "--as-of",
                                      "2024-06-30", "-o", self.report],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        # opening for writing waits until the tool has opened it for reading
        self.fifo = open(os.path.join(self.data, "roles.csv"), "wb", buffering=0)
        self.fifo.write(ROLES_HEADER + rows)
        deadline = time.monotonic() + 10
        while len(E.temp_files(self.out)) < temps and time.monotonic() < deadline:
            time.sleep(0.01)

    def finish(self):
        self.fifo.close()
        out, err = self.proc.communicate(timeout=30)
        return self.proc.returncode, err.decode()


class Signals(unittest.TestCase):
    def check_signal(self, sig, code):
        run = HeldRun("faults_sig%d" % sig)
        self.assertEqual(len(E.temp_files(run.out)), 1, "the run should be writing")
        run.proc.send_signal(sig)
        rc, err = run.finish()
        self.assertEqual(rc, code, err)
        self.assertEqual(err.strip().splitlines(),
                         ["workforce-report: interrupted, no report written"])
        self.assertEqual(E.temp_files(run.out), [])
        with open(run.report, "rb") as f:
            self.assertEqual(f.read(), OLD)

    def test_sigterm(self):
        self.check_signal(signal.SIGTERM, 128 + signal.SIGTERM)

    def test_sigint(self):
        self.check_signal(signal.SIGINT, 128 + signal.SIGINT)

    def test_sigterm_with_issues_file_open(self):
        # rejected rows opened the issues file: both temporary files go.
        # The reader takes 1 MiB at a time: send more than that.
        run = HeldRun("faults_sig_issues", ROLE_ROW + BAD_ROW * 16000, temps=2)
        self.assertEqual(len(E.temp_files(run.out)), 2, "workbook and issues file in flight")
        run.proc.send_signal(signal.SIGTERM)
        rc, err = run.finish()
        self.assertEqual(rc, 128 + signal.SIGTERM, err)
        self.assertEqual(err.strip().splitlines(),
                         ["workforce-report: interrupted, no report written"])
        self.assertEqual(E.temp_files(run.out), [])
        self.assertFalse(os.path.exists(E.issues_path(run.report)))


class Concurrent(unittest.TestCase):
    def test_second_run_exits_75_first_completes(self):
        run = HeldRun("faults_two")
        start = time.monotonic()
        second = E.run_tool("-q", "-i", E.fixture("small"), "--as-of", "2024-06-30", "-o",
                            run.report)
        self.assertEqual(second.returncode, E.EXIT_LOCKED, E.describe(second))
        self.assertLess(time.monotonic() - start, 5)
        self.assertIn("another run", second.stderr)
        rc, err = run.finish()
        self.assertEqual(rc, 0, err)
        with open(run.report, "rb") as f:
            self.assertEqual(f.read(2), b"PK")  # the new workbook replaced the old file
        self.assertEqual(E.temp_files(run.out), [])


if __name__ == "__main__":
    E.parse_args_and_run_tests()
