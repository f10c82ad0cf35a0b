"""Due reminders in the window: Done, or Snooze 10 min / 1 h / tomorrow. One at a time, oldest first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from nargis_desktop.app import Profile
from nargis_desktop.reminders.service import SNOOZE_CHOICES, due, minutes_until_tomorrow_morning


class ReminderBanner(QFrame):
    def __init__(self, profile: Profile, clock: Callable[[], datetime], on_change: Callable[[], None]) -> None:
        super().__init__()
        self.profile, self.clock, self.on_change = profile, clock, on_change
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
        waiting = due(self.profile.store, self.clock())
        if not waiting:
            self.current_id = None
            self.hide()
            return
        reminder = waiting[0]
        self.current_id = reminder.id
        more = f"  (+{len(waiting) - 1} more)" if len(waiting) > 1 else ""
        self.text.setText(f"⏰ {reminder.text} — {(reminder.fires_at or reminder.at):%a %H:%M}{more}")
        self.show()

    def answer(self, choice: str) -> None:
        if self.current_id is None:
            return
        data, now = self.profile.data, self.clock()
        reminder = data.store.reminders.get(self.current_id)
        if choice == "Done":
            data.complete_reminder(reminder, now)  # a repeating one rolls to its next time
        else:
            minutes = SNOOZE_CHOICES.get(choice) or minutes_until_tomorrow_morning(now)
            data.snooze_reminder(reminder, minutes, now)
        self.on_change()
        self.check()
