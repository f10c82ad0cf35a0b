"""Downloading a model from the app: a progress dialog fed by a worker thread, with Cancel; and the
button that offers it where a voice model is missing."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget

from nargis_desktop.config import ProfilePaths
from nargis_desktop.errors import ModelError, NargisError, user_message
from nargis_desktop.models.download import Progress
from nargis_desktop.models.manager import MISSING, ModelManager
from nargis_desktop.models.sizes import DownloadSize


class _PullWorker(QObject):
    progressed = Signal(str, int, int, float)  # file name, bytes done, bytes total (0: unknown), ETA s (-1: unknown)
    finished = Signal(str)  # "" on success, else the message for the person

    def __init__(self, manager: ModelManager, model_id: str, trust_unverified: bool) -> None:
        super().__init__()
        self.manager, self.model_id, self.trust_unverified = manager, model_id, trust_unverified
        self.cancel = threading.Event()

    def run(self) -> None:
        def report(name: str, progress: Progress) -> None:
            eta = progress.eta_s if progress.eta_s is not None else -1.0
            self.progressed.emit(name, progress.done_bytes, progress.total_bytes or 0, eta)

        try:
            self.manager.pull(
                self.model_id, trust_unverified=self.trust_unverified, progress=report, cancel=self.cancel
            )
            self.finished.emit("")
        except NargisError as err:
            self.finished.emit(user_message(err))


class ModelDownloadDialog(QProgressDialog):
    """Shows bytes, size and time left; Cancel keeps the partial file so the next pull resumes."""

    def __init__(
        self, manager: ModelManager, model_id: str, parent: QWidget | None = None, trust_unverified: bool = False
    ) -> None:
        super().__init__(f"Downloading {model_id}…", "Cancel", 0, 1000, parent)
        self.setWindowTitle("Nargis — model download")
        self.setMinimumDuration(0)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.error = ""
        self._thread = QThread(self)
        self._worker = _PullWorker(manager, model_id, trust_unverified)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._show)
        self._worker.finished.connect(self._done)
        self.canceled.connect(self._worker.cancel.set)

    def start(self) -> None:
        self._thread.start()

    def _show(self, name: str, done: int, total: int, eta_s: float) -> None:
        if total:
            self.setValue(int(1000 * done / total))
        left = f", about {eta_s:.0f} s left" if eta_s >= 0 else ""
        size = f" of {total / 2**20:.1f} MiB" if total else ""
        self.setLabelText(f"{name}: {done / 2**20:.1f} MiB{size}{left}")

    def _done(self, error: str) -> None:
        self.error = error
        self._thread.quit()
        self._thread.wait()
        self.setValue(self.maximum())
        self.done(1 if not error else 0)


def pull_with_dialog(manager: ModelManager, model_id: str, parent: Any = None, trust_unverified: bool = False) -> str:
    """Run a pull behind a modal progress dialog; returns "" on success or the error text."""
    dialog = ModelDownloadDialog(manager, model_id, parent, trust_unverified=trust_unverified)
    dialog.start()
    dialog.exec()
    return dialog.error


def missing_voice_model(paths: ProfilePaths) -> str | None:
    """The model to download before voice can start (speech recognition, then the voice), or None."""
    from nargis_desktop.app import STT_ENGINES
    from nargis_desktop.settings import AppSettings

    manager = ModelManager(paths)
    engine, language = AppSettings.load(paths.config_dir / "settings.toml").stt_engine, manager.language()
    for role in ("stt", "tts"):
        chosen = manager.chosen().get(role)
        # Another language's model is never offered, nor counts as the voice being ready.
        candidates = [e for e in manager.entries.values() if e.role == role and e.speaks(language)]
        if role == "stt" and engine != "default":  # the engine picked in Settings needs one of its own
            candidates = [e for e in candidates if e.engine == STT_ENGINES[engine]]
            chosen = chosen if chosen in {e.id for e in candidates} else None
        elif _usable(manager, role):
            continue
        if chosen and manager.status(manager.entry(chosen)).state == MISSING:
            return chosen
        if any(manager.status(e).state != MISSING for e in candidates):
            continue
        return next((e.id for e in candidates if e.files), None)
    return None


def _usable(manager: ModelManager, role: str) -> bool:
    try:
        manager.select(role)
    except ModelError:
        return False
    return True


def ask_and_pull(manager: ModelManager, model_id: str, parent: QWidget | None) -> str | None:
    """Download `model_id` behind the progress dialog, asking first if it cannot be verified.

    Returns "" when installed, the error text when it failed, None when the person said no."""
    trust = False
    if not manager.entry(model_id).verified:
        answer = QMessageBox.question(
            parent,
            "Unverified download",
            f"No checksum is known for {model_id}, so Nargis cannot verify the download. Install anyway?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        trust = True
    return pull_with_dialog(manager, model_id, parent, trust_unverified=trust)


class MissingModelButton(QPushButton):
    """Shown next to the talk button when a voice model is missing: one click downloads it."""

    installed = Signal(str)  # the model id, once it is on disk
    failed = Signal(str)  # what went wrong, for the person

    def __init__(self, paths: ProfilePaths) -> None:
        super().__init__()
        self.paths, self.model_id = paths, ""
        self.setMinimumHeight(56)
        self.clicked.connect(self.download)
        self.hide()

    def offer(self, model_id: str) -> None:
        manager = ModelManager(self.paths)
        entry = manager.entry(model_id)
        self.model_id = model_id
        self.setToolTip(entry.description)
        self._say_size(model_id, manager.sizes.known(entry))  # as Settings → Models last found it
        self.show()

    def _say_size(self, model_id: str, size: DownloadSize | None) -> None:
        """The size when known (the manifest's, or what the server said before); "size unknown" (the
        reason in the tooltip) when no one can tell; no size where only the server could say."""
        if model_id != self.model_id:
            return
        if size is None:
            self.setText(f"Download {model_id}")
        elif size.total_bytes is None:
            self.setText(f"Download {model_id} (size unknown)")
            self.setToolTip(f"{self.toolTip()}\n{size.describe().capitalize()}.")
        else:
            self.setText(f"Download {model_id}, {size.describe()}")

    def download(self) -> None:
        error = ask_and_pull(ModelManager(self.paths), self.model_id, self.window())
        if error == "":
            self.hide()
            self.installed.emit(self.model_id)
        elif error:
            self.failed.emit(error)
