"""Column definitions: one place per list for the title, the SQL expression, formatting, sorting
and filtering — shared by the desktop's list screens, the xlsx export and `wics list export`.

Filter syntax a user types in a column's filter box (the same for every list):
- text: ``abc`` contains (any case) · ``=abc`` exactly · ``^abc`` starts with · ``!abc`` does
  not contain · ``=`` blank
- numbers and dates: ``5`` / ``2026-11-20`` equal · ``>5`` ``>=5`` ``<5`` ``<=5`` · ``!5`` not
  equal · ``5..10`` from-to (both included) · ``=`` blank; dates also as ``MM/DD/YYYY``
- yes/no: ``yes`` ``no`` (also y/n, 1/0, true/false)
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, not_, or_
from sqlalchemy.sql.elements import ColumnElement

from ..expressions import format_quantity

# A WHERE condition built from a filter text.
Clause = ColumnElement[bool]

KINDS = ("text", "int", "float", "qty", "money", "date", "datetime", "bool")
NUMERIC = ("int", "float", "qty", "money")


class FilterError(ValueError):
    """A filter text that cannot be understood; the message says what to type instead."""


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    expr: Any  # a SQL column expression
    kind: str = "text"
    width: int = 12  # default width in characters
    visible: bool = True
    sortable: bool = True
    filterable: bool = True
    quick: bool = False  # searched by the quick-filter box
    sort_expr: Any = None  # cheaper/index-friendly expression to sort by (default: expr)
    filter_expr: Any = None  # expression the filter box compares (default: expr)
    fmt: Callable[[Any], str] | None = None
    tooltip: str | None = None
    export: bool = True

    @property
    def sort_by(self) -> Any:
        return self.expr if self.sort_expr is None else self.sort_expr

    @property
    def filter_by(self) -> Any:
        return self.expr if self.filter_expr is None else self.filter_expr

    @property
    def right_aligned(self) -> bool:
        return self.kind in NUMERIC

    def display(self, value: Any) -> str:
        if self.fmt is not None:
            return self.fmt(value)
        return format_value(value, self.kind)

    def filter_clause(self, text: str) -> Clause | None:
        return filter_clause(self.filter_by, self.kind, text)


def format_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "bool":
        return "Yes" if value else ""
    if kind == "int":
        return f"{int(value):,}"
    if kind == "qty":
        return format_quantity(int(value) if float(value).is_integer() else float(value))
    if kind == "float":
        return format_quantity(value)
    if kind == "money":
        return f"{float(value):,.2f}"
    if kind == "date":
        return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)[:10]
    if kind == "datetime":
        return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else str(value)
    return str(value)


# ---- filters --------------------------------------------------------------------------------

_COMPARE = re.compile(r"^(>=|<=|>|<|!=|!|=)?\s*(.*)$", re.DOTALL)
_TRUE = {"yes", "y", "1", "true", "x", "ja", "t"}
_FALSE = {"no", "n", "0", "false", "f", "nein"}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def parse_number(text: str) -> float:
    """A filter's number. nan, inf and numbers beyond a double (1e999) are not numbers to
    filter by: the database refuses them (a ProgrammingError, not a message)."""
    cleaned = text.strip().replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise FilterError(f"'{text.strip()}' is not a number")
    return value


def parse_date(text: str) -> dt.date:
    t = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", t):
            y, m, d = (int(p) for p in t.split("-"))
            return dt.date(y, m, d)
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", t):
            m, d, y = (int(p) for p in t.split("/"))
            return dt.date(y, m, d)
    except ValueError:
        pass
    raise FilterError(f"'{t}' is not a date: write YYYY-MM-DD")


def _blank(expr: ColumnElement[Any], kind: str) -> Clause:
    return or_(expr.is_(None), expr == "") if kind == "text" else expr.is_(None)


def filter_clause(expr: ColumnElement[Any], kind: str, text: str) -> Clause | None:
    """The WHERE condition for a filter text, None for an empty filter; FilterError if unclear."""
    raw = (text or "").strip()
    if not raw:
        return None
    if kind == "bool":
        word = raw.lower()
        if word in _TRUE:
            return expr.is_(True)
        if word in _FALSE:
            return or_(expr.is_(False), expr.is_(None))
        raise FilterError("type yes or no")
    if kind == "text":
        if raw == "=":
            return _blank(expr, kind)
        if raw.startswith("="):
            return expr == raw[1:].strip()
        if raw.startswith("^"):
            return expr.ilike(_escape_like(raw[1:].strip()) + "%", escape="\\")
        if raw.startswith("!"):
            return or_(expr.is_(None),
                       not_(expr.ilike("%" + _escape_like(raw[1:].strip()) + "%", escape="\\")))
        return expr.ilike("%" + _escape_like(raw) + "%", escape="\\")
    parse: Callable[[str], Any] = parse_date if kind in ("date", "datetime") else parse_number
    if raw == "=":
        return _blank(expr, kind)
    if ".." in raw:
        low, _, high = raw.partition("..")
        parts = []
        if low.strip():
            parts.append(expr >= _bound(parse(low), kind, upper=False))
        if high.strip():
            parts.append(expr <= _bound(parse(high), kind, upper=True)
                         if kind != "datetime" else expr < _bound(parse(high), kind, upper=True))
        if not parts:
            raise FilterError("write from..to, e.g. 2026-11-01..2026-11-30")
        return and_(*parts)
    match = _COMPARE.match(raw)
    assert match is not None  # the pattern matches any text
    op, value_text = match.groups()
    value = parse(value_text)
    if kind == "datetime":  # a date means the whole day
        start, end = _bound(value, kind, upper=False), _bound(value, kind, upper=True)
        days: dict[str | None, Clause] = {
            None: and_(expr >= start, expr < end), "=": and_(expr >= start, expr < end),
            ">": expr >= end, ">=": expr >= start, "<": expr < start, "<=": expr < end,
            "!": or_(expr < start, expr >= end), "!=": or_(expr < start, expr >= end)}
        return days[op]
    compare: dict[str | None, Clause] = {
        None: expr == value, "=": expr == value, ">": expr > value, ">=": expr >= value,
        "<": expr < value, "<=": expr <= value, "!": expr != value, "!=": expr != value}
    return compare[op]


def _bound(value: Any, kind: str, *, upper: bool) -> Any:
    if kind == "datetime":
        day = dt.datetime.combine(value, dt.time())
        if not upper:
            return day
        try:  # the day after: a timestamp filter takes the whole day
            return day + dt.timedelta(days=1)
        except OverflowError:  # 9999-12-31 has no day after it
            raise FilterError(f"'{value.isoformat()}' is the last day a date can have: write "
                              f"an earlier one") from None
    return value


@dataclass
class TableState:
    """What the user asked for: quick filter, column filters, sort (plain, saveable)."""

    quick: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    sort_key: str | None = None
    descending: bool = False
