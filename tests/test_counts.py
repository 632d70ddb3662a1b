"""Counts: validation, expression kept as typed, totals, copy, last found at."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from wics_desktop.core.errors import InputRejected, NotFound, RuleViolation
from wics_desktop.core.models import ActualCount, AuditLog
from wics_desktop.core.services import counts

from core_fixtures import ACTOR, D1, D2, count, material, setup_orgs


@pytest.fixture
def mats(db):
    with db.session() as s:
        setup_orgs(s)
        return db, material(s, "A-100"), material(s, "B-200")


def test_add_keeps_expression_and_stores_value(mats):
    db, a, _ = mats
    with db.session() as s:
        line = count(s, a, expr=" =1080*4+791 ", package_id="PKG", tag_qty="800*2",
                     possibly_not_received=True)
    assert line.quantity == 5111 and line.expression == "=1080*4+791"
    assert line.entered_by == "tester" and line.workstation == "WS-1"
    assert uuid.UUID(line.uuid).version == 4
    with db.session() as s:
        row = s.get(ActualCount, line.id)
        assert (row.expression, row.quantity, row.possibly_not_received) == ("=1080*4+791", 5111,
                                                                             True)
        action = s.scalar(select(AuditLog.action).where(AuditLog.entity == "actual_count"))
        assert action == "create"


@pytest.mark.parametrize("kw, message", [
    (dict(counter=" "), "Please enter the counter."),
    (dict(location=""), "Please enter a location."),
    (dict(expr=None), "Please enter a valid quantity or tick Location only."),
    (dict(expr="1080*"), "Quantity '1080*' is not valid: "),
    (dict(expr="12 boxes"), "Quantity '12 boxes' is not valid: "),
])
def test_add_rejects_bad_input(mats, kw, message):
    db, a, _ = mats
    with db.session() as s:
        with pytest.raises(InputRejected) as err:
            count(s, a, **kw)
        assert str(err.value).startswith(message)
        assert s.scalar(select(ActualCount.id)) is None


def test_expression_error_message_is_the_evaluators(mats):
    from wics_desktop.core.expressions import ExpressionError, evaluate

    db, a, _ = mats
    with pytest.raises(ExpressionError) as expected:
        evaluate("5/0")
    with db.session() as s:
        with pytest.raises(InputRejected) as err:
            count(s, a, expr="5/0")
    assert expected.value.message in str(err.value)


def test_location_only_has_no_quantity(mats):
    db, a, _ = mats
    with db.session() as s:
        line = count(s, a, location="HVC", location_only=True)
        assert (line.quantity, line.expression, line.location_only) == (None, None, True)
        count(s, a, expr="7")
        day = counts.counts_on(s, a, D2)
    assert day.total == 7 and len(day.lines) == 2


def test_unknown_material_and_duplicate_uuid(mats):
    db, a, _ = mats
    with db.session() as s:
        with pytest.raises(NotFound):
            count(s, 999999)
        line = count(s, a, uuid="6f1c5a8e-0000-4000-8000-000000000001")
        with pytest.raises(RuleViolation) as err:
            count(s, a, uuid=line.uuid)
        assert err.value.payload == {"id": line.id, "uuid": line.uuid}


def test_update_delete_copy(mats):
    db, a, b = mats
    with db.session() as s:
        line = count(s, a, expr="10", notes="first")
        upd = counts.update_count(s, ACTOR, line.id, counts.CountInput(
            count_date=D2, material_id=b, counter="Pat", location="X1", expression="2*(3+4)"))
        assert (upd.material_id, upd.quantity, upd.counter, upd.uuid) == (b, 14, "Pat", line.uuid)
        copy = counts.copy_count(s, ACTOR, line.id, D1)
        assert (copy.count_date, copy.quantity, copy.expression, copy.location) == (D1, 14,
                                                                                    "2*(3+4)", "X1")
        assert copy.id != line.id and copy.uuid != line.uuid
        counts.delete_count(s, ACTOR, line.id)
        with pytest.raises(NotFound):
            counts.delete_count(s, ACTOR, line.id)
        actions = s.scalars(select(AuditLog.action).where(AuditLog.entity == "actual_count")
                            .order_by(AuditLog.id)).all()
        assert actions == ["create", "update", "create", "delete"]


def test_a_selection_of_counts_is_read_in_one_query_in_its_order(mats, count_queries):
    """What Delete... on a selection of rows shows before asking: every line, in the order
    selected, one query for the counts whatever their number; a row deleted meanwhile is
    named."""
    db, a, b = mats
    with db.session() as s:
        ids = [count(s, a if n % 2 else b, expr=str(n)).id for n in range(1, 7)]
    wanted = [ids[4], ids[0], ids[3]]
    with db.session() as s, count_queries(db.engine) as q:
        lines = counts.get_counts(s, wanted)
    assert [(ln.id, ln.quantity) for ln in lines] == [(ids[4], 5), (ids[0], 1), (ids[3], 4)]
    assert q.count <= 3  # the counts, then the material names
    with db.session() as s:
        counts.delete_count(s, ACTOR, ids[0])
    with db.session() as s, pytest.raises(NotFound, match=f"id {ids[0]}"):
        counts.get_counts(s, wanted)


def test_totals_are_exact_sums(mats):
    db, a, _ = mats
    with db.session() as s:
        count(s, a, expr="0.1")
        count(s, a, expr="0.2")
        count(s, a, expr="-0.3")
        count(s, a, expr="1.5")
        assert counts.counts_on(s, a, D2).total == 1.5
        assert counts.counts_on(s, a, D1).total == 0


def test_last_found_rule(mats):
    db, a, b = mats
    with db.session() as s:
        c = material(s, "C-300")
        count(s, a, D1, location="OLD")
        count(s, a, D2, location="Z-2")
        count(s, a, D2, location="A-1", location_only=True)
        count(s, a, D2, location="Z-2")
        count(s, b, D1, location="B", location_only=True)  # location-only alone still counts
        found = counts.last_found(s, [a, b, c])
        everything = counts.last_found(s)
    assert found[a].last_count_date == D2 and found[a].locations == ["A-1", "Z-2"]
    assert found[b].last_count_date == D1 and found[b].locations == ["B"]
    assert c not in found
    assert everything == found
