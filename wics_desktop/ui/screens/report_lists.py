"""Material Lists (by part type, last count date, descending value) and the Material Locations
report: the core's report rows in a sortable, filterable table, with Excel export, PDF and print
(ReportScreen). Double-click a row to open the material."""
from __future__ import annotations

import sys

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QTableView, QTabWidget

from ...core import clock
from ...core.expressions import format_quantity
from ...core.reports import locations, material_lists
from ...core.reports.numbers import money
from ...core.services.fields import plural
from .. import settings
from .common import date_edit, from_qdate
from .report_base import ReportScreen, day_text
from .rows_table import MATERIAL_ID_ROLE, Col, RowsModel, make_table
from .rows_table import date_text as _date


class _ListScreen(ReportScreen):
    """A report screen whose body is one or more row tables with a quick filter."""

    def add_filter(self) -> None:
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter rows…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setMaximumWidth(260)
        self.options_bar.addWidget(self.filter)
        self.options_bar.addStretch(1)

    def connect_table(self, view: QTableView, proxy: QSortFilterProxyModel) -> None:
        self.filter.textChanged.connect(proxy.setFilterFixedString)
        view.doubleClicked.connect(self.open_material)

    def open_material(self, index: QModelIndex) -> None:
        material_id = index.data(MATERIAL_ID_ROLE)
        if material_id is not None:
            self.ctx.open("material", material_id=material_id)


class MaterialListsScreen(_ListScreen):
    title_text = "Material Lists"
    job_key = "materials"  # task-log names report-materials-pdf, -xlsx, -print
    COLUMNS = [
        Col("Material", lambda r: r.material, width=150),
        Col("Part type", lambda r: r.part_type, width=100),
        Col("Description", lambda r: r.description, width=260),
        Col("Last counted", lambda r: r.last_count_date, lambda r: _date(r.last_count_date)),
        Col("Last found at", lambda r: ", ".join(r.last_found_at) or None, width=150),
        Col("SAP qty", lambda r: r.sap_qty,
            lambda r: "No SAP qty" if r.sap_qty is None else format_quantity(r.sap_qty), True),
        Col("Total value", lambda r: r.total_value,
            lambda r: money(r.total_value, r.currency), True),
        Col("Unit value", lambda r: r.unit_value, lambda r: money(r.unit_value), True),
        Col("Scheduled", lambda r: r.next_scheduled,
            lambda r: ("TODAY " if r.scheduled_today else "")
            + (f"next {r.next_scheduled.isoformat()}" if r.next_scheduled else "")),
        Col("Notes", lambda r: r.notes, width=200),
    ]

    def __init__(self, ctx, parent=None, by: str = material_lists.BY_PART_TYPE) -> None:
        super().__init__(ctx, parent)
        self.by = QComboBox()
        for key in material_lists.ORDERS:
            self.by.addItem(material_lists.TITLES[key], key)
        self.by.setCurrentIndex(max(0, self.by.findData(by)))
        self.as_of = date_edit(clock.today(), self)
        self.options_bar.addWidget(QLabel("List"))
        self.options_bar.addWidget(self.by)
        self.options_bar.addWidget(QLabel("as of"))
        self.options_bar.addWidget(self.as_of)
        self.add_filter()
        self.model = RowsModel(self.COLUMNS, self)
        self.table, self.proxy = make_table(self.model, "report_materials")
        self.connect_table(self.table, self.proxy)
        from .schedule_from_list import add_schedule_action  # right-click: schedule for today
        self.schedule_action = add_schedule_action(ctx, self.table,
                                                   lambda i: i.data(MATERIAL_ID_ROLE), clock.today)
        self.body.addWidget(self.table, 1)
        self.by.currentIndexChanged.connect(lambda _i: self.load())
        self.as_of.dateChanged.connect(lambda _d: self.load())
        self.load()

    def options(self) -> dict:
        return {"by": self.by.currentData(), "as_of": from_qdate(self.as_of.date())}

    @staticmethod
    def fetch(session, by, as_of):
        return material_lists.build(session, by, as_of=as_of)

    def show_report(self, report) -> None:
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the list's own order
        self.model.set_rows(report.rows)
        self.set_title(report.title)
        dates = ", ".join(f"{o} {day_text(d)}" for o, d in sorted(report.sap_dates.items()))
        self.status.setText(f"{plural(len(report.rows), 'material')} · "
                            f"as of {day_text(report.as_of)} · SAP date {dates or 'none'}")

    def document(self, report):
        from ..printing.report_docs import MaterialListDocument

        return MaterialListDocument(report)

    @staticmethod
    def write_xlsx(report, path: str) -> None:
        material_lists.to_xlsx(report, path)

    def file_stem(self) -> str:
        return f"{self.by.currentText()} {from_qdate(self.as_of.date()).isoformat()}"

    def save_state(self) -> None:
        settings.save_header(self.table.horizontalHeader(), "report_materials")


