"""Who is doing something, and from which workstation: goes into audit rows and entered-by."""
from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass, field


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in some service contexts
        # (OSError from 3.13 on; before: KeyError from pwd, or no pwd module on Windows)
        return "unknown"


@dataclass(frozen=True)
class Actor:
    username: str = field(default_factory=_os_user)
    workstation: str = field(default_factory=socket.gethostname)
    role: str | None = None

    @classmethod
    def system(cls) -> Actor:
        return cls(username="system", role="admin")
