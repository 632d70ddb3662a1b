"""The replica: first build, incremental refresh of changes and deletions, windows, cost.

The server is the `db` fixture (SQLite and MariaDB in turn); the replica is an SQLite file.
"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select, update

from wics_desktop.core import params
from wics_desktop.core.models import (
    ActualCount,
    CountSchedule,
    ManufacturerPartNumber,
    Material,
    Parameter,
    PartType,
    User,
)
from wics_desktop.core.services import counts, materials, mpns, schedule
from wics_desktop.core.sync import Workstation

from core_fixtures import ACTOR, count, material, sched, setup_orgs

TODAY = dt.date(2026, 11, 20)
OLD = dt.date(2026, 8, 1)       # before the replica's window
OLDER = dt.date(2026, 6, 1)


@pytest.fixture
def ws(db, tmp_path):
    w = Workstation(db, tmp_path / "replica.sqlite")
    yield w
    w.close()


def rows(ws, model, *where):
    with ws.replica.open().session() as s:
        return s.scalars(select(model).where(*where)).all()


def ids(ws, model, *where):
    with ws.replica.open().session() as s:
        key = model.__mapper__.primary_key[0]
        return sorted(s.scalars(select(key).where(*where)))


def server_ids(db, model, *where):
    with db.session() as s:
        key = model.__mapper__.primary_key[0]
        return sorted(s.scalars(select(key).where(*where)))


@pytest.fixture
def warehouse(db):
    with db.session() as s:
        setup_orgs(s)
        a = material(s, "A-100", description="Bolt")
        b = material(s, "B-200", org="L6")
        shared_l10 = material(s, "C-300")
        shared_l6 = material(s, "C-300", org="L6")
        mpns.add_mpn(s, ACTOR, a, "MPN-A")
        count(s, a, day=OLDER, location="R1")
        count(s, a, day=OLD, location="R2")
        count(s, a, day=OLD, location="R3", location_only=True)
        count(s, b, day=TODAY - dt.timedelta(days=1), location="B1")
        sched(s, a, day=TODAY)
        sched(s, b, day=TODAY + dt.timedelta(days=30))   # beyond the window
        s.add(User(username="clerk1", role="clerk", password_hash="h1", active=True))
        s.add(User(username="gone", role="clerk", password_hash="h2", active=False))
    return {"a": a, "b": b, "c10": shared_l10, "c6": shared_l6}


def test_build_copies_what_counting_needs_with_server_ids(db, ws, warehouse):
    result = ws.sync(today=TODAY)
    assert result.built and result.refresh.rows > 0
    assert ids(ws, Material) == server_ids(db, Material)
    with ws.replica.open().session() as s:
        # lookups, display names and last found work on the replica through the same services
        assert materials.resolve(s, "A-100").id == warehouse["a"]
        assert materials.resolve(s, "MPN-A").id == warehouse["a"]
        assert [h.display_name for h in materials.search(s, "C-3")] == ["C-300 (L10)", "C-300 (L6)"]
        found = counts.last_found(s, [warehouse["a"], warehouse["b"]])
        assert found[warehouse["a"]].last_count_date == OLD
        assert found[warehouse["a"]].locations == ["R2", "R3"]
        assert schedule.entry_for(s, warehouse["a"], TODAY) is not None
    # the older count of A (not latest, outside the window) and the far schedule entry stay out
    assert len(rows(ws, ActualCount, ActualCount.material_id == warehouse["a"])) == 2
    assert rows(ws, CountSchedule, CountSchedule.material_id == warehouse["b"]) == []
    hashes = {u.username: u.password_hash for u in rows(ws, User)}
    assert hashes == {"clerk1": "h1", "gone": None}  # no hash for who may not sign in


def test_refresh_without_changes_writes_nothing(db, ws, warehouse):
    ws.sync(today=TODAY)
    again = ws.sync(today=TODAY)
    assert not again.built
    assert again.refresh.rows == 0
    assert again.as_dict() == {"pushed": 0, "already_present": 0, "needs_attention": 0,
                               "refreshed_rows": 0}


def test_refresh_brings_changes_and_deletions_of_master_data(db, ws, warehouse):
    ws.sync(today=TODAY)
    with db.session() as s:
        materials.update_material(s, ACTOR, warehouse["b"], description="Washer, new text")
        new = material(s, "D-400", description="New part")
        mpn_row = mpns.list_mpns(s, warehouse["a"])[0]
        mpns.delete_mpn(s, ACTOR, mpn_row.id)
        materials.delete_material(s, ACTOR, warehouse["c6"])        # C-300 now only in L10
        s.execute(update(PartType).where(PartType.name == "AST-B").values(priority=7,
                                                                       updated_at=func.now()))
        s.execute(delete(PartType).where(PartType.name == "AST-A"))
        params.set_value(s, params.ACCURACY_DANGER, "80")
        s.execute(update(User).where(User.username == "clerk1").values(active=False))
    result = ws.sync(today=TODAY)
    assert result.refresh.rows >= 6
    assert ids(ws, Material) == server_ids(db, Material)
    assert ids(ws, PartType) == server_ids(db, PartType)
    assert rows(ws, ManufacturerPartNumber) == []
    with ws.replica.open().session() as s:
        assert s.get(Material, warehouse["b"]).description == "Washer, new text"
        assert s.get(Material, new).part_number == "D-400"
        assert s.get(PartType,
                     s.scalar(select(PartType.id).where(PartType.name == "AST-B"))).priority == 7
        assert s.get(Parameter, params.ACCURACY_DANGER).value == "80"
        assert s.scalar(select(User.password_hash).where(User.username == "clerk1")) is None
        # the display rule follows: C-300 exists in one organization now
        assert [h.display_name for h in materials.search(s, "C-3")] == ["C-300"]


def test_refresh_replaces_rows_whose_unique_values_moved(db, ws, warehouse):
    """A schedule entry deleted and added again for the same material and day, and two part
    numbers swapped: the replica's unique constraints must not trip over the old rows."""
    ws.sync(today=TODAY)
    with db.session() as s:
        entry = schedule.entry_for(s, warehouse["a"], TODAY)
        schedule.delete_entry(s, ACTOR, entry.id)
        sched(s, warehouse["a"], day=TODAY, counter="Pat")
        materials.update_material(s, ACTOR, warehouse["a"], part_number="TMP")
        materials.update_material(s, ACTOR, warehouse["c10"], part_number="A-100")
        materials.update_material(s, ACTOR, warehouse["a"], part_number="C-300")
    ws.sync(today=TODAY)
    with ws.replica.open().session() as s:
        assert schedule.entry_for(s, warehouse["a"], TODAY).counter == "Pat"
        assert len(s.scalars(select(CountSchedule)).all()) == 1
        assert materials.resolve(s, "A-100").id == warehouse["c10"]
        assert materials.resolve(s, "C-300 (L10)").id == warehouse["a"]


