"""Organizations, the SAP plants that belong to them, and units of measure (setup data).

The `add`/`ensure` functions are idempotent, as the setup commands promise: adding what exists
updates it. Renames and removals are for admins (the Organizations and Plants screens, `wics
org|plant ...`); a removal is refused while anything refers to the row, and the refusal names
what does. Every change is audited (before/after). Units of measure: see units.py.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from .. import audit
from ..actor import Actor
from ..errors import InputRejected, NotFound, RuleViolation
from ..models import Base, Material, Organization, SapPlant, SapStock, UnitOfMeasure
from . import permits
from .fields import clean, join_words, optional_float, plural, require

SETUP_PERMISSION = "edit_orgs"  # organizations, plants, units (admins)


@dataclass(frozen=True)
class OrgRow:
    id: int
    name: str
    plants: list[str]
    materials: int


@dataclass(frozen=True)
class PlantRow:
    plant: str
    org_id: int
    org: str
    materials: int  # materials whose SAP plant is this code
    sap_rows: int  # SAP stock rows of this plant


@dataclass(frozen=True)
class SetupResult:
    """What a setup command did: `created` False means an existing row was updated/kept."""

    entity: str
    key: str
    created: bool
    changed: bool
    values: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "key": self.key, "created": self.created,
                "changed": self.changed, **self.values}


def find_org(session: Session, name_or_id: object) -> Organization:
    """An organization by name, or by numeric id (spreadsheets carry either)."""
    if isinstance(name_or_id, int) and not isinstance(name_or_id, bool):
        org = session.get(Organization, name_or_id)  # an id from a list, never a name
        if org is None:
            raise NotFound(f"There is no organization with id {name_or_id}.")
        return org
    text = require(name_or_id, "an organization")
    org = session.scalar(select(Organization).where(Organization.name == text))
    if org is None and text.isdigit():
        org = session.get(Organization, int(text))
    if org is None:
        raise NotFound(f"'{text}' is not a known organization.")
    return org


def list_orgs(session: Session) -> list[OrgRow]:
    plants: dict[int, list[str]] = {}
    for plant, org_id in session.execute(select(SapPlant.plant, SapPlant.org_id)
                                         .order_by(SapPlant.plant)):
        plants.setdefault(org_id, []).append(plant)
    counts = dict(session.execute(select(Material.org_id, func.count())
                                  .group_by(Material.org_id)).all())
    return [OrgRow(o.id, o.name, plants.get(o.id, []), counts.get(o.id, 0))
            for o in session.scalars(select(Organization).order_by(Organization.name))]


def setup_text(value: object, field: str, max_len: int) -> str:
    """A required name or code: stripped, not blank, not too long, no control characters
    (a pasted tab or line break would make a name nobody can type again)."""
    text = require(value, field, max_len)
    bad = [ch for ch in text if ord(ch) < 32 or 127 <= ord(ch) < 160]
    if bad:
        raise InputRejected(f"{field[0].upper()}{field[1:]} may not contain control characters "
                            f"such as tabs or line breaks ({text!r}).")
    return text


def add_org(session: Session, actor: Actor, name: str) -> SetupResult:
    permits.check(actor, SETUP_PERMISSION)
    name = setup_text(name, "an organization name", 250)
    org = session.scalar(select(Organization).where(Organization.name == name))
    created = org is None
    if org is None:
        org = Organization(name=name)
        session.add(org)
        session.flush()
        audit.record(session, actor, "organization", org.id, "create", None, audit.snapshot(org))
    return SetupResult("organization", name, created, created, {"id": org.id, "name": name})


def _count(session: Session, model: type[Base], *where: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _refusal(name: str, refs: list[tuple[int, str]], advice: str) -> str:
    words = join_words([plural(n, word) for n, word in refs if n])
    return f"{name} has {words}: it cannot be removed. {advice}"


def rename_org(session: Session, actor: Actor, name_or_id: object, new_name: str) -> SetupResult:
    """Give an organization another name (materials keep it: they refer to its id)."""
    permits.check(actor, SETUP_PERMISSION)
    org = find_org(session, name_or_id)
    new = setup_text(new_name, "an organization name", 250)
    clash = session.scalar(select(Organization.id).where(Organization.name == new,
                                                         Organization.id != org.id))
    if clash is not None:
        raise RuleViolation(f"There is already an organization named {new}.")
    before = audit.snapshot(org)
    changed = org.name != new
    if changed:
        org.name = new
        session.flush()
        audit.record(session, actor, "organization", org.id, "update", before, audit.snapshot(org))
    return SetupResult("organization", new, False, changed, {"id": org.id, "name": new})


def delete_org(session: Session, actor: Actor, name: str) -> None:
    """Remove an organization nothing refers to (no materials, SAP stock rows or plants)."""
    permits.check(actor, SETUP_PERMISSION)
    org = find_org(session, name)
    refs = [(_count(session, Material, Material.org_id == org.id), "material"),
            (_count(session, SapPlant, SapPlant.org_id == org.id), "plant"),
            (_count(session, SapStock, SapStock.org_id == org.id), "SAP stock row")]
    if any(n for n, _ in refs):
        raise RuleViolation(_refusal(org.name, refs, "Move or remove those first."))
    audit.record(session, actor, "organization", org.id, "delete", audit.snapshot(org), None)
    session.delete(org)
    session.flush()


def list_plants(session: Session) -> list[PlantRow]:
    """Every SAP plant with its organization and what refers to it (three grouped queries)."""
    mats = dict(session.execute(select(Material.plant, func.count())
                                .where(Material.plant.isnot(None)).group_by(Material.plant)).all())
    sap = dict(session.execute(select(SapStock.plant, func.count())
                               .where(SapStock.plant.isnot(None)).group_by(SapStock.plant)).all())
    q = (select(SapPlant.plant, SapPlant.org_id, Organization.name)
         .join(Organization, Organization.id == SapPlant.org_id).order_by(SapPlant.plant))
    return [PlantRow(code, org_id, org, mats.get(code, 0), sap.get(code, 0))
            for code, org_id, org in session.execute(q)]


def _plant(session: Session, plant: object) -> SapPlant:
    code = require(plant, "a plant code", 20)
    row = session.get(SapPlant, code)
    if row is None:
        raise NotFound(f"'{code}' is not a known SAP plant.")
    return row


def move_plant(session: Session, actor: Actor, plant: str, org: str) -> SetupResult:
    """Map an existing plant to another organization (the next imports read it so)."""
    permits.check(actor, SETUP_PERMISSION)
    return add_plant(session, actor, _plant(session, plant).plant, org)


def delete_plant(session: Session, actor: Actor, plant: str) -> None:
    """Remove a plant no material and no SAP stock row names."""
    permits.check(actor, SETUP_PERMISSION)
    row = _plant(session, plant)
    refs = [(_count(session, Material, Material.plant == row.plant), "material"),
            (_count(session, SapStock, SapStock.plant == row.plant), "SAP stock row")]
    if any(n for n, _ in refs):
        raise RuleViolation(_refusal(f"Plant {row.plant}", refs,
                                     "Its materials and SAP stock rows still name it."))
    audit.record(session, actor, "sap_plant", row.plant, "delete", audit.snapshot(row), None)
    session.delete(row)
    session.flush()


def add_plant(session: Session, actor: Actor, plant: str, org: str) -> SetupResult:
    permits.check(actor, SETUP_PERMISSION)
    code = setup_text(plant, "a plant code", 20)
    target = find_org(session, org)
    row = session.get(SapPlant, code)
    created = row is None
    changed = created
    if row is None:
        row = SapPlant(plant=code, org_id=target.id)
        session.add(row)
        session.flush()
        audit.record(session, actor, "sap_plant", code, "create", None, audit.snapshot(row))
    elif row.org_id != target.id:
        before = audit.snapshot(row)
        row.org_id = target.id
        session.flush()
        changed = True
        audit.record(session, actor, "sap_plant", code, "update", before, audit.snapshot(row))
    return SetupResult("sap_plant", code, created, changed, {"plant": code, "org": target.name})


def plant_orgs(session: Session) -> dict[str, int]:
    """Plant code -> organization id, for imports."""
    return dict(session.execute(select(SapPlant.plant, SapPlant.org_id)).all())


def check_multiplier(code: str, multiplier: object) -> float:
    try:
        factor = optional_float(multiplier, "The multiplier")
    except InputRejected:
        factor = None
    if factor is None or not math.isfinite(factor) or factor <= 0 or factor > 1e9:
        raise InputRejected(f"The multiplier of {code} must be a number above 0 (and at most "
                            f"1,000,000,000), not '{'' if multiplier is None else multiplier}'.")
    return factor


def add_uom(session: Session, actor: Actor, uom: str, multiplier: object,
            text: str | None = None) -> SetupResult:
    permits.check(actor, SETUP_PERMISSION)
    code = setup_text(uom, "a unit of measure", 50)
    factor = check_multiplier(code, multiplier)
    row = session.scalar(select(UnitOfMeasure).where(UnitOfMeasure.uom == code))
    created = row is None
    if row is None:
        row = UnitOfMeasure(uom=code, multiplier=factor, uom_text=clean(text, "The unit text", 100))
        session.add(row)
        session.flush()
        audit.record(session, actor, "unit_of_measure", code, "create", None, audit.snapshot(row))
        changed = True
    else:
        before = audit.snapshot(row)
        row.multiplier = factor
        if text is not None:
            row.uom_text = clean(text, "The unit text", 100)
        changed = audit.snapshot(row) != before
        if changed:
            session.flush()
            audit.record(session, actor, "unit_of_measure", code, "update", before,
                         audit.snapshot(row))
    return SetupResult("unit_of_measure", code, created, changed,
                       {"uom": code, "multiplier": factor})


def multipliers(session: Session) -> dict[str, float]:
    return dict(session.execute(select(UnitOfMeasure.uom, UnitOfMeasure.multiplier)).all())
