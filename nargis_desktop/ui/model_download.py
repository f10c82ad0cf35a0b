"""Downloading a model from the app: a progress dialog fed by a worker thread, with Cancel."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from nargis_desktop.errors import NargisError, user_message
from nargis_desktop.models.download import Progress
from nargis_desktop.models.manager import ModelManager


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
