"""The demo data generator (`wics demo`): deterministic, realistic, refuses a used database."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import zlib
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from wics_desktop import cli
from wics_desktop.core import demo, schema, tasklog
from wics_desktop.core.db import Database
from wics_desktop.core.demo.calendar import Timeline, us_holidays
from wics_desktop.core.demo.quantities import expression_for
from wics_desktop.core.display import display_name_sql
from wics_desktop.core.errors import Cancelled, InputRejected
from wics_desktop.core.expressions import evaluate
from wics_desktop.core.models import (
    ActualCount,
    CountSchedule,
    Greeting,
    Holiday,
    ManufacturerPartNumber,
    Material,
    MaterialPhoto,
    Organization,
    Parameter,
    PartType,
    SapPlant,
    SapStock,
    UnitOfMeasure,
    User,
)
from wics_desktop.core.passwords import verify_password
from wics_desktop.core.progress import RecordingProgress

FRIDAY = dt.date(2026, 10, 16)   # an ordinary Friday: the next workday is Monday 10-19
NEXT_WORKDAY = dt.date(2026, 10, 19)
SMALL = {"materials": 200, "days": 20, "seed": 3, "today": FRIDAY}


# ---- helpers -----------------------------------------------------------------------------

def _digest(database) -> str:
    """A fingerprint of the demo's rows without surrogate ids and timestamps.

    References are followed to natural keys (org name, part number, username), so two
    databases that hold the same data give the same digest whatever ids they assigned.
    Password hashes are left out: argon2 salts them randomly on purpose.
    """
    m, o = aliased(Material), aliased(Organization)
    material_key = (o.name, m.part_number)
    queries = {
        "organizations": select(Organization.name),
        "plants": select(SapPlant.plant, Organization.name).join(Organization),
        "part_types": select(PartType.name, PartType.priority, PartType.inactive),
        "materials": select(*material_key, PartType.name, m.description, m.plant,
                            m.sap_material_type, m.sap_material_group, m.sap_manufacturer,
                            m.sap_mpn, m.sap_abc, m.price, m.price_unit, m.currency,
                            m.typical_container_qty, m.typical_pallet_qty, m.notes)
        .join(o, m.org_id == o.id).outerjoin(PartType, m.part_type_id == PartType.id),
        "mpn": select(ManufacturerPartNumber.mpn, ManufacturerPartNumber.manufacturer,
                      *material_key).join(m, ManufacturerPartNumber.material_id == m.id)
        .join(o, m.org_id == o.id),
        "photos": select(*material_key, MaterialPhoto.image, MaterialPhoto.file_name)
        .join(m, MaterialPhoto.material_id == m.id).join(o, m.org_id == o.id),
        "schedule": select(CountSchedule.count_date, *material_key, CountSchedule.requestor,
                           User.username, CountSchedule.request_filled, CountSchedule.counter,
                           CountSchedule.priority, CountSchedule.reason, CountSchedule.notes)
        .join(m, CountSchedule.material_id == m.id).join(o, m.org_id == o.id)
        .outerjoin(User, CountSchedule.requested_by_id == User.id),
        "counts": select(ActualCount.uuid, ActualCount.count_date, *material_key,
                         ActualCount.counter, ActualCount.location_only, ActualCount.expression,
                         ActualCount.quantity, ActualCount.location, ActualCount.package_id,
                         ActualCount.tag_qty, ActualCount.possibly_not_received,
                         ActualCount.movement_during_count, ActualCount.notes,
                         ActualCount.entered_by, ActualCount.workstation,
                         ActualCount.cycle_count_id)
        .join(m, ActualCount.material_id == m.id).join(o, m.org_id == o.id),
        "sap": select(SapStock.upload_date, *material_key, SapStock.part_number,
                      SapStock.description, SapStock.plant, SapStock.material_type,
                      SapStock.storage_location, SapStock.base_uom, SapStock.amount,
                      SapStock.currency, SapStock.value_unrestricted, SapStock.special_stock,
                      SapStock.batch, SapStock.vendor, SapStock.blocked, SapStock.value_blocked)
        .join(m, SapStock.material_id == m.id).join(o, SapStock.org_id == o.id),
        "users": select(User.username, User.display_name, User.role, User.active),
        "holidays": select(Holiday.holiday_date, Holiday.name),
        "greetings": select(Greeting.text),
        "parameters": select(Parameter.name, Parameter.value),
    }
    sha = hashlib.sha256()
    with database.session() as s:
        for name, query in queries.items():
            rows = sorted(repr(tuple(row)) for row in s.execute(query))
            sha.update(f"{name}:{len(rows)}\n".encode())
            for row in rows:
                sha.update(row.encode())
    return sha.hexdigest()


def _fresh_sqlite(template, folder, name: str) -> Database:
    """Another clean, upgraded SQLite database (a copy of the session's template file)."""
    path = folder / f"{name}.sqlite"
    shutil.copyfile(template, path)
    return Database(f"sqlite:///{path}")


def _url(database) -> str:
    return database.url.render_as_string(hide_password=False)


def _accuracy(count: float, book: float) -> float:
    count = max(count, 0.0)
    if count == 0 and book == 0:
        return 100.0
    return round(100 * min(count, book) / max(count, book), 2)


# ---- determinism and the empty-database rule ---------------------------------------------

def test_same_seed_and_today_give_identical_rows(db, _sqlite_template, tmp_path):
    """Same seed + same today: the same rows, on a second SQLite file and on MariaDB alike."""
    demo.generate(db, **SMALL)
    reference = _fresh_sqlite(_sqlite_template, tmp_path, "reference")
    other_seed = _fresh_sqlite(_sqlite_template, tmp_path, "other_seed")
    try:
        demo.generate(reference, **SMALL)
        demo.generate(other_seed, **{**SMALL, "seed": 4})
        assert _digest(db) == _digest(reference)
        assert _digest(other_seed) != _digest(reference)
    finally:
        reference.dispose()
        other_seed.dispose()


def test_refuses_a_database_that_has_data(db):
    with db.session() as s:
        s.add(Organization(name="ACME"))
    with pytest.raises(InputRejected) as caught:
        demo.generate(db, **SMALL)
    assert caught.value.exit_code == 3
    assert "the database already has data; demo data goes into an empty database" \
        in str(caught.value)
    assert caught.value.payload == {"tables_with_data": ["organizations"]}
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Material)) == 0


