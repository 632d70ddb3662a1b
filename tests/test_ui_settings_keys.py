"""The desktop's QSettings keys are declared once, in ui/settings.py (name, type, default, what
it is for), and read and written only through those declarations. No database needed."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from wics_desktop.ui import settings

PACKAGE = Path(settings.__file__).resolve().parents[1]  # wics_desktop/
SETTINGS_MODULE = Path(settings.__file__).resolve()
# the first path segment of every declared key ("login/", "window/", ...)
PREFIXES = sorted({s.key.split("/", 1)[0] + "/" for s in settings.DECLARED})
KEY_LITERAL = re.compile("^(" + "|".join(map(re.escape, PREFIXES)) + r")[\w{}]")


@pytest.fixture
def config_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("WICS_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "config"


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.resolve() != SETTINGS_MODULE:
            yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def test_every_setting_is_declared_once_and_says_what_it_is_for():
    keys = [s.key for s in settings.DECLARED]
    assert len(keys) == len(set(keys))
    for s in settings.DECLARED:
        assert s.type in (str, int, list, bytes) and s.description.strip(), s.key
        assert s.default is None or isinstance(s.default, s.type), s.key


def test_no_settings_key_is_written_outside_the_settings_module():
    found = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if (isinstance(node, ast.Name) and node.id == "QSettings") or \
                    (isinstance(node, ast.alias) and node.name.endswith("QSettings")):
                found.append(f"{path}:{getattr(node, 'lineno', '?')}: QSettings used directly")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and KEY_LITERAL.match(node.value):
                found.append(f"{path}:{node.lineno}: key literal {node.value!r}")
            elif isinstance(node, ast.JoinedStr) and node.values \
                    and isinstance(node.values[0], ast.Constant) \
                    and KEY_LITERAL.match(str(node.values[0].value) + "x"):
                found.append(f"{path}:{node.lineno}: key built from a literal")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("get", "put") \
                    and isinstance(node.func.value, ast.Name) \
                    and node.func.value.id == "settings" and node.args \
                    and not isinstance(node.args[0], (ast.Attribute, ast.Name)):
                found.append(f"{path}:{node.lineno}: settings.{node.func.attr} without a "
                             "declared setting")
    assert not found, "\n".join(found)


def test_values_read_back_as_their_declared_type(config_dir):
    assert settings.get(settings.LAST_USER) == ""
    assert settings.get(settings.ACTIVITY_LINES) == 100
    assert settings.get(settings.OPEN_TABS, user="ann") == []
    settings.put(settings.LAST_USER, "ann")
    settings.put(settings.OPEN_TABS, ["materials"], user="ann")  # one item: an INI scalar
    settings.put(settings.OPEN_TABS, ["count_entry", "materials"], user="bob")
    settings.put(settings.ACTIVITY_LINES, 500)
    assert settings.get(settings.LAST_USER) == "ann"
    assert settings.get(settings.OPEN_TABS, user="ann") == ["materials"]
    assert settings.get(settings.OPEN_TABS, user="bob") == ["count_entry", "materials"]
    assert settings.get(settings.ACTIVITY_LINES) == 500
    settings.put(settings.ACTIVITY_LINES, "many")  # edited by hand: the default, not a crash
    assert settings.get(settings.ACTIVITY_LINES) == 100
    text = settings.settings_file().read_text()
    assert "last_user=ann" in text and "[window]" in text


def test_the_page_size_default_is_the_printing_default():
    from wics_desktop.ui.printing import output

    assert output.DEFAULT_PAGE_SIZE == settings.PAGE_SIZE.default in output.PAGE_SIZES
