"""How a workbook names its columns and sheets: the one place the reader, the size check
(bounds.py) and the formula scan (formulas.py) look them up, so all three find the same sheet.
"""
from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Sequence

__all__ = ["column_letter", "column_index", "find_sheet_name", "sheet_member"]

_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA', 16383 -> 'XFD'."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: bytes | str) -> int:
    """'A' -> 0, 'Z' -> 25, 'AA' -> 26, 'XFD' -> 16383."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def find_sheet_name(names: Sequence[str], wanted: str) -> str | None:
    """The sheet `wanted` among `names`: exactly, else ignoring case and outer spaces."""
    if wanted in names:
        return wanted
    folded = wanted.strip().casefold()
    for name in names:
        if name.strip().casefold() == folded:
            return name
    return None


def sheet_member(zf: zipfile.ZipFile, sheet_name: str) -> tuple[str | None, str | None]:
    """(The sheet's name as written, the zip member holding its XML) of an .xlsx/.xlsm file,
    None for what is missing."""
    from xml.etree import ElementTree  # only when a workbook is opened: the CLI starts fast

    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rel_ids = {el.get("name"): el.get(_REL_NS) for el in book.iter()
               if el.tag.endswith("}sheet") and el.get("name") is not None}
    name = find_sheet_name([n for n in rel_ids if n is not None], sheet_name)
    rel_id = rel_ids.get(name)
    if rel_id is None:
        return name, None
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    for el in rels:
        if el.get("Id") == rel_id:
            target = el.get("Target", "")
            if target.startswith("/"):
                return name, target.lstrip("/")
            return name, posixpath.normpath(posixpath.join("xl", target))
    return name, None
