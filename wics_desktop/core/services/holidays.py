"""Holidays (days nobody counts: the next-workday rule skips them) and login greetings."""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..actor import Actor
from ..errors import NotFound
from ..models import Greeting, Holiday
from ..permissions import requires
from .fields import clean, require, require_date
from .orgs import SetupResult


@dataclass(frozen=True)
class HolidayRow:
    id: int
    holiday_date: dt.date
    name: str | None


@requires("edit_holidays")
def add_holiday(session: Session, actor: Actor, day: dt.date, name: str | None = None
                ) -> SetupResult:
    """Add a holiday, or rename the one on that date (idempotent)."""
    day = require_date(day, "the holiday's date")
    label = clean(name, "The holiday's name", 100)
    row = session.scalar(select(Holiday).where(Holiday.holiday_date == day))
    created = row is None
    changed = created
    if row is None:
        row = Holiday(holiday_date=day, name=label)
        session.add(row)
        session.flush()
        audit.record(session, actor, "holiday", day, "create", None, audit.snapshot(row))
    elif name is not None and row.name != label:
        before = audit.snapshot(row)
        row.name = label
        session.flush()
        changed = True
        audit.record(session, actor, "holiday", day, "update", before, audit.snapshot(row))
    return SetupResult("holiday", day.isoformat(), created, changed,
                       {"date": day.isoformat(), "name": row.name})


def list_holidays(session: Session, year: int | None = None) -> list[HolidayRow]:
    q = select(Holiday).order_by(Holiday.holiday_date)
    if year is not None:
        q = q.where(Holiday.holiday_date >= dt.date(year, 1, 1),
                    Holiday.holiday_date <= dt.date(year, 12, 31))
    return [HolidayRow(h.id, h.holiday_date, h.name) for h in session.scalars(q)]


@requires("edit_holidays")
def delete_holiday(session: Session, actor: Actor, day: dt.date) -> None:
    row = session.scalar(select(Holiday).where(Holiday.holiday_date == day))
    if row is None:
        raise NotFound(f"{day.isoformat()} is not a holiday.")
    audit.record(session, actor, "holiday", day, "delete", audit.snapshot(row), None)
    session.delete(row)
    session.flush()


# ---- greetings -------------------------------------------------------------------------------

@dataclass(frozen=True)
class GreetingRow:
    id: int
    text: str


def list_greetings(session: Session) -> list[GreetingRow]:
    return [GreetingRow(g.id, g.text)
            for g in session.scalars(select(Greeting).order_by(Greeting.id))]


@requires("edit_holidays")
def add_greeting(session: Session, actor: Actor, text: str) -> GreetingRow:
    row = Greeting(text=require(text, "the greeting", 2000))
    session.add(row)
    session.flush()
    audit.record(session, actor, "greeting", row.id, "create", None, audit.snapshot(row))
    return GreetingRow(row.id, row.text)


@requires("edit_holidays")
def update_greeting(session: Session, actor: Actor, greeting_id: int, text: str) -> GreetingRow:
    row = session.get(Greeting, greeting_id)
    if row is None:
        raise NotFound(f"There is no greeting with id {greeting_id}.")
    before = audit.snapshot(row)
    row.text = require(text, "the greeting", 2000)
    session.flush()
    audit.record(session, actor, "greeting", row.id, "update", before, audit.snapshot(row))
    return GreetingRow(row.id, row.text)


@requires("edit_holidays")
def delete_greeting(session: Session, actor: Actor, greeting_id: int) -> None:
    row = session.get(Greeting, greeting_id)
    if row is None:
        raise NotFound(f"There is no greeting with id {greeting_id}.")
    audit.record(session, actor, "greeting", row.id, "delete", audit.snapshot(row), None)
    session.delete(row)
    session.flush()


def random_greeting(session: Session, rng: random.Random | None = None) -> str:
    """A random greeting for the login dialog; '' when there are none. Two small queries."""
    n = session.scalar(select(func.count()).select_from(Greeting)) or 0
    if not n:
        return ""
    offset = (rng or random).randrange(n)
    return session.scalar(select(Greeting.text).order_by(Greeting.id).offset(offset).limit(1)) or ""
