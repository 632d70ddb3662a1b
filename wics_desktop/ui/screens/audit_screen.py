"""Audit Trail: who changed what, when and where, newest first (supervisors: their area).

The list is core's (core.lists.audit): its rows come from services.audit_trail.query, which
checks `view_audit` and keeps a supervisor to the entities of counting — counts, schedule and
requests, materials, MPNs, photos, part types, imports and sync resolutions; an admin sees
everything, sign-ins and settings included. The standard list does the rest: the filters at
the top (since a date, one user, one entity), a filter box per column, sorting, paging, and
Export to xlsx through the same path as every other list.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLabel, QLineEdit, QWidget

from ...core import clock
from ...core.errors import WicsError
from ...core.lists.audit import audit_spec
from ...core.services import audit_trail
from ..tables.list_screens import TableScreen

ALL = "(all)"


class AuditScreen(TableScreen):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        self.spec_factory = lambda: audit_spec(ctx.actor)
        super().__init__(ctx, parent)

    def autostart(self) -> bool:
        return False  # the filters are set first (since: 30 days back)

    def setup(self) -> None:
        self.use_since = QCheckBox("&Since", self)
        self.use_since.setChecked(True)
        self.since = QDateEdit(self)
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        start = clock.today() - dt.timedelta(days=30)
        self.since.setDate(QDate(start.year, start.month, start.day))
        self.since.setAccessibleName("Since")
        self.user = QLineEdit(self)
        self.user.setPlaceholderText("any user")
        self.user.setAccessibleName("User")
        self.user.setClearButtonEnabled(True)
        self.user.setMinimumWidth(90)
        self.user.setMaximumWidth(140)
        self.entity = QComboBox(self)
        self.entity.setAccessibleName("Entity")
        self.entity.addItem(ALL, None)
        try:
            for name in self.ctx.read(audit_trail.entity_names, self.ctx.actor, owner=self):
                self.entity.addItem(name, name)
        except WicsError:
            pass  # the list shows the refusal when it loads
        user_label = QLabel("&User:", self)
        user_label.setBuddy(self.user)
        entity_label = QLabel("&Entity:", self)
        entity_label.setBuddy(self.entity)
        for w in (self.use_since, self.since, user_label, self.user, entity_label, self.entity):
            self.table.add_toolbar_widget(w)
        self.entity.setToolTip(
            "Every entity" if audit_trail.visible_entities(self.ctx.actor) is None else
            "Your area: counts, schedule and requests, materials, MPNs, photos, part types, "
            "imports and sync resolutions (admins see everything)")
        self.use_since.toggled.connect(lambda _c: self.apply_filters())
        self.since.dateChanged.connect(lambda _d: self.apply_filters())
        self.user.editingFinished.connect(self.apply_filters)
        self.entity.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.apply_filters()
        self.table.start()

    def apply_filters(self) -> None:
        since = self.since.date().toPython() if self.use_since.isChecked() else None
        self.since.setEnabled(self.use_since.isChecked())
        self.table.model.set_params(since=since, user=self.user.text().strip() or None,
                                    entity=self.entity.currentData())


if __name__ == "__main__":  # pragma: no cover - `python -m wics_desktop.ui.screens.audit_screen`
    import sys

    from ..standalone import run_screen

    sys.exit(run_screen("audit", sys.argv[1:]))
