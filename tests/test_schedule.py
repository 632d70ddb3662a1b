"""Schedule: one entry per (date, material), next workday, requests and their filled state."""
from __future__ import annotations

import datetime as dt

import pytest

from wics_desktop.core.errors import RuleViolation
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
        e = sched(s, a, counter=" Chris ", priority="HOT", reason="Received Material", notes="dock 3")
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
    with pytest.raises(RuleViolation, match="A count for A-100 is already scheduled for 2026-11-20"):
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
