"""Schedule: one entry per (date, material), next workday, requests and their filled state."""
from __future__ import annotations

import datetime as dt

import pytest

from wics_desktop.core.actor import Actor
from wics_desktop.core.errors import NotPermitted, RuleViolation
from wics_desktop.core.services import holidays, schedule
from wics_desktop.core.services.schedule import ScheduleInput

from core_fixtures import ACTOR, D1, D2, count, material, sched, setup_orgs


@pytest.fixture
def mats(db):
    with db.session() as s:
        setup_orgs(s)
        return db, material(s, "A-100"), material(s, "1115416", "L10"), material(s, "1115416", "L6")


def test_add_and_entry_for(mats):
    db, a, *_ = mats
    with db.session() as s:
        e = sched(s, a, counter=" Chris ", priority="HOT", reason="Received Material",
                  notes="dock 3")
        assert (e.counter, e.priority, e.material) == ("Chris", "HOT", "A-100")
        assert schedule.entry_for(s, a, D2) == e
        assert schedule.entry_for(s, a, D1) is None


def test_duplicate_is_refused_with_a_clear_message(mats):
    db, _, shared, _ = mats
    with db.session() as s:
        sched(s, shared)
    with pytest.raises(RuleViolation) as err:
        with db.session() as s:
            sched(s, shared)
    assert str(err.value) == "A count for 1115416 (L10) is already scheduled for 2026-11-20"


def test_duplicate_under_a_race_hits_the_database_constraint(mats, monkeypatch):
    db, a, *_ = mats
    with db.session() as s:
        sched(s, a)
    # The other workstation saved between our check and our insert: the check saw nothing.
    monkeypatch.setattr(schedule, "_existing", lambda *args: None)
    with pytest.raises(RuleViolation,
                       match="A count for A-100 is already scheduled for 2026-11-20"):
        with db.session() as s:
            sched(s, a)
    with db.session() as s:
        assert len(schedule.entries_on(s, D2)) == 1


def test_update_to_a_taken_pair_and_delete(mats):
    db, a, shared, _ = mats
    with db.session() as s:
        sched(s, a)
        other = sched(s, shared, D1)
        with pytest.raises(RuleViolation, match="A count for A-100 is already scheduled"):
            schedule.update_entry(s, ACTOR, other.id, ScheduleInput(count_date=D2, material_id=a))
        moved = schedule.update_entry(s, ACTOR, other.id, ScheduleInput(
            count_date=D2, material_id=shared, counter="Pat"))
        assert (moved.count_date, moved.counter) == (D2, "Pat")
        schedule.delete_entry(s, ACTOR, moved.id)
        assert [e.material for e in schedule.entries_on(s, D2)] == ["A-100"]


def test_next_workday_skips_weekends_and_holidays(db):
    friday = dt.date(2026, 11, 20)
    with db.session() as s:
        assert schedule.next_workday(s, friday) == dt.date(2026, 11, 23)
        holidays.add_holiday(s, ACTOR, dt.date(2026, 11, 23), "Closed")
        holidays.add_holiday(s, ACTOR, dt.date(2026, 11, 24))
        assert schedule.next_workday(s, friday) == dt.date(2026, 11, 25)
        assert schedule.next_workday(s, dt.date(2026, 11, 18)) == dt.date(2026, 11, 19)


def test_next_workday_defaults_to_after_today(db, monkeypatch):
    monkeypatch.setenv("WICS_TODAY", "2026-11-21")  # a Saturday
    with db.session() as s:
        assert schedule.next_workday(s) == dt.date(2026, 11, 23)


def test_requests_filled_by_count_or_by_hand(mats):
    db, a, shared, l6 = mats
    with db.session() as s:
        r1 = sched(s, a, requestor="Dana")
        r2 = sched(s, shared, requestor="Dana")
        r3 = sched(s, l6, D1, requestor="Lee")
        sched(s, a, D1)  # not a request
        count(s, a)  # fills r1
        count(s, shared, location_only=True)  # seen, not counted: r2 stays open
        schedule.set_request_filled(s, ACTOR, r3.id, True)
        open_ = schedule.requests(s, include_filled=False)
        every = schedule.requests(s, include_filled=True)
    assert [r.entry.id for r in open_] == [r2.id]
    assert [(r.entry.id, r.filled, r.counted) for r in every] == [
        (r2.id, False, False), (r1.id, True, True), (r3.id, True, False)]  # date desc, name


# ---- who may change the schedule (issue 13: clerks request, they do not edit) ------------------

