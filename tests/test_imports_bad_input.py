"""Hostile and mistaken input never becomes bad data or a crash (issue 14, items 1, 2 and 7):
far-off cells, files beyond the limits, Excel error cells, formulas without a value, extreme
numbers and dates, control characters, unbalanced CSV quotes; the same limits for `wics count
add` and the services behind the forms; a quantity starting with '-' and tiny quantities."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wics_desktop import cli
from wics_desktop.core import clock
from wics_desktop.core.actor import Actor
from wics_desktop.core.errors import InputRejected
from wics_desktop.core.expressions import format_quantity
from wics_desktop.core.imports import bounds
from wics_desktop.core.imports.counts import import_counts
from wics_desktop.core.imports.reader import inspect_sheet
from wics_desktop.core.imports.result import ImportRejected
from wics_desktop.core.imports.sap_soh import FIELDS as SAP_FIELDS
from wics_desktop.core.imports.sap_soh import import_sap_soh
from wics_desktop.core.imports.schedule import import_schedule
from wics_desktop.core.services import counts as count_service

from core_fixtures import ensure_user, password_env
from crafted_workbooks import write_with_far_cell
from imports_fixtures import (
    MB52_HEADER,
    ActualCount,
    CountSchedule,
    SapStock,
    count_rows,
    errors_by,
    setup_reference,
    write_csv,
    write_xlsx,
)

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.date(2026, 11, 20)
COUNTS_HEADER = ["CountDate", "Counter", "LOCATION", "Material", "CTD_QTY_Expr", "Notes"]
ERRORS = ["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NUM!", "#NAME?", "#NULL!"]


def mb52_row(part, amount, value=1.5):
    return [part, "1010", "desc", "ZROH", "0001", "EA", amount, "USD", value, None, 0.0, 0.0,
            None, None]


@pytest.fixture
def ref(db):
    return setup_reference(db, [("L10", "A-100"), ("L10", "B-200"), ("L10", "C-300")])


def url_of(db) -> str:
    return db.url.render_as_string(hide_password=False)


def wics(db, *args, capsys):
    capsys.readouterr()
    ensure_user(db, "sup1", "supervisor")
    with password_env():
        code = cli.main(["--db", url_of(db), "--user", "sup1", *args])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if "--json" in args and out.strip() else None), err


def _limited(memory_mb: int):
    def limit():
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
    return limit


def run_limited(argv: list[str], memory_mb: int = 1024) -> subprocess.CompletedProcess:
    """A child process whose address space is capped: a reader that allocates for the declared
    or farthest extent instead of the cells present dies there (abort or MemoryError)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, *argv], capture_output=True, text=True, env=env,
                          preexec_fn=_limited(memory_mb), timeout=600)


# ---- 1. far-off cells, sizes ------------------------------------------------------------------

@pytest.mark.parametrize("far", ["XFD1048576", "Z1048576"])
def test_a_far_off_empty_cell_neither_crashes_nor_costs_gigabytes(db, ref, tmp_path, far):
    """5 KB workbooks: one empty text cell at XFD1048576 made calamine ask for 512 GiB (abort,
    exit 134), at Z1048576 for 1.2 GB. Capped at 1 GB, the import runs and writes the rows."""
    path = write_with_far_cell(tmp_path / "far.xlsx", [MB52_HEADER, mb52_row("A-100", 5.0),
                                                      mb52_row("B-200", 7.0)], far)
    assert path.stat().st_size < 10_000
    proc = run_limited(["-m", "wics_desktop", "--db", url_of(db), "import", "sap-soh",
                        str(path), "--date", DAY.isoformat(), "--json"])
    assert proc.returncode == 0, proc.stderr[-2000:]
    doc = json.loads(proc.stdout)
    assert doc["rows_added"] == 2 and doc["errors"] == []
    assert count_rows(db, SapStock) == 2


def test_the_wizard_preview_of_a_far_off_cell_stays_small(tmp_path):
    """The import wizard previews with the same reader, inside the desktop process."""
    path = write_with_far_cell(tmp_path / "far.xlsx", [MB52_HEADER, mb52_row("A-100", 5.0)],
                               "XFD1048576")
    code = ("import sys; from wics_desktop.core.imports.reader import inspect_sheet;"
            "from wics_desktop.core.imports.sap_soh import FIELDS;"
            f"p = inspect_sheet({str(path)!r}, FIELDS);"
            "print(p.header_row, p.rows[0][0], p.data_rows)")
    proc = run_limited(["-c", code], memory_mb=1024)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["1", "A-100", "1048575"]


