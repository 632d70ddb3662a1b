"""The Count Summary's supervisor actions (the counting loop): Approve, Recount…, Schedule all
recounts…, and the legend that says what the colours and the RECOUNT flag mean.

Kept apart from the screen so the screen stays about showing the report. Every action goes
through core.services.reviews (permissions, audit, the same rules as `wics count approve` and
`wics recount schedule`); after it the summary reloads, and "Schedule and open count sheets"
takes the supervisor straight to the day's sheets to print them.
"""
from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import WicsError
from ...core.reports.count_summary import CountSummary, SummaryMaterial
from ...core.reports.numbers import band_words
from ...core.services import reviews
from ...core.services.schedule import next_workday
from ..printing.style import BAND_COLORS
from .common import date_edit, from_qdate

SAME_COUNTER = "(the same counter)"


def legend_html(summary: CountSummary | None) -> str:
    """Coloured chips with the words the paper legend uses, and the recount rule."""
    if summary is None:
        return ""
    b, rule = summary.bands, summary.rule
    chips = []
    for band in ("danger", None, "warning", "success"):
        colour = BAND_COLORS[band].name() if band else "transparent"
        chips.append(f'<span style="background-color:{colour}; color:black">'
                     f"&nbsp;{html.escape(band_words(band, b))}&nbsp;</span>")
    value = (f" or |value| &gt; {rule.above_value:,.2f}" if rule.above_value > 0
             else " (value rule off)")
    chips.append(f'<span style="background-color:{BAND_COLORS["danger"].name()}; '
                 f'color:black"><b>&nbsp;RECOUNT&nbsp;</b></span>: accuracy &lt; '
                 f"{rule.below_accuracy:g}%{value}, unless approved")
    return "Legend:&nbsp; " + " &nbsp; ".join(chips)


def value_footer(summary: CountSummary | None) -> str:
    """The total absolute value at stake per organization (the contract's totals)."""
    if summary is None:
        return ""
    bits = []
    for org in summary.orgs:
        _signed, absolute = org.value_totals()
        cur = org.currencies()
        unit = f" {cur[0]}" if len(cur) == 1 else (" (mixed currencies)" if cur else "")
        # a material scheduled but not counted differs by its whole book quantity: say how
        # much of the total is that, so it is not mistaken for counting differences
        uncounted = sum(abs(m.diff_value) for sec in org.sections for m in sec.materials
                        if m.recount is None and m.diff_value)
        note = f" ({uncounted:,.2f} of it not counted)" if uncounted else ""
        bits.append(f"{org.org} {absolute:,.2f}{unit}{note}")
    flagged = len(summary.to_recount())
    return f"Value at stake: {' · '.join(bits)}  ·  {flagged} flagged for recount"


