"""A function run in a thread of its own while the caller does something else: reading a
workbook ahead (workbooks.read_ahead) and scanning it for formulas (formulas.FormulaScan)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Background"]

T = TypeVar("T")


class Background(threading.Thread, Generic[T]):
    """fn(*args) in a thread of its own; result() waits for it.

    python-calamine and zlib release the GIL while they work, so a workbook read this way costs
    no time while the caller does something else. result() is fn's value, or None when fn
    raised: the caller then does the work itself, the ordinary way, and reports any problem as
    usual. Not a daemon: a thread still in calamine's native code must not be cut off at
    interpreter exit (it finishes soon: one sheet).
    """

    def __init__(self, fn: Callable[..., T], *args: object) -> None:
        super().__init__(name=f"wics-{fn.__name__}")
        self._call = (fn, args)
        self._value: T | None = None
        self.start()

    def run(self) -> None:
        fn, args = self._call
        try:
            self._value = fn(*args)
        except Exception:  # noqa: BLE001 - whatever fn raised, the caller's own read meets
            pass  # again and reports (a thread has no one else to tell)

    def result(self) -> T | None:
        self.join()
        return self._value
