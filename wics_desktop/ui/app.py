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
    app.setWindowIcon(_app_icon(app))
    logs.configure()
    from . import errors, geometry

    geometry.install(app)  # every window, when shown, fits its screen

    errors.install_excepthook()
    return app


def _app_icon(app: QApplication) -> QIcon:
    """The WICS icon (SVG and PNG sizes from resources/icons); the style's if it is missing."""
    try:
        from ..resources import app_icon_files

        icon = QIcon()
        for path in app_icon_files():
            icon.addFile(str(path))
        if not icon.isNull():
            return icon
    except (ImportError, OSError, ValueError):
        pass
    return app.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView)


# A statement waiting longer than this for the server gives up (the connection monitor cuts
# off a dead server within seconds anyway; this is the last line of defence).
SERVER_READ_TIMEOUT = 120


def _check_server_schema(database: Database) -> None:
    """Once a person's own connection is open: the server has the schema of this version."""
    from ..core import schema

    if not database.has_schema():
        raise DatabaseUnavailable(
            f"{database.describe()} has no WICS tables yet. Ask whoever looks after the "
            f"server to run `wics db upgrade`.")
    schema.require_current(database)


def open_database(url: str, *, demo: bool = False) -> Database:
    """The database, with its schema; the embedded file and the demo are created on first use."""
    from ..core import schema

    database = Database(url, read_timeout=SERVER_READ_TIMEOUT)
    database.ping()
    if database.is_embedded:  # new file: create; older version's file: back up, migrate
        copy = schema.bring_embedded_up_to_date(database)
        if copy is not None:
            log.info("embedded database migrated to %s; the previous one is kept as %s",
                     schema.head_revision(), copy)
    elif not database.has_schema():
        raise DatabaseUnavailable(
            f"{database.describe()} has no WICS tables yet. Ask whoever looks after the "
            f"server to run `wics db upgrade` (or start with --demo to try WICS).")
    else:
        schema.require_current(database)
    if demo:
        from ..core.services.materials import has_materials

        with database.session() as s:
            empty = not has_materials(s)
        if empty:
            from ..core import demo as demo_data

            demo_data.generate(database, materials=2000, days=30, seed=1)
    return database


def run(url: str, *, demo: bool = False) -> int:
    """The interactive program: returns the exit code."""
    import qasync

    app = create_application()
    try:  # a malformed URL: say what is wrong (never the URL: it may hold a password)
        from ..core.db_url import parse_url

        parse_url(url)
    except WicsError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return exc.exit_code
    from ..core import server_accounts

    personal = not demo and server_accounts.wants_personal_account(url)
    offline = None if demo else _offline_start(url)
    if personal and offline is None:
        # Workstation config without account or password: the sign-in dialog's password opens
        # the connection with the person's own server account.
        from .login import sign_in_personal

        database = Database(url, read_timeout=SERVER_READ_TIMEOUT)
        user = sign_in_personal(database, check=_check_server_schema)
        if user is None:
            database.dispose()
            return 0
    elif offline is not None:
        database, replica = offline
    else:
        try:
            database = _with_progress(lambda: open_database(url, demo=demo),
                                      "Preparing the demo database..." if demo else
                                      "Opening the database...")
        except WicsError as exc:
            QMessageBox.critical(None, APP_NAME, str(exc))
            return exc.exit_code
    from .login import sign_in
    from .main_window import MainWindow

    if personal and offline is None:
        pass  # signed in above, on the person's own connection
    elif offline is not None and personal:
        from .login import sign_in_offline_personal

        # When the server is back, this person's own account pushes the queued counts.
        user = sign_in_offline_personal(replica, database, OFFLINE_SIGN_IN)
        replica.dispose()
    elif offline is not None:
        user = sign_in(replica, notice=OFFLINE_SIGN_IN)
        replica.dispose()
    else:
        user = sign_in(database)
    if user is None:
        return 0
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closed = asyncio.Event()
    app.aboutToQuit.connect(closed.set)
    window = MainWindow(database, user, start_online=offline is None)
    if personal:
        window.personal_url = url  # signing out reconnects as the next person
    from . import geometry

    geometry.show_window(window)
    window.open_start_screen()
    with loop:
        window.connection.start()  # on a server the OfflineController started it already
        loop.run_until_complete(closed.wait())
    window.runner.wait(10000)
    database.dispose()
    return window.exit_code


OFFLINE_SIGN_IN = ("Offline: the server cannot be reached. Sign in as usual to count on this "
                   "PC's copy; counts are sent when the server is back.")


def _offline_start(url: str):
    """(server, replica) when the server does not answer but this PC has a copy of it."""
    from ..core.db_url import is_embedded_url

    if is_embedded_url(url):
        return None
    from ..core.sync import Replica, probe

    result = probe(url, timeout=3.0)
    if result.online:
        return None
    replica = Replica.for_server(url)
    if not replica.is_built():
        replica.close()
        return None  # the normal path then says that the server cannot be reached
    log.warning("starting offline: %s", result.reason)
    return Database(url, read_timeout=SERVER_READ_TIMEOUT), replica.open()


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
