"""Due reminders in the window: Done, or Snooze 10 min / 1 h / tomorrow. One at a time, oldest first.

Answers picked in a desktop notification arrive here too (`answer(choice, reminder_id)`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from nargis_desktop.app import Profile
from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.reminders.service import SNOOZE_CHOICES, due, minutes_until_tomorrow_morning
from nargis_desktop.ui.background import StoreWorker


class ReminderBanner(QFrame):
    """Reads and answers on the store worker; `shown` fires after each check with the reminder shown."""

    shown = Signal(object)  # Reminder | None
    answered = Signal(str)  # the reminder's id, once the answer is in the store

    def __init__(
        self,
        profile: Profile,
        clock: Callable[[], datetime],
        on_change: Callable[[], None],
        worker: StoreWorker | None = None,
    ) -> None:
        super().__init__()
        self.profile, self.clock, self.on_change = profile, clock, on_change
        self.worker = worker or StoreWorker(threading.RLock(), lambda _e: None)
        self.setStyleSheet("QFrame { background: #fff4cc; border-radius: 6px; } QLabel { color: #332b00; }")
        row = QHBoxLayout(self)
        self.text = QLabel("")
        self.text.setStyleSheet("font-weight: 600")
        row.addWidget(self.text, 1)
        self.buttons: dict[str, QPushButton] = {}
        for label in ("Done", *SNOOZE_CHOICES, "Tomorrow"):
            button = QPushButton(label if label in {"Done", "Tomorrow"} else f"Snooze {label}")
            button.clicked.connect(lambda _checked=False, choice=label: self.answer(choice))
            row.addWidget(button)
            self.buttons[label] = button
        self.current_id: str | None = None
        self.hide()

    def check(self) -> None:
        """Show the oldest due reminder, if any (also the ones missed while the app was closed)."""
        data, now = self.profile.data, self.clock()
        self.worker.run(lambda: due(data.store, now), self._show)

    def _show(self, waiting: list[Reminder]) -> None:
        if not waiting:
            self.current_id = None
            self.hide()
            self.shown.emit(None)
            return
        reminder = waiting[0]
        self.current_id = reminder.id
        more = f"  (+{len(waiting) - 1} more)" if len(waiting) > 1 else ""
        self.text.setText(f"Reminder: {reminder.text} — {(reminder.fires_at or reminder.at):%a %H:%M}{more}")
        self.show()
        self.shown.emit(reminder)

    def answer(self, choice: str, reminder_id: str | None = None) -> None:
        """Done or a snooze choice for `reminder_id` (from a notification), else the one shown."""
        answered = reminder_id or self.current_id
        if answered is None:
            return
        data, now = self.profile.data, self.clock()
        self.worker.run(lambda: answer_reminder(data, answered, choice, now), lambda _r: self._answered(answered))

    def _answered(self, reminder_id: str) -> None:
        self.answered.emit(reminder_id)
        self.on_change()
        self.check()


def answer_reminder(data: Any, reminder_id: str, choice: str, now: datetime) -> None:
    """ "Done" completes (a repeating one rolls to its next time); "10 min", "1 h", "Tomorrow" snooze."""
    reminder = data.store.reminders.get(reminder_id)
    if choice == "Done":
        data.complete_reminder(reminder, now)
    else:
        minutes = SNOOZE_CHOICES.get(choice) or minutes_until_tomorrow_morning(now)
        data.snooze_reminder(reminder, minutes, now)