def test_a_second_run_is_refused_and_changes_nothing(db):
    first = demo.generate(db, **SMALL)
    with pytest.raises(InputRejected):
        demo.generate(db, **SMALL)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ActualCount)) \
            == first.row_counts["actual_counts"]


def test_cancel_writes_nothing_and_progress_is_reported(sqlite_db):
    with pytest.raises(Cancelled):
        demo.generate(sqlite_db, progress=RecordingProgress(cancel_at=3), **SMALL)
    with sqlite_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Organization)) == 0
    progress = RecordingProgress()
    summary = demo.generate(sqlite_db, progress=progress, **SMALL)
    done = [step[0] for step in progress.steps]
    assert done == sorted(done) and progress.steps[-1][0] == progress.steps[-1][1]
    assert summary.row_counts["materials"] == 200


# ---- realistic content -------------------------------------------------------------------

@pytest.fixture(scope="module", params=["sqlite", pytest.param("mysql", marks=pytest.mark.mysql)])
def filled(request, _sqlite_template, tmp_path_factory):
    """One demo database per backend, shared by the read-only content tests of this module."""
    if request.param == "sqlite":
        database = _fresh_sqlite(_sqlite_template, tmp_path_factory.mktemp("demo"), "filled")
    else:
        database = Database(request.getfixturevalue("mysql_databases").create("wics_demo"))
        schema.upgrade(database)
    summary = demo.generate(database, **SMALL)
    yield database, summary
    database.dispose()


def test_two_organizations_share_part_numbers_and_show_the_org(filled):
    db, summary = filled
    with db.session() as s:
        shared = s.scalars(
            select(Material.part_number).group_by(Material.part_number)
            .having(func.count(func.distinct(Material.org_id)) == 2)).all()
        assert shared and summary.shared_part_numbers == len(shared)
        names = s.scalars(select(display_name_sql()).join(Organization)
                          .where(Material.part_number == shared[0])).all()
        assert sorted(names) == [f"{shared[0]} (L10)", f"{shared[0]} (L6)"]
        plants = dict(s.execute(select(SapPlant.plant, Organization.name).join(Organization)).all())
        assert plants["FW61"] == plants["FW62"] == "L6"
        assert sorted(p for p, org in plants.items() if org == "L10")
        part_numbers = s.scalars(select(Material.part_number)).all()
        assert any(p.startswith("0") and p.isdigit() for p in part_numbers)
        assert any(p.count("-") == 2 for p in part_numbers)


