"""Application bootstrap: QApplication on a qasync event loop, database, sign-in, main window.

High-DPI scaling is Qt 6's default; we only ask for exact (pass-through) scale factors so 125 %
and 150 % screens get crisp text instead of rounded sizes. The system's style and palette
(light or dark) are left alone: no hard-coded colours except message banners, which pick a
dark or light variant from the palette.
"""
from __future__ import annotations

import asyncio
import logging
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QStyle

from .. import APP_NAME, __version__
from ..core import logs
from ..core.db import Database
from ..core.errors import DatabaseUnavailable, WicsError

log = logging.getLogger("wics.ui")


def create_application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("WICS")
    app.setWindowIcon(app.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView)
                      if QIcon.fromTheme("accessories-calculator").isNull()
                      else QIcon.fromTheme("accessories-calculator"))
    logs.configure()
    from . import errors

    errors.install_excepthook()
    return app


def open_database(url: str, *, demo: bool = False) -> Database:
    """The database, with its schema; the embedded file and the demo are created on first use."""
    from ..core import schema

    database = Database(url)
    database.ping()
    if not database.has_schema():
        if database.is_embedded:
            schema.upgrade(database)
        else:
            raise DatabaseUnavailable(
                f"{database.describe()} has no WICS tables yet. Ask whoever looks after the "
                f"server to run `wics db upgrade` (or start with --demo to try WICS).")
    if demo:
        from sqlalchemy import func, select

        from ..core.models import Material

        with database.session() as s:
            empty = not s.scalar(select(func.count()).select_from(Material))
        if empty:
            from ..core import demo as demo_data

            demo_data.generate(database, materials=2000, days=30, seed=1)
    return database


def run(url: str, *, demo: bool = False) -> int:
    """The interactive program: returns the exit code."""
    import qasync

    app = create_application()
    try:
        database = _with_progress(lambda: open_database(url, demo=demo),
                                  "Preparing the demo database..." if demo else
                                  "Opening the database...")
    except WicsError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return exc.exit_code
    from .login import sign_in
    from .main_window import MainWindow

    user = sign_in(database)
    if user is None:
        return 0
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closed = asyncio.Event()
    app.aboutToQuit.connect(closed.set)
    window = MainWindow(database, user)
    window.show()
    window.open_start_screen()
    with loop:
        loop.create_task(window.monitor_connection())
        loop.run_until_complete(closed.wait())
    window.runner.wait(10000)
    database.dispose()
    return window.exit_code


def _with_progress(fn, text: str):
    """A small 'please wait' window while the first start creates the demo data."""
    from PySide6.QtWidgets import QLabel

    note = QLabel(f"  {text}  ")
    note.setWindowTitle(APP_NAME)
    note.setWindowFlag(Qt.WindowType.SplashScreen)
    note.show()
    QApplication.processEvents()
    try:
        return fn()
    finally:
        note.close()
