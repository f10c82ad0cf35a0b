"""The About box: version, where data lives, and the third-party licences the app ships with."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QIcon, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from nargis_desktop import __version__

# Beside the package in a checkout; the bundle's own folder (sys._MEIPASS) once frozen.
ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"
ICON_SIZES_PX = (16, 22, 24, 32, 48, 64, 128, 256, 512)
LICENSES_FILE = "THIRD_PARTY_LICENSES"


def app_icon() -> QIcon:
    icon = QIcon()
    for size_px in ICON_SIZES_PX:
        png = ICONS / f"nargis-{size_px}.png"
        if png.exists():
            icon.addFile(str(png))
    return icon


def licenses_text(root: Path | None = None) -> str:
    """The bundle's THIRD_PARTY_LICENSES; in a checkout, the one packaging/build last wrote."""
    root = root or ROOT
    for candidate in (root / LICENSES_FILE, root / "build" / LICENSES_FILE):
        if candidate.exists():
            return candidate.read_text(encoding="utf-8", errors="replace")
    return (
        f"{LICENSES_FILE} is written when the app is packaged "
        "(python packaging/third_party_licenses.py). Nargis itself is licensed under the Apache License 2.0; "
        "the bundled models' licences are listed in models.toml."
    )


class AboutDialog(QDialog):
    def __init__(self, data_dir: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Nargis")
        self.resize(720, 520)
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(QPixmap(str(ICONS / "nargis-64.png")))
        header.addWidget(logo)
        words = [
            f"<b>Nargis {__version__}</b>",
            "Your tasks, habits, journal and reminders, by voice, encrypted on this computer.",
        ]
        if data_dir is not None:
            words.append(f"Your data: {data_dir}")
        self.summary = QLabel("<br>".join(words))
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header.addWidget(self.summary, 1)
        layout.addLayout(header)
        layout.addWidget(QLabel("Third-party software and models:"))
        self.licenses = QPlainTextEdit(licenses_text())
        self.licenses.setReadOnly(True)
        self.licenses.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.licenses, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
