"""Who counts: the counter names a form offers while one is typed (Schedule, Count Entry).

A counter is free text (paper sheets are counted by people without a WICS account), so the
known names are the ones already used: counters of the most recent counts, counters named in
the recent schedule, and the names of active users. Three small set-based queries whatever the
size of the counts table: "recent counts" are the last RECENT_COUNTS rows by primary key (a
count-date range would read most of a busy year's rows; counter has no index).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..models import ActualCount, CountSchedule, User

RECENT_DAYS = 400  # schedule entries older than this are not looked at
RECENT_COUNTS = 20_000  # about two months of a busy warehouse's counts


def known_counter_names(session: Session, *, recent_days: int = RECENT_DAYS,
                        recent_counts: int = RECENT_COUNTS, limit: int = 1000) -> list[str]:
    """Distinct counter names, sorted case-insensitively; names differing only in case or
    surrounding spaces appear once (the first spelling in sorted order)."""
    since = clock.today() - dt.timedelta(days=recent_days)
    names: set[str] = set()
    latest = (select(ActualCount.counter).order_by(ActualCount.id.desc())
              .limit(recent_counts).subquery())
    names.update(session.scalars(select(latest.c.counter).distinct()))
    names.update(session.scalars(select(CountSchedule.counter).where(
        CountSchedule.counter.isnot(None), CountSchedule.count_date >= since).distinct()))
    for username, display in session.execute(select(User.username, User.display_name).where(
            User.active.is_(True))):
        names.add((display or "").strip() or username)
    seen: dict[str, str] = {}
    for name in sorted((n.strip() for n in names if n and n.strip()), key=lambda n: (n.lower(), n)):
        seen.setdefault(name.lower(), name)
    return list(seen.values())[:limit]
