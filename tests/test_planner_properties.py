"""The contract's plan properties on random warehouses, both databases.

Random materials (class, last count, stock, price), counters with random capacities (some of
their own), requests and recounts already scheduled, random holidays and dates. Whatever the
draw: a weekend or holiday is refused naming the next workday; otherwise no material twice,
nothing already scheduled proposed again, no counter above its capacity, counters within one
proposal of each other unless the smaller one is full, only due materials, the most urgent
ones first, and applying twice writes nothing new. Each example runs in a transaction that is
rolled back, so the examples share one database.
"""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wics_desktop.core.errors import RuleViolation
from wics_desktop.core.models import (
    ActualCount,
    CounterCapacity,
    CountSchedule,
    Holiday,
    Material,
    SapStock,
)
from wics_desktop.core.services import planner

from core_fixtures import ACTOR, org_id, setup_orgs

START = dt.date(2026, 11, 30)
NAMES = ["Ann", "Bob", "Cy", "Dee"]
DAYS = {"A": 30, "B": 90, "C": 365}

material_st = st.fixed_dictionaries({
    "abc": st.sampled_from(["A", "B", "C", None, "x"]),
    "last": st.none() | st.integers(min_value=0, max_value=500),
    "stock": st.sampled_from([0, 0, 1, 5, 120]),
    "price": st.none() | st.sampled_from([0.5, 3.0, 250.0]),
    "price_unit": st.sampled_from([None, 0, 1, 100]),
    "scheduled": st.sampled_from([None, None, None, "request", "recount", "Ann", "Bob"]),
})
world_st = st.fixed_dictionaries({
    "materials": st.lists(material_st, max_size=24),
    "counters": st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True),
    "own": st.dictionaries(st.sampled_from(NAMES), st.integers(0, 6), max_size=3),
    "capacity": st.none() | st.integers(0, 6),
    "param_capacity": st.integers(0, 6),
    "holidays": st.sets(st.integers(0, 13), max_size=4),
    "day": st.integers(0, 13),
})


def _build(s, w, l10):
    day = START + dt.timedelta(days=w["day"])
    s.add_all([Holiday(holiday_date=START + dt.timedelta(days=h)) for h in w["holidays"]])
    s.add_all([CounterCapacity(counter=c, capacity=n) for c, n in w["own"].items()])
    from wics_desktop.core import params
    params.set_value(s, params.PLAN_CAPACITY, str(w["param_capacity"]))
    rows = []
    for i, m in enumerate(w["materials"]):
        row = Material(org_id=l10, part_number=f"P{i:03d}", sap_abc=m["abc"], price=m["price"],
                       price_unit=m["price_unit"])
        s.add(row)
        rows.append(row)
    s.flush()
    for row, m in zip(rows, w["materials"], strict=True):
        if m["last"] is not None:
            s.add(ActualCount(uuid=f"u-{row.id}", count_date=day - dt.timedelta(days=m["last"]),
                              material_id=row.id, counter="Old", location="L1", expression="1",
                              quantity=1))
        if m["stock"]:
            s.add(SapStock(upload_date=day - dt.timedelta(days=1), org_id=l10,
                           part_number=row.part_number, material_id=row.id, amount=m["stock"]))
        kind = m["scheduled"]
        if kind is not None:
            s.add(CountSchedule(count_date=day, material_id=row.id,
                                requestor="the boss" if kind == "request" else None,
                                reason="Recount" if kind == "recount" else "Picked",
                                counter=kind if kind in NAMES else None))
    s.flush()
    return day, rows


def _oracle_due(w, rows, day):
    """(urgency key, material id) of the materials the rules say are due, most urgent first."""
    due = []
    for row, m in zip(rows, w["materials"], strict=True):
        if m["scheduled"] is not None:
            continue
        cls = m["abc"] if m["abc"] in ("A", "B", "C") else "C"
        value = m["stock"] * (m["price"] or 0) / (m["price_unit"] or 1)
        if m["stock"] == 0 and (m["last"] is None or m["last"] >= DAYS["C"]):
            continue
        if m["last"] is not None and m["last"] < DAYS[cls]:
            continue
        key = (m["last"] is not None, -(m["last"] - DAYS[cls]) if m["last"] is not None else 0,
               -value, row.part_number)
        due.append((key, row.id))
    return sorted(due)


def _next_workday(day, holidays):
    day += dt.timedelta(days=1)
    while day.weekday() >= 5 or day in holidays:
        day += dt.timedelta(days=1)
    return day


@pytest.fixture
def l10(db):
    with db.session() as s:
        setup_orgs(s, ("L10",))
        return db, org_id(s, "L10")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(w=world_st)
def test_plan_properties(l10, w):
    db, org = l10
    with db.Session() as s:
        try:
            day, rows = _build(s, w, org)
            holidays = {START + dt.timedelta(days=h) for h in w["holidays"]}
            if day.weekday() >= 5 or day in holidays:
                with pytest.raises(RuleViolation) as err:
                    planner.propose(s, ACTOR, day, w["capacity"], w["counters"])
                expected = _next_workday(day, holidays).isoformat()
                assert f"next workday is {expected}" in str(err.value)
                return
            plan = planner.propose(s, ACTOR, day, w["capacity"], w["counters"])
            _check(plan, w, rows, day)
            first = planner.apply_plan(s, ACTOR, day, [(p.material_id, p.counter, p.why)
                                                       for p in plan.proposals])
            again = planner.plan(s, ACTOR, day, w["capacity"], w["counters"], apply=True)
            assert first.written == len(plan.proposals)
            assert again.written == 0
        finally:
            s.rollback()


def _check(plan, w, rows, day):
    ids = [p.material_id for p in plan.proposals]
    assert len(ids) == len(set(ids)), "a material twice"
    scheduled = {r.id for r, m in zip(rows, w["materials"], strict=True)
                 if m["scheduled"] is not None}
    assert not scheduled & set(ids), "an already scheduled material proposed again"
    assert {p.material_id for p in plan.scheduled} == scheduled

    loads = {c.counter: c for c in plan.counters}
    assert list(loads) == w["counters"]
    for c in plan.counters:
        cap = w["capacity"] if w["capacity"] is not None else w["own"].get(c.counter,
                                                                           w["param_capacity"])
        assert c.capacity == cap
        assert c.proposed == sum(1 for p in plan.proposals if p.counter == c.counter)
        assert c.proposed == 0 or c.scheduled + c.proposed <= cap, "a counter above capacity"
    for a in plan.counters:
        for b in plan.counters:
            assert a.proposed >= b.proposed - 1 or a.proposed == a.room, "unbalanced"

    due = _oracle_due(w, rows, day)
    assert set(ids) == {mid for _, mid in due[:len(ids)]}, "not the most urgent due materials"
    room = sum(c.room for c in plan.counters)
    assert len(ids) == min(room, len(due)) and plan.due_left == len(due) - len(ids)
    assert all(p.why and p.reason == "Planned" for p in plan.proposals)
