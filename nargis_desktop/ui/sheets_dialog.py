"""Connecting a Google Sheet: how to sign in (an OAuth client file, or a service account key file),
which spreadsheet (optional: one is created), and whether the journal goes too (asked, with the
warning that Sheets is not end-to-end encrypted)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

JOURNAL_WARNING = (
    "Google Sheets is not end-to-end encrypted: Google, and anyone the sheet is shared with, "
    "can read what is in it. Sync your journal to the sheet anyway?"
)
OAUTH, SERVICE_ACCOUNT = "oauth", "service-account"
_SHEET_URL = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")


@dataclass(frozen=True)
class SheetsConnect:
    credentials_kind: str  # OAUTH or SERVICE_ACCOUNT
    credentials_file: Path | None  # None only with a test endpoint (or credentials already kept)
    spreadsheet_id: str | None
    include_journal: bool


def spreadsheet_id_of(text: str) -> str | None:
    """The id from a pasted spreadsheet address, or the text itself; None when empty."""
    text = text.strip()
    found = _SHEET_URL.search(text)
    return found.group(1) if found else (text or None)


class SheetsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, file_needed: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect Google Sheets")
        self.file_needed = file_needed
        self.confirm: Callable[[str], bool] = self._ask  # tests answer for the person
        layout = QVBoxLayout(self)
        self.oauth = QRadioButton("Sign in with Google in the browser (OAuth client file, Desktop app)")
        self.service_account = QRadioButton("Use a service account key file")
        self.oauth.setChecked(True)
        layout.addWidget(self.oauth)
        layout.addWidget(self.service_account)
        form = QFormLayout()
        chooser = QHBoxLayout()
        self.file = QLineEdit()
        self.file.setPlaceholderText("the JSON file downloaded from Google Cloud")
        browse = QPushButton("Choose…")
        browse.clicked.connect(lambda _checked=False: self.choose_file())
        chooser.addWidget(self.file, 1)
        chooser.addWidget(browse)
        form.addRow("Credentials file", chooser)
        self.spreadsheet = QLineEdit()
        self.spreadsheet.setPlaceholderText("optional: a spreadsheet's address or id (default: a new one)")
        form.addRow("Spreadsheet", self.spreadsheet)
        layout.addLayout(form)
        self.include_journal = QCheckBox("Include the journal")
        self.include_journal.toggled.connect(self._journal_toggled)
        layout.addWidget(self.include_journal)
        self.journal_warning = QLabel(
            "Sheets is not end-to-end encrypted: your journal will be readable by Google and by anyone "
            "the sheet is shared with."
        )
        self.journal_warning.setWordWrap(True)
        self.journal_warning.setVisible(False)
        layout.addWidget(self.journal_warning)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Connect")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.file.textChanged.connect(self._update)
        self._update()

    def choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Google credentials file", str(Path.home()), "JSON (*.json)")
        if chosen:
            self.file.setText(chosen)

    def _journal_toggled(self, on: bool) -> None:
        if on and not self.confirm(JOURNAL_WARNING):
            self.include_journal.setChecked(False)  # asked and declined: the journal stays here
            return
        self.journal_warning.setVisible(on)

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.file.text().strip()) or not self.file_needed)

    def request(self) -> SheetsConnect:
        chosen = self.file.text().strip()
        return SheetsConnect(
            SERVICE_ACCOUNT if self.service_account.isChecked() else OAUTH,
            Path(chosen) if chosen else None,
            spreadsheet_id_of(self.spreadsheet.text()),
            self.include_journal.isChecked(),
        )

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.warning(
            self,
            "Sync the journal to Google Sheets?",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return bool(answer == QMessageBox.StandardButton.Yes)


def ask_sheets_connect(parent: QWidget | None, file_needed: bool) -> SheetsConnect | None:
    dialog = SheetsDialog(parent, file_needed=file_needed)
    return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None
