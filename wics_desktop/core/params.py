"""Every database parameter, declared once with its default, and typed access to them.

The `parameters` table holds the values; `wics db upgrade` inserts any declared parameter that
is missing, so an admin sees them all in the editor. Reading a parameter that is blank or not
a number where a number is needed falls back to its default (never a crash, never 0).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Parameter

if TYPE_CHECKING:
    import datetime


@dataclass(frozen=True)
class ParamSpec:
    name: str
    default: str
    comment: str
    user_modifiable: bool = True


ACCURACY_DANGER = "ACCURACY-DANGER"
ACCURACY_WARNING = "ACCURACY-WARNING"
ACCURACY_SUCCESS = "ACCURACY-SUCCESS"
RECOUNT_BELOW_ACCURACY = "RECOUNT-BELOW-ACCURACY"
RECOUNT_ABOVE_VALUE = "RECOUNT-ABOVE-VALUE"
LOCRPT_COUNTDAYS_IFNOSAP = "LOCRPT-COUNTDAYS-IFNOSAP"
COUNTLIST_RECLIMIT = "COUNTLIST-RECLIMIT"
REPLICA_DAYS_BACK = "REPLICA-SCHEDULE-DAYS-BACK"
REPLICA_DAYS_AHEAD = "REPLICA-SCHEDULE-DAYS-AHEAD"
MM60_REMOVAL_LIMIT_PCT = "MM60-REMOVAL-LIMIT-PCT"
PLAN_CAPACITY = "PLAN-CAPACITY"
PLAN_DAYS_A = "PLAN-DAYS-A"
PLAN_DAYS_B = "PLAN-DAYS-B"
PLAN_DAYS_C = "PLAN-DAYS-C"
PLAN_COUNTER_DAYS = "PLAN-COUNTER-DAYS"
# Alerts (core.alerts): each rule's setting; a blank time or a 0 threshold turns a rule off.
ALERT_SAP_BY = "ALERT-SAP-UPLOAD-BY"
ALERT_LOOKBACK_DAYS = "ALERT-LOOKBACK-DAYS"
ALERT_DIFF_VALUE = "ALERT-DIFF-VALUE-ABOVE"
ALERT_OUTBOX_HOURS = "ALERT-OUTBOX-HOURS"
ALERT_SHEETS_BY = "ALERT-SHEETS-PRINTED-BY"
ALERT_EMAIL_TO = "ALERT-EMAIL-TO"
SMTP_HOST = "SMTP-HOST"
SMTP_PORT = "SMTP-PORT"
SMTP_SECURITY = "SMTP-SECURITY"
SMTP_USER = "SMTP-USER"
SMTP_PASSWORD = "SMTP-PASSWORD"
SMTP_FROM = "SMTP-FROM"
SIGNIN_LOCK_FAILURES = "SIGNIN-LOCK-FAILURES"
SIGNIN_LOCK_MINUTES = "SIGNIN-LOCK-MINUTES"
SQL_TIME_LIMIT = "SQL-TIME-LIMIT-SECONDS"

DECLARED: tuple[ParamSpec, ...] = (
    ParamSpec(ACCURACY_DANGER, "90", "Accuracy (%) below this value is shown red (danger)."),
    ParamSpec(ACCURACY_WARNING, "95",
              "Accuracy (%) above this value, but not above ACCURACY-SUCCESS, is shown yellow."),
    ParamSpec(ACCURACY_SUCCESS, "98.5", "Accuracy (%) above this value is shown green."),
    ParamSpec(RECOUNT_BELOW_ACCURACY, "90",
              "Count summary: a counted material whose accuracy (%) is below this value is "
              "flagged for recount (0-100)."),
    ParamSpec(RECOUNT_ABOVE_VALUE, "1000",
              "Count summary: a counted material whose difference is worth more than this "
              "(absolute, in the material's currency) is flagged for recount; 0 = off."),
    ParamSpec(LOCRPT_COUNTDAYS_IFNOSAP, "30",
              "Material locations report: hide a material with no SAP stock whose last count is "
              "older than this many days."),
    ParamSpec(COUNTLIST_RECLIMIT, "0",
              "Kept for compatibility: WICS Desktop pages counts in as you scroll, so 0 = no cap."),
    ParamSpec(REPLICA_DAYS_BACK, "7",
              "Offline replica: days of count schedule kept before today."),
    ParamSpec(REPLICA_DAYS_AHEAD, "14",
              "Offline replica: days of count schedule kept after today."),
    ParamSpec(MM60_REMOVAL_LIMIT_PCT, "25",
              "MM60 import: refuse an update that would remove more than this percentage "
              "(0-100) of an organization's materials, unless mass removal is confirmed."),
    ParamSpec(PLAN_CAPACITY, "25",
              "Count planner: materials a counter counts a day, unless the counter has an own "
              "capacity."),
    ParamSpec(PLAN_DAYS_A, "30", "Count planner: an A-class material is due this many days "
              "after its last count."),
    ParamSpec(PLAN_DAYS_B, "90", "Count planner: a B-class material is due this many days "
              "after its last count."),
    ParamSpec(PLAN_DAYS_C, "365", "Count planner: a C-class material (or one without a class) "
              "is due this many days after its last count; a material without stock and not "
              "counted for this long is not planned."),
    ParamSpec(PLAN_COUNTER_DAYS, "30", "Count planner: without a list of counters, plan for "
              "everyone who counted in this many days before the date."),
    ParamSpec(ALERT_SAP_BY, "09:00",
              "Alert when an organization's SAP stock for today is not uploaded by this time "
              "(HH:MM, server's local time) on a workday. Blank: off."),
    ParamSpec(ALERT_LOOKBACK_DAYS, "7",
              "Alerts on accuracy and difference value look at the counts of this many days "
              "back from today."),
    ParamSpec(ALERT_DIFF_VALUE, "5000",
              "Alert when a counted material's difference value (diff x unit value) exceeds "
              "this amount either way. 0: off."),
    ParamSpec(ALERT_OUTBOX_HOURS, "4",
              "Alert when a workstation reported counts waiting in its outbox for longer than "
              "this many hours. 0: off."),
    ParamSpec(ALERT_SHEETS_BY, "15:00",
              "Alert when the count sheets for the next workday's schedule are not printed by "
              "this time (HH:MM) on a workday. Blank: off."),
    ParamSpec(ALERT_EMAIL_TO, "",
              "E-mail addresses (comma separated) that get one message per new alert. Blank: "
              "no e-mail."),
    ParamSpec(SMTP_HOST, "", "Mail server for alert e-mail."),
    ParamSpec(SMTP_PORT, "25", "Mail server port (25, 587 with STARTTLS, 465 with SSL)."),
    ParamSpec(SMTP_SECURITY, "none", "Mail server security: none, starttls or ssl."),
    ParamSpec(SMTP_USER, "", "Mail server user name (blank: no sign-in)."),
    ParamSpec(SMTP_PASSWORD, "", "Mail server password."),
    ParamSpec(SMTP_FROM, "wics@localhost", "Sender address of alert e-mail."),
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
                        comment=comment if comment is not None
                        else (declared.comment if declared else None),
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


def parse_time(text: str) -> datetime.time | None:
    """'9:00' / '09:00' -> datetime.time; anything else (blank included) -> None."""
    import datetime as dt

    raw = (text or "").strip()
    try:
        hours, minutes = raw.split(":")
        return dt.time(int(hours), int(minutes))
    except ValueError:
        return None
