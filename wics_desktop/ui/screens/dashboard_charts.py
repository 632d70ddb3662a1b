"""The dashboard's charts (pyqtgraph): bars, stacked bars and a line over categories, each one
clickable - a click on a bar or point says which category it hit - and paintable onto any
QPainter, so the printed dashboard is the same drawing in vectors.

Why pyqtgraph and not Qt Charts: see docs/dashboard.md (bundle size, print quality, speed).
`build_charts(board)` makes the six charts from core.reports.dashboard data; the screen shows
them, the printed document builds its own set at a fixed size.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter

from ...core.reports.dashboard import Dashboard

pg.setConfigOptions(antialias=True, background="w", foreground="k")

BAND_COLORS = {"danger": "#d9534f", "warning": "#f0ad4e", "success": "#5cb85c", "none": "#b0b0b0"}
SERIES = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf",
          "#bcbd22", "#7f7f7f"]
# Text sizes in pixels, never points: a point size painted onto a 1200-dpi page is sized for
# the page instead of for the chart scaled onto it.
TITLE_SIZE, SMALL_SIZE, TICK_PX = "13px", "10px", 10
MAX_TICKS = 12  # category labels shown along an axis (every n-th when there are more)
MAX_COUNTERS = 5  # counters shown by name; the rest are "Others" (the legend must fit)


@dataclass
class Stack:
    name: str
    values: Sequence[float]
    color: str


class PrintableAxis(pg.AxisItem):
    """An axis that can paint straight onto the page. pyqtgraph's axis records its drawing in
    a QPicture and replays it; replayed onto a 1200-dpi PDF the picture comes out scaled to the
    page's resolution (tick labels ten times too big, the axis line in the wrong place)."""

    direct = False

    def paint(self, p, opt, widget):
        if not self.direct:
            return super().paint(p, opt, widget)
        p.save()
        try:
            if self.style["tickFont"]:
                p.setFont(self.style["tickFont"])
            specs = self.generateDrawSpecs(p)
            if specs is not None:
                self.drawPicture(p, *specs)
        finally:
            p.restore()


