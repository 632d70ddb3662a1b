"""`wics report ...`: count summary, worksheet data, material lists, locations (JSON, xlsx, PDF)."""
from __future__ import annotations

from pathlib import Path

from .base import add_json, iso_date


def register(sub) -> None:
    group = sub.add_parser("report", help="reports supervisors read")
    reports = group.add_subparsers(dest="report_command", metavar="REPORT")
    reports.required = True

    p = reports.add_parser("count-summary", help="counted against SAP for a date, per organization")
    p.add_argument("--date", required=True, type=iso_date, metavar="DATE")
    p.add_argument("--requests", action="store_true", help="requested counts only")
    p.add_argument("--xlsx", type=Path, metavar="OUT", help="also write an Excel file")
    _add_pdf(p)
    add_json(p)
    p.set_defaults(handler=_count_summary, task="report-count-summary",
                   permission="reports")

    p = reports.add_parser("worksheet", help="what counters carry on paper for a date")
    p.add_argument("--date", required=True, type=iso_date, metavar="DATE")
    p.add_argument("--by", choices=("counter", "location"), default="counter")
    p.add_argument("--blind", action="store_true", help="leave the SAP quantity out")
    _add_pdf(p)
    add_json(p)
    p.set_defaults(handler=_worksheet, task="report-worksheet",
                   permission="print_count_sheets")

    p = reports.add_parser("accuracy", help="inventory accuracy over time (count summary rules)")
    p.add_argument("--from", dest="date_from", required=True, type=iso_date, metavar="D1")
    p.add_argument("--to", dest="date_to", required=True, type=iso_date, metavar="D2")
    p.add_argument("--by", choices=("org", "part-type", "counter"),
                   help="one row per period and organization, part type or counter")
    p.add_argument("--period", choices=("day", "week", "month"), default="day")
    p.add_argument("--xlsx", type=Path, metavar="OUT", help="also write an Excel file")
    _add_pdf(p)
    add_json(p)
    p.set_defaults(handler=_accuracy, task="report-accuracy", permission="reports")

    p = reports.add_parser("materials", help="material lists")
    p.add_argument("--by", required=True, choices=("part-type", "last-count", "value"))
    p.add_argument("--date", type=iso_date, metavar="DATE", help="as of (default today)")
    p.add_argument("--xlsx", type=Path, metavar="OUT", help="also write an Excel file")
    add_json(p)
    p.set_defaults(handler=_materials, task="report-materials",
                   permission="reports")

    p = reports.add_parser("locations", help="material locations and the location list")
    p.add_argument("--date", type=iso_date, metavar="DATE", help="as of (default today)")
    p.add_argument("--xlsx", type=Path, metavar="OUT", help="also write an Excel file")
    add_json(p)
    p.set_defaults(handler=_locations, task="report-locations",
                   permission="reports")


def _add_pdf(p) -> None:
    p.add_argument("--pdf", type=Path, metavar="OUT", help="also write the printed pages as PDF")
    p.add_argument("--page-size", choices=("letter", "a4"), default="letter",
                   help="paper for --pdf (default letter)")


def _pdf(ctx, kind: str, report, path: Path, page_size: str) -> None:
    from ..ui.printing import headless  # Qt only on this path

    _output(ctx, "pdf", path)
    write = {"worksheet": headless.worksheet_pdf, "accuracy": headless.accuracy_pdf}.get(
        kind, headless.count_summary_pdf)
    pages = write(report, path, page_size)
    from ..core.services.fields import plural

    ctx.say(f"wrote {path} ({plural(pages, 'page')})")
    _output(ctx, "pdf", path, pages)


def _xlsx(ctx, write, report, path: Path) -> None:
    _output(ctx, "xlsx", path)
    write(report, path)
    ctx.say(f"wrote {path}")


def _log_report(ctx, report) -> None:
    """The report's material lines are the rows of its task-log line."""
    from ..core.reports import row_count

    if ctx.task is not None:
        ctx.task.rows = row_count(report)


def _output(ctx, kind: str, path: Path, pages: int | None = None) -> None:
    """A report written to a file logs as report-NAME-pdf (or -xlsx) - the names the desktop's
    Save PDF and Export use - with the file in the detail; a PDF outranks an xlsx of the same
    run. Named before writing, so a file that cannot be written fails under that name."""
    from ..core.services.fields import plural

    task = ctx.task
    if task is None:
        return
    if not task.job.endswith("-pdf"):
        task.job = task.job.removesuffix("-xlsx") + f"-{kind}"
    task.extra[kind] = str(path)
    if pages is not None:
        task.extra["pages"] = pages
    task.detail = "; ".join(
        task.extra[k] + (f" ({plural(task.extra['pages'], 'page')})" if k == "pdf" and "pages" in
                         task.extra else "")
        for k in ("pdf", "xlsx") if k in task.extra)


