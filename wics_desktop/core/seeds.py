"""Reference rows every WICS database needs, applied (idempotently) by `wics db upgrade`."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import params
from .models import UNKNOWN_PART_TYPE, PartType, UnitOfMeasure

# The reference's UOM table: every multiplier is 1 except these.
UOM_MULTIPLIERS = {"DZ": 12.0, "GRO": 144.0, "KPC": 1000.0, "PAA": 2.0, "TS": 1000.0}
UOM_CODES = (
    "BAG BT CAN CAR CRT CV DR DZ EA GAL GRO KPC L LB MG ML MM MM2 NAM OZ PAA PAC PAL PC PT QT "
    "ROL TO TON TS VAL YD YD2 YD3 µL µM"
).split()
UOM_TEXT = {
    "DZ": "Dozen", "GRO": "Gross", "KPC": "Thousand pieces", "PAA": "Pair", "TS": "Thousands",
    "EA": "Each", "PC": "Piece", "KG": "Kilogram", "L": "Litre", "ROL": "Roll", "PAL": "Pallet",
}
UNKNOWN_PART_TYPE_PRIORITY = 50000


def apply(session: Session) -> None:
    params.ensure_declared(session)
    existing = set(session.scalars(select(UnitOfMeasure.uom)))
    for code in UOM_CODES:
        if code not in existing:
            session.add(UnitOfMeasure(uom=code, uom_text=UOM_TEXT.get(code),
                                      multiplier=UOM_MULTIPLIERS.get(code, 1.0)))
    if session.scalar(select(PartType.id).where(PartType.name == UNKNOWN_PART_TYPE)) is None:
        session.add(PartType(name=UNKNOWN_PART_TYPE, priority=UNKNOWN_PART_TYPE_PRIORITY))
    session.flush()
