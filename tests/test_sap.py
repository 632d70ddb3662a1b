"""SAP stock service: the contract's per-organization snapshot rule at its edges."""
from __future__ import annotations

import datetime as dt

import pytest

from wics_desktop.core.services import sap

from core_fixtures import D1, D2, material, org_id, setup_orgs
from core_fixtures import sap as sap_row

D0 = dt.date(2026, 11, 1)
D3 = dt.date(2026, 11, 21)


@pytest.fixture
def world(db):
    with db.session() as s:
        setup_orgs(s)
        ids = dict(a=material(s, "A-100"), b=material(s, "B-200"), c=material(s, "A-100", "L6"))
        l10, l6 = org_id(s, "L10"), org_id(s, "L6")
        sap_row(s, ids["a"], l10, D0, 1, "KPC", value=10.0)        # older L10 upload
        sap_row(s, ids["a"], l10, D1, 2, "KPC", value=20.0, sloc="0001")
        sap_row(s, ids["a"], l10, D1, 3, "EA", value=1.5, sloc="0002")
        sap_row(s, ids["b"], l10, D1, 4, "NOSUCHUNIT", value=4.0)  # unit not in the table: x1
        sap_row(s, ids["a"], l10, D3, 99, "EA")                    # after the count date
        sap_row(s, ids["c"], l6, D0, 7, "DZ", value=70.0, currency="EUR")
        return db, ids, l10, l6


def test_totals_per_org_snapshot(world):
    db, ids, l10, l6 = world
    with db.session() as s:
        totals = sap.sap_totals(s, D2)
        snaps = sap.snapshot_dates(s, D2)
    assert snaps == {l10: D1, l6: D0}  # each org its own latest upload <= D2
    assert totals[ids["a"]].quantity == 2003 and totals[ids["a"]].value == 21.5
    assert totals[ids["a"]].snapshot_date == D1
    assert totals[ids["b"]].quantity == 4  # unknown unit -> multiplier 1
    assert totals[ids["c"]].quantity == 84 and totals[ids["c"]].currency == "EUR"


def test_upload_after_the_date_is_never_used_and_none_before_gives_nothing(world):
    db, ids, l10, l6 = world
    with db.session() as s:
        assert sap.sap_totals(s, D3)[ids["a"]].quantity == 99
        assert sap.sap_totals(s, D3).get(ids["b"]) is None  # absent from the D3 snapshot: 0
        assert sap.sap_total(s, ids["b"], D3) == 0
        early = dt.date(2026, 10, 1)
        assert sap.sap_totals(s, early) == {} and sap.snapshot_dates(s, early) == {}


def test_upload_dates_and_rows(world):
    db, ids, *_ = world
    with db.session() as s:
        dates = sap.upload_dates(s)
        rows = sap.upload_rows(s, D1)
        day, mine = sap.material_snapshot(s, ids["c"], D2)
    assert [(u.upload_date, u.rows, u.orgs) for u in dates] == [
        (D3, 1, ["L10"]), (D1, 3, ["L10"]), (D0, 2, ["L10", "L6"])]
    assert [(r.material, r.storage_location, r.quantity) for r in rows] == [
        ("A-100 (L10)", "0001", 2000), ("A-100 (L10)", "0002", 3), ("B-200", "0001", 4)]
    assert rows[2].multiplier == 1.0
    assert day == D0 and [r.quantity for r in mine] == [84]


def test_material_history_uses_the_snapshot_of_each_count_date(world):
    from wics_desktop.core.services import history

    from core_fixtures import count

    db, ids, *_ = world
    with db.session() as s:
        count(s, ids["a"], D2, "2000")
        count(s, ids["a"], D2, "3")
        count(s, ids["a"], dt.date(2026, 11, 5), "900")
        count(s, ids["a"], dt.date(2026, 10, 5), "5")
        count(s, ids["a"], D3, location="X", location_only=True)
        rows = history.material_history(s, ids["a"])
    assert [(r.count_date, r.count_total, r.sap_date, r.sap_total, r.diff, r.accuracy)
            for r in rows] == [
        (D2, 2003, D1, 2003, 0, 100.0),
        (dt.date(2026, 11, 5), 900, D0, 1000, -100, 90.0),
        (dt.date(2026, 10, 5), 5, None, 0, 5, 0.0)]
