"""The banner that says what just happened ("Added Pay rent, today") with Undo, for a while.

Every change shows here, whether it was spoken, typed or made by hand; Undo takes it back
(through the assistant's undo, so saying "undo" does the same).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

SHOWN_MS = 8000


class Toast(QFrame):
    undo_asked = Signal()
    conversation_asked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("toast")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 8, 6)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        row.addWidget(self.message, 1)
        self.undo = QPushButton("Undo")
        self.undo.setToolTip("Take back what was just done (Ctrl+Z)")
        self.undo.clicked.connect(self._undo)
        row.addWidget(self.undo)
        self.more = QPushButton("Conversation")
        self.more.setToolTip("Open the whole conversation (Ctrl+6)")
        self.more.clicked.connect(self.conversation_asked)
        row.addWidget(self.more)
        close = QPushButton("✕")
        close.setFlat(True)
        close.setToolTip("Hide")
        close.setFixedWidth(32)
        close.clicked.connect(self.hide)
        row.addWidget(close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_message(self, text: str, undoable: bool = False, error: bool = False) -> None:
        self.message.setText(text)
        self.undo.setVisible(undoable)
        self.setProperty("error", error)
        background, colour = ("#b3261e", "white") if error else ("palette(highlight)", "palette(highlighted-text)")
        self.setStyleSheet(
            f"QFrame#toast {{ background: {background}; border-radius: 8px; }}"
            f"QFrame#toast QLabel {{ color: {colour}; font-weight: 600; }}"
        )
        self.show()
        self._timer.start(SHOWN_MS * (2 if error else 1))

    def _undo(self) -> None:
        self.undo.setVisible(False)
        self.undo_asked.emit()
