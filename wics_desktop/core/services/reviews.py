"""Closing the counting loop: a supervisor approves a day's result or sends it to recount.

Approve: the difference is accepted; the count summary's recount flag clears. Recount: the
material is scheduled again (next workday by default, reason `Recount`, the same counter by
default, a blind sheet by default) and the decision links both days, so the recount day's
summary shows the earlier count beside the new one. One decision per material and day
(`count_reviews`), every change audited. Both work on a set of materials at once with a fixed
number of queries.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit
from ..actor import Actor
from ..errors import InputRejected, RuleViolation
from ..models import ActualCount, CountReview, CountSchedule
from . import users
from .fields import require_date
from .material_lookup import display_names
from .schedule import next_workday

RECOUNT_REASON = "Recount"
APPROVED, RECOUNT = "approved", "recount"


@dataclass(frozen=True)
class Approval:
    material_id: int
    material: str
    count_date: dt.date
    changed: bool  # False: it was approved already

    def as_dict(self) -> dict[str, Any]:
        return {"material": self.material, "count_date": self.count_date.isoformat(),
                "approved": True, "changed": self.changed}


@dataclass
class RecountResult:
    count_date: dt.date
    for_date: dt.date
    scheduled: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)  # {"material": ..., "reason": ...}

    def as_dict(self) -> dict[str, Any]:
        # exactly the contract's keys: the day is in the human text and on the schedule
        return {"scheduled": list(self.scheduled), "skipped": list(self.skipped)}


def _reviews(session: Session, count_date: dt.date, ids: list[int]) -> dict[int, CountReview]:
    return {r.material_id: r for r in session.scalars(select(CountReview).where(
        CountReview.count_date == count_date, CountReview.material_id.in_(ids)))}


def _decide(session: Session, actor: Actor, existing: dict[int, CountReview], material_id: int,
            count_date: dt.date, **values: Any) -> bool:
    """Write one decision (insert or replace), audited; False when nothing changed."""
    row = existing.get(material_id)
    before = audit.snapshot(row) if row is not None else None
    if row is None:
        row = CountReview(material_id=material_id, count_date=count_date)
        session.add(row)
    for name, value in {**values, "decided_by": actor.username,
                        "workstation": actor.workstation}.items():
        setattr(row, name, value)
    if before is not None and all(before.get(k) == getattr(row, k) for k in values):
        session.expire(row)  # the same decision again: keep the first decider and time
        return False
    session.flush()
    audit.record(session, actor, "count_review", f"{material_id}@{count_date.isoformat()}",
                 "create" if before is None else "update", before, audit.snapshot(row))
    return True


def approve(session: Session, actor: Actor, count_date: dt.date,
            material_ids: list[int]) -> list[Approval]:
    """Accept the results of `material_ids` on `count_date` (each must have been counted)."""
    users.require(actor, "approve_counts")
    count_date = require_date(count_date, "the count date")
    ids = sorted(set(material_ids))
    if not ids:
        raise InputRejected("Choose at least one material to approve.")
    names = display_names(session, ids)
    counted = set(session.scalars(select(ActualCount.material_id).distinct().where(
        ActualCount.count_date == count_date, ActualCount.quantity.isnot(None),
        ActualCount.material_id.in_(ids))))
    missing = [names.get(i, str(i)) for i in ids if i not in counted]
    if missing:
        raise RuleViolation(f"Not counted on {count_date.isoformat()}, nothing to approve: "
                            + ", ".join(sorted(missing)) + ".")
    existing = _reviews(session, count_date, ids)
    return [Approval(i, names[i], count_date,
                     _decide(session, actor, existing, i, count_date, decision=APPROVED,
                             recount_date=None))
            for i in ids]


def schedule_recounts(session: Session, actor: Actor, count_date: dt.date,
                      for_date: dt.date | None = None, material_ids: list[int] | None = None,
                      counter: str | None = None, blind: bool = True) -> RecountResult:
    """Schedule recounts of `count_date`'s results on `for_date` (default: the next workday).

    `material_ids` None: every material the count summary flags for recount ("Schedule all
    recounts"); else those materials, flagged or not (a supervisor may doubt a result the
    thresholds accept), each of which must have been counted. `counter` None: the same counter
    as on `count_date`. A material already on the schedule of `for_date` is skipped, so running
    this twice schedules nothing new."""
    from ..reports import count_summary  # reports import services: import here, not at the top

    users.require(actor, "schedule_recounts")
    count_date = require_date(count_date, "the count date")
    for_date = require_date(for_date, "the recount date") if for_date is not None \
        else next_workday(session, count_date)
    if for_date <= count_date:
        raise InputRejected(f"A recount must be after the count it repeats: {for_date.isoformat()}"
                            f" is not after {count_date.isoformat()}.")
    counter = (counter or "").strip() or None
    if counter is not None and len(counter) > 250:
        raise InputRejected("The counter is too long: at most 250 characters.")
    summary = count_summary.build(session, count_date)
    result = RecountResult(count_date, for_date)
    by_id = {m.material_id: m for _, _, m in summary.rows()}
    if material_ids is None:
        wanted = [m for m in summary.to_recount()]
    else:
        wanted = []
        for i in sorted(set(material_ids)):
            m = by_id.get(i)
            if m is None or m.recount is None:
                name = m.material if m else display_names(session, [i]).get(i, str(i))
                result.skipped.append({"material": name,
                                       "reason": f"not counted on {count_date.isoformat()}"})
            else:
                wanted.append(m)
    if not wanted:
        return result
    ids = [m.material_id for m in wanted]
    taken = dict(session.execute(select(CountSchedule.material_id, CountSchedule.reason).where(
        CountSchedule.count_date == for_date, CountSchedule.material_id.in_(ids))).all())
    new_rows = []
    for m in wanted:
        if m.material_id in taken:
            what = "a recount" if taken[m.material_id] == RECOUNT_REASON else "a count"
            result.skipped.append({"material": m.material, "reason": f"{what} is already "
                                   f"scheduled for {for_date.isoformat()}"})
            continue
        who = counter or (m.counters[0] if m.counters else m.scheduled_counter)
        acc = "" if m.accuracy is None else f", accuracy {m.accuracy:g}%"
        # a blind recount's sheet must not carry the book quantity, not even in its notes
        note = (f"Recount of {count_date.isoformat()}" if blind else
                f"Recount of {count_date.isoformat()}: counted {m.count_total:g} against "
                f"{m.sap_total:g}{acc}")
        new_rows.append((m, CountSchedule(count_date=for_date, material_id=m.material_id,
                                          counter=who, reason=RECOUNT_REASON, notes=note[:1000])))
    session.add_all(row for _, row in new_rows)
    try:
        session.flush()
    except IntegrityError as exc:  # another workstation scheduled one of them a moment ago
        raise RuleViolation("The schedule changed while the recounts were being written; "
                            "nothing was scheduled, please try again.") from exc
    existing = _reviews(session, count_date, [m.material_id for m, _ in new_rows])
    for m, row in new_rows:
        audit.record(session, actor, "count_schedule", row.id, "create", None,
                     audit.snapshot(row))
        _decide(session, actor, existing, m.material_id, count_date, decision=RECOUNT,
                recount_date=for_date, blind=bool(blind))
        result.scheduled.append(m.material)
    return result


def blind_recounts(session: Session, count_date: dt.date) -> set[int]:
    """Materials whose recount on `count_date` is to be counted blind (the count sheets)."""
    return set(session.scalars(select(CountReview.material_id).where(
        CountReview.recount_date == count_date, CountReview.decision == RECOUNT,
        CountReview.blind.is_(True))))


def recounts_of_material(session: Session, material_id: int) -> dict[dt.date, dt.date]:
    """Recount day -> the day it repeats, for a material (its count history)."""
    return {r.recount_date: r.count_date for r in session.execute(
        select(CountReview.recount_date, CountReview.count_date).where(
            CountReview.material_id == material_id, CountReview.decision == RECOUNT,
            CountReview.recount_date.isnot(None)))}
