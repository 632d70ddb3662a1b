"""Count summary for a date: per organization, counted against book, per material.

Sections (contract): Scheduled and Counted, Unscheduled, Scheduled but Not Counted; with
requests only: Requested and Counted, Requested but Not Counted. Counted = at least one count
with a quantity that date. Every organization and every section is listed, even when empty.

The counting loop (contract): each material's difference has a value (price / price unit of
the material master), sections and organizations total it, and a counted material is flagged
for recount below RECOUNT-BELOW-ACCURACY or above RECOUNT-ABOVE-VALUE unless a supervisor
approved it (core.services.reviews). A material recounted on this date carries its earlier
count(s) in `earlier`, to be read side by side with the recount.

A fixed handful of queries whatever the size (params, orgs, snapshots, schedule, counts,
materials, SAP totals, reviews; on a day with recounts also the earlier counts and their SAP
totals).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select, union
from sqlalchemy.orm import Session

from .. import params
from ..expressions import format_quantity
from ..models import ActualCount, CountReview, CountSchedule
from ..services.sap import SapTotal, collect_totals, snapshot_dates, totals_query
from ..services.schedule import is_request
from .material_info import MaterialInfo, material_info, org_names
from .numbers import BAND_WORDS, Bands, RecountRule, accuracy, diff_value, number, unit_value
from .xlsx import Column, Sheet, Styled, write_xlsx

if TYPE_CHECKING:
    from ..services.sql_types import AnyRow

# The screen's and the paper's band colours (ui/printing/style.py), as Excel fills.
BAND_FILLS = {"danger": "F4C7C3", "warning": "FCE8B2", "success": "B7E1CD"}

SCHEDULED_COUNTED = "Scheduled and Counted"
UNSCHEDULED = "Unscheduled"
SCHEDULED_NOT_COUNTED = "Scheduled but Not Counted"
REQUESTED_COUNTED = "Requested and Counted"
REQUESTED_NOT_COUNTED = "Requested but Not Counted"


@dataclass(slots=True)
class SummaryCount:
    id: int
    counter: str
    location: str
    location_only: bool
    expression: str | None
    quantity: int | float | None
    package_id: str | None
    tag_qty: str | None
    notes: str | None
    possibly_not_received: bool
    movement_during_count: bool

    def what(self) -> str:
        """'location only', or the expression and what it comes to."""
        if self.location_only:
            return "location only"
        return f"{self.expression} = {format_quantity(self.quantity)}"

    def extras(self, notes_label: str = "") -> list[str]:
        """What the count says besides where and how many: package, tag, flags, notes."""
        bits = []
        if self.package_id:
            bits.append(f"pkg {self.package_id}")
        if self.tag_qty:
            bits.append(f"tag {self.tag_qty}")
        if self.possibly_not_received:
            bits.append("POSSIBLY NOT RECEIVED")
        if self.movement_during_count:
            bits.append("MOVEMENT DURING COUNT")
        if self.notes:
            bits.append(f"{notes_label}{self.notes}")
        return bits


@dataclass(slots=True)
class SummaryMaterial:
    material_id: int
    material: str
    org: str
    part_type: str | None
    description: str
    counters: list[str]
    count_total: int | float
    sap_total: int | float
    diff: int | float
    accuracy: float | None
    band: str | None
    sap_value: int | float
    scheduled: bool
    schedule_id: int | None
    scheduled_counter: str | None
    priority: str | None
    reason: str | None
    schedule_notes: str | None
    material_notes: str | None
    typical_container_qty: str | None
    typical_pallet_qty: str | None
    requestor: str | None
    request_filled: bool | None
    filled: bool | None  # requests: counted or marked filled; None when not a request
    unit_value: float | None  # price / price unit; None without a price
    diff_value: float | None  # round(diff x unit_value, 2); None without a unit value
    currency: str | None
    recount: bool | None  # None when not counted
    approved: bool
    recount_for: dt.date | None  # a recount of this result is scheduled for that day
    counts: list[SummaryCount] = field(default_factory=list)
    earlier: list[EarlierResult] = field(default_factory=list)  # this is their recount


def review_text(m: SummaryMaterial, day: Callable[[dt.date], str]) -> str:
    """What the Recount column says, on screen and on paper alike (`day` writes a date):
    approved, a recount scheduled, waiting for a decision, or the recount of an earlier day."""
    if m.approved:
        return "approved"
    if m.recount_for is not None:
        return f"recount {day(m.recount_for)}"
    if m.recount:
        return "RECOUNT"
    if m.earlier:
        return f"recount of {day(m.earlier[-1].count_date)}"
    return ""


@dataclass(slots=True)
class EarlierResult:
    """A material's result on an earlier day that a supervisor sent to recount on this one."""

    count_date: dt.date
    count_total: int | float
    sap_total: int | float
    accuracy: float | None
    counts: list[SummaryCount] = field(default_factory=list)


