"""A horizontal header with a filter box under each column title (Excel-style).

The boxes are children of the header, placed below its label row and moved whenever a section
is resized, moved, hidden or the table scrolls sideways.
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QHeaderView, QLineEdit, QWidget

FILTER_DELAY_MS = 350


class FilterHeader(QHeaderView):
    filter_edited = Signal(int, str)  # logical column, text (after a short typing pause)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._editors: list[QLineEdit] = []
        self._timers: list[QTimer] = []
        self._filters_visible = True
        self._margin = 2
        self.setSectionsClickable(True)
        self.setSectionsMovable(True)
        self.setHighlightSections(False)
        self.setStretchLastSection(True)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.sectionResized.connect(self.adjust_positions)
        self.sectionMoved.connect(self.adjust_positions)
        self.geometriesChanged.connect(self.adjust_positions)

    def set_filter_boxes(self, enabled: list[bool], tooltips: list[str]) -> None:
        for ed in self._editors:
            ed.deleteLater()
        for t in self._timers:
            t.stop()
        self._editors, self._timers = [], []
        for column, (on, tip) in enumerate(zip(enabled, tooltips, strict=True)):
            ed = QLineEdit(self)
            ed.setPlaceholderText("filter" if on else "")
            ed.setEnabled(on)
            ed.setClearButtonEnabled(on)
            ed.setToolTip(tip)
            ed.setAccessibleName(f"Filter column {column + 1}")
            timer = QTimer(ed)
            timer.setSingleShot(True)
            timer.setInterval(FILTER_DELAY_MS)
            timer.timeout.connect(lambda c=column, e=ed: self.filter_edited.emit(c, e.text()))
            ed.textEdited.connect(lambda _t, tm=timer: tm.start())
            ed.returnPressed.connect(lambda tm=timer, c=column, e=ed: (
                tm.stop(), self.filter_edited.emit(c, e.text())))
            ed.setVisible(self._filters_visible)
            self._editors.append(ed)
            self._timers.append(timer)
        self.updateGeometries()
        self.adjust_positions()

    def editor(self, column: int) -> QLineEdit:
        return self._editors[column]

    def set_filter_text(self, column: int, text: str) -> None:
        self._editors[column].setText(text)

    def mark_invalid(self, column: int, message: str) -> None:
        ed = self._editors[column]
        ed.setStyleSheet("QLineEdit { border: 2px solid #c0392b; }" if message else "")
        ed.setToolTip(message or ed.accessibleDescription())

    def filters_visible(self) -> bool:
        return self._filters_visible

    def set_filters_visible(self, visible: bool) -> None:
        self._filters_visible = visible
        for ed in self._editors:
            ed.setVisible(visible)
        self.updateGeometries()
        self.adjust_positions()

    def _editor_height(self) -> int:
        if not self._editors or not self._filters_visible:
            return 0
        return self._editors[0].sizeHint().height() + 2 * self._margin

    def sizeHint(self) -> QSize:
        size = super().sizeHint()
        size.setHeight(size.height() + self._editor_height())
        return size

    def updateGeometries(self) -> None:
        self.setViewportMargins(0, 0, 0, self._editor_height())
        super().updateGeometries()
        self.adjust_positions()

    def adjust_positions(self, *args) -> None:
        if not self._editors:
            return
        label_height = super().sizeHint().height()
        h = self._editor_height() - 2 * self._margin
        for column, ed in enumerate(self._editors):
            if column >= self.count() or self.isSectionHidden(column):
                ed.hide()
                continue
            ed.setVisible(self._filters_visible)
            x = self.sectionViewportPosition(column)
            ed.setGeometry(x + self._margin, label_height + self._margin,
                           max(self.sectionSize(column) - 2 * self._margin, 10), h)
