"""MaterialField: the material input of every form, for keyboards and barcode scanners.

Type-ahead: each keystroke asks core `materials.search` for the first hits (part numbers
starting with the text, manufacturer part numbers, descriptions) on a worker thread, at most one
question in flight (a scanner typing 12 characters in 40 ms costs one or two queries, and late
answers to old text are dropped), and shows them as "PART  -  description" in a popup.

Nothing is guessed: the popup opens with no row chosen (only arrow keys choose one), so an
Enter - a person's or a scanner's, however fast - always resolves the text as typed, and a part
number that two organizations have opens the choice of those organizations instead.

Enter resolves the text *synchronously* with core `materials.resolve` (indexed exact look-ups:
part number, "PART (ORG)", manufacturer part number), so a scanner's "code + Enter" never
depends on the popup. A prefix with exactly one hit is taken; several hits keep the popup open
and say so; an unknown text says "'X' is not a known material".
"""
from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from ...core.errors import NotFound, WicsError
from ...core.services import materials
from ..context import AppContext
from .completion import guard_popup, pause_timer

NAME_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_LIMIT = 30


class MaterialField(QLineEdit):
    """Emits `resolved(material_id, display_name)` after Enter or a pick from the popup,
    `problem(message)` when the text is not one material, `cleared()` when emptied."""

    resolved = Signal(int, str)
    problem = Signal(str)
    cleared = Signal()
    hits_shown = Signal(int, float)  # number of hits, milliseconds from keystroke to popup

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.material_id: int | None = None
        self.display_name: str = ""
        self.setPlaceholderText("part number, scan, or search text")
        self.setAccessibleName("Material")
        self._model = QStandardItemModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCompletionRole(NAME_ROLE)
        self._completer.setMaxVisibleItems(12)
        self._completer.setWidget(self)
        guard_popup(self._completer)
        self._completer.activated[str].connect(self._picked_text)
        self._searching = False
        self._pending: tuple[str, int] | None = None
        self._generation = 0
        self._typed_at = 0.0
        # The answer waits here until the typing pauses (completion.py: a scan never meets
        # an open popup): (generation, text, hits).
        self._ready: tuple[int, str, list] | None = None
        self._pause = pause_timer(self, self._show_ready)
        self.textEdited.connect(self._edited)
        self.returnPressed.connect(self.resolve_now)

    # ---- type-ahead ------------------------------------------------------------------------
    def _edited(self, text: str) -> None:
        self.material_id = None
        self.display_name = ""
        self._typed_at = time.perf_counter()
        self._completer.popup().hide()  # typing on: the list comes back when it pauses
        self._pause.start()
        if not text.strip():
            self._generation += 1
            self._completer.popup().hide()
            self.cleared.emit()
            return
        self._ask(text)

    def _ask(self, text: str, generation: int | None = None) -> None:
        gen = self._generation if generation is None else generation
        if self._searching:
            self._pending = (text, gen)  # only the newest text matters
            return
        self._searching = True
        self.ctx.runner.submit(materials.search, text.strip(), SEARCH_LIMIT,
                               title="material search", owner=self,
                               on_result=lambda hits, t=text, g=gen: self._answered(t, g, hits),
                               on_error=lambda _f, t=text, g=gen: self._answered(t, g, []))

    def _answered(self, text: str, generation: int, hits) -> None:
        self._searching = False
        if self._pending is not None:
            (pending, pending_gen), self._pending = self._pending, None
            if pending_gen == self._generation and pending != text:
                self._ask(pending, pending_gen)
                return
        # Enter, a pick or leaving the field since the question was asked: the answer is moot
        if generation != self._generation or text != self.text():
            return
        self._ready = (generation, text, hits)
        if not self._pause.isActive():
            self._show_ready()

    def _show_ready(self) -> None:
        ready, self._ready = self._ready, None
        if ready is None:
            return
        generation, text, hits = ready
        if generation == self._generation and text == self.text() and self.hasFocus():
            self._show(hits)

    def _show(self, hits) -> None:
        self._model.clear()
        for hit in hits:
            label = hit.display_name
            if hit.matched == "mpn" and hit.mpn:
                label += f"   [MPN {hit.mpn}]"
            if hit.description:
                label += f"   -   {hit.description}"
            item = QStandardItem(label)
            item.setData(hit.display_name, NAME_ROLE)
            item.setData(hit.id, ID_ROLE)
            item.setEditable(False)
            self._model.appendRow(item)
        if hits:
            popup = self._completer.popup()
            popup.setMinimumWidth(max(self.width(), 460))
            self._completer.complete()
            # Never guess: QCompleter makes the first row current, and an Enter arriving now
            # (a scanner's, after the type-ahead answered) would silently take it - e.g. the
            # first organization of a part number two have. Only an arrow key picks a row.
            popup.setCurrentIndex(self._model.index(-1, -1))
            popup.clearSelection()
        else:
            self._completer.popup().hide()
        self.hits_shown.emit(len(hits), (time.perf_counter() - self._typed_at) * 1000)

    def _picked_text(self, name: str) -> None:
        self.setText(name)
        self.resolve_now()

    # ---- resolving -------------------------------------------------------------------------
    def resolve_now(self) -> bool:
        """Turn the text into one material (Enter, a pick, or a caller before saving)."""
        self._generation += 1  # late type-ahead answers no longer matter
        self._completer.popup().hide()
        text = self.text().strip()
        if not text:
            self.problem.emit("Please enter a material.")
            return False
        if self.material_id is not None and text == self.display_name:
            self.resolved.emit(self.material_id, self.display_name)
            return True
        try:  # a server gone this very moment: the same look-up on this PC's replica
            material_id, name, error, hits = self.ctx.read(self._resolve, text, owner=self,
                                                           fallback=True)
        except WicsError as exc:  # database unreachable and the like
            self.problem.emit(str(exc))
            return False
        if material_id is None:
            if hits:
                self._show(hits)  # e.g. the part number exists in two organizations
            self.problem.emit(error)
            return False
        self.set_material(material_id, name)
        self.resolved.emit(material_id, name)
        return True

    @staticmethod
    def _resolve(s, text: str):
        """(id, display name, None, []) or (None, "", message, hits to offer)."""
        try:
            row = materials.resolve(s, text)
            return row.id, materials.display_name_of(s, row.id), None, []
        except WicsError as exc:
            hits = materials.search(s, text, SEARCH_LIMIT)
            if len(hits) == 1 and isinstance(exc, NotFound):  # a prefix only one material has
                return hits[0].id, hits[0].display_name, None, []
            more = " Pick one from the list." if len(hits) > 1 else ""
            return None, "", str(exc) + more, hits

    def set_material(self, material_id: int | None, name: str = "") -> None:
        """Show a material chosen elsewhere (editing an existing count, opening a form)."""
        self._generation += 1
        self.material_id = material_id
        self.display_name = name if material_id is not None else ""
        self.setText(self.display_name)
        self._completer.popup().hide()

    def clear_material(self) -> None:
        self.set_material(None)

    def popup_visible(self) -> bool:
        return self._completer.popup().isVisible()

    def popup_current(self) -> str | None:
        """The popup row Enter would take (None: Enter resolves the typed text)."""
        index = self._completer.popup().currentIndex()
        return index.data(NAME_ROLE) if index.isValid() else None

    def popup_names(self) -> list[str]:
        return [self._model.item(r).data(NAME_ROLE) for r in range(self._model.rowCount())]

    def focusOutEvent(self, event) -> None:
        self._generation += 1
        super().focusOutEvent(event)

