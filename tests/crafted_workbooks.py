"""Workbooks crafted the way hostile or damaged files are: a stray cell far off, a sheet padded
to a huge size. Used by the import tests and by benchmarks/bench_reader_memory.py."""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any, Sequence


def inject_cells(path: Path, cells_xml: str, sheet_member: str = "xl/worksheets/sheet1.xml") -> Path:
    """Add raw cell XML (whole <row> elements) at the end of a sheet's data, rewriting the zip."""
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    xml = members[sheet_member].decode("utf-8")
    if "</sheetData>" in xml:
        xml = xml.replace("</sheetData>", cells_xml + "</sheetData>", 1)
    else:
        xml = xml.replace("<sheetData/>", "<sheetData>" + cells_xml + "</sheetData>", 1)
    members[sheet_member] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def far_cell(ref: str, value: str = "") -> str:
    """One text cell at `ref` (e.g. 'XFD1048576') in a row of its own; '' = an empty text,
    which looks blank in Excel but is a cell with a value to a reader."""
    row = "".join(ch for ch in ref if ch.isdigit())
    return (f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c></row>')


def write_with_far_cell(path: Path, rows: Sequence[Sequence[Any]], ref: str,
                        sheet: str = "Sheet1") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return inject_cells(path, far_cell(ref))
