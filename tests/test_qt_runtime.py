"""The Qt binding must not corrupt the interpreter: PySide6 6.12.0 drops a reference to None on
every call of a void method (CPython < 3.12 then aborts with "deallocating None" after a few
thousand calls, e.g. while painting a PDF). pyproject excludes it; this catches a regression."""
from __future__ import annotations

import sys

import pytest


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_void_qt_calls_keep_none_alive():
    from PySide6.QtGui import QFont

    font = QFont()
    before = sys.getrefcount(None)
    for _ in range(1000):
        font.setBold(True)
    assert sys.getrefcount(None) - before > -100, "this PySide6 build leaks references to None"
