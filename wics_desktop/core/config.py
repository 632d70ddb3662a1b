"""Where the database is: --db, then WICS_DATABASE_URL, then the config files, then the
embedded file.

The config file is `config.ini`, section [database], key `url`: first the user's (user config
folder, platformdirs: `%LOCALAPPDATA%\\wics`, `~/.config/wics`), then the machine's (site config
folder: `C:\\ProgramData\\wics` on Windows, written by the installer for every user of the PC;
`/etc/xdg/wics` on Linux). An empty `url` counts as not set. The embedded default is
`wics.sqlite` in the user data folder; the desktop's demo database is `demo.sqlite` beside it.
"""
from __future__ import annotations

import configparser
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .. import APP_SLUG

if TYPE_CHECKING:
    from platformdirs import PlatformDirs

ENV_URL = "WICS_DATABASE_URL"


def _dirs() -> PlatformDirs:
    import platformdirs

    return platformdirs.PlatformDirs(APP_SLUG, appauthor=False)


def config_dir() -> Path:
    override = os.environ.get("WICS_CONFIG_DIR")
    return Path(override) if override else Path(_dirs().user_config_dir)


def site_config_dir() -> Path:
    override = os.environ.get("WICS_SITE_CONFIG_DIR")
    return Path(override) if override else Path(_dirs().site_config_dir)


def data_dir() -> Path:
    override = os.environ.get("WICS_DATA_DIR")
    return Path(override) if override else Path(_dirs().user_data_dir)


def log_dir() -> Path:
    override = os.environ.get("WICS_LOG_DIR")
    return Path(override) if override else Path(_dirs().user_log_dir)


def config_file() -> Path:
    return config_dir() / "config.ini"


def site_config_file() -> Path:
    return site_config_dir() / "config.ini"


def _parser() -> configparser.ConfigParser:
    # No interpolation: URL-encoded passwords contain '%' (p%40ss), which must stay as typed.
    return configparser.ConfigParser(interpolation=None)


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def embedded_url() -> str:
    return sqlite_url(data_dir() / "wics.sqlite")


def demo_url() -> str:
    return sqlite_url(data_dir() / "demo.sqlite")


def read_config_url(path: Path | None = None) -> str | None:
    path = config_file() if path is None else path
    if not path.is_file():
        return None
    parser = _parser()
    parser.read(path, encoding="utf-8-sig")  # Notepad on Windows may save UTF-8 with a BOM
    url = parser.get("database", "url", fallback="").strip()
    return url or None


def write_config_url(url: str) -> Path:
    from .secure_files import create_private_file, tighten

    path = config_file()
    create_private_file(path)  # owner-only: the URL may carry a database password
    tighten(path)
    parser = _parser()
    if path.is_file():
        parser.read(path, encoding="utf-8-sig")
    if not parser.has_section("database"):
        parser.add_section("database")
    parser.set("database", "url", url)
    with path.open("w", encoding="utf-8") as fh:
        parser.write(fh)
    return path


def resolve_url(cli_url: str | None = None) -> str:
    """The database URL by precedence: explicit, environment, user config, machine config,
    embedded file."""
    for candidate in (cli_url, os.environ.get(ENV_URL), read_config_url(),
                      read_config_url(site_config_file())):
        if candidate and candidate.strip():
            return candidate.strip()
    return embedded_url()
