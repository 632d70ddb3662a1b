"""A material's count history against the book, one line per count date (the Material form's
"Actual Count Summary" tab), with what a supervisor decided about each day's result (approved,
sent to recount, or itself the recount of an earlier day). Four queries whatever the history's
length."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import ActualCount, CountReview, Material, SapStock, UnitOfMeasure
from .fields import as_number
from .sap import multiplier_sql


@dataclass(frozen=True)
class DayTotal:
    count_date: dt.date
    count_total: int | float
    sap_date: dt.date | None
    sap_total: int | float
    diff: int | float
    accuracy: float | None
    review: str = ""  # "approved", "recount on 2026-12-01", "recount of 2026-11-30"


def material_history(session: Session, material_id: int) -> list[DayTotal]:
    """Per count date with a quantity (newest first): count total, the SAP snapshot of the
    material's organization on or before that date, its total, difference and accuracy."""
    from ..reports.numbers import accuracy

    org_id = session.scalar(select(Material.org_id).where(Material.id == material_id))
    days = session.execute(
        select(ActualCount.count_date, func.sum(ActualCount.quantity))
        .where(ActualCount.material_id == material_id, ActualCount.quantity.isnot(None))
        .group_by(ActualCount.count_date).order_by(ActualCount.count_date.desc())).all()
    uploads = sorted(session.scalars(select(SapStock.upload_date).distinct()
                                     .where(SapStock.org_id == org_id)), reverse=True)
    book = dict(session.execute(
        select(SapStock.upload_date, func.sum(SapStock.amount * multiplier_sql()))
        .outerjoin(UnitOfMeasure, UnitOfMeasure.uom == SapStock.base_uom)
        .where(SapStock.material_id == material_id).group_by(SapStock.upload_date)).all())
    notes: dict[dt.date, list[str]] = {}
    for day, decision, recount_date in session.execute(
            select(CountReview.count_date, CountReview.decision, CountReview.recount_date)
            .where(CountReview.material_id == material_id)):
        if decision == "approved":
            notes.setdefault(day, []).append("approved")
        elif recount_date is not None:
            notes.setdefault(day, []).append(f"recount on {recount_date.isoformat()}")
            notes.setdefault(recount_date, []).append(f"recount of {day.isoformat()}")
    out = []
    for day, total in days:
        snap = next((u for u in uploads if u <= day), None)
        count_total = as_number(total) or 0
        sap_total = as_number(book.get(snap, 0)) or 0 if snap else 0
        out.append(DayTotal(day, count_total, snap, sap_total, as_number(count_total - sap_total),
                            accuracy(count_total, sap_total), "; ".join(notes.get(day, []))))
    return out
