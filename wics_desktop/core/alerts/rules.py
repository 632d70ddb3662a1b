"""The alert rules. Each looks at the data as it is now and returns what fires, as Firing
(rule, key, severity, subject, message); the engine opens, keeps or closes alerts from that.
A rule's parameter set to blank or 0 turns it off. Each rule is one or two set-based queries.

- sap_upload: a workday, past ALERT-SAP-UPLOAD-BY, and an organization (with materials) has no
  SAP stock upload dated today.
- accuracy: an organization's mean accuracy of a date (the count summary's numbers, as in
  `wics report accuracy`) below ACCURACY-DANGER, for the dates of the last ALERT-LOOKBACK-DAYS.
- diff_value: a counted material whose |difference value| exceeds ALERT-DIFF-VALUE-ABOVE, in
  the same days.
- attention: offline counts the server put on the needs-attention list, not yet resolved.
- outbox: a workstation reported counts waiting in its outbox for more than ALERT-OUTBOX-HOURS.
- sheets: a workday, past ALERT-SHEETS-PRINTED-BY, the next workday has a count schedule and
  nobody printed (or saved as PDF) its count sheets - printing is recorded in the audit log.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import params
from ..actor import Actor
from ..models import (
    AttentionCount,
    AuditLog,
    CountSchedule,
    Holiday,
    Material,
    Organization,
    WorkstationOutbox,
)
from ..models.sync import ATTENTION_OPEN
from ..reports import accuracy
from ..reports.accuracy import MaterialDays

SHEETS_ENTITY = "count_sheets"  # audit entity of a count-sheet print; key = the count date
SHEETS_ACTIONS = ("print", "pdf")


def record_sheets_printed(session: Session, actor: Actor, count_date: dt.date, how: str,
                          pages: int | None = None) -> None:
    """Note that the count sheets of `count_date` were printed (`how`: print or pdf)."""
    from .. import audit

    audit.record(session, actor, SHEETS_ENTITY, count_date.isoformat(), how, None,
                 {"pages": pages} if pages is not None else None)


@dataclass(frozen=True)
class Firing:
    rule: str
    key: str
    severity: str
    subject: str
    message: str


@dataclass(frozen=True)
class Now:
    local: dt.datetime  # the server's wall clock: what "by 09:00" means
    utc: dt.datetime    # naive UTC, as timestamps are stored

    @property
    def today(self) -> dt.date:
        return self.local.date()


def _is_workday(session: Session, day: dt.date) -> bool:
    if day.weekday() >= 5:
        return False
    return session.scalar(select(Holiday.id).where(Holiday.holiday_date == day)) is None


def _past(values: dict[str, str], name: str, now: Now) -> bool:
    at = params.parse_time(values.get(name, ""))
    return at is not None and now.local.time() >= at


def _number(values: dict[str, str], name: str) -> float:
    return params.as_float(values, name)


def sap_upload(session: Session, values: dict[str, str], now: Now) -> list[Firing]:
    if not _past(values, params.ALERT_SAP_BY, now) or not _is_workday(session, now.today):
        return []
    with_materials = select(Material.org_id).distinct()
    orgs = dict(session.execute(select(Organization.id, Organization.name)
                                .where(Organization.id.in_(with_materials))).all())
    last = accuracy.snapshot_dates_on(session, sorted(orgs), [now.today])
    out = []
    for oid, org in sorted(orgs.items(), key=lambda item: item[1]):
        day = last.get((oid, now.today))
        if day == now.today:
            continue
        since = f"the last one is from {day.isoformat()}" if day else "there has never been one"
        out.append(Firing(
            "sap_upload", f"{org}|{now.today.isoformat()}", "warning",
            f"SAP stock for {org} not uploaded today",
            f"No SAP stock on hand (MB52) was uploaded for {org} for {now.today.isoformat()} by "
            f"{values.get(params.ALERT_SAP_BY)}; {since}. Counts compared with an old snapshot "
            "show false differences."))
    return out


def _material_days(session: Session, values: dict[str, str], now: Now) -> MaterialDays:
    days = max(0, int(_number(values, params.ALERT_LOOKBACK_DAYS)))
    return accuracy.material_days(session, now.today - dt.timedelta(days=days), now.today)


def accuracy_low(session: Session, values: dict[str, str], now: Now,
                 days: MaterialDays | None = None) -> list[Firing]:
    days = days or _material_days(session, values, now)
    by: dict[tuple[str, dt.date], list[float]] = {}
    for r in days.rows:
        by.setdefault((r.org, r.count_date), []).append(r.accuracy)
    out = []
    for (org, day), accs in sorted(by.items()):
        mean = round(sum(accs) / len(accs), 2)
        if mean < days.bands.danger:
            out.append(Firing(
                "accuracy", f"{org}|{day.isoformat()}", "critical",
                f"{org} accuracy {mean:.2f} % on {day.isoformat()}",
                f"The mean accuracy of the {len(accs)} materials {org} counted on "
                f"{day.isoformat()} is {mean:.2f} %, below ACCURACY-DANGER "
                f"({days.bands.danger:g} %). The count summary of that date shows which."))
    return out


def diff_value(session: Session, values: dict[str, str], now: Now,
               days: MaterialDays | None = None) -> list[Firing]:
    limit = _number(values, params.ALERT_DIFF_VALUE)
    if limit <= 0:
        return []
    days = days or _material_days(session, values, now)
    out = []
    for r in days.rows:
        if r.diff_value is not None and abs(r.diff_value) > limit:
            cur = f" {r.currency}" if r.currency else ""
            # the display name already names the org when the part number is shared
            name = r.material if r.material.endswith(f"({r.org})") else f"{r.material} ({r.org})"
            out.append(Firing(
                "diff_value", f"{r.material_id}|{r.count_date.isoformat()}", "warning",
                f"{name} differs by {r.diff_value:,.2f}{cur} on {r.count_date.isoformat()}",
                f"{name} counted {r.count_total:,} against SAP {r.sap_total:,} "
                f"on {r.count_date.isoformat()}: a difference of {r.diff:,} worth "
                f"{r.diff_value:,.2f}{cur}, beyond ALERT-DIFF-VALUE-ABOVE ({limit:,.2f})."))
    return out


def attention(session: Session, values: dict[str, str], now: Now) -> list[Firing]:
    n, oldest = session.execute(
        select(func.count(), func.min(AttentionCount.created_at))
        .where(AttentionCount.status == ATTENTION_OPEN)).one()
    if not n:
        return []
    return [Firing("attention", "open", "warning",
                   f"{n} offline count{'s' if n != 1 else ''} "
                   f"need{'s' if n == 1 else ''} attention",
                   f"{n} count{'s' if n != 1 else ''} typed offline could not be stored as typed "
                   f"(the oldest since {oldest:%Y-%m-%d %H:%M} UTC). Open Offline Counts and "
                   "Sync to reassign or discard them.")]


def outbox(session: Session, values: dict[str, str], now: Now) -> list[Firing]:
    hours = _number(values, params.ALERT_OUTBOX_HOURS)
    if hours <= 0:
        return []
    limit = now.utc - dt.timedelta(hours=hours)
    q = (select(WorkstationOutbox).where(WorkstationOutbox.pending > 0,
                                         WorkstationOutbox.oldest_pending_at < limit)
         .order_by(WorkstationOutbox.workstation))
    return [Firing("outbox", w.workstation, "warning",
                   f"{w.workstation}: {w.pending} count{'s' if w.pending != 1 else ''} not sent",
                   f"Workstation {w.workstation} ({w.username or 'unknown user'}) reported "
                   f"{w.pending} count{'s' if w.pending != 1 else ''} waiting in its outbox since "
                   f"{w.oldest_pending_at:%Y-%m-%d %H:%M} UTC (last heard "
                   f"{w.reported_at:%Y-%m-%d %H:%M} UTC), longer than {hours:g} hours. Sync it.")
            for w in session.scalars(q)]


def sheets(session: Session, values: dict[str, str], now: Now) -> list[Firing]:
    if not _past(values, params.ALERT_SHEETS_BY, now) or not _is_workday(session, now.today):
        return []
    from ..services.schedule import next_workday

    day = next_workday(session, now.today)
    planned = session.scalar(select(func.count()).select_from(CountSchedule)
                             .where(CountSchedule.count_date == day)) or 0
    if not planned:
        return []
    printed = session.scalar(select(AuditLog.id).where(
        AuditLog.entity == SHEETS_ENTITY, AuditLog.entity_key == day.isoformat(),
        AuditLog.action.in_(SHEETS_ACTIONS)).limit(1))
    if printed is not None:
        return []
    return [Firing("sheets", day.isoformat(), "warning",
                   f"Count sheets for {day.isoformat()} not printed",
                   f"{planned} material{'s are' if planned != 1 else ' is'} scheduled for "
                   f"{day:%A} {day.isoformat()} and nobody has printed the count sheets by "
                   f"{values.get(params.ALERT_SHEETS_BY)}.")]


RULES = {
    "sap_upload": "SAP stock not uploaded by a time on a workday",
    "accuracy": "An organization's accuracy for a date below ACCURACY-DANGER",
    "diff_value": "A material's difference value beyond a threshold",
    "attention": "Offline counts needing attention",
    "outbox": "A workstation's outbox not sent for too long",
    "sheets": "Count sheets for the next workday not printed by a time",
}


def evaluate(session: Session, now: Now) -> list[Firing]:
    """Every rule, now. The two rules on counted materials share one pass over the counts."""
    values = params.get_all(session)
    days = _material_days(session, values, now)
    return (sap_upload(session, values, now) + accuracy_low(session, values, now, days)
            + diff_value(session, values, now, days) + attention(session, values, now)
            + outbox(session, values, now) + sheets(session, values, now))
