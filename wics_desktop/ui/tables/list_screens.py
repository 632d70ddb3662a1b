"""The list screens: every one is the generic QueryTableWidget plus its row actions.

Double-click (or Enter) runs the first action; right-click lists them all. Actions that change
data call core and refresh the list; actions a role may not use are not offered.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...core import clock
from ...core.errors import WicsError
from ...core.lists import definitions
from ...core.lists.spec import TableSpec
from ...core.services import counts, schedule
from .. import errors
from ..screen_base import Screen
from .table_widget import QueryTableWidget


class TableScreen(Screen):
    """A list on a screen. Subclasses name the function that builds their table's definition
    (`spec_factory`, from core.lists.definitions) and add actions in `setup()`."""

    spec_factory: Callable[[], TableSpec]

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        spec = self.spec_factory()
        self.set_title(spec.title)
        self.table = QueryTableWidget(spec, ctx.runner, self)
        self.table.status_message.connect(self.status_message)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        self.setup()
        if self.autostart():
            self.table.start()

    def setup(self) -> None:
        pass

    def autostart(self) -> bool:
        return True

    # ---- standard actions ------------------------------------------------------------------
    def focus_first(self) -> None:
        if self.table.quick.isVisible():
            self.table.quick.setFocus()
        else:
            self.table.view.setFocus()

    def find(self) -> bool:
        self.table.quick.setFocus()
        self.table.quick.selectAll()
        return True

    def refresh(self) -> bool:
        self.table.model.reload()
        return True

    def is_ready(self) -> bool:
        m = self.table.model
        return m._started and not m.loading

    def save_state(self) -> None:
        self.table.save_state()

    # ---- helpers ---------------------------------------------------------------------------
    def call_core(self, fn, *args, done: str | None = None) -> bool:
        """Run one short core change as an op; errors are shown, the list refreshed."""
        def finished(_result) -> None:
            if done:
                self.status_message.emit(done)
            self.table.model.reload()

        return self.ctx.op(fn, self.ctx.actor, *args, owner=self, on_done=finished,
                           what="changing the list").ok

    def confirm(self, title: str, question: str) -> bool:
        return QMessageBox.question(self, title, question) == QMessageBox.StandardButton.Yes


# ---- actual counts --------------------------------------------------------------------------

class CountsScreen(TableScreen):
    spec_factory = staticmethod(definitions.counts_spec)

    def setup(self) -> None:
        t = self.table
        records = self.ctx.can("enter_counts")  # a viewer only reads
        if records:
            t.add_row_action("Open in Count Entry", lambda ids: self.ctx.open(
                "count_entry", count_id=ids[0]), single=True)
        t.add_row_action("Open the material", self._open_material, single=True)
        if records:
            t.add_row_action("Copy to date...", self._copy, single=True)
            t.add_row_action("Delete...", self._delete, shortcut=Qt.Key.Key_Delete)

    def new(self) -> bool:
        if not self.ctx.can("enter_counts"):
            return False
        self.ctx.open("count_entry")
        return True

    def _lines(self, count_ids) -> list:
        return self.ctx.read(counts.get_counts, list(count_ids), owner=self)

    def _open_material(self, ids) -> None:
        self.ctx.open("material", material_id=self._lines(ids[:1])[0].material_id)

    def _copy(self, ids) -> None:
        from ..screens.common import ask_date

        day = ask_date(self, "Copy count", f"Copy count #{ids[0]} to which date?", clock.today())
        if day is not None:
            self.call_core(counts.copy_count, ids[0], day,
                           done=f"Count #{ids[0]} copied to {day.isoformat()}.")

    def _delete(self, ids) -> None:
        lines = self._lines(ids)
        if not self.ctx.can("edit_counts_of_others"):
            others = [ln for ln in lines if ln.entered_by != self.ctx.user.username]
            if others:
                errors.show_problem(WicsError(
                    f"Count #{others[0].id} was entered by {others[0].entered_by}: only a "
                    f"supervisor may delete it."), self)
                return
        what = "\n".join(f"#{ln.id}  {ln.count_date}  {ln.material}  {ln.location}  "
                         f"{ln.expression or 'location only'}" for ln in lines[:10])
        more = f"\n... and {len(lines) - 10} more" if len(lines) > 10 else ""
        if self.confirm("Delete counts", f"Delete {len(lines)} count(s)?\n\n{what}{more}"):
            def delete_all(s, actor, ids_):
                for i in ids_:
                    counts.delete_count(s, actor, i)
            self.call_core(delete_all, [ln.id for ln in lines],
                           done=f"Deleted {len(lines)} count(s).")


# ---- schedule and requests ------------------------------------------------------------------

class ScheduleScreen(TableScreen):
    spec_factory = staticmethod(definitions.schedule_spec)

    def setup(self) -> None:
        t = self.table
        if self.ctx.can("schedule_counts"):
            t.add_row_action("Edit...", lambda ids: self.ctx.open(
                "schedule_entry", entry_id=ids[0]), single=True)
        t.add_row_action("Open the material", self._open_material, single=True)
        if self.ctx.can("enter_counts"):
            t.add_row_action("Count Entry for this material and date", self._count, single=True)
        if self.ctx.can("schedule_counts"):
            t.add_row_action("Delete...", self._delete, shortcut=Qt.Key.Key_Delete)

    def new(self) -> bool:
        if not self.ctx.can("request_counts"):
            return False
        self.ctx.open("schedule_entry" if self.ctx.can("schedule_counts") else "request_entry")
        return True

    def _entry(self, entry_id):
        row = self.ctx.read(schedule.get_entry, entry_id, owner=self)
        return (row.material_id, row.count_date) if row else (None, None)

    def _open_material(self, ids) -> None:
        material_id, _ = self._entry(ids[0])
        if material_id is not None:
            self.ctx.open("material", material_id=material_id)

    def _count(self, ids) -> None:
        material_id, day = self._entry(ids[0])
        if material_id is not None:
            self.ctx.open("count_entry", material_id=material_id, count_date=day)

    def _delete(self, ids) -> None:
        if self.confirm("Delete schedule entries",
                        f"Delete {len(ids)} schedule entr{'y' if len(ids) == 1 else 'ies'}?"):
            def delete_all(s, actor, ids_):
                for i in ids_:
                    schedule.delete_entry(s, actor, i)
            self.call_core(delete_all, list(ids), done=f"Deleted {len(ids)} schedule entries.")


class RequestsScreen(ScheduleScreen):
    spec_factory = staticmethod(definitions.requests_spec)

    def setup(self) -> None:
        self.show_filled = QCheckBox("Show &filled requests", self)
        self.show_filled.setToolTip("A request is filled once the material has a count on that "
                                    "date, or when marked filled")
        self.show_filled.toggled.connect(
            lambda on: self.table.model.set_params(requests_only=True, show_filled=on))
        self.table.add_toolbar_widget(self.show_filled)
        self.table.model.params.update(requests_only=True, show_filled=False)
        t = self.table
        edit_key = "schedule_entry" if self.ctx.can("schedule_counts") else "request_entry"
        requests = self.ctx.can("request_counts")  # a viewer only reads
        if requests:
            t.add_row_action("Edit...", lambda ids: self.ctx.open(edit_key, entry_id=ids[0]),
                             single=True)
            t.add_row_action("Count Entry for this material and date", self._count,
                             single=True)
            t.add_row_action("Mark filled", lambda ids: self._mark(ids, True))
            t.add_row_action("Mark not filled", lambda ids: self._mark(ids, False))
        t.add_row_action("Open the material", self._open_material, single=True)
        if self.ctx.can("schedule_counts"):
            t.add_row_action("Delete...", self._delete, shortcut=Qt.Key.Key_Delete)

        from PySide6.QtWidgets import QPushButton

        for text, slot in (("Print preview…", self.open_preview), ("Print…", self.print_list),
                           ("Save PDF…", lambda: self.save_pdf())):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            self.table.add_toolbar_widget(button)

    def new(self) -> bool:
        if not self.ctx.can("request_counts"):
            return False
        self.ctx.open("request_entry")
        return True

    # ---- the printable version (the one paged-document print path) -----------------------
    def document(self):
        from ..printing.requests_doc import RequestedCountsDocument

        include = self.show_filled.isChecked()
        rows = self.ctx.read(schedule.requests, include_filled=include, owner=self)
        return RequestedCountsDocument(rows, include, printed_by=self.ctx.user.name)

    def open_preview(self) -> None:
        from ..printing import printer

        printer.preview(self.document(), self).exec()

    def print_list(self) -> None:
        from ..printing import printer

        document = self.document()
        printer.print_with_dialog(document, self, job="report-requests-print",
                                  actor=self.ctx.actor, rows=len(document.rows))

    def save_pdf(self, path: str | None = None) -> None:
        from ..printing import printer
        from ..printing.output import preferred_page_size
        from ..screens.report_base import _write_pdf

        path = path or printer.ask_pdf_path(self, "Requested Counts "
                                            f"{clock.today().isoformat()}.pdf")
        if not path:
            return
        self.ctx.runner.run(
            _write_pdf, self.document(), path, preferred_page_size(), session=False,
            title="Saving Requested Counts as PDF", parent=self,
            on_result=lambda pages: self.status_message.emit(f"Saved {path} ({pages} pages)"),
            job="report-requests-pdf")

    def _mark(self, ids, filled: bool) -> None:
        def mark(s, actor, ids_):
            for i in ids_:
                schedule.set_request_filled(s, actor, i, filled)
        self.call_core(mark, list(ids), done=f"Marked {len(ids)} request(s) "
                                             f"{'filled' if filled else 'not filled'}.")


# ---- materials, MPNs, locations ----------------------------------------------------------------

class MaterialsScreen(TableScreen):
    spec_factory = staticmethod(definitions.materials_spec)

    def setup(self) -> None:
        t = self.table
        t.add_row_action("Open", lambda ids: self.ctx.open("material", material_id=ids[0]),
                         single=True)
        t.add_row_action("Count Entry with this material",
                         lambda ids: self.ctx.open("count_entry", material_id=ids[0]), single=True)
        if self.ctx.can("schedule_counts"):
            t.add_row_action("Schedule a count...", lambda ids: self.ctx.open(
                "schedule_entry", material_id=ids[0], count_date=clock.today()), single=True)
        else:
            t.add_row_action("Request a count...", lambda ids: self.ctx.open(
                "request_entry", material_id=ids[0]), single=True)

    def new(self) -> bool:
        if not self.ctx.can("edit_materials"):
            return False
        self.ctx.open("material", new=True)
        return True


class MpnScreen(TableScreen):
    spec_factory = staticmethod(definitions.mpn_spec)

    def setup(self) -> None:
        t = self.table
        if self.ctx.can("edit_materials"):
            t.add_row_action("Edit...", self._edit, single=True)
        t.add_row_action("Open the material", self._open_material, single=True)
        if self.ctx.can("edit_materials"):
            t.add_row_action("Delete...", self._delete, shortcut=Qt.Key.Key_Delete)

    def _open_material(self, ids) -> None:
        from ...core.services import mpns

        row = self.ctx.read(mpns.get_mpn, ids[0], owner=self)
        material_id = row.material_id if row else None
        if material_id is not None:
            self.ctx.open("material", material_id=material_id)

    def new(self) -> bool:
        if not self.ctx.can("edit_materials"):
            return False
        from ..screens.mpn_dialog import MpnDialog

        if MpnDialog(self.ctx, None, self).exec():
            self.table.model.reload()
        return True

    def _edit(self, ids) -> None:
        from ..screens.mpn_dialog import MpnDialog

        if MpnDialog(self.ctx, ids[0], self).exec():
            self.table.model.reload()

    def _delete(self, ids) -> None:
        from ...core.services import mpns

        if self.confirm("Delete manufacturer part numbers", f"Delete {len(ids)} MPN(s)?"):
            def delete_all(s, actor, ids_):
                for i in ids_:
                    mpns.delete_mpn(s, actor, i)
            self.call_core(delete_all, list(ids), done=f"Deleted {len(ids)} MPN(s).")


class LocationsScreen(TableScreen):
    spec_factory = staticmethod(definitions.locations_spec)

    def setup(self) -> None:
        self.table.add_row_action("Open the material", lambda ids: self.ctx.open(
            "material", material_id=ids[0]), single=True)
        note = QLabel("Where each material was found on its latest count date.")
        note.setEnabled(False)
        # the note may be cut short on a narrow screen; the buttons beside it may not
        note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.table.add_toolbar_widget(note)
        if self.ctx.can("edit_zones"):
            zones_button = QPushButton("Worksheet &zones…")
            zones_button.setToolTip("The warehouse's zones, the order counters walk them, and "
                                    "which locations each holds")
            zones_button.clicked.connect(self.edit_zones)
            self.table.add_toolbar_widget(zones_button)

    def edit_zones(self):
        from ..screens.zones_dialog import ZonesDialog

        dialog = ZonesDialog(self.ctx, self)
        dialog.exec()
        self.table.model.reload()  # the Zone column shows the changes
        return dialog


# ---- SAP stock on hand --------------------------------------------------------------------------

class SapStockScreen(TableScreen):
    spec_factory = staticmethod(definitions.sap_spec)

    def autostart(self) -> bool:
        return False  # the upload date comes first

    def setup(self) -> None:
        self.dates = QComboBox(self)
        self.dates.setMinimumWidth(260)
        self.dates.setAccessibleName("Upload date")
        self.dates.currentIndexChanged.connect(self._date_chosen)
        label = QLabel("&Upload:", self)
        label.setBuddy(self.dates)
        self.table.add_toolbar_widget(label)
        self.table.add_toolbar_widget(self.dates)
        self.table.add_row_action("Open the material", self._open_material, single=True)
        self._load_dates()

    def _load_dates(self) -> None:
        from ...core.services import sap

        def load(s):
            return sap.upload_dates(s), sap.latest_upload_date(s, clock.today())

        self.ctx.runner.submit(load, title="SAP upload dates", on_result=self._dates_loaded,
                               owner=self,
                               on_error=lambda f: errors.handle(f.error, self, "loading SAP "
                                                                "upload dates", f.traceback))

    def _dates_loaded(self, result) -> None:
        uploads, default = result
        self.dates.blockSignals(True)
        self.dates.clear()
        for up in uploads:
            self.dates.addItem(f"{up.upload_date.isoformat()}  ({up.rows:,} rows: "
                               f"{', '.join(up.orgs)})", up.upload_date)
        if not uploads:
            self.dates.addItem("No SAP stock uploaded yet", None)
        index = next((i for i, up in enumerate(uploads) if up.upload_date == default), 0)
        self.dates.setCurrentIndex(index)
        self.dates.blockSignals(False)
        self._date_chosen(index)

    def _date_chosen(self, _index: int) -> None:
        day = self.dates.currentData()
        self.table.model.params["upload_date"] = day
        if not self.table.model._started:
            self.table.start()
        else:
            self.table.model.reload()

    def is_ready(self) -> bool:
        return self.table.model._started and super().is_ready()

    def refresh(self) -> bool:
        self._load_dates()
        return True

    def open_with(self, upload_date=None, **_kw) -> None:
        if upload_date is not None:
            index = self.dates.findData(upload_date)
            if index >= 0:
                self.dates.setCurrentIndex(index)

    def _open_material(self, ids) -> None:
        from ...core.services import sap

        material_id = self.ctx.read(sap.material_of_row, ids[0], owner=self)
        if material_id is None:
            self.status_message.emit("This SAP row's part number is not a WICS material.")
        else:
            self.ctx.open("material", material_id=material_id)
