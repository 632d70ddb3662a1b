"""The import wizards' work, as plain functions the background runner calls (no Qt here).

Every path goes through the same core import the CLI runs (`wics import ...`), with the same
options plus the header overrides the user picked. A trial run shows every problem before
anything is kept: for the material master it is the core's own dry run; for the other three it
is the real import in a transaction that is rolled back, so the problems, counts and "replaces N
rows" figures are exactly those of the real run.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from ...core.imports import counts, mm60, sap_soh, schedule
from ...core.imports.reader import (Field, SheetPreview, find_sheet_name, inspect_sheet,
                                     sheet_names)
from ...core.imports.result import ImportRejected, ImportResult


@dataclass(frozen=True)
class ImportKind:
    key: str  # the CLI's name: sap-soh, mm60, counts, schedule
    screen: str  # the screen key in the menus
    title: str
    what: str  # one line for the first page
    fields: Sequence[Field]
    default_sheet: str | None  # None: the first sheet
    function: Callable[..., ImportResult]
    needs_date: bool = False
    material_master: bool = False


KINDS: dict[str, ImportKind] = {k.key: k for k in (
    ImportKind("sap-soh", "import_sap_soh", "Import SAP Stock on Hand (MB52)",
               "The SAP export of book quantities per material and storage location. It becomes "
               "the SAP snapshot of the date you choose (replacing an upload of that date).",
               sap_soh.FIELDS, None, sap_soh.import_sap_soh, needs_date=True),
    ImportKind("mm60", "import_mm60", "Update Materials from SAP (MM60)",
               "The SAP material master list: adds new materials, removes those no longer in "
               "SAP (unless counts, schedule or SAP rows refer to them) and updates the fields "
               "you choose.", mm60.FIELDS, None, mm60.import_mm60, material_master=True),
    ImportKind("counts", "import_counts", "Import Counts",
               "Actual counts from a workbook's 'Counts' sheet (CountDate, Counter, LOCATION, "
               "Material, CTD_QTY_Expr or LocationOnly, ...).", counts.FIELDS, counts.SHEET,
               counts.import_counts),
    ImportKind("schedule", "import_schedule", "Import Count Schedule",
               "Count schedule entries from a workbook's 'Schedule' sheet (Material, CountDate, "
               "Counter, Priority, ReasonScheduled, Notes).", schedule.FIELDS, schedule.SHEET,
               schedule.import_schedule),
)}
KIND_BY_SCREEN = {k.screen: k for k in KINDS.values()}


@dataclass
class ImportOptions:
    """Everything the user chose; plain values, safe to hand to a worker."""

    path: str
    sheet: str | None = None
    headers: dict[str, str | None] = field(default_factory=dict)
    strict: bool = False
    upload_date: dt.date | None = None  # SAP stock on hand
    update: tuple[str, ...] = ()  # material master: fields to update
    keep_missing: bool = False  # material master: do not remove missing materials
    allow_mass_removal: bool = False  # material master: the user confirmed a mass removal
    add: bool = False  # SAP stock on hand: add to the date's snapshot instead of replacing it


@dataclass
class ImportOutcome:
    result: ImportResult
    rejected: str | None = None  # why nothing could be written (fatal, strict, no usable row)
    trial: bool = False


def _call(session, kind: ImportKind, options: ImportOptions, *, dry_run: bool, progress,
          actor) -> ImportResult:
    kwargs: dict[str, Any] = dict(strict=options.strict, progress=progress, actor=actor,
                                  headers=options.headers or None)
    if options.sheet is not None or kind.default_sheet is not None:
        kwargs["sheet"] = options.sheet or kind.default_sheet
    if kind.needs_date:
        return kind.function(session, options.path, options.upload_date, add=options.add,
                             **kwargs)
    if kind.material_master:
        return kind.function(session, options.path, update=options.update,
                             keep_missing=options.keep_missing, dry_run=dry_run,
                             allow_mass_removal=options.allow_mass_removal, **kwargs)
    return kind.function(session, options.path, **kwargs)


def run_import(session, kind_key: str, options: ImportOptions, trial: bool = False,
               actor=None, progress=None) -> ImportOutcome:
    """Run the import on `session`. trial=True keeps nothing (see the module docstring)."""
    from ...core import dialect
    from ...core.errors import ConcurrentWrite

    kind = KINDS[kind_key]
    try:
        result = _call(session, kind, options, dry_run=trial and kind.material_master,
                       progress=progress, actor=actor)
    except ImportRejected as exc:
        session.rollback()
        return ImportOutcome(exc.result, str(exc), trial)
    except Exception as exc:  # noqa: BLE001 - re-raised unless another session collided
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
    return f"import-{kind_key}" + ("-check" if trial else "")


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
