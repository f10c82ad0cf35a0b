"""The Habits view, as Loop Habit Tracker has it: a row per habit, a cell per recent day to click.

A click toggles that day's check-in (past days too); today's column is highlighted; days the
schedule does not ask for are dimmed, and still clickable. Streak and score sit beside each habit,
and each habit can be edited or archived in place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from nargis_desktop.app import Profile
from nargis_desktop.domain.habits import Habit
from nargis_desktop.domain.insights import habit_score
from nargis_desktop.ui import hand_actions
from nargis_desktop.ui.background import StoreWorker
from nargis_desktop.ui.pages import ITEM_ID, Clock, Page, empty_state, heading

DAYS_SHOWN = 14
DONE = QColor("#2e7d32")
MISSED = QColor(128, 128, 128, 60)
TODAY = QColor(33, 150, 243, 70)
SCHEDULES = ("daily", "weekdays", "weekends", "mon,wed,fri", "3 times per week", "5 times per week")
DAY_ROLE = Qt.ItemDataRole.UserRole + 1


class HabitDialog(QDialog):
    """A habit's name and how often it is due."""

    def __init__(self, parent: QWidget | None, title: str, name: str = "", schedule: str = "daily") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        self.name = QLineEdit(name)
        self.name.setPlaceholderText("Drink water")
        form.addRow("Habit", self.name)
        self.schedule = QComboBox()
        self.schedule.setEditable(True)
        self.schedule.addItems(SCHEDULES)
        self.schedule.setCurrentText(schedule)
        self.schedule.setToolTip('For example "daily", "weekdays", "mon,thu" or "3 times per week"')
        form.addRow("How often", self.schedule)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> tuple[str, str]:
        return self.name.text().strip(), self.schedule.currentText().strip() or "daily"


