"""Counts upload: actual counts typed into the `Counts` sheet of a workbook.

Each row is one count: date, counter, location, material (org_id when the part number exists in
several organizations), and either a quantity expression or LocationOnly TRUE. The expression is
stored as typed, without a leading '=' (in a spreadsheet that is the formula sign, not part of
what the counter wrote), beside its value; a location-only row keeps neither (as the count
form). Typical container/pallet quantities, when given and different from the material's,
update the material. Rows with WICSignore set, or no material, are skipped on purpose.

Importing the same file again adds nothing twice: an imported count's uuid is derived from its
content (date, material, counter, location, location-only, expression, package id, tag qty,
flags, notes) and its occurrence among identical rows of the file, so rows stored before are
recognised, skipped and reported as `already_imported` (counted in rows_ignored). The same
holds for an edited copy of the file, e.g. with its rejected rows fixed: only the new rows go in.
A count deleted in WICS after it was imported stays deleted (its uuid is kept in
deleted_counts): it is counted in `already_imported` and `deleted_since`, not added again.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from .. import dialect
from ..actor import Actor
from ..expressions import ExpressionError, Packs, has_packs
from ..limits import MAX_MAGNITUDE, date_bounds, has_control, has_control_in_notes, number_problem
from ..models import ActualCount, DeletedCount, Material
from ..permissions import requires
from ..progress import Progress, ensure
from .cells import CellError, boolean, date, show, text
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
from .kinds import COUNTS_SHEET
from .lookup import Orgs, PartNumbers
from .quantity import quantity as evaluate
from .reader import Field, FormulaScan, read_sheet
from .result import ImportResult

__all__ = ["FIELDS", "SHEET", "import_counts", "count_uuid", "UUID_NAMESPACE"]

SHEET = COUNTS_SHEET
FIELDS = (
    Field("count_date", ("CountDate", "Count Date"), required=True),
    Field("counter", ("Counter",), required=True),
    Field("location", ("LOCATION",), required=True),
    Field("org", ("org_id", "org", "Organization")),
    Field("part_number", ("Material", "Part Number"), required=True),
    Field("location_only", ("LocationOnly",)),
    Field("expression", ("CTD_QTY_Expr", "Quantity", "Qty")),
    Field("typical_container_qty", ("Typ Cntner Qty", "TypicalContainerQty",
                                    "Typical Container Qty")),
    Field("typical_pallet_qty", ("Typ Plt Qty", "TypicalPalletQty", "Typical Pallet Qty")),
    Field("notes", ("Notes",)),
    Field("package_id", ("PKGID_Desc", "PKG ID/Desc")),
    Field("tag_qty", ("TAGQTY",)),
    Field("possibly_not_received", ("Poss Not Rcvd", "FLAG_PossiblyNotRecieved",
                                    "FLAG_PossiblyNotReceived")),
    Field("movement_during_count", ("Mvmt Dur Ct", "FLAG_MovementDuringCount")),
    Field("ignore", ("WICSignore",)),
    Field("cycle_count_id", ("CycCtID",)),
)
KEYS = tuple(f.key for f in FIELDS)
_I = {k: i for i, k in enumerate(KEYS)}
COLUMNS = ("uuid", "count_date", "cycle_count_id", "material_id", "counter", "location_only",
           "expression", "quantity", "location", "package_id", "tag_qty",
           "possibly_not_received", "movement_during_count", "notes", "entered_by",
           "workstation")
_LIMITS = text_limits(ActualCount)
_DATE = dt.date
_MATERIAL_LIMITS = {k: v for k, v in text_limits(Material).items()
                    if k in ("typical_container_qty", "typical_pallet_qty")}


@gc_paused
@requires("import")
def import_counts(session: Session, path: str | Path, *, sheet: str = SHEET, strict: bool = False,
                  progress: Progress | None = None, actor: Actor | None = None,
                  headers: Mapping[str, str | None] | None = None) -> ImportResult:
    """Import the counts of the `Counts` sheet; see the module docstring.

    Lenient (default): good rows are written, the others listed; strict: nothing is written when
    any row has a problem. Raises ImportRejected (nothing written) for fatal problems.
    """
    progress = ensure(progress)
    actor = actor or Actor()
    result = ImportResult("counts")
    scan = FormulaScan(path, sheet)  # looks for formulas while the sheet is parsed
    sh = read_sheet(path, FIELDS, result, sheet=sheet, headers=headers)
    formulas = (scan.texts(sh.name, sh.columns["expression"], sh.header_row + 1)
                if sh.has("expression") else {})
    if formulas and sh.faults:  # a plain '=1080*4' without a stored value: WICS works it out
        expression_column = sh.columns["expression"]
        for row in formulas:
            if sh.faults.get(row, {}).pop(expression_column, None) and not sh.faults[row]:
                del sh.faults[row]
    faults = sh.faults
    orgs = Orgs(session)
    records = list(sh.records(KEYS))
    parts = {p for p in (text(v[_I["part_number"]]) for _, v, _ in records) if p}
    materials = PartNumbers(session, parts, orgs,
                            extra=("typical_container_qty", "typical_pallet_qty"))
    to_date = dialect.date_param(session)
    problems = RowProblems(sh, result)
    good: list[tuple[Any, ...]] = []
    typical: dict[int, dict[str, str]] = {}  # material id -> column -> new value (last row wins)
    typical_rows: list[tuple[Any, ...]] = []  # (index in good, material, container, pallet)
    current: dict[int, tuple[Any, ...]] = {}
    tick = Ticker(progress, len(records), "Checking counts")
    fast = _ShortPath(orgs, materials, formulas)
    ignore_i, part_i = _I["ignore"], _I["part_number"]
    uuid_of = _ContentUuids()
    who, where = actor.username, actor.workstation
    day_param: dict[dt.date, Any] = {}  # count date -> its driver value (a file holds few dates)
    for done, (row, v, raw) in enumerate(records):
        if done >= tick.next:
            tick(done)
        if faults and row in faults and problems.cell_faults(row, raw):
            continue  # an Excel error cell or a formula without a value
        part = v[part_i]
        if (part == "" or (part.__class__ is str and part.isspace()) or part is None
                or (v[ignore_i] != "" and _ignored(v[ignore_i]))):
            result.rows_ignored += 1
            continue
        checked = fast(v, row)
        if checked is None:  # some doubt: the careful path words every problem of the row
            problems.start(row, raw)
            checked = _check(problems, v, row, orgs, materials, formulas)
            if checked is None:
                continue
        (count_date, ref, counter, location, location_only, expression, quantity, cycle_id,
         package_id, tag_qty, notes, not_received, movement, container, pallet) = checked
        day = day_param.get(count_date)
        if day is None:
            day = day_param[count_date] = to_date(count_date)
        # the flags go as 0/1: sqlite3 binds an int as it is, a bool only after looking for
        # an adapter (0.06 s per 100,000 rows); both databases store them as 0/1 anyway
        good.append((uuid_of(count_date, ref.id, counter, location, location_only, expression,
                           package_id, tag_qty, not_received, movement, notes),
                     day, cycle_id, ref.id, counter, int(location_only),
                     expression, quantity, location, package_id, tag_qty, int(not_received),
                     int(movement), notes, who, where))
        if container is not None or pallet is not None:
            typical_rows.append((len(good) - 1, ref, container, pallet))
    result.rows_read = len(records)
    tick.done()
    decide(result, strict=strict, usable=len(good))
    uuids = [g[0] for g in good]
    stored = _stored_uuids(session, uuids, ActualCount)
    deleted = _stored_uuids(session, uuids, DeletedCount)  # imported once, deleted since
    if stored or deleted:  # imported before (this file again, or a copy with fixed rows)
        kept = [i for i, g in enumerate(good) if g[0] not in stored and g[0] not in deleted]
        result.already_imported = len(good) - len(kept)
        result.deleted_since = len(deleted)
        result.rows_ignored += result.already_imported
        new_index = {old: new for new, old in enumerate(kept)}
        good = [good[i] for i in kept]
        typical_rows = [(new_index[i], *rest) for i, *rest in typical_rows if i in new_index]
    for _, ref, container, pallet in typical_rows:
        current[ref.id] = ref.extra
        if container is not None and container != "0":  # blank or 0: keep the material's
            typical.setdefault(ref.id, {})["typical_container_qty"] = container
        if pallet is not None and pallet != "0":
            typical.setdefault(ref.id, {})["typical_pallet_qty"] = pallet
    if not good:
        if result.already_imported:  # nothing new: still a successful import, on record
            return finish(session, result, actor, "import-counts", progress)
        return result

    write = Ticker(progress, len(good), "Writing counts")
    result.rows_added = dialect.bulk_insert(session, table_of(ActualCount), COLUMNS, good,
                                            chunk=write_chunk(len(good)), after_chunk=write)
    by_column: dict[str, dict[int, str]] = {}
    for mid, cols in typical.items():
        for col, value in cols.items():
            old = current[mid][0 if col == "typical_container_qty" else 1]
            if value != old:
                by_column.setdefault(col, {})[mid] = value
    for col, values in by_column.items():
        dialect.update_by_id(session, table_of(Material), col, values)
    result.rows_updated = len({mid for values in by_column.values() for mid in values})
    write.done()
    return finish(session, result, actor, "import-counts", progress)


# Fixed forever: changing it would make every earlier import look new.
UUID_NAMESPACE = uuid.UUID("5d0c7c1e-3a51-4f0e-9a7e-2b1f3c6d8e40")
_SEP, _OCC = "\x1f", "\x1e"  # control characters no cell keeps (text is stripped)
_NS_SHA1 = hashlib.sha1(UUID_NAMESPACE.bytes)  # copied for each name: the namespace hashed once
# RFC 4122 variant: the 17th hex digit keeps its low two bits, the high two become 10
_VARIANT = {d: "89ab"[int(d, 16) % 4] for d in "0123456789abcdef"}
STORED_CHUNK = 10_000  # uuids per IN (...) query: one query for any everyday file
_UUID_TEXT = re.compile(r"[0-9a-f',-]*").fullmatch


def count_uuid(count_date: dt.date, material_id: int, counter: str, location: str,
               location_only: bool, expression: str | None, package_id: str | None,
               tag_qty: str | None, possibly_not_received: bool, movement_during_count: bool,
               notes: str | None, occurrence: int = 1) -> str:
    """The uuid an imported count gets: uuid5(UUID_NAMESPACE, its content and occurrence).

    `occurrence` is 1 for the first row of a file with this content, 2 for the next identical
    row, and so on: two identical rows are two counts (counted twice on purpose), and a file
    imported again maps each of them onto the same uuid as before."""
    name = _content(count_date, material_id, counter, location, location_only, expression,
                    package_id, tag_qty, possibly_not_received, movement_during_count, notes)
    return _uuid5(f"{name}{_OCC}{occurrence}")


def _content(count_date: dt.date, material_id: int, counter: str, location: str,
             location_only: bool, expression: str | None, package_id: str | None,
             tag_qty: str | None, not_received: bool, movement: bool, notes: str | None) -> str:
    return _SEP.join((count_date.isoformat(), str(material_id), counter, location,
                      "1" if location_only else "0", expression or "", package_id or "",
                      tag_qty or "", "1" if not_received else "0", "1" if movement else "0",
                      notes or ""))


def _uuid5(name: str) -> str:
    """uuid.uuid5(UUID_NAMESPACE, name) as text, in under half the time (no UUID object)."""
    sha1 = _NS_SHA1.copy()
    sha1.update(name.encode("utf-8"))
    h = sha1.hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


class _ContentUuids:
    """count_uuid() for each row of one file, numbering identical rows 1, 2, ..."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, count_date: dt.date, material_id: int, counter: str, location: str,
                 location_only: bool, expression: str | None, package_id: str | None,
                 tag_qty: str | None, not_received: bool, movement: bool, notes: str | None) -> str:
        # _content() written out: this runs once per row of a 100,000-row file
        name = _SEP.join((count_date.isoformat(), str(material_id), counter, location,
                          "1" if location_only else "0", expression or "", package_id or "",
                          tag_qty or "", "1" if not_received else "0",
                          "1" if movement else "0", notes or ""))
        n = self.seen[name] = self.seen.get(name, 0) + 1
        return _uuid5(f"{name}{_OCC}{n}")