def test_far_off_cells_with_values_are_read_where_they_are(db, ref, tmp_path):
    """A real value in row 70,000 of a sheet whose other rows sit at the top: the row is
    imported with its Excel row number (read row by row, not as one dense block)."""
    from crafted_workbooks import inject_cells

    path = write_xlsx(tmp_path / "gap.xlsx", [MB52_HEADER, mb52_row("A-100", 5.0)])
    inject_cells(path, '<row r="70000"><c r="A70000" t="inlineStr"><is><t>NOPE</t></is></c>'
                       '<c r="B70000" t="inlineStr"><is><t>1010</t></is></c>'
                       '<c r="XFD70000"><v>1</v></c></row>')
    with db.session() as s:
        result = import_sap_soh(s, path, DAY, actor=Actor("t", "w", role="admin"))
    assert result.rows_added == 1 and errors_by(result) == [(70000, "Material")]


def test_shared_strings_are_read_right_when_read_row_by_row(db, ref, tmp_path):
    """Excel keeps texts in a shared table; a far-off cell sends the sheet down the row-by-row
    path, which must resolve them too. A long text used by every cell (calamine copies it into
    each) goes the same way."""
    from crafted_workbooks import write_raw_xlsx

    shared = [*MB52_HEADER, "A-100", "1010", "x" * 30_000]
    index = {text: i for i, text in enumerate(shared)}

    def cell(ref, value):
        if isinstance(value, str):
            return f'<c r="{ref}" t="s"><v>{index[value]}</v></c>'
        return f'<c r="{ref}"><v>{value}</v></c>'
    header = '<row r="1">' + "".join(cell(f"{chr(65 + j)}1", h)
                                     for j, h in enumerate(MB52_HEADER)) + "</row>"
    rows = [header, f'<row r="2">{cell("A2", "A-100")}{cell("B2", "1010")}{cell("G2", 5)}</row>',
            '<row r="1048576"><c r="XFD1048576" t="s"><v>0</v></c></row>']
    path = write_raw_xlsx(tmp_path / "shared.xlsx", rows, shared=shared)
    with db.session() as s:
        result = import_sap_soh(s, path, DAY, actor=Actor("t", "w", role="admin"))
    assert result.rows_added == 1 and result.errors == []
    copies = [header] + [f'<row r="{n}">{cell(f"A{n}", "A-100")}{cell(f"B{n}", "1010")}'
                         f'{cell(f"O{n}", "x" * 30_000)}</row>' for n in range(2, 6002)]
    path = write_raw_xlsx(tmp_path / "copies.xlsx", copies, shared=shared)
    assert bounds.scan_xlsx(path, "Sheet1", 30_010).dense_ok is False
    with db.session() as s:
        result = import_sap_soh(s, path, dt.date(2026, 11, 21), actor=Actor("t", "w", role="admin"))
    assert result.rows_added == 6000 and result.errors[:1] == []


def test_an_ods_file_repeating_a_cell_a_million_times_is_refused(db, ref, tmp_path):
    """2 KB of XML asking calamine for 27 million cells (1.7 GB as it opened the file)."""
    from crafted_workbooks import write_ods_with_repeats

    path = write_ods_with_repeats(tmp_path / "repeats.ods", 1_048_575, 26)
    proc = run_limited(["-m", "wics_desktop", "--db", url_of(db), "import", "sap-soh",
                        str(path), "--date", DAY.isoformat(), "--json"])
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "WICS imports at most 3,000,000" in json.loads(proc.stdout)["error"]
    small = write_ods_with_repeats(tmp_path / "small.ods", 3, 2)
    preview = inspect_sheet(small, SAP_FIELDS)
    assert preview.data_rows == 3 and preview.rows[0] == [1.0, 1.0]


def test_a_file_beyond_the_limits_is_refused_with_exit_3(db, ref, tmp_path, capsys,
                                                         monkeypatch):
    path = write_xlsx(tmp_path / "many.xlsx", [MB52_HEADER] + [mb52_row("A-100", 1.0)] * 20)
    monkeypatch.setattr(bounds, "MAX_CELLS", 100)
    code, doc, err = wics(db, "import", "sap-soh", str(path), "--date", DAY.isoformat(),
                          "--json", capsys=capsys)
    assert code == 3 and doc["written"] is False
    assert "more than 100 filled cells" in doc["error"] and "Traceback" not in err
    monkeypatch.setattr(bounds, "MAX_CELLS", 3_000_000)
    monkeypatch.setattr(bounds, "MAX_FILE_BYTES", 1000)
    code, doc, _ = wics(db, "import", "sap-soh", str(path), "--date", DAY.isoformat(), "--json",
                        capsys=capsys)
    assert code == 3 and "WICS imports files of at most" in doc["error"]
    assert count_rows(db, SapStock) == 0


