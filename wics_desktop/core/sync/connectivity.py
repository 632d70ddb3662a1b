"""Is the server there? Classifying failures, a cheap probe, and cutting off hung calls.

`is_unreachable(exc)` answers "did this fail because the network or the server is gone" (refused,
timed out, reset, lost mid-session, server shutting down or restarted) as opposed to "the server
answered and said no" (wrong password, unknown database, a rule): only the first sends a
workstation offline. `ServerProbe` asks `SELECT 1` on one kept connection with a short timeout;
the desktop's monitor calls it every two seconds off the GUI thread. `InFlight` remembers the
connections an engine has handed out, so that when the monitor declares the server gone, a
statement already waiting on a black-holed socket is cut off at once instead of waiting for
its read timeout.
"""
from __future__ import annotations

import socket
import threading
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from ..db import Database, short_reason
from ..errors import DatabaseUnavailable

if TYPE_CHECKING:
    from sqlalchemy.engine.interfaces import DBAPIConnection, Dialect
    from sqlalchemy.pool import ConnectionPoolEntry

# MySQL client/server codes that mean the network or the server went away, not "it said no".
# 2002/2003 can't connect (socket/TCP: refused, unreachable), 2005 unknown host (DNS gone with
# the Wi-Fi), 2006 gone away, 2013 lost connection (timeouts, resets, restarts), 2055 lost at
# a given stage, 1040 too many connections, 1053 shutdown in progress, 1159/1161 net timeouts,
# 1927 connection killed (MariaDB, on shutdown).
NETWORK_CODES = frozenset({2002, 2003, 2005, 2006, 2013, 2055, 1040, 1053, 1159, 1161, 1927})
_NETWORK_WORDS = (
    "can't connect", "lost connection", "server has gone away", "connection refused",
    "timed out", "broken pipe", "connection reset", "connection aborted",
    "network is unreachable", "no route to host", "name or service not known",
    "temporary failure in name resolution", "unable to open database file",
)


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def is_unreachable(exc: BaseException) -> bool:
    """True when `exc` (or what caused it) means the server cannot be reached right now."""
    for err in _chain(exc):
        if isinstance(err, DBAPIError) and err.connection_invalidated:
            return True
        orig = getattr(err, "orig", None) or err
        args = getattr(orig, "args", ())
        if args and isinstance(args[0], int) and not isinstance(orig, OSError):
            # A driver error with a code: the code decides ("lock wait timeout" is an answer).
            return args[0] in NETWORK_CODES
        if isinstance(orig, (ConnectionError, TimeoutError, socket.timeout, socket.gaierror)):
            return True
        if isinstance(err, (DBAPIError, DatabaseUnavailable, OSError)):
            message = str(orig).lower()
            if any(word in message for word in _NETWORK_WORDS):
                return True
    return False


@dataclass(frozen=True)
class ProbeResult:
    online: bool
    reason: str = ""        # why not, in words ("Connection refused", "timed out")
    seconds: float = 0.0    # how long the question took
    # not online because the network or the server is gone (not: "it answered and said no",
    # such as a refused password)
    unreachable: bool = False


def _probe_engine(url: URL, timeout: float) -> Engine:
    """A one-connection engine with short timeouts (the app's engine has long ones)."""
    if url.get_backend_name() == "sqlite":
        return create_engine(url, poolclass=NullPool)
    query = dict(url.query)
    for key in ("connect_timeout", "read_timeout", "write_timeout"):
        query.pop(key, None)
    return create_engine(
        url.set(query=query), pool_size=1, max_overflow=0, pool_pre_ping=False,
        connect_args={"connect_timeout": timeout, "read_timeout": timeout,
                      "write_timeout": timeout, "charset": "utf8mb4"})


