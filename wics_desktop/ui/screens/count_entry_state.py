"""What Count Entry is doing, without Qt: a new count or changes to a loaded one, and what
Ctrl+Z can take back. The screen (count_entry.py) shows it; the writes here run as ops.

Kept Qt-free so its rules read (and test) as plain Python: which count Save changes, when the
form holds unsaved input, what Undo writes.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ...core.actor import Actor
from ...core.services import counts


@dataclass
class Undo:
    """What Ctrl+Z can take back: the count just added, or the values a count had before."""

    kind: str  # "add" | "update"
    count_id: int
    before: counts.CountInput | None
    line: counts.CountLine


def input_of(line: counts.CountLine) -> counts.CountInput:
    return counts.CountInput(
        count_date=line.count_date, material_id=line.material_id, counter=line.counter,
        location=line.location, expression=line.expression, location_only=line.location_only,
        package_id=line.package_id, tag_qty=line.tag_qty,
        possibly_not_received=line.possibly_not_received,
        movement_during_count=line.movement_during_count, notes=line.notes)


def normalized(data: counts.CountInput) -> counts.CountInput:
    """Stripped text, blank as None: how core will store it (for "is it changed?")."""
    changes = {k: ((getattr(data, k) or "").strip() or None)
               for k in ("counter", "location", "expression", "package_id", "tag_qty", "notes")}
    if data.location_only:
        changes["expression"] = None
    return replace(data, **changes)


# ---- the writes (run on an op worker: plain values in, plain values out) -------------------
def store(session, actor: Actor, editing: counts.CountLine | None,
          data: counts.CountInput) -> tuple[counts.CountLine, Undo]:
    """Save the form: a new count, or the changes to `editing`; with what undoes it."""
    if editing is None:
        line = counts.add_count(session, actor, data)
        return line, Undo("add", line.id, None, line)
    before = input_of(editing)
    line = counts.update_count(session, actor, editing.id, data)
    return line, Undo("update", line.id, before, line)


def revert(session, actor: Actor, undo: Undo) -> None:
    """Take back a save on the server: delete the added count, or put the old values back."""
    if undo.kind == "add":
        counts.delete_count(session, actor, undo.count_id)
    else:
        counts.update_count(session, actor, undo.count_id, undo.before)


class CountEntryState:
    """The loaded count (None: entering new counts) and the last save Ctrl+Z can take back."""

    def __init__(self, actor_of) -> None:
        self._actor_of = actor_of  # the signed-in user (a callable: the context may change it)
        self.editing: counts.CountLine | None = None
        self.undo: Undo | None = None

    def can_undo(self) -> bool:
        return self.undo is not None

    def read_only(self) -> bool:
        """The loaded count is someone else's and this user may not change it."""
        return self.editing is not None and not counts.may_change(
            self._actor_of(), self.editing.entered_by)

    def is_dirty(self, current: counts.CountInput, typed_anything: bool) -> bool:
        """Unsaved input: a loaded count whose values differ from the form's, or a new count
        with anything typed."""
        if self.editing is not None:
            return normalized(input_of(self.editing)) != normalized(current)
        return typed_anything

    def mode_text(self) -> str:
        if self.editing is None:
            return "<b>New count</b>"
        if self.read_only():
            return (f"<b>Count #{self.editing.id} (read-only: entered by "
                    f"{self.editing.entered_by})</b>")
        return f"<b>Changing count #{self.editing.id}</b>"

    def saved_message(self, line: counts.CountLine, undo: Undo, qty: str) -> str:
        if line.id < 0:  # in this PC's outbox: no server id yet
            return (f"Saved on this PC (offline): <b>{line.material}</b> at "
                    f"<b>{line.location}</b>, <b>{qty}</b>. It is sent when the server is "
                    f"back.  Ctrl+Z undoes it.")
        verb = "Saved" if undo.kind == "add" else "Changed"
        return (f"{verb} count #{line.id}: <b>{line.material}</b> at <b>{line.location}</b>, "
                f"<b>{qty}</b>.  Ctrl+Z undoes it.")
