"""Packaging: the spec, the installer scripts and the package data they rely on stay consistent.

The bundle itself is built and smoke-tested by `packaging/build.sh && packaging/smoke.sh dist/wics`
(slow, not part of the test run); these checks are fast and catch the usual breakages early: a
renamed executable, a data file that importlib.resources cannot reach, a config the installer
writes that the app cannot read.
"""
from __future__ import annotations

import ast
import importlib.util
import os
import re
import struct
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

import wics_desktop
from wics_desktop.core import config

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "wics.spec"
ISS = PACKAGING / "windows" / "wics.iss"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def _spec_constants() -> dict[str, object]:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    consts = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    consts[target.id] = node.value.value
    return consts


def _calls(name: str) -> list[ast.Call]:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Name) and n.func.id == name]


# ---- the spec --------------------------------------------------------------------------------

def test_spec_builds_one_bundle_with_both_executables():
    consts = _spec_constants()
    assert consts["GUI_EXE"] == "wics-desktop" and consts["CLI_EXE"] == "wics"
    # the two executables: wics-desktop windowed, wics with a console
    made = {c.args[0].id: next(k.value.value for k in c.keywords if k.arg == "console")
            for c in _calls("executable")}
    assert made == {"GUI_EXE": False, "CLI_EXE": True}
    # one COLLECT holding both, so they share one _internal folder
    (collect,) = _calls("COLLECT")
    assert [a.id for a in collect.args[:2]] == ["gui_exe", "cli_exe"]
    # name and version from the package, not typed into the spec
    text = SPEC.read_text(encoding="utf-8")
    assert "VERSION = wics_desktop.__version__" in text
    assert "BUNDLE_NAME = wics_desktop.APP_SLUG" in text and "name=BUNDLE_NAME" in text
    version = re.search(r"""['"]\d+\.\d+\.\d+['"]""", text)
    assert not version, "a version number is typed into the spec"


def test_spec_entry_scripts_run_the_package_entry_points():
    import wics_desktop.cli
    import wics_desktop.ui.main

    for script, target in (("entry_wics.py", wics_desktop.cli.main),
                           ("entry_wics_desktop.py", wics_desktop.ui.main.main)):
        spec = importlib.util.spec_from_file_location(script[:-3], PACKAGING / script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)  # guarded by __main__: defines main, runs nothing
        assert module.main is target
        assert f'"{script}"' in SPEC.read_text(encoding="utf-8")


def test_spec_collects_every_package_dir_mapping_of_pyproject():
    """A folder mapped into the package by setuptools must be collected as data by the spec."""
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = project["tool"]["setuptools"]["package-dir"]
    text = SPEC.read_text(encoding="utf-8")
    for package in mapping:
        assert f'package_dir("{package}")' in text, f"{package} is not collected by the spec"
        assert f'"{package.replace(".", "/")}"' in text


def test_find_module_hooks_point_at_the_mapped_folders():
    """PyInstaller's finder does not follow the editable mapping; the hooks must find sql/ and
    resources/ where the installed package has them."""
    for name, folder in (("wics_desktop.sql", "sql"), ("wics_desktop.resources", "resources")):
        hook_file = PACKAGING / "hooks" / "pre_find_module_path" / f"hook-{name}.py"
        spec = importlib.util.spec_from_file_location(f"hook_{folder}", hook_file)
        hook = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(hook)

        class Api:
            module_name = name
            search_dirs: list[str] = []

        hook.pre_find_module_path(Api)
        (search_dir,) = Api.search_dirs
        assert (Path(search_dir) / folder / "__init__.py").is_file()
        assert Path(search_dir, folder).resolve() == Path(str(resources.files(name))).resolve()


# ---- package data through importlib.resources (what the bundle relies on) -------------------

def test_sql_views_reachable_for_both_dialects():
    views = resources.files("wics_desktop.sql").joinpath("views", "v1")
    names = {d: sorted(p.name for p in views.joinpath(d).iterdir() if p.name.endswith(".sql"))
             for d in ("mysql", "sqlite")}
    assert names["mysql"] == names["sqlite"] and "v_materials.sql" in names["mysql"]
    sqlite_view = views.joinpath("sqlite", "v_materials.sql")
    assert "CREATE" in sqlite_view.read_text(encoding="utf-8").upper()


