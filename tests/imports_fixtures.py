"""Helpers for the import tests: reference data in the database and files written the way Excel
writes them (numbers as floats, dates as date cells or serials, numbers stored as text)."""
from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from wics_desktop.core.models import (
    ActualCount,
    CountSchedule,
    Material,
    Organization,
    SapPlant,
    SapStock,
)

MB52_HEADER = ["Material", "Plant", "Material description", "Material type", "Storage location",
               "Base Unit of Measure", "Unrestricted", "Currency", "Value Unrestricted",
               "Special Stock", "Blocked", "Value BlockedStock", "Vendor", "Batch"]


def setup_reference(db, materials: Iterable[tuple[str, str]] = (), plants=None) -> dict[str, int]:
    """Orgs L10 and L6, plants (1010 -> L10, FW61/FW62 -> L6) and (org, part) materials."""
    plants = plants or {"1010": "L10", "FW61": "L6", "FW62": "L6"}
    with db.session() as s:
        orgs = {}
        for name in ("L10", "L6"):
            org = Organization(name=name)
            s.add(org)
            s.flush()
            orgs[name] = org.id
        for plant, org in plants.items():
            s.add(SapPlant(plant=plant, org_id=orgs[org]))
        for org, part in materials:
            s.add(Material(org_id=orgs[org], part_number=part, description=f"desc {part}"))
    return orgs


def material_ids(db) -> dict[tuple[str, str], int]:
    with db.session() as s:
        rows = s.execute(select(Organization.name, Material.part_number, Material.id)
                         .join(Organization, Organization.id == Material.org_id)).all()
    return {(o, p): i for o, p, i in rows}


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], sheet: str = "Sheet1",
               extra_sheets: Sequence[str] = ()) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    for name in extra_sheets:
        wb.create_sheet(name).append(["something else"])
    wb.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> Path:
    with open(path, "w", newline="", encoding=encoding) as fh:
        csv.writer(fh).writerows([["" if v is None else v for v in r] for r in rows])
    return path


def write_xls(path: Path, rows: Sequence[Sequence[Any]], sheet: str = "Sheet1") -> Path:
    import pytest

    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook()
    ws = wb.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                ws.write(r, c, value, date_style)
            else:
                ws.write(r, c, value)
    wb.save(str(path))
    return path


def count_rows(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def sap_rows(db, day: dt.date | None = None) -> list[tuple]:
    with db.session() as s:
        stmt = select(SapStock.part_number, SapStock.storage_location, SapStock.amount,
                      SapStock.upload_date).order_by(SapStock.id)
        if day is not None:
            stmt = stmt.where(SapStock.upload_date == day)
        return [tuple(r) for r in s.execute(stmt)]


def audit_actions(db) -> list[str]:
    with db.session() as s:
        return list(s.scalars(text("SELECT action FROM audit_log ORDER BY id")))


def errors_by(result) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in result.errors]


__all__ = ["MB52_HEADER", "setup_reference", "material_ids", "write_xlsx", "write_csv",
           "write_xls", "count_rows", "sap_rows", "audit_actions", "errors_by", "ActualCount",
           "CountSchedule", "SapStock", "Material"]


# ---- the real WICS-3 export (../shared/data/wics3) -----------------------------------------

def read_csv_dicts(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def excel_part(part: str):
    """A part number as Excel keeps it after typing: all digits without a leading zero -> float."""
    return float(part) if part.isdigit() and not part.startswith("0") else part


def load_real_materials(db, shared_data: Path) -> dict[str, str]:
    """Materials of MaterialList.csv in org L10 (L6 gets a few of them too); oldID -> part."""
    rows = read_csv_dicts(shared_data / "MaterialList.csv")
    by_old = {r["oldID"]: r["Material"].strip() for r in rows}
    parts = sorted(set(by_old.values()))
    setup_reference(db, [("L10", p) for p in parts] + [("L6", p) for p in parts[:5]])
    return by_old


def real_counts_rows(shared_data: Path, by_old: dict[str, str]) -> list[list[Any]]:
    """Counts.csv as a supervisor's `Counts` sheet: real dates, parts as Excel keeps them,
    location-only rows where the expression is blank, '=' formulas kept as text by openpyxl."""
    header = ["CountDate", "Counter", "LOCATION", "org_id", "Material", "LocationOnly",
              "CTD_QTY_Expr", "Typ Cntner Qty", "Typ Plt Qty", "Notes", "PKGID_Desc", "TAGQTY",
              "Poss Not Rcvd", "Mvmt Dur Ct", "WICSignore"]
    out: list[list[Any]] = [header]
    for r in read_csv_dicts(shared_data / "Counts.csv"):
        month, day, year = (int(x) for x in r["CountDate"].split("/"))
        loc = r["BIN/LOC"].strip()
        if r["PLT/POS"].strip():
            loc = f"{loc}_{r['PLT/POS'].strip()}" if loc else r["PLT/POS"].strip()
        expr = r["CTD QTY Expr"].strip()
        qty: Any = float(expr) if expr.lstrip("-").isdigit() else expr
        out.append([dt.date(year, month, day), r["Counter"], loc or "UNKNOWN", "L10",
                    excel_part(by_old[r["MaterialID"]]), not expr, qty, None, None,
                    r["Notes"] or None, r["PKG ID/Desc"] or None, r["TAG QTY"] or None,
                    False, False, None])
    return out
