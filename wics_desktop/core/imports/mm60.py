"""SAP material master (MM60): bring the material list in line with SAP.

For the organizations whose plants appear in the file: part numbers new to WICS are added (part
type UNKNOWN), materials missing from the file are removed unless counts, schedule entries or
SAP rows refer to them (those are listed as kept, with the reason), and the fields named in
`update` are overwritten where the file's value is non-blank and different. A removed
material's photos and manufacturer part numbers go with it (ON DELETE CASCADE). `dry_run`
reports all of this and writes nothing.

A short or truncated file would remove most of an organization's materials. So an update that
would remove more than MM60-REMOVAL-LIMIT-PCT percent (parameter, default 25) of any one
organization's materials is refused - nothing written, the result lists what would have gone -
unless `allow_mass_removal` is given. Every removal and every changed field gets an audit row
(entity "material") holding the part number, its organization and the old values, including the
removed material's MPNs and the names of its photos, so a mistaken update can be reconstructed
(mm60_audit.py). The corrected errors workbook of an MM60 import (errors_book.py) holds only
the rows that were rejected, so importing it never removes anything (as with `keep_missing`).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from .. import dialect, params
from ..actor import Actor
from ..display import display_name
from ..models import (
    UNKNOWN_PART_TYPE,
    ActualCount,
    CountSchedule,
    Material,
    PartType,
    SapStock,
)
from ..permissions import requires
from ..progress import Progress, ensure
from .cells import integer, number, show, text
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
from .errors_book import read_mark
from .kinds import MM60_UPDATE_FIELDS
from .lookup import IN_CHUNK, Orgs, Plants
from .mm60_audit import audit_changes, audit_removals, removal_snapshots
from .reader import Field, normalize_header, read_sheet
from .result import ImportRejected, ImportResult

__all__ = ["FIELDS", "UPDATE_FIELDS", "parse_update_fields", "import_mm60"]

FIELDS = (
    Field("part_number", ("Material", "Material Number", "Part Number"), required=True),
    Field("plant", ("Plant", "Plnt"), required=True),
    Field("description", ("Material description", "Description")),
    Field("sap_material_type", ("Material type", "MTyp")),
    Field("sap_material_group", ("Material Group", "Matl Group")),
    Field("sap_manufacturer", ("Manufact.", "Manufacturer")),
    Field("sap_mpn", ("MPN", "Manufacturer Part Number", "Mfr Part Number")),
    Field("sap_abc", ("ABC", "ABC Indicator")),
    Field("price", ("Price", "Standard price")),
    Field("price_unit", ("Price unit", "per")),
    Field("currency", ("Currency", "Crcy")),
)
KEYS = tuple(f.key for f in FIELDS)
TEXT_KEYS = ("description", "sap_material_type", "sap_material_group", "sap_manufacturer",
             "sap_mpn", "sap_abc", "currency")
UPDATE_FIELDS = MM60_UPDATE_FIELDS  # --update names -> the material columns each one updates
# how a changed column is named in the result
COLUMN_LABEL = {"description": "Description", "sap_material_type": "SAPMaterialType",
                "sap_material_group": "SAPMaterialGroup", "sap_manufacturer": "SAPManuf",
                "sap_mpn": "SAPMPN", "sap_abc": "SAPABC", "price": "Price",
                "price_unit": "PriceUnit", "currency": "Currency"}
INSERT_COLUMNS = ("org_id", "part_number", "description", "part_type_id", "plant",
                  "sap_material_type", "sap_material_group", "sap_manufacturer", "sap_mpn",
                  "sap_abc", "price", "price_unit", "currency")
_UNUSABLE = ("\t", "\n", "\r", "\u00a0")
_LIMITS = text_limits(Material)


def parse_update_fields(spec: str | Iterable[str] | None) -> tuple[str, ...]:
    """'Description,Price' -> ('Description', 'Price'); case and spaces do not matter."""
    if spec is None:
        return ()
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    known = {normalize_header(k): k for k in UPDATE_FIELDS}
    chosen: list[str] = []
    for item in items:
        if not item.strip():
            continue
        name = known.get(normalize_header(item))
        if name is None:
            raise ValueError(f"unknown --update field '{item.strip()}': use "
                             + ", ".join(UPDATE_FIELDS))
        if name not in chosen:
            chosen.append(name)
    return tuple(chosen)


@gc_paused
@requires("import")
def import_mm60(session: Session, path: str | Path, *, update: Iterable[str] = (),
                keep_missing: bool = False, dry_run: bool = False, sheet: str | None = None,
                strict: bool = False, progress: Progress | None = None,
                actor: Actor | None = None,
                headers: Mapping[str, str | None] | None = None,
                allow_mass_removal: bool = False) -> ImportResult:
    """Update the material list from an MM60 export; see the module docstring.

    `update` holds names from UPDATE_FIELDS. Returns the result with added/removed/kept/changed
    filled; raises ImportRejected (nothing written) on fatal problems, or in strict mode when a
    row has a problem.
    """
    progress = ensure(progress)
    update = parse_update_fields(update)
    result = ImportResult("mm60", dry_run=dry_run)
    mark = read_mark(path)
    if mark is not None and mark.kind == "mm60":
        # the corrected rows of an earlier MM60 import: the rest of the list is not "missing"
        keep_missing, result.errors_workbook = True, True
    sh = read_sheet(path, FIELDS, result, sheet=sheet, headers=headers)
    plants, orgs = Plants(session), Orgs(session)
    problems = RowProblems(sh, result)
    rows: dict[tuple[int, str], dict[str, Any]] = {}  # (org, part) -> values of the row used
    first_row: dict[tuple[int, str], int] = {}
    mentioned: set[tuple[int, str]] = set()  # every (org, part) in the file: never removed
    tick = Ticker(progress, sh.total, "Checking rows")
    for row, v, raw in sh.records(KEYS):
        tick(row - sh.header_row - 1)
        result.rows_read += 1
        values = dict(zip(KEYS, v, strict=True))
        part = text(values["part_number"])
        if part is None:
            result.rows_ignored += 1
            continue
        problems.start(row, raw)
        if sh.faults and row in sh.faults:
            # an Excel error cell or a formula without a value: the row is rejected, but its
            # material still counts as mentioned (never removed for a rejected row)
            problems.cell_faults(row, raw)
        plant = problems.text("plant", values["plant"], text(values["plant"]), _LIMITS["plant"])
        org_id = None
        if plant is None:
            problems.require("plant", values["plant"], plant, "The plant")
        else:
            org_id = problems.convert("plant", plant, plants.resolve)
        if org_id is not None:
            mentioned.add((org_id, part))
        raw_part = values["part_number"]
        if isinstance(raw_part, str) and any(c in raw_part for c in _UNUSABLE):
            problems.add("part_number", raw_part,
                         f"The part number '{show(raw_part)}' contains a tab, a line break or "
                         "a non-breaking space, so it cannot be a WICS part number: correct it "
                         "in SAP (or in this file) and import again.")
        part = problems.text("part_number", raw_part, part, _LIMITS["part_number"])
        clean: dict[str, Any] = {"plant": plant}
        for name in TEXT_KEYS:
            clean[name] = problems.text(name, values[name], text(values[name]), _LIMITS[name])
        clean["price"] = problems.convert("price", values["price"], number)
        clean["price_unit"] = problems.convert("price_unit", values["price_unit"], integer)
        if clean["price_unit"] is not None and clean["price_unit"] <= 0:
            problems.add("price_unit", values["price_unit"],
                         "The price unit must be a whole number of at least 1.")
        if problems.count or org_id is None or part is None:
            continue
        key = (org_id, part)
        if key in rows:
            used = first_row[key]
            problems.add("part_number", raw_part,
                         f"Material {part} of {orgs.name_of[org_id]} is already in row {used}; "
                         f"row {used} was used and this row was left out.")
            continue
        rows[key] = clean
        first_row[key] = row
    tick.done()
    decide(result, strict=strict, usable=len(rows), noun="rows")

    plan = _plan(session, rows, mentioned, update, keep_missing, orgs)
    result.removal_limit_pct = removal_limit(session)
    result.mass_removal = _mass_removal(plan, result.removal_limit_pct)
    if result.mass_removal and not allow_mass_removal and not dry_run:
        _fill(result, plan)
        raise ImportRejected(_mass_removal_message(result), result)
    apply = not dry_run and bool(plan.added or plan.removed or plan.changes)
    if apply:
        _apply(session, plan, rows, progress, actor or Actor())
    _fill(result, plan)
    if not apply:
        return result
    return finish(session, result, actor, "import-mm60", progress)


def removal_limit(session: Session) -> float:
    """MM60-REMOVAL-LIMIT-PCT as a number from 0 to 100 (anything else: the default)."""
    value = params.get_float(session, params.MM60_REMOVAL_LIMIT_PCT)
    if not 0 <= value <= 100:
        value = params.as_float({}, params.MM60_REMOVAL_LIMIT_PCT)  # the declared default
    return value


def _mass_removal(plan: _Plan, limit: float) -> list[dict[str, Any]]:
    """The organizations of which the update would remove more than `limit` percent."""
    gone: dict[int, int] = {}
    for org_id, _part in plan.removed:
        gone[org_id] = gone.get(org_id, 0) + 1
    over = []
    for org_id, n in sorted(gone.items(), key=lambda kv: plan.org_name[kv[0]]):
        total = plan.per_org.get(org_id, 0)
        if total and n * 100 > limit * total:
            over.append({"org": plan.org_name[org_id], "removed": n, "materials": total,
                         "percent": round(100 * n / total, 1)})
    return over


def _mass_removal_message(result: ImportResult) -> str:
    parts = [f"{m['removed']:,} of the {m['materials']:,} materials of {m['org']} "
             f"({m['percent']:g} %)" for m in result.mass_removal or []]
    limit = f"{result.removal_limit_pct:g}"
    return ("This file would remove " + "; ".join(parts) + f", more than "
            f"{params.MM60_REMOVAL_LIMIT_PCT} ({limit} %) allows: nothing was written. Is the "
            "file complete? If these removals are meant, import it again with "
            "--allow-mass-removal (in the wizard: tick the confirmation).")


def _fill(result: ImportResult, plan: _Plan) -> None:
    result.added = [plan.show(k) for k in plan.added]
    result.removed = [plan.show(k) for k in plan.removed]
    result.kept = [{"material": plan.show(k), "reason": reason} for k, reason in plan.kept]
    result.changed = [{"material": plan.show(k), "field": COLUMN_LABEL[col], "old": old, "new": new}
                      for k, col, old, new in plan.changes]
    result.rows_added, result.rows_removed = len(plan.added), len(plan.removed)
    result.rows_updated = len({k for k, *_ in plan.changes})


class _Plan:
    def __init__(self) -> None:
        self.added: list[tuple[int, str]] = []
        self.removed: list[tuple[int, str]] = []
        self.kept: list[tuple[tuple[int, str], str]] = []
        self.changes: list[tuple[tuple[int, str], str, Any, Any]] = []
        self.ids: dict[tuple[int, str], int] = {}
        self.shared: set[str] = set()
        self.org_name: dict[int, str] = {}
        self.per_org: dict[int, int] = {}  # materials of each org before the update

    def show(self, key: tuple[int, str]) -> str:
        return display_name(key[1], self.org_name[key[0]], key[1] in self.shared)


def _plan(session: Session, rows: dict[tuple[int, str], dict[str, Any]],
          mentioned: set[tuple[int, str]], update: tuple[str, ...],
          keep_missing: bool, orgs: Orgs) -> _Plan:
    plan = _Plan()
    plan.org_name = orgs.name_of
    org_ids = sorted({org for org, _ in mentioned})
    columns = [c for name in update for c in UPDATE_FIELDS[name]]
    existing: dict[tuple[int, str], tuple[Any, ...]] = {}
    if org_ids:
        stmt = select(Material.id, Material.org_id, Material.part_number,
                      *(getattr(Material, c) for c in columns)).where(Material.org_id.in_(org_ids))
        for r in session.connection().execute(stmt):
            existing[(r[1], r[2])] = tuple(r)
    plan.ids = {k: r[0] for k, r in existing.items()}
    for org, _part in existing:
        plan.per_org[org] = plan.per_org.get(org, 0) + 1
    plan.added = sorted(k for k in rows if k not in existing)
    missing = [] if keep_missing else sorted(k for k in existing if k not in mentioned)
    if missing:
        refs = _references(session, org_ids)
        for key in missing:
            reason = refs.get(existing[key][0])
            if reason:
                plan.kept.append((key, reason))
            else:
                plan.removed.append(key)
    for key in sorted(k for k in rows if k in existing):
        old_values = existing[key][3:]
        for col, old in zip(columns, old_values, strict=True):
            new = rows[key].get(col)
            if new is not None and _differs(old, new):
                plan.changes.append((key, col, old, new))
    # display names: a part number shows its org when another org has it too
    parts_by_org: dict[str, set[int]] = {}
    for org, part in list(existing) + list(rows):
        parts_by_org.setdefault(part, set()).add(org)
    plan.shared = {p for p, o in parts_by_org.items() if len(o) > 1}
    if org_ids:
        elsewhere = set(session.scalars(select(Material.part_number).where(
            Material.org_id.not_in(org_ids)).distinct()))
        plan.shared |= {p for p in parts_by_org if p in elsewhere}
    return plan


def _differs(old: Any, new: Any) -> bool:
    if isinstance(new, float) and isinstance(old, (int, float)):
        return abs(float(old) - new) > 1e-9 * max(1.0, abs(new))
    return bool(old != new)


def _references(session: Session, org_ids: list[int]) -> dict[int, str]:
    """material id -> 'N counts, N schedule entries and N SAP stock rows refer to it'."""
    found: dict[int, list[str]] = {}
    for model, one, many in ((ActualCount, "count", "counts"),
                             (CountSchedule, "schedule entry", "schedule entries"),
                             (SapStock, "SAP stock row", "SAP stock rows")):
        stmt = (select(model.material_id, func.count())
                .join(Material, Material.id == model.material_id)
                .where(Material.org_id.in_(org_ids)).group_by(model.material_id))
        for mid, n in session.execute(stmt):
            if mid is None:  # the join to Material leaves none; the column may hold NULL
                continue
            found.setdefault(mid, []).append(f"{n:,} {one if n == 1 else many}")
    return {mid: _join(parts) + (" refers to it" if len(parts) == 1 and parts[0].startswith("1 ")
                                 else " refer to it")
            for mid, parts in found.items()}


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _apply(session: Session, plan: _Plan, rows: dict[tuple[int, str], dict[str, Any]],
           progress: Progress, actor: Actor) -> None:
    table = table_of(Material)
    steps = Ticker(progress, 3, "Updating the material list")
    if plan.removed:
        ids = [plan.ids[k] for k in plan.removed]
        before = removal_snapshots(session, ids, plan.org_name)
        # Guarded again in SQL: a count entered since the plan was made keeps its material.
        guard = [~exists().where(m.material_id == table.c.id)
                 for m in (ActualCount, CountSchedule, SapStock)]
        removed = dialect.delete_ids(session, table, ids, and_(*guard))
        if removed != len(ids):  # someone referred to some of them meanwhile: keep those
            still: set[int] = set()
            for part in dialect.chunks(ids, IN_CHUNK):
                still.update(session.scalars(select(Material.id).where(Material.id.in_(part))))
            plan.kept += [(k, "a count, schedule entry or SAP row referring to it was added "
                              "during the import") for k in plan.removed if plan.ids[k] in still]
            plan.removed = [k for k in plan.removed if plan.ids[k] not in still]
        audit_removals(session, actor, [before[plan.ids[k]] for k in plan.removed])
    steps(1)
    if plan.added:
        unknown = _unknown_part_type(session)
        new_rows = []
        for org_id, part in plan.added:
            r = rows[(org_id, part)]
            new_rows.append((org_id, part, r["description"] or "", unknown, r["plant"],
                             r["sap_material_type"], r["sap_material_group"],
                             r["sap_manufacturer"], r["sap_mpn"], r["sap_abc"], r["price"],
                             r["price_unit"] if r["price_unit"] is not None else 1,
                             r["currency"]))
        dialect.bulk_insert(session, table, INSERT_COLUMNS, new_rows,
                            chunk=write_chunk(len(new_rows)))
    steps(2)
    by_column: dict[str, dict[int, Any]] = {}
    for key, col, _old, new in plan.changes:
        by_column.setdefault(col, {})[plan.ids[key]] = new
    for col, values in by_column.items():
        dialect.update_by_id(session, table, col, values)
    audit_changes(session, actor, [(plan.ids[key], key, plan.org_name[key[0]], COLUMN_LABEL[col],
                                    col, old, new) for key, col, old, new in plan.changes])
    steps.done()


def _unknown_part_type(session: Session) -> int:
    """The id of part type UNKNOWN, created if an admin removed it."""
    pid = session.scalar(select(PartType.id).where(PartType.name == UNKNOWN_PART_TYPE))
    if pid is None:
        from ..seeds import UNKNOWN_PART_TYPE_PRIORITY

        pt = PartType(name=UNKNOWN_PART_TYPE, priority=UNKNOWN_PART_TYPE_PRIORITY)
        session.add(pt)
        session.flush()
        pid = pt.id
    return pid
