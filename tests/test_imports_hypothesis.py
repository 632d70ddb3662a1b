"""Random cells under valid headers: an import either returns a result or raises ImportRejected
(exit 3) - never another exception, on either database."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wics_desktop.core.imports.counts import import_counts
from wics_desktop.core.imports.mm60 import import_mm60
from wics_desktop.core.imports.result import ImportRejected, ImportResult
from wics_desktop.core.imports.sap_soh import import_sap_soh
from wics_desktop.core.imports.schedule import import_schedule

from core_fixtures import ACTOR
from imports_fixtures import MB52_HEADER, setup_reference, write_xlsx

HEADERS = {
    "sap": MB52_HEADER,
    "mm60": ["Material", "Plant", "Material description", "Material type", "Material Group",
             "Manufact.", "MPN", "ABC", "Price", "Price unit", "Currency"],
    "counts": ["CountDate", "Counter", "LOCATION", "org_id", "Material", "LocationOnly",
               "CTD_QTY_Expr", "Typ Cntner Qty", "Typ Plt Qty", "Notes", "PKGID_Desc", "TAGQTY",
               "Poss Not Rcvd", "Mvmt Dur Ct", "WICSignore"],
    "schedule": ["org_id", "Material", "CountDate", "Counter", "Priority", "ReasonScheduled",
                 "Notes"],
}
PLAUSIBLE = ["A-100", "1115416", "BOTH", "1010", "FW61", "L10", "L6", "TRUE", "no", "1080*4+791",
             "=5*3", "2026-11-20", "11/20/2026", "10,000", "302,230.00", "0", "", " ", "25-",
             "x" * 300, "1094081-05\xa0", "café ✓ 😀"]
text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"))
               | st.sampled_from(["\t", "\n", "\xa0", ",", "=", "*", "/"]), max_size=40)
cell = st.one_of(
    st.none(), st.sampled_from(PLAUSIBLE), text, st.booleans(),
    st.integers(min_value=-10**16, max_value=10**16),
    st.floats(min_value=-1e17, max_value=1e17, allow_nan=False),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
)


def rows_for(kind):
    width = len(HEADERS[kind])
    return st.lists(st.lists(cell, min_size=width, max_size=width + 2), min_size=0, max_size=6)


RUN = {
    "sap": lambda s, p: import_sap_soh(s, p, dt.date(2026, 11, 20), actor=ACTOR),
    "mm60": lambda s, p: import_mm60(s, p, update=["Description", "Price", "SAPABC"], actor=ACTOR),
    "counts": lambda s, p: import_counts(s, p, actor=ACTOR),
    "schedule": lambda s, p: import_schedule(s, p, actor=ACTOR),
}
SHEET = {"sap": "Sheet1", "mm60": "Sheet1", "counts": "Counts", "schedule": "Schedule"}


@pytest.fixture
def ref(db):
    setup_reference(db, [("L10", "A-100"), ("L10", "1115416"), ("L10", "BOTH"), ("L6", "BOTH")])
    return db


@pytest.mark.parametrize("kind", sorted(HEADERS))
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_cells_never_crash(ref, tmp_path, kind, data):
    rows = data.draw(rows_for(kind))
    path = write_xlsx(tmp_path / f"{kind}.xlsx", [HEADERS[kind]] + rows, sheet=SHEET[kind])
    try:
        with ref.session() as s:
            result = RUN[kind](s, path)
    except ImportRejected as exc:
        assert exc.payload["written"] is False
        return
    assert isinstance(result, ImportResult)
    assert result.rows_read >= result.rows_added or kind == "mm60"
    for e in result.errors:
        assert e.row >= 2 and e.column and e.message
    result.as_dict()
    result.write_errors_xlsx(tmp_path / "errors.xlsx")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789+-* \t/().x=", max_size=30)
       | st.from_regex(r"\A-?\d{1,16}([+*-]\d{1,16}){0,5}\Z"))
def test_fast_quantity_agrees_with_the_evaluator(expression):
    from wics_desktop.core.expressions import ExpressionError, evaluate
    from wics_desktop.core.imports.quantity import quantity

    try:
        expected = evaluate(expression)
    except ExpressionError as exc:
        with pytest.raises(ExpressionError) as err:
            quantity(expression)
        assert str(err.value) == str(exc)
        return
    got = quantity(expression)
    assert got == expected and type(got) is type(expected)


def _fake_lookups():
    """Orgs and part numbers without a database, for the short-path property test."""
    from wics_desktop.core.imports.lookup import MaterialRef, Orgs, PartNumbers

    orgs = object.__new__(Orgs)
    orgs.name_of = {1: "L10", 2: "L6"}
    orgs._by_name = {"L10": 1, "L6": 2}
    orgs._by_folded = {"l10": 1, "l6": 2}
    parts = object.__new__(PartNumbers)
    parts.orgs = orgs
    parts.by_part = {"A-100": [MaterialRef(1, 1, "A-100", (None, None))],
                     "1115416": [MaterialRef(2, 1, "1115416", ("48", None))],
                     "BOTH": [MaterialRef(3, 1, "BOTH", (None, None)),
                              MaterialRef(4, 2, "BOTH", (None, None))]}
    return orgs, parts


count_cell = st.one_of(
    st.just(""), st.sampled_from(["A-100", "1115416", "BOTH", "L10", "L6", "TRUE", "FALSE", "no",
                                  "1080*4+791", "=5*3", " 7 ", "2026-11-20", "11/20/2026", "0",
                                  "x" * 120, "x" * 300]),
    st.floats(min_value=-1e6, max_value=1e7, allow_nan=False), st.booleans(),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1)), text)


@settings(max_examples=400, deadline=None)
@given(st.lists(count_cell, min_size=16, max_size=16))
def test_counts_short_path_agrees_with_the_careful_path(values):
    """Whenever the short path accepts a row, the careful path accepts it with the same values."""
    from wics_desktop.core.imports import counts
    from wics_desktop.core.imports.common import RowProblems
    from wics_desktop.core.imports.reader import map_header

    orgs, parts = _fake_lookups()
    values[counts._I["ignore"]] = ""
    result = ImportResult("counts")
    sheet = map_header("Counts", [list(f.header for f in counts.FIELDS)], counts.FIELDS, result)
    short = counts._ShortPath(orgs, parts, {})(tuple(values), 2)
    problems = RowProblems(sheet, result)
    problems.start(2, list(values))
    careful = counts._check(problems, tuple(values), 2, orgs, parts, {})
    if short is not None:
        assert careful == short
    elif careful is None:
        assert result.errors
