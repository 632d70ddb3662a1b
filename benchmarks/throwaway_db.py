"""A throwaway MariaDB database for one benchmark run: made empty (utf8mb4_bin, as WICS wants
its server databases), handed over as a URL, dropped afterwards whatever happens."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url


@contextmanager
def throwaway_mariadb(server_url: str | URL, *, prefix: str = "wics_bench",
                      skip_if_unreachable: bool = False) -> Iterator[URL | None]:
    """Yield the URL of a new empty database on the server, and drop it at the end.

    skip_if_unreachable: when the server does not answer, print why and yield None instead of
    raising (the SQLite half of a benchmark still counts)."""
    server = make_url(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 "
                              "COLLATE utf8mb4_bin"))
    except Exception as exc:  # any reason the server said no
        admin.dispose()
        if not skip_if_unreachable:
            raise
        print(f"\nMariaDB: skipped ({str(exc).splitlines()[0]})")
        yield None
        return
    try:
        yield server.set(database=name)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
        admin.dispose()
