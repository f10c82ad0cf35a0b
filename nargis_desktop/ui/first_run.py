"""The first-run wizard: where data lives, how it is locked, which models, which microphone."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from nargis_desktop.config import ProfilePaths
from nargis_desktop.models.manager import MISSING, ROLE_WORDS, ModelManager
from nargis_desktop.secrets import KeyringSecretStore

MIN_PASSPHRASE_CHARS = 8


def _page(title: str, text: str) -> tuple[QWizardPage, QVBoxLayout]:
    page = QWizardPage()
    page.setTitle(title)
    layout = QVBoxLayout(page)
    note = QLabel(text)
    note.setWordWrap(True)
    layout.addWidget(note)
    return page, layout


class PassphrasePage(QWizardPage):
    """Shown only where there is no keyring: the passphrase, twice, and what losing it means."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Protect your data")
        layout = QVBoxLayout(self)
        warning = QLabel(
            "This system has no keyring, so your data is locked with a passphrase. "
            "Nobody, including Nargis, can recover the data if you forget it."
        )
        warning.setWordWrap(True)
        layout.addWidget(warning)
        self.first, self.second = QLineEdit(), QLineEdit()
        for field, hint in ((self.first, "Passphrase"), (self.second, "The same again")):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setPlaceholderText(hint)
            field.textChanged.connect(self.completeChanged)
            layout.addWidget(field)
        self.problem = QLabel("")
        layout.addWidget(self.problem)

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        if len(self.first.text()) < MIN_PASSPHRASE_CHARS:
            self.problem.setText(f"At least {MIN_PASSPHRASE_CHARS} characters.")
            return False
        if self.first.text() != self.second.text():
            self.problem.setText("The two do not match yet.")
            return False
        self.problem.setText("")
        return True


class _Levels(QObject):
    level = Signal(float)


class MicrophonePage(QWizardPage):
    """Pick a microphone and see its level move while you speak."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Microphone")
        layout = QVBoxLayout(self)
        self.devices = QComboBox()
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.test = QPushButton("Test: show my level for 3 seconds")
        self.test.clicked.connect(self.listen)
        self.status = QLabel("")
        for widget in (self.devices, self.meter, self.test, self.status):
            layout.addWidget(widget)
        self._levels = _Levels()
        self._levels.level.connect(lambda v: self.meter.setValue(int(v)))
        try:
            from nargis_desktop.audio.devices import list_devices

            inputs = [d for d in list_devices() if d.inputs]
        except Exception:  # no PortAudio at all: typing still works
            inputs = []
        for device in inputs:
            self.devices.addItem(device.name, device.index)
        if not inputs:
            self.status.setText("No microphone found. You can still type to Nargis; plug one in later.")
            self.test.setEnabled(False)

    def listen(self) -> None:
        from nargis_desktop.audio.devices import SoundDeviceMicrophone
        from nargis_desktop.audio.pcm import rms

        microphone = SoundDeviceMicrophone(self.devices.currentData())
        microphone.start(lambda pcm: self._levels.level.emit(min(100.0, rms(pcm) / 100)))
        QTimer.singleShot(3000, lambda: threading.Thread(target=microphone.stop, daemon=True).start())
        self.status.setText("Speak now…")


class FirstRunWizard(QWizard):
    def __init__(self, paths: ProfilePaths) -> None:
        super().__init__()
        self.setWindowTitle("Welcome to Nargis")
        self.paths = paths
        self.needs_passphrase = not KeyringSecretStore().available()
        where, _ = _page(
            "Your data stays here",
            f"Nargis keeps your tasks, habits, journal and reminders on this computer, encrypted, in\n"
            f"{paths.data_dir}\nNothing leaves it unless you turn sync on.",
        )
        self.addPage(where)
        self.passphrase = PassphrasePage()
        if self.needs_passphrase:
            self.addPage(self.passphrase)
        else:
            keyring, _ = _page(
                "Protect your data",
                "Your data is encrypted with a random key kept in this "
                f"system's keyring ({KeyringSecretStore().describe()}). There is nothing to remember.",
            )
            self.addPage(keyring)
        self.models_page, layout = _page(
            "Speech and language models", "These run on this computer. Larger ones can be downloaded later in Settings."
        )
        self.models = QListWidget()
        layout.addWidget(self.models)
        self.addPage(self.models_page)
        self.microphone = MicrophonePage()
        self.addPage(self.microphone)
        done, _ = _page(
            "Ready",
            "Hold the button (or Space) and talk, or type a command. "
            "Sync with your other devices or Google Sheets can be set up later in Settings.",
        )
        self.addPage(done)
        self.fill_models()

    def fill_models(self) -> None:
        manager = ModelManager(self.paths)
        for role, words in ROLE_WORDS.items():
            try:
                status, source = manager.select(role)
                size = f", {status.entry.size_bytes / 2**20:.0f} MiB" if status.entry.size_bytes else ""
                self.models.addItem(f"{words}: {status.entry.id} ({source}{size}) — {status.entry.description}")
            except Exception as err:  # no model for the role: say what to do
                self.models.addItem(f"{words}: {getattr(err, 'message', err)}")
        missing = [e.id for e in manager.entries.values() if manager.status(e).state == MISSING]
        self.models.addItem(f"{len(missing)} more models can be downloaded in Settings.")

    def chosen_passphrase(self) -> str | None:
        return self.passphrase.first.text() if self.needs_passphrase else None


def run_first_run(paths: ProfilePaths) -> Any:
    """Show the wizard; returns the passphrase prompt to create the store with, or None if cancelled."""
    wizard = FirstRunWizard(paths)
    if wizard.exec() != QWizard.DialogCode.Accepted:
        return None
    passphrase = wizard.chosen_passphrase()
    return lambda _confirm: passphrase
