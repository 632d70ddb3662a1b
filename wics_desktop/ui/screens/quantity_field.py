"""The quantity input: an arithmetic expression, evaluated as it is typed.

"1080*4+791" shows "1080*4+791 = 5,111" beside it; a mistake shows the evaluator's sentence
inline ("unexpected '*' at position 4") and marks the character, so the clerk sees what to fix
before pressing Enter. The one evaluator (core.expressions) is used, so what the screen shows is
exactly what is stored. Packs: once the form knows the material (`set_packs`), "3P+2C+17"
shows "3P+2C+17 = 3×40 + 2×12 + 17 = 161" - the material's typical pallet and container
quantities written out, so the clerk sees what P and C stood for.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from ...core.expressions import MAX_LENGTH, Packs, describe, has_packs, try_evaluate

ERROR_STYLE = "QLineEdit { border: 2px solid #c0392b; }"


class QuantityField(QWidget):
    """A line edit plus its live result label. `value` is None while the text is not valid."""

    changed = Signal()
    submitted = Signal()  # Enter pressed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setMaxLength(MAX_LENGTH)
        self.edit.setPlaceholderText("e.g. 1080*4+791")
        self.edit.setAccessibleName("Quantity")
        self.result = QLabel(self)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setMinimumWidth(220)
        # the evaluator's sentences are long ("missing a number after '+' (character 6)"):
        # they wrap onto a second line rather than being cut off at the form's edge
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Quantity result")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.result, 1)
        self.setFocusProxy(self.edit)
        self.value = None
        self.error: str | None = None
        self.error_position: int | None = None
        self._location_only = False
        # None: the material's typical quantities are not known (yet): a quantity with P or C
        # is then left to the save, which works it out with the material's own (core)
        self.packs: Packs | None = None
        self.waiting_for_packs = False
        self.edit.textChanged.connect(self._evaluate)
        self.edit.returnPressed.connect(self.submitted)

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)  # also resets the line edit's own undo history

    def set_packs(self, packs: Packs | None) -> None:
        """What P and C mean now (the material's typical quantities); re-evaluates."""
        self.packs = packs
        self._evaluate(self.edit.text())

    def set_material_packs(self, card) -> None:
        """From anything with typical_pallet_qty / typical_container_qty (a MaterialCard)."""
        self.set_packs(Packs.of(card.typical_pallet_qty, card.typical_container_qty))

    def set_location_only(self, on: bool) -> None:
        self._location_only = on
        self.edit.setEnabled(not on)
        self._evaluate(self.edit.text())

    def is_valid(self) -> bool:
        return self._location_only or (self.value is not None) or self.waiting_for_packs

    def _evaluate(self, text: str) -> None:
        self.value, self.error, self.error_position = None, None, None
        self.waiting_for_packs = False
        if self._location_only:
            self._show("LOCATION ONLY - no quantity", bold=True)
        elif not text.strip():
            self._show("")
        elif self.packs is None and has_packs(text) and try_evaluate(
                text, Packs(1, 1))[1] is None:
            # well formed, but what P and C mean arrives with the material's details
            self.waiting_for_packs = True
            self._show(f"{html.escape(text.strip())} = … (the material's pallet and "
                       "container quantities are on their way)", rich=True)
        else:
            value, err = try_evaluate(text, self.packs)
            if err is None:
                self.value = value
                shown = describe(text, self.packs)  # "3P+17 = 3×40 + 17 = 137"
                head, _, result = shown.rpartition(" = ")
                self._show(f"{html.escape(head)} = <b>{html.escape(result)}</b>", rich=True)
            else:
                # positions counted from 1, as a person counts characters
                self.error = err.message if err.position is None else \
                    f"{err.message} (character {err.position + 1})"
                self.error_position = err.position
                self._show(f"\u2716 {self.error}", error=True)
                if err.position is not None:
                    self.edit.setToolTip(self._pointer(text, err.position))
        self.edit.setStyleSheet(ERROR_STYLE if self.error else "")
        if not self.error:
            self.edit.setToolTip("")
        self.changed.emit()

    @staticmethod
    def _pointer(text: str, position: int) -> str:
        return f"{text}\n{' ' * position}^"

    def _show(self, text: str, *, error: bool = False, bold: bool = False,
              rich: bool = False) -> None:
        self.result.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        self.result.setText(text)
        font = self.result.font()
        font.setBold(bold)
        self.result.setFont(font)
        palette = self.result.palette()
        if error:
            # a red that reads on light and dark palettes alike
            palette.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.red
                             if self.palette().color(QPalette.ColorRole.Window).lightness() < 128
                             else Qt.GlobalColor.darkRed)
        else:
            palette = self.palette()
        self.result.setPalette(palette)
