"""Reminders on the Today view: every open reminder, with add, edit, snooze and done by hand."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nargis_desktop.assistant.speech import rule_words, when_words
from nargis_desktop.domain.reminders import Reminder

ITEM_ID = Qt.ItemDataRole.UserRole
SNOOZES = (("10 minutes", 10), ("1 hour", 60), ("Tomorrow", 24 * 60))


class ReminderDialog(QDialog):
    """What to be reminded of, and when."""

    def __init__(self, parent: QWidget | None, text: str, at: datetime, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        self.text = QLineEdit(text)
        self.text.setPlaceholderText("call mom")
        form.addRow("Remind me to", self.text)
        self.at = QDateTimeEdit(QDateTime(QDate(at.year, at.month, at.day), QTime(at.hour, at.minute)))
        self.at.setCalendarPopup(True)
        self.at.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        form.addRow("At", self.at)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> tuple[str, datetime]:
        chosen = self.at.dateTime()
        day, clock = chosen.date(), chosen.time()
        return self.text.text().strip(), datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute())


class RemindersPanel(QWidget):
    """Calls back the Today page to add, edit, snooze and complete (changes go through `hand_actions`)."""

    def __init__(
        self,
        add: Callable[[str, datetime], None],
        edit: Callable[[str, str, datetime], None],
        snooze: Callable[[str, int], None],
        done: Callable[[str], None],
        clock: Callable[[], datetime],
    ) -> None:
        super().__init__()
        self._add, self._edit, self._snooze, self._done, self.clock = add, edit, snooze, done, clock
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setSpacing(3)
        self.list.itemDoubleClicked.connect(lambda _i: self.edit_selected())
        self.list.itemSelectionChanged.connect(self._selection_changed)
        column.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton("+ Reminder")
        self.add_button.clicked.connect(self.add_new)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(self.edit_selected)
        self.snooze_button = QToolButton()
        self.snooze_button.setText("Snooze")
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        for label, minutes in SNOOZES:
            menu.addAction(label, functools.partial(self._snooze_selected, minutes))
        self.snooze_button.setMenu(menu)
        self.done_button = QPushButton("✓ Done")
        self.done_button.clicked.connect(lambda: self._on_selected(self._done))
        for widget in (self.add_button, self.edit_button, self.snooze_button, self.done_button):
            row.addWidget(widget)
        row.addStretch(1)
        column.addLayout(row)
        self.reminders: dict[str, Reminder] = {}
        self._selection_changed()

    def _snooze_selected(self, minutes: int) -> None:
        chosen = self.selected_id()
        if chosen is not None:
            self._snooze(chosen, minutes)

    def show_reminders(self, reminders: list[Reminder], now: datetime) -> None:
        self.reminders = {r.id: r for r in reminders}
        self.list.clear()
        for reminder in reminders:
            fires = reminder.fires_at or reminder.at
            words = when_words(fires, now)
            if reminder.snoozed_until:
                words += " (snoozed)"
            if reminder.recurrence:
                words += f", repeats {rule_words(reminder.recurrence)}"
            item = QListWidgetItem(f"{reminder.text} — {words}")
            if fires <= now:
                item.setForeground(Qt.GlobalColor.red)
                item.setText(f"{reminder.text} — due now ({words})")
            item.setData(ITEM_ID, reminder.id)
            self.list.addItem(item)
        if not reminders:
            placeholder = QListWidgetItem("No reminders. Add one, or say “remind me to call mom at 5”.")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(placeholder)
        self._selection_changed()

    def selected_id(self) -> str | None:
        items = self.list.selectedItems()
        return str(items[0].data(ITEM_ID)) if items and items[0].data(ITEM_ID) else None

    def _on_selected(self, action: Callable[[str], None]) -> None:
        chosen = self.selected_id()
        if chosen is not None:
            action(chosen)

    def _selection_changed(self) -> None:
        chosen = self.selected_id() is not None
        for widget in (self.edit_button, self.snooze_button, self.done_button):
            widget.setEnabled(chosen)

    def add_new(self) -> None:
        start = (self.clock() + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
        dialog = ReminderDialog(self, "", start, "New reminder")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            text, at = dialog.chosen()
            if text:
                self._add(text, at)

    def edit_selected(self) -> None:
        chosen = self.selected_id()
        if chosen is None or chosen not in self.reminders:
            return
        reminder = self.reminders[chosen]
        dialog = ReminderDialog(self, reminder.text, reminder.fires_at or reminder.at, "Edit reminder")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            text, at = dialog.chosen()
            if text:
                self._edit(chosen, text, at)
