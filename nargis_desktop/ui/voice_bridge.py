"""Voice pipeline events, emitted on worker threads, delivered to the window on the Qt main thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from nargis_desktop.assistant.voice import VoiceEvent


class VoiceBridge(QObject):
    """Lives on the main thread; `relay` may be called from any thread (the signal is queued)."""

    happened = Signal(object)

    def relay(self, event: VoiceEvent) -> None:
        self.happened.emit(event)
