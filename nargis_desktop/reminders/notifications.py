"""Showing a due reminder outside the window, with Done and Snooze actions.

`Notifier` is the one interface; `DesktopNotifier` speaks the freedesktop Notifications D-Bus API
(Notify with actions, the ActionInvoked signal) and is used where a session bus and a notification
server with actions exist; the UI supplies the fallback (tray message and the in-window banner).

jeepney writes the exact D-Bus signature (`susssasa{sv}i`): PySide6's QtDBus cannot send the
unsigned `replaces_id`, and notification servers refuse a call whose signature differs.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, Protocol

from nargis_desktop.domain.reminders import Reminder

_LOGGER = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
NOTIFY_SIGNATURE = "susssasa{sv}i"
# Action keys sent to the server, and the choice each means (the banner's words).
ACTIONS = {"done": "Done", "snooze-10": "10 min", "snooze-60": "1 h", "tomorrow": "Tomorrow"}
ACTION_LABELS = {"done": "Done", "snooze-10": "Snooze 10 min", "snooze-60": "Snooze 1 h", "tomorrow": "Tomorrow"}

AnswerHandler = Callable[[str, str], None]  # reminder id, choice; called on a background thread


class Notifier(Protocol):
    """Where a due reminder is shown outside the window."""

    name: str

    def show(self, reminder: Reminder) -> None: ...

    def withdraw(self, reminder_id: str) -> None: ...

    def close(self) -> None: ...


def reminder_body(reminder: Reminder) -> str:
    return f"{reminder.text} — {(reminder.fires_at or reminder.at):%a %H:%M}"


class DesktopNotifier:
    """freedesktop notifications; `on_answer` hears the action the person picked."""

    name = "desktop notifications"

    def __init__(self, router: Any, on_answer: AnswerHandler, timeout_s: float) -> None:
        from jeepney import DBusAddress, MatchRule, message_bus

        self._router, self._on_answer, self._timeout_s = router, on_answer, timeout_s
        self._address = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=BUS_NAME)
        self._shown: dict[int, str] = {}  # server's notification id → reminder id
        self._lock = threading.Lock()
        self._signals: queue.Queue[Any] = queue.Queue()
        for member in ("ActionInvoked", "NotificationClosed"):
            rule = MatchRule(type="signal", interface=BUS_NAME, member=member, path=OBJECT_PATH)
            router.send_and_get_reply(message_bus.AddMatch(rule), timeout=timeout_s)
            router.filter(rule, queue=self._signals)
        self._listener = threading.Thread(target=self._listen, name="notification-actions", daemon=True)
        self._listener.start()

    @classmethod
    def connect(cls, on_answer: AnswerHandler, bus: str = "SESSION", timeout_s: float = 2.0) -> DesktopNotifier | None:
        """The notifier, or None where there is no session bus or no server that shows actions."""
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.threading import DBusRouter, open_dbus_connection

        try:
            connection = open_dbus_connection(bus)
        except (OSError, KeyError, ValueError) as err:  # no bus address, or nothing listening there
            _LOGGER.info("no session bus for notifications: %s", err)
            return None
        router = DBusRouter(connection)  # its receiving thread runs until close()
        try:
            server = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=BUS_NAME)
            # Asking for the capabilities also starts a server that D-Bus activates on demand.
            reply = router.send_and_get_reply(new_method_call(server, "GetCapabilities"), timeout=timeout_s)
            capabilities = reply.body[0] if reply.body else []
            if "actions" not in capabilities:
                raise LookupError(f"the notification server shows no actions ({capabilities})")
            return cls(router, on_answer, timeout_s)
        except Exception as err:  # jeepney raises DBusErrorResponse, TimeoutError, …: all mean "not here"
            _LOGGER.info("desktop notifications unavailable: %s", err)
            router.close()
            connection.close()
            return None

    def show(self, reminder: Reminder) -> None:
        """Blocks for one D-Bus round trip: call it off the UI thread."""
        from jeepney import new_method_call

        with self._lock:
            replaces = next((n for n, r in self._shown.items() if r == reminder.id), 0)
        actions = [part for key, label in ACTION_LABELS.items() for part in (key, label)]
        hints = {"category": ("s", "reminder"), "urgency": ("y", 1), "desktop-entry": ("s", "nargis")}
        body = (
            "Nargis",
            replaces,
            "appointment-soon",
            "Reminder",
            reminder_body(reminder),
            actions,
            hints,
            0,  # never expires: a reminder waits for an answer
        )
        call = new_method_call(self._address, "Notify", NOTIFY_SIGNATURE, body)
        reply = self._router.send_and_get_reply(call, timeout=self._timeout_s)
        with self._lock:
            self._shown[int(reply.body[0])] = reminder.id

    def withdraw(self, reminder_id: str) -> None:
        """Close the notification of an answered reminder (answered in the window, say)."""
        from jeepney import new_method_call

        with self._lock:
            ids = [n for n, r in self._shown.items() if r == reminder_id]
            for notification_id in ids:
                del self._shown[notification_id]
        for notification_id in ids:
            call = new_method_call(self._address, "CloseNotification", "u", (notification_id,))
            self._router.send_and_get_reply(call, timeout=self._timeout_s)

    def close(self) -> None:
        self._signals.put(None)
        self._listener.join(timeout=self._timeout_s)
        self._router.close()
        self._router.conn.close()

    def _listen(self) -> None:
        from jeepney import HeaderFields

        while (message := self._signals.get()) is not None:
            member = message.header.fields.get(HeaderFields.member)
            notification_id = int(message.body[0])
            with self._lock:
                reminder_id = self._shown.pop(notification_id, None)
            if member == "ActionInvoked" and reminder_id and message.body[1] in ACTIONS:
                try:
                    self._on_answer(reminder_id, ACTIONS[message.body[1]])
                except Exception:  # the listener must survive a failing handler
                    _LOGGER.exception("answering reminder %s failed", reminder_id)
