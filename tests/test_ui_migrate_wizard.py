"""The WICS-3 migration wizard, driven with pytest-qt on both databases: a CSV folder checked
(dry run: nothing kept), its problems ticked as read, migrated, the report saved."""
from __future__ import annotations

import json

from PySide6.QtWidgets import QWizard
from sqlalchemy import func, select
from test_migrate_wics3 import _small_site

from wics_desktop.core.models import ActualCount, Material
from wics_desktop.ui.wizards.migrate_wizard import CHECK, RESULT, SOURCE, MigrateScreen

from ui_fixtures import *  # noqa: F403


def _materials(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Material))


def test_wizard_checks_then_migrates_a_csv_folder(db, qtbot, ctx_factory, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    _small_site(site, ["1080*4+791", "12 boxes"])
    screen = MigrateScreen(ctx_factory(db, role="admin"))
    qtbot.addWidget(screen)
    screen.show()
    wizard = screen.wizard
    assert wizard.currentId() == SOURCE
    source = wizard.pages[SOURCE]
    assert not source.isComplete()
    qtbot.keyClicks(source.folder, str(site))
    assert source.isComplete()

    wizard.next()
    assert wizard.currentId() == CHECK
    check = wizard.pages[CHECK]
    qtbot.waitUntil(lambda: not check.running, timeout=20000)
    assert check.result is not None, check.banner.text()
    assert _materials(db) == 0  # the check is a dry run
    assert check.summary.rowCount() >= 3 and check.problems.rowCount() >= 2
    assert "would write" in check.status.text()
    assert not check.isComplete()  # problems must be acknowledged
    check.read_them.setChecked(True)
    assert check.isComplete()
    assert wizard.button(QWizard.WizardButton.CommitButton).text() == "&Migrate"

    wizard.next()
    result = wizard.pages[RESULT]
    qtbot.waitUntil(lambda: result.result is not None, timeout=20000)
    assert "rows written" in result.status.text()
    assert _materials(db) == 3
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ActualCount)) == 2
    saved = result.save_report(str(tmp_path / "report.json"))
    doc = json.loads(open(saved, encoding="utf-8").read())
    assert doc["written"]["materials"] == 3 and doc["problems"]


def test_wizard_names_a_bad_source_and_writes_nothing(db, qtbot, ctx_factory, tmp_path):
    screen = MigrateScreen(ctx_factory(db, role="admin"))
    qtbot.addWidget(screen)
    screen.show()
    wizard = screen.wizard
    assert wizard.currentId() == SOURCE
    qtbot.keyClicks(wizard.pages[SOURCE].folder, str(tmp_path / "no-such-folder"))
    wizard.next()
    assert wizard.currentId() == CHECK
    check = wizard.pages[CHECK]
    qtbot.waitUntil(lambda: not check.running, timeout=20000)
    assert "is not a folder" in check.banner.text()
    assert not check.isComplete() and _materials(db) == 0
