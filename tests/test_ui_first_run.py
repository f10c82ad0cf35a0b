"""The first-run wizard's model downloads and microphone test, offscreen, on real parts: a loopback
HTTP server for the download, a WAV-file microphone and a WAV sink for the recording."""

from __future__ import annotations

import hashlib
import os
from typing import Any

import numpy as np
import pytest

from nargis_desktop.config import ProfilePaths
from nargis_desktop.models.manager import INSTALLED, ModelManager
from tests.helpers.range_server import Behaviour, serve

pytest.importorskip("PySide6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BODY = b"model" + os.urandom(2_000_000)


def tone(seconds: float, amplitude: int = 8000) -> bytes:
    t = np.arange(int(16_000 * seconds)) / 16_000
    return (amplitude * np.sin(2 * np.pi * 440 * t)).astype("<i2").tobytes()


def no_devices() -> Any:
    from nargis_desktop.ui.microphone_test import AudioPorts

    def unavailable(*_args: object) -> Any:
        raise AssertionError("no device should be opened")

    return AudioPorts([], unavailable, unavailable)


def test_the_wizard_downloads_a_missing_model_with_progress(paths: ProfilePaths, qtbot: Any) -> None:
    from nargis_desktop.ui.first_run import FirstRunWizard

    with serve(Behaviour(files={"/voice.bin": BODY})) as url:
        paths.ensure()
        (paths.config_dir / "models.toml").write_text(
            '[models.test-voice]\nrole = "tts"\nengine = "piper"\nlanguage = "en"\nlicense = "MIT"\nram_mb = 1\n'
            f'description = "a test voice"\nfiles = [{{ name = "voice.bin", url = "{url}/voice.bin", '
            f'sha256 = "{hashlib.sha256(BODY).hexdigest()}", size_bytes = {len(BODY)} }}]\n'
        )
        wizard = FirstRunWizard(paths, no_devices())
        qtbot.addWidget(wizard)
        page = wizard.models_page
        offered = {page.downloads.item(i).text().split(" — ")[0]: i for i in range(page.downloads.count())}
        assert not page.download.isEnabled()
        page.downloads.setCurrentRow(offered["test-voice"])
        assert page.download.isEnabled()
        page.download.click()  # the progress dialog (with Cancel) runs until the file is in
    assert ModelManager(paths).status(ModelManager(paths).entry("test-voice")).state == INSTALLED
    assert page.status.text() == "test-voice installed."
    still_offered = [page.downloads.item(i).text() for i in range(page.downloads.count())]
    assert not any(t.startswith("test-voice") for t in still_offered)


def test_the_microphone_test_shows_the_level_records_and_plays_back(qtbot: Any) -> None:
    from nargis_desktop.audio.wav_io import WavFileSource, WavSink
    from nargis_desktop.ui.microphone_test import AudioPorts, MicrophonePage

    spoken, sink = tone(1.0), WavSink()
    page = MicrophonePage(AudioPorts([("Test microphone", None)], lambda _i: WavFileSource(pcm16=spoken), lambda: sink))
    qtbot.addWidget(page)
    assert page.record.isEnabled() and not page.play.isEnabled()
    page.record.click()
    assert page.status.text() == "Recording… speak now"
    qtbot.waitUntil(page.play.isEnabled, timeout=5000)  # the recording ends with the file
    assert page.status.text() == "Recorded 1.0 s. Press Play to hear it."
    assert 50 < page.peak_level < 60  # an 8000-peak sine: RMS 5657 of 10000 full scale
    assert bytes(page.recording) == spoken
    page.play.click()
    qtbot.waitUntil(lambda: page.status.text() == "That is how Nargis hears you.", timeout=5000)
    assert bytes(sink.frames) == spoken and sink.sample_rate_hz == 16_000


def test_a_quiet_microphone_is_pointed_out(qtbot: Any) -> None:
    from nargis_desktop.audio.wav_io import WavFileSource, WavSink
    from nargis_desktop.ui.microphone_test import AudioPorts, MicrophonePage

    page = MicrophonePage(
        AudioPorts([("Test microphone", None)], lambda _i: WavFileSource(pcm16=tone(0.5, 50)), WavSink)
    )
    qtbot.addWidget(page)
    page.record.click()
    qtbot.waitUntil(page.play.isEnabled, timeout=5000)
    assert "very quiet" in page.status.text()


def test_without_a_microphone_the_page_says_typing_still_works(qtbot: Any) -> None:
    from nargis_desktop.ui.microphone_test import MicrophonePage

    page = MicrophonePage(no_devices())
    qtbot.addWidget(page)
    assert not page.record.isEnabled() and "still type" in page.status.text()
