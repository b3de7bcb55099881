"""End-to-end: the workbook as a reader sees it (issue "A workbook leadership
reads in ten seconds"), on every sheet but the Summary (its own dashboard,
tests/e2e/test_dashboard.py).

On samples/ (--since 2022), fixtures/programmes (interns and secondments
whose rates are shown) and, when workforce-gen sits beside the tool, a
generated set of 2,000 employees:

- every chart starts at column J or before and covers no cell that holds
  data and no table;
- the value axis of every bar, column and line chart starts at 0 (the level
  pyramid, IC drawn left of the axis, is symmetric about 0 instead);
- the pyramid is a bar chart with its series back to back;
- every sheet prints landscape with a print area, the title rows repeated
  and a footer with the sheet name, "Page x of y" and "Confidential";
  fitted to one or two pages wide only while the print keeps 62% of its
  size; no page break cuts a chart;
- a table's header is right-aligned over a column of numbers and not over
  text; the first table's header is frozen;
- Totals are Excel total rows (outside the sort and the filter), written
  as numbers;
- nothing is written to the right of the tables (explanations go above).
"""

import datetime
import os
import posixpath
import re
import subprocess
import unittest
import zipfile

from openpyxl.utils import get_column_letter, range_boundaries

import e2e_common as E

LAST_CHART_COL = 9  # J, 0-based
# words in place of a statistic: hidden by the privacy rules, or a rate
# over less than one person (report.h report_stat)
SUPPRESSED = re.compile(r"^(suppressed \(n<\d+\)|under 1 person)$")
PRINT_WIDTH_PX = 988.0  # A4 landscape inside the default margins, at 100%
MIN_SCALE = 0.62


def col_px(width):
    if width is None:
        width = 8.43
    return int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)


def chart_files_by_sheet(path):
    """Sheet title -> list of chart XML texts, through the package's rels."""
    out = {}
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        wbx = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        targets = dict(re.findall(r'<Relationship Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
        for title, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="([^"]+)"', wbx):
            sheet = posixpath.normpath(posixpath.join("xl", targets[rid]))
            srels = posixpath.join(posixpath.dirname(sheet), "_rels",
                                   posixpath.basename(sheet) + ".rels")
            charts = []
            if srels in names:
                for target in re.findall(r'Target="([^"]+drawing\d+\.xml)"',
                                         z.read(srels).decode()):
                    drawing = posixpath.normpath(posixpath.join(posixpath.dirname(sheet), target))
                    drels = posixpath.join(posixpath.dirname(drawing), "_rels",
                                           posixpath.basename(drawing) + ".rels")
                    if drels not in names:
                        continue
                    for ct in re.findall(r'Target="([^"]+chart\d+\.xml)"', z.read(drels).decode()):
                        chart = posixpath.normpath(posixpath.join(posixpath.dirname(drawing), ct))
                        charts.append(z.read(chart).decode())
            out[title.replace("&amp;", "&")] = charts
    return out


def sheet_xml_by_title(path):
    with zipfile.ZipFile(path) as z:
        wbx = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        targets = dict(re.findall(r'<Relationship Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
        return {title: z.read(posixpath.normpath(posixpath.join("xl", targets[rid]))).decode()
                for title, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="([^"]+)"',
                                             wbx)}


def chart_title(xml):
    return "".join(re.findall(r"<a:t>([^<]*)</a:t>",
                              re.search(r"<c:title>.*?</c:title>", xml, re.S).group(0)))


def table_boxes(ws):
    """(name, min_col, min_row, max_col, max_row), 1-based, of each table."""
    return [(name,) + tuple(range_boundaries(ws.tables[name].ref)) for name in ws.tables]


