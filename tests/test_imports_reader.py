"""Reading spreadsheets: cell conversion, sheets, header rows, aliases and fatal problems.

No database needed: these check the reader every import shares.
"""
from __future__ import annotations

import datetime as dt

import pytest

from wics_desktop.core.imports import cells, workbooks
from wics_desktop.core.imports.reader import (
    Field,
    FormulaScan,
    formula_texts,
    read_ahead,
    read_sheet,
)
from wics_desktop.core.imports.result import ImportRejected, ImportResult

from imports_fixtures import write_csv, write_xls, write_xlsx

FIELDS = (
    Field("part", ("Material", "Part Number"), required=True),
    Field("plant", ("Plant", "Plnt"), required=True),
    Field("amount", ("Unrestricted",)),
    Field("when", ("CountDate",)),
)


# ---- cells ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (1115416.0, "1115416"), (1115416, "1115416"), ("  A-1 ", "A-1"), ("", None), ("   ", None),
    (None, None), (12.5, "12.5"), (True, "TRUE"), (dt.date(2024, 1, 2), "2024-01-02"),
    (dt.datetime(2024, 1, 2), "2024-01-02"), ("07001541", "07001541"),
])
def test_text_and_part_numbers(value, expected):
    assert cells.part_number(value) == expected


@pytest.mark.parametrize("value, expected", [
    (10.0, 10.0), (3, 3.0), ("10,000", 10000.0), ("302,230.00", 302230.0), ("-1,234.5", -1234.5),
    ("25-", -25.0), (" 7 ", 7.0), ("", None), (None, None), (".5", 0.5), ("1 000", 1000.0),
])
def test_numbers_with_thousands_separators(value, expected):
    assert cells.number(value) == expected


@pytest.mark.parametrize("value", ["abc", "1,00", "1.2.3", "--5", True, "12a", ",", "-"])
def test_not_numbers(value):
    with pytest.raises(cells.CellError, match="is not a number"):
        cells.number(value)


@pytest.mark.parametrize("value, expected", [
    (dt.date(2022, 7, 1), dt.date(2022, 7, 1)),
    (dt.datetime(2022, 7, 1, 13, 5), dt.date(2022, 7, 1)), (44743.0, dt.date(2022, 7, 1)),
    (44743, dt.date(2022, 7, 1)), ("2022-07-01", dt.date(2022, 7, 1)),
    ("07/01/2022", dt.date(2022, 7, 1)), ("7/1/2022", dt.date(2022, 7, 1)),
    ("2022-07-01 00:00:00", dt.date(2022, 7, 1)), ("", None), (None, None),
])
def test_dates(value, expected):
    assert cells.date(value) == expected


@pytest.mark.parametrize("value", ["2022-13-45", "02/30/2022", "tomorrow", "1.7.2022", -3.0,
                                   True, 9999999.0])
def test_not_dates(value):
    with pytest.raises(cells.CellError, match="date"):
        cells.date(value)


@pytest.mark.parametrize("value, expected", [
    (True, True), (False, False), (1.0, True), (0.0, False), ("TRUE", True), ("false", False),
    ("yes", True), ("No", False), ("1", True), ("0", False), ("y", True), ("", None), (None, None),
])
def test_booleans(value, expected):
    assert cells.boolean(value) is expected


@pytest.mark.parametrize("value", ["maybe", 2.0, "2"])
def test_not_booleans(value):
    with pytest.raises(cells.CellError, match="yes or no"):
        cells.boolean(value)


# ---- sheets and headers --------------------------------------------------------------------

def _read(path, **kw):
    result = ImportResult("test")
    return read_sheet(path, FIELDS, result, **kw), result


def test_header_matching_ignores_case_spaces_and_uses_aliases(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["  material ", "PLNT", "unRestricted", "Other"],
                                            ["A-1", "FW61", 5.0, "x"]])
    sheet, _ = _read(path)
    assert sheet.columns == {"part": 0, "plant": 1, "amount": 2}
    assert sheet.header("plant") == "PLNT"
    assert sheet.header("when") == "CountDate"  # absent: its canonical name
    assert [(r, v) for r, v, _ in sheet.records(["part", "plant", "amount", "when"])] == [
        (2, ("A-1", "FW61", 5.0, ""))]


def test_missing_required_header_is_fatal_and_named(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["Material", "Unrestricted"], ["A-1", 5]])
    with pytest.raises(ImportRejected) as err:
        _read(path)
    assert "no column Plant (or Plnt)" in str(err.value)
    assert "Material, Unrestricted" in str(err.value)
    doc = err.value.payload
    assert doc["written"] is False
    assert doc["errors"][0]["row"] == 1 and doc["errors"][0]["column"] == "Plant"


def test_header_mapped_twice_is_fatal(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["Material", "Plant", "Plnt"], ["A-1", "FW61", "X"]])
    with pytest.raises(ImportRejected) as err:
        _read(path)
    assert "Columns B ('Plant') and C ('Plnt') both mean Plant" in str(err.value)
    assert err.value.payload["errors"][0]["column"] == "Plnt"