def _num(value) -> str:
    if value is None:
        return "-"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def _count_summary(ctx, args) -> int:
    from ..core.reports import count_summary

    with ctx.reports_database().session() as s:
        report = count_summary.build(s, args.date, requests=args.requests)
    _log_report(ctx, report)
    if args.xlsx:
        _xlsx(ctx, count_summary.to_xlsx, report, args.xlsx)
    if args.pdf:
        _pdf(ctx, "count-summary", report, args.pdf, args.page_size)
    lines = [f"Count summary for {report.count_date}" + (" (requests)" if report.requests else "")]
    for o in report.orgs:
        lines.append(f"\n{o.org}  SAP date: {o.sap_date or 'none'}")
        for sec in o.sections:
            lines.append(f"  {sec.title} ({len(sec.materials)})")
            for m in sec.materials:
                acc = "-" if m.accuracy is None else f"{m.accuracy:.2f}%"
                value = "" if m.diff_value is None else f"{m.diff_value:,.2f}"
                flag = "approved" if m.approved else ("RECOUNT" if m.recount else "")
                lines.append(f"    {m.material:<24} counted {_num(m.count_total):>12}  "
                             f"SAP {_num(m.sap_total):>12}  diff {_num(m.diff):>10}  {acc:>8}"
                             f"  {m.band or '':<7}  value {value:>12}  {flag}".rstrip())
        signed, absolute = o.value_totals()
        lines.append(f"  value at stake {absolute:,.2f} (net {signed:,.2f})")
    ctx.emit(ctx.note_route(report.as_dict()), "\n".join(lines))
    return 0


def acting(ctx):
    """Who the command acts as: the signed-in user, or the connection's own identity (both
    with their role). Signs in first, so the role is never read before it is known."""
    ctx.database()
    return ctx.actor


def _accuracy(ctx, args) -> int:
    from ..core.reports import accuracy

    with ctx.database().session() as s:
        report = accuracy.report(s, acting(ctx), args.date_from, args.date_to, by=args.by,
                                 period=args.period)
    if ctx.task is not None:
        ctx.task.rows = len(report.rows)
    if args.xlsx:
        _xlsx(ctx, accuracy.to_xlsx, report, args.xlsx)
    if args.pdf:
        _pdf(ctx, "accuracy", report, args.pdf, args.page_size)
    lines = [f"Accuracy {report.date_from} to {report.date_to} per {report.period}"
             + (f" by {report.by}" if report.by else "")]
    if not report.rows:
        lines.append("Nothing was counted in this period.")
    for r in report.rows:
        acc = "-" if r.mean_accuracy is None else f"{r.mean_accuracy:.2f}%"
        lines.append(f"  {r.period:<10} {r.group:<16} {r.materials_counted:>7,} counted  "
                     f"mean {acc:>8}  danger {r.danger:>5}  warning {r.warning:>5}  "
                     f"success {r.success:>5}  |diff| value {r.abs_diff_value_total:>14,.2f}")
    ctx.emit(report.as_dict(), "\n".join(lines))
    return 0


def _worksheet(ctx, args) -> int:
    from ..core.reports import worksheet

    with ctx.reports_database().session() as s:
        sheet = worksheet.build(s, args.date, by=args.by, blind=args.blind)
    _log_report(ctx, sheet)
    if args.pdf:
        _pdf(ctx, "worksheet", sheet, args.pdf, args.page_size)
        from ..core.alerts.rules import record_sheets_printed

        with ctx.database().session() as s:  # the sheets-not-printed alert reads this
            record_sheets_printed(s, acting(ctx), sheet.count_date, "pdf")
    lines = [f"Count worksheet for {sheet.count_date} by {sheet.by}"
             + (" (blind)" if sheet.blind else "")]
    if not sheet.groups:
        lines.append(f"No counts scheduled for {sheet.count_date}.")
    for g in sheet.groups:
        head = g.counter if sheet.by == "counter" else g.location
        nobody = "(no counter assigned)" if sheet.by == "counter" else "(never counted)"
        lines.append(f"\n{head or nobody}")
        for m in g.materials:
            found = ", ".join(m.last_found_at) or "-"
            sap = "" if sheet.blind else f"  SAP {_num(m.sap_qty)}"
            lines.append(f"  {m.material:<24} last found {found} "
                         f"on {m.last_count_date or '-'}{sap}")
    ctx.emit(sheet.as_dict(), "\n".join(lines))
    return 0


def _materials(ctx, args) -> int:
    from ..core.reports import material_lists

    with ctx.reports_database().session() as s:
        report = material_lists.build(s, args.by, as_of=args.date)
    _log_report(ctx, report)
    if args.xlsx:
        _xlsx(ctx, material_lists.to_xlsx, report, args.xlsx)
    lines = [f"{report.title} as of {report.as_of}"]
    for r in report.rows:
        lines.append(f"  {r.material:<24} {r.part_type or '-':<12} last {r.last_count_date or '-'}"
                     f"  SAP {_num(r.sap_qty):>12}"
                     f"  value {_num(r.total_value):>14} {r.currency or ''}")
    ctx.emit(report.as_dict(), "\n".join(lines))
    return 0


def _locations(ctx, args) -> int:
    from ..core.reports import locations

    with ctx.reports_database().session() as s:
        report = locations.build(s, as_of=args.date)
    _log_report(ctx, report)
    if args.xlsx:
        _xlsx(ctx, locations.to_xlsx, report, args.xlsx)
    lines = [f"Material locations as of {report.as_of} ({report.hidden} hidden: no SAP stock, "
             f"not counted in {report.days_if_no_sap} days)"]
    for m in report.materials:
        lines.append(f"  {m.material:<24} {', '.join(m.last_found_at) or '-'} "
                     f"on {m.last_count_date or '-'}")
    lines.append("\nBy location")
    for g in report.locations:
        lines.append(f"  {g.location}: " + ", ".join(
            f"{e.material} ({e.count_date:%m/%d})" for e in g.materials))
    ctx.emit(report.as_dict(), "\n".join(lines))
    return 0
