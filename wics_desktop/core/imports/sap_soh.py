"""SAP stock on hand (MB52): the book quantities per material and storage location, as a dated
snapshot. Importing a date that already has a snapshot replaces it in the same transaction, so
the old rows stay until the new ones are in.

Add mode (`add=True`, `wics import sap-soh FILE --date D --add`) keeps the date's snapshot and
adds the file's rows to it. A row is identified by its stock key - part number, plant, storage
location, special stock, batch and vendor: a row whose key is already in that date's snapshot
replaces the row(s) stored with that key, so importing the same file twice adds its rows once.
A workbook written by --errors-xlsx of a sap-soh import (errors_book.py: a hidden mark sheet and
the "WICS row" column) is imported in add mode by itself: its corrected rows join the snapshot
instead of replacing it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from .. import dialect
from ..actor import Actor
from ..limits import MAX_MAGNITUDE, has_control
from ..models import Material, SapStock
from ..permissions import requires
from ..progress import Progress, ensure
from .cells import CellError, number, text
from .common import (
    RowProblems,
    Ticker,
    decide,
    finish,
    gc_paused,
    table_of,
    text_limits,
    write_chunk,
)
from .errors_book import read_mark
from .lookup import IN_CHUNK, Orgs, Plants
from .reader import Field, read_sheet
from .result import ImportResult

__all__ = ["FIELDS", "import_sap_soh", "import_mode"]

FIELDS = (
    Field("part_number", ("Material", "Material Number", "Part Number"), required=True),
    Field("plant", ("Plant", "Plnt"), required=True),
    Field("description", ("Material description", "Description")),
    Field("material_type", ("Material type", "MTyp")),
    Field("storage_location", ("Storage location", "SLoc", "Stor. Loc.")),
    Field("base_uom", ("Base Unit of Measure", "BUn", "Base Unit")),
    Field("amount", ("Unrestricted", "Unrestricted Stock", "Unrestr.")),
    Field("currency", ("Currency", "Crcy")),
    Field("value_unrestricted", ("Value Unrestricted", "Value Unrestr.")),
    Field("special_stock", ("Special Stock",)),
    Field("blocked", ("Blocked", "Blocked Stock")),
    Field("value_blocked", ("Value BlockedStock", "Value Blocked")),
    Field("vendor", ("Vendor",)),
    Field("batch", ("Batch",)),
)
KEYS = tuple(f.key for f in FIELDS)
TEXT_KEYS = ("description", "material_type", "storage_location", "base_uom", "currency",
             "special_stock", "vendor", "batch")
NUMBER_KEYS = ("amount", "value_unrestricted", "blocked", "value_blocked")
COLUMNS = ("upload_date", "org_id", "part_number", "material_id", "plant", *TEXT_KEYS,
           *NUMBER_KEYS)
_LIMITS = text_limits(SapStock)


@gc_paused
@requires("import")
def import_sap_soh(session: Session, path: str | Path, upload_date: dt.date, *,
                   sheet: str | None = None, strict: bool = False,
                   progress: Progress | None = None, actor: Actor | None = None,
                   headers: Mapping[str, str | None] | None = None,
                   add: bool = False) -> ImportResult:
    """Import an MB52 export as the SAP snapshot of `upload_date` (replacing that date's rows,
    or adding to them: `add`, or an errors workbook of a sap-soh import; see the docstring).

    Rows with a blank Material are ignored; an unknown plant, a part number not in the plant's
    organization, a bad number or a too-long text is a row error. Lenient (default): the good
    rows are written; strict: nothing is written when any row has a problem. Raises
    ImportRejected (nothing written) for fatal problems. `headers` overrides how the sheet's
    headers map to fields (see reader.read_sheet).
    """
    progress = ensure(progress)
    result = ImportResult("sap-soh", upload_date=upload_date)
    mode, result.errors_workbook = import_mode(path, add)
    result.mode = mode
    sh = read_sheet(path, FIELDS, result, sheet=sheet, headers=headers)
    plants = Plants(session)
    orgs = Orgs(session)
    known = _materials(session, set(plants.org_of.values()))
    checker = _RowChecker(RowProblems(sh, result), plants, orgs, known)
    day = dialect.date_param(session)(upload_date)
    get_texts = itemgetter(*(KEYS.index(k) for k in TEXT_KEYS))
    get_numbers = itemgetter(*(KEYS.index(k) for k in NUMBER_KEYS))
    limits = tuple(_LIMITS[k] for k in TEXT_KEYS)
    shortest = min(limits)
    part_limit, plant_limit = _LIMITS["part_number"], _LIMITS["plant"]
    org_of = plants.org_of
    faults = sh.faults
    big = MAX_MAGNITUDE
    good: list[tuple[Any, ...]] = []
    read = ignored = 0
    tick = Ticker(progress, sh.total, "Checking rows")
    next_tick, first = 0, sh.header_row + 1
    # The common case (a clean row) takes the short path; any doubt goes to _RowChecker, which
    # finds and words every problem of the row.
    for row, v, raw in sh.records(KEYS):
        if row >= next_tick:
            tick(row - first)
            next_tick = row + tick.every
        read += 1
        if faults and row in faults and checker.problems.cell_faults(row, raw):
            continue  # an Excel error cell or a formula without a value: never 0 stock
        part = v[0]
        part = part.strip() if part.__class__ is str else text(part) or ""
        if not part:
            ignored += 1
            continue
        plant = v[1]
        plant = plant.strip() if plant.__class__ is str else text(plant) or ""
        org_id = org_of.get(plant)
        material_id = known.get((org_id, part)) if org_id is not None else None
        texts = [t.strip() or None if t.__class__ is str else text(t) for t in get_texts(v)]
        numbers: list[float] | None
        try:
            numbers = [n if n.__class__ is float else (number(n) or 0.0) for n in get_numbers(v)]
        except CellError:
            numbers = None
        if (material_id is None or numbers is None or len(part) > part_limit
                or len(plant) > plant_limit
                or not (-big <= numbers[0] <= big and -big <= numbers[1] <= big
                        and -big <= numbers[2] <= big and -big <= numbers[3] <= big)
                or has_control(f"{part}{plant}{''.join(filter(None, texts))}")
                # texts shorter together than the smallest limit need no closer look
                or (sum([len(t) for t in texts if t]) > shortest
                    and any(t is not None and len(t) > lim
                            for t, lim in zip(texts, limits, strict=True)))):
            checker.check(row, v, raw)
            continue
        good.append((day, org_id, part, material_id, plant, *texts, *numbers))
    result.rows_read, result.rows_ignored = read, ignored
    tick.done()

    decide(result, strict=strict, usable=len(good))
    if not good:  # only ignored rows: keep the date's snapshot as it is
        return result
    if mode == "add":
        replaced = _replaced_ids(session, upload_date, good)
        dialect.delete_ids(session, table_of(SapStock), replaced)
        result.rows_updated = min(len(replaced), len(good))
    else:
        # a DELETE's result is a CursorResult (Session.execute is typed for any statement)
        removed = cast(CursorResult[Any], session.execute(
            delete(table_of(SapStock)).where(SapStock.upload_date == upload_date)))
        result.rows_removed = removed.rowcount or 0
    write = Ticker(progress, len(good), "Writing SAP rows")
    result.rows_added = dialect.bulk_insert(session, table_of(SapStock), COLUMNS, good,
                                            chunk=write_chunk(len(good)), after_chunk=write)
    write.done()
    if mode == "add":  # rows_added: new keys only; rows_updated: rows replaced by key
        result.rows_added -= result.rows_updated
    return finish(session, result, actor, "import-sap-soh", progress)


def import_mode(path: str | Path, add: bool = False) -> tuple[str, bool]:
    """("add" or "replace", whether the file is an errors workbook of a sap-soh import): what
    the import of `path` will do, for the wizard to say before it starts."""
    mark = read_mark(path)
    book = mark is not None and mark.kind == "sap-soh"
    return ("add" if add or book else "replace"), book


# The stock key of a row: (part number, plant, storage location, special stock, batch, vendor).
_KEY_COLUMNS = ("part_number", "plant", "storage_location", "special_stock", "batch", "vendor")
_GOOD_KEY = tuple(COLUMNS.index(c) for c in _KEY_COLUMNS)


def _replaced_ids(session: Session, upload_date: dt.date, good: list[tuple[Any, ...]]
                  ) -> list[int]:
    """Ids of the rows of that date's snapshot that share a stock key with a row of the file
    (a few queries: the date's rows of the file's part numbers, matched here)."""
    keys = {tuple(g[i] for i in _GOOD_KEY) for g in good}
    parts = sorted({k[0] for k in keys})
    table = table_of(SapStock)
    ids: list[int] = []
    for chunk in dialect.chunks(parts, IN_CHUNK):
        rows = session.connection().execute(
            select(table.c.id, *(table.c[c] for c in _KEY_COLUMNS))
            .where(table.c.upload_date == upload_date, table.c.part_number.in_(chunk)))
        ids.extend(r[0] for r in rows if tuple(r[1:]) in keys)
    return ids


def _materials(session: Session, org_ids: set[int]) -> dict[tuple[int, str], int]:
    """(org id, part number) -> material id, for the organizations that have SAP plants."""
    if not org_ids:
        return {}
    rows = session.connection().execute(
        select(Material.id, Material.org_id, Material.part_number)
        .where(Material.org_id.in_(sorted(org_ids)))).all()
    return {(org_id, part): mid for mid, org_id, part in rows}


class _RowChecker:
    """Words every problem of one doubtful row (the slow, careful path)."""

    def __init__(self, problems: RowProblems, plants: Plants, orgs: Orgs,
                 known: dict[tuple[int, str], int]) -> None:
        self.problems, self.plants, self.orgs, self.known = problems, plants, orgs, known

    def check(self, row: int, v: tuple[Any, ...], raw: list[Any]) -> None:
        p = self.problems
        p.start(row, raw)
        part = p.text("part_number", v[0], text(v[0]), _LIMITS["part_number"])
        plant = p.text("plant", v[1], text(v[1]), _LIMITS["plant"])
        org_id = None
        if plant is None:
            p.require("plant", v[1], plant, "The plant")
        else:
            try:
                org_id = self.plants.resolve(plant)
            except CellError as exc:
                p.add("plant", v[1], str(exc))
        if org_id is not None and part is not None and (org_id, part) not in self.known:
            p.add("part_number", v[0], f"Material {part} does not exist in organization "
                                       f"{self.orgs.name_of[org_id]} (plant {plant}).")
        for key in TEXT_KEYS:
            value = v[KEYS.index(key)]
            p.text(key, value, text(value), _LIMITS[key])
        for key in NUMBER_KEYS:
            p.convert(key, v[KEYS.index(key)], number)
        if not p.count:  # cannot happen: the short path only sends rows with a problem
            raise AssertionError(f"row {row} was doubted but has no problem")
