"""Part Types: the warehouse's part-type catalogue, and the materials of each.

Left the part types (name, priority, inactive, how many materials); right the chosen one's
fields and its materials (the generic lazy list, double-click opens a material). A part type
in use cannot be removed (core says which materials still use it). Supervisors edit; clerks read.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.lists import definitions
from ...core.services import part_types
from .. import settings
from ..screen_base import Screen
from ..tables.table_widget import QueryTableWidget
from .common import Banner, tab_chain

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class PartTypesScreen(Screen):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.set_title("Part Types")
        self.read_only = not ctx.can("edit_part_types")
        self.current_id: int | None = None
        self.banner = Banner(self)

        self.list = QTableWidget(0, 4, self)
        self.list.setHorizontalHeaderLabels(["Part type", "Priority", "Inactive", "Materials"])
        self.list.verticalHeader().setVisible(False)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setSortingEnabled(True)
        self.list.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.currentCellChanged.connect(lambda row, *_: self._select_row(row))

        self.name = QLineEdit(self)
        self.name.setMaxLength(50)
        self.priority = QLineEdit(self)
        self.inactive = QCheckBox("&Inactive (kept for history, not offered for new materials)")
        for w in (self.name, self.priority):
            w.setReadOnly(self.read_only)
        self.inactive.setEnabled(not self.read_only)
        self.save_button = QPushButton("&Save  (Ctrl+S)", self)
        self.new_button = QPushButton("&New part type  (Ctrl+N)", self)
        self.delete_button = QPushButton("&Remove part type...", self)
        for b in (self.save_button, self.new_button, self.delete_button):
            b.setVisible(not self.read_only)
            b.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.new)
        self.delete_button.clicked.connect(self.remove)
        self.name.returnPressed.connect(self.save)
        self.priority.returnPressed.connect(self.save)

        form = QFormLayout()
        form.addRow("Part &type:", self.name)
        form.addRow("&Priority:", self.priority)
        form.addRow("", self.inactive)
        buttons = QHBoxLayout()
        for b in (self.save_button, self.new_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.materials = QueryTableWidget(definitions.materials_spec("part_type_materials"),
                                          ctx.runner, self, show_filters=False)
        self.materials.add_row_action("Open the material", lambda ids: ctx.open(
            "material", material_id=ids[0]), single=True)
        note = QLabel("To change the part type of a material, or to add materials, use the "
                      "Material screen.")
        note.setEnabled(False)
        note.setWordWrap(True)
        self.materials_title = QLabel()
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.addWidget(self.banner)
        rl.addLayout(form)
        rl.addLayout(buttons)
        rl.addWidget(self.materials_title)
        rl.addWidget(self.materials, 1)
        rl.addWidget(note)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([330, 700])
        settings.restore_splitter(self.splitter, "part_types")
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        # screen order: the list, the form, its buttons, then the list of its materials
        tab_chain(self.list, self.name, self.priority, self.inactive, self.save_button,
                  self.new_button, self.delete_button, self.materials.quick)
        self.reload_list()

    def reload_list(self, select_id: int | None = None) -> None:
        rows = self.ctx.read(part_types.list_part_types, owner=self)
        self.list.setSortingEnabled(False)
        self.list.setRowCount(len(rows))
        for r, pt in enumerate(rows):
            values = (pt.name, "" if pt.priority is None else str(pt.priority),
                      "yes" if pt.inactive else "", f"{pt.materials:,}")
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, pt.id)
                if c in (1, 3):
                    item.setData(Qt.ItemDataRole.EditRole, pt.priority if c == 1 else pt.materials)
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.list.setItem(r, c, item)
        self.list.setSortingEnabled(True)
        self.list.resizeColumnsToContents()
        target = select_id if select_id is not None else (rows[0].id if rows else None)
        for r in range(self.list.rowCount()):
            if self.list.item(r, 0).data(ID_ROLE) == target:
                self.list.selectRow(r)
                self._select_row(r)
                break

    def _select_row(self, row: int) -> None:
        item = self.list.item(row, 0) if row >= 0 else None
        if item is None:
            return
        self.current_id = item.data(ID_ROLE)
        self.name.setText(self.list.item(row, 0).text())
        self.priority.setText(self.list.item(row, 1).text())
        self.inactive.setChecked(bool(self.list.item(row, 2).text()))
        self.materials_title.setText(f"<b>Materials of part type {self.name.text()}</b>")
        self.materials.model.params["part_type_id"] = self.current_id
        if self.materials.model._started:
            self.materials.model.reload()
        else:
            self.materials.start()
        self.delete_button.setEnabled(True)

    def save(self) -> bool:
        if self.read_only:
            return False
        def saved(pt_id: int) -> None:
            self.banner.show_message(f"Saved part type {self.name.text().strip()}.", "success")
            self.reload_list(pt_id)

        return self.ctx.op(part_types.save_part_type, self.ctx.actor, self.current_id,
                           self.name.text(), self.priority.text() or None,
                           self.inactive.isChecked(), owner=self, on_done=saved,
                           banner=self.banner, fields={"name": self.name,
                                                       "priority": self.priority},
                           what="saving the part type").ok

    def new(self) -> bool:
        if self.read_only:
            return False
        self.current_id = None
        self.list.clearSelection()
        self.name.clear()
        self.priority.clear()
        self.inactive.setChecked(False)
        self.delete_button.setEnabled(False)
        self.materials_title.setText("")
        self.banner.show_message("New part type: give it a name (and a priority), then Save.",
                                 "info")
        self.name.setFocus()
        return True

    def remove(self) -> bool:
        if self.read_only or self.current_id is None:
            return False
        name = self.name.text()
        if QMessageBox.question(self, "Remove part type",
                                f"Are you sure you want to remove part type {name}?") \
                != QMessageBox.StandardButton.Yes:
            return False
        def removed(_none) -> None:
            self.banner.show_message(f"Part type {name} has been removed.", "success")
            self.current_id = None
            self.reload_list()

        return self.ctx.op(part_types.delete_part_type, self.ctx.actor, self.current_id,
                           owner=self, on_done=removed, banner=self.banner,
                           what="removing the part type").ok

    def refresh(self) -> bool:
        self.reload_list(self.current_id)
        return True

    def focus_first(self) -> None:
        self.list.setFocus()

    def is_ready(self) -> bool:
        m = self.materials.model
        return not m._started or not m.loading

    def save_state(self) -> None:
        settings.save_splitter(self.splitter, "part_types")
        self.materials.save_state()
