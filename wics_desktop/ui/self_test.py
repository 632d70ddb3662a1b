"""`wics-desktop --self-test`: does the desktop work on this database, here, now?

Offscreen, signed in as a built-in admin identity (nothing is written as a person): opens the
main window, then every main screen the registry knows, waits until each has loaded what it
shows, and collects every error. One line per screen on stdout; exit 0 only when all opened
cleanly, 1 when a screen failed, 4 when the database cannot be reached or has no schema.
"""
from __future__ import annotations

import sys
import time

from ..core.errors import WicsError

SCREEN_TIMEOUT_S = 30.0


def run_self_test(url: str, *, demo: bool = False) -> int:
    from PySide6.QtCore import QCoreApplication

    from . import errors, screen_registry
    from .app import create_application, open_database

    app = create_application()
    _quiet_offscreen_warnings()
    errors.collected = []
    try:
        database = open_database(url, demo=demo)
    except WicsError as exc:
        print(f"self-test FAILED: {exc}", file=sys.stderr)
        return exc.exit_code
    from ..core.services.users import UserInfo
    from .main_window import MainWindow

    user = UserInfo(id=0, username="self-test", display_name="Self-test", role="admin",
                    active=True, menu_group=None, must_change_password=False, last_login=None)
    window = MainWindow(database, user)
    window.show()
    QCoreApplication.processEvents()
    failures = 0
    print(f"self-test on {database.describe()}: main window opened")
    for spec in screen_registry.all_specs():
        if not spec.self_test:
            continue
        before = len(errors.collected)
        started = time.perf_counter()
        problem = None
        try:
            screen = window.open_screen(spec.key, **_arguments(spec.key, database))
            if screen is None:
                problem = "did not open"
            else:
                deadline = time.monotonic() + SCREEN_TIMEOUT_S
                while not _settled(screen) and time.monotonic() < deadline:
                    QCoreApplication.processEvents()
                    time.sleep(0.01)
                if not _settled(screen):
                    problem = f"still loading after {SCREEN_TIMEOUT_S:.0f} s"
        except Exception as exc:  # noqa: BLE001 - report and go on with the next screen
            problem = f"{type(exc).__name__}: {exc}"
        new_errors = errors.collected[before:]
        if new_errors and problem is None:
            exc, report = new_errors[0]
            problem = f"{type(exc).__name__}: {exc}"
        seconds = time.perf_counter() - started
        if problem:
            failures += 1
            print(f"FAIL {spec.key:<16} {spec.title}: {problem}")
            for _exc, report in new_errors:
                print("     " + report.replace("\n", "\n     "), file=sys.stderr)
        else:
            print(f"ok   {spec.key:<16} {spec.title} ({seconds:.2f} s)")
            if _printable(screen):
                failures += _check_preview(spec, screen, window)
    window._closing = True  # no "save changes?" questions offscreen
    window.close()
    window.runner.cancel_all()
    window.runner.wait(30000)
    database.dispose()
    print("self-test passed" if not failures else f"self-test FAILED: {failures} screen(s)")
    app.processEvents()
    return 0 if not failures else 1


def _printable(screen) -> bool:
    from .screens.report_base import ReportScreen

    return isinstance(screen, ReportScreen) and screen.report is not None


def _check_preview(spec, screen, window) -> int:
    """Open the screen's print preview, paint every page, close it: the site's printing
    stack (QtPrintSupport, fonts, paper sizes) works. Returns 1 on failure."""
    from PySide6.QtCore import QCoreApplication

    from . import errors
    from .printing import printer

    before = len(errors.collected)
    started = time.perf_counter()
    try:
        dialog = printer.preview(screen.document(screen.report), window)
        dialog.show()
        QCoreApplication.processEvents()
        pages = dialog.render_pages()
        dialog.close()
        dialog.deleteLater()
        QCoreApplication.processEvents()
        problem = None if pages > 0 else "no pages"
    except Exception as exc:  # noqa: BLE001 - report and go on
        problem = f"{type(exc).__name__}: {exc}"
    if problem is None and len(errors.collected) > before:
        exc, _report = errors.collected[before]
        problem = f"{type(exc).__name__}: {exc}"
    if problem:
        print(f"FAIL {'preview':<16} {spec.title}: {problem}")
        return 1
    print(f"ok   {'preview':<16} {spec.title}: {pages} page(s) "
          f"({time.perf_counter() - started:.2f} s)")
    return 0


def _arguments(key: str, database) -> dict:
    """Open the Material screen on a real material, so its tabs load something."""
    if key != "material":
        return {}
    from ..core.services.materials import first_material_id
    from . import ops

    first = ops.read(lambda: database, first_material_id, owner=None)
    return {"material_id": first} if first is not None else {}


def _quiet_offscreen_warnings() -> None:
    """The offscreen platform warns about window features it lacks; that is not a failure."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode, _context, message):
        if "does not support" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def _settled(screen) -> bool:
    """The screen and every list inside it have finished loading."""
    from PySide6.QtCore import QCoreApplication

    from .tables.table_widget import QueryTableWidget

    QCoreApplication.processEvents()
    if not screen.is_ready():
        return False
    return all(not t.model.loading for t in screen.findChildren(QueryTableWidget))