def test_migrations_reachable_as_files_for_alembic():
    migrations = resources.files("wics_desktop.migrations")
    assert migrations.joinpath("script.py.mako").is_file()
    assert migrations.joinpath("env.py").is_file()
    versions = [p.name for p in migrations.joinpath("versions").iterdir() if p.name.endswith(".py")]
    assert any(n.startswith("0001") for n in versions)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_icons_reachable_in_every_size():
    icons = resources.files("wics_desktop.resources").joinpath("icons")
    svg = icons.joinpath("wics.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and 'viewBox="0 0 256 256"' in svg
    for size in ICON_SIZES:
        assert _png_size(icons.joinpath(f"wics-{size}.png").read_bytes()) == (size, size)
    ico = icons.joinpath("wics.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1)
    sizes = sorted((ico[6 + 16 * i] or 256) for i in range(count))
    assert sizes == list(ICON_SIZES)
    for i in range(count):  # every entry lies inside the file
        length, offset = struct.unpack("<II", ico[6 + 16 * i + 8: 6 + 16 * i + 16])
        assert offset + length <= len(ico)


# ---- the executables' entry points ------------------------------------------------------------

def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(WICS_CONFIG_DIR=str(tmp_path / "c"), WICS_SITE_CONFIG_DIR=str(tmp_path / "s"),
               WICS_DATA_DIR=str(tmp_path / "d"), WICS_LOG_DIR=str(tmp_path / "l"))
    env.pop("WICS_DATABASE_URL", None)
    return env


def test_python_m_wics_desktop_version(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "wics_desktop", "--version"], cwd=tmp_path,
                          env=_clean_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"wics {wics_desktop.__version__}"


def test_db_upgrade_from_a_foreign_working_directory(tmp_path):
    """Nothing may be read relative to the working directory: migrate from an empty folder."""
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    proc = subprocess.run(
        [sys.executable, "-m", "wics_desktop", "--db", url, "db", "upgrade", "--json"],
        cwd=cwd, env=_clean_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert '"revision": "' in proc.stdout and (tmp_path / "x.sqlite").is_file()
    assert list(cwd.iterdir()) == []  # and nothing was written there either


# ---- the Windows installer and the Linux desktop entry ---------------------------------------

def test_inno_setup_script_matches_the_spec():
    iss = ISS.read_text(encoding="utf-8")
    consts = _spec_constants()
    assert f'#define GuiExe "{consts["GUI_EXE"]}.exe"' in iss
    assert f'#define CliExe "{consts["CLI_EXE"]}.exe"' in iss
    assert f'"..\\..\\dist\\{wics_desktop.APP_SLUG}"' in iss  # the spec's COLLECT folder
    assert "PrivilegesRequired=admin" in iss and "{autopf}" in iss  # per machine
    assert "{autoprograms}" in iss and "{autodesktop}" in iss  # Start menu and desktop
    assert 'GetStringFileInfo(AddBackslash(BundleDir) + GuiExe, "ProductVersion")' in iss
    assert "ProductVersion" in SPEC.read_text(encoding="utf-8")
    # relative paths in [Setup] are relative to the script's folder
    for key in ("SetupIconFile",):
        rel = re.search(rf"^{key}=(.+)$", iss, re.M).group(1).strip()
        assert (ISS.parent / rel.replace("\\", "/")).resolve().is_file(), rel
    assert not re.search(r"^\[UninstallDelete\]", iss, re.M)  # uninstall keeps the user's data
    assert r"{commonappdata}\wics\config.ini" in iss
    assert "SetIniString('database', 'url'" in iss


def test_config_the_installer_writes_is_what_the_app_reads(tmp_path, monkeypatch):
    """Windows' INI writer: `key=value`, no spaces; maybe a BOM if an admin edits it in Notepad;
    URL-encoded passwords contain '%'. The machine file applies unless the user has their own."""
    monkeypatch.setenv("WICS_CONFIG_DIR", str(tmp_path / "user"))
    monkeypatch.setenv("WICS_SITE_CONFIG_DIR", str(tmp_path / "machine"))
    monkeypatch.setenv("WICS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("WICS_DATABASE_URL", raising=False)
    machine = tmp_path / "machine" / "config.ini"
    machine.parent.mkdir()
    url = "mysql+pymysql://wics:p%40ss%3Aw@dbserver:3306/wics"
    machine.write_bytes(b"\xef\xbb\xbf[database]\r\nurl=" + url.encode() + b"\r\n")
    assert config.resolve_url() == url

    machine.write_text("[database]\nurl=\n", encoding="utf-8")  # "embedded database" answer
    assert config.resolve_url() == config.embedded_url()

    machine.write_text(f"[database]\nurl={url}\n", encoding="utf-8")
    config.write_config_url("mysql+pymysql://me:x%25y@own/wics")  # the user's own file wins
    assert config.resolve_url() == "mysql+pymysql://me:x%25y@own/wics"
    assert config.read_config_url() == "mysql+pymysql://me:x%25y@own/wics"


def test_linux_desktop_entry_and_installer():
    entry = (PACKAGING / "linux" / "wics-desktop.desktop").read_text(encoding="utf-8")
    fields = dict(line.split("=", 1) for line in entry.splitlines() if "=" in line)
    assert entry.startswith("[Desktop Entry]")
    assert fields["Type"] == "Application" and fields["Name"] == wics_desktop.APP_NAME
    assert fields["Exec"] == "wics-desktop" and fields["Icon"] == "wics-desktop"
    assert fields["Terminal"] == "false"
    build = (PACKAGING / "build.sh").read_text(encoding="utf-8")
    assert "wics-desktop.png" in build and "wics-desktop.svg" in build  # icon name = Icon=


@pytest.mark.parametrize("script", ["build.sh", "smoke.sh", "linux/install.sh"])
def test_shell_scripts_parse(script):
    path = PACKAGING / script
    assert os.access(path, os.X_OK), f"{script} is not executable"
    proc = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.gui
def test_app_icon_files_load_in_qt(qapp):
    """The helper the desktop uses for its window icon: SVG first, then every PNG, all loadable."""
    from PySide6.QtGui import QIcon, QImage

    from wics_desktop.resources import app_icon_files

    files = app_icon_files()
    assert [Path(str(f)).name for f in files] == (["wics.svg"]
                                                  + [f"wics-{s}.png" for s in ICON_SIZES])
    for f in files:
        assert not QImage(str(f)).isNull(), f
    icon = QIcon()
    for f in files:
        icon.addFile(str(f))
    assert icon.pixmap(16, 16).size().width() == 16


def test_every_package_folder_is_in_the_wheel():
    """A package folder missing from pyproject's explicit list is missing from an installed
    wheel (the app then fails on a fresh machine, while a source checkout works)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        pytest.skip("tomllib needs Python 3.11")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(pyproject["tool"]["setuptools"]["packages"])
    src = ROOT / "wics_desktop"
    found = {".".join(("wics_desktop",) + p.parent.relative_to(src).parts)
             for p in src.rglob("__init__.py")}
    assert found - listed == set()
