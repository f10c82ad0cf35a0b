"""The first-run wizard: where data lives, how it is locked, which models (downloads with progress),
which microphone (level meter, a test recording played back)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from nargis_desktop.config import ProfilePaths
from nargis_desktop.models.manager import MISSING, ModelManager
from nargis_desktop.models.manifest import ROLE_NAMES, ModelEntry
from nargis_desktop.models.sizes import DownloadSize, DownloadSizes
from nargis_desktop.secrets import SecretStore
from nargis_desktop.ui.background import run_in_background
from nargis_desktop.ui.microphone_test import AudioPorts, MicrophonePage
from nargis_desktop.ui.models_table import role_words

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


class ModelsPage(QWizardPage):
    """The models each role will use, and the ones that can be downloaded now (with progress)."""

    def __init__(self, paths: ProfilePaths) -> None:
        super().__init__()
        self.paths = paths
        self.setTitle("Speech and language models")
        layout = QVBoxLayout(self)
        note = QLabel("These run on this computer. Nothing you say leaves it.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.models = QListWidget()
        self.models.setWordWrap(True)
        layout.addWidget(self.models, 2)
        layout.addWidget(QLabel("Can be downloaded now or later in Settings:"))
        self.download = QPushButton("Download selected")
        self.download.setEnabled(False)
        self.downloads = QListWidget()
        self.downloads.currentItemChanged.connect(lambda item, _old: self.download.setEnabled(item is not None))
        layout.addWidget(self.downloads, 1)
        row = QHBoxLayout()
        self.download.clicked.connect(self.download_selected)
        self.status = QLabel("")
        row.addWidget(self.download)
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        self.fill()

    def fill(self) -> None:
        manager = ModelManager(self.paths)
        language = manager.language()
        self.sizes_to_find: list[tuple[QListWidgetItem, ModelEntry]] = []
        self.models.clear()
        for role, words in ROLE_NAMES.items():
            try:
                status, source = manager.select(role)
                line = QListWidgetItem(f"{words}: {status.entry.id} ({source})")
                line.setToolTip(status.entry.description)
                self.models.addItem(line)
            except Exception as err:  # no model for the role: say what to do
                self.models.addItem(f"{words}: {getattr(err, 'message', err)}")
        self.downloads.clear()
        missing = [e for e in manager.entries.values() if e.files and manager.status(e).state == MISSING]
        for entry in sorted(missing, key=lambda e: not e.speaks(language)):  # the person's language first
            item = QListWidgetItem()
            item.setToolTip(entry.description)
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            self.downloads.addItem(item)
            self._show_download(item, entry, language, manager.sizes.known(entry))
            if manager.sizes.known(entry) is None:  # only the server knows: asked when the page is shown
                self.sizes_to_find.append((item, entry))
        self.language = language
        if self.isVisible():
            self.initializePage()

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        """Shown: the servers are asked (HEAD, on a worker) for the sizes the manifest does not give."""
        sizes = ModelManager(self.paths).sizes
        for item, entry in self.sizes_to_find:
            self._find_size(sizes, item, entry, self.language)
        self.sizes_to_find = []

    def _find_size(self, sizes: DownloadSizes, item: QListWidgetItem, entry: ModelEntry, language: str) -> None:
        run_in_background(
            lambda: sizes.look_up(entry), lambda found: self._show_download(item, entry, language, found), _no_size
        )

    @staticmethod
    def _show_download(item: QListWidgetItem, entry: ModelEntry, language: str, size: DownloadSize | None) -> None:
        words = role_words(entry, language)
        item.setText(f"{entry.id} — {words}, {size.describe() if size is not None else 'finding the size…'}")

    def download_selected(self) -> None:
        item = self.downloads.currentItem()
        if item is None:
            return
        from nargis_desktop.ui.model_download import ask_and_pull

        model_id = str(item.data(Qt.ItemDataRole.UserRole))
        error = ask_and_pull(ModelManager(self.paths), model_id, self)
        if error is not None:
            self.status.setText(error or f"{model_id} installed.")
            self.fill()


def _no_size(_error: BaseException) -> None:
    """`DownloadSizes.look_up` says why a size is unknown rather than failing; nothing else to show."""


class FirstRunWizard(QWizard):
    def __init__(
        self, paths: ProfilePaths, audio: AudioPorts | None = None, secrets: SecretStore | None = None
    ) -> None:
        super().__init__()
        self.setWindowTitle("Welcome to Nargis")
        self.paths = paths
        if secrets is None:
            from nargis_desktop.app import secret_store

            secrets = secret_store()
        self.needs_passphrase = not secrets.available()
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
                f"system's keyring ({secrets.describe()}). There is nothing to remember.",
            )
            self.addPage(keyring)
        self.models_page = ModelsPage(paths)
        self.models = self.models_page.models
        self.addPage(self.models_page)
        self.microphone = MicrophonePage(audio)
        self.addPage(self.microphone)
        done, _ = _page(
            "Ready",
            "Hold the button (or Space) and talk, or type a command. "
            "Sync with your other devices or Google Sheets can be set up later in Settings.",
        )
        self.addPage(done)

    def chosen_passphrase(self) -> str | None:
        return self.passphrase.first.text() if self.needs_passphrase else None


def run_first_run(paths: ProfilePaths) -> Any:
    """Show the wizard; returns the passphrase prompt to create the store with, or None if cancelled."""
    wizard = FirstRunWizard(paths)
    if wizard.exec() != QWizard.DialogCode.Accepted:
        return None
    passphrase = wizard.chosen_passphrase()
    return lambda _confirm: passphrase
