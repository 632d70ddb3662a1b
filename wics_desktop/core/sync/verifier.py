"""Signing in offline with personal server accounts: a local verifier of the people who signed
in on this PC before.

With per-person server accounts (a workstation URL without account or password) the server
checks passwords; when it cannot be reached, this PC can only recognise people it has seen:
each successful online sign-in stores an argon2 hash of the password just typed (computed
here, not copied from the server) in `signins-<server>.json` beside the replica, a file
readable by its owner only. Offline, a name and password are checked against that file, and
the replica's copy of `users` says whether the person is still active and which role they have.
The hashes of people who never signed in on this PC are never consulted.

The file holds nothing else; removing it just means the next offline sign-in needs an online
sign-in first. Hashes of people the replica shows as inactive are dropped at the next write.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import URL

from ..passwords import hash_password, verify_password
from ..secure_files import create_private_file, tighten
from .replica import default_path

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..services.users import UserInfo


def path_for(server_url: URL | str) -> Path:
    replica = default_path(server_url)
    return replica.with_name(replica.name.replace("replica-", "signins-", 1)
                             ).with_suffix(".json")


def _key(username: str) -> str:
    return (username or "").strip().lower()


def _load(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def remember(path: Path, username: str, password: str) -> None:
    """After a successful online sign-in: keep a hash of this password for this person."""
    path = Path(path)
    entries = _load(path)
    current = entries.get(_key(username))
    if current and verify_password(current, password):
        return  # unchanged: no rewrite (and no new salt) on every sign-in
    entries[_key(username)] = hash_password(password)
    create_private_file(path)
    tighten(path)
    temporary = path.with_name(path.name + ".tmp")
    create_private_file(temporary)
    tighten(temporary)
    temporary.write_text(json.dumps(entries, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)


def forget(path: Path, username: str) -> None:
    path = Path(path)
    entries = _load(path)
    if entries.pop(_key(username), None) is not None:
        path.write_text(json.dumps(entries, sort_keys=True), encoding="utf-8")


def check(path: Path, replica_session: Session, username: str,
          password: str) -> UserInfo | None:
    """The user (UserInfo) when this PC knows this password for them and the replica shows
    them active; else None (also for people who never signed in here)."""
    from ..services import users

    known = _load(Path(path)).get(_key(username))
    if not known or not verify_password(known, password):
        return None
    user = users.get(replica_session, username)
    if user is None or not user.active:
        return None
    return user
