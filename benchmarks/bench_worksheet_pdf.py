"""Time count sheets to PDF: 500 scheduled materials, on SQLite and MariaDB.

    .venv/bin/python benchmarks/bench_worksheet_pdf.py [--materials 500] [--repeat 3]
        [--mysql-url mysql+pymysql://root@127.0.0.1:3306/] [--skip-mysql]

Builds a fresh database per backend (benchmarks/report_data.py: every material scheduled on one
date over five counters, counted, with SAP rows), then prints, best of --repeat, the seconds from
query to finished PDF file (what `wics report worksheet --pdf` does after start-up), split into
data and painting, with the page count and the ratio to the 5 s target. The system WICS Desktop
replaces needed 5.4 s for 300 materials of HTML on this machine.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from wics_desktop.core import schema
from wics_desktop.core.db import Database
from wics_desktop.core.reports import worksheet
from wics_desktop.ui.printing.output import ensure_gui_application, write_pdf
from wics_desktop.ui.printing.worksheet_doc import WorksheetDocument

from report_data import COUNT_DATE, fill
from throwaway_db import throwaway_mariadb

TARGET_S = 5.0
VARIANTS = {"by counter": dict(by="counter"), "by location": dict(by="location"),
            "by counter, blind": dict(by="counter", blind=True)}


def measure(database: Database, folder: Path, repeat: int):
    for name, kwargs in VARIANTS.items():
        best = (float("inf"), 0.0, 0.0, 0)
        for _ in range(repeat):
            start = time.perf_counter()
            with database.session() as s:
                sheet = worksheet.build(s, COUNT_DATE, **kwargs)
            data = time.perf_counter() - start
            layout = write_pdf(WorksheetDocument(sheet), folder / "sheets.pdf")
            total = time.perf_counter() - start
            if total < best[0]:
                best = (total, data, total - data, len(layout.pages))
        yield name, sheet.material_count, best


def run(label: str, database: Database, args, folder: Path) -> None:
    schema.upgrade(database)
    sizes = fill(database, args.materials, args.materials * 4)
    print(f"\n{label}: {sizes}")
    for name, materials, (total, data, paint, pages) in measure(database, folder, args.repeat):
        size_kb = (folder / "sheets.pdf").stat().st_size // 1024
        print(f"  {name:<18} {materials:4d} materials  {pages:4d} pages  {size_kb:5d} KB  "
              f"total {total:6.2f} s (data {data:5.2f} s, paint {paint:5.2f} s)  "
              f"{total / TARGET_S:4.2f} x target ({TARGET_S:.0f} s)")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--materials", type=int, default=500)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--mysql-url", default="mysql+pymysql://root@127.0.0.1:3306/")
    p.add_argument("--skip-mysql", action="store_true")
    args = p.parse_args()
    ensure_gui_application()

    with tempfile.TemporaryDirectory() as tmp:
        database = Database(f"sqlite:///{tmp}/bench.sqlite")
        try:
            run("SQLite", database, args, Path(tmp))
        finally:
            database.dispose()
        if args.skip_mysql:
            return 0
        with throwaway_mariadb(args.mysql_url, skip_if_unreachable=True) as url:
            if url is not None:
                database = Database(url)
                try:
                    run("MariaDB", database, args, Path(tmp))
                finally:
                    database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
