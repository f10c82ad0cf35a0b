"""Opening and closing a test window whose Sync settings run work on other threads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any


def open_sync_window(profile: Any, qtbot: Any, now: datetime) -> Iterator[Any]:
    """The main window with device sync started, closed cleanly after the test (use as a fixture body)."""
    from PySide6.QtWidgets import QApplication

    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.ui.application import start_device_sync
    from nargis_desktop.ui.main_window import MainWindow

    shown = MainWindow(profile, lambda: now, Assistant(profile.data))
    qtbot.addWidget(shown)
    start_device_sync(shown, QApplication.instance())
    yield shown
    close_sync_window(shown)


def close_sync_window(window: Any) -> None:
    """Stop the syncs, let every started job end and deliver its result while the widgets still exist."""
    from PySide6.QtWidgets import QApplication

    from nargis_desktop.ui.background import background_pool

    window.settings_page.devices.stop()
    window.settings_page.sheets.stop()
    for _ in range(2):  # a delivered result may have queued one more read
        background_pool().waitForDone(15000)
        window.finish_store_work()
        QApplication.processEvents()
