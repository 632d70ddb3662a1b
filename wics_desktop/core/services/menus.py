"""Menus: what each menu group sees in the navigation, editable by admins.

As in WICS, a menu group has numbered menus; a menu's option 0 holds its title and options
1..99 are its entries. An entry's command says what it does:

- ``open``    open a screen; the argument is a screen key from SCREENS (``count_entry``, ...)
- ``menu``    jump to another menu of the same group; the argument is its number
- ``web``     open a web page; the argument is the address
- ``signout`` sign out

Every user belongs to a menu group; a user without one gets the default group of their role
(``Clerks``, ``Supervisors``, ``Admins``), created with sensible menus when missing. The role,
not the menu, is the security boundary: the desktop hides entries the user's role may not use.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from .. import audit
from ..actor import Actor
from ..errors import InputRejected, NotFound, RuleViolation
from ..imports.kinds import KINDS as IMPORT_KINDS
from ..models import MenuGroup, MenuItem, User
from ..permissions import requires

if TYPE_CHECKING:
    from .users import UserInfo

COMMANDS: dict[str, str] = {
    "open": "Open a screen",
    "menu": "Go to another menu",
    "web": "Open a web page",
    "signout": "Sign out",
}

# The catalogue of screen keys a menu can open, with the title the desktop shows. Screens
# that a version of the desktop does not have yet show as unavailable instead of failing.
SCREENS: dict[str, str] = {
    "count_entry": "Count Entry",
    "counts": "Actual Counts",
    "schedule_entry": "Schedule a Count",
    "schedule": "Count Schedule",
    "plan": "Count Plan",
    "request_entry": "Request a Count",
    "requests": "Requested Counts",
    "materials": "Materials",
    "material": "Material",
    "part_types": "Part Types",
    "mpns": "Manufacturer Part Numbers",
    "locations": "Locations",
    "sap_stock": "SAP Stock on Hand",
    "count_summary": "Count Summary",
    "count_sheets": "Count Sheets",
    "report_materials": "Material Lists",
    "report_locations": "Material Locations Report",
    **{kind.screen: kind.title for kind in IMPORT_KINDS.values()},  # the four imports
    "sync": "Offline Counts and Sync",
    "activity": "Activity",
    "dashboard": "Dashboard",
    "alerts": "Alerts",
    "users": "Users",
    "menus": "Menus",
    "parameters": "Parameters",
    "holidays": "Holidays",
    "greetings": "Greetings",
    "organizations": "Organizations",
    "sap_plants": "SAP Plants",
    "units": "Units of Measure",
    "migrate_wics3": "Move a WICS-3 Site",
    "audit": "Audit Trail",
    "run_sql": "Run SQL",
}

ROLE_GROUPS = {"viewer": "Viewers", "clerk": "Clerks", "supervisor": "Supervisors",
               "admin": "Admins"}
MAX_OPTION = 99


@dataclass(frozen=True)
class MenuOption:
    number: int
    text: str
    command: str | None = "open"
    argument: str | None = None


@dataclass(frozen=True)
class Menu:
    group: str
    menu_id: int
    title: str
    options: tuple[MenuOption, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class GroupInfo:
    name: str
    info: str | None
    menus: int
    users: int


def _open(number: int, key: str) -> MenuOption:
    return MenuOption(number, SCREENS[key], "open", key)


# (menu_id, title, screen keys) per default group; options are numbered 1, 2, ...
_COUNTING_CLERK = ("count_entry", "counts", "schedule", "request_entry", "requests")
_COUNTING_SUPER = ("count_entry", "counts", "schedule_entry", "schedule", "plan",
                   "request_entry", "requests", "count_sheets", "count_summary")
_MATERIALS_CLERK = ("materials", "material", "mpns", "locations")
_MATERIALS_SUPER = ("materials", "material", "part_types", "mpns", "locations")
_SAP_CLERK = ("sap_stock",)
_SAP_SUPER = ("sap_stock", "import_sap_soh", "import_mm60", "import_counts", "import_schedule",
              "report_materials", "report_locations", "activity", "dashboard", "alerts", "audit")
_SYSTEM = ("users", "menus", "parameters", "holidays", "greetings", "organizations",
           "sap_plants", "units", "migrate_wics3", "run_sql")
# A viewer reads: lists and reports, nothing that records or changes.
_COUNTING_VIEWER = ("counts", "schedule", "requests", "count_summary")
_SAP_VIEWER = ("sap_stock", "report_materials", "report_locations", "dashboard")

DEFAULT_MENUS: dict[str, tuple[tuple[int, str, tuple[str, ...]], ...]] = {
    "Viewers": ((0, "Counting", _COUNTING_VIEWER), (1, "Materials", _MATERIALS_CLERK),
                (2, "SAP and Reports", _SAP_VIEWER)),
    "Clerks": ((0, "Counting", _COUNTING_CLERK), (1, "Materials", _MATERIALS_CLERK),
               (2, "SAP", _SAP_CLERK)),
    "Supervisors": ((0, "Counting", _COUNTING_SUPER), (1, "Materials", _MATERIALS_SUPER),
                    (2, "SAP, Imports and Reports", _SAP_SUPER)),
    "Admins": ((0, "Counting", _COUNTING_SUPER), (1, "Materials", _MATERIALS_SUPER),
               (2, "SAP, Imports and Reports", _SAP_SUPER), (9, "System", _SYSTEM)),
}
_GROUP_INFO = {"Viewers": "Default menus for viewers (read-only)",
               "Clerks": "Default menus for clerks",
               "Supervisors": "Default menus for supervisors",
               "Admins": "Default menus for admins"}


def default_menus(group: str) -> list[Menu]:
    layout = DEFAULT_MENUS.get(group, DEFAULT_MENUS["Clerks"])
    return [Menu(group, menu_id, title, tuple(_open(i, key) for i, key in enumerate(keys, 1)))
            for menu_id, title, keys in layout]


# ---- reading --------------------------------------------------------------------------------

def _group_row(session: Session, name: str) -> MenuGroup:
    row = session.scalar(select(MenuGroup).where(MenuGroup.name == (name or "").strip()))
    if row is None:
        raise NotFound(f"There is no menu group '{(name or '').strip()}'.")
    return row


def menus_of_group(session: Session, group: str) -> list[Menu]:
    row = _group_row(session, group)
    items = session.scalars(select(MenuItem).where(MenuItem.group_id == row.id)
                            .order_by(MenuItem.menu_id, MenuItem.option_number)).all()
    menus: dict[int, dict[str, Any]] = {}
    for item in items:
        entry = menus.setdefault(item.menu_id, {"title": f"Menu {item.menu_id}", "options": []})
        if item.option_number == 0:
            entry["title"] = item.option_text or entry["title"]
        else:
            entry["options"].append(MenuOption(item.option_number, item.option_text,
                                               item.command, item.argument))
    return [Menu(row.name, mid, m["title"], tuple(m["options"]))
            for mid, m in sorted(menus.items())]


def get_menu(session: Session, group: str, menu_id: int) -> Menu:
    for menu in menus_of_group(session, group):
        if menu.menu_id == menu_id:
            return menu
    raise NotFound(f"Menu {menu_id} does not exist in group '{group}'.")


def list_groups(session: Session) -> list[GroupInfo]:
    menus = dict(session.execute(
        select(MenuItem.group_id, func.count(func.distinct(MenuItem.menu_id)))
        .group_by(MenuItem.group_id)).all())
    users = dict(session.execute(
        select(User.menu_group_id, func.count()).where(User.menu_group_id.is_not(None))
        .group_by(User.menu_group_id)).all())
    return [GroupInfo(g.name, g.info, menus.get(g.id, 0), users.get(g.id, 0))
            for g in session.scalars(select(MenuGroup).order_by(MenuGroup.name))]


def group_for(session: Session, user: UserInfo) -> str:
    """The menu group a user sees: theirs, else the default group of their role."""
    name: str | None = getattr(user, "menu_group", None)
    if name:
        return name
    ensure_defaults(session)
    return ROLE_GROUPS.get(getattr(user, "role", "clerk"), "Clerks")


def menus_for_user(session: Session, user: UserInfo) -> list[Menu]:
    return menus_of_group(session, group_for(session, user))


# ---- writing --------------------------------------------------------------------------------

def ensure_defaults(session: Session) -> list[str]:
    """Create each role's default group with its menus when the group is missing."""
    present = set(session.scalars(select(MenuGroup.name)))
    created = []
    for name in DEFAULT_MENUS:
        if name in present:
            continue
        group = MenuGroup(name=name, info=_GROUP_INFO[name])
        session.add(group)
        session.flush()
        for menu in default_menus(name):
            _write_menu(session, group, menu.menu_id, menu.title, menu.options)
        created.append(name)
    session.flush()
    return created


