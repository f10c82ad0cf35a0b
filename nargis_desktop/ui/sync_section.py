"""The Sync part of Settings: "not connected" until device sync or Google Sheets is wired in.

`offer(kind, label, connect)` is the hook: it enables a Connect button that calls `connect`;
`show_state(kind, text)` puts what the sync reports (last sync, errors) next to it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QWidget

KINDS = {"devices": "Your other devices", "sheets": "Google Sheets"}
NOT_CONNECTED = "Not connected"


class SyncSection(QGroupBox):
    def __init__(self) -> None:
        super().__init__("Sync")
        form = QFormLayout(self)
        note = QLabel("Your data stays on this computer. Sync is optional and can be set up at any time.")
        note.setWordWrap(True)
        form.addRow(note)
        self.states: dict[str, QLabel] = {}
        self.buttons: dict[str, QPushButton] = {}
        for kind, words in KINDS.items():
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            state = QLabel(NOT_CONNECTED)
            state.setStyleSheet("color: palette(placeholder-text)")
            button = QPushButton("Connect…")
            button.setEnabled(False)
            button.setToolTip("Coming in a later version")
            line.addWidget(state, 1)
            line.addWidget(button)
            form.addRow(words, row)
            self.states[kind], self.buttons[kind] = state, button

    def offer(self, kind: str, label: str, connect: Callable[[], None]) -> None:
        """Enable the Connect button of `kind` ("devices" or "sheets")."""
        button = self.buttons[kind]
        button.setText(label)
        button.setToolTip("")
        button.setEnabled(True)
        button.clicked.connect(connect)

    def show_state(self, kind: str, text: str) -> None:
        self.states[kind].setText(text or NOT_CONNECTED)
