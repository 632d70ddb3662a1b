"""Write a read WICS-3 site into a WICS database: one transaction, set-based, repeatable.

Every kind of row is matched on its natural key before anything is inserted (organization name;
org + part number; part-type name; (date, material) for the schedule; a uuid derived from the
WICS-3 count id; (date, org) for an SAP snapshot; MPN; user name; ...), so running the same
migration again writes nothing, and `--merge` into a database that already has data adds only
what is missing. Rows WICS would refuse are not forced in: each becomes a problem naming its
table, row and value, and the rows that depend on it say so too.
"""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from .. import audit, params, permissions
from ..actor import Actor
from ..dialect import bulk_insert, table_of
from ..errors import InputRejected
from ..expressions import ExpressionError, evaluate
from ..imports.counts import _uuid5
from ..models import (
    ROLES,
    UNKNOWN_PART_TYPE,
    ActualCount,
    AuditLog,
    CountSchedule,
    Greeting,
    Holiday,
    LocationZone,
    ManufacturerPartNumber,
    Material,
    MaterialPhoto,
    Organization,
    PartType,
    SapPlant,
    SapStock,
    UnitOfMeasure,
    User,
    WorksheetZone,
)
from ..passwords import hash_password
from ..services.materials import clean_part_number
from .source import Problem, Row, Src, Wics3Site, number

MARKER_ENTITY, MARKER_KEY = "migration", "wics3"
EARLIEST = dt.date(1990, 1, 1)  # WICS-3's placeholder dates (01/01/1900) are not real counts
NOT_EVALUATED = "[WICS-3 expression could not be evaluated]"
# Rows that mean "this database is in use". Users are not among them: the admin who runs the
# migration from the desktop is signed in, so a user exists; users are matched by name anyway.
_DATA = (Organization, Material, CountSchedule, ActualCount, SapStock, ManufacturerPartNumber)


@dataclass
class MigrationResult:
    source: str
    dry_run: bool
    read: dict[str, int]
    written: dict[str, int] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    first_sign_in: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "dry_run": self.dry_run, "read": self.read,
                "written": self.written, "matched": self.matched,
                "problems": [p.as_dict() for p in self.problems],
                "first_sign_in": self.first_sign_in}


class DatabaseNotEmpty(InputRejected):
    """A site moved into a database that has data, without --merge; `payload` (the tables
    with data) is what the CLI prints in --json mode."""

    def __init__(self, message: str, payload: dict[str, Any]) -> None:
        super().__init__(message)
        self.payload = payload


def migrated_before(session: Session) -> bool:
    return bool(session.scalar(select(exists().where(
        AuditLog.entity == MARKER_ENTITY, AuditLog.entity_key == MARKER_KEY))))


def has_data(session: Session) -> list[str]:
    found = [m.__tablename__ for m in _DATA if session.scalar(select(exists().select_from(m)))]
    if session.scalar(select(exists().where(PartType.name != UNKNOWN_PART_TYPE))):
        found.append(PartType.__tablename__)
    return found


def write_site(session: Session, actor: Actor, site: Wics3Site, *, merge: bool = False,
               dry_run: bool = False, media_dir: str | Path | None = None) -> MigrationResult:
    """Write `site` into the session's database (the caller commits, or rolls back a dry run)."""
    permissions.require(actor, "migrate_site")
    found = has_data(session)
    again = migrated_before(session)
    if found and not again and not merge:
        raise DatabaseNotEmpty(
            "the WICS database already has data (" + ", ".join(found) + "): a WICS-3 site moves "
            "into an empty database; use --merge to add it to this one (matched by organization "
            "and part number)", {"tables_with_data": found})
    result = MigrationResult(source=site.source, dry_run=dry_run, read=dict(site.read))
    w = _Writer(session, actor, site, result, fresh=not found,
                media_dir=Path(media_dir) if media_dir else None)
    w.run()
    result.problems = site.problems
    if any(result.written.values()) or not again:
        audit.record(session, actor, MARKER_ENTITY, MARKER_KEY, "import", None,
                     {"source": site.source, "written": result.written,
                      "problems": len(site.problems)})
    session.flush()
    return result


