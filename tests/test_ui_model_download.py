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


def test_a_missing_speech_model_is_offered_on_the_talk_button_and_downloaded_there(
    paths: ProfilePaths, qtbot: object
) -> None:
    from datetime import datetime
    from typing import Any

    from nargis_desktop.app import open_profile
    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.secrets import NoSecretStore
    from nargis_desktop.ui.main_window import MainWindow

    bot: Any = qtbot
    with serve(Behaviour(files={"/stt.bin": BODY})) as url:
        paths.ensure()
        (paths.config_dir / "models.toml").write_text(
            '[models.test-stt]\nrole = "stt"\nengine = "vosk"\nlanguage = "en"\nlicense = "MIT"\nram_mb = 1\n'
            f'description = "a small test recogniser"\nfiles = [{{ name = "stt.bin", url = "{url}/stt.bin", '
            f'sha256 = "{hashlib.sha256(BODY).hexdigest()}", size_bytes = {len(BODY)} }}]\n'
        )
        ModelManager(paths).use("stt", "test-stt")  # chosen, not downloaded yet
        profile = open_profile(paths, NoSecretStore(), prompt=lambda _c: "pw")
        window = MainWindow(profile, lambda: datetime(2026, 11, 25, 9, 30), Assistant(profile.data), lambda act: None)
        bot.addWidget(window)
        bot.waitUntil(lambda: not window.get_model.isHidden(), timeout=5000)
        assert not window.talk.isEnabled() and window.talk.text() == "Voice needs a model — type below"
        assert window.get_model.text() == "Download test-stt, 3 MB"
        assert window.command.isEnabled()  # typing still works
        window.get_model.download()  # the progress dialog runs until the file is in
        assert ModelManager(paths).status(ModelManager(paths).entry("test-stt")).state == INSTALLED
        assert window.talk.isEnabled() and window.talk.text() == window.talk_text
        assert window.get_model.isHidden() and window.state.text() == "test-stt installed: hold the button and speak"
        profile.close()


def test_cancel_stops_the_download_and_installs_nothing(paths: ProfilePaths) -> None:
    from PySide6.QtWidgets import QApplication, QPushButton

    from nargis_desktop.ui.model_download import ModelDownloadDialog

    _app = QApplication.instance() or QApplication([])
    with serve(Behaviour(files={"/m.gguf": BODY})) as url:
        paths.ensure()
        (paths.config_dir / "models.toml").write_text(
            '[models.m]\nrole = "llm"\nengine = "llama-cpp"\nlanguage = "en"\nlicense = "MIT"\nram_mb = 1\n'
            f'description = "d"\nfiles = [{{ name = "m.gguf", url = "{url}/m.gguf", '
            f'sha256 = "{hashlib.sha256(BODY).hexdigest()}", size_bytes = {len(BODY)} }}]\n'
        )
        manager = ModelManager(paths)
        dialog = ModelDownloadDialog(manager, "m")
        dialog.findChild(QPushButton).click()  # Cancel, pressed here before the first byte: no race
        dialog.start()
        dialog.exec()
    assert "cancel" in dialog.error.lower()
    assert manager.status(manager.entry("m")).state != INSTALLED
