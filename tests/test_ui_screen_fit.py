"""Every window fits the screens warehouse PCs have: on 1366x768 and 1280x720 the main window
(first run), every screen in it and every dialog lie inside the available area, and every
button they show is on screen. Each size runs in its own process: the offscreen platform is
given the screen size through its configuration file."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wics_desktop.core.actor import Actor

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    from wics_desktop.core import demo, schema
    from wics_desktop.core.db import Database

    path = tmp_path_factory.mktemp("fit") / "fit.sqlite"
    database = Database(f"sqlite:///{path}")
    schema.bring_embedded_up_to_date(database)
    demo.generate(database, materials=100, days=3, seed=1)
    database.dispose()
    return f"sqlite:///{path}"


@pytest.mark.parametrize("width,height", [(1366, 768), (1280, 720)])
def test_every_screen_and_dialog_fits(demo_url, tmp_path, width, height):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "warehouse-pc", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
               WICS_CONFIG_DIR=str(tmp_path / "cfg"),
               PYTHONPATH=os.pathsep.join([str(HERE.parent), os.environ.get("PYTHONPATH", "")]))
    r = subprocess.run([sys.executable, str(HERE / "screen_fit_probe.py"), demo_url],
                       capture_output=True, text=True, env=env, timeout=600)
    lines = r.stdout.splitlines()
    assert r.returncode == 0 and lines and lines[-1].startswith("checked"), r.stdout + r.stderr
    assert int(lines[-1].split()[1]) >= 30  # main window, every screen, every dialog
    problems = [json.loads(line) for line in lines[:-1] if line.startswith("{")]
    assert problems == []


def test_remembered_geometry_too_big_for_this_screen_is_corrected(qtbot):
    """Saved on a big monitor, opened on the laptop: the window comes back inside the screen."""
    from PySide6.QtWidgets import QDialog

    from wics_desktop.ui import geometry, settings

    area = geometry.available()
    big = QDialog()
    qtbot.addWidget(big)
    big.setGeometry(area.x() + 50, area.y() + 50, area.width() + 400, area.height() + 300)
    settings.save_geometry(big, "fit_test")
    again = QDialog()
    qtbot.addWidget(again)
    assert geometry.restore_or_fit(again, "fit_test")
    again.show()
    assert geometry.fits(again)
    assert again.width() <= area.width() and again.height() <= area.height()


def test_first_run_main_window_is_maximized_on_a_small_screen(qtbot, sqlite_db):
    """The offscreen test screen is small (800 px): the first run fills it, maximized."""
    from wics_desktop.core.services import users
    from wics_desktop.ui import geometry
    from wics_desktop.ui.main_window import MainWindow

    with sqlite_db.session() as s:
        user = users.create_user(s, "fitter", "fitter-password", role="clerk", actor=Actor.system())
    win = MainWindow(sqlite_db, user)
    qtbot.addWidget(win)
    assert win.property("start_maximized")
    geometry.show_window(win)
    area = geometry.available(win)
    # maximized when a window manager obliges; in any case the screen, frame included
    assert geometry.fits(win)
    assert win.frameGeometry().width() >= area.width() - 8
    assert win.frameGeometry().height() >= area.height() - 8
    win._closing = True
    win.close()
