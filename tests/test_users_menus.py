"""Users (roles, passwords, sign-in) and menus (per group, admin-edited) on both databases."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from wics_desktop.core.actor import Actor
from wics_desktop.core.errors import InputRejected, NotFound, NotPermitted, RuleViolation
from wics_desktop.core.models import AuditLog, User
from wics_desktop.core.services import menus, users


def test_create_authenticate_and_roles(db):
    with db.session() as s:
        assert not users.has_users(s)
        admin = users.create_first_admin(s, " boss ", "admin-pass-1", "The Boss")
        assert admin.role == "admin" and admin.username == "boss" and admin.name == "The Boss"
        users.create_user(s, "Chris", "clerk-pass-1", role="clerk", actor=Actor.system())
    with db.session() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "Chris"))
        assert stored.startswith("$argon2") and "clerk-pass-1" not in stored
        # the user name matches case-insensitively; the password does not
        who = users.authenticate(s, "chris", "clerk-pass-1")
        assert who is not None and who.username == "Chris" and who.role == "clerk"
        assert who.last_login is not None
        assert users.authenticate(s, "chris", "CLERK-PASS-1") is None
        assert users.authenticate(s, "nobody", "clerk-pass-1") is None
        assert users.authenticate(s, "", "") is None
        assert who.can("enter_counts") and not who.can("edit_materials")
        assert not who.can("no-such-permission")  # unknown permission: admins only
        assert admin.can("edit_users") and admin.can("no-such-permission")
        with pytest.raises(NotPermitted):
            users.require(who, "schedule_counts")
    with db.session() as s, pytest.raises(NotPermitted):
        users.create_first_admin(s, "second", "admin-pass-2")


def test_bad_input_is_refused(db):
    with db.session() as s:
        with pytest.raises(InputRejected, match="at least 8"):
            users.create_user(s, "ann", "short", role="clerk", actor=Actor.system())
        with pytest.raises(InputRejected, match="Unknown role"):
            users.create_user(s, "ann", "long-enough", role="boss", actor=Actor.system())
        with pytest.raises(InputRejected, match="spaces"):
            users.create_user(s, "ann smith", "long-enough", actor=Actor.system())
        users.create_user(s, "ann", "long-enough", actor=Actor.system())
        with pytest.raises(RuleViolation, match="already exists"):
            users.create_user(s, "ANN", "long-enough", actor=Actor.system())
        with pytest.raises(NotFound):
            users.set_password(s, "bob", "long-enough", actor=Actor.system())


def test_deactivate_reset_and_last_admin_guard(db):
    with db.session() as s:
        users.create_user(s, "root", "admin-pass-1", role="admin", actor=Actor.system())
        users.create_user(s, "sue", "super-pass-1", role="supervisor", actor=Actor.system())
        with pytest.raises(RuleViolation, match="last active admin"):
            users.deactivate(s, "root", actor=Actor.system())
        with pytest.raises(RuleViolation, match="last active admin"):
            users.update_user(s, "root", role="clerk", actor=Actor.system())
        users.deactivate(s, "sue", actor=Actor.system())
    with db.session() as s:
        assert users.authenticate(s, "sue", "super-pass-1") is None  # inactive
        users.activate(s, "sue", actor=Actor.system())
        temporary = users.reset_password(s, "sue", actor=users.get(s, "root").actor())
        assert users.authenticate(s, "sue", "super-pass-1") is None
        who = users.authenticate(s, "sue", temporary)
        assert who is not None and who.must_change_password
        with pytest.raises(RuleViolation, match="current password"):
            users.change_own_password(s, "sue", "wrong-one", "brand-new-pass")
        users.change_own_password(s, "sue", temporary, "brand-new-pass")
        assert not users.authenticate(s, "sue", "brand-new-pass").must_change_password
        actions = s.scalars(select(AuditLog.action).where(AuditLog.entity == "user")).all()
        assert {"create", "update", "set_password"} <= set(actions)


def test_upsert_is_idempotent(db):
    with db.session() as s:
        info, created = users.upsert_user(s, "kim", role="clerk", password="first-pass",
                                          actor=Actor.system())
        assert created
        info, created = users.upsert_user(s, "KIM", role="supervisor", password="second-pass",
                                          display_name="Kim K", actor=Actor.system())
        assert not created and info.role == "supervisor" and info.display_name == "Kim K"
        assert s.scalar(select(func.count()).select_from(User)) == 1
        assert users.authenticate(s, "kim", "second-pass") is not None


def test_default_menus_per_role(db):
    with db.session() as s:
        clerk = users.create_user(s, "cl", "clerk-pass-1", role="clerk", actor=Actor.system())
        admin = users.create_user(s, "ad", "admin-pass-1", role="admin", actor=Actor.system())
        clerk_menus = menus.menus_for_user(s, clerk)
        admin_menus = menus.menus_for_user(s, admin)
        assert menus.ensure_defaults(s) == []  # already there: nothing created twice
    clerk_keys = {o.argument for m in clerk_menus for o in m.options}
    admin_keys = {o.argument for m in admin_menus for o in m.options}
    assert clerk_menus[0].title == "Counting"
    assert clerk_menus[0].options[0].argument == "count_entry"
    assert "users" not in clerk_keys and "part_types" not in clerk_keys
    assert {"users", "menus", "parameters", "holidays", "count_entry"} <= admin_keys
    assert all(k in menus.SCREENS for k in admin_keys)


def test_admin_edits_a_groups_menus(db):
    with db.session() as s:
        menus.ensure_defaults(s)
        menus.create_group(s, "Night shift", "counters at night", copy_from="Clerks",
                           actor=Actor.system())
        users.create_user(s, "nina", "night-pass-1", role="clerk", menu_group="Night shift",
                          actor=Actor.system())
        menu = menus.save_menu(s, "Night shift", 0, "Tonight", [
            menus.MenuOption(1, "Count!", "open", "count_entry"),
            menus.MenuOption(2, "", "open", "materials"),  # blank text: the screen's title
            menus.MenuOption(5, "More", "menu", "1"),
        ], actor=Actor.system())
        assert [o.text for o in menu.options] == ["Count!", "Materials", "More"]
        with pytest.raises(InputRejected, match="not a screen"):
            menus.save_menu(s, "Night shift", 0, "X", [menus.MenuOption(1, "x", "open", "nope")],
                            actor=Actor.system())
        with pytest.raises(InputRejected, match="twice"):
            menus.save_menu(s, "Night shift", 0, "X", [menus.MenuOption(1, "a", "signout"),
                                                       menus.MenuOption(1, "b", "signout")],
                            actor=Actor.system())
        new = menus.create_menu(s, "Night shift", "Extras", actor=Actor.system())
        assert new.menu_id == 3 and new.options == ()
        menus.delete_menu(s, "Night shift", 3, actor=Actor.system())
        with pytest.raises(RuleViolation, match="nina"):
            menus.delete_group(s, "Night shift", actor=Actor.system())
    with db.session() as s:
        nina = users.get(s, "nina")
        seen = menus.menus_for_user(s, nina)
        assert seen[0].title == "Tonight" and len(seen) == 3
        groups = {g.name: g for g in menus.list_groups(s)}
        assert groups["Night shift"].users == 1 and groups["Night shift"].menus == 3
        menus.reset_group(s, "Clerks", actor=Actor.system())


def _wics(url, *args, stdin=""):
    return subprocess.run([sys.executable, "-m", "wics_desktop", "--db", url, *args],
                          input=stdin, capture_output=True, text=True)


def test_cli_user_add_is_idempotent(db):
    url = db.url.render_as_string(hide_password=False)
    r = _wics(url, "user", "add", "maria", "--role", "supervisor", "--display", "Maria G",
              "--password-stdin", "--json", stdin="maria-pass-1\n")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    # MySQL/MariaDB: the person's own server account once the database's accounts are set up
    # (issue 22; whether an earlier test set them up depends on the order); SQLite has none
    account = doc.pop("db_account")
    assert account is None if db.is_embedded else (account is None or account.startswith("wics_"))
    assert doc == {"username": "maria", "display_name": "Maria G", "role": "supervisor",
                   "active": True, "menu_group": None, "created": True}
    r = _wics(url, "user", "add", "maria", "--role", "admin", "--password-stdin", "--json",
              stdin="maria-pass-2\n")
    assert r.returncode == 0 and json.loads(r.stdout)["created"] is False
    with db.session() as s:
        assert users.authenticate(s, "maria", "maria-pass-2").role == "admin"
    assert _wics(url, "user", "add", "x", "--role", "clerk", "--password-stdin",
                 stdin="short\n").returncode == 3
    assert _wics(url, "user", "add", "x", "--role", "boss", "--password-stdin",
                 stdin="long-enough\n").returncode == 2
    assert _wics(url, "user", "add", "x", "--role", "clerk", "--password-stdin",
                 stdin="").returncode == 3
    r = _wics(url, "user", "list", "--json")
    assert [u["username"] for u in json.loads(r.stdout)["users"]] == ["maria"]
