"""Manufacturer part numbers: a clerk may scan the maker's label instead of our part number."""
from __future__ import annotations

from dataclasses import dataclass
from types import EllipsisType

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit
from ..actor import Actor
from ..errors import NotFound, RuleViolation
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
    material_or_404(session, material_id)
    text = require(mpn, "a manufacturer part number", 250)
    _check_free(session, text, None)
    row = ManufacturerPartNumber(mpn=text, material_id=material_id,
                                 manufacturer=clean(manufacturer, "The manufacturer", 250),
                                 notes=clean(notes, "The notes", 250))
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
        text = require(mpn, "a manufacturer part number", 250)
        _check_free(session, text, row.id)
        row.mpn = text
    if manufacturer is not ...:
        row.manufacturer = clean(manufacturer, "The manufacturer", 250)
    if notes is not ...:
        row.notes = clean(notes, "The notes", 250)
    if material_id is not None:
        row.material_id = material_or_404(session, material_id).id
    session.flush()
    audit.record(session, actor, "mpn", row.id, "update", before, audit.snapshot(row))
    return _rows(session, [row])[0]


@requires("edit_mpns")
def delete_mpn(session: Session, actor: Actor, mpn_id: int) -> None:
    row = session.get(ManufacturerPartNumber, mpn_id)
    if row is None:
        raise NotFound(f"There is no manufacturer part number with id {mpn_id}.")
    audit.record(session, actor, "mpn", row.id, "delete", audit.snapshot(row), None)
    session.delete(row)
    session.flush()
