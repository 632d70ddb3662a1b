"""Read a WICS-3 site straight from its MySQL/MariaDB database, read-only.

Table and column names are WICS-3's (Django's): `WICS_materiallist`, `WICS_actualcounts`,
`cMenu_cparameters`, `auth_user`, ... with foreign keys as `<field>_id`. Names are matched
without regard to case (Django's tables may have been created lower-cased on Windows). The
connection is put in read-only mode before the first SELECT, so a mistake here cannot change
the site being moved.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, inspect
from sqlalchemy import text as sql
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ..errors import DatabaseUnavailable, InputRejected
from .source import Row, Src, Wics3Site, date, number, text

# the tables a WICS-3 database must have to be read at all
REQUIRED = ("WICS_organizations", "WICS_whseparttypes", "WICS_materiallist")


def read_database(url: str) -> Wics3Site:
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 10}
                               if url.startswith("mysql") else {})
    except (ArgumentError, ValueError, ImportError) as exc:
        raise InputRejected("the WICS-3 source is not a usable database URL "
                            f"({exc.__class__.__name__})") from None
    site = Wics3Site(source=f"WICS-3 database {engine.url.render_as_string(hide_password=True)}")
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "mysql":
                conn.exec_driver_sql("SET SESSION TRANSACTION READ ONLY")
            tables = {name.lower(): name for name in inspect(conn).get_table_names()}
            missing = [t for t in REQUIRED if t.lower() not in tables]
            if missing:
                raise InputRejected("the source is not a WICS-3 database: no table "
                                    + ", ".join(missing))
            _DbReader(conn, tables, site).read_all()
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(f"reading the WICS-3 database failed: "
                                  f"{str(getattr(exc, 'orig', exc)).splitlines()[0]}") from None
    finally:
        engine.dispose()
    return site


class _DbReader:
    def __init__(self, conn: Connection, tables: dict[str, str], site: Wics3Site) -> None:
        self.conn, self.tables, self.site = conn, tables, site

    def rows(self, table: str) -> list[Row]:
        """Every row of `table` (None when WICS-3's version lacks it), keys lower-cased."""
        name = self.tables.get(table.lower())
        if name is None:
            return []
        quote = self.conn.dialect.identifier_preparer.quote
        result = self.conn.execute(sql(f"SELECT * FROM {quote(name)}"))
        keys = [k.lower() for k in result.keys()]
        out = [dict(zip(keys, r, strict=True)) for r in result]
        self.site.read[table] = len(out)
        return out

    def read_all(self) -> None:
        s = self.site
        for r in self.rows("WICS_organizations"):
            s.orgs.append({"id": str(r["id"]), "name": text(r["orgname"], 250)})
        for r in self.rows("WICS_whseparttypes"):
            s.part_types.append({"id": str(r["id"]), "name": text(r["whseparttype"]),
                                 "priority": r["parttypepriority"],
                                 "inactive": bool(r["inactiveparttype"]),
                                 "src": Src("WICS_whseparttypes", r["id"])})
        for r in self.rows("WICS_materiallist"):
            s.materials.append({
                "id": str(r["id"]), "org_id": str(r["org_id"]), "part_number": r["material"],
                "description": text(r["description"]),
                "part_type_id": None if r["parttype_id"] is None else str(r["parttype_id"]),
                "plant": text(r.get("plant"), 20),
                "sap_material_type": text(r.get("sapmaterialtype"), 100),
                "sap_material_group": text(r.get("sapmaterialgroup"), 100),
                "sap_manufacturer": text(r.get("sapmanuf"), 100),
                "sap_mpn": text(r.get("sapmpn"), 100), "sap_abc": text(r.get("sapabc"), 5),
                "price": r.get("price"), "price_unit": r.get("priceunit"),
                "currency": text(r.get("currency"), 20),
                "typical_container_qty": text(r.get("typicalcontainerqty"), 100),
                "typical_pallet_qty": text(r.get("typicalpalletqty"), 100),
                "notes": text(r.get("notes")), "src": Src("WICS_materiallist", r["id"])})
        for r in self.rows("WICS_mfrpntomaterial"):
            s.mpns.append({"mpn": text(r["mfrpn"], 250),
                           "manufacturer": text(r["manufacturer"], 250),
                           "material_id": str(r["material_id"]), "notes": text(r["notes"], 250),
                           "src": Src("WICS_mfrpntomaterial", r["id"])})
        for r in self.rows("WICS_materialphotos"):
            s.photos.append({"material_id": str(r["material_id"]), "path": text(r["photo"]),
                             "notes": text(r.get("notes"), 250),
                             "src": Src("WICS_materialphotos", r["id"])})
        users = self._users()
        for r in self.rows("WICS_countschedule"):
            src = Src("WICS_countschedule", r["id"])
            s.schedule.append({
                "count_date": date(r["countdate"]), "material_id": str(r["material_id"]),
                "requestor": text(r["requestor"], 100),
                "requestor_user": users.get(r.get("requestor_userid_id")),
                "request_filled": None if r["requestfilled"] is None else bool(r["requestfilled"]),
                "counter": text(r["counter"], 250), "priority": text(r["priority"], 50),
                "reason": text(r["reasonscheduled"], 250), "notes": text(r["notes"]), "src": src})
        for r in self.rows("WICS_actualcounts"):
            s.counts.append({
                "id": str(r["id"]), "count_date": date(r["countdate"]),
                "material_id": str(r["material_id"]), "cycle_count_id": text(r["cycctid"], 100),
                "counter": text(r["counter"], 250), "expression": text(r["ctd_qty_expr"]),
                "location_only": bool(r["locationonly"]),
                "location": text(r["location"], 250), "package_id": text(r["pkgid_desc"], 250),
                "tag_qty": text(r["tagqty"], 250),
                "possibly_not_received": bool(r["flag_possiblynotrecieved"]),
                "movement_during_count": bool(r["flag_movementduringcount"]),
                "notes": text(r["notes"]), "src": Src("WICS_actualcounts", r["id"])})
        for r in self.rows("WICS_sap_sohrecs"):
            s.sap.append({
                "upload_date": date(r["uploaded_at"]), "org_id": str(r["org_id"]),
                "part_number": text(r["materialpartnum"], 100),
                "description": text(r["description"], 250), "plant": text(r["plant"], 20),
                "material_type": text(r["materialtype"], 50),
                "storage_location": text(r["storagelocation"], 20),
                "base_uom": text(r["baseunitofmeasure"], 20), "amount": r["amount"],
                "currency": text(r["currency"], 20), "value_unrestricted": r["valueunrestricted"],
                "special_stock": text(r["specialstock"], 20), "batch": text(r["batch"], 20),
                "vendor": text(r["vendor"], 20), "blocked": r["blocked"],
                "value_blocked": r["valueblocked"], "src": Src("WICS_sap_sohrecs", r["id"])})
        for r in self.rows("WICS_sapplants_org"):
            s.plants.append({"plant": text(r["sapplant"], 20), "org_id": str(r["org_id"]),
                             "src": Src("WICS_sapplants_org", r["sapplant"])})
        for r in self.rows("WICS_unitsofmeasure"):
            s.uoms.append({"uom": text(r["uom"], 50), "uom_text": text(r["uomtext"], 100),
                           "dimension_text": text(r["dimensiontext"], 100),
                           "multiplier": number(r["multiplier1"]),
                           "src": Src("WICS_unitsofmeasure", r["id"])})
        for r in self.rows("WICS_worksheetzones"):
            s.zones.append({"zone": r["zone"], "name": text(r["zonename"], 50) or str(r["zone"])})
        for r in self.rows("WICS_location_worksheetzone"):
            s.location_zones.append({"location": text(r["location"], 250), "zone": r["zone_id"],
                                     "src": Src("WICS_location_worksheetzone", r["id"])})
        for r in self.rows("cMenu_cparameters"):
            s.parameters.append({"name": text(r["parmname"], 100), "value": r["parmvalue"] or "",
                                 "src": Src("cMenu_cparameters", r["parmname"])})
        for r in self.rows("cMenu_cgreetings"):
            if text(r["greeting"]):
                s.greetings.append({"text": text(r["greeting"], 2000),
                                    "src": Src("cMenu_cgreetings", r["id"])})
        for r in self.rows("cMenu_menugroups"):
            s.menu_groups.append({"name": text(r["groupname"], 100),
                                  "info": text(r.get("groupinfo"), 250)})

    def _users(self) -> dict[Any, str | None]:
        """auth_user + groups + WICSuser's menu group -> site.users; returns id -> username."""
        groups = {g["id"]: g["name"] for g in self.rows("auth_group")}
        member: dict[int, list[str]] = {}
        for link in self.rows("auth_user_groups"):
            member.setdefault(link["user_id"], []).append(groups.get(link["group_id"], ""))
        menu_names = {g["id"]: g["groupname"] for g in self.rows("cMenu_menugroups")}
        menu_of = {w["user_id"]: menu_names.get(w.get("menugroup_id"))
                   for w in self.rows("userprofiles_wicsuser")}
        by_id = {}
        for u in self.rows("auth_user"):
            names = [n.lower() for n in member.get(u["id"], [])]
            role, why = _role(u, names)
            display = " ".join(p for p in (text(u.get("first_name")), text(u.get("last_name")))
                               if p)
            self.site.users.append({
                "username": text(u["username"], 150), "display_name": display or None,
                "role": role, "why": why, "active": bool(u["is_active"]),
                "menu_group": menu_of.get(u["id"]), "demo": "demo" in names,
                "src": Src("auth_user", u["id"])})
            by_id[u["id"]] = text(u["username"], 150)
        return by_id


def _role(user: Row, groups: list[str]) -> tuple[str, str]:
    """WICS-3 knows superusers, staff and plain users (and a read-only permission); WICS
    Desktop's roles are chosen from those flags, and the report says which flag decided."""
    if user.get("is_superuser"):
        return "admin", "superuser in WICS-3"
    for role in ("admin", "supervisor", "clerk", "viewer"):
        if role in groups or f"{role}s" in groups:
            return role, f"WICS-3 group {role}"
    if user.get("is_staff"):
        return "supervisor", "staff in WICS-3"
    return "clerk", "plain WICS-3 user"