def test_last_found_follows_new_and_deleted_counts(db, ws, warehouse):
    a = warehouse["a"]
    ws.sync(today=TODAY)
    with db.session() as s:
        newer = count(s, a, day=TODAY, location="N1")
    ws.sync(today=TODAY)
    with ws.replica.open().session() as s:
        assert counts.last_found(s, [a])[a].locations == ["N1"]
        # the OLD-day counts left the replica: neither in the window nor latest any more
        assert s.scalar(select(func.count()).select_from(ActualCount)
                        .where(ActualCount.material_id == a)) == 1
    with db.session() as s:
        counts.delete_count(s, ACTOR, newer.id)
    ws.sync(today=TODAY)
    with ws.replica.open().session() as s:
        assert counts.last_found(s, [a])[a] == counts.LastFound(OLD, ["R2", "R3"])


def test_deleting_an_old_latest_count_is_found_by_the_rolling_check(db, ws, warehouse):
    """A count outside the window deleted on the server: the full check finds it at once,
    the rolling check within a round of slices."""
    a = warehouse["a"]
    ws.sync(today=TODAY)
    with db.session() as s:
        for line in counts.counts_on(s, a, OLD).lines:
            counts.delete_count(s, ACTOR, line.id)
    ws.sync(today=TODAY)  # the first slice starts at the lowest material id: it covers them
    with ws.replica.open().session() as s:
        assert counts.last_found(s, [a])[a] == counts.LastFound(OLDER, ["R1"])
    with db.session() as s:
        count(s, a, day=OLD, location="R9")
        s.execute(delete(ActualCount).where(ActualCount.location == "R9").execution_options(
            synchronize_session=False))
        count(s, a, day=OLDER, location="R0")
    result = ws.sync(today=TODAY, full=True)
    assert result.refresh.rows >= 1
    with ws.replica.open().session() as s:
        assert counts.last_found(s, [a])[a] == counts.LastFound(OLDER, ["R0", "R1"])


