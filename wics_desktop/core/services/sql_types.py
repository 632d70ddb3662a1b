"""Annotation-only names for SQLAlchemy statements and rows of any columns.

Select and Row are generic over the types of all their columns; these stand for "any
columns", for helpers that take or give queries whatever they select. Import them under
`if TYPE_CHECKING:` (they do not exist at run time)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from sqlalchemy import Row, Select
    from typing_extensions import Unpack  # typing.Unpack is Python 3.11+

    AnySelect: TypeAlias = "Select[Unpack[tuple[Any, ...]]]"
    AnyRow: TypeAlias = "Row[Unpack[tuple[Any, ...]]]"
