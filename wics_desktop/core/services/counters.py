"""Who counts: the counter names a form offers while one is typed (Schedule, Count Entry).

A counter is free text (paper sheets are counted by people without a WICS account), so the
known names are the ones already used: counters of recent counts, counters named in the
schedule, and the names of active users. Three small set-based queries, whatever the size of
the counts table (recent counts are found through the count-date index).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..models import ActualCount, CountSchedule, User

RECENT_DAYS = 400  # a counter not seen for over a year is not offered (still typeable)


def known_counter_names(session: Session, *, recent_days: int = RECENT_DAYS,
                        limit: int = 1000) -> list[str]:
    """Distinct counter names, sorted case-insensitively; names differing only in case or
    surrounding spaces appear once (the first spelling in sorted order)."""
    since = clock.today() - dt.timedelta(days=recent_days)
    names: set[str] = set()
    names.update(session.scalars(select(ActualCount.counter).where(
        ActualCount.count_date >= since).distinct()))
    names.update(session.scalars(select(CountSchedule.counter).where(
        CountSchedule.counter.isnot(None), CountSchedule.count_date >= since).distinct()))
    for username, display in session.execute(select(User.username, User.display_name).where(
            User.active.is_(True))):
        names.add((display or "").strip() or username)
    seen: dict[str, str] = {}
    for name in sorted((n.strip() for n in names if n and n.strip()), key=lambda n: (n.lower(), n)):
        seen.setdefault(name.lower(), name)
    return list(seen.values())[:limit]