class RecountDialog(QDialog):
    """When, by whom and how the chosen materials are recounted."""

    def __init__(self, parent: QWidget | None, materials: list[SummaryMaterial],
                 default_date: dt.date, counters: list[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recount")
        names = ", ".join(m.material for m in materials[:8])
        more = f" and {len(materials) - 8} more" if len(materials) > 8 else ""
        intro = QLabel(f"Recount {len(materials)} material(s): {names}{more}")
        intro.setWordWrap(True)
        self.date = date_edit(default_date, self)
        self.date.setAccessibleName("Recount date")
        self.counter = QComboBox(self)
        self.counter.setEditable(True)
        self.counter.addItems([SAME_COUNTER, *counters])
        self.counter.setAccessibleName("Counter")
        self.blind = QCheckBox("Blind count sheet (no SAP quantity)", self)
        self.blind.setChecked(True)
        form = QFormLayout()
        form.addRow("&Date:", self.date)
        form.addRow("&Counter:", self.counter)
        form.addRow("", self.blind)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, parent=self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Schedule recount")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def choice(self) -> tuple[dt.date, str | None, bool]:
        text = self.counter.currentText().strip()
        return (from_qdate(self.date.date()), None if text in ("", SAME_COUNTER) else text,
                self.blind.isChecked())


class ReviewActions(QObject):
    """Approve / Recount… / Schedule all recounts… for a CountSummaryScreen."""

    def __init__(self, screen) -> None:
        super().__init__(screen)
        self.screen = screen
        self.approve_button = QPushButton("Approve", screen)
        self.approve_button.setToolTip("Accept the selected materials' results: the recount "
                                       "flag clears (supervisor; audited)")
        self.recount_button = QPushButton("Recount…", screen)
        self.recount_button.setToolTip("Schedule the selected materials again (next workday, "
                                       "same counter, blind sheet by default)")
        self.all_button = QPushButton("Schedule all recounts…", screen)
        self.all_button.setToolTip("Schedule every material flagged RECOUNT on this date")
        self.approve_button.clicked.connect(lambda: self.approve())
        self.recount_button.clicked.connect(lambda: self.recount())
        self.all_button.clicked.connect(lambda: self.schedule_all())
        self.buttons = [self.approve_button, self.recount_button, self.all_button]
        allowed = screen.ctx.can("approve_counts")
        for b in self.buttons:
            b.setVisible(allowed)  # a clerk reads the summary; supervisors act on it
        self.recount_dialog = RecountDialog  # tests put a scripted dialog here

    # ---- what is selected -----------------------------------------------------------------
    def selected(self) -> list[SummaryMaterial]:
        """The materials of the selected rows (a count line selects its material), in order."""
        out: dict[int, SummaryMaterial] = {}
        tree, proxy = self.screen.tree, self.screen.proxy
        for index in tree.selectionModel().selectedRows(0):
            node = self.screen.model.node(proxy.mapToSource(index))
            while node is not None and node.kind not in ("material", "root"):
                node = node.parent
            if node is not None and node.kind == "material":
                out.setdefault(node.payload.material_id, node.payload)
        return list(out.values())

    def _date(self) -> dt.date:
        return self.screen.options()["count_date"]

    def _done(self, text: str) -> None:
        # the reload clears the banner when it lands: say what was done after it
        self._pending = text
        self.screen.banner.show_message(text, "success")
        self.screen.load()

    def after_load(self) -> None:
        """The screen has shown a fresh report: repeat what the last action did."""
        text, self._pending = getattr(self, "_pending", None), None
        if text:
            self.screen.banner.show_message(text, "success")

    def _fail(self, exc: WicsError) -> None:
        self.screen.banner.show_message(str(exc), "error")

    # ---- the actions ----------------------------------------------------------------------
    def approve(self) -> bool:
        chosen = [m for m in self.selected() if m.recount is not None]
        if not chosen:
            self.screen.banner.show_message("Select one or more counted materials to approve.",
                                            "info")
            return False
        day = self._date()
        ctx = self.screen.ctx
        return ctx.op(reviews.approve, ctx.actor, day, [m.material_id for m in chosen],
                      owner=self.screen, on_error=self._fail, what="approving the counts",
                      on_done=lambda done: self._done(
                          f"Approved for {day.isoformat()}: "
                          + ", ".join(a.material for a in done))).ok

    def recount(self) -> bool:
        chosen = [m for m in self.selected() if m.recount is not None]
        if not chosen:
            self.screen.banner.show_message("Select one or more counted materials to recount.",
                                            "info")
            return False
        day = self._date()
        default = self.screen.ctx.read(next_workday, day, owner=self.screen)
        counters = sorted({c for _, _, m in self.screen.report.rows() for c in m.counters})
        dialog = self.recount_dialog(self.screen, chosen, default, counters)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        when, counter, blind = dialog.choice()
        return self._schedule(day, when, [m.material_id for m in chosen], counter, blind,
                              open_sheets=False)

    def schedule_all(self) -> bool:
        """Every flagged material of the date, for the next workday, in one action."""
        report = self.screen.report
        flagged = report.to_recount() if report is not None else []
        if not flagged:
            self.screen.banner.show_message("No material is flagged for recount on this date.",
                                            "info")
            return False
        waiting = [m for m in flagged if m.recount_for is None]
        if not waiting:
            days = sorted({m.recount_for.isoformat() for m in flagged})
            self.screen.banner.show_message(
                f"All {len(flagged)} flagged material(s) are already scheduled for recount "
                f"({', '.join(days)}): open Count Sheets for that day to print them.", "info")
            return False
        flagged = waiting
        day = self._date()
        when = self.screen.ctx.read(next_workday, day, owner=self.screen)
        names = ", ".join(m.material for m in flagged[:10]) + (
            f" and {len(flagged) - 10} more" if len(flagged) > 10 else "")
        box = QMessageBox(QMessageBox.Icon.Question, "Schedule all recounts",
                          f"Schedule {len(flagged)} recount(s) for {when:%a %Y-%m-%d} (same "
                          f"counter, blind sheets)?\n\n{names}", parent=self.screen)
        open_button = box.addButton("Schedule and open count sheets",
                                    QMessageBox.ButtonRole.AcceptRole)
        only = box.addButton("Schedule only", QMessageBox.ButtonRole.ApplyRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(open_button)
        clicked = self.run_box(box)
        if clicked not in (open_button, only):
            return False
        return self._schedule(day, when, None, None, True, open_sheets=clicked is open_button)

    def run_box(self, box: QMessageBox):  # tests replace this with a scripted click
        box.exec()
        return box.clickedButton()

    def _schedule(self, day, when, ids, counter, blind, open_sheets: bool) -> bool:
        def scheduled(result) -> None:
            text = (f"{len(result.scheduled)} recount(s) scheduled for "
                    f"{result.for_date.isoformat()}")
            if result.skipped:
                text += "; skipped: " + "; ".join(f"{x['material']} ({x['reason']})"
                                                  for x in result.skipped)
            self._done(text)
            self.screen.ctx.notices.changed.emit("schedule")
            if open_sheets:
                self.screen.ctx.open("count_sheets", count_date=result.for_date)

        ctx = self.screen.ctx
        return ctx.op(reviews.schedule_recounts, ctx.actor, day, when, ids, counter=counter,
                      blind=blind, owner=self.screen, on_done=scheduled, on_error=self._fail,
                      what="scheduling the recounts").ok

