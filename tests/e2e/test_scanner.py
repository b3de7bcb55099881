"""End-to-end: the workbook scanner (scan_workbooks.py) fires.

The scanner runs last over every workbook the suite wrote; a check that
cannot fail proves nothing. Here a real workbook (the tool run on
fixtures/small with SOURCE_DATE_EPOCH) is copied and one worksheet's XML (or
the shared strings) is edited inside the zip with zipfile, the rest left
genuine. Each doctored copy must FAIL the scan with the expected problem:
a formula cell (<f>), a formula's string result (t="str", no <f>), a NaN
written as a number, an infinity written as a number, and text starting
with = in a cell that is not a string cell. Input text starting with = kept
as a plain string cell (a shared string, an inline string; no <f>) must
PASS. The untouched workbook must pass too, so that a failure is the edit's.

The doctored copies are removed after each test: the scanner's run over the
whole build tree must see only genuine workbooks.
"""

import os
import re
import shutil
import unittest
import zipfile

import e2e_common as E
import scan_workbooks as S

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"


def rewrite(src, dst, name, edit):
    """Copy the zip src to dst with member `name` passed through edit(bytes);
    the other members are copied as they are. edit must change something."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        changed = False
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == name:
                new = edit(data)
                assert new != data, "the edit of %s changed nothing" % name
                data, changed = new, True
            zout.writestr(info, data)
        assert changed, "%s not in %s" % (name, src)


def replace_first_cell(pattern, replacement):
    """An edit that replaces the first <c ...>...</c> matching pattern (bytes
    regex) with replacement (bytes, may use \\1 for the cell reference)."""
    def edit(xml):
        new, n = re.subn(pattern, replacement, xml, count=1)
        assert n == 1, "pattern %r not found" % pattern
        return new
    return edit


# The first numeric cell of the Summary sheet: <c r="A6" s="5"><v>6</v></c>
NUMBER_CELL = rb'<c r="([A-Z]+\d+)"( s="\d+")?><v>[^<]*</v></c>'
# The first shared-string cell: <c r="A1" s="1" t="s"><v>0</v></c>
STRING_CELL = rb'<c r="([A-Z]+\d+)"( s="\d+")? t="s"><v>\d+</v></c>'


class Scanner(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = E.workdir("scanner")
        cls.genuine = os.path.join(cls.work, "genuine.xlsx")
        proc = E.run_tool("--input", E.fixture("small"), "--output", cls.genuine,
                          "--as-of", "2024-06-30")
        assert proc.returncode == 0, E.describe(proc)
        cls.doctored = os.path.join(cls.work, "doctored")
        os.makedirs(cls.doctored)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.doctored, ignore_errors=True)

    def doctor(self, label, name, edit):
        dst = os.path.join(self.doctored, label + ".xlsx")
        rewrite(self.genuine, dst, name, edit)
        self.addCleanup(os.remove, dst)
        # still a zip holding every member of the genuine workbook
        with zipfile.ZipFile(dst) as a, zipfile.ZipFile(self.genuine) as b:
            self.assertEqual(a.namelist(), b.namelist())
        return S.scan(dst)

    def assertFails(self, problems, expected):
        self.assertTrue(problems, "the doctored workbook passed the scan")
        self.assertTrue(any(expected in p for p in problems),
                        "no problem mentions %r: %r" % (expected, problems))

    def test_genuine_workbook_passes(self):
        self.assertEqual(S.scan(self.genuine), [])

    def test_formula_cell_fails(self):
        problems = self.doctor("formula", SHEET, replace_first_cell(
            NUMBER_CELL, rb'<c r="\1"\2><f>1+5</f><v>6</v></c>'))
        self.assertFails(problems, "a formula")

    def test_formula_result_cell_fails(self):
        # a formula's cached string result, the <f> itself gone: only t="str" tells
        problems = self.doctor("formula_result", SHEET, replace_first_cell(
            STRING_CELL, rb'<c r="\1"\2 t="str"><v>Workforce report</v></c>'))
        self.assertFalse(any("a formula" == p.split(": ", 1)[1] for p in problems), problems)
        self.assertFails(problems, "a formula string result")

    def test_nan_number_fails(self):
        problems = self.doctor("nan", SHEET, replace_first_cell(
            NUMBER_CELL, rb'<c r="\1"\2><v>NaN</v></c>'))
        self.assertFails(problems, "non-finite number b'NaN'")

    def test_infinity_number_fails(self):
        for label, text in (("inf", b"INF"), ("minus_inf", b"-inf"), ("infinity", b"Infinity")):
            with self.subTest(text=text):
                problems = self.doctor(label, SHEET, replace_first_cell(
                    NUMBER_CELL, rb'<c r="\1"\2><v>' + text + rb"</v></c>"))
                self.assertFails(problems, "non-finite number %r" % text)

    def test_formula_text_outside_a_string_cell_fails(self):
        # text starting with = in a cell typed as a number (not s/inlineStr)
        problems = self.doctor("formula_text", SHEET, replace_first_cell(
            STRING_CELL, rb'<c r="\1"\2 t="n"><is><t>=1+1</t></is></c>'))
        self.assertFails(problems, "text '=1+1' in a cell of type")

    def test_text_starting_with_equals_as_string_passes(self):
        # a shared string that starts with = (the first, "Workforce report")
        def shared(xml):
            new = xml.replace(b"<si><t>Workforce report</t></si>",
                              b"<si><t>=HYPERLINK(\"http://x\",\"x\")</t></si>", 1)
            return new
        self.assertEqual(self.doctor("shared_equals", STRINGS, shared), [])
        # an inline string that starts with =, no <f>
        problems = self.doctor("inline_equals", SHEET, replace_first_cell(
            STRING_CELL, rb'<c r="\1"\2 t="inlineStr"><is><t>=1+1</t></is></c>'))
        self.assertEqual(problems, [])
        # and openpyxl reads both as text, not formulas
        dst = os.path.join(self.doctored, "inline_equals_check.xlsx")
        rewrite(self.genuine, dst, SHEET, replace_first_cell(
            STRING_CELL, rb'<c r="\1"\2 t="inlineStr"><is><t>=1+1</t></is></c>'))
        self.addCleanup(os.remove, dst)
        wb = E.load(dst)
        self.assertEqual(wb.worksheets[0]["A1"].value, "=1+1")
        self.assertNotEqual(wb.worksheets[0]["A1"].data_type, "f")

    def test_main_counts_a_doctored_workbook(self):
        # the scanner's command line exits 1 on a tree holding a bad workbook
        import subprocess
        import sys
        tree = os.path.join(self.doctored, "tree")
        os.makedirs(tree)
        self.addCleanup(shutil.rmtree, tree)
        shutil.copy(self.genuine, tree)
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scan_workbooks.py")
        ok = subprocess.run([sys.executable, script, "--root", tree],
                            stdout=subprocess.PIPE, universal_newlines=True)
        self.assertEqual(ok.returncode, 0, ok.stdout)
        rewrite(self.genuine, os.path.join(tree, "bad.xlsx"), SHEET, replace_first_cell(
            NUMBER_CELL, rb'<c r="\1"\2><v>NaN</v></c>'))
        bad = subprocess.run([sys.executable, script, "--root", tree],
                             stdout=subprocess.PIPE, universal_newlines=True)
        self.assertEqual(bad.returncode, 1, bad.stdout)
        self.assertIn("1 passed, 1 failed", bad.stdout)


if __name__ == "__main__":
    E.parse_args_and_run_tests()
