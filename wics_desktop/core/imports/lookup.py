"""Set-based look-ups for a whole file: organizations, SAP plants, and part numbers (BR-3).

Each loads what a file needs in one or two queries up front; checking a row is then a dict look-up.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..display import display_name
from ..models import Material, Organization, SapPlant
from .cells import CellError, show

__all__ = ["Orgs", "Plants", "MaterialRef", "PartNumbers", "IN_CHUNK"]

IN_CHUNK = 500  # ids or names per IN (...) list: far below every driver's parameter limit
_LOAD_ALL_ABOVE = 900  # more distinct part numbers than this: read all materials at once


class Orgs:
    """Organizations by name and id (an org column holds either)."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(select(Organization.id, Organization.name)).all()
        self.name_of = {oid: name for oid, name in rows}
        self._by_name = {name: oid for oid, name in rows}
        self._by_folded = {name.casefold(): oid for oid, name in rows}

    def resolve(self, value: Any) -> int | None:
        """The org id for a cell (name, or numeric id); None when blank; CellError if unknown."""
        if value is None or value == "":
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            if value in self.name_of:
                return value
            raise CellError(f"There is no organization with id {value}.")
        name = str(value).strip()
        if not name:
            return None
        oid = self._by_name.get(name) or self._by_folded.get(name.casefold())
        if oid is None and name.isascii() and name.isdigit() and int(name) in self.name_of:
            oid = int(name)
        if oid is None:
            known = ", ".join(sorted(self._by_name)) or "none yet"
            raise CellError(f"There is no organization '{show(value)}' (known: {known}).")
        return oid


class Plants:
    """SAP plant code -> organization id."""

    def __init__(self, session: Session) -> None:
        self.org_of = dict(session.execute(select(SapPlant.plant, SapPlant.org_id)).all())

    def resolve(self, plant: str) -> int:
        org = self.org_of.get(plant)
        if org is None:
            raise CellError(f"The SAP plant '{plant}' is not known to WICS: add it to the plants "
                            f"(wics plant add {plant} --org NAME) and import again.")
        return org


@dataclass(frozen=True)
class MaterialRef:
    id: int
    org_id: int
    part_number: str
    extra: tuple[Any, ...] = ()


class PartNumbers:
    """Part number -> the materials carrying it, in every organization (BR-3 resolution).

    `extra` names further Material columns to load (e.g. the typical quantities).
    """

    def __init__(self, session: Session, part_numbers: Iterable[str], orgs: Orgs,
                 extra: tuple[str, ...] = ()) -> None:
        self.orgs = orgs
        cols = [Material.id, Material.org_id, Material.part_number]
        cols += [getattr(Material, name) for name in extra]
        wanted = set(part_numbers)
        rows: Sequence[Any] = []
        if len(wanted) > _LOAD_ALL_ABOVE:
            rows = session.connection().execute(select(*cols)).all()
        elif wanted:
            rows = session.connection().execute(
                select(*cols).where(Material.part_number.in_(wanted))).all()
        self.by_part: dict[str, list[MaterialRef]] = {}
        for r in rows:
            if r[2] in wanted:
                self.by_part.setdefault(r[2], []).append(
                    MaterialRef(r[0], r[1], r[2], tuple(r[3:])))

    def resolve(self, part: str, org_id: int | None) -> MaterialRef:
        """The one material meant by `part` (and the org given, if any); CellError otherwise."""
        found = self.by_part.get(part)
        if not found:
            if org_id is not None:
                raise CellError(f"Material {part} does not exist in {self.orgs.name_of[org_id]}.")
            raise CellError(f"Material {part} does not exist in WICS.")
        if org_id is None:
            if len(found) == 1:
                return found[0]
            names = ", ".join(sorted(self.orgs.name_of[m.org_id] for m in found))
            raise CellError(f"Material {part} exists in several organizations ({names}): "
                            "fill in org_id to say which.")
        for m in found:
            if m.org_id == org_id:
                return m
        names = ", ".join(sorted(self.orgs.name_of[m.org_id] for m in found))
        raise CellError(f"Material {part} is not in {self.orgs.name_of[org_id]}; it exists in "
                        f"{names}.")

    def display(self, ref: MaterialRef) -> str:
        shared = len(self.by_part.get(ref.part_number, ())) > 1
        return display_name(ref.part_number, self.orgs.name_of[ref.org_id], shared)
