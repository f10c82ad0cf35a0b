"""Settings: models per role (use, download with progress), voice and speaking rate, speech engine,
theme, latency readout, where the data lives, and export and backup."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)

from nargis_desktop.app import Profile
from nargis_desktop.models.manager import MISSING, ModelManager
from nargis_desktop.settings import STT_ENGINES, THEMES, AppSettings
from nargis_desktop.ui.background import StoreWorker
from nargis_desktop.ui.pages import Clock, Page, heading, section


class SettingsPage(Page):
    COLUMNS = ("Model", "Role", "State", "Size", "")

    def __init__(self, profile: Profile, clock: Clock, worker: StoreWorker | None = None) -> None:
        super().__init__(profile, clock, worker)
        self.settings_file = profile.paths.config_dir / "settings.toml"
        self.settings = AppSettings.load(self.settings_file)
        self.manager = ModelManager(profile.paths)
        self.layout_.addWidget(heading("Settings"))
        form = QFormLayout()
        self.rate = QDoubleSpinBox()
        self.rate.setRange(0.5, 2.0)
        self.rate.setSingleStep(0.1)
        self.rate.setValue(self.settings.speaking_rate)
        self.rate.valueChanged.connect(lambda v: self._change(speaking_rate=round(v, 2)))
        form.addRow("Speaking rate", self.rate)
        self.engine = QComboBox()
        self.engine.addItems(list(STT_ENGINES))
        self.engine.setCurrentText(self.settings.stt_engine)
        self.engine.currentTextChanged.connect(lambda v: self._change(stt_engine=v))
        form.addRow("Speech recogniser", self.engine)
        self.theme = QComboBox()
        self.theme.addItems(list(THEMES))
        self.theme.setCurrentText(self.settings.theme)
        self.theme.currentTextChanged.connect(lambda v: self._change(theme=v))
        form.addRow("Theme", self.theme)
        self.latency = QCheckBox("Show the latency of each voice turn")
        self.latency.setChecked(self.settings.show_latency)
        self.latency.toggled.connect(lambda v: self._change(show_latency=v))
        form.addRow("", self.latency)
        self.shortcut = QKeySequenceEdit(QKeySequence(self.settings.talk_shortcut))
        self.shortcut.setMaximumSequenceLength(1)
        self.shortcut.editingFinished.connect(
            lambda: self._change(talk_shortcut=self.shortcut.keySequence().toString() or "Space")
        )
        form.addRow("Hold-to-talk key", self.shortcut)
        self.toggle = QCheckBox("Click to talk (instead of holding the button)")
        self.toggle.setChecked(self.settings.click_to_toggle)
        self.toggle.toggled.connect(lambda v: self._change(click_to_toggle=v))
        form.addRow("", self.toggle)
        form.addRow("Data folder", QLabel(str(profile.paths.data_dir)))
        self.layout_.addLayout(form)
        buttons = QHBoxLayout()
        export = QPushButton("Export JSON…")
        export.clicked.connect(self.export_json)
        backup = QPushButton("Back up…")
        backup.clicked.connect(self.backup)
        buttons.addWidget(export)
        buttons.addWidget(backup)
        buttons.addStretch(1)
        self.layout_.addLayout(buttons)
        self.message = QLabel("")
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(section("Models"))
        self.models = QTableWidget(0, len(self.COLUMNS))
        self.models.setHorizontalHeaderLabels(self.COLUMNS)
        self.models.horizontalHeader().setStretchLastSection(True)
        self.layout_.addWidget(self.models, 1)

    def _change(self, **changes: object) -> None:
        self.settings = self.settings.with_changes(**changes)
        self.settings.save(self.settings_file)
        self.message.setText("Saved.")

    def reader(self) -> Callable[[], Any]:
        manager = self.manager  # reads the model folder: off the main thread too
        return lambda: (manager.chosen(), sorted(manager.statuses(), key=lambda s: (s.entry.role, s.entry.id)))

    def fill(self, loaded: Any) -> None:
        chosen, statuses = loaded
        self.models.setRowCount(len(statuses))
        for row, status in enumerate(statuses):
            entry = status.entry
            size = f"{entry.size_bytes / 2**20:.0f} MiB" if entry.size_bytes else ""
            state = status.state + (" (in use)" if chosen.get(entry.role) == entry.id else "")
            for column, text in enumerate((entry.id, entry.role, state, size)):
                self.models.setItem(row, column, QTableWidgetItem(text))
            action = QPushButton("Download" if status.state == MISSING else "Use")
            action.clicked.connect(lambda _c=False, e=entry, s=status.state: self._act(e.id, e.role, s))
            self.models.setCellWidget(row, 4, action)
        self.models.resizeColumnsToContents()

    def _act(self, model_id: str, role: str, state: str) -> None:
        if state == MISSING:
            from nargis_desktop.ui.model_download import ask_and_pull

            error = ask_and_pull(self.manager, model_id, self)
            if error is None:
                return
            self.message.setText(error or f"{model_id} installed.")
        else:
            self.manager.use(role, model_id)
            self.message.setText(f"{role} now uses {model_id}.")
        self.refresh()

    def export_json(self, target: Path | None = None) -> Path | None:
        import json

        from nargis_desktop.exchange.json_format import Snapshot, snapshot_to_json

        if target is None:
            chosen, _ = QFileDialog.getSaveFileName(self, "Export", str(Path.home() / "nargis-export.json"))
            if not chosen:
                return None
            target = Path(chosen)
        store, written = self.profile.store, target

        def write() -> None:
            payload = snapshot_to_json(Snapshot.of(store), datetime.now().replace(microsecond=0))
            written.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")

        self.message.setText("Exporting…")
        self.worker.run(write, lambda _r: self.message.setText(f"Exported to {written}."))
        return target

    def backup(self, target: Path | None = None) -> Path | None:
        from nargis_desktop.store.backup import export_copy

        if target is None:
            chosen, _ = QFileDialog.getSaveFileName(self, "Back up", str(Path.home() / "nargis-backup.db"))
            if not chosen:
                return None
            target = Path(chosen)
        profile, written = self.profile, target
        self.message.setText("Backing up…")
        self.worker.run(
            lambda: export_copy(profile.store.conn, written, profile.key),
            lambda _r: self.message.setText(f"Backed up to {written} (encrypted with your key)."),
        )
        return target
