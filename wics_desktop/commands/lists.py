"""`wics list names|export`: the desktop's lists, exported to xlsx from the command line.

The same list definitions (core.lists) and the same export code as the desktop's Export button:
for the same filters and sort, `wics list export` writes the workbook the desktop writes (the
columns a list shows by default, at their default widths).
"""
from __future__ import annotations

from pathlib import Path

from .base import add_json


def register(sub) -> None:
    group = sub.add_parser("list", help="the desktop's lists: their names and columns, xlsx "
                                        "export")
    actions = group.add_subparsers(dest="list_command", metavar="ACTION")
    actions.required = True

    p = actions.add_parser("names", help="the lists there are, with their columns")
    add_json(p)
    p.set_defaults(handler=_names)  # reads no data: only the list definitions

    p = actions.add_parser("export", help="write a list to an Excel file, filtered and sorted "
                                          "as on screen")
    p.add_argument("name", metavar="NAME", help="a list name (see `wics list names`)")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx",
                   help="the workbook to write")
    p.add_argument("--filter", action="append", default=[], metavar="COLUMN=TEXT",
                   help="a column's filter as typed in its filter box (e.g. location=^D, "
                        "quantity=>100, count_date=2026-11-01..2026-11-30); repeatable")
    p.add_argument("--sort", metavar="COLUMN[:desc]", help="sort by this column (default: the "
                   "list's own order)")
    p.add_argument("--all-columns", action="store_true",
                   help="also the columns the list hides by default")
    add_json(p)
    p.set_defaults(handler=_export, task="list-export", permission="view")


def _columns_doc(spec) -> list[dict]:
    return [{"key": c.key, "title": c.title, "kind": c.kind, "shown": c.visible,
             "sortable": c.sortable, "filterable": c.filterable} for c in spec.columns]


def _names(ctx, args) -> int:
    from ..core.actor import Actor
    from ..core.lists import catalog

    docs, lines = [], []
    for entry in catalog.LISTS.values():
        spec = entry.spec(Actor(role=None))  # the columns do not depend on who reads
        docs.append({"name": entry.name, "title": spec.title, "permission": entry.permission,
                     "about": entry.about, "columns": _columns_doc(spec)})
        lines.append(f"{entry.name:<10} {spec.title} - {entry.about} ({entry.permission})\n"
                     f"{'':<10} columns: {', '.join(c.key for c in spec.columns)}")
    ctx.emit(docs, "\n".join(lines))
    return 0


def _parse_filters(texts: list[str]) -> dict[str, str]:
    from ..core.errors import UsageError

    filters: dict[str, str] = {}
    for text in texts:
        column, sep, value = text.partition("=")
        if not sep or not column.strip():
            raise UsageError(f"--filter '{text}': write COLUMN=TEXT (e.g. location=^D)")
        if column.strip() in filters:
            raise UsageError(f"--filter: column '{column.strip()}' is filtered twice")
        filters[column.strip()] = value
    return filters


def _parse_sort(text: str | None) -> tuple[str | None, bool]:
    if text is None:
        return None, False
    column, sep, order = text.rpartition(":")
    if sep and order.strip().lower() in ("desc", "asc"):
        return column, order.strip().lower() == "desc"
    return text, False


def _export(ctx, args) -> int:
    from ..core.lists import catalog
    from ..core.lists.export import export_columns, export_list
    from ..core.services.fields import plural

    entry = catalog.entry(args.name)  # an unknown list: exit 2 before anything connects
    filters = _parse_filters(args.filter)
    sort, descending = _parse_sort(args.sort)
    ctx.database()  # signs in: ctx.actor is the signed-in user from here on
    query = catalog.open_list(entry.name, ctx.actor, filters=filters, sort=sort,
                              descending=descending)
    spec = query.spec
    columns = export_columns(spec, all_columns=args.all_columns)
    if ctx.task is not None:  # the task-log name the desktop's Export uses for this list
        ctx.task.job = f"export-{spec.key.replace('_', '-')}-xlsx"
        ctx.task.detail, ctx.task.extra["xlsx"] = str(args.out), str(args.out)
    # an export is a report's kind of read: the reporting replica where the site has one
    with ctx.reports_database().session() as s:
        rows = export_list(s, query, args.out, columns)
    if ctx.task is not None:
        ctx.task.rows = rows
    doc = {"list": entry.name, "title": spec.title, "rows": rows, "xlsx": str(args.out),
           "columns": [c.title for c in columns]}
    ctx.emit(ctx.note_route(doc), f"Exported {plural(rows, 'row')} of {spec.title} to {args.out}")
    return 0