class _Writer:
    def __init__(self, session: Session, actor: Actor, site: Wics3Site,
                 result: MigrationResult, *, fresh: bool, media_dir: Path | None) -> None:
        self.s, self.actor, self.site, self.result = session, actor, site, result
        self.fresh, self.media_dir = fresh, media_dir
        self.org_ids: dict[str, int] = {}       # WICS-3 org id -> WICS id
        self.type_ids: dict[str, int] = {}      # WICS-3 part type id -> WICS id
        self.mat_ids: dict[str, int | None] = {}  # WICS-3 material id -> WICS id
        self.mat_org: dict[int, int] = {}       # WICS material id -> org id
        self.user_ids: dict[str, int] = {}      # user name (lower) -> WICS id

    def wrote(self, table: str, n: int) -> None:
        self.result.written[table] = self.result.written.get(table, 0) + n

    def matched(self, table: str, n: int) -> None:
        if n:
            self.result.matched[table] = self.result.matched.get(table, 0) + n

    def problem(self, src: Src | None, value: Any, message: str) -> None:
        self.site.problem(src, value, message)

    def run(self) -> None:
        for step in (self.orgs, self.part_types, self.materials, self.users, self.mpns,
                     self.photos, self.schedule, self.counts, self.plants, self.uoms, self.sap,
                     self.parameters, self.greetings, self.holidays, self.zones,
                     self.menu_groups):
            step()

    # ---- organizations, part types, materials ---------------------------------------------
    def orgs(self) -> None:
        existing = dict(self.s.execute(select(Organization.name, Organization.id)).all())
        new = 0
        for o in self.site.orgs:
            name = o["name"]
            if not name:
                self.problem(Src("organizations", o["id"]), o, "an organization without a name")
                continue
            if name not in existing:
                row = Organization(name=name)
                self.s.add(row)
                self.s.flush()
                existing[name] = row.id
                new += 1
            else:
                self.matched("organizations", 1)
            self.org_ids[o["id"]] = existing[name]
        self.wrote("organizations", new)

    def part_types(self) -> None:
        rows = self.s.execute(select(PartType.name, PartType.id, PartType.priority)).all()
        by_name = {r.name: r.id for r in rows}
        used = {r.priority for r in rows if r.priority is not None}
        new = 0
        for p in self.site.part_types:
            name, src = p["name"], p.get("src")
            if not name:
                self.problem(src, p, "a part type without a name: its materials get UNKNOWN")
                continue
            if len(name) > 50:
                self.problem(src, name, "part type name longer than 50 characters: cut")
                name = name[:50]
            if name in by_name:
                self.type_ids[p["id"]] = by_name[name]
                self.matched("part_types", 1)
                continue
            prio = p["priority"]
            if prio is not None and (prio != int(prio) or not -2**31 < prio < 2**31):
                self.problem(src, prio, "priority out of range or not a whole number: left blank")
                prio = None
            elif prio is not None and int(prio) in used:
                self.problem(src, prio, f"priority {int(prio)} is already used by another part "
                             "type (WICS keeps priorities unique): left blank")
                prio = None
            if prio is not None:
                prio = int(prio)
                used.add(prio)
            row = PartType(name=name, priority=prio, inactive=bool(p["inactive"]))
            self.s.add(row)
            self.s.flush()
            by_name[name] = self.type_ids[p["id"]] = row.id
            new += 1
        self.wrote("part_types", new)

    def materials(self) -> None:
        unknown = self.s.scalar(select(PartType.id).where(PartType.name == UNKNOWN_PART_TYPE))
        existing = {(o, pn): i for i, o, pn in self.s.execute(
            select(Material.id, Material.org_id, Material.part_number))}
        seen: dict[tuple[int, str], tuple[str, Src | None]] = {}
        folded: dict[tuple[int, str], str] = {}
        rows, pending = [], []
        for m in self.site.materials:
            src = m.get("src")
            org_id = self.org_ids.get(m["org_id"])
            if org_id is None:
                self.problem(src, m["org_id"], "material of an organization that was not migrated")
                continue
            try:
                pn = clean_part_number(m["part_number"])
            except InputRejected as exc:
                self.problem(src, m["part_number"], str(exc))
                continue
            key = (org_id, pn)
            if key in seen:
                first_id, first_src = seen[key]
                self.mat_ids[m["id"]] = self.mat_ids.get(first_id)  # resolved after the insert
                pending.append((m["id"], key))
                self.problem(src, pn, f"part number listed twice in one organization: the row "
                             f"{first_src.row if first_src else first_id} is used and this "
                             "row's counts and schedule go to it")
                continue
            seen[key] = (m["id"], src)
            fold = (org_id, pn.casefold())
            if fold in folded and folded[fold] != pn:
                self.problem(src, pn, f"differs from {folded[fold]} only in letter case: WICS "
                             "keeps both (part numbers are compared exactly)")
            folded.setdefault(fold, pn)
            if key in existing:
                self.mat_ids[m["id"]] = existing[key]
                self.matched("materials", 1)
                continue
            pending.append((m["id"], key))
            rows.append(self._material_row(m, org_id, pn, unknown, src))
        if rows:
            cols = list(rows[0])
            bulk_insert(self.s, table_of(Material), cols, [tuple(r[c] for c in cols) for r in rows],
                        chunk=5000)
            existing = {(o, pn): i for i, o, pn in self.s.execute(
                select(Material.id, Material.org_id, Material.part_number))}
        for old_id, key in pending:
            self.mat_ids[old_id] = existing[key]
        self.mat_org = {i: o for (o, _pn), i in existing.items()}
        self.wrote("materials", len(rows))

    def _material_row(self, m: Row, org_id: int, pn: str, unknown: int | None,
                      src: Src | None) -> Row:
        type_id = self.type_ids.get(m["part_type_id"]) if m.get("part_type_id") else None
        if m.get("part_type_id") and type_id is None:
            self.problem(src, m["part_type_id"], "unknown part type: UNKNOWN used")
        unit = m.get("price_unit")
        if unit is not None and (unit != int(unit) or unit < 1):
            self.problem(src, unit, "price unit must be a whole number of 1 or more: 1 used")
            unit = 1
        description = m.get("description") or ""
        if len(description) > 250:
            self.problem(src, description, "description longer than 250 characters: cut")
        return {
            "org_id": org_id, "part_number": pn, "description": description[:250],
            "part_type_id": type_id or unknown, "plant": m.get("plant"),
            "sap_material_type": m.get("sap_material_type"),
            "sap_material_group": m.get("sap_material_group"),
            "sap_manufacturer": m.get("sap_manufacturer"), "sap_mpn": m.get("sap_mpn"),
            "sap_abc": m.get("sap_abc"), "price": m.get("price"),
            "price_unit": None if unit is None else int(unit), "currency": m.get("currency"),
            "typical_container_qty": m.get("typical_container_qty"),
            "typical_pallet_qty": m.get("typical_pallet_qty"),
            "notes": (m.get("notes") or None) and m["notes"][:1000]}

    def _material(self, old_id: str | None, src: Src | None, what: str) -> int | None:
        mid = self.mat_ids.get(old_id) if old_id is not None else None
        if mid is None:
            self.problem(src, old_id, f"{what} of a material that was not migrated: left out")
        return mid

    # ---- users -------------------------------------------------------------------------
    def users(self) -> None:
        existing = {u.lower(): i for u, i in self.s.execute(select(User.username, User.id))}
        new = 0
        for u in self.site.users:
            name, src = u["username"], u.get("src")
            if not name:
                self.problem(src, u, "a user without a name")
                continue
            if name.lower() in existing:
                self.user_ids[name.lower()] = existing[name.lower()]
                self.matched("users", 1)
                continue
            role = u["role"] if u["role"] in ROLES else "clerk"
            if role != u["role"]:
                self.problem(src, u["role"], f"role {u['role']} is not known here: clerk used")
            if u.get("demo"):
                self.problem(src, name, "member of WICS-3's demo group (which only used the demo "
                             "database): comes across inactive")
            code = secrets.token_urlsafe(9)
            row = User(username=name, display_name=u.get("display_name"), role=role,
                       active=bool(u["active"]) and not u.get("demo"),
                       password_hash=hash_password(code), must_change_password=True)
            self.s.add(row)
            self.s.flush()
            existing[name.lower()] = self.user_ids[name.lower()] = row.id
            self.result.first_sign_in.append({
                "username": name, "role": role, "why": u.get("why"), "active": row.active,
                "one_time_password": code})
            new += 1
        self.wrote("users", new)

    # ---- MPNs, photos ------------------------------------------------------------------
    def mpns(self) -> None:
        existing = set(self.s.scalars(select(ManufacturerPartNumber.mpn)))
        rows = []
        for p in self.site.mpns:
            src = p.get("src")
            if not p["mpn"]:
                self.problem(src, p, "an MPN without a number")
                continue
            if p["mpn"] in existing:
                self.matched("mpn", 1)
                continue
            mid = self._material(p["material_id"], src, "MPN")
            if mid is None:
                continue
            existing.add(p["mpn"])
            rows.append((p["mpn"], p["manufacturer"], mid, p["notes"]))
        bulk_insert(self.s, table_of(ManufacturerPartNumber),
                    ["mpn", "manufacturer", "material_id", "notes"], rows)
        self.wrote("mpn", len(rows))

    def photos(self) -> None:
        if not self.site.photos:
            return
        have = {(m, f) for m, f in self.s.execute(
            select(MaterialPhoto.material_id, MaterialPhoto.file_name))}
        new = 0
        for p in self.site.photos:
            src, path = p.get("src"), p["path"]
            mid = self._material(p["material_id"], src, "photo")
            if mid is None or not path:
                continue
            name = Path(path).name
            if (mid, name) in have:
                self.matched("material_photos", 1)
                continue
            file = (self.media_dir / path) if self.media_dir else None
            if file is None or not file.is_file():
                self.problem(src, path, "photo file not found (give --media-dir, the folder "
                             "that holds WICS-3's MatlImg/): left out")
                continue
            kind = {".png": "image/png", ".gif": "image/gif"}.get(file.suffix.lower(), "image/jpeg")
            self.s.add(MaterialPhoto(material_id=mid, image=file.read_bytes(), content_type=kind,
                                     file_name=name[:250], notes=p.get("notes")))
            have.add((mid, name))
            new += 1
        self.s.flush()
        self.wrote("material_photos", new)

    # ---- schedule and counts -----------------------------------------------------------
    def schedule(self) -> None:
        existing = set(self.s.execute(select(CountSchedule.count_date, CountSchedule.material_id)))
        taken: dict[tuple[dt.date, int], Src | None] = {}
        rows = []
        for e in self.site.schedule:
            src, day = e.get("src"), e["count_date"]
            if day is None or day < EARLIEST:
                self.problem(src, day, "schedule entry with no real date (WICS-3's placeholder "
                             "dates): left out")
                continue
            mid = self._material(e["material_id"], src, "schedule entry")
            if mid is None:
                continue
            key = (day, mid)
            if key in existing:
                self.matched("count_schedule", 1)
                continue
            if key in taken:
                first = taken[key]
                self.problem(src, day.isoformat(), "a second schedule entry for the same material "
                             f"and date (one per day): the row {first.row if first else ''} "
                             "is kept")
                continue
            taken[key] = src
            requested_by = self.user_ids.get((e.get("requestor_user") or "").lower())
            rows.append((day, mid, e.get("requestor"), requested_by, e.get("request_filled"),
                         e.get("counter"), e.get("priority"), e.get("reason"),
                         (e.get("notes") or None) and e["notes"][:1000]))
        bulk_insert(self.s, table_of(CountSchedule),
                    ["count_date", "material_id", "requestor", "requested_by_id", "request_filled",
                     "counter", "priority", "reason", "notes"], rows, chunk=5000)
        self.wrote("count_schedule", len(rows))

    def counts(self) -> None:
        entries = []
        for c in self.site.counts:
            src, day = c.get("src"), c["count_date"]
            if day is None or day < EARLIEST:
                self.problem(src, day, "count with no real date: left out")
                continue
            mid = self._material(c["material_id"], src, "count")
            if mid is None:
                continue
            entries.append((_uuid5(f"wics3-count\x1f{c['id']}"), mid, c))
        stored = set()
        uuids = [u for u, _m, _c in entries]
        for i in range(0, len(uuids), 5000):
            stored |= set(self.s.scalars(select(ActualCount.uuid).where(
                ActualCount.uuid.in_(uuids[i:i + 5000]))))
        rows = []
        for uuid, mid, c in entries:
            if uuid in stored:
                self.matched("actual_counts", 1)
                continue
            rows.append(self._count_row(uuid, mid, c))
        if rows:
            cols = list(rows[0])
            bulk_insert(self.s, table_of(ActualCount), cols,
                        [tuple(r[c] for c in cols) for r in rows], chunk=5000)
        self.wrote("actual_counts", len(rows))

    def _count_row(self, uuid: str, mid: int, c: Row) -> Row:
        src, expr, notes = c.get("src"), c["expression"], c.get("notes")
        location_only = not expr or bool(c["location_only"])
        quantity = None
        if expr and not location_only:
            try:
                quantity = float(evaluate(expr))
            except ExpressionError as exc:
                self.problem(src, expr, f"expression refused by WICS ({exc}): the count is kept "
                             "as typed, without a quantity, and its notes say so")
                notes = f"{NOT_EVALUATED} {notes or ''}".strip()
        counter = c["counter"]
        if not counter:
            self.problem(src, None, "count without a counter: '(unknown)' used")
            counter = "(unknown)"
        return {
            "uuid": uuid, "count_date": c["count_date"], "cycle_count_id": c.get("cycle_count_id"),
            "material_id": mid, "counter": counter, "location_only": location_only,
            "expression": expr[:500] if expr else None, "quantity": quantity,
            "location": c["location"] or "(none)", "package_id": c.get("package_id"),
            "tag_qty": c.get("tag_qty"), "possibly_not_received": bool(c["possibly_not_received"]),
            "movement_during_count": bool(c["movement_during_count"]),
            "notes": notes[:1000] if notes else None, "entered_by": self.actor.username,
            "workstation": "WICS-3"}

    # ---- SAP stock, plants, units ------------------------------------------------------
    def plants(self) -> None:
        existing = dict(self.s.execute(select(SapPlant.plant, SapPlant.org_id)).all())
        new = 0
        for p in self.site.plants:
            org_id = self.org_ids.get(p["org_id"])
            if not p["plant"] or org_id is None:
                self.problem(p.get("src"), p["plant"], "plant without a migrated organization")
                continue
            if p["plant"] in existing:
                if existing[p["plant"]] != org_id:
                    self.problem(p.get("src"), p["plant"], "plant already belongs to another "
                                 "organization here: left as it is")
                self.matched("sap_plants", 1)
                continue
            self.s.add(SapPlant(plant=p["plant"], org_id=org_id))
            existing[p["plant"]] = org_id
            new += 1
        self.s.flush()
        self.wrote("sap_plants", new)

    def uoms(self) -> None:
        existing = {u.uom: u for u in self.s.scalars(select(UnitOfMeasure))}
        new = changed = 0
        for u in self.site.uoms:
            code, mult = u["uom"], u["multiplier"]
            if not code:
                continue
            if mult is None or mult <= 0:
                self.problem(u.get("src"), mult, f"unit {code}: multiplier must be above 0: 1 used")
                mult = 1.0
            row = existing.get(code)
            if row is None:
                self.s.add(UnitOfMeasure(uom=code, uom_text=u.get("uom_text"),
                                         dimension_text=u.get("dimension_text"), multiplier=mult))
                new += 1
            elif row.multiplier != mult:
                if self.fresh:  # the site's own multipliers win over the seeded ones
                    row.multiplier = mult
                    changed += 1
                else:
                    self.problem(u.get("src"), mult, f"unit {code} has multiplier "
                                 f"{row.multiplier} here: left as it is")
        self.s.flush()
        self.wrote("units_of_measure", new + changed)

    def sap(self) -> None:
        have = set(self.s.execute(select(SapStock.upload_date, SapStock.org_id).distinct()))
        parts = {(o, pn): i for (o, pn), i in
                 ((key, mid) for key, mid in _part_index(self.s).items())}
        rows, skipped = [], set()
        for r in self.site.sap:
            src, org_id = r.get("src"), self.org_ids.get(r["org_id"])
            if r["upload_date"] is None or org_id is None or not r["part_number"]:
                self.problem(src, r["part_number"], "SAP row without a date, organization or "
                             "part number: left out")
                continue
            key = (r["upload_date"], org_id)
            if key in have:
                skipped.add(key)
                continue
            amount = number(r["amount"]) or 0.0
            rows.append((r["upload_date"], org_id, r["part_number"],
                         parts.get((org_id, r["part_number"])), r["description"], r["plant"],
                         r["material_type"], r["storage_location"], r["base_uom"], amount,
                         r["currency"], number(r["value_unrestricted"]) or 0.0,
                         r["special_stock"], r["batch"], r["vendor"],
                         number(r["blocked"]) or 0.0, number(r["value_blocked"]) or 0.0))
        bulk_insert(self.s, table_of(SapStock),
                    ["upload_date", "org_id", "part_number", "material_id", "description", "plant",
                     "material_type", "storage_location", "base_uom", "amount", "currency",
                     "value_unrestricted", "special_stock", "batch", "vendor", "blocked",
                     "value_blocked"], rows, chunk=5000)
        self.matched("sap_stock_snapshots", len(skipped))
        self.wrote("sap_stock", len(rows))

    # ---- parameters, greetings, holidays, zones, menus ----------------------------------
    def parameters(self) -> None:
        values = params.get_all(self.s)
        changed = 0
        for p in self.site.parameters:
            name, value = p["name"], (p["value"] or "").strip()
            spec = params.spec(name or "")
            if spec is None:
                self.problem(p.get("src"), name, "parameter not used by WICS Desktop: left out")
                continue
            if values.get(name) == value:
                continue
            if values.get(name) != spec.default:
                self.problem(p.get("src"), value, f"{name} was already changed here "
                             f"({values.get(name)}): left as it is")
                continue
            try:
                float(value) if name.startswith("ACCURACY") else None
            except ValueError:
                self.problem(p.get("src"), value, f"{name} is not a number: default kept")
                continue
            params.set_value(self.s, name, value)
            changed += 1
        self.wrote("parameters", changed)

    def greetings(self) -> None:
        have = set(self.s.scalars(select(Greeting.text)))
        new = [g["text"] for g in self.site.greetings if g["text"] not in have]
        new = list(dict.fromkeys(new))
        self.s.add_all(Greeting(text=t) for t in new)
        self.s.flush()
        self.wrote("greetings", len(new))

    def holidays(self) -> None:
        have = set(self.s.scalars(select(Holiday.holiday_date)))
        new = 0
        for h in self.site.holidays:
            if h["holiday_date"] not in have:
                self.s.add(Holiday(holiday_date=h["holiday_date"], name=h.get("name")))
                have.add(h["holiday_date"])
                new += 1
        self.s.flush()
        self.wrote("holidays", new)

    def zones(self) -> None:
        have = set(self.s.scalars(select(WorksheetZone.zone)))
        new = 0
        for z in self.site.zones:
            if z["zone"] not in have:
                self.s.add(WorksheetZone(zone=z["zone"], name=z["name"]))
                have.add(z["zone"])
                new += 1
        self.s.flush()
        mapped = set(self.s.scalars(select(LocationZone.location)))
        for lz in self.site.location_zones:
            if not lz["location"] or lz["location"] in mapped:
                continue
            if lz["zone"] not in have:
                self.problem(lz.get("src"), lz["zone"], "location in an unknown zone: left out")
                continue
            self.s.add(LocationZone(location=lz["location"], zone=lz["zone"]))
            mapped.add(lz["location"])
            new += 1
        self.s.flush()
        self.wrote("worksheet_zones", new)

    def menu_groups(self) -> None:
        for g in self.site.menu_groups:
            self.problem(Src("cMenu_menugroups", g["name"]), g["name"],
                         "WICS-3 menus open web pages of WICS-3: not migrated; users get the "
                         "menus of their role (Admin > Menus to adjust)")


def _part_index(session: Session) -> dict[tuple[int, str], int]:
    return {(o, pn): i for i, o, pn in session.execute(
        select(Material.id, Material.org_id, Material.part_number))}
