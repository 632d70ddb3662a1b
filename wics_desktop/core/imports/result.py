"""What an import did: the one result object the CLI prints and the import wizard shows.

`as_dict()` is the contract's JSON document. `write_errors_xlsx()` writes the rejected rows,
exactly as they were in the file plus the row number and the problems, to a workbook whose first
sheet carries the same name and headers as the input: the supervisor fixes those rows in Excel and
imports that workbook again, and only those rows go in.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputRejected, RowError
from ..services.fields import plural

if TYPE_CHECKING:
    from ..tasklog import _Job as TaskHandle  # the handle tasklog.task() yields

__all__ = ["ImportResult", "ImportRejected", "ERRORS_ROW_HEADER", "ERRORS_PROBLEM_HEADER"]

ERRORS_ROW_HEADER = "WICS row"
ERRORS_PROBLEM_HEADER = "WICS problem"


@dataclass
class ImportResult:
    kind: str  # "sap-soh", "mm60", "counts", "schedule"
    file: str = ""
    sheet: str | None = None
    rows_read: int = 0
    rows_added: int = 0
    rows_updated: int = 0
    rows_removed: int = 0
    rows_ignored: int = 0
    written: bool = False
    dry_run: bool = False
    strict: bool = False
    upload_date: dt.date | None = None
    errors: list[RowError] = field(default_factory=list)
    # mm60 only (None elsewhere, and then left out of the JSON)
    added: list[str] | None = None
    removed: list[str] | None = None
    kept: list[dict[str, str]] | None = None
    changed: list[dict[str, Any]] | None = None
    # mm60: organizations of which the update would remove more than the limit (refused unless
    # mass removal was allowed) and the limit in force
    mass_removal: list[dict[str, Any]] | None = None
    removal_limit_pct: float | None = None
    # sap-soh: "replace" (the date's snapshot) or "add" (--add, or an errors workbook)
    mode: str | None = None
    errors_workbook: bool = False
    # counts only: rows stored by an earlier import of the same rows (also in rows_ignored)
    already_imported: int = 0
    # ... of which a supervisor deleted since (not brought back by importing the file again)
    deleted_since: int = 0
    # for the errors workbook: the header row and the raw cells of every rejected row
    header_row: int = 1
    header_cells: list[Any] = field(default_factory=list)
    rejected_rows: dict[int, list[Any]] = field(default_factory=dict)

    # ---- building -------------------------------------------------------------------------
    def error(self, row: int, column: str, value: Any, message: str,
              raw: list[Any] | None = None) -> None:
        self.errors.append(RowError(row, column, value, message))
        if raw is not None and row not in self.rejected_rows:
            self.rejected_rows[row] = raw

    @property
    def rows_rejected(self) -> int:
        return len({e.row for e in self.errors if e.row > self.header_row})

    # ---- output ---------------------------------------------------------------------------
    def as_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "rows_read": self.rows_read, "rows_added": self.rows_added,
            "rows_updated": self.rows_updated, "rows_removed": self.rows_removed,
            "rows_ignored": self.rows_ignored, "written": self.written,
            "errors": [e.as_dict() for e in self.errors],
        }
        if self.kind == "mm60":
            doc.update(added=list(self.added or []), removed=list(self.removed or []),
                       kept=list(self.kept or []), changed=list(self.changed or []),
                       mass_removal=list(self.mass_removal or []),
                       removal_limit_pct=self.removal_limit_pct,
                       errors_workbook=self.errors_workbook)
        if self.kind == "sap-soh" and self.mode is not None:
            doc.update(mode=self.mode, errors_workbook=self.errors_workbook)
        if self.kind in ("counts", "schedule"):
            doc["already_imported"] = self.already_imported
        if self.kind == "counts":
            doc["deleted_since"] = self.deleted_since
        doc.update(kind=self.kind, file=self.file, sheet=self.sheet,
                   rows_rejected=self.rows_rejected, dry_run=self.dry_run, strict=self.strict)
        if self.upload_date is not None:
            doc["upload_date"] = self.upload_date.isoformat()
        return doc

    def summary(self) -> dict[str, Any]:
        """The counts without the lists: what the audit row keeps."""
        doc = {k: v for k, v in self.as_dict().items()
               if k not in ("errors", "added", "removed", "kept", "changed", "mass_removal")}
        doc["errors"] = len(self.errors)
        if self.kind == "mm60":
            doc.update(added=len(self.added or []), removed=len(self.removed or []),
                       kept=len(self.kept or []), changed=len(self.changed or []))
        return doc

    def fill_task(self, handle: TaskHandle, reason: str | None = None) -> None:
        """This import's line in the task log (core.tasklog): rows read, a one-line detail
        (file, figures, or why nothing was written) and the summary's counts as extra."""
        handle.rows = self.rows_read
        handle.extra = {k: v for k, v in self.summary().items() if k not in ("kind", "file")}
        name = Path(self.file).name if self.file else "(no file)"
        if reason:
            handle.outcome = "rejected"
            handle.detail = f"{name}: {reason}"
            return
        figures = (f"{self.rows_added:,} added, {self.rows_updated:,} updated, "
                   f"{self.rows_removed:,} removed, {self.rows_rejected:,} rejected")
        head = "dry run" if self.dry_run else ("written" if self.written else "nothing written")
        handle.detail = f"{name}: {head}; {figures}"

    def deleted_since_text(self) -> str:
        n = self.deleted_since
        one = n == 1
        return (f"{n:,} of them {'was' if one else 'were'} deleted in WICS after that import "
                f"and {'stays' if one else 'stay'} deleted (type it in Count Entry to record "
                "it anew).")

    def describe(self, max_errors: int = 50) -> str:
        """The result in a few lines for people (the CLI without --json)."""
        name = Path(self.file).name if self.file else "the file"
        if self.dry_run:
            head = f"Dry run of {name}: nothing was written."
        elif self.written:
            head = f"Imported {name}."
        else:
            head = f"Nothing was written from {name}."
        lines = [head, f"  rows read: {self.rows_read:,}   added: {self.rows_added:,}   "
                       f"updated: {self.rows_updated:,}   removed: {self.rows_removed:,}   "
                       f"ignored: {self.rows_ignored:,}   rejected: {self.rows_rejected:,}"]
        if self.upload_date is not None and self.mode == "add" and self.written:
            day = f"{self.upload_date:%a} {self.upload_date.isoformat()}"
            why = ("the file is an errors workbook of a SAP import" if self.errors_workbook
                   else "--add")
            lines.append(f"  Added to the SAP snapshot of {day} ({why}); "
                         f"{plural(self.rows_updated, 'row')} with the same stock key replaced, "
                         "the rest of the snapshot kept.")
        elif self.upload_date is not None and (self.written or self.dry_run):
            day = f"{self.upload_date:%a} {self.upload_date.isoformat()}"
            verb = "would replace" if self.dry_run else "replacing"
            lines.append(f"  SAP snapshot of {day}" + (
                f", {verb} the {plural(self.rows_removed, 'row')} uploaded before for that date."
                if self.rows_removed else "."))
        if self.already_imported:
            n = self.already_imported
            what = ("count was", "counts were") if self.kind == "counts" else (
                "schedule entry was", "schedule entries were")
            lines.append(f"  {n:,} {what[0] if n == 1 else what[1]} imported before "
                         "(already stored, included in 'ignored') and not added again.")
            if self.deleted_since:
                lines.append(f"  {self.deleted_since_text()}")
        if self.kind == "mm60":
            verb = "would be " if self.dry_run else ""
            for title, items in ((f"Materials {verb}added", self.added),
                                 (f"Materials {verb}removed", self.removed)):
                if items:
                    lines.append(f"{title} ({len(items):,}): " + ", ".join(items[:max_errors])
                                 + (" ..." if len(items) > max_errors else ""))
            for m in self.mass_removal or []:
                head = (f"  {m['org']}: {m['removed']:,} of {m['materials']:,} materials "
                        f"({m['percent']:g} %) ")
                limit = f"MM60-REMOVAL-LIMIT-PCT ({self.removal_limit_pct:g} %)"
                lines.append(head + (f"removed, more than {limit}: allowed by "
                                     "--allow-mass-removal." if self.written else
                                     f"would be removed - more than {limit}; refused unless "
                                     "mass removal is allowed (--allow-mass-removal)."))
            for item in (self.kept or [])[:max_errors]:
                lines.append(f"  kept {item['material']}: {item['reason']}")
            for item in (self.changed or [])[:max_errors]:
                lines.append(f"  {verb}changed {item['material']} {item['field']}: "
                             f"{item['old']!r} -> {item['new']!r}")
        if self.errors:
            lines.append(f"Problems ({len(self.errors):,}):")
            for e in self.errors[:max_errors]:
                lines.append(f"  row {e.row}, {e.column}: {e.message}")
            if len(self.errors) > max_errors:
                lines.append(f"  ... and {len(self.errors) - max_errors:,} more "
                             "(use --json or --errors-xlsx to see them all)")
        return "\n".join(lines)

    def write_errors_xlsx(self, path: str | Path) -> int:
        """Write the rejected rows (as in the file) with their problems; returns rows written.

        Sheet 1 has the input's sheet name and header row plus two columns WICS ignores when
        reading ("WICS row", "WICS problem"), so the fixed workbook imports as it is. Sheet
        "Problems" lists every problem, including those about the file as a whole. A hidden
        sheet (errors_book.MARK_SHEET) says which import wrote it, so importing the corrected
        workbook of a sap-soh import adds its rows to that date's snapshot (errors_book.py).
        """
        from ..xlsx_writer import Header, XlsxBook
        from .errors_book import mark_rows

        book = XlsxBook()
        header = [_cell(v) for v in self.header_cells]
        while header and header[-1] in (None, ""):
            header.pop()
        width = len(header)
        titles = [Header("" if h is None else str(h)) for h in header]
        titles += [Header(ERRORS_ROW_HEADER), Header(ERRORS_PROBLEM_HEADER, width=80)]
        ws = book.sheet(self.sheet or "Sheet1", titles, header_style="bold", autofilter=False)
        messages: dict[int, list[str]] = {}
        for e in self.errors:
            messages.setdefault(e.row, []).append(f"{e.column}: {e.message}")
        for row in sorted(self.rejected_rows):
            cells = [_cell(v) for v in self.rejected_rows[row][:width]]
            cells += [None] * (width - len(cells))
            ws.append(cells + [row, " ".join(messages.get(row, []))])
        problems = book.sheet("Problems", [Header("Row"), Header("Column"), Header("Value"),
                                           Header("Problem", width=100)],
                              header_style="bold", autofilter=False)
        for e in self.errors:
            problems.append([e.row, e.column, e.as_dict()["value"], e.message])
        book.hidden_sheet(*mark_rows(self))
        book.set_property(title=f"WICS errors workbook: {Path(self.file).name}",
                          subject=f"WICS errors workbook ({self.kind})")
        book.save(path)
        return len(self.rejected_rows)


def _cell(value: Any) -> Any:
    """A value of the input row as it goes back out: '' -> empty (the writer does the rest)."""
    if value == "" or value is None:
        return None
    return value


class ImportRejected(InputRejected):
    """Nothing was written: a fatal problem, strict mode with row errors, or no usable row.

    `result` is the import's result (written=False, errors listed); `payload` its JSON, which the
    CLI prints in --json mode.
    """

    def __init__(self, message: str, result: ImportResult) -> None:
        super().__init__(message)
        result.written = False
        self.result = result
        self.payload = result.as_dict()
