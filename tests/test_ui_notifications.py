"""Reminders as freedesktop notifications, on a real session bus (dbus-daemon, started here) with a
small notification server behind the same D-Bus interface (no notification daemon runs headless)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from nargis_desktop.app import Profile, open_profile
from nargis_desktop.config import ProfilePaths
from nargis_desktop.secrets import NoSecretStore
from tests.moments import NOW

pytest.importorskip("PySide6")
pytest.importorskip("jeepney")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def session_bus() -> Iterator[str]:
    if shutil.which("dbus-daemon") is None:
        pytest.skip("dbus-daemon is not installed (scripts/setup installs it)")
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()  # printed once the bus accepts connections
    yield address
    daemon.terminate()
    daemon.wait()


@pytest.fixture
def notification_server(session_bus: str) -> Iterator[Any]:
    from jeepney import DBusAddress
    from jeepney.io.blocking import open_dbus_connection

    server = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.notification_server", session_bus],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and server.stdout.readline().strip() == "ready"
    control = DBusAddress(
        "/org/freedesktop/Notifications",
        bus_name="org.freedesktop.Notifications",
        interface="org.nargis.TestNotifications",
    )
    with open_dbus_connection(bus=session_bus) as connection:
        yield TestServer(connection, control)
    server.terminate()
    server.wait()


class TestServer:
    """The test's hand on the notification server: what it shows, and clicking an action."""

    __test__ = False

    def __init__(self, connection: Any, control: Any) -> None:
        self.connection, self.control = connection, control

    def shown(self) -> list[dict[str, Any]]:
        from jeepney import new_method_call

        reply = self.connection.send_and_get_reply(new_method_call(self.control, "Shown"), timeout=5)
        return list(json.loads(reply.body[0]))

    def click(self, notification_id: int, action: str) -> None:
        from jeepney import new_method_call

        self.connection.send_and_get_reply(
            new_method_call(self.control, "Invoke", "us", (notification_id, action)), timeout=5
        )


@pytest.fixture
def profile(paths: ProfilePaths) -> Iterator[Profile]:
    opened = open_profile(paths, NoSecretStore(), prompt=lambda _c: "pw")
    opened.data.add_task("Call mom", NOW, due=date(2026, 11, 25))
    yield opened
    opened.close()


def window_with_notifications(profile: Profile, qtbot: Any, bus: str) -> tuple[Any, Any]:
    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.ui.main_window import MainWindow
    from nargis_desktop.ui.notifications import InWindowNotifier, ReminderNotifications, connect_desktop

    window = MainWindow(profile, lambda: NOW, Assistant(profile.data))
    qtbot.addWidget(window)
    ready: list[Any] = []
    notifications = ReminderNotifications(window.banner, InWindowNotifier(), connect_desktop(bus), ready.append)
    qtbot.waitUntil(lambda: bool(ready), timeout=5000)
    return window, notifications


def test_snooze_in_a_desktop_notification_moves_the_reminder_in_the_store(
    profile: Profile, qtbot: Any, notification_server: TestServer, session_bus: str
) -> None:
    from nargis_desktop.reminders.notifications import DesktopNotifier

    reminder = profile.data.add_reminder("Stretch", NOW - timedelta(minutes=1), NOW - timedelta(hours=1))
    window, notifications = window_with_notifications(profile, qtbot, session_bus)
    assert isinstance(notifications.notifier, DesktopNotifier)
    qtbot.waitUntil(lambda: len(notification_server.shown()) == 1, timeout=5000)
    [shown] = notification_server.shown()
    assert shown["app"] == "Nargis" and shown["body"].startswith("Stretch — Wed 09:29")
    labels = ["Done", "Snooze 10 min", "Snooze 1 h", "Tomorrow"]
    assert shown["actions"] == [
        part for pair in zip(["done", "snooze-10", "snooze-60", "tomorrow"], labels, strict=True) for part in pair
    ]
    assert shown["expire"] == 0 and shown["category"] == "reminder"
    notification_server.click(shown["id"], "snooze-10")  # the person clicks outside the window
    qtbot.waitUntil(lambda: profile.store.reminders.get(reminder.id).snoozed_until is not None, timeout=5000)
    assert profile.store.reminders.get(reminder.id).snoozed_until == NOW + timedelta(minutes=10)
    qtbot.waitUntil(window.banner.isHidden, timeout=5000)
    notifications.close()


def test_done_in_a_notification_completes_and_answering_in_the_window_closes_the_notification(
    profile: Profile, qtbot: Any, notification_server: TestServer, session_bus: str
) -> None:
    first = profile.data.add_reminder("Water the plants", NOW - timedelta(minutes=5), NOW - timedelta(hours=1))
    second = profile.data.add_reminder("Stand up", NOW - timedelta(minutes=2), NOW - timedelta(hours=1))
    window, notifications = window_with_notifications(profile, qtbot, session_bus)
    qtbot.waitUntil(lambda: len(notification_server.shown()) == 1, timeout=5000)
    notification_server.click(notification_server.shown()[0]["id"], "done")
    qtbot.waitUntil(lambda: profile.store.reminders.get(first.id).done, timeout=5000)
    # The next due one is notified in turn; answered in the window, its notification goes away.
    qtbot.waitUntil(lambda: len(notification_server.shown()) == 2, timeout=5000)
    assert notification_server.shown()[1]["body"].startswith("Stand up")
    qtbot.waitUntil(lambda: window.banner.current_id == second.id, timeout=5000)
    window.banner.buttons["1 h"].click()
    qtbot.waitUntil(lambda: notification_server.shown()[1]["closed"], timeout=5000)
    assert profile.store.reminders.get(second.id).snoozed_until == NOW + timedelta(hours=1)
    notifications.close()


def test_without_a_notification_server_the_window_shows_reminders_itself(
    profile: Profile, qtbot: Any, session_bus: str
) -> None:
    from nargis_desktop.ui.notifications import InWindowNotifier

    reminder = profile.data.add_reminder("Stretch", NOW - timedelta(minutes=1), NOW - timedelta(hours=1))
    window, notifications = window_with_notifications(profile, qtbot, session_bus)  # a bus, but no server
    assert isinstance(notifications.notifier, InWindowNotifier)
    qtbot.waitUntil(lambda: window.banner.current_id == reminder.id, timeout=5000)


def test_without_a_session_bus_there_is_no_desktop_notifier(tmp_path: Path) -> None:
    from nargis_desktop.reminders.notifications import DesktopNotifier

    assert DesktopNotifier.connect(lambda _r, _c: None, f"unix:path={tmp_path / 'no-bus'}") is None