class Chart(pg.PlotWidget):
    """A plot over categories 0..n-1; `clicked(index)` when a bar or point is clicked."""

    clicked = Signal(int)

    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent, axisItems={"left": PrintableAxis("left"),
                                            "bottom": PrintableAxis("bottom")})
        self.setAccessibleName(title)
        self.title = title
        self.labels: list[str] = []
        self.horizontal = False
        self.plotItem.setTitle(title, size=TITLE_SIZE, bold=True)
        self.plotItem.setMenuEnabled(False)
        self.plotItem.hideButtons()
        self.setMouseEnabled(x=False, y=False)  # a report, not an explorer: no pan, no zoom
        self.scene().sigMouseClicked.connect(self._scene_clicked)
        font = QFont()
        font.setPixelSize(TICK_PX)
        for axis in ("bottom", "left"):
            self.plotItem.getAxis(axis).setTickFont(font)
        self.setMinimumSize(240, 170)

    # ---- drawing ------------------------------------------------------------------------
    def reset(self, labels: Sequence[str], horizontal: bool = False) -> None:
        self.plotItem.clear()
        self.plotItem.setTitle(self.title, size=TITLE_SIZE, bold=True)
        self.labels = list(labels)
        self.horizontal = horizontal
        axis = self.plotItem.getAxis("left" if horizontal else "bottom")
        other = self.plotItem.getAxis("bottom" if horizontal else "left")
        other.setTicks(None)
        # as many labels as fit side by side (about 7 px a character at TICK_PX, plus a gap)
        longest = max((len(lab) for lab in self.labels), default=0)
        room = max(self.width(), 240) - 60
        most = max(2, min(MAX_TICKS, int(room / (longest * 7 + 16)) if longest else MAX_TICKS))
        step = max(1, math.ceil(len(self.labels) / most)) if not horizontal else 1
        axis.setTicks([[(i, lab) for i, lab in enumerate(self.labels) if i % step == 0]])
        if horizontal:
            self.plotItem.getViewBox().invertY(True)  # the first category at the top

    def legend(self, stacks: Sequence[Stack]) -> None:
        """The series' colours and names under the title: a legend inside the plot would
        cover bars."""
        keys = " &nbsp; ".join(f"<span style='color:{s.color}'>&#9632;</span> {s.name}"
                               for s in stacks)
        self.plotItem.setTitle(f"<b>{self.title}</b><br><span style='font-size:{SMALL_SIZE}; "
                               f"font-weight:normal'>{keys}</span>", size=TITLE_SIZE)

    def bars(self, stacks: Sequence[Stack], width: float = 0.7) -> None:
        """Bars stacked from 0 (positive values) - or one series, possibly negative."""
        if len(stacks) > 1:
            self.legend(stacks)
        base = [0.0] * len(self.labels)
        xs = list(range(len(self.labels)))
        for s in stacks:
            values = [float(v or 0) for v in s.values]
            bottoms = [b if v >= 0 else b + v for b, v in zip(base, values, strict=True)]
            heights = [abs(v) for v in values]
            brush = pg.mkBrush(s.color)
            pen = pg.mkPen(QColor(s.color).darker(130), width=0.6)
            if self.horizontal:
                item = pg.BarGraphItem(x0=bottoms, y=xs, height=width, width=heights,
                                       brush=brush, pen=pen)
            else:
                item = pg.BarGraphItem(x=xs, y0=bottoms, width=width, height=heights,
                                       brush=brush, pen=pen)
            self.plotItem.addItem(item)
            base = [b + v if v >= 0 else b for b, v in zip(base, values, strict=True)]
        self._fit(max(base + [0.0]), min([0.0] + [float(v or 0) for s in stacks
                                                  for v in s.values]))

    def line(self, values: Sequence[float | None], color: str = SERIES[0],
             name: str | None = None) -> None:
        xs = [i for i, v in enumerate(values) if v is not None]
        ys = [float(v) for v in values if v is not None]
        self.plotItem.addItem(pg.PlotDataItem(xs, ys, pen=pg.mkPen(color, width=2), symbol="o",
                                              symbolSize=6, symbolBrush=color,
                                              symbolPen=pg.mkPen("w", width=0.8), name=name))

    def note(self, index: int, value: float, text: str) -> None:
        """A small text at the end of bar `index` (how many days, how many materials)."""
        item = pg.TextItem(text, color="#333333", anchor=(0.5, 1) if not self.horizontal
                           else (0, 0.5))
        font = QFont()
        font.setPixelSize(TICK_PX + 1)
        item.setFont(font)
        self.plotItem.addItem(item)
        item.setPos(*((index, value) if not self.horizontal else (value, index)))

    def guide(self, value: float, color: str, label: str) -> None:
        """A dashed horizontal line (a band's edge) with its label."""
        pen = pg.mkPen(color, width=1, style=Qt.PenStyle.DashLine)
        self.plotItem.addItem(pg.InfiniteLine(pos=value, angle=0, pen=pen, label=label,
                                              labelOpts={"position": 0.02, "color": color,
                                                         "anchors": [(0, 1), (0, 1)]}))

    def value_range(self, low: float, high: float) -> None:
        if self.horizontal:
            self.plotItem.setXRange(low, high, padding=0.02)
        else:
            self.plotItem.setYRange(low, high, padding=0.02)

    def _fit(self, high: float, low: float) -> None:
        n = max(1, len(self.labels))
        if self.horizontal:
            self.plotItem.setYRange(-0.6, n - 0.4, padding=0)
            self.plotItem.setXRange(min(low, 0) * 1.05, max(high, 1) * 1.05, padding=0)
        else:
            self.plotItem.setXRange(-0.6, n - 0.4, padding=0)
            self.plotItem.setYRange(min(low, 0) * 1.05, max(high, 1) * 1.12, padding=0)

    def empty(self, text: str) -> None:
        self.reset([])
        item = pg.TextItem(text, color="#666666", anchor=(0.5, 0.5))
        self.plotItem.addItem(item)
        item.setPos(0.5, 0.5)
        self.plotItem.setXRange(0, 1)
        self.plotItem.setYRange(0, 1)
        self.plotItem.getAxis("bottom").setTicks([[]])
        self.plotItem.getAxis("left").setTicks([[]])

    # ---- clicking -----------------------------------------------------------------------
    def index_at(self, scene_pos) -> int | None:
        """The category under a scene position, if it is within the plot."""
        vb = self.plotItem.getViewBox()
        if not vb.sceneBoundingRect().contains(scene_pos) or not self.labels:
            return None
        point = vb.mapSceneToView(scene_pos)
        value = point.y() if self.horizontal else point.x()
        index = round(value)
        if 0 <= index < len(self.labels) and abs(value - index) <= 0.45:
            return index
        return None

    def _scene_clicked(self, event) -> None:
        index = self.index_at(event.scenePos())
        if index is not None:
            self.clicked.emit(index)

    def scene_point(self, index: int):
        """Where category `index` is in the scene (tests click there)."""
        vb = self.plotItem.getViewBox()
        x, y = (0.5, index) if self.horizontal else (index, 0.5)
        if not self.horizontal:
            y = vb.viewRange()[1][0] + (vb.viewRange()[1][1] - vb.viewRange()[1][0]) * 0.02
        else:
            x = vb.viewRange()[0][0] + (vb.viewRange()[0][1] - vb.viewRange()[0][0]) * 0.02
        return vb.mapViewToScene(pg.Point(x, y))

    # ---- printing -----------------------------------------------------------------------
    def for_print(self, width: int, height: int) -> None:
        """Lay the chart out at a fixed size, point symbols drawn as paths rather than cached
        bitmaps (sharp on paper). The chart is never shown, so its resize is applied now."""
        from PySide6.QtCore import QSize
        from PySide6.QtGui import QImage, QResizeEvent
        from PySide6.QtWidgets import QApplication

        old = self.size()
        self.resize(width, height)
        QApplication.sendEvent(self, QResizeEvent(QSize(width, height), old))
        # One paint lets the axes measure their labels and widen; the layout follows.
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        self.scene().render(painter)
        painter.end()
        QApplication.sendPostedEvents()
        self.plotItem.layout.activate()

    def paint_into(self, painter: QPainter, target: QRectF) -> None:
        """Draw the whole chart into `target`: the scene painted as vectors onto the page."""
        axes = [self.plotItem.getAxis(name) for name in ("left", "bottom")]
        for axis in axes:
            axis.direct = True
        # Lines and point symbols are sized in device pixels (cosmetic): on a 1200-dpi page a
        # 2-pixel line would be a hair. Widen them by the scene-to-page scale while painting.
        scale = target.width() / max(1.0, self.sceneRect().width())
        restore = []
        for item in self.plotItem.listDataItems():
            if not isinstance(item, pg.PlotDataItem):
                continue
            restore.append((item, item.opts["pen"]))
            pen = pg.mkPen(item.opts["pen"])
            pen.setWidthF(max(pen.widthF(), 1.0) * scale)
            item.setPen(pen)
            # export mode: symbols drawn as paths at the page's scale, not cached bitmaps
            item.scatter.setExportMode(True, {"antialias": True, "resolutionScale": scale})
        lines = [i for i in self.plotItem.items if isinstance(i, pg.InfiniteLine)]
        line_pens = [line.pen for line in lines]
        for line in lines:
            pen = pg.mkPen(line.pen)
            pen.setWidthF(max(pen.widthF(), 1.0) * scale)
            line.setPen(pen)
        try:
            self.scene().render(painter, target, self.sceneRect(),
                                Qt.AspectRatioMode.IgnoreAspectRatio)
        finally:
            for axis in axes:
                axis.direct = False
            for item, pen in restore:
                item.setPen(pen)
                item.scatter.setExportMode(False)
            for line, pen in zip(lines, line_pens, strict=True):
                line.setPen(pen)


