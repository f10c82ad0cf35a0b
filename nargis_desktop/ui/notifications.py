"""Due reminders outside the window: desktop notifications with Done / Snooze where the desktop has
them, else a tray message, else only the in-window banner (and the window says why)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QSystemTrayIcon

from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.reminders.notifications import AnswerHandler, Notifier, reminder_body
from nargis_desktop.ui.background import run_in_background
from nargis_desktop.ui.reminder_banner import ReminderBanner
from nargis_desktop.ui.voice_bridge import VoiceBridge

_LOGGER = logging.getLogger(__name__)
DesktopConnector = Callable[[AnswerHandler], Notifier | None]


class TrayNotifier:
    """A tray balloon; the answer is given in the window's banner."""

    name = "the system tray"

    def __init__(self, tray: QSystemTrayIcon) -> None:
        self.tray = tray

    def show(self, reminder: Reminder) -> None:
        self.tray.showMessage("Nargis — reminder", reminder_body(reminder), QSystemTrayIcon.MessageIcon.Information)

    def withdraw(self, reminder_id: str) -> None:
        return None

    def close(self) -> None:
        return None


class InWindowNotifier:
    """Nothing outside the window: the banner alone shows the reminder."""

    name = "this window"

    def show(self, reminder: Reminder) -> None:
        return None

    def withdraw(self, reminder_id: str) -> None:
        return None

    def close(self) -> None:
        return None


def connect_desktop(bus: str = "SESSION") -> DesktopConnector:
    def connect(on_answer: AnswerHandler) -> Notifier | None:
        from nargis_desktop.reminders.notifications import DesktopNotifier

        return DesktopNotifier.connect(on_answer, bus)

    return connect


class ReminderNotifications(QObject):
    """Shows each due reminder once outside the window and applies the answer picked there.

    Connecting to the desktop (a D-Bus round trip) and every call to it run off the main thread;
    until the desktop answers, the fallback is used.
    """

    def __init__(
        self,
        banner: ReminderBanner,
        fallback: Notifier,
        connector: DesktopConnector | None = None,
        on_ready: Callable[[Notifier], None] = lambda _n: None,
    ) -> None:
        super().__init__(banner)
        self.banner, self.notifier = banner, fallback
        self._fallback, self._on_ready = fallback, on_ready
        self._notified: set[tuple[str, datetime]] = set()
        self._waiting: Reminder | None = None
        self._answers = VoiceBridge(self)  # answers arrive on the D-Bus listener thread
        self._answers.happened.connect(lambda answer: banner.answer(answer[1], answer[0]))
        banner.shown.connect(self._shown)
        banner.answered.connect(self._answered)
        if connector is None:
            on_ready(fallback)
        else:
            relay = self._answers.relay
            run_in_background(
                lambda: connector(lambda reminder_id, choice: relay((reminder_id, choice))),
                self._connected,
                lambda err: _LOGGER.warning("desktop notifications failed: %s", err),
            )

    def _connected(self, notifier: Notifier | None) -> None:
        if notifier is not None:
            self.notifier = notifier
            self._notified.clear()  # what only the fallback showed is shown again properly
        self._on_ready(self.notifier)
        if self._waiting is not None:
            self._shown(self._waiting)

    def _shown(self, reminder: Reminder | None) -> None:
        self._waiting = reminder
        if reminder is None:
            return
        key = (reminder.id, reminder.fires_at or reminder.at)  # a snoozed one is notified again
        if key in self._notified:
            return
        self._notified.add(key)
        notifier = self.notifier
        self._in_background(lambda: notifier.show(reminder))

    def _answered(self, reminder_id: str) -> None:
        notifier = self.notifier
        self._in_background(lambda: notifier.withdraw(reminder_id))

    def close(self) -> None:
        self.notifier.close()

    def _in_background(self, work: Callable[[], Any]) -> None:
        run_in_background(work, lambda _r: None, lambda err: _LOGGER.warning("notification failed: %s", err))
