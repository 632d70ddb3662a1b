"""Turning spreadsheet cells into the values WICS stores.

A cell arrives as whatever the reader gives: from python-calamine a str ("" when empty), float
(Excel keeps every number as a float, so 1115416 arrives as 1115416.0), bool, date, datetime or
timedelta; from a .csv file always a str. Each converter returns the clean value, or None for a
blank cell, or raises CellError with a sentence for the supervisor.
"""
from __future__ import annotations

import datetime as dt
import re

from ..limits import MAX_MAGNITUDE, date_problem, number_problem

__all__ = [
    "CellError", "is_blank", "text", "part_number", "number", "integer", "date", "boolean",
    "show",
]

# Excel's day 0 is 1899-12-30 once its 1900 leap-year bug is accounted for (serials >= 61).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31
# [0-9], not \d: \d also matches other scripts' digits ('٣', '²')
_ISO_DATE = re.compile(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$")
_US_DATE = re.compile(
    r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})"
    r"(?: [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?: ?[AaPp][Mm])?)?$")
# "10,000", "302,230.00", "-1,234.5"; SAP also writes negatives with a trailing minus: "25-".
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.[0-9]*)?$")
_TRUE = {"true", "t", "yes", "y", "1", "x"}
_FALSE = {"false", "f", "no", "n", "0"}


class CellError(ValueError):
    """A cell that cannot be used; str(err) is the sentence shown to the user."""


def is_blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def show(value: object) -> str:
    """A value as the user typed it, for messages ('1115416', not '1115416.0')."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        if len(value) > 100:  # a message names the cell, it does not repeat a page of text
            value = value[:100] + "…"
        return value if value.isprintable() else value.encode("unicode_escape").decode("ascii")
    return str(value)


def _number_text(value: float) -> str:
    if value.is_integer():
        return str(int(value))
    return repr(value)


def text(value: object) -> str | None:
    """Free text: stripped; numbers without a spurious '.0'; None when blank."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip() or None


def part_number(value: object) -> str | None:
    """A part number: a number cell (1115416.0) becomes the text part number '1115416'."""
    return text(value)


def number(value: object) -> float | None:
    """A number: numeric cells, or text with thousands separators ('302,230.00', '25-'); at
    most 1e12 either way, never infinity or NaN (limits.py)."""
    if isinstance(value, float):
        return _in_range(value)
    if isinstance(value, bool):
        raise CellError(f"'{show(value)}' is not a number.")
    if isinstance(value, int):
        return _in_range(float(value))
    if value is None:
        return None
    if isinstance(value, str):
        s = value.strip().replace("\u00a0", "").replace(" ", "")
        if not s:
            return None
        negative = s.endswith("-") and len(s) > 1
        if negative:
            s = s[:-1]
        if s and _NUMBER.match(s) and any(c in "0123456789" for c in s):
            result = float(s.replace(",", ""))
            return _in_range(-result if negative else result)
    raise CellError(f"'{show(value)}' is not a number.")


def _in_range(value: float) -> float:
    if -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE:  # False for NaN too
        return value
    raise CellError(number_problem(value))


def integer(value: object) -> int | None:
    n = number(value)
    if n is None:
        return None
    if not n.is_integer():
        raise CellError(f"'{show(value)}' is not a whole number.")
    return int(n)


def _serial(serial: float, value: object) -> dt.date:
    if not 1 <= serial <= _EXCEL_MAX_SERIAL:
        raise CellError(f"'{show(value)}' is not a date.")
    days = int(serial)
    if days < 61:  # before Excel's phantom 1900-02-29
        days += 1
    return _EXCEL_EPOCH + dt.timedelta(days=days)


def date(value: object) -> dt.date | None:
    """A date: a date cell, an Excel serial number, or text YYYY-MM-DD or MM/DD/YYYY; from
    1990-01-01 to two years after today (limits.py)."""
    found = _date(value)
    if found is not None:
        problem = date_problem(found)
        if problem:
            raise CellError(problem)
    return found


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError(f"'{show(value)}' is not a date: write it as YYYY-MM-DD or MM/DD/YYYY.")
    if isinstance(value, (int, float)):
        return _serial(value, value)
    if value is None:
        return None
    if isinstance(value, str):
        s = value.strip()
        if not s:
            return None
        try:
            m = _ISO_DATE.match(s)
            if m:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            m = _US_DATE.match(s)
            if m:
                return dt.date(int(m[3]), int(m[1]), int(m[2]))
        except ValueError:
            raise CellError(f"'{show(value)}' is not a real date.") from None
    raise CellError(f"'{show(value)}' is not a date: write it as YYYY-MM-DD or MM/DD/YYYY.")


def boolean(value: object) -> bool | None:
    """Yes/no: Excel TRUE/FALSE, 1/0, yes/no, y/n, true/false, x; None when blank."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if value in (0, 1):
            return bool(value)
    elif value is None:
        return None
    elif isinstance(value, str):
        s = value.strip().lower()
        if not s:
            return None
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
    raise CellError(f"'{show(value)}' is not yes or no: use TRUE or FALSE (or 1/0, yes/no).")
