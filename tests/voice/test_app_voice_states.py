"""The window's voice states without real devices: no microphone, and a press before the voice
pipeline exists (it is replayed once the pipeline is built, not lost)."""

from __future__ import annotations

import os
from typing import Any

from nargis_desktop.app import Profile
from tests.moments import NOW

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _window(profile: Profile, qtbot: Any, factory: Any) -> Any:
    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.ui.main_window import MainWindow

    window = MainWindow(profile, lambda: NOW, Assistant(profile.data), factory)
    qtbot.addWidget(window)
    return window


def test_talking_without_a_microphone_says_so_and_never_sticks(paths: Any, qtbot: Any) -> None:
    from nargis_desktop.app import open_profile
    from nargis_desktop.secrets import NoSecretStore

    profile = open_profile(paths, NoSecretStore(), prompt=lambda _c: "pw")
    window = _window(profile, qtbot, None)
    window.press()  # from the tray menu's Talk, or the global key
    window.release()
    assert "No microphone" in window.state.text()
    assert not window.talk.isEnabled()
    window.close()
    profile.close()


def test_a_press_before_the_pipeline_exists_starts_listening_once_it_does(paths: Any, qtbot: Any) -> None:
    from nargis_desktop.app import open_profile
    from nargis_desktop.assistant.voice import VoicePipeline
    from nargis_desktop.secrets import NoSecretStore
    from tests.fakes import FixedStt, ManualMicrophone, RecordingSpeaker, ToneTts

    profile = open_profile(paths, NoSecretStore(), prompt=lambda _c: "pw")
    microphone = ManualMicrophone()

    def factory(act: Any) -> VoicePipeline:
        return VoicePipeline(microphone, FixedStt(["add buy figs"]), act, ToneTts(ms=50), RecordingSpeaker())

    window = _window(profile, qtbot, factory)
    window.press()  # the key goes down while the pipeline is still being built
    qtbot.waitUntil(lambda: microphone.starts == 1, timeout=10000)
    window.release()
    qtbot.waitUntil(lambda: any(e.kind == "speaking_finished" for e in window.turn_events), timeout=20000)
    with window.store_lock:
        titles = [task.title.lower() for task in profile.store.tasks.list()]
    assert any("figs" in title for title in titles), titles
    window.close()
    profile.close()