def _people(s):
    from wics_desktop.core.services import users

    for name, role in (("kim", "clerk"), ("lee", "clerk"), ("sam", "supervisor")):
        users.create_user(s, name, f"{name}-password", role=role, actor=ACTOR)
    return (Actor("kim", "WS-1", "clerk"), Actor("lee", "WS-1", "clerk"),
            Actor("sam", "WS-1", "supervisor"))


def test_a_clerk_requests_but_cannot_schedule_or_assign_a_counter(mats):
    db, a, shared, _ = mats
    with db.session() as s:
        kim, _, _ = _people(s)
        with pytest.raises(NotPermitted, match="please enter who requests it"):
            schedule.add_entry(s, kim, ScheduleInput(D2, a))
        with pytest.raises(NotPermitted, match="Only a supervisor assigns the counter"):
            schedule.add_entry(s, kim, ScheduleInput(D2, a, counter="Chris", requestor="Kim"))
        req = schedule.add_entry(s, kim, ScheduleInput(D2, a, requestor="Kim",
                                                       request_filled=True))
        assert req.is_request and req.request_filled is None and req.counter is None


def test_a_clerk_cannot_change_or_delete_an_entry_that_is_not_their_open_request(mats):
    db, a, shared, l6 = mats
    with db.session() as s:
        kim, lee, sam = _people(s)
        planned = sched(s, a, counter="Nate")  # a supervisor's plain schedule entry
        lees = schedule.add_entry(s, lee, ScheduleInput(D2, shared, requestor="Lee"))
        for entry in (planned, lees):
            assert "only a supervisor may change or delete it" in \
                schedule.edit_refusal(s, kim, entry.id)
            with pytest.raises(NotPermitted, match="is not your request"):
                schedule.update_entry(s, kim, entry.id, ScheduleInput(D2, entry.material_id,
                                                                     requestor="Kim"))
            with pytest.raises(NotPermitted, match="is not your request"):
                schedule.delete_entry(s, kim, entry.id)
        assert schedule.edit_refusal(s, sam, planned.id) is None
        assert schedule.entry_for(s, a, D2).counter == "Nate"
        assert len(schedule.entries_on(s, D2)) == 2


def test_a_clerk_changes_and_withdraws_their_own_open_request_keeping_its_counter(mats):
    db, a, shared, l6 = mats
    with db.session() as s:
        kim, lee, sam = _people(s)
        mine = schedule.add_entry(s, kim, ScheduleInput(D2, a, requestor="Kim"))
        assert schedule.edit_refusal(s, kim, mine.id) is None
        # a supervisor assigns a counter; the clerk's later save keeps it
        schedule.update_entry(s, sam, mine.id, ScheduleInput(D2, a, counter="Nate",
                                                             requestor="Kim"))
        changed = schedule.update_entry(s, kim, mine.id, ScheduleInput(
            D2, a, requestor="Kim", priority="HOT", request_filled=True))
        assert (changed.counter, changed.priority, changed.request_filled) == ("Nate", "HOT", None)
        # once counted it is no longer the clerk's to change
        count(s, a)
        assert "has been counted" in schedule.edit_refusal(s, kim, mine.id)
        with pytest.raises(NotPermitted, match="has been counted"):
            schedule.delete_entry(s, kim, mine.id)
        other = schedule.add_entry(s, kim, ScheduleInput(D1, shared, requestor="Kim"))
        schedule.set_request_filled(s, lee, other.id, True)  # whoever fills it marks it
        assert "already filled" in schedule.edit_refusal(s, kim, other.id)
        third = schedule.add_entry(s, kim, ScheduleInput(D1, l6, requestor="Kim"))
        schedule.delete_entry(s, kim, third.id)  # withdrawn while open
        assert schedule.entry_for(s, l6, D1) is None


def test_known_counter_names_come_from_counts_schedule_and_users(mats, monkeypatch):
    from wics_desktop.core.services import counters, users

    monkeypatch.setenv("WICS_TODAY", D2.isoformat())
    db, a, shared, l6 = mats
    with db.session() as s:
        users.create_user(s, "kim", "kim-password", display_name="Kim Lee", actor=ACTOR)
        count(s, l6, D1, counter="Gone Longago")  # entered before the recent ones
        count(s, a, counter="Chris")
        count(s, shared, counter="chris ")  # the same person typed in lower case
        sched(s, a, D1, counter="Nate")
        sched(s, l6, D2 - dt.timedelta(days=900), counter="Old Schedule")
        assert counters.known_counter_names(s, recent_counts=2) == ["Chris", "Kim Lee", "Nate"]
        assert "Gone Longago" in counters.known_counter_names(s)
