"""Manufacturer part numbers: a clerk may scan the maker's label instead of our part number."""
from __future__ import annotations

from dataclasses import dataclass
from types import EllipsisType

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit
from ..actor import Actor
from ..errors import InputRejected, NotFound, RuleViolation, about
from ..models import ManufacturerPartNumber
from ..permissions import requires
from .fields import clean, require
from .material_lookup import display_names, material_or_404


@dataclass(frozen=True)
class MpnRow:
    id: int
    mpn: str
    manufacturer: str | None
    material_id: int
    material: str
    notes: str | None


def _rows(session: Session, rows: list[ManufacturerPartNumber]) -> list[MpnRow]:
    names = display_names(session, [r.material_id for r in rows])
    return [MpnRow(r.id, r.mpn, r.manufacturer, r.material_id, names.get(r.material_id, ""),
                   r.notes)
            for r in rows]


def list_mpns(session: Session, material_id: int | None = None) -> list[MpnRow]:
    q = select(ManufacturerPartNumber).order_by(ManufacturerPartNumber.mpn)
    if material_id is not None:
        q = q.where(ManufacturerPartNumber.material_id == material_id)
    return _rows(session, list(session.scalars(q)))


def get_mpn(session: Session, mpn_id: int) -> MpnRow | None:
    """The manufacturer part number with this id, None when it no longer exists."""
    row = session.get(ManufacturerPartNumber, mpn_id)
    return _rows(session, [row])[0] if row is not None else None


def find_by_mpn(session: Session, mpn: str) -> MpnRow:
    text = require(mpn, "a manufacturer part number")
    row = session.scalar(select(ManufacturerPartNumber).where(ManufacturerPartNumber.mpn == text))
    if row is None:
        raise NotFound(f"'{text}' is not a known manufacturer part number.")
    return _rows(session, [row])[0]


def _check_free(session: Session, mpn: str, own_id: int | None) -> None:
    other = session.scalar(select(ManufacturerPartNumber).where(
        ManufacturerPartNumber.mpn == mpn, ManufacturerPartNumber.id != (own_id or 0)))
    if other is not None:
        name = display_names(session, [other.material_id]).get(other.material_id, "?")
        raise RuleViolation(f"Manufacturer part number {mpn} already belongs to material {name}.")


@requires("edit_mpns")
def add_mpn(session: Session, actor: Actor, material_id: int, mpn: str,
            manufacturer: str | None = None, notes: str | None = None) -> MpnRow:
    with about("material"):
        material_or_404(session, material_id)
    with about("mpn"):
        text = require(mpn, "a manufacturer part number", 250)
        _check_free(session, text, None)
    with about("manufacturer"):
        manufacturer = clean(manufacturer, "The manufacturer", 250)
    with about("notes"):
        notes = clean(notes, "The notes", 250)
    row = ManufacturerPartNumber(mpn=text, material_id=material_id, manufacturer=manufacturer,
                                 notes=notes)
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise RuleViolation(f"Manufacturer part number {text} already exists.") from exc
    audit.record(session, actor, "mpn", row.id, "create", None, audit.snapshot(row))
    return _rows(session, [row])[0]


@requires("edit_mpns")
def update_mpn(session: Session, actor: Actor, mpn_id: int, *, mpn: str | None = None,
               manufacturer: str | None | EllipsisType = ...,
               notes: str | None | EllipsisType = ...,
               material_id: int | None = None) -> MpnRow:
    row = session.get(ManufacturerPartNumber, mpn_id)
    if row is None:
        raise NotFound(f"There is no manufacturer part number with id {mpn_id}.")
    before = audit.snapshot(row)
    if mpn is not None:
        with about("mpn"):
            text = require(mpn, "a manufacturer part number", 250)
            _check_free(session, text, row.id)
        row.mpn = text
    if manufacturer is not ...:
        with about("manufacturer"):
            row.manufacturer = clean(manufacturer, "The manufacturer", 250)
    if notes is not ...:
        with about("notes"):
            row.notes = clean(notes, "The notes", 250)
    if material_id is not None:
        with about("material"):
            row.material_id = material_or_404(session, material_id).id
    session.flush()
    audit.record(session, actor, "mpn", row.id, "update", before, audit.snapshot(row))
    return _rows(session, [row])[0]


def save_mpn(session: Session, actor: Actor, mpn_id: int | None, material_id: int, mpn: str,
             manufacturer: str | None, notes: str | None) -> MpnRow:
    """The MPN dialog's Save: a new manufacturer part number (mpn_id None) or changes to one."""
    if mpn_id is None:
        return add_mpn(session, actor, material_id, mpn, manufacturer, notes)
    return update_mpn(session, actor, mpn_id, mpn=mpn, manufacturer=manufacturer, notes=notes,
                      material_id=material_id)


@requires("edit_mpns")
def delete_mpn(session: Session, actor: Actor, mpn_id: int) -> None:
    row = session.get(ManufacturerPartNumber, mpn_id)
    if row is None:
        raise NotFound(f"There is no manufacturer part number with id {mpn_id}.")
    audit.record(session, actor, "mpn", row.id, "delete", audit.snapshot(row), None)
    session.delete(row)
    session.flush()


@dataclass(frozen=True)
class MpnEdits:
    """What a person did to a material's MPN table: rows removed, and every row as it now
    reads (id None: a new row), with the rows as they were loaded."""

    deleted: tuple[int, ...]
    rows: tuple[tuple[int | None, str, str, str], ...]  # (id, mpn, manufacturer, notes)
    original: dict[int, tuple[str, str, str]]


@requires("edit_mpns")
def apply_edits(session: Session, actor: Actor, material_id: int, edits: MpnEdits) -> int:
    """Write the MPN table's changes (inside the caller's transaction); returns how many."""
    n = 0
    for gone_id in edits.deleted:
        delete_mpn(session, actor, gone_id)
        n += 1
    for mpn_id, mpn, maker, notes in edits.rows:
        if mpn_id is None:
            if mpn or maker or notes:
                if not mpn:
                    raise InputRejected("A manufacturer part number row has a manufacturer or "
                                        "notes but no part number: fill it in or clear the row.",
                                        field="mpns")
                add_mpn(session, actor, material_id, mpn, maker or None, notes or None)
                n += 1
        elif (mpn, maker, notes) != edits.original.get(mpn_id):
            update_mpn(session, actor, mpn_id, mpn=mpn, manufacturer=maker or None,
                       notes=notes or None)
            n += 1
    return n
