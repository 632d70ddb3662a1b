"""`wics-desktop`: the desktop application's entry point.

Until the desktop issue lands this opens a plain main window that lists materials.
`--version` and `--self-test` need no display (the self-test runs offscreen).
"""
from __future__ import annotations

import argparse
import os
import sys

from .. import APP_NAME, __version__


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="wics-desktop", description=APP_NAME)
    p.add_argument("--version", action="version", version=f"wics-desktop {__version__}")
    p.add_argument("--db", metavar="URL", help="SQLAlchemy database URL")
    p.add_argument("--demo", action="store_true", help="open the embedded demo database")
    p.add_argument("--self-test", action="store_true",
                   help="start offscreen, open the main window on the database, exit 0 if it opened")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ..core import config, schema
    from ..core.db import Database

    url = config.demo_url() if args.demo else config.resolve_url(args.db)
    database = Database(url)
    if args.demo and not database.has_schema():
        from ..core import demo

        schema.upgrade(database)
        demo.generate(database, materials=1000, days=30, seed=1)
    elif database.dialect == "sqlite" and not database.has_schema():
        schema.upgrade(database)  # first start on the embedded file (fresh install): create it
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem
    from sqlalchemy import select

    from ..core.display import display_name_sql
    from ..core.models import Material, Organization

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from PySide6.QtGui import QIcon

    from ..resources import app_icon_files

    icon = QIcon()
    for path in app_icon_files():
        icon.addFile(str(path))
    app.setWindowIcon(icon)
    window = QMainWindow()
    window.setWindowTitle(f"{APP_NAME} {__version__} — {database.describe()}")
    table = QTableWidget(0, 2)
    table.setHorizontalHeaderLabels(["Material", "Description"])
    with database.session() as s:
        rows = s.execute(
            select(display_name_sql(), Material.description)
            .join(Organization, Organization.id == Material.org_id)
            .order_by(Material.part_number).limit(500)
        ).all()
    table.setRowCount(len(rows))
    for r, (name, desc) in enumerate(rows):
        table.setItem(r, 0, QTableWidgetItem(name))
        table.setItem(r, 1, QTableWidgetItem(desc))
    window.setCentralWidget(table)
    window.resize(900, 600)
    window.show()
    if args.self_test:
        app.processEvents()
        window.close()
        print(f"self-test ok: main window opened on {database.describe()} ({len(rows)} materials)")
        return 0
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