def _value_totals(materials: Iterable[SummaryMaterial]) -> tuple[float, float]:
    """(sum of diff_value, sum of |diff_value|), nulls skipped, rounded to 2 (contract)."""
    values = [m.diff_value for m in materials if m.diff_value is not None]
    return round(sum(values), 2) + 0.0, round(sum(abs(v) for v in values), 2) + 0.0


@dataclass
class SummarySection:
    title: str
    materials: list[SummaryMaterial] = field(default_factory=list)

    def value_totals(self) -> tuple[float, float]:
        return _value_totals(self.materials)


@dataclass
class SummaryOrg:
    org: str
    sap_date: dt.date | None
    sections: list[SummarySection]

    def value_totals(self) -> tuple[float, float]:
        return _value_totals(m for s in self.sections for m in s.materials)

    def currencies(self) -> list[str]:
        return sorted({m.currency for s in self.sections for m in s.materials
                       if m.currency and m.diff_value})


@dataclass
class CountSummary:
    count_date: dt.date
    requests: bool
    bands: Bands
    orgs: list[SummaryOrg]
    rule: RecountRule = field(default_factory=RecountRule)

    def as_dict(self) -> dict[str, Any]:
        return {
            "count_date": self.count_date.isoformat(),
            "requests": self.requests,
            "orgs": [{"org": o.org, "sap_date": o.sap_date.isoformat() if o.sap_date else None,
                      **_totals_dict(o.value_totals()),
                      "sections": [{"title": s.title, **_totals_dict(s.value_totals()),
                                    "materials": [_material_dict(m) for m in s.materials]}
                                   for s in o.sections]} for o in self.orgs],
        }

    def to_recount(self) -> list[SummaryMaterial]:
        """The materials flagged for recount, in report order (each once)."""
        return [m for _, _, m in self.rows() if m.recount]

    def rows(self) -> Iterator[tuple[SummaryOrg, SummarySection, SummaryMaterial]]:
        """(org, section, material) for every material line: what the xlsx lists."""
        for o in self.orgs:
            for s in o.sections:
                for m in s.materials:
                    yield o, s, m


SCHEDULE_COLUMNS = (
    CountSchedule.id, CountSchedule.material_id, CountSchedule.counter, CountSchedule.priority,
    CountSchedule.reason, CountSchedule.notes, CountSchedule.requestor,
    CountSchedule.requested_by_id, CountSchedule.request_filled)
COUNT_COLUMNS = (
    ActualCount.id, ActualCount.material_id, ActualCount.counter, ActualCount.location,
    ActualCount.location_only, ActualCount.expression, ActualCount.quantity, ActualCount.package_id,
    ActualCount.tag_qty, ActualCount.notes, ActualCount.possibly_not_received,
    ActualCount.movement_during_count)


_MATERIAL_FIELDS = [f for f in SummaryMaterial.__dataclass_fields__
                    if f not in ("counts", "earlier", "recount_for")]
_COUNT_FIELDS = list(SummaryCount.__dataclass_fields__)


def _totals_dict(totals: tuple[float, float]) -> dict[str, float]:
    return {"diff_value_total": totals[0], "abs_diff_value_total": totals[1]}


def _counts_dicts(counts: list[SummaryCount]) -> list[dict[str, Any]]:
    return [{name: getattr(c, name) for name in _COUNT_FIELDS} for c in counts]


def _material_dict(m: SummaryMaterial) -> dict[str, Any]:
    # by hand rather than dataclasses.asdict, which deep-copies every value (slow at 10,000)
    d = {name: getattr(m, name) for name in _MATERIAL_FIELDS}
    d["counters"] = list(m.counters)
    d["recount_for"] = m.recount_for.isoformat() if m.recount_for else None
    d["counts"] = _counts_dicts(m.counts)
    d["earlier"] = [{"count_date": e.count_date.isoformat(), "count_total": e.count_total,
                     "sap_total": e.sap_total, "accuracy": e.accuracy,
                     "counts": _counts_dicts(e.counts)} for e in m.earlier]
    return d


