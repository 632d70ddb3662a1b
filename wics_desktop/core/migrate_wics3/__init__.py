"""Moving a WICS-3 site (its MySQL database or its CSV exports) into WICS Desktop.

`read_database(url)` / `read_csv_dir(folder)` read the site into plain rows (source.py);
`migrate(database, actor, site, ...)` writes them in one transaction (writer.py), or rolls the
whole write back for a dry run, so a dry run reports exactly what a real run would write.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .. import permissions
from ..actor import Actor
from .from_csv import read_csv_dir
from .from_mysql import read_database
from .source import Problem, Wics3Site
from .writer import MigrationResult, write_site

if TYPE_CHECKING:
    from ..db import Database

__all__ = ["read_csv_dir", "read_database", "migrate", "MigrationResult", "Problem", "Wics3Site"]


class _RollBack(Exception):
    """Raised inside the transaction of a dry run so that nothing it wrote stays."""


def migrate(database: Database, actor: Actor, site: Wics3Site, *, dry_run: bool = False,
            merge: bool = False, media_dir: str | Path | None = None) -> MigrationResult:
    permissions.require(actor, "migrate_site")
    done: list[MigrationResult] = []
    try:
        with database.session() as session:
            done.append(write_site(session, actor, site, merge=merge, dry_run=dry_run,
                                   media_dir=media_dir))
            if dry_run:
                raise _RollBack
    except _RollBack:
        done[0].first_sign_in = [{k: v for k, v in u.items() if k != "one_time_password"}
                                 for u in done[0].first_sign_in]
    return done[0]
