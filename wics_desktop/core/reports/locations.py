"""Where materials are: the material locations report and the location list.

Material locations: each material's last found at (its latest count date's locations) and its
SAP storage locations in its organization's latest snapshot; a material with no SAP stock whose
last count is older than LOCRPT-COUNTDAYS-IFNOSAP days (or never counted) is left out.
Location list: each location with the materials last found there. Five queries.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import clock, params
from ..models import SapStock, UnitOfMeasure
from ..services.counts import collect_last_found, last_found_query
from ..services.sap import in_snapshots, multiplier_sql, snapshot_dates
from .material_info import material_info
from .numbers import number
from .xlsx import Column, Sheet, write_xlsx


@dataclass(slots=True)
class StorageLocation:
    storage_location: str | None
    quantity: int | float


@dataclass(slots=True)
class MaterialLocation:
    material_id: int
    material: str
    org: str
    part_type: str | None
    description: str
    notes: str | None
    last_count_date: dt.date | None
    last_found_at: list[str]
    sap_date: dt.date | None
    sap_locations: list[StorageLocation]


@dataclass(slots=True)
class LocationEntry:
    material_id: int
    material: str
    org: str
    count_date: dt.date


@dataclass
class LocationGroup:
    location: str
    materials: list[LocationEntry] = field(default_factory=list)


@dataclass
class LocationsReport:
    as_of: dt.date
    days_if_no_sap: int
    hidden: int
    materials: list[MaterialLocation]
    locations: list[LocationGroup]

    def as_dict(self) -> dict[str, Any]:
        def day(d: dt.date | None) -> str | None:
            return d.isoformat() if d else None
        return {
            "as_of": self.as_of.isoformat(), "days_if_no_sap": self.days_if_no_sap,
            "hidden": self.hidden,
            "materials": [{"material": m.material, "org": m.org, "material_id": m.material_id,
                           "part_type": m.part_type, "description": m.description,
                           "notes": m.notes, "last_count_date": day(m.last_count_date),
                           "last_found_at": m.last_found_at, "sap_date": day(m.sap_date),
                           "sap_locations": [{"storage_location": s.storage_location,
                                              "quantity": s.quantity} for s in m.sap_locations]}
                          for m in self.materials],
            "locations": [{"location": g.location,
                           "materials": [{"material": e.material, "org": e.org,
                                          "material_id": e.material_id,
                                          "count_date": day(e.count_date)} for e in g.materials]}
                          for g in self.locations],
        }


def build(session: Session, as_of: dt.date | None = None) -> LocationsReport:
    today = as_of or clock.today()
    days = int(params.get_float(session, params.LOCRPT_COUNTDAYS_IFNOSAP))
    cutoff = today - dt.timedelta(days=days)
    info = material_info(session)
    found = collect_last_found(session.execute(last_found_query()))
    q = (select(SapStock.material_id, SapStock.upload_date, SapStock.storage_location,
                func.sum(SapStock.amount * multiplier_sql()))
         .outerjoin(UnitOfMeasure, UnitOfMeasure.uom == SapStock.base_uom)
         .where(in_snapshots(snapshot_dates(session, today)), SapStock.material_id.isnot(None))
         .group_by(SapStock.material_id, SapStock.upload_date, SapStock.storage_location))
    sap: dict[int, tuple[dt.date, list[StorageLocation]]] = {}
    for mid, day, sloc, qty in session.execute(q):
        assert mid is not None  # WHERE material_id IS NOT NULL
        sap.setdefault(mid, (day, []))[1].append(StorageLocation(sloc, number(qty) or 0))
    materials, hidden = [], 0
    for mid, mi in info.items():
        lf = found.get(mid)
        snap_day, slocs = sap.get(mid, (None, []))
        if not slocs and (lf is None or lf.last_count_date < cutoff):
            hidden += 1
            continue
        slocs.sort(key=lambda s: s.storage_location or "")
        materials.append(MaterialLocation(
            mid, mi.material, mi.org, mi.part_type, mi.description, mi.notes,
            lf.last_count_date if lf else None, list(lf.locations) if lf else [], snap_day, slocs))
    materials.sort(key=lambda m: m.material)
    groups: dict[str, LocationGroup] = {}
    for mid, lf in found.items():
        mi = info[mid]
        for loc in lf.locations:
            groups.setdefault(loc, LocationGroup(loc)).materials.append(
                LocationEntry(mid, mi.material, mi.org, lf.last_count_date))
    for g in groups.values():
        g.materials.sort(key=lambda e: e.material)
    return LocationsReport(today, days, hidden, materials,
                           sorted(groups.values(), key=lambda g: g.location))


def to_xlsx(report: LocationsReport, path: str | Path) -> None:
    mat_cols = [Column("Material", 22), Column("Organization", 12), Column("Part Type", 14),
                Column("Description", 36), Column("Last Counted", 12, "yyyy-mm-dd"),
                Column("Last Found At", 28), Column("SAP Date", 11, "yyyy-mm-dd"),
                Column("SAP Storage Locations", 34), Column("Notes", 30)]
    loc_cols = [Column("Location", 20), Column("Material", 22), Column("Organization", 12),
                Column("Last Counted", 12, "yyyy-mm-dd")]
    mats = ([m.material, m.org, m.part_type, m.description, m.last_count_date, m.last_found_at,
             m.sap_date, [f"{s.storage_location or '-'}: {s.quantity}" for s in m.sap_locations],
             m.notes] for m in report.materials)
    locs = ([g.location, e.material, e.org, e.count_date]
            for g in report.locations for e in g.materials)
    write_xlsx(path, [Sheet("Material Locations", mat_cols, mats),
                      Sheet("Location List", loc_cols, locs)])