def groups_with_defaults(session: Session) -> list[GroupInfo]:
    """The menu groups, each role's default group created first when it is missing (the
    admin screens' list: an admin who deleted a default group finds it back)."""
    ensure_defaults(session)
    return list_groups(session)


def _validate(options: list[MenuOption] | tuple[MenuOption, ...]) -> list[MenuOption]:
    seen: set[int] = set()
    clean = []
    for opt in options:
        number = int(opt.number)
        if not 1 <= number <= MAX_OPTION:
            raise InputRejected(f"Option numbers run from 1 to {MAX_OPTION} (got {number}).")
        if number in seen:
            raise InputRejected(f"Option {number} appears twice.")
        seen.add(number)
        text = (opt.text or "").strip()
        command = (opt.command or "").strip() or None
        argument = (opt.argument or "").strip() or None
        if command is not None and command not in COMMANDS:
            raise InputRejected(f"Option {number}: unknown command '{command}' "
                                f"(use one of {', '.join(COMMANDS)}).")
        if command == "open" and argument not in SCREENS:
            raise InputRejected(f"Option {number}: '{argument or ''}' is not a screen; "
                                f"pick one of the listed screens.")
        if command == "menu" and not (argument or "").lstrip("-").isdigit():
            raise InputRejected(f"Option {number}: a menu jump needs a menu number.")
        if command == "web" and not argument:
            raise InputRejected(f"Option {number}: a web page needs its address.")
        if not text:
            text = SCREENS.get(argument or "", "") if command == "open" else ""
        if not text:
            raise InputRejected(f"Option {number} needs a text.")
        clean.append(MenuOption(number, text, command, argument))
    return clean


