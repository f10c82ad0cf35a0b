"""Settings: voice and speaking rate, speech engine, theme, latency readout, talk key; models per
role (use, download with progress); where the data lives (move it, or use another folder, at the
next start); export, backup and restore; sync with your other devices and Google Sheets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
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
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nargis_desktop.app import Profile
from nargis_desktop.config import ProfilePaths
from nargis_desktop.errors import NargisError, user_message
from nargis_desktop.models.manager import MISSING, ModelManager
from nargis_desktop.models.manifest import ROLE_NAMES, language_name
from nargis_desktop.services.data_folder import cancel as cancel_change
from nargis_desktop.services.data_folder import pending as pending_change
from nargis_desktop.services.data_folder import request_move, request_use
from nargis_desktop.settings import STT_ENGINES, THEMES, AppSettings
from nargis_desktop.ui.background import StoreWorker
from nargis_desktop.ui.models_table import ModelsTable, read_models
from nargis_desktop.ui.pages import Clock, Page, heading, section
from nargis_desktop.ui.sync_section import SyncSection


class SettingsPage(Page):
    reads_store = False  # the model folder and the manifest: read on every visit, shown when changed

    data_replaced = Signal()  # a backup was restored: every view reads again

    def __init__(self, profile: Profile, clock: Clock, worker: StoreWorker | None = None) -> None:
        super().__init__(profile, clock, worker)
        self.settings_file = profile.paths.config_dir / "settings.toml"
        self.settings = AppSettings.load(self.settings_file)
        self.manager = ModelManager(profile.paths)
        self.confirm: Callable[[str, str], bool] = self._ask  # title, question → yes?
        self.layout_.addWidget(heading("Settings"))
        self.tabs = QTabWidget()
        self.tabs.addTab(self._general_tab(), "General")
        self.tabs.addTab(self._models_tab(), "Models")
        self.tabs.addTab(self._data_tab(), "Data")
        self.sync = SyncSection()
        sync_tab = QWidget()
        QVBoxLayout(sync_tab).addWidget(self.sync)
        sync_tab.layout().addStretch(1)  # type: ignore[union-attr]
        self.tabs.addTab(sync_tab, "Sync")
        from nargis_desktop.ui.device_sync import DeviceSync
        from nargis_desktop.ui.sheets_sync import SheetsPanel

        self.devices = DeviceSync(profile, self.sync, self.worker)
        self.sheets = SheetsPanel(profile, self.sync, self.worker)
        self.layout_.addWidget(self.tabs, 1)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.layout_.addWidget(self.message)

    def _general_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
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
        self.language = QComboBox()
        spoken = {e.language_code for e in self.manager.entries.values() if e.language != "multi"}
        for code in sorted(spoken | {self.settings.language}, key=language_name):
            self.language.addItem(language_name(code), code)
        self.language.setCurrentIndex(self.language.findData(self.settings.language))
        self.language.setToolTip("Speech recognition, voice and language models for it are used by default")
        self.language.currentIndexChanged.connect(lambda _i: self._change_language(str(self.language.currentData())))
        form.addRow("Your language", self.language)
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
        self.global_talk = QCheckBox("Also when another app has the focus (X11; from the next start)")
        self.global_talk.setChecked(self.settings.global_talk_enabled)
        self.global_talk.toggled.connect(lambda v: self._change(global_talk_enabled=v))
        self.global_key = QKeySequenceEdit(QKeySequence(self.settings.global_talk_key))
        self.global_key.setMaximumSequenceLength(1)
        self.global_key.editingFinished.connect(
            lambda: self._change(global_talk_key=self.global_key.keySequence().toString() or "F9")
        )
        form.addRow("Global talk key", self.global_key)
        form.addRow("", self.global_talk)
        from nargis_desktop import autostart

        self.autostart = QCheckBox("Start Nargis in the tray when I log in")
        self.autostart.setChecked(autostart.is_enabled())
        self.autostart.setEnabled(autostart.is_supported())
        self.autostart.toggled.connect(lambda on: autostart.enable() if on else autostart.disable())
        form.addRow("", self.autostart)
        return tab

    def _models_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.models = ModelsTable(self.manager, lambda entry, state: self._act(entry.id, entry.role, state))
        layout.addWidget(self.models)
        return tab

    def _data_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(section("Data folder"))
        self.folder = QLabel(str(self.profile.paths.data_dir))
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.folder)
        folder_buttons = QHBoxLayout()
        move = QPushButton("Move to another folder…")
        move.clicked.connect(lambda _checked=False: self.move_data())  # not the "checked" flag as target
        use = QPushButton("Use data in another folder…")
        use.clicked.connect(lambda _checked=False: self.use_data())
        self.undo_folder = QPushButton("Keep the current folder")
        self.undo_folder.clicked.connect(self.keep_folder)
        for button in (move, use, self.undo_folder):
            folder_buttons.addWidget(button)
        folder_buttons.addStretch(1)
        layout.addLayout(folder_buttons)
        self.folder_state = QLabel("")
        self.folder_state.setWordWrap(True)
        layout.addWidget(self.folder_state)
        layout.addWidget(section("Export and backups"))
        note = QLabel(
            "A backup is a copy of everything, encrypted with your key. Restoring one replaces your current "
            "data; that data is backed up first, so a restore can be undone."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QHBoxLayout()
        for label, action in (
            ("Export JSON…", self.export_json),
            ("Back up…", self.backup),
            ("Restore from backup…", self.restore),
            ("About Nargis…", self.show_about),
        ):
            button = QPushButton(label)
            button.clicked.connect(lambda _c=False, act=action: act())
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self._show_folder_change()
        return tab

    def _change(self, **changes: object) -> None:
        self.settings = self.settings.with_changes(**changes)
        self.settings.save(self.settings_file)
        self.message.setText("Saved.")

    def _change_language(self, code: str) -> None:
        self._change(language=code)
        name = language_name(code)
        self.message.setText(f"Saved: models for {name} are used where there are some (voice from the next start).")
        self.refresh()  # the models in use per role follow

    def refresh(self) -> None:
        super().refresh()
        self.devices.show_status()
        self.sheets.show_status()

    def reader(self) -> Callable[[], Any]:
        manager = self.manager  # reads the model folder: off the main thread too
        return lambda: read_models(manager)

    def fill(self, loaded: Any) -> None:
        self.models.show_models(loaded)

    def _act(self, model_id: str, role: str, state: str) -> None:
        if state == MISSING:
            from nargis_desktop.ui.model_download import ask_and_pull

            error = ask_and_pull(self.manager, model_id, self)
            if error is None:
                return
            self.message.setText(error or f"{model_id} installed.")
        else:
            self.manager.use(role, model_id)
            self.message.setText(f"{ROLE_NAMES.get(role, role)} now uses {model_id}.")
        self.refresh()

    def export_json(self, target: Path | None = None) -> Path | None:
        import json

        from nargis_desktop.exchange.json_format import Snapshot, snapshot_to_json

        if target is None:
            chosen, _ = QFileDialog.getSaveFileName(self, "Export", str(Path.home() / "nargis-export.json"))
            if not chosen:
                return None
            target = Path(chosen)
        data, written = self.profile.data, target

        def write() -> None:
            payload = snapshot_to_json(Snapshot.of(data.store), datetime.now().replace(microsecond=0))
            written.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")

        self.message.setText("Exporting…")
        self.worker.run(write, lambda _r: self.message.setText(f"Exported to {written}."))
        return target

    def show_about(self) -> None:
        from nargis_desktop.ui.about_dialog import AboutDialog

        AboutDialog(self.profile.paths.data_dir, self).exec()

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
            lambda: export_copy(profile.data.store.conn, written, profile.key),
            lambda _r: self.message.setText(f"Backed up to {written} (encrypted with your key)."),
        )
        return target

    def restore(self, source: Path | None = None) -> None:
        """Replace the data with a backup, after asking; the current data is backed up first."""
        if source is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "Restore from backup", str(Path.home()))
            if not chosen:
                return
            source = Path(chosen)
        question = (
            f"Replace all your tasks, habits, journal and reminders with the backup in {source}?\n\n"
            f"Your current data is backed up to {self.profile.paths.backups_dir} first."
        )
        if not self.confirm("Restore from backup", question):
            return
        profile, backup_file = self.profile, source

        def work() -> Path:
            return profile.restore(backup_file)  # on the store worker, the thread that owns the connection

        def restored(kept: Path) -> None:
            self.message.setText(f"Restored from {backup_file}. The data it replaced is kept in {kept}.")
            self.data_replaced.emit()

        self.message.setText("Restoring…")
        self.worker.run(work, restored)

    def move_data(self, target: Path | None = None) -> None:
        self._change_folder(target, "Move the data to an empty folder", request_move)

    def use_data(self, target: Path | None = None) -> None:
        self._change_folder(target, "Use the Nargis data in a folder", request_use)

    def keep_folder(self) -> None:
        cancel_change(self.profile.paths)
        self._show_folder_change()

    def _change_folder(self, target: Path | None, title: str, request: Callable[[ProfilePaths, Path], object]) -> None:
        if target is None:
            chosen = QFileDialog.getExistingDirectory(self, title, str(Path.home()))
            if not chosen:
                return
            target = Path(chosen)
        try:
            request(self.profile.paths, target)
        except NargisError as err:
            self.message.setText(user_message(err))
            return
        self._show_folder_change()

    def _show_folder_change(self) -> None:
        change = pending_change(self.profile.paths)
        self.undo_folder.setVisible(change is not None)
        if change is None:
            self.folder_state.setText("")
        elif change.action == "move":
            self.folder_state.setText(
                f"When Nargis starts next time, your data moves to {change.target}: it is copied, the copy is "
                "checked, and only then removed from the current folder. Until then nothing changes."
            )
        else:
            self.folder_state.setText(
                f"When Nargis starts next time, it uses the data in {change.target}. "
                "The data in the current folder stays where it is."
            )

    def _ask(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self, title, question)
        return bool(answer == QMessageBox.StandardButton.Yes)
