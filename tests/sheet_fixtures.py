"""A small warehouse for the printed-sheet tests, and helpers that read PDFs back:
text (pdftotext) and barcodes (pdftoppm at 300 dpi, then zbarimg)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from core_fixtures import D1, D2, count, material, org_id, sap, sched, setup_orgs

# Book quantities no other number on a sheet can look like: a blind sheet must show neither.
SAP_A = 987654
SAP_B = 246813

MATERIALS = ["07001541", "1115416 (L10)", "1115416 (L6)", "A-100", "B-200", "C-300", "D-400",
             "E-500", "LONG-1"]
LOCATIONS = ["D2", "HVC_RBFB_1-1", "R01-3", "Z-9"]


def build_world(db) -> dict:
    """Scheduled on D2: Chris 4 materials, Alex 3, unassigned 2; counts and SAP on D1."""
    with db.session() as s:
        setup_orgs(s)
        l10, l6 = org_id(s, "L10"), org_id(s, "L6")
        ids = {}
        for part in ("07001541", "1115416", "A-100", "B-200", "C-300", "D-400", "E-500"):
            ids[part] = material(s, part, description=f"Widget {part}",
                                 typical_container_qty="48/ctn", typical_pallet_qty="1080")
        ids["LONG-1"] = material(
            s, "LONG-1", description="A very long description that has to wrap over several "
            "lines on the count sheet because someone typed the whole catalogue text in it",
            notes="Fragile: count the cartons, do not open them")
        ids["1115416 (L6)"] = material(s, "1115416", org="L6", description="Shared part in L6")
        ids["1115416 (L10)"] = ids.pop("1115416")
        plan = {"A-100": "Chris", "B-200": "Chris", "07001541": "Chris", "LONG-1": "Chris",
                "1115416 (L10)": "Alex", "1115416 (L6)": "Alex", "E-500": "Alex",
                "C-300": None, "D-400": None}
        for name, counter in plan.items():
            sched(s, ids[name], counter=counter, priority="HOT" if name == "A-100" else None,
                  reason="Received Material" if name == "A-100" else None,
                  notes="check the dock" if name == "A-100" else None,
                  requestor="Pat" if name == "E-500" else None)
        count(s, ids["A-100"], D1, location="Z-9")
        count(s, ids["A-100"], D1, location="D2", location_only=True)
        count(s, ids["B-200"], D1, location="D2")
        for loc in ("D2", "HVC_RBFB_1-1", "R01-3"):
            count(s, ids["E-500"], D1, location=loc)
        count(s, ids["1115416 (L10)"], D1, location="HVC_RBFB_1-1")
        sap(s, ids["A-100"], l10, D1, SAP_A)
        sap(s, ids["B-200"], l10, D1, SAP_B)
        sap(s, ids["1115416 (L6)"], l6, D1, 5)
    return ids


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def decode_barcodes(pdf: Path, folder: Path, dpi: int = 300) -> list[list[str]]:
    """Every Code128 symbol zbar reads on each page, page by page."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf),
                    str(folder / "page")], check=True)
    pages = []
    for png in sorted(folder.glob("page-*.png")):
        run = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Scode128.enable",
                              str(png)], capture_output=True, text=True)
        assert run.returncode in (0, 4), run.stderr  # 4: no symbol on this page
        pages.append([line for line in run.stdout.splitlines() if line])
    return pages


def pdf_page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                         text=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def need_tools(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (poppler-utils, zbar-tools)")


__all__ = ["D1", "D2", "SAP_A", "SAP_B", "MATERIALS", "LOCATIONS", "build_world", "pdf_text",
           "decode_barcodes", "pdf_page_count", "need_tools"]
