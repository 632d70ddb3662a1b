"""The Material screen's tabs that are not plain lists: MPNs edited inline, photos, and the
per-date count summary against SAP."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.expressions import format_quantity
from ...core.services import mpns, photos
from .. import geometry, settings
from ..printing.style import BAND_COLORS

ID_ROLE = Qt.ItemDataRole.UserRole + 1


# ---- manufacturer part numbers, edited in place -------------------------------------------------

class MpnEditor(QWidget):
    """MPN, manufacturer, notes per row; the last row is blank for a new one. Save applies all
    changes at once (adds, edits, deletes) in one transaction."""

    changed = Signal()
    COLUMNS = ("Mfr part number", "Manufacturer", "Notes")

    def __init__(self, ctx, read_only: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.read_only = read_only
        self.material_id: int | None = None
        self._original: dict[int, tuple] = {}
        self._deleted: set[int] = set()
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        if read_only:
            self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemChanged.connect(self._item_changed)
        self.remove_button = QPushButton("&Remove selected MPN", self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.remove_button.setVisible(not read_only)
        hint = QLabel("Type in the last (blank) row to add one. Changes are saved with the "
                      "material (Ctrl+S)." if not read_only else "")
        hint.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(hint, 1)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)

    def load(self, material_id: int | None) -> None:
        self.material_id = material_id
        rows = []
        if material_id is not None:
            rows = self.ctx.read(mpns.list_mpns, material_id, owner=self)
        self._original = {r.id: (r.mpn, r.manufacturer or "", r.notes or "") for r in rows}
        self._deleted = set()
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for r in rows:
            self._append(r.id, (r.mpn, r.manufacturer or "", r.notes or ""))
        if not self.read_only:
            self._append(None, ("", "", ""))
        self.table.blockSignals(False)

    def _append(self, mpn_id, values) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for c, text in enumerate(values):
            item = QTableWidgetItem(text)
            item.setData(ID_ROLE, mpn_id)
            self.table.setItem(row, c, item)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        last = self.table.rowCount() - 1
        if item.row() == last and item.text().strip():
            self.table.blockSignals(True)
            self._append(None, ("", "", ""))
            self.table.blockSignals(False)
        self.changed.emit()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for r in rows:
            item = self.table.item(r, 0)
            mpn_id = item.data(ID_ROLE) if item else None
            if mpn_id is None and r == self.table.rowCount() - 1:
                continue  # the blank row stays
            if mpn_id is not None:
                self._deleted.add(mpn_id)
            self.table.removeRow(r)
        if rows:
            self.changed.emit()

    def rows(self) -> list[tuple]:
        out = []
        for r in range(self.table.rowCount()):
            texts = tuple((self.table.item(r, c).text() if self.table.item(r, c) else "").strip()
                          for c in range(3))
            out.append((self.table.item(r, 0).data(ID_ROLE), *texts))
        return out

    def is_dirty(self) -> bool:
        if self._deleted:
            return True
        for mpn_id, *values in self.rows():
            if mpn_id is None and any(values):
                return True
            if mpn_id is not None and tuple(values) != self._original.get(mpn_id):
                return True
        return False

    def edits(self) -> mpns.MpnEdits:
        """The changes as plain values, for mpns.apply_edits (the material's Save writes them
        in its own transaction)."""
        return mpns.MpnEdits(tuple(sorted(self._deleted)), tuple(self.rows()),
                             dict(self._original))


# ---- photos ------------------------------------------------------------------------------------

class PhotoPanel(QWidget):
    changed = Signal()

    def __init__(self, ctx, read_only: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.read_only = read_only
        self.material_id: int | None = None
        self.list = QListWidget(self)
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(160, 160))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setSpacing(8)
        self.list.itemActivated.connect(lambda item: self.view(item.data(ID_ROLE)))
        self.empty = QLabel(self)
        self.add_button = QPushButton("&Add photo from file...", self)
        self.view_button = QPushButton("&View", self)
        self.remove_button = QPushButton("Re&move photo...", self)
        self.add_button.clicked.connect(self.add_from_dialog)
        self.view_button.clicked.connect(lambda: self.view(self._current()))
        self.remove_button.clicked.connect(self.remove_current)
        for b in (self.add_button, self.remove_button):
            b.setVisible(not read_only)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.view_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def load(self, material_id: int | None, name: str = "") -> None:
        self.material_id = material_id
        self.list.clear()
        if material_id is None:
            self.empty.setText("Save the material first, then add photos.")
            return
        def read_all(s):
            infos = photos.list_photos(s, material_id)
            return infos, {p.id: photos.photo_bytes(s, p.id) for p in infos}

        infos, images = self.ctx.read(read_all, owner=self)
        for p in infos:
            image = QImage.fromData(images[p.id])
            icon = QIcon(QPixmap.fromImage(image.scaled(
                160, 160, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))) if not image.isNull() else QIcon()
            item = QListWidgetItem(icon, p.file_name or f"photo {p.id}")
            item.setData(ID_ROLE, p.id)
            item.setToolTip(f"{p.file_name or ''} {p.width or '?'} x {p.height or '?'}, "
                            f"{p.size // 1024 + 1} KB")
            self.list.addItem(item)
        n = len(infos)
        self.empty.setText(f"{n} photo{'s' if n != 1 else ''} - double-click to view"
                           if n else f"No photos of {name or 'this material'} yet.")

    def _current(self):
        item = self.list.currentItem()
        return item.data(ID_ROLE) if item else None

    def add_from_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Add photo", settings.last_folder("photos"),
                                              "Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp)")
        if path:
            settings.remember_folder("photos", path)
            self.add_file(path)

    def add_file(self, path: str) -> bool:
        if self.material_id is None:
            return False
        return self._change(photos.add_photo, self.material_id, path=path)

    def remove_current(self, confirm: bool = True) -> bool:
        photo_id = self._current()
        if photo_id is None:
            return False
        if confirm and QMessageBox.question(self, "Remove photo", "Remove this photo?") \
                != QMessageBox.StandardButton.Yes:
            return False
        return self._change(photos.remove_photo, photo_id)

    def _change(self, fn, *args, **kwargs) -> bool:
        """Run one photo change in its own transaction; show the refusal, or reload."""
        def finished(_result) -> None:
            self.load(self.material_id)
            self.changed.emit()

        return self.ctx.op(fn, self.ctx.actor, *args, owner=self, on_done=finished,
                           what="changing the photos", **kwargs).ok

    def view(self, photo_id) -> None:
        if photo_id is None:
            return
        data = self.ctx.read(photos.photo_bytes, photo_id, owner=self)
        dlg = QDialog(self)
        dlg.setWindowTitle("Photo")
        label = QLabel()
        label.setPixmap(QPixmap.fromImage(QImage.fromData(data)))
        area = QScrollArea(dlg)
        area.setWidget(label)
        layout = QVBoxLayout(dlg)
        layout.addWidget(area)
        geometry.fit_to_screen(dlg, 900, 700)
        dlg.exec()


# ---- counts per date against SAP ---------------------------------------------------------------


class HistorySummaryTable(QTableWidget):
    COLUMNS = ("Count date", "Counted", "SAP date", "SAP qty", "Difference", "Accuracy",
               "Approved / recount")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.setHorizontalHeaderLabels(self.COLUMNS)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(False)
        self.horizontalHeader().setMinimumSectionSize(90)

    def show_rows(self, rows) -> None:
        """rows: (core DayTotal, band or None) per count date, newest first."""
        self.setRowCount(len(rows))
        for r, (day, band) in enumerate(rows):
            values = (day.count_date.isoformat(), format_quantity(day.count_total),
                      day.sap_date.isoformat() if day.sap_date else "no SAP upload",
                      format_quantity(day.sap_total), format_quantity(day.diff),
                      "" if day.accuracy is None else f"{day.accuracy:.2f} %",
                      getattr(day, "review", ""))
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c in (1, 3, 4, 5):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 5 and band in BAND_COLORS:
                    item.setBackground(BAND_COLORS[band])
                    item.setForeground(QColor("black"))
                    item.setToolTip(f"Accuracy band: {band}")
                self.setItem(r, c, item)