def test_a_csv_line_wider_than_excel_is_refused(db, ref, tmp_path, capsys):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(MB52_HEADER) + "\nA-100,1010" + "," * 20_000 + "\n")
    code, doc, _ = wics(db, "import", "sap-soh", str(path), "--date", DAY.isoformat(), "--json",
                        capsys=capsys)
    assert code == 3 and "Line 2" in doc["error"] and "16,384 columns" in doc["error"]


# ---- 2. error cells, extreme values ------------------------------------------------------------

def test_excel_error_cells_and_formulas_without_value_are_row_errors(db, ref, tmp_path,
                                                                      capsys):
    """Today each of these became 0 stock; now each is a row error naming row and column, in
    lenient mode (the good row is written) and with --strict (nothing is written)."""
    rows = [MB52_HEADER, mb52_row("A-100", 5.0)]
    rows += [mb52_row("B-200", code) for code in ERRORS]  # openpyxl writes them as error cells
    rows += [mb52_row("C-300", "=Z1*2")]  # a formula, saved without a calculated value
    path = write_xlsx(tmp_path / "errors.xlsx", rows)
    code, doc, err = wics(db, "import", "sap-soh", str(path), "--date", DAY.isoformat(),
                          "--json", capsys=capsys)
    assert code == 0, err
    assert doc["rows_added"] == 1 and doc["rows_read"] == 9
    found = {(e["row"], e["column"]): e for e in doc["errors"]}
    assert sorted(found) == [(r, "Unrestricted") for r in range(3, 11)]
    for r, error in zip(range(3, 10), ERRORS, strict=True):
        assert error in found[(r, "Unrestricted")]["message"]
    assert "formula without a stored value" in found[(10, "Unrestricted")]["message"]
    code, doc, _ = wics(db, "import", "sap-soh", str(path), "--date", "2026-11-21", "--strict",
                        "--json", capsys=capsys)
    assert code == 3 and doc["written"] is False and len(doc["errors"]) == 8
    assert count_rows(db, SapStock) == 1  # the first import's good row only


def test_error_cells_in_counts_are_row_errors_not_ignored_rows(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "counts.xlsx", [
        COUNTS_HEADER,
        [DAY, "Chris", "D2", "A-100", "=1080*4+791", None],  # plain arithmetic: WICS works it out
        [DAY, "Chris", "D2", "B-200", "#N/A", None],
        [DAY, "Chris", "D2", "#REF!", "5", None],
        ["#VALUE!", "Chris", "D2", "C-300", "5", None],
        [DAY, "Chris", "D2", "C-300", "=E2*2", None],  # refers to a cell, no stored value
    ], sheet="Counts")
    with db.session() as s:
        result = import_counts(s, path, actor=Actor("t", "w", role="admin"))
    assert result.rows_added == 1 and result.rows_ignored == 0
    assert errors_by(result) == [(3, "CTD_QTY_Expr"), (4, "Material"), (5, "CountDate"),
                                 (6, "CTD_QTY_Expr")]


def test_an_error_cell_in_mm60_rejects_the_row_but_keeps_its_material(db, ref, tmp_path):
    from wics_desktop.core.imports.mm60 import import_mm60

    path = write_xlsx(tmp_path / "mm60.xlsx", [["Material", "Plant", "Price"],
                                               ["A-100", "1010", 2.5], ["B-200", "1010", "#N/A"]])
    with db.session() as s:
        result = import_mm60(s, path, update=["Price"], allow_mass_removal=True,
                             actor=Actor("t", "w", role="admin"))
    assert errors_by(result) == [(3, "Price")] and "#N/A" in result.errors[0].message
    assert result.removed == ["C-300"]  # B-200 is in the file: never removed


def test_error_text_in_a_csv_is_an_error_too(db, ref, tmp_path):
    path = write_csv(tmp_path / "mb52.csv", [MB52_HEADER, mb52_row("A-100", "#N/A"),
                                             mb52_row("B-200", "4")])
    with db.session() as s:
        result = import_sap_soh(s, path, DAY, actor=Actor("t", "w", role="admin"))
    assert result.rows_added == 1 and "#N/A" in result.errors[0].message
    assert errors_by(result) == [(2, "Unrestricted")]


