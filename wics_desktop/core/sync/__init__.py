"""Offline workstations: a local replica of what counting needs, an outbox, push and refresh.

- `replica`: the SQLite copy of one server on this PC (file, opening, notes).
- `tables`: what the replica holds (whole tables, schedule window, counts for last-found).
- `refresh`: build and incremental refresh (changes by updated_at, deletions by id fingerprints).
- `outbox`: counts saved offline (negative local ids, queued in the same transaction).
- `push`: sending the outbox in batches, idempotent by uuid, conflicts to "needs attention".
- `attention`: the server's needs-attention list and a supervisor's decisions.
- `connectivity`: "is the server unreachable?", a cheap probe, cutting off hung calls.
- `workstation`: the facade the CLI and the desktop use.

Qt-free, like all of core. See docs/offline.md.
"""
from . import outbox as _outbox  # noqa: F401 - installs the replica's count hooks
from .connectivity import OfflineGuard, ProbeResult, ServerProbe, is_unreachable, probe
from .replica import NoReplica, Replica
from .workstation import SyncResult, Workstation

__all__ = ["OfflineGuard", "NoReplica", "ProbeResult", "Replica", "ServerProbe", "SyncResult",
           "Workstation", "is_unreachable", "probe"]
