"""The banner over a journal entry edited on two devices at once: the other version, and a choice.

Sync never drops journal text: the version that lost is kept as a conflict copy until the person
picks what the entry says. The choice is written with the store's resolve API, so every device
ends with the same text and no conflict.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout

from nargis_desktop.domain.journal import JournalConflict

KEEP_THIS, USE_OTHER, KEEP_BOTH = "keep", "other", "both"


def resolved_text(choice: str, this: str, others: list[str]) -> str:
    """What the entry says after the person's choice (the newest other version when there are several)."""
    if choice == KEEP_THIS:
        return this
    if choice == USE_OTHER:
        return others[-1]
    return "\n\n".join([this, *others])


class ConflictBanner(QFrame):
    def __init__(self, choose: Callable[[str], None]) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("ConflictBanner { border: 1px solid palette(highlight); }")
        layout = QVBoxLayout(self)
        self.title = QLabel("Edited on two devices")
        self.title.setStyleSheet("font-weight: 600")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.other = QPlainTextEdit()
        self.other.setReadOnly(True)
        self.other.setMaximumHeight(120)
        layout.addWidget(self.other)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for choice, label in (
            (KEEP_THIS, "Keep this"),
            (USE_OTHER, "Use the other"),
            (KEEP_BOTH, "Keep both (append)"),
        ):
            button = QPushButton(label)
            button.clicked.connect(lambda _checked=False, c=choice: choose(c))
            buttons.addWidget(button)
            self.buttons[choice] = button
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.conflicts: list[JournalConflict] = []
        self.hide()

    def show_conflicts(self, conflicts: list[JournalConflict]) -> None:
        self.conflicts = conflicts
        if not conflicts:
            self.hide()
            return
        devices = ", ".join(sorted({c.device_id[:8] for c in conflicts}))
        versions = "another version" if len(conflicts) == 1 else f"{len(conflicts)} other versions"
        self.title.setText(
            f"Edited on two devices: this entry was changed here and on device {devices} at the same time. "
            f"Below is {versions}; nothing is lost until you choose."
        )
        self.other.setPlainText("\n\n".join(c.text for c in conflicts))
        self.show()

    def others(self) -> list[str]:
        return [c.text for c in self.conflicts]
