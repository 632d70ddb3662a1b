"""Render every printed page type and every import-wizard page to PNG in docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/sheet_screenshots.py [--out docs/screenshots]

Builds a small warehouse in a temporary SQLite file (real part numbers and descriptions from
/work/shared/data/wics3/MaterialList.csv when present), then: count sheets by counter, by location
and blind, the count summary, a material list and the locations report as PDF pages (pdftoppm,
110 dpi), the report screens, and each page of the SAP, MM60 and counts wizards. Look at them.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
REAL = Path("/work/shared/data/wics3/MaterialList.csv")
D0 = dt.date(2026, 11, 19)  # SAP snapshot, earlier counts
D = dt.date(2026, 11, 20)  # the count date
os.environ.setdefault("WICS_TODAY", D.isoformat())
LOCS = ["HVC_RBFB_1-1", "HVC_RBFB_1-2", "SMC_A-04", "SMC_C2-C10", "868_IQC", "868_B-7"]


def parts(n: int) -> list[tuple[str, str]]:
    if REAL.exists():
        with open(REAL, newline="", encoding="utf-8", errors="replace") as fh:
            rows = [(r["Material"].strip(), r["Description"].strip()) for r in csv.DictReader(fh)]
        seen, out = set(), []
        for p, d in rows:
            if p and p not in seen:
                seen.add(p)
                out.append((p, d))
        return out[:n]
    return [(f"{100000 + i}", f"Part {i}, steel, zinc plated") for i in range(n)]


def build(db) -> None:
    from wics_desktop.core.actor import Actor
    from wics_desktop.core.models import SapStock
    from wics_desktop.core.services import counts, materials, orgs, part_types, schedule

    a = Actor(username="calvin", workstation="WS-1", role="admin")
    with db.session() as s:
        for name in ("L10", "L6"):
            orgs.add_org(s, a, name)
        l10 = orgs.find_org(s, "L10").id
        orgs.add_plant(s, a, "1010", "L10")
        orgs.add_plant(s, a, "FW61", "L6")
        for name, prio in (("AST-A", 210), ("AST-B", 1210), ("CN-B", 3100)):
            part_types.add_part_type(s, a, name, prio)
        ids = []
        for i, (part, desc) in enumerate(parts(24)):
            m = materials.create_material(s, a, materials.MaterialInput(
                org="L10", part_number=part, description=desc,
                part_type=("AST-A", "AST-B", "CN-B")[i % 3],
                typical_container_qty="48/ctn" if i % 2 else None,
                typical_pallet_qty="1,080" if i % 3 == 0 else None,
                notes="Fragile: count cartons, do not open" if i == 4 else None))
            ids.append((m.id, part))
        shared = materials.create_material(s, a, materials.MaterialInput(
            org="L6", part_number=ids[3][1], description="Same part number, L6 stock"))
        ids.append((shared.id, ids[3][1]))
        plan = ["Chris K", "Chris K", "Chris K", "Nate", "Nate", "Nate", "Ryan", "Ryan", None,
                None, "Chris K", "Nate", "Ryan", None]
        for k, counter in enumerate(plan):
            mid = ids[k][0] if k < 13 else ids[-1][0]
            schedule.add_entry(s, a, schedule.ScheduleInput(
                count_date=D, material_id=mid, counter=counter,
                priority="HOT" if k == 1 else None,
                reason=("Received Material", "Picked for Orders", "Verify Prev Count")[k % 3],
                notes="Check the dock first" if k == 2 else None,
                requestor="Jeremy" if k in (4, 9) else None))
        for k, (mid, _part) in enumerate(ids[:20]):
            if k % 5 == 4:
                continue  # never counted
            for j in range(1 + k % 3):
                counts.add_count(s, a, counts.CountInput(
                    count_date=D0 - dt.timedelta(days=k % 4), material_id=mid, counter="Calvin",
                    location=LOCS[(k + j) % len(LOCS)], expression=str(40 * (k + 1))))
            s.add(SapStock(upload_date=D0, org_id=l10, part_number=_part, material_id=mid,
                           amount=float(1000 + 37 * k), base_uom="EA", plant="1010",
                           storage_location="0001", value_unrestricted=12.5 * (k + 1),
                           currency="USD"))
        for k, (expr, who) in enumerate((("1080*4+791", "Chris K"), ("1040", "Chris K"),
                                         ("12*48+3", "Nate"), ("1111", "Nate"),
                                         ("0", "Ryan"))):
            counts.add_count(s, a, counts.CountInput(
                count_date=D, material_id=ids[k][0], counter=who, location=LOCS[k % 6],
                expression=expr, notes="2 pallets shrink-wrapped" if k == 0 else None,
                possibly_not_received=(k == 4)))


def pdf_pages(pdf: Path, out: Path, name: str, pages: list[int], dpi: int = 110) -> list[Path]:
    made = []
    for p in pages:
        target = out / f"{name}-p{p}"
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(p),
                        "-l", str(p), str(pdf), str(target)], check=True)
        made.append(target.with_suffix(".png"))
    return made


def wait(app, cond, seconds: float = 20) -> None:
    end = time.monotonic() + seconds
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError("screen did not get ready")
        app.processEvents()
        time.sleep(0.01)
    for _ in range(10):
        app.processEvents()


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = p.parse_args()
    out = args.out
    out.mkdir(parents=True, exist_ok=True)

    from wics_desktop.core import schema
    from wics_desktop.core.db import Database
    from wics_desktop.core.reports import count_summary, locations, material_lists, worksheet
    from wics_desktop.ui.app import create_application
    from wics_desktop.ui.context import AppContext
    from wics_desktop.ui.printing.output import write_pdf
    from wics_desktop.ui.printing.report_docs import LocationsDocument, MaterialListDocument
    from wics_desktop.ui.printing.summary_doc import CountSummaryDocument
    from wics_desktop.ui.printing.worksheet_doc import WorksheetDocument
    from wics_desktop.ui.standalone import signed_in
    from wics_desktop.ui.workers import TaskRunner

    tmp = Path(tempfile.mkdtemp(prefix="wics-shots-"))
    db = Database(f"sqlite:///{tmp}/shots.sqlite")
    schema.upgrade(db)
    build(db)
    app = create_application()
    made: list[Path] = []

    # ---- printed pages ----------------------------------------------------------------------
    with db.session() as s:
        docs = {
            "sheet-by-counter": WorksheetDocument(worksheet.build(s, D)),
            "sheet-by-location": WorksheetDocument(worksheet.build(s, D, by="location")),
            "sheet-blind": WorksheetDocument(worksheet.build(s, D, blind=True)),
            "count-summary": CountSummaryDocument(count_summary.build(s, D)),
            "material-list": MaterialListDocument(material_lists.build(s, "part-type", as_of=D)),
            "locations-report": LocationsDocument(locations.build(s, as_of=D)),
        }
        empty = WorksheetDocument(worksheet.build(s, D + dt.timedelta(days=30)))
    for name, doc in docs.items():
        pdf = tmp / f"{name}.pdf"
        layout = write_pdf(doc, pdf)
        keys = [page.keys for page in layout.pages]
        if name == "sheet-by-counter":  # first sheet, the material list, the locations list
            lists = next(i for i, k in enumerate(keys)
                         if any(x.startswith("materials-list") for x in k))
            want = [1, lists + 1, min(lists + 2, len(keys))]
        elif name == "locations-report":
            want = [1, len(keys)]
        else:
            want = [1]
        made += pdf_pages(pdf, out, f"print-{name}", sorted(set(want)))
    write_pdf(empty, tmp / "empty.pdf")
    made += pdf_pages(tmp / "empty.pdf", out, "print-sheet-nothing-scheduled", [1])

    # ---- screens ----------------------------------------------------------------------------
    ctx = AppContext(database=db, user=signed_in(db, "supervisor"), runner=TaskRunner(db),
                     workstation="WS-1")
    from wics_desktop.ui.screens.count_sheets import CountSheetsScreen
    from wics_desktop.ui.screens.count_summary import CountSummaryScreen
    from wics_desktop.ui.screens.report_lists import LocationsReportScreen, MaterialListsScreen

    for name, cls, kw in (("count-summary", CountSummaryScreen, {"count_date": D}),
                          ("count-sheets", CountSheetsScreen, {"count_date": D}),
                          ("material-lists", MaterialListsScreen, {}),
                          ("locations-report", LocationsReportScreen, {})):
        screen = cls(ctx, **kw)
        screen.resize(1280, 780)
        screen.show()
        wait(app, screen.is_ready)
        if name == "count-summary":
            index = screen.proxy.index
            screen.tree.expand(index(0, 0, index(0, 0, index(0, 0))))
        path = out / f"screen-{name}.png"
        screen.grab().save(str(path))
        made.append(path)
        screen.close()

    made += wizard_shots(app, ctx, db, tmp, out)
    ctx.runner.wait(10000)
    print("\n".join(str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in made))
    return 0


def wizard_shots(app, ctx, db, tmp: Path, out: Path) -> list[Path]:
    from openpyxl import Workbook

    from wics_desktop.ui.wizards.import_wizard import (
        CHECK,
        COLUMNS,
        CONFIRM,
        RESULT,
        CountsImportScreen,
        Mm60ImportScreen,
        SapSohImportScreen,
    )

    def xlsx(path: Path, rows, sheet="Sheet1") -> Path:
        wb = Workbook()
        ws = wb.active
        ws.title = sheet
        for r in rows:
            ws.append(r)
        wb.save(path)
        return path

    real = [p for p, _d in parts(24)]
    made = []

    def shot(screen, name):
        for _ in range(10):
            app.processEvents()
        path = out / f"wizard-{name}.png"
        screen.grab().save(str(path))
        made.append(path)

    def go(wizard, page_id):
        wizard.next()
        wait(app, lambda: wizard.currentId() == page_id)
        return wizard.currentPage()

    # SAP stock on hand: an unrecognised header, two bad rows, a date that replaces an upload
    sap = xlsx(tmp / "MB52 export.xlsx", [["Mat. No.", "Plant", "Material description",
                                          "Storage location", "Unrestricted",
                                          "Base Unit of Measure"]]
               + [[p, "1010", "", "0001", 100 + i, "EA"] for i, p in enumerate(real[:12])]
               + [["99-NOT-IN-WICS", "1010", "", "0001", 5, "EA"],
                  [real[0], "1010", "", "0002", "lots", "EA"]])
    screen = SapSohImportScreen(ctx)
    screen.resize(1100, 720)
    screen.show()
    w = screen.wizard
    w.currentPage().path.setText(str(sap))
    shot(screen, "sap-1-file")
    cols = go(w, COLUMNS)
    wait(app, lambda: cols.preview is not None)
    shot(screen, "sap-2-columns-unrecognised")
    j = cols.preview.header_cells.index("Mat. No.")
    cols.combos[j].setCurrentIndex(cols.combos[j].findData("part_number"))
    shot(screen, "sap-3-columns-fixed")
    check = go(w, CHECK)
    wait(app, check.isComplete)
    shot(screen, "sap-4-check-problems")
    confirm = go(w, CONFIRM)
    confirm.date.setDate(confirm.date.date().addDays(-1))
    shot(screen, "sap-5-confirm-replaces")
    go(w, RESULT)
    shot(screen, "sap-6-result")
    screen.close()

    # MM60: the plan
    mm60 = xlsx(tmp / "MM60.xlsx", [["Material", "Plant", "Material description", "Material type",
                                     "Price", "Price unit"]]
                + [[p, "1010", f"{p} (SAP text)" if i < 3 else "", "ZROH", 10 + i, 1]
                   for i, p in enumerate(real[:18])]
                + [["NEW-0001", "1010", "New part from SAP", "ZROH", 4.5, 1],
                   ["BAD\u00a0PART", "1010", "nbsp", "ZROH", 1, 1]])
    screen = Mm60ImportScreen(ctx)
    screen.resize(1100, 720)
    screen.show()
    w = screen.wizard
    w.currentPage().path.setText(str(mm60))
    cols = go(w, COLUMNS)
    wait(app, cols.isComplete)
    check = go(w, CHECK)
    wait(app, check.isComplete)
    shot(screen, "mm60-1-check")
    confirm = go(w, CONFIRM)
    wait(app, lambda: confirm.plan.ready)
    confirm.plan.boxes["Description"].setChecked(True)
    wait(app, lambda: confirm.plan.ready)
    confirm.plan.tabs.setCurrentIndex(2)
    shot(screen, "mm60-2-plan")
    go(w, RESULT)
    shot(screen, "mm60-3-result")
    screen.close()

    # Counts: cancelled run
    rows = [["CountDate", "Counter", "LOCATION", "Material", "CTD_QTY_Expr"]] + [
        [D, "Nate", LOCS[i % 6], real[i % 12], f"{i}*48+1"] for i in range(3000)]
    counts_file = xlsx(tmp / "Counts upload.xlsx", rows, sheet="Counts")
    screen = CountsImportScreen(ctx)
    screen.resize(1100, 720)
    screen.show()
    w = screen.wizard
    w.currentPage().path.setText(str(counts_file))
    cols = go(w, COLUMNS)
    wait(app, cols.isComplete)
    shot(screen, "counts-1-columns")
    check = go(w, CHECK)
    wait(app, check.isComplete)
    go(w, CONFIRM)
    shot(screen, "counts-2-confirm")
    w.next()
    w.currentPage().cancel_run()
    wait(app, lambda: w.currentId() == RESULT)
    shot(screen, "counts-3-cancelled")
    screen.close()
    return made


if __name__ == "__main__":
    sys.exit(main())
