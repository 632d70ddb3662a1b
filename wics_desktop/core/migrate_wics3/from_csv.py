"""Read a WICS-3 site from the CSV exports it was loaded from (`WICS/load_data`, the format of
../shared/data/wics3): MaterialList, PartTypes, Counts, CountSched and, when present, the
archive counts, greetings, exception dates and an Organizations.csv naming the orgIDs.

The exports are MS-Access text: dates MM/DD/YYYY, booleans TRUE/FALSE, prices with thousands
separators, part numbers with leading zeros (kept: every cell is read as text), some files in
cp1252. orgID 1 is the reference's default organization L10 unless Organizations.csv says
otherwise.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputRejected
from .source import Row, Src, Wics3Site, boolean, date, number, text

DEFAULT_ORGS = {"1": "L10"}  # the reference's _defaultOrg = 1, named L10


def _open_rows(path: Path) -> list[Row]:
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # greetings and SAP lists were saved by Excel in cp1252
        content = raw.decode("cp1252", errors="replace")
    reader = csv.DictReader(io.StringIO(content, newline=""), strict=True)
    rows = []
    try:
        for row in reader:
            if None in row:  # more cells than headers: a stray comma or quote
                raise InputRejected(f"{path.name}, line {reader.line_num}: more cells than "
                                    "headers (an unbalanced quote?)")
            rows.append({(k or "").strip(): v for k, v in row.items()})
    except csv.Error as exc:  # a quote opened and never closed swallows the rest of the file
        raise InputRejected(f"{path.name}, line {reader.line_num}: "
                            f"not readable as CSV ({exc})") from None
    return rows


def _find(folder: Path, *names: str) -> Path | None:
    by_lower = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    for name in names:
        if name.lower() in by_lower:
            return by_lower[name.lower()]
    return None


def read_csv_dir(folder: str | Path) -> Wics3Site:
    folder = Path(folder)
    if not folder.is_dir():
        raise InputRejected(f"{folder} is not a folder")
    needed: dict[str, Path | None] = {"MaterialList.csv": None, "PartTypes.csv": None}
    for name in needed:
        needed[name] = _find(folder, name)
    missing = [n for n, p in needed.items() if p is None]
    if missing:
        raise InputRejected(f"{folder} is not a WICS-3 export: {', '.join(missing)} missing")
    site = Wics3Site(source=f"CSV exports in {folder}")
    reader = _CsvReader(folder, site)
    reader.orgs()
    part_types, materials = needed["PartTypes.csv"], needed["MaterialList.csv"]
    assert part_types is not None and materials is not None  # none missing: checked above
    reader.part_types(part_types)
    reader.materials(materials)
    reader.schedule()
    reader.counts()
    reader.greetings()
    reader.holidays()
    return site


def _noted(notes: str | None, not_counted: bool) -> str | None:
    if not not_counted:
        return notes
    return f"NOT PHYS CTD (not physically counted) {notes or ''}".strip()


class _CsvReader:
    def __init__(self, folder: Path, site: Wics3Site) -> None:
        self.folder, self.site = folder, site
        self.org_names: dict[str, str] = dict(DEFAULT_ORGS)
        self.known_orgs: set[str] = set()

    def _rows(self, path: Path) -> list[Row]:
        rows = _open_rows(path)
        self.site.read[path.name] = len(rows)
        return rows

    def _org(self, value: str | None, src: Src) -> str:
        key = (value or "1").strip() or "1"
        if key not in self.known_orgs:
            self.known_orgs.add(key)
            if key not in self.org_names:
                self.org_names[key] = f"ORG{key}"
                self.site.problem(src, key, f"orgID {key} has no name (no Organizations.csv "
                                  f"row): it comes across as ORG{key}; rename it afterwards")
            self.site.orgs.append({"id": key, "name": self.org_names[key]})
        return key

    def orgs(self) -> None:
        path = _find(self.folder, "Organizations.csv")
        if path is None:
            return
        for i, row in enumerate(self._rows(path), start=2):
            key = text(row.get("orgID") or row.get("oldID") or row.get("id"))
            name = text(row.get("orgname") or row.get("OrgName") or row.get("Organization"), 250)
            if key and name:
                self.org_names[key] = name
            else:
                self.site.problem(Src(path.name, i), row, "an organization needs an id and a name")

    def part_types(self, path: Path) -> None:
        for i, row in enumerate(self._rows(path), start=2):
            src = Src(path.name, i)
            prio_text = row.get("Part Type Priority")
            try:
                prio = number(prio_text)
                inactive = boolean(row.get("Inactive Part Type")) or False
            except ValueError as exc:
                self.site.problem(src, prio_text, str(exc))
                prio, inactive = None, False
            self.site.part_types.append({
                "id": text(row.get("oldID")), "name": text(row.get("L10Whse PartType")),
                "priority": prio, "inactive": inactive, "src": src})

    def materials(self, path: Path) -> None:
        for i, row in enumerate(self._rows(path), start=2):
            src = Src(path.name, i)
            try:
                price, unit = number(row.get("Price")), number(row.get("Price Unit"))
            except ValueError as exc:
                self.site.problem(src, row.get("Price"), f"price: {exc}; left blank")
                price = unit = None
            self.site.materials.append({
                "id": text(row.get("oldID")), "org_id": self._org(row.get("orgID"), src),
                "part_number": row.get("Material"), "description": text(row.get("Description")),
                "part_type_id": text(row.get("PartTypeID")),
                "sap_material_type": text(row.get("Material type")),
                "sap_material_group": text(row.get("Material Group")),
                "price": price, "price_unit": unit, "notes": text(row.get("Notes")), "src": src})

    def _dated_rows(self, name: str) -> Iterator[tuple[Src, dt.date | None, Row]]:
        """(src, CountDate, row) for each row of file `name` (if present) whose date reads;
        an unreadable date is a problem naming the row, and the row is left out."""
        path = _find(self.folder, name)
        if path is None:
            return
        for i, row in enumerate(self._rows(path), start=2):
            src = Src(path.name, i)
            try:
                day = date(row.get("CountDate"))
            except ValueError as exc:
                self.site.problem(src, row.get("CountDate"), str(exc))
                continue
            yield src, day, row

    def schedule(self) -> None:
        for src, day, row in self._dated_rows("CountSched.csv"):
            self.site.schedule.append({
                "count_date": day, "material_id": text(row.get("MaterialID")),
                "counter": text(row.get("Counter"), 250), "priority": text(row.get("Priority"), 50),
                "reason": text(row.get("Reason Scheduled"), 250), "notes": text(row.get("Notes")),
                "requestor": None, "requestor_user": None, "request_filled": None, "src": src})

    def counts(self) -> None:
        for name in ("Counts.csv", "ARCHV_Counts.csv"):
            path = _find(self.folder, name)
            if path is None:
                continue
            archive = name.startswith("ARCHV")
            for i, row in enumerate(self._rows(path), start=2):
                src = Src(path.name, i)
                try:
                    day = date(row.get("CountDate"))
                    not_counted = boolean(row.get("NOT PHYS CTD")) or False
                except ValueError as exc:
                    self.site.problem(src, row.get("CountDate"), str(exc))
                    continue
                parts = [p.strip() for p in (row.get("BIN/LOC"), row.get("PLT/POS"))
                         if p and p.strip()]
                key = f"archive:{text(row.get('ID'))}" if archive else text(row.get("oldID"))
                self.site.counts.append({
                    "id": key or f"{name}:{i}", "count_date": day,
                    "material_id": text(row.get("MaterialID")),
                    "cycle_count_id": text(row.get("CycCtID"), 100),
                    "counter": text(row.get("Counter"), 250),
                    "expression": text(row.get("CTD QTY Expr")),
                    # WICS-3's loader dropped this flag; the note keeps it as evidence
                    "location_only": not text(row.get("CTD QTY Expr")),
                    "location": "_".join(parts) or None,
                    "package_id": text(row.get("PKG ID/Desc"), 250),
                    "tag_qty": text(row.get("TAG QTY"), 250),
                    "possibly_not_received": False, "movement_during_count": False,
                    "notes": _noted(text(row.get("Notes") or row.get("NOTES")), not_counted),
                    "src": src})

    def greetings(self) -> None:
        path = _find(self.folder, "zzzGreetings.csv", "Greetings.csv")
        if path is None:
            return
        for i, row in enumerate(self._rows(path), start=2):
            value = text(row.get("Greeting"))
            if value:
                self.site.greetings.append({"text": value[:2000], "src": Src(path.name, i)})

    def holidays(self) -> None:
        for src, day, row in self._dated_rows("CountSchExceptDates.csv"):
            if day:
                self.site.holidays.append({"holiday_date": day,
                                           "name": text(row.get("Exception Reason"), 100),
                                           "src": src})