# ---- the six charts of the dashboard -----------------------------------------------------------

CHART_TITLES = {
    "accuracy": "Mean accuracy %",
    "bands": "Share of materials per band %",
    "counters": "Counts per counter per day",
    "differences": "Largest differences by value",
    "overdue": "Overdue for counting, by ABC class",
    "sap": "Age of the SAP stock upload (days)",
}


def build_charts(board: Dashboard, parent=None) -> dict[str, Chart]:
    charts = {key: Chart(title, parent) for key, title in CHART_TITLES.items()}
    fill_charts(charts, board)
    return charts


def fill_charts(charts: dict[str, Chart], board: Dashboard) -> None:
    _accuracy(charts["accuracy"], board)
    _bands(charts["bands"], board)
    _counters(charts["counters"], board)
    _differences(charts["differences"], board)
    _overdue(charts["overdue"], board)
    _sap(charts["sap"], board)


def _accuracy(chart: Chart, board: Dashboard) -> None:
    points = board.accuracy
    if not points:
        chart.empty("Nothing was counted in this period.")
        return
    chart.reset([p.period for p in points])
    values = [p.mean_accuracy for p in points]
    chart.line(values)
    b = board.bands
    low = min([v for v in values if v is not None] + [b.danger]) - 2
    chart.guide(b.danger, BAND_COLORS["danger"], f"danger < {b.danger:g}")
    chart.guide(b.success, BAND_COLORS["success"], f"success > {b.success:g}")
    chart.plotItem.setXRange(-0.6, len(points) - 0.4, padding=0)
    chart.value_range(max(0.0, low), 100.5)