def _stored_uuids(session: Session, uuids: list[str], model: type[Any]) -> set[str]:
    """Which of these uuids the table of `model` holds (ActualCount: stored, whatever date or
    material the count has now; DeletedCount: stored once and deleted since): one query per
    10,000, answered by the table's unique uuid index.

    The uuids are written into the statement as literals: they are our own hex-and-dash text
    (checked), and 10,000 bound parameters cost SQLAlchemy more than the database's work."""
    stored: set[str] = set()
    conn = session.connection()
    quote = conn.dialect.identifier_preparer.quote
    head = (f"SELECT {quote('uuid')} FROM {quote(model.__table__.name)} "
            f"WHERE {quote('uuid')} IN ")
    for part in dialect.chunks(uuids, STORED_CHUNK):
        literal = "','".join(part)
        if not _UUID_TEXT(literal):
            raise ValueError("not a uuid list")  # never: _uuid5 makes them
        stored.update(conn.exec_driver_sql(f"{head}('{literal}')").scalars())
    return stored


def _ignored(value: Any) -> bool:
    """WICSignore: blank, FALSE, 0 or no keep the row; anything else skips it."""
    if value == "" or value is None:
        return False
    try:
        return bool(boolean(value))
    except CellError:
        return True


def _check(p: RowProblems, v: tuple[Any, ...], row: int, orgs: Orgs, materials: PartNumbers,
           formulas: dict[int, str]) -> tuple[Any, ...] | None:
    """The row's values, or None with every problem of the row recorded."""
    count_date = p.convert("count_date", v[_I["count_date"]], date)
    p.require("count_date", v[_I["count_date"]], count_date, "The count date")
    values: dict[str, Any] = {}
    for key, what in (("counter", "The counter"), ("location", "The location")):
        values[key] = p.text(key, v[_I[key]], text(v[_I[key]]), _LIMITS[key])
        p.require(key, v[_I[key]], values[key], what)
    org_raw = v[_I["org"]]
    org_id = p.convert("org", org_raw, orgs.resolve)
    ref = None
    if "org" not in p.keys:
        part = text(v[_I["part_number"]])
        ref = p.convert("part_number", part, lambda x: materials.resolve(x, org_id))
    location_only = p.convert("location_only", v[_I["location_only"]], boolean) or False
    raw_expr = formulas.get(row, v[_I["expression"]])
    expression = text(raw_expr)
    if expression is not None and expression.startswith("="):
        expression = expression[1:].strip() or None
    quantity = None
    if location_only:
        expression = None  # seen there, not counted: no quantity (as the count form does)
    elif expression is None:
        key = "expression" if p.sheet.has("expression") or not p.sheet.has("location_only") \
            else "location_only"
        p.add(key, raw_expr, "There is no quantity: fill in "
                             f"{p.sheet.header('expression')}, or set "
                             f"{p.sheet.header('location_only')} to TRUE for a location-only "
                             "count.")
    elif len(expression) > _LIMITS["expression"]:
        p.add("expression", raw_expr, f"The quantity is {len(expression)} characters long; "
                                      f"at most {_LIMITS['expression']} are allowed.")
    container, pallet = (p.text(k, v[_I[k]], text(v[_I[k]]), _MATERIAL_LIMITS[k])
                         for k in ("typical_container_qty", "typical_pallet_qty"))
    if not location_only and expression is not None \
            and len(expression) <= _LIMITS["expression"]:
        packs = None
        if has_packs(expression) and ref is not None:
            # P and C: the row's typical quantities when it gives them (they update the
            # material below), else the material's own (lookup loaded them as ref.extra)
            packs = Packs.of(pallet if pallet not in (None, "0") else ref.extra[1],
                             container if container not in (None, "0") else ref.extra[0])
        try:
            quantity = evaluate(expression, packs)
        except ExpressionError as exc:
            if ref is not None or not has_packs(expression):  # no material: said already
                p.add("expression", raw_expr,
                      f"'{show(expression)}' is not a quantity WICS can work out ({exc}).")
        else:
            problem = number_problem(quantity)
            if problem:
                quantity = None
                p.add("expression", raw_expr, f"The quantity {problem}")
    extras = [p.text(k, v[_I[k]], text(v[_I[k]]), _LIMITS[k], notes=k == "notes")
              for k in ("cycle_count_id", "package_id", "tag_qty", "notes")]
    flags = [p.convert(k, v[_I[k]], boolean) or False
             for k in ("possibly_not_received", "movement_during_count")]
    if p.count:
        return None
    return (count_date, ref, values["counter"], values["location"], location_only, expression,
            quantity, *extras, *flags, container, pallet)


