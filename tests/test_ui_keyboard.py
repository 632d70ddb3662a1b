"""Keys do what they say: one table of shortcuts without clashes (window keys, each screen's
Alt+letters), F1 lists them all, Ctrl+W closes, Alt+H is the Material screen's Count history,
Alt+O leaves the cursor in Location."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QTabBar

from wics_desktop.core.actor import Actor
from wics_desktop.ui import shortcuts

from ui_fixtures import *  # noqa: F403
from ui_fixtures import add_materials

MNEMONIC = re.compile(r"(?<!&)&([A-Za-z0-9])")


def mnemonics(widget) -> list[str]:
    """The Alt+letter keys a screen's visible labels, buttons, tabs and boxes claim."""
    found = []

    def claim(text):
        m = MNEMONIC.search(text or "")
        if m:
            found.append(f"Alt+{m.group(1).upper()}")

    for w in widget.findChildren(QAbstractButton):
        if w.isVisibleTo(widget):
            claim(w.text())
    for w in widget.findChildren(QLabel):
        if w.isVisibleTo(widget) and w.buddy() is not None and w.buddy().isVisibleTo(widget):
            claim(w.text())
    for w in widget.findChildren(QGroupBox):
        if w.isVisibleTo(widget):
            claim(w.title())
    for bar in widget.findChildren(QTabBar):
        if bar.isVisibleTo(widget):
            for i in range(bar.count()):
                claim(bar.tabText(i))
    return found


@pytest.fixture
def window(qtbot, sqlite_db):
    from wics_desktop.core.services import users
    from wics_desktop.ui.main_window import MainWindow

    add_materials(sqlite_db, 3)
    with sqlite_db.session() as s:
        admin = users.create_user(s, "keys", "keys-password", role="admin", actor=Actor.system())
    win = MainWindow(sqlite_db, admin)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    yield win
    win._closing = True
    win.close()
    win.runner.cancel_all()
    win.runner.wait(10000)


def test_no_key_is_claimed_twice(window):
    """Window keys, the menu bar's Alt+letters and every screen's Alt+letters: no clash."""
    from wics_desktop.ui import screen_registry

    bar = [f"Alt+{MNEMONIC.search(a.text()).group(1).upper()}"
           for a in window.menuBar().actions() if MNEMONIC.search(a.text())]
    assert sorted(bar) == sorted(s.keys[0] for s in shortcuts.TABLE if s.menu)
    extra = {}
    for spec in screen_registry.all_specs():
        screen = window.open_screen(spec.key, **({"material_id": 1} if spec.key == "material"
                                                 else {}))
        if screen is not None:
            extra[spec.key] = mnemonics(screen)
    assert len(extra) > 20
    found = shortcuts.clashes(extra)
    assert found == [], "\n".join(found)


def test_opening_a_screen_leaves_the_window_active(qtbot, window):
    """Part Types showed its three buttons before they had a parent: each became a window of
    its own for a moment, took the activation, and the main window was left inactive (no
    focus, Ctrl+S did nothing) once the screen's load let the event loop run. Every screen:
    after it opened and its events ran, the main window is the active one, nothing else is."""
    from wics_desktop.ui import screen_registry

    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    for spec in screen_registry.all_specs():
        window.open_screen(spec.key, **({"material_id": 1} if spec.key == "material" else {}))
        qtbot.wait(20)
        strays = [w for w in QApplication.topLevelWidgets()
                  if w.isVisible() and w is not window and not w.inherits("QMenu")]
        assert strays == [], f"{spec.key}: {strays}"
        assert QApplication.activeWindow() is window, spec.key


def test_f1_lists_every_key_of_the_table():
    html = shortcuts.help_html()
    for s in shortcuts.TABLE:
        assert all(k in html for k in s.keys), s.name
    assert all(k in html for k in ("Alt+O", "Alt+G", "F9", "Alt+H"))


def test_every_window_key_is_registered_once(window):
    """Ctrl+W was registered twice (Close and Ctrl+W): ambiguous, nothing happened on Linux."""
    from PySide6.QtGui import QAction, QKeySequence

    seen = {}
    for act in window.findChildren(QAction):
        for key in act.shortcuts():
            text = key.toString(QKeySequence.SequenceFormat.PortableText)
            assert text not in seen, f"{text}: {seen[text]} and {act.text()}"
            seen[text] = act.text()
    assert "Ctrl+W" in seen and "F9" in seen and "F1" in seen


