"""Fixtures and data builders for the desktop tests (import * from a test module).

- `qt_leak_guard` (autouse where imported): fails a test that leaves a QThread running, a
  QTimer active or a worker busy when it ends - the napari habit that keeps GUI tests honest.
- `ctx_factory`: an AppContext (user, TaskRunner) on a database; the runner is drained and
  checked at teardown.
- builders that bulk-insert materials, counts and schedule rows without going through forms.
"""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import insert, select

from wics_desktop.core.actor import Actor
from wics_desktop.core.models import ActualCount, Material, Organization, PartType


@pytest.fixture(autouse=True)
def isolated_settings(monkeypatch, tmp_path):
    """Each test starts with no saved window/column layout (QSettings lives in the config dir)."""
    monkeypatch.setenv("WICS_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture(autouse=True)
def qt_leak_guard(monkeypatch, request):
    """Fail any test that leaves a QThread or QTimer running or a worker busy."""
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        yield
        return
    from PySide6.QtCore import QCoreApplication, QThread, QTimer

    from wics_desktop.ui import workers

    timers: list = []
    threads: list = []
    runners: list = []
    base_start, base_thread_start = QTimer.start, QThread.start
    base_single = QTimer.singleShot
    base_runner_init = workers.TaskRunner.__init__

    def start(self, *args, **kwargs):
        timers.append(self)
        return base_start(self, *args, **kwargs)

    def thread_start(self, *args, **kwargs):
        threads.append(self)
        return base_thread_start(self, *args, **kwargs)

    def runner_init(self, *args, **kwargs):
        base_runner_init(self, *args, **kwargs)
        runners.append(self)

    def single_shot(*args):
        # singleShot(ms, callable) / (ms, context, callable) / (ms, receiver, slot-name)
        msec, rest = args[0], args[1:]
        timer = QTimer(rest[0] if len(rest) == 2 and not callable(rest[0]) else None)
        timer.setSingleShot(True)
        target = rest[-1]
        if isinstance(target, (str, bytes)):
            return base_single(*args)
        timer.timeout.connect(target)
        timer.timeout.connect(timer.deleteLater)
        start(timer, msec)
        _keep.append(timer)

    _keep: list = []
    monkeypatch.setattr(QTimer, "start", start)
    monkeypatch.setattr(QThread, "start", thread_start)
    monkeypatch.setattr(QTimer, "singleShot", staticmethod(single_shot))
    monkeypatch.setattr(workers.TaskRunner, "__init__", runner_init)
    yield

    def active_timers():
        alive = []
        for t in timers:
            try:
                if t.isActive():
                    alive.append(t)
            except RuntimeError:  # already deleted by Qt
                pass
        return alive

    import time

    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline:
        busy = [r for r in runners if _runner_busy(r)]
        if not busy and not active_timers() and not any(_running(t) for t in threads):
            break
        QCoreApplication.processEvents()
        time.sleep(0.01)
    problems = []
    for r in runners:
        if _runner_busy(r):
            problems.append(f"a TaskRunner still has {r.pool.activeThreadCount()} busy worker(s)")
    for t in active_timers():
        try:
            problems.append(f"QTimer still active (interval {t.interval()} ms, "
                            f"parent {type(t.parent()).__name__})")
        except RuntimeError:
            pass
    problems += [f"QThread still running: {t!r}" for t in threads if _running(t)]
    _keep.clear()
    if problems:
        pytest.fail("test left work running:\n  " + "\n  ".join(problems))


def _runner_busy(runner) -> bool:
    try:
        return runner.pool.activeThreadCount() > 0
    except RuntimeError:
        return False


def _running(thread) -> bool:
    try:
        return thread.isRunning()
    except RuntimeError:
        return False


# ---- contexts -------------------------------------------------------------------------------

@pytest.fixture
def ctx_factory(qtbot):
    """make(database, role='clerk', username=None) -> AppContext with a real user."""
    from wics_desktop.core.services import users
    from wics_desktop.ui.context import AppContext
    from wics_desktop.ui.workers import TaskRunner

    made = []

    def make(database, role: str = "clerk", username: str | None = None,
             display: str | None = None):
        name = username or f"{role}1"
        with database.session() as s:
            info = users.get(s, name) or users.create_user(
                s, name, f"{name}-password", role=role, display_name=display, actor=Actor.system())
        runner = TaskRunner(database)
        ctx = AppContext(database=database, user=info, runner=runner, workstation="test-pc")
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.runner.cancel_all()
        assert ctx.runner.wait(10000), "background work did not finish"


# ---- data builders --------------------------------------------------------------------------

def add_org(database, name: str = "L10") -> int:
    with database.session() as s:
        org = s.scalar(select(Organization).where(Organization.name == name))
        if org is None:
            org = Organization(name=name)
            s.add(org)
            s.flush()
        return org.id


def add_materials(database, n: int, org: str = "L10", prefix: str = "M", start: int = 0,
                  part_type: str | None = None, **fields) -> list[int]:
    """n materials PREFIX000000.. in one org (bulk insert); returns their ids in order."""
    org_id = add_org(database, org)
    with database.session() as s:
        pt_id = None
        if part_type:
            pt_id = s.scalar(select(PartType.id).where(PartType.name == part_type))
            if pt_id is None:
                row = PartType(name=part_type)
                s.add(row)
                s.flush()
                pt_id = row.id
        rows = [{"org_id": org_id, "part_number": f"{prefix}{i:06d}",
                 "description": f"Widget {prefix}{i:06d} {('blue', 'red', 'steel')[i % 3]}",
                 "part_type_id": pt_id, **fields}
                for i in range(start, start + n)]
        for k in range(0, len(rows), 20000):
            s.execute(insert(Material), rows[k:k + 20000])
        ids = s.scalars(select(Material.id).where(
            Material.org_id == org_id, Material.part_number.in_(
                [r["part_number"] for r in rows[:50000]]))
            .order_by(Material.part_number)).all() if n <= 50000 else s.scalars(
            select(Material.id).where(Material.org_id == org_id)
            .order_by(Material.part_number)).all()
    return list(ids)


def add_counts(database, n: int, material_ids: list[int], *, first_day: dt.date,
               days: int = 30, counter: str = "Chris") -> None:
    """n counts spread over `days` days and the given materials (bulk insert)."""
    batch = []
    with database.session() as s:
        for i in range(n):
            q = (i % 997) + 1
            batch.append({
                "uuid": str(uuid.uuid4()), "count_date": first_day + dt.timedelta(days=i % days),
                "material_id": material_ids[i % len(material_ids)], "counter": counter,
                "location": f"R{i % 50:02d}-{i % 7}", "expression": f"{q}*2+1",
                "quantity": float(q * 2 + 1), "location_only": False,
                "possibly_not_received": False, "movement_during_count": False,
            })
            if len(batch) == 20000:
                s.execute(insert(ActualCount), batch)
                batch = []
        if batch:
            s.execute(insert(ActualCount), batch)