def test_the_rolling_check_skips_gaps_in_material_ids(db, ws, warehouse):
    """Ids far above the others (a migrated or long-lived database): the rolling check reaches
    them on the next refresh instead of walking thousands of empty slices first."""
    from wics_desktop.core.sync.refresh import SLICE_WIDTH
    high = 3 * SLICE_WIDTH + 7
    with db.session() as s:
        made = material(s, "H-900")
        s.execute(update(Material).where(Material.id == made).values(id=high))
        count(s, high, day=OLDER, location="H1")
        count(s, high, day=OLD, location="H2")
    ws.sync(today=TODAY)
    with db.session() as s:
        for line in counts.counts_on(s, high, OLD).lines:
            counts.delete_count(s, ACTOR, line.id)
    ws.sync(today=TODAY)   # verifies the slice of the low ids
    ws.sync(today=TODAY)   # the next slice starts at the next id that exists
    with ws.replica.open().session() as s:
        assert counts.last_found(s, [high])[high] == counts.LastFound(OLDER, ["H1"])


def test_the_schedule_window_moves_with_the_days(db, ws, warehouse):
    b = warehouse["b"]
    far = TODAY + dt.timedelta(days=30)
    ws.sync(today=TODAY)
    assert rows(ws, CountSchedule, CountSchedule.material_id == b) == []
    ws.sync(today=far - dt.timedelta(days=5))      # two weeks later: the entry is in the window
    assert len(rows(ws, CountSchedule, CountSchedule.material_id == b)) == 1
    ws.sync(today=far + dt.timedelta(days=30))     # and later it has left it again
    assert rows(ws, CountSchedule) == []


def test_window_parameters_come_from_the_server(db, ws, warehouse):
    with db.session() as s:
        params.set_value(s, params.REPLICA_DAYS_AHEAD, "40")
    ws.sync(today=TODAY)
    assert len(rows(ws, CountSchedule, CountSchedule.material_id == warehouse["b"])) == 1


def test_a_killed_build_leaves_no_half_replica(db, ws, warehouse):
    from wics_desktop.core.errors import Cancelled
    from wics_desktop.core.progress import RecordingProgress

    with pytest.raises(Cancelled):
        ws.sync(today=TODAY, progress=RecordingProgress(cancel_at=5))
    assert not ws.has_replica()
    assert rows(ws, Material) == []
    assert ws.sync(today=TODAY).built


def test_no_change_refresh_costs_the_same_for_10_and_300_materials(db, tmp_path, count_queries):
    """Set-based: the statements a refresh sends do not grow with the data."""
    statements = []
    for n in (10, 300):
        with db.session() as s:
            if n == 10:
                setup_orgs(s)
            for i in range(n - (10 if n == 300 else 0)):
                m = material(s, f"Q-{n}-{i}")
                count(s, m, day=OLD if i % 2 else TODAY)
        w = Workstation(db, tmp_path / f"r{n}.sqlite")
        w.sync(today=TODAY)
        with count_queries(db.engine) as q:
            w.sync(today=TODAY)
        statements.append(q.count)
        w.close()
    assert statements[0] == statements[1]


def test_change_checksums_agree_between_server_and_replica(db, ws, warehouse):
    """The overlap check compares (id, updated_at) checksums computed by each database; a
    timestamp a hair below a whole second once came out a second apart on SQLite."""
    from wics_desktop.core.sync.refresh import _micros_sql

    stamps = [dt.datetime(2026, 11, 26, 6, 22, 32, 999780), dt.datetime(2026, 11, 26, 6, 22, 33),
              dt.datetime(2026, 11, 26, 23, 59, 59, 999999), dt.datetime(2026, 1, 1, 0, 0, 0, 1)]
    with db.session() as s:
        ids = [material(s, f"T-{n}") for n in range(len(stamps))]
        for mid, stamp in zip(ids, stamps, strict=True):
            s.execute(update(Material).where(Material.id == mid).values(updated_at=stamp))
    ws.sync(today=TODAY)
    t = Material.__table__
    with db.engine.connect() as sc, ws.replica.open().engine.connect() as rc:
        server = dict(sc.execute(select(t.c.id, _micros_sql(sc, t.c.updated_at))
                                 .where(t.c.id.in_(ids))).all())
        local = dict(rc.execute(select(t.c.id, _micros_sql(rc, t.c.updated_at))
                                .where(t.c.id.in_(ids))).all())
    epoch = dt.datetime(1970, 1, 1)
    assert server == local == {mid: (stamp - epoch) // dt.timedelta(microseconds=1)
                               for mid, stamp in zip(ids, stamps, strict=True)}
