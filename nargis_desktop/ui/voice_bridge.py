"""Values sent from worker threads (voice events, reminder wake-ups), delivered on the Qt main thread."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal


class VoiceBridge(QObject):
    """Lives on the main thread; `relay` may be called from any thread (the signal is queued)."""

    happened = Signal(object)

    def relay(self, value: Any) -> None:
        self.happened.emit(value)
