"""Material lists: by part type, by last count date, by descending SAP value.

Per material: part type, last count date, last found at, SAP quantity (None = no rows in its
organization's snapshot on or before the date), total value, unit value, currency, and whether
it is scheduled today / its next scheduled count. Five queries whatever the size.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from .. import clock
from ..models import CountSchedule
from ..services.counts import collect_last_found, last_found_query
from ..services.sap import collect_totals, snapshot_dates, totals_query
from .material_info import material_info, org_names
from .numbers import number
from .xlsx import Column, Sheet, write_xlsx

BY_PART_TYPE = "part-type"
BY_LAST_COUNT = "last-count"
BY_VALUE = "value"
ORDERS = (BY_PART_TYPE, BY_LAST_COUNT, BY_VALUE)
TITLES = {BY_PART_TYPE: "Material By Part Type", BY_LAST_COUNT: "Material By Last Count Date",
          BY_VALUE: "Material By Descending Value"}


@dataclass(slots=True)
class MaterialListRow:
    material_id: int
    material: str
    org: str
    part_type: str | None
    description: str
    notes: str | None
    last_count_date: dt.date | None
    last_found_at: list[str]
    sap_qty: int | float | None
    total_value: int | float | None
    unit_value: int | float | None
    currency: str | None
    scheduled_today: bool
    next_scheduled: dt.date | None


@dataclass
class MaterialList:
    by: str
    as_of: dt.date
    sap_dates: dict[str, dt.date | None]
    rows: list[MaterialListRow]

    @property
    def title(self) -> str:
        return TITLES[self.by]

    def as_dict(self) -> dict[str, Any]:
        return {"by": self.by, "title": self.title, "as_of": self.as_of.isoformat(),
                "sap_dates": {k: v.isoformat() if v else None
                              for k, v in sorted(self.sap_dates.items())},
                "materials": [_jsonable(asdict(r)) for r in self.rows]}


def _jsonable(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in d.items()}


def schedule_marks(session: Session, today: dt.date) -> dict[int, tuple[bool, dt.date | None]]:
    """Material id -> (scheduled today, next scheduled date after today), one query."""
    q = (select(CountSchedule.material_id,
                func.max(case((CountSchedule.count_date == today, 1), else_=0)),
                func.min(case((CountSchedule.count_date > today, CountSchedule.count_date))))
         .where(CountSchedule.count_date >= today).group_by(CountSchedule.material_id))
    return {mid: (bool(today_flag), nxt) for mid, today_flag, nxt in session.execute(q)}


def build(session: Session, by: str, as_of: dt.date | None = None) -> MaterialList:
    if by not in ORDERS:
        raise ValueError(f"by must be one of {', '.join(ORDERS)}")
    today = as_of or clock.today()
    info = material_info(session)
    found = collect_last_found(session.execute(last_found_query()))
    snaps = snapshot_dates(session, today)
    sap = collect_totals(session.execute(totals_query(snaps)))
    marks = schedule_marks(session, today)
    sap_dates = {name: snaps.get(oid) for oid, name in org_names(session).items()}
    rows = []
    for mid, mi in info.items():
        lf, total = found.get(mid), sap.get(mid)
        qty = total.quantity if total else None
        value = total.value if total else None
        unit = number(total.value / qty) if total and qty else (0 if total else None)
        today_flag, nxt = marks.get(mid, (False, None))
        rows.append(MaterialListRow(
            mid, mi.material, mi.org, mi.part_type, mi.description, mi.notes,
            lf.last_count_date if lf else None, list(lf.locations) if lf else [],
            qty, value, unit, total.currency if total else None, today_flag, nxt))
    rows.sort(key=lambda r: r.material)
    if by == BY_PART_TYPE:
        rows.sort(key=lambda r: (r.part_type is None, r.part_type or ""))
    elif by == BY_LAST_COUNT:
        rows.sort(key=lambda r: r.last_count_date or dt.date.min)  # never counted first
        rows.sort(key=lambda r: r.sap_qty is None)  # stable: materials with SAP stock first
    else:
        rows.sort(key=lambda r: -(r.total_value or 0))
    return MaterialList(by, today, sap_dates, rows)


COLUMNS = [
    Column("Material", 22), Column("Organization", 12), Column("Part Type", 14),
    Column("Description", 36), Column("Last Counted", 12, "yyyy-mm-dd"),
    Column("Last Found At", 26), Column("SAP Qty", 13, "#,##0.###"),
    Column("Total Value", 15, "#,##0.00"), Column("Unit Value", 12, "#,##0.0000"),
    Column("Currency", 9), Column("Scheduled Today", 10),
    Column("Next Scheduled", 12, "yyyy-mm-dd"), Column("Notes", 30),
]


def to_xlsx(report: MaterialList, path: str | Path) -> None:
    rows = ([r.material, r.org, r.part_type, r.description, r.last_count_date, r.last_found_at,
             r.sap_qty, r.total_value, r.unit_value, r.currency,
             "yes" if r.scheduled_today else "", r.next_scheduled, r.notes] for r in report.rows)
    write_xlsx(path, [Sheet(report.title, COLUMNS, rows)])
