"""Build and refresh a replica from the server: changed rows by `updated_at`, deletions by ids.

Changes. Every replicated table has `updated_at`, set by the *server's* clock. A table's marker
is the largest `updated_at` the replica has seen. A refresh asks for the (key, updated_at) pairs
changed since `marker - OVERLAP` (an index range scan), compares them with the replica and
fetches only the rows that differ, then stores them with INSERT OR REPLACE (idempotent; it also
clears a stale replica row that holds a unique value the server gave to another row meanwhile).
The overlap re-reads the last minutes on purpose: a row written at 10:00:00 by a transaction
that commits at 10:00:40 carries the earlier time, and PC clocks play no part.

Deletions, without triggers. After the changes are in, the replica holds every server row in
scope (plus those deleted since), so comparing COUNT(*) and SUM(id) per table (per window for
the schedule and counts) tells whether anything was deleted; only then are the key lists
diffed. For counts the "latest count date of each material" part is verified one slice of
material ids per refresh (a rolling check: the whole table every SLICE_COUNT minutes, once per
refresh for materials touched by a change), because a full check costs a GROUP BY over every
count. `full=True` verifies all slices at once.

Everything a refresh writes to the replica is one transaction; every server read is one
transaction (one consistent snapshot on InnoDB).
"""
from __future__ import annotations

import datetime as dt
import time
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    cast,
    func,
    insert,
    literal_column,
    select,
    text,
    true,
)
from sqlalchemy.engine import Connection, Row

from .. import params
from ..clock import today as clock_today
from ..clock import utcnow
from ..db import Database, translate_db_errors
from ..dialect import table_of
from ..models import ActualCount, Material, Parameter
from ..progress import Progress, check_cancel, ensure
from .replica import STATE_BUILT_AT, STATE_REFRESHED_AT
from .tables import COUNTS, SCHEDULE_WINDOW, TABLES, ReplicaTable

if TYPE_CHECKING:
    from sqlalchemy import CompoundSelect
    from typing_extensions import TypeVarTuple, Unpack

    _Ts = TypeVarTuple("_Ts")
    AnyRow = Row[Unpack[tuple[Any, ...]]]        # a row of any columns
    AnySelect = Select[Unpack[tuple[Any, ...]]]  # a SELECT of any columns
    AnyUnion = CompoundSelect[Unpack[tuple[Any, ...]]]
    # Narrows a query to some materials, given the material_id column.
    MaterialCond = Callable[[ColumnElement[Any]], ColumnElement[bool]]

T = TypeVar("T")

OVERLAP = dt.timedelta(minutes=10)
SLICE_WIDTH = 5000       # material ids whose latest-count-date part one refresh verifies
CHUNK = 2000             # keys per IN (...) list
STREAM_ROWS = 5000       # rows per write while building

_MARKER = "marker:"
_WINDOW = "window_start"
_SLICE = "latest_slice_start"


@dataclass
class TableChange:
    upserted: int = 0
    deleted: int = 0


@dataclass
class RefreshResult:
    built: bool = False
    seconds: float = 0.0
    window: tuple[dt.date, dt.date] | None = None
    tables: dict[str, TableChange] = field(default_factory=dict)

    @property
    def upserted(self) -> int:
        return sum(t.upserted for t in self.tables.values())

    @property
    def deleted(self) -> int:
        return sum(t.deleted for t in self.tables.values())

    @property
    def rows(self) -> int:
        """Rows written to or removed from the replica (what `wics sync` reports)."""
        return self.upserted + self.deleted


_PRIME = 1000000007  # keeps checksum terms small: SQLite's SUM must not overflow 64 bits