def _write_menu(session: Session, group: MenuGroup, menu_id: int, title: str,
                options: Iterable[MenuOption]) -> None:
    session.execute(delete(MenuItem).where(MenuItem.group_id == group.id,
                                           MenuItem.menu_id == menu_id))
    session.add(MenuItem(group_id=group.id, menu_id=menu_id, option_number=0,
                         option_text=(title or "").strip() or f"Menu {menu_id}"))
    for opt in options:
        session.add(MenuItem(group_id=group.id, menu_id=menu_id, option_number=opt.number,
                             option_text=opt.text, command=opt.command, argument=opt.argument))
    session.flush()


@requires("edit_menus")
def save_menu(session: Session, group: str, menu_id: int, title: str,
              options: list[MenuOption] | tuple[MenuOption, ...],
              *, actor: Actor | None = None) -> Menu:
    """Replace a menu's title and options (creates the menu when it does not exist)."""
    row = _group_row(session, group)
    clean = _validate(options)
    if not (title or "").strip():
        raise InputRejected("A menu needs a title.")
    before = None
    try:
        before = get_menu(session, row.name, menu_id)
    except NotFound:
        pass
    _write_menu(session, row, int(menu_id), title, clean)
    after = get_menu(session, row.name, menu_id)
    audit.record(session, actor or Actor.system(), "menu", f"{row.name},{menu_id}",
                 "update" if before else "create",
                 before=_menu_dict(before) if before else None, after=_menu_dict(after))
    return after


