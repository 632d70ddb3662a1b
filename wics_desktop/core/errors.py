"""Errors meant for people, each with the exit code the command line gives it.

The codes are part of the CLI contract: 2 usage, 3 input rejected as a whole (nothing written),
4 database unreachable or database error, 5 not permitted.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


class WicsError(Exception):
    """Base of every error WICS reports to a person. `str(err)` is the sentence shown.

    `field`: the input the sentence is about ("quantity", "location", ...), when it is about
    one; a form puts the cursor there (ui/ops.py), the CLI names it in --json errors."""

    exit_code = 1
    # What the command line adds to its --json error object (e.g. the rows in question).
    payload: dict[str, Any] | None = None

    def __init__(self, *args: object, field: str | None = None) -> None:
        super().__init__(*args)
        self.field = field


class UsageError(WicsError):
    exit_code = 2


class InputRejected(WicsError):
    """The input as a whole cannot be used; nothing was written."""

    exit_code = 3


class NotFound(InputRejected):
    """A name (material, organization, user, ...) that does not exist."""


class RuleViolation(InputRejected):
    """A business rule refuses the change (duplicate schedule, delete of a referenced row...)."""


class DatabaseUnavailable(WicsError):
    exit_code = 4


class DatabaseError(WicsError):
    exit_code = 4


class ConcurrentWrite(DatabaseError):
    """Another session wrote the same rows at the same moment; this one wrote nothing and may
    simply be run again (the CLI's imports retry once by themselves)."""


class NotPermitted(WicsError):
    exit_code = 5


class Cancelled(WicsError):
    """The user cancelled a long job; whatever it was doing was rolled back."""

    exit_code = 1


@dataclass(frozen=True)
class RowError:
    """One problem in one row of an input file, as the user sees it in Excel."""

    row: int
    column: str
    value: object
    message: str

    def as_dict(self) -> dict[str, Any]:
        value = self.value
        if value is not None and not isinstance(value, (str, int, float, bool)):
            value = str(value)
        return {"row": self.row, "column": self.column, "value": value, "message": self.message}


@contextlib.contextmanager
def about(field: str) -> Iterator[None]:
    """An input rejection raised inside names `field` (unless it already names one): the
    validation of one input is wrapped in `with about("quantity"):`. Other errors (the server
    gone, not permitted) are about no field and pass unchanged."""
    try:
        yield
    except InputRejected as exc:
        if exc.field is None:
            exc.field = field
        raise
