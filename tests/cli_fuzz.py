"""Generated command lines for the `wics` import and report commands, shared by the property
test (tests/test_cli_never_exit_1.py, a CI-sized budget) and the long run
(benchmarks/bench_cli_fuzz.py): hostile cells, odd sheet and file names, mixed options, extreme
dates. `run_one()` writes the files, runs `wics_desktop.cli.main` in-process and returns the exit
code and stderr; `EXITS` and `FILES` keep what was seen.
"""
from __future__ import annotations

import collections
import contextlib
import csv
import datetime as dt
import io
import math
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from imports_fixtures import MB52_HEADER

EXITS: collections.Counter = collections.Counter()
FILES: collections.Counter = collections.Counter()

HEADERS = {
    "sap-soh": MB52_HEADER,
    "mm60": ["Material", "Plant", "Material description", "Material type", "Material Group",
             "Manufact.", "MPN", "ABC", "Price", "Price unit", "Currency"],
    "counts": ["CountDate", "Counter", "LOCATION", "org_id", "Material", "LocationOnly",
               "CTD_QTY_Expr", "Typ Cntner Qty", "Typ Plt Qty", "Notes", "PKGID_Desc", "TAGQTY",
               "Poss Not Rcvd", "Mvmt Dur Ct", "WICSignore"],
    "schedule": ["org_id", "Material", "CountDate", "Counter", "Priority", "ReasonScheduled",
                 "Notes"],
}
SHEETS = {"sap-soh": "Sheet1", "mm60": "Sheet1", "counts": "Counts", "schedule": "Schedule"}
HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "#N/A", "#REF!", "#DIV/0!",
           "1e308", "-1e308", "1e999", "nan", "inf", "0x10", "-3*2", "3P+2C", "0.0000000000000001",
           "9999-12-31", "0001-01-01", "A-100", "1115416", "BOTH", "1010", "FW61", "L10", "L6",
           "TRUE", "FALSE", "1080*4+791", "10,000", "", " ", "x" * 300, "café ✓ 😀",
           "a\x00b", "tab\there", "line\nbreak", "'quoted", '"unbalanced']
