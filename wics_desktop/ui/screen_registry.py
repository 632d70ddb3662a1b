"""The screens the desktop can open, by the keys menus use (core.services.menus.SCREENS).

Factories are "module:Class" strings imported on first use, so starting the program does not
import every form. Other areas add their screens with one row in BUILTIN (or `register()`);
a menu entry whose key has no screen here shows as "not available in this version".
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

from ..core.services.menus import SCREENS


@dataclass(frozen=True)
class ScreenSpec:
    key: str
    factory: str  # "package.module:Class"; the class takes (ctx) and may take open arguments
    permission: str = "view"
    multiple: bool = False  # several instances at once (told apart by Screen.instance_key)
    self_test: bool = True  # opened by `wics-desktop --self-test`

    @property
    def title(self) -> str:
        return SCREENS.get(self.key, self.key.replace("_", " ").title())

    def load(self):
        module, _, name = self.factory.partition(":")
        return getattr(importlib.import_module(module), name)


_F = "wics_desktop.ui.screens."
_T = "wics_desktop.ui.tables.list_screens:"
_W = "wics_desktop.ui.wizards.import_wizard:"
BUILTIN: tuple[ScreenSpec, ...] = (
    ScreenSpec("count_entry", _F + "count_entry:CountEntryScreen", "enter_counts"),
    ScreenSpec("counts", _T + "CountsScreen"),
    ScreenSpec("schedule_entry", _F + "schedule_entry:ScheduleEntryScreen", "schedule_counts"),
    ScreenSpec("request_entry", _F + "schedule_entry:RequestEntryScreen", "request_counts"),
    ScreenSpec("schedule", _T + "ScheduleScreen"),
    ScreenSpec("plan", _F + "plan:PlanScreen", "plan_counts"),
    ScreenSpec("requests", _T + "RequestsScreen"),
    ScreenSpec("materials", _T + "MaterialsScreen"),
    ScreenSpec("material", _F + "material:MaterialScreen", multiple=True),
    ScreenSpec("part_types", _F + "part_types:PartTypesScreen"),
    ScreenSpec("mpns", _T + "MpnScreen"),
    ScreenSpec("locations", _T + "LocationsScreen"),
    ScreenSpec("sap_stock", _T + "SapStockScreen"),
    ScreenSpec("count_summary", _F + "count_summary:CountSummaryScreen", "reports"),
    ScreenSpec("count_sheets", _F + "count_sheets:CountSheetsScreen", "print_count_sheets"),
    ScreenSpec("report_materials", _F + "report_lists:MaterialListsScreen", "reports"),
    ScreenSpec("report_locations", _F + "report_lists:LocationsReportScreen", "reports"),
    ScreenSpec("import_sap_soh", _W + "SapSohImportScreen", "import"),
    ScreenSpec("import_mm60", _W + "Mm60ImportScreen", "import"),
    ScreenSpec("import_counts", _W + "CountsImportScreen", "import"),
    ScreenSpec("import_schedule", _W + "ScheduleImportScreen", "import"),
    ScreenSpec("users", _F + "admin_users:UsersScreen", "edit_users"),
    ScreenSpec("menus", _F + "admin_menus:MenusScreen", "edit_menus"),
    ScreenSpec("parameters", _F + "admin_settings:ParametersScreen", "edit_parameters"),
    ScreenSpec("holidays", _F + "admin_settings:HolidaysScreen", "edit_holidays"),
    ScreenSpec("greetings", _F + "admin_settings:GreetingsScreen", "admin"),
    ScreenSpec("organizations", _F + "admin_setup:OrganizationsScreen", "edit_orgs"),
    ScreenSpec("sap_plants", _F + "admin_setup:PlantsScreen", "edit_orgs"),
    ScreenSpec("units", _F + "admin_setup:UnitsScreen", "edit_orgs"),
    ScreenSpec("sync", _F + "sync_screen:SyncScreen"),
    ScreenSpec("activity", _F + "activity:ActivityScreen", "reports"),
    ScreenSpec("migrate_wics3", "wics_desktop.ui.wizards.migrate_wizard:MigrateScreen",
               "migrate_site"),
    ScreenSpec("dashboard", _F + "dashboard:DashboardScreen", "reports"),
    ScreenSpec("alerts", _F + "alerts_screen:AlertsScreen", "reports"),
    ScreenSpec("audit", _F + "audit_screen:AuditScreen", "view_audit"),
    ScreenSpec("run_sql", _F + "sql_screen:SqlScreen", "run_sql"),
)

_REGISTRY: dict[str, ScreenSpec] = {s.key: s for s in BUILTIN}


def register(spec: ScreenSpec) -> None:
    _REGISTRY[spec.key] = spec


def get(key: str) -> ScreenSpec | None:
    return _REGISTRY.get(key)


def all_specs() -> list[ScreenSpec]:
    return list(_REGISTRY.values())


def title(key: str) -> str:
    spec = _REGISTRY.get(key)
    return spec.title if spec else SCREENS.get(key, key)
