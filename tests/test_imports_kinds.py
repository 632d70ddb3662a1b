"""The registry of import kinds (core/imports/kinds.py) is what the command line, the import
wizard and the menus read: each kind's name, title, columns, core function and permission are
declared there once. No database needed."""
from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

from wics_desktop.commands import imports as import_commands
from wics_desktop.core.imports import kinds
from wics_desktop.core.imports.kinds import KINDS, ImportOptions


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wics")
    import_commands.register(parser.add_subparsers(dest="command"))
    return parser


def test_the_four_kinds_name_their_core_function_columns_and_permission():
    assert list(KINDS) == ["sap-soh", "mm60", "counts", "schedule"]
    for kind in KINDS.values():
        module = importlib.import_module(f"wics_desktop.core.imports.{kind.module}")
        assert kind.function is getattr(module, kind.function_name)
        assert kind.fields is module.FIELDS and kind.fields
        # the permission the core function checks is the one the registry declares
        assert kind.function.__wics_permission__ == kind.permission == "import"
        assert kind.task == f"import-{kind.key}"
        assert kind.default_sheet == getattr(module, "SHEET", None)


def test_the_material_master_update_fields_are_the_core_s():
    from wics_desktop.core.imports import mm60

    assert mm60.UPDATE_FIELDS is kinds.MM60_UPDATE_FIELDS
    assert KINDS["mm60"].update_fields == tuple(mm60.UPDATE_FIELDS)
    assert all(not k.update_fields for k in KINDS.values() if not k.material_master)


def test_the_command_line_has_one_subcommand_per_kind_with_its_options():
    parser = _parser()
    for kind in KINDS.values():
        argv = ["import", kind.key, "f.xlsx"] + (["--date", "2026-11-20"] if kind.needs_date
                                                 else [])
        args = parser.parse_args(argv)
        assert (args.import_kind, args.task, args.permission) == (kind.key, kind.task,
                                                                  kind.permission)
        assert args.sheet == kind.default_sheet
        assert hasattr(args, "add") == kind.needs_date
        assert hasattr(args, "update") == hasattr(args, "dry_run") == kind.material_master
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    mm60_parser = next(a for a in sub.choices["import"]._actions
                       if isinstance(a, argparse._SubParsersAction)).choices["mm60"]
    help_text = mm60_parser.format_help().replace("\n", " ")
    for name in KINDS["mm60"].update_fields:
        assert name in help_text


def test_the_wizard_and_the_menus_read_the_same_registry():
    from wics_desktop.core.services import menus
    from wics_desktop.ui.wizards import import_jobs

    assert import_jobs.KINDS is KINDS and import_jobs.ImportOptions is ImportOptions
    for kind in KINDS.values():
        assert menus.SCREENS[kind.screen] == kind.title


def test_reading_the_registry_loads_no_database_code():
    code = ("import sys; from wics_desktop.core.imports.kinds import KINDS; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
