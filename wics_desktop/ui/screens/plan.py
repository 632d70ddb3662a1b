"""Count Plan: the day's proposal from the planner, grouped by counter, for a supervisor to
adjust and apply.

Propose asks the core planner (on a worker) for the date, capacity and counters given. The
tree shows one branch per counter with its totals; lines already scheduled for the day are
shown greyed in their counter's branch (they count against the capacity and cannot be
changed here). The supervisor removes lines, moves lines to another counter, or hands all of
a counter's lines to someone else, then Apply writes the proposals as schedule entries
(reason Planned) on a worker and offers to print the count sheets.
"""
from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from ...core.errors import WicsError
from ...core.services import planner, schedule
from ...core.services.fields import plural
from .. import errors
from ..screen_base import Screen
from .common import Banner, date_edit, from_qdate, to_qdate

COLUMNS = ["Material", "Org", "Class", "Last counted", "Value on hand", "Zone", "Location",
           "Why"]
LINE_ROLE = Qt.ItemDataRole.UserRole + 1
NO_COUNTER = "(no counter)"


class PlanScreen(Screen):
    def __init__(self, ctx, parent=None, count_date=None) -> None:
        super().__init__(ctx, parent)
        self.set_title("Count Plan")
        if count_date is None:
            count_date = ctx.read(schedule.next_workday, owner=self)
        self.plan: planner.Plan | None = None
        self.lines: list[planner.PlanLine] = []  # the proposals as the supervisor edits them
        self.loading = False
        self.applied = False
        self._generation = 0  # a newer Propose wins over an older one still running

        self.date = date_edit(count_date, self)
        self.capacity = QSpinBox(self)
        self.capacity.setRange(0, 500)
        self.capacity.setSpecialValueText("each counter's own")
        self.capacity.setAccessibleName("Capacity per counter")
        self.capacity.setMinimumWidth(150)
        self.counters = QLineEdit(self)
        self.counters.setPlaceholderText("everyone who counted lately")
        self.counters.setAccessibleName("Counters (comma-separated)")
        self.propose_button = QPushButton("&Propose")
        self.propose_button.clicked.connect(self.propose)
        self.apply_button = QPushButton("&Apply…")
        self.apply_button.clicked.connect(self.apply)
        self.apply_button.setEnabled(False)
        top = QHBoxLayout()
        for text, widget in (("&Date", self.date), ("&Capacity", self.capacity),
                             ("C&ounters", self.counters)):
            label = QLabel(text)
            label.setBuddy(widget)
            top.addWidget(label)
            top.addWidget(widget, 1 if widget is self.counters else 0)
        top.addWidget(self.propose_button)
        top.addWidget(self.apply_button)

        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAccessibleName("Proposals by counter")
        for col, width in enumerate((170, 50, 50, 100, 120, 90, 130)):
            self.tree.setColumnWidth(col, width)

        self.remove_button = QPushButton("&Remove lines")
        self.remove_button.clicked.connect(self.remove_selected)
        self.move_to = QComboBox(self)
        self.move_to.setAccessibleName("Move to counter")
        self.move_to.setEditable(True)
        self.move_to.setMinimumWidth(140)
        self.move_button = QPushButton("&Move lines to")
        self.move_button.clicked.connect(lambda: self.move_selected(self.move_to.currentText()))
        self.rename_button = QPushButton("C&hange counter…")
        self.rename_button.clicked.connect(self._ask_change_counter)
        self.capacity_button = QPushButton("Counter's own capacit&y…")
        self.capacity_button.setToolTip("How many materials a counter counts a day, when no "
                                        "capacity is given above (0 = not planned)")
        self.capacity_button.clicked.connect(self._ask_own_capacity)
        edit = QHBoxLayout()
        for w in (self.remove_button, self.move_button, self.move_to, self.rename_button):
            edit.addWidget(w)
        edit.addStretch(1)
        edit.addWidget(self.capacity_button)
        QShortcut(QKeySequence.StandardKey.Delete, self.tree, self.remove_selected)

        self.banner = Banner()
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.tree, 1)
        layout.addLayout(edit)
        layout.addWidget(self.status)
        self._enable()
        self.date.dateChanged.connect(lambda _d: self.propose())
        self.propose()

    # ---- asking the planner ---------------------------------------------------------------
    def options(self) -> dict:
        text = self.counters.text().strip()
        return {"day": from_qdate(self.date.date()),
                "capacity": self.capacity.value() or None,
                "counters": text or None}

    def propose(self) -> None:
        self.loading = True
        self.status.setText("Planning…")
        self._generation += 1
        generation = self._generation
        self.ctx.runner.submit(planner.propose, self.ctx.actor, title="Planning counts",
                               owner=self,
                               on_result=lambda plan: self._proposed(generation, plan),
                               on_error=lambda failure: self._failed(generation, failure),
                               **self.options())

    def _proposed(self, generation: int, plan: planner.Plan) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self.applied = False
        self.plan = plan
        self.lines = list(plan.proposals)
        self.banner.clear_message()
        if plan.due_left:
            self.banner.show_message(
                f"{plural(plan.due_left, 'more material')} due but not planned: the counters' "
                f"capacity is used up.", "info")
        self.fill()

    def _failed(self, generation: int, failure) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self.plan, self.lines = None, []
        self.fill()
        if isinstance(failure.error, WicsError):
            self.banner.show_message(str(failure.error), "warning")
            self.status.setText("")
        else:
            errors.handle(failure.error, self, "planning counts", failure.traceback)

    # ---- the tree ------------------------------------------------------------------------
    def counter_names(self) -> list[str]:
        names = [c.counter for c in self.plan.counters] if self.plan else []
        for p in self.lines:
            if p.counter not in names:
                names.append(p.counter)
        return names

    def fill(self) -> None:
        self.tree.clear()
        if self.plan is None:
            self.move_to.clear()
            self._enable()
            return
        loads = {c.counter: c for c in self.plan.counters}
        grey = QBrush(self.palette().color(self.palette().ColorGroup.Disabled,
                                           self.palette().ColorRole.Text))
        groups = self.counter_names()
        for p in self.plan.scheduled:  # entries of counters not in the plan keep their own branch
            if p.counter not in groups:
                groups.append(p.counter)
        for counter in groups:
            mine = [p for p in self.lines if p.counter == counter]
            fixed = [p for p in self.plan.scheduled if p.counter == counter]
            load = loads.get(counter)
            cap = f", capacity {load.capacity}" if load else ""
            head = QTreeWidgetItem([
                f"{counter or NO_COUNTER}",
                "", "", "", f"{sum(p.value for p in mine):,.2f}", "", "",
                f"{plural(len(mine), 'proposal')} + {len(fixed)} already scheduled{cap}"])
            font = head.font(0)
            font.setBold(True)
            for col in range(len(COLUMNS)):
                head.setFont(col, font)
            head.setFlags(head.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.tree.addTopLevelItem(head)
            for p in mine:
                head.addChild(self._item(p))
            for p in fixed:
                item = self._item(p)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                for col in range(len(COLUMNS)):
                    item.setForeground(col, grey)
                head.addChild(item)
            head.setExpanded(True)
        current = self.move_to.currentText()
        self.move_to.clear()
        self.move_to.addItems([c for c in self.counter_names() if c])
        if current:
            self.move_to.setCurrentText(current)
        total_value = sum(p.value for p in self.lines)
        self.status.setText(
            f"{plural(len(self.lines), 'proposal')} for "
            f"{plural(len([c for c in self.counter_names() if c]), 'counter')} on "
            f"{self.plan.date:%a %Y-%m-%d} · value on hand {total_value:,.2f} · "
            f"{len(self.plan.scheduled)} already scheduled"
            + (" · applied" if self.applied else ""))
        self._enable()

    def _item(self, p: planner.PlanLine) -> QTreeWidgetItem:
        item = QTreeWidgetItem([
            p.material, p.org, p.abc,
            p.last_count_date.isoformat() if p.last_count_date else "never",
            f"{p.value:,.2f}", p.zone or "", p.location or "", p.why])
        item.setTextAlignment(4, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setToolTip(7, p.why)
        item.setData(0, LINE_ROLE, p.material_id if p.schedule_id is None else None)
        return item

    def _enable(self) -> None:
        has = bool(self.lines) and not self.applied
        for b in (self.remove_button, self.move_button, self.rename_button):
            b.setEnabled(has)
        self.apply_button.setEnabled(has)

    def selected_ids(self) -> list[int]:
        return [mid for item in self.tree.selectedItems()
                if (mid := item.data(0, LINE_ROLE)) is not None]

    # ---- changing the proposal -----------------------------------------------------------
    def remove_selected(self) -> None:
        ids = set(self.selected_ids())
        if ids:
            self.lines = [p for p in self.lines if p.material_id not in ids]
            self.fill()

    def move_selected(self, counter: str) -> None:
        counter = (counter or "").strip()
        ids = set(self.selected_ids())
        if not counter or not ids:
            return
        for p in self.lines:
            if p.material_id in ids:
                p.counter = counter
        self.fill()

    def change_counter(self, old: str, new: str) -> None:
        """Hand all of `old`'s proposals to `new` (someone is off sick)."""
        new = (new or "").strip()
        if not new or new == old:
            return
        if self.plan is not None and new not in [c.counter for c in self.plan.counters]:
            for c in self.plan.counters:  # the new counter takes the old one's place
                if c.counter == old:
                    c.counter = new
        for p in self.lines:
            if p.counter == old:
                p.counter = new
        self.fill()

    def _ask_change_counter(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        head = item.parent() or item
        old = head.text(0)
        new, ok = QInputDialog.getText(self, "Change counter",
                                       f"Give {old}'s proposals to:", text=old)
        if ok:
            self.change_counter(old, new)

    # ---- counters' own capacities ---------------------------------------------------------
    def set_own_capacity(self, counter: str, capacity: int | None) -> bool:
        """Save a counter's own capacity (None: back to PLAN-CAPACITY), then plan again."""
        return self.ctx.op(planner.set_capacity, self.ctx.actor, counter, capacity, owner=self,
                           on_done=lambda _none: self.propose(),
                           what="saving the counter's capacity").ok

    def _ask_own_capacity(self) -> None:
        own = {r.counter: r.capacity
               for r in self.ctx.read(planner.list_capacities, owner=self)}
        names = sorted(set(self.counter_names()) - {None} | set(own), key=str.casefold)
        counter, ok = QInputDialog.getItem(self, "Counter's own capacity", "Counter:", names,
                                           0, True)
        if not ok or not counter.strip():
            return
        value, ok = QInputDialog.getInt(
            self, "Counter's own capacity",
            f"Materials {counter.strip()} counts a day (-1 = the PLAN-CAPACITY parameter):",
            own.get(counter.strip(), -1), -1, 10000)
        if ok:
            self.set_own_capacity(counter, None if value < 0 else value)

    # ---- applying ------------------------------------------------------------------------
    def apply(self) -> None:
        if not self.lines or self.plan is None:
            return
        day = self.plan.date
        lines = [(p.material_id, p.counter, p.why) for p in self.lines]
        self.ctx.runner.run(planner.apply_plan, self.ctx.actor, day, lines,
                            title="Writing the count schedule", parent=self,
                            on_result=lambda r: self._applied(day, r), job="plan-apply",
                            job_summary=_summary, cancellable=False)

    def _applied(self, day, result: planner.ApplyResult) -> None:
        self.applied = True
        self.fill()
        self.banner.show_message(
            f"Scheduled {plural(result.written, 'material')} for {day.isoformat()}"
            + (f" ({result.already_scheduled} were already scheduled)"
               if result.already_scheduled else "") + ".", "success")
        if self.offer_print(day):
            self.ctx.open("count_sheets", count_date=day)

    def offer_print(self, day) -> bool:
        answer = QMessageBox.question(
            self, "Count Plan", f"The schedule for {day.isoformat()} is written.\n"
                                "Print the count sheets now?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

    # ---- screen protocol -----------------------------------------------------------------
    def save(self) -> bool:
        """Ctrl+S applies the plan, as the Apply button does."""
        if self.apply_button.isEnabled():
            self.apply()
        return True

    def refresh(self) -> bool:
        self.propose()
        return True

    def is_ready(self) -> bool:
        return not self.loading

    def open_with(self, count_date=None, **_kwargs) -> None:
        if count_date is not None:
            self.date.setDate(to_qdate(count_date))
            self.propose()

    def focus_first(self) -> None:
        self.date.setFocus()


def _summary(result, job) -> None:
    job.rows = result.written


if __name__ == "__main__":  # pragma: no cover
    from ..standalone import run_screen

    sys.exit(run_screen("plan", sys.argv[1:]))
