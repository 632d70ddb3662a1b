"""Cleaning of typed values shared by every service: strip, blank -> None, length, numbers.

Every text that reaches the database is stripped of surrounding whitespace first (the two
databases then compare it the same way), and checked against its column's length, so a long
paste gives a sentence naming the field instead of a driver error on MariaDB.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import overload

from ..errors import InputRejected
from ..limits import date_problem, text_problem

_NUMBER_AS_TEXT = re.compile(r"^-?\d+\.0*$")


def clean(value: object, field: str | None = None, max_len: int | None = None) -> str | None:
    """Stripped text, None when blank; InputRejected when longer than max_len."""
    if value is None:
        return None
    text = number_text(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else str(value)
    text = text.strip()
    if not text:
        return None
    if max_len is not None and len(text) > max_len:
        raise InputRejected(f"{field or 'The text'} is too long: at most {max_len} characters "
                            f"({len(text)} given).")
    return text


def plain_text(value: object, field: str, max_len: int | None = None, *,
               notes: bool = False) -> str | None:
    """clean(), and InputRejected naming the field when the text holds a control character
    (limits.py; tab and line breaks are allowed in notes)."""
    text = clean(value, field, max_len)
    problem = text_problem(text, notes=notes)
    if problem:
        raise InputRejected(f"{field}: {problem}")
    return text


def require_plain(value: object, field: str, max_len: int | None = None,
                  message: str | None = None) -> str:
    text = plain_text(value, field, max_len)
    if text is None:
        raise InputRejected(message or f"Please enter {field}.")
    return text


def date_in_range(value: object, field: str = "a date") -> dt.date:
    """require_date(), and InputRejected when the date is before 1990 or more than two years
    ahead (limits.py)."""
    day = require_date(value, field)
    problem = date_problem(day)
    if problem:
        raise InputRejected(problem)
    return day


def require(value: object, field: str, max_len: int | None = None,
            message: str | None = None) -> str:
    text = clean(value, field, max_len)
    if text is None:
        raise InputRejected(message or f"Please enter {field}.")
    return text


def number_text(value: object) -> str:
    """A part number that arrived as a number (1115416 or 1115416.0) as its text form."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = str(value).strip()
    if _NUMBER_AS_TEXT.match(text):
        return text.split(".", 1)[0]
    return text


def require_date(value: object, field: str = "a date") -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise InputRejected(f"'{value.strip()}' is not a date: use YYYY-MM-DD.") from None
    raise InputRejected(f"Please enter {field}.")


def optional_int(value: object, field: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        raise InputRejected(f"{field} must be a whole number, not '{value}'.") from None


def optional_float(value: object, field: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).strip().replace(",", ""))
    except ValueError:
        raise InputRejected(f"{field} must be a number, not '{value}'.") from None


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 material', '2 materials', '1,250 rows' (`many` for irregular plurals)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def join_words(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@overload
def as_number(value: float) -> int | float: ...


@overload
def as_number(value: float | None) -> int | float | None: ...


def as_number(value: float | None) -> int | float | None:
    """A quantity for output: the stored value to 15 significant digits (as many as a double
    holds exactly), so float noise goes (0.1+0.2 -> 0.3) while a tiny quantity stays itself
    (0.0000000000000001, never 0); whole numbers as int."""
    if value is None:
        return None
    value = float(f"{float(value):.15g}")
    return int(value) if value.is_integer() else value
