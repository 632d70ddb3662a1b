"""'Schedule a count...' on a material where a supervisor looks at it (Count Summary, Material
Lists), as the reference had: one context-menu action on the view that opens Schedule a Count
(Request a Count for a clerk) prefilled with the material and a date. The schedule form itself
refuses a material already scheduled that day (with "Open the existing entry"), as always.

Dates, as the issue asks: the Count Summary offers the next workday after the summary's date
(weekends and holidays skipped); the Material Lists offer today.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView

from ...core.services import schedule


def schedule_key(ctx) -> str:
    return "schedule_entry" if ctx.can("schedule_counts") else "request_entry"


def next_workday_after(ctx, day: dt.date, owner) -> dt.date:
    return ctx.read(schedule.next_workday, day, owner=owner)


def open_schedule(ctx, material_id: int | None, count_date: dt.date) -> bool:
    """Open the schedule (or request) form prefilled; False when no material is chosen."""
    if material_id is None:
        return False
    ctx.open(schedule_key(ctx), material_id=material_id, count_date=count_date)
    return True


def add_schedule_action(ctx, view: QAbstractItemView,
                        material_of: Callable[[QModelIndex], int | None],
                        default_day: Callable[[], dt.date]) -> QAction:
    """Add 'Schedule a count...' to the view's context menu (right-click a material row)."""
    text = "Schedule a count..." if ctx.can("schedule_counts") else "Request a count..."
    action = QAction(text, view)
    action.setObjectName("schedule_a_count")
    action.setToolTip("Schedule this material for a count (the form opens prefilled)")

    def run() -> None:
        index = view.currentIndex()
        open_schedule(ctx, material_of(index) if index.isValid() else None, default_day())

    action.triggered.connect(run)
    # greyed out on rows that name no material (an organization or section heading)
    action.setEnabled(False)
    view.selectionModel().currentChanged.connect(
        lambda current, _previous: action.setEnabled(
            current.isValid() and material_of(current) is not None))
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    view.addAction(action)
    return action
