"""Run one screen on its own: `python -m wics_desktop.ui.screens.count_entry [--db URL] [--role R]`.

Without --db the screen opens on a throwaway demo database (a temporary SQLite file, filled by
core.demo), signed in as the demo user of the role asked for. The quickest way to look at a
screen while building it.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path


def demo_database(materials: int = 2000, days: int = 20):
    """A temporary SQLite file with the demo data (a file, not :memory:, so workers share it)."""
    from ..core import schema
    from ..core.config import sqlite_url
    from ..core.db import Database

    folder = Path(tempfile.mkdtemp(prefix="wics-standalone-"))
    database = Database(sqlite_url(folder / "demo.sqlite"))
    schema.upgrade(database)
    from ..core import demo

    demo.generate(database, materials=materials, days=days, seed=1)
    return database


def signed_in(database, role: str):
    from ..core.actor import Actor
    from ..core.services import users

    with database.session() as s:
        info = users.get(s, role)
        if info is None:
            info = users.create_user(s, role, f"{role}-standalone", role=role,
                                     actor=Actor.system())
    return info


def run_screen(key: str, argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=f"WICS Desktop screen '{key}' on its own")
    parser.add_argument("--db", metavar="URL", help="database (default: a throwaway demo)")
    parser.add_argument("--role", default="admin",
                        choices=("viewer", "clerk", "supervisor", "admin"))
    args = parser.parse_args(argv)

    from ..core.db import Database
    from . import screen_registry
    from .app import create_application
    from .context import AppContext
    from .workers import TaskRunner

    database = Database(args.db) if args.db else demo_database()
    app = create_application()
    ctx = AppContext(database=database, user=signed_in(database, args.role),
                     runner=TaskRunner(database))
    screen = screen_registry.get(key).load()(ctx)
    screen.setWindowTitle(f"{screen.title} - {database.describe()}")
    screen.resize(1200, 720)
    screen.show()
    screen.focus_first()
    code = app.exec()
    ctx.runner.wait(5000)
    del app
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run_screen(sys.argv[1], sys.argv[2:]))
