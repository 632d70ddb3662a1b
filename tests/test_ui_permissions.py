"""The desktop shows and gates from the permission table; sign-ins are audited; the Audit
Trail and Run SQL screens."""
from __future__ import annotations

import json

from openpyxl import load_workbook
from sqlalchemy import select

from wics_desktop.core.actor import Actor
from wics_desktop.core.models import AuditLog
from wics_desktop.core.services import users
from wics_desktop.ui.login import LoginDialog
from wics_desktop.ui.main_window import KEY_ROLE, MainWindow

from core_fixtures import ACTOR, material, setup_orgs
from ui_fixtures import *  # noqa: F403
from ui_fixtures import ctx_factory  # noqa: F401


def _user(db, name, role):
    with db.session() as s:
        return users.get(s, name) or users.create_user(s, name, f"{name}-password", role=role,
                                                       actor=Actor.system())


def _nav_keys(win) -> set[str]:
    keys = set()
    for i in range(win.nav.topLevelItemCount()):
        top = win.nav.topLevelItem(i)
        for j in range(top.childCount()):
            keys.add(top.child(j).data(0, KEY_ROLE)[1])
    return keys


def test_a_viewer_sees_lists_and_reports_but_nothing_that_records(qtbot, sqlite_db,
                                                                 monkeypatch):
    from wics_desktop.ui import errors

    monkeypatch.setattr(errors, "collected", [])  # refusals are collected, not shown modally
    viewer = _user(sqlite_db, "vera", "viewer")
    win = MainWindow(sqlite_db, viewer)
    qtbot.addWidget(win)
    keys = _nav_keys(win)
    assert {"counts", "schedule", "materials", "count_summary"} <= keys
    assert not keys & {"count_entry", "request_entry", "schedule_entry", "import_mm60",
                       "audit", "run_sql", "users"}
    assert not win.count_entry_action.isEnabled()  # F2 does nothing for a viewer
    assert win.open_screen("count_entry") is None  # reached anyway: refused
    assert win.open_screen("audit") is None
    assert [("needs more rights" in text) for _exc, text in errors.collected] == [True, True]
    win.close()


def test_admin_menus_offer_audit_and_sql(qtbot, sqlite_db):
    admin = _user(sqlite_db, "ada", "admin")
    win = MainWindow(sqlite_db, admin)
    qtbot.addWidget(win)
    assert {"audit", "run_sql", "users"} <= _nav_keys(win)
    win.close()


def test_sign_ins_are_audited_and_repeated_failures_lock_out(qtbot, db):
    _user(db, "kim", "clerk")
    dlg = LoginDialog(db)
    qtbot.addWidget(dlg)
    for _ in range(5):
        dlg.username.setText("kim")
        dlg.password.setText("wrong-password")
        assert not dlg.try_sign_in()
    dlg.password.setText("kim-password")
    assert not dlg.try_sign_in()  # the right password, but locked for now
    assert "Too many failed sign-ins" in dlg.banner.text()
    dlg.username.setText("ada")
    _user(db, "ada", "admin")
    dlg.password.setText("ada-password")
    assert dlg.try_sign_in() and dlg.user.username == "ada"
    with db.session() as s:
        rows = s.execute(select(AuditLog.entity_key, AuditLog.action, AuditLog.after_json)
                         .where(AuditLog.entity == "sign_in").order_by(AuditLog.id)).all()
    assert [(k, a) for k, a, _ in rows] == [("kim", "refused")] * 6 + [("ada", "signed_in")]
    assert json.loads(rows[-1][2])["via"] == "desktop"


