"""The GUI reads and writes only through core: no module of wics_desktop/ui imports SQLAlchemy or
the ORM models (core.models). Lists, queries and lookups live in core (core.lists, the
services), so the same code serves the desktop, the command line and the permission checks.

Walks the source with `ast` (imports inside functions count too) instead of importing it."""
from __future__ import annotations

import ast
from pathlib import Path

import wics_desktop

PACKAGE = Path(wics_desktop.__file__).parent
UI = PACKAGE / "ui"
FORBIDDEN = ("sqlalchemy", "wics_desktop.core.models")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.AST, module: str, is_package: bool) -> list[str]:
    """The absolute dotted names an import statement brings in (`from ..core import models`
    names both wics_desktop.core and wics_desktop.core.models)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        base = ".".join(package[:len(package) - node.level + 1])
        source = f"{base}.{node.module}" if node.module else base
    else:
        source = node.module or ""
    return [source] + [f"{source}.{alias.name}" for alias in node.names]


def _forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)


def forbidden_imports(root: Path = UI) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            names = _imported(node, module, path.name == "__init__.py")
            bad = [n for n in names if _forbidden(n)]
            if bad:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: imports "
                             f"{bad[0]}")
    return found


def test_ui_imports_neither_sqlalchemy_nor_the_models():
    problems = forbidden_imports()
    assert not problems, "the GUI goes through core functions:\n" + "\n".join(problems)


def test_the_check_finds_each_form_of_import(tmp_path):
    """The walker itself: absolute, relative, `from package import module`, inside a function."""
    samples = {
        "a.py": "import sqlalchemy\n",
        "b.py": "from sqlalchemy.orm import Session\n",
        "c.py": "from ..core.models import Material\n",
        "d.py": "def f():\n    from ..core import models\n",
        "e.py": "from wics_desktop.core.models import AuditLog\n",
        "ok.py": "from ..core.services import mpns\nfrom ..core import clock\n"
                 "import json\n",
    }
    for name, text in samples.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    found = []
    for path in sorted(tmp_path.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = f"wics_desktop.ui.{path.stem}"
        for node in ast.walk(tree):
            if any(_forbidden(n) for n in _imported(node, module, False)):
                found.append((path.name, node.lineno))
    assert found == [("a.py", 1), ("b.py", 1), ("c.py", 1), ("d.py", 2), ("e.py", 1)]


# Where the desktop opens a session itself: the op worker (ui/ops.py), the background runner
# (ui/workers.py), start-up before any window (app.py) and the developer's one-screen launcher
# (standalone.py). Every screen reads through ctx.read and writes through ctx.op.
SESSION_OPENERS = {"ops.py", "workers.py", "app.py", "standalone.py"}


def sessions_opened(root: Path = UI) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name in SESSION_OPENERS and path.parent == root:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "session":
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return found


def test_screens_open_no_session_of_their_own():
    """A `with ....session()` in a screen runs SQL on the GUI thread: a silent server would
    freeze the window (tests/gui_thread_guard.py catches it when a test runs the line; this
    catches the lines no test runs)."""
    found = sessions_opened()
    assert not found, "read with ctx.read, write with ctx.op:\n" + "\n".join(found)
