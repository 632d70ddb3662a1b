"""Files that hold password hashes, replicas or credentials are readable by their owner only."""
from __future__ import annotations

import os

import pytest

from wics_desktop.core import config, schema
from wics_desktop.core.backup import backup_sqlite
from wics_desktop.core.db import Database
from wics_desktop.core.secure_files import mode
from wics_desktop.core.sync.replica import Replica

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes (Windows: ACL)")


@pytest.fixture
def open_umask():
    """A umask that would leave new files world-readable (0644), as on many PCs."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_sqlite_database_and_its_backup_are_owner_only(tmp_path, open_umask):
    database = Database(f"sqlite:///{tmp_path / 'new' / 'wics.sqlite'}")
    schema.upgrade(database)
    assert mode(tmp_path / "new" / "wics.sqlite") == 0o600
    assert mode(tmp_path / "new") == 0o700
    backup_sqlite(database, tmp_path / "copy.sqlite")
    database.dispose()
    assert mode(tmp_path / "copy.sqlite") == 0o600


def test_config_ini_is_owner_only_and_an_old_one_is_tightened(tmp_path, monkeypatch, open_umask):
    monkeypatch.setenv("WICS_CONFIG_DIR", str(tmp_path / "cfg"))
    path = config.write_config_url("mysql+pymysql://wics:s3cret@db/wics")
    assert mode(path) == 0o600
    os.chmod(path, 0o644)
    config.write_config_url("mysql+pymysql://wics:other@db/wics")
    assert mode(path) == 0o600 and "other" in path.read_text()


def test_the_replica_and_its_outbox_are_owner_only(tmp_path, open_umask):
    replica = Replica(tmp_path / "replica.sqlite", "mysql+pymysql://u@db/wics")
    replica.open(create=True)
    replica.close()
    assert mode(tmp_path / "replica.sqlite") == 0o600
    os.chmod(tmp_path / "replica.sqlite", 0o644)  # made by an older version
    Replica(tmp_path / "replica.sqlite").open().dispose()
    assert mode(tmp_path / "replica.sqlite") == 0o600
