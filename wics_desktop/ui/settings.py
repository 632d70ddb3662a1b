"""Per-user UI state in QSettings: window geometry, splitters, table columns, last folders.

One INI file in the user config folder (beside config.ini), so tests and the self-test that
point WICS_CONFIG_DIR elsewhere never touch a person's real settings. Keys are grouped by
what they belong to: "window/<name>", "splitter/<name>", "table/<spec>", "folder/<purpose>".
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QSplitter, QWidget

from ..core.config import config_dir


def settings_file() -> Path:
    return config_dir() / "desktop.ini"


def app_settings() -> QSettings:
    return QSettings(str(settings_file()), QSettings.Format.IniFormat)


def _bytes(value) -> QByteArray | None:
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    if isinstance(value, (bytes, bytearray)) and value:
        return QByteArray(bytes(value))
    return None


def save_geometry(widget: QWidget, name: str) -> None:
    s = app_settings()
    s.setValue(f"window/{name}/geometry", widget.saveGeometry())
    if hasattr(widget, "saveState"):
        s.setValue(f"window/{name}/state", widget.saveState())


def restore_geometry(widget: QWidget, name: str) -> bool:
    s = app_settings()
    geometry = _bytes(s.value(f"window/{name}/geometry"))
    if geometry is None:
        return False
    widget.restoreGeometry(geometry)
    state = _bytes(s.value(f"window/{name}/state"))
    if state is not None and hasattr(widget, "restoreState"):
        widget.restoreState(state)
    return True


def save_splitter(splitter: QSplitter, name: str) -> None:
    app_settings().setValue(f"splitter/{name}", splitter.saveState())


def restore_splitter(splitter: QSplitter, name: str) -> None:
    state = _bytes(app_settings().value(f"splitter/{name}"))
    if state is not None:
        splitter.restoreState(state)


def save_header(header: QHeaderView, name: str) -> None:
    app_settings().setValue(f"table/{name}/header", header.saveState())


def restore_header(header: QHeaderView, name: str) -> bool:
    state = _bytes(app_settings().value(f"table/{name}/header"))
    return bool(state is not None and header.restoreState(state))


def value(key: str, default=None):
    return app_settings().value(key, default)


def set_value(key: str, val) -> None:
    app_settings().setValue(key, val)


def last_folder(purpose: str) -> str:
    folder = app_settings().value(f"folder/{purpose}", "")
    return folder if folder and Path(folder).is_dir() else str(Path.home())


def remember_folder(purpose: str, path: str | Path) -> None:
    p = Path(path)
    app_settings().setValue(f"folder/{purpose}", str(p if p.is_dir() else p.parent))
