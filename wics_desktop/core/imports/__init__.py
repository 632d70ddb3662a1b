"""Spreadsheet imports: SAP stock on hand (MB52), SAP material master (MM60), counts, schedule.

Each import is one function `(session, path, ..., progress=None, actor=None) -> ImportResult`
that checks every row first, reports every problem, then writes in the caller's transaction with
bulk statements. Fatal problems (and strict mode with problems) raise ImportRejected, which
carries the result. The modules are imported lazily: `from wics_desktop.core.imports.sap_soh
import import_sap_soh` loads only what that import needs.
"""
from __future__ import annotations

from typing import Any

__all__ = ["import_sap_soh", "import_mm60", "import_counts", "import_schedule", "ImportResult",
           "ImportRejected"]

_WHERE = {"import_sap_soh": "sap_soh", "import_mm60": "mm60", "import_counts": "counts",
          "import_schedule": "schedule", "ImportResult": "result", "ImportRejected": "result"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(name)
