"""The bulk statements: what goes in comes back out, byte for byte, on both databases -
including text that looks like SQL, quotes, backslashes, percent signs and control characters."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from wics_desktop.core import dialect
from wics_desktop.core.models import Organization, SapStock

from imports_fixtures import setup_reference

COLUMNS = ("upload_date", "org_id", "part_number", "description", "amount", "blocked",
           "storage_location", "material_id")
NASTY = ["O'Brien", "back\\slash", 'say "hi"', "50% off", "%s %(x)s %%",
         "'); DROP TABLE sap_stock; --", "\x00nul", "line\nbreak\r\n", "ctrl-z \x1a", "tab\there",
         "\xa0nbsp", "émoji 😀 ✓", "",
         "\\'", "\\", "'"]


def _roundtrip(db, values):
    with db.session() as s:
        org = s.scalar(select(Organization.id))
        day = dialect.date_param(s)(dt.date(2026, 11, 20))
        rows = [(day, org, f"P{i}", text, float(i) * 1.5, 3.0 if i % 2 else -0.25, None, None)
                for i, text in enumerate(values)]
        assert dialect.bulk_insert(s, SapStock.__table__, COLUMNS, rows, chunk=7) == len(rows)
    with db.session() as s:
        got = s.execute(select(SapStock.description, SapStock.amount, SapStock.blocked,
                               SapStock.storage_location, SapStock.upload_date,
                               SapStock.material_id)
                        .order_by(SapStock.id)).all()
        s.execute(SapStock.__table__.delete())
    return got


def test_nasty_text_round_trips(db):
    setup_reference(db)
    got = _roundtrip(db, NASTY)
    assert [g[0] for g in got] == NASTY
    assert [g[1] for g in got] == [i * 1.5 for i in range(len(NASTY))]
    assert [g[2] for g in got] == [3.0 if i % 2 else -0.25 for i in range(len(NASTY))]
    assert all(g[3] is None and g[4] == dt.date(2026, 11, 20) and g[5] is None for g in got)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
                min_size=1, max_size=30))
def test_any_text_round_trips(db, values):
    from sqlalchemy import func

    with db.session() as s:
        if not s.scalar(select(func.count()).select_from(Organization)):
            s.add(Organization(name="L10"))
    assert [g[0] for g in _roundtrip(db, values)] == values


def test_big_inserts_are_split_into_statements(mysql_db, monkeypatch):
    setup_reference(mysql_db)
    with mysql_db.session() as s:
        org = s.scalar(select(Organization.id))
        rows = [(dt.date(2026, 1, 1), org, f"P{i}", "x" * 200, 1.0, 0.0, "0001", None)
                for i in range(12000)]
        sizes = []
        raw_insert = dialect._mysql_insert

        def spy(raw, head, part):
            cursor_class = raw.cursorclass

            class Spy(cursor_class):
                def execute(self, query, args=None):
                    sizes.append(len(query))
                    return super().execute(query, args)

            raw.cursorclass = Spy
            try:
                raw_insert(raw, head, part)
            finally:
                raw.cursorclass = cursor_class

        monkeypatch.setattr(dialect, "_mysql_insert", spy)
        dialect.bulk_insert(s, SapStock.__table__, COLUMNS, rows)
        assert len(sizes) >= 3 and max(sizes) <= 1_000_000
    with mysql_db.session() as s:
        from sqlalchemy import func

        assert s.scalar(select(func.count(SapStock.id))) == 12000
        assert s.scalar(select(func.sum(SapStock.amount))) == 12000.0


def test_unsupported_values_are_refused(mysql_db):
    setup_reference(mysql_db)
    with pytest.raises(ValueError):
        with mysql_db.session() as s:
            org = s.scalar(select(Organization.id))
            dialect.bulk_insert(s, SapStock.__table__, COLUMNS,
                                [(dt.date(2026, 1, 1), org, "P", None, float("inf"), 0.0, None,
                                  None),
                                 (dt.date(2026, 1, 1), org, "P", None, 1, 0.0, None, None)])