@requires("edit_menus")
def create_menu(session: Session, group: str, title: str = "New Menu", *,
                menu_id: int | None = None, actor: Actor | None = None) -> Menu:
    row = _group_row(session, group)
    used = {m.menu_id for m in menus_of_group(session, row.name)}
    if menu_id is None:
        menu_id = next(i for i in range(0, 1000) if i not in used)
    elif menu_id in used:
        raise RuleViolation(f"Menu {row.name},{menu_id} exists - it cannot be created again.")
    return save_menu(session, row.name, menu_id, title, [], actor=actor)


@requires("edit_menus")
def delete_menu(session: Session, group: str, menu_id: int, *, actor: Actor | None = None) -> None:
    row = _group_row(session, group)
    before = get_menu(session, row.name, menu_id)
    session.execute(delete(MenuItem).where(MenuItem.group_id == row.id,
                                           MenuItem.menu_id == menu_id))
    session.flush()
    audit.record(session, actor or Actor.system(), "menu", f"{row.name},{menu_id}", "delete",
                 before=_menu_dict(before))


@requires("edit_menus")
def create_group(session: Session, name: str, info: str | None = None, *,
                 copy_from: str | None = None, actor: Actor | None = None) -> GroupInfo:
    """A new group, empty or with a copy of another group's menus."""
    name = (name or "").strip()
    if not name:
        raise InputRejected("A menu group needs a name.")
    if session.scalar(select(MenuGroup.id).where(MenuGroup.name == name)) is not None:
        raise RuleViolation(f"A menu group '{name}' already exists.")
    source = menus_of_group(session, copy_from) if copy_from else []
    group = MenuGroup(name=name, info=(info or "").strip() or None)
    session.add(group)
    session.flush()
    for menu in source:
        _write_menu(session, group, menu.menu_id, menu.title, menu.options)
    audit.record(session, actor or Actor.system(), "menu_group", name, "create",
                 after={"name": name, "info": group.info, "copied_from": copy_from})
    return GroupInfo(name, group.info, len(source), 0)


@requires("edit_menus")
def rename_group(session: Session, name: str, new_name: str, info: str | None = None,
                 *, actor: Actor | None = None) -> GroupInfo:
    row = _group_row(session, name)
    new_name = (new_name or "").strip()
    if not new_name:
        raise InputRejected("A menu group needs a name.")
    if new_name != row.name and session.scalar(
            select(MenuGroup.id).where(MenuGroup.name == new_name)) is not None:
        raise RuleViolation(f"A menu group '{new_name}' already exists.")
    before = {"name": row.name, "info": row.info}
    row.name = new_name
    if info is not None:
        row.info = info.strip() or None
    session.flush()
    audit.record(session, actor or Actor.system(), "menu_group", new_name, "update",
                 before=before, after={"name": row.name, "info": row.info})
    return next(g for g in list_groups(session) if g.name == new_name)


@requires("edit_menus")
def delete_group(session: Session, name: str, *, actor: Actor | None = None) -> None:
    row = _group_row(session, name)
    users = session.scalars(select(User.username).where(User.menu_group_id == row.id)).all()
    if users:
        raise RuleViolation(f"Menu group '{row.name}' is used by {', '.join(sorted(users))}: "
                            f"give them another group first.")
    session.delete(row)
    session.flush()
    audit.record(session, actor or Actor.system(), "menu_group", name, "delete")


@requires("edit_menus")
def reset_group(session: Session, name: str, *, actor: Actor | None = None) -> list[Menu]:
    """Put a role group's menus back to the defaults (other groups get the clerks' menus)."""
    row = _group_row(session, name)
    session.execute(delete(MenuItem).where(MenuItem.group_id == row.id))
    for menu in default_menus(row.name):
        _write_menu(session, row, menu.menu_id, menu.title, menu.options)
    audit.record(session, actor or Actor.system(), "menu_group", row.name, "reset")
    return menus_of_group(session, row.name)


def _menu_dict(menu: Menu) -> dict[str, Any]:
    return {"title": menu.title,
            "options": [[o.number, o.text, o.command, o.argument] for o in menu.options]}
