"""Schedule upload: count schedule entries from the `Schedule` sheet of a workbook.

One entry per material per date (BR-2): a second row for the same date and material, in the file
or already in WICS, is a row error - except a row identical to the entry WICS already has (same
counter, priority, reason and notes): that row was imported before, and is counted as
`already_imported` (in rows_ignored), so importing a file - or its corrected errors workbook -
twice is the same as once. No row limit.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import dialect
from ..actor import Actor
from ..errors import RuleViolation
from ..limits import date_problem, text_problem
from ..models import CountSchedule
from ..permissions import requires
from ..progress import Progress, ensure
from .cells import CellError, date, text
from .common import (
    RowProblems,
    Ticker,
    decide,
    finish,
    gc_paused,
    table_of,
    text_limits,
    write_chunk,
)
from .kinds import SCHEDULE_SHEET
from .lookup import IN_CHUNK, MaterialRef, Orgs, PartNumbers
from .reader import Field, read_sheet
from .result import ImportResult

__all__ = ["FIELDS", "SHEET", "import_schedule"]

SHEET = SCHEDULE_SHEET
FIELDS = (
    Field("org", ("org_id", "org", "Organization")),
    Field("part_number", ("Material", "Part Number"), required=True),
    Field("count_date", ("CountDate", "Count Date"), required=True),
    Field("counter", ("Counter",)),
    Field("priority", ("Priority",)),
    Field("reason", ("ReasonScheduled", "Reason Scheduled", "Reason")),
    Field("notes", ("Notes",)),
)
KEYS = tuple(f.key for f in FIELDS)
_I = {k: i for i, k in enumerate(KEYS)}
TEXT_KEYS = ("counter", "priority", "reason", "notes")
COLUMNS = ("count_date", "material_id", "counter", "priority", "reason", "notes")
_LIMITS = text_limits(CountSchedule)
# a row checked: (Excel row, raw cells, count date, material, texts in TEXT_KEYS order)
_Checked = tuple[int, list[Any], dt.date, MaterialRef, list[str | None]]


@gc_paused
@requires("import")
def import_schedule(session: Session, path: str | Path, *, sheet: str = SHEET,
                    strict: bool = False, progress: Progress | None = None,
                    actor: Actor | None = None,
                    headers: Mapping[str, str | None] | None = None) -> ImportResult:
    """Import the schedule entries of the `Schedule` sheet; see the module docstring."""
    progress = ensure(progress)
    result = ImportResult("schedule")
    sh = read_sheet(path, FIELDS, result, sheet=sheet, headers=headers)
    orgs = Orgs(session)
    records = list(sh.records(KEYS))
    parts = {p for p in (text(v[_I["part_number"]]) for _, v, _ in records) if p}
    materials = PartNumbers(session, parts, orgs)
    problems = RowProblems(sh, result)
    checked: list[_Checked] = []
    tick = Ticker(progress, len(records), "Checking schedule rows")
    org_cache: dict[Any, int | None] = {}
    faults = sh.faults
    for done, (row, v, raw) in enumerate(records):
        if done >= tick.next:
            tick(done)
        result.rows_read += 1
        if faults and row in faults and problems.cell_faults(row, raw):
            continue  # an Excel error cell or a formula without a value
        part = text(v[_I["part_number"]])
        if part is None:
            result.rows_ignored += 1
            continue
        short = _short_path(v, orgs, materials, org_cache)
        if short is not None:
            checked.append((row, raw, *short))
            continue
        problems.start(row, raw)  # some doubt: find and word every problem of the row
        count_date = problems.convert("count_date", v[_I["count_date"]], date)
        problems.require("count_date", v[_I["count_date"]], count_date, "The count date")
        org_id = problems.convert("org", v[_I["org"]], orgs.resolve)
        ref = None
        if "org" not in problems.keys:
            ref = problems.convert("part_number", part,
                                   functools.partial(materials.resolve, org_id=org_id))
        values = [problems.text(k, v[_I[k]], text(v[_I[k]]), _LIMITS[k], notes=k == "notes")
                  for k in TEXT_KEYS]
        if problems.count or count_date is None or ref is None:
            continue
        checked.append((row, raw, count_date, ref, values))
    tick.done()

    # One entry per (date, material): against WICS (one query per few hundred dates) and
    # within the file (the first row wins).
    dates = sorted({c[2] for c in checked})
    taken: dict[tuple[dt.date, int], tuple[Any, ...]] = {}  # (date, material) -> its texts
    for some in dialect.chunks(dates, IN_CHUNK):
        for r in session.execute(select(CountSchedule.count_date, CountSchedule.material_id,
                                        *(getattr(CountSchedule, k) for k in TEXT_KEYS))
                                 .where(CountSchedule.count_date.in_(some))):
            taken[(r[0], r[1])] = tuple(r[2:])
    to_date = dialect.date_param(session)
    first_row: dict[tuple[dt.date, int], int] = {}
    day_param: dict[dt.date, Any] = {}
    good: list[tuple[Any, ...]] = []
    for row, raw, count_date, ref, values in checked:
        key = (count_date, ref.id)
        if key in taken and key not in first_row and taken[key] == tuple(values):
            result.already_imported += 1  # this very entry is stored: imported before
            result.rows_ignored += 1
            first_row[key] = row
            continue
        if key in taken or key in first_row:
            problems.start(row, raw)
            name = materials.display(ref)
            if key in taken:
                problems.add("part_number", ref.part_number,
                             f"A count for {name} is already scheduled for "
                             f"{count_date.isoformat()}.")
            else:
                problems.add("part_number", ref.part_number,
                             f"A count for {name} on {count_date.isoformat()} is already in row "
                             f"{first_row[key]} of this file: one entry per material and day.")
            continue
        first_row[key] = row
        day = day_param.get(count_date)
        if day is None:
            day = day_param[count_date] = to_date(count_date)
        good.append((day, ref.id, *values))
    decide(result, strict=strict, usable=len(good))
    if not good:
        return result

    write = Ticker(progress, len(good), "Writing schedule entries")
    try:
        result.rows_added = dialect.bulk_insert(session, table_of(CountSchedule), COLUMNS, good,
                                                chunk=write_chunk(len(good)), after_chunk=write)
    except IntegrityError:  # the unique (date, material) key: the caller's rollback undoes all
        raise RuleViolation("Another workstation scheduled some of these materials for the "
                            "same dates while the file was being imported; nothing was "
                            "written. Import the file again.") from None
    write.done()
    return finish(session, result, actor, "import-schedule", progress)


def _short_path(v: tuple[Any, ...], orgs: Orgs, materials: PartNumbers,
                org_cache: dict[Any, int | None]
                ) -> tuple[dt.date, MaterialRef, list[str | None]] | None:
    """(date, material, texts) of a clean row, or None at the first doubt."""
    org, part, count_date, *texts = v
    try:
        count_date = count_date if count_date.__class__ is dt.date else date(count_date)
        if count_date is None or date_problem(count_date):
            return None
        if org == "":
            org_id = None
        else:
            org_id = org_cache.get(org)
            if org_id is None:
                org_id = org_cache[org] = orgs.resolve(org)
        part_number = text(part)
        if part_number is None:
            return None
        ref = materials.resolve(part_number, org_id)
    except CellError:
        return None
    values = [text(t) for t in texts]
    for t, key in zip(values, TEXT_KEYS, strict=True):
        if t is not None and (len(t) > _LIMITS[key] or text_problem(t, notes=key == "notes")):
            return None
    return count_date, ref, values
