"""Alerts: each rule opens and closes an alert as the data changes; acknowledging is audited and
keeps the alert off the list; e-mail goes to a real (local) SMTP server, once per alert."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, update

from wics_desktop.core import alerts, params
from wics_desktop.core.actor import Actor
from wics_desktop.core.alerts.outbox_report import report_outbox
from wics_desktop.core.alerts.rules import record_sheets_printed
from wics_desktop.core.errors import NotPermitted
from wics_desktop.core.models import Alert, AttentionCount, AuditLog, OutboxCount
from wics_desktop.core.services import parameters

from core_fixtures import ACTOR, count, material, org_id, sap, sched, setup_orgs

FRIDAY = dt.date(2026, 11, 20)
MONDAY = dt.date(2026, 11, 23)
AT_10 = dt.datetime(2026, 11, 20, 10, 0)
SUPERVISOR = Actor(username="sue", workstation="WS-1", role="supervisor")

QUIET = {params.ALERT_SAP_BY: "", params.ALERT_SHEETS_BY: "", params.ALERT_DIFF_VALUE: "0",
         params.ALERT_OUTBOX_HOURS: "0"}


def _set(s, **values):
    for name, value in values.items():
        parameters.set_parameter(s, ACTOR, name, value)


def _quiet(s, **but):
    """Every rule with a switch off, except those given."""
    _set(s, **{**QUIET, **but})


def _check(db, now=AT_10):
    with db.session() as s:
        return alerts.check(s, now)


def _open_rules(db):
    with db.session() as s:
        return [(a.rule, a.subject) for a in alerts.list_open(s)]


@pytest.fixture
def warehouse(db):
    with db.session() as s:
        setup_orgs(s)
        a = material(s, "A-1", price=10.0)
        _quiet(s)
        return db, a, org_id(s, "L10")


def test_sap_upload_rule(warehouse):
    db, a, l10 = warehouse
    with db.session() as s:
        _set(s, **{params.ALERT_SAP_BY: "09:00"})
        sap(s, a, l10, FRIDAY - dt.timedelta(days=1), 5)
    assert _check(db, dt.datetime(2026, 11, 20, 8, 59)).opened == []  # not yet 09:00
    result = _check(db)
    assert [(x.rule, x.subject) for x in result.opened] == [
        ("sap_upload", "SAP stock for L10 not uploaded today")]  # L6 has no materials
    assert "the last one is from 2026-11-19" in result.opened[0].message
    assert _check(db).opened == []  # still late: the same alert, not a second one
    with db.session() as s:
        sap(s, a, l10, FRIDAY, 5)
    result = _check(db)
    assert [x.rule for x in result.closed] == ["sap_upload"] and result.open == []
    # a Saturday is not a workday
    assert _check(db, dt.datetime(2026, 11, 21, 10, 0)).opened == []


def test_accuracy_and_difference_value_rules(warehouse):
    db, a, l10 = warehouse
    with db.session() as s:
        _set(s, **{params.ALERT_DIFF_VALUE: "300"})
        sap(s, a, l10, FRIDAY, 100)
        count(s, a, day=FRIDAY, expr="50")  # 50 % and -50 x 10 = -500
    opened = _check(db).opened
    assert sorted((x.rule, x.severity, x.subject) for x in opened) == [
        ("accuracy", "critical", "L10 accuracy 50.00 % on 2026-11-20"),
        ("diff_value", "warning", "A-1 (L10) differs by -500.00 on 2026-11-20")]
    with db.session() as s:
        count(s, a, day=FRIDAY, expr="48")  # 98 %: no longer below 90; -2 x 10 = -20
    result = _check(db)
    assert sorted(x.rule for x in result.closed) == ["accuracy", "diff_value"]
    assert result.open == []
    # eight days later the count is out of ALERT-LOOKBACK-DAYS (7): nothing to look at
    with db.session() as s:
        count(s, a, day=FRIDAY, expr="-90")
    assert _check(db, AT_10 + dt.timedelta(days=8)).opened == []


def test_attention_rule_and_acknowledge(warehouse):
    db, _a, _l10 = warehouse
    with db.session() as s:
        s.add(AttentionCount(uuid="u-1", payload="{}", reason="material gone", username="kim",
                             workstation="WS-7"))
    opened = _check(db).opened
    assert [(x.rule, x.subject) for x in opened] == [("attention",
                                                      "1 offline count needs attention")]
    alert_id = opened[0].id
    with db.session() as s, pytest.raises(NotPermitted):
        alerts.acknowledge(s, Actor(username="c", role="clerk"), alert_id)
    with db.session() as s:
        alerts.acknowledge(s, SUPERVISOR, alert_id)
    assert _open_rules(db) == []
    assert _check(db).opened == [] and _open_rules(db) == []  # still true, but seen: stays off
    with db.session() as s:
        audit = s.execute(select(AuditLog.username, AuditLog.action)
                          .where(AuditLog.entity == "alert")).all()
        assert audit == [("sue", "acknowledge")]
        s.execute(update(AttentionCount).values(status="resolved"))
    assert [x.id for x in _check(db).closed] == [alert_id]
    with db.session() as s:
        assert s.get(Alert, alert_id).status == "closed"
        s.add(AttentionCount(uuid="u-2", payload="{}", reason="again", username="kim"))
    again = _check(db).opened
    assert len(again) == 1 and again[0].id != alert_id  # a new occurrence, a new alert


def test_outbox_rule_from_what_a_workstation_reports(warehouse):
    db, _a, _l10 = warehouse
    with db.session() as s:
        _set(s, **{params.ALERT_OUTBOX_HOURS: "4"})
        # this database plays the PC's replica too: every WICS database has the outbox table
        s.add(OutboxCount(uuid="o-1", payload="{}", username="kim", state="pending",
                          created_at=alerts.engine.now_pair(AT_10).utc - dt.timedelta(hours=6)))
    report_outbox(db, db, "WS-9")
    opened = _check(db).opened
    assert [(x.rule, x.subject) for x in opened] == [("outbox", "WS-9: 1 count not sent")]
    assert "(kim)" in opened[0].message
    with db.session() as s:
        s.execute(update(OutboxCount).values(state="sent"))
    report_outbox(db, db, "WS-9")  # the next sync reports an empty outbox
    assert [x.rule for x in _check(db).closed] == ["outbox"]


def test_sheets_rule_reads_recorded_printing(warehouse):
    db, a, _l10 = warehouse
    at_four = dt.datetime(2026, 11, 20, 16, 0)
    with db.session() as s:
        _set(s, **{params.ALERT_SHEETS_BY: "15:00"})
        sched(s, a, day=MONDAY)  # the next workday after Friday
    assert _check(db, dt.datetime(2026, 11, 20, 14, 0)).opened == []
    opened = _check(db, at_four).opened
    assert [(x.rule, x.subject) for x in opened] == [
        ("sheets", "Count sheets for 2026-11-23 not printed")]
    with db.session() as s:
        record_sheets_printed(s, SUPERVISOR, MONDAY, "print", 3)
    assert [x.rule for x in _check(db, at_four).closed] == ["sheets"]


def test_cli_check_lists_and_ack_closes(warehouse, capsys):
    from wics_desktop.cli import main

    db, _a, _l10 = warehouse
    with db.session() as s:
        s.add(AttentionCount(uuid="u-1", payload="{}", reason="x", username="kim"))
    url = db.engine.url.render_as_string(hide_password=False)
    assert main(["--db", url, "alerts", "check", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [set(a) for a in listed] == [{"id", "rule", "severity", "subject", "message", "since"}]
    assert listed[0]["rule"] == "attention" and listed[0]["severity"] == "warning"
    assert main(["--db", url, "alerts", "ack", str(listed[0]["id"]), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "acknowledged"
    assert main(["--db", url, "alerts", "check", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["--db", url, "alerts", "ack", "999"]) == 3


def test_email_one_message_per_new_alert_never_a_storm(warehouse):
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
            self.messages.append(envelope.content.decode("utf8", "replace"))
            return "250 OK"

    import socket

    with socket.socket() as probe:  # a free port for the local mail server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        db, a, l10 = warehouse
        with db.session() as s:
            _set(s, **{params.ALERT_EMAIL_TO: "boss@example.com, sue@example.com",
                       params.SMTP_HOST: "127.0.0.1", params.SMTP_PORT: str(smtp.port),
                       params.SMTP_FROM: "wics@example.com"})
            s.add(AttentionCount(uuid="u-1", payload="{}", reason="x", username="kim"))
        result = alerts.check_and_notify(db, AT_10)
        assert result.mailed == 1 and result.mail_error is None
        assert len(inbox.messages) == 1
        mail = inbox.messages[0]
        assert "Subject: [WICS warning] 1 offline count needs attention" in mail
        assert "To: boss@example.com, sue@example.com" in mail
        alerts.check_and_notify(db, AT_10)  # nothing new: nothing sent
        assert len(inbox.messages) == 1
        # thirty new alerts at once: nine messages one by one, the rest in one list
        with db.session() as s:
            _set(s, **{params.ALERT_DIFF_VALUE: "1"})
            for i in range(30):
                m = material(s, f"Z-{i:02d}", price=1.0)
                sap(s, m, l10, FRIDAY, 10)
                count(s, m, day=FRIDAY, expr="5")
        result = alerts.check_and_notify(db, AT_10)
        assert len(result.opened) == 31  # 30 materials and L10's accuracy
        assert result.mailed == 10 and len(inbox.messages) == 11
        assert "Subject: [WICS] 22 more new alerts" in inbox.messages[-1]
        with db.session() as s:
            assert s.scalar(select(Alert.id).where(Alert.emailed_at.is_(None))) is None
    finally:
        smtp.stop()


def test_a_mail_server_that_is_down_does_not_fail_the_check(warehouse):
    db, _a, _l10 = warehouse
    with db.session() as s:
        _set(s, **{params.ALERT_EMAIL_TO: "boss@example.com", params.SMTP_HOST: "127.0.0.1",
                   params.SMTP_PORT: "1"})
        s.add(AttentionCount(uuid="u-1", payload="{}", reason="x", username="kim"))
    result = alerts.check_and_notify(db, AT_10)
    assert len(result.opened) == 1 and result.mail_error
    with db.session() as s:  # left to send on the next run
        assert s.scalar(select(Alert.email_error)) and s.scalar(select(Alert.emailed_at)) is None


def test_parameters_are_validated(db):
    from wics_desktop.core.errors import InputRejected

    with db.session() as s:
        with pytest.raises(InputRejected, match="HH:MM"):
            parameters.set_parameter(s, ACTOR, params.ALERT_SAP_BY, "nine")
        with pytest.raises(InputRejected, match="starttls"):
            parameters.set_parameter(s, ACTOR, params.SMTP_SECURITY, "tls")
        parameters.set_parameter(s, ACTOR, params.ALERT_SAP_BY, "")  # blank: the rule is off
