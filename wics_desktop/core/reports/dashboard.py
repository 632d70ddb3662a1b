"""The numbers behind the dashboard: accuracy and band shares over time, counts per counter per
day, the largest differences by value, materials overdue for counting by ABC class, and how old
each organization's SAP stock is. Qt-free; the screen only draws these, the xlsx lists them.

Everything comes from a fixed handful of queries whatever the period (the accuracy part is
core.reports.accuracy's material-days, so the dashboard and `wics report accuracy` agree).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from .. import params
from ..actor import Actor
from ..errors import NotFound
from ..models import ActualCount, Material, Organization
from ..services import users
from . import accuracy
from .numbers import Bands
from .xlsx import Column, Sheet, write_xlsx

TOP_DIFFERENCES = 15
# Count intervals by SAP ABC class, in days. The count planner declares these parameters
# (PLAN-DAYS-A/-B/-C); read here with the same defaults so both agree once merged.
DUE_PARAMS = {"A": ("PLAN-DAYS-A", 30), "B": ("PLAN-DAYS-B", 90), "C": ("PLAN-DAYS-C", 365)}


@dataclass(slots=True)
class AccuracyPoint:
    period: str
    first_date: dt.date  # the period's first and last counted dates: where a click leads
    last_date: dt.date
    materials_counted: int
    mean_accuracy: float | None
    danger: int
    warning: int
    success: int
    no_band: int  # counted, accuracy between the bands' edges (band null)

    def share(self, band: str) -> float:
        """Percent of the counted materials in `band` ('danger', 'warning', 'success', 'none')."""
        n = {"danger": self.danger, "warning": self.warning, "success": self.success,
             "none": self.no_band}[band]
        return round(100.0 * n / self.materials_counted, 2) if self.materials_counted else 0.0


@dataclass(slots=True)
class CounterDay:
    count_date: dt.date
    counter: str
    counts: int  # count lines that day (location-only included: they are work too)
    materials: int  # distinct materials


@dataclass(slots=True)
class Difference:
    count_date: dt.date
    material_id: int
    material: str
    org: str
    description: str
    count_total: float
    sap_total: float
    diff: float
    accuracy: float
    diff_value: float
    currency: str | None


@dataclass(slots=True)
class Overdue:
    abc: str  # A, B or C (no class counts as C)
    due_days: int
    materials: int
    overdue: int  # last count longer ago than due_days (never counted included)
    never_counted: int


@dataclass(slots=True)
class SapFreshness:
    org: str
    last_upload: dt.date | None
    days_old: int | None  # days between the last upload and the as-of date


@dataclass
class Dashboard:
    date_from: dt.date
    date_to: dt.date
    org: str | None
    period: str
    as_of: dt.date
    bands: Bands
    accuracy: list[AccuracyPoint] = field(default_factory=list)
    counters: list[CounterDay] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    overdue: list[Overdue] = field(default_factory=list)
    sap: list[SapFreshness] = field(default_factory=list)

    @property
    def materials_counted(self) -> int:
        return sum(p.materials_counted for p in self.accuracy)

    @property
    def mean_accuracy(self) -> float | None:
        """Mean over every counted material-day of the period (not a mean of means)."""
        n = self.materials_counted
        if not n:
            return None
        return round(sum(p.mean_accuracy * p.materials_counted for p in self.accuracy
                         if p.mean_accuracy is not None) / n, 2)

    def counter_names(self) -> list[str]:
        totals: dict[str, int] = {}
        for c in self.counters:
            totals[c.counter] = totals.get(c.counter, 0) + c.counts
        return sorted(totals, key=lambda name: (-totals[name], name))

    def count_days(self) -> list[dt.date]:
        return sorted({c.count_date for c in self.counters})

    def as_dict(self) -> dict[str, Any]:
        def d(x: dt.date | None) -> str | None:
            return x.isoformat() if isinstance(x, dt.date) else x
        return {
            "from": d(self.date_from), "to": d(self.date_to), "org": self.org,
            "period": self.period, "as_of": d(self.as_of),
            "mean_accuracy": self.mean_accuracy, "materials_counted": self.materials_counted,
            "accuracy": [{"period": p.period, "first_date": d(p.first_date),
                          "last_date": d(p.last_date), "materials_counted": p.materials_counted,
                          "mean_accuracy": p.mean_accuracy, "danger": p.danger,
                          "warning": p.warning, "success": p.success, "no_band": p.no_band}
                         for p in self.accuracy],
            "counters": [{"date": d(c.count_date), "counter": c.counter, "counts": c.counts,
                          "materials": c.materials} for c in self.counters],
            "differences": [{"date": d(x.count_date), "material_id": x.material_id,
                             "material": x.material, "org": x.org, "diff": x.diff,
                             "diff_value": x.diff_value, "accuracy": x.accuracy,
                             "currency": x.currency} for x in self.differences],
            "overdue": [{"abc": o.abc, "due_days": o.due_days, "materials": o.materials,
                         "overdue": o.overdue, "never_counted": o.never_counted}
                        for o in self.overdue],
            "sap": [{"org": f.org, "last_upload": d(f.last_upload), "days_old": f.days_old}
                    for f in self.sap],
        }


def build(session: Session, actor: Actor, date_from: dt.date, date_to: dt.date,
          org: str | None = None, period: str = "day", as_of: dt.date | None = None,
          top: int = TOP_DIFFERENCES) -> Dashboard:
    """The dashboard for a period (and one organization, or all). Needs `reports`."""
    users.require(actor, "reports")
    accuracy.check_period(date_from, date_to)
    accuracy.period_of(date_from, period)  # rejects an unknown period
    as_of = as_of or date_to
    org_ids = None
    if org:
        oid = session.scalar(select(Organization.id).where(Organization.name == org))
        if oid is None:
            raise NotFound(f"There is no organization named {org}.")
        org_ids = [oid]
    days = accuracy.material_days(session, date_from, date_to, org_ids)
    board = Dashboard(date_from, date_to, org, period, as_of, days.bands)
    board.accuracy = _accuracy_points(days, period)
    board.differences = _largest(days, top)
    board.counters = _counter_days(session, date_from, date_to, org_ids)
    board.overdue = _overdue(session, as_of, org_ids)
    board.sap = _freshness(session, as_of, org_ids)
    return board


def _accuracy_points(days: accuracy.MaterialDays, period: str) -> list[AccuracyPoint]:
    if not days.rows:
        return []
    df = days.frame(("count_date", "material_id", "accuracy", "band"))
    df["period"] = accuracy.period_labels(df["count_date"], period)
    for band in ("danger", "warning", "success"):
        df[band] = (df["band"] == band).astype(int)
    df["no_band"] = df["band"].isna().astype(int)
    agg = (df.groupby("period", sort=True)
           .agg(first=("count_date", "min"), last=("count_date", "max"),
                n=("material_id", "size"), mean=("accuracy", "mean"), danger=("danger", "sum"),
                warning=("warning", "sum"), success=("success", "sum"),
                no_band=("no_band", "sum"))
           .reset_index())
    return [AccuracyPoint(r.period, r.first, r.last, int(r.n), round(float(r.mean), 2),
                          int(r.danger), int(r.warning), int(r.success), int(r.no_band))
            for r in agg.itertuples(index=False)]


def _largest(days: accuracy.MaterialDays, top: int) -> list[Difference]:
    # (row, its difference value) for the rows with a value, so the value is a float below
    valued = [(r, r.diff_value) for r in days.rows if r.diff_value]
    valued.sort(key=lambda rv: (-abs(rv[1]), rv[0].count_date, rv[0].material))
    return [Difference(r.count_date, r.material_id, r.material, r.org, r.description,
                       r.count_total, r.sap_total, r.diff, r.accuracy, value, r.currency)
            for r, value in valued[:top]]


def _counter_days(session: Session, date_from: dt.date, date_to: dt.date,
                  org_ids: list[int] | None) -> list[CounterDay]:
    q = (select(ActualCount.count_date, ActualCount.counter, func.count(),
                func.count(ActualCount.material_id.distinct()))
         .where(ActualCount.count_date >= date_from, ActualCount.count_date <= date_to)
         .group_by(ActualCount.count_date, ActualCount.counter)
         .order_by(ActualCount.count_date, ActualCount.counter))
    if org_ids is not None:
        q = q.join(Material, Material.id == ActualCount.material_id).where(
            Material.org_id.in_(org_ids))
    return [CounterDay(accuracy.as_date(day), counter, int(n), int(m))
            for day, counter, n, m in session.execute(q)]


def due_days(session: Session) -> dict[str, int]:
    values = params.get_all(session)
    out = {}
    for abc, (name, default) in DUE_PARAMS.items():
        try:
            out[abc] = max(1, int(float(values.get(name) or default)))
        except ValueError:
            out[abc] = default
    return out


def abc_class_sql() -> ColumnElement[str]:
    """A, B or C from the SAP ABC indicator; anything else (blank, other letters) is C."""
    abc = func.upper(func.trim(func.coalesce(Material.sap_abc, "")))
    return case((abc == "A", "A"), (abc == "B", "B"), else_="C")


def _overdue(session: Session, as_of: dt.date, org_ids: list[int] | None) -> list[Overdue]:
    """Per class: materials, overdue ones (last count longer ago than the class's interval, or
    never counted), never counted. "Last count" is the contract's last count date: the latest
    count of any kind on or before `as_of`.

    Three grouped statements, never one lookup per material (100,000 of them): materials per
    class; those counted within their class's interval (the counts of the last year joined to
    their material); those ever counted (EXISTS, which the databases run as a semi-join)."""
    due = due_days(session)
    cls = abc_class_sql().label("abc")
    where = [] if org_ids is None else [Material.org_id.in_(org_ids)]
    totals = dict(session.execute(select(cls, func.count()).where(*where).group_by(cls)).all())
    since = case(*[(abc_class_sql() == k, as_of - dt.timedelta(days=v)) for k, v in due.items()])
    recent = dict(session.execute(
        select(cls, func.count(ActualCount.material_id.distinct()))
        .join(ActualCount, ActualCount.material_id == Material.id)
        .where(*where, ActualCount.count_date <= as_of,
               ActualCount.count_date >= as_of - dt.timedelta(days=max(due.values())),
               ActualCount.count_date >= since)
        .group_by(cls)).all())
    ever = dict(session.execute(
        select(cls, func.count())
        .where(*where, select(ActualCount.id).where(ActualCount.material_id == Material.id,
                                                   ActualCount.count_date <= as_of).exists())
        .group_by(cls)).all())
    return [Overdue(abc, due[abc], totals.get(abc, 0), totals.get(abc, 0) - recent.get(abc, 0),
                    totals.get(abc, 0) - ever.get(abc, 0)) for abc in ("A", "B", "C")]


def _freshness(session: Session, as_of: dt.date,
               org_ids: list[int] | None) -> list[SapFreshness]:
    names = dict(session.execute(select(Organization.id, Organization.name)).all())
    ids = sorted(names if org_ids is None else org_ids)
    # literal org ids: MariaDB answers a MAX per org from the index only when the org is a value
    last = accuracy.snapshot_dates_on(session, ids, [as_of])
    out = [SapFreshness(names[oid], last.get((oid, as_of)),
                        (as_of - snap).days if (snap := last.get((oid, as_of))) else None)
           for oid in ids]
    return sorted(out, key=lambda f: f.org)


# ---- xlsx: the numbers behind each chart ---------------------------------------------------------

def to_xlsx(board: Dashboard, path: str | Path) -> None:
    n = "#,##0"
    sheets = [
        Sheet("Accuracy", [Column("Period", 12), Column("First Date", 11, "yyyy-mm-dd"),
                           Column("Last Date", 11, "yyyy-mm-dd"),
                           Column("Materials Counted", 12, n),
                           Column("Mean Accuracy %", 12, "0.00"), Column("Danger", 9, n),
                           Column("Warning", 9, n), Column("Success", 9, n),
                           Column("No Band", 9, n), Column("Danger %", 9, "0.00"),
                           Column("Warning %", 9, "0.00"), Column("Success %", 9, "0.00")],
              [[p.period, p.first_date, p.last_date, p.materials_counted, p.mean_accuracy,
                p.danger, p.warning, p.success, p.no_band, p.share("danger"),
                p.share("warning"), p.share("success")] for p in board.accuracy]),
        Sheet("Counts per Counter", [Column("Date", 11, "yyyy-mm-dd"), Column("Counter", 18),
                                     Column("Count Lines", 11, n), Column("Materials", 11, n)],
              [[c.count_date, c.counter, c.counts, c.materials] for c in board.counters]),
        Sheet("Largest Differences", [
            Column("Date", 11, "yyyy-mm-dd"), Column("Material", 22), Column("Organization", 12),
            Column("Description", 34), Column("Count Total", 12, "#,##0.###"),
            Column("SAP Total", 12, "#,##0.###"), Column("Difference", 12, "#,##0.###"),
            Column("Accuracy %", 10, "0.00"), Column("Difference Value", 14, "#,##0.00"),
            Column("Currency", 9)],
            [[x.count_date, x.material, x.org, x.description, x.count_total, x.sap_total,
              x.diff, x.accuracy, x.diff_value, x.currency] for x in board.differences]),
        Sheet("Overdue by ABC", [Column("ABC Class", 9), Column("Due Every (days)", 12, n),
                                 Column("Materials", 11, n), Column("Overdue", 11, n),
                                 Column("Never Counted", 12, n)],
              [[o.abc, o.due_days, o.materials, o.overdue, o.never_counted]
               for o in board.overdue]),
        Sheet("SAP Uploads", [Column("Organization", 14), Column("Last Upload", 11, "yyyy-mm-dd"),
                              Column("Days Old", 9, n)],
              [[f.org, f.last_upload, f.days_old] for f in board.sap]),
    ]
    write_xlsx(path, sheets)
