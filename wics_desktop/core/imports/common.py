"""The shape every import shares: check every row, decide, write in one go, audit.

An importer reads the sheet, checks each row (collecting every problem in the result), then calls
`decide()`: strict mode with problems, or a file with no usable row, raises ImportRejected before
anything is written. Writing happens in the caller's transaction, so an exception anywhere -
including Cancelled from the progress object - rolls everything back.
"""
from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from .. import audit
from ..actor import Actor
from ..limits import text_problem
from ..progress import Progress, check_cancel
from .bounds import NO_VALUE
from .cells import CellError
from .reader import Sheet
from .result import ImportRejected, ImportResult

__all__ = ["Ticker", "RowProblems", "decide", "write_chunk", "finish", "gc_paused", "table_of",
           "text_limits"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


def table_of(model: type[Any]) -> Table:
    """The Table a declarative model is mapped to. SQLAlchemy types `Model.__table__` as a
    FromClause (a mapping may be to a join); every WICS model maps to one Table."""
    return cast(Table, model.__table__)


def text_limits(model: type[Any]) -> dict[str, int]:
    """Column name -> the most characters it holds, for the model's columns with a length."""
    limits: dict[str, int] = {}
    for column in table_of(model).c:
        length = getattr(column.type, "length", None)
        if length:
            limits[column.name] = length
    return limits


def gc_paused(fn: Callable[P, R]) -> Callable[P, R]:
    """Run an import with Python's cyclic garbage collector paused.

    A 100,000-row sheet is millions of live objects (a list per row, a tuple per record and per
    good row), and every 700 new containers the collector runs; its full passes walk all of them
    and cost as much as checking the rows (0.4 s of 2.5 s for 100,000 counts). An import makes
    no reference cycles worth reclaiming: its objects are freed by reference counting when it
    returns. The collector is process-wide, so it is switched back on only if it was on (a
    nested or concurrent import leaves that to the one that paused it).
    """
    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.enable()
    return run


class Ticker:
    """Reports progress about every 1% of `total` and checks for cancel at the same moments."""

    def __init__(self, progress: Progress, total: int, text: str) -> None:
        self.progress = progress
        self.total = max(total, 1)
        self.text = text
        self.every = max(1, self.total // 100)
        self.next = 0
        check_cancel(progress)
        progress.step(0, self.total, text)

    def __call__(self, done: int) -> None:
        if done >= self.next:
            self.next = done + self.every
            check_cancel(self.progress)
            self.progress.step(min(done, self.total), self.total, self.text)

    def done(self) -> None:
        check_cancel(self.progress)
        self.progress.step(self.total, self.total, self.text)


class RowProblems:
    """Collects one row's problems, each named by the column header as written in the sheet."""

    __slots__ = ("sheet", "result", "row", "raw", "keys")

    def __init__(self, sheet: Sheet, result: ImportResult) -> None:
        self.sheet = sheet
        self.result = result
        self.row = 0
        self.raw: list[Any] = []
        self.keys: set[str] = set()  # fields of this row with a problem

    def start(self, row: int, raw: list[Any]) -> None:
        self.row, self.raw = row, raw
        if self.keys:
            self.keys = set()

    @property
    def count(self) -> int:
        return len(self.keys)

    def add(self, key: str, value: Any, message: str) -> None:
        self.keys.add(key)
        self.result.error(self.row, self.sheet.header(key), _value(value), message,
                          self.sheet.raw_cells(self.raw))

    def convert(self, key: str, value: Any, fn: Callable[[Any], T | None]) -> T | None:
        """fn(value), or None with the problem recorded when the cell cannot be used (one
        problem per cell: a cell already named, e.g. an Excel error cell, is not judged again)."""
        if key in self.keys:
            return None
        try:
            return fn(value)
        except CellError as exc:
            self.add(key, value, str(exc))
            return None

    def require(self, key: str, value: Any, cleaned: Any, what: str) -> None:
        """Record '<what> is missing' when the cell is blank (not when it was merely bad)."""
        if cleaned is None and key not in self.keys:
            self.add(key, value, f"{what} is missing: fill in {self.sheet.header(key)}.")

    def text(self, key: str, value: Any, cleaned: str | None, limit: int, *,
             notes: bool = False) -> str | None:
        """`cleaned`, or None with the problem recorded when it is too long or holds a control
        character (tab and line breaks are fine in notes)."""
        if cleaned is None:
            return None
        if len(cleaned) > limit:
            self.add(key, value, f"The text is {len(cleaned)} characters long; "
                                 f"{self.sheet.header(key)} holds at most {limit}.")
            return None
        problem = text_problem(cleaned, notes=notes)
        if problem:
            if key not in self.keys:  # e.g. mm60's own words for a tab in a part number
                self.add(key, value, problem)
            return None
        return cleaned

    def cell_faults(self, row: int, raw: list[Any]) -> bool:
        """Record every Excel error cell and formula without a stored value in the columns this
        import reads (the reader noted them in sheet.faults); True when the row has one.
        calamine reads both as blank, which would make an amount 0 or skip the row."""
        faults = self.sheet.faults.get(row)
        if not faults:
            return False
        found = False
        for key, col in self.sheet.columns.items():
            what = faults.get(col)
            if what is None:
                continue
            if not found:
                self.start(row, raw)
                found = True
            if what == NO_VALUE:
                self.add(key, None, "The cell holds a formula without a stored value (the "
                                    "file was saved by a program that does not calculate): "
                                    "open it in Excel and save it again, or type the value.")
            else:
                self.add(key, what, f"The cell holds the Excel error {what}: correct the "
                                    "formula or type the value.")
        return found


SHOWN_TEXT = 200  # characters of a rejected cell's text kept in its error


def _value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and len(value) > SHOWN_TEXT:
        # a 30 KB text in every rejected row of a 2 MB file would make gigabytes of errors
        return value[:SHOWN_TEXT] + "…"
    return None if value == "" else value


def decide(result: ImportResult, *, strict: bool, usable: int, noun: str = "rows") -> None:
    """Raise ImportRejected when nothing may be written; otherwise return (lenient mode writes
    the usable rows and lists the rejected ones)."""
    result.strict = strict
    result.errors.sort(key=lambda e: e.row)  # stable: a row's problems keep their order
    if result.rows_read == 0:
        raise ImportRejected(f"The sheet '{result.sheet}' has no data rows below its header "
                             f"(row {result.header_row}); nothing was written.", result)
    rejected = result.rows_rejected
    if rejected and strict:
        raise ImportRejected(f"{rejected:,} of {result.rows_read:,} rows have problems and the "
                             "import is strict (--strict): nothing was written. Fix the rows "
                             "listed and import the file again.", result)
    if rejected and usable == 0:
        raise ImportRejected(f"None of the {result.rows_read:,} {noun} could be imported; "
                             "nothing was written. Fix the rows listed and import again.", result)


def write_chunk(total: int) -> int:
    """Rows per bulk statement: about 1% of the rows, so progress moves, at least 500."""
    return max(500, -(-total // 100))


def finish(session: Session, result: ImportResult, actor: Actor | None, action: str,
           progress: Progress) -> ImportResult:
    """Mark the result written and add the audit row, in the same transaction as the data."""
    check_cancel(progress)
    result.written = True
    audit.record(session, actor or Actor(), "import", _audit_key(result), action,
                 after=result.summary())
    session.flush()
    return result


def _audit_key(result: ImportResult) -> str:
    from pathlib import Path

    key = Path(result.file).name
    if result.upload_date is not None:
        key = f"{result.upload_date.isoformat()} {key}"
    return key[:100]
