"""Two private MariaDB servers for the reporting-replica tests: a primary with a binary log and
a replica following it with the database's own asynchronous replication, on free ports of
this machine, in temporary folders; started once per test session and stopped at its end.
Skips (fails under WICS_REQUIRE_MYSQL=1) when mariadbd / mariadb-install-db are missing."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from conftest import mysql_required
from sqlalchemy import create_engine, text

MARIADBD = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
INSTALL_DB = shutil.which("mariadb-install-db") or shutil.which("mysql_install_db")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            engine = create_engine(url)
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
            return
        except Exception:  # not up yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


class _Server:
    def __init__(self, root: Path, name: str, extra: list[str]) -> None:
        self.dir = root / name
        self.port = _free_port()
        self.url = f"mysql+pymysql://root@127.0.0.1:{self.port}/"
        self.proc = subprocess.Popen(
            [MARIADBD, "--no-defaults", "--user=root", f"--datadir={self.dir}",
             f"--port={self.port}", "--bind-address=127.0.0.1", f"--socket={root}/{name}.sock",
             f"--pid-file={root}/{name}.pid", "--skip-name-resolve",
             "--innodb-buffer-pool-size=32M", "--character-set-server=utf8mb4", *extra],
            stdout=subprocess.DEVNULL, stderr=open(root / f"{name}.err", "w"))

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="session")
def replication(tmp_path_factory):
    """(primary server URL, replica server URL, control) — control.stop()/start() the
    replica's replication threads."""
    if not INSTALL_DB or not os.path.exists(MARIADBD):
        if mysql_required():
            pytest.fail("mariadbd and mariadb-install-db are needed for the replica tests")
        pytest.skip("mariadbd / mariadb-install-db not installed")
    root = tmp_path_factory.mktemp("replication")
    template = root / "template"
    subprocess.run([INSTALL_DB, "--no-defaults", "--user=root", f"--datadir={template}",
                    "--auth-root-authentication-method=normal", "--skip-test-db"],
                   check=True, capture_output=True)
    shutil.copytree(template, root / "primary")
    shutil.copytree(template, root / "replica")
    primary = _Server(root, "primary", ["--server-id=11", f"--log-bin={root}/primary/bin",
                                        "--binlog-format=ROW"])
    replica = _Server(root, "replica", ["--server-id=12", "--read-only"])
    try:
        _wait(primary.url)
        _wait(replica.url)
        control = _Control(primary, replica)
        control.run(f"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT={primary.port}, "
                    "MASTER_USER='root', MASTER_PASSWORD='', MASTER_USE_GTID=current_pos")
        control.start()
        yield primary.url, replica.url, control
    finally:
        replica.stop()
        primary.stop()


class _Control:
    def __init__(self, primary: _Server, replica: _Server) -> None:
        self.primary, self.replica = primary, replica

    def run(self, sql: str) -> None:
        engine = create_engine(self.replica.url)
        with engine.begin() as conn:
            conn.exec_driver_sql(sql)
        engine.dispose()

    def stop(self) -> None:
        self.run("STOP SLAVE")

    def start(self) -> None:
        self.run("START SLAVE")

    def caught_up(self, database: str, table: str, rows: int, timeout: float = 30) -> None:
        """Wait until the replica's copy of `table` has `rows` rows."""
        url = self.replica.url + database
        deadline = time.monotonic() + timeout
        while True:
            engine = create_engine(url)
            try:
                with engine.connect() as conn:
                    n = conn.execute(text(f"SELECT COUNT(*) FROM `{table}`")).scalar()
                if n == rows:
                    return
            except Exception:  # noqa: BLE001 - the database may not have arrived yet
                pass
            finally:
                engine.dispose()
            if time.monotonic() > deadline:
                raise AssertionError(f"the replica did not catch up on {table}")
            time.sleep(0.2)
