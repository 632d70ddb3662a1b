"""The import wizards' work, as plain functions the background runner calls (no Qt here).

Every path goes through the same core import the CLI runs (`wics import ...`), called the same
way (core.imports.kinds: the kinds and their options), plus the header overrides the user
picked. A trial run shows every problem before anything is kept: for the material master it is
the core's own dry run; for the other three it is the real import in a transaction that is
rolled back, so the problems, counts and "replaces N rows" figures are exactly those of the real
run.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ...core.imports.kinds import KINDS, ImportKind, ImportOptions
from ...core.imports.reader import SheetPreview, find_sheet_name, inspect_sheet, sheet_names
from ...core.imports.result import ImportRejected, ImportResult

__all__ = ["KINDS", "ImportKind", "ImportOptions", "ImportOutcome", "run_import", "job_name",
           "fill_task", "preview", "sap_uploads"]


@dataclass
class ImportOutcome:
    result: ImportResult
    rejected: str | None = None  # why nothing could be written (fatal, strict, no usable row)
    trial: bool = False


def run_import(session, kind_key: str, options: ImportOptions, trial: bool = False,
               actor=None, progress=None) -> ImportOutcome:
    """Run the import on `session`. trial=True keeps nothing (see the module docstring)."""
    from ...core import dialect
    from ...core.errors import ConcurrentWrite

    kind = KINDS[kind_key]
    try:
        result = kind.run(session, options, dry_run=trial and kind.material_master,
                          progress=progress, actor=actor)
    except ImportRejected as exc:
        session.rollback()
        return ImportOutcome(exc.result, str(exc), trial)
    except Exception as exc:  # re-raised unless another session collided
        if not dialect.is_collision(exc):
            raise
        session.rollback()
        raise ConcurrentWrite("Another workstation imported some of the same rows at the same "
                              "moment, so nothing was written. Import the file again: the rows "
                              "stored by then are recognised.") from exc
    if trial and not kind.material_master:
        session.rollback()  # the trial saw everything the real run will; keep none of it
        result.written = False
    return ImportOutcome(result, None, trial)


def job_name(kind_key: str, trial: bool = False) -> str:
    """The task-log name: the CLI's (`import-sap-soh`), `-check` for the wizard's trial run."""
    return KINDS[kind_key].task + ("-check" if trial else "")


def fill_task(outcome: ImportOutcome, handle) -> None:
    """The run's task-log line: the import's figures, or why nothing could be written."""
    outcome.result.fill_task(handle, outcome.rejected)


def preview(kind_key: str, path: str, sheet: str | None = None,
            headers: dict[str, str | None] | None = None) -> tuple[SheetPreview, str | None]:
    """The sheet's columns and first rows, and a note when the expected sheet is not there
    (then the first sheet is shown, for the user to pick the right one)."""
    kind = KINDS[kind_key]
    wanted, note = sheet or kind.default_sheet, None
    if wanted is not None:
        names = sheet_names(path)
        if names and find_sheet_name(names, wanted) is None:
            note = (f"This workbook has no sheet named '{wanted}'. Pick the sheet that holds "
                    "the data.")
            wanted = None
    return inspect_sheet(path, kind.fields, sheet=wanted, headers=headers), note


def sap_uploads(session) -> dict[dt.date, int]:
    """Upload date -> rows, for the date warning of the SAP wizard."""
    from ...core.services.sap import upload_dates

    return {u.upload_date: u.rows for u in upload_dates(session)}
