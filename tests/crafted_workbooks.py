"""Workbooks crafted the way hostile or damaged files are: a stray cell far off, a sheet padded
to a huge size. Used by the import tests and by benchmarks/bench_reader_memory.py."""
from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def inject_cells(path: Path, cells_xml: str,
                 sheet_member: str = "xl/worksheets/sheet1.xml") -> Path:
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


# ---- workbooks written straight as XML (streamed: large ones cost no memory) -------------

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
       'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
       'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
       '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
       'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
       'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       'spreadsheetml.worksheet+xml"/>%s</Types>')
_SST_CT = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
           'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
         'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
         'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
         'Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
       'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
       'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
            '"worksheets/sheet1.xml"/>%s</Relationships>')
_SST_REL = ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
         'org/spreadsheetml/2006/main"><sheetData>')
_TAIL = "</sheetData></worksheet>"


def _letters(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _cell(ref: str, value) -> str:
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _row(n: int, values) -> str:
    return f'<row r="{n}">' + "".join(_cell(f"{_letters(j)}{n}", v)
                                      for j, v in enumerate(values)) + "</row>"


def write_raw_xlsx(path: Path, rows_xml, shared: list[str] | None = None,
                   stop_at: int | None = None) -> Path:
    """An .xlsx written straight as XML, streamed: `rows_xml` yields <row> strings; the sheet
    ends when the zip reaches `stop_at` bytes (checked every few thousand rows)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT % (_SST_CT if shared else ""))
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WB)
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS % (_SST_REL if shared else ""))
        if shared:
            zf.writestr("xl/sharedStrings.xml",
                        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                        'openxmlformats.org/spreadsheetml/2006/main">'
                        + "".join(f"<si><t>{s}</t></si>" for s in shared) + "</sst>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(_HEAD.encode())
            batch: list[str] = []
            for row in rows_xml:
                batch.append(row)
                if len(batch) == 5000:
                    fh.write("".join(batch).encode())
                    batch.clear()
                    if stop_at and fh._compress_size > stop_at:  # zipfile's only running count
                        break
            fh.write("".join(batch).encode())
            fh.write(_TAIL.encode())
    return path
