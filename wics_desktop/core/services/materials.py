"""Materials: look-up by what a clerk types or scans, type-ahead search, the Count Entry side
panel card, and create/edit/delete. Manufacturer part numbers and photos live in `mpns` and
`photos`; their functions are re-exported here so callers need one module.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import and_, exists, func, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import ScalarSelect, Subquery

from .. import audit
from ..actor import Actor
from ..display import display_name_sql, parse_display_name
from ..errors import InputRejected, NotFound, RuleViolation, about
from ..models import (
    ActualCount,
    CountSchedule,
    ManufacturerPartNumber,
    Material,
    MaterialPhoto,
    Organization,
    PartType,
    SapStock,
)
from ..permissions import requires
from ..sql_text import contains_ci
from .fields import clean, join_words, number_text, optional_float, optional_int, plural, require
from .material_lookup import display_name_of, display_names, material_or_404
from .mpns import (  # re-exported: callers use materials.add_mpn etc.
    MpnRow,
    add_mpn,
    delete_mpn,
    find_by_mpn,
    list_mpns,
    update_mpn,
)
from .orgs import find_org
from .part_types import find_part_type, unknown_part_type
from .photos import PhotoInfo, add_photo, list_photos, photo_bytes, remove_photo  # re-exported

# Characters that make a part number unusable (they arrive from SAP exports and pastes).
BAD_PART_CHARS = ("\t", "\n", "\r", "\u00a0")


@dataclass(frozen=True)
class MaterialHit:
    id: int
    display_name: str
    part_number: str
    org: str
    description: str
    matched: str = "part_number"  # part_number | mpn | description
    mpn: str | None = None


@dataclass(frozen=True)
class MaterialCard:
    """Everything the Count Entry side panel and the Material form header show."""

    id: int
    display_name: str
    part_number: str
    org_id: int
    org: str
    description: str
    part_type_id: int | None
    part_type: str | None
    typical_container_qty: str | None
    typical_pallet_qty: str | None
    notes: str | None
    last_count_date: dt.date | None
    last_found_at: list[str]
    plant: str | None = None
    sap_material_type: str | None = None
    sap_material_group: str | None = None
    sap_manufacturer: str | None = None
    sap_mpn: str | None = None
    sap_abc: str | None = None
    price: float | None = None
    price_unit: int | None = None
    currency: str | None = None
    mpns: list[str] = field(default_factory=list)
    photo_count: int = 0


@dataclass
class MaterialInput:
    """A new material. `org` and `part_type` take a name or an id; part type defaults to UNKNOWN."""

    org: str | int
    part_number: str | int
    description: str = ""
    part_type: str | int | None = None
    plant: str | None = None
    sap_material_type: str | None = None
    sap_material_group: str | None = None
    sap_manufacturer: str | None = None
    sap_mpn: str | None = None
    sap_abc: str | None = None
    price: float | None = None
    price_unit: int | None = 1
    currency: str | None = None
    typical_container_qty: str | None = None
    typical_pallet_qty: str | None = None
    notes: str | None = None


# Text columns a caller may set, with their column lengths.
TEXT_FIELDS = {
    "description": 250, "plant": 20, "sap_material_type": 100, "sap_material_group": 100,
    "sap_manufacturer": 100, "sap_mpn": 100, "sap_abc": 5, "currency": 20,
    "typical_container_qty": 100, "typical_pallet_qty": 100, "notes": 1000,
}
EDITABLE = set(TEXT_FIELDS) | {"part_number", "org", "part_type", "part_type_id", "price",
                               "price_unit"}


# ---- look-up -------------------------------------------------------------------------------

def resolve(session: Session, text: object, org: str | int | None = None) -> Material:
    """The material a person means by `text`.

    Accepts a display name 'PART (ORG)', a part number (unique across organizations, or with
    `org`), a part number that arrived as a number (1115416.0), or a manufacturer part number.
    NotFound when nothing matches; RuleViolation naming the organizations when a plain part
    number exists in several.
    """
    raw = clean(text)
    if raw is None:
        raise InputRejected("Please enter a material.")
    part = number_text(text) if isinstance(text, (int, float)) else raw
    if org is not None and clean(org) is not None:
        owner = find_org(session, org)
        for candidate in dict.fromkeys((part, number_text(part))):
            row = session.scalar(select(Material).where(Material.org_id == owner.id,
                                                        Material.part_number == candidate))
            if row is not None:
                return row
        by_mpn = _by_mpn(session, raw)
        if by_mpn is not None and by_mpn.org_id == owner.id:
            return by_mpn
        raise NotFound(f"'{raw}' is not a known material in organization {owner.name}.")

    name_part, org_name = parse_display_name(raw)
    if org_name is not None:
        row = session.scalar(select(Material)
                             .join(Organization, Organization.id == Material.org_id)
                             .where(Material.part_number == name_part,
                                    Organization.name == org_name))
        if row is not None:
            return row
    for candidate in dict.fromkeys((part, number_text(part))):
        rows = session.execute(
            select(Material, Organization.name)
            .join(Organization, Organization.id == Material.org_id)
            .where(Material.part_number == candidate).order_by(Organization.name)).all()
        if len(rows) == 1:
            return rows[0][0]
        if len(rows) > 1:
            orgs = [name for _, name in rows]
            raise RuleViolation(
                f"'{candidate}' exists in {len(orgs)} organizations ({', '.join(orgs)}): "
                f"say which one, e.g. '{candidate} ({orgs[0]})'.",
            )
    by_mpn = _by_mpn(session, raw)
    if by_mpn is not None:
        return by_mpn
    raise NotFound(f"'{raw}' is not a known material.")


def _by_mpn(session: Session, text: str) -> Material | None:
    return session.scalar(select(Material).join(ManufacturerPartNumber,
                                                ManufacturerPartNumber.material_id == Material.id)
                          .where(ManufacturerPartNumber.mpn == text))


def _prefix(column: QueryableAttribute[str], prefix: str) -> ColumnElement[bool]:
    """`column LIKE 'prefix%'` written as a range, so both databases use the index (SQLite's
    LIKE is case-insensitive and cannot use a binary index)."""
    last = ord(prefix[-1])
    if last >= 0x10FFFF:
        return column >= prefix
    return and_(column >= prefix, column < prefix[:-1] + chr(last + 1))


FEW_HITS = 5


def _first_ids(column: QueryableAttribute[str], variants: list[str], limit: int,
               *extra: QueryableAttribute[int]) -> Subquery:
    """Derived table of the first `limit` rows (in index order) whose `column` starts with one
    of `variants`. Limiting inside, before the joins and the display-name check, lets both
    databases read `limit` index entries instead of every match ('1' matches most numbers)."""
    id_col = extra[0] if extra else Material.id
    parts = []
    for v in variants:
        q = (select(id_col.label("id"), column.label("key")).where(_prefix(column, v))
             .order_by(column, id_col).limit(limit).subquery())
        parts.append(select(q.c.id, q.c.key))
    return (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()


def search(session: Session, text: str, limit: int = 30,
           descriptions: bool = True) -> list[MaterialHit]:
    """Type-ahead: part numbers starting with `text` (as typed or upper-cased), then
    manufacturer part numbers starting with it, then descriptions containing it (ignoring
    case) — that last pass only when the text has 3+ characters and the first two found
    nothing (or, for text with a space, fewer than FEW_HITS); `descriptions=False` skips it.
    The first two are index range scans: instant on 100,000 materials."""
    text = (text or "").strip()
    if not text or limit <= 0:
        return []
    part, org_name = parse_display_name(text)
    hits: list[MaterialHit] = []
    seen: set[int] = set()

    def add(rows: Iterable[tuple[Any, ...]], matched: str) -> None:
        for mid, name, pn, org, desc, *rest in rows:
            if mid not in seen and len(hits) < limit:
                seen.add(mid)
                hits.append(MaterialHit(mid, name, pn, org, desc or "", matched,
                                        rest[0] if rest else None))

    base = (select(Material.id, display_name_sql(), Material.part_number, Organization.name,
                   Material.description)
            .join(Organization, Organization.id == Material.org_id))
    if org_name is not None:  # a full display name 'PART (ORG)' picked or pasted
        add(session.execute(base.where(Material.part_number == part,
                                       Organization.name == org_name)),
            "part_number")
    variants = list(dict.fromkeys((text, text.upper())))
    top = _first_ids(Material.part_number, variants, limit)
    rows = session.execute(base.join(top, top.c.id == Material.id)).all()
    add(sorted(rows, key=lambda r: (r[2], r[3])), "part_number")
    if len(hits) < limit:
        top = _first_ids(ManufacturerPartNumber.mpn, variants, limit,
                         ManufacturerPartNumber.material_id)
        q = (select(Material.id, display_name_sql(), Material.part_number, Organization.name,
                    Material.description, top.c.key)
             .join(Organization, Organization.id == Material.org_id)
             .join(top, top.c.id == Material.id))
        add(sorted(session.execute(q).all(), key=lambda r: r[5]), "mpn")
    few = FEW_HITS if " " in text else 1
    if descriptions and len(hits) < min(limit, few) and len(text) >= 3:
        # a full scan (a contains-match cannot use an index): only when the cheap passes
        # found next to nothing, so typing a part number stays instant
        # A plain table scan that stops at `limit` matches, in a derived table so the joins
        # come after it (joined first, MariaDB fetched every material by key); sorted here.
        top = (select(Material.id).where(contains_ci(session, Material.description, text))
               .limit(limit).subquery())
        rows = session.execute(base.join(top, top.c.id == Material.id)).all()
        add(sorted(rows, key=lambda r: (r[2], r[3])), "description")
    return hits


def get_card(session: Session, material_id: int) -> MaterialCard:
    from .counts import last_found  # counts imports materials' helpers; avoid a cycle

    q = (select(Material, Organization.name, PartType.name, display_name_sql())
         .join(Organization, Organization.id == Material.org_id)
         .outerjoin(PartType, PartType.id == Material.part_type_id)
         .where(Material.id == material_id))
    row = session.execute(q).first()
    if row is None:
        raise NotFound(f"There is no material with id {material_id}.")
    m, org, part_type, name = row
    found = last_found(session, [m.id]).get(m.id)
    mpns = list(session.scalars(select(ManufacturerPartNumber.mpn)
                                .where(ManufacturerPartNumber.material_id == m.id)
                                .order_by(ManufacturerPartNumber.mpn)))
    photos = session.scalar(select(func.count()).select_from(MaterialPhoto)
                            .where(MaterialPhoto.material_id == m.id))
    return MaterialCard(
        id=m.id, display_name=name, part_number=m.part_number, org_id=m.org_id, org=org,
        description=m.description or "", part_type_id=m.part_type_id, part_type=part_type,
        typical_container_qty=m.typical_container_qty, typical_pallet_qty=m.typical_pallet_qty,
        notes=m.notes, last_count_date=found.last_count_date if found else None,
        last_found_at=list(found.locations) if found else [], plant=m.plant,
        sap_material_type=m.sap_material_type, sap_material_group=m.sap_material_group,
        sap_manufacturer=m.sap_manufacturer, sap_mpn=m.sap_mpn, sap_abc=m.sap_abc, price=m.price,
        price_unit=m.price_unit, currency=m.currency, mpns=mpns, photo_count=photos or 0)


# ---- create / edit / delete ----------------------------------------------------------------

def clean_part_number(value: object) -> str:
    text = value if isinstance(value, str) else number_text(value) if value is not None else None
    if isinstance(text, str):
        inner = text.strip(" ")
        if any(ch in inner for ch in BAD_PART_CHARS):
            shown = inner.encode("unicode_escape").decode("ascii")
            raise InputRejected(f"'{shown}' is an unusable part number: it contains a tab, line "
                                "break or non-breaking space.")
    return require(text, "a part number", 100)


def _check_unique(session: Session, org_id: int, part_number: str, own_id: int | None) -> None:
    clash = session.scalar(select(Material.id).where(Material.org_id == org_id,
                                                     Material.part_number == part_number,
                                                     Material.id != (own_id or 0)))
    if clash is not None:
        org = session.get(Organization, org_id)
        assert org is not None  # the clashing material belongs to it (foreign key)
        raise RuleViolation(f"Material {part_number} already exists in organization {org.name}.")


def _apply(session: Session, m: Material, values: dict[str, Any]) -> None:
    unknown = set(values) - EDITABLE
    if unknown:
        raise InputRejected(f"Unknown material field(s): {', '.join(sorted(unknown))}.")
    for name, max_len in TEXT_FIELDS.items():
        if name in values:
            with about(name):
                text = clean(values[name], name.replace("_", " ").capitalize(), max_len)
            setattr(m, name, (text or "") if name == "description" else text)
    if "price" in values:
        with about("price"):
            m.price = optional_float(values["price"], "The price")
    if "price_unit" in values:
        with about("price_unit"):
            m.price_unit = optional_int(values["price_unit"], "The price unit")
    if "part_type_id" in values:
        pt = values["part_type_id"]
        with about("part_type"):
            m.part_type_id = None if pt is None else find_part_type(session, int(pt)).id
    if "part_type" in values:
        pt = values["part_type"]
        with about("part_type"):
            m.part_type_id = None if clean(pt) is None else find_part_type(session, pt).id
    if "org" in values:
        with about("org"):
            m.org_id = find_org(session, values["org"]).id
    if "part_number" in values:
        with about("part_number"):
            m.part_number = clean_part_number(values["part_number"])


@requires("edit_materials")
def create_material(session: Session, actor: Actor, data: MaterialInput) -> Material:
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    with about("org"):
        org = find_org(session, values.pop("org"))
    with about("part_number"):
        part_number = clean_part_number(values.pop("part_number"))
        _check_unique(session, org.id, part_number, None)
    m = Material(org_id=org.id, part_number=part_number, description="")
    if values.get("part_type") is None:
        values["part_type_id"] = unknown_part_type(session).id
        values.pop("part_type")
    _apply(session, m, values)
    session.add(m)
    org_name = org.name  # read before the flush: a failed flush expires every loaded object
    try:
        session.flush()
    except IntegrityError as exc:  # another workstation added it a moment ago
        raise RuleViolation(f"Material {part_number} already exists in organization "
                            f"{org_name}.") from exc
    audit.record(session, actor, "material", m.id, "create", None, audit.snapshot(m))
    return m


@requires("edit_materials")
def update_material(session: Session, actor: Actor, material_id: int, **changes: Any) -> Material:
    """Change some fields (description, part_type or part_type_id, typical_container_qty,
    typical_pallet_qty, notes, price, ... also part_number and org)."""
    m = material_or_404(session, material_id)
    before = audit.snapshot(m)
    _apply(session, m, changes)
    if m.part_number != before["part_number"] or m.org_id != before["org_id"]:
        _check_unique(session, m.org_id, m.part_number, m.id)
    after = audit.snapshot(m)
    if after != before:
        try:
            session.flush()
        except IntegrityError as exc:
            raise RuleViolation(f"Material {after['part_number']} could not be saved: it already "
                                "exists in that organization.") from exc
        audit.record(session, actor, "material", m.id, "update", before, after)
    return m


def references(session: Session, material_id: int) -> dict[str, int]:
    """How many counts, schedule entries and SAP rows refer to a material (one query)."""
    def n(model: type[ActualCount] | type[CountSchedule] | type[SapStock]) -> ScalarSelect[int]:
        return select(func.count()).select_from(model).where(model.material_id == material_id) \
            .scalar_subquery()
    counts, schedule, sap = session.execute(
        select(n(ActualCount), n(CountSchedule), n(SapStock))).one()
    return {"counts": counts, "schedule": schedule, "sap": sap}


def delete_refusal(session: Session, material_id: int) -> str | None:
    """Why a material cannot be deleted, or None when it can."""
    refs = references(session, material_id)
    parts = [plural(refs["counts"], "count"), plural(refs["schedule"], "schedule entry",
                                                     "schedule entries"),
             plural(refs["sap"], "SAP stock row")]
    used = [p for p, k in zip(parts, ("counts", "schedule", "sap"), strict=True) if refs[k]]
    if not used:
        return None
    name = display_name_of(session, material_id)
    return (f"Material {name} cannot be deleted: {join_words(used)} still refer to it.")


@requires("edit_materials")
def delete_material(session: Session, actor: Actor, material_id: int) -> None:
    m = material_or_404(session, material_id)
    reason = delete_refusal(session, material_id)
    if reason:
        raise RuleViolation(reason)
    # The name is read now: after a failed flush the transaction is gone and `m` cannot load.
    name = display_name_of(session, material_id)
    audit.record(session, actor, "material", m.id, "delete", audit.snapshot(m), None)
    session.delete(m)  # its photos and manufacturer part numbers go with it
    try:
        session.flush()
    except IntegrityError as exc:  # a count arrived between the check and the delete
        raise RuleViolation(f"Material {name} is in use and cannot be deleted.") from exc


def material_exists(session: Session, org_id: int, part_number: str) -> bool:
    return bool(session.scalar(select(exists().where(Material.org_id == org_id,
                                                     Material.part_number == part_number))))


def has_materials(session: Session) -> bool:
    """Does the database hold any material yet? (the demo fills an empty one)"""
    return bool(session.scalar(select(exists().where(Material.id.is_not(None)))))


def first_material_id(session: Session) -> int | None:
    """The lowest material id, None without materials (the self-test opens one)."""
    found: int | None = session.scalar(select(Material.id).order_by(Material.id).limit(1))
    return found


__all__ = [
    "MaterialHit", "MaterialCard", "MaterialInput", "resolve", "search", "get_card",
    "create_material", "update_material", "delete_material", "delete_refusal", "references",
    "has_materials", "first_material_id",
    "display_names", "display_name_of", "material_or_404", "MpnRow", "add_mpn", "update_mpn",
    "delete_mpn", "find_by_mpn", "list_mpns", "PhotoInfo", "add_photo", "list_photos",
    "photo_bytes", "remove_photo", "PartType",
]
