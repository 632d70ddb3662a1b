"""Tab walks every form and dialog in screen order: top to bottom, left to right within a row,
one panel (splitter side) after the other. The New user dialog's order was not (typing in
screen order put the password into Role and silently made a supervisor)."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QTabWidget,
    QWidget,
)

from wics_desktop.core.actor import Actor

from ui_fixtures import *  # noqa: F403
from ui_fixtures import add_materials

FORMS = ["count_entry", "material", "part_types", "users", "parameters", "holidays",
         "greetings", "menus", "sync", "schedule_entry", "request_entry"]


def _owner(widget: QWidget) -> QWidget:
    """The field a focused inner widget belongs to (a spin box's or combo box's line edit)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QAbstractSpinBox, QComboBox)):
            return parent
        parent = parent.parentWidget()
    return widget


def _rect(w: QWidget, root: QWidget) -> QRect:
    return QRect(w.mapTo(root, w.rect().topLeft()), w.size())


def _cut(items: list, root: QWidget, axis: str) -> list[list]:
    """Split items where a line along `axis` crosses none of them ("x": side by side
    columns, "y": bands one above the other)."""
    def span(it):
        r = _rect(it, root)
        return (r.left(), r.right()) if axis == "x" else (r.top(), r.bottom())

    groups, edge = [], None
    for it in sorted(items, key=span):
        lo, hi = span(it)
        if groups and lo <= edge:
            groups[-1].append(it)
            edge = max(edge, hi)
        else:
            groups.append([it])
            edge = hi
    return groups


def _xy_order(items: list, root: QWidget) -> list:
    """Reading order of boxes: side-by-side columns left to right when a gap runs the full
    height, else bands top to bottom, and so on inside each."""
    if len(items) <= 1:
        return list(items)
    for axis in ("x", "y"):
        groups = _cut(items, root, axis)
        if len(groups) > 1:
            return [it for g in groups for it in _xy_order(g, root)]
    return sorted(items, key=lambda it: (_rect(it, root).top(), _rect(it, root).left()))


def _screen_order(widgets: list[QWidget], root: QWidget) -> list[QWidget]:
    """Group the fields by the containers they sit in (a splitter side, a tab page, a group
    box, a panel): each container is read as a whole, in its place, then its own content."""
    def items_in(container: QWidget) -> list[QWidget]:
        out = []
        for w in widgets:
            node = w
            while node.parentWidget() is not None and node.parentWidget() is not container:
                node = node.parentWidget()
            if node.parentWidget() is container and node not in out:
                out.append(node)
        return out

    def read(container: QWidget) -> list[QWidget]:
        ordered = []
        for item in _xy_order(items_in(container), root):
            if item in widgets:
                ordered.append(item)
            else:
                ordered += read(item)
        return ordered

    return read(root)


