"""Accuracy over time (`wics report accuracy`, the dashboard): the count summary's numbers for
every counted material of every date in a period, then grouped by period and org / part type /
counter.

Per date the rules are exactly the count summary's (contract, "Rules the numbers follow"): the
counted materials of a date are those with at least one count with a quantity; count total =
sum of those quantities; SAP total from the organization's snapshot as of that date (latest
upload on or before it holding rows of that organization); accuracy and band from
core.reports.numbers. The same Python functions compute accuracy and band, so the numbers are
equal by construction, and a test compares them with count_summary.build date by date.

Set-based: a fixed handful of queries for the whole period, whatever its length -
  1. the count totals per material-day (and, for the grouping by counter, who counted),
  2. the snapshot date per (organization, count date) - correlated MAX lookups on the
     (org_id, upload_date) index, one statement,
  3. the SAP totals of exactly the (material, snapshot date) pairs needed, one grouped join,
  4. the counted materials' names, org, part type and price.
The SAP uploads are daily in practice, so fetching "every upload of every counted material"
would be hundreds of times too much; query 3 joins each counted material-day to its own
snapshot only.

Value of a difference (the same rule the count summary's `diff_value` follows, contract
"Value of a difference"): unit value = price / price unit (price unit blank or 0 -> 1), null
without a price; diff value = round(diff x unit value, 2), null without a unit value; totals
skip nulls. `unit_value` / `diff_value` below are named as in the count summary so the two can be
folded together.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from sqlalchemy import and_, func, select, text
from sqlalchemy.orm import Session

from .. import params
from ..actor import Actor
from ..display import display_name_sql
from ..errors import InputRejected
from ..models import ActualCount, Material, Organization, PartType
from ..services import users
from .numbers import Bands, accuracy, number
from .xlsx import Column, Sheet, write_xlsx

if TYPE_CHECKING:
    import pandas as pd

    from ..services.sql_types import AnySelect

_Select = TypeVar("_Select", bound="AnySelect")

PERIODS = ("day", "week", "month")
GROUPINGS = ("org", "part-type", "counter")
ALL = "All"  # the group of every row when no --by is given
NO_PART_TYPE = "(none)"
MAX_DAYS = 3 * 366 + 1  # a report longer than three years is almost certainly a typo


def unit_value(price: float | None, price_unit: int | float | None) -> float | None:
    """Price per one unit: price / price unit, a blank or 0 price unit counting as 1."""
    if price is None:
        return None
    return price / (price_unit or 1)


def diff_value(diff: float, unit: float | None) -> float | None:
    """The value of a difference, rounded to cents; None without a unit value."""
    if unit is None:
        return None
    return round(diff * unit, 2)


@dataclass(slots=True)
class MaterialDay:
    """One counted material on one date, with the count summary's numbers."""

    count_date: dt.date
    material_id: int
    material: str  # display name
    description: str
    org_id: int
    org: str
    part_type: str | None
    sap_abc: str | None
    counters: list[str]
    count_total: int | float
    sap_total: int | float
    diff: int | float
    accuracy: float
    band: str | None
    unit_value: float | None
    diff_value: float | None
    currency: str | None


