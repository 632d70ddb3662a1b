"""Units of measure: SAP's base unit of a stock row and the multiplier that turns it into
counting units (KPC x 1000). Adding is `orgs.add_uom` (the setup command's idempotent add);
here the admin screen's list, edit and removal.

A unit that SAP stock rows use is joined to them by its code, so its code cannot change and it
cannot be removed while they exist (their quantities would silently fall back to x 1); its
multiplier and text can change (every SAP quantity of that unit follows, which is the point).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..actor import Actor
from ..errors import NotFound, RuleViolation
from ..models import SapStock, UnitOfMeasure
from . import permits
from .fields import clean, plural
from .orgs import SETUP_PERMISSION, SetupResult, add_uom, check_multiplier, setup_text


@dataclass(frozen=True)
class UnitRow:
    id: int
    uom: str
    text: str | None
    multiplier: float
    sap_rows: int  # SAP stock rows in this unit


def list_units(session: Session) -> list[UnitRow]:
    used = dict(session.execute(select(SapStock.base_uom, func.count())
                                .where(SapStock.base_uom.isnot(None))
                                .group_by(SapStock.base_uom)).all())
    return [UnitRow(u.id, u.uom, u.uom_text, u.multiplier, used.get(u.uom, 0))
            for u in session.scalars(select(UnitOfMeasure).order_by(UnitOfMeasure.uom))]


def _unit(session: Session, unit: int | str) -> UnitOfMeasure:
    if isinstance(unit, int) and not isinstance(unit, bool):
        row = session.get(UnitOfMeasure, unit)
    else:
        row = session.scalar(select(UnitOfMeasure).where(UnitOfMeasure.uom == str(unit).strip()))
    if row is None:
        raise NotFound(f"'{unit}' is not a known unit of measure.")
    return row


def _sap_rows(session: Session, code: str) -> int:
    return session.scalar(select(func.count()).select_from(SapStock)
                          .where(SapStock.base_uom == code)) or 0


def _text(value: object) -> str | None:
    text = clean(value, "The unit text", 100)
    return None if text is None else setup_text(text, "the unit text", 100)


def add_unit(session: Session, actor: Actor, uom: str, multiplier: object,
             text: str | None = None) -> SetupResult:
    """A new unit; an existing code is refused (the screen's New must not overwrite)."""
    permits.check(actor, SETUP_PERMISSION)
    code = setup_text(uom, "a unit of measure", 50)
    if session.scalar(select(UnitOfMeasure.id).where(UnitOfMeasure.uom == code)) is not None:
        raise RuleViolation(f"There is already a unit of measure {code}.")
    check_multiplier(code, multiplier)
    return add_uom(session, actor, code, multiplier, _text(text))


def update_unit(session: Session, actor: Actor, unit: int | str, *, uom: str,
                multiplier: object, text: str | None) -> SetupResult:
    permits.check(actor, SETUP_PERMISSION)
    row = _unit(session, unit)
    code = setup_text(uom, "a unit of measure", 50)
    factor = check_multiplier(code, multiplier)
    new_text = _text(text)
    if code != row.uom:
        clash = session.scalar(select(UnitOfMeasure.id).where(UnitOfMeasure.uom == code,
                                                              UnitOfMeasure.id != row.id))
        if clash is not None:
            raise RuleViolation(f"There is already a unit of measure {code}.")
        used = _sap_rows(session, row.uom)
        if used:
            raise RuleViolation(f"{row.uom} is the unit of {plural(used, 'SAP stock row')}: its "
                                f"code cannot change (add {code} as a new unit instead).")
    before = audit.snapshot(row)
    row.uom, row.multiplier, row.uom_text = code, factor, new_text
    after = audit.snapshot(row)
    changed = after != before
    if changed:
        session.flush()
        audit.record(session, actor, "unit_of_measure", code, "update", before, after)
    return SetupResult("unit_of_measure", code, False, changed,
                       {"uom": code, "multiplier": factor, "text": new_text})


def delete_unit(session: Session, actor: Actor, unit: int | str) -> None:
    permits.check(actor, SETUP_PERMISSION)
    row = _unit(session, unit)
    used = _sap_rows(session, row.uom)
    if used:
        raise RuleViolation(f"{row.uom} has {plural(used, 'SAP stock row')}: it cannot be "
                            "removed (their quantities use its multiplier).")
    audit.record(session, actor, "unit_of_measure", row.uom, "delete", audit.snapshot(row), None)
    session.delete(row)
    session.flush()