def test_all_header_problems_at_once(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["Part Number", "Material", "Amount"], ["A", "B", 1]])
    with pytest.raises(ImportRejected) as err:
        _read(path)
    assert [e["column"] for e in err.value.payload["errors"]] == ["Material", "Plant"]


def test_sheet_without_header_row(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["just", "some", "data"], [1, 2, 3]])
    with pytest.raises(ImportRejected, match="has no header row"):
        _read(path)


def test_empty_sheet(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [])
    with pytest.raises(ImportRejected, match="is empty"):
        _read(path)


def test_header_below_title_lines_and_row_numbers_as_excel_shows(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["Stock list exported 2026-11-20"], [],
                                            ["Material", "Plant"], ["A-1", "FW61"], [None, None],
                                            ["A-2", "FW62"], [None], [None]])
    sheet, result = _read(path)
    assert sheet.header_row == 3 and result.header_row == 3
    assert [r for r, _, _ in sheet.records(["part", "plant"])] == [4, 6]


def test_missing_sheet_lists_the_sheets(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["Material", "Plant"]], sheet="Data",
                      extra_sheets=["Notes"])
    with pytest.raises(ImportRejected) as err:
        _read(path, sheet="Counts")
    assert "no sheet named 'Counts'" in str(err.value) and "Data, Notes" in str(err.value)


def test_sheet_name_matching_ignores_case(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["x"]], sheet="Other", extra_sheets=[])
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.create_sheet("counts ").append(["Material", "Plant"])
    wb.save(path)
    sheet, result = _read(path, sheet="Counts")
    assert sheet.name == "counts " and result.sheet == "counts "


def test_first_sheet_by_default(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["Material", "Plant"], ["A", "B"]], sheet="MB52",
                      extra_sheets=["Other"])
    sheet, _ = _read(path)
    assert sheet.name == "MB52"


@pytest.mark.parametrize("content", [b"hello, this is not a workbook", b"PK\x03\x04broken zip",
                                     b"\x00\x01\x02" * 100])
def test_not_a_spreadsheet(tmp_path, content):
    path = tmp_path / "stock.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportRejected, match="is not a spreadsheet WICS can read"):
        _read(path)


def test_missing_file(tmp_path):
    with pytest.raises(ImportRejected, match="There is no file"):
        _read(tmp_path / "nope.xlsx")