def _bands(chart: Chart, board: Dashboard) -> None:
    points = board.accuracy
    if not points:
        chart.empty("Nothing was counted in this period.")
        return
    chart.reset([p.period for p in points])
    chart.bars([Stack(name.title() if name != "none" else "No band",
                      [p.share(name) for p in points], BAND_COLORS[name])
                for name in ("success", "warning", "none", "danger")])
    chart.value_range(0, 100)


def _counters(chart: Chart, board: Dashboard) -> None:
    days = board.count_days()
    if not days:
        chart.empty("No counts in this period.")
        return
    names = board.counter_names()
    shown = names[:MAX_COUNTERS]
    index = {d: i for i, d in enumerate(days)}
    series = {n: [0] * len(days) for n in shown}
    others = [0] * len(days)
    for c in board.counters:
        target = series.get(c.counter, others)
        target[index[c.count_date]] += c.counts
    stacks = [Stack(n, series[n], SERIES[i % len(SERIES)]) for i, n in enumerate(shown)]
    if len(names) > len(shown):
        stacks.append(Stack("Others", others, "#cccccc"))
    chart.reset([d.strftime("%m-%d") for d in days])
    chart.bars(stacks, width=0.8)


def _differences(chart: Chart, board: Dashboard) -> None:
    diffs = board.differences
    if not diffs:
        chart.empty("No difference with a value in this period.")
        return
    chart.reset([f"{d.material} {d.count_date:%m-%d}" for d in diffs], horizontal=True)
    more = [d.diff_value if d.diff_value > 0 else 0 for d in diffs]
    less = [d.diff_value if d.diff_value < 0 else 0 for d in diffs]
    chart.bars([Stack("More than SAP", more, SERIES[0]),
                Stack("Less than SAP", less, BAND_COLORS["danger"])], width=0.65)


def _overdue(chart: Chart, board: Dashboard) -> None:
    rows = board.overdue
    chart.reset([f"{o.abc}: {o.due_days} d" for o in rows])
    chart.bars([Stack("On time", [o.materials - o.overdue for o in rows], BAND_COLORS["success"]),
                Stack("Overdue", [o.overdue - o.never_counted for o in rows],
                      BAND_COLORS["warning"]),
                Stack("Never counted", [o.never_counted for o in rows], BAND_COLORS["danger"])],
               width=0.55)
    chart.value_range(0, max([o.materials for o in rows] + [1]) * 1.2)
    for i, o in enumerate(rows):
        chart.note(i, o.materials, f"{o.overdue:,} of {o.materials:,}")


def _sap(chart: Chart, board: Dashboard) -> None:
    rows = board.sap
    if not rows:
        chart.empty("No organizations.")
        return
    chart.reset([f"{f.org} ({f.last_upload.isoformat() if f.last_upload else 'none'})"
                 for f in rows])
    fresh = [f.days_old if f.days_old is not None and f.days_old <= 1 else 0 for f in rows]
    stale = [f.days_old if f.days_old is not None and f.days_old > 1 else 0 for f in rows]
    chart.bars([Stack("0-1 days", fresh, BAND_COLORS["success"]),
                Stack("Older", stale, BAND_COLORS["danger"])], width=0.5)
    top = max([f.days_old or 0 for f in rows] + [1])
    chart.value_range(0, top * 1.25)
    for i, f in enumerate(rows):
        chart.note(i, f.days_old or 0, "no upload" if f.days_old is None
                   else f"{f.days_old} day{'s' if f.days_old != 1 else ''} old")
