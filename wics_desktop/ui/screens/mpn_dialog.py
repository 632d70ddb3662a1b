"""Add or change one manufacturer part number (from the MPN list)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QWidget,
)

from ...core.services import mpns
from ...core.services.material_lookup import display_name_of
from .common import Banner, form_dialog
from .material_field import MaterialField


class MpnDialog(QDialog):
    def __init__(self, ctx, mpn_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.mpn_id = ctx, mpn_id
        self.setWindowTitle("Manufacturer part number" if mpn_id
                            else "New manufacturer part number")
        self.banner = Banner(self)
        self.mpn = QLineEdit(self)
        self.mpn.setMaxLength(250)
        self.manufacturer = QLineEdit(self)
        self.manufacturer.setMaxLength(250)
        self.material = MaterialField(ctx, self)
        self.notes = QLineEdit(self)
        self.notes.setMaxLength(250)
        buttons = form_dialog(self, self.banner, [
            ("Mfr &part number:", self.mpn), ("Manu&facturer:", self.manufacturer),
            ("&Material:", self.material), ("&Notes:", self.notes)], self.save,
            ok=QDialogButtonBox.StandardButton.Save, min_width=520)
        for b in buttons.buttons():
            b.setAutoDefault(False)  # Enter in the material field resolves it, never saves
        self.material.problem.connect(lambda m: self.banner.show_message(m, "error"))
        self.material.resolved.connect(lambda *_: self.notes.setFocus())
        if mpn_id is not None:
            row, name = ctx.read(
                lambda s: (row := mpns.get_mpn(s, mpn_id),
                           display_name_of(s, row.material_id)), owner=self)
            self.mpn.setText(row.mpn)
            self.manufacturer.setText(row.manufacturer or "")
            self.notes.setText(row.notes or "")
            self.material.set_material(row.material_id, name)

    def save(self) -> bool:
        if self.material.material_id is None or \
                self.material.text().strip() != self.material.display_name:
            if not self.material.resolve_now():
                return False
        return self.ctx.op(mpns.save_mpn, self.ctx.actor, self.mpn_id,
                           self.material.material_id, self.mpn.text(), self.manufacturer.text(),
                           self.notes.text(), owner=self, on_done=lambda _row: self.accept(),
                           banner=self.banner, what="saving the manufacturer part number",
                           fields={"mpn": self.mpn, "manufacturer": self.manufacturer,
                                   "material": self.material, "notes": self.notes}).ok
