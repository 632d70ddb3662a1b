"""Who is doing something, and from which workstation: goes into audit rows and entered-by."""
from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass, field


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some service contexts
        return "unknown"


@dataclass(frozen=True)
class Actor:
    username: str = field(default_factory=_os_user)
    workstation: str = field(default_factory=socket.gethostname)
    role: str | None = None

    @classmethod
    def system(cls) -> Actor:
        return cls(username="system", role="admin")
