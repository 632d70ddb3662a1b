"""The four spreadsheet imports, declared once for the command line and the import wizard.

Each kind names its core function, the permission it needs, its columns (the `FIELDS` of its
module), its default sheet and the options it takes; `ImportKind.run` turns the options a user
chose - on the command line or in the wizard - into the one call of that function. This module
loads nothing heavy: the command line reads it to build its parser before SQLAlchemy is
loaded, and starts parsing the file (`workbooks.read_ahead`) before the import's module loads.
"""
from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..actor import Actor
    from ..progress import Progress
    from .reader import Field
    from .result import ImportResult

__all__ = ["ImportKind", "ImportOptions", "KINDS", "MM60_UPDATE_FIELDS", "COUNTS_SHEET",
           "SCHEDULE_SHEET"]

COUNTS_SHEET = "Counts"  # the sheet the counts import reads unless told otherwise
SCHEDULE_SHEET = "Schedule"

# MM60 --update names (the contract's; the wizard's check boxes) -> the material columns each
# one updates
MM60_UPDATE_FIELDS: dict[str, tuple[str, ...]] = {
    "Description": ("description",),
    "SAPMaterialType": ("sap_material_type",),
    "SAPMaterialGroup": ("sap_material_group",),
    "SAPManuf": ("sap_manufacturer",),
    "SAPMPN": ("sap_mpn",),
    "SAPABC": ("sap_abc",),
    "Price": ("price", "price_unit", "currency"),
}


@dataclass
class ImportOptions:
    """Everything the user chose; plain values, safe to hand to a worker."""

    path: str
    sheet: str | None = None  # None: the kind's default sheet (or the first)
    headers: dict[str, str | None] = field(default_factory=dict)
    strict: bool = False
    upload_date: dt.date | None = None  # SAP stock on hand
    update: tuple[str, ...] = ()  # material master: fields to update
    keep_missing: bool = False  # material master: do not remove missing materials
    allow_mass_removal: bool = False  # material master: the user confirmed a mass removal
    add: bool = False  # SAP stock on hand: add to the date's snapshot instead of replacing it


@dataclass(frozen=True)
class ImportKind:
    key: str  # the command line's name: sap-soh, mm60, counts, schedule
    title: str  # the wizard's (and the menu's) title
    what: str  # one line for the wizard's first page
    cli_help: str  # the line of `wics import --help`
    module: str  # the module of core.imports holding FIELDS and the function
    function_name: str
    default_sheet: str | None  # None: the first sheet
    permission: str = "import"
    needs_date: bool = False  # the snapshot date (and --add)
    material_master: bool = False  # --update, --keep-missing, --allow-mass-removal, --dry-run
    update_fields: tuple[str, ...] = ()

    @property
    def task(self) -> str:
        """The task-log name of a run: import-sap-soh, ..."""
        return f"import-{self.key}"

    @property
    def screen(self) -> str:
        """The main window's screen key: import_sap_soh, ..."""
        return "import_" + self.key.replace("-", "_")

    @property
    def fields(self) -> Sequence[Field]:
        fields: Sequence[Field] = self._module().FIELDS
        return fields

    @property
    def function(self) -> Callable[..., ImportResult]:
        function: Callable[..., ImportResult] = getattr(self._module(), self.function_name)
        return function

    def _module(self) -> Any:
        return importlib.import_module(f"{__package__}.{self.module}")

    def run(self, session: Session, options: ImportOptions, *, dry_run: bool = False,
            progress: Progress | None = None, actor: Actor | None = None) -> ImportResult:
        """The import of `options.path` on `session`, with every option this kind takes.
        `dry_run` is the material master's own; the other kinds ignore it."""
        kwargs: dict[str, Any] = dict(strict=options.strict, progress=progress, actor=actor,
                                      headers=options.headers or None)
        sheet = options.sheet if options.sheet is not None else self.default_sheet
        if sheet is not None:
            kwargs["sheet"] = sheet
        if self.needs_date:
            return self.function(session, options.path, options.upload_date, add=options.add,
                                 **kwargs)
        if self.material_master:
            return self.function(session, options.path, update=options.update,
                                 keep_missing=options.keep_missing, dry_run=dry_run,
                                 allow_mass_removal=options.allow_mass_removal, **kwargs)
        return self.function(session, options.path, **kwargs)


KINDS: dict[str, ImportKind] = {k.key: k for k in (
    ImportKind("sap-soh", "Import SAP Stock on Hand (MB52)",
               "The SAP export of book quantities per material and storage location. It becomes "
               "the SAP snapshot of the date you choose (replacing an upload of that date).",
               "SAP stock on hand (MB52) as the snapshot of --date (replaces that date's "
               "snapshot)",
               "sap_soh", "import_sap_soh", None, needs_date=True),
    ImportKind("mm60", "Update Materials from SAP (MM60)",
               "The SAP material master list: adds new materials, removes those no longer in "
               "SAP (unless counts, schedule or SAP rows refer to them) and updates the fields "
               "you choose.",
               "update the material list from an SAP material-master (MM60) export",
               "mm60", "import_mm60", None, material_master=True,
               update_fields=tuple(MM60_UPDATE_FIELDS)),
    ImportKind("counts", "Import Counts",
               "Actual counts from a workbook's 'Counts' sheet (CountDate, Counter, LOCATION, "
               "Material, CTD_QTY_Expr or LocationOnly, ...).",
               "actual counts from the 'Counts' sheet",
               "counts", "import_counts", COUNTS_SHEET),
    ImportKind("schedule", "Import Count Schedule",
               "Count schedule entries from a workbook's 'Schedule' sheet (Material, CountDate, "
               "Counter, Priority, ReasonScheduled, Notes).",
               "count schedule from the 'Schedule' sheet",
               "schedule", "import_schedule", SCHEDULE_SHEET),
)}
