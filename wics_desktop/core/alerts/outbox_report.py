"""A workstation tells the server what waits in its outbox, whenever it reaches the server
(before sending and after): the only way the server can know that counts typed on a PC have
not arrived. Counts typed on a PC that never reaches the server stay unknown to it until it
does - the rule can only say "this PC had N counts waiting when last heard from"."""
from __future__ import annotations

import logging
import socket
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from ..clock import utcnow
from ..models import OutboxCount, WorkstationOutbox
from ..models.sync import OUTBOX_PENDING

if TYPE_CHECKING:
    from ..db import Database

log = logging.getLogger("wics.alerts")


def report_outbox(server: Database, replica: Database, workstation: str | None = None) -> None:
    """Write this PC's outbox state to the server. Never raises: reporting must not stop a sync
    (an older server without the table, a dropped line)."""
    name = (workstation or socket.gethostname())[:100]
    try:
        with replica.session() as r:
            pending, oldest, user = r.execute(
                select(func.count(), func.min(OutboxCount.created_at),
                       func.max(OutboxCount.username))
                .where(OutboxCount.state == OUTBOX_PENDING)).one()
        with server.session() as s:
            row = s.get(WorkstationOutbox, name)
            if row is None:
                row = WorkstationOutbox(workstation=name)
                s.add(row)
            row.pending, row.oldest_pending_at = int(pending or 0), oldest
            row.username = user or row.username
            row.reported_at = utcnow()
    except Exception as exc:  # noqa: BLE001
        log.warning("could not report the outbox to the server: %s", exc)
