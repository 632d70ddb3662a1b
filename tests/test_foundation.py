"""The foundation: schema on both databases, views agree, config precedence, Qt-free core."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from wics_desktop.core import config, schema
from wics_desktop.core.models import (
    ActualCount,
    CountSchedule,
    Material,
    Organization,
    PartType,
    SapStock,
    UnitOfMeasure,
)


def test_upgrade_creates_every_table_and_view(db):
    from wics_desktop.core.models import Base

    insp = inspect(db.engine)
    tables = set(insp.get_table_names())
    assert set(Base.metadata.tables) <= tables
    views = set(insp.get_view_names())
    assert {"v_materials", "v_last_found_at_list", "v_latest_sap", "v_material_locations"} <= views
    assert schema.current_revision(db) == schema.head_revision()


def test_upgrade_is_idempotent(db):
    before = schema.current_revision(db)
    assert schema.upgrade(db) == before
    with db.session() as s:
        assert s.scalar(select(UnitOfMeasure.multiplier).where(UnitOfMeasure.uom == "KPC")) == 1000
        assert s.scalar(text("SELECT COUNT(*) FROM part_types WHERE name = 'UNKNOWN'")) == 1


def _org(s, name):
    org = Organization(name=name)
    s.add(org)
    s.flush()
    return org


def test_part_number_unique_per_org_and_case_sensitive(db):
    with db.session() as s:
        l10, l6 = _org(s, "L10"), _org(s, "L6")
        s.add_all([Material(org_id=l10.id, part_number="AB-1"),
                   Material(org_id=l6.id, part_number="AB-1"),
                   # differs only by case: a different part number on both databases
                   Material(org_id=l10.id, part_number="ab-1")])
    with pytest.raises(IntegrityError):
        with db.session() as s:
            s.add(Material(org_id=l10.id, part_number="AB-1"))
    with db.session() as s:
        assert s.scalar(select(Material.id).where(Material.part_number == "ab-1"))
        assert len(s.scalars(select(Material).where(Material.part_number == "AB-1")).all()) == 2


def test_schedule_unique_per_date_and_material(db):
    with db.session() as s:
        m = Material(org_id=_org(s, "L10").id, part_number="X")
        s.add(m)
        s.flush()
        s.add(CountSchedule(count_date=dt.date(2026, 1, 5), material_id=m.id))
    with pytest.raises(IntegrityError):
        with db.session() as s:
            s.add(CountSchedule(count_date=dt.date(2026, 1, 5), material_id=m.id))


def test_timestamps_are_set_and_move_on_update(db):
    with db.session() as s:
        org = _org(s, "L10")
        first = s.scalar(select(Organization.updated_at).where(Organization.id == org.id))
    assert isinstance(first, dt.datetime)
    with db.session() as s:
        s.execute(text("SELECT 1"))
        o = s.get(Organization, org.id)
        o.name = "L10-renamed"
    with db.session() as s:
        o = s.get(Organization, org.id)
        assert o.updated_at >= first and o.created_at <= o.updated_at


def _fill_for_views(s):
    """A small warehouse: shared part number, counts on two dates, SAP in two uploads."""
    l10, l6 = _org(s, "L10"), _org(s, "L6")
    pt = PartType(name="AST-A", priority=210)
    s.add(pt)
    s.flush()
    a = Material(org_id=l10.id, part_number="1115416", part_type_id=pt.id, description="Screw")
    b = Material(org_id=l6.id, part_number="1115416", description="Screw L6")
    c = Material(org_id=l10.id, part_number="07001541", description="Label")
    s.add_all([a, b, c])
    s.flush()
    d1, d2 = dt.date(2026, 10, 1), dt.date(2026, 10, 2)
    rows = [(a, d1, "HVC_B", 10), (a, d2, "SMC_C2", 5), (a, d2, "HVC_A1", None),
            (a, d2, "SMC_C2", 1), (c, d1, "D2", 7)]
    for i, (m, d, loc, qty) in enumerate(rows):
        s.add(ActualCount(uuid=f"00000000-0000-0000-0000-{i:012d}", count_date=d, material_id=m.id,
                          counter="Chris", location=loc, location_only=qty is None,
                          expression=None if qty is None else str(qty), quantity=qty))
    s.add(SapStock(upload_date=d1, org_id=l10.id, part_number="1115416", material_id=a.id,
                   amount=3, base_uom="KPC", storage_location="0001"))
    s.add(SapStock(upload_date=d2, org_id=l10.id, part_number="1115416", material_id=a.id,
                   amount=2, base_uom="KPC", storage_location="0001"))
    s.add(SapStock(upload_date=d2, org_id=l10.id, part_number="07001541", material_id=c.id,
                   amount=4, base_uom="XYZ", storage_location="0002"))
    s.add(SapStock(upload_date=d1, org_id=l6.id, part_number="1115416", material_id=b.id,
                   amount=9, base_uom="EA", storage_location="0003"))
    return a, b, c


VIEW_QUERIES = {
    "v_materials": "SELECT material_id, org_name, part_number, display_name, part_type, "
                   "last_count_date, last_found_at FROM v_materials ORDER BY material_id",
    "v_last_found_at_list": "SELECT material_id, location, count_date FROM v_last_found_at_list "
                            "ORDER BY material_id, location",
    "v_latest_sap": "SELECT s.upload_date, o.name, s.part_number, s.multiplier, s.quantity "
                    "FROM v_latest_sap s JOIN organizations o ON o.id = s.org_id "
                    "ORDER BY o.name, s.part_number",
    "v_material_locations": "SELECT material_id, display_name, storage_location, quantity, "
                            "do_not_show FROM v_material_locations ORDER BY material_id",
}


def _view_rows(database):
    out = {}
    with database.session() as s:
        for name, sql in VIEW_QUERIES.items():
            out[name] = [tuple(str(v) if isinstance(v, dt.date) else v for v in row)
                         for row in s.execute(text(sql))]
    return out


def test_views_compute_the_reference_semantics(db):
    with db.session() as s:
        a, b, c = _fill_for_views(s)
    rows = _view_rows(db)
    by_id = {r[0]: r for r in rows["v_materials"]}
    assert by_id[a.id][3] == "1115416 (L10)" and by_id[b.id][3] == "1115416 (L6)"
    assert by_id[c.id][3] == "07001541"
    # latest count date 2026-10-02; distinct sorted locations, location-only included
    assert str(by_id[a.id][5]) == "2026-10-02" and by_id[a.id][6] == "HVC_A1, SMC_C2"
    assert by_id[b.id][5] is None and by_id[b.id][6] is None
    sap = rows["v_latest_sap"]
    # L10's latest upload is 10-02 (KPC x1000; unknown unit x1); L6's latest is 10-01
    assert [(r[0], r[2], r[4]) for r in sap] == [
        ("2026-10-02", "07001541", 4), ("2026-10-02", "1115416", 2000), ("2026-10-01", "1115416", 9)
    ]


def test_views_give_the_same_rows_on_both_databases(sqlite_db, mysql_db):
    for database in (sqlite_db, mysql_db):
        with database.session() as s:
            _fill_for_views(s)
    left, right = _view_rows(sqlite_db), _view_rows(mysql_db)
    # ids differ between databases (auto-increment); compare without them
    def strip(rows):
        return {k: sorted(tuple(x for i, x in enumerate(r) if not (i == 0 and k != "v_latest_sap"))
                          for r in v) for k, v in rows.items()}
    assert strip(left) == strip(right)


def test_url_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("WICS_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("WICS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("WICS_DATABASE_URL", raising=False)
    assert config.resolve_url() == f"sqlite:///{(tmp_path / 'data' / 'wics.sqlite').resolve()}"
    config.write_config_url("mysql+pymysql://u:p@cfg/wics")
    assert config.resolve_url() == "mysql+pymysql://u:p@cfg/wics"
    monkeypatch.setenv("WICS_DATABASE_URL", "mysql+pymysql://u:p@env/wics")
    assert config.resolve_url() == "mysql+pymysql://u:p@env/wics"
    assert config.resolve_url("sqlite:///x.sqlite") == "sqlite:///x.sqlite"


def test_core_imports_no_qt():
    """The domain layer must run where Qt does not: importing all of core loads no PySide6."""
    code = (
        "import pkgutil, importlib, sys, wics_desktop.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'wics_desktop.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'qasync', 'shiboken6'))]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
