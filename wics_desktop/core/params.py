"""Every database parameter, declared once with its default, and typed access to them.

The `parameters` table holds the values; `wics db upgrade` inserts any declared parameter that
is missing, so an admin sees them all in the editor. Reading a parameter that is blank or not
a number where a number is needed falls back to its default (never a crash, never 0).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Parameter


@dataclass(frozen=True)
class ParamSpec:
    name: str
    default: str
    comment: str
    user_modifiable: bool = True


ACCURACY_DANGER = "ACCURACY-DANGER"
ACCURACY_WARNING = "ACCURACY-WARNING"
ACCURACY_SUCCESS = "ACCURACY-SUCCESS"
LOCRPT_COUNTDAYS_IFNOSAP = "LOCRPT-COUNTDAYS-IFNOSAP"
COUNTLIST_RECLIMIT = "COUNTLIST-RECLIMIT"
REPLICA_DAYS_BACK = "REPLICA-SCHEDULE-DAYS-BACK"
REPLICA_DAYS_AHEAD = "REPLICA-SCHEDULE-DAYS-AHEAD"
SIGNIN_LOCK_FAILURES = "SIGNIN-LOCK-FAILURES"
SIGNIN_LOCK_MINUTES = "SIGNIN-LOCK-MINUTES"
SQL_TIME_LIMIT = "SQL-TIME-LIMIT-SECONDS"

DECLARED: tuple[ParamSpec, ...] = (
    ParamSpec(ACCURACY_DANGER, "90", "Accuracy (%) below this value is shown red (danger)."),
    ParamSpec(ACCURACY_WARNING, "95",
              "Accuracy (%) above this value, but not above ACCURACY-SUCCESS, is shown yellow."),
    ParamSpec(ACCURACY_SUCCESS, "98.5", "Accuracy (%) above this value is shown green."),
    ParamSpec(LOCRPT_COUNTDAYS_IFNOSAP, "30",
              "Material locations report: hide a material with no SAP stock whose last count is "
              "older than this many days."),
    ParamSpec(COUNTLIST_RECLIMIT, "0",
              "Kept for compatibility: WICS Desktop pages counts in as you scroll, so 0 = no cap."),
    ParamSpec(REPLICA_DAYS_BACK, "7",
              "Offline replica: days of count schedule kept before today."),
    ParamSpec(REPLICA_DAYS_AHEAD, "14",
              "Offline replica: days of count schedule kept after today."),
    ParamSpec(SIGNIN_LOCK_FAILURES, "5",
              "Sign-in: this many refused attempts for one user name in SIGNIN-LOCK-MINUTES "
              "lock that name out for SIGNIN-LOCK-MINUTES (0 = never lock)."),
    ParamSpec(SIGNIN_LOCK_MINUTES, "5", "Sign-in: length of the lock-out window, minutes."),
    ParamSpec(SQL_TIME_LIMIT, "30",
              "Run SQL (admins): a query running longer than this many seconds is stopped."),
)

_BY_NAME = {spec.name: spec for spec in DECLARED}


def spec(name: str) -> ParamSpec | None:
    return _BY_NAME.get(name)


def get_all(session: Session) -> dict[str, str]:
    values = {s.name: s.default for s in DECLARED}
    for name, value in session.execute(select(Parameter.name, Parameter.value)):
        values[name] = value
    return values


def get(session: Session, name: str) -> str:
    value = session.scalar(select(Parameter.value).where(Parameter.name == name))
    if value is None:
        declared = _BY_NAME.get(name)
        return declared.default if declared else ""
    return value


def as_float(values: dict[str, str], name: str) -> float:
    """A parameter as a number ("98.5" -> 98.5); blank or junk falls back to the default."""
    raw = (values.get(name) or "").strip()
    try:
        return float(raw)
    except ValueError:
        declared = _BY_NAME.get(name)
        return float(declared.default) if declared else 0.0


def get_float(session: Session, name: str) -> float:
    return as_float({name: get(session, name)}, name)


def set_value(session: Session, name: str, value: str, comment: str | None = None) -> Parameter:
    name = name.strip()
    row = session.get(Parameter, name)
    declared = _BY_NAME.get(name)
    if row is None:
        row = Parameter(name=name, value=value.strip(),
                        comment=comment if comment is not None else (declared.comment if declared else None),
                        user_modifiable=declared.user_modifiable if declared else True)
        session.add(row)
    else:
        row.value = value.strip()
        if comment is not None:
            row.comment = comment
    session.flush()
    return row


def ensure_declared(session: Session) -> int:
    """Insert declared parameters that are missing; existing values are left alone."""
    present = set(session.scalars(select(Parameter.name)))
    added = 0
    for s in DECLARED:
        if s.name not in present:
            session.add(Parameter(name=s.name, value=s.default, comment=s.comment,
                                  user_modifiable=s.user_modifiable))
            added += 1
    session.flush()
    return added