def _inside_table(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


def _first_field(root: QWidget) -> QWidget | None:
    """The first field on screen that Tab can reach (not a list)."""
    fields = [w for w in root.findChildren(QWidget)
              if w.isVisibleTo(root) and w.isEnabled()
              and w.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
              and not isinstance(w, QAbstractItemView) and not _inside_table(w)
              and _owner(w) is w and w.focusProxy() is None]
    ordered = _screen_order(fields, root)
    return ordered[0] if ordered else None


def walk(qtbot, root: QWidget, start: QWidget, limit: int = 80) -> list[QWidget]:
    """Press Tab from `start` until the focus comes back; the fields in the order visited."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=2000)
    first = _owner(QApplication.focusWidget())
    seen = [first]
    for _ in range(limit):
        focus = QApplication.focusWidget()
        if isinstance(focus, QAbstractItemView) and focus.tabKeyNavigation():
            focus.focusNextChild()  # a list moves Tab between its cells: step past it
        else:
            qtbot.keyClick(focus, Qt.Key.Key_Tab)
        now = _owner(QApplication.focusWidget())
        if now is first and seen[-1] is not first:  # round: back where it started
            break
        if now not in seen:
            seen.append(now)
        elif now is not seen[-1] and now is not first:
            seen.append(now)  # visited twice in one round: shows as a mismatch
    return [w for w in seen if root.isAncestorOf(w) and not _inside_table(w)
            and not isinstance(w, (QAbstractItemView,))]


def assert_screen_order(qtbot, root: QWidget, start: QWidget, what: str) -> None:
    visited = walk(qtbot, root, start)
    assert len(visited) >= 2, what
    expected = _screen_order(visited, root)
    # the cycle may start anywhere (Count Entry starts in Material, date and counter last)
    at = visited.index(expected[0])
    rotated = visited[at:] + visited[:at]
    assert _names(rotated) == _names(expected), \
        f"{what}:\n tab:    {_names(rotated)}\n screen: {_names(expected)}"


def _names(widgets) -> list[str]:
    out = []
    for w in widgets:
        text = w.text() if hasattr(w, "text") and callable(w.text) else ""
        out.append(w.accessibleName() or f"{type(w).__name__}({text})")
    return out


@pytest.fixture
def window(qtbot, sqlite_db):
    from wics_desktop.core.services import users
    from wics_desktop.ui.main_window import MainWindow

    add_materials(sqlite_db, 3)
    with sqlite_db.session() as s:
        admin = users.create_user(s, "tabber", "tabber-password", role="admin",
                                  actor=Actor.system())
    win = MainWindow(sqlite_db, admin)
    qtbot.addWidget(win)
    win.resize(1300, 740)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    yield win
    win._closing = True
    win.close()
    win.runner.cancel_all()
    win.runner.wait(10000)


def _dialogs(win):
    from wics_desktop.ui import login
    from wics_desktop.ui.screens.admin_users import NewUserDialog
    from wics_desktop.ui.screens.find_count import FindCountDialog
    from wics_desktop.ui.screens.mpn_dialog import MpnDialog

    ctx, db = win.ctx, win.database
    yield "new user", NewUserDialog(ctx, ["Clerks"], win), "username"
    yield "manufacturer part number", MpnDialog(ctx, None, win), "mpn"
    yield "find count", FindCountDialog(ctx, dt.date.today(), win), None
    yield "sign in", login.LoginDialog(db), "username"
    yield "first run", login.FirstRunDialog(db), "username"
    yield "change password", login.ChangePasswordDialog(db, ctx.user, parent=win), "current"


def test_tab_walks_every_form_and_dialog_in_screen_order(qtbot, window):
    for key in FORMS:
        screen = window.open_screen(key, **({"material_id": 1} if key == "material" else {}))
        if screen is None:
            continue
        qtbot.waitUntil(screen.is_ready, timeout=10000)
        for tabs in screen.findChildren(QTabWidget):
            tabs.setCurrentIndex(0)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=2000)
        start = _first_field(screen)
        assert start is not None, key
        assert_screen_order(qtbot, screen, start, f"screen {key}")
    for what, dialog, first in _dialogs(window):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
        start = getattr(dialog, first) if first else _first_field(dialog)
        assert_screen_order(qtbot, dialog, start, f"dialog {what}")
        dialog.close()


def test_new_user_typed_in_screen_order_gets_the_role_chosen(qtbot, window):
    """Typed as the dialog reads: user, display name, role, menu group, password, confirm."""
    from wics_desktop.ui.screens.admin_users import NewUserDialog

    dialog = NewUserDialog(window.ctx, [], window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    dialog.username.setFocus()
    qtbot.waitUntil(dialog.username.hasFocus)
    for text in ("pat", "Pat Doe", None, None, "pat-secret-1", "pat-secret-1"):
        if text:
            qtbot.keyClicks(QApplication.focusWidget(), text)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert (dialog.password.text(), dialog.confirm.text()) == ("pat-secret-1", "pat-secret-1")
    assert dialog.role.currentText() == "clerk"
