"""core.lists without Qt: the filter syntax, keyset pages that join up, the row count, and the
lookups the GUI makes through core services (issue 15 item 1). Both databases."""
from __future__ import annotations

import datetime as dt

import pytest

from wics_desktop.core.lists import definitions
from wics_desktop.core.lists.columns import FilterError, filter_clause
from wics_desktop.core.lists.query import ListQuery, count_rows

from core_fixtures import ACTOR, D2, count, material, org_id, sap, sched, setup_orgs

DAY0 = dt.date(2026, 1, 5)


def test_filter_syntax():
    from wics_desktop.core.models import ActualCount as A

    assert filter_clause(A.location, "text", "  ") is None
    assert "lower" in str(filter_clause(A.location, "text", "d2")).lower()
    assert str(filter_clause(A.location, "text", "=D2")).endswith("= :location_1")
    assert "BETWEEN" not in str(filter_clause(A.quantity, "qty", "5..10"))
    with pytest.raises(FilterError, match="not a date"):
        filter_clause(A.count_date, "date", "2026-13-45")
    with pytest.raises(FilterError, match="yes or no"):
        filter_clause(A.location_only, "bool", "maybe")
    # a timestamp filter takes the whole day; the last day there is has no day after it
    assert filter_clause(A.updated_at, "datetime", "9999-12-30") is not None
    for text in ("9999-12-31", ">9999-12-31", "2026-01-01..9999-12-31"):
        with pytest.raises(FilterError, match="last day a date can have"):
            filter_clause(A.updated_at, "datetime", text)


def _all_pages(s, query: ListQuery, size: int) -> list[tuple]:
    """Page through the list as the desktop does: each page after the last row loaded."""
    rows: list[tuple] = []
    while True:
        page = query.page(len(rows), size, rows[-1] if rows else None).fetch(s)
        rows += page
        if len(page) < size:
            return rows


@pytest.fixture
def counted(db):
    from ui_fixtures import add_counts, add_materials

    ids = add_materials(db, 12)
    add_counts(db, 90, ids, first_day=DAY0, days=4)
    return db


def test_pages_join_up_in_the_order_of_one_statement(counted):
    query = ListQuery(definitions.counts_spec())
    assert (query.state.sort_key, query.state.descending) == ("count_date", True)
    with counted.session() as s:
        whole = [r[0] for r in s.execute(query.statement())]
        assert len(whole) == 90 == count_rows(s, query.statement(ordered=False))
        assert [r[0] for r in _all_pages(s, query, 7)] == whole
        # sorted by a text column, then filtered: the pages still join up
        query.state.sort_key, query.state.descending = "location", False
        query.state.filters["location"] = "^R0"
        whole = [r[0] for r in s.execute(query.statement())]
        assert [r[0] for r in _all_pages(s, query, 11)] == whole
        assert len(whole) == count_rows(s, query.statement(ordered=False)) == \
            sum(1 for i in range(90) if f"R{i % 50:02d}".startswith("R0"))
        # the locations list's row key repeats (one row per location): one-step pages
        locations = ListQuery(definitions.locations_spec())
        assert not locations.spec.row_id_unique
        assert _all_pages(s, locations, 5) == [tuple(r) for r in
                                               s.execute(locations.statement())]


def test_a_filter_that_cannot_be_understood_is_reported_and_left_out(counted):
    query = ListQuery(definitions.counts_spec())
    query.state.filters.update(quantity="lots", location="=R07-0")
    assert query.filter_problems() == {"quantity": "'lots' is not a number", "location": ""}
    with counted.session() as s:
        rows = s.execute(query.statement()).all()
    assert rows and {r[query.spec.index_of("location") + 1] for r in rows} == {"R07-0"}
    query.state.quick = "m000003"  # the quick filter: text columns only, numbers skipped
    with counted.session() as s:
        assert {r[query.spec.index_of("material") + 1] for r in
                s.execute(query.statement())} <= {"M000003"}


def test_the_lookups_the_gui_makes_through_core(db, tmp_path):
    from wics_desktop.core.db_url import is_embedded_url
    from wics_desktop.core.services import materials, mpns, schedule
    from wics_desktop.core.services import sap as sap_service

    with db.session() as s:
        assert not materials.has_materials(s) and materials.first_material_id(s) is None
        setup_orgs(s)
        first = material(s, "A-100")
        other = material(s, "B-200", "L6")
        entry = sched(s, other, counter="Kim")
        mpn = mpns.add_mpn(s, ACTOR, other, "MPN-9", "Acme", "note")
        sap(s, first, org_id(s, "L10"), D2, 5)
        count(s, first)
    with db.session() as s:
        assert materials.has_materials(s) and materials.first_material_id(s) == first
        found = schedule.get_entry(s, entry.id)
        assert (found.material_id, found.count_date, found.counter) == (other, D2, "Kim")
        assert found == schedule.entry_for(s, other, D2)
        assert schedule.get_entry(s, entry.id + 1000) is None
        row = mpns.get_mpn(s, mpn.id)
        assert (row.mpn, row.manufacturer, row.material_id, row.material) == \
            ("MPN-9", "Acme", other, "B-200")
        assert mpns.get_mpn(s, mpn.id + 1000) is None
        sap_id = s.execute(ListQuery(definitions.sap_spec()).statement()).first()[0]
        assert sap_service.material_of_row(s, sap_id) == first
        assert sap_service.material_of_row(s, sap_id + 1000) is None
    assert is_embedded_url(f"sqlite:///{tmp_path}/x.sqlite")
    assert not is_embedded_url("mysql+pymysql://u:p@db:3306/wics")
    assert is_embedded_url(db.url) is (db.dialect == "sqlite")