def test_numbers_beyond_1e12_infinity_and_nan_are_row_errors(db, ref, tmp_path, capsys):
    """Two SAP rows of 1e308 used to make every report of that date fail (DOUBLE out of
    range)."""
    path = write_xlsx(tmp_path / "big.xlsx", [
        MB52_HEADER, mb52_row("A-100", 1e308), mb52_row("B-200", 1e308),
        mb52_row("C-300", 5.0, value=-2e12), mb52_row("A-100", 1e12)])
    with db.session() as s:
        result = import_sap_soh(s, path, DAY, actor=Actor("t", "w", role="admin"))
    assert errors_by(result) == [(2, "Unrestricted"), (3, "Unrestricted"),
                                 (4, "Value Unrestricted")]
    assert "1e12" in result.errors[0].message and result.rows_added == 1
    code, doc, err = wics(db, "report", "count-summary", "--date", DAY.isoformat(), "--json",
                          capsys=capsys)
    assert code == 0, err
    csv_path = write_csv(tmp_path / "nan.csv", [MB52_HEADER, mb52_row("A-100", "nan"),
                                                mb52_row("B-200", "inf")])
    with db.session() as s:
        with pytest.raises(ImportRejected) as caught:
            import_sap_soh(s, csv_path, DAY, actor=Actor("t", "w", role="admin"))
    assert errors_by(caught.value.result) == [(2, "Unrestricted"), (3, "Unrestricted")]


def test_counts_quantity_beyond_1e12_is_a_row_error(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [COUNTS_HEADER,
                                            [DAY, "Chris", "D2", "A-100", "1000000000*1001", None],
                                            [DAY, "Chris", "D2", "B-200", "1000000000*1000", None]],
                      sheet="Counts")
    with db.session() as s:
        result = import_counts(s, path, actor=Actor("t", "w", role="admin"))
    assert errors_by(result) == [(2, "CTD_QTY_Expr")] and result.rows_added == 1


@pytest.mark.parametrize("bad", ["0001-01-01", "9999-12-31", "1989-12-31", "far-ahead"])
def test_dates_before_1990_or_over_two_years_ahead_are_row_errors(db, ref, tmp_path, bad):
    if bad == "far-ahead":
        today = clock.today()
        bad = (today.replace(year=today.year + 2) + dt.timedelta(days=1)).isoformat()
    path = write_csv(tmp_path / "c.csv", [COUNTS_HEADER, [bad, "Chris", "D2", "A-100", "5", ""],
                                          ["1990-01-01", "Chris", "D2", "B-200", "5", ""]])
    with db.session() as s:
        result = import_counts(s, path, actor=Actor("t", "w", role="admin"))
    assert errors_by(result) == [(2, "CountDate")] and "out of range" in result.errors[0].message
    schedule = write_csv(tmp_path / "s.csv", [["Material", "CountDate"], ["A-100", bad],
                                              ["B-200", DAY.isoformat()]])
    with db.session() as s:
        result = import_schedule(s, schedule, actor=Actor("t", "w", role="admin"))
    assert errors_by(result) == [(2, "CountDate")]
    assert count_rows(db, ActualCount) == 1 and count_rows(db, CountSchedule) == 1


def test_control_characters_are_row_errors_except_tab_and_newline_in_notes(db, ref, tmp_path):
    path = write_csv(tmp_path / "c.csv", [
        COUNTS_HEADER,
        [DAY.isoformat(), "Chr\x00is", "D2", "A-100", "5", ""],
        [DAY.isoformat(), "Chris", "D\x1b2", "A-100", "5", ""],
        [DAY.isoformat(), "Chris", "D2", "B-200", "5", "two\tcolumns\nand a line"],
        [DAY.isoformat(), "Chris", "D2", "C-300", "5", "bell\x07"],
    ])
    with db.session() as s:
        result = import_counts(s, path, actor=Actor("t", "w", role="admin"))
    assert errors_by(result) == [(2, "Counter"), (3, "LOCATION"), (5, "Notes")]
    assert "NUL" in result.errors[0].message
    assert result.rows_added == 1
    sap = write_csv(tmp_path / "s.csv", [MB52_HEADER, ["A-100", "1010", "desc\x00", "ZROH",
                                                        "0001", "EA", "5", "USD", "1", "", "0",
                                                        "0", "", ""]])
    with db.session() as s:
        with pytest.raises(ImportRejected) as caught:
            import_sap_soh(s, sap, DAY, actor=Actor("t", "w", role="admin"))
    assert errors_by(caught.value.result) == [(2, "Material description")]