@dataclass
class MaterialDays:
    """Every counted material-day of a period, and the snapshot date used per org and date."""

    date_from: dt.date
    date_to: dt.date
    bands: Bands
    rows: list[MaterialDay] = field(default_factory=list)
    snapshots: dict[tuple[int, dt.date], dt.date | None] = field(default_factory=dict)

    def frame(self, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
        """The rows as a pandas DataFrame, one column per MaterialDay field asked (all by
        default); built column by column, only what the caller groups by."""
        import pandas as pd

        names = columns or tuple(MaterialDay.__dataclass_fields__)
        return pd.DataFrame({n: [getattr(r, n) for r in self.rows] for n in names},
                            columns=list(names))


def check_period(date_from: dt.date, date_to: dt.date) -> None:
    if date_to < date_from:
        raise InputRejected(f"The period ends ({date_to}) before it starts ({date_from}).")
    if (date_to - date_from).days >= MAX_DAYS:
        raise InputRejected(f"The period {date_from} to {date_to} is longer than three years: "
                            "ask for a shorter one.")


def material_days(session: Session, date_from: dt.date, date_to: dt.date,
                  org_ids: list[int] | None = None, with_counters: bool = False) -> MaterialDays:
    """Every counted material-day between the two dates (inclusive), optionally of some orgs;
    `with_counters`: also who counted each (for the grouping by counter)."""
    check_period(date_from, date_to)
    bands = Bands.from_params(params.get_all(session))
    in_period = and_(ActualCount.count_date >= date_from, ActualCount.count_date <= date_to,
                     ActualCount.quantity.isnot(None))
    # 1. count totals per material-day (summed by the database: the count summary adds the
    #    same quantities in Python; both round to 9 decimals, so they agree)
    restrict = [in_period]

    def scoped(q: _Select) -> _Select:
        """The period's counts, of the organizations asked: joined to their material (a key
        lookup per count of the period) rather than `IN` all the materials of an org."""
        if org_ids is None:
            return q.where(*restrict)
        return (q.join(Material, Material.id == ActualCount.material_id)
                .where(*restrict, Material.org_id.in_(org_ids)))

    q: AnySelect  # the queries below select different columns
    q = scoped(select(ActualCount.count_date, ActualCount.material_id,
                      func.sum(ActualCount.quantity))).group_by(ActualCount.count_date,
                                                                ActualCount.material_id)
    totals = {(day, mid): qty for day, mid, qty in session.execute(q)}  # typed: dates
    result = MaterialDays(date_from, date_to, bands)
    if not totals:
        return result
    counters: dict[tuple[dt.date, int], list[str]] = {}
    if with_counters:  # who counted: only the grouping by counter needs it
        q = (scoped(select(ActualCount.count_date, ActualCount.material_id, ActualCount.counter))
             .group_by(ActualCount.count_date, ActualCount.material_id, ActualCount.counter)
             .order_by(func.min(ActualCount.id)))  # first seen first, as the count summary
        for day, mid, counter in session.execute(q):
            counters.setdefault((as_date(day), mid), []).append(counter)

    # 2. snapshot date per (org, count date): one MAX lookup each on the (org_id, upload_date) index
    days = sorted({day for day, _ in totals})
    org_list = sorted(org_ids) if org_ids is not None else [
        oid for (oid,) in session.execute(select(Organization.id).order_by(Organization.id))]
    snapshots = snapshot_dates_on(session, org_list, days)
    result.snapshots = snapshots

    # 3. SAP totals of each counted material-day in its own snapshot
    sap = _sap_totals(session, date_from, date_to, org_ids, snapshots)

    # 4. what the rows show about each material
    info: dict[int, Any] = {}
    ids = scoped(select(ActualCount.material_id)).distinct().subquery("ids")
    q = (select(Material.id, display_name_sql(), Material.description, Material.org_id,
                Organization.name, PartType.name, Material.sap_abc, Material.price,
                Material.price_unit, Material.currency)
         .join(Organization, Organization.id == Material.org_id)
         .outerjoin(PartType, PartType.id == Material.part_type_id)
         .join(ids, ids.c.material_id == Material.id))
    for row in session.execute(q):
        info[row[0]] = row

    band = bands.band
    for (day, mid), qty in sorted(totals.items()):
        m = info[mid]
        count_total = number(qty) or 0
        sap_total = sap.get((day, mid), 0)
        acc = accuracy(count_total, sap_total)
        diff = number(count_total - sap_total)
        unit = unit_value(m[7], m[8])
        result.rows.append(MaterialDay(
            day, mid, m[1], m[2] or "", m[3], m[4], m[5], m[6], counters.get((day, mid), []),
            count_total, sap_total, diff, acc, band(acc), unit, diff_value(diff, unit), m[9]))
    return result


def snapshot_dates_on(session: Session, org_ids: list[int],
                      days: list[dt.date]) -> dict[tuple[int, dt.date], dt.date | None]:
    """(org id, date) -> that org's snapshot date for that date, or None (no upload yet).

    One statement of scalar MAX lookups, each a single probe of the (org_id, upload_date)
    index. Plain SQL text with bound values: SQLAlchemy takes longer to compile hundreds of
    scalar subqueries than the database takes to answer them."""
    if not org_ids or not days:
        return {}
    pairs = [(oid, day) for oid in org_ids for day in days]
    out: dict[tuple[int, dt.date], dt.date | None] = {}
    step = 200  # a year: 260 count days x organizations, in a few statements
    for start in range(0, len(pairs), step):
        chunk = pairs[start:start + step]
        cols: list[str] = []
        binds: dict[str, object] = {}
        for i, (oid, day) in enumerate(chunk):
            cols.append(f"(SELECT MAX(upload_date) FROM sap_stock "
                        f"WHERE org_id = :o{i} AND upload_date <= :d{i})")
            binds[f"o{i}"], binds[f"d{i}"] = oid, day.isoformat()
        row = session.execute(text("SELECT " + ", ".join(cols)), binds).one()
        for (oid, day), value in zip(chunk, row, strict=True):
            out[(oid, day)] = as_date(value)
    return out


@overload
def as_date(value: None) -> None: ...


@overload
def as_date(value: dt.date | str) -> dt.date: ...


@overload
def as_date(value: object) -> dt.date | None: ...


def as_date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])  # SQLite hands back text for MAX(date)


