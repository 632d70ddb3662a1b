#!/usr/bin/env python3
"""Render every main screen of WICS Desktop to docs/screenshots/*.png (offscreen, no display).

    .venv/bin/python scripts/screenshots.py [--db URL] [--out docs/screenshots] [--size 1366x768]

Without --db it builds the demo database (core.demo) in a temporary folder, with "today"
pinned (WICS_TODAY, default 2026-11-20) so the pictures are the same on every run. It signs in
as the demo admin, types a count into Count Entry the way a clerk does (keystrokes, including a
mistyped quantity), and saves each screen as it looks in the main window.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", metavar="URL", help="database (default: a fresh demo database)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--size", default="1366x768", help="window size (a warehouse PC)")
    parser.add_argument("--today", default="2026-11-20", help="the date the pictures show")
    parser.add_argument("--materials", type=int, default=2000)
    args = parser.parse_args()
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("WICS_TODAY", args.today)
    work = Path(tempfile.mkdtemp(prefix="wics-shots-"))
    os.environ["WICS_CONFIG_DIR"] = str(work / "config")  # no saved layouts: defaults shown
    os.environ["WICS_LOG_DIR"] = str(work / "log")  # the Activity picture shows this run's jobs
    sys.path.insert(0, str(ROOT))

    from wics_desktop.core import schema
    from wics_desktop.core.config import sqlite_url
    from wics_desktop.core.db import Database

    if args.db:
        database = Database(args.db)
    else:
        from wics_desktop.core import demo

        database = Database(sqlite_url(work / "demo.sqlite"))
        schema.upgrade(database)
        demo.generate(database, materials=args.materials, days=30, seed=1)
    width, height = (int(v) for v in args.size.split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    shots = Shots(database, out, width, height)
    shots.run()
    print(f"{len(shots.saved)} screenshots in {out}")
    return 0


class Shots:
    def __init__(self, database, out: Path, width: int, height: int) -> None:
        from PySide6.QtCore import qInstallMessageHandler

        from wics_desktop.ui import errors
        from wics_desktop.ui.app import create_application

        qInstallMessageHandler(lambda *a: None)
        self.app = create_application()
        errors.collected = []
        self.database, self.out, self.size = database, out, (width, height)
        self.saved: list[Path] = []

    # ---- helpers ---------------------------------------------------------------------------
    def settle(self, widget=None, ms: int = 300) -> None:
        import time

        from PySide6.QtCore import QCoreApplication

        from wics_desktop.ui.tables.table_widget import QueryTableWidget

        end = time.monotonic() + ms / 1000
        while time.monotonic() < end or (widget is not None and any(
                t.model.loading for t in widget.findChildren(QueryTableWidget))):
            QCoreApplication.processEvents()
            time.sleep(0.01)
            if time.monotonic() > end + 20:
                break

    def save(self, widget, name: str) -> None:
        self.settle(widget)
        path = self.out / f"{name}.png"
        self.grab_with_popups(widget).save(str(path), "PNG", 0)  # 0: smallest lossless file
        self.saved.append(path)
        print("saved", path.name)

    @staticmethod
    def grab_with_popups(widget):
        """The window as a person sees it: open popups (type-ahead lists) painted on top."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QPainter
        from PySide6.QtWidgets import QApplication

        pixmap = widget.grab()
        painter = QPainter(pixmap)
        for top in QApplication.topLevelWidgets():
            if top.isVisible() and top.windowType() == Qt.WindowType.Popup:
                painter.drawPixmap(top.mapToGlobal(top.rect().topLeft())
                                   - widget.mapToGlobal(widget.rect().topLeft()), top.grab())
        painter.end()
        return pixmap

    def user(self, name: str):
        from wics_desktop.core.actor import Actor
        from wics_desktop.core.services import users

        with self.database.session() as s:
            info = users.get(s, name)
            if info is None:
                info = users.create_user(s, name, f"{name}-screenshot", role=name,
                                         actor=Actor.system())
        return info

    # ---- the pictures ----------------------------------------------------------------------
    def run(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        from wics_desktop.ui.login import LoginDialog
        from wics_desktop.ui.main_window import MainWindow

        login = LoginDialog(self.database)
        login.username.setText("clerk")
        login.password.setText("clerk")
        login.show()
        self.save(login, "01_login")
        login.close()

        window = MainWindow(self.database, self.user("admin"))
        window.resize(*self.size)
        window.show()
        self.settle(window, 500)

        ce = window.open_screen("count_entry")
        self.settle(window)
        mat = self._some_material()
        QTest.keyClicks(ce.material, mat.split(" ")[0][:3])
        self.settle(window, 600)
        self.save(window, "02_count_entry_type_ahead")
        ce.material.setText("")
        QTest.keyClicks(ce.material, mat)
        QTest.keyClick(ce.material, Qt.Key.Key_Return)
        self.settle(window, 500)
        found = ce.side.info.card.last_found_at if ce.side.info else []
        QTest.keyClicks(ce.location, found[0] if found else "HVC_RBFB_1-1")
        QTest.keyClick(ce.location, Qt.Key.Key_Return)
        QTest.keyClicks(ce.quantity.edit, "1080*4+791")
        self.settle(window, 500)
        self.save(window, "03_count_entry_live_quantity")
        QTest.keyClick(ce.quantity.edit, Qt.Key.Key_Return)
        self.settle(window, 600)
        self.save(window, "04_count_entry_saved")
        QTest.keyClick(ce.material, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        self.settle(window, 600)
        self.save(window, "04b_count_entry_undone")
        ce.material.clear_material()
        ce.quantity.set_text("")
        QTest.keyClicks(ce.material, mat)
        QTest.keyClick(ce.material, Qt.Key.Key_Return)
        QTest.keyClick(ce.location, Qt.Key.Key_Return)
        QTest.keyClicks(ce.quantity.edit, "48*12+*5")
        QTest.keyClick(ce.quantity.edit, Qt.Key.Key_Return)
        self.settle(window, 400)
        self.save(window, "05_count_entry_invalid_quantity")
        ce.material.clear_material()
        ce.quantity.set_text("")
        ce.new()

        for key, name in (("counts", "06_actual_counts"), ("materials", "08_materials"),
                          ("schedule", "10_count_schedule"), ("plan", "10b_count_plan"),
                          ("requests", "11_requests"),
                          ("mpns", "14_mpns"), ("locations", "15_locations"),
                          ("sap_stock", "16_sap_stock"), ("part_types", "17_part_types"),
                          ("users", "18_users"), ("menus", "19_menus"),
                          ("parameters", "20_parameters"), ("holidays", "21_holidays"),
                          ("organizations", "24_organizations"), ("sap_plants", "24b_sap_plants"),
                          ("units", "24c_units_of_measure")):
            window.open_screen(key)
            self.save(window, name)
        counts_screen = window.open_screen("counts")
        counts_screen.table.header.set_filter_text(
            counts_screen.table.spec.index_of("location"), "HVC")
        counts_screen.table.model.set_column_filter("location", "HVC")
        self.save(window, "07_actual_counts_filtered")

        se = window.open_screen("schedule_entry")
        QTest.keyClicks(se.material, mat)
        QTest.keyClick(se.material, Qt.Key.Key_Return)
        QTest.keyClicks(se.counter, "Chris")
        self.settle(window)
        self.save(window, "12_schedule_entry")
        self._duplicate_schedule(se, window)

        material_id = self._material_id(mat)
        ms = window.open_screen("material", material_id=material_id)
        self.save(window, "13_material_details")
        for index, name in ((1, "13b_material_count_history"), (3, "13c_material_counts_vs_sap"),
                            (4, "13d_material_sap_rows")):
            ms.tabs.setCurrentIndex(index)
            self.save(window, name)
        with_mpns = self._material_with("mpn") or material_id
        ms = window.open_screen("material", material_id=with_mpns)
        ms.tabs.setCurrentIndex(5)
        self.save(window, "13e_material_mpns")
        with_photo = self._material_with("photo") or material_id
        ms = window.open_screen("material", material_id=with_photo)
        ms.tabs.setCurrentIndex(6)
        self.save(window, "13f_material_photos")
        self.activity(window, mat)
        window.open_screen("audit")
        self.settle(window, 800)
        self.save(window, "25_audit_trail")
        sql = window.open_screen("run_sql")
        sql.run()
        self.settle(window, 800)
        self.save(window, "26_run_sql")
        window._closing = True
        window.close()
        window.runner.wait(20000)

        clerk = MainWindow(self.database, self.user("clerk"))
        clerk.resize(*self.size)
        clerk.show()
        clerk.open_screen("material", material_id=material_id)
        self.save(clerk, "22_clerk_material_read_only")
        self._clerk_schedule_read_only(clerk)
        clerk._closing = True
        clerk.close()
        clerk.runner.wait(20000)

    def _clerk_schedule_read_only(self, clerk) -> None:
        """A clerk opens a supervisor's schedule entry: read-only, the reason, no Save/Delete."""
        from sqlalchemy import select

        from wics_desktop.core.models import CountSchedule

        with self.database.session() as s:
            entry_id = s.scalar(select(CountSchedule.id).where(
                CountSchedule.requested_by_id.is_(None)).order_by(CountSchedule.id.desc()))
        if entry_id is not None:
            clerk.open_screen("request_entry", entry_id=entry_id)
            self.save(clerk, "22b_clerk_schedule_entry_read_only")

    def _duplicate_schedule(self, se, window) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from sqlalchemy import select

        from wics_desktop.core.models import CountSchedule
        from wics_desktop.core.services.material_lookup import display_name_of
        from wics_desktop.ui.screens.common import to_qdate

        with self.database.session() as s:
            row = s.scalars(select(CountSchedule).order_by(CountSchedule.count_date.desc())).first()
            if row is None:
                return
            name = display_name_of(s, row.material_id)
            day = row.count_date
        se.new()
        se.date.setDate(to_qdate(day))
        QTest.keyClicks(se.material, name)
        QTest.keyClick(se.material, Qt.Key.Key_Return)
        self.save(window, "12b_schedule_duplicate_refused")

    def activity(self, window, material: str) -> None:
        """A supervisor's morning in the task log: the nightly jobs run through `wics` (a SAP
        import refused as strict, the lenient one, count sheets as PDF, the summary in Excel),
        then the Activity screen that lists them."""
        import contextlib
        import datetime as dt
        import io

        from openpyxl import Workbook

        from wics_desktop import cli
        from wics_desktop.core import clock

        work = Path(os.environ["WICS_LOG_DIR"]).parent
        today = clock.today()
        url = self.database.url.render_as_string(hide_password=False)
        part = material.split(" ")[0]
        counts = work / "counts-night-shift.xlsx"
        wb = Workbook()
        ws = wb.active
        ws.title = "Counts"
        for row in (["CountDate", "Counter", "LOCATION", "Material", "CTD_QTY_Expr"],
                    [today, "Chris", "HVC_RBFB_1-1", part, "1080*4+791"],
                    [today, "Chris", "HVC_RBFB_1-2", part, "12 boxes"],
                    [today - dt.timedelta(days=1), "Alex", "D2", part, "48*12"]):
            ws.append(row)
        wb.save(counts)
        for args in (["import", "counts", str(counts), "--strict"],
                     ["import", "counts", str(counts), "--errors-xlsx",
                      str(work / "counts problems.xlsx")],
                     ["report", "worksheet", "--date", today.isoformat(), "--pdf",
                      str(work / f"count sheets {today}.pdf")],
                     ["report", "worksheet", "--date", today.isoformat(), "--by", "location",
                      "--blind", "--pdf", str(work / f"count sheets {today} walk order.pdf")],
                     ["report", "count-summary", "--date", today.isoformat(), "--xlsx",
                      str(work / f"count summary {today}.xlsx")]):
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()):
                cli.main(["--db", url, "--user", "supervisor", *args])
        window.open_screen("activity")
        self.save(window, "23_activity")
        dash = window.open_screen("dashboard")
        self.settle(window, 300)
        while not dash.is_ready():  # the charts load on a worker
            self.settle(window, 100)
        self.save(window, "24_dashboard")

    def _some_material(self) -> str:
        """A material scheduled today that already has counts today: the richest to show."""
        from sqlalchemy import and_, func, select

        from wics_desktop.core import clock
        from wics_desktop.core.models import ActualCount, CountSchedule
        from wics_desktop.core.services.material_lookup import display_name_of

        today = clock.today()
        with self.database.session() as s:
            mid = s.scalar(
                select(CountSchedule.material_id)
                .join(ActualCount, and_(ActualCount.material_id == CountSchedule.material_id,
                                        ActualCount.count_date == CountSchedule.count_date))
                .where(CountSchedule.count_date == today, CountSchedule.counter.is_not(None))
                .group_by(CountSchedule.material_id).order_by(func.count().desc()).limit(1))
            if mid is None:
                mid = s.scalar(select(ActualCount.material_id).group_by(ActualCount.material_id)
                               .order_by(func.count().desc()).limit(1))
            return display_name_of(s, mid)

    def _material_with(self, what: str) -> int | None:
        from sqlalchemy import select

        from wics_desktop.core.models import ManufacturerPartNumber, MaterialPhoto

        model = MaterialPhoto if what == "photo" else ManufacturerPartNumber
        with self.database.session() as s:
            return s.scalar(select(model.material_id).order_by(model.id).limit(1))

    def _material_id(self, name: str) -> int:
        from wics_desktop.core.services import materials

        with self.database.session() as s:
            return materials.resolve(s, name).id


if __name__ == "__main__":
    sys.exit(main())
