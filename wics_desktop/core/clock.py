"""What "today" and "now" mean, computed when asked (never at import time).

`WICS_TODAY=YYYY-MM-DD` pins today's date: screenshots, acceptance checks and demos of a
given day use it. Timestamps stored in the database are UTC.
"""
from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    pinned = os.environ.get("WICS_TODAY")
    if pinned:
        return dt.date.fromisoformat(pinned)
    return dt.date.today()


def utcnow() -> dt.datetime:
    """Naive UTC timestamp, the form stored in DATETIME columns."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
