"""One material's counts per date against the book: the Material screen's summary tab.

For every date the material was counted (counts with a quantity; location-only counts do not
count), the count total beside the SAP total of that date by the contract's rule (its
organization's latest upload on or before the date; absent from that upload = 0; no upload on
or before the date = 0 with no SAP date), the difference, the accuracy and its band. Newest date
first. Four small queries whatever the history's length.
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import params
from ..models import ActualCount, Material, SapStock, UnitOfMeasure
from ..services.material_lookup import material_or_404
from .numbers import Bands, accuracy, number


@dataclass(frozen=True)
class DateSummary:
    count_date: dt.date
    counts: int  # counts with a quantity that date
    count_total: int | float
    sap_date: dt.date | None
    sap_total: int | float
    diff: int | float
    accuracy: float
    band: str | None


def count_history(session: Session, material_id: int) -> list[DateSummary]:
    material: Material = material_or_404(session, material_id)
    per_day = session.execute(
        select(ActualCount.count_date, func.count(ActualCount.quantity),
               func.sum(ActualCount.quantity))
        .where(ActualCount.material_id == material_id, ActualCount.quantity.is_not(None))
        .group_by(ActualCount.count_date).order_by(ActualCount.count_date.desc())).all()
    if not per_day:
        return []
    # the organization's snapshots (an upload date counts once it holds rows of the org)
    snapshots = list(session.scalars(
        select(SapStock.upload_date).where(SapStock.org_id == material.org_id)
        .group_by(SapStock.upload_date).order_by(SapStock.upload_date)))
    book = dict(session.execute(
        select(SapStock.upload_date,
               func.sum(SapStock.amount * func.coalesce(UnitOfMeasure.multiplier, 1.0)))
        .outerjoin(UnitOfMeasure, UnitOfMeasure.uom == SapStock.base_uom)
        .where(SapStock.material_id == material_id, SapStock.org_id == material.org_id)
        .group_by(SapStock.upload_date)).all())
    bands = Bands.from_params(params.get_all(session))
    out = []
    for day, n, total in per_day:
        i = bisect.bisect_right(snapshots, day)
        sap_date = snapshots[i - 1] if i else None
        sap_total = number(book.get(sap_date, 0) if sap_date else 0) or 0
        count_total = number(total) or 0
        acc = accuracy(count_total, sap_total)
        out.append(DateSummary(day, n, count_total, sap_date, sap_total,
                               number(count_total - sap_total) or 0, acc, bands.band(acc)))
    return out
