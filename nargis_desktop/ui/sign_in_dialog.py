"""Signing this computer in to a Nargis sync server: create the account (first device, with a new
recovery phrase the person must write down) or join it (later devices, asking for the phrase)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

PHRASE_WARNING = (
    "Write this recovery phrase down and keep it somewhere safe. It is the only key to your synced data: "
    "the server cannot read your data and cannot reset the phrase. Every new device needs it. If you lose "
    "it, your devices keep their data, but no new device can join: you would start a new account."
)


@dataclass(frozen=True)
class SignIn:
    url: str
    email: str
    password: str
    phrase: str
    register: bool


class SignInDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        from nargis_desktop.sync.crypto import new_recovery_phrase

        super().__init__(parent)
        self.setWindowTitle("Sync with your other devices")
        layout = QVBoxLayout(self)
        self.join = QRadioButton("This computer joins my account (I have the recovery phrase)")
        self.register = QRadioButton("Create an account (this is my first device)")
        self.join.setChecked(True)
        layout.addWidget(self.join)
        layout.addWidget(self.register)
        form = self.form = QFormLayout()
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://sync.example.org")
        self.email = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.phrase = QLineEdit()
        self.phrase.setPlaceholderText("the recovery phrase from your first device")
        form.addRow("Server", self.url)
        form.addRow("Email", self.email)
        form.addRow("Password", self.password)
        form.addRow("Password again", self.password_again)
        form.addRow("Recovery phrase", self.phrase)
        layout.addLayout(form)
        self.new_phrase = new_recovery_phrase()  # shown only when creating the account
        self.warning = QLabel(f"{PHRASE_WARNING}\n\n{self.new_phrase}")
        self.warning.setWordWrap(True)
        self.warning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.wrote_it_down = QCheckBox("I wrote the recovery phrase down")
        layout.addWidget(self.warning)
        layout.addWidget(self.wrote_it_down)
        self.problem = QLabel("")
        self.problem.setStyleSheet("color: palette(link-visited)")
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        fields = (self.url, self.email, self.password, self.password_again)
        for changed in (field.textChanged for field in fields):
            changed.connect(self._update)
        self.phrase.textChanged.connect(self._update)
        self.register.toggled.connect(self._update)
        self.wrote_it_down.toggled.connect(self._update)
        self._update()

    def _update(self) -> None:
        registering = self.register.isChecked()
        self.form.setRowVisible(self.phrase, not registering)
        self.form.setRowVisible(self.password_again, registering)
        self.warning.setVisible(registering)
        self.wrote_it_down.setVisible(registering)
        self.problem.setText(self.missing())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not self.missing())

    def missing(self) -> str:
        """What still stops the sign-in, in words; empty when it can go ahead."""
        url = self.url.text().strip()
        if not url.startswith(("http://", "https://")):
            return "The server address starts with https:// (or http:// on your own network)."
        if "@" not in self.email.text():
            return "Enter your account's email address."
        if not self.password.text():
            return "Enter the password."
        if self.register.isChecked() and self.password_again.text() != self.password.text():
            return "The two passwords differ."
        if self.register.isChecked() and not self.wrote_it_down.isChecked():
            return "Write the recovery phrase down first: it cannot be shown again."
        if not self.register.isChecked() and not self.phrase.text().strip():
            return "Enter the recovery phrase from your first device."
        return ""

    def request(self) -> SignIn:
        registering = self.register.isChecked()
        return SignIn(
            self.url.text().strip(),
            self.email.text().strip(),
            self.password.text(),
            self.new_phrase if registering else self.phrase.text().strip(),
            registering,
        )


def ask_sign_in(parent: QWidget | None) -> SignIn | None:
    dialog = SignInDialog(parent)
    return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None
