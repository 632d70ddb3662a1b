"""Alerts (migration 0006_alerts): what needs a supervisor now, opened and closed by the rules
in core.alerts as the data changes; and what each workstation last reported of its outbox."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamp, Timestamps, table_args, utc_now

ALERT_OPEN = "open"                  # the condition holds; listed, counted in the badge
ALERT_ACKNOWLEDGED = "acknowledged"  # a supervisor saw it; not listed while the condition holds
ALERT_CLOSED = "closed"              # the condition went away
ALERT_STATUSES = (ALERT_OPEN, ALERT_ACKNOWLEDGED, ALERT_CLOSED)
SEVERITIES = ("info", "warning", "critical")


class Alert(Timestamps, Base):
    """One occurrence of a rule firing for one subject (`rule` + `key`, e.g. the org and date).

    While the rule keeps firing for that key the same row stays (open or acknowledged); when
    it stops, the row is closed; if it fires again later, a new row opens."""

    __tablename__ = "alerts"
    __table_args__ = table_args(Index("ix_alerts_status_rule_key", "status", "rule", "alert_key"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(50), nullable=False)
    alert_key: Mapped[str] = mapped_column(String(250), nullable=False)
    severity: Mapped[str] = mapped_column(String(20), nullable=False, default="warning")
    subject: Mapped[str] = mapped_column(String(250), nullable=False)
    message: Mapped[str] = mapped_column(String(2000), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=ALERT_OPEN,
                                        server_default=ALERT_OPEN)
    opened_at: Mapped[dt.datetime] = mapped_column(Timestamp, nullable=False, default=utc_now(),
                                                   server_default=utc_now())
    closed_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    acknowledged_by: Mapped[str | None] = mapped_column(String(150))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    emailed_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    email_error: Mapped[str | None] = mapped_column(String(1000))


class WorkstationOutbox(Base):
    """A workstation's last report of its outbox, written whenever it reaches the server (before
    and after sending). The server cannot see a PC's outbox; this is what it last heard."""

    __tablename__ = "workstation_outbox"
    __table_args__ = table_args()

    workstation: Mapped[str] = mapped_column(String(100), primary_key=True)
    username: Mapped[str | None] = mapped_column(String(150))
    pending: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    oldest_pending_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    reported_at: Mapped[dt.datetime] = mapped_column(Timestamp, nullable=False,
                                                     default=utc_now(), server_default=utc_now())
