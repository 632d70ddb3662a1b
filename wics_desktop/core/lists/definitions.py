"""The lists of WICS as TableSpecs: their columns and queries, in one place (the desktop's
screens, their export and `wics list export`).

These are read models: which rows and columns a list shows. Business rules (what a count total
is, which SAP snapshot applies) stay in the services; where a list needs one, it asks them for
the SQL expression.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Date, Float, Integer, MetaData, String, Table, func, select
from sqlalchemy import Column as SqlColumn
from sqlalchemy.sql import ColumnElement, Select
from sqlalchemy.sql.type_api import TypeEngine

from ..display import display_name_sql
from ..models import (
    ActualCount,
    CountSchedule,
    LocationZone,
    ManufacturerPartNumber,
    Material,
    Organization,
    PartType,
    SapStock,
    UnitOfMeasure,
    User,
    WorksheetZone,
)
from .columns import Column as Col
from .columns import format_value
from .spec import TableSpec

DISPLAY = display_name_sql(Material, Organization)
PART_SORT = (Material.part_number, Organization.name)


def _material_columns(prefix: str = "") -> list[Col]:
    return [
        Col("material", "Material", DISPLAY, width=16, quick=True, sort_expr=PART_SORT,
            filter_expr=Material.part_number,
            tooltip="Part number; (ORG) is added when the number exists in several organizations"),
        Col("org", "Org", Organization.name, width=6, visible=False),
        Col("description", "Description", Material.description, width=30, quick=True),
    ]


# ---- actual counts -------------------------------------------------------------------------

def _counts_source(params: dict[str, Any]) -> Select[Any]:
    stmt = (select(ActualCount.id).select_from(ActualCount)
            .join(Material, Material.id == ActualCount.material_id)
            .join(Organization, Organization.id == Material.org_id))
    if params.get("material_id") is not None:
        stmt = stmt.where(ActualCount.material_id == params["material_id"])
    if params.get("count_date") is not None:
        stmt = stmt.where(ActualCount.count_date == params["count_date"])
    return stmt


def _quantity_text(value: Any) -> str:
    return "LOCATION ONLY" if value is None else format_value(value, "qty")


def counts_spec(key: str = "counts") -> TableSpec:
    return TableSpec(
        key=key, title="Actual Counts", noun="counts",
        columns=[
            Col("id", "ID", ActualCount.id, "int", width=7, visible=False),
            Col("count_date", "Count date", ActualCount.count_date, "date", width=10),
            *_material_columns(),
            Col("counter", "Counter", ActualCount.counter, width=12, quick=True),
            Col("location", "Location", ActualCount.location, width=14, quick=True),
            Col("expression", "Expression", ActualCount.expression, width=14),
            Col("quantity", "Quantity", ActualCount.quantity, "qty", width=10, fmt=_quantity_text),
            Col("location_only", "Loc. only", ActualCount.location_only, "bool", width=6,
                visible=False),
            Col("possibly_not_received", "Poss. not rcvd", ActualCount.possibly_not_received,
                "bool", width=7, visible=False),
            Col("movement_during_count", "Mvmt during ct", ActualCount.movement_during_count,
                "bool", width=7, visible=False),
            Col("package_id", "Pkg ID / desc", ActualCount.package_id, width=12, visible=False),
            Col("tag_qty", "Tag qty", ActualCount.tag_qty, width=8, visible=False),
            Col("notes", "Notes", ActualCount.notes, width=24, quick=True),
            Col("entered_by", "Entered by", ActualCount.entered_by, width=10, visible=False),
            Col("updated_at", "Changed", ActualCount.updated_at, "datetime", width=15,
                visible=False),
        ],
        source=_counts_source, row_id=ActualCount.id,
        # (count_date, material_id, id) is the order of an index (InnoDB and SQLite append
        # the row id): the newest counts come straight from it, no sort of a million rows
        tiebreak=[ActualCount.material_id, ActualCount.id],
        default_sort=("count_date", True),
    )


# ---- count schedule and requests -----------------------------------------------------------

def _counted_sql() -> ColumnElement[bool]:
    """Has the scheduled material a count (with a quantity) on the scheduled date? (core's rule)"""
    from ..services.schedule import counted_on_day

    return counted_on_day(CountSchedule)


def _schedule_source(params: dict[str, Any]) -> Select[Any]:
    stmt = (select(CountSchedule.id).select_from(CountSchedule)
            .join(Material, Material.id == CountSchedule.material_id)
            .join(Organization, Organization.id == Material.org_id)
            .outerjoin(PartType, PartType.id == Material.part_type_id))
    if params.get("material_id") is not None:
        stmt = stmt.where(CountSchedule.material_id == params["material_id"])
    if params.get("requests_only"):
        from ..services.schedule import is_request

        stmt = stmt.where(is_request(CountSchedule))
        if not params.get("show_filled", False):
            stmt = stmt.where(CountSchedule.request_filled.is_not(True), ~_counted_sql())
    return stmt


def _schedule_columns() -> list[Col]:
    return [
        Col("id", "ID", CountSchedule.id, "int", width=7, visible=False),
        Col("count_date", "Count date", CountSchedule.count_date, "date", width=10),
        *_material_columns(),
        Col("part_type", "Part type", PartType.name, width=10),
        Col("counter", "Counter", CountSchedule.counter, width=12, quick=True),
        Col("priority", "Priority", CountSchedule.priority, width=8),
        Col("reason", "Reason", CountSchedule.reason, width=18, quick=True),
        Col("notes", "Notes", CountSchedule.notes, width=24, quick=True),
        Col("requestor", "Requestor", CountSchedule.requestor, width=12),
        Col("request_filled", "Filled", CountSchedule.request_filled, "bool", width=5),
        Col("counted", "Counted", _counted_sql(), "bool", width=6, sortable=False,
            tooltip="A count with a quantity exists for this material on this date"),
    ]


def schedule_spec(key: str = "schedule") -> TableSpec:
    cols = _schedule_columns()
    return TableSpec(key=key, title="Count Schedule", noun="schedule entries", columns=cols,
                     source=_schedule_source, row_id=CountSchedule.id,
                     tiebreak=[CountSchedule.material_id, CountSchedule.id],
                     default_sort=("count_date", True))


def requests_spec() -> TableSpec:
    spec = schedule_spec("requests")
    spec.title, spec.noun = "Requested Counts", "requests"
    return spec


# ---- materials -----------------------------------------------------------------------------

# The v_materials view as a table object of its own metadata (never created by create_all).
# Columns that are NOT NULL say so: paging then continues after the last row's sort keys.
_VIEWS = MetaData()


def _c(name: str, type_: type[TypeEngine[Any]], nullable: bool = True,
       **kw: Any) -> SqlColumn[Any]:
    return SqlColumn(name, type_, nullable=nullable, **kw)


V_MATERIALS = Table(
    "v_materials", _VIEWS,
    _c("material_id", Integer, False, primary_key=True), _c("org_id", Integer, False),
    _c("org_name", String, False), _c("part_number", String, False),
    _c("display_name", String, False), _c("description", String),
    _c("part_type_id", Integer), _c("part_type", String), _c("part_type_priority", Integer),
    _c("plant", String), _c("sap_material_type", String), _c("sap_material_group", String),
    _c("sap_manufacturer", String), _c("sap_mpn", String), _c("sap_abc", String),
    _c("price", Float), _c("price_unit", Integer), _c("currency", String),
    _c("typical_container_qty", String), _c("typical_pallet_qty", String),
    _c("notes", String), _c("last_count_date", Date), _c("last_found_at", String),
    _c("next_scheduled_count", Date), _c("scheduled_today", Boolean),
)


def _materials_source(params: dict[str, Any]) -> Select[Any]:
    v = V_MATERIALS.c
    stmt = select(v.material_id).select_from(V_MATERIALS)
    if params.get("part_type_id") is not None:
        stmt = stmt.where(v.part_type_id == params["part_type_id"])
    return stmt


def materials_spec(key: str = "materials") -> TableSpec:
    v = V_MATERIALS.c
    return TableSpec(
        key=key, title="Materials", noun="materials",
        columns=[
            Col("material", "Material", v.display_name, width=16, quick=True,
                sort_expr=(v.part_number, v.org_name), filter_expr=v.part_number),
            Col("org", "Org", v.org_name, width=6),
            Col("description", "Description", v.description, width=30, quick=True),
            Col("part_type", "Part type", v.part_type, width=12),
            Col("last_count_date", "Last counted", v.last_count_date, "date", width=10),
            Col("last_found_at", "Last found at", v.last_found_at, width=18),
            Col("next_scheduled_count", "Next scheduled", v.next_scheduled_count, "date",
                width=10),
            Col("scheduled_today", "Sched. today", v.scheduled_today, "bool", width=6,
                visible=False),
            Col("typical_container_qty", "Typ. container qty", v.typical_container_qty,
                width=10, visible=False),
            Col("typical_pallet_qty", "Typ. pallet qty", v.typical_pallet_qty, width=10,
                visible=False),
            Col("plant", "Plant", v.plant, width=6, visible=False),
            Col("sap_material_type", "SAP type", v.sap_material_type, width=6, visible=False),
            Col("sap_material_group", "SAP group", v.sap_material_group, width=8, visible=False),
            Col("sap_manufacturer", "Manufacturer", v.sap_manufacturer, width=12, visible=False),
            Col("sap_mpn", "SAP MPN", v.sap_mpn, width=12, visible=False, quick=True),
            Col("sap_abc", "ABC", v.sap_abc, width=4),
            Col("price", "Price", v.price, "money", width=9, visible=False),
            Col("price_unit", "Per", v.price_unit, "int", width=5, visible=False),
            Col("currency", "Cur.", v.currency, width=4, visible=False),
            Col("notes", "Notes", v.notes, width=24, quick=True),
        ],
        source=_materials_source, row_id=v.material_id,
        default_sort=("material", False),
    )


# ---- manufacturer part numbers ------------------------------------------------------------

def _mpn_source(params: dict[str, Any]) -> Select[Any]:
    stmt = (select(ManufacturerPartNumber.id).select_from(ManufacturerPartNumber)
            .join(Material, Material.id == ManufacturerPartNumber.material_id)
            .join(Organization, Organization.id == Material.org_id))
    if params.get("material_id") is not None:
        stmt = stmt.where(ManufacturerPartNumber.material_id == params["material_id"])
    return stmt


def mpn_spec(key: str = "mpns") -> TableSpec:
    return TableSpec(
        key=key, title="Manufacturer Part Numbers", noun="MPNs",
        columns=[
            Col("mpn", "Mfr part number", ManufacturerPartNumber.mpn, width=18, quick=True),
            Col("manufacturer", "Manufacturer", ManufacturerPartNumber.manufacturer, width=16,
                quick=True),
            *_material_columns(),
            Col("notes", "Notes", ManufacturerPartNumber.notes, width=24, quick=True),
        ],
        source=_mpn_source, row_id=ManufacturerPartNumber.id,
        default_sort=("mpn", False),
    )


# ---- locations (where each material was last found) ---------------------------------------

def _last_found() -> Any:
    """Core's rule (each material's latest count date, its distinct locations) as a subquery."""
    from ..services.counts import last_found_query

    return last_found_query().subquery("last_found")


LAST_FOUND = _last_found()


def _locations_source(params: dict[str, Any]) -> Select[Any]:
    lf = LAST_FOUND
    return (select(lf.c.material_id).select_from(lf)
            .join(Material, Material.id == lf.c.material_id)
            .join(Organization, Organization.id == Material.org_id)
            .outerjoin(LocationZone, LocationZone.location == lf.c.location)
            .outerjoin(WorksheetZone, WorksheetZone.zone == LocationZone.zone))


def locations_spec() -> TableSpec:
    lf = LAST_FOUND.c
    return TableSpec(
        key="locations", title="Locations", noun="material locations",
        columns=[
            Col("location", "Location", lf.location, width=16, quick=True),
            Col("zone", "Zone", WorksheetZone.name, width=10),
            *_material_columns(),
            Col("count_date", "Last counted", lf.last_date, "date", width=10),
        ],
        source=_locations_source, row_id=lf.material_id, row_id_unique=False,
        tiebreak=[lf.location, lf.material_id],
        default_sort=("location", False),
    )


# ---- SAP stock on hand ----------------------------------------------------------------------

def _sap_source(params: dict[str, Any]) -> Select[Any]:
    stmt = (select(SapStock.id).select_from(SapStock)
            .join(Organization, Organization.id == SapStock.org_id)
            .outerjoin(Material, Material.id == SapStock.material_id)
            .outerjoin(UnitOfMeasure, UnitOfMeasure.uom == SapStock.base_uom))
    if params.get("upload_date") is not None:
        stmt = stmt.where(SapStock.upload_date == params["upload_date"])
    if params.get("material_id") is not None:
        stmt = stmt.where(SapStock.material_id == params["material_id"])
    return stmt


def sap_spec(key: str = "sap_stock") -> TableSpec:
    s = SapStock
    return TableSpec(
        key=key, title="SAP Stock on Hand", noun="SAP rows",
        columns=[
            Col("upload_date", "Upload date", s.upload_date, "date", width=10, visible=False),
            Col("org", "Org", Organization.name, width=6),
            Col("part_number", "Material", s.part_number, width=16, quick=True,
                sort_expr=(s.part_number, Organization.name)),
            Col("description", "Description", s.description, width=28, quick=True),
            Col("plant", "Plant", s.plant, width=6),
            Col("storage_location", "SLoc", s.storage_location, width=6, quick=True),
            Col("amount", "Unrestricted", s.amount, "float", width=10),
            Col("base_uom", "UoM", s.base_uom, width=5),
            Col("counting_qty", "Counting units", s.amount * _multiplier(), "float", width=10,
                tooltip="Unrestricted x the unit's multiplier (KPC = 1,000)"),
            Col("value_unrestricted", "Value unrestricted", s.value_unrestricted, "money",
                width=12),
            Col("currency", "Cur.", s.currency, width=4),
            Col("special_stock", "Special stock", s.special_stock, width=6, visible=False),
            Col("batch", "Batch", s.batch, width=8, visible=False),
            Col("vendor", "Vendor", s.vendor, width=8, visible=False),
            Col("blocked", "Blocked", s.blocked, "float", width=8),
            Col("value_blocked", "Value blocked", s.value_blocked, "money", width=10,
                visible=False),
            Col("linked", "In WICS", s.material_id.is_not(None), "bool", width=5, visible=False,
                sortable=False, tooltip="The part number matched a WICS material"),
        ],
        source=_sap_source, row_id=s.id,
        tiebreak=[s.storage_location, s.id],
        default_sort=("part_number", False),
    )


def _multiplier() -> ColumnElement[float]:
    return func.coalesce(UnitOfMeasure.multiplier, 1.0)


# ---- users (admin) --------------------------------------------------------------------------

def users_spec() -> TableSpec:
    return TableSpec(
        key="users", title="Users", noun="users",
        columns=[
            Col("username", "User name", User.username, width=14, quick=True),
            Col("display_name", "Display name", User.display_name, width=18, quick=True),
            Col("role", "Role", User.role, width=10),
            Col("active", "Active", User.active, "bool", width=6),
            Col("last_login", "Last sign-in", User.last_login, "datetime", width=15),
        ],
        source=lambda p: select(User.id).select_from(User), row_id=User.id,
        default_sort=("username", False),
    )
