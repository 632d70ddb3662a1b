"""Reports run a fixed handful of queries whatever their size: 10 materials and 1,000 alike."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from wics_desktop.core.reports import count_summary, locations, material_lists, worksheet

from report_data import COUNT_DATE, fill

REPORTS = {
    "count_summary": lambda s: count_summary.build(s, COUNT_DATE),
    "count_summary_requests": lambda s: count_summary.build(s, COUNT_DATE, requests=True),
    "worksheet_counter": lambda s: worksheet.build(s, COUNT_DATE),
    "worksheet_location": lambda s: worksheet.build(s, COUNT_DATE, by="location"),
    "worksheet_blind": lambda s: worksheet.build(s, COUNT_DATE, blind=True),
    "materials_value": lambda s: material_lists.build(s, "value", as_of=COUNT_DATE),
    "locations": lambda s: locations.build(s, as_of=COUNT_DATE),
}


def _statements(database, count_queries, report):
    with database.session() as s:
        with count_queries(database.engine) as counter:
            result = REPORTS[report](s)
    return counter.count, result


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_statement_count_does_not_grow(sqlite_db, _sqlite_template, tmp_path, count_queries,
                                       report):
    from conftest import make_sqlite_db

    small = sqlite_db
    fill(small, 10, 30)
    big = make_sqlite_db(_sqlite_template, tmp_path)
    fill(big, 1000, 3000)
    n_small, r_small = _statements(small, count_queries, report)
    n_big, r_big = _statements(big, count_queries, report)
    big.dispose()
    assert n_small == n_big, (n_small, n_big)
    assert n_big <= 8


@pytest.mark.mysql
def test_statement_count_on_mariadb(mysql_db, count_queries):
    fill(mysql_db, 300, 900)
    counts = {name: _statements(mysql_db, count_queries, name)[0] for name in REPORTS}
    assert max(counts.values()) <= 8, counts
