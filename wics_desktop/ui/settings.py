"""Per-user UI state in QSettings: window geometry, splitters, table columns, last folders.

One INI file in the user config folder (beside config.ini), so tests and the self-test that
point WICS_CONFIG_DIR elsewhere never touch a person's real settings.

Every key is declared here once, as core.params declares the parameters: its name in the INI
file, its type, its default and what it is for. The rest of the desktop reads and writes
through `get(SETTING)` and `put(SETTING, value)`, never with a key of its own (a test keeps it
so). A key with a `{part}` is a family: `get(SPLITTER, name="count_entry")`.

Qt is imported when a setting is read or written, not when this module is: the command line's
PDF output reads the page size's declared default without loading QtWidgets.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.config import config_dir

if TYPE_CHECKING:
    from PySide6.QtCore import QByteArray, QSettings
    from PySide6.QtWidgets import QHeaderView, QSplitter, QWidget

__all__ = ["Setting", "DECLARED", "get", "put", "app_settings", "settings_file",
           "LAST_USER", "OPEN_TABS", "PAGE_SIZE", "ACTIVITY_LINES", "RUN_SQL_LAST",
           "WINDOW_GEOMETRY", "WINDOW_STATE", "SPLITTER", "TABLE_HEADER", "FOLDER",
           "save_geometry", "restore_geometry", "save_splitter", "restore_splitter",
           "save_header", "restore_header", "last_folder", "remember_folder"]


@dataclass(frozen=True)
class Setting:
    key: str  # as written in desktop.ini; a {part} is filled in by each use
    type: type  # str, int, list (of str) or bytes (a Qt saveState/saveGeometry blob)
    default: Any
    description: str

    def key_for(self, **parts: str) -> str:
        return self.key.format(**parts) if parts else self.key


LAST_USER = Setting("login/last_user", str, "",
                    "The user name the sign-in dialog offers: the last one signed in here.")
OPEN_TABS = Setting("window/main/tabs/{user}", list, [],
                    "The screen keys a user had open in the main window, reopened at sign-in.")
PAGE_SIZE = Setting("print/page_size", str, "letter",
                    "The paper the count sheets are printed on (letter or a4; US warehouses "
                    "use letter).")
ACTIVITY_LINES = Setting("activity/lines", int, 100,
                         "How many of the latest task-log lines the Activity screen shows.")
RUN_SQL_LAST = Setting("run_sql/last", str, "",
                       "The last statement run on the Run SQL screen (empty: its example).")
WINDOW_GEOMETRY = Setting("window/{name}/geometry", bytes, None,
                          "A window's size and place on the screen (Qt saveGeometry).")
WINDOW_STATE = Setting("window/{name}/state", bytes, None,
                       "A main window's toolbars and docks (Qt saveState).")
SPLITTER = Setting("splitter/{name}", bytes, None,
                   "Where a screen's splitter divides it (Qt saveState).")
TABLE_HEADER = Setting("table/{name}/header", bytes, None,
                       "A table's column order, widths and sort (Qt saveState).")
FOLDER = Setting("folder/{purpose}", str, "",
                 "The folder last used for a purpose (import, export, pdf, photos): file "
                 "dialogs open there.")

DECLARED = (LAST_USER, OPEN_TABS, PAGE_SIZE, ACTIVITY_LINES, RUN_SQL_LAST, WINDOW_GEOMETRY,
            WINDOW_STATE, SPLITTER, TABLE_HEADER, FOLDER)


def settings_file() -> Path:
    return config_dir() / "desktop.ini"


def app_settings() -> QSettings:
    from PySide6.QtCore import QSettings

    return QSettings(str(settings_file()), QSettings.Format.IniFormat)


def get(setting: Setting, **parts: str) -> Any:
    """The setting's value as its type, or its default when unset or unreadable."""
    raw = app_settings().value(setting.key_for(**parts))
    return _as(setting, raw)


def put(setting: Setting, value: Any, **parts: str) -> None:
    app_settings().setValue(setting.key_for(**parts), value)


def _as(setting: Setting, raw: Any) -> Any:
    if raw is None or raw == "":
        return list(setting.default) if setting.type is list else setting.default
    if setting.type is bytes:
        return _bytes(raw)
    if setting.type is list:  # an INI list of one item reads back as that item
        return [raw] if isinstance(raw, str) else list(raw)
    if setting.type is int:
        try:
            return int(raw)
        except (TypeError, ValueError):
            return setting.default
    return str(raw)


def _bytes(value: Any) -> QByteArray | None:
    from PySide6.QtCore import QByteArray

    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    if isinstance(value, (bytes, bytearray)) and value:
        return QByteArray(bytes(value))
    return None


def save_geometry(widget: QWidget, name: str) -> None:
    put(WINDOW_GEOMETRY, widget.saveGeometry(), name=name)
    if hasattr(widget, "saveState"):
        put(WINDOW_STATE, widget.saveState(), name=name)


def restore_geometry(widget: QWidget, name: str) -> bool:
    geometry = get(WINDOW_GEOMETRY, name=name)
    if geometry is None:
        return False
    widget.restoreGeometry(geometry)
    state = get(WINDOW_STATE, name=name)
    if state is not None and hasattr(widget, "restoreState"):
        widget.restoreState(state)
    return True


def save_splitter(splitter: QSplitter, name: str) -> None:
    put(SPLITTER, splitter.saveState(), name=name)


def restore_splitter(splitter: QSplitter, name: str) -> None:
    state = get(SPLITTER, name=name)
    if state is not None:
        splitter.restoreState(state)


def save_header(header: QHeaderView, name: str) -> None:
    put(TABLE_HEADER, header.saveState(), name=name)


def restore_header(header: QHeaderView, name: str) -> bool:
    state = get(TABLE_HEADER, name=name)
    return bool(state is not None and header.restoreState(state))


def last_folder(purpose: str) -> str:
    folder = get(FOLDER, purpose=purpose)
    return folder if folder and Path(folder).is_dir() else str(Path.home())


def remember_folder(purpose: str, path: str | Path) -> None:
    p = Path(path)
    put(FOLDER, str(p if p.is_dir() else p.parent), purpose=purpose)