def test_binary_file_named_csv(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\x01binary")
    with pytest.raises(ImportRejected, match="not a text"):
        _read(path)


def test_csv_utf8_cp1252_and_semicolons(tmp_path):
    path = write_csv(tmp_path / "a.csv", [["Material", "Plant", "Unrestricted"],
                                          ["1115416", "FW61", "10,000"], ["Café", "FW62", ""]],
                     encoding="cp1252")
    sheet, result = _read(path, sheet="Counts")
    rows = [v for _, v, _ in sheet.records(["part", "plant", "amount"])]
    assert rows == [("1115416", "FW61", "10,000"), ("Café", "FW62", "")]
    assert result.sheet == "Counts"  # a CSV file is its own (single) sheet
    path2 = tmp_path / "b.csv"
    path2.write_text("Material;Plant\nA-1;FW61\n", encoding="utf-8-sig")
    sheet, _ = _read(path2)
    assert [v for _, v, _ in sheet.records(["part", "plant"])] == [("A-1", "FW61")]


def test_xls_files_are_read(tmp_path):
    path = write_xls(tmp_path / "a.xls", [["Material", "Plant", "Unrestricted", "CountDate"],
                                          [1115416.0, "FW61", 12.0, dt.date(2022, 7, 1)],
                                          ["A-2", "FW62", "1,000", "07/02/2022"]])
    sheet, _ = _read(path)
    rows = [v for _, v, _ in sheet.records(["part", "plant", "amount", "when"])]
    assert cells.part_number(rows[0][0]) == "1115416"
    assert cells.date(rows[0][3]) == dt.date(2022, 7, 1)
    assert cells.number(rows[1][2]) == 1000.0 and cells.date(rows[1][3]) == dt.date(2022, 7, 2)


def test_formula_texts_read_only_where_there_are_formulas(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Counts"
    ws.append(["Material", "CTD_QTY_Expr"])
    ws.append(["A", "=1080*4+791"])
    ws.append(["B", 22])
    ws.append([])
    ws.append(["C", "=(10+2)*3"])
    wb.save(tmp_path / "f.xlsx")
    assert formula_texts(tmp_path / "f.xlsx", "Counts", 1, 2) == {2: "=1080*4+791", 5: "=(10+2)*3"}
    plain = write_xlsx(tmp_path / "p.xlsx", [["Material", "CTD_QTY_Expr"], ["A", 5]], "Counts")
    assert formula_texts(plain, "Counts", 1, 2) == {}
    # the same, looked for in the background while the sheet is read (any case of the name)
    for asked in ("Counts", "counts"):
        assert FormulaScan(tmp_path / "f.xlsx", asked).texts("Counts", 1, 2) == \
            {2: "=1080*4+791", 5: "=(10+2)*3"}
        assert FormulaScan(plain, asked).texts("Counts", 1, 2) == {}
    # a scan of another sheet, a broken file or a .csv gives what formula_texts gives
    assert FormulaScan(tmp_path / "f.xlsx", "Other").texts("Counts", 1, 2) == \
        {2: "=1080*4+791", 5: "=(10+2)*3"}
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    assert FormulaScan(tmp_path / "broken.xlsx", "Counts").texts("Counts", 1, 2) == {}
    csv = write_csv(tmp_path / "c.csv", [["Material", "CTD_QTY_Expr"], ["A", "=1+2"]])
    assert FormulaScan(csv, "Counts").texts("c", 1, 2) == {}


def test_formula_texts_from_excel_markup(tmp_path):
    """The sheet XML as Excel writes it: cached values, a shared (filled-down) formula, entities,
    and formulas that refer to cells or call functions (their values are meant)."""
    import zipfile

    path = write_xlsx(tmp_path / "x.xlsx", [["Material", "CTD_QTY_Expr"]], "Counts")
    cells_xml = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>P{r}</t></is></c>{c}</row>'
        for r, c in ((2, '<c r="B2" s="1"><f>1080*4+791</f><v>5111</v></c>'),
                     (3, '<c r="B3"><f t="shared" ref="B3:B4" si="0">(10+2)*3</f><v>36</v></c>'),
                     (4, '<c r="B4"><f t="shared" si="0"/><v>36</v></c>'),
                     (5, '<c r="B5"><f>B2*2</f><v>10222</v></c>'),
                     (6, '<c r="B6"><f>SUM(1,2)</f><v>3</v></c>'),
                     (7, '<c r="B7"><v>22</v></c>'),
                     (8, '<c r="B8"><f>10&gt;5</f><v>1</v></c>')))
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns='
           '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
           '<c r="A1" t="inlineStr"><is><t>Material</t></is></c><c r="B1" t="inlineStr"><is><t>'
           f'CTD_QTY_Expr</t></is></c></row>{cells_xml}</sheetData></worksheet>')
    patched = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item,
                         xml.encode() if item.filename == "xl/worksheets/sheet1.xml" else data)
    assert formula_texts(patched, "Counts", 1, 2) == {2: "=1080*4+791", 3: "=(10+2)*3",
                                                      4: "=(10+2)*3", 8: "=10>5"}
    sheet = read_sheet(patched, (Field("p", ("Material",)), Field("q", ("CTD_QTY_Expr",))),
                       ImportResult("t"))
    assert [v[1] for _, v, _ in sheet.records(["p", "q"])] == [5111.0, 36.0, 36.0, 10222.0, 3.0,
                                                               22.0, 1.0]


@pytest.mark.parametrize("value", ["٣", "²", "２０２６-11-20"])
def test_only_ascii_digits_make_numbers_and_dates(value):
    with pytest.raises(cells.CellError):
        cells.number(value)
    with pytest.raises(cells.CellError):
        cells.date(value)


def test_a_sheet_read_ahead_is_the_sheet_read_sheet_reads(tmp_path):
    rows = [["Material", "Plant", "Unrestricted"], ["A-1", "FW61", 5.0], ["A-2", "FW62", 7.0]]
    path = write_xlsx(tmp_path / "s.xlsx", rows, "Stock")
    read_ahead(path)
    assert workbooks._ahead is not None
    sheet = read_sheet(path, FIELDS, ImportResult("t"))
    assert workbooks._ahead is None  # taken, not kept
    assert [list(v) for _, v, _ in sheet.records(["part", "plant", "amount"])] == \
        [["A-1", "FW61", 5.0], ["A-2", "FW62", 7.0]]
    # the file changed after the read-ahead began: it is read again
    read_ahead(path)
    write_xlsx(path, rows[:2] + [["B-9", "FW61", 1.0], ["B-10", "FW61", 2.0]], "Stock")
    sheet = read_sheet(path, FIELDS, ImportResult("t"))
    assert [v[0] for _, v, _ in sheet.records(["part", "plant", "amount"])] == ["A-1", "B-9",
                                                                                "B-10"]
    # a sheet that does not exist: the ordinary reading reports it
    read_ahead(path, "Nope")
    result = ImportResult("t")
    with pytest.raises(ImportRejected, match="no sheet named 'Nope'"):
        read_sheet(path, FIELDS, result, sheet="Nope")
    assert result.errors
    # nothing to read ahead for a .csv file or a missing file
    read_ahead(write_csv(tmp_path / "c.csv", rows))
    read_ahead(tmp_path / "missing.xlsx")
    assert workbooks._ahead is None