def build(session: Session, count_date: dt.date, requests: bool = False) -> CountSummary:
    values = params.get_all(session)
    bands, rule = Bands.from_params(values), RecountRule.from_params(values)
    orgs = org_names(session)
    snapshots = snapshot_dates(session, count_date)

    # Plain column tuples, not ORM objects: no identity map, no timestamps to parse.
    sched_q = select(*SCHEDULE_COLUMNS).where(CountSchedule.count_date == count_date)
    if requests:
        sched_q = sched_q.where(is_request())
    schedule = {row.material_id: row for row in session.execute(sched_q)}

    counted_q = (select(*COUNT_COLUMNS).where(ActualCount.count_date == count_date,
                                              ActualCount.quantity.isnot(None))
                 .order_by(ActualCount.id))
    lines: dict[int, list[AnyRow]] = {}
    for row in session.execute(counted_q):
        lines.setdefault(row.material_id, []).append(row)

    # The materials of the report, as a subquery (no id lists shipped to the database).
    sched_ids = select(CountSchedule.material_id).where(CountSchedule.count_date == count_date)
    if requests:
        sched_ids = sched_ids.where(is_request())
    counted_ids = select(ActualCount.material_id).where(ActualCount.count_date == count_date,
                                                        ActualCount.quantity.isnot(None))
    # UNION: distinct ids. The requests view lists requested materials only.
    wanted = sched_ids if requests else union(sched_ids, counted_ids)
    info = material_info(session, wanted)
    sap = collect_totals(session.execute(totals_query(snapshots, wanted)))
    # A recount decision counts only while its schedule entry is still there: a deleted
    # recount entry puts the material back among those waiting for a decision.
    recount_entry = (select(CountSchedule.id).where(
        CountSchedule.material_id == CountReview.material_id,
        CountSchedule.count_date == CountReview.recount_date).exists())
    # One query for both directions: this day's decisions, and earlier days recounted today.
    reviews, recounted_today = {}, False
    for r in session.execute(
            select(CountReview.material_id, CountReview.count_date, CountReview.decision,
                   CountReview.recount_date)
            .where(or_(and_(CountReview.count_date == count_date,
                            (CountReview.decision == "approved") | recount_entry),
                       and_(CountReview.recount_date == count_date,
                            CountReview.decision == "recount")))):
        if r.count_date == count_date:
            reviews[r.material_id] = r
        else:
            recounted_today = True
    earlier = _earlier_results(session, count_date) if recounted_today else {}

    titles = ([REQUESTED_COUNTED, REQUESTED_NOT_COUNTED] if requests
              else [SCHEDULED_COUNTED, UNSCHEDULED, SCHEDULED_NOT_COUNTED])
    by_org = {oid: SummaryOrg(name, snapshots.get(oid), [SummarySection(t) for t in titles])
              for oid, name in orgs.items()}
    for material_id, mi in info.items():
        entry = schedule.get(material_id)
        counted = material_id in lines
        if entry is not None:
            title = titles[0] if counted else titles[-1]
        elif counted and not requests:
            title = UNSCHEDULED
        else:
            continue  # counted, but the requests view lists requested materials only
        section = next(s for s in by_org[mi.org_id].sections if s.title == title)
        m = _material(mi, entry, lines.get(material_id, []), sap.get(material_id), bands, rule,
                      reviews.get(material_id))
        m.earlier = earlier.get(material_id, [])
        section.materials.append(m)
    for o in by_org.values():
        for s in o.sections:
            s.materials.sort(key=lambda m: m.material)  # plain character order
    return CountSummary(count_date, requests, bands,
                        sorted(by_org.values(), key=lambda o: o.org), rule)


def _earlier_results(session: Session, count_date: dt.date) -> dict[int, list[EarlierResult]]:
    """Material id -> its results on the days whose recount is on `count_date`: two queries,
    plus one SAP query per distinct earlier day (in practice one)."""
    sent = (select(CountReview.material_id, CountReview.count_date)
            .where(CountReview.recount_date == count_date, CountReview.decision == "recount")
            .subquery())
    rows = session.execute(
        select(*COUNT_COLUMNS, ActualCount.count_date)
        .join(sent, and_(sent.c.material_id == ActualCount.material_id,
                         sent.c.count_date == ActualCount.count_date))
        .where(ActualCount.quantity.isnot(None)).order_by(ActualCount.id)).all()
    by_day: dict[dt.date, dict[int, list[AnyRow]]] = {}
    for row in rows:
        by_day.setdefault(row.count_date, {}).setdefault(row.material_id, []).append(row)
    out: dict[int, list[EarlierResult]] = {}
    for day in sorted(by_day):
        ids = sorted(by_day[day])
        sap = collect_totals(session.execute(totals_query(snapshot_dates(session, day), ids)))
        for material_id in ids:
            found = by_day[day][material_id]
            total = number(sum(r.quantity for r in found)) or 0
            book = sap[material_id].quantity if material_id in sap else 0
            out.setdefault(material_id, []).append(EarlierResult(
                day, total, book, accuracy(total, book), [_summary_count(r) for r in found]))
    return out


