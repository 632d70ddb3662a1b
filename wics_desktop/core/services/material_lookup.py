"""Small lookups every material-related service shares (kept apart to avoid import cycles)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar, Union

from sqlalchemy import CompoundSelect, select
from sqlalchemy.orm import QueryableAttribute, Session

from ..display import display_name_sql
from ..errors import NotFound
from ..models import Material, Organization

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .sql_types import AnySelect

# A set of materials as callers hand it over: ids, or a SELECT (or UNION) of distinct ids.
MaterialSet = Union[list[int], tuple[int, ...], set[int], frozenset[int], "AnySelect",
                    "CompoundSelect[Unpack[tuple[Any, ...]]]"]
_Query = TypeVar("_Query", bound="AnySelect")


def material_or_404(session: Session, material_id: int) -> Material:
    row = session.get(Material, material_id) if material_id is not None else None
    if row is None:
        raise NotFound(f"There is no material with id {material_id}.")
    return row


def display_names(session: Session, material_ids: Iterable[int]) -> dict[int, str]:
    """Material id -> display name ('PART' or 'PART (ORG)'), one query."""
    ids = sorted(set(material_ids))
    if not ids:
        return {}
    q = (select(Material.id, display_name_sql())
         .join(Organization, Organization.id == Material.org_id)
         .where(Material.id.in_(ids)))
    return dict(session.execute(q).all())


def display_name_of(session: Session, material_id: int) -> str:
    names = display_names(session, [material_id])
    if material_id not in names:
        raise NotFound(f"There is no material with id {material_id}.")
    return names[material_id]


def restrict_to(query: _Query, column: QueryableAttribute[Any],
                materials: MaterialSet | None) -> _Query:
    """Limit `query` to the materials given as a list of ids or as a SELECT of distinct ids.

    A SELECT is joined as a derived table rather than used in `IN (...)`: MariaDB runs an
    `IN (... UNION ...)` as a dependent subquery per row, which turns a report into minutes.
    """
    if materials is None:
        return query
    if isinstance(materials, (list, tuple, set, frozenset)):
        return query.where(column.in_(sorted(materials)))
    sub = materials.subquery()
    return query.join(sub, sub.c[0] == column)