NUMBERS = st.one_of(st.integers(min_value=-10**20, max_value=10**20),
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([1e308, -1e308, 1e12, 1e-300, 0.0, -0.0]))
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
CELL = st.one_of(st.none(), st.sampled_from(HOSTILE), TEXT, NUMBERS, st.booleans(),
                 st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
NAME = st.text(alphabet="abcXYZ09 _-.()&=+@#'é", min_size=1, max_size=20)
DATE_ARG = st.one_of(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
                     .map(dt.date.isoformat),
                     st.sampled_from(["2026-11-20", "2026-02-30", "yesterday", "", "20261120"]))


# A valid row per kind: most generated rows are one of these with a few cells replaced, so the
# imports get past their checks and write (and the reports then read what was written).
DAY = dt.date(2026, 11, 20)
VALID = {
    "sap-soh": ["A-100", "1010", "desc", "ZROH", "0001", "EA", 5.0, "USD", 10.0, None, 0, 0,
                None, None],
    "mm60": ["A-100", "1010", "desc", "ZROH", "05", "Acme", "MPN-1", "A", 2.5, 1, "USD"],
    "counts": [DAY, "Chris", "D2", None, "A-100", None, "5", None, None, None, None, None, None,
               None, None],
    "schedule": [None, "A-100", DAY, "Chris", "High", "Planned", None],
}


@st.composite
def mutated_row(draw, kind: str) -> list[Any]:
    row = list(VALID[kind])
    for i in draw(st.lists(st.integers(0, len(row) - 1), max_size=3)):
        row[i] = draw(CELL)
    return row


@st.composite
def workbook(draw, kind: str) -> dict[str, Any]:
    header = list(HEADERS[kind])
    if draw(st.integers(0, 4)) == 0:  # now and then: headers renamed, dropped or doubled
        header = [draw(st.one_of(st.just(h), TEXT, st.none())) for h in header]
    width = len(header)
    plausible = st.one_of(st.sampled_from(HOSTILE[:30]), NUMBERS, st.none())
    junk = st.lists(st.one_of(CELL, plausible, plausible), min_size=width - 2,
                    max_size=width + 2)
    rows = draw(st.lists(st.one_of(mutated_row(kind), mutated_row(kind), junk), max_size=8))
    return {"suffix": draw(st.sampled_from([".xlsx", ".xlsx", ".csv"])),
            "sheet": SHEETS[kind] if draw(st.integers(0, 3)) else draw(NAME),
            "name": draw(NAME), "rows": [header] + rows}


@st.composite
def command(draw) -> dict[str, Any]:
    """{'args': [...] with FILE / OUT placeholders, 'book': workbook or None}."""
    group = draw(st.sampled_from(["import", "import", "import", "report"]))
    opts: list[str] = []
    flag = lambda name: opts.append(name) if draw(st.booleans()) else None  # noqa: E731
    if group == "import":
        kind = draw(st.sampled_from(sorted(HEADERS)))
        book = draw(workbook(kind))
        args = ["import", kind, "FILE"]
        if kind == "sap-soh":
            args += ["--date", draw(DATE_ARG)]
            flag("--add")
        if kind == "mm60":
            if draw(st.booleans()):
                opts += ["--update", draw(st.sampled_from(
                    ["Description,Price", "SAPABC", "Nonsense", "", "Price,,Price"]))]
            flag("--keep-missing")
            flag("--dry-run")
            flag("--allow-mass-removal")
        if draw(st.integers(0, 3)) == 0:
            opts += ["--sheet", draw(st.one_of(st.just(book["sheet"]), NAME))]
        flag("--strict")
        if draw(st.booleans()):
            opts += ["--errors-xlsx", "OUT.xlsx"]
    else:
        book = None
        report = draw(st.sampled_from(["count-summary", "materials", "locations"]))
        args = ["report", report]
        if report == "count-summary":
            args += ["--date", draw(DATE_ARG)]
            flag("--requests")
        elif report == "materials":
            args += ["--by", draw(st.sampled_from(["part-type", "last-count", "value", "x"]))]
        if report != "count-summary" and draw(st.booleans()):
            opts += ["--date", draw(DATE_ARG)]
        if draw(st.booleans()):
            opts += ["--xlsx", "OUT.xlsx"]
    flag("--json")
    return {"args": args + opts, "book": book}


def _csv_value(v: Any) -> str:
    if v is None:
        return ""
    return v.isoformat() if isinstance(v, dt.date) else str(v)


def _xlsx_value(v: Any) -> Any:
    """openpyxl refuses control characters and writes a leading '=' as a formula (a formula
    without a cached value: exactly what a hostile workbook may hold)."""
    if isinstance(v, str):
        return "".join(c for c in v if ord(c) >= 32 or c in "\t\n")
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**53:
        return float(v)
    return v


def write_book(folder: Path, book: dict[str, Any]) -> Path:
    path = folder / (book["name"].strip(". ") or "file")
    path = path.with_name(path.name + book["suffix"])
    if book["suffix"] == ".csv":
        buf = io.StringIO()
        csv.writer(buf).writerows([[_csv_value(v) for v in row] for row in book["rows"]])
        path.write_text(buf.getvalue(), encoding="utf-8", errors="surrogatepass")
    else:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        title = "".join(c for c in book["sheet"] if c not in "[]:*?/\\")[:31].strip("'")
        ws.title = title or "Sheet1"
        for row in book["rows"]:
            ws.append([_xlsx_value(v) for v in row])
        wb.save(path)
    return path


def run_one(url: str, folder: Path, cmd: dict[str, Any]) -> tuple[int, str]:
    """Run one generated command; (exit code, stderr)."""
    from wics_desktop import cli

    folder.mkdir(parents=True, exist_ok=True)
    args = list(cmd["args"])
    if cmd["book"] is not None:
        path = write_book(folder, cmd["book"])
        FILES[path.suffix] += 1
        args = [str(path) if a == "FILE" else a for a in args]
    args = [str(folder / "out.xlsx") if a == "OUT.xlsx" else a for a in args]
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            code = cli.main(["--db", url, *args])
        except SystemExit as exc:  # argparse: a usage error
            code = exc.code if isinstance(exc.code, int) else 2
    EXITS[code] += 1
    return code, err.getvalue()
