"""The app's model download dialog, offscreen, against a real loopback server."""

from __future__ import annotations

import hashlib
import os

import pytest

from nargis_desktop.config import ProfilePaths
from nargis_desktop.models.manager import INSTALLED, ModelManager
from tests.helpers.range_server import Behaviour, serve

pytest.importorskip("PySide6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BODY = b"GGUF" + os.urandom(3_000_000)


def test_the_dialog_downloads_shows_progress_and_installs(paths: ProfilePaths) -> None:
    from PySide6.QtWidgets import QApplication

    from nargis_desktop.ui.model_download import ModelDownloadDialog

    _app = QApplication.instance() or QApplication([])  # kept alive for the dialog
    with serve(Behaviour(files={"/m.gguf": BODY})) as url:
        paths.ensure()
        (paths.config_dir / "models.toml").write_text(
            '[models.m]\nrole = "llm"\nengine = "llama-cpp"\nlanguage = "en"\nlicense = "MIT"\nram_mb = 1\n'
            f'description = "d"\nfiles = [{{ name = "m.gguf", url = "{url}/m.gguf", '
            f'sha256 = "{hashlib.sha256(BODY).hexdigest()}", size_bytes = {len(BODY)} }}]\n'
        )
        manager = ModelManager(paths)
        dialog = ModelDownloadDialog(manager, "m")
        dialog.start()
        dialog.exec()
    assert dialog.error == ""
    assert manager.status(manager.entry("m")).state == INSTALLED
    assert dialog.value() == dialog.maximum()
    assert "m.gguf: 2.9 MiB of 2.9 MiB" in dialog.labelText()