def test_audit_screen_supervisor_sees_their_area_and_exports(qtbot, db, ctx_factory, tmp_path):
    from wics_desktop.ui.screens.audit_screen import AuditScreen

    with db.session() as s:
        setup_orgs(s)  # organizations, plants: admin entities; part types: supervisor's
        material(s, "A-100")  # a material: the supervisor's area
        users.sign_in(s, "nobody", "x")  # a sign-in: admin only
    ctx = ctx_factory(db, "supervisor")
    screen = AuditScreen(ctx)
    qtbot.addWidget(screen)
    qtbot.waitUntil(screen.is_ready, timeout=10000)
    model = screen.table.model
    entities = {model.index(r, 3).data() for r in range(model.rowCount())}
    assert entities == {"material", "part_type"}
    path = tmp_path / "audit.xlsx"
    task = screen.table.export_to(str(path))
    qtbot.waitUntil(lambda: path.exists(), timeout=10000)
    qtbot.waitUntil(lambda: not ctx.runner.active(), timeout=10000)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("When (UTC)", "User", "Workstation", "Entity")
    assert sorted(r[3] for r in rows[1:]) == ["material", "part_type", "part_type"]
    assert task is not None

    admin = AuditScreen(ctx_factory(db, "admin"))
    qtbot.addWidget(admin)
    qtbot.waitUntil(admin.is_ready, timeout=10000)
    entity_col = {admin.table.model.index(r, 3).data()
                  for r in range(admin.table.model.rowCount())}
    assert {"material", "organization", "sign_in"} <= entity_col
    admin.entity.setCurrentIndex(admin.entity.findData("sign_in"))
    qtbot.waitUntil(lambda: admin.is_ready() and admin.table.model.rowCount() == 1,
                    timeout=10000)


def test_run_sql_shows_rows_and_refuses_a_change(qtbot, db, ctx_factory, tmp_path):
    from wics_desktop.ui.screens.sql_screen import SqlScreen

    with db.session() as s:
        setup_orgs(s)
    screen = SqlScreen(ctx_factory(db, "admin"))
    qtbot.addWidget(screen)
    screen.editor.setPlainText("SELECT name FROM organizations ORDER BY name")
    assert screen.run()
    qtbot.waitUntil(lambda: screen.result is not None and screen.is_ready(), timeout=10000)
    assert screen.model.rowCount() == 2 and screen.model.columns[0].title == "name"
    path = tmp_path / "rows.xlsx"
    assert screen.export_xlsx(str(path))
    qtbot.waitUntil(path.exists, timeout=10000)
    qtbot.waitUntil(lambda: not screen.ctx.runner.active(), timeout=10000)
    assert [r[0] for r in load_workbook(path).active.iter_rows(values_only=True)] == \
        ["name", "L10", "L6"]
    screen.editor.setPlainText("DELETE FROM organizations")
    screen.run()
    qtbot.waitUntil(screen.is_ready, timeout=10000)
    assert "DELETE" in screen.banner.text()
    with db.session() as s:
        assert s.scalar(select(AuditLog.id).limit(1)) is not None
    assert ACTOR.role == "admin"


def test_a_clerk_cannot_delete_a_supervisors_entry_through_request_a_count(
        qtbot, db, ctx_factory, monkeypatch):
    """The reported bug: Request a Count deleted any schedule entry."""
    from PySide6.QtWidgets import QMessageBox

    from wics_desktop.core.services import schedule
    from wics_desktop.ui.screens.schedule_entry import RequestEntryScreen

    from core_fixtures import D2, sched

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with db.session() as s:
        setup_orgs(s)
        planned = sched(s, material(s, "A-100"), day=D2, reason="Cycle")
    screen = RequestEntryScreen(ctx_factory(db, "clerk", "kim"))
    qtbot.addWidget(screen)
    screen.open_with(entry_id=planned.id)
    for button in (screen.delete_button, screen.save_button):  # hidden or disabled
        assert not (button.isVisibleTo(screen) and button.isEnabled())
    assert not screen.delete_current()  # reached anyway (a shortcut): refused
    assert "only a supervisor" in screen.banner.text()
    with db.session() as s:
        assert [e.id for e in schedule.entries_on(s, D2)] == [planned.id]


def test_list_actions_follow_the_role(qtbot, sqlite_db, ctx_factory):
    from wics_desktop.ui.tables.list_screens import CountsScreen, RequestsScreen

    def actions(screen_class, role):
        screen = screen_class(ctx_factory(sqlite_db, role))
        qtbot.addWidget(screen)
        qtbot.waitUntil(screen.is_ready, timeout=10000)
        return [a.text for a in screen.table.row_actions]

    assert actions(CountsScreen, "viewer") == ["Open the material"]
    assert "Delete..." in actions(CountsScreen, "clerk")  # their own; core checks whose
    assert actions(RequestsScreen, "viewer") == ["Open the material"]
    assert "Mark filled" in actions(RequestsScreen, "clerk")
    assert "Delete..." not in actions(RequestsScreen, "clerk")
