"""Run in a subprocess by test_ui_screen_fit.py on an offscreen screen of a given size:
opens the main window as on a first run, every screen in it and every dialog, and prints one
JSON line per thing that does not fit (a window beyond the available area, a button outside
its window), then "checked N" on the last line.

    QT_QPA_PLATFORM=offscreen:configfile=screen.json python screen_fit_probe.py DB_URL
"""
from __future__ import annotations

import json
import sys

from PySide6.QtCore import QCoreApplication, QRect
from PySide6.QtWidgets import QAbstractButton, QWidget

problems: list[dict] = []
checked = 0
reported = 0


def settle(app, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()


def check(window: QWidget, what: str) -> None:
    """The window lies in the available area; each button it shows lies inside the window,
    big enough to be seen."""
    global checked, reported
    from wics_desktop.ui import geometry

    checked += 1
    area = geometry.available(window)
    frame = window.frameGeometry()
    if not area.contains(frame):
        problems.append({"what": what, "problem": "window outside the screen",
                         "window": frame.getRect(), "available": area.getRect()})
    inside = QRect(window.mapToGlobal(window.rect().topLeft()), window.size())
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or not button.text():
            continue
        rect = QRect(button.mapToGlobal(button.rect().topLeft()), button.size())
        if not inside.contains(rect) or not area.contains(rect) or button.height() < 12 \
                or button.visibleRegion().isEmpty():
            problems.append({"what": what, "problem": f"button {button.text()!r} not visible",
                             "button": rect.getRect(), "window": inside.getRect()})
    for p in problems[reported:]:
        print(json.dumps(p), flush=True)
    reported = len(problems)


def main(url: str) -> int:
    from wics_desktop.core.services.users import UserInfo
    from wics_desktop.ui import geometry, screen_registry
    from wics_desktop.ui.app import create_application, open_database
    from wics_desktop.ui.main_window import MainWindow

    app = create_application()
    database = open_database(url)
    user = UserInfo(id=1, username="fit", display_name="Fit", role="admin", active=True,
                    menu_group=None, must_change_password=False, last_login=None)
    window = MainWindow(database, user)
    geometry.show_window(window)
    settle(app)
    check(window, "main window")
    for spec in screen_registry.all_specs():
        screen = window.open_screen(spec.key, **_arguments(spec.key, database))
        deadline = 200
        while screen is not None and not screen.is_ready() and deadline:
            settle(app, 5)
            QCoreApplication.processEvents()
            import time

            time.sleep(0.02)
            deadline -= 1
        settle(app)
        check(window, f"screen {spec.key}")
    for name, make in _dialogs(window, database, user):
        dialog = make()
        dialog.show()
        settle(app)
        check(dialog, f"dialog {name}")
        dialog.close()
        dialog.deleteLater()
        settle(app)
    window._closing = True
    window.close()
    window.runner.cancel_all()
    window.runner.wait(30000)
    database.dispose()
    print(f"checked {checked}")
    return 0


def _arguments(key: str, database) -> dict:
    if key != "material":
        return {}
    from sqlalchemy import select

    from wics_desktop.core.models import Material

    with database.session() as s:
        return {"material_id": s.scalar(select(Material.id).order_by(Material.id).limit(1))}


def _dialogs(window, database, user):
    """Every dialog of the desktop, made as its screen makes it."""
    import datetime as dt

    from PySide6.QtWidgets import QMessageBox

    from wics_desktop.ui import errors, login
    from wics_desktop.ui.printing import printer
    from wics_desktop.ui.screens.admin_users import NewUserDialog
    from wics_desktop.ui.screens.find_count import FindCountDialog
    from wics_desktop.ui.screens.mpn_dialog import MpnDialog

    ctx = window.ctx
    summary = window.open_screen("count_summary")
    yield "print preview", lambda: printer.preview(summary.document(summary.report), window)
    yield "new user", lambda: NewUserDialog(ctx, ["Clerks"], window)
    yield "find count", lambda: FindCountDialog(ctx, dt.date.today(), window)
    yield "manufacturer part number", lambda: MpnDialog(ctx, None, window)
    yield "error report", lambda: errors.ErrorDialog("Something went wrong",
                                                     "Traceback\n" * 200, window)
    yield "sign in", lambda: login.LoginDialog(database)
    yield "first run", lambda: login.FirstRunDialog(database)
    yield "change password", lambda: login.ChangePasswordDialog(database, user, parent=window)
    yield "message box", lambda: QMessageBox(QMessageBox.Icon.Information, "Keyboard shortcuts",
                                             __import__("wics_desktop.ui.shortcuts",
                                                        fromlist=["x"]).help_html(), parent=window)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
