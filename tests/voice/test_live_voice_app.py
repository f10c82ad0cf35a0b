"""The app as a person uses it: a real X server with a window manager, the talk key held down with
xdotool (the X server's own auto-repeat included), speech said into a virtual PulseAudio
microphone and the reply played on a virtual speaker."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from nargis_desktop.models.engines.base import TextToSpeech
from tests.helpers.virtual_audio import VirtualAudio, available, virtual_audio
from tests.helpers.xserver import x_display
from tests.moments import NOW_TEXT as NOW
from tests.voice.live import NARGIS, changed, espeak_wav, exported, nargis, piper_wav

pytestmark = pytest.mark.slow


class RunningApp:
    """`nargis -v app` with its log read line by line (the window logs each voice event)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.process = subprocess.Popen(
            [NARGIS, "-v", "app", "--now", NOW], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
        )
        self.log: list[str] = []
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._lines.put(line.rstrip("\n"))

    def expect(self, text: str, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"the app never logged {text!r}; last lines: {self.log[-20:]}") from None
            self.log.append(line)
            if text in line:
                return line

    def xdotool(self, *args: str) -> str:
        result = subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=30, check=True
        )
        return result.stdout.strip()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningApp, VirtualAudio]]:
    if not available() or shutil.which("Xvfb") is None or shutil.which("xdotool") is None:
        pytest.skip("PulseAudio, Xvfb and xdotool are installed by scripts/setup")
    with virtual_audio(tmp_path_factory.mktemp("pulse")) as audio, x_display() as display:
        home = tmp_path_factory.mktemp("app-home")
        env = {k: v for k, v in audio.env.items() if not k.startswith("NARGIS_") and k != "QT_QPA_PLATFORM"}
        env.update(DISPLAY=display, NARGIS_HOME=str(home), NARGIS_PASSPHRASE="live app test")
        assert nargis(env, "task", "add", "Buy milk", "--now", NOW).returncode == 0
        running = RunningApp(env)
        try:
            running.expect("voice ready")
            window = running.xdotool("search", "--sync", "--onlyvisible", "--name", "^Nargis$")
            running.xdotool("windowactivate", "--sync", window.splitlines()[0])
            yield running, audio
        finally:
            running.stop()
        assert "malloc" not in "\n".join(running.log) and "Traceback" not in "\n".join(running.log)


def _hold_space_and_say(running: RunningApp, audio: VirtualAudio, wav: Path, held_s: float | None = None) -> None:
    running.xdotool("keydown", "space")
    running.expect("voice event listening_started")
    started = time.monotonic()
    audio.speak(wav)
    if held_s is not None:
        time.sleep(max(0.0, held_s - (time.monotonic() - started)))  # keep holding (scenario time)
    running.xdotool("keyup", "space")
    running.expect("voice event speaking_finished")


def test_holding_space_in_the_window_adds_what_was_said(
    app: tuple[RunningApp, VirtualAudio], piper: TextToSpeech, tmp_path: Path
) -> None:
    running, audio = app
    for index, (wav, kind) in enumerate(
        [
            (piper_wav(piper, "Add buy eggs to my list.", tmp_path / "eggs.wav"), "tasks"),
            (espeak_wav("Remind me to call mom tomorrow at five p.m.", tmp_path / "mom.wav"), "reminders"),
        ]
    ):
        before = exported(running.env)
        _hold_space_and_say(running, audio, wav)
        assert changed(before, exported(running.env)) == {kind}, (index, running.log[-30:])


def test_space_held_for_ten_seconds_with_auto_repeat_is_one_turn(
    app: tuple[RunningApp, VirtualAudio], piper: TextToSpeech, tmp_path: Path
) -> None:
    running, audio = app
    wav = piper_wav(piper, "Add water the ferns to my list.", tmp_path / "ferns.wav")
    before = exported(running.env)
    turns_before = sum("voice event final_transcript" in line for line in running.log)
    _hold_space_and_say(running, audio, wav, held_s=10)
    released = next(line for line in reversed(running.log) if "talk key released" in line)
    assert "after 0 repeats" not in released  # the X server did repeat the key while it was held
    assert sum("voice event final_transcript" in line for line in running.log) - turns_before == 1
    after = exported(running.env)
    assert len(after["tasks"]) == len(before["tasks"]) + 1


def test_an_empty_tap_of_the_talk_key_writes_nothing(app: tuple[RunningApp, VirtualAudio]) -> None:
    running, _audio = app
    before = exported(running.env)
    running.xdotool("key", "space")
    running.expect("voice event no_speech")
    running.expect("voice event speaking_finished")
    assert changed(before, exported(running.env)) == set()
    assert os.path.exists(running.env["NARGIS_HOME"])