def _sap_totals(session: Session, date_from: dt.date, date_to: dt.date, org_ids: list[int] | None,
                snapshots: dict[tuple[int, dt.date], dt.date | None]
                ) -> dict[tuple[dt.date, int], float]:
    """(count date, material id) -> SAP total in that material's org snapshot for that date.

    Each counted material-day is joined to the rows of its own snapshot through the
    (material_id, upload_date) index. The snapshot date is the count date itself when the org
    uploaded that day (the usual case, daily uploads); a CASE lists only the exceptions (a
    weekend, a missed upload, no upload yet), so the statement stays short."""
    if not any(snap is not None for snap in snapshots.values()):
        return {}
    whens: list[str] = []
    binds: dict[str, object] = {"d1": date_from.isoformat(), "d2": date_to.isoformat()}
    for i, ((oid, day), snap) in enumerate(sorted(snapshots.items())):
        if snap == day:
            continue
        whens.append(f"WHEN m.org_id = :wo{i} AND c.count_date = :wd{i} THEN "
                     + ("NULL" if snap is None else f":ws{i}"))
        binds[f"wo{i}"], binds[f"wd{i}"] = oid, day.isoformat()
        if snap is not None:
            binds[f"ws{i}"] = snap.isoformat()
    snap_sql = f"CASE {' '.join(whens)} ELSE c.count_date END" if whens else "c.count_date"
    if whens and session.get_bind().dialect.name in ("mysql", "mariadb"):
        # typed as a date there, so the join below compares date with date on the index
        # (SQLite keeps dates as text; CAST(... AS DATE) would turn them into numbers there)
        snap_sql = f"CAST({snap_sql} AS DATE)"
    org_filter = ""
    if org_ids is not None:
        org_filter = " AND m.org_id IN (" + ", ".join(str(int(o)) for o in org_ids) + ")"
    # The snapshot date is computed inside the derived table, so the join to sap_stock is two
    # plain column equalities the (material_id, upload_date) index answers - MariaDB does not
    # look an expression up in an index, it would read every upload of each material.
    sql = f"""
        SELECT k.count_date, k.material_id, SUM(s.amount * COALESCE(u.multiplier, 1.0))
        FROM (SELECT c.count_date, c.material_id, m.org_id, {snap_sql} AS snap_date
              FROM actual_counts c JOIN materials m ON m.id = c.material_id
              WHERE c.count_date >= :d1 AND c.count_date <= :d2 AND c.quantity IS NOT NULL
              {org_filter}
              GROUP BY c.count_date, c.material_id, m.org_id) k
        JOIN sap_stock s ON s.material_id = k.material_id AND s.upload_date = k.snap_date
                        AND s.org_id = k.org_id
        LEFT JOIN units_of_measure u ON u.uom = s.base_uom
        GROUP BY k.count_date, k.material_id"""
    dates: dict[object, dt.date] = {}  # SQLite answers text dates: convert each distinct one once
    out: dict[tuple[dt.date, int], float] = {}
    for day, mid, total in session.execute(text(sql), binds):
        d = dates.get(day)
        if d is None:
            d = dates[day] = as_date(day)
        out[(d, mid)] = number(total) or 0
    return out


# ---- grouping --------------------------------------------------------------------------------

def period_labels(dates: pd.Series, period: str) -> pd.Series:
    """period_of for a column of dates, each distinct date worked out once."""
    labels = {d: period_of(d, period) for d in set(dates)}
    return dates.map(labels)


