"""`wics import sap-soh|mm60|counts|schedule FILE ...`: the four spreadsheet imports.

Each runs one core import in one transaction: a lenient import that rejected some rows exits 0
and lists them; strict mode with problems, a fatal problem, or no usable row exits 3 with nothing
written (--json then prints the result document, written=false, with the problems).
"""
from __future__ import annotations

import sys

from .base import add_json, iso_date


def register(sub) -> None:
    from ..core.imports.kinds import KINDS

    imp = sub.add_parser("import", help="import spreadsheets: SAP stock (MB52), SAP material "
                                        "master (MM60), counts, schedule")
    isub = imp.add_subparsers(dest="import_command", metavar="KIND")
    isub.required = True
    for kind in KINDS.values():
        p = isub.add_parser(kind.key, help=kind.cli_help)
        p.add_argument("file", metavar="FILE")
        if kind.needs_date:
            _snapshot_options(p)
        if kind.material_master:
            _material_master_options(p, kind.update_fields)
        if kind.default_sheet is None:
            p.add_argument("--sheet", metavar="NAME", help="sheet to read (default: the first)")
        else:
            p.add_argument("--sheet", metavar="NAME", default=kind.default_sheet,
                           help=f"sheet to read (default: {kind.default_sheet})")
        _common(p)
        p.set_defaults(handler=_import, task=kind.task, permission=kind.permission,
                       import_kind=kind.key)


def _snapshot_options(p) -> None:
    p.add_argument("--date", type=iso_date, required=True, metavar="DATE",
                   help="the snapshot's date, YYYY-MM-DD")
    p.add_argument("--add", action="store_true",
                   help="add the rows to that date's snapshot instead of replacing it (a row "
                        "with the same part, plant, storage location, special stock, batch and "
                        "vendor replaces that row: importing a file twice adds it once). An "
                        "errors workbook of a sap-soh import (--errors-xlsx) is always added")


def _material_master_options(p, update_fields: tuple[str, ...]) -> None:
    p.add_argument("--update", metavar="FIELD[,FIELD...]", action="append", default=[],
                   help="fields to update on existing materials: "
                        + ", ".join(update_fields) + " (Price brings price unit and "
                        "currency); only where the file's value is non-blank and different; "
                        "may be repeated")
    p.add_argument("--keep-missing", action="store_true",
                   help="do not remove materials missing from the file")
    p.add_argument("--allow-mass-removal", action="store_true",
                   help="remove materials missing from the file even when that is more than "
                        "MM60-REMOVAL-LIMIT-PCT percent (default 25) of an organization's "
                        "materials (without it such an update exits 3, nothing written)")
    p.add_argument("--dry-run", action="store_true",
                   help="report what would be added, removed, kept and changed; write nothing")


def _common(p) -> None:
    p.add_argument("--strict", action="store_true",
                   help="write nothing if any row has a problem (exit 3)")
    p.add_argument("--errors-xlsx", metavar="OUT",
                   help="write the rejected rows and their problems to this workbook, to fix "
                        "and import again")
    add_json(p)


class _StderrProgress:
    """A percentage on one stderr line, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.last = None

    def step(self, done: int, total: int, text: str = "") -> None:
        pct = int(100 * done / total) if total else 100
        if (pct, text) != self.last:
            self.last = (pct, text)
            print(f"\r{text}: {pct:3d}%   ", end="", file=sys.stderr, flush=True)

    def cancelled(self) -> bool:
        return False

    def close(self) -> None:
        if self.last is not None:
            print(file=sys.stderr)


def _run(ctx, args, run) -> int:
    """Run the import; when another import wrote the same rows at the same moment (a unique key
    refused a row: nothing of ours was kept), run it once more - it then finds those rows stored
    (counts: 'already imported') - and if that collides too, exit 4 asking to try again."""
    from ..core.errors import ConcurrentWrite

    try:
        return _run_once(ctx, args, run)
    except ConcurrentWrite:
        ctx.say("Another import wrote the same rows at the same moment; importing again.")
        return _run_once(ctx, args, run)


def _run_once(ctx, args, run) -> int:
    from sqlalchemy.exc import DBAPIError

    from ..core import dialect
    from ..core.errors import ConcurrentWrite, DatabaseError
    from ..core.imports.result import ImportRejected

    database = ctx.database()
    progress = _StderrProgress() if (sys.stderr.isatty() and not ctx.json) else None
    try:
        with database.session() as session:
            result = run(session, progress)
    except ImportRejected as exc:
        if progress:
            progress.close()
        _log_task(ctx, exc.result, str(exc))
        _errors_xlsx(ctx, args, exc.result)
        if not ctx.json and exc.result.errors:
            ctx.say(exc.result.describe())
        raise
    except DBAPIError as exc:
        from ..core.db import short_reason

        if dialect.is_collision(exc):
            raise ConcurrentWrite(
                "Another import stored some of the same rows at the same moment, so nothing "
                "was written. Try again: rows stored by then are recognised.") from exc
        raise DatabaseError(f"The database refused the import, nothing was written: "
                            f"{short_reason(exc)}") from exc
    finally:
        if progress:
            progress.close()
    _log_task(ctx, result)
    _errors_xlsx(ctx, args, result)
    ctx.emit(result.as_dict(), result.describe())
    if getattr(result, "written", True):
        from ..core import alerts

        alerts.after_change(database, "import")  # SAP upload, counts: alerts open or close
    return 0


def _log_task(ctx, result, reason: str | None = None) -> None:
    """Rows read, the figures and the file go into the job's task-log line."""
    if ctx.task is not None:
        result.fill_task(ctx.task, reason)


def _errors_xlsx(ctx, args, result) -> None:
    if getattr(args, "errors_xlsx", None):
        n = result.write_errors_xlsx(args.errors_xlsx)
        ctx.say(f"{n:,} rejected row(s) written to {args.errors_xlsx}")


def _read_ahead(args) -> None:
    """Start parsing the file in the background before the import's modules (SQLAlchemy, the
    models) are loaded: the parse needs no GIL, so that quarter of a second now costs nothing."""
    from ..core.imports.reader import read_ahead

    read_ahead(args.file, args.sheet)


def _import(ctx, args) -> int:
    """`wics import KIND FILE ...`: the options given, as the wizard gives them, to the kind's
    core import (core.imports.kinds)."""
    _read_ahead(args)
    from ..core.errors import UsageError
    from ..core.imports.kinds import KINDS, ImportOptions

    kind = KINDS[args.import_kind]
    options = ImportOptions(path=args.file, sheet=args.sheet, strict=args.strict)
    if kind.needs_date:
        options.upload_date, options.add = args.date, args.add
    if kind.material_master:
        from ..core.imports.mm60 import parse_update_fields

        try:
            options.update = parse_update_fields(",".join(args.update))
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        options.keep_missing = args.keep_missing
        options.allow_mass_removal = args.allow_mass_removal
    dry_run = bool(getattr(args, "dry_run", False))
    return _run(ctx, args, lambda s, p: kind.run(s, options, dry_run=dry_run, progress=p,
                                                  actor=ctx.actor))
