"""The count planner on both databases: its rules on a small warehouse, the refusal of weekends
and holidays, applying twice, zones walked in order, permissions and a fixed number of queries."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import QueryCounter

from wics_desktop.core.actor import Actor
from wics_desktop.core.errors import InputRejected, NotPermitted, RuleViolation
from wics_desktop.core.models import CountSchedule, Material
from wics_desktop.core.services import holidays, planner, zones
from wics_desktop.core.services.plan_balance import balanced_quotas, cut_in_runs

from core_fixtures import ACTOR, count, material, org_id, sap, sched, setup_orgs

D = dt.date(2026, 12, 3)  # a Thursday
SNAP = dt.date(2026, 12, 2)


def ago(days: int) -> dt.date:
    return D - dt.timedelta(days=days)


@pytest.fixture
def shop(db):
    """A-class overdue, B-class due, C never counted, a dead material, a not-due A."""
    with db.session() as s:
        setup_orgs(s)
        l10 = org_id(s, "L10")
        ids = {}
        for part, abc, price, unit in (("A-LATE", "A", 10.0, 1), ("A-FRESH", "A", 10.0, 1),
                                        ("B-DUE", "B", 1.0, 0), ("C-NEW", None, 2.0, 10),
                                        ("DEAD", "C", 5.0, 1), ("A-RICH", "a", 1000.0, 1)):
            ids[part] = material(s, part, sap_abc=abc, price=price, price_unit=unit)
        count(s, ids["A-LATE"], ago(47), location="SMC_C2", counter="Chris")
        count(s, ids["A-FRESH"], ago(3), location="D2", counter="Alex")
        count(s, ids["B-DUE"], ago(91), location="HVC_1", counter="Chris")
        count(s, ids["DEAD"], ago(400), location="D2", counter="Chris")
        count(s, ids["A-RICH"], ago(47), location="HVC_2", counter="Alex")
        for part, qty in (("A-LATE", 5), ("A-FRESH", 5), ("B-DUE", 100), ("C-NEW", 50),
                          ("A-RICH", 5)):
            sap(s, ids[part], l10, SNAP, qty)
    return db, ids


def test_proposes_due_materials_never_counted_first_then_most_overdue_then_value(shop):
    db, ids = shop
    with db.session() as s:
        plan = planner.propose(s, ACTOR, D, capacity=10, counters="Chris")
    why = {p.material: p.why for p in plan.proposals}
    assert why == {
        "C-NEW": "C-class (no ABC class), never counted",
        "A-LATE": "A-class, last counted 47 days ago (due every 30)",
        "A-RICH": "A-class, last counted 47 days ago (due every 30)",
        "B-DUE": "B-class, last counted 91 days ago (due every 90)",
    }  # A-FRESH is not due; DEAD has no stock and nobody saw it for a year
    assert all(p.counter == "Chris" and p.reason == "Planned" for p in plan.proposals)
    with db.session() as s:
        plan = planner.propose(s, ACTOR, D, capacity=2, counters="Chris")
    # never counted first, then 17 days overdue by value (A-RICH 5,000 before A-LATE 50)
    assert sorted(p.material for p in plan.proposals) == ["A-RICH", "C-NEW"]
    assert plan.due_left == 2
    rich = next(p for p in plan.proposals if p.material == "A-RICH")
    assert (rich.value, rich.abc, rich.last_count_date) == (5000.0, "A", ago(47))


def test_unit_value_uses_price_unit_blank_or_zero_as_one(shop):
    db, _ = shop
    with db.session() as s:
        plan = planner.propose(s, ACTOR, D, capacity=10, counters="Chris")
    value = {p.material: p.value for p in plan.proposals}
    assert value["B-DUE"] == 100.0  # price 1, price unit 0 -> 1
    assert value["C-NEW"] == 10.0  # 50 x 2 / 10


def test_scheduled_entries_are_kept_and_use_the_counters_capacity(shop):
    db, ids = shop
    with db.session() as s:
        sched(s, ids["A-LATE"], D, counter="Chris", requestor="the receiving supervisor")
        sched(s, ids["B-DUE"], D, counter="Chris", reason="Recount")
        plan = planner.propose(s, ACTOR, D, capacity=3, counters="Chris,Alex")
    proposed = {p.material for p in plan.proposals}
    assert proposed.isdisjoint({"A-LATE", "B-DUE"})
    loads = {c.counter: (c.scheduled, c.proposed) for c in plan.counters}
    assert loads == {"Chris": (2, 1), "Alex": (0, 1)}
    why = {p.material: p.why for p in plan.scheduled}
    assert why == {"A-LATE": "requested by the receiving supervisor",
                   "B-DUE": f"recount of {ago(91).isoformat()}"}


@pytest.mark.parametrize("day, message", [
    (dt.date(2026, 12, 5), "2026-12-05 is a Saturday: nobody counts then. The next workday is "
                           "2026-12-07 (Monday)."),
    (dt.date(2026, 12, 24), "2026-12-24 is a holiday (Christmas Eve): nobody counts then. The "
                            "next workday is 2026-12-28 (Monday)."),
])
def test_weekend_or_holiday_is_refused_naming_the_next_workday(shop, day, message):
    db, _ = shop
    with db.session() as s:
        holidays.add_holiday(s, ACTOR, dt.date(2026, 12, 24), "Christmas Eve")
        holidays.add_holiday(s, ACTOR, dt.date(2026, 12, 25), "Christmas")
    with db.session() as s, pytest.raises(RuleViolation) as err:
        planner.propose(s, ACTOR, day, counters="Chris")
    assert str(err.value) == message


def test_apply_writes_planned_entries_once(shop):
    db, ids = shop
    with db.session() as s:
        first = planner.plan(s, ACTOR, D, capacity=2, counters="Chris,Alex", apply=True)
    with db.session() as s:
        again = planner.plan(s, ACTOR, D, capacity=2, counters="Chris,Alex", apply=True)
        rows = s.query(CountSchedule).filter_by(count_date=D).all()
    assert first.written == 4 and first.applied
    assert (again.written, again.proposals) == (0, [])
    assert sorted((r.material_id, r.counter, r.reason) for r in rows) == sorted(
        (p.material_id, p.counter, "Planned") for p in first.proposals)
    assert {r.notes for r in rows} == {p.why for p in first.proposals}
    with db.session() as s:  # the same lines applied by hand again: nothing new
        result = planner.apply_plan(s, ACTOR, D, [(p.material_id, p.counter, p.why)
                                                  for p in first.proposals])
    assert (result.written, result.already_scheduled) == (0, 4)


def test_counters_default_to_who_counted_lately_and_own_capacities(shop):
    db, ids = shop
    with db.session() as s:
        count(s, ids["A-FRESH"], ago(2), counter="Kim+Lee")
        count(s, ids["A-FRESH"], ago(30), counter="Chris")  # Chris's other counts are older
        planner.set_capacity(s, ACTOR, "Pat", 1)
        planner.set_capacity(s, ACTOR, "Alex", 0)  # on leave
        plan = planner.propose(s, ACTOR, D)
    assert [(c.counter, c.capacity) for c in plan.counters] == [
        ("Chris", 25), ("Kim", 25), ("Lee", 25), ("Pat", 1)]
    assert [c.proposed for c in plan.counters] == [1, 1, 1, 1]


def test_nobody_to_plan_for_is_a_clear_refusal(db):
    with db.session() as s, pytest.raises(InputRejected, match="Name the counters"):
        planner.propose(s, ACTOR, D)
    with db.session() as s, pytest.raises(InputRejected, match="at least one counter"):
        planner.propose(s, ACTOR, D, counters=" , ")


def test_only_a_supervisor_plans(shop):
    db, _ = shop
    clerk = Actor(username="kim", role="clerk")
    with db.session() as s, pytest.raises(NotPermitted):
        planner.propose(s, clerk, D, counters="Chris")
    with db.session() as s:
        assert planner.propose(s, Actor(username="sup", role="supervisor"), D, counters="Chris")


def test_each_counter_walks_a_stretch_of_zones_in_order(db):
    with db.session() as s:
        setup_orgs(s)
        l10 = org_id(s, "L10")
        for zone, name in ((1, "North"), (2, "South"), (3, "Yard")):
            zones.save_zone(s, ACTOR, zone, name)
        for loc, zone in (("N-1", 1), ("N-2", 1), ("S-1", 2), ("S-2", 2), ("Y-1", 3)):
            zones.set_location_zone(s, ACTOR, loc, zone)
        zones.move_zone(s, ACTOR, 3, -2)  # the yard is walked first
        for i, loc in enumerate(["S-2", "N-1", "Y-1", "S-1", "N-2", "Y-1"]):
            mid = material(s, f"M{i}", sap_abc="A")
            count(s, mid, ago(40), location=loc)
            sap(s, mid, l10, SNAP, 1)
        plan = planner.propose(s, ACTOR, D, capacity=3, counters="Ann,Bob")
    walk = [(p.counter, p.zone, p.location) for p in plan.proposals]
    assert walk == [("Ann", "Yard", "Y-1"), ("Ann", "Yard", "Y-1"), ("Ann", "North", "N-1"),
                    ("Bob", "North", "N-2"), ("Bob", "South", "S-1"), ("Bob", "South", "S-2")]


def test_a_fixed_handful_of_queries_whatever_the_size(db):
    def statements(n):
        with db.session() as s:
            s.query(CountSchedule).delete()
            l10 = org_id(s, "L10")
            have = s.query(Material).count()
            for i in range(have, n):
                mid = material(s, f"Q{i:04d}", sap_abc="ABC"[i % 3])
                count(s, mid, ago(400 + i), location=f"L{i % 7}")
                sap(s, mid, l10, SNAP, i + 1)
        with QueryCounter(db.engine) as qc, db.session() as s:
            plan = planner.plan(s, ACTOR, D, capacity=50, counters="A,B", apply=True)
        assert plan.written == n
        return qc.count

    with db.session() as s:
        setup_orgs(s)
    small, large = statements(5), statements(40)
    assert small == large and large <= 25


def test_quotas_fill_evenly_and_stop_at_each_room():
    assert balanced_quotas([5, 5, 5], 7) == [3, 2, 2]
    assert balanced_quotas([1, 5, 5], 9) == [1, 4, 4]
    assert balanced_quotas([0, 2], 9) == [0, 2]
    assert cut_in_runs("abcdefg", [3, 2, 2]) == [list("abc"), list("de"), list("fg")]


def test_no_stock_is_planned_only_when_seen_lately_and_never_twice_a_day(shop):
    db, ids = shop
    with db.session() as s:
        empty = material(s, "A-EMPTY", sap_abc="A")  # no SAP row: nothing on the books
        count(s, empty, ago(40), location="D2")
        count(s, ids["B-DUE"], D, location="HVC_1")  # counted today already: not due
        plan = planner.propose(s, ACTOR, D, capacity=10, counters="Chris")
        with pytest.raises(InputRejected, match="0 or more"):
            planner.propose(s, ACTOR, D, capacity=-1, counters="Chris")
    why = {p.material: p.why for p in plan.proposals}
    assert why["A-EMPTY"] == "A-class, last counted 40 days ago (due every 30)"
    assert "B-DUE" not in why and "DEAD" not in why