def test_ctrl_w_closes_the_current_screen(qtbot, window):
    window.open_screen("materials")
    window.open_screen("counts")
    before = window.tabs.count()
    qtbot.keyClick(window.current_screen(), Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.count() == before - 1


def test_alt_h_opens_the_material_count_history(qtbot, window):
    screen = window.open_screen("material", material_id=1)
    assert screen.tabs.currentIndex() == 0
    qtbot.keyClick(screen.part_number, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    assert screen.tabs.currentWidget() is screen.history
    assert QApplication.activeModalWidget() is None  # no help box instead


def test_alt_o_keeps_the_cursor_in_location(qtbot, window):
    entry = window.open_screen("count_entry")
    entry.location.setFocus()
    qtbot.waitUntil(entry.location.hasFocus)
    qtbot.keyClick(entry.location, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    assert entry.location_only.isChecked()
    assert entry.location.hasFocus()  # the next scanned location lands in Location
    qtbot.keyClicks(entry.location, "R01-3")
    assert entry.location.text().endswith("R01-3")


def _type(qtbot, text: str) -> None:
    """Type as a person does: each key goes wherever the focus is at that moment."""
    for ch in text:
        qtbot.keyClicks(QApplication.focusWidget(), ch)


@pytest.mark.parametrize("how", ["typed", "pasted"])
def test_import_wizard_file_box_keeps_focus_and_enter_is_next(qtbot, window, tmp_path, how):
    from wics_desktop.ui.wizards.import_wizard import COLUMNS, FILE

    from imports_fixtures import write_xlsx

    path = str(write_xlsx(tmp_path / "counts.xlsx", [
        ["CountDate", "Counter", "LOCATION", "Material", "CTD_QTY_Expr"]], sheet="Counts"))
    screen = window.open_screen("import_counts")
    wizard = screen.wizard
    box = wizard.currentPage().path
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    if how == "typed":
        _type(qtbot, path)
    else:
        QApplication.clipboard().setText(path)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_V,
                       Qt.KeyboardModifier.ControlModifier)
    assert box.text() == path and box.hasFocus()
    assert wizard.currentId() == FILE
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.currentId() == COLUMNS, timeout=15000)
    qtbot.waitUntil(wizard.currentPage().isComplete, timeout=15000)
    # the cursor stays in the wizard (on Next once the page is ready): Enter goes on
    next_button = wizard.button(wizard.WizardButton.NextButton)
    qtbot.waitUntil(next_button.hasFocus, timeout=5000)


def test_a_cleared_bad_filter_is_no_longer_red(qtbot, sqlite_db, ctx_factory):
    from wics_desktop.core.lists import definitions
    from wics_desktop.ui.tables.table_widget import QueryTableWidget

    ctx = ctx_factory(sqlite_db)
    spec = definitions.counts_spec()
    table = QueryTableWidget(spec, ctx.runner)
    qtbot.addWidget(table)
    table.show()
    table.start()
    column = spec.index_of("count_date")
    box = table.header.editor(column)
    table.header.filter_edited.emit(column, "not a date")
    qtbot.waitUntil(lambda: "c0392b" in box.styleSheet(), timeout=5000)
    box.setText("")
    table.header.filter_edited.emit(column, "")
    qtbot.waitUntil(lambda: not table.model.loading, timeout=5000)
    assert box.styleSheet() == ""


def test_a_refused_save_is_not_called_nothing_to_save(qtbot, window):
    """Ctrl+S on Part Types with a priority that is not a number: the banner says why, and
    the status bar must not contradict it with "nothing to save here"."""
    screen = window.open_screen("part_types")
    qtbot.waitUntil(lambda: bool(screen.name.text()), timeout=5000)
    screen.priority.setText("abc")
    qtbot.keyClick(screen.priority, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "whole number" in screen.banner.text()
    assert "nothing to save" not in window.statusBar().currentMessage()
    window.open_screen("counts")  # a list: Save has nothing to do there
    window._current_call("save")
    assert "nothing to save here" in window.statusBar().currentMessage()
