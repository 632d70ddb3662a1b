"""The limits every number, date and text passes on its way into WICS, whoever brings it.

One module so that an import, `wics count add` and the desktop forms (through the core services)
refuse the same values with the same words:

- numbers (quantities, amounts, values, prices): finite and at most 1e12 either way. Beyond
  that no stock is real, and two such SAP rows summed overflow the database's DOUBLE, so every
  report of their date would fail;
- dates (count dates, schedule dates): from 1990-01-01 to two years after today;
- text: no control characters (a NUL from a CSV file later breaks the xlsx export); tab and
  line breaks are allowed in notes only.

Each check returns the sentence for the user, or None when the value is fine; callers raise
their own error (CellError for a cell, InputRejected for a form) with it. Qt-free, no database.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import re

from . import clock

__all__ = ["MAX_MAGNITUDE", "EARLIEST_DATE", "YEARS_AHEAD", "number_problem", "date_bounds",
           "date_problem", "text_problem", "has_control", "has_control_in_notes"]

MAX_MAGNITUDE = 1e12
EARLIEST_DATE = dt.date(1990, 1, 1)
YEARS_AHEAD = 2

# C0 and C1 control characters and DEL; notes may hold tab, line feed and carriage return
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_NOTES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
has_control = _CONTROL.search  # for short paths: a match object (truthy) or None
has_control_in_notes = _CONTROL_IN_NOTES.search


def _show_number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "infinity" if value > 0 else "-infinity"
    return f"{value:g}"


def number_problem(value: float | int | None) -> str | None:
    """None when `value` is a usable number (or None), else what is wrong with it."""
    if value is None:
        return None
    if value != value or value in (math.inf, -math.inf):
        return (f"{_show_number(value)} is not a number WICS can store: write the real "
                "number (an Excel error or a division by 0 gives this).")
    if not -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE:
        return (f"{_show_number(value)} is too large: numbers in WICS stay between "
                "-1,000,000,000,000 and 1,000,000,000,000 (1e12).")
    return None


@functools.lru_cache(maxsize=4)
def _bounds_for(today: dt.date) -> tuple[dt.date, dt.date]:
    try:
        latest = today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + YEARS_AHEAD, day=28)
    return EARLIEST_DATE, latest


def date_bounds() -> tuple[dt.date, dt.date]:
    """(earliest, latest) date WICS accepts today."""
    return _bounds_for(clock.today())


def date_problem(value: dt.date | None) -> str | None:
    if value is None:
        return None
    earliest, latest = date_bounds()
    if earliest <= value <= latest:
        return None
    return (f"{value.isoformat()} is out of range: dates from {earliest.isoformat()} to "
            f"{latest.isoformat()} (two years after today) are accepted.")


def text_problem(value: str | None, *, notes: bool = False) -> str | None:
    """A control character in `value` (tab and line breaks allowed when `notes`)."""
    if not value:
        return None
    found = (_CONTROL_IN_NOTES if notes else _CONTROL).search(value)
    if found is None:
        return None
    char = found.group()
    name = {"\t": "a tab", "\n": "a line break", "\r": "a line break",
            "\x00": "a NUL character"}.get(char, f"the control character U+{ord(char):04X}")
    allowed = ("" if notes else " (tab and line breaks are allowed in notes only)")
    return (f"The text contains {name} at position {found.start() + 1}: remove it{allowed}.")
