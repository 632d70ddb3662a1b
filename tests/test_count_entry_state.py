"""Count Entry's state without Qt (ui/screens/count_entry_state.py), and the field each count
rejection names (WicsError.field), on both databases."""
from __future__ import annotations

from dataclasses import replace

import pytest

from wics_desktop.core.actor import Actor
from wics_desktop.core.errors import InputRejected, about
from wics_desktop.core.services import counts
from wics_desktop.ui.screens import count_entry_state as state_mod
from wics_desktop.ui.screens.count_entry_state import CountEntryState, input_of, revert, store

from core_fixtures import ACTOR, D2, material, setup_orgs

CLERK = Actor(username="clerk1", workstation="WS-2", role="clerk")


@pytest.fixture
def mat(db):
    with db.session() as s:
        setup_orgs(s)
        return db, material(s, "A-100")


def _input(material_id, **kw) -> counts.CountInput:
    values = dict(count_date=D2, material_id=material_id, counter="Chris", location="D2",
                  expression="12")
    values.update(kw)
    return counts.CountInput(**values)


def test_the_state_module_imports_no_qt():
    source = open(state_mod.__file__, encoding="utf-8").read()
    assert "PySide6" not in source and "shiboken6" not in source


def test_store_adds_then_changes_and_revert_takes_each_back(mat):
    db, a = mat
    with db.session() as s:
        line, undo = store(s, ACTOR, None, _input(a))
    assert (undo.kind, undo.count_id, undo.before) == ("add", line.id, None)
    with db.session() as s:
        changed, undo2 = store(s, ACTOR, line, _input(a, expression="20"))
    assert undo2.kind == "update" and undo2.before == input_of(line)
    assert changed.id == line.id and changed.quantity == 20
    with db.session() as s:
        revert(s, ACTOR, undo2)
        assert counts.get_count(s, line.id).quantity == 12
    with db.session() as s:
        revert(s, ACTOR, undo)
        with pytest.raises(InputRejected):
            counts.get_count(s, line.id)


def test_dirty_mode_and_read_only(mat):
    db, a = mat
    with db.session() as s:
        line, _undo = store(s, ACTOR, None, _input(a, notes=" note "))
    clerk = CountEntryState(lambda: CLERK)
    assert clerk.mode_text() == "<b>New count</b>" and not clerk.can_undo()
    assert not clerk.is_dirty(_input(None, expression=""), typed_anything=False)
    assert clerk.is_dirty(_input(None), typed_anything=True)
    clerk.editing = line
    # blanks and surrounding spaces are how core stores them: not a change
    assert not clerk.is_dirty(replace(input_of(line), notes="note  "), typed_anything=True)
    assert clerk.is_dirty(replace(input_of(line), expression="13"), typed_anything=True)
    assert clerk.read_only() and "read-only: entered by tester" in clerk.mode_text()
    admin = CountEntryState(lambda: ACTOR)
    admin.editing = line
    assert not admin.read_only() and admin.mode_text() == f"<b>Changing count #{line.id}</b>"


@pytest.mark.parametrize("kw, field", [
    (dict(count_date=None), "date"),
    (dict(material_id=None), "material"),
    (dict(material_id=999999), "material"),
    (dict(counter=" "), "counter"),
    (dict(location="x" * 300), "location"),
    (dict(expression="12 boxes"), "quantity"),
    (dict(expression=None), "quantity"),
    (dict(package_id="a\x01b"), "package"),
    (dict(tag_qty="a\x01b"), "tag"),
    (dict(notes="a\x01b"), "notes"),
])
def test_each_count_rejection_names_its_field(mat, kw, field):
    db, a = mat
    with db.session() as s:
        with pytest.raises(InputRejected) as err:
            counts.add_count(s, ACTOR, _input(**{"material_id": a, **kw}))
    assert err.value.field == field


def test_about_keeps_the_innermost_field():
    with pytest.raises(InputRejected) as err:
        with about("outer"):
            with about("inner"):
                raise InputRejected("x")
    assert err.value.field == "inner"
    assert InputRejected("y").field is None
    assert InputRejected("z", field="quantity").field == "quantity"
