"""wics_desktop.resources lives in the top-level resources/ folder, mapped into the package by
[tool.setuptools.package-dir]. PyInstaller's module finder does not follow setuptools' editable
mapping, so point it at the folder the installed package really uses."""
import importlib.util
from pathlib import Path


def pre_find_module_path(api):
    spec = importlib.util.find_spec(api.module_name)
    folder = Path(list(spec.submodule_search_locations)[0])
    api.search_dirs = [str(folder.parent)]  # the finder looks for "resources" in these folders
