"""What a WICS-3 site holds, read into plain rows before anything is written.

Both readers (its MySQL database, its CSV exports) fill one `Wics3Site`; the writer never knows
which one it came from. Every row keeps where it came from (`Src`: table and row), so a problem
can name the table, the row and the value a person has to look at. Rows keep WICS-3's own ids
(`id`, `material_id`, ...) as keys between tables; the writer maps them onto WICS ids.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]  # one row as read, with WICS Desktop's field names


@dataclass(frozen=True)
class Src:
    """Where a row came from: the WICS-3 table (or CSV file) and its id or line number."""

    table: str
    row: int | str


@dataclass
class Problem:
    table: str
    row: int | str | None
    value: Any
    message: str

    def as_dict(self) -> dict[str, Any]:
        value = self.value
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        return {"table": self.table, "row": self.row, "value": value, "message": self.message}


@dataclass
class Wics3Site:
    """Rows per kind, as plain dicts with WICS Desktop's field names (see each reader)."""

    orgs: list[Row] = field(default_factory=list)            # id, name
    part_types: list[Row] = field(default_factory=list)      # id, name, priority, inactive
    materials: list[Row] = field(default_factory=list)       # id, org_id, part_number, ...
    mpns: list[Row] = field(default_factory=list)            # mpn, manufacturer, material_id, notes
    photos: list[Row] = field(default_factory=list)          # material_id, path, notes
    schedule: list[Row] = field(default_factory=list)        # count_date, material_id, ...
    counts: list[Row] = field(default_factory=list)          # id, count_date, material_id, ...
    sap: list[Row] = field(default_factory=list)             # upload_date, org_id, part_number, ...
    plants: list[Row] = field(default_factory=list)          # plant, org_id
    uoms: list[Row] = field(default_factory=list)            # uom, uom_text, dimension_text, ...
    parameters: list[Row] = field(default_factory=list)      # name, value, user_modifiable, comment
    greetings: list[Row] = field(default_factory=list)       # text
    holidays: list[Row] = field(default_factory=list)        # holiday_date, name
    zones: list[Row] = field(default_factory=list)           # zone, name
    location_zones: list[Row] = field(default_factory=list)  # location, zone
    menu_groups: list[Row] = field(default_factory=list)     # name, info
    users: list[Row] = field(default_factory=list)           # username, display_name, role, ...
    problems: list[Problem] = field(default_factory=list)
    read: dict[str, int] = field(default_factory=dict)       # source table -> rows read
    source: str = ""                                         # what was read, for people

    def problem(self, src: Src | None, value: Any, message: str) -> None:
        self.problems.append(Problem(src.table if src else "", src.row if src else None,
                                     value, message))


# ---- value parsing shared by both readers ---------------------------------------------------

_TRUE = {"true", "yes", "y", "1", "-1", "t", "x"}
_FALSE = {"false", "no", "n", "0", "f", ""}


def text(value: Any, limit: int | None = None) -> str | None:
    """Stripped text, None when blank; `limit` cuts to the WICS column length (reported by
    the caller when it matters)."""
    if value is None:
        return None
    s = str(value).strip()
    if not s:
        return None
    return s[:limit] if limit else s


def boolean(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    s = str(value).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError(f"not a yes/no value: {value!r}")


def number(value: Any) -> float | None:
    """A number as WICS-3 exports write it: '302,230.00', '10,000', '', None."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    s = str(value).strip().replace(",", "")
    if not s:
        return None
    return float(s)


def date(value: Any) -> dt.date | None:
    """A date cell: a date, 'MM/DD/YYYY' (the Access exports), 'YYYY-MM-DD' (MySQL dumps)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip()
    if not s:
        return None
    for fmt in ("%m/%d/%Y", "%Y-%m-%d", "%m/%d/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {value!r}")
