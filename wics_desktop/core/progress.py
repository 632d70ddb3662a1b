"""The progress/cancel protocol long core jobs accept.

A job calls `progress.step(done, total, text)` now and then and checks `progress.cancelled()`
between chunks; on cancel it raises `Cancelled` so its transaction rolls back. Tests pass a
stub, the desktop passes a Qt adapter, the CLI passes nothing (NullProgress).
"""
from __future__ import annotations

from typing import Protocol, runtime_checkable

from .errors import Cancelled


@runtime_checkable
class Progress(Protocol):
    def step(self, done: int, total: int, text: str = "") -> None: ...

    def cancelled(self) -> bool: ...


class NullProgress:
    def step(self, done: int, total: int, text: str = "") -> None:
        pass

    def cancelled(self) -> bool:
        return False


class RecordingProgress:
    """Keeps every step; optionally asks to cancel once `cancel_at` steps were reported."""

    def __init__(self, cancel_at: int | None = None) -> None:
        self.steps: list[tuple[int, int, str]] = []
        self.cancel_at = cancel_at

    def step(self, done: int, total: int, text: str = "") -> None:
        self.steps.append((done, total, text))

    def cancelled(self) -> bool:
        return self.cancel_at is not None and len(self.steps) >= self.cancel_at


def ensure(progress: Progress | None) -> Progress:
    return progress if progress is not None else NullProgress()


def check_cancel(progress: Progress) -> None:
    if progress.cancelled():
        raise Cancelled("Cancelled by the user; nothing was written.")
