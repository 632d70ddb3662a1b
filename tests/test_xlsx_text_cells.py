"""Formula injection: text that WICS writes into any workbook stays text (issue 14, item 3).

Every writer - count summary, material lists, locations, the list exports (desktop and
`wics list export`), the errors workbook of an import - goes through core.xlsx_writer. Each is
fed texts that Excel would take for a formula and is checked twice: read back with openpyxl (a
string cell, never a formula) and in the sheet XML itself (no <f> element anywhere). Numbers and
dates stay numbers and dates.
"""
from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from openpyxl import load_workbook

from wics_desktop.core.xlsx_writer import Header, XlsxBook

from core_fixtures import ACTOR, D2, count, material, org_id, sap, sched, setup_orgs

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)"]


def assert_no_formula(path, *texts):
    """No sheet of the workbook has a formula; every text in `texts` is a string cell."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, f"a formula in {name}"
    wb = load_workbook(path)
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    found.setdefault(cell.value, cell)
    for text in texts:
        matches = [v for v in found if text in v]
        assert matches, f"{text!r} is not in the workbook"
        for v in matches:
            assert found[v].data_type == "s"
    return wb


def test_the_writer_keeps_text_text_and_numbers_numbers(tmp_path):
    book = XlsxBook()
    sheet = book.sheet("=cmd|' /C calc'!A0", [Header("=A1"), Header("Qty", "#,##0.###"),
                                              Header("Day")])
    for text in HOSTILE:
        sheet.append([text, 2.5, dt.date(2026, 11, 20)])
    sheet.append(["nul\x00here", float("nan"), None])
    sheet.append(["-3", -3, dt.datetime(2026, 11, 20, 8, 30)])
    out = book.save(tmp_path / "w.xlsx")
    wb = assert_no_formula(out, *HOSTILE, "=A1")
    ws = wb.worksheets[0]
    assert [ws.cell(r, 1).value for r in range(2, 6)] == HOSTILE
    assert all(ws.cell(r, 1).quotePrefix for r in range(2, 6))  # Excel keeps it text on edit
    assert ws["B2"].value == 2.5 and ws["B2"].data_type == "n"
    assert ws["C2"].value == dt.datetime(2026, 11, 20)  # a real date
    assert ws["A6"].value == "nul\\x00here" and ws["B6"].value == "nan"
    assert ws["A7"].value == "-3" and ws["B7"].value == -3 and ws["B7"].data_type == "n"
    assert not (tmp_path / "w.xlsx.part").exists()


@pytest.fixture
def hostile_world(db):
    with db.session() as s:
        setup_orgs(s)
        l10 = org_id(s, "L10")
        for i, text in enumerate(HOSTILE):
            mid = material(s, f"P-{i}", "L10", description=text, notes=text)
            sched(s, mid, counter=text, notes=text, requestor=text)
            count(s, mid, expr="5", counter=text, location=f"L{i}", notes=text)
            sap(s, mid, l10, D2, 7, value=70.0)
    return db


def test_count_summary_xlsx(hostile_world, tmp_path):
    from wics_desktop.core.reports import count_summary

    with hostile_world.session() as s:
        report = count_summary.build(s, D2)
    out = tmp_path / "summary.xlsx"
    count_summary.to_xlsx(report, out)
    wb = assert_no_formula(out, *HOSTILE)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    col = headers.index("Counted") + 1 if "Counted" in headers else None
    numbers = [ws.cell(r, c).value for r in range(2, ws.max_row + 1)
               for c in range(1, ws.max_column + 1) if ws.cell(r, c).data_type == "n"
               and ws.cell(r, c).value is not None]
    assert 5 in numbers and 7 in numbers  # counted and book quantities stay numbers
    assert col is None or isinstance(ws.cell(2, col).value, (int, float))


def test_material_lists_and_locations_xlsx(hostile_world, tmp_path):
    from wics_desktop.core.reports import locations, material_lists

    with hostile_world.session() as s:
        material_lists.to_xlsx(material_lists.build(s, "value", as_of=D2), tmp_path / "v.xlsx")
        locations.to_xlsx(locations.build(s, as_of=D2), tmp_path / "l.xlsx")
    assert_no_formula(tmp_path / "v.xlsx", *HOSTILE)
    assert_no_formula(tmp_path / "l.xlsx", *HOSTILE)


def test_table_export_from_the_desktop(hostile_world, tmp_path):
    from sqlalchemy import select

    from wics_desktop.core.lists.export import ExportColumn, export_xlsx
    from wics_desktop.core.models import ActualCount

    stmt = select(ActualCount.id, ActualCount.counter, ActualCount.notes, ActualCount.quantity,
                  ActualCount.count_date).order_by(ActualCount.id)
    cols = [ExportColumn(1, "Counter", "text", 20), ExportColumn(2, "Notes", "text", 20),
            ExportColumn(3, "Quantity", "qty", 10), ExportColumn(4, "Date", "date", 10)]
    with hostile_world.session() as s:
        assert export_xlsx(s, stmt, cols, str(tmp_path / "t.xlsx"), "=Counts") == 4
    ws = assert_no_formula(tmp_path / "t.xlsx", *HOSTILE).active
    assert [ws.cell(r, 1).value for r in range(2, 6)] == HOSTILE
    assert ws["C2"].value == 5 and ws["C2"].data_type == "n"


def test_list_exports_of_the_command_line(hostile_world, tmp_path):
    """`wics list export` (core.lists.catalog + export_list): counts and schedule lists."""
    from wics_desktop.core.lists import catalog
    from wics_desktop.core.lists.export import export_list

    for name in ("counts", "schedule", "materials"):
        query = catalog.open_list(name, ACTOR)
        with hostile_world.session() as s:
            assert export_list(s, query, tmp_path / f"{name}.xlsx") == 4
        assert_no_formula(tmp_path / f"{name}.xlsx", *HOSTILE)


def test_errors_workbook_of_an_import(db, tmp_path):
    from wics_desktop.core.imports import import_sap_soh

    from imports_fixtures import MB52_HEADER, setup_reference, write_csv

    setup_reference(db, [("L10", "A-100")])
    rows = [MB52_HEADER, ["A-100", "1010", "ok", "ZROH", "0001", "EA", 5.0, "USD", 1, None,
                          0, 0, None, None]]
    for text in HOSTILE:  # unknown part numbers: rejected rows whose cells come back out
        rows.append([text, "1010", text, "ZROH", "0001", "EA", 1.0, "USD", 1, None, 0, 0,
                     None, None])
    path = write_csv(tmp_path / "mb52.csv", rows)  # in a CSV they are plain text
    with db.session() as s:
        result = import_sap_soh(s, path, D2, actor=ACTOR)
    out = tmp_path / "errors.xlsx"
    assert result.write_errors_xlsx(out) == 4
    wb = assert_no_formula(out, *HOSTILE)
    ws = wb.worksheets[0]
    assert [ws.cell(r, 1).value for r in range(2, 6)] == HOSTILE
    assert ws.cell(2, 15).value == 3 and ws.cell(2, 15).data_type == "n"  # the "WICS row"


def test_styled_values_keep_their_kind(tmp_path):
    """Styled (a band colour, bold) changes the look, never the kind of the value."""
    from wics_desktop.core.xlsx_writer import Styled

    book = XlsxBook()
    sheet = book.sheet("S", [Header("Text"), Header("Pct", "0.0")])
    sheet.append([Styled("=1+1", fill="FFC7CE", bold=True), Styled(87.5, fill="FFC7CE",
                                                                  color="9C0006")])
    sheet.append([Styled(dt.date(2026, 11, 20)), Styled(None)])
    ws = assert_no_formula(book.save(tmp_path / "s.xlsx"), "=1+1").active
    assert ws["A2"].value == "=1+1" and ws["A2"].font.b
    assert ws["A2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["B2"].value == 87.5 and ws["B2"].data_type == "n" and ws["B2"].number_format == "0.0"
    assert ws["B2"].font.color.rgb.endswith("9C0006")
    assert ws["A3"].value == dt.datetime(2026, 11, 20) and ws["B3"].value is None


def test_every_workbook_is_written_through_the_one_writer():
    """No module of wics_desktop but core/xlsx_writer.py writes xlsx: openpyxl elsewhere only
    reads (load_workbook, its sheet parser), nothing calls pandas' to_excel or another xlsx
    library. So the text-cell rule above holds for every workbook WICS writes (issue 15)."""
    import ast
    from pathlib import Path

    import wics_desktop

    root = Path(wics_desktop.__file__).parent
    writer = root / "core" / "xlsx_writer.py"
    reading = {"openpyxl.load_workbook", "openpyxl.worksheet._reader.WorkSheetParser"}
    found = []
    for path in sorted(root.rglob("*.py")):
        if path == writer:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Attribute) and node.attr == "to_excel":
                names = ["to_excel"]
            for name in names:
                if name == "to_excel" or name.split(".")[0] in ("xlsxwriter", "pyexcel") or \
                        (name.split(".")[0] == "openpyxl" and name not in reading):
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno}: {name}")
    assert not found, "write xlsx through core.xlsx_writer:\n" + "\n".join(found)
