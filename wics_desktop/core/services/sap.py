"""SAP stock on hand (MB52 snapshots): upload dates, the rows of an upload, and book totals.

The contract's snapshot rule, per organization: the latest upload date on or before the date
asked that holds rows of that organization. A material's SAP total is the sum of amount x unit
multiplier (1 for a unit missing from the table) over its rows in its organization's snapshot;
absent from the snapshot means 0. An upload dated after the date is never used.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session

from ..display import display_name_sql
from ..models import Material, Organization, SapStock, UnitOfMeasure
from .fields import as_number
from .material_lookup import MaterialSet, restrict_to

if TYPE_CHECKING:
    from .sql_types import AnySelect


@dataclass(frozen=True)
class UploadInfo:
    upload_date: dt.date
    rows: int
    orgs: list[str]


@dataclass(slots=True)
class SapTotal:
    quantity: int | float  # sum of amount x multiplier
    value: int | float  # sum of value unrestricted
    currency: str | None  # None when the rows mix currencies
    snapshot_date: dt.date


@dataclass(slots=True)
class SapRow:
    id: int
    upload_date: dt.date
    org: str
    part_number: str
    material_id: int | None
    material: str | None
    description: str | None
    plant: str | None
    storage_location: str | None
    base_uom: str | None
    amount: float
    multiplier: float
    quantity: float
    currency: str | None
    value_unrestricted: float
    special_stock: str | None
    batch: str | None
    vendor: str | None
    blocked: float
    value_blocked: float


def multiplier_sql() -> ColumnElement[float]:
    return func.coalesce(UnitOfMeasure.multiplier, 1.0)


def snapshot_dates(session: Session, on: dt.date) -> dict[int, dt.date]:
    """Organization id -> its snapshot date for `on` (organizations without one are absent)."""
    # One max per organization through the (org_id, upload_date) index, instead of a GROUP BY
    # that reads every upload row on or before the date (SQLite walks the whole index).
    latest = (select(func.max(SapStock.upload_date))
              .where(SapStock.org_id == Organization.id, SapStock.upload_date <= on)
              .scalar_subquery())
    rows = session.execute(select(Organization.id, latest)).all()
    return {org_id: day for org_id, day in rows if day is not None}


def in_snapshots(snapshots: dict[int, dt.date]) -> ColumnElement[bool]:
    """SQL: the row belongs to its organization's snapshot. The dates are literal pairs, looked
    up first: a derived table of per-org dates joined here makes MariaDB re-run it per row
    ("lateral derived"), which turned a 2,000-material worksheet into minutes."""
    if not snapshots:
        return false()
    return or_(*[and_(SapStock.org_id == org_id, SapStock.upload_date == day)
                 for org_id, day in sorted(snapshots.items())])


def totals_query(snapshots: dict[int, dt.date], materials: MaterialSet | None = None) -> AnySelect:
    """(material_id, quantity, value, min currency, max currency, snapshot_date) per material
    in the given snapshots; `materials`: None (all), a list of ids, or a SELECT of distinct ids."""
    q = (select(SapStock.material_id,
                func.sum(SapStock.amount * multiplier_sql()).label("quantity"),
                func.sum(SapStock.value_unrestricted).label("value"),
                func.min(SapStock.currency), func.max(SapStock.currency),
                func.max(SapStock.upload_date))
         .outerjoin(UnitOfMeasure, UnitOfMeasure.uom == SapStock.base_uom)
         .where(in_snapshots(snapshots), SapStock.material_id.isnot(None))
         .group_by(SapStock.material_id))
    return restrict_to(q, SapStock.material_id, materials)


def collect_totals(rows: Iterable[tuple[Any, ...]]) -> dict[int, SapTotal]:
    return {mid: SapTotal(as_number(qty) or 0, as_number(value) or 0,
                          cur_min if cur_min == cur_max else None, snap)
            for mid, qty, value, cur_min, cur_max, snap in rows}


def sap_totals(session: Session, on: dt.date, material_ids: list[int] | None = None
               ) -> dict[int, SapTotal]:
    """Material id -> SAP total at `on`. Materials absent from their org's snapshot are absent
    here (their total is 0). `None` = every material."""
    snapshots = snapshot_dates(session, on)
    if material_ids is None:
        return collect_totals(session.execute(totals_query(snapshots)))
    ids = sorted(set(material_ids))
    result: dict[int, SapTotal] = {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        result.update(collect_totals(session.execute(
            totals_query(snapshots, chunk))))
    return result


def sap_total(session: Session, material_id: int, on: dt.date) -> int | float:
    total = sap_totals(session, on, [material_id]).get(material_id)
    return total.quantity if total else 0


def upload_dates(session: Session) -> list[UploadInfo]:
    """Every upload date, newest first, with its row count and organizations (one query)."""
    q = (select(SapStock.upload_date, Organization.name, func.count())
         .join(Organization, Organization.id == SapStock.org_id)
         .group_by(SapStock.upload_date, Organization.name))
    by_date: dict[dt.date, list[Any]] = {}
    for day, org, n in session.execute(q):
        entry = by_date.setdefault(day, [0, []])
        entry[0] += n
        entry[1].append(org)
    return [UploadInfo(day, n, sorted(names))
            for day, (n, names) in sorted(by_date.items(), reverse=True)]


def material_of_row(session: Session, sap_row_id: int) -> int | None:
    """The WICS material an SAP stock row's part number matched; None when it matched none
    (or the row is gone: a newer upload replaced it)."""
    row = session.get(SapStock, sap_row_id)
    return row.material_id if row is not None else None


def latest_upload_date(session: Session, on: dt.date | None = None) -> dt.date | None:
    q = select(func.max(SapStock.upload_date))
    if on is not None:
        q = q.where(SapStock.upload_date <= on)
    return session.scalar(q)


def upload_rows(session: Session, upload_date: dt.date, material_id: int | None = None,
                org: str | None = None) -> list[SapRow]:
    """The rows of one upload (optionally one material's or one org's), in org, material,
    storage location order."""
    q = (select(SapStock, Organization.name, display_name_sql(), UnitOfMeasure.multiplier)
         .join(Organization, Organization.id == SapStock.org_id)
         .outerjoin(Material, Material.id == SapStock.material_id)
         .outerjoin(UnitOfMeasure, UnitOfMeasure.uom == SapStock.base_uom)
         .where(SapStock.upload_date == upload_date)
         .order_by(Organization.name, SapStock.part_number, SapStock.storage_location, SapStock.id))
    if material_id is not None:
        q = q.where(SapStock.material_id == material_id)
    if org is not None:
        q = q.where(Organization.name == org)
    rows = []
    for r, org_name, name, mult in session.execute(q):
        factor = 1.0 if mult is None else mult
        rows.append(SapRow(
            r.id, r.upload_date, org_name, r.part_number, r.material_id,
            name if r.material_id is not None else None, r.description, r.plant,
            r.storage_location, r.base_uom, r.amount, factor, r.amount * factor, r.currency,
            r.value_unrestricted, r.special_stock, r.batch, r.vendor, r.blocked, r.value_blocked))
    return rows


def material_snapshot(session: Session, material_id: int, on: dt.date
                      ) -> tuple[dt.date | None, list[SapRow]]:
    """A material's rows in its organization's snapshot for `on` (the Material form's SAP line)."""
    org_id = session.scalar(select(Material.org_id).where(Material.id == material_id))
    day = session.scalar(select(func.max(SapStock.upload_date))
                         .where(SapStock.org_id == org_id, SapStock.upload_date <= on))
    if day is None:
        return None, []
    return day, upload_rows(session, day, material_id=material_id)
