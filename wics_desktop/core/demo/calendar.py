"""US-style warehouse holidays and the workdays between them.

The list follows the one the old system hard-coded (New Year, Martin Luther King Day,
Presidents' Day, Memorial Day, Juneteenth, Independence Day, Labor Day, Thanksgiving and the
day after, Christmas and the day after), computed for any year. A holiday on a Saturday is
observed the Friday before, one on a Sunday the Monday after.
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th given weekday of a month (n=-1: the last one). Monday is 0."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: dt.date) -> dt.date:
    if day.weekday() == 5:
        return day - dt.timedelta(days=1)
    if day.weekday() == 6:
        return day + dt.timedelta(days=1)
    return day


def us_holidays(year: int) -> list[tuple[dt.date, str]]:
    """The year's holidays as (date, name), in date order."""
    thanksgiving = _nth_weekday(year, 11, 3, 4)
    christmas = _observed(dt.date(year, 12, 25))
    after_christmas = dt.date(year, 12, 26)
    while after_christmas.weekday() >= 5 or after_christmas <= christmas:
        after_christmas += dt.timedelta(days=1)
    days = [
        (_observed(dt.date(year, 1, 1)), "New Year's Day"),
        (_nth_weekday(year, 1, 0, 3), "Martin Luther King Jr. Day"),
        (_nth_weekday(year, 2, 0, 3), "Presidents' Day"),
        (_nth_weekday(year, 5, 0, -1), "Memorial Day"),
        (_observed(dt.date(year, 6, 19)), "Juneteenth"),
        (_observed(dt.date(year, 7, 4)), "Independence Day"),
        (_nth_weekday(year, 9, 0, 1), "Labor Day"),
        (thanksgiving, "Thanksgiving"),
        (thanksgiving + dt.timedelta(days=1), "Day after Thanksgiving"),
        (christmas, "Christmas Day"),
        (after_christmas, "Day after Christmas"),
    ]
    return sorted(days)


def holidays_for(years: range) -> list[tuple[dt.date, str]]:
    """Holidays of several years, each date once (an observed New Year may fall in December)."""
    seen: dict[dt.date, str] = {}
    for year in years:
        for day, name in us_holidays(year):
            seen.setdefault(day, name)
    return sorted(seen.items())


def is_workday(day: dt.date, holidays: set[dt.date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def workdays_between(first: dt.date, last: dt.date, holidays: set[dt.date]) -> list[dt.date]:
    """Workdays from first to last, both included."""
    days: list[dt.date] = []
    day = first
    while day <= last:
        if is_workday(day, holidays):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def next_workdays(after: dt.date, count: int, holidays: set[dt.date]) -> list[dt.date]:
    """The first `count` workdays strictly after `after`."""
    days: list[dt.date] = []
    day = after
    while len(days) < count:
        day += dt.timedelta(days=1)
        if is_workday(day, holidays):
            days.append(day)
    return days


# Full SAP snapshots cover about this many material-days; older uploads carry only the
# materials the schedule and counts touch, so 100,000 materials stay quick to generate.
FULL_SNAPSHOT_BUDGET = 30_000
MIN_FULL_SNAPSHOTS = 3
FUTURE_WORKDAYS = 5


@dataclass(frozen=True)
class Timeline:
    """The dates the demo fills: counting days, planned days and SAP upload dates."""

    today: dt.date
    holidays: list[tuple[dt.date, str]]
    count_days: list[dt.date]    # workdays of the window before today, then today itself
    future_days: list[dt.date]   # the next workdays after today (schedule only)
    sap_days: list[dt.date]      # upload dates, ascending, all workdays on or before today
    full_from: int               # sap_days[full_from:] are full snapshots

    @classmethod
    def build(cls, today: dt.date, days: int, materials: int) -> Timeline:
        first = today - dt.timedelta(days=days - 1)
        holidays = holidays_for(range(first.year, today.year + 2))
        off = {d for d, _ in holidays}
        window = workdays_between(first, today, off)
        count_days = [d for d in window if d < today] + [today]
        # At least the last few workdays get an upload even when the window is shorter.
        recent: list[dt.date] = []
        day = today
        while len(recent) < MIN_FULL_SNAPSHOTS:
            if is_workday(day, off):
                recent.append(day)
            day -= dt.timedelta(days=1)
        sap_days = sorted(set(window) | set(recent))
        full = min(len(sap_days), FULL_SNAPSHOT_BUDGET // max(1, materials))
        full = max(MIN_FULL_SNAPSHOTS, full)
        return cls(today=today, holidays=holidays, count_days=count_days,
                   future_days=next_workdays(today, FUTURE_WORKDAYS, off), sap_days=sap_days,
                   full_from=max(0, len(sap_days) - full))

    def book_index(self, day: dt.date) -> int:
        """Index of the upload a count on `day` is compared with: the latest on or before it."""
        return bisect.bisect_right(self.sap_days, day) - 1
