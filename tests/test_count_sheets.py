"""Printed count sheets: every material on paper, blind sheets without a book quantity, barcodes
that scan back (300 dpi + zbar), blocks never split across pages, headless CLI --pdf."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections import Counter

import pytest

from wics_desktop.cli import main
from wics_desktop.core.reports import worksheet
from wics_desktop.core.reports.worksheet import Worksheet, WorksheetGroup, WorksheetMaterial

from sheet_fixtures import (
    D2,
    LOCATIONS,
    MATERIALS,
    SAP_A,
    SAP_B,
    build_world,
    decode_barcodes,
    need_tools,
    pdf_page_count,
    pdf_text,
)
from ui_fixtures import *  # noqa: F403 - qt_leak_guard, isolated settings


@pytest.fixture
def world(db):
    build_world(db)
    return db


def render(db, tmp_path, by="counter", blind=False, page_size="letter", name=None):
    from wics_desktop.ui.printing.output import write_pdf
    from wics_desktop.ui.printing.worksheet_doc import WorksheetDocument

    with db.session() as s:
        sheet = worksheet.build(s, D2, by=by, blind=blind)
    path = tmp_path / (name or f"sheets-{by}-{'blind' if blind else 'open'}.pdf")
    layout = write_pdf(WorksheetDocument(sheet), path, page_size)
    return path, layout, sheet


@pytest.mark.parametrize("by", ["counter", "location"])
def test_every_material_is_on_the_sheets(qapp, world, tmp_path, by):
    need_tools("pdftotext")
    path, layout, _ = render(world, tmp_path, by)
    text = pdf_text(path)
    for name in MATERIALS:
        assert name in text, name
    for heading in ("Count sheet: Chris", "Count sheet: Alex", "Count sheet: Unassigned"):
        assert heading in text
    assert "Count date Friday 2026-11-20" in text and "SAP date" in text
    assert f"{SAP_A:,}" in text and f"{SAP_B:,}" in text  # not blind: the book is printed
    assert "Counted by" in text and "QUANTITY (expression)" in text
    assert "Chris: materials to count (4)" in text
    # numbers agree with their nouns ("1 location", never "1 locations")
    assert not re.search(r"(?<![\d,])1 (materials|locations|pages)\b|these 1 ", text), text
    if by == "location":
        for loc in LOCATIONS:
            assert loc in text
        assert "Not found before" in text  # C-300, D-400 were never counted
    else:
        assert "Chris: where these materials were last found" in text
    assert pdf_page_count(path) == len(layout.pages)
    # every counter's section starts on a new page, counted from 1
    starts = [p.section_number for p in layout.pages]
    assert starts.count(1) == 3


@pytest.mark.parametrize("by", ["counter", "location"])
def test_blind_sheets_show_no_book_quantity(qapp, world, tmp_path, by):
    need_tools("pdftotext")
    path, _, _ = render(world, tmp_path, by, blind=True)
    text = pdf_text(path)
    for name in MATERIALS:
        assert name in text
    for book in (str(SAP_A), f"{SAP_A:,}", str(SAP_B), f"{SAP_B:,}"):
        assert book not in text
    assert "SAP" not in text  # no quantity, no label, no snapshot date
    assert "BLIND COUNT" in text


@pytest.mark.parametrize("by", ["counter", "location"])
def test_every_barcode_scans_back(qapp, world, tmp_path, by):
    need_tools("pdftoppm", "zbarimg")
    path, layout, sheet = render(world, tmp_path, by)
    pages = decode_barcodes(path, tmp_path / "png")
    assert len(pages) == len(layout.pages)
    # zbar reports a symbol once per image even when it is printed twice on the page, so
    # compare page by page what was read with what the layout put there
    for number, (read, page) in enumerate(zip(pages, layout.pages, strict=True), start=1):
        assert set(read) == set(page.barcodes), f"page {number}"
    printed = Counter(code for page in layout.pages for code in page.barcodes)
    if by == "counter":
        # one block and one list entry per material
        assert printed == Counter({name: 2 for name in MATERIALS})
    else:
        # per counter: a symbol per location block and per material row under it (materials
        # never counted get a full block), plus one per entry of the counter's material list
        from wics_desktop.ui.printing.worksheet_doc import WorksheetDocument

        expected = Counter()
        for _counter, walk in WorksheetDocument(sheet).counters():
            for location, materials in walk:
                if location is not None:
                    expected[location] += 1
                expected.update(m.material for m in materials)
        expected.update(MATERIALS)
        assert printed == expected
        assert set(LOCATIONS) <= {code for page in pages for code in page}


def test_a_block_never_splits(qapp, world, tmp_path):
    _, layout, _ = render(world, tmp_path, "counter")
    keys = [k for p in layout.pages for k in p.keys if k.startswith(("material:", "list-item:"))]
    assert len(keys) == 2 * len(MATERIALS)
    for key in set(keys):
        assert len(layout.pages_of(key)) == 1, key
    body = layout.style.height - layout.footer_height
    for page in layout.pages:
        top = layout.sections[page.section].header_height
        for placement in page.placements:
            bottom = top + placement.y + sum(u.height for u in placement.units)
            assert bottom <= body + 0.5, (placement.key, bottom, body)


def _synthetic_sheet(n: int, locations_each: int = 1) -> Worksheet:
    mats = [WorksheetMaterial(
        schedule_id=i, material_id=i, material=f"P-{i:04d}", org="L10",
        description=f"Part {i}", part_type="AST-A", counter="Chris", priority=None, reason=None,
        schedule_notes=None, material_notes=None, typical_container_qty=None,
        typical_pallet_qty=None, requestor=None, request_filled=None,
        last_count_date=dt.date(2026, 11, 1),
        last_found_at=[f"L{i:02d}-{k:02d}" for k in range(locations_each)], sap_qty=10)
        for i in range(n)]
    return Worksheet(D2, False, "counter", [WorksheetGroup(counter="Chris", materials=mats)],
                     {"L10": dt.date(2026, 11, 19)})


def test_many_blocks_fill_pages_without_splitting(qapp, tmp_path):
    from wics_desktop.ui.printing.output import write_pdf
    from wics_desktop.ui.printing.worksheet_doc import WorksheetDocument

    layout = write_pdf(WorksheetDocument(_synthetic_sheet(25)), tmp_path / "many.pdf")
    per_page = [sum(k.startswith("material:") for k in p.keys) for p in layout.pages]
    assert sum(per_page) == 25 and max(per_page) >= 2  # at least two blocks to a page
    assert all(len(layout.pages_of(f"material:Chris:P-{i:04d}")) == 1 for i in range(25))


def test_a_block_taller_than_a_page_continues_with_its_heading(qapp, tmp_path):
    need_tools("pdftotext")
    from wics_desktop.ui.printing.output import write_pdf
    from wics_desktop.ui.printing.worksheet_doc import WorksheetDocument

    path = tmp_path / "tall.pdf"
    layout = write_pdf(WorksheetDocument(_synthetic_sheet(1, locations_each=40)), path)
    pieces = layout.pages_of("material:Chris:P-0000")
    assert len(pieces) >= 2 and pieces == list(range(pieces[0], pieces[0] + len(pieces)))
    text = pdf_text(path)
    assert text.count("P-0000 (continued)") == len(pieces) - 1
    for k in range(40):
        assert f"L00-{k:02d}" in text  # nothing lost at the break


def test_no_counts_scheduled_prints_one_page(qapp, db, tmp_path):
    need_tools("pdftotext")
    path, layout, _ = render(db, tmp_path)
    assert len(layout.pages) == 1
    assert "No counts scheduled for Friday 2026-11-20" in pdf_text(path)


def test_paper_size_follows_the_choice(qapp, world, tmp_path):
    need_tools("pdfinfo")
    letter, lay_letter, _ = render(world, tmp_path, name="letter.pdf")
    a4, lay_a4, _ = render(world, tmp_path, page_size="a4", name="a4.pdf")

    def size(path):
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        return next(line for line in out.splitlines() if line.startswith("Page size"))

    assert "612 x 792" in size(letter) and "(A4)" in size(a4)
    assert lay_a4.style.height > lay_letter.style.height


def test_unencodable_text_prints_as_text(qapp, tmp_path):
    need_tools("pdftotext")
    from wics_desktop.ui.printing.output import write_pdf
    from wics_desktop.ui.printing.worksheet_doc import WorksheetDocument

    sheet = _synthetic_sheet(1)
    m = sheet.groups[0].materials[0]
    from dataclasses import replace

    sheet.groups[0].materials[0] = replace(m, material="ZÜRICH-Ω")
    path = tmp_path / "odd.pdf"
    write_pdf(WorksheetDocument(sheet), path)
    text = pdf_text(path)
    assert "ZÜRICH-Ω" in text and "no barcode" in text


# ---- command line ---------------------------------------------------------------------------

@pytest.fixture
def wics(world):
    url = world.url.render_as_string(hide_password=False)
    return lambda *args: main(["--db", url, *args])


def test_cli_worksheet_pdf(qapp, wics, tmp_path, capsys):
    need_tools("pdftotext")
    out = tmp_path / "out" / "sheets.pdf"
    assert wics("report", "worksheet", "--date", "2026-11-20", "--by", "location", "--blind",
                "--pdf", str(out)) == 0
    assert "wrote" in capsys.readouterr().err
    text = pdf_text(out)
    assert all(name in text for name in MATERIALS) and str(SAP_A) not in text
    assert not (tmp_path / "out" / "sheets.pdf.part").exists()


def test_cli_count_summary_pdf(qapp, wics, tmp_path):
    need_tools("pdftotext")
    out = tmp_path / "summary.pdf"
    assert wics("report", "count-summary", "--date", "2026-11-20", "--pdf", str(out),
                "--page-size", "a4") == 0
    text = pdf_text(out)
    assert "Count Summary: L10" in text and "Count Summary: L6" in text
    assert "Scheduled but Not Counted" in text and "A-100" in text


def test_cli_pdf_to_an_unwritable_place_is_rejected(qapp, wics, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = wics("report", "worksheet", "--date", "2026-11-20", "--pdf", str(blocker / "x.pdf"))
    assert code == 3


def test_cli_without_pdf_does_not_load_qt(world):
    url = world.url.render_as_string(hide_password=False)
    code = (
        "import sys\n"
        "from wics_desktop.cli import main\n"
        f"rc = main(['--db', {url!r}, 'report', 'worksheet', '--date', '2026-11-20', '--json'])\n"
        "assert rc == 0, rc\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
