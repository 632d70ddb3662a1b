"""Setup commands: org, plant, uom, part-type, param, holiday. Each is idempotent: adding what
exists updates it and exits 0."""
from __future__ import annotations

from .base import add_json, iso_date


def register(sub) -> None:
    def action(name, help_text):
        group = sub.add_parser(name, help=help_text)
        actions = group.add_subparsers(dest=f"{name}_command", metavar="ACTION")
        actions.required = True
        return actions

    org = action("org", "organizations")
    p = org.add_parser("add", help="add an organization")
    p.add_argument("name", metavar="NAME")
    add_json(p)
    p.set_defaults(handler=_org_add, permission="edit_orgs")
    p = org.add_parser("list", help="organizations with their plants and material counts")
    add_json(p)
    p.set_defaults(handler=_org_list, permission="view")
    p = org.add_parser("rename", help="give an organization another name")
    p.add_argument("name", metavar="NAME")
    p.add_argument("new_name", metavar="NEW_NAME")
    add_json(p)
    p.set_defaults(handler=_org_rename, permission="edit_orgs")
    p = org.add_parser("delete", help="remove an organization nothing refers to")
    p.add_argument("name", metavar="NAME")
    add_json(p)
    p.set_defaults(handler=_org_delete, permission="edit_orgs")

    plant = action("plant", "SAP plants")
    p = plant.add_parser("add", help="map an SAP plant code to an organization")
    p.add_argument("plant", metavar="PLANT")
    p.add_argument("--org", required=True, metavar="NAME")
    add_json(p)
    p.set_defaults(handler=_plant_add, permission="edit_orgs")
    p = plant.add_parser("list", help="SAP plants with their organization")
    add_json(p)
    p.set_defaults(handler=_plant_list, permission="view")
    p = plant.add_parser("delete", help="remove a plant no material or SAP row names")
    p.add_argument("plant", metavar="PLANT")
    add_json(p)
    p.set_defaults(handler=_plant_delete, permission="edit_orgs")

    uom = action("uom", "units of measure")
    p = uom.add_parser("list", help="units of measure with their multipliers")
    add_json(p)
    p.set_defaults(handler=_uom_list, permission="view")
    p = uom.add_parser("delete", help="remove a unit no SAP stock row uses")
    p.add_argument("uom", metavar="UOM")
    add_json(p)
    p.set_defaults(handler=_uom_delete, permission="edit_orgs")
    p = uom.add_parser("add", help="add or update a unit of measure")
    p.add_argument("uom", metavar="UOM")
    p.add_argument("--multiplier", required=True, type=float, metavar="X",
                   help="base quantity per unit (KPC = 1000)")
    p.add_argument("--text", metavar="TEXT", help="what the unit means")
    add_json(p)
    p.set_defaults(handler=_uom_add, permission="edit_orgs")

    p = action("part-type", "warehouse part types").add_parser("add",
                                                               help="add or update a part type")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--priority", type=int, metavar="N")
    flag = p.add_mutually_exclusive_group()
    flag.add_argument("--inactive", dest="inactive", action="store_true", default=None)
    flag.add_argument("--active", dest="inactive", action="store_false")
    add_json(p)
    p.set_defaults(handler=_part_type_add, permission="edit_part_types")

    p = action("param", "database parameters").add_parser("set", help="set a parameter's value")
    p.add_argument("name", metavar="NAME")
    p.add_argument("value", metavar="VALUE")
    add_json(p)
    p.set_defaults(handler=_param_set, permission="edit_parameters")

    p = action("holiday", "days nobody counts").add_parser("add", help="add or rename a holiday")
    p.add_argument("date", type=iso_date, metavar="DATE")
    p.add_argument("--name", metavar="TEXT")
    add_json(p)
    p.set_defaults(handler=_holiday_add, permission="edit_holidays")


def _done(ctx, result) -> int:
    verb = "added" if result.created else ("updated" if result.changed else "unchanged")
    ctx.emit(result.as_dict(), f"{result.entity.replace('_', ' ')} {result.key}: {verb}")
    return 0


def _org_add(ctx, args) -> int:
    from ..core.services import orgs

    with ctx.database().session() as s:
        return _done(ctx, orgs.add_org(s, ctx.actor, args.name))


def _removed(ctx, entity: str, key: str) -> int:
    ctx.emit({"entity": entity, "key": key, "deleted": True}, f"{entity.replace('_', ' ')} "
             f"{key}: removed")
    return 0


def _org_list(ctx, args) -> int:
    from ..core.services import orgs

    with ctx.database().session() as s:
        rows = orgs.list_orgs(s)
    ctx.emit([{"id": o.id, "name": o.name, "plants": o.plants, "materials": o.materials}
              for o in rows],
             "\n".join(f"{o.name}\tplants: {', '.join(o.plants) or '-'}\tmaterials: "
                       f"{o.materials:,}" for o in rows))
    return 0


def _org_rename(ctx, args) -> int:
    from ..core.services import orgs

    with ctx.database().session() as s:
        return _done(ctx, orgs.rename_org(s, ctx.actor, args.name, args.new_name))


def _org_delete(ctx, args) -> int:
    from ..core.services import orgs

    with ctx.database().session() as s:
        orgs.delete_org(s, ctx.actor, args.name)
    return _removed(ctx, "organization", args.name.strip())


def _plant_list(ctx, args) -> int:
    from ..core.services import orgs

    with ctx.database().session() as s:
        rows = orgs.list_plants(s)
    ctx.emit([{"plant": p.plant, "org": p.org, "materials": p.materials, "sap_rows": p.sap_rows}
              for p in rows], "\n".join(f"{p.plant}\t{p.org}" for p in rows))
    return 0


def _plant_delete(ctx, args) -> int:
    from ..core.services import orgs

    with ctx.database().session() as s:
        orgs.delete_plant(s, ctx.actor, args.plant)
    return _removed(ctx, "sap_plant", args.plant.strip())


def _uom_list(ctx, args) -> int:
    from ..core.services import units

    with ctx.database().session() as s:
        rows = units.list_units(s)
    ctx.emit([{"uom": u.uom, "multiplier": u.multiplier, "text": u.text, "sap_rows": u.sap_rows}
              for u in rows], "\n".join(f"{u.uom}\tx {u.multiplier:g}\t{u.text or ''}"
                                        for u in rows))
    return 0


def _uom_delete(ctx, args) -> int:
    from ..core.services import units

    with ctx.database().session() as s:
        units.delete_unit(s, ctx.actor, args.uom.strip())
    return _removed(ctx, "unit_of_measure", args.uom.strip())


def _plant_add(ctx, args) -> int:
    from ..core.services import orgs

    with ctx.database().session() as s:
        return _done(ctx, orgs.add_plant(s, ctx.actor, args.plant, args.org))


def _uom_add(ctx, args) -> int:
    from ..core.services import orgs

    with ctx.database().session() as s:
        return _done(ctx, orgs.add_uom(s, ctx.actor, args.uom, args.multiplier, args.text))


def _part_type_add(ctx, args) -> int:
    from ..core.services import part_types

    with ctx.database().session() as s:
        return _done(ctx, part_types.add_part_type(s, ctx.actor, args.name, args.priority,
                                                   args.inactive))


def _param_set(ctx, args) -> int:
    from ..core.services import parameters

    with ctx.database().session() as s:
        return _done(ctx, parameters.set_parameter(s, ctx.actor, args.name, args.value))


def _holiday_add(ctx, args) -> int:
    from ..core.services import holidays

    with ctx.database().session() as s:
        return _done(ctx, holidays.add_holiday(s, ctx.actor, args.date, args.name))