class HabitsPage(Page):
    def __init__(self, profile: Profile, clock: Clock, worker: StoreWorker | None = None) -> None:
        super().__init__(profile, clock, worker)
        top = QHBoxLayout()
        top.addWidget(heading("Habits"))
        top.addStretch(1)
        self.new_button = QPushButton("+ New habit")
        self.new_button.setToolTip("Start a habit (Ctrl+N)")
        self.new_button.clicked.connect(self.add_new)
        top.addWidget(self.new_button)
        self.layout_.addLayout(top)
        self.grid = QTableWidget(0, 0)
        self.grid.verticalHeader().setVisible(False)
        self.grid.verticalHeader().setDefaultSectionSize(44)  # a day cell big enough to click
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.grid.setShowGrid(False)
        self.grid.cellClicked.connect(self._clicked)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.grid.customContextMenuRequested.connect(self._context_menu)
        self.layout_.addWidget(self.grid, 1)
        self.empty = empty_state("No habits yet.\nPress “+ New habit”, or say “new habit drink water every day”.")
        self.layout_.addWidget(self.empty, 1)
        self.habits: list[Habit] = []
        self.days: list[date] = []
        self.done: dict[str, set[date]] = {}

    def reader(self) -> Callable[[], Any]:
        now, data = self.clock(), self.profile.data

        def read() -> Any:
            days = [now.date() - timedelta(days=n) for n in range(DAYS_SHOWN - 1, -1, -1)]
            rows = []
            for habit in data.store.habits.active():
                checkins = data.checkins(habit)
                rows.append(
                    (
                        habit,
                        data.streak(habit, now.date()),
                        habit_score(habit, checkins, now.date()),
                        {c.day for c in checkins if habit.counts(c)},
                        {d for d in days if habit.schedule.is_scheduled(d, min(habit.start, d))},
                    )
                )
            return now, rows

        return read

    def fill(self, loaded: Any) -> None:
        now, rows = loaded
        today = now.date()
        self.days = [today - timedelta(days=n) for n in range(DAYS_SHOWN - 1, -1, -1)]
        self.habits = [habit for habit, *_ in rows]
        self.done = {habit.id: done for habit, _streak, _score, done, _due in rows}
        columns = ["Habit", *[f"{d:%a}\n{d.day}" for d in self.days], "Streak", "Score", ""]
        self.grid.clear()
        self.grid.setColumnCount(len(columns))
        self.grid.setRowCount(len(rows))
        self.grid.setHorizontalHeaderLabels(columns)
        today_header = self.grid.horizontalHeaderItem(len(self.days))
        if today_header is not None:
            today_header.setText(f"Today\n{today.day}")
            bold = QFont(today_header.font())
            bold.setBold(True)
            today_header.setFont(bold)
        for row, (habit, streak, score, done, due) in enumerate(rows):
            name = QTableWidgetItem(f"{habit.name}\n{hand_actions.schedule_words(habit.schedule)}")
            name.setData(ITEM_ID, habit.id)
            name.setToolTip("Right-click to edit or archive")
            self.grid.setItem(row, 0, name)
            for column, day in enumerate(self.days, start=1):
                self.grid.setItem(row, column, self._day_cell(day, day in done, day == today, day in due))
            unit = streak.unit if streak.current == 1 else f"{streak.unit}s"
            streak_cell = QTableWidgetItem(f"{streak.current} {unit}")
            streak_cell.setToolTip(f"Best: {streak.best} {streak.unit}s")
            self.grid.setItem(row, len(self.days) + 1, streak_cell)
            self.grid.setItem(row, len(self.days) + 2, QTableWidgetItem(f"{score:.0%}"))
            more = QTableWidgetItem("⋯")
            more.setToolTip("Edit or archive")
            more.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.grid.setItem(row, len(self.days) + 3, more)
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(self.days) + 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.grid.setColumnWidth(column, 40)
        for column in range(len(self.days) + 1, len(columns)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.grid.setVisible(bool(rows))
        self.empty.setVisible(not rows)

    def _day_cell(self, day: date, done: bool, is_today: bool, scheduled: bool) -> QTableWidgetItem:
        cell = QTableWidgetItem("✓" if done else ("·" if not scheduled else ""))
        cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        cell.setData(DAY_ROLE, day.isoformat())
        if done:
            cell.setBackground(QBrush(DONE))
            cell.setForeground(QBrush(QColor("white")))
        elif is_today:
            cell.setBackground(QBrush(TODAY))
        elif scheduled:
            cell.setBackground(QBrush(MISSED))
        state = "done" if done else ("not due" if not scheduled else "not done")
        cell.setToolTip(f"{day:%A %d %B}: {state} — click to {'uncheck' if done else 'check in'}")
        return cell

    # Acting --------------------------------------------------------------------------------
    def is_done(self, habit_id: str, day: date) -> bool:
        return day in self.done.get(habit_id, set())

    def toggle(self, habit_id: str, day: date) -> None:
        """Check in on `day`, or take that day's check-in back."""
        data, now, checked = self.profile.data, self.clock(), not self.is_done(habit_id, day)
        self.done.setdefault(habit_id, set()).symmetric_difference_update({day})  # shown at once; the read confirms
        self.act(lambda: hand_actions.set_checked(data, habit_id, day, checked, now))

    def _clicked(self, row: int, column: int) -> None:
        if not 0 <= row < len(self.habits):
            return
        habit = self.habits[row]
        if 1 <= column <= len(self.days):
            self.toggle(habit.id, self.days[column - 1])
        elif column == len(self.days) + 3:
            self._habit_menu(habit).exec(self.cursor().pos())

    def _context_menu(self, where: Any) -> None:
        item = self.grid.itemAt(where)
        if item is not None and 0 <= item.row() < len(self.habits):
            self._habit_menu(self.habits[item.row()]).exec(self.grid.viewport().mapToGlobal(where))

    def _habit_menu(self, habit: Habit) -> QMenu:
        menu = QMenu(self)
        menu.addAction("Edit…", lambda: self.edit(habit))
        menu.addAction("Archive", lambda: self.archive(habit.id))
        return menu

    def add_new(self) -> None:
        dialog = HabitDialog(self, "New habit")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            name, schedule = dialog.chosen()
            if name:
                self.add(name, schedule)

    def add(self, name: str, schedule: str) -> None:
        data, now = self.profile.data, self.clock()
        self.act(lambda: hand_actions.add_habit(data, name, schedule, now))

    def edit(self, habit: Habit) -> None:
        dialog = HabitDialog(self, "Edit habit", habit.name, hand_actions.schedule_words(habit.schedule))
        if habit.schedule.rule is not None:
            dialog.schedule.setCurrentText(_schedule_phrase(habit))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            name, schedule = dialog.chosen()
            if name:
                data, now = self.profile.data, self.clock()
                self.act(lambda: hand_actions.edit_habit(data, habit.id, now, name, schedule))

    def archive(self, habit_id: str) -> None:
        data, now = self.profile.data, self.clock()
        self.act(lambda: hand_actions.archive_habit(data, habit_id, now))


def _schedule_phrase(habit: Habit) -> str:
    """The words the schedule box understands back (`Schedule.parse`)."""
    rule = habit.schedule.rule or ""
    known = {
        "FREQ=DAILY": "daily",
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR": "weekdays",
        "FREQ=WEEKLY;BYDAY=SA,SU": "weekends",
    }
    if rule in known:
        return known[rule]
    if rule.startswith("FREQ=WEEKLY;BYDAY="):
        return rule.split("=")[-1].lower()
    return "daily"
