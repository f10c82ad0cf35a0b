"""The desktop window: Today's tasks, habits and reminders, with quick add and check-off."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nargis_desktop.app import Profile
from nargis_desktop.config import PASSPHRASE_ENV
from nargis_desktop.errors import NargisError, user_message
from nargis_desktop.services.agenda import today
from nargis_desktop.store.keys import PassphrasePrompt

ITEM_ID_ROLE = Qt.ItemDataRole.UserRole


class TodayWindow(QMainWindow):
    def __init__(self, profile: Profile, now_override: datetime | None = None) -> None:
        super().__init__()
        self.profile = profile
        self.now_override = now_override
        self.setWindowTitle("Nargis — Today")
        self.resize(720, 560)
        root = QWidget()
        layout = QVBoxLayout(root)
        self.heading = QLabel()
        heading_font = QFont()
        heading_font.setPointSize(18)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        layout.addWidget(self.heading)
        add_row = QHBoxLayout()
        self.new_task = QLineEdit()
        self.new_task.setPlaceholderText("New task, e.g. Call mom  (Enter to add)")
        self.new_task.returnPressed.connect(self.add_task)
        add_button = QPushButton("Add task")
        add_button.clicked.connect(self.add_task)
        add_row.addWidget(self.new_task, 1)
        add_row.addWidget(add_button)
        layout.addLayout(add_row)
        self.tasks = self._section(layout, "Tasks due (tick to complete)")
        self.tasks.itemChanged.connect(self._task_ticked)
        self.habits = self._section(layout, "Habits to check today (double-click to check)")
        self.habits.itemDoubleClicked.connect(self._habit_checked)
        self.reminders = self._section(layout, "Reminders today")
        self.status = QLabel()
        layout.addWidget(self.status)
        self.setCentralWidget(root)
        self.refresh()

    def _section(self, layout: QVBoxLayout, title: str) -> QListWidget:
        label = QLabel(title)
        label.setStyleSheet("font-weight: 600; margin-top: 8px")
        layout.addWidget(label)
        widget = QListWidget()
        layout.addWidget(widget, 1)
        return widget

    def now(self) -> datetime:
        return self.now_override or datetime.now().replace(microsecond=0)

    def refresh(self) -> None:
        now = self.now()
        agenda = today(self.profile.store, now)
        self.heading.setText(f"Today, {now:%A %d %B}")
        self.tasks.blockSignals(True)
        self.tasks.clear()
        for task in agenda.tasks:
            label = task.title + ("  — overdue" if task.is_overdue(now) else "")
            if task.priority.value != "none":
                label += f"  !{task.priority.value}"
            item = QListWidgetItem(label)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(ITEM_ID_ROLE, task.id)
            self.tasks.addItem(item)
        self.tasks.blockSignals(False)
        self.habits.clear()
        for habit in agenda.habits_to_check:
            streak = self.profile.data.streak(habit, now.date())
            item = QListWidgetItem(f"{habit.name}  —  streak {streak.describe()}")
            item.setData(ITEM_ID_ROLE, habit.id)
            self.habits.addItem(item)
        self.reminders.clear()
        for reminder in agenda.reminders:
            fires = reminder.fires_at or reminder.at
            self.reminders.addItem(f"{fires:%H:%M}  {reminder.text}")
        done = ", ".join(h.name for h in agenda.habits_done)
        self.status.setText(f"Checked today: {done}" if done else "Encrypted on this device.")

    def _run(self, action: str, func: object) -> None:
        try:
            func()  # type: ignore[operator]
        except NargisError as err:
            QMessageBox.warning(self, f"Could not {action}", user_message(err))
        self.refresh()

    def add_task(self) -> None:
        title = self.new_task.text().strip()
        if title:
            self._run("add the task", lambda: self.profile.data.add_task(title, self.now()))
            self.new_task.clear()

    def _task_ticked(self, item: QListWidgetItem) -> None:
        if item.checkState() == Qt.CheckState.Checked:
            data = self.profile.data
            task_id = str(item.data(ITEM_ID_ROLE))
            complete = lambda: data.complete_task(data.store.tasks.get(task_id), self.now())  # noqa: E731
            QTimer.singleShot(0, lambda: self._run("complete the task", complete))

    def _habit_checked(self, item: QListWidgetItem) -> None:
        data = self.profile.data
        habit_id = str(item.data(ITEM_ID_ROLE))
        now = self.now()
        self._run("check the habit", lambda: data.check_in(data.store.habits.get(habit_id), now.date(), now))


def dialog_passphrase(confirm: bool) -> str | None:
    """NARGIS_PASSPHRASE, else ask in a dialog (twice for a new store); None if cancelled."""
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env:
        return from_env
    title = "Choose a passphrase" if confirm else "Unlock Nargis"
    hint = (
        (
            "There is no keyring on this system, so your data is protected by a passphrase.\n"
            "If you forget it, the data cannot be recovered."
        )
        if confirm
        else "Passphrase:"
    )
    first, ok = QInputDialog.getText(None, title, hint, QLineEdit.EchoMode.Password)
    if not ok or not first:
        return None
    if confirm:
        again, ok = QInputDialog.getText(None, title, "Type it again:", QLineEdit.EchoMode.Password)
        if not ok or again != first:
            QMessageBox.warning(None, title, "The two passphrases differ; nothing was created.")
            return None
    return str(first)


def run_app(
    open_with: Callable[[PassphrasePrompt], Profile], now_override: datetime | None, screenshot: Path | None
) -> int:
    """Open the profile (asking for a passphrase in a dialog when needed) and show Today."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        profile = open_with(dialog_passphrase)
    except NargisError as err:
        if screenshot is None:
            QMessageBox.critical(None, "Nargis cannot open your data", user_message(err))
        raise
    try:
        window = TodayWindow(profile, now_override)
        window.show()
        if screenshot is not None:
            app.processEvents()
            if not window.grab().save(str(screenshot)):
                raise NargisError(f"could not write the screenshot {screenshot}", code="screenshot-failed")
            return 0
        return int(app.exec())
    finally:
        profile.close()