def period_of(day: dt.date, period: str) -> str:
    """The label of the day's period: 2026-11-20, 2026-W47 (ISO week), 2026-11."""
    if period == "day":
        return day.isoformat()
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    raise InputRejected(f"Unknown period '{period}': use one of {', '.join(PERIODS)}.")


@dataclass(slots=True)
class AccuracyRow:
    period: str
    group: str
    materials_counted: int
    mean_accuracy: float | None
    danger: int
    warning: int
    success: int
    abs_diff_value_total: float


@dataclass
class AccuracyReport:
    date_from: dt.date
    date_to: dt.date
    by: str | None
    period: str
    bands: Bands
    rows: list[AccuracyRow]

    def as_dict(self) -> dict[str, Any]:
        return {"from": self.date_from.isoformat(), "to": self.date_to.isoformat(),
                "by": self.by, "period": self.period,
                "rows": [{"period": r.period, "group": r.group,
                          "materials_counted": r.materials_counted,
                          "mean_accuracy": r.mean_accuracy, "danger": r.danger,
                          "warning": r.warning, "success": r.success,
                          "abs_diff_value_total": r.abs_diff_value_total} for r in self.rows]}


def summarize(days: MaterialDays, by: str | None = None, period: str = "day") -> list[AccuracyRow]:
    """Material-days grouped by period and group (pandas): count, mean accuracy, bands, value."""
    if by is not None and by not in GROUPINGS:
        raise InputRejected(f"Unknown grouping '{by}': use one of {', '.join(GROUPINGS)}.")
    period_of(days.date_from, period)  # rejects an unknown period
    if not days.rows:
        return []
    import pandas as pd

    df = days.frame(("count_date", "material_id", "org", "part_type", "counters", "accuracy",
                     "band", "diff_value"))
    df["period"] = period_labels(df["count_date"], period)
    if by == "org":
        df["group"] = df["org"]
    elif by == "part-type":
        df["group"] = df["part_type"].fillna(NO_PART_TYPE)
    elif by == "counter":
        # A material two people counted that day is in each one's group.
        df = df.explode("counters")
        df["group"] = df["counters"]
    else:
        df["group"] = ALL
    df["abs_value"] = pd.to_numeric(df["diff_value"], errors="coerce").abs()  # None -> NaN, skipped
    for band in ("danger", "warning", "success"):
        df[band] = (df["band"] == band).astype(int)
    agg = (df.groupby(["period", "group"], sort=True)
           .agg(materials_counted=("material_id", "size"), mean_accuracy=("accuracy", "mean"),
                danger=("danger", "sum"), warning=("warning", "sum"),
                success=("success", "sum"), abs_diff_value_total=("abs_value", "sum"))
           .reset_index())
    return [AccuracyRow(r.period, str(r.group), int(r.materials_counted),
                        None if pd.isna(r.mean_accuracy) else round(float(r.mean_accuracy), 2),
                        int(r.danger), int(r.warning), int(r.success),
                        round(float(r.abs_diff_value_total or 0), 2))
            for r in agg.itertuples(index=False)]


def report(session: Session, actor: Actor, date_from: dt.date, date_to: dt.date,
           by: str | None = None, period: str = "day") -> AccuracyReport:
    """The report for someone: needs the reports permission."""
    users.require(actor, "reports")
    return build(session, date_from, date_to, by, period)


def build(session: Session, date_from: dt.date, date_to: dt.date, by: str | None = None,
          period: str = "day") -> AccuracyReport:
    days = material_days(session, date_from, date_to, with_counters=by == "counter")
    return AccuracyReport(date_from, date_to, by, period, days.bands, summarize(days, by, period))


COLUMNS = [
    Column("Period", 12), Column("Group", 18), Column("Materials Counted", 12, "#,##0"),
    Column("Mean Accuracy %", 12, "0.00"), Column("Danger", 9, "#,##0"),
    Column("Warning", 9, "#,##0"), Column("Success", 9, "#,##0"),
    Column("Abs. Difference Value", 16, "#,##0.00"),
]


def to_xlsx(report: AccuracyReport, path: str | Path) -> None:
    rows = ([r.period, r.group, r.materials_counted, r.mean_accuracy, r.danger, r.warning,
             r.success, r.abs_diff_value_total] for r in report.rows)
    write_xlsx(path, [Sheet("Accuracy", COLUMNS, rows)])
