"""Counts saved offline: outbox, push (idempotent, resumable), needs attention, resolution.

The server is the `db` fixture (SQLite and MariaDB in turn). "Offline" here means saving
through the replica; the tests with a real unreachable server are in test_sync_offline.py.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from wics_desktop.core.actor import Actor
from wics_desktop.core.errors import InputRejected, NotPermitted, RuleViolation
from wics_desktop.core.models import ActualCount, AttentionCount, AuditLog, OutboxCount
from wics_desktop.core.services import counts, materials
from wics_desktop.core.sync import Workstation, attention
from wics_desktop.core.sync import outbox as ob

from core_fixtures import ACTOR, count, material, setup_orgs

TODAY = dt.date(2026, 11, 20)
CLERK = Actor(username="kim", workstation="WS-BASEMENT", role="clerk")
BOSS = Actor(username="dana", workstation="WS-OFFICE", role="supervisor")


@pytest.fixture
def ws(db, tmp_path):
    w = Workstation(db, tmp_path / "ws1.sqlite")
    yield w
    w.close()


@pytest.fixture
def parts(db):
    with db.session() as s:
        setup_orgs(s)
        return {"a": material(s, "A-100"), "b": material(s, "B-200"), "c": material(s, "C-300")}


def typed(material_id, expr="1080*4+791", location="D2", day=TODAY, **kw):
    return counts.CountInput(count_date=day, material_id=material_id, counter="Kim",
                             location=location, expression=expr, **kw)


def server_counts(db, **where):
    with db.session() as s:
        q = select(ActualCount)
        for k, v in where.items():
            q = q.where(getattr(ActualCount, k) == v)
        return s.scalars(q.order_by(ActualCount.id)).all()


def test_a_count_saved_offline_is_listed_locally_and_queued(db, ws, parts):
    ws.sync(today=TODAY)
    line = ws.save_offline(CLERK, typed(parts["a"]))
    assert line.id < 0 and line.quantity == 5111
    with ws.replica.open().session() as s:
        day = counts.counts_on(s, parts["a"], TODAY)
        assert [c.uuid for c in day.lines] == [line.uuid] and day.total == 5111
        assert counts.last_found(s, [parts["a"]])[parts["a"]].locations == ["D2"]
        queued = s.scalars(select(OutboxCount)).one()
    assert queued.uuid == line.uuid and queued.state == "pending"
    assert (queued.username, queued.workstation) == ("kim", "WS-BASEMENT")
    payload = json.loads(queued.payload)
    assert payload["expression"] == "1080*4+791" and payload["part_number"] == "A-100"
    assert server_counts(db) == []


def test_offline_rules_are_the_online_rules(db, ws, parts):
    ws.sync(today=TODAY)
    with pytest.raises(InputRejected, match="not valid"):
        ws.save_offline(CLERK, typed(parts["a"], expr="12*/3"))
    with pytest.raises(InputRejected, match="location"):
        ws.save_offline(CLERK, typed(parts["a"], location="  "))
    assert ws.outbox_summary().pending == 0


def test_counts_cannot_be_changed_or_deleted_offline(db, ws, parts):
    with db.session() as s:
        online = count(s, parts["b"], day=TODAY)
    ws.sync(today=TODAY)
    local = ws.save_offline(CLERK, typed(parts["a"]))
    with pytest.raises(NotPermitted, match="only while the server is reachable"):
        with ws.replica.open().session() as s:
            counts.update_count(s, BOSS, online.id, typed(parts["b"], expr="3"))
    with pytest.raises(NotPermitted, match="deleted only while"):
        with ws.replica.open().session() as s:
            counts.delete_count(s, BOSS, online.id)
    with pytest.raises(NotPermitted):
        with ws.replica.open().session() as s:
            counts.update_count(s, CLERK, local.id, typed(parts["a"], expr="3"))
    assert ws.outbox_summary().pending == 1


def test_push_stores_each_count_once_and_the_replica_takes_server_ids(db, ws, parts):
    ws.sync(today=TODAY)
    lines = [ws.save_offline(CLERK, typed(parts["a"], expr=str(n), location=f"L{n}"))
             for n in range(1, 6)]
    result = ws.sync(today=TODAY)
    assert result.as_dict()["pushed"] == 5 and result.push.already_present == 0
    # the local copies took the server's ids and timestamps: the refresh had nothing to fetch
    assert result.refresh.rows == 0, result.refresh.tables
    stored = server_counts(db)
    assert sorted(c.uuid for c in stored) == sorted(line.uuid for line in lines)
    assert {(c.entered_by, c.workstation) for c in stored} == {("kim", "WS-BASEMENT")}
    assert sorted(c.quantity for c in stored) == [1, 2, 3, 4, 5]
    with ws.replica.open().session() as s:
        local_ids = sorted(s.scalars(select(ActualCount.id)))
        assert s.scalars(select(OutboxCount.state)).all() == ["sent"] * 5
    assert local_ids == sorted(c.id for c in stored)  # no negative ids left, no duplicates
    with db.session() as s:  # audited as created by the clerk who typed them
        audits = s.scalars(select(AuditLog).where(AuditLog.entity == "actual_count")).all()
    assert {a.username for a in audits} == {"kim"} and len(audits) == 5
    # a second sync sends nothing and changes nothing
    again = ws.sync(today=TODAY)
    assert again.as_dict() == {"pushed": 0, "already_present": 0, "needs_attention": 0,
                               "refreshed_rows": 0}


def push_first_batch_then_crash(db, ws, batch_size: int) -> None:
    """The first batch is committed on the server, then this PC dies before noting it."""
    from wics_desktop.core.sync.push import push

    class Crash(Exception):
        pass

    def crash(batch):
        raise Crash

    with pytest.raises(Crash):
        push(db, ws.replica.open(), batch_size=batch_size, after_server_commit=crash)


def test_a_crash_between_server_commit_and_local_mark_loses_and_doubles_nothing(db, ws, parts):
    ws.sync(today=TODAY)
    lines = [ws.save_offline(CLERK, typed(parts["a"], expr=str(n))) for n in range(1, 8)]

    push_first_batch_then_crash(db, ws, batch_size=3)
    assert len(server_counts(db)) == 3          # the first batch reached the server
    assert ws.outbox_summary().pending == 7     # ... but this PC did not note it
    result = ws.sync(today=TODAY)
    assert (result.push.pushed, result.push.already_present) == (4, 3)
    assert sorted(c.uuid for c in server_counts(db)) == sorted(line.uuid for line in lines)
    assert ws.outbox_summary().pending == 0


def test_a_count_deleted_on_the_server_before_the_resend_stays_deleted(db, ws, parts):
    """The first batch reached the server, this PC crashed before noting it, and a supervisor
    deleted one of those counts meanwhile: sending again must not bring it back."""
    ws.sync(today=TODAY)
    lines = [ws.save_offline(CLERK, typed(parts["a"], expr=str(n))) for n in range(1, 6)]

    push_first_batch_then_crash(db, ws, batch_size=5)
    wrong = server_counts(db, uuid=lines[2].uuid)[0]
    with db.session() as s:
        counts.delete_count(s, BOSS, wrong.id)
    result = ws.sync(today=TODAY)
    assert (result.push.pushed, result.push.already_present) == (0, 5)
    assert sorted(c.uuid for c in server_counts(db)) == sorted(
        line.uuid for line in lines if line.uuid != wrong.uuid)
    assert ws.outbox_summary().pending == 0
    with ws.replica.open().session() as s:  # the refresh took the deleted one off this PC too
        assert wrong.uuid not in {c.uuid for c in counts.counts_on(s, parts["a"], TODAY).lines}
    # a script that re-sends the same uuid by hand is told why it is refused
    with pytest.raises(RuleViolation, match="deleted by dana"):
        with db.session() as s:
            counts.add_count(s, CLERK, typed(parts["a"], uuid=wrong.uuid))


def test_two_workstations_offline_count_the_same_material_and_day(db, tmp_path, parts):
    one = Workstation(db, tmp_path / "one.sqlite")
    two = Workstation(db, tmp_path / "two.sqlite")
    one.sync(today=TODAY)
    two.sync(today=TODAY)
    first = one.save_offline(CLERK, typed(parts["a"], expr="100", location="D2"))
    second = two.save_offline(Actor("lee", "WS-DOCK", "clerk"),
                              typed(parts["a"], expr="100", location="D2"))
    assert first.id == second.id == -1           # the same local id on both PCs is harmless
    assert one.sync(today=TODAY).push.pushed == 1
    assert two.sync(today=TODAY).push.pushed == 1
    stored = server_counts(db, material_id=parts["a"])
    assert sorted(c.workstation for c in stored) == ["WS-BASEMENT", "WS-DOCK"]
    with db.session() as s:
        assert counts.counts_on(s, parts["a"], TODAY).total == 200
    one.sync(today=TODAY)  # and each replica now shows both
    with one.replica.open().session() as s:
        assert counts.counts_on(s, parts["a"], TODAY).total == 200
    one.close()
    two.close()


def test_a_count_of_a_material_deleted_meanwhile_needs_attention(db, ws, parts):
    ws.sync(today=TODAY)
    kept = ws.save_offline(CLERK, typed(parts["a"], expr="5"))
    orphan = ws.save_offline(CLERK, typed(parts["c"], expr="7", location="Z9"))
    with db.session() as s:
        materials.delete_material(s, ACTOR, parts["c"])
    result = ws.sync(today=TODAY)
    assert (result.push.pushed, result.push.needs_attention) == (1, 1)
    assert [c.uuid for c in server_counts(db)] == [kept.uuid]
    with db.session() as s:
        items = attention.list_items(s)
    assert [i.uuid for i in items] == [orphan.uuid]
    assert "C-300" in items[0].reason and "no longer exists" in items[0].reason
    assert items[0].count["expression"] == "7" and items[0].username == "kim"
    summary = ws.outbox_summary()
    assert (summary.pending, summary.sent, summary.attention) == (0, 1, 1)
    with ws.replica.open().session() as s:  # the orphan left the replica's lists, not the outbox
        assert s.scalar(select(func.count()).select_from(ActualCount)
                        .where(ActualCount.uuid == orphan.uuid)) == 0
        assert ob.lines(s)[0].state == "attention"
    # pushing again (e.g. after a crash before the mark) does not add it twice
    from wics_desktop.core.sync.push import push
    with ws.replica.open().session() as s:
        s.execute(OutboxCount.__table__.update().values(state="pending"))
    again = push(db, ws.replica.open())
    assert (again.already_present, again.needs_attention, again.pushed) == (1, 1, 0)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AttentionCount)) == 1


def _orphan(db, ws, parts, **kw):
    ws.sync(today=TODAY)
    line = ws.save_offline(CLERK, typed(parts["c"], **kw))
    with db.session() as s:
        materials.delete_material(s, ACTOR, parts["c"])
    ws.sync(today=TODAY)
    with db.session() as s:
        return line, attention.list_items(s)[0]


def test_a_supervisor_reassigns_it_to_another_material(db, ws, parts):
    line, item = _orphan(db, ws, parts, expr="12")
    with db.session() as s:
        stored = attention.reassign(s, BOSS, item.id, parts["b"])
    assert stored.uuid == line.uuid and stored.material == "B-200" and stored.quantity == 12
    assert stored.entered_by == "kim" and stored.workstation == "WS-BASEMENT"
    with db.session() as s:
        done = attention.get_item(s, item.id)
        assert attention.list_items(s) == []
        audit_rows = s.scalars(select(AuditLog).where(AuditLog.entity == "sync_attention")).all()
    assert done.status == "resolved" and done.count_id == stored.id
    assert "reassigned to B-200" in done.resolution and done.resolved_by == "dana"
    assert [(a.username, a.action) for a in audit_rows] == [("dana", "resolve")]
    # the workstation learns about it at its next refresh
    ws.sync(today=TODAY)
    with ws.replica.open().session() as s:
        assert counts.counts_on(s, parts["b"], TODAY).total == 12


def test_a_supervisor_re_keys_it(db, ws, parts):
    _line, item = _orphan(db, ws, parts, expr="12", location="Z9")
    with db.session() as s:
        with pytest.raises(InputRejected, match="not valid"):   # same rules as typing it
            attention.resolve(s, BOSS, item.id, material_id=parts["a"], expression="12*")
    with db.session() as s:
        stored = attention.resolve(s, BOSS, item.id, material_id=parts["a"], expression="1200",
                                   location="Z8")
    assert (stored.quantity, stored.location, stored.material) == (1200, "Z8", "A-100")
    with db.session() as s:
        assert "re-keyed expression, location" in attention.get_item(s, item.id).resolution


def test_a_supervisor_discards_it_with_a_reason(db, ws, parts):
    _line, item = _orphan(db, ws, parts)
    with db.session() as s:
        with pytest.raises(InputRejected, match="reason"):
            attention.discard(s, BOSS, item.id, "   ")
    with db.session() as s:
        with pytest.raises(NotPermitted):
            attention.discard(s, CLERK, item.id, "not mine")
    with db.session() as s:
        attention.discard(s, BOSS, item.id, "Counted twice by mistake")
    with db.session() as s:
        done = attention.get_item(s, item.id)
        with pytest.raises(RuleViolation, match="already discarded"):
            attention.reassign(s, BOSS, item.id, parts["a"])
        audit_row = s.scalars(select(AuditLog).where(AuditLog.entity == "sync_attention")).one()
    assert done.status == "discarded" and "Counted twice" in done.resolution
    assert audit_row.action == "discard" and "Counted twice" in audit_row.after_json
    assert server_counts(db) == []


def test_a_material_deleted_and_added_again_is_suggested(db, ws, parts):
    _line, item = _orphan(db, ws, parts)
    with db.session() as s:
        again = material(s, "C-300")
        assert attention.get_item(s, item.id).suggested_material_id == again


def test_pushing_ten_batches_sends_a_handful_of_statements_each(db, ws, parts, count_queries):
    ws.sync(today=TODAY)
    for n in range(40):
        ws.save_offline(CLERK, typed(parts["a" if n % 2 else "b"], expr=str(n)))
    from wics_desktop.core.sync.push import push
    with count_queries(db.engine) as q:
        result = push(db, ws.replica.open(), batch_size=10)
    assert result.pushed == 40 and result.batches == 4
    # per batch: which uuids exist (counts, attention), the materials, the server's clock, one
    # INSERT of the counts, their ids, one INSERT of the audit rows -- whatever the batch size
    assert q.count == 4 * 7


def test_only_counting_writes_are_accepted_offline(db, ws, parts):
    from wics_desktop.core.models import User
    from wics_desktop.core.passwords import hash_password
    from wics_desktop.core.services import schedule
    from wics_desktop.core.services.users import authenticate, set_password

    with db.session() as s:
        s.add(User(username="kim", role="clerk", password_hash=hash_password("pw"), active=True))
    ws.sync(today=TODAY)
    with ws.replica.open().session() as s:   # signing in offline works (and notes the time)
        assert authenticate(s, "kim", "pw").username == "kim"
        assert authenticate(s, "kim", "nope") is None
    for change in (
        lambda s: materials.update_material(s, ACTOR, parts["a"], description="offline edit"),
        lambda s: schedule.add_entry(s, ACTOR, schedule.ScheduleInput(count_date=TODAY,
                                                                      material_id=parts["a"])),
        lambda s: set_password(s, "kim", "new-password", actor=ACTOR),
    ):
        with pytest.raises(NotPermitted, match="needs the server"):
            with ws.replica.open().session() as s:
                change(s)
    with ws.replica.open().session() as s:
        assert s.get(materials.Material, parts["a"]).description == ""


def test_a_count_typed_offline_can_be_taken_back_until_it_is_sent(db, ws, parts):
    ws.sync(today=TODAY)
    keep = ws.save_offline(CLERK, typed(parts["a"], expr="1"))
    oops = ws.save_offline(CLERK, typed(parts["a"], expr="1000"))
    with ws.replica.open().session() as s:   # Count Entry's Ctrl+Z, offline
        counts.delete_count(s, CLERK, oops.id)
    assert ws.outbox_summary().pending == 1
    ws.sync(today=TODAY)
    assert [c.uuid for c in server_counts(db)] == [keep.uuid]
    with pytest.raises(NotPermitted):   # once sent, it is the server's: change it there
        with ws.replica.open().session() as s:
            counts.delete_count(s, CLERK, s.scalar(select(ActualCount.id)
                                                   .where(ActualCount.uuid == keep.uuid)))


def test_a_count_taken_back_while_its_batch_is_on_the_way_is_removed_again(db, ws, parts):
    ws.sync(today=TODAY)
    lines = [ws.save_offline(CLERK, typed(parts["a"], expr=str(n))) for n in (1, 2, 3)]
    from wics_desktop.core.sync.push import push

    def undo_meanwhile(batch):   # the server has committed; the clerk presses Ctrl+Z now
        with ws.replica.open().session() as s:
            counts.delete_count(s, CLERK, lines[1].id)

    result = push(db, ws.replica.open(), after_server_commit=undo_meanwhile)
    assert (result.pushed, result.withdrawn) == (2, 1)
    assert sorted(c.uuid for c in server_counts(db)) == sorted([lines[0].uuid, lines[2].uuid])
    with db.session() as s:
        deleted = s.scalars(select(AuditLog).where(AuditLog.action == "delete")).all()
    assert [a.username for a in deleted] == ["kim"]
