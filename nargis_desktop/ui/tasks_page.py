"""The Tasks view: quick add with a live preview, filters and search, and every task editable in place.

Tick a task to complete it; right-click (or the buttons under the list) to reschedule, set a
priority, rename or delete. Every change shows in the toast with Undo.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCalendarWidget,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nargis_desktop.app import Profile
from nargis_desktop.assistant.speech import rule_words, when_words
from nargis_desktop.domain.recurrence import occurrences_between
from nargis_desktop.domain.tasks import Priority, Task, due_date
from nargis_desktop.ui import hand_actions
from nargis_desktop.ui.background import StoreWorker
from nargis_desktop.ui.pages import ITEM_ID, Clock, Page, empty_state, heading
from nargis_desktop.ui.quick_add import parse_quick_task
from nargis_desktop.ui.theme import is_dark

FILTERS = ("All", "Today", "Upcoming", "Overdue", "Done")
OVERDUE, OVERDUE_ON_DARK = QColor("#c62828"), QColor("#ff8a80")
TODAY, TODAY_ON_DARK = QColor("#1565c0"), QColor("#8ab4f8")
PRIORITY_COLOURS = {"high": QColor("#c62828"), "medium": QColor("#ef6c00"), "low": QColor("#2e7d32")}


def shown_by(filter_name: str, task: Task, now: datetime) -> bool:
    """Today holds what is due today and what is overdue (as Todoist's Today does)."""
    day = due_date(task.due)
    if filter_name == "Done":
        return task.done
    if task.done:
        return False
    if filter_name == "Today":
        return day is not None and day <= now.date()
    if filter_name == "Upcoming":
        return day is not None and day > now.date()
    if filter_name == "Overdue":
        return task.is_overdue(now)
    return True


class DatePicker(QDialog):
    """A calendar for "Pick a date…"."""

    def __init__(self, parent: QWidget | None, start: date) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reschedule")
        column = QVBoxLayout(self)
        self.calendar = QCalendarWidget()
        self.calendar.setSelectedDate(QDate(start.year, start.month, start.day))
        self.calendar.activated.connect(self.accept)
        column.addWidget(self.calendar)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)

    def chosen(self) -> date:
        picked = self.calendar.selectedDate()
        return date(picked.year(), picked.month(), picked.day())


