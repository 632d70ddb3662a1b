"""Find a count to change, delete or copy: the Actual Counts list in a dialog.

Opens filtered to the count date of the form; every column filter and the quick search work as
in the list screen. Enter or double-click picks the count.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ...core.lists import definitions
from .. import geometry, settings
from ..tables.table_widget import QueryTableWidget


class FindCountDialog(QDialog):
    def __init__(self, ctx, count_date: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Find count")
        self.count_id: int | None = None
        spec = definitions.counts_spec("find_count")
        self.table = QueryTableWidget(spec, ctx.runner, self)
        date_col = spec.index_of("count_date")
        self.table.header.set_filter_text(date_col, count_date.isoformat())
        self.table.model.state.filters["count_date"] = count_date.isoformat()
        self.table.add_row_action("Open in Count Entry", self._pick, single=True)
        hint = QLabel("Type in the boxes under the column titles to filter (the date box holds "
                      "the form's date: clear it to search every date). Enter or double-click "
                      "opens the count.")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                   | QDialogButtonBox.StandardButton.Cancel)
        for button in buttons.buttons():
            button.setAutoDefault(False)  # Enter in a filter box filters; it does not pick
            button.setDefault(False)
        buttons.accepted.connect(lambda: self._pick(self.table.selected_ids()[:1]))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        if not geometry.restore_or_fit(self, "find_count"):
            geometry.fit_to_screen(self, 1000, 560)
        self.table.start()
        self.table.quick.setFocus()

    def _pick(self, ids: list) -> None:
        if ids:
            self.count_id = int(ids[0])
            self.accept()

    def done(self, result: int) -> None:
        settings.save_geometry(self, "find_count")
        self.table.save_state()
        super().done(result)
