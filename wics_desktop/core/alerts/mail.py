"""Alert e-mail over SMTP, settings from the parameters (SMTP-HOST, SMTP-PORT, SMTP-SECURITY
none|starttls|ssl, SMTP-USER, SMTP-PASSWORD, SMTP-FROM; recipients ALERT-EMAIL-TO).

One message per new alert; when a run opens more than `limit` alerts, the first `limit - 1` go
out one by one and the rest together in one list - a data problem that opens a hundred alerts
sends ten messages, not a hundred."""
from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy.orm import Session

from .. import params
from ..models import Alert


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str
    user: str
    password: str
    sender: str
    recipients: tuple[str, ...]

    @classmethod
    def from_session(cls, session: Session) -> MailSettings | None:
        """The settings, or None when alert e-mail is off (no recipients or no server)."""
        v = params.get_all(session)
        recipients = tuple(a.strip() for a in (v.get(params.ALERT_EMAIL_TO) or "").split(",")
                           if a.strip())
        host = (v.get(params.SMTP_HOST) or "").strip()
        if not recipients or not host:
            return None
        return cls(host, int(params.as_float(v, params.SMTP_PORT)),
                   (v.get(params.SMTP_SECURITY) or "none").strip().lower(),
                   (v.get(params.SMTP_USER) or "").strip(), v.get(params.SMTP_PASSWORD) or "",
                   (v.get(params.SMTP_FROM) or "wics@localhost").strip(), recipients)


def _message(settings: MailSettings, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = ", ".join(settings.recipients)
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def _body(alert: Alert) -> str:
    return (f"{alert.message}\n\nRule: {alert.rule}   Severity: {alert.severity}   "
            f"Since: {alert.opened_at:%Y-%m-%d %H:%M} UTC   Alert #{alert.id}\n\n"
            "Acknowledge it in WICS Desktop (Alerts) or with `wics alerts ack "
            f"{alert.id}`.\n")


def messages(settings: MailSettings, alerts: Sequence[Alert], limit: int) -> list[EmailMessage]:
    if len(alerts) <= limit:
        return [_message(settings, f"[WICS {a.severity}] {a.subject}", _body(a)) for a in alerts]
    single, rest = alerts[:limit - 1], alerts[limit - 1:]
    out = [_message(settings, f"[WICS {a.severity}] {a.subject}", _body(a)) for a in single]
    lines = "\n".join(f"#{a.id} [{a.severity}] {a.subject}" for a in rest)
    out.append(_message(settings, f"[WICS] {len(rest)} more new alerts",
                        f"{len(rest)} more alerts opened:\n\n{lines}\n\nSee Alerts in WICS "
                        "Desktop or `wics alerts check`.\n"))
    return out


def send_alerts(settings: MailSettings, alerts: Sequence[Alert], limit: int) -> int:
    """Send the messages over one connection; returns how many were sent."""
    msgs = messages(settings, alerts, limit)
    server: smtplib.SMTP  # SMTP_SSL is an SMTP
    if settings.security == "ssl":
        server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=20,
                                  context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=20)
    with server:
        if settings.security == "starttls":
            server.starttls(context=ssl.create_default_context())
        if settings.user:
            server.login(settings.user, settings.password)
        for msg in msgs:
            server.send_message(msg)
    return len(msgs)