class ServerProbe:
    """`check()` -> ProbeResult within about `timeout` seconds, on one kept connection.

    Thread-safe (one check at a time). Keeping the connection open makes a check one round
    trip instead of a login; after a failure the next check logs in afresh.
    """

    def __init__(self, url: URL | str | Database, timeout: float = 2.0) -> None:
        self.url = url.url if isinstance(url, Database) else make_url(url)
        self.timeout = timeout
        self._engine = _probe_engine(self.url, timeout)
        self._conn: Connection | None = None
        self._lock = threading.Lock()

    def check(self) -> ProbeResult:
        with self._lock:
            started = time.monotonic()
            try:
                if self._conn is None:
                    self._conn = self._engine.connect()
                self._conn.execute(text("SELECT 1")).scalar()
                self._conn.rollback()
                return ProbeResult(True, "", time.monotonic() - started)
            except Exception as exc:  # noqa: BLE001 - every failure means "not usable now"
                self._drop()
                return ProbeResult(False, short_reason(exc), time.monotonic() - started,
                                   unreachable=is_unreachable(exc))

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.invalidate()
                conn.close()
            except Exception:  # noqa: BLE001 - a dead socket may refuse even to close
                pass

    def close(self) -> None:
        with self._lock:
            self._drop()
            self._engine.dispose()


def probe(url: URL | str | Database, timeout: float = 2.0) -> ProbeResult:
    """One question to the server, answered within about `timeout` seconds."""
    p = ServerProbe(url, timeout)
    try:
        return p.check()
    finally:
        p.close()


class OfflineGuard:
    """Cuts an engine off from a server that has gone away, and keeps it off until told.

    `cut_off()` shuts down the sockets of every connection the engine opened: a thread blocked
    reading from a black-holed server (in a statement, or in the pool's pre-ping) gets "Lost
    connection" at once. Until `restore()`, new connections fail at once too, instead of
    waiting for a handshake that a half-dead network never completes (PyMySQL waits for the
    server's greeting up to its *read* timeout). The desktop's connection monitor calls
    `cut_off()` when the probe fails and `restore()` when it succeeds again.
    """

    def __init__(self, engine: Engine) -> None:
        self._conns: weakref.WeakSet[DBAPIConnection] = weakref.WeakSet()
        self._lock = threading.Lock()
        self.offline = False
        event.listen(engine, "connect", self._opened)
        event.listen(engine, "close", self._closed)
        event.listen(engine, "close_detached", self._closed_detached)
        event.listen(engine, "do_connect", self._do_connect)
        self.engine = engine

    def _do_connect(self, dialect: Dialect, conn_rec: ConnectionPoolEntry,
                    cargs: tuple[Any, ...], cparams: dict[str, Any]) -> Any:
        if self.offline:
            raise dialect.loaded_dbapi.OperationalError(
                2003, "The server is offline (this workstation lost its connection to it).")
        if dialect.driver != "pymysql":
            return None
        # A connection still in its handshake is cut off too: PyMySQL waits for the server's
        # greeting up to its read timeout, and a link that died after the TCP connect (a
        # stalled server, a firewall dropping packets) never sends one. Made here with
        # defer_connect, it is known before its socket opens, so cut_off() reaches it.
        conn = dialect.loaded_dbapi.connect(*cargs, defer_connect=True, **cparams)
        with self._lock:
            self._conns.add(conn)
        try:
            if self.offline:  # cut off between the check above and now
                raise dialect.loaded_dbapi.OperationalError(
                    2003, "The server is offline (this workstation lost its connection to it).")
            conn.connect()
        except BaseException:
            with self._lock:
                self._conns.discard(conn)
            raise
        return conn

    def _opened(self, dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        with self._lock:
            self._conns.add(dbapi_conn)

    def _closed(self, dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        with self._lock:
            self._conns.discard(dbapi_conn)

    def _closed_detached(self, dbapi_conn: DBAPIConnection) -> None:
        with self._lock:
            self._conns.discard(dbapi_conn)

    def count(self) -> int:
        """Connections the engine holds open (in use or idle in the pool)."""
        with self._lock:
            return len(self._conns)

    def cut_off(self) -> int:
        """Go offline: refuse new connections, shut down the open ones. Returns how many."""
        self.offline = True
        with self._lock:
            conns = list(self._conns)
        cut = 0
        for conn in conns:
            sock = getattr(conn, "_sock", None)  # PyMySQL; SQLite has no socket to cut
            if sock is None:
                continue
            try:
                sock.shutdown(socket.SHUT_RDWR)
                cut += 1
            except OSError:
                pass
        return cut

    def restore(self) -> None:
        """Back online: connections may be made again; stale pooled ones are dropped."""
        self.offline = False
        self.engine.dispose()
