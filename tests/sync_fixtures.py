"""A TCP proxy the tests control, between WICS and the real MariaDB, plus offline helpers.

`FlakyProxy` listens on 127.0.0.1:<port> and forwards to MariaDB. Modes:
- pass: traffic flows;
- blackhole: connections are accepted and bytes swallowed, nothing ever answers (a dead
  Wi-Fi, a pulled cable: the client waits for its timeout);
- reset: every connection, open or new, is torn down with a TCP reset (a server restart);
- refuse: the port is closed (connection refused: the server is down);
- slow: traffic flows, each chunk held back `delay` seconds (a congested or distant link).
`restore()` returns to pass; connections that were black-holed are reset on the way (the
server has long forgotten them), so clients reconnect.
"""
from __future__ import annotations

import datetime as dt
import select
import socket
import struct
import threading
import time

import pytest
from sqlalchemy.engine import make_url

PASS, BLACKHOLE, RESET, REFUSE, SLOW = "pass", "blackhole", "reset", "refuse", "slow"


def _rst(sock: socket.socket) -> None:
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class _Pair:
    def __init__(self, client: socket.socket, server: socket.socket | None) -> None:
        self.client = client
        self.server = server
        self.dead = False

    def kill(self) -> None:
        self.dead = True
        _rst(self.client)
        if self.server is not None:
            _rst(self.server)


class FlakyProxy:
    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 3306)) -> None:
        self.target = target
        self.mode = PASS
        self._lock = threading.Lock()
        self._pairs: list[_Pair] = []
        self._stop = False
        self.port = 0
        self._listener: socket.socket | None = None
        self._open_listener()
        self.connections = 0  # accepted so far (tests look at reconnects)
        self.delay = 0.0      # seconds per forwarded chunk in slow mode

    # ---- control -------------------------------------------------------------------------
    def url(self, server_url) -> str:
        u = make_url(server_url).set(host="127.0.0.1", port=self.port)
        return u.render_as_string(hide_password=False)

    def blackhole(self) -> None:
        self.mode = BLACKHOLE

    def slow(self, delay: float) -> None:
        self.delay = delay
        self.mode = SLOW

    def reset(self) -> None:
        self.mode = RESET
        self._kill_all()

    def refuse(self) -> None:
        self.mode = REFUSE
        self._kill_all()
        self._close_listener()

    def restore(self) -> None:
        was = self.mode
        if was == BLACKHOLE:
            self._kill_all()
        if self._listener is None:  # refused before, whatever came after (a reset, say)
            self._open_listener()
        self.mode = PASS

    def close(self) -> None:
        self._stop = True
        self._kill_all()
        self._close_listener()

    # ---- plumbing ------------------------------------------------------------------------
    def _open_listener(self) -> None:
        lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lsock.bind(("127.0.0.1", self.port))
        lsock.listen(64)
        self.port = lsock.getsockname()[1]
        self._listener = lsock
        self._acceptor = threading.Thread(target=self._accept_loop, args=(lsock,), daemon=True)
        self._acceptor.start()

    def _close_listener(self) -> None:
        lsock, self._listener = self._listener, None
        if lsock is not None:
            try:  # shutdown stops listening at once; a select() elsewhere keeps the file alive
                lsock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._acceptor.join(2)
            try:
                lsock.close()
            except OSError:
                pass

    def _kill_all(self) -> None:
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            pair.kill()

    def _accept_loop(self, lsock: socket.socket) -> None:
        while not self._stop and self._listener is lsock:
            try:
                readable, _, _ = select.select([lsock], [], [], 0.1)
                if not readable:
                    continue
                client, _ = lsock.accept()
            except (OSError, ValueError):
                return
            self.connections += 1
            if self.mode == RESET:
                _rst(client)
                continue
            if self.mode == BLACKHOLE:
                pair = _Pair(client, None)
            else:
                try:
                    server = socket.create_connection(self.target, timeout=5)
                except OSError:
                    _rst(client)
                    continue
                pair = _Pair(client, server)
            with self._lock:
                self._pairs.append(pair)
            threading.Thread(target=self._pump, args=(pair,), daemon=True).start()

    def _pump(self, pair: _Pair) -> None:
        socks = [pair.client] + ([pair.server] if pair.server is not None else [])
        while not pair.dead and not self._stop:
            try:
                readable, _, _ = select.select(socks, [], [], 0.1)
            except (OSError, ValueError):
                break
            for sock in readable:
                try:
                    data = sock.recv(65536)
                except OSError:
                    data = b""
                if not data:
                    pair.kill()
                    break
                if self.mode == BLACKHOLE or pair.server is None:
                    continue  # swallowed: nobody answers
                other = pair.server if sock is pair.client else pair.client
                if self.mode == SLOW and self.delay:
                    time.sleep(self.delay)
                try:
                    other.sendall(data)
                except OSError:
                    pair.kill()
                    break
        with self._lock:
            if pair in self._pairs:
                self._pairs.remove(pair)


@pytest.fixture
def proxy():
    p = FlakyProxy()
    yield p
    p.close()


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


TODAY = dt.date.today()
