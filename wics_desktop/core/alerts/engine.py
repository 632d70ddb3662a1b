"""The life of an alert: the rules fire (core.alerts.rules), alerts open, stay, close.

- A firing (rule, key) with no live alert opens one (status `open`).
- While it keeps firing, the alert stays as it is (its text follows the data), open or
  acknowledged: acknowledging takes it off the list without it coming straight back.
- When it stops firing, the alert closes (status `closed`); if it fires again later, a new
  one opens - and that is a new alert, with its own e-mail.

`check_and_notify(database)` runs the rules in one transaction, then e-mails each new alert
once (at most MAX_MAILS_PER_RUN separate messages; any more new alerts of the same run go out
as one list, never a storm). `after_change(database, why)` is what imports, count saves and
syncs call: the same, never failing what called it, and for count saves not more often than
every MIN_SECONDS_BETWEEN.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..actor import Actor
from ..clock import utcnow
from ..errors import NotFound, RuleViolation
from ..models import Alert
from ..models.alerts import ALERT_ACKNOWLEDGED, ALERT_CLOSED, ALERT_OPEN
from ..services import users
from . import rules

if TYPE_CHECKING:
    from ..db import Database

log = logging.getLogger("wics.alerts")

MAX_MAILS_PER_RUN = 10
MIN_SECONDS_BETWEEN = 60.0  # count saves come every few seconds; imports and syncs always check
LIVE = (ALERT_OPEN, ALERT_ACKNOWLEDGED)


@dataclass(frozen=True)
class AlertInfo:
    id: int
    rule: str
    severity: str
    subject: str
    message: str
    since: dt.datetime
    status: str = ALERT_OPEN

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "rule": self.rule, "severity": self.severity,
                "subject": self.subject, "message": self.message,
                "since": self.since.replace(microsecond=0).isoformat()}


@dataclass
class CheckResult:
    opened: list[AlertInfo] = field(default_factory=list)
    closed: list[AlertInfo] = field(default_factory=list)
    open: list[AlertInfo] = field(default_factory=list)
    mailed: int = 0
    mail_error: str | None = None


def _info(a: Alert) -> AlertInfo:
    return AlertInfo(a.id, a.rule, a.severity, a.subject, a.message, a.opened_at, a.status)


def now_pair(local: dt.datetime | None = None) -> rules.Now:
    """The clock the rules read: local wall time (for 'by 09:00') and UTC (for timestamps)."""
    if local is None:
        return rules.Now(dt.datetime.now(), utcnow())
    offset = dt.datetime.now() - utcnow()  # the server's UTC offset, as now
    return rules.Now(local, (local - offset).replace(microsecond=0))


def check(session: Session, now: dt.datetime | None = None) -> CheckResult:
    """Run every rule and bring the alerts table in line. Does not commit."""
    clock = now_pair(now)
    firing = {(f.rule, f.key): f for f in rules.evaluate(session, clock)}
    live = {(a.rule, a.alert_key): a
            for a in session.scalars(select(Alert).where(Alert.status.in_(LIVE)))}
    result = CheckResult()
    for key, alert in live.items():
        f = firing.get(key)
        if f is None:
            alert.status, alert.closed_at = ALERT_CLOSED, clock.utc
            result.closed.append(_info(alert))
        elif (alert.subject, alert.message, alert.severity) != (f.subject, f.message, f.severity):
            alert.subject, alert.message, alert.severity = f.subject, f.message, f.severity
    for key, f in firing.items():
        if key not in live:
            alert = Alert(rule=f.rule, alert_key=f.key[:250], severity=f.severity,
                          subject=f.subject[:250], message=f.message[:2000], status=ALERT_OPEN,
                          opened_at=clock.utc)
            session.add(alert)
            session.flush()
            result.opened.append(_info(alert))
    session.flush()
    result.open = list_open(session)
    return result


def list_open(session: Session) -> list[AlertInfo]:
    """Open alerts, most severe first, then oldest first."""
    rank = {"critical": 0, "warning": 1, "info": 2}
    rows = session.scalars(select(Alert).where(Alert.status == ALERT_OPEN).order_by(Alert.id))
    return sorted((_info(a) for a in rows), key=lambda a: (rank.get(a.severity, 3), a.since, a.id))


def open_count(session: Session) -> int:
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(Alert)
                          .where(Alert.status == ALERT_OPEN)) or 0


def acknowledge(session: Session, actor: Actor, alert_id: int) -> AlertInfo:
    """A supervisor has seen it: off the list (audited). It closes for good when the condition
    goes away."""
    users.require(actor, "ack_alerts")
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"There is no alert {alert_id}.")
    if alert.status != ALERT_OPEN:
        raise RuleViolation(f"Alert {alert_id} is already {alert.status}.")
    before = audit.snapshot(alert)
    alert.status = ALERT_ACKNOWLEDGED
    alert.acknowledged_by, alert.acknowledged_at = actor.username, utcnow()
    session.flush()
    audit.record(session, actor, "alert", alert.id, "acknowledge", before, audit.snapshot(alert))
    return _info(alert)


def acknowledge_all(session: Session, actor: Actor, alert_ids: list[int]) -> list[AlertInfo]:
    """acknowledge() each of them, in one transaction (all or none)."""
    users.require(actor, "ack_alerts")  # refused before the first one, not halfway
    return [acknowledge(session, actor, alert_id) for alert_id in alert_ids]


def check_and_notify(database: Database, now: dt.datetime | None = None) -> CheckResult:
    """Check (committed), then e-mail the new alerts of this and earlier runs not yet sent."""
    from . import mail

    with database.session() as s:
        result = check(s, now)
    with database.session() as s:
        settings = mail.MailSettings.from_session(s)
        if settings is None:
            return result
        pending = list(s.scalars(select(Alert).where(Alert.status == ALERT_OPEN,
                                                     Alert.emailed_at.is_(None))
                                 .order_by(Alert.id)))
        if not pending:
            return result
        try:
            result.mailed = mail.send_alerts(settings, pending, MAX_MAILS_PER_RUN)
        except Exception as exc:  # noqa: BLE001 - the mail server's problem, said, retried next run
            result.mail_error = f"{exc.__class__.__name__}: {exc}"
            log.warning("alert e-mail failed: %s", result.mail_error)
            for a in pending:
                a.email_error = result.mail_error[:1000]
            return result
        stamp = utcnow()
        for a in pending:
            a.emailed_at, a.email_error = stamp, None
    return result


_last_run = 0.0
_lock = threading.Lock()


def after_change(database: Database, why: str, *, force: bool = True) -> CheckResult | None:
    """Run the rules after an import, a count save (`force=False`: at most once a minute) or a
    sync. Never raises: a failing check is logged and must not fail what triggered it."""
    global _last_run
    with _lock:
        if not force and time.monotonic() - _last_run < MIN_SECONDS_BETWEEN:
            return None
        _last_run = time.monotonic()
    try:
        return check_and_notify(database)
    except Exception:
        log.exception("alert check after %s failed", why)
        return None
