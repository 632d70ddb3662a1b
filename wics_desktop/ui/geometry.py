"""Windows that fit the screen they are on: the one helper every window and dialog uses.

Warehouse PCs mostly have 1366×768 screens. A window larger than the screen's available area
(the screen minus task bars) hides its bottom row: the status bar, a wizard's Back/Next, a
dialog's OK. So:

- `fit_to_screen(widget, width, height)` gives a window the size it asks for, but never more
  than the available area of its screen, and moves it inside that area;
- `first_run_size(window)` sizes the main window on its first start: maximized on screens up
  to 1366×768, else a comfortable 1280×800 (or less) centred;
- `restore_or_fit(window, name, ...)` brings back a remembered geometry only when it still fits
  the current screen (a laptop moved from a big monitor), else it is corrected;
- `ScreenFitter`, installed on the application, applies `fit_to_screen` to every window when it
  is shown, so message boxes, file dialogs and Qt's own dialogs are covered as well.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication, QWidget

SMALL_SCREEN = QSize(1366, 768)  # up to this, the main window starts maximized
MAIN_DEFAULT = QSize(1280, 800)
# A window manager's frame around a window not yet shown (title bar, borders); once shown, the
# real frame is measured.
FRAME_ALLOWANCE = QSize(8, 32)


def screen_of(widget: QWidget | None) -> QScreen:
    screen = None
    if widget is not None:
        parent = widget.parentWidget()
        screen = (parent.window().screen() if parent is not None else None) or widget.screen()
    return screen or QGuiApplication.primaryScreen()


def available(widget: QWidget | None = None) -> QRect:
    """The area of the widget's screen that windows may use (task bars excluded)."""
    return screen_of(widget).availableGeometry()


def _frame(widget: QWidget) -> QSize:
    if widget.isVisible():
        outer, inner = widget.frameGeometry(), widget.geometry()
        return QSize(outer.width() - inner.width(), outer.height() - inner.height())
    return FRAME_ALLOWANCE


def largest_client_size(widget: QWidget) -> QSize:
    """The biggest window content that, with its frame, still fits the available area."""
    area, frame = available(widget), _frame(widget)
    return QSize(max(200, area.width() - frame.width()), max(150, area.height() - frame.height()))


def fit_to_screen(widget: QWidget, width: int | None = None, height: int | None = None) -> QSize:
    """Size `widget` (a window) to width×height (default: its current size) but never larger
    than its screen's available area, and move it inside that area. Returns the new size."""
    limit = largest_client_size(widget)
    wanted = QSize(width or widget.width(), height or widget.height())
    size = wanted.boundedTo(limit)
    # a layout's minimum larger than the screen would push the window's edge off it: the
    # screen wins, and the content (scroll areas, tables) takes the squeeze
    if widget.minimumWidth() > limit.width() or widget.minimumHeight() > limit.height():
        widget.setMinimumSize(widget.minimumSize().boundedTo(limit))
    if size != widget.size():
        widget.resize(size)
    move_inside(widget)
    return widget.size()


def move_inside(widget: QWidget) -> None:
    """Move a window so that its frame lies inside the available area."""
    area, frame = available(widget), _frame(widget)
    geo = widget.frameGeometry() if widget.isVisible() else QRect(
        widget.pos(), widget.size() + frame)
    x = min(max(geo.x(), area.left()), max(area.left(), area.right() + 1 - geo.width()))
    y = min(max(geo.y(), area.top()), max(area.top(), area.bottom() + 1 - geo.height()))
    if (x, y) != (geo.x(), geo.y()):
        widget.move(x, y)


def fits(widget: QWidget) -> bool:
    """The window (with its frame) lies inside its screen's available area."""
    area = available(widget)
    geo = widget.frameGeometry() if widget.isVisible() else QRect(
        widget.pos(), widget.size() + _frame(widget))
    return area.contains(geo)


def first_run_size(window: QWidget) -> None:
    """The main window's size when nothing is remembered."""
    area = available(window)
    if area.width() <= SMALL_SCREEN.width() or area.height() <= SMALL_SCREEN.height():
        # the whole available area, and maximized (a window manager then fits the frame in;
        # without one, the window already covers the area), so the status bar is on screen
        window.setGeometry(area)
        window.setProperty("start_maximized", True)
        return
    window.setProperty("start_maximized", False)
    fit_to_screen(window, MAIN_DEFAULT.width(), MAIN_DEFAULT.height())
    frame = window.frameGeometry()
    frame.moveCenter(area.center())
    window.move(frame.topLeft())


def show_window(window: QWidget) -> None:
    """Show a window maximized when first_run_size asked for it, else as it is."""
    if window.property("start_maximized"):
        window.showMaximized()
    else:
        window.show()
    if not fits(window):  # now that its frame is known (no window manager to maximize it)
        fit_to_screen(window)


def restore_or_fit(window: QWidget, name: str) -> bool:
    """Bring back the remembered geometry, corrected when it no longer fits this screen (saved
    on a bigger monitor). Returns False when nothing is remembered (the caller sizes it)."""
    from . import settings

    if not settings.restore_geometry(window, name):
        return False
    if not (window.isMaximized() or window.isFullScreen()) and not fits(window):
        fit_to_screen(window)
    return True


class ScreenFitter(QObject):
    """Application-wide: every window, when shown, is fitted to its screen."""

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(obj, QWidget) and obj.isWindow() \
                and not obj.isMaximized() and not obj.isFullScreen() \
                and obj.windowType() not in _NOT_WINDOWS:
            fit_to_screen(obj)
        return False


_NOT_WINDOWS = ()  # filled lazily: popups and tool tips place themselves


def install(app: QApplication) -> ScreenFitter:
    from PySide6.QtCore import Qt

    global _NOT_WINDOWS
    _NOT_WINDOWS = (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.SplashScreen)
    fitter = getattr(app, "_wics_screen_fitter", None)
    if fitter is None:
        fitter = ScreenFitter(app)
        app.installEventFilter(fitter)
        app._wics_screen_fitter = fitter
    return fitter