class Layout:
    """The checks, on the workbook self.path (self.wb loaded from it)."""

    def sheets(self):
        return [ws for ws in self.wb.worksheets if ws.title != "Summary"]

    def test_charts_within_the_first_screen_and_off_the_data(self):
        seen = 0
        for ws in self.sheets():
            boxes = table_boxes(ws)
            for chart in ws._charts:
                seen += 1
                a = chart.anchor
                c1, r1 = a._from.col, a._from.row      # 0-based
                c2, r2 = a.to.col, a.to.row
                with self.subTest(sheet=ws.title, at="%s%d" % (get_column_letter(c1 + 1), r1 + 1)):
                    self.assertLessEqual(c1, LAST_CHART_COL)
                    for name, tc1, tr1, tc2, tr2 in boxes:
                        overlap = (c1 + 1 <= tc2 and tc1 <= c2 + 1 and
                                   r1 + 1 <= tr2 and tr1 <= r2 + 1)
                        self.assertFalse(overlap, "covers %s" % name)
                    covered = [ws.cell(r, c).coordinate
                               for r in range(r1 + 1, r2 + 2) for c in range(c1 + 1, c2 + 2)
                               if ws.cell(r, c).value not in (None, "")]
                    self.assertEqual(covered, [], "covers cells with data")
        self.assertGreater(seen, 0)

    def test_value_axes_start_at_zero(self):
        for title, charts in chart_files_by_sheet(self.path).items():
            if title == "Summary":
                continue
            for xml in charts:
                name = chart_title(xml)
                with self.subTest(sheet=title, chart=name):
                    kinds = re.findall(r"<c:(barChart|lineChart|areaChart)>", xml)
                    self.assertTrue(kinds, "a bar, column, line or area chart")
                    if kinds[0] == "areaChart":
                        continue  # libxlsxwriter 1.1.4 sets no minimum on an area chart
                    val = re.search(r"<c:valAx>.*?</c:valAx>", xml, re.S).group(0)
                    lo = re.search(r'<c:min val="([^"]+)"/>', val)
                    self.assertIsNotNone(lo, "a minimum on the value axis")
                    if "pyramid" in name.lower():
                        hi = re.search(r'<c:max val="([^"]+)"/>', val)
                        self.assertGreater(float(hi.group(1)), 0)
                        self.assertEqual(float(lo.group(1)), -float(hi.group(1)))
                        self.assertIn('<c:barDir val="bar"/>', xml)
                        self.assertIn('<c:overlap val="100"/>', xml)
                    else:
                        self.assertEqual(float(lo.group(1)), 0)

    def test_print_setup(self):
        xml = sheet_xml_by_title(self.path)
        for ws in self.wb.worksheets:
            with self.subTest(sheet=ws.title):
                self.assertEqual(ws.page_setup.orientation, "landscape")
                self.assertTrue(ws.print_area)
                footer = re.search(r"<headerFooter>(.*?)</headerFooter>", xml[ws.title], re.S)
                self.assertIsNotNone(footer)
                for part in ("&amp;A", "&amp;P", "&amp;N", "Confidential"):
                    self.assertIn(part, footer.group(1))
                if ws.title == "Summary":
                    continue  # the dashboard prints on one page of its own
                self.assertEqual(ws.print_title_rows, "$1:$2")
                # fitted to pages wide only while the print stays legible
                fit = ws.sheet_properties.pageSetUpPr
                if fit is not None and fit.fitToPage:
                    wide = ws.page_setup.fitToWidth or 1
                    self.assertIn(wide, (1, 2))
                    self.assertEqual(ws.page_setup.fitToHeight, 0)
                    area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
                    c1, _, c2, _ = range_boundaries(area.split("!")[-1].replace("$", ""))
                    px = sum(col_px(ws.column_dimensions[get_column_letter(c)].width
                                    if get_column_letter(c) in ws.column_dimensions else None)
                             for c in range(c1, c2 + 1))
                    self.assertGreaterEqual(wide * PRINT_WIDTH_PX / px, MIN_SCALE, ws.title)

    def test_page_breaks_never_cut_a_chart(self):
        for ws in self.sheets():
            breaks = [b.id for b in ws.row_breaks.brk]
            with self.subTest(sheet=ws.title):
                self.assertEqual(breaks, sorted(set(breaks)))
                for chart in ws._charts:
                    top, bottom = chart.anchor._from.row, chart.anchor.to.row
                    for b in breaks:  # a page starts at 0-based row b
                        self.assertFalse(top < b <= bottom, (b, top, bottom))

    def test_print_titles_defined(self):
        with zipfile.ZipFile(self.path) as z:
            wbx = z.read("xl/workbook.xml").decode()
        titles = re.findall(r'<definedName name="_xlnm.Print_Titles"[^>]*>([^<]*)<', wbx)
        self.assertEqual(len(titles), len(self.wb.worksheets))

    def test_headers_sit_on_their_column(self):
        checked = 0
        for ws in self.sheets():
            for name in ws.tables:
                t = ws.tables[name]
                c1, r1, c2, r2 = range_boundaries(t.ref)
                last = r2 - (t.totalsRowCount or 0)
                for c in range(c1, c2 + 1):
                    values = [ws.cell(r, c).value for r in range(r1 + 1, last + 1)]
                    values = [v for v in values if v is not None]
                    figures = (int, float, datetime.date)  # dates are numbers to Excel
                    numbers = [v for v in values if isinstance(v, figures) or
                               (isinstance(v, str) and SUPPRESSED.match(v))]
                    header = ws.cell(r1, c)
                    with self.subTest(table=name, column=header.value):
                        if values and len(numbers) == len(values) and \
                                any(isinstance(v, figures) for v in values):
                            self.assertEqual(header.alignment.horizontal, "right")
                            self.assertTrue(header.alignment.wrap_text)
                            checked += 1
                        elif values and not numbers:
                            self.assertNotEqual(header.alignment.horizontal, "right")
        self.assertGreater(checked, 0)

    def test_first_header_frozen(self):
        for ws in self.sheets():
            if not ws.tables:
                continue
            with self.subTest(sheet=ws.title):
                top = min(range_boundaries(ws.tables[n].ref)[1] for n in ws.tables)
                self.assertEqual(ws.freeze_panes, "A%d" % (top + 1))

    def test_totals_are_total_rows(self):
        for name in ("tbl_split_department", "tbl_interns_cohort"):
            found = [ws for ws in self.wb.worksheets if name in ws.tables]
            if not found:
                continue
            ws = found[0]
            t = ws.tables[name]
            with self.subTest(table=name):
                self.assertEqual(t.totalsRowCount, 1)
                c1, r1, c2, r2 = range_boundaries(t.ref)
                self.assertEqual(ws.cell(r2, c1).value, "Total")
                # the filter (and a sort) stops above the total row
                self.assertEqual(range_boundaries(t.autoFilter.ref)[3], r2 - 1)
                for c in range(c1 + 1, c2 + 1):
                    v = ws.cell(r2, c)
                    self.assertNotEqual(v.data_type, "f")

    def test_nothing_right_of_the_tables(self):
        for ws in self.sheets():
            hidden = {c for d in ws.column_dimensions.values() if d.hidden
                      for c in range(d.min, d.max + 1)}
            boxes = table_boxes(ws)
            limit = 3 if ws.title == "About" else 2  # A:B (a label and its figure)
            with self.subTest(sheet=ws.title):
                for row in ws.iter_rows():
                    for cell in row:
                        if cell.value in (None, "") or cell.column in hidden:
                            continue
                        if any(b[1] <= cell.column <= b[3] and b[2] <= cell.row <= b[4]
                               for b in boxes):
                            continue
                        self.assertLessEqual(cell.column, limit, cell.coordinate)


