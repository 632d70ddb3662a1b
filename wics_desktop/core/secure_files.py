"""Files on the PC that hold secrets are readable by their owner only.

Which files: the SQLite database files WICS creates (the embedded database and a
workstation's offline replica with its outbox: both hold users' argon2 hashes, the replica
for signing in offline), and config.ini (its URL may carry a database password).

POSIX: created with mode 0600 (no window in which another account could open them; SQLite
gives its -wal/-shm files the mode of the database file), folders WICS creates 0700, and an
existing replica or config.ini is tightened to 0600 when WICS opens or writes it.
Windows: the files live in the user's profile (%LOCALAPPDATA%), whose ACL grants only that
user, SYSTEM and Administrators; chmod cannot express more there, so nothing is changed
(docs/operations.md says how to check the ACL with icacls).
"""
from __future__ import annotations

import os
from pathlib import Path

OWNER_ONLY = 0o600
OWNER_ONLY_DIR = 0o700


def _posix() -> bool:
    return os.name == "posix"


def make_private_dir(path: Path) -> None:
    """mkdir -p; a folder created here is 0700 (existing folders are left as they are)."""
    path = Path(path)
    if path.is_dir():
        return
    path.mkdir(mode=OWNER_ONLY_DIR, parents=True, exist_ok=True)


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 if it does not exist (an existing file is kept)."""
    path = Path(path)
    if path.exists():
        return
    make_private_dir(path.parent)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, OWNER_ONLY)
    except FileExistsError:  # created meanwhile by another process: fine
        return
    os.close(fd)


def tighten(path: Path) -> None:
    """Make an existing file owner-only (POSIX); silently leaves files we do not own."""
    path = Path(path)
    if not _posix() or not path.is_file():
        return
    try:
        if path.stat().st_mode & 0o077:
            os.chmod(path, OWNER_ONLY)
    except PermissionError:
        pass


def mode(path: Path) -> int:
    return Path(path).stat().st_mode & 0o777
