"""Count Entry as users meet it: a part number in two organizations is never guessed (fast
scanner included), the side panel follows the material field, the form does not jump when a
message appears, the counter defaults to who counts, and a clerk gets someone else's count
read-only."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from wics_desktop.ui.screens.count_entry import CountEntryScreen

from core_fixtures import material, setup_orgs
from ui_fixtures import *  # noqa: F403

TODAY = dt.date(2026, 11, 20)
SHARED = "02356RY30-600-G"  # in L10 and L6, as in the demo and the wics3 data


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("WICS_TODAY", TODAY.isoformat())


def _screen(qtbot, ctx):
    screen = CountEntryScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    screen.focus_first()
    qtbot.waitUntil(screen.material.hasFocus)
    return screen


def _scan(qtbot, text: str) -> float:
    """A fast scanner: every key of the code back to back (no event loop turn in between,
    as a USB scanner's burst arrives well within 50 ms), then Enter, to whatever has the
    focus. Returns the milliseconds the keys took (printed, not asserted). What the window
    system queued before the scan (a list shown by the previous Enter) is delivered first, as
    the scanner's keys queue behind it."""
    QApplication.processEvents()
    started = time.perf_counter()
    qtbot.keyClicks(QApplication.focusWidget(), text)
    keys_ms = (time.perf_counter() - started) * 1000
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    print(f"scanned {text!r}: keys in {keys_ms:.1f} ms, then Enter")
    return keys_ms


@pytest.fixture
def shared(db):
    with db.session() as s:
        setup_orgs(s)
        ids = {org: material(s, SHARED, org=org, description=f"Cable {org}")
               for org in ("L10", "L6")}
        ids["other"] = material(s, "A-100")
    return db, ids


def test_fast_scanner_on_a_part_in_two_organizations_is_asked_not_guessed(
        qtbot, shared, ctx_factory):
    db, ids = shared
    s = _screen(qtbot, ctx_factory(db))
    _scan(qtbot, SHARED)
    assert s.material.material_id is None  # never the first organization silently
    assert "2 organizations" in s.banner.text()
    assert s.material.hasFocus() and s.material.popup_visible()
    assert s.material.popup_names() == [f"{SHARED} (L10)", f"{SHARED} (L6)"]
    assert not s.material.popup_current()  # nothing preselected: Enter alone picks nothing
    # the choice with the keyboard: Down, Down, Enter -> L6, by a person who looked at the
    # list first (the window system's events of the opened list arrive meanwhile)
    QApplication.processEvents()
    popup = s.material._completer.popup()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert s.material.material_id == ids["L6"] and s.location.hasFocus()


def test_enter_after_the_type_ahead_answered_does_not_pick_the_first(qtbot, shared, ctx_factory):
    """A slower scanner: the type-ahead popup is already up when Enter arrives."""
    db, ids = shared
    s = _screen(qtbot, ctx_factory(db))
    qtbot.keyClicks(s.material, SHARED)
    qtbot.waitUntil(s.material.popup_visible, timeout=5000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert s.material.material_id is None and "2 organizations" in s.banner.text()


def test_the_next_scan_after_the_question_replaces_the_text(qtbot, shared, ctx_factory):
    db, ids = shared
    s = _screen(qtbot, ctx_factory(db))
    _scan(qtbot, SHARED)
    assert s.material.material_id is None
    _scan(qtbot, "A-100")  # the clerk scans the right label instead
    assert s.material.text() == "A-100" and s.material.material_id == ids["other"]
    assert s.location.hasFocus()


def test_unknown_material_clears_the_side_panel(qtbot, shared, ctx_factory):
    db, ids = shared
    s = _screen(qtbot, ctx_factory(db))
    _scan(qtbot, "A-100")
    qtbot.waitUntil(lambda: s.side.info is not None and s.side.info.material_id == ids["other"])
    s.material.setFocus()
    _scan(qtbot, "NO-SUCH-PART")
    assert "not a known material" in s.banner.text()
    assert s.side.info is None and "A-100" not in s.side.name.text()
    qtbot.wait(200)  # an answer still on its way for A-100 must not bring it back
    assert s.side.info is None


def test_fields_do_not_move_when_the_message_strip_appears(qtbot, shared, ctx_factory):
    db, _ids = shared
    s = _screen(qtbot, ctx_factory(db))
    s.banner.clear_message()
    qtbot.wait(50)
    before = {w: w.mapTo(s, w.rect().topLeft()) for w in (s.material, s.location, s.quantity)}
    s.banner.show_message("'X' is not a known material. Pick one from the list.", "error")
    qtbot.wait(50)
    after = {w: w.mapTo(s, w.rect().topLeft()) for w in before}
    assert after == before


# ---- who counted ------------------------------------------------------------------------------

@pytest.fixture
def scheduled(db):
    from core_fixtures import sched

    with db.session() as s:
        setup_orgs(s)
        ids = {p: material(s, p) for p in ("A-100", "B-200", "C-300")}
        sched(s, ids["A-100"], TODAY, counter="Mervin")
        sched(s, ids["C-300"], TODAY - dt.timedelta(days=3), counter="Nickkia")
    return db, ids


def test_counter_defaults_to_scheduled_then_last_typed_then_the_user(
        qtbot, scheduled, ctx_factory):
    db, ids = scheduled
    s = _screen(qtbot, ctx_factory(db, "clerk", "chris", display="Chris K"))
    assert s.counter.text() == "Chris K"  # nothing else known: the signed-in user
    _scan(qtbot, "B-200")
    assert s.counter.text() == "Chris K"
    _scan(qtbot, "7")  # location
    _scan(qtbot, "5")  # quantity: saved
    _scan(qtbot, "A-100")  # scheduled today for Mervin
    assert s.counter.text() == "Mervin"
    # the clerk types the paper sheet's counter once
    s.counter.setFocus()
    s.counter.selectAll()
    qtbot.keyClicks(s.counter, "Alex")
    s.focus_first()
    _scan(qtbot, "B-200")  # not scheduled: the counter last typed
    assert s.counter.text() == "Alex"
    s.focus_first()
    _scan(qtbot, "A-100")  # scheduled wins over the typed one
    assert s.counter.text() == "Mervin"
    s.focus_first()
    _scan(qtbot, "C-300")  # scheduled, but on another date
    assert s.counter.text() == "Alex"


def test_counter_completes_from_known_counters(qtbot, scheduled, ctx_factory):
    db, ids = scheduled
    from core_fixtures import count

    with db.session() as s_:
        count(s_, ids["B-200"], TODAY - dt.timedelta(days=1), counter="Calvin")
    s = _screen(qtbot, ctx_factory(db))
    from wics_desktop.ui.screens.completion import completer_of

    qtbot.waitUntil(lambda: completer_of(s.counter) is not None, timeout=5000)
    model = completer_of(s.counter).model()
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert {"Calvin", "Mervin", "Nickkia"} <= set(names)


def test_known_counters_and_scheduled_counter_in_core(scheduled):
    from wics_desktop.core.services import counts

    from core_fixtures import count

    db, ids = scheduled
    with db.session() as s:
        count(s, ids["B-200"], TODAY, counter="calvin")
        count(s, ids["B-200"], TODAY, counter=" Calvin ")
        assert counts.scheduled_counter(s, ids["A-100"], TODAY) == "Mervin"
        assert counts.scheduled_counter(s, ids["B-200"], TODAY) is None
        names = counts.known_counters(s, TODAY - dt.timedelta(days=10))
        assert names == ["Calvin", "Mervin", "Nickkia"]
        assert counts.known_counters(s, TODAY) == ["Calvin", "Mervin"]


# ---- a clerk and other people's counts -------------------------------------------------------

@pytest.fixture
def anns_count(db):
    from wics_desktop.core.actor import Actor
    from wics_desktop.core.services import counts

    with db.session() as s:
        setup_orgs(s)
        mid = material(s, "A-100")
        line = counts.add_count(s, Actor("ann", "pc1", "clerk"), counts.CountInput(
            count_date=TODAY, material_id=mid, counter="Ann", location="B1", expression="7"))
    return db, line


def test_a_clerk_opens_someone_elses_count_read_only(qtbot, anns_count, ctx_factory):
    db, line = anns_count
    s = _screen(qtbot, ctx_factory(db, "clerk", "bob"))
    assert s.load_count(line.id)
    assert s.read_only()
    assert not s.save_button.isEnabled() and not s.delete_button.isEnabled()
    assert not s.copy_button.isEnabled()
    assert s.quantity.edit.isReadOnly() and s.location.isReadOnly()
    assert "only a supervisor" in s.banner.text() and "ann" in s.banner.text()
    # New goes back to an editable form
    s.new()
    assert not s.read_only() and s.save_button.isEnabled() and not s.quantity.edit.isReadOnly()


def test_a_supervisor_edits_someone_elses_count(qtbot, anns_count, ctx_factory):
    db, line = anns_count
    s = _screen(qtbot, ctx_factory(db, "supervisor", "sue"))
    assert s.load_count(line.id)
    assert not s.read_only() and s.save_button.isEnabled() and s.copy_button.isEnabled()


def test_copy_to_date_of_someone_elses_count_is_for_supervisors_in_core(anns_count):
    from wics_desktop.core.actor import Actor
    from wics_desktop.core.errors import NotPermitted
    from wics_desktop.core.services import counts

    db, line = anns_count
    with db.session() as s:
        with pytest.raises(NotPermitted, match="only a supervisor may copy"):
            counts.copy_count(s, Actor("bob", "pc2", "clerk"), line.id, TODAY)
        own = counts.copy_count(s, Actor("ann", "pc1", "clerk"), line.id, TODAY)
        other = counts.copy_count(s, Actor("sue", "pc3", "supervisor"), line.id, TODAY)
        assert own.entered_by == "ann" and other.entered_by == "sue"


@pytest.fixture
def counted_before(db):
    """A material last found at two locations, so the location field offers them."""
    from core_fixtures import count

    with db.session() as s:
        setup_orgs(s)
        mid = material(s, "A-100", description="Bolt")
        count(s, mid, day=TODAY - dt.timedelta(days=3), location="XR-01")
        count(s, mid, day=TODAY - dt.timedelta(days=3), location="XR-02")
    return db


def _location_choices(qtbot, s):
    from wics_desktop.ui.screens.completion import completer_of

    _scan(qtbot, "A-100")
    qtbot.waitUntil(lambda: completer_of(s.location) is not None, timeout=5000)
    return completer_of(s.location)


def test_a_scan_never_meets_an_open_popup(qtbot, counted_before, ctx_factory):
    """Found in a real window: a location popup open when the scanner's Enter came sent the
    quantity that followed into the location field. The popup waits for a pause in typing."""
    s = _screen(qtbot, ctx_factory(counted_before))
    completer = _location_choices(qtbot, s)
    assert s.location.hasFocus()
    s.location.clear()
    qtbot.keyClicks(s.location, "XR-0")       # a scanner's burst: no pause, no popup
    assert not completer.popup().isVisible()
    qtbot.keyClicks(s.location, "2")
    qtbot.keyClick(s.location, Qt.Key.Key_Return)
    assert s.quantity.edit.hasFocus() and s.location.text() == "XR-02"
    assert not completer.popup().isVisible()


def test_a_person_who_pauses_gets_the_choices(qtbot, counted_before, ctx_factory):
    s = _screen(qtbot, ctx_factory(counted_before))
    completer = _location_choices(qtbot, s)
    s.location.clear()
    qtbot.keyClicks(s.location, "xr")
    qtbot.waitUntil(completer.popup().isVisible, timeout=3000)
    names = [completer.completionModel().index(r, 0).data()
             for r in range(completer.completionModel().rowCount())]
    assert names == ["XR-01", "XR-02"]


def test_keys_after_enter_in_an_open_popup_go_to_the_next_field(qtbot, counted_before,
                                                                ctx_factory):
    """A person paused (the popup opened), then scanned: X hands the keys after the Enter to
    the popup's window; they must reach the quantity, not the location."""
    s = _screen(qtbot, ctx_factory(counted_before))
    completer = _location_choices(qtbot, s)
    s.location.clear()
    qtbot.keyClicks(s.location, "XR-0")
    qtbot.waitUntil(completer.popup().isVisible, timeout=3000)
    popup = completer.popup()
    qtbot.keyClicks(popup, "1")
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.keyClicks(popup, "12")               # still addressed to the popup's window
    assert s.location.text() == "XR-01"
    assert s.quantity.edit.text() == "12" and s.quantity.edit.hasFocus()