def written(name, *args):
    """Run the tool into a fresh work folder `name`; it must succeed.
    Returns the workbook's path and the workbook."""
    path = os.path.join(E.workdir(name), "r.xlsx")
    proc = E.run_tool("--output", path, *args)
    assert proc.returncode == 0, E.describe(proc)
    return path, E.load(path)


class Samples(Layout, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.path, cls.wb = written("layout_samples", "--input", E.samples(), "--since", "2022",
                                   "--as-of", "2026-06-30")

    def test_level_tables_split(self):
        """A leader reads n, the estimate and its interval; the observed
        times are in a detail table of their own."""
        for name in ("tbl_ttp_level", "tbl_ttp_department"):
            header, _ = E.table_rows(self.wb, name)
            detail, _ = E.table_rows(self.wb, name + "_detail")
            self.assertFalse(any(h.startswith("Observed") for h in header), header)
            self.assertTrue(all(h.startswith("Observed") for h in detail[-6:]), detail)
            self.assertLessEqual(len(header), 12)

    def test_quarter_charts_labelled_by_year(self):
        charts = chart_files_by_sheet(self.path)
        for title in ("IC vs Management", "Promotions", "Transfers"):
            for xml in charts[title]:
                if "quarter" not in chart_title(xml).lower():
                    continue
                with self.subTest(sheet=title, chart=chart_title(xml)):
                    cache = re.search(r"<c:cat>.*?</c:cat>", xml, re.S).group(0)
                    labels = re.findall(r"<c:v>([^<]*)</c:v>", cache)
                    self.assertTrue(labels)
                    self.assertTrue(all(re.fullmatch(r"\d{4}", v) for v in labels), labels)


class Programmes(Layout, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.path, cls.wb = written("layout_programmes", "--input", E.fixture("programmes"),
                                   "--since", "2024-01-01", "--as-of", "2024-12-31",
                                   "--min-group", "1", "--no-privacy")

    def test_interval_charts(self):
        """The Wilson rates are drawn with their limits: a box from the low
        to the high limit, split at the rate."""
        charts = chart_files_by_sheet(self.path)
        for sheet in ("Interns", "Secondments"):
            boxes = [x for x in charts[sheet] if "95% interval" in chart_title(x)]
            with self.subTest(sheet=sheet):
                self.assertEqual(len(boxes), 1)
                self.assertIn('<c:grouping val="stacked"/>', boxes[0])
                self.assertEqual(boxes[0].count("<c:ser>"), 3)


class Generated(Layout, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        gen = os.path.join(os.path.dirname(E.Config.tool), "workforce-gen")
        if not os.access(gen, os.X_OK):
            raise unittest.SkipTest("workforce-gen is not beside the tool")
        work = E.workdir("layout_generated")
        data = os.path.join(work, "in")
        subprocess.run([gen, "--employees", "2000", "--seed", "7", "--as-of", "2026-06-30",
                        "--out", data], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)
        cls.path = os.path.join(work, "r.xlsx")
        proc = E.run_tool("--input", data, "--output", cls.path, "--since", "2022",
                          "--as-of", "2026-06-30", "--quiet")
        assert proc.returncode == 0, E.describe(proc)
        cls.wb = E.load(cls.path)


if __name__ == "__main__":
    E.parse_args_and_run_tests()
