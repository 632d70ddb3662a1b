"""Code128 barcodes drawn as vector bars with QPainter.

python-barcode computes the symbol (start code, the cheapest code-set switching, checksum, stop)
as a string of modules, '1' for a bar and '0' for a space; we fill one rectangle per bar, so the
bars stay sharp at any printer resolution and in the PDF. Sizes are in device units.
"""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter

QUIET_MODULES = 10  # the symbology asks for at least 10 module widths of white either side


class BarcodeError(ValueError):
    """The text cannot be encoded (a character outside Code128's set)."""


@lru_cache(maxsize=4096)
def modules(text: str) -> str:
    """The module pattern of `text` ('1' bar, '0' space), quiet zones not included."""
    import barcode

    if not text:
        raise BarcodeError("nothing to encode")
    try:
        return barcode.get("code128", text).build()[0]
    except Exception as exc:  # python-barcode raises its own error types for bad characters
        raise BarcodeError(str(exc)) from exc


def encodable(text: str) -> bool:
    try:
        modules(text)
    except BarcodeError:
        return False
    return True


@lru_cache(maxsize=4096)
def bar_runs(pattern: str) -> tuple[tuple[int, int], ...]:
    """(first module, width in modules) of every bar."""
    runs, start = [], None
    for i, m in enumerate(pattern):
        if m == "1" and start is None:
            start = i
        elif m == "0" and start is not None:
            runs.append((start, i - start))
            start = None
    if start is not None:
        runs.append((start, len(pattern) - start))
    return tuple(runs)


def symbol_width(text: str, module: float) -> float:
    """Width of the symbol including both quiet zones."""
    return (len(modules(text)) + 2 * QUIET_MODULES) * module


def paint(painter: QPainter, x: float, y: float, text: str, module: float,
          height: float) -> float:
    """Draw the symbol with its left quiet zone starting at x; returns the total width."""
    pattern = modules(text)
    left = x + QUIET_MODULES * module
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(Qt.GlobalColor.black)
    for first, width in bar_runs(pattern):
        painter.drawRect(QRectF(left + first * module, y, width * module, height))
    painter.restore()
    return (len(pattern) + 2 * QUIET_MODULES) * module
