"""Every keyboard shortcut of the desktop, declared once.

The widgets take their keys from here (`keys("close_screen")`), and F1's list is made from
here, so the list can no longer forget a key (it missed Alt+O, Alt+G and F9) and a key cannot
be registered twice by accident (Ctrl+W was, and an ambiguous shortcut does nothing on Linux).
A test checks the table for clashes: within one scope, and between a screen's keys and the
window's, since window keys work on every screen.

Scopes: "window" keys work everywhere in the main window; the others only on their screen.
Keys are QKeySequence portable text ("Ctrl+W").
"""
from __future__ import annotations

from dataclasses import dataclass

WINDOW = "window"


@dataclass(frozen=True)
class Shortcut:
    name: str
    keys: tuple[str, ...]
    scope: str
    text: str  # what F1 says it does
    menu: bool = False  # an Alt+letter of the menu bar (a mnemonic, not a QAction key)


TABLE: tuple[Shortcut, ...] = (
    Shortcut("count_entry", ("F2",), WINDOW, "Count Entry, from anywhere"),
    Shortcut("save", ("Ctrl+S",), WINDOW, "Save"),
    Shortcut("new", ("Ctrl+N",), WINDOW, "New record"),
    Shortcut("find", ("Ctrl+F",), WINDOW, "Find / search"),
    Shortcut("refresh", ("F5",), WINDOW, "Refresh"),
    Shortcut("close_screen", ("Ctrl+W", "Ctrl+F4"), WINDOW, "Close the screen"),
    Shortcut("next_screen", ("Ctrl+Tab",), WINDOW, "Next screen"),
    Shortcut("previous_screen", ("Ctrl+Shift+Tab",), WINDOW, "Previous screen"),
    # F6 (not Alt+N: "&New", "&Notes" and the wizards' "&Next" are Alt+N on their screens)
    Shortcut("navigation", ("F6",), WINDOW, "Go to the navigation"),
    Shortcut("toggle_navigation", ("Ctrl+Shift+N",), WINDOW, "Show or hide the navigation"),
    Shortcut("sync", ("F9",), WINDOW, "Send offline counts and sync now"),
    Shortcut("quit", ("Ctrl+Q",), WINDOW, "Quit"),
    Shortcut("help", ("F1",), WINDOW, "This list of keyboard shortcuts"),
    Shortcut("print", ("Ctrl+P",), "reports", "Reports: print"),
    # The menu bar's only Alt+letter: the others (File, Record, View, Help) would take the
    # screens' "&Remove", "&Refresh", "Count &history"...; F10 or Alt alone reach them.
    Shortcut("menu_go", ("Alt+G",), WINDOW, "Go menu: every screen of your menus", menu=True),
    Shortcut("location_only", ("Alt+O",), "count_entry",
             "Count Entry: tick or untick Location only (the cursor stays where it is)"),
    Shortcut("undo_save", ("Ctrl+Z",), "count_entry", "Count Entry: undo the count just saved"),
    Shortcut("count_history", ("Alt+H",), "material", "Material: the Count history tab"),
    Shortcut("copy_rows", ("Ctrl+C",), "lists",
             "In a list: copy the selected rows (pastes into Excel)"),
)

# Keys a person reads about but no action owns (Qt's own behaviour): listed in F1 only.
NOTES: tuple[tuple[str, str], ...] = (
    ("Enter", "Count Entry: next field; in Quantity it saves"),
    ("Tab", "Next field, in the order the fields are on screen"),
)

_BY_NAME = {s.name: s for s in TABLE}


def get(name: str) -> Shortcut:
    return _BY_NAME[name]


def keys(name: str) -> list:
    """The QKeySequences of a shortcut, for QAction.setShortcuts / QShortcut."""
    from PySide6.QtGui import QKeySequence

    return [QKeySequence(k) for k in _BY_NAME[name].keys]


def key_text(name: str) -> str:
    return _BY_NAME[name].keys[0]


def clashes(extra: dict[str, list[str]] | None = None) -> list[str]:
    """Keys claimed twice where both would be live at once. `extra` adds keys used on a
    screen that are not in the table (a screen's Alt+letter mnemonics), by scope."""
    from PySide6.QtGui import QKeySequence

    def norm(key: str) -> str:
        return QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText).lower()

    claims: dict[str, dict[str, list[str]]] = {}
    for s in TABLE:
        for k in s.keys:
            claims.setdefault(s.scope, {}).setdefault(norm(k), []).append(s.name)
    for scope, ks in (extra or {}).items():
        for k in ks:
            claims.setdefault(scope, {}).setdefault(norm(k), []).append(f"{scope}:{k}")
    found = []
    window = claims.get(WINDOW, {})
    for scope, by_key in claims.items():
        for key, owners in by_key.items():
            both = owners + (window.get(key, []) if scope != WINDOW else [])
            if len(both) > 1:
                found.append(f"{key}: {', '.join(both)}")
    return sorted(set(found))


def help_html() -> str:
    rows = [(" / ".join(s.keys), s.text) for s in TABLE] + list(NOTES)
    cells = "".join(f"<tr><td><b>{k}</b></td><td>{t}</td></tr>" for k, t in rows)
    return f"<table cellpadding=3>{cells}</table>"
