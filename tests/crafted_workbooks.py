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


def write_ods_with_repeats(path: Path, rows_repeated: int, columns_repeated: int) -> Path:
    """An .ods sheet: a header row, then one row holding the value 1, repeated
    `columns_repeated` times across and `rows_repeated` times down (a few bytes of XML)."""
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        f'xmlns:table="{table}" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'office:version="1.2"><office:body><office:spreadsheet>'
        '<table:table table:name="Sheet1"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>Material</text:p></table:table-cell>'
        '<table:table-cell office:value-type="string"><text:p>Plant</text:p></table:table-cell>'
        f'</table:table-row><table:table-row table:number-rows-repeated="{rows_repeated}">'
        f'<table:table-cell table:number-columns-repeated="{columns_repeated}" '
        'office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
        '</table:table-row></table:table></office:spreadsheet></office:body>'
        '</office:document-content>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                    compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml",
                    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                    '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                    'manifest:full-path="/" manifest:media-type="application/vnd.oasis.'
                    'opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
                    '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    return path