def test_materials_look_like_sap_master_data(filled):
    db, _ = filled
    with db.session() as s:
        rows = s.execute(select(Material.description, Material.sap_material_type,
                                Material.price, Material.price_unit, Material.currency,
                                Material.typical_container_qty, Material.notes)).all()
        priorities = s.scalars(select(PartType.priority)).all()
        inactive = s.scalars(select(PartType.name).where(PartType.inactive)).all()
        mpns = s.scalars(select(ManufacturerPartNumber.mpn)).all()
        photos = s.execute(select(MaterialPhoto.image, MaterialPhoto.width)).all()
    assert len(rows) == 200 and all(r.description and len(r.description) <= 40 for r in rows)
    assert {r.sap_material_type for r in rows} <= {"ZROH", "ZHLB", "ROH"}
    assert {r.price_unit for r in rows} == {1, 1000}
    assert {r.currency for r in rows if r.price is not None} == {"USD"}
    assert any(r.typical_container_qty for r in rows) and any(r.notes for r in rows)
    assert len(priorities) == len(set(priorities)) >= 20  # unique, as in the reference
    assert "NO LONGER IN USE" in inactive
    assert mpns and len(mpns) == len(set(mpns))
    assert photos
    for image, width in photos:  # real PNGs: signature, and the pixel data inflates
        assert image.startswith(b"\x89PNG\r\n\x1a\n") and width == 48
        start = image.index(b"IDAT") + 4
        length = int.from_bytes(image[start - 8:start - 4], "big")
        assert len(zlib.decompress(image[start:start + length])) == 48 * (1 + 3 * 48)


def test_every_quantity_is_its_expression_evaluated(filled):
    db, _ = filled
    with db.session() as s:
        counts = s.execute(select(ActualCount)).scalars().all()
    quantity_rows = [c for c in counts if not c.location_only]
    location_only = [c for c in counts if c.location_only]
    assert quantity_rows and location_only
    for c in quantity_rows:
        assert c.quantity == evaluate(c.expression), c.expression
    assert all(c.quantity is None and c.expression is None for c in location_only)
    expressions = [c.expression for c in quantity_rows]
    assert any("*" in e and "+" in e for e in expressions)
    assert any(c.quantity < 0 for c in quantity_rows), "a negative correction line"
    assert any(c.possibly_not_received or c.movement_during_count for c in counts)
    assert len({c.uuid for c in counts}) == len(counts)
    assert {c.entered_by for c in counts} <= {"clerk", "supervisor"}
    assert all(c.workstation for c in counts)


def test_schedule_and_counts_cover_today_and_the_next_workday(filled):
    db, _ = filled
    with db.session() as s:
        pairs = s.execute(select(CountSchedule.count_date, CountSchedule.material_id)).all()
        assert len(pairs) == len(set(pairs))
        by_day = defaultdict(int)
        for day, _ in pairs:
            by_day[day] += 1
        assert by_day[FRIDAY] and by_day[NEXT_WORKDAY]
        assert all(day.weekday() < 5 for day in by_day)
        count_days = set(s.scalars(select(ActualCount.count_date)))
        assert FRIDAY in count_days and FRIDAY - dt.timedelta(days=1) in count_days
        assert max(count_days) == FRIDAY
        counters = set(s.scalars(select(CountSchedule.counter)))
        count_counters = set(s.scalars(select(ActualCount.counter)))
        assert None in counters and "Calvin" in counters | count_counters
        requests = s.execute(select(CountSchedule.requestor, User.username,
                                    CountSchedule.request_filled, CountSchedule.count_date)
                             .join(User, CountSchedule.requested_by_id == User.id)).all()
        assert requests and {r.username for r in requests} == {"supervisor"}
        assert all(r.requestor for r in requests)
        assert any(r.request_filled for r in requests if r.count_date < FRIDAY)
        assert all(r.request_filled is None for r in requests if r.count_date > FRIDAY)
        reasons = set(s.scalars(select(CountSchedule.reason)))
        assert {"CM Random Count", "Material Movement"} <= reasons


def test_sap_uploads_and_accuracy_bands(filled):
    """Both orgs have an upload on or before today; counts mostly agree with it, not always."""
    db, _ = filled
    with db.session() as s:
        for org in ("L10", "L6"):
            latest = s.scalar(select(func.max(SapStock.upload_date)).join(Organization)
                              .where(Organization.name == org, SapStock.upload_date <= FRIDAY))
            assert latest == FRIDAY
        multiplier = dict(s.execute(select(UnitOfMeasure.uom, UnitOfMeasure.multiplier)).all())
        book = defaultdict(float)
        for day, material, uom, amount in s.execute(
                select(SapStock.upload_date, SapStock.material_id, SapStock.base_uom,
                       SapStock.amount)):
            book[day, material] += amount * multiplier.get(uom, 1.0)
        counted = defaultdict(float)
        for day, material, quantity in s.execute(
                select(ActualCount.count_date, ActualCount.material_id, ActualCount.quantity)
                .where(ActualCount.quantity.is_not(None))):
            counted[day, material] += quantity
        values = {r.value for r in s.execute(select(Parameter)).scalars()
                  if r.name.startswith("ACCURACY-")}
        uoms = set(s.scalars(select(SapStock.base_uom)))
    assert values == {"90", "95", "98.5"}
    assert uoms == {"EA", "KPC"}
    accuracies = [_accuracy(total, book[key]) for key, total in counted.items()]
    success = sum(a > 98.5 for a in accuracies)
    assert success >= 0.6 * len(accuracies)
    assert any(a < 90 for a in accuracies) and any(90 <= a <= 98.5 for a in accuracies)


