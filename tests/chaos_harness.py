"""Random fault schedules for offline sync: several workstations (processes, each with its own
replica and outbox) count against the real MariaDB through the test proxy while a seeded
schedule breaks things, then a clean sync, then the invariants.

A schedule (from its seed alone, so any failure can be replayed) gives each station a list of
counts (some re-sent with the same uuid, some syncs in between, a count date skewed by a day on
some stations) and a timeline of faults: black hole (a silent server), reset (a server restart:
every connection torn down, also between a commit and its answer), refuse, a slow link,
kill -9 of a station mid-work (restarted at once: it re-sends the interrupted count), a
material deleted or re-keyed on the server while stations may be offline.

The invariants, checked against each station's own journal of what it saved:
- every count a station saved (online or offline) is on the server exactly once, or on the
  server's needs-attention list with its reason - never lost, never both;
- the server holds no count that no station tried to save;
- after a clean sync no outbox has anything pending, and every replica holds exactly the
  server's counts and materials.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid as uuidlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from sync_fixtures import FlakyProxy  # noqa: E402

FAULTS = ("blackhole", "reset", "refuse", "slow", "kill", "delete_material", "rekey_material")
NAMESPACE = uuidlib.UUID("7d3e4a52-3c5e-4d0e-9b0a-5f3b7f2c1a11")


@dataclass
class Schedule:
    seed: int
    stations: list[list[dict]]          # operations per station
    skew_days: list[int]                # count date offset per station (clock skew)
    faults: list[tuple[float, str, int]]  # (seconds after start, fault, argument)
    materials: int

    def describe(self) -> str:
        ops = sum(len(s) for s in self.stations)
        return (f"seed {self.seed}: {len(self.stations)} stations, {ops} operations, faults "
                + ", ".join(f"{f}@{t:.1f}s" for t, f, _a in self.faults))


@dataclass
class Outcome:
    seed: int
    violations: list[str] = field(default_factory=list)
    saved: int = 0
    on_server: int = 0
    attention: int = 0
    kills: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.violations


def make_schedule(seed: int, *, stations: int = 3, counts: int = 8, materials: int = 6,
                  duration: float = 6.0) -> Schedule:
    rng = random.Random(seed)
    plans, skews = [], []
    for st in range(stations):
        ops: list[dict] = []
        for n in range(counts):
            uid = str(uuidlib.uuid5(NAMESPACE, f"{seed}/{st}/{n}"))
            ops.append({"op": "add", "uuid": uid, "material": f"C-{rng.randrange(materials)}",
                        "qty": rng.choice(["1", "12*4+3", "-2", "0", "7/2", "(5+5)*10"]),
                        "counter": f"Clerk{st}", "location": f"L{rng.randrange(4)}",
                        "pause": rng.choice([0, 0.1, 0.3])})
            if rng.random() < 0.15:  # the same count sent again (a retyped scan, a retry)
                ops.append(dict(ops[-1], pause=0))
            if rng.random() < 0.15:
                ops.append({"op": "sync", "pause": 0})
        plans.append(ops)
        skews.append(rng.choice([0, 0, -1, 1]))
    faults = []
    t = rng.uniform(0.0, 0.5)
    while t < duration:
        fault = rng.choice(FAULTS)
        faults.append((round(t, 2), fault, rng.randrange(max(stations, materials))))
        t += rng.uniform(0.3, 1.2)
    return Schedule(seed, plans, skews, faults, materials)


class _Station:
    def __init__(self, index: int, url: str, workdir: Path, ops: list[dict], skew: int) -> None:
        self.index, self.url = index, url
        self.dir = workdir / f"station{index}"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.journal = self.dir / "journal.txt"
        self.ops_file = self.dir / "ops.json"
        day = (dt.date.today() + dt.timedelta(days=skew)).isoformat()
        self.ops_file.write_text(json.dumps([dict(o, date=day) for o in ops]))
        self.env = dict(os.environ, WICS_DATA_DIR=str(self.dir / "data"),
                        WICS_LOG_DIR=str(self.dir / "log"), WICS_TODAY=day)
        self.proc: subprocess.Popen | None = None

    def replica_path(self) -> Path:
        from wics_desktop.core.sync.replica import default_path

        saved = os.environ.get("WICS_DATA_DIR")
        os.environ["WICS_DATA_DIR"] = self.env["WICS_DATA_DIR"]
        try:
            return default_path(self.url)
        finally:
            if saved is None:
                os.environ.pop("WICS_DATA_DIR", None)
            else:
                os.environ["WICS_DATA_DIR"] = saved

    def sync(self) -> str | None:
        """A sync in the controller's process on this station's replica and outbox (what
        `wics sync` does); the error in words, or None."""
        from wics_desktop.core.db import Database
        from wics_desktop.core.sync import Workstation

        database = Database(self.url, read_timeout=30)
        ws = Workstation(database, self.replica_path())
        try:
            ws.sync()
            return None
        except Exception as exc:  # noqa: BLE001 - reported as a violation
            return f"{exc.__class__.__name__}: {exc}"
        finally:
            ws.close()
            database.dispose()

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "chaos_station.py"), self.url, str(self.journal),
             str(self.ops_file)], env=self.env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def journal_sets(self) -> tuple[set[str], set[str]]:
        tried, saved = set(), set()
        if self.journal.exists():
            for line in self.journal.read_text(encoding="utf-8").splitlines():
                parts = line.split()
                if len(parts) >= 2 and parts[0] == "try":
                    tried.add(parts[1])
                elif len(parts) >= 2 and parts[0] == "saved":
                    saved.add(parts[1])
        return tried, saved


def _server_database(server_url) -> tuple[str, str]:
    """A fresh WICS database on the MariaDB server: (its URL, its name)."""
    name = f"wics_chaos_{os.getpid()}_{uuidlib.uuid4().hex[:8]}"
    engine = create_engine(server_url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"))
    engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False), name


def _drop(server_url, name: str) -> None:
    engine = create_engine(server_url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
    engine.dispose()


def run_schedule(server_url, schedule: Schedule, workdir: Path) -> Outcome:
    from wics_desktop.core import schema
    from wics_desktop.core.actor import Actor
    from wics_desktop.core.db import Database
    from wics_desktop.core.services import materials, orgs

    started = time.monotonic()
    outcome = Outcome(schedule.seed)
    url, name = _server_database(server_url)
    database = Database(url)
    proxy = FlakyProxy()
    admin = Actor(username="chaos", workstation="controller", role="admin")
    try:
        schema.upgrade(database)
        with database.session() as s:
            orgs.add_org(s, admin, "L10")
            ids = [materials.create_material(s, admin, materials.MaterialInput(
                org="L10", part_number=f"C-{n}")).id for n in range(schedule.materials)]
        station_url = proxy.url(url)
        stations = [_Station(i, station_url, workdir, ops, schedule.skew_days[i])
                    for i, ops in enumerate(schedule.stations)]
        for st in stations:  # each builds its replica while the network is fine
            error = st.sync()
            if error:
                outcome.violations.append(f"station {st.index}: first sync failed: {error}")
                return outcome
        for st in stations:
            st.start()
        _play(schedule, stations, proxy, database, admin, ids, outcome)
        deadline = time.monotonic() + 180
        while any(st.running() for st in stations) and time.monotonic() < deadline:
            time.sleep(0.1)
        proxy.restore()
        for st in stations:
            if st.running():
                st.kill()
                outcome.violations.append(f"station {st.index} did not finish its work in 180 s")
            st.start()  # finish what a kill interrupted, network now fine
        for st in stations:
            st.proc.wait(180)
        # The clean sync: a first round sends every outbox, a second round brings every
        # replica up to date with what the others sent after it had refreshed.
        for _round in range(2):
            for st in stations:
                error = st.sync()
                if error:
                    outcome.violations.append(f"station {st.index}: clean sync failed: {error}")
        _check(database, stations, outcome)
    finally:
        proxy.close()
        database.dispose()
        _drop(server_url, name)
        outcome.seconds = time.monotonic() - started
    return outcome


def _play(schedule, stations, proxy, database, admin, ids, outcome) -> None:
    from wics_desktop.core.errors import WicsError
    from wics_desktop.core.services import materials

    # The clock starts when every station has begun counting (start-up takes a second or two),
    # so the faults meet the work instead of an idle network.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(
            st.journal.exists() or not st.running() for st in stations):
        time.sleep(0.05)
    start = time.monotonic()
    for at, fault, arg in schedule.faults:
        while time.monotonic() - start < at:
            if not any(st.running() for st in stations):
                break
            time.sleep(0.02)
        if fault in ("blackhole", "refuse", "slow", "reset"):
            proxy.restore()  # one network fault at a time, each lasting until the next fault
        if fault == "blackhole":
            proxy.blackhole()
        elif fault == "reset":
            proxy.reset()
            proxy.restore()
        elif fault == "refuse":
            proxy.refuse()
        elif fault == "slow":
            proxy.slow(0.03)
        elif fault == "kill":
            st = stations[arg % len(stations)]
            if st.running():
                st.kill()
                outcome.kills += 1
                st.start()
        elif fault in ("delete_material", "rekey_material"):
            mid = ids[arg % len(ids)]
            try:
                with database.session() as s:
                    if fault == "delete_material":
                        materials.delete_material(s, admin, mid)
                    else:
                        materials.update_material(s, admin, mid, part_number=f"R-{mid}")
            except WicsError:
                pass  # counted already, or gone: the server refuses, as it would a person
    proxy.restore()


def _check(database, stations, outcome: Outcome) -> None:
    from wics_desktop.core.db import Database
    from wics_desktop.core.models import ActualCount, AttentionCount, Material, OutboxCount
    from wics_desktop.core.models.sync import OUTBOX_PENDING
    tried, saved = set(), set()
    for st in stations:
        t, s_ = st.journal_sets()
        tried |= t
        saved |= s_
    with database.session() as s:
        server = s.scalars(select(ActualCount.uuid)).all()
        attention = set(s.scalars(select(AttentionCount.uuid)))
        server_materials = set(s.execute(select(Material.id, Material.part_number)).all())
    on_server = set(server)
    outcome.saved, outcome.on_server, outcome.attention = len(saved), len(on_server), len(attention)
    if len(server) != len(on_server):
        outcome.violations.append("a count is on the server twice")
    for u in sorted(saved - on_server - attention):
        outcome.violations.append(f"count {u} was saved by a station and is lost")
    for u in sorted(on_server & attention):
        outcome.violations.append(f"count {u} is both stored and on the attention list")
    for u in sorted(on_server - tried):
        outcome.violations.append(f"count {u} is on the server but no station saved it")
    for u in sorted(attention - tried):
        outcome.violations.append(f"count {u} needs attention but no station saved it")
    for st in stations:
        replica = Database(f"sqlite:///{st.replica_path()}")
        try:
            with replica.session() as s:
                pending = s.scalar(select(func.count()).select_from(OutboxCount)
                                   .where(OutboxCount.state == OUTBOX_PENDING))
                local = set(s.scalars(select(ActualCount.uuid)))
                local_materials = set(s.execute(select(Material.id, Material.part_number)).all())
        finally:
            replica.dispose()
        if pending:
            outcome.violations.append(f"station {st.index}: {pending} count(s) still pending "
                                      "after a clean sync")
        if local != on_server:
            outcome.violations.append(
                f"station {st.index}: replica differs from the server after a clean sync "
                f"({len(local - on_server)} extra: {sorted(local - on_server)[:3]}, "
                f"{len(on_server - local)} missing: {sorted(on_server - local)[:3]})")
        if local_materials != server_materials:
            outcome.violations.append(f"station {st.index}: replica materials differ from "
                                      "the server's")
