"""Closing a test window whose Sync settings may still have work running on other threads."""

from __future__ import annotations

from typing import Any


def close_sync_window(window: Any) -> None:
    """Stop the syncs, let every started job end and deliver its result while the widgets still exist."""
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    window.settings_page.devices.stop()
    window.settings_page.sheets.stop()
    for _ in range(2):  # a delivered result may have queued one more read
        QThreadPool.globalInstance().waitForDone(15000)
        window.finish_store_work()
        QApplication.processEvents()
