"""The lists by name: what `wics list names` shows and `wics list export NAME` writes.

Each name is one of the desktop's list screens: the same TableSpec with the parameters the
screen starts with (the Requested Counts screen shows open requests only), and the permission
that screen needs. A user filters and sorts as on screen, by column key or title.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..actor import Actor
from ..errors import UsageError
from ..permissions import require
from . import definitions
from .audit import audit_spec
from .columns import Column, FilterError, TableState
from .query import ListQuery
from .spec import TableSpec


@dataclass(frozen=True)
class ListEntry:
    name: str
    spec: Callable[[Actor], TableSpec]
    permission: str = "view"
    params: dict[str, Any] = field(default_factory=dict)
    about: str = ""


LISTS: dict[str, ListEntry] = {e.name: e for e in (
    ListEntry("counts", lambda _a: definitions.counts_spec(), about="every actual count"),
    ListEntry("schedule", lambda _a: definitions.schedule_spec(),
              about="the count schedule, requests included"),
    ListEntry("requests", lambda _a: definitions.requests_spec(),
              params={"requests_only": True, "show_filled": False},
              about="requested counts not yet filled"),
    ListEntry("materials", lambda _a: definitions.materials_spec(), about="the materials"),
    ListEntry("mpns", lambda _a: definitions.mpn_spec(), about="manufacturer part numbers"),
    ListEntry("locations", lambda _a: definitions.locations_spec(),
              about="where each material was found on its latest count date"),
    ListEntry("sap-stock", lambda _a: definitions.sap_spec(),
              about="SAP stock on hand, every upload (filter upload_date for one)"),
    ListEntry("users", lambda _a: definitions.users_spec(), permission="edit_users",
              about="WICS users and their roles"),
    ListEntry("audit", audit_spec, permission="view_audit",
              about="the audit trail the user may read"),
)}


def list_names() -> list[str]:
    return list(LISTS)


def entry(name: str) -> ListEntry:
    """The list called `name`; UsageError (exit 2) naming it and the lists there are."""
    found = LISTS.get(name.strip().lower().replace("_", "-"))
    if found is None:
        raise UsageError(f"unknown list '{name}': use one of {', '.join(LISTS)}")
    return found


def open_list(name: str, actor: Actor, *, filters: dict[str, str] | None = None,
              sort: str | None = None, descending: bool = False) -> ListQuery:
    """The list `name` as `actor` may read it, filtered and sorted as asked: column names are
    a column's key or title (any case). An unknown list or column, a column that cannot be
    sorted or filtered, or a filter text that cannot be understood: UsageError (exit 2)."""
    found = entry(name)
    require(actor, found.permission)
    spec = found.spec(actor)
    query = ListQuery(spec, dict(found.params), TableState())
    for column_name, text in (filters or {}).items():
        col = _column(spec, column_name, found.name)
        if not col.filterable:
            raise UsageError(f"column '{column_name}' of list '{found.name}' cannot be "
                             f"filtered")
        if col.key in query.state.filters:
            raise UsageError(f"column '{column_name}' of list '{found.name}' is filtered twice")
        try:
            col.filter_clause(text)
        except FilterError as exc:
            raise UsageError(f"filter on '{column_name}': {exc}") from None
        query.state.filters[col.key] = text
    if sort is not None:
        col = _column(spec, sort, found.name)
        if not col.sortable:
            raise UsageError(f"column '{sort}' of list '{found.name}' cannot be sorted")
        query.state.sort_key, query.state.descending = col.key, descending
    return query


def _column(spec: TableSpec, name: str, list_name: str) -> Column:
    col = spec.find_column(name)
    if col is None:
        raise UsageError(f"unknown column '{name}' in list '{list_name}': use one of "
                         f"{', '.join(c.key for c in spec.columns)}")
    return col