def _cell_text(value: Any) -> str | None:
    return (value.strip() or None) if value.__class__ is str else text(value)


def _flag(value: Any) -> bool:
    if value == "":
        return False
    return value if value.__class__ is bool else bool(boolean(value))


class _ShortPath:
    """The values of a clean row in a few microseconds, or None at the first doubt (the careful
    path then finds and words every problem). Same results as _check for every clean row."""

    _BLANK = ("", "", "", "", "", "")

    def __init__(self, orgs: Orgs, materials: PartNumbers, formulas: dict[int, str]) -> None:
        self.orgs, self.by_part, self.formulas = orgs, materials.by_part, formulas
        self.org_ids: dict[Any, int | None] = {}  # org cell -> org id, for the cells seen so far
        self.text_limit = min(_LIMITS[k] for k in ("counter", "location"))
        self.expression_limit = _LIMITS["expression"]
        self.earliest, self.latest = date_bounds()
        self.largest = MAX_MAGNITUDE
        # cycle id, package id, tag qty, notes, container, pallet
        self.limits = (_LIMITS["cycle_count_id"], _LIMITS["package_id"], _LIMITS["tag_qty"],
                       _LIMITS["notes"], _MATERIAL_LIMITS["typical_container_qty"],
                       _MATERIAL_LIMITS["typical_pallet_qty"])

    def __call__(self, v: tuple[Any, ...], row: int) -> tuple[Any, ...] | None:
        (count_date, counter, location, org, part, location_only, expression, container, pallet,
         notes, package_id, tag_qty, not_received, movement, _ignore, cycle_id) = v
        try:
            if count_date.__class__ is not _DATE:
                count_date = date(count_date)  # checks the range too
                if count_date is None:
                    return None
            elif not self.earliest <= count_date <= self.latest:
                return None
            counter = counter.strip() if counter.__class__ is str else text(counter)
            location = location.strip() if location.__class__ is str else text(location)
            if (not counter or not location or len(counter) > self.text_limit
                    or len(location) > self.text_limit or has_control(counter + location)):
                return None
            found = self.by_part.get(part.strip() if part.__class__ is str else text(part) or "")
            if not found:
                return None
            if org == "":
                if len(found) != 1:
                    return None
                ref = found[0]
            else:
                org_id = self.org_ids.get(org)
                if org_id is None:
                    org_id = self.org_ids[org] = self.orgs.resolve(org)
                for ref in found:  # a loop, not next(generator): half the time per row
                    if ref.org_id == org_id:
                        break
                else:
                    return None
            if location_only == "":
                location_only = False
            elif location_only.__class__ is not bool:
                location_only = bool(boolean(location_only))
            if location_only:
                expression = quantity = None  # seen there, not counted
            else:
                if self.formulas:
                    expression = self.formulas.get(row, expression)
                if expression.__class__ is str:
                    expression = expression.strip()
                else:
                    expression = text(expression) or ""
                if expression[:1] == "=":
                    expression = expression[1:].strip()
                if not expression or len(expression) > self.expression_limit:
                    return None
                quantity = evaluate(expression)
                if not -self.largest <= quantity <= self.largest:
                    return None
            extras: tuple[Any, ...] = (cycle_id, package_id, tag_qty, notes, container, pallet)
            if extras == self._BLANK:
                extras = (None, None, None, None, None, None)
            else:
                extras = tuple(_cell_text(x) for x in extras)
                for i, (t, limit) in enumerate(zip(extras, self.limits, strict=True)):
                    if t is not None and (len(t) > limit or (
                            has_control_in_notes(t) if i == 3 else has_control(t))):
                        return None
            if not_received.__class__ is not bool:
                not_received = _flag(not_received)
            if movement.__class__ is not bool:
                movement = _flag(movement)
        except (CellError, ExpressionError):
            return None
        return (count_date, ref, counter, location, location_only, expression, quantity,
                *extras[:4], not_received, movement, *extras[4:])