def test_reference_rows_users_holidays_greetings(filled):
    db, _ = filled
    with db.session() as s:
        users = {u.username: u for u in s.scalars(select(User))}
        holidays = set(s.scalars(select(Holiday.holiday_date)))
        greetings = s.scalars(select(Greeting.text)).all()
    assert {name: u.role for name, u in users.items()} == \
        {"viewer": "viewer", "clerk": "clerk", "supervisor": "supervisor", "admin": "admin"}
    for name, user in users.items():
        assert user.active and user.display_name
        assert verify_password(user.password_hash, name)
        assert not verify_password(user.password_hash, name + "x")
    assert {dt.date(2026, 11, 26), dt.date(2027, 11, 25), dt.date(2026, 12, 25)} <= holidays
    assert len(greetings) >= 10


# ---- the command line --------------------------------------------------------------------

def test_wics_demo_then_db_info_shows_the_rows(db, capsys, monkeypatch):
    monkeypatch.setenv("WICS_TODAY", FRIDAY.isoformat())
    url = _url(db)
    assert cli.main(["--db", url, "demo", "--materials", "200", "--days", "10", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["today"] == FRIDAY.isoformat() and summary["materials"] == 200
    assert cli.main(["--db", url, "db", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    for table in ("materials", "count_schedule", "actual_counts", "sap_stock", "users",
                  "holidays", "organizations", "mpn"):
        assert info["row_counts"][table] == summary["row_counts"][table] > 0, table
    assert tasklog.tail(1)[-1]["job"] == "demo"
    assert tasklog.tail(1)[-1]["rows"] == summary["rows_total"]
    assert cli.main(["--db", url, "demo", "--json"]) == 3
    captured = capsys.readouterr()
    error = json.loads(captured.out)
    assert error["exit_code"] == 3 and "already has data" in error["error"]
    assert "already has data" in captured.err


def test_wics_demo_on_a_new_file_creates_the_schema_and_says_what_it_did(tmp_path, capsys,
                                                                         monkeypatch):
    monkeypatch.setenv("WICS_TODAY", FRIDAY.isoformat())
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    assert cli.main(["--db", url, "demo", "--materials", "50", "--days", "5"]) == 0
    out = capsys.readouterr().out
    assert "50 materials" in out and "clerk/clerk" in out
    assert cli.main(["--db", url, "demo", "--materials", "0"]) == 2


# ---- building blocks ---------------------------------------------------------------------

def test_us_holidays_observed_on_weekdays():
    assert [d for d, _ in us_holidays(2026)] == [
        dt.date(2026, 1, 1), dt.date(2026, 1, 19), dt.date(2026, 2, 16), dt.date(2026, 5, 25),
        dt.date(2026, 6, 19), dt.date(2026, 7, 3), dt.date(2026, 9, 7), dt.date(2026, 11, 26),
        dt.date(2026, 11, 27), dt.date(2026, 12, 25), dt.date(2026, 12, 28)]
    # 2022: New Year on a Saturday is observed on Friday 2021-12-31
    assert us_holidays(2022)[0][0] == dt.date(2021, 12, 31)


def test_timeline_on_a_weekend_still_has_today_and_recent_uploads():
    saturday = dt.date(2026, 10, 17)
    timeline = Timeline.build(saturday, 1, 100)
    assert timeline.count_days == [saturday]
    assert timeline.sap_days == [dt.date(2026, 10, 14), dt.date(2026, 10, 15), FRIDAY]
    assert timeline.future_days[0] == NEXT_WORKDAY
    # Thanksgiving week: the holiday and the day after are skipped
    timeline = Timeline.build(dt.date(2026, 11, 30), 7, 100)
    assert dt.date(2026, 11, 26) not in timeline.sap_days
    assert dt.date(2026, 11, 27) not in timeline.count_days


@settings(max_examples=300, deadline=None)
@given(total=st.integers(0, 10**7), container=st.sampled_from([4, 5, 25, 80, 250, 1000, 10000]),
       pallet=st.integers(4, 48), seed=st.integers(0, 2**32))
def test_built_expressions_evaluate_to_the_total(total, container, pallet, seed):
    import random

    expression = expression_for(total, container, pallet, random.Random(seed))
    assert evaluate(expression) == total
