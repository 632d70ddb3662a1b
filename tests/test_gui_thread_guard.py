"""The guard of tests/gui_thread_guard.py sees SQL run from the desktop's code on the GUI
thread, and only that: the same statement on a worker thread, or from a test's own set-up,
or inside a function handed its session, is not a breach."""
from __future__ import annotations

import threading
from pathlib import Path

import gui_thread_guard
from sqlalchemy import text

import wics_desktop

SCREEN = str(Path(wics_desktop.__file__).parent / "ui" / "screens" / "pretend_screen.py")
SOURCE = """
def load(database):
    with database.session() as s:
        return s.execute(text("SELECT 1")).scalar()

def worker_side(session):
    return session.execute(text("SELECT 2")).scalar()
"""


def _pretend_screen() -> dict:
    namespace = {"text": text}
    exec(compile(SOURCE, SCREEN, "exec"), namespace)  # frames that look like ui code
    return namespace


def test_a_screen_reading_on_the_gui_thread_is_named(sqlite_db):
    screen = _pretend_screen()
    gui_thread_guard.take()
    assert screen["load"](sqlite_db) == 1
    found = gui_thread_guard.take()
    assert len(found) == 1
    assert "pretend_screen.py:4 in load(): SELECT 1" in found[0]


def test_the_same_read_on_a_worker_and_the_tests_own_reads_pass(sqlite_db):
    screen = _pretend_screen()
    gui_thread_guard.take()
    worker = threading.Thread(target=screen["load"], args=(sqlite_db,))
    worker.start()
    worker.join()
    with sqlite_db.session() as s:
        s.execute(text("SELECT 3"))
        assert screen["worker_side"](s) == 2
    assert gui_thread_guard.take() == []