class LocationsReportScreen(_ListScreen):
    title_text = "Material Locations"
    job_key = "locations"  # task-log names report-locations-pdf, -xlsx, -print
    MATERIAL_COLUMNS = [
        Col("Material", lambda r: r.material, width=150),
        Col("Part type", lambda r: r.part_type, width=100),
        Col("Description", lambda r: r.description, width=260),
        Col("Last counted", lambda r: r.last_count_date, lambda r: _date(r.last_count_date)),
        Col("Last found at", lambda r: ", ".join(r.last_found_at) or None, width=180),
        Col("SAP storage locations", lambda r: ", ".join(
            f"{s.storage_location or '—'}: {format_quantity(s.quantity)}"
            for s in r.sap_locations) or None, width=200),
        Col("Notes", lambda r: r.notes, width=200),
    ]
    LOCATION_COLUMNS = [
        Col("Location", lambda r: r[0], width=160),
        Col("Material", lambda r: r[1].material, width=160),
        Col("Last counted", lambda r: r[1].count_date, lambda r: _date(r[1].count_date)),
    ]

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.as_of = date_edit(clock.today(), self)
        self.options_bar.addWidget(QLabel("As of"))
        self.options_bar.addWidget(self.as_of)
        self.add_filter()
        self.model = RowsModel(self.MATERIAL_COLUMNS, self)
        self.table, self.proxy = make_table(self.model, "report_locations")
        self.by_location = _LocationRows(self.LOCATION_COLUMNS, self)
        self.location_table, self.location_proxy = make_table(self.by_location,
                                                              "report_locations_by_location")
        self.connect_table(self.table, self.proxy)
        self.connect_table(self.location_table, self.location_proxy)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "By material")
        self.tabs.addTab(self.location_table, "By location")
        self.body.addWidget(self.tabs, 1)
        self.as_of.dateChanged.connect(lambda _d: self.load())
        self.load()

    def options(self) -> dict:
        return {"as_of": from_qdate(self.as_of.date())}

    @staticmethod
    def fetch(session, as_of):
        return locations.build(session, as_of=as_of)

    def show_report(self, report) -> None:
        self.model.set_rows(report.materials)
        self.by_location.set_rows([(g.location, e) for g in report.locations
                                   for e in g.materials])
        self.set_title(f"Material Locations {report.as_of.isoformat()}")
        self.status.setText(
            f"{plural(len(report.materials), 'material')} · {report.hidden} left out (no SAP "
            f"stock and not counted in the last {report.days_if_no_sap} days) · "
            f"{plural(len(report.locations), 'location')}")

    def document(self, report):
        from ..printing.report_docs import LocationsDocument

        return LocationsDocument(report)

    @staticmethod
    def write_xlsx(report, path: str) -> None:
        locations.to_xlsx(report, path)

    def file_stem(self) -> str:
        return f"Material Locations {from_qdate(self.as_of.date()).isoformat()}"

    def save_state(self) -> None:
        settings.save_header(self.table.horizontalHeader(), "report_locations")
        settings.save_header(self.location_table.horizontalHeader(),
                             "report_locations_by_location")


class _LocationRows(RowsModel):
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role == MATERIAL_ID_ROLE:
            return self.rows[index.row()][1].material_id
        return super().data(index, role)


if __name__ == "__main__":  # pragma: no cover
    from ..standalone import run_screen

    sys.exit(run_screen(sys.argv[1] if len(sys.argv) > 1 else "report_materials",
                        sys.argv[2:]))
