"""Logging to a rotating file in the user log folder (never to the console by default).

`configure()` is idempotent and cheap; the CLI and the desktop call it at start. Failing to
create the log folder (read-only profile) must not stop the program: logging then goes nowhere.
"""
from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from .config import log_dir

LOG_FILE_NAME = "wics.log"
_configured = False


def log_file() -> Path:
    return log_dir() / LOG_FILE_NAME


def configure(level: int = logging.INFO) -> Path | None:
    global _configured
    if _configured:
        return log_file()
    _configured = True
    logger = logging.getLogger("wics")
    logger.setLevel(level)
    try:
        path = log_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        logger.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    return path
