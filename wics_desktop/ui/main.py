"""`wics-desktop`: the desktop application's entry point.

    wics-desktop [--db URL] [--demo]     the application; --demo opens the embedded demo database
    wics-desktop --version               prints the version; imports no Qt, needs no display
    wics-desktop --self-test [--db URL]  offscreen: opens the main window and every main screen
                                         on that database; exit 0 only if all opened cleanly

Nothing from Qt is imported at module level, so --version and --help work on a machine
without a display (or without Qt's system libraries).
"""
from __future__ import annotations

import argparse
import os
import sys

from .. import APP_NAME, __version__


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="wics-desktop", description=APP_NAME)
    p.add_argument("--version", action="version", version=f"wics-desktop {__version__}")
    p.add_argument("--db", metavar="URL", help="SQLAlchemy database URL (default: "
                   "WICS_DATABASE_URL, the config file, else the embedded SQLite file)")
    p.add_argument("--demo", action="store_true",
                   help="open the embedded demo database (created with demo data on first use)")
    p.add_argument("--self-test", action="store_true",
                   help="start offscreen, open the main window and every main screen on the "
                        "database, exit 0 only if all opened cleanly")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.demo and args.db:
        parser.error("use --demo or --db URL, not both")
    from ..core import config

    url = config.demo_url() if args.demo else config.resolve_url(args.db)
    if args.self_test:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from .self_test import run_self_test

        return run_self_test(url, demo=args.demo)
    from .app import run

    return run(url, demo=args.demo)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