def _micros_sql(conn: Connection, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """Microseconds since 1970 of a timestamp column, exactly, in the connection's dialect."""
    if conn.dialect.name in ("mysql", "mariadb"):
        return func.timestampdiff(literal_column("MICROSECOND"),
                                  literal_column("'1970-01-01 00:00:00'"), column)
    # SQLite keeps 'YYYY-MM-DD HH:MM:SS[.ffffff]' text (3 digits when the server wrote it)
    # (whole seconds only: strftime rounds a fraction like .9998 up to the next second)
    seconds = cast(func.strftime("%s", func.substr(column, 1, 19)), Integer)
    fraction = cast(func.substr(column.op("||")("000000"), 21, 6), Integer)
    return seconds * 1000000 + fraction


def _chunks(items: list[T], size: int = CHUNK) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _as_dt(value: object) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


class _Refresher:
    """One refresh: a server connection (read), a replica connection (write), the window."""

    def __init__(self, server: Connection, replica: Connection, today: dt.date,
                 progress: Progress) -> None:
        self.s = server
        self.r = replica
        self.progress = progress
        self.result = RefreshResult()
        values = dict(self.s.execute(select(Parameter.name, Parameter.value)).all())
        back = int(params.as_float(values, params.REPLICA_DAYS_BACK))
        ahead = int(params.as_float(values, params.REPLICA_DAYS_AHEAD))
        self.window_start = today - dt.timedelta(days=max(back, 0))
        self.window_end = today + dt.timedelta(days=max(ahead, 0))
        self.result.window = (self.window_start, self.window_end)
        self.state: dict[str, str | None] = dict(
            self.r.execute(text("SELECT name, value FROM sync_state")).all())
        self.touched_materials: set[int] = set()

    # ---- scope -----------------------------------------------------------------------------
    def scope(self, spec: ReplicaTable, *, replica: bool) -> ColumnElement[bool] | None:
        """The WHERE condition of what the replica holds of a table (None: all of it)."""
        t = spec.table
        conds: list[ColumnElement[bool]] = []
        if spec.scope == SCHEDULE_WINDOW:
            conds.append(t.c.count_date.between(self.window_start, self.window_end))
        elif spec.scope == COUNTS:  # the windowed part; the latest-date part is checked apart
            conds.append(t.c.count_date >= self.window_start)
        if replica and spec.scope == COUNTS:
            conds.append(t.c.id > 0)  # counts typed here offline are not the server's
        return and_(*conds) if conds else None

    def _where(self, q: Select[Unpack[_Ts]],
               cond: ColumnElement[bool] | None) -> Select[Unpack[_Ts]]:
        return q.where(cond) if cond is not None else q

    def change(self, spec: ReplicaTable) -> TableChange:
        return self.result.tables.setdefault(spec.name, TableChange())

    # ---- writing ---------------------------------------------------------------------------
    def upsert(self, spec: ReplicaTable, rows: Iterable[AnyRow]) -> int:
        batch = []
        for row in rows:
            values = dict(row._mapping)
            if spec.transform is not None:
                values = spec.transform(values)
            batch.append(values)
        if not batch:
            return 0
        if spec.scope == COUNTS:
            self.touched_materials.update(v["material_id"] for v in batch)
        stmt = insert(spec.table).prefix_with("OR REPLACE")
        for chunk in _chunks(batch, STREAM_ROWS):
            self.r.execute(stmt, chunk)
        self.change(spec).upserted += len(batch)
        return len(batch)

    def delete_keys(self, spec: ReplicaTable, keys: list[Any]) -> int:
        if not keys:
            return 0
        t = spec.table
        for chunk in _chunks(keys):
            if spec.scope == COUNTS:
                self.touched_materials.update(self.r.scalars(
                    select(t.c.material_id).where(spec.key.in_(chunk))).all())
            self.r.execute(t.delete().where(spec.key.in_(chunk)))
        self.change(spec).deleted += len(keys)
        return len(keys)

    def fetch_rows(self, spec: ReplicaTable, keys: list[Any]) -> Iterator[AnyRow]:
        for chunk in _chunks(keys):
            yield from self.s.execute(select(spec.table).where(spec.key.in_(chunk)))

    # ---- build -----------------------------------------------------------------------------
    def build(self) -> None:
        """A first, complete copy (streams; counts typed offline here are kept)."""
        for n, spec in enumerate(TABLES):
            check_cancel(self.progress)
            self.progress.step(n, len(TABLES), f"Copying {spec.name}")
            t = spec.table
            self.r.execute(t.delete().where(spec.key > 0) if spec.scope == COUNTS else t.delete())
            q: AnySelect | AnyUnion  # a union when the latest-date counts are added
            q = self._where(select(t), self.scope(spec, replica=False))
            if spec.scope == COUNTS:
                q = q.union(self._latest_rows_query(None))
            rows = self.s.execute(q, execution_options={"stream_results": True,
                                                        "yield_per": STREAM_ROWS})
            for part in rows.partitions(STREAM_ROWS):
                self.upsert(spec, part)
            # The whole table's latest change (same snapshot): rows outside the scope too.
            marker = _as_dt(self.s.scalar(select(func.max(t.c.updated_at))))
            self.state[_MARKER + spec.name] = marker.isoformat() if marker else None
        self.state[_SLICE] = "0"

    # ---- incremental -----------------------------------------------------------------------
    def _recent_fingerprint(self, conn: Connection, spec: ReplicaTable, since: dt.datetime,
                            *, replica: bool) -> tuple[int, ...]:
        """COUNT, SUM(id) and a checksum of (key, updated_at) over rows changed since `since`:
        equal on both sides means the replica already has every one of them as it is."""
        t, key = spec.table, spec.key
        micros = _micros_sql(conn, t.c.updated_at)
        mixed = (key * 1000003 + micros) if spec.int_key else micros
        cols: list[ColumnElement[Any]] = [func.count(),
                                          func.coalesce(func.sum(mixed % _PRIME), 0)]
        if spec.int_key:
            cols.append(func.coalesce(func.sum(key), 0))
        q = select(*cols).select_from(t).where(t.c.updated_at >= since)
        if spec.scope == SCHEDULE_WINDOW:
            window = self.scope(spec, replica=replica)
            assert window is not None  # the schedule's scope is its date window
            q = q.where(window)
        elif spec.scope == COUNTS and replica:
            q = q.where(t.c.id > 0)
        return tuple(int(v) for v in conn.execute(q).one())

    def apply_changes(self, spec: ReplicaTable) -> None:
        t, key = spec.table, spec.key
        marker = _as_dt(self.state.get(_MARKER + spec.name))
        if marker is not None:
            # The overlap re-reads the last minutes on every refresh; after a big import that
            # is many rows, so first ask whether the replica has them all already.
            since = marker - OVERLAP
            if (self._recent_fingerprint(self.s, spec, since, replica=False)
                    == self._recent_fingerprint(self.r, spec, since, replica=True)):
                return
        q = select(key, t.c.updated_at)
        if marker is not None:
            q = q.where(t.c.updated_at >= marker - OVERLAP)
        if spec.scope == SCHEDULE_WINDOW:
            q = self._where(q, self.scope(spec, replica=False))
        if spec.scope == COUNTS:
            q = q.add_columns(t.c.count_date, t.c.material_id)
        server = self.s.execute(q).all()
        if not server:
            return
        local: dict[Any, Any] = {}
        for chunk in _chunks([row[0] for row in server]):
            local.update(self.r.execute(select(key, t.c.updated_at).where(key.in_(chunk))).all())
        changed = [row[0] for row in server if _as_dt(local.get(row[0])) != _as_dt(row[1])]
        if spec.scope == COUNTS:
            changed = self._counts_worth_fetching(server, set(changed), local)
        self.upsert(spec, self.fetch_rows(spec, changed))
        # updated_at is NOT NULL: every server row has its time stamp
        top = max(typing.cast(dt.datetime, _as_dt(row[1])) for row in server)
        if marker is None or top > marker:
            self.state[_MARKER + spec.name] = top.isoformat()

    def _counts_worth_fetching(self, server: Sequence[AnyRow], changed: set[Any],
                               local: dict[Any, Any]) -> list[Any]:
        """Changed counts the replica holds, or that fall in its scope (in the window, or not
        older than the replica's latest date of their material); an old count edited on the
        server that the replica never held is not fetched again on every refresh."""
        ac = table_of(ActualCount)
        mids = sorted({row[3] for row in server if row[0] in changed and row[0] not in local})
        latest: dict[int, dt.date] = {}
        for chunk in _chunks(mids):
            latest.update(self.r.execute(
                select(ac.c.material_id, func.max(ac.c.count_date))
                .where(ac.c.id > 0, ac.c.material_id.in_(chunk))
                .group_by(ac.c.material_id)).all())
        keep = []
        for key, _ts, day, mid in server:
            if key not in changed:
                continue
            last = latest.get(mid)
            if key in local or day >= self.window_start or last is None or day >= last:
                keep.append(key)
        return keep

    def _fingerprint(self, conn: Connection, spec: ReplicaTable,
                     cond: ColumnElement[bool] | None) -> tuple[int, ...]:
        t, key = spec.table, spec.key
        cols: list[ColumnElement[Any]] = [func.count()]
        if spec.int_key:
            cols.append(func.coalesce(func.sum(key), 0))
        row = conn.execute(self._where(select(*cols).select_from(t), cond)).one()
        return tuple(int(v) for v in row)

    def verify(self, spec: ReplicaTable) -> None:
        """Remove what the server deleted (or moved out of scope), add what is missing."""
        s_cond, r_cond = self.scope(spec, replica=False), self.scope(spec, replica=True)
        if self._fingerprint(self.s, spec, s_cond) == self._fingerprint(self.r, spec, r_cond):
            return
        key = spec.key
        server_keys = set(self.s.scalars(self._where(select(key), s_cond)).all())
        local_keys = set(self.r.scalars(self._where(select(key), r_cond)).all())
        self.delete_keys(spec, sorted(local_keys - server_keys))
        self.upsert(spec, self.fetch_rows(spec, sorted(server_keys - local_keys)))

    # ---- counts: each material's latest count date ---------------------------------------
    def _latest_rows_query(self, material_cond: MaterialCond | None, *, replica: bool = False,
                           ids_only: bool = False) -> AnySelect:
        """Counts on their material's latest count date (optionally for some materials)."""
        ac = table_of(ActualCount)
        inner = select(ac.c.material_id, func.max(ac.c.count_date).label("d"))
        if replica:
            inner = inner.where(ac.c.id > 0)
        if material_cond is not None:
            inner = inner.where(material_cond(ac.c.material_id))
        latest = inner.group_by(ac.c.material_id).subquery()
        q: AnySelect = select(ac.c.id) if ids_only else select(ac)
        q = q.join(latest, and_(latest.c.material_id == ac.c.material_id,
                                latest.c.d == ac.c.count_date))
        if replica:
            q = q.where(ac.c.id > 0)
        return q

    def verify_latest(self, material_cond: MaterialCond | None) -> None:
        spec = _counts_spec()
        server_q = self._latest_rows_query(material_cond, ids_only=True).subquery()
        local_q = self._latest_rows_query(material_cond, replica=True, ids_only=True).subquery()
        fp = [func.count(), func.coalesce(func.sum(literal_column("id")), 0)]
        server_fp = tuple(int(v) for v in self.s.execute(select(*fp).select_from(server_q)).one())
        local_fp = tuple(int(v) for v in self.r.execute(select(*fp).select_from(local_q)).one())
        if server_fp == local_fp:
            return
        ac = table_of(ActualCount)
        which = material_cond(ac.c.material_id) if material_cond is not None else true()
        server_ids = set(self.s.scalars(select(server_q.c.id)).all())
        # Replica rows of these materials outside the window must be latest on the server.
        old_local = set(self.r.scalars(select(ac.c.id).where(
            ac.c.id > 0, ac.c.count_date < self.window_start, which)).all())
        all_local = set(self.r.scalars(select(ac.c.id).where(ac.c.id > 0, which)).all())
        self.delete_keys(spec, sorted(old_local - server_ids))
        self.upsert(spec, self.fetch_rows(spec, sorted(server_ids - all_local)))

    def prune_schedule(self) -> None:
        """Drop schedule entries the moving window has left behind."""
        for spec in TABLES:
            if spec.scope == SCHEDULE_WINDOW:
                t = spec.table
                n = self.r.execute(t.delete().where(
                    ~t.c.count_date.between(self.window_start, self.window_end))).rowcount
                self.change(spec).deleted += max(n, 0)

    def prune_counts(self, material_ids: set[int] | None) -> None:
        """Drop replica counts that are neither in the window nor on their latest date."""
        sql = ("DELETE FROM actual_counts WHERE id > 0 AND count_date < :ws AND count_date < "
               "(SELECT MAX(x.count_date) FROM actual_counts x "
               " WHERE x.material_id = actual_counts.material_id AND x.id > 0)")
        spec = _counts_spec()
        if material_ids is None:
            n = self.r.execute(text(sql), {"ws": self.window_start}).rowcount
        else:
            n = 0
            for chunk in _chunks(sorted(material_ids)):
                marks = ", ".join(str(int(m)) for m in chunk)
                n += self.r.execute(text(sql + f" AND material_id IN ({marks})"),
                                    {"ws": self.window_start}).rowcount
        self.change(spec).deleted += max(n, 0)

    def refresh(self, full: bool) -> None:
        for n, spec in enumerate(TABLES):
            check_cancel(self.progress)
            self.progress.step(n, 2 * len(TABLES) + 1, f"Checking {spec.name} for changes")
            self.apply_changes(spec)
        for n, spec in enumerate(TABLES):
            check_cancel(self.progress)
            self.progress.step(len(TABLES) + n, 2 * len(TABLES) + 1,
                               f"Checking {spec.name} for deletions")
            self.verify(spec)
        self._verify_counts_latest(full)
        self.prune_schedule()
        window_moved = self.state.get(_WINDOW) != self.window_start.isoformat()
        self.prune_counts(None if window_moved else self.touched_materials)

    def _verify_counts_latest(self, full: bool) -> None:
        touched = sorted(self.touched_materials)
        for chunk in _chunks(touched):
            self.verify_latest(_material_in(chunk))
        top = int(self.s.scalar(select(func.coalesce(func.max(Material.id), 0))) or 0)
        if full:
            self.verify_latest(None)
            return
        # The slice starts at the first material id at or after the saved position, so gaps
        # in the ids (a database whose ids start high, mass deletions) cost no empty rounds;
        # past the last id it wraps to the lowest.
        saved = int(self.state.get(_SLICE) or 0)
        start = self.s.scalar(select(func.min(Material.id)).where(Material.id >= saved))
        if start is None:
            start = self.s.scalar(select(func.min(Material.id)))
        if start is None:
            return
        start = int(start)
        end = start + SLICE_WIDTH
        self.verify_latest(lambda col: and_(col >= start, col < end))
        self.state[_SLICE] = str(end if end <= top else 0)

    # ---- local tidy-up and notes -----------------------------------------------------------
    def finish(self) -> None:
        # A material deleted on the server takes this PC's unsent counts of it out of the
        # replica's lists; they stay in the outbox and go to "needs attention" when pushed.
        self.r.execute(text("DELETE FROM actual_counts WHERE id < 0 AND material_id NOT IN "
                            "(SELECT id FROM materials)"))
        self.state[_WINDOW] = self.window_start.isoformat()
        self.state[STATE_REFRESHED_AT] = utcnow().isoformat()
        self.r.execute(text("DELETE FROM sync_state WHERE name LIKE 'marker:%' OR name IN "
                            "(:w, :s, :r, :b)"),
                       {"w": _WINDOW, "s": _SLICE, "r": STATE_REFRESHED_AT, "b": STATE_BUILT_AT})
        keep = {k: v for k, v in self.state.items()
                if v is not None and (k.startswith(_MARKER) or k in
                                      (_WINDOW, _SLICE, STATE_REFRESHED_AT, STATE_BUILT_AT))}
        if keep:
            self.r.execute(text("INSERT INTO sync_state (name, value) VALUES (:n, :v)"),
                           [{"n": k, "v": v} for k, v in keep.items()])


def _material_in(ids: list[int]) -> MaterialCond:
    return lambda col: col.in_(ids)


def _counts_spec() -> ReplicaTable:
    return next(t for t in TABLES if t.scope == COUNTS)


def refresh(server: Database, replica: Database, *, today: dt.date | None = None,
            full: bool = False, rebuild: bool = False,
            progress: Progress | None = None) -> RefreshResult:
    """Bring `replica` up to date with `server`; a replica never built gets a complete copy."""
    progress = ensure(progress)
    started = time.monotonic()
    with translate_db_errors(server), server.engine.connect() as sconn, \
            replica.engine.begin() as rconn:
        with sconn.begin():
            job = _Refresher(sconn, rconn, today or clock_today(), progress)
            build = rebuild or job.state.get(STATE_BUILT_AT) is None
            if build:
                job.build()
                job.state[STATE_BUILT_AT] = utcnow().isoformat()
            else:
                job.refresh(full)
            job.finish()
            job.result.built = build
    job.result.seconds = time.monotonic() - started
    progress.step(1, 1, "Replica up to date")
    return job.result
