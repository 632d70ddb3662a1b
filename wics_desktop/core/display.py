"""The material display rule, once in Python and once in SQL.

A material shows as `PART (ORG)` when the same part number also exists in another organization,
else as `PART`. Every picker, list, report, sheet and barcode uses one of these two.
"""
from __future__ import annotations

from sqlalchemy import Select, and_, case, exists, func, literal, select
from sqlalchemy.orm import aliased
from sqlalchemy.orm.util import AliasedClass
from sqlalchemy.sql.elements import ColumnElement

from .models import Material, Organization


def display_name(part_number: str, org_name: str, shared: bool) -> str:
    """`shared` = the part number exists in another organization too."""
    return f"{part_number} ({org_name})" if shared else part_number


def display_name_sql(material: type[Material] | AliasedClass[Material] = Material,
                     org: type[Organization] | AliasedClass[Organization] = Organization,
                     ) -> ColumnElement[str]:
    """SQL expression for the display name of `material` (joined to its `org`).

    The caller's query must join `org` on `material.org_id`. Uses the part_number index.
    """
    other = aliased(Material)
    shared = exists(
        select(literal(1)).where(
            and_(other.part_number == material.part_number, other.org_id != material.org_id)
        )
    )
    return case(
        (shared, material.part_number + " (" + org.name + ")"),
        else_=material.part_number,
    )


def shared_part_numbers_sql() -> Select[str]:
    """Part numbers that exist in more than one organization (for set-based display names)."""
    return (
        select(Material.part_number)
        .group_by(Material.part_number)
        .having(func.count(func.distinct(Material.org_id)) > 1)
    )


def parse_display_name(text: str) -> tuple[str, str | None]:
    """Split 'PART (ORG)' into ('PART', 'ORG'); plain 'PART' gives ('PART', None).

    Part numbers may themselves contain parentheses, so callers that get no match for the split
    form should also try the whole text as a part number.
    """
    text = text.strip()
    if text.endswith(")") and " (" in text:
        part, _, org = text[:-1].rpartition(" (")
        if part and org:
            return part.strip(), org.strip()
    return text, None