def test_an_unbalanced_csv_quote_is_refused_naming_its_line(db, ref, tmp_path, capsys):
    """Today: exit 0, every row after the quote read as one value and 'ignored'."""
    path = tmp_path / "quote.csv"
    path.write_text(",".join(MB52_HEADER) + "\n"
                    "A-100,1010,desc,ZROH,0001,EA,5,USD,1,,0,0,,\n"
                    'B-200,1010,"desc,ZROH,0001,EA,5,USD,1,,0,0,,\n'
                    "C-300,1010,desc,ZROH,0001,EA,5,USD,1,,0,0,,\n")
    code, doc, err = wics(db, "import", "sap-soh", str(path), "--date", DAY.isoformat(),
                          "--json", capsys=capsys)
    assert code == 3 and doc["written"] is False
    assert "line 3" in doc["error"] and "never closed" in doc["error"]
    assert count_rows(db, SapStock) == 0


# ---- the same limits for count add and the forms' services -------------------------------------

@pytest.mark.parametrize("args, words", [
    (["--qty", "1000000000*1001"], "1e12"),
    (["--qty", "5", "--date", "1989-12-31"], "out of range"),
    (["--qty", "5", "--date", "9999-12-31"], "out of range"),
    (["--qty", "5", "--counter", "Chr\x01is"], "control character"),
    (["--qty", "5", "--location", "D\x002"], "NUL"),
    (["--qty", "5", "--notes", "bell\x07"], "control character"),
])
def test_count_add_applies_the_same_limits(db, ref, capsys, args, words):
    base = {"--date": DAY.isoformat(), "--material": "A-100", "--counter": "Chris",
            "--location": "D2"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    code, doc, err = wics(db, "count", "add", *[x for kv in base.items() for x in kv], "--json",
                          capsys=capsys)
    assert code == 3 and words in doc["error"] and "Traceback" not in err
    assert count_rows(db, ActualCount) == 0


def test_the_count_service_behind_the_form_keeps_tab_and_newline_in_notes(db, ref):
    from imports_fixtures import material_ids

    mid = material_ids(db)[("L10", "A-100")]
    with db.session() as s:
        line = count_service.add_count(s, Actor("t", "w", role="admin"), count_service.CountInput(
            count_date=DAY, material_id=mid, counter="Chris", location="D2", expression="5",
            notes="line one\nline\ttwo"))
        assert line.notes == "line one\nline\ttwo"
        with pytest.raises(InputRejected, match="out of range"):
            count_service.update_count(
                s, Actor("t", "w", role="admin"), line.id, count_service.CountInput(
                    count_date=dt.date(1, 1, 1), material_id=mid, counter="Chris", location="D2",
                    expression="5"))


# ---- 7. a quantity starting with '-', tiny quantities -------------------------------------------

@pytest.mark.parametrize("qty", [["--qty", "-3*2"], ["--qty=-3*2"]])
def test_a_quantity_starting_with_minus_is_a_quantity(db, ref, capsys, qty):
    code, doc, err = wics(db, "count", "add", "--date", DAY.isoformat(), "--material", "A-100",
                          "--counter", "Chris", "--location", "D2", *qty, "--json",
                          capsys=capsys)
    assert code == 0, err
    assert doc["quantity"] == -6


def test_a_tiny_quantity_is_shown_as_stored(db, ref, capsys):
    code, doc, err = wics(db, "count", "add", "--date", DAY.isoformat(), "--material", "A-100",
                          "--counter", "Chris", "--location", "D2", "--qty",
                          "0.0000000000000001", "--json", capsys=capsys)
    assert code == 0, err
    assert doc["quantity"] == 1e-16
    capsys.readouterr()
    code = cli.main(["--db", url_of(db), "count", "add", "--date", DAY.isoformat(), "--material",
                     "A-100", "--counter", "Chris", "--location", "D2", "--qty",
                     "0.0000000000000001"])
    assert code == 0 and "0.0000000000000001 = 0.0000000000000001" in capsys.readouterr().out
    code, doc, err = wics(db, "report", "count-summary", "--date", DAY.isoformat(), "--json",
                          capsys=capsys)
    assert code == 0, err
    found = [m for org in doc["orgs"] for sec in org["sections"] for m in sec["materials"]
             if m["material"] == "A-100"]
    assert found[0]["count_total"] == 2e-16
    assert [c["quantity"] for c in found[0]["counts"]] == [1e-16, 1e-16]


@pytest.mark.parametrize("value, shown", [
    (1e-16, "0.0000000000000001"), (-1e-16, "-0.0000000000000001"), (0.00012345, "0.000123"),
    (10 / 3, "3.333"), (5111, "5,111"), (0.0, "0"), (2.5, "2.5")])
def test_screens_never_show_a_stored_quantity_as_0(value, shown):
    assert format_quantity(value) == shown