def _summary_count(r: AnyRow) -> SummaryCount:
    return SummaryCount(r.id, r.counter, r.location, r.location_only, r.expression,
                        number(r.quantity), r.package_id, r.tag_qty, r.notes,
                        r.possibly_not_received, r.movement_during_count)


def _material(mi: MaterialInfo, entry: AnyRow | None, rows: list[AnyRow], sap: SapTotal | None,
              bands: Bands, rule: RecountRule, review: AnyRow | None) -> SummaryMaterial:
    counted = bool(rows)
    count_total = number(sum(r.quantity for r in rows)) or 0
    sap_total = sap.quantity if sap else 0
    acc = accuracy(count_total, sap_total) if counted else None
    diff = number(count_total - sap_total)
    unit = unit_value(mi.price, mi.price_unit)
    value = diff_value(diff, unit)
    approved = review is not None and review.decision == "approved"
    recount = rule.flag(acc, value, approved) if counted else None
    counters = list(dict.fromkeys(r.counter for r in rows))  # exact match, first seen first
    is_req = entry is not None and (bool(entry.requestor) or entry.requested_by_id is not None)
    return SummaryMaterial(
        material_id=mi.id, material=mi.material, org=mi.org, part_type=mi.part_type,
        description=mi.description, counters=counters, count_total=count_total,
        sap_total=sap_total, diff=diff, accuracy=acc,
        band=bands.band(acc), sap_value=sap.value if sap else 0,
        scheduled=entry is not None, schedule_id=entry.id if entry else None,
        scheduled_counter=entry.counter if entry else None,
        priority=entry.priority if entry else None, reason=entry.reason if entry else None,
        schedule_notes=entry.notes if entry else None, material_notes=mi.notes,
        typical_container_qty=mi.typical_container_qty, typical_pallet_qty=mi.typical_pallet_qty,
        requestor=entry.requestor if entry else None,
        request_filled=entry.request_filled if entry else None,
        filled=(counted or bool(entry.request_filled)) if is_req and entry is not None else None,
        unit_value=unit, diff_value=value, currency=mi.currency or None, recount=recount,
        approved=approved,
        recount_for=review.recount_date if review is not None and review.decision == "recount"
        else None,
        counts=[_summary_count(r) for r in rows])


COLUMNS = [
    Column("Organization", 12), Column("Section", 24), Column("Material", 22),
    Column("Description", 36), Column("Part Type", 14), Column("Counters", 18),
    Column("Count Total", 13, "#,##0.###"), Column("SAP Total", 13, "#,##0.###"),
    Column("Difference", 13, "#,##0.###"), Column("Accuracy %", 11, "0.00"),
    Column("Band", 14), Column("Unit Value", 12, "#,##0.00##"),
    Column("Difference Value", 15, "#,##0.00"), Column("Currency", 9), Column("Recount", 10),
    Column("Approved", 10), Column("Recount Of", 12, "yyyy-mm-dd"),
    Column("SAP Date", 11, "yyyy-mm-dd"), Column("SAP Value", 14, "#,##0.00"),
    Column("Scheduled Counter", 16), Column("Priority", 10), Column("Reason Scheduled", 22),
    Column("Schedule Notes", 28), Column("Material Notes", 28), Column("Requestor", 14),
    Column("Request Filled", 10), Column("Count Lines", 40),
]


def _count_text(c: SummaryCount) -> str:
    return f"{c.location}: {c.expression} = {c.quantity}"


def to_xlsx(summary: CountSummary, path: str | Path) -> None:
    """One sheet, one row per material and section."""
    def rows() -> Iterator[list[object]]:
        for o, s, m in summary.rows():
            fill = BAND_FILLS.get(m.band or "")
            yield [o.org, s.title, m.material, m.description, m.part_type, m.counters,
                   m.count_total, m.sap_total, m.diff, Styled(m.accuracy, fill=fill),
                   Styled(BAND_WORDS[m.band] if m.accuracy is not None else None, fill=fill),
                   m.unit_value, m.diff_value, m.currency,
                   None if m.recount is None else ("yes" if m.recount else "no"),
                   "yes" if m.approved else "no",
                   m.earlier[-1].count_date if m.earlier else None, o.sap_date, m.sap_value,
                   m.scheduled_counter, m.priority, m.reason, m.schedule_notes, m.material_notes,
                   m.requestor,
                   None if m.filled is None else ("yes" if m.filled else "no"),
                   "; ".join(_count_text(c) for c in m.counts)]
    title = "Requested Count Summary" if summary.requests else "Count Summary"
    write_xlsx(path, [Sheet(f"{title} {summary.count_date.isoformat()}", COLUMNS, rows())])