class TasksPage(Page):
    COLUMNS = ("Task", "Due", "Priority", "Repeats", "Next dates")

    def __init__(self, profile: Profile, clock: Clock, worker: StoreWorker | None = None) -> None:
        super().__init__(profile, clock, worker)
        top = QHBoxLayout()
        top.addWidget(heading("Tasks"))
        top.addStretch(1)
        self.new_button = QPushButton("+ New task")
        self.new_button.setToolTip("Add a task (Ctrl+N)")
        self.new_button.clicked.connect(self.start_adding)
        top.addWidget(self.new_button)
        self.layout_.addLayout(top)
        self.quick = QLineEdit()
        self.quick.setPlaceholderText("Add a task: pay rent tomorrow at 5 every month !high — Enter to add")
        self.quick.textChanged.connect(self._preview)
        self.quick.returnPressed.connect(self.add_typed)
        self.layout_.addWidget(self.quick)
        self.preview = QLabel("")
        self.preview.setStyleSheet("color: palette(highlight); font-weight: 600")
        self.layout_.addWidget(self.preview)
        self.layout_.addLayout(self._filter_row())
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(self.COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._edited)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.layout_.addWidget(self.table, 1)
        self.empty = empty_state("")
        self.layout_.addWidget(self.empty, 1)
        self.layout_.addLayout(self._action_row())
        self.tasks_shown: list[Task] = []
        self._selection_changed()

    # Building ------------------------------------------------------------------------------
    def _filter_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.filters = QButtonGroup(self)
        self.filters.setExclusive(True)
        self.filter_buttons: dict[str, QPushButton] = {}
        for index, name in enumerate(FILTERS):
            button = QPushButton(name)
            button.setCheckable(True)
            button.setChecked(index == 0)
            self.filters.addButton(button, index)
            self.filter_buttons[name] = button
            row.addWidget(button)
        self.filters.idClicked.connect(lambda _i: self.refresh())
        row.addSpacing(12)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search tasks (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        row.addWidget(self.search, 1)
        self.sort = QComboBox()
        self.sort.addItems(["Sort by due date", "Sort by priority"])
        self.sort.currentIndexChanged.connect(self.refresh)
        row.addWidget(self.sort)
        return row

    def _action_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.complete_button = QPushButton("✓ Complete")
        self.complete_button.clicked.connect(lambda: self._on_selected(self.complete))
        self.reschedule_button = QToolButton()
        self.reschedule_button.setText("Reschedule")
        self.reschedule_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.reschedule_button.setMenu(self._reschedule_menu(self.selected_id))
        self.priority_button = QToolButton()
        self.priority_button.setText("Priority")
        self.priority_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.priority_button.setMenu(self._priority_menu(self.selected_id))
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(lambda: self._on_selected(self.delete))
        for widget in (self.complete_button, self.reschedule_button, self.priority_button, self.delete_button):
            row.addWidget(widget)
        row.addStretch(1)
        hint = QLabel("Double-click a title to rename · right-click for more")
        hint.setStyleSheet("color: palette(placeholder-text)")
        row.addWidget(hint)
        return row

    def _reschedule_menu(self, which: Callable[[], str | None]) -> QMenu:
        menu = QMenu(self)
        for label, days in (("Today", 0), ("Tomorrow", 1), ("Next week", 7)):
            menu.addAction(label, functools.partial(self._reschedule_by_chosen, which, days))
        menu.addAction("Pick a date…", lambda: self.pick_date(which()))
        menu.addAction("No due date", lambda: self.reschedule(which(), None))
        return menu

    def _priority_menu(self, which: Callable[[], str | None]) -> QMenu:
        menu = QMenu(self)
        for priority in (Priority.HIGH, Priority.MEDIUM, Priority.LOW, Priority.NONE):
            menu.addAction(priority.value.capitalize(), functools.partial(self._priority_chosen, which, priority))
        return menu

    def _reschedule_by_chosen(self, which: Callable[[], str | None], days: int) -> None:
        self._reschedule_by(which(), days)

    def _priority_chosen(self, which: Callable[[], str | None], priority: Priority) -> None:
        self.set_priority(which(), priority)

    # Reading -------------------------------------------------------------------------------
    def filter_name(self) -> str:
        return FILTERS[max(self.filters.checkedId(), 0)]

    def inputs(self) -> tuple[object, ...]:
        return *super().inputs(), self.search.text(), self.sort.currentIndex(), self.filter_name()

    def reader(self) -> Callable[[], Any]:
        now, data = self.clock(), self.profile.data
        wanted, by_priority, shown = self.search.text().lower(), self.sort.currentIndex() == 1, self.filter_name()

        def read() -> Any:
            tasks = data.tasks(include_done=shown == "Done")
            tasks = [t for t in tasks if wanted in t.title.lower() and shown_by(shown, t, now)]
            if shown == "Done":
                tasks.sort(key=lambda t: t.completed_at or t.created_at, reverse=True)
            elif by_priority:
                tasks.sort(key=lambda t: t.priority.rank)
            return now, tasks

        return read

    def fill(self, loaded: Any) -> None:
        now, tasks = loaded
        self.tasks_shown = tasks
        self.table.blockSignals(True)
        self.table.clearContents()
        self.table.setRowCount(len(tasks))
        for row, task in enumerate(tasks):
            self._fill_row(row, task, now)
        self.table.blockSignals(False)
        self.table.setVisible(bool(tasks))
        self.empty.setVisible(not tasks)
        self.empty.setText(self._empty_words())
        self._selection_changed()

    def _fill_row(self, row: int, task: Task, now: datetime) -> None:
        nexts = ""
        if task.recurrence and not task.done:
            anchor = task.due or now.date()
            upcoming = occurrences_between(task.recurrence, anchor, now, now + timedelta(days=400))[:3]
            nexts = ", ".join(f"{d:%a %d %b}" for d in upcoming)
        due_text, colour = self._due_words(task, now)
        cells = (
            task.title,
            due_text,
            task.priority.value.replace("none", "").capitalize(),
            rule_words(task.recurrence) if task.recurrence else "",
            nexts,
        )
        items = [QTableWidgetItem(text) for text in cells]
        for column, cell in enumerate(items):
            cell.setData(ITEM_ID, task.id)
            if column:
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
        title, due, priority = items[0], items[1], items[2]
        title.setFlags(title.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        title.setCheckState(Qt.CheckState.Checked if task.done else Qt.CheckState.Unchecked)
        title.setToolTip("Tick to complete · double-click to rename")
        if colour is not None:
            due.setForeground(QBrush(colour))
            font = due.font()
            font.setBold(True)
            due.setFont(font)
        if task.priority.value in PRIORITY_COLOURS:
            priority.setForeground(QBrush(PRIORITY_COLOURS[task.priority.value]))
        for column, cell in enumerate(items):
            self.table.setItem(row, column, cell)

    @staticmethod
    def _due_words(task: Task, now: datetime) -> tuple[str, QColor | None]:
        if task.done:
            return (f"done {task.completed_at:%a %d %b}" if task.completed_at else "done"), None
        if task.due is None:
            return "", None
        words = when_words(task.due, now)
        if task.is_overdue(now):
            return f"Overdue · {words}", OVERDUE_ON_DARK if is_dark() else OVERDUE
        if due_date(task.due) == now.date():
            return words.capitalize(), TODAY_ON_DARK if is_dark() else TODAY
        return words, None

    def _empty_words(self) -> str:
        if self.search.text():
            return f"No task matches “{self.search.text()}”."
        return {
            "All": "No tasks yet.\nType one above — “pay rent on the 1st every month” — or press Ctrl+N.",
            "Today": "Nothing due today. Enjoy the day — or add a task above.",
            "Upcoming": "Nothing coming up. Tasks with a future date show here.",
            "Overdue": "Nothing overdue. Well done.",
            "Done": "No finished tasks yet. Tick a task to complete it.",
        }[self.filter_name()]

    # Acting --------------------------------------------------------------------------------
    def start_adding(self) -> None:
        self.quick.setFocus()
        self.quick.selectAll()

    def start_searching(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _preview(self, text: str) -> None:
        quick = parse_quick_task(text, self.clock()) if text.strip() else None
        self.preview.setText(f"Will add: {quick.preview(self.clock())}" if quick and quick.title else "")

    def add_typed(self) -> None:
        text = self.quick.text().strip()
        if not text:
            return
        now = self.clock()
        quick = parse_quick_task(text, now)
        self.quick.clear()
        data = self.profile.data
        self.act(lambda: hand_actions.add_task(data, quick.title, now, quick.due, quick.rule, quick.priority))

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return None if item is None else str(item.data(ITEM_ID))

    def _on_selected(self, action: Callable[[str], None]) -> None:
        task_id = self.selected_id()
        if task_id is not None:
            action(task_id)

    def _selection_changed(self) -> None:
        chosen = self.selected_id() is not None
        for widget in (self.complete_button, self.reschedule_button, self.priority_button, self.delete_button):
            widget.setEnabled(chosen)
        self.complete_button.setEnabled(chosen and self.filter_name() != "Done")

    def complete(self, task_id: str) -> None:
        data, now = self.profile.data, self.clock()
        self.act(lambda: hand_actions.complete_task(data, task_id, now))

    def delete(self, task_id: str) -> None:
        data, now = self.profile.data, self.clock()
        self.act(lambda: hand_actions.delete_task(data, task_id, now))

    def reschedule(self, task_id: str | None, day: date | None) -> None:
        if task_id is None:
            return
        data, now = self.profile.data, self.clock()
        task = next((t for t in self.tasks_shown if t.id == task_id), None)
        due: date | datetime | None = day
        if day is not None and task is not None and isinstance(task.due, datetime):
            due = datetime.combine(day, task.due.time())  # a moved task keeps its time of day
        self.act(lambda: hand_actions.edit_task(data, task_id, now, due=due))

    def _reschedule_by(self, task_id: str | None, days: int) -> None:
        today = self.clock().date()
        next_monday = today + timedelta(days=7 - today.weekday())
        target = next_monday if days == 7 else today + timedelta(days=days)
        self.reschedule(task_id, target)

    def pick_date(self, task_id: str | None) -> None:
        if task_id is None:
            return
        task = next((t for t in self.tasks_shown if t.id == task_id), None)
        start = due_date(task.due) if task is not None and task.due is not None else self.clock().date()
        picker = DatePicker(self, start or self.clock().date())
        if picker.exec() == QDialog.DialogCode.Accepted:
            self.reschedule(task_id, picker.chosen())

    def set_priority(self, task_id: str | None, priority: Priority) -> None:
        if task_id is None:
            return
        data, now = self.profile.data, self.clock()
        self.act(lambda: hand_actions.edit_task(data, task_id, now, priority=priority))

    def _edited(self, cell: QTableWidgetItem) -> None:
        """A tick completes (an untick in Done reopens); an edited title renames."""
        task_id = str(cell.data(ITEM_ID))
        if cell.column() != 0:
            return
        task = next((t for t in self.tasks_shown if t.id == task_id), None)
        if task is None:
            return
        if cell.checkState() == Qt.CheckState.Checked and not task.done:
            self.complete(task_id)
            return
        if cell.checkState() == Qt.CheckState.Unchecked and task.done:
            data, now = self.profile.data, self.clock()
            self.act(lambda: hand_actions.reopen_task(data, task_id, now))
            return
        title = cell.text().strip()
        if title and title != task.title:
            data, now = self.profile.data, self.clock()
            self.act(lambda: hand_actions.edit_task(data, task_id, now, title=title))

    def _rename(self, row: int) -> None:
        title = self.table.item(row, 0)
        if title is not None:
            self.table.editItem(title)

    def _context_menu(self, where: Any) -> None:
        item = self.table.itemAt(where)
        if item is None:
            return
        self.table.selectRow(item.row())
        task_id = str(item.data(ITEM_ID))
        menu = QMenu(self)
        menu.addAction("Complete", lambda: self.complete(task_id))
        reschedule = self._reschedule_menu(lambda: task_id)
        reschedule.setTitle("Reschedule")
        menu.addMenu(reschedule)
        priority = self._priority_menu(lambda: task_id)
        priority.setTitle("Priority")
        menu.addMenu(priority)
        menu.addAction("Rename", lambda: self._rename(item.row()))
        menu.addSeparator()
        menu.addAction("Delete", lambda: self.delete(task_id))
        menu.exec(self.table.viewport().mapToGlobal(where))
