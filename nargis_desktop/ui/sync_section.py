"""The Sync part of Settings: one row per kind of sync ("devices", "sheets") with its state and buttons.

`offer(kind, label, connect)` enables the Connect button that calls `connect`; `add_action` adds a
button shown only while connected ("Sync now", "Sign out"); `show_state(kind, text, connected=…)`
puts what the sync reports (last sync, errors) next to them and swaps the buttons.
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
        self.extra_buttons: dict[str, dict[str, QPushButton]] = {}
        self._lines: dict[str, QHBoxLayout] = {}
        for kind, words in KINDS.items():
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            state = QLabel(NOT_CONNECTED)
            state.setWordWrap(True)
            state.setStyleSheet("color: palette(placeholder-text)")
            button = QPushButton("Connect…")
            button.setEnabled(False)
            button.setToolTip("Coming in a later version")
            line.addWidget(state, 1)
            line.addWidget(button)
            form.addRow(words, row)
            self.states[kind], self.buttons[kind], self._lines[kind] = state, button, line
            self.extra_buttons[kind] = {}

    def offer(self, kind: str, label: str, connect: Callable[[], None]) -> None:
        """Enable the Connect button of `kind` ("devices" or "sheets")."""
        button = self.buttons[kind]
        button.setText(label)
        button.setToolTip("")
        button.setEnabled(True)
        button.clicked.connect(lambda _checked=False: connect())

    def add_action(self, kind: str, label: str, act: Callable[[], None]) -> QPushButton:
        """A button for a connected sync; hidden until `show_state(..., connected=True)`."""
        button = QPushButton(label)
        button.clicked.connect(lambda _checked=False: act())
        button.setVisible(False)
        self._lines[kind].addWidget(button)
        self.extra_buttons[kind][label] = button
        return button

    def show_state(self, kind: str, text: str, connected: bool | None = None) -> None:
        self.states[kind].setText(text or NOT_CONNECTED)
        if connected is not None:
            self.buttons[kind].setVisible(not connected)
            for button in self.extra_buttons[kind].values():
                button.setVisible(connected)

    def set_busy(self, kind: str, busy: bool) -> None:
        """While a network call runs its buttons wait, so a second click cannot start another."""
        for button in (self.buttons[kind], *self.extra_buttons[kind].values()):
            button.setEnabled(not busy)
